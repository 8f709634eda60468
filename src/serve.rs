//! `gongshi serve` (being written).
pub fn run(_opts: crate::pipeline::BuildOptions, _bind: &str, _port: u16, _lang: crate::lang::Lang) -> Result<(), String> {
    Err("serve: not yet implemented".into())
}

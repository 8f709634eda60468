//! Helpers shared by the integration tests.
#![allow(dead_code, unreachable_pub)]

use std::path::{Path, PathBuf};
use std::process::Command;

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The `gongshi` binary, with a fixed environment: English or Chinese
/// messages, no SOURCE_DATE_EPOCH leaking in from the caller.
pub fn gongshi(lang: &str) -> Command {
    let mut c = Command::new(assert_cmd::cargo::cargo_bin!("gongshi"));
    c.env_remove("SOURCE_DATE_EPOCH").env_remove("LC_ALL").env_remove("LC_MESSAGES").env("LANG", lang);
    c
}

/// Console output with the parts that vary between runs replaced.
pub fn normalize(s: &str, tmp: &Path) -> String {
    let s = s.replace(&tmp.display().to_string(), "[TMP]");
    let mut out = String::new();
    for line in s.lines() {
        // Timings: "(…, 45 ms)" / "用时 45 毫秒".
        let mut l = line.to_owned();
        for (pre, post) in [(", ", " ms)"), ("用时 ", " 毫秒")] {
            if let Some(end) = l.find(post) {
                if let Some(start) = l[..end].rfind(pre) {
                    let digits = &l[start + pre.len()..end];
                    if !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()) {
                        l = format!("{}{pre}[N]{}", &l[..start], &l[end..]);
                    }
                }
            }
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

/// Copies a folder tree (fixtures are copied so tests never write into the repo).
pub fn copy_dir(from: &Path, to: &Path) {
    for e in walkdir::WalkDir::new(from).sort_by_file_name() {
        let e = e.unwrap();
        let rel = e.path().strip_prefix(from).unwrap();
        let dest = to.join(rel);
        if e.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Copies the fixture `dir` to a temporary folder (nothing is written into
/// the repository) and lets `edit` change its `site.yml`.
pub fn fixture_with_site_yml(dir: &Path, edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(dir, tmp.path());
    let yml = tmp.path().join("site.yml");
    let text = std::fs::read_to_string(&yml).unwrap();
    std::fs::write(&yml, edit(text)).unwrap();
    tmp
}

/// Every file under `dir` as (relative path, bytes), sorted.
pub fn read_tree(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v = Vec::new();
    for e in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            let rel = e.path().strip_prefix(dir).unwrap().to_string_lossy().replace('\\', "/");
            v.push((rel, std::fs::read(e.path()).unwrap()));
        }
    }
    v
}

/// A readable snapshot of a built site: every page in full; theme assets, the
/// search index and the manifest by name only (they are not meant for reading).
pub fn tree_snapshot(dir: &Path) -> String {
    let mut s = String::new();
    for (rel, bytes) in read_tree(dir) {
        if rel.starts_with("assets/") || rel.starts_with("search/idx/") || rel.starts_with("search/docs/") || rel == "search/meta.json" || rel == "manifest.sha256" {
            s.push_str(&format!("== {rel}\n"));
        } else {
            s.push_str(&format!("== {rel}\n{}\n", String::from_utf8_lossy(&bytes)));
        }
    }
    s
}

//! One gongshi build, stage by stage: the pipeline's own `Built.timings`
//! (theme, load, link, ledger, render — render includes the search index —
//! and manifest), the search index built again on its own, the checks that
//! `gongshi build` runs after the pipeline, and the write to disk.

use gongshi::pipeline::{BuildOptions, build};
use std::path::PathBuf;
use std::time::Instant;

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() < 3 {
        eprintln!("usage: gongshi-stages SITE_ROOT OUT_DIR [RUNS]");
        std::process::exit(2);
    }
    let runs: usize = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(1);
    let date = gongshi::dates::parse_date("2026-11-20").expect("a date");
    let opts = BuildOptions { root: PathBuf::from(&args[1]), base_url: None, drafts: false, date: Some(date), fallback_date: date };
    let out = PathBuf::from(&args[2]);
    for run in 1..=runs {
        let t = Instant::now();
        let built = match build(&opts) {
            Ok(b) => b,
            Err(d) => {
                eprint!("{}", d.render(gongshi::lang::Lang::En));
                std::process::exit(1);
            }
        };
        let pipeline = t.elapsed();
        let t = Instant::now();
        let index = gongshi::search::build(&built.site);
        let index_build = t.elapsed();
        let t = Instant::now();
        let index_files = index.files();
        let index_files_t = t.elapsed();
        let t = Instant::now();
        let checked = gongshi::check::check_site(&opts);
        let check_total = t.elapsed();
        let t = Instant::now();
        if let Err(d) = gongshi::write::write_atomically(&built.output, &out) {
            eprint!("{}", gongshi::diag::Diagnostics(vec![d]).render(gongshi::lang::Lang::En));
            std::process::exit(1);
        }
        let write = t.elapsed();
        let files = built.output.files.len();
        let bytes: usize = built.output.files.iter().map(|f| f.data.bytes().map_or(0, |b| b.len())).sum();
        println!("run {run}: {} pages, {files} output files, {:.1} MB", built.site.pages.len(), bytes as f64 / 1e6);
        for (name, d) in &built.timings {
            println!("  pipeline {name:<10} {:9.1} ms", ms(*d));
        }
        println!("  pipeline total      {:9.1} ms", ms(pipeline));
        println!("    of which search index: build {:.1} ms + files {:.1} ms ({} files) (measured again, outside render)", ms(index_build), ms(index_files_t), index_files.len());
        let findings = checked.as_ref().map_or(0, |(_, r)| r.findings.0.len());
        println!("  checks (check_site minus one pipeline build) {:9.1} ms, {findings} findings", ms(check_total) - ms(pipeline));
        println!("  write               {:9.1} ms", ms(write));
    }
}

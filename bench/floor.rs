//! The I/O floor of a build: read every input file under ROOT/content and
//! write one output file per page (OUT/<section>/<page>/index.html, holding
//! the bytes read), on as many threads as there are CPUs, as the generators
//! use every core. No parsing, no templates: what no generator can beat on
//! this machine. Standard library only; `run.sh` builds it with `rustc -O`.
//! (Not Python: its start-up alone, ~80 ms here, is more than a whole
//! 1,000-page gongshi build.)
//!
//!     floor ROOT OUT

use std::path::{Path, PathBuf};

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for e in std::fs::read_dir(dir)? {
        let e = e?;
        if e.file_type()?.is_dir() {
            walk(&e.path(), files)?;
        } else {
            files.push(e.path());
        }
    }
    Ok(())
}

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    if args.len() != 3 {
        eprintln!("usage: floor ROOT OUT");
        std::process::exit(2);
    }
    let content = Path::new(&args[1]).join("content");
    let out = PathBuf::from(&args[2]);
    let mut files = Vec::new();
    walk(&content, &mut files)?;
    let n = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|t| {
                let (files, content, out) = (&files, &content, &out);
                s.spawn(move || -> std::io::Result<()> {
                    for f in files.iter().skip(t).step_by(n) {
                        let data = std::fs::read(f)?;
                        let rel = f.strip_prefix(content).unwrap();
                        let name = rel.to_string_lossy();
                        // Every input is read; a page (not a section's _index.md) is written.
                        if !name.ends_with(".md") || name.ends_with("_index.md") {
                            continue;
                        }
                        let dir = out.join(&name[..name.len() - 3]);
                        std::fs::create_dir_all(&dir)?;
                        std::fs::write(dir.join("index.html"), &data)?;
                    }
                    Ok(())
                })
            })
            .collect();
        handles.into_iter().try_for_each(|h| h.join().unwrap())
    })
}

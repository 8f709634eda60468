//! Write stage: put an [`Output`] on disk atomically. The new site is
//! assembled in a hidden folder beside the output folder and swapped in only
//! when every file was written, so a failed build leaves the old site as it was.

use crate::diag::Diagnostic;
use crate::msg;
use crate::output::Output;
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// A folder holding gongshi's manifest is gongshi's output; any other
/// non-empty folder is refused, so `--output` pointed at the wrong folder by
/// mistake destroys nothing. (No marker file of our own: everything in the
/// output is published.)
const MARKER: &str = crate::output::MANIFEST;

/// Refuses output folders whose replacement would destroy the site itself.
pub fn check_output_dir(root: &Path, out: &Path) -> Result<(), Diagnostic> {
    let root = absolute(root);
    let out = absolute(out);
    let content = root.join("content");
    let themes = root.join("themes");
    let bad = out == root || out == content || root.starts_with(&out) || content.starts_with(&out) || out.starts_with(&content) || out.starts_with(&themes);
    if bad {
        let o = out.display().to_string();
        return Err(Diagnostic::error("output-dir", o.clone(), msg!("不能把网站输出到 {o}：它是站点目录、content、themes 或它们的上级目录", "refusing to write the site to {o}: it is the site root, content/, themes/ or a parent of them"))
            .with_help(msg!("用默认的 public 文件夹，或用 --output 指定一个单独的文件夹", "use the default public/ folder, or pass --output with a folder of its own")));
    }
    if out.is_dir() && !out.join(MARKER).exists() && std::fs::read_dir(&out).map(|mut d| d.next().is_some()).unwrap_or(false) {
        let o = out.display().to_string();
        return Err(Diagnostic::error("output-dir", o.clone(), msg!("{o} 不是空文件夹，也不是 gongshi 以前的输出，不会覆盖它", "{o} is not empty and was not written by gongshi; not replacing it"))
            .with_help(msg!("换一个输出文件夹，或先手动清空它", "choose another output folder, or empty it first")));
    }
    Ok(())
}

/// Lexically absolute (the folder may not exist yet, so no canonicalize of it),
/// with symlinks of the existing parent resolved.
fn absolute(p: &Path) -> PathBuf {
    let abs = if p.is_absolute() { p.to_owned() } else { std::env::current_dir().unwrap_or_default().join(p) };
    let mut clean = PathBuf::new();
    for c in abs.components() {
        match c {
            std::path::Component::ParentDir => {
                clean.pop();
            }
            std::path::Component::CurDir => {}
            c => clean.push(c),
        }
    }
    match (clean.parent(), clean.file_name()) {
        (Some(parent), Some(name)) => parent.canonicalize().map(|p| p.join(name)).unwrap_or(clean),
        _ => clean,
    }
}

/// Writes `output` to `out`, replacing what was there only on success.
pub fn write_atomically(output: &Output, out: &Path) -> Result<(), Diagnostic> {
    let io = |what: &str, e: std::io::Error| {
        let w = what.to_owned();
        Diagnostic::error("io", w.clone(), msg!("写入失败：{w}：{e}", "write failed: {w}: {e}"))
    };
    let out = absolute(out);
    let parent = out.parent().ok_or_else(|| io(&out.display().to_string(), std::io::Error::other("no parent folder")))?.to_owned();
    std::fs::create_dir_all(&parent).map_err(|e| io(&parent.display().to_string(), e))?;
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
    let pid = std::process::id();
    let staging = parent.join(format!(".{name}.gongshi-new-{pid}"));
    let old = parent.join(format!(".{name}.gongshi-old-{pid}"));
    let _ = std::fs::remove_dir_all(&staging);

    let written = (|| -> Result<(), Diagnostic> {
        std::fs::create_dir_all(&staging).map_err(|e| io(&staging.display().to_string(), e))?;
        // Folders first (sorted, once each), then files in parallel.
        let mut dirs: Vec<&str> = output.files.iter().filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d)).collect();
        dirs.sort_unstable();
        dirs.dedup();
        for d in dirs {
            std::fs::create_dir_all(staging.join(d)).map_err(|e| io(d, e))?;
        }
        output.files.par_iter().try_for_each(|f| {
            let dest = staging.join(&f.path);
            match &f.data {
                crate::output::Data::File(src) => std::fs::copy(src, &dest).map(|_| ()),
                data => data.bytes().and_then(|b| std::fs::write(&dest, b)),
            }
            .map_err(|e| io(&f.path, e))
        })
    })();
    if let Err(d) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(d);
    }

    // The swap: two renames in the same folder.
    let had_old = out.exists();
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
        if let Err(e) = std::fs::rename(&out, &old) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(io(&out.display().to_string(), e));
        }
    }
    if let Err(e) = std::fs::rename(&staging, &out) {
        if had_old {
            let _ = std::fs::rename(&old, &out);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(io(&out.display().to_string(), e));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(())
}

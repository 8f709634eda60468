//! Write stage: put an [`Output`] on disk atomically. The new site is
//! assembled in a hidden folder beside the output folder and swapped in only
//! when every file was written, so a failed build leaves the old site as it was.

use crate::diag::Diagnostic;
use crate::msg;
use crate::output::{Data, Output};
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
    Staging::begin(out)?.finish(output)
}

fn io_error(what: &str, e: std::io::Error) -> Diagnostic {
    let w = what.to_owned();
    Diagnostic::error("io", w.clone(), msg!("写入失败：{w}：{e}", "write failed: {w}: {e}"))
}

/// The new site, assembled in a hidden folder beside the output folder.
/// Pages go in as they are rendered ([`Staging::put`]); [`Staging::finish`]
/// adds the rest and swaps it in. Dropped unfinished (a failed build, or
/// checks that refuse it), it is removed and the old site stays as it was.
pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    /// The staging folder, open: files are created relative to it.
    #[cfg(unix)]
    fd: std::os::fd::OwnedFd,
    old: PathBuf,
    finished: bool,
}

impl Staging {
    pub fn begin(out: &Path) -> Result<Staging, Diagnostic> {
        let out = absolute(out);
        let parent = out.parent().ok_or_else(|| io_error(&out.display().to_string(), std::io::Error::other("no parent folder")))?.to_owned();
        std::fs::create_dir_all(&parent).map_err(|e| io_error(&parent.display().to_string(), e))?;
        let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "public".into());
        let pid = std::process::id();
        let dir = parent.join(format!(".{name}.gongshi-new-{pid}"));
        let old = parent.join(format!(".{name}.gongshi-old-{pid}"));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| io_error(&dir.display().to_string(), e))?;
        #[cfg(unix)]
        let fd = rustix::fs::open(&dir, rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::RDONLY | rustix::fs::OFlags::CLOEXEC, rustix::fs::Mode::empty())
            .map_err(|e| io_error(&dir.display().to_string(), e.into()))?;
        Ok(Staging { out, dir, old, finished: false, #[cfg(unix)] fd })
    }

    /// Writes one file (`news/a/index.html`) now, hashing it on the way.
    pub fn put(&self, path: &str, bytes: Vec<u8>) -> std::io::Result<Data> {
        use sha2::Digest;
        self.create(path, &bytes)?;
        Ok(Data::Staged { file: self.dir.join(path), sha256: sha2::Sha256::digest(&bytes).into(), len: bytes.len() })
    }

    /// Creates `path` in the staging folder, and its folder. Most pages have
    /// a folder of their own, whose parent exists: one `mkdir`, where
    /// `create_dir_all` asks first whether it exists. Both are named from
    /// the staging folder's descriptor, so the kernel looks up two or three
    /// names, not the whole path (writing 14,000 files, 5 % less system time).
    #[cfg(unix)]
    fn create(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        use rustix::fs::{Mode, OFlags};
        use std::io::Write;
        if let Some((parent, _)) = path.rsplit_once('/') {
            match rustix::fs::mkdirat(&self.fd, parent, Mode::from_raw_mode(0o777)) {
                Ok(()) | Err(rustix::io::Errno::EXIST) => {}
                Err(_) => std::fs::create_dir_all(self.dir.join(parent))?,
            }
        }
        let fd = rustix::fs::openat(&self.fd, path, OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC, Mode::from_raw_mode(0o666))?;
        std::fs::File::from(fd).write_all(bytes)
    }

    #[cfg(not(unix))]
    fn create(&self, path: &str, bytes: &[u8]) -> std::io::Result<()> {
        let file = self.dir.join(path);
        if let Some(parent) = file.parent() {
            match std::fs::create_dir(parent) {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
                Err(_) => std::fs::create_dir_all(parent)?,
            }
        }
        std::fs::write(&file, bytes)
    }

    /// Writes what is not written yet and swaps the new site in.
    pub fn finish(mut self, output: &Output) -> Result<(), Diagnostic> {
        let rest: Vec<_> = output.files.iter().filter(|f| !matches!(f.data, Data::Staged { .. })).collect();
        // Folders first (sorted, once each), then files in parallel.
        let mut dirs: Vec<&str> = rest.iter().filter_map(|f| f.path.rsplit_once('/').map(|(d, _)| d)).collect();
        dirs.sort_unstable();
        dirs.dedup();
        for d in dirs {
            std::fs::create_dir_all(self.dir.join(d)).map_err(|e| io_error(d, e))?;
        }
        rest.par_iter().try_for_each(|f| {
            let dest = self.dir.join(&f.path);
            match &f.data {
                Data::File(src) => std::fs::copy(src, &dest).map(|_| ()),
                data => data.bytes().and_then(|b| std::fs::write(&dest, b)),
            }
            .map_err(|e| io_error(&f.path, e))
        })?;

        // The swap: two renames in the same folder.
        let (out, old, dir) = (&self.out, &self.old, &self.dir);
        let had_old = out.exists();
        if had_old {
            let _ = std::fs::remove_dir_all(old);
            std::fs::rename(out, old).map_err(|e| io_error(&out.display().to_string(), e))?;
        }
        if let Err(e) = std::fs::rename(dir, out) {
            if had_old {
                let _ = std::fs::rename(old, out);
            }
            return Err(io_error(&out.display().to_string(), e));
        }
        self.finished = true;
        if had_old {
            let _ = remove_tree(old);
        }
        Ok(())
    }
}

/// Removes a folder and everything in it, its entries in parallel: a site is
/// thousands of files, and removing the old site one at a time was a tenth of
/// a rebuild. Each folder inside goes with `remove_dir_all`, which never
/// follows a link out of it (not even one swapped in while it runs).
fn remove_tree(dir: &Path) -> std::io::Result<()> {
    let entries: Vec<std::fs::DirEntry> = std::fs::read_dir(dir)?.collect::<Result<_, _>>()?;
    entries.par_iter().for_each(|e| {
        // Whatever one of these leaves, the last call removes or reports.
        let _ = match e.file_type() {
            Ok(t) if t.is_dir() => std::fs::remove_dir_all(e.path()),
            _ => std::fs::remove_file(e.path()),
        };
    });
    std::fs::remove_dir_all(dir)
}

#[cfg(all(test, unix))]
mod tests {
    #[test]
    fn removing_the_old_site_never_follows_a_link_out_of_it() {
        let tmp = std::env::temp_dir().join(format!("gongshi-remove-tree-{}", std::process::id()));
        let (old, outside) = (tmp.join("old"), tmp.join("outside"));
        std::fs::create_dir_all(old.join("news/a")).unwrap();
        std::fs::create_dir_all(&outside).unwrap();
        std::fs::write(old.join("news/a/index.html"), "x").unwrap();
        std::fs::write(outside.join("keep.txt"), "keep").unwrap();
        std::os::unix::fs::symlink(&outside, old.join("link")).unwrap();
        std::os::unix::fs::symlink(&outside, old.join("news/link")).unwrap();
        super::remove_tree(&old).unwrap();
        assert!(!old.exists());
        assert_eq!(std::fs::read_to_string(outside.join("keep.txt")).unwrap(), "keep");
        std::fs::remove_dir_all(&tmp).unwrap();
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.finished {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

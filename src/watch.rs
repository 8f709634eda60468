//! File events for `serve`, as a closed set of changes.
//!
//! Every event is classified before anything acts on it. Editor temp, swap and
//! backup files are dropped, and so is everything outside `site.yml`,
//! `content/` and `themes/`: above all the output folder, or a build would
//! trigger the next one. What is left says only *what kind* of thing changed;
//! `serve` rebuilds the whole site whatever it is.

use crate::content::is_ignored_name;
use notify_debouncer_full::notify::event::{MetadataKind, ModifyKind};
use notify_debouncer_full::notify::{EventKind, RecommendedWatcher, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

/// What changed under the site root.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Change {
    /// `site.yml`
    Config,
    /// Anything under `content/`.
    Content,
    /// Anything under `themes/`.
    Theme,
}

/// What `path` (absolute, under `root`) is to the site, or `None` when it does
/// not matter: outside the three watched places, or an editor's scratch file
/// (checked on every component, so a file inside `.git/` or `#dir#/` is dropped too).
pub fn classify(root: &Path, path: &Path) -> Option<Change> {
    let rel = path.strip_prefix(root).ok()?;
    let mut names = Vec::new();
    for c in rel.components() {
        let Component::Normal(name) = c else { return None };
        let name = name.to_string_lossy();
        if is_ignored_name(&name) || is_editor_temp(&name) {
            return None;
        }
        names.push(name);
    }
    match names.iter().map(|n| n.as_ref()).collect::<Vec<&str>>().as_slice() {
        ["site.yml"] => Some(Change::Config),
        ["content", ..] => Some(Change::Content),
        ["themes", ..] => Some(Change::Theme),
        _ => None,
    }
}

/// Scratch files that `is_ignored_name` (which also decides what is content)
/// has no reason to know about.
fn is_editor_temp(name: &str) -> bool {
    name.ends_with("___jb_tmp___") // JetBrains safe write
        || name.ends_with("___jb_old___")
        || name.ends_with(".crswap") // Chromium's File System Access
}

/// Whether an event can change what a build reads. Opening and reading files
/// is not a change, and inotify reports every open: without this filter each
/// rebuild, which opens every file, would trigger the next.
pub fn is_change(kind: &EventKind) -> bool {
    !matches!(kind, EventKind::Access(_) | EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime)))
}

/// Watches `site.yml`, `content/` and `themes/` of one site.
pub struct Watcher {
    /// Canonical, so it is a prefix of the paths notify reports.
    root: PathBuf,
    debouncer: Debouncer<RecommendedWatcher, RecommendedCache>,
    events: Receiver<DebounceEventResult>,
}

/// Folders watched recursively; the root itself is watched only one level
/// deep, so nothing is spent on `public/`, `.git/` and the like.
const TREES: [&str; 2] = ["content", "themes"];

impl Watcher {
    /// Starts watching. Events are debounced by `debounce`, which also stitches
    /// an editor's write-to-temp-then-rename save into one event.
    pub fn new(root: &Path, debounce: Duration) -> Result<Watcher, String> {
        let root = root.canonicalize().map_err(|e| format!("{}: {e}", root.display()))?;
        let (tx, events) = channel();
        let mut debouncer = new_debouncer(debounce, None, tx).map_err(|e| e.to_string())?;
        debouncer.watch(&root, RecursiveMode::NonRecursive).map_err(|e| format!("{}: {e}", root.display()))?;
        for tree in TREES {
            let dir = root.join(tree);
            if dir.is_dir() {
                debouncer.watch(&dir, RecursiveMode::Recursive).map_err(|e| format!("{}: {e}", dir.display()))?;
            }
        }
        Ok(Watcher { root, debouncer, events })
    }

    /// Waits up to `timeout` for events and returns the files they changed
    /// (relative to the root, `/`-separated: `content/news/a.md`), every
    /// batch already queued included; empty when nothing relevant happened.
    /// The flag says whether the list is complete: false when the OS lost
    /// events (a queue overflow) and the whole tree must be looked at again.
    pub fn next(&mut self, timeout: Duration) -> (Vec<String>, bool) {
        let mut changes = BTreeSet::new();
        let mut complete = true;
        let Ok(first) = self.events.recv_timeout(timeout) else { return (Vec::new(), true) };
        let batches: Vec<DebounceEventResult> = std::iter::once(first).chain(self.events.try_iter()).collect();
        for batch in batches {
            let events = match batch {
                Ok(events) => events,
                Err(errors) => {
                    errors.iter().for_each(|e| eprintln!("watch: {e}"));
                    complete = false;
                    continue;
                }
            };
            complete &= !events.iter().any(|e| e.need_rescan());
            for event in events.iter().filter(|e| is_change(&e.kind)) {
                for path in &event.paths {
                    if classify(&self.root, path).is_some() {
                        let rel = path.strip_prefix(&self.root).unwrap_or(path);
                        changes.insert(rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/"));
                    }
                    // content/ or themes/ made (or moved in) after start: watch inside it too.
                    let is_tree = path.parent() == Some(&self.root) && TREES.iter().any(|t| path.ends_with(t));
                    if is_tree && path.is_dir() {
                        let _ = self.debouncer.watch(path, RecursiveMode::Recursive);
                    }
                }
            }
        }
        (changes.into_iter().collect(), complete)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(rel: &str) -> Option<Change> {
        let root = Path::new("/site");
        classify(root, &root.join(rel))
    }

    #[test]
    fn site_files_are_classified() {
        assert_eq!(at("site.yml"), Some(Change::Config));
        assert_eq!(at("content/news/a.md"), Some(Change::Content));
        assert_eq!(at("content/news/附件.pdf"), Some(Change::Content));
        assert_eq!(at("content"), Some(Change::Content));
        assert_eq!(at("themes/default/templates/page.html"), Some(Change::Theme));
        assert_eq!(at("themes/mine/static/site.css"), Some(Change::Theme));
    }

    #[test]
    fn editor_scratch_files_are_dropped() {
        for name in [
            "content/news/.a.md.swp",         // vim swap
            "content/news/.a.md.swx",
            "content/news/4913",              // vim's write test
            "content/news/a.md~",             // backup
            "content/news/#a.md#",            // emacs autosave
            "content/news/.#a.md",            // emacs lock
            "content/news/a.md___jb_tmp___",  // JetBrains
            "content/news/a.md___jb_old___",
            "content/.DS_Store",
            "content/Thumbs.db",
            "themes/default/templates/.page.html.swp",
            "site.yml~",
            ".site.yml.swp",
            "content/.git/index",             // every component counts
        ] {
            assert_eq!(at(name), None, "{name}");
        }
    }

    #[test]
    fn everything_else_is_dropped() {
        for name in ["public/index.html", "public", "site.yml.bak", "README.md", "content.md", "target/debug/x", "themes.yml"] {
            assert_eq!(at(name), None, "{name}");
        }
        assert_eq!(classify(Path::new("/site"), Path::new("/elsewhere/site.yml")), None);
        assert_eq!(classify(Path::new("/site"), Path::new("/site/../site.yml")), None);
    }

    #[test]
    fn reads_are_not_changes() {
        use notify_debouncer_full::notify::event::{AccessKind, AccessMode, CreateKind, DataChange};
        assert!(!is_change(&EventKind::Access(AccessKind::Open(AccessMode::Any))));
        assert!(!is_change(&EventKind::Access(AccessKind::Close(AccessMode::Write))));
        assert!(!is_change(&EventKind::Modify(ModifyKind::Metadata(MetadataKind::AccessTime))));
        assert!(is_change(&EventKind::Modify(ModifyKind::Data(DataChange::Any))));
        assert!(is_change(&EventKind::Create(CreateKind::File)));
    }
}

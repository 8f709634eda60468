//! `gongshi serve` never serves a stale page. Each test serves a copy of the
//! shipped site, asks for the pages an edit will affect (so the old versions
//! are made and kept), edits one thing the way a person would (a template, a
//! data file, a record other pages refer to, a page listed on other pages),
//! waits for the rebuild, and then checks
//!
//! - every affected page, asked for again over HTTP, shows the edit, and
//! - the whole site as served is, file for file and byte for byte, what a
//!   fresh `gongshi build` of the edited site writes.
//!
//! The copy's files are dated an hour back, as on a real site, so the rebuild
//! trusts unchanged files by their stamps: the path `serve` takes every day.

use gongshi::lang::Lang;
use gongshi::pipeline::{self, BuildOptions};
use gongshi::serve::Server;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant, SystemTime};

mod common;

fn opts(root: &Path) -> BuildOptions {
    BuildOptions { root: root.to_owned(), base_url: None, drafts: false, date: None, fallback_date: jiff::civil::date(2026, 11, 20) }
}

/// Every file under `dir`, dated `when`.
fn backdate(dir: &Path, when: SystemTime) {
    for e in walkdir::WalkDir::new(dir).into_iter().map(Result::unwrap).filter(|e| e.file_type().is_file()) {
        std::fs::File::options().write(true).open(e.path()).unwrap().set_modified(when).unwrap();
    }
}

struct Live {
    server: Server,
    site: tempfile::TempDir,
}

impl Live {
    fn start() -> Live {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
        let site = tempfile::tempdir().unwrap();
        std::fs::copy(repo.join("site.yml"), site.path().join("site.yml")).unwrap();
        common::copy_dir(&repo.join("content"), &site.path().join("content"));
        common::copy_dir(&repo.join("themes"), &site.path().join("themes"));
        backdate(site.path(), SystemTime::now() - Duration::from_secs(3600));
        let server = Server::start(opts(site.path()), "127.0.0.1", 0, Lang::En).unwrap();
        Live { server, site }
    }

    fn path(&self, rel: &str) -> PathBuf {
        self.site.path().join(rel)
    }

    /// The body of `GET path`, which must answer 200.
    fn get(&self, path: &str) -> String {
        let mut s = std::net::TcpStream::connect(self.server.addr()).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").unwrap();
        let mut reply = String::new();
        s.read_to_string(&mut reply).unwrap();
        assert!(reply.starts_with("HTTP/1.1 200"), "GET {path}: {}", reply.lines().next().unwrap_or(""));
        reply.split_once("\r\n\r\n").unwrap().1.to_owned()
    }

    /// Rewrites `rel` with `change` (which must change it) and waits until
    /// serve has rebuilt.
    fn edit(&self, rel: &str, change: impl FnOnce(String) -> String) {
        let before = std::fs::read_to_string(self.path(rel)).unwrap_or_default();
        let after = change(before.clone());
        assert_ne!(before, after, "the edit of {rel} changes nothing");
        let generation = self.server.generation();
        std::fs::write(self.path(rel), after).unwrap();
        let start = Instant::now();
        while self.server.generation() == generation {
            assert!(start.elapsed() < Duration::from_secs(20), "no rebuild after editing {rel}");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The site as served equals a fresh build of the same files.
    fn assert_same_as_a_fresh_build(&self) {
        let served = self.server.current().expect("a good build is served").output().expect("every page renders");
        let mut o = opts(self.site.path());
        o.base_url = Some(self.server.url());
        let built = pipeline::build(&o).unwrap_or_else(|d| panic!("{}", d.render(Lang::En))).output;
        let paths = |o: &gongshi::output::Output| o.files.iter().map(|f| f.path.clone()).collect::<Vec<_>>();
        assert_eq!(paths(&served), paths(&built), "the same files");
        for (s, b) in served.files.iter().zip(&built.files) {
            assert!(s.data.bytes().unwrap() == b.data.bytes().unwrap(), "{} as served differs from a fresh build", s.path);
        }
    }
}

/// Asks for every page first, so a stale copy would be there to serve.
fn warm(live: &Live, pages: &[&str]) -> Vec<String> {
    pages.iter().map(|p| live.get(p)).collect()
}

fn assert_all_show(live: &Live, pages: &[&str], before: &[String], needle: &str) {
    for (page, old) in pages.iter().zip(before) {
        assert!(!old.contains(needle), "{page} showed {needle} before the edit");
        let now = live.get(page);
        assert!(now.contains(needle), "{page} is stale: it does not show {needle}");
    }
}

#[test]
fn a_template_change_reaches_every_page() {
    let live = Live::start();
    let pages = ["/", "/news/", "/tasks/T27/", "/people/du-xingjie/", "/areas/dangjian/", "/notices/"];
    let before = warm(&live, &pages);
    live.edit("themes/default/templates/base.html", |t| t.replacen("</body>", "<p>模板已修改</p></body>", 1));
    assert_all_show(&live, &pages, &before, "模板已修改");
    live.assert_same_as_a_fresh_build();
}

#[test]
fn a_data_file_change_reaches_the_record_and_every_page_listing_it() {
    let live = Live::start();
    let pages = ["/tasks/T27/", "/tasks/", "/areas/dangjian/", "/people/du-xingjie/"];
    let before = warm(&live, &pages);
    live.edit("content/tasks/dangjian.csv", |t| t.replace("学习泰州港经济开发区做法", "学习泰州港经济开发区先进做法"));
    assert_all_show(&live, &pages, &before, "学习泰州港经济开发区先进做法");
    live.assert_same_as_a_fresh_build();
}

#[test]
fn a_referenced_record_change_reaches_the_pages_that_refer_to_it() {
    let live = Live::start();
    // du-xingjie leads T27 and P13: their pages and the task ledger show the record's title.
    let pages = ["/tasks/T27/", "/tasks/", "/projects/P13/", "/projects/"];
    let before = warm(&live, &pages);
    live.edit("content/people/du-xingjie.md", |t| t.replacen("title: 杜兴杰", "title: 杜兴杰（更正）", 1));
    assert_all_show(&live, &pages, &before, "杜兴杰（更正）");
    live.assert_same_as_a_fresh_build();
}

#[test]
fn a_page_change_reaches_the_pages_that_list_it() {
    let live = Live::start();
    let pages = ["/news/2026-11-18-tuijinhui/", "/news/", "/", "/sitemap/"];
    let before = warm(&live, &pages);
    live.edit("content/news/2026-11-18-tuijinhui.md", |t| t.replacen("title: 开发区召开", "title: 经济开发区召开", 1));
    assert_all_show(&live, &pages, &before, "经济开发区召开“树标对标夺标”行动推进会");
    live.assert_same_as_a_fresh_build();
}

#[test]
fn edits_in_a_row_and_a_new_page_stay_in_step_with_a_fresh_build() {
    let live = Live::start();
    warm(&live, &["/", "/news/"]);
    // The same file twice within the stamp's grain: read again, not trusted.
    live.edit("content/news/2026-11-18-tuijinhui.md", |t| t.replacen("title: 开发区召开", "title: 甲开发区召开", 1));
    live.edit("content/news/2026-11-18-tuijinhui.md", |t| t.replacen("title: 甲开发区召开", "title: 乙开发区召开", 1));
    assert!(live.get("/news/").contains("乙开发区召开"));
    live.edit("content/news/2026-11-27-xinwen.md", |_| "---\ntitle: 新增的一篇动态\ndate: 2026-11-19\n---\n\n正文。\n".to_owned());
    assert!(live.get("/news/").contains("新增的一篇动态"));
    assert!(live.get("/news/2026-11-27-xinwen/").contains("正文。"));
    live.assert_same_as_a_fresh_build();
}

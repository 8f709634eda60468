//! `gongshi serve`, driven as a user would: the real binary on a copy of
//! `tests/fixtures/serve`, spoken to over plain HTTP/1.1.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PAGE: &str = "content/news/tuijinhui.md";
const PAGE_URL: &str = "/news/tuijinhui/";
const ORIGINAL: &str = "通报工作台账进展";

/// A running `gongshi serve` on a temporary copy of the fixture; killed on drop,
/// panics included, with its console printed when the test failed.
struct Serve {
    child: Child,
    /// `127.0.0.1:PORT`
    addr: String,
    site: tempfile::TempDir,
}

impl Serve {
    fn start() -> Serve {
        Serve::start_with(|_| {})
    }

    /// `prepare` may change the copied site before the server sees it.
    fn start_with(prepare: impl FnOnce(&Path)) -> Serve {
        let site = tempfile::tempdir().unwrap();
        copy_dir(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve"), site.path());
        prepare(site.path());
        let console = std::fs::File::create(site.path().join("console.txt")).unwrap();
        let mut child = Command::new(env!("CARGO_BIN_EXE_gongshi"))
            .args(["serve", "--port", "0", "--date", "2026-11-20", "--root"])
            .arg(site.path())
            .env("LC_ALL", "C")
            .stdout(Stdio::piped())
            .stderr(console)
            .spawn()
            .unwrap();
        // Read the address on a thread, so a server that never prints fails the test instead of hanging it.
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        let mut serve = Serve { child, addr: String::new(), site };
        let line = rx.recv_timeout(Duration::from_secs(10)).expect("serve printed its address");
        let url = &line[line.find("http://").expect("a URL in the first line")..];
        serve.addr = url.trim_start_matches("http://").trim_end_matches('/').to_owned();
        serve
    }

    fn get(&self, path: &str) -> Reply {
        request(&self.addr, "GET", path)
    }

    fn write(&self, rel: &str, text: &str) {
        std::fs::write(self.site.path().join(rel), text).unwrap();
    }

    /// GETs `path` until `ok` holds, for up to `secs`; the last reply either way.
    fn poll(&self, path: &str, secs: u64, ok: impl Fn(&Reply) -> bool) -> Reply {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            let r = self.get(path);
            if ok(&r) || Instant::now() > deadline {
                return r;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

impl Drop for Serve {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            let console = std::fs::read_to_string(self.site.path().join("console.txt")).unwrap_or_default();
            eprintln!("--- gongshi serve console ---\n{console}");
        }
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let dest: PathBuf = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), dest).unwrap();
        }
    }
}

struct Reply {
    status: u16,
    head: String,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.head.lines().skip(1).find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim())
        })
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// One request on its own connection; `path` is sent exactly as given.
fn request(addr: &str, method: &str, path: &str) -> Reply {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(s, "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n").unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").expect("a complete head");
    let head = String::from_utf8_lossy(&raw[..split]).into_owned();
    let status = head.split(' ').nth(1).and_then(|c| c.parse().ok()).expect("a status code");
    Reply { status, head, body: raw[split + 4..].to_vec() }
}

/// An open `/__gongshi/events` stream, as a page holds it.
struct Events {
    stream: TcpStream,
    seen: String,
}

impl Events {
    fn open(addr: &str) -> Events {
        let mut stream = TcpStream::connect(addr).unwrap();
        write!(stream, "GET /__gongshi/events HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
        stream.set_read_timeout(Some(Duration::from_millis(50))).unwrap();
        let mut events = Events { stream, seen: String::new() };
        // Once the head is here the stream is registered, so no later rebuild is missed.
        assert!(events.wait_for("\r\n\r\n", Duration::from_secs(5)), "no event stream head: {:?}", events.seen);
        let head = events.seen.to_ascii_lowercase();
        assert!(head.starts_with("http/1.1 200"), "{head}");
        assert!(head.contains("content-type: text/event-stream") && head.contains("cache-control: no-store"), "{head}");
        events
    }

    fn wait_for(&mut self, needle: &str, within: Duration) -> bool {
        let deadline = Instant::now() + within;
        let mut buf = [0; 1024];
        while !self.seen.contains(needle) && Instant::now() < deadline {
            match self.stream.read(&mut buf) {
                Ok(0) => return false,
                Ok(n) => self.seen.push_str(&String::from_utf8_lossy(&buf[..n])),
                Err(_) => {} // read timeout: poll again
            }
        }
        self.seen.contains(needle)
    }
}

#[test]
fn serves_pages_head_folders_and_not_found() {
    let serve = Serve::start();
    let page = serve.get(PAGE_URL);
    assert_eq!(page.status, 200, "{}", page.head);
    let html = page.text();
    assert!(html.contains(ORIGINAL), "{html}");
    assert!(html.contains("<script src=\"/__gongshi/live.js?g="), "reload script: {html}");
    assert_eq!(page.header("Cache-Control"), Some("no-store"));

    let head = request(&serve.addr, "HEAD", PAGE_URL);
    assert_eq!(head.status, 200);
    assert!(head.body.is_empty(), "HEAD has no body");
    assert_eq!(head.header("Content-Length"), Some(page.body.len().to_string().as_str()));

    let folder = serve.get("/news");
    assert_eq!((folder.status, folder.header("Location")), (301, Some("/news/")));
    let missing = serve.get("/no/such/page/");
    assert_eq!(missing.status, 404);
    assert!(missing.text().contains("</html>") && missing.header("Content-Type").unwrap().starts_with("text/html"));

    let js = serve.get("/__gongshi/live.js");
    assert!(js.text().contains("EventSource"));
    assert_eq!(js.header("Content-Type"), Some("text/javascript; charset=utf-8"));
}

#[test]
fn an_edit_reloads_open_pages_and_serves_the_new_text() {
    let serve = Serve::start();
    assert!(serve.get(PAGE_URL).text().contains(ORIGINAL));
    let mut events = Events::open(&serve.addr);

    let page = std::fs::read_to_string(serve.site.path().join(PAGE)).unwrap();
    serve.write(PAGE, &page.replace(ORIGINAL, "通报最新的工作台账进展"));
    assert!(events.wait_for("event: reload\ndata: ", Duration::from_secs(2)), "no reload event: {:?}", events.seen);
    let after = serve.get(PAGE_URL).text();
    assert!(after.contains("通报最新的工作台账进展"), "{after}");
}

#[test]
fn a_broken_page_keeps_the_last_good_one_under_an_error_overlay() {
    let serve = Serve::start();
    let good = std::fs::read_to_string(serve.site.path().join(PAGE)).unwrap();
    serve.write(PAGE, &good.replacen("title: 开发区召开推进会", "title: [开发区召开推进会", 1));

    let broken = serve.poll(PAGE_URL, 5, |r| r.text().contains("gongshi-error"));
    let html = broken.text();
    assert_eq!(broken.status, 200);
    assert!(html.contains("<div id=\"gongshi-error\" role=\"alert\">"), "{html}");
    assert!(html.contains("content/news/tuijinhui.md:2:"), "file and line in the overlay: {html}");
    assert!(html.contains("title: [开发区召开推进会"), "the offending line: {html}");
    assert!(html.contains(ORIGINAL), "the last good page is still served");
    // Other pages carry the overlay too, and serve's own stylesheet for it.
    assert!(serve.get("/").text().contains("gongshi-error"));
    assert!(serve.get("/__gongshi/overlay.css").text().contains("#gongshi-error"));

    serve.write(PAGE, &good.replace(ORIGINAL, "问题已改正"));
    let fixed = serve.poll(PAGE_URL, 5, |r| !r.text().contains("gongshi-error"));
    let html = fixed.text();
    assert!(!html.contains("gongshi-error") && html.contains("问题已改正"), "{html}");
}

#[test]
fn nothing_outside_the_built_site_is_served() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.txt"), "TOP-SECRET-42").unwrap();
    let serve = Serve::start_with(|site| {
        #[cfg(unix)]
        {
            use std::os::unix::fs::symlink;
            symlink(outside.path().join("secret.txt"), site.join("content/secret.txt")).unwrap();
            symlink(outside.path(), site.join("content/outside")).unwrap();
            symlink("/etc/hostname", site.join("content/hostname")).unwrap();
        }
        let _ = site;
    });
    for path in [
        "/../site.yml",
        "/%2e%2e/site.yml",
        "/..%2fsite.yml",
        "/%2e%2e%2fsite.yml",
        "/..\\site.yml",
        "/%5c..%5csite.yml",
        "//etc/passwd",
        "/news/../../site.yml",
        "/C:/Windows/win.ini",
        "/secret.txt",
        "/outside/secret.txt",
        "/hostname",
    ] {
        let r = serve.get(path);
        let text = r.text();
        assert_eq!(r.status, 404, "{path}");
        assert!(!text.contains("TOP-SECRET") && !text.contains("sponsor:") && !text.contains("root:"), "{path}: {text}");
    }
}

#[test]
fn content_types_follow_the_extension() {
    let serve = Serve::start();
    let home = serve.get("/");
    assert_eq!(home.header("Content-Type"), Some("text/html; charset=utf-8"));
    // The theme's stylesheet, wherever the theme puts it.
    let html = home.text();
    let css = html.split("href=\"").skip(1).filter_map(|s| s.split('"').next()).find(|h| h.ends_with(".css")).expect("a stylesheet link");
    let css = serve.get(css);
    assert_eq!((css.status, css.header("Content-Type")), (200, Some("text/css; charset=utf-8")));
    let sitemap = serve.get("/sitemap.xml");
    assert_eq!((sitemap.status, sitemap.header("Content-Type")), (200, Some("application/xml; charset=utf-8")));
    assert_eq!(serve.get("/manifest.sha256").header("Content-Type"), Some("text/plain; charset=utf-8"));
}

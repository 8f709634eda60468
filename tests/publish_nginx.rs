//! Publishes the shipped site as a government host would: built for a
//! sub-path (`/ztzl/sbdb/`), copied under an nginx `alias`, then crawled
//! through real HTTP. Every link, every asset and every file in
//! `manifest.sha256` must answer 200 under the sub-path, and every
//! `page#id` link must land on an element with that id.
//!
//! Needs `nginx` (Debian: `apt-get install nginx-light`). Without it the
//! test prints a loud SKIPPED line and passes, except under `CI`, where it
//! fails: CI must install nginx.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs::File;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// The sub-path the site is published under.
const SUB: &str = "/ztzl/sbdb/";
/// The build date the shipped site pins.
const DATE: &str = "2026-11-20";
/// Pages the crawl must reach by following links, so it cannot pass vacuously.
const MIN_PAGES: usize = 30;
/// A runaway crawl (e.g. ever-longer relative URLs) stops here.
const MAX_URLS: usize = 5_000;

#[test]
fn publishes_as_a_government_host_would() {
    let Some(nginx) = find_nginx() else {
        if std::env::var_os("CI").is_some() {
            panic!("publish_nginx: nginx is not installed, and CI must install it (apt-get install nginx-light)");
        }
        eprintln!("SKIPPED publish_nginx: nginx is not installed (apt-get install nginx-light); .ci/run installs it");
        return;
    };

    // Declared first so it is dropped last, after nginx has been stopped.
    let tmp = tempfile::tempdir().expect("create a temporary folder");
    let tmp_path = tmp.path().to_path_buf();
    let site = tmp_path.join("site");
    let port = free_port();
    let origin = format!("http://127.0.0.1:{port}");
    let base_url = format!("{origin}{SUB}");

    // 1. Build the shipped site with the real binary.
    let root = env!("CARGO_MANIFEST_DIR");
    let out = Command::new(assert_cmd::cargo::cargo_bin("gongshi"))
        .args(["build", "--root", root, "--base-url", &base_url, "--date", DATE, "--output"])
        .arg(&site)
        .output()
        .expect("run gongshi build");
    assert!(
        out.status.success(),
        "gongshi build failed ({}):\n{}{}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // 2. Serve it with nginx under the sub-path.
    let conf = tmp_path.join("nginx.conf");
    std::fs::write(&conf, nginx_conf(&tmp_path, &site, port)).expect("write nginx.conf");
    let _nginx = NginxGuard::start(&nginx, &conf, &tmp_path, port);

    // 3. Crawl.
    let mut crawl = Crawl::new(port);
    crawl.enqueue(SUB.to_string(), "(start)".to_string());
    crawl.run();
    let linked_pages: BTreeSet<String> = crawl.html_pages();

    // Every file in the manifest, through nginx, under the sub-path.
    let manifest_text = std::fs::read_to_string(site.join("manifest.sha256")).expect("read manifest.sha256");
    let manifest: Vec<String> = manifest_text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (_hash, path) = l.split_once("  ").or_else(|| l.split_once(" *")).unwrap_or_else(|| panic!("malformed manifest line: {l:?}"));
            path.to_string()
        })
        .collect();
    assert!(!manifest.is_empty(), "manifest.sha256 lists no files");
    let mut orphans = Vec::new();
    for path in manifest.iter().map(String::as_str).chain(["manifest.sha256"]) {
        let target = percent_encode_target(&format!("{SUB}{path}"));
        if path.ends_with(".html") && !linked_pages.contains(&target) && !linked_pages.contains(&dir_of_index(&target)) {
            orphans.push(target.clone());
        }
        crawl.enqueue(target, "manifest.sha256".to_string());
    }
    // Pages only the manifest knows (404.html) are crawled for links too.
    crawl.run();

    // Report.
    eprintln!(
        "publish_nginx: {} URLs fetched, {} HTML pages reached by links, {} files in the manifest",
        crawl.results.len(),
        linked_pages.len(),
        manifest.len()
    );
    if !orphans.is_empty() {
        eprintln!("publish_nginx: HTML files no link reaches (fetched from the manifest): {}", orphans.join(", "));
    }
    if !crawl.external.is_empty() {
        eprintln!("publish_nginx: skipped links to other hosts/schemes:");
        for (url, page) in &crawl.external {
            eprintln!("    {url} (found on {origin}{page})");
        }
    }

    let mut failures = crawl.failures(&origin);
    if linked_pages.len() < MIN_PAGES {
        failures.push(format!(
            "only {} HTML pages were reached by following links from {origin}{SUB} (expected at least {MIN_PAGES}): {linked_pages:?}",
            linked_pages.len()
        ));
    }
    assert!(failures.is_empty(), "publishing under {base_url} with nginx found {} problem(s):\n  {}\n", failures.len(), failures.join("\n  "));
}

// ---------------------------------------------------------------- nginx --

fn find_nginx() -> Option<PathBuf> {
    let sbin = Path::new("/usr/sbin/nginx");
    if sbin.is_file() {
        return Some(sbin.to_path_buf());
    }
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join("nginx")).find(|p| p.is_file())
}

fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    listener.local_addr().expect("local address").port()
}

/// A string in nginx's configuration syntax.
fn q(p: &Path) -> String {
    let s = p.to_str().expect("temporary path is UTF-8");
    format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
}

fn nginx_conf(tmp: &Path, site: &Path, port: u16) -> String {
    let mime = Path::new("/etc/nginx/mime.types");
    let types = if mime.is_file() {
        format!("include {};", q(mime))
    } else {
        "types {\n        text/html html htm;\n        text/css css;\n        application/javascript js;\n        \
         application/json json;\n        application/xml xml;\n        application/atom+xml atom;\n        \
         text/plain txt sha256;\n        image/svg+xml svg;\n        image/png png;\n        image/jpeg jpg jpeg;\n        \
         image/gif gif;\n        image/webp webp;\n        application/pdf pdf;\n    }"
            .to_string()
    };
    // alias needs the trailing slash to map /ztzl/sbdb/x to SITE/x.
    let alias = format!("{}/", site.to_str().expect("temporary path is UTF-8"));
    format!(
        "daemon off;
master_process off;
worker_processes 1;
pid {pid};
error_log {error_log} info;
events {{
    worker_connections 64;
}}
http {{
    access_log off;
    client_body_temp_path {body};
    proxy_temp_path {proxy};
    fastcgi_temp_path {fastcgi};
    uwsgi_temp_path {uwsgi};
    scgi_temp_path {scgi};
    {types}
    default_type application/octet-stream;
    server {{
        listen 127.0.0.1:{port};
        server_name localhost;
        location {SUB} {{
            alias {alias};
            index index.html;
        }}
    }}
}}
",
        pid = q(&tmp.join("nginx.pid")),
        error_log = q(&tmp.join("error.log")),
        body = q(&tmp.join("client_body_temp")),
        proxy = q(&tmp.join("proxy_temp")),
        fastcgi = q(&tmp.join("fastcgi_temp")),
        uwsgi = q(&tmp.join("uwsgi_temp")),
        scgi = q(&tmp.join("scgi_temp")),
        alias = q(Path::new(&alias)),
    )
}

/// The nginx child process; killed when dropped, also during a panic.
struct NginxGuard {
    child: Child,
}

impl NginxGuard {
    fn start(nginx: &Path, conf: &Path, prefix: &Path, port: u16) -> NginxGuard {
        let stderr_path = prefix.join("nginx.stderr");
        let stderr = File::create(&stderr_path).expect("create nginx.stderr");
        // The prefix needs its trailing slash: nginx joins it to relative paths.
        let prefix_arg = format!("{}/", prefix.display());
        let child = Command::new(nginx)
            .arg("-c")
            .arg(conf)
            .arg("-p")
            .arg(&prefix_arg)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(stderr)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {}: {e}", nginx.display()));
        let mut guard = NginxGuard { child };

        let addr = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(Some(status)) = guard.child.try_wait() {
                panic!("nginx exited before accepting connections ({status}){}", nginx_logs(prefix));
            }
            if TcpStream::connect_timeout(&addr, Duration::from_millis(200)).is_ok() {
                return guard;
            }
            if Instant::now() > deadline {
                panic!("nginx did not accept connections on {addr} within 10 s{}", nginx_logs(prefix));
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for NginxGuard {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn nginx_logs(prefix: &Path) -> String {
    let read = |name: &str| std::fs::read_to_string(prefix.join(name)).unwrap_or_default();
    format!("\n--- nginx stderr ---\n{}\n--- error.log ---\n{}", read("nginx.stderr"), read("error.log"))
}

// ----------------------------------------------------------------- crawl --

struct Fetched {
    /// The status code, or why there is none.
    status: Result<u16, String>,
    /// The ids on the page, when it is an HTML page answered with 200.
    ids: Option<BTreeSet<String>>,
}

struct Crawl {
    port: u16,
    queue: VecDeque<String>,
    /// Request target → the pages it was found on, in the order found.
    found_on: BTreeMap<String, Vec<String>>,
    results: BTreeMap<String, Fetched>,
    /// (target page, fragment as written, page the link is on).
    fragments: BTreeSet<(String, String, String)>,
    /// Links that resolve outside the sub-path: (resolved, as written, page).
    outside: BTreeSet<(String, String, String)>,
    /// Links not followed (other hosts, other schemes): url → first page.
    external: BTreeMap<String, String>,
}

impl Crawl {
    fn new(port: u16) -> Crawl {
        Crawl {
            port,
            queue: VecDeque::new(),
            found_on: BTreeMap::new(),
            results: BTreeMap::new(),
            fragments: BTreeSet::new(),
            outside: BTreeSet::new(),
            external: BTreeMap::new(),
        }
    }

    fn enqueue(&mut self, target: String, page: String) {
        let pages = self.found_on.entry(target.clone()).or_default();
        if pages.is_empty() {
            self.queue.push_back(target);
        }
        if !pages.contains(&page) {
            pages.push(page);
        }
    }

    fn run(&mut self) {
        while let Some(target) = self.queue.pop_front() {
            if self.results.contains_key(&target) {
                continue;
            }
            assert!(self.results.len() < MAX_URLS, "crawl passed {MAX_URLS} URLs; is something generating URLs forever?");
            let fetched = match http_get(self.port, &target) {
                Err(e) => Fetched { status: Err(e), ids: None },
                Ok(resp) => {
                    let is_html = resp.header("content-type").is_some_and(|t| t.to_ascii_lowercase().starts_with("text/html"));
                    if resp.status == 200 && is_html {
                        let html = String::from_utf8_lossy(&resp.body);
                        let attrs = scan_attributes(&html);
                        let ids = attrs.iter().filter(|(n, _)| n == "id").map(|(_, v)| v.clone()).collect();
                        for (_, value) in attrs.iter().filter(|(n, _)| n == "href" || n == "src") {
                            self.follow(&target, value);
                        }
                        Fetched { status: Ok(resp.status), ids: Some(ids) }
                    } else {
                        Fetched { status: Ok(resp.status), ids: None }
                    }
                }
            };
            self.results.insert(target, fetched);
        }
    }

    fn follow(&mut self, page: &str, href: &str) {
        match resolve(page, href, self.port) {
            Link::Skip => {}
            Link::External(url) => {
                self.external.entry(url).or_insert_with(|| page.to_string());
            }
            Link::Internal { target, fragment } => {
                if !path_of(&target).starts_with(SUB) {
                    self.outside.insert((target, href.to_string(), page.to_string()));
                    return;
                }
                if let Some(f) = fragment {
                    self.fragments.insert((target.clone(), f, page.to_string()));
                }
                self.enqueue(target, page.to_string());
            }
        }
    }

    /// HTML pages answered with 200 so far.
    fn html_pages(&self) -> BTreeSet<String> {
        self.results.iter().filter(|(_, f)| f.ids.is_some()).map(|(t, _)| t.clone()).collect()
    }

    fn failures(&self, origin: &str) -> Vec<String> {
        let on = |pages: &[String]| {
            let first = pages.first().map(String::as_str).unwrap_or("?");
            let first = if first.starts_with('/') { format!("{origin}{first}") } else { first.to_string() };
            match pages.len() {
                0 | 1 => format!("found on {first}"),
                n => format!("found on {first} and {} other page(s)", n - 1),
            }
        };
        let mut out = Vec::new();
        for (target, fetched) in &self.results {
            let pages = &self.found_on[target];
            match &fetched.status {
                Ok(200) => {}
                Ok(code) => out.push(format!("{origin}{target} -> {code} ({})", on(pages))),
                Err(e) => out.push(format!("{origin}{target} -> no response: {e} ({})", on(pages))),
            }
        }
        for (target, written, page) in &self.outside {
            out.push(format!("{origin}{target} -> leaves {SUB} (href/src \"{written}\", found on {origin}{page})"));
        }
        for (target, fragment, page) in &self.fragments {
            let Some(fetched) = self.results.get(target) else { continue };
            if fetched.status != Ok(200) {
                continue; // already reported above
            }
            let id = percent_decode(fragment);
            if id.is_empty() || id.eq_ignore_ascii_case("top") {
                continue; // "#" and "#top" scroll to the top without an id
            }
            match &fetched.ids {
                None => out.push(format!("{origin}{target}#{fragment} -> not an HTML page, no id to land on (found on {origin}{page})")),
                Some(ids) if ids.contains(&id) || ids.contains(fragment) => {}
                Some(_) => out.push(format!("{origin}{target}#{fragment} -> no id=\"{id}\" on the page (found on {origin}{page})")),
            }
        }
        out
    }
}

enum Link {
    /// mailto:, tel:, javascript:, data:
    Skip,
    /// Another host or scheme; not followed.
    External(String),
    /// On this host: the request target (path and query) and the fragment.
    Internal { target: String, fragment: Option<String> },
}

/// Resolves `href` against the page at request target `page` on 127.0.0.1:port.
fn resolve(page: &str, href: &str, port: u16) -> Link {
    let href = href.trim();
    let (reference, fragment) = match href.split_once('#') {
        Some((r, f)) => (r, Some(f.to_string())),
        None => (href, None),
    };

    // Scheme, if any: letters, digits, + - . before the first ':' that comes
    // before any '/', '?'.
    let scheme = reference.split_once(':').and_then(|(s, _)| {
        let ok =
            !s.is_empty() && s.starts_with(|c: char| c.is_ascii_alphabetic()) && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c));
        ok.then(|| s.to_ascii_lowercase())
    });
    let path_and_query = if let Some(scheme) = scheme {
        match scheme.as_str() {
            "mailto" | "tel" | "javascript" | "data" => return Link::Skip,
            "http" => {
                let rest = &reference[reference.find(':').unwrap() + 1..];
                match same_host(rest, port) {
                    Some(pq) => pq,
                    None => return Link::External(href.to_string()),
                }
            }
            _ => return Link::External(href.to_string()),
        }
    } else if reference.starts_with("//") {
        match same_host(reference, port) {
            Some(pq) => pq,
            None => return Link::External(href.to_string()),
        }
    } else if reference.is_empty() {
        page.to_string()
    } else if reference.starts_with('/') {
        reference.to_string()
    } else if reference.starts_with('?') {
        format!("{}{reference}", path_of(page))
    } else {
        let base = path_of(page);
        let dir = &base[..=base.rfind('/').unwrap_or(0)];
        format!("{dir}{reference}")
    };

    let (path, query) = match path_and_query.split_once('?') {
        Some((p, q)) => (p.to_string(), Some(q)),
        None => (path_and_query.clone(), None),
    };
    let path = remove_dot_segments(if path.is_empty() { "/" } else { &path });
    let target = match query {
        Some(q) => format!("{path}?{q}"),
        None => path,
    };
    Link::Internal { target: percent_encode_target(&target), fragment }
}

/// For `//authority/path?query`: the path and query when the authority is
/// this server, else None.
fn same_host(network_path: &str, port: u16) -> Option<String> {
    let rest = network_path.strip_prefix("//")?;
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    let (authority, pq) = rest.split_at(end);
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a).to_ascii_lowercase();
    (authority == format!("127.0.0.1:{port}")).then(|| if pq.starts_with('/') { pq.to_string() } else { format!("/{pq}") })
}

fn path_of(target: &str) -> &str {
    target.split_once('?').map_or(target, |(p, _)| p)
}

/// `/a/b/index.html` → `/a/b/`.
fn dir_of_index(target: &str) -> String {
    target.strip_suffix("index.html").unwrap_or(target).to_string()
}

/// RFC 3986 §5.2.4 for an absolute path.
fn remove_dot_segments(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').skip(1).collect();
    let mut out: Vec<&str> = Vec::new();
    for (i, s) in segments.iter().enumerate() {
        let last = i + 1 == segments.len();
        match *s {
            "." => {
                if last {
                    out.push("");
                }
            }
            ".." => {
                out.pop();
                if last {
                    out.push("");
                }
            }
            s => out.push(s),
        }
    }
    format!("/{}", out.join("/"))
}

/// Percent-encodes what may not appear raw in a request line.
fn percent_encode_target(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = |c: u8| (c as char).to_digit(16);
            if let (Some(h), Some(l)) = (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ------------------------------------------------------- HTML attributes --

/// Every attribute of every start tag, as (lowercase name, unescaped value).
/// Skips comments, doctypes, end tags and the contents of script and style.
fn scan_attributes(html: &str) -> Vec<(String, String)> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        i += off;
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            i += rest.find("-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") || rest.starts_with("</") {
            i += rest.find('>').map_or(rest.len(), |e| e + 1);
            continue;
        }
        if !rest[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            i += 1;
            continue;
        }
        // Tag name.
        i += 1;
        let start = i;
        while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' && b[i] != b'/' {
            i += 1;
        }
        let tag = html[start..i].to_ascii_lowercase();
        // Attributes.
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() {
                break;
            }
            if b[i] == b'>' {
                i += 1;
                break;
            }
            let start = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/') {
                i += 1;
            }
            let name = html[start..i].to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let quote = b[i];
                    i += 1;
                    let start = i;
                    while i < b.len() && b[i] != quote {
                        i += 1;
                    }
                    value = unescape(&html[start..i]);
                    i = (i + 1).min(b.len());
                } else {
                    let start = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = unescape(&html[start..i]);
                }
            }
            if !name.is_empty() {
                out.push((name, value));
            }
        }
        // Raw text elements: their contents are not markup.
        if tag == "script" || tag == "style" {
            let close = format!("</{tag}");
            let lower = html[i..].to_ascii_lowercase();
            i += lower.find(&close).unwrap_or(lower.len());
        }
    }
    out
}

/// Character references that show up in attribute values.
fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&semi| semi <= 10).and_then(|semi| {
            let entity = &rest[1..semi];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ => {
                    if let Some(hex) = entity.strip_prefix("#x").or_else(|| entity.strip_prefix("#X")) {
                        u32::from_str_radix(hex, 16).ok().and_then(char::from_u32)
                    } else if let Some(dec) = entity.strip_prefix('#') {
                        dec.parse().ok().and_then(char::from_u32)
                    } else {
                        None
                    }
                }
            };
            c.map(|c| (c, semi + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

// ------------------------------------------------------------------ HTTP --

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// GET over HTTP/1.1 with `Connection: close`, on a plain TcpStream.
fn http_get(port: u16, target: &str) -> Result<Response, String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], port));
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(5)).map_err(|e| format!("connect: {e}"))?;
    stream.set_read_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
    stream.set_write_timeout(Some(Duration::from_secs(10))).map_err(|e| e.to_string())?;
    let request =
        format!("GET {target} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nUser-Agent: gongshi-publish-test\r\nAccept: */*\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).map_err(|e| format!("write: {e}"))?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).map_err(|e| format!("read: {e}"))?;

    let head_end = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or("no end of headers in the response")?;
    let head = String::from_utf8_lossy(&raw[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let status_line = lines.next().unwrap_or_default();
    let status = status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).ok_or_else(|| format!("bad status line {status_line:?}"))?;
    let headers: Vec<(String, String)> = lines.filter_map(|l| l.split_once(':')).map(|(n, v)| (n.trim().to_string(), v.trim().to_string())).collect();
    let mut resp = Response { status, headers, body: raw[head_end + 4..].to_vec() };
    if resp.header("transfer-encoding").is_some_and(|t| t.eq_ignore_ascii_case("chunked")) {
        resp.body = dechunk(&resp.body)?;
    } else if let Some(len) = resp.header("content-length").and_then(|l| l.parse::<usize>().ok()) {
        if resp.body.len() < len {
            return Err(format!("body cut short: {} of {len} bytes", resp.body.len()));
        }
        resp.body.truncate(len);
    }
    Ok(resp)
}

fn dechunk(mut body: &[u8]) -> Result<Vec<u8>, String> {
    let mut out = Vec::new();
    loop {
        let line_end = body.windows(2).position(|w| w == b"\r\n").ok_or("bad chunked body")?;
        let size_text = String::from_utf8_lossy(&body[..line_end]);
        let size_text = size_text.split(';').next().unwrap_or_default().trim();
        let size = usize::from_str_radix(size_text, 16).map_err(|_| format!("bad chunk size {size_text:?}"))?;
        body = &body[line_end + 2..];
        if size == 0 {
            return Ok(out);
        }
        if body.len() < size {
            return Err("chunk cut short".to_string());
        }
        out.extend_from_slice(&body[..size]);
        body = body.get(size + 2..).ok_or("chunk cut short")?;
    }
}

// ------------------------------------------------------------------ unit --

#[test]
fn resolves_links_like_a_browser() {
    let port = 8080;
    let internal = |page: &str, href: &str| match resolve(page, href, port) {
        Link::Internal { target, fragment } => (target, fragment),
        Link::Skip => panic!("{href} skipped"),
        Link::External(u) => panic!("{u} external"),
    };
    assert_eq!(internal("/ztzl/sbdb/news/", "a/"), ("/ztzl/sbdb/news/a/".into(), None));
    assert_eq!(internal("/ztzl/sbdb/news/", "../about/"), ("/ztzl/sbdb/about/".into(), None));
    assert_eq!(internal("/ztzl/sbdb/news/", "/x/y"), ("/x/y".into(), None));
    assert_eq!(internal("/ztzl/sbdb/news/", "#main"), ("/ztzl/sbdb/news/".into(), Some("main".into())));
    assert_eq!(internal("/ztzl/sbdb/news/", "http://127.0.0.1:8080/ztzl/sbdb/"), ("/ztzl/sbdb/".into(), None));
    assert_eq!(internal("/ztzl/sbdb/", "//127.0.0.1:8080/a#b"), ("/a".into(), Some("b".into())));
    assert_eq!(internal("/ztzl/sbdb/", "附件/"), ("/ztzl/sbdb/%E9%99%84%E4%BB%B6/".into(), None));
    assert_eq!(internal("/ztzl/sbdb/a/b", "../../../../c"), ("/c".into(), None));
    assert!(matches!(resolve("/", "mailto:a@b.cn", port), Link::Skip));
    assert!(matches!(resolve("/", "JavaScript:void(0)", port), Link::Skip));
    assert!(matches!(resolve("/", "https://beian.miit.gov.cn/", port), Link::External(_)));
    assert!(matches!(resolve("/", "http://127.0.0.1:9/", port), Link::External(_)));

    let attrs = scan_attributes(
        "<!-- <a href=\"no\"> --><a class=x HREF='/a?b=1&amp;c=2' id=\"top&#x41;\">t</a><script src=/s.js>if (a<b) \"href=\\\"no\\\"\"</script><img src=\"i.png\">",
    );
    assert_eq!(
        attrs,
        vec![
            ("class".into(), "x".into()),
            ("href".into(), "/a?b=1&c=2".into()),
            ("id".into(), "topA".into()),
            ("src".into(), "/s.js".into()),
            ("src".into(), "i.png".into()),
        ]
    );
    assert_eq!(percent_decode("%E9%99%84%E4%BB%B6"), "附件");
    assert_eq!(percent_decode("50%"), "50%");
}

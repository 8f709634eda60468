//! `gongshi serve`: preview the site, rebuilt into memory on every change.
//!
//! What is served is one value, `State`: the last good [`Generation`] (the
//! model of one build, whose pages are made when first asked for), the error
//! of the last build if it failed, and a generation counter bumped by every
//! build. A build never edits a generation; it swaps in a new one or sets the
//! error, so a failed build keeps the last good pages (shown under an error
//! overlay) and nothing made from an older model is ever served.
//!
//! An edit is served fast because a build here stops at the model: the
//! edited pages are made before the reload event, the rest when asked for or
//! by a background pass that also finds template errors on pages nobody
//! opened (and stops as soon as the next edit comes).
//!
//! Pages get a small script that listens on a server-sent events stream and
//! reloads when the generation changes. Request paths are checked before lookup.

use crate::diag::{Diagnostic, Diagnostics};
use crate::lang::Lang;
use crate::msg;
use crate::generation::{Generation, Made};
use crate::pipeline::{self, BuildOptions};
use crate::watch::Watcher;
use std::io::Write;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};
use tiny_http::{Header, Method, Request, Response};

/// Paths of serve's own files, outside any site's namespace.
const LIVE_JS: &str = "/__gongshi/live.js";
const EVENTS: &str = "/__gongshi/events";
const OVERLAY_CSS: &str = "/__gongshi/overlay.css";

/// External, not inline: pages carry a CSP that allows only `'self'` scripts.
const LIVE_JS_SOURCE: &str = r#"// gongshi serve: reload this page when the site is rebuilt.
(() => {
  const script = document.currentScript;
  const since = script ? new URL(script.src).searchParams.get("g") || "" : "";
  const events = new EventSource("/__gongshi/events?since=" + encodeURIComponent(since));
  events.addEventListener("reload", () => location.reload());
})();
"#;

/// A stylesheet rather than a `style` attribute, which a `default-src 'self'` CSP blocks.
const OVERLAY_CSS_SOURCE: &str = r#"#gongshi-error{position:fixed;inset:0;z-index:2147483647;overflow:auto;margin:0;padding:2rem;background:rgba(30,0,0,.94);color:#fff;font:16px/1.6 system-ui,sans-serif;text-align:left}
#gongshi-error h2{margin:0 0 .5rem;color:#ff9b9b;font-size:1.5rem}
#gongshi-error pre{white-space:pre-wrap;font:14px/1.5 ui-monospace,"Noto Sans Mono CJK SC",monospace;color:#fff;background:none}
"#;

/// How long an idle event stream waits before a keepalive comment, which is
/// also how a closed browser tab is noticed.
const KEEPALIVE: Duration = Duration::from_secs(15);
const WORKERS: usize = 4;
/// Quiet time before a change is acted on: long enough to join an editor's
/// write-temporary-then-rename save into one change, short against the
/// time a person takes to look at the browser.
const DEBOUNCE: Duration = Duration::from_millis(20);
/// How long a generation is left alone before the background pass makes its other pages.
const QUIET_BEFORE_PASS: Duration = Duration::from_millis(500);

/// What is being served.
struct State {
    /// The last good build; `None` until there is one.
    site: Option<Arc<Generation>>,
    /// The rendered diagnostics of the last build, when it failed.
    error: Option<String>,
    /// Bumped by every build, good or not; pages reload when it moves.
    generation: u64,
    stopping: bool,
}

/// Shared by the HTTP workers, the event streams and the watcher.
struct Live {
    opts: BuildOptions,
    lang: Lang,
    state: Mutex<State>,
    /// Signalled when `state` changes.
    changed: Condvar,
    /// One build at a time, with the parses it reuses.
    building: Mutex<crate::content::Cache>,
    /// Set to stop the background pass over the last generation.
    stop_pass: Mutex<Arc<AtomicBool>>,
    /// The background pass's one thread (`None` if the OS refused it).
    pass_pool: Option<rayon::ThreadPool>,
}

/// A running preview server. Dropping it stops it.
pub struct Server {
    addr: SocketAddr,
    live: Arc<Live>,
    http: Arc<tiny_http::Server>,
    threads: Vec<JoinHandle<()>>,
}

/// A poisoned lock only means a handler panicked; what it guards is still whole.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Runs `gongshi serve` until the process is stopped.
pub fn run(opts: BuildOptions, bind: &str, port: u16, lang: Lang) -> Result<(), String> {
    let server = Server::start(opts, bind, port, lang)?;
    match lang {
        Lang::Zh => println!("预览地址 {}", server.url()),
        Lang::En => println!("serving {}", server.url()),
    }
    let _ = std::io::stdout().flush();
    server.wait();
    Ok(())
}

impl Server {
    /// Listens on `bind:port` (port 0 picks a free one), builds the site once
    /// and starts watching it. Returns once the first build is being served;
    /// prints nothing to stdout (that is [`run`]'s), build results to stderr.
    pub fn start(mut opts: BuildOptions, bind: &str, port: u16, lang: Lang) -> Result<Server, String> {
        let http = tiny_http::Server::http((bind, port)).map_err(|e| {
            msg!("无法监听 {bind}:{port}：{e}（用 --port 0 自动选一个空闲端口）", "cannot listen on {bind}:{port}: {e} (--port 0 picks a free port)").get(lang).to_owned()
        })?;
        let mut addr = http.server_addr().to_ip().ok_or("not an IP address")?;
        // Listening on every interface is still browsed at localhost.
        if addr.ip().is_unspecified() {
            addr.set_ip(std::net::Ipv4Addr::LOCALHOST.into());
        }
        // The site is served at the root of this address, so links are root-relative.
        opts.base_url = Some(format!("http://{addr}/"));
        // Watch before the first build, so an edit made during it is not lost.
        // Without a watcher (the OS may refuse one) the preview still serves.
        let watcher = Watcher::new(&opts.root, DEBOUNCE)
            .inspect_err(|e| eprintln!("{}", msg!("无法监视文件变化（{e}），修改后不会自动重新生成", "cannot watch for changes ({e}); edits will not rebuild the site").get(lang)))
            .ok();
        let live = Arc::new(Live {
            opts,
            lang,
            state: Mutex::new(State { site: None, error: None, generation: 0, stopping: false }),
            changed: Condvar::new(),
            building: Mutex::new(crate::content::Cache::keeping()),
            stop_pass: Mutex::new(Arc::new(AtomicBool::new(false))),
            pass_pool: rayon::ThreadPoolBuilder::new().num_threads(1).build().ok(),
        });
        let _ = live.rebuild(&[]);

        let http = Arc::new(http);
        let mut threads = Vec::new();
        for _ in 0..WORKERS {
            let (http, live) = (http.clone(), live.clone());
            threads.push(std::thread::spawn(move || {
                loop {
                    match http.recv() {
                        Ok(req) => handle(&live, req),
                        // `unblock` from `stop`, or a failed accept.
                        Err(_) if live.stopping() => break,
                        Err(_) => {}
                    }
                }
            }));
        }
        if let Some(mut watcher) = watcher {
            let live = live.clone();
            threads.push(std::thread::spawn(move || {
                while !live.stopping() {
                    // Whatever changed, the whole model is rebuilt; the files
                    // named are only which pages to make before the reload.
                    let (changed, complete) = watcher.next(Duration::from_millis(200));
                    if !changed.is_empty() || !complete {
                        if complete {
                            lock(&live.building).changed_only(&changed);
                        }
                        let _ = live.rebuild(&changed);
                    }
                }
            }));
        }
        Ok(Server { addr, live, http, threads })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT/`
    pub fn url(&self) -> String {
        format!("http://{}/", self.addr)
    }

    /// How many builds have finished.
    pub fn generation(&self) -> u64 {
        lock(&self.live.state).generation
    }

    /// Rebuilds the whole site now, as a file change would (and tells open
    /// pages). `Err` holds the rendered diagnostics; the last good site stays.
    pub fn rebuild(&self) -> Result<Duration, String> {
        self.live.rebuild(&[])
    }

    /// The generation being served, once a build succeeded (for tests).
    pub fn current(&self) -> Option<Arc<Generation>> {
        lock(&self.live.state).site.clone()
    }

    /// Serves until the process ends.
    pub fn wait(mut self) {
        for t in std::mem::take(&mut self.threads) {
            let _ = t.join();
        }
    }

    /// Stops serving and watching, and ends open event streams (dropping does the work).
    pub fn stop(self) {}
}

impl Drop for Server {
    fn drop(&mut self) {
        lock(&self.live.state).stopping = true;
        lock(&self.live.stop_pass).store(true, Ordering::Relaxed);
        self.live.changed.notify_all();
        for _ in 0..WORKERS {
            self.http.unblock();
        }
        for t in std::mem::take(&mut self.threads) {
            let _ = t.join();
        }
    }
}

impl Live {
    fn stopping(&self) -> bool {
        lock(&self.state).stopping
    }

    /// Builds the model of the site and makes the pages of `changed` source
    /// files (`content/…`); swaps the new generation in on success, else keeps
    /// the last good one and sets the error. Either way the generation moves
    /// on and open pages are told. Reports to stderr, as serve's console.
    fn rebuild(self: &Arc<Self>, changed: &[String]) -> Result<Duration, String> {
        let mut cache = lock(&self.building);
        // The last generation's background pass would only compete with this build.
        lock(&self.stop_pass).store(true, Ordering::Relaxed);
        let start = Instant::now();
        let first = lock(&self.state).generation == 0;
        let made = pipeline::model(&self.opts, &mut cache).and_then(|m| {
            if m.warnings.has_errors() {
                return Err(m.warnings);
            }
            if !m.warnings.is_empty() {
                eprint!("{}", m.warnings.render(self.lang));
            }
            crate::pipeline::print_timings(&m.timings);
            let t = Instant::now();
            let site = Generation::new(m.site, m.theme);
            crate::pipeline::print_timings(&[("routes", t.elapsed())]);
            // Made before the reload, so the edited page is there when asked for.
            let mut first_pages = site.pages_from(changed);
            if first_pages.is_empty() {
                first_pages.push("index.html".to_owned());
            }
            let t = Instant::now();
            let errors: Vec<Diagnostic> = first_pages.iter().filter_map(|p| site.get(p)?.err()).collect();
            crate::pipeline::print_timings(&[("first pages", t.elapsed())]);
            if errors.is_empty() { Ok(site) } else { Err(Diagnostics(errors)) }
        });
        let elapsed = start.elapsed();
        let ms = elapsed.as_millis();
        let result = match made {
            Ok(site) => {
                match (self.lang, first) {
                    (Lang::Zh, true) => eprintln!("已生成，用时 {ms} 毫秒"),
                    (Lang::Zh, false) => eprintln!("已重新生成，用时 {ms} 毫秒"),
                    (Lang::En, true) => eprintln!("built in {ms} ms"),
                    (Lang::En, false) => eprintln!("rebuilt in {ms} ms"),
                }
                Ok(Arc::new(site))
            }
            Err(mut diags) => {
                diags.sort();
                let text = diags.render(self.lang);
                eprint!("{text}");
                Err(text)
            }
        };
        let mut state = lock(&self.state);
        state.generation += 1;
        let mut last = None;
        let outcome = match result {
            Ok(site) => {
                last = state.site.replace(site.clone());
                state.error = None;
                let stop = Arc::new(AtomicBool::new(false));
                *lock(&self.stop_pass) = stop.clone();
                let live = self.clone();
                std::thread::spawn(move || live.make_the_rest(&site, &stop));
                Ok(elapsed)
            }
            Err(text) => {
                state.error = Some(text.clone());
                Err(text)
            }
        };
        drop(state);
        self.changed.notify_all();
        // Freeing a large site takes a while: not before the pages are told, nor on this thread.
        if let Some(last) = last {
            std::thread::spawn(move || drop(last));
        }
        outcome
    }

    /// The background pass: makes every page nobody asked for yet, so
    /// browsing is instant and an error in a page nobody opened still shows.
    fn make_the_rest(&self, site: &Arc<Generation>, stop: &AtomicBool) {
        // After a pause, on one thread: an edit usually comes with more, and
        // the next rebuild must not wait for a core.
        let start = Instant::now();
        while start.elapsed() < QUIET_BEFORE_PASS {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let errors = match &self.pass_pool {
            Some(pool) => pool.install(|| site.make_all(stop)),
            None => site.make_all(stop),
        };
        if errors.is_empty() || stop.load(Ordering::Relaxed) {
            return;
        }
        let mut diags = Diagnostics(errors);
        diags.sort();
        let text = diags.render(self.lang);
        eprint!("{text}");
        let mut state = lock(&self.state);
        // Only if this generation is still the one served.
        if state.site.as_ref().is_some_and(|s| Arc::ptr_eq(s, site)) {
            state.error = Some(text);
            state.generation += 1;
            drop(state);
            self.changed.notify_all();
        }
    }
}

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name, value).expect("ASCII header")
}

/// A response with the headers every reply of ours carries.
fn reply(status: u16, content_type: &str, body: Vec<u8>) -> Response<std::io::Cursor<Vec<u8>>> {
    Response::from_data(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        // A preview must never show a stale page.
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
}

fn handle(live: &Arc<Live>, req: Request) {
    let url = req.url().to_owned();
    let (path, query) = url.split_once('?').unwrap_or((&url, ""));
    let response = if !matches!(req.method(), Method::Get | Method::Head) {
        reply(405, "text/plain; charset=utf-8", b"405 Method Not Allowed\n".to_vec()).with_header(header("Allow", "GET, HEAD"))
    } else if path == EVENTS {
        let since = query.split('&').find_map(|kv| kv.strip_prefix("since=")).and_then(|g| g.parse().ok());
        let live = live.clone();
        // An event stream lives as long as its page: a thread of its own.
        std::thread::spawn(move || events(&live, req, since));
        return;
    } else if path == LIVE_JS {
        reply(200, content_type(LIVE_JS), LIVE_JS_SOURCE.into())
    } else if path == OVERLAY_CSS {
        reply(200, content_type(OVERLAY_CSS), OVERLAY_CSS_SOURCE.into())
    } else {
        let (site, error, generation) = {
            let s = lock(&live.state);
            (s.site.clone(), s.error.clone(), s.generation)
        };
        let page = |status: u16, file: &str, bytes: &[u8]| {
            let ctype = content_type(file);
            let body = if ctype.starts_with("text/html") { decorate(bytes, error.as_deref(), generation, live.lang) } else { bytes.to_vec() };
            reply(status, ctype, body)
        };
        let lookup = |p: &str| site.as_ref().and_then(|s| s.get(p));
        match resolve(&lookup, path) {
            Resolved::File(file, Ok(bytes)) => page(200, &file, &bytes),
            // A page whose template fails: the error, in the overlay.
            Resolved::File(_, Err(d)) => {
                let text = Diagnostics(vec![d]).render(live.lang);
                let body = decorate(b"<!doctype html><html><head><meta charset=\"utf-8\"><title>500</title></head><body></body></html>", Some(&text), generation, live.lang);
                reply(500, "text/html; charset=utf-8", body)
            }
            Resolved::Redirect(to) => {
                let to = if query.is_empty() { to } else { format!("{to}?{query}") };
                reply(301, "text/plain; charset=utf-8", Vec::new()).with_header(header("Location", &to))
            }
            Resolved::NotFound => {
                let fallback: &[u8] = b"<!doctype html><html><head><meta charset=\"utf-8\"><title>404</title></head><body><h1>404</h1></body></html>";
                match lookup("404.html") {
                    Some(Ok(bytes)) => page(404, "404.html", &bytes),
                    _ => page(404, "404.html", fallback),
                }
            }
        }
    };
    // tiny_http leaves out the body of a HEAD reply, keeping its Content-Length.
    let _ = req.respond(response);
}

/// What a request path names in the built site.
#[derive(Debug)]
enum Resolved {
    /// The output path, and its bytes or why it could not be made.
    File(String, Made),
    /// A folder asked for without its slash: where to send the browser.
    Redirect(String),
    NotFound,
}

fn resolve(lookup: &dyn Fn(&str) -> Option<Made>, raw_path: &str) -> Resolved {
    let Some(rel) = site_path(raw_path) else { return Resolved::NotFound };
    let wanted = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.clone() };
    if let Some(made) = lookup(&wanted) {
        return Resolved::File(wanted, made);
    }
    if !wanted.ends_with("index.html") && lookup(&format!("{rel}/index.html")).is_some() {
        // Relative links in the page resolve against the folder only with the slash.
        return Resolved::Redirect(crate::render::encode_path(&format!("/{rel}/")));
    }
    Resolved::NotFound
}

/// The output path a request path names (without its leading `/`), or `None`
/// for anything that could name a place outside the site. The site is in
/// memory, so this is a second line of defence, and strict: our own URLs
/// never contain what is refused here.
fn site_path(raw: &str) -> Option<String> {
    let lower = raw.to_ascii_lowercase();
    // Encoded separators, dots and NUL are how traversal hides from checks on the decoded path.
    if ["%2f", "%5c", "%2e", "%00"].iter().any(|e| lower.contains(e)) {
        return None;
    }
    // Decoded once: `%252e` stays the three characters `%2e`.
    let path = String::from_utf8(percent_decode(raw)?).ok()?;
    let rest = path.strip_prefix('/')?;
    if rest.contains('\\') || rest.contains("//") || rest.starts_with('/') || rest.chars().any(char::is_control) {
        return None;
    }
    for seg in rest.split('/') {
        let b = seg.as_bytes();
        let windows_drive = b.len() >= 2 && b[0].is_ascii_alphabetic() && b[1] == b':';
        if seg == "." || seg == ".." || windows_drive {
            return None;
        }
    }
    Some(rest.to_owned())
}

fn percent_decode(s: &str) -> Option<Vec<u8>> {
    let hex = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let (hi, lo) = (hex(*bytes.get(i + 1)?)?, hex(*bytes.get(i + 2)?)?);
            out.push(hi << 4 | lo);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(out)
}

/// Content type by extension; text types say UTF-8, which is all we write.
fn content_type(path: &str) -> &'static str {
    let name = path.rsplit('/').next().unwrap_or(path);
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "txt" | "sha256" | "md" => "text/plain; charset=utf-8",
        "csv" => "text/csv; charset=utf-8",
        "xml" => "application/xml; charset=utf-8",
        "json" => "application/json; charset=utf-8",
        "svg" => "image/svg+xml; charset=utf-8",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        "gif" => "image/gif",
        "webp" => "image/webp",
        "ico" => "image/x-icon",
        "pdf" => "application/pdf",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        _ => "application/octet-stream",
    }
}

/// Adds the reload script before `</body>` and, while the last build failed,
/// the error overlay right after `<body…>`.
fn decorate(html: &[u8], error: Option<&str>, generation: u64, lang: Lang) -> Vec<u8> {
    let mut s = String::from_utf8_lossy(html).into_owned();
    let script = format!("<script src=\"{LIVE_JS}?g={generation}\"></script>");
    match s.rfind("</body>") {
        Some(i) => s.insert_str(i, &script),
        None => s.push_str(&script),
    }
    if let Some(error) = error {
        let (title, note) = match lang {
            Lang::Zh => ("构建失败", "下面是错误；页面是上次成功生成的版本，改正后会自动刷新。"),
            Lang::En => ("Build failed", "The page below is from the last good build; it reloads when the error is fixed."),
        };
        let overlay = format!(
            "<div id=\"gongshi-error\" role=\"alert\"><link rel=\"stylesheet\" href=\"{OVERLAY_CSS}\"><h2>{title}</h2><p>{note}</p><pre>{}</pre></div>",
            escape_html(error)
        );
        let at = s.find("<body").and_then(|i| s[i..].find('>').map(|j| i + j + 1)).unwrap_or(0);
        s.insert_str(at, &overlay);
    }
    s.into_bytes()
}

fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A server-sent events stream: `reload` whenever the generation moves past
/// `since` (the generation the page was served at; now, if not given).
///
/// Written by hand on the raw connection, because tiny_http buffers a
/// `respond()` body and the events would never arrive.
fn events(live: &Live, req: Request, since: Option<u64>) {
    let mut seen = since.unwrap_or_else(|| lock(&live.state).generation);
    let mut w = req.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\n\r\nretry: 1000\n\n";
    if w.write_all(head.as_bytes()).and_then(|()| w.flush()).is_err() {
        return;
    }
    loop {
        let generation = {
            let state = lock(&live.state);
            let (state, _) = live
                .changed
                .wait_timeout_while(state, KEEPALIVE, |s| s.generation == seen && !s.stopping)
                .unwrap_or_else(|e| e.into_inner());
            if state.stopping {
                return;
            }
            state.generation
        };
        let message = if generation != seen {
            seen = generation;
            format!("event: reload\ndata: {generation}\n\n")
        } else {
            ": keepalive\n\n".to_owned()
        };
        // A closed page shows up as a failed write.
        if w.write_all(message.as_bytes()).and_then(|()| w.flush()).is_err() {
            return;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_that_could_leave_the_site_are_refused() {
        for p in [
            "/../site.yml",
            "/%2e%2e/site.yml",
            "/%2E%2E/site.yml",
            "/..%2fsite.yml",
            "/%2e%2e%2fsite.yml",
            "/..\\site.yml",
            "/%5c..%5csite.yml",
            "//etc/passwd",
            "/news/../../site.yml",
            "/news/./a/",
            "/C:/Windows/win.ini",
            "/c:%5cwindows",
            "/a%00.html",
            "/a%zz",
            "/%",
            "relative",
        ] {
            assert_eq!(site_path(p), None, "{p}");
        }
    }

    #[test]
    fn ordinary_paths_are_decoded_once() {
        assert_eq!(site_path("/").as_deref(), Some(""));
        assert_eq!(site_path("/news/a/").as_deref(), Some("news/a/"));
        assert_eq!(site_path("/%E6%96%B0%E9%97%BB/").as_deref(), Some("新闻/"));
        assert_eq!(site_path("/a%252e").as_deref(), Some("a%2e"));
        assert_eq!(site_path("/v1.2/a..b.txt").as_deref(), Some("v1.2/a..b.txt"));
    }

    #[test]
    fn folders_get_index_and_a_slash() {
        let files = ["404.html", "index.html", "news/index.html", "新闻/index.html"];
        let out = |p: &str| files.contains(&p).then(|| Ok(std::sync::Arc::from(&b"x"[..])));
        let r = |p: &str| format!("{:?}", resolve(&out, p));
        assert!(r("/").starts_with("File(\"index.html\", Ok("), "{}", r("/"));
        assert!(r("/news/").starts_with("File(\"news/index.html\", Ok("));
        assert_eq!(r("/news"), "Redirect(\"/news/\")");
        assert_eq!(r("/%E6%96%B0%E9%97%BB"), "Redirect(\"/%E6%96%B0%E9%97%BB/\")");
        assert_eq!(r("/nope"), "NotFound");
        assert_eq!(r("/news/index.html/"), "NotFound");
    }

    #[test]
    fn pages_get_the_script_and_the_overlay() {
        let html = b"<html><body class=\"x\"><p>hi</p></body></html>";
        let plain = String::from_utf8(decorate(html, None, 3, Lang::En)).unwrap();
        assert_eq!(plain, "<html><body class=\"x\"><p>hi</p><script src=\"/__gongshi/live.js?g=3\"></script></body></html>");
        let failed = String::from_utf8(decorate(html, Some("a.md:2:1 <b>"), 4, Lang::Zh)).unwrap();
        assert!(failed.starts_with("<html><body class=\"x\"><div id=\"gongshi-error\" role=\"alert\">"), "{failed}");
        assert!(failed.contains("<h2>构建失败</h2>") && failed.contains("<pre>a.md:2:1 &lt;b&gt;</pre>"), "{failed}");
    }

    #[test]
    fn a_server_starts_rebuilds_and_stops() {
        let opts = BuildOptions {
            root: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/serve"),
            base_url: None,
            drafts: false,
            date: None,
            fallback_date: jiff::civil::date(2026, 11, 20),
        };
        let server = Server::start(opts, "127.0.0.1", 0, Lang::En).unwrap();
        assert_ne!(server.addr().port(), 0);
        assert_eq!(server.generation(), 1);
        let mut s = std::net::TcpStream::connect(server.addr()).unwrap();
        s.write_all(b"GET /news/ HTTP/1.1\r\nConnection: close\r\n\r\n").unwrap();
        let mut reply = String::new();
        std::io::Read::read_to_string(&mut s, &mut reply).unwrap();
        assert!(reply.starts_with("HTTP/1.1 200") && reply.contains("live.js?g=1"), "{reply}");
        assert!(server.rebuild().is_ok());
        assert_eq!(server.generation(), 2);
        server.stop();
    }

    #[test]
    fn content_types() {
        assert_eq!(content_type("index.html"), "text/html; charset=utf-8");
        assert_eq!(content_type("a/site.CSS"), "text/css; charset=utf-8");
        assert_eq!(content_type("manifest.sha256"), "text/plain; charset=utf-8");
        assert_eq!(content_type("v1.2/README"), "application/octet-stream");
        assert_eq!(content_type("a.woff2"), "font/woff2");
    }
}

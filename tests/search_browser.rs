//! Site search in a real browser: the shipped site and the fixture site
//! (`tests/fixtures/search/`) are built under sub-paths, served by a small
//! static file server on loopback, and loaded in headless Chromium. Checks
//! that `search.js` tokenises exactly like `gongshi::search::tokens`, ranks
//! like `Index::query`, highlights matches and never treats the query as HTML.
//!
//! Where Chromium is missing this prints a loud SKIPPED line; under CI (`CI`
//! set) it fails instead.

use gongshi::pipeline::{BuildOptions, build};
use gongshi::search::{self, Index};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn chromium() -> Option<PathBuf> {
    for c in ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable"] {
        if Path::new(c).exists() {
            return Some(PathBuf::from(c));
        }
    }
    None
}

// ------------------------------------------------------------ file server

fn content_type(path: &str) -> &'static str {
    match path.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "xml" => "application/xml",
        _ => "application/octet-stream",
    }
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// Answers one request: `GET /PREFIX/…` from the folder mounted at PREFIX.
fn handle(mut stream: TcpStream, mounts: &[(String, PathBuf)]) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    loop {
        let mut h = String::new();
        match reader.read_line(&mut h) {
            Ok(0) | Err(_) => break,
            Ok(_) if h == "\r\n" || h == "\n" => break,
            Ok(_) => {}
        }
    }
    let target = line.split_whitespace().nth(1).unwrap_or("/");
    let path = target.split(['?', '#']).next().unwrap_or("/");
    let decoded = String::from_utf8(percent_decode(path)).unwrap_or_default();
    let found = mounts.iter().find_map(|(prefix, dir)| {
        let rest = decoded.strip_prefix(prefix.as_str())?;
        if rest.split('/').any(|seg| seg == ".." || seg.contains('\\')) {
            return None;
        }
        let rel = if rest.is_empty() || rest.ends_with('/') { format!("{rest}index.html") } else { rest.to_owned() };
        let file = dir.join(&rel);
        std::fs::read(&file).ok().map(|b| (b, content_type(&rel)))
    });
    let (status, body, ctype) = match found {
        Some((b, t)) => ("200 OK", b, t),
        None => ("404 Not Found", b"not found".to_vec(), "text/plain"),
    };
    let head = format!("HTTP/1.1 {status}\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n", body.len());
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
}

fn serve(listener: TcpListener, mounts: Vec<(String, PathBuf)>) {
    let mounts = std::sync::Arc::new(mounts);
    std::thread::spawn(move || {
        for s in listener.incoming().flatten() {
            let m = mounts.clone();
            std::thread::spawn(move || handle(s, &m));
        }
    });
}

// ------------------------------------------------------------------ sites

struct Site {
    index: Index,
    /// URL of the site root, ending in `/`.
    url: String,
    base_path: String,
}

/// Builds the site at `root` for `url` and writes it into `dir`.
fn build_into(root: &Path, url: &str, dir: &Path) -> Site {
    let opts = BuildOptions { root: root.to_owned(), base_url: Some(url.to_owned()), drafts: false, date: None, fallback_date: jiff::civil::date(2026, 11, 20) };
    let built = match build(&opts) {
        Ok(b) => b,
        Err(d) => panic!("build of {} failed: {d:?}", root.display()),
    };
    for f in &built.output.files {
        let p = dir.join(&f.path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, f.data.bytes().unwrap()).unwrap();
    }
    let base_path = built.site.config.base_path.clone();
    Site { index: search::build(&built.site), url: url.to_owned(), base_path }
}

// --------------------------------------------------------------- browser

/// The DOM of `url` after its scripts ran, from headless Chromium.
fn dump_dom(chrome: &Path, profile: &Path, url: &str) -> String {
    let mut child = Command::new(chrome)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--disable-dev-shm-usage",
            "--virtual-time-budget=5000",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(url)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromium");
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut s = String::new();
        std::io::Read::read_to_string(&mut stdout, &mut s).ok();
        s
    });
    let start = Instant::now();
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if start.elapsed() > Duration::from_secs(90) {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium did not finish loading {url} within 90 s");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    reader.join().unwrap()
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&nbsp;", "\u{a0}").replace("&amp;", "&")
}

fn encode_query(q: &str) -> String {
    let mut out = String::new();
    for b in q.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The result links of a search page's DOM, in order.
fn result_links(dom: &str) -> Vec<String> {
    let Some(start) = dom.find(r#"<ol class="search-list">"#) else { return Vec::new() };
    let end = dom[start..].find("</ol>").map_or(dom.len(), |e| start + e);
    let list = &dom[start..end];
    list.match_indices(r#"<a href=""#).map(|(i, m)| {
        let rest = &list[i + m.len()..];
        unescape(&rest[..rest.find('"').unwrap()])
    }).collect()
}

fn status_text(dom: &str) -> String {
    let Some(i) = dom.find(r#"id="search-status""#) else { return String::new() };
    let rest = &dom[i..];
    let open = rest.find('>').unwrap() + 1;
    let close = rest.find("</p>").unwrap();
    let inner = &rest[open..close];
    // Text only.
    let mut out = String::new();
    let mut tag = false;
    for c in inner.chars() {
        match c {
            '<' => tag = true,
            '>' => tag = false,
            _ if !tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out)
}

struct Browser {
    chrome: PathBuf,
    tmp: tempfile::TempDir,
}

impl Browser {
    /// The DOMs of the URLs, loaded a few at a time, each with its own profile.
    fn doms(&self, urls: &[String]) -> Vec<String> {
        use std::sync::Mutex;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let next = AtomicUsize::new(0);
        let out: Mutex<Vec<Option<String>>> = Mutex::new(vec![None; urls.len()]);
        std::thread::scope(|s| {
            for _ in 0..3 {
                s.spawn(|| loop {
                    let i = next.fetch_add(1, Ordering::SeqCst);
                    if i >= urls.len() {
                        break;
                    }
                    let profile = self.tmp.path().join(format!("profile-{i}"));
                    let dom = dump_dom(&self.chrome, &profile, &urls[i]);
                    out.lock().unwrap()[i] = Some(dom);
                });
            }
        });
        out.into_inner().unwrap().into_iter().map(Option::unwrap).collect()
    }
}

fn search_url(site: &Site, q: &str) -> String {
    format!("{}search/?q={}", site.url, encode_query(q))
}

/// Builds both sites, starts the server and finds Chromium; `None` when
/// Chromium is missing outside CI.
fn setup() -> Option<(Browser, Site, Site, tempfile::TempDir)> {
    let Some(chrome) = chromium() else {
        if std::env::var_os("CI").is_some() {
            panic!("chromium is required for tests/search_browser.rs under CI: apt-get install chromium");
        }
        eprintln!("\n==============================================================\nSKIPPED search_browser: chromium not installed\n==============================================================\n");
        return None;
    };
    let tmp = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let ship_dir = tmp.path().join("ship");
    let fx_dir = tmp.path().join("fx");
    let ship = build_into(&repo(), &format!("http://127.0.0.1:{port}/ztzl/sbdb/"), &ship_dir);
    let fx = build_into(&repo().join("tests/fixtures/search"), &format!("http://127.0.0.1:{port}/sousuo/"), &fx_dir);
    assert_eq!(ship.base_path, "/ztzl/sbdb/");
    serve(listener, vec![(ship.base_path.clone(), ship_dir), (fx.base_path.clone(), fx_dir)]);
    Some((Browser { chrome, tmp: tempfile::tempdir().unwrap() }, ship, fx, tmp))
}

/// Inputs whose tokens, query terms and hashes must be the same in Rust and JS.
fn vector_inputs(ship: &Site, fx: &Site) -> Vec<String> {
    let mut v: Vec<String> = [
        "一段简单", "段简", "王贵玉", "瞪羚", "亩均效益", "哌拉西林", "源经发〔2023〕4号", "源经发〔２０２３〕４号",
        "CSV下载", "ICP备案", "鲁ICP备00000000号", "ＡＢＣ２０２３", "Ｗｉｆｉ\u{3000}覆盖", "总投资5.6亿元",
        "《通知》“树标”、对标，夺标。", "", " ", "a", "Z", "〇", "𠀀字𪚥", "emoji 😀 表情", "café naïve", "Ωμέγα",
        "カタカナ ひらがな 한국어", "tab\there\nnew line", "<b>&amp;</b> & < >", "x_y-z.w", "１２３abcＤＥＦ",
        "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    for idx in [&ship.index, &fx.index] {
        for d in &idx.docs {
            v.push(d.title.clone());
            v.push(d.meta.clone());
            v.push(d.text.clone());
        }
    }
    v
}

/// A copy of the search page that also loads `_test/more.js`, which presses
/// 显示更多结果 once the first results are there and records where focus went.
fn more_page(dir: &Path, base_path: &str) {
    let page = std::fs::read_to_string(dir.join("search/index.html")).unwrap();
    let page = page.replacen("</head>", &format!("<script src=\"{base_path}_test/more.js\" defer></script>\n</head>"), 1);
    std::fs::write(dir.join("_test/more.html"), page).unwrap();
    std::fs::write(
        dir.join("_test/more.js"),
        "(function () {\n\
           var clicked = false, tries = 0;\n\
           function poll() {\n\
             var items = document.querySelectorAll('.search-list > li');\n\
             var more = document.querySelector('.search-more');\n\
             if (!clicked && more && items.length) { clicked = true; more.click(); }\n\
             else if (clicked && items.length > 10) {\n\
               var a = document.activeElement;\n\
               document.body.setAttribute('data-focus', a && a.tagName === 'A' ? a.getAttribute('href') : String(a && a.tagName));\n\
               document.body.setAttribute('data-index', String(Array.prototype.indexOf.call(document.querySelectorAll('.search-list a'), a)));\n\
               return;\n\
             }\n\
             if (++tries < 200) setTimeout(poll, 20);\n\
           }\n\
           document.addEventListener('DOMContentLoaded', poll);\n\
         })();\n",
    )
    .unwrap();
}

fn attr(dom: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let i = dom.find(&key)? + key.len();
    Some(unescape(&dom[i..i + dom[i..].find('"')?]))
}

#[test]
fn search_js_agrees_with_rust_and_renders_results() {
    let Some((browser, ship, fx, tmp)) = setup() else { return };
    let fx_dir = tmp.path().join("fx");

    // Test pages: tokens of every input, and a search page that presses 显示更多结果.
    let inputs = vector_inputs(&ship, &fx);
    let dir = fx_dir.join("_test");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("index.html"),
        format!(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>tokens</title>\
             <script src=\"{0}assets/search.js\" defer></script><script src=\"{0}_test/tokens.js\" defer></script></head>\
             <body><pre id=\"out\">pending</pre></body></html>",
            fx.base_path
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("tokens.js"),
        format!(
            "var INPUTS = {};\n\
             document.addEventListener('DOMContentLoaded', function () {{\n\
               var S = window.GongshiSearch;\n\
               var out = INPUTS.map(function (s) {{\n\
                 var t = S.tokens(s);\n\
                 return {{ tokens: t, terms: S.queryTerms(s), hashes: t.map(S.hash) }};\n\
               }});\n\
               document.getElementById('out').textContent = JSON.stringify(out);\n\
             }});\n",
            serde_json::to_string(&inputs).unwrap()
        ),
    )
    .unwrap();
    more_page(&fx_dir, &fx.base_path);
    // The fixture has few pages; the shipped site has more than 10 for 开发区.
    let ship_dir = tmp.path().join("ship");
    std::fs::create_dir_all(ship_dir.join("_test")).unwrap();
    more_page(&ship_dir, &ship.base_path);

    let ranked: Vec<(&Site, &str)> = vec![
        (&ship, "王贵玉"),
        (&ship, "瞪羚"),
        (&ship, "亩均效益"),
        (&ship, "哌拉西林"),
        (&ship, "源经发〔2023〕4号"),
        (&ship, "开发区"),
        (&ship, "T28"),
        (&fx, "段简"),
        (&fx, "瞪羚"),
        (&fx, "瞪羚企业"),
        (&fx, "CSV下载"),
        (&fx, "abc2023"),
        (&fx, "ＡＢＣ２０２３"),
        (&fx, "测试发〔2026〕7号"),
    ];
    let xss = "<img src=x onerror=alert(1)>段简";
    let mut urls: Vec<String> = vec![format!("{}_test/", fx.url)];
    urls.extend(ranked.iter().map(|(site, q)| search_url(site, q)));
    urls.push(search_url(&fx, "不存在的词语"));
    urls.push(format!("{}search/", fx.url));
    urls.push(search_url(&fx, xss));
    urls.push(format!("{}_test/more.html?q={}", ship.url, encode_query("开发区")));
    let t = Instant::now();
    let doms = browser.doms(&urls);
    println!("{} pages loaded in Chromium in {:.1} s", urls.len(), t.elapsed().as_secs_f64());
    let mut doms = doms.into_iter();

    // 1. Tokens, query terms and hashes: JS == Rust on every input.
    let dom = doms.next().unwrap();
    let start = dom.find(r#"<pre id="out">"#).expect("test page") + r#"<pre id="out">"#.len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let js: Value = serde_json::from_str(&unescape(&dom[start..end])).unwrap_or_else(|e| panic!("JS output is not JSON ({e}): {}", &dom[start..end.min(start + 500)]));
    let js = js.as_array().expect("an array");
    assert_eq!(js.len(), inputs.len());
    for (input, got) in inputs.iter().zip(js) {
        let toks = search::tokens(input);
        let want = json!({
            "tokens": toks,
            "terms": search::query_terms(input),
            "hashes": toks.iter().map(|t| search::hash(t)).collect::<Vec<_>>(),
        });
        assert_eq!(got, &want, "JS and Rust disagree on {input:?}");
    }
    println!("JS and Rust agree on {} inputs", inputs.len());

    // 2. Ranking: the search page lists what `Index::query` gives, in order (first page of 10).
    let mut by_query = std::collections::BTreeMap::new();
    for (site, q) in &ranked {
        let dom = doms.next().unwrap();
        let hits = site.index.query(q);
        let want: Vec<String> = hits.iter().take(10).map(|h| format!("{}{}", site.base_path, h.path)).collect();
        assert_eq!(result_links(&dom), want, "{q}: JS ranking differs from Rust");
        let status = status_text(&dom);
        assert!(status.starts_with(&format!("找到 {} 条结果", hits.len())), "{q}: status {status:?}");
        assert!(dom.contains("<mark>"), "{q}: no highlighted match");
        by_query.insert((site.base_path.as_str(), *q), dom);
    }

    // 3. What the required names show.
    let dom = &by_query[&("/ztzl/sbdb/", "王贵玉")];
    assert_eq!(result_links(dom)[0], "/ztzl/sbdb/people/wang-guiyu/");
    assert!(dom.contains("<mark>王贵玉</mark>"), "{dom}");
    assert!(dom.contains("<title>“王贵玉”的搜索结果 - "), "the window title names the query");
    let dom = &by_query[&("/ztzl/sbdb/", "亩均效益")];
    assert!(dom.contains("“<mark>亩均效益</mark>”"), "the snippet shows the match deep in the plan: {dom}");
    let dom = &by_query[&("/sousuo/", "段简")];
    assert_eq!(result_links(dom), vec!["/sousuo/news/jiandan/".to_owned()]);
    assert!(dom.contains("一<mark>段简</mark>单"), "{dom}");
    // Where the whole query is in a text, only it is marked, not its pairs.
    let dom = &by_query[&("/sousuo/", "瞪羚企业")];
    assert!(dom.contains("<mark>瞪羚企业</mark>后备企业"), "{dom}");
    assert!(!dom.contains("<mark>企业</mark>"), "{dom}");
    let dom = &by_query[&("/sousuo/", "abc2023")];
    assert!(dom.contains("<mark>ＡＢＣ２０２３</mark>"), "full-width text is highlighted as written: {dom}");
    let dom = &by_query[&("/ztzl/sbdb/", "源经发〔2023〕4号")];
    assert_eq!(result_links(dom)[0], "/ztzl/sbdb/documents/sbdb-fangan/");
    assert!(dom.contains("<mark>源经发</mark>〔<mark>2023</mark>〕<mark>4</mark><mark>号</mark>"), "{dom}");

    // 4. No results, an empty query: a message and the 网站地图.
    let dom = doms.next().unwrap();
    assert!(result_links(&dom).is_empty());
    assert_eq!(status_text(&dom), "没有找到与“不存在的词语”有关的内容。可以查看网站地图，按栏目查找。");
    assert!(dom.contains(r#"<a href="/sousuo/sitemap/">网站地图</a>"#));
    let dom = doms.next().unwrap();
    assert_eq!(status_text(&dom), "请输入要搜索的词语。可以查看网站地图，按栏目查找。");

    // 5. The query is text, never markup.
    let dom = doms.next().unwrap();
    assert!(!dom.contains("<img src=\"x\"") && !dom.contains("<img src=x"), "the query became markup: {dom}");
    assert!(dom.contains("&lt;img src=x onerror=alert(1)&gt;段简"), "the query shows as text: {dom}");
    // Every word of it must match, and no page has img, src, onerror…
    assert!(fx.index.query(xss).is_empty());
    assert!(result_links(&dom).is_empty());

    // 6. More than 10 results: the first 10 and a button; pressing it adds
    // the next 10 and moves focus to the first new one.
    let hits = ship.index.query("开发区");
    assert!(hits.len() > 10);
    let dom = &by_query[&("/ztzl/sbdb/", "开发区")];
    assert_eq!(result_links(dom).len(), 10);
    assert!(dom.contains(r#"<button type="button" class="search-more">显示更多结果</button>"#));
    let dom = doms.next().unwrap();
    let want: Vec<String> = hits.iter().take(20).map(|h| format!("{}{}", ship.base_path, h.path)).collect();
    assert_eq!(result_links(&dom), want);
    assert_eq!(attr(&dom, "data-index").as_deref(), Some("10"), "focus on the 11th result");
    assert_eq!(attr(&dom, "data-focus"), Some(want[10].clone()));
    assert_eq!(status_text(&dom), format!("已显示 20 条，共 {} 条结果。", hits.len()));
}

//! `gongshi check` on the rendered output (links, outbound resources, footer,
//! meta tags, CSP, integrity manifest, accessibility lint) and on freshness,
//! with the small sites in `tests/check/output/`:
//!
//! - `good/`: a registered site on the default theme whose pages link every
//!   way a page can (anchors, percent-encoded anchors on other pages, srcset,
//!   allow-listed and marked external links, mailto): no finding.
//! - `content-bad/`: raw HTML in Markdown breaks the link, external-resource,
//!   hidden-link and accessibility rules, and a style sheet loads from
//!   another host.
//! - `theme-bad/` and `theme-good/`: a site's own `base.html` (and page and
//!   section templates) without, and with, what every page needs: footer
//!   identifiers and the 党政机关 badge, meta tags, CSP, viewport; redirect
//!   pages (`<meta http-equiv="refresh">`) are exempt but their target is checked.
//! - `stale/`: undated items, stale and empty columns, checked on two dates.
//!
//! Findings about output files name the line of the built HTML; the tests
//! build the same site and look the line up, so they follow theme changes.

mod common;
use common::*;
use std::path::{Path, PathBuf};

/// Every rule of the two families under test.
const RULES: &[&str] = &[
    "GOV-VETO-02", "SEC-EXT-01", "SEC-EXT-02", "SEC-EXT-03", "SEC-INT-01", "SEC-INT-02",
    "GOV-FOOT-01", "GOV-FOOT-02", "GOV-FOOT-03", "GOV-FOOT-04", "GOV-FOOT-05", "GOV-FOOT-06",
    "GOV-META-01", "GOV-META-02", "GOV-META-03", "GOV-SITE-02", "GOV-SITE-03",
    "A11Y-02", "A11Y-06", "A11Y-07",
    "GOV-SITE-06", "GOV-UPD-01", "GOV-UPD-02", "GOV-UPD-03", "GOV-UPD-04", "GOV-UPD-05",
];

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/check/output").join(name)
}

#[derive(Debug, Clone)]
struct Finding {
    rule: String,
    severity: String,
    file: String,
    line: u64,
    message: String,
}

/// The findings of this family in `check --format json` (no `--date`: the site's own).
fn check(root: &Path, date: Option<&str>) -> Vec<Finding> {
    check_with(root, date, &[])
}

fn check_with(root: &Path, date: Option<&str>, extra: &[&str]) -> Vec<Finding> {
    let mut cmd = gongshi("C.UTF-8");
    cmd.args(["check", "--format", "json", "--root"]).arg(root).args(extra);
    if let Some(d) = date {
        cmd.args(["--date", d]);
    }
    let o = cmd.output().unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("JSON ({e}), exit {:?}:\n{stdout}\n{}", o.status.code(), String::from_utf8_lossy(&o.stderr)));
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| RULES.contains(&f["rule"].as_str().unwrap()))
        .map(|f| Finding {
            rule: f["rule"].as_str().unwrap().to_owned(),
            severity: f["severity"].as_str().unwrap().to_owned(),
            file: f["file"].as_str().unwrap().to_owned(),
            line: f["line"].as_u64().unwrap_or(0),
            message: f["message_en"].as_str().unwrap().to_owned(),
        })
        .collect()
}

/// The site built (as a preview, errors and all) into a temporary folder.
fn build(root: &Path, date: &str) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = gongshi("C.UTF-8").args(["build", "--preview", "--date", date, "--root"]).arg(root).arg("--output").arg(&out).output().unwrap();
    assert!(out.join("index.html").exists(), "build failed:\n{}", String::from_utf8_lossy(&o.stderr));
    tmp
}

/// 1-based line of the first occurrence of `needle` in `file`.
fn line_of(file: &Path, needle: &str) -> u64 {
    let text = std::fs::read_to_string(file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let at = text.find(needle).unwrap_or_else(|| panic!("{needle:?} not in {}:\n{text}", file.display()));
    text[..at].matches('\n').count() as u64 + 1
}

fn show(found: &[Finding]) -> String {
    found.iter().map(|f| format!("  {} {} {}:{} {}\n", f.rule, f.severity, f.file, f.line, f.message)).collect()
}

/// A site under test: its findings and its built output.
struct Site {
    found: Vec<Finding>,
    out: tempfile::TempDir,
}

impl Site {
    fn new(root: &Path, date: &str) -> Site {
        Site { found: check(root, Some(date)), out: build(root, date) }
    }

    fn line(&self, file: &str, needle: &str) -> u64 {
        line_of(&self.out.path().join("public").join(file), needle)
    }

    /// A finding of `rule` in output `file` on the line holding `needle`.
    fn expect(&self, rule: &str, file: &str, needle: &str) {
        let line = self.line(file, needle);
        assert!(
            self.found.iter().any(|f| f.rule == rule && f.file == file && f.line == line),
            "expected {rule} at {file}:{line} ({needle:?}); found:\n{}",
            show(&self.found)
        );
    }

    /// No finding at all on the line holding `needle`.
    fn clean(&self, file: &str, needle: &str) {
        let line = self.line(file, needle);
        let on: Vec<Finding> = self.found.iter().filter(|f| f.file == file && f.line == line).cloned().collect();
        assert!(on.is_empty(), "expected nothing at {file}:{line} ({needle:?}); found:\n{}", show(&on));
    }
}

/// Copies a fixture to a temporary folder and lets `edit` change its `site.yml`.
fn edited(name: &str, edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    fixture_with_site_yml(&fixture(name), edit)
}

#[test]
fn a_good_site_has_no_finding() {
    let found = check(&fixture("good"), Some("2026-11-20"));
    assert!(found.is_empty(), "{}", show(&found));
    let found = check(&fixture("theme-good"), Some("2026-11-20"));
    assert!(found.is_empty(), "{}", show(&found));
}

#[test]
fn links() {
    let s = Site::new(&fixture("content-bad"), "2026-11-20");
    let f = "news/links/index.html";
    s.expect("GOV-VETO-02", f, "/test/news/nope/");
    s.expect("GOV-VETO-02", f, "/other/page/");
    s.expect("GOV-VETO-02", f, "href=\"#nowhere\"");
    s.expect("GOV-VETO-02", f, "/test/about/#nowhere");
    s.expect("GOV-VETO-02", f, "missing.png");
    s.expect("SEC-EXT-02", f, "www.shop.example.com");
    s.expect("SEC-EXT-02", f, "https://example.net/");
    s.expect("GOV-SITE-03", f, "http://example.gov.cn/test/about/");
    // The search index is made after the pages, which are checked as they
    // are made: a link into it is checked once it exists.
    s.expect("GOV-VETO-02", f, "/test/search/idx/none.json");
    for ok in ["他页的锚点", "www.miit.gov.cn", "https://example.org/", "https://example.gov.cn/test/about/", "/portal/", "mailto:", "/test/search/meta.json"] {
        s.clean(f, ok);
    }
    // A style sheet: @import and url() from another host, a missing file, http.
    let css = "style.css";
    s.expect("SEC-EXT-01", css, "fonts.example.com");
    s.expect("SEC-EXT-01", css, "//cdn.example.com/logo.png");
    s.expect("GOV-VETO-02", css, "news/missing.png");
    s.expect("GOV-SITE-03", css, "http://example.gov.cn/test/news/photo.png");
    s.clean(css, "/test/base.css");
    s.clean(css, ".bg");
}

#[test]
fn outside_resources() {
    let s = Site::new(&fixture("content-bad"), "2026-11-20");
    let f = "news/assets/index.html";
    s.expect("SEC-EXT-01", f, "cdn.example.com/analytics.js");
    s.expect("SEC-EXT-01", f, "//cdn.example.com/banner.png");
    s.expect("SEC-EXT-01", f, "video.example.com");
    s.expect("SEC-EXT-01", f, "img.example.com");
    s.expect("GOV-SITE-03", f, "http://example.gov.cn/test/news/photo.png");
}

#[test]
fn hidden_links() {
    let s = Site::new(&fixture("content-bad"), "2026-11-20");
    let f = "news/hidden/index.html";
    for needle in ["隐藏属性", "不显示", "零字号", "负缩进", "父元素隐藏", "<a href=\"/test/\"></a>"] {
        s.expect("SEC-EXT-03", f, needle);
    }
    s.expect("A11Y-06", f, "<a href=\"/test/\"></a>");
    s.clean(f, "正常链接");
}

#[test]
fn accessibility() {
    let s = Site::new(&fixture("content-bad"), "2026-11-20");
    let f = "news/a11y/index.html";
    s.expect("A11Y-06", f, ">正文中的一级标题</h1>"); // a second h1
    s.expect("A11Y-06", f, ">跳级的四级标题</h4>"); // h1 → h4
    s.expect("A11Y-06", f, "<p><img src=\"/test/news/photo.png\"></p>"); // no alt
    s.expect("A11Y-06", f, "没有表头");
    s.expect("A11Y-06", f, "id=\"q1\""); // unlabelled input and textarea
    s.expect("A11Y-06", f, "<rect width=\"10\" height=\"10\"/></svg>\n"); // svg role=img without title
    s.expect("A11Y-07", f, "autoplay");
    s.expect("A11Y-07", f, "<marquee>");
    s.expect("A11Y-02", f, "status status-done");
    s.expect("A11Y-02", f, "standing standing-");
    s.clean(f, "有标题的图");
    s.clean(f, "<audio");
    s.clean(f, "示例数据");
    let q1 = s.line(f, "id=\"q1\"");
    let unlabelled = s.found.iter().filter(|x| x.file == f && x.line == q1 && x.rule == "A11Y-06").count();
    assert_eq!(unlabelled, 2, "the input without a label and the textarea:\n{}", show(&s.found));
}

#[test]
fn templates() {
    let s = Site::new(&fixture("theme-bad"), "2026-11-20");
    // base.html's problems are on every page: reported once, on the first.
    let f = "404.html";
    s.expect("A11Y-06", f, "<html>");
    s.expect("GOV-META-01", f, "<head>");
    s.expect("GOV-SITE-02", f, "name=\"viewport\"");
    s.expect("SEC-INT-02", f, "Content-Security-Policy");
    s.expect("SEC-EXT-01", f, "fonts.example.com");
    s.expect("GOV-SITE-03", f, "favicon.ico");
    s.expect("GOV-VETO-02", f, "favicon.ico");
    for rule in ["GOV-FOOT-01", "GOV-FOOT-02", "GOV-FOOT-03", "GOV-FOOT-04", "GOV-FOOT-05", "GOV-FOOT-06"] {
        s.expect(rule, f, "<footer");
    }
    let once = s.found.iter().filter(|x| x.rule == "GOV-FOOT-01").count();
    assert_eq!(once, 1, "a template's problem is reported once:\n{}", show(&s.found));
    // section.html and page.html.
    s.expect("GOV-META-02", "news/index.html", "<head>");
    s.expect("GOV-META-02", "news/index.html", "content=\"新闻\"");
    s.expect("A11Y-02", "news/index.html", "class=\"badge\"");
    s.expect("GOV-META-03", "news/n1/index.html", "<head>");
    s.expect("GOV-META-03", "news/n1/index.html", "name=\"PubDate\"");
    s.expect("A11Y-07", "news/n1/index.html", "autoplay");
    s.expect("A11Y-06", "bare/index.html", "<body>"); // no h1
    // Redirect pages need no footer, meta or CSP; where they send readers must exist.
    assert!(!s.found.iter().any(|x| x.file == "moved/index.html"), "{}", show(&s.found));
    s.expect("GOV-VETO-02", "gone/index.html", "no-such-page");
    assert_eq!(s.found.iter().filter(|x| x.file == "gone/index.html").count(), 1, "{}", show(&s.found));
}

/// Rules on `site.yml` itself, and switching a rule off.
#[test]
fn site_settings() {
    let site = edited("good", |t| t.replace("base_url: https://", "base_url: http://"));
    let found = check(site.path(), Some("2026-11-20"));
    let line = line_of(&site.path().join("site.yml"), "base_url:");
    assert!(found.iter().any(|f| f.rule == "GOV-SITE-03" && f.file == "site.yml" && f.line == line), "{}", show(&found));
    // The same from --base-url is reported against the flag; a loopback preview address is no publication.
    let found = check_with(&fixture("good"), Some("2026-11-20"), &["--base-url", "http://www.example.gov.cn/test/"]);
    assert!(found.iter().any(|f| f.rule == "GOV-SITE-03" && f.file == "--base-url"), "{}", show(&found));
    let found = check_with(&fixture("good"), Some("2026-11-20"), &["--base-url", "http://127.0.0.1:8080/test/"]);
    assert!(found.is_empty(), "{}", show(&found));

    // Registered (check.registered) without the numbers, or with a malformed one.
    let site = edited("good", |t| {
        let t = t.replace("  icp: 鲁ICP备12345678号\n", "  icp: ICP备12345678\n").replace("  police: 鲁公网安备37032302000001号\n", "").replace("  site_code: \"3703230001\"\n", "");
        t + "check: {registered: true}\n"
    });
    let found = check(site.path(), Some("2026-11-20"));
    let yml = site.path().join("site.yml");
    let at = |rule: &str, needle: &str| {
        let line = line_of(&yml, needle);
        assert!(found.iter().any(|f| f.rule == rule && f.file == "site.yml" && f.line == line), "{rule} at site.yml:{line}:\n{}", show(&found));
    };
    at("GOV-FOOT-02", "icp:");
    at("GOV-FOOT-03", "registration:");
    at("GOV-FOOT-05", "registration:");
    // Without a 网站标识码 to show, every page lacks SiteIDCode (reported once).
    assert!(found.iter().any(|f| f.rule == "GOV-META-01" && f.message.contains("SiteIDCode")), "{}", show(&found));

    // A rule switched off reports nothing.
    let site = edited("content-bad", |t| t + "  severity: {GOV-VETO-02: off, SEC-EXT-02: warning}\n");
    let found = check(site.path(), Some("2026-11-20"));
    assert!(!found.iter().any(|f| f.rule == "GOV-VETO-02"), "{}", show(&found));
    assert!(found.iter().filter(|f| f.rule == "SEC-EXT-02").all(|f| f.severity == "warning"), "{}", show(&found));
}

#[test]
fn freshness() {
    let root = fixture("stale");
    let title = |section: &str| line_of(&root.join("content").join(section).join("_index.md"), "title:");
    let has = |found: &[Finding], rule: &str, severity: &str, file: &str, line: u64| {
        assert!(
            found.iter().any(|f| f.rule == rule && f.severity == severity && f.file == file && f.line == line),
            "expected {rule} ({severity}) at {file}:{line}; found:\n{}",
            show(found)
        );
    };
    let found = check(&root, Some("2026-11-20"));
    // The newest news (2026-11-08; 2026-12-25 is not published yet) is 12 days old: a warning.
    has(&found, "GOV-UPD-01", "warning", "content/_index.md", title(""));
    has(&found, "GOV-SITE-06", "error", "content/news/undated.md", line_of(&root.join("content/news/undated.md"), "title:"));
    has(&found, "GOV-SITE-06", "error", "content/notices/n.md", line_of(&root.join("content/notices/n.md"), "title:"));
    has(&found, "GOV-UPD-03", "warning", "content/documents/_index.md", title("documents"));
    has(&found, "GOV-UPD-03", "warning", "content/notices/_index.md", title("notices")); // no dated item
    has(&found, "GOV-UPD-03", "warning", "content/projects/_index.md", title("projects")); // 2027 milestone not reached
    has(&found, "GOV-UPD-04", "warning", "content/people/_index.md", title("people"));
    has(&found, "GOV-UPD-05", "error", "content/empty/_index.md", title("empty"));
    has(&found, "GOV-UPD-02", "warning", "content/archive/_index.md", title("archive")); // empty, not in the navigation
    // Fresh: news within 14 days, a task's 进展, areas within 12 months, a
    // people column whose _index.md says when it was last reviewed (更新日期).
    for fresh in ["content/news/_index.md", "content/tasks/_index.md", "content/areas/_index.md", "content/leaders/_index.md"] {
        assert!(!found.iter().any(|f| f.file == fresh), "{fresh}:\n{}", show(&found));
    }

    // Eleven days later the home page is over the limit and the news column stale.
    let found = check(&root, Some("2026-12-01"));
    has(&found, "GOV-UPD-01", "error", "content/_index.md", title(""));
    has(&found, "GOV-UPD-02", "warning", "content/news/_index.md", title("news"));
    // Within the period nothing is said.
    let found = check(&fixture("good"), Some("2026-11-20"));
    assert!(found.is_empty(), "{}", show(&found));
}

/// SEC-INT-01 cannot be broken through the CLI (check builds the output and
/// its manifest together), so the output is tampered with in memory.
#[test]
fn manifest() {
    use gongshi::output::{Data, OutFile};
    let opts = gongshi::pipeline::BuildOptions {
        root: fixture("good"),
        base_url: None,
        drafts: false,
        date: Some("2026-11-20".parse().unwrap()),
        fallback_date: "2026-11-20".parse().unwrap(),
    };
    let mut built = gongshi::pipeline::build(&opts).unwrap_or_else(|d| panic!("{d:?}"));
    let mut diags = gongshi::diag::Diagnostics::default();
    let settings = gongshi::check::settings::parse(&built.site.config.check, &built.site.config, &mut diags);
    let run = |built: &gongshi::pipeline::Built| -> Vec<(String, Option<usize>, String)> {
        let ctx = gongshi::check::Ctx::new(&built.site, &built.output, &settings, gongshi::calendar::Calendar::builtin(), &opts.root);
        let mut out = Vec::new();
        gongshi::check::output::check(&ctx, &mut out);
        out.into_iter().filter(|d| d.code == "SEC-INT-01").map(|d| (d.file, d.span.map(|s| s.line), d.message.en)).collect()
    };
    assert_eq!(run(&built), vec![], "the manifest the build writes is right");

    let manifest = String::from_utf8(built.output.get("manifest.sha256").unwrap().data.bytes().unwrap().into_owned()).unwrap();
    let line = |path: &str| manifest.lines().position(|l| l.ends_with(&format!("  {path}"))).map(|i| i + 1);
    let about = line("about/index.html");
    for f in &mut built.output.files {
        if f.path == "about/index.html" {
            f.data = Data::Bytes(b"<p>changed</p>".to_vec());
        }
    }
    built.output.files.retain(|f| f.path != "atom.xml");
    built.output.files.push(OutFile { path: "extra.txt".to_owned(), data: Data::Bytes(b"x".to_vec()) });
    built.output.sort();
    let mut found = run(&built);
    found.sort();
    assert_eq!(
        found,
        vec![
            ("manifest.sha256".to_owned(), None, "the manifest does not list extra.txt".to_owned()),
            ("manifest.sha256".to_owned(), about, "the manifest's SHA-256 of about/index.html does not match the file".to_owned()),
            ("manifest.sha256".to_owned(), line("atom.xml"), "the manifest lists atom.xml, which is not in the output".to_owned()),
        ]
    );

    built.output.files.retain(|f| f.path != "manifest.sha256");
    assert_eq!(run(&built), vec![("manifest.sha256".to_owned(), None, "the output has no SHA-256 manifest manifest.sha256".to_owned())]);
}

/// The shipped site (repo root, its pinned build date) passes these rules.
#[test]
fn shipped_site_passes() {
    let found = check(&repo(), None);
    assert!(found.is_empty(), "{}", show(&found));
}

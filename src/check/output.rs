//! The rendered output: links (GOV-VETO-02, SEC-EXT-02/03), footer and meta
//! (GOV-FOOT-*, GOV-META-*, GOV-SITE-02/03), self-contained pages and
//! integrity (SEC-EXT-01, SEC-INT-01/02), accessibility lint (A11Y-02/06/07).
//!
//! Every HTML file of the output is scanned once (in parallel): its ids, its
//! links and the page-local rules come out of one pass over its tags. In a
//! build, the pages are scanned as they are rendered ([`watch_pages`]), the
//! rest of the files afterwards. Links to an anchor of another page are
//! checked afterwards against the ids the first pass collected. Findings
//! point at the output file, with the line of that HTML; a page made from a
//! source file names it in a note.
//!
//! A problem a template puts on every page (a footer without the ICP number,
//! a broken link in the navigation) is reported once, on the first page, with
//! a note counting the other pages: a 10,000-page site gets one finding, not
//! 10,000.
//!
//! How the rules read the output:
//!
//! - A site URL is a path under `base_path` (or a full URL starting with the
//!   base URL); `dir/` is `dir/index.html`, `dir` (a server redirects it) too.
//!   A path outside the base path cannot be checked and counts as broken; a
//!   full URL on the site's host outside the base path is the parent portal,
//!   an outbound link.
//! - An outbound link is fine when its host is on `external_allow` (suffix
//!   match) or it is marked as leaving the site: `rel="external"` plus the
//!   words 离开本站 in the link or `class="leaves-site"`.
//! - `http://` on a loopback host (`serve`, a local test server) is a preview,
//!   not a publication, and is not reported.
//! - A redirect page (`<meta http-equiv="refresh">`) needs no footer, meta
//!   tags, CSP, viewport, lang or h1; its links and its target are checked.
//! - The footer is the `<footer>` with class `site-footer` or role
//!   `contentinfo`, else the last one outside main/article/section/aside/nav.

use super::{Ctx, html};
use crate::diag::{Diagnostic, Span};
use crate::lang::Msg;
use crate::model::{Kind, Section, Site};
use crate::msg;
use rayon::prelude::*;
use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};

/// The ColumnType vocabulary of the 政府网站网页设计规范 (GOV-RULES §1.2).
const COLUMN_TYPES: &[&str] = &[
    "首页",
    "概况信息",
    "机构职能",
    "负责人信息",
    "工作动态",
    "政策文件",
    "信息公开指南",
    "信息公开目录",
    "信息公开年报",
    "依法申请公开",
    "数据发布",
    "数据开放",
    "政策解读",
    "回应关切",
    "办事服务",
    "咨询投诉",
    "征集调查",
    "在线访谈",
];

/// Elements without an end tag.
fn is_void(name: &str) -> bool {
    matches!(name, "area" | "base" | "br" | "col" | "embed" | "hr" | "img" | "input" | "link" | "meta" | "param" | "source" | "track" | "wbr")
}

/// `<link rel>` values that only point somewhere; every other `<link>` loads something.
const NAV_RELS: &[&str] = &["alternate", "canonical", "author", "license", "help", "me", "next", "prev", "search", "bookmark", "external", "nofollow", "noopener", "noreferrer"];

const PROVINCES: &str = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼港澳台";

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let files = &ctx.output.files;
    let env = Env::new(ctx, files.iter().map(|f| f.path.as_str()), None);
    config_checks(ctx, out);

    // Pages scanned as they were made (see [`watch_pages`]); the rest now,
    // with one read of each file for both its scan and its SHA-256 (the
    // files may come from disk).
    let mut scanned = std::mem::take(&mut *ctx.scanned.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner));
    let mut ready: Vec<(usize, Option<Scan>, Option<Digest>)> = Vec::with_capacity(scanned.len());
    let mut order: Vec<usize> = Vec::with_capacity(files.len().saturating_sub(scanned.len()));
    for (i, f) in files.iter().enumerate() {
        match scanned.remove(f.path.as_str()) {
            Some(scan) if !scan.unsure => ready.push((i, Some(scan), f.data.sha256().ok())),
            _ => order.push(i),
        }
    }
    // Largest first: a ledger's listing of 10,000 tasks (5 MB) scanned last
    // kept one core busy after the other had finished.
    order.sort_by_key(|&i| std::cmp::Reverse(files[i].data.len_hint().unwrap_or(0)));
    let mut done: Vec<(usize, Option<Scan>, Option<Digest>)> = order
        .into_par_iter()
        .with_max_len(1)
        .map(|i| {
            let (s, d) = scan_file(ctx, &env, &files[i]);
            (i, s, d)
        })
        .collect();
    done.extend(ready);
    done.sort_unstable_by_key(|(i, ..)| *i);
    let (scans, digests): (Vec<Option<Scan>>, Vec<Option<Digest>>) = done.into_iter().map(|(_, s, d)| (s, d)).unzip();

    // Anchors on other pages, now that every page's ids are known.
    let mut ids: FastMap<&str, &FastSet<String>> = FastMap::with_capacity_and_hasher(files.len(), Default::default());
    ids.extend(files.iter().zip(&scans).filter_map(|(f, s)| Some((f.path.as_str(), &s.as_ref()?.ids))));
    let late: Vec<Vec<Diagnostic>> = files
        .par_iter()
        .zip(&scans)
        .map(|(f, s)| {
            let Some(s) = s else { return Vec::new() };
            let bad: Vec<&Pending> = s.pending.iter().filter(|p| ids.get(p.target.as_str()).is_some_and(|set| !set.contains(&p.fragment))).collect();
            if bad.is_empty() {
                return Vec::new();
            }
            let Ok(bytes) = f.data.bytes() else { return Vec::new() };
            let text = utf8(&bytes);
            let lines = Lines::new(&text);
            bad.into_iter()
                .filter_map(|p| {
                    let d = ctx.finding(
                        "GOV-VETO-02",
                        f.path.as_str(),
                        msg!("链接 {} 指向的页面中没有锚点“#{}”", "link {} points at anchor `#{}`, which its page does not have", p.url, p.fragment),
                    )?;
                    Some(with_source(&env, &f.path, lines.place(d, p.offset, p.len)).with_help(msg!("改正 # 后面的锚点，或删去它", "correct the part after #, or remove it")))
                })
                .collect()
        })
        .collect();

    let mut found: Vec<Diagnostic> = Vec::new();
    for (s, l) in scans.into_iter().zip(late) {
        if let Some(s) = s {
            found.extend(s.diags);
        }
        found.extend(l);
    }
    out.extend(fold_repeats(found));
    manifest(ctx, out, &digests);
}

type Digest = [u8; 32];

/// Pages scanned while they were made, by output path.
#[derive(Default)]
pub(crate) struct Scanned(std::sync::Mutex<HashMap<String, Scan>>);

/// Renders the pages (`pages`) scanning each HTML page as it is made, while
/// its bytes are at hand: reading every page of a large site back from disk
/// was a fifth of the check. `paths` are the output files' (what links may
/// point at) but those in the folder `later`; [`check`] takes the scans from
/// `into`, and scans the rest and any that linked into `later`.
pub(crate) fn watch_pages(ctx: &Ctx<'_>, paths: &[&str], later: Option<&str>, into: &Scanned, pages: &mut dyn FnMut(Option<crate::render::Inspect<'_>>)) {
    let env = Env::new(ctx, paths.iter().copied(), later);
    let inspect = |path: &str, bytes: &[u8]| {
        if let Some(FileKind::Html) = FileKind::of(path) {
            let scan = scan_html(ctx, &env, path, &utf8(bytes));
            into.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(path.to_owned(), scan);
        }
    };
    pages(Some(&inspect));
}

/// The scan of an HTML or CSS file, and the SHA-256 of every file but the manifest.
fn scan_file<'a>(ctx: &Ctx<'a>, env: &Env<'a>, f: &crate::output::OutFile) -> (Option<Scan>, Option<Digest>) {
    use sha2::Digest as _;
    let kind = FileKind::of(&f.path);
    let hashed = f.path != crate::output::MANIFEST;
    if kind.is_none() && !hashed {
        return (None, None);
    }
    // A file written while rendering was hashed then: no need to read it for that.
    if let (true, crate::output::Data::Staged { sha256, .. }) = (kind.is_none(), &f.data) {
        return (None, hashed.then_some(*sha256));
    }
    let Ok(bytes) = f.data.bytes() else { return (None, None) };
    let digest = hashed.then(|| match &f.data {
        crate::output::Data::Staged { sha256, .. } => *sha256,
        _ => sha2::Sha256::digest(&bytes).into(),
    });
    let scan = kind.map(|kind| {
        let text = utf8(&bytes);
        match kind {
            FileKind::Html => scan_html(ctx, env, &f.path, &text),
            FileKind::Css => scan_css_file(ctx, env, &f.path, &text),
        }
    });
    (scan, digest)
}

/// The text of a file: checked with the fast validator, lossily only when it
/// is not UTF-8 (`from_utf8_lossy` on every page showed in profiles).
fn utf8(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    match crate::source::utf8(bytes) {
        Ok(s) => s.into(),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

// ---------------------------------------------------------------------------
// What the whole site tells the page checks.

/// FNV-1a: paths and URLs are short, and SipHash showed in profiles.
#[derive(Default)]
struct Fnv(u64);

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FastSet<K> = HashSet<K, std::hash::BuildHasherDefault<Fnv>>;
type FastMap<K, V> = HashMap<K, V, std::hash::BuildHasherDefault<Fnv>>;

struct Env<'a> {
    base_path: &'a str,
    /// Host of `base_url`, lower case, without a default port; `None` for a bare path.
    host: Option<String>,
    files: FastSet<&'a str>,
    /// The output files' paths, in order.
    paths: Vec<&'a str>,
    /// Every site URL that names an output file as written in pages
    /// (`/base/news/a/index.html`, `/base/news/a/`, `/base/news/a`), so most
    /// links resolve with one lookup. Made when first wanted: after a build,
    /// the checks mostly scan only style sheets, which do not use it.
    by_url: std::sync::OnceLock<FastMap<String, &'a str>>,
    /// Output file → source file it was made from.
    sources: FastMap<String, &'a str>,
    /// Section listings (home, sections, their pagination pages).
    listings: FastSet<String>,
    /// Pages of plain sections and documents.
    articles: FastSet<String>,
    allow: Vec<String>,
    sitemap: String,
    feedback: String,
    /// What the text of a footer says, by the footer's HTML: every page
    /// repeats the same footer, and reading its text showed in profiles.
    footers: std::sync::Mutex<Vec<(String, std::sync::Arc<FooterText>)>>,
    /// The folder of output files not made yet, when pages are scanned as
    /// they are made ([`watch_pages`]): `paths` lacks them.
    later: Option<&'a str>,
}

/// Footers remembered at once (a site has one or two).
const FOOTERS_KEPT: usize = 8;

enum FileKind {
    Html,
    Css,
}

impl FileKind {
    fn of(path: &str) -> Option<FileKind> {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".html") || lower.ends_with(".htm") {
            Some(FileKind::Html)
        } else if lower.ends_with(".css") {
            Some(FileKind::Css)
        } else {
            None
        }
    }
}

fn page_count(site: &Site, s: &Section) -> usize {
    match (s.kind, s.paginate_by.unwrap_or(site.config.paginate_by)) {
        (None, per) if !s.pages.is_empty() => s.pages.len().div_ceil(per.max(1)),
        _ => 1,
    }
}

fn out_file(path: &str) -> String {
    if path.ends_with(".html") { path.to_owned() } else { format!("{path}index.html") }
}

impl<'a> Env<'a> {
    /// The site's facts, with `paths` the output files' paths.
    fn new(ctx: &'a Ctx<'a>, paths: impl Iterator<Item = &'a str> + Clone, later: Option<&'a str>) -> Env<'a> {
        let site = ctx.site;
        let mut sources = FastMap::default();
        let mut listings = FastSet::default();
        let mut articles = FastSet::default();
        for p in &site.pages {
            let f = out_file(&p.path);
            if matches!(site.sections[p.section].kind, None | Some(Kind::Document)) {
                articles.insert(f.clone());
            }
            sources.insert(f, p.file.as_str());
        }
        for (i, s) in site.sections.iter().enumerate() {
            if i > 0 && !s.has_index && s.pages.is_empty() {
                continue;
            }
            for n in 1..=page_count(site, s) {
                let f = if n <= 1 { out_file(&s.path) } else { format!("{}page/{n}/index.html", s.path) };
                if s.has_index {
                    sources.insert(f.clone(), s.file.as_str());
                }
                listings.insert(f);
            }
        }
        Env {
            base_path: &site.config.base_path,
            host: split_url(&site.config.base_url).map(|(_, h, _)| h),
            files: paths.clone().collect(),
            paths: paths.collect(),
            by_url: std::sync::OnceLock::new(),
            sources,
            listings,
            articles,
            allow: ctx.settings.external_allow.iter().map(|a| a.trim().trim_start_matches("*.").trim_start_matches('.').to_lowercase()).filter(|a| !a.is_empty()).collect(),
            sitemap: out_file(crate::render::SITE_MAP_PATH),
            feedback: out_file(crate::render::FEEDBACK_PATH),
            footers: std::sync::Mutex::new(Vec::new()),
            later,
        }
    }

    fn by_url(&self) -> &FastMap<String, &'a str> {
        self.by_url.get_or_init(|| {
            let base = self.base_path;
            let mut m = FastMap::with_capacity_and_hasher(self.paths.len() * 3, Default::default());
            for &p in &self.paths {
                m.insert(format!("{base}{p}"), p);
                if let Some(dir) = p.strip_suffix("index.html").filter(|d| d.is_empty() || d.ends_with('/')) {
                    m.insert(format!("{base}{dir}"), p);
                    if !dir.is_empty() {
                        m.insert(format!("{base}{}", &dir[..dir.len() - 1]), p);
                    }
                }
            }
            m
        })
    }

    /// Whether `path` is in the folder of files not made yet.
    fn made_later(&self, path: &str) -> bool {
        self.later.is_some_and(|l| path.starts_with(l))
    }

    /// [`FooterText::read`] of `html`, made once per distinct footer.
    fn footer_text(&self, config: &crate::config::SiteConfig, html: &str) -> std::sync::Arc<FooterText> {
        let lock = || self.footers.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some((_, t)) = lock().iter().find(|(h, _)| h == html) {
            return t.clone();
        }
        let t = std::sync::Arc::new(FooterText::read(config, html));
        let mut kept = lock();
        if kept.len() < FOOTERS_KEPT {
            kept.push((html.to_owned(), t.clone()));
        }
        t
    }

    fn allowed(&self, host: &str) -> bool {
        self.allow.iter().any(|a| host == a || (host.len() > a.len() && host.ends_with(a.as_str()) && host.as_bytes()[host.len() - a.len() - 1] == b'.'))
    }

    fn exists<'p>(&self, path: &'p str) -> Option<std::borrow::Cow<'p, str>> {
        if self.files.contains(path) {
            return Some(path.into());
        }
        // `dir` without the slash: servers redirect it to `dir/`.
        let dir = format!("{path}/index.html");
        self.files.contains(dir.as_str()).then_some(dir.into())
    }
}

fn with_source(env: &Env<'_>, path: &str, d: Diagnostic) -> Diagnostic {
    match env.sources.get(path) {
        Some(src) if d.note.is_none() => d.with_note(msg!("本页由 {src} 生成", "this page is made from {src}")),
        _ => d,
    }
}

// ---------------------------------------------------------------------------
// URLs.

/// `scheme://authority/rest` → (scheme, host, rest starting at `/`, `?` or `#`).
fn split_url(url: &str) -> Option<(String, String, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme.is_empty() || !scheme.bytes().all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) {
        return None;
    }
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    Some((scheme.to_ascii_lowercase(), host_of(&rest[..end]), &rest[end..]))
}

fn host_of(authority: &str) -> String {
    let a = authority.rsplit('@').next().unwrap_or(authority).to_lowercase();
    let a = a.trim_end_matches('.');
    a.strip_suffix(":443").or_else(|| a.strip_suffix(":80")).unwrap_or(a).to_owned()
}

#[derive(Debug)]
enum Target {
    /// `mailto:`, `tel:`, `data:`, `javascript:`, an empty value, a query on the same page.
    Skip,
    /// `#x` on the same page.
    Fragment(String),
    /// An output file path (which may not exist).
    Internal { path: String, fragment: Option<String>, insecure: bool },
    /// A path on this site's host outside the base path.
    Outside { insecure: bool },
    External { host: String, own: bool, insecure: bool },
}

fn percent_decode(s: &str) -> String {
    if !s.contains('%') {
        return s.to_owned();
    }
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() && let (Some(h), Some(l)) = ((b[i + 1] as char).to_digit(16), (b[i + 2] as char).to_digit(16)) {
            out.push((h * 16 + l) as u8);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Removes `.` and `..` segments of an absolute URL path; `None` when `..` climbs above `/`.
fn normalize(path: &str) -> Option<String> {
    let mut segs: Vec<&str> = Vec::new();
    let parts: Vec<&str> = path.split('/').collect();
    let last = parts.len() - 1;
    let mut trailing = false;
    for (i, p) in parts.iter().enumerate().skip(1) {
        match *p {
            "" | "." => trailing = i == last,
            ".." => {
                segs.pop()?;
                trailing = i == last;
            }
            s => {
                segs.push(s);
                trailing = false;
            }
        }
    }
    let mut out = String::from("/");
    out.push_str(&segs.join("/"));
    if trailing && !segs.is_empty() {
        out.push('/');
    }
    Some(out)
}

/// Resolves a URL written in the file at output path `from` (its folder is `dir`, e.g. `news/a/`).
fn resolve(env: &Env<'_>, dir: &str, raw: &str) -> Target {
    let url = raw.trim();
    if url.is_empty() || url.starts_with('?') {
        return Target::Skip;
    }
    if let Some(f) = url.strip_prefix('#') {
        return Target::Fragment(percent_decode(f));
    }
    // The common case, a plain site path: `/base/news/a/`.
    if let Some(rel) = url.strip_prefix(env.base_path) && !rel.starts_with('/') && !rel.contains(['%', '?', '#', ':']) && !rel.split('/').any(|s| s == "." || s == "..") && !rel.contains("//") {
        let path = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_owned() };
        return Target::Internal { path, fragment: None, insecure: false };
    }
    let colon = url.find(':');
    let first_sep = url.find(['/', '?', '#']).unwrap_or(url.len());
    let (abs, insecure) = if let Some(rest) = url.strip_prefix("//") {
        let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
        let host = host_of(&rest[..end]);
        if env.host.as_deref() != Some(host.as_str()) {
            return Target::External { host, own: false, insecure: false };
        }
        (under_base(env, &rest[end..], &host, false), false)
    } else if colon.is_some_and(|c| c < first_sep) {
        let Some((scheme, host, rest)) = split_url(url) else { return Target::Skip };
        if scheme != "http" && scheme != "https" {
            return if scheme == "ftp" || scheme == "ftps" { Target::External { host, own: false, insecure: false } } else { Target::Skip };
        }
        // A loopback host is a preview (`serve`, a test server), never the public address.
        let insecure = scheme == "http" && !is_loopback(&host);
        if env.host.as_deref() != Some(host.as_str()) {
            return Target::External { host, own: false, insecure };
        }
        (under_base(env, rest, &host, insecure), insecure)
    } else if url.starts_with('/') {
        (Ok(url.to_owned()), false)
    } else {
        (Ok(format!("{}{dir}{url}", env.base_path)), false)
    };
    let abs = match abs {
        Ok(a) => a,
        Err(t) => return t,
    };
    let (abs, fragment) = match abs.split_once('#') {
        Some((a, f)) => (a.to_owned(), Some(percent_decode(f))),
        None => (abs, None),
    };
    let abs = abs.split('?').next().unwrap_or("");
    let abs = if abs.is_empty() { "/".to_owned() } else { percent_decode(abs) };
    let Some(abs) = normalize(&abs) else { return Target::Outside { insecure } };
    let base = env.base_path;
    let rel = if let Some(r) = abs.strip_prefix(base) {
        r
    } else if format!("{abs}/") == base {
        ""
    } else {
        return Target::Outside { insecure };
    };
    let path = if rel.is_empty() || rel.ends_with('/') { format!("{rel}index.html") } else { rel.to_owned() };
    Target::Internal { path, fragment, insecure }
}

/// `localhost`, `127.x.x.x`, `[::1]`, with or without a port.
fn is_loopback(host: &str) -> bool {
    let name = if host.starts_with('[') { host.split(']').next().unwrap_or(host).trim_start_matches('[') } else { host.split(':').next().unwrap_or(host) };
    name == "localhost" || name.ends_with(".localhost") || name.starts_with("127.") || name == "::1"
}

/// For a full URL on this site's host: the path if it is under the base path,
/// else the link goes to another part of the host (the parent portal).
fn under_base(env: &Env<'_>, rest: &str, host: &str, insecure: bool) -> Result<String, Target> {
    let rest = if rest.is_empty() || !rest.starts_with('/') { format!("/{rest}") } else { rest.to_owned() };
    let path = rest.split(['?', '#']).next().unwrap_or("");
    let decoded = normalize(&percent_decode(path)).unwrap_or_default();
    if decoded.starts_with(env.base_path) || format!("{decoded}/") == env.base_path {
        Ok(rest)
    } else {
        Err(Target::External { host: host.to_owned(), own: true, insecure })
    }
}

/// The URLs of a `srcset`: the first word of each comma-separated candidate.
fn srcset_urls(v: &str) -> Vec<&str> {
    v.split(',').filter_map(|c| c.split_whitespace().next()).filter(|u| !u.starts_with("data:")).collect()
}

// ---------------------------------------------------------------------------
// Placing findings.

/// Line starts of a file, so placing many findings stays linear.
struct Lines<'h> {
    text: &'h str,
    starts: Vec<usize>,
}

impl<'h> Lines<'h> {
    fn new(text: &'h str) -> Lines<'h> {
        let mut starts = vec![0];
        starts.extend(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// What `Ctx::at_output` does, without rescanning the file for each finding.
    fn place(&self, mut d: Diagnostic, offset: usize, len_bytes: usize) -> Diagnostic {
        let offset = offset.min(self.text.len());
        let line = self.starts.partition_point(|&s| s <= offset);
        let start = self.starts[line - 1];
        let end = self.starts.get(line).map_or(self.text.len(), |&e| e - 1);
        let line_text = self.text[start..end].trim_end_matches('\r');
        let col = self.text[start..offset].chars().count() + 1;
        let stop = (offset + len_bytes).min(end).max(offset);
        let len = self.text.get(offset..stop).map_or(1, |s| s.chars().count()).max(1);
        d.source_line = Some(line_text.to_owned());
        d.span = Some(Span { line, col, len });
        d
    }
}

/// Collects one file's findings.
struct Sink<'c, 'a, 'h> {
    ctx: &'c Ctx<'a>,
    env: &'c Env<'a>,
    path: &'c str,
    lines: OnceCell<Lines<'h>>,
    text: &'h str,
    diags: Vec<Diagnostic>,
    /// A link pointed at a file not made yet ([`Env::made_later`]).
    unsure: bool,
}

impl<'c, 'a, 'h> Sink<'c, 'a, 'h> {
    fn new(ctx: &'c Ctx<'a>, env: &'c Env<'a>, path: &'c str, text: &'h str) -> Self {
        Sink { ctx, env, path, lines: OnceCell::new(), text, diags: Vec::new(), unsure: false }
    }

    fn add(&mut self, rule: &'static str, offset: usize, len: usize, message: Msg, help: Option<Msg>) {
        let Some(d) = self.ctx.finding(rule, self.path, message) else { return };
        let lines = self.lines.get_or_init(|| Lines::new(self.text));
        let mut d = lines.place(d, offset, len);
        if let Some(h) = help {
            d = d.with_help(h);
        }
        self.diags.push(with_source(self.env, self.path, d));
    }
}

/// The byte offset and length of attribute `name`'s value in tag `t`
/// (`name` in lower case; the tag's case does not matter).
fn attr_span(t: &html::Tag<'_>, name: &str) -> (usize, usize) {
    let raw = t.raw.as_bytes();
    let mut from = 0;
    while let Some(p) = find_ascii_ci(&raw[from..], name.as_bytes()).map(|p| p + from) {
        from = p + name.len();
        if p == 0 || !raw[p - 1].is_ascii_whitespace() {
            continue;
        }
        let rest = &t.raw[from..];
        let Some(after_eq) = rest.trim_start().strip_prefix('=') else { continue };
        let vstart = from + (rest.len() - after_eq.len()) + (after_eq.len() - after_eq.trim_start().len());
        let (s, e) = match raw.get(vstart) {
            Some(&q) if q == b'"' || q == b'\'' => {
                let s = vstart + 1;
                (s, t.raw[s..].find(q as char).map_or(t.raw.len(), |e| s + e))
            }
            _ => (vstart, t.raw[vstart..].find(|c: char| c.is_whitespace() || c == '>').map_or(t.raw.len(), |e| vstart + e)),
        };
        return (t.offset + s, e.saturating_sub(s).max(1));
    }
    (t.offset, t.raw.len())
}

/// Where lower-case ASCII `needle` first occurs in `hay`, ignoring ASCII case
/// (what lower-casing a copy of the tag and searching it gave, without the copy).
fn find_ascii_ci(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle))
}

fn tag_len(t: &html::Tag<'_>) -> usize {
    t.raw.len()
}

/// Whether `text[from..to]` has any visible character outside tags.
fn has_text(text: &str, from: usize, to: usize) -> bool {
    let mut in_tag = false;
    for c in text[from..to].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag && !c.is_whitespace() => return true,
            _ => {}
        }
    }
    false
}

fn compact(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn has_class(t: &html::Tag<'_>, class: &str) -> bool {
    t.attr("class").is_some_and(|c| c.split_whitespace().any(|x| x == class))
}

fn nonempty(t: &html::Tag<'_>, attr: &str) -> bool {
    t.attr(attr).is_some_and(|v| !v.trim().is_empty())
}

/// Inline style that hides an element: `display:none`, `visibility:hidden`,
/// `font-size:0`, a negative `text-indent`.
fn style_hides(style: &str) -> bool {
    let s: String = style.to_ascii_lowercase().chars().filter(|c| !c.is_whitespace()).collect();
    if s.contains("display:none") || s.contains("visibility:hidden") || s.contains("text-indent:-") {
        return true;
    }
    s.match_indices("font-size:").any(|(i, m)| {
        let num: String = s[i + m.len()..].chars().take_while(|c| c.is_ascii_digit() || *c == '.').collect();
        num.parse::<f64>().is_ok_and(|v| v == 0.0)
    })
}

// ---------------------------------------------------------------------------
// One HTML file.

#[derive(Default)]
struct Scan {
    ids: FastSet<String>,
    diags: Vec<Diagnostic>,
    pending: Vec<Pending>,
    /// Scanned before every file was made, it found a link to one that may
    /// be made later: scanned again at the end.
    unsure: bool,
}

/// A link to an anchor of another page, checked once every page is scanned.
struct Pending {
    target: String,
    fragment: String,
    url: String,
    offset: usize,
    len: usize,
}

struct Link<'t> {
    tag: usize,
    /// The attribute's value.
    value: std::borrow::Cow<'t, str>,
    offset: usize,
    len: usize,
    srcset: bool,
    /// Loads something into the page (script, style, image, frame…).
    resource: bool,
    /// `<a>`/`<area>`: whether it is marked as leaving the site.
    leaves: bool,
    /// Resolved output file, for the footer rules.
    target: Option<String>,
}

#[derive(Default)]
struct Open<'t> {
    name: &'t str,
    tag: usize,
    /// Byte offset just past the start tag.
    start: usize,
    link: Option<usize>,
    status: bool,
    svg_img: bool,
    table: bool,
    label: bool,
    hides: bool,
    sectioning: bool,
    seen_th: bool,
    seen_title: bool,
    seen_img_alt: bool,
}

struct Footer {
    tag: usize,
    start: usize,
    end: usize,
    inside_sectioning: bool,
    site: bool,
}

fn scan_html<'a>(ctx: &Ctx<'a>, env: &Env<'a>, path: &str, text: &str) -> Scan {
    let parsed = html::parse(text);
    let tags = parsed.tags();
    let mut sink = Sink::new(ctx, env, path, text);
    let dir = path.rfind('/').map_or("", |i| &path[..=i]);
    let mut ids: FastSet<String> = FastSet::default();
    let mut links: Vec<Link<'_>> = Vec::new();
    let mut stack: Vec<Open<'_>> = Vec::new();
    let mut footers: Vec<Footer> = Vec::new();
    let mut label_for: FastSet<String> = FastSet::default();
    let mut controls: Vec<(usize, String)> = Vec::new();
    let mut metas: Vec<usize> = Vec::new();
    let mut h1s: Vec<usize> = Vec::new();
    let mut last_level = 1u8;
    let mut html_tag: Option<usize> = None;
    let mut head_tag: Option<usize> = None;
    let mut body_tag: Option<usize> = None;

    for (ti, t) in tags.iter().enumerate() {
        if t.closing {
            if let Some(k) = stack.iter().rposition(|o| o.name == t.name) {
                while stack.len() > k {
                    let o = stack.pop().expect("non-empty");
                    close(&mut sink, &tags, text, o, t.offset, &mut links, &mut footers);
                }
            }
            continue;
        }
        let name: &str = &t.name;
        if let Some(id) = t.attr("id").filter(|v| !v.is_empty()) {
            ids.insert(id.to_owned());
        }
        if name == "a" && let Some(n) = t.attr("name").filter(|v| !v.is_empty()) {
            ids.insert(n.to_owned());
        }
        let hides = t.attr("hidden").is_some() || t.attr("style").is_some_and(style_hides);
        let mut open = Open { name: &t.name, tag: ti, start: t.offset + t.raw.len(), hides, ..Open::default() };

        match name {
            "html" => html_tag = html_tag.or(Some(ti)),
            "head" => head_tag = head_tag.or(Some(ti)),
            "body" => body_tag = body_tag.or(Some(ti)),
            "meta" => metas.push(ti),
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name.as_bytes()[1] - b'0';
                if level == 1 {
                    h1s.push(ti);
                }
                if level > last_level + 1 {
                    sink.add(
                        "A11Y-06",
                        t.offset,
                        tag_len(t),
                        msg!("标题层级跳级：h{last_level} 之后直接是 h{level}", "heading levels skip: h{level} follows h{last_level}"),
                        Some(msg!("改用 h{}，或补上中间一级的标题", "use h{} instead, or add the missing level", last_level + 1)),
                    );
                }
                last_level = level;
            }
            "img" => {
                if t.attr("alt").is_none() {
                    let (o, l) = attr_span(t, "src");
                    sink.add("A11Y-06", o, l, msg!("图片没有 alt 属性", "image has no alt attribute"), Some(msg!("写上说明图片内容的 alt 文字；纯装饰图片写 alt=\"\"", "add alt text that says what the image shows; alt=\"\" for a decorative image")));
                } else if nonempty(t, "alt") {
                    for o in stack.iter_mut().filter(|o| o.link.is_some() || o.status) {
                        o.seen_img_alt = true;
                    }
                }
            }
            "th" => {
                if let Some(tb) = stack.iter_mut().rev().find(|o| o.name == "table") {
                    tb.seen_th = true;
                }
            }
            "title" => {
                if let Some(svg) = stack.iter_mut().rev().find(|o| o.name == "svg") {
                    svg.seen_title = true;
                }
            }
            "table" => open.table = true,
            "svg" => open.svg_img = t.attr("role").is_some_and(|r| r.trim().eq_ignore_ascii_case("img")),
            "label" => {
                open.label = true;
                if let Some(f) = t.attr("for").filter(|v| !v.is_empty()) {
                    label_for.insert(f.to_owned());
                }
            }
            "input" | "select" | "textarea" => {
                let ty = t.attr("type").unwrap_or("text").trim().to_ascii_lowercase();
                let exempt = name == "input" && matches!(ty.as_str(), "hidden" | "submit" | "button" | "reset" | "image");
                if !exempt && !nonempty(t, "aria-label") && !nonempty(t, "aria-labelledby") && !stack.iter().any(|o| o.label) {
                    controls.push((ti, t.attr("id").unwrap_or("").to_owned()));
                }
            }
            "audio" | "video" if t.attr("autoplay").is_some() => {
                let (o, l) = attr_span(t, "autoplay");
                sink.add("A11Y-07", o, l, msg!("音视频设置了自动播放（autoplay）", "audio or video plays automatically (autoplay)"), Some(msg!("删去 autoplay，并加上 controls 让读者自己播放", "remove autoplay and add controls so readers start it themselves")));
            }
            "marquee" => sink.add("A11Y-07", t.offset, tag_len(t), msg!("使用了滚动文字（marquee）", "page uses scrolling text (marquee)"), Some(msg!("改为静态文字", "use static text instead"))),
            "style" => {
                // The scanner skips the style sheet; it runs up to the next tag, `</style>`.
                let end = tags.get(ti + 1).map_or(text.len(), |n| n.offset);
                let start = t.offset + t.raw.len();
                if start < end {
                    scan_css(&mut sink, env, dir, text, start, end);
                }
            }
            "main" | "article" | "section" | "aside" | "nav" => open.sectioning = true,
            _ => {}
        }
        if let Some(style) = t.attr("style") && style.contains("url(") {
            let (o, l) = attr_span(t, "style");
            if o + l <= text.len() {
                scan_css(&mut sink, env, dir, text, o, o + l);
            }
        }
        let classes = t.attr("class").unwrap_or("");
        if classes.split_whitespace().any(|c| matches!(c, "status" | "badge" | "standing")) {
            if is_void(name) {
                if !nonempty(t, "alt") && !nonempty(t, "aria-label") {
                    sink.add("A11Y-02", t.offset, tag_len(t), msg!("状态标记只有颜色，没有文字", "a status mark has colour only, no text"), Some(msg!("在标记中写出状态文字，如“已完成”", "write the status in words, e.g. 已完成")));
                }
            } else {
                open.status = true;
            }
        }

        // Links and loaded resources.
        match name {
            "a" | "area" => {
                if let Some(i) = add_link(t, ti, "href", false, &mut links) {
                    open.link = Some(i);
                    // Asked of links only: walking the open elements for every tag showed in profiles.
                    if hides || stack.iter().any(|o| o.hides) {
                        sink.add(
                            "SEC-EXT-03",
                            t.offset,
                            tag_len(t),
                            {
                                let (wz, we) = if hides { ("", "") } else { ("所在的元素", "'s container") };
                                msg!("隐藏的链接（暗链）：链接{wz}被设为不显示", "hidden link: the link{we} is hidden")
                            },
                            Some(msg!("删去这个链接；需要链接就让它正常显示", "remove the link; if it is needed, let it show")),
                        );
                    }
                }
            }
            "link" => {
                let rel = t.attr("rel").unwrap_or("").to_ascii_lowercase();
                let nav = !rel.trim().is_empty() && rel.split_whitespace().all(|r| NAV_RELS.contains(&r));
                add_link(t, ti, "href", !nav, &mut links);
            }
            "script" | "iframe" | "frame" | "embed" | "track" | "audio" => {
                add_link(t, ti, "src", true, &mut links);
            }
            "img" | "source" => {
                add_link(t, ti, "src", true, &mut links);
                add_link(t, ti, "srcset", true, &mut links);
            }
            "video" => {
                add_link(t, ti, "src", true, &mut links);
                add_link(t, ti, "poster", true, &mut links);
            }
            "object" => {
                add_link(t, ti, "data", true, &mut links);
            }
            "input" if t.attr("type").is_some_and(|ty| ty.eq_ignore_ascii_case("image")) => {
                add_link(t, ti, "src", true, &mut links);
            }
            "image" | "use" => {
                add_link(t, ti, "href", true, &mut links);
                add_link(t, ti, "xlink:href", true, &mut links);
            }
            "form" => {
                add_link(t, ti, "action", false, &mut links);
            }
            _ => {}
        }
        if !is_void(name) && !t.raw.ends_with("/>") {
            if name == "footer" {
                open.sectioning = stack.iter().any(|o| o.sectioning);
            }
            stack.push(open);
        }
    }
    while let Some(o) = stack.pop() {
        close(&mut sink, &tags, text, o, text.len(), &mut links, &mut footers);
    }

    let meta = |name: &str| -> Option<(usize, String)> {
        metas.iter().find(|&&i| tags[i].attr("name").is_some_and(|n| n.trim().eq_ignore_ascii_case(name))).map(|&i| (i, tags[i].attr("content").unwrap_or("").trim().to_owned()))
    };
    let http_equiv = |name: &str| -> Option<(usize, String)> {
        metas.iter().find(|&&i| tags[i].attr("http-equiv").is_some_and(|n| n.trim().eq_ignore_ascii_case(name))).map(|&i| (i, tags[i].attr("content").unwrap_or("").trim().to_owned()))
    };
    let refresh = http_equiv("refresh");
    if let Some((i, content)) = &refresh {
        // `0; url=/x/`: the page it sends readers to must exist.
        if let Some(p) = content.to_ascii_lowercase().find("url=") {
            let url = content[p + 4..].trim().trim_matches(['"', '\'']).to_owned();
            let (offset, len) = attr_span(&tags[*i], "content");
            links.push(Link { tag: *i, value: url.into(), offset, len, srcset: false, resource: false, leaves: false, target: None });
        }
    }

    // The site footer: marked as such, else the last one outside an article.
    let footer = footers.iter().rev().find(|f| f.site).or_else(|| footers.iter().rev().find(|f| !f.inside_sectioning)).or_else(|| footers.last());
    let in_footer = |offset: usize| footer.is_some_and(|f| offset >= f.start && offset < f.end);

    // Links, now that the page's ids are known.
    let mut pending = Vec::new();
    for link in &mut links {
        let value = link.value.clone();
        let keep = in_footer(tags[link.tag].offset);
        if link.srcset {
            for url in srcset_urls(&value) {
                check_link(&mut sink, env, path, dir, &ids, &tags, link, url, keep, &mut pending);
            }
        } else {
            check_link(&mut sink, env, path, dir, &ids, &tags, link, &value, keep, &mut pending);
        }
    }

    let at_head = head_tag.or(html_tag).map_or((0, 1), |i| (tags[i].offset, tag_len(&tags[i])));
    let at_body = body_tag.or(html_tag).map_or((0, 1), |i| (tags[i].offset, tag_len(&tags[i])));

    // A11Y-06: language and one h1 (not on a redirect page); labels.
    if refresh.is_none() {
        match html_tag {
            Some(i) if nonempty(&tags[i], "lang") => {}
            Some(i) => sink.add("A11Y-06", tags[i].offset, tag_len(&tags[i]), msg!("<html> 没有 lang 属性", "<html> has no lang attribute"), Some(msg!("写成 <html lang=\"zh-CN\">", "write <html lang=\"zh-CN\">"))),
            None => sink.add("A11Y-06", 0, 1, msg!("页面没有 <html lang> 元素", "the page has no <html lang> element"), Some(msg!("写成 <html lang=\"zh-CN\">", "write <html lang=\"zh-CN\">"))),
        }
        if h1s.is_empty() {
            sink.add("A11Y-06", at_body.0, at_body.1, msg!("页面没有一级标题（h1）", "the page has no top-level heading (h1)"), Some(msg!("每页写一个 <h1>，内容为页面标题", "give each page one <h1> with its title")));
        }
        for &i in h1s.iter().skip(1) {
            sink.add("A11Y-06", tags[i].offset, tag_len(&tags[i]), msg!("页面有 {} 个一级标题（h1），应只有一个", "the page has {} top-level headings (h1); it should have one", h1s.len()), Some(msg!("正文中的标题从二级（## ）开始", "start headings in the body at level 2 (## )")));
        }
    }
    for (i, id) in &controls {
        if id.is_empty() || !label_for.contains(id) {
            let t = &tags[*i];
            sink.add("A11Y-06", t.offset, tag_len(t), msg!("表单控件 <{}> 没有标签", "form control <{}> has no label", t.name), Some(msg!("加 <label for=\"…\">，或 aria-label 属性", "add a <label for=\"…\">, or an aria-label attribute")));
        }
    }

    if refresh.is_none() {
        page_rules(&mut sink, ctx, env, path, &tags, &links, footer, at_head, at_body, &meta, &http_equiv);
    }

    Scan { ids, diags: sink.diags, pending, unsure: sink.unsure }
}

/// Notes attribute `attr` of tag `t` as a link.
fn add_link<'t>(t: &'t html::Tag<'_>, ti: usize, attr: &str, resource: bool, links: &mut Vec<Link<'t>>) -> Option<usize> {
    let v = t.attr(attr)?;
    let (offset, len) = attr_span(t, attr);
    links.push(Link { tag: ti, value: v.into(), offset, len, srcset: attr == "srcset", resource, leaves: false, target: None });
    Some(links.len() - 1)
}

/// Rules checked when an element's end is known.
fn close(sink: &mut Sink<'_, '_, '_>, tags: &[html::Tag<'_>], text: &str, o: Open<'_>, end: usize, links: &mut [Link<'_>], footers: &mut Vec<Footer>) {
    let t = &tags[o.tag];
    let end = end.max(o.start);
    if let Some(i) = o.link {
        let rel_external = t.attr("rel").is_some_and(|r| r.split_whitespace().any(|x| x.eq_ignore_ascii_case("external")));
        links[i].leaves = rel_external && (has_class(t, "leaves-site") || html::text_between(text, o.start, end).contains("离开本站"));
        if !has_text(text, o.start, end) && !o.seen_img_alt && !nonempty(t, "aria-label") && !nonempty(t, "aria-labelledby") {
            sink.add("A11Y-06", t.offset, tag_len(t), msg!("链接没有文字", "link has no text"), Some(msg!("写出链接文字，或加 aria-label", "give the link text, or an aria-label")));
            sink.add("SEC-EXT-03", t.offset, tag_len(t), msg!("隐藏的链接（暗链）：链接没有可见文字", "hidden link: the link has no visible text"), Some(msg!("删去这个链接，或写出链接文字", "remove the link, or give it text")));
        }
    }
    if o.status && !has_text(text, o.start, end) && !o.seen_img_alt && !nonempty(t, "aria-label") {
        sink.add("A11Y-02", t.offset, tag_len(t), msg!("状态标记只有颜色，没有文字", "a status mark has colour only, no text"), Some(msg!("在标记中写出状态文字，如“已完成”", "write the status in words, e.g. 已完成")));
    }
    if o.svg_img && !o.seen_title && !nonempty(t, "aria-label") && !nonempty(t, "aria-labelledby") {
        sink.add("A11Y-06", t.offset, tag_len(t), msg!("role=\"img\" 的 SVG 图没有 <title>", "SVG with role=\"img\" has no <title>"), Some(msg!("在 <svg> 内加 <title>说明图的内容</title>", "add a <title> inside the <svg> saying what it shows")));
    }
    if o.table && !o.seen_th {
        sink.add("A11Y-06", t.offset, tag_len(t), msg!("表格没有表头单元格（th）", "table has no header cells (th)"), Some(msg!("第一行写成表头；Markdown 表格的第一行就是表头", "make the first row a header row; in Markdown the first row is the header")));
    }
    if o.name == "footer" || t.attr("role").is_some_and(|r| r.eq_ignore_ascii_case("contentinfo")) {
        footers.push(Footer { tag: o.tag, start: o.start, end, inside_sectioning: o.sectioning, site: has_class(t, "site-footer") || t.attr("role").is_some_and(|r| r.eq_ignore_ascii_case("contentinfo")) });
    }
}

#[allow(clippy::too_many_arguments)]
fn check_link(sink: &mut Sink<'_, '_, '_>, env: &Env<'_>, path: &str, dir: &str, ids: &FastSet<String>, tags: &[html::Tag<'_>], link: &mut Link<'_>, url: &str, keep_target: bool, pending: &mut Vec<Pending>) {
    let t = &tags[link.tag];
    let (offset, len) = (link.offset, link.len);
    if let Some(file) = env.by_url().get(url.trim()) {
        if keep_target {
            link.target = Some((*file).to_owned());
        }
        return;
    }
    match resolve(env, dir, url) {
        Target::Skip => {}
        Target::Fragment(f) => {
            if keep_target {
                link.target = Some(path.to_owned());
            }
            if !f.is_empty() && f != "top" && !ids.contains(&f) {
                sink.add("GOV-VETO-02", offset, len, msg!("本页没有锚点“#{f}”", "this page has no anchor `#{f}`"), Some(msg!("改正 # 后面的锚点，或删去它", "correct the part after #, or remove it")));
            }
        }
        Target::Outside { insecure } => {
            if insecure {
                sink.add("GOV-SITE-03", offset, len, msg!("站内地址 {url} 使用了 http://", "site URL {url} uses http://"), Some(msg!("改用 https:// 或以 / 开头的站内路径", "use https:// or a path starting with /")));
            }
            sink.add(
                "GOV-VETO-02",
                offset,
                len,
                msg!("链接 {url} 在本站网址路径 {} 之外，无法确认能打开", "link {url} is outside the site's base path {}, so it cannot be checked", env.base_path),
                Some(msg!("站内链接写成以 {} 开头的路径；链接到其他网站写完整的 https:// 网址", "write site links as paths starting with {}; write a full https:// URL for another site", env.base_path)),
            );
        }
        Target::Internal { path: target, fragment, insecure } => {
            if insecure {
                sink.add("GOV-SITE-03", offset, len, msg!("站内地址 {url} 使用了 http://", "site URL {url} uses http://"), Some(msg!("改用 https:// 或以 / 开头的站内路径", "use https:// or a path starting with /")));
            }
            match env.exists(&target) {
                None => {
                    sink.unsure |= env.made_later(&target);
                    sink.add(
                        "GOV-VETO-02",
                        offset,
                        len,
                        msg!("链接 {url} 打不开：输出中没有 {target}", "broken link {url}: the output has no {target}"),
                        Some(msg!("改正链接，或补上它指向的页面或文件", "correct the link, or add the page or file it points at")),
                    )
                }
                Some(file) => {
                    let f = fragment.unwrap_or_default();
                    if !f.is_empty() && f != "top" && matches!(FileKind::of(&file), Some(FileKind::Html)) {
                        if file.as_ref() == path {
                            if !ids.contains(&f) {
                                sink.add("GOV-VETO-02", offset, len, msg!("本页没有锚点“#{f}”", "this page has no anchor `#{f}`"), Some(msg!("改正 # 后面的锚点，或删去它", "correct the part after #, or remove it")));
                            }
                        } else {
                            pending.push(Pending { target: file.clone().into_owned(), fragment: f, url: url.to_owned(), offset, len });
                        }
                    }
                    if keep_target {
                        link.target = Some(file.into_owned());
                    }
                }
            }
        }
        Target::External { host, own, insecure } => {
            if own {
                if insecure {
                    sink.add("GOV-SITE-03", offset, len, msg!("本站域名的地址 {url} 使用了 http://", "URL {url} on the site's own host uses http://"), Some(msg!("改用 https://", "use https://")));
                }
            } else if link.resource {
                sink.add(
                    "SEC-EXT-01",
                    offset,
                    len,
                    msg!("<{}> 加载了其他网站（{host}）的资源", "<{}> loads a resource from another host ({host})", t.name),
                    Some(msg!("把文件下载后放进站点，用站内路径引用", "copy the file into the site and refer to it by its site path")),
                );
            } else if !env.allowed(&host) && !link.leaves {
                sink.add(
                    "SEC-EXT-02",
                    offset,
                    len,
                    msg!("外部链接 {host} 不在白名单内，也没有标明将离开本站", "external link to {host} is not on the allow-list and not marked as leaving the site"),
                    Some(msg!(
                        "把域名加入 site.yml 的 check.external_allow，或给链接加 rel=\"external\" 和“（将离开本站）”字样（或 class=\"leaves-site\"）",
                        "add the domain to check.external_allow in site.yml, or give the link rel=\"external\" and the words （将离开本站） (or class=\"leaves-site\")"
                    )),
                );
            }
        }
    }
}

/// Rules about the page as a whole: CSP, viewport, meta tags, footer.
#[allow(clippy::too_many_arguments)]
fn page_rules(
    sink: &mut Sink<'_, '_, '_>,
    ctx: &Ctx<'_>,
    env: &Env<'_>,
    path: &str,
    tags: &[html::Tag<'_>],
    links: &[Link<'_>],
    footer: Option<&Footer>,
    at_head: (usize, usize),
    at_body: (usize, usize),
    meta: &dyn Fn(&str) -> Option<(usize, String)>,
    http_equiv: &dyn Fn(&str) -> Option<(usize, String)>,
) {
    let config = &ctx.site.config;
    let reg = &config.registration;
    let registered = ctx.settings.registered;

    // SEC-INT-02.
    match http_equiv("content-security-policy") {
        None => sink.add("SEC-INT-02", at_head.0, at_head.1, msg!("页面没有内容安全策略（CSP）meta 标签", "the page has no Content-Security-Policy meta tag"), Some(msg!("在 <head> 中加 <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\">", "add <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'\"> to <head>"))),
        Some((i, content)) => {
            let ok = content.split(';').any(|d| {
                let mut w = d.split_whitespace();
                w.next().is_some_and(|n| n.eq_ignore_ascii_case("default-src")) && w.any(|v| v == "'self'" || v == "'none'")
            });
            if !ok {
                let (o, l) = attr_span(&tags[i], "content");
                sink.add("SEC-INT-02", o, l, msg!("内容安全策略没有 default-src 'self'", "the Content-Security-Policy lacks default-src 'self'"), Some(msg!("在 content 开头写 default-src 'self';", "start the content with default-src 'self';")));
            }
        }
    }

    // GOV-SITE-02.
    match meta("viewport") {
        Some((_, c)) if compact(&c).to_ascii_lowercase().contains("width=device-width") => {}
        Some((i, _)) => {
            let (o, l) = attr_span(&tags[i], "content");
            sink.add("GOV-SITE-02", o, l, msg!("viewport 没有 width=device-width", "the viewport lacks width=device-width"), Some(msg!("写成 content=\"width=device-width, initial-scale=1\"", "write content=\"width=device-width, initial-scale=1\"")));
        }
        None => sink.add("GOV-SITE-02", at_head.0, at_head.1, msg!("页面没有 viewport meta 标签，手机上无法正常显示", "the page has no viewport meta tag, so it does not fit phones"), Some(msg!("在 <head> 中加 <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">", "add <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"> to <head>"))),
    }

    // GOV-META-01..03.
    let require = |sink: &mut Sink<'_, '_, '_>, rule: &'static str, names: &[&str], what_zh: &str, what_en: &str| {
        let missing: Vec<&str> = names.iter().copied().filter(|n| meta(n).is_none()).collect();
        if !missing.is_empty() {
            let list = missing.join(", ");
            sink.add(rule, at_head.0, at_head.1, msg!("{what_zh}缺少 meta 标签：{list}", "{what_en} lacks meta tags: {list}"), Some(msg!("在模板的 <head> 中加 <meta name=\"…\" content=\"…\">", "add <meta name=\"…\" content=\"…\"> to the template's <head>")));
        }
        for n in names {
            if let Some((i, c)) = meta(n) && c.is_empty() {
                let (o, l) = attr_span(&tags[i], "content");
                sink.add(rule, o.saturating_sub(9), l + 10, msg!("{what_zh}的 meta 标签 {n} 内容为空", "{what_en} has an empty {n} meta tag"), Some(msg!("在模板中给 {n} 填上内容；取值为空时用 default 给出替代值", "give {n} a value in the template, with a fallback when the value is empty")));
            }
        }
    };
    let mut site_meta = vec!["SiteName", "SiteDomain"];
    if registered || reg.site_code.is_some() {
        site_meta.push("SiteIDCode");
    }
    require(sink, "GOV-META-01", &site_meta, "页面", "the page");
    if let (Some(code), Some((i, c))) = (&reg.site_code, meta("SiteIDCode")) && !c.is_empty() && &c != code {
        let (o, l) = attr_span(&tags[i], "content");
        sink.add("GOV-META-01", o, l, msg!("SiteIDCode 是“{c}”，与 site.yml 中的网站标识码“{code}”不一致", "SiteIDCode is `{c}`, not the site code `{code}` of site.yml"), None);
    }
    if env.listings.contains(path) {
        require(sink, "GOV-META-02", &["ColumnName", "ColumnDescription", "ColumnKeywords", "ColumnType"], "栏目页", "the column page");
        if let Some((i, c)) = meta("ColumnType").filter(|(_, c)| !c.is_empty()) && !COLUMN_TYPES.contains(&c.as_str()) {
            let (o, l) = attr_span(&tags[i], "content");
            sink.add("GOV-META-02", o, l, msg!("ColumnType“{c}”不在规范的栏目类型中", "ColumnType `{c}` is not in the vocabulary"), Some(msg!("写其中之一：{}", "write one of: {}", COLUMN_TYPES.join("、"))));
        }
    }
    if env.articles.contains(path) {
        require(sink, "GOV-META-03", &["ArticleTitle", "PubDate", "ContentSource"], "文章页", "the article page");
        if let Some((i, c)) = meta("PubDate").filter(|(_, c)| !c.is_empty()) && !is_pub_date(&c) {
            let (o, l) = attr_span(&tags[i], "content");
            sink.add("GOV-META-03", o, l, msg!("PubDate“{c}”不是 YYYY-MM-DD HH:MM 格式", "PubDate `{c}` is not in the form YYYY-MM-DD HH:MM"), Some(msg!("写成 2026-11-18 09:00", "write 2026-11-18 09:00")));
        }
    }

    // The footer.
    let Some(footer) = footer else {
        sink.add("GOV-FOOT-01", at_body.0, at_body.1, msg!("页面没有页脚（<footer>），无法显示主办单位和联系方式", "the page has no footer (<footer>) showing the sponsor and contact"), Some(msg!("在模板底部加 <footer>，写明主办单位和联系方式", "add a <footer> at the bottom of the template with the sponsor and contact")));
        return;
    };
    let ft = &tags[footer.tag];
    let at = (ft.offset, tag_len(ft));
    let said = env.footer_text(config, &sink.text[footer.start..footer.end]);
    let in_footer = |l: &&Link| {
        let o = tags[l.tag].offset;
        o >= footer.start && o < footer.end
    };

    // GOV-FOOT-01.
    let mut missing: Vec<(&str, &str)> = Vec::new();
    if !said.sponsor {
        missing.push(("主办单位及其名称", "the sponsor (主办单位) and its name"));
    }
    if !said.phone {
        missing.push(("带区号的电话", "a phone number with area code"));
    }
    if !said.email_or_address {
        missing.push(("电子邮箱或地址", "an e-mail address or a postal address"));
    }
    if !missing.is_empty() {
        let zh = missing.iter().map(|m| m.0).collect::<Vec<_>>().join("、");
        let en = missing.iter().map(|m| m.1).collect::<Vec<_>>().join(", ");
        let sp = &config.sponsor;
        sink.add(
            "GOV-FOOT-01",
            at.0,
            at.1,
            msg!("页脚没有{zh}", "the footer lacks {en}"),
            Some(msg!("页脚写明“主办单位：{sp}”和“联系方式：电话（带区号）、邮箱或地址”；这些取自 site.yml 的 sponsor 和 contact", "the footer shows 主办单位：{sp} and 联系方式 with phone (with area code) and e-mail or address, from sponsor and contact in site.yml")),
        );
    }

    if registered {
        // GOV-FOOT-02.
        if let Some(icp) = reg.icp.as_deref().filter(|v| !v.trim().is_empty()) {
            let linked = links.iter().filter(in_footer).any(|l| {
                let t = &tags[l.tag];
                t.name == "a"
                    && split_url(&l.value).is_some_and(|(s, h, _)| s == "https" && h == "beian.miit.gov.cn")
                    && html::text_between(sink.text, t.offset, tags.iter().skip(l.tag + 1).find(|c| c.closing && c.name == "a").map_or(footer.end, |c| c.offset)).chars().filter(|c| !c.is_whitespace()).collect::<String>().contains(&compact(icp))
            });
            if !linked {
                let m = if said.icp {
                    msg!("页脚的 ICP 备案号“{icp}”没有链接到 https://beian.miit.gov.cn/", "the footer's ICP number `{icp}` is not linked to https://beian.miit.gov.cn/")
                } else {
                    msg!("页脚没有 ICP 备案号“{icp}”", "the footer lacks the ICP number `{icp}`")
                };
                sink.add("GOV-FOOT-02", at.0, at.1, m, Some(msg!("写成 <a href=\"https://beian.miit.gov.cn/\">{icp}</a>", "write <a href=\"https://beian.miit.gov.cn/\">{icp}</a>")));
            }
        }
        // GOV-FOOT-03.
        if let Some(police) = reg.police.as_deref().filter(|v| !v.trim().is_empty()) && !said.police {
            sink.add("GOV-FOOT-03", at.0, at.1, msg!("页脚没有公安机关备案号“{police}”", "the footer lacks the public-security record number `{police}`"), Some(msg!("在页脚写出 site.yml 中的 registration.police", "show registration.police of site.yml in the footer")));
        }
        // GOV-FOOT-05.
        if let Some(code) = reg.site_code.as_deref().filter(|v| !v.trim().is_empty()) && !said.site_code {
            sink.add("GOV-FOOT-05", at.0, at.1, msg!("页脚没有网站标识码“{code}”", "the footer lacks the site identification code `{code}`"), Some(msg!("在页脚写“网站标识码：{code}”", "show 网站标识码：{code} in the footer")));
        }
        // GOV-FOOT-04.
        if ctx.settings.badge {
            let badge = said.badge
                || tags.iter().filter(|t| t.offset >= footer.start && t.offset < footer.end && !t.closing).any(|t| {
                    t.attrs.iter().any(|(n, v)| matches!(&**n, "href" | "src" | "id" | "class" | "alt" | "title" | "aria-label") && (v.contains("conac") || v.contains("党政机关") || v.contains("dzjg")))
                });
            if !badge {
                sink.add("GOV-FOOT-04", at.0, at.1, msg!("页脚没有党政机关网站标识", "the footer lacks the 党政机关 site badge"), Some(msg!("在页脚中间加上开办审核部门提供的党政机关网站标识代码", "put the 党政机关 badge code you were given at the centre of the footer")));
            }
        }
    }

    // GOV-FOOT-06.
    let targets: FastSet<&str> = links.iter().filter(in_footer).filter_map(|l| l.target.as_deref()).collect();
    let mut lacks: Vec<(&str, &str)> = Vec::new();
    if !targets.contains(env.sitemap.as_str()) {
        lacks.push(("网站地图", "the site map (网站地图)"));
    }
    if !targets.contains(env.feedback.as_str()) {
        lacks.push(("信息反馈", "the feedback page (信息反馈)"));
    }
    if !lacks.is_empty() {
        let zh = lacks.iter().map(|m| m.0).collect::<Vec<_>>().join("和");
        let en = lacks.iter().map(|m| m.1).collect::<Vec<_>>().join(" and ");
        sink.add("GOV-FOOT-06", at.0, at.1, msg!("页脚没有链接到{zh}", "the footer does not link to {en}"), Some(msg!("在页脚链接 site.site_map_url 和 site.feedback_url", "link site.site_map_url and site.feedback_url in the footer")));
    }
}

/// What a footer's text says, for the footer rules: a function of the
/// footer's HTML and `site.yml` only.
struct FooterText {
    /// 主办单位 and the sponsor's name.
    sponsor: bool,
    /// A phone number with its area code.
    phone: bool,
    email_or_address: bool,
    /// The numbers of `registration`, each where set.
    icp: bool,
    police: bool,
    site_code: bool,
    /// The words 党政机关 (the badge may also be an image: see GOV-FOOT-04).
    badge: bool,
}

impl FooterText {
    fn read(config: &crate::config::SiteConfig, html: &str) -> FooterText {
        let text = html::text_between(html, 0, html.len());
        let flat = compact(&text);
        let contains = |s: &str| flat.contains(&compact(s));
        let reg = &config.registration;
        let has = |v: &Option<String>| v.as_deref().is_some_and(|v| contains(v));
        let address = config.contact.address.as_deref().is_some_and(|a| !a.trim().is_empty() && contains(a)) || flat.split("地址").skip(1).any(|r| r.trim_start_matches([':', '：']).chars().count() >= 4);
        FooterText {
            sponsor: flat.contains("主办单位") && !config.sponsor.trim().is_empty() && contains(&config.sponsor),
            phone: has_area_phone(&text),
            email_or_address: has_email(&text) || address,
            icp: has(&reg.icp),
            police: has(&reg.police),
            site_code: has(&reg.site_code),
            badge: flat.contains("党政机关"),
        }
    }
}

fn is_pub_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 16
        && b.iter().enumerate().all(|(i, c)| match i {
            4 | 7 => *c == b'-',
            10 => *c == b' ',
            13 => *c == b':',
            _ => c.is_ascii_digit(),
        })
        && s[..10].parse::<jiff::civil::Date>().is_ok()
        && s[11..13].parse::<u8>().is_ok_and(|h| h < 24)
        && s[14..16].parse::<u8>().is_ok_and(|m| m < 60)
}

/// A landline with its area code: `0533-1234567`, `(010) 12345678`, `0533 1234567`.
fn has_area_phone(text: &str) -> bool {
    let flush = |d: &mut String| -> bool {
        let ok = d.len() >= 10 && d.len() <= 12 && d.starts_with('0') && !d[1..].starts_with('0');
        d.clear();
        ok
    };
    let mut digits = String::new();
    for c in text.chars() {
        let opens = matches!(c, '(' | '（');
        let joins = matches!(c, '-' | '－' | '—' | ')' | '）' | ' ');
        if c.is_ascii_digit() {
            digits.push(c);
        } else if opens || (joins && !digits.is_empty()) {
            // part of the number
        } else if flush(&mut digits) {
            return true;
        }
    }
    flush(&mut digits)
}

fn has_email(text: &str) -> bool {
    text.split(|c: char| c.is_whitespace() || "，。；：:;,<>()（）　".contains(c)).any(|w| {
        let Some((user, domain)) = w.split_once('@') else { return false };
        !user.is_empty() && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.')
    })
}

// ---------------------------------------------------------------------------
// CSS.

fn scan_css_file<'a>(ctx: &Ctx<'a>, env: &Env<'a>, path: &str, text: &str) -> Scan {
    let mut sink = Sink::new(ctx, env, path, text);
    let dir = path.rfind('/').map_or("", |i| &path[..=i]);
    scan_css(&mut sink, env, dir, text, 0, text.len());
    Scan { diags: sink.diags, ..Scan::default() }
}

/// `@import` and `url()` of a style sheet in `text[from..to]`: nothing from
/// another host (SEC-EXT-01), nothing missing (GOV-VETO-02).
fn scan_css(sink: &mut Sink<'_, '_, '_>, env: &Env<'_>, dir: &str, text: &str, from: usize, to: usize) {
    let css = &text[from..to];
    let lower = css.to_ascii_lowercase();
    let b = lower.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if lower[i..].starts_with("/*") {
            i = lower[i + 2..].find("*/").map_or(b.len(), |p| i + 2 + p + 2);
            continue;
        }
        let found = if lower[i..].starts_with("url(") {
            let s = i + 4;
            let ws = lower[s..].len() - lower[s..].trim_start().len();
            let s = s + ws;
            match b.get(s) {
                Some(&q) if q == b'"' || q == b'\'' => lower[s + 1..].find(q as char).map(|e| (s + 1, s + 1 + e)),
                _ => lower[s..].find(')').map(|e| (s, s + e)),
            }
        } else if lower[i..].starts_with("@import") {
            let s = i + 7;
            let ws = lower[s..].len() - lower[s..].trim_start().len();
            let s = s + ws;
            match b.get(s) {
                Some(&q) if q == b'"' || q == b'\'' => lower[s + 1..].find(q as char).map(|e| (s + 1, s + 1 + e)),
                _ => None, // `@import url(…)`: the url( branch takes it
            }
        } else {
            None
        };
        let Some((s, e)) = found else {
            i += lower[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        };
        let url = css[s..e].trim();
        let (offset, len) = (from + s, e - s);
        match resolve(env, dir, url) {
            Target::External { host, own: false, .. } => {
                sink.add("SEC-EXT-01", offset, len, msg!("样式表引用了其他网站（{host}）的资源", "the style sheet loads a resource from another host ({host})"), Some(msg!("把文件放进站点，用站内路径引用；字体用系统字体", "copy the file into the site and use its site path; use system fonts")));
            }
            Target::External { own: true, insecure: true, .. } | Target::Internal { insecure: true, .. } => {
                sink.add("GOV-SITE-03", offset, len, msg!("样式表中的地址 {url} 使用了 http://", "the style sheet's URL {url} uses http://"), Some(msg!("改用 https:// 或站内路径", "use https:// or a site path")));
            }
            Target::Internal { path, .. } if env.exists(&path).is_none() => {
                sink.unsure |= env.made_later(&path);
                sink.add("GOV-VETO-02", offset, len, msg!("样式表引用的 {url} 打不开：输出中没有 {path}", "the style sheet refers to {url}, but the output has no {path}"), Some(msg!("改正地址，或补上文件", "correct the URL, or add the file")));
            }
            Target::Outside { .. } => {
                sink.add("GOV-VETO-02", offset, len, msg!("样式表引用的 {url} 在本站网址路径 {} 之外", "the style sheet refers to {url}, outside the base path {}", env.base_path), Some(msg!("使用相对路径或以 {} 开头的路径", "use a relative path or one starting with {}", env.base_path)));
            }
            _ => {}
        }
        i = e.max(i + 1);
    }
}

// ---------------------------------------------------------------------------
// Site-wide.

/// Findings on `site.yml`: an http base URL, registration numbers a registered site lacks or misspells.
fn config_checks(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let config = &ctx.site.config;
    let at_key = |d: Diagnostic, keys: &[&str]| -> Diagnostic {
        let Some(text) = ctx.source("site.yml") else { return d };
        for k in keys {
            if let Some((line, col)) = crate::frontmatter::find_key(&text, k, 1) {
                let len = text.lines().nth(line - 1).map_or(1, |l| l.chars().count().saturating_sub(col - 1));
                return d.at(&text, line, col, len);
            }
        }
        d
    };
    let insecure = split_url(&config.base_url).is_some_and(|(scheme, host, _)| scheme == "http" && !is_loopback(&host));
    if insecure {
        // Given by `--base-url` rather than written in site.yml?
        let written = ctx.source("site.yml").and_then(|text| {
            let (line, _) = ["base_url", "网址"].iter().find_map(|k| crate::frontmatter::find_key(&text, k, 1))?;
            let l = text.lines().nth(line - 1)?;
            let v = l.split_once(':')?.1.split(" #").next()?.trim().trim_matches(['"', '\'']);
            crate::config::normalize_base_url(v).ok().map(|(u, _)| u)
        });
        let file = if written.as_deref() == Some(config.base_url.as_str()) { "site.yml" } else { "--base-url" };
        if let Some(d) = ctx.finding("GOV-SITE-03", file, msg!("网址 {} 使用了 http://", "the base URL {} uses http://", config.base_url)) {
            let d = if file == "site.yml" { at_key(d, &["base_url", "网址"]) } else { d };
            out.push(d.with_help(msg!("改为 https://", "use https://")));
        }
    }
    if !ctx.settings.registered {
        return;
    }
    let reg = &config.registration;
    /// Rule, value, its keys, what it is (zh, en), format check, example.
    type Number<'r> = (&'static str, &'r Option<String>, &'static [&'static str], &'static str, &'static str, fn(&str) -> bool, &'static str);
    let checks: [Number<'_>; 3] = [
        ("GOV-FOOT-02", &reg.icp, &["icp", "ICP备案号"], "ICP 备案号", "the ICP number", icp_ok, "鲁ICP备12345678号"),
        ("GOV-FOOT-03", &reg.police, &["police", "公安备案号"], "公安机关备案号", "the public-security record number", police_ok, "鲁公网安备37032302000001号"),
        ("GOV-FOOT-05", &reg.site_code, &["site_code", "网站标识码"], "网站标识码", "the site identification code", site_code_ok, "3703230001"),
    ];
    for (rule, value, keys, zh, en, ok, example) in checks {
        match value.as_deref().map(str::trim).filter(|v| !v.is_empty()) {
            None => {
                if let Some(d) = ctx.finding(rule, "site.yml", msg!("已备案的网站要在页脚显示{zh}，但 site.yml 的 registration 中没有写", "a registered site shows {en} in its footer, but registration in site.yml does not give it")) {
                    out.push(at_key(d, &["registration", "备案", "registered", "已备案"]).with_help({
                        let k = keys[0];
                        msg!("在 registration 下写 {k}: {example}", "write {k}: {example} under registration")
                    }));
                }
            }
            Some(v) if !ok(v) => {
                if let Some(d) = ctx.finding(rule, "site.yml", msg!("{zh}“{v}”格式不对", "{en} `{v}` is not well formed")) {
                    out.push(at_key(d, keys).with_help(msg!("写成如 {example}", "write it like {example}")));
                }
            }
            Some(_) => {}
        }
    }
}

/// `<省简称>ICP备<数字>号(-n)`.
fn icp_ok(v: &str) -> bool {
    let mut c = v.chars();
    let Some(p) = c.next() else { return false };
    let rest = c.as_str();
    let Some(rest) = rest.strip_prefix("ICP备") else { return false };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let tail = &rest[digits.len()..];
    PROVINCES.contains(p) && !digits.is_empty() && (tail == "号" || tail.strip_prefix("号-").is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit())))
}

/// `<省简称>公网安备 NNNNNNNNNNNNNN号`.
fn police_ok(v: &str) -> bool {
    let mut c = v.chars();
    let Some(p) = c.next() else { return false };
    let Some(rest) = c.as_str().strip_prefix("公网安备") else { return false };
    let rest = rest.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    PROVINCES.contains(p) && digits.len() == 14 && &rest[digits.len()..] == "号"
}

/// 10 characters: `bm` and 8 digits, or 10 digits.
fn site_code_ok(v: &str) -> bool {
    v.len() == 10 && (v.bytes().all(|b| b.is_ascii_digit()) || (v.starts_with("bm") && v[2..].bytes().all(|b| b.is_ascii_digit())))
}

/// SEC-INT-01: `manifest.sha256` lists every other file with its SHA-256
/// (`digests`: the output files', in order, computed while scanning them).
fn manifest(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>, digests: &[Option<Digest>]) {
    const M: &str = crate::output::MANIFEST;
    let Some(file) = ctx.output.get(M) else {
        if let Some(d) = ctx.finding("SEC-INT-01", M, msg!("输出中没有 SHA-256 清单 {M}", "the output has no SHA-256 manifest {M}")) {
            out.push(d.with_help(msg!("用 gongshi build 生成输出，它会写出清单", "build the output with gongshi build, which writes the manifest")));
        }
        return;
    };
    let Ok(bytes) = file.data.bytes() else { return };
    let text = String::from_utf8_lossy(&bytes).into_owned();
    let mut listed: FastMap<&str, (usize, &str)> = FastMap::default();
    for (n, line) in text.lines().enumerate() {
        let Some((hash, path)) = line.split_once("  ").or_else(|| line.split_once(" *")) else { continue };
        listed.insert(path.trim(), (n + 1, hash.trim()));
    }
    let actual = ctx.output.files.iter().zip(digests).filter(|(f, _)| f.path != M).map(|(f, d)| (f.path.as_str(), d.map(|d| crate::output::hex(&d))));
    let mut seen = FastSet::default();
    for (path, hash) in actual {
        seen.insert(path);
        let Some(hash) = hash else { continue };
        match listed.get(path) {
            None => {
                if let Some(d) = ctx.finding("SEC-INT-01", M, msg!("清单中没有 {path}", "the manifest does not list {path}")) {
                    out.push(d.with_help(msg!("重新构建，让清单列出每个文件", "build again so the manifest lists every file")));
                }
            }
            Some((line, h)) if !h.as_bytes().eq_ignore_ascii_case(hash.as_bytes()) => {
                if let Some(d) = ctx.finding("SEC-INT-01", M, msg!("清单中 {path} 的 SHA-256 与文件不符", "the manifest's SHA-256 of {path} does not match the file")) {
                    out.push(d.at(&text, *line, 1, h.len()).with_help(msg!("文件在构建后被改动过，或清单已过期；重新构建", "the file changed after the build, or the manifest is stale; build again")));
                }
            }
            Some(_) => {}
        }
    }
    let mut extra: Vec<(&str, usize)> = listed.iter().filter(|(p, _)| !seen.contains(*p)).map(|(p, (l, _))| (*p, *l)).collect();
    extra.sort();
    for (path, line) in extra {
        if let Some(d) = ctx.finding("SEC-INT-01", M, msg!("清单列出的 {path} 不在输出中", "the manifest lists {path}, which is not in the output")) {
            out.push(d.at(&text, line, 1, 64));
        }
    }
}

/// Reports a finding repeated on many pages (same rule, message and quoted
/// line: a template's doing) once, on its first page, counting the others.
fn fold_repeats(found: Vec<Diagnostic>) -> Vec<Diagnostic> {
    type Key = (&'static str, String, Option<String>, Option<usize>);
    let mut groups: HashMap<Key, (usize, Vec<String>)> = HashMap::new();
    let mut firsts: Vec<Diagnostic> = Vec::new();
    for d in found {
        let key = (d.code, d.message.en.clone(), d.source_line.clone(), d.span.as_ref().map(|s| s.col));
        match groups.get_mut(&key) {
            Some((i, others)) => {
                // Findings come file by file: a repeat on the same page is adjacent.
                if firsts[*i].file != d.file && others.last() != Some(&d.file) {
                    others.push(d.file);
                }
            }
            None => {
                groups.insert(key, (firsts.len(), Vec::new()));
                firsts.push(d);
            }
        }
    }
    for (_, (i, others)) in groups {
        if others.is_empty() {
            continue;
        }
        let d = &mut firsts[i];
        let shown: Vec<&str> = others.iter().take(5).map(String::as_str).collect();
        let more = if others.len() > 5 { " …" } else { "" };
        let list = shown.join(", ");
        let n = others.len();
        let also = msg!("另有 {n} 个页面有同样的问题：{list}{more}", "{n} other pages have the same problem: {list}{more}");
        d.note = Some(match d.note.take() {
            Some(prev) => Msg::new(format!("{}；{}", prev.zh, also.zh), format!("{}; {}", prev.en, also.en)),
            None => also,
        });
    }
    firsts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_numbers() {
        assert_eq!(normalize("/a/b/../c/").as_deref(), Some("/a/c/"));
        assert_eq!(normalize("/a/./b").as_deref(), Some("/a/b"));
        assert_eq!(normalize("/a/.."), Some("/".to_owned()));
        assert_eq!(normalize("/.."), None);
        assert_eq!(percent_decode("%E9%99%84x%2"), "附x%2");
        assert!(has_area_phone("电话 0533-0000000　邮箱"));
        assert!(has_area_phone("（010）12345678"));
        assert!(!has_area_phone("13800000000 2026-11-20 鲁ICP备00000000号"));
        assert!(has_email("邮箱 kfq@example.gov.cn　地址"));
        assert!(!has_email("a@b"));
        assert!(icp_ok("鲁ICP备00000000号") && icp_ok("京ICP备12345678号-2") && !icp_ok("ICP备1号"));
        assert!(police_ok("鲁公网安备00000000000000号") && !police_ok("鲁公网安备0000号"));
        assert!(site_code_ok("3703230001") && site_code_ok("bm01000001") && !site_code_ok("37032"));
        assert!(is_pub_date("2026-11-18 00:00") && !is_pub_date("2026-11-18") && !is_pub_date("2026-02-30 00:00"));
        assert!(style_hides("font-size: 0px") && style_hides("DISPLAY: none") && style_hides("text-indent:-9999px") && !style_hides("font-size:0.9em"));
        assert_eq!(srcset_urls("a.png 1x, b.png 2x"), vec!["a.png", "b.png"]);
        assert!(is_loopback("127.0.0.1:8080") && is_loopback("localhost") && is_loopback("[::1]:80") && !is_loopback("www.example.gov.cn") && !is_loopback("10.0.0.1"));
    }
}

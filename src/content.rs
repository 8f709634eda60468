//! Load stage: walk `content/`, read every page and section, parse front
//! matter into typed values, and render Markdown. Reads files; returns data.

use crate::config::SiteConfig;
use crate::diag::{Diagnostic, Diagnostics};
use crate::frontmatter::{self, FrontMatter};
use crate::markdown::{self, Links, join};
use crate::model::{Asset, Disclosure, Kind, Page, Record, Section};
use crate::msg;
use crate::schema;
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// A file found under `content/`, before it is read.
#[derive(Debug, Clone)]
struct Found {
    /// `content/news/a.md`
    rel: String,
    abs: PathBuf,
}

/// Files editors and operating systems leave behind, never content.
pub fn is_ignored_name(name: &str) -> bool {
    name.starts_with('.')
        || name.starts_with('~')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name.ends_with(".bak")
        || name == "Thumbs.db"
        || name == "desktop.ini"
        || name == "4913" // vim's write-test file
}

/// Walks `root/content` in sorted order: Markdown files and other files.
fn walk(root: &Path, diags: &mut Diagnostics) -> (Vec<Found>, Vec<Found>, Vec<String>) {
    let content = root.join("content");
    let (mut md, mut other, mut dirs) = (Vec::new(), Vec::new(), Vec::new());
    let walker = walkdir::WalkDir::new(&content).sort_by_file_name().follow_links(false).into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy())) {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                diags.push(Diagnostic::error("io", "content", msg!("无法读取：{e}", "cannot read: {e}")));
                continue;
            }
        };
        let rel_path = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let rel = rel_path.to_string_lossy();
        let rel = if std::path::MAIN_SEPARATOR == '/' { rel.into_owned() } else { rel.replace(std::path::MAIN_SEPARATOR, "/") };
        if entry.file_type().is_dir() {
            dirs.push(rel);
            continue;
        }
        if entry.file_type().is_symlink() {
            // Never follow a link out of the site.
            diags.push(Diagnostic::warning("symlink", rel.clone(), msg!("跳过符号链接", "skipped a symbolic link")));
            continue;
        }
        let found = Found { rel, abs: entry.path().to_owned() };
        if found.rel.ends_with(".md") {
            md.push(found);
        } else {
            other.push(found);
        }
    }
    (md, other, dirs)
}

/// What a Markdown file became after its front matter was read.
#[derive(Clone)]
enum Parsed {
    Section(Section),
    Page(Page),
}

pub struct Loaded {
    pub sections: Vec<Section>,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
}

/// What `serve` keeps from one load to the next: every file's parse and
/// every body's Markdown, reused only while what they were made from is the
/// same. Parsing is a pure function of the file, the section kinds and the
/// configuration; Markdown of the body and the site's addresses. Files that
/// disappeared drop out; anything else that changed starts afresh.
#[derive(Default)]
pub struct Cache {
    /// Whether to keep results at all; a one-off build does not.
    keep: bool,
    /// Configuration and `--drafts` the entries were made with.
    key: String,
    /// When the last load began.
    loaded_at: Option<SystemTime>,
    section_kinds: BTreeMap<String, Option<Kind>>,
    /// `content/…` → its parse.
    markdown_files: HashMap<String, Entry<Option<Parsed>>>,
    data_files: HashMap<String, Entry<Vec<Page>>>,
    links: (BTreeMap<String, String>, HashSet<String>),
    /// File → (body, first line, its rendering, its diagnostics).
    bodies: HashMap<String, (std::sync::Arc<str>, usize, markdown::Rendered, Vec<Diagnostic>)>,
    /// The last walk of `content/`, with its diagnostics.
    walked: Option<(Vec<Found>, Vec<Found>, Vec<String>, Diagnostics)>,
    /// What a watcher saw change before the next load, if it saw every change.
    changed: Option<Vec<String>>,
}

impl Cache {
    /// A cache that keeps what each load made, for the next.
    pub fn keeping() -> Cache {
        Cache { keep: true, ..Cache::default() }
    }

    /// Tells the next load which files changed since the last (`content/…`,
    /// as a file watcher that missed nothing reports them). When they are all
    /// edits of files it knows, it neither walks the folders nor looks at the
    /// other files: it reads only these. A file made or removed, or no call,
    /// and it walks and compares every file's stamp as usual.
    pub fn changed_only(&mut self, files: &[String]) {
        self.changed = Some(files.to_vec());
    }
}

/// Size and modification time of a file: the same stamp means the same file,
/// unless it was written so close to the last load that a second write
/// could share the stamp (the clock has a grain); such a file is read again,
/// as git does with racily clean files.
#[derive(Clone, Copy, PartialEq)]
struct Stamp {
    len: u64,
    modified: SystemTime,
}

const RACY: Duration = Duration::from_secs(2);

fn stamp(path: &Path) -> Option<Stamp> {
    let m = std::fs::metadata(path).ok()?;
    Some(Stamp { len: m.len(), modified: m.modified().ok()? })
}

struct Entry<T> {
    stamp: Stamp,
    value: T,
    diags: Diagnostics,
}

/// Whether `cached` still stands for the file whose stamp is now `now`.
fn unchanged(cached: Option<Stamp>, now: Option<Stamp>, loaded_at: Option<SystemTime>) -> bool {
    match (cached, now, loaded_at) {
        (Some(c), Some(n), Some(t)) => c == n && n.modified + RACY < t,
        _ => false,
    }
}

/// A file's result this load: the cached one, or a new one.
enum Made<T> {
    Reused,
    New(Option<Stamp>, T, Diagnostics),
}

/// Takes this load's results, in order: values for the site, entries for the cache.
fn settle<T: Clone + Send + Sync>(made: Vec<(String, Made<T>)>, cache: &mut HashMap<String, Entry<T>>, keep: bool, diags: &mut Diagnostics) -> Vec<T> {
    if keep {
        // Files that are gone.
        let present: HashSet<&str> = made.iter().map(|(rel, _)| rel.as_str()).collect();
        cache.retain(|rel, _| present.contains(rel.as_str()));
    }
    // Copies of cached values, made in parallel (a large site has many).
    let reused: Vec<Option<(T, Diagnostics)>> = {
        let cache = &*cache;
        made.par_iter().map(|(rel, m)| matches!(m, Made::Reused).then(|| (cache[rel].value.clone(), cache[rel].diags.clone()))).collect()
    };
    let mut values = Vec::with_capacity(made.len());
    for ((rel, m), reused) in made.into_iter().zip(reused) {
        match (m, reused) {
            (Made::Reused, Some((value, d))) => {
                diags.extend(d);
                values.push(value);
            }
            (Made::New(Some(stamp), value, d), _) if keep => {
                diags.extend(d.0.iter().cloned());
                values.push(value.clone());
                cache.insert(rel, Entry { stamp, value, diags: d });
            }
            (Made::New(_, value, d), _) => {
                diags.extend(d);
                values.push(value);
            }
            (Made::Reused, None) => unreachable!("copied above"),
        }
    }
    values
}

/// Reads the whole content tree. Problems go to `diags`; what loaded is returned.
pub fn load(root: &Path, config: &SiteConfig, drafts: bool, diags: &mut Diagnostics) -> Loaded {
    load_with(root, config, drafts, &mut Cache::default(), diags)
}

/// [`load`], reusing what `cache` holds and leaving this load's results in it.
pub fn load_with(root: &Path, config: &SiteConfig, drafts: bool, cache: &mut Cache, diags: &mut Diagnostics) -> Loaded {
    let key = format!("{drafts} {config:?}");
    if cache.key != key {
        *cache = Cache { keep: cache.keep, key, ..Cache::default() };
    }
    let keep = cache.keep;
    let loaded_at = std::mem::replace(&mut cache.loaded_at, keep.then(SystemTime::now));
    // Trust the watcher only for edits of files the last walk found.
    let known = |rel: &str| cache.walked.as_ref().is_some_and(|(md, other, ..)| md.iter().chain(other).any(|f| f.rel == rel));
    let changed: Option<Vec<String>> = cache.changed.take().filter(|c| {
        keep && c.iter().filter(|rel| rel.starts_with("content/")).all(|rel| known(rel) && root.join(rel).is_file())
    });
    let (md, other, dirs) = match (&changed, &cache.walked) {
        (Some(_), Some((md, other, dirs, d))) => {
            diags.extend(d.0.iter().cloned());
            (md.clone(), other.clone(), dirs.clone())
        }
        _ => {
            let mut d = Diagnostics::default();
            let (md, other, dirs) = walk(root, &mut d);
            diags.extend(d.0.iter().cloned());
            if keep {
                cache.walked = Some((md.clone(), other.clone(), dirs.clone(), d));
            }
            (md, other, dirs)
        }
    };
    // Unchanged for certain: not among the files the watcher named.
    let untouched = |rel: &str| changed.as_ref().is_some_and(|c| !c.iter().any(|x| x == rel));
    if !root.join("content").is_dir() {
        diags.push(Diagnostic::error("no-content", "content", msg!("找不到 content 文件夹", "no content/ folder")).with_help(msg!("在站点根目录下建立 content 文件夹，或用 gongshi init 新建站点", "create content/ in the site root, or start a site with `gongshi init`")));
    }

    // Sections first: a page's accepted keys depend on its section's kind.
    let section_kinds: BTreeMap<String, Option<Kind>> = md
        .par_iter()
        .filter(|f| f.rel.ends_with("/_index.md"))
        .map(|f| (dir_of(&f.rel).to_owned(), section_kind(&f.abs)))
        .collect();
    let kind_of_dir = |dir: &str| -> Option<Kind> { section_kinds.get(dir).copied().flatten() };
    if cache.section_kinds != section_kinds {
        cache.markdown_files.clear();
        cache.data_files.clear();
        cache.section_kinds = section_kinds.clone();
    }

    let results: Vec<(String, Made<Option<Parsed>>)> = md
        .par_iter()
        .map(|f| {
            if untouched(&f.rel) && cache.markdown_files.contains_key(&f.rel) {
                return (f.rel.clone(), Made::Reused);
            }
            let now = if keep { stamp(&f.abs) } else { None };
            if unchanged(cache.markdown_files.get(&f.rel).map(|e| e.stamp), now, loaded_at) {
                return (f.rel.clone(), Made::Reused);
            }
            let mut d = Diagnostics::default();
            let parsed = match std::fs::read(&f.abs) {
                Ok(bytes) => read_markdown(f, &bytes, config, &kind_of_dir, &mut d),
                Err(e) => {
                    d.push(Diagnostic::error("io", f.rel.clone(), msg!("无法读取文件：{e}", "cannot read file: {e}")));
                    None
                }
            };
            (f.rel.clone(), Made::New(now, parsed, d))
        })
        .collect();

    // Data files in a kind's section hold records; every other file is copied.
    let (data, other): (Vec<Found>, Vec<Found>) = other.into_iter().partition(|f| {
        let name = f.rel.rsplit('/').next().unwrap_or("");
        crate::datafile::is_data_file(name) && kind_of_dir(dir_of(&f.rel)).is_some()
    });
    let rows: Vec<(String, Made<Vec<Page>>)> = data
        .par_iter()
        .map(|f| {
            if untouched(&f.rel) && cache.data_files.contains_key(&f.rel) {
                return (f.rel.clone(), Made::Reused);
            }
            let now = if keep { stamp(&f.abs) } else { None };
            if unchanged(cache.data_files.get(&f.rel).map(|e| e.stamp), now, loaded_at) {
                return (f.rel.clone(), Made::Reused);
            }
            let mut d = Diagnostics::default();
            let kind = kind_of_dir(dir_of(&f.rel)).expect("partitioned on kind");
            let pages = read_data_file(f, kind, config, &mut d);
            (f.rel.clone(), Made::New(now, pages, d))
        })
        .collect();

    let mut sections: Vec<Section> = Vec::new();
    // Sized up front: a page is large, and a ledger's 10,000 were copied at every doubling.
    let from_data = settle(rows, &mut cache.data_files, keep, diags);
    let mut pages: Vec<Page> = Vec::with_capacity(from_data.iter().map(Vec::len).sum::<usize>() + results.len());
    pages.extend(from_data.into_iter().flatten());
    for parsed in settle(results, &mut cache.markdown_files, keep, diags) {
        match parsed {
            Some(Parsed::Section(s)) => sections.push(s),
            Some(Parsed::Page(p)) if p.draft && !drafts => {}
            Some(Parsed::Page(p)) => pages.push(p),
            None => {}
        }
    }

    // Every folder is a section; one without `_index.md` gets its folder name.
    let md_files: HashSet<&str> = md.iter().map(|f| f.rel.as_str()).collect();
    for dir in &dirs {
        let is_bundle = md_files.contains(format!("{dir}/index.md").as_str());
        if is_bundle || sections.iter().any(|s| dir_of(&s.file) == dir) || dir_is_inside_bundle(dir, &md) {
            continue;
        }
        let name = dir.rsplit('/').next().unwrap_or(dir);
        sections.push(implicit_section(dir, if dir == "content" { "首页" } else { name }));
    }
    sections.sort_by(|a, b| a.path.cmp(&b.path));

    // Assets: every non-Markdown file, copied to the same place under the output.
    let mut assets: Vec<Asset> = other
        .iter()
        .map(|f| Asset { path: f.rel.strip_prefix("content/").unwrap_or(&f.rel).to_owned(), source: f.abs.clone() })
        .collect();
    assets.sort();

    // Render Markdown, now that every page's address is known.
    let mut link_map: BTreeMap<String, String> = BTreeMap::new();
    for s in &sections {
        if s.has_index {
            link_map.insert(s.file.clone(), s.path.clone());
        }
    }
    for p in &pages {
        link_map.insert(p.file.clone(), p.path.clone());
    }
    let asset_set: HashSet<String> = other.iter().map(|f| f.rel.clone()).collect();
    let links = Links { pages: &link_map, assets: &asset_set, base_path: &config.base_path };
    let same_links = cache.links.0 == link_map && cache.links.1 == asset_set;
    if !same_links {
        cache.bodies.clear();
    }
    let bodies = &cache.bodies;
    // A body rendered before with the same addresses renders the same.
    let render = |file: &str, body: &std::sync::Arc<str>, line: usize| -> (markdown::Rendered, Vec<Diagnostic>, bool) {
        if let Some((_, _, r, errs)) = bodies.get(file).filter(|(b, l, ..)| b == body && *l == line) {
            return (r.clone(), errs.clone(), false);
        }
        let mut errs = Vec::new();
        let r = markdown::render(file, body, line, &links, &mut errs);
        (r, errs, true)
    };
    // A build frees each page's Markdown once it is rendered (the checks read
    // it back: `check::Ctx::body`); `serve` keeps it to compare with the next load.
    let page_done: Vec<_> = pages
        .par_iter_mut()
        .map(|p| {
            let done = render(&p.file, &p.body, p.body_line);
            if !keep {
                p.body = "".into();
            }
            done
        })
        .collect();
    let section_done: Vec<_> = sections.par_iter().map(|s| render(&s.file, &s.body, s.body_line)).collect();
    if keep {
        cache.bodies.retain(|file, _| link_map.contains_key(file));
    }
    // Keeps what is new, when keeping.
    let mut take = |file: &str, body: &std::sync::Arc<str>, line: usize, (r, errs, new): (markdown::Rendered, Vec<Diagnostic>, bool)| -> markdown::Rendered {
        diags.extend(errs.iter().cloned());
        if keep && new {
            cache.bodies.insert(file.to_owned(), (body.clone(), line, r.clone(), errs));
        }
        r
    };
    for (p, done) in pages.iter_mut().zip(page_done) {
        let r = take(&p.file, &p.body, p.body_line, done);
        (p.content, p.toc, p.text) = (r.html, r.toc, r.text);
    }
    for (s, done) in sections.iter_mut().zip(section_done) {
        let r = take(&s.file, &s.body, s.body_line, done);
        (s.content, s.toc) = (r.html, r.toc);
    }
    if keep && !same_links {
        cache.links = (link_map.clone(), asset_set.clone());
    }

    // A notice's 结果 and a document's 解读 name another page: resolve them to its URL.
    for p in &mut pages {
        let dir = dir_of(&p.file).to_owned();
        let (key, target) = match &mut p.record {
            Record::Notices { result: Some(r), .. } => ("result", r),
            Record::Document { interpretation: Some(r), .. } => ("interpretation", r),
            _ => continue,
        };
        if target.contains("://") {
            continue;
        }
        let joined = if let Some(root_rel) = target.strip_prefix('/') { format!("content/{root_rel}") } else { join(&dir, target) };
        match link_map.get(&joined) {
            Some(path) => *target = format!("{}{path}", config.base_path),
            None => {
                let t = target.clone();
                diags.push(Diagnostic::error("broken-link", p.file.clone(), msg!("{key} 指向的页面不存在：{t}", "`{key}` names a page that does not exist: {t}")).with_help(msg!("写那个页面的 .md 文件的相对路径，如 result-2026-1.md", "write the relative path of that page's .md file, e.g. result-2026-1.md")));
            }
        }
    }

    // Attachments resolve like links: relative to the page, to a copied file.
    for p in &mut pages {
        if let Record::Document { attachments, .. } = &mut p.record {
            let dir = dir_of(&p.file);
            for a in attachments {
                let target = join(dir, &a.file);
                if asset_set.contains(&target) {
                    a.url = format!("{}{}", config.base_path, target.strip_prefix("content/").unwrap_or(&target));
                } else {
                    diags.push(Diagnostic::error("attachment", p.file.clone(), msg!("附件文件不存在：{}", "attachment file not found: {}", a.file)).with_help(msg!("把附件放在页面旁边，并写它的文件名", "put the file beside the page and write its file name")));
                }
            }
        }
    }

    Loaded { sections, pages, assets }
}

fn dir_is_inside_bundle(dir: &str, md: &[Found]) -> bool {
    md.iter().any(|f| f.rel.ends_with("/index.md") && dir.starts_with(&format!("{}/", dir_of(&f.rel))))
}

fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}


/// The output path of a section folder: `content` → ``, `content/a/b` → `a/b/`.
fn section_path(dir: &str) -> String {
    match dir.strip_prefix("content/") {
        Some(rest) => format!("{rest}/"),
        None => String::new(),
    }
}

fn implicit_section(dir: &str, title: &str) -> Section {
    Section {
        file: format!("{dir}/_index.md"),
        path: section_path(dir),
        title: title.to_owned(),
        kind: None,
        date: None,
        updated: None,
        weight: None,
        paginate_by: None,
        in_nav: false,
        summary: None,
        description: None,
        template: None,
        sample: false,
        disclosure: Disclosure::default(),
        content: "".into(),
        toc: Vec::new(),
        parent: None,
        subsections: Vec::new(),
        pages: Vec::new(),
        has_index: false,
        body_line: 1,
        body: "".into(),
        pii_free: false,
    }
}

/// The `kind:` of a section index, read cheaply before the full parse.
pub fn section_kind(path: &Path) -> Option<Kind> {
    let bytes = std::fs::read(path).ok()?;
    let text = crate::source::decode_text("", &bytes).ok()?;
    let fields = schema::page_fields(None, true);
    let mut d = Diagnostics::default();
    let fm = frontmatter::parse("", &text, &fields, &mut d)?;
    Kind::parse(&fm.string("kind", &mut d)?)
}

fn read_markdown(f: &Found, bytes: &[u8], config: &SiteConfig, kind_of_dir: &dyn Fn(&str) -> Option<Kind>, diags: &mut Diagnostics) -> Option<Parsed> {
    let text = match crate::source::decode_text(&f.rel, bytes) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let name = f.rel.rsplit('/').next().unwrap_or("");
    let is_section = name == "_index.md";
    let dir = dir_of(&f.rel);
    // A bundle's `index.md` belongs to the section of the folder above it.
    let section_dir = if name == "index.md" { dir_of(dir) } else { dir };
    let kind = if is_section { None } else { kind_of_dir(section_dir) };
    let fields = schema::page_fields(kind, is_section);
    let fm = frontmatter::parse(&f.rel, &text, &fields, diags)?;
    // The personal-data check reads every source; most say nothing it looks
    // for, which is cheapest to learn now, with the text in hand.
    let pii_free = crate::check::pii::nothing_to_report(&text);
    if is_section {
        return Some(Parsed::Section(Section { pii_free, ..read_section(&f.rel, dir, &fm, diags) }));
    }
    let stem = if name == "index.md" { dir.rsplit('/').next().unwrap_or("") } else { name.trim_end_matches(".md") };
    read_page(&f.rel, stem, section_dir, &fm, kind, config, diags).map(|p| Parsed::Page(Page { pii_free, ..p }))
}

/// Every row of a data file becomes a record page. Rows of an indicators
/// file that share an id are one indicator with several figures.
fn read_data_file(f: &Found, kind: Kind, config: &SiteConfig, diags: &mut Diagnostics) -> Vec<Page> {
    let fields = schema::page_fields(Some(kind), false);
    let Some(mut table) = crate::datafile::read(&f.rel, &f.abs, &fields, diags) else { return Vec::new() };
    let dir = dir_of(&f.rel);
    // Rows are independent: read them in parallel (a ledger has 10,000), then
    // merge in file order so pages and messages come out as written.
    let rows: Vec<FrontMatter<'_>> = table.records().collect();
    let read: Vec<(Option<Page>, Diagnostics)> = rows
        .into_par_iter()
        .with_max_len(1)
        .map(|fm| {
            let mut d = Diagnostics::default();
            let page = read_row(&f.rel, dir, &fm, kind, config, &mut d);
            (page, d)
        })
        .collect();
    let mut pages: Vec<Page> = Vec::with_capacity(read.len());
    let mut index_of: std::collections::HashMap<String, usize> = std::collections::HashMap::new();
    for (page, d) in read {
        diags.extend(d);
        let Some(page) = page else { continue };
        if kind == Kind::Indicators {
            if let Some(&first) = index_of.get(&page.id) {
                if let (Record::Indicators { values, .. }, Record::Indicators { values: more, .. }) = (&mut pages[first].record, page.record) {
                    values.extend(more);
                }
                continue;
            }
            index_of.insert(page.id.clone(), pages.len());
        }
        pages.push(page);
    }
    pages
}

/// One data-file row as a page; its id is also its default slug.
fn read_row(rel: &str, dir: &str, fm: &FrontMatter<'_>, kind: Kind, config: &SiteConfig, diags: &mut Diagnostics) -> Option<Page> {
    let Some(id) = fm.string("id", diags) else {
        diags.push(fm.error("id", "missing-id", msg!("这一行缺少编号（id）", "this row has no `id`"), msg!("加一列“编号”，每行写一个不重复的编号，如 T01", "add an `id` column with a unique id per row, e.g. T01")));
        return None;
    };
    read_page(rel, &id, dir, fm, Some(kind), config, diags)
}

fn disclosure(fm: &FrontMatter<'_>, diags: &mut Diagnostics) -> Disclosure {
    Disclosure {
        index_no: fm.string("index_no", diags),
        doc_number: fm.string("doc_number", diags),
        issuer: fm.string("issuer", diags),
        written_on: fm.date("written_on", diags),
        topic: fm.string("topic", diags),
        validity: fm.string("validity", diags),
        source: fm.string("source", diags),
        reviewers: fm.list("reviewers", diags),
    }
}

fn read_section(rel: &str, dir: &str, fm: &FrontMatter<'_>, diags: &mut Diagnostics) -> Section {
    let title = fm.string("title", diags).unwrap_or_else(|| {
        diags.push(missing_title(fm));
        String::new()
    });
    let kind = fm.string("kind", diags).and_then(|k| {
        let parsed = Kind::parse(&k);
        if parsed.is_none() {
            let names = Kind::ALL.iter().map(|k| k.name_zh());
            let guess = schema::closest_str(&k, names.chain(Kind::ALL.iter().map(|k| k.name()))).unwrap_or("document");
            diags.push(fm.error_at("kind", "enum", msg!("未知的栏目类型“{k}”", "unknown kind `{k}`"), {
                let (zh, en) = (Kind::ALL.map(|k| k.name_zh()).join("、"), Kind::ALL.map(|k| k.name()).join(", "));
                msg!("是不是想写“{guess}”？可用：{zh}", "did you mean `{guess}`? one of: {en}")
            }));
        }
        parsed
    });
    let paginate_by = fm.int("paginate_by", diags).and_then(|n| {
        if n < 1 {
            diags.push(fm.error_at("paginate_by", "range", msg!("每页条数应至少为 1", "paginate_by must be at least 1"), msg!("例如 paginate_by: 10", "for example paginate_by: 10")));
            None
        } else {
            Some(n as usize)
        }
    });
    let weight = fm.int("weight", diags);
    Section {
        file: rel.to_owned(),
        path: section_path(dir),
        title,
        kind,
        date: fm.date("date", diags),
        updated: fm.date("updated", diags),
        weight,
        paginate_by,
        // Top-level sections are in the navigation unless they opt out.
        in_nav: if fm.has("in_nav") { fm.bool("in_nav", diags) } else { true },
        summary: fm.string("summary", diags),
        description: fm.string("description", diags),
        template: fm.string("template", diags),
        sample: fm.bool("sample", diags),
        disclosure: disclosure(fm, diags),
        content: "".into(),
        toc: Vec::new(),
        parent: None,
        subsections: Vec::new(),
        pages: Vec::new(),
        has_index: true,
        body_line: fm.body_line,
        body: fm.body.into(),
        pii_free: false,
    }
}

fn missing_title(fm: &FrontMatter<'_>) -> Diagnostic {
    Diagnostic::error("missing-title", fm.file, msg!("缺少标题（title）", "missing `title`"))
        .at(fm.text, 1, 1, 3)
        .with_help(msg!("在前置元数据中加一行：title: 标题", "add a line to the front matter: title: A title"))
}

/// A page from front matter: `stem` is its default id and slug, `parent_dir` its section's folder.
fn read_page(rel: &str, stem: &str, parent_dir: &str, fm: &FrontMatter<'_>, kind: Option<Kind>, config: &SiteConfig, diags: &mut Diagnostics) -> Option<Page> {
    let slug = fm.string("slug", diags).unwrap_or_else(|| stem.to_owned());
    if slug.contains(['/', '\\', '?', '#', ' ']) || slug.starts_with('.') {
        diags.push(fm.error_at("slug", "slug", msg!("链接名“{slug}”不能含有 / \\ ? # 空格，也不能以 . 开头", "slug `{slug}` must not contain / \\ ? # or spaces, nor start with ."), msg!("只用字母、数字和 -", "use letters, digits and -")));
    }
    let path = format!("{}{}/", section_path(parent_dir), slug);
    let id = fm.string("id", diags).unwrap_or_else(|| stem.to_owned());

    let (record, refs) = match kind {
        None => (Record::None, Vec::new()),
        Some(k) => crate::records::read(k, fm, config, diags),
    };
    let title = match (fm.string("title", diags), &record) {
        (Some(t), _) => t,
        (None, Record::People { name, .. } | Record::Indicators { name, .. } | Record::Enterprises { name, .. } | Record::Projects { name, .. }) => name.clone(),
        (None, _) => {
            diags.push(missing_title(fm));
            String::new()
        }
    };
    let date = fm.date("date", diags);
    Some(Page {
        file: rel.to_owned(),
        id,
        section: usize::MAX,
        path,
        title,
        date,
        updated: fm.date("updated", diags),
        draft: fm.bool("draft", diags),
        summary: fm.string("summary", diags),
        description: fm.string("description", diags),
        author: fm.string("author", diags),
        weight: fm.int("weight", diags),
        tags: fm.list("tags", diags),
        template: fm.string("template", diags),
        sample: fm.bool("sample", diags),
        disclosure: disclosure(fm, diags),
        record,
        content: "".into(),
        toc: Vec::new(),
        text: "".into(),
        body_line: fm.body_line,
        body: fm.body.into(),
        refs,
        computed: serde_json::Value::Null,
        pii_free: false,
    })
}


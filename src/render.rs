//! Render stage: every output of the site listed as a [`Job`], rendered in
//! parallel with the theme, plus the files that need no template (sitemap,
//! feed, copied assets). Data in, [`Output`] out; no I/O but reading theme files.

use crate::dates;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::{Kind, Page, Section, Site};
use crate::output::{Data, OutFile, Output};
use crate::theme::{Theme, ThemeFile, template_error};
use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Value};

/// One templated output of the site.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Job {
    Home,
    /// A section listing; `page_no` counts from 1 when paginated.
    Section { section: usize, page_no: usize },
    Page(usize),
    NotFound,
    /// 网站地图: every section and page, for people.
    SiteMap,
    /// 信息反馈: how to send feedback and objections, from `site.yml`.
    Feedback,
    /// 站内搜索: the page `search.js` fills from the index in `search/`.
    Search,
}

/// Output paths of the pages every site gets.
pub const SITE_MAP_PATH: &str = "sitemap/";
pub const FEEDBACK_PATH: &str = "feedback/";
pub const FEED_FILE: &str = "atom.xml";

#[derive(Serialize)]
struct NavItem {
    title: String,
    url: String,
    path: String,
}

#[derive(Serialize)]
struct SiteView<'a> {
    #[serde(flatten)]
    config: &'a crate::config::SiteConfig,
    build_date: String,
    nav: Vec<NavItem>,
    feed_url: String,
    site_map_url: String,
    feedback_url: String,
    home_url: String,
    ledger: LedgerView<'a>,
    open_data: Vec<OpenData>,
}

/// Site-wide figures with the records they list, for templates (`site.ledger`).
#[derive(Serialize)]
struct LedgerView<'a> {
    #[serde(flatten)]
    figures: &'a crate::ledger::Ledger,
    /// Notices, active first, then upcoming, then ended.
    notice_list: Vec<Value>,
    active_notices: Vec<Value>,
    by_honor: Vec<GroupView>,
    by_cluster: Vec<GroupView>,
    /// Whether any figure counted here comes from sample data.
    sample: bool,
}

#[derive(Serialize)]
struct GroupView {
    key: String,
    members: Vec<Value>,
}

#[derive(Serialize, Clone)]
struct OpenData {
    kind: &'static str,
    title: &'static str,
    csv: String,
    json: String,
}

/// A page as templates see it: its fields and these. Serialized as one
/// struct, not with `#[serde(flatten)]`: flattening makes a map, whose every
/// key tera copies into a string of its own (30 a page, for every page).
struct PageView<'a> {
    page: &'a Page,
    url: String,
    permalink: String,
    /// The summary, or the start of the text.
    excerpt: String,
    section_title: &'a str,
    section_url: String,
    kind: Option<Kind>,
}

impl Serialize for PageView<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        // The length is a capacity hint: the page's 19 fields and these 6.
        let mut st = s.serialize_struct("Page", 25)?;
        self.page.serialize(crate::splice::Fields(&mut st))?;
        st.serialize_field("url", &self.url)?;
        st.serialize_field("permalink", &self.permalink)?;
        st.serialize_field("excerpt", &self.excerpt)?;
        st.serialize_field("section_title", self.section_title)?;
        st.serialize_field("section_url", &self.section_url)?;
        st.serialize_field("kind", &self.kind)?;
        st.end()
    }
}

fn open_data(site: &Site, kind: Kind) -> OpenData {
    let (csv, json) = crate::opendata::paths(kind);
    OpenData { kind: kind.name(), title: kind.name_zh(), csv: url_of(site, &csv), json: url_of(site, &json) }
}

/// A page as the site map lists it.
#[derive(Serialize)]
struct SiteMapPage<'a> {
    title: &'a str,
    url: String,
    path: &'a str,
    date: Option<jiff::civil::Date>,
    updated: Option<jiff::civil::Date>,
}

impl<'a> SiteMapPage<'a> {
    fn of(site: &Site, p: &'a Page) -> Self {
        SiteMapPage { title: &p.title, url: url_of(site, &p.path), path: &p.path, date: p.date, updated: p.updated }
    }
}

#[derive(Serialize)]
struct SectionLink {
    title: String,
    url: String,
    summary: Option<String>,
    count: usize,
}

#[derive(Serialize)]
struct Crumb {
    title: String,
    url: String,
}

#[derive(Serialize)]
struct Paginator {
    current: usize,
    total: usize,
    prev: Option<String>,
    next: Option<String>,
    numbers: Vec<PageNumber>,
}

#[derive(Serialize)]
struct PageNumber {
    n: usize,
    url: String,
    current: bool,
    /// Pages were left out before this one (shown as …).
    gap_before: bool,
}

/// First, last and the current page ±3: a listing of 10,000 pages must not
/// link every page number from every page (quadratic output).
fn page_numbers(total: usize, current: usize) -> Vec<usize> {
    (1..=total).filter(|&n| n == 1 || n == total || n.abs_diff(current) <= 3).collect()
}

/// Values shared by every job, built once. A page's value is made the first
/// time a job needs it, so `serve` can render one page without the rest.
pub struct Shared {
    site: Value,
    pages: PageValues,
    sections: Vec<Value>,
    /// In a build, each page's HTML, taken out of the model: given to the
    /// page's own template and dropped with it (`None` in `serve`, which
    /// renders from the model).
    contents: Option<Vec<std::sync::Mutex<Option<std::sync::Arc<str>>>>>,
}

/// Pages' values, each made when first asked for and dropped after the
/// last job that wants it (every page's fields held to the end of the render
/// were the largest part of a build's memory). Asked for more often than
/// counted, a value is made again: the counts only save memory.
struct PageValues {
    slots: Vec<std::sync::Mutex<Option<Value>>>,
    /// How many more times each is wanted; records never run out (the site's
    /// ledger lists and `record()` keep theirs anyway).
    wanted: Vec<std::sync::atomic::AtomicUsize>,
    /// How many values were made (a test checks each is made once).
    made: std::sync::atomic::AtomicUsize,
}

impl PageValues {
    fn new(site: &Site) -> PageValues {
        let slots = (0..site.pages.len()).map(|_| std::sync::Mutex::new(None)).collect();
        let wanted = wanted(site).into_iter().map(std::sync::atomic::AtomicUsize::new).collect();
        PageValues { slots, wanted, made: Default::default() }
    }

    fn get(&self, site: &Site, i: usize) -> Value {
        use std::sync::atomic::Ordering::Relaxed;
        let v = self.slots[i]
            .lock()
            .expect("not poisoned")
            .get_or_insert_with(|| {
                self.made.fetch_add(1, Relaxed);
                page_value(site, i)
            })
            .clone();
        if self.wanted[i].fetch_update(Relaxed, Relaxed, |n| n.checked_sub(1)) == Ok(1) {
            *self.slots[i].lock().expect("not poisoned") = None;
        }
        v
    }
}

/// How many times the jobs ask for each page's value: its own page, the
/// listing page it is on, and the home page's lists (see [`prepare`]).
fn wanted(site: &Site) -> Vec<usize> {
    let mut n: Vec<usize> = site.pages.iter().map(|p| if site.sections[p.section].kind.is_some() { usize::MAX } else { 1 }).collect();
    let mut add = |i: usize| n[i] = n[i].saturating_add(1);
    for i in latest_pages(site, 8) {
        add(i);
    }
    for (si, s) in site.sections.iter().enumerate() {
        if si == 0 {
            // All on the home page, and those past its first listing page again.
            let per = per_page(site, s);
            for (k, &i) in s.pages.iter().enumerate() {
                add(i);
                if k >= per {
                    add(i);
                }
            }
        } else if s.has_index || !s.pages.is_empty() {
            for &i in &s.pages {
                add(i);
            }
        }
    }
    n
}

/// Pages per listing page of a section: plain sections are paginated,
/// ledger listings are one page.
fn per_page(site: &Site, s: &Section) -> usize {
    if s.kind.is_none() { s.paginate_by.unwrap_or(site.config.paginate_by) } else { usize::MAX }
}

impl Shared {
    /// A page as listings and `record()` see it: every field but `content`.
    fn page(&self, site: &Site, i: usize) -> Value {
        self.pages.get(site, i)
    }

    /// A page as its own template sees it: with its `content`. Not kept:
    /// every page's HTML held twice was a third of a build's memory.
    fn own_page(&self, site: &Site, i: usize) -> Value {
        let mut map = self.page(site, i).into_map().expect("a page's value is a map");
        let content = match &self.contents {
            Some(c) => c[i].lock().expect("not poisoned").take().unwrap_or_default(),
            None => site.pages[i].content.clone(),
        };
        map.insert("content".into(), Value::from(&*content));
        Value::from(map)
    }
}

fn page_value(site: &Site, i: usize) -> Value {
    let p = &site.pages[i];
    let s = &site.sections[p.section];
    Value::from_serializable(&PageView {
        page: p,
        url: url_of(site, &p.path),
        permalink: permalink(site, &p.path),
        excerpt: excerpt(p),
        section_title: &s.title,
        section_url: url_of(site, &s.path),
        kind: s.kind,
    })
}

pub fn url_of(site: &Site, path: &str) -> String {
    format!("{}{}", site.config.base_path, path)
}

fn permalink(site: &Site, path: &str) -> String {
    format!("{}{}", site.config.base_url, encode_path(path))
}

/// Percent-encodes what must not appear raw in a URL (spaces, non-ASCII).
pub fn encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn page_numbers_are_windowed() {
        assert_eq!(super::page_numbers(5, 1), vec![1, 2, 3, 4, 5]);
        assert_eq!(super::page_numbers(100, 50), vec![1, 47, 48, 49, 50, 51, 52, 53, 100]);
        assert_eq!(super::page_numbers(100, 1), vec![1, 2, 3, 4, 100]);
    }

    /// The shipped site, paginated two to a page so listings span pages:
    /// rendered in the build's order, every page's value is made once (the
    /// counts are not short) and only records' are left (none is held to the end).
    #[test]
    fn page_values_are_made_once_and_dropped_after_their_last_job() {
        use super::*;
        let date = crate::dates::parse_date("2026-11-20").expect("a date");
        let opts = crate::pipeline::BuildOptions { root: env!("CARGO_MANIFEST_DIR").into(), base_url: None, drafts: false, date: Some(date), fallback_date: date };
        let crate::pipeline::Model { mut site, mut theme, .. } = crate::pipeline::model(&opts, &mut Default::default()).unwrap_or_else(|d| panic!("{d:?}"));
        site.config.paginate_by = 2;
        let shared = shared(&site, &mut theme);
        let order = in_render_order(&site, jobs(&site));
        assert!(order.iter().any(|j| matches!(j, Job::Section { page_no: 2, .. })), "some listing spans pages");
        for job in order {
            render_job(&site, &theme, &shared, job).unwrap_or_else(|d| panic!("{d:?}"));
        }
        assert_eq!(shared.pages.made.load(std::sync::atomic::Ordering::Relaxed), site.pages.len());
        for (i, p) in site.pages.iter().enumerate() {
            let kept = shared.pages.slots[i].lock().unwrap().is_some();
            assert_eq!(kept, site.sections[p.section].kind.is_some(), "{}", p.file);
        }
    }
}

fn excerpt(p: &Page) -> String {
    if let Some(s) = &p.summary {
        return s.clone();
    }
    let t: String = p.text.chars().take(120).collect();
    if p.text.chars().count() > 120 { format!("{t}…") } else { t }
}

fn page_count(site: &Site, s: &Section) -> usize {
    match (s.kind, s.paginate_by.unwrap_or(site.config.paginate_by)) {
        (None, per) if !s.pages.is_empty() => s.pages.len().div_ceil(per),
        _ => 1,
    }
}

fn section_page_path(s: &Section, n: usize) -> String {
    if n <= 1 { s.path.clone() } else { format!("{}page/{n}/", s.path) }
}

/// Every templated output of the site, sorted.
pub fn jobs(site: &Site) -> Vec<Job> {
    let mut jobs = vec![Job::Home, Job::NotFound, Job::SiteMap, Job::Feedback];
    if site.config.search {
        jobs.push(Job::Search);
    }
    for (i, s) in site.sections.iter().enumerate().skip(1) {
        if !s.has_index && s.pages.is_empty() {
            continue;
        }
        for n in 1..=page_count(site, s) {
            jobs.push(Job::Section { section: i, page_no: n });
        }
    }
    // Pages of the home section beyond the first listing page.
    for n in 2..=page_count(site, &site.sections[0]) {
        jobs.push(Job::Section { section: 0, page_no: n });
    }
    jobs.extend((0..site.pages.len()).map(Job::Page));
    jobs.sort();
    jobs
}

/// The jobs ordered so that each listing page comes just before the pages
/// it lists: a page's value is made for its listing and dropped after its
/// own page, so few are held at once. (Listings first, then every page, held
/// them all.) The site-wide pages (site map, search, 404, feedback) come
/// first. The output does not depend on the order.
fn in_render_order(site: &Site, mut jobs: Vec<Job>) -> Vec<Job> {
    let mut position = vec![0; site.pages.len()];
    for s in &site.sections {
        for (k, &i) in s.pages.iter().enumerate() {
            position[i] = k;
        }
    }
    let key = |j: &Job| match *j {
        Job::Home => (0, 1, 0, 0),
        Job::Section { section, page_no } => (section, page_no, 0, 0),
        Job::Page(i) => {
            let s = site.pages[i].section;
            (s, position[i] / per_page(site, &site.sections[s]) + 1, 1, position[i])
        }
        // The site map lists every page: one long job, started first so
        // that it runs beside the others rather than alone at the end.
        _ => (0, 0, 0, 0),
    };
    jobs.sort_by_cached_key(key);
    jobs
}

/// The values every job shares, and the theme's `record()` function over them.
pub fn shared(site: &Site, theme: &mut Theme) -> Shared {
    let (shared, records) = shared_and_records(site);
    register_records(theme, records);
    shared
}

/// Every record's value by kind and id, for `record()`.
type Records = std::collections::BTreeMap<(String, String), Value>;

/// The values every job shares, and every record's value.
fn shared_and_records(site: &Site) -> (Shared, Records) {
    let shared = shared_values(site);
    // Made in parallel: a ledger has thousands of records.
    let records: Records = site
        .pages
        .par_iter()
        .with_max_len(1)
        .enumerate()
        .filter_map(|(i, p)| site.sections[p.section].kind.map(|k| ((k.name().to_owned(), p.id.clone()), shared.page(site, i))))
        .collect();
    (shared, records)
}

/// `record(kind="people", id="wang-guiyu")`: any record from any template.
fn register_records(theme: &mut Theme, records: Records) {
    let records = std::sync::Arc::new(records);
    theme.tera.register_function("record", move |kw: tera::Kwargs, _: &tera::State| -> tera::TeraResult<Value> {
        let kind: &str = kw.must_get("kind")?;
        let id: &str = kw.must_get("id")?;
        Ok(records.get(&(kind.to_owned(), id.to_owned())).cloned().unwrap_or_else(Value::none))
    });
}

fn shared_values(site: &Site) -> Shared {
    let nav = site.sections[0]
        .subsections
        .iter()
        .map(|&i| &site.sections[i])
        .filter(|s| s.in_nav && s.has_index)
        .map(|s| NavItem { title: s.title.clone(), url: url_of(site, &s.path), path: s.path.clone() })
        .collect();
    let pages = PageValues::new(site);
    let page = |i: usize| pages.get(site, i);
    let l = &site.ledger;
    let group = |g: &crate::ledger::Group| GroupView { key: g.key.clone(), members: g.members.iter().map(|&i| page(i)).collect() };
    let any_sample = |kinds: &[Kind]| site.pages.iter().any(|p| p.sample && site.sections[p.section].kind.is_some_and(|k| kinds.contains(&k)));
    let ledger = LedgerView {
        figures: l,
        notice_list: l.notices.order.iter().map(|&i| page(i)).collect(),
        active_notices: l.notices.order.iter().filter(|&&i| site.pages[i].computed.get("status").and_then(|s| s.as_str()) == Some("公示中")).map(|&i| page(i)).collect(),
        by_honor: l.enterprises.by_honor.iter().map(group).collect(),
        by_cluster: l.enterprises.by_cluster.iter().map(group).collect(),
        sample: any_sample(&[Kind::Tasks, Kind::Indicators, Kind::Projects]),
    };
    let kinds: Vec<Kind> = Kind::ALL.into_iter().filter(|&k| site.sections_of_kind(k).any(|(i, _)| !site.sections[i].pages.is_empty())).collect();
    let view = SiteView {
        config: &site.config,
        build_date: dates::format_iso(site.build_date),
        nav,
        feed_url: url_of(site, FEED_FILE),
        site_map_url: url_of(site, SITE_MAP_PATH),
        feedback_url: url_of(site, FEEDBACK_PATH),
        home_url: site.config.base_path.clone(),
        ledger,
        open_data: kinds.iter().map(|&k| open_data(site, k)).collect(),
    };
    let sections: Vec<Value> = site
        .sections
        .iter()
        .map(|s| {
            #[derive(Serialize)]
            struct SectionView<'a> {
                #[serde(flatten)]
                section: &'a Section,
                url: String,
                permalink: String,
                subsection_links: Vec<SectionLink>,
                open_data: Option<OpenData>,
            }
            let subsection_links = s
                .subsections
                .iter()
                .map(|&i| &site.sections[i])
                .map(|c| SectionLink { title: c.title.clone(), url: url_of(site, &c.path), summary: c.summary.clone(), count: c.pages.len() })
                .collect();
            let open_data = s.kind.filter(|_| !s.pages.is_empty()).map(|k| open_data(site, k));
            Value::from_serializable(&SectionView { section: s, url: url_of(site, &s.path), permalink: permalink(site, &s.path), subsection_links, open_data })
        })
        .collect();
    Shared { site: Value::from_serializable(&view), pages, sections, contents: None }
}

fn breadcrumbs(site: &Site, mut section: Option<usize>) -> Vec<Crumb> {
    let mut out = Vec::new();
    while let Some(i) = section {
        let s = &site.sections[i];
        out.push(Crumb { title: if i == 0 { "首页".to_owned() } else { s.title.clone() }, url: url_of(site, &s.path) });
        section = s.parent;
    }
    out.reverse();
    out
}

fn template_for(theme: &Theme, explicit: Option<&str>, kind: Option<Kind>, suffix: &str, fallback: &str) -> String {
    if let Some(t) = explicit {
        return t.to_owned();
    }
    if let Some(k) = kind {
        let name = format!("{}/{suffix}", k.name());
        if theme.sources.contains_key(&name) {
            return name;
        }
    }
    fallback.to_owned()
}

/// What one job writes: output path, template and context.
fn prepare(site: &Site, theme: &Theme, shared: &Shared, job: Job) -> (String, String, Context) {
    let mut ctx = Context::new();
    ctx.insert_value("site", shared.site.clone());
    let template = match job {
        Job::Home => {
            let latest: Vec<Value> = latest_pages(site, 8).into_iter().map(|i| shared.page(site, i)).collect();
            ctx.insert_value("section", shared.sections[0].clone());
            ctx.insert("latest", &latest);
            let home_pages: Vec<Value> = site.sections[0].pages.iter().map(|&i| shared.page(site, i)).collect();
            ctx.insert("home_pages", &home_pages);
            ctx.insert("current_path", "");
            "index.html".to_owned()
        }
        Job::Section { section, page_no } => {
            let s = &site.sections[section];
            let total = page_count(site, s);
            let per = per_page(site, s);
            let items: Vec<Value> = s.pages.iter().skip((page_no - 1) * per).take(per).map(|&i| shared.page(site, i)).collect();
            let paginator = Paginator {
                current: page_no,
                total,
                prev: (page_no > 1).then(|| url_of(site, &section_page_path(s, page_no - 1))),
                next: (page_no < total).then(|| url_of(site, &section_page_path(s, page_no + 1))),
                numbers: {
                    let shown = page_numbers(total, page_no);
                    let mut prev = 0;
                    shown
                        .into_iter()
                        .map(|n| {
                            let p = PageNumber { n, url: url_of(site, &section_page_path(s, n)), current: n == page_no, gap_before: n > prev + 1 };
                            prev = n;
                            p
                        })
                        .collect()
                },
            };
            ctx.insert_value("section", shared.sections[section].clone());
            ctx.insert("pages", &items);
            ctx.insert("paginator", &paginator);
            ctx.insert("breadcrumbs", &breadcrumbs(site, s.parent));
            ctx.insert("current_path", &s.path);
            let t = template_for(theme, s.template.as_deref(), s.kind, "list.html", "section.html");
            t
        }
        Job::Page(i) => {
            let p = &site.pages[i];
            let s = &site.sections[p.section];
            ctx.insert_value("page", shared.own_page(site, i));
            ctx.insert_value("section", shared.sections[p.section].clone());
            ctx.insert("breadcrumbs", &breadcrumbs(site, Some(p.section)));
            ctx.insert("current_path", &p.path);
            if let Some(k) = s.kind {
                ctx.insert("kind", k.name());
            }
            let t = template_for(theme, p.template.as_deref(), s.kind, "page.html", "page.html");
            t
        }
        Job::NotFound => {
            ctx.insert("current_path", "404.html");
            "404.html".to_owned()
        }
        Job::SiteMap => {
            ctx.insert_value("sections", Value::from(shared.sections.as_slice()));
            // Title and address only: a list of every page of the site.
            let all: Vec<Vec<SiteMapPage<'_>>> = site.sections.iter().map(|s| s.pages.iter().map(|&i| SiteMapPage::of(site, &site.pages[i])).collect()).collect();
            ctx.insert("pages_by_section", &all);
            ctx.insert("current_path", SITE_MAP_PATH);
            "sitemap.html".to_owned()
        }
        Job::Feedback => {
            ctx.insert("current_path", FEEDBACK_PATH);
            "feedback.html".to_owned()
        }
        Job::Search => {
            ctx.insert("current_path", crate::search::SEARCH_PATH);
            "search.html".to_owned()
        }
    };
    (job_path(site, job), template, ctx)
}

/// The output file a job writes.
pub fn job_path(site: &Site, job: Job) -> String {
    let path = match job {
        Job::Home => String::new(),
        Job::Section { section, page_no } => section_page_path(&site.sections[section], page_no),
        Job::Page(i) => site.pages[i].path.clone(),
        Job::NotFound => return "404.html".to_owned(),
        Job::SiteMap => SITE_MAP_PATH.to_owned(),
        Job::Feedback => FEEDBACK_PATH.to_owned(),
        Job::Search => crate::search::SEARCH_PATH.to_owned(),
    };
    if path.ends_with(".html") { path } else { format!("{path}index.html") }
}

/// Indices of the newest dated pages of plain sections.
pub fn latest_pages(site: &Site, n: usize) -> Vec<usize> {
    let mut v: Vec<usize> = (0..site.pages.len())
        .filter(|&i| site.pages[i].date.is_some() && site.sections[site.pages[i].section].kind.is_none())
        .collect();
    v.sort_by(|&a, &b| site.pages[b].date.cmp(&site.pages[a].date).then_with(|| site.pages[a].file.cmp(&site.pages[b].file)));
    v.truncate(n);
    v
}

/// Renders one job: its output path and bytes, or the template's error.
pub fn render_job(site: &Site, theme: &Theme, shared: &Shared, job: Job) -> Result<(String, Vec<u8>), Diagnostic> {
    let (path, template, ctx) = prepare(site, theme, shared, job);
    if !theme.sources.contains_key(&template) {
        return Err(Diagnostic::error("template", template.clone(), crate::msg!("找不到模板 {template}", "template {template} not found"))
            .with_help(crate::msg!("在主题的 templates 文件夹中建立它，或改正 template 的值", "create it in the theme's templates folder, or correct `template`")));
    }
    // Into bytes, as they are written: `render` would check the page is
    // UTF-8 (it is: templates and values are text) to return a String.
    let mut html = Vec::with_capacity(16 * 1024);
    theme.tera.render_to(&template, &ctx, &mut html).map(|()| (path, html)).map_err(|e| template_error(&e, &theme.sources))
}

/// Every output that is not a template's nor the search index's: open data,
/// `sitemap.xml`, the feed, the site's files and the theme's.
pub fn other_files(site: &Site, theme: &Theme) -> Vec<OutFile> {
    let mut files = crate::opendata::files(site);
    files.extend(feed_files(site));
    for a in &site.assets {
        files.push(OutFile { path: a.path.clone(), data: Data::File(a.source.clone()) });
    }
    for (path, file) in &theme.statics {
        if site.assets.iter().any(|a| &a.path == path) {
            continue; // the site's own file wins
        }
        let data = match file {
            ThemeFile::Builtin(b) => Data::Static(b),
            ThemeFile::Site(p) => Data::File(p.clone()),
        };
        files.push(OutFile { path: path.clone(), data });
    }
    files
}

/// `sitemap.xml` for search engines and the Atom feed.
pub fn feed_files(site: &Site) -> [OutFile; 2] {
    [
        OutFile { path: "sitemap.xml".to_owned(), data: Data::Bytes(sitemap_xml(site).into_bytes()) },
        OutFile { path: FEED_FILE.to_owned(), data: Data::Bytes(atom(site).into_bytes()) },
    ]
}

pub use crate::output::{Put, keep_in_memory};

/// Sees a page's bytes as it is made, before `put` takes them.
pub type Inspect<'a> = &'a (dyn Fn(&str, &[u8]) + Sync);

/// Watches the pages being made (the checks, which read each page while it
/// is at hand rather than reading thousands of files back). It is given the
/// site, the path of every file the output will have but those under the
/// folder `later` (the search index, made after the pages), and renders the
/// pages by calling `pages` with what to show each page to (once; if it does
/// not, they are rendered without it).
pub type Watch<'a> = &'a dyn Fn(&Site, &[&str], Option<&str>, &mut dyn FnMut(Option<Inspect<'_>>));

/// Pages rendered one after another by a core before they are shown to a
/// [`Watch`] and written: rendering and checking a page in turn made each
/// slower (they share the core's caches); a few pages, then their checks,
/// keeps each warm, and memory small.
const BATCH: usize = 32;

/// Renders every job, each handed to `put` as soon as its batch is made,
/// and lists every other output file.
pub fn render(site: &mut Site, theme: &mut Theme, diags: &mut Diagnostics, put: Put<'_>, watch: Option<Watch<'_>>) -> Output {
    // A page's HTML is wanted by its own template only: taken out of the
    // model, each is freed as soon as its page is made (it was a third of
    // the memory of a large build).
    let contents = site.pages.iter_mut().map(|p| std::sync::Mutex::new(Some(std::mem::take(&mut p.content)))).collect();
    let site = &*site;
    let written = |path: String, bytes: Vec<u8>| match put(&path, bytes) {
        Ok(data) => Ok(OutFile { path, data }),
        Err(e) => Err(write_failed(&path, e)),
    };
    // The other files (feeds, open data: a ledger's is one long job) are
    // made beside the shared values, so no core waits for the longest, and
    // before the pages, so a watch knows their paths.
    let (others, (mut shared, records)) = rayon::join(
        // Made files go the way pages went, so `put` can take them out of memory.
        || -> Vec<Result<OutFile, Diagnostic>> {
            other_files(site, theme)
                .into_par_iter()
                .map(|f| match f.data {
                    Data::Bytes(bytes) => written(f.path, bytes),
                    _ => Ok(f),
                })
                .collect()
        },
        || shared_and_records(site),
    );
    register_records(theme, records);
    shared.contents = Some(contents);
    let theme = &*theme;
    let mut out = Output::default();
    for r in others {
        match r {
            Ok(f) => out.files.push(f),
            Err(d) => diags.push(d),
        }
    }

    let jobs = in_render_order(site, jobs(site));
    let make_pages = |inspect: Option<Inspect<'_>>| -> Vec<Result<OutFile, Diagnostic>> {
        // One batch at a time per split (`with_max_len(1)`): rayon otherwise
        // hands out runs it cannot split again, and a ledger's last run kept
        // one core busy alone for a tenth of the render.
        jobs.par_chunks(BATCH)
            .with_max_len(1)
            .flat_map_iter(|batch| {
                let made: Vec<Result<(String, Vec<u8>), Diagnostic>> = batch.iter().map(|&job| render_job(site, theme, &shared, job)).collect();
                if let Some(inspect) = inspect {
                    for (path, bytes) in made.iter().flatten() {
                        inspect(path, bytes);
                    }
                }
                made.into_iter().map(|r| r.and_then(|(path, bytes)| written(path, bytes)))
            })
            .collect()
    };
    let mut pages = None;
    if let Some(watch) = watch {
        let job_paths: Vec<String> = jobs.iter().map(|&j| job_path(site, j)).collect();
        let paths: Vec<&str> = out.files.iter().map(|f| f.path.as_str()).chain(job_paths.iter().map(String::as_str)).chain([crate::output::MANIFEST]).collect();
        watch(site, &paths, site.config.search.then_some(crate::search::SEARCH_PATH), &mut |inspect| pages = Some(make_pages(inspect)));
    }
    // Without a watch, or if it did not render them.
    let pages = pages.unwrap_or_else(|| make_pages(None));
    // The page values are big (every page's fields); the search index, made
    // next, is the build's other big thing: not both at once.
    drop(shared);
    for r in pages {
        match r {
            Ok(f) => out.files.push(f),
            Err(d) => diags.push(d),
        }
    }
    if site.config.search {
        match crate::search::files_with(site, put) {
            Ok(files) => out.files.extend(files),
            Err(e) => diags.push(write_failed(crate::search::SEARCH_PATH, e)),
        }
    }
    out.sort();
    out
}

fn write_failed(path: &str, e: std::io::Error) -> Diagnostic {
    Diagnostic::error("io", path, crate::msg!("写入失败：{e}", "write failed: {e}"))
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// `sitemap.xml` for search engines: every page and listing with its date.
fn sitemap_xml(site: &Site) -> String {
    let mut entries: Vec<(String, Option<String>)> = Vec::new();
    for s in site.sections.iter().filter(|s| s.has_index || s.path.is_empty()) {
        entries.push((permalink(site, &s.path), None));
    }
    for p in &site.pages {
        entries.push((permalink(site, &p.path), p.updated.or(p.date).map(dates::format_iso)));
    }
    entries.push((permalink(site, SITE_MAP_PATH), None));
    entries.push((permalink(site, FEEDBACK_PATH), None));
    entries.sort();
    entries.dedup();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
    for (loc, lastmod) in entries {
        x.push_str("  <url>\n    <loc>");
        x.push_str(&xml_escape(&loc));
        x.push_str("</loc>\n");
        if let Some(d) = lastmod {
            x.push_str(&format!("    <lastmod>{d}</lastmod>\n"));
        }
        x.push_str("  </url>\n");
    }
    x.push_str("</urlset>\n");
    x
}

/// An Atom feed of the newest dated articles.
fn atom(site: &Site) -> String {
    let latest = latest_pages(site, 20);
    let updated = latest.first().and_then(|&i| site.pages[i].updated.or(site.pages[i].date)).unwrap_or(site.build_date);
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"");
    x.push_str(&xml_escape(&site.config.language));
    x.push_str("\">\n");
    x.push_str(&format!("  <title>{}</title>\n", xml_escape(&site.config.title)));
    x.push_str(&format!("  <link href=\"{}\" rel=\"self\" type=\"application/atom+xml\"/>\n", xml_escape(&permalink(site, FEED_FILE))));
    x.push_str(&format!("  <link href=\"{}\"/>\n", xml_escape(&site.config.base_url)));
    x.push_str(&format!("  <id>{}</id>\n", xml_escape(&site.config.base_url)));
    x.push_str(&format!("  <updated>{}</updated>\n", dates::format_rfc3339(updated)));
    x.push_str(&format!("  <author><name>{}</name></author>\n", xml_escape(&site.config.sponsor)));
    for i in latest {
        let p = &site.pages[i];
        let link = permalink(site, &p.path);
        let d = p.updated.or(p.date).unwrap_or(site.build_date);
        x.push_str("  <entry>\n");
        x.push_str(&format!("    <title>{}</title>\n", xml_escape(&p.title)));
        x.push_str(&format!("    <link href=\"{}\"/>\n", xml_escape(&link)));
        x.push_str(&format!("    <id>{}</id>\n", xml_escape(&link)));
        if let Some(date) = p.date {
            x.push_str(&format!("    <published>{}</published>\n", dates::format_rfc3339(date)));
        }
        x.push_str(&format!("    <updated>{}</updated>\n", dates::format_rfc3339(d)));
        x.push_str(&format!("    <summary>{}</summary>\n", xml_escape(&excerpt(p))));
        x.push_str("  </entry>\n");
    }
    x.push_str("</feed>\n");
    x
}

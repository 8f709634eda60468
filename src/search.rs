//! Site search, built with the site: an index of every page (title,
//! headings, record fields, summary, text) split into files so that a query
//! downloads only the parts it needs, for the theme's `search.js`.
//!
//! **One tokeniser.** [`tokens`] (and [`each_term`], the same without
//! allocating) is the only way text becomes terms, both here and, ported
//! line by line, in `themes/default/static/assets/search.js` (the browser
//! test checks the two agree on a list of inputs). Full-width
//! ASCII becomes half-width and ASCII letters lower case; a Han character
//! gives itself and, with the next Han character, a pair (`一段简单` → `一`,
//! `一段`, `段`, `段简`, `简`, `简单`, `单`); a run of ASCII letters and digits
//! is one word; anything else separates. A query ([`query_terms`]) uses a Han
//! run's pairs (or the character, if the run has one), and words; every term
//! must match (AND), so any Chinese substring of two or more characters finds
//! the pages that contain it. (Pairs are not positions: a page with 王贵 in
//! one place and 贵玉 in another matches 王贵玉 too; rare in real text.)
//!
//! **Files** (all under `search/`, sorted, byte-identical for the same input):
//!
//! * `meta.json`: format, version hash, number of documents, shards and
//!   documents per chunk.
//! * `idx/N.json`: shard N of the terms, `{"term": "postings", …}`, where a
//!   term's shard is [`shard_of`] (FNV-1a of its UTF-16 code units). Postings
//!   are `(doc, value)` pairs, the doc as the difference from the previous one,
//!   each number written base 32 with the digits `wxyzA…Z-_` for "more
//!   follows" and `0…9a…v` for the last digit. `value = score × 8 + flags`:
//!   the score is the term's BM25 weight for the page, with the fields
//!   weighted (title ≫ headings > record fields > summary > text); the flags
//!   say whether the term is in the title (1), a heading (2) or a record field
//!   (4).
//! * `docs/N.json`: documents `N × DOCS_PER_CHUNK` onwards, each `[path,
//!   title, section, meta, text]`, where `text` is the first `TEXT_CAP`
//!   characters of the summary and text, for snippets. Only the chunks of the
//!   results shown are fetched.
//!
//! **Ranking** ([`Index::query`], mirrored in `search.js`): pages that have
//! every term, by the sum of the terms' scores, plus a bonus when every term
//! is in the title, in a heading or in the record fields (the "phrase"
//! bonus: a Han run's pairs all in the title means the run, nearly always),
//! ties by document order. Integer arithmetic only, so both sides agree.

use crate::model::{Enumerated, Kind, Page, Record, Site};
use crate::output::{Data, OutFile, Put};
use serde_json::json;
use std::collections::BTreeMap;

/// Output path of the search page.
pub const SEARCH_PATH: &str = "search/";
/// Format of the index files; `search.js` refuses any other.
pub const FORMAT: u32 = 1;
/// Documents per `docs/N.json` chunk.
pub const DOCS_PER_CHUNK: usize = 4;
/// Characters of a page's text kept for snippets.
pub const TEXT_CAP: usize = 1000;
/// A query uses at most this many characters, and this many terms.
pub const MAX_QUERY_CHARS: usize = 64;
pub const MAX_TERMS: usize = 24;
/// Aimed-for average size of a shard: the shard count is the smallest power
/// of two from `MIN_SHARDS` that brings the average under it (at most `MAX_SHARDS`).
pub const SHARD_TARGET_BYTES: usize = 16 * 1024;
pub const MIN_SHARDS: usize = 8;
pub const MAX_SHARDS: usize = 4096;

/// Field weights for the term frequency (BM25F style). Integers, so a
/// document's weighted count is exact and can be kept packed while building.
const W_TITLE: u32 = 10;
const W_HEADING: u32 = 4;
const W_FIELD: u32 = 3;
const W_SUMMARY: u32 = 2;
const W_TEXT: u32 = 1;
const K1: f64 = 1.2;
const B: f64 = 0.75;
/// Score units per BM25 point, and the largest score stored.
const SCALE: f64 = 16.0;
const MAX_SCORE: u32 = 4095;

/// Flags of a posting.
pub const IN_TITLE: u32 = 1;
pub const IN_HEADING: u32 = 2;
pub const IN_FIELD: u32 = 4;
/// Bonus when every term of the query is in the title, a heading, a field.
pub const BONUS_TITLE: u64 = 1000;
pub const BONUS_HEADING: u64 = 200;
pub const BONUS_FIELD: u64 = 400;

// ---------------------------------------------------------------- tokeniser

/// Full-width ASCII to half-width, the ideographic space to a space, ASCII
/// letters to lower case. One character in, one out (so positions in a
/// normalised string are positions in the original, in UTF-16 units too).
pub fn normalize_char(c: char) -> char {
    let mut u = c as u32;
    if (0xFF01..=0xFF5E).contains(&u) {
        u -= 0xFEE0;
    } else if u == 0x3000 {
        u = 0x20;
    }
    if (0x41..=0x5A).contains(&u) {
        u += 32;
    }
    char::from_u32(u).unwrap_or(c)
}

pub fn normalize(s: &str) -> String {
    s.chars().map(normalize_char).collect()
}

/// CJK unified ideographs (basic, extension A, compatibility, extensions B–G) and 〇.
pub fn is_han(c: char) -> bool {
    let u = c as u32;
    u == 0x3007 || (0x3400..=0x4DBF).contains(&u) || (0x4E00..=0x9FFF).contains(&u) || (0xF900..=0xFAFF).contains(&u) || (0x20000..=0x3134F).contains(&u)
}

fn is_word(c: char) -> bool {
    c.is_ascii_digit() || c.is_ascii_lowercase()
}

/// A run of normalised text: Han characters, or one ASCII word.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Run {
    Han(Vec<char>),
    Word(String),
}

/// Splits normalised text into Han runs and words; everything else separates.
pub fn runs(text: &str) -> Vec<Run> {
    let mut out = Vec::new();
    let mut cur: Option<Run> = None;
    for c in text.chars().map(normalize_char) {
        match (&mut cur, is_han(c), is_word(c)) {
            (Some(Run::Han(v)), true, _) => v.push(c),
            (Some(Run::Word(w)), _, true) => w.push(c),
            (_, han, word) => {
                out.extend(cur.take());
                cur = if han {
                    Some(Run::Han(vec![c]))
                } else if word {
                    Some(Run::Word(c.to_string()))
                } else {
                    None
                };
            }
        }
    }
    out.extend(cur);
    out
}

/// A term without its own allocation: a Han character or pair packed in a
/// number, or a word. [`Term::text`] is the term as [`tokens`] gives it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Term {
    Han(u64),
    Word(String),
}

const PAIR: u64 = 1 << 63;

/// The text of a packed Han character or pair.
fn han_text(x: u64) -> String {
    let mut s = String::with_capacity(8);
    if x & PAIR != 0 {
        s.extend(char::from_u32(((x >> 21) & 0x1F_FFFF) as u32));
    }
    s.extend(char::from_u32((x & 0x1F_FFFF) as u32));
    s
}

impl Term {
    pub fn text(&self) -> String {
        match self {
            Term::Word(w) => w.clone(),
            Term::Han(x) => han_text(*x),
        }
    }
}

/// THE tokeniser, as [`Term`]s: calls `f` with every term of the text, in
/// order, with repeats, and returns how many there were. Han characters give
/// themselves and overlapping pairs; ASCII words and numbers give themselves.
/// (What [`runs`] splits, without collecting the runs.)
pub fn each_term(text: &str, mut f: impl FnMut(Term)) -> usize {
    let mut n = 0;
    let mut prev_han: Option<char> = None;
    let mut word = String::new();
    for c in text.chars().map(normalize_char) {
        if is_word(c) {
            prev_han = None;
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            f(Term::Word(std::mem::take(&mut word)));
            n += 1;
        }
        if is_han(c) {
            if let Some(p) = prev_han {
                f(Term::Han(PAIR | (p as u64) << 21 | c as u64));
                n += 1;
            }
            f(Term::Han(c as u64));
            n += 1;
            prev_han = Some(c);
        } else {
            prev_han = None;
        }
    }
    if !word.is_empty() {
        f(Term::Word(word));
        n += 1;
    }
    n
}

/// THE tokeniser: every term of a text, in order, with repeats. Han
/// characters give themselves and overlapping pairs; ASCII words and numbers
/// give themselves.
pub fn tokens(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    each_term(text, |t| out.push(t.text()));
    out
}

/// The terms a query must all match, without repeats, in order: a Han run's
/// pairs (its character, if it has one), and words. At most
/// [`MAX_QUERY_CHARS`] characters of the query are read, and at most
/// [`MAX_TERMS`] terms kept.
pub fn query_terms(q: &str) -> Vec<String> {
    let q: String = q.chars().take(MAX_QUERY_CHARS).collect();
    let mut out: Vec<String> = Vec::new();
    let push = |t: String, out: &mut Vec<String>| {
        if !out.contains(&t) && out.len() < MAX_TERMS {
            out.push(t);
        }
    };
    for r in runs(&q) {
        match r {
            Run::Han(cs) if cs.len() == 1 => push(cs[0].to_string(), &mut out),
            Run::Han(cs) => {
                for w in cs.windows(2) {
                    push(w.iter().collect(), &mut out);
                }
            }
            Run::Word(w) => push(w, &mut out),
        }
    }
    out
}

/// FNV-1a (32 bits) of the term's UTF-16 code units.
pub fn hash(term: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for u in term.encode_utf16() {
        h ^= u as u32;
        h = h.wrapping_mul(16_777_619);
    }
    h
}

pub fn shard_of(term: &str, shards: usize) -> usize {
    hash(term) as usize % shards
}

// ---------------------------------------------------------- posting codec

const FINAL: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";
const MORE: &[u8; 32] = b"wxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_";

fn put_num(out: &mut String, n: u64) {
    // Most numbers take one or two digits: those without the loop.
    if n < 32 {
        out.push(FINAL[n as usize] as char);
        return;
    }
    if n < 32 * 32 {
        out.push(MORE[(n / 32) as usize] as char);
        out.push(FINAL[(n % 32) as usize] as char);
        return;
    }
    let mut n = n;
    let mut digits = [0u8; 13];
    let mut i = digits.len() - 1;
    digits[i] = FINAL[(n % 32) as usize];
    n /= 32;
    while n > 0 {
        i -= 1;
        digits[i] = MORE[(n % 32) as usize];
        n /= 32;
    }
    for &b in &digits[i..] {
        out.push(b as char);
    }
}

/// `(doc, value)` pairs, docs ascending.
pub fn encode_postings(postings: &[(usize, u32)]) -> String {
    // Most numbers take one or two digits.
    let mut s = String::with_capacity(postings.len() * 4);
    let mut prev = 0;
    for &(doc, value) in postings {
        put_num(&mut s, (doc - prev) as u64);
        put_num(&mut s, value as u64);
        prev = doc;
    }
    s
}

pub fn decode_postings(s: &str) -> Vec<(usize, u32)> {
    let mut nums = Vec::new();
    let mut n: u64 = 0;
    for b in s.bytes() {
        if let Some(d) = MORE.iter().position(|&m| m == b) {
            n = n * 32 + d as u64;
        } else if let Some(d) = FINAL.iter().position(|&m| m == b) {
            nums.push(n * 32 + d as u64);
            n = 0;
        }
    }
    let mut out = Vec::with_capacity(nums.len() / 2);
    let mut doc = 0;
    for pair in nums.chunks_exact(2) {
        doc += pair[0] as usize;
        out.push((doc, pair[1] as u32));
    }
    out
}

// ------------------------------------------------------------------ index

/// What a result shows: the stored part of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Doc {
    /// Output path relative to the site root (`people/wang-guiyu/`).
    pub path: String,
    pub title: String,
    /// The section's title.
    pub section: String,
    /// One line of record fields or the date (`源经发〔2023〕4号　…`).
    pub meta: String,
    /// The start of the summary and text, for snippets.
    pub text: String,
}

/// A page's searchable text, by field.
#[derive(Debug, Default)]
struct Fields {
    title: String,
    headings: Vec<String>,
    fields: Vec<String>,
    summary: String,
    text: String,
}

/// The built index, as the files hold it.
#[derive(Debug, Clone)]
pub struct Index {
    pub docs: Vec<Doc>,
    /// Shard → term → encoded postings.
    pub shards: Vec<BTreeMap<String, String>>,
    /// Short hash of every index file, appended to their URLs as `?v=`.
    pub version: String,
    /// The files' bytes, serialised once.
    shard_bytes: Vec<Vec<u8>>,
    chunk_bytes: Vec<Vec<u8>>,
}

/// One result of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub doc: usize,
    pub score: u64,
    pub path: String,
    pub title: String,
}

/// How many bytes a query downloads: `meta.json`, the shards of its terms,
/// and the document chunks of the first `shown` results.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Download {
    pub meta: usize,
    pub shards: usize,
    pub shard_files: usize,
    pub docs: usize,
    pub doc_files: usize,
}

impl Download {
    pub fn total(&self) -> usize {
        self.meta + self.shards + self.docs
    }
}

fn zh_date(d: jiff::civil::Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// Plain text of rendered HTML (for section pages, which keep no text).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    let out = out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&");
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Record ids resolved to names, for fields that refer to other records.
struct Names<'a> {
    site: &'a Site,
    by_id: BTreeMap<(Kind, &'a str), &'a Page>,
}

impl<'a> Names<'a> {
    fn new(site: &'a Site) -> Self {
        let by_id = site.pages.iter().filter_map(|p| site.sections[p.section].kind.map(|k| ((k, p.id.as_str()), p))).collect();
        Names { site, by_id }
    }

    /// The record's name or title, or the text as written when it is no id.
    fn name(&self, kind: Kind, id: &str) -> String {
        match self.by_id.get(&(kind, id)) {
            Some(p) => match &p.record {
                Record::People { name, .. } | Record::Enterprises { name, .. } | Record::Projects { name, .. } | Record::Indicators { name, .. } => name.clone(),
                _ => p.title.clone(),
            },
            None => id.to_owned(),
        }
    }

    fn unit(&self, id: &str) -> String {
        self.site.config.units.iter().find(|u| u.id == id).map_or_else(|| id.to_owned(), |u| u.name.clone())
    }
}

/// A page's fields and what its result shows.
fn page_doc(site: &Site, names: &Names<'_>, p: &Page) -> (Doc, Fields) {
    let kind = site.sections[p.section].kind;
    let mut f = Fields { title: p.title.clone(), headings: p.toc.iter().map(|h| h.title.clone()).collect(), ..Default::default() };
    let mut meta: Vec<String> = Vec::new();
    let mut body_extra: Vec<String> = Vec::new();
    let m = &p.disclosure;
    for v in [&m.doc_number, &m.issuer, &m.index_no, &m.topic, &m.source].into_iter().flatten() {
        f.fields.push(v.clone());
    }
    // Not `reviewers`: the 审核 names are kept with the page but not shown on it.
    f.fields.extend(p.tags.iter().cloned());
    if kind.is_some() {
        f.fields.push(p.id.clone());
    }
    let entries = |e: &[crate::model::Entry]| e.iter().map(|x| x.text.clone()).collect::<Vec<_>>();
    match &p.record {
        Record::None | Record::Document { .. } => {
            meta.extend(m.doc_number.iter().cloned());
            meta.extend(m.issuer.iter().cloned());
            if meta.is_empty() {
                meta.extend(p.date.map(zh_date));
            }
        }
        Record::Areas { units } => {
            let u: Vec<String> = units.iter().map(|id| names.unit(id)).collect();
            meta.push(format!("对标单位：{}", u.join("、")));
            f.fields.extend(u);
        }
        Record::Tasks { area, lead, departments, status, updates, .. } => {
            let lead = lead.as_deref().map(|id| names.name(Kind::People, id));
            let area = area.as_deref().map(|id| names.name(Kind::Areas, id));
            meta.push(p.id.clone());
            meta.extend(lead.iter().map(|l| format!("牵头领导：{l}")));
            if !departments.is_empty() {
                meta.push(format!("责任部门：{}", departments.join("、")));
            }
            f.fields.extend(lead.into_iter().chain(area).chain(departments.iter().cloned()));
            f.fields.push(status.zh().to_owned());
            body_extra.extend(entries(updates));
        }
        Record::Indicators { name, unit, area, source, .. } => {
            let area = area.as_deref().map(|id| names.name(Kind::Areas, id));
            f.fields.push(name.clone());
            f.fields.extend(unit.iter().cloned().chain(area.clone()).chain(source.iter().cloned()));
            meta.extend(area);
            meta.extend(unit.iter().map(|u| format!("单位：{u}")));
        }
        Record::Enterprises { name, cluster, honors } => {
            f.fields.push(name.clone());
            f.fields.extend(cluster.iter().cloned());
            for h in honors {
                f.fields.push(h.title.clone());
                f.fields.extend(h.issuer.iter().cloned());
            }
            meta.extend(cluster.iter().cloned());
            if !honors.is_empty() {
                meta.push(honors.iter().map(|h| h.title.as_str()).collect::<Vec<_>>().join("、"));
            }
        }
        Record::People { name, position, group_roles, duties, honors } => {
            f.fields.push(name.clone());
            f.fields.extend(position.iter().cloned().chain(duties.iter().cloned()));
            f.fields.extend(group_roles.iter().map(|g| g.zh().to_owned()));
            f.fields.extend(honors.iter().map(|h| h.title.clone()));
            meta.extend(position.iter().cloned());
        }
        Record::Projects { name, company, park, leader, status, milestones, .. } => {
            let company = company.as_deref().map(|c| names.name(Kind::Enterprises, c));
            let leader = leader.as_deref().map(|id| names.name(Kind::People, id));
            f.fields.push(name.clone());
            f.fields.extend(company.iter().cloned().chain(park.iter().cloned()).chain(leader.iter().cloned()));
            f.fields.push(status.zh().to_owned());
            meta.extend(company);
            meta.push(status.zh().to_owned());
            body_extra.extend(entries(milestones));
        }
        Record::Notices { publisher, contact, corrections, .. } => {
            f.fields.extend(publisher.iter().cloned().chain(contact.person.iter().cloned()));
            meta.extend(publisher.iter().cloned());
            meta.extend(p.date.map(zh_date));
            body_extra.extend(entries(corrections));
        }
    }
    f.summary = p.summary.clone().unwrap_or_default();
    f.text = std::iter::once(p.text.to_string()).chain(body_extra).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(" ");
    let doc = Doc {
        path: p.path.clone(),
        title: p.title.clone(),
        section: site.sections[p.section].title.clone(),
        meta: meta.into_iter().filter(|s| !s.is_empty()).collect::<Vec<_>>().join("　"),
        text: snippet_text(&f.summary, &f.text),
    };
    (doc, f)
}

/// The summary, then the text, cut to [`TEXT_CAP`] characters.
fn snippet_text(summary: &str, text: &str) -> String {
    let (first, second) = if summary.is_empty() || text.starts_with(summary) {
        (text, "")
    } else if text.is_empty() {
        (summary, "")
    } else {
        (summary, text)
    };
    // Cut by byte offset, found once: counting and collecting the
    // characters one by one showed in profiles.
    let mut out = String::with_capacity((first.len() + second.len() + 1).min(TEXT_CAP * 3 + 4));
    let mut left = TEXT_CAP;
    let mut cut = false;
    for (k, part) in [first, second].into_iter().enumerate() {
        if k == 1 && !part.is_empty() {
            if left == 0 {
                cut = true;
                break;
            }
            out.push(' ');
            left -= 1;
        }
        match part.char_indices().nth(left) {
            Some((at, _)) => {
                out.push_str(&part[..at]);
                cut = true;
                break;
            }
            None => {
                out.push_str(part);
                left -= part.chars().count();
            }
        }
    }
    if cut {
        out.push('…');
    }
    out
}

/// A searchable page: a section listing with an index, or a page.
#[derive(Clone, Copy)]
enum Source {
    Section(usize),
    Page(usize),
}

/// Every searchable page of the site, in order: section listings with an
/// index (the home page first), then pages. Not the 404, search, feedback or
/// site map pages.
fn sources(site: &Site) -> Vec<Source> {
    let sections = (0..site.sections.len()).filter(|&i| site.sections[i].has_index || site.sections[i].path.is_empty()).map(Source::Section);
    sections.chain((0..site.pages.len()).map(Source::Page)).collect()
}

fn document(site: &Site, names: &Names<'_>, source: Source) -> (Doc, Fields) {
    match source {
        Source::Page(i) => page_doc(site, names, &site.pages[i]),
        Source::Section(i) => {
            let s = &site.sections[i];
            let title = if s.path.is_empty() { site.config.title.clone() } else { s.title.clone() };
            let text = strip_tags(&s.content);
            let summary = s.summary.clone().unwrap_or_default();
            let section = if s.path.is_empty() { "首页".to_owned() } else { title.clone() };
            let doc = Doc { path: s.path.clone(), title: title.clone(), section, meta: String::new(), text: snippet_text(&summary, &text) };
            let fields = Fields { title, headings: s.toc.iter().map(|h| h.title.clone()).collect(), fields: Vec::new(), summary, text };
            (doc, fields)
        }
    }
}

/// A fast hasher for the build's term maps (FxHash's mixing step). Only
/// lookups use it: nothing is written in hash order.
#[derive(Default, Clone, Copy)]
struct Fx(u64);

impl std::hash::Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            self.write_u64(u64::from_le_bytes(c.try_into().expect("8 bytes")));
        }
        for &b in chunks.remainder() {
            self.write_u64(b as u64);
        }
    }
    fn write_u8(&mut self, n: u8) {
        self.write_u64(n as u64);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

type FxMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<Fx>>;

/// Per-field counts of a term in one document: title, headings, fields,
/// summary, text.
type FieldCounts = [u16; 5];
/// A term's postings while building, packed: per document (ascending) the
/// difference from the previous one and `weighted count × 8 + flags`, as
/// LEB128 numbers. Two or three bytes a posting where a `(u32, [u16; 5])`
/// took sixteen: at 10,000 pages this was most of the build's memory.
#[derive(Default)]
struct Postings {
    last: u32,
    count: u32,
    bytes: Vec<u8>,
}

impl Postings {
    fn push(&mut self, doc: u32, c: FieldCounts) {
        let tf = W_TITLE * c[0] as u32 + W_HEADING * c[1] as u32 + W_FIELD * c[2] as u32 + W_SUMMARY * c[3] as u32 + W_TEXT * c[4] as u32;
        let flag = |n: u16, bit: u32| if n > 0 { bit } else { 0 };
        let flags = flag(c[0], IN_TITLE) | flag(c[1], IN_HEADING) | flag(c[2], IN_FIELD);
        put_varint(&mut self.bytes, doc - self.last);
        put_varint(&mut self.bytes, tf * 8 + flags);
        self.last = doc;
        self.count += 1;
    }

    /// `(doc, weighted count, flags)`, docs ascending.
    fn iter(&self) -> impl Iterator<Item = (u32, u32, u32)> + '_ {
        let mut at = 0;
        let mut doc = 0;
        std::iter::from_fn(move || {
            if at >= self.bytes.len() {
                return None;
            }
            doc += get_varint(&self.bytes, &mut at);
            let v = get_varint(&self.bytes, &mut at);
            Some((doc, v / 8, v % 8))
        })
    }
}

fn put_varint(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push(n as u8 | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

fn get_varint(bytes: &[u8], at: &mut usize) -> u32 {
    let mut n = 0u32;
    let mut shift = 0;
    loop {
        let b = bytes[*at];
        *at += 1;
        n |= ((b & 0x7f) as u32) << shift;
        if b < 0x80 {
            return n;
        }
        shift += 7;
    }
}

/// The term maps are split into this many parts, by term hash, so that
/// documents are merged into them in parallel (one part per task, no locks).
const PARTS: usize = 64;

/// Which part a term goes to. From the middle bits of a hash, which the
/// maps' own bucket and tag bits (low and top bits of the Fx hash) do not use,
/// so a part's map still spreads its keys.
fn part_of(h: u64) -> usize {
    (h >> 40) as usize % PARTS
}

fn fx_hash<K: std::hash::Hash + ?Sized>(k: &K) -> u64 {
    use std::hash::BuildHasher;
    std::hash::BuildHasherDefault::<Fx>::default().hash_one(k)
}

/// One document's terms, grouped by part: `items[starts[p]..starts[p + 1]]`
/// are the terms of part `p`.
struct ByPart<K> {
    items: Vec<(K, FieldCounts)>,
    starts: [u32; PARTS + 1],
}

impl<K: std::hash::Hash + Default + Clone> ByPart<K> {
    /// Grouped by a counting sort: a comparison sort showed in profiles.
    fn new(map: FxMap<K, FieldCounts>) -> Self {
        let keyed: Vec<(usize, K, FieldCounts)> = map.into_iter().map(|(k, c)| (part_of(fx_hash(&k)), k, c)).collect();
        let mut starts = [0u32; PARTS + 1];
        for e in &keyed {
            starts[e.0 + 1] += 1;
        }
        for p in 0..PARTS {
            starts[p + 1] += starts[p];
        }
        // Placeholders (0, or an empty string: no allocation) filled in place.
        let mut items = vec![(K::default(), FieldCounts::default()); keyed.len()];
        let mut next = starts;
        for (p, k, c) in keyed {
            items[next[p] as usize] = (k, c);
            next[p] += 1;
        }
        ByPart { items, starts }
    }

    fn part(&self, p: usize) -> &[(K, FieldCounts)] {
        &self.items[self.starts[p] as usize..self.starts[p + 1] as usize]
    }
}

/// One document counted: Han terms (packed, as most are) apart from words,
/// so the hot maps have 8-byte keys; and its length in terms.
struct Counted {
    han: ByPart<u64>,
    words: ByPart<String>,
    len: usize,
}

/// Term → per-field counts of one document, and the length of its summary
/// and text in terms.
fn counts(f: &Fields) -> Counted {
    let size = f.title.len() + f.summary.len() + f.text.len() + f.headings.iter().chain(&f.fields).map(String::len).sum::<usize>();
    // Chinese text: three bytes a character, fewer than two new terms a character.
    let mut han: FxMap<u64, FieldCounts> = FxMap::with_capacity_and_hasher(size / 3, Default::default());
    let mut words: FxMap<String, FieldCounts> = FxMap::default();
    let mut add = |text: &str, field: usize| {
        each_term(text, |t| {
            let c = match t {
                Term::Han(x) => &mut han.entry(x).or_default()[field],
                Term::Word(w) => &mut words.entry(w).or_default()[field],
            };
            *c = c.saturating_add(1);
        })
    };
    add(&f.title, 0);
    for h in &f.headings {
        add(h, 1);
    }
    for x in &f.fields {
        add(x, 2);
    }
    let len = add(&f.summary, 3) + add(&f.text, 4);
    Counted { han: ByPart::new(han), words: ByPart::new(words), len }
}

/// One part of the term maps: term → postings.
#[derive(Default)]
struct Part {
    han: FxMap<u64, Postings>,
    words: FxMap<String, Postings>,
}

impl Part {
    /// Appends part `p` of the documents counted, `first` being the first one's number.
    fn merge(&mut self, p: usize, first: usize, counted: &[Counted]) {
        for (i, c) in counted.iter().enumerate() {
            let doc = (first + i) as u32;
            for &(x, n) in c.han.part(p) {
                self.han.entry(x).or_default().push(doc, n);
            }
            for (w, n) in c.words.part(p) {
                match self.words.get_mut(w.as_str()) {
                    Some(v) => v.push(doc, *n),
                    None => {
                        let mut v = Postings::default();
                        v.push(doc, *n);
                        self.words.insert(w.clone(), v);
                    }
                }
            }
        }
    }
}

/// Documents' lengths in terms, for BM25's length normalisation.
struct Lengths {
    /// Per document, `K1 × (1 − B + B × length / average length)`.
    norms: Vec<f64>,
    n: f64,
}

impl Lengths {
    fn new(lens: &[usize]) -> Lengths {
        let n = lens.len().max(1) as f64;
        let avg = (lens.iter().sum::<usize>() as f64 / n).max(1.0);
        Lengths { norms: lens.iter().map(|&len| K1 * (1.0 - B + B * (len as f64) / avg)).collect(), n }
    }
}

/// A BM25 score (never negative) in stored units: `(s × SCALE).round()`,
/// clamped. Adding ½ and truncating, as `round` is a library call here;
/// the two differ only below 0.5, which is clamped to 1 anyway.
fn score_units(s: f64) -> u32 {
    ((s * SCALE + 0.5) as u32).clamp(1, MAX_SCORE)
}

/// A term's encoded postings: its BM25F score and flags in each document.
fn score_postings(ps: &Postings, l: &Lengths) -> String {
    let n = l.n;
    let d = ps.count as f64;
    let idf = (1.0 + (n - d + 0.5) / (d + 0.5)).ln();
    // Most numbers take one or two digits.
    let mut out = String::with_capacity(ps.count as usize * 4);
    let mut prev = 0;
    for (doc, tf, flags) in ps.iter() {
        let tf = tf as f64;
        let score = score_units(idf * tf * (K1 + 1.0) / (tf + l.norms[doc as usize]));
        put_num(&mut out, (doc - prev) as u64);
        put_num(&mut out, (score * 8 + flags) as u64);
        prev = doc;
    }
    out
}

/// The index's files, handed to `put` as they are made, and, when asked to
/// keep them, its documents and terms (what [`Index::query`] needs; a build
/// only writes the files).
struct Made {
    docs: Vec<Doc>,
    shards: Vec<Vec<(String, String)>>,
    /// `meta.json`, the shards, then the document chunks.
    files: Vec<OutFile>,
    version: String,
}

/// A shard's sorted `(term, postings)` as the JSON object a `BTreeMap` gives.
struct SortedMap<'a>(&'a [(String, String)]);

impl serde::Serialize for SortedMap<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.0.iter().map(|(k, v)| (k, v)))
    }
}

fn make(site: &Site, keep: bool, put: Put<'_>) -> std::io::Result<Made> {
    use rayon::prelude::*;
    use sha2::Digest;
    let names = Names::new(site);
    let sources = sources(site);
    // The version hashes every file's SHA-256, the chunks first: they are
    // handed on (and dropped) as they are made. Each file's own hash is made
    // in parallel, or taken from the staging folder, which made it already
    // (hashing 47 MB of index in one thread showed in profiles).
    let mut version = sha2::Sha256::new();
    let mut put_all = |first: usize, dir: &str, bytes: Vec<Vec<u8>>| -> std::io::Result<Vec<OutFile>> {
        let made: Vec<([u8; 32], OutFile)> = bytes
            .into_par_iter()
            .enumerate()
            .map(|(i, b)| {
                let path = format!("{SEARCH_PATH}{dir}/{}.json", first + i);
                let data = put(&path, b)?;
                let digest = match &data {
                    Data::Staged { sha256, .. } => *sha256,
                    Data::Bytes(b) => sha2::Sha256::digest(b).into(),
                    other => unreachable!("put gives bytes or a staged file, not {other:?}"),
                };
                Ok((digest, OutFile { data, path }))
            })
            .collect::<std::io::Result<_>>()?;
        Ok(made
            .into_iter()
            .map(|(digest, f)| {
                version.update(digest);
                f
            })
            .collect())
    };
    // Term → postings, docs ascending. A batch of documents at a time (which
    // bounds the memory of their text and counts): their fields and counts
    // made in parallel, their result chunks handed on, then merged in
    // document order, the parts in parallel.
    let mut parts: Vec<Part> = (0..PARTS).map(|_| Part::default()).collect();
    let mut lens: Vec<usize> = Vec::with_capacity(sources.len());
    let mut docs: Vec<Doc> = Vec::new();
    let mut chunk_files: Vec<OutFile> = Vec::with_capacity(sources.len().div_ceil(DOCS_PER_CHUNK));
    // A multiple of DOCS_PER_CHUNK, so chunks never straddle batches.
    const BATCH: usize = 256;
    for (b, batch) in sources.chunks(BATCH).enumerate() {
        let made: Vec<(Doc, Fields)> = batch.par_iter().map(|&s| document(site, &names, s)).collect();
        let counted: Vec<Counted> = made.par_iter().map(|(_, f)| counts(f)).collect();
        lens.extend(counted.iter().map(|c| c.len));
        parts.par_iter_mut().enumerate().for_each(|(p, part)| part.merge(p, b * BATCH, &counted));
        let chunks = made.par_chunks(DOCS_PER_CHUNK).map(|c| json_bytes(&c.iter().map(|(d, _)| [&d.path, &d.title, &d.section, &d.meta, &d.text]).collect::<Vec<_>>())).collect();
        chunk_files.extend(put_all(b * BATCH / DOCS_PER_CHUNK, "docs", chunks)?);
        if keep {
            docs.extend(made.into_iter().map(|(d, _)| d));
        }
    }
    let doc_count = lens.len();
    let lengths = Lengths::new(&lens);
    let encoded: Vec<(String, String)> = parts
        .into_par_iter()
        .flat_map_iter(|part| {
            let l = &lengths;
            let han = part.han.into_iter().map(move |(x, ps)| (han_text(x), score_postings(&ps, l)));
            let words = part.words.into_iter().map(move |(w, ps)| {
                let p = score_postings(&ps, l);
                (w, p)
            });
            han.chain(words).collect::<Vec<_>>()
        })
        .collect();
    let total: usize = encoded.iter().map(|(t, p)| t.len() + p.len() + 6).sum();
    let mut shard_count = MIN_SHARDS;
    while shard_count < MAX_SHARDS && total / shard_count > SHARD_TARGET_BYTES {
        shard_count *= 2;
    }
    let mut shards: Vec<Vec<(String, String)>> = vec![Vec::new(); shard_count];
    for (t, p) in encoded {
        shards[shard_of(&t, shard_count)].push((t, p));
    }
    let shard_bytes = shards
        .par_iter_mut()
        .map(|sh| {
            sh.sort_unstable_by(|a, b| a.0.cmp(&b.0));
            let bytes = json_bytes(&SortedMap(sh));
            if !keep {
                *sh = Vec::new();
            }
            bytes
        })
        .collect();
    let shard_files = put_all(0, "idx", shard_bytes)?;
    let version = crate::output::hex(&version.finalize()[..6]);
    let meta_path = format!("{SEARCH_PATH}meta.json");
    let meta = OutFile { data: put(&meta_path, meta_json(&version, doc_count, shard_count))?, path: meta_path };
    let files = std::iter::once(meta).chain(shard_files).chain(chunk_files).collect();
    Ok(Made { docs, shards, files, version })
}

/// Builds the index of the site, kept for queries (tests, `search.js`'s twin).
pub fn build(site: &Site) -> Index {
    let made = make(site, true, &crate::output::keep_in_memory).expect("kept in memory");
    let bytes = |f: OutFile| match f.data {
        Data::Bytes(b) => b,
        _ => unreachable!("kept in memory"),
    };
    // meta.json is made again from the index when asked for.
    let mut files = made.files.into_iter().skip(1);
    let shard_bytes: Vec<Vec<u8>> = files.by_ref().take(made.shards.len()).map(bytes).collect();
    let chunk_bytes: Vec<Vec<u8>> = files.map(bytes).collect();
    let shards = made.shards.into_iter().map(|sh| sh.into_iter().collect()).collect();
    Index { docs: made.docs, shards, version: made.version, shard_bytes, chunk_bytes }
}

fn meta_json(version: &str, docs: usize, shards: usize) -> Vec<u8> {
    json_bytes(&json!({
        "format": FORMAT,
        "version": version,
        "docs": docs,
        "chunk": DOCS_PER_CHUNK,
        "shards": shards,
        "max_query_chars": MAX_QUERY_CHARS,
        "max_terms": MAX_TERMS,
    }))
}

/// The index files of the site, in memory (what `serve` shows).
pub fn files(site: &Site) -> Vec<OutFile> {
    files_with(site, &crate::output::keep_in_memory).expect("kept in memory")
}

/// The index files of the site, each handed to `put` as soon as it is made.
pub fn files_with(site: &Site, put: Put<'_>) -> std::io::Result<Vec<OutFile>> {
    make(site, false, put).map(|m| m.files)
}

fn json_bytes(v: &impl serde::Serialize) -> Vec<u8> {
    let mut b = serde_json::to_vec(v).expect("JSON of strings and numbers");
    b.push(b'\n');
    b
}

impl Index {
    pub fn chunk_count(&self) -> usize {
        self.docs.len().div_ceil(DOCS_PER_CHUNK)
    }

    fn shard_json(&self, i: usize) -> &[u8] {
        &self.shard_bytes[i]
    }

    fn chunk_json(&self, i: usize) -> &[u8] {
        &self.chunk_bytes[i]
    }

    fn meta_json(&self) -> Vec<u8> {
        meta_json(&self.version, self.docs.len(), self.shards.len())
    }

    /// Every file of the index, with paths relative to the site root.
    pub fn files(&self) -> Vec<OutFile> {
        self.clone().into_files()
    }

    /// Every file of the index, without copying their bytes.
    pub fn into_files(self) -> Vec<OutFile> {
        let mut out = vec![OutFile { path: format!("{SEARCH_PATH}meta.json"), data: Data::Bytes(self.meta_json()) }];
        for (i, b) in self.shard_bytes.into_iter().enumerate() {
            out.push(OutFile { path: format!("{SEARCH_PATH}idx/{i}.json"), data: Data::Bytes(b) });
        }
        for (i, b) in self.chunk_bytes.into_iter().enumerate() {
            out.push(OutFile { path: format!("{SEARCH_PATH}docs/{i}.json"), data: Data::Bytes(b) });
        }
        out
    }

    /// Total bytes of the index files.
    pub fn size(&self) -> usize {
        self.meta_json().len() + self.shard_bytes.iter().chain(&self.chunk_bytes).map(Vec::len).sum::<usize>()
    }

    /// A term's postings: `(doc, score × 8 + flags)`.
    pub fn postings(&self, term: &str) -> Vec<(usize, u32)> {
        self.shards[shard_of(term, self.shards.len())].get(term).map(|s| decode_postings(s)).unwrap_or_default()
    }

    /// Ranked results of a query; what `search.js` computes in the browser.
    pub fn query(&self, q: &str) -> Vec<Hit> {
        let terms = query_terms(q);
        if terms.is_empty() {
            return Vec::new();
        }
        // doc → (score, flags every term has so far, terms matched)
        let mut acc: BTreeMap<usize, (u64, u32, usize)> = BTreeMap::new();
        for (i, t) in terms.iter().enumerate() {
            for (doc, v) in self.postings(t) {
                let e = acc.entry(doc).or_insert((0, 7, 0));
                if e.2 == i {
                    e.0 += (v / 8) as u64;
                    e.1 &= v % 8;
                    e.2 += 1;
                }
            }
        }
        let mut hits: Vec<Hit> = acc
            .into_iter()
            .filter(|(_, e)| e.2 == terms.len())
            .map(|(doc, (score, flags, _))| {
                let bonus = if flags & IN_TITLE != 0 { BONUS_TITLE } else { 0 }
                    + if flags & IN_HEADING != 0 { BONUS_HEADING } else { 0 }
                    + if flags & IN_FIELD != 0 { BONUS_FIELD } else { 0 };
                Hit { doc, score: score + bonus, path: self.docs[doc].path.clone(), title: self.docs[doc].title.clone() }
            })
            .collect();
        hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.doc.cmp(&b.doc)));
        hits
    }

    /// What `search.js` downloads for a query, showing the first `shown` results.
    pub fn download(&self, q: &str, shown: usize) -> Download {
        let mut d = Download { meta: self.meta_json().len(), ..Default::default() };
        let terms = query_terms(q);
        let mut shards: Vec<usize> = terms.iter().map(|t| shard_of(t, self.shards.len())).collect();
        shards.sort();
        shards.dedup();
        d.shard_files = shards.len();
        d.shards = shards.iter().map(|&i| self.shard_json(i).len()).sum();
        let mut chunks: Vec<usize> = self.query(q).iter().take(shown).map(|h| h.doc / DOCS_PER_CHUNK).collect();
        chunks.sort();
        chunks.dedup();
        d.doc_files = chunks.len();
        d.docs = chunks.iter().map(|&i| self.chunk_json(i).len()).sum();
        d
    }
}

/// Ranked results of a query (see [`Index::query`]).
pub fn query(index: &Index, q: &str) -> Vec<Hit> {
    index.query(q)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snippets_are_the_first_characters_of_summary_and_text() {
        // What snippet_text means, written the plain way.
        let plain = |summary: &str, text: &str| {
            let joined = if summary.is_empty() || text.starts_with(summary) {
                text.to_owned()
            } else if text.is_empty() {
                summary.to_owned()
            } else {
                format!("{summary} {text}")
            };
            let mut out: String = joined.chars().take(TEXT_CAP).collect();
            if joined.chars().count() > TEXT_CAP {
                out.push('…');
            }
            out
        };
        let long = "开发区".repeat(TEXT_CAP);
        let cases: Vec<(String, String)> = vec![
            (String::new(), String::new()),
            ("摘要".into(), String::new()),
            (String::new(), "正文".into()),
            ("摘要".into(), "摘要和正文".into()),
            ("摘要".into(), "正文".into()),
            ("字".repeat(TEXT_CAP), String::new()),
            ("字".repeat(TEXT_CAP), "正".into()),
            ("字".repeat(TEXT_CAP - 1), "正".into()),
            ("字".repeat(TEXT_CAP - 2), "正文".into()),
            ("字".repeat(TEXT_CAP - 2), "正".into()),
            ("a".into(), long.clone()),
            (long.clone(), "b".into()),
            (String::new(), "文".repeat(TEXT_CAP)),
            (String::new(), "文".repeat(TEXT_CAP + 1)),
        ];
        for (summary, text) in cases {
            assert_eq!(snippet_text(&summary, &text), plain(&summary, &text), "{} + {} characters", summary.chars().count(), text.chars().count());
        }
    }

    #[test]
    fn scores_round_as_round_does() {
        let mut xs = vec![0.0, 0.49999999999999994, 0.5, 1.5, 2.5, 4094.5, 4095.4, 1e20, f64::INFINITY, f64::NAN];
        xs.extend((0..200_000).map(|i| i as f64 * 0.0213));
        for x in xs {
            let s = x / SCALE;
            assert_eq!(score_units(s), ((s * SCALE).round() as u32).clamp(1, MAX_SCORE), "{s}");
        }
    }

    #[test]
    fn packed_postings_give_back_what_went_in() {
        let mut p = Postings::default();
        let input: [(u32, FieldCounts); 4] = [(0, [0, 0, 0, 0, 1]), (1, [1, 0, 2, 0, 3]), (300, [0, 1, 0, 0, 0]), (70_000, [u16::MAX; 5])];
        for (doc, c) in input {
            p.push(doc, c);
        }
        let got: Vec<(u32, u32, u32)> = p.iter().collect();
        assert_eq!(got, vec![(0, 1, 0), (1, 10 + 6 + 3, IN_TITLE | IN_FIELD), (300, 4, IN_HEADING), (70_000, 20 * u16::MAX as u32, IN_TITLE | IN_HEADING | IN_FIELD)]);
        assert_eq!(p.count, 4);
        // One byte for small gaps and counts: the point of packing them.
        assert_eq!(p.bytes[..2], [0, 8]);
    }
}

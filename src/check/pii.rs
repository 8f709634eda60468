//! Personal data (GOV-RULES §5.2): full 居民身份证号 (PII-ID-01), numbers
//! that look like one (PII-ID-02), personal mobiles (PII-TEL-01), bank cards
//! (PII-BANK-01) and unmasked personal columns in lists (PII-CTX-01).
//!
//! Scanned as written, before any rendering: every Markdown file under
//! `content/` (front matter and body), every data file (CSV in UTF-8 or GBK,
//! every sheet of an XLSX, YAML) and text attachments (.txt .csv .md .json
//! .html .htm). The scanners are hand-written byte loops, one pass for
//! ID-shaped tokens and one for phones and cards, and table parsing only
//! starts when a file names a personal column at all, so a site of 10,000
//! pages costs little.
//!
//! A finding never carries a full number. Every number found in a file is
//! masked (first 4 and last 4 characters of IDs and cards, first 3 and last
//! 4 digits of mobiles) in the quoted line and in the message, so the CI
//! log of a check does not leak what the check is there to keep private.

use super::Ctx;
use crate::diag::Diagnostic;
use crate::lang::Msg;
use crate::model::{Kind, Site};
use crate::msg;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let files = files(ctx.root);
    if files.is_empty() {
        return;
    }
    let scope = Scope::new(ctx.site, &ctx.settings.phone_allow);
    // Markdown sources the load already found free of anything reported here.
    let free: std::collections::HashSet<&str> = ctx.site.pages.iter().filter(|p| p.pii_free).map(|p| p.file.as_str()).chain(ctx.site.sections.iter().filter(|s| s.pii_free).map(|s| s.file.as_str())).collect();
    let found: Vec<Vec<Diagnostic>> = files
        .par_iter()
        .filter(|(rel, _, format)| !(*format == Format::Markdown && free.contains(rel.as_str())))
        .map(|(rel, abs, format)| scan_file(ctx, &scope, rel, abs, *format))
        .collect();
    out.extend(found.into_iter().flatten());
}

/// Whether a Markdown source has nothing these rules report, whatever the
/// site's settings: no number the scanner takes for personal data (scanned
/// with no allow-list and every birth date past, which finds the most), and
/// no table whose header names a personal column. The load asks while it
/// has the text ([`crate::model::Page::pii_free`]), so [`check`] need not
/// read the file again.
pub(crate) fn nothing_to_report(text: &str) -> bool {
    scan(text.as_bytes(), &Scope::most()).is_empty() && !(text.contains('|') && names_a_column(text))
}

// ---------------------------------------------------------------------------
// Which files, and how each is read.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Markdown,
    Csv,
    Xlsx,
    /// Scanned for numbers only: YAML, .txt, .json, .html.
    Text,
}

fn format_of(name: &str) -> Option<Format> {
    let lower = name.to_ascii_lowercase();
    Some(match lower.rsplit_once('.')?.1 {
        "md" => Format::Markdown,
        "csv" => Format::Csv,
        "xlsx" => Format::Xlsx,
        "yml" | "yaml" | "txt" | "json" | "html" | "htm" => Format::Text,
        _ => return None,
    })
}

/// Every file under `content/` that can hold text, in sorted order, skipping
/// the names the loader ignores (editor backups, dot files).
fn files(root: &Path) -> Vec<(String, PathBuf, Format)> {
    let mut v = Vec::new();
    let walker = walkdir::WalkDir::new(root.join("content")).sort_by_file_name().follow_links(false).into_iter();
    for entry in walker.filter_entry(|e| e.depth() == 0 || !crate::content::is_ignored_name(&e.file_name().to_string_lossy())).flatten() {
        if !entry.file_type().is_file() {
            continue;
        }
        let Some(format) = format_of(&entry.file_name().to_string_lossy()) else { continue };
        let rel = entry.path().strip_prefix(root).unwrap_or(entry.path());
        let rel = rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
        v.push((rel, entry.path().to_owned(), format));
    }
    v
}

/// UTF-8 (with or without BOM), else GBK as Excel and WPS save on Chinese
/// Windows; `None` for anything else (a binary file with a text name).
fn read_text(abs: &Path) -> Option<String> {
    let bytes = std::fs::read(abs).ok()?;
    if let Ok(s) = crate::source::utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes)) {
        return Some(crate::source::normalize_newlines(s));
    }
    if crate::source::looks_like_gbk(&bytes) {
        let (text, _, _) = encoding_rs::GBK.decode(&bytes);
        return Some(crate::source::normalize_newlines(&text));
    }
    None
}

/// What the site says about folders: which are 公示 sections, and which
/// published numbers are on the allow-list.
struct Scope {
    /// Section folder (with an `_index.md`) or page bundle folder → whether
    /// it is (in) a `kind: notices` section.
    notices: HashMap<String, bool>,
    /// `check.phone_allow`, digits only.
    allow: Vec<String>,
    /// The build date as YYYYMMDD: a "birth date" after it is a serial
    /// number (370323 20261120 0001), not an ID.
    today: u32,
}

impl Scope {
    /// The scope that finds the most: no allow-list, no 公示 section, and
    /// every birth date in the past (what [`mask_numbers`] uses too).
    fn most() -> Scope {
        Scope { notices: HashMap::new(), allow: Vec::new(), today: u32::MAX }
    }

    fn new(site: &Site, phone_allow: &[String]) -> Scope {
        let d = site.build_date;
        let today = d.year() as u32 * 10_000 + d.month() as u32 * 100 + d.day() as u32;
        let mut notices = HashMap::new();
        for s in site.sections.iter().filter(|s| s.has_index) {
            notices.insert(dir_of(&s.file).to_owned(), s.kind == Some(Kind::Notices));
        }
        for p in site.pages.iter().filter(|p| p.file.ends_with("/index.md")) {
            let kind = site.sections.get(p.section).and_then(|s| s.kind);
            notices.insert(dir_of(&p.file).to_owned(), kind == Some(Kind::Notices));
        }
        let allow = phone_allow.iter().map(|a| a.chars().filter(char::is_ascii_digit).collect::<String>()).filter(|a| !a.is_empty()).collect();
        Scope { notices, allow, today }
    }

    /// Whether a file sits in a 公示 section: the nearest folder above it
    /// that is a section with an index, or a page bundle, decides.
    fn in_notices(&self, rel: &str) -> bool {
        let mut dir = dir_of(rel);
        loop {
            if let Some(&n) = self.notices.get(dir) {
                return n;
            }
            match dir.rsplit_once('/') {
                Some((up, _)) => dir = up,
                None => return false,
            }
        }
    }

    /// Whether a number (digits only) is a deliberately published one.
    fn allowed(&self, digits: &str) -> bool {
        self.allow.iter().any(|a| a == digits || a.strip_prefix("86") == Some(digits) || digits.strip_prefix("86") == Some(a.as_str()))
    }
}

fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

// ---------------------------------------------------------------------------
// One text to scan: a file, or one sheet of a workbook rendered as text.

struct Doc<'t> {
    file: &'t str,
    text: &'t str,
    notices: bool,
    tables: Vec<Table>,
    sheet: Option<&'t Sheet>,
}

/// A table: its header cells and rows, each cell a span of the text.
#[derive(Debug, Default)]
struct Table {
    header: Vec<Cell>,
    rows: Vec<Vec<Cell>>,
}

#[derive(Debug, Clone)]
struct Cell {
    /// Byte span of the (trimmed) cell in the text.
    start: usize,
    end: usize,
    /// The value: the span with CSV quoting undone.
    value: String,
}

/// A worksheet rendered as text the way `datafile` quotes spreadsheets: one
/// line per row (line = row number), cells joined by " | ".
struct Sheet {
    name: String,
    text: String,
    /// Where each cell starts in `text`, with its column index in the row.
    cells: Vec<(usize, usize)>,
    /// Header text by column index.
    headers: Vec<String>,
    first_col: usize,
    table: Option<Table>,
}

impl Sheet {
    /// "sheet "名单", column C (身份证号)" for the cell holding byte `offset`.
    fn note(&self, offset: usize) -> Option<Msg> {
        let k = self.cells.partition_point(|&(s, _)| s <= offset).checked_sub(1)?;
        let i = self.cells[k].1;
        let (s, c) = (&self.name, crate::datafile::column_letter(self.first_col + i));
        Some(match self.headers.get(i).map(|h| h.trim()).filter(|h| !h.is_empty()) {
            Some(h) => msg!("工作表“{s}”，{c} 列（{h}）", "sheet \"{s}\", column {c} ({h})"),
            None => msg!("工作表“{s}”，{c} 列", "sheet \"{s}\", column {c}"),
        })
    }
}

fn scan_file(ctx: &Ctx<'_>, scope: &Scope, rel: &str, abs: &Path, format: Format) -> Vec<Diagnostic> {
    let notices = scope.in_notices(rel);
    match format {
        Format::Markdown => {
            // Read here, not through `ctx.source`: that keeps every text it
            // reads, and this scan reads every page once.
            let Some(text) = ctx.read(rel) else { return Vec::new() };
            let tables = if text.contains('|') && names_a_column(&text) { markdown_tables(&text) } else { Vec::new() };
            report(ctx, scope, &Doc { file: rel, text: &text, notices, tables, sheet: None })
        }
        Format::Csv | Format::Text => {
            let Some(text) = read_text(abs) else { return Vec::new() };
            let tables = if format == Format::Csv && names_a_column(&text) { csv_table(&text).into_iter().collect() } else { Vec::new() };
            report(ctx, scope, &Doc { file: rel, text: &text, notices, tables, sheet: None })
        }
        Format::Xlsx => {
            use calamine::Reader;
            // An unreadable workbook in a data section is reported by the build.
            let Ok(mut wb) = calamine::open_workbook::<calamine::Xlsx<_>, _>(abs) else { return Vec::new() };
            let mut out = Vec::new();
            for (name, range) in wb.worksheets() {
                let mut sheet = render_sheet(name, &range);
                let tables = sheet.table.take().into_iter().collect();
                out.extend(report(ctx, scope, &Doc { file: rel, text: &sheet.text, notices, tables, sheet: Some(&sheet) }));
            }
            out
        }
    }
}

/// `text` with every ID, mobile and card number in it masked the way this
/// family quotes them (3703**********1234, 138****1234, 6222********1234),
/// for other rules that quote text a number may be in. Masked numbers and
/// 统一社会信用代码 are left as they are; no allow-list applies.
pub fn mask_numbers(text: &str) -> String {
    let hits = scan(text.as_bytes(), &Scope::most());
    if hits.is_empty() {
        return text.to_owned();
    }
    let mut bytes = text.as_bytes().to_vec();
    for h in &hits {
        mask(&mut bytes, h.mask_from, h.end, h.front, h.back);
    }
    String::from_utf8(bytes).expect("only ASCII digits were replaced, by ASCII")
}

// ---------------------------------------------------------------------------
// Findings.

/// Scans one text, masks every number found in it, and reports.
fn report(ctx: &Ctx<'_>, scope: &Scope, doc: &Doc<'_>) -> Vec<Diagnostic> {
    let hits = scan(doc.text.as_bytes(), scope);
    let columns: Vec<BadColumn> = doc.tables.iter().flat_map(|t| bad_columns(t, doc.notices, scope)).collect();
    if hits.is_empty() && columns.is_empty() {
        return Vec::new();
    }
    // Mask first, so neither a message nor a quoted line can show a number.
    let mut bytes = doc.text.as_bytes().to_vec();
    for h in &hits {
        mask(&mut bytes, h.mask_from, h.end, h.front, h.back);
    }
    for c in &columns {
        for &(s, e) in &c.mask {
            mask_runs(&mut bytes, s, e);
        }
    }
    let masked = String::from_utf8(bytes).expect("only ASCII digits were replaced, by ASCII");
    let lines = Lines::new(&masked);
    let mut out = Vec::new();
    let place = |d: Diagnostic, start: usize, end: usize| {
        let (line, col) = lines.at(start);
        let d = d.at(&masked, line, col, masked[start..end].chars().count());
        match doc.sheet.and_then(|s| s.note(start)) {
            Some(n) => d.with_note(n),
            None => d,
        }
    };
    for h in &hits {
        let (line, _) = lines.at(h.start);
        // How many birth-date digits a badly masked ID shows (a count, never the digits).
        let birth = if h.what == What::IdBirthShown { doc.text.as_bytes()[h.start + 6..h.start + 14].iter().filter(|c| c.is_ascii_digit()).count() } else { 0 };
        let (rule, message, help) = describe(h.what, line, &masked[h.start..h.end], birth);
        if let Some(d) = ctx.finding(rule, doc.file, message) {
            out.push(place(d.with_help(help), h.start, h.end));
        }
    }
    for c in &columns {
        let (line, _) = lines.at(c.first.0);
        let (message, help) = describe_column(c, line);
        if let Some(d) = ctx.finding("PII-CTX-01", doc.file, message) {
            out.push(place(d.with_help(help), c.first.0, c.first.1));
        }
    }
    out
}

fn describe(what: What, line: usize, shown: &str, birth: usize) -> (&'static str, Msg, Msg) {
    let id_help = || msg!("公示中的身份证号只保留前 4 位和后 4 位（如 3703**********1234），或删除", "keep only the first 4 and last 4 characters of an ID number (e.g. 3703**********1234), or remove it");
    match what {
        What::Id => ("PII-ID-01", msg!("第 {line} 行有完整的身份证号 {shown}", "line {line} has a full ID number {shown}"), id_help()),
        What::IdCheck => (
            "PII-ID-02",
            msg!("第 {line} 行疑似身份证号 {shown}（校验位不符）", "line {line} has what looks like an ID number {shown} (its check digit does not match)"),
            msg!("如果是身份证号（可能抄错了一位），只保留前 4 位和后 4 位或删除；如果不是，可以忽略", "if it is an ID number (perhaps mistyped), keep only the first 4 and last 4 characters or remove it; if it is not, ignore this"),
        ),
        What::IdDate => (
            "PII-ID-02",
            msg!("第 {line} 行疑似身份证号 {shown}（出生日期不存在）", "line {line} has what looks like an ID number {shown} (its birth date does not exist)"),
            msg!("如果是身份证号（可能抄错了），只保留前 4 位和后 4 位或删除；如果不是，可以忽略", "if it is an ID number (perhaps mistyped), keep only the first 4 and last 4 characters or remove it; if it is not, ignore this"),
        ),
        What::Id15 => (
            "PII-ID-02",
            msg!("第 {line} 行疑似 15 位旧身份证号 {shown}", "line {line} has what looks like a 15-digit old ID number {shown}"),
            msg!("如果是身份证号，只保留前 4 位和后 4 位或删除；如果不是，可以忽略", "if it is an ID number, keep only the first 4 and last 4 digits or remove it; if it is not, ignore this"),
        ),
        What::IdBirthShown => (
            "PII-ID-02",
            msg!("第 {line} 行的身份证号（{shown}）露出了出生日期中的 {birth} 位", "line {line} has an ID number ({shown}) that shows {birth} of the 8 birth-date digits"),
            msg!("出生日期的 8 位（第 7 至 14 位）要全部用 * 代替，建议只保留前 4 位和后 4 位：3703**********1234", "replace all 8 birth-date digits (positions 7 to 14) with *; best keep only the first 4 and last 4: 3703**********1234"),
        ),
        What::Mobile => (
            "PII-TEL-01",
            msg!("第 {line} 行有个人手机号 {shown}", "line {line} has a personal mobile number {shown}"),
            msg!("手机号遮住中间 4 位（如 138****1234），或删除；有意公开的服务电话写进 site.yml 的 check.phone_allow", "hide the middle 4 digits (e.g. 138****1234) or remove it; a service number published on purpose goes in `check.phone_allow` in site.yml"),
        ),
        What::Bank => (
            "PII-BANK-01",
            msg!("第 {line} 行有银行卡号 {shown}", "line {line} has a bank card number {shown}"),
            msg!("银行卡号只保留后 4 位（如 **** **** **** 1234），或删除", "show only the last 4 digits of a card (e.g. **** **** **** 1234), or remove it"),
        ),
    }
}

fn describe_column(c: &BadColumn, line: usize) -> (Msg, Msg) {
    let h = &c.header;
    let (zh_more, en_more) = if c.count > 1 { (format!("（本列共 {} 处）", c.count), format!(" ({} in this column)", c.count)) } else { (String::new(), String::new()) };
    let (message, help) = match c.kind {
        Col::Id => (
            msg!("“{h}”列第 {line} 行的证件号没有脱敏{zh_more}", "the ID number in column \"{h}\" on line {line} is not masked{en_more}"),
            msg!("公示名单按最少化原则不列身份证号；确需列出时只保留前 4 位和后 4 位（如 3703**********1234）", "lists leave ID numbers out; where one is needed keep only the first 4 and last 4 characters (e.g. 3703**********1234)"),
        ),
        Col::Phone => (
            msg!("“{h}”列第 {line} 行的电话号码没有脱敏{zh_more}", "the phone number in column \"{h}\" on line {line} is not masked{en_more}"),
            msg!("删除这一列，或把手机号写成 138****1234；单位电话写区号，如 0533-1234567", "remove the column, or write mobiles as 138****1234; an office phone has its area code, e.g. 0533-1234567"),
        ),
        Col::Bank => (
            msg!("“{h}”列第 {line} 行的银行卡号没有脱敏{zh_more}", "the card number in column \"{h}\" on line {line} is not masked{en_more}"),
            msg!("删除这一列，或只保留后 4 位（如 **** **** **** 1234）", "remove the column, or show only the last 4 digits (e.g. **** **** **** 1234)"),
        ),
        Col::Address => (
            msg!("“{h}”列第 {line} 行的住址写到了门牌号{zh_more}", "the address in column \"{h}\" on line {line} goes down to the house number{en_more}"),
            msg!("个人住址只写到乡（镇）、街道或村（社区），不写门牌号、楼栋、单元、房号", "give a person's address only down to the town, sub-district or village (community), without house, building, entrance or room numbers"),
        ),
        Col::Birth => (
            msg!("“{h}”列第 {line} 行公开了出生日期{zh_more}", "column \"{h}\" on line {line} shows a birth date{en_more}"),
            msg!("删除这一列，或遮住日期（如 19**年**月）", "remove the column, or mask the date (e.g. 19**年**月)"),
        ),
    };
    (message, help)
}

/// 1-based line and character column of a byte offset.
struct Lines<'t> {
    text: &'t str,
    starts: Vec<usize>,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Lines<'t> {
        let starts = std::iter::once(0).chain(text.bytes().enumerate().filter(|(_, b)| *b == b'\n').map(|(i, _)| i + 1)).collect();
        Lines { text, starts }
    }

    fn at(&self, offset: usize) -> (usize, usize) {
        let line = self.starts.partition_point(|&s| s <= offset).max(1);
        let start = self.starts[line - 1];
        (line, self.text[start..offset].chars().count() + 1)
    }
}

// ---------------------------------------------------------------------------
// The number scanners.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    /// A valid 18-character ID: shape, real birth date, GB 11643 checksum.
    Id,
    /// ID-shaped, but the check character does not match.
    IdCheck,
    /// ID-shaped, but the birth date does not exist (Feb 30).
    IdDate,
    /// A 15-digit ID of GB 11643-1989.
    Id15,
    /// Masked, but some of the 8 birth-date digits are visible.
    IdBirthShown,
    Mobile,
    Bank,
}

#[derive(Debug, Clone, Copy)]
struct Hit {
    what: What,
    /// Byte span of the whole match, a `+86` prefix included.
    start: usize,
    end: usize,
    /// Masking starts here (after a country code) and keeps this many
    /// digits at the front and at the back.
    mask_from: usize,
    front: usize,
    back: usize,
}

/// Every number in `b` that is personal data, in order.
fn scan(b: &[u8], scope: &Scope) -> Vec<Hit> {
    // Most files have no long digit run at all.
    let mut hits = Vec::new();
    scan_ids(b, scope.today, &mut hits);
    let ids = hits.len();
    scan_phones_and_cards(b, scope, &mut hits);
    if ids > 0 && hits.len() > ids {
        hits.sort_by_key(|h| h.start);
    }
    hits
}

fn is_id_byte(c: u8) -> bool {
    c.is_ascii_digit() || c == b'*' || c == b'X' || c == b'x'
}

/// 居民身份证号, plain and masked: maximal runs of digits, `*` and X, with
/// `*` at either end left out (Markdown bold), not touching a letter or digit.
fn scan_ids(b: &[u8], today: u32, hits: &mut Vec<Hit>) {
    let n = b.len();
    let mut i = 0;
    while i < n {
        let c = b[i];
        if !(c.is_ascii_digit() || c == b'*') {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < n && is_id_byte(b[j]) {
            j += 1;
        }
        let (mut s, mut e) = (i, j);
        i = j;
        while s < e && b[s] == b'*' {
            s += 1;
        }
        while e > s && b[e - 1] == b'*' {
            e -= 1;
        }
        let len = e - s;
        if len != 18 && len != 15 {
            continue;
        }
        if (s > 0 && b[s - 1].is_ascii_alphanumeric()) || (e < n && b[e].is_ascii_alphanumeric()) {
            continue;
        }
        if let Some(what) = classify_id(&b[s..e], today) {
            hits.push(Hit { what, start: s, end: e, mask_from: s, front: 4, back: 4 });
        }
    }
}

/// What an 18- or 15-character token of digits, `*` and X is, if an ID.
fn classify_id(t: &[u8], today: u32) -> Option<What> {
    if !(b'1'..=b'9').contains(&t[0]) || t[..t.len() - 1].iter().any(|&c| c == b'X' || c == b'x') {
        return None;
    }
    let stars = t.iter().filter(|&&c| c == b'*').count();
    if t.len() == 15 {
        return (stars == 0 && legacy_id(t)).then_some(What::Id15);
    }
    if stars > 0 {
        // PII-ID-03: masked is fine when all 8 birth-date digits are hidden.
        let birth_shown = t[6..14].iter().any(u8::is_ascii_digit);
        return (stars >= 2 && birth_shown && province(t)).then_some(What::IdBirthShown);
    }
    if !id_shape(t) || num(&t[6..14]) > today {
        return None;
    }
    let (y, m, d) = (num(&t[6..10]), num(&t[10..12]), num(&t[12..14]));
    Some(if !real_date(y, m, d) {
        What::IdDate
    } else if !id_checksum_ok(t) {
        What::IdCheck
    } else {
        What::Id
    })
}

/// Province-level codes of GB/T 2260 (the first two digits of an ID).
const PROVINCES: [u32; 35] = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83];

fn province(t: &[u8]) -> bool {
    t[..2].iter().all(u8::is_ascii_digit) && PROVINCES.contains(&num(&t[..2]))
}

fn num(t: &[u8]) -> u32 {
    t.iter().fold(0, |a, &c| a * 10 + u32::from(c - b'0'))
}

/// `[1-9]\d{5}(18|19|20)\d{2}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}[\dXx]`
/// with a real province code.
fn id_shape(t: &[u8]) -> bool {
    t.len() == 18
        && t[..17].iter().all(u8::is_ascii_digit)
        && (t[17].is_ascii_digit() || t[17] == b'X' || t[17] == b'x')
        && province(t)
        && matches!(&t[6..8], b"18" | b"19" | b"20")
        && (1..=12).contains(&num(&t[10..12]))
        && (1..=31).contains(&num(&t[12..14]))
}

/// GB 11643-1999: ISO 7064 MOD 11-2 over the first 17 digits.
fn id_checksum_ok(t: &[u8]) -> bool {
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    let sum: u32 = t[..17].iter().zip(W).map(|(&c, w)| u32::from(c - b'0') * w).sum();
    b"10X98765432"[(sum % 11) as usize] == t[17].to_ascii_uppercase()
}

/// GB 11643-1989: `[1-9]\d{7}(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])\d{3}`, 19yy.
fn legacy_id(t: &[u8]) -> bool {
    t.len() == 15 && t.iter().all(u8::is_ascii_digit) && province(t) && real_date(1900 + num(&t[6..8]), num(&t[8..10]), num(&t[10..12]))
}

fn real_date(y: u32, m: u32, d: u32) -> bool {
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400) => 29,
        2 => 28,
        _ => 0,
    };
    (1..=days).contains(&d)
}

/// Mobiles and cards, at the start of each run of digits that is not part of
/// an ID found already.
fn scan_phones_and_cards(b: &[u8], scope: &Scope, hits: &mut Vec<Hit>) {
    let ids = hits.len();
    let n = b.len();
    let mut i = 0;
    let mut k = 0;
    while i < n {
        if !b[i].is_ascii_digit() || (i > 0 && b[i - 1].is_ascii_digit()) {
            i += 1;
            continue;
        }
        while k < ids && hits[k].end <= i {
            k += 1;
        }
        if k < ids && hits[k].start <= i {
            i = hits[k].end;
            continue;
        }
        if let Some((start, body, end)) = mobile_at(b, i) {
            let digits: String = b[body..end].iter().filter(|c| c.is_ascii_digit()).map(|&c| char::from(c)).collect();
            if !scope.allowed(&digits) {
                hits.push(Hit { what: What::Mobile, start, end, mask_from: body, front: 3, back: 4 });
            }
            i = end;
            continue;
        }
        if let Some(end) = card_at(b, i) {
            hits.push(Hit { what: What::Bank, start: i, end, mask_from: i, front: 4, back: 4 });
            i = end;
            continue;
        }
        i += 1;
    }
}

/// A mainland mobile starting at `s` (a digit with no digit before it),
/// optionally after `+86`/`86` and a space or hyphen: (start, start of the
/// 11 digits, end).
fn mobile_at(b: &[u8], s: usize) -> Option<(usize, usize, usize)> {
    if b[s..].starts_with(b"86") {
        let mut p = s + 2;
        if matches!(b.get(p), Some(b' ' | b'-')) {
            p += 1;
        }
        if let Some(e) = mobile_body(b, p) {
            let start = if s > 0 && b[s - 1] == b'+' { s - 1 } else { s };
            return Some((start, p, e));
        }
    }
    mobile_body(b, s).map(|e| (s, s, e))
}

/// `1[3-9]\d{9}` or `1[3-9]\d[- ]\d{4}[- ]\d{4}` at `p`, not followed by a digit.
fn mobile_body(b: &[u8], p: usize) -> Option<usize> {
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let sep = |i: usize| matches!(b.get(i), Some(b' ' | b'-'));
    if b.get(p) != Some(&b'1') || !b.get(p + 1).is_some_and(|c| (b'3'..=b'9').contains(c)) {
        return None;
    }
    if (p..p + 11).all(digit) && !digit(p + 11) {
        return Some(p + 11);
    }
    if (p..p + 3).all(digit) && sep(p + 3) && (p + 4..p + 8).all(digit) && sep(p + 8) && (p + 9..p + 13).all(digit) && !digit(p + 13) {
        return Some(p + 13);
    }
    None
}

/// A bank card at `s`: 16–19 digits, together or in groups of four split by
/// single spaces or hyphens, not part of a longer number, a decimal, a path or
/// an 索引号 (`…/2020-00001`), passing Luhn and starting like a card (3, 4, 5,
/// 6 or 9). An 18-digit 统一社会信用代码 with a valid check character is not a
/// card.
fn card_at(b: &[u8], s: usize) -> Option<usize> {
    let digit = |i: usize| b.get(i).is_some_and(u8::is_ascii_digit);
    let glued = |c: u8| c.is_ascii_alphabetic() || c == b'/' || c == b'\\';
    if s > 0 && (glued(b[s - 1]) || (matches!(b[s - 1], b'.' | b',') && s > 1 && b[s - 2].is_ascii_digit())) {
        return None;
    }
    let mut e = s;
    while digit(e) {
        e += 1;
    }
    let mut count = e - s;
    if count == 4 && matches!(b.get(e), Some(b' ' | b'-')) && digit(e + 1) {
        let sep = b[e];
        while b.get(e) == Some(&sep) && digit(e + 1) {
            let mut g = e + 1;
            while digit(g) {
                g += 1;
            }
            let len = g - e - 1;
            if len > 4 {
                return None;
            }
            count += len;
            e = g;
            if len < 4 {
                break;
            }
        }
    }
    if !(16..=19).contains(&count) {
        return None;
    }
    if b.get(e).is_some_and(|&c| glued(c) || (matches!(c, b'.' | b',') && digit(e + 1))) {
        return None;
    }
    let mut d = [0u8; 19];
    let mut k = 0;
    for &c in &b[s..e] {
        if c.is_ascii_digit() {
            d[k] = c - b'0';
            k += 1;
        }
    }
    let d = &d[..k];
    if !matches!(d[0], 3 | 4 | 5 | 6 | 9) || !luhn(d) || (e - s == 18 && credit_code_ok(&b[s..e])) {
        return None;
    }
    Some(e)
}

/// The Luhn (mod 10) check of card numbers, over digit values.
fn luhn(d: &[u8]) -> bool {
    let sum: u32 = d
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &x)| {
            let v = u32::from(x) * if i % 2 == 1 { 2 } else { 1 };
            if v > 9 { v - 9 } else { v }
        })
        .sum();
    sum.is_multiple_of(10)
}

/// GB 32100-2015 统一社会信用代码: 18 characters of
/// `0-9A-HJ-NPQRTUWXY` with a MOD 31 check character.
fn credit_code_ok(t: &[u8]) -> bool {
    const CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
    const W: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
    if t.len() != 18 {
        return false;
    }
    let mut sum = 0;
    for (&c, w) in t[..17].iter().zip(W) {
        let Some(v) = CHARS.iter().position(|&x| x == c) else { return false };
        sum += v as u32 * w;
    }
    CHARS[((31 - sum % 31) % 31) as usize] == t[17]
}

/// Replaces the digits (and an ID's X) of `b[from..end]` with `*`, keeping
/// `front` of them at the start and `back` at the end.
fn mask(b: &mut [u8], from: usize, end: usize, front: usize, back: usize) {
    let is = |c: u8| c.is_ascii_digit() || c == b'X' || c == b'x';
    let total = b[from..end].iter().filter(|&&c| is(c)).count();
    let mut k = 0;
    for c in &mut b[from..end] {
        if is(*c) {
            if k >= front && k + back < total {
                *c = b'*';
            }
            k += 1;
        }
    }
}

/// Masks every run of 7 or more digits in `b[from..end]` (an unmasked cell
/// of a personal column that none of the scanners recognised).
fn mask_runs(b: &mut [u8], from: usize, end: usize) {
    let mut i = from;
    while i < end {
        if !b[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let mut j = i;
        while j < end && (b[j].is_ascii_digit() || b[j] == b'X' || b[j] == b'x') {
            j += 1;
        }
        let len = j - i;
        if len >= 7 {
            let (front, back) = match len {
                12.. => (4, 4),
                11 => (3, 4),
                _ => (len / 4, len / 4),
            };
            mask(b, i, j, front, back);
        }
        i = j;
    }
}

// ---------------------------------------------------------------------------
// PII-CTX-01: personal columns in tables.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Id,
    Phone,
    Bank,
    Address,
    Birth,
}

/// A personal column with cells that are not masked.
struct BadColumn {
    header: String,
    kind: Col,
    count: usize,
    /// The first such cell.
    first: (usize, usize),
    /// Cells whose numbers must not be quoted.
    mask: Vec<(usize, usize)>,
}

/// Words that may start a personal column header; a file without any is not
/// parsed for tables at all.
const COLUMN_WORDS: [&str; 9] = ["身份", "证件", "手机", "电话", "银行", "卡号", "住址", "地址", "出生"];

fn names_a_column(text: &str) -> bool {
    COLUMN_WORDS.iter().any(|w| text.contains(w))
}

/// The personal column a header names. Any table may have one, named
/// exactly (a note in brackets aside: 联系电话（手机）); in a 公示 section a
/// header that merely contains the word counts too (申请人身份证号码).
fn column_kind(header: &str, notices: bool) -> Option<Col> {
    let mut h: String = header.chars().filter(|c| !c.is_whitespace() && !matches!(c, '*' | '_' | '`')).collect();
    while h.ends_with(':') || h.ends_with('：') {
        h.pop();
    }
    const EXACT: &[(&str, Col)] = &[
        ("身份证", Col::Id),
        ("身份证号", Col::Id),
        ("身份证号码", Col::Id),
        ("公民身份号码", Col::Id),
        ("证件号", Col::Id),
        ("证件号码", Col::Id),
        ("身份证件号码", Col::Id),
        ("手机", Col::Phone),
        ("手机号", Col::Phone),
        ("手机号码", Col::Phone),
        ("移动电话", Col::Phone),
        ("联系电话", Col::Phone),
        ("电话", Col::Phone),
        ("电话号码", Col::Phone),
        ("银行卡", Col::Bank),
        ("银行卡号", Col::Bank),
        ("银行账号", Col::Bank),
        ("银行账户", Col::Bank),
        ("住址", Col::Address),
        ("家庭住址", Col::Address),
        ("家庭地址", Col::Address),
        ("现住址", Col::Address),
        ("居住地址", Col::Address),
        ("户籍地址", Col::Address),
        ("出生日期", Col::Birth),
        ("出生年月", Col::Birth),
        ("出生年月日", Col::Birth),
    ];
    const CONTAINS: &[(&str, Col)] = &[
        ("身份证", Col::Id),
        ("身份号码", Col::Id),
        ("证件号", Col::Id),
        ("银行卡", Col::Bank),
        ("银行账", Col::Bank),
        ("卡号", Col::Bank),
        ("手机", Col::Phone),
        ("电话", Col::Phone),
        ("住址", Col::Address),
        ("家庭地址", Col::Address),
        ("居住地", Col::Address),
        ("户籍地址", Col::Address),
        ("出生", Col::Birth),
    ];
    let base = h.split(['（', '(']).next().unwrap_or("");
    if let Some((_, c)) = EXACT.iter().find(|(k, _)| *k == base) {
        return Some(*c);
    }
    if notices {
        return CONTAINS.iter().find(|(k, _)| h.contains(k)).map(|(_, c)| *c);
    }
    None
}

fn bad_columns(t: &Table, notices: bool, scope: &Scope) -> Vec<BadColumn> {
    let mut v = Vec::new();
    for (i, h) in t.header.iter().enumerate() {
        let Some(kind) = column_kind(&h.value, notices) else { continue };
        let mut col: Option<BadColumn> = None;
        for cell in t.rows.iter().filter_map(|r| r.get(i)) {
            if cell_ok(kind, cell.value.trim(), scope) {
                continue;
            }
            let c = col.get_or_insert_with(|| BadColumn { header: h.value.trim().to_owned(), kind, count: 0, first: (cell.start, cell.end), mask: Vec::new() });
            c.count += 1;
            if matches!(kind, Col::Id | Col::Phone | Col::Bank) {
                c.mask.push((cell.start, cell.end));
            }
        }
        v.extend(col);
    }
    v
}

fn is_placeholder(t: &str) -> bool {
    t.chars().all(|c| c.is_whitespace() || matches!(c, '-' | '—' | '－' | '/' | '／' | '无' | '略' | '*' | '＊'))
}

/// Whether a cell of a personal column may be published as it is.
fn cell_ok(kind: Col, t: &str, scope: &Scope) -> bool {
    if is_placeholder(t) {
        return true;
    }
    let digits = t.bytes().filter(u8::is_ascii_digit).count();
    let starred = t.contains('*') || t.contains('＊');
    match kind {
        Col::Id => digits == 0 || id_cell_ok(t),
        Col::Phone => phone_cell_ok(t, scope),
        Col::Bank => digits == 0 || (starred && digits <= 8),
        Col::Address => !street_level(t),
        Col::Birth => starred || !t.chars().any(|c| c.is_ascii_digit() || ('０'..='９').contains(&c)),
    }
}

/// Every number of 6 or more characters in an ID cell is masked
/// (3703**********1234（已核验） is fine).
fn id_cell_ok(t: &str) -> bool {
    t.split(|c: char| !(c.is_ascii_digit() || matches!(c, '*' | 'X' | 'x' | ' ')))
        .map(str::trim)
        .filter(|tok| tok.len() >= 6 && tok.bytes().any(|b| b.is_ascii_digit()))
        .all(masked_id)
}

/// PII-ID-03: an 18-character ID with all 8 birth-date digits as `*`; a
/// shorter masked form passes when it shows no birth date (no run of more
/// than 6 digits, at most 10 digits in all).
fn masked_id(t: &str) -> bool {
    let c: Vec<u8> = t.bytes().filter(|b| *b != b' ').collect();
    if !c.contains(&b'*') || !c.iter().all(|&b| is_id_byte(b)) {
        return false;
    }
    if c.len() == 18 {
        return c[6..14].iter().all(|&b| b == b'*');
    }
    let longest = c.split(|&b| b == b'*').map(<[u8]>::len).max().unwrap_or(0);
    longest <= 6 && c.iter().filter(|b| b.is_ascii_digit()).count() <= 10
}

/// Each number in a phone cell is masked, allow-listed, a landline with its
/// area code (0533-1234567), a 400/800 line, a short service number (12345)
/// or a local 7–8 digit landline.
fn phone_cell_ok(t: &str, scope: &Scope) -> bool {
    let parts = t.split(|c: char| !(c.is_ascii_digit() || matches!(c, '*' | '＊' | '-' | ' ' | '+' | '(' | ')' | '（' | '）')));
    for part in parts {
        let d: String = part.chars().filter(char::is_ascii_digit).collect();
        if d.is_empty() {
            continue;
        }
        let ok = if part.contains('*') || part.contains('＊') {
            d.len() <= 7
        } else {
            scope.allowed(&d)
                || d.len() <= 5
                || (d.starts_with('0') && d.len() >= 10)
                || ((d.starts_with("400") || d.starts_with("800")) && d.len() == 10)
                || (matches!(d.len(), 7 | 8) && !d.starts_with(['0', '1']))
        };
        if !ok {
            return false;
        }
    }
    true
}

/// An address below the village: a house, building, entrance or room number.
fn street_level(t: &str) -> bool {
    if t.contains("门牌") {
        return true;
    }
    let numeral = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c) || "〇零一二三四五六七八九十百两".contains(c);
    let chars: Vec<char> = t.chars().collect();
    chars.iter().enumerate().any(|(i, &c)| {
        let marker = matches!(c, '号' | '栋' | '幢' | '室' | '弄') || (c == '单' && chars.get(i + 1) == Some(&'元'));
        marker && i > 0 && numeral(chars[i - 1])
    })
}

// ---------------------------------------------------------------------------
// Tables: Markdown pipe tables, CSV, worksheets.

/// GFM pipe tables: a header line, a delimiter line (`|---|:--:|`), and the
/// lines with a `|` after them.
fn markdown_tables(text: &str) -> Vec<Table> {
    let mut lines = Vec::new();
    let mut off = 0;
    for l in text.split('\n') {
        lines.push((off, l));
        off += l.len() + 1;
    }
    let mut tables = Vec::new();
    let mut i = 0;
    while i + 1 < lines.len() {
        let (off, l) = lines[i];
        if !l.contains('|') || !is_delimiter(lines[i + 1].1) {
            i += 1;
            continue;
        }
        let mut t = Table { header: split_row(off, l), rows: Vec::new() };
        i += 2;
        while i < lines.len() && lines[i].1.contains('|') && !lines[i].1.trim().is_empty() {
            t.rows.push(split_row(lines[i].0, lines[i].1));
            i += 1;
        }
        tables.push(t);
    }
    tables
}

fn is_delimiter(l: &str) -> bool {
    let t = l.trim();
    t.contains('-') && t.contains('|') && t.bytes().all(|c| matches!(c, b'|' | b'-' | b':' | b' ' | b'\t'))
}

/// The cells of a table line, trimmed, `\|` kept inside a cell.
fn split_row(off: usize, line: &str) -> Vec<Cell> {
    let b = line.as_bytes();
    let mut bounds = Vec::new();
    let mut start = 0;
    for (i, &c) in b.iter().enumerate() {
        if c == b'|' && (i == 0 || b[i - 1] != b'\\') {
            bounds.push((start, i));
            start = i + 1;
        }
    }
    bounds.push((start, b.len()));
    // A leading and a trailing pipe do not open a cell.
    if line[..bounds[0].1].trim().is_empty() && bounds.len() > 1 {
        bounds.remove(0);
    }
    if bounds.len() > 1 && line[bounds[bounds.len() - 1].0..].trim().is_empty() {
        bounds.pop();
    }
    bounds.into_iter().map(|(s, e)| trimmed_cell(line, off, s, e, None)).collect()
}

fn trimmed_cell(line: &str, off: usize, s: usize, e: usize, value: Option<String>) -> Cell {
    let raw = &line[s..e];
    let lead = raw.len() - raw.trim_start().len();
    let t = raw.trim();
    Cell { start: off + s + lead, end: off + s + lead + t.len(), value: value.unwrap_or_else(|| t.to_owned()) }
}

/// A CSV file as a table: the first row with any text is the header.
fn csv_table(text: &str) -> Option<Table> {
    let mut rows = csv_rows(text).into_iter().filter(|r| r.iter().any(|c| !c.value.trim().is_empty()));
    let header = rows.next()?;
    Some(Table { header, rows: rows.collect() })
}

/// RFC 4180 fields with their byte spans (quotes included, outer spaces not).
fn csv_rows(text: &str) -> Vec<Vec<Cell>> {
    let b = text.as_bytes();
    let n = b.len();
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut i = 0;
    if n == 0 {
        return rows;
    }
    loop {
        let start = i;
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        let value = if b.get(i) == Some(&b'"') {
            let mut v = String::new();
            let mut seg = i + 1;
            let mut j = i + 1;
            loop {
                match b[j..].iter().position(|&c| c == b'"') {
                    None => {
                        v.push_str(&text[seg..]);
                        j = n;
                        break;
                    }
                    Some(q) => {
                        let q = j + q;
                        if b.get(q + 1) == Some(&b'"') {
                            v.push_str(&text[seg..=q]);
                            j = q + 2;
                            seg = j;
                        } else {
                            v.push_str(&text[seg..q]);
                            j = q + 1;
                            break;
                        }
                    }
                }
            }
            let k = b[j..].iter().position(|&c| c == b',' || c == b'\n').map_or(n, |p| j + p);
            v.push_str(&text[j..k]);
            i = k;
            Some(v)
        } else {
            i = b[i..].iter().position(|&c| c == b',' || c == b'\n').map_or(n, |p| i + p);
            None
        };
        row.push(trimmed_cell(text, 0, start, i, value));
        if i >= n {
            rows.push(row);
            break;
        }
        i += 1;
        if b[i - 1] == b'\n' {
            rows.push(std::mem::take(&mut row));
            if i >= n {
                break;
            }
        }
    }
    rows
}

/// A worksheet as text plus its table (the first row with any value is the header).
fn render_sheet(name: String, range: &calamine::Range<calamine::Data>) -> Sheet {
    let (first_row, first_col) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
    let mut text = "\n".repeat(first_row);
    let mut cells = Vec::new();
    let mut grid: Vec<Vec<Cell>> = Vec::new();
    for (ri, row) in range.rows().enumerate() {
        if ri > 0 {
            text.push('\n');
        }
        let line_start = text.len();
        let mut cs = Vec::new();
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                text.push_str(" | ");
            }
            let s = text.len();
            push_cell(&mut text, cell);
            cells.push((s, i));
            cs.push((s, text.len()));
        }
        let line = &text[line_start..];
        grid.push(cs.into_iter().map(|(s, e)| trimmed_cell(line, line_start, s - line_start, e - line_start, None)).collect());
    }
    let mut table = None;
    let mut headers = Vec::new();
    if let Some(h) = grid.iter().position(|r| r.iter().any(|c| !c.value.is_empty())) {
        let rows: Vec<Vec<Cell>> = grid.drain(h..).collect();
        let mut rows = rows.into_iter();
        let header = rows.next().unwrap_or_default();
        headers = header.iter().map(|c| c.value.clone()).collect();
        if names_a_column(&headers.concat()) {
            table = Some(Table { header, rows: rows.collect() });
        }
    }
    Sheet { name, text, cells, headers, first_col, table }
}

/// A cell's value as staff see it; line breaks inside a cell become spaces.
fn push_cell(text: &mut String, cell: &calamine::Data) {
    use calamine::Data;
    use std::fmt::Write as _;
    match cell {
        Data::Empty => {}
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => text.extend(s.chars().map(|c| if c.is_control() { ' ' } else { c })),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => {
            let _ = write!(text, "{}", *f as i64);
        }
        Data::Float(f) => {
            let _ = write!(text, "{f}");
        }
        Data::Int(n) => {
            let _ = write!(text, "{n}");
        }
        Data::Bool(b) => {
            let _ = write!(text, "{b}");
        }
        Data::DateTime(d) => {
            let base = jiff::civil::date(1899, 12, 30);
            match base.checked_add(jiff::Span::new().days(d.as_f64().floor() as i64)) {
                Ok(day) => {
                    let _ = write!(text, "{day}");
                }
                Err(_) => {
                    let _ = write!(text, "{}", d.as_f64());
                }
            }
        }
        Data::Error(e) => {
            let _ = write!(text, "{e:?}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(allow: &[&str]) -> Scope {
        Scope { notices: HashMap::new(), allow: allow.iter().map(|s| s.to_string()).collect(), today: 20_261_120 }
    }

    fn found(s: &str) -> Vec<(What, &str)> {
        scan(s.as_bytes(), &scope(&["13900000000"])).into_iter().map(|h| (h.what, &s[h.start..h.end])).collect()
    }

    fn masked(s: &str) -> String {
        let mut b = s.as_bytes().to_vec();
        for h in scan(s.as_bytes(), &scope(&[])) {
            mask(&mut b, h.mask_from, h.end, h.front, h.back);
        }
        String::from_utf8(b).unwrap()
    }

    #[test]
    fn a_source_is_free_only_when_no_scope_finds_anything() {
        let texts = [
            "身份证号11010519491231002X。",
            "a 370323198503150010 b",
            "370323198502300014",
            "3701021985****1234",
            "370323202611210001 (a birth date after the build date under the real scope)",
            "电话13812345678。",
            "热线 13900000000 (allow-listed under the real scope)",
            "卡号 4539 1488 0343 6467 。",
            "| 姓名 | 联系电话 |\n|---|---|\n| 张三 | 0533-1234567 |",
            "3709**********1234",
            "0533-1234567",
            "2026年11月20日，开发区召开会议。",
        ];
        for t in texts {
            let real = scan(t.as_bytes(), &scope(&["13900000000"]));
            let table = t.contains('|') && names_a_column(t);
            if !real.is_empty() || table {
                assert!(!nothing_to_report(t), "{t}");
            }
        }
        assert!(nothing_to_report("2026年11月20日，开发区召开会议。电话 0533-1234567。"));
        assert!(nothing_to_report("3709**********1234"));
        assert!(!nothing_to_report("370323202611210001"), "the most finding scope takes every birth date as past");
        assert!(!nothing_to_report("热线 13900000000"), "and allows no number");
    }

    #[test]
    fn id_checksum() {
        // The two examples of GB 11643-1999.
        assert!(id_checksum_ok(b"11010519491231002X"));
        assert!(id_checksum_ok(b"11010519491231002x"));
        assert!(id_checksum_ok(b"440524188001010014"));
        assert!(!id_checksum_ok(b"110105194912310021"));
        assert!(id_checksum_ok(b"370323198503150010"));
        assert!(!id_checksum_ok(b"370323198503150011"));
    }

    #[test]
    fn ids_by_shape_date_and_checksum() {
        assert_eq!(found("身份证号11010519491231002X。"), [(What::Id, "11010519491231002X")]);
        assert_eq!(found("a 370323198503150010 b"), [(What::Id, "370323198503150010")]);
        assert_eq!(found("**370323198503150010**"), [(What::Id, "370323198503150010")]);
        assert_eq!(found("370323198503150011"), [(What::IdCheck, "370323198503150011")]);
        assert_eq!(found("370323198502300014"), [(What::IdDate, "370323198502300014")]);
        assert_eq!(found("旧号 370323850315001，"), [(What::Id15, "370323850315001")]);
        // Touching a letter or digit: not an ID (nor anything else).
        assert!(found("A370323198503150010").is_empty());
        assert!(found("3703231985031500101").is_empty());
        assert!(found("370323198503150010B").is_empty());
        // Not ID-shaped: year, month, day, province.
        assert!(found("370323170003150012").is_empty());
        assert!(found("370323198513150012").is_empty());
        assert!(found("370323198501320012").is_empty());
        assert!(found("990323198503150012").is_empty());
        // A region, a date after the build date and a serial: not a birth date.
        assert!(found("370323202611210001").is_empty());
        assert!(!found("370323202611200001").is_empty());
    }

    #[test]
    fn credit_codes_and_index_numbers_are_not_ids() {
        assert!(found("91370323MA3C8XXXXX").is_empty());
        assert!(found("11370323MB2853421F").is_empty());
        assert!(found("索引号：113703230047500123/2020-00001").is_empty());
        assert!(found("index_no: 113703230047500123/2020-00001\n").is_empty());
        assert!(credit_code_ok(b"91370323MA3C8ABC8W"));
        assert!(!credit_code_ok(b"91370323MA3C8ABC8X"));
        assert!(found("91370323MA3C8ABC8W").is_empty());
        // All digits, a valid credit code and passing Luhn: still not a card.
        assert!(credit_code_ok(b"513703235000000475") && luhn(&[5, 1, 3, 7, 0, 3, 2, 3, 5, 0, 0, 0, 0, 0, 0, 4, 7, 5]));
        assert!(found("代码 513703235000000475").is_empty());
    }

    #[test]
    fn masked_ids() {
        assert!(found("3709**********1234").is_empty());
        assert!(found("370102********1234").is_empty());
        assert!(found("35*************123").is_empty());
        assert!(found("**3709**********1234**").is_empty());
        assert_eq!(found("3701021985****1234"), [(What::IdBirthShown, "3701021985****1234")]);
        assert!(masked_id("3709**********1234"));
        assert!(masked_id("370102********1234"));
        assert!(!masked_id("3701021985****1234"));
        assert!(!masked_id("370323198503150010"));
        assert!(masked_id("3703****0010"));
    }

    #[test]
    fn mobiles() {
        assert_eq!(found("电话13812345678。"), [(What::Mobile, "13812345678")]);
        assert_eq!(found("+86 138 1234 5678"), [(What::Mobile, "+86 138 1234 5678")]);
        assert_eq!(found("86-138-1234-5678"), [(What::Mobile, "86-138-1234-5678")]);
        assert_eq!(found("+8613812345678"), [(What::Mobile, "+8613812345678")]);
        assert!(found("138****1234").is_empty());
        assert!(found("0533-1234567、0533-12345678").is_empty());
        assert!(found("12812345678").is_empty());
        assert!(found("138123456789").is_empty());
        assert!(found("热线 13900000000").is_empty(), "allow-listed");
        assert!(found("12345").is_empty());
    }

    #[test]
    fn cards() {
        assert!(luhn(&[4, 5, 3, 9, 1, 4, 8, 8, 0, 3, 4, 3, 6, 4, 6, 7]));
        assert_eq!(found("卡号 4539148803436467"), [(What::Bank, "4539148803436467")]);
        assert_eq!(found("卡号 4539 1488 0343 6467 。"), [(What::Bank, "4539 1488 0343 6467")]);
        assert!(found("4539148803436468").is_empty(), "fails Luhn");
        assert!(found("45391488034364671234").is_empty(), "20 digits");
        assert!(found("0.4539148803436467").is_empty(), "a decimal");
        assert!(found("a/4539148803436467").is_empty(), "a path");
        assert!(found("4539 1488 0343 6467 1234").is_empty(), "a longer number");
    }

    #[test]
    fn masking() {
        assert_eq!(masked("号 370323198503150010。"), "号 3703**********0010。");
        assert_eq!(masked("11010519491231002X"), "1101**********002X");
        assert_eq!(masked("tel +86 138-1234-5678"), "tel +86 138-****-5678");
        assert_eq!(masked("13812345678"), "138****5678");
        assert_eq!(masked("4539 1488 0343 6467"), "4539 **** **** 6467");
        assert_eq!(masked("3701021985****1234"), "3701**********1234");
        let mut b = b"x 37032319850315001 y".to_vec();
        let n = b.len();
        mask_runs(&mut b, 0, n);
        assert_eq!(String::from_utf8(b).unwrap(), "x 3703*********5001 y");
    }

    #[test]
    fn masks_text_for_other_rules() {
        assert_eq!(mask_numbers("电话“13812345678”，身份证 11010519491231002X"), "电话“138****5678”，身份证 1101**********002X");
        assert_eq!(mask_numbers("0533-1234567"), "0533-1234567");
    }

    #[test]
    fn columns() {
        assert_eq!(column_kind("身份证号", false), Some(Col::Id));
        assert_eq!(column_kind(" **联系电话（手机）** ", false), Some(Col::Phone));
        assert_eq!(column_kind("申请人身份证号码", false), None);
        assert_eq!(column_kind("申请人身份证号码", true), Some(Col::Id));
        assert_eq!(column_kind("名称", true), None);
        let s = scope(&["12345"]);
        assert!(cell_ok(Col::Phone, "0533-1234567", &s));
        assert!(cell_ok(Col::Phone, "138****1234", &s));
        assert!(cell_ok(Col::Phone, "12345", &s));
        assert!(!cell_ok(Col::Phone, "13812345678", &s));
        assert!(cell_ok(Col::Address, "沂源县南麻街道城南社区", &s));
        assert!(!cell_ok(Col::Address, "沂源县南麻街道示例路12号", &s));
        assert!(!cell_ok(Col::Address, "城南小区3单元", &s));
        assert!(cell_ok(Col::Birth, "19**年**月", &s));
        assert!(!cell_ok(Col::Birth, "1985-03-15", &s));
        assert!(cell_ok(Col::Bank, "**** **** **** 6467", &s));
        assert!(!cell_ok(Col::Bank, "4539 1488 0343 6468", &s));
        assert!(cell_ok(Col::Id, "—", &s));
        assert!(!cell_ok(Col::Id, "37032319850315001", &s));
        assert!(cell_ok(Col::Id, "3703**********0010（已核验）", &s));
        assert!(!cell_ok(Col::Id, "证件 3703231985****0010", &s));
        assert!(cell_ok(Col::Id, "未提供", &s));
    }

    #[test]
    fn markdown_and_csv_tables() {
        let md = "前文\n\n| 姓名 | 身份证号 |\n|---|:--:|\n| 张三 | 3703**********0010 |\n| 李四 | a\\|b |\n\n后文 | 不是表格\n";
        let t = markdown_tables(md);
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].header.iter().map(|c| c.value.as_str()).collect::<Vec<_>>(), ["姓名", "身份证号"]);
        assert_eq!(t[0].rows.len(), 2);
        assert_eq!(&md[t[0].rows[0][1].start..t[0].rows[0][1].end], "3703**********0010");
        assert_eq!(t[0].rows[1][1].value, "a\\|b");
        let csv = "编号,\"姓 名\",电话\n1,\"张\"\"三\", \"0533-1\n234567\"\n\n2,李四,x";
        let t = csv_table(csv).unwrap();
        assert_eq!(t.header.iter().map(|c| c.value.as_str()).collect::<Vec<_>>(), ["编号", "姓 名", "电话"]);
        assert_eq!(t.rows.len(), 2);
        assert_eq!(t.rows[0][1].value, "张\"三");
        assert_eq!(t.rows[0][2].value, "0533-1\n234567");
        assert_eq!(&csv[t.rows[1][2].start..t.rows[1][2].end], "x");
    }

    #[test]
    fn lines_and_columns() {
        let l = Lines::new("ab\n中文x\n");
        assert_eq!(l.at(0), (1, 1));
        assert_eq!(l.at(3), (2, 1));
        assert_eq!(l.at(9), (2, 3));
    }
}

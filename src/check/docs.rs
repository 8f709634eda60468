//! 公文 lint and disclosure metadata: DOC-NO-*, DOC-DATE-01, DOC-ATT-02, META-*, OGI-01, OGI-07.
//!
//! A "document" is a page in a `kind: document` section, or any page that
//! carries a 文号 (`doc_number`): a page with a 文号 is a formal document
//! wherever it is filed. Its front matter must carry the 政务公开 metadata
//! (GOV-RULES §3), its 文号 must have the GB/T 9704 shape, and its body is
//! linted for 文号 citations, dates and named attachments.
//!
//! No regex crate: the patterns are small and matched by hand below.

use super::Ctx;
use crate::diag::{Diagnostic, Severity};
use crate::lang::Msg;
use crate::model::{Kind, Page, Record};
use crate::msg;
use jiff::civil::Date;
use std::collections::BTreeMap;

/// 有效性 values (GOV-SITE-07).
const VALIDITY: &[&str] = &["有效", "失效", "废止", "修订"];

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let site = ctx.site;
    let docs: Vec<&Page> = site.pages.iter().filter(|p| is_document(ctx, p)).collect();
    for p in &docs {
        metadata(ctx, p, out);
        doc_number(ctx, p, out);
        body_doc_numbers(ctx, p, out);
        body_dates(ctx, p, out);
        attachments(ctx, p, out);
    }
    unique_index_no(ctx, out);
    unique_doc_number(ctx, &docs, out);
    interpretations(ctx, &docs, out);
}

/// A page in a `kind: document` section, or any page with a 文号.
pub(super) fn is_document(ctx: &Ctx<'_>, p: &Page) -> bool {
    ctx.site.sections[p.section].kind == Some(Kind::Document) || p.disclosure.doc_number.is_some()
}

/// A 解读 page filed among the documents: it is not itself a policy document,
/// so 成文日期, 有效性 and the OGI-01 deadline do not apply to it.
fn is_interpretation_page(ctx: &Ctx<'_>, p: &Page) -> bool {
    p.disclosure.doc_number.is_none()
        && (p.title.contains("解读")
            || ctx.site.pages.iter().any(|d| matches!(&d.record, Record::Document { interpretation: Some(u), .. } if *u == url_of(ctx, p))))
}

// ---------------------------------------------------------------------------
// Placing findings.

/// Places `d` at a byte offset of `page`'s Markdown body (`len` characters).
pub(super) fn at_body(ctx: &Ctx<'_>, d: Diagnostic, page: &Page, body: &str, offset: usize, len: usize) -> Diagnostic {
    let before = &body[..offset.min(body.len())];
    let line = page.body_line + before.matches('\n').count();
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    at_line(ctx, d, &page.file, line, col, len)
}

/// Places `d` at `line`/`col` of `file`, quoting the line.
pub(super) fn at_line(ctx: &Ctx<'_>, d: Diagnostic, file: &str, line: usize, col: usize, len: usize) -> Diagnostic {
    match ctx.source(file) {
        Some(text) => d.at(&text, line, col, len),
        None => {
            let mut d = d;
            d.span = Some(crate::diag::Span { line, col, len });
            d
        }
    }
}

/// `finding` with help, placed at front-matter `key` of the page.
fn at_key(ctx: &Ctx<'_>, rule: &'static str, p: &Page, key: &str, message: Msg, help: Msg) -> Option<Diagnostic> {
    let d = ctx.finding(rule, p.file.clone(), message)?.with_help(help);
    Some(place(ctx, d, p, key))
}

/// Places `d` at front-matter `key` of a Markdown page; a record that is a
/// row of a data file (CSV, YAML list, XLSX) is placed at its row.
pub(super) fn place(ctx: &Ctx<'_>, d: Diagnostic, p: &Page, key: &str) -> Diagnostic {
    if p.file.ends_with(".md") {
        return ctx.at_key(d, &p.file, key);
    }
    let len = ctx.source(&p.file).and_then(|t| t.lines().nth(p.body_line.saturating_sub(1)).map(|l| l.chars().count())).unwrap_or(1);
    at_line(ctx, d, &p.file, p.body_line, 1, len.max(1))
}

/// The page's URL as `interpretation`/`result` resolve to it: base path + path.
pub(super) fn url_of(ctx: &Ctx<'_>, p: &Page) -> String {
    format!("{}{}", ctx.site.config.base_path, p.path)
}

/// The page with this resolved URL.
pub(super) fn page_at_url<'s>(ctx: &Ctx<'s>, url: &str) -> Option<&'s Page> {
    let url = url.split('#').next().unwrap_or(url);
    ctx.site.pages.iter().find(|q| url_of(ctx, q) == url)
}

/// The rendered HTML of a page's `<main>` (the whole file if the theme has none).
pub(super) fn main_html(ctx: &Ctx<'_>, p: &Page) -> Option<String> {
    let f = ctx.output.get(&format!("{}index.html", p.path))?;
    let bytes = f.data.bytes().ok()?;
    let html = String::from_utf8_lossy(&bytes).into_owned();
    let main = match (html.find("<main"), html.rfind("</main>")) {
        (Some(a), Some(b)) if a < b => html[a..b].to_owned(),
        _ => html,
    };
    Some(main)
}

/// Whether `html` links to `target` (by its URL or its full permalink).
fn links_to(ctx: &Ctx<'_>, html: &str, target: &Page) -> bool {
    let url = url_of(ctx, target);
    let absolute = format!("{}/{}", ctx.site.config.base_url.trim_end_matches('/'), target.path);
    [url, absolute].iter().any(|u| html.contains(&format!("href=\"{u}\"")) || html.contains(&format!("href=\"{u}#")))
}

pub(super) fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}' | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

// ---------------------------------------------------------------------------
// META-01..09, OGI-01.

fn metadata(ctx: &Ctx<'_>, p: &Page, out: &mut Vec<Diagnostic>) {
    let m = &p.disclosure;
    let interp = is_interpretation_page(ctx, p);
    let title = &p.title;

    // META-01: 索引号 present and well formed; its year is the publication year.
    match m.index_no.as_deref().map(str::trim) {
        None | Some("") => out.extend(at_key(ctx, "META-01", p, "index_no",
            msg!("文件“{title}”缺少索引号", "document \"{title}\" has no 索引号 (index_no)"),
            msg!("加一行：索引号: 113703230047500123/2020-00001（机构代码/年份-五位流水号）", "add a line: index_no: 113703230047500123/2020-00001 (organisation code/year-5-digit serial)"))),
        Some(no) => {
            if !index_no_ok(no) {
                out.extend(at_key(ctx, "META-01", p, "index_no",
                    msg!("索引号“{no}”格式不对", "索引号 (index_no) \"{no}\" is malformed"),
                    msg!("写成 机构代码（9 位组织机构代码或 18 位统一社会信用代码）/年份-五位流水号，如 113703230047500123/2020-00001", "write the organisation code (9 or 18 characters), a slash, the year, a hyphen and a 5-digit serial, e.g. 113703230047500123/2020-00001")));
            } else if let (Some(year), Some(date)) = (index_year(no), p.date)
                && year != date.year() as i32
            {
                let pub_year = date.year();
                if let Some(mut d) = at_key(ctx, "META-01", p, "index_no",
                    msg!("索引号“{no}”的年份 {year} 与发布日期的年份 {pub_year} 不一致", "the year {year} in 索引号 \"{no}\" is not the publication year {pub_year}"),
                    msg!("索引号的年份写发布（公开）的年份：{pub_year}", "use the year of publication in the 索引号: {pub_year}")) {
                    // Same rule, lower severity: a wrong year is a slip, not a malformed number.
                    d.severity = Severity::Warning;
                    out.push(d);
                }
            }
        }
    }

    let missing = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    // META-04 发布机构.
    if missing(&m.issuer) {
        out.extend(at_key(ctx, "META-04", p, "issuer",
            msg!("文件“{title}”缺少发布机构", "document \"{title}\" has no 发布机构 (issuer)"),
            msg!("加一行：发布机构: 沂源经济开发区管委会（写全称）", "add a line: issuer: 沂源经济开发区管委会 (the full name)")));
    }
    // META-05 成文日期.
    if m.written_on.is_none() && !interp {
        out.extend(at_key(ctx, "META-05", p, "written_on",
            msg!("文件“{title}”缺少成文日期", "document \"{title}\" has no 成文日期 (written_on)"),
            msg!("加一行：成文日期: 2020-02-19（落款日期）", "add a line: written_on: 2020-02-19 (the date under the signature)")));
    }
    // META-07 主题分类.
    if missing(&m.topic) {
        out.extend(at_key(ctx, "META-07", p, "topic",
            msg!("文件“{title}”缺少主题分类", "document \"{title}\" has no 主题分类 (topic)"),
            msg!("加一行：主题分类: 综合政务（按政府信息公开目录的主题分类填写）", "add a line: topic: 综合政务 (the subject class of the disclosure catalogue)")));
    }
    // META-09 有效性.
    if !interp {
        match m.validity.as_deref().map(str::trim) {
            None | Some("") => out.extend(at_key(ctx, "META-09", p, "validity",
                msg!("文件“{title}”没有注明有效性", "document \"{title}\" does not state its 有效性 (validity)"),
                msg!("加一行：有效性: 有效（可写 有效、失效、废止 或 修订）", "add a line: validity: 有效 (one of 有效, 失效, 废止, 修订)"))),
            Some(v) if !VALIDITY.contains(&v) => out.extend(at_key(ctx, "META-09", p, "validity",
                msg!("有效性“{v}”不是规定的写法", "有效性 (validity) \"{v}\" is not one of the allowed values"),
                msg!("写 有效、失效、废止 或 修订 之一", "write one of 有效, 失效, 废止, 修订"))),
            _ => {}
        }
    }
    // META-08 发布日期: present, not before 成文日期, not after the build date.
    let today = ctx.site.build_date;
    match p.date {
        None => out.extend(at_key(ctx, "META-08", p, "date",
            msg!("文件“{title}”没有发布日期", "document \"{title}\" has no 发布日期 (date)"),
            msg!("加一行：发布日期: 2020-02-19（在本站公开的日期）", "add a line: date: 2020-02-19 (the day it is published here)"))),
        Some(date) => {
            if let Some(w) = m.written_on.filter(|w| date < *w) {
                out.extend(at_key(ctx, "META-08", p, "date",
                    msg!("发布日期 {date} 早于成文日期 {w}", "发布日期 (date) {date} is before 成文日期 (written_on) {w}"),
                    msg!("发布日期不能早于成文日期：核对两个日期，发布日期写实际公开的日期", "a document cannot be published before it is written: check both dates; date is the day it was actually published")));
            }
            if date > today {
                out.extend(at_key(ctx, "META-08", p, "date",
                    msg!("发布日期 {date} 晚于构建日期 {today}", "发布日期 (date) {date} is after the build date {today}"),
                    msg!("发布日期写实际公开的日期，不要预填将来的日期", "write the day it is actually published, not a future date")));
            }
            // OGI-01: within N working days of 成文日期.
            if let (Some(w), false) = (m.written_on, interp)
                && date > w
            {
                ogi_01(ctx, p, w, date, out);
            }
        }
    }
}

/// OGI-01: 条例 第二十六条, 20 working days from 成文 to 公开.
fn ogi_01(ctx: &Ctx<'_>, p: &Page, written: Date, date: Date, out: &mut Vec<Diagnostic>) {
    let limit = ctx.settings.publish_within_working_days;
    let Ok(next) = written.tomorrow() else { return };
    match ctx.calendar.working_days_between(next, date) {
        Ok(n) if n > limit => out.extend(at_key(ctx, "OGI-01", p, "date",
            msg!("成文日期 {written} 之后第 {n} 个工作日（{date}）才公开，超过了 {limit} 个工作日", "published {date}, {n} working days after 成文日期 {written}: more than {limit} working days"),
            msg!("《政府信息公开条例》第二十六条要求自形成之日起 {limit} 个工作日内公开；日期属实就如实保留，今后及时发布（不要改动日期）", "the disclosure regulation (art. 26) asks for publication within {limit} working days; if the dates are true keep them and publish sooner next time (never change the dates)"))),
        Ok(_) => {}
        Err(missing) => {
            let y = missing.year;
            out.extend(at_key(ctx, "CAL-01", p, "written_on",
                msg!("工作日历没有 {y} 年的节假日安排，无法计算成文到发布的工作日", "the working-day calendar has no {y}: cannot count working days from 成文日期 to publication"),
                msg!("在 data/calendar.yml 中按国务院办公厅 {y} 年节假日安排通知补充该年", "add {y} to data/calendar.yml from the State Council's holiday notice for {y}")));
        }
    }
}

/// `^([0-9A-Z]{9}|[0-9A-HJ-NPQRTUWXY]{18})/(19|20)\d{2}-\d{5}$`
fn index_no_ok(s: &str) -> bool {
    let Some((code, rest)) = s.split_once('/') else { return false };
    let code_ok = match code.len() {
        9 => code.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_uppercase()),
        18 => code.bytes().all(|b| b.is_ascii_digit() || (b.is_ascii_uppercase() && !b"IOSVZ".contains(&b))),
        _ => false,
    };
    let r = rest.as_bytes();
    code_ok
        && r.len() == 10
        && (r.starts_with(b"19") || r.starts_with(b"20"))
        && r[..4].iter().all(u8::is_ascii_digit)
        && r[4] == b'-'
        && r[5..].iter().all(u8::is_ascii_digit)
}

fn index_year(s: &str) -> Option<i32> {
    s.split_once('/')?.1.get(..4)?.parse().ok()
}

/// META-01: an 索引号 names one item across the whole site.
fn unique_index_no(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<&str, &Page> = BTreeMap::new();
    let mut pages: Vec<&Page> = ctx.site.pages.iter().filter(|p| p.disclosure.index_no.is_some()).collect();
    pages.sort_by(|a, b| a.file.cmp(&b.file));
    for p in pages {
        let no = p.disclosure.index_no.as_deref().unwrap_or("").trim();
        if no.is_empty() {
            continue;
        }
        if let Some(first) = seen.get(no) {
            let f = &first.file;
            out.extend(at_key(ctx, "META-01", p, "index_no",
                msg!("索引号“{no}”与 {f} 重复", "索引号 (index_no) \"{no}\" is also used by {f}"),
                msg!("每条信息的索引号唯一：改用下一个流水号", "each item has its own 索引号: use the next serial number")));
        } else {
            seen.insert(no, p);
        }
    }
}

// ---------------------------------------------------------------------------
// DOC-NO-01..05: 文号 (GB/T 9704-2012 7.2.4: 机关代字〔年份〕序号号).

const OPEN: &[char] = &['〔', '[', '【', '（', '(', '［', '〈'];
const CLOSE: &[char] = &['〕', ']', '】', '）', ')', '］', '〉'];

/// What is wrong with one 文号, rule by rule.
#[derive(Debug, Default)]
struct DocNo {
    /// (rule, what is wrong)
    problems: Vec<(&'static str, Msg)>,
    /// The corrected 文号, when the shape allows one.
    fixed: Option<String>,
    /// The year in the brackets, when it is four digits.
    year: Option<i32>,
}

/// Analyses a whole 文号 string (front matter), or a citation cut out of a body.
fn analyse_doc_no(s: &str) -> DocNo {
    let mut r = DocNo::default();
    let chars: Vec<char> = s.trim().chars().collect();
    let Some(open_at) = chars.iter().position(|c| OPEN.contains(c)) else {
        r.problems.push(("DOC-NO-01", msg!("没有用〔〕括起的年份", "no year in 〔〕 brackets")));
        return r;
    };
    let prefix: String = chars[..open_at].iter().collect();
    let mut i = open_at + 1;
    let year_start = i;
    while i < chars.len() && chars[i].is_ascii_digit() {
        i += 1;
    }
    let year: String = chars[year_start..i].iter().collect();
    let close = chars.get(i).copied().filter(|c| CLOSE.contains(c));
    if close.is_none() {
        r.problems.push(("DOC-NO-01", msg!("年份后缺少〕，或年份不是阿拉伯数字", "the year is not Arabic digits closed by 〕")));
        return r;
    }
    i += 1;
    let di = chars.get(i) == Some(&'第');
    if di {
        i += 1;
    }
    let seq_start = i;
    while i < chars.len() && chars[i].is_ascii_digit() {
        i += 1;
    }
    let seq: String = chars[seq_start..i].iter().collect();
    let hao = chars.get(i) == Some(&'号');
    let tail: String = chars.get(i + 1..).map(|t| t.iter().collect()).unwrap_or_default();

    if prefix.trim().is_empty() || prefix.chars().any(|c| c.is_ascii_digit() || c.is_whitespace()) {
        r.problems.push(("DOC-NO-01", msg!("缺少机关代字（或其中有数字、空格）", "the issuing-organ code before the year is missing or contains digits or spaces")));
    }
    let open_c = chars[open_at];
    let close_c = close.unwrap_or('〕');
    if open_c != '〔' || close_c != '〕' {
        r.problems.push(("DOC-NO-02", msg!("年份用了“{open_c}{close_c}”，应使用六角括号〔〕", "the year is in \"{open_c}{close_c}\"; use the hexagonal brackets 〔〕")));
    }
    let year4 = match year.len() {
        4 if year.starts_with("19") || year.starts_with("20") => {
            r.year = year.parse().ok();
            Some(year.clone())
        }
        2 => {
            r.problems.push(("DOC-NO-03", msg!("年份“{year}”只写了两位，应写全四位", "the year \"{year}\" has two digits; write all four")));
            Some(format!("20{year}"))
        }
        _ => {
            r.problems.push(("DOC-NO-01", msg!("年份“{year}”不是四位年份", "\"{year}\" is not a four-digit year")));
            None
        }
    };
    if di {
        r.problems.push(("DOC-NO-03", msg!("序号前不加“第”", "no 第 before the serial number")));
    }
    let seq_fixed = seq.trim_start_matches('0');
    if seq.is_empty() || seq_fixed.is_empty() {
        r.problems.push(("DOC-NO-01", msg!("缺少序号（阿拉伯数字）", "the serial number (Arabic digits) is missing")));
    } else if seq.len() != seq_fixed.len() {
        r.problems.push(("DOC-NO-03", msg!("序号“{seq}”不编虚位（不加前导零）", "the serial \"{seq}\" has leading zeros")));
    }
    if !hao {
        r.problems.push(("DOC-NO-01", msg!("序号后缺少“号”", "号 is missing after the serial number")));
    } else if !tail.is_empty() {
        r.problems.push(("DOC-NO-01", msg!("“号”后还有多余的“{tail}”", "\"{tail}\" follows 号")));
    }
    if let (Some(y), false, false) = (year4, seq_fixed.is_empty(), prefix.trim().is_empty()) {
        r.fixed = Some(format!("{}〔{y}〕{seq_fixed}号", prefix.trim()));
    }
    r
}

fn fix_help(fixed: &Option<String>) -> Msg {
    match fixed {
        Some(f) => msg!("写成“{f}”（机关代字〔年份〕序号号）", "write \"{f}\" (机关代字〔year〕serial号)"),
        None => msg!("写成 机关代字〔年份〕序号号，如 源经发〔2023〕4号", "write it as 机关代字〔year〕serial号, e.g. 源经发〔2023〕4号"),
    }
}

/// The front-matter 文号: shape (01–03) and year against 成文日期 (04).
fn doc_number(ctx: &Ctx<'_>, p: &Page, out: &mut Vec<Diagnostic>) {
    let Some(no) = p.disclosure.doc_number.as_deref().map(str::trim) else { return };
    if no.is_empty() {
        return;
    }
    let a = analyse_doc_no(no);
    let mut seen_rules = Vec::new();
    for (rule, _) in &a.problems {
        // One finding per rule: several DOC-NO-01 problems read as one message.
        if seen_rules.contains(rule) {
            continue;
        }
        seen_rules.push(*rule);
        let whats: Vec<&Msg> = a.problems.iter().filter(|(r, _)| r == rule).map(|(_, m)| m).collect();
        let zh = whats.iter().map(|m| m.zh.as_str()).collect::<Vec<_>>().join("；");
        let en = whats.iter().map(|m| m.en.as_str()).collect::<Vec<_>>().join("; ");
        out.extend(at_key(ctx, rule, p, "doc_number", msg!("文号“{no}”：{zh}", "文号 (doc_number) \"{no}\": {en}"), fix_help(&a.fixed)));
    }
    if let (Some(year), Some(w)) = (a.year, p.disclosure.written_on) {
        let wy = w.year() as i32;
        if year != wy {
            out.extend(at_key(ctx, "DOC-NO-04", p, "doc_number",
                msg!("文号“{no}”的年份 {year} 与成文日期 {w} 的年份 {wy} 不一致", "the year {year} in 文号 \"{no}\" is not the year of 成文日期 {w} ({wy})"),
                msg!("文号的年份是发文（成文）的年份：核对文号和成文日期，改正写错的一个（如文号应为 {wy} 年的编号，或成文日期应在 {year} 年）", "a 文号 carries the year the document was issued: check the 文号 and 成文日期 and correct whichever is wrong (a {wy} number, or a date in {year})")));
        }
    }
}

/// DOC-NO-05: one 文号, one document.
fn unique_doc_number(ctx: &Ctx<'_>, docs: &[&Page], out: &mut Vec<Diagnostic>) {
    let mut seen: BTreeMap<String, &Page> = BTreeMap::new();
    let mut docs: Vec<&&Page> = docs.iter().collect();
    docs.sort_by(|a, b| a.file.cmp(&b.file));
    for p in docs {
        let Some(no) = p.disclosure.doc_number.as_deref().map(str::trim).filter(|s| !s.is_empty()) else { continue };
        // Compare corrected forms, so 源经发[2023]4号 and 源经发〔2023〕4号 are one number.
        let key = analyse_doc_no(no).fixed.unwrap_or_else(|| no.to_owned());
        if let Some(first) = seen.get(&key) {
            let (f, t) = (&first.file, &first.title);
            out.extend(at_key(ctx, "DOC-NO-05", p, "doc_number",
                msg!("文号“{no}”已用于 {f}（{t}）", "文号 (doc_number) \"{no}\" is also the number of {f} ({t})"),
                msg!("每份文件的文号唯一：核对原件，改正其中写错的一个", "each document has its own 文号: check the originals and correct the wrong one")));
        } else {
            seen.insert(key, p);
        }
    }
}

/// A 文号 cited in a body: where it is and the text cut out (from the 机关代字).
struct Citation {
    /// Byte offset in the body of the opening bracket.
    at: usize,
    /// The cited text from the bracket to the end of the match.
    shown: String,
    /// The text with up to 12 Han characters before the bracket, for analysis.
    full: String,
}

/// 文号-like strings in a Markdown body: `…〔2023〕4号`, and the wrong-bracket
/// variants `[2023]4号`, `【2023】4号`, `（2023）4号`, `(2023)4号`,
/// `［2023］4号`, `〈2023〉4号`. A 〔 followed by digits is always a 文号
/// (nothing else uses that bracket); a wrong bracket counts only with a
/// four-digit year, a 机关代字 before it and `第?\d+号` after it.
fn citations(body: &str) -> Vec<Citation> {
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let mut v = Vec::new();
    for (k, &(at, c)) in chars.iter().enumerate() {
        if !OPEN.contains(&c) {
            continue;
        }
        let mut i = k + 1;
        while i < chars.len() && chars[i].1.is_ascii_digit() {
            i += 1;
        }
        let ndigits = i - k - 1;
        if ndigits == 0 || ndigits > 4 {
            continue;
        }
        let closed = chars.get(i).is_some_and(|(_, c)| CLOSE.contains(c));
        let mut j = i + usize::from(closed);
        if closed {
            if chars.get(j).is_some_and(|(_, c)| *c == '第') {
                j += 1;
            }
            while j < chars.len() && chars[j].1.is_ascii_digit() {
                j += 1;
            }
            if chars.get(j).is_some_and(|(_, c)| *c == '号') {
                j += 1;
            }
        }
        // The 机关代字: Han characters right before the bracket.
        let mut s = k;
        while s > 0 && k - s < 12 && is_han(chars[s - 1].1) {
            s -= 1;
        }
        if c != '〔' {
            let year: String = chars[k + 1..i].iter().map(|x| x.1).collect();
            let ends_hao = j > 0 && chars[j - 1].1 == '号' && j > i + 2;
            if !(closed && ndigits == 4 && (year.starts_with("19") || year.starts_with("20")) && ends_hao && s < k) {
                continue;
            }
        }
        let end = chars.get(j).map_or(body.len(), |x| x.0);
        let start = chars[s].0;
        v.push(Citation { at, shown: body[at..end].to_owned(), full: body[start..end].to_owned() });
    }
    v
}

/// DOC-NO-01..03 on 文号 cited in a document's body (shape only: a cited
/// document has its own year and may be anyone's).
fn body_doc_numbers(ctx: &Ctx<'_>, p: &Page, out: &mut Vec<Diagnostic>) {
    let body = ctx.body(p);
    for c in citations(&body) {
        let a = analyse_doc_no(&c.full);
        let mut seen_rules = Vec::new();
        for (rule, _) in &a.problems {
            if seen_rules.contains(rule) {
                continue;
            }
            seen_rules.push(*rule);
            let zh = a.problems.iter().filter(|(r, _)| r == rule).map(|(_, m)| m.zh.as_str()).collect::<Vec<_>>().join("；");
            let en = a.problems.iter().filter(|(r, _)| r == rule).map(|(_, m)| m.en.as_str()).collect::<Vec<_>>().join("; ");
            let shown = &c.shown;
            let help = match &a.fixed {
                Some(f) => {
                    // Show the fix from the bracket on, as the text is quoted.
                    let tail = f.find('〔').map_or(f.as_str(), |b| &f[b..]);
                    msg!("改为“{tail}”（机关代字〔年份〕序号号）", "write \"{tail}\" (机关代字〔year〕serial号)")
                }
                None => fix_help(&None),
            };
            let Some(d) = ctx.finding(rule, p.file.clone(), msg!("正文中的文号“{shown}”：{zh}", "文号 \"{shown}\" in the text: {en}")) else { continue };
            out.push(at_body(ctx, d.with_help(help), p, &body, c.at, shown.chars().count()));
        }
    }
}

// ---------------------------------------------------------------------------
// DOC-DATE-01: dates in Chinese text, GB/T 9704: 2020年2月19日.

const ZH_DIGITS: &[(char, u32)] = &[('〇', 0), ('○', 0), ('零', 0), ('一', 1), ('二', 2), ('三', 3), ('四', 4), ('五', 5), ('六', 6), ('七', 7), ('八', 8), ('九', 9)];

fn zh_digit(c: char) -> Option<u32> {
    ZH_DIGITS.iter().find(|(d, _)| *d == c).map(|(_, v)| *v)
}

/// 十九 → 19, 二十 → 20, 十 → 10, 三十一 → 31, 九 → 9.
fn zh_number(s: &[char]) -> Option<u32> {
    match s {
        [a] => zh_digit(*a).filter(|v| *v > 0).or((*a == '十').then_some(10)),
        ['十', b] => Some(10 + zh_digit(*b).filter(|v| *v > 0)?),
        [a, '十'] => Some(zh_digit(*a).filter(|v| *v > 1)? * 10),
        [a, '十', b] => Some(zh_digit(*a).filter(|v| *v > 1)? * 10 + zh_digit(*b).filter(|v| *v > 0)?),
        _ => None,
    }
}

fn digit_value(c: char) -> Option<u32> {
    match c {
        '0'..='9' => Some(c as u32 - '0' as u32),
        '０'..='９' => Some(c as u32 - '０' as u32),
        _ => None,
    }
}

/// A date found in a body, with what is wrong with it.
struct BadDate {
    at: usize,
    text: String,
    what: Msg,
    fix: Msg,
}

fn bad_dates(body: &str) -> Vec<BadDate> {
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let n = chars.len();
    let text_of = |a: usize, b: usize| -> String { chars[a..b].iter().map(|x| x.1).collect() };
    let mut v = Vec::new();
    let mut k = 0;
    while k < n {
        // Arabic (or full-width) digits: YYYY年M月D日, or M月D日.
        if digit_value(chars[k].1).is_some() && (k == 0 || digit_value(chars[k - 1].1).is_none()) {
            let run = |from: usize| -> usize {
                let mut e = from;
                while e < n && digit_value(chars[e].1).is_some() {
                    e += 1;
                }
                e
            };
            let num = |a: usize, b: usize| -> u32 { chars[a..b].iter().fold(0, |acc, x| acc * 10 + digit_value(x.1).unwrap_or(0)) };
            let e1 = run(k);
            let mut parts: Vec<(usize, usize)> = vec![(k, e1)];
            let mut e = e1;
            let mut units = String::new();
            for unit in ['年', '月', '日'] {
                if unit == '年' && !(e < n && chars[e].1 == '年') {
                    // No year: M月D日.
                    continue;
                }
                if e < n && chars[e].1 == unit {
                    units.push(unit);
                    e += 1;
                    if unit == '日' {
                        break;
                    }
                    let e2 = run(e);
                    if e2 == e {
                        break;
                    }
                    parts.push((e, e2));
                    e = e2;
                } else {
                    break;
                }
            }
            let (has_year, full) = match units.as_str() {
                "年月日" => (true, true),
                "月日" if parts.len() == 2 => (false, true),
                _ => (false, false),
            };
            let year_ok = !has_year || e1 - k == 4;
            if full && year_ok && parts.len() == if has_year { 3 } else { 2 } {
                let (y, m, d) = if has_year { (Some(parts[0]), parts[1], parts[2]) } else { (None, parts[0], parts[1]) };
                let shown = text_of(k, e);
                let wide = chars[k..e].iter().any(|x| ('０'..='９').contains(&x.1));
                let padded = [m, d].iter().any(|&(a, b)| b - a > 1 && digit_value(chars[a].1) == Some(0));
                let (mv, dv) = (num(m.0, m.1), num(d.0, d.1));
                let yv = y.map(|(a, b)| num(a, b));
                let real = match yv {
                    Some(yv) => Date::new(yv as i16, mv as i8, dv as i8).is_ok() && (1..=12).contains(&mv),
                    // No year: 2 月 29 日 is real in a leap year.
                    None => (1..=12).contains(&mv) && Date::new(2024, mv as i8, dv as i8).is_ok(),
                };
                let canon = match yv {
                    Some(yv) => format!("{yv}年{mv}月{dv}日"),
                    None => format!("{mv}月{dv}日"),
                };
                if !real {
                    v.push(BadDate { at: chars[k].0, text: shown.clone(), what: msg!("日期“{shown}”不存在", "the date \"{shown}\" does not exist"), fix: msg!("核对原件，写一个真实的日期", "check the original and write a real date") });
                } else if wide || padded {
                    let what = if wide { msg!("日期“{shown}”用了全角数字", "the date \"{shown}\" uses full-width digits") } else { msg!("日期“{shown}”的月、日不编虚位（不加前导零）", "the date \"{shown}\" pads the month or day with a zero") };
                    v.push(BadDate { at: chars[k].0, text: shown.clone(), what, fix: msg!("写成“{canon}”", "write \"{canon}\"") });
                }
                k = e;
                continue;
            }
            // YYYY年M月 without a day: the month alone.
            if units == "年月" && parts.len() == 2 && e1 - k == 4 {
                let shown = text_of(k, e);
                let (yv, mv) = (num(parts[0].0, parts[0].1), num(parts[1].0, parts[1].1));
                let wide = chars[k..e].iter().any(|x| ('０'..='９').contains(&x.1));
                let padded = parts[1].1 - parts[1].0 > 1 && digit_value(chars[parts[1].0].1) == Some(0);
                if !(1..=12).contains(&mv) {
                    v.push(BadDate { at: chars[k].0, text: shown.clone(), what: msg!("日期“{shown}”不存在", "the date \"{shown}\" does not exist"), fix: msg!("核对原件，写一个真实的月份", "check the original and write a real month") });
                } else if wide || padded {
                    let what = if wide { msg!("日期“{shown}”用了全角数字", "the date \"{shown}\" uses full-width digits") } else { msg!("日期“{shown}”的月份不编虚位（不加前导零）", "the date \"{shown}\" pads the month with a zero") };
                    v.push(BadDate { at: chars[k].0, text: shown.clone(), what, fix: msg!("写成“{yv}年{mv}月”", "write \"{yv}年{mv}月\"") });
                }
                k = e;
                continue;
            }
            k = e1.max(k + 1);
            continue;
        }
        // Chinese numerals: 二〇二〇年二月十九日.
        if zh_digit(chars[k].1).is_some() && (k == 0 || zh_digit(chars[k - 1].1).is_none()) && k + 4 < n {
            let year: Option<Vec<u32>> = chars[k..k + 4].iter().map(|x| zh_digit(x.1)).collect();
            if let (Some(year), Some('年')) = (year, chars.get(k + 4).map(|x| x.1)) {
                let mut e = k + 5;
                let mut take = |unit: char| -> Option<Vec<char>> {
                    let s = e;
                    while e < n && e - s < 3 && (zh_digit(chars[e].1).is_some() || chars[e].1 == '十') {
                        e += 1;
                    }
                    if e > s && e < n && chars[e].1 == unit {
                        let got: Vec<char> = chars[s..e].iter().map(|x| x.1).collect();
                        e += 1;
                        Some(got)
                    } else {
                        None
                    }
                };
                if let (Some(m), Some(d)) = (take('月'), take('日')) {
                    let shown = text_of(k, e);
                    let yv = year.iter().fold(0, |a, d| a * 10 + d);
                    let canon = match (zh_number(&m), zh_number(&d)) {
                        (Some(mv), Some(dv)) if Date::new(yv as i16, mv as i8, dv as i8).is_ok() => Some(format!("{yv}年{mv}月{dv}日")),
                        _ => None,
                    };
                    let fix = match canon {
                        Some(c) => msg!("写成“{c}”", "write \"{c}\""),
                        None => msg!("用阿拉伯数字写一个真实的日期，如 2020年2月19日", "write a real date in Arabic numerals, e.g. 2020年2月19日"),
                    };
                    v.push(BadDate { at: chars[k].0, text: shown.clone(), what: msg!("日期“{shown}”用了汉字数字，公文日期用阿拉伯数字", "the date \"{shown}\" is in Chinese numerals; 公文 dates use Arabic numerals"), fix });
                    k = e;
                    continue;
                }
            }
        }
        k += 1;
    }
    v
}

fn body_dates(ctx: &Ctx<'_>, p: &Page, out: &mut Vec<Diagnostic>) {
    let body = ctx.body(p);
    for b in bad_dates(&body) {
        let Some(d) = ctx.finding("DOC-DATE-01", p.file.clone(), b.what) else { continue };
        out.push(at_body(ctx, d.with_help(b.fix), p, &body, b.at, b.text.chars().count()));
    }
}

// ---------------------------------------------------------------------------
// DOC-ATT-02: attachments named in the text exist.
//
// The engine already fails the build when a file listed under front-matter
// `attachments` is missing. This checks the other direction: a line of the
// body such as `附件：领导小组成员名单` or `附件2：任务清单` names an
// attachment, and that attachment must be somewhere a reader can open it:
//   - an `attachments` entry whose title (or file name) matches the name, or
//   - a heading in the same page that holds it: a heading `附件` (the whole
//     list is in the body, as the shipped plan does), a heading containing
//     the name, or for `附件N` a heading starting with `附件N`.
// Names are compared without 《》“” quotes, spaces and a file extension;
// one containing the other counts as a match (titles are often shortened).

fn normalize_name(s: &str) -> String {
    let s = s.trim();
    let s = match s.rsplit_once('.') {
        Some((stem, ext)) if !ext.is_empty() && ext.len() <= 5 && ext.bytes().all(|b| b.is_ascii_alphanumeric()) => stem,
        _ => s,
    };
    s.chars().filter(|c| !c.is_whitespace() && !"《》“”\"'「」*_`。；;，,".contains(*c)).collect()
}

/// Strips a list number: `1.`, `1、`, `1．`, `（1）`, `(1)`.
fn strip_number(s: &str) -> &str {
    let t = s.trim_start();
    let digits = t.len() - t.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    if digits > 0 {
        let rest = &t[digits..];
        for sep in [".", "、", "．", ")", "）"] {
            if let Some(r) = rest.strip_prefix(sep) {
                return r.trim_start();
            }
        }
        return t;
    }
    for (o, c) in [("（", "）"), ("(", ")")] {
        if let Some(r) = t.strip_prefix(o) {
            let d = r.len() - r.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            if d > 0
                && let Some(r) = r[d..].strip_prefix(c)
            {
                return r.trim_start();
            }
        }
    }
    t
}

/// An attachment the body names: `附件N` (when numbered), the name, where.
struct Named {
    number: Option<String>,
    name: String,
    at: usize,
}

/// Lines `附件：名称` / `附件1：名称` (not headings, not table rows), and
/// numbered lines continuing them (`2.名称`).
fn named_attachments(body: &str) -> Vec<Named> {
    let mut v = Vec::new();
    let mut offset = 0;
    let mut in_list = false;
    for line in body.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let raw = line.trim_end_matches(['\n', '\r']);
        let lead = raw.len() - raw.trim_start().len();
        let t = raw.trim_start().trim_start_matches(['*', '_', '>', ' ']);
        if t.is_empty() || t.starts_with('#') || t.starts_with('|') {
            in_list = false;
            continue;
        }
        if let Some(rest) = t.strip_prefix("附件") {
            let num_len = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            let number = (num_len > 0).then(|| rest[..num_len].to_owned());
            let after = rest[num_len..].trim_start();
            if let Some(names) = after.strip_prefix('：').or_else(|| after.strip_prefix(':')) {
                let at = start + lead + (raw.trim_start().len() - t.len());
                // `附件：1.甲 2.乙` on one line: a numbered word starts a new name.
                let mut parts: Vec<String> = Vec::new();
                for word in names.trim_end_matches(['*', '_']).split_whitespace() {
                    match parts.last_mut() {
                        Some(last) if strip_number(word).len() == word.len() => {
                            last.push(' ');
                            last.push_str(word);
                        }
                        _ => parts.push(word.to_owned()),
                    }
                }
                for (i, part) in parts.iter().enumerate() {
                    let name = strip_number(part).trim();
                    if !name.is_empty() {
                        v.push(Named { number: if i == 0 { number.clone() } else { None }, name: name.to_owned(), at });
                    }
                }
                in_list = true;
                continue;
            }
            in_list = false;
            continue;
        }
        if in_list {
            let stripped = strip_number(t);
            if stripped.len() != t.trim_start().len() && !stripped.is_empty() {
                v.push(Named { number: None, name: stripped.trim_end_matches(['*', '_']).trim().to_owned(), at: start + lead });
                continue;
            }
        }
        in_list = false;
    }
    v
}

fn attachments(ctx: &Ctx<'_>, p: &Page, out: &mut Vec<Diagnostic>) {
    let body = ctx.body(p);
    let named = named_attachments(&body);
    if named.is_empty() {
        return;
    }
    let listed: Vec<(String, String)> = match &p.record {
        Record::Document { attachments, .. } => attachments
            .iter()
            .map(|a| (normalize_name(&a.title), normalize_name(a.file.rsplit('/').next().unwrap_or(&a.file))))
            .collect(),
        _ => Vec::new(),
    };
    let headings: Vec<String> = p.toc.iter().map(|h| h.title.trim().to_owned()).filter(|t| t.starts_with("附件")).collect();
    if headings.iter().any(|h| matches!(h.as_str(), "附件" | "附件：" | "附件:")) {
        // The attachments are set out in the body under a heading 附件.
        return;
    }
    let similar = |a: &str, b: &str| !a.is_empty() && !b.is_empty() && (a == b || a.contains(b) || b.contains(a));
    for n in named {
        let name = normalize_name(&n.name);
        let in_list = listed.iter().any(|(t, f)| similar(&name, t) || similar(&name, f));
        let in_body = headings.iter().any(|h| {
            similar(&name, &normalize_name(h.trim_start_matches("附件").trim_start_matches(|c: char| c.is_ascii_digit()).trim_start_matches(['：', ':', ' '])))
                || n.number.as_ref().is_some_and(|k| {
                    h.strip_prefix("附件").and_then(|r| r.strip_prefix(k.as_str())).is_some_and(|r| !r.starts_with(|c: char| c.is_ascii_digit()))
                })
        });
        if in_list || in_body {
            continue;
        }
        let shown = n.name.clone();
        let Some(d) = ctx.finding("DOC-ATT-02", p.file.clone(), msg!("正文列出的附件“{shown}”既不在 attachments（附件）中，也不在正文的附件部分", "the attachment \"{shown}\" named in the text is neither listed under `attachments` nor set out in the body"))
        else {
            continue;
        };
        let help = msg!("把附件文件放在页面旁边并在前置元数据中写 附件: [{{标题: {shown}, 文件: 文件名.pdf}}]，或在正文末尾用“## 附件”标题写出附件内容", "put the file beside the page and list it: attachments: [{{title: {shown}, file: name.pdf}}], or set it out in the body under a heading “## 附件”");
        out.push(at_body(ctx, d.with_help(help), p, &body, n.at, 2));
    }
}

// ---------------------------------------------------------------------------
// OGI-07: a document and its 解读 link to each other.

fn interpretations(ctx: &Ctx<'_>, docs: &[&Page], out: &mut Vec<Diagnostic>) {
    let mut covered: Vec<&str> = Vec::new();
    for d in docs {
        let Record::Document { interpretation: Some(url), .. } = &d.record else { continue };
        if url.contains("://") {
            // Published elsewhere: the link back cannot be checked here.
            continue;
        }
        let Some(target) = page_at_url(ctx, url) else {
            out.extend(at_key(ctx, "OGI-07", d, "interpretation",
                msg!("解读（interpretation）指向的页面 {url} 不在本站", "`interpretation` names {url}, which is not a page of this site"),
                msg!("写解读页 .md 文件的相对路径，如 interpretation: sbdb-jiedu.md", "write the relative path of the 解读 page's .md file, e.g. interpretation: sbdb-jiedu.md")));
            continue;
        };
        covered.push(&target.file);
        let linked = main_html(ctx, target).is_some_and(|h| links_to(ctx, &h, d));
        if !linked {
            let (t, f) = (&d.title, &d.file);
            let rel = d.file.rsplit('/').next().unwrap_or(&d.file);
            out.extend(at_key(ctx, "OGI-07", target, "title",
                msg!("解读页没有链接到它解读的文件《{t}》（{f}）", "this 解读 page does not link to the document it interprets, \"{t}\" ({f})"),
                msg!("在解读页正文中写明并链接所解读的文件，如 [《{t}》]({rel})", "name and link the document in the 解读's text, e.g. [《{t}》]({rel})")));
        }
    }
    // From the 解读's side: a 解读 page among the documents names its document,
    // and that document points back with `interpretation`.
    for j in ctx.site.pages.iter().filter(|p| ctx.site.sections[p.section].kind == Some(Kind::Document) && p.title.contains("解读")) {
        if covered.contains(&j.file.as_str()) {
            continue;
        }
        let html = main_html(ctx, j).unwrap_or_default();
        let linked: Vec<&&Page> = docs.iter().filter(|d| d.file != j.file && !d.title.contains("解读") && links_to(ctx, &html, d)).collect();
        let jt = &j.title;
        match linked.first() {
            None => out.extend(at_key(ctx, "OGI-07", j, "title",
                msg!("解读页“{jt}”没有写明（链接）它解读的文件", "the 解读 page \"{jt}\" does not name (link) the document it interprets"),
                msg!("在正文中链接所解读的文件，如 [《文件标题》](文件名.md)，并在该文件的前置元数据中写 解读: 本页的文件名", "link the document in the text, e.g. [《title》](the-document.md), and give that document `interpretation:` naming this page's file"))),
            Some(d) => {
                if linked.iter().any(|d| matches!(&d.record, Record::Document { interpretation: Some(_), .. })) {
                    continue;
                }
                let rel = j.file.rsplit('/').next().unwrap_or(&j.file);
                let (dt, jf) = (&d.title, &j.file);
                out.extend(at_key(ctx, "OGI-07", d, "title",
                    msg!("文件《{dt}》有解读页 {jf}，但没有链接到它", "\"{dt}\" has a 解读 page, {jf}, but does not link to it"),
                    msg!("在前置元数据中加一行：解读: {rel}", "add a line to the front matter: interpretation: {rel}")));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_numbers() {
        assert!(index_no_ok("113703230047500123/2020-00001"));
        assert!(index_no_ok("000014349/2017-00110"));
        assert!(!index_no_ok("11370323004750012I/2020-00001"), "I is not in the credit-code alphabet");
        assert!(!index_no_ok("113703230047500123/2020-0001"));
        assert!(!index_no_ok("113703230047500123-2020-00001"));
        assert!(!index_no_ok("113703230047500123/1820-00001"));
    }

    fn rules(s: &str) -> Vec<&'static str> {
        let mut v: Vec<&str> = analyse_doc_no(s).problems.iter().map(|p| p.0).collect();
        v.dedup();
        v
    }

    #[test]
    fn doc_numbers() {
        assert!(rules("源经发〔2023〕4号").is_empty());
        assert_eq!(analyse_doc_no("源经发〔2023〕4号").year, Some(2023));
        assert_eq!(rules("源经发[2023]4号"), ["DOC-NO-02"]);
        assert_eq!(analyse_doc_no("源经发（2023）4号").fixed.as_deref(), Some("源经发〔2023〕4号"));
        assert_eq!(rules("源经发〔2023〕第4号"), ["DOC-NO-03"]);
        assert_eq!(rules("源经发〔2023〕04号"), ["DOC-NO-03"]);
        assert_eq!(rules("源经发〔23〕4号"), ["DOC-NO-03"]);
        assert_eq!(rules("源经发【2023】第04号"), ["DOC-NO-02", "DOC-NO-03"]);
        assert_eq!(rules("源经发2023年4号"), ["DOC-NO-01"]);
        assert_eq!(rules("〔2023〕4号"), ["DOC-NO-01"]);
        assert_eq!(rules("源经发〔2023〕4"), ["DOC-NO-01"]);
    }

    #[test]
    fn citations_in_text() {
        let c = citations("根据《通知》（源发〔2020〕2号）和源经发[2021]5号，以及（2023）年报与 [链接](a.md) 和示例路(2023)号。");
        let shown: Vec<&str> = c.iter().map(|c| c.shown.as_str()).collect();
        assert_eq!(shown, ["〔2020〕2号", "[2021]5号"]);
        assert_eq!(c[0].full, "源发〔2020〕2号");
    }

    #[test]
    fn dates_in_text() {
        let found = |s: &str| bad_dates(s).into_iter().map(|b| b.text).collect::<Vec<_>>();
        assert!(found("2020年2月19日，前50 名，10月1日至7日，2026年").is_empty());
        assert_eq!(found("于2020年02月19日印发"), ["2020年02月19日"]);
        assert_eq!(found("2023年2月30日"), ["2023年2月30日"]);
        assert_eq!(found("二〇二〇年二月十九日"), ["二〇二〇年二月十九日"]);
        assert_eq!(bad_dates("二〇二〇年二月十九日")[0].fix.zh, "写成“2020年2月19日”");
        assert_eq!(found("１２月３日"), ["１２月３日"]);
        assert_eq!(found("10月01日"), ["10月01日"]);
        assert_eq!(found("2026年09月起，2026年13月"), ["2026年09月", "2026年13月"]);
        assert!(found("2026年9月起").is_empty());
    }

    #[test]
    fn attachment_lines() {
        let v = named_attachments("正文。\n\n附件：1.领导小组名单\n      2.任务清单\n\n## 附件1：领导小组名单\n附件2:《任务清单》\n");
        let names: Vec<(&Option<String>, &str)> = v.iter().map(|n| (&n.number, n.name.as_str())).collect();
        assert_eq!(names, [(&None, "领导小组名单"), (&None, "任务清单"), (&Some("2".to_owned()), "《任务清单》")]);
        let one_line: Vec<String> = named_attachments("附件：1.领导小组名单 2.任务清单\n").into_iter().map(|n| n.name).collect();
        assert_eq!(one_line, ["领导小组名单", "任务清单"]);
    }
}

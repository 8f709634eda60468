//! Feedback channel, publication review and names: GOV-INT-01, SEC-REV-01, GOV-VETO-03.

use super::Ctx;
use super::docs::{is_document, is_han, place};
use crate::diag::Diagnostic;
use crate::model::Kind;
use crate::msg;
use std::collections::{BTreeMap, HashMap, HashSet};

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    feedback(ctx, out);
    reviewed(ctx, out);
    names(ctx, out);
}

/// GOV-INT-01: a 信息反馈 page, with phone, e-mail and address from `site.yml`.
fn feedback(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let page = format!("{}index.html", crate::render::FEEDBACK_PATH);
    if ctx.output.get(&page).is_none()
        && let Some(d) = ctx.finding("GOV-INT-01", "site.yml", msg!("输出中没有信息反馈页（{page}）", "the output has no feedback page ({page})"))
    {
        out.push(d.with_help(msg!("使用内置主题的 feedback.html，或在自己的主题中保留 feedback.html 模板", "keep the theme's feedback.html template (the built-in theme has one)")));
    }
    let c = &ctx.site.config.contact;
    let has = |v: &Option<String>| v.as_deref().is_some_and(|s| !s.trim().is_empty());
    let mut missing: Vec<(&str, &str, &str)> = Vec::new();
    if !has(&c.phone) {
        missing.push(("电话", "phone", "phone: 0533-3221234"));
    }
    if !has(&c.email) {
        missing.push(("邮箱", "email", "email: kfq@example.gov.cn"));
    }
    if !has(&c.address) {
        missing.push(("地址", "address", "address: 山东省淄博市沂源县示例路1号"));
    }
    if missing.is_empty() {
        return;
    }
    let zh = missing.iter().map(|m| m.0).collect::<Vec<_>>().join("、");
    let en = missing.iter().map(|m| m.1).collect::<Vec<_>>().join(", ");
    let lines = missing.iter().map(|m| format!("  {}", m.2)).collect::<Vec<_>>().join("\n");
    let Some(d) = ctx.finding("GOV-INT-01", "site.yml", msg!("信息反馈页的联系方式不全：site.yml 的 contact 缺少{zh}", "the feedback page's contact is incomplete: site.yml `contact` has no {en}")) else { return };
    let d = d.with_help(msg!(
        "在 site.yml 的 contact（联系方式）下补上：\n{lines}\n电话、邮箱和地址三项都要有；最好再链接上级政府网站的政民互动（留言）平台",
        "add under `contact` in site.yml:\n{lines}\nphone, e-mail and address are all required; also link the parent government's online message platform"
    ));
    // At `contact:` (or its alias 联系方式) in site.yml.
    let text = ctx.source("site.yml");
    let place = text.as_deref().and_then(|t| ["contact", "联系方式"].iter().find_map(|k| crate::frontmatter::find_key(t, k, 1).map(|(l, c)| (l, c, k.chars().count()))));
    let d = match (text.as_deref(), place) {
        (Some(t), Some((line, col, len))) => d.at(t, line, col, len),
        _ => d,
    };
    out.push(d);
}

/// SEC-REV-01: every notice and every document records who reviewed it.
fn reviewed(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for p in &ctx.site.pages {
        let notice = ctx.site.sections[p.section].kind == Some(Kind::Notices);
        if !notice && !is_document(ctx, p) {
            continue;
        }
        if p.disclosure.reviewers.iter().any(|r| !r.trim().is_empty()) {
            continue;
        }
        let t = &p.title;
        let what = if notice { msg!("公示公告", "notice") } else { msg!("文件", "document") };
        let (wz, we) = (what.zh, what.en);
        let Some(d) = ctx.finding("SEC-REV-01", p.file.clone(), msg!("{wz}“{t}”没有发布审核记录（审核）", "{we} \"{t}\" has no publication review record (reviewers)")) else { continue };
        let d = d.with_help(msg!(
            "发布前须经审核（含保密审查），写明审核人，建议三审：审核: [初审 张三, 复审 李四, 终审 王五]",
            "record who reviewed it before publication (including the secrecy review); three tiers are recommended: reviewers: [初审 张三, 复审 李四, 终审 王五]"
        ));
        out.push(place(ctx, d, p, "reviewers"));
    }
}

/// GOV-VETO-03: names in titles and text that differ from a correct name in
/// exactly one Han character (王贵王 for 王贵玉), for a person to confirm. Only names of three
/// characters or more are compared (two-character names match too much
/// ordinary text); a candidate that is itself an allowed name, or a part of
/// one, is not reported.
fn names(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let allowed: Vec<String> = ctx.settings.names.iter().map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()).collect();
    let allowed_set: HashSet<&str> = allowed.iter().map(String::as_str).collect();
    let mut names: Vec<Vec<char>> = allowed.iter().map(|n| n.chars().collect::<Vec<char>>()).filter(|n| n.len() >= 3).collect();
    names.sort();
    names.dedup();
    if names.is_empty() {
        return;
    }
    // A page's text as readers see it (its plain text, in memory), not its
    // Markdown: a build frees that, and reading 10,000 files back to look
    // for names doubled the rule's time.
    let mut texts: Vec<(&str, &str)> = Vec::new();
    for p in &ctx.site.pages {
        texts.push((&p.file, &p.title));
        texts.push((&p.file, &p.text));
    }
    for s in ctx.site.sections.iter().filter(|s| s.has_index) {
        texts.push((&s.file, &s.title));
        texts.push((&s.file, &s.body));
    }
    // Texts are searched in parallel; their hits are then taken in the order
    // a plain loop (texts, then names, then positions) would find them, so the
    // name reported for a candidate is the same.
    let index = NameIndex::new(&names);
    use rayon::prelude::*;
    let hits: Vec<Vec<(usize, String)>> = texts.par_iter().map(|(_, text)| near_misses(text, &names, &index, &allowed, &allowed_set)).collect();
    // (file, candidate) → the correct name, reported once per file.
    let mut found: BTreeMap<(String, String), String> = BTreeMap::new();
    for ((file, _), hits) in texts.iter().zip(hits) {
        for (k, cand) in hits {
            found.entry(((*file).to_owned(), cand)).or_insert_with(|| names[k].iter().collect());
        }
    }
    for ((file, cand), name) in found {
        let Some(d) = ctx.finding("GOV-VETO-03", file.clone(), msg!("“{cand}”与规范名称“{name}”只差一个字，请人工确认是否写错", "\"{cand}\" differs from the correct name \"{name}\" by one character; confirm it is not a typo")) else { continue };
        let d = d.with_help(msg!(
            "如果指的是“{name}”，改为“{name}”；如果确是另一个名称，把它加入 site.yml 的 check.names（规范名称）",
            "if it means \"{name}\", write \"{name}\"; if it is really another name, add it to check.names in site.yml"
        ));
        out.push(ctx.at_text(d, &file, &cand));
    }
}

/// Names by their first and by their second character. A window that differs
/// from a name in exactly one place (names have three characters or more)
/// shares its first or its second character, so only those names are compared.
struct NameIndex {
    first: HashMap<char, Vec<usize>>,
    second: HashMap<char, Vec<usize>>,
    /// Characters that start or follow in some name, by their low 12 bits: most
    /// characters of a text are ruled out without a hash lookup.
    seen: Vec<u64>,
}

impl NameIndex {
    fn new(names: &[Vec<char>]) -> NameIndex {
        let mut ix = NameIndex { first: HashMap::new(), second: HashMap::new(), seen: vec![0; 64] };
        for (k, n) in names.iter().enumerate() {
            ix.first.entry(n[0]).or_default().push(k);
            ix.second.entry(n[1]).or_default().push(k);
            for c in [n[0], n[1]] {
                ix.seen[(c as usize >> 6) & 63] |= 1 << (c as usize & 63);
            }
        }
        ix
    }

    fn maybe(&self, c: char) -> bool {
        self.seen[(c as usize >> 6) & 63] & (1 << (c as usize & 63)) != 0
    }

    /// Names a window starting with `a`, `b` may be one character away from.
    fn candidates(&self, a: char, b: Option<char>, out: &mut Vec<usize>) {
        out.clear();
        if self.maybe(a) && let Some(v) = self.first.get(&a) {
            out.extend(v);
        }
        if let Some(b) = b.filter(|&b| self.maybe(b)) && let Some(v) = self.second.get(&b) {
            out.extend(v);
        }
        out.sort_unstable();
        out.dedup();
    }
}

/// A text's windows that differ from a name in exactly one Han character and
/// are no allowed name nor part of one: (name index, window), in name order,
/// then text order.
fn near_misses(text: &str, names: &[Vec<char>], index: &NameIndex, allowed: &[String], allowed_set: &HashSet<&str>) -> Vec<(usize, String)> {
    let chars: Vec<char> = text.chars().collect();
    let mut hits: Vec<(usize, String)> = Vec::new();
    let mut cands = Vec::new();
    for p in 0..chars.len() {
        index.candidates(chars[p], chars.get(p + 1).copied(), &mut cands);
        for &k in &cands {
            let name = &names[k];
            let Some(w) = chars.get(p..p + name.len()) else { continue };
            let mut diff = None;
            let mut more = false;
            for (i, (a, b)) in w.iter().zip(name).enumerate() {
                if a != b {
                    if diff.is_some() {
                        more = true;
                        break;
                    }
                    diff = Some(i);
                }
            }
            let Some(i) = diff else { continue };
            if more || !is_han(w[i]) || !is_han(name[i]) {
                continue;
            }
            let cand: String = w.iter().collect();
            if allowed_set.contains(cand.as_str()) || allowed.iter().any(|a| a.contains(&cand)) {
                continue;
            }
            hits.push((k, cand));
        }
    }
    // Stable: positions stay in order within a name.
    hits.sort_by_key(|h| h.0);
    hits
}

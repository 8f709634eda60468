//! 公示 rules: PUB-01, PUB-04, PUB-05, PUB-06, PUB-08, CAL-01 (GOV-RULES §7).
//!
//! They apply to pages of `kind: notices` sections that have a 公示期 (a start
//! or an end date). A notice without a period is an announcement (公告, such
//! as a result notice) and is exempt.

use super::Ctx;
use super::docs::{at_line, main_html, page_at_url, place};
use crate::diag::Diagnostic;
use crate::lang::Msg;
use crate::model::{Kind, Page, Record};
use crate::msg;

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    for p in &ctx.site.pages {
        if ctx.site.sections[p.section].kind != Some(Kind::Notices) {
            continue;
        }
        let Record::Notices { publisher, start, end, contact, result, .. } = &p.record else { continue };
        if start.is_none() && end.is_none() {
            continue;
        }
        title(ctx, p, out);
        period(ctx, p, *start, *end, out);
        channel(ctx, p, publisher.as_deref(), contact, out);
        objection_rules(ctx, p, out);
        if let Some(end) = end {
            result_notice(ctx, p, *end, result.as_deref(), out);
        }
    }
}

fn at_key(ctx: &Ctx<'_>, rule: &'static str, p: &Page, key: &str, message: Msg, help: Msg) -> Option<Diagnostic> {
    let d = ctx.finding(rule, p.file.clone(), message)?.with_help(help);
    Some(place(ctx, d, p, key))
}

/// PUB-01: the title says it is a 公示.
fn title(ctx: &Ctx<'_>, p: &Page, out: &mut Vec<Diagnostic>) {
    let t = p.title.trim();
    if t.ends_with("公示") {
        return;
    }
    out.extend(at_key(ctx, "PUB-01", p, "title",
        msg!("有公示期的公示，标题“{t}”没有以“公示”结尾", "a notice with a 公示期 should have a title ending in 公示, not \"{t}\""),
        msg!("写成“关于……的公示”或“……名单公示”，如“关于{t}的公示”", "write \"关于……的公示\" or \"……名单公示\", e.g. \"关于{t}的公示\"")));
}

/// The minimum 公示期 for this notice: a `notice_min_by_title` key found in
/// the title (the largest, if several), else `notice_min_working_days`.
fn minimum<'a>(ctx: &'a Ctx<'_>, title: &str) -> (u32, Option<&'a str>) {
    ctx.settings
        .notice_min_by_title
        .iter()
        .filter(|(k, _)| !k.is_empty() && title.contains(k.as_str()))
        .max_by_key(|(_, n)| *n)
        .map_or((ctx.settings.notice_min_working_days, None), |(k, n)| (*n, Some(k.as_str())))
}

/// PUB-04 and CAL-01: a complete period, not before publication, long enough.
fn period(ctx: &Ctx<'_>, p: &Page, start: Option<jiff::civil::Date>, end: Option<jiff::civil::Date>, out: &mut Vec<Diagnostic>) {
    let (Some(s), Some(e)) = (start, end) else {
        let which = if start.is_none() { msg!("开始日期", "start date") } else { msg!("结束日期", "end date") };
        let (zh, en) = (which.zh, which.en);
        out.extend(at_key(ctx, "PUB-04", p, "period",
            msg!("公示期缺少{zh}", "the 公示期 (period) has no {en}"),
            msg!("写全起止日期：公示期: {{开始: 2026-11-16, 结束: 2026-11-24}}", "give both dates: period: {{start: 2026-11-16, end: 2026-11-24}}")));
        return;
    };
    if let Some(date) = p.date.filter(|d| s < *d) {
        out.extend(at_key(ctx, "PUB-04", p, "period",
            msg!("公示期从 {s} 开始，早于发布日期 {date}", "the 公示期 starts {s}, before the notice is published ({date})"),
            msg!("公示期从发布之日或之后开始：开始日期不早于 {date}", "a 公示期 starts on or after the day of publication: start no earlier than {date}")));
    }
    if e < s {
        out.extend(at_key(ctx, "PUB-04", p, "period",
            msg!("公示期结束日期 {e} 早于开始日期 {s}", "the 公示期 ends ({e}) before it starts ({s})"),
            msg!("核对起止日期", "check the two dates")));
        return;
    }
    let (min, by) = minimum(ctx, &p.title);
    match ctx.calendar.working_days_between(s, e) {
        Ok(n) if n < min => {
            let why = match by {
                Some(k) => msg!("（标题含“{k}”的公示不少于 {min} 个工作日）", " (notices about {k} need at least {min})"),
                None => msg!("（至少 {min} 个工作日）", " (at least {min} are needed)"),
            };
            let (wz, we) = (why.zh, why.en);
            let last = ctx.calendar.add_working_days(s, min.saturating_sub(1)).ok();
            let fix = match last {
                Some(l) => msg!("把结束日期延至 {l} 或之后（按工作日历，节假日不计）", "move the end date to {l} or later (holidays do not count)"),
                None => msg!("延长公示期至不少于 {min} 个工作日", "extend the 公示期 to at least {min} working days"),
            };
            out.extend(at_key(ctx, "PUB-04", p, "period", msg!("公示期 {s} 至 {e} 只有 {n} 个工作日{wz}", "the 公示期 {s} to {e} has {n} working days{we}"), fix));
        }
        Ok(_) => {}
        Err(missing) => {
            let y = missing.year;
            out.extend(at_key(ctx, "CAL-01", p, "period",
                msg!("工作日历没有 {y} 年的节假日安排，无法计算公示期的工作日", "the working-day calendar has no {y}: cannot count the 公示期's working days"),
                msg!("在 data/calendar.yml 中按国务院办公厅 {y} 年节假日安排通知补充该年", "add {y} to data/calendar.yml from the State Council's holiday notice for {y}")));
        }
    }
}

/// A phone the public can call: area code + number (`0\d{2,3}-?\d{7,8}`),
/// a 400/800 hotline, or a number on the site's `phone_allow` list.
pub(super) fn phone_ok(phone: &str, allow: &[String]) -> bool {
    if allow.iter().any(|a| !a.trim().is_empty() && phone.contains(a.trim())) {
        return true;
    }
    let c: Vec<char> = phone.chars().collect();
    let digit = |i: usize| c.get(i).is_some_and(|x| x.is_ascii_digit());
    let run = |mut i: usize| {
        let s = i;
        while digit(i) {
            i += 1;
        }
        i - s
    };
    for i in 0..c.len() {
        if !digit(i) || (i > 0 && digit(i - 1)) {
            continue;
        }
        // 400-xxx-xxxx / 800xxxxxxx: ten digits, dashes or spaces allowed.
        let mut j = i;
        let mut digits = String::new();
        while j < c.len() && (c[j].is_ascii_digit() || c[j] == '-' || c[j] == ' ') && digits.len() < 10 {
            if c[j].is_ascii_digit() {
                digits.push(c[j]);
            }
            j += 1;
        }
        if digits.len() == 10 && (digits.starts_with("400") || digits.starts_with("800")) && !digit(j) {
            return true;
        }
        // 0 + 2–3 digits, an optional dash, 7–8 digits.
        if c[i] != '0' {
            continue;
        }
        let total = run(i);
        if (10..=12).contains(&total) {
            return true;
        }
        if (3..=4).contains(&total) && matches!(c.get(i + total), Some('-') | Some('－')) && (7..=8).contains(&run(i + total + 1)) {
            return true;
        }
    }
    false
}

/// PUB-05: 受理单位, a phone with an area code, and an e-mail or an address.
fn channel(ctx: &Ctx<'_>, p: &Page, publisher: Option<&str>, contact: &crate::model::NoticeContact, out: &mut Vec<Diagnostic>) {
    let has = |v: Option<&str>| v.is_some_and(|s| !s.trim().is_empty());
    if !has(contact.person.as_deref()) && !has(publisher) {
        out.extend(at_key(ctx, "PUB-05", p, "contact",
            msg!("公示没有写受理单位", "the notice does not name the office that receives objections (受理单位)"),
            msg!("在受理方式中写联系人（受理单位），如 受理方式: {{联系人: 组织人事部, …}}，或写 公示单位", "name it under contact, e.g. contact: {{person: 组织人事部, …}}, or give a publisher")));
    }
    match contact.phone.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => out.extend(at_key(ctx, "PUB-05", p, "contact",
            msg!("公示没有写受理电话", "the notice gives no phone number for objections"),
            msg!("在受理方式中写带区号的办公电话，如 电话: 0533-3221234", "add an office phone with its area code, e.g. phone: 0533-3221234"))),
        Some(phone) if !phone_ok(phone, &ctx.settings.phone_allow) => out.extend(at_key(ctx, "PUB-05", p, "phone", {
            // A mobile number here is personal data: never print it whole.
            let phone = super::pii::mask_numbers(phone);
            msg!("受理电话“{phone}”没有区号（或不是办公电话）", "the phone \"{phone}\" has no area code (or is not an office line)")
            },
            msg!("写带区号的办公电话，如 0533-3221234；热线可写 400/800 号码，或加入 site.yml 的 check.phone_allow", "write an office number with its area code, e.g. 0533-3221234; a 400/800 hotline works, or add the number to check.phone_allow in site.yml"))),
        Some(_) => {}
    }
    if !has(contact.email.as_deref()) && !has(contact.address.as_deref()) {
        out.extend(at_key(ctx, "PUB-05", p, "contact",
            msg!("公示没有写电子邮箱或通讯地址", "the notice gives neither an e-mail nor a postal address for objections"),
            msg!("在受理方式中加 邮箱 和/或 地址（两者都写更好），如 地址: 山东省淄博市沂源县示例路1号", "add an email and/or an address (both are better), e.g. address: 山东省淄博市沂源县示例路1号")));
    }
}

/// PUB-06: objections in writing (书面), under a real name (实名), within
/// the period (公示期内/公示期间). The notice's body is read first; a theme
/// that prints these rules on every notice page (the built-in one does, with
/// the contact box) satisfies the rule too, since that is what readers see.
fn objection_rules(ctx: &Ctx<'_>, p: &Page, out: &mut Vec<Diagnostic>) {
    let says = |t: &str| t.contains("书面") && t.contains("实名") && (t.contains("公示期内") || t.contains("公示期间"));
    let body = ctx.body(p);
    if says(&body) || main_html(ctx, p).is_some_and(|h| says(&h)) {
        return;
    }
    let missing: Vec<&str> = [("书面", &["书面"][..]), ("实名", &["实名"][..]), ("公示期内", &["公示期内", "公示期间"][..])]
        .iter()
        .filter(|(_, words)| !words.iter().any(|w| body.contains(w)))
        .map(|(n, _)| *n)
        .collect();
    let (list, list_en) = (missing.join("、"), missing.join(", "));
    let Some(d) = ctx.finding("PUB-06", p.file.clone(), msg!("公示没有写明异议的提出方式（缺少：{list}）", "the notice does not say how to object (missing: {list_en})")) else { return };
    let d = d.with_help(msg!(
        "在正文中写：公示期内，如有异议，请以书面形式实名向受理单位反映，并提供事实依据和联系方式；匿名、冒名或超期的异议不予受理，对反映人的信息予以保密。",
        "add to the text: 公示期内，如有异议，请以书面形式实名向受理单位反映 … (objections in writing, under a real name, within the period)"
    ));
    // At the first line of text in the body.
    let blank = body.lines().take_while(|l| l.trim().is_empty()).count();
    let len = body.lines().nth(blank).map_or(1, |l| l.chars().count().max(1));
    out.push(at_line(ctx, d, &p.file, p.body_line + blank, 1, len));
}

/// PUB-08: after the period, a result notice; late after `result_within_days`.
fn result_notice(ctx: &Ctx<'_>, p: &Page, end: jiff::civil::Date, result: Option<&str>, out: &mut Vec<Diagnostic>) {
    let today = ctx.site.build_date;
    if today <= end {
        return;
    }
    match result {
        Some(url) if url.contains("://") || page_at_url(ctx, url).is_some() => {}
        Some(url) => out.extend(at_key(ctx, "PUB-08", p, "result",
            msg!("结果（result）指向的 {url} 不是本站的页面", "`result` names {url}, which is not a page of this site"),
            msg!("写结果公告 .md 文件的相对路径，如 结果: result-2026-1.md", "write the relative path of the result notice's .md file, e.g. result: result-2026-1.md"))),
        None => {
            let days = (today - end).get_days() as i64;
            let limit = ctx.settings.result_within_days;
            if days > limit {
                out.extend(at_key(ctx, "PUB-08", p, "period",
                    msg!("公示期已于 {end} 结束 {days} 天，仍未链接结果公告（应在 {limit} 天内）", "the 公示期 ended {end}, {days} days ago, and no result notice is linked (due within {limit} days)"),
                    msg!("发布结果公告，并在本公示中加一行：结果: 结果公告的文件名.md", "publish the result notice and add a line here: result: the-result-notice.md")));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::phone_ok;

    #[test]
    fn phones() {
        for ok in ["0533-0000002", "0533-12345678", "010-12345678", "05333221234", "电话 0533－3221234", "400-123-4567", "8001234567"] {
            assert!(phone_ok(ok, &[]), "{ok}");
        }
        for bad in ["13812345678", "3221234", "0533-12345", "12345", ""] {
            assert!(!phone_ok(bad, &[]), "{bad}");
        }
        assert!(phone_ok("12345", &["12345".to_owned()]));
    }
}

//! Freshness as of the build date: GOV-SITE-06, GOV-UPD-01..05.
//!
//! Inspectors treat an undated item as never updated, a home page without
//! news for two weeks and an empty column in the navigation as single-veto
//! failures, and count stale columns by class (GOV-RULES §2):
//!
//! | class | kinds | period |
//! |---|---|---|
//! | 动态要闻 `dtyw` (GOV-UPD-02) | plain sections (news, articles) | `news_days` (14 days) |
//! | 通知公告·政策文件 `tzzc` (GOV-UPD-03) | document, notices, tasks, projects, enterprises | `notice_months` (6 months) |
//! | 人事·规划计划 `rsgh` (GOV-UPD-04) | people, areas, indicators | `plan_months` (12 months) |
//!
//! A column is a top-level section; its items are the pages of the section
//! and of its subsections. An item's date is the newest of its `updated`,
//! its `date`, a task's dated 进展 and a project's dated 节点, counting only
//! dates up to the build date (a later date is not published yet). A
//! column's `_index.md` may carry its own `updated` (or `date`): the day the
//! column as a whole was last reviewed, e.g. a 领导小组 list checked against
//! personnel changes; it counts like an item's date. Findings about a column
//! point at its `_index.md`.

use super::Ctx;
use crate::diag::{Diagnostic, Severity};
use crate::model::{Kind, Page, Record, Site};
use crate::msg;
use jiff::civil::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Class {
    Dtyw,
    Tzzc,
    Rsgh,
}

impl Class {
    fn of(kind: Option<Kind>) -> Class {
        match kind {
            None => Class::Dtyw,
            Some(Kind::Document | Kind::Notices | Kind::Tasks | Kind::Projects | Kind::Enterprises) => Class::Tzzc,
            Some(Kind::People | Kind::Areas | Kind::Indicators) => Class::Rsgh,
        }
    }

    fn rule(self) -> &'static str {
        match self {
            Class::Dtyw => "GOV-UPD-02",
            Class::Tzzc => "GOV-UPD-03",
            Class::Rsgh => "GOV-UPD-04",
        }
    }

    fn name_zh(self) -> &'static str {
        match self {
            Class::Dtyw => "动态要闻类",
            Class::Tzzc => "通知公告、政策文件类",
            Class::Rsgh => "人事、规划计划类",
        }
    }

    fn name_en(self) -> &'static str {
        match self {
            Class::Dtyw => "news (动态要闻)",
            Class::Tzzc => "notices and policy (通知公告·政策文件)",
            Class::Rsgh => "personnel and plans (人事·规划计划)",
        }
    }
}

pub fn check(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    dated_items(ctx, out);
    home(ctx, out);
    columns(ctx, out);
}

/// Places `d` at page `p`: the `title` line of a Markdown page, the record's id in a data file.
fn at_page(ctx: &Ctx<'_>, d: Diagnostic, p: &Page) -> Diagnostic {
    if p.file.ends_with(".md") { ctx.at_key(d, &p.file, "title") } else { ctx.at_text(d, &p.file, &p.id) }
}

/// GOV-SITE-06: news, articles, documents and notices carry a 发布日期.
fn dated_items(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let site = ctx.site;
    for p in &site.pages {
        if p.date.is_some() || !matches!(site.sections[p.section].kind, None | Some(Kind::Document | Kind::Notices)) {
            continue;
        }
        let title = &p.title;
        let Some(d) = ctx.finding("GOV-SITE-06", p.file.as_str(), msg!("“{title}”没有发布日期（date）；未注明发布时间的信息视为不更新", "“{title}” has no publication date (`date`); undated items count as never updated")) else { continue };
        out.push(at_page(ctx, d, p).with_help(msg!("在前置信息中加一行 date: YYYY-MM-DD（发布日期）", "add a line `date: YYYY-MM-DD` (the publication date) to the front matter")));
    }
}

/// The newest date of item `p` up to the build date.
fn item_date(p: &Page, today: Date) -> Option<Date> {
    let mut dates = vec![p.updated, p.date];
    match &p.record {
        Record::Tasks { updates, .. } => dates.extend(updates.iter().map(|e| e.date)),
        Record::Projects { milestones, .. } => dates.extend(milestones.iter().map(|e| e.date)),
        _ => {}
    }
    dates.into_iter().flatten().filter(|d| *d <= today).max()
}

fn days_between(from: Date, to: Date) -> i64 {
    from.until(to).map_or(0, |s| i64::from(s.get_days()))
}

/// GOV-UPD-01: the newest news on the home page is at most `news_days` old (a warning from four days before).
fn home(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let site = ctx.site;
    let today = site.build_date;
    let limit = ctx.settings.news_days;
    let home = &site.sections[0];
    // What the home page's 最新动态 lists: dated pages of plain sections.
    let newest = site.pages.iter().filter(|p| site.sections[p.section].kind.is_none()).filter_map(|p| Some((p.date.filter(|d| *d <= today)?, p))).max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.file.cmp(&a.1.file)));
    let Some((date, p)) = newest else {
        if let Some(d) = ctx.finding("GOV-UPD-01", home.file.as_str(), msg!("首页没有带发布日期的最新动态（截至 {today}）", "the home page shows no dated news (as of {today})")) {
            out.push(ctx.at_key(d, &home.file, "title").with_help(msg!("发布一条带 date 的工作动态", "publish a news item with a `date`")));
        }
        return;
    };
    let age = days_between(date, today);
    let warn_from = (limit - 4).max(0);
    if age <= limit && age < warn_from {
        return;
    }
    let file = &p.file;
    let Some(mut d) = ctx.finding(
        "GOV-UPD-01",
        home.file.as_str(),
        if age > limit {
            msg!("首页最新动态是 {date} 发布的，到 {today} 已 {age} 天未更新（不得超过 {limit} 天）", "the home page's newest news is from {date}: {age} days without an update by {today} (the limit is {limit})")
        } else {
            msg!("首页最新动态是 {date} 发布的，到 {today} 已 {age} 天；{limit} 天内没有更新将被视为首页不更新", "the home page's newest news is from {date}, {age} days before {today}; after {limit} days the home page counts as not updated")
        },
    ) else {
        return;
    };
    if age <= limit && d.severity == Severity::Error {
        d = d.into_warning();
    }
    out.push(ctx.at_key(d, &home.file, "title").with_note(msg!("最新一条是 {file}", "the newest item is {file}")).with_help(msg!("发布新的工作动态", "publish new news")));
}

/// A column's own `updated` (else `date`) in its `_index.md`.
fn section_date(ctx: &Ctx<'_>, file: &str) -> Option<Date> {
    let text = ctx.source(file)?;
    let mut ignored = crate::diag::Diagnostics::default();
    let fm = crate::frontmatter::parse(file, &text, &crate::schema::page_fields(None, true), &mut ignored)?;
    fm.date("updated", &mut ignored).or_else(|| fm.date("date", &mut ignored))
}

/// The sections under section `i`, itself included.
fn subtree(site: &Site, i: usize) -> Vec<usize> {
    let mut all = vec![i];
    let mut k = 0;
    while k < all.len() {
        all.extend(site.sections[all[k]].subsections.iter().copied());
        k += 1;
    }
    all
}

/// GOV-UPD-02..05: each top-level column has items, and a recent one for its class.
fn columns(ctx: &Ctx<'_>, out: &mut Vec<Diagnostic>) {
    let site = ctx.site;
    let today = site.build_date;
    let s = ctx.settings;
    for &ci in &site.sections[0].subsections {
        let col = &site.sections[ci];
        let items: Vec<&Page> = subtree(site, ci).into_iter().flat_map(|i| site.pages_of(i)).collect();
        if !col.has_index && items.is_empty() {
            continue; // not rendered
        }
        let title = &col.title;
        let class = Class::of(col.kind);
        let (czh, cen) = (class.name_zh(), class.name_en());
        let place = |d: Diagnostic| ctx.at_key(d, &col.file, "title");
        if items.is_empty() {
            let in_nav = col.in_nav && col.has_index;
            let found = if in_nav {
                ctx.finding("GOV-UPD-05", col.file.as_str(), msg!("导航中的栏目“{title}”没有任何信息（空白栏目）", "the column “{title}” in the navigation has no items (an empty column)"))
            } else {
                ctx.finding(class.rule(), col.file.as_str(), msg!("{czh}栏目“{title}”没有任何信息", "the {cen} column “{title}” has no items"))
            };
            if let Some(d) = found {
                out.push(place(d).with_help(msg!("发布信息，或把栏目从导航中去掉（in_nav: false）或删除", "publish items, or take the column out of the navigation (in_nav: false) or remove it")));
            }
            continue;
        }
        let newest = items.iter().filter_map(|p| Some((item_date(p, today)?, p.file.as_str()))).max_by(|a, b| a.0.cmp(&b.0).then_with(|| b.1.cmp(a.1)));
        let reviewed = section_date(ctx, &col.file).filter(|d| *d <= today);
        let newest = match (newest, reviewed) {
            (Some((d, _)), Some(r)) if r > d => Some((r, col.file.as_str())),
            (None, Some(r)) => Some((r, col.file.as_str())),
            (n, _) => n,
        };
        let Some((date, file)) = newest else {
            if let Some(d) = ctx.finding(class.rule(), col.file.as_str(), msg!("{czh}栏目“{title}”中没有一条信息标注了日期，视为不更新", "no item of the {cen} column “{title}” is dated, so it counts as not updated")) {
                out.push(place(d).with_help(msg!("给信息写上 date（发布日期）或 updated（更新日期）", "give items a `date` (published) or `updated`")));
            }
            continue;
        };
        let (cutoff, period_zh, period_en) = match class {
            Class::Dtyw => (today.checked_sub(jiff::Span::new().days(s.news_days)), format!("{}天", s.news_days), format!("{} days", s.news_days)),
            Class::Tzzc => (today.checked_sub(jiff::Span::new().months(s.notice_months)), format!("{}个月", s.notice_months), format!("{} months", s.notice_months)),
            Class::Rsgh => (today.checked_sub(jiff::Span::new().months(s.plan_months)), format!("{}个月", s.plan_months), format!("{} months", s.plan_months)),
        };
        let Ok(cutoff) = cutoff else { continue };
        if date >= cutoff {
            continue;
        }
        let age = days_between(date, today);
        if let Some(d) = ctx.finding(
            class.rule(),
            col.file.as_str(),
            msg!("{czh}栏目“{title}”最新一条信息是 {date} 的，到 {today} 已 {age} 天，超过{period_zh}未更新", "the {cen} column “{title}” was last updated on {date}, {age} days before {today}: more than {period_en}"),
        ) {
            out.push(place(d).with_note(msg!("最新一条是 {file}", "the newest item is {file}")).with_help(msg!("发布新信息，或在有变动的信息上写 updated（更新日期）", "publish a new item, or set `updated` on an item that changed")));
        }
    }
}

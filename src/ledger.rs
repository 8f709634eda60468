//! Figures computed as of the build date: overdue and stale tasks, totals per
//! area, status and lead; each indicator's ranks, gaps and standing; notice
//! status and length in working days; project totals. Data in, data out —
//! never a clock read.

use crate::calendar::Calendar;
use crate::chart;
use crate::dates;
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::msg;
use jiff::civil::Date;
use serde::Serialize;
use serde_json::{Value, json};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};

/// Settings from `site.yml` that the computations use.
#[derive(Debug, Clone)]
pub struct Settings {
    /// A task with no 进展 for this many days is flagged 未更新.
    pub stale_days: i64,
}

/// The site-wide figures, for the home page and listings (`site.ledger`).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Ledger {
    pub tasks: TaskTotals,
    pub indicators: IndicatorTotals,
    pub projects: ProjectTotals,
    pub notices: NoticeTotals,
    pub enterprises: EnterpriseGroups,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Count {
    pub key: String,
    pub title: String,
    pub url: String,
    pub total: usize,
    pub done: usize,
    pub overdue: usize,
    /// Mean progress, 0–100.
    pub progress: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct TaskTotals {
    pub total: usize,
    pub done: usize,
    pub overdue: usize,
    pub stale: usize,
    pub by_status: Vec<Count>,
    pub by_area: Vec<Count>,
    pub by_lead: Vec<Count>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct IndicatorTotals {
    pub total: usize,
    /// Indicators where the own unit leads in its latest period.
    pub leading: usize,
    pub tied: usize,
    pub behind: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Sum {
    pub key: String,
    pub count: usize,
    /// 亿元.
    pub investment: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct ProjectTotals {
    pub total: usize,
    pub investment: f64,
    pub by_park: Vec<Sum>,
    pub by_status: Vec<Sum>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct NoticeTotals {
    /// Page indices, active (公示中) first, then upcoming, then ended.
    #[serde(skip)]
    pub order: Vec<usize>,
    pub active: usize,
    pub upcoming: usize,
    pub ended: usize,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Group {
    pub key: String,
    /// Page indices of the enterprises in the group.
    pub members: Vec<usize>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct EnterpriseGroups {
    pub by_honor: Vec<Group>,
    pub by_cluster: Vec<Group>,
}

/// 公示状态 as of the build date.
pub fn notice_status(start: Option<Date>, end: Option<Date>, today: Date) -> &'static str {
    match (start, end) {
        (Some(s), _) if today < s => "未开始",
        (_, Some(e)) if today > e => "已结束",
        (Some(_), Some(_)) => "公示中",
        // No period: an announcement (公告), not a 公示.
        _ => "公告",
    }
}

/// Rank with ties (1, 1, 3) of each value, best first.
pub fn ranks(values: &[f64], higher_is_better: bool) -> Vec<usize> {
    values
        .iter()
        .map(|v| 1 + values.iter().filter(|o| if higher_is_better { *o > v } else { *o < v }).count())
        .collect()
}

fn fmt_num(v: f64) -> String {
    let s = format!("{:.2}", v);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_owned() } else { s.to_owned() }
}

/// What a task's figures rest on, as of the build date.
struct TaskState {
    done: bool,
    overdue: bool,
    stale: bool,
    last: Option<Date>,
    since: Option<i64>,
}

fn task_state(status: TaskStatus, deadline: Option<Date>, updates: &[Entry], today: Date, settings: &Settings) -> TaskState {
    let done = status == TaskStatus::Done;
    let overdue = !done && deadline.is_some_and(|d| d < today);
    let last = updates.iter().filter_map(|u| u.date).max();
    let since = last.map(|d| (today - d).get_days() as i64);
    let stale = !done && status != TaskStatus::Paused && since.is_none_or(|d| d > settings.stale_days);
    TaskState { done, overdue, stale, last, since }
}

/// Record pages by kind and id, for resolving references.
type Index<'a> = HashMap<(Kind, &'a str), usize>;

/// A JSON object of `fields`, moved in: `json!` copies each value through
/// serde again (a chart's SVG, a period's cells, an area's thousands of tasks).
fn object<const N: usize>(fields: [(&str, Value); N]) -> Value {
    Value::Object(fields.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
}

/// A link to a record page, or its bare name when no page has that id.
fn link_value(site: &Site, i: Option<usize>, fallback: &Option<String>) -> Value {
    match i {
        Some(i) => json!({"id": site.pages[i].id, "title": site.pages[i].title, "url": page_url(site, &site.pages[i])}),
        None => fallback.as_ref().map_or(Value::Null, |t| json!({"id": null, "title": t, "url": null})),
    }
}

fn page_url(site: &Site, p: &Page) -> String {
    format!("{}{}", site.config.base_path, p.path)
}

fn find(index: &Index<'_>, k: Kind, id: &Option<String>) -> Option<usize> {
    id.as_deref().and_then(|id| index.get(&(k, id)).copied())
}

/// `page.computed` of a task or an indicator: the per-record work of a
/// ledger (10,000 tasks, 1,000 charted indicators), done in parallel.
fn record_computed(site: &Site, index: &Index<'_>, p: &Page, settings: &Settings) -> Value {
    match &p.record {
        Record::Tasks { area, lead, deadline, status, updates, .. } => {
            let st = task_state(*status, *deadline, updates, site.build_date, settings);
            let label = if st.overdue { "逾期" } else { status.zh() };
            object([
                ("overdue", st.overdue.into()),
                ("overdue_days", if st.overdue { deadline.map(|d| (site.build_date - d).get_days()) } else { None }.into()),
                ("stale", st.stale.into()),
                ("last_update", st.last.map(dates::format_iso).into()),
                ("days_since_update", st.since.into()),
                ("label", label.into()),
                ("area", link_value(site, find(index, Kind::Areas, area), area)),
                ("lead", link_value(site, find(index, Kind::People, lead), lead)),
            ])
        }
        Record::Indicators { .. } => indicator_computed(site, index, p),
        _ => Value::Null,
    }
}

fn indicator_computed(site: &Site, index: &Index<'_>, p: &Page) -> Value {
    let Record::Indicators { name, unit, area, better, target, values, .. } = &p.record else { return Value::Null };
    let units = &site.config.units;
    let mut periods: Vec<&str> = Vec::new();
    for f in values {
        if !periods.contains(&f.period.as_str()) {
            periods.push(&f.period);
        }
    }
    let higher = *better == Better::Higher;
    let mut rows = Vec::new();
    let mut standing = Value::Null;
    for period in &periods {
        let present: Vec<(&crate::config::Unit, f64)> = units
            .iter()
            .filter_map(|u| values.iter().find(|f| f.period == *period && f.unit == u.id).map(|f| (u, f.value)))
            .collect();
        let vals: Vec<f64> = present.iter().map(|(_, v)| *v).collect();
        let rk = ranks(&vals, higher);
        let best = if higher { vals.iter().cloned().fold(f64::MIN, f64::max) } else { vals.iter().cloned().fold(f64::MAX, f64::min) };
        let cells: Vec<Value> = units
            .iter()
            .map(|u| match present.iter().position(|(pu, _)| pu.id == u.id) {
                Some(k) => json!({"unit": u.id, "name": u.name, "own": u.own, "value": vals[k], "text": fmt_num(vals[k]), "rank": rk[k], "gap": fmt_num((best - vals[k]).abs())}),
                None => json!({"unit": u.id, "name": u.name, "own": u.own, "value": null, "text": "无数据", "rank": null, "gap": null}),
            })
            .collect();
        let own = present.iter().position(|(u, _)| u.own);
        let others: Vec<f64> = present.iter().filter(|(u, _)| !u.own).map(|(_, v)| *v).collect();
        let s = match own {
            Some(k) if !others.is_empty() => {
                let best_other = if higher { others.iter().cloned().fold(f64::MIN, f64::max) } else { others.iter().cloned().fold(f64::MAX, f64::min) };
                let v = vals[k];
                if (v - best_other).abs() < 1e-9 { "持平" } else if (v > best_other) == higher { "领先" } else { "落后" }
            }
            _ => "无数据",
        };
        standing = json!(s);
        rows.push(object([("period", (*period).into()), ("cells", cells.into()), ("standing", s.into())]));
    }
    let input = chart::ChartInput {
        id: &p.id,
        title: name,
        unit: unit.as_deref().unwrap_or(""),
        periods: periods.clone(),
        series: units
            .iter()
            .map(|u| chart::Series {
                name: &u.name,
                own: u.own,
                values: periods.iter().map(|per| values.iter().find(|f| f.period == *per && f.unit == u.id).map(|f| f.value)).collect(),
            })
            .collect(),
        target: *target,
        higher_is_better: higher,
    };
    object([
        ("periods", rows.into()),
        ("latest_standing", standing),
        ("chart_bar", chart::bar_chart(&input).into()),
        ("chart_trend", if periods.len() > 1 { Value::String(chart::trend_chart(&input)) } else { Value::Null }),
        ("description", chart::describe(&input).into()),
        ("area", link_value(site, find(index, Kind::Areas, area), area)),
    ])
}

/// Fills `page.computed` of every record and returns the site-wide figures.
pub fn compute(site_mut: &mut Site, settings: &Settings, calendar: &Calendar, diags: &mut Diagnostics) -> Ledger {
    // Read-only until the computed values are stored at the end.
    let site: &Site = site_mut;
    let today = site.build_date;
    let url = |p: &Page| page_url(site, p);
    let index: Index<'_> = site
        .pages
        .iter()
        .enumerate()
        .filter_map(|(i, p)| site.sections[p.section].kind.map(|k| ((k, p.id.as_str()), i)))
        .collect();
    let find = |k: Kind, id: &Option<String>| find(&index, k, id);
    let link = |i: Option<usize>, fallback: &Option<String>| link_value(site, i, fallback);
    // One page per split: an indicator (charts) costs many tasks, and they come in runs.
    let mut computed: Vec<Value> = site.pages.par_iter().with_max_len(1).map(|p| record_computed(site, &index, p, settings)).collect();
    let mut ledger = Ledger::default();

    // Tasks.
    let mut by_status: BTreeMap<TaskStatus, Count> = BTreeMap::new();
    let mut by_area: BTreeMap<String, Count> = BTreeMap::new();
    let mut by_lead: BTreeMap<String, Count> = BTreeMap::new();
    for p in &site.pages {
        let Record::Tasks { area, lead, deadline, status, progress, updates, .. } = &p.record else { continue };
        let TaskState { done, overdue, stale, .. } = task_state(*status, *deadline, updates, today, settings);
        let (ai, li) = (find(Kind::Areas, area), find(Kind::People, lead));
        ledger.tasks.total += 1;
        ledger.tasks.done += done as usize;
        ledger.tasks.overdue += overdue as usize;
        ledger.tasks.stale += stale as usize;
        let bump = |c: &mut Count| {
            c.total += 1;
            c.done += done as usize;
            c.overdue += overdue as usize;
            c.progress += f64::from(*progress);
        };
        bump(by_status.entry(*status).or_insert_with(|| Count { key: status.zh().into(), title: status.zh().into(), ..Count::default() }));
        let a = by_area.entry(area.clone().unwrap_or_default()).or_insert_with(|| Count {
            key: area.clone().unwrap_or_default(),
            title: ai.map_or_else(|| "未分领域".to_owned(), |i| site.pages[i].title.clone()),
            url: ai.map(|i| url(&site.pages[i])).unwrap_or_default(),
            ..Count::default()
        });
        bump(a);
        let l = by_lead.entry(lead.clone().unwrap_or_default()).or_insert_with(|| Count {
            key: lead.clone().unwrap_or_default(),
            title: li.map_or_else(|| "未明确".to_owned(), |i| site.pages[i].title.clone()),
            url: li.map(|i| url(&site.pages[i])).unwrap_or_default(),
            ..Count::default()
        });
        bump(l);
    }
    fn finish<K>(m: BTreeMap<K, Count>) -> Vec<Count> {
        m.into_values().map(|mut c| { c.progress = (c.progress / c.total.max(1) as f64 * 10.0).round() / 10.0; c }).collect()
    }
    ledger.tasks.by_status = finish(by_status);
    // Areas and leads in their pages' order (the plan's order), not by id.
    let order_of = |k: Kind, key: &str| index.get(&(k, key)).map_or(usize::MAX, |&i| site.sections[site.pages[i].section].pages.iter().position(|&j| j == i).unwrap_or(usize::MAX));
    let mut areas = finish(by_area);
    areas.sort_by_key(|c| (order_of(Kind::Areas, &c.key), c.key.clone()));
    ledger.tasks.by_area = areas;
    let mut leads = finish(by_lead);
    leads.sort_by_key(|c| (order_of(Kind::People, &c.key), c.key.clone()));
    ledger.tasks.by_lead = leads;

    // Indicators: each one's latest standing was computed above.
    for (p, c) in site.pages.iter().zip(&computed) {
        if !matches!(p.record, Record::Indicators { .. }) {
            continue;
        }
        match c.get("latest_standing").and_then(Value::as_str) {
            Some("领先") => ledger.indicators.leading += 1,
            Some("持平") => ledger.indicators.tied += 1,
            Some("落后") => ledger.indicators.behind += 1,
            _ => {}
        }
        ledger.indicators.total += 1;
    }

    // Projects, and who and what they belong to.
    let mut by_park: BTreeMap<String, Sum> = BTreeMap::new();
    let mut by_pstatus: BTreeMap<ProjectStatus, Sum> = BTreeMap::new();
    let mut projects_of: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        let Record::Projects { company, park, investment, leader, status, milestones, .. } = &p.record else { continue };
        let (ci, li) = (find(Kind::Enterprises, company), find(Kind::People, leader));
        for owner in [ci, li].into_iter().flatten() {
            projects_of.entry(owner).or_default().push(i);
        }
        let inv = investment.unwrap_or(0.0);
        ledger.projects.total += 1;
        ledger.projects.investment += inv;
        let park_key = park.clone().unwrap_or_else(|| "未注明".to_owned());
        let e = by_park.entry(park_key.clone()).or_insert_with(|| Sum { key: park_key, ..Sum::default() });
        e.count += 1;
        e.investment += inv;
        let e = by_pstatus.entry(*status).or_insert_with(|| Sum { key: status.zh().into(), ..Sum::default() });
        e.count += 1;
        e.investment += inv;
        let reached = milestones.iter().filter(|m| m.done).count();
        computed[i] = object([("company", link(ci, company)), ("leader", link(li, leader)), ("milestones_done", reached.into()), ("milestones_total", milestones.len().into())]);
    }
    ledger.projects.investment = (ledger.projects.investment * 100.0).round() / 100.0;
    ledger.projects.by_park = by_park.into_values().collect();
    ledger.projects.by_status = by_pstatus.into_values().collect();

    // People: the tasks they lead and the projects they answer for (包项目制度).
    // Enterprises: their projects. Areas: their tasks and indicators.
    // Each scans every page: in parallel, the pages being many.
    let owners: Vec<(usize, Value)> = site
        .pages
        .par_iter()
        .enumerate()
        .filter_map(|(i, p)| {
            let kind = site.sections[p.section].kind;
            let linked = |pred: &dyn Fn(&Page) -> bool| -> Vec<Value> {
                site.pages.iter().filter(|q| pred(q)).map(|q| json!({"id": q.id, "title": q.title, "url": url(q), "computed_index": 0})).collect()
            };
            let projects = || -> Vec<Value> { projects_of.get(&i).map(|v| v.iter().map(|&j| json!({"id": site.pages[j].id, "title": site.pages[j].title, "url": url(&site.pages[j])})).collect()).unwrap_or_default() };
            let value = match kind {
                Some(Kind::People) => {
                    let tasks = linked(&|q| matches!(&q.record, Record::Tasks { lead: Some(l), .. } if *l == p.id));
                    object([("tasks", tasks.into()), ("projects", projects().into())])
                }
                Some(Kind::Enterprises) => object([("projects", projects().into())]),
                Some(Kind::Areas) => {
                    let tasks = linked(&|q| matches!(&q.record, Record::Tasks { area: Some(a), .. } if *a == p.id));
                    let indicators = linked(&|q| matches!(&q.record, Record::Indicators { area: Some(a), .. } if *a == p.id));
                    let c = ledger.tasks.by_area.iter().find(|c| c.key == p.id).cloned().unwrap_or_default();
                    object([("tasks", tasks.into()), ("indicators", indicators.into()), ("totals", serde_json::to_value(c).expect("counts serialize"))])
                }
                _ => return None,
            };
            Some((i, value))
        })
        .collect();
    for (i, v) in owners {
        computed[i] = v;
    }

    // Notices.
    let mut notices: Vec<(u8, Option<Date>, usize)> = Vec::new();
    for (i, p) in site.pages.iter().enumerate() {
        let Record::Notices { start, end, .. } = &p.record else { continue };
        let status = notice_status(*start, *end, today);
        let working_days = match (start, end) {
            (Some(s), Some(e)) => match calendar.working_days_between(*s, *e) {
                Ok(n) => Some(n),
                Err(missing) => {
                    let y = missing.year;
                    diags.push(Diagnostic::error("calendar", p.file.clone(), msg!("工作日历中没有 {y} 年的节假日安排，无法计算公示期的工作日", "the working-day calendar has no {y}; cannot count the notice's working days")).with_help(msg!("在 data/calendar.yml 中加入 {y} 年的安排（以国务院办公厅的通知为准）", "add {y} to the calendar from the State Council's holiday notice")));
                    None
                }
            },
            _ => None,
        };
        let days_left = match (status, end) {
            ("公示中", Some(e)) => calendar.working_days_between(today, *e).ok(),
            _ => None,
        };
        let rank = match status { "公示中" => 0, "未开始" => 1, _ => 2 };
        match rank { 0 => ledger.notices.active += 1, 1 => ledger.notices.upcoming += 1, _ => ledger.notices.ended += 1 }
        notices.push((rank, *start, i));
        computed[i] = json!({"status": status, "working_days": working_days, "working_days_left": days_left});
    }
    // Active first, then upcoming, then ended; newest first within each.
    notices.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    ledger.notices.order = notices.into_iter().map(|n| n.2).collect();

    // Enterprises by honor and by cluster.
    let mut by_honor: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    let mut by_cluster: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, p) in site.pages.iter().enumerate() {
        let Record::Enterprises { cluster, honors, .. } = &p.record else { continue };
        for h in honors {
            let v = by_honor.entry(h.title.clone()).or_default();
            if !v.contains(&i) {
                v.push(i);
            }
        }
        by_cluster.entry(cluster.clone().unwrap_or_else(|| "其他".to_owned())).or_default().push(i);
    }
    ledger.enterprises.by_honor = by_honor.into_iter().map(|(key, members)| Group { key, members }).collect();
    ledger.enterprises.by_cluster = by_cluster.into_iter().map(|(key, members)| Group { key, members }).collect();

    drop(index);
    for (p, c) in site_mut.pages.iter_mut().zip(computed) {
        p.computed = c;
    }
    ledger
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_with_ties_and_direction() {
        assert_eq!(ranks(&[10.0, 20.0, 20.0], true), vec![3, 1, 1]);
        assert_eq!(ranks(&[10.0, 20.0, 5.0], false), vec![2, 3, 1]);
    }

    #[test]
    fn notice_status_as_of_a_date() {
        let d = |s: &str| s.parse::<Date>().unwrap();
        assert_eq!(notice_status(Some(d("2026-11-10")), Some(d("2026-11-16")), d("2026-11-09")), "未开始");
        assert_eq!(notice_status(Some(d("2026-11-10")), Some(d("2026-11-16")), d("2026-11-10")), "公示中");
        assert_eq!(notice_status(Some(d("2026-11-10")), Some(d("2026-11-16")), d("2026-11-16")), "公示中");
        assert_eq!(notice_status(Some(d("2026-11-10")), Some(d("2026-11-16")), d("2026-11-17")), "已结束");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(fmt_num(12.5), "12.5");
        assert_eq!(fmt_num(10.0), "10");
        assert_eq!(fmt_num(0.333), "0.33");
    }
}

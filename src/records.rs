//! Typed records: what each kind's fields mean, read from a page's front
//! matter or a data-file row alike (both arrive as a [`FrontMatter`]), with
//! an error at the field for every value that does not fit.

use crate::config::SiteConfig;
use crate::dates;
use crate::diag::Diagnostics;
use crate::frontmatter::{FrontMatter, yaml_scalar_string};
use crate::lang::Msg;
use crate::model::*;
use crate::msg;
use crate::schema;
use serde_yaml::Value;

/// Reads the record of `kind` from `fm`, with the references it makes.
pub fn read(kind: Kind, fm: &FrontMatter<'_>, config: &SiteConfig, diags: &mut Diagnostics) -> (Record, Vec<Reference>) {
    let mut refs = Vec::new();
    let reference = |refs: &mut Vec<Reference>, fm: &FrontMatter<'_>, key: &str, to: Kind, diags: &mut Diagnostics| -> Option<String> {
        let id = fm.string(key, diags)?;
        refs.push(Reference { kind: to, id: id.clone(), at: fm.place(key) });
        Some(id)
    };
    let record = match kind {
        Kind::Document => Record::Document {
            attachments: fm
                .nested_list("attachments", schema::NESTED_ATTACHMENT, diags)
                .into_iter()
                .filter_map(|n| {
                    let file = n.string("file")?;
                    Some(Attachment { title: n.string("title").unwrap_or_else(|| file.clone()), file, url: String::new() })
                })
                .collect(),
            interpretation: fm.string("interpretation", diags),
        },
        Kind::Areas => {
            let units = fm.list("units", diags);
            for u in &units {
                check_unit(fm, "units", u, config, diags);
            }
            Record::Areas { units }
        }
        Kind::Tasks => {
            let status = enumerated(fm, "status", TaskStatus::NotStarted, diags);
            let progress = number(fm, "progress", diags).map_or(0.0, |p| {
                if !(0.0..=100.0).contains(&p) {
                    diags.push(fm.error("progress", "range", msg!("进度应在 0 到 100 之间，现在是 {p}", "progress must be between 0 and 100, not {p}"), msg!("写完成的百分比，如 进度: 60", "write the percentage done, e.g. progress: 60")));
                }
                p.clamp(0.0, 100.0)
            });
            let progress = progress.round() as u8;
            if status == TaskStatus::Done && progress < 100 && fm.has("progress") {
                diags.push(fm.error("progress", "consistency", msg!("状态为“已完成”，但进度是 {progress}", "status is 已完成 (done) but progress is {progress}"), msg!("把进度改为 100，或改正状态", "set progress to 100, or correct the status")).into_warning());
            }
            Record::Tasks {
                area: reference(&mut refs, fm, "area", Kind::Areas, diags),
                lead: reference(&mut refs, fm, "lead", Kind::People, diags),
                departments: fm.list("departments", diags),
                deadline: fm.date("deadline", diags),
                status,
                progress,
                updates: entries(fm, "updates", false, diags),
            }
        }
        Kind::Indicators => {
            let mut values = Vec::new();
            for n in fm.nested_list("values", schema::NESTED_VALUE, diags) {
                let (period, unit) = (n.string("period"), n.string("unit"));
                let value = n.value("value").and_then(as_number);
                match (period, unit, value) {
                    (Some(period), Some(unit), Some(value)) => {
                        if !config.units.iter().any(|c| c.id == unit) {
                            let guess = schema::closest_str(&unit, config.units.iter().map(|c| c.id.as_str())).unwrap_or("");
                            diags.push(fm.error_on_line(n.line_of("unit"), "reference", msg!("对标单位“{unit}”不在 site.yml 的 units 中", "unit `{unit}` is not one of the units in site.yml"), msg!("是不是想写“{guess}”？", "did you mean `{guess}`?")));
                        }
                        values.push(Figure { period, unit, value });
                    }
                    _ => diags.push(fm.error_on_line(n.line, "figure", msg!("每条数据都要有期间、对标单位和数值", "each figure needs a period, a unit and a numeric value"), msg!("写成 - {{期间: 2024, 对标单位: yiyuan, 值: 12.5}}", "write - {{period: 2024, unit: yiyuan, value: 12.5}}"))),
                }
            }
            // A spreadsheet row carries one figure in flat columns.
            if fm.has("period") || fm.has("compared_unit") || fm.has("value") {
                match (fm.string("period", diags), fm.string("compared_unit", diags), number(fm, "value", diags)) {
                    (Some(period), Some(unit), Some(value)) => {
                        check_unit(fm, "compared_unit", &unit, config, diags);
                        values.push(Figure { period, unit, value });
                    }
                    _ => diags.push(fm.error("value", "figure", msg!("这一行的期间、对标单位和值要写全", "this row needs a period, a unit and a value"), msg!("补全这三列", "fill in all three columns"))),
                }
            }
            Record::Indicators {
                name: name(fm, diags),
                unit: fm.string("unit", diags),
                area: reference(&mut refs, fm, "area", Kind::Areas, diags),
                better: enumerated(fm, "better", Better::Higher, diags),
                target: number(fm, "target", diags),
                values,
                source: fm.string("source", diags),
            }
        }
        Kind::Enterprises => Record::Enterprises { name: name(fm, diags), cluster: fm.string("cluster", diags), honors: honors(fm, diags) },
        Kind::People => {
            let mut group_roles = Vec::new();
            for r in fm.list("group_role", diags) {
                match GroupRole::parse(&r) {
                    Some(g) => group_roles.push(g),
                    None => {
                        let guess = schema::closest_str(&r, GroupRole::ALL.map(|g| g.zh())).unwrap_or("成员");
                        diags.push(fm.error("group_role", "enum", msg!("小组职务“{r}”不是可用的值", "`{r}` is not a group role"), msg!("是不是想写“{guess}”？可用：组长、副组长、成员、办公室主任", "did you mean `{guess}`? one of: 组长, 副组长, 成员, 办公室主任")));
                    }
                }
            }
            let name = fm.string("name", diags).or_else(|| fm.string("title", diags)).unwrap_or_else(|| name(fm, diags));
            Record::People { name, position: fm.string("position", diags), group_roles, duties: fm.string("duties", diags), honors: honors(fm, diags) }
        }
        Kind::Projects => {
            let investment = number(fm, "investment", diags);
            if let Some(v) = investment.filter(|v| *v < 0.0) {
                diags.push(fm.error("investment", "range", msg!("总投资不能为负数（{v}）", "investment cannot be negative ({v})"), msg!("写以亿元计的总投资，如 总投资: 5.6", "write the total investment in 亿元, e.g. investment: 5.6")));
            }
            let company = fm.string("company", diags);
            if let Some(c) = &company {
                // An enterprise id links to its page; any other text is a company name.
                if c.is_ascii() && !c.contains(' ') {
                    refs.push(Reference { kind: Kind::Enterprises, id: c.clone(), at: fm.place("company") });
                }
            }
            let (start, finish) = (fm.date("start", diags), fm.date("finish", diags));
            if let (Some(s), Some(f)) = (start, finish) {
                if f < s {
                    diags.push(fm.error("finish", "date-order", msg!("计划投产日期早于开工日期", "finish date is before the start date"), msg!("检查开工和计划投产日期", "check the start and finish dates")));
                }
            }
            Record::Projects {
                name: name(fm, diags),
                company,
                park: fm.string("park", diags),
                investment: investment.map(|v| v.max(0.0)),
                leader: reference(&mut refs, fm, "leader", Kind::People, diags),
                status: enumerated(fm, "status", ProjectStatus::NotStarted, diags),
                start,
                finish,
                milestones: entries(fm, "milestones", true, diags),
            }
        }
        Kind::Notices => {
            let (mut start, mut end) = (fm.date("start", diags), fm.date("end", diags));
            if let Some(loc) = fm.raw("period") {
                match &loc.value {
                    Value::String(s) => match parse_period(s) {
                        Ok((a, b)) => (start, end) = (Some(a), Some(b)),
                        Err(m) => diags.push(fm.error("period", "period", m, msg!("写成 2026-11-01 至 2026-11-07", "write 2026-11-01 至 2026-11-07"))),
                    },
                    _ => {
                        if let Some(n) = fm.nested("period", schema::NESTED_PERIOD, diags) {
                            for (k, slot) in [("start", &mut start), ("end", &mut end)] {
                                if let Some(s) = n.string(k) {
                                    match dates::parse_date(&s) {
                                        Ok(d) => *slot = Some(d),
                                        Err(m) => diags.push(fm.error("period", "date", m, msg!("日期写成 2020-02-19 这样的格式", "write dates as 2020-02-19"))),
                                    }
                                }
                            }
                        }
                    }
                }
            }
            if let (Some(a), Some(b)) = (start, end) {
                if b < a {
                    diags.push(fm.error("period", "date-order", msg!("公示期结束日期早于开始日期", "the notice period ends before it starts"), msg!("检查公示期的开始和结束日期", "check the start and end dates")));
                }
            }
            let mut contact = NoticeContact { person: fm.string("person", diags), phone: fm.string("phone", diags), email: fm.string("email", diags), address: fm.string("address", diags) };
            if let Some(n) = fm.nested("contact", schema::NESTED_CONTACT, diags) {
                contact = NoticeContact { person: n.string("person"), phone: n.string("phone"), email: n.string("email"), address: n.string("address") };
            }
            Record::Notices { publisher: fm.string("publisher", diags), start, end, contact, result: fm.string("result", diags), corrections: entries(fm, "corrections", false, diags) }
        }
    };
    (record, refs)
}

/// The record's name (`name`, else `title`); an error when neither is written.
fn name(fm: &FrontMatter<'_>, diags: &mut Diagnostics) -> String {
    fm.string("name", diags).or_else(|| fm.string("title", diags)).unwrap_or_else(|| {
        diags.push(fm.error("name", "missing-name", msg!("缺少名称（name）", "missing `name`"), msg!("加一行：name: 名称", "add a line: name: …")));
        String::new()
    })
}

fn check_unit(fm: &FrontMatter<'_>, key: &str, unit: &str, config: &SiteConfig, diags: &mut Diagnostics) {
    if !config.units.iter().any(|c| c.id == unit) {
        let guess = schema::closest_str(unit, config.units.iter().map(|c| c.id.as_str())).unwrap_or("");
        diags.push(fm.error(key, "reference", msg!("对标单位“{unit}”不在 site.yml 的 units 中", "unit `{unit}` is not one of the units in site.yml"), msg!("是不是想写“{guess}”？", "did you mean `{guess}`?")));
    }
}

fn enumerated<T: Enumerated>(fm: &FrontMatter<'_>, key: &str, default: T, diags: &mut Diagnostics) -> T {
    let Some(s) = fm.string(key, diags) else { return default };
    T::parse(&s).unwrap_or_else(|| {
        let zh: Vec<&str> = T::ALL.iter().map(|v| v.zh()).collect();
        let guess = schema::closest_str(&s, zh.iter().copied()).unwrap_or(zh[0]);
        let all = zh.join("、");
        diags.push(fm.error(key, "enum", msg!("“{s}”不是可用的值", "`{s}` is not an accepted value"), msg!("是不是想写“{guess}”？可用：{all}", "did you mean `{guess}`? one of: {all}")));
        default
    })
}

/// A number as staff write it: `5.6`, `"5.6"`, `5.6亿元`, `60%`, `1,200`.
fn as_number(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => {
            let t = s.trim().trim_end_matches(['%', '％']).trim_end_matches("亿元").trim_end_matches("万元").trim_end_matches('元').replace([',', '，'], "");
            t.trim().parse::<f64>().ok().filter(|f| f.is_finite())
        }
        _ => None,
    }
}

fn number(fm: &FrontMatter<'_>, key: &str, diags: &mut Diagnostics) -> Option<f64> {
    let loc = fm.raw(key)?;
    if matches!(loc.value, Value::Null) || matches!(&loc.value, Value::String(s) if s.trim().is_empty()) {
        return None;
    }
    as_number(&loc.value).or_else(|| {
        let k = &loc.written_key;
        let shown = yaml_scalar_string(&loc.value).unwrap_or_default();
        diags.push(fm.error(key, "number", msg!("“{k}”应为数字，现在是“{shown}”", "`{k}` must be a number, not \"{shown}\""), msg!("只写数字，如 {k}: 12.5", "write only the number, e.g. {k}: 12.5")));
        None
    })
}

/// `2026-11-01 至 2026-11-07` (also `~`, `～`, `到`, `—`).
pub fn parse_period(s: &str) -> Result<(jiff::civil::Date, jiff::civil::Date), Msg> {
    let parts: Vec<&str> = s.split(['至', '~', '～', '到', '—']).map(str::trim).filter(|p| !p.is_empty()).collect();
    if parts.len() != 2 {
        return Err(msg!("公示期“{s}”应写成“开始日期 至 结束日期”", "the period \"{s}\" must be written as `start 至 end`"));
    }
    Ok((dates::parse_date(parts[0])?, dates::parse_date(parts[1])?))
}

/// Dated entries, as a YAML list of `{date, text}` or as text (a spreadsheet
/// cell): entries separated by new lines or `；`, each `2026-10-01 内容`; a
/// milestone reached ends in `（已完成）` or `✓`.
fn entries(fm: &FrontMatter<'_>, key: &str, milestones: bool, diags: &mut Diagnostics) -> Vec<Entry> {
    let Some(loc) = fm.raw(key) else { return Vec::new() };
    let mut out = Vec::new();
    let bad = |what: &str, diags: &mut Diagnostics| {
        let k = &loc.written_key;
        diags.push(fm.error(key, "entry", msg!("“{k}”中的“{what}”没有日期", "an entry of `{k}` has no date: \"{what}\""), msg!("每条写成“2026-10-01 内容”，多条用“；”分开", "write each entry as `2026-10-01 text`, separated by `；`")));
    };
    let mut from_text = |s: &str, diags: &mut Diagnostics| {
        for part in s.split(['\n', '；', ';']).map(str::trim).filter(|p| !p.is_empty()) {
            let (done, part) = strip_done(part);
            let (date_s, text) = part.split_once([' ', '\u{3000}', '，', ',']).unwrap_or((part, ""));
            match dates::parse_date(date_s) {
                Ok(d) => out.push(Entry { date: Some(d), text: text.trim().to_owned(), done: done && milestones }),
                Err(_) => bad(part, diags),
            }
        }
    };
    match &loc.value {
        Value::Null => {}
        Value::String(s) => from_text(s, diags),
        Value::Sequence(items) if items.iter().all(|i| matches!(i, Value::String(_))) => {
            for i in items {
                from_text(i.as_str().unwrap_or_default(), diags);
            }
        }
        _ => {
            for n in fm.nested_list(key, schema::NESTED_UPDATE, diags) {
                let date = n.string("date").and_then(|s| match dates::parse_date(&s) {
                    Ok(d) => Some(d),
                    Err(m) => {
                        diags.push(fm.error(key, "date", m, msg!("日期写成 2020-02-19 这样的格式", "write dates as 2020-02-19")));
                        None
                    }
                });
                let done = matches!(n.value("done"), Some(Value::Bool(true))) || matches!(n.string("done").as_deref(), Some("是" | "true" | "已完成"));
                out.push(Entry { date, text: n.string("text").unwrap_or_default(), done });
            }
        }
    }
    out.sort_by(|a, b| a.date.cmp(&b.date));
    out
}

fn strip_done(s: &str) -> (bool, &str) {
    for mark in ["（已完成）", "(已完成)", "✓", "√", "[x]"] {
        if let Some(rest) = s.strip_suffix(mark) {
            return (true, rest.trim());
        }
        if let Some(rest) = s.strip_prefix(mark) {
            return (true, rest.trim());
        }
    }
    (false, s)
}

/// 荣誉: a list of `{title, year, issuer}`, or text `瞪羚企业，2024，淄博市工信局；纳税30强，2023`.
fn honors(fm: &FrontMatter<'_>, diags: &mut Diagnostics) -> Vec<Honor> {
    let Some(loc) = fm.raw("honors") else { return Vec::new() };
    let from_text = |s: &str| -> Vec<Honor> {
        s.split(['\n', '；', ';'])
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| {
                let f: Vec<&str> = p.split(['，', ',', '|']).map(str::trim).collect();
                let year = f.get(1).and_then(|y| y.trim_end_matches('年').parse().ok());
                Honor { title: f[0].to_owned(), year, issuer: f.get(2).filter(|s| !s.is_empty()).map(|s| s.to_string()) }
            })
            .collect()
    };
    match &loc.value {
        Value::Null => Vec::new(),
        Value::String(s) => from_text(s),
        Value::Sequence(items) if items.iter().all(|i| matches!(i, Value::String(_))) => items.iter().flat_map(|i| from_text(i.as_str().unwrap_or_default())).collect(),
        _ => fm
            .nested_list("honors", schema::NESTED_HONOR, diags)
            .into_iter()
            .filter_map(|n| Some(Honor { title: n.string("title")?, year: n.string("year").and_then(|y| y.trim_end_matches('年').parse().ok()), issuer: n.string("issuer") }))
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_as_staff_write_them() {
        assert_eq!(as_number(&Value::String("5.6亿元".into())), Some(5.6));
        assert_eq!(as_number(&Value::String("60%".into())), Some(60.0));
        assert_eq!(as_number(&Value::String("1,200".into())), Some(1200.0));
        assert_eq!(as_number(&Value::String("很多".into())), None);
    }

    #[test]
    fn periods() {
        let (a, b) = parse_period("2026-11-01 至 2026-11-07").unwrap();
        assert_eq!((a.to_string(), b.to_string()), ("2026-11-01".into(), "2026-11-07".into()));
        assert!(parse_period("2026-11-01").is_err());
    }
}

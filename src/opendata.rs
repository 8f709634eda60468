//! Open data: every kind's records as CSV (UTF-8 with a BOM, so Excel opens
//! it as Chinese text) and JSON, at stable paths `data/KIND.csv` and
//! `data/KIND.json`.

use crate::dates;
use crate::model::*;
use crate::output::{Data, OutFile};
use rayon::prelude::*;
use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq};
use serde_json::Value;

/// Where a kind's open data lives, relative to the site root.
pub fn paths(kind: Kind) -> (String, String) {
    (format!("data/{}.csv", kind.name()), format!("data/{}.json", kind.name()))
}

/// One cell of a table.
type Cell<'p> = std::borrow::Cow<'p, str>;

fn d(x: &Option<jiff::civil::Date>) -> String {
    x.map(dates::format_iso).unwrap_or_default()
}

fn entries(e: &[Entry]) -> String {
    e.iter()
        .map(|x| format!("{} {}{}", d(&x.date), x.text, if x.done { "（已完成）" } else { "" }).trim().to_owned())
        .collect::<Vec<_>>()
        .join("；")
}

fn num(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// Header and one row per record (an indicator has one row per figure).
/// Cells borrow from the model where they can: a ledger has 10,000 rows of
/// twelve cells, and copying each showed in profiles.
fn table<'p>(kind: Kind, pages: &[&'p Page], base_url: &str) -> (Vec<&'static str>, Vec<Vec<Cell<'p>>>) {
    let mut rows = Vec::new();
    let link = |p: &Page| -> Cell<'p> { format!("{base_url}{}", crate::render::encode_path(&p.path)).into() };
    // An optional text, borrowed.
    let o = |x: &'p Option<String>| -> Cell<'p> { x.as_deref().unwrap_or_default().into() };
    let b = |x: &'p str| -> Cell<'p> { x.into() };
    let header: Vec<&'static str> = match kind {
        Kind::Document => vec!["编号", "标题", "文号", "发布机构", "成文日期", "发布日期", "索引号", "有效性", "网址"],
        Kind::Areas => vec!["编号", "标题", "对标单位", "摘要", "网址"],
        Kind::Tasks => vec!["编号", "任务", "领域", "牵头领导", "责任部门", "完成时限", "状态", "进度", "是否逾期", "最近进展日期", "进展", "网址"],
        Kind::Indicators => vec!["编号", "指标", "计量单位", "领域", "方向", "目标值", "期间", "对标单位", "值", "数据来源", "网址"],
        Kind::Enterprises => vec!["编号", "名称", "产业集群", "荣誉", "网址"],
        Kind::People => vec!["编号", "姓名", "职务", "小组职务", "分工", "网址"],
        Kind::Projects => vec!["编号", "项目名称", "建设单位", "产业园", "总投资（亿元）", "包保领导", "状态", "开工", "计划投产", "节点", "网址"],
        Kind::Notices => vec!["编号", "标题", "公示单位", "公示开始", "公示结束", "状态", "工作日", "联系人", "电话", "邮箱", "地址", "网址"],
    };
    let header: Vec<&'static str> = header.into_iter().chain(["示例数据"]).collect();
    for p in pages {
        let c = &p.computed;
        let before = rows.len();
        let s = |k: &str| -> Cell<'p> { c.get(k).and_then(Value::as_str).unwrap_or_default().into() };
        match &p.record {
            Record::Document { .. } => {
                let m = &p.disclosure;
                rows.push(vec![b(&p.id), b(&p.title), o(&m.doc_number), o(&m.issuer), d(&m.written_on).into(), d(&p.date).into(), o(&m.index_no), o(&m.validity), link(p)]);
            }
            Record::Areas { units } => rows.push(vec![b(&p.id), b(&p.title), units.join("、").into(), o(&p.summary), link(p)]),
            Record::Tasks { area, lead, departments, deadline, status, progress, updates } => {
                let last = s("last_update");
                let overdue = if c.get("overdue").and_then(Value::as_bool).unwrap_or(false) { "是" } else { "否" };
                rows.push(vec![b(&p.id), b(&p.title), o(area), o(lead), departments.join("、").into(), d(deadline).into(), b(status.zh()), progress.to_string().into(), b(overdue), last, entries(updates).into(), link(p)]);
            }
            Record::Indicators { name, unit, area, better, target, values, source } => {
                for f in values {
                    rows.push(vec![b(&p.id), b(name), o(unit), o(area), b(better.zh()), num(*target).into(), b(&f.period), b(&f.unit), f.value.to_string().into(), o(source), link(p)]);
                }
            }
            Record::Enterprises { name, cluster, honors } => {
                let h = honors.iter().map(|h| [Some(h.title.clone()), h.year.map(|y| y.to_string()), h.issuer.clone()].into_iter().flatten().collect::<Vec<_>>().join("，")).collect::<Vec<_>>().join("；");
                rows.push(vec![b(&p.id), b(name), o(cluster), h.into(), link(p)]);
            }
            Record::People { name, position, group_roles, duties, .. } => {
                rows.push(vec![b(&p.id), b(name), o(position), group_roles.iter().map(|g| g.zh()).collect::<Vec<_>>().join("、").into(), o(duties), link(p)]);
            }
            Record::Projects { name, company, park, investment, leader, status, start, finish, milestones } => {
                rows.push(vec![b(&p.id), b(name), o(company), o(park), num(*investment).into(), o(leader), b(status.zh()), d(start).into(), d(finish).into(), entries(milestones).into(), link(p)]);
            }
            Record::Notices { publisher, start, end, contact, .. } => {
                let wd: Cell<'p> = c.get("working_days").and_then(Value::as_u64).map(|n| n.to_string()).unwrap_or_default().into();
                rows.push(vec![b(&p.id), b(&p.title), o(publisher), d(start).into(), d(end).into(), s("status"), wd, o(&contact.person), o(&contact.phone), o(&contact.email), o(&contact.address), link(p)]);
            }
            Record::None => {}
        }
        // Sample figures say so in the data too, not only on the page.
        for r in &mut rows[before..] {
            r.push(if p.sample { "是" } else { "否" }.into());
        }
    }
    (header, rows)
}

/// The CSV and JSON files of every kind the site has. Kinds, and each
/// kind's CSV and JSON, are written in parallel: a ledger's tables are large.
pub fn files(site: &Site) -> Vec<OutFile> {
    let per_kind: Vec<Vec<OutFile>> = Kind::ALL
        .par_iter()
        .map(|&kind| {
            let pages: Vec<&Page> = site.sections_of_kind(kind).flat_map(|(i, _)| site.pages_of(i)).collect();
            if pages.is_empty() {
                return Vec::new();
            }
            let (header, rows) = table(kind, &pages, &site.config.base_url);
            let (csv_bytes, json_bytes) = rayon::join(|| csv_file(&header, &rows), || json_file(site, kind, &header, &rows));
            let (csv_path, json_path) = paths(kind);
            vec![OutFile { path: csv_path, data: Data::Bytes(csv_bytes) }, OutFile { path: json_path, data: Data::Bytes(json_bytes) }]
        })
        .collect();
    per_kind.into_iter().flatten().collect()
}

fn csv_file(header: &[&str], rows: &[Vec<Cell<'_>>]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record(header).expect("in-memory CSV");
    for r in rows {
        w.write_record(r.iter().map(|c| c.as_bytes())).expect("in-memory CSV");
    }
    w.into_inner().expect("in-memory CSV")
}

/// The JSON document, serialized straight from the rows (no `Value` tree per
/// record). Keys are in the sorted order a JSON object map would give them.
#[derive(Serialize)]
struct JsonDoc<'a> {
    build_date: String,
    fields: &'a [&'static str],
    kind: &'static str,
    publisher: &'a str,
    records: Records<'a>,
    site: &'a str,
    title: &'static str,
}

/// Records as objects from header to cell, each object's keys sorted.
struct Records<'a> {
    header: &'a [&'static str],
    /// Column indices in the order of their header names.
    sorted: Vec<usize>,
    rows: &'a [Vec<Cell<'a>>],
}

impl Serialize for Records<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.rows.len()))?;
        for r in self.rows {
            seq.serialize_element(&Record1 { header: self.header, sorted: &self.sorted, row: r })?;
        }
        seq.end()
    }
}

struct Record1<'a> {
    header: &'a [&'static str],
    sorted: &'a [usize],
    row: &'a [Cell<'a>],
}

impl Serialize for Record1<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let cells: Vec<usize> = self.sorted.iter().copied().filter(|&i| i < self.row.len()).collect();
        let mut map = s.serialize_map(Some(cells.len()))?;
        for i in cells {
            map.serialize_entry(self.header[i], &self.row[i])?;
        }
        map.end()
    }
}

fn json_file(site: &Site, kind: Kind, header: &[&'static str], rows: &[Vec<Cell<'_>>]) -> Vec<u8> {
    let mut sorted: Vec<usize> = (0..header.len()).collect();
    sorted.sort_by_key(|&i| header[i]);
    let doc = JsonDoc {
        build_date: dates::format_iso(site.build_date),
        fields: header,
        kind: kind.name(),
        publisher: &site.config.sponsor,
        records: Records { header, sorted, rows },
        site: &site.config.title,
        title: kind.name_zh(),
    };
    let mut j = serde_json::to_vec_pretty(&doc).expect("JSON of strings");
    j.push(b'\n');
    j
}

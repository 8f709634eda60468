//! The names staff may write: every front-matter key and data-file column,
//! in English and with its Chinese alias, per kind of page (CONTENT.md).
//!
//! One table drives parsing, "did you mean" suggestions and `gongshi new`.

use crate::model::Kind;

/// One accepted key: its canonical English name and its other spellings.
#[derive(Debug, PartialEq, Eq)]
pub struct Field {
    pub key: &'static str,
    pub aliases: &'static [&'static str],
}

const fn f(key: &'static str, aliases: &'static [&'static str]) -> Field {
    Field { key, aliases }
}

/// Keys every page accepts.
pub const COMMON: &[Field] = &[
    f("title", &["标题"]),
    f("date", &["日期", "发布日期"]),
    f("updated", &["更新日期"]),
    f("draft", &["草稿"]),
    f("summary", &["摘要"]),
    f("description", &["描述"]),
    f("author", &["作者"]),
    f("weight", &["排序", "order"]),
    f("slug", &["链接名"]),
    f("tags", &["标签"]),
    f("template", &["模板"]),
    f("sample", &["示例数据"]),
    f("id", &["编号"]),
];

/// 政务公开 metadata, accepted on any page.
pub const DISCLOSURE: &[Field] = &[
    f("index_no", &["索引号"]),
    f("doc_number", &["文号"]),
    f("issuer", &["发布机构"]),
    f("written_on", &["成文日期"]),
    f("topic", &["主题分类"]),
    f("validity", &["有效性"]),
    f("source", &["来源"]),
    f("reviewers", &["审核"]),
];

/// Keys only a section's `_index.md` accepts.
pub const SECTION: &[Field] = &[
    f("kind", &["类型"]),
    f("paginate_by", &["每页条数"]),
    f("in_nav", &["导航"]),
];

const DOCUMENT: &[Field] = &[f("attachments", &["附件"]), f("interpretation", &["解读"])];
const AREAS: &[Field] = &[f("units", &["对标单位"])];
const TASKS: &[Field] = &[
    f("title", &["任务"]),
    f("area", &["领域"]),
    f("lead", &["牵头领导"]),
    f("departments", &["责任部门"]),
    f("deadline", &["完成时限"]),
    f("status", &["状态"]),
    f("progress", &["进度"]),
    f("updates", &["进展"]),
];
const INDICATORS: &[Field] = &[
    f("name", &["指标"]),
    f("unit", &["计量单位"]),
    f("area", &["领域"]),
    f("better", &["方向"]),
    f("target", &["目标值"]),
    f("values", &["数据"]),
    f("source", &["数据来源"]),
    // One figure per spreadsheet row (rows with the same id are one indicator).
    f("period", &["期间"]),
    f("compared_unit", &["对标单位"]),
    f("value", &["值", "数值"]),
];
const ENTERPRISES: &[Field] = &[
    f("name", &["名称"]),
    f("cluster", &["产业集群"]),
    f("honors", &["荣誉"]),
];
const PEOPLE: &[Field] = &[
    f("name", &["姓名"]),
    f("position", &["职务"]),
    f("group_role", &["小组职务"]),
    f("duties", &["分工"]),
    f("honors", &["荣誉"]),
];
const PROJECTS: &[Field] = &[
    f("name", &["项目名称"]),
    f("company", &["建设单位"]),
    f("park", &["产业园"]),
    f("investment", &["总投资"]),
    f("leader", &["包保领导"]),
    f("status", &["状态"]),
    f("start", &["开工"]),
    f("finish", &["计划投产"]),
    f("milestones", &["节点"]),
];
const NOTICES: &[Field] = &[
    f("publisher", &["公示单位"]),
    f("period", &["公示期"]),
    f("contact", &["受理方式"]),
    f("result", &["结果"]),
    f("corrections", &["更正记录"]),
    // Flat columns for notices kept in a spreadsheet.
    f("start", &["开始", "公示开始"]),
    f("end", &["结束", "公示结束"]),
    f("person", &["联系人"]),
    f("phone", &["电话"]),
    f("email", &["邮箱"]),
    f("address", &["地址"]),
];

/// Keys of nested values (公示期, 受理方式, 荣誉, 数据, 进展, 节点, 附件).
pub const NESTED_PERIOD: &[Field] = &[f("start", &["开始"]), f("end", &["结束"])];
pub const NESTED_CONTACT: &[Field] = &[
    f("person", &["联系人"]),
    f("phone", &["电话"]),
    f("email", &["邮箱"]),
    f("address", &["地址"]),
];
pub const NESTED_HONOR: &[Field] = &[f("title", &["称号"]), f("year", &["年度"]), f("issuer", &["授予单位"])];
pub const NESTED_VALUE: &[Field] = &[f("period", &["期间"]), f("unit", &["对标单位"]), f("value", &["值"])];
pub const NESTED_UPDATE: &[Field] = &[f("date", &["日期"]), f("text", &["内容"]), f("done", &["完成"])];
pub const NESTED_ATTACHMENT: &[Field] = &[f("title", &["标题"]), f("file", &["文件"])];

/// Kind-specific keys for records of `kind`.
pub fn kind_fields(kind: Kind) -> &'static [Field] {
    match kind {
        Kind::Document => DOCUMENT,
        Kind::Areas => AREAS,
        Kind::Tasks => TASKS,
        Kind::Indicators => INDICATORS,
        Kind::Enterprises => ENTERPRISES,
        Kind::People => PEOPLE,
        Kind::Projects => PROJECTS,
        Kind::Notices => NOTICES,
    }
}

/// The keys a page accepts: a section index, or a page in a section of `kind`.
/// Kind-specific spellings come first, so `任务` in a ledger means its title.
pub fn page_fields(kind: Option<Kind>, is_section: bool) -> Vec<&'static Field> {
    let mut v: Vec<&'static Field> = Vec::new();
    if let Some(k) = kind.filter(|_| !is_section) {
        v.extend(kind_fields(k));
    }
    v.extend(COMMON);
    v.extend(DISCLOSURE);
    if is_section {
        v.extend(SECTION);
    }
    v
}

/// The canonical key for `written`, if it is one of `fields`.
pub fn resolve(written: &str, fields: &[&'static Field]) -> Option<&'static str> {
    let w = written.trim();
    fields
        .iter()
        .find(|f| f.key == w || f.aliases.contains(&w))
        .map(|f| f.key)
}

/// The accepted spelling closest to `written`, for "did you mean". Chinese is
/// compared with Chinese names and Latin with English names, by edit distance.
pub fn closest<'a>(written: &str, fields: impl IntoIterator<Item = &'a Field>) -> Option<&'static str> {
    let w = written.trim().to_lowercase();
    let han = w.chars().any(|c| !c.is_ascii());
    let mut best: Option<(usize, &'static str)> = None;
    for field in fields {
        for name in std::iter::once(&field.key).chain(field.aliases) {
            if han != name.chars().any(|c| !c.is_ascii()) {
                continue;
            }
            let d = strsim::levenshtein(&w, name);
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, name));
            }
        }
    }
    best.map(|(_, n)| n)
}

/// Like [`closest`] over plain strings (ids, enumerated values).
pub fn closest_str<'a>(written: &str, options: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    options
        .into_iter()
        .map(|o| (strsim::levenshtein(written, o), o))
        .min_by_key(|&(d, o)| (d, o))
        .map(|(_, o)| o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aliases_resolve_per_kind() {
        let tasks = page_fields(Some(Kind::Tasks), false);
        assert_eq!(resolve("任务", &tasks), Some("title"));
        assert_eq!(resolve("标题", &tasks), Some("title"));
        assert_eq!(resolve("牵头领导", &tasks), Some("lead"));
        let people = page_fields(Some(Kind::People), false);
        assert_eq!(resolve("姓名", &people), Some("name"));
        assert_eq!(resolve("order", &people), Some("weight"));
        assert_eq!(resolve("kind", &people), None);
        assert_eq!(resolve("kind", &page_fields(None, true)), Some("kind"));
    }

    #[test]
    fn suggestions() {
        let plain = page_fields(None, false);
        assert_eq!(closest("titel", plain.iter().copied()), Some("title"));
        assert_eq!(closest("标提", plain.iter().copied()), Some("标题"));
        assert_eq!(closest("发布机关", plain.iter().copied()), Some("发布机构"));
        assert_eq!(closest_str("推进种", ["未开始", "推进中", "已完成"]), Some("推进中"));
    }
}

//! `site.yml`: the site's name, address, sponsor, contact, registration
//! numbers, compared units and check settings. Keys in English or Chinese.

use crate::diag::{Diagnostic, Diagnostics};
use crate::frontmatter;
use crate::msg;
use crate::schema::Field;
use jiff::civil::Date;
use serde::Serialize;

const fn f(key: &'static str, aliases: &'static [&'static str]) -> Field {
    Field { key, aliases }
}

const SITE: &[Field] = &[
    f("title", &["站点名称", "标题"]),
    f("base_url", &["网址"]),
    f("language", &["语言"]),
    f("description", &["描述"]),
    f("sponsor", &["主办单位"]),
    f("operator", &["承办单位"]),
    f("contact", &["联系方式"]),
    f("registration", &["备案"]),
    f("units", &["对标单位"]),
    f("theme", &["主题"]),
    f("build_date", &["构建日期"]),
    f("paginate_by", &["每页条数"]),
    f("stale_days", &["未更新天数"]),
    f("search", &["站内搜索"]),
    f("check", &["检查"]),
];
const CONTACT: &[Field] = &[
    f("phone", &["电话"]),
    f("email", &["邮箱"]),
    f("address", &["地址"]),
    f("person", &["联系人"]),
];
const REGISTRATION: &[Field] = &[
    f("icp", &["ICP备案号"]),
    f("police", &["公安备案号"]),
    f("site_code", &["网站标识码"]),
];
const UNIT: &[Field] = &[f("id", &["编号"]), f("name", &["名称"]), f("own", &["本单位"])];

#[derive(Debug, Clone, Default, Serialize)]
pub struct Contact {
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
    pub person: Option<String>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Registration {
    pub icp: Option<String>,
    pub police: Option<String>,
    pub site_code: Option<String>,
}

/// A unit compared in the indicators (对标单位).
#[derive(Debug, Clone, Serialize)]
pub struct Unit {
    pub id: String,
    pub name: String,
    pub own: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SiteConfig {
    pub title: String,
    /// Always ends with `/`.
    pub base_url: String,
    /// The path part of `base_url` (`/ztzl/sbdb/`), prefixed to every internal link.
    pub base_path: String,
    pub language: String,
    pub description: Option<String>,
    pub sponsor: String,
    pub operator: Option<String>,
    pub contact: Contact,
    pub registration: Registration,
    pub units: Vec<Unit>,
    pub theme: String,
    /// A pinned build date, for a demo site that must build the same every year.
    pub build_date: Option<Date>,
    pub paginate_by: usize,
    /// A task with no 进展 for this many days is flagged 未更新.
    pub stale_days: i64,
    /// Whether the site has 站内搜索 (the page, its index and the box on every page).
    pub search: bool,
    /// The `check:` block as written; read by the checks.
    #[serde(skip)]
    pub check: serde_yaml::Value,
}

impl SiteConfig {
    /// Replaces the base URL (the `--base-url` flag, or `serve`'s own address).
    pub fn set_base_url(&mut self, url: &str) -> Result<(), crate::lang::Msg> {
        let (base_url, base_path) = normalize_base_url(url)?;
        self.base_url = base_url;
        self.base_path = base_path;
        Ok(())
    }

    pub fn own_unit(&self) -> Option<&Unit> {
        self.units.iter().find(|u| u.own)
    }
}

/// `https://host/a/b` → (`https://host/a/b/`, `/a/b/`); a bare path is allowed too.
pub fn normalize_base_url(url: &str) -> Result<(String, String), crate::lang::Msg> {
    let url = url.trim();
    let with_slash = if url.ends_with('/') { url.to_owned() } else { format!("{url}/") };
    let path = if let Some(rest) = with_slash.split_once("://").map(|(_, r)| r) {
        match rest.find('/') {
            Some(i) => rest[i..].to_owned(),
            None => "/".to_owned(),
        }
    } else if with_slash.starts_with('/') {
        with_slash.clone()
    } else {
        return Err(msg!(
            "网址“{url}”应以 https:// 或 / 开头",
            "base URL \"{url}\" must start with https:// (or be a path starting with /)"
        ));
    };
    if path.contains(['?', '#', ' ']) {
        return Err(msg!("网址“{url}”不能包含 ?、# 或空格", "base URL \"{url}\" must not contain ?, # or spaces"));
    }
    Ok((with_slash, path))
}

/// Parses `site.yml` (already decoded). All problems are reported together.
pub fn parse(file: &str, text: &str, diags: &mut Diagnostics) -> Option<SiteConfig> {
    let fields: Vec<&'static Field> = SITE.iter().collect();
    let fm = frontmatter::parse_document(file, text, &fields, diags)?;
    let required = |key: &str, zh: &str, example: &str, diags: &mut Diagnostics| -> String {
        fm.string(key, diags).unwrap_or_else(|| {
            diags.push(
                Diagnostic::error("missing-setting", file, msg!("site.yml 缺少“{zh}”（{key}）", "site.yml is missing `{key}` ({zh})"))
                    .with_help(msg!("加一行：{key}: {example}", "add a line: {key}: {example}")),
            );
            String::new()
        })
    };
    let title = required("title", "站点名称", "沂源经济开发区公开专栏", diags);
    let sponsor = required("sponsor", "主办单位", "沂源经济开发区管理委员会", diags);
    let raw_url = required("base_url", "网址", "https://www.example.gov.cn/ztzl/sbdb/", diags);
    let (base_url, base_path) = match normalize_base_url(&raw_url) {
        Ok(v) => v,
        Err(m) => {
            if !raw_url.is_empty() {
                diags.push(fm.error_at("base_url", "base-url", m, msg!("例如 https://www.example.gov.cn/ztzl/sbdb/", "for example https://www.example.gov.cn/ztzl/sbdb/")));
            }
            ("/".to_owned(), "/".to_owned())
        }
    };
    let contact = fm.nested("contact", CONTACT, diags).map(|n| Contact {
        phone: n.string("phone"),
        email: n.string("email"),
        address: n.string("address"),
        person: n.string("person"),
    });
    let registration = fm.nested("registration", REGISTRATION, diags).map(|n| Registration {
        icp: n.string("icp"),
        police: n.string("police"),
        site_code: n.string("site_code"),
    });
    let mut units: Vec<Unit> = Vec::new();
    for n in fm.nested_list("units", UNIT, diags) {
        let id = n.string("id").unwrap_or_default();
        let name = n.string("name").unwrap_or_default();
        let own = matches!(n.value("own"), Some(serde_yaml::Value::Bool(true)))
            || matches!(n.string("own").as_deref(), Some("是" | "true"));
        if id.is_empty() || name.is_empty() {
            diags.push(
                Diagnostic::error("unit", file, msg!("对标单位每项都要有编号（id）和名称（name）", "each unit needs an `id` and a `name`"))
                    .at(text, n.line, 1, 1)
                    .with_help(msg!("写成 - {{id: taizhou, name: 江苏泰州港经济开发区}}", "write - {{id: taizhou, name: 江苏泰州港经济开发区}}")),
            );
            continue;
        }
        if units.iter().any(|u| u.id == id) {
            diags.push(Diagnostic::error("duplicate-id", file, msg!("对标单位编号“{id}”重复", "duplicate unit id `{id}`")).at(text, n.line, 1, 1));
        }
        units.push(Unit { id, name, own });
    }
    let owns = units.iter().filter(|u| u.own).count();
    if !units.is_empty() && owns != 1 {
        diags.push(fm.error_at("units", "own-unit", msg!("对标单位中应恰好有一个本单位（own: true），现在有 {owns} 个", "exactly one unit must be the site's own (`own: true`); found {owns}"), msg!("在本单位那一项写 own: true", "add `own: true` to the site's own unit")));
    }
    let paginate_by = fm.int("paginate_by", diags).unwrap_or(10);
    if paginate_by < 1 {
        diags.push(fm.error_at("paginate_by", "range", msg!("每页条数应至少为 1", "paginate_by must be at least 1"), msg!("例如 paginate_by: 10", "for example paginate_by: 10")));
    }
    let config = SiteConfig {
        title,
        base_url,
        base_path,
        language: fm.string("language", diags).unwrap_or_else(|| "zh-CN".to_owned()),
        description: fm.string("description", diags),
        sponsor,
        operator: fm.string("operator", diags),
        contact: contact.unwrap_or_default(),
        registration: registration.unwrap_or_default(),
        units,
        theme: fm.string("theme", diags).unwrap_or_else(|| "default".to_owned()),
        build_date: fm.date("build_date", diags),
        paginate_by: paginate_by.max(1) as usize,
        stale_days: fm.int("stale_days", diags).unwrap_or(30).max(1),
        search: fm.raw("search").is_none() || fm.bool("search", diags),
        check: fm.raw("check").map(|l| l.value.clone()).unwrap_or(serde_yaml::Value::Null),
    };
    // Returned even with errors, so content is still checked and every
    // problem of the build is reported together.

    Some(config)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls() {
        assert_eq!(normalize_base_url("https://h/a/b").unwrap(), ("https://h/a/b/".into(), "/a/b/".into()));
        assert_eq!(normalize_base_url("https://h").unwrap().1, "/");
        assert_eq!(normalize_base_url("/x/").unwrap().1, "/x/");
        assert!(normalize_base_url("h/x").is_err());
    }

    #[test]
    fn chinese_keys_and_unknown_nested_key() {
        let text = "站点名称: 专栏\n网址: https://h/a/\n主办单位: 管委会\n联系方式:\n  电话: 0533-1\n  邮件: a@b\n对标单位:\n  - {编号: a, 名称: 甲, 本单位: true}\n";
        let mut d = Diagnostics::default();
        parse("site.yml", text, &mut d);
        assert_eq!(d.0.len(), 1, "{d:?}");
        assert_eq!(d.0[0].location(), "site.yml:6:3");
        assert_eq!(d.0[0].help.as_ref().unwrap().zh, "是不是想写“邮箱”？");
    }
}

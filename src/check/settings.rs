//! The `check:` block of `site.yml`: periods, severities and allow-lists,
//! each defaulting to the catalogue's value.
//!
//! ```yaml
//! check:
//!   registered: true            # 已备案的政府网站：页脚备案号等规则按错误处理
//!   severity: {DOC-NO-04: error, GOV-UPD-02: off}
//!   news_days: 14               # 动态类栏目更新周期（天）
//!   notice_months: 6            # 通知公告、政策文件类（月）
//!   plan_months: 12             # 人事、规划计划类（月）
//!   notice_min_working_days: 5  # 公示期最少工作日
//!   notice_min_by_title: {高新技术企业: 10}
//!   result_within_days: 30      # 公示结束后多少天内发布结果
//!   publish_within_working_days: 20
//!   external_allow: [gov.cn, 政务, beian.miit.gov.cn]
//!   phone_allow: [12345]        # 可以公开的热线电话
//!   names: [王贵玉, 沂源经济开发区管理委员会]   # 规范名称（默认：人物姓名和 site.yml 中的单位）
//!   badge: true                 # 页面底部有党政机关网站标识
//! ```

use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::msg;
use serde_yaml::Value;
use std::collections::BTreeMap;

#[derive(Debug, Clone)]
pub struct Settings {
    pub registered: bool,
    /// Rule id → severity, or `None` for off.
    pub severity: BTreeMap<String, Option<Severity>>,
    pub news_days: i64,
    pub notice_months: i64,
    pub plan_months: i64,
    pub notice_min_working_days: u32,
    pub notice_min_by_title: Vec<(String, u32)>,
    pub result_within_days: i64,
    pub publish_within_working_days: u32,
    pub external_allow: Vec<String>,
    pub phone_allow: Vec<String>,
    pub names: Vec<String>,
    pub badge: bool,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            registered: false,
            severity: BTreeMap::new(),
            news_days: 14,
            notice_months: 6,
            plan_months: 12,
            notice_min_working_days: 5,
            notice_min_by_title: Vec::new(),
            result_within_days: 30,
            publish_within_working_days: 20,
            external_allow: vec!["gov.cn".into(), "政务".into()],
            phone_allow: Vec::new(),
            names: Vec::new(),
            badge: false,
        }
    }
}

const KEYS: &[(&str, &str)] = &[
    ("registered", "已备案"),
    ("severity", "级别"),
    ("news_days", "动态更新天数"),
    ("notice_months", "公告更新月数"),
    ("plan_months", "规划更新月数"),
    ("notice_min_working_days", "公示最少工作日"),
    ("notice_min_by_title", "公示最少工作日按标题"),
    ("result_within_days", "结果发布天数"),
    ("publish_within_working_days", "发布工作日"),
    ("external_allow", "外链白名单"),
    ("phone_allow", "电话白名单"),
    ("names", "规范名称"),
    ("badge", "党政机关标识"),
];

fn list(v: &Value) -> Vec<String> {
    match v {
        Value::Sequence(s) => s.iter().filter_map(|x| crate::frontmatter::yaml_scalar_string(x)).collect(),
        other => crate::frontmatter::yaml_scalar_string(other).into_iter().collect(),
    }
}

/// Reads the block; a site whose `registration` has numbers counts as registered.
pub fn parse(block: &Value, config: &crate::config::SiteConfig, diags: &mut Diagnostics) -> Settings {
    let mut s = Settings { registered: config.registration.icp.is_some() || config.registration.site_code.is_some(), ..Settings::default() };
    let Value::Mapping(map) = block else { return s };
    for (k, v) in map {
        let written = crate::frontmatter::yaml_scalar_string(k).unwrap_or_default();
        let Some(&(key, _)) = KEYS.iter().find(|(en, zh)| *en == written || *zh == written) else {
            let guess = crate::schema::closest_str(&written, KEYS.iter().map(|(en, _)| *en)).unwrap_or("");
            diags.push(Diagnostic::error("unknown-key", "site.yml", msg!("check 中未知的键“{written}”", "unknown key `{written}` in `check`")).with_help(msg!("是不是想写“{guess}”？", "did you mean `{guess}`?")));
            continue;
        };
        let int = |v: &Value| v.as_i64().unwrap_or(0);
        match key {
            "registered" => s.registered = v.as_bool().unwrap_or(false),
            "badge" => s.badge = v.as_bool().unwrap_or(false),
            "news_days" => s.news_days = int(v),
            "notice_months" => s.notice_months = int(v),
            "plan_months" => s.plan_months = int(v),
            "notice_min_working_days" => s.notice_min_working_days = int(v).max(0) as u32,
            "result_within_days" => s.result_within_days = int(v),
            "publish_within_working_days" => s.publish_within_working_days = int(v).max(0) as u32,
            "external_allow" => s.external_allow = list(v),
            "phone_allow" => s.phone_allow = list(v),
            "names" => s.names = list(v),
            "notice_min_by_title" => {
                if let Value::Mapping(m) = v {
                    s.notice_min_by_title = m.iter().filter_map(|(k, v)| Some((crate::frontmatter::yaml_scalar_string(k)?, v.as_i64()? as u32))).collect();
                }
            }
            "severity" => {
                if let Value::Mapping(m) = v {
                    for (id, level) in m {
                        let id = crate::frontmatter::yaml_scalar_string(id).unwrap_or_default();
                        let level = crate::frontmatter::yaml_scalar_string(level).unwrap_or_default();
                        if super::rules::get(&id).is_none() {
                            let guess = crate::schema::closest_str(&id, super::rules::RULES.iter().map(|r| r.id)).unwrap_or("");
                            diags.push(Diagnostic::error("unknown-rule", "site.yml", msg!("没有编号为“{id}”的检查规则", "no check rule has the id `{id}`")).with_help(msg!("是不是想写“{guess}”？", "did you mean `{guess}`?")));
                            continue;
                        }
                        let sev = match level.as_str() {
                            "error" | "错误" => Some(Severity::Error),
                            "warning" | "warn" | "警告" => Some(Severity::Warning),
                            "info" | "提示" => Some(Severity::Info),
                            "off" | "关闭" => None,
                            _ => {
                                diags.push(Diagnostic::error("enum", "site.yml", msg!("规则 {id} 的级别“{level}”无效", "invalid severity `{level}` for {id}")).with_help(msg!("写 error、warning、info 或 off", "write error, warning, info or off")));
                                continue;
                            }
                        };
                        s.severity.insert(id, sev);
                    }
                }
            }
            _ => {}
        }
    }
    s
}

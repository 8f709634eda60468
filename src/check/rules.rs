//! The rule catalogue (`../shared/GOV-RULES.md`): every rule `check` runs,
//! with its default severity and whether publishing is what cures it.

use crate::diag::Severity;
use Severity::{Error as E, Info as I, Warning as W};

#[derive(Debug, Clone, Copy)]
pub struct Rule {
    pub id: &'static str,
    pub severity: Severity,
    /// Findings that publishing an update cures (a stale or empty column, a
    /// late result notice) fail `check` but never block `build`.
    pub cured_by_publishing: bool,
    /// What the rule asks, in Chinese, for `check --rules`.
    pub title: &'static str,
}

const fn r(id: &'static str, severity: Severity, title: &'static str) -> Rule {
    Rule { id, severity, cured_by_publishing: false, title }
}
const fn cured(id: &'static str, severity: Severity, title: &'static str) -> Rule {
    Rule { id, severity, cured_by_publishing: true, title }
}

pub const RULES: &[Rule] = &[
    // Links and outbound resources.
    r("GOV-VETO-02", E, "站内链接、图片和锚点都能打开"),
    r("SEC-EXT-02", E, "外部链接在白名单内，或标明将离开本站"),
    r("SEC-EXT-03", E, "没有隐藏链接（暗链）"),
    // Footer and meta.
    r("GOV-FOOT-01", E, "每页页脚有主办单位和联系方式"),
    r("GOV-FOOT-02", E, "备案网站页脚有 ICP 备案号并链接到备案系统"),
    r("GOV-FOOT-03", E, "备案网站页脚有公安机关备案号"),
    r("GOV-FOOT-04", E, "备案网站每页底部有党政机关网站标识"),
    r("GOV-FOOT-05", E, "备案网站页脚有网站标识码"),
    r("GOV-FOOT-06", W, "页脚链接网站地图和信息反馈"),
    r("GOV-META-01", E, "每页有 SiteName、SiteDomain、SiteIDCode"),
    r("GOV-META-02", W, "栏目页有 ColumnName、ColumnDescription、ColumnKeywords、ColumnType"),
    r("GOV-META-03", W, "文章页有 ArticleTitle、PubDate、ContentSource"),
    r("GOV-SITE-02", E, "每页有 viewport，适配手机"),
    r("GOV-SITE-03", E, "站内地址使用 https 或相对地址"),
    // Freshness.
    r("GOV-SITE-06", E, "每条信息注明发布日期"),
    cured("GOV-UPD-01", E, "首页最新信息不超过 14 天"),
    cured("GOV-UPD-02", W, "动态类栏目 14 天内有更新"),
    cured("GOV-UPD-03", W, "通知公告、政策文件类栏目 6 个月内有更新"),
    cured("GOV-UPD-04", W, "人事、规划计划类栏目 12 个月内有更新"),
    cured("GOV-UPD-05", E, "导航中没有空栏目"),
    // Disclosure metadata.
    r("META-01", E, "索引号存在、格式正确且唯一"),
    r("META-04", E, "文件有发布机构"),
    r("META-05", E, "文件有成文日期"),
    r("META-07", E, "文件有主题分类"),
    r("META-08", E, "发布日期不早于成文日期，不晚于构建日期"),
    r("META-09", E, "政策文件注明有效性"),
    r("OGI-01", W, "发布日期在成文日期后 20 个工作日内"),
    r("OGI-07", W, "政策文件与解读双向链接"),
    // 公文.
    r("DOC-NO-01", E, "文号写成 机关代字〔年份〕序号号"),
    r("DOC-NO-02", E, "文号年份用六角括号〔〕"),
    r("DOC-NO-03", E, "文号不写“第”、不加前导零、年份写全"),
    r("DOC-NO-04", W, "文号年份与成文日期年份一致"),
    r("DOC-NO-05", E, "文号不重复"),
    r("DOC-DATE-01", W, "日期写成 2020年2月19日：阿拉伯数字、不编虚位、真实日期"),
    r("DOC-ATT-02", E, "正文中列出的附件都存在"),
    // Personal data.
    r("PII-ID-01", E, "不公开完整的身份证号"),
    r("PII-ID-02", W, "疑似身份证号（校验位不符或 15 位旧号）"),
    r("PII-TEL-01", E, "不公开个人手机号"),
    r("PII-BANK-01", E, "不公开银行卡号"),
    r("PII-CTX-01", E, "公示名单中的身份证、手机、住址等列要脱敏或删除"),
    // 公示.
    r("PUB-01", W, "公示标题写成“关于……的公示”或“……公示”"),
    r("PUB-04", E, "公示期起止日期齐全，不少于规定的工作日"),
    r("PUB-05", E, "公示写明受理单位、带区号的电话，以及邮箱或地址"),
    r("PUB-06", W, "公示写明书面、实名反映异议"),
    cured("PUB-08", W, "公示期结束后按时发布并链接结果"),
    r("CAL-01", E, "工作日历包含公示期所在年份"),
    // Self-contained output and integrity.
    r("SEC-EXT-01", E, "不加载其他网站的脚本、样式、字体、图片或框架"),
    r("SEC-INT-01", E, "输出带有可校验的 SHA-256 清单"),
    r("SEC-INT-02", W, "每页有内容安全策略（CSP）"),
    // Feedback and review.
    r("GOV-INT-01", E, "有信息反馈页，含电话、邮箱和地址"),
    r("SEC-REV-01", E, "公示和文件有发布审核记录"),
    r("GOV-VETO-03", I, "名称与规范名称相近，请人工确认"),
    // Accessibility of the output.
    r("A11Y-02", E, "状态不只用颜色表示"),
    r("A11Y-06", E, "语言、唯一 h1、标题层级、图片 alt、表头、链接文字、表单标签"),
    r("A11Y-07", E, "没有自动播放的音视频"),
];

pub fn get(id: &str) -> Option<&'static Rule> {
    RULES.iter().find(|r| r.id == id)
}

/// Rule families and the IDs of their rules, for `check --rules`.
pub fn severity_name(s: Severity) -> &'static str {
    match s {
        E => "error",
        W => "warning",
        I => "info",
    }
}

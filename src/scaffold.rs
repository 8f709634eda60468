//! `gongshi init` and `gongshi new`: start a site, add a page. Writes only
//! new files; never overwrites one.

use crate::lang::Msg;
use crate::model::Kind;
use crate::msg;
use jiff::civil::Date;
use std::path::{Path, PathBuf};

const INIT_SITE_YML: &str = r#"# 站点设置。每个键都可以写英文名或注释中的中文名。
title: 示例开发区政务公开专栏                          # 站点名称
base_url: https://www.example.gov.cn/ztzl/             # 网址，可以带子路径
language: zh-CN                                        # 语言
sponsor: 示例开发区管理委员会                          # 主办单位
operator: 示例开发区党政办公室                         # 承办单位
contact:                                               # 联系方式
  phone: 0533-0000000                                  #   电话
  email: kfq@example.gov.cn                            #   邮箱
  address: 某省某市某县示例路1号                       #   地址
units:                                                 # 对标单位；恰好一个是本单位
  - {id: own, name: 示例开发区, own: true}             #   编号, 名称, 本单位
theme: default                                         # 主题
"#;

const INIT_HOME: &str = "---\ntitle: 首页\n---\n\n本专栏公开本区工作进展，欢迎监督。\n";
const INIT_NEWS_INDEX: &str = "---\ntitle: 工作动态\nweight: 10\npaginate_by: 10\n---\n\n本区工作的最新动态。\n";
const INIT_ABOUT: &str = "---\ntitle: 关于本专栏\ndate: {date}\n---\n\n本专栏由{sponsor}主办，公开工作进展并接受社会监督。\n";

/// Writes a new site into `dir`, which must not exist or be empty.
pub fn init(dir: &Path, today: Date) -> Result<Vec<PathBuf>, Msg> {
    if dir.exists() && std::fs::read_dir(dir).map(|mut d| d.next().is_some()).unwrap_or(true) {
        let d = dir.display();
        return Err(msg!("{d} 已存在且不是空文件夹；请换一个目录名", "{d} exists and is not empty; choose another folder"));
    }
    let files: Vec<(&str, String)> = vec![
        ("site.yml", INIT_SITE_YML.to_owned()),
        ("content/_index.md", INIT_HOME.to_owned()),
        ("content/news/_index.md", INIT_NEWS_INDEX.to_owned()),
        ("content/news/welcome.md", format!("---\ntitle: 专栏开通\ndate: {today}\nsummary: 本专栏今日开通。\n---\n\n本专栏今日开通，将逐项公开工作进展。\n")),
        ("content/about.md", INIT_ABOUT.replace("{date}", &today.to_string()).replace("{sponsor}", "示例开发区管理委员会")),
    ];
    let mut written = Vec::new();
    for (rel, text) in files {
        let p = dir.join(rel);
        write_new(&p, &text)?;
        written.push(p);
    }
    Ok(written)
}

fn write_new(path: &Path, text: &str) -> Result<(), Msg> {
    let d = path.display().to_string();
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| msg!("无法建立 {d}：{e}", "cannot create {d}: {e}"))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| msg!("无法建立 {d}：{e}", "cannot create {d}: {e}"))?;
    std::io::Write::write_all(&mut f, text.as_bytes()).map_err(|e| msg!("无法写入 {d}：{e}", "cannot write {d}: {e}"))
}

/// The front matter `new` writes for a page of `kind` (`None`: an article).
fn front_matter(kind: Option<Kind>, title: &str, today: Date) -> String {
    let t = yaml_str(title);
    let body = match kind {
        None => format!("title: {t}\ndate: {today}\nauthor:                 # 作者\nsummary:                # 摘要\n"),
        // Documents and notices need facts only staff have (索引号, 公示期 …):
        // they start as drafts, which are not published until `draft` is removed.
        Some(Kind::Document) => format!(
            "title: {t}\ndraft: true             # 草稿：填写完下列各项后删除这一行\ndate: {today}           # 发布日期\ndoc_number:             # 文号，如 源经发〔2023〕4号\nissuer:                 # 发布机构\nwritten_on: {today}     # 成文日期\nindex_no:               # 索引号，如 113703230047500123/2026-00001\ntopic:                  # 主题分类\nvalidity: 有效          # 有效性\nreviewers: []           # 审核，如 [初审 张三, 复审 李四, 终审 王五]\n"
        ),
        Some(Kind::Areas) => format!("title: {t}\nweight: 1               # 排序\nunits: []               # 对标单位编号，见 site.yml\nsummary:                # 摘要\n"),
        Some(Kind::People) => format!("name: {t}\nposition:               # 职务\ngroup_role: 成员        # 小组职务：组长、副组长、成员、办公室主任\nduties:                 # 分工\nweight: 1               # 排序\n"),
        Some(Kind::Tasks) => format!(
            "title: {t}\n# area:                 # 领域：对标领域的编号\n# lead:                 # 牵头领导：人物的编号\ndepartments: []         # 责任部门\ndeadline: {today}       # 完成时限\nstatus: 未开始          # 状态：未开始、推进中、已完成、已暂停\nprogress: 0             # 进度（0–100）\nupdates: []             # 进展，如 - {{date: {today}, text: 内容}}\n"
        ),
        Some(Kind::Indicators) => format!("name: {t}\nunit:                   # 计量单位\n# area:                 # 领域\nbetter: 越高越好        # 方向：越高越好 或 越低越好\nvalues: []              # 数据，如 - {{period: 2026, unit: own, value: 1}}\nsource:                 # 数据来源\n"),
        Some(Kind::Enterprises) => format!("name: {t}\ncluster:                # 产业集群\nhonors: []              # 荣誉，如 - {{title: 瞪羚企业, year: 2026, issuer: 某单位}}\n"),
        Some(Kind::Projects) => format!("name: {t}\ncompany:                # 建设单位\npark:                   # 产业园\ninvestment:             # 总投资（亿元）\n# leader:               # 包保领导：人物的编号\nstatus: 未开始          # 状态\nstart:                  # 开工\nfinish:                 # 计划投产\nmilestones: []          # 节点\n"),
        Some(Kind::Notices) => format!(
            "title: {t}\ndraft: true             # 草稿：填写完下列各项后删除这一行\ndate: {today}\npublisher:              # 公示单位\nperiod:                 # 公示期\n  start: {today}\n  end: {today}\ncontact:                # 受理方式\n  person:\n  phone:\n  email:\n  address:\nreviewers: []           # 审核\n"
        ),
    };
    format!("---\n{body}---\n\n")
}

fn yaml_str(s: &str) -> String {
    if s.contains([':', '#', '"', '\'', '[', ']', '{', '}']) || s.starts_with(['-', '*', '&', '!', '|', '>', '%', '@', ' ']) {
        format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\""))
    } else {
        s.to_owned()
    }
}

/// The section folder for `kind`: the one whose `_index.md` says so, else a new one.
fn section_dir(root: &Path, kind: Option<Kind>) -> PathBuf {
    let content = root.join("content");
    let mut dirs: Vec<PathBuf> = walkdir::WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .flatten()
        .filter(|e| e.file_name() == "_index.md")
        .filter_map(|e| e.path().parent().map(Path::to_path_buf))
        .collect();
    dirs.retain(|d| d != &content);
    let found = dirs.into_iter().find(|d| crate::content::section_kind(&d.join("_index.md")) == kind);
    found.unwrap_or_else(|| content.join(kind.map_or("news", Kind::name)))
}

/// Writes a new page of `kind` titled `title`, returning its path.
pub fn new_page(root: &Path, kind: &str, title: &str, today: Date) -> Result<PathBuf, Msg> {
    let kind = match kind.trim() {
        "news" | "article" | "page" | "文章" | "新闻" | "动态" => None,
        k => match Kind::parse(k) {
            Some(k) => Some(k),
            None => {
                let all = Kind::ALL.map(|k| k.name()).join(", ");
                return Err(msg!("未知的类型“{k}”；可用：news（文章）, {all}", "unknown kind `{k}`; use news, {all}"));
            }
        },
    };
    if !root.join("site.yml").exists() {
        let r = root.display();
        return Err(msg!("{r} 中没有 site.yml：请在站点目录中运行，或用 --root 指定", "no site.yml in {r}: run in the site folder or pass --root"));
    }
    let dir = section_dir(root, kind);
    if !dir.join("_index.md").exists() {
        let (t, k) = match kind {
            Some(k) => (k.name_zh(), format!("kind: {}\n", k.name())),
            None => ("工作动态", String::new()),
        };
        write_new(&dir.join("_index.md"), &format!("---\ntitle: {t}\n{k}---\n"))?;
    }
    let ascii: String = title.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    let ascii = ascii.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    let stem = if ascii.len() >= 3 { ascii } else { today.to_string() };
    let mut path = dir.join(format!("{stem}.md"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{stem}-{n}.md"));
        n += 1;
    }
    let body = match kind {
        None => "正文。\n",
        Some(Kind::Notices) => "公示内容。\n\n公示期间，如有异议，请以书面形式实名向受理单位反映，并提供联系方式。\n",
        Some(_) => "",
    };
    write_new(&path, &format!("{}{body}", front_matter(kind, title, today)))?;
    Ok(path)
}

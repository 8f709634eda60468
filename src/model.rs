//! The loaded site as one owned value: sections, pages and their records.
//!
//! `content` fills it from disk, `link` completes it (URLs, order,
//! references), `render` reads it. Nothing here does I/O.

use crate::config::SiteConfig;
use jiff::civil::Date;
use std::sync::Arc;
use serde::Serialize;

/// What a section's records are (CONTENT.md, "Kinds").
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Document,
    Areas,
    Tasks,
    Indicators,
    Enterprises,
    People,
    Projects,
    Notices,
}

impl Kind {
    pub const ALL: [Kind; 8] = [
        Kind::Document,
        Kind::Areas,
        Kind::Tasks,
        Kind::Indicators,
        Kind::Enterprises,
        Kind::People,
        Kind::Projects,
        Kind::Notices,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Document => "document",
            Kind::Areas => "areas",
            Kind::Tasks => "tasks",
            Kind::Indicators => "indicators",
            Kind::Enterprises => "enterprises",
            Kind::People => "people",
            Kind::Projects => "projects",
            Kind::Notices => "notices",
        }
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            Kind::Document => "文件",
            Kind::Areas => "对标领域",
            Kind::Tasks => "工作台账",
            Kind::Indicators => "对标指标",
            Kind::Enterprises => "标杆企业",
            Kind::People => "人物",
            Kind::Projects => "重大项目",
            Kind::Notices => "公示公告",
        }
    }

    /// Accepts the English name or the Chinese one.
    pub fn parse(s: &str) -> Option<Kind> {
        let s = s.trim();
        Kind::ALL.into_iter().find(|k| k.name() == s || k.name_zh() == s)
    }

}

/// 小组职务 in the 领导小组, in the plan's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum GroupRole {
    #[serde(rename = "组长")]
    Leader,
    #[serde(rename = "副组长")]
    Deputy,
    #[serde(rename = "成员")]
    Member,
    #[serde(rename = "办公室主任")]
    OfficeDirector,
}

impl GroupRole {
    pub const ALL: [GroupRole; 4] =
        [GroupRole::Leader, GroupRole::Deputy, GroupRole::Member, GroupRole::OfficeDirector];

    pub fn zh(self) -> &'static str {
        match self {
            GroupRole::Leader => "组长",
            GroupRole::Deputy => "副组长",
            GroupRole::Member => "成员",
            GroupRole::OfficeDirector => "办公室主任",
        }
    }

    fn en(self) -> &'static str {
        match self {
            GroupRole::Leader => "leader",
            GroupRole::Deputy => "deputy",
            GroupRole::Member => "member",
            GroupRole::OfficeDirector => "office_director",
        }
    }

    pub fn parse(s: &str) -> Option<GroupRole> {
        let s = s.trim();
        GroupRole::ALL.into_iter().find(|r| r.zh() == s || r.en() == s)
    }
}

/// 政务公开 metadata of a page (all optional here; `check` says where required).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Disclosure {
    pub index_no: Option<String>,
    pub doc_number: Option<String>,
    pub issuer: Option<String>,
    pub written_on: Option<Date>,
    pub topic: Option<String>,
    pub validity: Option<String>,
    pub source: Option<String>,
    pub reviewers: Vec<String>,
}

impl Disclosure {
    pub fn is_empty(&self) -> bool {
        self.index_no.is_none()
            && self.doc_number.is_none()
            && self.issuer.is_none()
            && self.written_on.is_none()
            && self.topic.is_none()
            && self.validity.is_none()
            && self.source.is_none()
            && self.reviewers.is_empty()
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Attachment {
    pub title: String,
    /// As written, relative to the page.
    pub file: String,
    /// Filled by `link`: the attachment's URL.
    pub url: String,
}

/// Values staff may write for an enumerated field: Chinese first, English too.
pub trait Enumerated: Sized + Copy + 'static {
    const ALL: &'static [Self];
    fn zh(self) -> &'static str;
    fn en(self) -> &'static str;
    fn parse(s: &str) -> Option<Self> {
        let s = s.trim();
        Self::ALL.iter().copied().find(|v| v.zh() == s || v.en().eq_ignore_ascii_case(s))
    }
}

macro_rules! enumerated {
    ($(#[$m:meta])* $name:ident { $($variant:ident = $zh:literal / $en:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name { $($variant),+ }
        impl Enumerated for $name {
            const ALL: &'static [Self] = &[$($name::$variant),+];
            fn zh(self) -> &'static str { match self { $($name::$variant => $zh),+ } }
            fn en(self) -> &'static str { match self { $($name::$variant => $en),+ } }
        }
        impl Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> { s.serialize_str(self.zh()) }
        }
    };
}

enumerated!(
    /// 任务状态.
    TaskStatus { NotStarted = "未开始" / "not_started", InProgress = "推进中" / "in_progress", Done = "已完成" / "done", Paused = "已暂停" / "paused" }
);
enumerated!(
    /// 方向: which way an indicator is better.
    Better { Higher = "越高越好" / "higher", Lower = "越低越好" / "lower" }
);
enumerated!(
    /// 项目状态.
    ProjectStatus { NotStarted = "未开工" / "not_started", Building = "在建" / "building", Completed = "已竣工" / "completed", Operating = "已投产" / "operating", Paused = "已暂停" / "paused" }
);

/// A dated line: a task's 进展, a project's 节点, a notice's 更正记录.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    pub date: Option<Date>,
    pub text: String,
    /// For 节点: whether it is reached.
    pub done: bool,
}

/// One figure of an indicator: a unit's value in a period.
#[derive(Debug, Clone, Serialize)]
pub struct Figure {
    pub period: String,
    /// A unit id from `site.yml`.
    pub unit: String,
    pub value: f64,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct NoticeContact {
    pub person: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

/// What a page is, beyond being a page: its record, typed by its section's kind.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Record {
    /// A plain page (news, articles, about).
    None,
    Document {
        attachments: Vec<Attachment>,
        /// Path or URL of the 解读 page, as written.
        interpretation: Option<String>,
    },
    Areas {
        /// Ids of the units in `site.yml` this area learns from.
        units: Vec<String>,
    },
    Tasks {
        area: Option<String>,
        lead: Option<String>,
        departments: Vec<String>,
        deadline: Option<Date>,
        status: TaskStatus,
        progress: u8,
        updates: Vec<Entry>,
    },
    Indicators {
        name: String,
        unit: Option<String>,
        area: Option<String>,
        better: Better,
        target: Option<f64>,
        values: Vec<Figure>,
        source: Option<String>,
    },
    Enterprises {
        name: String,
        cluster: Option<String>,
        honors: Vec<Honor>,
    },
    People {
        name: String,
        position: Option<String>,
        group_roles: Vec<GroupRole>,
        duties: Option<String>,
        honors: Vec<Honor>,
    },
    Projects {
        name: String,
        /// An enterprise id, or a company's name as written.
        company: Option<String>,
        park: Option<String>,
        /// 总投资, 亿元.
        investment: Option<f64>,
        leader: Option<String>,
        status: ProjectStatus,
        start: Option<Date>,
        finish: Option<Date>,
        milestones: Vec<Entry>,
    },
    Notices {
        publisher: Option<String>,
        start: Option<Date>,
        end: Option<Date>,
        contact: NoticeContact,
        /// Link to the result notice, as written (resolved by `link`).
        result: Option<String>,
        corrections: Vec<Entry>,
    },
}

/// A reference from one record to another, checked once every id is known.
#[derive(Debug, Clone)]
pub struct Reference {
    pub kind: Kind,
    pub id: String,
    /// Where it was written, ready to be filled with the message.
    pub at: crate::diag::Diagnostic,
}

#[derive(Debug, Clone, Serialize)]
pub struct Honor {
    pub title: String,
    pub year: Option<i32>,
    pub issuer: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Heading {
    pub level: u8,
    pub id: String,
    pub title: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Page {
    /// Source path relative to the site root (`content/news/a.md`).
    pub file: String,
    /// The record id: front matter `id`, else the file stem.
    pub id: String,
    /// Index into `Site::sections` of the section the page belongs to.
    pub section: usize,
    /// Output path relative to the site root, ending in `/` (`news/a/`).
    pub path: String,
    pub title: String,
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub draft: bool,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub author: Option<String>,
    pub weight: Option<i64>,
    pub tags: Vec<String>,
    pub template: Option<String>,
    pub sample: bool,
    pub disclosure: Disclosure,
    pub record: Record,
    /// Markdown rendered to HTML, with links rewritten. Only the page's own
    /// template gets it; listings do not. A build's `render` takes it out of
    /// the model (empty afterwards) and frees it once the page is made.
    #[serde(skip)]
    pub content: Arc<str>,
    pub toc: Vec<Heading>,
    /// Plain text of the body, for summaries, feeds and search (not sent to
    /// templates: they have `content` and `excerpt`, and copying it per page costs).
    #[serde(skip)]
    pub text: Arc<str>,
    /// Where the body starts in the file (1-based line), for messages.
    #[serde(skip)]
    pub body_line: usize,
    /// References to other records, checked by `link`.
    #[serde(skip)]
    pub refs: Vec<Reference>,
    /// Figures computed as of the build date (filled by `ledger`).
    pub computed: serde_json::Value,
    /// The Markdown after the front matter. A build frees it once the page
    /// is rendered (it was a quarter of a large build's memory); the checks
    /// read it back with `check::Ctx::body`.
    #[serde(skip)]
    pub body: Arc<str>,
    /// The load found nothing in the source file that the personal-data
    /// rules look for ([`crate::check::pii::nothing_to_report`]), while it had
    /// the text in hand: the check need not read the file again.
    #[serde(skip)]
    pub pii_free: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub file: String,
    /// Output path, `""` for the home section, else ending in `/`.
    pub path: String,
    pub title: String,
    pub kind: Option<Kind>,
    /// When the column as a whole was last published or reviewed (`date`/`updated`
    /// on `_index.md`): counts for freshness like an item's date.
    pub date: Option<Date>,
    pub updated: Option<Date>,
    pub weight: Option<i64>,
    pub paginate_by: Option<usize>,
    pub in_nav: bool,
    pub summary: Option<String>,
    pub description: Option<String>,
    pub template: Option<String>,
    pub sample: bool,
    pub disclosure: Disclosure,
    pub content: Arc<str>,
    pub toc: Vec<Heading>,
    /// Parent section, `None` for the home section.
    pub parent: Option<usize>,
    pub subsections: Vec<usize>,
    /// Pages in display order (filled by `link`).
    pub pages: Vec<usize>,
    /// Whether this section has an `_index.md` or only exists as a folder.
    pub has_index: bool,
    #[serde(skip)]
    pub body_line: usize,
    #[serde(skip)]
    pub body: Arc<str>,
    /// As [`Page::pii_free`].
    #[serde(skip)]
    pub pii_free: bool,
}

/// A file copied as it is: assets beside pages, theme static files.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Asset {
    /// Output path relative to the site root.
    pub path: String,
    pub source: std::path::PathBuf,
}

/// The whole site, from loading through rendering.
#[derive(Debug, Clone)]
pub struct Site {
    pub config: SiteConfig,
    pub build_date: Date,
    /// `sections[0]` is the home section (`content/_index.md`).
    pub sections: Vec<Section>,
    pub pages: Vec<Page>,
    pub assets: Vec<Asset>,
    /// Site-wide figures as of the build date (filled by `ledger`).
    pub ledger: crate::ledger::Ledger,
}

impl Site {
    pub fn pages_of(&self, section: usize) -> impl Iterator<Item = &Page> {
        self.sections[section].pages.iter().map(|&i| &self.pages[i])
    }

    pub fn sections_of_kind(&self, kind: Kind) -> impl Iterator<Item = (usize, &Section)> {
        self.sections.iter().enumerate().filter(move |(_, s)| s.kind == Some(kind))
    }

}

//! `gongshi check`: the government-site rules of `../shared/GOV-RULES.md`,
//! run on the loaded site and its rendered output. Each family of rules is a
//! module with one entry point; all findings come back together, as
//! [`Diagnostic`]s whose code is the rule ID.

pub mod docs;
pub mod fresh;
pub mod html;
pub mod notices;
pub mod output;
pub mod pii;
pub mod review;
pub mod rules;
pub mod settings;

use crate::calendar::Calendar;
use crate::diag::{Diagnostic, Diagnostics, Severity};
use crate::lang::Msg;
use crate::model::Site;
use crate::output::Output;
pub use settings::Settings;
use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Mutex;

/// What every rule may look at.
pub struct Ctx<'a> {
    pub site: &'a Site,
    pub output: &'a Output,
    pub settings: &'a Settings,
    pub calendar: &'a Calendar,
    pub root: &'a Path,
    sources: Mutex<BTreeMap<String, Option<std::sync::Arc<String>>>>,
    /// Pages the output rules scanned while they were made.
    scanned: output::Scanned,
}

impl<'a> Ctx<'a> {
    pub fn new(site: &'a Site, output: &'a Output, settings: &'a Settings, calendar: &'a Calendar, root: &'a Path) -> Ctx<'a> {
        Ctx { site, output, settings, calendar, root, sources: Mutex::new(BTreeMap::new()), scanned: output::Scanned::default() }
    }

    /// A finding of `rule` in `file`, with the rule's configured severity;
    /// `None` when the rule is switched off in `site.yml`.
    pub fn finding(&self, rule: &'static str, file: impl Into<String>, message: Msg) -> Option<Diagnostic> {
        let default = rules::get(rule).map_or(Severity::Error, |r| r.severity);
        let sev = match self.settings.severity.get(rule) {
            Some(s) => (*s)?,
            None => default,
        };
        let mut d = Diagnostic::error(rule, file, message);
        d.severity = sev;
        Some(d)
    }

    /// The text of a source file (relative to the site root), read once.
    pub fn source(&self, rel: &str) -> Option<std::sync::Arc<String>> {
        if let Some(text) = self.sources.lock().expect("not poisoned").get(rel) {
            return text.clone();
        }
        // Read without the lock, so the families' threads read in parallel;
        // the first text stored is the one every caller gets.
        let text = self.read(rel).map(std::sync::Arc::new);
        self.sources.lock().expect("not poisoned").entry(rel.to_owned()).or_insert(text).clone()
    }

    /// A source file's text (relative to the site root), as the load decodes
    /// it; read each time, not kept (see [`Ctx::source`] for that).
    pub(super) fn read(&self, rel: &str) -> Option<String> {
        std::fs::read(self.root.join(rel)).ok().and_then(|b| crate::source::decode_text(rel, &b).ok())
    }

    /// The Markdown body of page `p`, read back from its file when the build
    /// has freed it (a data file's rows have none). Not kept: a family that
    /// wants it asks once per page.
    pub fn body(&self, p: &crate::model::Page) -> std::sync::Arc<str> {
        if !p.body.is_empty() || !p.file.ends_with(".md") {
            return p.body.clone();
        }
        let text = self.read(&p.file);
        text.as_deref().and_then(crate::frontmatter::split).map_or_else(|| "".into(), |(_, body, _)| body.into())
    }

    /// Places `d` at the line of front-matter `key` (English or Chinese) in `file`.
    pub fn at_key(&self, d: Diagnostic, file: &str, key: &str) -> Diagnostic {
        let Some(text) = self.source(file) else { return d };
        let aliases: Vec<&str> = crate::schema::COMMON
            .iter()
            .chain(crate::schema::DISCLOSURE)
            .chain(crate::model::Kind::ALL.iter().flat_map(|k| crate::schema::kind_fields(*k)))
            .filter(|f| f.key == key)
            .flat_map(|f| std::iter::once(f.key).chain(f.aliases.iter().copied()))
            .collect();
        for k in aliases.iter().copied().chain(std::iter::once(key)) {
            if let Some((line, col)) = crate::frontmatter::find_key(&text, k, 1) {
                let len = text.lines().nth(line - 1).map_or(1, |l| l.chars().count().saturating_sub(col - 1));
                return d.at(&text, line, col, len);
            }
        }
        d.at(&text, 1, 1, 3)
    }

    /// Places `d` at the first occurrence of `needle` in `file`.
    pub fn at_text(&self, d: Diagnostic, file: &str, needle: &str) -> Diagnostic {
        let Some(text) = self.source(file) else { return d };
        match text.find(needle) {
            Some(b) => {
                let (line, col) = html::line_col(&text, b);
                d.at(&text, line, col, needle.chars().count())
            }
            None => d,
        }
    }

    /// Places `d` at a byte offset of an output HTML file.
    pub fn at_output(&self, d: Diagnostic, html: &str, offset: usize, len: usize) -> Diagnostic {
        let (line, col) = html::line_col(html, offset);
        d.at(html, line, col, len)
    }
}

/// The result of a check run.
pub struct Report {
    pub findings: Diagnostics,
}

impl Report {
    /// Findings that stop `build` from writing the output: errors that
    /// publishing does not cure.
    pub fn blocking(&self) -> usize {
        self.findings
            .0
            .iter()
            .filter(|d| d.is_error() && !rules::get(d.code).is_some_and(|r| r.cured_by_publishing))
            .count()
    }

    /// `check`'s exit code: 0 clean, 1 errors, 3 warnings only.
    pub fn exit_code(&self) -> u8 {
        if self.findings.count(Severity::Error) > 0 {
            1
        } else if self.findings.count(Severity::Warning) > 0 {
            3
        } else {
            0
        }
    }
}

/// Runs every rule family.
pub fn run(ctx: &Ctx<'_>) -> Report {
    type Family = fn(&Ctx<'_>, &mut Vec<Diagnostic>);
    let families: &[Family] = &[docs::check, fresh::check, notices::check, output::check, pii::check, review::check];
    use rayon::prelude::*;
    let mut all: Vec<Diagnostic> = families
        .par_iter()
        .flat_map_iter(|f| {
            let mut v = Vec::new();
            f(ctx, &mut v);
            v
        })
        .collect();
    all.retain(|d| rules::get(d.code).is_some() || d.code == "check");
    // Whatever a rule quotes, personal numbers never reach a log whole.
    for d in &mut all {
        d.source_line = d.source_line.as_deref().map(pii::mask_numbers);
        for m in std::iter::once(&mut d.message).chain(d.help.as_mut()).chain(d.note.as_mut()) {
            m.zh = pii::mask_numbers(&m.zh);
            m.en = pii::mask_numbers(&m.en);
        }
    }
    let mut findings = Diagnostics(all);
    findings.sort();
    Report { findings }
}

/// Builds the site in memory and runs every rule on it.
pub fn check_site(opts: &crate::pipeline::BuildOptions) -> Result<(crate::pipeline::Built, Report), Diagnostics> {
    check_site_with(opts, &crate::render::keep_in_memory)
}

/// [`check_site`], with each rendered page handed to `put` (see [`crate::pipeline::build_with`]).
pub fn check_site_with(opts: &crate::pipeline::BuildOptions, put: crate::render::Put<'_>) -> Result<(crate::pipeline::Built, Report), Diagnostics> {
    // The output rules read each page as it is made (`output::watch_pages`).
    let scanned = output::Scanned::default();
    let watch = |site: &Site, paths: &[&str], later: Option<&str>, pages: &mut dyn FnMut(Option<crate::render::Inspect<'_>>)| {
        let (settings, errors) = settings_of(site);
        if errors.has_errors() {
            return pages(None);
        }
        let no_files = Output::default();
        let ctx = Ctx::new(site, &no_files, &settings, Calendar::builtin(), &opts.root);
        output::watch_pages(&ctx, paths, later, &scanned, pages);
    };
    let built = crate::pipeline::build_watching(opts, put, Some(&watch))?;
    let (settings, diags) = settings_of(&built.site);
    if diags.has_errors() {
        return Err(diags);
    }
    let t = std::time::Instant::now();
    let report = {
        let mut ctx = Ctx::new(&built.site, &built.output, &settings, Calendar::builtin(), &opts.root);
        ctx.scanned = scanned;
        run(&ctx)
    };
    let mut built = built;
    built.timings.push(("check", t.elapsed()));
    Ok((built, report))
}

/// The check settings of `site.yml`, and their errors.
fn settings_of(site: &Site) -> (Settings, Diagnostics) {
    let mut diags = Diagnostics::default();
    let mut settings = settings::parse(&site.config.check, &site.config, &mut diags);
    if settings.names.is_empty() {
        settings.names = default_names(site);
    }
    (settings, diags)
}

/// The names a site spells the same everywhere: its people and its bodies.
fn default_names(site: &Site) -> Vec<String> {
    let mut v: Vec<String> = site
        .pages
        .iter()
        .filter_map(|p| match &p.record {
            crate::model::Record::People { name, .. } => Some(name.clone()),
            _ => None,
        })
        .collect();
    v.push(site.config.sponsor.clone());
    v.extend(site.config.operator.clone());
    v.extend(site.config.units.iter().map(|u| u.name.clone()));
    v.sort();
    v.dedup();
    v
}

/// Findings as JSON for machines.
pub fn to_json(report: &Report) -> String {
    let f: Vec<serde_json::Value> = report
        .findings
        .0
        .iter()
        .map(|d| {
            serde_json::json!({
                "rule": d.code,
                "severity": rules::severity_name(d.severity),
                "file": d.file,
                "line": d.span.as_ref().map(|s| s.line),
                "column": d.span.as_ref().map(|s| s.col),
                "message": d.message.zh,
                "message_en": d.message.en,
                "help": d.help.as_ref().map(|h| h.zh.clone()),
                "help_en": d.help.as_ref().map(|h| h.en.clone()),
                "blocks_build": d.is_error() && !rules::get(d.code).is_some_and(|r| r.cured_by_publishing),
            })
        })
        .collect();
    let doc = serde_json::json!({
        "errors": report.findings.count(Severity::Error),
        "warnings": report.findings.count(Severity::Warning),
        "infos": report.findings.count(Severity::Info),
        "findings": f,
    });
    serde_json::to_string_pretty(&doc).expect("JSON of strings") + "\n"
}

/// Human output: findings grouped by file, each with its rule ID, place,
/// quoted line and what to write instead; then a summary.
pub fn to_text(report: &Report, lang: crate::lang::Lang) -> String {
    use std::fmt::Write as _;
    let mut out = String::new();
    let mut current: Option<&str> = None;
    for d in &report.findings.0 {
        if current != Some(d.file.as_str()) {
            current = Some(&d.file);
            let _ = writeln!(out, "== {} ==", if d.file.is_empty() { "site" } else { &d.file });
        }
        out.push_str(&d.render(lang));
        out.push_str("\n\n");
    }
    let (e, w, i) = (report.findings.count(Severity::Error), report.findings.count(Severity::Warning), report.findings.count(Severity::Info));
    let _ = match lang {
        crate::lang::Lang::Zh => writeln!(out, "检查完成：{e} 个错误，{w} 个警告，{i} 条待人工确认"),
        crate::lang::Lang::En => writeln!(out, "check: {e} errors, {w} warnings, {i} for review"),
    };
    out
}

//! Themes: the built-in default theme, compiled into the binary, with the
//! site's `themes/NAME/` files laid over it path by path; tera set up with
//! the helpers templates need.

use crate::dates;
use crate::diag::{Diagnostic, Diagnostics};
use crate::msg;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use tera::{ErrorKind, Kwargs, State, Tera};

include!(concat!(env!("OUT_DIR"), "/builtin_theme.rs"));

/// Where a theme file comes from, for messages and copying.
#[derive(Debug, Clone)]
pub enum ThemeFile {
    Builtin(&'static [u8]),
    Site(PathBuf),
}

pub struct Theme {
    pub tera: Tera,
    /// Template name → (file shown in messages, source text).
    pub sources: BTreeMap<String, (String, String)>,
    /// Static files: output path → where they come from.
    pub statics: BTreeMap<String, ThemeFile>,
}

/// Merges the built-in theme with `root/themes/<name>` and compiles the templates.
pub fn load(root: &Path, name: &str, base_path: &str, diags: &mut Diagnostics) -> Option<Theme> {
    let mut files: BTreeMap<String, (String, ThemeFile)> = BUILTIN
        .iter()
        .map(|(p, b)| (p.to_string(), (format!("(built-in theme) {p}"), ThemeFile::Builtin(b))))
        .collect();
    let dir = root.join("themes").join(name);
    if dir.is_dir() {
        for e in walkdir::WalkDir::new(&dir).sort_by_file_name().into_iter().filter_entry(|e| !crate::content::is_ignored_name(&e.file_name().to_string_lossy()) || e.depth() == 0).flatten() {
            if e.file_type().is_file() {
                let rel = e.path().strip_prefix(&dir).unwrap().to_string_lossy().replace('\\', "/");
                let shown = format!("themes/{name}/{rel}");
                files.insert(rel, (shown, ThemeFile::Site(e.path().to_owned())));
            }
        }
    } else if name != "default" {
        diags.push(Diagnostic::error("theme", "site.yml", msg!("找不到主题文件夹 themes/{name}", "theme folder themes/{name} not found")).with_help(msg!("建立该文件夹，或在 site.yml 中写 theme: default", "create it, or write `theme: default` in site.yml")));
        return None;
    }

    let mut sources = BTreeMap::new();
    let mut statics = BTreeMap::new();
    for (rel, (shown, file)) in files {
        if let Some(t) = rel.strip_prefix("templates/") {
            let bytes = match &file {
                ThemeFile::Builtin(b) => b.to_vec(),
                ThemeFile::Site(p) => match std::fs::read(p) {
                    Ok(b) => b,
                    Err(e) => {
                        diags.push(Diagnostic::error("io", shown, msg!("无法读取：{e}", "cannot read: {e}")));
                        continue;
                    }
                },
            };
            match crate::source::decode_text(&shown, &bytes) {
                Ok(text) => {
                    sources.insert(t.to_owned(), (shown, text));
                }
                Err(d) => diags.push(d),
            }
        } else if let Some(s) = rel.strip_prefix("static/") {
            statics.insert(s.to_owned(), file);
        }
    }

    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    register_helpers(&mut tera, base_path);
    if let Err(e) = tera.add_raw_templates(sources.iter().map(|(n, (_, s))| (n.as_str(), s.as_str()))) {
        // Tera stops at the first error: compile template by template to
        // report every syntax error of this build together.
        let mut found = false;
        for (name, (_, src)) in &sources {
            let mut probe = Tera::new();
            register_helpers(&mut probe, base_path);
            if let Err(e) = probe.add_raw_template(name, src) {
                if matches!(e.kind(), ErrorKind::SyntaxError(_)) {
                    diags.push(template_error(&e, &sources));
                    found = true;
                }
            }
        }
        if !found {
            diags.push(template_error(&e, &sources));
        }
        return None;
    }
    Some(Theme { tera, sources, statics })
}

/// Filters and functions for theme authors.
fn register_helpers(tera: &mut Tera, base_path: &str) {
    tera.register_filter("zh_date", |s: &str, _: Kwargs, _: &State| -> String {
        dates::parse_date(s).map(dates::format_zh).unwrap_or_else(|_| s.to_owned())
    });
    // `{{ 5.6 | amount }}` → `5.6亿元`; `{{ 0.35 | amount }}` → `3500万元` (input in 亿元).
    tera.register_filter("amount", |v: f64, _: Kwargs, _: &State| -> String { amount_yi(v) });
    // `{{ 45.6 | percent }}` → `45.6%` (input 0–100).
    tera.register_filter("percent", |v: f64, _: Kwargs, _: &State| -> String { format!("{}%", short_number(v)) });
    tera.register_filter("num", |v: f64, _: Kwargs, _: &State| -> String { short_number(v) });
    let bp = base_path.to_owned();
    // `{{ url(path="assets/x.css") }}` → `/sub/path/assets/x.css`
    tera.register_function("url", move |kw: Kwargs, _: &State| -> tera::TeraResult<String> {
        let p: &str = kw.must_get("path")?;
        Ok(format!("{}{}", bp, p.trim_start_matches('/')))
    });
}

/// At most two decimals, no trailing zeros.
pub fn short_number(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_owned() } else { s.to_owned() }
}

/// An amount in 亿元, written as staff would: 亿元 from one 亿 up, else 万元.
pub fn amount_yi(v: f64) -> String {
    if v.abs() >= 1.0 || v == 0.0 { format!("{}亿元", short_number(v)) } else { format!("{}万元", short_number(v * 10000.0)) }
}

/// A tera error as a diagnostic at the template's file, line and column.
pub fn template_error(e: &tera::Error, sources: &BTreeMap<String, (String, String)>) -> Diagnostic {
    let (report, kind_zh, kind_en) = match e.kind() {
        ErrorKind::SyntaxError(r) => (Some(r), "模板语法错误", "template syntax error"),
        ErrorKind::RenderingError(r) => (Some(r), "模板渲染错误", "template render error"),
        _ => (None, "模板错误", "template error"),
    };
    match report {
        Some(r) => {
            let (shown, src) = sources.get(r.filename()).cloned().unwrap_or_else(|| (r.filename().to_owned(), String::new()));
            let span = r.span();
            let line = span.start_line.max(1);
            let line_start = src.split_inclusive('\n').take(line - 1).map(str::len).sum::<usize>();
            let col = src.get(line_start..span.range.start.max(line_start)).map_or(span.start_col + 1, |p| p.chars().count() + 1);
            let len = src.get(span.range.clone()).map_or(1, |s| s.lines().next().unwrap_or("").chars().count().max(1));
            let m = r.message();
            Diagnostic::error("template", shown, msg!("{kind_zh}：{m}", "{kind_en}: {m}"))
                .at(&src, line, col, len)
                .with_help(msg!("检查这一处的模板写法；变量可能不存在或拼错", "check the template here; a variable may be missing or misspelt"))
        }
        None => Diagnostic::error("template", "themes", msg!("{kind_zh}：{e}", "{kind_en}: {e}")),
    }
}

impl ThemeFile {
    pub fn bytes(&self) -> std::io::Result<std::borrow::Cow<'static, [u8]>> {
        match self {
            ThemeFile::Builtin(b) => Ok(std::borrow::Cow::Borrowed(b)),
            ThemeFile::Site(p) => std::fs::read(p).map(std::borrow::Cow::Owned),
        }
    }
}

//! Diagnostics: what went wrong, where, and what to write instead.
//!
//! Every stage reports problems as [`Diagnostic`] values and keeps going, so
//! one build reports all of its errors together. A diagnostic carries the
//! file, 1-based line and column, and the offending line itself, so it can be
//! rendered without reading the file again (and shown over a page in `serve`).

use crate::lang::{Lang, Msg};
use annotate_snippets::{AnnotationKind, Level, Renderer, Snippet};

use serde::Serialize;
use std::fmt::Write as _;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    /// For a person to look at; never fails anything.
    Info,
}

/// A place in a source file. Lines and columns are 1-based; columns count
/// characters, not bytes, so they match what an editor shows for Chinese text.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Span {
    pub line: usize,
    pub col: usize,
    /// How many characters to underline (at least one is shown).
    pub len: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable short name for the kind of problem, e.g. `yaml` or `unknown-key`.
    pub code: &'static str,
    /// Path relative to the site root, with `/` separators; empty for site-wide problems.
    pub file: String,
    pub span: Option<Span>,
    /// The text of the offending line, quoted under the message.
    pub source_line: Option<String>,
    pub message: Msg,
    /// What to write instead.
    pub help: Option<Msg>,
    /// Where in a spreadsheet, when the file is one (sheet, column and header).
    pub note: Option<Msg>,
}

impl Diagnostic {
    pub fn error(code: &'static str, file: impl Into<String>, message: Msg) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            file: file.into(),
            span: None,
            source_line: None,
            message,
            help: None,
            note: None,
        }
    }

    pub fn warning(code: &'static str, file: impl Into<String>, message: Msg) -> Diagnostic {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(code, file, message) }
    }

    /// Points at `line`/`col` of `text` (the whole file), quoting that line.
    pub fn at(mut self, text: &str, line: usize, col: usize, len: usize) -> Diagnostic {
        self.source_line = text.lines().nth(line.saturating_sub(1)).map(str::to_owned);
        self.span = Some(Span { line, col: col.max(1), len });
        self
    }

    /// Like [`Diagnostic::at`] when the line's text is already at hand.
    pub fn at_line(mut self, line_text: &str, line: usize, col: usize, len: usize) -> Diagnostic {
        self.source_line = Some(line_text.to_owned());
        self.span = Some(Span { line, col: col.max(1), len });
        self
    }

    pub fn with_help(mut self, help: Msg) -> Diagnostic {
        self.help = Some(help);
        self
    }

    pub fn into_warning(mut self) -> Diagnostic {
        self.severity = Severity::Warning;
        self
    }

    pub fn with_note(mut self, note: Msg) -> Diagnostic {
        self.note = Some(note);
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }

    /// `file:line:col`, or as much of it as is known.
    pub fn location(&self) -> String {
        match &self.span {
            Some(s) if !self.file.is_empty() => format!("{}:{}:{}", self.file, s.line, s.col),
            _ => self.file.clone(),
        }
    }

    /// The diagnostic as a plain-text report, in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
            Severity::Info => Level::INFO,
        };
        let title = self.message.get(lang);
        let help = self.help.as_ref().map(|h| h.get(lang));
        let renderer = Renderer::plain();
        let mut group = annotate_snippets::Group::with_title(level.primary_title(title).id(self.code));
        match (&self.span, &self.source_line) {
            (Some(span), Some(line)) => {
                let start = byte_offset(line, span.col - 1);
                let end = byte_offset(line, span.col - 1 + span.len.max(1)).max(start);
                // An empty line still gets a caret, past its end.
                let (src, range) = if line.is_empty() {
                    (" ".to_owned(), 0..1)
                } else if start == end {
                    (line.clone(), start.min(line.len())..(start + 1).min(line.len()))
                } else {
                    (line.clone(), start..end)
                };
                group = group.element(
                    Snippet::source(src)
                        .line_start(span.line)
                        .path(self.file.as_str())
                        .annotation(AnnotationKind::Primary.span(range)),
                );
            }
            _ if !self.file.is_empty() => {
                group = group.element(annotate_snippets::Origin::path(self.file.as_str()));
            }
            _ => {}
        }
        if let Some(note) = &self.note {
            group = group.element(Level::NOTE.message(note.get(lang)));
        }
        if let Some(help) = help {
            group = group.element(Level::HELP.message(help));
        }
        renderer.render(&[group])
    }
}

fn byte_offset(s: &str, chars: usize) -> usize {
    s.char_indices().nth(chars).map(|(i, _)| i).unwrap_or(s.len())
}

/// All diagnostics of one run, sorted so output is stable.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: impl IntoIterator<Item = Diagnostic>) {
        self.0.extend(other);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(Diagnostic::is_error)
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.0.iter().filter(|d| d.severity == severity).count()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Orders by file, then position, so parallel stages print deterministically.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            let pos = |d: &Diagnostic| d.span.as_ref().map(|s| (s.line, s.col)).unwrap_or((0, 0));
            (&a.file, pos(a), a.severity, a.code, &a.message.en)
                .cmp(&(&b.file, pos(b), b.severity, b.code, &b.message.en))
        });
        self.0.dedup();
    }

    /// Every diagnostic, then a one-line summary.
    pub fn render(&self, lang: Lang) -> String {
        let mut out = String::new();
        for d in &self.0 {
            out.push_str(&d.render(lang));
            out.push_str("\n\n");
        }
        let (e, w) = (self.count(Severity::Error), self.count(Severity::Warning));
        if e + w > 0 {
            let _ = writeln!(
                out,
                "{}",
                match lang {
                    Lang::Zh => format!("{e} 个错误，{w} 个警告"),
                    Lang::En => format!(
                        "{e} error{}, {w} warning{}",
                        if e == 1 { "" } else { "s" },
                        if w == 1 { "" } else { "s" }
                    ),
                }
            );
        }
        out
    }
}

impl IntoIterator for Diagnostics {
    type Item = Diagnostic;
    type IntoIter = std::vec::IntoIter<Diagnostic>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::msg;

    #[test]
    fn renders_chinese_line_with_caret_under_the_right_column() {
        let text = "---\n标题: 你好\ndate: 2020-02-30\n---\n";
        let d = Diagnostic::error("bad-date", "content/a.md", msg!("日期不存在", "no such date"))
            .at(text, 3, 7, 10)
            .with_help(msg!("写成 2020-02-29", "write 2020-02-29"));
        let out = d.render(Lang::En);
        assert!(out.contains("error[bad-date]: no such date"), "{out}");
        assert!(out.contains("content/a.md:3:7"), "{out}");
        assert!(out.contains("date: 2020-02-30"), "{out}");
        assert!(out.contains("^^^^^^^^^^"), "{out}");
        assert!(out.contains("help: write 2020-02-29"), "{out}");
        assert_eq!(d.location(), "content/a.md:3:7");
    }
}

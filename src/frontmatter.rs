//! YAML front matter: split it from the body, map every key (English or
//! Chinese) to its canonical name, and read typed values with messages that
//! point at the line staff wrote.

use crate::dates;
use crate::diag::{Diagnostic, Diagnostics};
use crate::msg;
use crate::schema::{self, Field};
use jiff::civil::Date;
use serde_yaml::Value;
use std::collections::BTreeMap;

/// A value with the place it was written (1-based line and column of the value).
#[derive(Debug, Clone)]
pub struct Located {
    pub value: Value,
    pub line: usize,
    pub col: usize,
    /// The key as staff wrote it (`标题` or `title`).
    pub written_key: String,
}

/// Parsed front matter of one file, with the text kept for messages.
#[derive(Debug)]
pub struct FrontMatter<'t> {
    pub file: &'t str,
    pub text: &'t str,
    pub fields: BTreeMap<&'static str, Located>,
    pub body: &'t str,
    /// 1-based line on which the body starts.
    pub body_line: usize,
    /// For a spreadsheet row: from which column (1-based char position in
    /// the quoted row) a note applies, naming the sheet, column and header.
    pub notes: Vec<(usize, &'t crate::lang::Msg)>,
    /// The record's first line: 1 for a page, its row or list item in a data file.
    pub start_line: usize,
    /// Byte offsets where each line of `text` starts, for a data file whose
    /// many rows share one text: finding a row's line is then O(1), not a scan.
    pub line_starts: Option<&'t [usize]>,
}

/// Splits and parses the front matter of `text` (already decoded). Returns
/// `None` after reporting when the YAML itself is unusable.
pub fn parse<'t>(
    file: &'t str,
    text: &'t str,
    fields: &[&'static Field],
    diags: &mut Diagnostics,
) -> Option<FrontMatter<'t>> {
    let Some((yaml, body, body_line)) = split(text) else {
        diags.push(
            Diagnostic::error("no-front-matter", file, msg!("缺少前置元数据（文件开头的 --- 块）", "missing front matter (the --- block at the top)"))
                .at(text, 1, 1, 3)
                .with_help(msg!("在文件开头写：\n---\ntitle: 标题\n---", "start the file with:\n---\ntitle: A title\n---")),
        );
        return None;
    };
    parse_yaml(file, text, yaml, 1, body, body_line, fields, diags)
}

/// Parses a whole YAML file (such as `site.yml`) as a mapping of known keys.
pub fn parse_document<'t>(
    file: &'t str,
    text: &'t str,
    fields: &[&'static Field],
    diags: &mut Diagnostics,
) -> Option<FrontMatter<'t>> {
    parse_yaml(file, text, text, 0, "", text.lines().count() + 1, fields, diags)
}

#[allow(clippy::too_many_arguments)]
fn parse_yaml<'t>(
    file: &'t str,
    text: &'t str,
    yaml: &'t str,
    line_offset: usize,
    body: &'t str,
    body_line: usize,
    fields: &[&'static Field],
    diags: &mut Diagnostics,
) -> Option<FrontMatter<'t>> {
    let mut fm = FrontMatter { file, text, fields: BTreeMap::new(), body, body_line, notes: Vec::new(), start_line: 1, line_starts: None };
    if yaml.trim().is_empty() {
        return Some(fm);
    }
    let value: Value = match serde_yaml::from_str(yaml) {
        Ok(v) => v,
        Err(e) => {
            diags.push(yaml_error(file, text, line_offset, &e));
            return None;
        }
    };
    let Value::Mapping(map) = value else {
        // Usually a full-width colon: `标题：通知` reads as one plain string.
        let first = yaml.lines().position(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#')).unwrap_or(0);
        let line_text = yaml.lines().nth(first).unwrap_or("");
        let col = line_text.find('：').map_or(1, |b| line_text[..b].chars().count() + 1);
        diags.push(
            Diagnostic::error("front-matter-shape", file, msg!("前置元数据应为“键: 值”的列表", "front matter must be a list of `key: value` lines"))
                .at(text, line_offset + first + 1, col, 1)
                .with_help(yaml_hint(line_text)),
        );
        return None;
    };
    for (k, v) in map {
        let written = match &k {
            Value::String(s) => s.clone(),
            other => yaml_scalar_string(other).unwrap_or_default(),
        };
        let (line, key_col, val_col) = locate_key(yaml, &written)
            .map_or((line_offset + 1, 1, 1), |(l, kc, vc)| (l + line_offset, kc, vc));
        match schema::resolve(&written, fields) {
            Some(key) => {
                if fm.fields.contains_key(key) {
                    diags.push(
                        Diagnostic::error("duplicate-key", file, msg!("“{written}”重复：它与另一个键是同一项（{key}）", "`{written}` repeats another key that means the same ({key})"))
                            .at(text, line, key_col, written.chars().count())
                            .with_help(msg!("只保留一个", "keep only one of them")),
                    );
                    continue;
                }
                fm.fields.insert(key, Located { value: v, line, col: val_col, written_key: written });
            }
            None => {
                let help = match schema::closest(&written, fields.iter().copied()) {
                    Some(s) => msg!("是不是想写“{s}”？", "did you mean `{s}`?"),
                    None => msg!("删除这一行", "remove this line"),
                };
                diags.push(
                    Diagnostic::error("unknown-key", file, msg!("未知的键“{written}”", "unknown key `{written}`"))
                        .at(text, line, key_col, written.chars().count())
                        .with_help(help),
                );
            }
        }
    }
    Some(fm)
}

/// `(yaml, body, body_line)` when `text` starts with a `---` line.
pub(crate) fn split(text: &str) -> Option<(&str, &str, usize)> {
    let rest = text.strip_prefix("---")?;
    let rest = rest.trim_start_matches([' ', '\t']);
    let rest = rest.strip_prefix('\n')?;
    let yaml_start = text.len() - rest.len();
    let mut offset = yaml_start;
    let mut line = 2;
    for l in rest.split_inclusive('\n') {
        let t = l.trim_end();
        if t == "---" || t == "..." {
            let body_start = offset + l.len();
            return Some((&text[yaml_start..offset], &text[body_start..], line + 1));
        }
        offset += l.len();
        line += 1;
    }
    None
}

/// A YAML syntax error, placed at its line in the file.
pub fn yaml_error(file: &str, text: &str, line_offset: usize, e: &serde_yaml::Error) -> Diagnostic {
    let (mut line, mut col) = e.location().map_or((line_offset + 1, 1), |l| (l.line() + line_offset, l.column()));
    let raw = e.to_string();
    // serde_yaml appends " at line X column Y"; the location is shown separately.
    let what = raw.split(" at line ").next().unwrap_or(&raw).to_owned();
    // The parser notices an unclosed bracket or quote only lines later, often
    // at the closing `---`: point at the line that opened it instead.
    if let Some((l, c)) = unclosed_before(text, line_offset + 1, line) {
        (line, col) = (l, c);
    }
    let line_text = text.lines().nth(line - 1).unwrap_or("");
    let col = col.min(line_text.chars().count() + 1).max(1);
    let zh = yaml_message_zh(&what);
    Diagnostic::error("yaml", file, msg!("YAML 格式错误：{zh}", "invalid YAML: {what}"))
        .at(text, line, col, 1)
        .with_help(yaml_hint(line_text))
}

/// The last line in `from..=to` (1-based) that opens a `[`, `{` or quote it does not close.
fn unclosed_before(text: &str, from: usize, to: usize) -> Option<(usize, usize)> {
    let mut found = None;
    for (i, l) in text.lines().enumerate().take(to).skip(from.saturating_sub(1)) {
        let code = l.split(" #").next().unwrap_or(l);
        let (mut depth, mut open_at) = (0i32, None);
        let mut quote: Option<char> = None;
        for (ci, ch) in code.chars().enumerate() {
            match (quote, ch) {
                (Some(q), c) if c == q => quote = None,
                (Some(_), _) => {}
                (None, '"' | '\'') => {
                    quote = Some(ch);
                    open_at.get_or_insert(ci);
                }
                (None, '[' | '{') => {
                    depth += 1;
                    if depth == 1 {
                        open_at = Some(ci);
                    }
                }
                (None, ']' | '}') => depth -= 1,
                _ => {}
            }
        }
        if depth > 0 || quote.is_some() {
            found = Some((i + 1, open_at.unwrap_or(0) + 1));
        }
    }
    found
}

/// Chinese for the parser messages staff meet most.
fn yaml_message_zh(what: &str) -> String {
    const KNOWN: &[(&str, &str)] = &[
        ("did not find expected ',' or ']'", "方括号 [ ] 没有配对，或列表项之间缺少逗号"),
        ("did not find expected ',' or '}'", "花括号 { } 没有配对，或各项之间缺少逗号"),
        ("mapping values are not allowed in this context", "这里不能出现“键: 值”；值里含有冒号时要用引号括起来"),
        ("did not find expected key", "缩进不对，或缺少键名"),
        ("found unexpected end of stream", "引号或括号没有配对"),
        ("found character that cannot start any plain scalar", "值以特殊字符开头，要用引号括起来"),
        ("could not find expected ':'", "缺少冒号“:”"),
        ("found a tab character", "不能用 Tab 缩进，请改用空格"),
        ("duplicate entry", "同一个键写了两次"),
    ];
    KNOWN.iter().find(|(en, _)| what.contains(en)).map_or_else(|| what.to_owned(), |(_, zh)| (*zh).to_owned())
}

/// A concrete suggestion for the usual mistakes.
fn yaml_hint(line: &str) -> crate::lang::Msg {
    if line.contains('：') && !line.contains(':') {
        msg!("键和值之间要用英文冒号和空格“: ”，不是中文冒号“：”", "separate key and value with an ASCII colon and a space `: `, not `：`")
    } else if line.matches('[').count() > line.matches(']').count() {
        msg!("方括号没有配对：在列表末尾补上“]”", "a `[` is not closed: add `]` at the end of the list")
    } else if line.matches('{').count() > line.matches('}').count() {
        msg!("花括号没有配对：在末尾补上“}}”", "a `{{` is not closed: add `}}` at the end")
    } else if line.starts_with([' ', '\t']) {
        msg!("检查这一行的缩进：同一层的键要对齐，不能用 Tab", "check the indentation: keys at one level line up, and tabs are not allowed")
    } else if line.matches('"').count() % 2 == 1 || line.matches('\'').count() % 2 == 1 {
        msg!("引号没有配对：补上另一半引号", "a quote is not closed: add the matching quote")
    } else {
        msg!("每行写成“键: 值”，冒号后有一个空格；含有冒号或 # 的值用引号括起来", "write each line as `key: value` with a space after the colon; quote values that contain `:` or `#`")
    }
}

/// Finds a top-level `key:` in the YAML: `(line within yaml (1-based), key col, value col)`.
fn locate_key(yaml: &str, key: &str) -> Option<(usize, usize, usize)> {
    for (i, l) in yaml.lines().enumerate() {
        let unquoted = l.strip_prefix(['"', '\'']).unwrap_or(l);
        if let Some(after) = unquoted.strip_prefix(key) {
            let after = after.strip_prefix(['"', '\'']).unwrap_or(after);
            if let Some(val) = after.trim_start().strip_prefix(':') {
                let prefix_chars = l.chars().count() - val.chars().count();
                let lead = val.chars().take_while(|c| c.is_whitespace()).count();
                return Some((i + 1, 1, prefix_chars + lead + 1));
            }
        }
    }
    None
}

/// A resolved nested mapping: canonical key → (value, line).
#[derive(Debug, Clone)]
pub struct Nested {
    pub values: BTreeMap<&'static str, (Value, usize)>,
    /// Line of its first key.
    pub line: usize,
}

impl Nested {
    pub fn string(&self, key: &str) -> Option<String> {
        self.values.get(key).and_then(|(v, _)| yaml_scalar_string(v)).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
    }

    pub fn value(&self, key: &str) -> Option<&Value> {
        self.values.get(key).map(|(v, _)| v)
    }

    pub fn line_of(&self, key: &str) -> usize {
        self.values.get(key).map_or(self.line, |(_, l)| *l)
    }
}

/// `(line, col)` of `key:` at or after line `from`.
pub fn find_key(text: &str, key: &str, from: usize) -> Option<(usize, usize)> {
    let line = find_line_from(text, key, from)?;
    let l = text.lines().nth(line - 1)?;
    let col = l.find(key).map_or(1, |b| l[..b].chars().count() + 1);
    Some((line, col))
}

/// The first line at or after `from` (1-based) whose text, after indentation
/// and a list dash, starts with `key:`.
fn find_line_from(text: &str, key: &str, from: usize) -> Option<usize> {
    text.lines().enumerate().skip(from.saturating_sub(1)).find_map(|(i, l)| {
        let t = l.trim_start().trim_start_matches("- ").trim_start();
        let t = t.strip_prefix(['"', '\'', '{']).unwrap_or(t).trim_start();
        let rest = t.strip_prefix(key)?;
        let rest = rest.strip_prefix(['"', '\'']).unwrap_or(rest);
        rest.trim_start().starts_with(':').then_some(i + 1)
    }).or_else(|| {
        // Flow style `{id: a, name: b}` keeps several keys on one line.
        text.lines().enumerate().skip(from.saturating_sub(1)).find_map(|(i, l)| l.contains(&format!("{key}:")).then_some(i + 1))
    })
}

pub(crate) fn yaml_scalar_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

impl FrontMatter<'_> {
    /// The text of 1-based line `n`.
    pub fn line_text(&self, n: usize) -> &str {
        match self.line_starts {
            Some(starts) if n >= 1 && n <= starts.len() => {
                let start = starts[n - 1];
                let end = starts.get(n).copied().unwrap_or(self.text.len());
                self.text[start..end].trim_end_matches('\n')
            }
            _ => self.text.lines().nth(n.saturating_sub(1)).unwrap_or(""),
        }
    }

    pub fn has(&self, key: &str) -> bool {
        self.fields.contains_key(key)
    }

    fn err(&self, loc: &Located, code: &'static str, m: crate::lang::Msg, help: crate::lang::Msg) -> Diagnostic {
        let line = self.line_text(loc.line);
        // In a spreadsheet row only the cell is underlined; elsewhere the rest of the line.
        let len = match self.notes.iter().position(|(c, _)| *c > loc.col) {
            Some(next) if !self.notes.is_empty() => self.notes[next].0.saturating_sub(loc.col + 3).max(1),
            _ => line.chars().count().saturating_sub(loc.col - 1).max(1),
        };
        let d = Diagnostic::error(code, self.file, m).at_line(line, loc.line, loc.col, len).with_help(help);
        match self.notes.iter().rev().find(|(c, _)| *c <= loc.col) {
            Some((_, note)) => d.with_note((*note).clone()),
            None => d,
        }
    }

    /// An error at `key` (or at the record's first line when it is absent).
    pub fn error(&self, key: &str, code: &'static str, m: crate::lang::Msg, help: crate::lang::Msg) -> Diagnostic {
        self.error_at(key, code, m, help)
    }

    /// An error on `line` (a nested item's line), quoting it.
    pub fn error_on_line(&self, line: usize, code: &'static str, m: crate::lang::Msg, help: crate::lang::Msg) -> Diagnostic {
        let l = self.line_text(line);
        let indent = l.chars().take_while(|c| c.is_whitespace() || *c == '-').count();
        Diagnostic::error(code, self.file, m).at_line(l, line, indent + 1, l.chars().count().saturating_sub(indent).max(1)).with_help(help)
    }

    /// The place of `key` as a diagnostic to be filled in later (references).
    pub fn place(&self, key: &str) -> Diagnostic {
        self.error_at(key, "reference", crate::lang::Msg::new("", ""), crate::lang::Msg::new("", ""))
    }

    /// A text value; numbers are accepted as their text (`文号: 12`).
    pub fn string(&self, key: &str, diags: &mut Diagnostics) -> Option<String> {
        let loc = self.fields.get(key)?;
        match &loc.value {
            Value::Null => None,
            v => match yaml_scalar_string(v) {
                Some(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
                None => {
                    let k = &loc.written_key;
                    diags.push(self.err(loc, "type", msg!("“{k}”应为一段文字", "`{k}` must be text"), msg!("写成“{k}: 文字”", "write `{k}: some text`")));
                    None
                }
            },
        }
    }

    pub fn date(&self, key: &str, diags: &mut Diagnostics) -> Option<Date> {
        let loc = self.fields.get(key)?;
        let s = match &loc.value {
            Value::Null => return None,
            v => yaml_scalar_string(v).unwrap_or_default(),
        };
        match dates::parse_date(&s) {
            Ok(d) => Some(d),
            Err(m) => {
                diags.push(self.err(loc, "date", m, msg!("日期写成 2020-02-19 这样的格式", "write dates as 2020-02-19")));
                None
            }
        }
    }

    pub fn bool(&self, key: &str, diags: &mut Diagnostics) -> bool {
        let Some(loc) = self.fields.get(key) else { return false };
        match &loc.value {
            Value::Bool(b) => *b,
            Value::Null => false,
            Value::String(s) if matches!(s.trim(), "是" | "true" | "yes") => true,
            Value::String(s) if matches!(s.trim(), "否" | "false" | "no") => false,
            _ => {
                let k = &loc.written_key;
                diags.push(self.err(loc, "type", msg!("“{k}”应为 true 或 false（是 或 否）", "`{k}` must be true or false"), msg!("写成“{k}: true”", "write `{k}: true`")));
                false
            }
        }
    }

    pub fn int(&self, key: &str, diags: &mut Diagnostics) -> Option<i64> {
        let loc = self.fields.get(key)?;
        match &loc.value {
            Value::Number(n) if n.is_i64() => n.as_i64(),
            Value::String(s) if s.trim().parse::<i64>().is_ok() => s.trim().parse().ok(),
            Value::Null => None,
            _ => {
                let k = &loc.written_key;
                diags.push(self.err(loc, "type", msg!("“{k}”应为整数", "`{k}` must be a whole number"), msg!("写成“{k}: 10”", "write `{k}: 10`")));
                None
            }
        }
    }

    /// A list of texts; a single text, or one separated by 、 or commas, is accepted too.
    pub fn list(&self, key: &str, diags: &mut Diagnostics) -> Vec<String> {
        let Some(loc) = self.fields.get(key) else { return Vec::new() };
        match &loc.value {
            Value::Null => Vec::new(),
            Value::Sequence(items) => {
                let mut out = Vec::new();
                for item in items {
                    match yaml_scalar_string(item) {
                        Some(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
                        Some(_) => {}
                        None => {
                            let k = &loc.written_key;
                            diags.push(self.err(loc, "type", msg!("“{k}”的每一项应为一段文字", "each item of `{k}` must be text"), msg!("写成“{k}: [甲, 乙]”", "write `{k}: [a, b]`")));
                        }
                    }
                }
                out
            }
            v => yaml_scalar_string(v)
                .map(|s| s.split(['、', ',', '，']).map(|p| p.trim().to_owned()).filter(|p| !p.is_empty()).collect())
                .unwrap_or_default(),
        }
    }

    /// A nested mapping (`contact:`, `公示期:` …) with its keys resolved through
    /// `nested`; unknown keys are reported on their own line. A list of such
    /// mappings is read with [`FrontMatter::nested_list`].
    pub fn nested(&self, key: &str, nested: &'static [Field], diags: &mut Diagnostics) -> Option<Nested> {
        let loc = self.fields.get(key)?;
        match &loc.value {
            Value::Null => None,
            v => self.nested_value(loc, v, loc.line, nested, diags),
        }
    }

    pub fn nested_list(&self, key: &str, nested: &'static [Field], diags: &mut Diagnostics) -> Vec<Nested> {
        let Some(loc) = self.fields.get(key) else { return Vec::new() };
        match &loc.value {
            Value::Sequence(items) => {
                let mut line = loc.line;
                let mut out = Vec::new();
                for item in items {
                    if let Some(n) = self.nested_value(loc, item, line, nested, diags) {
                        // The next item starts below this one.
                        line = n.line + 1;
                        out.push(n);
                    }
                }
                out
            }
            Value::Null => Vec::new(),
            v => self.nested_value(loc, v, loc.line, nested, diags).into_iter().collect(),
        }
    }

    fn nested_value(&self, loc: &Located, v: &Value, from_line: usize, nested: &'static [Field], diags: &mut Diagnostics) -> Option<Nested> {
        let k = &loc.written_key;
        let Value::Mapping(map) = v else {
            let names: Vec<&str> = nested.iter().map(|f| f.aliases[0]).collect();
            diags.push(self.err(loc, "type", {
                let (zh, en) = (names.join("、"), nested.iter().map(|f| f.key).collect::<Vec<_>>().join(", "));
                msg!("“{k}”应包含这些项：{zh}", "`{k}` must be a mapping with keys such as {en}")
            }, msg!("每项另起一行，缩进两个空格", "put each key on its own line, indented by two spaces")));
            return None;
        };
        let fields: Vec<&'static Field> = nested.iter().collect();
        let mut out = Nested { values: BTreeMap::new(), line: from_line };
        let mut first_line = None;
        for (key, value) in map {
            let written = yaml_scalar_string(key).unwrap_or_default();
            let line = find_line_from(self.text, &written, from_line).unwrap_or(loc.line);
            first_line.get_or_insert(line);
            match schema::resolve(&written, &fields) {
                Some(canon) => {
                    out.values.insert(canon, (value.clone(), line));
                }
                None => {
                    let col = self.text.lines().nth(line - 1).and_then(|l| l.find(written.as_str())).map_or(1, |b| self.text.lines().nth(line - 1).unwrap()[..b].chars().count() + 1);
                    let help = match schema::closest(&written, fields.iter().copied()) {
                        Some(s) => msg!("是不是想写“{s}”？", "did you mean `{s}`?"),
                        None => msg!("删除这一行", "remove this line"),
                    };
                    diags.push(Diagnostic::error("unknown-key", self.file, msg!("“{k}”中未知的键“{written}”", "unknown key `{written}` in `{k}`")).at(self.text, line, col, written.chars().count()).with_help(help));
                }
            }
        }
        out.line = first_line.unwrap_or(from_line);
        Some(out)
    }

    /// The raw value with its place, for kinds that read nested structures.
    pub fn raw(&self, key: &str) -> Option<&Located> {
        self.fields.get(key)
    }

    /// An error pointing at `key`'s line.
    pub fn error_at(&self, key: &str, code: &'static str, m: crate::lang::Msg, help: crate::lang::Msg) -> Diagnostic {
        match self.fields.get(key) {
            Some(loc) => self.err(loc, code, m, help),
            None => {
                Diagnostic::error(code, self.file, m).at_line(self.line_text(self.start_line), self.start_line, 1, 3).with_help(help)
            }
        }
    }


}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::page_fields;

    #[test]
    fn splits_and_locates() {
        let text = "---\n标题: 你好\ndate: 2020-02-19\n---\n正文\n";
        let fields = page_fields(None, false);
        let mut d = Diagnostics::default();
        let fm = parse("a.md", text, &fields, &mut d).unwrap();
        assert!(d.is_empty(), "{d:?}");
        assert_eq!(fm.body, "正文\n");
        assert_eq!(fm.body_line, 5);
        assert_eq!(fm.string("title", &mut d).as_deref(), Some("你好"));
        let loc = fm.raw("date").unwrap();
        assert_eq!((loc.line, loc.col), (3, 7));
    }

    #[test]
    fn unknown_key_names_closest_and_line() {
        let text = "---\ntitle: x\nsumary: y\n---\n";
        let fields = page_fields(None, false);
        let mut d = Diagnostics::default();
        parse("a.md", text, &fields, &mut d).unwrap();
        assert_eq!(d.0.len(), 1);
        assert_eq!(d.0[0].location(), "a.md:3:1");
        assert_eq!(d.0[0].help.as_ref().unwrap().en, "did you mean `summary`?");
    }

    #[test]
    fn yaml_error_is_placed_in_the_file() {
        let text = "---\ntitle: x\ndate: [2020\n---\n";
        let mut d = Diagnostics::default();
        assert!(parse("a.md", text, &page_fields(None, false), &mut d).is_none());
        assert_eq!(d.0[0].code, "yaml");
        assert!(d.0[0].span.as_ref().unwrap().line >= 3);
    }
}

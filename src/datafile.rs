//! Records kept as data: the rows of a YAML list, a CSV file (UTF-8 or GBK)
//! or an XLSX workbook (first sheet, header row) in a kind's section. Each
//! row becomes a [`FrontMatter`] whose values know their row and column, so
//! errors point into the spreadsheet the way staff see it.

use crate::diag::{Diagnostic, Diagnostics};
use crate::frontmatter::{FrontMatter, Located};
use crate::lang::Msg;
use crate::msg;
use crate::schema::{self, Field};
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Whether `name` is a data file when it sits in a kind's section.
pub fn is_data_file(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    [".yml", ".yaml", ".csv", ".xlsx"].iter().any(|e| n.ends_with(e))
}

/// A data file read into text plus rows of located cells.
pub struct Table {
    pub file: String,
    /// The text errors quote: the file itself, or for XLSX one line per row.
    pub text: String,
    pub rows: Vec<Row>,
    line_starts: Vec<usize>,
    /// Per column, the note naming it (sheet, column and header). The same
    /// for every row, so it is formatted once per file, not once per cell.
    notes: Vec<Msg>,
}

impl Table {
    fn new(file: &str, text: String, rows: Vec<Row>, notes: Vec<Msg>) -> Table {
        let line_starts = std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect();
        Table { file: file.to_owned(), text, rows, line_starts, notes }
    }

    fn empty(file: &str, text: String) -> Table {
        Table::new(file, text, Vec::new(), Vec::new())
    }
}

pub struct Row {
    pub line: usize,
    pub cells: BTreeMap<&'static str, Located>,
    /// Where each column's cell starts in the quoted row (1-based char position).
    pub note_cols: Vec<usize>,
}

impl Table {
    /// The rows as front matter, for [`crate::records::read`]. Takes the rows
    /// out of the table (their cells move into the front matter, uncloned).
    pub fn records(&mut self) -> impl Iterator<Item = FrontMatter<'_>> {
        let rows = std::mem::take(&mut self.rows);
        let this: &Table = self;
        rows.into_iter().map(move |r| FrontMatter {
            file: &this.file,
            text: &this.text,
            fields: r.cells,
            body: "",
            body_line: r.line,
            notes: r.note_cols.iter().zip(&this.notes).map(|(&c, m)| (c, m)).collect(),
            start_line: r.line,
            line_starts: Some(&this.line_starts),
        })
    }
}

pub fn read(rel: &str, abs: &Path, fields: &[&'static Field], diags: &mut Diagnostics) -> Option<Table> {
    let bytes = match std::fs::read(abs) {
        Ok(b) => b,
        Err(e) => {
            diags.push(Diagnostic::error("io", rel, msg!("无法读取文件：{e}", "cannot read file: {e}")));
            return None;
        }
    };
    let lower = rel.to_ascii_lowercase();
    if lower.ends_with(".xlsx") {
        read_xlsx(rel, abs, fields, diags)
    } else if lower.ends_with(".csv") {
        let text = decode_csv(rel, &bytes, diags)?;
        read_csv(rel, text, fields, diags)
    } else {
        let text = match crate::source::decode_text(rel, &bytes) {
            Ok(t) => t,
            Err(d) => {
                diags.push(d);
                return None;
            }
        };
        read_yaml(rel, text, fields, diags)
    }
}

/// UTF-8 (with or without BOM), else GBK as Excel and WPS save CSV on Chinese Windows.
fn decode_csv(rel: &str, bytes: &[u8], diags: &mut Diagnostics) -> Option<String> {
    match crate::source::decode_text(rel, bytes) {
        Ok(t) => Some(t),
        Err(d) if crate::source::looks_like_gbk(bytes) => {
            let (text, _, _) = encoding_rs::GBK.decode(bytes);
            diags.push(
                Diagnostic::warning("encoding", rel, msg!("CSV 文件是 GBK 编码，已按 GBK 读取", "the CSV file is GBK-encoded; read it as GBK"))
                    .with_help(msg!("另存为“CSV UTF-8”可以消除这条提示", "save it as \"CSV UTF-8\" to silence this")),
            );
            let _ = d;
            Some(crate::source::normalize_newlines(&text))
        }
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

/// Resolves header names; unknown ones are errors at the header cell.
fn headers(rel: &str, text: &str, line: usize, names: &[(String, usize)], fields: &[&'static Field], diags: &mut Diagnostics) -> Vec<Option<&'static str>> {
    let mut seen = BTreeMap::new();
    names
        .iter()
        .map(|(name, col)| {
            let name = name.trim();
            if name.is_empty() {
                return None;
            }
            match schema::resolve(name, fields) {
                Some(k) => {
                    if let Some(first) = seen.insert(k, name.to_owned()) {
                        diags.push(Diagnostic::error("duplicate-key", rel, msg!("列名“{name}”与“{first}”是同一项", "column `{name}` means the same as `{first}`")).at(text, line, *col, name.chars().count()).with_help(msg!("删除其中一列", "remove one of the columns")));
                    }
                    Some(k)
                }
                None => {
                    let help = match schema::closest(name, fields.iter().copied()) {
                        Some(s) => msg!("是不是想写“{s}”？", "did you mean `{s}`?"),
                        None => msg!("删除这一列", "remove this column"),
                    };
                    diags.push(Diagnostic::error("unknown-key", rel, msg!("未知的列名“{name}”", "unknown column `{name}`")).at(text, line, *col, name.chars().count()).with_help(help));
                    None
                }
            }
        })
        .collect()
}

/// `A`, `B`, … `Z`, `AA` for a 0-based column index.
pub fn column_letter(mut i: usize) -> String {
    let mut s = String::new();
    loop {
        s.insert(0, (b'A' + (i % 26) as u8) as char);
        if i < 26 {
            return s;
        }
        i = i / 26 - 1;
    }
}

fn note(sheet: Option<&str>, index: usize, header: &str) -> Msg {
    let c = column_letter(index);
    match sheet {
        Some(s) => msg!("工作表“{s}”，{c} 列（{header}）", "sheet \"{s}\", column {c} ({header})"),
        None => msg!("{c} 列（{header}）", "column {c} ({header})"),
    }
}

fn read_csv(rel: &str, text: String, fields: &[&'static Field], diags: &mut Diagnostics) -> Option<Table> {
    // Rows are looked up by line number: index the lines once.
    let lines: Vec<&str> = text.split('\n').collect();
    let line_of = |n: usize| lines.get(n.saturating_sub(1)).copied().unwrap_or("");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => {
            diags.push(Diagnostic::error("csv", rel, msg!("CSV 格式错误：{e}", "invalid CSV: {e}")));
            return None;
        }
        None => return Some(Table::empty(rel, text)),
    };
    let header_line = header.position().map_or(1, |p| p.line() as usize);
    let cols = field_columns(line_of(header_line));
    let names: Vec<(String, usize)> = header.iter().enumerate().map(|(i, h)| (h.to_owned(), cols.get(i).copied().unwrap_or(1))).collect();
    let keys = headers(rel, &text, header_line, &names, fields, diags);
    let mut rows = Vec::new();
    let mut width = names.len();
    for rec in records {
        let rec = match rec {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(1, |p| p.line() as usize);
                diags.push(Diagnostic::error("csv", rel, msg!("CSV 格式错误：{e}", "invalid CSV: {e}")).at(&text, line, 1, 1).with_help(msg!("检查这一行的引号是否配对", "check that the quotes on this line are paired")));
                continue;
            }
        };
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let line = rec.position().map_or(1, |p| p.line() as usize);
        let cols = field_columns(line_of(line));
        let mut row = Row { line, cells: BTreeMap::new(), note_cols: Vec::with_capacity(rec.len()) };
        width = width.max(rec.len());
        for (i, cell) in rec.iter().enumerate() {
            let col = cols.get(i).copied().unwrap_or(1);
            let header = names.get(i).map_or("", |n| n.0.as_str());
            row.note_cols.push(col);
            let Some(Some(key)) = keys.get(i) else { continue };
            if cell.trim().is_empty() {
                continue;
            }
            row.cells.insert(key, Located { value: cell_value(cell), line, col, written_key: header.to_owned() });
        }
        rows.push(row);
    }
    let notes = (0..width).map(|i| note(None, i, names.get(i).map_or("", |n| n.0.as_str()))).collect();
    Some(Table::new(rel, text, rows, notes))
}

/// A cell's text as a YAML value, so numbers stay numbers.
fn cell_value(s: &str) -> Value {
    let t = s.trim();
    if let Ok(n) = t.parse::<i64>() {
        return Value::Number(n.into());
    }
    if let Ok(f) = t.parse::<f64>() {
        if f.is_finite() {
            return Value::Number(f.into());
        }
    }
    Value::String(t.to_owned())
}

/// 1-based character column where each field of a CSV line starts.
fn field_columns(line: &str) -> Vec<usize> {
    let mut cols = vec![1];
    let mut quoted = false;
    for (i, c) in line.chars().enumerate() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => cols.push(i + 2),
            _ => {}
        }
    }
    cols
}

fn read_xlsx(rel: &str, abs: &Path, fields: &[&'static Field], diags: &mut Diagnostics) -> Option<Table> {
    use calamine::{Data, Reader};
    let mut wb: calamine::Xlsx<_> = match calamine::open_workbook(abs) {
        Ok(w) => w,
        Err(e) => {
            diags.push(Diagnostic::error("xlsx", rel, msg!("无法读取 Excel 文件：{e}", "cannot read the workbook: {e}")).with_help(msg!("用 WPS 或 Excel 另存为 .xlsx 格式", "save it again as .xlsx from WPS or Excel")));
            return None;
        }
    };
    let Some(sheet) = wb.sheet_names().first().cloned() else {
        return Some(Table::empty(rel, String::new()));
    };
    let range = match wb.worksheet_range(&sheet) {
        Ok(r) => r,
        Err(e) => {
            diags.push(Diagnostic::error("xlsx", rel, msg!("无法读取工作表“{sheet}”：{e}", "cannot read sheet \"{sheet}\": {e}")));
            return None;
        }
    };
    let (first_row, first_col) = range.start().map_or((0, 0), |(r, c)| (r as usize, c as usize));
    // One text line per spreadsheet row, cells joined by " | ", so errors can
    // quote the row and underline the cell.
    let mut lines: Vec<String> = vec![String::new(); first_row];
    let mut starts: Vec<Vec<usize>> = vec![Vec::new(); first_row];
    let mut values: Vec<Vec<Value>> = vec![Vec::new(); first_row];
    for row in range.rows() {
        let (mut line, mut st, mut vals) = (String::new(), Vec::new(), Vec::new());
        for (i, cell) in row.iter().enumerate() {
            if i > 0 {
                line.push_str(" | ");
            }
            st.push(line.chars().count() + 1);
            let v = match cell {
                Data::Empty => Value::Null,
                Data::String(s) => Value::String(s.trim().to_owned()),
                Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Value::Number((*f as i64).into()),
                Data::Float(f) => Value::Number((*f).into()),
                Data::Int(n) => Value::Number((*n).into()),
                Data::Bool(b) => Value::Bool(*b),
                Data::DateTime(d) => Value::String(excel_date(d.as_f64())),
                Data::DateTimeIso(s) | Data::DurationIso(s) => Value::String(s.split('T').next().unwrap_or(s).to_owned()),
                Data::Error(e) => Value::String(format!("{e:?}")),
            };
            line.push_str(&crate::frontmatter::yaml_scalar_string(&v).unwrap_or_default());
            vals.push(v);
        }
        lines.push(line);
        starts.push(st);
        values.push(vals);
    }
    let text = lines.join("\n");
    let Some(header_idx) = values.iter().position(|r| r.iter().any(|v| !matches!(v, Value::Null))) else {
        return Some(Table::empty(rel, text));
    };
    let names: Vec<(String, usize)> = values[header_idx]
        .iter()
        .enumerate()
        .map(|(i, v)| (crate::frontmatter::yaml_scalar_string(v).unwrap_or_default(), starts[header_idx][i]))
        .collect();
    let keys = headers(rel, &text, header_idx + 1, &names, fields, diags);
    let mut rows = Vec::new();
    let mut width = names.len();
    for (ri, vals) in values.iter().enumerate().skip(header_idx + 1) {
        if vals.iter().all(|v| matches!(v, Value::Null) || matches!(v, Value::String(s) if s.is_empty())) {
            continue;
        }
        let line = ri + 1;
        let mut row = Row { line, cells: BTreeMap::new(), note_cols: Vec::with_capacity(vals.len()) };
        width = width.max(vals.len());
        for (i, v) in vals.iter().enumerate() {
            let header = names.get(i).map_or("", |n| n.0.as_str());
            row.note_cols.push(starts[ri][i]);
            let Some(Some(key)) = keys.get(i) else { continue };
            if matches!(v, Value::Null) || matches!(v, Value::String(s) if s.is_empty()) {
                continue;
            }
            row.cells.insert(key, Located { value: v.clone(), line, col: starts[ri][i], written_key: header.to_owned() });
        }
        rows.push(row);
    }
    let notes = (0..width).map(|i| note(Some(&sheet), first_col + i, names.get(i).map_or("", |n| n.0.as_str()))).collect();
    Some(Table::new(rel, text, rows, notes))
}

/// An Excel serial date (days since 1899-12-30) as `YYYY-MM-DD`.
fn excel_date(serial: f64) -> String {
    let base = jiff::civil::date(1899, 12, 30);
    base.checked_add(jiff::Span::new().days(serial.floor() as i64)).map_or_else(|_| serial.to_string(), |d| d.to_string())
}

fn read_yaml(rel: &str, text: String, fields: &[&'static Field], diags: &mut Diagnostics) -> Option<Table> {
    let value: Value = match serde_yaml::from_str(&text) {
        Ok(v) => v,
        Err(e) => {
            diags.push(crate::frontmatter::yaml_error(rel, &text, 0, &e));
            return None;
        }
    };
    let Value::Sequence(items) = value else {
        diags.push(Diagnostic::error("data-shape", rel, msg!("数据文件应为一个列表，每项以“- ”开头", "a data file must be a list, each item starting with `- `")).at(&text, 1, 1, 1));
        return None;
    };
    // Items start at lines beginning with "- "; keys are found from there on.
    let starts: Vec<usize> = text.lines().enumerate().filter(|(_, l)| l.starts_with("- ") || *l == "-").map(|(i, _)| i + 1).collect();
    let mut rows = Vec::new();
    for (n, item) in items.into_iter().enumerate() {
        let line = starts.get(n).copied().unwrap_or(1);
        let Value::Mapping(map) = item else {
            diags.push(Diagnostic::error("data-shape", rel, msg!("列表的每一项应为“键: 值”", "each item must be a mapping of `key: value`")).at(&text, line, 1, 1));
            continue;
        };
        let mut row = Row { line, cells: BTreeMap::new(), note_cols: Vec::new() };
        for (k, v) in map {
            let written = crate::frontmatter::yaml_scalar_string(&k).unwrap_or_default();
            let (kl, kc) = crate::frontmatter::find_key(&text, &written, line).unwrap_or((line, 1));
            match schema::resolve(&written, fields) {
                Some(key) => {
                    let vc = text.lines().nth(kl - 1).and_then(|l| l.find(':').map(|b| l[..b + 1].chars().count() + 2)).unwrap_or(kc);
                    row.cells.insert(key, Located { value: v, line: kl, col: vc, written_key: written });
                }
                None => {
                    let help = match schema::closest(&written, fields.iter().copied()) {
                        Some(s) => msg!("是不是想写“{s}”？", "did you mean `{s}`?"),
                        None => msg!("删除这一行", "remove this line"),
                    };
                    diags.push(Diagnostic::error("unknown-key", rel, msg!("未知的键“{written}”", "unknown key `{written}`")).at(&text, kl, kc, written.chars().count()).with_help(help));
                }
            }
        }
        rows.push(row);
    }
    Some(Table::new(rel, text, rows, Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(27), "AB");
    }

    #[test]
    fn csv_columns() {
        assert_eq!(field_columns("a,\"b,c\",进度"), vec![1, 3, 9]);
    }

    #[test]
    fn excel_serial_dates() {
        assert_eq!(excel_date(45658.0), "2025-01-01");
    }
}

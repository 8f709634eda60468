//! `gongshi package`: after a passing check, a dated zip of the site for
//! upload, its SHA-256 manifest, and a publication record (发布记录) saying
//! which pages are added, changed and removed since the last package — so a
//! reviewer sees exactly what goes live.

use crate::lang::Msg;
use crate::msg;
use crate::output::{MANIFEST, Output};
use jiff::civil::Date;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// What `package` wrote.
pub struct Packaged {
    pub archive: PathBuf,
    pub manifest: PathBuf,
    pub record: PathBuf,
    pub changes: Changes,
}

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: Vec<String>,
    pub changed: Vec<String>,
    pub removed: Vec<String>,
    /// The package compared against, if any.
    pub previous: Option<String>,
}

/// `path → sha256` from a manifest's text.
pub fn parse_manifest(text: &str) -> BTreeMap<String, String> {
    text.lines().filter_map(|l| l.split_once("  ")).map(|(h, p)| (p.to_owned(), h.to_owned())).collect()
}

pub fn diff(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> Changes {
    let mut c = Changes::default();
    for (p, h) in new {
        match old.get(p) {
            None => c.added.push(p.clone()),
            Some(o) if o != h => c.changed.push(p.clone()),
            _ => {}
        }
    }
    c.removed = old.keys().filter(|p| !new.contains_key(*p)).cloned().collect();
    c
}

/// The newest earlier package's manifest in `dir`: names sort by date.
fn previous_manifest(dir: &Path, stem_prefix: &str, current: &str) -> Option<(String, BTreeMap<String, String>)> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(stem_prefix) && n.ends_with(".manifest.sha256") && !n.starts_with(current))
        .collect();
    names.sort();
    let last = names.pop()?;
    let text = std::fs::read_to_string(dir.join(&last)).ok()?;
    Some((last.trim_end_matches(".manifest.sha256").to_owned(), parse_manifest(&text)))
}

/// Page titles by output path, for the record.
fn titles(site: &crate::model::Site) -> BTreeMap<String, String> {
    let mut t = BTreeMap::new();
    for p in &site.pages {
        t.insert(format!("{}index.html", p.path), p.title.clone());
    }
    for s in &site.sections {
        t.insert(format!("{}index.html", s.path), if s.path.is_empty() { "首页".to_owned() } else { s.title.clone() });
    }
    t
}

/// Writes the archive, manifest and record into `dir`.
pub fn package(output: &Output, site: &crate::model::Site, warnings: usize, dir: &Path) -> Result<Packaged, Msg> {
    let io = |what: &Path, e: std::io::Error| {
        let w = what.display().to_string();
        msg!("无法写入 {w}：{e}", "cannot write {w}: {e}")
    };
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let date = site.build_date;
    // `site-2026-11-20`, then `site-2026-11-20-2` … for a second package that day.
    let prefix = "site-";
    let mut stem = format!("{prefix}{date}");
    let mut n = 2;
    while dir.join(format!("{stem}.zip")).exists() {
        stem = format!("{prefix}{date}-{n}");
        n += 1;
    }
    let manifest_text = match output.get(MANIFEST) {
        Some(f) => String::from_utf8_lossy(&f.data.bytes().map_err(|e| io(Path::new(MANIFEST), e))?).into_owned(),
        None => output.manifest().map_err(|e| io(Path::new(MANIFEST), e))?,
    };
    let current = parse_manifest(&manifest_text);
    let (changes, previous) = match previous_manifest(dir, prefix, &stem) {
        Some((name, old)) => (diff(&old, &current), Some(name)),
        None => (diff(&BTreeMap::new(), &current), None),
    };
    let changes = Changes { previous, ..changes };

    let archive = dir.join(format!("{stem}.zip"));
    write_zip(output, date, &archive).map_err(|e| io(&archive, e))?;
    let manifest = dir.join(format!("{stem}.manifest.sha256"));
    std::fs::write(&manifest, &manifest_text).map_err(|e| io(&manifest, e))?;
    let record = dir.join(format!("{stem}.record.md"));
    std::fs::write(&record, record_text(site, &stem, &changes, warnings, &archive)).map_err(|e| io(&record, e))?;
    Ok(Packaged { archive, manifest, record, changes })
}

/// A zip with fixed timestamps (the build date) and sorted entries, so the
/// same site and date give the same bytes.
fn write_zip(output: &Output, date: Date, path: &Path) -> std::io::Result<()> {
    use zip::write::SimpleFileOptions;
    let file = std::fs::File::create(path)?;
    let mut z = zip::ZipWriter::new(std::io::BufWriter::new(file));
    let stamp = zip::DateTime::from_date_and_time(date.year().clamp(1980, 2107) as u16, date.month() as u8, date.day() as u8, 0, 0, 0).unwrap_or_default();
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated).last_modified_time(stamp).unix_permissions(0o644);
    for f in &output.files {
        z.start_file(f.path.as_str(), opts).map_err(std::io::Error::other)?;
        z.write_all(&f.data.bytes()?)?;
    }
    z.finish().map_err(std::io::Error::other)?.flush()
}

fn record_text(site: &crate::model::Site, stem: &str, c: &Changes, warnings: usize, archive: &Path) -> String {
    let titles = titles(site);
    let mut s = String::new();
    let _ = writeln!(s, "# 发布记录：{}\n", site.config.title);
    let _ = writeln!(s, "- 发布包：{}", archive.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default());
    let _ = writeln!(s, "- 构建日期：{}", crate::dates::format_zh(site.build_date));
    let _ = writeln!(s, "- 网址：{}", site.config.base_url);
    let _ = writeln!(s, "- 合规检查：没有阻止发布的错误；其他提示 {warnings} 条（见 gongshi check）");
    match &c.previous {
        Some(p) => {
            let _ = writeln!(s, "- 对比上一次发布：{p}");
        }
        None => {
            let _ = writeln!(s, "- 首次发布：全部文件均为新增");
        }
    }
    let _ = writeln!(s, "- 新增 {} 个、修改 {} 个、删除 {} 个文件\n", c.added.len(), c.changed.len(), c.removed.len());
    for (head, list) in [("新增", &c.added), ("修改", &c.changed), ("删除", &c.removed)] {
        let _ = writeln!(s, "## {head}（{}）\n", list.len());
        let (pages, files): (Vec<&String>, Vec<&String>) = list.iter().partition(|p| p.ends_with(".html"));
        for p in pages {
            let t = titles.get(p.as_str()).map(String::as_str).unwrap_or("");
            let _ = writeln!(s, "- 页面 `{p}` {t}");
        }
        if !files.is_empty() {
            let _ = writeln!(s, "- 其他文件 {} 个：{}", files.len(), files.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join("、"));
        }
        s.push('\n');
    }
    let _ = writeln!(s, "## 审核\n\n上传前请逐项核对上述新增、修改和删除的页面。\n\n- 初审：________  日期：________\n- 复审：________  日期：________\n- 终审：________  日期：________\n\n上传后在网站目录中运行 `sha256sum -c {stem}.manifest.sha256` 核对文件完整。");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diffs_manifests() {
        let old = parse_manifest("aa  index.html\nbb  news/a/index.html\ncc  gone.html\n");
        let new = parse_manifest("aa  index.html\nbx  news/a/index.html\ndd  news/b/index.html\n");
        let c = diff(&old, &new);
        assert_eq!(c.added, vec!["news/b/index.html"]);
        assert_eq!(c.changed, vec!["news/a/index.html"]);
        assert_eq!(c.removed, vec!["gone.html"]);
    }
}

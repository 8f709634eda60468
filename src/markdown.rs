//! Markdown to HTML: GFM tables, footnotes, strikethrough and task lists;
//! heading ids that keep Chinese characters; a table of contents; and links
//! rewritten so they resolve under any sub-path.

use crate::diag::Diagnostic;
use crate::model::Heading;
use crate::msg;
use pulldown_cmark::{CowStr, Event, HeadingLevel, Options, Parser, Tag, TagEnd};
use std::collections::{BTreeMap, HashSet};

/// What a relative link in Markdown may point at.
pub struct Links<'a> {
    /// Content path (`content/news/a.md`) → output path (`news/a/`), for pages and sections.
    pub pages: &'a BTreeMap<String, String>,
    /// Content paths of files copied as they are (`content/news/photo.jpg`).
    pub assets: &'a HashSet<String>,
    /// `/` or the site's sub-path (`/ztzl/sbdb/`).
    pub base_path: &'a str,
}

#[derive(Clone)]
pub struct Rendered {
    pub html: std::sync::Arc<str>,
    pub toc: Vec<Heading>,
    /// The text without markup, for summaries, feeds and search.
    pub text: std::sync::Arc<str>,
}

/// Renders the body of `file` (which starts at `body_line` of the file).
pub fn render(file: &str, body: &str, body_line: usize, links: &Links<'_>, errors: &mut Vec<Diagnostic>) -> Rendered {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS;
    let dir = file.rsplit_once('/').map_or("", |(d, _)| d);
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut toc = Vec::new();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut text = String::new();
    let mut heading: Option<(HeadingLevel, Vec<Event<'_>>)> = None;

    for (event, range) in Parser::new_ext(body, opts).into_offset_iter() {
        let event = match event {
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest = rewrite(&dest_url, dir, links).unwrap_or_else(|m| {
                    errors.push(link_error(file, body, body_line, range.start, &dest_url, m));
                    dest_url.to_string()
                });
                Event::Start(Tag::Link { link_type, dest_url: dest.into(), title, id })
            }
            Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
                let dest = rewrite(&dest_url, dir, links).unwrap_or_else(|m| {
                    errors.push(link_error(file, body, body_line, range.start, &dest_url, m));
                    dest_url.to_string()
                });
                Event::Start(Tag::Image { link_type, dest_url: dest.into(), title, id })
            }
            other => other,
        };
        if let Event::Text(t) | Event::Code(t) = &event {
            text.push_str(t);
        }
        if matches!(event, Event::End(TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::TableCell)) || matches!(event, Event::SoftBreak | Event::HardBreak) {
            if !text.ends_with(' ') && !text.is_empty() {
                text.push(' ');
            }
        }
        match event {
            Event::Start(Tag::Heading { level, .. }) => heading = Some((level, Vec::new())),
            Event::End(TagEnd::Heading(_)) => {
                let (level, inner) = heading.take().unwrap_or((HeadingLevel::H2, Vec::new()));
                let title: String = inner
                    .iter()
                    .filter_map(|e| match e {
                        Event::Text(t) | Event::Code(t) => Some(t.as_ref()),
                        _ => None,
                    })
                    .collect();
                let id = unique_id(&slugify(&title), &mut used_ids);
                let n = level as u8;
                toc.push(Heading { level: n, id: id.clone(), title: title.trim().to_owned() });
                events.push(Event::Html(CowStr::from(format!("<h{n} id=\"{}\">", escape_attr(&id)))));
                events.extend(inner);
                events.push(Event::Html(CowStr::from(format!("</h{n}>\n"))));
            }
            e if heading.is_some() => heading.as_mut().unwrap().1.push(e),
            // A task-list box says in words whether it is done, for screen readers.
            Event::TaskListMarker(done) => events.push(Event::Html(CowStr::Borrowed(if done {
                "<input type=\"checkbox\" disabled checked aria-label=\"已完成\"> "
            } else {
                "<input type=\"checkbox\" disabled aria-label=\"未完成\"> "
            }))),
            Event::Start(Tag::Table(a)) => {
                // Wide tables scroll inside their own box on phones; the box is
                // focusable so keyboard users can scroll it too.
                events.push(Event::Html(CowStr::Borrowed("<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-label=\"表格\">")));
                events.push(Event::Start(Tag::Table(a)));
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                events.push(Event::Html(CowStr::Borrowed("</div>\n")));
            }
            e => events.push(e),
        }
    }
    let mut html = String::with_capacity(body.len() * 3 / 2);
    pulldown_cmark::html::push_html(&mut html, events.into_iter());
    Rendered { html: html.into(), toc, text: text.trim().into() }
}

/// A heading id: letters (Chinese included) and digits kept, the rest joined by `-`.
pub fn slugify(title: &str) -> String {
    let mut out = String::new();
    for c in title.trim().chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() { "section".to_owned() } else { out }
}

fn unique_id(base: &str, used: &mut HashSet<String>) -> String {
    let mut id = base.to_owned();
    let mut n = 1;
    while !used.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;").replace('"', "&quot;").replace('<', "&lt;")
}

/// Rewrites a link target as written in `dir` into a URL that works under the
/// site's base path. External links, anchors and mail links are left alone.
fn rewrite(dest: &str, dir: &str, links: &Links<'_>) -> Result<String, crate::lang::Msg> {
    if dest.is_empty() || dest.starts_with('#') || dest.contains("://") || dest.starts_with("mailto:") || dest.starts_with("tel:") || dest.starts_with("//") {
        return Ok(dest.to_owned());
    }
    let (path, frag) = match dest.split_once('#') {
        Some((p, f)) => (p, Some(f)),
        None => (dest, None),
    };
    let frag = frag.map(|f| format!("#{f}")).unwrap_or_default();
    let decoded = percent_decode(path);
    if let Some(root_rel) = decoded.strip_prefix('/') {
        // Root-relative as staff think of it: `/documents/` means the site's own root.
        let target = format!("content/{root_rel}");
        if let Some(p) = lookup_md(&target, links) {
            return Ok(format!("{}{p}{frag}", links.base_path));
        }
        return Ok(format!("{}{}{frag}", links.base_path, root_rel));
    }
    let joined = join(dir, &decoded);
    if let Some(p) = lookup_md(&joined, links) {
        return Ok(format!("{}{p}{frag}", links.base_path));
    }
    if decoded.ends_with(".md") {
        return Err(msg!("链接的页面不存在：{dest}", "linked page does not exist: {dest}"));
    }
    if links.assets.contains(&joined) {
        let out = joined.strip_prefix("content/").unwrap_or(&joined);
        return Ok(format!("{}{out}{frag}", links.base_path));
    }
    if decoded.ends_with('/') || !decoded.rsplit('/').next().unwrap_or("").contains('.') {
        // A folder-style link to a section or page, e.g. `../news/`.
        let as_index = format!("{}/_index.md", joined.trim_end_matches('/'));
        if let Some(p) = links.pages.get(&as_index) {
            return Ok(format!("{}{p}{frag}", links.base_path));
        }
    }
    Err(msg!("链接的文件不存在：{dest}", "linked file does not exist: {dest}"))
}

fn lookup_md<'l>(content_path: &str, links: &'l Links<'_>) -> Option<&'l String> {
    if content_path.ends_with(".md") {
        links.pages.get(content_path)
    } else {
        None
    }
}

/// `a/b` + `../c.md` → `a/c.md`.
pub(crate) fn join(dir: &str, rel: &str) -> String {
    let mut parts: Vec<&str> = dir.split('/').filter(|p| !p.is_empty()).collect();
    for seg in rel.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(b) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(b);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8(out).unwrap_or_else(|_| s.to_owned())
}

fn link_error(file: &str, body: &str, body_line: usize, offset: usize, dest: &str, m: crate::lang::Msg) -> Diagnostic {
    let line_in_body = body[..offset].matches('\n').count();
    let line_start = body[..offset].rfind('\n').map_or(0, |i| i + 1);
    let line_text = body[line_start..].lines().next().unwrap_or("");
    let col = line_text.find(dest).map_or(body[line_start..offset].chars().count() + 1, |b| line_text[..b].chars().count() + 1);
    let text = "\n".repeat(body_line - 1 + line_in_body) + line_text;
    Diagnostic::error("broken-link", file, m)
        .at(&text, body_line + line_in_body, col, dest.chars().count())
        .with_help(msg!("检查文件名和路径；链接其他页面时写它的 .md 文件的相对路径", "check the file name and path; link to another page by the relative path of its .md file"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_simple(md: &str) -> (Rendered, Vec<Diagnostic>) {
        let mut pages = BTreeMap::new();
        pages.insert("content/documents/plan.md".to_owned(), "documents/plan/".to_owned());
        pages.insert("content/news/_index.md".to_owned(), "news/".to_owned());
        let mut assets = HashSet::new();
        assets.insert("content/news/photo.jpg".to_owned());
        let links = Links { pages: &pages, assets: &assets, base_path: "/a/b/" };
        let mut errs = Vec::new();
        let r = render("content/news/x.md", md, 4, &links, &mut errs);
        (r, errs)
    }

    #[test]
    fn chinese_heading_ids_are_kept_and_unique() {
        let (r, _) = render_simple("## 一、指导思想\n\n## 一、指导思想\n\n### Task 3: 进度\n");
        assert!(r.html.contains("<h2 id=\"一-指导思想\">一、指导思想</h2>"), "{}", r.html);
        assert!(r.html.contains("<h2 id=\"一-指导思想-1\">"), "{}", r.html);
        assert!(r.html.contains("<h3 id=\"task-3-进度\">"), "{}", r.html);
        assert_eq!(r.toc.len(), 3);
    }

    #[test]
    fn gfm_extensions() {
        let (r, _) = render_simple("|a|b|\n|-|-|\n|1|2|\n\n~~del~~\n\n- [x] done\n\n注[^1]\n\n[^1]: 脚注\n");
        assert!(r.html.contains("<table>"));
        assert!(r.html.contains("<del>del</del>"));
        assert!(r.html.contains("checkbox"));
        assert!(r.html.contains("footnote"));
    }

    #[test]
    fn links_resolve_under_the_base_path() {
        let (r, errs) = render_simple("[方案](../documents/plan.md#附件) ![图](photo.jpg) [栏目](../news/) [外](https://gov.cn/)\n");
        assert!(errs.is_empty(), "{errs:?}");
        assert!(r.html.contains("href=\"/a/b/documents/plan/#%E9%99%84%E4%BB%B6\"") || r.html.contains("href=\"/a/b/documents/plan/#附件\""), "{}", r.html);
        assert!(r.html.contains("src=\"/a/b/news/photo.jpg\""), "{}", r.html);
        assert!(r.html.contains("href=\"/a/b/news/\""), "{}", r.html);
        assert!(r.html.contains("href=\"https://gov.cn/\""));
    }

    #[test]
    fn broken_link_is_an_error_with_its_line() {
        let (_, errs) = render_simple("正文\n\n见[方案](../documents/plann.md)。\n");
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].location(), "content/news/x.md:6:7");
    }
}

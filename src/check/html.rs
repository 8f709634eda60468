//! A small scanner for the HTML gongshi itself writes: tags with their
//! attributes and byte offsets, and the text between them. Enough for link,
//! meta and accessibility rules; not a general HTML parser.

use std::borrow::Cow;

/// One start or end tag. Names and values borrow from the page unless they
/// had to change (upper case, entities): a page has thousands of tags, and a
/// `String` each showed as most of the check's time in profiles.
#[derive(Debug, Clone)]
pub struct Tag<'h> {
    /// Lower-case tag name, without `/`.
    pub name: Cow<'h, str>,
    pub closing: bool,
    pub attrs: Vec<(Cow<'h, str>, Cow<'h, str>)>,
    /// Byte offset of `<` in the document.
    pub offset: usize,
    /// The raw tag text.
    pub raw: &'h str,
}

impl Tag<'_> {
    pub fn attr(&self, name: &str) -> Option<&str> {
        self.attrs.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_ref())
    }
}

/// All tags in document order; comments, doctype and the insides of
/// `<script>` and `<style>` are skipped.
pub fn tags(html: &str) -> Vec<Tag<'_>> {
    // About one tag per 40 bytes of the pages gongshi writes.
    let mut out = Vec::with_capacity(html.len() / 40);
    let mut i = 0;
    while let Some(lt) = html[i..].find('<').map(|p| p + i) {
        let rest = &html[lt..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(html.len(), |p| lt + p + 3);
            continue;
        }
        if rest.starts_with("<!") {
            i = rest.find('>').map_or(html.len(), |p| lt + p + 1);
            continue;
        }
        let Some(gt) = find_tag_end(html, lt) else { break };
        let raw = &html[lt..=gt];
        let inner = raw[1..raw.len() - 1].trim_end_matches('/');
        let closing = inner.starts_with('/');
        let inner = inner.trim_start_matches('/');
        let name_end = inner.find(|c: char| c.is_whitespace()).unwrap_or(inner.len());
        let name = &inner[..name_end];
        if name.is_empty() || !name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-') {
            i = lt + 1;
            continue;
        }
        let name = lower(name);
        let attrs = if closing { Vec::new() } else { parse_attrs(&inner[name_end..]) };
        i = gt + 1;
        if !closing && (name == "script" || name == "style") {
            // gongshi writes lower-case tags; searching in place avoids copying the page.
            let close = if name == "script" { "</script" } else { "</style" };
            i = html[i..].find(close).map_or(html.len(), |p| i + p);
        }
        out.push(Tag { name, closing, attrs, offset: lt, raw });
    }
    out
}

/// `s` in ASCII lower case, copied only when it has an upper-case letter.
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) { Cow::Owned(s.to_ascii_lowercase()) } else { Cow::Borrowed(s) }
}

fn find_tag_end(html: &str, lt: usize) -> Option<usize> {
    // Quotes and `>` are ASCII, so bytes will do (and never split a character).
    let mut quote: Option<u8> = None;
    for (k, &c) in html.as_bytes()[lt..].iter().enumerate() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') => quote = Some(c),
            (None, b'>') => return Some(lt + k),
            _ => {}
        }
    }
    None
}

fn parse_attrs(s: &str) -> Vec<(Cow<'_, str>, Cow<'_, str>)> {
    // Sized once: attributes nearly all have a value, so one `=` each.
    let mut out = Vec::with_capacity(s.bytes().filter(|&b| b == b'=').count());
    let mut rest = s.trim_start();
    while !rest.is_empty() {
        let name_end = rest.find(|c: char| c.is_whitespace() || c == '=').unwrap_or(rest.len());
        let name = lower(&rest[..name_end]);
        rest = rest[name_end..].trim_start();
        let mut value = Cow::Borrowed("");
        if let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            if let Some(q) = r.chars().next().filter(|c| *c == '"' || *c == '\'') {
                let end = r[1..].find(q).map_or(r.len(), |p| p + 1);
                value = unescape_cow(&r[1..end]);
                rest = r.get(end + 1..).unwrap_or("").trim_start();
            } else {
                let end = r.find(char::is_whitespace).unwrap_or(r.len());
                value = unescape_cow(&r[..end]);
                rest = r[end..].trim_start();
            }
        }
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

/// The few entities the writers emit.
pub fn unescape(s: &str) -> String {
    unescape_cow(s).into_owned()
}

/// [`unescape`], borrowing when there is nothing to replace (nearly always).
pub fn unescape_cow(s: &str) -> Cow<'_, str> {
    if !s.contains('&') {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
}

/// Text between `from` and `to` byte offsets with tags removed and whitespace collapsed.
pub fn text_between(html: &str, from: usize, to: usize) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in html[from..to].chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    unescape(&out.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let col = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_tags_and_attributes() {
        let h = "<!DOCTYPE html><a href=\"/x/?a=1&amp;b=2\" class=leave>文</a><!-- <a href=no> --><script>if (a<b) {}</script><img alt='' src=p.png>";
        let t = tags(h);
        let names: Vec<_> = t.iter().map(|t| (&*t.name, t.closing)).collect();
        assert_eq!(names, vec![("a", false), ("a", true), ("script", false), ("script", true), ("img", false)]);
        assert_eq!(t[0].attr("href"), Some("/x/?a=1&b=2"));
        assert_eq!(t[0].attr("class"), Some("leave"));
        assert_eq!(t[4].attr("alt"), Some(""));
        assert_eq!(text_between(h, t[0].offset, t[1].offset + 4), "文");
        assert_eq!(line_col("a\nbc", 3), (2, 2));
    }
}

//! A small scanner for the HTML gongshi itself writes: tags with their
//! attributes and byte offsets, and the text between them. Enough for link,
//! meta and accessibility rules; not a general HTML parser.

use std::borrow::Cow;

/// One start or end tag. Names and values borrow from the page unless they
/// had to change (upper case, entities): a page has thousands of tags, and a
/// `String` each showed as most of the check's time in profiles. The
/// attributes of all tags share one vector ([`Parsed`]).
#[derive(Debug, Clone)]
pub struct Tag<'p> {
    /// Lower-case tag name, without `/`.
    pub name: &'p str,
    pub closing: bool,
    pub attrs: &'p [(Cow<'p, str>, Cow<'p, str>)],
    /// Byte offset of `<` in the document.
    pub offset: usize,
    /// The raw tag text.
    pub raw: &'p str,
}

impl Tag<'_> {
    pub fn attr(&self, name: &str) -> Option<&str> {
        // Length and first byte first: most names differ in one of them, and
        // a full comparison calls `memcmp` (the rules ask ~8 names of every tag).
        let first = name.as_bytes().first();
        self.attrs.iter().find(|(n, _)| n.len() == name.len() && n.as_bytes().first() == first && n == name).map(|(_, v)| v.as_ref())
    }
}

/// A page's tags, parsed once; [`Parsed::tags`] lists them.
pub struct Parsed<'h> {
    entries: Vec<Entry<'h>>,
    attrs: Vec<(Cow<'h, str>, Cow<'h, str>)>,
}

struct Entry<'h> {
    name: Cow<'h, str>,
    closing: bool,
    attrs: std::ops::Range<usize>,
    offset: usize,
    raw: &'h str,
}

impl Parsed<'_> {
    /// All tags in document order.
    pub fn tags(&self) -> Vec<Tag<'_>> {
        self.entries.iter().map(|e| Tag { name: &e.name, closing: e.closing, attrs: &self.attrs[e.attrs.clone()], offset: e.offset, raw: e.raw }).collect()
    }
}

/// Parses every tag of `html`; comments, doctype and the insides of
/// `<script>` and `<style>` are skipped.
pub fn parse(html: &str) -> Parsed<'_> {
    // One entry per `<` at most (counted with SIMD; growing the vectors
    // showed in profiles), and about one attribute per tag.
    let lts = memchr::memchr_iter(b'<', html.as_bytes()).count();
    let mut entries = Vec::with_capacity(lts);
    let mut attrs = Vec::with_capacity(lts);
    let bytes = html.as_bytes();
    let mut i = 0;
    let comment_end = memchr::memmem::Finder::new(b"-->");
    let (script_end, style_end) = (memchr::memmem::Finder::new(b"</script"), memchr::memmem::Finder::new(b"</style"));
    while let Some(lt) = memchr::memchr(b'<', &bytes[i..]).map(|p| p + i) {
        let rest = &bytes[lt..];
        if rest.starts_with(b"<!--") {
            i = comment_end.find(rest).map_or(html.len(), |p| lt + p + 3);
            continue;
        }
        if rest.starts_with(b"<!") {
            i = memchr::memchr(b'>', rest).map_or(html.len(), |p| lt + p + 1);
            continue;
        }
        let from = attrs.len();
        let entry = match plain_tag(html, lt, &mut attrs) {
            Some(e) => e,
            None => {
                attrs.truncate(from);
                match any_tag(html, lt, &mut attrs) {
                    Step::Tag(e) => e,
                    Step::NotATag => {
                        i = lt + 1;
                        continue;
                    }
                    Step::End => break,
                }
            }
        };
        i = lt + entry.raw.len();
        if !entry.closing && (entry.name == "script" || entry.name == "style") {
            // gongshi writes lower-case tags; searching in place avoids copying the page.
            let close = if entry.name == "script" { &script_end } else { &style_end };
            i = close.find(&bytes[i..]).map_or(html.len(), |p| i + p);
        }
        entries.push(entry);
    }
    Parsed { entries, attrs }
}

enum Step<'h> {
    Tag(Entry<'h>),
    /// A `<` that starts no tag (`a < b`).
    NotATag,
    /// A quote left open: the rest of the page is inside the tag.
    End,
}

/// The tag at `lt`, read by the rules below in full: what [`plain_tag`]
/// leaves to it.
fn any_tag<'h>(html: &'h str, lt: usize, attrs: &mut Vec<(Cow<'h, str>, Cow<'h, str>)>) -> Step<'h> {
    let Some(gt) = find_tag_end(html.as_bytes(), lt) else { return Step::End };
    let raw = &html[lt..=gt];
    let inner = raw[1..raw.len() - 1].trim_end_matches('/');
    let closing = inner.starts_with('/');
    let inner = inner.trim_start_matches('/');
    let name_end = word_end(inner, 0, false);
    let name = &inner[..name_end];
    if name.is_empty() || !name.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-') {
        return Step::NotATag;
    }
    let from = attrs.len();
    if !closing {
        parse_attrs(&inner[name_end..], attrs);
    }
    Step::Tag(Entry { name: lower(name), closing, attrs: from..attrs.len(), offset: lt, raw })
}

/// The tag at `lt` in one pass, when it is written as gongshi writes tags:
/// an ASCII name, attributes with ASCII names, values quoted or plain ASCII,
/// ASCII spaces. `None` for anything else (a quote out of place, a space
/// that is not ASCII, `//`), which [`any_tag`] then reads; it gives the same
/// answer for every tag this one reads (a test compares them). Reading each
/// tag once, not first to its end and then again for its attributes, halved
/// the scan of a page.
fn plain_tag<'h>(html: &'h str, lt: usize, attrs: &mut Vec<(Cow<'h, str>, Cow<'h, str>)>) -> Option<Entry<'h>> {
    let b = html.as_bytes();
    let space = |c: u8| c == b' ' || (b'\t'..=b'\r').contains(&c);
    let mut i = lt + 1;
    let closing = b.get(i) == Some(&b'/');
    if closing {
        i += 1;
    }
    let name_start = i;
    while b.get(i).is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-') {
        i += 1;
    }
    // The name ends at a space, `>` or `/` (`<a.b>` is no tag).
    if i == name_start || !b.get(i).is_some_and(|&c| space(c) || c == b'>' || c == b'/') {
        return None;
    }
    let name = lower(&html[name_start..i]);
    let from = attrs.len();
    let end = |gt: usize, attrs: &Vec<_>| Some(Entry { name, closing, attrs: from..attrs.len(), offset: lt, raw: &html[lt..=gt] });
    if closing {
        return if b.get(i) == Some(&b'>') { end(i, attrs) } else { None };
    }
    loop {
        // Between attributes.
        match *b.get(i)? {
            b'>' => return end(i, attrs),
            b'/' => return if b.get(i + 1) == Some(&b'>') { end(i + 1, attrs) } else { None },
            c if space(c) => {
                i += 1;
                continue;
            }
            c if c >= 0x80 || c == b'"' || c == b'\'' || c == b'=' => return None,
            _ => {}
        }
        // A name, up to a space, `=`, `>` or `/>`.
        let n = i;
        loop {
            match *b.get(i)? {
                c if space(c) || c == b'=' || c == b'>' || c == b'/' => break,
                c if c >= 0x80 || c == b'"' || c == b'\'' => return None,
                _ => i += 1,
            }
        }
        let attr = lower(&html[n..i]);
        if b[i] == b'/' && b.get(i + 1) != Some(&b'>') {
            return None;
        }
        while b.get(i).copied().is_some_and(space) {
            i += 1;
        }
        if b.get(i) != Some(&b'=') {
            attrs.push((attr, Cow::Borrowed("")));
            continue;
        }
        i += 1;
        while b.get(i).copied().is_some_and(space) {
            i += 1;
        }
        let value = match *b.get(i)? {
            q @ (b'"' | b'\'') => {
                let close = i + 1 + memchr::memchr(q, &b[i + 1..])?;
                let v = &html[i + 1..close];
                i = close + 1;
                v
            }
            _ => {
                // Plain: up to a space or the tag's end, without the `/` of `/>`.
                let v = i;
                loop {
                    match *b.get(i)? {
                        c if space(c) || c == b'>' => break,
                        c if c >= 0x80 || c == b'"' || c == b'\'' => return None,
                        _ => i += 1,
                    }
                }
                if b[i] == b'>' { html[v..i].trim_end_matches('/') } else { &html[v..i] }
            }
        };
        attrs.push((attr, unescape_cow(value)));
    }
}

/// `s` in ASCII lower case, copied only when it has an upper-case letter.
fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) { Cow::Owned(s.to_ascii_lowercase()) } else { Cow::Borrowed(s) }
}

fn find_tag_end(html: &[u8], lt: usize) -> Option<usize> {
    // Quotes and `>` are ASCII, so bytes will do (and never split a character):
    // the next of them, then past a quoted value in one search.
    let mut i = lt;
    loop {
        let k = i + memchr::memchr3(b'>', b'"', b'\'', &html[i..])?;
        if html[k] == b'>' {
            return Some(k);
        }
        let q = html[k];
        i = k + 2 + memchr::memchr(q, &html[k + 1..])?;
    }
}

/// `char::is_whitespace` of the character at byte `i` of `s`, with ASCII
/// decided without decoding: its length if it is white space.
fn space_at(s: &str, i: usize) -> Option<usize> {
    let b = *s.as_bytes().get(i)?;
    if b < 0x80 {
        return (b == b' ' || (b'\t'..=b'\r').contains(&b)).then_some(1);
    }
    s[i..].chars().next().filter(|c| c.is_whitespace()).map(char::len_utf8)
}

/// Past the white space at byte `i` of `s`.
#[inline]
fn skip_space(s: &str, mut i: usize) -> usize {
    while let Some(n) = space_at(s, i) {
        i += n;
    }
    i
}

/// Where the word at byte `i` of `s` ends: at white space, or at `=` too.
#[inline]
fn word_end(s: &str, mut i: usize, at_eq: bool) -> usize {
    let b = s.as_bytes();
    while i < b.len() {
        let c = b[i];
        if c < 0x80 {
            if c == b' ' || (b'\t'..=b'\r').contains(&c) || (at_eq && c == b'=') {
                break;
            }
            i += 1;
        } else {
            match s[i..].chars().next() {
                Some(ch) if !ch.is_whitespace() => i += ch.len_utf8(),
                _ => break,
            }
        }
    }
    i
}

fn parse_attrs<'h>(s: &'h str, out: &mut Vec<(Cow<'h, str>, Cow<'h, str>)>) {
    let b = s.as_bytes();
    let mut i = skip_space(s, 0);
    while i < b.len() {
        let name_end = word_end(s, i, true);
        let name = lower(&s[i..name_end]);
        i = skip_space(s, name_end);
        let mut value = Cow::Borrowed("");
        if b.get(i) == Some(&b'=') {
            i = skip_space(s, i + 1);
            match b.get(i) {
                Some(&q) if q == b'"' || q == b'\'' => {
                    let end = memchr::memchr(q, &b[i + 1..]).map_or(b.len(), |p| i + 1 + p);
                    value = unescape_cow(&s[i + 1..end]);
                    i = skip_space(s, (end + 1).min(b.len()));
                }
                _ => {
                    let end = word_end(s, i, false);
                    value = unescape_cow(&s[i..end]);
                    i = skip_space(s, end);
                }
            }
        }
        if !name.is_empty() {
            out.push((name, value));
        }
    }
}

/// The few entities the writers emit.
pub fn unescape(s: &str) -> String {
    unescape_cow(s).into_owned()
}

/// [`unescape`], borrowing when there is nothing to replace (nearly always).
pub fn unescape_cow(s: &str) -> Cow<'_, str> {
    // Most values are short: an inline search beats a call into SIMD code.
    let has_amp = if s.len() < 64 { s.as_bytes().contains(&b'&') } else { memchr::memchr(b'&', s.as_bytes()).is_some() };
    if !has_amp {
        return Cow::Borrowed(s);
    }
    Cow::Owned(s.replace("&quot;", "\"").replace("&#39;", "'").replace("&#x27;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&"))
}

/// Text between `from` and `to` byte offsets with tags removed and whitespace collapsed.
pub fn text_between(html: &str, from: usize, to: usize) -> String {
    // Runs of text, not character by character (a footer is read twice a page).
    let mut text = String::with_capacity(to - from);
    let mut in_tag = false;
    let mut rest = &html[from..to];
    while !rest.is_empty() {
        let cut = memchr::memchr2(b'<', b'>', rest.as_bytes()).unwrap_or(rest.len());
        if !in_tag {
            text.push_str(&rest[..cut]);
        }
        match rest.as_bytes().get(cut) {
            Some(b'<') => in_tag = true,
            Some(_) => in_tag = false,
            None => {}
        }
        rest = rest.get(cut + 1..).unwrap_or("");
    }
    let mut out = String::with_capacity(text.len());
    for w in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    unescape(&out)
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
        let parsed = parse(h);
        let t = parsed.tags();
        let names: Vec<_> = t.iter().map(|t| (t.name, t.closing)).collect();
        assert_eq!(names, vec![("a", false), ("a", true), ("script", false), ("script", true), ("img", false)]);
        assert_eq!(t[0].attr("href"), Some("/x/?a=1&b=2"));
        assert_eq!(t[0].attr("class"), Some("leave"));
        assert_eq!(t[4].attr("alt"), Some(""));
        assert_eq!(text_between(h, t[0].offset, t[1].offset + 4), "文");
        assert_eq!(line_col("a\nbc", 3), (2, 2));
        // Text runs join across tags; white space collapses; a stray `>` is dropped.
        let f = "<footer> 主办<b>单位</b>：x  &amp; y > <a\thref='/m'\u{3000}class=K>邮箱</a>\n</footer>";
        assert_eq!(text_between(f, 0, f.len()), "主办单位：x & y 邮箱");
        let p = parse(f);
        let t = p.tags();
        assert_eq!(t[3].name, "a");
        assert_eq!(t[3].attr("href"), Some("/m"));
        assert_eq!(t[3].attr("class"), Some("K"), "U+3000 separates attributes, as char::is_whitespace says");
        assert_eq!(parse("<p title=\"a>b\" id=x>").tags()[0].attr("id"), Some("x"), "> inside quotes");
        assert_eq!(parse("<p title=\"a>b>").tags().len(), 0, "an unclosed quote hides the rest");
    }

    /// `plain_tag` reads a tag only when it reads it as `any_tag` does:
    /// random tags from the characters that matter, each compared.
    #[test]
    fn the_one_pass_reading_agrees_with_the_full_one() {
        const PIECES: &[&str] = &["a", "Href", "-", "1", " ", "\t", "\n", "=", "\"", "'", "/", ">", "&amp;", "x", "中", "\u{3000}", "<", ".", ":", "//", "=\"v\"", " b='w'", " href=\"/x/?a=1&amp;b\"", " id=y", " hidden", " data-a='1>2'", " c = \"中\"", " v=/p/"];
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = |n: usize| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed % n as u64) as usize
        };
        let (mut read, mut total) = (0, 0);
        for _ in 0..200_000 {
            let mut tag = String::from(if next(3) == 0 { "</" } else { "<" });
            tag.push_str(["a", "img", "META", "h1", "x-y"][next(5)]);
            for _ in 0..next(8) {
                // Mostly whole attributes, as pages have them.
                let k = if next(3) == 0 { next(PIECES.len()) } else { PIECES.len() - 1 - next(6) };
                tag.push_str(PIECES[k]);
            }
            if next(4) > 0 {
                tag.push('>');
            }
            tag.push_str("tail>");
            total += 1;
            let (mut fast, mut full) = (Vec::new(), Vec::new());
            let Some(e) = plain_tag(&tag, 0, &mut fast) else { continue };
            read += 1;
            let Step::Tag(f) = any_tag(&tag, 0, &mut full) else { panic!("{tag:?}: read as a tag in one pass only") };
            assert_eq!((&e.name, e.closing, e.raw, e.offset), (&f.name, f.closing, f.raw, f.offset), "{tag:?}");
            assert_eq!(fast, full, "{tag:?}");
        }
        // Most are read in one pass, and many are left to the full reading.
        assert!(read > total / 4 && read < total * 3 / 4, "{read} of {total} read in one pass");
    }
}

//! Reading text files as staff save them: UTF-8 with or without a BOM, LF or
//! CRLF. A file in another encoding (GBK from a Windows editor, typically) is
//! an error that says where and how to fix it, never silently garbled text.

use crate::diag::Diagnostic;
use crate::msg;

/// `std::str::from_utf8`, with a SIMD validator for the usual case of
/// valid text (the error, with its position, from the standard one).
pub fn utf8(bytes: &[u8]) -> Result<&str, std::str::Utf8Error> {
    match simdutf8::basic::from_utf8(bytes) {
        Ok(s) => Ok(s),
        Err(_) => std::str::from_utf8(bytes),
    }
}

/// Decodes `bytes` of the file `rel` (for messages) into text with `\n` line ends.
pub fn decode_text(rel: &str, bytes: &[u8]) -> Result<String, Diagnostic> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match utf8(bytes) {
        Ok(s) => Ok(normalize_newlines(s)),
        Err(e) => Err(not_utf8(rel, bytes, e.valid_up_to())),
    }
}

/// CRLF and lone CR become LF, so line numbers match what editors show.
pub fn normalize_newlines(s: &str) -> String {
    if !s.contains('\r') {
        return s.to_owned();
    }
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Whether the bytes decode cleanly as GBK (the usual Windows encoding here).
pub fn looks_like_gbk(bytes: &[u8]) -> bool {
    let (_, _, had_errors) = encoding_rs::GBK.decode(bytes);
    !had_errors
}

fn not_utf8(rel: &str, bytes: &[u8], bad: usize) -> Diagnostic {
    let line = bytes[..bad].iter().filter(|&&b| b == b'\n').count() + 1;
    let line_start = bytes[..bad].iter().rposition(|&b| b == b'\n').map_or(0, |i| i + 1);
    let line_end = bytes[bad..].iter().position(|&b| b == b'\n').map_or(bytes.len(), |i| bad + i);
    let gbk = looks_like_gbk(bytes);
    // Quote the line as the editor would show it: decoded as GBK when that works.
    let (shown, _, _) = encoding_rs::GBK.decode(&bytes[line_start..line_end]);
    let prefix = encoding_rs::GBK.decode(&bytes[line_start..bad]).0;
    let col = prefix.chars().count() + 1;
    let text: String = "\n".repeat(line - 1) + shown.trim_end_matches('\r');
    let message = if gbk {
        msg!("文件不是 UTF-8 编码（看起来是 GBK 编码）", "file is not UTF-8 (it looks like GBK)")
    } else {
        msg!("文件不是 UTF-8 编码", "file is not UTF-8")
    };
    Diagnostic::error("encoding", rel, message).at(&text, line, col, 1).with_help(msg!(
        "用记事本或 WPS 打开此文件，选择“另存为”，编码选“UTF-8”后保存",
        "open the file in your editor and save it again with the encoding \"UTF-8\""
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_and_crlf_are_fine() {
        let t = decode_text("a.md", b"\xEF\xBB\xBF---\r\ntitle: x\r\n---\r\n").unwrap();
        assert_eq!(t, "---\ntitle: x\n---\n");
    }

    #[test]
    fn gbk_is_named_with_line_and_column() {
        let (gbk, _, _) = encoding_rs::GBK.encode("---\ntitle: 公示\n---\n");
        let d = decode_text("content/a.md", &gbk).unwrap_err();
        assert_eq!(d.location(), "content/a.md:2:8");
        assert_eq!(d.source_line.as_deref(), Some("title: 公示"));
        assert!(d.message.en.contains("GBK"));
    }
}

//! The built site as data: every output file with its bytes (or where to copy
//! them from, or where it was already written), sorted by path. `write` puts
//! it on disk; `serve` keeps it in memory.

use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub enum Data {
    Bytes(Vec<u8>),
    /// Copied from this file as it is.
    File(PathBuf),
    Static(&'static [u8]),
    /// Already written to this file (in the staging folder) while rendering,
    /// with its SHA-256, so no page of a large site is held in memory.
    Staged { file: PathBuf, sha256: [u8; 32], len: usize },
}

#[derive(Debug, Clone)]
pub struct OutFile {
    /// Relative to the output folder, `/`-separated, e.g. `news/a/index.html`.
    pub path: String,
    pub data: Data,
}

#[derive(Debug, Clone, Default)]
pub struct Output {
    pub files: Vec<OutFile>,
}

/// Where each made file goes, as it is made: the answer is how the output
/// refers to it: its bytes in memory ([`Data::Bytes`]), or the file it was
/// written to with its SHA-256 ([`Data::Staged`]); never anything else.
pub type Put<'a> = &'a (dyn Fn(&str, Vec<u8>) -> std::io::Result<Data> + Sync);

/// Keeps every file in memory.
pub fn keep_in_memory(_: &str, bytes: Vec<u8>) -> std::io::Result<Data> {
    Ok(Data::Bytes(bytes))
}

/// Name of the SHA-256 manifest written at the top of the output.
pub const MANIFEST: &str = "manifest.sha256";

impl Data {
    pub fn bytes(&self) -> std::io::Result<Cow<'_, [u8]>> {
        match self {
            Data::Bytes(b) => Ok(Cow::Borrowed(b)),
            Data::Static(b) => Ok(Cow::Borrowed(b)),
            Data::File(p) => std::fs::read(p).map(Cow::Owned),
            Data::Staged { file, len, .. } => read_known(file, *len).map(Cow::Owned),
        }
    }

    /// How many bytes, when known without reading (`None` for a copied file).
    pub fn len_hint(&self) -> Option<usize> {
        match self {
            Data::Bytes(b) => Some(b.len()),
            Data::Static(b) => Some(b.len()),
            Data::Staged { len, .. } => Some(*len),
            Data::File(_) => None,
        }
    }

    /// SHA-256 of the bytes; known without reading for a staged file.
    pub fn sha256(&self) -> std::io::Result<[u8; 32]> {
        match self {
            Data::Staged { sha256, .. } => Ok(*sha256),
            other => Ok(Sha256::digest(other.bytes()?).into()),
        }
    }
}

/// A file expected to hold `len` bytes, read whole. The check reads back
/// every staged page: knowing the length, one `read` asking for a byte more
/// usually finds the end (a regular file reads short only there), where
/// `fs::read` asks the size first and reads once more to see the end.
fn read_known(path: &std::path::Path, len: usize) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut f = std::fs::File::open(path)?;
    let mut buf = vec![0; len + 1];
    let mut filled = 0;
    // Each read asks for more than the `len` expected: reaching `len` is a short read.
    while filled < len + 1 {
        match f.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        if filled == len {
            break;
        }
    }
    if filled > len {
        // Longer than it was when staged: read it all.
        f.read_to_end(&mut buf)?;
    } else {
        buf.truncate(filled);
    }
    Ok(buf)
}

impl Output {
    pub fn sort(&mut self) {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
    }

    pub fn get(&self, path: &str) -> Option<&OutFile> {
        self.files.binary_search_by(|f| f.path.as_str().cmp(path)).ok().map(|i| &self.files[i])
    }

    /// A `sha256sum -c` compatible manifest of every other file, in path order.
    pub fn manifest(&self) -> std::io::Result<String> {
        use rayon::prelude::*;
        let lines: Vec<String> = self
            .files
            .par_iter()
            .filter(|f| f.path != MANIFEST)
            .map(|f| Ok(format!("{}  {}\n", hex(&f.data.sha256()?), f.path)))
            .collect::<std::io::Result<_>>()?;
        Ok(lines.concat())
    }

    /// Adds the manifest as an output file.
    pub fn add_manifest(&mut self) -> std::io::Result<()> {
        let m = self.manifest()?;
        self.files.retain(|f| f.path != MANIFEST);
        self.files.push(OutFile { path: MANIFEST.to_owned(), data: Data::Bytes(m.into_bytes()) });
        self.sort();
        Ok(())
    }
}

/// Lower-case hex, without a `String` per byte (`format!` per byte showed in profiles).
pub(crate) fn hex(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(HEX[usize::from(b >> 4)] as char);
        s.push(HEX[usize::from(b & 15)] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::read_known;

    #[test]
    fn a_file_is_read_whole_whatever_length_was_expected() {
        let dir = std::env::temp_dir().join(format!("gongshi-read-known-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let file = dir.join("page.html");
        let bytes: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&file, &bytes).unwrap();
        for expected in [0, 1, 9_999, 10_000, 10_001, 20_000] {
            assert_eq!(read_known(&file, expected).unwrap(), bytes, "expected length {expected}");
        }
        std::fs::write(&file, b"").unwrap();
        assert_eq!(read_known(&file, 0).unwrap(), b"");
        assert_eq!(read_known(&file, 5).unwrap(), b"");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}

//! The built site as data: every output file with its bytes (or where to copy
//! them from), sorted by path. `write` puts it on disk; `serve` keeps it in memory.

use sha2::{Digest, Sha256};
use std::borrow::Cow;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub enum Data {
    Bytes(Vec<u8>),
    /// Copied from this file as it is.
    File(PathBuf),
    Static(&'static [u8]),
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

/// Name of the SHA-256 manifest written at the top of the output.
pub const MANIFEST: &str = "manifest.sha256";

impl Data {
    pub fn bytes(&self) -> std::io::Result<Cow<'_, [u8]>> {
        match self {
            Data::Bytes(b) => Ok(Cow::Borrowed(b)),
            Data::Static(b) => Ok(Cow::Borrowed(b)),
            Data::File(p) => std::fs::read(p).map(Cow::Owned),
        }
    }
}

impl Output {
    pub fn sort(&mut self) {
        self.files.sort_by(|a, b| a.path.cmp(&b.path));
    }

    pub fn get(&self, path: &str) -> Option<&OutFile> {
        self.files.binary_search_by(|f| f.path.as_str().cmp(path)).ok().map(|i| &self.files[i])
    }

    /// Reads copied files into memory, so the result no longer depends on the
    /// source tree (what `serve` keeps between rebuilds).
    pub fn materialize(mut self) -> std::io::Result<Output> {
        for f in &mut self.files {
            if let Data::File(p) = &f.data {
                f.data = Data::Bytes(std::fs::read(p)?);
            }
        }
        Ok(self)
    }

    /// A `sha256sum -c` compatible manifest of every other file, in path order.
    pub fn manifest(&self) -> std::io::Result<String> {
        use rayon::prelude::*;
        let lines: Vec<String> = self
            .files
            .par_iter()
            .filter(|f| f.path != MANIFEST)
            .map(|f| {
                let digest = Sha256::digest(f.data.bytes()?);
                Ok(format!("{}  {}\n", hex(&digest), f.path))
            })
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

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

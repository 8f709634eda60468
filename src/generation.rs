//! One generation of the site `serve` shows: the model of one build, with
//! every output made the first time it is asked for and then kept.
//!
//! This is how an edit of one page of 10,000 is served in milliseconds and
//! never stale: each edit makes a new generation from a fresh model (load,
//! link and ledger of the whole site, reusing only parses whose input is the
//! same byte for byte: [`crate::content::Cache`]), and a generation renders
//! only from its own model. Nothing of an older generation is ever served,
//! so no dependency tracking can be wrong: a page listed elsewhere, a record
//! a page refers to, a data file, a template, anything a page shows comes
//! from the same model as the page. What is saved is only work nobody asked
//! for yet. [`Generation::output`] gives the whole site, file for file what
//! `build` writes (tests compare the two).

use crate::diag::{Diagnostic, Diagnostics};
use crate::model::Site;
use crate::output::{Data, OutFile, Output};
use crate::render::{self, Job, Shared};
use crate::theme::Theme;
use rayon::prelude::*;
use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// A made output file, or why it could not be made.
pub type Made = Result<Arc<[u8]>, Diagnostic>;

pub struct Generation {
    site: Site,
    theme: Theme,
    shared: Shared,
    jobs: Vec<Job>,
    /// Output path → index into `jobs` and `pages`.
    routes: HashMap<String, usize>,
    pages: Vec<OnceLock<Made>>,
    /// Files copied as they are (the site's and the theme's), by output path.
    copied: HashMap<String, Data>,
    /// Open data, `sitemap.xml` and the feed: cheap, made together.
    derived: OnceLock<HashMap<String, Arc<[u8]>>>,
    /// The search index: made only when a search needs it.
    search: OnceLock<HashMap<String, Arc<[u8]>>>,
}

fn bytes_of(files: Vec<OutFile>) -> HashMap<String, Arc<[u8]>> {
    files.into_iter().filter_map(|f| Some((f.path, Arc::from(f.data.bytes().ok()?.into_owned())))).collect()
}

impl Generation {
    pub fn new(site: Site, mut theme: Theme) -> Generation {
        let shared = render::shared(&site, &mut theme);
        let jobs = render::jobs(&site);
        let routes = jobs.iter().enumerate().map(|(i, &job)| (render::job_path(&site, job), i)).collect();
        let pages = jobs.iter().map(|_| OnceLock::new()).collect();
        let mut copied: HashMap<String, Data> = HashMap::new();
        for (path, file) in &theme.statics {
            let data = match file {
                crate::theme::ThemeFile::Builtin(b) => Data::Static(b),
                crate::theme::ThemeFile::Site(p) => Data::File(p.clone()),
            };
            copied.insert(path.clone(), data);
        }
        // The site's own file wins over the theme's.
        for a in &site.assets {
            copied.insert(a.path.clone(), Data::File(a.source.clone()));
        }
        Generation { site, theme, shared, jobs, routes, pages, copied, derived: OnceLock::new(), search: OnceLock::new() }
    }

    fn page(&self, i: usize) -> &Made {
        self.pages[i].get_or_init(|| {
            render::render_job(&self.site, &self.theme, &self.shared, self.jobs[i]).map(|(_, bytes)| Arc::from(bytes))
        })
    }

    fn derived(&self) -> &HashMap<String, Arc<[u8]>> {
        self.derived.get_or_init(|| {
            let mut files = crate::opendata::files(&self.site);
            files.extend(render::feed_files(&self.site));
            bytes_of(files)
        })
    }

    fn search(&self) -> &HashMap<String, Arc<[u8]>> {
        self.search.get_or_init(|| if self.site.config.search { bytes_of(crate::search::files(&self.site)) } else { HashMap::new() })
    }

    /// The output file at `path` (`news/a/index.html`), made now if it was
    /// not yet; `None` when the site has no such file.
    pub fn get(&self, path: &str) -> Option<Made> {
        if let Some(&i) = self.routes.get(path) {
            return Some(self.page(i).clone());
        }
        if let Some(data) = self.copied.get(path) {
            // Read when asked: a copied file is never older than the disk.
            return data.bytes().ok().map(|b| Ok(Arc::from(b.into_owned())));
        }
        if path == crate::output::MANIFEST {
            return Some(self.output().map_err(|d| d.0[0].clone()).and_then(|o| {
                let f = o.get(path).expect("the output has its manifest");
                Ok(Arc::from(f.data.bytes().map_err(|e| Diagnostic::error("io", path, crate::msg!("无法读取：{e}", "cannot read: {e}")))?.into_owned()))
            }));
        }
        let group = if path.starts_with(crate::search::SEARCH_PATH) { self.search() } else { self.derived() };
        group.get(path).map(|b| Ok(b.clone()))
    }

    /// Output paths of the pages made from these source files (`content/…`).
    pub fn pages_from(&self, sources: &[String]) -> Vec<String> {
        (0..self.site.pages.len()).filter(|&i| sources.contains(&self.site.pages[i].file)).map(|i| render::job_path(&self.site, Job::Page(i))).collect()
    }

    /// Makes every page not made yet, in parallel, stopping early once
    /// `stop` is set; returns the errors found.
    pub fn make_all(&self, stop: &AtomicBool) -> Vec<Diagnostic> {
        let mut errors: Vec<Diagnostic> = (0..self.jobs.len())
            .into_par_iter()
            .filter_map(|i| if stop.load(Ordering::Relaxed) { None } else { self.page(i).as_ref().err().cloned() })
            .collect();
        // One broken template fails every page made with it, with one error.
        errors.dedup();
        errors
    }

    /// The whole site, as `build` makes it (manifest included).
    pub fn output(&self) -> Result<Output, Diagnostics> {
        let never = AtomicBool::new(false);
        let errors = self.make_all(&never);
        if !errors.is_empty() {
            return Err(Diagnostics(errors));
        }
        let mut out = Output::default();
        for (i, &job) in self.jobs.iter().enumerate() {
            let bytes = self.page(i).as_ref().expect("made without errors");
            out.files.push(OutFile { path: render::job_path(&self.site, job), data: Data::Bytes(bytes.to_vec()) });
        }
        for (path, data) in &self.copied {
            out.files.push(OutFile { path: path.clone(), data: data.clone() });
        }
        for (path, bytes) in self.derived().iter().chain(self.search()) {
            out.files.push(OutFile { path: path.clone(), data: Data::Bytes(bytes.to_vec()) });
        }
        out.sort();
        out.add_manifest().map_err(|e| Diagnostics(vec![Diagnostic::error("io", crate::output::MANIFEST, crate::msg!("无法生成清单：{e}", "cannot write the manifest: {e}"))]))?;
        Ok(out)
    }
}

//! The build, top to bottom: load → link → render. Writing is the caller's
//! (the CLI writes to disk, `serve` keeps the result in memory).

use crate::config::{self, SiteConfig};
use crate::content;
use crate::diag::{Diagnostic, Diagnostics};
use crate::link;
use crate::model::Site;
use crate::msg;
use crate::output::Output;
use crate::render;
use crate::theme;
use jiff::civil::Date;
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    /// Overrides `site.yml`'s `base_url`.
    pub base_url: Option<String>,
    pub drafts: bool,
    /// `--date`: wins over everything.
    pub date: Option<Date>,
    /// Used when neither `--date` nor `site.yml` pins the date: the CLI passes
    /// `SOURCE_DATE_EPOCH`'s date, else today. The library never reads the clock.
    pub fallback_date: Date,
}

/// A successful build: the site, its files, its warnings and how long each stage took.
pub struct Built {
    /// The model it was built from, without its pages' HTML (that is in `output`).
    pub site: Site,
    pub output: Output,
    pub warnings: Diagnostics,
    pub timings: Vec<(&'static str, Duration)>,
    /// The theme it was rendered with. It holds every record's template value
    /// (for `record()`), 11,000 in a large ledger: a process that ends after
    /// the build may leave them unfreed (`std::mem::forget`), as the CLI does.
    pub theme: theme::Theme,
}

/// Reads `site.yml`.
pub fn load_config(opts: &BuildOptions, diags: &mut Diagnostics) -> Option<SiteConfig> {
    let path = opts.root.join("site.yml");
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(_) => {
            diags.push(Diagnostic::error("no-site-yml", "site.yml", msg!("找不到 site.yml（在 {} 中）", "no site.yml in {}", opts.root.display()))
                .with_help(msg!("在站点根目录运行，或用 --root 指定站点目录；新建站点用 gongshi init 目录名", "run in the site's folder or pass --root; start a new site with `gongshi init DIR`")));
            return None;
        }
    };
    let text = match crate::source::decode_text("site.yml", &bytes) {
        Ok(t) => t,
        Err(d) => {
            diags.push(d);
            return None;
        }
    };
    let mut config = config::parse("site.yml", &text, diags)?;
    if let Some(url) = &opts.base_url {
        if let Err(m) = config.set_base_url(url) {
            diags.push(Diagnostic::error("base-url", "--base-url", m));
            return None;
        }
    }
    Some(config)
}

/// The site as data, ready to render: loaded, linked, with its ledger
/// figures, and the theme it is rendered with.
pub struct Model {
    pub site: Site,
    pub theme: theme::Theme,
    /// Warnings, and the ledger's errors if any (`has_errors` then: not publishable).
    pub warnings: Diagnostics,
    pub timings: Vec<(&'static str, Duration)>,
}

/// Stage timer: each lap is the time since the last.
struct Laps(Instant, Vec<(&'static str, Duration)>);

impl Laps {
    fn lap(&mut self, name: &'static str) {
        self.1.push((name, self.0.elapsed()));
        self.0 = Instant::now();
    }
}

/// Load → link → ledger. `cache` carries parsed files from one call to the
/// next (what `serve` does); a build passes a fresh one.
pub fn model(opts: &BuildOptions, cache: &mut content::Cache) -> Result<Model, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut laps = Laps(Instant::now(), Vec::new());
    let Some(config) = load_config(opts, &mut diags) else {
        diags.sort();
        return Err(diags);
    };
    let build_date = opts.date.or(config.build_date).unwrap_or(opts.fallback_date);
    // Templates are checked even when content has errors, so one run shows all.
    let theme = theme::load(&opts.root, &config.theme, &config.base_path, &mut diags);
    laps.lap("theme");
    let loaded = content::load_with(&opts.root, &config, opts.drafts, cache, &mut diags);
    laps.lap("load");
    let linked = link::link(loaded, &mut diags);
    laps.lap("link");
    let (Some(theme), false) = (theme, diags.has_errors()) else {
        diags.sort();
        return Err(diags);
    };
    let mut site = Site { config, build_date, sections: linked.sections, pages: linked.pages, assets: linked.assets, ledger: Default::default() };
    let settings = crate::ledger::Settings { stale_days: site.config.stale_days };
    site.ledger = crate::ledger::compute(&mut site, &settings, crate::calendar::Calendar::builtin(), &mut diags);
    laps.lap("ledger");
    // Errors of the ledger stay in `warnings`, so the render's are reported with them.
    Ok(Model { site, theme, warnings: diags, timings: laps.1 })
}

/// Builds the whole site in memory. On failure, every error found is returned.
pub fn build(opts: &BuildOptions) -> Result<Built, Diagnostics> {
    build_with(opts, &render::keep_in_memory)
}

/// [`build`], handing each rendered page to `put` as it is made (the CLI
/// writes them straight into the staging folder, so none stays in memory).
pub fn build_with(opts: &BuildOptions, put: render::Put<'_>) -> Result<Built, Diagnostics> {
    build_watching(opts, put, None)
}

/// [`build_with`], showing each page to `watch` as it is made (the checks).
pub fn build_watching(opts: &BuildOptions, put: render::Put<'_>, watch: Option<render::Watch<'_>>) -> Result<Built, Diagnostics> {
    let Model { mut site, mut theme, warnings: mut diags, timings } = model(opts, &mut content::Cache::default())?;
    let mut laps = Laps(Instant::now(), timings);
    let mut output = render::render(&mut site, &mut theme, &mut diags, put, watch);
    laps.lap("render");
    if diags.has_errors() {
        diags.sort();
        return Err(diags);
    }
    if let Err(e) = output.add_manifest() {
        diags.push(Diagnostic::error("io", "manifest.sha256", msg!("无法生成清单：{e}", "cannot write the manifest: {e}")));
        return Err(diags);
    }
    laps.lap("manifest");
    diags.sort();
    Ok(Built { site, output, warnings: diags, timings: laps.1, theme })
}

/// With `GONGSHI_TIMINGS` set, how long each stage took, to stderr (for profiling).
pub fn print_timings(timings: &[(&'static str, Duration)]) {
    if std::env::var_os("GONGSHI_TIMINGS").is_some() {
        for (stage, d) in timings {
            eprintln!("timing {stage:>11}: {:>8.1} ms", d.as_secs_f64() * 1000.0);
        }
    }
}

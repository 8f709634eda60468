//! The command line: parse arguments, call the library, print diagnostics,
//! choose the exit code. The clock and the environment are read only here.

use crate::dates;
use crate::diag::Diagnostics;
use crate::lang::Lang;
use crate::pipeline::BuildOptions;
use clap::{Parser, Subcommand};
use jiff::civil::Date;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(name = "gongshi", version, about = "公示 — static sites for government public disclosure / 政务公开静态网站生成器")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Args, Clone)]
struct SiteArgs {
    /// Site folder (holds site.yml and content/) / 站点目录
    #[arg(short, long, default_value = ".")]
    root: PathBuf,
    /// Build date, e.g. 2026-11-28; defaults to site.yml's build_date, then SOURCE_DATE_EPOCH, then today / 构建日期
    #[arg(long, value_parser = parse_date_arg)]
    date: Option<Date>,
    /// Include pages marked `draft: true` / 包含草稿
    #[arg(long)]
    drafts: bool,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ / 生成网站
    Build {
        #[command(flatten)]
        site: SiteArgs,
        /// Output folder (default: ROOT/public) / 输出目录
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Base URL, may include a sub-path: https://host/a/b/ / 网址
        #[arg(long)]
        base_url: Option<String>,
        /// Write the output even when checks find errors (a preview, not for publication) / 预览：有检查错误也输出
        #[arg(long)]
        preview: bool,
        /// Skip the government-site checks (for drafts and timing; `check` and `package` still run them) / 跳过合规检查
        #[arg(long)]
        no_check: bool,
    },
    /// Check the site against the government-site rules without publishing / 合规检查
    Check {
        #[command(flatten)]
        site: SiteArgs,
        /// Output format: text or json / 输出格式
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// Base URL, may include a sub-path / 网址
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Preview the site, rebuilding on every change / 本地预览
    Serve {
        #[command(flatten)]
        site: SiteArgs,
        /// Address to listen on / 监听地址
        #[arg(long, default_value = "127.0.0.1")]
        bind: String,
        /// Port; 0 picks a free one / 端口
        #[arg(short, long, default_value_t = 1111)]
        port: u16,
    },
    /// After a passing check, write a dated zip for upload with its manifest and publication record / 打包发布
    Package {
        #[command(flatten)]
        site: SiteArgs,
        /// Folder for the packages (default: ROOT/packages) / 发布包目录
        #[arg(short, long)]
        output: Option<PathBuf>,
        /// Base URL, may include a sub-path / 网址
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Create a new site in DIR / 新建站点
    Init {
        dir: PathBuf,
    },
    /// Create a new page of KIND (news, document, areas, tasks, indicators, enterprises, people, projects, notices) / 新建页面
    New {
        kind: String,
        title: String,
        #[arg(short, long, default_value = ".")]
        root: PathBuf,
    },
}

fn parse_date_arg(s: &str) -> Result<Date, String> {
    dates::parse_date(s).map_err(|m| m.en)
}

/// `SOURCE_DATE_EPOCH`'s date when set, else today in China.
fn fallback_date() -> Date {
    if let Some(d) = std::env::var("SOURCE_DATE_EPOCH").ok().and_then(|s| s.trim().parse::<i64>().ok()).and_then(dates::date_from_epoch) {
        return d;
    }
    jiff::tz::TimeZone::fixed(jiff::tz::offset(8)).to_datetime(jiff::Timestamp::now()).date()
}

fn options(site: &SiteArgs, base_url: Option<String>) -> BuildOptions {
    BuildOptions { root: site.root.clone(), base_url, drafts: site.drafts, date: site.date, fallback_date: fallback_date() }
}

/// `GONGSHI_TIMINGS=1` prints how long each stage took (for profiling).
use crate::pipeline::print_timings;

fn report_warnings_of_build(diags: &Diagnostics, lang: Lang) {
    if !diags.is_empty() {
        eprint!("{}", diags.render(lang));
    }
}

fn report(diags: &Diagnostics, lang: Lang) {
    if !diags.is_empty() {
        eprint!("{}", diags.render(lang));
    }
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let lang = Lang::from_env();
    match cli.command {
        Command::Check { site, format, base_url } => {
            let opts = options(&site, base_url);
            match crate::check::check_site(&opts) {
                Ok((built, report)) => {
                    report_warnings_of_build(&built.warnings, lang);
                    if format == "json" {
                        print!("{}", crate::check::to_json(&report));
                    } else {
                        print!("{}", crate::check::to_text(&report, lang));
                    }
                    ExitCode::from(report.exit_code())
                }
                Err(diags) => {
                    report(&diags, lang);
                    ExitCode::from(2)
                }
            }
        }
        Command::Package { site, output, base_url } => {
            let opts = options(&site, base_url);
            let dir = output.unwrap_or_else(|| site.root.join("packages"));
            match crate::check::check_site(&opts) {
                Ok((built, checked)) => {
                    report(&built.warnings, lang);
                    if !checked.findings.is_empty() {
                        eprint!("{}", crate::check::to_text(&checked, lang));
                    }
                    // Like `build`: findings that publishing cures (a stale column)
                    // never stop the package that cures them.
                    let errors = checked.blocking();
                    if errors > 0 {
                        match lang {
                            Lang::Zh => eprintln!("检查未通过（{errors} 个必须改正的错误），不打包"),
                            Lang::En => eprintln!("the check did not pass ({errors} errors that must be fixed); no package written"),
                        }
                        return ExitCode::FAILURE;
                    }
                    let warnings = checked.findings.0.len();
                    match crate::package::package(&built.output, &built.site, warnings, &dir) {
                        Ok(p) => {
                            for f in [&p.archive, &p.manifest, &p.record] {
                                println!("{}", f.display());
                            }
                            let c = &p.changes;
                            match lang {
                                Lang::Zh => eprintln!("已打包：新增 {} 个、修改 {} 个、删除 {} 个文件；发布前请审核 {}", c.added.len(), c.changed.len(), c.removed.len(), p.record.display()),
                                Lang::En => eprintln!("packaged: {} added, {} changed, {} removed; review {} before upload", c.added.len(), c.changed.len(), c.removed.len(), p.record.display()),
                            }
                            ExitCode::SUCCESS
                        }
                        Err(m) => {
                            eprintln!("{}", m.get(lang));
                            ExitCode::FAILURE
                        }
                    }
                }
                Err(diags) => {
                    report(&diags, lang);
                    ExitCode::FAILURE
                }
            }
        }
        Command::Build { site, output, base_url, preview, no_check } => {
            let opts = options(&site, base_url);
            let out = output.unwrap_or_else(|| site.root.join("public"));
            if let Err(d) = crate::write::check_output_dir(&site.root, &out) {
                report(&Diagnostics(vec![d]), lang);
                return ExitCode::FAILURE;
            }
            // Pages go straight into the staging folder as they are made; it
            // replaces `out` only at the end, after the checks pass.
            let staging = match crate::write::Staging::begin(&out) {
                Ok(s) => s,
                Err(d) => {
                    report(&Diagnostics(vec![d]), lang);
                    return ExitCode::FAILURE;
                }
            };
            let put = |path: &str, bytes: Vec<u8>| staging.put(path, bytes);
            let made = if no_check {
                crate::pipeline::build_with(&opts, &put).map(|b| (b, crate::check::Report { findings: Diagnostics::default() }))
            } else {
                crate::check::check_site_with(&opts, &put)
            };
            match made {
                Ok((built, checked)) => {
                    report(&built.warnings, lang);
                    if no_check {
                        match lang {
                            Lang::Zh => eprintln!("注意：已跳过合规检查（--no-check），发布前请运行 gongshi check"),
                            Lang::En => eprintln!("NOTE: the government-site checks were skipped (--no-check); run `gongshi check` before publishing"),
                        }
                    }
                    print_timings(&built.timings);
                    if !checked.findings.is_empty() {
                        eprint!("{}", crate::check::to_text(&checked, lang));
                    }
                    let blocking = checked.blocking();
                    if blocking > 0 && !preview {
                        match lang {
                            Lang::Zh => eprintln!("检查发现 {blocking} 个必须改正的错误，未生成网站；{} 未改动。改正后重新构建，或用 --preview 生成仅供预览的版本", out.display()),
                            Lang::En => eprintln!("check found {blocking} errors that must be fixed; nothing was written and {} was left as it was. Fix them and build again, or pass --preview for a preview build", out.display()),
                        }
                        return ExitCode::FAILURE;
                    }
                    if blocking > 0 {
                        match lang {
                            Lang::Zh => eprintln!("注意：这是带有 {blocking} 个检查错误的预览版本，不得发布"),
                            Lang::En => eprintln!("NOTE: this is a PREVIEW with {blocking} check errors; do not publish it"),
                        }
                    }
                    if let Err(d) = staging.finish(&built.output) {
                        report(&Diagnostics(vec![d]), lang);
                        return ExitCode::FAILURE;
                    }
                    let pages = built.output.files.iter().filter(|f| f.path.ends_with(".html")).count();
                    let files = built.output.files.len();
                    let ms: u128 = built.timings.iter().map(|(_, d)| d.as_millis()).sum();
                    let o = out.display();
                    match lang {
                        Lang::Zh => eprintln!("已生成 {pages} 个页面、共 {files} 个文件到 {o}（构建日期 {}，用时 {ms} 毫秒）", built.site.build_date),
                        Lang::En => eprintln!("built {pages} pages, {files} files into {o} (build date {}, {ms} ms)", built.site.build_date),
                    }
                    // The process ends here: freeing the model page by page took
                    // a tenth of a second on one core for a 10,000-task ledger.
                    std::mem::forget((built, checked));
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    report(&diags, lang);
                    match lang {
                        Lang::Zh => eprintln!("构建失败，{} 未改动", out.display()),
                        Lang::En => eprintln!("build failed; {} was left as it was", out.display()),
                    }
                    ExitCode::FAILURE
                }
            }
        }
        Command::Serve { site, bind, port } => {
            let opts = options(&site, None);
            match crate::serve::run(opts, &bind, port, lang) {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("{e}");
                    ExitCode::FAILURE
                }
            }
        }
        Command::Init { dir } => match crate::scaffold::init(&dir, fallback_date()) {
            Ok(files) => {
                for f in files {
                    println!("{}", f.display());
                }
                match lang {
                    Lang::Zh => eprintln!("已新建站点 {}。下一步：cd {0} && gongshi serve", dir.display()),
                    Lang::En => eprintln!("created a new site in {}. Next: cd {0} && gongshi serve", dir.display()),
                }
                ExitCode::SUCCESS
            }
            Err(m) => {
                eprintln!("{}", m.get(lang));
                ExitCode::FAILURE
            }
        },
        Command::New { kind, title, root } => match crate::scaffold::new_page(&root, &kind, &title, fallback_date()) {
            Ok(path) => {
                println!("{}", path.display());
                ExitCode::SUCCESS
            }
            Err(m) => {
                eprintln!("{}", m.get(lang));
                ExitCode::FAILURE
            }
        },
    }
}

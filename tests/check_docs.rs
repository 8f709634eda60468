//! `gongshi check`, the families in `src/check/{docs,notices,review}.rs`:
//! META-*, OGI-01/07, DOC-NO-*, DOC-DATE-01, DOC-ATT-02, PUB-*, CAL-01,
//! GOV-INT-01, SEC-REV-01 and GOV-VETO-03.
//!
//! `tests/check/docs/bad` breaks every rule, each in a known file and line;
//! `tests/check/docs/good` keeps every rule. Other families' findings on the
//! same fixtures are filtered out by rule ID.

mod common;
use std::path::Path;
use std::sync::OnceLock;

/// The rule IDs of these three families.
const MINE: &[&str] = &[
    "META-01", "META-04", "META-05", "META-07", "META-08", "META-09", "OGI-01", "OGI-07", "DOC-NO-01", "DOC-NO-02", "DOC-NO-03", "DOC-NO-04", "DOC-NO-05", "DOC-DATE-01", "DOC-ATT-02", "PUB-01", "PUB-04",
    "PUB-05", "PUB-06", "PUB-08", "CAL-01", "GOV-INT-01", "SEC-REV-01", "GOV-VETO-03",
];

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Finding {
    rule: String,
    file: String,
    line: Option<u64>,
    severity: String,
    message: String,
    message_en: String,
    help: Option<String>,
}

/// Runs `check --format json` on `root` and returns (exit code, this family's findings).
fn check(root: &Path) -> (i32, Vec<Finding>) {
    let out = common::gongshi("C.UTF-8")
        .args(["check", "--root"])
        .arg(root)
        .args(["--date", "2026-11-20", "--format", "json"])
        .output()
        .expect("run gongshi");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("not JSON ({e}):\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr)));
    let findings = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| MINE.contains(&f["rule"].as_str().unwrap_or("")))
        .map(|f| Finding {
            rule: f["rule"].as_str().unwrap().to_owned(),
            file: f["file"].as_str().unwrap().to_owned(),
            line: f["line"].as_u64(),
            severity: f["severity"].as_str().unwrap().to_owned(),
            message: f["message"].as_str().unwrap_or("").to_owned(),
            message_en: f["message_en"].as_str().unwrap_or("").to_owned(),
            help: f["help"].as_str().map(str::to_owned),
        })
        .collect();
    (out.status.code().unwrap_or(-1), findings)
}

fn fixture(name: &str) -> std::path::PathBuf {
    common::repo().join("tests/check/docs").join(name)
}

fn bad() -> &'static (i32, Vec<Finding>) {
    static B: OnceLock<(i32, Vec<Finding>)> = OnceLock::new();
    B.get_or_init(|| check(&fixture("bad")))
}

fn good() -> &'static (i32, Vec<Finding>) {
    static G: OnceLock<(i32, Vec<Finding>)> = OnceLock::new();
    G.get_or_init(|| check(&fixture("good")))
}

fn dump(v: &[Finding]) -> String {
    v.iter().map(|f| format!("{} {} {}:{} {}\n", f.severity, f.rule, f.file, f.line.unwrap_or(0), f.message)).collect()
}

/// `rule` is reported at each (file, line) on the bad site (at least once),
/// and not at all on the good site. Returns the bad site's findings of `rule`.
fn breaks_and_keeps(rule: &str, at: &[(&str, u64)]) -> Vec<Finding> {
    let (_, b) = bad();
    let of_rule: Vec<Finding> = b.iter().filter(|f| f.rule == rule).cloned().collect();
    for (file, line) in at {
        let file = if *file == "site.yml" { (*file).to_owned() } else { format!("content/{file}") };
        assert!(
            of_rule.iter().any(|f| f.file == file && f.line == Some(*line)),
            "{rule} expected at {file}:{line}; {rule} findings:\n{}",
            dump(&of_rule)
        );
    }
    for f in &of_rule {
        assert!(!f.message.is_empty() && !f.message_en.is_empty(), "message in both languages: {f:?}");
        assert!(f.help.as_deref().is_some_and(|h| !h.is_empty()), "every finding says what to write instead: {f:?}");
    }
    let (_, g) = good();
    let kept: Vec<&Finding> = g.iter().filter(|f| f.rule == rule).collect();
    assert!(kept.is_empty(), "{rule} on the good site:\n{kept:?}");
    of_rule
}

macro_rules! rule_test {
    ($name:ident, $rule:literal, [$(($file:literal, $line:literal)),+ $(,)?]) => {
        #[test]
        fn $name() {
            breaks_and_keeps($rule, &[$(($file, $line)),+]);
        }
    };
}

// Disclosure metadata.
rule_test!(meta_01_index_no, "META-01", [("documents/a-bare.md", 1), ("documents/b-malformed.md", 5), ("documents/d-dup.md", 5), ("documents/e-years.md", 5)]);
rule_test!(meta_04_issuer, "META-04", [("documents/a-bare.md", 1)]);
rule_test!(meta_05_written_on, "META-05", [("documents/a-bare.md", 1)]);
rule_test!(meta_07_topic, "META-07", [("documents/a-bare.md", 1)]);
rule_test!(meta_08_date, "META-08", [("documents/a-bare.md", 1), ("documents/b-malformed.md", 3), ("documents/e-years.md", 3)]);
rule_test!(meta_09_validity, "META-09", [("documents/a-bare.md", 1), ("documents/b-malformed.md", 9)]);
rule_test!(ogi_01_twenty_working_days, "OGI-01", [("documents/c-late.md", 3)]);
rule_test!(ogi_07_interpretation_both_ways, "OGI-07", [("documents/h-jiedu.md", 2), ("documents/i-policy.md", 2), ("documents/j-jiedu.md", 2)]);
// 文号 in front matter and in the text.
rule_test!(doc_no_01_shape, "DOC-NO-01", [("documents/b-malformed.md", 16)]);
rule_test!(doc_no_02_brackets, "DOC-NO-02", [("documents/b-malformed.md", 6), ("documents/b-malformed.md", 12)]);
rule_test!(doc_no_03_di_zero_two_digit_year, "DOC-NO-03", [("documents/b-malformed.md", 6), ("documents/b-malformed.md", 14)]);
rule_test!(doc_no_04_year, "DOC-NO-04", [("documents/e-years.md", 6)]);
rule_test!(doc_no_05_unique, "DOC-NO-05", [("documents/d-dup.md", 6)]);
rule_test!(doc_date_01, "DOC-DATE-01", [("documents/b-malformed.md", 18)]);
rule_test!(doc_att_02, "DOC-ATT-02", [("documents/b-malformed.md", 20)]);
// 公示.
rule_test!(pub_01_title, "PUB-01", [("notices/n1-title.md", 2)]);
rule_test!(pub_04_period, "PUB-04", [("notices/n2-short.md", 5), ("notices/n3-early.md", 5)]);
rule_test!(pub_05_channel, "PUB-05", [("notices/n4-contact.md", 5), ("notices/n4-contact.md", 6), ("notices/n5-objection.md", 1)]);
rule_test!(pub_06_objections, "PUB-06", [("notices/n5-objection.md", 9)]);
rule_test!(pub_08_result, "PUB-08", [("notices/n6-noresult.md", 5)]);
rule_test!(cal_01_missing_year, "CAL-01", [("documents/f-old.md", 4)]);
// Feedback, review, names.
rule_test!(gov_int_01_feedback, "GOV-INT-01", [("site.yml", 4)]);
rule_test!(sec_rev_01_reviewers, "SEC-REV-01", [("documents/a-bare.md", 1), ("notices/n7-gonggao.md", 1)]);
rule_test!(gov_veto_03_names, "GOV-VETO-03", [("news/a-names.md", 2), ("news/a-names.md", 5)]);

/// The bad site reports exactly these, no more: no noise on the parts of it
/// that are right (a 公告 without a period, cited 文号 of other years …).
#[test]
fn bad_site_exact_findings() {
    let (code, b) = bad();
    assert_eq!(*code, 1, "errors → exit 1");
    let got: Vec<String> = b.iter().map(|f| format!("{} {} {}:{}", f.severity, f.rule, f.file.trim_start_matches("content/"), f.line.unwrap_or(0))).collect();
    let want = [
        "error META-01 documents/a-bare.md:1",
        "error META-04 documents/a-bare.md:1",
        "error META-05 documents/a-bare.md:1",
        "error META-07 documents/a-bare.md:1",
        "error META-08 documents/a-bare.md:1",
        "error META-09 documents/a-bare.md:1",
        "error SEC-REV-01 documents/a-bare.md:1",
        "error META-08 documents/b-malformed.md:3",
        "error META-01 documents/b-malformed.md:5",
        "error DOC-NO-02 documents/b-malformed.md:6",
        "error DOC-NO-03 documents/b-malformed.md:6",
        "error META-09 documents/b-malformed.md:9",
        "error DOC-NO-02 documents/b-malformed.md:12",
        "error DOC-NO-03 documents/b-malformed.md:14",
        "error DOC-NO-03 documents/b-malformed.md:14",
        "error DOC-NO-03 documents/b-malformed.md:14",
        "error DOC-NO-01 documents/b-malformed.md:16",
        "warning DOC-DATE-01 documents/b-malformed.md:18",
        "warning DOC-DATE-01 documents/b-malformed.md:18",
        "warning DOC-DATE-01 documents/b-malformed.md:18",
        "error DOC-ATT-02 documents/b-malformed.md:20",
        "warning OGI-01 documents/c-late.md:3",
        "error META-01 documents/d-dup.md:5",
        "error DOC-NO-05 documents/d-dup.md:6",
        "error META-08 documents/e-years.md:3",
        "warning META-01 documents/e-years.md:5",
        "warning DOC-NO-04 documents/e-years.md:6",
        "error CAL-01 documents/f-old.md:4",
        "warning OGI-07 documents/h-jiedu.md:2",
        "warning OGI-07 documents/i-policy.md:2",
        "warning OGI-07 documents/j-jiedu.md:2",
        "info GOV-VETO-03 news/a-names.md:2",
        "info GOV-VETO-03 news/a-names.md:5",
        "warning PUB-01 notices/n1-title.md:2",
        "error PUB-04 notices/n2-short.md:5",
        "error PUB-04 notices/n3-early.md:5",
        "error PUB-04 notices/n3-early.md:5",
        "error PUB-05 notices/n4-contact.md:5",
        "error PUB-05 notices/n4-contact.md:5",
        "error PUB-05 notices/n4-contact.md:6",
        "error PUB-05 notices/n5-objection.md:1",
        "error PUB-05 notices/n5-objection.md:1",
        "warning PUB-06 notices/n5-objection.md:9",
        "warning PUB-08 notices/n6-noresult.md:5",
        "error SEC-REV-01 notices/n7-gonggao.md:1",
        "error GOV-INT-01 site.yml:4",
    ];
    let mut got_sorted = got.clone();
    got_sorted.sort();
    let mut want_sorted: Vec<String> = want.iter().map(|s| s.to_string()).collect();
    want_sorted.sort();
    assert_eq!(got_sorted, want_sorted, "got:\n{}", got.join("\n"));
}

#[test]
fn good_site_has_none() {
    let (_, g) = good();
    assert!(g.is_empty(), "{}", dump(g));
}

/// What the messages say: the fix, the rule's numbers, the correct name.
#[test]
fn messages_say_what_to_write() {
    let (_, b) = bad();
    let find = |rule: &str, file: &str, needle: &str| {
        b.iter()
            .find(|f| f.rule == rule && f.file.ends_with(file) && (f.message.contains(needle) || f.help.as_deref().is_some_and(|h| h.contains(needle))))
            .unwrap_or_else(|| panic!("no {rule} in {file} saying {needle}:\n{}", dump(b)))
    };
    find("DOC-NO-02", "b-malformed.md", "测经发〔2026〕3号");
    find("DOC-NO-02", "b-malformed.md", "〔2025〕7号");
    find("DOC-DATE-01", "b-malformed.md", "2026年2月3日");
    find("DOC-DATE-01", "b-malformed.md", "2026年11月3日");
    find("GOV-VETO-03", "a-names.md", "王贵玉");
    find("GOV-VETO-03", "a-names.md", "测试经济开发区管理委员会");
    find("PUB-04", "n2-short.md", "10");
    find("GOV-INT-01", "site.yml", "地址");
    find("SEC-REV-01", "a-bare.md", "初审");
    find("OGI-01", "c-late.md", "46");
    find("DOC-NO-05", "d-dup.md", "c-late.md");
    find("META-01", "d-dup.md", "c-late.md");
}

/// The shipped site: from these families, the one real finding is the plan's
/// 文号 year (源经发〔2023〕4号 on a plan written 2020-02-19). Its body cites
/// 源发〔2020〕2号, another document: checked for shape only.
#[test]
fn shipped_site_only_doc_no_04() {
    let (_, s) = check(&common::repo());
    let plan: Vec<&Finding> = s.iter().filter(|f| f.file == "content/documents/sbdb-fangan.md").collect();
    assert_eq!(plan.len(), 1, "{}", dump(&s));
    assert_eq!((plan[0].rule.as_str(), plan[0].line, plan[0].severity.as_str()), ("DOC-NO-04", Some(4), "warning"));
    // KNOWN content gap, not a false positive: the sample notice
    // 2026-09-28-zhongda-xiangmu.md ended 2026-10-12 and links no result
    // notice, 39 days before the pinned build date (limit 30). Until the
    // shipped content adds a result (or the notice is changed), PUB-08 is
    // reported there; nothing else may be.
    let others: Vec<&Finding> = s
        .iter()
        .filter(|f| f.file != "content/documents/sbdb-fangan.md")
        .filter(|f| !(f.rule == "PUB-08" && f.file == "content/notices/2026-09-28-zhongda-xiangmu.md"))
        .collect();
    assert!(others.is_empty(), "{others:?}");
}

/// CAL-01 on a 公示期: the build itself refuses a notice in a year without
/// calendar data, so this runs the rules through the library with a calendar
/// that lacks 2026.
#[test]
fn cal_01_on_a_notice_period() {
    use gongshi::check::{Ctx, run, settings};
    use gongshi::pipeline::{BuildOptions, build};
    let d: jiff::civil::Date = "2026-11-20".parse().unwrap();
    let root = fixture("good");
    let opts = BuildOptions { root: root.clone(), base_url: None, drafts: false, date: Some(d), fallback_date: d };
    let built = build(&opts).unwrap_or_else(|e| panic!("{}", e.render(gongshi::lang::Lang::En)));
    let mut diags = gongshi::diag::Diagnostics::default();
    let settings = settings::parse(&built.site.config.check, &built.site.config, &mut diags);
    let cal = gongshi::calendar::Calendar::parse("2025:\n  source: 测试\n").unwrap();
    let ctx = Ctx::new(&built.site, &built.output, &settings, &cal, &root);
    let report = run(&ctx);
    let cal01: Vec<(String, usize)> = report.findings.0.iter().filter(|f| f.code == "CAL-01").map(|f| (f.file.clone(), f.span.as_ref().map_or(0, |s| s.line))).collect();
    assert!(cal01.contains(&("content/notices/running.md".to_owned(), 5)), "{cal01:?}");
    assert!(cal01.contains(&("content/documents/plan.md".to_owned(), 4)), "OGI-01 cannot count either: {cal01:?}");
    assert!(!report.findings.0.iter().any(|f| f.code == "PUB-04" || f.code == "OGI-01"), "no guess when the year is missing");
}

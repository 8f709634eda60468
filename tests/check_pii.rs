//! `gongshi check`, personal data (PII-ID-01/02, PII-TEL-01, PII-BANK-01,
//! PII-CTX-01) on two small sites in `tests/check/pii/`:
//!
//! - `leaky/` plants full numbers in a Markdown body and its front matter, a
//!   UTF-8 CSV and a GBK CSV (an attachment and a notices data file), an
//!   XLSX workbook (two sheets) and a .txt attachment. Every one is found,
//!   and none of them appears in full anywhere in what `check` prints.
//! - `clean/` has the same lists masked, 统一社会信用代码, an 索引号, landlines
//!   and an allow-listed hotline: no PII finding at all.
//!
//! The ID numbers are made up (regions 110101 and 370323, 1900s birth
//! dates) with computed GB 11643 check characters, three of them X.

mod common;
use common::*;
use std::path::{Path, PathBuf};

fn fixture(name: &str) -> PathBuf {
    repo().join("tests/check/pii").join(name)
}

/// Copies a fixture to a temporary folder (so nothing is written into the
/// repository), letting `edit` change its `site.yml`.
fn site(name: &str, edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    fixture_with_site_yml(&fixture(name), edit)
}

struct Run {
    stdout: String,
    stderr: String,
    code: Option<i32>,
}

fn check(root: &Path, format: &str, lang: &str) -> Run {
    let o = gongshi(lang).args(["check", "--date", "2026-11-20", "--format", format, "--root"]).arg(root).output().unwrap();
    Run { stdout: String::from_utf8_lossy(&o.stdout).into_owned(), stderr: String::from_utf8_lossy(&o.stderr).into_owned(), code: o.status.code() }
}

/// The PII findings of a JSON report: (rule, severity, file, line, message, message_en).
fn pii(root: &Path) -> Vec<(String, String, String, u64, String, String)> {
    let r = check(root, "json", "C.UTF-8");
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("JSON ({e}), exit {:?}:\n{}\n{}", r.code, r.stdout, r.stderr));
    doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"].as_str().unwrap().starts_with("PII-"))
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_owned();
            (s("rule"), s("severity"), s("file"), f["line"].as_u64().unwrap_or(0), s("message"), s("message_en"))
        })
        .collect()
}

/// Every number planted in `leaky/`, as written there.
const PLANTED: &[&str] = &[
    // content/news/leak.md: front matter, then body.
    "13748215566",
    "11010119620703107X",
    "6222000012345673",
    "+86 139 6158 7204",
    "370323197904120038",
    "370323790412003",
    "3703231979****0037",
    // content/notices/2026-youxiu/名单.csv (UTF-8)
    "370323197904120037",
    "15893027741",
    // 名单-gbk.csv (GBK)
    "110101196609300092",
    "17756128390",
    // 名单.xlsx
    "37032319920228006X",
    "18672450913",
    "11010119880815105X",
    // content/files/说明.txt
    "11010119751224106X",
    "6217 0000 9876 5432 107",
    // content/notices/notices.csv (a GBK notices data file)
    "13582064417",
];

/// What must not appear: each number as written, its digits alone, and the
/// part a mask hides with a digit on either side of it (an ID's birth date,
/// a phone's middle four).
fn forbidden() -> Vec<String> {
    let mut v = Vec::new();
    for p in PLANTED {
        let digits: String = p.chars().filter(|c| c.is_ascii_alphanumeric()).collect();
        let digits = digits.strip_prefix("86").filter(|d| d.len() == 11).unwrap_or(&digits).to_owned();
        v.push((*p).to_owned());
        v.push(digits.clone());
        if !p.contains('*') {
            let n = digits.len();
            let (front, back) = if n == 11 { (3, 4) } else { (4, 4) };
            v.push(digits[front - 1..n - back + 1].to_owned());
        } else {
            // The partly masked ID shows its birth year: region + year together must not.
            v.push(p[..10].to_owned());
        }
    }
    v
}

/// Fails on the first forbidden string in `out`, naming the finding (rule
/// ID) whose text holds it when there is one.
fn assert_no_leak(what: &str, out: &str) {
    for f in forbidden() {
        if let Some(at) = out.find(&f) {
            let rule = rule_before(out, at).unwrap_or("?");
            panic!("{what}: `{f}` appears in the output, in a finding of rule {rule}:\n{out}");
        }
    }
}

/// The rule of the finding around byte `at` of text or JSON output.
fn rule_before(out: &str, at: usize) -> Option<&str> {
    if out.trim_start().starts_with('{') {
        // JSON keys are sorted: a finding's "rule" comes after its message.
        let after = &out[at..];
        return after.find("\"rule\": \"").map(|i| &after[i + 9..]).and_then(|s| s.split_once('"')).map(|(r, _)| r);
    }
    let before = &out[..at];
    before.rfind("error[").max(before.rfind("warning[")).max(before.rfind("info[")).map(|i| &before[i..]).and_then(|s| s.split_once('[')).and_then(|(_, r)| r.split_once(']')).map(|(r, _)| r)
}

/// The findings of one rule family in text output: blocks from `error[ID]`
/// (or warning/info) up to the next one.
fn text_blocks<'o>(out: &'o str, prefix: &str) -> Vec<&'o str> {
    let mut starts: Vec<usize> = ["error[", "warning[", "info["].iter().flat_map(|m| out.match_indices(m).map(|(i, _)| i)).collect();
    starts.sort();
    starts.iter().enumerate().map(|(k, &s)| &out[s..starts.get(k + 1).copied().unwrap_or(out.len())]).filter(|b| b.split_once('[').is_some_and(|(_, r)| r.starts_with(prefix))).collect()
}

#[test]
fn finds_every_planted_number() {
    let tmp = site("leaky", |s| s);
    let mut got: Vec<(String, String, String, u64)> = pii(tmp.path()).into_iter().map(|(r, s, f, l, _, _)| (r, s, f, l)).collect();
    got.sort();
    let e = |rule: &str, file: &str, line: u64| {
        let sev = if rule == "PII-ID-02" { "warning" } else { "error" };
        (rule.to_owned(), sev.to_owned(), format!("content/{file}"), line)
    };
    let mut want = vec![
        // The .txt attachment.
        e("PII-ID-01", "files/说明.txt", 3),
        e("PII-BANK-01", "files/说明.txt", 4),
        // Front matter (summary) and body of a Markdown page.
        e("PII-TEL-01", "news/leak.md", 4),
        e("PII-ID-01", "news/leak.md", 7),
        e("PII-BANK-01", "news/leak.md", 9),
        e("PII-TEL-01", "news/leak.md", 9),
        e("PII-ID-02", "news/leak.md", 11),
        e("PII-ID-02", "news/leak.md", 11),
        e("PII-ID-02", "news/leak.md", 13),
        // A 公示 page's table: 家庭住址 down to the room number.
        e("PII-CTX-01", "notices/2026-youxiu/index.md", 18),
        // GBK CSV attachment.
        e("PII-CTX-01", "notices/2026-youxiu/名单-gbk.csv", 2),
        e("PII-CTX-01", "notices/2026-youxiu/名单-gbk.csv", 2),
        e("PII-ID-01", "notices/2026-youxiu/名单-gbk.csv", 2),
        e("PII-TEL-01", "notices/2026-youxiu/名单-gbk.csv", 2),
        // UTF-8 CSV attachment.
        e("PII-CTX-01", "notices/2026-youxiu/名单.csv", 2),
        e("PII-CTX-01", "notices/2026-youxiu/名单.csv", 2),
        e("PII-ID-01", "notices/2026-youxiu/名单.csv", 2),
        e("PII-TEL-01", "notices/2026-youxiu/名单.csv", 2),
        // XLSX: a text ID on sheet 说明, a text ID and a text and a numeric mobile on 名单.
        e("PII-ID-01", "notices/2026-youxiu/名单.xlsx", 2),
        e("PII-ID-01", "notices/2026-youxiu/名单.xlsx", 2),
        e("PII-CTX-01", "notices/2026-youxiu/名单.xlsx", 2),
        e("PII-CTX-01", "notices/2026-youxiu/名单.xlsx", 2),
        e("PII-TEL-01", "notices/2026-youxiu/名单.xlsx", 2),
        e("PII-TEL-01", "notices/2026-youxiu/名单.xlsx", 3),
        // A notices data file (GBK), its 电话 column.
        e("PII-CTX-01", "notices/notices.csv", 2),
        e("PII-TEL-01", "notices/notices.csv", 2),
    ];
    want.sort();
    assert_eq!(got, want);
}

#[test]
fn messages_show_numbers_masked() {
    let tmp = site("leaky", |s| s);
    let found = pii(tmp.path());
    let has = |file: &str, zh: &str, en: &str| {
        assert!(
            found.iter().any(|f| f.2 == format!("content/{file}") && f.4 == zh && f.5 == en),
            "no finding {zh} / {en} in {file}: {found:#?}"
        )
    };
    // The X check digit, kept as one of the last four.
    has("news/leak.md", "第 7 行有完整的身份证号 1101**********107X", "line 7 has a full ID number 1101**********107X");
    has("news/leak.md", "第 4 行有个人手机号 137****5566", "line 4 has a personal mobile number 137****5566");
    has("news/leak.md", "第 9 行有个人手机号 +86 139 **** 7204", "line 9 has a personal mobile number +86 139 **** 7204");
    has("news/leak.md", "第 9 行有银行卡号 6222********5673", "line 9 has a bank card number 6222********5673");
    has("news/leak.md", "第 13 行的身份证号（3703**********0037）露出了出生日期中的 4 位", "line 13 has an ID number (3703**********0037) that shows 4 of the 8 birth-date digits");
    has("notices/2026-youxiu/名单-gbk.csv", "第 2 行有完整的身份证号 1101**********0092", "line 2 has a full ID number 1101**********0092");
    has("notices/2026-youxiu/名单.xlsx", "第 2 行有完整的身份证号 3703**********006X", "line 2 has a full ID number 3703**********006X");
    has("notices/2026-youxiu/名单.xlsx", "“联系电话”列第 2 行的电话号码没有脱敏（本列共 2 处）", "the phone number in column \"联系电话\" on line 2 is not masked (2 in this column)");
    has("files/说明.txt", "第 3 行有完整的身份证号 1101**********106X", "line 3 has a full ID number 1101**********106X");
}

#[test]
fn xlsx_findings_name_sheet_and_column() {
    let tmp = site("leaky", |s| s);
    let r = check(tmp.path(), "text", "C.UTF-8");
    assert!(r.stdout.contains("note: sheet \"名单\", column C (身份证号)"), "{}", r.stdout);
    assert!(r.stdout.contains("note: sheet \"说明\", column A (说明)"), "{}", r.stdout);
    assert!(r.stdout.contains("2 | 1 | 孙某 | 3703**********006X | 186****0913 | 无"), "{}", r.stdout);
    assert_eq!(r.code, Some(1), "PII errors fail the check");
}

/// Runs `check` in text and JSON and checks every PII finding; returns how
/// many there were in the text output.
fn assert_pii_findings_masked(root: &Path, lang: &str) -> usize {
    let r = check(root, "text", lang);
    let blocks = text_blocks(&r.stdout, "PII-");
    for b in &blocks {
        assert_no_leak(&format!("text, LANG={lang}"), b);
    }
    let r = check(root, "json", lang);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    for f in doc["findings"].as_array().unwrap().iter().filter(|f| f["rule"].as_str().unwrap().starts_with("PII-")) {
        assert_no_leak(&format!("json, LANG={lang}"), &f.to_string());
    }
    blocks.len()
}

#[test]
fn pii_findings_never_show_a_full_number() {
    let tmp = site("leaky", |s| s);
    for lang in ["C.UTF-8", "zh_CN.UTF-8"] {
        assert_eq!(assert_pii_findings_masked(tmp.path(), lang), 26, "{lang}");
    }
}

/// The whole of what `check` prints, every rule family included: a number
/// that another rule quotes (a notice's contact phone, say) leaks as much.
/// Other families can mask with `gongshi::check::pii::mask_numbers`.
#[test]
fn no_full_number_anywhere_in_check_output() {
    let tmp = site("leaky", |s| s);
    for format in ["text", "json"] {
        for lang in ["C.UTF-8", "zh_CN.UTF-8"] {
            let r = check(tmp.path(), format, lang);
            assert!(r.stdout.contains("PII-ID-01"), "{format} {lang}: no findings?\n{}{}", r.stdout, r.stderr);
            assert_no_leak(&format!("check --format {format}, LANG={lang}"), &format!("{}\n{}", r.stdout, r.stderr));
        }
    }
}

#[test]
fn no_full_number_when_the_number_rules_are_off() {
    // PII-CTX-01 quotes the same lines: they stay masked although the
    // rules that found the numbers report nothing.
    let tmp = site("leaky", |s| s + "check:\n  severity: {PII-ID-01: off, PII-ID-02: off, PII-TEL-01: off, PII-BANK-01: off}\n");
    let found = pii(tmp.path());
    assert!(found.iter().all(|f| f.0 == "PII-CTX-01") && found.len() == 8, "{found:#?}");
    assert_eq!(assert_pii_findings_masked(tmp.path(), "C.UTF-8"), 8);
}

#[test]
fn allow_listed_mobile_is_not_reported() {
    let tmp = site("leaky", |s| s + "check:\n  phone_allow: [\"137-4821-5566\"]\n");
    let found = pii(tmp.path());
    assert!(!found.iter().any(|f| f.0 == "PII-TEL-01" && f.2 == "content/news/leak.md" && f.3 == 4), "{found:#?}");
    assert!(found.iter().any(|f| f.0 == "PII-TEL-01" && f.2 == "content/news/leak.md" && f.3 == 9));
}

#[test]
fn masked_values_credit_codes_landlines_and_hotlines_are_clean() {
    let tmp = site("clean", |s| s);
    let found = pii(tmp.path());
    assert!(found.is_empty(), "{found:#?}");
    // Without the allow-list the hotline is a mobile like any other.
    let tmp = site("clean", |s| s.replace("phone_allow: [15666001234, 12345]", "phone_allow: [12345]"));
    let found: Vec<_> = pii(tmp.path()).into_iter().map(|f| (f.0, f.2, f.3)).collect();
    assert_eq!(
        found,
        [
            ("PII-TEL-01".to_owned(), "content/news/masked.md".to_owned(), 4),
            ("PII-TEL-01".to_owned(), "content/news/masked.md".to_owned(), 11),
            ("PII-CTX-01".to_owned(), "content/notices/2026-youxiu/index.md".to_owned(), 19),
            ("PII-TEL-01".to_owned(), "content/notices/2026-youxiu/index.md".to_owned(), 19),
        ]
    );
}

#[test]
fn shipped_site_has_no_personal_data() {
    // Its 索引号 113703230047500123/2020-00001 is 18 digits and passes Luhn:
    // neither an ID (year 2300) nor a card (followed by /2020-…).
    let found = pii(&repo());
    assert!(found.is_empty(), "{found:#?}");
}

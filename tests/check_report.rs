//! What staff read: `gongshi check` on a site with many defects, in English
//! and in Chinese, grouped by file with rule IDs, places and fixes.

mod common;
use common::*;

#[test]
fn human_report_of_a_site_with_many_defects() {
    let site = repo().join("tests/check/docs/bad");
    let mut out = String::new();
    for lang in ["C.UTF-8", "zh_CN.UTF-8"] {
        let o = gongshi(lang).args(["check", "--date", "2026-11-20", "--root"]).arg(&site).output().unwrap();
        assert_eq!(o.status.code(), Some(1), "errors exit with 1");
        out.push_str(&format!("--- LANG={lang}\n{}", String::from_utf8_lossy(&o.stdout)));
    }
    insta::assert_snapshot!("check_report_many_defects", out);
}

#[test]
fn json_report_and_exit_codes() {
    let o = gongshi("C.UTF-8").args(["check", "--format", "json", "--root"]).arg(repo()).output().unwrap();
    // The shipped site: warnings only (the plan's 文号 year) → exit 3.
    assert_eq!(o.status.code(), Some(3), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["errors"], 0);
    let rules: Vec<&str> = v["findings"].as_array().unwrap().iter().map(|f| f["rule"].as_str().unwrap()).collect();
    assert_eq!(rules, vec!["DOC-NO-04"]);
    assert_eq!(v["findings"][0]["file"], "content/documents/sbdb-fangan.md");
    assert_eq!(v["findings"][0]["blocks_build"], false);
}

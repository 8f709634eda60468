//! Each folder in `tests/cases/` is a small site. Building it must print
//! exactly the console snapshot (in English and in Chinese) and, when it
//! builds, write exactly the output snapshot. A reader learns what gongshi
//! says and writes from `tests/snapshots/`.

mod common;
use common::*;

#[test]
fn cases() {
    insta::glob!("cases/*/site.yml", |site_yml| {
        let case = site_yml.parent().unwrap();
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("site");
        copy_dir(case, &root);
        let out = tmp.path().join("public");
        let mut stderrs = Vec::new();
        let mut status = None;
        for lang in ["C.UTF-8", "zh_CN.UTF-8"] {
            let o = gongshi(lang)
                .args(["build", "--date", "2026-11-20", "--root"])
                .arg(&root)
                .arg("--output")
                .arg(&out)
                .output()
                .unwrap();
            stderrs.push(normalize(&String::from_utf8_lossy(&o.stderr), tmp.path()));
            assert_eq!(*status.get_or_insert(o.status.success()), o.status.success(), "{name}: same result in both languages");
        }
        let ok = status.unwrap();
        let console = format!("exit: {}\n--- LANG=C.UTF-8\n{}--- LANG=zh_CN.UTF-8\n{}", if ok { "success" } else { "failure" }, stderrs[0], stderrs[1]);
        insta::assert_snapshot!(format!("{name}__console"), console);
        if ok {
            insta::assert_snapshot!(format!("{name}__output"), tree_snapshot(&out));
        } else {
            assert!(!out.exists(), "{name}: a failed build must not create the output folder");
        }
        // The case name says what it is: good cases build, bad-input cases fail.
        let bad = name.ends_with("-bad") || ["bad-", "missing-", "unknown-", "template-", "gbk-", "duplicate-", "broken-", "many-"].iter().any(|p| name.starts_with(p));
        assert_eq!(ok, !bad, "{name}: expected {}", if bad { "failure" } else { "success" });
    });
}

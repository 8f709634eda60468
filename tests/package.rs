//! `gongshi package`: a dated zip, its manifest, and a record of what changed
//! since the last package.

mod common;
use common::*;

fn package(root: &std::path::Path, out: &std::path::Path, date: &str) -> std::process::Output {
    gongshi("C.UTF-8").args(["package", "--date", date, "--root"]).arg(root).arg("--output").arg(out).output().unwrap()
}

#[test]
fn packages_record_what_changed_since_the_last_one() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&repo().join("tests/cases/minimal"), &root);
    let out = tmp.path().join("packages");

    let first = package(&root, &out, "2026-11-20");
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    let record1 = std::fs::read_to_string(out.join("site-2026-11-20.record.md")).unwrap();
    assert!(record1.contains("首次发布"), "{record1}");
    let zip1 = std::fs::read(out.join("site-2026-11-20.zip")).unwrap();
    assert_eq!(&zip1[..2], b"PK");

    // Change one page, add one, remove one.
    std::fs::write(root.join("content/about.md"), "---\ntitle: 关于（修订）\ndate: 2026-10-01\n---\n新内容。\n").unwrap();
    std::fs::write(root.join("content/news/n4.md"), "---\ntitle: 第4条新闻\ndate: 2026-11-19\n---\n正文。\n").unwrap();
    std::fs::remove_file(root.join("content/news/img.md")).unwrap();
    let second = package(&root, &out, "2026-11-21");
    assert!(second.status.success(), "{}", String::from_utf8_lossy(&second.stderr));
    let record = std::fs::read_to_string(out.join("site-2026-11-21.record.md")).unwrap();
    assert!(record.contains("对比上一次发布：site-2026-11-20"), "{record}");
    let section = |head: &str| record.split(&format!("## {head}")).nth(1).unwrap().split("\n## ").next().unwrap().to_owned();
    assert!(section("新增").contains("`news/n4/index.html` 第4条新闻"), "{record}");
    assert!(section("修改").contains("`about/index.html` 关于（修订）"), "{record}");
    assert!(section("删除").contains("`news/img/index.html`"), "{record}");
    // The manifest beside the archive verifies the archive's files.
    let manifest = std::fs::read_to_string(out.join("site-2026-11-21.manifest.sha256")).unwrap();
    assert!(manifest.contains("  news/n4/index.html\n"));
}

#[test]
fn same_site_and_date_give_the_same_archive() {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&repo().join("tests/cases/minimal"), &root);
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    assert!(package(&root, &a, "2026-11-20").status.success());
    assert!(package(&root, &b, "2026-11-20").status.success());
    assert_eq!(std::fs::read(a.join("site-2026-11-20.zip")).unwrap(), std::fs::read(b.join("site-2026-11-20.zip")).unwrap());
    // A second package on the same day gets its own name.
    assert!(package(&root, &a, "2026-11-20").status.success());
    assert!(a.join("site-2026-11-20-2.zip").exists());
}

#[test]
fn no_package_while_the_check_finds_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("packages");
    // This fixture leaks ID and phone numbers: nothing may be packaged.
    let o = package(&repo().join("tests/check/pii/leaky"), &out, "2026-11-20");
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("no package written"));
    assert!(!out.join("site-2026-11-20.zip").exists());
}

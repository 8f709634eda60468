//! End-to-end behaviour of `gongshi build`, `init` and `new` through the binary.

mod common;
use common::*;
use std::path::Path;

fn build(root: &Path, out: &Path, extra: &[&str]) -> std::process::Output {
    gongshi("C.UTF-8").arg("build").arg("--root").arg(root).arg("--output").arg(out).args(extra).output().unwrap()
}

fn fixture(name: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let root = tmp.path().join("site");
    copy_dir(&repo().join("tests/cases").join(name), &root);
    (tmp, root)
}

#[test]
fn failed_build_leaves_previous_output_byte_identical() {
    let (tmp, root) = fixture("minimal");
    let out = tmp.path().join("public");
    assert!(build(&root, &out, &["--date", "2026-11-20"]).status.success());
    let before = read_tree(&out);
    assert!(before.len() > 10);

    // Break one page, change another: nothing of it may reach the output.
    std::fs::write(root.join("content/news/n1.md"), "---\ntitle: [broken\n---\n").unwrap();
    std::fs::write(root.join("content/about.md"), "---\ntitle: 改过的标题\n---\n").unwrap();
    let o = build(&root, &out, &["--date", "2026-11-20"]);
    assert!(!o.status.success());
    assert!(String::from_utf8_lossy(&o.stderr).contains("content/news/n1.md:2:8"), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(read_tree(&out), before, "the previous public/ must be untouched");
    // No staging folders are left behind beside it.
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().map(|e| e.file_name()).filter(|n| n.to_string_lossy().contains("gongshi-")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn same_input_and_date_give_byte_identical_output() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    for out in [a.path(), b.path()] {
        let o = build(&repo(), &out.join("public"), &["--date", "2026-11-20"]);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let (ta, tb) = (read_tree(&a.path().join("public")), read_tree(&b.path().join("public")));
    assert!(ta.len() > 30);
    assert_eq!(ta.iter().map(|f| &f.0).collect::<Vec<_>>(), tb.iter().map(|f| &f.0).collect::<Vec<_>>());
    for ((pa, ba), (_, bb)) in ta.iter().zip(&tb) {
        assert!(ba == bb, "{pa} differs between two builds");
    }
}

#[test]
fn manifest_lists_every_file_with_its_sha256() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert!(build(&repo(), &out, &[]).status.success());
    let manifest = std::fs::read_to_string(out.join("manifest.sha256")).unwrap();
    let mut listed: Vec<&str> = manifest.lines().map(|l| l.split_once("  ").unwrap().1).collect();
    let mut files: Vec<String> = read_tree(&out).into_iter().map(|f| f.0).filter(|p| p != "manifest.sha256").collect();
    listed.sort_unstable();
    files.sort_unstable();
    assert_eq!(listed, files);
    if Path::new("/usr/bin/sha256sum").exists() {
        let check = std::process::Command::new("sha256sum").args(["-c", "--quiet", "manifest.sha256"]).current_dir(&out).output().unwrap();
        assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    }
}

#[test]
fn build_date_comes_from_flag_then_site_yml_then_source_date_epoch() {
    let (tmp, root) = fixture("minimal");
    let out = tmp.path().join("public");
    let date_of = |o: &std::process::Output| {
        let s = String::from_utf8_lossy(&o.stderr).into_owned();
        s.split("build date ").nth(1).unwrap_or_default()[..10].to_owned()
    };
    // 1_600_000_000 is 2020-09-13 in China.
    let run = |extra: &[&str]| gongshi("C.UTF-8").env("SOURCE_DATE_EPOCH", "1600000000").args(["build", "--root"]).arg(&root).arg("--output").arg(&out).args(extra).output().unwrap();
    assert_eq!(date_of(&run(&[])), "2020-09-13");
    let yml = std::fs::read_to_string(root.join("site.yml")).unwrap();
    std::fs::write(root.join("site.yml"), format!("{yml}build_date: 2024-01-02\n")).unwrap();
    assert_eq!(date_of(&run(&[])), "2024-01-02");
    assert_eq!(date_of(&run(&["--date", "2026-11-20"])), "2026-11-20");
}

#[test]
fn refuses_output_folders_that_would_destroy_the_site() {
    let (tmp, root) = fixture("minimal");
    for bad in [root.clone(), root.join("content"), tmp.path().to_owned(), root.join("content/news/out")] {
        let o = build(&root, &bad, &[]);
        assert!(!o.status.success(), "{} accepted", bad.display());
        assert!(String::from_utf8_lossy(&o.stderr).contains("refusing"), "{}", String::from_utf8_lossy(&o.stderr));
    }
    // A folder of someone else's files is not replaced either.
    let other = tmp.path().join("documents");
    std::fs::create_dir_all(&other).unwrap();
    std::fs::write(other.join("keep.txt"), "mine").unwrap();
    assert!(!build(&root, &other, &[]).status.success());
    assert_eq!(std::fs::read_to_string(other.join("keep.txt")).unwrap(), "mine");
    assert!(root.join("content/_index.md").exists());
}

#[test]
fn sub_path_base_url_prefixes_every_internal_link() {
    let (tmp, root) = fixture("minimal");
    let out = tmp.path().join("public");
    assert!(build(&root, &out, &["--base-url", "https://host.example/a/b"]).status.success());
    for (path, bytes) in read_tree(&out).into_iter().filter(|f| f.0.ends_with(".html")) {
        let html = String::from_utf8(bytes).unwrap();
        for attr in ["href=\"", "src=\""] {
            for part in html.split(attr).skip(1) {
                let url = &part[..part.find('"').unwrap()];
                let external = url.starts_with("https://beian") || url.starts_with("mailto:") || url.starts_with('#');
                assert!(external || url.starts_with("/a/b/"), "{path}: {url} does not start with /a/b/");
            }
        }
    }
}

#[test]
fn init_writes_a_chinese_site_that_builds_and_new_adds_pages_where_they_belong() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("新站点");
    let o = gongshi("zh_CN.UTF-8").arg("init").arg(&site).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stderr).contains("已新建站点"));
    assert!(std::fs::read_to_string(site.join("site.yml")).unwrap().contains("主办单位"));
    // init refuses a folder that has files.
    assert!(!gongshi("C.UTF-8").arg("init").arg(&site).output().unwrap().status.success());

    let new = |kind: &str, title: &str| {
        let o = gongshi("C.UTF-8").env("SOURCE_DATE_EPOCH", "1764288000").args(["new", kind, title, "--root"]).arg(&site).output().unwrap();
        assert!(o.status.success(), "{kind}: {}", String::from_utf8_lossy(&o.stderr));
        std::path::PathBuf::from(String::from_utf8(o.stdout).unwrap().trim())
    };
    let news = new("news", "专栏更新说明");
    assert!(news.starts_with(site.join("content/news")), "{}", news.display());
    let text = std::fs::read_to_string(&news).unwrap();
    assert!(text.contains("title: 专栏更新说明") && text.contains("date: 2025-11-28"), "{text}");
    let doc = new("document", "关于印发方案的通知");
    assert!(doc.starts_with(site.join("content/document")));
    assert!(std::fs::read_to_string(site.join("content/document/_index.md")).unwrap().contains("kind: document"));
    let person = new("people", "张三");
    assert!(person.starts_with(site.join("content/people")));
    // A second page of the same kind goes to the same folder, under a new name.
    let doc2 = new("文件", "关于印发方案的通知");
    assert_eq!(doc2.parent(), doc.parent());
    assert_ne!(doc2, doc);
    assert!(!gongshi("C.UTF-8").args(["new", "blog", "x", "--root"]).arg(&site).output().unwrap().status.success());

    let o = gongshi("C.UTF-8").args(["build", "--root"]).arg(&site).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(site.join("public/people/index.html").exists());
}

#[test]
fn shipped_site_builds_without_warnings_and_holds_the_plan() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let o = build(&repo(), &out, &[]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{err}");
    // The one expected finding: the plan's 文号 year (2023) differs from its 成文日期 (2020).
    let findings: Vec<&str> = err.lines().filter(|l| l.starts_with("warning") || l.starts_with("error")).collect();
    assert_eq!(findings.len(), 1, "{err}");
    assert!(findings[0].starts_with("warning[DOC-NO-04]"), "{err}");
    let plan = std::fs::read_to_string(out.join("documents/sbdb-fangan/index.html")).unwrap();
    for want in ["源经发〔2023〕4号", "2020年2月19日", "沂源经济开发区党工委", "一、指导思想", "刘克平同志兼任办公室主任"] {
        assert!(plan.contains(want), "plan page lacks {want}");
    }
    assert!(!plan.contains("_GoBack"));
    // The 领导小组 in the plan's order.
    let people = std::fs::read_to_string(out.join("people/index.html")).unwrap();
    let order = ["王贵玉", "张仲亮", "王文学", "马福义", "杜兴杰", "杜明臣", "刘克平", "陈丙海", "魏燕玲", "郑伟", "吴明"];
    let pos: Vec<usize> = order.iter().map(|n| people.find(n).unwrap_or_else(|| panic!("{n} missing"))).collect();
    assert!(pos.windows(2).all(|w| w[0] < w[1]), "not in the plan's order");
    for area in ["dongneng", "chanye", "tizhi", "qiye", "dangjian"] {
        assert!(out.join(format!("areas/{area}/index.html")).exists());
    }
}

/// Every listing, record page, chart page and open-data file of the shipped
/// site can be reached by following links from the home page.
#[test]
fn everything_in_the_shipped_site_is_reachable_from_the_home_page() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    assert!(build(&repo(), &out, &["--base-url", "https://h.example/p/"]).status.success());
    let files: std::collections::BTreeMap<String, Vec<u8>> = read_tree(&out).into_iter().collect();
    let mut seen = std::collections::BTreeSet::new();
    let mut queue = vec!["index.html".to_owned()];
    while let Some(path) = queue.pop() {
        if !seen.insert(path.clone()) || !path.ends_with(".html") {
            continue;
        }
        let html = String::from_utf8_lossy(&files[&path]).into_owned();
        // Links, and the search form's action (the search box on every page).
        let urls = html.split("href=\"").skip(1).chain(html.split("action=\"").skip(1));
        for part in urls {
            let url = &part[..part.find('"').unwrap()];
            let Some(rest) = url.strip_prefix("/p/") else { continue };
            let rest = rest.split('#').next().unwrap();
            let target = if rest.is_empty() || rest.ends_with('/') { format!("{rest}index.html") } else { rest.to_owned() };
            if files.contains_key(&target) {
                queue.push(target);
            }
        }
    }
    let unreachable: Vec<&String> = files
        .keys()
        .filter(|p| (p.ends_with(".html") || p.starts_with("data/")) && *p != "404.html" && !seen.contains(*p))
        .collect();
    assert!(unreachable.is_empty(), "not reachable from the home page: {unreachable:?}");
    for must in ["tasks/index.html", "indicators/I01/index.html", "data/tasks.csv", "data/indicators.json", "notices/index.html", "enterprises/index.html", "projects/index.html"] {
        assert!(seen.contains(must), "{must} not reached");
    }
}

#[test]
fn checks_refusing_a_build_leave_the_old_site_and_no_staged_pages() {
    let (tmp, root) = fixture("minimal");
    let out = tmp.path().join("public");
    assert!(build(&root, &out, &["--date", "2026-11-20"]).status.success());
    let before = read_tree(&out);

    // A whole ID card number: pages render (into the staging folder), then the check refuses.
    std::fs::write(root.join("content/news/id.md"), "---\ntitle: 名单\ndate: 2026-11-19\n---\n\n张三，身份证号 11010519491231002X。\n").unwrap();
    let o = build(&root, &out, &["--date", "2026-11-20"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success() && err.contains("PII-"), "{err}");
    assert_eq!(read_tree(&out), before, "the previous public/ must be untouched");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().flatten().map(|e| e.file_name()).filter(|n| n.to_string_lossy().contains("gongshi-")).collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");

    // --no-check builds it, and says loudly that nothing was checked.
    let o = build(&root, &out, &["--date", "2026-11-20", "--no-check"]);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success() && err.contains("--no-check"), "{err}");
    assert!(std::fs::read_to_string(out.join("news/id/index.html")).unwrap().contains("名单"));
}

#[test]
fn a_site_without_search_has_no_search_page_index_or_box() {
    let (tmp, root) = fixture("minimal");
    let yml = std::fs::read_to_string(root.join("site.yml")).unwrap();
    std::fs::write(root.join("site.yml"), format!("{yml}\n站内搜索: false\n")).unwrap();
    let out = tmp.path().join("public");
    let o = build(&root, &out, &["--date", "2026-11-20"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(!out.join("search").exists());
    let home = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!home.contains("site-search") && home.contains("</html>"), "{home}");
}

//! Site search in Rust: the tokeniser, the posting codec, ranking on the
//! fixture site (`tests/fixtures/search/`) and the required names on the
//! shipped site. `tests/search_browser.rs` checks that `search.js` does the same.

use gongshi::pipeline::{BuildOptions, Built, build};
use gongshi::search::{self, Index, decode_postings, encode_postings, query_terms, tokens};
use std::path::Path;
use std::sync::OnceLock;

fn repo() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn build_site(root: &Path) -> Built {
    let opts = BuildOptions { root: root.to_owned(), base_url: None, drafts: false, date: None, fallback_date: jiff::civil::date(2026, 11, 20) };
    match build(&opts) {
        Ok(b) => b,
        Err(d) => panic!("build of {} failed: {d:?}", root.display()),
    }
}

fn fixture() -> &'static (Built, Index) {
    static F: OnceLock<(Built, Index)> = OnceLock::new();
    F.get_or_init(|| {
        let b = build_site(&repo().join("tests/fixtures/search"));
        let i = search::build(&b.site);
        (b, i)
    })
}

fn shipped() -> &'static (Built, Index) {
    static S: OnceLock<(Built, Index)> = OnceLock::new();
    S.get_or_init(|| {
        let b = build_site(&repo());
        let i = search::build(&b.site);
        (b, i)
    })
}

fn paths(index: &Index, q: &str) -> Vec<String> {
    index.query(q).into_iter().map(|h| h.path).collect()
}

fn t(s: &str) -> Vec<String> {
    tokens(s)
}

fn v(x: &[&str]) -> Vec<String> {
    x.iter().map(|s| s.to_string()).collect()
}

// ------------------------------------------------------------- tokeniser

#[test]
fn han_gives_characters_and_overlapping_pairs() {
    assert_eq!(t("一段简单"), v(&["一", "一段", "段", "段简", "简", "简单", "单"]));
    assert_eq!(t("瞪羚"), v(&["瞪", "瞪羚", "羚"]));
    assert_eq!(t("王贵玉"), v(&["王", "王贵", "贵", "贵玉", "玉"]));
    // Every pair of a substring is a token of the text, so a substring finds it.
    for (text, sub) in [("一段简单", "段简"), ("提高亩均效益", "亩均效益"), ("哌拉西林国际高端认证产业化项目", "哌拉西林"), ("领导小组组长王贵玉出席", "王贵玉")] {
        let all = t(text);
        for term in query_terms(sub) {
            assert!(all.contains(&term), "{sub:?}: {term:?} not among the tokens of {text:?}");
        }
    }
}

#[test]
fn punctuation_separates_and_numbers_are_words() {
    assert_eq!(t("源经发〔2023〕4号"), v(&["源", "源经", "经", "经发", "发", "2023", "4", "号"]));
    assert_eq!(t("《通知》“树标”、对标，夺标。"), v(&["通", "通知", "知", "树", "树标", "标", "对", "对标", "标", "夺", "夺标", "标"]));
    assert_eq!(t("总投资5.6亿元"), v(&["总", "总投", "投", "投资", "资", "5", "6", "亿", "亿元", "元"]));
    assert_eq!(t(""), Vec::<String>::new());
    assert_eq!(t(" ，。！"), Vec::<String>::new());
}

#[test]
fn mixed_chinese_and_english() {
    assert_eq!(t("CSV下载"), v(&["csv", "下", "下载", "载"]));
    assert_eq!(t("ICP备案"), v(&["icp", "备", "备案", "案"]));
    assert_eq!(t("鲁ICP备00000000号"), v(&["鲁", "icp", "备", "00000000", "号"]));
    assert_eq!(t("Gongshi静态网站generator"), v(&["gongshi", "静", "静态", "态", "态网", "网", "网站", "站", "generator"]));
}

#[test]
fn full_width_ascii_is_half_width_and_lower_case() {
    assert_eq!(t("２０２３年"), v(&["2023", "年"]));
    assert_eq!(t("ＩＣＰ备案"), t("icp备案"));
    assert_eq!(t("ＡＢＣ２０２３"), v(&["abc2023"]));
    assert_eq!(t("Ｗｉｆｉ\u{3000}覆盖"), v(&["wifi", "覆", "覆盖", "盖"]));
    assert_eq!(search::normalize("ＡＢｃ　１"), "abc 1");
}

#[test]
fn query_terms_are_pairs_words_and_single_characters() {
    assert_eq!(query_terms("段简"), v(&["段简"]));
    assert_eq!(query_terms("王贵玉"), v(&["王贵", "贵玉"]));
    assert_eq!(query_terms("亩均效益"), v(&["亩均", "均效", "效益"]));
    assert_eq!(query_terms("源经发〔2023〕4号"), v(&["源经", "经发", "2023", "4", "号"]));
    assert_eq!(query_terms("CSV下载"), v(&["csv", "下载"]));
    assert_eq!(query_terms("ＩＣＰ 备案 icp"), v(&["icp", "备案"]));
    assert_eq!(query_terms("段"), v(&["段"]));
    assert_eq!(query_terms("标标标"), v(&["标标"]));
    assert!(query_terms("，。 !?").is_empty());
    // Long queries are cut, not refused.
    let long = "一二三四五六七八九十".repeat(20);
    assert_eq!(query_terms(&long).len(), 10, "the ten distinct pairs of the cycle");
    let long: String = ('一'..).take(200).collect();
    assert_eq!(query_terms(&long).len(), search::MAX_TERMS);
}

#[test]
fn surrogate_pairs_and_extension_characters() {
    // 𠀀 (U+20000) is a Han character outside the BMP.
    assert_eq!(t("𠀀字"), v(&["𠀀", "𠀀字", "字"]));
    assert_eq!(search::hash("𠀀"), {
        let mut h: u32 = 0x811c9dc5;
        for u in [0xD840u32, 0xDC00] {
            h ^= u;
            h = h.wrapping_mul(16777619);
        }
        h
    });
}

/// `tokens` streams; `runs` (what `query_terms` and `search.js` use) collects.
/// Both must split every text the same way.
#[test]
fn tokens_agree_with_runs_on_every_shipped_text() {
    let (_, idx) = shipped();
    let by_runs = |text: &str| -> Vec<String> {
        let mut out = Vec::new();
        for r in search::runs(text) {
            match r {
                search::Run::Han(cs) => {
                    for i in 0..cs.len() {
                        out.push(cs[i].to_string());
                        if i + 1 < cs.len() {
                            out.push(cs[i..i + 2].iter().collect());
                        }
                    }
                }
                search::Run::Word(w) => out.push(w),
            }
        }
        out
    };
    let mut n = 0;
    for d in &idx.docs {
        for text in [&d.title, &d.meta, &d.text] {
            assert_eq!(tokens(text), by_runs(text), "{text}");
            n += 1;
        }
    }
    for text in ["ＡＢＣ２０２３年", "a1b2 c3", "〇一二", "x𠀀y", "😀字", ""] {
        assert_eq!(tokens(text), by_runs(text), "{text}");
    }
    assert!(n > 300);
}

#[test]
fn postings_round_trip() {
    let p = vec![(0, 9), (1, 0), (31, 31), (32, 32), (1000, 32767), (1001, 8 * 4095 + 7), (100_000, 1)];
    let s = encode_postings(&p);
    assert!(s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{s}");
    assert_eq!(decode_postings(&s), p);
    assert_eq!(decode_postings(""), vec![]);
}

// ------------------------------------------------------- fixture ranking

#[test]
fn a_chinese_substring_finds_its_page() {
    let (_, idx) = fixture();
    assert_eq!(paths(idx, "段简"), v(&["news/jiandan/"]));
    assert_eq!(paths(idx, "一段简单"), v(&["news/jiandan/"]));
    assert_eq!(paths(idx, "任意两个字"), v(&["news/jiandan/"]));
    // 简单的说明 is on the page; 简单说 is not.
    assert!(paths(idx, "简单说").is_empty());
    assert!(paths(idx, "不存在的词语").is_empty());
    assert!(paths(idx, "").is_empty());
    assert!(paths(idx, "，。").is_empty());
}

#[test]
fn title_matches_outrank_body_matches() {
    let (_, idx) = fixture();
    let p = paths(idx, "瞪羚");
    assert_eq!(p, v(&["news/denglin-title/", "news/denglin-body/"]), "the body page says 瞪羚 four times, the title page once, in its title");
    let p = paths(idx, "瞪羚企业");
    assert_eq!(p.first().map(String::as_str), Some("news/denglin-title/"));
}

#[test]
fn heading_matches_outrank_body_matches() {
    let (_, idx) = fixture();
    assert_eq!(paths(idx, "亩均效益"), v(&["news/mujun/", "news/mujun-body/"]));
    assert_eq!(paths(idx, "哌拉西林"), v(&["news/mujun/"]));
}

#[test]
fn mixed_queries_find_their_pages() {
    let (_, idx) = fixture();
    assert_eq!(paths(idx, "CSV下载"), v(&["news/csv/"]));
    assert_eq!(paths(idx, "csv"), v(&["news/csv/"]));
    assert_eq!(paths(idx, "ICP备案"), v(&["news/csv/"]));
    assert_eq!(paths(idx, "json 下载"), v(&["news/csv/"]));
    // Full-width text on the page, half-width in the query, and back.
    assert_eq!(paths(idx, "abc2023"), v(&["news/quanjiao/"]));
    assert_eq!(paths(idx, "ＡＢＣ２０２３"), v(&["news/quanjiao/"]));
    assert_eq!(paths(idx, "WiFi"), v(&["news/quanjiao/"]));
}

#[test]
fn record_fields_are_searched() {
    let (_, idx) = fixture();
    // 文号 of one document, quoted in the text of another: the field wins.
    assert_eq!(paths(idx, "测试发〔2026〕7号"), v(&["documents/fangan/", "documents/other/"]));
    assert_eq!(paths(idx, "测试发〔2026〕8号"), v(&["documents/other/"]));
    // A person's name (title and `name`) and position.
    assert_eq!(paths(idx, "李示例").first().map(String::as_str), Some("people/li-shili/"));
    assert_eq!(paths(idx, "委员会主任"), v(&["people/li-shili/"]));
    // Tags.
    assert!(paths(idx, "开放数据").contains(&"news/csv/".to_owned()));
}

#[test]
fn section_pages_are_indexed_and_special_pages_are_not() {
    let (_, idx) = fixture();
    let all: Vec<&str> = idx.docs.iter().map(|d| d.path.as_str()).collect();
    assert_eq!(all[0], "", "the home page comes first");
    assert!(all.contains(&"news/") && all.contains(&"documents/"));
    for p in ["search/", "feedback/", "sitemap/", "404.html"] {
        assert!(!all.contains(&p), "{p} must not be indexed");
    }
    assert_eq!(paths(idx, "小站点"), v(&[""]));
    let home = &idx.docs[0];
    assert_eq!((home.title.as_str(), home.section.as_str()), ("搜索测试站点", "首页"));
}

#[test]
fn result_documents_carry_what_a_result_shows() {
    let (_, idx) = fixture();
    let d = idx.docs.iter().find(|d| d.path == "documents/fangan/").unwrap();
    assert_eq!(d.title, "关于印发测试实施方案的通知");
    assert_eq!(d.section, "政策文件");
    assert_eq!(d.meta, "测试发〔2026〕7号　测试管理委员会");
    assert!(d.text.starts_with("各部门："), "{}", d.text);
    let n = idx.docs.iter().find(|d| d.path == "news/jiandan/").unwrap();
    assert_eq!(n.meta, "2026年11月1日");
    assert!(idx.docs.iter().all(|d| d.text.chars().count() <= search::TEXT_CAP + 1));
}

#[test]
fn index_files_are_in_the_output_and_deterministic() {
    let (built, idx) = fixture();
    let files = idx.files();
    assert!(files.iter().any(|f| f.path == "search/meta.json"));
    for f in &files {
        let out = built.output.get(&f.path).unwrap_or_else(|| panic!("{} missing from the output", f.path));
        assert_eq!(out.data.bytes().unwrap(), f.data.bytes().unwrap(), "{}", f.path);
    }
    assert_eq!(files.iter().filter(|f| f.path.starts_with("search/idx/")).count(), idx.shards.len());
    assert_eq!(files.iter().filter(|f| f.path.starts_with("search/docs/")).count(), idx.chunk_count());
    // Built again from scratch: the same bytes.
    let again = search::build(&build_site(&repo().join("tests/fixtures/search")).site).files();
    assert_eq!(again.len(), files.len());
    for (a, b) in files.iter().zip(&again) {
        assert_eq!(a.path, b.path);
        assert!(a.data.bytes().unwrap() == b.data.bytes().unwrap(), "{} differs between builds", a.path);
    }
    let meta: serde_json::Value = serde_json::from_slice(&built.output.get("search/meta.json").unwrap().data.bytes().unwrap()).unwrap();
    assert_eq!(meta["format"], 1);
    assert_eq!(meta["shards"], idx.shards.len());
    assert_eq!(meta["docs"], idx.docs.len());
    assert_eq!(meta["chunk"], search::DOCS_PER_CHUNK);
    assert_eq!(meta["version"], idx.version.as_str());
}

#[test]
fn search_page_has_the_form_the_results_region_and_a_fallback() {
    let (built, _) = fixture();
    let html = String::from_utf8(built.output.get("search/index.html").expect("search/index.html").data.bytes().unwrap().into_owned()).unwrap();
    for want in [
        "<h1>站内搜索</h1>",
        r#"<script src="/sousuo/assets/search.js" defer></script>"#,
        r#"data-base="/sousuo/""#,
        r#"<form class="search-form" role="search" action="/sousuo/search/" method="get">"#,
        r#"<label for="search-q">"#,
        r#"<input id="search-q" name="q" type="search""#,
        r#"<div id="search-results""#,
        r#"role="status" aria-live="polite""#,
        r#"<noscript><p class="search-noscript">"#,
        r#"<a href="/sousuo/sitemap/">网站地图</a>"#,
    ] {
        assert!(html.contains(want), "search page lacks {want}\n{html}");
    }
    assert!(!html.contains(" style=") && !html.contains("<script>"), "no inline style or script under the CSP");
    assert!(built.output.get("assets/search.js").is_some());
    // Every page's header form sends its query to the search page.
    let page = String::from_utf8(built.output.get("news/jiandan/index.html").unwrap().data.bytes().unwrap().into_owned()).unwrap();
    assert!(page.contains(r#"action="/sousuo/search/" method="get""#));
}

// --------------------------------------------------------- shipped site

/// The page's HTML, for checking a hit really contains what was searched.
fn html_of(built: &Built, path: &str) -> String {
    let file = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path.to_owned() };
    String::from_utf8(built.output.get(&file).unwrap_or_else(|| panic!("{file}")).data.bytes().unwrap().into_owned()).unwrap()
}

#[test]
fn shipped_site_names_find_their_pages() {
    let (built, idx) = shipped();
    for (q, top) in [
        ("王贵玉", "people/wang-guiyu/"),
        ("哌拉西林", "projects/ruiyang-piperacillin/"),
        ("源经发〔2023〕4号", "documents/sbdb-fangan/"),
        ("源经发", "documents/sbdb-fangan/"),
    ] {
        let p = paths(idx, q);
        assert_eq!(p.first().map(String::as_str), Some(top), "{q}: {p:?}");
    }
    let p = paths(idx, "瞪羚");
    assert!(p[0].starts_with("enterprises/"), "瞪羚: {p:?}");
    for e in ["enterprises/zhuoyi/", "enterprises/sample-yiyao/", "enterprises/sample-guangxue/", "enterprises/sample-xincailiao/"] {
        assert!(p.contains(&e.to_owned()), "瞪羚 must find {e}: {p:?}");
    }
    let p = paths(idx, "亩均效益");
    assert!(p.contains(&"documents/sbdb-fangan/".to_owned()), "亩均效益: {p:?}");
    // A task by its id and by its lead's name, resolved from the id.
    assert_eq!(paths(idx, "T28").first().map(String::as_str), Some("tasks/T28/"));
    assert!(paths(idx, "王贵玉 放管服").contains(&"tasks/T28/".to_owned()));
    // No false positives: every page found has the words on it.
    for q in ["王贵玉", "瞪羚", "亩均效益", "哌拉西林", "源经发〔2023〕4号"] {
        for h in idx.query(q) {
            assert!(html_of(built, &h.path).contains(q), "{q} found {} which does not contain it", h.path);
        }
    }
}

#[test]
fn shipped_site_index_size_and_download_per_query() {
    let (built, idx) = shipped();
    let size: usize = built.output.files.iter().filter(|f| f.path.starts_with("search/") && f.path != "search/index.html").map(|f| f.data.bytes().unwrap().len()).sum();
    assert_eq!(size, idx.size());
    println!("shipped site: {} documents, index {} bytes in {} shards + {} document chunks", idx.docs.len(), size, idx.shards.len(), idx.chunk_count());
    for q in ["王贵玉", "瞪羚", "亩均效益", "哌拉西林", "源经发〔2023〕4号", "树标对标夺标", "开发区"] {
        let d = idx.download(q, 10);
        println!(
            "  {q}: {} results, downloads {} bytes (meta {} + {} shard files {} + {} doc chunks {})",
            idx.query(q).len(),
            d.total(),
            d.meta,
            d.shard_files,
            d.shards,
            d.doc_files,
            d.docs
        );
        assert!(d.total() < size, "{q} must not download the whole index");
        assert!(d.total() < 200_000, "{q}: {} bytes", d.total());
    }
}

/// Index size and bytes per query for a large corpus, e.g. the benchmark's:
///
/// ```sh
/// python3 bench/gen.py --pages 10000 /tmp/bench10k
/// GONGSHI_SEARCH_CORPUS=/tmp/bench10k cargo test --release --test search corpus -- --ignored --nocapture
/// ```
#[test]
#[ignore = "needs GONGSHI_SEARCH_CORPUS, a generated site"]
fn corpus_index_size_and_download_per_query() {
    let root = std::env::var_os("GONGSHI_SEARCH_CORPUS").expect("GONGSHI_SEARCH_CORPUS=path of a site");
    let t = std::time::Instant::now();
    let built = build_site(Path::new(&root));
    let t_build = t.elapsed();
    let t = std::time::Instant::now();
    let idx = search::build(&built.site);
    let t_index = t.elapsed();
    let files = idx.files();
    let size: usize = files.iter().map(|f| f.data.bytes().unwrap().len()).sum();
    let shard_bytes: Vec<usize> = files.iter().filter(|f| f.path.starts_with("search/idx/")).map(|f| f.data.bytes().unwrap().len()).collect();
    let doc_bytes: usize = files.iter().filter(|f| f.path.starts_with("search/docs/")).map(|f| f.data.bytes().unwrap().len()).sum();
    println!(
        "{} documents: index {size} bytes in {} files ({} shards, largest {} bytes, {} bytes of postings; {} document chunks, {doc_bytes} bytes); site build {:.1} s, of which index {:.1} s",
        idx.docs.len(),
        files.len(),
        idx.shards.len(),
        shard_bytes.iter().max().unwrap(),
        shard_bytes.iter().sum::<usize>(),
        idx.chunk_count(),
        t_build.as_secs_f64(),
        t_index.as_secs_f64()
    );
    let mut worst = 0;
    for q in ["开发区", "营商环境", "安全生产", "数字化转型", "人才引进", "高新技术企业", "对标学习交流", "不存在的词语", "双招双引", "2025年10月"] {
        let d = idx.download(q, 10);
        println!("  {q}: {} results, downloads {} bytes (meta {} + {} shard files {} + {} doc chunks {})", idx.query(q).len(), d.total(), d.meta, d.shard_files, d.shards, d.doc_files, d.docs);
        worst = worst.max(d.total());
    }
    assert!(worst < 1_000_000, "a query downloads {worst} bytes");
}

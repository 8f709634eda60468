//! The figures computed as of the build date, on the `ledger-kinds` fixture,
//! through the library: the same site gives different answers on different days.

mod common;
use gongshi::model::Site;
use gongshi::pipeline::{BuildOptions, build};
use jiff::civil::Date;

fn site_on(date: &str) -> Site {
    let d: Date = date.parse().unwrap();
    let opts = BuildOptions { root: common::repo().join("tests/cases/ledger-kinds"), base_url: None, drafts: false, date: Some(d), fallback_date: d };
    match build(&opts) {
        Ok(b) => b.site,
        Err(e) => panic!("{}", e.render(gongshi::lang::Lang::En)),
    }
}

fn computed<'s>(site: &'s Site, id: &str) -> &'s serde_json::Value {
    &site.pages.iter().find(|p| p.id == id).unwrap_or_else(|| panic!("no record {id}")).computed
}

#[test]
fn overdue_and_stale_tasks_depend_on_the_build_date() {
    // 2026-06-01: nothing is past its deadline yet; T01's last update is in the future of this date's view.
    let early = site_on("2026-06-01");
    assert_eq!(early.ledger.tasks.overdue, 0);
    // 2026-11-20: T01 (deadline 2026-06-30, 推进中) and T04 (2026-10-31) are overdue; T02 is done.
    let late = site_on("2026-11-20");
    assert_eq!(late.ledger.tasks.overdue, 2);
    assert_eq!(computed(&late, "T01")["overdue"], true);
    assert_eq!(computed(&late, "T01")["overdue_days"], 143);
    assert_eq!(computed(&late, "T01")["label"], "逾期");
    assert_eq!(computed(&late, "T02")["overdue"], false, "a done task is never overdue");
    // Stale: no 进展 within stale_days (30). T01's last update 2026-09-01 is 80 days old; t05's 5 days.
    assert_eq!(computed(&late, "T01")["stale"], true);
    assert_eq!(computed(&late, "t05")["stale"], false);
    assert_eq!(computed(&late, "T03")["stale"], true, "a task never updated is stale");
    assert_eq!(late.ledger.tasks.total, 5);
    assert_eq!(late.ledger.tasks.done, 1);
    // Totals per area keep the areas' own order.
    let areas: Vec<(&str, usize, usize)> = late.ledger.tasks.by_area.iter().map(|c| (c.key.as_str(), c.total, c.overdue)).collect();
    assert_eq!(areas, vec![("one", 2, 1), ("two", 3, 1)]);
    let leads: Vec<(&str, usize)> = late.ledger.tasks.by_lead.iter().map(|c| (c.title.as_str(), c.total)).collect();
    assert_eq!(leads, vec![("张三", 3), ("李四", 2)]);
}

#[test]
fn notice_status_and_working_days_across_a_holiday() {
    let before = site_on("2026-11-15");
    assert_eq!(computed(&before, "running")["status"], "未开始");
    let during = site_on("2026-11-20");
    assert_eq!(computed(&during, "running")["status"], "公示中");
    // 2026-11-20 (Fri) to 11-24 (Tue): 20, 23, 24.
    assert_eq!(computed(&during, "running")["working_days_left"], 3);
    assert_eq!(computed(&during, "upcoming")["status"], "未开始");
    let after = site_on("2026-11-25");
    assert_eq!(computed(&after, "running")["status"], "已结束");
    assert_eq!(computed(&after, "upcoming")["status"], "公示中");
    // 2026-09-28 to 10-12 spans 国庆 (10-01..10-07 off) and the 10-10 (Saturday) make-up day:
    // 9-28, 9-29, 9-30, 10-08, 10-09, 10-10, 10-12 = 7 working days, not 11 weekdays.
    assert_eq!(computed(&during, "holiday")["working_days"], 7);
    // Active notices come first on the home page.
    let first = during.ledger.notices.order[0];
    assert_eq!(during.pages[first].id, "running");
    assert_eq!((during.ledger.notices.active, during.ledger.notices.upcoming), (1, 1));
}

#[test]
fn indicator_ranks_gaps_and_standing_honour_the_direction() {
    let site = site_on("2026-11-20");
    let i01 = computed(&site, "I01");
    // 2024: own 30, a 25, b 30 → own ties for first (持平); 2025: own 36 leads.
    assert_eq!(i01["periods"][0]["standing"], "持平");
    assert_eq!(i01["periods"][0]["cells"][1]["rank"], 3);
    assert_eq!(i01["periods"][0]["cells"][1]["gap"], "5");
    assert_eq!(i01["latest_standing"], "领先");
    // 越低越好: own 0.5 vs a 0.45 → 落后, ranked 2nd; b 0.6 is 3rd.
    let energy = computed(&site, "energy");
    assert_eq!(energy["latest_standing"], "落后");
    let ranks: Vec<u64> = energy["periods"][0]["cells"].as_array().unwrap().iter().map(|c| c["rank"].as_u64().unwrap()).collect();
    assert_eq!(ranks, vec![2, 1, 3]);
    assert_eq!((site.ledger.indicators.leading, site.ledger.indicators.behind), (1, 1));
    // The chart and its text alternative are drawn at build time.
    assert!(energy["chart_bar"].as_str().unwrap().starts_with("<svg"));
    assert!(energy["description"].as_str().unwrap().contains("越低越好"));
}

#[test]
fn project_totals_and_who_answers_for_what() {
    let site = site_on("2026-11-20");
    assert_eq!(site.ledger.projects.total, 2);
    assert!((site.ledger.projects.investment - 10.56).abs() < 1e-9);
    let parks: Vec<(&str, usize)> = site.ledger.projects.by_park.iter().map(|s| (s.key.as_str(), s.count)).collect();
    assert_eq!(parks, vec![("一园", 1), ("二园", 1)]);
    // 包项目制度: the person page lists the project; the enterprise page too.
    assert_eq!(computed(&site, "zhang")["projects"][0]["id"], "p1");
    assert_eq!(computed(&site, "glass")["projects"][0]["id"], "p1");
    assert_eq!(computed(&site, "zhang")["tasks"].as_array().unwrap().len(), 3);
    // A company that is not an enterprise id stays a plain name.
    assert_eq!(computed(&site, "p2")["company"]["title"], "外地某公司");
    assert!(computed(&site, "p2")["company"]["url"].is_null());
}

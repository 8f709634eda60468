//! Working days as China's public-holiday notices define them.
//!
//! A 公示 must run for at least N working days, and inspectors count them
//! with the State Council's yearly holiday arrangement: holidays off, and
//! 调休 weekends worked. That arrangement is not computable (it is decided
//! each year), so it ships as data in `data/calendar.yml`, and a year the
//! data does not cover is an error ([`MissingYear`]), never a guess.

use jiff::civil::{Date, Weekday};
use serde::Deserialize;
use serde::de::{self, Deserializer, MapAccess, Visitor};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::sync::OnceLock;

/// The holiday arrangement for the years it covers, one notice per year.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i16, Year>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Year {
    source: String,
    #[serde(default)]
    holidays: Vec<Holiday>,
    #[serde(default)]
    workdays: BTreeSet<Date>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Holiday {
    name: String,
    from: Date,
    to: Date,
}

/// A date's year is not in the calendar, so its working days are unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MissingYear {
    pub year: i16,
}

impl fmt::Display for MissingYear {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "工作日历没有{}年的节假日安排，无法计算工作日（请按国务院办公厅当年的节假日安排通知补充）",
            self.year
        )
    }
}

impl std::error::Error for MissingYear {}

/// What a notice says about one date.
enum Arranged<'a> {
    Holiday(&'a str),
    Workday,
}

impl Calendar {
    /// Reads and checks calendar YAML: `year: {source, holidays, workdays}`.
    pub fn parse(text: &str) -> Result<Calendar, String> {
        let Years(years) = serde_yaml::from_str(text).map_err(|e| format!("工作日历格式有误：{e}"))?;
        for (&y, year) in &years {
            check_year(y, year)?;
        }
        let cal = Calendar { years };
        cal.check_across_years()?;
        Ok(cal)
    }

    /// The calendar shipped in `data/calendar.yml`, parsed once.
    pub fn builtin() -> &'static Calendar {
        static BUILTIN: OnceLock<Calendar> = OnceLock::new();
        // The file is checked by this module's tests, so a failure here is a
        // build of broken data, not a user error.
        BUILTIN.get_or_init(|| {
            Calendar::parse(include_str!("../data/calendar.yml"))
                .unwrap_or_else(|e| panic!("data/calendar.yml: {e}"))
        })
    }

    /// The covered years, ascending.
    pub fn years(&self) -> impl Iterator<Item = i16> + '_ {
        self.years.keys().copied()
    }

    pub fn covers(&self, year: i16) -> bool {
        self.years.contains_key(&year)
    }

    /// The notice a year's arrangement follows, for citing in output.
    pub fn source(&self, year: i16) -> Option<&str> {
        self.years.get(&year).map(|y| y.source.as_str())
    }

    /// Monday to Friday, unless a notice gives the day off; a weekend day
    /// only if a notice makes it a 调休 workday.
    pub fn is_working_day(&self, d: Date) -> Result<bool, MissingYear> {
        if !self.covers(d.year()) {
            return Err(MissingYear { year: d.year() });
        }
        Ok(match self.arranged(d) {
            Some(Arranged::Holiday(_)) => false,
            Some(Arranged::Workday) => true,
            None => !is_weekend(d),
        })
    }

    /// Working days from `start` to `end`, both included; 0 if `end < start`.
    pub fn working_days_between(&self, start: Date, end: Date) -> Result<u32, MissingYear> {
        let mut count = 0;
        let mut d = start;
        while d <= end {
            if self.is_working_day(d)? {
                count += 1;
            }
            d = next_day(d);
        }
        Ok(count)
    }

    /// The `n`-th working day after `start` (`start` itself not counted):
    /// the last day for "within N working days". `n == 0` gives `start`.
    pub fn add_working_days(&self, start: Date, n: u32) -> Result<Date, MissingYear> {
        let mut d = start;
        let mut left = n;
        while left > 0 {
            d = next_day(d);
            if self.is_working_day(d)? {
                left -= 1;
            }
        }
        Ok(d)
    }

    /// The holiday `d` falls in, as the notice names it (`春节`, `中秋节、国庆节`).
    pub fn holiday_name(&self, d: Date) -> Option<&str> {
        match self.arranged(d) {
            Some(Arranged::Holiday(name)) => Some(name),
            _ => None,
        }
    }

    /// This calendar with `other`'s years added; where both have a year,
    /// `other`'s replaces ours whole (a site's own arrangement, say a local
    /// extension, overrides the national one for that year).
    pub fn merged_with(&self, other: &Calendar) -> Calendar {
        let mut years = self.years.clone();
        years.extend(other.years.iter().map(|(&y, year)| (y, year.clone())));
        Calendar { years }
    }

    /// What the notices say about `d`, if anything. A year's notice may
    /// arrange the end of December before it (the 2019 and 2023 元旦), so
    /// the next year's notice is asked first: it is the later word.
    fn arranged(&self, d: Date) -> Option<Arranged<'_>> {
        let candidates = [d.year().checked_add(1), Some(d.year())];
        for year in candidates.into_iter().flatten().filter_map(|y| self.years.get(&y)) {
            if year.workdays.contains(&d) {
                return Some(Arranged::Workday);
            }
            if let Some(h) = year.holidays.iter().find(|h| h.from <= d && d <= h.to) {
                return Some(Arranged::Holiday(&h.name));
            }
        }
        None
    }

    /// A date one notice makes a holiday and another a workday is a typo in
    /// one of them; refuse it rather than let lookup order decide.
    fn check_across_years(&self) -> Result<(), String> {
        for (&y, year) in &self.years {
            for w in &year.workdays {
                for (&y2, other) in &self.years {
                    if let Some(h) = other.holidays.iter().find(|h| h.from <= *w && *w <= h.to) {
                        return Err(format!(
                            "工作日历{y}年：{w} 既是调休上班日，又在{y2}年的“{}”假期（{}至{}）内",
                            h.name, h.from, h.to
                        ));
                    }
                }
            }
        }
        Ok(())
    }
}

/// The top-level map. A map would let a repeated year silently replace the
/// first; in data that must match the notices, that is an error.
struct Years(BTreeMap<i16, Year>);

impl<'de> Deserialize<'de> for Years {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Years, D::Error> {
        struct YearsVisitor;
        impl<'de> Visitor<'de> for YearsVisitor {
            type Value = Years;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("年份到当年安排的映射，如 2024: {source: …, holidays: […], workdays: […]}")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Years, A::Error> {
                let mut years = BTreeMap::new();
                while let Some((y, year)) = map.next_entry::<i16, Year>()? {
                    if years.insert(y, year).is_some() {
                        return Err(de::Error::custom(format!("{y}年出现了两次")));
                    }
                }
                Ok(Years(years))
            }
        }
        d.deserialize_map(YearsVisitor)
    }
}

/// Checks one year's entry on its own.
fn check_year(y: i16, year: &Year) -> Result<(), String> {
    let at = format!("工作日历{y}年");
    // Keeps date stepping far from jiff's limits, and catches typos like 224.
    if !(1900..=2999).contains(&y) {
        return Err(format!("{at}：年份超出 1900–2999"));
    }
    if year.source.trim().is_empty() {
        return Err(format!("{at}：source 不能为空，请写明依据的通知"));
    }
    // Dates belong to their year, except that a year's 元旦 may start in the
    // December before it (the 2019 and 2023 notices; 2024's weekend run).
    let in_year = |d: Date| d.year() == y || (d.year() == y - 1 && d.month() == 12);
    let mut spans: Vec<&Holiday> = Vec::new();
    for h in &year.holidays {
        let what = format!("{at}“{}”（{}至{}）", h.name, h.from, h.to);
        if h.name.trim().is_empty() {
            return Err(format!("{at}：{}至{} 的假期没有名称", h.from, h.to));
        }
        if h.from > h.to {
            return Err(format!("{what}：开始日期晚于结束日期"));
        }
        if !in_year(h.from) || h.to.year() != y {
            return Err(format!("{what}：日期不在{y}年内"));
        }
        if let Some(o) = spans.iter().find(|o| o.from <= h.to && h.from <= o.to) {
            return Err(format!("{what}：与“{}”（{}至{}）重叠", o.name, o.from, o.to));
        }
        spans.push(h);
    }
    for &w in &year.workdays {
        if !in_year(w) {
            return Err(format!("{at}：调休上班日 {w} 不在{y}年内"));
        }
        // A weekday is a working day anyway; listing one is a typo.
        if !is_weekend(w) {
            return Err(format!("{at}：调休上班日 {w} 不是周六或周日"));
        }
    }
    Ok(())
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The next day. Callers only step through covered years (1900–2999) or
/// stop at the first uncovered one, so the end of jiff's range is never hit.
fn next_day(d: Date) -> Date {
    d.tomorrow().expect("date within jiff's range")
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn cal() -> &'static Calendar {
        Calendar::builtin()
    }

    #[test]
    fn builtin_years() {
        let years: Vec<i16> = cal().years().collect();
        assert_eq!(years, (2019..=2026).collect::<Vec<_>>());
        assert!(cal().covers(2024) && !cal().covers(2018));
        assert!(cal().source(2024).unwrap().contains("国办发明电〔2023〕7号"));
    }

    #[test]
    fn spring_festival_2024() {
        let mut d = date(2024, 2, 10);
        while d <= date(2024, 2, 17) {
            assert_eq!(cal().holiday_name(d), Some("春节"), "{d}");
            assert!(!cal().is_working_day(d).unwrap(), "{d}");
            d = d.tomorrow().unwrap();
        }
        // 调休: both Sundays are worked.
        assert!(cal().is_working_day(date(2024, 2, 4)).unwrap());
        assert!(cal().is_working_day(date(2024, 2, 18)).unwrap());
        // 除夕 (Friday 2-9) was only "encouraged" off: officially a working day.
        assert!(cal().is_working_day(date(2024, 2, 9)).unwrap());
        assert_eq!(cal().holiday_name(date(2024, 2, 9)), None);
    }

    #[test]
    fn notice_across_national_day_2024() {
        // 9-27 Fri ✓, 9-28 Sat ✗, 9-29 Sun 调休 ✓, 9-30 Mon ✓,
        // 10-01..10-07 国庆节 ✗, 10-08 Tue ✓, 10-09 ✓, 10-10 ✓, 10-11 Fri ✓ = 7.
        let n = cal().working_days_between(date(2024, 9, 27), date(2024, 10, 11)).unwrap();
        assert_eq!(n, 7);
        assert_eq!(cal().working_days_between(date(2024, 10, 11), date(2024, 9, 27)), Ok(0));
        assert_eq!(cal().working_days_between(date(2024, 10, 8), date(2024, 10, 8)), Ok(1));
    }

    #[test]
    fn sunday_makeup_day_2025() {
        assert_eq!(date(2025, 1, 26).weekday(), Weekday::Sunday);
        assert!(cal().is_working_day(date(2025, 1, 26)).unwrap());
        assert!(!cal().is_working_day(date(2025, 1, 25)).unwrap()); // Saturday, no 调休
    }

    #[test]
    fn golden_week_2025() {
        for day in 1..=8 {
            let d = date(2025, 10, day);
            assert!(!cal().is_working_day(d).unwrap(), "{d}");
            assert_eq!(cal().holiday_name(d), Some("国庆节、中秋节"), "{d}");
        }
        assert!(cal().is_working_day(date(2025, 10, 9)).unwrap());
        assert!(cal().is_working_day(date(2025, 10, 11)).unwrap()); // Saturday 调休
    }

    #[test]
    fn missing_year_is_an_error() {
        assert_eq!(cal().is_working_day(date(2016, 5, 3)), Err(MissingYear { year: 2016 }));
        // Counting into an uncovered year fails instead of guessing.
        assert_eq!(
            cal().working_days_between(date(2026, 12, 28), date(2027, 1, 8)),
            Err(MissingYear { year: 2027 })
        );
        assert_eq!(cal().add_working_days(date(2026, 12, 30), 5), Err(MissingYear { year: 2027 }));
        // 2018-12-29 is arranged by the 2019 notice, but the rest of 2018 is not.
        assert_eq!(cal().is_working_day(date(2018, 12, 29)), Err(MissingYear { year: 2018 }));
        assert!(MissingYear { year: 2016 }.to_string().contains("2016年"));
    }

    #[test]
    fn new_year_arranged_in_previous_december() {
        assert_eq!(cal().holiday_name(date(2022, 12, 31)), Some("元旦"));
        assert!(!cal().is_working_day(date(2023, 1, 2)).unwrap()); // Monday off
        assert!(!cal().is_working_day(date(2019, 1, 1)).unwrap());
    }

    #[test]
    fn add_working_days_across_holidays() {
        // 9-29 Sun 调休 (1), 9-30 (2), 10-01..07 off, 10-08 (3), 10-09 (4), 10-10 (5).
        assert_eq!(cal().add_working_days(date(2024, 9, 27), 5), Ok(date(2024, 10, 10)));
        assert_eq!(cal().add_working_days(date(2024, 9, 30), 1), Ok(date(2024, 10, 8)));
        // 1-26 Sun 调休 (1), 1-27 (2), 1-28..2-04 春节 off, 2-05 (3).
        assert_eq!(cal().add_working_days(date(2025, 1, 24), 3), Ok(date(2025, 2, 5)));
        assert_eq!(cal().add_working_days(date(2025, 1, 24), 0), Ok(date(2025, 1, 24)));
    }

    #[test]
    fn every_year_has_the_seven_holidays() {
        let all = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"];
        for (y, year) in &cal().years {
            for name in all {
                // Combined spans (中秋节、国庆节) count for both festivals.
                assert!(
                    year.holidays.iter().any(|h| h.name.split('、').any(|n| n == name)),
                    "{y} lacks {name}"
                );
            }
        }
    }

    #[test]
    fn covid_extension_2020() {
        assert_eq!(cal().holiday_name(date(2020, 2, 2)), Some("春节"));
        // The original Saturday 2-1 调休 was cancelled by the extension.
        assert!(!cal().is_working_day(date(2020, 2, 1)).unwrap());
        assert!(cal().is_working_day(date(2020, 2, 3)).unwrap());
    }

    fn parse_err(yaml: &str) -> String {
        Calendar::parse(yaml).unwrap_err()
    }

    #[test]
    fn parse_rejects_bad_data() {
        let base = "2024:\n  source: 测试\n";
        let err = parse_err(&format!("{base}  workdays: [2024-02-05]\n"));
        assert!(err.contains("不是周六或周日"), "{err}");
        let err = parse_err(&format!("{base}  holidays: [{{name: 春节, from: 2024-02-17, to: 2024-02-10}}]\n"));
        assert!(err.contains("开始日期晚于结束日期"), "{err}");
        let err = parse_err(&format!("{base}  holidays: [{{name: 春节, from: 2025-02-10, to: 2025-02-17}}]\n"));
        assert!(err.contains("不在2024年内"), "{err}");
        let err = parse_err(&format!("{base}  workdays: [2023-06-03]\n"));
        assert!(err.contains("不在2024年内"), "{err}");
        let err = parse_err(&format!(
            "{base}  holidays: [{{name: 春节, from: 2024-02-10, to: 2024-02-17}}]\n  workdays: [2024-02-11]\n"
        ));
        assert!(err.contains("既是调休上班日"), "{err}");
        let err = parse_err(&format!(
            "{base}  holidays:\n    - {{name: 甲, from: 2024-02-10, to: 2024-02-17}}\n    - {{name: 乙, from: 2024-02-17, to: 2024-02-18}}\n"
        ));
        assert!(err.contains("重叠"), "{err}");
        assert!(parse_err("2024:\n  source: 测试\n  holiday: []\n").contains("格式有误"));
        assert!(parse_err("2024:\n  holidays: []\n").contains("格式有误"));
        assert!(parse_err("2024:\n  source: ' '\n").contains("source 不能为空"));
        let err = parse_err("2024:\n  source: a\n2024:\n  source: b\n");
        assert!(err.contains("2024年出现了两次"), "{err}");
        // One notice's holiday is another's workday.
        let err = parse_err(
            "2023:\n  source: a\n  workdays: [2023-12-30]\n\
             2024:\n  source: b\n  holidays: [{name: 元旦, from: 2023-12-30, to: 2024-01-01}]\n",
        );
        assert!(err.contains("既是调休上班日"), "{err}");
    }

    #[test]
    fn merged_with_replaces_whole_years() {
        let local = Calendar::parse(
            "2020:\n  source: 本市延迟复工通知\n  holidays: [{name: 春节, from: 2020-01-24, to: 2020-02-09}]\n\
             2016:\n  source: 测试\n",
        )
        .unwrap();
        let merged = cal().merged_with(&local);
        assert!(!merged.is_working_day(date(2020, 2, 5)).unwrap());
        // 2020 is replaced whole: the national 国庆节 is gone with it.
        assert_eq!(merged.holiday_name(date(2020, 10, 1)), None);
        assert_eq!(merged.source(2020), Some("本市延迟复工通知"));
        assert!(merged.is_working_day(date(2016, 5, 3)).unwrap());
        assert!(merged.covers(2024) && !cal().covers(2016));
    }
}

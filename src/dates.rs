//! Calendar dates as staff write them and as pages show them.
//!
//! China has one time zone without daylight saving, so a fixed UTC+8 offset
//! turns `SOURCE_DATE_EPOCH` into a date without a time-zone database.

use crate::lang::Msg;
use crate::msg;
use jiff::civil::Date;

/// Accepts `2020-02-19`, `2020-2-19`, `2020/2/19`, `2020.2.19`, `2020年2月19日`,
/// and any of these followed by a time (`2020-02-19 09:30`), which is ignored.
pub fn parse_date(s: &str) -> Result<Date, Msg> {
    let t = s.trim();
    let date_part = t.split([' ', 'T']).next().unwrap_or("");
    let nums: Vec<&str> = if let Some(rest) = date_part.strip_suffix('日') {
        rest.split(['年', '月']).collect()
    } else {
        date_part.split(['-', '/', '.']).collect()
    };
    let bad_format = || {
        msg!(
            "“{t}”不是日期，请写成 2020-02-19 或 2020年2月19日",
            "\"{t}\" is not a date; write it as 2020-02-19"
        )
    };
    if nums.len() != 3 || nums.iter().any(|n| n.is_empty() || !n.bytes().all(|b| b.is_ascii_digit())) {
        return Err(bad_format());
    }
    let parse = |n: &str| n.parse::<i32>().map_err(|_| bad_format());
    let (y, m, d) = (parse(nums[0])?, parse(nums[1])?, parse(nums[2])?);
    if !(1900..=2999).contains(&y) || !(1..=12).contains(&m) {
        return Err(bad_format());
    }
    Date::new(y as i16, m as i8, d as i8).map_err(|_| {
        msg!(
            "日期不存在：{y}年{m}月没有{d}日",
            "no such date: {y}-{m:02} has no day {d}"
        )
    })
}

/// `2020年2月19日`: Arabic numerals, no padding, as GB/T 9704 writes dates.
pub fn format_zh(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}

/// `2020-02-19`.
pub fn format_iso(d: Date) -> String {
    d.to_string()
}

/// RFC 3339 at midnight China time, for feeds and sitemaps.
pub fn format_rfc3339(d: Date) -> String {
    format!("{}T00:00:00+08:00", d)
}

/// The date in China at `epoch` seconds since 1970.
pub fn date_from_epoch(epoch: i64) -> Option<Date> {
    let ts = jiff::Timestamp::from_second(epoch).ok()?;
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    Some(tz.to_datetime(ts).date())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_accepted() {
        let want = Date::new(2020, 2, 19).unwrap();
        for s in ["2020-02-19", "2020-2-19", "2020/2/19", "2020.02.19", "2020年2月19日", "2020-02-19 09:30"] {
            assert_eq!(parse_date(s).unwrap(), want, "{s}");
        }
    }

    #[test]
    fn impossible_and_malformed_dates() {
        assert!(parse_date("2023-02-29").unwrap_err().zh.contains("2023年2月没有29日"));
        assert!(parse_date("2020-13-01").is_err());
        assert!(parse_date("明天").is_err());
        assert!(parse_date("2020-02").is_err());
    }

    #[test]
    fn chinese_format_and_epoch() {
        assert_eq!(format_zh(Date::new(2020, 2, 19).unwrap()), "2020年2月19日");
        // 2020-02-18 16:00 UTC is already the 19th in China.
        assert_eq!(date_from_epoch(1_582_041_600).unwrap(), Date::new(2020, 2, 19).unwrap());
    }
}

//! Recurrence rules (RFC 5545 §3.3.10), the subset calendars of release dates use: `FREQ`
//! DAILY, WEEKLY, MONTHLY or YEARLY with `INTERVAL`, `COUNT`, `UNTIL`, `BYMONTH`,
//! `BYMONTHDAY` and `BYDAY` (with ordinals in monthly and yearly-by-month rules). Anything else
//! (`BYSETPOS`, `BYWEEKNO`, `BYYEARDAY`, sub-daily frequencies, ...) is reported as
//! unsupported, and the caller keeps the first occurrence only.

use jiff::civil::{Date, DateTime, Weekday};

/// How often.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Freq {
    Daily,
    Weekly,
    Monthly,
    Yearly,
}

/// A parsed `RRULE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rule {
    pub(crate) freq: Freq,
    pub(crate) interval: i32,
    pub(crate) count: Option<u32>,
    /// The `UNTIL` value as written (its meaning depends on the event's `DTSTART`).
    pub(crate) until: Option<String>,
    /// `BYDAY`: ordinal (0 = every such weekday) and weekday.
    pub(crate) by_day: Vec<(i8, Weekday)>,
    pub(crate) by_month_day: Vec<i8>,
    pub(crate) by_month: Vec<i8>,
}

/// The most periods (days, weeks, months, years) walked for one rule, so a rule that never
/// matches (`BYMONTH=2;BYMONTHDAY=30`) ends.
const MAX_PERIODS: i64 = 20_000;

/// `date` plus `days`, `None` out of range (never a panic, whatever the input asks).
pub(crate) fn add_days(date: Date, days: i64) -> Option<Date> {
    date.checked_add(jiff::Span::new().try_days(days).ok()?).ok()
}

/// Reads an `RRULE` value; `Err` names what is not supported or not understood.
pub(crate) fn parse(value: &str) -> Result<Rule, String> {
    let mut freq = None;
    let mut rule = Rule {
        freq: Freq::Daily,
        interval: 1,
        count: None,
        until: None,
        by_day: Vec::new(),
        by_month_day: Vec::new(),
        by_month: Vec::new(),
    };
    for part in value.trim().split(';').filter(|p| !p.trim().is_empty()) {
        let (key, val) = part.split_once('=').ok_or_else(|| format!("part {part:?} has no '='"))?;
        let key = key.trim().to_ascii_uppercase();
        let val = val.trim();
        let bad = || format!("{key}={val} not understood");
        match key.as_str() {
            "FREQ" => {
                freq = Some(match val.to_ascii_uppercase().as_str() {
                    "DAILY" => Freq::Daily,
                    "WEEKLY" => Freq::Weekly,
                    "MONTHLY" => Freq::Monthly,
                    "YEARLY" => Freq::Yearly,
                    _ => return Err(format!("FREQ={val} not supported")),
                })
            }
            "INTERVAL" => {
                rule.interval = val.parse().ok().filter(|&n| n >= 1).ok_or_else(bad)?;
            }
            "COUNT" => rule.count = Some(val.parse().map_err(|_| bad())?),
            "UNTIL" => rule.until = Some(val.to_owned()),
            "BYMONTH" => {
                for m in val.split(',') {
                    let m: i8 = m.trim().parse().map_err(|_| bad())?;
                    if !(1..=12).contains(&m) {
                        return Err(bad());
                    }
                    rule.by_month.push(m);
                }
            }
            "BYMONTHDAY" => {
                for d in val.split(',') {
                    let d: i8 = d.trim().parse().map_err(|_| bad())?;
                    if d == 0 || !(-31..=31).contains(&d) {
                        return Err(bad());
                    }
                    rule.by_month_day.push(d);
                }
            }
            "BYDAY" => {
                for d in val.split(',') {
                    rule.by_day.push(by_day(d.trim()).ok_or_else(bad)?);
                }
            }
            // The week start only matters to weekly rules with an interval and several days;
            // Monday is assumed.
            "WKST" => {}
            _ => return Err(format!("{key} not supported")),
        }
    }
    rule.freq = freq.ok_or("no FREQ")?;
    let ordinal = rule.by_day.iter().any(|&(n, _)| n != 0);
    match rule.freq {
        Freq::Daily | Freq::Weekly if ordinal => Err("BYDAY ordinal in a daily or weekly rule")?,
        Freq::Yearly if !rule.by_day.is_empty() && rule.by_month.is_empty() => {
            Err("BYDAY in a yearly rule without BYMONTH not supported")?
        }
        _ => Ok(rule),
    }
}

/// `MO`, `2TU`, `-1FR`, `+3WE`.
fn by_day(text: &str) -> Option<(i8, Weekday)> {
    if text.len() < 2 || !text.is_char_boundary(text.len() - 2) {
        return None;
    }
    let (n, day) = text.split_at(text.len() - 2);
    let weekday = weekday(day)?;
    let n: i8 = if n.is_empty() { 0 } else { n.trim_start_matches('+').parse().ok()? };
    (-53..=53).contains(&n).then_some((n, weekday))
}

pub(crate) fn weekday(code: &str) -> Option<Weekday> {
    Some(match code.to_ascii_uppercase().as_str() {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    })
}

/// The days of one month a monthly (or yearly-by-month) rule picks, sorted; `default_day` is
/// `DTSTART`'s day of the month, used when the rule names no days.
pub(crate) fn days_in(rule: &Rule, year: i16, month: i8, default_day: i8) -> Vec<Date> {
    let Ok(first) = Date::new(year, month, 1) else { return Vec::new() };
    let len = first.days_in_month();
    let of_month = |d: i8| {
        let d = if d < 0 { len + 1 + d } else { d };
        (1..=len).contains(&d).then(|| first.with().day(d).build().ok()).flatten()
    };
    let mut days: Vec<Date> = if !rule.by_month_day.is_empty() {
        rule.by_month_day.iter().filter_map(|&d| of_month(d)).collect()
    } else if !rule.by_day.is_empty() {
        rule.by_day
            .iter()
            .flat_map(|&(n, wd)| {
                if n != 0 {
                    first.nth_weekday_of_month(n, wd).ok().into_iter().collect::<Vec<_>>()
                } else {
                    (1..=len).filter_map(of_month).filter(|d| d.weekday() == wd).collect()
                }
            })
            .collect()
    } else {
        of_month(default_day).into_iter().collect()
    };
    if !rule.by_month_day.is_empty() && !rule.by_day.is_empty() {
        days.retain(|d| rule.by_day.iter().any(|&(_, wd)| d.weekday() == wd));
    }
    days.sort();
    days.dedup();
    days
}

/// The starts a rule gives from `start` on, `start` first; at most `limit`, stopping at the
/// first start `past_until` says is too late. The flag is true when the limit cut the
/// series short.
pub(crate) fn expand(
    rule: &Rule,
    start: DateTime,
    limit: usize,
    past_until: impl Fn(DateTime) -> bool,
) -> (Vec<DateTime>, bool) {
    let mut out = vec![start];
    let max = rule.count.map_or(limit, |c| (c as usize).clamp(1, limit));
    let date = start.date();
    let interval = i64::from(rule.interval);
    let month_ok = |d: &Date| rule.by_month.is_empty() || rule.by_month.contains(&d.month());
    for k in 0..MAX_PERIODS {
        let step = k * interval;
        let candidates: Vec<Date> = match rule.freq {
            Freq::Daily => {
                let Some(d) = add_days(date, step) else { break };
                let day_ok =
                    rule.by_day.is_empty() || rule.by_day.iter().any(|&(_, w)| w == d.weekday());
                let month_day_ok = rule.by_month_day.is_empty()
                    || rule
                        .by_month_day
                        .iter()
                        .any(|&m| m == d.day() || (m < 0 && d.days_in_month() + 1 + m == d.day()));
                if month_ok(&d) && day_ok && month_day_ok { vec![d] } else { Vec::new() }
            }
            Freq::Weekly => {
                let monday = i64::from(date.weekday().to_monday_zero_offset());
                let Some(week) = add_days(date, step * 7 - monday) else { break };
                let mut days: Vec<Date> = if rule.by_day.is_empty() {
                    vec![date.weekday()]
                } else {
                    rule.by_day.iter().map(|&(_, w)| w).collect()
                }
                .into_iter()
                .filter_map(|w| add_days(week, i64::from(w.to_monday_zero_offset())))
                .filter(month_ok)
                .collect();
                days.sort();
                days.dedup();
                days
            }
            Freq::Monthly => {
                let months = i64::from(date.year()) * 12 + i64::from(date.month() - 1) + step;
                let (Ok(year), Ok(month)) =
                    (i16::try_from(months.div_euclid(12)), i8::try_from(months.rem_euclid(12) + 1))
                else {
                    break;
                };
                if year > 9999 {
                    break;
                }
                let days = days_in(rule, year, month, date.day());
                days.into_iter().filter(month_ok).collect()
            }
            Freq::Yearly => {
                let Ok(year) = i16::try_from(i64::from(date.year()) + step) else { break };
                if year > 9999 {
                    break;
                }
                let months: Vec<i8> = if !rule.by_month.is_empty() {
                    let mut m = rule.by_month.clone();
                    m.sort();
                    m.dedup();
                    m
                } else if !rule.by_month_day.is_empty() {
                    (1..=12).collect()
                } else {
                    vec![date.month()]
                };
                months.into_iter().flat_map(|m| days_in(rule, year, m, date.day())).collect()
            }
        };
        for d in candidates {
            let occurrence = d.to_datetime(start.time());
            if occurrence <= start {
                continue;
            }
            if past_until(occurrence) {
                return (out, false);
            }
            if out.len() >= max {
                return (out, rule.count.is_none_or(|c| c as usize > limit));
            }
            out.push(occurrence);
        }
    }
    (out, false)
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn dates(value: &str, start: DateTime, limit: usize) -> Vec<String> {
        let rule = parse(value).expect("rule");
        expand(&rule, start, limit, |_| false).0.iter().map(|d| d.date().to_string()).collect()
    }

    #[test]
    fn parses_supported_rules_and_rejects_the_rest() {
        let rule = parse("FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU,-1FR;COUNT=5;WKST=SU").expect("rule");
        assert_eq!(rule.freq, Freq::Monthly);
        assert_eq!(rule.interval, 2);
        assert_eq!(rule.by_day, [(2, Weekday::Tuesday), (-1, Weekday::Friday)]);
        assert_eq!(rule.count, Some(5));
        assert!(parse("FREQ=HOURLY").is_err());
        assert!(parse("FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO").is_err());
        assert!(parse("FREQ=YEARLY;BYDAY=20MO").is_err());
        assert!(parse("COUNT=3").is_err());
        assert!(parse("FREQ=DAILY;INTERVAL=0").is_err());
        assert!(parse("FREQ=WEEKLY;BYDAY=1€").is_err());
    }

    #[test]
    fn expands_each_frequency() {
        let start = date(2026, 1, 30).at(8, 30, 0, 0);
        assert_eq!(
            dates("FREQ=DAILY;COUNT=3", start, 500),
            ["2026-01-30", "2026-01-31", "2026-02-01"]
        );
        assert_eq!(
            dates("FREQ=WEEKLY;BYDAY=MO,FR;COUNT=4", start, 500),
            ["2026-01-30", "2026-02-02", "2026-02-06", "2026-02-09"]
        );
        // The 30th: February has none, so it is skipped.
        assert_eq!(
            dates("FREQ=MONTHLY;COUNT=3", start, 500),
            ["2026-01-30", "2026-03-30", "2026-04-30"]
        );
        assert_eq!(
            dates("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3", start, 500),
            ["2026-01-30", "2026-01-31", "2026-02-28"]
        );
        assert_eq!(
            dates("FREQ=YEARLY;BYMONTH=11;BYDAY=4TH;COUNT=3", start, 500),
            ["2026-01-30", "2026-11-26", "2027-11-25"]
        );
        assert_eq!(
            dates("FREQ=YEARLY;INTERVAL=2;COUNT=2", start, 500),
            ["2026-01-30", "2028-01-30"]
        );
    }

    #[test]
    fn stops_at_until_and_at_the_limit() {
        let start = date(2026, 1, 1).at(0, 0, 0, 0);
        let rule = parse("FREQ=DAILY").expect("rule");
        let (got, cut) = expand(&rule, start, 10, |d| d.date() > date(2026, 1, 5));
        assert_eq!((got.len(), cut), (5, false));
        let (got, cut) = expand(&rule, start, 10, |_| false);
        assert_eq!((got.len(), cut), (10, true));
        let rule = parse("FREQ=DAILY;COUNT=10").expect("rule");
        assert_eq!(expand(&rule, start, 10, |_| false), (got, false));
        // Never matches: ends all the same.
        let rule = parse("FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30").expect("rule");
        assert_eq!(expand(&rule, start, 10, |_| false).0.len(), 1);
    }
}

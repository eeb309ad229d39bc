//! Filing deadlines computed from the rules, not read from a calendar: Form 13F, and the US
//! federal holidays (5 U.S.C. 6103) that move them.
//!
//! Deadlines falling on a Saturday, Sunday or federal holiday move to the next business day
//! (Exchange Act Rule 0-3(a), 17 CFR 240.0-3). Holidays are the eleven of 5 U.S.C. 6103 as
//! observed by federal employees (Executive Order 11582): one on a Saturday is observed the
//! Friday before, one on a Sunday the Monday after. Inauguration Day (a holiday only around
//! Washington, DC) and one-off closings by executive order are not included.

use jiff::civil::{Date, Weekday};

use crate::{KeyDate, When};

/// Where the 13F deadline is explained.
pub const THIRTEEN_F_URL: &str = "https://www.sec.gov/divisions/investment/13ffaq.htm";

/// The `source` of every computed deadline.
pub const SOURCE: &str = "sec-deadlines";

/// The US federal holidays observed in `year`, in date order, with their names. A New Year's
/// Day on a Saturday is observed on December 31 of the year before, so that date belongs to
/// the list of the year before.
pub fn federal_holidays(year: i16) -> Vec<(Date, &'static str)> {
    let mut days: Vec<(Date, &'static str)> = Vec::new();
    let mut fixed = |y: i16, month: i8, day: i8, name: &'static str| {
        if let Ok(d) = Date::new(y, month, day) {
            let observed = match d.weekday() {
                Weekday::Saturday => d.yesterday().ok(),
                Weekday::Sunday => d.tomorrow().ok(),
                _ => Some(d),
            };
            if let Some(o) = observed.filter(|o| o.year() == year) {
                days.push((o, name));
            }
        }
    };
    fixed(year, 1, 1, "New Year's Day");
    if year.checked_add(1).is_some() {
        fixed(year + 1, 1, 1, "New Year's Day");
    }
    // Juneteenth National Independence Day, a holiday since June 17, 2021.
    if year >= 2021 {
        fixed(year, 6, 19, "Juneteenth National Independence Day");
    }
    fixed(year, 7, 4, "Independence Day");
    fixed(year, 11, 11, "Veterans Day");
    fixed(year, 12, 25, "Christmas Day");
    let mut nth = |month: i8, n: i8, weekday: Weekday, name: &'static str| {
        if let Some(d) =
            Date::new(year, month, 1).ok().and_then(|f| f.nth_weekday_of_month(n, weekday).ok())
        {
            days.push((d, name));
        }
    };
    nth(1, 3, Weekday::Monday, "Birthday of Martin Luther King, Jr.");
    nth(2, 3, Weekday::Monday, "Washington's Birthday");
    nth(5, -1, Weekday::Monday, "Memorial Day");
    nth(9, 1, Weekday::Monday, "Labor Day");
    nth(10, 2, Weekday::Monday, "Columbus Day");
    nth(11, 4, Weekday::Thursday, "Thanksgiving Day");
    days.sort();
    days
}

/// Whether `date` is an observed US federal holiday.
pub fn is_federal_holiday(date: Date) -> bool {
    federal_holidays(date.year()).iter().any(|&(d, _)| d == date)
}

/// Whether the SEC takes filings that day: not a weekend, not a federal holiday.
pub fn is_business_day(date: Date) -> bool {
    !matches!(date.weekday(), Weekday::Saturday | Weekday::Sunday) && !is_federal_holiday(date)
}

/// `date` if it is a business day, else the next one (`None` past the end of the calendar).
pub fn on_or_after_business_day(date: Date) -> Option<Date> {
    let mut d = date;
    while !is_business_day(d) {
        d = d.tomorrow().ok()?;
    }
    Some(d)
}

/// The Form 13F-HR deadlines falling in `from..=to`: 45 days after each calendar quarter
/// ends (Rule 13f-1(a)(1)), moved to the next business day when that is a weekend or federal
/// holiday. One whole-day [`KeyDate`] per quarter, in date order.
pub fn thirteen_f(from: Date, to: Date) -> Vec<KeyDate> {
    let mut out = Vec::new();
    if from > to {
        return out;
    }
    // A deadline in `from`'s year can belong to the last quarter of the year before.
    for year in from.year().saturating_sub(1)..=to.year() {
        for quarter in 1..=4_i8 {
            let Some(end) = Date::new(year, quarter * 3, 1).ok().map(Date::last_of_month) else {
                continue;
            };
            let Some(nominal) = crate::rrule::add_days(end, 45) else { continue };
            let Some(due) = on_or_after_business_day(nominal) else { continue };
            if due < from || due > to {
                continue;
            }
            let moved = if due == nominal {
                String::new()
            } else {
                format!(
                    " The 45th day, {}, is a weekend or federal holiday, so the deadline moves to the next business day.",
                    nominal.strftime("%B %-d, %Y")
                )
            };
            out.push(KeyDate {
                uid: format!("sec-13f-{year}Q{quarter}@marketdesk"),
                summary: format!("Form 13F filings due for Q{quarter} {year}"),
                description: Some(format!(
                    "Institutional investment managers with $100 million or more in 13(f) securities file Form 13F-HR for the quarter ended {}, due 45 days after the quarter ends.{moved}",
                    end.strftime("%B %-d, %Y")
                )),
                location: None,
                url: Some(THIRTEEN_F_URL.to_owned()),
                categories: vec!["SEC".to_owned(), "13F".to_owned()],
                when: When::Day { start: due, end: due },
                tentative: false,
                source: SOURCE.to_owned(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    fn dates(year: i16) -> Vec<String> {
        federal_holidays(year).iter().map(|(d, _)| d.to_string()).collect()
    }

    #[test]
    fn federal_holidays_2026() {
        // OPM's 2026 list: July 4 is a Saturday, observed Friday July 3.
        assert_eq!(
            dates(2026),
            [
                "2026-01-01",
                "2026-01-19",
                "2026-02-16",
                "2026-05-25",
                "2026-06-19",
                "2026-07-03",
                "2026-09-07",
                "2026-10-12",
                "2026-11-11",
                "2026-11-26",
                "2026-12-25",
            ]
        );
    }

    #[test]
    fn observance_moves_across_years_and_weekends() {
        // New Year's Day 2022 was a Saturday: observed Friday, December 31, 2021.
        assert!(dates(2021).contains(&"2021-12-31".to_owned()));
        assert!(!dates(2022).iter().any(|d| d.starts_with("2022-01-0")));
        assert!(is_federal_holiday(date(2021, 12, 31)));
        assert!(!is_federal_holiday(date(2022, 1, 1)));
        // Juneteenth 2022 fell on a Sunday: Monday June 20. None before 2021.
        assert!(is_federal_holiday(date(2022, 6, 20)));
        assert!(!dates(2020).iter().any(|d| d.contains("-06-")));
        // Christmas 2022 on a Sunday: Monday the 26th. July 4, 2027 a Sunday: Monday the 5th.
        assert!(is_federal_holiday(date(2022, 12, 26)));
        assert!(is_federal_holiday(date(2027, 7, 5)));
        // Thanksgiving 2027 is the fourth Thursday (25th); Memorial Day 2027 the last Monday (31st).
        assert!(is_federal_holiday(date(2027, 11, 25)));
        assert!(is_federal_holiday(date(2027, 5, 31)));
        for year in 1990..2100 {
            // A New Year's Day on a Saturday is counted in the year before.
            let base: usize = if year >= 2021 { 11 } else { 10 };
            let expected = base - usize::from(date(year, 1, 1).weekday() == Weekday::Saturday)
                + usize::from(date(year + 1, 1, 1).weekday() == Weekday::Saturday);
            assert_eq!(federal_holidays(year).len(), expected, "{year}");
        }
    }

    #[test]
    fn business_days() {
        assert!(is_business_day(date(2026, 11, 16)));
        assert!(!is_business_day(date(2026, 11, 14)));
        assert!(!is_business_day(date(2026, 2, 16)));
        assert_eq!(on_or_after_business_day(date(2026, 2, 14)), Some(date(2026, 2, 17)));
    }

    #[test]
    fn thirteen_f_deadlines() {
        let due: Vec<(String, String, Date)> = thirteen_f(date(2026, 1, 1), date(2026, 12, 31))
            .into_iter()
            .map(|k| match k.when {
                When::Day { start, end } => {
                    assert_eq!(start, end);
                    (k.uid, k.summary, start)
                }
                When::At(_) => panic!("a deadline is a day"),
            })
            .collect();
        assert_eq!(
            due,
            [
                // Dec 31 + 45 = Sat Feb 14; Mon Feb 16 is Washington's Birthday.
                (
                    "sec-13f-2025Q4@marketdesk".into(),
                    "Form 13F filings due for Q4 2025".into(),
                    date(2026, 2, 17)
                ),
                // Mar 31 + 45 = Fri May 15.
                (
                    "sec-13f-2026Q1@marketdesk".into(),
                    "Form 13F filings due for Q1 2026".into(),
                    date(2026, 5, 15)
                ),
                // Jun 30 + 45 = Fri Aug 14.
                (
                    "sec-13f-2026Q2@marketdesk".into(),
                    "Form 13F filings due for Q2 2026".into(),
                    date(2026, 8, 14)
                ),
                // Sep 30 + 45 = Sat Nov 14 -> Mon Nov 16.
                (
                    "sec-13f-2026Q3@marketdesk".into(),
                    "Form 13F filings due for Q3 2026".into(),
                    date(2026, 11, 16)
                ),
            ]
        );
        let q3 = &thirteen_f(date(2026, 11, 16), date(2026, 11, 16))[0];
        assert_eq!(q3.source, SOURCE);
        assert_eq!(q3.url.as_deref(), Some(THIRTEEN_F_URL));
        assert!(q3.description.as_deref().is_some_and(|d| d.contains("November 14, 2026")));
        assert!(thirteen_f(date(2026, 11, 17), date(2027, 2, 14)).is_empty());
        assert!(thirteen_f(date(2026, 12, 31), date(2026, 1, 1)).is_empty());
        assert_eq!(thirteen_f(date(2025, 1, 1), date(2027, 12, 31)).len(), 12);
    }
}

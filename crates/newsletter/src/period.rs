//! Which issue is current: a daily issue per Eastern date, a weekly one per ISO week (Monday
//! to Sunday, Eastern), so re-running a send on the same day (or week) finds the same issue.

use jiff::{SignedDuration, Timestamp};
use marketdesk_core::eastern;
use marketdesk_store::Cadence;

/// The period an issue is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Period {
    /// Daily or weekly.
    pub cadence: Cadence,
    /// `2026-12-07` or `2026-W50`.
    pub label: String,
    /// The archive address: `daily-2026-12-07`, `weekly-2026-w50`.
    pub slug: String,
    /// For people: "Monday, Dec 7, 2026" or "Week of Dec 7, 2026".
    pub title: String,
}

impl Period {
    /// The period `now` falls in.
    pub fn current(cadence: Cadence, now: Timestamp) -> Self {
        let local = eastern(now);
        let date = local.date();
        match cadence {
            Cadence::Daily => {
                let label = date.to_string();
                Period {
                    cadence,
                    slug: format!("daily-{label}"),
                    title: date.strftime("%A, %b %-d, %Y").to_string(),
                    label,
                }
            }
            Cadence::Weekly => {
                let week = date.iso_week_date();
                let label = format!("{}-W{:02}", week.year(), week.week());
                let monday = week.first_of_week().map_or(date, |w| w.date());
                Period {
                    cadence,
                    slug: format!("weekly-{}", label.to_lowercase()),
                    title: format!("Week of {}", monday.strftime("%b %-d, %Y")),
                    label,
                }
            }
        }
    }

    /// How far back the first issue of a cadence looks.
    pub fn lookback(cadence: Cadence) -> SignedDuration {
        match cadence {
            Cadence::Daily => SignedDuration::from_hours(24),
            Cadence::Weekly => SignedDuration::from_hours(24 * 7),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn periods_follow_eastern_dates_and_iso_weeks() {
        // 03:00 UTC on Dec 8 is still Dec 7 in New York.
        let p = Period::current(Cadence::Daily, at("2026-12-08T03:00:00Z"));
        assert_eq!((p.label.as_str(), p.slug.as_str()), ("2026-12-07", "daily-2026-12-07"));
        assert_eq!(p.title, "Monday, Dec 7, 2026");
        let w = Period::current(Cadence::Weekly, at("2026-12-10T15:00:00Z"));
        assert_eq!((w.label.as_str(), w.slug.as_str()), ("2026-W50", "weekly-2026-w50"));
        assert_eq!(w.title, "Week of Dec 7, 2026");
        // Jan 1, 2027 is a Friday: ISO week 53 of 2026.
        let w = Period::current(Cadence::Weekly, at("2027-01-01T15:00:00Z"));
        assert_eq!(w.label, "2026-W53");
    }
}

//! Daily price bars and the change shown beside a ticker.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One trading day of one ticker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DailyBar {
    /// The ticker, upper case.
    pub ticker: String,
    /// The exchange-local trading day.
    pub date: Date,
    /// Opening price.
    pub open: Option<f64>,
    /// High of the day.
    pub high: Option<f64>,
    /// Low of the day.
    pub low: Option<f64>,
    /// Closing price (not dividend-adjusted).
    pub close: f64,
    /// Shares traded.
    pub volume: Option<u64>,
}

/// The change of the last close against the one before it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Change {
    /// The trading day of the last close.
    pub date: Date,
    /// Last close on or before the moment asked about.
    pub close: f64,
    /// The close of the trading day before.
    pub previous_close: f64,
    /// Percent change, e.g. `1.25` for +1.25%.
    pub percent: f64,
}

/// The change as of `as_of` (a date in the exchange's time zone) from bars sorted by date:
/// `None` when fewer than two closes are known by then, or the previous close is not positive.
pub fn change_as_of(bars: &[DailyBar], as_of: Date) -> Option<Change> {
    let upto = bars.partition_point(|b| b.date <= as_of);
    let last = bars.get(upto.checked_sub(1)?)?;
    let prev = bars.get(upto.checked_sub(2)?)?;
    (prev.close > 0.0).then(|| Change {
        date: last.date,
        close: last.close,
        previous_close: prev.close,
        percent: (last.close / prev.close - 1.0) * 100.0,
    })
}

/// A change for display: `+1.2%`, `-0.4%`, `0.0%`, or `--` when unknown.
pub fn format_change(change: Option<f64>) -> String {
    match change {
        None => "--".to_owned(),
        Some(p) if p.abs() < 0.05 => "0.0%".to_owned(),
        Some(p) => format!("{p:+.1}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(date: &str, close: f64) -> DailyBar {
        DailyBar {
            ticker: "X".into(),
            date: date.parse().expect("date"),
            open: None,
            high: None,
            low: None,
            close,
            volume: None,
        }
    }

    #[test]
    fn change_uses_the_last_two_closes_known_at_the_time() {
        let bars = [bar("2025-03-12", 100.0), bar("2025-03-13", 110.0), bar("2025-03-14", 99.0)];
        let on = |d: &str| change_as_of(&bars, d.parse().expect("date")).map(|c| c.percent);
        assert!((on("2025-03-13").expect("known") - 10.0).abs() < 1e-9);
        // A weekend reads Friday's change.
        assert!((on("2025-03-16").expect("known") + 10.0).abs() < 1e-9);
        assert_eq!(on("2025-03-12"), None, "one close is not a change");
        assert_eq!(on("2025-03-01"), None);
        assert_eq!(change_as_of(&[], "2025-03-01".parse().expect("date")), None);
    }

    #[test]
    fn changes_format_for_chips() {
        assert_eq!(format_change(None), "--");
        assert_eq!(format_change(Some(1.234)), "+1.2%");
        assert_eq!(format_change(Some(-0.46)), "-0.5%");
        assert_eq!(format_change(Some(0.01)), "0.0%");
    }
}

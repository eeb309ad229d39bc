//! The ticker page's chart: daily closes as an inline SVG line, insider open-market buys and
//! sells marked on it, on the day's close (prices in filings are not split-adjusted, so they
//! never place a mark). Hand-written: a chart is a string of numbers. Styled by class names only
//! (the Content-Security-Policy allows no inline styles).

use std::fmt::Write as _;

use jiff::civil::Date;
use marketdesk_core::{DailyBar, style};
use marketdesk_linker::escape_html;

/// An insider trade to mark.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Mark {
    pub(crate) date: Date,
    /// A purchase (else a sale).
    pub(crate) buy: bool,
    /// What a pointer over it shows.
    pub(crate) label: String,
}

const W: f64 = 720.0;
const H: f64 = 260.0;
const LEFT: f64 = 8.0;
const RIGHT: f64 = 64.0;
const TOP: f64 = 14.0;
const BOTTOM: f64 = 28.0;

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    escape_html(s, &mut out);
    out
}

/// The SVG for `bars` (oldest first) and `marks`; `None` with fewer than two bars.
pub(crate) fn price_chart(ticker: &str, bars: &[DailyBar], marks: &[Mark]) -> Option<String> {
    let (first, last) = (bars.first()?, bars.last()?);
    if bars.len() < 2 {
        return None;
    }
    let in_range: Vec<&Mark> =
        marks.iter().filter(|m| m.date >= first.date && m.date <= last.date).collect();
    let close_on = |d: Date| bars.iter().rev().find(|b| b.date <= d).map(|b| b.close);
    let mark_y = |m: &Mark| close_on(m.date);
    let mut lo = bars.iter().map(|b| b.close).fold(f64::INFINITY, f64::min);
    let mut hi = bars.iter().map(|b| b.close).fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return None;
    }
    if (hi - lo).abs() < f64::EPSILON {
        hi += 1.0;
        lo -= 1.0;
    }
    let pad = (hi - lo) * 0.06;
    let (lo, hi) = (lo - pad, hi + pad);
    let n = bars.len() - 1;
    let x_of_index = |i: usize| LEFT + (W - LEFT - RIGHT) * (i as f64) / (n as f64);
    let y_of = |v: f64| TOP + (H - TOP - BOTTOM) * (1.0 - (v - lo) / (hi - lo));
    let x_of_date = |d: Date| {
        let i = bars.partition_point(|b| b.date < d).min(n);
        x_of_index(i)
    };
    let change = (last.close / first.close - 1.0) * 100.0;
    let direction = if change >= 0.0 { "up" } else { "down" };
    let buys = in_range.iter().filter(|m| m.buy).count();
    let sells = in_range.len() - buys;
    let summary = format!(
        "{ticker} daily closes from {} to {}: {} to {} ({change:+.1}%), {buys} insider buys and \
         {sells} insider sells marked",
        first.date,
        last.date,
        style::price(first.close),
        style::price(last.close),
    );
    let mut svg = String::with_capacity(4096 + bars.len() * 16);
    let _ = write!(
        svg,
        "<svg class=\"price-chart {direction}\" viewBox=\"0 0 {W} {H}\" role=\"img\" \
         aria-labelledby=\"chart-title chart-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
         <title id=\"chart-title\">{} price chart</title><desc id=\"chart-desc\">{}</desc>",
        esc(ticker),
        esc(&summary)
    );
    // Grid: the high, middle and low closes, labelled on the right.
    for v in [hi - pad, (hi + lo) / 2.0, lo + pad] {
        let y = y_of(v);
        let _ = write!(
            svg,
            "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\"/>\
             <text class=\"axis\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
            W - RIGHT,
            W - RIGHT + 6.0,
            y + 4.0,
            esc(&style::price(v))
        );
    }
    let points: Vec<String> = bars
        .iter()
        .enumerate()
        .map(|(i, b)| format!("{:.1},{:.1}", x_of_index(i), y_of(b.close)))
        .collect();
    let base = H - BOTTOM;
    let _ = write!(
        svg,
        "<polygon class=\"area\" points=\"{:.1},{base:.1} {} {:.1},{base:.1}\"/>\
         <polyline class=\"line\" points=\"{}\"/>",
        x_of_index(0),
        points.join(" "),
        x_of_index(n),
        points.join(" ")
    );
    let _ = write!(
        svg,
        "<text class=\"axis\" x=\"{LEFT}\" y=\"{:.1}\">{}</text>\
         <text class=\"axis end\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
        H - 8.0,
        first.date,
        W - RIGHT,
        H - 8.0,
        last.date
    );
    for m in &in_range {
        let Some(v) = mark_y(m) else { continue };
        let (x, y) = (x_of_date(m.date), y_of(v));
        let (class, path) = if m.buy {
            ("mark buy", format!("M{x:.1},{:.1} l-6,10 h12 z", y - 5.0))
        } else {
            ("mark sell", format!("M{x:.1},{:.1} l-6,-10 h12 z", y + 5.0))
        };
        let _ = write!(
            svg,
            "<path class=\"{class}\" d=\"{path}\"><title>{}</title></path>",
            esc(&m.label)
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bar(d: &str, close: f64) -> DailyBar {
        DailyBar {
            ticker: "T".into(),
            date: d.parse().expect("date"),
            open: None,
            high: None,
            low: None,
            close,
            volume: None,
        }
    }

    #[test]
    fn closes_and_marks_become_an_accessible_svg() {
        let bars = [bar("2021-11-01", 100.0), bar("2021-11-02", 110.0), bar("2021-11-03", 90.0)];
        let marks = [
            Mark {
                date: "2021-11-02".parse().expect("d"),
                buy: false,
                label: "Elon Musk sold <1>".into(),
            },
            Mark {
                date: "2020-01-01".parse().expect("d"),
                buy: true,
                label: "out of range".into(),
            },
        ];
        let svg = price_chart("TSLA", &bars, &marks).expect("chart");
        assert!(svg.starts_with("<svg class=\"price-chart down\""));
        assert!(svg.contains("<title id=\"chart-title\">TSLA price chart</title>"));
        assert!(svg.contains("1 insider sells marked"));
        assert!(svg.contains("class=\"mark sell\""));
        assert!(svg.contains("sold &lt;1&gt;"));
        assert!(!svg.contains("out of range"));
        assert!(!svg.contains("style="));
        assert_eq!(price_chart("T", &bars[..1], &[]), None);
    }
}

//! Text plus mentions to HTML for the publish stage: each mention becomes a ticker chip linking
//! to `/tickers/TICKER` with the day's change; everything else is escaped.

use std::fmt::Write;

use crate::Mention;

/// Escapes text for HTML element content and attribute values.
pub fn escape_html(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
}

fn chip(ticker: &str, change: Option<f64>, out: &mut String) {
    let (class, label) = match change {
        Some(pct) if pct.is_finite() => {
            let shown = format!("{pct:+.1}%");
            let class = if shown.starts_with("+0.0") || shown.starts_with("-0.0") {
                "flat"
            } else if pct > 0.0 {
                "up"
            } else {
                "down"
            };
            let shown = if class == "flat" { "0.0%".to_owned() } else { shown };
            (class, shown)
        }
        _ => ("flat", "--".to_owned()),
    };
    out.push_str("<a class=\"ticker-chip\" href=\"/tickers/");
    escape_html(ticker, out);
    out.push_str("\">");
    escape_html(ticker, out);
    let _ = write!(out, " <span class=\"chg {class}\">{label}</span></a>");
}

/// Renders `text` as HTML with a ticker chip for each mention:
/// `<a class="ticker-chip" href="/tickers/AAPL">AAPL <span class="chg up">+1.2%</span></a>`.
/// `quote_change(ticker)` gives the percentage change to show ("--" when `None`; class
/// `up`, `down` or `flat`). A mention written as a symbol ("$AAPL", "MSFT.O") is replaced by its
/// chip; a name ("Apple") is kept and the chip follows it. Mentions that overlap, are out of
/// order or do not fall on char boundaries are ignored; all other text is escaped.
pub fn render_html(
    text: &str,
    mentions: &[Mention],
    quote_change: impl Fn(&str) -> Option<f64>,
) -> String {
    let mut out = String::with_capacity(text.len() + mentions.len() * 80);
    let mut pos = 0;
    for m in mentions {
        let Some(surface) = (m.start >= pos).then(|| text.get(m.start..m.end)).flatten() else {
            continue;
        };
        escape_html(text.get(pos..m.start).unwrap_or_default(), &mut out);
        let symbol = !surface.chars().any(char::is_lowercase);
        if !symbol {
            escape_html(surface, &mut out);
            out.push(' ');
        }
        chip(&m.ticker, quote_change(&m.ticker), &mut out);
        pos = m.end;
    }
    escape_html(text.get(pos..).unwrap_or_default(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use marketdesk_core::Cik;

    use super::*;

    fn mention(start: usize, end: usize, text: &str, ticker: &str) -> Mention {
        Mention {
            start,
            end,
            text: text.to_owned(),
            ticker: ticker.to_owned(),
            cik: Cik::from(1u32),
            confidence: 0.9,
        }
    }

    #[test]
    fn chips_and_escaping() {
        let text = "<script>alert('x')</script> Apple & \"$MSFT\"";
        let apple = text.find("Apple").unwrap_or_default();
        let msft = text.find("$MSFT").unwrap_or_default();
        let ms =
            [mention(apple, apple + 5, "Apple", "AAPL"), mention(msft, msft + 5, "$MSFT", "MSFT")];
        let html = render_html(text, &ms, |t| (t == "AAPL").then_some(1.234));
        assert_eq!(
            html,
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; Apple <a class=\"ticker-chip\" \
             href=\"/tickers/AAPL\">AAPL <span class=\"chg up\">+1.2%</span></a> &amp; &quot;\
             <a class=\"ticker-chip\" href=\"/tickers/MSFT\">MSFT <span class=\"chg flat\">--</span></a>&quot;"
        );
    }

    #[test]
    fn change_classes() {
        let ms = [mention(0, 3, "GAP", "GAP")];
        assert!(render_html("GAP", &ms, |_| Some(-2.0)).contains("chg down\">-2.0%"));
        assert!(render_html("GAP", &ms, |_| Some(0.01)).contains("chg flat\">0.0%"));
        assert!(render_html("GAP", &ms, |_| Some(f64::NAN)).contains("chg flat\">--"));
    }

    #[test]
    fn hostile_mentions_are_ignored() {
        let ms = [mention(1, 2, "é", "X"), mention(0, 99, "?", "Y"), mention(0, 1, "<", "<b>")];
        let html = render_html("é<", &ms, |_| None);
        assert_eq!(html, "é&lt;");
        let ms = [mention(2, 3, "<", "\"><script>")];
        let html = render_html("é<", &ms, |_| None);
        assert!(
            html.contains("href=\"/tickers/&quot;&gt;&lt;script&gt;\"")
                && !html.contains("<script>")
        );
    }
}

//! An issue's subject and its two parts, from a [`Digest`]: HTML made for mail clients (tables,
//! inline CSS, no scripts, no web fonts, a hidden preheader) and the same content as plain
//! text. Both hold [`UNSUBSCRIBE_PLACEHOLDER`] where each subscriber's own link goes.

use askama::Template;
use marketdesk_store::Cadence;

use crate::digest::{Digest, DigestArticle, Highlight, HoldingMove, KeyDateLine};

/// Stands for the subscriber's unsubscribe URL in a stored issue.
pub const UNSUBSCRIBE_PLACEHOLDER: &str = "%%UNSUBSCRIBE_URL%%";

/// Who the issue is from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Brand {
    /// The site's name.
    pub site_name: String,
    /// The site's public address, no trailing slash.
    pub base_url: String,
    /// The sender's postal address (CAN-SPAM asks for one in commercial mail).
    pub postal_address: Option<String>,
}

/// A composed issue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Composed {
    /// The subject line.
    pub subject: String,
    /// One line: what is in it.
    pub summary: String,
    /// The HTML part.
    pub html: String,
    /// The text part.
    pub text: String,
}

struct Fields<'a> {
    subject: &'a str,
    preheader: &'a str,
    site_name: &'a str,
    base_url: &'a str,
    home_url: String,
    view_url: String,
    unsubscribe_url: &'a str,
    kind: &'a str,
    cadence: &'a str,
    quiet: &'a str,
    period_title: &'a str,
    articles: &'a [DigestArticle],
    buys: &'a [Highlight],
    sells: &'a [Highlight],
    clusters: &'a [Highlight],
    insider_lists: [(&'a str, &'a [Highlight]); 3],
    moves: &'a [HoldingMove],
    key_dates: &'a [KeyDateLine],
    empty: bool,
    postal_address: Option<&'a str>,
}

#[derive(Template)]
#[template(path = "issue.html")]
struct HtmlIssue<'a> {
    f: Fields<'a>,
}

#[derive(Template)]
#[template(path = "issue.txt")]
struct TextIssue<'a> {
    f: Fields<'a>,
}

impl<'a> std::ops::Deref for HtmlIssue<'a> {
    type Target = Fields<'a>;
    fn deref(&self) -> &Fields<'a> {
        &self.f
    }
}

impl<'a> std::ops::Deref for TextIssue<'a> {
    type Target = Fields<'a>;
    fn deref(&self) -> &Fields<'a> {
        &self.f
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The archive address of an issue.
pub fn view_url(base_url: &str, slug: &str) -> String {
    format!("{base_url}/newsletter/archive/{slug}")
}

/// Composes the issue of `digest` for `slug` (its archive address).
pub fn compose(digest: &Digest, slug: &str, brand: &Brand) -> Composed {
    let (kind, cadence, quiet) = match digest.period.cadence {
        Cadence::Daily => ("Daily briefing", "daily", "day"),
        Cadence::Weekly => ("Weekly briefing", "weekly", "week"),
    };
    let lead = digest.articles.first().map(|a| a.headline.as_str());
    let subject = match lead {
        Some(h) => format!("{kind}: {h}"),
        None => format!("{kind}, {}", digest.period.title),
    };
    let highlights =
        digest.buys.len() + digest.sells.len() + digest.clusters.len() + digest.moves.len();
    let summary = format!(
        "{}, {}, {}",
        plural(digest.articles.len(), "story", "stories"),
        plural(highlights, "smart-money highlight", "smart-money highlights"),
        plural(digest.key_dates.len(), "key date", "key dates"),
    );
    let fields = || Fields {
        subject: &subject,
        preheader: &summary,
        site_name: &brand.site_name,
        base_url: &brand.base_url,
        home_url: format!("{}/", brand.base_url),
        view_url: view_url(&brand.base_url, slug),
        unsubscribe_url: UNSUBSCRIBE_PLACEHOLDER,
        kind,
        cadence,
        quiet,
        period_title: &digest.period.title,
        articles: &digest.articles,
        buys: &digest.buys,
        sells: &digest.sells,
        clusters: &digest.clusters,
        insider_lists: [
            ("Largest insider buys", &digest.buys),
            ("Largest insider sales", &digest.sells),
            ("Cluster buys", &digest.clusters),
        ],
        moves: &digest.moves,
        key_dates: &digest.key_dates,
        empty: digest.is_empty(),
        postal_address: brand.postal_address.as_deref(),
    };
    // Rendering writes to a String and the templates call nothing fallible.
    let html = HtmlIssue { f: fields() }.render().unwrap_or_default();
    let text = TextIssue { f: fields() }.render().unwrap_or_default();
    Composed { subject, summary, html, text }
}

#[cfg(test)]
mod tests {
    use jiff::Timestamp;

    use super::*;
    use crate::period::Period;

    fn digest() -> Digest {
        let now: Timestamp = "2026-12-07T12:00:00Z".parse().expect("timestamp");
        Digest {
            period: Period::current(Cadence::Daily, now),
            covers_from: now,
            covers_until: now,
            articles: vec![DigestArticle {
                headline: "Insiders <buy> & hold".to_owned(),
                dek: "Three directors bought.".to_owned(),
                path: "/articles/insiders-buy".to_owned(),
                agent: "Ledger".to_owned(),
                reading: "2min read".to_owned(),
                tickers: vec!["ACME".to_owned()],
            }],
            buys: vec![],
            sells: vec![],
            clusters: vec![],
            moves: vec![],
            key_dates: vec![KeyDateLine {
                day: "Wed, Dec 9".to_owned(),
                time: Some("2:00 pm ET".to_owned()),
                title: "FOMC statement".to_owned(),
                note: None,
                url: None,
            }],
        }
    }

    #[test]
    fn both_parts_carry_the_content_and_the_placeholder() {
        let brand = Brand {
            site_name: "marketdesk".to_owned(),
            base_url: "https://news.example.com".to_owned(),
            postal_address: Some("1 Main St, Springfield".to_owned()),
        };
        let c = compose(&digest(), "daily-2026-12-07", &brand);
        assert_eq!(c.subject, "Daily briefing: Insiders <buy> & hold");
        assert_eq!(c.summary, "1 story, 0 smart-money highlights, 1 key date");
        // HTML is escaped; text is not.
        assert!(c.html.contains("Insiders &#60;buy&#62; &#38; hold"), "{}", c.html);
        assert!(c.text.contains("* Insiders <buy> & hold"), "{}", c.text);
        for part in [&c.html, &c.text] {
            assert!(part.contains(UNSUBSCRIBE_PLACEHOLDER));
            assert!(part.contains("https://news.example.com/newsletter/archive/daily-2026-12-07"));
            assert!(part.contains("https://news.example.com/articles/insiders-buy"));
            assert!(part.contains("FOMC statement"));
            assert!(part.contains("1 Main St, Springfield"));
            assert!(part.contains("Generated by AI Agent Ledger"));
        }
        assert!(!c.html.contains("<script"), "no scripts in mail");
        assert!(!c.html.contains("Smart money"), "empty sections are left out");
    }
}

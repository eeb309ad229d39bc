//! News events: their fact sheet (the reports, quoted and attributed, and what the news desk
//! found in them) and the deterministic news-analysis article the macro persona writes.

use jiff::{Timestamp, civil::Date};
use marketdesk_core::{Cik, eastern};
use serde::{Deserialize, Serialize};

use crate::{
    Draft, DraftSection, Entity, EventFacts, FactSheet, NumberFact, Persona, Quote, SectionRole,
    Source, Unit, ap_date, count_words,
    deterministic::capitalise,
    facts::{DateFact, SectorFact},
};

/// The roles of a news article's sections, in order.
pub const NEWS_SECTIONS: [SectionRole; 7] = [
    SectionRole::WhatHappened,
    SectionRole::Case,
    SectionRole::Risks,
    SectionRole::Landscape,
    SectionRole::Sectors,
    SectionRole::Strategies,
    SectionRole::Conclusion,
];

/// One report of an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    /// The feed's name ("Reuters World").
    pub outlet: String,
    /// The headline as published.
    pub title: String,
    /// Its address.
    pub link: Option<String>,
    /// When it was published.
    pub published_at: Option<Timestamp>,
    /// The summary, plain text.
    pub summary: String,
}

/// A company the reports name, found by the linker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NamedCompany {
    /// The name as the text wrote it.
    pub name: String,
    /// Its main ticker.
    pub ticker: String,
    /// Its CIK.
    pub cik: Cik,
}

/// Everything the news desk knows about one event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewsEvent {
    /// The event's key (the first report's item key).
    pub key: String,
    /// Its reports, first first.
    pub reports: Vec<Report>,
    /// What the desk found.
    pub facts: EventFacts,
    /// Companies the reports name.
    pub companies: Vec<NamedCompany>,
    /// People the gazetteer recognised.
    pub people: Vec<String>,
}

/// A headline without the outlet suffix some feeds append (" - Reuters").
pub fn bare_headline(title: &str) -> &str {
    let t = title.trim();
    match t.rsplit_once(" - ") {
        Some((head, outlet)) if outlet.split_whitespace().count() <= 3 && !head.is_empty() => head,
        _ => t,
    }
}

impl FactSheet {
    /// The facts of a news event: the reports (quoted, each a source), the sectors the desk
    /// found with their reasons and representative companies, and who is involved.
    pub fn from_event(event: &NewsEvent) -> Self {
        let mut sources = Vec::new();
        let mut quotes = Vec::new();
        let mut dates = Vec::new();
        for (i, r) in event.reports.iter().enumerate() {
            sources.push(Source {
                title: format!("{}: {}", r.outlet, bare_headline(&r.title)),
                url: r
                    .link
                    .clone()
                    .unwrap_or_else(|| format!("urn:marketdesk:feed-item:{}", event.key)),
            });
            quotes.push(Quote {
                text: bare_headline(&r.title).to_owned(),
                source: i,
                about: "headline".into(),
            });
            if !r.summary.trim().is_empty() {
                quotes.push(Quote {
                    text: r.summary.trim().to_owned(),
                    source: i,
                    about: "summary".into(),
                });
            }
            if let Some(t) = r.published_at {
                dates.push(DateFact {
                    key: format!("reports.{i}.published"),
                    date: eastern(t).date(),
                });
            }
        }
        let as_of = dates.iter().map(|d| d.date).max().unwrap_or(Date::MIN);
        let mut entities: Vec<Entity> = Vec::new();
        let mut tickers: Vec<String> = Vec::new();
        let mut company = |name: &str, ticker: &str, cik: Option<Cik>| {
            if !entities.iter().any(|e| e.kind == "company" && e.detail.as_deref() == Some(ticker))
            {
                entities.push(Entity {
                    kind: "company".into(),
                    name: name.to_owned(),
                    display: name.to_owned(),
                    cik,
                    detail: Some(ticker.to_owned()),
                });
            }
            if !tickers.iter().any(|t| t == ticker) {
                tickers.push(ticker.to_owned());
            }
        };
        for c in &event.companies {
            company(&c.name, &c.ticker, Some(c.cik));
        }
        for s in &event.facts.sectors {
            for (name, ticker) in &s.companies {
                company(name, ticker, None);
            }
        }
        for p in &event.people {
            entities.push(Entity {
                kind: "person".into(),
                name: p.clone(),
                display: p.clone(),
                cik: None,
                detail: None,
            });
        }
        let numbers = vec![NumberFact {
            key: "outlets".into(),
            value: event.facts.outlets.len() as f64,
            unit: Unit::Count,
            as_of,
            source: 0,
        }];
        FactSheet {
            subject: format!("news:{}", event.key),
            kind: None,
            as_of,
            entities,
            tickers,
            numbers,
            dates,
            labels: vec![event.facts.topic.clone()],
            quotes,
            sources,
            leg_insiders: Vec::new(),
            event: Some(event.facts.clone()),
            parts: Vec::new(),
        }
    }
}

/// "a tailwind for", "a headwind for", "mixed news for".
fn reading(direction: &str) -> &'static str {
    match direction {
        "+" => "a tailwind for",
        "-" => "a headwind for",
        _ => "mixed news for",
    }
}

/// "A", "A and B", "A, B and C".
fn and_list<S: AsRef<str>>(items: &[S]) -> String {
    match items {
        [] => String::new(),
        [one] => one.as_ref().to_owned(),
        [init @ .., last] => format!(
            "{} and {}",
            init.iter().map(AsRef::as_ref).collect::<Vec<_>>().join(", "),
            last.as_ref()
        ),
    }
}

fn sector_names(sectors: &[&SectorFact]) -> String {
    and_list(&sectors.iter().map(|s| s.sector.as_str()).collect::<Vec<_>>())
}

/// Writes the news-analysis article for an event sheet in `persona`'s headings; `None` when
/// the sheet is not a news sheet or the desk found no sector effect to analyse.
pub fn write_news(sheet: &FactSheet, persona: &Persona) -> Option<Draft> {
    let event = sheet.event.as_ref()?;
    let first = sheet.sources.first()?;
    let headline_quote = sheet.quotes.iter().find(|q| q.about == "headline")?;
    if event.sectors.is_empty() {
        return None;
    }
    let outlet = first.title.split(':').next().unwrap_or("").trim();
    let gains: Vec<&SectorFact> = event.sectors.iter().filter(|s| s.direction == "+").collect();
    let losses: Vec<&SectorFact> = event.sectors.iter().filter(|s| s.direction == "-").collect();
    let mixed: Vec<&SectorFact> = event.sectors.iter().filter(|s| s.direction == "mixed").collect();
    let all: Vec<&SectorFact> = event.sectors.iter().collect();
    let date = sheet.date("reports.0.published");

    let mut what = vec![match date {
        Some(d) => {
            format!("\u{201c}{}\u{201d}, {outlet} reported on {}.", headline_quote.text, ap_date(d))
        }
        None => format!("\u{201c}{}\u{201d}, {outlet} reported.", headline_quote.text),
    }];
    // A summary that only repeats the headline (as wire feeds often do) is not quoted again.
    let repeats = |q: &Quote| {
        let words = |t: &str| {
            t.split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_lowercase)
                .collect::<Vec<_>>()
        };
        let (h, s) = (words(&headline_quote.text), words(&q.text));
        s.len() <= h.len() + 2 && s.starts_with(&h)
    };
    if let Some(summary) = sheet
        .quotes
        .iter()
        .find(|q| q.about == "summary" && q.source == 0 && q.text.len() <= 600 && !repeats(q))
    {
        what.push(format!(
            "In its words: \u{201c}{}\u{201d}",
            summary.text.trim_end_matches('.').to_owned() + "."
        ));
    }
    let n = event.outlets.len();
    if n > 1 {
        what.push(format!(
            "{} outlets carried the story: {}.",
            capitalise(&count_words(n)),
            event.outlets.join(", ")
        ));
    }

    let case = if gains.is_empty() {
        vec![format!(
            "The desk finds no sector that clearly gains from this {} news; the effects it sees are {}.",
            event.topic,
            if losses.is_empty() { "mixed" } else { "headwinds" }
        )]
    } else {
        gains
            .iter()
            .map(|s| {
                format!(
                    "It reads as {} {}: {}.",
                    reading("+"),
                    s.sector,
                    s.why.trim_end_matches('.')
                )
            })
            .collect()
    };
    let mut risks: Vec<String> = losses
        .iter()
        .map(|s| {
            format!("It reads as {} {}: {}.", reading("-"), s.sector, s.why.trim_end_matches('.'))
        })
        .collect();
    risks.extend(mixed.iter().map(|s| {
        format!(
            "{} is split, with winners and losers inside the sector: {}.",
            s.sector,
            s.why.trim_end_matches('.')
        )
    }));
    risks.push(
        "First reports are often revised, and markets may already have priced in part of the news; the effect on any one company depends on its own exposure."
            .to_owned(),
    );

    let mut landscape = Vec::new();
    if !event.places.is_empty() || !event.organisations.is_empty() {
        let mut involved: Vec<String> = event.places.clone();
        involved.extend(event.organisations.iter().cloned());
        landscape.push(format!("The report involves {}.", and_list(&involved)));
    }
    landscape.push(format!(
        "The desk files it under {}, with first-order effects on {}.",
        event.topic,
        sector_names(&all)
    ));

    let sectors_section: Vec<String> = all
        .iter()
        .map(|s| {
            let mut p = format!(
                "{} {}: {}.",
                capitalise(reading(&s.direction)),
                s.sector,
                s.why.trim_end_matches('.')
            );
            if !s.companies.is_empty() {
                let names: Vec<&str> = s.companies.iter().map(|(n, _)| n.as_str()).collect();
                p.push_str(&format!(" Listed companies in it include {}.", and_list(&names)));
            }
            p
        })
        .collect();

    let mut strategies = Vec::new();
    if !gains.is_empty() {
        strategies.push(format!(
            "Investors already holding {} names may weigh whether the news changes their outlook, rather than chase a first-day move.",
            sector_names(&gains)
        ));
    }
    if !losses.is_empty() {
        strategies.push(format!(
            "Those exposed to {} may consider how much of their revenue or costs the event touches, and whether hedges or diversification fit their plans.",
            sector_names(&losses)
        ));
    }
    strategies.push(
        "These are considerations, not recommendations; this is not investment advice.".to_owned(),
    );

    let conclusion = vec![format!(
        "The story is one input among many: follow-up reports and official data will show whether the effects on {} hold.",
        sector_names(&all)
    )];

    let body = |role: SectionRole| match role {
        SectionRole::WhatHappened => what.clone(),
        SectionRole::Case => case.clone(),
        SectionRole::Risks => risks.clone(),
        SectionRole::Landscape => landscape.clone(),
        SectionRole::Sectors => sectors_section.clone(),
        SectionRole::Strategies => strategies.clone(),
        _ => conclusion.clone(),
    };
    let lead = event.sectors.first()?;
    Some(Draft {
        headline: format!(
            "{}: what it means for {}",
            headline_quote.text,
            sector_names(&all.iter().take(2).copied().collect::<Vec<_>>())
        ),
        dek: format!(
            "Meridian reads {outlet}'s report as {} {}.",
            reading(&lead.direction),
            lead.sector
        ),
        sections: NEWS_SECTIONS
            .iter()
            .map(|r| DraftSection { heading: persona.heading(*r).to_owned(), paragraphs: body(*r) })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{roster, verify};

    fn event() -> NewsEvent {
        NewsEvent {
            key: "guid:oil-1".into(),
            reports: vec![
                Report {
                    outlet: "Reuters World".into(),
                    title: "Drone strike halts output at major Saudi oil field - Reuters".into(),
                    link: Some("https://www.reuters.com/world/oil-1".into()),
                    published_at: "2026-08-03T14:05:00Z".parse().ok(),
                    summary:
                        "Output of 1.2 million barrels per day was suspended after the attack."
                            .into(),
                },
                Report {
                    outlet: "Guardian US".into(),
                    title: "Saudi oil field hit by drones".into(),
                    link: Some("https://www.theguardian.com/oil-1".into()),
                    published_at: "2026-08-03T15:00:00Z".parse().ok(),
                    summary: String::new(),
                },
            ],
            facts: EventFacts {
                topic: "energy".into(),
                sectors: vec![
                    SectorFact {
                        sector: "Energy".into(),
                        direction: "+".into(),
                        why: "a supply disruption lifts oil prices and producers' revenue".into(),
                        companies: vec![
                            ("Exxon Mobil".into(), "XOM".into()),
                            ("Chevron".into(), "CVX".into()),
                        ],
                    },
                    SectorFact {
                        sector: "Consumer".into(),
                        direction: "-".into(),
                        why: "higher fuel prices squeeze household spending".into(),
                        companies: vec![],
                    },
                ],
                places: vec!["Saudi Arabia".into()],
                organisations: vec![],
                outlets: vec!["Reuters World".into(), "Guardian US".into()],
            },
            companies: vec![],
            people: vec![],
        }
    }

    #[test]
    fn a_news_article_quotes_its_source_and_passes_verification() {
        let sheet = FactSheet::from_event(&event());
        let persona = roster()
            .expect("roster")
            .into_iter()
            .find(|p| p.slug == "macro-analyst")
            .expect("macro");
        let d = write_news(&sheet, &persona).expect("draft");
        assert_eq!(
            d.headline,
            "Drone strike halts output at major Saudi oil field: what it means for Energy and Consumer"
        );
        assert!(d.sections[0].paragraphs[0].starts_with("\u{201c}Drone strike halts output at major Saudi oil field\u{201d}, Reuters World reported on Aug. 3, 2026."));
        let headings: Vec<&str> = d.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(headings.len(), NEWS_SECTIONS.len());
        assert_eq!(
            d.sections[4].paragraphs[0],
            "A tailwind for Energy: a supply disruption lifts oil prices and producers' revenue. Listed companies in it include Exxon Mobil and Chevron."
        );
        assert_eq!(verify(&d, &sheet, &[], None), []);
        assert_eq!(sheet.tickers, ["XOM", "CVX"]);
        assert_eq!(sheet.sources[1].title, "Guardian US: Saudi oil field hit by drones");
    }

    #[test]
    fn events_without_a_sector_effect_get_no_article() {
        let mut e = event();
        e.facts.sectors.clear();
        let persona = roster().expect("roster").remove(1);
        assert_eq!(write_news(&FactSheet::from_event(&e), &persona), None);
    }

    #[test]
    fn outlet_suffixes_are_dropped() {
        assert_eq!(bare_headline("Fed holds rates - Reuters"), "Fed holds rates");
        let mut e = event();
        e.reports[0].summary =
            "Drone strike halts output at major Saudi oil\u{200b} field Reuters".into();
        let persona = roster().expect("roster").remove(1);
        let d = write_news(&FactSheet::from_event(&e), &persona).expect("draft");
        assert_eq!(
            d.sections[0].paragraphs.len(),
            2,
            "a summary repeating the headline is not quoted"
        );
        assert_eq!(
            bare_headline("Wall Street - a history of it all in one"),
            "Wall Street - a history of it all in one"
        );
    }
}

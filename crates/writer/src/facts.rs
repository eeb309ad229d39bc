//! Fact sheets: everything an article may state, each fact with its unit, its as-of date and the
//! source it came from. A writer may say nothing that is not here or computed from it.

use jiff::civil::Date;
use marketdesk_core::{Accession, Cik};
use marketdesk_desks::insider::{Signal, SignalKind};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::names;

/// The unit of a number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// US dollars.
    Usd,
    /// Dollars per share.
    UsdPerShare,
    /// A share count.
    Shares,
    /// A percentage.
    Percent,
    /// A count of things (insiders, filings).
    Count,
}

/// One number an article may state.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NumberFact {
    /// What it is (`value_usd`, `legs.0.shares`, ...).
    pub key: String,
    /// The number.
    pub value: f64,
    /// Its unit.
    pub unit: Unit,
    /// The day it is true of.
    pub as_of: Date,
    /// Index into [`FactSheet::sources`].
    pub source: usize,
}

/// A date an article may state.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateFact {
    /// What it is (`start_date`, `legs.0.previous_purchase`).
    pub key: String,
    /// The day.
    pub date: Date,
}

/// A company or person an article may name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// `company` or `person` (or another filer).
    pub kind: String,
    /// The name as filed.
    pub name: String,
    /// The name as an article writes it ("Elon Musk", "Tesla Motors Inc.").
    pub display: String,
    /// Its CIK, for SEC filers.
    pub cik: Option<Cik>,
    /// The company's ticker, or the person's role.
    pub detail: Option<String>,
}

/// Words quoted from a source (a filing's footnote, a feed item).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    /// The words, verbatim.
    pub text: String,
    /// Index into [`FactSheet::sources`].
    pub source: usize,
    /// What it qualifies (`footnote F1`).
    pub about: String,
}

/// Where facts come from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Source {
    /// A title a reader understands.
    pub title: String,
    /// Its address.
    pub url: String,
}

/// The facts behind one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FactSheet {
    /// What the article is about, stable across runs (`purchase:0001494730-11-000006`).
    pub subject: String,
    /// The signal kind, for insider articles.
    pub kind: Option<SignalKind>,
    /// The last day the facts describe.
    pub as_of: Date,
    /// Companies and people.
    pub entities: Vec<Entity>,
    /// Tickers an article may tag.
    pub tickers: Vec<String>,
    /// Numbers an article may state.
    pub numbers: Vec<NumberFact>,
    /// Dates an article may state.
    pub dates: Vec<DateFact>,
    /// Labels that qualify the facts (`routine`, `10b5-1 plan`, `first purchase in two years`).
    pub labels: Vec<String>,
    /// Words an article may quote.
    #[serde(default)]
    pub quotes: Vec<Quote>,
    /// The sources.
    pub sources: Vec<Source>,
    /// The insider behind each leg (`legs.N.*` facts), by leg index.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub leg_insiders: Vec<Cik>,
    /// For a news event: its topic, the sectors it moves and who is involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<EventFacts>,
    /// For a roundup, the sheet of each signal it covers (their facts are this sheet's too).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<FactSheet>,
}

/// What the news desk found in an event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventFacts {
    /// "geopolitics", "monetary policy", ...
    pub topic: String,
    /// Sectors the event moves, strongest first.
    pub sectors: Vec<SectorFact>,
    /// Countries and places named.
    pub places: Vec<String>,
    /// Organisations named.
    pub organisations: Vec<String>,
    /// The outlets that reported it, first reporter first.
    pub outlets: Vec<String>,
}

/// One sector an event moves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectorFact {
    /// One of the desk's sector names.
    pub sector: String,
    /// "+", "-" or "mixed".
    pub direction: String,
    /// Why, from the sector knowledge base.
    pub why: String,
    /// Representative listed companies: (name, ticker).
    pub companies: Vec<(String, String)>,
}

/// A footnote of a filing behind a signal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilingFootnote {
    /// The filing.
    pub accession: String,
    /// `F1`.
    pub id: String,
    /// The footnote's text.
    pub text: String,
}

/// Split-adjusted closing prices around a signal, from the quotes provider.
#[derive(Debug, Clone, PartialEq)]
pub struct PriceContext {
    /// Names the provider, as a source title.
    pub source: String,
    /// The close on (or just before) the last trade date.
    pub at_trade: (Date, f64),
    /// The latest close on record.
    pub latest: (Date, f64),
}

/// What the store knows around a signal beyond the signal itself.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SignalContext {
    /// The form type of each filing behind the signal ("4", "4/A"), by accession.
    pub forms: Vec<(String, String)>,
    /// Footnotes on the signal's trade rows.
    pub footnotes: Vec<FilingFootnote>,
    /// Prices, when the quotes provider has them.
    pub price: Option<PriceContext>,
    /// The filings' signature lines, which spell owners' names in reading order.
    pub signatures: Vec<String>,
}

/// The EDGAR page of a filing: `…/Archives/edgar/data/{cik}/{accession digits}/{accession}-index.htm`.
pub fn edgar_filing_url(cik: Cik, accession: &Accession) -> Option<String> {
    let digits = accession.folder_digits()?;
    Some(format!(
        "https://www.sec.gov/Archives/edgar/data/{}/{digits}/{accession}-index.htm",
        cik.get()
    ))
}

/// `purchase`, `cluster_buy`, ...: the names used in subjects, beats and JSON.
pub fn kind_name(kind: SignalKind) -> &'static str {
    match kind {
        SignalKind::Purchase => "purchase",
        SignalKind::ClusterBuy => "cluster_buy",
        SignalKind::Sale => "sale",
        SignalKind::ClusterSale => "cluster_sale",
    }
}

impl FactSheet {
    /// The facts of an insider signal and what the store knows around it.
    pub fn from_signal(signal: &Signal, context: &SignalContext) -> Self {
        let mut sources: Vec<Source> = Vec::new();
        let mut source_of: Vec<(&str, usize)> = Vec::new();
        for a in &signal.accessions {
            let title = match context.forms.iter().find(|(acc, _)| acc == a) {
                Some((_, form)) => format!("SEC Form {form} filing {a}"),
                None => format!("SEC ownership filing {a}"),
            };
            let url = Accession::parse(a)
                .ok()
                .and_then(|acc| edgar_filing_url(signal.issuer_cik, &acc))
                .unwrap_or_else(|| format!("urn:marketdesk:filing:{a}"));
            source_of.push((a, sources.len()));
            sources.push(Source { title, url });
        }
        let source = |accession: &str| {
            source_of.iter().find(|(a, _)| *a == accession).map_or(0, |(_, i)| *i)
        };
        let as_of = signal.end_date;
        let mut numbers = Vec::new();
        let mut number = |key: String, value: f64, unit: Unit, as_of: Date, source: usize| {
            numbers.push(NumberFact { key, value, unit, as_of, source });
        };
        number("value_usd".into(), signal.value_usd, Unit::Usd, as_of, 0);
        number("shares".into(), signal.shares, Unit::Shares, as_of, 0);
        if signal.shares > 0.0 && signal.value_usd > 0.0 {
            number(
                "average_price".into(),
                signal.value_usd / signal.shares,
                Unit::UsdPerShare,
                as_of,
                0,
            );
        }
        if let Some(p) = signal.pct_of_holding {
            number("pct_of_holding".into(), p, Unit::Percent, as_of, 0);
        }
        number("insiders".into(), signal.insiders.len() as f64, Unit::Count, as_of, 0);
        number("filings".into(), signal.accessions.len() as f64, Unit::Count, as_of, 0);
        let mut dates = vec![
            DateFact { key: "start_date".into(), date: signal.start_date },
            DateFact { key: "end_date".into(), date: signal.end_date },
        ];
        for (i, leg) in signal.legs.iter().enumerate() {
            let src = source(&leg.accession);
            let key = |field: &str| format!("legs.{i}.{field}");
            number(key("shares"), leg.shares, Unit::Shares, leg.end_date, src);
            number(key("value_usd"), leg.value_usd, Unit::Usd, leg.end_date, src);
            if leg.shares > 0.0 && leg.value_usd > 0.0 {
                number(
                    key("average_price"),
                    leg.value_usd / leg.shares,
                    Unit::UsdPerShare,
                    leg.end_date,
                    src,
                );
            }
            if let (Some(lo), Some(hi)) = (leg.low_price, leg.high_price) {
                number(key("low_price"), lo, Unit::UsdPerShare, leg.end_date, src);
                number(key("high_price"), hi, Unit::UsdPerShare, leg.end_date, src);
            }
            if let Some(after) = leg.owned_after {
                number(key("owned_after"), after, Unit::Shares, leg.end_date, src);
            }
            dates.push(DateFact { key: key("start_date"), date: leg.start_date });
            dates.push(DateFact { key: key("end_date"), date: leg.end_date });
            if let Some(d) = leg.previous_purchase {
                dates.push(DateFact { key: key("previous_purchase"), date: d });
            }
        }
        if let Some(price) = &context.price {
            let src = sources.len();
            sources.push(Source {
                title: price.source.clone(),
                url: format!("urn:marketdesk:quotes:{}", signal.ticker.as_deref().unwrap_or("")),
            });
            let (d0, c0) = price.at_trade;
            let (d1, c1) = price.latest;
            number("close_at_trade".into(), c0, Unit::UsdPerShare, d0, src);
            number("latest_close".into(), c1, Unit::UsdPerShare, d1, src);
            if c0 > 0.0 && d1 > d0 {
                number(
                    "change_since_trade".into(),
                    (c1 / c0 - 1.0) * 100.0,
                    Unit::Percent,
                    d1,
                    src,
                );
            }
            dates.push(DateFact { key: "close_at_trade".into(), date: d0 });
            dates.push(DateFact { key: "latest_close".into(), date: d1 });
        }
        let issuer_name = signal.issuer_name.clone().unwrap_or_default();
        let mut entities = vec![Entity {
            kind: "company".to_owned(),
            display: names::company(&issuer_name),
            name: issuer_name,
            cik: Some(signal.issuer_cik),
            detail: signal.ticker.clone(),
        }];
        entities.extend(signal.insiders.iter().map(|i| Entity {
            kind: "person".to_owned(),
            display: names::person_with_hints(&i.name, &context.signatures),
            name: i.name.clone(),
            cik: Some(i.cik),
            detail: Some(i.role.clone()),
        }));
        let mut labels = Vec::new();
        if signal.routine {
            labels.push("routine".to_owned());
        }
        if signal.plan_10b5_1 {
            labels.push("10b5-1 plan".to_owned());
        }
        if signal.first_purchase_in_two_years {
            labels.push("first purchase on record in two years".to_owned());
        }
        let quotes = context
            .footnotes
            .iter()
            .map(|f| Quote {
                text: f.text.split_whitespace().collect::<Vec<_>>().join(" "),
                source: source(&f.accession),
                about: format!("footnote {}", f.id),
            })
            .collect();
        FactSheet {
            subject: format!("{}:{}", kind_name(signal.kind), signal.accessions.join("+")),
            kind: Some(signal.kind),
            as_of,
            entities,
            tickers: signal.ticker.iter().cloned().collect(),
            numbers,
            dates,
            labels,
            quotes,
            sources,
            leg_insiders: signal.legs.iter().map(|l| l.insider.cik).collect(),
            event: None,
            parts: Vec::new(),
        }
    }

    /// One sheet for several signals on one issuer and day: the union of their facts, each
    /// signal's sheet kept in `parts` (in the order given).
    pub fn roundup(parts: Vec<FactSheet>) -> Self {
        let mut sheet = FactSheet {
            subject: format!(
                "roundup:{}",
                parts.iter().map(|p| p.subject.as_str()).collect::<Vec<_>>().join(",")
            ),
            kind: None,
            as_of: parts.iter().map(|p| p.as_of).max().unwrap_or_default(),
            entities: Vec::new(),
            tickers: Vec::new(),
            numbers: Vec::new(),
            dates: Vec::new(),
            labels: Vec::new(),
            quotes: Vec::new(),
            sources: Vec::new(),
            leg_insiders: Vec::new(),
            event: None,
            parts: Vec::new(),
        };
        for (i, part) in parts.iter().enumerate() {
            let offset = sheet.sources.len();
            for e in &part.entities {
                if !sheet.entities.iter().any(|x| {
                    x.kind == e.kind && x.cik == e.cik && (e.cik.is_some() || x.name == e.name)
                }) {
                    sheet.entities.push(e.clone());
                }
            }
            for t in &part.tickers {
                if !sheet.tickers.contains(t) {
                    sheet.tickers.push(t.clone());
                }
            }
            sheet.numbers.extend(part.numbers.iter().map(|n| NumberFact {
                key: format!("parts.{i}.{}", n.key),
                source: n.source + offset,
                ..n.clone()
            }));
            sheet.dates.extend(
                part.dates
                    .iter()
                    .map(|d| DateFact { key: format!("parts.{i}.{}", d.key), date: d.date }),
            );
            for l in &part.labels {
                if !sheet.labels.contains(l) {
                    sheet.labels.push(l.clone());
                }
            }
            sheet.quotes.extend(
                part.quotes.iter().map(|q| Quote { source: q.source + offset, ..q.clone() }),
            );
            sheet.sources.extend(part.sources.iter().cloned());
        }
        sheet.numbers.push(NumberFact {
            key: "signals".into(),
            value: parts.len() as f64,
            unit: Unit::Count,
            as_of: sheet.as_of,
            source: 0,
        });
        sheet.parts = parts;
        sheet
    }

    /// The number with `key`, if the sheet has it.
    pub fn number(&self, key: &str) -> Option<&NumberFact> {
        self.numbers.iter().find(|n| n.key == key)
    }

    /// The value of the number with `key`.
    pub fn value(&self, key: &str) -> Option<f64> {
        self.number(key).map(|n| n.value)
    }

    /// The date with `key`.
    pub fn date(&self, key: &str) -> Option<Date> {
        self.dates.iter().find(|d| d.key == key).map(|d| d.date)
    }

    /// The company the sheet is about.
    pub fn company(&self) -> Option<&Entity> {
        self.entities.iter().find(|e| e.kind == "company")
    }

    /// The person with `cik`.
    pub fn person(&self, cik: Cik) -> Option<&Entity> {
        self.entities.iter().find(|e| e.kind == "person" && e.cik == Some(cik))
    }

    /// Whether the sheet carries `label`.
    pub fn has_label(&self, label: &str) -> bool {
        self.labels.iter().any(|l| l == label)
    }

    /// A digest of the facts: equal digests, equal articles. Used to tell a changed signal
    /// (an amendment, a late filing joining a cluster) from a re-run.
    pub fn digest(&self) -> String {
        let json = serde_json::to_vec(self).unwrap_or_default();
        let mut h = Sha256::new();
        h.update(&json);
        h.finalize().iter().take(12).map(|b| format!("{b:02x}")).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::signal;

    #[test]
    fn legs_and_context_become_facts() {
        let context = SignalContext {
            forms: vec![("0001494730-20-000001".into(), "4".into())],
            footnotes: vec![FilingFootnote {
                accession: "0001494730-20-000001".into(),
                id: "F1".into(),
                text: "The price reported is a weighted\n average.".into(),
            }],
            price: Some(PriceContext {
                source: "Daily closes (sample)".into(),
                at_trade: ("2020-02-14".parse().expect("date"), 800.0),
                latest: ("2020-03-13".parse().expect("date"), 600.0),
            }),
            signatures: vec!["By: Aaron Beckman, Power of Attorney For: Elon R. Musk".into()],
        };
        let sheet = FactSheet::from_signal(&signal(), &context);
        assert_eq!(sheet.sources[0].title, "SEC Form 4 filing 0001494730-20-000001");
        assert_eq!(sheet.value("legs.0.shares"), Some(40_000.0));
        assert_eq!(sheet.value("change_since_trade"), Some(-25.0));
        assert_eq!(sheet.number("latest_close").map(|n| n.source), Some(1));
        assert_eq!(sheet.quotes[0].text, "The price reported is a weighted average.");
        assert_eq!(
            sheet.person(Cik::from(1494730u32)).map(|p| p.display.as_str()),
            Some("Elon R. Musk")
        );
        let again = FactSheet::from_signal(&signal(), &context);
        assert_eq!(sheet.digest(), again.digest());
        let both = FactSheet::roundup(vec![
            sheet.clone(),
            FactSheet::from_signal(&signal(), &SignalContext::default()),
        ]);
        assert_eq!(both.value("signals"), Some(2.0));
        assert_eq!(both.number("parts.1.value_usd").map(|n| n.source), Some(2));
        assert_eq!(both.entities.len(), 2);
        assert_ne!(both.digest(), sheet.digest());
    }

    #[test]
    fn a_signal_becomes_sourced_facts() {
        let sheet = FactSheet::from_signal(&signal(), &SignalContext::default());
        assert_eq!(sheet.subject, "purchase:0001494730-20-000001");
        assert_eq!(
            sheet.sources[0].url,
            "https://www.sec.gov/Archives/edgar/data/1318605/000149473020000001/0001494730-20-000001-index.htm"
        );
        assert_eq!(sheet.number("average_price").map(|n| n.value), Some(25.0));
        assert_eq!(sheet.number("value_usd").map(|n| n.unit), Some(Unit::Usd));
        assert_eq!(sheet.tickers, ["TSLA"]);
        assert!(sheet.labels.iter().any(|l| l.contains("first purchase")));
        assert_eq!(sheet.entities.len(), 2);
    }

    #[test]
    fn content_hash_accessions_have_no_edgar_url() {
        let hash = Accession::from_content_digest("ab12");
        assert_eq!(edgar_filing_url(Cik::from(1u32), &hash), None);
    }
}

//! Fact sheets: everything an article may state, each fact with its unit, its as-of date and the
//! source it came from. A writer may say nothing that is not here or computed from it.

use jiff::civil::Date;
use marketdesk_core::{Accession, Cik};
use marketdesk_desks::insider::{Signal, SignalKind};
use serde::{Deserialize, Serialize};

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
    /// What it is (`value_usd`, `shares`, `insiders`, ...).
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

/// A company or person an article may name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entity {
    /// `company` or `person` (or another filer).
    pub kind: String,
    /// The name as filed.
    pub name: String,
    /// Its CIK.
    pub cik: Cik,
    /// The company's ticker, or the person's role.
    pub detail: Option<String>,
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
    /// Dates an article may state, by key (`start_date`, `end_date`).
    pub dates: Vec<(String, Date)>,
    /// Labels that qualify the facts (`routine`, `10b5-1 plan`, `first purchase in two years`).
    pub labels: Vec<String>,
    /// The sources.
    pub sources: Vec<Source>,
}

/// The EDGAR page of a filing: `…/Archives/edgar/data/{cik}/{accession digits}/{accession}-index.htm`.
pub fn edgar_filing_url(cik: Cik, accession: &Accession) -> Option<String> {
    let digits = accession.folder_digits()?;
    Some(format!(
        "https://www.sec.gov/Archives/edgar/data/{}/{digits}/{accession}-index.htm",
        cik.get()
    ))
}

impl FactSheet {
    /// The facts of an insider signal.
    pub fn from_signal(signal: &Signal) -> Self {
        let kind_name = match signal.kind {
            SignalKind::Purchase => "purchase",
            SignalKind::ClusterBuy => "cluster_buy",
            SignalKind::Sale => "sale",
            SignalKind::ClusterSale => "cluster_sale",
        };
        let sources: Vec<Source> = signal
            .accessions
            .iter()
            .filter_map(|a| {
                let accession = Accession::parse(a).ok()?;
                let url = edgar_filing_url(signal.issuer_cik, &accession)?;
                Some(Source { title: format!("SEC Form 4 filing {a}"), url })
            })
            .collect();
        let as_of = signal.end_date;
        let number = |key: &str, value: f64, unit: Unit| NumberFact {
            key: key.to_owned(),
            value,
            unit,
            as_of,
            source: 0,
        };
        let mut numbers = vec![
            number("value_usd", signal.value_usd, Unit::Usd),
            number("shares", signal.shares, Unit::Shares),
        ];
        if signal.shares > 0.0 && signal.value_usd > 0.0 {
            numbers.push(number(
                "average_price",
                signal.value_usd / signal.shares,
                Unit::UsdPerShare,
            ));
        }
        if let Some(p) = signal.pct_of_holding {
            numbers.push(number("pct_of_holding", p, Unit::Percent));
        }
        numbers.push(number("insiders", signal.insiders.len() as f64, Unit::Count));
        let mut entities = vec![Entity {
            kind: "company".to_owned(),
            name: signal.issuer_name.clone().unwrap_or_default(),
            cik: signal.issuer_cik,
            detail: signal.ticker.clone(),
        }];
        entities.extend(signal.insiders.iter().map(|i| Entity {
            kind: "person".to_owned(),
            name: i.name.clone(),
            cik: i.cik,
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
        FactSheet {
            subject: format!("{kind_name}:{}", signal.accessions.join("+")),
            kind: Some(signal.kind),
            as_of,
            entities,
            tickers: signal.ticker.iter().cloned().collect(),
            numbers,
            dates: vec![
                ("start_date".to_owned(), signal.start_date),
                ("end_date".to_owned(), signal.end_date),
            ],
            labels,
            sources,
        }
    }

    /// The number with `key`, if the sheet has it.
    pub fn number(&self, key: &str) -> Option<&NumberFact> {
        self.numbers.iter().find(|n| n.key == key)
    }
}

#[cfg(test)]
mod tests {
    use marketdesk_desks::insider::Insider;

    use super::*;

    fn signal() -> Signal {
        Signal {
            kind: SignalKind::Purchase,
            ticker: Some("TSLA".into()),
            issuer_cik: Cik::from(1318605u32),
            issuer_name: Some("Tesla, Inc.".into()),
            score: 70.0,
            value_usd: 1_000_000.0,
            shares: 40_000.0,
            insiders: vec![Insider {
                cik: Cik::from(1494730u32),
                name: "Musk Elon".into(),
                role: "CEO".into(),
                officer_or_director: true,
                c_suite: true,
            }],
            accessions: vec!["0001494730-20-000001".into()],
            transaction_codes: vec!["P".into()],
            start_date: "2020-02-14".parse().expect("date"),
            end_date: "2020-02-14".parse().expect("date"),
            routine: false,
            plan_10b5_1: false,
            first_purchase_in_two_years: true,
            pct_of_holding: Some(0.12),
            explanation: String::new(),
        }
    }

    #[test]
    fn a_signal_becomes_sourced_facts() {
        let sheet = FactSheet::from_signal(&signal());
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

//! Signals the unit tests write about.

use marketdesk_core::Cik;
use marketdesk_desks::insider::{Insider, Leg, Signal, SignalKind};

fn date(s: &str) -> jiff::civil::Date {
    s.parse().expect("date")
}

fn musk() -> Insider {
    Insider {
        cik: Cik::from(1494730u32),
        name: "Musk Elon".into(),
        role: "CEO".into(),
        officer_or_director: true,
        c_suite: true,
    }
}

/// A CEO's open-market purchase: 40,000 shares for $1 million.
pub(crate) fn signal() -> Signal {
    Signal {
        kind: SignalKind::Purchase,
        ticker: Some("TSLA".into()),
        issuer_cik: Cik::from(1318605u32),
        issuer_name: Some("Tesla, Inc.".into()),
        score: 70.0,
        value_usd: 1_000_000.0,
        shares: 40_000.0,
        insiders: vec![musk()],
        accessions: vec!["0001494730-20-000001".into()],
        transaction_codes: vec!["P".into()],
        start_date: date("2020-02-14"),
        end_date: date("2020-02-14"),
        routine: false,
        plan_10b5_1: false,
        first_purchase_in_two_years: true,
        pct_of_holding: Some(0.12),
        explanation: String::new(),
        legs: vec![Leg {
            insider: musk(),
            accession: "0001494730-20-000001".into(),
            start_date: date("2020-02-14"),
            end_date: date("2020-02-14"),
            shares: 40_000.0,
            value_usd: 1_000_000.0,
            low_price: Some(25.0),
            high_price: Some(25.0),
            owned_after: Some(33_000_000.0),
            plan_10b5_1: false,
            previous_purchase: Some(date("2011-06-08")),
        }],
    }
}

/// Three directors buying within a week.
pub(crate) fn cluster() -> Signal {
    let director = |cik: u32, name: &str| Insider {
        cik: Cik::from(cik),
        name: name.into(),
        role: "Director".into(),
        officer_or_director: true,
        c_suite: false,
    };
    let people =
        [director(11, "DOE JANE"), director(12, "ROE RICHARD"), director(13, "Poe Edgar A")];
    let legs: Vec<Leg> = people
        .iter()
        .enumerate()
        .map(|(i, p)| Leg {
            insider: p.clone(),
            accession: format!("0000000011-24-00000{i}"),
            start_date: date("2024-05-01"),
            end_date: date("2024-05-06"),
            shares: 10_000.0 * (i as f64 + 1.0),
            value_usd: 100_000.0 * (i as f64 + 1.0),
            low_price: Some(9.5),
            high_price: Some(10.5),
            owned_after: Some(50_000.0),
            plan_10b5_1: false,
            previous_purchase: None,
        })
        .collect();
    Signal {
        kind: SignalKind::ClusterBuy,
        ticker: Some("XYZ".into()),
        issuer_cik: Cik::from(99u32),
        issuer_name: Some("XYZ WIDGETS CORP".into()),
        score: 55.0,
        value_usd: 600_000.0,
        shares: 60_000.0,
        insiders: people.to_vec(),
        accessions: legs.iter().map(|l| l.accession.clone()).collect(),
        transaction_codes: vec!["P".into()],
        start_date: date("2024-05-01"),
        end_date: date("2024-05-06"),
        routine: false,
        plan_10b5_1: false,
        first_purchase_in_two_years: false,
        pct_of_holding: None,
        explanation: String::new(),
        legs,
    }
}

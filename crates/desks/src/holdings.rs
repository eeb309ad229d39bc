//! 13F holdings quarter over quarter.

use std::collections::BTreeMap;

use jiff::civil::Date;
use marketdesk_core::{AmendmentType, PutCall, ThirteenF};
use serde::Serialize;

/// A manager the desk follows.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize, Serialize)]
pub struct TrackedManager {
    /// The manager's CIK.
    pub cik: marketdesk_core::Cik,
    /// The manager's name.
    pub name: String,
    /// The investor people know it by.
    #[serde(default)]
    pub person: Option<String>,
}

/// The watchlist of "smart money" managers.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, Serialize)]
pub struct Watchlist {
    /// The managers, in the file's order.
    #[serde(rename = "manager", default)]
    pub managers: Vec<TrackedManager>,
}

impl Watchlist {
    /// Whether `cik` is on the list.
    pub fn tracks(&self, cik: marketdesk_core::Cik) -> bool {
        self.managers.iter().any(|m| m.cik == cik)
    }
}

/// A calendar quarter, written `2024-Q4`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Quarter {
    /// The year.
    pub year: i16,
    /// 1 to 4.
    pub q: i8,
}

impl Quarter {
    /// The quarter a report period (a quarter-end date) falls in.
    pub fn of(date: Date) -> Self {
        Quarter { year: date.year(), q: (date.month() - 1) / 3 + 1 }
    }

    /// Parses `2024-Q4` (also `2024Q4`, lower case).
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.trim().to_ascii_uppercase();
        let (y, q) = s.split_once("-Q").or_else(|| s.split_once('Q'))?;
        let (year, q) = (y.parse().ok()?, q.parse().ok()?);
        (1..=4).contains(&q).then_some(Quarter { year, q })
    }

    /// The quarter before.
    pub fn previous(self) -> Self {
        if self.q == 1 {
            Quarter { year: self.year - 1, q: 4 }
        } else {
            Quarter { q: self.q - 1, ..self }
        }
    }
}

impl std::fmt::Display for Quarter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}-Q{}", self.year, self.q)
    }
}

/// One issue held at quarter end: the rows of the same CUSIP and put/call summed (a manager
/// reports one row per other manager or discretion).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Holding {
    /// The CUSIP.
    pub cusip: String,
    /// The issuer's name as filed.
    pub issuer_name: Option<String>,
    /// The class of the issue.
    pub title_of_class: Option<String>,
    /// Options are held apart from the shares.
    pub put_call: Option<PutCall>,
    /// Shares (or principal) held.
    pub shares: f64,
    /// Value in whole dollars, where the unit was known.
    pub value_usd: Option<u64>,
}

/// How a holding changed against the quarter before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    /// Not held the quarter before.
    New,
    /// Held the quarter before, not now.
    Exit,
    /// More shares.
    Increase,
    /// Fewer shares.
    Decrease,
    /// The same shares.
    Unchanged,
    /// No report for the quarter before.
    Unknown,
}

/// A holding with its change.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PositionChange {
    /// The holding now (for an exit: as it was the quarter before, with zero shares now).
    #[serde(flatten)]
    pub holding: Holding,
    /// How it changed.
    pub change: Change,
    /// Shares now minus shares the quarter before.
    pub shares_delta: Option<f64>,
    /// That change in percent of the shares the quarter before.
    pub shares_delta_pct: Option<f64>,
}

/// The reports of one manager for one quarter, amendments applied in filing order: a
/// restatement replaces what came before, an amendment adding new holdings adds to it. Notices
/// (13F-NT) hold nothing.
pub fn positions_for_quarter(reports: &[&ThirteenF]) -> Vec<Holding> {
    let mut ordered: Vec<&&ThirteenF> = reports.iter().collect();
    ordered.sort_by(|a, b| {
        (a.filed_date, a.accession.as_str()).cmp(&(b.filed_date, b.accession.as_str()))
    });
    let mut rows = Vec::new();
    for r in ordered {
        if r.is_amendment() && r.amendment_type != Some(AmendmentType::NewHoldings) {
            rows.clear();
        }
        rows.extend(r.holdings.iter());
    }
    let mut by_issue: BTreeMap<(String, Option<String>), Holding> = BTreeMap::new();
    for p in rows {
        let Some(cusip) = p.cusip.clone() else { continue };
        let key = (cusip.clone(), p.put_call.map(|pc| format!("{pc:?}")));
        let h = by_issue.entry(key).or_insert_with(|| Holding {
            cusip,
            issuer_name: p.name_of_issuer.clone(),
            title_of_class: p.title_of_class.clone(),
            put_call: p.put_call,
            shares: 0.0,
            value_usd: Some(0),
        });
        h.shares += p.shares_or_principal.unwrap_or(0.0);
        h.value_usd = match (h.value_usd, p.value_usd) {
            (Some(a), Some(b)) => Some(a + b),
            _ => None,
        };
    }
    let mut out: Vec<Holding> = by_issue.into_values().collect();
    out.sort_by(|a, b| b.value_usd.cmp(&a.value_usd).then(a.cusip.cmp(&b.cusip)));
    out
}

/// Each holding of `current` against `prior` (`None` when the quarter before is unknown), and
/// the exits; largest value first, exits last.
pub fn compare(current: &[Holding], prior: Option<&[Holding]>) -> Vec<PositionChange> {
    let key = |h: &Holding| (h.cusip.clone(), h.put_call.map(|p| format!("{p:?}")));
    let before: BTreeMap<_, &Holding> = prior.unwrap_or(&[]).iter().map(|h| (key(h), h)).collect();
    let mut out: Vec<PositionChange> = current
        .iter()
        .map(|h| {
            let Some(_) = prior else {
                return PositionChange {
                    holding: h.clone(),
                    change: Change::Unknown,
                    shares_delta: None,
                    shares_delta_pct: None,
                };
            };
            match before.get(&key(h)) {
                None => PositionChange {
                    holding: h.clone(),
                    change: Change::New,
                    shares_delta: Some(h.shares),
                    shares_delta_pct: None,
                },
                Some(b) => {
                    let delta = h.shares - b.shares;
                    let change = if delta > 0.0 {
                        Change::Increase
                    } else if delta < 0.0 {
                        Change::Decrease
                    } else {
                        Change::Unchanged
                    };
                    PositionChange {
                        holding: h.clone(),
                        change,
                        shares_delta: Some(delta),
                        shares_delta_pct: (b.shares > 0.0).then(|| delta / b.shares * 100.0),
                    }
                }
            }
        })
        .collect();
    if let Some(prior) = prior {
        let now: std::collections::BTreeSet<_> = current.iter().map(key).collect();
        for b in prior.iter().filter(|b| !now.contains(&key(b))) {
            out.push(PositionChange {
                holding: Holding { shares: 0.0, value_usd: Some(0), ..b.clone() },
                change: Change::Exit,
                shares_delta: Some(-b.shares),
                shares_delta_pct: Some(-100.0),
            });
        }
    }
    out
}

/// The share of the portfolio's value in its `n` largest holdings, in percent; `None` when
/// values are unknown or zero.
pub fn concentration(holdings: &[Holding], n: usize) -> Option<f64> {
    let values: Option<Vec<u64>> = holdings.iter().map(|h| h.value_usd).collect();
    let mut values = values?;
    let total: u64 = values.iter().sum();
    if total == 0 {
        return None;
    }
    values.sort_unstable_by(|a, b| b.cmp(a));
    let top: u64 = values.iter().take(n).sum();
    Some(top as f64 / total as f64 * 100.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn h(cusip: &str, shares: f64, value: u64) -> Holding {
        Holding {
            cusip: cusip.into(),
            issuer_name: None,
            title_of_class: None,
            put_call: None,
            shares,
            value_usd: Some(value),
        }
    }

    #[test]
    fn quarters() {
        assert_eq!(Quarter::parse("2024-q4"), Some(Quarter { year: 2024, q: 4 }));
        assert_eq!(
            Quarter::parse("2024Q1").map(|q| q.previous().to_string()).as_deref(),
            Some("2023-Q4")
        );
        assert_eq!(Quarter::parse("2024-Q5"), None);
        assert_eq!(Quarter::of("2022-12-31".parse().expect("date")).to_string(), "2022-Q4");
    }

    #[test]
    fn changes_against_the_prior_quarter() {
        let prior = [h("A", 100.0, 10), h("B", 50.0, 5), h("C", 10.0, 1)];
        let now = [h("A", 150.0, 15), h("B", 25.0, 3), h("D", 7.0, 1)];
        let c = compare(&now, Some(&prior));
        let by = |cusip: &str| c.iter().find(|p| p.holding.cusip == cusip).expect("present");
        assert_eq!(
            (by("A").change, by("A").shares_delta, by("A").shares_delta_pct),
            (Change::Increase, Some(50.0), Some(50.0))
        );
        assert_eq!((by("B").change, by("B").shares_delta_pct), (Change::Decrease, Some(-50.0)));
        assert_eq!(by("D").change, Change::New);
        assert_eq!((by("C").change, by("C").holding.shares), (Change::Exit, 0.0));
        assert_eq!(compare(&now, None)[0].change, Change::Unknown);
    }

    #[test]
    fn concentration_of_the_top_holdings() {
        let hs = [h("A", 1.0, 60), h("B", 1.0, 30), h("C", 1.0, 10)];
        assert_eq!(concentration(&hs, 1), Some(60.0));
        assert_eq!(concentration(&hs, 10), Some(100.0));
        assert_eq!(concentration(&[], 10), None);
    }
}

#[cfg(test)]
mod amendment_tests {
    use super::*;

    fn report(
        accession: &str,
        filed: &str,
        amendment: Option<&str>,
        rows: &[(&str, f64)],
    ) -> ThirteenF {
        let holdings: Vec<serde_json::Value> = rows
            .iter()
            .map(|(cusip, shares)| {
                serde_json::json!({"cusip": cusip, "shares_or_principal": shares, "value_usd": 100,
                    "value_as_filed": null, "voting_sole": null, "voting_shared": null,
                    "voting_none": null})
            })
            .collect();
        serde_json::from_value(serde_json::json!({
            "accession": accession,
            "filed_date": filed,
            "report_period": "2024-03-31",
            "is_amendment": amendment.is_some(),
            "amendment_type": amendment,
            "has_information_table": true,
            "table_value_total": null,
            "holdings": holdings,
        }))
        .expect("a report")
    }

    #[test]
    fn a_restatement_replaces_and_new_holdings_add() {
        let original =
            report("0000000001-24-000001", "2024-05-10", None, &[("A", 10.0), ("B", 5.0)]);
        let restated =
            report("0000000001-24-000002", "2024-05-20", Some("RESTATEMENT"), &[("A", 12.0)]);
        let added =
            report("0000000001-24-000003", "2024-05-30", Some("NEW HOLDINGS"), &[("C", 3.0)]);
        let cusips =
            |hs: Vec<Holding>| hs.into_iter().map(|h| (h.cusip, h.shares)).collect::<Vec<_>>();
        assert_eq!(cusips(positions_for_quarter(&[&original, &restated])), [("A".into(), 12.0)]);
        let mut all = cusips(positions_for_quarter(&[&added, &original]));
        all.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(all, [("A".into(), 10.0), ("B".into(), 5.0), ("C".into(), 3.0)]);
    }

    #[test]
    fn rows_of_one_issue_are_summed() {
        let r = report("0000000001-24-000001", "2024-05-10", None, &[("A", 10.0), ("A", 5.0)]);
        let hs = positions_for_quarter(&[&r]);
        assert_eq!((hs.len(), hs[0].shares, hs[0].value_usd), (1, 15.0, Some(200)));
    }
}

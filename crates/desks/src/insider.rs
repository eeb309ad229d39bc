//! The insider desk: which Form 4 trades deserve an article.
//!
//! Only open-market purchases (code P) and sales (S) of common stock are buy or sell signals.
//! Grants (A), exercises (M, X), tax withholding (F), gifts (G), conversions (C) and every other
//! code are compensation or mechanics, never signals. A trade is one row of one filing: joint
//! filers on a filing (a fund, its general partner, its manager) share the row, so the trade is
//! counted once; amended filings are replaced by their amendments before they reach this desk.
//!
//! Following Cohen, Malloy and Pomorski (2012), an insider who traded in the same calendar month
//! in each of the three prior years is *routine*; routine trades carried no abnormal returns there,
//! so they weigh less. Trades under a Rule 10b5-1 plan (the checkbox, or a footnote citing the
//! rule) are scheduled in advance and, by default, never opportunistic.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use jiff::civil::Date;
use marketdesk_core::{Cik, style::money};
use serde::Serialize;

/// One reporting owner of a filing and how they relate to the issuer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Insider {
    /// The owner's CIK.
    pub cik: Cik,
    /// The owner's name as filed.
    pub name: String,
    /// "CEO", "Director", "10% owner", an officer title, ...
    pub role: String,
    /// An officer or director (the people whose buying the desk follows).
    pub officer_or_director: bool,
    /// Chief executive, financial or operating officer, president or chair.
    pub c_suite: bool,
}

/// One non-derivative transaction row of an effective (not superseded) filing.
#[derive(Debug, Clone, PartialEq)]
pub struct Trade {
    /// The filing.
    pub accession: String,
    /// The issuer.
    pub issuer_cik: Cik,
    /// Its ticker, where known.
    pub ticker: Option<String>,
    /// Its name.
    pub issuer_name: Option<String>,
    /// Everyone on the filing, shared by its rows; the first is the insider the trade is
    /// attributed to.
    pub insiders: std::sync::Arc<[Insider]>,
    /// Trade date.
    pub date: Date,
    /// Transaction code.
    pub code: String,
    /// Shares.
    pub shares: f64,
    /// Price per share (from a footnote when the table gives none).
    pub price: Option<f64>,
    /// Shares owned after the trade.
    pub owned_after: Option<f64>,
    /// Under a Rule 10b5-1 plan (checkbox or footnote).
    pub plan_10b5_1: bool,
}

impl Trade {
    /// Shares × price, when the price is known.
    pub fn value(&self) -> Option<f64> {
        self.price.map(|p| p * self.shares)
    }

    fn insider(&self) -> Option<&Insider> {
        self.insiders.first()
    }
}

/// Kinds of signal.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum SignalKind {
    /// An officer's or director's open-market purchase.
    Purchase,
    /// Three or more insiders buying within the window.
    ClusterBuy,
    /// A large open-market sale.
    Sale,
    /// Three or more insiders selling within the window.
    ClusterSale,
}

impl SignalKind {
    /// Parses the names used on the command line and in JSON.
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "purchase" => SignalKind::Purchase,
            "cluster_buy" => SignalKind::ClusterBuy,
            "sale" => SignalKind::Sale,
            "cluster_sale" => SignalKind::ClusterSale,
            _ => return None,
        })
    }
}

/// Something the smart money did that may deserve an article.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Signal {
    /// What kind.
    pub kind: SignalKind,
    /// The issuer's ticker, where known.
    pub ticker: Option<String>,
    /// The issuer.
    pub issuer_cik: Cik,
    /// The issuer's name.
    pub issuer_name: Option<String>,
    /// How much it matters, 0 to 100.
    pub score: f64,
    /// Dollars traded (trades with a known price).
    pub value_usd: f64,
    /// Shares traded.
    pub shares: f64,
    /// Who traded.
    pub insiders: Vec<Insider>,
    /// The filings behind it.
    pub accessions: Vec<String>,
    /// The transaction codes involved.
    pub transaction_codes: Vec<String>,
    /// First trade date.
    pub start_date: Date,
    /// Last trade date.
    pub end_date: Date,
    /// All trades made by routine insiders.
    pub routine: bool,
    /// Any trade made under a Rule 10b5-1 plan.
    pub plan_10b5_1: bool,
    /// No purchase by the insider in this issuer is on record in the two years before (purchases
    /// only; "on record" means in the store).
    pub first_purchase_in_two_years: bool,
    /// Shares traded as a percentage of the holding before the trade (single-filing signals).
    pub pct_of_holding: Option<f64>,
    /// One line a reader understands.
    pub explanation: String,
    /// Each insider's part of it, one per insider and filing, in date order.
    pub legs: Vec<Leg>,
}

/// One insider's trades within a signal, from one filing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Leg {
    /// Who traded.
    pub insider: Insider,
    /// The filing that reported it.
    pub accession: String,
    /// First trade date.
    pub start_date: Date,
    /// Last trade date.
    pub end_date: Date,
    /// Shares traded.
    pub shares: f64,
    /// Dollars traded (rows with a known price).
    pub value_usd: f64,
    /// Lowest price paid or received per share.
    pub low_price: Option<f64>,
    /// Highest price paid or received per share.
    pub high_price: Option<f64>,
    /// Shares held after the last trade.
    pub owned_after: Option<f64>,
    /// Any of these trades under a Rule 10b5-1 plan.
    pub plan_10b5_1: bool,
    /// The insider's latest earlier purchase in this issuer on record.
    pub previous_purchase: Option<Date>,
}

/// Thresholds and windows.
#[derive(Debug, Clone)]
pub struct Config {
    /// Days within which distinct insiders' trades form a cluster.
    pub cluster_window_days: i64,
    /// Distinct insiders that make a cluster.
    pub cluster_min_insiders: usize,
    /// A sale is large from this many dollars...
    pub large_sale_usd: f64,
    /// ...or from this share of the holding before it, in percent.
    pub large_sale_pct_of_holding: f64,
    /// Whether a 10b5-1 trade can be opportunistic (default: no).
    pub plan_trades_opportunistic: bool,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            cluster_window_days: 14,
            cluster_min_insiders: 3,
            large_sale_usd: 1_000_000.0,
            large_sale_pct_of_holding: 20.0,
            plan_trades_opportunistic: false,
        }
    }
}

fn is_buy(t: &Trade) -> bool {
    t.code == "P"
}

fn is_sell(t: &Trade) -> bool {
    t.code == "S"
}

/// Insiders (by CIK) who are routine for `month` of `year`: they traded (P or S) in that
/// calendar month in each of the three years before.
fn routine_set(trades: &[Trade]) -> HashMap<(Cik, Cik), BTreeSet<(i16, i8)>> {
    // (insider, issuer) -> months traded
    let mut months: HashMap<(Cik, Cik), BTreeSet<(i16, i8)>> = HashMap::new();
    for t in trades.iter().filter(|t| is_buy(t) || is_sell(t)) {
        if let Some(i) = t.insider() {
            months
                .entry((i.cik, t.issuer_cik))
                .or_default()
                .insert((t.date.year(), t.date.month()));
        }
    }
    months
}

fn is_routine(months: &HashMap<(Cik, Cik), BTreeSet<(i16, i8)>>, t: &Trade) -> bool {
    let Some(i) = t.insider() else { return false };
    let Some(m) = months.get(&(i.cik, t.issuer_cik)) else { return false };
    (1..=3).all(|back| m.contains(&(t.date.year() - back, t.date.month())))
}

/// Purchase dates per (insider, issuer), sorted.
fn purchase_dates(trades: &[Trade]) -> HashMap<(Cik, Cik), Vec<Date>> {
    let mut dates: HashMap<(Cik, Cik), Vec<Date>> = HashMap::new();
    for t in trades.iter().filter(|t| is_buy(t)) {
        if let Some(i) = t.insider() {
            dates.entry((i.cik, t.issuer_cik)).or_default().push(t.date);
        }
    }
    for d in dates.values_mut() {
        d.sort_unstable();
    }
    dates
}

/// Whether the insider bought this issuer in the two years before `t`.
fn bought_recently(purchases: &HashMap<(Cik, Cik), Vec<Date>>, t: &Trade) -> bool {
    let Some(i) = t.insider() else { return false };
    let Ok(since) = t.date.checked_sub(jiff::Span::new().years(2)) else { return true };
    let Some(dates) = purchases.get(&(i.cik, t.issuer_cik)) else { return false };
    let from = dates.partition_point(|d| *d < since);
    dates.get(from).is_some_and(|d| *d < t.date)
}

/// An owner's role as a reader would name it, and whether the desk counts them as an officer or
/// director and as C-suite.
pub fn role_of(
    is_director: bool,
    is_officer: bool,
    is_ten_percent_owner: bool,
    officer_title: Option<&str>,
    other_text: Option<&str>,
) -> (String, bool, bool) {
    let title = officer_title.map(str::trim).filter(|t| !t.is_empty());
    let lower = title.unwrap_or("").to_ascii_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    let has = |w: &str| words.contains(&w);
    let vice = has("vice") || has("vp") || has("svp") || has("evp");
    let c_suite = is_officer
        && (has("ceo")
            || has("cfo")
            || has("coo")
            || lower.contains("chief executive")
            || lower.contains("chief financial")
            || lower.contains("chief operating")
            || (has("president") && !vice)
            || has("chair")
            || has("chairman")
            || has("chairwoman"));
    let role = match (title, is_officer, is_director, is_ten_percent_owner) {
        (Some(t), true, _, _) => t.to_owned(),
        (None, true, _, _) => "Officer".to_owned(),
        (_, false, true, _) => "Director".to_owned(),
        (_, false, false, true) => "10% owner".to_owned(),
        _ => other_text.map(str::trim).filter(|t| !t.is_empty()).unwrap_or("Insider").to_owned(),
    };
    (role, is_officer || is_director, c_suite)
}

/// The legs of `rows` (one issuer, one direction): one per insider and filing, in date order.
fn legs(rows: &[&Trade], purchases: &HashMap<(Cik, Cik), Vec<Date>>) -> Vec<Leg> {
    let mut out: Vec<Leg> = Vec::new();
    for t in rows {
        let Some(insider) = t.insider() else { continue };
        let leg = match out
            .iter_mut()
            .find(|l| l.insider.cik == insider.cik && l.accession == t.accession)
        {
            Some(leg) => leg,
            None => {
                let previous_purchase = purchases.get(&(insider.cik, t.issuer_cik)).and_then(|d| {
                    d.get(d.partition_point(|d| *d < t.date).checked_sub(1)?).copied()
                });
                out.push(Leg {
                    insider: insider.clone(),
                    accession: t.accession.clone(),
                    start_date: t.date,
                    end_date: t.date,
                    shares: 0.0,
                    value_usd: 0.0,
                    low_price: None,
                    high_price: None,
                    owned_after: None,
                    plan_10b5_1: false,
                    previous_purchase,
                });
                let Some(leg) = out.last_mut() else { continue };
                leg
            }
        };
        leg.start_date = leg.start_date.min(t.date);
        if t.date >= leg.end_date {
            leg.end_date = t.date;
            leg.owned_after = t.owned_after.or(leg.owned_after);
        }
        leg.shares += t.shares;
        leg.value_usd += t.value().unwrap_or(0.0);
        if let Some(p) = t.price {
            leg.low_price = Some(leg.low_price.map_or(p, |l| l.min(p)));
            leg.high_price = Some(leg.high_price.map_or(p, |h| h.max(p)));
        }
        leg.plan_10b5_1 |= t.plan_10b5_1;
    }
    out.sort_by(|a, b| a.start_date.cmp(&b.start_date).then(a.accession.cmp(&b.accession)));
    out
}

fn who(i: &Insider) -> String {
    format!("{} ({})", i.name, i.role)
}

/// Every signal in `trades` (effective, non-derivative rows), strongest first.
pub fn signals(trades: &[Trade], config: &Config) -> Vec<Signal> {
    let months = routine_set(trades);
    let purchases = purchase_dates(trades);
    let mut out = Vec::new();

    // One purchase or sale signal per filing: its P (or S) rows together.
    let mut by_filing: BTreeMap<(&str, &str), Vec<&Trade>> = BTreeMap::new();
    for t in trades.iter().filter(|t| is_buy(t) || is_sell(t)) {
        by_filing.entry((t.accession.as_str(), t.code.as_str())).or_default().push(t);
    }
    for ((_, code), rows) in &by_filing {
        let Some(first) = rows.first() else { continue };
        let Some(insider) = first.insider() else { continue };
        let value: f64 = rows.iter().filter_map(|t| t.value()).sum();
        let shares: f64 = rows.iter().map(|t| t.shares).sum();
        let routine = rows.iter().all(|t| is_routine(&months, t));
        let plan = rows.iter().any(|t| t.plan_10b5_1);
        let opportunistic = !routine && (!plan || config.plan_trades_opportunistic);
        let start = rows.iter().map(|t| t.date).min().unwrap_or(first.date);
        let end = rows.iter().map(|t| t.date).max().unwrap_or(first.date);
        let held_before = rows
            .iter()
            .filter_map(|t| t.owned_after.map(|after| (t, after)))
            .map(|(t, after)| if is_buy(t) { after - t.shares } else { after + t.shares })
            .fold(None, |acc: Option<f64>, v| Some(acc.map_or(v, |a| a.max(v))));
        let pct_of_holding = held_before.filter(|h| *h > 0.0).map(|h| shares / h * 100.0);
        let name = first.issuer_name.clone().or_else(|| first.ticker.clone()).unwrap_or_default();
        let (kind, score, first_in_two, explanation) = if *code == "P" {
            if !insider.officer_or_director {
                continue;
            }
            let first_in_two = !bought_recently(&purchases, first);
            let mut score = (value.max(1.0).log10() - 3.0).clamp(0.0, 5.0) * 12.0;
            score += pct_of_holding.map_or(0.0, |p| p.min(100.0) / 5.0);
            if insider.c_suite {
                score += 12.0;
            }
            if first_in_two {
                score += 8.0;
            }
            if !opportunistic {
                score *= 0.5;
            }
            let mut explanation = format!(
                "{} bought {} of {name} shares on the open market",
                who(insider),
                money(value)
            );
            if let Some(p) = pct_of_holding.filter(|p| *p >= 0.1) {
                explanation.push_str(&format!(", adding {p:.1}% to their holding"));
            }
            if first_in_two {
                explanation.push_str("; no purchase by them is on record in the two years before");
            }
            if routine {
                explanation.push_str(" (a routine trader in this month)");
            }
            (SignalKind::Purchase, score, first_in_two, explanation)
        } else {
            let large = value >= config.large_sale_usd
                || pct_of_holding.is_some_and(|p| p >= config.large_sale_pct_of_holding);
            if !large {
                continue;
            }
            let mut score = (value.max(1.0).log10() - 5.0).clamp(0.0, 5.0) * 8.0;
            score += pct_of_holding.map_or(0.0, |p| p.min(100.0) / 4.0);
            if insider.c_suite {
                score += 8.0;
            }
            if !opportunistic {
                score *= 0.4;
            }
            let mut explanation = format!("{} sold {} of {name} stock", who(insider), money(value));
            if let Some(p) = pct_of_holding.filter(|p| *p >= 0.1) {
                explanation.push_str(&format!(", {p:.1}% of their holding"));
            }
            if plan {
                explanation.push_str(", under a Rule 10b5-1 trading plan");
            }
            (SignalKind::Sale, score, false, explanation)
        };
        out.push(Signal {
            kind,
            ticker: first.ticker.clone(),
            issuer_cik: first.issuer_cik,
            issuer_name: first.issuer_name.clone(),
            score: score.clamp(0.0, 100.0),
            value_usd: value,
            shares,
            insiders: first.insiders.to_vec(),
            accessions: vec![first.accession.clone()],
            transaction_codes: vec![(*code).to_owned()],
            start_date: start,
            end_date: end,
            routine,
            plan_10b5_1: plan,
            first_purchase_in_two_years: first_in_two,
            pct_of_holding,
            explanation,
            legs: legs(rows, &purchases),
        });
    }
    out.extend(clusters(trades, config, SignalKind::ClusterBuy, &months, &purchases));
    out.extend(clusters(trades, config, SignalKind::ClusterSale, &months, &purchases));
    out.sort_by(|a, b| b.score.total_cmp(&a.score).then(b.end_date.cmp(&a.end_date)));
    out
}

/// Runs of trades in one issuer, one direction, where at least `cluster_min_insiders` distinct
/// insiders traded within `cluster_window_days` of each other; overlapping runs merge.
fn clusters(
    trades: &[Trade],
    config: &Config,
    kind: SignalKind,
    months: &HashMap<(Cik, Cik), BTreeSet<(i16, i8)>>,
    purchases: &HashMap<(Cik, Cik), Vec<Date>>,
) -> Vec<Signal> {
    let side = |t: &Trade| if kind == SignalKind::ClusterBuy { is_buy(t) } else { is_sell(t) };
    let mut by_issuer: BTreeMap<Cik, Vec<&Trade>> = BTreeMap::new();
    for t in trades.iter().filter(|t| side(t)) {
        by_issuer.entry(t.issuer_cik).or_default().push(t);
    }
    let mut out = Vec::new();
    for rows in by_issuer.values_mut() {
        rows.sort_by_key(|t| t.date);
        // Windows [i, j] in which the distinct insiders reach the minimum; merge overlaps.
        let mut runs: Vec<(usize, usize)> = Vec::new();
        let mut i = 0;
        for j in 0..rows.len() {
            while rows[j].date.since(rows[i].date).map_or(0, |s| s.get_days() as i64)
                > config.cluster_window_days
            {
                i += 1;
            }
            let distinct: BTreeSet<Cik> =
                rows[i..=j].iter().filter_map(|t| t.insider().map(|x| x.cik)).collect();
            if distinct.len() >= config.cluster_min_insiders {
                match runs.last_mut() {
                    Some(last) if i <= last.1 => last.1 = j,
                    _ => runs.push((i, j)),
                }
            }
        }
        for (a, b) in runs {
            let run = &rows[a..=b];
            let Some(first) = run.first() else { continue };
            let mut insiders: Vec<Insider> = Vec::new();
            for t in run {
                if let Some(x) = t.insider()
                    && !insiders.iter().any(|y| y.cik == x.cik)
                {
                    insiders.push(x.clone());
                }
            }
            let accessions: BTreeSet<String> = run.iter().map(|t| t.accession.clone()).collect();
            let value: f64 = run.iter().filter_map(|t| t.value()).sum();
            let shares: f64 = run.iter().map(|t| t.shares).sum();
            let routine = run.iter().all(|t| is_routine(months, t));
            let plan = run.iter().any(|t| t.plan_10b5_1);
            let c_suite = insiders.iter().any(|x| x.c_suite);
            let mut score = 30.0
                + (insiders.len() as f64 - 2.0) * 10.0
                + (value.max(1.0).log10() - 4.0).clamp(0.0, 5.0) * 5.0;
            if c_suite {
                score += 8.0;
            }
            if routine {
                score *= 0.5;
            }
            let verb = if kind == SignalKind::ClusterBuy { "bought" } else { "sold" };
            let name =
                first.issuer_name.clone().or_else(|| first.ticker.clone()).unwrap_or_default();
            let start = first.date;
            let end = run.last().map_or(start, |t| t.date);
            out.push(Signal {
                kind,
                ticker: first.ticker.clone(),
                issuer_cik: first.issuer_cik,
                issuer_name: first.issuer_name.clone(),
                score: score.clamp(0.0, 100.0),
                value_usd: value,
                shares,
                explanation: format!(
                    "{} insiders {verb} {} of {name} stock between {start} and {end}",
                    insiders.len(),
                    money(value)
                ),
                insiders,
                accessions: accessions.into_iter().collect(),
                transaction_codes: vec![
                    if kind == SignalKind::ClusterBuy { "P" } else { "S" }.to_owned(),
                ],
                start_date: start,
                end_date: end,
                routine,
                plan_10b5_1: plan,
                first_purchase_in_two_years: false,
                pct_of_holding: None,
                legs: legs(run, purchases),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn insider(cik: u32, role: &str, c_suite: bool) -> Insider {
        Insider {
            cik: Cik::from(cik),
            name: format!("Insider {cik}"),
            role: role.into(),
            officer_or_director: true,
            c_suite,
        }
    }

    fn trade(acc: &str, who: Insider, date: &str, code: &str, shares: f64, price: f64) -> Trade {
        Trade {
            accession: acc.into(),
            issuer_cik: Cik::from(1u32),
            ticker: Some("XYZ".into()),
            issuer_name: Some("XYZ Corp".into()),
            insiders: vec![who].into(),
            date: date.parse().expect("date"),
            code: code.into(),
            shares,
            price: Some(price),
            owned_after: Some(shares * 10.0),
            plan_10b5_1: false,
        }
    }

    fn kinds(s: &[Signal]) -> Vec<SignalKind> {
        let mut k: Vec<SignalKind> = s.iter().map(|s| s.kind).collect();
        k.sort();
        k
    }

    #[test]
    fn non_market_codes_are_never_signals() {
        let trades: Vec<Trade> = ["A", "M", "X", "F", "G", "C", "J"]
            .iter()
            .map(|c| trade("a", insider(2, "CEO", true), "2024-05-01", c, 1e6, 100.0))
            .collect();
        assert!(signals(&trades, &Config::default()).is_empty());
    }

    #[test]
    fn a_purchase_is_one_signal_per_filing_and_c_suite_weighs_more() {
        let ceo = [
            trade("a", insider(2, "CEO", true), "2024-05-01", "P", 1000.0, 50.0),
            trade("a", insider(2, "CEO", true), "2024-05-02", "P", 1000.0, 51.0),
        ];
        let dir = [trade("b", insider(3, "Director", false), "2024-05-01", "P", 2000.0, 50.5)];
        let s_ceo = signals(&ceo, &Config::default());
        let s_dir = signals(&dir, &Config::default());
        assert_eq!(s_ceo.len(), 1);
        assert_eq!(s_ceo[0].value_usd, 101_000.0);
        assert!(s_ceo[0].first_purchase_in_two_years);
        assert!(s_ceo[0].score > s_dir[0].score, "same money, but the CEO's buy weighs more");
        assert!(
            s_ceo[0].explanation.contains("bought $101,000 of XYZ Corp"),
            "{}",
            s_ceo[0].explanation
        );
    }

    #[test]
    fn legs_split_a_cluster_by_insider_and_remember_earlier_purchases() {
        let trades = [
            trade("old", insider(2, "CEO", true), "2020-01-10", "P", 10.0, 5.0),
            trade("a", insider(2, "CEO", true), "2024-05-01", "P", 100.0, 10.0),
            trade("a", insider(2, "CEO", true), "2024-05-02", "P", 100.0, 12.0),
            trade("b", insider(3, "Director", false), "2024-05-05", "P", 50.0, 11.0),
            trade("c", insider(4, "Director", false), "2024-05-06", "P", 40.0, 11.0),
        ];
        let found = signals(&trades, &Config::default());
        let cluster = found.iter().find(|s| s.kind == SignalKind::ClusterBuy).expect("cluster");
        let legs = &cluster.legs;
        assert_eq!(legs.len(), 3);
        assert_eq!((legs[0].shares, legs[0].value_usd), (200.0, 2200.0));
        assert_eq!((legs[0].low_price, legs[0].high_price), (Some(10.0), Some(12.0)));
        assert_eq!(legs[0].owned_after, Some(1000.0));
        assert_eq!(legs[0].previous_purchase, "2020-01-10".parse().ok());
        assert_eq!(legs[1].previous_purchase, None);
        let single = found.iter().find(|s| s.accessions == ["a"]).expect("purchase");
        assert_eq!(single.legs.len(), 1);
        assert!(single.first_purchase_in_two_years);
    }

    #[test]
    fn cluster_window_is_inclusive_at_its_edge() {
        let cfg = Config::default();
        let mk = |last: &str| {
            vec![
                trade("a", insider(2, "CEO", true), "2024-05-01", "P", 100.0, 10.0),
                trade("b", insider(3, "Director", false), "2024-05-05", "P", 100.0, 10.0),
                trade("c", insider(4, "Director", false), last, "P", 100.0, 10.0),
            ]
        };
        assert!(
            kinds(&signals(&mk("2024-05-15"), &cfg)).contains(&SignalKind::ClusterBuy),
            "14 days"
        );
        assert!(
            !kinds(&signals(&mk("2024-05-16"), &cfg)).contains(&SignalKind::ClusterBuy),
            "15 days"
        );
    }

    #[test]
    fn joint_filers_are_one_insider() {
        let fund = insider(5, "10% owner", false);
        let mut joint = trade("a", fund.clone(), "2024-05-01", "P", 100.0, 10.0);
        joint.insiders = vec![fund, insider(6, "Director", false)].into();
        let trades =
            vec![joint, trade("b", insider(2, "CEO", true), "2024-05-02", "P", 100.0, 10.0)];
        assert!(!kinds(&signals(&trades, &Config::default())).contains(&SignalKind::ClusterBuy));
    }

    #[test]
    fn routine_traders_and_plan_sales_weigh_less() {
        let ceo = insider(2, "CEO", true);
        let history: Vec<Trade> = ["2021-05-03", "2022-05-03", "2023-05-03"]
            .iter()
            .map(|d| trade(&format!("h{d}"), ceo.clone(), d, "S", 10.0, 10.0))
            .collect();
        let sale = trade("s", ceo.clone(), "2024-05-03", "S", 100_000.0, 50.0);
        let mut all = history.clone();
        all.push(sale.clone());
        let routine = signals(&all, &Config::default());
        let fresh = signals(std::slice::from_ref(&sale), &Config::default());
        let r = routine.iter().find(|s| s.accessions == ["s"]).expect("signal");
        assert!(r.routine);
        assert!(r.score < fresh[0].score);
        let mut plan = sale;
        plan.plan_10b5_1 = true;
        let p = signals(&[plan], &Config::default());
        assert!(p[0].plan_10b5_1 && p[0].score < fresh[0].score);
        assert!(p[0].explanation.contains("10b5-1"));
    }

    #[test]
    fn small_sales_are_not_signals() {
        let small = trade("s", insider(2, "CEO", true), "2024-05-03", "S", 100.0, 50.0);
        assert!(signals(&[small], &Config::default()).is_empty());
    }

    #[test]
    fn roles() {
        assert_eq!(
            role_of(false, true, false, Some("Chief Executive Officer"), None),
            ("Chief Executive Officer".into(), true, true)
        );
        assert!(!role_of(false, true, false, Some("Vice President, Sales"), None).2);
        assert_eq!(role_of(true, false, false, None, None).0, "Director");
        assert_eq!(role_of(false, false, true, None, None), ("10% owner".into(), false, false));
    }
}

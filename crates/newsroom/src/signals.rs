//! The insider desk over the store: stored trade rows to the desk's trades, and its signals.

use std::{collections::HashMap, sync::Arc};

use jiff::civil::Date;
use marketdesk_core::Cik;
use marketdesk_desks::insider::{Config, Insider, Signal, Trade, role_of, signals};
use marketdesk_store::{Store, TradeFiling, TradeRow};

use crate::Result;

/// Trades for the desk: each issuer's main ticker from the reference list, falling back to the
/// symbol as filed (which can be stale: YHOO, LNKD); each filing's insiders built once.
pub fn trades(rows: Vec<TradeRow>, tickers: &HashMap<Cik, String>) -> Vec<Trade> {
    let mut per_filing: HashMap<*const TradeFiling, (Arc<[Insider]>, Option<String>)> =
        HashMap::new();
    rows.into_iter()
        .map(|r| {
            let f = &r.filing;
            let (insiders, ticker) = per_filing
                .entry(Arc::as_ptr(f))
                .or_insert_with(|| {
                    let insiders: Arc<[Insider]> = f
                        .owners
                        .iter()
                        .map(|o| {
                            let (role, officer_or_director, c_suite) = role_of(
                                o.is_director,
                                o.is_officer,
                                o.is_ten_percent_owner,
                                o.officer_title.as_deref(),
                                o.other_text.as_deref(),
                            );
                            Insider {
                                cik: o.cik,
                                name: o.name.clone().unwrap_or_default(),
                                role,
                                officer_or_director,
                                c_suite,
                            }
                        })
                        .collect();
                    let ticker =
                        tickers.get(&f.issuer_cik).cloned().or_else(|| f.issuer_ticker.clone());
                    (insiders, ticker)
                })
                .clone();
            Trade {
                plan_10b5_1: r.plan_10b5_1(),
                accession: f.accession.clone(),
                issuer_cik: f.issuer_cik,
                issuer_name: f.issuer_name.clone(),
                ticker,
                insiders,
                date: r.date,
                code: r.code,
                shares: r.shares,
                price: r.price,
                owned_after: r.owned_after,
            }
        })
        .collect()
}

/// The insider desk's signals whose last trade is on or after `since`, strongest first.
pub async fn desk_signals(
    store: &Store,
    since: Option<Date>,
    issuer: Option<Cik>,
    config: &Config,
) -> Result<Vec<Signal>> {
    // Three years before `since` are read too: routine traders are told by their history.
    let history_from = since.and_then(|d| d.checked_sub(jiff::Span::new().years(3)).ok());
    let rows = store.open_market_trades(history_from, issuer).await?;
    let tickers = store.main_tickers().await?;
    let mut found = signals(&trades(rows, &tickers), config);
    found.retain(|s| since.is_none_or(|d| s.end_date >= d));
    Ok(found)
}

/// Every signal over every stored trade: (trades read, signals found), for the benchmark.
pub async fn all_signals(store: &Store) -> Result<(usize, usize)> {
    let rows = store.open_market_trades(None, None).await?;
    let n = rows.len();
    let tickers = store.main_tickers().await?;
    Ok((n, signals(&trades(rows, &tickers), &Config::default()).len()))
}

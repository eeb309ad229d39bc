//! `marketdesk signals` and `marketdesk insiders`: the insider desk over the store.

use std::{fmt::Write as _, process::ExitCode};

use anyhow::Context;
use jiff::civil::Date;
use marketdesk_core::Cik;
use marketdesk_desks::insider::{Config, SignalKind};
use marketdesk_newsroom::{desk_signals, trades};
use marketdesk_store::Store;
use serde_json::json;

async fn issuer_of(store: &Store, ticker: &str) -> anyhow::Result<Cik> {
    let ticker = ticker.to_ascii_uppercase();
    Ok(store
        .company_by_ticker(&ticker)
        .await?
        .with_context(|| {
            format!("{ticker} is not in the reference list (marketdesk reference load)")
        })?
        .cik)
}

/// `signals [--since] [--ticker] [--kind] [--window-days] [--json]`.
pub(crate) async fn run_signals(
    store: &Store,
    since: Option<Date>,
    ticker: Option<&str>,
    kind: Option<&str>,
    window_days: i64,
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let kind = kind
        .map(|k| {
            SignalKind::parse(k).with_context(|| {
                format!("unknown kind {k:?}: purchase, cluster_buy, sale or cluster_sale")
            })
        })
        .transpose()?;
    let issuer = match ticker {
        Some(t) => Some(issuer_of(store, t).await?),
        None => None,
    };
    let config = Config { cluster_window_days: window_days, ..Config::default() };
    let found = desk_signals(store, since, issuer, &config).await?;
    let mut text = String::new();
    for s in found.iter().filter(|s| kind.is_none_or(|k| s.kind == k)) {
        if json_out {
            writeln!(text, "{}", serde_json::to_string(s)?)?;
        } else {
            writeln!(
                text,
                "{:>5.1}  {:<12} {:<6} {}  {}",
                s.score,
                serde_json::to_value(s.kind)?.as_str().unwrap_or(""),
                s.ticker.as_deref().unwrap_or("--"),
                s.end_date,
                s.explanation
            )?;
        }
    }
    crate::emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// `insiders TICKER [--json]`: every insider trade in the company, newest first.
pub(crate) async fn run_insiders(
    store: &Store,
    ticker: &str,
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let issuer = issuer_of(store, ticker).await?;
    let rows = store.insider_trades(None, Some(issuer)).await?;
    let tickers = store.main_tickers().await?;
    let mut all = trades(rows, &tickers);
    all.reverse();
    let mut text = String::new();
    for t in &all {
        let who = t.insiders.first();
        if json_out {
            let line = json!({
                "date": t.date.to_string(), "accession": t.accession, "ticker": t.ticker,
                "insider": who.map(|i| i.name.clone()), "insider_cik": who.map(|i| i.cik),
                "role": who.map(|i| i.role.clone()), "code": t.code, "shares": t.shares,
                "price": t.price, "value_usd": t.value(), "owned_after": t.owned_after,
                "plan_10b5_1": t.plan_10b5_1,
            });
            writeln!(text, "{line}")?;
        } else {
            writeln!(
                text,
                "{}  {:<28} {:<24} {}  {:>12} @ {:>9}  = {:>14}  after {:>12}{}",
                t.date,
                who.map_or("", |i| i.name.as_str()),
                who.map_or("", |i| i.role.as_str()),
                t.code,
                t.shares,
                t.price.map_or("--".to_owned(), |p| format!("{p:.2}")),
                t.value().map_or("--".to_owned(), |v| format!("{v:.0}")),
                t.owned_after.map_or("--".to_owned(), |v| v.to_string()),
                if t.plan_10b5_1 { "  10b5-1" } else { "" }
            )?;
        }
    }
    crate::emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

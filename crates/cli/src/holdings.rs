//! `marketdesk holdings` and `marketdesk holders`: the 13F desk's view of managers and issuers.

use std::{fmt::Write as _, process::ExitCode};

use anyhow::Context;
use marketdesk_core::Cik;
use marketdesk_desks::holdings::{Quarter, Watchlist};
use marketdesk_newsroom::manager_quarter;
use marketdesk_store::Store;
use serde_json::json;

async fn ticker_of(store: &Store, cusip: &str) -> anyhow::Result<Option<String>> {
    Ok(store.cusip(cusip).await?.and_then(|c| c.ticker))
}

fn label<T: serde::Serialize>(v: T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

fn dollars(v: Option<u64>) -> String {
    v.map_or_else(|| "--".to_owned(), |v| marketdesk_core::style::money(v as f64))
}

/// `holdings MANAGER_CIK [--period YYYY-Qn] [--json]`.
pub(crate) async fn holdings(
    store: &Store,
    manager: &str,
    period: Option<&str>,
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let manager = Cik::parse(manager).with_context(|| format!("not a CIK: {manager}"))?;
    let period = period
        .map(|p| Quarter::parse(p).with_context(|| format!("not a quarter (YYYY-Qn): {p}")))
        .transpose()?;
    let Some(mq) = manager_quarter(store, manager, period).await? else {
        anyhow::bail!(
            "no 13F holdings stored for manager {manager}{}",
            match period {
                Some(p) => format!(" in {p}"),
                None => String::new(),
            }
        );
    };
    let mut text = String::new();
    if !json_out {
        let total: Option<u64> = mq.changes.iter().map(|c| c.holding.value_usd).sum();
        writeln!(
            text,
            "{} ({manager}) {}: {} positions, {} in all{}",
            mq.name.as_deref().unwrap_or("manager"),
            mq.period,
            mq.changes.iter().filter(|c| c.holding.shares > 0.0).count(),
            dollars(total),
            mq.top10.map(|t| format!(", top 10 = {t:.1}%")).unwrap_or_default()
        )?;
    }
    for c in &mq.changes {
        let ticker = ticker_of(store, &c.holding.cusip).await?;
        if json_out {
            let line = json!({
                "manager_cik": manager, "manager_name": mq.name, "period": mq.period.to_string(),
                "cusip": c.holding.cusip, "ticker": ticker, "issuer_name": c.holding.issuer_name,
                "title_of_class": c.holding.title_of_class, "shares": c.holding.shares,
                "value_usd": c.holding.value_usd, "put_call": label(c.holding.put_call),
                "change": label(c.change), "shares_delta": c.shares_delta,
                "shares_delta_pct": c.shares_delta_pct,
            });
            writeln!(text, "{line}")?;
        } else {
            writeln!(
                text,
                "{:<8} {:<30} {:>14} {:>16} {}",
                ticker.as_deref().unwrap_or("--"),
                c.holding.issuer_name.as_deref().unwrap_or(""),
                c.holding.shares,
                dollars(c.holding.value_usd),
                label(c.change).as_str().unwrap_or("")
            )?;
        }
    }
    crate::emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// `holders TICKER [--json]`: every stored manager's latest position in the company.
pub(crate) async fn holders(
    store: &Store,
    ticker: &str,
    watchlist: &Watchlist,
    only_tracked: bool,
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let ticker = ticker.to_ascii_uppercase();
    let company = store.company_by_ticker(&ticker).await?.with_context(|| {
        format!("{ticker} is not in the reference list (marketdesk reference load)")
    })?;
    let cusips = store.cusips_of(company.cik).await?;
    anyhow::ensure!(
        !cusips.is_empty(),
        "no CUSIP is mapped to {ticker} (see marketdesk reference cusips)"
    );
    let mut text = String::new();
    for manager in store.thirteen_f_managers_holding(&cusips).await? {
        let tracked = watchlist.tracks(manager);
        if only_tracked && !tracked {
            continue;
        }
        let Some(mq) = manager_quarter(store, manager, None).await? else { continue };
        for c in mq.changes.iter().filter(|c| cusips.contains(&c.holding.cusip)) {
            if json_out {
                let line = json!({
                    "ticker": ticker, "cik": company.cik, "manager_cik": manager, "tracked": tracked,
                    "manager_name": mq.name, "period": mq.period.to_string(),
                    "cusip": c.holding.cusip, "shares": c.holding.shares,
                    "value_usd": c.holding.value_usd, "put_call": label(c.holding.put_call),
                    "change": label(c.change), "shares_delta": c.shares_delta,
                });
                writeln!(text, "{line}")?;
            } else {
                writeln!(
                    text,
                    "{} {:<40} {:>14} {:>16} {}",
                    mq.period,
                    mq.name.as_deref().unwrap_or(""),
                    c.holding.shares,
                    dollars(c.holding.value_usd),
                    label(c.change).as_str().unwrap_or("")
                )?;
            }
        }
    }
    crate::emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

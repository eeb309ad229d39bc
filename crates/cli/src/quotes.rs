//! `marketdesk quotes`: daily bars in and out of the store.

use std::{path::PathBuf, process::ExitCode};

use anyhow::Context;
use jiff::Timestamp;
use marketdesk_quotes::{
    format_change, parse_csv,
    provider::{CsvProvider, QuoteProvider},
};
use marketdesk_store::Store;

/// Imports each file; bad rows are named on stderr, recorded, and skipped.
pub(crate) async fn import(
    store: &Store,
    files: &[PathBuf],
    ticker: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let mut failed = false;
    for file in files {
        let name = file.display().to_string();
        let text = match std::fs::read(file) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) => {
                eprintln!("marketdesk: {name}: {e}");
                store.record_ingest_error(&name, None, &e.to_string(), Timestamp::now()).await?;
                failed = true;
                continue;
            }
        };
        let stem = file.file_stem().and_then(|s| s.to_str());
        let (bars, bad) = match parse_csv(&text, ticker.or(stem)) {
            Ok(parsed) => parsed,
            Err(e) => {
                eprintln!("marketdesk: {name}: {e}");
                store.record_ingest_error(&name, None, &e.to_string(), Timestamp::now()).await?;
                failed = true;
                continue;
            }
        };
        for b in &bad {
            let source = format!("{name}:{}", b.line);
            eprintln!("marketdesk: {source}: {}", b.reason);
            store.record_ingest_error(&source, None, &b.reason, Timestamp::now()).await?;
        }
        let written = store.upsert_daily_bars(&bars, &name).await.context("storing bars")?;
        let mut tickers: Vec<&str> = bars.iter().map(|b| b.ticker.as_str()).collect();
        tickers.dedup();
        say!(
            "{name}: {written} bars for {} ({} rows skipped)",
            if tickers.is_empty() { "no ticker".to_owned() } else { tickers.join(", ") },
            bad.len()
        );
    }
    Ok(if failed { ExitCode::from(crate::PARTIAL_FAILURE) } else { ExitCode::SUCCESS })
}

/// Fetches each ticker from the configured service.
pub(crate) async fn fetch(
    store: &Store,
    url: Option<&str>,
    tickers: &[String],
) -> anyhow::Result<ExitCode> {
    let url = url.context(
        "no quote service configured: set [quotes] url in marketdesk.toml or MARKETDESK_QUOTES_URL \
         (e.g. https://stooq.com/q/d/l/?s={ticker}.us&i=d)",
    )?;
    anyhow::ensure!(url.contains("{ticker}"), "the quote URL must contain {{ticker}}: {url}");
    let provider = CsvProvider::new(url)?;
    let mut failed = false;
    for ticker in tickers {
        let ticker = ticker.to_ascii_uppercase();
        match provider.daily(&ticker).await {
            Ok(bars) => {
                let written = store.upsert_daily_bars(&bars, url).await?;
                say!("{ticker}: {written} bars");
            }
            Err(e) => {
                eprintln!("marketdesk: {ticker}: {e}");
                store
                    .record_ingest_error(
                        &format!("quotes:{ticker}"),
                        None,
                        &e.to_string(),
                        Timestamp::now(),
                    )
                    .await?;
                failed = true;
            }
        }
    }
    Ok(if failed { ExitCode::from(crate::PARTIAL_FAILURE) } else { ExitCode::SUCCESS })
}

/// Prints the change beside a ticker.
pub(crate) async fn change(
    store: &Store,
    ticker: &str,
    as_of: Option<jiff::civil::Date>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let ticker = ticker.to_ascii_uppercase();
    let as_of = match as_of {
        Some(d) => d,
        None => Timestamp::now().in_tz(marketdesk_core::NEW_YORK)?.date(),
    };
    let change = store.quote_change(&ticker, as_of).await?;
    if json {
        let value = serde_json::json!({
            "ticker": ticker,
            "as_of": as_of.to_string(),
            "change": change,
            "display": format_change(change.map(|c| c.percent)),
        });
        say!("{value}");
    } else {
        say!("{ticker} {}", format_change(change.map(|c| c.percent)));
    }
    Ok(ExitCode::SUCCESS)
}

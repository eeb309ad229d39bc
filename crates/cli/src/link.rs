//! `marketdesk link` and `marketdesk reference`: company mentions in text, and the company list
//! they are resolved against.

use std::{
    collections::BTreeSet,
    io::{BufRead, BufWriter, Write},
    path::{Path, PathBuf},
    process::ExitCode,
};

use anyhow::Context;
use jiff::Timestamp;
use marketdesk_edgar::fetch::EdgarClient;
use marketdesk_linker::{Aliases, Linker, Reference, evaluate};
use marketdesk_store::{CompanyRecord, ReferenceDocuments, SecurityRecord, Store};
use serde_json::{Map, Value, json};

/// Where EDGAR publishes the two lists.
const EXCHANGE_LIST_PATH: &str = "files/company_tickers_exchange.json";
const SIZE_ORDER_PATH: &str = "files/company_tickers.json";

/// Builds a reference from the SEC documents, with the size prior when available.
fn reference_from(documents: &ReferenceDocuments) -> anyhow::Result<Reference> {
    let mut reference = Reference::from_sec_json(&documents.exchange_list)
        .context("reading company_tickers_exchange.json")?;
    if let Some(order) = &documents.size_order {
        reference.apply_size_order(order).context("reading company_tickers.json")?;
    }
    Ok(reference)
}

/// The linker over the store's reference list when one was loaded, else the shipped one. A store
/// that does not exist yet is not created just to look.
pub(crate) async fn linker(db: &str) -> anyhow::Result<Linker> {
    let reference = match stored_documents(db).await? {
        Some(docs) => reference_from(&docs)?,
        None => Reference::shipped().context("the shipped reference list")?,
    };
    let aliases = Aliases::shipped().context("the shipped alias file")?;
    Ok(Linker::new(&reference, &aliases))
}

async fn stored_documents(db: &str) -> anyhow::Result<Option<ReferenceDocuments>> {
    let path = db.strip_prefix("sqlite://").or_else(|| db.strip_prefix("sqlite:")).unwrap_or(db);
    if !Path::new(path).exists() {
        return Ok(None);
    }
    let store = crate::open_store(db).await?;
    let docs = store.reference_documents().await?;
    store.close().await;
    Ok(docs.filter(|d| !d.exchange_list.is_empty()))
}

/// Reads JSON Lines `{"id", "text", ...}` on stdin and writes each back with `tickers` and
/// `mentions`; a bad line is named on stderr and the rest go on.
pub(crate) fn link_stdin(linker: &Linker) -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin().lock();
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut bad = 0usize;
    for (n, line) in stdin.lines().enumerate() {
        let line = line.with_context(|| format!("reading stdin line {}", n + 1))?;
        if line.trim().is_empty() {
            continue;
        }
        let mut object: Map<String, Value> = match serde_json::from_str(&line) {
            Ok(Value::Object(o)) => o,
            Ok(_) => {
                eprintln!("marketdesk: stdin line {}: expected a JSON object", n + 1);
                bad += 1;
                continue;
            }
            Err(e) => {
                eprintln!("marketdesk: stdin line {}: {e}", n + 1);
                bad += 1;
                continue;
            }
        };
        let Some(text) = object.get("text").and_then(Value::as_str) else {
            eprintln!("marketdesk: stdin line {}: no \"text\" string", n + 1);
            bad += 1;
            continue;
        };
        let mentions = linker.link(text);
        let tickers: BTreeSet<&str> = mentions.iter().map(|m| m.ticker.as_str()).collect();
        let mentions: Vec<Value> = mentions
            .iter()
            .map(|m| {
                json!({"start": m.start, "end": m.end, "text": m.text, "ticker": m.ticker,
                       "cik": m.cik, "confidence": m.confidence})
            })
            .collect();
        object.insert("tickers".to_owned(), json!(tickers));
        object.insert("mentions".to_owned(), Value::Array(mentions));
        let written = serde_json::to_writer(&mut out, &object).map_err(std::io::Error::from);
        if let Err(e) = written.and_then(|()| out.write_all(b"\n")) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(ExitCode::SUCCESS);
            }
            return Err(e.into());
        }
    }
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
        _ => {}
    }
    Ok(if bad == 0 { ExitCode::SUCCESS } else { ExitCode::from(crate::PARTIAL_FAILURE) })
}

/// `link --eval FILE`: precision, recall and F1 by CIK, then every miss and false tag.
pub(crate) fn eval(linker: &Linker, file: &Path, json: bool) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let report =
        evaluate(linker, &text).with_context(|| format!("evaluating {}", file.display()))?;
    if json {
        println!("{}", serde_json::to_string(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    println!(
        "{}: {} lines; precision {:.4}, recall {:.4}, F1 {:.4} (TP {}, FP {}, FN {})",
        file.display(),
        report.lines,
        report.precision,
        report.recall,
        report.f1,
        report.true_positives,
        report.false_positives,
        report.false_negatives
    );
    for m in &report.misses {
        println!("miss\t{}\t{}\t{}", m.id, m.ticker, m.cik);
    }
    for f in &report.false_tags {
        println!(
            "false\t{}\t{}\t{}\t{}",
            f.id,
            f.ticker,
            f.cik,
            f.surface.as_deref().unwrap_or("")
        );
    }
    Ok(ExitCode::SUCCESS)
}

fn label<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

fn records(reference: &Reference) -> Vec<CompanyRecord> {
    reference
        .companies()
        .iter()
        .map(|c| CompanyRecord {
            cik: c.cik,
            name: c.name.clone(),
            main_ticker: c.main_ticker.clone(),
            size_rank: c.size_rank,
            exchange_traded_product: c.exchange_traded_product,
            securities: c
                .securities
                .iter()
                .map(|s| SecurityRecord {
                    ticker: s.ticker.clone(),
                    exchange: label(s.exchange),
                    kind: label(s.kind),
                })
                .collect(),
        })
        .collect()
}

/// Checks and stores a reference list.
async fn store_reference(
    store: &Store,
    documents: ReferenceDocuments,
    source: &str,
) -> anyhow::Result<ExitCode> {
    let reference = reference_from(&documents)?;
    let linkable = reference.companies().iter().filter(|c| c.is_linkable()).count();
    let companies = records(&reference);
    let n = store.replace_reference(&companies, &documents, source, Timestamp::now()).await?;
    println!(
        "loaded {n} companies ({linkable} linkable: listed on NYSE, Nasdaq or Cboe) from {source}"
    );
    Ok(ExitCode::SUCCESS)
}

/// `reference load [--exchange-list FILE] [--size-order FILE]`: the shipped list by default.
pub(crate) async fn load(
    store: &Store,
    exchange_list: Option<PathBuf>,
    size_order: Option<PathBuf>,
) -> anyhow::Result<ExitCode> {
    let read = |p: &Path| std::fs::read(p).with_context(|| format!("cannot read {}", p.display()));
    let (documents, source) = match exchange_list {
        Some(path) => (
            ReferenceDocuments {
                exchange_list: read(&path)?,
                size_order: size_order.as_deref().map(read).transpose()?,
            },
            path.display().to_string(),
        ),
        None => (
            ReferenceDocuments {
                exchange_list: marketdesk_linker::SHIPPED_EXCHANGE_LIST.to_vec(),
                size_order: Some(marketdesk_linker::SHIPPED_SIZE_ORDER.to_vec()),
            },
            "shipped data/reference (SEC, Aug 2025)".to_owned(),
        ),
    };
    store_reference(store, documents, &source).await
}

/// `reference update --from-edgar`: both lists fetched from EDGAR, checked, then stored.
pub(crate) async fn update_from_edgar(
    store: &Store,
    client: &EdgarClient,
) -> anyhow::Result<ExitCode> {
    let exchange_list = client
        .get(EXCHANGE_LIST_PATH)
        .await?
        .with_context(|| format!("EDGAR has no {EXCHANGE_LIST_PATH}"))?;
    let size_order = client.get(SIZE_ORDER_PATH).await?;
    store_reference(
        store,
        ReferenceDocuments { exchange_list, size_order },
        &client.url(EXCHANGE_LIST_PATH),
    )
    .await
}

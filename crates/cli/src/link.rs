//! `marketdesk link` and `marketdesk reference`: company mentions in text, and the company list
//! they are resolved against.

use std::{
    collections::BTreeSet,
    fmt::Write as _,
    io::{BufRead, BufWriter, Write},
    path::{Path, PathBuf},
    process::ExitCode,
};

use anyhow::Context;
use jiff::Timestamp;
use marketdesk_edgar::fetch::EdgarClient;
use marketdesk_linker::{Aliases, Linker, Reference, evaluate};
use marketdesk_store::{CusipRecord, ReferenceDocuments, Store};
use serde_json::{Map, Value, json};

/// CUSIPs derived from the 13F filings in `fixtures/edgar/13f` (`reference cusips derive`).
const SHIPPED_CUSIPS: &str = include_str!("../../../data/reference/cusips.csv");

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

/// The reference list of `store`'s latest load, else the shipped one.
async fn reference_in(store: Option<&Store>) -> anyhow::Result<Reference> {
    let stored = match store {
        Some(store) => store.reference_documents().await?.filter(|d| !d.exchange_list.is_empty()),
        None => None,
    };
    match stored {
        Some(docs) => reference_from(&docs),
        None => Reference::shipped().context("the shipped reference list"),
    }
}

/// The linker over the store's reference list when one was loaded, else the shipped one. A store
/// that does not exist yet is not created just to look.
pub(crate) async fn linker(db: &str) -> anyhow::Result<Linker> {
    let store = Store::open_if_exists(db).await?;
    let linker = linker_in(store.as_ref()).await;
    if let Some(store) = store {
        store.close().await;
    }
    linker
}

/// The linker over the reference list in `store`, or the shipped list without one.
pub(crate) async fn linker_in(store: Option<&Store>) -> anyhow::Result<Linker> {
    let reference = reference_in(store).await?;
    let aliases = Aliases::shipped().context("the shipped alias file")?;
    Ok(Linker::new(&reference, &aliases))
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
        say!("{}", serde_json::to_string(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    say!(
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
    let mut text = String::new();
    for m in &report.misses {
        writeln!(text, "miss\t{}\t{}\t{}", m.id, m.ticker, m.cik)?;
    }
    for f in &report.false_tags {
        writeln!(
            text,
            "false\t{}\t{}\t{}\t{}",
            f.id,
            f.ticker,
            f.cik,
            f.surface.as_deref().unwrap_or("")
        )?;
    }
    crate::emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// Checks and stores a reference list.
async fn store_reference(
    store: &Store,
    documents: ReferenceDocuments,
    source: &str,
) -> anyhow::Result<ExitCode> {
    let reference = reference_from(&documents)?;
    let linkable = reference.companies().iter().filter(|c| c.is_linkable()).count();
    let companies = marketdesk_newsroom::company_records(&reference);
    let n = store.replace_reference(&companies, &documents, source, Timestamp::now()).await?;
    say!(
        "loaded {n} companies ({linkable} linkable: listed on NYSE, Nasdaq or Cboe) from {source}"
    );
    load_cusips(store, SHIPPED_CUSIPS, "shipped data/reference/cusips.csv", &reference).await?;
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

/// Reads a CUSIP map CSV: `cusip` plus `ticker` and/or `cik`, optional `name` and `class`.
fn read_cusip_csv(
    text: &str,
    reference: &Reference,
) -> anyhow::Result<(Vec<CusipRecord>, Vec<String>)> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines.next().context("empty file")?;
    let names: Vec<String> = header
        .split(',')
        .map(|h| h.trim().trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let col = |want: &[&str]| names.iter().position(|n| want.contains(&n.as_str()));
    let cusip_col = col(&["cusip"]).context("no cusip column")?;
    let (ticker_col, cik_col) = (col(&["ticker", "symbol"]), col(&["cik"]));
    anyhow::ensure!(ticker_col.is_some() || cik_col.is_some(), "no ticker or cik column");
    let (name_col, class_col) = (
        col(&["name", "issuer", "issuer_name", "name_of_issuer"]),
        col(&["class", "title_of_class"]),
    );
    let mut records = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in lines {
        let fields: Vec<&str> = line.split(',').map(|f| f.trim().trim_matches('"')).collect();
        let get =
            |c: Option<usize>| c.and_then(|c| fields.get(c).copied()).filter(|f| !f.is_empty());
        let Some(cusip) = get(Some(cusip_col))
            .filter(|c| c.len() == 9 && c.bytes().all(|b| b.is_ascii_alphanumeric()))
        else {
            bad.push(format!("line {}: no nine-character cusip", i + 1));
            continue;
        };
        let given = get(ticker_col).map(str::to_ascii_uppercase);
        let by_cik = get(cik_col)
            .and_then(|c| marketdesk_core::Cik::parse(c).ok())
            .and_then(|c| reference.by_cik(c));
        let company = by_cik.or_else(|| given.as_deref().and_then(|t| reference.by_ticker(t)));
        // A CUSIP belongs to one class of issue: keep the class ticker the map gives (GOOG).
        let ticker = company.and_then(|c| {
            given
                .clone()
                .filter(|t| c.securities.iter().any(|s| &s.ticker == t))
                .or_else(|| c.main_ticker.clone())
        });
        records.push(CusipRecord {
            cusip: cusip.to_ascii_uppercase(),
            cik: company.map(|c| c.cik),
            ticker,
            issuer_name: get(name_col)
                .map(str::to_owned)
                .or_else(|| company.map(|c| c.name.clone()))
                .unwrap_or_default(),
            title_of_class: get(class_col).map(str::to_owned),
        });
    }
    Ok((records, bad))
}

/// Loads a CUSIP map file into the store; rows are named on stderr when skipped.
async fn load_cusips(
    store: &Store,
    text: &str,
    source: &str,
    reference: &Reference,
) -> anyhow::Result<()> {
    let (records, bad) =
        read_cusip_csv(text, reference).with_context(|| format!("reading {source}"))?;
    for b in &bad {
        eprintln!("marketdesk: {source}: {b}");
    }
    let resolved = records.iter().filter(|r| r.cik.is_some()).count();
    store.upsert_cusips(&records, source).await?;
    say!("loaded {} CUSIPs ({resolved} resolved to listed companies) from {source}", records.len());
    Ok(())
}

/// `reference cusips import FILE`.
pub(crate) async fn import_cusips(store: &Store, file: &Path) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let reference = reference_in(Some(store)).await?;
    load_cusips(store, &text, &file.display().to_string(), &reference).await?;
    Ok(ExitCode::SUCCESS)
}

/// `reference cusips derive PATHS... [--out FILE]`: CUSIPs and issuer names read from 13F
/// information tables, resolved to listed companies through the reference list by issuer name.
pub(crate) async fn derive_cusips(
    store: &Store,
    paths: &[PathBuf],
    out: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let reference = reference_in(Some(store)).await?;
    let mut by_cusip: std::collections::BTreeMap<String, CusipRecord> = Default::default();
    let mut failed = 0usize;
    for doc in marketdesk_edgar::Documents::new(paths) {
        let filing = match crate::ingest::parse_document(doc, marketdesk_edgar::parse_thirteen_f) {
            (_, Ok(f)) => f,
            (source, Err(e)) => {
                eprintln!("marketdesk: {source}: {e}");
                failed += 1;
                continue;
            }
        };
        for p in filing.holdings {
            let Some(cusip) = p.cusip.filter(|c| c.len() == 9) else { continue };
            let name = p.name_of_issuer.unwrap_or_default();
            let company = reference.by_issuer_name(&name);
            by_cusip.entry(cusip.clone()).or_insert(CusipRecord {
                cusip,
                cik: company.map(|c| c.cik),
                ticker: company.and_then(|c| c.main_ticker.clone()),
                issuer_name: name,
                title_of_class: p.title_of_class,
            });
        }
    }
    let records: Vec<CusipRecord> = by_cusip.into_values().collect();
    let resolved = records.iter().filter(|r| r.cik.is_some()).count();
    store.upsert_cusips(&records, "derived from 13F information tables").await?;
    if let Some(out) = out {
        let mut csv = String::from("cusip,cik,ticker,issuer_name,title_of_class\n");
        for r in &records {
            let field = |s: &str| s.replace([',', '"', '\n'], " ");
            csv.push_str(&format!(
                "{},{},{},{},{}\n",
                r.cusip,
                r.cik.map(|c| c.to_string()).unwrap_or_default(),
                r.ticker.as_deref().unwrap_or(""),
                field(&r.issuer_name),
                field(r.title_of_class.as_deref().unwrap_or("")),
            ));
        }
        std::fs::write(out, csv).with_context(|| format!("cannot write {}", out.display()))?;
    }
    say!(
        "derived {} CUSIPs ({resolved} resolved to listed companies) from {} paths",
        records.len(),
        paths.len()
    );
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(crate::PARTIAL_FAILURE) })
}

//! `feeds items` and `sectors`: the news desk for people (`ingest feeds` is the newsroom's).

use std::{
    fmt::Write as _,
    io::{BufRead, Write as _},
    path::Path,
    process::ExitCode,
};

use anyhow::Context;
use marketdesk_desks::news::{analyse, evaluate};
use marketdesk_store::Store;
use serde_json::{Value, json};

/// `feeds items [--feed URL_OR_PATH] [--json]`: kept items, newest first.
pub(crate) async fn list_items(
    store: &Store,
    feed: Option<&str>,
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let mut text = String::new();
    for i in store.feed_items(feed, u32::MAX).await? {
        if json_out {
            let line = json!({
                "feed": i.feed, "guid": i.guid, "title": i.title, "link": i.link,
                "published": i.published_at, "published_offset": i.published_offset,
                "summary": i.summary, "author": i.author, "event": i.event,
            });
            writeln!(text, "{line}")?;
        } else {
            writeln!(
                text,
                "{}  {}\n    {}",
                i.published_at.map_or_else(|| "--".to_owned(), |t| t.to_string()),
                i.title,
                i.link.as_deref().unwrap_or("")
            )?;
        }
    }
    crate::emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// `sectors`: JSON Lines {"id", "text"} on stdin, each written back with "sectors" (and the
/// rest of the analysis); a bad line is named on stderr and the rest go on.
pub(crate) fn sectors_stdin() -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    let mut bad = 0;
    for (n, line) in stdin.lock().lines().enumerate() {
        let line = line.context("reading stdin")?;
        if line.trim().is_empty() {
            continue;
        }
        let mut v: Value = match serde_json::from_str(&line) {
            Ok(v @ Value::Object(_)) => v,
            Ok(_) => {
                bad += 1;
                eprintln!("line {}: not a JSON object", n + 1);
                continue;
            }
            Err(e) => {
                bad += 1;
                eprintln!("line {}: {e}", n + 1);
                continue;
            }
        };
        let Some(text) = v.get("text").and_then(Value::as_str) else {
            bad += 1;
            eprintln!("line {}: no \"text\" string", n + 1);
            continue;
        };
        let analysis = analyse(text);
        v["sectors"] = json!(analysis
            .sectors
            .iter()
            .map(|s| json!({"sector": s.sector.name(), "direction": s.direction.as_str(), "why": s.why}))
            .collect::<Vec<_>>());
        v["topic"] = serde_json::to_value(analysis.topic)?;
        v["countries"] = json!(analysis.countries);
        v["organisations"] = json!(analysis.organisations);
        v["people"] = json!(analysis.people);
        if writeln!(out, "{v}").is_err() {
            return Ok(ExitCode::SUCCESS);
        }
    }
    let _ = out.flush();
    Ok(if bad > 0 { ExitCode::from(crate::PARTIAL_FAILURE) } else { ExitCode::SUCCESS })
}

/// `sectors --eval FILE [--json]`.
pub(crate) fn sectors_eval(file: &Path, json_out: bool) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let report = evaluate(&text).with_context(|| format!("evaluating {}", file.display()))?;
    if json_out {
        crate::emit(&format!("{}\n", serde_json::to_string(&report)?))?;
        return Ok(ExitCode::SUCCESS);
    }
    let mut out = String::new();
    writeln!(
        out,
        "{:<28} {:>9} {:>6} {:>6} {:>4} {:>4} {:>4}",
        "sector", "precision", "recall", "F1", "tp", "fp", "fn"
    )?;
    for s in &report.sectors {
        let p = &s.scores;
        writeln!(
            out,
            "{:<28} {:>9.3} {:>6.3} {:>6.3} {:>4} {:>4} {:>4}",
            s.sector.name(),
            p.precision,
            p.recall,
            p.f1,
            p.true_positives,
            p.false_positives,
            p.false_negatives
        )?;
    }
    let m = &report.micro;
    writeln!(
        out,
        "{:<28} {:>9.3} {:>6.3} {:>6.3} {:>4} {:>4} {:>4}",
        "micro",
        m.precision,
        m.recall,
        m.f1,
        m.true_positives,
        m.false_positives,
        m.false_negatives
    )?;
    writeln!(
        out,
        "{} items; direction accuracy {:.3} ({} of {} found sectors); primary sector accuracy {:.3} ({} items); empty-label accuracy {:.3} ({} items)",
        report.items,
        report.direction_accuracy,
        report.direction_correct,
        m.true_positives,
        report.primary_accuracy,
        report.primary_items,
        report.empty_accuracy,
        report.empty_items
    )?;
    for e in &report.errors {
        writeln!(out, "skipped {e:?}")?;
    }
    crate::emit(&out)?;
    Ok(ExitCode::SUCCESS)
}

//! `articles`, `show` and `verify`: the written articles (`write` is the newsroom's).

use std::{fmt::Write as _, path::Path, process::ExitCode};

use anyhow::Context;
use jiff::{Timestamp, civil::Date};
use marketdesk_linker::Linker;
use marketdesk_store::{ArticleRecord, Store};
use marketdesk_writer::{Article, dateline, reading_label, verify};
use serde_json::json;

fn eastern_day(at: Timestamp) -> Date {
    marketdesk_core::eastern(at).date()
}

fn article_of(record: &ArticleRecord) -> anyhow::Result<Article> {
    serde_json::from_str(&record.body)
        .with_context(|| format!("article {} in the store does not read back", record.slug))
}

/// The keys `show --json` promises, in a stable order, then the rest of the article.
fn article_json(a: &Article) -> serde_json::Value {
    json!({
        "slug": a.slug,
        "headline": a.headline,
        "dek": a.dek,
        "persona": {"name": a.persona.name, "slug": a.persona.slug},
        "published_at": a.published_at,
        "updated_at": a.updated_at,
        "revision": a.revision,
        "reading_minutes": a.reading_minutes,
        "sections": a.sections,
        "tickers": a.tickers,
        "sources": a.sources,
        "fact_sheet": a.fact_sheet,
        "writer": a.writer,
    })
}

/// `articles [--json]`: newest first.
pub(crate) async fn list(store: &Store, json_out: bool) -> anyhow::Result<ExitCode> {
    let mut text = String::new();
    for record in store.articles(u32::MAX).await? {
        if json_out {
            writeln!(
                text,
                "{}",
                json!({
                    "slug": record.slug, "headline": record.headline, "persona": record.persona,
                    "published_at": record.published_at, "revision": record.revision,
                    "tickers": record.tickers,
                })
            )?;
        } else {
            writeln!(
                text,
                "{}  {:<16} {:<6} {}\n    {}",
                dateline(record.published_at),
                record.persona,
                record.tickers.join(","),
                record.headline,
                record.slug
            )?;
        }
    }
    crate::emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// `show SLUG [--json]`.
pub(crate) async fn show(store: &Store, slug: &str, json_out: bool) -> anyhow::Result<ExitCode> {
    let record = store
        .article(slug)
        .await?
        .with_context(|| format!("no article {slug:?} (marketdesk articles lists them)"))?;
    let article = article_of(&record)?;
    if json_out {
        crate::emit(&format!("{}\n", serde_json::to_string_pretty(&article_json(&article))?))?;
    } else {
        crate::emit(&article.to_markdown())?;
    }
    Ok(ExitCode::SUCCESS)
}

/// `verify ARTICLE.json`: 0 when every claim is on the article's fact sheet, 1 with the
/// violations listed otherwise.
pub(crate) fn verify_file(
    path: &Path,
    linker: Option<&Linker>,
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let article: Article = serde_json::from_str(&text).with_context(|| {
        format!("{} is not an article (the JSON of `marketdesk show SLUG --json`)", path.display())
    })?;
    let published = [eastern_day(article.published_at), eastern_day(article.updated_at)];
    let violations = verify(&article.draft(), &article.fact_sheet, &published, linker);
    let mut out = String::new();
    if json_out {
        writeln!(out, "{}", json!({"ok": violations.is_empty(), "violations": violations}))?;
    } else {
        for v in &violations {
            writeln!(out, "{}: {v}", path.display())?;
        }
        if violations.is_empty() {
            writeln!(
                out,
                "{}: every figure, ticker, company, person and date is on the fact sheet ({})",
                path.display(),
                reading_label(article.reading_minutes)
            )?;
        }
    }
    crate::emit(&out)?;
    Ok(if violations.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

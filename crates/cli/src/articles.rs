//! `write`, `articles`, `show` and `verify`: the writing agents over the store.

use std::{collections::BTreeMap, fmt::Write as _, path::Path, process::ExitCode};

use anyhow::Context;
use jiff::{Timestamp, civil::Date};
use marketdesk_core::Cik;
use marketdesk_desks::insider::{Config as DeskConfig, Signal};
use marketdesk_linker::Linker;
use marketdesk_store::{ArticleRecord, Saved, Store};
use marketdesk_writer::{
    Article, FactSheet, FilingFootnote, NewsEvent, Persona, PriceContext, SignalContext, dateline,
    kind_name,
    llm::{LlmConfig, LlmWriter},
    reading_label, roster, slugify, verify, write_deterministic,
};
use serde::Serialize;
use serde_json::json;

use crate::signals::desk_signals;

/// What `write` did.
#[derive(Debug, Default, Serialize)]
pub(crate) struct WriteSummary {
    /// Signals at or above the threshold.
    pub(crate) signals: usize,
    /// News events with a sector effect.
    pub(crate) events: usize,
    /// Articles written for the first time.
    pub(crate) new: usize,
    /// New revisions (the facts changed).
    pub(crate) revised: usize,
    /// Stories whose facts had not changed.
    pub(crate) unchanged: usize,
    /// Articles a model wrote and verification accepted.
    pub(crate) by_model: usize,
}

impl std::fmt::Display for WriteSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} signals above the threshold and {} news events with a sector effect: {} new articles, {} revised, {} unchanged",
            self.signals, self.events, self.new, self.revised, self.unchanged
        )?;
        if self.by_model > 0 {
            write!(f, " ({} written by the model)", self.by_model)?;
        }
        Ok(())
    }
}

/// The personas that write: the shipped roster, or only `only`.
fn personas(only: Option<&str>) -> anyhow::Result<Vec<Persona>> {
    let all = roster()?;
    match only {
        None => Ok(all),
        Some(slug) => {
            let known: Vec<&str> = all.iter().map(|p| p.slug.as_str()).collect();
            let found: Vec<Persona> = all.iter().filter(|p| p.slug == slug).cloned().collect();
            anyhow::ensure!(!found.is_empty(), "no persona {slug:?}; the roster has {known:?}");
            Ok(found)
        }
    }
}

/// What the store knows around a signal: form types, the footnotes on its trade rows, and
/// split-adjusted closes at the trade and the latest.
async fn context(store: &Store, signal: &Signal) -> anyhow::Result<SignalContext> {
    let mut context = SignalContext::default();
    for accession in &signal.accessions {
        let Some(filing) = store.ownership_filing(accession).await? else { continue };
        context.forms.push((accession.clone(), filing.document_type.clone()));
        context.signatures.extend(filing.signatures.iter().filter_map(|s| s.name.clone()));
        let mut ids: Vec<&str> = filing
            .non_derivative_transactions
            .iter()
            .filter(|t| {
                t.transaction_code
                    .as_deref()
                    .is_some_and(|c| signal.transaction_codes.iter().any(|s| s == c))
            })
            .flat_map(|t| t.footnote_refs.footnote_ids.iter().map(String::as_str))
            .collect();
        ids.sort_unstable();
        ids.dedup();
        for id in ids {
            if let Some(text) = filing.footnotes.get(id) {
                context.footnotes.push(FilingFootnote {
                    accession: accession.clone(),
                    id: id.to_owned(),
                    text: text.to_owned(),
                });
            }
        }
    }
    if let Some(ticker) = &signal.ticker {
        let from =
            signal.end_date.checked_sub(jiff::Span::new().days(7)).unwrap_or(signal.end_date);
        let bars = store.daily_bars(ticker, from, Date::MAX).await?;
        let at_trade = bars.iter().rev().find(|b| b.date <= signal.end_date);
        if let (Some(at), Some(latest)) = (at_trade, bars.last())
            && latest.date > at.date
        {
            context.price = Some(PriceContext {
                source: format!("Daily closing prices for {ticker} (split-adjusted)"),
                at_trade: (at.date, at.close),
                latest: (latest.date, latest.close),
            });
        }
    }
    Ok(context)
}

/// A slug not yet taken: the headline's words, then `-2`, `-3`, ...
async fn free_slug(store: &Store, headline: &str, day: Date) -> anyhow::Result<String> {
    let base = format!("{}-{}", slugify(headline, 64), day);
    let mut slug = base.clone();
    let mut n = 1;
    while store.slug_taken(&slug).await? {
        n += 1;
        slug = format!("{base}-{n}");
    }
    Ok(slug)
}

/// The writers of one `write` run: the model when configured (with the linker its drafts are
/// checked with), the deterministic writer always.
struct Desk<'a> {
    store: &'a Store,
    llm: Option<LlmWriter>,
    linker: Linker,
    now: Timestamp,
}

impl Desk<'_> {
    /// Writes (or revises) `persona`'s article about `story` from `sheet`, unless the stored one
    /// has the same facts.
    async fn publish(
        &self,
        persona: &Persona,
        story: String,
        sheet: FactSheet,
        day: Date,
        summary: &mut WriteSummary,
    ) -> anyhow::Result<()> {
        let store = self.store;
        let existing = store.article_for_story(&persona.slug, &story).await?;
        let digest = sheet.digest();
        if existing.as_ref().is_some_and(|a| a.digest == digest) {
            summary.unchanged += 1;
            return Ok(());
        }
        let published = [eastern_day(self.now)];
        let (draft, writer) = match &self.llm {
            Some(llm) => {
                let Some(outcome) =
                    llm.write(&sheet, persona, &published, Some(&self.linker)).await
                else {
                    return Ok(());
                };
                for note in &outcome.notes {
                    tracing::warn!(story, "model writer: {note}");
                }
                (outcome.draft, outcome.writer)
            }
            None => match write_deterministic(&sheet, persona) {
                Some(d) => (d, "deterministic".to_owned()),
                None => return Ok(()),
            },
        };
        if writer.starts_with("llm:") {
            summary.by_model += 1;
        }
        let slug = match &existing {
            Some(a) => a.slug.clone(),
            None => free_slug(store, &draft.headline, day).await?,
        };
        let published_at = existing.as_ref().map_or(self.now, |a| a.published_at);
        let mut article =
            Article::assemble(slug, draft, persona.reference(), sheet, published_at, writer);
        article.revision = existing.as_ref().map_or(1, |a| a.revision + 1);
        article.updated_at = self.now;
        let record = ArticleRecord {
            slug: article.slug.clone(),
            persona: persona.slug.clone(),
            story,
            digest,
            revision: article.revision,
            headline: article.headline.clone(),
            published_at: article.published_at,
            updated_at: article.updated_at,
            tickers: article.tickers.clone(),
            body: serde_json::to_string(&article)?,
        };
        let saved = store.save_article(&record).await?;
        store.index_article_record(&record).await?;
        match saved {
            Saved::New => summary.new += 1,
            Saved::Revised => summary.revised += 1,
        }
        Ok(())
    }

    /// Insider articles: one story per issuer and day, the strongest signal first.
    async fn insider_stories(
        &self,
        persona: &Persona,
        found: &[Signal],
        summary: &mut WriteSummary,
    ) -> anyhow::Result<()> {
        let mut stories: BTreeMap<(Cik, Date), Vec<&Signal>> = BTreeMap::new();
        for s in found.iter().filter(|s| persona.covers_signal(kind_name(s.kind))) {
            stories.entry((s.issuer_cik, s.end_date)).or_default().push(s);
        }
        for ((issuer, day), signals) in stories {
            let mut sheets = Vec::with_capacity(signals.len());
            for s in &signals {
                sheets.push(FactSheet::from_signal(s, &context(self.store, s).await?));
            }
            let sheet = match sheets.len() {
                1 => sheets.remove(0),
                _ => FactSheet::roundup(sheets),
            };
            self.publish(persona, format!("insider:{issuer}:{day}"), sheet, day, summary).await?;
        }
        Ok(())
    }

    /// News articles: one per event whose lead report moves a sector on the persona's beat.
    async fn news_stories(
        &self,
        persona: &Persona,
        events: &[NewsEvent],
        summary: &mut WriteSummary,
    ) -> anyhow::Result<()> {
        for event in events.iter().filter(|e| persona.covers_topic(&e.facts.topic)) {
            let sheet = FactSheet::from_event(event);
            let day = sheet.as_of;
            self.publish(persona, format!("news:{}", event.key), sheet, day, summary).await?;
        }
        Ok(())
    }
}

/// `write [--since] [--persona] [--min-score]`.
pub(crate) async fn write(
    store: &Store,
    since: Option<Date>,
    persona: Option<&str>,
    min_score: f64,
    now: Timestamp,
) -> anyhow::Result<WriteSummary> {
    let personas = personas(persona)?;
    let llm = LlmConfig::from_vars(|k| std::env::var(k).ok())
        .map(LlmWriter::new)
        .transpose()
        .context("setting up the model client")?;
    let linker = crate::link::linker_in(Some(store)).await?;
    let mut found = desk_signals(store, since, None, &DeskConfig::default()).await?;
    found.retain(|s| s.score >= min_score);
    let events = crate::news::events(store, &linker, since).await?;
    let mut summary =
        WriteSummary { signals: found.len(), events: events.len(), ..WriteSummary::default() };
    let desk = Desk { store, llm, linker, now };
    for persona in &personas {
        desk.insider_stories(persona, &found, &mut summary).await?;
        desk.news_stories(persona, &events, &mut summary).await?;
    }
    Ok(summary)
}

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

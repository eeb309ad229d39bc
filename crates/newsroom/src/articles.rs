//! The writing agents over the store: fact sheets with their context, drafts (the model's,
//! verified, or the deterministic writer's), and articles saved with their revisions.

use std::collections::BTreeMap;

use jiff::{Timestamp, civil::Date};
use marketdesk_core::Cik;
use marketdesk_desks::insider::{Config as DeskConfig, Signal};
use marketdesk_linker::Linker;
use marketdesk_store::{ArticleRecord, Saved, Store};
use marketdesk_writer::{
    Article, FactSheet, FilingFootnote, NewsEvent, Persona, PriceContext, SignalContext, kind_name,
    llm::{LlmConfig, LlmWriter},
    roster, slugify, write_deterministic,
};
use serde::Serialize;

use crate::{Error, Result, signals::desk_signals};

/// What `write` did.
#[derive(Debug, Default, Serialize)]
pub struct WriteSummary {
    /// Signals at or above the threshold.
    pub signals: usize,
    /// News events with a sector effect.
    pub events: usize,
    /// Articles written for the first time.
    pub new: usize,
    /// New revisions (the facts changed).
    pub revised: usize,
    /// Stories whose facts had not changed.
    pub unchanged: usize,
    /// Articles a model wrote and verification accepted.
    pub by_model: usize,
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
fn personas(only: Option<&str>) -> Result<Vec<Persona>> {
    let all = roster()?;
    match only {
        None => Ok(all),
        Some(slug) => {
            let known: Vec<&str> = all.iter().map(|p| p.slug.as_str()).collect();
            let found: Vec<Persona> = all.iter().filter(|p| p.slug == slug).cloned().collect();
            if found.is_empty() {
                return Err(Error::UnknownPersona {
                    slug: slug.to_owned(),
                    known: known.iter().map(|k| (*k).to_owned()).collect(),
                });
            }
            Ok(found)
        }
    }
}

/// What the store knows around a signal: form types, the footnotes on its trade rows, and
/// split-adjusted closes at the trade and the latest.
async fn context(store: &Store, signal: &Signal) -> Result<SignalContext> {
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
async fn free_slug(store: &Store, headline: &str, day: Date) -> Result<String> {
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
    linker: &'a Linker,
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
    ) -> Result<()> {
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
                let Some(outcome) = llm.write(&sheet, persona, &published, Some(self.linker)).await
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
    ) -> Result<()> {
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
    ) -> Result<()> {
        for event in events.iter().filter(|e| persona.covers_topic(&e.facts.topic)) {
            let sheet = FactSheet::from_event(event);
            let day = sheet.as_of;
            self.publish(persona, format!("news:{}", event.key), sheet, day, summary).await?;
        }
        Ok(())
    }
}

/// Writes articles: for the insider signals scoring at least `min_score` whose last trade is
/// on or after `since`, one per persona, issuer and day (a roundup when several), and for each
/// news event with a sector effect, one by the persona whose beat covers its topic. A story
/// whose fact sheet is unchanged is left alone; a changed one gets a new revision. With `llm`,
/// drafts come from the model and are verified (checked against `linker` for companies).
pub async fn write(
    store: &Store,
    linker: &Linker,
    llm: Option<LlmConfig>,
    since: Option<Date>,
    persona: Option<&str>,
    min_score: f64,
    now: Timestamp,
) -> Result<WriteSummary> {
    let personas = personas(persona)?;
    let llm = llm.map(LlmWriter::new).transpose()?;
    let mut found = desk_signals(store, since, None, &DeskConfig::default()).await?;
    found.retain(|s| s.score >= min_score);
    let events = crate::feeds::events(store, linker, since).await?;
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

//! Articles: what a writer drafts, and the stored, published form with its links and sources.

use std::fmt::Write as _;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::{FactSheet, PersonaRef, Source, dateline, names, reading_label, reading_minutes};

/// What a writer (deterministic or a model) produces: text only.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// The headline.
    pub headline: String,
    /// The line under it.
    pub dek: String,
    /// The body.
    pub sections: Vec<DraftSection>,
}

/// A titled section of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftSection {
    /// Its heading.
    pub heading: String,
    /// Its paragraphs, plain text.
    pub paragraphs: Vec<String>,
}

/// A company mention in a paragraph, linked to its ticker page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// Index of the paragraph in its section.
    pub paragraph: usize,
    /// UTF-8 byte offset of the mention.
    pub start: usize,
    /// Just past it.
    pub end: usize,
    /// The company's ticker.
    pub ticker: String,
}

/// A titled section of an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Section {
    /// Its heading.
    pub heading: String,
    /// Its paragraphs, plain text.
    pub paragraphs: Vec<String>,
    /// Company mentions, the first of each company in the section.
    #[serde(default)]
    pub links: Vec<Link>,
}

/// A written article, as stored and published.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Its address: `/articles/<slug>`.
    pub slug: String,
    /// The headline.
    pub headline: String,
    /// The line under it.
    pub dek: String,
    /// The AI agent that wrote it.
    pub persona: PersonaRef,
    /// When it was first published.
    pub published_at: Timestamp,
    /// When this revision was written (equal to `published_at` for the first).
    pub updated_at: Timestamp,
    /// 1 for the first version; higher when the facts changed.
    pub revision: u32,
    /// Minutes to read at 230 words a minute, rounded up.
    pub reading_minutes: usize,
    /// The body.
    pub sections: Vec<Section>,
    /// The tickers it covers.
    pub tickers: Vec<String>,
    /// Where every fact comes from.
    pub sources: Vec<Source>,
    /// The facts it was written from.
    pub fact_sheet: FactSheet,
    /// `deterministic`, or `llm:<model>` for a verified model draft.
    pub writer: String,
}

/// Lower-case words joined by dashes, at most `max` bytes, cut at a word boundary.
pub fn slugify(text: &str, max: usize) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
    {
        if !out.is_empty() && out.len() + 1 + word.len() > max {
            break;
        }
        if !out.is_empty() {
            out.push('-');
        }
        out.push_str(&word);
    }
    out.truncate(max);
    out
}

/// Where the companies of `sheet` are named in `text`: (start, end, ticker), non-overlapping,
/// at word boundaries, longest name first. Only companies on the sheet are ever linked, so a
/// common word can never become a ticker.
pub fn find_mentions(text: &str, sheet: &FactSheet) -> Vec<(usize, usize, String)> {
    let mut surfaces: Vec<(String, &str)> = Vec::new();
    for e in sheet.entities.iter().filter(|e| e.kind == "company") {
        let Some(ticker) = e.detail.as_deref() else { continue };
        for s in [e.display.clone(), names::company_short(&e.display), e.name.clone()] {
            if s.len() >= 2 && !surfaces.iter().any(|(x, _)| *x == s) {
                surfaces.push((s, ticker));
            }
        }
    }
    surfaces.sort_by_key(|s| std::cmp::Reverse(s.0.len()));
    let mut found: Vec<(usize, usize, String)> = Vec::new();
    for (surface, ticker) in &surfaces {
        for (start, _) in text.match_indices(surface.as_str()) {
            let end = start + surface.len();
            let boundary_before =
                text[..start].chars().next_back().is_none_or(|c| !c.is_alphanumeric());
            let boundary_after = text[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
            let free = found.iter().all(|(s, e, _)| end <= *s || start >= *e);
            if boundary_before && boundary_after && free {
                // The chip follows a possessive: "Tesla's [TSLA]", not "Tesla [TSLA]'s".
                let end = if text[end..].starts_with("'s") {
                    end + 2
                } else if text[end..].starts_with('\'') && surface.ends_with('s') {
                    end + 1
                } else {
                    end
                };
                found.push((start, end, (*ticker).to_owned()));
            }
        }
    }
    found.sort_by_key(|m| m.0);
    found
}

fn words(text: &str) -> usize {
    text.split_whitespace().count()
}

impl Article {
    /// Makes the published article from a draft: links the sheet's companies (the first mention
    /// of each per section), counts the reading time and carries the sources.
    pub fn assemble(
        slug: String,
        draft: Draft,
        persona: PersonaRef,
        sheet: FactSheet,
        published_at: Timestamp,
        writer: String,
    ) -> Article {
        let mut word_count = words(&draft.headline) + words(&draft.dek);
        let sections = draft
            .sections
            .into_iter()
            .map(|s| {
                let mut links: Vec<Link> = Vec::new();
                for (i, p) in s.paragraphs.iter().enumerate() {
                    word_count += words(p);
                    for (start, end, ticker) in find_mentions(p, &sheet) {
                        if !links.iter().any(|l| l.ticker == ticker) {
                            links.push(Link { paragraph: i, start, end, ticker });
                        }
                    }
                }
                word_count += words(&s.heading);
                Section { heading: s.heading, paragraphs: s.paragraphs, links }
            })
            .collect();
        Article {
            slug,
            headline: draft.headline,
            dek: draft.dek,
            persona,
            published_at,
            updated_at: published_at,
            revision: 1,
            reading_minutes: reading_minutes(word_count),
            sections,
            tickers: sheet.tickers.clone(),
            sources: sheet.sources.clone(),
            fact_sheet: sheet,
            writer,
        }
    }

    /// The text a writer produced, without links: what verification reads.
    pub fn draft(&self) -> Draft {
        Draft {
            headline: self.headline.clone(),
            dek: self.dek.clone(),
            sections: self
                .sections
                .iter()
                .map(|s| DraftSection {
                    heading: s.heading.clone(),
                    paragraphs: s.paragraphs.clone(),
                })
                .collect(),
        }
    }

    /// The article as Markdown: linked mentions carry their ticker (`Tesla, Inc.
    /// ([TSLA](/tickers/TSLA))`), sources at the end.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# {}\n\n_{}_\n", self.headline, self.dek);
        let _ = writeln!(
            out,
            "Generated by AI Agent {} · {} · {}\n",
            self.persona.name,
            dateline(self.published_at),
            reading_label(self.reading_minutes)
        );
        for s in &self.sections {
            let _ = writeln!(out, "## {}\n", s.heading);
            for (i, p) in s.paragraphs.iter().enumerate() {
                let mut pos = 0;
                for l in s.links.iter().filter(|l| l.paragraph == i) {
                    let (Some(before), Some(name)) = (p.get(pos..l.start), p.get(l.start..l.end))
                    else {
                        continue;
                    };
                    let _ = write!(out, "{before}{name} ([{0}](/tickers/{0}))", l.ticker);
                    pos = l.end;
                }
                let _ = writeln!(out, "{}\n", p.get(pos..).unwrap_or_default());
            }
        }
        out.push_str("## Sources\n\n");
        for s in &self.sources {
            let _ = writeln!(out, "- [{}]({})", s.title, s.url);
        }
        if self.revision > 1 {
            let _ = writeln!(
                out,
                "\n_Revision {}, updated {}._",
                self.revision,
                dateline(self.updated_at)
            );
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SignalContext, testing::signal};

    #[test]
    fn slugs_are_short_and_plain() {
        assert_eq!(
            slugify("Elon Musk buys $10.0 million of Tesla, Inc.", 40),
            "elon-musk-buys-10-0-million-of-tesla-inc"
        );
        assert_eq!(slugify("Ünïcode — only", 20), "n-code-only");
    }

    #[test]
    fn only_the_sheets_companies_are_linked() {
        let sheet = FactSheet::from_signal(&signal(), &SignalContext::default());
        let text = "Tesla, Inc. shares rose; Tesla's cars sell, a Teslacoil does not; Apple is not on the sheet.";
        let found = find_mentions(text, &sheet);
        let names: Vec<&str> = found.iter().map(|(s, e, _)| &text[*s..*e]).collect();
        assert_eq!(names, ["Tesla, Inc.", "Tesla's"]);
        assert!(found.iter().all(|m| m.2 == "TSLA"));
    }
}

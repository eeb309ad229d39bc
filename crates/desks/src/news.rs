//! The news-impact desk: what a headline says about which US-listed sectors, and one cluster
//! per event however many outlets report it.
//!
//! [`analyse`] reads a headline (optionally followed by " — " and a description) and returns an
//! [`EventAnalysis`]: a [`Topic`], at most three [`SectorImpact`]s (sector, `+`/`-`/`mixed`, a
//! one-line reason and representative companies), and the countries, organisations and people
//! named. [`evaluate`] scores it against labelled JSON Lines. [`simhash`] and [`Clusterer`]
//! group near-duplicate and reworded headlines (SimHash with LSH banding for near copies, then
//! a MinHash sketch with a Jaccard check for rewrites; the clustering module explains why the
//! second stage is needed).
//!
//! # The knowledge base is data
//!
//! Everything the desk knows is in `data/sectors/knowledge.toml` (the sectors, their companies,
//! trigger words and rules, each effect with its reason; its header documents the layout) and
//! `data/gazetteer/` (countries with demonyms and capitals, organisations, leaders' names). Both
//! are compiled in and parsed once ([`KnowledgeBase::shipped`]);
//! [`KnowledgeBase::from_toml`] loads another for tests or configuration. Every term goes into
//! one Aho-Corasick automaton (leftmost-longest over the normalised text, whole words only, a
//! `*` for word endings), so a headline is read in one pass.
//!
//! # How a headline becomes sectors
//!
//! The rules are the shared sector set's labelling rules (`shared/data/sectors/README.md`):
//! first-order effects only, at most three sectors, the direction being the expected move of
//! US-listed equities.
//!
//! 1. **Normalise** ([`clean`]): zero-width characters (U+200B, U+200C, ...) out, " - Reuters"
//!    and other source suffixes, datelines ("LONDON (Reuters) -") and desk labels
//!    ("EXCLUSIVE:") stripped, accents folded, lower case. The headline is segment 0; each
//!    description sentence after " — " is another, and weighs 0.75 of the headline.
//! 2. **Rules** fire on phrases: defence spending and arms deliveries (Defense/Aerospace `+`, a
//!    cut `-`, an adversary's own budget nothing), attacks whose actor is an adversary state or
//!    group (`+`, except in casualty reports), peace and de-escalation signals (`-`, unless
//!    they collapse), the rate path (hawkish: Financials `+`, Real Estate and Utilities `-`;
//!    dovish: the reverse; "rules out a hike": nothing), cyber incidents and security rules
//!    (Cybersecurity `+`, the named victim's sector `-`), chip sales to China and export
//!    controls, bans on Chinese network vendors, drug approvals.
//! 3. **Commodities**: a commodity word with a price move said of it ("oil prices rise",
//!    "boost oil output"), a supply shock ("disruption", "blockade", "refinery attack") or a
//!    relief ("reopens", "reserve release", "pass through") in its segment moves the producing
//!    sector with the price and the paying sector against it (oil: Energy / Consumer when
//!    households are mentioned; jet fuel: Energy / airlines; helium: Materials / Technology;
//!    food: Agriculture / Consumer). A move said of a supply noun is turned round ("exports
//!    drop" is a higher price), and sanctions or a blockade on a producing country count as a
//!    shock of its commodity. "No damage", "not concerned", "supply is enough" stop all of it;
//!    casualty words and a legal aftermath ("suspect detained") stop physical incidents.
//! 4. **Tariffs**: new tariffs on US goods (retaliation, or a foreign country imposing them)
//!    hit the goods' producers (a raft of sectors: manufacturing and agriculture); US tariffs
//!    protect home producers of protected goods (steel, farm goods) and cost their users, and
//!    hit US importers of the rest (autos, chips, drugs); relief reverses each. Hedged stories
//!    ("urges", "weighs") are not decisions.
//! 5. **Performance**: a company or sector noun with words about how it fared ("beats", "recall",
//!    "shares jump") moves its sector; a company needs a results word ("shares", "profit") for a
//!    plain move to count.
//!
//! Evidence is summed per sector; opposite directions cancel, an explicit `mixed` (a producer
//! that is its own customer, as with chip prices) wins when larger. Sectors below a minimum, or
//! below 30% of the strongest, are dropped; the rest are reported strongest first.
//!
//! Company mentions are the linker's job: [`KnowledgeBase::analyse_with`] takes them and passes
//! them through.
//!
//! Every function here is pure: no I/O, no clock, no store. The analyser allocates a few small
//! vectors per text; the clusterer's tables are fixed-size slot arrays with chains through the
//! items, so adding an item allocates only the item. On the development machine (one core of a
//! small VM) 100,000 headlines analyse in about 0.3 s and cluster in about 0.5 s; speed is
//! measured by `marketdesk bench`, never by a test.

mod analyse;
mod cluster;
mod eval;
mod kb;
mod text;

pub use analyse::{EventAnalysis, SectorImpact};
pub use cluster::{ClusterConfig, Clusterer, hamming, simhash};
pub use eval::{EvalError, ItemResult, LineError, Prf, SectorReport, SectorScore, evaluate_with};
pub use kb::{Company, Direction, KbError, KnowledgeBase, Sector, Topic};
pub use text::clean;

/// Analyses a headline with the shipped knowledge base; see [`KnowledgeBase::analyse`].
pub fn analyse(text: &str) -> EventAnalysis {
    KnowledgeBase::shipped().analyse(text)
}

/// Scores the shipped knowledge base against gold JSON Lines: one object per line with `id`,
/// `text` and `sectors` (sector name to `"+"`, `"-"` or `"mixed"`, the primary first; `{}` for
/// no effect; other fields ignored). Bad lines are reported with their line numbers in
/// [`SectorReport::errors`] and the rest are scored; an error only when no line is usable.
pub fn evaluate(gold_jsonl: &str) -> Result<SectorReport, EvalError> {
    evaluate_with(KnowledgeBase::shipped(), gold_jsonl)
}

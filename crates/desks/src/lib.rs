//! The desks: decisions about what deserves attention, made from stored filings.
//!
//! [`insider`] is the insider desk: open-market purchases, cluster buys, large sales and cluster
//! sales from Forms 4, scored, with routine traders and 10b5-1 plans weighing less.
//!
//! [`holdings`] is the 13F desk: a manager's positions for a quarter (amendments applied,
//! rows of the same issue summed), compared with the quarter before (new, exited, increased,
//! decreased), with top holdings and concentration.
//!
//! [`news`] is the news-impact desk: a headline's topic, the US-listed sectors it moves (with
//! direction, reason and representative companies) and the entities it names, from a knowledge
//! base kept as data; its evaluation against labelled headlines; and near-duplicate clustering.
//!
//! Every function is pure: filings in, decisions out. No I/O, no store, no clock.

pub mod holdings;
pub mod insider;
pub mod news;

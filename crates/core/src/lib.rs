//! marketdesk's domain model.
//!
//! This crate owns the plain data types that cross stage boundaries: the identifiers EDGAR uses
//! ([`Cik`], [`Accession`]) and an insider filing on Forms 3, 4 and 5 ([`OwnershipFiling`]) with
//! its owners, transactions, holdings and footnotes; daily price bars ([`DailyBar`]) and the change
//! shown beside a ticker ([`change_as_of`]). Every type is a serde struct whose JSON form
//! is the documented `marketdesk parse` output.
//!
//! It must not do I/O, know about storage or HTTP, or depend on any other marketdesk crate.

mod holdings;
mod ids;
mod num;
mod ownership;
mod quote;
pub mod style;
mod time;

pub use holdings::{
    AmendmentType, InvestmentDiscretion, Position, PutCall, ReportType, ShareType, ThirteenF,
    ValueUnit,
};
pub use ids::{Accession, Cik, IdError};
pub use ownership::{
    AcquiredDisposed, DerivativeTerms, Footnote, FootnoteRefs, Footnotes, Holding, Issuer,
    OwnedAfter, OwnershipFiling, PriceSource, ReportingOwner, Signature, Transaction,
};
pub use quote::{Change, DailyBar, change_as_of, format_change};
pub use time::{NEW_YORK, eastern};

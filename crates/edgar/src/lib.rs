//! The EDGAR source: everything marketdesk reads from the SEC's EDGAR system.
//!
//! - [`parse_ownership`] turns one Form 3, 4 or 5 document into an
//!   [`OwnershipFiling`](marketdesk_core::OwnershipFiling): bare ownership XML, EDGAR's full
//!   submission text (`.txt`, an SEC header then `<XML>` blocks) or the dissemination feed's SGML
//!   (`.nc`), every schema version from X0203 to X0609.
//! - [`Documents`] walks files, directories and `.zip` archives and yields their bytes.
//! - [`index`] reads EDGAR's daily and quarterly form indexes.
//! - `fetch` (feature `fetch`) is the only networked part: an HTTP client that declares the
//!   operator in its User-Agent, stays under EDGAR's fair-access rate and backs off on refusals.
//!
//! Parsing is a pure function of the input bytes: no I/O, no clock, no global state, and it never
//! panics (a fuzz target in `fuzz/` holds it to that). This crate must not know about the store.

mod container;
mod error;
mod footnote;
pub mod index;
mod ownership;
mod scalar;
mod source;
mod thirteen_f;
mod xml;

#[cfg(feature = "fetch")]
pub mod fetch;

pub use container::{Container, SecHeader, accession_in_path};
pub use error::Error;
pub use ownership::parse_ownership;
pub use source::{Document, Documents, SourceError};
pub use thirteen_f::{DocumentKind, detect, parse_thirteen_f};

//! The one way parsing fails: nothing in the input is recognisable as a feed.

use crate::Position;

/// Nothing in the input is recognisable as a feed. Anything less (bad items, bad dates, a
/// document cut short) is a [`Problem`](crate::Problem) on a [`ParsedFeed`](crate::ParsedFeed).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FeedError {
    /// The input is not RSS, Atom or JSON Feed.
    #[error("{name}: not a feed ({position}): {reason}")]
    NotAFeed {
        /// The source the caller named (a file path or URL).
        name: String,
        /// Where the decision was made (the root element, the JSON error, the end of input).
        position: Position,
        /// Why.
        reason: String,
    },
}

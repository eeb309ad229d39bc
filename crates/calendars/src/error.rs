//! The ways reading a calendar fails outright.

/// The input cannot be read as a calendar at all. Anything less (a bad event, an unknown time
/// zone) is a [`Problem`](crate::Problem) on the [`Calendar`](crate::Calendar).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The text has no `BEGIN:VCALENDAR`.
    #[error("{name}: not an iCalendar file (no BEGIN:VCALENDAR)")]
    NotICalendar {
        /// The source the caller named.
        name: String,
    },
    /// The bytes are not text, even read leniently (NUL bytes outside a UTF-16 file).
    #[error("{name}: not UTF-8 text (NUL byte at offset {offset})")]
    NotText {
        /// The source the caller named.
        name: String,
        /// The byte offset of the first NUL.
        offset: usize,
    },
}

/// Why a document could not be read as a filing.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input holds no ownership document (`<ownershipDocument>`).
    #[error("not an ownership filing: {0}")]
    NotAFiling(String),
    /// The ownership XML is malformed.
    #[error("malformed XML at line {line}, column {column}: {message}")]
    Xml {
        /// 1-based line within the XML block.
        line: u32,
        /// 1-based column.
        column: u32,
        /// What the XML parser reported.
        message: String,
    },
    /// A field every filing must have is missing.
    #[error("missing required field {0}")]
    MissingField(&'static str),
    /// A field holds a value that cannot be read.
    #[error("invalid {field}: {value:?}")]
    InvalidField {
        /// The XML element.
        field: &'static str,
        /// The text found there.
        value: String,
    },
}

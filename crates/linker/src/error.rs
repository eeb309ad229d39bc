//! The errors of this crate: malformed reference, alias or evaluation input.

/// Why reference data, an alias file or an evaluation file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum LinkerError {
    /// The SEC list (or the market-cap ordered list) is not the JSON it should be.
    #[error("SEC company list is not valid JSON: {0}")]
    ReferenceJson(#[source] serde_json::Error),
    /// The SEC list parsed as JSON but lacks a field or has a bad value.
    #[error("SEC company list: {0}")]
    ReferenceFormat(String),
    /// The alias file (or the shipped exchange-traded product list) is not valid TOML.
    #[error("{file} is not valid TOML: {source}")]
    Toml {
        /// Which file.
        file: &'static str,
        /// The parser's complaint.
        #[source]
        source: toml::de::Error,
    },
    /// The alias file has a section this crate does not know.
    #[error("alias file: unknown section [{0}]")]
    AliasSection(String),
    /// The name automaton could not be built (too many patterns for aho-corasick).
    #[error("cannot build the name automaton: {0}")]
    Automaton(#[source] aho_corasick::BuildError),
    /// A line of an evaluation file is not the expected JSON object.
    #[error("evaluation file line {line}: {source}")]
    EvalLine {
        /// 1-based line number.
        line: usize,
        /// The JSON error.
        #[source]
        source: serde_json::Error,
    },
}

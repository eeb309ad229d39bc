use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};

/// Why a string is not a valid identifier.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IdError {
    /// A CIK has one to ten digits.
    #[error("invalid CIK {0:?}: expected 1 to 10 digits")]
    Cik(String),
    /// An accession number is `0000000000-00-000000` or 18 digits.
    #[error("invalid accession number {0:?}: expected 0000000000-00-000000")]
    Accession(String),
}

/// SEC Central Index Key, always shown as ten zero-padded digits.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cik(u64);

impl Cik {
    /// Parses `320193` or `0000320193`; surrounding whitespace is ignored.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let t = s.trim();
        if t.is_empty() || t.len() > 10 || !t.bytes().all(|b| b.is_ascii_digit()) {
            return Err(IdError::Cik(s.to_owned()));
        }
        t.parse().map(Cik).map_err(|_| IdError::Cik(s.to_owned()))
    }

    /// The number without padding, as EDGAR's archive paths use it.
    pub fn get(self) -> u64 {
        self.0
    }
}

impl From<u32> for Cik {
    fn from(n: u32) -> Self {
        Cik(u64::from(n))
    }
}

impl fmt::Display for Cik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:010}", self.0)
    }
}

impl fmt::Debug for Cik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Cik({self})")
    }
}

impl Serialize for Cik {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Cik {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        Cik::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// The id of one EDGAR submission.
///
/// Normally EDGAR's `0000000000-00-000000` (filer-agent CIK, year, sequence). A document that
/// carries no accession anywhere gets `hash:` followed by a digest of its content, so that
/// re-ingesting the same bytes is still idempotent.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Accession(String);

impl Accession {
    /// Parses `0001127602-25-001055` or its 18-digit form without dashes.
    pub fn parse(s: &str) -> Result<Self, IdError> {
        let t = s.trim();
        let b = t.as_bytes();
        let digits = |r: &[u8]| r.iter().all(u8::is_ascii_digit);
        if b.len() == 20 && b[10] == b'-' && b[13] == b'-' {
            if digits(&b[..10]) && digits(&b[11..13]) && digits(&b[14..]) {
                return Ok(Accession(t.to_owned()));
            }
        } else if b.len() == 18 && digits(b) {
            return Ok(Accession(format!("{}-{}-{}", &t[..10], &t[10..12], &t[12..])));
        }
        Err(IdError::Accession(s.to_owned()))
    }

    /// An accession for a document that names none, from a hex digest of its content.
    pub fn from_content_digest(hex: &str) -> Self {
        Accession(format!("hash:{hex}"))
    }

    /// True for a real EDGAR accession number, false for a content hash.
    pub fn is_edgar(&self) -> bool {
        !self.0.starts_with("hash:")
    }

    /// The accession as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The 18 digits EDGAR uses in archive folder names, for EDGAR accessions.
    pub fn folder_digits(&self) -> Option<String> {
        self.is_edgar().then(|| self.0.replace('-', ""))
    }
}

impl fmt::Display for Accession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Accession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Accession({})", self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cik_pads_to_ten_digits() {
        assert_eq!(Cik::parse("320193").map(|c| c.to_string()), Ok("0000320193".to_owned()));
        assert_eq!(Cik::parse(" 0000001750 ").map(|c| c.get()), Ok(1750));
        assert!(Cik::parse("").is_err());
        assert!(Cik::parse("12345678901").is_err());
        assert!(Cik::parse("12a").is_err());
    }

    #[test]
    fn accession_accepts_both_forms() {
        let a = Accession::parse("0001127602-25-001055").map(|a| a.to_string());
        assert_eq!(a, Ok("0001127602-25-001055".to_owned()));
        let b = Accession::parse("000112760225001055").map(|a| a.to_string());
        assert_eq!(b, Ok("0001127602-25-001055".to_owned()));
        assert!(Accession::parse("0001127602-25-00105").is_err());
        assert!(Accession::parse("000112760x-25-001055").is_err());
        assert!(!Accession::from_content_digest("ab").is_edgar());
    }
}

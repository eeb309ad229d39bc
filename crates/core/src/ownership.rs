//! An insider filing on Form 3, 4 or 5 (and their amendments), as EDGAR's ownership XML states it.
//!
//! Values are kept as filed: nothing here is adjusted, inferred across filings or deduplicated.
//! Missing values are `None` (JSON `null`), never zero.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize, ser::SerializeMap};

use crate::{Accession, Cik};

/// One Form 3, 4 or 5 submission.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OwnershipFiling {
    /// EDGAR accession number (or a content hash when the document names none).
    pub accession: Accession,
    /// Ownership XML schema version, e.g. `X0508`.
    pub schema_version: Option<String>,
    /// `3`, `3/A`, `4`, `4/A`, `5` or `5/A`.
    pub document_type: String,
    /// The date of the earliest transaction the filing reports.
    pub period_of_report: Option<Date>,
    /// On amendments: when the amended filing was submitted.
    pub date_of_original_submission: Option<Date>,
    /// Filing date from the SEC header, when the input carried one.
    pub filed_date: Option<Date>,
    /// EDGAR's acceptance time from the SEC header, when the input carried one.
    pub accepted_at: Option<Timestamp>,
    /// Form 4/5: the filer is no longer subject to Section 16.
    pub not_subject_to_section16: Option<bool>,
    /// Form 3: the filer owns no securities of the issuer.
    pub no_securities_owned: Option<bool>,
    /// Form 5: holdings previously reported on Form 3.
    pub form3_holdings_reported: Option<bool>,
    /// Form 5: transactions previously reported on Form 4.
    pub form4_transactions_reported: Option<bool>,
    /// The Rule 10b5-1(c) checkbox (schemas X0407 and later); `None` where the form has none.
    pub aff10b5one: Option<bool>,
    /// The company whose securities are reported.
    pub issuer: Issuer,
    /// Everyone filing jointly on this document.
    pub reporting_owners: Vec<ReportingOwner>,
    /// Table I transactions.
    pub non_derivative_transactions: Vec<Transaction>,
    /// Table II transactions.
    pub derivative_transactions: Vec<Transaction>,
    /// Table I holdings.
    pub non_derivative_holdings: Vec<Holding>,
    /// Table II holdings.
    pub derivative_holdings: Vec<Holding>,
    /// Footnotes by id (`F1`, ...), in document order.
    pub footnotes: Footnotes,
    /// The filing's free-text remarks.
    pub remarks: Option<String>,
    /// Signatures, in document order.
    pub signatures: Vec<Signature>,
}

impl OwnershipFiling {
    /// True for `3/A`, `4/A` and `5/A`.
    pub fn is_amendment(&self) -> bool {
        self.document_type.ends_with("/A")
    }

    /// The form without the amendment suffix: `4/A` gives `4`.
    pub fn base_form(&self) -> &str {
        self.document_type.trim_end_matches("/A")
    }

    /// Number of transaction rows in both tables.
    pub fn transaction_count(&self) -> usize {
        self.non_derivative_transactions.len() + self.derivative_transactions.len()
    }
}

/// The issuer of the reported securities.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Issuer {
    /// The issuer's CIK.
    pub cik: Cik,
    /// The issuer's name as filed.
    pub name: Option<String>,
    /// The trading symbol as filed: upper-cased, `None` when blank or "NONE".
    pub trading_symbol: Option<String>,
}

/// One reporting owner and their relationship to the issuer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportingOwner {
    /// The owner's CIK.
    pub cik: Cik,
    /// The owner's name as filed (EDGAR writes people "Last First Middle").
    pub name: Option<String>,
    /// A director of the issuer.
    pub is_director: bool,
    /// An officer of the issuer; see `officer_title`.
    pub is_officer: bool,
    /// A beneficial owner of more than 10% of a class.
    pub is_ten_percent_owner: bool,
    /// Another relationship; see `other_text`.
    pub is_other: bool,
    /// The officer's title, e.g. "Chief Executive Officer".
    pub officer_title: Option<String>,
    /// The text describing an "other" relationship.
    pub other_text: Option<String>,
}

/// Acquired or disposed, column 4 of Table I.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AcquiredDisposed {
    /// Acquired.
    A,
    /// Disposed.
    D,
}

/// Where a transaction's price per share came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceSource {
    /// The price column of the table.
    Table,
    /// A footnote on the price column, used because the column itself is empty.
    Footnote,
}

/// One transaction row of Table I or Table II.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transaction {
    /// Title of the security, e.g. "Common Stock".
    pub security_title: Option<String>,
    /// Date of the transaction.
    pub transaction_date: Option<Date>,
    /// Deemed execution date, if any.
    pub deemed_execution_date: Option<Date>,
    /// The form the row belongs on (`4`, or `5` for early voluntary Form 5 items).
    pub transaction_form_type: Option<String>,
    /// The transaction code (`P`, `S`, `A`, `M`, `F`, `G`, ...).
    pub transaction_code: Option<String>,
    /// Whether an equity swap was involved.
    pub equity_swap_involved: Option<bool>,
    /// `E` early or `L` late; `None` when on time.
    pub transaction_timeliness: Option<String>,
    /// Number of shares (or units) transacted.
    #[serde(with = "crate::num")]
    pub shares: Option<f64>,
    /// Total value, for rows reported by value instead of shares.
    #[serde(with = "crate::num")]
    pub total_value: Option<f64>,
    /// Price per share in dollars.
    #[serde(with = "crate::num")]
    pub price_per_share: Option<f64>,
    /// Where `price_per_share` came from.
    pub price_source: Option<PriceSource>,
    /// Low end of a weighted-average price range given in a footnote.
    #[serde(with = "crate::num")]
    pub price_range_low: Option<f64>,
    /// High end of a weighted-average price range given in a footnote.
    #[serde(with = "crate::num")]
    pub price_range_high: Option<f64>,
    /// Acquired (`A`) or disposed (`D`).
    pub acquired_disposed: Option<AcquiredDisposed>,
    /// What is owned after the transaction, and how.
    #[serde(flatten)]
    pub owned_after: OwnedAfter,
    /// Table II only: the derivative's terms.
    #[serde(flatten)]
    pub derivative: Option<DerivativeTerms>,
    /// A footnote on this row cites Rule 10b5-1.
    pub footnote_cites_10b5_1: bool,
    /// The footnotes on this row.
    #[serde(flatten)]
    pub footnote_refs: FootnoteRefs,
}

/// A holding row of Table I or Table II.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Holding {
    /// Title of the security.
    pub security_title: Option<String>,
    /// The form the row belongs on, where given.
    pub transaction_form_type: Option<String>,
    /// What is owned, and how.
    #[serde(flatten)]
    pub owned_after: OwnedAfter,
    /// Table II only: the derivative's terms.
    #[serde(flatten)]
    pub derivative: Option<DerivativeTerms>,
    /// The footnotes on this row.
    #[serde(flatten)]
    pub footnote_refs: FootnoteRefs,
}

/// Holdings after a row (column 5 of Table I) and the nature of ownership (columns 6 and 7).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OwnedAfter {
    /// Shares owned.
    #[serde(with = "crate::num")]
    pub shares_owned_following: Option<f64>,
    /// Value owned, for rows reported by value.
    #[serde(with = "crate::num")]
    pub value_owned_following: Option<f64>,
    /// `D` direct or `I` indirect ownership.
    pub direct_or_indirect: Option<String>,
    /// For indirect ownership: how it is held ("By Trust").
    pub nature_of_ownership: Option<String>,
}

/// The footnotes on one row and the fields each annotates.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FootnoteRefs {
    /// Every footnote id on the row, sorted and unique.
    pub footnote_ids: Vec<String>,
    /// Which footnotes annotate which field (`price_per_share` -> `["F1"]`); a reference outside
    /// any one field is filed under `row`.
    pub footnotes_by_field: BTreeMap<String, Vec<String>>,
}

impl FootnoteRefs {
    /// The references given by field; `footnote_ids` is derived from them.
    pub fn from_fields(footnotes_by_field: BTreeMap<String, Vec<String>>) -> Self {
        let ids: BTreeSet<&String> = footnotes_by_field.values().flatten().collect();
        FootnoteRefs { footnote_ids: ids.into_iter().cloned().collect(), footnotes_by_field }
    }

    /// The footnote ids on `field`.
    pub fn on(&self, field: &str) -> &[String] {
        self.footnotes_by_field.get(field).map_or(&[], Vec::as_slice)
    }
}

/// The terms of a derivative security (Table II columns 2, 6 and 7).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DerivativeTerms {
    /// Conversion or exercise price.
    #[serde(with = "crate::num")]
    pub conversion_or_exercise_price: Option<f64>,
    /// Date exercisable.
    pub exercise_date: Option<Date>,
    /// Expiration date.
    pub expiration_date: Option<Date>,
    /// Title of the underlying security.
    pub underlying_security_title: Option<String>,
    /// Number of underlying shares.
    #[serde(with = "crate::num")]
    pub underlying_security_shares: Option<f64>,
    /// Value of the underlying, for rows reported by value.
    #[serde(with = "crate::num")]
    pub underlying_security_value: Option<f64>,
}

/// A footnote, `(1)` on the paper form, `F1` in the XML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footnote {
    /// Its id, e.g. `F1`.
    pub id: String,
    /// Its text, whitespace collapsed.
    pub text: String,
}

/// Footnotes in document order, written in JSON as an object `{id: text}`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Footnotes(pub Vec<Footnote>);

impl Footnotes {
    /// The text of footnote `id`.
    pub fn get(&self, id: &str) -> Option<&str> {
        self.0.iter().find(|f| f.id == id).map(|f| f.text.as_str())
    }
}

impl Serialize for Footnotes {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for f in &self.0 {
            map.serialize_entry(&f.id, &f.text)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for Footnotes {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'de> serde::de::Visitor<'de> for Visit {
            type Value = Footnotes;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a map of footnote id to text")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut m: A,
            ) -> Result<Footnotes, A::Error> {
                let mut out = Vec::new();
                while let Some((id, text)) = m.next_entry::<String, String>()? {
                    out.push(Footnote { id, text });
                }
                Ok(Footnotes(out))
            }
        }
        d.deserialize_map(Visit)
    }
}

/// A signature block.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Signature {
    /// Who signed ("/s/ Jane Doe, attorney-in-fact").
    pub name: Option<String>,
    /// When.
    pub date: Option<Date>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_serialize_without_fraction() {
        let h = Holding {
            security_title: None,
            transaction_form_type: None,
            owned_after: OwnedAfter {
                shares_owned_following: Some(12500.0),
                value_owned_following: Some(275.634),
                ..OwnedAfter::default()
            },
            derivative: None,
            footnote_refs: FootnoteRefs::from_fields(BTreeMap::from([(
                "price_per_share".to_owned(),
                vec!["F2".to_owned(), "F1".to_owned()],
            )])),
        };
        let json = serde_json::to_string(&h).expect("serializes");
        assert!(json.contains("\"shares_owned_following\":12500,"), "{json}");
        assert!(json.contains("\"value_owned_following\":275.634"), "{json}");
        assert!(!json.contains("conversion_or_exercise_price"), "non-derivative rows omit terms");
        assert!(json.contains("\"footnote_ids\":[\"F1\",\"F2\"]"), "{json}");
        let back: Holding = serde_json::from_str(&json).expect("round trip");
        assert_eq!(back, h);
    }

    #[test]
    fn footnotes_keep_document_order() {
        let f = Footnotes(vec![
            Footnote { id: "F2".into(), text: "b".into() },
            Footnote { id: "F10".into(), text: "c".into() },
            Footnote { id: "F1".into(), text: "a".into() },
        ]);
        let json = serde_json::to_string(&f).expect("serializes");
        assert_eq!(json, r#"{"F2":"b","F10":"c","F1":"a"}"#);
        assert_eq!(serde_json::from_str::<Footnotes>(&json).expect("parses"), f);
    }
}

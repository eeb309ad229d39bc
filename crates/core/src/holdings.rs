//! An institutional manager's quarterly holdings report on Form 13F (13F-HR, 13F-NT and their
//! amendments), as the cover page and the information table state it.
//!
//! Values are kept as filed, with one derived figure: [`Position::value_usd`], the market value
//! in whole dollars. Form 13F reported values in thousands of dollars until the SEC's 2022
//! amendments took effect; filings made on or after 2023-01-03 report whole dollars. Which unit a
//! filing used is decided by [`ValueUnit::infer`], whose documentation states the rule.
//! Missing values are `None` (JSON `null`), never zero.

use jiff::{Timestamp, civil::Date};
use serde::{Deserialize, Serialize};

use crate::{Accession, Cik};

/// One Form 13F submission: the cover and summary pages and the information table's rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThirteenF {
    /// EDGAR accession number (or a content hash when the document names none).
    pub accession: Accession,
    /// `13F-HR`, `13F-HR/A`, `13F-NT` or `13F-NT/A`: the SEC header's submission type, else the
    /// primary document's `submissionType`; `None` for a bare information table.
    pub form_type: Option<String>,
    /// The manager's CIK: the SEC header's filer, else the primary document's filer credentials.
    pub manager_cik: Option<Cik>,
    /// `filingManager/name` on the cover page.
    pub manager_name: Option<String>,
    /// The calendar quarter's last day (`reportCalendarOrQuarter`, filed as `MM-DD-YYYY`).
    pub report_period: Option<Date>,
    /// Filing date from the SEC header, when the input carried one.
    pub filed_date: Option<Date>,
    /// EDGAR's acceptance time from the SEC header, when the input carried one.
    pub accepted_at: Option<Timestamp>,
    /// The signature block's date (`signatureDate`).
    pub signature_date: Option<Date>,
    /// `isAmendment` on the cover page.
    pub is_amendment: Option<bool>,
    /// `amendmentNo` on the cover page.
    pub amendment_number: Option<u32>,
    /// On amendments: whether the amendment restates the report or adds holdings.
    pub amendment_type: Option<AmendmentType>,
    /// `isConfidentialOmitted` on the summary page: positions were left out of the table under a
    /// request for confidential treatment.
    pub confidential_omitted: Option<bool>,
    /// `confDeniedExpired` on an amendment: it reports holdings whose confidential treatment was
    /// denied or has expired.
    pub confidential_denied_expired: Option<bool>,
    /// What the report contains (`reportType`).
    pub report_type: Option<ReportType>,
    /// `otherIncludedManagersCount` on the summary page.
    pub other_included_managers_count: Option<u32>,
    /// `tableEntryTotal` on the summary page: the number of rows the filer states.
    pub table_entry_total: Option<u32>,
    /// `tableValueTotal` on the summary page, in the filing's unit ([`ThirteenF::value_unit`]).
    #[serde(with = "crate::num")]
    pub table_value_total: Option<f64>,
    /// The unit of `value` in this filing; `None` when neither the filing date nor the report
    /// period is known (a bare information table), and then no `value_usd` is given.
    pub value_unit: Option<ValueUnit>,
    /// Whether the input carried an information table. A bare primary document has none, so its
    /// empty `holdings` do not mean the manager held nothing.
    pub has_information_table: bool,
    /// The information table's rows, in document order (the same CUSIP may appear on several
    /// rows, split by discretion or other manager).
    pub holdings: Vec<Position>,
}

impl ThirteenF {
    /// True for `13F-HR/A` and `13F-NT/A`, or when the cover page says so.
    pub fn is_amendment(&self) -> bool {
        self.form_type.as_deref().is_some_and(|f| f.ends_with("/A"))
            || self.is_amendment == Some(true)
    }

    /// True for a 13F-NT notice (the holdings are reported by other managers).
    pub fn is_notice(&self) -> bool {
        self.form_type.as_deref().is_some_and(|f| f.starts_with("13F-NT"))
            || self.report_type == Some(ReportType::Notice)
    }
}

/// The kind of 13F amendment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum AmendmentType {
    /// Replaces the amended report in full.
    #[serde(rename = "RESTATEMENT")]
    Restatement,
    /// Adds holdings to the amended report.
    #[serde(rename = "NEW HOLDINGS")]
    NewHoldings,
}

/// What a 13F report contains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReportType {
    /// All of the manager's holdings are in this report.
    #[serde(rename = "13F HOLDINGS REPORT")]
    HoldingsReport,
    /// None are: other managers report them.
    #[serde(rename = "13F NOTICE")]
    Notice,
    /// Some are here and some are reported by other managers.
    #[serde(rename = "13F COMBINATION REPORT")]
    CombinationReport,
}

/// The unit of the information table's `value` column.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValueUnit {
    /// Thousands of dollars (filings before 2023-01-03).
    Thousands,
    /// Whole dollars (filings from 2023-01-03 on).
    Dollars,
}

impl ValueUnit {
    /// The first filing date on which values are whole dollars.
    pub const DOLLARS_FILED_FROM: Date = jiff::civil::date(2023, 1, 3);
    /// The first quarter end whose reports are filed in whole dollars: a quarter ending on
    /// 2022-12-31 could not be filed before 2023-01-01, and the rule took effect 2023-01-03.
    pub const DOLLARS_PERIOD_FROM: Date = jiff::civil::date(2022, 12, 31);

    /// The unit a filing used, from what is known about it, in this order:
    ///
    /// 1. the filing date (SEC header): on or after 2023-01-03 is dollars, before is thousands;
    /// 2. else a signature date on or after 2023-01-03 is dollars (a filing is not filed before it
    ///    is signed; this catches late filings for old quarters);
    /// 3. else the report period: a quarter ending on or after 2022-12-31 is dollars, an earlier
    ///    one thousands;
    /// 4. else unknown (`None`).
    ///
    /// Amendments follow their own filing date, not the amended report's.
    pub fn infer(filed: Option<Date>, signed: Option<Date>, period: Option<Date>) -> Option<Self> {
        let dollars_if = |yes: bool| if yes { ValueUnit::Dollars } else { ValueUnit::Thousands };
        if let Some(filed) = filed {
            return Some(dollars_if(filed >= Self::DOLLARS_FILED_FROM));
        }
        if signed.is_some_and(|s| s >= Self::DOLLARS_FILED_FROM) {
            return Some(ValueUnit::Dollars);
        }
        period.map(|p| dollars_if(p >= Self::DOLLARS_PERIOD_FROM))
    }

    /// Dollars per filed unit: 1000 or 1.
    pub fn multiplier(self) -> f64 {
        match self {
            ValueUnit::Thousands => 1000.0,
            ValueUnit::Dollars => 1.0,
        }
    }

    /// A filed value in whole dollars (rounded); `None` for a negative or non-finite value.
    pub fn to_dollars(self, as_filed: f64) -> Option<u64> {
        let dollars = (as_filed * self.multiplier()).round();
        // The guard keeps the cast exact (below 2^53).
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        (0.0..9_007_199_254_740_992.0).contains(&dollars).then_some(dollars as u64)
    }
}

/// One row of the information table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Position {
    /// `nameOfIssuer`.
    pub name_of_issuer: Option<String>,
    /// `titleOfClass`, e.g. `COM`, `SPONSORED ADR`.
    pub title_of_class: Option<String>,
    /// The CUSIP, upper case, spaces and dashes removed; an all-digit CUSIP shorter than nine
    /// characters (leading zeros lost in a spreadsheet) is padded back with zeros. Any other
    /// length is kept as filed.
    pub cusip: Option<String>,
    /// `figi`, when given (optional since 2023).
    pub figi: Option<String>,
    /// Market value in whole dollars, from `value_as_filed` and the filing's
    /// [`ValueUnit`]; `None` when either is unknown.
    pub value_usd: Option<u64>,
    /// `value` as filed, in the filing's unit.
    #[serde(with = "crate::num")]
    pub value_as_filed: Option<f64>,
    /// `shrsOrPrnAmt/sshPrnamt`: shares, or principal amount for `PRN`.
    #[serde(with = "crate::num")]
    pub shares_or_principal: Option<f64>,
    /// `shrsOrPrnAmt/sshPrnamtType`.
    pub share_type: Option<ShareType>,
    /// `putCall`: the row is an option position; `None` for the security itself.
    pub put_call: Option<PutCall>,
    /// `investmentDiscretion`.
    pub investment_discretion: Option<InvestmentDiscretion>,
    /// `otherManager`: sequence numbers of included managers, as filed (e.g. `1,3`).
    pub other_manager: Option<String>,
    /// `votingAuthority/Sole`.
    #[serde(with = "crate::num")]
    pub voting_sole: Option<f64>,
    /// `votingAuthority/Shared`.
    #[serde(with = "crate::num")]
    pub voting_shared: Option<f64>,
    /// `votingAuthority/None`.
    #[serde(with = "crate::num")]
    pub voting_none: Option<f64>,
}

/// Whether `sshPrnamt` counts shares or principal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ShareType {
    /// Shares.
    #[serde(rename = "SH")]
    Shares,
    /// Principal amount (debt).
    #[serde(rename = "PRN")]
    Principal,
}

/// An option position's kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PutCall {
    /// A put.
    Put,
    /// A call.
    Call,
}

/// Who exercises investment discretion over a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum InvestmentDiscretion {
    /// The manager alone.
    #[serde(rename = "SOLE")]
    Sole,
    /// Shared-defined: with a controlled entity or as stated.
    #[serde(rename = "DFND")]
    Defined,
    /// Shared-other.
    #[serde(rename = "OTR")]
    Other,
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn unit_by_filing_date_on_both_sides_of_the_cutover() {
        let q3_2022 = Some(date(2022, 9, 30));
        assert_eq!(
            ValueUnit::infer(Some(date(2023, 1, 2)), None, q3_2022),
            Some(ValueUnit::Thousands)
        );
        assert_eq!(
            ValueUnit::infer(Some(date(2023, 1, 3)), None, q3_2022),
            Some(ValueUnit::Dollars),
            "an amendment filed after the cutover uses dollars, even for an old quarter"
        );
    }

    #[test]
    fn unit_by_period_when_no_filing_date() {
        assert_eq!(
            ValueUnit::infer(None, None, Some(date(2022, 9, 30))),
            Some(ValueUnit::Thousands)
        );
        assert_eq!(
            ValueUnit::infer(None, None, Some(date(2022, 12, 31))),
            Some(ValueUnit::Dollars)
        );
        assert_eq!(ValueUnit::infer(None, None, None), None);
    }

    #[test]
    fn a_late_signature_means_dollars() {
        let old = Some(date(2021, 12, 31));
        assert_eq!(ValueUnit::infer(None, Some(date(2023, 3, 22)), old), Some(ValueUnit::Dollars));
        assert_eq!(
            ValueUnit::infer(None, Some(date(2022, 2, 10)), old),
            Some(ValueUnit::Thousands)
        );
        // The filing date, when known, decides.
        assert_eq!(
            ValueUnit::infer(Some(date(2022, 12, 30)), Some(date(2023, 3, 22)), old),
            Some(ValueUnit::Thousands)
        );
    }

    #[test]
    fn dollars_are_whole() {
        assert_eq!(ValueUnit::Thousands.to_dollars(12.5), Some(12_500));
        assert_eq!(ValueUnit::Dollars.to_dollars(17_479_000.0), Some(17_479_000));
        assert_eq!(ValueUnit::Dollars.to_dollars(-1.0), None);
        assert_eq!(ValueUnit::Thousands.to_dollars(f64::INFINITY), None);
    }

    fn json<T: Serialize>(v: &T) -> String {
        serde_json::to_string(v).expect("serializes")
    }

    #[test]
    fn enums_serialize_as_filed() {
        assert_eq!(json(&AmendmentType::NewHoldings), "\"NEW HOLDINGS\"");
        assert_eq!(json(&ReportType::CombinationReport), "\"13F COMBINATION REPORT\"");
        assert_eq!(json(&InvestmentDiscretion::Defined), "\"DFND\"");
        assert_eq!(json(&ShareType::Principal), "\"PRN\"");
        assert_eq!(json(&PutCall::Call), "\"Call\"");
        assert_eq!(json(&ValueUnit::Thousands), "\"thousands\"");
    }
}

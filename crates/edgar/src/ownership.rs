//! Forms 3, 4 and 5: EDGAR's ownership XML (`<ownershipDocument>`), schema X0203 to X0609.
//!
//! The schema versions differ only by optional elements (the 10b5-1 checkbox from X0407, foreign
//! trading symbols and owner countries from X0609), so one reader that looks elements up by
//! local name and treats each as optional covers them all.

use std::collections::{BTreeMap, BTreeSet};

use marketdesk_core::{
    AcquiredDisposed, Cik, DerivativeTerms, Footnote, FootnoteRefs, Footnotes, Holding, Issuer,
    OwnedAfter, OwnershipFiling, PriceSource, ReportingOwner, Signature, Transaction,
};
use roxmltree::{Document, Node};

use crate::{
    Error,
    container::{Container, accession_for},
    footnote,
    xml::{boolean, child, children, date, leaf, leaf_of, number, text},
};

/// Parses one Form 3, 4 or 5 submission in any of its wrappers.
///
/// `name` is the file name or path the bytes came from; it supplies the accession number when the
/// document has no SEC header.
pub fn parse_ownership(name: &str, bytes: &[u8]) -> Result<OwnershipFiling, Error> {
    let container = Container::new(bytes);
    let xml = container.block_with("<ownershipDocument").ok_or_else(|| {
        Error::NotAFiling(match container.header.form_type.as_deref() {
            Some(form) => format!("form type {form} has no <ownershipDocument>"),
            None => "no <ownershipDocument> element found".to_owned(),
        })
    })?;
    let doc = Document::parse(xml).map_err(|e| {
        let pos = e.pos();
        Error::Xml { line: pos.row, column: pos.col, message: e.to_string() }
    })?;
    let root = doc.root_element();
    if root.tag_name().name() != "ownershipDocument" {
        return Err(Error::NotAFiling(format!(
            "root element is <{}>, not <ownershipDocument>",
            root.tag_name().name()
        )));
    }

    let header = &container.header;
    let document_type = leaf_of(root, "documentType").ok_or(Error::MissingField("documentType"))?;
    let footnotes = read_footnotes(root);
    let table = |name| child(root, name);
    let rows = |table_name, row_name, derivative| -> Vec<Transaction> {
        table(table_name)
            .map(|t| {
                children(t, row_name).map(|r| transaction(r, derivative, &footnotes)).collect()
            })
            .unwrap_or_default()
    };
    let holdings = |table_name, row_name, derivative| -> Vec<Holding> {
        table(table_name)
            .map(|t| children(t, row_name).map(|r| holding(r, derivative)).collect())
            .unwrap_or_default()
    };

    Ok(OwnershipFiling {
        accession: accession_for(header, name, bytes),
        schema_version: leaf_of(root, "schemaVersion"),
        document_type,
        period_of_report: date(leaf_of(root, "periodOfReport")),
        date_of_original_submission: date(leaf_of(root, "dateOfOriginalSubmission")),
        filed_date: header.filed_date,
        accepted_at: header.accepted_at,
        not_subject_to_section16: boolean(leaf_of(root, "notSubjectToSection16")),
        no_securities_owned: boolean(leaf_of(root, "noSecuritiesOwned")),
        form3_holdings_reported: boolean(leaf_of(root, "form3HoldingsReported")),
        form4_transactions_reported: boolean(leaf_of(root, "form4TransactionsReported")),
        aff10b5one: boolean(leaf_of(root, "aff10b5One")),
        issuer: issuer(root)?,
        reporting_owners: children(root, "reportingOwner")
            .map(reporting_owner)
            .collect::<Result<_, _>>()?,
        non_derivative_transactions: rows("nonDerivativeTable", "nonDerivativeTransaction", false),
        derivative_transactions: rows("derivativeTable", "derivativeTransaction", true),
        non_derivative_holdings: holdings("nonDerivativeTable", "nonDerivativeHolding", false),
        derivative_holdings: holdings("derivativeTable", "derivativeHolding", true),
        remarks: child(root, "remarks").and_then(text),
        signatures: children(root, "ownerSignature")
            .map(|s| Signature {
                name: leaf_of(s, "signatureName"),
                date: date(leaf_of(s, "signatureDate")),
            })
            .collect(),
        footnotes,
    })
}

fn issuer(root: Node<'_, '_>) -> Result<Issuer, Error> {
    let node = child(root, "issuer").ok_or(Error::MissingField("issuer"))?;
    let cik = leaf_of(node, "issuerCik").ok_or(Error::MissingField("issuerCik"))?;
    let cik =
        Cik::parse(&cik).map_err(|_| Error::InvalidField { field: "issuerCik", value: cik })?;
    let symbol = leaf_of(node, "issuerTradingSymbol")
        .map(|s| s.to_ascii_uppercase())
        .filter(|s| !matches!(s.as_str(), "NONE" | "N/A" | "NA" | "-"));
    Ok(Issuer { cik, name: leaf_of(node, "issuerName"), trading_symbol: symbol })
}

fn reporting_owner(node: Node<'_, '_>) -> Result<ReportingOwner, Error> {
    let id = child(node, "reportingOwnerId").ok_or(Error::MissingField("reportingOwnerId"))?;
    let cik = leaf_of(id, "rptOwnerCik").ok_or(Error::MissingField("rptOwnerCik"))?;
    let cik =
        Cik::parse(&cik).map_err(|_| Error::InvalidField { field: "rptOwnerCik", value: cik })?;
    let rel = child(node, "reportingOwnerRelationship");
    let flag = |name| rel.and_then(|r| boolean(leaf_of(r, name))).unwrap_or(false);
    Ok(ReportingOwner {
        cik,
        name: leaf_of(id, "rptOwnerName"),
        is_director: flag("isDirector"),
        is_officer: flag("isOfficer"),
        is_ten_percent_owner: flag("isTenPercentOwner"),
        is_other: flag("isOther"),
        officer_title: rel.and_then(|r| leaf_of(r, "officerTitle")),
        other_text: rel.and_then(|r| leaf_of(r, "otherText")),
    })
}

fn read_footnotes(root: Node<'_, '_>) -> Footnotes {
    let mut seen = BTreeSet::new();
    let list = child(root, "footnotes")
        .map(|f| {
            children(f, "footnote")
                .filter_map(|n| {
                    let id = n.attribute("id")?.trim().to_owned();
                    // A repeated id is a filer error; the first text stands.
                    seen.insert(id.clone())
                        .then(|| Footnote { id, text: text(n).unwrap_or_default() })
                })
                .collect()
        })
        .unwrap_or_default();
    Footnotes(list)
}

/// Our field name for the element a footnote reference sits in.
fn field_for(element: &str) -> Option<&'static str> {
    Some(match element {
        "securityTitle" => "security_title",
        "conversionOrExercisePrice" => "conversion_or_exercise_price",
        "transactionDate" => "transaction_date",
        "deemedExecutionDate" => "deemed_execution_date",
        "transactionCoding" | "transactionCode" | "transactionFormType" => "transaction_code",
        "equitySwapInvolved" => "equity_swap_involved",
        "transactionTimeliness" => "transaction_timeliness",
        "transactionShares" => "shares",
        "transactionTotalValue" => "total_value",
        "transactionPricePerShare" => "price_per_share",
        "transactionAcquiredDisposedCode" => "acquired_disposed",
        "exerciseDate" => "exercise_date",
        "expirationDate" => "expiration_date",
        "underlyingSecurity" | "underlyingSecurityTitle" => "underlying_security_title",
        "underlyingSecurityShares" => "underlying_security_shares",
        "underlyingSecurityValue" => "underlying_security_value",
        "sharesOwnedFollowingTransaction" => "shares_owned_following",
        "valueOwnedFollowingTransaction" => "value_owned_following",
        "directOrIndirectOwnership" => "direct_or_indirect",
        "natureOfOwnership" => "nature_of_ownership",
        _ => return None,
    })
}

/// Footnote ids on a row, by the field each annotates; a reference outside any known field is
/// filed under `row`.
fn footnote_refs(row: Node<'_, '_>) -> FootnoteRefs {
    let mut by_field: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for r in row.descendants().filter(|d| d.is_element() && d.tag_name().name() == "footnoteId") {
        let Some(id) = r.attribute("id").map(str::trim).filter(|s| !s.is_empty()) else {
            continue;
        };
        let field = r
            .ancestors()
            .skip(1)
            .take_while(|a| *a != row)
            .find_map(|a| field_for(a.tag_name().name()))
            .unwrap_or("row");
        let ids = by_field.entry(field.to_owned()).or_default();
        if !ids.iter().any(|x| x == id) {
            ids.push(id.to_owned());
        }
    }
    FootnoteRefs::from_fields(by_field)
}

fn derivative_terms(row: Node<'_, '_>) -> DerivativeTerms {
    let underlying = child(row, "underlyingSecurity");
    let under = |name| underlying.and_then(|u| leaf_of(u, name));
    DerivativeTerms {
        conversion_or_exercise_price: number(leaf_of(row, "conversionOrExercisePrice")),
        exercise_date: date(leaf_of(row, "exerciseDate")),
        expiration_date: date(leaf_of(row, "expirationDate")),
        underlying_security_title: under("underlyingSecurityTitle"),
        underlying_security_shares: number(under("underlyingSecurityShares")),
        underlying_security_value: number(under("underlyingSecurityValue")),
    }
}

fn owned_after(row: Node<'_, '_>) -> OwnedAfter {
    let post = child(row, "postTransactionAmounts");
    let post = |name| post.and_then(|p| leaf_of(p, name));
    let nature = child(row, "ownershipNature");
    OwnedAfter {
        shares_owned_following: number(post("sharesOwnedFollowingTransaction")),
        value_owned_following: number(post("valueOwnedFollowingTransaction")),
        direct_or_indirect: nature
            .and_then(|n| leaf_of(n, "directOrIndirectOwnership"))
            .map(|s| s.to_ascii_uppercase()),
        nature_of_ownership: nature.and_then(|n| leaf_of(n, "natureOfOwnership")),
    }
}

fn transaction(row: Node<'_, '_>, derivative: bool, footnotes: &Footnotes) -> Transaction {
    let coding = child(row, "transactionCoding");
    let amounts = child(row, "transactionAmounts");
    let amount = |name| amounts.and_then(|a| leaf_of(a, name));
    let refs = footnote_refs(row);
    let price_notes: Vec<&str> =
        refs.on("price_per_share").iter().filter_map(|id| footnotes.get(id)).collect();
    let code = coding.and_then(|c| leaf_of(c, "transactionCode")).map(|s| s.to_ascii_uppercase());
    let (price_per_share, price_source) = match number(amount("transactionPricePerShare")) {
        Some(p) => (Some(p), Some(PriceSource::Table)),
        None if code.as_deref().is_some_and(footnote::is_market_priced) => {
            match price_notes.iter().find_map(|t| footnote::stated_price(t)) {
                Some(p) => (Some(p), Some(PriceSource::Footnote)),
                None => (None, None),
            }
        }
        None => (None, None),
    };
    let range = price_notes.iter().find_map(|t| footnote::price_range(t));
    let cites_plan =
        refs.footnote_ids.iter().filter_map(|id| footnotes.get(id)).any(footnote::cites_10b5_1);

    Transaction {
        security_title: leaf_of(row, "securityTitle"),
        transaction_date: date(leaf_of(row, "transactionDate")),
        deemed_execution_date: date(leaf_of(row, "deemedExecutionDate")),
        transaction_form_type: coding.and_then(|c| leaf_of(c, "transactionFormType")),
        transaction_code: code,
        equity_swap_involved: coding.and_then(|c| boolean(leaf_of(c, "equitySwapInvolved"))),
        transaction_timeliness: child(row, "transactionTimeliness").and_then(leaf),
        shares: number(amount("transactionShares")),
        total_value: number(amount("transactionTotalValue")),
        price_per_share,
        price_source,
        price_range_low: range.map(|r| r.0),
        price_range_high: range.map(|r| r.1),
        acquired_disposed: amount("transactionAcquiredDisposedCode").and_then(|s| {
            match s.to_ascii_uppercase().as_str() {
                "A" => Some(AcquiredDisposed::A),
                "D" => Some(AcquiredDisposed::D),
                _ => None,
            }
        }),
        owned_after: owned_after(row),
        derivative: derivative.then(|| derivative_terms(row)),
        footnote_cites_10b5_1: cites_plan,
        footnote_refs: refs,
    }
}

fn holding(row: Node<'_, '_>, derivative: bool) -> Holding {
    Holding {
        security_title: leaf_of(row, "securityTitle"),
        transaction_form_type: child(row, "transactionCoding")
            .and_then(|c| leaf_of(c, "transactionFormType")),
        owned_after: owned_after(row),
        derivative: derivative.then(|| derivative_terms(row)),
        footnote_refs: footnote_refs(row),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filing_with_row(code: &str, price: &str, footnote: &str) -> OwnershipFiling {
        let xml = format!(
            r#"<?xml version="1.0"?>
<ownershipDocument>
  <schemaVersion>X0508</schemaVersion><documentType>4</documentType>
  <periodOfReport>2024-05-01</periodOfReport>
  <issuer><issuerCik>0000320193</issuerCik><issuerName>Apple Inc.</issuerName>
    <issuerTradingSymbol>aapl</issuerTradingSymbol></issuer>
  <reportingOwner><reportingOwnerId><rptOwnerCik>1</rptOwnerCik><rptOwnerName>Doe Jane</rptOwnerName></reportingOwnerId>
    <reportingOwnerRelationship><isDirector>true</isDirector></reportingOwnerRelationship></reportingOwner>
  <aff10b5One>1</aff10b5One>
  <nonDerivativeTable><nonDerivativeTransaction>
    <securityTitle><value>Common Stock</value></securityTitle>
    <transactionDate><value>2024-05-01</value></transactionDate>
    <transactionCoding><transactionFormType>4</transactionFormType><transactionCode>{code}</transactionCode>
      <equitySwapInvolved>0</equitySwapInvolved></transactionCoding>
    <transactionAmounts><transactionShares><value>1,000</value></transactionShares>
      <transactionPricePerShare>{price}<footnoteId id="F1"/></transactionPricePerShare>
      <transactionAcquiredDisposedCode><value>A</value></transactionAcquiredDisposedCode></transactionAmounts>
    <postTransactionAmounts><sharesOwnedFollowingTransaction><value>5000</value></sharesOwnedFollowingTransaction></postTransactionAmounts>
    <ownershipNature><directOrIndirectOwnership><value>i</value></directOrIndirectOwnership>
      <natureOfOwnership><value>By Trust</value><footnoteId id="F2"/></natureOfOwnership></ownershipNature>
  </nonDerivativeTransaction></nonDerivativeTable>
  <footnotes><footnote id="F1">{footnote}</footnote><footnote id="F2">Held by a family trust.</footnote></footnotes>
</ownershipDocument>"#
        );
        parse_ownership("0000000001-24-000001.xml", xml.as_bytes()).expect("parses")
    }

    #[test]
    fn a_price_stated_only_in_a_footnote_is_used_and_marked() {
        let f = filing_with_row(
            "P",
            "",
            "The price reported is a weighted average price of $187.42. Shares were bought at \
             prices ranging from $187.10 to $187.90.",
        );
        let row = &f.non_derivative_transactions[0];
        assert_eq!(row.price_per_share, Some(187.42));
        assert_eq!(row.price_source, Some(PriceSource::Footnote));
        assert_eq!((row.price_range_low, row.price_range_high), (Some(187.10), Some(187.90)));
        assert_eq!(row.shares, Some(1000.0));
        assert_eq!(row.footnote_refs.on("price_per_share"), ["F1"]);
        assert_eq!(row.footnote_refs.on("nature_of_ownership"), ["F2"]);
        assert_eq!(row.owned_after.direct_or_indirect.as_deref(), Some("I"));
        assert_eq!(f.issuer.trading_symbol.as_deref(), Some("AAPL"));
        assert_eq!(f.aff10b5one, Some(true));
        assert!(f.reporting_owners[0].is_director && !f.reporting_owners[0].is_officer);
        assert_eq!(f.reporting_owners[0].cik.to_string(), "0000000001");
    }

    #[test]
    fn the_table_price_wins_over_a_footnote() {
        let f = filing_with_row("S", "<value>12.5</value>", "Weighted average price of $13.00.");
        let row = &f.non_derivative_transactions[0];
        assert_eq!((row.price_per_share, row.price_source), (Some(12.5), Some(PriceSource::Table)));
    }

    #[test]
    fn a_conversion_price_in_a_footnote_is_not_a_trade_price() {
        let f = filing_with_row("C", "", "Converted at a conversion price of $17.00 per share.");
        let row = &f.non_derivative_transactions[0];
        assert_eq!((row.price_per_share, row.price_source), (None, None));
    }

    #[test]
    fn a_plan_footnote_marks_the_row() {
        let f = filing_with_row("S", "<value>1</value>", "Sold under a Rule 10b5-1 trading plan.");
        assert!(f.non_derivative_transactions[0].footnote_cites_10b5_1);
    }

    #[test]
    fn not_a_filing_and_broken_xml_are_named_errors() {
        assert!(matches!(parse_ownership("x", b"hello"), Err(Error::NotAFiling(_))));
        assert!(matches!(
            parse_ownership("x", b"<ownershipDocument><issuer>"),
            Err(Error::Xml { line: 1, .. })
        ));
        let no_issuer = b"<ownershipDocument><documentType>4</documentType></ownershipDocument>";
        assert_eq!(parse_ownership("x", no_issuer), Err(Error::MissingField("issuer")));
        let bad_cik = b"<ownershipDocument><documentType>4</documentType><issuer><issuerCik>12x</issuerCik></issuer></ownershipDocument>";
        assert!(matches!(
            parse_ownership("x", bad_cik),
            Err(Error::InvalidField { field: "issuerCik", .. })
        ));
    }
}

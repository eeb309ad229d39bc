//! Forms 3, 4 and 5: EDGAR's ownership XML (`<ownershipDocument>`), schema X0203 to X0609.
//!
//! The schema versions differ only by optional elements (the 10b5-1 checkbox from X0407, foreign
//! trading symbols and owner countries from X0609), so one reader that knows elements by local
//! name and treats each as optional covers them all; namespace prefixes do not matter.
//!
//! The reader streams (quick-xml): one pass over the text, no tree, so parsing costs little more
//! than tokenising. A leaf's value is the text of its `<value>` child, or its own text when it has
//! none; the first occurrence of a field wins, as a tree reader's first-child lookup would.

use std::collections::{BTreeMap, BTreeSet};

use marketdesk_core::{
    AcquiredDisposed, Cik, DerivativeTerms, Footnote, FootnoteRefs, Footnotes, Holding, Issuer,
    OwnedAfter, OwnershipFiling, PriceSource, ReportingOwner, Signature, Transaction,
};
use quick_xml::{
    Reader,
    events::{BytesStart, Event},
};

use crate::{
    Error,
    container::{Container, accession_for},
    footnote,
    scalar::{boolean, collapse, date, number},
    xml::{append_text, unclosed, xml_error},
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
    let doc = read(xml)?;
    let header = &container.header;
    let issuer_cik = doc.issuer_cik.ok_or(Error::MissingField("issuerCik"))?;
    let issuer = Issuer {
        cik: Cik::parse(&issuer_cik)
            .map_err(|_| Error::InvalidField { field: "issuerCik", value: issuer_cik })?,
        name: doc.issuer_name,
        trading_symbol: doc
            .issuer_symbol
            .map(|s| s.to_ascii_uppercase())
            .filter(|s| !matches!(s.as_str(), "NONE" | "N/A" | "NA" | "-")),
    };
    let reporting_owners =
        doc.owners.into_iter().map(OwnerFields::finish).collect::<Result<_, _>>()?;
    let footnotes = Footnotes(doc.footnotes);
    let notes = FootnoteFacts::new(&footnotes);
    let mut tables: [Vec<RowFields>; 4] = Default::default();
    for row in doc.rows {
        tables[row.kind as usize].push(row);
    }
    let [nd_tx, d_tx, nd_hold, d_hold] = tables;
    Ok(OwnershipFiling {
        accession: accession_for(header, name, bytes),
        schema_version: doc.schema_version,
        document_type: doc.document_type.ok_or(Error::MissingField("documentType"))?,
        period_of_report: date(doc.period_of_report),
        date_of_original_submission: date(doc.date_of_original_submission),
        filed_date: header.filed_date,
        accepted_at: header.accepted_at,
        not_subject_to_section16: boolean(doc.not_subject_to_section16),
        no_securities_owned: boolean(doc.no_securities_owned),
        form3_holdings_reported: boolean(doc.form3_holdings_reported),
        form4_transactions_reported: boolean(doc.form4_transactions_reported),
        aff10b5one: boolean(doc.aff10b5one),
        issuer,
        reporting_owners,
        non_derivative_transactions: nd_tx.into_iter().map(|r| r.transaction(&notes)).collect(),
        derivative_transactions: d_tx.into_iter().map(|r| r.transaction(&notes)).collect(),
        non_derivative_holdings: nd_hold.into_iter().map(RowFields::holding).collect(),
        derivative_holdings: d_hold.into_iter().map(RowFields::holding).collect(),
        remarks: doc.remarks,
        signatures: doc
            .signatures
            .into_iter()
            .map(|(name, day)| Signature { name, date: date(day) })
            .collect(),
        footnotes,
    })
}

/// Sets a field the first time only.
fn first(slot: &mut Option<String>, value: Option<String>) {
    if slot.is_none() {
        *slot = value;
    }
}

/// Everything read from the document, before interpretation.
#[derive(Default)]
struct DocFields {
    schema_version: Option<String>,
    document_type: Option<String>,
    period_of_report: Option<String>,
    date_of_original_submission: Option<String>,
    not_subject_to_section16: Option<String>,
    no_securities_owned: Option<String>,
    form3_holdings_reported: Option<String>,
    form4_transactions_reported: Option<String>,
    aff10b5one: Option<String>,
    remarks: Option<String>,
    issuer_cik: Option<String>,
    issuer_name: Option<String>,
    issuer_symbol: Option<String>,
    owners: Vec<OwnerFields>,
    rows: Vec<RowFields>,
    footnotes: Vec<Footnote>,
    signatures: Vec<(Option<String>, Option<String>)>,
}

#[derive(Default)]
struct OwnerFields {
    cik: Option<String>,
    name: Option<String>,
    is_director: Option<String>,
    is_officer: Option<String>,
    is_ten_percent_owner: Option<String>,
    is_other: Option<String>,
    officer_title: Option<String>,
    other_text: Option<String>,
}

impl OwnerFields {
    fn finish(self) -> Result<ReportingOwner, Error> {
        let cik = self.cik.ok_or(Error::MissingField("rptOwnerCik"))?;
        let cik = Cik::parse(&cik)
            .map_err(|_| Error::InvalidField { field: "rptOwnerCik", value: cik })?;
        let flag = |v: Option<String>| boolean(v).unwrap_or(false);
        Ok(ReportingOwner {
            cik,
            name: self.name,
            is_director: flag(self.is_director),
            is_officer: flag(self.is_officer),
            is_ten_percent_owner: flag(self.is_ten_percent_owner),
            is_other: flag(self.is_other),
            officer_title: self.officer_title,
            other_text: self.other_text,
        })
    }
}

/// Which table a row belongs to; the discriminant indexes the four tables.
#[derive(Clone, Copy, PartialEq, Eq)]
enum RowKind {
    NonDerivativeTransaction = 0,
    DerivativeTransaction = 1,
    NonDerivativeHolding = 2,
    DerivativeHolding = 3,
}

impl RowKind {
    fn of(element: &str) -> Option<Self> {
        Some(match element {
            "nonDerivativeTransaction" => RowKind::NonDerivativeTransaction,
            "derivativeTransaction" => RowKind::DerivativeTransaction,
            "nonDerivativeHolding" => RowKind::NonDerivativeHolding,
            "derivativeHolding" => RowKind::DerivativeHolding,
            _ => return None,
        })
    }

    fn is_derivative(self) -> bool {
        matches!(self, RowKind::DerivativeTransaction | RowKind::DerivativeHolding)
    }
}

/// A table row's leaves as filed.
struct RowFields {
    kind: RowKind,
    security_title: Option<String>,
    conversion_or_exercise_price: Option<String>,
    transaction_date: Option<String>,
    deemed_execution_date: Option<String>,
    transaction_form_type: Option<String>,
    transaction_code: Option<String>,
    equity_swap_involved: Option<String>,
    transaction_timeliness: Option<String>,
    shares: Option<String>,
    total_value: Option<String>,
    price_per_share: Option<String>,
    acquired_disposed: Option<String>,
    exercise_date: Option<String>,
    expiration_date: Option<String>,
    underlying_security_title: Option<String>,
    underlying_security_shares: Option<String>,
    underlying_security_value: Option<String>,
    shares_owned_following: Option<String>,
    value_owned_following: Option<String>,
    direct_or_indirect: Option<String>,
    nature_of_ownership: Option<String>,
    footnotes_by_field: BTreeMap<String, Vec<String>>,
}

impl RowFields {
    fn new(kind: RowKind) -> Self {
        RowFields {
            kind,
            security_title: None,
            conversion_or_exercise_price: None,
            transaction_date: None,
            deemed_execution_date: None,
            transaction_form_type: None,
            transaction_code: None,
            equity_swap_involved: None,
            transaction_timeliness: None,
            shares: None,
            total_value: None,
            price_per_share: None,
            acquired_disposed: None,
            exercise_date: None,
            expiration_date: None,
            underlying_security_title: None,
            underlying_security_shares: None,
            underlying_security_value: None,
            shares_owned_following: None,
            value_owned_following: None,
            direct_or_indirect: None,
            nature_of_ownership: None,
            footnotes_by_field: BTreeMap::new(),
        }
    }

    /// Stores a leaf read inside the row; element names are unique within a row.
    fn set(&mut self, element: &str, value: impl FnOnce() -> Option<String>) {
        let slot = match element {
            "securityTitle" => &mut self.security_title,
            "conversionOrExercisePrice" => &mut self.conversion_or_exercise_price,
            "transactionDate" => &mut self.transaction_date,
            "deemedExecutionDate" => &mut self.deemed_execution_date,
            "transactionFormType" => &mut self.transaction_form_type,
            "transactionCode" => &mut self.transaction_code,
            "equitySwapInvolved" => &mut self.equity_swap_involved,
            "transactionTimeliness" => &mut self.transaction_timeliness,
            "transactionShares" => &mut self.shares,
            "transactionTotalValue" => &mut self.total_value,
            "transactionPricePerShare" => &mut self.price_per_share,
            "transactionAcquiredDisposedCode" => &mut self.acquired_disposed,
            "exerciseDate" => &mut self.exercise_date,
            "expirationDate" => &mut self.expiration_date,
            "underlyingSecurityTitle" => &mut self.underlying_security_title,
            "underlyingSecurityShares" => &mut self.underlying_security_shares,
            "underlyingSecurityValue" => &mut self.underlying_security_value,
            "sharesOwnedFollowingTransaction" => &mut self.shares_owned_following,
            "valueOwnedFollowingTransaction" => &mut self.value_owned_following,
            "directOrIndirectOwnership" => &mut self.direct_or_indirect,
            "natureOfOwnership" => &mut self.nature_of_ownership,
            _ => return,
        };
        if slot.is_none() {
            *slot = value();
        }
    }

    fn note(&mut self, field: &str, id: &str) {
        let ids = self.footnotes_by_field.entry(field.to_owned()).or_default();
        if !ids.iter().any(|x| x == id) {
            ids.push(id.to_owned());
        }
    }

    fn owned_after(&mut self) -> OwnedAfter {
        OwnedAfter {
            shares_owned_following: number(self.shares_owned_following.take()),
            value_owned_following: number(self.value_owned_following.take()),
            direct_or_indirect: self.direct_or_indirect.take().map(|s| s.to_ascii_uppercase()),
            nature_of_ownership: self.nature_of_ownership.take(),
        }
    }

    fn derivative_terms(&mut self) -> Option<DerivativeTerms> {
        self.kind.is_derivative().then(|| DerivativeTerms {
            conversion_or_exercise_price: number(self.conversion_or_exercise_price.take()),
            exercise_date: date(self.exercise_date.take()),
            expiration_date: date(self.expiration_date.take()),
            underlying_security_title: self.underlying_security_title.take(),
            underlying_security_shares: number(self.underlying_security_shares.take()),
            underlying_security_value: number(self.underlying_security_value.take()),
        })
    }

    fn transaction(mut self, notes: &FootnoteFacts<'_>) -> Transaction {
        let refs = FootnoteRefs::from_fields(std::mem::take(&mut self.footnotes_by_field));
        let code = self.transaction_code.take().map(|s| s.to_ascii_uppercase());
        let price_notes = refs.on("price_per_share");
        let (price_per_share, price_source) = match number(self.price_per_share.take()) {
            Some(p) => (Some(p), Some(PriceSource::Table)),
            None if code.as_deref().is_some_and(footnote::is_market_priced) => {
                match price_notes.iter().find_map(|id| notes.price(id)) {
                    Some(p) => (Some(p), Some(PriceSource::Footnote)),
                    None => (None, None),
                }
            }
            None => (None, None),
        };
        let range = price_notes.iter().find_map(|id| notes.range(id));
        Transaction {
            security_title: self.security_title.take(),
            transaction_date: date(self.transaction_date.take()),
            deemed_execution_date: date(self.deemed_execution_date.take()),
            transaction_form_type: self.transaction_form_type.take(),
            transaction_code: code,
            equity_swap_involved: boolean(self.equity_swap_involved.take()),
            transaction_timeliness: self.transaction_timeliness.take(),
            shares: number(self.shares.take()),
            total_value: number(self.total_value.take()),
            price_per_share,
            price_source,
            price_range_low: range.map(|r| r.0),
            price_range_high: range.map(|r| r.1),
            acquired_disposed: self.acquired_disposed.take().and_then(|s| {
                match s.to_ascii_uppercase().as_str() {
                    "A" => Some(AcquiredDisposed::A),
                    "D" => Some(AcquiredDisposed::D),
                    _ => None,
                }
            }),
            owned_after: self.owned_after(),
            derivative: self.derivative_terms(),
            footnote_cites_10b5_1: refs.footnote_ids.iter().any(|id| notes.cites_plan(id)),
            footnote_refs: refs,
        }
    }

    fn holding(mut self) -> Holding {
        Holding {
            security_title: self.security_title.take(),
            transaction_form_type: self.transaction_form_type.take(),
            owned_after: self.owned_after(),
            derivative: self.derivative_terms(),
            footnote_refs: FootnoteRefs::from_fields(std::mem::take(&mut self.footnotes_by_field)),
        }
    }
}

/// What the footnotes say. Plan citations are read once per footnote (rows share footnotes);
/// prices only for the few rows whose price column is empty.
struct FootnoteFacts<'a> {
    footnotes: &'a Footnotes,
    cites_plan: BTreeSet<&'a str>,
}

impl<'a> FootnoteFacts<'a> {
    fn new(footnotes: &'a Footnotes) -> Self {
        let cites_plan = footnotes
            .0
            .iter()
            .filter(|f| footnote::cites_10b5_1(&f.text))
            .map(|f| f.id.as_str())
            .collect();
        FootnoteFacts { footnotes, cites_plan }
    }

    fn price(&self, id: &str) -> Option<f64> {
        self.footnotes.get(id).and_then(footnote::stated_price)
    }

    fn range(&self, id: &str) -> Option<(f64, f64)> {
        self.footnotes.get(id).and_then(footnote::price_range)
    }

    fn cites_plan(&self, id: &str) -> bool {
        self.cites_plan.contains(id)
    }
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

/// One open element.
struct Frame {
    /// Local name; empty for elements marketdesk does not read.
    name: &'static str,
    /// Where this element's text starts in the shared text buffer.
    text_start: usize,
    /// Text of a `<value>` child, when there was one.
    value: Option<Option<String>>,
    /// Whether any child element was seen.
    has_children: bool,
    /// The `id` attribute, kept for footnotes.
    id: Option<String>,
}

/// Element names the reader acts on, interned so that frames need no allocation.
const KNOWN: &[&str] = &[
    "aff10b5One",
    "conversionOrExercisePrice",
    "dateOfOriginalSubmission",
    "deemedExecutionDate",
    "derivativeHolding",
    "derivativeTable",
    "derivativeTransaction",
    "directOrIndirectOwnership",
    "documentType",
    "equitySwapInvolved",
    "exerciseDate",
    "expirationDate",
    "footnote",
    "footnoteId",
    "footnotes",
    "form3HoldingsReported",
    "form4TransactionsReported",
    "isDirector",
    "isOfficer",
    "isOther",
    "isTenPercentOwner",
    "issuer",
    "issuerCik",
    "issuerName",
    "issuerTradingSymbol",
    "natureOfOwnership",
    "noSecuritiesOwned",
    "nonDerivativeHolding",
    "nonDerivativeTable",
    "nonDerivativeTransaction",
    "notSubjectToSection16",
    "officerTitle",
    "otherText",
    "ownerSignature",
    "ownershipDocument",
    "ownershipNature",
    "periodOfReport",
    "postTransactionAmounts",
    "remarks",
    "reportingOwner",
    "reportingOwnerId",
    "reportingOwnerRelationship",
    "rptOwnerCik",
    "rptOwnerName",
    "schemaVersion",
    "securityTitle",
    "sharesOwnedFollowingTransaction",
    "signatureDate",
    "signatureName",
    "transactionAcquiredDisposedCode",
    "transactionAmounts",
    "transactionCode",
    "transactionCoding",
    "transactionDate",
    "transactionFormType",
    "transactionPricePerShare",
    "transactionShares",
    "transactionTimeliness",
    "transactionTotalValue",
    "underlyingSecurity",
    "underlyingSecurityShares",
    "underlyingSecurityTitle",
    "underlyingSecurityValue",
    "value",
    "valueOwnedFollowingTransaction",
];

/// Open-addressed table over `KNOWN`: a name costs one hash and usually one comparison, where a
/// search would cost several (this runs for every tag of every filing).
fn known(local: &[u8]) -> &'static str {
    const SLOTS: usize = 256;
    fn hash(s: &[u8]) -> usize {
        s.iter().fold(s.len(), |h, &b| h.wrapping_mul(31).wrapping_add(usize::from(b))) % SLOTS
    }
    static TABLE: std::sync::OnceLock<[&str; SLOTS]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut t = [""; SLOTS];
        for name in KNOWN {
            let mut i = hash(name.as_bytes());
            while !t[i].is_empty() {
                i = (i + 1) % SLOTS;
            }
            t[i] = name;
        }
        t
    });
    let mut i = hash(local);
    loop {
        match table[i] {
            "" => return "",
            name if name.as_bytes() == local => return name,
            _ => i = (i + 1) % SLOTS,
        }
    }
}

fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    let attr = e.try_get_attribute(name).ok()??;
    attr.unescape_value().ok().map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// Reads the document in one pass.
fn read(xml: &str) -> Result<DocFields, Error> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut doc = DocFields::default();
    let mut stack: Vec<Frame> = Vec::with_capacity(16);
    let mut text = String::with_capacity(256);
    let mut row: Option<RowFields> = None;
    let mut seen_root = false;
    let mut issuers = 0;
    let mut footnote_ids = BTreeSet::new();
    let mut ignored = None;

    loop {
        let event = reader.read_event().map_err(|e| xml_error(xml, reader.error_position(), e))?;
        match event {
            Event::Start(e) => {
                let local = e.local_name();
                let name = known(local.as_ref());
                if stack.is_empty() {
                    if seen_root {
                        return Err(xml_error(
                            xml,
                            reader.buffer_position(),
                            "a second root element",
                        ));
                    }
                    seen_root = true;
                    if name != "ownershipDocument" {
                        return Err(Error::NotAFiling(format!(
                            "root element is <{}>, not <ownershipDocument>",
                            String::from_utf8_lossy(local.as_ref())
                        )));
                    }
                }
                if let Some(parent) = stack.last_mut() {
                    parent.has_children = true;
                }
                let parent = stack.last().map_or("", |f| f.name);
                match name {
                    "issuer" if parent == "ownershipDocument" => issuers += 1,
                    "reportingOwner" if parent == "ownershipDocument" => {
                        doc.owners.push(OwnerFields::default())
                    }
                    "ownerSignature" if parent == "ownershipDocument" => {
                        doc.signatures.push((None, None))
                    }
                    "footnoteId" => {
                        if let (Some(r), Some(id)) = (row.as_mut(), attribute(&e, "id")) {
                            // The nearest enclosing element that is a field of the row.
                            let field = stack
                                .iter()
                                .rev()
                                .take_while(|f| RowKind::of(f.name).is_none())
                                .find_map(|f| field_for(f.name))
                                .unwrap_or("row");
                            r.note(field, &id);
                        }
                    }
                    _ => {
                        if let Some(kind) = RowKind::of(name)
                            && matches!(parent, "nonDerivativeTable" | "derivativeTable")
                        {
                            row = Some(RowFields::new(kind));
                        }
                    }
                }
                let id = if name == "footnote" { attribute(&e, "id") } else { None };
                stack.push(Frame {
                    name,
                    text_start: text.len(),
                    value: None,
                    has_children: false,
                    id,
                });
            }
            Event::End(_) => {
                let Some(frame) = stack.pop() else {
                    return Err(xml_error(xml, reader.buffer_position(), "unexpected closing tag"));
                };
                let parent = stack.last().map_or("", |f| f.name);
                let own_text = text.get(frame.text_start..).unwrap_or("");
                let (value, has_children) = (frame.value, frame.has_children);
                // Computed only where a field takes it: most closing tags are layout.
                let leaf = move || match value {
                    Some(v) => v,
                    None if has_children => None,
                    None => collapse(own_text),
                };
                match (parent, frame.name) {
                    (_, "") => {}
                    (_, "value") => {
                        if let Some(p) = stack.last_mut()
                            && p.value.is_none()
                        {
                            p.value = Some(leaf());
                        }
                    }
                    ("footnotes", "footnote") => {
                        if let Some(id) = frame.id
                            && footnote_ids.insert(id.clone())
                        {
                            // A repeated id is a filer error; the first text stands.
                            let body = collapse(own_text).unwrap_or_default();
                            doc.footnotes.push(Footnote { id, text: body });
                        }
                    }
                    ("ownershipDocument", "remarks") => first(&mut doc.remarks, collapse(own_text)),
                    ("ownershipDocument", field) => {
                        let slot = match field {
                            "schemaVersion" => &mut doc.schema_version,
                            "documentType" => &mut doc.document_type,
                            "periodOfReport" => &mut doc.period_of_report,
                            "dateOfOriginalSubmission" => &mut doc.date_of_original_submission,
                            "notSubjectToSection16" => &mut doc.not_subject_to_section16,
                            "noSecuritiesOwned" => &mut doc.no_securities_owned,
                            "form3HoldingsReported" => &mut doc.form3_holdings_reported,
                            "form4TransactionsReported" => &mut doc.form4_transactions_reported,
                            "aff10b5One" => &mut doc.aff10b5one,
                            _ => &mut ignored,
                        };
                        first(slot, leaf());
                    }
                    ("issuer", field) if issuers == 1 => match field {
                        "issuerCik" => first(&mut doc.issuer_cik, leaf()),
                        "issuerName" => first(&mut doc.issuer_name, leaf()),
                        "issuerTradingSymbol" => first(&mut doc.issuer_symbol, leaf()),
                        _ => {}
                    },
                    ("reportingOwnerId" | "reportingOwnerRelationship", field) => {
                        if let Some(o) = doc.owners.last_mut() {
                            let slot = match field {
                                "rptOwnerCik" => &mut o.cik,
                                "rptOwnerName" => &mut o.name,
                                "isDirector" => &mut o.is_director,
                                "isOfficer" => &mut o.is_officer,
                                "isTenPercentOwner" => &mut o.is_ten_percent_owner,
                                "isOther" => &mut o.is_other,
                                "officerTitle" => &mut o.officer_title,
                                "otherText" => &mut o.other_text,
                                _ => &mut ignored,
                            };
                            first(slot, leaf());
                        }
                    }
                    ("ownerSignature", field) => {
                        if let Some(s) = doc.signatures.last_mut() {
                            match field {
                                "signatureName" => first(&mut s.0, leaf()),
                                "signatureDate" => first(&mut s.1, leaf()),
                                _ => {}
                            }
                        }
                    }
                    ("nonDerivativeTable" | "derivativeTable", element) => {
                        if RowKind::of(element).is_some()
                            && let Some(r) = row.take()
                        {
                            doc.rows.push(r);
                        }
                    }
                    (_, field) => {
                        if let Some(r) = row.as_mut() {
                            r.set(field, leaf);
                        }
                    }
                }
                // Only footnotes and remarks read the text of their descendants.
                if !matches!(parent, "footnote" | "remarks") {
                    text.truncate(frame.text_start);
                }
            }
            ev @ (Event::Text(_) | Event::CData(_) | Event::GeneralRef(_)) => {
                append_text(&ev, &mut text, xml, reader.buffer_position())?;
            }
            Event::Eof => break,
            Event::Empty(_)
            | Event::Comment(_)
            | Event::Decl(_)
            | Event::PI(_)
            | Event::DocType(_) => {}
        }
    }
    if !stack.is_empty() {
        return Err(unclosed(xml, stack.iter().map(|f| f.name)));
    }
    if !seen_root {
        return Err(Error::NotAFiling("no <ownershipDocument> element found".to_owned()));
    }
    Ok(doc)
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
    fn every_known_name_interns_to_itself() {
        assert!(KNOWN.iter().all(|n| known(n.as_bytes()) == *n));
        assert_eq!(known(b"transactionCode"), "transactionCode");
        assert_eq!(known(b"rptOwnerStreet1"), "");
    }

    #[test]
    fn latin1_declared_documents_parse() {
        let xml = b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<ownershipDocument>\
            <documentType>4</documentType><issuer><issuerCik>1</issuerCik>\
            <issuerName>Soci\xe9t\xe9 G\xe9n\xe9rale</issuerName></issuer></ownershipDocument>";
        let f = parse_ownership("x", xml).expect("parses");
        assert_eq!(f.issuer.name.as_deref(), Some("Soci\u{e9}t\u{e9} G\u{e9}n\u{e9}rale"));
    }

    #[test]
    fn not_a_filing_and_broken_xml_are_named_errors() {
        assert!(matches!(parse_ownership("x", b"hello"), Err(Error::NotAFiling(_))));
        assert!(matches!(
            parse_ownership("x", b"<ownershipDocument><issuer>"),
            Err(Error::Xml { line: 1, .. })
        ));
        let no_issuer = b"<ownershipDocument><documentType>4</documentType></ownershipDocument>";
        assert_eq!(parse_ownership("x", no_issuer), Err(Error::MissingField("issuerCik")));
        let bad_cik = b"<ownershipDocument><documentType>4</documentType><issuer><issuerCik>12x</issuerCik></issuer></ownershipDocument>";
        assert!(matches!(
            parse_ownership("x", bad_cik),
            Err(Error::InvalidField { field: "issuerCik", .. })
        ));
    }
}

//! Form 13F: an institutional manager's quarterly holdings (13F-HR, 13F-NT and amendments).
//!
//! A submission carries up to two XML documents: the primary document
//! (`<edgarSubmission>`, namespace `.../thirteenffiler`: header data, cover page, signature block,
//! summary page) and, for holdings and combination reports, the information table
//! (`<informationTable>`, one `<infoTable>` per row). Either may arrive alone as bare XML, or both
//! inside a full submission `.txt` (see [`Container`]). Documents are recognised by their root
//! element, never by file name.
//!
//! Like the ownership reader, this one streams (quick-xml), knows elements by local name so that
//! namespace prefixes (`ns1:`, `n1:`, a default namespace) do not matter, treats every element as
//! optional, and keeps the first occurrence of a field.
//!
//! Values in the table are converted to whole dollars by the rule in
//! [`ValueUnit::infer`](marketdesk_core::ValueUnit::infer): thousands before 2023-01-03, dollars
//! from then on.

use jiff::civil::Date;
use marketdesk_core::{
    AmendmentType, Cik, InvestmentDiscretion, Position, PutCall, ReportType, ShareType, ThirteenF,
    ValueUnit,
};
use quick_xml::{Reader, events::Event};

use crate::{
    Error,
    container::{Container, SecHeader, accession_for},
    scalar::{boolean, collapse, date, number},
    xml::{append_text, unclosed, xml_error},
};

/// What kind of filing a document holds, judged by its content (the root elements of its XML).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DocumentKind {
    /// A Form 3, 4 or 5 (`<ownershipDocument>`): read it with
    /// [`parse_ownership`](crate::parse_ownership).
    Ownership,
    /// A Form 13F primary document or information table: read it with [`parse_thirteen_f`].
    ThirteenF,
    /// Neither.
    Unknown,
}

/// Tells which parser a document needs, from the root elements of its XML blocks (the first
/// recognised block decides). A primary document (`<edgarSubmission>`) counts as a 13F only when
/// it says so (the 13F filer namespace, a `13F` submission type, or a `13F` SEC header), since
/// other EDGAR forms share that root.
pub fn detect(bytes: &[u8]) -> DocumentKind {
    let container = Container::new(bytes);
    let header_13f = is_13f_form(container.header.form_type.as_deref());
    for xml in container.xml_blocks() {
        match root(xml) {
            Some(("ownershipDocument", _)) => return DocumentKind::Ownership,
            Some(("informationTable", _)) => return DocumentKind::ThirteenF,
            Some(("edgarSubmission", ns_13f)) if ns_13f || header_13f || xml.contains(">13F-") => {
                return DocumentKind::ThirteenF;
            }
            _ => {}
        }
    }
    DocumentKind::Unknown
}

/// Parses one Form 13F submission: a full submission `.txt` (primary document and information
/// table), a bare information table, a bare primary document (cover only), or a 13F-NT notice.
///
/// `name` is the file name or path the bytes came from; it supplies the accession number when the
/// document has no SEC header.
///
/// Errors: [`Error::NotAFiling`] when neither a 13F primary document nor an information table is
/// found; [`Error::Xml`] for malformed XML (line and column within the XML block);
/// [`Error::MissingField`] / [`Error::InvalidField`] when a cover page has no readable
/// `reportCalendarOrQuarter`.
pub fn parse_thirteen_f(name: &str, bytes: &[u8]) -> Result<ThirteenF, Error> {
    let container = Container::new(bytes);
    let header = &container.header;
    let header_13f = is_13f_form(header.form_type.as_deref());
    let mut cover: Option<Box<CoverFields>> = None;
    let mut table: Option<Vec<RowFields>> = None;
    for xml in container.xml_blocks() {
        // Most blocks of other forms are skipped without being read.
        if !(xml.contains("edgarSubmission") || xml.contains("informationTable")) {
            continue;
        }
        match read(xml)? {
            Block::Cover(c, ns_13f) => {
                let is_13f = ns_13f || header_13f || is_13f_form(c.submission_type.as_deref());
                if is_13f && cover.is_none() {
                    cover = Some(c);
                }
            }
            Block::Table(rows) => {
                if table.is_none() {
                    table = Some(rows);
                }
            }
            Block::Other => {}
        }
    }
    if cover.is_none() && table.is_none() {
        return Err(Error::NotAFiling(match header.form_type.as_deref() {
            Some(form) => {
                format!("form type {form} has no 13F primary document or information table XML")
            }
            None => "no 13F <edgarSubmission> or <informationTable> element found".to_owned(),
        }));
    }
    let has_information_table = table.is_some();
    let c = cover.map(|c| *c).unwrap_or_default();
    let report_period = match c.period.or(c.header_period) {
        Some(p) => Some(
            quarter_date(&p)
                .ok_or(Error::InvalidField { field: "reportCalendarOrQuarter", value: p })?,
        ),
        None if c.present => return Err(Error::MissingField("reportCalendarOrQuarter")),
        None => None,
    };
    let signature_date = c.signature_date.as_deref().and_then(quarter_date);
    let value_unit = ValueUnit::infer(header.filed_date, signature_date, report_period);
    let manager_cik = header_filer_cik(header, bytes)
        .or_else(|| c.credentials_cik.as_deref().and_then(|s| Cik::parse(s).ok()));
    Ok(ThirteenF {
        accession: accession_for(header, name, bytes),
        form_type: header.form_type.clone().or(c.submission_type).map(|s| s.to_ascii_uppercase()),
        manager_cik,
        manager_name: c.manager_name,
        report_period,
        filed_date: header.filed_date,
        accepted_at: header.accepted_at,
        signature_date,
        is_amendment: boolean(c.is_amendment),
        amendment_number: count(c.amendment_no),
        amendment_type: c.amendment_type.and_then(|s| match s.to_ascii_uppercase().as_str() {
            "RESTATEMENT" => Some(AmendmentType::Restatement),
            "NEW HOLDINGS" => Some(AmendmentType::NewHoldings),
            _ => None,
        }),
        confidential_omitted: boolean(c.confidential_omitted),
        confidential_denied_expired: boolean(c.conf_denied_expired),
        report_type: c.report_type.and_then(|s| match s.to_ascii_uppercase().as_str() {
            "13F HOLDINGS REPORT" => Some(ReportType::HoldingsReport),
            "13F NOTICE" => Some(ReportType::Notice),
            "13F COMBINATION REPORT" => Some(ReportType::CombinationReport),
            _ => None,
        }),
        other_included_managers_count: count(c.other_included_managers_count),
        table_entry_total: count(c.table_entry_total),
        table_value_total: number(c.table_value_total),
        value_unit,
        has_information_table,
        holdings: table.unwrap_or_default().into_iter().map(|r| r.finish(value_unit)).collect(),
    })
}

fn is_13f_form(form: Option<&str>) -> bool {
    form.is_some_and(|f| f.trim_start().to_ascii_uppercase().starts_with("13F"))
}

/// `MM-DD-YYYY` as the 13F schema files dates; ISO dates are accepted too.
fn quarter_date(s: &str) -> Option<Date> {
    let mut parts = s.trim().splitn(3, ['-', '/']);
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next()?);
    if a.len() == 4 {
        return date(Some(s.trim().to_owned()));
    }
    if c.len() != 4 {
        return None;
    }
    Date::new(c.parse().ok()?, a.parse().ok()?, b.parse().ok()?).ok()
}

/// A whole count (`tableEntryTotal`, `amendmentNo`, ...).
fn count(s: Option<String>) -> Option<u32> {
    let x = number(s)?;
    // The guard makes the cast exact.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    (x.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&x)).then_some(x as u32)
}

/// The filer's `CENTRAL INDEX KEY` (text header, `FILER:` section) or `<CIK>` (SGML header,
/// `<FILER>` section). [`SecHeader`] does not carry it, so the header is searched here.
fn header_filer_cik(header: &SecHeader, bytes: &[u8]) -> Option<Cik> {
    if *header == SecHeader::default() {
        return None;
    }
    let head_end = find(bytes, b"<DOCUMENT>").unwrap_or(bytes.len().min(64 * 1024));
    let head = bytes.get(..head_end)?;
    let (section, key): (&[u8], &[u8]) = if find(head, b"FILER:").is_some() {
        (b"FILER:", b"CENTRAL INDEX KEY:")
    } else {
        (b"<FILER>", b"<CIK>")
    };
    let after_section = head.get(find(head, section)?..)?;
    let value_start = find(after_section, key)? + key.len();
    let rest = after_section.get(value_start..)?;
    let end = rest.iter().position(|b| matches!(b, b'\n' | b'\r' | b'<')).unwrap_or(rest.len());
    let value = std::str::from_utf8(rest.get(..end)?).ok()?.trim();
    Cik::parse(value).ok()
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// The cover and summary pages' leaves as filed.
#[derive(Default)]
struct CoverFields {
    /// An `<edgarSubmission>` was read.
    present: bool,
    submission_type: Option<String>,
    credentials_cik: Option<String>,
    header_period: Option<String>,
    period: Option<String>,
    is_amendment: Option<String>,
    amendment_no: Option<String>,
    amendment_type: Option<String>,
    conf_denied_expired: Option<String>,
    manager_name: Option<String>,
    report_type: Option<String>,
    other_included_managers_count: Option<String>,
    table_entry_total: Option<String>,
    table_value_total: Option<String>,
    confidential_omitted: Option<String>,
    signature_date: Option<String>,
}

impl CoverFields {
    fn set(&mut self, parent: &str, element: &str, value: impl FnOnce() -> Option<String>) {
        let slot = match (parent, element) {
            ("headerData", "submissionType") => &mut self.submission_type,
            ("credentials", "cik") => &mut self.credentials_cik,
            ("filerInfo", "periodOfReport") => &mut self.header_period,
            ("coverPage", "reportCalendarOrQuarter") => &mut self.period,
            ("coverPage", "isAmendment") => &mut self.is_amendment,
            ("coverPage", "amendmentNo") => &mut self.amendment_no,
            ("amendmentInfo", "amendmentType") => &mut self.amendment_type,
            ("amendmentInfo", "confDeniedExpired") => &mut self.conf_denied_expired,
            ("filingManager", "name") => &mut self.manager_name,
            ("coverPage", "reportType") => &mut self.report_type,
            ("summaryPage", "otherIncludedManagersCount") => {
                &mut self.other_included_managers_count
            }
            ("summaryPage", "tableEntryTotal") => &mut self.table_entry_total,
            ("summaryPage", "tableValueTotal") => &mut self.table_value_total,
            ("summaryPage", "isConfidentialOmitted") => &mut self.confidential_omitted,
            ("signatureBlock", "signatureDate") => &mut self.signature_date,
            _ => return,
        };
        if slot.is_none() {
            *slot = value();
        }
    }
}

/// One `<infoTable>` row's leaves as filed.
#[derive(Default)]
struct RowFields {
    name_of_issuer: Option<String>,
    title_of_class: Option<String>,
    cusip: Option<String>,
    figi: Option<String>,
    value: Option<String>,
    amount: Option<String>,
    amount_type: Option<String>,
    put_call: Option<String>,
    discretion: Option<String>,
    other_manager: Option<String>,
    voting_sole: Option<String>,
    voting_shared: Option<String>,
    voting_none: Option<String>,
}

impl RowFields {
    fn set(&mut self, parent: &str, element: &str, value: impl FnOnce() -> Option<String>) {
        let slot = match (parent, element) {
            (_, "nameOfIssuer") => &mut self.name_of_issuer,
            (_, "titleOfClass") => &mut self.title_of_class,
            (_, "cusip") => &mut self.cusip,
            (_, "figi") => &mut self.figi,
            (_, "value") => &mut self.value,
            (_, "sshPrnamt") => &mut self.amount,
            (_, "sshPrnamtType") => &mut self.amount_type,
            (_, "putCall") => &mut self.put_call,
            (_, "investmentDiscretion") => &mut self.discretion,
            (_, "otherManager") => &mut self.other_manager,
            ("votingAuthority", "Sole") => &mut self.voting_sole,
            ("votingAuthority", "Shared") => &mut self.voting_shared,
            ("votingAuthority", "None") => &mut self.voting_none,
            _ => return,
        };
        if slot.is_none() {
            *slot = value();
        }
    }

    fn finish(self, unit: Option<ValueUnit>) -> Position {
        let upper = |s: Option<String>| s.map(|s| s.to_ascii_uppercase());
        let value_as_filed = number(self.value);
        Position {
            name_of_issuer: self.name_of_issuer,
            title_of_class: self.title_of_class,
            cusip: self.cusip.and_then(|s| normalise_cusip(&s)),
            figi: upper(self.figi),
            value_usd: value_as_filed.zip(unit).and_then(|(v, u)| u.to_dollars(v)),
            value_as_filed,
            shares_or_principal: number(self.amount),
            share_type: upper(self.amount_type).and_then(|s| match s.as_str() {
                "SH" => Some(ShareType::Shares),
                "PRN" => Some(ShareType::Principal),
                _ => None,
            }),
            put_call: upper(self.put_call).and_then(|s| match s.as_str() {
                "PUT" => Some(PutCall::Put),
                "CALL" => Some(PutCall::Call),
                _ => None,
            }),
            investment_discretion: upper(self.discretion).and_then(|s| match s.as_str() {
                "SOLE" => Some(InvestmentDiscretion::Sole),
                "DFND" => Some(InvestmentDiscretion::Defined),
                "OTR" => Some(InvestmentDiscretion::Other),
                _ => None,
            }),
            other_manager: self.other_manager,
            voting_sole: number(self.voting_sole),
            voting_shared: number(self.voting_shared),
            voting_none: number(self.voting_none),
        }
    }
}

/// Upper case without spaces or dashes; an all-digit CUSIP that lost its leading zeros is padded
/// back to nine characters.
fn normalise_cusip(s: &str) -> Option<String> {
    let c: String = s
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .map(|c| c.to_ascii_uppercase())
        .collect();
    if c.is_empty() {
        return None;
    }
    if c.len() < 9 && c.bytes().all(|b| b.is_ascii_digit()) {
        return Some(format!("{c:0>9}"));
    }
    Some(c)
}

/// What one XML block held.
enum Block {
    /// A primary document, and whether its root declares the 13F filer namespace.
    Cover(Box<CoverFields>, bool),
    /// An information table's rows.
    Table(Vec<RowFields>),
    /// Some other document.
    Other,
}

/// Element names the reader acts on; anything else is read as `""`.
const NAMES: &[&str] = &[
    "edgarSubmission",
    "headerData",
    "submissionType",
    "filerInfo",
    "credentials",
    "cik",
    "periodOfReport",
    "coverPage",
    "reportCalendarOrQuarter",
    "isAmendment",
    "amendmentNo",
    "amendmentInfo",
    "amendmentType",
    "confDeniedExpired",
    "filingManager",
    "name",
    "reportType",
    "summaryPage",
    "otherIncludedManagersCount",
    "tableEntryTotal",
    "tableValueTotal",
    "isConfidentialOmitted",
    "signatureBlock",
    "signatureDate",
    "informationTable",
    "infoTable",
    "nameOfIssuer",
    "titleOfClass",
    "cusip",
    "figi",
    "value",
    "shrsOrPrnAmt",
    "sshPrnamt",
    "sshPrnamtType",
    "putCall",
    "investmentDiscretion",
    "otherManager",
    "votingAuthority",
    "Sole",
    "Shared",
    "None",
];

fn known(local: &[u8]) -> &'static str {
    NAMES.iter().find(|n| n.as_bytes() == local).copied().unwrap_or("")
}

/// The root element's local name, when it is one this crate reads, and whether it declares the
/// 13F filer namespace.
fn root(xml: &str) -> Option<(&'static str, bool)> {
    let mut reader = Reader::from_str(xml);
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) | Event::Empty(e) => {
                let name = match e.local_name().as_ref() {
                    b"ownershipDocument" => "ownershipDocument",
                    b"edgarSubmission" => "edgarSubmission",
                    b"informationTable" => "informationTable",
                    _ => return None,
                };
                let ns_13f =
                    e.attributes().flatten().any(|a| find(&a.value, b"thirteenffiler").is_some());
                return Some((name, ns_13f));
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

struct Frame {
    name: &'static str,
    text_start: usize,
    has_children: bool,
}

/// Reads one XML block in one pass.
fn read(xml: &str) -> Result<Block, Error> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut stack: Vec<Frame> = Vec::with_capacity(8);
    let mut text = String::with_capacity(128);
    let mut root: Option<&'static str> = None;
    let mut ns_13f = false;
    let mut cover = CoverFields::default();
    let mut rows = Vec::new();
    let mut row: Option<RowFields> = None;

    loop {
        let event = reader.read_event().map_err(|e| xml_error(xml, reader.error_position(), e))?;
        match event {
            Event::Start(e) => {
                let name = known(e.local_name().as_ref());
                if stack.is_empty() {
                    if root.is_some() {
                        return Err(xml_error(
                            xml,
                            reader.buffer_position(),
                            "a second root element",
                        ));
                    }
                    match name {
                        "informationTable" => {}
                        "edgarSubmission" => {
                            cover.present = true;
                            ns_13f = e
                                .attributes()
                                .flatten()
                                .any(|a| find(&a.value, b"thirteenffiler").is_some());
                        }
                        _ => return Ok(Block::Other),
                    }
                    root = Some(name);
                }
                let parent = match stack.last_mut() {
                    Some(p) => {
                        p.has_children = true;
                        p.name
                    }
                    None => "",
                };
                if name == "infoTable" && parent == "informationTable" {
                    row = Some(RowFields::default());
                }
                stack.push(Frame { name, text_start: text.len(), has_children: false });
            }
            Event::End(_) => {
                let Some(frame) = stack.pop() else {
                    return Err(xml_error(xml, reader.buffer_position(), "unexpected closing tag"));
                };
                let parent = stack.last().map_or("", |f| f.name);
                let own_text = text.get(frame.text_start..).unwrap_or("");
                let has_children = frame.has_children;
                let leaf = move || if has_children { None } else { collapse(own_text) };
                match (root, frame.name) {
                    (_, "") => {}
                    (Some("informationTable"), "infoTable") if parent == "informationTable" => {
                        if let Some(r) = row.take() {
                            rows.push(r);
                        }
                    }
                    (Some("informationTable"), field) => {
                        if let Some(r) = row.as_mut() {
                            r.set(parent, field, leaf);
                        }
                    }
                    (_, field) => cover.set(parent, field, leaf),
                }
                text.truncate(frame.text_start);
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
    Ok(match root {
        Some("edgarSubmission") => Block::Cover(Box::new(cover), ns_13f),
        Some(_) => Block::Table(rows),
        None => Block::Other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quarter_dates() {
        let d = |s: &str| quarter_date(s).map(|d| d.to_string());
        assert_eq!(d("09-30-2023").as_deref(), Some("2023-09-30"));
        assert_eq!(d("12/31/2022").as_deref(), Some("2022-12-31"));
        assert_eq!(d("2022-12-31").as_deref(), Some("2022-12-31"));
        assert_eq!(d("02-30-2023"), None);
        assert_eq!(d("9-30-23"), None);
        assert_eq!(d(""), None);
    }

    #[test]
    fn cusips_are_normalised() {
        assert_eq!(normalise_cusip(" 023135106 ").as_deref(), Some("023135106"));
        assert_eq!(normalise_cusip("g0403h108").as_deref(), Some("G0403H108"));
        assert_eq!(normalise_cusip("2824100").as_deref(), Some("002824100"));
        assert_eq!(normalise_cusip("023135-10-6").as_deref(), Some("023135106"));
        assert_eq!(normalise_cusip("  "), None);
    }

    #[test]
    fn counts_are_whole() {
        assert_eq!(count(Some("14".into())), Some(14));
        assert_eq!(count(Some("1,200".into())), Some(1200));
        assert_eq!(count(Some("1.5".into())), None);
        assert_eq!(count(Some("-1".into())), None);
        assert_eq!(count(None), None);
    }

    #[test]
    fn filer_cik_from_either_header() {
        let text = b"<SEC-HEADER>\nACCESSION NUMBER:\t0001894188-23-000007\n\
                     CONFORMED SUBMISSION TYPE:\t13F-HR\nFILER:\n\tCOMPANY DATA:\n\
                     \t\tCENTRAL INDEX KEY:\t\t\t0001894188\n</SEC-HEADER>\n<DOCUMENT>\n";
        let c = Container::new(text);
        assert_eq!(header_filer_cik(&c.header, text).map(|c| c.get()), Some(1_894_188));
        let sgml = b"<SUBMISSION><ACCESSION-NUMBER>0001894188-23-000007<TYPE>13F-HR\
                     <FILER><COMPANY-DATA><CONFORMED-NAME>X<CIK>0001894188<DOCUMENT>";
        let c = Container::new(sgml);
        assert_eq!(header_filer_cik(&c.header, sgml).map(|c| c.get()), Some(1_894_188));
        let bare = b"<edgarSubmission><filer><cik>1</cik></filer></edgarSubmission>";
        assert_eq!(header_filer_cik(&Container::new(bare).header, bare), None);
    }

    #[test]
    fn every_name_interns_to_itself() {
        assert!(NAMES.iter().all(|n| known(n.as_bytes()) == *n));
        assert_eq!(known(b"street1"), "");
    }
}

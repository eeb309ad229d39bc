//! Form 13F: every real file in `fixtures/edgar/13f` parses to a snapshot that was checked against
//! the source XML; the value-unit cutover, namespace prefixes, partial rows and options are pinned
//! by small documents; 13F and ownership documents are never taken for each other; and no input
//! makes the parser panic.

use std::path::PathBuf;

use marketdesk_core::{
    AmendmentType, InvestmentDiscretion, PutCall, ReportType, ShareType, ThirteenF, ValueUnit,
};
use marketdesk_edgar::{DocumentKind, Error, detect, parse_ownership, parse_thirteen_f};
use proptest::prelude::*;

fn fixture_dir(which: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/edgar").join(which)
}

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(fixture_dir("13f").join(name)).expect("fixture readable")
}

fn fixtures(which: &str) -> Vec<(String, Vec<u8>)> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(fixture_dir(which))
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .collect();
    paths.sort();
    paths.iter().map(|p| (p.display().to_string(), std::fs::read(p).expect("read"))).collect()
}

fn parse(name: &str, xml: &str) -> ThirteenF {
    parse_thirteen_f(name, xml.as_bytes()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

#[test]
fn every_fixture_parses_to_its_snapshot() {
    insta::glob!("../../../fixtures/edgar/13f", "*.{xml,txt}", |path| {
        let bytes = std::fs::read(path).expect("fixture readable");
        let name = path.file_name().and_then(|n| n.to_str()).expect("utf-8 name");
        let filing = parse_thirteen_f(name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        insta::assert_json_snapshot!(filing);
    });
}

#[test]
fn fixture_row_counts_and_totals() {
    let lts =
        parse_thirteen_f("x", &fixture("13f-hr_LTSOne_0001894188-23-000007.txt")).expect("parses");
    assert_eq!(lts.holdings.len(), 14);
    assert_eq!(lts.table_entry_total, Some(14));
    assert_eq!(lts.form_type.as_deref(), Some("13F-HR"));
    assert_eq!(lts.manager_cik.map(|c| c.get()), Some(1_894_188));
    assert_eq!(lts.value_unit, Some(ValueUnit::Dollars), "filed 2023-11-14");
    let sum: u64 = lts.holdings.iter().filter_map(|p| p.value_usd).sum();
    assert_eq!(Some(sum as f64), lts.table_value_total, "rows add up to the stated total");

    let sec = parse_thirteen_f(
        "13f_infotable_SEC_official_sample_ns1_prefix.xml",
        &fixture("13f_infotable_SEC_official_sample_ns1_prefix.xml"),
    )
    .expect("parses");
    assert_eq!(sec.holdings.len(), 169);
    assert_eq!(sec.holdings.iter().filter(|p| p.figi.is_some()).count(), 3);
    assert_eq!((sec.value_unit, sec.form_type.as_deref()), (None, None), "a bare table");
    assert!(sec.holdings.iter().all(|p| p.value_usd.is_none() && p.value_as_filed.is_some()));

    let et = parse_thirteen_f("x", &fixture("13f_infotable_edgartools_sample_255rows.xml"))
        .expect("parses");
    assert_eq!(et.holdings.len(), 255);
    assert_eq!(
        et.holdings.iter().filter(|p| p.share_type == Some(ShareType::Principal)).count(),
        3
    );
    assert!(et.has_information_table && et.manager_name.is_none());
    assert!(et.holdings.iter().all(|p| p.cusip.as_ref().is_some_and(|c| c.len() == 9)));

    let metlife =
        parse_thirteen_f("x", &fixture("13f-hr_primarydoc_METLIFE_2021Q4.xml")).expect("parses");
    assert!(!metlife.has_information_table && metlife.holdings.is_empty());
    assert_eq!(metlife.report_type, Some(ReportType::CombinationReport));
    assert_eq!(metlife.table_entry_total, Some(6));
    assert_eq!(metlife.manager_cik.map(|c| c.get()), Some(1_099_219));
    // Signed 2023-03-22, after the cutover, though the quarter is 2021Q4.
    assert_eq!(metlife.value_unit, Some(ValueUnit::Dollars));

    let nt = parse_thirteen_f("x", &fixture("13f-nt_0001178913-20-000417.txt")).expect("parses");
    assert!(nt.is_notice() && !nt.has_information_table && nt.holdings.is_empty());
    assert_eq!(nt.form_type.as_deref(), Some("13F-NT"));
    assert_eq!(nt.manager_cik.map(|c| c.get()), Some(1_727_574));
    assert_eq!(
        (nt.table_entry_total, nt.table_value_total, nt.other_included_managers_count),
        (None, None, None),
        "empty summary elements are missing, not zero"
    );
}

fn submission(filed: &str, period: &str, value: &str) -> String {
    format!(
        "<SEC-DOCUMENT>\n<SEC-HEADER>\nACCESSION NUMBER:\t\t0000000001-23-000001\n\
         CONFORMED SUBMISSION TYPE:\t13F-HR\nFILED AS OF DATE:\t\t{filed}\n\nFILER:\n\
         \tCOMPANY DATA:\n\t\tCENTRAL INDEX KEY:\t\t\t0000000042\n</SEC-HEADER>\n\
         <DOCUMENT>\n<TYPE>13F-HR\n<TEXT>\n<XML>\n\
         <edgarSubmission xmlns=\"http://www.sec.gov/edgar/thirteenffiler\"><formData><coverPage>\
         <reportCalendarOrQuarter>{period}</reportCalendarOrQuarter></coverPage></formData>\
         </edgarSubmission>\n</XML>\n</TEXT>\n</DOCUMENT>\n<DOCUMENT>\n<TYPE>INFORMATION TABLE\n\
         <TEXT>\n<XML>\n<informationTable><infoTable><cusip>023135106</cusip><value>{value}</value>\
         </infoTable></informationTable>\n</XML>\n</TEXT>\n</DOCUMENT>\n"
    )
}

#[test]
fn values_are_thousands_before_the_2023_01_03_filing_date_and_dollars_from_it() {
    let before = parse("x.txt", &submission("20230102", "09-30-2022", "1,234"));
    assert_eq!(before.value_unit, Some(ValueUnit::Thousands));
    assert_eq!(before.holdings[0].value_as_filed, Some(1234.0));
    assert_eq!(before.holdings[0].value_usd, Some(1_234_000));

    let on = parse("x.txt", &submission("20230103", "09-30-2022", "1234"));
    assert_eq!(on.value_unit, Some(ValueUnit::Dollars), "a late or amended filing: dollars");
    assert_eq!(on.holdings[0].value_usd, Some(1234));
    assert_eq!(on.manager_cik.map(|c| c.get()), Some(42));
}

fn primary_and_table(period: &str, value: &str) -> String {
    // A bare primary document followed by no header: only the period is known.
    format!(
        "<SEC-DOCUMENT><DOCUMENT><XML><edgarSubmission><headerData><submissionType>13F-HR\
         </submissionType></headerData><formData><coverPage><reportCalendarOrQuarter>{period}\
         </reportCalendarOrQuarter></coverPage></formData></edgarSubmission></XML></DOCUMENT>\
         <DOCUMENT><XML><informationTable><infoTable><value>{value}</value></infoTable>\
         </informationTable></XML></DOCUMENT></SEC-DOCUMENT>"
    )
}

#[test]
fn without_a_filing_date_the_report_period_decides() {
    let q3 = parse("x", &primary_and_table("09-30-2022", "5"));
    assert_eq!((q3.filed_date, q3.value_unit), (None, Some(ValueUnit::Thousands)));
    assert_eq!(q3.holdings[0].value_usd, Some(5000));
    let q4 = parse("x", &primary_and_table("12-31-2022", "5"));
    assert_eq!(q4.value_unit, Some(ValueUnit::Dollars));
    assert_eq!(q4.holdings[0].value_usd, Some(5));
    assert_eq!(q4.form_type.as_deref(), Some("13F-HR"), "from submissionType");
}

const ROW: &str = "<P:infoTable><P:nameOfIssuer>APPLE INC</P:nameOfIssuer>\
    <P:titleOfClass>COM</P:titleOfClass><P:cusip>037833100</P:cusip><P:value>100</P:value>\
    <P:shrsOrPrnAmt><P:sshPrnamt>10</P:sshPrnamt><P:sshPrnamtType>SH</P:sshPrnamtType>\
    </P:shrsOrPrnAmt><P:investmentDiscretion>DFND</P:investmentDiscretion>\
    <P:otherManager>1,2</P:otherManager><P:votingAuthority><P:Sole>1</P:Sole>\
    <P:Shared>2</P:Shared><P:None>7</P:None></P:votingAuthority></P:infoTable>";

#[test]
fn namespace_prefixes_do_not_matter() {
    let ns = "http://www.sec.gov/edgar/document/thirteenf/informationtable";
    let default =
        format!("<informationTable xmlns=\"{ns}\">{}</informationTable>", ROW.replace("P:", ""));
    let expected = parse("default.xml", &default).holdings;
    assert_eq!(expected.len(), 1);
    let p = &expected[0];
    assert_eq!(p.name_of_issuer.as_deref(), Some("APPLE INC"));
    assert_eq!(p.investment_discretion, Some(InvestmentDiscretion::Defined));
    assert_eq!(p.other_manager.as_deref(), Some("1,2"));
    assert_eq!((p.voting_sole, p.voting_shared, p.voting_none), (Some(1.0), Some(2.0), Some(7.0)));
    for prefix in ["ns1", "n1", "foo"] {
        let xml = format!(
            "<?xml version=\"1.0\"?>\n<{prefix}:informationTable xmlns:{prefix}=\"{ns}\">{}\
             </{prefix}:informationTable>",
            ROW.replace("P:", &format!("{prefix}:"))
        );
        assert_eq!(parse("x.xml", &xml).holdings, expected, "prefix {prefix}");
    }
}

#[test]
fn empty_and_partial_rows_keep_what_is_there() {
    let xml = "<informationTable>\
        <infoTable/>\
        <infoTable><nameOfIssuer>  ACME\n  CORP </nameOfIssuer><cusip>g0403h108</cusip>\
          <value></value><shrsOrPrnAmt><sshPrnamt>n/a</sshPrnamt></shrsOrPrnAmt>\
          <votingAuthority><Sole>5</Sole></votingAuthority></infoTable>\
        </informationTable>";
    let f = parse("x.xml", xml);
    assert_eq!(f.holdings.len(), 2);
    let empty = &f.holdings[0];
    assert_eq!((empty.name_of_issuer.as_ref(), empty.cusip.as_ref()), (None, None));
    assert_eq!((empty.value_as_filed, empty.value_usd, empty.voting_none), (None, None, None));
    let partial = &f.holdings[1];
    assert_eq!(partial.name_of_issuer.as_deref(), Some("ACME CORP"));
    assert_eq!(partial.cusip.as_deref(), Some("G0403H108"));
    assert_eq!((partial.value_as_filed, partial.shares_or_principal), (None, None));
    assert_eq!((partial.voting_sole, partial.voting_shared), (Some(5.0), None));
    assert_eq!(
        (partial.share_type, partial.put_call, partial.investment_discretion),
        (None, None, None)
    );
}

#[test]
fn options_rows_say_put_or_call() {
    let row = |pc: &str| {
        format!(
            "<infoTable><cusip>78462F103</cusip><value>1</value><shrsOrPrnAmt><sshPrnamt>100\
             </sshPrnamt><sshPrnamtType>SH</sshPrnamtType></shrsOrPrnAmt>{pc}</infoTable>"
        )
    };
    let xml = format!(
        "<informationTable>{}{}{}{}</informationTable>",
        row("<putCall>Put</putCall>"),
        row("<putCall>CALL</putCall>"),
        row(""),
        row("<putCall>straddle</putCall>")
    );
    let calls: Vec<Option<PutCall>> =
        parse("x", &xml).holdings.iter().map(|p| p.put_call).collect();
    assert_eq!(calls, [Some(PutCall::Put), Some(PutCall::Call), None, None]);
}

#[test]
fn cover_page_amendment_and_confidential_fields() {
    let xml = "<edgarSubmission xmlns=\"http://www.sec.gov/edgar/thirteenffiler\">\
        <headerData><submissionType>13F-HR/A</submissionType><filerInfo><filer><credentials>\
        <cik>0000102909</cik></credentials></filer><periodOfReport>03-31-2024</periodOfReport>\
        </filerInfo></headerData><formData><coverPage>\
        <reportCalendarOrQuarter>03-31-2024</reportCalendarOrQuarter><isAmendment>true</isAmendment>\
        <amendmentNo>2</amendmentNo><amendmentInfo><amendmentType>NEW HOLDINGS</amendmentType>\
        <confDeniedExpired>true</confDeniedExpired></amendmentInfo>\
        <filingManager><name>VANGUARD GROUP INC</name></filingManager>\
        <reportType>13F HOLDINGS REPORT</reportType><otherManagersInfo><otherManager>\
        <name>SOMEONE ELSE</name><cik>1</cik></otherManager></otherManagersInfo></coverPage>\
        <signatureBlock><name>Signer</name><signatureDate>05-15-2024</signatureDate></signatureBlock>\
        <summaryPage><otherIncludedManagersCount>3</otherIncludedManagersCount>\
        <tableEntryTotal>1</tableEntryTotal><tableValueTotal>1000</tableValueTotal>\
        <isConfidentialOmitted>true</isConfidentialOmitted></summaryPage></formData>\
        </edgarSubmission>";
    let f = parse("0000102909-24-000002.xml", xml);
    assert_eq!(f.accession.as_str(), "0000102909-24-000002");
    assert_eq!(f.form_type.as_deref(), Some("13F-HR/A"));
    assert!(f.is_amendment() && !f.is_notice());
    assert_eq!(f.manager_cik.map(|c| c.get()), Some(102_909), "not the other manager's");
    assert_eq!(f.manager_name.as_deref(), Some("VANGUARD GROUP INC"));
    assert_eq!(f.report_period.map(|d| d.to_string()).as_deref(), Some("2024-03-31"));
    assert_eq!(f.signature_date.map(|d| d.to_string()).as_deref(), Some("2024-05-15"));
    assert_eq!((f.is_amendment, f.amendment_number), (Some(true), Some(2)));
    assert_eq!(f.amendment_type, Some(AmendmentType::NewHoldings));
    assert_eq!((f.confidential_omitted, f.confidential_denied_expired), (Some(true), Some(true)));
    assert_eq!(f.report_type, Some(ReportType::HoldingsReport));
    assert_eq!(f.other_included_managers_count, Some(3));
    assert_eq!((f.table_entry_total, f.table_value_total), (Some(1), Some(1000.0)));

    let restated = xml.replace("NEW HOLDINGS", "restatement");
    assert_eq!(parse("x", &restated).amendment_type, Some(AmendmentType::Restatement));
}

#[test]
fn problems_are_named() {
    assert!(matches!(parse_thirteen_f("x", b"hello"), Err(Error::NotAFiling(_))));
    assert!(matches!(
        parse_thirteen_f("x", b"<informationTable>\n  <infoTable><cusip>1</value>"),
        Err(Error::Xml { line: 2, .. })
    ));
    assert!(matches!(
        parse_thirteen_f("x", b"<informationTable><infoTable>"),
        Err(Error::Xml { .. })
    ));
    let cover = |body: &str| {
        format!(
            "<edgarSubmission xmlns=\"http://www.sec.gov/edgar/thirteenffiler\">{body}</edgarSubmission>"
        )
    };
    assert_eq!(
        parse_thirteen_f("x", cover("<formData/>").as_bytes()),
        Err(Error::MissingField("reportCalendarOrQuarter"))
    );
    assert!(matches!(
        parse_thirteen_f(
            "x",
            cover(
                "<formData><coverPage><reportCalendarOrQuarter>Q3 2023</reportCalendarOrQuarter>\
                   </coverPage></formData>"
            )
            .as_bytes()
        ),
        Err(Error::InvalidField { field: "reportCalendarOrQuarter", .. })
    ));
    // Other EDGAR forms share the `<edgarSubmission>` root.
    let form_d = b"<edgarSubmission><submissionType>D</submissionType></edgarSubmission>";
    assert!(matches!(parse_thirteen_f("x", form_d), Err(Error::NotAFiling(_))));
    assert_eq!(detect(form_d), DocumentKind::Unknown);
}

#[test]
fn thirteen_f_and_ownership_are_never_confused() {
    for (name, bytes) in fixtures("13f") {
        assert_eq!(detect(&bytes), DocumentKind::ThirteenF, "{name}");
        assert!(matches!(parse_ownership(&name, &bytes), Err(Error::NotAFiling(_))), "{name}");
    }
    for (name, bytes) in fixtures("ownership") {
        assert_eq!(detect(&bytes), DocumentKind::Ownership, "{name}");
        assert!(matches!(parse_thirteen_f(&name, &bytes), Err(Error::NotAFiling(_))), "{name}");
    }
    assert_eq!(detect(b"hello"), DocumentKind::Unknown);
    assert_eq!(detect(b""), DocumentKind::Unknown);
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_thirteen_f("fuzz.xml", &bytes);
        let _ = detect(&bytes);
    }

    #[test]
    fn truncated_and_corrupted_13f_never_panic(
        which in 0usize..5,
        cut in any::<prop::sample::Index>(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
    ) {
        let all = fixtures("13f");
        let mut bytes = all[which % all.len()].1.clone();
        bytes.truncate(cut.index(bytes.len() + 1));
        for (at, value) in flips {
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes[i] = value;
            }
        }
        let _ = parse_thirteen_f("0000000001-24-000001.txt", &bytes);
        let _ = detect(&bytes);
    }

    #[test]
    fn arbitrary_cover_and_row_values_never_panic(
        period in "[0-9/-]{0,12}",
        filed in "[0-9]{0,10}",
        value in "[0-9.,$ e-]{0,24}",
        cusip in "[0-9A-Za-z -]{0,12}",
    ) {
        let text = format!(
            "<SEC-HEADER>\nACCESSION NUMBER:\t0000000001-23-000001\nFILED AS OF DATE:\t{filed}\n\
             FILER:\nCENTRAL INDEX KEY:\t{filed}\n</SEC-HEADER>\n<DOCUMENT>\n<XML>\n<edgarSubmission>\
             <headerData><submissionType>13F-HR</submissionType></headerData><formData><coverPage>\
             <reportCalendarOrQuarter>{period}</reportCalendarOrQuarter></coverPage></formData>\
             </edgarSubmission>\n</XML>\n<XML>\n\
             <informationTable><infoTable><cusip>{cusip}</cusip><value>{value}</value>\
             <shrsOrPrnAmt><sshPrnamt>{value}</sshPrnamt></shrsOrPrnAmt></infoTable>\
             </informationTable>\n</XML>"
        );
        let _ = parse_thirteen_f("x.txt", text.as_bytes());
    }
}

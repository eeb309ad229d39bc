//! Real EDGAR index files read completely.

use std::path::PathBuf;

use marketdesk_edgar::index::{is_ownership_form, parse_index};

fn read(name: &str) -> String {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/edgar/index").join(name);
    String::from_utf8_lossy(&std::fs::read(p).expect("fixture")).into_owned()
}

#[test]
fn a_whole_daily_form_index() {
    let (rows, bad) = parse_index(&read("form.20200318.idx"));
    assert!(bad.is_empty(), "{bad:?}");
    // Every row with a file name (`grep -c edgar/data` agrees; the shared manifest says 4,083).
    assert_eq!(rows.len(), 4084);
    let count = |form: &str| rows.iter().filter(|r| r.form_type == form).count();
    assert_eq!((count("4"), count("4/A"), count("3")), (2040, 34, 89));
    // Correspondence is released with its original date; filings carry the day.
    assert!(
        rows.iter()
            .filter(|r| r.form_type == "4")
            .all(|r| r.date_filed.to_string() == "2020-03-18")
    );
    let ownership: std::collections::BTreeSet<_> = rows
        .iter()
        .filter(|r| is_ownership_form(&r.form_type))
        .map(|r| r.accession().expect("every file name holds an accession"))
        .collect();
    // Each Form 4 is listed once per filer role; distinct accessions are fewer than rows.
    assert!(ownership.len() < count("4") + count("4/A") + count("3") + count("5") + count("5/A"));
    assert!(!ownership.is_empty());
}

#[test]
fn a_daily_master_index() {
    let (rows, bad) = parse_index(&read("master.20181231.truncated.idx"));
    assert!(bad.is_empty(), "{bad:?}");
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| r.file_name.starts_with("edgar/data/")));
}

//! EDGAR's form indexes: `form.idx` (fixed-width, sorted by form type) and `master.idx`
//! (pipe-delimited), daily under `daily-index/` and quarterly under `full-index/`.

use jiff::civil::{Date, Weekday};
use marketdesk_core::{Accession, Cik};

/// One row of an index: one filing under one filer (a Form 4 appears under its issuer and under
/// each reporting owner, so callers deduplicate by accession).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexEntry {
    /// The form type, e.g. `4` or `4/A`.
    pub form_type: String,
    /// The filer's name.
    pub company: String,
    /// The filer's CIK.
    pub cik: Cik,
    /// When it was filed.
    pub date_filed: Date,
    /// Archive path of the full submission, e.g. `edgar/data/1750/0001127602-25-001055.txt`.
    pub file_name: String,
}

impl IndexEntry {
    /// The accession number, read from the file name.
    pub fn accession(&self) -> Option<Accession> {
        let stem = self.file_name.rsplit('/').next()?.trim_end_matches(".txt");
        Accession::parse(stem).ok()
    }
}

/// Forms 3, 4 and 5 and their amendments.
pub fn is_ownership_form(form_type: &str) -> bool {
    matches!(form_type, "3" | "3/A" | "4" | "4/A" | "5" | "5/A")
}

/// The forms marketdesk ingests: Forms 3, 4 and 5, and 13F reports and notices, with their
/// amendments.
pub fn is_tracked_form(form_type: &str) -> bool {
    is_ownership_form(form_type)
        || matches!(form_type, "13F-HR" | "13F-HR/A" | "13F-NT" | "13F-NT/A")
}

/// A row that could not be read, with its 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    /// 1-based line number in the index file.
    pub line: usize,
    /// The line's text.
    pub text: String,
}

/// Reads a `form.idx` or `master.idx`. Header lines are skipped; rows that cannot be read are
/// returned separately so that one bad line loses nothing else.
pub fn parse_index(text: &str) -> (Vec<IndexEntry>, Vec<BadLine>) {
    let mut entries = Vec::new();
    let mut bad = Vec::new();
    let mut in_body = false;
    for (n, line) in text.lines().enumerate() {
        if !in_body {
            in_body = line.starts_with("----");
            continue;
        }
        if line.trim().is_empty() {
            continue;
        }
        let parsed = if line.contains('|') { master_row(line) } else { form_row(line) };
        match parsed {
            Some(e) => entries.push(e),
            None => bad.push(BadLine { line: n + 1, text: line.to_owned() }),
        }
    }
    (entries, bad)
}

fn index_date(s: &str) -> Option<Date> {
    let s = s.trim();
    if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        format!("{}-{}-{}", &s[..4], &s[4..6], &s[6..]).parse().ok()
    } else {
        s.parse().ok()
    }
}

/// `CIK|Company Name|Form Type|Date Filed|Filename`.
fn master_row(line: &str) -> Option<IndexEntry> {
    let mut parts = line.split('|');
    let cik = Cik::parse(parts.next()?).ok()?;
    let company = parts.next()?.trim().to_owned();
    let form_type = parts.next()?.trim().to_owned();
    let date_filed = index_date(parts.next()?)?;
    let file_name = parts.next()?.trim().to_owned();
    (!form_type.is_empty() && file_name.starts_with("edgar/")).then_some(IndexEntry {
        form_type,
        company,
        cik,
        date_filed,
        file_name,
    })
}

/// Fixed width: form type in columns 0-11, then the company, CIK, date and file name. Company
/// names contain spaces, so the row is read from the right.
fn form_row(line: &str) -> Option<IndexEntry> {
    let form_type = line.get(..12)?.trim().to_owned();
    let rest = line.get(12..)?.trim_end();
    let (rest, file_name) = rest.rsplit_once(char::is_whitespace)?;
    let (rest, date) = rest.trim_end().rsplit_once(char::is_whitespace)?;
    let (company, cik) = rest.trim_end().rsplit_once(char::is_whitespace)?;
    let entry = IndexEntry {
        form_type,
        company: company.trim().to_owned(),
        cik: Cik::parse(cik).ok()?,
        date_filed: index_date(date)?,
        file_name: file_name.to_owned(),
    };
    (!entry.form_type.is_empty() && entry.file_name.starts_with("edgar/")).then_some(entry)
}

/// Archive path of the daily form index for `day`, e.g.
/// `Archives/edgar/daily-index/2020/QTR1/form.20200318.idx`.
pub fn daily_form_index_path(day: Date) -> String {
    let quarter = (day.month() - 1) / 3 + 1;
    format!(
        "Archives/edgar/daily-index/{}/QTR{quarter}/form.{}.idx",
        day.year(),
        day.strftime("%Y%m%d")
    )
}

/// Weekdays from `since` to `until`, inclusive: EDGAR publishes no index on weekends.
pub fn business_days(since: Date, until: Date) -> Vec<Date> {
    let mut out = Vec::new();
    let mut d = since;
    while d <= until {
        if !matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday) {
            out.push(d);
        }
        match d.tomorrow() {
            Ok(next) => d = next,
            Err(_) => break,
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const FORM_IDX: &str = "Description:           Daily Index of EDGAR Dissemination Feed by Form Type
Last Data Received:    Mar 18, 2020

Form Type   Company Name                                                  CIK         Date Filed  File Name
---------------------------------------------------------------------------------------------------------------------------------------------
4           10x Genomics, Inc.                                            1770787     20200318    edgar/data/1770787/0000899243-20-008928.txt
SC 13D/A    A VERY LONG COMPANY NAME THAT RUNS PAST ITS COLUMN WIDTH AND BEYOND 1234567 20200318 edgar/data/1234567/0001234567-20-000001.txt
garbage
";

    #[test]
    fn form_index_rows() {
        let (rows, bad) = parse_index(FORM_IDX);
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].form_type, "4");
        assert_eq!(rows[0].company, "10x Genomics, Inc.");
        assert_eq!(rows[0].cik.get(), 1770787);
        assert_eq!(
            rows[0].accession().map(|a| a.to_string()).as_deref(),
            Some("0000899243-20-008928")
        );
        assert_eq!(rows[1].form_type, "SC 13D/A");
        assert_eq!(bad, vec![BadLine { line: 8, text: "garbage".into() }]);
    }

    #[test]
    fn master_index_rows() {
        let text = "CIK|Company Name|Form Type|Date Filed|File Name\n--------\n\
                    1000045|NICHOLAS FINANCIAL INC|4|2018-12-31|edgar/data/1000045/0001357521-18-000011.txt\n";
        let (rows, bad) = parse_index(text);
        assert!(bad.is_empty());
        assert_eq!(rows[0].date_filed.to_string(), "2018-12-31");
        assert_eq!(rows[0].form_type, "4");
    }

    #[test]
    fn paths_and_days() {
        let d: Date = "2023-07-03".parse().expect("date");
        assert_eq!(
            daily_form_index_path(d),
            "Archives/edgar/daily-index/2023/QTR3/form.20230703.idx"
        );
        let days =
            business_days("2025-03-14".parse().expect("d"), "2025-03-18".parse().expect("d"));
        let days: Vec<String> = days.iter().map(ToString::to_string).collect();
        assert_eq!(days, ["2025-03-14", "2025-03-17", "2025-03-18"]);
    }
}

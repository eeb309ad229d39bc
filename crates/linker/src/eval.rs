//! Scoring the linker against labelled JSON Lines (`{"id","text","tickers","ciks",...}`):
//! precision, recall and F1 over (line, CIK) pairs, with every miss and false tag.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::{Linker, LinkerError};

#[derive(Deserialize)]
struct Labelled {
    id: String,
    text: String,
    #[serde(default)]
    tickers: Vec<String>,
    #[serde(default)]
    ciks: Option<Vec<u64>>,
}

/// A company the linker missed, or tagged wrongly, on one line.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct LineError {
    /// The line's `id`.
    pub id: String,
    /// The gold ticker (a miss) or the predicted ticker (a false tag).
    pub ticker: String,
    /// The CIK compared.
    pub cik: u64,
    /// For a false tag, the text that was tagged.
    pub surface: Option<String>,
}

/// Precision, recall and F1 over (line, CIK) pairs.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Report {
    /// Lines read.
    pub lines: usize,
    /// (line, CIK) pairs both predicted and gold.
    pub true_positives: usize,
    /// Predicted pairs not in gold.
    pub false_positives: usize,
    /// Gold pairs not predicted.
    pub false_negatives: usize,
    /// TP / (TP + FP); 1 when nothing was predicted.
    pub precision: f64,
    /// TP / (TP + FN); 1 when there is no gold.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
    /// Gold companies not found, per line.
    pub misses: Vec<LineError>,
    /// Companies tagged that are not gold, per line.
    pub false_tags: Vec<LineError>,
}

/// Runs the linker over every JSON line of `lines` (blank lines skipped) and compares the
/// predicted companies of each line with its gold by CIK, so that share-class and renamed
/// tickers do not count as errors. Gold CIKs come from `"ciks"`, or else from `"tickers"`
/// through the linker's symbol table.
pub fn evaluate(linker: &Linker, lines: &str) -> Result<Report, LinkerError> {
    let mut report = Report {
        lines: 0,
        true_positives: 0,
        false_positives: 0,
        false_negatives: 0,
        precision: 1.0,
        recall: 1.0,
        f1: 1.0,
        misses: Vec::new(),
        false_tags: Vec::new(),
    };
    for (n, line) in lines.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let row: Labelled = serde_json::from_str(line)
            .map_err(|source| LinkerError::EvalLine { line: n + 1, source })?;
        report.lines += 1;
        let gold: Vec<(u64, String)> = match &row.ciks {
            Some(ciks) => ciks.iter().copied().zip(row.tickers.iter().cloned()).collect(),
            None => row
                .tickers
                .iter()
                .filter_map(|t| linker.lookup_ticker(t).map(|(_, cik)| (cik.get(), t.clone())))
                .collect(),
        };
        let gold_ciks: BTreeSet<u64> = gold.iter().map(|(c, _)| *c).collect();
        let mentions = linker.link(&row.text);
        let mut predicted: BTreeSet<u64> = BTreeSet::new();
        for m in &mentions {
            let cik = m.cik.get();
            if !predicted.insert(cik) {
                continue;
            }
            if gold_ciks.contains(&cik) {
                report.true_positives += 1;
            } else {
                report.false_positives += 1;
                report.false_tags.push(LineError {
                    id: row.id.clone(),
                    ticker: m.ticker.clone(),
                    cik,
                    surface: Some(m.text.clone()),
                });
            }
        }
        for (cik, ticker) in gold.iter().filter(|(c, _)| !predicted.contains(c)) {
            report.false_negatives += 1;
            report.misses.push(LineError {
                id: row.id.clone(),
                ticker: ticker.clone(),
                cik: *cik,
                surface: None,
            });
        }
    }
    let (tp, fp, fn_) = (
        report.true_positives as f64,
        report.false_positives as f64,
        report.false_negatives as f64,
    );
    if tp + fp > 0.0 {
        report.precision = tp / (tp + fp);
    }
    if tp + fn_ > 0.0 {
        report.recall = tp / (tp + fn_);
    }
    let sum = report.precision + report.recall;
    report.f1 = if sum > 0.0 { 2.0 * report.precision * report.recall / sum } else { 0.0 };
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Aliases, Reference};

    #[test]
    fn scores_by_cik_and_lists_errors() {
        let (Ok(r), Ok(a)) = (Reference::shipped(), Aliases::shipped()) else { panic!() };
        let linker = Linker::new(&r, &a);
        let lines = r#"{"id":"a","text":"$GOOG and Apple","tickers":["AAPL","GOOGL"],"ciks":[320193,1652044]}

{"id":"b","text":"$MSFT rose","tickers":["NVDA"]}
{"id":"c","text":"nothing","tickers":[]}"#;
        let Ok(report) = evaluate(&linker, lines) else { panic!() };
        assert_eq!(report.lines, 3);
        assert_eq!(
            (report.true_positives, report.false_positives, report.false_negatives),
            (2, 1, 1)
        );
        assert_eq!(report.misses[0].ticker, "NVDA");
        assert_eq!(report.false_tags[0].surface.as_deref(), Some("$MSFT"));
        assert!(
            (report.precision - 2.0 / 3.0).abs() < 1e-9 && (report.recall - 2.0 / 3.0).abs() < 1e-9
        );
        assert!(evaluate(&linker, "{not json").is_err());
    }
}

//! Scoring the analyser against labelled headlines (the shared sector set's JSON Lines).

use std::fmt;

use serde::de::{MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::kb::{Direction, KnowledgeBase, Sector};

/// A line of a gold file that could not be used.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong with it.
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Why an evaluation produced no report.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EvalError {
    /// No line of the file could be used; the bad lines say why.
    #[error("no usable line in the gold file ({} bad)", .0.len())]
    NoItems(Vec<LineError>),
}

/// Precision, recall and F1 of one sector (or of all (item, sector) pairs), direction ignored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    /// Predicted and in the gold labels.
    pub true_positives: usize,
    /// Predicted, not in the gold labels.
    pub false_positives: usize,
    /// In the gold labels, not predicted.
    pub false_negatives: usize,
    /// tp / (tp + fp); 1 when nothing was predicted.
    pub precision: f64,
    /// tp / (tp + fn); 1 when nothing was to be found.
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Prf {
    fn from_counts(tp: usize, fp: usize, fn_: usize) -> Self {
        let ratio = |n: usize, d: usize| if d == 0 { 1.0 } else { n as f64 / d as f64 };
        let precision = ratio(tp, tp + fp);
        let recall = ratio(tp, tp + fn_);
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf { true_positives: tp, false_positives: fp, false_negatives: fn_, precision, recall, f1 }
    }
}

/// One sector's scores.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectorScore {
    /// The sector.
    pub sector: Sector,
    /// Its precision, recall and F1 over the items.
    #[serde(flatten)]
    pub scores: Prf,
    /// Correctly found with the right direction.
    pub direction_correct: usize,
}

/// One labelled item with what the analyser said.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ItemResult {
    /// The item's id.
    pub id: String,
    /// The gold labels, in the file's order (the first is the primary sector).
    pub gold: Vec<(Sector, Direction)>,
    /// The analyser's sectors, strongest first.
    pub predicted: Vec<(Sector, Direction)>,
}

impl ItemResult {
    /// Whether the prediction is exactly the gold set with the gold directions.
    pub fn exact(&self) -> bool {
        self.gold.len() == self.predicted.len()
            && self.gold.iter().all(|g| self.predicted.contains(g))
    }
}

/// What [`evaluate`](super::evaluate) found.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectorReport {
    /// Items scored.
    pub items: usize,
    /// Micro-averaged precision, recall and F1 over (item, sector) pairs, direction ignored.
    pub micro: Prf,
    /// Of the correctly found (item, sector) pairs, the share with the gold direction.
    pub direction_accuracy: f64,
    /// Correctly found pairs with the gold direction.
    pub direction_correct: usize,
    /// Of the items with at least one gold sector, the share whose strongest predicted sector
    /// is the first-listed gold sector.
    pub primary_accuracy: f64,
    /// Items with at least one gold sector.
    pub primary_items: usize,
    /// Of the items labelled `{}` (hard negatives), the share predicted empty.
    pub empty_accuracy: f64,
    /// Items labelled `{}`.
    pub empty_items: usize,
    /// Scores per sector, for the sectors that occur in the gold labels or the predictions.
    pub sectors: Vec<SectorScore>,
    /// Every item with its gold labels and prediction.
    pub results: Vec<ItemResult>,
    /// Lines that could not be used (the others were scored).
    pub errors: Vec<LineError>,
}

/// A gold line as written.
#[derive(Deserialize)]
struct GoldLine {
    id: String,
    text: String,
    #[serde(deserialize_with = "ordered_pairs")]
    sectors: Vec<(String, String)>,
}

/// A JSON object read as its (key, value) pairs in file order (the first is the primary).
fn ordered_pairs<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, String)>, D::Error> {
    struct Pairs;
    impl<'de> Visitor<'de> for Pairs {
        type Value = Vec<(String, String)>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an object of sector names to \"+\", \"-\" or \"mixed\"")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some((k, v)) = map.next_entry::<String, String>()? {
                out.push((k, v));
            }
            Ok(out)
        }
    }
    d.deserialize_map(Pairs)
}

/// A gold line: id, text, labels.
type Labelled = (String, String, Vec<(Sector, Direction)>);

fn parse_line(line: &str) -> Result<Labelled, String> {
    let gold: GoldLine = serde_json::from_str(line).map_err(|e| e.to_string())?;
    let mut labels = Vec::with_capacity(gold.sectors.len());
    for (s, d) in &gold.sectors {
        let sector: Sector = s.parse().map_err(|_| format!("unknown sector {s:?}"))?;
        let direction: Direction =
            d.parse().map_err(|_| format!("unknown direction {d:?} for {s}"))?;
        if labels.iter().any(|(x, _)| *x == sector) {
            return Err(format!("sector {s} given twice"));
        }
        labels.push((sector, direction));
    }
    Ok((gold.id, gold.text, labels))
}

/// Scores `kb` against gold JSON Lines; see [`evaluate`](super::evaluate).
pub fn evaluate_with(kb: &KnowledgeBase, gold_jsonl: &str) -> Result<SectorReport, EvalError> {
    let mut errors = Vec::new();
    let mut results = Vec::new();
    for (i, line) in gold_jsonl.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match parse_line(line) {
            Ok((id, text, gold)) => {
                let predicted =
                    kb.analyse(&text).sectors.iter().map(|s| (s.sector, s.direction)).collect();
                results.push(ItemResult { id, gold, predicted });
            }
            Err(message) => errors.push(LineError { line: i + 1, message }),
        }
    }
    if results.is_empty() {
        return Err(EvalError::NoItems(errors));
    }
    Ok(score(results, errors))
}

fn score(results: Vec<ItemResult>, errors: Vec<LineError>) -> SectorReport {
    let mut per = [(0usize, 0usize, 0usize, 0usize); 13];
    let (mut primary_items, mut primary_ok, mut empty_items, mut empty_ok) = (0, 0, 0, 0);
    for r in &results {
        for (sector, direction) in &r.gold {
            let p = &mut per[sector.index()];
            match r.predicted.iter().find(|(s, _)| s == sector) {
                Some((_, d)) => {
                    p.0 += 1;
                    if d == direction {
                        p.3 += 1;
                    }
                }
                None => p.2 += 1,
            }
        }
        for (sector, _) in &r.predicted {
            if !r.gold.iter().any(|(s, _)| s == sector) {
                per[sector.index()].1 += 1;
            }
        }
        match r.gold.first() {
            Some((primary, _)) => {
                primary_items += 1;
                if r.predicted.first().map(|(s, _)| s) == Some(primary) {
                    primary_ok += 1;
                }
            }
            None => {
                empty_items += 1;
                if r.predicted.is_empty() {
                    empty_ok += 1;
                }
            }
        }
    }
    let (tp, fp, fn_, dir): (usize, usize, usize, usize) =
        per.iter().fold((0, 0, 0, 0), |a, p| (a.0 + p.0, a.1 + p.1, a.2 + p.2, a.3 + p.3));
    let share = |n: usize, d: usize| if d == 0 { 1.0 } else { n as f64 / d as f64 };
    let sectors = Sector::ALL
        .into_iter()
        .filter(|s| {
            let p = per[s.index()];
            p.0 + p.1 + p.2 > 0
        })
        .map(|s| {
            let p = per[s.index()];
            SectorScore {
                sector: s,
                scores: Prf::from_counts(p.0, p.1, p.2),
                direction_correct: p.3,
            }
        })
        .collect();
    SectorReport {
        items: results.len(),
        micro: Prf::from_counts(tp, fp, fn_),
        direction_accuracy: share(dir, tp),
        direction_correct: dir,
        primary_accuracy: share(primary_ok, primary_items),
        primary_items,
        empty_accuracy: share(empty_ok, empty_items),
        empty_items,
        sectors,
        results,
        errors,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(gold: &[(Sector, Direction)], predicted: &[(Sector, Direction)]) -> ItemResult {
        ItemResult { id: "x".into(), gold: gold.to_vec(), predicted: predicted.to_vec() }
    }

    #[test]
    fn metrics_by_hand() {
        use Direction::*;
        use Sector::*;
        let results = vec![
            // tp Energy (right direction), fn Consumer.
            item(&[(Energy, Up), (Consumer, Down)], &[(Energy, Up)]),
            // tp Financials (wrong direction), fp Utilities; primary right.
            item(&[(Financials, Up)], &[(Financials, Down), (Utilities, Down)]),
            // Hard negative predicted empty.
            item(&[], &[]),
            // Hard negative with a false positive.
            item(&[], &[(Technology, Up)]),
        ];
        let r = score(results, Vec::new());
        assert_eq!(
            (r.micro.true_positives, r.micro.false_positives, r.micro.false_negatives),
            (2, 2, 1)
        );
        assert!((r.micro.precision - 0.5).abs() < 1e-9);
        assert!((r.micro.recall - 2.0 / 3.0).abs() < 1e-9);
        assert!((r.micro.f1 - 4.0 / 7.0).abs() < 1e-9);
        assert!((r.direction_accuracy - 0.5).abs() < 1e-9);
        assert_eq!((r.primary_items, r.empty_items), (2, 2));
        assert!((r.primary_accuracy - 1.0).abs() < 1e-9);
        assert!((r.empty_accuracy - 0.5).abs() < 1e-9);
        let energy = r.sectors.iter().find(|s| s.sector == Energy).map(|s| s.scores);
        assert_eq!(energy.map(|e| (e.true_positives, e.f1)), Some((1, 1.0)));
        let consumer = r.sectors.iter().find(|s| s.sector == Consumer).map(|s| s.scores.recall);
        assert_eq!(consumer, Some(0.0));
    }

    #[test]
    fn bad_lines_are_numbered_and_skipped() {
        let kb = KnowledgeBase::shipped();
        let gold = concat!(
            "{\"id\":\"a\",\"text\":\"Oil prices soar on supply disruption\",\"sectors\":{\"Energy\":\"+\"}}\n",
            "not json\n",
            "\n",
            "{\"id\":\"b\",\"text\":\"x\",\"sectors\":{\"Oil\":\"+\"}}\n",
            "{\"id\":\"c\",\"text\":\"x\",\"sectors\":{\"Energy\":\"up\"}}\n",
            "{\"id\":\"d\",\"text\":\"Quake, no damage\",\"sectors\":{}}\n",
        );
        let r = evaluate_with(kb, gold).expect("two good lines");
        assert_eq!(r.items, 2);
        let lines: Vec<usize> = r.errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 4, 5]);
        assert!(r.errors[1].message.contains("unknown sector \"Oil\""), "{}", r.errors[1]);
        assert!(r.errors[2].message.contains("unknown direction"));
        assert_eq!(r.micro.f1, 1.0);
        let none = evaluate_with(kb, "nope\n");
        assert!(matches!(none, Err(EvalError::NoItems(ref e)) if e.len() == 1));
    }

    #[test]
    fn gold_order_is_kept() {
        let (_, _, labels) = parse_line(
            "{\"id\":\"a\",\"text\":\"t\",\"sectors\":{\"Utilities\":\"-\",\"Agriculture\":\"+\",\"Energy\":\"mixed\"}}",
        )
        .expect("valid");
        assert_eq!(
            labels,
            [
                (Sector::Utilities, Direction::Down),
                (Sector::Agriculture, Direction::Up),
                (Sector::Energy, Direction::Mixed)
            ]
        );
    }
}

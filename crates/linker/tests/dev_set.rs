//! Quality on the labelled dev set (tests/data/dev.jsonl): precision >= 0.97, recall >= 0.93.

use marketdesk_linker::{Linker, evaluate};

const DEV: &str = include_str!("data/dev.jsonl");

#[test]
fn dev_set_precision_and_recall() {
    let linker = Linker::shipped().expect("shipped reference data loads");
    let report = match evaluate(&linker, DEV) {
        Ok(r) => r,
        Err(e) => panic!("{e}"),
    };
    for m in &report.misses {
        println!("miss       {} {}", m.id, m.ticker);
    }
    for f in &report.false_tags {
        println!("false tag  {} {} {:?}", f.id, f.ticker, f.surface.as_deref().unwrap_or_default());
    }
    println!(
        "lines {} tp {} fp {} fn {}: precision {:.3} recall {:.3} f1 {:.3}",
        report.lines,
        report.true_positives,
        report.false_positives,
        report.false_negatives,
        report.precision,
        report.recall,
        report.f1
    );
    assert!(report.precision >= 0.97, "precision {:.3} < 0.97", report.precision);
    assert!(report.recall >= 0.93, "recall {:.3} < 0.93", report.recall);
}

//! The news desk against labelled headlines: the shared dev excerpt (`fixtures/sectors/dev.jsonl`)
//! and a second set labelled for marketdesk before the analyser saw it
//! (`fixtures/sectors/extra.jsonl`; `fixtures/sectors/README.md` says where each comes from).
//! Run with `--nocapture` to see every miss.

use marketdesk_desks::news::{SectorReport, evaluate};

const DEV: &str = include_str!("../../../fixtures/sectors/dev.jsonl");
const EXTRA: &str = include_str!("../../../fixtures/sectors/extra.jsonl");

fn report(name: &str, gold: &str) -> SectorReport {
    let r = evaluate(gold).expect("the fixture has usable lines");
    assert!(r.errors.is_empty(), "{name}: bad lines {:?}", r.errors);
    println!(
        "{name}: {} items, micro P {:.3} R {:.3} F1 {:.3}, direction {:.3} ({}/{}), primary {:.3} ({} items), empty {:.3} ({} items)",
        r.items,
        r.micro.precision,
        r.micro.recall,
        r.micro.f1,
        r.direction_accuracy,
        r.direction_correct,
        r.micro.true_positives,
        r.primary_accuracy,
        r.primary_items,
        r.empty_accuracy,
        r.empty_items,
    );
    for s in &r.sectors {
        println!(
            "  {:<26} P {:.2} R {:.2} F1 {:.2} (tp {} fp {} fn {}, direction right {})",
            s.sector.name(),
            s.scores.precision,
            s.scores.recall,
            s.scores.f1,
            s.scores.true_positives,
            s.scores.false_positives,
            s.scores.false_negatives,
            s.direction_correct,
        );
    }
    for item in r.results.iter().filter(|i| !i.exact()) {
        println!("  miss {}: gold {:?} predicted {:?}", item.id, item.gold, item.predicted);
    }
    r
}

#[test]
fn dev_set() {
    let r = report("dev", DEV);
    assert_eq!(r.items, 20);
    assert!(r.micro.f1 >= 0.8, "dev micro-F1 {:.3}", r.micro.f1);
    assert!(r.direction_accuracy >= 0.8, "dev direction accuracy {:.3}", r.direction_accuracy);
}

#[test]
fn extra_set() {
    let r = report("extra", EXTRA);
    assert!(r.items >= 40);
    assert!(r.micro.f1 >= 0.7, "extra micro-F1 {:.3}", r.micro.f1);
    assert!(r.direction_accuracy >= 0.8, "extra direction accuracy {:.3}", r.direction_accuracy);
}

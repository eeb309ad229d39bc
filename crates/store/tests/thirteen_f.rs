//! 13F reports read back whole and ingest idempotently.

mod support;

use marketdesk_edgar::parse_thirteen_f;
use marketdesk_store::{SourcedReport, Store};

async fn every_13f_fixture_reads_back_exactly_as_parsed(store: Store) {
    let reports = support::parsed("13f", parse_thirteen_f);
    let now = "2026-11-25T12:00:00Z".parse().expect("ts");
    let batch: Vec<SourcedReport<'_>> =
        reports.iter().map(|(s, r)| SourcedReport { source: s, report: r }).collect();
    let first = store.insert_thirteen_f(&batch, now).await.expect("insert");
    assert_eq!(first.inserted, reports.len() as u64);
    assert_eq!(first.positions, 14 + 169 + 255);
    let again = store.insert_thirteen_f(&batch, now).await.expect("insert again");
    assert_eq!((again.inserted, again.already_present), (0, reports.len() as u64));
    for (_, r) in &reports {
        let back = store.thirteen_f(r.accession.as_str()).await.expect("read");
        assert_eq!(back.as_ref(), Some(r));
    }
    assert_eq!(store.thirteen_f_counts().await.expect("counts"), (5, 438));
}

marketdesk_store::on_every_backend!(every_13f_fixture_reads_back_exactly_as_parsed);

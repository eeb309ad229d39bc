//! The store keeps every parsed filing whole, ingests idempotently and resolves amendments.

mod support;

use jiff::Timestamp;
use marketdesk_core::OwnershipFiling;
use marketdesk_edgar::parse_ownership;
use marketdesk_store::{
    SourcedFiling, Store,
    testing::{BACKENDS, fresh_store},
};

fn fixtures() -> Vec<(String, OwnershipFiling)> {
    support::parsed("ownership", parse_ownership)
}

fn now() -> Timestamp {
    "2026-11-25T12:00:00Z".parse().expect("timestamp")
}

fn sourced(all: &[(String, OwnershipFiling)]) -> Vec<SourcedFiling<'_>> {
    all.iter().map(|(s, f)| SourcedFiling { source: s, filing: f }).collect()
}

async fn every_fixture_reads_back_exactly_as_parsed(store: Store) {
    let all = fixtures();
    let outcome = store.insert_ownership(&sourced(&all), now()).await.expect("insert");
    assert_eq!(outcome.inserted, all.len() as u64);
    for (_, filing) in &all {
        let back = store.ownership_filing(filing.accession.as_str()).await.expect("read");
        assert_eq!(back.as_ref(), Some(filing), "{}", filing.accession);
    }
}

async fn reingesting_changes_nothing(store: Store) {
    let all = fixtures();
    let first = store.insert_ownership(&sourced(&all), now()).await.expect("insert");
    let counts = store.counts().await.expect("counts");
    let second = store.insert_ownership(&sourced(&all), now()).await.expect("insert again");
    assert_eq!(second.inserted, 0);
    assert_eq!(second.already_present, first.inserted);
    assert_eq!(store.counts().await.expect("counts"), counts);
    assert_eq!(counts.transactions as u64, first.transactions);
}

async fn duplicates_within_one_batch_are_stored_once(store: Store) {
    let all = fixtures();
    let one = &all[..1];
    let batch = [sourced(one), sourced(one)].concat();
    let outcome = store.insert_ownership(&batch, now()).await.expect("insert");
    assert_eq!((outcome.inserted, outcome.already_present), (1, 1));
}

fn amendment_of(original: &OwnershipFiling, accession: &str, filed: &str) -> OwnershipFiling {
    let mut a = original.clone();
    a.accession = marketdesk_core::Accession::parse(accession).expect("accession");
    a.document_type = format!("{}/A", original.document_type);
    a.date_of_original_submission = original.filed_date;
    a.filed_date = Some(filed.parse().expect("date"));
    a
}

#[tokio::test]
async fn amendments_supersede_what_they_amend_in_either_order() {
    let all = fixtures();
    let (_, original) = all
        .iter()
        .find(|(n, _)| n.ends_with("form4_AIR_0001127602-25-001055.txt"))
        .expect("AIR fixture");
    let first = amendment_of(original, "0001127602-25-002000", "2025-01-15");
    let second = amendment_of(original, "0001127602-25-003000", "2025-01-20");

    let orders = [[original, &first, &second], [&second, &first, original]];
    for (order, backend) in orders.iter().flat_map(|o| BACKENDS.map(|b| (o, b))) {
        let store = fresh_store(backend).await;
        for f in order {
            store
                .insert_ownership(&[SourcedFiling { source: "t", filing: f }], now())
                .await
                .expect("insert");
            store.resolve_amendments().await.expect("resolve");
        }
        let by = |a: &OwnershipFiling| {
            let store = store.clone();
            let a = a.accession.to_string();
            async move { store.superseded_by(&a).await.expect("query") }
        };
        assert_eq!(by(original).await.as_deref(), Some("0001127602-25-002000"));
        assert_eq!(by(&first).await.as_deref(), Some("0001127602-25-003000"));
        assert_eq!(by(&second).await, None, "the newest amendment stays in force");
    }
}

async fn an_amendment_leaves_other_filers_alone(store: Store) {
    let all = fixtures();
    store.insert_ownership(&sourced(&all), now()).await.expect("insert");
    let (_, original) = &all[10];
    let amendment = amendment_of(original, "0009999999-25-000001", "2030-01-01");
    store
        .insert_ownership(&[SourcedFiling { source: "t", filing: &amendment }], now())
        .await
        .expect("insert");
    assert_eq!(store.resolve_amendments().await.expect("resolve"), 1);
    assert_eq!(store.counts().await.expect("counts").superseded, 1);
}

async fn errors_are_recorded_counted_and_cleared_by_success(store: Store) {
    let all = fixtures();
    let (name, filing) = &all[0];
    store.record_ingest_error(name, None, "malformed XML", now()).await.expect("record");
    store.record_ingest_error(name, None, "malformed XML", now()).await.expect("record");
    store.record_ingest_error("other.xml", None, "not a filing", now()).await.expect("record");
    let errors = store.ingest_errors().await.expect("list");
    assert_eq!(errors.len(), 2);
    assert_eq!(errors.iter().find(|e| &e.source == name).map(|e| e.attempts), Some(2));
    store.insert_ownership(&[SourcedFiling { source: name, filing }], now()).await.expect("insert");
    let errors = store.ingest_errors().await.expect("list");
    assert_eq!(errors.iter().map(|e| e.source.as_str()).collect::<Vec<_>>(), ["other.xml"]);
}

#[tokio::test]
async fn a_file_store_uses_wal_and_migrates_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("m.db");
    let store = Store::open(path.to_str().expect("utf-8")).await.expect("open");
    let version = store.schema_version().await.expect("version");
    assert!(version >= 1);
    store.close().await;
    let again = Store::open(&format!("sqlite:{}", path.display())).await.expect("reopen");
    assert_eq!(again.schema_version().await.expect("version"), version);
    assert!(dir.path().join("m.db-wal").exists() || dir.path().join("m.db").exists());
}

marketdesk_store::on_every_backend!(
    an_amendment_leaves_other_filers_alone,
    every_fixture_reads_back_exactly_as_parsed,
    reingesting_changes_nothing,
    duplicates_within_one_batch_are_stored_once,
    errors_are_recorded_counted_and_cleared_by_success
);

//! A whole store copied from SQLite to PostgreSQL and back reads the same on every backend.

mod support;

use std::time::Duration;

use jiff::Timestamp;
use marketdesk_core::OwnershipFiling;
use marketdesk_edgar::{parse_ownership, parse_thirteen_f};
use marketdesk_store::{
    ArticleRecord, Backend, Cadence, CommentStatus, ConfirmationLimits, Error, NewComment,
    SearchKind, SourcedFiling, SourcedReport, Store, testing::fresh_store,
};

fn now() -> Timestamp {
    "2026-11-25T12:00:00Z".parse().expect("timestamp")
}

fn article() -> ArticleRecord {
    ArticleRecord {
        slug: "musk-buys".into(),
        persona: "insider-tracker".into(),
        story: "insider:1318605:2020-02-14".into(),
        digest: "d1".into(),
        revision: 1,
        headline: "Elon Musk buys $10.0 million of Tesla stock".into(),
        published_at: now(),
        updated_at: now(),
        tickers: vec!["TSLA".into()],
        body: r#"{"dek": "A big purchase.", "sections": [{"heading": "What happened",
            "paragraphs": ["Elon Musk bought shares of Tesla."]}]}"#
            .into(),
    }
}

fn comment(parent_id: Option<i64>, body: &str) -> NewComment {
    NewComment {
        slug: "musk-buys".into(),
        parent_id,
        name: "Reader".into(),
        email: Some("reader@example.com".into()),
        body: body.into(),
        ip_hash: "h1".into(),
        status: CommentStatus::Approved,
        created_at: now(),
    }
}

/// A store with rows in the tables every stage writes: filings (with an amendment resolved and
/// an ingest error), 13F reports, an article with its index, comments answering each other,
/// subscribers, a lease.
async fn fill(store: &Store) -> (Vec<OwnershipFiling>, Vec<marketdesk_core::ThirteenF>) {
    let filings = support::parsed("ownership", parse_ownership);
    let batch: Vec<SourcedFiling<'_>> =
        filings.iter().map(|(s, f)| SourcedFiling { source: s, filing: f }).collect();
    store.insert_ownership(&batch, now()).await.expect("filings");
    store.record_ingest_error("bad.xml", None, "malformed XML", now()).await.expect("error");
    let reports = support::parsed("13f", parse_thirteen_f);
    let batch: Vec<SourcedReport<'_>> =
        reports.iter().map(|(s, r)| SourcedReport { source: s, report: r }).collect();
    store.insert_thirteen_f(&batch, now()).await.expect("13F");
    store.save_article(&article()).await.expect("article");
    store.index_article_record(&article()).await.expect("index");
    let first = store.add_comment(&comment(None, "First")).await.expect("comment");
    store.add_comment(&comment(Some(first), "A reply")).await.expect("reply");
    let limits =
        ConfirmationLimits { per_address: 3, per_network: 10, window: Duration::from_secs(86_400) };
    for email in ["a@example.com", "b@example.com"] {
        store.sign_up(email, Cadence::Daily, "net", now(), limits).await.expect("sign up");
    }
    store
        .try_lease("edgar-current", "node-1", Duration::from_secs(60), now())
        .await
        .expect("lease");
    (filings.into_iter().map(|(_, f)| f).collect(), reports.into_iter().map(|(_, r)| r).collect())
}

#[tokio::test]
async fn a_store_copies_to_postgres_and_back_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let sqlite = Store::open_sqlite(&dir.path().join("source.db")).await.expect("sqlite");
    let (filings, reports) = fill(&sqlite).await;
    let postgres = fresh_store(Backend::Postgres).await;

    let copied = sqlite.copy_into(&postgres).await.expect("copy to PostgreSQL");
    assert_eq!(copied.mismatches().count(), 0, "{copied:?}");
    let count = |table: &str| copied.tables.iter().find(|t| t.table == table).map(|t| t.target);
    assert_eq!(count("filings"), Some(filings.len() as i64));
    assert_eq!(count("comments"), Some(2));
    assert_eq!(count("subscribers"), Some(2));
    assert!(copied.rows() > 1_000, "{}", copied.rows());

    // Everything reads back as stored, through PostgreSQL's own queries.
    for f in &filings {
        let back = postgres.ownership_filing(f.accession.as_str()).await.expect("read");
        assert_eq!(back.as_ref(), Some(f), "{}", f.accession);
    }
    for r in &reports {
        assert_eq!(
            postgres.thirteen_f(r.accession.as_str()).await.expect("read").as_ref(),
            Some(r)
        );
    }
    assert_eq!(postgres.article("musk-buys").await.expect("article"), Some(article()));
    assert_eq!(
        postgres.comments("musk-buys").await.expect("comments"),
        sqlite.comments("musk-buys").await.expect("comments")
    );
    assert_eq!(postgres.subscribers().await.expect("subs"), sqlite.subscribers().await.expect("s"));
    let hits = postgres.search("bought tesla", SearchKind::Article, 5).await.expect("search");
    assert_eq!(hits.iter().map(|h| h.key.as_str()).collect::<Vec<_>>(), ["musk-buys"]);
    assert_eq!(postgres.ingest_errors().await.expect("errors").len(), 1);
    // The copied lease is still held; ids go on after the copied ones.
    let other = postgres.try_lease("edgar-current", "node-2", Duration::from_secs(60), now());
    assert!(!other.await.expect("lease"));
    let next = postgres.add_comment(&comment(None, "After the move")).await.expect("comment");
    let last = sqlite.comments("musk-buys").await.expect("c").iter().map(|c| c.id).max();
    assert!(Some(next) > last, "{next} after {last:?}");

    // A second copy into a store with rows is refused, naming a table.
    let again = sqlite.copy_into(&postgres).await;
    assert!(matches!(again, Err(Error::TargetNotEmpty { table: "filings", .. })), "{again:?}");

    // And back to SQLite: the same counts again.
    let back = Store::open_sqlite(&dir.path().join("back.db")).await.expect("sqlite");
    let copied_back = postgres.copy_into(&back).await.expect("copy back");
    assert_eq!(copied_back.mismatches().count(), 0, "{copied_back:?}");
    assert_eq!(copied_back.rows(), copied.rows() + 1, "the comment added on PostgreSQL");
    for f in &filings {
        let read = back.ownership_filing(f.accession.as_str()).await.expect("read");
        assert_eq!(read.as_ref(), Some(f), "{}", f.accession);
    }
    assert_eq!(back.search("musk", SearchKind::Article, 5).await.expect("search").len(), 1);
}

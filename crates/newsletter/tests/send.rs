//! Sending when the SMTP server is gone: the run stops after a few failures in a row instead of
//! trying every subscriber, and everyone not reached stays pending for the next run.

use std::time::Duration;

use marketdesk_mailer::{Mailer, Retry, SmtpConfig};
use marketdesk_newsletter::{Newsletter, Options};
use marketdesk_store::Cadence;

#[tokio::test]
async fn a_dead_server_stops_the_run_and_leaves_the_rest_pending() {
    // A port bound but not listening: connections to it are refused, and while the socket
    // lives no other can take the port.
    let reserved = tokio::net::TcpSocket::new_v4().expect("socket");
    reserved.bind(([127, 0, 0, 1], 0).into()).expect("bind");
    let port = reserved.local_addr().expect("addr").port();
    let config = SmtpConfig::from_url(&format!("smtp://127.0.0.1:{port}")).expect("url");
    let mailer = Mailer::new(&config)
        .expect("mailer")
        .with_retry(Retry { attempts: 1, pause: Duration::ZERO });
    let store = marketdesk_store::testing::store_under_test().await;
    let list: Vec<(String, Cadence)> =
        (0..200).map(|i| (format!("r{i}@example.com"), Cadence::Daily)).collect();
    let now = jiff::Timestamp::now();
    store.import_subscribers(&list, now).await.expect("import");
    let options = Options { concurrency: 2, ..Options::default() };
    let newsletter = Newsletter::new(store.clone(), options, b"secret", Some(mailer), None);

    let report = newsletter.send(Cadence::Daily, now, false).await.expect("a report, not an error");
    assert!(report.stopped.is_some(), "{report:?}");
    assert_eq!(report.sent, 0);
    assert!(report.recipients < 20, "gave up early: {report:?}");
    assert_eq!(report.log.pending, 200, "nobody is lost: {report:?}");
    assert_eq!(report.log.failed, 0);
}

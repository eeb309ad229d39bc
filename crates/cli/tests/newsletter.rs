//! The newsletter commands end to end on the binary: the demo's stored issues, `newsletter
//! subscribers`, `send --dry-run`, `send` through a real SMTP server on loopback (aiosmtpd) and
//! again (nobody twice), `preview`, and `ingest calendars` with a broken event recorded.

mod support;

#[path = "../../web/tests/support/smtp.rs"]
#[allow(dead_code, unreachable_pub)]
mod smtp;

use marketdesk_store::{Cadence, ConfirmationLimits, Store};
use serde_json::Value;
use support::{marketdesk, stderr, stdout};

const BASE: &str = "https://md.example";

fn run(db: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = marketdesk(db);
    cmd.env("MARKETDESK_BASE_URL", BASE).env_remove("MARKETDESK_SMTP_URL").args(args);
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().expect("run marketdesk")
}

fn ok(db: &std::path::Path, args: &[&str], env: &[(&str, &str)]) -> String {
    let out = run(db, args, env);
    assert!(out.status.success(), "marketdesk {args:?} failed: {}", stderr(&out));
    stdout(&out)
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).expect("json line")).collect()
}

async fn add_subscribers(db: &std::path::Path) {
    let store = Store::open_sqlite(db).await.expect("store");
    let list = [
        ("ann@example.com".to_owned(), Cadence::Daily),
        ("bob@example.com".to_owned(), Cadence::Daily),
        ("cal@example.com".to_owned(), Cadence::Weekly),
    ];
    store.import_subscribers(&list, jiff::Timestamp::now()).await.expect("import");
    let limits = ConfirmationLimits {
        per_address: 3,
        per_network: 10,
        window: std::time::Duration::from_secs(3600),
    };
    store
        .sign_up("pending@example.com", Cadence::Daily, "ip", jiff::Timestamp::now(), limits)
        .await
        .expect("sign up");
    store.close().await;
}

#[test]
fn newsletter_commands_send_each_issue_once_to_every_confirmed_subscriber() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("md.db");
    let demo = ok(&db, &["demo", "--no-serve"], &[]);
    assert!(demo.contains("newsletter: daily issue"), "{demo}");
    assert!(demo.contains(&format!("{BASE}/newsletter/archive/daily-")), "{demo}");
    tokio::runtime::Runtime::new().expect("runtime").block_on(add_subscribers(&db));

    let subs = json_lines(&ok(&db, &["newsletter", "subscribers", "--json"], &[]));
    assert_eq!(subs.len(), 4);
    for s in &subs {
        for key in ["email", "status", "cadence"] {
            assert!(s.get(key).is_some(), "no {key} in {s}");
        }
    }
    let status_of =
        |email: &str| subs.iter().find(|s| s["email"] == email).map(|s| s["status"].clone());
    assert_eq!(status_of("ann@example.com"), Some(Value::from("confirmed")));
    assert_eq!(status_of("pending@example.com"), Some(Value::from("pending")));
    assert_eq!(
        subs.iter().find(|s| s["email"] == "cal@example.com").map(|s| s["cadence"].clone()),
        Some("weekly".into())
    );

    // One moment for every send, so that a day turning midway (Eastern) starts no new issue.
    let at = jiff::Timestamp::now().to_string();
    // Dry run: who would get what, nothing sent.
    let dry =
        json_lines(&ok(&db, &["newsletter", "send", "--dry-run", "--json", "--at", &at], &[]));
    assert_eq!(dry.len(), 2);
    assert_eq!(
        (dry[0]["cadence"].as_str(), dry[0]["recipients"].as_u64()),
        (Some("daily"), Some(2))
    );
    assert_eq!(
        (dry[1]["cadence"].as_str(), dry[1]["recipients"].as_u64()),
        (Some("weekly"), Some(1))
    );
    assert!(dry.iter().all(|r| r["dry_run"] == true && r["sent"] == 0));

    // Without an SMTP server, a real send is refused with the way out named.
    let refused = run(&db, &["newsletter", "send"], &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(stderr(&refused).contains("MARKETDESK_SMTP_URL"), "{}", stderr(&refused));

    let sink = smtp::SmtpSink::start();
    let url = format!("smtp://127.0.0.1:{}", sink.config().port);
    let env = [
        ("MARKETDESK_SMTP_URL", url.as_str()),
        ("MARKETDESK_MAIL_FROM", "marketdesk <news@md.example>"),
    ];
    let sent = json_lines(&ok(&db, &["newsletter", "send", "--json", "--at", &at], &env));
    assert_eq!(sent[0]["sent"], 2, "{sent:?}");
    assert_eq!(sent[1]["sent"], 1, "{sent:?}");
    assert_eq!(sent[0]["log"]["pending"], 0);
    let mails = sink.messages();
    let mut to: Vec<&str> = mails.iter().map(|m| m.header("to")).collect();
    to.sort_unstable();
    assert_eq!(to, ["ann@example.com", "bob@example.com", "cal@example.com"]);
    for m in &mails {
        assert!(
            m.header("list-unsubscribe").starts_with(&format!("<{BASE}/newsletter/unsubscribe/"))
        );
        assert_eq!(m.header("list-unsubscribe-post"), "List-Unsubscribe=One-Click");
        assert!(m.header("content-type").starts_with("multipart/alternative"));
    }
    // Again: nobody gets an issue twice.
    let again = json_lines(&ok(&db, &["newsletter", "send", "--json", "--at", &at], &env));
    assert!(again.iter().all(|r| r["sent"] == 0 && r["recipients"] == 0), "{again:?}");
    assert_eq!(sink.messages().len(), 3);

    let preview = ok(&db, &["newsletter", "preview", "--cadence", "weekly"], &[]);
    assert!(preview.starts_with("Subject: Weekly briefing"), "{preview}");
    assert!(
        preview.contains(&format!("Unsubscribe: {BASE}/newsletter/unsubscribe/SUBSCRIBER-TOKEN")),
        "{preview}"
    );
    let html = ok(&db, &["newsletter", "preview", "--html"], &[]);
    assert!(html.starts_with("<!DOCTYPE html>") && !html.contains("<script"));
}

#[test]
fn calendars_are_read_idempotently_with_broken_events_recorded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("md.db");
    let ics = dir.path().join("dates.ics");
    std::fs::write(
        &ics,
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nBEGIN:VEVENT\r\nUID:good@x\r\nDTSTART;VALUE=DATE:20261209\r\n\
         SUMMARY:FOMC statement\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:broken@x\r\nSUMMARY:No start\r\n\
         END:VEVENT\r\nEND:VCALENDAR\r\n",
    )
    .expect("write");
    let path = ics.to_str().expect("path");
    let first = json_lines(&ok(&db, &["ingest", "calendars", path, "--json"], &[]));
    assert_eq!(
        (first[0]["events"].as_u64(), first[0]["problems"].as_u64()),
        (Some(1), Some(1)),
        "{first:?}"
    );
    let again = json_lines(&ok(&db, &["ingest", "calendars", path, "--json"], &[]));
    assert_eq!(again[0]["events"], 1, "re-reading replaces, never adds");
    let errors = ok(&db, &["ingest", "errors", "--json"], &[]);
    assert!(errors.contains(&format!("calendar:{path}#")), "{errors}");

    // Not a calendar: reported with its name, exit 2, the others still read.
    let junk = dir.path().join("junk.ics");
    std::fs::write(&junk, "hello").expect("write");
    let out = run(&db, &["ingest", "calendars", junk.to_str().expect("path"), path], &[]);
    assert_eq!(out.status.code(), Some(2));
    let text = stdout(&out);
    assert!(text.contains("junk.ics: not read"), "{text}");
    assert!(text.contains("dates.ics: 1 key dates"), "{text}");

    // From a URL (a one-shot server on loopback), through the feeds' HTTP client.
    let body = std::fs::read(&ics).expect("read");
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let server = std::thread::spawn(move || {
        use std::io::{Read, Write};
        let (mut conn, _) = listener.accept().expect("accept");
        let mut request = [0u8; 4096];
        let n = conn.read(&mut request).expect("read");
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/calendar\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        conn.write_all(head.as_bytes()).and_then(|()| conn.write_all(&body)).expect("write");
        String::from_utf8_lossy(&request[..n]).into_owned()
    });
    let url = format!("http://127.0.0.1:{port}/dates.ics");
    let fetched = json_lines(&ok(&db, &["ingest", "calendars", &url, "--json"], &[]));
    assert_eq!(fetched[0]["events"], 1, "{fetched:?}");
    let request = server.join().expect("server");
    assert!(request.to_ascii_lowercase().contains("user-agent: marketdesk/"), "{request}");

    // The shipped calendars by default.
    let shipped = ok(&db, &["ingest", "calendars"], &[]);
    assert!(shipped.contains("fomc.ics: 25 key dates"), "{shipped}");
}

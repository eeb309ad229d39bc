//! `marketdesk run`, twice at once over one store (a SQLite file, or a PostgreSQL database as
//! web nodes share one): EDGAR's current-filings feed replayed by a loopback server, the newsletter through a real SMTP server (aiosmtpd). Each filing is
//! ingested once, its article goes live on the site, each subscriber gets the day's issue once,
//! and SIGTERM stops both cleanly.

mod support;

#[path = "../../web/tests/support/smtp.rs"]
#[allow(dead_code, unreachable_pub)]
mod smtp;

use std::{
    path::Path,
    process::Stdio,
    sync::Arc,
    time::{Duration, Instant},
};

use marketdesk_store::{Backend, Cadence, Store, testing};
use support::{EdgarServer, Running, fixture, marketdesk, marketdesk_at};

/// The .txt fixtures: file, accession, filer CIK.
const FILINGS: [(&str, &str, &str); 5] = [
    ("form4_AAPL_0000320193-22-000061.txt", "0000320193-22-000061", "1462356"),
    ("form4_AIR_0001127602-25-001055.txt", "0001127602-25-001055", "1806647"),
    ("form4_ISBA_0000842517-24-000086.txt", "0000842517-24-000086", "1849440"),
    ("form4_TSLA_0000899243-22-035394.txt", "0000899243-22-035394", "1494730"),
    ("form4_TSLA_2023-07-27_baglino_full_submission.txt", "0001790565-23-000009", "1790565"),
];

const CURRENT: &str = "cgi-bin/browse-edgar?action=getcurrent&type=4&company=&dateb=&owner=include&start=0&count=100&output=atom";

fn put(root: &Path, rel: &str, bytes: &[u8]) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().expect("parent")).expect("mkdir");
    std::fs::write(p, bytes).expect("write");
}

/// EDGAR's current feed (Atom) listing the filings, and the filings themselves.
fn edgar_site(root: &Path) {
    let mut feed = String::from(
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n\
         <title>Latest Filings - Mon, 07 Dec 2026 10:00:00 EST</title>\n<id>https://www.sec.gov/cgi-bin/browse-edgar?action=getcurrent</id>\n\
         <updated>2026-12-07T10:00:00-05:00</updated>\n",
    );
    for (file, accession, cik) in FILINGS {
        let folder = accession.replace('-', "");
        feed.push_str(&format!(
            "<entry>\n<title>4 - Filer ({cik}) (Reporting)</title>\n\
             <link rel=\"alternate\" type=\"text/html\" href=\"https://www.sec.gov/Archives/edgar/data/{cik}/{folder}/{accession}-index.htm\"/>\n\
             <summary type=\"html\"> &lt;b&gt;Filed:&lt;/b&gt; 2026-12-07 &lt;b&gt;AccNo:&lt;/b&gt; {accession}</summary>\n\
             <updated>2026-12-07T09:59:00-05:00</updated>\n<category scheme=\"https://www.sec.gov/\" label=\"form type\" term=\"4\"/>\n\
             <id>urn:tag:sec.gov,2008:accession-number={accession}</id>\n</entry>\n"
        ));
        let bytes = std::fs::read(fixture(&format!("edgar/ownership/{file}"))).expect("fixture");
        put(root, &format!("Archives/edgar/data/{cik}/{folder}/{accession}.txt"), &bytes);
    }
    feed.push_str("</feed>\n");
    put(root, CURRENT, feed.as_bytes());
}

fn start(dir: &Path, location: &str, args: &[&str], smtp_url: &str) -> Running {
    Running::spawn(
        marketdesk_at(dir, location)
            .arg("run")
            .args(args)
            .env("MARKETDESK_SMTP_URL", smtp_url)
            .env("MARKETDESK_BASE_URL", "https://md.example")
            .env("MARKETDESK_EDGAR_BACKOFF_MS", "20")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null()),
    )
}

#[test]
fn two_runs_over_one_sqlite_file_ingest_each_filing_once_and_send_each_digest_once() {
    two_runs_over_one_store(Backend::Sqlite);
}

#[test]
fn two_runs_over_one_postgres_database_ingest_each_filing_once_and_send_each_digest_once() {
    two_runs_over_one_store(Backend::Postgres);
}

fn two_runs_over_one_store(backend: Backend) {
    let dir = tempfile::tempdir().expect("tempdir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let location = match backend {
        Backend::Sqlite => dir.path().join("md.db").display().to_string(),
        Backend::Postgres => runtime.block_on(testing::postgres_location()),
    };
    let site = tempfile::tempdir().expect("site");
    edgar_site(site.path());
    let edgar = EdgarServer::start(site.path().to_path_buf(), Arc::new(|_: &str, _| None));
    std::fs::write(
        dir.path().join("marketdesk.toml"),
        format!(
            "[edgar]\nuser_agent = \"marketdesk tests ops@marketdesk.example\"\nbase_url = \"{}\"\n\n\
             [run]\nedgar_current_secs = 1\nedgar_index_minutes = 60\nfeeds_minutes = 60\nnewsletter_check_secs = 1\n\n\
             [newsletter]\nsend_at = \"00:00\"\n",
            edgar.url
        ),
    )
    .expect("config");
    let out =
        marketdesk_at(dir.path(), &location).args(["reference", "load"]).output().expect("ref");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let store = runtime.block_on(Store::open(&location)).expect("store");
    let readers: Vec<(String, Cadence)> =
        (0..20).map(|i| (format!("reader{i:02}@example.com"), Cadence::Daily)).collect();
    runtime.block_on(store.import_subscribers(&readers, jiff::Timestamp::now())).expect("import");

    let sink = smtp::SmtpSink::start();
    let smtp_url = format!("smtp://127.0.0.1:{}", sink.config().port);
    let mut a = start(dir.path(), &location, &["--addr", "127.0.0.1:0"], &smtp_url);
    let b = start(dir.path(), &location, &["--no-serve"], &smtp_url);
    let addr = a.serving_addr();

    // Wait for the filings, the articles and every issue.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let filings = runtime.block_on(store.counts()).expect("counts").filings;
        let articles = runtime.block_on(store.articles(100)).expect("articles").len();
        if filings == FILINGS.len() as i64 && articles > 0 && sink.messages().len() >= readers.len()
        {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "filings {filings}, articles {articles}, mails {}\n--- a\n{}\n--- b\n{}",
            sink.messages().len(),
            a.log(),
            b.log()
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    // A few more polls by both, then the article is live on the site.
    std::thread::sleep(Duration::from_secs(3));
    let slug = runtime.block_on(store.articles(1)).expect("articles")[0].slug.clone();
    let page = std::process::Command::new("curl")
        .args(["-fsS", &format!("http://{addr}/articles/{slug}")])
        .output()
        .expect("curl");
    assert!(page.status.success(), "{}\n{}", String::from_utf8_lossy(&page.stderr), a.log());
    assert!(String::from_utf8_lossy(&page.stdout).contains("Generated by AI Agent"));

    let (err_a, err_b) = (a.terminate(), b.terminate());
    let errors = runtime.block_on(store.ingest_errors()).expect("errors");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(runtime.block_on(store.counts()).expect("counts").filings, FILINGS.len() as i64);
    // Each filing was fetched once, by one of the two processes.
    for (_, accession, cik) in FILINGS {
        let folder = accession.replace('-', "");
        let path = format!("/Archives/edgar/data/{cik}/{folder}/{accession}.txt");
        let fetched = edgar.requests().iter().filter(|r| r.path == path).count();
        assert_eq!(fetched, 1, "{path}");
    }
    let mut to: Vec<String> = sink.messages().iter().map(|m| m.header("to").to_owned()).collect();
    assert_eq!(to.len(), readers.len(), "each digest once:\n{err_a}\n{err_b}");
    to.sort();
    to.dedup();
    assert_eq!(to.len(), readers.len());
    assert!(err_a.contains("newsroom running") && err_b.contains("newsroom running"));
}

#[test]
fn a_port_in_use_stops_run_before_it_starts_any_job() {
    let dir = tempfile::tempdir().expect("tempdir");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = taken.local_addr().expect("addr").to_string();
    let out = marketdesk(&dir.path().join("md.db"))
        .args(["run", "--addr", &addr])
        .env("RUST_LOG", "info")
        .output()
        .expect("runs");
    let err = support::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains(&format!("cannot listen on {addr}")), "{err}");
    assert!(!err.contains("newsroom running"), "{err}");
}

#[test]
fn logs_can_be_json_lines_for_collectors() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("md.db");
    // A bad input is logged (a warning) as it is skipped.
    let bad = dir.path().join("bad.xml");
    std::fs::write(&bad, "<ownershipDocument>").expect("write");
    let out = marketdesk(&db)
        .args(["--log-format", "json", "-vv", "ingest", "edgar"])
        .arg(&bad)
        .output()
        .expect("runs");
    let err = String::from_utf8_lossy(&out.stderr);
    let lines: Vec<serde_json::Value> = err
        .lines()
        .filter(|l| l.starts_with('{'))
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    assert!(!lines.is_empty(), "{err}");
    for l in &lines {
        assert!(
            l["timestamp"].is_string() && l["level"].is_string() && l["target"].is_string(),
            "{l}"
        );
    }
    let skipped = lines.iter().find(|l| l["fields"]["message"] == "skipped").expect("skip logged");
    assert_eq!(skipped["level"], "WARN");
    assert!(skipped["fields"]["source"].as_str().is_some_and(|s| s.ends_with("bad.xml")));
}

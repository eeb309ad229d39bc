//! `marketdesk bench`: the measurements behind BENCHMARKS.md, run on the real binary and the
//! real code paths (the same parser, pipeline and store as `parse` and `ingest`).

use std::{
    path::PathBuf,
    process::ExitCode,
    time::{Duration, Instant},
};

use anyhow::Context;
use marketdesk_edgar::{Document, Documents, SourceError, parse_ownership};
use marketdesk_store::Store;

fn load(paths: &[PathBuf]) -> anyhow::Result<Vec<Document>> {
    let docs: Vec<Document> = Documents::new(paths)
        .collect::<Result<_, SourceError>>()
        .context("reading benchmark inputs")?;
    anyhow::ensure!(!docs.is_empty(), "no filings found in the given paths");
    Ok(docs)
}

/// Parses the documents over and over on this thread for about `seconds`.
pub(crate) fn parse(paths: &[PathBuf], seconds: f64) -> anyhow::Result<ExitCode> {
    let docs = load(paths)?;
    let bytes: usize = docs.iter().map(|d| d.bytes.len()).sum();
    for d in &docs {
        parse_ownership(&d.name, &d.bytes).with_context(|| format!("{} does not parse", d.name))?;
    }
    let budget = Duration::from_secs_f64(seconds.max(0.1));
    let cpu_start = thread_cpu_seconds();
    let start = Instant::now();
    let mut rounds = 0u64;
    while start.elapsed() < budget {
        for d in &docs {
            std::hint::black_box(parse_ownership(&d.name, std::hint::black_box(&d.bytes)).is_ok());
        }
        rounds += 1;
    }
    let secs = start.elapsed().as_secs_f64();
    let cpu = thread_cpu_seconds().zip(cpu_start).map(|(end, start)| end - start);
    let filings = rounds * docs.len() as u64;
    say!(
        "parse: {} filings ({} distinct, {:.1} KiB average) in {secs:.2} s on one thread: \
         {:.0} filings/s, {:.1} MB/s",
        filings,
        docs.len(),
        bytes as f64 / docs.len() as f64 / 1024.0,
        filings as f64 / secs,
        (rounds as f64 * bytes as f64) / secs / 1e6,
    );
    if let Some(cpu) = cpu {
        say!(
            "cpu-time throughput: {:.0} filings per CPU-second ({cpu:.2} s of CPU)",
            filings as f64 / cpu
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// A fixture copy under a new accession number: the number is rewritten wherever the document
/// states it (SEC header) and put in the name (for documents that carry none).
fn replicate(
    docs: &[Document],
    n: usize,
) -> impl Iterator<Item = Result<Document, SourceError>> + use<> {
    let originals: Vec<(Document, Option<String>)> = docs
        .iter()
        .map(|d| {
            let header = marketdesk_edgar::Container::new(&d.bytes).header.accession;
            (d.clone(), header.map(|a| a.to_string()))
        })
        .collect();
    (0..n).map(move |i| {
        let (doc, header_accession) = &originals[i % originals.len()];
        let accession = format!("99{:08}-26-{:06}", i / 1_000_000, i % 1_000_000);
        let bytes = match header_accession {
            Some(old) => replace_all(&doc.bytes, old.as_bytes(), accession.as_bytes()),
            None => doc.bytes.clone(),
        };
        Ok(Document { name: format!("bench/{accession}.xml"), bytes })
    })
}

fn replace_all(haystack: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(haystack.len());
    let mut i = 0;
    while i < haystack.len() {
        if haystack[i..].starts_with(from) {
            out.extend_from_slice(to);
            i += from.len();
        } else {
            out.push(haystack[i]);
            i += 1;
        }
    }
    out
}

/// Links a corpus of about `megabytes` MB built from the "text" fields of JSON Lines files,
/// repeated, on this thread; reports throughput, build time and the linker's heap.
pub(crate) fn link(files: &[PathBuf], megabytes: usize) -> anyhow::Result<ExitCode> {
    let files = if files.is_empty() {
        vec![PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../linker/tests/data/dev.jsonl"))]
    } else {
        files.to_vec()
    };
    let mut texts = Vec::new();
    for f in &files {
        let body =
            std::fs::read_to_string(f).with_context(|| format!("cannot read {}", f.display()))?;
        for line in body.lines().filter(|l| !l.trim().is_empty()) {
            let v: serde_json::Value = serde_json::from_str(line)
                .with_context(|| format!("{}: not JSON Lines", f.display()))?;
            if let Some(t) = v.get("text").and_then(|t| t.as_str()) {
                texts.push(t.to_owned());
            }
        }
    }
    anyhow::ensure!(!texts.is_empty(), "no \"text\" fields in the given files");
    let target = megabytes.max(1) * 1_000_000;
    let mut corpus: Vec<&str> = Vec::new();
    let mut size = 0;
    while size < target {
        for t in &texts {
            corpus.push(t);
            size += t.len();
        }
    }
    let reference = marketdesk_linker::Reference::shipped()?;
    let aliases = marketdesk_linker::Aliases::shipped()?;
    let cpu_start = thread_cpu_seconds();
    let m = marketdesk_linker::measure(&reference, &aliases, &corpus, 5, 0.0);
    let cpu = thread_cpu_seconds().zip(cpu_start).map(|(end, start)| end - start);
    say!(
        "link: {:.1} MB ({} texts from {} files) in {:.2} s on one thread: {:.1} MB/s, {} mentions",
        m.bytes as f64 / 1e6,
        texts.len(),
        files.len(),
        m.link_seconds,
        m.megabytes_per_second,
        m.mentions
    );
    say!(
        "build: {:.1} ms for {} companies and {} name patterns; linker heap {:.1} MiB; process peak RSS {:.0} MiB",
        m.build_seconds * 1e3,
        m.companies,
        m.patterns,
        m.heap_bytes as f64 / 1048576.0,
        peak_rss_mib().unwrap_or(f64::NAN)
    );
    if let Some(cpu) = cpu {
        say!("cpu time: {cpu:.2} s (5 builds and the link pass)");
    }
    Ok(ExitCode::SUCCESS)
}

/// CPU time this thread has run, from the scheduler's own account (`/proc/thread-self/schedstat`,
/// nanoseconds): unlike wall time it does not count time spent waiting for a shared core.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: f64 = stat.split_whitespace().next()?.parse().ok()?;
    Some(ns / 1e9)
}

/// Peak resident memory of this process, from the kernel.
pub(crate) fn peak_rss_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

/// Ingests `n` replicated filings into a fresh SQLite file.
pub(crate) async fn ingest(paths: &[PathBuf], n: usize) -> anyhow::Result<ExitCode> {
    let docs = load(paths)?;
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let db = dir.path().join("bench.db");
    let store = Store::open_sqlite(&db).await?;
    let start = Instant::now();
    let summary = crate::ingest::ingest_documents(&store, replicate(&docs, n)).await?;
    let secs = start.elapsed().as_secs_f64();
    store.close().await;
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0);
    anyhow::ensure!(summary.new == n as u64, "expected {n} new filings, stored {}", summary.new);
    say!(
        "ingest: {n} filings ({} transactions) into SQLite in {secs:.2} s: {:.0} filings/s; \
         peak RSS {:.0} MiB; database {:.0} MiB",
        summary.transactions,
        n as f64 / secs,
        peak_rss_mib().unwrap_or(f64::NAN),
        size as f64 / 1048576.0
    );
    Ok(ExitCode::SUCCESS)
}

/// Rewrites each replica's issuer CIK so that the copies spread over `issuers` companies.
fn spread_issuers(doc: Document, i: usize, issuers: usize) -> Document {
    let text = String::from_utf8_lossy(&doc.bytes);
    let Some(start) = text.find("<issuerCik>") else { return doc };
    let from = start + "<issuerCik>".len();
    let Some(len) = text[from..].find("</issuerCik>") else { return doc };
    let cik = format!("{:010}", 9_000_000 + i % issuers.max(1));
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..from]);
    out.push_str(&cik);
    out.push_str(&text[from + len..]);
    Document { name: doc.name, bytes: out.into_bytes() }
}

/// Stores `n` replicated filings spread over 5,000 issuers, then times `marketdesk signals` over
/// every stored transaction: the read, the conversion and the desk.
pub(crate) async fn signals(paths: &[PathBuf], n: usize) -> anyhow::Result<ExitCode> {
    let docs = load(paths)?;
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let store = Store::open_sqlite(&dir.path().join("bench.db")).await?;
    let replicas =
        replicate(&docs, n).enumerate().map(|(i, d)| d.map(|d| spread_issuers(d, i, 5_000)));
    let summary = crate::ingest::ingest_documents(&store, replicas).await?;
    let start = Instant::now();
    let cpu_start = thread_cpu_seconds();
    let (rows, found) = marketdesk_newsroom::all_signals(&store).await?;
    let secs = start.elapsed().as_secs_f64();
    let cpu = thread_cpu_seconds().zip(cpu_start).map(|(e, s)| e - s);
    store.close().await;
    say!(
        "signals: {} stored transactions ({} non-derivative trades read) -> {} signals in {secs:.2} s \
         (main thread CPU {:.2} s); peak RSS {:.0} MiB",
        summary.transactions,
        rows,
        found,
        cpu.unwrap_or(f64::NAN),
        peak_rss_mib().unwrap_or(f64::NAN)
    );
    Ok(ExitCode::SUCCESS)
}

/// Writes `n` items, cycling through the items of the feeds in `paths`, as RSS 2.0 files of
/// 1,000 items each under `dir`; each copy gets its own GUID and link.
fn replicate_items(paths: &[PathBuf], n: usize, dir: &std::path::Path) -> anyhow::Result<usize> {
    let mut templates = Vec::new();
    for path in paths {
        let files: Vec<PathBuf> = if path.is_dir() {
            let mut f: Vec<PathBuf> = std::fs::read_dir(path)
                .with_context(|| format!("reading {}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x != "md"))
                .collect();
            f.sort();
            f
        } else {
            vec![path.clone()]
        };
        for f in files {
            let bytes = std::fs::read(&f).with_context(|| format!("reading {}", f.display()))?;
            if let Ok(feed) = marketdesk_feeds::parse_feed(&bytes, &f.display().to_string(), None) {
                templates.extend(feed.items.into_iter().filter(|i| !i.title.is_empty()));
            }
        }
    }
    anyhow::ensure!(!templates.is_empty(), "no feed items found in the given paths");
    let escape = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
    let mut written = 0;
    for (file, chunk) in (0..n).collect::<Vec<_>>().chunks(1_000).enumerate() {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\"><channel><title>Bench</title><link>https://bench.example/</link>\n",
        );
        for k in chunk {
            let t = &templates[k % templates.len()];
            xml.push_str(&format!(
                "<item><title>{}</title><link>https://bench.example/{k}</link><guid>https://bench.example/{k}</guid>{}<description>{}</description></item>\n",
                escape(&t.title),
                t.published.map(|p| format!("<pubDate>{}</pubDate>", p.strftime("%a, %d %b %Y %H:%M:%S +0000"))).unwrap_or_default(),
                escape(&t.summary),
            ));
            written += 1;
        }
        xml.push_str("</channel></rss>\n");
        std::fs::write(dir.join(format!("feed-{file:04}.xml")), xml)
            .context("writing a bench feed")?;
    }
    Ok(written)
}

/// `bench news`: ingest (parse, deduplicate, cluster, store) and analyse `n` replicated items.
pub(crate) async fn news(paths: &[PathBuf], n: usize) -> anyhow::Result<ExitCode> {
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let feeds = dir.path().join("feeds");
    std::fs::create_dir(&feeds).context("creating the feeds directory")?;
    replicate_items(paths, n, &feeds)?;
    let store = Store::open_sqlite(&dir.path().join("bench.db")).await?;
    let start = Instant::now();
    let summary = marketdesk_newsroom::ingest_feeds(
        &store,
        None,
        &[feeds.display().to_string()],
        "marketdesk-bench",
        jiff::Timestamp::now(),
    )
    .await?;
    let ingest_secs = start.elapsed().as_secs_f64();
    let items = store.feed_items(None, u32::MAX).await?;
    let analysed = Instant::now();
    let mut with_sectors = 0;
    for i in &items {
        let text = marketdesk_newsroom::item_text(&i.title, &i.summary);
        with_sectors += usize::from(!marketdesk_desks::news::analyse(&text).sectors.is_empty());
    }
    let analyse_secs = analysed.elapsed().as_secs_f64();
    store.close().await;
    anyhow::ensure!(
        summary.new_items == n as u64,
        "expected {n} new items, kept {}",
        summary.new_items
    );
    say!(
        "news: {n} items in {} feed files: ingest (parse, dedupe, cluster into {} events, store) {ingest_secs:.2} s, \
         sector analysis of every item {analyse_secs:.2} s ({with_sectors} with a sector effect); total {:.2} s, \
         {:.0} items/s; peak RSS {:.0} MiB",
        summary.feeds,
        summary.new_events,
        ingest_secs + analyse_secs,
        n as f64 / (ingest_secs + analyse_secs),
        peak_rss_mib().unwrap_or(f64::NAN)
    );
    Ok(ExitCode::SUCCESS)
}

/// Sends one daily issue to `subscribers` confirmed subscribers through the SMTP server at
/// `smtp`: a fresh store with the sample filings and their articles, so the issue is a real
/// one; no rate limit, `concurrency` mails in flight.
pub(crate) async fn newsletter(
    data: &std::path::Path,
    subscribers: usize,
    smtp: &str,
    concurrency: usize,
) -> anyhow::Result<ExitCode> {
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let store = Store::open_sqlite(&dir.path().join("bench.db")).await?;
    crate::link::load(&store, None, None).await?;
    let edgar = [data.join("edgar/ownership"), data.join("edgar/13f")];
    crate::ingest::ingest_documents(&store, Documents::new(&edgar)).await?;
    let linker = crate::link::linker_in(Some(&store)).await?;
    let now = jiff::Timestamp::now();
    marketdesk_newsroom::write(&store, &linker, None, None, None, 30.0, now).await?;
    let list: Vec<(String, marketdesk_store::Cadence)> = (0..subscribers)
        .map(|i| (format!("reader{i:06}@bench.example"), marketdesk_store::Cadence::Daily))
        .collect();
    let imported = Instant::now();
    store.import_subscribers(&list, now).await?;
    let import_secs = imported.elapsed().as_secs_f64();
    drop(list);
    let options = marketdesk_web::SiteOptions {
        base_url: Some("https://news.example.com".to_owned()),
        secret: Some(b"bench".to_vec()),
        mail: marketdesk_web::MailOptions {
            smtp: Some(marketdesk_web::SmtpConfig::from_url(smtp).context("--smtp")?),
            from: "marketdesk <news@news.example.com>".to_owned(),
            ..marketdesk_web::MailOptions::default()
        },
        newsletter: marketdesk_web::NewsletterSettings {
            options: marketdesk_newsletter::Options {
                concurrency,
                unsubscribe_mailto: Some("unsubscribe@news.example.com".to_owned()),
                ..marketdesk_newsletter::Options::default()
            },
            ..marketdesk_web::NewsletterSettings::default()
        },
        ..marketdesk_web::SiteOptions::default()
    };
    let n = marketdesk_web::newsletter(store.clone(), &options)?;
    let at = now.checked_add(jiff::SignedDuration::from_secs(60)).unwrap_or(now);
    let issue = n.current_issue(marketdesk_store::Cadence::Daily, at).await?;
    let sample =
        n.personalise(&issue, 1, "reader000000@bench.example", at).build()?.formatted().len();
    let report = n.send(marketdesk_store::Cadence::Daily, at, false).await?;
    store.close().await;
    anyhow::ensure!(
        report.sent == subscribers as u64,
        "sent {} of {subscribers} (failed {}, pending {})",
        report.sent,
        report.log.failed,
        report.log.pending
    );
    say!(
        "newsletter: {subscribers} subscribers imported in {import_secs:.2} s; one issue ({:.1} KiB \
         a message, \"{}\") sent to all in {:.2} s through {smtp} with {concurrency} \
         connections: {:.0} messages/s; peak RSS {:.0} MiB",
        sample as f64 / 1024.0,
        issue.subject,
        report.seconds,
        report.sent as f64 / report.seconds,
        peak_rss_mib().unwrap_or(f64::NAN)
    );
    Ok(ExitCode::SUCCESS)
}

/// A loopback server replaying EDGAR: the current-filings feed lists the filings released so
/// far (`release` adds one), and each filing's text is served at its archive path.
struct EdgarReplay {
    url: String,
    listed: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>>,
}

impl EdgarReplay {
    fn start(files: std::collections::HashMap<String, Vec<u8>>) -> anyhow::Result<Self> {
        use std::io::{BufRead, BufReader, Write};
        let listener =
            std::net::TcpListener::bind("127.0.0.1:0").context("binding the replay server")?;
        let url = format!("http://{}/", listener.local_addr()?);
        let listed: std::sync::Arc<std::sync::Mutex<Vec<(String, String)>>> = Default::default();
        let (feed_of, files) = (listed.clone(), std::sync::Arc::new(files));
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (listed, files) = (feed_of.clone(), files.clone());
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(&stream);
                    let mut line = String::new();
                    if reader.read_line(&mut line).is_err() {
                        return;
                    }
                    let path = line
                        .split_whitespace()
                        .nth(1)
                        .unwrap_or("/")
                        .trim_start_matches('/')
                        .to_owned();
                    loop {
                        let mut h = String::new();
                        if reader.read_line(&mut h).map_or(true, |n| n == 0) || h.trim().is_empty()
                        {
                            break;
                        }
                    }
                    let body =
                        if path.starts_with("cgi-bin/browse-edgar") && path.contains("type=4&") {
                            let entries = listed.lock().map(|l| l.clone()).unwrap_or_default();
                            Some(current_feed(&entries).into_bytes())
                        } else {
                            files.get(&path).cloned()
                        };
                    let mut out = &stream;
                    let _ = match body {
                        Some(b) => write!(
                            out,
                            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                            b.len()
                        )
                        .and_then(|()| out.write_all(&b)),
                        None => write!(
                            out,
                            "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                        ),
                    };
                });
            }
        });
        Ok(EdgarReplay { url, listed })
    }

    /// Lists a filing in the current feed from now on.
    fn release(&self, cik: &str, accession: &str) {
        if let Ok(mut l) = self.listed.lock() {
            l.push((cik.to_owned(), accession.to_owned()));
        }
    }
}

/// EDGAR's current-filings Atom feed listing `entries` (CIK, accession).
fn current_feed(entries: &[(String, String)]) -> String {
    let mut feed = String::from(
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\" ?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n<title>Latest Filings</title>\n",
    );
    for (cik, accession) in entries.iter().rev() {
        let folder = accession.replace('-', "");
        feed.push_str(&format!(
            "<entry><title>4 - ({cik})</title><link rel=\"alternate\" type=\"text/html\" \
             href=\"https://www.sec.gov/Archives/edgar/data/{cik}/{folder}/{accession}-index.htm\"/>\
             <id>urn:tag:sec.gov,2008:accession-number={accession}</id><updated>2026-12-07T10:00:00-05:00</updated></entry>\n"
        ));
    }
    feed.push_str("</feed>\n");
    feed
}

/// Filing-to-article latency: `marketdesk run` (this binary, a fresh store) against a replay
/// of EDGAR; each sample releases one filing in the current feed and times until its
/// article is listed by the site's JSON Feed.
pub(crate) async fn latency(
    data: &std::path::Path,
    poll_secs: u64,
    store: Option<String>,
) -> anyhow::Result<ExitCode> {
    // Filings each of whose signals the writer covers at the default threshold, one article
    // apiece (issuer CIK, accession); bare XML documents are served as EDGAR serves the
    // submission, at the accession's path.
    let samples = [
        ("form4_ABCL_0000899243-20-034355.xml", "1703057", "0000899243-20-034355"),
        ("form4_GOOG_0001127602-15-028697.xml", "1288776", "0001127602-15-028697"),
        ("form4_GOOG_0001209191-22-024552.xml", "1652044", "0001209191-22-024552"),
        ("form4_SCTY_0001288257-12-000028.xml", "1408356", "0001288257-12-000028"),
        ("form4_TSLA_0001494730-11-000006.xml", "1318605", "0001494730-11-000006"),
        ("form4_TSLA_0001494730-20-000001.xml", "1318605", "0001494730-20-000001"),
        ("form4_TSLA_0000899243-22-035394.txt", "1318605", "0000899243-22-035394"),
    ];
    let mut files = std::collections::HashMap::new();
    for (file, cik, accession) in samples {
        let bytes = std::fs::read(data.join("edgar/ownership").join(file))
            .with_context(|| format!("reading {file}"))?;
        files.insert(
            format!("Archives/edgar/data/{cik}/{}/{accession}.txt", accession.replace('-', "")),
            bytes,
        );
    }
    let replay = EdgarReplay::start(files)?;
    let dir = tempfile::tempdir().context("creating a temporary directory")?;
    let config = dir.path().join("marketdesk.toml");
    std::fs::write(
        &config,
        format!(
            "[edgar]\nuser_agent = \"marketdesk bench bench@example.com\"\nbase_url = \"{}\"\n\n\
             [run]\nedgar_current_secs = {poll_secs}\nedgar_index_minutes = 600\nfeeds_minutes = 600\n",
            replay.url
        ),
    )?;
    let exe = std::env::current_exe().context("finding this binary")?;
    let db_arg = store.unwrap_or_else(|| dir.path().join("latency.db").display().to_string());
    let loaded =
        std::process::Command::new(&exe).args(["--db", &db_arg, "reference", "load"]).output()?;
    anyhow::ensure!(loaded.status.success(), "reference load failed");
    let port = std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port();
    let addr = format!("127.0.0.1:{port}");
    let mut child = std::process::Command::new(&exe)
        .args(["--db", &db_arg, "--config", &config.display().to_string(), "run", "--addr", &addr])
        .env_remove("MARKETDESK_SMTP_URL")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .context("starting marketdesk run")?;
    let client = reqwest::Client::builder().timeout(Duration::from_secs(5)).build()?;
    let feed_url = format!("http://{addr}/feed.json");
    let articles = |client: reqwest::Client, url: String| async move {
        let body = client.get(&url).send().await.ok()?.text().await.ok()?;
        let json: serde_json::Value = serde_json::from_str(&body).ok()?;
        json["items"].as_array().map(Vec::len)
    };
    let ready = Instant::now();
    while articles(client.clone(), feed_url.clone()).await.is_none() {
        anyhow::ensure!(ready.elapsed() < Duration::from_secs(60), "the site did not come up");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut seen = 0;
    let mut secs = Vec::new();
    for (i, (file, cik, accession)) in samples.iter().enumerate() {
        // Releases spread over the poll cycle (a filing lands at any moment between two polls),
        // not locked to just after the last poll.
        let phase = (i * 3 % samples.len()) as f64 / samples.len() as f64;
        tokio::time::sleep(Duration::from_secs_f64(phase * poll_secs as f64)).await;
        replay.release(cik, accession);
        let released = Instant::now();
        loop {
            let n = articles(client.clone(), feed_url.clone()).await.unwrap_or(seen);
            if n > seen {
                seen = n;
                break;
            }
            anyhow::ensure!(
                released.elapsed() < Duration::from_secs(180),
                "{file}: no article after 180 s"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let took = released.elapsed().as_secs_f64();
        say!(
            "latency: {file} ({accession}): listed in the current feed -> article on the site in {took:.1} s"
        );
        secs.push(took);
    }
    let _ = std::process::Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
    let _ = child.wait();
    secs.sort_by(f64::total_cmp);
    say!(
        "latency over {} filings with the current feed polled every {poll_secs} s ({}): min {:.1} s, median {:.1} s, max {:.1} s",
        secs.len(),
        if marketdesk_store::is_postgres(&db_arg) { "PostgreSQL" } else { "SQLite" },
        secs[0],
        secs[secs.len() / 2],
        secs[secs.len() - 1]
    );
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replicas_get_distinct_accessions_everywhere() {
        let doc = Document {
            name: "a.txt".into(),
            bytes:
                b"<SEC-HEADER>\nACCESSION NUMBER:\t0001127602-25-001055\n</SEC-HEADER>\n<DOCUMENT>"
                    .to_vec(),
        };
        let out: Vec<Document> = replicate(&[doc], 2).map(|d| d.expect("doc")).collect();
        let headers: Vec<String> = out
            .iter()
            .map(|d| {
                marketdesk_edgar::Container::new(&d.bytes)
                    .header
                    .accession
                    .expect("kept")
                    .to_string()
            })
            .collect();
        assert_eq!(headers, ["9900000000-26-000000", "9900000000-26-000001"]);
    }
}

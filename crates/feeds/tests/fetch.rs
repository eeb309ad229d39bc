//! `FeedClient` against a loopback HTTP server started by each test: conditional GET, the size
//! limit, the timeout, redirects and per-host spacing. Nothing here reaches the internet.

#![cfg(feature = "fetch")]

use std::{
    io::{BufRead, BufReader, Write},
    net::{TcpListener, TcpStream},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

use marketdesk_feeds::{FeedClient, FetchConfig, FetchError, FetchOutcome, Validators};

/// A request as the server saw it.
#[derive(Debug, Clone)]
struct Seen {
    path: String,
    headers: Vec<(String, String)>,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

/// What the server answers.
enum Reply {
    /// Status, headers and body, with a Content-Length.
    Full(u16, Vec<(&'static str, String)>, Vec<u8>),
    /// 200 with a body delimited by closing the connection (no Content-Length).
    Unsized(Vec<u8>),
    /// Nothing until this long has passed.
    Stall(Duration),
}

type Handler = Arc<dyn Fn(&Seen) -> Reply + Send + Sync>;

struct Server {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn start(handler: impl Fn(&Seen) -> Reply + Send + Sync + 'static) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
        let handler: Handler = Arc::new(handler);
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (handler, log) = (handler.clone(), log.clone());
                std::thread::spawn(move || serve(stream, &*handler, &log));
            }
        });
        Server { url, seen }
    }

    fn requests(&self) -> Vec<Seen> {
        self.seen.lock().expect("lock").clone()
    }
}

fn serve(
    stream: TcpStream,
    handler: &(dyn Fn(&Seen) -> Reply + Send + Sync),
    log: &Mutex<Vec<Seen>>,
) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut headers = Vec::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).is_err() || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            headers.push((k.trim().to_owned(), v.trim().to_owned()));
        }
    }
    let request = Seen { path, headers };
    log.lock().expect("lock").push(request.clone());
    let mut out = stream;
    let (head, body) = match handler(&request) {
        Reply::Full(status, headers, body) => {
            let mut head = format!(
                "HTTP/1.1 {status} X\r\nContent-Length: {}\r\nConnection: close\r\n",
                body.len()
            );
            for (k, v) in headers {
                head.push_str(&format!("{k}: {v}\r\n"));
            }
            (head, body)
        }
        Reply::Unsized(body) => ("HTTP/1.1 200 OK\r\nConnection: close\r\n".to_owned(), body),
        Reply::Stall(pause) => {
            std::thread::sleep(pause);
            ("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n".to_owned(), vec![])
        }
    };
    let _ = out.write_all(head.as_bytes());
    let _ = out.write_all(b"\r\n");
    for chunk in body.chunks(1024) {
        if out.write_all(chunk).is_err() {
            return;
        }
    }
}

const FEED: &[u8] = b"<rss version=\"2.0\"><channel><title>T</title></channel></rss>";

fn client(configure: impl FnOnce(&mut FetchConfig)) -> FeedClient {
    let mut config = FetchConfig::new("marketdesk-test ops@example.com");
    config.min_host_interval = Duration::ZERO;
    configure(&mut config);
    FeedClient::new(config).expect("client")
}

#[tokio::test]
async fn conditional_get_answers_not_modified() {
    let server = Server::start(|req| {
        if req.header("If-None-Match") == Some("\"v1\"") {
            return Reply::Full(304, vec![("ETag", "\"v1\"".into())], vec![]);
        }
        Reply::Full(
            200,
            vec![
                ("ETag", "\"v1\"".into()),
                ("Last-Modified", "Sat, 22 Aug 2026 21:20:27 GMT".into()),
                ("Content-Type", "application/rss+xml; charset=windows-1251".into()),
            ],
            FEED.to_vec(),
        )
    });
    let client = client(|_| {});
    let url = format!("{}/feed.xml", server.url);
    let FetchOutcome::Fetched(first) =
        client.fetch(&url, &Validators::default()).await.expect("fetch")
    else {
        panic!("expected a body");
    };
    assert_eq!(first.bytes, FEED);
    assert_eq!(first.etag.as_deref(), Some("\"v1\""));
    assert_eq!(first.last_modified.as_deref(), Some("Sat, 22 Aug 2026 21:20:27 GMT"));
    assert_eq!(first.charset.as_deref(), Some("windows-1251"));
    assert_eq!(first.final_url, url);
    let second = client.fetch(&url, &first.validators()).await.expect("fetch");
    assert_eq!(second, FetchOutcome::NotModified);
    let seen = server.requests();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].header("If-None-Match"), None);
    assert_eq!(seen[1].header("If-None-Match"), Some("\"v1\""));
    assert_eq!(seen[1].header("If-Modified-Since"), Some("Sat, 22 Aug 2026 21:20:27 GMT"));
    assert!(seen.iter().all(|r| r.header("User-Agent") == Some("marketdesk-test ops@example.com")));
}

#[tokio::test]
async fn bodies_over_the_limit_are_errors() {
    let server = Server::start(|req| match req.path.as_str() {
        "/sized" => Reply::Full(200, vec![], vec![b'x'; 5000]),
        "/unsized" => Reply::Unsized(vec![b'x'; 5000]),
        _ => Reply::Unsized(vec![b'x'; 1000]),
    });
    let client = client(|c| c.max_body_bytes = 1000);
    for path in ["/sized", "/unsized"] {
        let url = format!("{}{path}", server.url);
        match client.fetch(&url, &Validators::default()).await {
            Err(FetchError::TooLarge { limit: 1000, .. }) => {}
            other => panic!("{path}: expected TooLarge, got {other:?}"),
        }
    }
    // Exactly at the limit is fine.
    let url = format!("{}/fits", server.url);
    match client.fetch(&url, &Validators::default()).await {
        Ok(FetchOutcome::Fetched(f)) => assert_eq!(f.bytes.len(), 1000),
        other => panic!("expected the body, got {other:?}"),
    }
}

#[tokio::test]
async fn a_slow_server_times_out() {
    let server = Server::start(|_| Reply::Stall(Duration::from_secs(3)));
    let client = client(|c| c.timeout = Duration::from_millis(300));
    let url = format!("{}/slow", server.url);
    let started = Instant::now();
    match client.fetch(&url, &Validators::default()).await {
        Err(FetchError::Timeout { timeout, .. }) => assert_eq!(timeout, Duration::from_millis(300)),
        other => panic!("expected Timeout, got {other:?}"),
    }
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn statuses_and_redirects() {
    let server = Server::start(|req| match req.path.as_str() {
        "/old" => Reply::Full(301, vec![("Location", "/new".into())], vec![]),
        "/new" => Reply::Full(200, vec![], FEED.to_vec()),
        _ => Reply::Full(503, vec![], b"busy".to_vec()),
    });
    let client = client(|_| {});
    match client.fetch(&format!("{}/old", server.url), &Validators::default()).await {
        Ok(FetchOutcome::Fetched(f)) => assert_eq!(f.final_url, format!("{}/new", server.url)),
        other => panic!("expected the redirected body, got {other:?}"),
    }
    match client.fetch(&format!("{}/down", server.url), &Validators::default()).await {
        Err(FetchError::Status { status: 503, .. }) => {}
        other => panic!("expected 503, got {other:?}"),
    }
    assert!(matches!(
        client.fetch("file:///etc/passwd", &Validators::default()).await,
        Err(FetchError::InvalidUrl { .. })
    ));
    // A port bound but not listening: connections to it are refused, and while the socket
    // lives no other can take the port.
    let reserved = tokio::net::TcpSocket::new_v4().expect("socket");
    reserved.bind(([127, 0, 0, 1], 0).into()).expect("bind");
    let port = reserved.local_addr().expect("addr").port();
    assert!(matches!(
        client.fetch(&format!("http://127.0.0.1:{port}/"), &Validators::default()).await,
        Err(FetchError::Transport { .. })
    ));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn requests_to_one_host_are_spaced_across_tasks() {
    let server = Server::start(|_| Reply::Full(200, vec![], FEED.to_vec()));
    let interval = Duration::from_millis(250);
    let client = client(|c| c.min_host_interval = interval);
    let started = Instant::now();
    let tasks: Vec<_> = (0..3)
        .map(|i| {
            let (client, url) = (client.clone(), format!("{}/feed{i}", server.url));
            tokio::spawn(async move { client.fetch(&url, &Validators::default()).await })
        })
        .collect();
    for task in tasks {
        assert!(matches!(task.await.expect("task"), Ok(FetchOutcome::Fetched(_))));
    }
    // Three requests to one host: the last cannot start before two intervals have passed.
    assert!(started.elapsed() >= interval * 2, "{:?}", started.elapsed());
    assert_eq!(server.requests().len(), 3);
}

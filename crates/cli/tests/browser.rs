//! The website as a reader sees it: `marketdesk demo` serves the sample data on loopback and
//! headless Chromium (through chromedriver, WebDriver protocol) opens the home page, an article,
//! a ticker page and a search, checks the required elements, and saves phone and desktop
//! screenshots under target/screenshots. `scripts/test` installs chromium and chromium-driver.

mod support;

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpStream,
    path::PathBuf,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use base64::Engine as _;
use serde_json::{Value, json};
use support::{Running, marketdesk};

/// One HTTP/1.1 request on loopback: (status, body).
fn http(method: &str, port: u16, path: &str, body: Option<&Value>) -> (u16, String) {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("connect");
    stream.set_read_timeout(Some(Duration::from_secs(60))).expect("timeout");
    let payload = body.map(Value::to_string).unwrap_or_default();
    write!(
        stream,
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{payload}",
        payload.len()
    )
    .expect("write request");
    let mut reader = BufReader::new(stream);
    let mut status_line = String::new();
    reader.read_line(&mut status_line).expect("status line");
    let status = status_line.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let mut length = None;
    let mut chunked = false;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).expect("header") == 0 || line == "\r\n" {
            break;
        }
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse::<usize>().ok();
        }
        chunked |= lower.starts_with("transfer-encoding:") && lower.contains("chunked");
    }
    let mut body = Vec::new();
    if chunked {
        loop {
            let mut size = String::new();
            reader.read_line(&mut size).expect("chunk size");
            let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
            if n == 0 {
                break;
            }
            let mut chunk = vec![0; n + 2];
            reader.read_exact(&mut chunk).expect("chunk");
            body.extend_from_slice(&chunk[..n]);
        }
    } else if let Some(n) = length {
        body.resize(n, 0);
        reader.read_exact(&mut body).expect("body");
    } else {
        reader.read_to_end(&mut body).expect("body");
    }
    (status, String::from_utf8_lossy(&body).into_owned())
}

fn wait_for(port: u16, path: &str) {
    let start = Instant::now();
    while start.elapsed() < Duration::from_secs(120) {
        if TcpStream::connect(("127.0.0.1", port)).is_ok() && http("GET", port, path, None).0 == 200
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    panic!("nothing answered on port {port} within two minutes");
}

/// A WebDriver session in headless Chromium.
struct Browser {
    port: u16,
    session: String,
    _driver: Running,
}

impl Browser {
    fn start() -> Browser {
        // Port 0: chromedriver takes a free one and says which, on stdout (sent to stderr here).
        let mut driver = Running::spawn(
            Command::new("sh").args(["-c", "exec chromedriver --port=0 >&2"]).stdout(Stdio::null()),
        );
        let line = driver.line_with("started successfully on port");
        let port: u16 = line
            .rsplit("port ")
            .next()
            .map(|p| p.trim_end_matches(|c: char| !c.is_ascii_digit()))
            .and_then(|p| p.parse().ok())
            .unwrap_or_else(|| panic!("no port in {line:?}"));
        wait_for(port, "/status");
        let caps = json!({"capabilities": {"alwaysMatch": {"browserName": "chrome", "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--hide-scrollbars"]
        }}}});
        let (status, body) = http("POST", port, "/session", Some(&caps));
        assert_eq!(status, 200, "{body}");
        let v: Value = serde_json::from_str(&body).expect("json");
        let session = v["value"]["sessionId"].as_str().expect("session id").to_owned();
        Browser { port, session, _driver: driver }
    }

    fn command(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let (status, text) =
            http(method, self.port, &format!("/session/{}{path}", self.session), body.as_ref());
        assert_eq!(status, 200, "{method} {path}: {text}");
        serde_json::from_str::<Value>(&text).expect("json")["value"].clone()
    }

    fn open(&self, url: &str) {
        self.command("POST", "/url", Some(json!({"url": url})));
    }

    fn size(&self, width: u32, height: u32) {
        self.command("POST", "/window/rect", Some(json!({"width": width, "height": height})));
    }

    /// The visible text of every element matching `css`.
    fn texts(&self, css: &str) -> Vec<String> {
        let found =
            self.command("POST", "/elements", Some(json!({"using": "css selector", "value": css})));
        found
            .as_array()
            .expect("elements")
            .iter()
            .filter_map(|e| e.as_object().and_then(|o| o.values().next()).and_then(Value::as_str))
            .map(|id| {
                self.command("GET", &format!("/element/{id}/text"), None)
                    .as_str()
                    .unwrap_or("")
                    .to_owned()
            })
            .collect()
    }

    fn count(&self, css: &str) -> usize {
        self.command("POST", "/elements", Some(json!({"using": "css selector", "value": css})))
            .as_array()
            .map_or(0, Vec::len)
    }

    fn screenshot(&self, name: &str) {
        let data = self.command("GET", "/screenshot", None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(data.as_str().expect("base64"))
            .expect("png");
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
        std::fs::create_dir_all(&dir).expect("screenshot dir");
        std::fs::write(dir.join(format!("{name}.png")), png).expect("write screenshot");
    }
}

impl Drop for Browser {
    fn drop(&mut self) {
        let _ = http("DELETE", self.port, &format!("/session/{}", self.session), None);
    }
}

#[test]
fn a_reader_sees_the_required_elements_on_phone_and_desktop() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut demo = Running::spawn(
        marketdesk(&dir.path().join("demo.db"))
            .args(["demo", "--addr", "127.0.0.1:0"])
            .stdout(Stdio::null()),
    );
    let addr = demo.serving_addr();
    let port: u16 = addr.rsplit(':').next().and_then(|p| p.parse().ok()).expect("a port");
    wait_for(port, "/");
    let site = format!("http://{addr}");
    let browser = Browser::start();

    for (device, width, height) in [("desktop", 1280, 900), ("phone", 390, 844)] {
        browser.size(width, height);
        browser.open(&format!("{site}/"));
        assert!(browser.count("main a[href^='/articles/']") >= 8, "home lists the articles");
        browser.screenshot(&format!("home-{device}"));

        // An insider article, found through its agent's page.
        let (_, agent) = http("GET", port, "/agents/insider-tracker", None);
        let slug = agent
            .split("href=\"/articles/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("an article link")
            .to_owned();
        browser.open(&format!("{site}/articles/{slug}"));
        assert_eq!(browser.count("h1"), 1);
        let page = browser.texts("main").join("\n");
        assert!(page.contains("Generated by AI Agent Ledger"), "{page}");
        let dateline =
            page.lines().find(|l| l.ends_with(" ET") || l.contains(" ET ·")).unwrap_or("");
        assert!(
            ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
                .iter()
                .any(|d| dateline.starts_with(d)),
            "dateline {dateline:?}"
        );
        assert!(page.contains("min read"), "{page}");
        for heading in [
            "What happened",
            "Who is trading",
            "Context",
            "What it may mean",
            "Caveats",
            "The bottom line",
            "Sources",
        ] {
            assert!(browser.texts("main h2").iter().any(|h| h == heading), "no section {heading}");
        }
        assert!(browser.count("a.ticker-chip[href^='/tickers/']") >= 1, "ticker chips");
        assert!(
            browser.count("a[href^='https://www.sec.gov/Archives/edgar/data/']") >= 1,
            "sources"
        );
        assert!(browser.count("a[href='/agents/insider-tracker']") >= 1, "bio box link");
        assert!(
            page.contains("Latest Articles")
                || browser.texts("body").join(" ").contains("Latest Articles")
        );
        assert_eq!(browser.count("form[action='/newsletter/subscribe'] input[name='email']"), 1);
        assert_eq!(
            browser
                .count(&format!("form[action='/articles/{slug}/comments'] textarea[name='body']")),
            1
        );
        assert!(page.contains("No comments yet"), "{page}");
        // With JavaScript on, the comment forms count the characters left.
        assert!(
            browser
                .texts("form.comment-form .char-count")
                .iter()
                .any(|t| t.ends_with("characters left"))
        );
        browser.screenshot(&format!("article-{device}"));

        let (_, macro_desk) = http("GET", port, "/agents/macro-analyst", None);
        let news = macro_desk
            .split("href=\"/articles/")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .expect("a news article link")
            .to_owned();
        browser.open(&format!("{site}/articles/{news}"));
        assert!(browser.texts("main").join("\n").contains("Generated by AI Agent Meridian"));
        for heading in [
            "What happened",
            "The case",
            "Risks and challenges",
            "What it means for sectors",
            "Investment strategies",
            "Conclusion",
        ] {
            assert!(browser.texts("main h2").iter().any(|h| h == heading), "no section {heading}");
        }
        browser.screenshot(&format!("news-{device}"));

        browser.open(&format!("{site}/tickers/TSLA"));
        assert!(browser.count("main svg") >= 1, "price chart");
        assert!(browser.count("main table") >= 1, "insider table");
        assert!(browser.texts("main").join(" ").contains("Tesla"));
        browser.screenshot(&format!("ticker-{device}"));

        browser.open(&format!("{site}/search?q=TSLA"));
        assert!(
            browser.count("main a[href^='/articles/']") >= 1,
            "search finds articles by ticker"
        );
        browser.screenshot(&format!("search-{device}"));
    }
}

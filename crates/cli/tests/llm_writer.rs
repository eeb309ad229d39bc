//! The optional model writer against a loopback server that speaks the OpenAI chat-completions
//! protocol: accepted drafts, rejected drafts retried with their violations, 429, 500,
//! malformed answers and timeouts, each ending in a verified or a deterministic article.

mod support;

use std::{
    io::{BufRead, BufReader, Read, Write},
    net::TcpListener,
    path::Path,
    sync::{Arc, Mutex},
    time::Duration,
};

use marketdesk_core::style::money;
use serde_json::{Value, json};
use support::{fixture, marketdesk, stderr, stdout};

/// What the fake answers to its n-th request (0-based), given the request body.
type Script = Arc<dyn Fn(usize, &Value) -> Reply + Send + Sync>;

enum Reply {
    /// 200 with a chat completion whose message content is this.
    Content(String),
    /// A status with `Retry-After: 0`.
    Status(u16),
    /// 200 with this raw body.
    Raw(String),
    /// Say nothing for this long.
    Stall(Duration),
}

struct FakeModel {
    url: String,
    requests: Arc<Mutex<Vec<Value>>>,
}

fn start(script: Script) -> FakeModel {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let url = format!("http://{}/v1", listener.local_addr().expect("addr"));
    let requests: Arc<Mutex<Vec<Value>>> = Arc::default();
    let seen = requests.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            let mut length = 0usize;
            let mut line = String::new();
            let mut path = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) {
                if path.is_empty() {
                    path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
                if line == "\r\n" {
                    break;
                }
                line.clear();
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            assert_eq!(path, "/v1/chat/completions");
            let n = {
                let mut seen = seen.lock().expect("lock");
                seen.push(request.clone());
                seen.len() - 1
            };
            let mut stream = stream;
            let (status, body) = match script(n, &request) {
                Reply::Content(c) => (200, json!({"id": "x", "object": "chat.completion", "choices": [{"index": 0, "message": {"role": "assistant", "content": c}, "finish_reason": "stop"}]}).to_string()),
                Reply::Status(s) => (s, json!({"error": {"message": "busy"}}).to_string()),
                Reply::Raw(b) => (200, b),
                Reply::Stall(d) => {
                    std::thread::sleep(d);
                    continue;
                }
            };
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nRetry-After: 0\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    FakeModel { url, requests }
}

/// The fact sheet and headings a request carries.
fn sheet_and_headings(request: &Value) -> (Value, Vec<String>) {
    let system = request["messages"][0]["content"].as_str().expect("system");
    let user = request["messages"][1]["content"].as_str().expect("user");
    let facts = user.strip_prefix("Fact sheet:\n").expect("fact sheet");
    let facts = facts.split("\n\nYour previous draft").next().unwrap_or(facts);
    let headings = &system[system.rfind('[').expect("[")..=system.rfind(']').expect("]")];
    (
        serde_json::from_str(facts).expect("sheet json"),
        serde_json::from_str(headings).expect("headings"),
    )
}

/// A draft a careful model would write: only the sheet's facts. With `invent`, one figure that
/// is on no sheet.
fn draft(request: &Value, invent: bool) -> String {
    let (sheet, headings) = sheet_and_headings(request);
    let company = sheet["entities"][0]["display"].as_str().expect("company").to_owned();
    let value = sheet["numbers"]
        .as_array()
        .expect("numbers")
        .iter()
        .find(|n| n["key"] == "value_usd")
        .expect("value")["value"]
        .as_f64()
        .expect("f64");
    let figure = if invent { "$99.9 million".to_owned() } else { money(value) };
    let sections: Vec<Value> = headings
        .iter()
        .map(|h| json!({"heading": h, "paragraphs": [format!("An insider of {company} traded {figure} of its stock, the filing shows.")]}))
        .collect();
    json!({"headline": format!("Insider trade at {company}"), "dek": format!("A {figure} trade."), "sections": sections}).to_string()
}

fn write_with(model: &FakeModel, dir: &Path, timeout: &str) -> (Value, String) {
    let db = dir.join("md.db");
    for args in [
        vec!["reference", "load"],
        vec!["ingest", "edgar", fixture("edgar/ownership").to_str().expect("path")],
    ] {
        let out = marketdesk(&db).args(&args).output().expect("run");
        assert!(out.status.success(), "{}", stderr(&out));
    }
    let out = marketdesk(&db)
        .args(["write", "--since", "2022-12-01", "--json"])
        .env("MARKETDESK_LLM_BASE_URL", &model.url)
        .env("MARKETDESK_LLM_MODEL", "fake-model")
        .env("MARKETDESK_LLM_API_KEY", "sk-test")
        .env("MARKETDESK_LLM_TIMEOUT_SECS", timeout)
        .output()
        .expect("run write");
    assert!(out.status.success(), "{}", stderr(&out));
    let summary: Value = serde_json::from_str(&stdout(&out)).expect("summary");
    assert_eq!(summary["new"], 1, "{summary}");
    let list = marketdesk(&db).args(["articles", "--json"]).output().expect("run");
    let slug = serde_json::from_str::<Value>(stdout(&list).lines().next().expect("one article"))
        .expect("json")["slug"]
        .as_str()
        .expect("slug")
        .to_owned();
    let show = marketdesk(&db).args(["show", &slug, "--json"]).output().expect("run");
    (serde_json::from_str(&stdout(&show)).expect("article"), stderr(&out))
}

#[test]
fn a_verified_draft_is_published_as_the_models() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model =
        start(Arc::new(|_, r| Reply::Content(format!("```json\n{}\n```", draft(r, false)))));
    let (article, _) = write_with(&model, dir.path(), "10");
    assert_eq!(article["writer"], "llm:fake-model");
    assert!(
        article["headline"].as_str().is_some_and(|h| h.starts_with("Insider trade at Snowflake"))
    );
    let requests = model.requests.lock().expect("lock");
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0]["model"], "fake-model");
    let system = requests[0]["messages"][0]["content"].as_str().expect("system");
    assert!(
        system.contains("You are Ledger") && system.contains("The Insider Tracker"),
        "{system}"
    );
}

#[test]
fn a_draft_with_an_invented_figure_is_retried_with_the_violation_listed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = start(Arc::new(|n, r| Reply::Content(draft(r, n == 0))));
    let (article, _) = write_with(&model, dir.path(), "10");
    assert_eq!(article["writer"], "llm:fake-model");
    let requests = model.requests.lock().expect("lock");
    assert_eq!(requests.len(), 2);
    let retry = requests[1]["messages"][1]["content"].as_str().expect("user");
    assert!(retry.contains("was rejected") && retry.contains("$99.9 million"), "{retry}");
}

#[test]
fn two_failing_drafts_give_the_deterministic_article() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = start(Arc::new(|_, r| Reply::Content(draft(r, true))));
    let (article, log) = write_with(&model, dir.path(), "10");
    assert_eq!(article["writer"], "deterministic");
    assert_eq!(model.requests.lock().expect("lock").len(), 2);
    assert!(log.contains("draft rejected"), "{log}");
    assert!(!article.to_string().contains("$99.9 million"));
}

#[test]
fn rate_limits_are_waited_out_and_server_errors_fall_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model =
        start(Arc::new(
            |n, r| if n == 0 { Reply::Status(429) } else { Reply::Content(draft(r, false)) },
        ));
    let (article, _) = write_with(&model, dir.path(), "10");
    assert_eq!(article["writer"], "llm:fake-model");
    assert_eq!(model.requests.lock().expect("lock").len(), 2);

    let dir = tempfile::tempdir().expect("tempdir");
    let model = start(Arc::new(|_, _| Reply::Status(500)));
    let (article, log) = write_with(&model, dir.path(), "10");
    assert_eq!(article["writer"], "deterministic");
    assert_eq!(model.requests.lock().expect("lock").len(), 3, "three attempts, then give up");
    assert!(log.contains("HTTP 500"), "{log}");
}

#[test]
fn malformed_answers_and_timeouts_fall_back() {
    let dir = tempfile::tempdir().expect("tempdir");
    let model = start(Arc::new(|n, _| {
        if n == 0 {
            Reply::Raw("{\"choices\": []}".into())
        } else {
            Reply::Content("Sure! Here is your article.".into())
        }
    }));
    let (article, log) = write_with(&model, dir.path(), "10");
    assert_eq!(article["writer"], "deterministic");
    assert_eq!(model.requests.lock().expect("lock").len(), 2);
    assert!(log.contains("malformed answer"), "{log}");

    let dir = tempfile::tempdir().expect("tempdir");
    let model = start(Arc::new(|_, _| Reply::Stall(Duration::from_secs(3))));
    let (article, log) = write_with(&model, dir.path(), "0.5");
    assert_eq!(article["writer"], "deterministic");
    assert!(log.contains("did not answer"), "{log}");
}

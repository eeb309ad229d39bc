//! The news desk end to end: feeds from files and from a loopback server (conditional GET),
//! items kept once, problems recorded, sectors on stdin and against labels, and the macro
//! persona's articles.

mod support;

use std::sync::Arc;

use serde_json::Value;
use support::{EdgarServer, fixture, marketdesk, stderr, stdout};

fn run(db: &std::path::Path, args: &[&str]) -> String {
    let out = marketdesk(db).args(args).output().expect("run marketdesk");
    assert!(out.status.success(), "marketdesk {args:?} failed: {}", stderr(&out));
    stdout(&out)
}

fn json_lines(text: &str) -> Vec<Value> {
    text.lines().map(|l| serde_json::from_str(l).expect("json line")).collect()
}

#[test]
fn feed_files_are_kept_once_with_problems_recorded() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("md.db");
    let feeds = fixture("feeds");
    let first: Value = serde_json::from_str(&run(
        &db,
        &["ingest", "feeds", feeds.to_str().expect("path"), "--json"],
    ))
    .expect("json");
    assert_eq!(first["feeds"], 18, "{first}");
    let kept = first["new_items"].as_u64().expect("count");
    assert!(kept >= 170, "{first}");
    assert!(first["problems"].as_u64().expect("count") > 0);
    // Idempotent: nothing new the second time.
    let again: Value = serde_json::from_str(&run(
        &db,
        &["ingest", "feeds", feeds.to_str().expect("path"), "--json"],
    ))
    .expect("json");
    assert_eq!(again["new_items"], 0);
    assert_eq!(again["duplicates"].as_u64(), Some(kept));

    let items = json_lines(&run(&db, &["feeds", "items", "--json"]));
    assert_eq!(items.len() as u64, kept);
    for key in ["feed", "guid", "title", "link", "published", "summary"] {
        assert!(items[0].get(key).is_some(), "no {key}");
    }
    // The feed with a raw ampersand keeps all three items and the right link.
    let amp = fixture("feeds/unescaped_ampersand_invalid.rss.xml");
    let amp =
        json_lines(&run(&db, &["feeds", "items", "--feed", amp.to_str().expect("path"), "--json"]));
    assert_eq!(amp.len(), 3);
    assert!(amp.iter().any(|i| i["link"] == "http://example.com/bad?foo=1&bar=2"));
    // The Latin-1 feed without a declaration reads as text, with its Portuguese dates.
    let uol = fixture("feeds/uol_noticias_latin1_no_xml_decl.rss.xml");
    let uol =
        json_lines(&run(&db, &["feeds", "items", "--feed", uol.to_str().expect("path"), "--json"]));
    assert_eq!(uol.len(), 15);
    assert!(uol.iter().all(|i| !i["title"].as_str().unwrap_or("").contains('\u{fffd}')));
    assert!(uol.iter().all(|i| i["published"].is_string()));
    let errors = run(&db, &["ingest", "errors"]);
    assert!(errors.contains("reuters_most_read_truncated_invalid"), "{errors}");
}

#[test]
fn feeds_over_http_use_conditional_get_and_failures_are_not_fatal() {
    let root = fixture("feeds");
    let server = EdgarServer::start(
        root,
        Arc::new(|path: &str, attempt: usize| match (path, attempt) {
            ("/cnbc_finance_2019-07-29.rss.xml", 0) => {
                Some((200, vec![("ETag", "\"v1\"".to_owned())]))
            }
            ("/cnbc_finance_2019-07-29.rss.xml", _) => Some((304, vec![])),
            ("/gone.xml", _) => Some((404, vec![])),
            _ => None,
        }),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("md.db");
    let list = dir.path().join("feeds.toml");
    std::fs::write(
        &list,
        format!(
            "[[feed]]\nurl = \"{0}cnbc_finance_2019-07-29.rss.xml\"\nname = \"CNBC Finance\"\ncategory = \"markets\"\n\n[[feed]]\nurl = \"{0}gone.xml\"\nname = \"Gone\"\n",
            server.url
        ),
    )
    .expect("feeds file");
    let out = marketdesk(&db)
        .args(["ingest", "feeds", "--file", list.to_str().expect("path"), "--json"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2), "one feed failed: {}", stderr(&out));
    let first: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(
        (first["new_items"].as_u64(), first["failed"].as_u64()),
        (Some(30), Some(1)),
        "{first}"
    );
    let out = marketdesk(&db)
        .args(["ingest", "feeds", "--file", list.to_str().expect("path"), "--json"])
        .output()
        .expect("run");
    let second: Value = serde_json::from_str(&stdout(&out)).expect("json");
    assert_eq!(second["not_modified"], 1, "{second}");
    let seen = server.requests();
    let conditional = seen
        .iter()
        .filter(|s| s.path.starts_with("/cnbc"))
        .filter_map(|s| s.if_none_match.clone())
        .collect::<Vec<_>>();
    assert_eq!(conditional, ["\"v1\""]);
    assert!(
        seen.iter().all(|s| s.user_agent.as_deref().is_some_and(|u| u.starts_with("marketdesk/")))
    );
    let items = json_lines(&run(&db, &["feeds", "items", "--json"]));
    assert!(items.iter().all(|i| {
        i["feed"].as_str().is_some_and(|f| f.ends_with("cnbc_finance_2019-07-29.rss.xml"))
    }));
    let errors = run(&db, &["ingest", "errors"]);
    assert!(errors.contains("gone.xml") && errors.contains("404"), "{errors}");
}

#[test]
fn sectors_reads_json_lines_and_scores_labels() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("md.db");
    let input = "{\"id\": \"a\", \"text\": \"Pentagon seeks record defence budget as missile deliveries speed up\"}\nnot json\n{\"id\": \"b\", \"text\": \"Prisoner swap completed at the border\"}\n";
    let mut child = marketdesk(&db)
        .arg("sectors")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn");
    use std::io::Write as _;
    child.stdin.take().expect("stdin").write_all(input.as_bytes()).expect("write");
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(2), "one bad line");
    assert!(stderr(&out).contains("line 2"), "{}", stderr(&out));
    let lines = json_lines(&stdout(&out));
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], "a");
    assert_eq!(lines[0]["sectors"][0]["sector"], "Defense/Aerospace");
    assert_eq!(lines[0]["sectors"][0]["direction"], "+");
    assert!(lines[0]["sectors"][0]["why"].as_str().is_some_and(|w| !w.is_empty()));
    assert_eq!(lines[1]["sectors"], Value::Array(vec![]));

    let dev = fixture("sectors/dev.jsonl");
    let report: Value = serde_json::from_str(&run(
        &db,
        &["sectors", "--eval", dev.to_str().expect("path"), "--json"],
    ))
    .expect("json");
    assert!(report["micro"]["f1"].as_f64().is_some_and(|f| f >= 0.8), "{}", report["micro"]);
    assert!(report["direction_accuracy"].as_f64().is_some_and(|d| d >= 0.8));
    let text = run(&db, &["sectors", "--eval", dev.to_str().expect("path")]);
    assert!(text.contains("micro") && text.contains("direction accuracy"), "{text}");
}

#[test]
fn the_macro_persona_writes_grounded_news_analysis() {
    let dir = tempfile::tempdir().expect("tempdir");
    let db = dir.path().join("md.db");
    run(&db, &["reference", "load"]);
    run(&db, &["ingest", "feeds", fixture("feeds").to_str().expect("path")]);
    let summary: Value =
        serde_json::from_str(&run(&db, &["write", "--persona", "macro-analyst", "--json"]))
            .expect("json");
    assert!(summary["new"].as_u64().is_some_and(|n| n >= 3), "{summary}");
    let articles = json_lines(&run(&db, &["articles", "--json"]));
    for a in &articles {
        assert_eq!(a["persona"], "macro-analyst");
        let slug = a["slug"].as_str().expect("slug");
        let article: Value =
            serde_json::from_str(&run(&db, &["show", slug, "--json"])).expect("json");
        let headings: Vec<&str> = article["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .filter_map(|s| s["heading"].as_str())
            .collect();
        assert_eq!(
            headings,
            [
                "What happened",
                "The case",
                "Risks and challenges",
                "The landscape",
                "What it means for sectors",
                "Investment strategies",
                "Conclusion"
            ]
        );
        let what = article["sections"][0]["paragraphs"][0].as_str().expect("paragraph");
        assert!(
            what.starts_with('\u{201c}') && what.contains("reported"),
            "the source is quoted and attributed: {what}"
        );
        assert!(article["sources"][0]["url"].as_str().is_some_and(|u| u.starts_with("http")));
        let file = dir.path().join(format!("{slug}.json"));
        std::fs::write(&file, article.to_string()).expect("write");
        let verified = run(&db, &["verify", file.to_str().expect("path")]);
        assert!(verified.contains("every figure"), "{verified}");
    }
    // Idempotent.
    let again: Value =
        serde_json::from_str(&run(&db, &["write", "--persona", "macro-analyst", "--json"]))
            .expect("json");
    assert_eq!(again["new"], 0);
}

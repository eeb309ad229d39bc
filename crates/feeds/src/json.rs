//! JSON Feed 1.0 and 1.1 (<https://jsonfeed.org/version/1.1>). A document cut short keeps the
//! items that were complete before the cut.

use serde_json::{Map, Value};

use crate::{
    FeedFormat,
    date::parse_date,
    parse::{Draft, RawLink, RawProblem, Read, distinct_nonempty, new_item},
    text::{self, SHORT_MAX_CHARS, SUMMARY_MAX_CHARS, TITLE_MAX_CHARS},
    xml::NotFeed,
};

/// Reads a JSON Feed.
pub(crate) fn parse_json(text: &str) -> Result<Read, NotFeed> {
    let mut problems = Vec::new();
    let (top, items) = match serde_json::from_str::<Value>(text) {
        Ok(Value::Object(mut top)) => {
            let items = match top.remove("items") {
                Some(Value::Array(items)) => items,
                _ => Vec::new(),
            };
            (top, items)
        }
        Ok(_) => {
            return Err(NotFeed { offset: 0, reason: "JSON, but not an object".into() });
        }
        Err(e) => {
            let offset = offset_of(text, e.line(), e.column());
            let Some((top, items)) = recover(text) else {
                return Err(NotFeed { offset, reason: format!("not a JSON Feed: {e}") });
            };
            problems.push(RawProblem {
                item: None,
                guid: None,
                offset: Some(offset),
                field: None,
                message: format!(
                    "not well-formed JSON ({e}); kept the {} complete items",
                    items.len()
                ),
            });
            (top, items)
        }
    };
    let version = top.get("version").and_then(Value::as_str).unwrap_or_default();
    let format = if version.contains("jsonfeed.org/version/1.1") {
        FeedFormat::JsonFeed11
    } else if version.contains("jsonfeed.org/version/1") {
        FeedFormat::JsonFeed10
    } else if top.contains_key("items") || !items.is_empty() {
        problems.push(RawProblem {
            item: None,
            guid: None,
            offset: None,
            field: Some("version".into()),
            message: format!("version {version:?} is not a JSON Feed version; read as 1.0"),
        });
        FeedFormat::JsonFeed10
    } else {
        return Err(NotFeed {
            offset: 0,
            reason: "JSON without a JSON Feed version or items".into(),
        });
    };
    let title = string(&top, "title").map(|t| text::collapse(t, TITLE_MAX_CHARS));
    let link =
        string(&top, "home_page_url").map(|href| RawLink { href: href.to_owned(), base: None });
    let drafts =
        items.into_iter().enumerate().filter_map(|(i, v)| item(i, v, &mut problems)).collect();
    Ok(Read { format, title, link, updated: None, items: drafts, problems })
}

fn item(index: usize, value: Value, feed_problems: &mut Vec<RawProblem>) -> Option<Draft> {
    let mut problems = Vec::new();
    let mut problem = |field: &str, message: String| {
        problems.push(RawProblem {
            item: Some(index),
            guid: None,
            offset: None,
            field: Some(field.to_owned()),
            message,
        });
    };
    let Value::Object(o) = value else {
        feed_problems.push(RawProblem {
            item: Some(index),
            guid: None,
            offset: None,
            field: None,
            message: "an item that is not an object; dropped".into(),
        });
        return None;
    };
    let guid = match o.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_owned()),
        Some(Value::Number(n)) => Some(n.to_string()),
        _ => {
            problem("id", "no id".into());
            None
        }
    };
    let title = string(&o, "title").map(|t| plain(t, TITLE_MAX_CHARS)).unwrap_or_default();
    if title.is_empty() {
        problem("title", "no title".into());
    }
    let link = string(&o, "url")
        .or_else(|| string(&o, "external_url"))
        .map(|href| RawLink { href: href.to_owned(), base: None });
    let summary = string(&o, "summary")
        .or_else(|| string(&o, "content_text"))
        .map(|t| plain(t, SUMMARY_MAX_CHARS))
        .filter(|t| !t.is_empty())
        .or_else(|| string(&o, "content_html").map(|h| text::html_to_text(h, SUMMARY_MAX_CHARS)))
        .unwrap_or_default();
    let mut published = None;
    for field in ["date_published", "date_modified"] {
        let Some(raw) = string(&o, field) else { continue };
        match parse_date(raw) {
            Some(date) if published.is_none() => {
                if date.offset_seconds.is_none() {
                    problem(field, format!("date {raw:?} names no zone; read as UTC"));
                }
                published = Some(date);
            }
            Some(_) => {}
            None => problem(field, format!("unreadable date {:?}", text::collapse(raw, 80))),
        }
    }
    if !o.contains_key("date_published") && !o.contains_key("date_modified") {
        problem("date_published", "no date".into());
    }
    let listed = o.get("authors").and_then(Value::as_array).into_iter().flatten();
    let authors = distinct_nonempty(
        listed
            .chain(o.get("author"))
            .filter_map(|a| a.get("name").and_then(Value::as_str))
            .map(|name| plain(name, SHORT_MAX_CHARS)),
    );
    let categories = distinct_nonempty(
        o.get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|t| plain(t, SHORT_MAX_CHARS)),
    );
    let item = new_item(guid, title, published, summary, authors, categories);
    Some(Draft { index, offset: None, item, link, problems })
}

/// JSON Feed text fields are plain text; references in them are still decoded.
fn plain(text: &str, max: usize) -> String {
    let mut buf = String::new();
    text::push_escaped(&mut buf, text);
    text::html_to_text(&buf, max)
}

fn string<'v>(o: &'v Map<String, Value>, key: &str) -> Option<&'v str> {
    o.get(key).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty())
}

/// The byte offset of a 1-based line and column.
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let start: usize = text.split_inclusive('\n').take(line.saturating_sub(1)).map(str::len).sum();
    (start + column.saturating_sub(1)).min(text.len())
}

/// A JSON Feed cut short: the members before `"items"`, and each complete item.
fn recover(text: &str) -> Option<(Map<String, Value>, Vec<Value>)> {
    let key = text.find("\"items\"")?;
    let head = text[..key].trim_end().trim_end_matches(',');
    let top: Map<String, Value> = serde_json::from_str(&format!("{head}}}")).ok()?;
    let mut rest = text[key + "\"items\"".len()..].trim_start().strip_prefix(':')?;
    rest = rest.trim_start().strip_prefix('[')?;
    let mut items = Vec::new();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() || rest.starts_with(']') {
            break;
        }
        let mut stream = serde_json::Deserializer::from_str(rest).into_iter::<Value>();
        match stream.next() {
            Some(Ok(v)) => {
                let used = stream.byte_offset();
                items.push(v);
                rest = rest[used..].trim_start();
                rest = rest.strip_prefix(',').unwrap_or(rest);
            }
            _ => break,
        }
    }
    Some((top, items))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FEED: &str = r#"{
        "version": "https://jsonfeed.org/version/1.1",
        "title": "My Feed",
        "home_page_url": "https://example.org/",
        "items": [
            {"id": "1", "url": "https://example.org/1", "title": "One &amp; two",
             "content_html": "<p>Hello&nbsp;<b>world</b></p>", "date_published": "2020-08-07T11:44:36-05:00",
             "authors": [{"name": "Ann"}], "tags": ["a", "b", "a"]},
            {"id": 2, "title": "Two", "summary": "Short", "date_modified": "2020-08-08T00:00:00Z",
             "author": {"name": "Bob"}},
            "junk",
            {"id": "3", "title": "Three", "date_published": "whenever"}
        ]
    }"#;

    #[test]
    fn json_feed() {
        let read = parse_json(FEED).ok().expect("feed");
        assert_eq!(read.format, FeedFormat::JsonFeed11);
        assert_eq!(read.title.as_deref(), Some("My Feed"));
        assert_eq!(read.items.len(), 3);
        let one = &read.items[0].item;
        assert_eq!(one.title, "One & two");
        assert_eq!(one.summary, "Hello world");
        assert_eq!(one.published.map(|t| t.to_string()).as_deref(), Some("2020-08-07T16:44:36Z"));
        assert_eq!(one.published_offset, Some(-18000));
        assert_eq!(one.author.as_deref(), Some("Ann"));
        assert_eq!(one.categories, ["a", "b"]);
        assert_eq!(
            read.items[0].link.as_ref().map(|l| l.href.as_str()),
            Some("https://example.org/1")
        );
        let two = &read.items[1].item;
        assert_eq!((two.guid.as_deref(), two.summary.as_str()), (Some("2"), "Short"));
        assert_eq!(two.author.as_deref(), Some("Bob"));
        assert!(read.problems.iter().any(|p| p.message.contains("not an object")));
        assert!(read.items[2].problems.iter().any(|p| p.message.contains("unreadable date")));
    }

    #[test]
    fn cut_short() {
        let cut = &FEED[..FEED.find("\"Two\"").expect("two")];
        let read = parse_json(cut).ok().expect("feed");
        assert_eq!(read.title.as_deref(), Some("My Feed"));
        assert_eq!(read.items.len(), 1);
        assert!(read.problems[0].message.contains("kept the 1 complete items"));
    }

    #[test]
    fn not_json_feeds() {
        assert!(parse_json("{\"a\": 1}").is_err());
        assert!(parse_json("{\"a\": ").is_err());
        assert!(parse_json("[1, 2]").is_err());
    }
}

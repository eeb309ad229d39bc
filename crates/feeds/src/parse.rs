//! [`parse_feed`]: bytes to text, the format's reader, then what every format shares: links
//! made absolute, duplicate items dropped, problems placed at lines and columns.

use std::{collections::HashMap, rc::Rc};

use url::Url;

use crate::{
    FeedDate, FeedError, FeedItem, ParsedFeed, Problem, encoding, json,
    model::Lines,
    xml::{self, NotFeed},
};

/// The most problems one feed lists; the rest are counted in a last one.
const MAX_PROBLEMS: usize = 1000;

/// Parses RSS 0.9x, 1.0 and 2.0, Atom 0.3 and 1.0, or JSON Feed 1.0 and 1.1.
///
/// `source` names the input in errors and problems (a path or URL); when it is an `http(s)`
/// URL it is also the last base for relative links. `charset_hint` is the HTTP `Content-Type`
/// charset, if any.
///
/// Fails only when nothing in the input is recognisable as a feed. Everything else that is
/// wrong (bad encoding, broken XML, a truncated document, bad dates, duplicate items) is
/// worked around and listed in [`ParsedFeed::problems`].
pub fn parse_feed(
    bytes: &[u8],
    source: &str,
    charset_hint: Option<&str>,
) -> Result<ParsedFeed, FeedError> {
    let decoded = encoding::decode(bytes, charset_hint);
    let text = decoded.text.strip_prefix('\u{feff}').unwrap_or(&decoded.text);
    let mut problems: Vec<RawProblem> = decoded
        .notes
        .into_iter()
        .map(|message| RawProblem {
            item: None,
            guid: None,
            offset: None,
            field: Some("encoding".into()),
            message,
        })
        .collect();
    let not_a_feed = |e: NotFeed| FeedError::NotAFeed {
        name: source.to_owned(),
        position: Lines::new(text).position(e.offset),
        reason: e.reason,
    };
    let read = if text.trim_start().starts_with('{') {
        json::parse_json(text).map_err(not_a_feed)?
    } else {
        let feed = xml::parse_xml(text).map_err(not_a_feed)?;
        Read {
            format: feed.format,
            title: feed.title,
            link: feed.link,
            updated: feed.updated,
            items: feed.items,
            problems: feed.problems,
        }
    };
    problems.extend(read.problems);
    let mut resolver = Resolver::new(source);
    let link = read.link.and_then(|l| match resolver.resolve(&l) {
        Ok(link) => link,
        Err(message) => {
            problems.push(RawProblem {
                item: None,
                guid: None,
                offset: None,
                field: Some("link".into()),
                message,
            });
            None
        }
    });
    resolver.feed_base = link.as_deref().and_then(|l| Url::parse(l).ok());
    let mut items = Vec::with_capacity(read.items.len());
    let mut seen: HashMap<String, usize> = HashMap::with_capacity(read.items.len());
    for draft in read.items {
        let Draft { index, offset, mut item, link: raw_link, problems: mut item_problems } = draft;
        if let Some(raw) = &raw_link {
            match resolver.resolve(raw) {
                Ok(link) => item.link = link,
                Err(message) => item_problems.push(RawProblem {
                    item: Some(index),
                    guid: None,
                    offset,
                    field: Some("link".into()),
                    message,
                }),
            }
        }
        let guid = item.guid.clone();
        let key = item.dedup_key();
        if let Some(&first) = seen.get(&key) {
            item_problems.push(RawProblem {
                item: Some(index),
                guid: None,
                offset,
                field: None,
                message: format!("same {} as item {first}; dropped", key_kind(&item)),
            });
        } else {
            seen.insert(key, index);
            items.push(item);
        }
        for mut problem in item_problems {
            problem.guid.clone_from(&guid);
            problem.offset = problem.offset.or(offset);
            problems.push(problem);
        }
    }
    Ok(ParsedFeed {
        format: read.format,
        encoding: decoded.encoding.name().to_owned(),
        title: read.title,
        link,
        updated: read.updated,
        items,
        problems: place(problems, text),
    })
}

/// What a format's reader found.
pub(crate) struct Read {
    pub(crate) format: crate::FeedFormat,
    pub(crate) title: Option<String>,
    pub(crate) link: Option<RawLink>,
    pub(crate) updated: Option<jiff::Timestamp>,
    pub(crate) items: Vec<Draft>,
    pub(crate) problems: Vec<RawProblem>,
}

/// An item as its reader made it; the link is resolved and duplicates dropped afterwards.
pub(crate) struct Draft {
    /// Index among the document's items.
    pub(crate) index: usize,
    /// Byte offset of the item's start in the decoded text (XML only).
    pub(crate) offset: Option<usize>,
    pub(crate) item: FeedItem,
    pub(crate) link: Option<RawLink>,
    pub(crate) problems: Vec<RawProblem>,
}

/// The non-empty values, each once, in order (authors and categories are listed this way).
pub(crate) fn distinct_nonempty(values: impl IntoIterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for v in values {
        if !v.is_empty() && !out.contains(&v) {
            out.push(v);
        }
    }
    out
}

/// An item from the fields every format's reader gathers; the link is set from the
/// [`RawLink`] once it is resolved.
pub(crate) fn new_item(
    guid: Option<String>,
    title: String,
    published: Option<FeedDate>,
    summary: String,
    authors: Vec<String>,
    categories: Vec<String>,
) -> FeedItem {
    FeedItem {
        guid,
        title,
        link: None,
        published: published.map(|d| d.timestamp),
        published_offset: published.and_then(|d| d.offset_seconds),
        summary,
        author: (!authors.is_empty()).then(|| authors.join(", ")),
        categories,
    }
}

/// A link as written, with the `xml:base` in scope where it was.
#[derive(Debug, Clone)]
pub(crate) struct RawLink {
    pub(crate) href: String,
    pub(crate) base: Option<Rc<str>>,
}

/// A problem placed by byte offset.
#[derive(Debug, Clone)]
pub(crate) struct RawProblem {
    pub(crate) item: Option<usize>,
    pub(crate) guid: Option<String>,
    pub(crate) offset: Option<usize>,
    pub(crate) field: Option<String>,
    pub(crate) message: String,
}

fn key_kind(item: &FeedItem) -> &'static str {
    if item.guid.is_some() {
        "guid"
    } else if item.link.is_some() {
        "link"
    } else {
        "title and date"
    }
}

/// Problems in document order with lines and columns, at most [`MAX_PROBLEMS`].
fn place(mut problems: Vec<RawProblem>, text: &str) -> Vec<Problem> {
    problems.sort_by_key(|p| p.offset.unwrap_or(0));
    let more = problems.len().saturating_sub(MAX_PROBLEMS);
    problems.truncate(MAX_PROBLEMS);
    let lines = problems.iter().any(|p| p.offset.is_some()).then(|| Lines::new(text));
    let mut placed: Vec<Problem> = problems
        .into_iter()
        .map(|p| Problem {
            item: p.item,
            guid: p.guid,
            position: p.offset.zip(lines.as_ref()).map(|(o, l)| l.position(o)),
            field: p.field,
            message: p.message,
        })
        .collect();
    if more > 0 {
        placed.push(Problem {
            item: None,
            guid: None,
            position: None,
            field: None,
            message: format!("{more} more problems not listed"),
        });
    }
    placed
}

/// `reference` resolved against `base`, when `base` is an absolute URL.
pub(crate) fn join(base: &str, reference: &str) -> Option<String> {
    Url::parse(base).ok()?.join(reference).ok().map(String::from)
}

/// Makes links absolute: against their `xml:base`, then the feed's link, then the source.
struct Resolver {
    bases: HashMap<Rc<str>, Option<Url>>,
    feed_base: Option<Url>,
    source_base: Option<Url>,
}

impl Resolver {
    fn new(source: &str) -> Self {
        let source_base = Url::parse(source).ok().filter(|u| is_http(u.scheme()));
        Resolver { bases: HashMap::new(), feed_base: None, source_base }
    }

    /// The absolute `http(s)` link, `None` for an empty one, or why the link was dropped.
    fn resolve(&mut self, link: &RawLink) -> Result<Option<String>, String> {
        let href = link.href.trim();
        if href.is_empty() {
            return Ok(None);
        }
        let href: String = if href.contains(char::is_whitespace) {
            href.chars()
                .filter(|c| !matches!(c, '\r' | '\n' | '\t'))
                .collect::<String>()
                .replace(' ', "%20")
        } else {
            href.to_owned()
        };
        if let Some(scheme) = scheme(&href) {
            if is_http(&scheme.to_ascii_lowercase()) {
                return Ok(Some(href));
            }
            return Err(format!("link {href:?} is not http or https; dropped"));
        }
        let base = match &link.base {
            Some(b) => self.base(b).or_else(|| self.feed_base.clone()),
            None => self.feed_base.clone(),
        }
        .or_else(|| self.source_base.clone());
        match base.and_then(|b| b.join(&href).ok()) {
            Some(url) if is_http(url.scheme()) => Ok(Some(url.into())),
            _ => Err(format!("relative link {href:?} and no base URL to resolve it; dropped")),
        }
    }

    /// An `xml:base` as a URL (a relative one against the feed's link or the source).
    fn base(&mut self, base: &Rc<str>) -> Option<Url> {
        if let Some(url) = self.bases.get(base) {
            return url.clone();
        }
        let url = Url::parse(base).ok().or_else(|| {
            let outer = self.feed_base.as_ref().or(self.source_base.as_ref())?;
            outer.join(base).ok()
        });
        self.bases.insert(base.clone(), url.clone());
        url
    }
}

fn is_http(scheme: &str) -> bool {
    scheme == "http" || scheme == "https"
}

/// The scheme of an absolute URL reference (`http`, `javascript`), if it has one.
fn scheme(href: &str) -> Option<&str> {
    let colon = href.find(':')?;
    let scheme = &href[..colon];
    let mut chars = scheme.chars();
    (chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then_some(scheme)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(href: &str, base: Option<&str>) -> RawLink {
        RawLink { href: href.into(), base: base.map(Rc::from) }
    }

    #[test]
    fn links_are_made_absolute() {
        let mut r = Resolver::new("feeds/tpm.atom");
        assert_eq!(
            r.resolve(&link(" https://a.example/x ", None)),
            Ok(Some("https://a.example/x".into()))
        );
        assert_eq!(r.resolve(&link("", None)), Ok(None));
        assert!(r.resolve(&link("/x", None)).is_err());
        assert!(r.resolve(&link("javascript:alert(1)", None)).is_err());
        r.feed_base = Url::parse("http://talkingpointsmemo.com").ok();
        assert_eq!(
            r.resolve(&link("/livewire/story", None)),
            Ok(Some("http://talkingpointsmemo.com/livewire/story".into()))
        );
        assert_eq!(
            r.resolve(&link("a b\n.pdf", Some("https://www.sec.gov/news/"))),
            Ok(Some("https://www.sec.gov/news/a%20b.pdf".into()))
        );
        assert_eq!(
            r.resolve(&link("story", Some("/sub/"))),
            Ok(Some("http://talkingpointsmemo.com/sub/story".into()))
        );
        assert_eq!(
            r.resolve(&link("//cdn.example/x", None)),
            Ok(Some("http://cdn.example/x".into()))
        );
    }

    #[test]
    fn duplicates_are_kept_once() {
        let xml = "<rss><channel>\n<item><title>A</title><guid>g</guid></item>\n\
                   <item><title>B</title><guid>g</guid></item>\n\
                   <item><title>C</title><link>http://x/c</link></item>\n\
                   <item><title>D</title><link>http://x/c</link></item></channel></rss>";
        let feed = parse_feed(xml.as_bytes(), "dup.xml", None).expect("feed");
        let titles: Vec<&str> = feed.items.iter().map(|i| i.title.as_str()).collect();
        assert_eq!(titles, ["A", "C"]);
        let problems: Vec<String> = feed.problems.iter().map(ToString::to_string).collect();
        assert!(
            problems.contains(&"item 1 (g), line 3, column 1: same guid as item 0; dropped".into())
        );
        assert!(
            problems.contains(&"item 3, line 5, column 1: same link as item 2; dropped".into())
        );
    }

    #[test]
    fn not_a_feed_names_the_source_and_the_place() {
        let err = parse_feed(b"\n<html><body/></html>", "page.html", None).expect_err("html");
        assert_eq!(
            err.to_string(),
            "page.html: not a feed (line 2, column 1): the root element is <html>, not <rss>, \
             <rdf:RDF> or <feed>"
        );
        let err = parse_feed(b"", "empty", None).expect_err("empty");
        assert_eq!(err.to_string(), "empty: not a feed (line 1, column 1): no XML element found");
        let err = parse_feed(b"{\"a\": [1,", "x.json", None).expect_err("json");
        assert!(
            err.to_string().starts_with("x.json: not a feed (line 1, column 9): not a JSON Feed")
        );
    }

    #[test]
    fn json_feeds_share_link_resolution_and_dedup() {
        let json = br#"{"version": "https://jsonfeed.org/version/1", "home_page_url": "https://x.example/news/",
            "items": [{"id": "1", "title": "t", "url": "a.html"}, {"id": "1", "title": "again"}]}"#;
        let feed = parse_feed(json, "j.json", None).expect("feed");
        assert_eq!(feed.format, crate::FeedFormat::JsonFeed10);
        assert_eq!(feed.items.len(), 1);
        assert_eq!(feed.items[0].link.as_deref(), Some("https://x.example/news/a.html"));
        assert!(feed.problems.iter().all(|p| p.position.is_none()));
    }

    #[test]
    fn xml_base_and_schemes() {
        let xml = r#"<feed xmlns="http://www.w3.org/2005/Atom" xml:base="https://a.example/blog/">
            <link href="/"/><entry><id>1</id><title>One</title><link href="posts/1"/></entry>
            <entry xml:base="https://b.example/"><id>2</id><title>Two</title><link href="2"/></entry>
            <entry><id>3</id><title>Three</title><link href="javascript:alert(1)"/></entry></feed>"#;
        let feed = parse_feed(xml.as_bytes(), "atom.xml", None).expect("feed");
        let links: Vec<Option<&str>> = feed.items.iter().map(|i| i.link.as_deref()).collect();
        assert_eq!(
            links,
            [Some("https://a.example/blog/posts/1"), Some("https://b.example/2"), None]
        );
        assert_eq!(feed.link.as_deref(), Some("https://a.example/"));
        assert!(feed.problems.iter().any(|p| p.message.contains("is not http or https")));
    }

    #[test]
    fn the_source_is_the_last_base() {
        let mut r = Resolver::new("https://example.com/feeds/news.xml");
        assert_eq!(
            r.resolve(&link("a.html", None)),
            Ok(Some("https://example.com/feeds/a.html".into()))
        );
    }
}

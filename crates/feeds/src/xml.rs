//! RSS 0.9x, 1.0 (RDF) and 2.0 and Atom 0.3 and 1.0, read in one streaming pass (quick-xml)
//! with a recovery layer, because real feeds are often not well-formed XML.
//!
//! How the reader recovers:
//! - A raw `&` that starts no reference is text (quick-xml's `allow_dangling_amp`), and so is a
//!   reference to an entity nobody declared (`&nbsp;` and the rest of HTML's names are known).
//! - End tags close the nearest open element of the same name, and every element opened since;
//!   an end tag that matches nothing open is ignored. So a missing `</description>` costs
//!   nothing once `</item>` arrives.
//! - An `<item>` (or `<entry>`) that starts while another is open closes it; an empty
//!   `<item/>` inside an item, as FeedBurner once nested them, is ignored.
//! - At the end of input (a truncated download), every item already closed is kept, and so is
//!   an open item whose title, link or guid is complete; fields still open are dropped.
//! - Any other syntax error is recorded and reading goes on where quick-xml resumes.
//!
//! Elements are known by local name and by what their prefix is bound to (or, when a feed uses
//! a prefix it never declared, by the prefix's usual name), so `dc:date`, `dc:creator`,
//! `content:encoded` and `atom10:link` work under any prefix, while `media:title` does not
//! overwrite `<title>`. A field counts only as a direct child of its item or channel, so an
//! `<image><title>` or an Atom `<source><id>` is never taken for the feed's or item's own.
//! Text fields are captured whole, child elements included (XHTML content, raw HTML that a
//! feed forgot to escape), then turned into plain text.

use std::{borrow::Cow, collections::HashMap, rc::Rc};

use quick_xml::{
    Reader,
    events::{BytesStart, Event},
};

use crate::{
    FeedFormat, entities,
    parse::{Draft, RawLink, RawProblem, distinct_nonempty, new_item},
    text::{self, SHORT_MAX_CHARS, SUMMARY_MAX_CHARS, TITLE_MAX_CHARS},
};

/// What the reader found in an XML feed, before links are resolved and duplicates dropped.
pub(crate) struct XmlFeed {
    pub(crate) format: FeedFormat,
    pub(crate) title: Option<String>,
    pub(crate) link: Option<RawLink>,
    pub(crate) updated: Option<jiff::Timestamp>,
    pub(crate) items: Vec<Draft>,
    pub(crate) problems: Vec<RawProblem>,
}

/// The input has no root element of a feed.
pub(crate) struct NotFeed {
    pub(crate) offset: usize,
    pub(crate) reason: String,
}

/// The most problems the reader records for one document (a garbage input could otherwise
/// make one per byte); the rest are counted.
const MAX_READER_PROBLEMS: usize = 10_000;

/// The longest text a field keeps before conversion; the rest is ignored.
const MAX_FIELD_BYTES: usize = 512 * 1024;

/// Reads an RSS or Atom document.
pub(crate) fn parse_xml(text: &str) -> Result<XmlFeed, NotFeed> {
    let mut p = Parser::new(text);
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.allow_dangling_amp = true;
    config.allow_unmatched_ends = true;
    config.check_end_names = false;
    config.check_comments = false;
    config.expand_empty_elements = false;
    let mut errors = 0u32;
    loop {
        let offset = to_usize(reader.buffer_position());
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(Event::Start(e)) => p.start(&e, false, offset)?,
            Ok(Event::Empty(e)) => p.start(&e, true, offset)?,
            Ok(Event::End(e)) => p.end(e.name().as_ref(), offset),
            Ok(Event::Text(t)) => {
                let raw = t.decode().unwrap_or_else(|_| String::from_utf8_lossy(&t));
                p.text(&raw, offset, true);
            }
            Ok(Event::CData(c)) => {
                let raw = c.decode().unwrap_or_else(|_| String::from_utf8_lossy(&c));
                p.text(&raw, offset, false);
            }
            Ok(Event::GeneralRef(r)) => {
                let name = r.decode().unwrap_or_else(|_| String::from_utf8_lossy(&r));
                p.reference(&name, offset);
            }
            Ok(_) => {}
            Err(e) => {
                let at = to_usize(reader.error_position());
                p.problem(Some(at), None, format!("not well-formed XML: {e}"));
                errors += 1;
                if to_usize(reader.buffer_position()) <= offset || errors > 10_000 {
                    break;
                }
            }
        }
        if p.root_closed {
            break;
        }
    }
    p.finish()
}

fn to_usize(position: u64) -> usize {
    usize::try_from(position).unwrap_or(usize::MAX)
}

/// What a namespace prefix stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Ns {
    /// No prefix, or a prefix bound to RSS or Atom.
    Core,
    Dc,
    DcTerms,
    Content,
    Media,
    Itunes,
    Feedburner,
    Rdf,
    Other,
}

impl Ns {
    fn of_uri(uri: &[u8]) -> Ns {
        let uri = String::from_utf8_lossy(uri).trim().to_ascii_lowercase();
        let uri = uri.trim_end_matches(['/', '#']);
        match uri {
            "http://www.w3.org/2005/atom"
            | "http://purl.org/atom/ns"
            | "http://purl.org/rss/1.0"
            | "http://backend.userland.com/rss2"
            | "http://backend.userland.com/rss"
            | "http://blogs.law.harvard.edu/tech/rss"
            | "http://my.netscape.com/rdf/simple/0.9" => Ns::Core,
            "http://purl.org/dc/elements/1.1" => Ns::Dc,
            "http://purl.org/dc/terms" => Ns::DcTerms,
            "http://purl.org/rss/1.0/modules/content" => Ns::Content,
            "http://search.yahoo.com/mrss" => Ns::Media,
            "http://www.itunes.com/dtds/podcast-1.0.dtd" => Ns::Itunes,
            "http://rssnamespace.org/feedburner/ext/1.0" => Ns::Feedburner,
            "http://www.w3.org/1999/02/22-rdf-syntax-ns" => Ns::Rdf,
            _ => Ns::Other,
        }
    }

    /// The usual meaning of a prefix a feed did not declare.
    fn of_prefix(prefix: &[u8]) -> Ns {
        match prefix.to_ascii_lowercase().as_slice() {
            b"atom" | b"atom10" | b"atom03" | b"a10" | b"rss" => Ns::Core,
            b"dc" => Ns::Dc,
            b"dcterms" => Ns::DcTerms,
            b"content" => Ns::Content,
            b"media" => Ns::Media,
            b"itunes" => Ns::Itunes,
            b"feedburner" => Ns::Feedburner,
            b"rdf" => Ns::Rdf,
            _ => Ns::Other,
        }
    }
}

/// How a field's text is turned into the model's text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// The text is HTML source (RSS descriptions, Atom `type="html"`).
    Html,
    /// The text is literal (Atom `type="text"`); references are still decoded.
    Text,
    /// Child elements are markup, text is literal (Atom `type="xhtml"`, XML content).
    Xhtml,
    /// Taken as is, trimmed: links, guids, dates.
    Plain,
}

/// Which field a captured element fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    FeedTitle,
    FeedLink,
    /// A feed-level date, by rank.
    FeedDate(u8),
    Title,
    Link,
    Guid {
        permalink: Option<bool>,
    },
    /// A date, by rank: lower ranks are preferred for `published`.
    Date(u8),
    Summary,
    Author,
    Category,
}

/// The role of an open element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Root,
    Channel,
    Item,
    Author,
    /// A field being captured.
    Field,
    /// Inside a field being captured.
    Inside,
    Other,
}

struct Frame<'a> {
    qname: Cow<'a, [u8]>,
    role: Role,
}

/// The text of a field being read.
struct Capture {
    target: Target,
    kind: Kind,
    priority: u8,
    /// The element's qualified name, for problems.
    field: String,
    buf: String,
    offset: usize,
    overflow: bool,
    base: Option<Rc<str>>,
    /// Whether a raw `&` or an unknown entity was already reported for this field.
    dangling_amp: bool,
    unknown_entity: bool,
}

/// An item's fields as found, chosen between and converted when the item ends.
#[derive(Default)]
struct ItemBuilder {
    index: usize,
    offset: usize,
    titles: Vec<(u8, Kind, String)>,
    links: Vec<(u8, RawLink)>,
    guids: Vec<(u8, String, Option<bool>)>,
    dates: Vec<(u8, String, String, usize)>,
    summaries: Vec<(u8, Kind, String)>,
    authors: Vec<(u8, Kind, String)>,
    categories: Vec<(Kind, String)>,
    problems: Vec<RawProblem>,
    /// Whether a title, link or guid element was read to its end.
    has_complete_key: bool,
}

struct Parser<'a> {
    text: &'a str,
    format: Option<FeedFormat>,
    frames: Vec<Frame<'a>>,
    prefixes: HashMap<Vec<u8>, Ns>,
    /// `xml:base` in scope: the frame index that set it, and the base.
    bases: Vec<(usize, Rc<str>)>,
    feed_title: Option<String>,
    feed_link: Option<RawLink>,
    feed_dates: Vec<(u8, String, String, usize)>,
    item: Option<ItemBuilder>,
    items: Vec<Draft>,
    item_count: usize,
    capture: Option<Capture>,
    problems: Vec<RawProblem>,
    /// Problems recorded by the reader so far, and those left out past the cap.
    problem_count: usize,
    problems_dropped: usize,
    root_closed: bool,
}

impl<'a> Parser<'a> {
    fn new(text: &'a str) -> Self {
        Parser {
            text,
            format: None,
            frames: Vec::with_capacity(16),
            prefixes: HashMap::new(),
            bases: Vec::new(),
            feed_title: None,
            feed_link: None,
            feed_dates: Vec::new(),
            item: None,
            items: Vec::new(),
            item_count: 0,
            capture: None,
            problems: Vec::new(),
            problem_count: 0,
            problems_dropped: 0,
            root_closed: false,
        }
    }

    /// Records a problem, on the open item when there is one.
    fn problem(&mut self, offset: Option<usize>, field: Option<&str>, message: String) {
        self.problem_count += 1;
        if self.problem_count > MAX_READER_PROBLEMS {
            self.problems_dropped += 1;
            return;
        }
        let problem = RawProblem {
            item: self.item.as_ref().map(|i| i.index),
            guid: None,
            offset,
            field: field.map(str::to_owned),
            message,
        };
        match &mut self.item {
            Some(item) => item.problems.push(problem),
            None => self.problems.push(problem),
        }
    }

    /// The element's name as a slice of the document, so frames need no allocation.
    fn qname(&self, offset: usize, name: &[u8]) -> Cow<'a, [u8]> {
        let text: &'a str = self.text;
        match text.as_bytes().get(offset + 1..offset + 1 + name.len()) {
            Some(slice) if slice == name => Cow::Borrowed(slice),
            _ => Cow::Owned(name.to_vec()),
        }
    }

    fn ns_of(&self, prefix: Option<&[u8]>) -> Ns {
        match prefix {
            None => Ns::Core,
            Some(p) => self.prefixes.get(p).copied().unwrap_or_else(|| Ns::of_prefix(p)),
        }
    }

    fn is_atom(&self) -> bool {
        self.format.is_some_and(FeedFormat::is_atom)
    }

    fn base(&self) -> Option<Rc<str>> {
        self.bases.last().map(|(_, b)| b.clone())
    }

    fn start(&mut self, e: &BytesStart<'_>, empty: bool, offset: usize) -> Result<(), NotFeed> {
        let name = e.name();
        let name = name.as_ref();
        if !name.first().is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_' || *b >= 0x80) {
            self.problem(Some(offset), None, "a '<' that starts no tag; skipped to its '>'".into());
            return Ok(());
        }
        let (prefix, local) = match name.iter().position(|&b| b == b':') {
            Some(i) => (Some(&name[..i]), &name[i + 1..]),
            None => (None, name),
        };
        let mut lower = [0u8; 32];
        let local = match lower.get_mut(..local.len()) {
            Some(buf) => {
                buf.copy_from_slice(local);
                buf.make_ascii_lowercase();
                &*buf
            }
            None => b"?".as_slice(),
        };
        let attrs = e.attributes_raw();
        if contains(attrs, b"xmlns") {
            self.declare_prefixes(e);
        }
        let ns = self.ns_of(prefix);
        let starts_item = matches!(local, b"item" | b"entry")
            && matches!(ns, Ns::Core | Ns::Rdf)
            && !self.frames.is_empty();
        if starts_item {
            if empty {
                self.item_count += 1;
                let message = match &self.item {
                    Some(open) => {
                        format!("an empty <item/> inside item {} was ignored", open.index)
                    }
                    None => "an empty item was dropped".to_owned(),
                };
                self.problem(Some(offset), None, message);
                return Ok(());
            }
            if let Some(at) = self.frames.iter().rposition(|f| f.role == Role::Item) {
                let open = self.item.as_ref().map_or(0, |i| i.index);
                self.problem(
                    Some(offset),
                    None,
                    format!("item {open} has no end tag; closed where the next item starts"),
                );
                while self.frames.len() > at {
                    self.pop(Close::Implicit);
                }
            }
            // A channel-level field left open (`<title>T<item>`) ends where the item starts.
            if self.capture.is_some()
                && let Some(at) = self.frames.iter().rposition(|f| f.role == Role::Field)
            {
                while self.frames.len() > at {
                    self.pop(Close::Implicit);
                }
            }
        }
        if let Some(capture) = &mut self.capture {
            if matches!(capture.kind, Kind::Html | Kind::Xhtml) {
                let tag = String::from_utf8_lossy(e.as_ref());
                capture.push_markup(&format!("<{tag}{}>", if empty { "/" } else { "" }));
            }
            if !empty {
                let qname = self.qname(offset, name);
                self.frames.push(Frame { qname, role: Role::Inside });
            }
            return Ok(());
        }
        let depth = self.frames.len();
        if depth == 0 {
            if self.format.is_some() {
                // A second root element: the document is over.
                self.root_closed = true;
                return Ok(());
            }
            self.root(e, local, offset)?;
        }
        if contains(attrs, b"xml:base")
            && let Some(base) = attribute(e, b"xml:base")
        {
            let base = match self.base() {
                Some(outer) => crate::parse::join(&outer, &base).unwrap_or(base),
                None => base,
            };
            self.bases.push((depth, Rc::from(base)));
        }
        let parent = self.frames.last().map(|f| f.role);
        let role = if depth == 0 {
            if local == b"entry" {
                self.open_item(e, offset);
                Role::Item
            } else if local == b"channel" {
                Role::Channel
            } else {
                Role::Root
            }
        } else if starts_item {
            self.open_item(e, offset);
            Role::Item
        } else if parent == Some(Role::Root) && local == b"channel" {
            Role::Channel
        } else {
            match parent {
                Some(Role::Item) => self.item_field(e, ns, local, offset, empty),
                Some(Role::Author) if self.item.is_some() && ns == Ns::Core && local == b"name" => {
                    self.begin(Target::Author, Kind::Text, 2, e, offset);
                    Role::Field
                }
                Some(Role::Channel) => self.feed_field(e, ns, local, offset),
                Some(Role::Root) if self.is_atom() => self.feed_field(e, ns, local, offset),
                _ => Role::Other,
            }
        };
        if empty {
            self.close(role, Close::Normal);
            self.bases.retain(|&(d, _)| d < depth);
        } else {
            let qname = self.qname(offset, name);
            self.frames.push(Frame { qname, role });
        }
        Ok(())
    }

    /// Recognises the root element and the format, or gives up.
    fn root(&mut self, e: &BytesStart<'_>, local: &[u8], offset: usize) -> Result<(), NotFeed> {
        let version = attribute(e, b"version");
        let xmlns = attribute(e, b"xmlns").unwrap_or_default();
        self.format = Some(match local {
            b"rss" => match version.as_deref().map(str::trim) {
                Some("2.0" | "2.00" | "2") => FeedFormat::Rss20,
                Some("0.91") => FeedFormat::Rss091,
                Some("0.92" | "0.93" | "0.94") => FeedFormat::Rss092,
                Some("0.90") => FeedFormat::Rss090,
                _ => FeedFormat::Rss,
            },
            b"channel" => FeedFormat::Rss,
            b"rdf" if xmlns.contains("netscape.com/rdf/simple/0.9") => FeedFormat::Rss090,
            b"rdf" => FeedFormat::Rss10,
            b"feed" | b"entry"
                if xmlns.contains("purl.org/atom/ns") || version.as_deref() == Some("0.3") =>
            {
                FeedFormat::Atom03
            }
            b"feed" | b"entry" => FeedFormat::Atom10,
            _ => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                return Err(NotFeed {
                    offset,
                    reason: format!("the root element is <{name}>, not <rss>, <rdf:RDF> or <feed>"),
                });
            }
        });
        Ok(())
    }

    fn declare_prefixes(&mut self, e: &BytesStart<'_>) {
        for attr in e.html_attributes().with_checks(false).flatten() {
            if let Some(prefix) = attr.key.as_ref().strip_prefix(b"xmlns:") {
                self.prefixes.insert(prefix.to_vec(), Ns::of_uri(&attr.value));
            }
        }
    }

    fn open_item(&mut self, e: &BytesStart<'_>, offset: usize) {
        let index = self.item_count;
        self.item_count += 1;
        let mut item = ItemBuilder { index, offset, ..ItemBuilder::default() };
        if let Some(about) = attribute(e, b"rdf:about").or_else(|| attribute(e, b"about")) {
            item.guids.push((0, about, Some(true)));
        }
        self.item = Some(item);
    }

    /// A direct child of an item.
    fn item_field(
        &mut self,
        e: &BytesStart<'_>,
        ns: Ns,
        local: &[u8],
        offset: usize,
        empty: bool,
    ) -> Role {
        let atom = self.is_atom();
        let (target, kind, priority) = match (ns, local) {
            (Ns::Core, b"title") => (Target::Title, self.kind(e, Kind::Html), 2),
            (Ns::Media | Ns::Itunes, b"title") => (Target::Title, Kind::Text, 1),
            (Ns::Core, b"link") => {
                if let Some(href) = attribute(e, b"href") {
                    if let Some(priority) = alternate_link_priority(e, atom) {
                        let base = self.base();
                        if let Some(item) = &mut self.item {
                            item.links.push((priority, RawLink { href, base }));
                            item.has_complete_key = true;
                        }
                    }
                    return Role::Other;
                }
                (Target::Link, Kind::Plain, 2)
            }
            (Ns::Feedburner, b"origlink") => (Target::Link, Kind::Plain, 3),
            (Ns::Core, b"guid") => {
                let permalink =
                    attribute(e, b"isPermaLink").map(|v| !v.eq_ignore_ascii_case("false"));
                (Target::Guid { permalink: Some(permalink.unwrap_or(true)) }, Kind::Plain, 2)
            }
            (Ns::Core, b"id") => (Target::Guid { permalink: None }, Kind::Plain, 2),
            (Ns::Dc, b"identifier") => (Target::Guid { permalink: None }, Kind::Plain, 1),
            (Ns::Core, b"pubdate") => (Target::Date(0), Kind::Plain, 0),
            (Ns::Core, b"published") => (Target::Date(1), Kind::Plain, 0),
            (Ns::Core | Ns::DcTerms, b"issued") => (Target::Date(2), Kind::Plain, 0),
            (Ns::Dc, b"date") | (Ns::DcTerms, b"created" | b"date") => {
                (Target::Date(3), Kind::Plain, 0)
            }
            (Ns::Core, b"created") => (Target::Date(4), Kind::Plain, 0),
            (Ns::Core, b"updated") => (Target::Date(5), Kind::Plain, 0),
            (Ns::Core | Ns::DcTerms, b"modified") => (Target::Date(6), Kind::Plain, 0),
            (Ns::Core, b"description") => (Target::Summary, Kind::Html, 3),
            (Ns::Core, b"summary") => (Target::Summary, self.kind(e, Kind::Html), 3),
            (Ns::Core, b"content") => (Target::Summary, self.kind(e, Kind::Html), 2),
            (Ns::Content, b"encoded") => (Target::Summary, Kind::Html, 2),
            (Ns::Media, b"description") => (Target::Summary, self.kind(e, Kind::Text), 1),
            (Ns::Itunes, b"summary" | b"subtitle") => (Target::Summary, Kind::Text, 1),
            (Ns::Other, b"full-text") => (Target::Summary, Kind::Html, 1),
            (Ns::Core, b"author") if atom => return Role::Author,
            (Ns::Core, b"author") | (Ns::Dc, b"creator") => (Target::Author, Kind::Html, 2),
            (Ns::Itunes, b"author") => (Target::Author, Kind::Html, 1),
            (Ns::Core, b"category") => {
                if let Some(term) = attribute(e, b"term").or_else(|| attribute(e, b"label")) {
                    if let Some(item) = &mut self.item {
                        item.categories.push((Kind::Text, escape(&term)));
                    }
                    return Role::Other;
                }
                (Target::Category, Kind::Html, 0)
            }
            (Ns::Dc, b"subject") => (Target::Category, Kind::Html, 0),
            _ => return Role::Other,
        };
        if local == b"content" && content_is_skipped(e) {
            return Role::Other;
        }
        if empty {
            return Role::Other;
        }
        self.begin(target, kind, priority, e, offset);
        Role::Field
    }

    /// A direct child of the channel (RSS) or feed (Atom).
    fn feed_field(&mut self, e: &BytesStart<'_>, ns: Ns, local: &[u8], offset: usize) -> Role {
        match (ns, local) {
            (Ns::Core, b"title") if self.feed_title.is_none() => {
                let kind = self.kind(e, Kind::Html);
                self.begin(Target::FeedTitle, kind, 0, e, offset);
                Role::Field
            }
            (Ns::Core, b"link") if self.feed_link.is_none() => {
                if let Some(href) = attribute(e, b"href") {
                    if alternate_link_priority(e, true).is_some() {
                        self.feed_link = Some(RawLink { href, base: self.base() });
                    }
                    return Role::Other;
                }
                self.begin(Target::FeedLink, Kind::Plain, 0, e, offset);
                Role::Field
            }
            (Ns::Core, b"lastbuilddate" | b"updated" | b"modified") => {
                self.begin(Target::FeedDate(0), Kind::Plain, 0, e, offset);
                Role::Field
            }
            (Ns::Core, b"pubdate") | (Ns::Dc, b"date") => {
                self.begin(Target::FeedDate(1), Kind::Plain, 0, e, offset);
                Role::Field
            }
            _ => Role::Other,
        }
    }

    /// The text kind an Atom `type` (and Atom 0.3 `mode`) attribute gives; `default` for RSS.
    fn kind(&self, e: &BytesStart<'_>, default: Kind) -> Kind {
        if !self.is_atom() && default == Kind::Html {
            return Kind::Html;
        }
        if attribute(e, b"mode").is_some_and(|m| m.eq_ignore_ascii_case("escaped")) {
            return Kind::Html;
        }
        let Some(kind) = attribute(e, b"type") else {
            return if self.is_atom() { Kind::Text } else { default };
        };
        let kind = kind.trim().to_ascii_lowercase();
        match kind.as_str() {
            "html" | "text/html" => Kind::Html,
            "text" | "text/plain" | "plain" => Kind::Text,
            _ if kind.ends_with("xml") => Kind::Xhtml,
            _ if kind.starts_with("text/") => Kind::Text,
            _ => Kind::Xhtml,
        }
    }

    fn begin(
        &mut self,
        target: Target,
        kind: Kind,
        priority: u8,
        e: &BytesStart<'_>,
        offset: usize,
    ) {
        self.capture = Some(Capture {
            target,
            kind,
            priority,
            field: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
            buf: String::new(),
            offset,
            overflow: false,
            base: self.base(),
            dangling_amp: false,
            unknown_entity: false,
        });
    }

    fn end(&mut self, name: &[u8], offset: usize) {
        let found = self
            .frames
            .iter()
            .rposition(|f| f.qname.as_ref() == name)
            .or_else(|| self.frames.iter().rposition(|f| f.qname.eq_ignore_ascii_case(name)));
        match found {
            Some(at) => {
                while self.frames.len() > at + 1 {
                    self.pop(Close::Implicit);
                }
                self.pop(Close::Normal);
            }
            None if self.capture.is_some() => {
                // Stray markup in a field's HTML: keep it for the text conversion.
                if let Some(capture) = &mut self.capture
                    && matches!(capture.kind, Kind::Html | Kind::Xhtml)
                {
                    capture.push_markup(&format!("</{}>", String::from_utf8_lossy(name)));
                }
            }
            None if self.format.is_some() => {
                let name = String::from_utf8_lossy(name);
                self.problem(
                    Some(offset),
                    None,
                    format!("an end tag </{name}> closes nothing; ignored"),
                );
            }
            None => {}
        }
    }

    fn pop(&mut self, how: Close) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        let depth = self.frames.len();
        while self.bases.last().is_some_and(|&(d, _)| d >= depth) {
            self.bases.pop();
        }
        if frame.role == Role::Inside {
            if let Some(capture) = &mut self.capture
                && how == Close::Normal
                && matches!(capture.kind, Kind::Html | Kind::Xhtml)
            {
                capture.push_markup(&format!("</{}>", String::from_utf8_lossy(&frame.qname)));
            }
            return;
        }
        self.close(frame.role, how);
    }

    fn close(&mut self, role: Role, how: Close) {
        match role {
            Role::Field => self.end_capture(how),
            Role::Item => self.end_item(how),
            Role::Root if how != Close::EndOfInput => self.root_closed = true,
            _ => {}
        }
    }

    fn text(&mut self, text: &str, offset: usize, may_have_dangling_amp: bool) {
        let Some(capture) = &mut self.capture else {
            return;
        };
        if may_have_dangling_amp && !capture.dangling_amp && text.contains('&') {
            capture.dangling_amp = true;
            let field = capture.field.clone();
            self.problem(
                Some(offset),
                Some(&field),
                "a raw '&' starts no reference; read as text".into(),
            );
        }
        if let Some(capture) = &mut self.capture {
            capture.push(text);
        }
    }

    fn reference(&mut self, name: &str, offset: usize) {
        let resolved = entities::resolve(name);
        let Some(capture) = &mut self.capture else {
            return;
        };
        match resolved {
            Some(c) => capture.push(c.encode_utf8(&mut [0; 4])),
            None => {
                capture.push(&format!("&{name};"));
                if !capture.unknown_entity {
                    capture.unknown_entity = true;
                    let field = capture.field.clone();
                    self.problem(
                        Some(offset),
                        Some(&field),
                        format!("unknown entity &{name}; kept as text"),
                    );
                }
            }
        }
    }

    fn end_capture(&mut self, how: Close) {
        let Some(capture) = self.capture.take() else {
            return;
        };
        match how {
            Close::EndOfInput => {
                let field = capture.field.clone();
                self.problem(
                    Some(capture.offset),
                    Some(&field),
                    "the document ends inside this element; its text was dropped".into(),
                );
                return;
            }
            Close::Implicit => {
                let field = capture.field.clone();
                self.problem(
                    Some(capture.offset),
                    Some(&field),
                    "element not closed; its text ends where its parent does".into(),
                );
            }
            Close::Normal => {}
        }
        if capture.overflow {
            let field = capture.field.clone();
            self.problem(
                Some(capture.offset),
                Some(&field),
                format!("longer than {MAX_FIELD_BYTES} bytes; the rest was ignored"),
            );
        }
        let Capture { target, kind, priority, field, buf, offset, base, .. } = capture;
        match target {
            Target::FeedTitle => {
                let title = convert(kind, &buf, TITLE_MAX_CHARS);
                if !title.is_empty() {
                    self.feed_title = Some(title);
                }
            }
            Target::FeedLink => {
                if !buf.trim().is_empty() {
                    self.feed_link = Some(RawLink { href: buf, base });
                }
            }
            Target::FeedDate(rank) => self.feed_dates.push((rank, field, buf, offset)),
            _ => {
                let Some(item) = &mut self.item else {
                    return;
                };
                match target {
                    Target::Title => {
                        item.has_complete_key = true;
                        item.titles.push((priority, kind, buf));
                    }
                    Target::Link => {
                        item.has_complete_key |= !buf.trim().is_empty();
                        item.links.push((priority, RawLink { href: buf, base }));
                    }
                    Target::Guid { permalink } => {
                        item.has_complete_key |= !buf.trim().is_empty();
                        item.guids.push((priority, buf, permalink));
                    }
                    Target::Date(rank) => item.dates.push((rank, field, buf, offset)),
                    Target::Summary => item.summaries.push((priority, kind, buf)),
                    Target::Author => item.authors.push((priority, kind, buf)),
                    Target::Category => item.categories.push((kind, buf)),
                    Target::FeedTitle | Target::FeedLink | Target::FeedDate(_) => {}
                }
            }
        }
    }

    fn end_item(&mut self, how: Close) {
        let Some(item) = self.item.take() else {
            return;
        };
        if how == Close::EndOfInput && !item.has_complete_key {
            let mut problems = item.problems;
            problems.push(RawProblem {
                item: Some(item.index),
                guid: None,
                offset: Some(item.offset),
                field: None,
                message:
                    "the document ends inside this item, before its title, link or guid; dropped"
                        .into(),
            });
            self.problems.extend(problems);
            return;
        }
        let mut draft = build_item(item);
        let it = &draft.item;
        if it.title.is_empty() && it.guid.is_none() && draft.link.is_none() && it.summary.is_empty()
        {
            draft.problems.push(RawProblem {
                item: Some(draft.index),
                guid: None,
                offset: draft.offset,
                field: None,
                message: "no title, link, guid or text; dropped".into(),
            });
            self.problems.extend(draft.problems);
            return;
        }
        if how == Close::EndOfInput {
            draft.problems.push(RawProblem {
                item: Some(draft.index),
                guid: draft.item.guid.clone(),
                offset: draft.offset,
                field: None,
                message: "the document ends inside this item; kept the fields that were complete"
                    .into(),
            });
        }
        self.items.push(draft);
    }

    fn finish(mut self) -> Result<XmlFeed, NotFeed> {
        let Some(format) = self.format else {
            return Err(NotFeed { offset: self.text.len(), reason: "no XML element found".into() });
        };
        if !self.frames.is_empty() && !self.root_closed {
            let open: Vec<String> = self
                .frames
                .iter()
                .map(|f| String::from_utf8_lossy(&f.qname).into_owned())
                .collect();
            let end = self.text.len();
            self.problems.push(RawProblem {
                item: None,
                guid: None,
                offset: Some(end),
                field: None,
                message: format!("the document ends inside <{}> (cut short?)", open.join("><")),
            });
            while !self.frames.is_empty() {
                self.pop(Close::EndOfInput);
            }
        }
        let mut feed_problems = Vec::new();
        let updated = best_date(&mut self.feed_dates, &mut |offset, field, message| {
            feed_problems.push(RawProblem {
                item: None,
                guid: None,
                offset: Some(offset),
                field: Some(field.to_owned()),
                message,
            });
        });
        self.problems.extend(feed_problems);
        if self.problems_dropped > 0 {
            self.problems.push(RawProblem {
                item: None,
                guid: None,
                offset: Some(self.text.len()),
                field: None,
                message: format!("{} more problems not recorded", self.problems_dropped),
            });
        }
        Ok(XmlFeed {
            format,
            title: self.feed_title,
            link: self.feed_link,
            updated: updated.map(|d| d.timestamp),
            items: self.items,
            problems: self.problems,
        })
    }
}

/// How an element ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Close {
    /// Its own end tag.
    Normal,
    /// An ancestor's end tag, or the next item.
    Implicit,
    /// The input ran out.
    EndOfInput,
}

impl Capture {
    /// Appends markup to an HTML buffer, unescaped.
    fn push_markup(&mut self, markup: &str) {
        if !self.overflow && self.buf.len() + markup.len() <= MAX_FIELD_BYTES {
            self.buf.push_str(markup);
        }
    }

    fn push(&mut self, text: &str) {
        if self.overflow {
            return;
        }
        if self.buf.len() + text.len() > MAX_FIELD_BYTES {
            self.overflow = true;
            return;
        }
        match self.kind {
            Kind::Html | Kind::Plain => self.buf.push_str(text),
            Kind::Text | Kind::Xhtml => text::push_escaped(&mut self.buf, text),
        }
    }
}

/// Chooses between and converts an item's fields.
fn build_item(mut b: ItemBuilder) -> Draft {
    let mut problems = std::mem::take(&mut b.problems);
    let index = b.index;
    let problem = |problems: &mut Vec<RawProblem>, offset, field: Option<&str>, message: String| {
        problems.push(RawProblem {
            item: Some(index),
            guid: None,
            offset,
            field: field.map(str::to_owned),
            message,
        });
    };
    let title = best_text(&mut b.titles, TITLE_MAX_CHARS);
    if title.is_empty() {
        problem(&mut problems, Some(b.offset), Some("title"), "no title".into());
    }
    let summary = best_text(&mut b.summaries, SUMMARY_MAX_CHARS);
    b.guids.sort_by_key(|g| std::cmp::Reverse(g.0));
    let guid_entry = b.guids.iter().find(|g| !g.1.trim().is_empty());
    let guid = guid_entry.map(|g| text::collapse(&g.1, 2048));
    b.links.sort_by_key(|l| std::cmp::Reverse(l.0));
    let mut link = b.links.into_iter().map(|(_, l)| l).find(|l| !l.href.trim().is_empty());
    if link.is_none()
        && let Some((_, g, Some(true))) = guid_entry
        && (g.trim().starts_with("http://") || g.trim().starts_with("https://"))
    {
        link = Some(RawLink { href: g.trim().to_owned(), base: None });
    }
    let published = best_date(&mut b.dates, &mut |offset, field, message| {
        problem(&mut problems, Some(offset), Some(field), message);
    });
    if b.dates.is_empty() {
        problem(&mut problems, Some(b.offset), Some("published"), "no date".into());
    }
    // Authors: the best kind there is (dc:creator over itunes:author), each once.
    let top = b.authors.iter().map(|a| a.0).max().unwrap_or(0);
    let authors = distinct_nonempty(
        b.authors
            .iter()
            .filter(|a| a.0 == top)
            .map(|(_, kind, raw)| author_name(&convert(*kind, raw, SHORT_MAX_CHARS))),
    );
    let categories = distinct_nonempty(
        b.categories.iter().map(|(kind, raw)| convert(*kind, raw, SHORT_MAX_CHARS)),
    );
    let item = new_item(guid, title, published, summary, authors, categories);
    Draft { index: b.index, offset: Some(b.offset), item, link, problems }
}

/// The best-ranked date that reads; every one that does not, and one without a zone, is
/// reported as `(offset, field, message)`.
fn best_date(
    dates: &mut [(u8, String, String, usize)],
    report: &mut dyn FnMut(usize, &str, String),
) -> Option<crate::FeedDate> {
    dates.sort_by_key(|d| d.0);
    let mut best = None;
    for (_, field, raw, offset) in dates.iter() {
        match crate::date::parse_date(raw) {
            Some(date) if best.is_none() => {
                if date.offset_seconds.is_none() {
                    let raw = text::collapse(raw, 80);
                    report(
                        *offset,
                        field,
                        format!("date {raw:?} names no zone we know; read as UTC"),
                    );
                }
                best = Some(date);
            }
            Some(_) => {}
            None => {
                report(*offset, field, format!("unreadable date {:?}", text::collapse(raw, 80)))
            }
        }
    }
    best
}

/// The first non-empty text among candidates, best priority first.
fn best_text(candidates: &mut [(u8, Kind, String)], max: usize) -> String {
    candidates.sort_by_key(|c| std::cmp::Reverse(c.0));
    candidates
        .iter()
        .map(|(_, kind, raw)| convert(*kind, raw, max))
        .find(|t| !t.is_empty())
        .unwrap_or_default()
}

fn convert(kind: Kind, raw: &str, max: usize) -> String {
    match kind {
        Kind::Plain => text::collapse(raw, max),
        Kind::Html | Kind::Text | Kind::Xhtml => text::html_to_text(raw, max),
    }
}

/// RSS writes authors as `email (Name)`; keep the name.
fn author_name(author: &str) -> String {
    if let Some((email, rest)) = author.split_once(" (")
        && email.contains('@')
        && !email.contains(' ')
        && let Some(name) = rest.strip_suffix(')')
    {
        return name.trim().to_owned();
    }
    author.to_owned()
}

/// Text escaped for an HTML buffer.
fn escape(text: &str) -> String {
    let mut buf = String::new();
    text::push_escaped(&mut buf, text);
    buf
}

/// For an Atom-style `<link href>`: its priority when it is the alternate (article) link.
fn alternate_link_priority(e: &BytesStart<'_>, atom: bool) -> Option<u8> {
    let rel = attribute(e, b"rel");
    if !rel.as_deref().is_none_or(|r| r.trim().eq_ignore_ascii_case("alternate")) {
        return None;
    }
    let html = attribute(e, b"type").is_none_or(|t| t.contains("html"));
    Some(match (atom, html) {
        (true, true) => 2,
        _ => 1,
    })
}

/// Content Atom says is neither text nor markup (base64 data, an out-of-line `src`).
fn content_is_skipped(e: &BytesStart<'_>) -> bool {
    attribute(e, b"src").is_some()
        || attribute(e, b"mode").is_some_and(|m| m.eq_ignore_ascii_case("base64"))
        || attribute(e, b"type").is_some_and(|t| {
            let t = t.to_ascii_lowercase();
            !(t.contains("xml") || t.contains("html") || t.starts_with("text"))
        })
}

/// An attribute's value with references decoded leniently (a raw `&` stays `&`), trimmed;
/// `None` when absent or empty.
fn attribute(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    let attr = e.html_attributes().with_checks(false).flatten().find(|a| a.key.as_ref() == name)?;
    let raw = String::from_utf8_lossy(&attr.value);
    let value = decode_references(&raw);
    let value = value.trim();
    (!value.is_empty()).then(|| value.to_owned())
}

/// Decodes `&name;` and `&#n;` where they are references; everything else stays.
fn decode_references(raw: &str) -> Cow<'_, str> {
    if !raw.contains('&') {
        return Cow::Borrowed(raw);
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        let resolved = after
            .find(';')
            .filter(|&end| end <= 32)
            .and_then(|end| entities::resolve(&after[..end]).map(|c| (c, end)));
        match resolved {
            Some((c, end)) => {
                out.push(c);
                rest = &after[end + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> XmlFeed {
        parse_xml(xml).unwrap_or_else(|e| panic!("not a feed: {}", e.reason))
    }

    fn titles(feed: &XmlFeed) -> Vec<&str> {
        feed.items.iter().map(|d| d.item.title.as_str()).collect()
    }

    fn messages(feed: &XmlFeed) -> Vec<String> {
        feed.problems
            .iter()
            .chain(feed.items.iter().flat_map(|d| &d.problems))
            .map(|p| p.message.clone())
            .collect()
    }

    #[test]
    fn a_raw_ampersand_is_text() {
        let feed = read(
            "<rss version='2.0'><channel><title>T</title>\
             <item><title>A & B</title><link>http://x/bad?foo=1&bar=2</link></item>\
             <item><title>C</title></item></channel></rss>",
        );
        assert_eq!(titles(&feed), ["A & B", "C"]);
        assert_eq!(
            feed.items[0].link.as_ref().map(|l| l.href.as_str()),
            Some("http://x/bad?foo=1&bar=2")
        );
        assert!(messages(&feed).iter().any(|m| m.contains("raw '&'")), "{:?}", messages(&feed));
    }

    #[test]
    fn html_entities_and_unknown_ones() {
        let feed = read(
            "<rss><channel><item><title>Caf&eacute;&nbsp;&bogus;</title></item></channel></rss>",
        );
        assert_eq!(titles(&feed), ["Café &bogus;"]);
        assert!(messages(&feed).iter().any(|m| m.contains("unknown entity &bogus;")));
    }

    #[test]
    fn a_truncated_document_keeps_complete_items() {
        let feed = read(
            "<rss version='2.0'><channel><title>Cut</title><item><title>One</title></item>\
             <item><title>Two</title><description>half a descr",
        );
        assert_eq!(feed.title.as_deref(), Some("Cut"));
        assert_eq!(titles(&feed), ["One", "Two"]);
        assert_eq!(feed.items[1].item.summary, "");
        let feed = read("<rss version='2.0'><channel><title>Cut</title><item><title>On");
        assert_eq!(titles(&feed), Vec::<&str>::new());
        assert!(
            messages(&feed).iter().any(|m| m.contains("ends inside <rss><channel><item><title>"))
        );
    }

    #[test]
    fn missing_end_tags_are_closed_by_ancestors_and_next_items() {
        let feed = read(
            "<rss><channel><item><title>One</title><description>d<p>x</item>\
             <item><title>Two<item><title>Three</title></item></channel></rss>",
        );
        assert_eq!(titles(&feed), ["One", "Two", "Three"]);
        assert_eq!(feed.items[0].item.summary, "d x");
        let feed = read("<rss><channel><title>T<item><title>A</title></item></channel></rss>");
        assert_eq!(feed.title.as_deref(), Some("T"));
        assert_eq!(titles(&feed), ["A"]);
    }

    #[test]
    fn nested_empty_items_are_ignored() {
        let feed = read(
            "<rss><channel><item><title>Real</title><item /><feedburner:origLink>http://o/</feedburner:origLink>\
             </item></channel></rss>",
        );
        assert_eq!(titles(&feed), ["Real"]);
        assert_eq!(feed.items[0].link.as_ref().map(|l| l.href.as_str()), Some("http://o/"));
    }

    #[test]
    fn fields_are_direct_children_only() {
        let feed = read(
            "<rss xmlns:media='http://search.yahoo.com/mrss/'><channel><image><title>Logo</title>\
             <link>http://logo/</link></image><title>Feed</title><link>http://feed/</link>\
             <item><media:content><media:title>Media</media:title></media:content>\
             <media:title>Fallback</media:title><title>Item</title></item>\
             <item><media:title>Only media</media:title></item></channel></rss>",
        );
        assert_eq!(feed.title.as_deref(), Some("Feed"));
        assert_eq!(feed.link.as_ref().map(|l| l.href.as_str()), Some("http://feed/"));
        assert_eq!(titles(&feed), ["Item", "Only media"]);
    }

    #[test]
    fn atom_text_kinds() {
        let feed = read(
            r#"<feed xmlns="http://www.w3.org/2005/Atom"><title type="text">A &amp;lt;b&amp;gt;</title>
            <entry><title type="html">&lt;b&gt;Bold&lt;/b&gt; &amp;amp; more</title>
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>One &lt;two&gt;</p><p>Three</p></div></content>
            <author><name>Ann</name></author><author><name>Bob</name></author>
            <category term="markets"/><category term="markets"/><category term="rates"/></entry>
            <entry><title>Plain &lt;tag&gt;</title><summary type="text">s</summary><content type="html">c</content></entry>
            <entry><title>Data</title><content type="application/octet-stream">AAAA</content></entry></feed>"#,
        );
        assert_eq!(feed.title.as_deref(), Some("A <b>"));
        assert_eq!(titles(&feed), ["Bold & more", "Plain <tag>", "Data"]);
        let first = &feed.items[0].item;
        assert_eq!(first.summary, "One <two> Three");
        assert_eq!(first.author.as_deref(), Some("Ann, Bob"));
        assert_eq!(first.categories, ["markets", "rates"]);
        assert_eq!(feed.items[1].item.summary, "s");
        assert_eq!(feed.items[2].item.summary, "");
    }

    #[test]
    fn prefixes_are_read_by_what_they_are_bound_to() {
        let feed = read(
            "<rss xmlns:x='http://purl.org/dc/elements/1.1/' xmlns:dc='http://example.com/not-dc'>\
             <channel><item><title>T</title><x:creator>Right</x:creator><dc:creator>Wrong</dc:creator>\
             <x:date>2020-01-02T03:04:05Z</x:date></item></channel></rss>",
        );
        let item = &feed.items[0].item;
        assert_eq!(item.author.as_deref(), Some("Right"));
        assert_eq!(item.published.map(|t| t.to_string()).as_deref(), Some("2020-01-02T03:04:05Z"));
        // Undeclared prefixes keep their usual meaning.
        let feed = read(
            "<rss><channel><item><title>T</title><dc:creator>Ann</dc:creator></item></channel></rss>",
        );
        assert_eq!(feed.items[0].item.author.as_deref(), Some("Ann"));
    }

    #[test]
    fn dates_fall_back_and_are_reported() {
        let feed = read(
            "<rss><channel><item><title>A</title><pubDate>soon</pubDate>\
             <dc:date>2020-01-02T03:04:05+01:00</dc:date></item>\
             <item><title>B</title></item></channel></rss>",
        );
        let a = &feed.items[0];
        assert_eq!(
            a.item.published.map(|t| t.to_string()).as_deref(),
            Some("2020-01-02T02:04:05Z")
        );
        assert_eq!(a.item.published_offset, Some(3600));
        assert!(a.problems.iter().any(|p| p.message == "unreadable date \"soon\""));
        assert!(feed.items[1].problems.iter().any(|p| p.message == "no date"));
    }

    #[test]
    fn guids_and_permalinks() {
        let feed = read(
            "<rss><channel>\
             <item><title>A</title><guid>https://x/a</guid></item>\
             <item><title>B</title><guid isPermaLink='false'>https://x/b</guid></item>\
             <item><title>C</title><author>ann@x.com (Ann Lee)</author></item></channel></rss>",
        );
        assert_eq!(feed.items[0].link.as_ref().map(|l| l.href.as_str()), Some("https://x/a"));
        assert!(feed.items[1].link.is_none());
        assert_eq!(feed.items[1].item.guid.as_deref(), Some("https://x/b"));
        assert_eq!(feed.items[2].item.author.as_deref(), Some("Ann Lee"));
    }

    #[test]
    fn rdf_items_are_siblings_of_the_channel() {
        let feed = read(
            "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' xmlns='http://purl.org/rss/1.0/'>\
             <channel rdf:about='http://x/'><title>Chan</title><link>http://x/</link></channel>\
             <item rdf:about='http://x/1'><title>One</title></item></rdf:RDF>",
        );
        assert_eq!(feed.format, FeedFormat::Rss10);
        assert_eq!(feed.title.as_deref(), Some("Chan"));
        assert_eq!(feed.items[0].item.guid.as_deref(), Some("http://x/1"));
        assert_eq!(feed.items[0].link.as_ref().map(|l| l.href.as_str()), Some("http://x/1"));
    }

    #[test]
    fn atom_03_and_rss_090() {
        let feed = read(
            r#"<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>Old</title>
            <link rel="alternate" type="text/html" href="http://old.example/"/>
            <entry><title>E</title><link rel="alternate" type="text/html" href="http://old.example/e"/>
            <id>tag:e</id><issued>2004-01-02T03:04:05Z</issued><modified>2004-01-03T00:00:00Z</modified>
            <content type="text/html" mode="escaped">&lt;p&gt;Hi&lt;/p&gt;</content>
            <content type="text/html" mode="base64">PHA+SGk8L3A+</content></entry></feed>"#,
        );
        assert_eq!(feed.format, FeedFormat::Atom03);
        let e = &feed.items[0];
        assert_eq!(e.item.summary, "Hi");
        assert_eq!(
            e.item.published.map(|t| t.to_string()).as_deref(),
            Some("2004-01-02T03:04:05Z")
        );
        assert_eq!(e.link.as_ref().map(|l| l.href.as_str()), Some("http://old.example/e"));
        assert_eq!(feed.updated, None);
        let feed = read(
            "<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' \
             xmlns='http://my.netscape.com/rdf/simple/0.9/'><channel><title>N</title></channel>\
             <item><title>I</title><link>http://n.example/i</link></item></rdf:RDF>",
        );
        assert_eq!(feed.format, FeedFormat::Rss090);
        assert_eq!(titles(&feed), ["I"]);
    }

    #[test]
    fn raw_html_in_a_description() {
        let feed = read(
            "<rss><channel><item><title>T</title><description>One<br>two</p><p>three &amp; \
             &bogus; &bogus;</description></item></channel></rss>",
        );
        assert_eq!(feed.items[0].item.summary, "One two three & &bogus; &bogus;");
        let unknown = messages(&feed).iter().filter(|m| m.contains("unknown entity")).count();
        assert_eq!(unknown, 1);
    }

    #[test]
    fn not_feeds() {
        let err = parse_xml("<!DOCTYPE html><html><body>x</body></html>").err().expect("html");
        assert!(err.reason.contains("<html>"), "{}", err.reason);
        assert!(parse_xml("").is_err());
        assert!(parse_xml("just text").is_err());
    }

    #[test]
    fn attribute_references() {
        assert_eq!(decode_references("a?b=1&amp;c=2&d=3&#038;e"), "a?b=1&c=2&d=3&e");
        assert_eq!(decode_references("x &bogus; y &"), "x &bogus; y &");
    }
}

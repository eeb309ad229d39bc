//! Reader comments: the Markdown subset and its sanitiser, the form's signed timestamp, the
//! rate limits, the post and report handlers, the comments feed and the moderation area.
//!
//! A comment is accepted in this order: the article exists; the body is at most the site's
//! body limit (else 413) and valid UTF-8 (else 400); the CSRF token is current (else 403); the
//! honeypot `website` is empty (else the post is dropped and answered as if accepted); the
//! form's signed timestamp is genuine and at least [`CommentOptions::min_delay`] old (else 400);
//! the fields fit their limits (a body over [`CommentOptions::max_body`] characters is 413);
//! the poster's hashed address is not banned (else 403); the per-address and per-article
//! limits allow it (else 429 with Retry-After). It is then stored (committed before the answer),
//! shown at once or held for moderation (pre-moderation on, a listed word, or more links than
//! [`CommentOptions::max_links`]), the page cache is invalidated and the answer is a 303 back
//! to the article.

use std::{collections::HashMap, str::FromStr, sync::Arc, time::Duration};

use askama::Template;
use axum::{
    body::Body,
    extract::{Path, Request, State},
    http::{HeaderMap, HeaderValue, Response, StatusCode, header},
};
use jiff::Timestamp;
use marketdesk_store::{CommentRecord, CommentStatus, NewComment, RateCheck};
use marketdesk_writer::dateline;
use sha2::{Digest, Sha256};

use crate::{
    Result,
    cache::{Kind, Rendered},
    pages::{self, Layout},
    views::{Inner, html_response},
};

type S = Arc<Inner>;

/// A rate: at most `count` events per `per`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Events allowed in a window.
    pub count: u32,
    /// The window.
    pub per: Duration,
}

impl Rate {
    /// `count` per minute.
    pub const fn per_minute(count: u32) -> Self {
        Rate { count, per: Duration::from_secs(60) }
    }
}

impl FromStr for Rate {
    type Err = String;

    /// `N/s`, `N/min`, `N/hour`, `N/day` (also `sec`, `second`, `m`, `minute`, `h`, `d`).
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        let bad = || format!("{s:?} is not a rate like \"5/min\" (units: s, min, hour, day)");
        let (n, unit) = s.trim().split_once('/').ok_or_else(bad)?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        let secs = match unit.trim().to_ascii_lowercase().as_str() {
            "s" | "sec" | "second" => 1,
            "m" | "min" | "minute" => 60,
            "h" | "hour" => 3600,
            "d" | "day" => 86_400,
            _ => return Err(bad()),
        };
        if count == 0 {
            return Err(bad());
        }
        Ok(Rate { count, per: Duration::from_secs(secs) })
    }
}

/// How comments are taken.
#[derive(Debug, Clone)]
pub struct CommentOptions {
    /// The least time between rendering the form and posting it. Default 2 s.
    pub min_delay: Duration,
    /// The longest a form stays good. Default 24 h.
    pub max_age: Duration,
    /// Comments per address (hashed). Default 2 a minute, Isso's `ratelimit`.
    pub rate_per_ip: Rate,
    /// Comments per article. Default 10 a minute.
    pub rate_per_article: Rate,
    /// More links than this hold a comment for moderation (WordPress's `comment_max_links`).
    /// Default 2.
    pub max_links: usize,
    /// Hold every comment for moderation. Default off.
    pub premoderate: bool,
    /// A comment containing one of these words (case-insensitive) is held for moderation.
    pub words: Vec<String>,
    /// Longest comment, in characters. Default 5,000.
    pub max_body: usize,
    /// Longest name, in characters. Default 80.
    pub max_name: usize,
}

impl Default for CommentOptions {
    fn default() -> Self {
        CommentOptions {
            min_delay: Duration::from_secs(2),
            max_age: Duration::from_secs(24 * 3600),
            rate_per_ip: Rate::per_minute(2),
            rate_per_article: Rate::per_minute(10),
            max_links: 2,
            premoderate: false,
            words: Vec::new(),
            max_body: 5000,
            max_name: 80,
        }
    }
}

/// Threads deeper than this are shown at this depth.
const MAX_DEPTH: usize = 3;
/// Longest e-mail address kept.
const MAX_EMAIL: usize = 200;
/// How long an admin session lasts.
const SESSION: Duration = Duration::from_secs(12 * 3600);
/// The admin session cookie.
const COOKIE: &str = "md_admin";

// ---------------------------------------------------------------------------------------------
// Markdown

/// A comment's Markdown as safe HTML: raw HTML is shown as text, and the result keeps only
/// paragraphs, emphasis, links (http, https, mailto; rel="nofollow ugc noopener"), code,
/// quotes and lists.
pub(crate) fn render_markdown(src: &str) -> String {
    use pulldown_cmark::{Event, Options, Parser, html};
    let parser = Parser::new_ext(src, Options::ENABLE_STRIKETHROUGH).map(|e| match e {
        Event::Html(h) | Event::InlineHtml(h) => Event::Text(h),
        e => e,
    });
    let mut out = String::with_capacity(src.len() * 3 / 2);
    html::push_html(&mut out, parser);
    sanitize(&out)
}

fn sanitize(html: &str) -> String {
    ammonia::Builder::empty()
        .add_tags([
            "p",
            "br",
            "em",
            "strong",
            "del",
            "a",
            "code",
            "pre",
            "blockquote",
            "ul",
            "ol",
            "li",
        ])
        .add_tag_attributes("a", ["href"])
        .add_tag_attributes("ol", ["start"])
        .add_url_schemes(["http", "https", "mailto"])
        .url_relative(ammonia::UrlRelative::Deny)
        .link_rel(Some("nofollow ugc noopener"))
        .clean(html)
        .to_string()
}

/// How many links a comment carries: Markdown links and bare web addresses, whichever is more.
fn link_count(src: &str) -> usize {
    use pulldown_cmark::{Event, Parser, Tag};
    let md = Parser::new(src).filter(|e| matches!(e, Event::Start(Tag::Link { .. }))).count();
    let lower = src.to_ascii_lowercase();
    let bare = lower.matches("http://").count()
        + lower.matches("https://").count()
        + lower.matches("www.").count();
    md.max(bare)
}

// ---------------------------------------------------------------------------------------------
// Form data

/// A form body as fields (first occurrence wins); `None` when a value is not UTF-8.
fn parse_form(body: &[u8]) -> Option<HashMap<String, String>> {
    let mut out = HashMap::new();
    for pair in body.split(|b| *b == b'&') {
        if pair.is_empty() {
            continue;
        }
        let (k, v) = match pair.iter().position(|b| *b == b'=') {
            Some(i) => (&pair[..i], &pair[i + 1..]),
            None => (pair, &[][..]),
        };
        let k = decode(k)?;
        let v = decode(v)?;
        out.entry(k).or_insert(v);
    }
    Some(out)
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decoding with `+` as space; a malformed escape stays as written.
fn decode(s: &[u8]) -> Option<String> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < s.len() => match (hex(s[i + 1]), hex(s[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8(out).ok()
}

pub(crate) fn field<'a>(form: &'a HashMap<String, String>, name: &str) -> &'a str {
    form.get(name).map_or("", |v| v.as_str())
}

// ---------------------------------------------------------------------------------------------
// Signing, hashing, limits, sessions

impl Inner {
    /// A keyed digest of `data` for `purpose`, as 32 hex digits.
    fn sign(&self, purpose: &str, data: &str) -> String {
        let mut h = Sha256::new();
        h.update(self.csrf_key());
        h.update(purpose.as_bytes());
        h.update([0]);
        h.update(data.as_bytes());
        h.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect()
    }

    /// The comment form's signed timestamp: `SECONDS.SIGNATURE`.
    pub(crate) fn comment_stamp(&self, now: Timestamp) -> String {
        let secs = now.as_second().to_string();
        let sig = self.sign("comment-form-time", &secs);
        format!("{secs}.{sig}")
    }

    /// When a genuine stamp was made.
    pub(crate) fn stamp_time(&self, stamp: &str) -> Option<i64> {
        let (secs, sig) = stamp.split_once('.')?;
        let want = self.sign("comment-form-time", secs);
        (constant_eq(&want, sig)).then(|| secs.parse().ok()).flatten()
    }

    /// A poster's address as the store keeps it.
    pub(crate) fn ip_hash(&self, ip: &str) -> String {
        self.sign("comment-ip", ip)
    }
}

pub(crate) fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

impl Inner {
    /// Counts a hit for every key if each key's rate allows one more, in the store (so every
    /// node of the site counts the same hits); else the longest wait in whole seconds (at
    /// least 1).
    async fn rate_limit(&self, keys: &[(&str, Rate)]) -> Result<std::result::Result<(), u64>> {
        let checks: Vec<RateCheck<'_>> = keys
            .iter()
            .map(|&(key, rate)| RateCheck {
                key,
                count: rate.count,
                window_ms: i64::try_from(rate.per.as_millis()).unwrap_or(i64::MAX),
            })
            .collect();
        Ok(match self.store.rate_hit(&checks, self.now().as_millisecond()).await? {
            None => Ok(()),
            Some(wait_ms) => Err(u64::try_from((wait_ms + 999) / 1000).unwrap_or(1).max(1)),
        })
    }

    /// Starts an admin session in the store (valid on every node); the cookie's token.
    async fn start_session(&self) -> Result<String> {
        let token = random_token();
        let now = self.now().as_second();
        let expires = now + i64::try_from(SESSION.as_secs()).unwrap_or(0);
        self.store.start_admin_session(&self.sign("admin-session", &token), expires, now).await?;
        Ok(token)
    }

    async fn session_live(&self, token: &str) -> Result<bool> {
        let digest = self.sign("admin-session", token);
        Ok(self.store.admin_session_live(&digest, self.now().as_second()).await?)
    }

    async fn end_session(&self, token: &str) -> Result<()> {
        Ok(self.store.end_admin_session(&self.sign("admin-session", token)).await?)
    }
}

fn random_token() -> String {
    let mut b = [0u8; 32];
    if getrandom::fill(&mut b).is_err() {
        let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
        b.copy_from_slice(&Sha256::digest(seed.as_bytes()));
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Hashes an admin password (argon2id, random salt) as a PHC string, for the store.
pub fn hash_password(password: &str) -> std::result::Result<String, String> {
    use argon2::{Argon2, PasswordHasher};
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

fn verify_password(password: &str, phc: &str) -> bool {
    use argon2::{Argon2, PasswordVerifier};
    Argon2::default().verify_password(password.as_bytes(), phc).is_ok()
}

// ---------------------------------------------------------------------------------------------
// Responses

pub(crate) fn see_other(location: &str) -> Response<Body> {
    let mut res = Response::new(Body::empty());
    *res.status_mut() = StatusCode::SEE_OTHER;
    if let Ok(v) = HeaderValue::from_str(location) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

pub(crate) fn refuse(
    inner: &Inner,
    status: StatusCode,
    heading: &str,
    message: &str,
) -> Response<Body> {
    html_response(status, pages::error_page(inner, status, heading, message))
}

fn too_many(inner: &Inner, wait: u64) -> Response<Body> {
    let mut res = refuse(
        inner,
        StatusCode::TOO_MANY_REQUESTS,
        "Too many comments",
        "Comments are arriving faster than this site takes them. Please wait a moment and post again.",
    );
    res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(wait));
    res
}

/// The body, or the answer when it is too large (413) or not a UTF-8 form (400).
pub(crate) async fn read_form(
    inner: &Inner,
    req: Request,
) -> std::result::Result<HashMap<String, String>, Response<Body>> {
    let bytes = match axum::body::to_bytes(req.into_body(), inner.options.body_limit).await {
        Ok(b) => b,
        Err(_) => {
            return Err(refuse(
                inner,
                StatusCode::PAYLOAD_TOO_LARGE,
                "Too long",
                "What you sent is longer than this site takes.",
            ));
        }
    };
    if std::str::from_utf8(&bytes).is_err() {
        return Err(bad_encoding(inner));
    }
    parse_form(&bytes).ok_or_else(|| bad_encoding(inner))
}

fn bad_encoding(inner: &Inner) -> Response<Body> {
    refuse(
        inner,
        StatusCode::BAD_REQUEST,
        "Unreadable form",
        "The form did not arrive as UTF-8 text.",
    )
}

pub(crate) fn bad_token(inner: &Inner) -> Response<Body> {
    refuse(
        inner,
        StatusCode::FORBIDDEN,
        "The form has expired",
        "Please reload the page and send the form again.",
    )
}

/// Slugs are lower-case words and dashes; anything else cannot be an article.
fn plausible_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 200
        && slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

// ---------------------------------------------------------------------------------------------
// Posting and reporting

/// `POST /articles/{slug}/comments`.
pub(crate) async fn post(
    State(s): State<S>,
    Path(slug): Path<String>,
    req: Request,
) -> Response<Body> {
    match post_inner(&s, &slug, req).await {
        Ok(res) => res,
        Err(e) => s.server_error(&e).await,
    }
}

async fn post_inner(s: &S, slug: &str, req: Request) -> Result<Response<Body>> {
    if !plausible_slug(slug) || s.store.article(slug).await?.is_none() {
        return Ok(s.not_found().await);
    }
    let opts = &s.options.comments;
    let ip = crate::proxy::client_network(&req, &s.options.trusted_proxies);
    let form = match read_form(s, req).await {
        Ok(f) => f,
        Err(res) => return Ok(res),
    };
    let now = s.now();
    if !s.csrf_valid(field(&form, "csrf"), now) {
        return Ok(bad_token(s));
    }
    let back = format!("/articles/{slug}#comments");
    if !field(&form, "website").is_empty() {
        // The honeypot: answered like a success, kept nowhere.
        return Ok(see_other(&back));
    }
    let Some(stamped) = s.stamp_time(field(&form, "ts")) else {
        return Ok(refuse(
            s,
            StatusCode::BAD_REQUEST,
            "The form is incomplete",
            "Please reload the page and send the form again.",
        ));
    };
    let age = now.as_second() - stamped;
    let min = i64::try_from(opts.min_delay.as_secs()).unwrap_or(i64::MAX);
    let max = i64::try_from(opts.max_age.as_secs()).unwrap_or(i64::MAX);
    if age < min {
        return Ok(refuse(
            s,
            StatusCode::BAD_REQUEST,
            "Posted too quickly",
            "That was faster than a person types. Please wait a moment and send the form again.",
        ));
    }
    if age > max {
        return Ok(bad_token(s));
    }
    let name = field(&form, "name").trim();
    let body = field(&form, "body").trim();
    let email = field(&form, "email").trim();
    if body.chars().count() > opts.max_body {
        return Ok(refuse(
            s,
            StatusCode::PAYLOAD_TOO_LARGE,
            "Comment too long",
            &format!("A comment can be at most {} characters.", opts.max_body),
        ));
    }
    if name.is_empty() || body.is_empty() {
        return Ok(refuse(
            s,
            StatusCode::BAD_REQUEST,
            "Name and comment needed",
            "Please give a name and write a comment.",
        ));
    }
    if name.chars().count() > opts.max_name || email.chars().count() > MAX_EMAIL {
        return Ok(refuse(
            s,
            StatusCode::BAD_REQUEST,
            "Name or email too long",
            &format!("A name can be at most {} characters.", opts.max_name),
        ));
    }
    let ip_hash = s.ip_hash(&ip);
    if s.store.is_banned(&ip_hash).await? {
        return Ok(refuse(
            s,
            StatusCode::FORBIDDEN,
            "Comments closed",
            "This site does not take comments from your address.",
        ));
    }
    let ip_key = format!("ip:{ip_hash}");
    let article_key = format!("article:{slug}");
    if let Err(wait) =
        s.rate_limit(&[(&ip_key, opts.rate_per_ip), (&article_key, opts.rate_per_article)]).await?
    {
        return Ok(too_many(s, wait));
    }
    let lower = body.to_lowercase();
    let held = opts.premoderate
        || link_count(body) > opts.max_links
        || opts.words.iter().any(|w| !w.is_empty() && lower.contains(&w.to_lowercase()));
    let parent_id = field(&form, "parent").parse::<i64>().ok();
    let id = s
        .store
        .add_comment(&NewComment {
            slug: slug.to_owned(),
            parent_id,
            name: name.to_owned(),
            email: (!email.is_empty()).then(|| email.to_owned()),
            body: body.to_owned(),
            ip_hash,
            status: if held { CommentStatus::Pending } else { CommentStatus::Approved },
            created_at: now,
        })
        .await?;
    if held {
        return Ok(see_other(&format!("/articles/{slug}?held=1#comments")));
    }
    s.invalidate();
    crate::notify::on_visible(s, id).await;
    Ok(see_other(&format!("/articles/{slug}#c{id}")))
}

/// `POST /articles/{slug}/comments/{id}/report`.
pub(crate) async fn report(
    State(s): State<S>,
    Path((slug, id)): Path<(String, i64)>,
    req: Request,
) -> Response<Body> {
    let form = match read_form(&s, req).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    if !s.csrf_valid(field(&form, "csrf"), s.now()) {
        return bad_token(&s);
    }
    match s.store.report_comment(&slug, id).await {
        Ok(true) => see_other(&format!("/articles/{slug}#c{id}")),
        Ok(false) => s.not_found().await,
        Err(e) => s.server_error(&e.into()).await,
    }
}

// ---------------------------------------------------------------------------------------------
// Showing

/// A comment as the article shows it.
#[derive(Debug)]
pub(crate) struct CommentView {
    pub(crate) id: i64,
    pub(crate) name: String,
    pub(crate) datetime: String,
    pub(crate) dateline: String,
    pub(crate) body_html: String,
    pub(crate) depth: usize,
    pub(crate) can_reply: bool,
}

/// The comments in reading order: threads oldest first, each reply under its parent (depth 1
/// to [`MAX_DEPTH`]; deeper replies are shown at that depth).
pub(crate) fn thread(records: &[CommentRecord]) -> Vec<CommentView> {
    let known: std::collections::HashSet<i64> = records.iter().map(|c| c.id).collect();
    let mut children: HashMap<Option<i64>, Vec<&CommentRecord>> = HashMap::new();
    for c in records {
        let parent = c.parent_id.filter(|p| known.contains(p));
        children.entry(parent).or_default().push(c);
    }
    let mut out = Vec::with_capacity(records.len());
    // Depth-first without recursion: (comment, depth), the stack holding later siblings.
    let mut stack: Vec<(&CommentRecord, usize)> = Vec::new();
    if let Some(top) = children.get(&None) {
        stack.extend(top.iter().rev().map(|c| (*c, 1)));
    }
    while let Some((c, depth)) = stack.pop() {
        out.push(CommentView {
            id: c.id,
            name: c.name.clone(),
            datetime: c.created_at.to_string(),
            dateline: dateline(c.created_at),
            body_html: render_markdown(&c.body),
            depth: depth.min(MAX_DEPTH),
            can_reply: depth < MAX_DEPTH,
        });
        if let Some(kids) = children.get(&Some(c.id)) {
            stack.extend(kids.iter().rev().map(|k| (*k, depth + 1)));
        }
    }
    out
}

/// "No comments yet", "1 comment", "12 comments".
pub(crate) fn count_label(n: usize) -> String {
    match n {
        0 => "No comments yet".to_owned(),
        1 => "1 comment".to_owned(),
        n => format!("{n} comments"),
    }
}

#[derive(Template)]
#[template(path = "comments.xml")]
struct CommentsFeed {
    title: String,
    self_url: String,
    article_url: String,
    updated: String,
    entries: Vec<FeedEntry>,
}

struct FeedEntry {
    id: String,
    url: String,
    title: String,
    author: String,
    published: String,
    content_html: String,
}

/// `GET /articles/{slug}/comments/atom.xml`: the article's shown comments, oldest first.
pub(crate) async fn feed(inner: &Inner, slug: &str) -> Result<Option<Rendered>> {
    let Some(article) = inner.store.article(slug).await? else { return Ok(None) };
    let comments = inner.store.comments(slug).await?;
    let article_url = inner.url(&format!("/articles/{slug}"));
    let newest = comments.iter().map(|c| c.created_at).max();
    let updated = newest.unwrap_or(article.updated_at);
    let entries = comments
        .iter()
        .map(|c| FeedEntry {
            id: format!("{article_url}#c{}", c.id),
            url: format!("{article_url}#c{}", c.id),
            title: format!("Comment by {}", c.name),
            author: c.name.clone(),
            published: c.created_at.to_string(),
            content_html: render_markdown(&c.body),
        })
        .collect();
    let page = CommentsFeed {
        title: format!("Comments on: {}", article.headline),
        self_url: inner.url(&format!("/articles/{slug}/comments/atom.xml")),
        article_url,
        updated: updated.to_string(),
        entries,
    };
    Ok(Some(Rendered::new(page.render()?, Kind::Atom, Some(updated))))
}

// ---------------------------------------------------------------------------------------------
// The moderation area

#[derive(Debug)]
struct QueueItem {
    id: i64,
    article_url: String,
    name: String,
    email: String,
    ip_hash: String,
    status: &'static str,
    reports: i64,
    dateline: String,
    body_html: String,
}

#[derive(Template)]
#[template(path = "admin.html")]
struct AdminPage {
    layout: Layout,
    logged_in: bool,
    no_password: bool,
    message: String,
    queue: Vec<QueueItem>,
    csrf: String,
}

fn session_token(h: &HeaderMap) -> Option<String> {
    h.get_all(header::COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|v| {
        v.split(';').find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == COOKIE && !v.is_empty()).then(|| v.to_owned())
        })
    })
}

/// Whether the request carries a live admin session; a store that does not answer logs
/// nobody in.
async fn logged_in(s: &Inner, h: &HeaderMap) -> bool {
    match session_token(h) {
        Some(t) => s.session_live(&t).await.unwrap_or(false),
        None => false,
    }
}

fn no_store(mut res: Response<Body>) -> Response<Body> {
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

async fn admin_page(s: &Inner, status: StatusCode, logged: bool, message: &str) -> Response<Body> {
    let result: Result<String> = async {
        let queue = if logged {
            s.store
                .comment_queue(500)
                .await?
                .into_iter()
                .map(|c| QueueItem {
                    id: c.id,
                    article_url: format!("/articles/{}", c.slug),
                    name: c.name,
                    email: c.email.unwrap_or_default(),
                    ip_hash: c.ip_hash,
                    status: match c.status {
                        CommentStatus::Pending => "pending",
                        CommentStatus::Approved => "reported",
                        CommentStatus::Deleted => "deleted",
                    },
                    reports: c.reports,
                    dateline: dateline(c.created_at),
                    body_html: render_markdown(&c.body),
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut layout = s.layout("Moderation", "Comment moderation", "/admin", "");
        layout.noindex = true;
        let page = AdminPage {
            layout,
            logged_in: logged,
            no_password: !logged && s.store.admin_password_hash().await?.is_none(),
            message: message.to_owned(),
            queue,
            csrf: s.csrf_token(s.now()),
        };
        Ok(page.render()?)
    }
    .await;
    match result {
        Ok(html) => no_store(html_response(status, html)),
        Err(e) => s.server_error(&e).await,
    }
}

/// `GET /admin`: the login form, or the moderation queue.
pub(crate) async fn admin(State(s): State<S>, h: HeaderMap) -> Response<Body> {
    let logged = logged_in(&s, &h).await;
    admin_page(&s, StatusCode::OK, logged, "").await
}

/// `POST /admin/login`.
pub(crate) async fn login(State(s): State<S>, req: Request) -> Response<Body> {
    let ip = crate::proxy::client_network(&req, &s.options.trusted_proxies);
    let form = match read_form(&s, req).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    if !s.csrf_valid(field(&form, "csrf"), s.now()) {
        return bad_token(&s);
    }
    let key = format!("login:{}", s.ip_hash(&ip));
    match s.rate_limit(&[(&key, Rate::per_minute(5))]).await {
        Ok(Ok(())) => {}
        Ok(Err(wait)) => return too_many(&s, wait),
        Err(e) => return s.server_error(&e).await,
    }
    let phc = match s.store.admin_password_hash().await {
        Ok(p) => p,
        Err(e) => return s.server_error(&e.into()).await,
    };
    let password = field(&form, "password").to_owned();
    let ok = match phc {
        Some(phc) => tokio::task::spawn_blocking(move || verify_password(&password, &phc))
            .await
            .unwrap_or(false),
        None => false,
    };
    if !ok {
        return admin_page(&s, StatusCode::FORBIDDEN, false, "Wrong password.").await;
    }
    let token = match s.start_session().await {
        Ok(t) => t,
        Err(e) => return s.server_error(&e).await,
    };
    let mut res = see_other("/admin");
    let cookie = format!(
        "{COOKIE}={token}; Path=/admin; HttpOnly; Secure; SameSite=Strict; Max-Age={}",
        SESSION.as_secs()
    );
    if let Ok(v) = HeaderValue::from_str(&cookie) {
        res.headers_mut().insert(header::SET_COOKIE, v);
    }
    res
}

/// `POST /admin/logout`.
pub(crate) async fn logout(State(s): State<S>, req: Request) -> Response<Body> {
    if let Some(t) = session_token(req.headers())
        && let Err(e) = s.end_session(&t).await
    {
        return s.server_error(&e).await;
    }
    let mut res = see_other("/admin");
    res.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static(
            "md_admin=; Path=/admin; HttpOnly; Secure; SameSite=Strict; Max-Age=0",
        ),
    );
    res
}

/// `POST /admin/comments/{id}/{action}`: approve, delete or ban.
pub(crate) async fn moderate(
    State(s): State<S>,
    Path((id, action)): Path<(i64, String)>,
    req: Request,
) -> Response<Body> {
    if !logged_in(&s, req.headers()).await {
        return admin_page(&s, StatusCode::FORBIDDEN, false, "Please log in.").await;
    }
    let form = match read_form(&s, req).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    if !s.csrf_valid(field(&form, "csrf"), s.now()) {
        return bad_token(&s);
    }
    let done: Result<bool> = async {
        Ok(match action.as_str() {
            "approve" => s.store.set_comment_status(id, CommentStatus::Approved).await?,
            "delete" => s.store.set_comment_status(id, CommentStatus::Deleted).await?,
            "ban" => match s.store.comment(id).await? {
                Some(c) => {
                    s.store.ban_ip_hash(&c.ip_hash, s.now()).await?;
                    true
                }
                None => false,
            },
            _ => false,
        })
    }
    .await;
    match done {
        Ok(true) => {
            s.invalidate();
            if action == "approve" {
                crate::notify::on_visible(&s, id).await;
            }
            see_other("/admin")
        }
        Ok(false) => s.not_found().await,
        Err(e) => s.server_error(&e).await,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_read() {
        assert_eq!("5/min".parse::<Rate>(), Ok(Rate::per_minute(5)));
        assert_eq!(
            "100/hour".parse::<Rate>(),
            Ok(Rate { count: 100, per: Duration::from_secs(3600) })
        );
        assert!("5".parse::<Rate>().is_err());
        assert!("0/min".parse::<Rate>().is_err());
        assert!("5/fortnight".parse::<Rate>().is_err());
    }

    #[test]
    fn forms_decode_and_refuse_bad_utf8() {
        let f = parse_form(b"name=A+B&body=%3Cb%3E%20x&name=ignored&bad=%zz").expect("form");
        assert_eq!(f["name"], "A B");
        assert_eq!(f["body"], "<b> x");
        assert_eq!(f["bad"], "%zz");
        assert!(parse_form(b"body=%FF%FE").is_none());
    }

    #[test]
    fn markdown_is_a_safe_subset() {
        let html = render_markdown(
            "*hi* [x](https://e.com) <script>alert(1)</script> [y](javascript:alert(1))",
        );
        assert!(html.contains("<em>hi</em>"), "{html}");
        assert!(html.contains("rel=\"nofollow ugc noopener\""), "{html}");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert_eq!(link_count("see https://a.com and [b](http://b.com)"), 2);
    }
}

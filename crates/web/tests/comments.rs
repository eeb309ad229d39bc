//! Reader comments end to end: posting (303 back, shown at once), threads, the spam defences,
//! bad input, hostile Markdown and HTML, moderation, the comments feed, and 1,000 concurrent
//! posters over a real loopback socket.

mod support;

use std::{
    net::SocketAddr,
    sync::{
        Arc,
        atomic::{AtomicI64, Ordering},
    },
    time::Duration,
};

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use jiff::Timestamp;
use marketdesk_web::{Clock, CommentOptions, Rate, Site, SiteOptions, hash_password, router};
use support::{
    Got, TestSite, cookie_of, form, get, input, log_in_as_admin, now, options, post_req, send,
    site_with,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TSLA_2020: &str =
    "tesla-chief-executive-musk-buys-10-0-million-in-shares-in-first-2020-02-14";

fn path() -> String {
    format!("/articles/{TSLA_2020}")
}

/// Options with no minimum delay and generous limits, unless a test says otherwise.
fn open_options() -> SiteOptions {
    SiteOptions {
        comments: CommentOptions {
            min_delay: Duration::ZERO,
            rate_per_ip: Rate::per_minute(10_000),
            rate_per_article: Rate::per_minute(10_000),
            ..CommentOptions::default()
        },
        ..options()
    }
}

/// The tokens of the article page's form.
async fn tokens(site: &Site) -> (String, String) {
    let page = get(site, &path()).await;
    (input(&page.body, "csrf"), input(&page.body, "ts"))
}

async fn comment(site: &Site, name: &str, body: &str, ip: [u8; 4]) -> Got {
    let (csrf, ts) = tokens(site).await;
    let f = form(&[("name", name), ("body", body), ("csrf", &csrf), ("ts", &ts), ("website", "")]);
    send(site, post_req(&format!("{}/comments", path()), f, ip)).await
}

#[tokio::test]
async fn a_comment_shows_at_once_after_the_303_threaded_counted_and_in_the_feed() {
    let TestSite { site, store, _dir } = site_with(open_options()).await;
    let before = get(&site, &path()).await;
    assert!(before.body.contains("No comments yet"), "{} {}", before.status, before.body);
    assert!(before.body.contains("\"commentCount\":0"));
    let (csrf, ts) = tokens(&site).await;
    let f = form(&[
        ("name", "Ann Reader"),
        ("email", "ann@example.com"),
        ("body", "Is this a *10b5-1* plan? See [the filing](https://www.sec.gov/x)."),
        ("csrf", &csrf),
        ("ts", &ts),
        ("website", ""),
    ]);
    let res = send(&site, post_req(&format!("{}/comments", path()), f, [10, 0, 0, 1])).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    let stored = store.comments(TSLA_2020).await.expect("comments");
    assert_eq!(stored.len(), 1);
    let id = stored[0].id;
    assert_eq!(res.header("location"), format!("{}#c{id}", path()));
    let page = get(&site, &path()).await;
    assert_eq!(page.status, StatusCode::OK);
    for needle in [
        "1 comment",
        "Ann Reader",
        "<em>10b5-1</em>",
        "rel=\"nofollow ugc noopener\"",
        "\"commentCount\":1",
        &format!("id=\"c{id}\""),
        "/comments/atom.xml",
    ] {
        assert!(page.body.contains(needle), "missing {needle:?}");
    }
    assert!(!page.body.contains("ann@example.com"), "the email is never shown");
    // A reply, a reply to that, and one more: shown at depth 2, 3 and 3.
    let mut parent = id;
    for (i, depth) in [2, 3, 3].into_iter().enumerate() {
        let (csrf, ts) = tokens(&site).await;
        let f = form(&[
            ("name", &format!("Replier {i}")),
            ("body", &format!("reply {i}")),
            ("parent", &parent.to_string()),
            ("csrf", &csrf),
            ("ts", &ts),
        ]);
        let res = send(&site, post_req(&format!("{}/comments", path()), f, [10, 0, 0, 2])).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
        let page = get(&site, &path()).await;
        let last = store.comments(TSLA_2020).await.expect("comments");
        parent = last.last().expect("stored").id;
        assert!(
            page.body.contains(&format!("class=\"comment depth-{depth}\" id=\"c{parent}\"")),
            "reply {i} at depth {depth}"
        );
    }
    let page = get(&site, &path()).await;
    assert!(page.body.contains("4 comments"));
    let feed = get(&site, &format!("{}/comments/atom.xml", path())).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert!(feed.header("content-type").starts_with("application/atom+xml"));
    assert_eq!(feed.body.matches("<entry>").count(), 4);
    assert!(feed.body.contains("Comment by Ann Reader"));
    assert!(feed.body.contains("&#60;em&#62;10b5-1&#60;/em&#62;"), "{}", feed.body);
    assert!(!feed.body.contains("ann@example.com"));
    assert_eq!(get(&site, "/articles/no-such-article/comments/atom.xml").await.status, 404);
}

#[tokio::test]
async fn bad_tokens_honeypots_and_bad_bodies_are_refused() {
    let TestSite { site, store, _dir } = site_with(open_options()).await;
    let url = format!("{}/comments", path());
    let (csrf, ts) = tokens(&site).await;
    // Bad CSRF token: 403.
    let f = form(&[("name", "A"), ("body", "b"), ("csrf", "0123"), ("ts", &ts)]);
    assert_eq!(send(&site, post_req(&url, f, [10, 0, 0, 1])).await.status, 403);
    // Honeypot: answered like a success, kept nowhere.
    let f = form(&[("name", "A"), ("body", "b"), ("csrf", &csrf), ("ts", &ts), ("website", "x")]);
    assert_eq!(send(&site, post_req(&url, f, [10, 0, 0, 1])).await.status, 303);
    // A forged timestamp: 400.
    let f = form(&[("name", "A"), ("body", "b"), ("csrf", &csrf), ("ts", "1.abc")]);
    assert_eq!(send(&site, post_req(&url, f, [10, 0, 0, 1])).await.status, 400);
    // Over the comment limit: 413; over the request limit: 413.
    let long = "x".repeat(5001);
    let f = form(&[("name", "A"), ("body", &long), ("csrf", &csrf), ("ts", &ts)]);
    assert_eq!(send(&site, post_req(&url, f, [10, 0, 0, 1])).await.status, 413);
    let huge = format!("name=A&csrf={csrf}&ts={ts}&body={}", "y".repeat(100_000));
    assert_eq!(send(&site, post_req(&url, huge, [10, 0, 0, 1])).await.status, 413);
    // Not UTF-8, raw or percent-encoded: 400.
    let mut raw = format!("name=A&csrf={csrf}&ts={ts}&body=").into_bytes();
    raw.extend_from_slice(&[0xff, 0xfe, b'x']);
    assert_eq!(send(&site, post_req(&url, raw, [10, 0, 0, 1])).await.status, 400);
    let f = format!("name=A&csrf={csrf}&ts={ts}&body=%C3%28");
    assert_eq!(send(&site, post_req(&url, f, [10, 0, 0, 1])).await.status, 400);
    // Missing fields: 400; no such article: 404.
    let f = form(&[("name", ""), ("body", "b"), ("csrf", &csrf), ("ts", &ts)]);
    assert_eq!(send(&site, post_req(&url, f, [10, 0, 0, 1])).await.status, 400);
    let f = form(&[("name", "A"), ("body", "b"), ("csrf", &csrf), ("ts", &ts)]);
    let res = send(&site, post_req("/articles/no-such-article/comments", f, [10, 0, 0, 1])).await;
    assert_eq!(res.status, 404);
    assert!(store.comments(TSLA_2020).await.expect("comments").is_empty());
}

#[tokio::test]
async fn the_form_must_be_at_least_two_seconds_old() {
    let start = now().as_second();
    let clock = Arc::new(AtomicI64::new(start));
    let c = Arc::clone(&clock);
    let mut opts = open_options();
    opts.comments.min_delay = CommentOptions::default().min_delay;
    opts.clock = Clock::from_fn(move || {
        Timestamp::from_second(c.load(Ordering::SeqCst)).expect("timestamp")
    });
    let TestSite { site, store, _dir } = site_with(opts).await;
    let (csrf, ts) = tokens(&site).await;
    let url = format!("{}/comments", path());
    let f = form(&[("name", "A"), ("body", "quick"), ("csrf", &csrf), ("ts", &ts)]);
    clock.store(start + 1, Ordering::SeqCst);
    assert_eq!(send(&site, post_req(&url, f.clone(), [10, 0, 0, 1])).await.status, 400);
    clock.store(start + 2, Ordering::SeqCst);
    assert_eq!(send(&site, post_req(&url, f, [10, 0, 0, 1])).await.status, 303);
    assert_eq!(store.comments(TSLA_2020).await.expect("comments").len(), 1);
}

#[tokio::test]
async fn rate_limits_answer_429_with_retry_after() {
    // The defaults: 2 a minute from one address (Isso's).
    let TestSite { site, _dir, .. } = site_with(SiteOptions {
        comments: CommentOptions {
            min_delay: Duration::ZERO,
            rate_per_article: Rate::per_minute(3),
            ..CommentOptions::default()
        },
        ..options()
    })
    .await;
    assert_eq!(comment(&site, "A", "one", [10, 0, 0, 1]).await.status, 303);
    assert_eq!(comment(&site, "A", "two", [10, 0, 0, 1]).await.status, 303);
    let res = comment(&site, "A", "three", [10, 0, 0, 1]).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.header("retry-after"), "60");
    // Another address may post, until the article's own limit (3 a minute here).
    assert_eq!(comment(&site, "B", "four", [10, 0, 0, 2]).await.status, 303);
    let res = comment(&site, "C", "five", [10, 0, 0, 3]).await;
    assert_eq!(res.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(res.header("retry-after"), "60");
}

#[tokio::test]
async fn links_words_and_premoderation_hold_comments_for_the_queue() {
    let mut opts = open_options();
    opts.comments.words = vec!["casino".to_owned()];
    let TestSite { site, store, _dir } = site_with(opts).await;
    let links = "a https://a.example b https://b.example c https://c.example";
    let res = comment(&site, "Spammer", links, [10, 0, 0, 1]).await;
    assert_eq!(res.status, 303);
    assert!(res.header("location").contains("held=1"));
    let notice = get(&site, res.header("location")).await;
    assert_eq!(notice.status, 200);
    assert!(notice.body.contains("awaits moderation"));
    assert!(!get(&site, &path()).await.body.contains("awaits moderation"));
    assert_eq!(comment(&site, "Spammer", "Best CASINO bonus", [10, 0, 0, 1]).await.status, 303);
    assert_eq!(
        comment(&site, "Fine", "two links https://a.example https://b.example", [10, 0, 0, 1])
            .await
            .status,
        303
    );
    assert_eq!(store.comments(TSLA_2020).await.expect("comments").len(), 1);
    assert_eq!(store.comment_queue(100).await.expect("queue").len(), 2);
    let page = get(&site, &path()).await;
    assert!(!page.body.contains("Spammer"));

    let mut opts = open_options();
    opts.comments.premoderate = true;
    let TestSite { site, store, _dir } = site_with(opts).await;
    assert_eq!(comment(&site, "A", "hello", [10, 0, 0, 1]).await.status, 303);
    assert!(store.comments(TSLA_2020).await.expect("comments").is_empty());
    assert_eq!(store.comment_queue(100).await.expect("queue").len(), 1);
}

#[tokio::test]
async fn moderators_log_in_approve_delete_and_ban() {
    let mut opts = open_options();
    opts.comments.premoderate = true;
    let TestSite { site, store, _dir } = site_with(opts).await;
    let admin = get(&site, "/admin").await;
    assert_eq!(admin.status, 200);
    assert!(admin.body.contains("No admin password is set"));
    assert!(admin.header("cache-control").contains("no-store"));
    store
        .set_admin_password_hash(&hash_password("correct horse").expect("hash"))
        .await
        .expect("set");
    let csrf = input(&get(&site, "/admin").await.body, "csrf");
    let login = |pw: &str| {
        let f = form(&[("password", pw), ("csrf", &csrf)]);
        post_req("/admin/login", f, [10, 9, 9, 9])
    };
    assert_eq!(send(&site, login("wrong")).await.status, 403);
    let res = send(&site, login("correct horse")).await;
    assert_eq!(res.status, 303);
    let set = res.header("set-cookie");
    for attr in ["HttpOnly", "Secure", "SameSite=Strict", "Path=/admin"] {
        assert!(set.contains(attr), "{attr} in {set}");
    }
    let cookie = cookie_of(&res);
    let with_cookie = |mut req: Request<Body>| {
        req.headers_mut().insert(header::COOKIE, cookie.parse().expect("cookie"));
        req
    };

    assert_eq!(comment(&site, "Held", "first", [10, 0, 0, 1]).await.status, 303);
    assert_eq!(comment(&site, "Troll", "second", [10, 0, 0, 66]).await.status, 303);
    let queue = store.comment_queue(10).await.expect("queue");
    let (held, troll) = (queue[0].id, queue[1].id);
    let page =
        send(&site, with_cookie(Request::get("/admin").body(Body::empty()).expect("req"))).await;
    assert!(page.body.contains("Held") && page.body.contains("Troll"));
    // Without the session, moderation is refused.
    let f = form(&[("csrf", &csrf)]);
    let res =
        send(&site, post_req(&format!("/admin/comments/{held}/approve"), f.clone(), [10, 9, 9, 9]))
            .await;
    assert_eq!(res.status, 403);
    let res = send(
        &site,
        with_cookie(post_req(&format!("/admin/comments/{held}/approve"), f.clone(), [10, 9, 9, 9])),
    )
    .await;
    assert_eq!(res.status, 303);
    let article = get(&site, &path()).await;
    assert!(article.body.contains("Held") && article.body.contains("1 comment"));
    let res = send(
        &site,
        with_cookie(post_req(&format!("/admin/comments/{troll}/ban"), f.clone(), [10, 9, 9, 9])),
    )
    .await;
    assert_eq!(res.status, 303);
    assert_eq!(comment(&site, "Troll", "again", [10, 0, 0, 66]).await.status, 403);
    // A reader reports the shown comment; it comes back to the queue; deleting removes it.
    let (csrf_page, _) = tokens(&site).await;
    let f2 = form(&[("csrf", &csrf_page)]);
    let res =
        send(&site, post_req(&format!("{}/comments/{held}/report", path()), f2, [10, 0, 0, 5]))
            .await;
    assert_eq!(res.status, 303);
    let queue = store.comment_queue(10).await.expect("queue");
    assert_eq!(queue.iter().map(|c| (c.id, c.reports)).collect::<Vec<_>>(), vec![(held, 1)]);
    let res = send(
        &site,
        with_cookie(post_req(&format!("/admin/comments/{held}/delete"), f, [10, 9, 9, 9])),
    )
    .await;
    assert_eq!(res.status, 303);
    let article = get(&site, &path()).await;
    assert!(!article.body.contains("Held") && article.body.contains("No comments yet"));
}

/// Vectors from the OWASP XSS Filter Evasion Cheat Sheet (and its classic variants).
const XSS: &[&str] = &[
    "<SCRIPT SRC=https://cdn.jsdelivr.net/gh/Moksh45/host-xss.rocks/index.js></SCRIPT>",
    "javascript:/*--></title></style></textarea></script></xmp><svg/onload='+/\"/+/onmouseover=1/+/[*/[]/+alert(1)//'>",
    "<IMG SRC=\"javascript:alert('XSS');\">",
    "<IMG SRC=javascript:alert('XSS')>",
    "<IMG SRC=JaVaScRiPt:alert('XSS')>",
    "<IMG SRC=javascript:alert(&quot;XSS&quot;)>",
    "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
    "<a onmouseover=\"alert(document.cookie)\">xxs link</a>",
    "<a onmouseover=alert(document.cookie)>xxs link</a>",
    "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
    "<IMG SRC=javascript:alert(String.fromCharCode(88,83,83))>",
    "<IMG SRC=# onmouseover=\"alert('xxs')\">",
    "<IMG SRC= onmouseover=\"alert('xxs')\">",
    "<IMG onmouseover=\"alert('xxs')\">",
    "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
    "<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">",
    "<IMG SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
    "<IMG SRC=&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041>",
    "<IMG SRC=&#x6A&#x61&#x76&#x61&#x73&#x63&#x72&#x69&#x70&#x74&#x3A&#x61&#x6C&#x65&#x72&#x74&#x28&#x27&#x58&#x53&#x53&#x27&#x29>",
    "<IMG SRC=\"jav\tascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
    "<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">",
    "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
    "<SCRIPT/XSS SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
    "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
    "<SCRIPT/SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
    "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
    "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
    "<SCRIPT SRC=//xss.rocks/.j>",
    "<IMG SRC=\"`<javascript:alert>`('XSS')\"",
    "<iframe src=http://xss.rocks/scriptlet.html <",
    "\\\";alert('XSS');//",
    "</script><script>alert('XSS');</script>",
    "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
    "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
    "<BODY BACKGROUND=\"javascript:alert('XSS')\">",
    "<IMG DYNSRC=\"javascript:alert('XSS')\">",
    "<IMG LOWSRC=\"javascript:alert('XSS')\">",
    "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
    "<IMG SRC='vbscript:msgbox(\"XSS\")'>",
    "<svg/onload=alert('XSS')>",
    "<BODY ONLOAD=alert('XSS')>",
    "<BGSOUND SRC=\"javascript:alert('XSS');\">",
    "<BR SIZE=\"&{alert('XSS')}\">",
    "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
    "<STYLE>@import'http://xss.rocks/xss.css';</STYLE>",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">",
    "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
    "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
    "<IFRAME SRC=# onmouseover=\"alert(document.cookie)\"></IFRAME>",
    "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
    "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
    "<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">",
    "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
    "<DIV STYLE=\"width: expression(alert('XSS'));\">",
    "<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">",
    "<STYLE TYPE=\"text/javascript\">alert('XSS');</STYLE>",
    "<BASE HREF=\"javascript:alert('XSS');//\">",
    "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.rocks/scriptlet.html\"></OBJECT>",
    "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH A6Ly93d3cudzMub3JnLzIwMDAvc3ZnIiB4bWxucz0iaHR0cDovL3d3dy53My5vcmcv MjAwMC9zdmciIHhtbG5zOnhsaW5rPSJodHRwOi8vd3d3LnczLm9yZy8xOTk5L3hs aW5rIiB2ZXJzaW9uPSIxLjAiIHg9IjAiIHk9IjAiIHdpZHRoPSIxOTQiIGhlaWdodD0iMjAw IiBpZD0ieHNzIj48c2NyaXB0IHR5cGU9InRleHQvZWNtYXNjcmlwdCI+YWxlcnQoIlh TUyIpOzwvc2NyaXB0Pjwvc3ZnPg==\" type=\"image/svg+xml\" AllowScriptAccess=\"always\"></EMBED>",
    "<SCRIPT a=\">\" SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>",
    "<SCRIPT \"a='>'\" SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>",
    "<A HREF=\"http://%77%77%77%2E%67%6F%6F%67%6C%65%2E%63%6F%6D\">XSS</A>",
    "<A HREF=\"javascript:document.location='http://www.google.com/'\">XSS</A>",
    "<a href=\"jAvAsCrIpT&colon;alert(1)\">X</a>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](&#x6A;avascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[click](vbscript:msgbox(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[a](<javascript:alert(1)>)",
    "[ref]\n\n[ref]: javascript:alert(1)",
    "<details open ontoggle=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">",
    "`<script>alert(1)</script>` and ```\n<script>alert(2)</script>\n```",
];

/// The start tags of an HTML document (name lower-cased, raw attribute text), skipping text,
/// comments and what is inside quotes.
fn start_tags(html: &str) -> Vec<(String, String)> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'<' && i + 1 < b.len() && b[i + 1].is_ascii_alphabetic() {
            let mut j = i + 1;
            while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' && b[j] != b'/' {
                j += 1;
            }
            let name = html[i + 1..j].to_ascii_lowercase();
            let mut quote = None;
            let mut k = j;
            while k < b.len() {
                match (quote, b[k]) {
                    (None, b'"' | b'\'') => quote = Some(b[k]),
                    (Some(q), c) if c == q => quote = None,
                    (None, b'>') => break,
                    _ => {}
                }
                k += 1;
            }
            out.push((name, html[j..k.min(b.len())].to_owned()));
            i = k;
        } else {
            i += 1;
        }
    }
    out
}

/// Attribute names and values of a start tag's attribute text.
fn attributes(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = text.trim_start_matches('/').trim();
    while !rest.is_empty() {
        let end =
            rest.find(|c: char| c == '=' || c.is_whitespace() || c == '/').unwrap_or(rest.len());
        let name = rest[..end].to_ascii_lowercase();
        rest = rest[end..].trim_start();
        let mut value = String::new();
        if let Some(r) = rest.strip_prefix('=') {
            let r = r.trim_start();
            let (v, after) = match r.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let close = r[1..].find(q).map_or(r.len(), |p| p + 1);
                    (&r[1..close], r.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let e = r.find(char::is_whitespace).unwrap_or(r.len());
                    (&r[..e], &r[e..])
                }
            };
            value = v.to_owned();
            rest = after.trim_start();
        } else if end == 0 {
            rest = &rest[1..];
        }
        if !name.is_empty() {
            out.push((name, value));
        }
    }
    out
}

/// A URL value as a browser would read its scheme: entities decoded, control and space gone.
fn scheme_text(v: &str) -> String {
    v.replace("&colon;", ":")
        .replace("&#58;", ":")
        .replace("&#x3a;", ":")
        .replace("&#x3A;", ":")
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

#[tokio::test]
async fn owasp_xss_vectors_leave_no_script_handler_or_javascript_url() {
    assert!(XSS.len() >= 50, "{} vectors", XSS.len());
    let TestSite { site, store, _dir } = site_with(open_options()).await;
    for (i, v) in XSS.iter().enumerate() {
        let res = comment(&site, &format!("<script>alert({i})</script>"), v, [10, 1, 0, 1]).await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "vector {i}: {v}");
    }
    let kept = store.comments(TSLA_2020).await.expect("comments").len()
        + store.comment_queue(1000).await.expect("queue").len();
    assert_eq!(kept, XSS.len());
    // Approve the held ones (too many links) so every vector is on the page.
    for c in store.comment_queue(1000).await.expect("queue") {
        store
            .set_comment_status(c.id, marketdesk_store::CommentStatus::Approved)
            .await
            .expect("approve");
    }
    site.refresh().await.expect("refresh");
    let page = get(&site, &path()).await;
    let feed = get(&site, &format!("{}/comments/atom.xml", path())).await;
    assert!(page.body.contains(&format!("{} comments", XSS.len())), "all shown");
    let mut enhancement_scripts = 0;
    for (name, attrs) in start_tags(&page.body) {
        if name == "script" && attrs.trim_start().starts_with("src=\"/static/comments.js?v=") {
            // The page's own same-origin enhancement script, outside the comments.
            enhancement_scripts += 1;
        } else if name == "script" {
            assert!(attrs.contains("type=\"application/ld+json\""), "a script element: {attrs}");
        }
        for (attr, value) in attributes(&attrs) {
            assert!(!attr.starts_with("on"), "an event handler: <{name} {attrs}>");
            assert!(attr != "style", "a style attribute: <{name} {attrs}>");
            let v = scheme_text(&value);
            for bad in ["javascript:", "vbscript:", "data:"] {
                assert!(!v.starts_with(bad), "a {bad} URL: <{name} {attrs}>");
            }
        }
    }
    assert_eq!(enhancement_scripts, 1, "exactly the page's own script");
    // Inside the comments only the Markdown subset's elements (and the forms) appear.
    let start = page.body.find("class=\"comment-list\"").expect("comment list");
    let end = page.body.find("<label for=\"c-name\">").expect("main form");
    let allowed = [
        "li",
        "p",
        "strong",
        "a",
        "time",
        "div",
        "em",
        "code",
        "pre",
        "blockquote",
        "ul",
        "ol",
        "br",
        "del",
        "details",
        "summary",
        "form",
        "input",
        "label",
        "span",
        "textarea",
        "button",
    ];
    for (name, attrs) in start_tags(&page.body[start..end]) {
        assert!(allowed.contains(&name.as_str()), "a <{name}> element in a comment: {attrs}");
        if name == "a" && attrs.contains("href=\"http") {
            assert!(attrs.contains("rel=\"nofollow ugc noopener\""), "{attrs}");
        }
    }
    assert_eq!(feed.status, 200);
    assert!(!feed.body.contains("<script"), "the feed escapes its HTML content");
}

/// One HTTP/1.1 POST over a fresh connection; the status code.
async fn raw_post(addr: SocketAddr, path: &str, body: &str) -> u16 {
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/x-www-form-urlencoded\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(req.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.expect("read");
    let text = String::from_utf8_lossy(&answer);
    text.split(' ').nth(1).and_then(|s| s.parse().ok()).unwrap_or(0)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_comments_over_loopback_are_all_kept_once_in_order() {
    const POSTERS: usize = 50;
    const EACH: usize = 20;
    // Requests wait their turn for the store's few connections: on a loaded machine the last
    // may wait longer than the site's 10 s timeout, which is not what this test is about.
    let options = SiteOptions { request_timeout: Duration::from_secs(600), ..open_options() };
    let TestSite { site, store, _dir } = site_with(options).await;
    let (csrf, ts) = tokens(&site).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    let app = router(site.clone()).into_make_service_with_connect_info::<SocketAddr>();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let url = format!("{}/comments", path());
    let mut tasks = Vec::new();
    for p in 0..POSTERS {
        let (csrf, ts, url) = (csrf.clone(), ts.clone(), url.clone());
        tasks.push(tokio::spawn(async move {
            let mut statuses = Vec::new();
            // Each poster posts in sequence, so its comments have an order to keep.
            for n in 0..EACH {
                let f = form(&[
                    ("name", &format!("poster-{p}")),
                    ("body", &format!("comment p{p}n{n} end")),
                    ("csrf", &csrf),
                    ("ts", &ts),
                ]);
                statuses.push(raw_post(addr, &url, &f).await);
            }
            statuses
        }));
    }
    for t in tasks {
        let statuses = t.await.expect("poster");
        assert!(statuses.iter().all(|s| *s == 303), "{statuses:?}");
    }
    let page = get(&site, &path()).await;
    assert!(page.body.contains(&format!("{} comments", POSTERS * EACH)));
    let stored = store.comments(TSLA_2020).await.expect("comments");
    assert_eq!(stored.len(), POSTERS * EACH);
    for p in 0..POSTERS {
        let mut last = 0;
        for n in 0..EACH {
            let needle = format!("comment p{p}n{n} end");
            assert_eq!(page.body.matches(&needle).count(), 1, "{needle} exactly once");
            let at = page.body.find(&needle).expect("shown");
            assert!(at > last, "{needle} after the poster's earlier comments");
            last = at;
        }
    }
    // The page shows them in the order they were accepted (the store's order).
    let ids: Vec<i64> = stored.iter().map(|c| c.id).collect();
    assert!(ids.windows(2).all(|w| w[0] < w[1]));
    let mut last = 0;
    for c in &stored {
        let at = page.body.find(&format!("id=\"c{}\"", c.id)).expect("shown");
        assert!(at > last, "comment {} out of order", c.id);
        last = at;
    }
    server.abort();
}

/// Two `serve` nodes over one store, as behind a load balancer: a session started on one is
/// good on the other until either ends it, and both count one address's comments together.
#[tokio::test]
async fn sessions_and_rate_limits_are_shared_by_every_node() {
    let node_options = || SiteOptions {
        comments: CommentOptions { min_delay: Duration::ZERO, ..CommentOptions::default() },
        ..options()
    };
    let TestSite { site: a, store, _dir } = site_with(node_options()).await;
    let b = Site::new(store.clone(), node_options()).expect("second node");
    b.refresh().await.expect("refresh");
    let (cookie, csrf) = log_in_as_admin(&a, &store).await;
    let admin =
        || Request::get("/admin").header(header::COOKIE, cookie.as_str()).body(Body::empty());
    let on_b = send(&b, admin().expect("req")).await;
    assert!(on_b.body.contains("Log out"), "the session holds on the other node");
    let mut logout = post_req("/admin/logout", form(&[("csrf", &csrf)]), [10, 9, 9, 9]);
    logout.headers_mut().insert(header::COOKIE, cookie.parse().expect("cookie"));
    assert_eq!(send(&b, logout).await.status, 303);
    let on_a = send(&a, admin().expect("req")).await;
    assert!(!on_a.body.contains("Log out"), "logged out everywhere");

    // The default 2 a minute per address, counted across nodes.
    assert_eq!(comment(&a, "One", "first", [10, 0, 0, 7]).await.status, 303);
    assert_eq!(comment(&b, "Two", "second", [10, 0, 0, 7]).await.status, 303);
    let third = comment(&a, "Three", "third", [10, 0, 0, 7]).await;
    assert_eq!(third.status, 429);
    assert!(third.header("retry-after").parse::<u64>().is_ok_and(|s| s > 0));
    assert_eq!(comment(&b, "Other", "another reader", [10, 0, 0, 8]).await.status, 303);
}

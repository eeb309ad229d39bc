//! The newsletter against a real SMTP server on loopback (aiosmtpd, delivering into a Maildir):
//! sign-up through the form, the confirmation mail and its link, an issue with both parts and
//! the RFC 8058 headers, links that work against the site, one-click unsubscribe, the send log
//! across an interrupted run, the abuse limits, and the bounce webhook.

mod support;

use std::time::{Duration, Instant};

use axum::{
    body::Body,
    http::{Request, StatusCode, header},
};
use base64::Engine as _;
use marketdesk_store::{Cadence, SubscriberStatus};
use marketdesk_web::{MailOptions, NewsletterSettings, Site, SiteOptions, SmtpConfig};
use support::{
    Got, HandClock, TestSite, form, get, input, options, post_req, send, site_with,
    smtp::{Mail, SmtpSink},
};

const BOUNCE_TOKEN: &str = "bounce-secret";

fn site_options(clock: &HandClock, smtp: Option<SmtpConfig>) -> SiteOptions {
    SiteOptions {
        clock: clock.clock(),
        mail: MailOptions {
            smtp,
            from: "marketdesk <news@md.example>".to_owned(),
            ..MailOptions::default()
        },
        newsletter: NewsletterSettings {
            options: marketdesk_newsletter::Options {
                unsubscribe_mailto: Some("unsubscribe@md.example".to_owned()),
                postal_address: Some("1 Market St, New York, NY".to_owned()),
                ..marketdesk_newsletter::Options::default()
            },
            bounce_token: Some(BOUNCE_TOKEN.to_owned()),
            dkim: None,
        },
        ..options()
    }
}

/// Fills in and posts the sign-up form of `page_path` from `ip`, waiting the form's minimum
/// age on the hand clock first.
async fn sign_up(
    site: &Site,
    clock: &HandClock,
    page_path: &str,
    email: &str,
    cadence: &str,
    ip: [u8; 4],
) -> Got {
    sign_up_via(site, clock, page_path, email, cadence, ip, None).await
}

/// [`sign_up`] through a proxy at `ip` that sends `forwarded` as X-Forwarded-For.
async fn sign_up_via(
    site: &Site,
    clock: &HandClock,
    page_path: &str,
    email: &str,
    cadence: &str,
    ip: [u8; 4],
    forwarded: Option<&str>,
) -> Got {
    let page = get(site, page_path).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("action=\"/newsletter/subscribe\""),
        "no sign-up box on {page_path}"
    );
    let (csrf, ts) = (input(&page.body, "csrf"), input(&page.body, "ts"));
    clock.advance(3);
    let f = form(&[
        ("email", email),
        ("cadence", cadence),
        ("csrf", &csrf),
        ("ts", &ts),
        ("website", ""),
    ]);
    let mut req = post_req("/newsletter/subscribe", f, ip);
    if let Some(f) = forwarded {
        req.headers_mut().insert("x-forwarded-for", f.parse().expect("header"));
    }
    send(site, req).await
}

/// The decoded parts of a multipart message: (content type, text).
fn parts(mail: &Mail) -> Vec<(String, String)> {
    let ct = mail.header("content-type");
    let boundary = ct
        .split("boundary=")
        .nth(1)
        .map(|b| b.trim_matches('"').split(';').next().unwrap_or("").trim_matches('"').to_owned())
        .expect("a multipart message");
    let raw = mail.body.replace("\r\n", "\n");
    raw.split(&format!("--{boundary}"))
        .filter_map(|chunk| {
            let (head, body) = chunk.trim_start_matches('\n').split_once("\n\n")?;
            let head_l = head.to_ascii_lowercase();
            let ctype =
                head_l.lines().find_map(|l| l.strip_prefix("content-type:"))?.trim().to_owned();
            let text = if head_l.contains("base64") {
                let joined: String = body.split_whitespace().collect();
                let bytes =
                    base64::engine::general_purpose::STANDARD.decode(joined).expect("base64 part");
                String::from_utf8(bytes).expect("utf-8 part")
            } else if head_l.contains("quoted-printable") {
                support::smtp::quoted_printable(body)
            } else {
                body.to_owned()
            };
            Some((ctype, text))
        })
        .collect()
}

/// The path of the first `https://md.example/...` link starting with `prefix` in `text`.
fn link(text: &str, prefix: &str) -> String {
    let needle = format!("https://md.example{prefix}");
    let start = text.find(&needle).unwrap_or_else(|| panic!("no {needle} link in {text}"));
    text[start + "https://md.example".len()..]
        .split(|c: char| c.is_whitespace() || matches!(c, '"' | '<' | '>'))
        .next()
        .expect("link")
        .to_owned()
}

/// The confirmation link of the latest confirmation mail to `to` (Maildir file names do not
/// sort by arrival; the tokens' issue times do).
fn latest_confirmation(sink: &SmtpSink, to: &str) -> String {
    let issued = |path: &str| -> i64 {
        let token = path.rsplit('/').next().unwrap_or_default();
        token.split('-').nth(2).and_then(|s| s.parse().ok()).unwrap_or_default()
    };
    sink.messages()
        .iter()
        .filter(|m| m.header("to").eq_ignore_ascii_case(to))
        .filter(|m| m.header("subject").starts_with("Confirm your"))
        .map(|m| link(&m.body, "/newsletter/confirm/"))
        .max_by_key(|p| issued(p))
        .expect("a confirmation mail")
}

async fn confirm_all(site: &Site) -> usize {
    let (sent, failed, pending) =
        site.newsletter().send_confirmations().await.expect("confirmations");
    assert_eq!((failed, pending), (0, 0));
    usize::try_from(sent).expect("count")
}

#[tokio::test]
async fn sign_up_confirm_receive_an_issue_and_unsubscribe_in_one_click() {
    let sink = SmtpSink::start();
    let clock = HandClock::new();
    let TestSite { site, store, _dir } = site_with(site_options(&clock, Some(sink.config()))).await;

    // The footer box is on pages without their own; the newsletter page has the form.
    let res = sign_up(&site, &clock, "/sectors", "Ann@Example.com", "weekly", [10, 0, 0, 1]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    assert_eq!(res.header("location"), "/newsletter?status=check");
    let sub = store.subscriber_by_email("ann@example.com").await.expect("store").expect("recorded");
    assert_eq!((sub.status, sub.cadence), (SubscriberStatus::Pending, Cadence::Weekly));
    assert!(get(&site, "/newsletter?status=check").await.body.contains("Check your inbox"));

    // The confirmation mail, and its link confirming at once.
    assert_eq!(confirm_all(&site).await, 1);
    let mails = sink.messages();
    assert_eq!(mails.len(), 1);
    let confirmation = mails.first().expect("the confirmation mail");
    assert_eq!(confirmation.header("to"), "Ann@Example.com");
    assert_eq!(confirmation.header("subject"), "Confirm your marketdesk subscription");
    let confirm = link(&confirmation.body, "/newsletter/confirm/");
    let page = get(&site, &confirm).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("You&#39;re subscribed") || page.body.contains("You're subscribed"),
        "{}",
        page.body
    );
    let sub = store.subscriber(sub.id).await.expect("store").expect("there");
    assert_eq!(sub.status, SubscriberStatus::Confirmed);
    // A second click says so and changes nothing.
    let again = get(&site, &confirm).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.body.contains("Already confirmed"));

    // The weekly issue: an hour after the fixture's articles and filings arrived.
    clock.advance(3600);
    let report = site.newsletter().send(Cadence::Weekly, clock.now(), false).await.expect("send");
    assert_eq!((report.recipients, report.sent, report.failed), (1, 1, 0), "{report:?}");
    let mails = sink.messages();
    assert_eq!(mails.len(), 2);
    // Maildir file names do not sort by arrival: find the issue by its subject.
    let issue = mails
        .iter()
        .find(|m| m.header("subject").starts_with("Weekly briefing"))
        .expect("the issue");
    assert_eq!(issue.header("to"), "Ann@Example.com");
    assert!(issue.header("subject").starts_with("Weekly briefing"), "{}", issue.header("subject"));
    assert!(issue.header("content-type").starts_with("multipart/alternative"));
    assert!(
        issue
            .header("message-id")
            .starts_with(&format!("<{}.{}@md.example>", report.issue, sub.id))
    );
    assert_eq!(issue.header("list-unsubscribe-post"), "List-Unsubscribe=One-Click");
    let list_unsub = issue.header("list-unsubscribe");
    assert!(list_unsub.starts_with("<https://md.example/newsletter/unsubscribe/"), "{list_unsub}");
    assert!(
        list_unsub.contains("<mailto:unsubscribe@md.example?subject=unsubscribe%20"),
        "{list_unsub}"
    );
    let parts = parts(issue);
    let text = &parts.iter().find(|(t, _)| t.starts_with("text/plain")).expect("a text part").1;
    let html = &parts.iter().find(|(t, _)| t.starts_with("text/html")).expect("an HTML part").1;
    for part in [text, html] {
        assert!(part.contains("TOP STORIES") || part.contains("Top stories"), "{part}");
        assert!(part.contains("Generated by AI Agent"), "{part}");
        assert!(part.contains("1 Market St, New York, NY"));
    }
    assert!(text.contains("SMART MONEY") && text.contains("Largest insider buys"), "{text}");
    assert!(html.contains("<table") && !html.contains("<script"), "mail HTML: tables, no scripts");

    // Every link in the issue works against the running site.
    let header_url = list_unsub.trim_start_matches('<').split('>').next().expect("url");
    let unsubscribe = link(text, "/newsletter/unsubscribe/");
    assert_eq!(format!("https://md.example{unsubscribe}"), header_url, "body and header agree");
    let view = link(text, "/newsletter/archive/");
    let archived = get(&site, &view).await;
    assert_eq!(archived.status, StatusCode::OK);
    assert!(archived.body.contains("Top stories"));
    assert!(
        !archived.body.contains("/newsletter/unsubscribe/"),
        "no one's own link in the public copy"
    );
    assert!(archived.header("content-security-policy").contains("style-src 'unsafe-inline'"));
    let article = link(text, "/articles/");
    assert_eq!(get(&site, &article).await.status, StatusCode::OK);
    let archive = get(&site, "/newsletter/archive").await;
    assert!(archive.body.contains(&view), "the archive lists the issue");
    let feed = get(&site, "/newsletter/feed.xml").await;
    assert!(feed.body.contains(&format!("https://md.example{view}")), "{}", feed.body);

    // Sending again sends nobody the issue twice.
    let again = site.newsletter().send(Cadence::Weekly, clock.now(), false).await.expect("send");
    assert_eq!((again.recipients, again.sent, again.log.sent), (0, 0, 1));
    assert_eq!(sink.messages().len(), 2);

    // The GET shows one button; a mail client's one-click POST, with no cookie, unsubscribes.
    let page = get(&site, &unsubscribe).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains(&format!("action=\"{unsubscribe}\"")), "{}", page.body);
    assert_eq!(
        store.subscriber(sub.id).await.expect("store").expect("there").status,
        SubscriberStatus::Confirmed
    );
    let one_click = Request::post(&unsubscribe)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("List-Unsubscribe=One-Click"))
        .expect("request");
    let res = send(&site, one_click).await;
    assert_eq!(res.status, StatusCode::OK);
    assert!(res.header("set-cookie").is_empty());
    assert_eq!(
        store.subscriber(sub.id).await.expect("store").expect("there").status,
        SubscriberStatus::Unsubscribed
    );
    // The old confirmation link, reopened, does not undo the unsubscribe.
    let reopened = get(&site, &confirm).await;
    assert_eq!(reopened.status, StatusCode::GONE, "{}", reopened.body);
    assert_eq!(
        store.subscriber(sub.id).await.expect("store").expect("there").status,
        SubscriberStatus::Unsubscribed
    );
    // Changed their mind: signing up again takes a new confirmation, then mail resumes.
    let res =
        sign_up(&site, &clock, "/newsletter", "ann@example.com", "daily", [10, 0, 0, 2]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(
        store.subscriber(sub.id).await.expect("store").expect("there").status,
        SubscriberStatus::Unsubscribed,
        "nothing changes before the link is followed"
    );
    assert_eq!(confirm_all(&site).await, 1);
    let newest = latest_confirmation(&sink, "ann@example.com");
    assert_eq!(get(&site, &newest).await.status, StatusCode::OK);
    let back = store.subscriber(sub.id).await.expect("store").expect("there");
    assert_eq!((back.status, back.cadence), (SubscriberStatus::Confirmed, Cadence::Daily));
    // A forged link does nothing.
    let forged = unsubscribe.replacen(&sub.id.to_string(), &(sub.id + 1).to_string(), 1);
    assert_eq!(
        send(&site, Request::post(&forged).body(Body::empty()).expect("req")).await.status,
        StatusCode::BAD_REQUEST
    );
}

#[tokio::test]
async fn stale_forged_hasty_and_abusive_sign_ups_are_refused() {
    let sink = SmtpSink::start();
    let clock = HandClock::new();
    let TestSite { site, store, _dir } = site_with(site_options(&clock, Some(sink.config()))).await;

    // The honeypot: answered like a success, nothing stored.
    let page = get(&site, "/newsletter").await;
    let (csrf, ts) = (input(&page.body, "csrf"), input(&page.body, "ts"));
    clock.advance(3);
    let bot = form(&[
        ("email", "bot@example.com"),
        ("cadence", "daily"),
        ("csrf", &csrf),
        ("ts", &ts),
        ("website", "http://spam"),
    ]);
    assert_eq!(
        send(&site, post_req("/newsletter/subscribe", bot, [10, 9, 9, 9])).await.status,
        StatusCode::SEE_OTHER
    );
    assert!(store.subscriber_by_email("bot@example.com").await.expect("store").is_none());
    // Too quick, bad token, bad address.
    let page = get(&site, "/newsletter").await;
    let (csrf, ts) = (input(&page.body, "csrf"), input(&page.body, "ts"));
    let quick = form(&[("email", "q@example.com"), ("csrf", &csrf), ("ts", &ts), ("website", "")]);
    assert_eq!(
        send(&site, post_req("/newsletter/subscribe", quick, [10, 9, 9, 9])).await.status,
        StatusCode::BAD_REQUEST
    );
    clock.advance(3);
    let forged =
        form(&[("email", "q@example.com"), ("csrf", "nope"), ("ts", &ts), ("website", "")]);
    assert_eq!(
        send(&site, post_req("/newsletter/subscribe", forged, [10, 9, 9, 9])).await.status,
        StatusCode::FORBIDDEN
    );
    for bad in [
        "",
        "no-at-sign",
        "a@b",
        "two@@example.com",
        "a b@example.com",
        "x@example.com\r\nBcc: y@example.com",
    ] {
        let f = form(&[("email", bad), ("csrf", &csrf), ("ts", &ts), ("website", "")]);
        let res = send(&site, post_req("/newsletter/subscribe", f, [10, 9, 9, 9])).await;
        assert_eq!(res.status, StatusCode::BAD_REQUEST, "{bad:?}");
    }
    assert!(store.subscribers().await.expect("store").is_empty());

    // No mail-bombing one address: three confirmation mails a day at most, the same answer
    // every time.
    for _ in 0..5 {
        let res =
            sign_up(&site, &clock, "/newsletter", "victim@example.com", "daily", [10, 0, 0, 7])
                .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER);
    }
    assert_eq!(confirm_all(&site).await, 3);
    // Nor from one network: ten a day; the rest answered 429.
    let mut refused = 0;
    for i in 0..12 {
        let res = sign_up(
            &site,
            &clock,
            "/newsletter",
            &format!("n{i}@example.com"),
            "daily",
            [10, 0, 0, 8],
        )
        .await;
        if res.status == StatusCode::TOO_MANY_REQUESTS {
            assert!(!res.header("retry-after").is_empty());
            refused += 1;
        }
    }
    assert_eq!(refused, 2);
    assert_eq!(confirm_all(&site).await, 10);
    // A limited network learns nothing about an address: subscribed or not, the same 429.
    let known =
        sign_up(&site, &clock, "/newsletter", "n0@example.com", "daily", [10, 0, 0, 8]).await;
    assert_eq!(known.status, StatusCode::TOO_MANY_REQUESTS);

    // Stale and forged confirmation links; an expired one offers the form again.
    let confirm = latest_confirmation(&sink, "victim@example.com");
    clock.advance(49 * 3600);
    let stale = get(&site, &confirm).await;
    assert_eq!(stale.status, StatusCode::GONE);
    assert!(stale.body.contains("action=\"/newsletter/subscribe\""));
    let forged = confirm.replacen("-d-", "-w-", 1);
    assert_eq!(get(&site, &forged).await.status, StatusCode::BAD_REQUEST);
    let v = store.subscriber_by_email("victim@example.com").await.expect("store").expect("there");
    assert_eq!(v.status, SubscriberStatus::Pending);
    // A day on, the address may ask again, and the new link works.
    let res =
        sign_up(&site, &clock, "/newsletter", "victim@example.com", "daily", [10, 0, 0, 7]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(confirm_all(&site).await, 1);
    let newest = latest_confirmation(&sink, "victim@example.com");
    assert_eq!(get(&site, &newest).await.status, StatusCode::OK);
}

async fn bounce(site: &Site, auth: Option<&str>, body: &str) -> Got {
    let mut req =
        Request::post("/newsletter/bounces").header(header::CONTENT_TYPE, "application/json");
    if let Some(a) = auth {
        req = req.header(header::AUTHORIZATION, format!("Bearer {a}"));
    }
    send(site, req.body(Body::from(body.to_owned())).expect("request")).await
}

#[tokio::test]
async fn bounces_suppress_addresses_past_the_threshold_and_no_issue_goes_to_them() {
    let sink = SmtpSink::start();
    let clock = HandClock::new();
    let TestSite { site, store, _dir } = site_with(site_options(&clock, Some(sink.config()))).await;
    let list: Vec<(String, Cadence)> = [
        "hard@example.com",
        "soft@example.com",
        "ok@example.com",
        "complains@example.com",
        "mailto@example.com",
    ]
    .iter()
    .map(|e| ((*e).to_owned(), Cadence::Daily))
    .collect();
    store.import_subscribers(&list, clock.now()).await.expect("import");

    assert_eq!(bounce(&site, None, "{}").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bounce(&site, Some("wrong"), "{}").await.status, StatusCode::UNAUTHORIZED);
    let bad =
        bounce(&site, Some(BOUNCE_TOKEN), r#"{"email": "x@example.com", "type": "angry"}"#).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.body.contains("angry"), "{}", bad.body);
    assert_eq!(bounce(&site, Some(BOUNCE_TOKEN), "not json").await.status, StatusCode::BAD_REQUEST);

    let res = bounce(
        &site,
        Some(BOUNCE_TOKEN),
        r#"{"email": "HARD@example.com", "type": "hard", "reason": "550 no such user"}"#,
    )
    .await;
    assert_eq!(res.status, StatusCode::OK, "{}", res.body);
    assert!(res.body.contains("\"suppressed\":1"), "{}", res.body);
    // Two soft bounces are under the threshold (3); the third suppresses.
    let soft = r#"[{"email": "soft@example.com", "type": "soft"}, {"recipient": "soft@example.com", "kind": "soft"}]"#;
    assert!(bounce(&site, Some(BOUNCE_TOKEN), soft).await.body.contains("\"suppressed\":0"));
    let status = |e: &'static str| {
        let store = store.clone();
        async move { store.subscriber_by_email(e).await.expect("store").expect("there").status }
    };
    assert_eq!(status("soft@example.com").await, SubscriberStatus::Confirmed);
    let third = r#"{"bounces": [{"email": "soft@example.com", "type": "soft"}, {"email": "complains@example.com", "type": "complaint"}, {"email": "mailto@example.com", "type": "unsubscribe"}]}"#;
    let res = bounce(&site, Some(BOUNCE_TOKEN), third).await;
    assert!(
        res.body.contains("\"suppressed\":2") && res.body.contains("\"unsubscribed\":1"),
        "{}",
        res.body
    );
    assert_eq!(status("hard@example.com").await, SubscriberStatus::Suppressed);
    assert_eq!(status("soft@example.com").await, SubscriberStatus::Suppressed);
    assert_eq!(status("complains@example.com").await, SubscriberStatus::Suppressed);
    assert_eq!(status("mailto@example.com").await, SubscriberStatus::Unsubscribed);

    clock.advance(3600);
    let report = site.newsletter().send(Cadence::Daily, clock.now(), false).await.expect("send");
    assert_eq!(report.sent, 1);
    let to: Vec<String> = sink.messages().iter().map(|m| m.header("to").to_owned()).collect();
    assert_eq!(to, ["ok@example.com"]);
    // A suppressed address signing up again gets no confirmation mail.
    let res =
        sign_up(&site, &clock, "/newsletter", "hard@example.com", "daily", [10, 0, 0, 1]).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    assert_eq!(confirm_all(&site).await, 0);
}

/// A site (20 mails a second) with `n` daily subscribers (`{prefix}NN@example.com`), whose
/// daily send an hour later was stopped once its first mail was through, as a shutdown drops
/// it; returns how many were sent, once the mails in flight have finished and been recorded.
async fn send_cut_short(prefix: &str, n: usize) -> (SmtpSink, HandClock, TestSite, usize) {
    let sink = SmtpSink::start();
    let clock = HandClock::new();
    let mut opts = site_options(&clock, Some(sink.config()));
    opts.newsletter.options.rate = Some(20.0);
    let test_site = site_with(opts).await;
    let store = test_site.store.clone();
    let list: Vec<(String, Cadence)> =
        (0..n).map(|i| (format!("{prefix}{i:02}@example.com"), Cadence::Daily)).collect();
    store.import_subscribers(&list, clock.now()).await.expect("import");
    clock.advance(3600);
    let newsletter = test_site.site.newsletter().clone();
    let at = clock.now();
    let run = tokio::spawn(async move { newsletter.send(Cadence::Daily, at, false).await });
    let deadline = Instant::now() + Duration::from_secs(60);
    while sink.messages().is_empty() {
        assert!(Instant::now() < deadline, "no mail within a minute");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    run.abort();
    assert!(run.await.is_err(), "stopped before it finished");
    // Mails in flight still finish: wait until the mailbox and the send log agree, for a second.
    let issue = store.latest_issue(Cadence::Daily).await.expect("store").expect("an issue");
    let (mut seen, mut since) = (None, Instant::now());
    loop {
        let sent = store.send_counts(issue.id).await.expect("counts").sent;
        let now = (sink.messages().len(), usize::try_from(sent).expect("count"));
        if seen != Some(now) || now.0 != now.1 {
            (seen, since) = (Some(now), Instant::now());
        } else if since.elapsed() >= Duration::from_secs(1) {
            break;
        }
        assert!(Instant::now() < deadline, "mailbox and log still differ: {now:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let sent = sink.messages().len();
    assert!(sent > 0 && sent < n, "{sent} sent before the stop");
    (sink, clock, test_site, sent)
}

#[tokio::test]
async fn an_interrupted_send_resumes_without_repeating_or_skipping_anyone() {
    let (sink, clock, TestSite { site, _dir, .. }, first) = send_cut_short("reader", 40).await;

    let report = site.newsletter().send(Cadence::Daily, clock.now(), false).await.expect("resume");
    assert_eq!(report.sent as usize, 40 - first, "{report:?}");
    assert_eq!((report.log.sent, report.log.pending), (40, 0));
    let mut to: Vec<String> = sink.messages().iter().map(|m| m.header("to").to_owned()).collect();
    assert_eq!(to.len(), 40, "nobody twice");
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 40, "nobody skipped");
}

#[tokio::test]
async fn two_senders_at_once_mail_each_subscriber_once() {
    let sink = SmtpSink::start();
    let clock = HandClock::new();
    let opts = site_options(&clock, Some(sink.config()));
    let TestSite { site: _site, store, _dir } = site_with(opts.clone()).await;
    let list: Vec<(String, Cadence)> =
        (0..60).map(|i| (format!("twice{i:02}@example.com"), Cadence::Daily)).collect();
    store.import_subscribers(&list, clock.now()).await.expect("import");
    clock.advance(3600);
    // Two newsletters over one store, as two `run` processes (or `newsletter send` beside one)
    // would be.
    let a = marketdesk_web::newsletter(store.clone(), &opts).expect("a");
    let b = marketdesk_web::newsletter(store.clone(), &opts).expect("b");
    let at = clock.now();
    let (ra, rb) =
        tokio::join!(a.send(Cadence::Daily, at, false), b.send(Cadence::Daily, at, false));
    let (ra, rb) = (ra.expect("a sends"), rb.expect("b sends"));
    assert_eq!(ra.sent + rb.sent, 60, "{ra:?} {rb:?}");
    let mut to: Vec<String> = sink.messages().iter().map(|m| m.header("to").to_owned()).collect();
    assert_eq!(to.len(), 60);
    to.sort();
    to.dedup();
    assert_eq!(to.len(), 60, "nobody twice");
}

#[tokio::test]
async fn behind_a_trusted_balancer_each_client_counts_for_itself() {
    let sink = SmtpSink::start();
    let clock = HandClock::new();
    let mut opts = site_options(&clock, Some(sink.config()));
    opts.trusted_proxies = vec!["10.0.0.0/8".parse().expect("cidr")];
    let TestSite { site, store: _store, _dir } = site_with(opts).await;
    // Twelve readers behind one balancer (10.0.0.250): none is refused, unlike twelve from one
    // address (the abuse test above).
    let balancer = [10, 0, 0, 250];
    for i in 0..12 {
        let (email, forwarded) =
            (format!("lb{i}@example.com"), format!("198.51.100.7, 203.0.113.{i}"));
        let res =
            sign_up_via(&site, &clock, "/newsletter", &email, "daily", balancer, Some(&forwarded))
                .await;
        assert_eq!(res.status, StatusCode::SEE_OTHER, "reader {i}");
    }
    // A client-written address further left changes nothing: the balancer's entry counts.
    let mut refused = 0;
    for i in 0..12 {
        let (email, forwarded) =
            (format!("spoof{i}@example.com"), format!("192.0.2.{i}, 203.0.113.99"));
        let res =
            sign_up_via(&site, &clock, "/newsletter", &email, "daily", balancer, Some(&forwarded))
                .await;
        refused += usize::from(res.status == StatusCode::TOO_MANY_REQUESTS);
    }
    assert_eq!(refused, 2);
}

#[tokio::test]
async fn a_send_cut_short_before_the_day_turns_is_finished_the_next_day() {
    let (sink, clock, TestSite { site, _dir, .. }, first_day) = send_cut_short("late", 20).await;

    // The next day: yesterday's rest first, then today's issue to everyone.
    clock.advance(24 * 3600);
    let report = site.newsletter().send(Cadence::Daily, clock.now(), false).await.expect("send");
    assert_eq!(report.earlier_sent as usize, 20 - first_day, "{report:?}");
    assert_eq!(report.sent, 20);
    let mut pairs: Vec<(String, String)> = sink
        .messages()
        .iter()
        .map(|m| {
            (
                m.header("to").to_owned(),
                m.header("message-id").split('.').next().unwrap_or("").to_owned(),
            )
        })
        .collect();
    assert_eq!(pairs.len(), 40, "two issues to each of 20");
    pairs.sort();
    pairs.dedup();
    assert_eq!(pairs.len(), 40, "nobody got an issue twice");
}

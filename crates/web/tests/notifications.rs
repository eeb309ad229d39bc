//! Reply notifications against a real SMTP server on loopback: Debian's `python3-aiosmtpd`,
//! started by each test with a Maildir handler, the messages read back from `MAILDIR/new/`.
//! Nothing reaches the internet, and no test measures time: the site's clock is moved by hand.

mod support;

use std::time::Duration;

use axum::http::{StatusCode, header};
use marketdesk_store::NotificationStatus;
use marketdesk_web::{CommentOptions, MailOptions, Rate, Site, SiteOptions, SmtpConfig};
use support::{
    Got, HandClock, TestSite, form, get, input, log_in_as_admin, now, options, post_req, send,
    site_with, smtp::SmtpSink,
};

const TSLA_2020: &str =
    "tesla-chief-executive-musk-buys-10-0-million-in-shares-in-first-2020-02-14";

// ---------------------------------------------------------------------------------------------
// The site

fn path() -> String {
    format!("/articles/{TSLA_2020}")
}

fn site_options(clock: &HandClock, smtp: Option<SmtpConfig>) -> SiteOptions {
    SiteOptions {
        clock: clock.clock(),
        comments: CommentOptions {
            min_delay: Duration::ZERO,
            rate_per_ip: Rate::per_minute(10_000),
            rate_per_article: Rate::per_minute(10_000),
            ..CommentOptions::default()
        },
        mail: MailOptions {
            smtp,
            from: "marketdesk <noreply@md.example>".to_owned(),
            ..MailOptions::default()
        },
        ..options()
    }
}

/// Who posts: name, email (may be empty), address.
struct Poster<'a> {
    name: &'a str,
    email: &'a str,
    ip: [u8; 4],
}

const ANN: Poster<'static> =
    Poster { name: "Ann Reader", email: "ann@example.com", ip: [10, 0, 0, 1] };
const BOB: Poster<'static> = Poster { name: "Bob Replier", email: "", ip: [10, 0, 0, 2] };
const CAL: Poster<'static> = Poster { name: "Cal", email: "cal@example.com", ip: [10, 0, 0, 3] };

/// Posts a comment (a reply when `parent` is given) and gives its id.
async fn post(site: &Site, who: &Poster<'_>, body: &str, parent: Option<i64>) -> i64 {
    let page = get(site, &path()).await;
    let (csrf, ts) = (input(&page.body, "csrf"), input(&page.body, "ts"));
    let parent = parent.map(|p| p.to_string()).unwrap_or_default();
    let f = form(&[
        ("name", who.name),
        ("email", who.email),
        ("body", body),
        ("parent", &parent),
        ("csrf", &csrf),
        ("ts", &ts),
        ("website", ""),
    ]);
    let res: Got = send(site, post_req(&format!("{}/comments", path()), f, who.ip)).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER, "{}", res.body);
    let newest = site.store().comment_queue(1000).await.expect("queue");
    let shown = site.store().comments(TSLA_2020).await.expect("comments");
    newest.iter().chain(shown.iter()).map(|c| c.id).max().expect("a comment")
}

/// Sends the pending notifications and gives how many went out.
async fn deliver(site: &Site) -> usize {
    site.send_notifications().await.expect("send pass").sent
}

// ---------------------------------------------------------------------------------------------
// Tests

#[tokio::test]
async fn a_reply_mails_the_commenter_once_with_who_what_where_and_why() {
    let smtp = SmtpSink::start();
    let clock = HandClock::new();
    let TestSite { site, store, _dir } = site_with(site_options(&clock, Some(smtp.config()))).await;
    let ann = post(&site, &ANN, "Is this a 10b5-1 plan?", None).await;
    assert_eq!(deliver(&site).await, 0, "a top-level comment tells nobody");
    let reply = post(&site, &BOB, "No: the *footnote* says it was open market.", Some(ann)).await;
    let n = store.notification_for(reply).await.expect("read").expect("recorded");
    assert_eq!(n.status, NotificationStatus::Pending);
    assert_eq!(n.recipient, "ann@example.com");
    assert_eq!(deliver(&site).await, 1);
    assert_eq!(deliver(&site).await, 0, "sent once");
    let mails = smtp.messages();
    assert_eq!(mails.len(), 1, "{mails:?}");
    let m = &mails[0];
    assert_eq!(m.header("to"), "ann@example.com");
    assert!(m.header("from").contains("noreply@md.example"), "{m:?}");
    assert_eq!(m.header("subject"), "Bob Replier replied to your comment on marketdesk");
    assert!(m.body.contains("No: the *footnote* says it was open market."), "{}", m.body);
    let link = format!("https://md.example/articles/{TSLA_2020}#c{reply}");
    assert!(m.body.contains(&link), "{link} in {}", m.body);
    assert!(m.body.contains("Why you got this mail"), "{}", m.body);
    let n = store.notification_for(reply).await.expect("read").expect("recorded");
    assert_eq!(n.status, NotificationStatus::Sent);
    assert_eq!(n.attempts, 1);
    assert!(n.sent_at.is_some());
}

#[tokio::test]
async fn a_held_reply_mails_nothing_until_approved() {
    let smtp = SmtpSink::start();
    let clock = HandClock::new();
    let mut opts = site_options(&clock, Some(smtp.config()));
    opts.comments.premoderate = true;
    let TestSite { site, store, _dir } = site_with(opts).await;
    let (cookie, csrf) = log_in_as_admin(&site, &store).await;
    let moderate = |id: i64, action: &str| {
        let mut req = post_req(
            &format!("/admin/comments/{id}/{action}"),
            form(&[("csrf", &csrf)]),
            [10, 9, 9, 9],
        );
        req.headers_mut().insert(header::COOKIE, cookie.parse().expect("cookie"));
        req
    };

    let ann = post(&site, &ANN, "First!", None).await;
    assert_eq!(send(&site, moderate(ann, "approve")).await.status, 303);
    let held = post(&site, &BOB, "A held answer", Some(ann)).await;
    assert!(store.notification_for(held).await.expect("read").is_none());
    assert_eq!(deliver(&site).await, 0);
    assert!(smtp.messages().is_empty(), "nothing for a held reply");
    // A held reply that is deleted never mails.
    let deleted = post(&site, &CAL, "Spam spam", Some(ann)).await;
    assert_eq!(send(&site, moderate(deleted, "delete")).await.status, 303);
    assert!(store.notification_for(deleted).await.expect("read").is_none());

    assert_eq!(send(&site, moderate(held, "approve")).await.status, 303);
    assert_eq!(deliver(&site).await, 1);
    let mails = smtp.messages();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].body.contains("A held answer"), "{}", mails[0].body);
    // Approving again (e.g. clearing reports) does not mail again.
    assert_eq!(send(&site, moderate(held, "approve")).await.status, 303);
    assert_eq!(deliver(&site).await, 0);
    assert_eq!(smtp.messages().len(), 1);
}

#[tokio::test]
async fn the_rate_limit_skips_later_replies_in_the_window_and_records_them() {
    let smtp = SmtpSink::start();
    let clock = HandClock::new();
    let TestSite { site, store, _dir } = site_with(site_options(&clock, Some(smtp.config()))).await;
    let ann = post(&site, &ANN, "Thoughts?", None).await;
    let first = post(&site, &BOB, "first answer", Some(ann)).await;
    clock.advance(60);
    let second = post(&site, &CAL, "second answer", Some(ann)).await;
    assert_eq!(deliver(&site).await, 1);
    let skipped = store.notification_for(second).await.expect("read").expect("recorded");
    assert_eq!(skipped.status, NotificationStatus::Skipped);
    assert!(skipped.error.as_deref().unwrap_or("").contains("rate limited"), "{skipped:?}");
    assert_eq!(
        store.notification_for(first).await.expect("read").expect("recorded").status,
        NotificationStatus::Sent
    );
    // Once the window has passed, the next reply mails again.
    clock.advance(10 * 60);
    let third = post(&site, &BOB, "third answer", Some(ann)).await;
    assert_eq!(deliver(&site).await, 1);
    let mails = smtp.messages();
    assert_eq!(mails.len(), 2);
    assert!(mails.iter().any(|m| m.body.contains("first answer")));
    assert!(mails.iter().any(|m| m.body.contains("third answer")));
    assert!(!mails.iter().any(|m| m.body.contains("second answer")));
    assert!(mails.iter().all(|m| m.header("to") == "ann@example.com"));
    let all = store.notifications().await.expect("all");
    assert_eq!(all.len(), 3, "{all:?}");
    assert_eq!(all[2].comment_id, third);
}

#[tokio::test]
async fn a_restart_sends_nothing_twice_and_loses_nothing() {
    let smtp = SmtpSink::start();
    let clock = HandClock::new();
    // First run: no SMTP server configured, so the notification is recorded and stays pending.
    let TestSite { site, store, _dir } = site_with(site_options(&clock, None)).await;
    let ann = post(&site, &ANN, "Anyone?", None).await;
    let reply = post(&site, &BOB, "Here.", Some(ann)).await;
    let run = site.send_notifications().await.expect("pass");
    assert_eq!((run.sent, run.pending), (0, 1));
    drop(site);
    // Second run over the same store, with the server: the pending one goes out once.
    let site = Site::new(store.clone(), site_options(&clock, Some(smtp.config()))).expect("site");
    assert_eq!(deliver(&site).await, 1);
    assert_eq!(deliver(&site).await, 0);
    drop(site);
    // Third run: nothing left to send.
    let site = Site::new(store.clone(), site_options(&clock, Some(smtp.config()))).expect("site");
    assert_eq!(deliver(&site).await, 0);
    assert_eq!(smtp.messages().len(), 1);
    let n = store.notification_for(reply).await.expect("read").expect("recorded");
    assert_eq!(n.status, NotificationStatus::Sent);
}

#[tokio::test]
async fn nobody_is_mailed_about_their_own_reply() {
    let smtp = SmtpSink::start();
    let clock = HandClock::new();
    let TestSite { site, store, _dir } = site_with(site_options(&clock, Some(smtp.config()))).await;
    let ann = post(&site, &ANN, "My point.", None).await;
    // Ann answers herself from another address, with the same email in other case.
    let own = Poster { name: "Ann", email: "ANN@example.com", ip: [10, 0, 0, 77] };
    let r1 = post(&site, &own, "And another thing.", Some(ann)).await;
    // And from the same address without an email.
    let same_ip = Poster { name: "Ann again", email: "", ip: ANN.ip };
    let r2 = post(&site, &same_ip, "One more.", Some(ann)).await;
    // Cal (who left an email) is answered by nobody: his own top-level comment mails no one.
    let cal = post(&site, &CAL, "Unrelated.", None).await;
    assert_eq!(deliver(&site).await, 0);
    for id in [r1, r2, cal] {
        assert!(store.notification_for(id).await.expect("read").is_none(), "comment {id}");
    }
    assert!(smtp.messages().is_empty());
}

#[tokio::test]
async fn a_reply_banned_or_deleted_before_sending_is_skipped_not_mailed() {
    let smtp = SmtpSink::start();
    let clock = HandClock::new();
    let TestSite { site, store, _dir } = site_with(site_options(&clock, Some(smtp.config()))).await;
    let ann = post(&site, &ANN, "Question.", None).await;
    let troll = post(&site, &BOB, "Troll answer", Some(ann)).await;
    let hash = store.comment(troll).await.expect("read").expect("stored").ip_hash;
    store.ban_ip_hash(&hash, now()).await.expect("ban");
    let run = site.send_notifications().await.expect("pass");
    assert_eq!((run.sent, run.skipped), (0, 1));
    let n = store.notification_for(troll).await.expect("read").expect("recorded");
    assert_eq!(n.status, NotificationStatus::Skipped);
    assert!(smtp.messages().is_empty());
}

#[tokio::test]
async fn an_address_that_cannot_take_mail_is_recorded_as_failed_once() {
    let smtp = SmtpSink::start();
    let clock = HandClock::new();
    let TestSite { site, store, _dir } = site_with(site_options(&clock, Some(smtp.config()))).await;
    let odd = Poster { name: "Odd", email: "not an address", ip: [10, 0, 0, 9] };
    let parent = post(&site, &odd, "Hello.", None).await;
    let reply = post(&site, &BOB, "Hi.", Some(parent)).await;
    let run = site.send_notifications().await.expect("pass");
    assert_eq!((run.sent, run.failed), (0, 1));
    let n = store.notification_for(reply).await.expect("read").expect("recorded");
    assert_eq!(n.status, NotificationStatus::Failed);
    assert!(n.error.as_deref().unwrap_or("").contains("not a valid mailbox"), "{n:?}");
    assert_eq!(site.send_notifications().await.expect("pass").failed, 0, "never tried again");
    assert!(smtp.messages().is_empty());
}

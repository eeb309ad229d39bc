//! The newsletter on the site: the sign-up form's handler, the confirmation and unsubscribe
//! links, the bounce webhook, and the public archive of issues with its RSS feed. The
//! decisions are `marketdesk-newsletter`'s; this module only speaks HTTP.
//!
//! - `POST /newsletter/subscribe` (`email`, `cadence`, `csrf`, `ts`, honeypot `website`):
//!   CSRF (403), honeypot (answered like a success, nothing stored), the signed form time at
//!   least [`crate::CommentOptions::min_delay`] old (400), a valid address (400); then 303 to
//!   `/newsletter?status=check` whatever the address's state, so the form tells nobody who is
//!   subscribed; 429 when the network address asked for too many confirmation mails.
//! - `GET /newsletter/confirm/{token}` confirms at once (no second click); a second visit says
//!   so; an expired link answers 410 with the form to sign up again.
//! - `GET /newsletter/unsubscribe/{token}` shows one button; `POST` to the same URL (the
//!   button, or a mail client's RFC 8058 one-click POST) unsubscribes: no cookie, no CSRF
//!   token, no confirmation page (the signed token is the authority).
//! - `POST /newsletter/bounces`: JSON reports with `Authorization: Bearer <token>`.
//! - `GET /newsletter/archive`, `/newsletter/archive/{slug}` (an issue as mailed: the "view in
//!   browser" page) and `/newsletter/feed.xml`.

use std::sync::Arc;

use askama::Template;
use axum::{
    body::Body,
    extract::{Path, Query, Request, State, rejection::QueryRejection},
    http::{HeaderMap, HeaderValue, Response, StatusCode, header},
};
use bytes::Bytes;
use marketdesk_newsletter::{
    BounceEffect, Confirmation, UNSUBSCRIBE_PLACEHOLDER, parse_bounces, valid_email,
};
use marketdesk_store::{Cadence, SignupOutcome, SubscriberStatus};
use serde::Deserialize;

use crate::{
    comments::{bad_token, constant_eq, field, read_form, refuse, see_other},
    pages::Layout,
    views::{Inner, html_response},
};

type S = Arc<Inner>;

/// The CSP of an archived issue: mail HTML is styled inline, and runs no script.
const ISSUE_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' https: data:; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/// An archive entry.
#[derive(Debug)]
pub(crate) struct IssueLink {
    title: String,
    url: String,
    date: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "newsletter_page.html")]
struct NewsletterPage {
    layout: Layout,
    heading: String,
    lead: String,
    notice: Option<String>,
    show_form: bool,
    unsubscribe_action: Option<String>,
    issues: Vec<IssueLink>,
}

fn no_store(mut res: Response<Body>) -> Response<Body> {
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut().insert("x-robots-tag", HeaderValue::from_static("noindex"));
    res
}

struct PageText<'a> {
    heading: &'a str,
    lead: &'a str,
    notice: Option<String>,
    show_form: bool,
    unsubscribe_action: Option<String>,
}

async fn render(
    s: &Inner,
    status: StatusCode,
    text: PageText<'_>,
    path: &str,
    with_issues: bool,
) -> Response<Body> {
    let mut layout = s.layout(text.heading, text.lead, path, "newsletter");
    layout.signup_in_body = text.show_form;
    layout.noindex = path != "/newsletter";
    let issues =
        if with_issues { issue_links(s, 10).await.unwrap_or_default() } else { Vec::new() };
    let page = NewsletterPage {
        layout,
        heading: text.heading.to_owned(),
        lead: text.lead.to_owned(),
        notice: text.notice,
        show_form: text.show_form,
        unsubscribe_action: text.unsubscribe_action,
        issues,
    };
    match page.render() {
        Ok(html) => no_store(html_response(status, html)),
        Err(e) => s.server_error(&e.into()).await,
    }
}

async fn issue_links(s: &Inner, limit: u32) -> crate::Result<Vec<IssueLink>> {
    Ok(s.store
        .issues(limit)
        .await?
        .into_iter()
        .map(|r| r.issue)
        .map(|i| IssueLink {
            url: format!("/newsletter/archive/{}", i.slug),
            date: marketdesk_core::eastern(i.created_at).strftime("%b %-d, %Y").to_string(),
            title: i.subject,
            summary: i.summary,
        })
        .collect())
}

const LEAD: &str = "Stay ahead of the market. Get curated U.S. market news, insights and key dates \
     delivered to your inbox: the day's (or week's) top articles, the largest insider buys and \
     sells, notable 13F moves, and the dates that move markets.";

#[derive(Debug, Deserialize)]
pub(crate) struct PageParams {
    status: Option<String>,
}

/// `GET /newsletter`.
pub(crate) async fn page(
    State(s): State<S>,
    params: Result<Query<PageParams>, QueryRejection>,
) -> Response<Body> {
    let notice = match params.ok().and_then(|Query(p)| p.status).as_deref() {
        Some("check") => Some(
            "Check your inbox: if the address can receive the newsletter, a mail with a link to \
             confirm is on its way. It may take a few minutes; look in the spam folder too."
                .to_owned(),
        ),
        _ => None,
    };
    let text = PageText {
        heading: "The newsletter",
        lead: LEAD,
        notice,
        show_form: true,
        unsubscribe_action: None,
    };
    render(&s, StatusCode::OK, text, "/newsletter", true).await
}

/// `POST /newsletter/subscribe`.
pub(crate) async fn subscribe(State(s): State<S>, req: Request) -> Response<Body> {
    let ip = crate::proxy::client_network(&req, &s.options.trusted_proxies);
    let form = match read_form(&s, req).await {
        Ok(f) => f,
        Err(res) => return res,
    };
    let now = s.now();
    if !s.csrf_valid(field(&form, "csrf"), now) {
        return bad_token(&s);
    }
    let done = "/newsletter?status=check";
    if !field(&form, "website").is_empty() {
        return see_other(done);
    }
    let opts = &s.options.comments;
    let age = s.stamp_time(field(&form, "ts")).map(|t| now.as_second() - t);
    let min = i64::try_from(opts.min_delay.as_secs()).unwrap_or(i64::MAX);
    let max = i64::try_from(opts.max_age.as_secs()).unwrap_or(i64::MAX);
    match age {
        None => {
            return refuse(
                &s,
                StatusCode::BAD_REQUEST,
                "The form is incomplete",
                "Please reload the page and send the form again.",
            );
        }
        Some(a) if a < min => {
            return refuse(
                &s,
                StatusCode::BAD_REQUEST,
                "Sent too quickly",
                "That was faster than a person types. Please wait a moment and send the form again.",
            );
        }
        Some(a) if a > max => return bad_token(&s),
        Some(_) => {}
    }
    let Some(email) = valid_email(field(&form, "email")) else {
        return refuse(
            &s,
            StatusCode::BAD_REQUEST,
            "Not an email address",
            "Please give an email address such as name@example.com.",
        );
    };
    let cadence = Cadence::parse(field(&form, "cadence")).unwrap_or(Cadence::Daily);
    let ip_hash = s.ip_hash(&ip);
    match s.newsletter.sign_up(&email, cadence, &ip_hash, now).await {
        Ok(SignupOutcome::Queued(_)) => {
            s.mail_wake.notify_one();
            see_other(done)
        }
        Ok(SignupOutcome::NetworkLimited) => {
            let mut res = refuse(
                &s,
                StatusCode::TOO_MANY_REQUESTS,
                "Too many sign-ups",
                "Your network has asked for many confirmation mails today. Please try again later.",
            );
            res.headers_mut().insert(header::RETRY_AFTER, HeaderValue::from(3600u32));
            res
        }
        Ok(_) => see_other(done),
        Err(e) => s.server_error(&crate::Error::Newsletter(e)).await,
    }
}

/// `GET /newsletter/confirm/{token}`.
pub(crate) async fn confirm(State(s): State<S>, Path(token): Path<String>) -> Response<Body> {
    let path = "/newsletter/confirm";
    let outcome = match s.newsletter.confirm(&token, s.now()).await {
        Ok(o) => o,
        Err(e) => return s.server_error(&crate::Error::Newsletter(e)).await,
    };
    let (status, text) = match outcome {
        Confirmation::Confirmed(sub) => (
            StatusCode::OK,
            PageText {
                heading: "You're subscribed",
                lead: "Thank you for confirming.",
                notice: Some(format!(
                    "{} will get the {} newsletter. Every issue has a link to unsubscribe.",
                    sub.email,
                    sub.cadence.as_str()
                )),
                show_form: false,
                unsubscribe_action: None,
            },
        ),
        Confirmation::Already(sub) => (
            StatusCode::OK,
            PageText {
                heading: "Already confirmed",
                lead: "This link was used before; nothing more to do.",
                notice: Some(format!(
                    "{} gets the {} newsletter.",
                    sub.email,
                    sub.cadence.as_str()
                )),
                show_form: false,
                unsubscribe_action: None,
            },
        ),
        Confirmation::Expired => (
            StatusCode::GONE,
            PageText {
                heading: "This link has expired",
                lead: "Confirmation links work for a limited time. Sign up again and follow the new link.",
                notice: None,
                show_form: true,
                unsubscribe_action: None,
            },
        ),
        Confirmation::Suppressed => (
            StatusCode::OK,
            PageText {
                heading: "We cannot mail this address",
                lead: "Mail to this address bounced or was reported, so the newsletter is not sent to it.",
                notice: None,
                show_form: false,
                unsubscribe_action: None,
            },
        ),
        Confirmation::Invalid => (
            StatusCode::BAD_REQUEST,
            PageText {
                heading: "This link is not valid",
                lead: "It may have been cut short by your mail program. Sign up again to get a new one.",
                notice: None,
                show_form: true,
                unsubscribe_action: None,
            },
        ),
    };
    render(&s, status, text, path, false).await
}

/// `GET /newsletter/unsubscribe/{token}`: one button.
pub(crate) async fn unsubscribe_page(
    State(s): State<S>,
    Path(token): Path<String>,
) -> Response<Body> {
    let sub = match s.newsletter.unsubscribe_target(&token).await {
        Ok(sub) => sub,
        Err(e) => return s.server_error(&crate::Error::Newsletter(e)).await,
    };
    let path = "/newsletter/unsubscribe";
    let text = match sub {
        None => {
            return render(&s, StatusCode::BAD_REQUEST, invalid_unsubscribe(), path, false).await;
        }
        Some(sub)
            if matches!(
                sub.status,
                SubscriberStatus::Unsubscribed | SubscriberStatus::Suppressed
            ) =>
        {
            PageText {
                heading: "You're unsubscribed",
                lead: "This address gets no newsletter from us.",
                notice: None,
                show_form: false,
                unsubscribe_action: None,
            }
        }
        Some(sub) => PageText {
            heading: "Unsubscribe",
            lead: "Stop the newsletter to this address? One click, nothing more to confirm.",
            notice: Some(sub.email),
            show_form: false,
            unsubscribe_action: Some(format!("/newsletter/unsubscribe/{token}")),
        },
    };
    render(&s, StatusCode::OK, text, path, false).await
}

fn invalid_unsubscribe() -> PageText<'static> {
    PageText {
        heading: "This link is not valid",
        lead: "It may have been cut short by your mail program. Use the link at the foot of any issue, \
               or reply to an issue asking to be removed.",
        notice: None,
        show_form: false,
        unsubscribe_action: None,
    }
}

/// `POST /newsletter/unsubscribe/{token}`: the button, or RFC 8058 one-click (any body).
pub(crate) async fn unsubscribe(State(s): State<S>, Path(token): Path<String>) -> Response<Body> {
    let path = "/newsletter/unsubscribe";
    match s.newsletter.unsubscribe(&token, "unsubscribe link", s.now()).await {
        Ok(Some(sub)) => {
            let text = PageText {
                heading: "You're unsubscribed",
                lead: "You will get no more issues. Changed your mind? Sign up again any time.",
                notice: Some(sub.email),
                show_form: false,
                unsubscribe_action: None,
            };
            render(&s, StatusCode::OK, text, path, false).await
        }
        Ok(None) => render(&s, StatusCode::BAD_REQUEST, invalid_unsubscribe(), path, false).await,
        Err(e) => s.server_error(&crate::Error::Newsletter(e)).await,
    }
}

fn json(status: StatusCode, value: &serde_json::Value) -> Response<Body> {
    let mut res = Response::new(Body::from(value.to_string()));
    *res.status_mut() = status;
    res.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res
}

/// `POST /newsletter/bounces`.
pub(crate) async fn bounces(State(s): State<S>, h: HeaderMap, body: Bytes) -> Response<Body> {
    let Some(want) = s.options.newsletter.bounce_token.as_deref() else {
        return json(
            StatusCode::FORBIDDEN,
            &serde_json::json!({"error": "the bounce webhook is off: set MARKETDESK_BOUNCE_TOKEN"}),
        );
    };
    let given = h
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !constant_eq(given.trim(), want) {
        let mut res = json(
            StatusCode::UNAUTHORIZED,
            &serde_json::json!({"error": "bad or missing bearer token"}),
        );
        res.headers_mut().insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        return res;
    }
    let reports = match parse_bounces(&body) {
        Ok(r) => r,
        Err(e) => {
            return json(StatusCode::BAD_REQUEST, &serde_json::json!({"error": e.to_string()}));
        }
    };
    match s.newsletter.bounce(&reports, s.now()).await {
        Ok(effects) => {
            let count = |e: BounceEffect| effects.iter().filter(|x| **x == e).count();
            json(
                StatusCode::OK,
                &serde_json::json!({
                    "received": reports.len(),
                    "suppressed": count(BounceEffect::Suppressed),
                    "unsubscribed": count(BounceEffect::Unsubscribed),
                }),
            )
        }
        Err(e) => {
            tracing::error!("bounce webhook: {e}");
            json(StatusCode::INTERNAL_SERVER_ERROR, &serde_json::json!({"error": "store failure"}))
        }
    }
}

/// `GET /newsletter/archive`.
pub(crate) async fn archive(State(s): State<S>) -> Response<Body> {
    let issues = match issue_links(&s, 200).await {
        Ok(i) => i,
        Err(e) => return s.server_error(&e).await,
    };
    let mut layout = s.layout(
        "Newsletter archive",
        "Every past issue of the newsletter.",
        "/newsletter/archive",
        "newsletter",
    );
    layout.signup_in_body = true;
    let page = NewsletterPage {
        layout,
        heading: "Newsletter archive".to_owned(),
        lead: "Every issue as it was mailed, newest first.".to_owned(),
        notice: None,
        show_form: true,
        unsubscribe_action: None,
        issues,
    };
    match page.render() {
        Ok(html) => html_response(StatusCode::OK, html),
        Err(e) => s.server_error(&e.into()).await,
    }
}

/// `GET /newsletter/archive/{slug}`: the issue as mailed ("view in browser").
pub(crate) async fn issue(State(s): State<S>, Path(slug): Path<String>) -> Response<Body> {
    let found = match s.store.issue_by_slug(&slug).await {
        Ok(i) => i,
        Err(e) => return s.server_error(&e.into()).await,
    };
    let Some(issue) = found else { return s.not_found().await };
    // Nobody's own unsubscribe link belongs in the public copy: it leads to the sign-up page.
    let html = issue.html.replace(UNSUBSCRIBE_PLACEHOLDER, &s.url("/newsletter"));
    let mut res = html_response(StatusCode::OK, html);
    res.headers_mut().insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(ISSUE_CSP));
    res
}

/// `GET /newsletter/feed.xml`.
pub(crate) async fn feed(State(s): State<S>) -> Response<Body> {
    match crate::feeds::newsletter_rss(&s).await {
        Ok(r) => {
            let mut res = Response::new(Body::from(r));
            res.headers_mut().insert(
                header::CONTENT_TYPE,
                HeaderValue::from_static("application/rss+xml; charset=utf-8"),
            );
            res.headers_mut()
                .insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=300"));
            res
        }
        Err(e) => s.server_error(&e).await,
    }
}

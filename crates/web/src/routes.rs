//! The routes and the layers around them.

use std::sync::Arc;

use axum::{
    Router,
    body::Body,
    extract::{Path, Query, State, rejection::QueryRejection},
    http::{HeaderMap, HeaderName, HeaderValue, Response, StatusCode, header},
    routing::{get, post},
};
use bytes::Bytes;
use serde::Deserialize;
use tower::ServiceBuilder;
use tower_http::{
    catch_panic::CatchPanicLayer, compression::CompressionLayer, limit::RequestBodyLimitLayer,
    set_header::SetResponseHeaderLayer, timeout::TimeoutLayer,
};

use crate::{
    Site, comments,
    feeds::{self, Format, Scope},
    newsletter, ops, pages,
    views::{Inner, html_response},
};

type S = Arc<Inner>;

/// The Content-Security-Policy of every response: no inline script or style anywhere (JSON-LD
/// is data, not script, and is not executed).
pub(crate) const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; \
     frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

pub(crate) fn router(site: Site) -> Router {
    let inner = Arc::clone(&site.inner);
    let panic_page = Bytes::from(pages::error_page(
        &inner,
        StatusCode::INTERNAL_SERVER_ERROR,
        "Something went wrong",
        "The page could not be shown. Please try again in a moment.",
    ));
    let on_panic = move |_: Box<dyn std::any::Any + Send + 'static>| {
        tracing::error!("a request handler panicked");
        let mut res = Response::new(Body::from(panic_page.clone()));
        *res.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        res.headers_mut()
            .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html; charset=utf-8"));
        res
    };
    let layers = ServiceBuilder::new()
        .layer(CatchPanicLayer::custom(on_panic))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(CSP),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("strict-origin-when-cross-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(
                "camera=(), microphone=(), geolocation=(), interest-cohort=()",
            ),
        ))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            inner.options.request_timeout,
        ))
        .layer(RequestBodyLimitLayer::new(inner.options.body_limit))
        // Cached pages arrive compressed already (Content-Encoding set), so this only
        // compresses what is rendered per request: search results, errors.
        .layer(CompressionLayer::new());
    Router::new()
        .route("/", get(home))
        .route("/articles/{slug}", get(article))
        .route("/articles/{slug}/comments", post(comments::post))
        .route("/articles/{slug}/comments/atom.xml", get(comments_feed))
        .route("/articles/{slug}/comments/{id}/report", post(comments::report))
        .route("/admin", get(comments::admin))
        .route("/admin/login", post(comments::login))
        .route("/admin/logout", post(comments::logout))
        .route("/admin/comments/{id}/{action}", post(comments::moderate))
        .route("/newsletter", get(newsletter::page))
        .route("/newsletter/subscribe", post(newsletter::subscribe))
        .route("/newsletter/confirm/{token}", get(newsletter::confirm))
        .route(
            "/newsletter/unsubscribe/{token}",
            get(newsletter::unsubscribe_page).post(newsletter::unsubscribe),
        )
        .route("/newsletter/bounces", post(newsletter::bounces))
        .route("/newsletter/archive", get(newsletter::archive))
        .route("/newsletter/archive/{slug}", get(newsletter::issue))
        .route("/newsletter/feed.xml", get(newsletter::feed))
        .route("/tickers/{ticker}", get(ticker))
        .route("/tickers/{ticker}/feed.xml", get(ticker_rss))
        .route("/tickers/{ticker}/atom.xml", get(ticker_atom))
        .route("/tickers/{ticker}/feed.json", get(ticker_json))
        .route("/agents/{slug}", get(agent))
        .route("/agents/{slug}/feed.xml", get(agent_rss))
        .route("/agents/{slug}/atom.xml", get(agent_atom))
        .route("/agents/{slug}/feed.json", get(agent_json))
        .route("/sectors", get(sectors))
        .route("/sectors/{name}", get(sector))
        .route("/search", get(search))
        .route("/feed.xml", get(site_rss))
        .route("/atom.xml", get(site_atom))
        .route("/feed.json", get(site_json))
        .route("/sitemap.xml", get(sitemap))
        .route("/robots.txt", get(robots))
        .route("/healthz", get(ops::healthz))
        .route("/readyz", get(ops::readyz))
        .route("/metrics", get(ops::metrics))
        .route("/static/site.css", get(css))
        .route("/static/favicon.svg", get(favicon))
        .route("/static/comments.js", get(comments_js))
        .fallback(not_found)
        .with_state(Arc::clone(&inner))
        .layer(layers)
        .layer(axum::middleware::from_fn_with_state(inner, ops::track))
}

async fn home(State(s): State<S>, h: HeaderMap) -> Response<Body> {
    let site = Arc::clone(&s);
    s.page(&h, "/".to_owned(), || async move { pages::home(&site).await }).await
}

/// Slugs are lower-case words and dashes; anything else cannot be an article.
fn plausible_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 200
        && slug.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

#[derive(Debug, Deserialize)]
struct ArticleParams {
    held: Option<String>,
}

async fn article(
    State(s): State<S>,
    Path(slug): Path<String>,
    params: Result<Query<ArticleParams>, QueryRejection>,
    h: HeaderMap,
) -> Response<Body> {
    if !plausible_slug(&slug) {
        return s.not_found().await;
    }
    // After a comment was held for moderation: the page with a notice, not cached.
    if params.ok().is_some_and(|Query(p)| p.held.is_some()) {
        return match pages::article(&s, &slug, true).await {
            Ok(Some(page)) => {
                let mut res = html_response(StatusCode::OK, page.body);
                res.headers_mut()
                    .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                res
            }
            Ok(None) => s.not_found().await,
            Err(e) => s.server_error(&e).await,
        };
    }
    let site = Arc::clone(&s);
    let key = format!("/articles/{slug}");
    s.page(&h, key, || async move { pages::article(&site, &slug, false).await }).await
}

async fn comments_feed(
    State(s): State<S>,
    Path(slug): Path<String>,
    h: HeaderMap,
) -> Response<Body> {
    if !plausible_slug(&slug) {
        return s.not_found().await;
    }
    let site = Arc::clone(&s);
    let key = format!("/articles/{slug}/comments/atom.xml");
    s.page(&h, key, || async move { comments::feed(&site, &slug).await }).await
}

/// The ticker a path names, upper-cased; `None` when it cannot be one.
fn ticker_of(t: &str) -> Option<String> {
    let ok = !t.is_empty()
        && t.len() <= 12
        && t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-');
    ok.then(|| t.to_ascii_uppercase())
}

async fn ticker(State(s): State<S>, Path(t): Path<String>, h: HeaderMap) -> Response<Body> {
    let Some(t) = ticker_of(&t) else { return s.not_found().await };
    let site = Arc::clone(&s);
    let key = format!("/tickers/{t}");
    s.page(&h, key, || async move { pages::ticker(&site, &t).await }).await
}

async fn feed(s: S, h: HeaderMap, scope: Scope, format: Format, key: String) -> Response<Body> {
    let site = Arc::clone(&s);
    s.page(&h, key, || async move { feeds::feed(&site, &scope, format).await }).await
}

async fn ticker_feed(s: S, t: &str, h: HeaderMap, format: Format, file: &str) -> Response<Body> {
    let Some(t) = ticker_of(t) else { return s.not_found().await };
    let key = format!("/tickers/{t}/{file}");
    feed(s, h, Scope::Ticker(t), format, key).await
}

async fn ticker_rss(State(s): State<S>, Path(t): Path<String>, h: HeaderMap) -> Response<Body> {
    ticker_feed(s, &t, h, Format::Rss, "feed.xml").await
}

async fn ticker_atom(State(s): State<S>, Path(t): Path<String>, h: HeaderMap) -> Response<Body> {
    ticker_feed(s, &t, h, Format::Atom, "atom.xml").await
}

async fn ticker_json(State(s): State<S>, Path(t): Path<String>, h: HeaderMap) -> Response<Body> {
    ticker_feed(s, &t, h, Format::Json, "feed.json").await
}

async fn agent(State(s): State<S>, Path(slug): Path<String>, h: HeaderMap) -> Response<Body> {
    if s.persona(&slug).is_none() {
        return s.not_found().await;
    }
    let site = Arc::clone(&s);
    let key = format!("/agents/{slug}");
    s.page(&h, key, || async move { pages::agent(&site, &slug).await }).await
}

async fn agent_feed(
    s: S,
    slug: String,
    h: HeaderMap,
    format: Format,
    file: &str,
) -> Response<Body> {
    if s.persona(&slug).is_none() {
        return s.not_found().await;
    }
    let key = format!("/agents/{slug}/{file}");
    feed(s, h, Scope::Agent(slug), format, key).await
}

async fn agent_rss(State(s): State<S>, Path(slug): Path<String>, h: HeaderMap) -> Response<Body> {
    agent_feed(s, slug, h, Format::Rss, "feed.xml").await
}

async fn agent_atom(State(s): State<S>, Path(slug): Path<String>, h: HeaderMap) -> Response<Body> {
    agent_feed(s, slug, h, Format::Atom, "atom.xml").await
}

async fn agent_json(State(s): State<S>, Path(slug): Path<String>, h: HeaderMap) -> Response<Body> {
    agent_feed(s, slug, h, Format::Json, "feed.json").await
}

async fn site_rss(State(s): State<S>, h: HeaderMap) -> Response<Body> {
    feed(s, h, Scope::Site, Format::Rss, "/feed.xml".to_owned()).await
}

async fn site_atom(State(s): State<S>, h: HeaderMap) -> Response<Body> {
    feed(s, h, Scope::Site, Format::Atom, "/atom.xml".to_owned()).await
}

async fn site_json(State(s): State<S>, h: HeaderMap) -> Response<Body> {
    feed(s, h, Scope::Site, Format::Json, "/feed.json".to_owned()).await
}

async fn sectors(State(s): State<S>, h: HeaderMap) -> Response<Body> {
    let site = Arc::clone(&s);
    s.page(&h, "/sectors".to_owned(), || async move { pages::sectors(&site).await }).await
}

async fn sector(State(s): State<S>, Path(name): Path<String>, h: HeaderMap) -> Response<Body> {
    if name.len() > 100 {
        return s.not_found().await;
    }
    let site = Arc::clone(&s);
    let key = format!("/sectors/{}", crate::sector_slug(&name));
    s.page(&h, key, || async move { pages::sector(&site, &name).await }).await
}

#[derive(Debug, Deserialize)]
struct SearchParams {
    q: Option<String>,
}

async fn search(
    State(s): State<S>,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Response<Body> {
    let q = params.ok().and_then(|Query(p)| p.q).unwrap_or_default();
    match pages::search(&s, &q).await {
        Ok(html) => html_response(StatusCode::OK, html),
        Err(e) => s.server_error(&e).await,
    }
}

async fn sitemap(State(s): State<S>, h: HeaderMap) -> Response<Body> {
    let site = Arc::clone(&s);
    s.page(&h, "/sitemap.xml".to_owned(), || async move { feeds::sitemap(&site).await }).await
}

async fn robots(State(s): State<S>, h: HeaderMap) -> Response<Body> {
    let site = Arc::clone(&s);
    s.page(&h, "/robots.txt".to_owned(), || async move { Ok(Some(feeds::robots(&site))) }).await
}

async fn css(State(s): State<S>, h: HeaderMap) -> Response<Body> {
    s.css.respond(&h)
}

async fn favicon(State(s): State<S>, h: HeaderMap) -> Response<Body> {
    s.favicon.respond(&h)
}

async fn comments_js(State(s): State<S>, h: HeaderMap) -> Response<Body> {
    s.comments_js.respond(&h)
}

async fn not_found(State(s): State<S>) -> Response<Body> {
    s.not_found().await
}

//! The site's state, the cached-page flow, and what several pages share: cards, ticker chips,
//! agents, sectors, CSRF tokens.

use std::{
    collections::HashMap,
    future::Future,
    sync::{
        Arc, Mutex,
        atomic::{AtomicU64, Ordering},
    },
    time::Instant,
};

use axum::{
    body::Body,
    http::{HeaderMap, Response, StatusCode},
};
use jiff::{Timestamp, civil::Date};
use marketdesk_core::{Cik, eastern};
use marketdesk_linker::{Mention, render_html};
use marketdesk_store::{ArticleGeneration, ArticleRecord, Store};
use marketdesk_writer::{Article, Persona, dateline, reading_label};
use sha2::{Digest, Sha256};

use crate::{
    Error, Result, SiteOptions,
    cache::{Kind, Page, PageCache, Rendered},
};

/// The sectors the news desk assigns events to. A sector page's address is its
/// [`sector_slug`]: `/sectors/defense-aerospace`.
pub(crate) const SECTORS: [&str; 13] = [
    "Agriculture",
    "Communication",
    "Consumer",
    "Cybersecurity",
    "Defense/Aerospace",
    "Energy",
    "Financials",
    "Healthcare",
    "Industrials/Manufacturing",
    "Materials",
    "Real Estate",
    "Technology",
    "Utilities",
];

/// The address segment of a sector: lower case, every run of other characters one dash
/// ("Defense/Aerospace" → "defense-aerospace", "Real Estate" → "real-estate"). The sector page
/// also accepts the name itself, URL-encoded (`/sectors/Defense%2FAerospace`).
pub fn sector_slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The state behind [`crate::Site`].
pub(crate) struct Inner {
    pub(crate) store: Store,
    pub(crate) base_url: String,
    pub(crate) site_name: String,
    pub(crate) options: SiteOptions,
    pub(crate) personas: Vec<Persona>,
    pub(crate) cache: PageCache,
    epoch: AtomicU64,
    generation: Mutex<Option<ArticleGeneration>>,
    refresh_lock: tokio::sync::Mutex<()>,
    started: Instant,
    last_check_ms: AtomicU64,
    csrf_key: Vec<u8>,
    pub(crate) css: Arc<Page>,
    pub(crate) css_href: String,
    /// The comment forms' enhancement script.
    pub(crate) comments_js: Arc<Page>,
    /// Its address, with a content hash.
    pub(crate) js_href: String,
    pub(crate) favicon: Arc<Page>,
    /// Sends reply notifications; `None` without an SMTP server.
    pub(crate) mailer: Option<marketdesk_mailer::Mailer>,
    /// Wakes the background sender when a notification is recorded.
    pub(crate) mail_wake: tokio::sync::Notify,
    /// One sending pass at a time, so no notification goes out twice.
    pub(crate) mail_lock: tokio::sync::Mutex<()>,
    /// Whether "no SMTP server" was logged.
    pub(crate) mail_warned: std::sync::atomic::AtomicBool,
    /// The newsletter: sign-ups, links, archive.
    pub(crate) newsletter: marketdesk_newsletter::Newsletter,
}

const CSS: &str = include_str!("../static/site.css");
const FAVICON: &str = include_str!("../static/favicon.svg");
const COMMENTS_JS: &str = include_str!("../static/comments.js");

/// A static asset and its address with a content hash, so a new version is a new URL.
fn asset(text: &str, kind: Kind, path: &str, now: Timestamp) -> (Arc<Page>, String) {
    let hash: String =
        Sha256::digest(text.as_bytes()).iter().take(6).map(|b| format!("{b:02x}")).collect();
    (
        Arc::new(Page::new(Rendered::new(text.to_owned(), kind, None), 0, now)),
        format!("{path}?v={hash}"),
    )
}

fn random_key() -> Vec<u8> {
    let mut key = vec![0u8; 32];
    if getrandom::fill(&mut key).is_err() {
        // No OS randomness: fall back to the clock and the process id, hashed.
        let seed = format!("{:?}{}", std::time::SystemTime::now(), std::process::id());
        key = Sha256::digest(seed.as_bytes()).to_vec();
    }
    key
}

impl Inner {
    pub(crate) fn new(store: Store, options: SiteOptions) -> Result<Self> {
        let personas = marketdesk_writer::roster()?;
        let base_url = options
            .base_url
            .clone()
            .unwrap_or_else(|| "http://localhost".to_owned())
            .trim_end_matches('/')
            .to_owned();
        let now = options.clock.now();
        let (css, css_href) = asset(CSS, Kind::Css, "/static/site.css", now);
        let (comments_js, js_href) = asset(COMMENTS_JS, Kind::Js, "/static/comments.js", now);
        let favicon = Page::new(Rendered::new(FAVICON.to_owned(), Kind::Svg, None), 0, now);
        let mailer = options.mail.smtp.as_ref().map(marketdesk_mailer::Mailer::new).transpose()?;
        let csrf_key = options.secret.clone().unwrap_or_else(random_key);
        let newsletter =
            crate::newsletter_over(store.clone(), &options, &base_url, &csrf_key, mailer.clone())?;
        Ok(Inner {
            store,
            base_url,
            site_name: options.site_name.clone(),
            csrf_key,
            options,
            personas,
            cache: PageCache::default(),
            epoch: AtomicU64::new(1),
            generation: Mutex::new(None),
            refresh_lock: tokio::sync::Mutex::new(()),
            started: Instant::now(),
            last_check_ms: AtomicU64::new(0),
            css,
            css_href,
            comments_js,
            js_href,
            favicon: Arc::new(favicon),
            mailer,
            mail_wake: tokio::sync::Notify::new(),
            mail_lock: tokio::sync::Mutex::new(()),
            mail_warned: std::sync::atomic::AtomicBool::new(false),
            newsletter,
        })
    }

    pub(crate) fn now(&self) -> Timestamp {
        self.options.clock.now()
    }

    /// Today in New York: the day quotes are read as of.
    pub(crate) fn today(&self) -> Date {
        eastern(self.now()).date()
    }

    /// An absolute URL for a site path.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The site's secret key.
    pub(crate) fn csrf_key(&self) -> &[u8] {
        &self.csrf_key
    }

    /// Drops every cached page now (a comment was accepted or moderated). Pages rendered
    /// before this and cached after it carry the old epoch and are never served.
    pub(crate) fn invalidate(&self) {
        self.epoch.fetch_add(1, Ordering::SeqCst);
        self.cache.clear();
    }

    fn csrf_for_hour(&self, hour: i64) -> String {
        let mut h = Sha256::new();
        h.update(&self.csrf_key);
        h.update(b"marketdesk-csrf");
        h.update(hour.to_le_bytes());
        h.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect()
    }

    pub(crate) fn csrf_token(&self, now: Timestamp) -> String {
        self.csrf_for_hour(now.as_second().div_euclid(3600))
    }

    pub(crate) fn csrf_valid(&self, token: &str, now: Timestamp) -> bool {
        let hour = now.as_second().div_euclid(3600);
        (0..3).any(|back| {
            let want = self.csrf_for_hour(hour - back);
            // Compared in full, without an early exit.
            want.len() == token.len()
                && want.bytes().zip(token.bytes()).fold(0u8, |acc, (a, b)| acc | (a ^ b)) == 0
        })
    }

    /// Asks the store whether articles changed; if they did, indexes them for search and
    /// drops every cached page.
    pub(crate) async fn refresh(&self) -> Result<bool> {
        let _one_at_a_time = self.refresh_lock.lock().await;
        let generation = self.store.article_generation().await?;
        let known =
            self.generation.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone();
        if known.as_ref() == Some(&generation) {
            return Ok(false);
        }
        self.store.sync_search().await?;
        *self.generation.lock().unwrap_or_else(std::sync::PoisonError::into_inner) =
            Some(generation);
        self.epoch.fetch_add(1, Ordering::SeqCst);
        self.cache.clear();
        Ok(true)
    }

    /// Starts a background change check when the last one is older than `change_check`.
    fn maybe_refresh(self: &Arc<Self>) {
        let now_ms = u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX);
        let last = self.last_check_ms.load(Ordering::Relaxed);
        let every = u64::try_from(self.options.change_check.as_millis()).unwrap_or(u64::MAX);
        // The clock starts with the site; `serve` checks once before listening.
        if now_ms.saturating_sub(last) < every {
            return;
        }
        if self
            .last_check_ms
            .compare_exchange(last, now_ms, Ordering::AcqRel, Ordering::Relaxed)
            .is_err()
        {
            return;
        }
        let inner = Arc::clone(self);
        tokio::spawn(async move {
            if let Err(e) = inner.refresh().await {
                tracing::warn!("checking for new articles: {e}");
            }
        });
    }

    /// A cached page: from memory when current, else rendered by `render`, cached and sent.
    /// `render` answering `None` is the 404 page (not cached).
    pub(crate) async fn page<F, Fut>(
        self: &Arc<Self>,
        req: &HeaderMap,
        key: String,
        render: F,
    ) -> Response<Body>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Option<Rendered>>>,
    {
        self.maybe_refresh();
        let epoch = self.epoch.load(Ordering::SeqCst);
        if let Some(page) = self.cache.get(&key, epoch, self.options.page_ttl) {
            return page.respond(req);
        }
        match render().await {
            Ok(Some(rendered)) => {
                let page = Arc::new(Page::new(rendered, epoch, self.now()));
                let res = page.respond(req);
                self.cache.insert(key, page, self.options.cache_pages);
                res
            }
            Ok(None) => self.not_found().await,
            Err(e) => self.server_error(&e).await,
        }
    }

    /// The 404 page.
    pub(crate) async fn not_found(&self) -> Response<Body> {
        let page = crate::pages::error_page(
            self,
            StatusCode::NOT_FOUND,
            "Page not found",
            "There is no page at this address. It may have moved, or the link may be wrong.",
        );
        html_response(StatusCode::NOT_FOUND, page)
    }

    /// The 500 page; the error goes to the log only.
    pub(crate) async fn server_error(&self, e: &Error) -> Response<Body> {
        tracing::error!("page failed: {e}");
        let page = crate::pages::error_page(
            self,
            StatusCode::INTERNAL_SERVER_ERROR,
            "Something went wrong",
            "The page could not be shown. Please try again in a moment.",
        );
        html_response(StatusCode::INTERNAL_SERVER_ERROR, page)
    }

    /// The persona with `slug`.
    pub(crate) fn persona(&self, slug: &str) -> Option<&Persona> {
        self.personas.iter().find(|p| p.slug == slug)
    }

    /// Each ticker's change as of today (`None` where no quote is known).
    pub(crate) async fn changes(
        &self,
        tickers: Vec<String>,
    ) -> Result<HashMap<String, Option<f64>>> {
        let today = self.today();
        let mut out = HashMap::new();
        for t in tickers {
            if let std::collections::hash_map::Entry::Vacant(slot) = out.entry(t) {
                let change = self.store.quote_change(slot.key(), today).await?.map(|c| c.percent);
                slot.insert(change);
            }
        }
        Ok(out)
    }
}

/// An HTML response that is not cached (error pages, search results).
pub(crate) fn html_response(status: StatusCode, body: String) -> Response<Body> {
    let mut res = Response::new(Body::from(body));
    *res.status_mut() = status;
    res.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("text/html; charset=utf-8"),
    );
    res.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-cache"),
    );
    res
}

/// A ticker chip (`<a class="ticker-chip" href="/tickers/T">T <span class="chg up">+1.2%</span></a>`).
pub(crate) fn chip(ticker: &str, changes: &HashMap<String, Option<f64>>) -> String {
    let mention = Mention {
        start: 0,
        end: ticker.len(),
        text: ticker.to_owned(),
        ticker: ticker.to_owned(),
        cik: Cik::from(0u32),
        confidence: 1.0,
    };
    // A symbol surface (no lower case) is replaced by its chip; force that for odd tickers.
    let surface = ticker.to_ascii_uppercase();
    render_html(&surface, &[mention], |t| changes.get(t).copied().flatten())
}

/// Chips for several tickers, space separated.
pub(crate) fn chips(tickers: &[String], changes: &HashMap<String, Option<f64>>) -> String {
    tickers.iter().map(|t| chip(t, changes)).collect::<Vec<_>>().join(" ")
}

/// Reads the stored article JSON.
pub(crate) fn article_of(record: &ArticleRecord) -> Result<Article> {
    serde_json::from_str(&record.body)
        .map_err(|source| Error::Article { slug: record.slug.clone(), source })
}

/// An article in a list.
#[derive(Debug, Clone)]
pub(crate) struct Card {
    pub(crate) url: String,
    pub(crate) headline: String,
    pub(crate) dek: String,
    pub(crate) agent_name: String,
    pub(crate) agent_url: String,
    pub(crate) dateline: String,
    pub(crate) datetime: String,
    pub(crate) reading: String,
    pub(crate) chips: String,
}

/// The articles of `records` that read back, with their cards (ticker changes looked up once).
pub(crate) async fn cards(
    inner: &Inner,
    records: &[ArticleRecord],
) -> Result<Vec<(Article, Card)>> {
    let mut articles = Vec::with_capacity(records.len());
    for r in records {
        match article_of(r) {
            Ok(a) => articles.push(a),
            Err(e) => tracing::warn!("skipping an article in a list: {e}"),
        }
    }
    let tickers: Vec<String> = articles.iter().flat_map(|a| a.tickers.iter().cloned()).collect();
    let changes = inner.changes(tickers).await?;
    Ok(articles
        .into_iter()
        .map(|a| {
            let card = Card {
                url: format!("/articles/{}", a.slug),
                headline: a.headline.clone(),
                dek: a.dek.clone(),
                agent_name: a.persona.name.clone(),
                agent_url: format!("/agents/{}", a.persona.slug),
                dateline: dateline(a.published_at),
                datetime: a.published_at.to_string(),
                reading: reading_label(a.reading_minutes),
                chips: chips(&a.tickers, &changes),
            };
            (a, card)
        })
        .collect())
}

/// The newest `updated_at` of some articles.
pub(crate) fn newest(articles: &[(Article, Card)]) -> Option<Timestamp> {
    articles.iter().map(|(a, _)| a.updated_at).max()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sector_slugs() {
        assert_eq!(sector_slug("Defense/Aerospace"), "defense-aerospace");
        assert_eq!(sector_slug("Real Estate"), "real-estate");
        assert_eq!(sector_slug("Industrials/Manufacturing"), "industrials-manufacturing");
        assert_eq!(sector_slug(" Energy "), "energy");
        let slugs: std::collections::HashSet<String> =
            SECTORS.iter().map(|s| sector_slug(s)).collect();
        assert_eq!(slugs.len(), SECTORS.len());
    }

    #[test]
    fn chips_escape_and_link() {
        let mut changes = HashMap::new();
        changes.insert("TSLA".to_owned(), Some(1.26));
        assert_eq!(
            chip("TSLA", &changes),
            "<a class=\"ticker-chip\" href=\"/tickers/TSLA\">TSLA <span class=\"chg up\">+1.3%</span></a>"
        );
        assert!(chip("AAPL", &changes).contains("chg flat\">--"));
        assert!(chip("<b>", &changes).contains("&lt;b&gt;"));
    }
}

//! marketdesk's publish stage: the website.
//!
//! [`router`] builds the axum [`Router`] of the whole site over a [`Site`] (the store, the
//! [`SiteOptions`] and an in-memory page cache); [`serve`] binds it to an address, rebuilds the
//! search index first and stops gracefully on Ctrl-C or SIGTERM. Tests drive the router with
//! `tower::ServiceExt::oneshot`, no socket needed.
//!
//! - Pages are server-rendered askama templates (`templates/`), usable without JavaScript (there
//!   is none), with one stylesheet (`static/site.css`, linked with a content hash so it can be
//!   cached for a year). Home, article, ticker, agent, sector, search, and real 404/500 pages.
//! - Feeds: RSS 2.0, Atom and JSON Feed 1.1 for the site, each agent and each ticker; sitemap
//!   and robots.txt. Every item names its author as an AI agent.
//! - Speed: every page the store can produce is rendered once, compressed once (gzip and
//!   Brotli) and kept in memory with its ETag and Last-Modified; a request for it is a hash
//!   lookup and a clone of bytes, answered 304 when the client's copy is current. The cache is
//!   dropped when the articles change (a cheap count and newest-revision query, run at most
//!   every [`SiteOptions::change_check`] in the background, so `marketdesk write` in another
//!   process shows up within about a second) and each page is re-rendered after
//!   [`SiteOptions::page_ttl`] (quotes, filings and the date move on too).
//! - Comments (`comments.rs`): under every article, oldest first, threaded three deep, posted
//!   as a plain form (303 back to the article, no JavaScript), Markdown rendered with
//!   pulldown-cmark and cleaned by ammonia, guarded by the CSRF token, a honeypot, a signed
//!   form timestamp (minimum delay), per-address and per-article rate limits (429 with
//!   Retry-After), a link limit, a word list and optional pre-moderation; readers report,
//!   moderators work a queue at `/admin` (argon2 password, `Secure` `HttpOnly` session cookie):
//!   approve, delete, ban by hashed address. An accepted comment is committed before the 303
//!   and drops the page cache, so it shows at once. Each article has an Atom feed of its
//!   comments, and its JSON-LD carries `commentCount`.
//! - Reply notifications (`notify.rs`): when a reply becomes visible (at once, or on approval)
//!   and the comment it answers left an address, a pending notification is recorded in the
//!   store (at most one per recipient per [`MailOptions::reply_window`], the rest recorded as
//!   skipped; never to the replier themselves); a background task of [`serve`] (or
//!   [`Site::send_notifications`]) mails them through `marketdesk-mailer`, so sending never
//!   holds up a request and a restart neither repeats nor loses one.
//! - The newsletter (`newsletter.rs`): the sign-up box on every page and `/newsletter`, double
//!   opt-in links, one-click unsubscribe (RFC 8058), the bounce webhook, and the archive of
//!   issues with its RSS feed, over `marketdesk-newsletter`; the background task of [`serve`]
//!   sends the confirmation mails.
//! - Operations (`ops.rs`): `/healthz`, `/readyz` (the store answers) and `/metrics`
//!   (Prometheus text: requests and latency by route, store counts, ingest lag, mail by status).
//! - Security: all output escaped (askama for HTML and XML, `\u003c` in JSON-LD), a
//!   Content-Security-Policy without inline scripts or styles, `nosniff`, a referrer policy,
//!   frame denial, a request body limit and a request timeout.
//!
//! The crate knows HTTP and HTML and nothing else: it reads the store only through
//! `marketdesk-store`'s typed API, never reads the environment or config files, and takes "now"
//! from [`SiteOptions::clock`].

mod cache;
mod chart;
mod comments;
mod error;
mod feeds;
mod newsletter;
mod notify;
mod ops;
mod pages;
mod proxy;
mod routes;
mod views;

use std::{net::SocketAddr, sync::Arc, time::Duration};

use axum::Router;
use jiff::Timestamp;
use marketdesk_store::Store;

pub use comments::{CommentOptions, Rate, hash_password};
pub use error::{Error, Result};
pub use marketdesk_mailer::{ConfigError as SmtpConfigError, SmtpConfig};
pub use notify::{MailOptions, NotificationRun};
pub use ops::Metrics;
pub use proxy::Cidr;
pub use views::sector_slug;

/// Where "now" comes from: the system clock, or a fixed moment in tests.
#[derive(Clone)]
pub struct Clock(Arc<dyn Fn() -> Timestamp + Send + Sync>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Clock(Arc::new(Timestamp::now))
    }

    /// Whatever `now` answers (tests move time on by hand).
    pub fn from_fn(now: impl Fn() -> Timestamp + Send + Sync + 'static) -> Self {
        Clock(Arc::new(now))
    }

    /// Always `at`.
    pub fn fixed(at: Timestamp) -> Self {
        Clock(Arc::new(move || at))
    }

    /// Now.
    pub fn now(&self) -> Timestamp {
        (self.0)()
    }
}

impl std::fmt::Debug for Clock {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Clock")
    }
}

/// How the site runs.
#[derive(Debug, Clone)]
pub struct SiteOptions {
    /// The public address of the site, without a trailing slash (`https://news.example.com`),
    /// used for canonical URLs, feeds and the sitemap. `None`: `http://ADDR` of [`serve`]
    /// (`http://localhost` for a bare [`router`]).
    pub base_url: Option<String>,
    /// The site's name, in titles, feeds and the header. Default "marketdesk".
    pub site_name: String,
    /// How often at most the store is asked whether articles changed. Default 1 s.
    pub change_check: Duration,
    /// How long a rendered page is served before it is rendered again even if no article
    /// changed (quotes, filings and the date move on). Default 60 s.
    pub page_ttl: Duration,
    /// Pages kept in memory at most; the cache starts over when it is full. Default 4096.
    pub cache_pages: usize,
    /// A request is answered 408 after this long. Default 10 s.
    pub request_timeout: Duration,
    /// Largest request body accepted, in bytes. Default 64 KiB.
    pub body_limit: usize,
    /// The key the forms' CSRF tokens are derived from; random per process when `None` (tokens
    /// then do not survive a restart or span several processes).
    pub secret: Option<Vec<u8>>,
    /// Where "now" comes from.
    pub clock: Clock,
    /// How reader comments are taken.
    pub comments: CommentOptions,
    /// How reply notifications are mailed.
    pub mail: MailOptions,
    /// The newsletter.
    pub newsletter: NewsletterSettings,
    /// This process's metrics (`/metrics`); other parts of the process may register counters.
    pub metrics: Metrics,
    /// Reverse proxies and load balancers whose `X-Forwarded-For` names the client (for
    /// per-address limits and bans). Default: none, the socket's peer is the client.
    pub trusted_proxies: Vec<Cidr>,
}

/// The newsletter's settings as the site takes them. `site_name` and `base_url` of
/// [`NewsletterSettings::options`] are replaced by the site's own; the SMTP server and sender
/// are [`MailOptions`]'.
#[derive(Debug, Clone, Default)]
pub struct NewsletterSettings {
    /// Rate, limits, thresholds, the footer's postal address.
    pub options: marketdesk_newsletter::Options,
    /// The bearer token the bounce webhook wants; `None` turns the webhook off (403).
    pub bounce_token: Option<String>,
    /// DKIM signing of issues.
    pub dkim: Option<DkimSettings>,
}

/// A DKIM key: `d=` domain, `s=` selector, and the private key's text.
#[derive(Clone)]
pub struct DkimSettings {
    /// The signing domain.
    pub domain: String,
    /// The selector (the DNS record is `SELECTOR._domainkey.DOMAIN`).
    pub selector: String,
    /// RSA PKCS#1 PEM, or an Ed25519 key in base64.
    pub key: String,
}

impl std::fmt::Debug for DkimSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DkimSettings")
            .field("domain", &self.domain)
            .field("selector", &self.selector)
            .finish()
    }
}

impl Default for SiteOptions {
    fn default() -> Self {
        SiteOptions {
            base_url: None,
            site_name: "marketdesk".to_owned(),
            change_check: Duration::from_secs(1),
            page_ttl: Duration::from_secs(60),
            cache_pages: 4096,
            request_timeout: Duration::from_secs(10),
            body_limit: 64 * 1024,
            secret: None,
            clock: Clock::system(),
            comments: CommentOptions::default(),
            mail: MailOptions::default(),
            newsletter: NewsletterSettings::default(),
            metrics: Metrics::default(),
            trusted_proxies: Vec::new(),
        }
    }
}

/// The site: the store, the options, the personas and the page cache. Cheap to clone.
#[derive(Clone)]
pub struct Site {
    inner: Arc<views::Inner>,
}

impl std::fmt::Debug for Site {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Site").field("base_url", &self.inner.base_url).finish_non_exhaustive()
    }
}

impl Site {
    /// A site over `store`. Fails only when the shipped personas do not read.
    pub fn new(store: Store, options: SiteOptions) -> Result<Self> {
        Ok(Site { inner: Arc::new(views::Inner::new(store, options)?) })
    }

    /// Asks the store now whether articles changed; if so, indexes them for search and drops
    /// the cached pages. Returns whether they changed. (Requests do this in the background at
    /// most every [`SiteOptions::change_check`].)
    pub async fn refresh(&self) -> Result<bool> {
        self.inner.refresh().await
    }

    /// The CSRF token the forms carry now: derived from the site's secret and the hour, so
    /// cached pages can share it.
    pub fn csrf_token(&self) -> String {
        self.inner.csrf_token(self.inner.now())
    }

    /// Whether `token` is a CSRF token this site issued in the last two hours (for the form
    /// handlers).
    pub fn csrf_valid(&self, token: &str) -> bool {
        self.inner.csrf_valid(token, self.inner.now())
    }

    /// Sends the pending reply notifications now, one pass (what the background task of
    /// [`serve`] does whenever a reply is recorded). Without an SMTP server nothing is sent.
    pub async fn send_notifications(&self) -> Result<NotificationRun> {
        notify::send_pending(&self.inner).await
    }

    /// The newsletter, as the site runs it (its links point at this site).
    pub fn newsletter(&self) -> &marketdesk_newsletter::Newsletter {
        &self.inner.newsletter
    }

    /// The store.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }
}

/// The newsletter as a site with `options` runs it, for commands that send without serving:
/// links to `options.base_url` (else `http://localhost`), signed with `options.secret`
/// (required: links must verify on the site later), mail through `options.mail`.
pub fn newsletter(
    store: Store,
    options: &SiteOptions,
) -> Result<marketdesk_newsletter::Newsletter> {
    let base_url = options.base_url.clone().unwrap_or_else(|| "http://localhost".to_owned());
    let secret = options.secret.clone().ok_or(Error::NoSecret)?;
    let mailer = options.mail.smtp.as_ref().map(marketdesk_mailer::Mailer::new).transpose()?;
    newsletter_over(store, options, base_url.trim_end_matches('/'), &secret, mailer)
}

pub(crate) fn newsletter_over(
    store: Store,
    options: &SiteOptions,
    base_url: &str,
    secret: &[u8],
    mailer: Option<marketdesk_mailer::Mailer>,
) -> Result<marketdesk_newsletter::Newsletter> {
    let settings = &options.newsletter;
    let dkim = settings
        .dkim
        .as_ref()
        .map(|d| marketdesk_mailer::Dkim::new(&d.domain, &d.selector, &d.key))
        .transpose()?;
    let opts = marketdesk_newsletter::Options {
        site_name: options.site_name.clone(),
        base_url: base_url.to_owned(),
        from: options.mail.from.clone(),
        ..settings.options.clone()
    };
    let clock = options.clock.clone();
    Ok(marketdesk_newsletter::Newsletter::new(store, opts, secret, mailer, dkim)
        .with_clock(move || clock.now()))
}

/// The whole site as an axum router (pages, feeds, static files, 404 fallback, and the
/// security, compression, timeout and body-limit layers).
pub fn router(site: Site) -> Router {
    routes::router(site)
}

/// Listens on `addr` (port 0 takes any free port), so a caller learns the address (and a
/// port in use is refused) before it starts anything else.
pub async fn bind(addr: SocketAddr) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| Error::Bind { addr: addr.to_string(), source })
}

/// Serves the site on `listener` until Ctrl-C or SIGTERM, then finishes the requests in
/// flight. Rebuilds the search index (companies, insiders, articles) first; requests wait
/// in the listener's queue meanwhile.
pub async fn serve(
    store: Store,
    listener: tokio::net::TcpListener,
    mut options: SiteOptions,
) -> Result<()> {
    let addr = listener
        .local_addr()
        .map_err(|source| Error::Bind { addr: "the listener".into(), source })?;
    if options.base_url.is_none() {
        options.base_url = Some(format!("http://{addr}"));
    }
    let counts = store.rebuild_search().await?;
    tracing::info!(
        articles = counts.articles,
        companies = counts.companies,
        insiders = counts.insiders,
        "search index rebuilt"
    );
    let site = Site::new(store, options)?;
    site.refresh().await?;
    tracing::info!("serving {} on http://{}", site.inner.site_name, addr);
    if site.inner.mailer.is_none() {
        tracing::warn!(
            "no SMTP server configured (MARKETDESK_SMTP_URL): reply notifications are recorded \
             and stay pending, none is sent"
        );
    }
    let sender = site.inner.mailer.is_some().then(|| tokio::spawn(notify::run(site.inner.clone())));
    let served =
        axum::serve(listener, router(site).into_make_service_with_connect_info::<SocketAddr>())
            .with_graceful_shutdown(shutdown_signal())
            .await
            .map_err(Error::Serve);
    if let Some(sender) = sender {
        // A pass cut short leaves its notification pending; the next start sends it.
        sender.abort();
    }
    served
}

/// Resolves on Ctrl-C, or SIGTERM on Unix: what `serve` stops on (and `marketdesk run`).
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if tokio::signal::ctrl_c().await.is_err() {
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}

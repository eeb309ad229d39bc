//! `marketdesk.toml`: settings that outlive one command. Flags and environment variables
//! override it.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde::Deserialize;

/// The whole config file; every section and key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct Config {
    pub(crate) edgar: EdgarConfig,
    pub(crate) quotes: QuotesConfig,
    pub(crate) smart_money: SmartMoneyConfig,
    pub(crate) writer: WriterConfig,
    pub(crate) web: WebConfig,
    pub(crate) feeds: FeedsConfig,
    pub(crate) mail: MailConfig,
    pub(crate) newsletter: NewsletterConfig,
    pub(crate) run: RunConfig,
}

/// `[run]`: how often `marketdesk run` does each job.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct RunConfig {
    /// Seconds between polls of EDGAR's current-filings feed (three requests each; at 20 s,
    /// 0.15 requests a second against EDGAR's ceiling of 10).
    pub(crate) edgar_current_secs: u64,
    /// Minutes between reads of the last days' daily indexes.
    pub(crate) edgar_index_minutes: u64,
    /// Minutes between feed polls (conditional GET).
    pub(crate) feeds_minutes: u64,
    /// Seconds between checks whether a newsletter issue is due.
    pub(crate) newsletter_check_secs: u64,
}

impl Default for RunConfig {
    fn default() -> Self {
        RunConfig {
            edgar_current_secs: 20,
            edgar_index_minutes: 30,
            feeds_minutes: 15,
            newsletter_check_secs: 60,
        }
    }
}

/// `[newsletter]`: the digest and its subscribers.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct NewsletterConfig {
    /// iCalendar files, directories or URLs of key dates (`ingest calendars` with no sources)
    /// [default: the shipped data/calendars].
    pub(crate) calendars: Vec<String>,
    /// Mails per second at most (env `MARKETDESK_NEWSLETTER_RATE`); unset or 0: as fast as the
    /// SMTP server takes them.
    pub(crate) rate: Option<f64>,
    /// Mails in flight at once (SMTP connections).
    pub(crate) concurrency: usize,
    /// The sender's postal address, printed in every issue's footer.
    pub(crate) postal_address: Option<String>,
    /// The address of the `mailto:` in `List-Unsubscribe` (a mailbox you read, or one whose
    /// mail you hand to the bounce webhook as `"type": "unsubscribe"`).
    pub(crate) unsubscribe_mailto: Option<String>,
    /// The bearer token `POST /newsletter/bounces` wants (env `MARKETDESK_BOUNCE_TOKEN`);
    /// unset: the webhook answers 403.
    pub(crate) bounce_token: Option<String>,
    /// Soft bounces that suppress an address (hard bounces and complaints do at once).
    pub(crate) soft_bounce_threshold: u32,
    /// Hours a confirmation link works.
    pub(crate) confirm_hours: u64,
    /// DKIM: the private key file (RSA PKCS#1 PEM, or an Ed25519 key in base64).
    pub(crate) dkim_key: Option<PathBuf>,
    /// DKIM: the selector (`SELECTOR._domainkey.DOMAIN` holds the public key).
    pub(crate) dkim_selector: Option<String>,
    /// DKIM: the signing domain.
    pub(crate) dkim_domain: Option<String>,
    /// When `marketdesk run` sends the day's issues, Eastern time, `HH:MM`.
    pub(crate) send_at: String,
}

impl Default for NewsletterConfig {
    fn default() -> Self {
        let d = marketdesk_newsletter::Options::default();
        NewsletterConfig {
            calendars: Vec::new(),
            rate: None,
            concurrency: d.concurrency,
            postal_address: None,
            unsubscribe_mailto: None,
            bounce_token: None,
            soft_bounce_threshold: d.soft_bounce_threshold,
            confirm_hours: d.confirm_ttl.as_secs() / 3600,
            dkim_key: None,
            dkim_selector: None,
            dkim_domain: None,
            send_at: "07:00".to_owned(),
        }
    }
}

impl NewsletterConfig {
    /// `send_at` read.
    pub(crate) fn send_at(&self) -> anyhow::Result<jiff::civil::Time> {
        let t = self.send_at.trim();
        jiff::civil::Time::strptime("%H:%M", t)
            .with_context(|| format!("[newsletter] send_at {t:?} is not HH:MM (e.g. \"07:00\")"))
    }

    /// The site's newsletter settings, environment over file.
    pub(crate) fn settings(&self) -> anyhow::Result<marketdesk_web::NewsletterSettings> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let rate = match env("MARKETDESK_NEWSLETTER_RATE") {
            Some(r) => Some(
                r.trim()
                    .parse::<f64>()
                    .context("MARKETDESK_NEWSLETTER_RATE must be mails per second")?,
            ),
            None => self.rate,
        }
        .filter(|r| *r > 0.0);
        anyhow::ensure!(self.concurrency >= 1, "[newsletter] concurrency must be at least 1");
        anyhow::ensure!(self.confirm_hours >= 1, "[newsletter] confirm_hours must be at least 1");
        let dkim = match (&self.dkim_key, &self.dkim_selector, &self.dkim_domain) {
            (None, None, None) => None,
            (Some(key), Some(selector), Some(domain)) => Some(marketdesk_web::DkimSettings {
                key: std::fs::read_to_string(key).with_context(|| {
                    format!("cannot read [newsletter] dkim_key {}", key.display())
                })?,
                selector: selector.clone(),
                domain: domain.clone(),
            }),
            _ => anyhow::bail!(
                "[newsletter] DKIM needs all of dkim_key, dkim_selector and dkim_domain"
            ),
        };
        Ok(marketdesk_web::NewsletterSettings {
            options: marketdesk_newsletter::Options {
                rate,
                concurrency: self.concurrency,
                postal_address: self.postal_address.clone(),
                unsubscribe_mailto: self.unsubscribe_mailto.clone(),
                soft_bounce_threshold: self.soft_bounce_threshold.max(1),
                confirm_ttl: std::time::Duration::from_secs(self.confirm_hours * 3600),
                ..marketdesk_newsletter::Options::default()
            },
            bounce_token: env("MARKETDESK_BOUNCE_TOKEN").or_else(|| self.bounce_token.clone()),
            dkim,
        })
    }
}

/// `[mail]`: sending mail (reply notifications, newsletter confirmations and issues).
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct MailConfig {
    /// The SMTP server, e.g. `smtp://127.0.0.1:2525` or
    /// `smtp://user:pass@host:587?tls=starttls` (env `MARKETDESK_SMTP_URL`); unset: no mail.
    pub(crate) smtp_url: Option<String>,
    /// The sender (env `MARKETDESK_MAIL_FROM`) [default: "marketdesk <noreply@localhost>"].
    pub(crate) from: Option<String>,
}

impl MailConfig {
    /// The site's mail options, environment over file.
    pub(crate) fn mail_options(&self) -> anyhow::Result<marketdesk_web::MailOptions> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let smtp = env("MARKETDESK_SMTP_URL")
            .or_else(|| self.smtp_url.clone())
            .map(|url| marketdesk_web::SmtpConfig::from_url(&url))
            .transpose()
            .context("MARKETDESK_SMTP_URL / [mail] smtp_url")?;
        let mut options = marketdesk_web::MailOptions { smtp, ..Default::default() };
        if let Some(from) = env("MARKETDESK_MAIL_FROM").or_else(|| self.from.clone()) {
            options.from = from;
        }
        Ok(options)
    }
}

/// `[feeds]`: the news feeds.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct FeedsConfig {
    /// The feeds file `ingest feeds` reads when given no sources.
    pub(crate) file: Option<PathBuf>,
    /// The User-Agent feed requests send [default: "marketdesk/VERSION"].
    pub(crate) user_agent: Option<String>,
}

impl FeedsConfig {
    /// The User-Agent feed (and calendar) requests send.
    pub(crate) fn user_agent(&self) -> String {
        self.user_agent
            .clone()
            .unwrap_or_else(|| concat!("marketdesk/", env!("CARGO_PKG_VERSION")).to_owned())
    }
}

/// `[web]`: the website.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct WebConfig {
    /// The public address pages, feeds and mails link to (env `MARKETDESK_BASE_URL`).
    pub(crate) base_url: Option<String>,
    /// Signs form tokens; every web node of one site needs the same (env `MARKETDESK_SECRET`).
    pub(crate) secret: Option<String>,
    /// Comments per address and per article, e.g. "5/min" (env `MARKETDESK_COMMENT_RATE`)
    /// [default: 2/min per address, 10/min per article].
    pub(crate) comment_rate: Option<String>,
    /// Hold every comment for moderation.
    pub(crate) comment_premoderate: bool,
    /// Comments containing one of these words wait for moderation.
    pub(crate) comment_words: Vec<String>,
    /// Reverse proxies or load balancers (addresses or ranges such as `10.0.0.0/8`) whose
    /// `X-Forwarded-For` names the client (env `MARKETDESK_TRUSTED_PROXIES`, comma-separated).
    pub(crate) trusted_proxies: Vec<String>,
}

impl WebConfig {
    /// The site's options, environment over file.
    pub(crate) fn site_options(&self) -> anyhow::Result<marketdesk_web::SiteOptions> {
        let env = |k: &str| std::env::var(k).ok().filter(|v| !v.trim().is_empty());
        let mut comments = marketdesk_web::CommentOptions {
            premoderate: self.comment_premoderate,
            words: self.comment_words.clone(),
            ..marketdesk_web::CommentOptions::default()
        };
        if let Some(rate) = env("MARKETDESK_COMMENT_RATE").or_else(|| self.comment_rate.clone()) {
            let rate: marketdesk_web::Rate = rate.parse().map_err(|e: String| {
                anyhow::anyhow!("MARKETDESK_COMMENT_RATE / comment_rate: {e}")
            })?;
            comments.rate_per_ip = rate;
            comments.rate_per_article = rate;
        }
        let proxies: Vec<String> = match env("MARKETDESK_TRUSTED_PROXIES") {
            Some(list) => list.split(',').map(str::to_owned).collect(),
            None => self.trusted_proxies.clone(),
        };
        let trusted_proxies = proxies
            .iter()
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.parse::<marketdesk_web::Cidr>())
            .collect::<Result<Vec<_>, String>>()
            .map_err(|e| {
                anyhow::anyhow!("MARKETDESK_TRUSTED_PROXIES / [web] trusted_proxies: {e}")
            })?;
        Ok(marketdesk_web::SiteOptions {
            trusted_proxies,
            base_url: env("MARKETDESK_BASE_URL").or_else(|| self.base_url.clone()),
            secret: env("MARKETDESK_SECRET")
                .or_else(|| self.secret.clone())
                .map(String::into_bytes),
            comments,
            ..marketdesk_web::SiteOptions::default()
        })
    }
}

/// `[writer]`: when a signal deserves an article.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct WriterConfig {
    /// Signals scoring below this (0-100) get no article.
    pub(crate) min_score: f64,
}

impl Default for WriterConfig {
    fn default() -> Self {
        WriterConfig { min_score: 30.0 }
    }
}

/// `[smart_money]`: the managers the 13F desk follows.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct SmartMoneyConfig {
    /// A watchlist file (`[[manager]] cik, name, person`); the shipped list when unset.
    pub(crate) watchlist: Option<PathBuf>,
}

/// The shipped watchlist of well-known long-term investors.
const SHIPPED_WATCHLIST: &str = include_str!("../../../data/watchlist.toml");

impl SmartMoneyConfig {
    /// The configured watchlist, or the shipped one.
    pub(crate) fn watchlist(&self) -> anyhow::Result<marketdesk_desks::holdings::Watchlist> {
        let (text, source) = match &self.watchlist {
            Some(p) => (
                std::fs::read_to_string(p)
                    .with_context(|| format!("cannot read watchlist {}", p.display()))?,
                p.display().to_string(),
            ),
            None => (SHIPPED_WATCHLIST.to_owned(), "data/watchlist.toml".to_owned()),
        };
        toml::from_str(&text).with_context(|| format!("invalid watchlist {source}"))
    }
}

/// `[quotes]`: where daily bars come from besides imported files.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct QuotesConfig {
    /// A daily-CSV service URL with `{ticker}`, e.g.
    /// `https://stooq.com/q/d/l/?s={ticker}.us&i=d`; unset means never fetch.
    pub(crate) url: Option<String>,
}

/// `[edgar]`: how to reach EDGAR.
#[derive(Debug, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub(crate) struct EdgarConfig {
    /// "Company Name contact@example.com".
    pub(crate) user_agent: Option<String>,
    /// EDGAR's address.
    pub(crate) base_url: String,
    /// Requests per second across the process; EDGAR's ceiling is 10.
    pub(crate) max_requests_per_second: f64,
    /// Filings fetched at once.
    pub(crate) concurrency: usize,
}

impl Default for EdgarConfig {
    fn default() -> Self {
        EdgarConfig {
            user_agent: None,
            base_url: "https://www.sec.gov/".to_owned(),
            max_requests_per_second: 10.0,
            concurrency: 8,
        }
    }
}

impl Config {
    /// Reads `path`, or `./marketdesk.toml` when no path is given and that file exists.
    pub(crate) fn load(path: Option<&Path>) -> anyhow::Result<Self> {
        let (path, required) = match path {
            Some(p) => (p.to_path_buf(), true),
            None => (PathBuf::from("marketdesk.toml"), false),
        };
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if !required && e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(Config::default());
            }
            Err(e) => {
                return Err(e).with_context(|| format!("cannot read config {}", path.display()));
            }
        };
        let config: Config =
            toml::from_str(&text).with_context(|| format!("invalid config {}", path.display()))?;
        anyhow::ensure!(
            config.edgar.max_requests_per_second > 0.0
                && config.edgar.max_requests_per_second <= 10.0,
            "{}: edgar.max_requests_per_second must be above 0 and at most 10 (EDGAR's limit)",
            path.display()
        );
        anyhow::ensure!(
            config.edgar.concurrency >= 1,
            "{}: edgar.concurrency must be at least 1",
            path.display()
        );
        Ok(config)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_config_takes_defaults() {
        let c: Config = toml::from_str("[edgar]\nuser_agent = \"A b@c.d\"\n").expect("parses");
        assert_eq!(c.edgar.user_agent.as_deref(), Some("A b@c.d"));
        assert_eq!(c.edgar.max_requests_per_second, 10.0);
    }

    #[test]
    fn the_shipped_watchlist_reads() {
        let w = SmartMoneyConfig::default().watchlist().expect("shipped list");
        assert!(w.managers.len() >= 5);
        assert!(w.tracks(marketdesk_core::Cik::parse("1067983").expect("cik")));
    }

    #[test]
    fn unknown_keys_are_rejected() {
        assert!(toml::from_str::<Config>("[edgar]\nuseragent = \"x\"\n").is_err());
    }

    #[test]
    fn rate_above_edgar_limit_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = dir.path().join("m.toml");
        std::fs::write(&p, "[edgar]\nmax_requests_per_second = 20\n").expect("write");
        let err = Config::load(Some(&p)).expect_err("refused");
        assert!(err.to_string().contains("at most 10"), "{err}");
    }
}

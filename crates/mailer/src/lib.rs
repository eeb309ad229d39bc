//! marketdesk's mailer: sending mail over SMTP, shared by the comment reply notifications and
//! the newsletter.
//!
//! - [`SmtpConfig::from_url`] reads `MARKETDESK_SMTP_URL`: `smtp://127.0.0.1:2525` (plain, no
//!   TLS, for a local server), `smtp://user:pass@host:587?tls=starttls` (STARTTLS required,
//!   with auth) or `smtps://user:pass@host:465` (TLS from the first byte). Errors name the bad
//!   part of the URL.
//! - [`Mailer`] speaks SMTP through lettre's protocol client over its own pool of kept-open
//!   connections with `TCP_NODELAY` (see `pool.rs` for why), rustls with aws-lc-rs. [`Mailer::send`] retries transient failures (4xx replies, lost connections)
//!   a few times with a growing pause and returns [`SendError::Permanent`] for a 5xx reply, so
//!   callers can record a permanent failure and never try that message again.
//! - [`TextMail`] builds a plain message: a text body, or text and HTML as
//!   multipart/alternative, with extra headers (`List-Unsubscribe`) and a stable Message-ID;
//!   [`Dkim`] signs it (RFC 6376, relaxed/relaxed, covering the list headers).
//!
//! It owns the wire: SMTP, TLS, MIME. It must not decide who gets mail, when, or how often
//! (callers keep their own send log and rate limits), must not read the environment, config
//! files or the clock for anything but the transport's own timeouts, and knows nothing of the
//! store or the web.

use std::{fmt, time::Duration};

mod pool;

use std::sync::Arc;

use lettre::{
    message::{
        Mailbox, MultiPart, SinglePart,
        dkim::{
            DkimCanonicalization, DkimCanonicalizationType, DkimConfig, DkimSigningAlgorithm,
            DkimSigningKey,
        },
        header::{ContentType, HeaderName, HeaderValue},
    },
    transport::smtp::client::TlsParameters,
};
use pool::Pool;

pub use lettre::{Address, Message};

/// How the connection to the SMTP server is protected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Security {
    /// None: plain text, for a server on the same machine (`smtp://`).
    None,
    /// STARTTLS, required (`smtp://...?tls=starttls`).
    StartTls,
    /// TLS from the first byte (`smtps://`, or `?tls=wrapper`).
    Wrapper,
}

/// Where and how to send mail, read from a URL.
#[derive(Clone, PartialEq, Eq)]
pub struct SmtpConfig {
    /// The server's host name or address.
    pub host: String,
    /// Its port.
    pub port: u16,
    /// TLS or not.
    pub security: Security,
    /// User name and password for AUTH, if any.
    pub credentials: Option<(String, String)>,
}

impl fmt::Debug for SmtpConfig {
    // Never prints the password.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("user", &self.credentials.as_ref().map(|(u, _)| u))
            .finish()
    }
}

/// Why an SMTP URL does not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConfigError {
    /// Not a URL at all.
    #[error("SMTP URL {url:?} does not read as a URL: {reason}")]
    NotAUrl {
        /// The URL as given (password hidden).
        url: String,
        /// Why.
        reason: String,
    },
    /// The scheme is not `smtp` or `smtps`.
    #[error("SMTP URL scheme {0:?} is not smtp or smtps")]
    Scheme(String),
    /// No host.
    #[error("SMTP URL has no host (expected e.g. smtp://127.0.0.1:2525)")]
    NoHost,
    /// `tls=` has a value other than none, starttls or wrapper.
    #[error("SMTP URL parameter tls={0:?} is not one of none, starttls, wrapper")]
    Tls(String),
    /// `smtps://` with `tls=none` or `tls=starttls`.
    #[error("SMTP URL: smtps:// always uses TLS from the first byte, so tls={0:?} contradicts it")]
    Contradiction(String),
    /// A query parameter other than `tls`.
    #[error("SMTP URL parameter {0:?} is unknown (only tls= is read)")]
    Parameter(String),
    /// A user name or password that is not valid percent-encoded UTF-8.
    #[error("SMTP URL {0} is not valid percent-encoded UTF-8")]
    Encoding(&'static str),
    /// A user without a password, or a password without a user.
    #[error("SMTP URL gives a user without a password (expected user:password@host)")]
    HalfCredentials,
    /// Credentials over a connection without TLS.
    #[error(
        "SMTP URL sends a password without TLS; add ?tls=starttls or use smtps:// (or drop \
         user:password@ for a local server)"
    )]
    CredentialsWithoutTls,
    /// A path after the host.
    #[error("SMTP URL path {0:?} means nothing here (expected nothing after host:port)")]
    Path(String),
}

impl SmtpConfig {
    /// Reads `smtp://[user:pass@]host[:port][?tls=none|starttls|wrapper]` or
    /// `smtps://[user:pass@]host[:port]`. Default ports: 25 plain, 587 STARTTLS, 465 TLS.
    pub fn from_url(s: &str) -> Result<Self, ConfigError> {
        let url = url::Url::parse(s.trim())
            .map_err(|e| ConfigError::NotAUrl { url: hide_password(s), reason: e.to_string() })?;
        let implicit = match url.scheme() {
            "smtp" => false,
            "smtps" => true,
            other => return Err(ConfigError::Scheme(other.to_owned())),
        };
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or(ConfigError::NoHost)?;
        // `Url` keeps IPv6 hosts bracketed; lettre wants the bare address.
        let host = host.trim_start_matches('[').trim_end_matches(']').to_owned();
        if !matches!(url.path(), "" | "/") {
            return Err(ConfigError::Path(url.path().to_owned()));
        }
        let mut security = if implicit { Security::Wrapper } else { Security::None };
        for (k, v) in url.query_pairs() {
            if k != "tls" {
                return Err(ConfigError::Parameter(k.into_owned()));
            }
            let wanted = match v.to_ascii_lowercase().as_str() {
                "none" | "off" | "false" => Security::None,
                "starttls" => Security::StartTls,
                "wrapper" | "tls" | "implicit" => Security::Wrapper,
                _ => return Err(ConfigError::Tls(v.into_owned())),
            };
            if implicit && wanted != Security::Wrapper {
                return Err(ConfigError::Contradiction(v.into_owned()));
            }
            security = wanted;
        }
        let port = url.port().unwrap_or(match security {
            Security::None => 25,
            Security::StartTls => 587,
            Security::Wrapper => 465,
        });
        let decode = |part: &str, what: &'static str| {
            url::form_urlencoded::parse(format!("x={}", part.replace('+', "%2B")).as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .filter(|v| !v.contains('\u{FFFD}'))
                .ok_or(ConfigError::Encoding(what))
        };
        let credentials = match (url.username(), url.password()) {
            ("", None) => None,
            (u, Some(p)) if !u.is_empty() => {
                Some((decode(u, "user name")?, decode(p, "password")?))
            }
            _ => return Err(ConfigError::HalfCredentials),
        };
        if credentials.is_some() && security == Security::None {
            return Err(ConfigError::CredentialsWithoutTls);
        }
        Ok(SmtpConfig { host, port, security, credentials })
    }
}

/// The URL with any password replaced, for error messages.
fn hide_password(s: &str) -> String {
    match (s.find("://"), s.rfind('@')) {
        (Some(start), Some(at)) if at > start => {
            let userinfo = &s[start + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &s[..start + 3], &s[at..]),
                None => s.to_owned(),
            }
        }
        _ => s.to_owned(),
    }
}

/// Why a mail was not sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SendError {
    /// The server refused the message for good (a 5xx reply): do not try it again.
    #[error("refused permanently by the SMTP server: {message}")]
    Permanent {
        /// The server's reply code, e.g. "550".
        code: Option<String>,
        /// What the server said.
        message: String,
    },
    /// Still failing after every retry (4xx replies, connection trouble): try again later.
    #[error("not sent after {attempts} attempts: {message}")]
    Transient {
        /// Attempts made.
        attempts: u32,
        /// The last failure.
        message: String,
    },
}

impl SendError {
    /// Whether retrying later can help.
    pub fn is_permanent(&self) -> bool {
        matches!(self, SendError::Permanent { .. })
    }
}

/// Why a message could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// An address (from or to) is not a valid mailbox.
    #[error("{role} address {address:?} is not a valid mailbox: {reason}")]
    Address {
        /// "from" or "to".
        role: &'static str,
        /// The address as given.
        address: String,
        /// Why.
        reason: String,
    },
    /// lettre refused the message.
    #[error("building the message: {0}")]
    Message(#[from] lettre::error::Error),
    /// A header name that is not printable ASCII without a colon.
    #[error("header name {0:?} is not valid")]
    Header(String),
}

/// Why a [`Mailer`] could not be made.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// TLS could not be set up for the host.
    #[error("setting up TLS for {host}: {source}")]
    Tls {
        /// The host.
        host: String,
        /// Why.
        source: lettre::transport::smtp::Error,
    },
}

/// How often and how patiently [`Mailer::send`] retries a transient failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Attempts in all (at least 1). Default 3.
    pub attempts: u32,
    /// The pause after the first failure; it doubles after each further one. Default 1 s.
    pub pause: Duration,
}

impl Default for Retry {
    fn default() -> Self {
        Retry { attempts: 3, pause: Duration::from_secs(1) }
    }
}

/// Sends mail through one SMTP server. Cheap to clone (the connection pool is shared).
#[derive(Clone)]
pub struct Mailer {
    pool: Arc<Pool>,
    retry: Retry,
    server: String,
}

impl fmt::Debug for Mailer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Mailer").field("server", &self.server).field("retry", &self.retry).finish()
    }
}

impl Mailer {
    /// A mailer for `config` (no connection is made until the first send).
    pub fn new(config: &SmtpConfig) -> Result<Self, TransportError> {
        let tls = match config.security {
            Security::None => None,
            Security::StartTls | Security::Wrapper => Some(
                TlsParameters::new(config.host.clone())
                    .map_err(|source| TransportError::Tls { host: config.host.clone(), source })?,
            ),
        };
        Ok(Mailer {
            pool: Arc::new(Pool::new(config.clone(), tls)),
            retry: Retry::default(),
            server: format!("{}:{}", config.host, config.port),
        })
    }

    /// The same mailer with another retry policy.
    pub fn with_retry(mut self, retry: Retry) -> Self {
        self.retry = retry;
        self
    }

    /// Sends `message` to its recipients. A 4xx reply or a connection failure is retried (with
    /// a pause that doubles) up to [`Retry::attempts`] times; a 5xx reply is returned at once
    /// as [`SendError::Permanent`].
    pub async fn send(&self, message: &Message) -> Result<(), SendError> {
        let envelope = message.envelope();
        let bytes = message.formatted();
        let attempts = self.retry.attempts.max(1);
        let mut pause = self.retry.pause;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let err = match self.pool.send(envelope, &bytes).await {
                Ok(_) => return Ok(()),
                Err(e) => e,
            };
            if err.is_permanent() {
                return Err(SendError::Permanent { code: err.code(), message: err.to_string() });
            }
            tracing::debug!(server = %self.server, attempt, "SMTP send failed, may retry: {err}");
            if attempt >= attempts {
                return Err(SendError::Transient { attempts: attempt, message: err.to_string() });
            }
            tokio::time::sleep(pause).await;
            pause = pause.saturating_mul(2);
        }
    }
}

/// A plain message: text, and optionally HTML beside it (multipart/alternative).
#[derive(Debug, Clone, Default)]
pub struct TextMail {
    /// The sender, e.g. `marketdesk <noreply@example.com>`.
    pub from: String,
    /// The recipient.
    pub to: String,
    /// The subject line.
    pub subject: String,
    /// The plain-text body.
    pub text: String,
    /// An HTML version of the same content, if any.
    pub html: Option<String>,
    /// The Date header; the system time when `None`.
    pub date: Option<std::time::SystemTime>,
    /// The Message-ID, angle brackets included; a random one when `None`. A stable id lets
    /// mail clients drop a copy that arrives twice.
    pub message_id: Option<String>,
    /// Further headers, name and value (e.g. `List-Unsubscribe`), in order.
    pub headers: Vec<(String, String)>,
}

impl TextMail {
    /// The message, ready for [`Mailer::send`].
    pub fn build(&self) -> Result<Message, BuildError> {
        let mailbox = |role: &'static str, address: &str| {
            address.parse::<Mailbox>().map_err(|e| BuildError::Address {
                role,
                address: address.to_owned(),
                reason: e.to_string(),
            })
        };
        let mut builder = Message::builder()
            .from(mailbox("from", &self.from)?)
            .to(mailbox("to", &self.to)?)
            .subject(self.subject.clone());
        builder = match self.date {
            Some(d) => builder.date(d),
            None => builder.date_now(),
        };
        builder = builder.message_id(self.message_id.clone());
        for (name, value) in &self.headers {
            let name = HeaderName::new_from_ascii(name.clone())
                .map_err(|_| BuildError::Header(name.clone()))?;
            builder = builder.raw_header(HeaderValue::new(name, value.clone()));
        }
        let message = match &self.html {
            None => builder.singlepart(
                SinglePart::builder().header(ContentType::TEXT_PLAIN).body(self.text.clone()),
            )?,
            Some(html) => builder
                .multipart(MultiPart::alternative_plain_html(self.text.clone(), html.clone()))?,
        };
        Ok(message)
    }

    /// The message signed with `dkim`, when given.
    pub fn build_signed(&self, dkim: Option<&Dkim>) -> Result<Message, BuildError> {
        let mut message = self.build()?;
        if let Some(dkim) = dkim {
            message.sign(&dkim.config);
        }
        Ok(message)
    }
}

/// A DKIM signer (RFC 6376): the domain, the selector and the private key, and the headers the
/// signature covers.
pub struct Dkim {
    config: DkimConfig,
}

impl fmt::Debug for Dkim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Dkim")
    }
}

/// Why a DKIM key does not read.
#[derive(Debug, thiserror::Error)]
#[error(
    "DKIM private key does not read: {0} (expected an RSA key in PKCS#1 PEM, \
         \"-----BEGIN RSA PRIVATE KEY-----\", e.g. from `openssl genrsa -traditional 2048`, \
         or an Ed25519 key as the base64 of its 32 bytes)"
)]
pub struct DkimError(String);

/// The headers a signature covers: the ones a reader sees and the ones RFC 8058 requires to
/// be signed for one-click unsubscribing. Not Content-Type: lettre writes a multipart body's
/// Content-Type only when formatting, after signing, so a signature over it would not verify
/// (the body hash covers the parts anyway).
const DKIM_HEADERS: [&str; 8] = [
    "From",
    "To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "List-Unsubscribe",
    "List-Unsubscribe-Post",
];

impl Dkim {
    /// A signer for `domain` with `selector` and the private key's text (RSA PKCS#1 PEM, or
    /// an Ed25519 key in base64).
    pub fn new(domain: &str, selector: &str, key: &str) -> Result<Self, DkimError> {
        let key = key.trim();
        let algorithm = if key.starts_with("-----BEGIN") {
            DkimSigningAlgorithm::Rsa
        } else {
            DkimSigningAlgorithm::Ed25519
        };
        let key = DkimSigningKey::new(key, algorithm).map_err(|e| DkimError(format!("{e:?}")))?;
        let headers = DKIM_HEADERS
            .iter()
            .filter_map(|h| HeaderName::new_from_ascii((*h).to_owned()).ok())
            .collect();
        Ok(Dkim {
            config: DkimConfig::new(
                selector.to_owned(),
                domain.to_owned(),
                key,
                headers,
                DkimCanonicalization {
                    header: DkimCanonicalizationType::Relaxed,
                    body: DkimCanonicalizationType::Relaxed,
                },
            ),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(url: &str) -> ConfigError {
        match SmtpConfig::from_url(url) {
            Ok(c) => panic!("{url} read as {c:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn urls_read() {
        let local = SmtpConfig::from_url("smtp://127.0.0.1:2525").expect("local");
        assert_eq!(
            local,
            SmtpConfig {
                host: "127.0.0.1".to_owned(),
                port: 2525,
                security: Security::None,
                credentials: None
            }
        );
        let st = SmtpConfig::from_url("smtp://me%40x.com:p%2Fw+d@mail.example.com?tls=starttls")
            .expect("starttls");
        assert_eq!(st.port, 587);
        assert_eq!(st.security, Security::StartTls);
        assert_eq!(st.credentials, Some(("me@x.com".to_owned(), "p/w+d".to_owned())));
        assert!(!format!("{st:?}").contains("p/w"), "Debug hides the password");
        let tls = SmtpConfig::from_url("smtps://u:p@mail.example.com").expect("smtps");
        assert_eq!((tls.port, tls.security), (465, Security::Wrapper));
        assert_eq!(SmtpConfig::from_url("smtp://[::1]:25").expect("v6").host, "::1");
        assert_eq!(SmtpConfig::from_url("smtp://localhost").expect("default").port, 25);
    }

    #[test]
    fn bad_urls_name_the_bad_part() {
        assert!(matches!(err("http://h:25"), ConfigError::Scheme(s) if s == "http"));
        assert!(matches!(err("not a url"), ConfigError::NotAUrl { .. }));
        assert!(matches!(err("smtp://h:99999"), ConfigError::NotAUrl { .. }));
        assert!(matches!(err("smtp://h?tls=maybe"), ConfigError::Tls(v) if v == "maybe"));
        assert!(matches!(err("smtp://h?mode=x"), ConfigError::Parameter(p) if p == "mode"));
        assert!(matches!(err("smtps://h?tls=none"), ConfigError::Contradiction(_)));
        assert!(matches!(err("smtp://u:p@h:25"), ConfigError::CredentialsWithoutTls));
        assert!(matches!(err("smtp://u@h?tls=starttls"), ConfigError::HalfCredentials));
        assert!(matches!(err("smtp://h/inbox"), ConfigError::Path(p) if p == "/inbox"));
        assert!(matches!(err("smtp:relative"), ConfigError::NoHost));
        let shown = err("ftp://user:secret@h").to_string();
        assert!(shown.contains("ftp"), "{shown}");
        let shown = err("smtp://user:secret@h:x").to_string();
        assert!(!shown.contains("secret"), "{shown}");
    }

    #[test]
    fn messages_build_plain_or_alternative() {
        let mut mail = TextMail {
            from: "marketdesk <noreply@localhost>".to_owned(),
            to: "ann@example.com".to_owned(),
            subject: "Hello".to_owned(),
            text: "plain words".to_owned(),
            ..TextMail::default()
        };
        let plain = String::from_utf8(mail.build().expect("plain").formatted()).expect("utf8");
        assert!(plain.contains("To: ann@example.com"), "{plain}");
        assert!(plain.contains("text/plain"), "{plain}");
        mail.html = Some("<p>html words</p>".to_owned());
        let both = String::from_utf8(mail.build().expect("both").formatted()).expect("utf8");
        assert!(both.contains("multipart/alternative"), "{both}");
        mail.to = "not an address".to_owned();
        assert!(matches!(mail.build(), Err(BuildError::Address { role: "to", .. })));
    }
}

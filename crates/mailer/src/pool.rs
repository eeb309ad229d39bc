//! Connections to the SMTP server, kept open between messages, with `TCP_NODELAY` set.
//!
//! lettre writes a message and its end-of-data marker (`CRLF.CRLF`) in two writes and then
//! waits for the reply. With Nagle's algorithm on (lettre's own transport leaves it on) the
//! small second write waits for the peer's delayed ACK, about 40 ms, so every connection
//! managed at most ~25 messages a second. Our own sockets turn Nagle off; lettre still speaks
//! the protocol (EHLO, STARTTLS, AUTH, MAIL/RCPT/DATA) over them. Implicit TLS (`smtps://`) is
//! set up by lettre, which owns that socket.

use std::{
    sync::Mutex,
    time::{Duration, Instant},
};

use lettre::{
    address::Envelope,
    transport::smtp::{
        authentication::{Credentials, Mechanism},
        client::{AsyncSmtpConnection, TlsParameters},
        extension::ClientId,
    },
};

use crate::{Security, SmtpConfig};

/// How long one connection attempt or one message may take.
const TIMEOUT: Duration = Duration::from_secs(60);
/// Idle connections older than this are closed rather than reused (servers drop idle clients;
/// Postfix after 300 s).
const MAX_IDLE: Duration = Duration::from_secs(30);

/// Why a send failed: the server's reply, or the network.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The server answered with an error, or lettre refused.
    Smtp(lettre::transport::smtp::Error),
    /// Connecting, or a timeout.
    Io(std::io::Error),
    /// Connecting or logging in was refused: the server (or our credentials), not this
    /// message, so never a permanent failure of the message.
    Connect(lettre::transport::smtp::Error),
}

impl Failure {
    pub(crate) fn is_permanent(&self) -> bool {
        matches!(self, Failure::Smtp(e) if e.is_permanent())
    }

    pub(crate) fn code(&self) -> Option<String> {
        match self {
            Failure::Smtp(e) | Failure::Connect(e) => e.status().map(|c| c.to_string()),
            Failure::Io(_) => None,
        }
    }
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Smtp(e) => write!(f, "{e}"),
            Failure::Io(e) => write!(f, "connection error: {e}"),
            Failure::Connect(e) => write!(f, "connecting or logging in: {e}"),
        }
    }
}

impl From<lettre::transport::smtp::Error> for Failure {
    fn from(e: lettre::transport::smtp::Error) -> Self {
        Failure::Smtp(e)
    }
}

fn timed_out(what: &str) -> Failure {
    Failure::Io(std::io::Error::new(std::io::ErrorKind::TimedOut, format!("{what} timed out")))
}

/// Open connections to one server.
pub(crate) struct Pool {
    config: SmtpConfig,
    tls: Option<TlsParameters>,
    hello: ClientId,
    idle: Mutex<Vec<(AsyncSmtpConnection, Instant)>>,
}

impl Pool {
    pub(crate) fn new(config: SmtpConfig, tls: Option<TlsParameters>) -> Self {
        Pool { config, tls, hello: ClientId::default(), idle: Mutex::new(Vec::new()) }
    }

    /// Sends one message over an idle connection, or a new one; the connection goes back to
    /// the pool unless the exchange broke it.
    pub(crate) async fn send(&self, envelope: &Envelope, bytes: &[u8]) -> Result<(), Failure> {
        let mut conn = self.take().await?;
        let result = match tokio::time::timeout(TIMEOUT, conn.send(envelope, bytes)).await {
            Ok(r) => r.map(|_| ()).map_err(Failure::from),
            Err(_) => {
                // Mid-transaction: the connection cannot be reused (dropped, not QUIT: the
                // server is not answering).
                drop(conn);
                return Err(timed_out("sending the message"));
            }
        };
        if !conn.has_broken() {
            let mut idle = self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            idle.push((conn, Instant::now()));
        }
        result
    }

    async fn take(&self) -> Result<AsyncSmtpConnection, Failure> {
        let (fresh, stale) = {
            let mut idle = self.idle.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            // Every connection idle too long goes, not just the one at hand, so a burst's extra
            // connections do not linger half-closed.
            let (keep, stale): (Vec<_>, Vec<_>) = std::mem::take(&mut *idle)
                .into_iter()
                .partition(|(c, since)| since.elapsed() < MAX_IDLE && !c.has_broken());
            *idle = keep;
            (idle.pop(), stale)
        };
        for (mut conn, _) in stale {
            // QUIT politely, but never wait long on a server that went away.
            let _ = tokio::time::timeout(Duration::from_secs(2), conn.abort()).await;
        }
        if let Some((conn, _)) = fresh {
            return Ok(conn);
        }
        match tokio::time::timeout(TIMEOUT, self.connect()).await {
            Ok(r) => r.map_err(|e| match e {
                Failure::Smtp(e) => Failure::Connect(e),
                other => other,
            }),
            Err(_) => Err(timed_out("connecting to the SMTP server")),
        }
    }

    async fn connect(&self) -> Result<AsyncSmtpConnection, Failure> {
        let addr = (self.config.host.as_str(), self.config.port);
        let mut conn = match (self.config.security, &self.tls) {
            (Security::Wrapper, Some(tls)) => {
                AsyncSmtpConnection::connect_tokio1(
                    addr,
                    Some(TIMEOUT),
                    &self.hello,
                    Some(tls.clone()),
                    None,
                )
                .await?
            }
            _ => {
                let tcp = tokio::net::TcpStream::connect(addr).await.map_err(Failure::Io)?;
                tcp.set_nodelay(true).map_err(Failure::Io)?;
                let mut conn =
                    AsyncSmtpConnection::connect_with_transport(Box::new(tcp), &self.hello).await?;
                if let (Security::StartTls, Some(tls)) = (self.config.security, &self.tls) {
                    conn.starttls(tls.clone(), &self.hello).await?;
                }
                conn
            }
        };
        if let Some((user, pass)) = &self.config.credentials {
            let credentials = Credentials::new(user.clone(), pass.clone());
            conn.auth(&[Mechanism::Plain, Mechanism::Login], &credentials).await?;
        }
        Ok(conn)
    }
}

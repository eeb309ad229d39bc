//! Signed links: confirmation (expiring) and unsubscribe (lasting). A token is the data in the
//! clear and an HMAC-SHA256 of it under the site's secret, truncated to 128 bits, all in
//! characters that need no escaping in a URL path.

use hmac::{Hmac, KeyInit, Mac};
use jiff::Timestamp;
use marketdesk_store::Cadence;
use sha2::Sha256;

/// Makes and checks the newsletter's signed tokens.
#[derive(Clone)]
pub struct Tokens {
    key: Vec<u8>,
}

impl std::fmt::Debug for Tokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tokens")
    }
}

/// A genuine confirmation token's content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfirmToken {
    /// The subscriber.
    pub subscriber: i64,
    /// The cadence it confirms.
    pub cadence: Cadence,
    /// When the mail was asked for.
    pub issued: Timestamp,
}

/// Why a token was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// Not one this site made (mistyped, cut short, forged).
    #[error("the link is not valid")]
    Invalid,
    /// Genuine but too old.
    #[error("the link has expired")]
    Expired,
}

fn letter(c: Cadence) -> &'static str {
    match c {
        Cadence::Daily => "d",
        Cadence::Weekly => "w",
    }
}

/// A signature as written: 32 lower-case hex digits, read back into its 16 bytes.
fn signature_bytes(sig: &str) -> Option<[u8; 16]> {
    let b = sig.as_bytes();
    if b.len() != 32 || !b.iter().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c)) {
        return None;
    }
    let mut out = [0u8; 16];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&sig[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

impl Tokens {
    /// Tokens under `key` (the site's secret).
    pub fn new(key: &[u8]) -> Self {
        Tokens { key: key.to_vec() }
    }

    /// The HMAC of `data` for `purpose`, before finalising. HMAC takes a key of any length,
    /// so `None` does not happen in practice.
    fn hmac(&self, purpose: &str, data: &str) -> Option<Hmac<Sha256>> {
        let mut mac = Hmac::<Sha256>::new_from_slice(&self.key).ok()?;
        mac.update(purpose.as_bytes());
        mac.update(&[0]);
        mac.update(data.as_bytes());
        Some(mac)
    }

    /// The signature: the HMAC's first 16 bytes in hex.
    fn mac(&self, purpose: &str, data: &str) -> String {
        self.hmac(purpose, data).map_or_else(String::new, |m| {
            m.finalize().into_bytes().iter().take(16).map(|b| format!("{b:02x}")).collect()
        })
    }

    /// Whether `sig` is the signature of `data` for `purpose` (compared in constant time by
    /// the hmac crate).
    fn verify(&self, purpose: &str, data: &str, sig: &str) -> bool {
        let (Some(mac), Some(bytes)) = (self.hmac(purpose, data), signature_bytes(sig)) else {
            return false;
        };
        mac.verify_truncated_left(&bytes).is_ok()
    }

    /// The confirmation token for `subscriber` and `cadence`, issued at `issued`.
    pub fn confirm(&self, subscriber: i64, cadence: Cadence, issued: Timestamp) -> String {
        let data = format!("{subscriber}-{}-{}", letter(cadence), issued.as_second());
        let sig = self.mac("newsletter-confirm", &data);
        format!("{data}-{sig}")
    }

    /// Reads a confirmation token, refusing forged ones and those older than `ttl` at `now`.
    pub fn check_confirm(
        &self,
        token: &str,
        now: Timestamp,
        ttl: std::time::Duration,
    ) -> Result<ConfirmToken, TokenError> {
        let (data, sig) = token.rsplit_once('-').ok_or(TokenError::Invalid)?;
        if !self.verify("newsletter-confirm", data, sig) {
            return Err(TokenError::Invalid);
        }
        let mut parts = data.split('-');
        let subscriber = parts.next().and_then(|p| p.parse().ok()).ok_or(TokenError::Invalid)?;
        let cadence = match parts.next() {
            Some("d") => Cadence::Daily,
            Some("w") => Cadence::Weekly,
            _ => return Err(TokenError::Invalid),
        };
        let secs: i64 = parts.next().and_then(|p| p.parse().ok()).ok_or(TokenError::Invalid)?;
        let issued = Timestamp::from_second(secs).map_err(|_| TokenError::Invalid)?;
        let ttl = i64::try_from(ttl.as_secs()).unwrap_or(i64::MAX);
        if now.as_second().saturating_sub(secs) > ttl {
            return Err(TokenError::Expired);
        }
        Ok(ConfirmToken { subscriber, cadence, issued })
    }

    /// The lasting unsubscribe token of `subscriber`.
    pub fn unsubscribe(&self, subscriber: i64) -> String {
        let data = subscriber.to_string();
        format!("{data}-{}", self.mac("newsletter-unsubscribe", &data))
    }

    /// The subscriber a genuine unsubscribe token names.
    pub fn check_unsubscribe(&self, token: &str) -> Result<i64, TokenError> {
        let (data, sig) = token.split_once('-').ok_or(TokenError::Invalid)?;
        if !self.verify("newsletter-unsubscribe", data, sig) {
            return Err(TokenError::Invalid);
        }
        data.parse().map_err(|_| TokenError::Invalid)
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    const DAY: Duration = Duration::from_secs(86_400);

    fn at(s: &str) -> Timestamp {
        s.parse().expect("timestamp")
    }

    #[test]
    fn confirmation_tokens_round_trip_and_expire() {
        let t = Tokens::new(b"secret");
        let issued = at("2026-12-07T12:00:00Z");
        let token = t.confirm(42, Cadence::Weekly, issued);
        let read = t.check_confirm(&token, at("2026-12-08T11:59:59Z"), DAY).expect("valid");
        assert_eq!(read, ConfirmToken { subscriber: 42, cadence: Cadence::Weekly, issued });
        assert_eq!(
            t.check_confirm(&token, at("2026-12-08T12:00:01Z"), DAY),
            Err(TokenError::Expired)
        );
    }

    #[test]
    fn tampered_or_foreign_tokens_are_refused() {
        let t = Tokens::new(b"secret");
        let token = t.confirm(42, Cadence::Daily, at("2026-12-07T12:00:00Z"));
        let now = at("2026-12-07T12:00:00Z");
        for bad in [
            token.replacen("42-", "43-", 1),
            token.replacen("-d-", "-w-", 1),
            token[..token.len() - 1].to_owned(),
            String::new(),
            "x".to_owned(),
        ] {
            assert_eq!(t.check_confirm(&bad, now, DAY), Err(TokenError::Invalid), "{bad}");
        }
        assert_eq!(Tokens::new(b"other").check_confirm(&token, now, DAY), Err(TokenError::Invalid));
        let unsub = t.unsubscribe(7);
        assert_eq!(t.check_unsubscribe(&unsub), Ok(7));
        assert_eq!(t.check_unsubscribe(&unsub.replacen('7', "8", 1)), Err(TokenError::Invalid));
        // A confirmation token is not an unsubscribe token, nor the other way round.
        assert!(t.check_unsubscribe(&token).is_err());
        assert!(t.check_confirm(&unsub, now, DAY).is_err());
    }
}

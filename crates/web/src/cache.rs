//! Rendered pages kept in memory: the bytes as sent (identity, gzip and Brotli, compressed once),
//! their validators, and the answers to conditional requests.

use std::{
    collections::HashMap,
    io::Write as _,
    sync::{Arc, RwLock},
    time::{Duration, Instant, SystemTime},
};

use axum::{
    body::Body,
    http::{HeaderMap, HeaderValue, Response, StatusCode, header},
};
use bytes::Bytes;
use sha2::{Digest, Sha256};

/// What a page is, which decides its Content-Type and Cache-Control.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Html,
    Rss,
    Atom,
    JsonFeed,
    Xml,
    Text,
    Css,
    Js,
    Svg,
}

impl Kind {
    fn content_type(self) -> &'static str {
        match self {
            Kind::Html => "text/html; charset=utf-8",
            Kind::Rss => "application/rss+xml; charset=utf-8",
            Kind::Atom => "application/atom+xml; charset=utf-8",
            Kind::JsonFeed => "application/feed+json; charset=utf-8",
            Kind::Xml => "application/xml; charset=utf-8",
            Kind::Text => "text/plain; charset=utf-8",
            Kind::Css => "text/css; charset=utf-8",
            Kind::Js => "text/javascript; charset=utf-8",
            Kind::Svg => "image/svg+xml",
        }
    }

    fn cache_control(self) -> &'static str {
        match self {
            // Pages change when agents write; a minute keeps them fresh and revalidation is a
            // cheap 304.
            Kind::Html => "public, max-age=60",
            Kind::Rss | Kind::Atom | Kind::JsonFeed | Kind::Xml | Kind::Text => {
                "public, max-age=300"
            }
            // Linked with a content hash (`?v=`), so a new stylesheet is a new URL.
            Kind::Css | Kind::Js | Kind::Svg => "public, max-age=31536000, immutable",
        }
    }
}

/// A page as rendered, before caching.
#[derive(Debug)]
pub(crate) struct Rendered {
    pub(crate) body: String,
    pub(crate) kind: Kind,
    /// When its content last changed, if known (else the render time).
    pub(crate) last_modified: Option<jiff::Timestamp>,
}

impl Rendered {
    pub(crate) fn new(body: String, kind: Kind, last_modified: Option<jiff::Timestamp>) -> Self {
        Rendered { body, kind, last_modified }
    }
}

/// A page ready to send.
#[derive(Debug)]
pub(crate) struct Page {
    content_type: HeaderValue,
    cache_control: HeaderValue,
    /// The content hash every ETag of the page starts with.
    tag: String,
    etag: HeaderValue,
    etag_gzip: HeaderValue,
    etag_br: HeaderValue,
    last_modified: HeaderValue,
    last_modified_secs: u64,
    identity: Bytes,
    gzip: Option<Bytes>,
    br: Option<Bytes>,
    epoch: u64,
    created: Instant,
}

/// Bodies smaller than this are sent as they are.
const COMPRESS_MIN: usize = 512;

fn gzip(data: &[u8]) -> Option<Bytes> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
    enc.write_all(data).ok()?;
    enc.finish().ok().map(Bytes::from)
}

fn brotli(data: &[u8]) -> Option<Bytes> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 6, 22);
        w.write_all(data).ok()?;
        w.flush().ok()?;
    }
    Some(Bytes::from(out))
}

fn value(s: &str) -> HeaderValue {
    HeaderValue::from_str(s).unwrap_or_else(|_| HeaderValue::from_static(""))
}

impl Page {
    pub(crate) fn new(r: Rendered, epoch: u64, rendered_at: jiff::Timestamp) -> Self {
        let body = Bytes::from(r.body);
        let digest = Sha256::digest(&body);
        let tag: String = digest.iter().take(10).map(|b| format!("{b:02x}")).collect();
        let (gzip, br) = if body.len() >= COMPRESS_MIN {
            (
                gzip(&body).filter(|z| z.len() < body.len()),
                brotli(&body).filter(|z| z.len() < body.len()),
            )
        } else {
            (None, None)
        };
        let modified = r.last_modified.unwrap_or(rendered_at);
        let secs = u64::try_from(modified.as_second()).unwrap_or(0);
        let http_date = httpdate::fmt_http_date(SystemTime::UNIX_EPOCH + Duration::from_secs(secs));
        Page {
            content_type: HeaderValue::from_static(r.kind.content_type()),
            cache_control: HeaderValue::from_static(r.kind.cache_control()),
            etag: value(&format!("\"{tag}\"")),
            etag_gzip: value(&format!("\"{tag}-gz\"")),
            etag_br: value(&format!("\"{tag}-br\"")),
            tag,
            last_modified: value(&http_date),
            last_modified_secs: secs,
            identity: body,
            gzip,
            br,
            epoch,
            created: Instant::now(),
        }
    }

    /// Whether the client's copy (If-None-Match, else If-Modified-Since) is current.
    fn not_modified(&self, req: &HeaderMap) -> bool {
        if let Some(inm) = req.get(header::IF_NONE_MATCH) {
            let Ok(inm) = inm.to_str() else { return false };
            return inm.split(',').any(|t| {
                let t = t.trim();
                let t = t.strip_prefix("W/").unwrap_or(t).trim_matches('"');
                // Every encoding of the page carries the same content hash.
                t == "*" || t.split('-').next() == Some(self.tag.as_str())
            });
        }
        if let Some(ims) = req.get(header::IF_MODIFIED_SINCE) {
            let since = ims.to_str().ok().and_then(|s| httpdate::parse_http_date(s).ok());
            if let Some(since) = since.and_then(|t| t.duration_since(SystemTime::UNIX_EPOCH).ok()) {
                return self.last_modified_secs <= since.as_secs();
            }
        }
        false
    }

    /// The answer to a GET or HEAD with these request headers: 304, or the page in the best
    /// encoding the client accepts.
    pub(crate) fn respond(&self, req: &HeaderMap) -> Response<Body> {
        let encoding = preferred_encoding(req, self.br.is_some(), self.gzip.is_some());
        let (body, etag, content_encoding) = match encoding {
            Encoding::Br => (self.br.clone(), &self.etag_br, Some("br")),
            Encoding::Gzip => (self.gzip.clone(), &self.etag_gzip, Some("gzip")),
            Encoding::Identity => (None, &self.etag, None),
        };
        let not_modified = self.not_modified(req);
        let mut res = if not_modified {
            let mut r = Response::new(Body::empty());
            *r.status_mut() = StatusCode::NOT_MODIFIED;
            r
        } else {
            Response::new(Body::from(body.unwrap_or_else(|| self.identity.clone())))
        };
        let h = res.headers_mut();
        if !not_modified {
            h.insert(header::CONTENT_TYPE, self.content_type.clone());
            if let Some(ce) = content_encoding {
                h.insert(header::CONTENT_ENCODING, HeaderValue::from_static(ce));
            }
        }
        h.insert(header::CACHE_CONTROL, self.cache_control.clone());
        h.insert(header::ETAG, etag.clone());
        h.insert(header::LAST_MODIFIED, self.last_modified.clone());
        h.insert(header::VARY, HeaderValue::from_static("accept-encoding"));
        res
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Br,
    Gzip,
    Identity,
}

/// Brotli, then gzip, then none, as far as Accept-Encoding allows (a `q=0` refuses).
fn preferred_encoding(req: &HeaderMap, have_br: bool, have_gzip: bool) -> Encoding {
    let mut br = false;
    let mut gz = false;
    for v in req.get_all(header::ACCEPT_ENCODING) {
        let Ok(v) = v.to_str() else { continue };
        for item in v.split(',') {
            let mut parts = item.split(';');
            let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let refused = parts.any(|p| {
                let p = p.trim();
                p.strip_prefix("q=")
                    .and_then(|q| q.trim().parse::<f32>().ok())
                    .is_some_and(|q| q <= 0.0)
            });
            if refused {
                continue;
            }
            match name.as_str() {
                "br" => br = true,
                "gzip" | "x-gzip" => gz = true,
                "*" => {
                    br = true;
                    gz = true;
                }
                _ => {}
            }
        }
    }
    if br && have_br {
        Encoding::Br
    } else if gz && have_gzip {
        Encoding::Gzip
    } else {
        Encoding::Identity
    }
}

/// Pages by path. An entry is good while its epoch is the current one and it is younger than
/// the time to live.
#[derive(Debug, Default)]
pub(crate) struct PageCache {
    pages: RwLock<HashMap<String, Arc<Page>>>,
}

impl PageCache {
    pub(crate) fn get(&self, key: &str, epoch: u64, ttl: Duration) -> Option<Arc<Page>> {
        let pages = self.pages.read().unwrap_or_else(std::sync::PoisonError::into_inner);
        pages.get(key).filter(|p| p.epoch == epoch && p.created.elapsed() < ttl).cloned()
    }

    pub(crate) fn insert(&self, key: String, page: Arc<Page>, max: usize) {
        let mut pages = self.pages.write().unwrap_or_else(std::sync::PoisonError::into_inner);
        if pages.len() >= max && !pages.contains_key(&key) {
            pages.clear();
        }
        pages.insert(key, page);
    }

    pub(crate) fn clear(&self) {
        self.pages.write().unwrap_or_else(std::sync::PoisonError::into_inner).clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(k.clone(), HeaderValue::from_str(v).expect("header"));
        }
        h
    }

    #[test]
    fn encodings_follow_accept_encoding() {
        let h = |v: &str| headers(&[(header::ACCEPT_ENCODING, v)]);
        assert_eq!(preferred_encoding(&h("gzip, deflate, br"), true, true), Encoding::Br);
        assert_eq!(preferred_encoding(&h("gzip, br;q=0"), true, true), Encoding::Gzip);
        assert_eq!(preferred_encoding(&h("identity"), true, true), Encoding::Identity);
        assert_eq!(preferred_encoding(&HeaderMap::new(), true, true), Encoding::Identity);
        assert_eq!(preferred_encoding(&h("br"), false, true), Encoding::Identity);
    }

    #[test]
    fn conditional_requests_and_precompressed_bodies() {
        let body = "<p>hello</p>".repeat(200);
        let at: jiff::Timestamp = "2025-03-14T16:51:00Z".parse().expect("ts");
        let page = Page::new(Rendered::new(body.clone(), Kind::Html, Some(at)), 0, at);
        let res = page.respond(&headers(&[(header::ACCEPT_ENCODING, "gzip")]));
        assert_eq!(res.headers()[header::CONTENT_ENCODING], "gzip");
        let etag = res.headers()[header::ETAG].to_str().expect("etag").to_owned();
        // The gzip ETag validates the identity copy too: same content.
        let res = page.respond(&headers(&[(header::IF_NONE_MATCH, &etag)]));
        assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
        let res = page.respond(&headers(&[(header::IF_NONE_MATCH, "\"other\"")]));
        assert_eq!(res.status(), StatusCode::OK);
        let res =
            page.respond(&headers(&[(header::IF_MODIFIED_SINCE, "Fri, 14 Mar 2025 16:51:00 GMT")]));
        assert_eq!(res.status(), StatusCode::NOT_MODIFIED);
        let res =
            page.respond(&headers(&[(header::IF_MODIFIED_SINCE, "Fri, 14 Mar 2025 16:50:59 GMT")]));
        assert_eq!(res.status(), StatusCode::OK);
    }
}

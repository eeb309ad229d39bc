//! A store like `marketdesk demo` builds (shipped reference list and CUSIP map, fixture quotes,
//! fixture Forms 3/4/5 and 13F, the insider desk's signals written up as `marketdesk write` does,
//! plus one news-event article), and requests against the router without a socket.

#![allow(dead_code, unreachable_pub)]

pub mod smtp;

use std::{
    path::{Path, PathBuf},
    sync::{
        Arc, OnceLock,
        atomic::{AtomicI64, Ordering},
    },
};

use axum::{
    body::Body,
    http::{Request, Response, StatusCode},
};
use http_body_util::BodyExt;
use jiff::Timestamp;
use marketdesk_core::Cik;
use marketdesk_linker::{Reference, SHIPPED_EXCHANGE_LIST, SHIPPED_SIZE_ORDER};
use marketdesk_store::{
    ArticleRecord, Backend, CusipRecord, ReferenceDocuments, SourcedFiling, SourcedReport, Store,
    testing,
};
use marketdesk_web::{Clock, Site, SiteOptions, router};
use marketdesk_writer::{
    Article, EventFacts, FactSheet, NewsEvent, Report, SectorFact, roster, slugify,
};
use tower::ServiceExt;

/// The moment the fixture articles are written and the site's clock stands at.
pub const NOW: &str = "2025-03-14T16:51:00Z";

pub fn now() -> Timestamp {
    NOW.parse().expect("timestamp")
}

pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

async fn load_reference(store: &Store) {
    let reference = Reference::shipped().expect("shipped reference");
    let companies = marketdesk_newsroom::company_records(&reference);
    let documents = ReferenceDocuments {
        exchange_list: SHIPPED_EXCHANGE_LIST.to_vec(),
        size_order: Some(SHIPPED_SIZE_ORDER.to_vec()),
    };
    store.replace_reference(&companies, &documents, "shipped", now()).await.expect("reference");
    // The shipped CUSIP map (`cusip,cik,ticker,issuer_name,title_of_class`).
    let csv = std::fs::read_to_string(repo().join("data/reference/cusips.csv")).expect("cusips");
    let records: Vec<CusipRecord> = csv
        .lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            let cusip = (*f.first()?).to_owned();
            Some(CusipRecord {
                cusip,
                cik: f.get(1).and_then(|c| Cik::parse(c).ok()),
                ticker: f.get(2).filter(|t| !t.is_empty()).map(|t| (*t).to_owned()),
                issuer_name: f.get(3).map(|s| (*s).to_owned()).unwrap_or_default(),
                title_of_class: f.get(4).filter(|t| !t.is_empty()).map(|t| (*t).to_owned()),
            })
        })
        .collect();
    store.upsert_cusips(&records, "shipped").await.expect("cusips");
}

async fn load_quotes(store: &Store) {
    for name in ["AAPL", "TSLA"] {
        let path = repo().join(format!("fixtures/quotes/{name}.csv"));
        let text = std::fs::read_to_string(&path).expect("quotes");
        let (bars, _) = marketdesk_quotes::parse_csv(&text, Some(name)).expect("csv");
        store.upsert_daily_bars(&bars, &path.display().to_string()).await.expect("bars");
    }
}

fn files(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .expect("fixture dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_file())
        .collect();
    out.sort();
    out
}

async fn load_filings(store: &Store) {
    let mut filings = Vec::new();
    for p in files(&repo().join("fixtures/edgar/ownership")) {
        let bytes = std::fs::read(&p).expect("filing");
        let name = p.display().to_string();
        if let Ok(f) = marketdesk_edgar::parse_ownership(&name, &bytes) {
            filings.push((name, f));
        }
    }
    let batch: Vec<SourcedFiling<'_>> =
        filings.iter().map(|(source, filing)| SourcedFiling { source, filing }).collect();
    store.insert_ownership(&batch, now()).await.expect("filings");
    let mut reports = Vec::new();
    for p in files(&repo().join("fixtures/edgar/13f")) {
        let bytes = std::fs::read(&p).expect("13f");
        let name = p.display().to_string();
        if let Ok(r) = marketdesk_edgar::parse_thirteen_f(&name, &bytes) {
            reports.push((name, r));
        }
    }
    let batch: Vec<SourcedReport<'_>> =
        reports.iter().map(|(source, report)| SourcedReport { source, report }).collect();
    store.insert_thirteen_f(&batch, now()).await.expect("13f");
    store.resolve_amendments().await.expect("amendments");
}

/// Saves an article as the writer path does: the record, then the search index.
pub async fn save(store: &Store, story: &str, article: &Article, digest: &str) {
    let record = ArticleRecord {
        slug: article.slug.clone(),
        persona: article.persona.slug.clone(),
        story: story.to_owned(),
        digest: digest.to_owned(),
        revision: article.revision,
        headline: article.headline.clone(),
        published_at: article.published_at,
        updated_at: article.updated_at,
        tickers: article.tickers.clone(),
        body: serde_json::to_string(article).expect("json"),
    };
    store.save_article(&record).await.expect("save");
    store.index_article_record(&record).await.expect("index");
}

/// `marketdesk write` over the store, with the deterministic writer.
async fn write_articles(store: &Store) {
    let linker = marketdesk_linker::Linker::shipped().expect("linker");
    marketdesk_newsroom::write(store, &linker, None, None, None, 30.0, now()).await.expect("write");
}

/// One news-event article by the macro persona, on the Defense/Aerospace and Energy sectors.
async fn write_news_article(store: &Store) {
    let event = NewsEvent {
        key: "guid:defense-1".into(),
        reports: vec![Report {
            outlet: "Reuters World".into(),
            title: "France agrees to accelerate air defence deliveries to Ukraine - Reuters".into(),
            link: Some("https://www.reuters.com/world/defence-1".into()),
            published_at: "2025-03-14T12:05:00Z".parse().ok(),
            summary: "Deliveries of air defence systems will be brought forward.".into(),
        }],
        facts: EventFacts {
            topic: "geopolitics".into(),
            sectors: vec![
                SectorFact {
                    sector: "Defense/Aerospace".into(),
                    direction: "+".into(),
                    why: "faster deliveries mean more orders for air-defence makers".into(),
                    companies: vec![("Lockheed Martin".into(), "LMT".into())],
                },
                SectorFact {
                    sector: "Energy".into(),
                    direction: "mixed".into(),
                    why: "the war's course moves gas prices either way".into(),
                    companies: vec![],
                },
            ],
            places: vec!["France".into(), "Ukraine".into()],
            organisations: vec![],
            outlets: vec!["Reuters World".into()],
        },
        companies: vec![],
        people: vec![],
    };
    let sheet = FactSheet::from_event(&event);
    let persona =
        roster().expect("roster").into_iter().find(|p| p.slug == "macro-analyst").expect("macro");
    let draft = marketdesk_writer::write_news(&sheet, &persona).expect("news draft");
    let slug = format!("{}-2025-03-14", slugify(&draft.headline, 64));
    let digest = sheet.digest();
    let at: Timestamp = "2025-03-14T13:00:00Z".parse().expect("ts");
    let article =
        Article::assemble(slug, draft, persona.reference(), sheet, at, "deterministic".into());
    save(store, "news:guid:defense-1", &article, &digest).await;
}

async fn build(path: &Path) {
    let store = Store::open_sqlite(path).await.expect("store");
    load_reference(&store).await;
    load_quotes(&store).await;
    load_filings(&store).await;
    write_articles(&store).await;
    write_news_article(&store).await;
    store.rebuild_search().await.expect("search");
    store.close().await;
}

/// The fixture store, built once per test binary.
fn fixture_db() -> &'static Path {
    static DB: OnceLock<PathBuf> = OnceLock::new();
    DB.get_or_init(|| {
        // Under target/, so repeated runs leave nothing in the system's temp directory.
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("tempdir").keep();
        let path = dir.join("site.db");
        let p = path.clone();
        std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime")
                .block_on(build(&p));
        })
        .join()
        .expect("building the fixture store");
        path
    })
}

/// A test's own copy of the fixture store and a site over it, its clock at [`NOW`].
pub struct TestSite {
    pub site: Site,
    pub store: Store,
    pub _dir: tempfile::TempDir,
}

pub fn options() -> SiteOptions {
    SiteOptions {
        base_url: Some("https://md.example".to_owned()),
        secret: Some(b"test secret".to_vec()),
        clock: Clock::fixed(now()),
        // Tests say when the site looks for changes (`Site::refresh`); no background check.
        change_check: std::time::Duration::from_secs(3600),
        ..SiteOptions::default()
    }
}

pub async fn site() -> TestSite {
    site_with(options()).await
}

/// [`site`] with other options.
pub async fn site_with(options: SiteOptions) -> TestSite {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = match testing::backend_under_test() {
        Backend::Sqlite => {
            let path = dir.path().join("site.db");
            std::fs::copy(fixture_db(), &path).expect("copy store");
            Store::open_sqlite(&path).await.expect("store")
        }
        // A schema of the test's own, filled from the fixture store the way an operator moves.
        Backend::Postgres => {
            let fixture = Store::open_sqlite(fixture_db()).await.expect("fixture store");
            let store = testing::fresh_store(Backend::Postgres).await;
            fixture.copy_into(&store).await.expect("copy the fixture store");
            fixture.close().await;
            store
        }
    };
    let site = Site::new(store.clone(), options).expect("site");
    site.refresh().await.expect("refresh");
    TestSite { site, store, _dir: dir }
}

/// A response, its body decoded as text.
pub struct Got {
    pub status: StatusCode,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Got {
    pub fn header(&self, name: &str) -> &str {
        self.headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
    }
}

pub async fn send(site: &Site, request: Request<Body>) -> Got {
    let res: Response<Body> = router(site.clone()).oneshot(request).await.expect("infallible");
    let status = res.status();
    let headers = res.headers().clone();
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    Got { status, headers, body: String::from_utf8_lossy(&bytes).into_owned() }
}

pub async fn get(site: &Site, path: &str) -> Got {
    send(site, Request::get(path).body(Body::empty()).expect("request")).await
}

/// The value of the first `name="NAME" value="..."` input.
pub fn input(html: &str, name: &str) -> String {
    let needle = format!("name=\"{name}\" value=\"");
    let start = html.find(&needle).unwrap_or_else(|| panic!("no {name} in page")) + needle.len();
    html[start..].split('"').next().expect("value").to_owned()
}

/// Percent-encodes a form value.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A form body from pairs.
pub fn form(pairs: &[(&str, &str)]) -> String {
    pairs.iter().map(|(k, v)| format!("{}={}", enc(k), enc(v))).collect::<Vec<_>>().join("&")
}

/// A form POST from the address `ip`.
pub fn post_req(path: &str, body: impl Into<Body>, ip: [u8; 4]) -> Request<Body> {
    let mut req = Request::post(path)
        .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(body.into())
        .expect("request");
    req.extensions_mut()
        .insert(axum::extract::ConnectInfo(std::net::SocketAddr::from((ip, 40000))));
    req
}

/// The session cookie (`name=value`) a response sets.
pub fn cookie_of(res: &Got) -> String {
    res.header("set-cookie").split(';').next().expect("cookie").to_owned()
}

/// The admin password set to "correct horse" and a moderator logged in from 10.9.9.9: the
/// session cookie and the admin page's CSRF token.
pub async fn log_in_as_admin(site: &Site, store: &Store) -> (String, String) {
    let hash = marketdesk_web::hash_password("correct horse").expect("hash");
    store.set_admin_password_hash(&hash).await.expect("set");
    let csrf = input(&get(site, "/admin").await.body, "csrf");
    let login = form(&[("password", "correct horse"), ("csrf", &csrf)]);
    let res = send(site, post_req("/admin/login", login, [10, 9, 9, 9])).await;
    assert_eq!(res.status, StatusCode::SEE_OTHER);
    (cookie_of(&res), csrf)
}

/// A clock the test moves on by hand.
#[derive(Clone)]
pub struct HandClock(Arc<AtomicI64>);

impl HandClock {
    pub fn new() -> HandClock {
        HandClock(Arc::new(AtomicI64::new(now().as_second())))
    }

    pub fn clock(&self) -> Clock {
        let at = Arc::clone(&self.0);
        Clock::from_fn(move || {
            Timestamp::from_second(at.load(Ordering::SeqCst)).expect("timestamp")
        })
    }

    pub fn now(&self) -> Timestamp {
        Timestamp::from_second(self.0.load(Ordering::SeqCst)).expect("timestamp")
    }

    pub fn advance(&self, secs: i64) {
        self.0.fetch_add(secs, Ordering::SeqCst);
    }
}

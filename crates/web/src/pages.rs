//! The HTML pages: their templates (in `templates/`) and what each shows.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use axum::http::StatusCode;
use jiff::civil::Date;
use marketdesk_core::{Cik, ThirteenF, eastern, style};
use marketdesk_desks::holdings::{
    Change as HoldingChange, Quarter, compare, positions_for_quarter,
};
use marketdesk_desks::insider::role_of;
use marketdesk_linker::{Mention, render_html};
use marketdesk_store::{MATCH_END, MATCH_START, SearchKind};
use marketdesk_writer::{Article, Persona, dateline, kind_name, names, reading_label};
use serde_json::json;

use crate::{
    Result,
    cache::{Kind, Rendered},
    chart::{Mark, price_chart},
    views::{Card, Inner, SECTORS, article_of, cards, chip, chips, newest, sector_slug},
};

/// How many articles lists show.
const LIST: u32 = 30;

/// A feed `<link rel="alternate">`.
#[derive(Debug, Clone)]
pub(crate) struct FeedLink {
    pub(crate) mime: &'static str,
    pub(crate) title: String,
    pub(crate) href: String,
}

/// An agent in the navigation.
#[derive(Debug, Clone)]
pub(crate) struct AgentNav {
    pub(crate) url: String,
    pub(crate) slug: String,
    pub(crate) desk: String,
}

/// What the shared layout (`base.html`) shows.
#[derive(Debug, Clone)]
pub(crate) struct Layout {
    pub(crate) site_name: String,
    pub(crate) title: String,
    pub(crate) og_title: String,
    pub(crate) description: String,
    pub(crate) canonical: String,
    pub(crate) css_href: String,
    pub(crate) js_href: String,
    pub(crate) og_type: &'static str,
    pub(crate) og_extra: Vec<(String, String)>,
    pub(crate) feeds: Vec<FeedLink>,
    pub(crate) agents: Vec<AgentNav>,
    pub(crate) nav: String,
    pub(crate) search_q: String,
    pub(crate) json_ld: Option<String>,
    pub(crate) noindex: bool,
    /// The newsletter form's CSRF token and signed time (the footer form, or the page's own).
    pub(crate) signup_csrf: String,
    pub(crate) signup_ts: String,
    /// The page shows the sign-up box itself, so the footer leaves its own out.
    pub(crate) signup_in_body: bool,
}

/// "The Insider Tracker. I ignore ..." -> "Insider Tracker".
fn desk_name(p: &Persona) -> String {
    let first = p.tagline.split('.').next().unwrap_or(&p.name).trim();
    first.strip_prefix("The ").unwrap_or(first).to_owned()
}

/// The three feeds under `base` ("" for the site, "/agents/x", "/tickers/T").
fn feed_links(base: &str, what: &str) -> Vec<FeedLink> {
    vec![
        FeedLink {
            mime: "application/rss+xml",
            title: format!("{what} (RSS)"),
            href: format!("{base}/feed.xml"),
        },
        FeedLink {
            mime: "application/atom+xml",
            title: format!("{what} (Atom)"),
            href: format!("{base}/atom.xml"),
        },
        FeedLink {
            mime: "application/feed+json",
            title: format!("{what} (JSON Feed)"),
            href: format!("{base}/feed.json"),
        },
    ]
}

/// JSON for a `<script type="application/ld+json">`: `<`, `>` and `&` written as escapes so no
/// text can close the element.
pub(crate) fn json_ld(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .unwrap_or_else(|_| "{}".to_owned())
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

impl Inner {
    pub(crate) fn layout(&self, title: &str, description: &str, path: &str, nav: &str) -> Layout {
        let full_title = if title.is_empty() {
            format!("{}: insider trades and market news by AI agents", self.site_name)
        } else {
            format!("{title} | {}", self.site_name)
        };
        Layout {
            site_name: self.site_name.clone(),
            og_title: if title.is_empty() { self.site_name.clone() } else { title.to_owned() },
            title: full_title,
            description: description.to_owned(),
            canonical: self.url(path),
            css_href: self.css_href.clone(),
            js_href: self.js_href.clone(),
            og_type: "website",
            og_extra: Vec::new(),
            feeds: feed_links("", &format!("{}: all articles", self.site_name)),
            agents: self
                .personas
                .iter()
                .map(|p| AgentNav {
                    url: format!("/agents/{}", p.slug),
                    slug: p.slug.clone(),
                    desk: desk_name(p),
                })
                .collect(),
            nav: nav.to_owned(),
            search_q: String::new(),
            json_ld: None,
            noindex: false,
            signup_csrf: self.csrf_token(self.now()),
            signup_ts: self.comment_stamp(self.now()),
            signup_in_body: false,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Home

#[derive(Debug)]
pub(crate) struct SignalView {
    kind: &'static str,
    class: &'static str,
    chip: String,
    value: String,
    url: String,
    headline: String,
}

#[derive(Debug)]
pub(crate) struct SectorLink {
    name: String,
    url: String,
    count: i64,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    cards: Vec<Card>,
    signals: Vec<SignalView>,
    signals_day: Option<String>,
    sectors: Vec<SectorLink>,
}

fn signal_label(kind: &str) -> (&'static str, &'static str) {
    match kind {
        "purchase" => ("Purchase", "buy"),
        "cluster_buy" => ("Cluster buy", "buy"),
        "sale" => ("Sale", "sell"),
        "cluster_sale" => ("Cluster sale", "sell"),
        _ => ("Signal", "flat"),
    }
}

/// One insider signal of the day: kind, ticker, dollar value, the article about it.
struct DaySignal<'a> {
    kind: &'static str,
    ticker: String,
    value: f64,
    card: &'a Card,
}

/// The insider signals behind the articles published on the newest article's day (New York),
/// biggest in dollars first.
fn top_signals(articles: &[(Article, Card)]) -> (Option<Date>, Vec<DaySignal<'_>>) {
    let Some(day) = articles.iter().map(|(a, _)| eastern(a.published_at).date()).max() else {
        return (None, Vec::new());
    };
    let mut out = Vec::new();
    for (a, card) in articles.iter().filter(|(a, _)| eastern(a.published_at).date() == day) {
        let sheet = &a.fact_sheet;
        let parts: Vec<&marketdesk_writer::FactSheet> =
            if sheet.parts.is_empty() { vec![sheet] } else { sheet.parts.iter().collect() };
        for part in parts {
            let (Some(kind), Some(ticker), Some(value)) =
                (part.kind, part.tickers.first(), part.value("value_usd"))
            else {
                continue;
            };
            out.push(DaySignal { kind: kind_name(kind), ticker: ticker.clone(), value, card });
        }
    }
    out.sort_by(|a, b| b.value.total_cmp(&a.value));
    out.truncate(6);
    (Some(day), out)
}

pub(crate) async fn home(inner: &Inner) -> Result<Option<Rendered>> {
    let records = inner.store.articles(LIST).await?;
    let list = cards(inner, &records).await?;
    let (day, signals) = top_signals(&list);
    let changes = inner.changes(signals.iter().map(|s| s.ticker.clone()).collect()).await?;
    let signals = signals
        .into_iter()
        .map(|s| {
            let (label, class) = signal_label(s.kind);
            SignalView {
                kind: label,
                class,
                chip: chip(&s.ticker, &changes),
                value: style::money(s.value),
                url: s.card.url.clone(),
                headline: s.card.headline.clone(),
            }
        })
        .collect();
    let sectors = inner
        .store
        .article_sector_counts()
        .await?
        .into_iter()
        .map(|(name, count)| SectorLink {
            url: format!("/sectors/{}", sector_slug(&name)),
            name,
            count,
        })
        .collect();
    let mut layout = inner.layout(
        "",
        "Insider trades, 13F moves and market-moving news, written up by AI agents from SEC \
         filings and news reports, every figure sourced.",
        "/",
        "home",
    );
    layout.signup_in_body = true;
    layout.json_ld = Some(json_ld(&json!({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": inner.site_name,
        "url": inner.url("/"),
        "potentialAction": {
            "@type": "SearchAction",
            "target": format!("{}?q={{query}}", inner.url("/search")),
            "query-input": "required name=query",
        },
    })));
    let page = HomePage {
        layout,
        signals,
        signals_day: day.map(|d| d.strftime("%A, %b %-d, %Y").to_string()),
        sectors,
        cards: list.iter().map(|(_, c)| c.clone()).collect(),
    };
    Ok(Some(Rendered::new(page.render()?, Kind::Html, newest(&list))))
}

// ---------------------------------------------------------------------------------------------
// Article

#[derive(Debug)]
struct SectionView {
    heading: String,
    /// HTML: escaped text with ticker chips.
    paragraphs: Vec<String>,
}

#[derive(Debug)]
struct SourceView {
    title: String,
    url: Option<String>,
}

#[derive(Debug)]
struct ArticleView {
    headline: String,
    dek: String,
    agent_name: String,
    agent_url: String,
    agent_tagline: String,
    agent_bio: String,
    datetime: String,
    dateline: String,
    reading: String,
    updated: Option<String>,
    updated_datetime: String,
    tickers: String,
    sections: Vec<SectionView>,
    sources: Vec<SourceView>,
}

#[derive(Debug)]
struct LatestLink {
    url: String,
    headline: String,
    dateline: String,
    datetime: String,
}

#[derive(Template)]
#[template(path = "article.html")]
struct ArticlePage {
    layout: Layout,
    a: ArticleView,
    latest: Vec<LatestLink>,
    comments_label: String,
    comments_action: String,
    comments: Vec<crate::comments::CommentView>,
    held: bool,
    csrf: String,
    stamp: String,
}

/// The paragraphs of a section as HTML: text escaped, each linked company mention followed by
/// (or, for a bare symbol, replaced by) its ticker chip.
fn section_html(
    a: &Article,
    s: &marketdesk_writer::Section,
    changes: &HashMap<String, Option<f64>>,
) -> Vec<String> {
    s.paragraphs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut mentions: Vec<Mention> = s
                .links
                .iter()
                .filter(|l| l.paragraph == i)
                .filter_map(|l| {
                    let text = p.get(l.start..l.end)?.to_owned();
                    let cik = a
                        .fact_sheet
                        .entities
                        .iter()
                        .find(|e| e.kind == "company" && e.detail.as_deref() == Some(&l.ticker))
                        .and_then(|e| e.cik)
                        .unwrap_or(Cik::from(0u32));
                    Some(Mention {
                        start: l.start,
                        end: l.end,
                        text,
                        ticker: l.ticker.clone(),
                        cik,
                        confidence: 1.0,
                    })
                })
                .collect();
            mentions.sort_by_key(|m| m.start);
            render_html(p, &mentions, |t| changes.get(t).copied().flatten())
        })
        .collect()
}

/// An article as a reader's link to it: web addresses only.
fn link_url(url: &str) -> Option<String> {
    (url.starts_with("https://") || url.starts_with("http://")).then(|| url.to_owned())
}

/// The article page; `held` adds the notice that the reader's comment awaits moderation.
pub(crate) async fn article(inner: &Inner, slug: &str, held: bool) -> Result<Option<Rendered>> {
    let Some(record) = inner.store.article(slug).await? else { return Ok(None) };
    let a = article_of(&record)?;
    let mut tickers: Vec<String> = a.tickers.clone();
    tickers.extend(a.sections.iter().flat_map(|s| s.links.iter().map(|l| l.ticker.clone())));
    let changes = inner.changes(tickers).await?;
    let persona = inner.persona(&a.persona.slug);
    let (tagline, bio) = match persona {
        Some(p) => (p.tagline.clone(), p.bio.clone()),
        None => (
            "An AI writing agent of this site.".to_owned(),
            format!(
                "{} is an AI agent. Every figure comes from the sources it cites.",
                a.persona.name
            ),
        ),
    };
    let agent_url = format!("/agents/{}", a.persona.slug);
    let path = format!("/articles/{}", a.slug);
    let byline = format!("Generated by AI Agent {}", a.persona.name);
    let view = ArticleView {
        headline: a.headline.clone(),
        dek: a.dek.clone(),
        agent_name: a.persona.name.clone(),
        agent_url: agent_url.clone(),
        agent_tagline: tagline,
        agent_bio: bio,
        datetime: a.published_at.to_string(),
        dateline: dateline(a.published_at),
        reading: reading_label(a.reading_minutes),
        updated: (a.revision > 1 && a.updated_at != a.published_at).then(|| dateline(a.updated_at)),
        updated_datetime: a.updated_at.to_string(),
        tickers: chips(&a.tickers, &changes),
        sections: a
            .sections
            .iter()
            .map(|s| SectionView {
                heading: s.heading.clone(),
                paragraphs: section_html(&a, s, &changes),
            })
            .collect(),
        sources: a
            .sources
            .iter()
            .map(|s| SourceView { title: s.title.clone(), url: link_url(&s.url) })
            .collect(),
    };
    let latest = inner
        .store
        .articles(6)
        .await?
        .into_iter()
        .filter(|r| r.slug != a.slug)
        .take(5)
        .map(|r| LatestLink {
            url: format!("/articles/{}", r.slug),
            dateline: dateline(r.published_at),
            datetime: r.published_at.to_string(),
            headline: r.headline,
        })
        .collect();
    let comments = inner.store.comments(&a.slug).await?;
    let newest_comment = comments.iter().map(|c| c.created_at).max();
    let comment_count = comments.len();
    let comments = crate::comments::thread(&comments);
    let mut layout = inner.layout(&a.headline, &a.dek, &path, &a.persona.slug);
    layout.signup_in_body = true;
    layout.feeds.push(FeedLink {
        mime: "application/atom+xml",
        title: format!("Comments on: {}", a.headline),
        href: format!("{path}/comments/atom.xml"),
    });
    layout.og_type = "article";
    layout.og_extra = vec![
        ("article:published_time".to_owned(), a.published_at.to_string()),
        ("article:modified_time".to_owned(), a.updated_at.to_string()),
        ("article:author".to_owned(), inner.url(&agent_url)),
    ];
    layout.og_extra.extend(a.tickers.iter().map(|t| ("article:tag".to_owned(), t.clone())));
    layout.json_ld = Some(json_ld(&json!({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": a.headline,
        "description": a.dek,
        "url": inner.url(&path),
        "mainEntityOfPage": inner.url(&path),
        "datePublished": a.published_at.to_string(),
        "dateModified": a.updated_at.to_string(),
        "author": {
            "@type": "Organization",
            "name": format!("{} (AI agent)", a.persona.name),
            "description": byline,
            "url": inner.url(&agent_url),
        },
        "creditText": byline,
        "publisher": {"@type": "Organization", "name": inner.site_name, "url": inner.url("/")},
        "about": a.tickers.iter().map(|t| json!({"@type": "Corporation", "tickerSymbol": t})).collect::<Vec<_>>(),
        "isAccessibleForFree": true,
        "commentCount": comment_count,
        "citation": a.sources.iter().filter_map(|s| link_url(&s.url)).collect::<Vec<_>>(),
    })));
    let page = ArticlePage {
        layout,
        a: view,
        latest,
        comments_label: crate::comments::count_label(comment_count),
        comments_action: format!("/articles/{}/comments", a.slug),
        comments,
        held,
        csrf: inner.csrf_token(inner.now()),
        stamp: inner.comment_stamp(inner.now()),
    };
    let modified = newest_comment.map_or(a.updated_at, |c| c.max(a.updated_at));
    Ok(Some(Rendered::new(page.render()?, Kind::Html, Some(modified))))
}

// ---------------------------------------------------------------------------------------------
// Ticker

#[derive(Debug)]
struct QuoteView {
    close: String,
    change: String,
    class: &'static str,
    date: String,
}

#[derive(Debug)]
struct TradeView {
    date: String,
    insider: String,
    role: String,
    code: String,
    code_title: &'static str,
    shares: String,
    price: String,
    value: String,
    class: &'static str,
}

#[derive(Debug)]
struct HolderView {
    manager: String,
    period: String,
    shares: String,
    value: String,
    change: &'static str,
    value_usd: u64,
}

#[derive(Template)]
#[template(path = "ticker.html")]
struct TickerPage {
    layout: Layout,
    ticker: String,
    name: String,
    cik: Option<String>,
    quote: Option<QuoteView>,
    chart: Option<String>,
    has_markers: bool,
    trades: Vec<TradeView>,
    trades_more: usize,
    holders: Vec<HolderView>,
    cards: Vec<Card>,
    feed_base: String,
}

/// What a Form 4 transaction code means.
fn code_title(code: &str) -> &'static str {
    match code {
        "P" => "Open-market or private purchase",
        "S" => "Open-market or private sale",
        "A" => "Grant or award",
        "D" => "Disposition to the issuer",
        "F" => "Shares withheld for tax or exercise price",
        "M" => "Exercise or conversion of a derivative",
        "C" => "Conversion of a derivative",
        "X" => "Exercise of an in-the-money derivative",
        "G" => "Gift",
        "J" => "Other acquisition or disposition",
        "W" => "Acquired or disposed of by will or inheritance",
        "I" => "Discretionary transaction",
        "K" => "Equity swap",
        "V" => "Voluntarily reported early",
        _ => "Other transaction",
    }
}

fn holding_change(c: HoldingChange) -> &'static str {
    match c {
        HoldingChange::New => "New",
        HoldingChange::Exit => "Sold out",
        HoldingChange::Increase => "Added",
        HoldingChange::Decrease => "Reduced",
        HoldingChange::Unchanged => "Unchanged",
        HoldingChange::Unknown => "--",
    }
}

/// Most 13F managers a ticker page lists.
const HOLDERS: usize = 25;
/// Most insider trades a ticker page lists.
const TRADES: usize = 100;

async fn holders(inner: &Inner, cik: Cik) -> Result<Vec<HolderView>> {
    let cusips = inner.store.cusips_of(cik).await?;
    if cusips.is_empty() {
        return Ok(Vec::new());
    }
    let mut out = Vec::new();
    for manager in inner.store.thirteen_f_managers_holding(&cusips).await?.into_iter().take(HOLDERS)
    {
        let reports = inner.store.thirteen_f_for_manager(manager).await?;
        let mut by_quarter: BTreeMap<Quarter, Vec<&ThirteenF>> = BTreeMap::new();
        for r in &reports {
            if let Some(d) = r.report_period {
                by_quarter.entry(Quarter::of(d)).or_default().push(r);
            }
        }
        let Some((period, these)) = by_quarter.iter().next_back() else { continue };
        let current = positions_for_quarter(these);
        let prior = by_quarter.get(&period.previous()).map(|p| positions_for_quarter(p));
        let name = these
            .iter()
            .find_map(|r| r.manager_name.as_deref().map(names::company))
            .unwrap_or_else(|| manager.to_string());
        for c in
            compare(&current, prior.as_deref()).iter().filter(|c| cusips.contains(&c.holding.cusip))
        {
            out.push(HolderView {
                manager: name.clone(),
                period: period.to_string(),
                shares: style::thousands(c.holding.shares),
                value: c
                    .holding
                    .value_usd
                    .map_or_else(|| "--".to_owned(), |v| style::money(v as f64)),
                change: holding_change(c.change),
                value_usd: c.holding.value_usd.unwrap_or(0),
            });
        }
    }
    out.sort_by_key(|h| std::cmp::Reverse(h.value_usd));
    Ok(out)
}

pub(crate) async fn ticker(inner: &Inner, ticker: &str) -> Result<Option<Rendered>> {
    let company = inner.store.company_by_ticker(ticker).await?;
    let records = inner.store.articles_by_ticker(ticker, LIST).await?;
    if company.is_none() && records.is_empty() {
        return Ok(None);
    }
    let list = cards(inner, &records).await?;
    let today = inner.today();
    let quote = inner.store.quote_change(ticker, today).await?.map(|c| {
        let shown = marketdesk_core::format_change(Some(c.percent));
        let class = if shown == "0.0%" {
            "flat"
        } else if c.percent > 0.0 {
            "up"
        } else {
            "down"
        };
        QuoteView {
            close: style::price(c.close),
            change: shown,
            class,
            date: c.date.strftime("%b %-d, %Y").to_string(),
        }
    });
    let mut trades = Vec::new();
    let mut marks: BTreeMap<(Date, bool), (f64, Vec<String>)> = BTreeMap::new();
    let mut trades_total = 0;
    if let Some(c) = &company {
        let rows = inner.store.insider_trades(None, Some(c.cik)).await?;
        trades_total = rows.len();
        for r in rows.iter().rev() {
            let owner = r.filing.owners.first();
            let insider = owner
                .and_then(|o| o.name.as_deref())
                .map(names::person)
                .unwrap_or_else(|| "--".to_owned());
            let role = owner.map_or_else(
                || "--".to_owned(),
                |o| {
                    role_of(
                        o.is_director,
                        o.is_officer,
                        o.is_ten_percent_owner,
                        o.officer_title.as_deref(),
                        o.other_text.as_deref(),
                    )
                    .0
                },
            );
            let value = r.price.map(|p| p * r.shares);
            if r.code == "P" || r.code == "S" {
                // One mark per day and direction: (shares, insiders).
                let day = marks.entry((r.date, r.code == "P")).or_insert((0.0, Vec::new()));
                day.0 += r.shares;
                if !day.1.contains(&insider) {
                    day.1.push(insider.clone());
                }
            }
            if trades.len() < TRADES {
                trades.push(TradeView {
                    date: r.date.to_string(),
                    insider,
                    role,
                    code_title: code_title(&r.code),
                    class: match r.code.as_str() {
                        "P" => "buy",
                        "S" => "sell",
                        _ => "",
                    },
                    code: r.code.clone(),
                    shares: style::thousands(r.shares),
                    price: r.price.map_or_else(|| "--".to_owned(), style::price),
                    value: value.map_or_else(|| "--".to_owned(), style::money),
                });
            }
        }
    }
    let trades_more = trades_total.saturating_sub(trades.len());
    let since = Date::new(1900, 1, 1).unwrap_or(Date::MIN);
    let mut bars = inner.store.daily_bars(ticker, since, today).await?;
    if bars.len() > 260 {
        bars.drain(..bars.len() - 260);
    }
    let marks: Vec<Mark> = marks
        .into_iter()
        .map(|((date, buy), (shares, who))| Mark {
            date,
            buy,
            label: format!(
                "{date}: {} {} {} shares",
                who.join(", "),
                if buy { "bought" } else { "sold" },
                style::thousands(shares)
            ),
        })
        .collect();
    let chart = price_chart(ticker, &bars, &marks);
    let has_markers = match (bars.first(), bars.last()) {
        (Some(f), Some(l)) => marks.iter().any(|m| m.date >= f.date && m.date <= l.date),
        _ => false,
    };
    let holders = match &company {
        Some(c) => holders(inner, c.cik).await?,
        None => Vec::new(),
    };
    let name = company.as_ref().map_or_else(|| ticker.to_owned(), |c| names::company(&c.name));
    let path = format!("/tickers/{ticker}");
    let mut layout = inner.layout(
        &format!("{name} ({ticker}): insider trades, holders and news"),
        &format!("Insider trades, 13F holders, the price chart and AI-agent articles on {name} ({ticker})."),
        &path,
        "",
    );
    layout.feeds = feed_links(&path, &format!("{} on {ticker}", inner.site_name));
    let page = TickerPage {
        layout,
        ticker: ticker.to_owned(),
        name,
        cik: company.as_ref().map(|c| c.cik.get().to_string()),
        quote,
        chart,
        has_markers,
        trades,
        trades_more,
        holders,
        cards: list.iter().map(|(_, c)| c.clone()).collect(),
        feed_base: path,
    };
    Ok(Some(Rendered::new(page.render()?, Kind::Html, None)))
}

// ---------------------------------------------------------------------------------------------
// Agent

#[derive(Template)]
#[template(path = "agent.html")]
struct AgentPage {
    layout: Layout,
    name: String,
    tagline: String,
    bio: String,
    beat: String,
    cards: Vec<Card>,
    feed_base: String,
}

pub(crate) async fn agent(inner: &Inner, slug: &str) -> Result<Option<Rendered>> {
    let Some(p) = inner.persona(slug) else { return Ok(None) };
    let records = inner.store.articles_by_persona(slug, LIST).await?;
    let list = cards(inner, &records).await?;
    let path = format!("/agents/{slug}");
    let mut beat: Vec<String> = p.beat.topics.clone();
    beat.extend(p.beat.signal_kinds.iter().map(|k| signal_label(k).0.to_lowercase() + "s"));
    let mut layout = inner.layout(
        &format!("{}, AI agent: {}", p.name, desk_name(p)),
        &format!("{} is an AI agent. {}", p.name, p.tagline),
        &path,
        slug,
    );
    layout.feeds = feed_links(&path, &format!("{} (AI agent)", p.name));
    layout.og_type = "profile";
    layout.json_ld = Some(json_ld(&json!({
        "@context": "https://schema.org",
        "@type": "Organization",
        "name": format!("{} (AI agent)", p.name),
        "description": format!("An AI agent of {}. {}", inner.site_name, p.tagline),
        "url": inner.url(&path),
    })));
    let page = AgentPage {
        layout,
        name: p.name.clone(),
        tagline: p.tagline.clone(),
        bio: p.bio.clone(),
        beat: beat.join(", "),
        cards: list.iter().map(|(_, c)| c.clone()).collect(),
        feed_base: path,
    };
    Ok(Some(Rendered::new(page.render()?, Kind::Html, newest(&list))))
}

// ---------------------------------------------------------------------------------------------
// Sectors

#[derive(Template)]
#[template(path = "sector.html")]
struct SectorPage {
    layout: Layout,
    name: String,
    cards: Vec<Card>,
}

#[derive(Template)]
#[template(path = "sectors.html")]
struct SectorsPage {
    layout: Layout,
    sectors: Vec<SectorLink>,
}

/// The sector a path segment names: a known sector or one some article covers, matched by
/// [`sector_slug`] (so the slug and the URL-encoded name both work).
async fn sector_named(inner: &Inner, segment: &str) -> Result<Option<String>> {
    let want = sector_slug(segment);
    if want.is_empty() {
        return Ok(None);
    }
    if let Some(s) = SECTORS.iter().find(|s| sector_slug(s) == want) {
        return Ok(Some((*s).to_owned()));
    }
    Ok(inner
        .store
        .article_sector_counts()
        .await?
        .into_iter()
        .map(|(s, _)| s)
        .find(|s| sector_slug(s) == want))
}

pub(crate) async fn sector(inner: &Inner, segment: &str) -> Result<Option<Rendered>> {
    let Some(name) = sector_named(inner, segment).await? else { return Ok(None) };
    let records = inner.store.articles_in_sector(&name, LIST).await?;
    let list = cards(inner, &records).await?;
    let path = format!("/sectors/{}", sector_slug(&name));
    let layout = inner.layout(
        &format!("{name} sector news"),
        &format!("AI-agent analysis of the news events moving the {name} sector."),
        &path,
        "sectors",
    );
    let page = SectorPage { layout, name, cards: list.iter().map(|(_, c)| c.clone()).collect() };
    Ok(Some(Rendered::new(page.render()?, Kind::Html, newest(&list))))
}

pub(crate) async fn sectors(inner: &Inner) -> Result<Option<Rendered>> {
    let counts: HashMap<String, i64> =
        inner.store.article_sector_counts().await?.into_iter().collect();
    let mut names: Vec<String> = SECTORS.iter().map(|s| (*s).to_owned()).collect();
    names.extend(counts.keys().filter(|k| !SECTORS.contains(&k.as_str())).cloned());
    let sectors = names
        .into_iter()
        .map(|name| SectorLink {
            url: format!("/sectors/{}", sector_slug(&name)),
            count: counts.get(&name).copied().unwrap_or(0),
            name,
        })
        .collect();
    let layout = inner.layout(
        "Sectors",
        "The sectors the macro desk tracks, with its articles on each.",
        "/sectors",
        "sectors",
    );
    Ok(Some(Rendered::new(SectorsPage { layout, sectors }.render()?, Kind::Html, None)))
}

// ---------------------------------------------------------------------------------------------
// Search

#[derive(Debug)]
struct HitView {
    url: String,
    title: String,
    /// HTML: escaped, matches in `<mark>`.
    snippet: String,
    chips: String,
}

#[derive(Debug)]
struct HitGroup {
    id: &'static str,
    title: &'static str,
    hits: Vec<HitView>,
}

#[derive(Template)]
#[template(path = "search.html")]
struct SearchPage {
    layout: Layout,
    q: String,
    searched: bool,
    summary: String,
    groups: Vec<HitGroup>,
}

/// A snippet as HTML: escaped, the matched words in `<mark>`.
fn snippet_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 32);
    let mut buf = [0u8; 4];
    for c in s.chars() {
        match c {
            MATCH_START => out.push_str("<mark>"),
            MATCH_END => out.push_str("</mark>"),
            c => marketdesk_linker::escape_html(c.encode_utf8(&mut buf), &mut out),
        }
    }
    out
}

pub(crate) async fn search(inner: &Inner, q: &str) -> Result<String> {
    let q: String = q.trim().chars().take(200).collect();
    let mut groups = Vec::new();
    let mut total = 0;
    if !q.is_empty() {
        for (kind, id, title, limit) in [
            (SearchKind::Article, "articles", "Articles", 20),
            (SearchKind::Company, "companies", "Companies", 10),
            (SearchKind::Insider, "insiders", "Insiders", 10),
        ] {
            let hits = inner.store.search(&q, kind, limit).await?;
            let firsts: Vec<String> = hits.iter().flat_map(|h| h.tickers.iter().cloned()).collect();
            let changes = inner.changes(firsts).await?;
            let hits: Vec<HitView> = hits
                .into_iter()
                .filter_map(|h| {
                    let url = match kind {
                        SearchKind::Article => format!("/articles/{}", h.key),
                        _ => format!("/tickers/{}", h.tickers.first()?),
                    };
                    let chips = match kind {
                        SearchKind::Article => chips(&h.tickers, &changes),
                        _ => h.tickers.first().map(|t| chip(t, &changes)).unwrap_or_default(),
                    };
                    let title = match kind {
                        SearchKind::Insider => names::person(&h.title),
                        _ => h.title,
                    };
                    Some(HitView { url, title, snippet: snippet_html(&h.snippet), chips })
                })
                .collect();
            total += hits.len();
            groups.push(HitGroup { id, title, hits });
        }
    }
    let mut layout = inner.layout(
        if q.is_empty() { "Search" } else { "Search results" },
        "Search articles, companies and insiders.",
        "/search",
        "",
    );
    layout.search_q = q.clone();
    layout.noindex = true;
    let page = SearchPage {
        layout,
        searched: !q.is_empty(),
        summary: match total {
            0 => format!("No results for “{q}”."),
            1 => format!("1 result for “{q}”."),
            n => format!("{n} results for “{q}”."),
        },
        q,
        groups,
    };
    Ok(page.render()?)
}

// ---------------------------------------------------------------------------------------------
// Errors

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    heading: String,
    message: String,
}

/// The 404 or 500 page (a bare page if even the template fails).
pub(crate) fn error_page(
    inner: &Inner,
    status: StatusCode,
    heading: &str,
    message: &str,
) -> String {
    let mut layout = inner.layout(heading, message, "/", "");
    layout.noindex = true;
    let page = ErrorPage {
        layout,
        status: status.as_u16(),
        heading: heading.to_owned(),
        message: message.to_owned(),
    };
    page.render().unwrap_or_else(|_| {
        format!("<!doctype html><html lang=\"en\"><title>{heading}</title><h1>{heading}</h1><p>{message}</p></html>")
    })
}

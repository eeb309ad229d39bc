//! The command line: every subcommand, flag and environment variable `marketdesk` accepts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// marketdesk: a self-hosted automated market newsdesk.
#[derive(Debug, Parser)]
#[command(name = "marketdesk", version, about, max_term_width = 100)]
pub(crate) struct Cli {
    /// The store: a SQLite file path (or `sqlite:PATH`), or a `postgres://` URL [default:
    /// ./marketdesk.db; `demo` uses a temporary store unless given].
    #[arg(long, global = true, env = "MARKETDESK_DB")]
    pub(crate) db: Option<String>,

    /// Config file; `./marketdesk.toml` is read when present.
    #[arg(long, global = true, env = "MARKETDESK_CONFIG")]
    pub(crate) config: Option<PathBuf>,

    /// More logging on stderr (-v info, -vv debug; `run` and `serve` log info by default);
    /// RUST_LOG overrides.
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub(crate) verbose: u8,

    /// Log lines as plain text or as JSON objects (one per line, for log collectors).
    #[arg(long, global = true, env = "MARKETDESK_LOG_FORMAT", value_enum, default_value = "text")]
    pub(crate) log_format: LogFormat,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LogFormat {
    /// For people.
    Text,
    /// One JSON object per line: timestamp, level, target, fields, span.
    Json,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Parse EDGAR ownership filings (Forms 3, 4, 5) and print one JSON object per filing.
    Parse(ParseArgs),
    /// Load data into the store.
    #[command(subcommand)]
    Ingest(IngestCommand),
    /// News feeds: the items kept from them.
    #[command(subcommand)]
    Feeds(FeedsCommand),
    /// The sectors a news text moves: JSON Lines {"id", "text"} on stdin, each written back with
    /// "sectors" [{"sector", "direction", "why"}]; or score a labelled file with --eval.
    Sectors {
        /// A labelled JSON Lines file {"id", "text", "sectors": {"Energy": "+", ...}}: print
        /// precision, recall and F1 by sector and the direction accuracy.
        #[arg(long)]
        eval: Option<PathBuf>,
        /// With --eval, the report as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Daily price bars: import CSV files, fetch from a quote service, show a ticker's change.
    #[command(subcommand)]
    Quotes(QuotesCommand),
    /// Insider signals: open-market purchases, cluster buys, large sales and cluster sales,
    /// strongest first.
    Signals {
        /// Only signals whose last trade is on or after this day.
        #[arg(long)]
        since: Option<jiff::civil::Date>,
        /// Only this company.
        #[arg(long)]
        ticker: Option<String>,
        /// Only this kind: purchase, cluster_buy, sale, cluster_sale.
        #[arg(long)]
        kind: Option<String>,
        /// Days within which three insiders' trades form a cluster.
        #[arg(long, default_value_t = 14)]
        window_days: i64,
        /// One JSON object per signal.
        #[arg(long)]
        json: bool,
    },
    /// A company's insider trades, newest first.
    Insiders {
        /// The company's ticker.
        ticker: String,
        /// One JSON object per trade.
        #[arg(long)]
        json: bool,
    },
    /// A manager's 13F positions for a quarter (the latest by default), with the change
    /// against the quarter before.
    Holdings {
        /// The manager's CIK.
        manager_cik: String,
        /// The quarter, YYYY-Qn.
        #[arg(long)]
        period: Option<String>,
        /// One JSON object per position.
        #[arg(long)]
        json: bool,
    },
    /// The "smart money" managers the 13F desk follows ([smart_money] watchlist).
    Watchlist {
        /// One JSON object per manager.
        #[arg(long)]
        json: bool,
    },
    /// The stored 13F managers holding a company, each at its latest quarter.
    Holders {
        /// The company's ticker.
        ticker: String,
        /// Only managers on the watchlist.
        #[arg(long)]
        tracked: bool,
        /// One JSON object per holder.
        #[arg(long)]
        json: bool,
    },
    /// Tag company mentions: JSON Lines {"id", "text"} on stdin, each written back with
    /// "tickers" and "mentions".
    Link(LinkArgs),
    /// The company reference list the linker and the 13F desk resolve against.
    #[command(subcommand)]
    Reference(ReferenceCommand),
    /// Write articles for new insider signals above the threshold: one per issuer, day and
    /// persona (a roundup when there are several), revised only when the facts change.
    Write {
        /// Only signals whose last trade is on or after this day.
        #[arg(long)]
        since: Option<jiff::civil::Date>,
        /// Only this persona (its slug, e.g. insider-tracker).
        #[arg(long)]
        persona: Option<String>,
        /// Signals scoring below this (0-100) get no article [default: [writer] min_score, 30].
        #[arg(long)]
        min_score: Option<f64>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// The written articles, newest first.
    Articles {
        /// One JSON object per article.
        #[arg(long)]
        json: bool,
    },
    /// One article as Markdown, or as JSON with its fact sheet.
    Show {
        /// The article's slug.
        slug: String,
        /// JSON: slug, headline, dek, persona, published_at, reading_minutes, sections,
        /// tickers, sources, fact_sheet.
        #[arg(long)]
        json: bool,
    },
    /// Check an article (the JSON of `show --json`) against its fact sheet; exit 1 when a
    /// figure, ticker, company, person or date is not on it.
    Verify {
        /// The article JSON.
        file: PathBuf,
        /// Print {"ok", "violations"}.
        #[arg(long)]
        json: bool,
    },
    /// The always-on newsroom: EDGAR's current feed and daily indexes, the feeds, articles as
    /// data arrives and newsletter issues at their time, each job under a lease in the store,
    /// with the website served; SIGTERM or Ctrl-C stops it after the job in flight.
    Run {
        /// Where the site listens.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Do not serve the site (another process does).
        #[arg(long)]
        no_serve: bool,
        #[command(flatten)]
        edgar: EdgarAccess,
    },
    /// Serve the website: articles, tickers, agents, sectors, search, feeds.
    Serve {
        /// Where to listen.
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
    },
    /// The website's admin area (comment moderation).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Copy the store to PATH while it is in use (SQLite online backup), checked.
    Backup {
        /// The backup file to create; it must not exist.
        path: PathBuf,
        /// Print {"path", "schema_version", "tables": {name: rows}}.
        #[arg(long)]
        json: bool,
    },
    /// Replace the store (--db) with the backup at PATH; the old file is kept beside it.
    Restore {
        /// The backup file (made by `backup`).
        path: PathBuf,
        /// Replace an existing store (moved to STORE.before-restore-<unix seconds>).
        #[arg(long)]
        force: bool,
    },
    /// Copy a whole store into an empty one on another backend (SQLite to PostgreSQL or back),
    /// verified by counting every table on both sides.
    Migrate {
        /// The store to copy: a SQLite path or `sqlite:PATH`, or a `postgres://` URL.
        #[arg(long)]
        from: String,
        /// The store to fill: created and migrated if need be; it must hold no rows.
        #[arg(long)]
        to: String,
        /// Print {"from", "to", "rows", "tables": {name: {"source", "target"}}}.
        #[arg(long)]
        json: bool,
    },
    /// The newsletter: preview and send the digest, list subscribers.
    #[command(subcommand)]
    Newsletter(NewsletterCommand),
    /// Run the whole pipeline on the sample data shipped in the repository.
    Demo(DemoArgs),
    /// Measure parse and ingest throughput (results belong in BENCHMARKS.md).
    #[command(subcommand)]
    Bench(BenchCommand),
}

#[derive(Debug, Args)]
pub(crate) struct ParseArgs {
    /// Files, directories (walked recursively) and .zip archives.
    #[arg(required = true)]
    pub(crate) paths: Vec<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum FeedsCommand {
    /// Kept items, newest first: feed, guid, title, link, published, summary.
    Items {
        /// Only the items of this feed (its URL or path as ingested).
        #[arg(long)]
        feed: Option<String>,
        /// One JSON object per item.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum IngestCommand {
    /// Read news feeds (RSS 0.9x/1.0/2.0, Atom, JSON Feed) from URLs (conditional GET) or files,
    /// keep new items once, and cluster them into events.
    Feeds {
        /// A feeds file: `[[feed]] url, name, category` [default: [feeds] file].
        #[arg(long)]
        file: Option<PathBuf>,
        /// Feed URLs, files or directories of feed files.
        sources: Vec<String>,
        /// Print the summary as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Ingest EDGAR filings from files, directories and .zip archives, or from EDGAR itself.
    Edgar(IngestEdgarArgs),
    /// Read key dates from iCalendar (.ics) files, directories of them, or URLs; each source's
    /// events replace what was stored for it.
    Calendars {
        /// Files, directories or http(s) URLs [default: [newsletter] calendars, else the
        /// shipped data/calendars].
        sources: Vec<String>,
        /// Print one JSON summary per calendar.
        #[arg(long)]
        json: bool,
    },
    /// List inputs that failed to ingest, with the reason.
    Errors {
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub(crate) struct IngestEdgarArgs {
    /// Files, directories (walked recursively) and .zip archives.
    #[arg(required_unless_present = "from_edgar", conflicts_with = "from_edgar")]
    pub(crate) paths: Vec<PathBuf>,

    /// Walk EDGAR's daily form indexes and fetch every Form 3, 4 and 5 filed in the range.
    #[arg(long, requires = "since")]
    pub(crate) from_edgar: bool,

    /// First filing date to fetch (YYYY-MM-DD).
    #[arg(long)]
    pub(crate) since: Option<jiff::civil::Date>,

    /// Last filing date to fetch (YYYY-MM-DD); today in New York by default.
    #[arg(long)]
    pub(crate) until: Option<jiff::civil::Date>,

    #[command(flatten)]
    pub(crate) edgar: EdgarAccess,

    /// Print the closing summary as JSON.
    #[arg(long)]
    pub(crate) json: bool,
}

#[derive(Debug, Args)]
pub(crate) struct LinkArgs {
    /// Instead of linking stdin, score the linker on a labelled JSON Lines file (gold "tickers"
    /// or "ciks", compared by CIK): precision, recall, F1, then every miss and false tag.
    #[arg(long, value_name = "FILE.jsonl")]
    pub(crate) eval: Option<PathBuf>,
    /// With --eval: the report as one JSON object.
    #[arg(long, requires = "eval")]
    pub(crate) json: bool,
}

/// Where EDGAR is and who asks it; shared by every command that goes online.
#[derive(Debug, Args)]
pub(crate) struct EdgarAccess {
    /// Who you are, as EDGAR requires: "Company Name contact@example.com".
    #[arg(long, env = "MARKETDESK_EDGAR_USER_AGENT")]
    pub(crate) user_agent: Option<String>,

    /// EDGAR's address (a mirror, or a local server in tests).
    #[arg(long, env = "MARKETDESK_EDGAR_BASE_URL")]
    pub(crate) edgar_base_url: Option<String>,
}

#[derive(Debug, Subcommand)]
pub(crate) enum ReferenceCommand {
    /// Load the company list into the store: the shipped SEC snapshot, or SEC JSON files.
    Load {
        /// SEC company_tickers_exchange.json [default: the shipped snapshot].
        #[arg(long)]
        exchange_list: Option<PathBuf>,
        /// SEC company_tickers.json, ordered by market value (the linker's size prior).
        #[arg(long, requires = "exchange_list")]
        size_order: Option<PathBuf>,
    },
    /// The CUSIP map used to put tickers on 13F holdings.
    #[command(subcommand)]
    Cusips(CusipsCommand),
    /// Refresh the company list from EDGAR.
    Update {
        /// Download SEC's current lists (required: the only source today).
        #[arg(long, required = true)]
        from_edgar: bool,
        #[command(flatten)]
        edgar: EdgarAccess,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum CusipsCommand {
    /// Import a CUSIP map CSV with a `cusip` column and a `ticker` or `cik` column (optional
    /// `name` and `class`); tickers resolve to companies through the reference list.
    Import {
        /// CSV file.
        file: PathBuf,
    },
    /// Derive CUSIPs from 13F information tables, resolving issuer names to listed companies.
    Derive {
        /// 13F filings: files, directories and .zip archives.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Also write the map as CSV (how data/reference/cusips.csv is made).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum QuotesCommand {
    /// Import daily CSV files (Date,Open,High,Low,Close,Volume; one file per ticker named by it,
    /// or with a Ticker column).
    Import {
        /// CSV files.
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The ticker of every file, instead of each file's name.
        #[arg(long)]
        ticker: Option<String>,
    },
    /// Fetch daily bars from the configured quote service ([quotes] url; off by default).
    Fetch {
        /// Tickers to fetch.
        #[arg(required = true)]
        tickers: Vec<String>,
        /// The service's URL template, with {ticker} where the symbol goes.
        #[arg(long, env = "MARKETDESK_QUOTES_URL")]
        url: Option<String>,
    },
    /// The change shown beside a ticker: last close against the one before, as of a day.
    Change {
        /// The ticker.
        ticker: String,
        /// The day (New York) to read the change as of [default: today].
        #[arg(long)]
        as_of: Option<jiff::civil::Date>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Args)]
pub(crate) struct DemoArgs {
    /// The sample data to load [default: the `fixtures` folder of the source tree].
    #[arg(long)]
    pub(crate) data: Option<PathBuf>,
    /// Where the site listens.
    #[arg(long, default_value = "127.0.0.1:8080")]
    pub(crate) addr: std::net::SocketAddr,
    /// Load and write, then exit instead of serving the site.
    #[arg(long)]
    pub(crate) no_serve: bool,
}

#[derive(Debug, Subcommand)]
pub(crate) enum BenchCommand {
    /// Parse throughput on one core over the given filings (the shipped fixtures by default).
    Parse {
        /// Filings to parse.
        paths: Vec<PathBuf>,
        /// Seconds to keep parsing.
        #[arg(long, default_value_t = 5.0)]
        seconds: f64,
    },
    /// Linker throughput on one core over text repeated to a corpus of the given size, and the
    /// automaton's build time and memory.
    Link {
        /// JSON Lines files whose "text" fields make up the corpus [default: the linker's dev
        /// set and the fixture feeds].
        files: Vec<PathBuf>,
        /// Corpus size in megabytes.
        #[arg(long, default_value_t = 100)]
        megabytes: usize,
    },
    /// Store N filings (the fixtures replicated, spread over 5,000 issuers), then time the
    /// insider desk over every stored transaction.
    Signals {
        /// How many filings (210,000 make about a million transactions).
        #[arg(long, default_value_t = 210_000)]
        filings: usize,
        /// Filings to replicate (the shipped fixtures by default).
        paths: Vec<PathBuf>,
    },
    /// Ingest N news items (the fixture feeds' items replicated under new GUIDs and links, in
    /// feed files of 1,000 items) into a fresh store, deduplicating and clustering them, then
    /// analyse every item's sectors; reports time and peak memory.
    News {
        /// How many items.
        #[arg(long, default_value_t = 100_000)]
        items: usize,
        /// Feed files or directories to replicate [default: fixtures/feeds].
        paths: Vec<PathBuf>,
    },
    /// Filing-to-article latency: `marketdesk run` against a loopback replay of EDGAR's
    /// current-filings feed; each sample lists one filing and times until its article is on
    /// the site.
    Latency {
        /// Seconds between current-feed polls (`[run] edgar_current_secs`).
        #[arg(long, default_value_t = 20)]
        poll_secs: u64,
        /// An empty store to run on, e.g. a PostgreSQL database [default: a temporary SQLite
        /// file]. (The global --db is not used: the bench needs a store of its own.)
        #[arg(long)]
        store: Option<String>,
    },
    /// Send one digest to N subscribers through an SMTP server (a fresh store with the sample
    /// data, N confirmed subscribers); reports messages per second and peak memory.
    Newsletter {
        /// How many subscribers.
        #[arg(long, default_value_t = 100_000)]
        subscribers: usize,
        /// The SMTP server [default: MARKETDESK_SMTP_URL].
        #[arg(long)]
        smtp: Option<String>,
        /// Mails in flight at once.
        #[arg(long, default_value_t = 16)]
        concurrency: usize,
    },
    /// Ingest N filings (the fixtures replicated under new accession numbers) into a fresh
    /// SQLite store; reports time and peak memory.
    Ingest {
        /// How many filings.
        #[arg(long, default_value_t = 100_000)]
        filings: usize,
        /// Filings to replicate (the shipped fixtures by default).
        paths: Vec<PathBuf>,
    },
}

/// Which digest: daily, weekly, or both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum CadenceArg {
    /// The daily issue.
    Daily,
    /// The weekly issue.
    Weekly,
}

#[derive(Debug, Subcommand)]
pub(crate) enum NewsletterCommand {
    /// Print the current issue as it would go out now (the stored one if this period's issue
    /// was already sent): subject, then the text part, or the HTML part with --html.
    Preview {
        /// Which issue [default: daily].
        #[arg(long, value_enum, default_value = "daily")]
        cadence: CadenceArg,
        /// Print the HTML part instead of the text part.
        #[arg(long)]
        html: bool,
        /// Compose as of this moment (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<jiff::Timestamp>,
    },
    /// Send the current issue now to every confirmed subscriber who has not had it (both
    /// cadences unless --cadence); exit 2 when any mail failed or is still pending.
    Send {
        /// Only this cadence's issue.
        #[arg(long, value_enum)]
        cadence: Option<CadenceArg>,
        /// Count who would get it; send and record nothing.
        #[arg(long)]
        dry_run: bool,
        /// Compose as of this moment (RFC 3339) instead of now.
        #[arg(long)]
        at: Option<jiff::Timestamp>,
        /// Print one JSON report per issue.
        #[arg(long)]
        json: bool,
    },
    /// Every subscriber: email, status (pending, confirmed, unsubscribed, suppressed), cadence.
    Subscribers {
        /// One JSON object per subscriber.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum AdminCommand {
    /// Set the password of the moderation area (/admin): read from the first line of standard
    /// input, stored as an argon2id hash in the store, replacing the one before.
    SetPassword,
}

//! `marketdesk`, the only binary: it reads flags, environment and config, wires the stages
//! together and reports to people. Library crates do the work; this crate owns process concerns
//! (exit codes, signals, progress bars, logging) and nothing else.

/// `println!` that ends quietly when stdout is a closed pipe (`| head`) instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {
        crate::emit_ignoring_errors(&format!("{}\n", format_args!($($arg)*)))
    };
}

mod articles;
mod backup;
mod bench;
mod cli;
mod config;
mod edgar_online;
mod holdings;
mod ingest;
mod link;
mod news;
mod newsletter;
mod quotes;
mod run;
mod signals;

use std::{
    io::{BufWriter, IsTerminal, Write},
    path::PathBuf,
    process::ExitCode,
};

use anyhow::Context;
use clap::Parser;
use marketdesk_edgar::{
    Documents,
    fetch::{ClientConfig, EdgarClient},
};
use marketdesk_store::Store;

use crate::{
    cli::{
        BenchCommand, Cli, Command, CusipsCommand, EdgarAccess, FeedsCommand, IngestCommand,
        IngestEdgarArgs, QuotesCommand, ReferenceCommand,
    },
    config::Config,
    edgar_online::{Ending, Range},
};

// Parsing and ingest allocate many small strings; mimalloc makes that about a fifth cheaper than
// glibc's allocator (BENCHMARKS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Exit status when some inputs failed but the rest were processed.
pub(crate) const PARTIAL_FAILURE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let long_running = matches!(cli.command, Command::Run { .. } | Command::Serve { .. });
    init_logging(cli.verbose + u8::from(long_running), cli.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("marketdesk: cannot start the async runtime: {e}");
            return ExitCode::from(PARTIAL_FAILURE);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("marketdesk: {}", report(&e));
            ExitCode::from(PARTIAL_FAILURE)
        }
    }
}

/// The error and its causes on one line, each said once: library errors name their cause in
/// their own message, and the chain would repeat it.
fn report(e: &anyhow::Error) -> String {
    let mut said = String::new();
    for cause in e.chain().map(ToString::to_string) {
        if said.is_empty() {
            said = cause;
        } else if !said.contains(&cause) {
            said = format!("{said}: {cause}");
        }
    }
    said
}

fn init_logging(verbose: u8, format: cli::LogFormat) {
    let default = match verbose {
        0 => "warn",
        1 => "info",
        _ => "debug",
    };
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let logs = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    match format {
        cli::LogFormat::Text => logs.with_ansi(std::io::stderr().is_terminal()).init(),
        cli::LogFormat::Json => logs.json().with_current_span(false).init(),
    }
}

fn db_location(cli_db: Option<&str>) -> String {
    cli_db.unwrap_or("./marketdesk.db").to_owned()
}

/// The store's errors name its location (a URL's password hidden).
async fn open_store(location: &str) -> anyhow::Result<Store> {
    Ok(Store::open(location).await?)
}

async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::load(cli.config.as_deref())?;
    match cli.command {
        Command::Parse(args) => parse(&args.paths),
        Command::Ingest(IngestCommand::Calendars { sources, json }) => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            let code = newsletter::ingest_calendars(&store, &config, &sources, json).await;
            store.close().await;
            code
        }
        Command::Ingest(IngestCommand::Edgar(args)) => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            let code = ingest_edgar(&store, &config, args).await;
            store.close().await;
            code
        }
        Command::Ingest(IngestCommand::Feeds { file, sources, json }) => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            let file = file.or_else(|| config.feeds.file.clone().filter(|_| sources.is_empty()));
            let agent = config.feeds.user_agent();
            let summary = marketdesk_newsroom::ingest_feeds(
                &store,
                file.as_deref(),
                &sources,
                &agent,
                jiff::Timestamp::now(),
            )
            .await
            .map_err(anyhow::Error::from);
            store.close().await;
            let summary = summary?;
            if json {
                say!("{}", serde_json::to_string(&summary)?);
            } else {
                say!("{summary}");
            }
            Ok(if summary.failed > 0 { ExitCode::from(PARTIAL_FAILURE) } else { ExitCode::SUCCESS })
        }
        Command::Feeds(FeedsCommand::Items { feed, json }) => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            let code = news::list_items(&store, feed.as_deref(), json).await;
            store.close().await;
            code
        }
        Command::Sectors { eval, json } => match eval {
            Some(file) => news::sectors_eval(&file, json),
            None => news::sectors_stdin(),
        },
        Command::Ingest(IngestCommand::Errors { json }) => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            let errors = store.ingest_errors().await?;
            let mut out = BufWriter::new(std::io::stdout().lock());
            for e in &errors {
                if json {
                    writeln!(out, "{}", serde_json::to_string(e)?)?;
                } else {
                    writeln!(out, "{}\t{}\t{}", e.last_seen, e.source, e.reason)?;
                }
            }
            out.flush()?;
            if !json {
                eprintln!("{} recorded ingest errors", errors.len());
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Quotes(cmd) => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            let code = match cmd {
                QuotesCommand::Import { files, ticker } => {
                    quotes::import(&store, &files, ticker.as_deref()).await
                }
                QuotesCommand::Fetch { tickers, url } => {
                    let url = url.or(config.quotes.url.clone());
                    quotes::fetch(&store, url.as_deref(), &tickers).await
                }
                QuotesCommand::Change { ticker, as_of, json } => {
                    quotes::change(&store, &ticker, as_of, json).await
                }
            };
            store.close().await;
            code
        }
        Command::Signals { since, ticker, kind, window_days, json } => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            let code = signals::run_signals(
                &store,
                since,
                ticker.as_deref(),
                kind.as_deref(),
                window_days,
                json,
            )
            .await;
            store.close().await;
            code
        }
        Command::Insiders { ticker, json } => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            let code = signals::run_insiders(&store, &ticker, json).await;
            store.close().await;
            code
        }
        Command::Holdings { manager_cik, period, json } => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            let code = holdings::holdings(&store, &manager_cik, period.as_deref(), json).await;
            store.close().await;
            code
        }
        Command::Watchlist { json } => {
            let watchlist = config.smart_money.watchlist()?;
            let mut text = String::new();
            for m in &watchlist.managers {
                if json {
                    text.push_str(&serde_json::to_string(m)?);
                } else {
                    text.push_str(&format!(
                        "{}  {}{}",
                        m.cik,
                        m.name,
                        m.person.as_deref().map(|p| format!(" ({p})")).unwrap_or_default()
                    ));
                }
                text.push('\n');
            }
            emit(&text)?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Holders { ticker, tracked, json } => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            let watchlist = config.smart_money.watchlist()?;
            let code = holdings::holders(&store, &ticker, &watchlist, tracked, json).await;
            store.close().await;
            code
        }
        Command::Link(args) => {
            let linker = link::linker(&db_location(cli.db.as_deref())).await?;
            match args.eval {
                Some(file) => link::eval(&linker, &file, args.json),
                None => link::link_stdin(&linker),
            }
        }
        Command::Reference(cmd) => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            let code = match cmd {
                ReferenceCommand::Load { exchange_list, size_order } => {
                    link::load(&store, exchange_list, size_order).await
                }
                ReferenceCommand::Cusips(CusipsCommand::Import { file }) => {
                    link::import_cusips(&store, &file).await
                }
                ReferenceCommand::Cusips(CusipsCommand::Derive { paths, out }) => {
                    link::derive_cusips(&store, &paths, out.as_deref()).await
                }
                ReferenceCommand::Update { edgar, .. } => {
                    let client = edgar_client(&config, &edgar)?;
                    link::update_from_edgar(&store, &client).await
                }
            };
            store.close().await;
            code
        }
        Command::Write { since, persona, min_score, json } => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            let min_score = min_score.unwrap_or(config.writer.min_score);
            let written = write(&store, since, persona.as_deref(), min_score).await;
            store.close().await;
            let written = written?;
            if json {
                say!("{}", serde_json::to_string(&written)?);
            } else {
                say!("{written}");
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Articles { json } => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            let code = articles::list(&store, json).await;
            store.close().await;
            code
        }
        Command::Show { slug, json } => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            let code = articles::show(&store, &slug, json).await;
            store.close().await;
            code
        }
        Command::Verify { file, json } => {
            let linker = link::linker(&db_location(cli.db.as_deref())).await?;
            articles::verify_file(&file, Some(&linker), json)
        }
        Command::Serve { addr } => {
            let listener = marketdesk_web::bind(addr).await?;
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            serve(store, listener, &config).await?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Newsletter(cmd) => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            let code = match cmd {
                cli::NewsletterCommand::Preview { cadence, html, at } => {
                    newsletter::preview(&store, &config, cadence, html, at).await
                }
                cli::NewsletterCommand::Send { cadence, dry_run, at, json } => {
                    newsletter::send(&store, &config, cadence, dry_run, at, json).await
                }
                cli::NewsletterCommand::Subscribers { json } => {
                    newsletter::subscribers(&store, json).await
                }
            };
            store.close().await;
            code
        }
        Command::Run { addr, no_serve, edgar } => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            config.newsletter.send_at()?;
            let has_agent = edgar.user_agent.is_some() || config.edgar.user_agent.is_some();
            let edgar = if has_agent { Some(edgar_client(&config, &edgar)?) } else { None };
            let opts = run::RunOptions { addr: (!no_serve).then_some(addr), edgar };
            run::run(store, config, opts).await
        }
        Command::Admin(cli::AdminCommand::SetPassword) => {
            let store = open_store(&db_location(cli.db.as_deref())).await?;
            let done = set_admin_password(&store).await;
            store.close().await;
            done
        }
        Command::Backup { path, json } => {
            backup::backup(&db_location(cli.db.as_deref()), &path, json).await
        }
        Command::Restore { path, force } => {
            backup::restore(&db_location(cli.db.as_deref()), &path, force).await
        }
        Command::Migrate { from, to, json } => backup::migrate(&from, &to, json).await,
        Command::Demo(args) => demo(cli.db.as_deref(), args, &config).await,
        Command::Bench(BenchCommand::Parse { paths, seconds }) => {
            bench::parse(&default_paths(paths), seconds)
        }
        Command::Bench(BenchCommand::Link { files, megabytes }) => bench::link(&files, megabytes),
        Command::Bench(BenchCommand::Latency { poll_secs, store }) => {
            bench::latency(&sample_data_dir(), poll_secs, store).await
        }
        Command::Bench(BenchCommand::Newsletter { subscribers, smtp, concurrency }) => {
            let smtp = smtp.or_else(|| std::env::var("MARKETDESK_SMTP_URL").ok()).context(
                "bench newsletter needs an SMTP server: --smtp smtp://127.0.0.1:2525 or \
                 MARKETDESK_SMTP_URL (tools/bench/newsletter.sh starts one)",
            )?;
            bench::newsletter(&sample_data_dir(), subscribers, &smtp, concurrency).await
        }
        Command::Bench(BenchCommand::News { items, paths }) => {
            let paths =
                if paths.is_empty() { vec![sample_data_dir().join("feeds")] } else { paths };
            bench::news(&paths, items).await
        }
        Command::Bench(BenchCommand::Signals { filings, paths }) => {
            bench::signals(&default_paths(paths), filings).await
        }
        Command::Bench(BenchCommand::Ingest { filings, paths }) => {
            bench::ingest(&default_paths(paths), filings).await
        }
    }
}

/// The repository's sample data, found from the source tree this binary was built from.
fn sample_data_dir() -> PathBuf {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../fixtures"));
    dir.canonicalize().unwrap_or(dir)
}

fn default_paths(paths: Vec<PathBuf>) -> Vec<PathBuf> {
    if paths.is_empty() { vec![sample_data_dir().join("edgar/ownership")] } else { paths }
}

/// `marketdesk parse`: JSON Lines on stdout, one line per filing; failures on stderr.
fn parse(paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut out = BufWriter::new(std::io::stdout().lock());
    let mut failures = 0usize;
    let documents = Documents::new(paths)
        .map(|doc| ingest::parse_document(doc, marketdesk_edgar::parse_ownership));
    for (source, parsed) in documents {
        match parsed {
            Ok(filing) => {
                let line = serde_json::to_string(&filing)?;
                if let Err(e) = writeln!(out, "{line}") {
                    if e.kind() == std::io::ErrorKind::BrokenPipe {
                        return Ok(ExitCode::SUCCESS);
                    }
                    return Err(e.into());
                }
            }
            Err(reason) => {
                failures += 1;
                eprintln!("marketdesk: {source}: {reason}");
            }
        }
    }
    match out.flush() {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => return Err(e.into()),
        _ => {}
    }
    Ok(if failures == 0 { ExitCode::SUCCESS } else { ExitCode::from(PARTIAL_FAILURE) })
}

async fn ingest_edgar(
    store: &Store,
    config: &Config,
    args: IngestEdgarArgs,
) -> anyhow::Result<ExitCode> {
    if !args.from_edgar {
        let summary = ingest::ingest_documents(store, Documents::new(&args.paths)).await?;
        print_summary(&summary, args.json)?;
        return Ok(ExitCode::SUCCESS);
    }
    let client = edgar_client(config, &args.edgar)?;
    let today = jiff::Timestamp::now().in_tz(marketdesk_core::NEW_YORK)?.date();
    let since = args.since.context("--from-edgar needs --since")?;
    let until = args.until.unwrap_or(today);
    anyhow::ensure!(since <= until, "--since {since} is after --until {until}");
    let (summary, ending) = edgar_online::ingest_from_edgar(
        store,
        &client,
        Range { since, until },
        config.edgar.concurrency,
        today,
    )
    .await?;
    print_summary(&summary, args.json)?;
    match ending {
        Ending::Complete => Ok(ExitCode::SUCCESS),
        Ending::Stopped(why) => {
            eprintln!("marketdesk: stopped early: {why}");
            Ok(ExitCode::from(PARTIAL_FAILURE))
        }
    }
}

/// An EDGAR client from flags, environment and config, in that order of precedence.
fn edgar_client(config: &Config, access: &EdgarAccess) -> anyhow::Result<EdgarClient> {
    let user_agent = access.user_agent.clone().or_else(|| config.edgar.user_agent.clone());
    let mut client_config = ClientConfig::new(user_agent.unwrap_or_default());
    client_config.base_url =
        access.edgar_base_url.clone().unwrap_or_else(|| config.edgar.base_url.clone());
    client_config.max_requests_per_second = config.edgar.max_requests_per_second;
    if let Ok(ms) = std::env::var("MARKETDESK_EDGAR_BACKOFF_MS") {
        let ms: u64 = ms.parse().context("MARKETDESK_EDGAR_BACKOFF_MS must be milliseconds")?;
        client_config.initial_backoff = std::time::Duration::from_millis(ms);
    }
    Ok(EdgarClient::new(client_config)?)
}

/// Writes a line for `say!`; output that cannot be written (a closed pipe) is dropped.
pub(crate) fn emit_ignoring_errors(text: &str) {
    let _ = emit(text);
}

/// Writes command output; a closed pipe (`| head`) ends it quietly instead of failing.
pub(crate) fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

fn print_summary(summary: &ingest::Summary, json: bool) -> anyhow::Result<()> {
    if json {
        say!("{}", serde_json::to_string(summary)?);
    } else {
        say!("{summary}");
    }
    Ok(())
}

/// `write`: the model writer when `MARKETDESK_LLM_*` configure one, checked with the linker over
/// the store's reference list.
async fn write(
    store: &Store,
    since: Option<jiff::civil::Date>,
    persona: Option<&str>,
    min_score: f64,
) -> anyhow::Result<marketdesk_newsroom::WriteSummary> {
    let linker = link::linker_in(Some(store)).await?;
    let llm = marketdesk_writer::llm::LlmConfig::from_vars(|k| std::env::var(k).ok());
    Ok(marketdesk_newsroom::write(
        store,
        &linker,
        llm,
        since,
        persona,
        min_score,
        jiff::Timestamp::now(),
    )
    .await?)
}

/// `marketdesk admin set-password`: the first line of standard input, hashed with argon2id.
async fn set_admin_password(store: &Store) -> anyhow::Result<ExitCode> {
    use std::io::{BufRead as _, IsTerminal as _};
    if std::io::stdin().is_terminal() {
        eprint!("New admin password (shown as typed; pipe it in to hide it): ");
    }
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("reading the password")?;
    let password = line.trim_end_matches(['\r', '\n']);
    if password.chars().count() < 8 {
        eprintln!("marketdesk: the admin password needs at least 8 characters");
        return Ok(ExitCode::from(2));
    }
    let phc = marketdesk_web::hash_password(password)
        .map_err(|e| anyhow::anyhow!("hashing the password: {e}"))?;
    store.set_admin_password_hash(&phc).await.context("storing the password hash")?;
    eprintln!("marketdesk: admin password set; log in at /admin");
    Ok(ExitCode::SUCCESS)
}

/// Serves the site on a bound listener until Ctrl-C or SIGTERM.
async fn serve(
    store: Store,
    listener: tokio::net::TcpListener,
    config: &Config,
) -> anyhow::Result<()> {
    let options = newsletter::site_options(&store, config).await?;
    let addr = listener.local_addr().context("the listening address")?;
    let base = options.base_url.clone().unwrap_or_else(|| format!("http://{addr}"));
    eprintln!("marketdesk: serving {base}/ on {addr} (Ctrl-C stops)");
    let served = marketdesk_web::serve(store.clone(), listener, options).await;
    store.close().await;
    served.with_context(|| format!("serving on {addr}"))
}

/// `marketdesk demo`: a fresh store loaded with the repository's sample data, its articles
/// written, and the site served.
async fn demo(db: Option<&str>, args: cli::DemoArgs, config: &Config) -> anyhow::Result<ExitCode> {
    let data = args.data.unwrap_or_else(sample_data_dir);
    anyhow::ensure!(
        data.is_dir(),
        "sample data not found at {}: run the demo from a checkout of the repository, or pass --data",
        data.display()
    );
    // Bound first: a port in use fails before the pipeline runs, and port 0 becomes the port
    // the newsletter's links name.
    let listener = if args.no_serve { None } else { Some(marketdesk_web::bind(args.addr).await?) };
    let addr = match &listener {
        Some(listener) => listener.local_addr().context("the listening address")?,
        None => args.addr,
    };
    let temp;
    let location = match db {
        Some(db) => db.to_owned(),
        None => {
            temp = tempfile::tempdir().context("creating a temporary directory")?;
            temp.path().join("demo.db").display().to_string()
        }
    };
    let store = open_store(&location).await?;
    link::load(&store, None, None).await?;
    let mut quote_files: Vec<PathBuf> = std::fs::read_dir(data.join("quotes"))
        .with_context(|| format!("reading {}", data.join("quotes").display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "csv"))
        .collect();
    quote_files.sort();
    quotes::import(&store, &quote_files, None).await?;
    let edgar = [data.join("edgar/ownership"), data.join("edgar/13f")];
    let summary = ingest::ingest_documents(&store, Documents::new(&edgar)).await?;
    say!("EDGAR filings (Forms 3/4/5 and 13F): {summary}");
    let feeds = [data.join("feeds").display().to_string()];
    let agent = concat!("marketdesk/", env!("CARGO_PKG_VERSION"));
    let news =
        marketdesk_newsroom::ingest_feeds(&store, None, &feeds, agent, jiff::Timestamp::now())
            .await?;
    say!("news feeds: {news}");
    let calendars = [newsletter::shipped_calendars().display().to_string()];
    newsletter::ingest_calendars(&store, config, &calendars, false).await?;
    let counts = store.counts().await?;
    let kept = if db.is_some() { "" } else { " (temporary: pass --db PATH to keep it)" };
    let (reports, positions) = store.thirteen_f_counts().await?;
    say!(
        "store {location}{kept}: {} insider filings ({} transactions, {} holdings, {} reporting \
         owners), {reports} 13F reports ({positions} positions)",
        counts.filings,
        counts.transactions,
        counts.holdings,
        counts.reporting_owners
    );
    say!("\ntop insider signals:");
    signals::run_signals(&store, None, None, None, 14, false).await?;
    let written = write(&store, None, None, config.writer.min_score).await?;
    say!("\narticles by the writing agents: {written}");
    articles::list(&store, false).await?;
    let base = config.web.site_options()?.base_url.unwrap_or_else(|| format!("http://{addr}"));
    newsletter::publish_current(&store, config, &base).await?;
    let Some(listener) = listener else {
        store.close().await;
        return Ok(ExitCode::SUCCESS);
    };
    say!("\nthe site: http://{addr}/");
    serve(store, listener, config).await?;
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_says_each_cause_once() {
        let io = std::io::Error::other("Address already in use");
        let bind = marketdesk_web::Error::Bind { addr: "127.0.0.1:80".into(), source: io };
        let e = anyhow::Error::new(bind).context("the site stopped");
        assert_eq!(
            report(&e),
            "the site stopped: cannot listen on 127.0.0.1:80: Address already in use"
        );
        let plain = anyhow::anyhow!("inner").context("outer");
        assert_eq!(report(&plain), "outer: inner");
    }
}

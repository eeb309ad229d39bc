//! `marketdesk newsletter preview|send|subscribers` and `marketdesk ingest calendars`.

use std::{
    path::{Path, PathBuf},
    process::ExitCode,
};

use marketdesk_newsletter::Newsletter;
use marketdesk_store::{Cadence, Store, SubscriberStatus};
use serde_json::json;

use crate::{PARTIAL_FAILURE, cli::CadenceArg, config::Config};

/// The key links and form tokens are signed with: `MARKETDESK_SECRET` / `[web] secret`, else
/// one made once and kept in the store, so every process over the store (web nodes, `newsletter
/// send`) signs alike and links outlive restarts.
pub(crate) async fn site_secret(
    store: &Store,
    configured: Option<Vec<u8>>,
) -> anyhow::Result<Vec<u8>> {
    if let Some(s) = configured {
        return Ok(s);
    }
    let stored = store
        .setting_or_init("link_secret", || {
            let mut key = [0u8; 32];
            // Without OS randomness there is no safe key: refuse below rather than guess.
            if getrandom::fill(&mut key).is_err() {
                return String::new();
            }
            key.iter().map(|b| format!("{b:02x}")).collect()
        })
        .await?;
    anyhow::ensure!(
        !stored.is_empty(),
        "no randomness to make a signing secret; set MARKETDESK_SECRET"
    );
    Ok(stored.into_bytes())
}

/// The site's options from config and environment, with the signing secret resolved.
pub(crate) async fn site_options(
    store: &Store,
    config: &Config,
) -> anyhow::Result<marketdesk_web::SiteOptions> {
    let mut options = config.web.site_options()?;
    options.mail = config.mail.mail_options()?;
    options.newsletter = config.newsletter.settings()?;
    options.secret = Some(site_secret(store, options.secret.take()).await?);
    Ok(options)
}

/// The newsletter as the configured site runs it.
async fn newsletter(store: &Store, config: &Config) -> anyhow::Result<Newsletter> {
    let mut options = site_options(store, config).await?;
    if options.base_url.is_none() {
        let fallback = "http://127.0.0.1:8080";
        eprintln!(
            "marketdesk: no MARKETDESK_BASE_URL or [web] base_url: links in mail point at {fallback}"
        );
        options.base_url = Some(fallback.to_owned());
    }
    Ok(marketdesk_web::newsletter(store.clone(), &options)?)
}

fn cadences(c: Option<CadenceArg>) -> Vec<Cadence> {
    match c {
        Some(CadenceArg::Daily) => vec![Cadence::Daily],
        Some(CadenceArg::Weekly) => vec![Cadence::Weekly],
        None => Cadence::ALL.to_vec(),
    }
}

/// `newsletter preview`.
pub(crate) async fn preview(
    store: &Store,
    config: &Config,
    cadence: CadenceArg,
    html: bool,
    at: Option<jiff::Timestamp>,
) -> anyhow::Result<ExitCode> {
    let n = newsletter(store, config).await?;
    let cadence = cadences(Some(cadence))[0];
    let p = n.preview(cadence, at.unwrap_or_else(jiff::Timestamp::now)).await?;
    let part = if html { &p.composed.html } else { &p.composed.text };
    let part = part.replace(
        marketdesk_newsletter::UNSUBSCRIBE_PLACEHOLDER,
        &format!("{}/newsletter/unsubscribe/SUBSCRIBER-TOKEN", n.options().base_url),
    );
    if !html {
        say!("Subject: {}\n", p.composed.subject);
    }
    crate::emit(&part)?;
    let state = if p.stored { "stored, sent as shown" } else { "not stored yet" };
    eprintln!("marketdesk: issue {} ({state}): {}", p.slug, p.composed.summary);
    Ok(ExitCode::SUCCESS)
}

/// `newsletter send [--dry-run]`.
pub(crate) async fn send(
    store: &Store,
    config: &Config,
    cadence: Option<CadenceArg>,
    dry_run: bool,
    at: Option<jiff::Timestamp>,
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let n = newsletter(store, config).await?;
    anyhow::ensure!(
        dry_run || n.can_send(),
        "no SMTP server configured: set MARKETDESK_SMTP_URL (e.g. smtp://127.0.0.1:2525) or \
         [mail] smtp_url, or use --dry-run"
    );
    let at = at.unwrap_or_else(jiff::Timestamp::now);
    let mut incomplete = false;
    for c in cadences(cadence) {
        let r = n.send(c, at, dry_run).await?;
        incomplete |= r.log.failed > 0 || r.log.pending > 0;
        if json_out {
            say!("{}", serde_json::to_string(&r)?);
        } else if dry_run {
            say!(
                "{} issue {} \"{}\": would go to {} subscribers (dry run: nothing sent)",
                c.as_str(),
                r.issue,
                r.subject,
                r.recipients
            );
        } else {
            say!(
                "{} issue {} \"{}\": sent {} in {:.1} s ({} failed, {} skipped); log: {} sent, {} failed, {} pending",
                c.as_str(),
                r.issue,
                r.subject,
                r.sent,
                r.seconds,
                r.failed,
                r.skipped,
                r.log.sent,
                r.log.failed,
                r.log.pending
            );
        }
        if let Some(why) = &r.stopped {
            eprintln!("marketdesk: {} issue stopped early: {why}", c.as_str());
        }
    }
    Ok(if incomplete && !dry_run { ExitCode::from(PARTIAL_FAILURE) } else { ExitCode::SUCCESS })
}

/// Composes and stores the current issue of each cadence, so the archive has them (the demo).
pub(crate) async fn publish_current(
    store: &Store,
    config: &Config,
    base_url: &str,
) -> anyhow::Result<()> {
    let mut options = site_options(store, config).await?;
    options.base_url = Some(base_url.to_owned());
    let n = marketdesk_web::newsletter(store.clone(), &options)?;
    for c in Cadence::ALL {
        let issue = n.current_issue(c, jiff::Timestamp::now()).await?;
        say!(
            "newsletter: {} issue \"{}\" at {}",
            c.as_str(),
            issue.subject,
            marketdesk_newsletter::view_url(base_url, &issue.slug)
        );
    }
    Ok(())
}

/// `newsletter subscribers [--json]`.
pub(crate) async fn subscribers(store: &Store, json_out: bool) -> anyhow::Result<ExitCode> {
    let list = store.subscribers().await?;
    let mut text = String::new();
    for s in &list {
        let line = if json_out {
            json!({
                "email": s.email, "status": s.status, "cadence": s.cadence,
                "created_at": s.created_at, "confirmed_at": s.confirmed_at, "reason": s.reason,
            })
            .to_string()
        } else {
            format!("{:<40} {:<13} {}", s.email, s.status.as_str(), s.cadence.as_str())
        };
        text.push_str(&line);
        text.push('\n');
    }
    if !json_out {
        let count = |st: SubscriberStatus| list.iter().filter(|s| s.status == st).count();
        text.push_str(&format!(
            "{} subscribers: {} confirmed, {} pending, {} unsubscribed, {} suppressed\n",
            list.len(),
            count(SubscriberStatus::Confirmed),
            count(SubscriberStatus::Pending),
            count(SubscriberStatus::Unsubscribed),
            count(SubscriberStatus::Suppressed)
        ));
    }
    crate::emit(&text)?;
    Ok(ExitCode::SUCCESS)
}

/// The shipped key-date calendars.
pub(crate) fn shipped_calendars() -> PathBuf {
    let dir = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../../data/calendars"));
    dir.canonicalize().unwrap_or(dir)
}

/// `ingest calendars [SOURCES...]`: exit 2 when a source could not be read at all.
pub(crate) async fn ingest_calendars(
    store: &Store,
    config: &Config,
    sources: &[String],
    json_out: bool,
) -> anyhow::Result<ExitCode> {
    let sources = if !sources.is_empty() {
        sources.to_vec()
    } else if !config.newsletter.calendars.is_empty() {
        config.newsletter.calendars.clone()
    } else {
        vec![shipped_calendars().display().to_string()]
    };
    let agent = config.feeds.user_agent();
    let mut failed = 0;
    let ics = |p: &Path| p.extension().is_some_and(|x| x.eq_ignore_ascii_case("ics"));
    for source in marketdesk_newsroom::expand_dirs(&sources, ics)? {
        let s =
            marketdesk_newsroom::ingest_calendar(store, &source, &agent, jiff::Timestamp::now())
                .await?;
        if s.error.is_some() {
            failed += 1;
        }
        if json_out {
            say!("{}", serde_json::to_string(&s)?);
        } else {
            match &s.error {
                Some(e) => say!("{source}: not read: {e}"),
                None => say!(
                    "{source}: {} key dates{}{}",
                    s.events,
                    s.name.as_ref().map(|n| format!(" ({n})")).unwrap_or_default(),
                    if s.problems > 0 {
                        format!(", {} problems (marketdesk ingest errors)", s.problems)
                    } else {
                        String::new()
                    }
                ),
            }
        }
    }
    Ok(if failed > 0 { ExitCode::from(PARTIAL_FAILURE) } else { ExitCode::SUCCESS })
}

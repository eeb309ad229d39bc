//! The deterministic writer: an insider-signal article from its fact sheet alone, no model.
//!
//! Every figure it writes is read from the sheet and printed in newsroom style; sentences are
//! chosen by what the facts are (size, role, direction, history, plan) and, where several would
//! do, by a hash of the sheet's subject, so the same facts always give the same article and
//! different trades read differently.

use jiff::civil::Date;
use marketdesk_core::style::{money, percent, price, thousands};
use marketdesk_desks::insider::SignalKind;

use crate::{Draft, DraftSection, FactSheet, Persona, Register, SectionRole, facts::Entity, names};

/// The roles of an insider article's sections, in order.
pub const INSIDER_SECTIONS: [SectionRole; 6] = [
    SectionRole::WhatHappened,
    SectionRole::Who,
    SectionRole::Context,
    SectionRole::Meaning,
    SectionRole::Caveats,
    SectionRole::Conclusion,
];

/// AP style: "Feb. 14, 2020", "June 8, 2011".
pub fn ap_date(d: Date) -> String {
    const MONTHS: [&str; 12] = [
        "Jan.", "Feb.", "March", "April", "May", "June", "July", "Aug.", "Sept.", "Oct.", "Nov.",
        "Dec.",
    ];
    let month = MONTHS.get(usize::try_from(d.month() - 1).unwrap_or(0)).copied().unwrap_or("");
    format!("{month} {}, {}", d.day(), d.year())
}

/// Counts one to nine as words, larger ones as figures (AP style).
pub fn count_words(n: usize) -> String {
    const WORDS: [&str; 10] =
        ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"];
    WORDS.get(n).map_or_else(|| n.to_string(), |w| (*w).to_owned())
}

/// A stable choice among `options` for one slot of one article.
fn pick<'a>(subject: &str, slot: &str, options: &[&'a str]) -> &'a str {
    // FNV-1a: stable across runs and platforms, unlike the std hasher.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in subject.bytes().chain([0]).chain(slot.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    options.get((h % options.len().max(1) as u64) as usize).copied().unwrap_or("")
}

/// Fills `{name}` placeholders.
fn fill(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = template.to_owned();
    for (k, v) in vars {
        out = out.replace(&format!("{{{k}}}"), v);
    }
    out
}

/// How a role reads in a sentence: "chief executive", "director", or the title as filed.
fn role_phrase(role: &str) -> String {
    let lower = role.to_ascii_lowercase();
    let words: Vec<&str> = lower.split(|c: char| !c.is_ascii_alphanumeric()).collect();
    let has = |w: &str| words.contains(&w);
    if has("ceo") || lower.contains("chief executive") {
        "chief executive".into()
    } else if has("cfo") || lower.contains("chief financial") {
        "chief financial officer".into()
    } else if has("coo") || lower.contains("chief operating") {
        "chief operating officer".into()
    } else if lower == "director" {
        "director".into()
    } else if lower == "officer" {
        "officer".into()
    } else if lower == "10% owner" {
        "10% owner".into()
    } else {
        role.trim_end_matches('.').to_owned()
    }
}

fn is_c_suite(role: &str) -> bool {
    let r = role_phrase(role);
    r.starts_with("chief ")
        || r.to_ascii_lowercase().contains("president")
        || r.to_ascii_lowercase().contains("chair")
}

/// One insider's part as the sheet states it.
struct LegFacts<'a> {
    person: &'a Entity,
    role: String,
    shares: f64,
    value: f64,
    average: Option<f64>,
    low: Option<f64>,
    high: Option<f64>,
    owned_after: Option<f64>,
    start: Date,
    end: Date,
    previous_purchase: Option<Date>,
}

fn legs(sheet: &FactSheet) -> Vec<LegFacts<'_>> {
    let mut out = Vec::new();
    for (i, cik) in sheet.leg_insiders.iter().enumerate() {
        let key = |f: &str| format!("legs.{i}.{f}");
        let (Some(person), Some(shares), Some(start)) =
            (sheet.person(*cik), sheet.value(&key("shares")), sheet.date(&key("start_date")))
        else {
            continue;
        };
        out.push(LegFacts {
            person,
            role: role_phrase(person.detail.as_deref().unwrap_or("insider")),
            shares,
            value: sheet.value(&key("value_usd")).unwrap_or(0.0),
            average: sheet.value(&key("average_price")),
            low: sheet.value(&key("low_price")),
            high: sheet.value(&key("high_price")),
            owned_after: sheet.value(&key("owned_after")),
            start,
            end: sheet.date(&key("end_date")).unwrap_or(start),
            previous_purchase: sheet.date(&key("previous_purchase")),
        });
    }
    out
}

/// "on Feb. 14, 2020" or "between Feb. 12 and Feb. 14, 2020".
fn when(start: Date, end: Date) -> String {
    if start == end {
        format!("on {}", ap_date(start))
    } else if start.year() == end.year() {
        let first = ap_date(start);
        let first = first.rsplit_once(',').map_or(first.as_str(), |(md, _)| md);
        format!("between {first} and {}", ap_date(end))
    } else {
        format!("between {} and {}", ap_date(start), ap_date(end))
    }
}

/// "at $25.00 a share" or "at prices from $24.10 to $25.90, an average of $25.00".
fn prices(leg: &LegFacts<'_>) -> Option<String> {
    match (leg.low, leg.high, leg.average) {
        (Some(lo), Some(hi), Some(avg)) if price(lo) != price(hi) => Some(format!(
            "at prices from {} to {} a share, an average of {}",
            price(lo),
            price(hi),
            price(avg)
        )),
        (_, _, Some(avg)) => Some(format!("at {} a share", price(avg))),
        _ => None,
    }
}

/// Everything a sentence about one signal needs, read once from its sheet.
struct Story<'a> {
    sheet: &'a FactSheet,
    kind: SignalKind,
    company: String,
    short: String,
    legs: Vec<LegFacts<'a>>,
    value: f64,
    shares: f64,
    insiders: usize,
    pct: Option<f64>,
    plan: bool,
    routine: bool,
}

impl<'a> Story<'a> {
    fn new(sheet: &'a FactSheet) -> Option<Self> {
        let company = sheet.company()?;
        let display = if company.display.is_empty() {
            company.detail.clone().unwrap_or_default()
        } else {
            company.display.clone()
        };
        Some(Story {
            sheet,
            kind: sheet.kind?,
            short: names::company_short(&display),
            company: display,
            legs: legs(sheet),
            value: sheet.value("value_usd").unwrap_or(0.0),
            shares: sheet.value("shares").unwrap_or(0.0),
            insiders: sheet.value("insiders").unwrap_or(0.0) as usize,
            pct: sheet.value("pct_of_holding"),
            plan: sheet.has_label("10b5-1 plan"),
            routine: sheet.has_label("routine"),
        })
    }

    fn buying(&self) -> bool {
        matches!(self.kind, SignalKind::Purchase | SignalKind::ClusterBuy)
    }

    fn cluster(&self) -> bool {
        matches!(self.kind, SignalKind::ClusterBuy | SignalKind::ClusterSale)
    }

    fn pick(&self, slot: &str, options: &[&'static str]) -> &'static str {
        pick(&self.sheet.subject, slot, options)
    }

    fn lead(&self) -> Option<&LegFacts<'a>> {
        self.legs.iter().max_by(|a, b| a.value.total_cmp(&b.value))
    }

    /// The first purchase in years, when the sheet shows it: "first purchase since 2011".
    fn first_in_years(&self) -> Option<String> {
        let leg = self.lead()?;
        if !self.buying() || self.cluster() {
            return None;
        }
        match leg.previous_purchase {
            Some(prev) if leg.start.year() - prev.year() >= 2 => {
                Some(format!("first purchase since {}", prev.year()))
            }
            None if self.sheet.has_label("first purchase on record in two years") => {
                Some("first purchase on record".to_owned())
            }
            _ => None,
        }
    }

    fn headline(&self) -> String {
        let Some(lead) = self.lead() else { return format!("Insider trades at {}", self.short) };
        let person = lead.person.display.as_str();
        let surname = names::surname(person);
        let v = money(self.value);
        let vars = [
            ("person", person),
            ("surname", surname),
            ("role", lead.role.as_str()),
            ("short", self.short.as_str()),
            ("value", v.as_str()),
        ];
        let base = match self.kind {
            SignalKind::Purchase => fill(
                self.pick(
                    "headline",
                    &[
                        "{person} buys {value} of {short} stock",
                        "{short} {role} {surname} buys {value} in shares",
                        "{person} puts {value} into {short} shares",
                    ],
                ),
                &vars,
            ),
            SignalKind::Sale => match self.pct {
                Some(p) if p >= 99.95 => {
                    fill("{person} sells entire reported {short} stake for {value}", &vars)
                }
                Some(p) if p >= 20.0 => {
                    format!("{} sells {} of {} stake for {v}", person, percent(p), self.short)
                }
                _ => fill(
                    self.pick(
                        "headline",
                        &[
                            "{person} sells {value} of {short} stock",
                            "{short} {role} {surname} sells {value} in shares",
                        ],
                    ),
                    &vars,
                ),
            },
            SignalKind::ClusterBuy => format!(
                "{} {} insiders buy {v} of stock",
                capitalise(&count_words(self.insiders)),
                self.short
            ),
            SignalKind::ClusterSale => format!(
                "{} {} insiders sell {v} of stock",
                capitalise(&count_words(self.insiders)),
                self.short
            ),
        };
        match self.first_in_years() {
            Some(first) => format!("{base} in {first}"),
            None => base,
        }
    }

    fn dek(&self) -> String {
        let Some(lead) = self.lead() else { return String::new() };
        let surname = names::surname(&lead.person.display);
        let verb = if self.buying() { "bought" } else { "sold" };
        if self.cluster() {
            return format!(
                "{} officers, directors or large holders {verb} {} shares {}, according to {} SEC filings.",
                capitalise(&count_words(self.insiders)),
                thousands(self.shares),
                when(self.start(), self.end()),
                count_words(self.sheet.value("filings").unwrap_or(0.0) as usize),
            );
        }
        let mut dek = format!(
            "The {} {verb} {} shares {}",
            lead.role,
            thousands(lead.shares),
            when(lead.start, lead.end)
        );
        if let Some(p) = prices(lead) {
            dek.push_str(", ");
            dek.push_str(&p);
        }
        match (self.pct, lead.owned_after) {
            (Some(p), Some(after)) if self.buying() && p >= 0.1 => dek.push_str(&format!(
                ", raising {surname}'s reported holding by {} to {} shares",
                percent(p),
                thousands(after)
            )),
            (_, Some(after)) if !self.buying() && after < 0.5 => {
                dek.push_str(", leaving no shares in the account the filing reports")
            }
            (Some(p), Some(after)) if !self.buying() => dek.push_str(&format!(
                ", {} of the holding, leaving {} shares",
                percent(p),
                thousands(after)
            )),
            _ => {}
        }
        dek.push('.');
        dek
    }

    fn start(&self) -> Date {
        self.sheet.date("start_date").unwrap_or(self.sheet.as_of)
    }

    fn end(&self) -> Date {
        self.sheet.date("end_date").unwrap_or(self.sheet.as_of)
    }

    fn form_source(&self) -> String {
        let forms: Vec<&str> = self
            .sheet
            .sources
            .iter()
            .filter_map(|s| s.title.strip_prefix("SEC Form "))
            .filter_map(|t| t.split_whitespace().next())
            .collect();
        match forms.as_slice() {
            [one] => format!("a Form {one} filed with the Securities and Exchange Commission"),
            [] => "filings with the Securities and Exchange Commission".to_owned(),
            many => format!(
                "{} filings with the Securities and Exchange Commission",
                count_words(many.len())
            ),
        }
    }

    fn what_happened(&self, register: Register) -> Vec<String> {
        let Some(lead) = self.lead() else { return Vec::new() };
        let verb = if self.buying() { "bought" } else { "sold" };
        let mut out = Vec::new();
        if self.cluster() {
            out.push(format!(
                "{} insiders of {} {verb} a combined {} shares of the company's stock on the open market {}, for {} in total, according to {}.",
                capitalise(&count_words(self.insiders)),
                self.company,
                thousands(self.shares),
                when(self.start(), self.end()),
                money(self.value),
                self.form_source()
            ));
            out.push(format!(
                "The largest single {} came from {}, {} of the company, at {}.",
                if self.buying() { "purchase" } else { "sale" },
                lead.person.display,
                with_article(&lead.role),
                money(lead.value)
            ));
        } else {
            let opening = self.pick(
                "opening",
                &[
                    "{person}, {a_role} of {company}, {verb} {shares} shares of the company on the open market {when}, according to {source}.",
                    "{company}'s {role}, {person}, {verb} {shares} of its shares in open-market trades {when}, {source} shows.",
                    "{person} {verb} {shares} shares of {company} {when}, according to {source}; {surname} is the company's {role}.",
                ],
            );
            let shares = thousands(lead.shares);
            let a_role = with_article(&lead.role);
            let w = when(lead.start, lead.end);
            let src = self.form_source();
            let surname = names::surname(&lead.person.display);
            let mut first = fill(
                opening,
                &[
                    ("person", lead.person.display.as_str()),
                    ("role", lead.role.as_str()),
                    ("a_role", a_role.as_str()),
                    ("company", self.company.as_str()),
                    ("verb", verb),
                    ("shares", shares.as_str()),
                    ("when", w.as_str()),
                    ("source", src.as_str()),
                    ("surname", surname),
                ],
            );
            // "…, {source} shows." reads wrong for a plural source.
            if src.starts_with("filings") {
                first = first.replace(" shows.", " show.");
            }
            out.push(first);
            let mut second = match prices(lead) {
                Some(p) => format!("The trades were made {p}, {} in all.", money(lead.value)),
                None => "The filing gives no price for the trades.".to_owned(),
            };
            if let Some(after) = lead.owned_after {
                let held = if after < 0.5 {
                    format!(" Afterwards {surname} reported holding no shares directly.")
                } else {
                    format!(
                        " Afterwards {surname} reported holding {} shares{}.",
                        thousands(after),
                        match self.pct {
                            Some(p) if p >= 0.1 && self.buying() => {
                                format!(", {} more than before", percent(p))
                            }
                            Some(p) if p >= 0.1 => format!(", {} fewer than before", percent(p)),
                            _ => String::new(),
                        }
                    )
                };
                second.push_str(&held);
            }
            out.push(second);
        }
        if register == Register::Analytical {
            out.rotate_left(1);
        }
        out
    }

    fn who(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.cluster() {
            let verb = if self.buying() { "bought" } else { "sold" };
            let lines: Vec<String> = self
                .legs
                .iter()
                .map(|l| {
                    format!(
                        "{} ({}) {verb} {} shares {}{}",
                        l.person.display,
                        l.role,
                        thousands(l.shares),
                        when(l.start, l.end),
                        if l.value > 0.0 {
                            format!(" for {}", money(l.value))
                        } else {
                            String::new()
                        }
                    )
                })
                .collect();
            out.push(format!(
                "{} people took part: {}.",
                capitalise(&count_words(self.legs.len())),
                lines.join("; ")
            ));
            let c_suite = self.legs.iter().filter(|l| is_c_suite(&l.role)).count();
            if c_suite > 0 {
                out.push(format!(
                    "{} of them {} among the top executives, the people closest to the company's results.",
                    capitalise(&count_words(c_suite)),
                    if c_suite == 1 { "is" } else { "are" }
                ));
            }
            return out;
        }
        let Some(lead) = self.lead() else { return out };
        let surname = names::surname(&lead.person.display);
        let role = lead.role.to_ascii_lowercase();
        let about = if is_c_suite(&lead.role) {
            self.pick(
                "who",
                &[
                    "As {role}, {surname} is among the executives closest to {short}'s operations and results, which is why trades from that chair draw the most attention.",
                    "{surname} is {short}'s {role}. Trades by the top executives are watched most closely because they see the business from the inside every day.",
                ],
            )
        } else if role == "director" {
            self.pick(
                "who",
                &[
                    "{surname} sits on {short}'s board, which oversees management; directors see the company's plans but not its day-to-day running.",
                    "As a director, {surname} is one of the people who oversee {short}'s management on behalf of shareholders.",
                ],
            )
        } else if role == "10% owner" {
            "{surname} reports as a 10% owner of {short}: a large holder rather than a manager of the company."
        } else {
            "{surname} reports to the SEC as an insider of {short}, with the title {role}."
        };
        out.push(fill(
            about,
            &[("surname", surname), ("short", self.short.as_str()), ("role", lead.role.as_str())],
        ));
        let others: Vec<String> = self
            .sheet
            .entities
            .iter()
            .filter(|e| e.kind == "person" && e.cik != lead.person.cik)
            .map(|e| e.display.clone())
            .collect();
        if !others.is_empty() {
            out.push(format!(
                "The filing was made jointly with {}, who report the same shares.",
                others.join(" and ")
            ));
        }
        out
    }

    fn context(&self) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(lead) = self.lead().filter(|_| !self.cluster()) {
            let surname = names::surname(&lead.person.display);
            match lead.previous_purchase {
                Some(prev) if self.buying() => out.push(format!(
                    "{surname}'s previous open-market purchase of {} stock on record was {}{}.",
                    self.short,
                    when(prev, prev),
                    match self.first_in_years() {
                        Some(_) => format!(", making this the first since {}", prev.year()),
                        None => String::new(),
                    }
                )),
                None if self.buying() => out.push(format!(
                    "marketdesk's records hold no earlier open-market purchase of {} stock by {surname}.",
                    self.short
                )),
                _ => {}
            }
        }
        if self.routine {
            out.push(
                "The same insiders traded in the same calendar month in each of the three previous years, a pattern researchers call routine trading."
                    .to_owned(),
            );
        }
        if let Some(q) = self.sheet.quotes.iter().find(|q| q.text.len() <= 400) {
            let text = q.text.trim_end_matches('.');
            out.push(format!("A footnote to the filing says: \u{201c}{text}.\u{201d}"));
        }
        if let (Some(c0), Some(c1), Some(change), Some(d0), Some(d1)) = (
            self.sheet.value("close_at_trade"),
            self.sheet.value("latest_close"),
            self.sheet.value("change_since_trade"),
            self.sheet.date("close_at_trade"),
            self.sheet.date("latest_close"),
        ) {
            let direction = if change >= 0.0 { "risen" } else { "fallen" };
            out.push(format!(
                "{} shares have {direction} {} since then, from a close of {} on {} to {} on {}, on split-adjusted prices.",
                self.short,
                percent(change.abs()),
                price(c0),
                ap_date(d0),
                price(c1),
                ap_date(d1)
            ));
        }
        if out.is_empty() {
            out.push(format!(
                "No other open-market trades by these insiders in {} stock are on record around these dates.",
                self.short
            ));
        }
        out
    }

    fn meaning(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self.kind {
            SignalKind::Purchase => {
                out.push(self.pick("meaning", &[
                    "Open-market purchases by officers and directors are among the more informative things insiders do: they spend their own money, and studies of insider trading have found such buying, when it is not routine, followed on average by better-than-market returns.",
                    "Insiders can sell for many reasons, but they usually buy for one: they think the shares are worth more than they cost. Research on insider trading has found non-routine purchases by officers and directors followed on average by better-than-market returns.",
                ]).to_owned());
                if self.value >= 1e6 {
                    out.push(format!(
                        "At {}, this is a substantial commitment of personal capital.",
                        money(self.value)
                    ));
                }
                if let Some(p) = self.pct.filter(|p| *p >= 10.0) {
                    out.push(format!(
                        "Adding {} to an existing holding is a meaningful step relative to what was already owned.",
                        percent(p)
                    ));
                }
            }
            SignalKind::Sale => {
                out.push("A sale says less than a purchase: insiders sell to pay taxes, diversify or buy a house, and studies find sales much weaker as a signal than purchases.".to_owned());
                if let Some(p) = self.pct.filter(|p| *p >= 20.0) {
                    out.push(format!(
                        "Still, selling {} of a holding is a larger step than a routine trim.",
                        percent(p)
                    ));
                }
            }
            SignalKind::ClusterBuy => out.push("Several insiders buying within days of each other is one of the stronger patterns in the research on insider trading: it is harder to explain by any one person's circumstances.".to_owned()),
            SignalKind::ClusterSale => out.push("Several insiders selling together can reflect a shared view, but also a common trigger such as an open trading window after results or a lock-up ending.".to_owned()),
        }
        out
    }

    fn caveats(&self) -> Vec<String> {
        let mut out = vec![format!(
            "{} reports what insiders did, not why. Findings about insider trades are averages across many companies and do not predict the path of any one stock.",
            capitalise(
                &self
                    .form_source()
                    .replace(" filed with the Securities and Exchange Commission", "")
                    .replace(" with the Securities and Exchange Commission", "")
            )
        )];
        if self.plan {
            out.push("The filing indicates trades under a Rule 10b5-1 plan, which schedules trades in advance; such trades say little about the insider's view at the time they happen.".to_owned());
        }
        if self.routine {
            out.push("Routine traders, who trade in the same month year after year, have shown no unusual returns in the research.".to_owned());
        }
        out.push("Holdings here are the shares reported in the filing; indirect holdings and options may not be included.".to_owned());
        out
    }

    fn conclusion(&self) -> Vec<String> {
        let consider = self.pick(
            "conclusion",
            &[
                "Readers following {short} may weigh it alongside the company's results, its valuation and whether other insiders follow.",
                "What it adds up to depends on what comes next: further filings from other insiders, the company's next results and how the shares trade.",
            ],
        );
        let summary = match self.kind {
            SignalKind::Purchase => "an insider putting personal money into the stock",
            SignalKind::Sale => "an insider reducing a stake",
            SignalKind::ClusterBuy => "several insiders buying at once",
            SignalKind::ClusterSale => "several insiders selling at once",
        };
        vec![format!(
            "The filing is one data point: {summary}. {} This is not investment advice.",
            fill(consider, &[("short", self.short.as_str())])
        )]
    }
}

/// "the chief executive" (there is one), "a director" (there are several).
fn with_article(role: &str) -> String {
    if is_c_suite(role) {
        format!("the {role}")
    } else if role.starts_with(['a', 'e', 'i', 'o', 'u', 'A', 'E', 'I', 'O', 'U']) {
        format!("an {role}")
    } else {
        format!("a {role}")
    }
}

/// AP style for names ending in s: "Biologics'", not "Biologics's".
fn possessives(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("s's") {
        let after = rest[i + 3..].chars().next();
        let whole = after.is_none_or(|c| !c.is_alphanumeric());
        out.push_str(&rest[..i + 2]);
        if !whole {
            out.push('s');
        }
        rest = &rest[i + 3..];
    }
    out.push_str(rest);
    out
}

fn finish(mut draft: Draft) -> Draft {
    draft.headline = possessives(&draft.headline);
    draft.dek = possessives(&draft.dek);
    for s in &mut draft.sections {
        for p in &mut s.paragraphs {
            *p = possessives(p);
        }
    }
    draft
}

pub(crate) fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| f.to_uppercase().chain(c).collect())
}

/// Writes the article for an insider signal (or a roundup of several) from its fact sheet in
/// `persona`'s section headings. `None` when the sheet is not an insider sheet.
pub fn write_insider(sheet: &FactSheet, persona: &Persona) -> Option<Draft> {
    let register = persona.voice.register;
    if !sheet.parts.is_empty() {
        return write_roundup(sheet, persona);
    }
    let story = Story::new(sheet)?;
    let body = |role: SectionRole| match role {
        SectionRole::WhatHappened => story.what_happened(register),
        SectionRole::Who => story.who(),
        SectionRole::Context => story.context(),
        SectionRole::Meaning => story.meaning(),
        SectionRole::Caveats => story.caveats(),
        _ => story.conclusion(),
    };
    Some(finish(Draft {
        headline: story.headline(),
        dek: story.dek(),
        sections: INSIDER_SECTIONS
            .iter()
            .map(|r| DraftSection { heading: persona.heading(*r).to_owned(), paragraphs: body(*r) })
            .collect(),
    }))
}

/// Several signals on one issuer and day: each section gathers what each signal says.
fn write_roundup(sheet: &FactSheet, persona: &Persona) -> Option<Draft> {
    let stories: Vec<Story<'_>> = sheet.parts.iter().filter_map(Story::new).collect();
    let first = stories.first()?;
    let mut sections = Vec::new();
    for role in INSIDER_SECTIONS {
        let mut paragraphs: Vec<String> = Vec::new();
        for s in &stories {
            let add = match role {
                SectionRole::WhatHappened => s.what_happened(persona.voice.register),
                SectionRole::Who => s.who(),
                SectionRole::Context => s.context(),
                SectionRole::Meaning => s.meaning(),
                SectionRole::Caveats => s.caveats(),
                _ => Vec::new(),
            };
            for p in add {
                if !paragraphs.contains(&p) {
                    paragraphs.push(p);
                }
            }
        }
        if role == SectionRole::Conclusion {
            paragraphs = first.conclusion();
        }
        sections.push(DraftSection { heading: persona.heading(role).to_owned(), paragraphs });
    }
    let headlines: Vec<String> = stories.iter().map(Story::headline).collect();
    Some(finish(Draft {
        headline: format!(
            "{} insider roundup: {} filings on {}",
            first.short,
            count_words(stories.len()),
            ap_date(sheet.as_of)
        ),
        dek: format!("{}.", headlines.join("; ")),
        sections,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{SignalContext, roster, testing, verify};

    fn tracker() -> Persona {
        roster()
            .expect("roster")
            .into_iter()
            .find(|p| p.slug == "insider-tracker")
            .expect("tracker")
    }

    fn sheet(signal: &marketdesk_desks::insider::Signal) -> FactSheet {
        FactSheet::from_signal(signal, &SignalContext::default())
    }

    #[test]
    fn a_cluster_names_every_insider_and_passes_verification() {
        let s = sheet(&testing::cluster());
        let d = write_insider(&s, &tracker()).expect("draft");
        assert_eq!(d.headline, "Three XYZ Widgets insiders buy $600,000 of stock");
        let who = d.sections[1].paragraphs.join(" ");
        for name in ["Jane Doe", "Richard Roe", "Edgar A. Poe"] {
            assert!(who.contains(name), "{who}");
        }
        let headings: Vec<&str> = d.sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            headings,
            [
                "What happened",
                "Who is trading",
                "Context",
                "What it may mean",
                "Caveats",
                "The bottom line"
            ]
        );
        assert_eq!(verify(&d, &s, &[], None), []);
    }

    #[test]
    fn a_roundup_covers_each_signal_on_the_day() {
        let s = FactSheet::roundup(vec![sheet(&testing::signal()), sheet(&testing::cluster())]);
        let d = write_insider(&s, &tracker()).expect("draft");
        assert!(d.headline.contains("insider roundup: two filings"), "{}", d.headline);
        let body = d.sections[0].paragraphs.join(" ");
        assert!(body.contains("Elon Musk") && body.contains("XYZ Widgets Corp."), "{body}");
        assert_eq!(verify(&d, &s, &[], None), []);
    }

    #[test]
    fn the_same_facts_give_the_same_words_and_other_trades_read_differently() {
        let a = write_insider(&sheet(&testing::signal()), &tracker()).expect("draft");
        assert_eq!(a, write_insider(&sheet(&testing::signal()), &tracker()).expect("draft"));
        let openings: std::collections::BTreeSet<String> = (0..12)
            .map(|i| {
                let mut s = testing::signal();
                s.accessions = vec![format!("0001494730-20-00000{i}")];
                let d = write_insider(&sheet(&s), &tracker()).expect("draft");
                d.sections[0].paragraphs[0].split(' ').take(2).collect::<Vec<_>>().join(" ")
            })
            .collect();
        assert!(openings.len() >= 2, "{openings:?}");
    }

    #[test]
    fn newsroom_details() {
        assert_eq!(
            possessives("AbCellera Biologics's board and Musk's stake"),
            "AbCellera Biologics' board and Musk's stake"
        );
        assert_eq!(ap_date("2020-02-14".parse().expect("date")), "Feb. 14, 2020");
        assert_eq!(ap_date("2011-06-08".parse().expect("date")), "June 8, 2011");
        assert_eq!(with_article("director"), "a director");
        assert_eq!(with_article(&role_phrase("CEO")), "the chief executive");
        assert_eq!(count_words(3), "three");
        assert_eq!(count_words(12), "12");
    }
}

//! The knowledge base: the sector file and the gazetteer, parsed and compiled into one matcher.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::str::FromStr;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};

use super::text::{self, Normalised};

const KNOWLEDGE: &str = include_str!("../../../../data/sectors/knowledge.toml");
const COUNTRIES: &str = include_str!("../../../../data/gazetteer/countries.toml");
const ORGANISATIONS: &str = include_str!("../../../../data/gazetteer/organisations.toml");
const PEOPLE: &str = include_str!("../../../../data/gazetteer/people.toml");

/// The 13 sectors of the shared labelling rules, with their names as written there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Sector {
    /// Weapons makers and aerospace.
    #[serde(rename = "Defense/Aerospace")]
    DefenseAerospace,
    /// Security software and services.
    #[serde(rename = "Cybersecurity")]
    Cybersecurity,
    /// Oil, gas, refiners, oil services, LNG.
    #[serde(rename = "Energy")]
    Energy,
    /// Crop and livestock producers, grain traders, fertiliser, seed, crop protection, farm
    /// equipment.
    #[serde(rename = "Agriculture")]
    Agriculture,
    /// Manufacturing, airlines, shipping and transport (as in GICS).
    #[serde(rename = "Industrials/Manufacturing")]
    IndustrialsManufacturing,
    /// Including semiconductors and network equipment.
    #[serde(rename = "Technology")]
    Technology,
    /// Banks, insurers, asset managers, brokers.
    #[serde(rename = "Financials")]
    Financials,
    /// Drugmakers, devices, providers, insurers of health.
    #[serde(rename = "Healthcare")]
    Healthcare,
    /// Retail, restaurants, staples, household autos, household spending power.
    #[serde(rename = "Consumer")]
    Consumer,
    /// Metals and mining, steel, chemicals, industrial gases.
    #[serde(rename = "Materials")]
    Materials,
    /// Power and water utilities.
    #[serde(rename = "Utilities")]
    Utilities,
    /// REITs, property, homebuilders.
    #[serde(rename = "Real Estate")]
    RealEstate,
    /// Telecom operators, media, internet platforms.
    #[serde(rename = "Communication")]
    Communication,
}

impl Sector {
    /// Every sector, in the shared README's order.
    pub const ALL: [Sector; 13] = [
        Sector::DefenseAerospace,
        Sector::Cybersecurity,
        Sector::Energy,
        Sector::Agriculture,
        Sector::IndustrialsManufacturing,
        Sector::Technology,
        Sector::Financials,
        Sector::Healthcare,
        Sector::Consumer,
        Sector::Materials,
        Sector::Utilities,
        Sector::RealEstate,
        Sector::Communication,
    ];

    /// The name as the labelling rules write it ("Defense/Aerospace").
    pub fn name(self) -> &'static str {
        match self {
            Sector::DefenseAerospace => "Defense/Aerospace",
            Sector::Cybersecurity => "Cybersecurity",
            Sector::Energy => "Energy",
            Sector::Agriculture => "Agriculture",
            Sector::IndustrialsManufacturing => "Industrials/Manufacturing",
            Sector::Technology => "Technology",
            Sector::Financials => "Financials",
            Sector::Healthcare => "Healthcare",
            Sector::Consumer => "Consumer",
            Sector::Materials => "Materials",
            Sector::Utilities => "Utilities",
            Sector::RealEstate => "Real Estate",
            Sector::Communication => "Communication",
        }
    }

    pub(crate) fn index(self) -> usize {
        self as usize
    }
}

impl fmt::Display for Sector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Sector {
    type Err = KbError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Sector::ALL
            .into_iter()
            .find(|sector| sector.name() == s)
            .ok_or_else(|| KbError::UnknownSector(s.to_owned()))
    }
}

/// Which way a sector's US-listed equities are expected to move.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Direction {
    /// Up: `"+"`.
    #[serde(rename = "+")]
    Up,
    /// Down: `"-"`.
    #[serde(rename = "-")]
    Down,
    /// Clear winners and losers in the same sector: `"mixed"`.
    #[serde(rename = "mixed")]
    Mixed,
}

impl Direction {
    /// `"+"`, `"-"` or `"mixed"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Up => "+",
            Direction::Down => "-",
            Direction::Mixed => "mixed",
        }
    }

    /// Turned round (mixed stays mixed).
    pub fn reversed(self) -> Self {
        match self {
            Direction::Up => Direction::Down,
            Direction::Down => Direction::Up,
            Direction::Mixed => Direction::Mixed,
        }
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Direction {
    type Err = KbError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim() {
            "+" => Ok(Direction::Up),
            "-" => Ok(Direction::Down),
            "mixed" => Ok(Direction::Mixed),
            other => Err(KbError::UnknownDirection(other.to_owned())),
        }
    }
}

/// What a story is about, decided by the effect that weighs most (or, with no effect, by topic
/// words).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    /// Wars, attacks, defence budgets, peace talks, diplomacy.
    Geopolitics,
    /// Central banks and the rate path.
    MonetaryPolicy,
    /// Tariffs, sanctions, export controls, trade deals.
    TradeAndSanctions,
    /// Oil, gas, fuel, power.
    Energy,
    /// Metals, farm goods, fertiliser.
    Commodities,
    /// Company results and company news.
    Earnings,
    /// Rules, regulators, approvals, courts.
    Regulation,
    /// Hacks, breaches, security rules.
    Cyber,
    /// None of the above.
    Other,
}

/// A US-listed company.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Company {
    /// The company's usual name.
    pub name: String,
    /// Its main ticker.
    pub ticker: String,
}

/// Why a knowledge base (or a gazetteer file) could not be loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KbError {
    /// Not valid TOML, or not the layout described in `data/sectors/knowledge.toml`.
    #[error("{file} is not a valid knowledge file: {source}")]
    Toml {
        /// "knowledge" or "gazetteer".
        file: &'static str,
        /// The parser's complaint.
        #[source]
        source: toml::de::Error,
    },
    /// A sector name that is not one of the 13.
    #[error("unknown sector {0:?}")]
    UnknownSector(String),
    /// A direction that is not "+", "-" or "mixed".
    #[error("unknown direction {0:?}")]
    UnknownDirection(String),
    /// A rule refers to a word list, commodity, country or condition that does not exist.
    #[error("{place}: unknown {what} {name:?}")]
    Unknown {
        /// Where the reference is.
        place: String,
        /// What kind of thing was referred to.
        what: &'static str,
        /// The name used.
        name: String,
    },
    /// A built-in word list is missing from `[words]`.
    #[error("[words] lacks the list {0:?}")]
    MissingList(&'static str),
    /// A term that normalises to nothing.
    #[error("{0}: a term has no words")]
    EmptyTerm(String),
    /// The automaton could not be built.
    #[error("cannot build the term matcher: {0}")]
    Matcher(#[source] aho_corasick::BuildError),
}

// ---------------------------------------------------------------------------------------------
// The files as written
// ---------------------------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKnowledge {
    sector: Vec<RawSector>,
    words: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    rule: Vec<RawRule>,
    #[serde(default)]
    commodity: Vec<RawCommodity>,
    tariffs: RawTariffs,
    performance: RawPerformance,
    #[serde(default)]
    topics: BTreeMap<String, Vec<String>>,
    #[serde(default)]
    blockers: RawBlockers,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSector {
    name: String,
    companies: Vec<Company>,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    exact: Vec<String>,
    #[serde(default)]
    nouns: Vec<String>,
}

#[derive(Deserialize, Clone)]
#[serde(deny_unknown_fields)]
struct RawEffect {
    sector: String,
    direction: String,
    why: String,
}

fn default_weight() -> f32 {
    2.0
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRule {
    id: String,
    topic: Topic,
    #[serde(default = "default_weight")]
    weight: f32,
    terms: Vec<String>,
    effects: Vec<RawEffect>,
    #[serde(default)]
    reversed_by: Option<String>,
    #[serde(default)]
    reversed: Vec<RawEffect>,
    #[serde(default)]
    needs: Vec<String>,
    #[serde(default)]
    needs_any: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
    #[serde(default)]
    victims: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawWhys {
    producer: String,
    payer: String,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub(crate) enum PayerWhen {
    Always,
    Consumer,
    Never,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommodity {
    id: String,
    topic: Topic,
    terms: Vec<String>,
    producer: String,
    payer: String,
    payer_when: PayerWhen,
    #[serde(default)]
    needs_price: bool,
    up: RawWhys,
    down: RawWhys,
    #[serde(default)]
    mixed: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGoods {
    terms: Vec<String>,
    producer: String,
    #[serde(default)]
    user: Option<String>,
    protected: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTariffs {
    topic: Topic,
    #[serde(default = "default_weight")]
    weight: f32,
    terms: Vec<String>,
    impose: Vec<String>,
    relief: Vec<String>,
    against_us: Vec<String>,
    hedge: Vec<String>,
    impose_abroad: Vec<RawEffect>,
    impose_home: Vec<RawEffect>,
    relief_home: Vec<RawEffect>,
    relief_abroad: Vec<RawEffect>,
    why_protect: String,
    why_unprotect: String,
    why_user_cost: String,
    why_user_relief: String,
    why_hit: String,
    why_unhit: String,
    why_import_cost: String,
    why_import_relief: String,
    goods: Vec<RawGoods>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPerformance {
    topic: Topic,
    #[serde(default = "default_weight")]
    weight: f32,
    up: Vec<String>,
    down: Vec<String>,
    gate: Vec<String>,
    why_up: String,
    why_down: String,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawBlockers {
    phrases: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawGazetteer {
    #[serde(default)]
    country: Vec<RawEntity>,
    #[serde(default)]
    organisation: Vec<RawEntity>,
    #[serde(default)]
    person: Vec<RawEntity>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntity {
    name: String,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    exact: Vec<String>,
    #[serde(default)]
    adversary: bool,
    #[serde(default)]
    produces: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// The compiled form
// ---------------------------------------------------------------------------------------------

/// One stated effect: sector, direction, the reason a reader sees.
#[derive(Debug, Clone)]
pub(crate) struct Effect {
    pub(crate) sector: Sector,
    pub(crate) direction: Direction,
    pub(crate) why: String,
}

/// A condition of a rule.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Cond {
    /// A word of this list in the trigger's segment.
    List(u16),
    /// An adversary is the actor of the trigger.
    AdversaryActor,
    /// An adversary owns the trigger ("Russia's defence budget").
    AdversaryOwner,
    /// This entity is named anywhere.
    Entity(u16),
}

#[derive(Debug, Clone)]
pub(crate) struct Rule {
    pub(crate) topic: Topic,
    pub(crate) weight: f32,
    pub(crate) effects: Vec<Effect>,
    pub(crate) reversed_by: Option<u16>,
    pub(crate) reversed: Vec<Effect>,
    pub(crate) needs: Vec<Cond>,
    pub(crate) needs_any: Vec<Cond>,
    pub(crate) unless: Vec<Cond>,
    pub(crate) victims: Option<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct Commodity {
    pub(crate) topic: Topic,
    pub(crate) producer: Sector,
    pub(crate) payer: Sector,
    pub(crate) payer_when: PayerWhen,
    pub(crate) needs_price: bool,
    /// (producer, payer) reasons when the price rises.
    pub(crate) up: (String, String),
    /// (producer, payer) reasons when the price falls.
    pub(crate) down: (String, String),
    pub(crate) mixed: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Goods {
    pub(crate) producer: Sector,
    pub(crate) user: Option<Sector>,
    /// Made at home and shielded by tariffs (steel); otherwise mostly imported by US companies.
    pub(crate) protected: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Tariffs {
    pub(crate) topic: Topic,
    pub(crate) weight: f32,
    pub(crate) impose_abroad: Vec<Effect>,
    pub(crate) impose_home: Vec<Effect>,
    pub(crate) relief_home: Vec<Effect>,
    pub(crate) relief_abroad: Vec<Effect>,
    pub(crate) why_protect: String,
    pub(crate) why_unprotect: String,
    pub(crate) why_user_cost: String,
    pub(crate) why_user_relief: String,
    pub(crate) why_hit: String,
    pub(crate) why_unhit: String,
    pub(crate) why_import_cost: String,
    pub(crate) why_import_relief: String,
    pub(crate) goods: Vec<Goods>,
}

#[derive(Debug, Clone)]
pub(crate) struct Performance {
    pub(crate) topic: Topic,
    pub(crate) weight: f32,
    pub(crate) why_up: String,
    pub(crate) why_down: String,
}

/// What kind of name an entity is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EntityKind {
    Country,
    Organisation,
    Person,
}

#[derive(Debug, Clone)]
pub(crate) struct Entity {
    pub(crate) kind: EntityKind,
    pub(crate) name: String,
    pub(crate) adversary: bool,
    pub(crate) produces: Option<u16>,
}

/// What a matched term means. One term can mean several things.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cue {
    /// A word of a named list.
    List(u16),
    /// The trigger of a rule.
    Rule(u16),
    /// A commodity.
    Commodity(u16),
    /// A tariff word.
    Tariff,
    /// Goods named in a tariff story.
    Goods(u16),
    /// A company (`company`) or a sector noun of a sector.
    Name { sector: Sector, company: bool },
    /// A country, organisation or person.
    Entity(u16),
    /// A word deciding the topic when nothing else does.
    Topic(Topic),
    /// A phrase that stops shorter terms inside it.
    Blocker,
}

/// Ids of the word lists the engine itself uses.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Builtins {
    pub(crate) rise: u16,
    pub(crate) fall: u16,
    pub(crate) supply: u16,
    pub(crate) price: u16,
    pub(crate) worry: u16,
    pub(crate) shock: u16,
    pub(crate) incident: u16,
    pub(crate) relief: u16,
    pub(crate) support: u16,
    pub(crate) pressure: u16,
    pub(crate) pressure_relief: u16,
    pub(crate) no_effect: u16,
    pub(crate) casualty: u16,
    pub(crate) aftermath: u16,
    pub(crate) level: u16,
    pub(crate) consumer: u16,
    pub(crate) negation: u16,
    pub(crate) tariff_impose: u16,
    pub(crate) tariff_relief: u16,
    pub(crate) tariff_against_us: u16,
    pub(crate) tariff_hedge: u16,
    pub(crate) perf_up: u16,
    pub(crate) perf_down: u16,
    pub(crate) perf_gate: u16,
}

#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) cue: Cue,
    /// For case-sensitive terms: the matched text must start with this.
    pub(crate) exact: Option<Box<str>>,
}

/// The compiled knowledge base: sectors, rules, commodities, tariffs, the gazetteer and one
/// Aho-Corasick automaton over every term. Build it once ([`KnowledgeBase::shipped`], or
/// [`KnowledgeBase::from_toml`] for another file) and share it: analysing takes `&self`.
#[derive(Debug, Clone)]
pub struct KnowledgeBase {
    pub(crate) companies: Vec<Vec<Company>>,
    pub(crate) builtin: Builtins,
    pub(crate) rules: Vec<Rule>,
    pub(crate) commodities: Vec<Commodity>,
    pub(crate) tariffs: Tariffs,
    pub(crate) performance: Performance,
    pub(crate) entities: Vec<Entity>,
    pub(crate) ticker_sector: HashMap<String, Sector>,
    matcher: AhoCorasick,
    entries: Vec<Vec<Entry>>,
}

/// A term found in a text.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Hit {
    /// First token.
    pub(crate) tok: u32,
    /// Last token (inclusive).
    pub(crate) end: u32,
    pub(crate) segment: u16,
    pub(crate) clause: u16,
    pub(crate) cue: Cue,
}

/// Whether a longer term of kind `outer` stops a shorter `inner` inside it: a commodity phrase
/// holds no other commodity ("jet fuel" is not motor fuel, "palm oil" not crude), a phrase of a
/// word list no second word of the same list ("lower demand" is one fall, not two).
fn same_kind(outer: Cue, inner: Cue) -> bool {
    match (outer, inner) {
        (Cue::Commodity(_), Cue::Commodity(_))
        | (Cue::Goods(_), Cue::Goods(_))
        | (Cue::Topic(_), Cue::Topic(_)) => true,
        (Cue::List(a), Cue::List(b)) | (Cue::Rule(a), Cue::Rule(b)) => a == b,
        (a, b) => a == b,
    }
}

/// The endings a `*` inside a phrase stands for.
const INNER_ENDINGS: &[&str] =
    &["", "s", "e", "es", "ed", "d", "ing", "ion", "ions", "y", "ies", "ied"];

/// Collects patterns and their meanings. Every pattern is `" w1  w2 "` (the layout of
/// [`Normalised::lower`]), without the final space when its last word ends in `*`.
#[derive(Default)]
struct Patterns {
    index: HashMap<String, usize>,
    strings: Vec<String>,
    entries: Vec<Vec<Entry>>,
}

impl Patterns {
    /// Adds `term` (with `*` wildcards) meaning `cue`.
    fn add(&mut self, term: &str, cue: Cue, exact: bool, place: &str) -> Result<(), KbError> {
        let words: Vec<&str> = term.split_whitespace().collect();
        let Some((last, inner)) = words.split_last() else {
            return Err(KbError::EmptyTerm(place.to_owned()));
        };
        let prefix = last.ends_with('*');
        // Expand inner wildcards.
        let mut variants: Vec<String> = vec![String::new()];
        for word in inner {
            let stem = word.trim_end_matches('*');
            let endings: &[&str] = if word.ends_with('*') { INNER_ENDINGS } else { &[""] };
            let mut next = Vec::with_capacity(variants.len() * endings.len());
            for v in &variants {
                for ending in endings {
                    next.push(format!("{v}{stem}{ending} "));
                }
            }
            variants = next;
        }
        let last = last.trim_end_matches('*');
        for v in variants {
            let phrase = format!("{v}{last}");
            let norm = text::normalise_clean(&phrase);
            if norm.tokens.is_empty() {
                return Err(KbError::EmptyTerm(place.to_owned()));
            }
            let mut pattern = norm.lower.trim_end().to_owned();
            if !prefix {
                pattern.push(' ');
            }
            let exact = exact.then(|| norm.cased.trim().to_owned().into_boxed_str());
            let id = match self.index.get(&pattern) {
                Some(&id) => id,
                None => {
                    let id = self.strings.len();
                    self.index.insert(pattern.clone(), id);
                    self.strings.push(pattern);
                    self.entries.push(Vec::new());
                    id
                }
            };
            if let Some(list) = self.entries.get_mut(id) {
                let entry = Entry { cue, exact };
                if !list.iter().any(|e| e.cue == entry.cue && e.exact == entry.exact) {
                    list.push(entry);
                }
            }
        }
        Ok(())
    }
}

fn sector(name: &str) -> Result<Sector, KbError> {
    name.parse()
}

fn effects(raw: &[RawEffect]) -> Result<Vec<Effect>, KbError> {
    raw.iter()
        .map(|e| {
            Ok(Effect {
                sector: sector(&e.sector)?,
                direction: e.direction.parse()?,
                why: e.why.clone(),
            })
        })
        .collect()
}

impl KnowledgeBase {
    /// The shipped knowledge base (`data/sectors/knowledge.toml` and `data/gazetteer/*.toml`,
    /// compiled in), built on first use.
    pub fn shipped() -> &'static KnowledgeBase {
        static SHIPPED: OnceLock<KnowledgeBase> = OnceLock::new();
        SHIPPED.get_or_init(|| {
            // Invariant: the shipped files are valid; `shipped_files_load` tests it.
            KnowledgeBase::from_toml(KNOWLEDGE, &[COUNTRIES, ORGANISATIONS, PEOPLE])
                .expect("the shipped knowledge base is valid")
        })
    }

    /// Builds a knowledge base from a sector file (the layout of
    /// `data/sectors/knowledge.toml`) and gazetteer files (any mix of `[[country]]`,
    /// `[[organisation]]` and `[[person]]` tables).
    pub fn from_toml(knowledge: &str, gazetteer: &[&str]) -> Result<Self, KbError> {
        let raw: RawKnowledge = toml::from_str(knowledge)
            .map_err(|source| KbError::Toml { file: "knowledge", source })?;
        let mut gaz = RawGazetteer::default();
        for file in gazetteer {
            let part: RawGazetteer = toml::from_str(file)
                .map_err(|source| KbError::Toml { file: "gazetteer", source })?;
            gaz.country.extend(part.country);
            gaz.organisation.extend(part.organisation);
            gaz.person.extend(part.person);
        }
        Self::compile(raw, gaz)
    }

    fn compile(raw: RawKnowledge, gaz: RawGazetteer) -> Result<Self, KbError> {
        let mut pats = Patterns::default();

        // Word lists: the file's, then the tariff and performance lists under reserved names.
        let mut lists: Vec<String> = Vec::new();
        let mut list_terms: Vec<Vec<String>> = Vec::new();
        for (name, terms) in &raw.words {
            lists.push(name.clone());
            list_terms.push(terms.clone());
        }
        for (name, terms) in [
            ("tariffs.impose", &raw.tariffs.impose),
            ("tariffs.relief", &raw.tariffs.relief),
            ("tariffs.against_us", &raw.tariffs.against_us),
            ("tariffs.hedge", &raw.tariffs.hedge),
            ("performance.up", &raw.performance.up),
            ("performance.down", &raw.performance.down),
            ("performance.gate", &raw.performance.gate),
        ] {
            lists.push(name.to_owned());
            list_terms.push(terms.clone());
        }
        let list_id = |name: &str| lists.iter().position(|l| l == name).map(|i| i as u16);
        let builtin_id = |name: &'static str| list_id(name).ok_or(KbError::MissingList(name));
        let builtin = Builtins {
            rise: builtin_id("rise")?,
            fall: builtin_id("fall")?,
            supply: builtin_id("supply")?,
            price: builtin_id("price")?,
            worry: builtin_id("worry")?,
            shock: builtin_id("shock")?,
            incident: builtin_id("incident")?,
            relief: builtin_id("relief")?,
            support: builtin_id("support")?,
            pressure: builtin_id("pressure")?,
            pressure_relief: builtin_id("pressure-relief")?,
            no_effect: builtin_id("no-effect")?,
            casualty: builtin_id("casualty")?,
            aftermath: builtin_id("aftermath")?,
            level: builtin_id("level")?,
            consumer: builtin_id("consumer")?,
            negation: builtin_id("negation")?,
            tariff_impose: builtin_id("tariffs.impose")?,
            tariff_relief: builtin_id("tariffs.relief")?,
            tariff_against_us: builtin_id("tariffs.against_us")?,
            tariff_hedge: builtin_id("tariffs.hedge")?,
            perf_up: builtin_id("performance.up")?,
            perf_down: builtin_id("performance.down")?,
            perf_gate: builtin_id("performance.gate")?,
        };
        for (id, terms) in list_terms.iter().enumerate() {
            let place = format!("[words] {}", lists[id]);
            for term in terms {
                pats.add(term, Cue::List(id as u16), false, &place)?;
            }
        }

        // Sectors.
        let mut companies = vec![Vec::new(); Sector::ALL.len()];
        let mut ticker_sector = HashMap::new();
        for s in &raw.sector {
            let sec = sector(&s.name)?;
            let place = format!("sector {}", s.name);
            for c in &s.companies {
                ticker_sector.insert(c.ticker.to_ascii_uppercase(), sec);
            }
            companies[sec.index()] = s.companies.clone();
            for name in &s.names {
                pats.add(name, Cue::Name { sector: sec, company: true }, false, &place)?;
            }
            for name in &s.exact {
                pats.add(name, Cue::Name { sector: sec, company: true }, true, &place)?;
            }
            for noun in &s.nouns {
                pats.add(noun, Cue::Name { sector: sec, company: false }, false, &place)?;
            }
        }

        // Gazetteer.
        let commodity_id =
            |name: &str| raw.commodity.iter().position(|c| c.id == name).map(|i| i as u16);
        let mut entities = Vec::new();
        for (kind, list) in [
            (EntityKind::Country, &gaz.country),
            (EntityKind::Organisation, &gaz.organisation),
            (EntityKind::Person, &gaz.person),
        ] {
            for e in list {
                let id = entities.len() as u16;
                let place = format!("gazetteer {}", e.name);
                let produces = match &e.produces {
                    Some(p) => Some(commodity_id(p).ok_or_else(|| KbError::Unknown {
                        place: place.clone(),
                        what: "commodity",
                        name: p.clone(),
                    })?),
                    None => None,
                };
                entities.push(Entity {
                    kind,
                    name: e.name.clone(),
                    adversary: e.adversary,
                    produces,
                });
                for n in &e.names {
                    pats.add(n, Cue::Entity(id), false, &place)?;
                }
                for n in &e.exact {
                    pats.add(n, Cue::Entity(id), true, &place)?;
                }
            }
        }
        let entity_id = |name: &str| entities.iter().position(|e| e.name == name).map(|i| i as u16);

        // Rules.
        let mut rules = Vec::new();
        for (id, r) in raw.rule.iter().enumerate() {
            let place = format!("rule {}", r.id);
            let cond = |name: &str| -> Result<Cond, KbError> {
                let unknown =
                    |what| KbError::Unknown { place: place.clone(), what, name: name.to_owned() };
                match name {
                    "@adversary-actor" => Ok(Cond::AdversaryActor),
                    "@adversary-owner" => Ok(Cond::AdversaryOwner),
                    _ => {
                        if let Some(country) = name.strip_prefix("country:") {
                            entity_id(country).map(Cond::Entity).ok_or_else(|| unknown("country"))
                        } else {
                            list_id(name).map(Cond::List).ok_or_else(|| unknown("word list"))
                        }
                    }
                }
            };
            let conds =
                |names: &[String]| names.iter().map(|n| cond(n)).collect::<Result<Vec<_>, _>>();
            let reversed_by = match &r.reversed_by {
                Some(name) => Some(list_id(name).ok_or_else(|| KbError::Unknown {
                    place: place.clone(),
                    what: "word list",
                    name: name.clone(),
                })?),
                None => None,
            };
            rules.push(Rule {
                topic: r.topic,
                weight: r.weight,
                effects: effects(&r.effects)?,
                reversed_by,
                reversed: effects(&r.reversed)?,
                needs: conds(&r.needs)?,
                needs_any: conds(&r.needs_any)?,
                unless: conds(&r.unless)?,
                victims: r.victims.clone(),
            });
            for term in &r.terms {
                pats.add(term, Cue::Rule(id as u16), false, &place)?;
            }
        }

        // Commodities.
        let mut commodities = Vec::new();
        for (id, c) in raw.commodity.iter().enumerate() {
            let place = format!("commodity {}", c.id);
            commodities.push(Commodity {
                topic: c.topic,
                producer: sector(&c.producer)?,
                payer: sector(&c.payer)?,
                payer_when: c.payer_when,
                needs_price: c.needs_price,
                up: (c.up.producer.clone(), c.up.payer.clone()),
                down: (c.down.producer.clone(), c.down.payer.clone()),
                mixed: c.mixed.clone().unwrap_or_default(),
            });
            for term in &c.terms {
                pats.add(term, Cue::Commodity(id as u16), false, &place)?;
            }
        }

        // Tariffs.
        let t = &raw.tariffs;
        for term in &t.terms {
            pats.add(term, Cue::Tariff, false, "[tariffs]")?;
        }
        let mut goods = Vec::new();
        for (id, g) in t.goods.iter().enumerate() {
            goods.push(Goods {
                producer: sector(&g.producer)?,
                user: g.user.as_deref().map(sector).transpose()?,
                protected: g.protected,
            });
            for term in &g.terms {
                pats.add(term, Cue::Goods(id as u16), false, "[[tariffs.goods]]")?;
            }
        }
        let tariffs = Tariffs {
            topic: t.topic,
            weight: t.weight,
            impose_abroad: effects(&t.impose_abroad)?,
            impose_home: effects(&t.impose_home)?,
            relief_home: effects(&t.relief_home)?,
            relief_abroad: effects(&t.relief_abroad)?,
            why_protect: t.why_protect.clone(),
            why_unprotect: t.why_unprotect.clone(),
            why_user_cost: t.why_user_cost.clone(),
            why_user_relief: t.why_user_relief.clone(),
            why_hit: t.why_hit.clone(),
            why_unhit: t.why_unhit.clone(),
            why_import_cost: t.why_import_cost.clone(),
            why_import_relief: t.why_import_relief.clone(),
            goods,
        };
        let p = &raw.performance;
        let performance = Performance {
            topic: p.topic,
            weight: p.weight,
            why_up: p.why_up.clone(),
            why_down: p.why_down.clone(),
        };

        // Topic words and blockers.
        for (name, terms) in &raw.topics {
            let topic: Topic =
                serde_json::from_value(serde_json::Value::String(name.clone())).map_err(|_| {
                    KbError::Unknown { place: "[topics]".into(), what: "topic", name: name.clone() }
                })?;
            for term in terms {
                pats.add(term, Cue::Topic(topic), false, "[topics]")?;
            }
        }
        for phrase in &raw.blockers.phrases {
            pats.add(phrase, Cue::Blocker, false, "[blockers]")?;
        }

        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&pats.strings)
            .map_err(KbError::Matcher)?;
        Ok(KnowledgeBase {
            companies,
            builtin,
            rules,
            commodities,
            tariffs,
            performance,
            entities,
            ticker_sector,
            matcher,
            entries: pats.entries,
        })
    }

    /// The representative companies of a sector.
    pub fn companies(&self, sector: Sector) -> &[Company] {
        self.companies.get(sector.index()).map_or(&[], Vec::as_slice)
    }

    /// The sector a ticker represents in this knowledge base, if any.
    pub fn sector_of_ticker(&self, ticker: &str) -> Option<Sector> {
        self.ticker_sector.get(&ticker.to_ascii_uppercase()).copied()
    }

    /// Number of term patterns in the matcher (for the benchmark).
    pub fn patterns(&self) -> usize {
        self.entries.len()
    }

    /// Every term of the text, in order of position. All matches are kept, overlapping ones
    /// too ("drone attack" is a rule trigger and holds two incident words), except terms inside
    /// a longer blocker, company or sector name, or gazetteer name: "central bank" holds no
    /// "bank", "American Airlines" no country, "fertiliser firms" no commodity.
    pub(crate) fn scan(&self, norm: &Normalised, hits: &mut Vec<Hit>) {
        hits.clear();
        // Matches as (hit, swallows shorter terms inside it).
        let mut found: Vec<(Hit, bool)> = Vec::new();
        for m in self.matcher.find_overlapping_iter(&norm.lower) {
            let Some(entries) = self.entries.get(m.pattern().as_usize()) else { continue };
            let first = norm.token_at(m.start() + 1);
            let last = norm.token_at(m.end().saturating_sub(2)).max(first);
            let Some(tok) = norm.tokens.get(first) else { continue };
            let cased = norm.cased.get(m.start() + 1..m.end()).unwrap_or("");
            let swallows = entries.iter().any(|e| {
                e.exact.is_none()
                    && matches!(e.cue, Cue::Blocker | Cue::Name { .. } | Cue::Entity(_))
            });
            for e in entries {
                if let Some(exact) = &e.exact
                    && !cased.starts_with(exact.as_ref())
                {
                    continue;
                }
                let hit = Hit {
                    tok: first as u32,
                    end: last as u32,
                    segment: tok.segment,
                    clause: tok.clause,
                    cue: e.cue,
                };
                found
                    .push((hit, swallows || (e.exact.is_some() && !matches!(e.cue, Cue::List(_)))));
            }
        }
        for (i, (h, _)) in found.iter().enumerate() {
            let inside = found.iter().enumerate().any(|(j, (c, swallows))| {
                j != i
                    && (*swallows || same_kind(c.cue, h.cue))
                    && c.tok <= h.tok
                    && c.end >= h.end
                    && c.end - c.tok > h.end - h.tok
            });
            // The same meaning twice at one start ("fuel price*" and "fuel prices"): the longer.
            let repeated = found.iter().enumerate().any(|(j, (c, _))| {
                j != i
                    && c.tok == h.tok
                    && c.cue == h.cue
                    && (c.end > h.end || (c.end == h.end && j < i))
            });
            if !inside && !repeated && h.cue != Cue::Blocker {
                hits.push(*h);
            }
        }
        hits.sort_by_key(|h| (h.tok, h.end));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_files_load() {
        let kb = KnowledgeBase::from_toml(KNOWLEDGE, &[COUNTRIES, ORGANISATIONS, PEOPLE]);
        let kb = kb.expect("shipped knowledge base");
        assert_eq!(kb.companies.iter().filter(|c| !c.is_empty()).count(), 13);
        assert!(kb.companies(Sector::DefenseAerospace).iter().any(|c| c.ticker == "LMT"));
        assert_eq!(kb.sector_of_ticker("xom"), Some(Sector::Energy));
        assert!(kb.patterns() > 1000);
    }

    #[test]
    fn sector_names_round_trip() {
        for s in Sector::ALL {
            assert_eq!(s.name().parse::<Sector>().ok(), Some(s));
            assert_eq!(serde_json::to_string(&s).ok(), Some(format!("\"{}\"", s.name())));
        }
        assert!("Energy ".parse::<Sector>().is_err());
        assert_eq!("mixed".parse::<Direction>().ok(), Some(Direction::Mixed));
        assert_eq!(
            serde_json::to_string(&Topic::MonetaryPolicy).ok().as_deref(),
            Some("\"monetary_policy\"")
        );
    }

    #[test]
    fn bad_files_say_what_is_wrong() {
        let err =
            KnowledgeBase::from_toml("sector = 3", &[]).map(|_| ()).map_err(|e| e.to_string());
        assert!(err.is_err_and(|e| e.contains("knowledge")));
        let bad_ref = KNOWLEDGE.replacen("reversed_by = \"cut\"", "reversed_by = \"nonesuch\"", 1);
        let err = KnowledgeBase::from_toml(&bad_ref, &[]).map(|_| ()).map_err(|e| e.to_string());
        assert_eq!(err, Err("rule defence-spending: unknown word list \"nonesuch\"".to_owned()));
    }

    #[test]
    fn terms_match_whole_words_longest_first() {
        let kb = KnowledgeBase::shipped();
        let norm = text::normalise(
            "Sanctions relief lifts oil; central bank eyes U.S. fuel prices, turmoil",
        );
        let mut hits = Vec::new();
        kb.scan(&norm, &mut hits);
        let b = kb.builtin;
        let lists: Vec<u16> = hits
            .iter()
            .filter_map(|h| match h.cue {
                Cue::List(id) => Some(id),
                _ => None,
            })
            .collect();
        assert!(lists.contains(&b.pressure_relief));
        assert!(lists.contains(&b.price), "fuel prices inherits the price noun: {hits:?}");
        assert!(lists.contains(&b.consumer));
        // "central bank" is not the Financials noun "bank"; "turmoil" is not "oil".
        let oil = hits.iter().filter(|h| matches!(h.cue, Cue::Commodity(_))).count();
        assert_eq!(oil, 2, "oil and fuel prices: {hits:?}");
        assert!(!hits.iter().any(|h| matches!(h.cue, Cue::Name { .. })));
        let us = hits.iter().any(|h| {
            matches!(h.cue, Cue::Entity(id) if kb.entities[id as usize].name == "United States")
        });
        assert!(us);
        // "us" in lower case is a pronoun.
        let norm = text::normalise("tell us more");
        kb.scan(&norm, &mut hits);
        assert!(hits.iter().all(|h| !matches!(h.cue, Cue::Entity(_))));
    }
}

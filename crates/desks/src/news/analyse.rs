//! From a headline to its topic, sectors, countries, organisations and people.

use serde::Serialize;

use super::kb::{
    Commodity, Company, Cond, Cue, Direction, Effect, EntityKind, Hit, KnowledgeBase, PayerWhen,
    Sector, Topic,
};
use super::text::{self, Normalised};

/// One sector a story moves.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SectorImpact {
    /// The sector.
    pub sector: Sector,
    /// Which way its US-listed equities are expected to move.
    pub direction: Direction,
    /// The one-line reason, from the knowledge base.
    pub why: String,
    /// Representative US-listed companies of the sector.
    pub companies: Vec<Company>,
    /// How much the text says it (the sum of the weights of the cues for this direction). Only
    /// the order matters; the scale is the knowledge base's.
    pub score: f32,
}

/// What the news desk reads in a headline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EventAnalysis {
    /// What the story is about.
    pub topic: Topic,
    /// First-order sector effects, at most three, strongest first. Empty when the text states
    /// none (casualty reports, prisoner swaps, diplomacy, "no damage" events, reassurance).
    pub sectors: Vec<SectorImpact>,
    /// Countries named (also through demonyms and capitals: "Kyiv" is Ukraine), in order.
    pub countries: Vec<String>,
    /// Organisations named (NATO, the Fed, OPEC, ...), in order.
    pub organisations: Vec<String>,
    /// Heads of state or government and central bankers named, in order.
    pub people: Vec<String>,
    /// The companies the caller found in the text (the linker's mentions), passed through.
    pub companies: Vec<Company>,
}

/// Only the first words of a text are read: a headline and its first sentences say what the
/// story is, and the reading is quadratic in the terms found.
const MAX_WORDS: usize = 200;
/// At most this many sectors are reported.
pub(crate) const MAX_SECTORS: usize = 3;
/// A sector needs at least this score to be reported.
const MIN_SCORE: f32 = 1.0;
/// ... and at least this share of the strongest sector's score.
const MIN_SHARE: f32 = 0.3;
/// Cues after the headline (in a description) weigh less.
const LATER_SEGMENT: f32 = 0.75;
/// A movement word's object or qualified noun is at most this far after it.
const OBJECT_WINDOW: u32 = 2;
/// Words that end a movement word's object: what follows them is another statement.
const CONNECTIVES: &[&str] = &[
    "as", "while", "after", "amid", "on", "despite", "and", "but", "with", "before", "since",
    "over",
];
/// Reporting verbs: an entity right before one is a speaker, not an actor.
const SPEAKER_VERBS: &[&str] = &[
    "says", "said", "say", "warns", "warned", "reports", "reported", "accuses", "tells", "claims",
];

/// One piece of evidence for a sector.
#[derive(Debug, Clone, Copy)]
struct Contribution<'k> {
    sector: Sector,
    direction: Direction,
    weight: f32,
    why: &'k str,
    topic: Topic,
    /// Order of first appearance, to break ties.
    order: u32,
}

/// What a movement word is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Subject {
    Commodity(u16),
    Sector(Sector),
}

struct Ctx<'a> {
    kb: &'a KnowledgeBase,
    norm: &'a Normalised,
    hits: &'a [Hit],
}

fn factor(segment: u16) -> f32 {
    if segment == 0 { 1.0 } else { LATER_SEGMENT }
}

impl Ctx<'_> {
    fn is_list(h: &Hit, list: u16) -> bool {
        h.cue == Cue::List(list)
    }

    fn list_in_segment(&self, list: u16, segment: u16) -> bool {
        self.hits.iter().any(|h| h.segment == segment && Self::is_list(h, list))
    }

    fn list_in_text(&self, list: u16) -> bool {
        self.hits.iter().any(|h| Self::is_list(h, list))
    }

    fn list_count_in_segment(&self, list: u16, segment: u16) -> usize {
        self.hits.iter().filter(|h| h.segment == segment && Self::is_list(h, list)).count()
    }

    fn entity(&self, h: &Hit) -> Option<&super::kb::Entity> {
        match h.cue {
            Cue::Entity(id) => self.kb.entities.get(id as usize),
            _ => None,
        }
    }

    /// A state or group (not a person) named at this hit.
    fn actor_entity(&self, h: &Hit) -> Option<&super::kb::Entity> {
        self.entity(h).filter(|e| e.kind != EntityKind::Person)
    }

    /// Whether a negation ends right before `h` in its clause ("no rate hike").
    fn negated(&self, h: &Hit) -> bool {
        let neg = self.kb.builtin.negation;
        self.hits.iter().any(|n| {
            Self::is_list(n, neg) && n.clause == h.clause && n.end < h.tok && h.tok - n.end <= 2
        })
    }

    /// The adversary is the actor of `h`: the state or group named right before it, else the
    /// first named before it in its segment (skipping a possessor right before another name and
    /// a speaker before a later name), or one named right after "by".
    fn adversary_actor(&self, h: &Hit) -> bool {
        // "... under attack by Russian missiles", "Kyiv attacked by Russian drones".
        let by_adversary = (1..=2).any(|k| {
            let by = h.end + k;
            self.norm.word(by as usize) == "by"
                && self.hits.iter().any(|c| {
                    c.tok > by
                        && c.tok <= by + 3
                        && self.actor_entity(c).is_some_and(|e| e.adversary)
                })
        });
        if by_adversary {
            return true;
        }
        let mut before: Vec<(&Hit, bool)> = Vec::new();
        for c in self.hits.iter().filter(|c| c.segment == h.segment && c.end < h.tok) {
            if let Some(e) = self.actor_entity(c)
                && !before.iter().any(|(b, _)| b.tok == c.tok)
            {
                before.push((c, e.adversary));
            }
        }
        // A name right before the trigger is its actor ("Iranian missiles", "Ukrainian attacks").
        if let Some((_, adversary)) = before.iter().find(|(c, _)| c.end + 1 == h.tok) {
            return *adversary;
        }
        let actor = (0..before.len()).find(|&i| {
            let (c, _) = before[i];
            let next = before.get(i + 1).map(|(b, _)| b.tok);
            let possessor = next == Some(c.end + 1);
            let speaker =
                next.is_some() && SPEAKER_VERBS.contains(&self.norm.word(c.end as usize + 1));
            !possessor && !speaker
        });
        actor.and_then(|i| before.get(i)).is_some_and(|(_, adversary)| *adversary)
    }

    /// The tariffs at `h` are imposed by a country other than the US (or by the EU): the first
    /// state named before them in their clause, unless "by" marks it as the target ("Japan hit
    /// by tariffs").
    fn foreign_imposer(&self, h: &Hit) -> bool {
        let first = self.hits.iter().find(|c| {
            c.clause == h.clause
                && c.end < h.tok
                && self
                    .entity(c)
                    .is_some_and(|e| e.kind == EntityKind::Country || e.name == "European Union")
        });
        let Some(first) = first else { return false };
        let by = (first.end + 1..h.tok).any(|t| self.norm.word(t as usize) == "by");
        !by && self.entity(first).is_some_and(|e| e.name != "United States")
    }

    /// An adversary is named before `h` in its clause ("Russia's defence budget").
    fn adversary_owner(&self, h: &Hit) -> bool {
        self.hits.iter().any(|c| {
            c.clause == h.clause
                && c.end < h.tok
                && self.actor_entity(c).is_some_and(|e| e.adversary)
        })
    }

    fn holds(&self, cond: Cond, h: &Hit) -> bool {
        match cond {
            Cond::List(list) => self.hits.iter().any(|c| {
                c.segment == h.segment
                    && Self::is_list(c, list)
                    && !(c.tok >= h.tok && c.end <= h.end)
            }),
            Cond::AdversaryActor => self.adversary_actor(h),
            Cond::AdversaryOwner => self.adversary_owner(h),
            Cond::Entity(id) => self.hits.iter().any(|c| c.cue == Cue::Entity(id)),
        }
    }

    /// The subject a movement word at `h` is about, with the hit that names it: the nearest
    /// commodity or company/sector name before it in its clause ("oil prices rise"), else one
    /// right after it, as its object or the noun it qualifies ("boost oil output", "higher
    /// crude"). A word with neither is about something else ("rupee dips as oil ...").
    fn subject_of(&self, h: &Hit) -> Option<(Subject, &Hit)> {
        let subject = |c: &Hit| match c.cue {
            Cue::Commodity(id) => Some(Subject::Commodity(id)),
            Cue::Name { sector, .. } => Some(Subject::Sector(sector)),
            _ => None,
        };
        let in_clause = || self.hits.iter().filter(|c| c.clause == h.clause);
        let before = in_clause()
            .filter(|c| c.end < h.tok)
            .filter_map(|c| subject(c).map(|s| (s, c)))
            .max_by_key(|(_, c)| c.tok);
        if before.is_some() {
            return before;
        }
        let after = in_clause()
            .filter(|c| c.tok > h.end && c.tok - h.end <= OBJECT_WINDOW)
            .filter_map(|c| subject(c).map(|s| (s, c)))
            .min_by_key(|(_, c)| c.tok);
        if after.is_some() {
            return after;
        }
        // "Gold steadies, heads for a weekly gain": after a comma the subject of the clause
        // before carries on, when that clause opens with it.
        let token = self.norm.tokens.get(h.tok as usize)?;
        if !token.after_comma {
            return None;
        }
        let previous = h.clause.checked_sub(1)?;
        let opening = self.norm.tokens.iter().position(|t| t.clause == previous)? as u32;
        self.hits
            .iter()
            .filter(|c| c.clause == previous && c.tok == opening)
            .find_map(|c| subject(c).map(|s| (s, c)))
    }

    /// +1 or -1: a movement word turned round when it is said of a supply noun of its subject
    /// ("oil exports drop", "Hormuz traffic slows", "boost oil output": less or more supply, so
    /// a higher or lower price) that no worry noun qualifies ("supply fears ease" is a price
    /// falling). The supply noun must be part of the subject or sit between it and the word, or
    /// come right after an object subject.
    fn supply_turn(&self, h: &Hit, subject: &Hit) -> f32 {
        let b = self.kb.builtin;
        // The subject's own words count ("oil exports" is one commodity term), and so does the
        // object of the word ("OPEC to raise output") unless a connective comes first ("oil
        // rises as output ...").
        let (from, to) = if subject.end < h.tok {
            let next = self.norm.word(h.end as usize + 1);
            let object = if CONNECTIVES.contains(&next) { 0 } else { OBJECT_WINDOW };
            (subject.tok, h.end + object)
        } else {
            (h.end + 1, subject.end + OBJECT_WINDOW)
        };
        // The noun nearest the movement word decides; a price noun beats a supply noun.
        let mut nearest: Option<(u32, Option<&Hit>)> = None;
        // A noun inside the movement phrase itself ("demand slumps") is the nearest of all.
        let own = |c: &Hit| c.tok >= h.tok && c.end <= h.end;
        let inside = |c: &Hit| (c.tok >= from && c.end <= to) || own(c);
        for c in self.hits.iter().filter(|c| c.clause == h.clause && inside(c)) {
            let is_supply = Self::is_list(c, b.supply);
            if !(is_supply || Self::is_list(c, b.price)) {
                continue;
            }
            let d = if own(c) {
                0
            } else if c.tok > h.end {
                c.tok - h.end
            } else {
                h.tok - c.end
            };
            let better = match nearest {
                None => true,
                Some((nd, supply)) => d < nd || (d == nd && supply.is_some() && !is_supply),
            };
            if better {
                nearest = Some((d, is_supply.then_some(c)));
            }
        }
        let Some((_, Some(noun))) = nearest else { return 1.0 };
        let worried = self.hits.iter().any(|w| {
            w.clause == h.clause
                && Self::is_list(w, b.worry)
                && (w.tok == noun.end + 1 || w.end + 1 == noun.tok)
        });
        if worried { 1.0 } else { -1.0 }
    }
}

impl KnowledgeBase {
    /// Analyses a headline (optionally followed by " — " and a description; only the first 200
    /// words are read).
    pub fn analyse(&self, text: &str) -> EventAnalysis {
        self.analyse_with(text, &[])
    }

    /// Analyses a text whose company mentions the caller already found (the linker's): they are
    /// passed through, and a mentioned ticker that is one of a sector's representative
    /// companies counts as a name of that sector.
    pub fn analyse_with(&self, text: &str, mentioned: &[Company]) -> EventAnalysis {
        let mut norm = text::normalise(text);
        norm.truncate(MAX_WORDS);
        let mut hits = Vec::new();
        self.scan(&norm, &mut hits);
        let ctx = Ctx { kb: self, norm: &norm, hits: &hits };
        let mut contributions = Vec::new();
        rules(&ctx, &mut contributions);
        commodities(&ctx, &mut contributions);
        tariffs(&ctx, &mut contributions);
        performance(&ctx, mentioned, &mut contributions);
        let sectors = self.decide(&contributions);
        let topic = topic(&ctx, &contributions);
        let (mut countries, mut organisations, mut people) = (Vec::new(), Vec::new(), Vec::new());
        for h in &hits {
            if let Some(e) = ctx.entity(h) {
                let list = match e.kind {
                    EntityKind::Country => &mut countries,
                    EntityKind::Organisation => &mut organisations,
                    EntityKind::Person => &mut people,
                };
                if !list.contains(&e.name) {
                    list.push(e.name.clone());
                }
            }
        }
        EventAnalysis {
            topic,
            sectors,
            countries,
            organisations,
            people,
            companies: mentioned.to_vec(),
        }
    }

    /// Sums the evidence per sector and keeps the strongest.
    fn decide(&self, contributions: &[Contribution<'_>]) -> Vec<SectorImpact> {
        #[derive(Default, Clone, Copy)]
        struct Acc<'k> {
            by_dir: [f32; 3],
            best: [(f32, &'k str); 3],
            order: u32,
            seen: bool,
        }
        let mut acc = [Acc::default(); 13];
        for c in contributions {
            let a = &mut acc[c.sector.index()];
            let d = c.direction as usize;
            a.by_dir[d] += c.weight;
            if c.weight > a.best[d].0 {
                a.best[d] = (c.weight, c.why);
            }
            if !a.seen {
                a.seen = true;
                a.order = c.order;
            }
        }
        let dirs = [Direction::Up, Direction::Down, Direction::Mixed];
        let mut out: Vec<(f32, u32, SectorImpact)> = Vec::new();
        for sector in Sector::ALL {
            let a = &acc[sector.index()];
            if !a.seen {
                continue;
            }
            let (up, down, mixed) = (a.by_dir[0], a.by_dir[1], a.by_dir[2]);
            // Opposite signals cancel; an explicit "mixed" wins when it is the larger.
            let net = up - down;
            let (direction, score) = if mixed >= net.abs() {
                (Direction::Mixed, mixed)
            } else if net > 0.0 {
                (Direction::Up, net)
            } else {
                (Direction::Down, -net)
            };
            if score < MIN_SCORE {
                continue;
            }
            let d = dirs.iter().position(|x| *x == direction).unwrap_or(0);
            out.push((
                score,
                a.order,
                SectorImpact {
                    sector,
                    direction,
                    why: a.best[d].1.to_owned(),
                    companies: self.companies(sector).to_vec(),
                    score,
                },
            ));
        }
        out.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let top = out.first().map_or(0.0, |o| o.0);
        out.into_iter()
            .filter(|(score, _, _)| *score >= top * MIN_SHARE)
            .take(MAX_SECTORS)
            .map(|(_, _, impact)| impact)
            .collect()
    }
}

fn push_effects<'k>(
    out: &mut Vec<Contribution<'k>>,
    effects: &'k [Effect],
    weight: f32,
    topic: Topic,
    order: u32,
) {
    for (i, e) in effects.iter().enumerate() {
        out.push(Contribution {
            sector: e.sector,
            direction: e.direction,
            weight: weight * (1.0 - 0.1 * i as f32),
            why: &e.why,
            topic,
            order: order + i as u32,
        });
    }
}

/// Phrase-triggered rules.
fn rules<'k>(ctx: &Ctx<'k>, out: &mut Vec<Contribution<'k>>) {
    let kb = ctx.kb;
    let mut fired = vec![false; kb.rules.len()];
    for h in ctx.hits {
        let Cue::Rule(r) = h.cue else { continue };
        let Some(rule) = kb.rules.get(r as usize) else { continue };
        if fired[r as usize] || ctx.negated(h) {
            continue;
        }
        if rule.unless.iter().any(|c| ctx.holds(*c, h))
            || !rule.needs.iter().all(|c| ctx.holds(*c, h))
            || (!rule.needs_any.is_empty() && !rule.needs_any.iter().any(|c| ctx.holds(*c, h)))
        {
            continue;
        }
        let reversed = rule.reversed_by.is_some_and(|list| {
            ctx.hits.iter().any(|c| {
                c.clause == h.clause && Ctx::is_list(c, list) && !(c.tok >= h.tok && c.end <= h.end)
            })
        });
        let effects = if reversed { &rule.reversed } else { &rule.effects };
        if effects.is_empty() {
            continue;
        }
        fired[r as usize] = true;
        let weight = rule.weight * factor(h.segment);
        push_effects(out, effects, weight, rule.topic, h.tok * 8);
        if let Some(why) = &rule.victims {
            let mut victims: Vec<Sector> = Vec::new();
            for c in ctx.hits {
                if let Cue::Name { sector, .. } = c.cue
                    && !victims.contains(&sector)
                    && !effects.iter().any(|e| e.sector == sector)
                {
                    victims.push(sector);
                    out.push(Contribution {
                        sector,
                        direction: Direction::Down,
                        weight: weight * 0.8,
                        why,
                        topic: rule.topic,
                        order: c.tok * 8,
                    });
                }
            }
        }
    }
}

/// Commodity price moves, supply shocks and reliefs.
fn commodities<'k>(ctx: &Ctx<'k>, out: &mut Vec<Contribution<'k>>) {
    let kb = ctx.kb;
    let b = kb.builtin;
    if ctx.list_in_text(b.no_effect) {
        return;
    }
    let casualty = ctx.list_in_text(b.casualty) || ctx.list_in_text(b.aftermath);
    let consumers = ctx.list_in_text(b.consumer);
    let segments = ctx.hits.iter().map(|h| h.segment).max().map_or(0, |s| s + 1);
    for segment in 0..segments {
        // Commodities named, and those of producer countries under pressure or relief.
        let mut found: Vec<(u16, u32)> = Vec::new();
        for h in ctx.hits.iter().filter(|h| h.segment == segment) {
            let id = match h.cue {
                Cue::Commodity(id) => Some(id),
                Cue::Entity(_) => ctx.entity(h).and_then(|e| e.produces).filter(|_| {
                    ctx.hits.iter().any(|p| {
                        p.clause == h.clause
                            && (Ctx::is_list(p, b.pressure) || Ctx::is_list(p, b.pressure_relief))
                            && p.tok.abs_diff(h.tok) <= 6
                    })
                }),
                _ => None,
            };
            if let Some(id) = id
                && !found.iter().any(|(f, _)| *f == id)
            {
                found.push((id, h.tok));
            }
        }
        if found.is_empty() {
            continue;
        }
        // Event words count for every commodity of the segment; movement words only for the
        // subject they are about.
        let mut events = 0.0f32;
        let mut support = 0.0f32;
        let mut moves: Vec<(Subject, f32)> = Vec::new();
        for h in ctx.hits.iter().filter(|h| h.segment == segment) {
            let Cue::List(list) = h.cue else { continue };
            if list == b.rise || list == b.fall {
                let sign = if list == b.rise { 1.0 } else { -1.0 };
                if let Some((subject, at)) = ctx.subject_of(h) {
                    moves.push((subject, sign * ctx.supply_turn(h, at)));
                }
            } else if list == b.shock || list == b.pressure {
                events += 2.0;
            } else if list == b.incident {
                let level = ctx.hits.iter().any(|l| {
                    Ctx::is_list(l, b.level)
                        && l.clause == h.clause
                        && l.tok > h.end
                        && l.tok - h.end <= 3
                });
                if !casualty && !level {
                    events += 1.5;
                }
            } else if list == b.relief || list == b.pressure_relief {
                events -= 2.0;
            } else if list == b.support {
                support += 1.5;
            }
        }
        let has_price = ctx.list_in_segment(b.price, segment);
        let f = factor(segment);
        for &(id, tok) in &found {
            let Some(c) = kb.commodities.get(id as usize) else { continue };
            if c.needs_price && !has_price {
                continue;
            }
            let own: f32 =
                moves.iter().filter(|(s, _)| *s == Subject::Commodity(id)).map(|(_, v)| v).sum();
            let polarity = events + own;
            let direction = if polarity > 0.0 {
                Direction::Up
            } else if polarity < 0.0 {
                Direction::Down
            } else if support > 0.0 && c.producer != c.payer {
                out.push(Contribution {
                    sector: c.producer,
                    direction: Direction::Up,
                    weight: support * f,
                    why: &c.up.0,
                    topic: c.topic,
                    order: tok * 8,
                });
                continue;
            } else {
                continue;
            };
            commodity_effects(c, direction, f, tok, consumers, out);
        }
    }
}

fn commodity_effects<'k>(
    c: &'k Commodity,
    direction: Direction,
    f: f32,
    tok: u32,
    consumers: bool,
    out: &mut Vec<Contribution<'k>>,
) {
    if c.producer == c.payer {
        out.push(Contribution {
            sector: c.producer,
            direction: Direction::Mixed,
            weight: 2.0 * f,
            why: &c.mixed,
            topic: c.topic,
            order: tok * 8,
        });
        return;
    }
    let (why_producer, why_payer) = if direction == Direction::Up { &c.up } else { &c.down };
    out.push(Contribution {
        sector: c.producer,
        direction,
        weight: 2.0 * f,
        why: why_producer,
        topic: c.topic,
        order: tok * 8,
    });
    let payer = match c.payer_when {
        PayerWhen::Always => true,
        PayerWhen::Consumer => consumers,
        PayerWhen::Never => false,
    };
    if payer {
        out.push(Contribution {
            sector: c.payer,
            direction: direction.reversed(),
            weight: 1.5 * f,
            why: why_payer,
            topic: c.topic,
            order: tok * 8 + 1,
        });
    }
}

/// New tariffs and tariff relief.
fn tariffs<'k>(ctx: &Ctx<'k>, out: &mut Vec<Contribution<'k>>) {
    let kb = ctx.kb;
    let b = kb.builtin;
    let t = &kb.tariffs;
    let mut done: Vec<u16> = Vec::new();
    for h in ctx.hits.iter().filter(|h| h.cue == Cue::Tariff) {
        let segment = h.segment;
        if done.contains(&segment) {
            continue;
        }
        done.push(segment);
        if ctx.list_in_segment(b.tariff_hedge, segment) || ctx.negated(h) {
            continue;
        }
        // What is done to the tariffs is said in their clause; whose goods, in the segment.
        let count = |list| {
            ctx.hits.iter().filter(|c| c.clause == h.clause && Ctx::is_list(c, list)).count()
        };
        let impose = count(b.tariff_impose);
        let relief = count(b.tariff_relief);
        if impose == relief {
            continue;
        }
        let relief = relief > impose;
        let abroad = ctx.list_in_segment(b.tariff_against_us, segment) || ctx.foreign_imposer(h);
        let weight = t.weight * factor(segment);
        let order = h.tok * 8;
        let mut goods: Vec<u16> = Vec::new();
        for g in ctx.hits.iter().filter(|g| g.segment == segment) {
            if let Cue::Goods(id) = g.cue
                && !goods.contains(&id)
            {
                goods.push(id);
            }
        }
        if goods.is_empty() {
            let effects = match (relief, abroad) {
                (false, true) => &t.impose_abroad,
                (false, false) => &t.impose_home,
                (true, false) => &t.relief_home,
                (true, true) => &t.relief_abroad,
            };
            push_effects(out, effects, weight, t.topic, order);
            continue;
        }
        for id in goods {
            let Some(g) = t.goods.get(id as usize) else { continue };
            let mut push = |sector, direction, why: &'k str, w: f32| {
                out.push(Contribution { sector, direction, weight: w, why, topic: t.topic, order });
            };
            match (relief, abroad) {
                (false, true) => push(g.producer, Direction::Down, &t.why_hit, weight),
                (true, true) => push(g.producer, Direction::Up, &t.why_unhit, weight),
                (false, false) if g.protected => {
                    push(g.producer, Direction::Up, &t.why_protect, weight);
                    if let Some(user) = g.user {
                        push(user, Direction::Down, &t.why_user_cost, weight * 0.9);
                    }
                }
                (true, false) if g.protected => {
                    push(g.producer, Direction::Down, &t.why_unprotect, weight);
                    if let Some(user) = g.user {
                        push(user, Direction::Up, &t.why_user_relief, weight * 0.9);
                    }
                }
                (false, false) => push(g.producer, Direction::Down, &t.why_import_cost, weight),
                (true, false) => push(g.producer, Direction::Up, &t.why_import_relief, weight),
            }
        }
    }
}

/// Company and sector names with words about how they fared.
fn performance<'k>(ctx: &Ctx<'k>, mentioned: &[Company], out: &mut Vec<Contribution<'k>>) {
    let kb = ctx.kb;
    let b = kb.builtin;
    let p = &kb.performance;
    let mut done: Vec<(Sector, u16)> = Vec::new();
    let mut names: Vec<(Sector, bool, u16, u32)> = ctx
        .hits
        .iter()
        .filter_map(|h| match h.cue {
            Cue::Name { sector, company } => Some((sector, company, h.segment, h.tok)),
            _ => None,
        })
        .collect();
    for c in mentioned {
        if let Some(sector) = kb.sector_of_ticker(&c.ticker)
            && !names.iter().any(|n| n.0 == sector)
        {
            names.push((sector, true, 0, 0));
        }
    }
    for (sector, company, segment, tok) in names {
        if done.contains(&(sector, segment)) {
            continue;
        }
        done.push((sector, segment));
        let mut score = ctx.list_count_in_segment(b.perf_up, segment) as f32
            - ctx.list_count_in_segment(b.perf_down, segment) as f32;
        if !company || ctx.list_in_segment(b.perf_gate, segment) {
            for h in ctx.hits.iter().filter(|h| h.segment == segment) {
                let Cue::List(list) = h.cue else { continue };
                let sign = if list == b.rise {
                    1.0
                } else if list == b.fall {
                    -1.0
                } else {
                    continue;
                };
                if ctx.subject_of(h).is_some_and(|(s, _)| s == Subject::Sector(sector)) {
                    score += sign;
                }
            }
        }
        if score == 0.0 {
            continue;
        }
        let (direction, why) =
            if score > 0.0 { (Direction::Up, &p.why_up) } else { (Direction::Down, &p.why_down) };
        out.push(Contribution {
            sector,
            direction,
            weight: p.weight * factor(segment),
            why,
            topic: p.topic,
            order: tok * 8,
        });
    }
}

/// The topic of the heaviest evidence, else of the topic words, else other.
fn topic(ctx: &Ctx<'_>, contributions: &[Contribution<'_>]) -> Topic {
    let mut weights: Vec<(Topic, f32)> = Vec::new();
    for c in contributions {
        match weights.iter_mut().find(|(t, _)| *t == c.topic) {
            Some((_, w)) => *w += c.weight,
            None => weights.push((c.topic, c.weight)),
        }
    }
    if weights.is_empty() {
        for h in ctx.hits {
            if let Cue::Topic(t) = h.cue {
                match weights.iter_mut().find(|(x, _)| *x == t) {
                    Some((_, w)) => *w += factor(h.segment),
                    None => weights.push((t, factor(h.segment))),
                }
            }
        }
    }
    // The first of the heaviest: `max_by` would keep the last.
    let mut best: Option<(Topic, f32)> = None;
    for (t, w) in weights {
        if best.is_none_or(|(_, bw)| w > bw) {
            best = Some((t, w));
        }
    }
    best.map_or(Topic::Other, |(t, _)| t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sectors(text: &str) -> Vec<(String, String)> {
        KnowledgeBase::shipped()
            .analyse(text)
            .sectors
            .iter()
            .map(|s| (s.sector.name().to_owned(), s.direction.as_str().to_owned()))
            .collect()
    }

    fn pairs(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected.iter().map(|(s, d)| ((*s).to_owned(), (*d).to_owned())).collect()
    }

    // The examples of the shared labelling rules, reworded so that none is a labelled headline.

    #[test]
    fn commodity_supply_shocks_and_relief() {
        assert_eq!(sectors("Drone attack sets Saudi refinery ablaze"), pairs(&[("Energy", "+")]));
        assert_eq!(
            sectors("Crude jumps as blockade chokes tanker traffic - Reuters"),
            pairs(&[("Energy", "+")])
        );
        assert_eq!(
            sectors("Jet fuel shortage hits European airports"),
            pairs(&[("Energy", "+"), ("Industrials/Manufacturing", "-")])
        );
        assert_eq!(
            sectors("Helium shortage deepens after plant outage"),
            pairs(&[("Materials", "+"), ("Technology", "-")])
        );
        // Relief reverses the signs.
        assert_eq!(
            sectors("IEA agrees emergency release of oil reserves"),
            pairs(&[("Energy", "-")])
        );
        assert_eq!(
            sectors("OPEC+ agrees to raise output again in October"),
            pairs(&[("Energy", "-")])
        );
        assert_eq!(
            sectors("Saudi Arabia to cut crude production further"),
            pairs(&[("Energy", "+")])
        );
        // A level reached is not an attack.
        assert_eq!(
            sectors("China's steel exports hit a record as demand slumps"),
            pairs(&[("Materials", "-")])
        );
        // Households come in when the text speaks of them.
        assert_eq!(
            sectors("Gas prices surge, pushing up household heating bills"),
            pairs(&[("Energy", "+"), ("Consumer", "-")])
        );
    }

    #[test]
    fn sanctions_on_a_producer_are_a_supply_shock() {
        assert_eq!(
            sectors("EU agrees new sanctions on Russian oil exports"),
            pairs(&[("Energy", "+")])
        );
        assert_eq!(sectors("US lifts sanctions on Venezuela"), pairs(&[("Energy", "-")]));
        // No commodity producer: nothing.
        assert!(sectors("US imposes sanctions on Nicaraguan officials").is_empty());
    }

    #[test]
    fn security_and_geopolitics() {
        assert_eq!(
            sectors("Germany to raise defence budget to 3.5% of GDP"),
            pairs(&[("Defense/Aerospace", "+")])
        );
        assert_eq!(sectors("Russia cuts its defence spending for 2027"), pairs(&[]));
        assert_eq!(
            sectors("Iran fires ballistic missiles at Israel"),
            pairs(&[("Defense/Aerospace", "+")])
        );
        assert_eq!(
            sectors("NATO chief calls for restoring ties with Russia after the war"),
            pairs(&[("Defense/Aerospace", "-")])
        );
        // Casualty reports and prisoner swaps carry no sector effect.
        assert!(sectors("Russian missile strike kills 12 in Kharkiv, officials say").is_empty());
        assert!(sectors("Armenia and Azerbaijan exchange prisoners").is_empty());
        assert!(sectors("Ceasefire talks collapse as fighting resumes").is_empty());
    }

    #[test]
    fn rates_cyber_tariffs() {
        assert_eq!(
            sectors("Bank of England signals further rate hikes"),
            pairs(&[("Financials", "+"), ("Real Estate", "-"), ("Utilities", "-")])
        );
        assert_eq!(
            sectors("Fed expected to cut rates in September"),
            pairs(&[("Financials", "-"), ("Real Estate", "+"), ("Utilities", "+")])
        );
        assert!(sectors("ECB rules out rate hike this year").is_empty());
        assert_eq!(
            sectors("Ransomware attack disrupts hospitals across three states"),
            pairs(&[("Cybersecurity", "+"), ("Healthcare", "-")])
        );
        assert_eq!(
            sectors("China slaps retaliatory tariffs on US soybeans and pork"),
            pairs(&[("Agriculture", "-")])
        );
        assert_eq!(
            sectors("EU suspends tariffs on American goods for 90 days"),
            pairs(&[("Industrials/Manufacturing", "+"), ("Agriculture", "+")])
        );
        assert_eq!(
            sectors("US imposes 25% tariffs on imported steel"),
            pairs(&[("Materials", "+"), ("Industrials/Manufacturing", "-")])
        );
        assert_eq!(
            sectors("White House unveils 25% tariffs on imported cars"),
            pairs(&[("Consumer", "-")])
        );
        assert_eq!(
            sectors("China imposes anti-dumping duties on U.S. chicken"),
            pairs(&[("Agriculture", "-")])
        );
        assert!(sectors("Japan exporters hit by tariffs weigh relocation").is_empty());
    }

    #[test]
    fn hard_negatives() {
        for text in [
            "Magnitude 6.1 quake hits off Chile coast; no damage reported",
            "Grid operator says power supply is enough for the summer peak",
            "Pope meets Lebanese president in Rome",
            "Floods kill 40 in northern India",
            "Prime minister survives confidence vote",
        ] {
            assert!(sectors(text).is_empty(), "{text}: {:?}", sectors(text));
        }
    }

    #[test]
    fn entities_and_topic() {
        let a = KnowledgeBase::shipped().analyse(
            "Kyiv says Moscow launched missiles as Zelenskiy meets NATO chief; Fed's Powell silent - Reuters",
        );
        assert_eq!(a.countries, ["Ukraine", "Russia"]);
        assert_eq!(a.organisations, ["NATO", "Federal Reserve"]);
        assert_eq!(a.people, ["Volodymyr Zelenskiy", "Jerome Powell"]);
        assert_eq!(a.topic, Topic::Geopolitics);
        assert_eq!(a.sectors.first().map(|s| s.sector), Some(Sector::DefenseAerospace));
        assert!(a.sectors[0].companies.iter().any(|c| c.ticker == "LMT"));
        assert!(!a.sectors[0].why.is_empty());
        let json = serde_json::to_value(&a).unwrap_or_default();
        assert_eq!(json["sectors"][0]["sector"], "Defense/Aerospace");
        assert_eq!(json["sectors"][0]["direction"], "+");
        assert_eq!(json["topic"], "geopolitics");
    }

    #[test]
    fn mentions_pass_through() {
        let kb = KnowledgeBase::shipped();
        let mentioned = [Company { name: "Exxon Mobil".into(), ticker: "XOM".into() }];
        let a = kb.analyse_with("Company shares slump after profit warning", &mentioned);
        assert_eq!(a.companies, mentioned);
        assert_eq!(
            a.sectors.first().map(|s| (s.sector, s.direction)),
            Some((Sector::Energy, Direction::Down))
        );
        assert_eq!(a.topic, Topic::Earnings);
    }

    #[test]
    fn many_texts_without_a_clock() {
        // Shape, not speed: every headline of a large stream gets a bounded, ordered answer
        // from one shared knowledge base.
        let kb = KnowledgeBase::shipped();
        let parts = [
            "Oil prices jump as",
            "Fed signals",
            "Russia fires missiles at",
            "Tariffs on steel",
            "Hackers breach",
            "Wheat harvest falls in",
            "Peace talks collapse in",
            "Gold slips,",
        ];
        let tails = ["Ukraine - Reuters", "banks and utilities", "US goods", "no damage reported"];
        let mut seen = 0;
        for i in 0..20_000usize {
            let text = format!("{} {} {i}", parts[i % parts.len()], tails[i % tails.len()]);
            let a = kb.analyse(&text);
            assert!(a.sectors.len() <= MAX_SECTORS);
            assert!(a.sectors.windows(2).all(|w| w[0].score >= w[1].score));
            seen += a.sectors.len();
        }
        assert!(seen > 0);
    }

    #[test]
    fn odd_input_is_harmless() {
        let kb = KnowledgeBase::shipped();
        for text in
            ["", " ", "\u{200b}\u{200c}", "- Reuters", "?!;:,.", "a", &"oil rises ".repeat(5000)]
        {
            let a = kb.analyse(text);
            assert!(a.sectors.len() <= MAX_SECTORS);
        }
    }
}

//! Near-duplicate clustering: one event, one cluster, however many outlets report it.
//!
//! Two signatures per headline, both over its content words (normalised as for analysis, stop
//! words out, plurals and a short list of newsroom synonyms folded: "taps"/"picks"/"names" ->
//! "name", "Korean" -> "korea"):
//!
//! 1. [`simhash`], 64 bits over word shingles (words and word pairs). Headlines that differ in
//!    a source suffix, a label or a word land within a few bits; LSH banding (four bands of 16
//!    bits by default) finds them, and a Hamming distance of at most
//!    [`ClusterConfig::max_distance`] (3) confirms. With four bands, every pair within 3 bits
//!    shares a band, so none is missed.
//! 2. A MinHash sketch of the word set (ten bands of two values by default), confirmed by the
//!    word sets' Jaccard similarity ([`ClusterConfig::min_jaccard`], 0.5). This is what joins
//!    real rewrites ("Trump taps White House adviser Overton to lead FDA" / "Trump picks White
//!    House adviser Heidi Overton to run FDA"). Measured on the Reuters feed in
//!    `shared/data/feeds`, such pairs are 7 to 32 bits apart in SimHash, while unrelated
//!    headlines of the same feed come as close as 8 bits (1% are within 21), so no Hamming
//!    threshold separates them; the word sets do (rewrites 0.5 to 1.0 Jaccard, unrelated pairs
//!    almost all below 0.4). A pair at Jaccard 0.5 becomes a candidate with probability
//!    1 - (1 - 0.5^2)^10 = 0.94; at 0.6, 0.99.
//!
//! Each band has 2^16 slots; an item joins one slot per band and the slot's items chain back
//! through the items, so adding an item allocates nothing per bucket. A query compares at most
//! [`ClusterConfig::bucket_scan`] of a slot's most recent items, each at most once, so a common
//! word cannot make one headline compare against thousands.

use super::text;

/// Words that do not tell one event from another.
const STOP_WORDS: &[&str] = &[
    "a",
    "about",
    "above",
    "across",
    "after",
    "again",
    "against",
    "ahead",
    "all",
    "along",
    "also",
    "amid",
    "among",
    "an",
    "and",
    "any",
    "are",
    "as",
    "at",
    "back",
    "be",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "down",
    "during",
    "each",
    "ever",
    "exclusive",
    "for",
    "from",
    "further",
    "get",
    "gets",
    "had",
    "has",
    "have",
    "he",
    "her",
    "here",
    "him",
    "his",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "its",
    "just",
    "last",
    "latest",
    "may",
    "media",
    "might",
    "more",
    "most",
    "much",
    "must",
    "near",
    "new",
    "news",
    "next",
    "no",
    "not",
    "now",
    "of",
    "off",
    "on",
    "once",
    "one",
    "only",
    "or",
    "other",
    "our",
    "out",
    "over",
    "own",
    "per",
    "report",
    "reported",
    "reports",
    "reuters",
    "s",
    "said",
    "say",
    "says",
    "see",
    "seen",
    "set",
    "she",
    "should",
    "since",
    "so",
    "some",
    "source",
    "sources",
    "still",
    "such",
    "than",
    "that",
    "the",
    "their",
    "them",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "to",
    "told",
    "too",
    "under",
    "until",
    "up",
    "upon",
    "very",
    "via",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "within",
    "without",
    "would",
    "year",
    "years",
    "yet",
    "you",
];

/// Newsroom synonyms and demonyms folded to one form (sorted, for binary search).
const SYNONYMS: &[(&str, &str)] = &[
    ("america", "us"),
    ("american", "us"),
    ("americans", "us"),
    ("ankara", "turkey"),
    ("appoint", "name"),
    ("appoints", "name"),
    ("arrested", "arrest"),
    ("arrests", "arrest"),
    ("australian", "australia"),
    ("beijing", "china"),
    ("berlin", "germany"),
    ("boost", "raise"),
    ("boosts", "raise"),
    ("brazilian", "brazil"),
    ("britain", "uk"),
    ("british", "uk"),
    ("canadian", "canada"),
    ("chinese", "china"),
    ("chooses", "name"),
    ("climb", "rise"),
    ("climbs", "rise"),
    ("cuts", "cut"),
    ("damascus", "syria"),
    ("dead", "kill"),
    ("detained", "arrest"),
    ("detains", "arrest"),
    ("died", "kill"),
    ("dies", "kill"),
    ("drop", "fall"),
    ("drops", "fall"),
    ("egyptian", "egypt"),
    ("european", "europe"),
    ("falls", "fall"),
    ("fell", "fall"),
    ("french", "france"),
    ("gain", "rise"),
    ("gains", "rise"),
    ("german", "germany"),
    ("head", "lead"),
    ("heads", "lead"),
    ("held", "arrest"),
    ("hike", "raise"),
    ("hikes", "raise"),
    ("indian", "india"),
    ("investigates", "probe"),
    ("investigation", "probe"),
    ("iranian", "iran"),
    ("iraqi", "iraq"),
    ("israeli", "israel"),
    ("japanese", "japan"),
    ("jump", "rise"),
    ("jumps", "rise"),
    ("kenyan", "kenya"),
    ("killed", "kill"),
    ("killing", "kill"),
    ("kills", "kill"),
    ("korean", "korea"),
    ("kremlin", "russia"),
    ("kyiv", "ukraine"),
    ("leads", "lead"),
    ("led", "lead"),
    ("meeting", "meet"),
    ("meets", "meet"),
    ("mexican", "mexico"),
    ("moscow", "russia"),
    ("named", "name"),
    ("names", "name"),
    ("nigerian", "nigeria"),
    ("nominate", "name"),
    ("nominates", "name"),
    ("ottawa", "canada"),
    ("pakistani", "pakistan"),
    ("paris", "france"),
    ("pick", "name"),
    ("picks", "name"),
    ("plunge", "fall"),
    ("plunges", "fall"),
    ("probes", "probe"),
    ("raised", "raise"),
    ("raises", "raise"),
    ("rises", "rise"),
    ("rose", "rise"),
    ("run", "lead"),
    ("runs", "lead"),
    ("russian", "russia"),
    ("russians", "russia"),
    ("saudi", "saudi"),
    ("saudis", "saudi"),
    ("selects", "name"),
    ("slash", "cut"),
    ("slashes", "cut"),
    ("slide", "fall"),
    ("slides", "fall"),
    ("slump", "fall"),
    ("slumps", "fall"),
    ("soar", "rise"),
    ("soars", "rise"),
    ("surge", "rise"),
    ("surges", "rise"),
    ("swedish", "sweden"),
    ("syrian", "syria"),
    ("taiwanese", "taiwan"),
    ("talks", "talk"),
    ("tap", "name"),
    ("taps", "name"),
    ("tehran", "iran"),
    ("tokyo", "japan"),
    ("tumble", "fall"),
    ("tumbles", "fall"),
    ("turkish", "turkey"),
    ("ukrainian", "ukraine"),
    ("ukrainians", "ukraine"),
    ("us", "us"),
    ("venezuelan", "venezuela"),
    ("washington", "us"),
];

/// How [`Clusterer`] decides that two headlines report the same event.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ClusterConfig {
    /// SimHash bands (LSH tables); 64 / bands bits each. One of 1, 2, 4, 8, 16.
    pub bands: u32,
    /// Largest SimHash Hamming distance for a near duplicate. With `bands` bands, any distance
    /// below `bands` is always found; larger ones only when a band happens to agree.
    pub max_distance: u32,
    /// MinHash bands (0 turns the paraphrase stage off).
    pub minhash_bands: usize,
    /// MinHash values per band (1 or more). One value per band finds pairs of lower similarity
    /// (each band is "the same word hashes lowest in both") and leaves the rest to the Jaccard
    /// check.
    pub minhash_rows: usize,
    /// Smallest word-set Jaccard similarity for a paraphrase.
    pub min_jaccard: f32,
    /// Fewest content words a headline needs for the paraphrase stage.
    pub min_words: usize,
    /// How many of a bucket's most recent items are compared.
    pub bucket_scan: usize,
}

impl Default for ClusterConfig {
    fn default() -> Self {
        ClusterConfig {
            bands: 4,
            max_distance: 3,
            minhash_bands: 10,
            minhash_rows: 2,
            min_jaccard: 0.5,
            min_words: 3,
            bucket_scan: 24,
        }
    }
}

/// FNV-1a over bytes, then a finaliser (MurmurHash3's) so every bit depends on every byte.
fn hash_bytes(bytes: &[u8], seed: u64) -> u64 {
    let mut h = 0xcbf2_9ce4_8422_2325u64 ^ seed;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix(h)
}

fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// The content words of a text, folded, as hashes in text order.
fn content_words(text: &str) -> Vec<u64> {
    let norm = text::normalise(text);
    let mut out = Vec::with_capacity(norm.tokens.len());
    let mut buf = String::new();
    for i in 0..norm.tokens.len() {
        let w = norm.word(i);
        if STOP_WORDS.binary_search(&w).is_ok() {
            continue;
        }
        let folded = match SYNONYMS.binary_search_by(|(from, _)| (*from).cmp(w)) {
            Ok(i) => SYNONYMS.get(i).map_or(w, |(_, to)| *to),
            Err(_) => w,
        };
        buf.clear();
        buf.push_str(folded);
        // Plurals: "strikes" -> "strike", "countries" -> "country".
        if buf.len() > 4 && buf.ends_with("ies") {
            buf.truncate(buf.len() - 3);
            buf.push('y');
        } else if buf.len() > 3
            && buf.ends_with('s')
            && !buf.ends_with("ss")
            && !buf.ends_with("us")
        {
            buf.pop();
        }
        out.push(hash_bytes(buf.as_bytes(), 0));
    }
    out
}

fn simhash_words(words: &[u64]) -> u64 {
    let mut v = [0i32; 64];
    let mut add = |h: u64| {
        for (bit, slot) in v.iter_mut().enumerate() {
            *slot += ((h >> bit) & 1) as i32 * 2 - 1;
        }
    };
    for (i, w) in words.iter().enumerate() {
        add(*w);
        if let Some(next) = words.get(i + 1) {
            add(mix(w.rotate_left(17) ^ next));
        }
    }
    v.iter().enumerate().fold(0u64, |acc, (bit, s)| if *s > 0 { acc | 1 << bit } else { acc })
}

/// The 64-bit SimHash of a headline over its word shingles (each content word and each pair of
/// neighbouring content words), after normalising: lower case, punctuation, source suffixes
/// (" - Reuters") and desk labels out, stop words out. Equal texts up to those give equal
/// hashes; a text with no content word hashes to 0.
pub fn simhash(text: &str) -> u64 {
    simhash_words(&content_words(text))
}

/// Hamming distance of two hashes.
pub fn hamming(a: u64, b: u64) -> u32 {
    (a ^ b).count_ones()
}

/// Slots per LSH band: a band key picks a slot by its low bits.
const SLOT_BITS: u32 = 16;

/// No item.
const NONE: u32 = u32::MAX;

/// LSH tables. Each band has 2^16 slots; a slot holds its most recent item and the items chain
/// back through `next`, so adding an item allocates nothing and touches one slot per band.
/// Different keys can share a slot; the exact check after (Hamming distance, Jaccard) sorts
/// them out.
struct Tables {
    bands: usize,
    heads: Vec<u32>,
    /// `next[item * bands + band]`: the previous item in the same slot.
    next: Vec<u32>,
}

impl Tables {
    fn new(bands: usize) -> Self {
        Tables { bands, heads: vec![NONE; bands << SLOT_BITS], next: Vec::new() }
    }

    fn slot(band: usize, key: u64) -> usize {
        (band << SLOT_BITS) | (key & ((1 << SLOT_BITS) - 1)) as usize
    }

    /// Adds item `index` (the next one) under `keys`, one per band; without keys the item stays
    /// out of the tables.
    fn add(&mut self, index: u32, keys: Option<&[u64]>) {
        for band in 0..self.bands {
            let previous = match keys.and_then(|k| k.get(band)) {
                Some(key) => match self.heads.get_mut(Self::slot(band, *key)) {
                    Some(head) => std::mem::replace(head, index),
                    None => NONE,
                },
                None => NONE,
            };
            self.next.push(previous);
        }
    }

    /// The items of `key`'s slot in `band`, most recent first, at most `limit`.
    fn bucket(&self, band: usize, key: u64, limit: usize) -> impl Iterator<Item = u32> + '_ {
        let mut at = self.heads.get(Self::slot(band, key)).copied().unwrap_or(NONE);
        std::iter::from_fn(move || {
            if at == NONE {
                return None;
            }
            let item = at;
            at = self.next.get(item as usize * self.bands + band).copied().unwrap_or(NONE);
            Some(item)
        })
        .take(limit)
    }
}

struct Item {
    hash: u64,
    cluster: u32,
    /// Sorted, distinct content words.
    words: Box<[u64]>,
    /// One bit per word (word mod 128): a cheap estimate of the words two sets share.
    bits: u128,
}

fn word_bits(set: &[u64]) -> u128 {
    set.iter().fold(0u128, |acc, w| acc | 1 << (w % 128))
}

/// Shared words of two sets, estimated from their bits from above but for collisions: two
/// shared words on one bit count once, so one more is allowed.
fn shared_estimate(a: u128, b: u128) -> usize {
    (a & b).count_ones() as usize + 1
}

/// Whether two sets of these sizes, sharing at most `shared` words, can reach Jaccard `min`.
fn can_reach(a: usize, b: usize, shared: usize, min: f32) -> bool {
    let shared = shared.min(a.min(b));
    // J = s / (a + b - s) grows with s.
    let union = (a + b).saturating_sub(shared);
    union > 0 && shared as f32 >= min * union as f32
}

/// Assigns each incoming headline a cluster, incrementally: an item joins the cluster of the
/// closest earlier near duplicate or paraphrase, else starts its own. A cluster's id is the id
/// of its first item.
pub struct Clusterer {
    config: ClusterConfig,
    items: Vec<Item>,
    /// Per item, 1 + the index of the last query that compared it: an item that shares several
    /// bands with a query is compared once.
    checked: Vec<u32>,
    clusters: Vec<String>,
    sim_tables: Tables,
    min_tables: Tables,
}

impl Default for Clusterer {
    fn default() -> Self {
        Clusterer::new(ClusterConfig::default())
    }
}

impl Clusterer {
    /// An empty clusterer.
    pub fn new(config: ClusterConfig) -> Self {
        let bands = match config.bands {
            1 | 2 | 4 | 8 | 16 => config.bands,
            _ => 4,
        };
        let config = ClusterConfig { bands, ..config };
        Clusterer {
            config,
            items: Vec::new(),
            checked: Vec::new(),
            clusters: Vec::new(),
            sim_tables: Tables::new(bands as usize),
            min_tables: Tables::new(config.minhash_bands),
        }
    }

    /// Items seen.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether no item was seen.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Clusters made.
    pub fn clusters(&self) -> usize {
        self.clusters.len()
    }

    /// Assigns `text` (item `id`) to a cluster and returns the cluster's id.
    pub fn assign(&mut self, id: &str, text: &str) -> &str {
        let words = content_words(text);
        let hash = simhash_words(&words);
        let mut set = words;
        set.sort_unstable();
        set.dedup();
        let index = self.items.len() as u32;
        let sim_keys = simhash_keys(hash, self.config.bands);
        let min_keys = (set.len() >= self.config.min_words && self.config.minhash_bands > 0)
            .then(|| minhash_keys(&set, self.config.minhash_bands, self.config.minhash_rows));
        // A text without a content word ("- Reuters") is like no other.
        let cluster = if set.is_empty() {
            None
        } else {
            self.near_duplicate(hash, &sim_keys, index)
                .or_else(|| min_keys.as_deref().and_then(|keys| self.paraphrase(&set, keys, index)))
        };
        let cluster = match cluster {
            Some(c) => c,
            None => {
                self.clusters.push(id.to_owned());
                (self.clusters.len() - 1) as u32
            }
        };
        self.sim_tables.add(index, (!set.is_empty()).then_some(sim_keys.as_slice()));
        self.min_tables.add(index, min_keys.as_deref());
        let bits = word_bits(&set);
        self.items.push(Item { hash, cluster, words: set.into_boxed_slice(), bits });
        self.checked.push(0);
        self.clusters.get(cluster as usize).map_or("", String::as_str)
    }

    /// Whether item `i` is still to be compared with query `query` (and marks it compared).
    fn first_look(checked: &mut [u32], i: u32, query: u32) -> bool {
        match checked.get_mut(i as usize) {
            Some(stamp) if *stamp != query + 1 => {
                *stamp = query + 1;
                true
            }
            _ => false,
        }
    }

    fn near_duplicate(&mut self, hash: u64, keys: &[u64], query: u32) -> Option<u32> {
        let mut best: Option<(u32, u32)> = None;
        for (band, &key) in keys.iter().enumerate() {
            for i in self.sim_tables.bucket(band, key, self.config.bucket_scan) {
                if !Self::first_look(&mut self.checked, i, query) {
                    continue;
                }
                let Some(item) = self.items.get(i as usize) else { continue };
                let d = hamming(hash, item.hash);
                if d <= self.config.max_distance
                    && best.is_none_or(|(bd, bi)| d < bd || (d == bd && i < bi))
                {
                    best = Some((d, i));
                }
            }
        }
        best.and_then(|(_, i)| self.items.get(i as usize)).map(|item| item.cluster)
    }

    fn paraphrase(&mut self, set: &[u64], keys: &[u64], query: u32) -> Option<u32> {
        // The near-duplicate stage marked its candidates with this query; a new stamp space.
        let query = query.wrapping_add(1 << 31);
        let bits = word_bits(set);
        let mut best: Option<(f32, u32)> = None;
        for (band, &key) in keys.iter().enumerate() {
            for i in self.min_tables.bucket(band, key, self.config.bucket_scan) {
                if !Self::first_look(&mut self.checked, i, query) {
                    continue;
                }
                let Some(item) = self.items.get(i as usize) else { continue };
                let shared = shared_estimate(bits, item.bits);
                if !can_reach(set.len(), item.words.len(), shared, self.config.min_jaccard) {
                    continue;
                }
                let j = jaccard(set, &item.words);
                if j >= self.config.min_jaccard
                    && best.is_none_or(|(bj, bi)| j > bj || (j == bj && i < bi))
                {
                    best = Some((j, i));
                }
            }
        }
        best.and_then(|(_, i)| self.items.get(i as usize)).map(|item| item.cluster)
    }
}

fn band_mask(bits: u32) -> u64 {
    if bits >= 64 { u64::MAX } else { (1u64 << bits) - 1 }
}

/// Band keys of a SimHash: each band's bits, tagged with the band.
fn simhash_keys(hash: u64, bands: u32) -> Vec<u64> {
    let bits = 64 / bands.max(1);
    (0..bands)
        .map(|band| mix((hash >> (band * bits)) & band_mask(bits)) ^ u64::from(band))
        .collect()
}

/// Band keys of a MinHash sketch: `rows` minimum hashes per band, combined.
fn minhash_keys(set: &[u64], bands: usize, rows: usize) -> Vec<u64> {
    let rows = rows.max(1);
    let mut mins = vec![u64::MAX; rows * bands];
    for w in set {
        for (k, m) in mins.iter_mut().enumerate() {
            let salt = (k as u64 + 1).wrapping_mul(0x9e37_79b9_7f4a_7c15);
            *m = (*m).min(mix(w ^ salt));
        }
    }
    mins.chunks(rows)
        .enumerate()
        .map(|(band, values)| {
            let combined = values.iter().fold(0u64, |acc, v| acc.rotate_left(29) ^ v);
            mix(combined ^ (band as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15))
        })
        .collect()
}

/// Jaccard similarity of two sorted, distinct sets.
fn jaccard(a: &[u64], b: &[u64]) -> f32 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 { 0.0 } else { both as f32 / union as f32 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_lists_are_sorted_for_binary_search() {
        assert!(STOP_WORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(SYNONYMS.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn simhash_ignores_what_does_not_matter() {
        let a = simhash("Prince Harry and Meghan to move back to Britain - Reuters");
        let b = simhash("PRINCE HARRY AND MEGHAN TO MOVE BACK TO BRITAIN, media reports say");
        let c = simhash("Prince\u{200b} Harry and Meghan to move back to Britain | Bloomberg");
        assert_eq!(a, b);
        assert_eq!(a, c);
        assert_eq!(simhash("the of and - Reuters"), 0);
        let mut c = Clusterer::default();
        c.assign("a", "- Reuters");
        assert_eq!(c.assign("b", "- Reuters"), "b");
        assert!(
            hamming(a, simhash("Ebola cases in Congo exceed 5,000, government data shows")) > 10
        );
    }

    /// Same event, two wordings: real headline pairs of the Reuters feed in shared/data/feeds.
    const SAME_EVENT: &[(&str, &str)] = &[
        (
            "Trump taps White House adviser Overton to lead FDA - Reuters",
            "Trump picks White House adviser Heidi Overton to run FDA, source says - Reuters",
        ),
        (
            "South Korea ship to test Arctic commercial route amid Western concerns - Reuters",
            "South Korean container ship will test Arctic route to Europe amid Western concern - Reuters",
        ),
        (
            "EXCLUSIVE: Chery's robot affiliate AiMOGA eyes IPO, targets overseas market - Reuters",
            "EXCLUSIVE: Chery's robot unit eyes IPO, targets overseas market for police robots - Reuters",
        ),
        (
            "Prince Harry and Meghan to move back to Britain - Reuters",
            "Prince Harry and Meghan to move back to Britain, media reports say - Reuters",
        ),
        (
            "Academic who raised plagiarism allegations against Jason Arday suspended by his university - Reuters",
            "Academic who raised concerns over Jason Arday suspended by Ghent University - Reuters",
        ),
        (
            "US says it will impose 'toughest sanctions in history' on Iran - Reuters",
            "Bessent says US will impose toughest ever sanctions on Iran, urges China to cooperate - Reuters",
        ),
    ];

    /// Different events that share words: they must stay apart.
    const DIFFERENT: &[(&str, &str)] = &[
        (
            "US says it will impose 'toughest sanctions in history' on Iran - Reuters",
            "US imposes more sanctions on Cuba - Reuters",
        ),
        (
            "Trump says Iran not ready to make the 'right deal' - Reuters",
            "Trump says no talks planned with Iran, Tehran says Strait of Hormuz still shut - Reuters",
        ),
        (
            "Ukraine's ousted defence minister plans US trip to raise project funding - Reuters",
            "Ukraine's ousted defence minister calls for wartime elections - Reuters",
        ),
        (
            "Colombia mine collapse kills 13 - Reuters",
            "Five killed as part of village home in China's Sichuan collapses - Reuters",
        ),
        (
            "Oil prices steady as investors assess US-Iran war outlook - reuters.com",
            "Gold steadies, heads for third straight weekly gain - Reuters",
        ),
    ];

    #[test]
    fn one_event_one_cluster() {
        for (a, b) in SAME_EVENT {
            let mut c = Clusterer::default();
            let first = c.assign("a", a).to_owned();
            let second = c.assign("b", b).to_owned();
            assert_eq!((first.as_str(), second.as_str()), ("a", "a"), "{a} / {b}");
        }
    }

    #[test]
    fn different_events_stay_apart() {
        for (a, b) in DIFFERENT {
            let mut c = Clusterer::default();
            c.assign("a", a);
            assert_eq!(c.assign("b", b), "b", "{a} / {b}");
        }
    }

    #[test]
    fn clusters_build_incrementally() {
        let mut c = Clusterer::default();
        let ids: Vec<String> = [
            "Oil set for second weekly rise as war crimps supply - Reuters",
            "Swiss voters look set to reject proposal to change neutrality, poll shows",
            "OIL SET FOR SECOND WEEKLY RISE AS WAR CRIMPS SUPPLY",
            "Oil set for second weekly rise as war crimps supply, traders say - Bloomberg",
        ]
        .iter()
        .enumerate()
        .map(|(i, t)| c.assign(&format!("n{i}"), t).to_owned())
        .collect();
        assert_eq!(ids, ["n0", "n1", "n0", "n0"]);
        assert_eq!((c.len(), c.clusters()), (4, 2));
    }

    #[test]
    fn many_items_without_a_clock() {
        // Shape, not speed: a large synthetic stream keeps distinct items apart and buckets bounded.
        let mut c = Clusterer::default();
        for i in 0..5000u32 {
            let text = format!("item{i} alpha{} beta{} gamma{}", i % 97, i % 89, i % 83);
            c.assign(&i.to_string(), &text);
        }
        assert_eq!(c.len(), 5000);
        assert!(c.clusters() > 4000, "{}", c.clusters());
    }
}

//! Word lists behind the disambiguation: the common-word stop-list, proper nouns, given names,
//! and the small closed classes of corporate vocabulary (legal suffixes, descriptors, generic
//! sector words).

use std::collections::HashSet;

/// Lower-case words of SCOWL's American English list (Debian `wamerican`); see
/// `data/README.md`. A company name that is one of these needs more evidence.
const COMMON_WORDS: &str = include_str!("../data/common_words.txt");
/// Capitalised entries of the same list (places, surnames, given names, a few brands).
const PROPER_NOUNS: &str = include_str!("../data/proper_nouns.txt");
/// Common English given names, written for marketdesk.
const GIVEN_NAMES: &str = include_str!("../data/first_names.txt");

/// Legal-form words stripped from the end of SEC names ("Inc", "Corp", "plc", "A/S", "Oyj").
/// Compared lower-case with dots and commas removed.
pub const LEGAL_SUFFIXES: &[&str] = &[
    "inc",
    "incorporated",
    "corp",
    "corporation",
    "co",
    "cos",
    "company",
    "ltd",
    "limited",
    "plc",
    "llc",
    "lp",
    "llp",
    "lllp",
    "nv",
    "sa",
    "sab",
    "se",
    "ag",
    "a/s",
    "as",
    "asa",
    "ab",
    "publ",
    "oyj",
    "oy",
    "spa",
    "kgaa",
    "pbc",
    "bv",
    "bhd",
    "pte",
    "cv",
    "de",
    "sca",
    "tbk",
    "aktiengesellschaft",
];

/// Trailing words that may be dropped to get the everyday name ("Goldman Sachs Group" ->
/// "Goldman Sachs", "Meta Platforms" -> "Meta").
pub(crate) const DESCRIPTORS: &[&str] = &[
    "group",
    "holdings",
    "holding",
    "companies",
    "technologies",
    "technology",
    "pharmaceuticals",
    "pharmaceutical",
    "pharma",
    "therapeutics",
    "biosciences",
    "bioscience",
    "biotherapeutics",
    "sciences",
    "systems",
    "solutions",
    "industries",
    "industrial",
    "international",
    "worldwide",
    "global",
    "enterprises",
    "enterprise",
    "brands",
    "communications",
    "networks",
    "software",
    "labs",
    "laboratories",
    "entertainment",
    "motor",
    "motors",
    "health",
    "healthcare",
    "financial",
    "services",
    "platforms",
    "interactive",
    "resources",
    "partners",
    "energy",
    "incorporated",
    "ltd",
    "reit",
    "trust",
    "bancorporation",
    "us",
];

/// Words that never make a company name on their own: sector and industry words, generic
/// corporate vocabulary, regions. "Agriculture", "Energy", "Utilities" or "Bancorp" alone must
/// never link (a famous AI newsroom tagged "agriculture" with a SPAC).
pub(crate) const GENERIC: &[&str] = &[
    "acquisition",
    "acquisitions",
    "aerospace",
    "agriculture",
    "agricultural",
    "airlines",
    "american",
    "america",
    "associates",
    "auto",
    "automotive",
    "bancorp",
    "bancshares",
    "bank",
    "banking",
    "bio",
    "biotech",
    "brands",
    "capital",
    "care",
    "central",
    "chemical",
    "chemicals",
    "city",
    "communications",
    "community",
    "consumer",
    "corp",
    "credit",
    "data",
    "defense",
    "digital",
    "eastern",
    "electric",
    "energy",
    "equity",
    "estate",
    "financial",
    "first",
    "foods",
    "fund",
    "general",
    "global",
    "gold",
    "great",
    "group",
    "growth",
    "health",
    "healthcare",
    "holdings",
    "home",
    "homes",
    "income",
    "industries",
    "insurance",
    "international",
    "internet",
    "investment",
    "investments",
    "investors",
    "life",
    "logistics",
    "marine",
    "materials",
    "media",
    "medical",
    "metals",
    "midwest",
    "minerals",
    "mining",
    "mobile",
    "national",
    "natural",
    "networks",
    "new",
    "northern",
    "oil",
    "gas",
    "online",
    "pacific",
    "atlantic",
    "partners",
    "pharma",
    "pharmaceuticals",
    "popular",
    "power",
    "premier",
    "progressive",
    "properties",
    "real",
    "realty",
    "reit",
    "resources",
    "royalty",
    "savings",
    "security",
    "semiconductor",
    "semiconductors",
    "services",
    "shipping",
    "silver",
    "software",
    "solar",
    "solutions",
    "southern",
    "steel",
    "systems",
    "technologies",
    "technology",
    "therapeutics",
    "trust",
    "united",
    "universal",
    "utilities",
    "utility",
    "value",
    "water",
    "western",
    "wind",
    "wireless",
    "world",
    "us",
    "usa",
    "citizens",
    "federal",
    "state",
    "holding",
    "industrial",
    "standard",
    "select",
    "summit",
    "heritage",
];

/// Places: a country, US state, region or big city never names a company on its own
/// ("California" is not California Resources, "Indonesia" not Indonesia Energy).
pub(crate) const PLACES: &[&str] = &[
    "africa",
    "alabama",
    "alaska",
    "argentina",
    "arizona",
    "arkansas",
    "asia",
    "atlanta",
    "australia",
    "austria",
    "bahamas",
    "beijing",
    "belgium",
    "bermuda",
    "boston",
    "brazil",
    "britain",
    "california",
    "canada",
    "caribbean",
    "carolina",
    "chicago",
    "chile",
    "china",
    "colombia",
    "colorado",
    "connecticut",
    "cyprus",
    "dakota",
    "dallas",
    "delaware",
    "denmark",
    "denver",
    "detroit",
    "dubai",
    "egypt",
    "england",
    "europe",
    "finland",
    "florida",
    "france",
    "georgia",
    "germany",
    "greece",
    "guangzhou",
    "hawaii",
    "holland",
    "hong",
    "houston",
    "idaho",
    "illinois",
    "india",
    "indiana",
    "indonesia",
    "iowa",
    "ireland",
    "israel",
    "italy",
    "japan",
    "kansas",
    "kentucky",
    "korea",
    "london",
    "louisiana",
    "maine",
    "malaysia",
    "maryland",
    "massachusetts",
    "mexico",
    "miami",
    "michigan",
    "minnesota",
    "mississippi",
    "missouri",
    "montana",
    "nebraska",
    "netherlands",
    "nevada",
    "norway",
    "ohio",
    "oklahoma",
    "oregon",
    "pakistan",
    "paris",
    "pennsylvania",
    "peru",
    "philippines",
    "poland",
    "portugal",
    "qatar",
    "russia",
    "scotland",
    "seattle",
    "shanghai",
    "shenzhen",
    "singapore",
    "spain",
    "sweden",
    "switzerland",
    "taiwan",
    "tennessee",
    "texas",
    "thailand",
    "tokyo",
    "toronto",
    "turkey",
    "ukraine",
    "utah",
    "vermont",
    "vietnam",
    "virginia",
    "wales",
    "washington",
    "wisconsin",
    "wyoming",
    "york",
    "jersey",
    "asian",
    "chinese",
    "european",
    "canadian",
    "japanese",
    "indian",
    "british",
    "mexican",
    "brazilian",
    "african",
    "australian",
];

/// Words that may be lower-case inside a capitalised name ("Bank of America").
pub(crate) const CONNECTORS: &[&str] =
    &["of", "and", "&", "the", "de", "du", "des", "la", "le", "for", "in", "on", "a", "et", "y"];

/// The lexicon a linker is built with.
pub(crate) struct Lexicon {
    common: HashSet<&'static str>,
    proper: HashSet<&'static str>,
}

/// Whether `word` is a common English given name ("Bill", "tom"), compared case-insensitively.
/// Writers use it to put filed names ("Musk Elon") in reading order.
pub fn is_given_name(word: &str) -> bool {
    static GIVEN: std::sync::OnceLock<HashSet<&'static str>> = std::sync::OnceLock::new();
    let given = GIVEN.get_or_init(|| words(GIVEN_NAMES).collect());
    with_lowercase(word, |w| given.contains(w))
}

fn words(list: &'static str) -> impl Iterator<Item = &'static str> {
    list.lines().filter(|l| !l.starts_with('#')).flat_map(str::split_whitespace)
}

impl Lexicon {
    pub(crate) fn shipped() -> Self {
        Lexicon { common: words(COMMON_WORDS).collect(), proper: words(PROPER_NOUNS).collect() }
    }

    /// A common English word (lower-case in the dictionary), compared case-insensitively.
    pub(crate) fn is_common(&self, word: &str) -> bool {
        with_lowercase(word, |w| self.common.contains(w))
    }

    /// Any dictionary word, common or proper (a place, a surname, a given name).
    pub(crate) fn is_dictionary(&self, word: &str) -> bool {
        with_lowercase(word, |w| self.common.contains(w) || self.proper.contains(w))
    }

    pub(crate) fn is_given_name(&self, word: &str) -> bool {
        is_given_name(word)
    }

    /// Estimated heap bytes of the word sets (entries plus hash-table overhead).
    pub(crate) fn heap_bytes(&self) -> usize {
        let entries = self.common.capacity() + self.proper.capacity();
        entries * (size_of::<&str>() + 1)
    }
}

/// Calls `f` with `word` in ASCII lower case, without allocating; words longer than any list
/// entry are answered `false`.
pub(crate) fn with_lowercase(word: &str, f: impl FnOnce(&str) -> bool) -> bool {
    let b = word.as_bytes();
    if !b.iter().any(u8::is_ascii_uppercase) {
        return f(word);
    }
    let mut buf = [0u8; 40];
    let Some(dst) = buf.get_mut(..b.len()) else { return false };
    for (d, s) in dst.iter_mut().zip(b) {
        *d = s.to_ascii_lowercase();
    }
    std::str::from_utf8(dst).is_ok_and(f)
}

pub(crate) fn is_generic(word: &str) -> bool {
    let w = word.to_ascii_lowercase();
    GENERIC.contains(&w.as_str()) || PLACES.contains(&w.as_str())
}

pub(crate) fn is_connector(word: &str) -> bool {
    CONNECTORS.contains(&word.to_ascii_lowercase().as_str())
}

/// A legal-form word, with dots and commas ignored ("Inc.", "N.V.", "S.A.B.").
pub(crate) fn is_legal_suffix(word: &str) -> bool {
    let w: String =
        word.chars().filter(|c| !matches!(c, '.' | ',')).map(|c| c.to_ascii_lowercase()).collect();
    LEGAL_SUFFIXES.contains(&w.as_str())
}

pub(crate) fn is_descriptor(word: &str) -> bool {
    DESCRIPTORS.contains(&word.trim_end_matches(',').to_ascii_lowercase().as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lexicon_classes() {
        let lex = Lexicon::shipped();
        assert!(lex.is_common("Apple") && lex.is_common("target") && lex.is_common("agriculture"));
        assert!(!lex.is_common("Lululemon") && !lex.is_common("Tesla"));
        assert!(lex.is_dictionary("Tesla") && lex.is_dictionary("Texas"));
        assert!(lex.is_given_name("Bill") && lex.is_given_name("tom"));
        assert!(is_legal_suffix("Inc.") && is_legal_suffix("N.V.") && !is_legal_suffix("Apple"));
        assert!(is_generic("Agriculture") && is_generic("energy") && !is_generic("Apple"));
    }
}

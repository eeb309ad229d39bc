//! Names as filed to names as a reader reads them: "MUSK ELON" -> "Elon Musk",
//! "TESLA MOTORS INC" -> "Tesla Motors Inc.".

/// Small words kept lower-case inside a title-cased name.
const LOWER: &[&str] = &["of", "and", "the", "for", "de", "la", "du"];

/// A word in title case; all-capital words of two or three letters without vowels stay
/// capitals (acronyms such as "JPM"), and so do words that already mix cases ("McGuirk").
fn title_word(word: &str, first: bool) -> String {
    let has_lower = word.chars().any(char::is_lowercase);
    let has_upper = word.chars().any(char::is_uppercase);
    if has_lower && has_upper {
        return word.to_owned();
    }
    let lower = word.to_lowercase();
    if !first && LOWER.contains(&lower.as_str()) {
        return lower;
    }
    let letters = word.chars().filter(|c| c.is_alphabetic()).count();
    let vowels = lower.chars().filter(|c| "aeiou".contains(*c)).count();
    if (letters <= 3 && vowels == 0) || word.contains('&') {
        return word.to_uppercase();
    }
    // Capitalise after an apostrophe or hyphen too ("O'Brien", "Smith-Jones").
    let mut out = String::with_capacity(word.len());
    let mut up = true;
    for c in lower.chars() {
        if up {
            out.extend(c.to_uppercase());
        } else {
            out.push(c);
        }
        up = c == '-' || c == '\'' || c == '.';
    }
    out
}

/// Title case for names filed in capitals. In a name that already mixes cases only capitalised
/// words of four letters or more change ("ISABELLA BANK Corp"); shorter ones may be acronyms.
/// State-of-incorporation marks ("/DE/") are dropped.
fn title_case(name: &str) -> String {
    let mixed = name.chars().any(char::is_lowercase) && name.chars().any(char::is_uppercase);
    name.split_whitespace()
        .filter(|w| !w.starts_with('/'))
        .enumerate()
        .map(|(i, w)| {
            let shouting = w.chars().filter(|c| c.is_alphabetic()).count() >= 4
                && !w.chars().any(char::is_lowercase);
            if mixed && !shouting { w.to_owned() } else { title_word(w, i == 0) }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A person's name in reading order. SEC filers enter "Last First Middle"; a few enter "First
/// Last". The order is taken as filed only when the first word is a common given name and the
/// last is not.
pub fn person(filed: &str) -> String {
    let cleaned = filed.replace(',', " ");
    let words: Vec<String> = cleaned
        .split_whitespace()
        .map(|w| {
            let w = match w.trim_end_matches('.').to_ascii_lowercase().as_str() {
                "jr" => "Jr.".to_owned(),
                "sr" => "Sr.".to_owned(),
                _ => title_case(w),
            };
            // A lone initial gets its full stop: "D" -> "D.".
            if w.chars().count() == 1 && w.chars().all(char::is_alphabetic) {
                format!("{w}.")
            } else {
                w
            }
        })
        .collect();
    let [first, .., last] = words.as_slice() else { return words.concat() };
    let given = |w: &str| marketdesk_linker::is_given_name(w.trim_end_matches('.'));
    let suffixes = ["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"];
    if given(first) && !given(last) || suffixes.contains(&last.as_str()) && given(first) {
        return words.join(" ");
    }
    // Last First [Middle...] [Suffix]
    let (suffix, rest) = match words.split_last() {
        Some((s, rest)) if suffixes.contains(&s.as_str()) && rest.len() >= 2 => (Some(s), rest),
        _ => (None, words.as_slice()),
    };
    let Some((surname, given_names)) = rest.split_first() else { return words.join(" ") };
    let mut out = given_names.join(" ");
    out.push(' ');
    out.push_str(surname);
    if let Some(s) = suffix {
        out.push(' ');
        out.push_str(s);
    }
    out
}

/// A person's name in reading order, taken from `hints` (signature lines such as "/s/ Jane
/// Roe, attorney-in-fact for Sergey Brin") when one spells the same words, else [`person`].
pub fn person_with_hints(filed: &str, hints: &[String]) -> String {
    let key = |w: &str| {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric()).to_lowercase();
        (w.chars().count() > 1).then_some(w)
    };
    let mut wanted: Vec<String> =
        filed.replace(',', " ").split_whitespace().filter_map(key).collect();
    wanted.sort();
    for hint in hints {
        let words: Vec<&str> = hint.split_whitespace().collect();
        for len in wanted.len()..=wanted.len() + 2 {
            for window in words.windows(len) {
                let mut got: Vec<String> = window.iter().filter_map(|w| key(w)).collect();
                got.sort();
                if got == wanted && !wanted.is_empty() {
                    let words: Vec<&str> = window
                        .iter()
                        .map(|w| w.trim_matches(|c: char| c == ',' || c == ';' || c == ':'))
                        .collect();
                    return title_case(&words.join(" "));
                }
            }
        }
    }
    person(filed)
}

/// The surname a second mention uses: "Elon Musk" -> "Musk".
pub fn surname(display: &str) -> &str {
    let words: Vec<&str> = display.split_whitespace().collect();
    let suffixes = ["Jr.", "Jr", "Sr.", "Sr", "II", "III", "IV"];
    let core = match words.split_last() {
        Some((s, rest)) if suffixes.contains(s) && !rest.is_empty() => rest,
        _ => &words[..],
    };
    core.last().copied().unwrap_or(display)
}

/// A company's name as filed, in title case with its legal form: "TESLA MOTORS INC" ->
/// "Tesla Motors Inc.".
pub fn company(filed: &str) -> String {
    let t = title_case(filed.trim());
    let words: Vec<&str> = t.split_whitespace().collect();
    match words.split_last() {
        Some((last, rest)) if !rest.is_empty() => {
            let bare = last.trim_end_matches('.');
            let dotted = ["Inc", "Corp", "Co", "Ltd"].contains(&bare);
            if dotted { format!("{} {bare}.", rest.join(" ")) } else { t }
        }
        _ => t,
    }
}

/// The everyday short name for later mentions: "Tesla Motors Inc." -> "Tesla Motors",
/// "Apple Inc." -> "Apple".
pub fn company_short(display: &str) -> String {
    let mut words: Vec<&str> = display.split_whitespace().collect();
    while words.len() > 1 {
        let last = words.last().map(|w| w.trim_matches(|c| c == '.' || c == ',').to_lowercase());
        if last.is_some_and(|l| marketdesk_linker::LEGAL_SUFFIXES.contains(&l.as_str())) {
            words.pop();
        } else {
            break;
        }
    }
    words.join(" ").trim_end_matches(',').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn people_in_reading_order() {
        assert_eq!(person("Musk Elon"), "Elon Musk");
        assert_eq!(person("COOK TIMOTHY D"), "Timothy D. Cook");
        assert_eq!(person("THIEL PETER"), "Peter Thiel");
        assert_eq!(person("Adams Katherine L."), "Katherine L. Adams");
        assert_eq!(person("McGuirk Richard L"), "Richard L. McGuirk");
        assert_eq!(person("Elon Musk"), "Elon Musk");
        assert_eq!(person("SMITH JOHN A JR"), "John A. Smith Jr.");
        assert_eq!(person("O'BRIEN MARY"), "Mary O'Brien");
        assert_eq!(surname("John A. Smith Jr."), "Smith");
        assert_eq!(surname("Elon Musk"), "Musk");
    }

    #[test]
    fn signatures_settle_the_order() {
        let hints = ["/s/ Valentina Margulis, as Attorney-in-Fact for Sergey Brin".to_owned()];
        assert_eq!(person_with_hints("Sergey Brin", &hints), "Sergey Brin");
        assert_eq!(person_with_hints("Brin Sergey", &hints), "Sergey Brin");
        let musk = ["By: Aaron Beckman, Power of Attorney For: Elon R. Musk".to_owned()];
        assert_eq!(person_with_hints("Musk Elon", &musk), "Elon R. Musk");
        assert_eq!(person_with_hints("THIEL PETER", &[]), "Peter Thiel");
    }

    #[test]
    fn companies_in_title_case() {
        assert_eq!(company("TESLA MOTORS INC"), "Tesla Motors Inc.");
        assert_eq!(company("Apple Inc."), "Apple Inc.");
        assert_eq!(company("ISABELLA BANK Corp"), "Isabella Bank Corp.");
        assert_eq!(company("BANK OF AMERICA CORP /DE/"), "Bank of America Corp.");
        assert_eq!(company("IBM Corp"), "IBM Corp.");
        assert_eq!(company_short("Tesla Motors Inc."), "Tesla Motors");
        assert_eq!(company_short("Tesla, Inc."), "Tesla");
        assert_eq!(company_short("Alphabet Inc."), "Alphabet");
    }
}

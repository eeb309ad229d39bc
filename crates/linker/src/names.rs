//! Name variants of an SEC company name: the forms a text may use for it.
//!
//! "COSTCO WHOLESALE CORP /NEW" gives the core "COSTCO WHOLESALE" (legal form and state tag
//! dropped); "Goldman Sachs Group Inc" gives the core "Goldman Sachs Group" and the short form
//! "Goldman Sachs" (trailing descriptor dropped); "Lululemon Athletica" gives the first word
//! "Lululemon" because it is in no dictionary. Spelling alternates ("&"/"and"/"&amp;", curly
//! apostrophes, hyphen or space between two words, "Corp"/"Corporation") are added.

use crate::words::{Lexicon, is_connector, is_descriptor, is_generic, is_legal_suffix};

/// How a variant was derived: the more was dropped, the weaker the evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum NameForm {
    /// From the shipped alias file.
    Alias,
    /// The SEC name without legal form and state tag.
    Core,
    /// The core without trailing descriptors ("Group", "Holdings", "Technologies").
    Short,
    /// The first word of the short form, when it is a coined word.
    FirstWord,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct NameVariant {
    pub(crate) text: String,
    pub(crate) form: NameForm,
}

/// Drops SEC state/country tags ("/DE/", "\PA\", "/NEW", "INC/VA/") from the name's words.
fn drop_state_tags(words: &mut Vec<String>) {
    while let Some(last) = words.last_mut() {
        if last.eq_ignore_ascii_case("a/s") {
            break;
        }
        match last.find(['/', '\\']) {
            Some(0) => {
                words.pop();
            }
            Some(i) => {
                last.truncate(i);
                break;
            }
            None => break,
        }
    }
}

fn trim_trailing_joiners(words: &mut Vec<String>) {
    while let Some(last) = words.last_mut() {
        let trimmed = last.trim_end_matches([',', ';', '-']);
        if trimmed.is_empty() || is_connector(trimmed) {
            words.pop();
        } else {
            let keep = trimmed.len();
            last.truncate(keep);
            break;
        }
    }
}

/// The core of an SEC name: its words without legal form and state tags.
pub(crate) fn core_words(sec_name: &str) -> Vec<String> {
    let cleaned = sec_name.replace(" (THE)", "").replace(" (The)", "");
    let mut words: Vec<String> = cleaned.split_whitespace().map(str::to_owned).collect();
    if words.first().is_some_and(|w| w.eq_ignore_ascii_case("the")) && words.len() > 1 {
        words.remove(0);
    }
    drop_state_tags(&mut words);
    trim_trailing_joiners(&mut words);
    while words.len() > 1 && words.last().is_some_and(|w| is_legal_suffix(w)) {
        words.pop();
        trim_trailing_joiners(&mut words);
    }
    // "AMAZON COM" was "Amazon.com".
    if words.len() > 1 && words.last().is_some_and(|w| w.eq_ignore_ascii_case("com")) {
        words.pop();
        if let Some(last) = words.last_mut() {
            last.push_str(".com");
        }
    }
    words
}

/// The spellings of the first legal-form word after the core of an SEC name.
fn legal_form(sec_name: &str) -> &'static [&'static str] {
    let core_len = core_words(sec_name).len();
    let Some(word) = sec_name.split_whitespace().nth(core_len) else { return &[] };
    let w: String = word.chars().filter(char::is_ascii_alphabetic).collect();
    match w.to_ascii_lowercase().as_str() {
        "inc" | "incorporated" => &["Inc"],
        "corp" | "corporation" => &["Corp", "Corporation"],
        "co" | "company" => &["Co", "Company"],
        "plc" => &["plc"],
        "ltd" | "limited" => &["Ltd"],
        "group" => &["Group"],
        _ => &[],
    }
}

/// A variant is usable when it has a distinctive word: a single word must not be generic
/// (a sector word, a place), and a derived short form must not be only generic words.
fn usable(words: &[String], form: NameForm) -> bool {
    let significant: Vec<&String> = words.iter().filter(|w| !is_connector(w)).collect();
    let generic = |w: &&String| is_generic(w.trim_end_matches(".com"));
    let only_generic = significant.iter().all(generic);
    !significant.is_empty()
        && !(only_generic && (significant.len() == 1 || form != NameForm::Core))
        && words.iter().any(|w| w.chars().any(|c| c.is_ascii_alphabetic()))
        && words.join(" ").len() >= 2
        && !is_abbreviation(&words.join(" "))
}

/// Business abbreviations that are also short company names ("Q2" Holdings): as a bare word
/// they mean the abbreviation.
pub(crate) fn is_abbreviation(word: &str) -> bool {
    let b = word.as_bytes();
    let period = matches!(
        b,
        [b'Q' | b'q', b'1'..=b'4'] | [b'H' | b'h', b'1' | b'2'] | [b'1'..=b'4', b'Q' | b'q']
    ) || word.eq_ignore_ascii_case("fy");
    period || crate::cues::ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Size rank up to which a one-word short form that is a common word ("Meta", "Grab") may stand
/// for the company.
const COMMON_SHORT_RANK: u32 = 1000;
/// ... and one that is a surname or place, or a coined first word ("Williams", "Lululemon").
const PROPER_SHORT_RANK: u32 = 1500;

/// Every name variant of an SEC company name, strongest form first, without duplicates
/// (compared case-insensitively). `rank` is the company's size rank: a one-word form cut down
/// from a longer name must belong to a large company unless it is coined ("Enanta").
pub(crate) fn variants(sec_name: &str, lexicon: &Lexicon, rank: u32) -> Vec<NameVariant> {
    let mut out: Vec<NameVariant> = Vec::new();
    let mut push = |words: &[String], form: NameForm| {
        let allowed = match words {
            [w] if form != NameForm::Core => {
                // Two or three capitals cut from a longer name ("SB" of SB Financial) are
                // more often some other abbreviation.
                if w.len() <= 3 && !w.chars().any(char::is_lowercase) {
                    rank <= PROPER_SHORT_RANK
                } else if lexicon.is_common(w) {
                    rank <= COMMON_SHORT_RANK
                } else if lexicon.is_dictionary(w) || form == NameForm::FirstWord {
                    rank <= PROPER_SHORT_RANK
                } else {
                    true
                }
            }
            _ => true,
        };
        if allowed && usable(words, form) {
            for text in spellings(&words.join(" ")) {
                if !out.iter().any(|v| v.text.eq_ignore_ascii_case(&text)) {
                    out.push(NameVariant { text, form });
                }
            }
        }
    };
    let mut words = core_words(sec_name);
    push(&words, NameForm::Core);
    // A one-word core that is a generic or common word keeps its legal form as a variant:
    // "Southern Company", "News Corp", "Progressive Corp".
    if let [core] = words.as_slice() {
        for suffix in legal_form(sec_name) {
            push(&[core.clone(), (*suffix).to_owned()], NameForm::Core);
        }
    }
    // SEC files people-named companies surname first: "SCHWAB CHARLES" is Charles Schwab.
    if words.len() == 2 && lexicon.is_given_name(&words[1]) {
        push(&[words[1].clone(), words[0].clone()], NameForm::Core);
    }
    while words.len() > 1 && words.last().is_some_and(|w| is_descriptor(w)) {
        words.pop();
        trim_trailing_joiners(&mut words);
        push(&words, NameForm::Short);
    }
    if words.len() > 1 {
        let first = words[0].trim_end_matches(',');
        let coined = first.len() >= 5
            && first.chars().all(|c| c.is_ascii_alphabetic())
            && !lexicon.is_dictionary(first)
            && !lexicon.is_given_name(first)
            && !is_generic(first);
        if coined {
            push(&[first.to_owned()], NameForm::FirstWord);
        }
    }
    out
}

/// Spelling alternates of one variant.
pub(crate) fn spellings(name: &str) -> Vec<String> {
    fn add(out: &mut Vec<String>, s: String) {
        if !out.contains(&s) {
            out.push(s);
        }
    }
    let mut out = vec![name.to_owned()];
    let words: Vec<&str> = name.split(' ').collect();
    // Internal legal words: SEC writes "Packaging Corp of America", texts "Corporation".
    for (short, long) in [("Corp", "Corporation"), ("CORP", "CORPORATION"), ("Co", "Company")] {
        if words.len() > 1 && words[..words.len() - 1].contains(&short) {
            add(&mut out, name.replace(&format!("{short} "), &format!("{long} ")));
        }
    }
    if words.len() == 2 && !words.iter().any(|w| is_connector(w) || is_legal_suffix(w)) {
        add(&mut out, words.join("-"));
    }
    if name.contains('-') && !name.contains(' ') && name.len() > 4 {
        add(&mut out, name.replace('-', " "));
    }
    for s in out.clone() {
        if s.contains(" & ") {
            add(&mut out, s.replace(" & ", " and "));
        }
        if s.contains('&') {
            add(&mut out, s.replace('&', "&amp;"));
        }
        if s.contains('\'') {
            add(&mut out, s.replace('\'', "\u{2019}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(name: &str) -> Vec<(String, NameForm)> {
        let lex = Lexicon::shipped();
        variants(name, &lex, 0).into_iter().map(|v| (v.text, v.form)).collect()
    }

    #[test]
    fn cores_and_short_forms() {
        let v = texts("COSTCO WHOLESALE CORP /NEW");
        assert_eq!(v[0], ("COSTCO WHOLESALE".to_owned(), NameForm::Core));
        let v = texts("Goldman Sachs Group, Inc.");
        assert!(v.contains(&("Goldman Sachs".to_owned(), NameForm::Short)), "{v:?}");
        let v = texts("Meta Platforms, Inc.");
        assert!(v.contains(&("Meta".to_owned(), NameForm::Short)), "{v:?}");
        let v = texts("AMAZON COM INC");
        assert!(v.contains(&("AMAZON.com".to_owned(), NameForm::Core)), "{v:?}");
        let v = texts("OWENS & MINOR INC/VA/");
        assert!(v.iter().any(|(t, _)| t == "OWENS and MINOR"), "{v:?}");
        assert!(v.iter().any(|(t, _)| t == "OWENS &amp; MINOR"), "{v:?}");
        let v = texts("PACKAGING CORP OF AMERICA");
        assert!(v.iter().any(|(t, _)| t == "PACKAGING CORPORATION OF AMERICA"), "{v:?}");
        let lex = Lexicon::shipped();
        let v = variants("Lululemon Athletica inc.", &lex, 400);
        assert!(
            v.contains(&NameVariant { text: "Lululemon".to_owned(), form: NameForm::FirstWord }),
            "{v:?}"
        );
        let v = texts("NOVO NORDISK A/S");
        assert_eq!(v[0].0, "NOVO NORDISK");
        let v = texts("SOUTHERN CO");
        assert!(v.iter().any(|(t, _)| t == "SOUTHERN Company"), "{v:?}");
        assert!(v.iter().all(|(t, _)| t != "SOUTHERN"), "{v:?}");
        let v = texts("SCHWAB CHARLES CORP");
        assert!(v.iter().any(|(t, _)| t == "CHARLES SCHWAB"), "{v:?}");
        assert!(texts("Q2 Holdings, Inc.").iter().all(|(t, _)| t != "Q2"));
        let v = texts("California Resources Corp");
        assert!(v.iter().all(|(t, _)| t != "California"), "{v:?}");
    }

    #[test]
    fn generic_words_never_stand_alone() {
        // The SPAC whose name made an AI newsroom tag the word "agriculture".
        let v = texts("Agriculture & Natural Solutions Acquisition Corp");
        assert!(v.iter().all(|(t, _)| t.contains("Acquisition")), "{v:?}");
        assert!(texts("Bancorp, Inc.").iter().all(|(t, _)| t.ends_with("Inc")));
        assert!(texts("NORTHERN TRUST CORP").iter().all(|(t, _)| t.len() > "NORTHERN".len()));
        // A one-word common or proper short form needs a large company; a coined one does not.
        let small = |name: &str| variants(name, &Lexicon::shipped(), 5000);
        assert!(small("Zoom Communications, Inc.").iter().all(|v| v.text != "Zoom"));
        assert!(small("Enanta Pharmaceuticals Inc").iter().any(|v| v.text == "Enanta"));
        // Dictionary words and places are never cut down to a first word.
        let v = texts("TEXAS INSTRUMENTS INC");
        assert!(v.iter().all(|(t, _)| t.len() > "TEXAS".len()), "{v:?}");
    }
}

//! Issuer names as 13F information tables write them ("AMAZON COM INC", "BK OF AMERICA CORP",
//! "AUTOMATIC DATA PROCESSING IN"): upper case, abbreviated, and cut at 28 characters. A CUSIP's
//! issuer is resolved to a company by reducing both that name and every SEC name to one key
//! (abbreviations unified, legal forms and state tags dropped) and matching keys exactly, or as
//! a prefix when the 13F name was cut. An ambiguous key resolves to nothing.

/// The length at which the SEC's 13(f) list cuts issuer names.
pub(crate) const CUT_AT: usize = 28;

/// One spelling for words that are abbreviated in various ways.
fn canonical(word: &str) -> &str {
    match word {
        "HOLDINGS" | "HOLDING" | "HLDGS" | "HLDG" => "HLDGS",
        "GROUP" | "GRP" => "GRP",
        "INTERNATIONAL" | "INTL" => "INTL",
        "TECHNOLOGIES" | "TECHNOLOGY" | "TECH" | "TECHS" => "TECH",
        "COMMUNICATIONS" | "COMMUNICATION" | "COMMUNICATNS" | "COMMNS" | "COMM" => "COMM",
        "FINANCIAL" | "FINL" => "FINL",
        "SERVICES" | "SERVICE" | "SVCS" | "SVC" => "SVCS",
        "PHARMACEUTICALS" | "PHARMACEUTICAL" | "PHARMA" | "PHARMS" | "PHARM" => "PHARM",
        "SYSTEMS" | "SYSTEM" | "SYS" => "SYS",
        "INDUSTRIES" | "INDUSTRY" | "INDS" => "INDS",
        "MANAGEMENT" | "MGMT" => "MGMT",
        "PROPERTIES" | "PPTYS" => "PPTYS",
        "AMERICA" | "AMER" => "AMER",
        "BANK" | "BK" => "BK",
        "ELECTRIC" | "ELEC" => "ELEC",
        "POWER" | "PWR" => "PWR",
        "CAPITAL" | "CAP" => "CAP",
        "LABORATORIES" | "LABS" | "LAB" => "LABS",
        "TRUST" | "TR" => "TR",
        "FUND" | "FD" => "FD",
        "RESOURCES" | "RES" => "RES",
        "PARTNERS" | "PTNRS" => "PTNRS",
        "SOLUTIONS" | "SOLTNS" => "SOLTNS",
        "PRODUCTS" | "PRODS" => "PRODS",
        "MORTGAGE" | "MTG" => "MTG",
        "INVESTMENTS" | "INVESTMENT" | "INVTS" | "INVT" => "INVT",
        "ENTERPRISES" | "ENTERPRISE" | "ENTERPRISES," => "ENTERPRISES",
        "MANUFACTURING" | "MFG" => "MFG",
        "LABORATORY" => "LABS",
        "NATIONAL" | "NATL" => "NATL",
        "WHOLESALE" | "WHSL" => "WHSL",
        "MOTOR" | "MOTORS" | "MTR" | "MTRS" => "MTR",
        "MACHINES" | "MACHS" => "MACHS",
        "UTILITY" | "UTLITY" | "UTILITIES" | "UTILS" => "UTIL",
        "CORPORATE" => "CORPORATE",
        other => other,
    }
}

/// Words that name a legal form or a state or country of incorporation; dropped at the end.
fn is_tag(word: &str) -> bool {
    const TAGS: &[&str] = &[
        "INC",
        "INCORPORATED",
        "CORP",
        "CORPORATION",
        "CO",
        "COMPANY",
        "LTD",
        "LIMITED",
        "PLC",
        "LP",
        "LLC",
        "NV",
        "SA",
        "AG",
        "SE",
        "ASA",
        "AB",
        "OYJ",
        "SPA",
        "DEL",
        "NEW",
        "IRELAND",
        "BERMUDA",
        "NETHERLANDS",
        "JERSEY",
        "SWITZERLAND",
        "CANADA",
        "CAYMAN",
        "ISLANDS",
        "UK",
        "HOLDCO", // US state and territory codes, as SEC names tag them ("/MA/")
        "AL",
        "AK",
        "AZ",
        "AR",
        "CA",
        "CT",
        "DE",
        "FL",
        "GA",
        "HI",
        "ID",
        "IL",
        "IA",
        "KS",
        "KY",
        "LA",
        "ME",
        "MD",
        "MA",
        "MI",
        "MN",
        "MS",
        "MO",
        "MT",
        "NE",
        "NH",
        "NJ",
        "NM",
        "NY",
        "NC",
        "ND",
        "OH",
        "OK",
        "OR",
        "PA",
        "RI",
        "SC",
        "SD",
        "TN",
        "TX",
        "UT",
        "VT",
        "VA",
        "WA",
        "WV",
        "WI",
        "WY",
        "DC",
        "PR",
    ];
    TAGS.contains(&word)
}

/// The key with its words in alphabetical order, for names the 13(f) list writes surname-first
/// ("DISNEY WALT CO" for Walt Disney Co).
pub(crate) fn sorted_key(key: &str) -> String {
    let mut words: Vec<&str> = key.split(' ').collect();
    words.sort_unstable();
    words.join(" ")
}

/// The matching key of an issuer or company name.
pub(crate) fn issuer_key(name: &str) -> String {
    let upper = name.to_ascii_uppercase().replace('&', " AND ");
    let cleaned: String =
        upper.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
    let mut words: Vec<&str> = cleaned
        .split_whitespace()
        .filter(|w| !matches!(*w, "THE" | "OF" | "AND"))
        .map(canonical)
        .collect();
    while words.len() > 1 && words.last().is_some_and(|w| is_tag(w)) {
        words.pop();
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirteen_f_names_meet_sec_names() {
        let same = |a: &str, b: &str| assert_eq!(issuer_key(a), issuer_key(b), "{a} vs {b}");
        same("AMAZON COM INC", "Amazon.com, Inc.");
        same("BK OF AMERICA CORP", "BANK OF AMERICA CORP /DE/");
        same("BANK AMER CORP", "Bank of America Corp");
        same("BERKSHIRE HATHAWAY INC DEL", "BERKSHIRE HATHAWAY INC");
        same("AT&T INC", "AT&T Inc.");
        same("ABBOTT LABS", "ABBOTT LABORATORIES");
        same("PROCTER AND GAMBLE CO", "PROCTER & GAMBLE Co");
        same("ALIBABA GROUP HLDG LTD", "Alibaba Group Holding Ltd");
        same("AMERICAN ELEC PWR CO INC", "AMERICAN ELECTRIC POWER CO INC");
        same("ACCENTURE PLC IRELAND", "Accenture plc");
        same("AMERICAN TOWER CORP NEW", "AMERICAN TOWER CORP /MA/");
        same("COSTCO WHSL CORP NEW", "COSTCO WHOLESALE CORP /NEW");
        same("INTERNATIONAL BUSINESS MACHS", "INTERNATIONAL BUSINESS MACHINES CORP");
        same("FORD MTR CO DEL", "FORD MOTOR CO");
        assert_eq!(
            sorted_key(&issuer_key("DISNEY WALT CO")),
            sorted_key(&issuer_key("Walt Disney Co"))
        );
        assert_ne!(issuer_key("APPLE INC"), issuer_key("APPLIED MATERIALS INC"));
    }
}

//! Exchange-traded products (ETFs, ETNs, closed-end funds, commodity and crypto trusts): never
//! companies for the linker. Found by the issuer's SEC name and by a shipped list of symbols.

use std::collections::HashSet;

use serde::Deserialize;

use crate::LinkerError;

const SHIPPED: &str = include_str!("../../../data/reference/exchange_traded_products.toml");

/// The shipped list: product symbols and banks whose listed rows are only notes.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct ProductList {
    tickers: HashSet<String>,
    note_issuers: HashSet<String>,
}

impl ProductList {
    pub(crate) fn shipped() -> Result<Self, LinkerError> {
        toml::from_str(SHIPPED)
            .map_err(|source| LinkerError::Toml { file: "exchange_traded_products.toml", source })
    }

    pub(crate) fn has_ticker(&self, ticker: &str) -> bool {
        self.tickers.contains(ticker)
    }

    /// True for an issuer on the list, or one whose name says it is a fund.
    pub(crate) fn is_product_issuer(&self, sec_name: &str) -> bool {
        self.note_issuers.contains(sec_name.trim()) || looks_like_fund(sec_name)
    }
}

/// Words that only fund and note issuers put in their SEC names.
const FUND_WORDS: &[&str] = &[
    "ETF",
    "ETFS",
    "ETN",
    "ETNS",
    "FUND",
    "FUNDS",
    "ISHARES",
    "SPDR",
    "PROSHARES",
    "POWERSHARES",
    "DIREXION",
    "VANECK",
    "GRAYSCALE",
    "CURRENCYSHARES",
    "IPATH",
    "ETRACS",
    "MICROSECTORS",
    "TEUCRIUM",
    "NUVEEN",
    "PIMCO",
    "MUNICIPAL",
    "MUNI",
];

/// With "TRUST", these make a fund (an "Income Trust" alone is often a REIT company).
const TRUST_FUND_WORDS: &[&str] = &[
    "BITCOIN",
    "ETHER",
    "ETHEREUM",
    "SOLANA",
    "XRP",
    "CRYPTO",
    "GOLD",
    "SILVER",
    "PLATINUM",
    "PALLADIUM",
    "COMMODITY",
    "CURRENCY",
    "BOND",
    "CREDIT",
    "YIELD",
    "EQUITY",
    "DIVIDEND",
    "PREMIUM",
    "OPPORTUNITIES",
    "STRATEGIC",
    "TERM",
    "OIL",
    "INCOME",
];

/// Words that mark an operating company even when a fund word is present.
const COMPANY_WORDS: &[&str] = &["REALTY", "REIT", "PROPERTIES", "MORTGAGE", "BANCORP", "MINING"];

/// Whether an SEC name is that of a fund, ETF, ETN or index product.
pub(crate) fn looks_like_fund(sec_name: &str) -> bool {
    let upper = sec_name.to_ascii_uppercase();
    let words: Vec<&str> =
        upper.split(|c: char| !c.is_ascii_alphanumeric()).filter(|w| !w.is_empty()).collect();
    let has = |set: &[&str]| words.iter().any(|w| set.contains(w));
    if has(FUND_WORDS) {
        return true;
    }
    // "S&P 500" style index names and "Trust II" commodity pools.
    if words.contains(&"INDEX") || upper.contains("TRUST II") {
        return true;
    }
    words.contains(&"TRUST") && has(TRUST_FUND_WORDS) && !has(COMPANY_WORDS)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fund_names() {
        for name in [
            "SPDR S&P 500 ETF TRUST",
            "INVESCO DB AGRICULTURE FUND",
            "Grayscale Bitcoin Mini Trust ETF",
            "ProShares Trust II",
            "iShares Gold Trust",
            "GAMCO Natural Resources, Gold & Income Trust",
            "BlackRock Municipal 2030 Target Term Trust",
            "Invesco CurrencyShares Japanese Yen Trust",
        ] {
            assert!(looks_like_fund(name), "{name}");
        }
        for name in [
            "NEW YORK MORTGAGE TRUST, INC.",
            "UNIVERSAL HEALTH REALTY INCOME TRUST",
            "NORTHERN TRUST CORP",
            "WisdomTree, Inc.",
            "BlackRock, Inc.",
            "Apple Inc.",
        ] {
            assert!(!looks_like_fund(name), "{name}");
        }
    }

    #[test]
    fn shipped_list_parses() {
        let list = ProductList::shipped().map_err(|e| e.to_string());
        assert!(list.as_ref().is_ok_and(|l| l.has_ticker("SPY") && l.has_ticker("VXX")));
        assert!(list.is_ok_and(|l| l.is_product_issuer("BARCLAYS BANK PLC")));
    }
}

//! The SEC company list (`company_tickers_exchange.json`): each CIK with its main common ticker,
//! its other listed symbols classified, and whether the linker may tag it at all.

use std::collections::{BTreeMap, HashMap};

use marketdesk_core::Cik;
use serde::{Deserialize, Serialize};

use crate::LinkerError;
use crate::issuer::{CUT_AT, issuer_key, sorted_key};

/// Sorts keys and marks a key shared by two companies as ambiguous (`None`).
fn unique_keys(mut keys: Vec<(String, Option<usize>)>) -> Vec<(String, Option<usize>)> {
    keys.sort();
    keys.dedup_by(|later, first| {
        let same = later.0 == first.0;
        if same && later.1 != first.1 {
            first.1 = None;
        }
        same
    });
    keys
}
use crate::products::ProductList;
use crate::ticker::{SecurityKind, classify};

/// The shipped SEC `company_tickers_exchange.json` (Aug 2025, `data/reference/`), the default
/// universe: what `reference update --from-edgar` replaces.
pub const SHIPPED_EXCHANGE_LIST: &[u8] =
    include_bytes!("../../../data/reference/sec_company_tickers_exchange.json");
/// The shipped SEC `company_tickers.json` (Aug 2025), ordered by market cap: the size prior.
pub const SHIPPED_SIZE_ORDER: &[u8] =
    include_bytes!("../../../data/reference/sec_company_tickers.json");

/// Where a symbol trades, as the SEC list says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Exchange {
    /// New York Stock Exchange (including NYSE American and Arca in the SEC list).
    Nyse,
    /// Nasdaq.
    Nasdaq,
    /// Cboe.
    Cboe,
    /// Over the counter: not linkable.
    Otc,
    /// No exchange given: not linkable.
    Unlisted,
}

impl Exchange {
    fn from_sec(s: Option<&str>) -> Self {
        match s.map(str::to_ascii_uppercase).as_deref() {
            Some("NYSE") => Exchange::Nyse,
            Some("NASDAQ") => Exchange::Nasdaq,
            Some("CBOE") => Exchange::Cboe,
            Some("OTC") => Exchange::Otc,
            _ => Exchange::Unlisted,
        }
    }

    /// NYSE, Nasdaq and Cboe: the exchanges whose companies the linker tags.
    pub fn is_us_listing(self) -> bool {
        matches!(self, Exchange::Nyse | Exchange::Nasdaq | Exchange::Cboe)
    }
}

/// One symbol of a company.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Security {
    /// As the SEC writes it ("BRK-B").
    pub ticker: String,
    /// Where it trades.
    pub exchange: Exchange,
    /// Its relation to the company's main ticker.
    pub kind: SecurityKind,
}

/// One CIK of the SEC list.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Company {
    /// The SEC's key.
    pub cik: Cik,
    /// The SEC's conformed name ("COSTCO WHOLESALE CORP /NEW").
    pub name: String,
    /// The first NYSE/Nasdaq/Cboe symbol of the CIK in file order; `None` when it has none
    /// (OTC-only or exchange-less: private or delisted for the linker).
    pub main_ticker: Option<String>,
    /// Every symbol of the CIK in file order, the main one included.
    pub securities: Vec<Security>,
    /// Position in the SEC's market-cap ordered list (0 = largest), when known.
    pub size_rank: Option<u32>,
    /// An ETF, ETN, fund, trust or index product, or a bank listed only for its notes.
    pub exchange_traded_product: bool,
}

impl Company {
    /// Whether the linker may tag this company: US-listed and not a fund or note issuer.
    pub fn is_linkable(&self) -> bool {
        self.main_ticker.is_some() && !self.exchange_traded_product
    }
}

/// The SEC company list, one [`Company`] per CIK in order of first appearance.
#[derive(Clone, Debug, Default)]
pub struct Reference {
    companies: Vec<Company>,
    by_ticker: HashMap<String, usize>,
    by_cik: HashMap<Cik, usize>,
    /// Issuer-name keys, sorted, each with its company; `None` where two companies share a key.
    by_issuer_key: Vec<(String, Option<usize>)>,
    /// The same with each key's words in alphabetical order.
    by_sorted_key: Vec<(String, Option<usize>)>,
}

#[derive(Deserialize)]
struct RawExchangeList {
    fields: Vec<String>,
    data: Vec<Vec<serde_json::Value>>,
}

#[derive(Deserialize)]
struct RawSizeEntry {
    cik_str: u64,
}

fn cik_from(n: u64) -> Result<Cik, LinkerError> {
    u32::try_from(n)
        .map(Cik::from)
        .map_err(|_| LinkerError::ReferenceFormat(format!("CIK {n} is out of range")))
}

impl Reference {
    /// Parses SEC `company_tickers_exchange.json` (`{"fields":[...],"data":[[cik, name, ticker,
    /// exchange], ...]}`, as served at www.sec.gov/files/company_tickers_exchange.json).
    /// Fields are found by name, so their order may change.
    pub fn from_sec_json(bytes: &[u8]) -> Result<Self, LinkerError> {
        let raw: RawExchangeList =
            serde_json::from_slice(bytes).map_err(LinkerError::ReferenceJson)?;
        let field = |name: &str| {
            raw.fields.iter().position(|f| f == name).ok_or_else(|| {
                LinkerError::ReferenceFormat(format!("no {name:?} in fields {:?}", raw.fields))
            })
        };
        let (i_cik, i_name, i_ticker, i_exchange) =
            (field("cik")?, field("name")?, field("ticker")?, field("exchange")?);
        let products = ProductList::shipped()?;
        let mut reference = Reference::default();
        for (n, row) in raw.data.iter().enumerate() {
            let bad = |what: &str| LinkerError::ReferenceFormat(format!("row {n}: {what}"));
            let cik = row
                .get(i_cik)
                .and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())))
                .ok_or_else(|| bad("no numeric cik"))?;
            let cik = cik_from(cik)?;
            let name = row.get(i_name).and_then(|v| v.as_str()).ok_or_else(|| bad("no name"))?;
            let ticker =
                row.get(i_ticker).and_then(|v| v.as_str()).ok_or_else(|| bad("no ticker"))?;
            let exchange = Exchange::from_sec(row.get(i_exchange).and_then(|v| v.as_str()));
            reference.push_row(cik, name, ticker.trim().to_ascii_uppercase(), exchange);
        }
        reference.finish(&products);
        Ok(reference)
    }

    /// The shipped Aug 2025 snapshot (`data/reference/`), ordered by size.
    pub fn shipped() -> Result<Self, LinkerError> {
        let mut r = Reference::from_sec_json(SHIPPED_EXCHANGE_LIST)?;
        r.apply_size_order(SHIPPED_SIZE_ORDER)?;
        Ok(r)
    }

    fn push_row(&mut self, cik: Cik, name: &str, ticker: String, exchange: Exchange) {
        let index = *self.by_cik.entry(cik).or_insert_with(|| {
            self.companies.push(Company {
                cik,
                name: name.to_owned(),
                main_ticker: None,
                securities: Vec::new(),
                size_rank: None,
                exchange_traded_product: false,
            });
            self.companies.len() - 1
        });
        let company = &mut self.companies[index];
        if company.main_ticker.is_none() && exchange.is_us_listing() {
            company.main_ticker = Some(ticker.clone());
        }
        company.securities.push(Security { ticker, exchange, kind: SecurityKind::Other });
    }

    fn finish(&mut self, products: &ProductList) {
        for (index, company) in self.companies.iter_mut().enumerate() {
            company.exchange_traded_product = products.is_product_issuer(&company.name)
                || company.main_ticker.as_deref().is_some_and(|t| products.has_ticker(t));
            let main = company.main_ticker.clone().unwrap_or_default();
            for s in &mut company.securities {
                s.kind = classify(&main, &s.ticker);
                self.by_ticker.entry(s.ticker.clone()).or_insert(index);
            }
        }
        let keys: Vec<(String, Option<usize>)> = self
            .companies
            .iter()
            .enumerate()
            .filter(|(_, c)| c.main_ticker.is_some())
            .map(|(i, c)| (issuer_key(&c.name), Some(i)))
            .collect();
        self.by_sorted_key = unique_keys(keys.iter().map(|(k, i)| (sorted_key(k), *i)).collect());
        self.by_issuer_key = unique_keys(keys);
    }

    /// The listed company a 13F issuer name refers to ("AMAZON COM INC", "BK OF AMERICA CORP"),
    /// matched on a normalised key, or as a prefix when the name was cut at 28 characters; `None`
    /// when no company, or more than one, fits.
    pub fn by_issuer_name(&self, name: &str) -> Option<&Company> {
        let key = issuer_key(name);
        if key.is_empty() {
            return None;
        }
        let at = self.by_issuer_key.partition_point(|(k, _)| k.as_str() < key.as_str());
        if let Some((k, hit)) = self.by_issuer_key.get(at)
            && *k == key
        {
            return hit.map(|i| &self.companies[i]);
        }
        if name.trim().len() < CUT_AT {
            return None;
        }
        // A cut name ends in a fragment ("... PROCESSING IN"): the rest must begin a key, and the
        // fragment must begin that key's next word (or a dropped legal form); all fits must agree.
        let (stem, fragment) = key.rsplit_once(' ').unwrap_or(("", key.as_str()));
        let start = self.by_issuer_key.partition_point(|(k, _)| k.as_str() < stem);
        let mut found = None;
        for (k, hit) in &self.by_issuer_key[start..] {
            let Some(rest) = k.strip_prefix(stem) else { break };
            let next = rest.trim_start().split(' ').next().unwrap_or("");
            let fits = if next.is_empty() { !stem.is_empty() } else { next.starts_with(fragment) };
            if !fits || (!rest.is_empty() && !rest.starts_with(' ') && !stem.is_empty()) {
                continue;
            }
            match (found, hit) {
                (None, Some(i)) => found = Some(*i),
                (Some(f), Some(i)) if f == *i => {}
                _ => return None,
            }
        }
        if let Some(i) = found {
            return Some(&self.companies[i]);
        }
        let sorted = sorted_key(&key);
        let at = self.by_sorted_key.partition_point(|(k, _)| k.as_str() < sorted.as_str());
        match self.by_sorted_key.get(at) {
            Some((k, Some(i))) if *k == sorted => Some(&self.companies[*i]),
            _ => None,
        }
    }

    /// Records each CIK's position in SEC `company_tickers.json` (`{"0":{"cik_str",...},...}`,
    /// ordered by market capitalisation): the size prior for ambiguous names.
    pub fn apply_size_order(&mut self, company_tickers_json: &[u8]) -> Result<(), LinkerError> {
        let raw: BTreeMap<String, RawSizeEntry> =
            serde_json::from_slice(company_tickers_json).map_err(LinkerError::ReferenceJson)?;
        let mut ordered: Vec<(u64, u64)> = Vec::with_capacity(raw.len());
        for (key, entry) in raw {
            let pos = key.parse::<u64>().map_err(|_| {
                LinkerError::ReferenceFormat(format!("size list key {key:?} is not a number"))
            })?;
            ordered.push((pos, entry.cik_str));
        }
        ordered.sort_unstable();
        for (rank, (_, cik)) in ordered.into_iter().enumerate() {
            let Ok(cik) = cik_from(cik) else { continue };
            if let Some(&i) = self.by_cik.get(&cik) {
                let c = &mut self.companies[i];
                let rank = u32::try_from(rank).unwrap_or(u32::MAX);
                c.size_rank = Some(c.size_rank.map_or(rank, |r| r.min(rank)));
            }
        }
        Ok(())
    }

    /// Every CIK, in order of first appearance in the SEC list.
    pub fn companies(&self) -> &[Company] {
        &self.companies
    }

    /// The company that lists `ticker` (SEC spelling, "BRK-B"), on any venue.
    pub fn by_ticker(&self, ticker: &str) -> Option<&Company> {
        self.by_ticker.get(ticker).map(|&i| &self.companies[i])
    }

    /// The company with this CIK.
    pub fn by_cik(&self, cik: Cik) -> Option<&Company> {
        self.by_cik.get(&cik).map(|&i| &self.companies[i])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"{"fields":["cik","name","ticker","exchange"],"data":[
        [1652044,"Alphabet Inc.","GOOGL","Nasdaq"],
        [1067983,"BERKSHIRE HATHAWAY INC","BRK-B","NYSE"],
        [884394,"SPDR S&P 500 ETF TRUST","SPY","NYSE"],
        [1652044,"Alphabet Inc.","GOOG","Nasdaq"],
        [1067983,"BERKSHIRE HATHAWAY INC","BRK-A","NYSE"],
        [1,"OTC ONLY CORP","OTCX","OTC"],
        [2,"LATE LISTING INC","LATEF","OTC"],
        [2,"LATE LISTING INC","LATE","Nasdaq"],
        [3,"NO VENUE INC","NOV",null],
        [312070,"BARCLAYS BANK PLC","VXX","CBOE"]]}"#;

    #[test]
    fn main_ticker_is_first_us_listing() {
        let r = Reference::from_sec_json(SAMPLE.as_bytes()).map_err(|e| e.to_string());
        let Ok(r) = r else { panic!("{r:?}") };
        let googl = r.by_ticker("GOOG").and_then(|c| c.main_ticker.clone());
        assert_eq!(googl.as_deref(), Some("GOOGL"));
        let brk = r.by_ticker("BRK-A");
        assert_eq!(brk.and_then(|c| c.main_ticker.as_deref()), Some("BRK-B"));
        let kinds: Vec<_> =
            brk.map(|c| c.securities.iter().map(|s| s.kind).collect()).unwrap_or_default();
        assert_eq!(kinds, [SecurityKind::Common, SecurityKind::ShareClass]);
        assert_eq!(r.by_ticker("LATEF").and_then(|c| c.main_ticker.as_deref()), Some("LATE"));
        assert!(r.by_ticker("OTCX").is_some_and(|c| !c.is_linkable()));
        assert!(r.by_ticker("NOV").is_some_and(|c| !c.is_linkable()));
        assert!(r.by_ticker("SPY").is_some_and(|c| !c.is_linkable()));
        assert!(r.by_ticker("VXX").is_some_and(|c| !c.is_linkable()));
        assert!(r.by_ticker("GOOGL").is_some_and(Company::is_linkable));
    }

    #[test]
    fn size_order_ranks_ciks() {
        let Ok(mut r) = Reference::from_sec_json(SAMPLE.as_bytes()) else { panic!() };
        let sizes = r#"{"1":{"cik_str":1067983,"ticker":"BRK-B","title":"x"},
                        "0":{"cik_str":1652044,"ticker":"GOOGL","title":"y"},
                        "2":{"cik_str":1652044,"ticker":"GOOG","title":"y"}}"#;
        assert!(r.apply_size_order(sizes.as_bytes()).is_ok());
        assert_eq!(r.by_ticker("GOOG").and_then(|c| c.size_rank), Some(0));
        assert_eq!(r.by_ticker("BRK-B").and_then(|c| c.size_rank), Some(1));
        assert_eq!(r.by_ticker("LATE").and_then(|c| c.size_rank), None);
    }

    #[test]
    fn bad_input_is_an_error() {
        assert!(Reference::from_sec_json(b"[1,2]").is_err());
        assert!(Reference::from_sec_json(br#"{"fields":["cik"],"data":[]}"#).is_err());
        let no_name =
            br#"{"fields":["cik","name","ticker","exchange"],"data":[[1,null,"A","NYSE"]]}"#;
        assert!(Reference::from_sec_json(no_name).is_err());
    }

    #[test]
    fn shipped_snapshot_loads() {
        let r = Reference::shipped().map_err(|e| e.to_string());
        let Ok(r) = r else { panic!("{r:?}") };
        assert!(r.companies().len() > 5000);
        assert_eq!(r.by_ticker("AAPL").and_then(|c| c.size_rank), Some(2));
        assert!(r.by_ticker("ANSC").is_some_and(Company::is_linkable));
    }
}

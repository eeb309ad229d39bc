//! The company reference list as the store keeps it.

use marketdesk_linker::Reference;
use marketdesk_store::{CompanyRecord, SecurityRecord};

fn label<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
}

/// The store's rows for a reference list: each company with its securities, exchange and kind
/// by their JSON names.
pub fn company_records(reference: &Reference) -> Vec<CompanyRecord> {
    reference
        .companies()
        .iter()
        .map(|c| CompanyRecord {
            cik: c.cik,
            name: c.name.clone(),
            main_ticker: c.main_ticker.clone(),
            size_rank: c.size_rank,
            exchange_traded_product: c.exchange_traded_product,
            securities: c
                .securities
                .iter()
                .map(|s| SecurityRecord {
                    ticker: s.ticker.clone(),
                    exchange: label(s.exchange),
                    kind: label(s.kind),
                })
                .collect(),
        })
        .collect()
}

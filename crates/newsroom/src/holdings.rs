//! The 13F desk over the store: a manager's quarter compared with the one before.

use std::collections::BTreeMap;

use marketdesk_core::{Cik, ThirteenF};
use marketdesk_desks::holdings::{
    PositionChange, Quarter, compare, concentration, positions_for_quarter,
};
use marketdesk_store::Store;

use crate::Result;

/// A manager's quarter, compared with the quarter before.
#[derive(Debug, Clone)]
pub struct ManagerQuarter {
    /// The manager's name as filed.
    pub name: Option<String>,
    /// The quarter.
    pub period: Quarter,
    /// Every position with its change.
    pub changes: Vec<PositionChange>,
    /// The top ten positions' share of the reported value, in percent.
    pub top10: Option<f64>,
}

/// The reports of `manager` grouped by quarter, and the chosen (or latest) quarter compared with
/// the one before.
pub async fn manager_quarter(
    store: &Store,
    manager: Cik,
    period: Option<Quarter>,
) -> Result<Option<ManagerQuarter>> {
    let reports = store.thirteen_f_for_manager(manager).await?;
    let mut by_quarter: BTreeMap<Quarter, Vec<&ThirteenF>> = BTreeMap::new();
    for r in &reports {
        if let Some(d) = r.report_period {
            by_quarter.entry(Quarter::of(d)).or_default().push(r);
        }
    }
    let Some(period) = period.or_else(|| by_quarter.keys().next_back().copied()) else {
        return Ok(None);
    };
    let Some(these) = by_quarter.get(&period) else { return Ok(None) };
    let current = positions_for_quarter(these);
    let prior = by_quarter.get(&period.previous()).map(|p| positions_for_quarter(p));
    let name = these.iter().find_map(|r| r.manager_name.clone());
    Ok(Some(ManagerQuarter {
        name,
        period,
        top10: concentration(&current, 10),
        changes: compare(&current, prior.as_deref()),
    }))
}

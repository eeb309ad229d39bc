//! What footnotes say about a row: a price given only in a footnote, a weighted-average price
//! range, and whether the trade was made under a Rule 10b5-1 plan.

/// Dollar amounts in the text, in order (`$208.33`, `US$ 1,250`).
fn dollar_amounts(text: &str) -> Vec<(usize, f64)> {
    let mut out = Vec::new();
    for (i, _) in text.match_indices('$') {
        let rest = text[i + 1..].trim_start();
        let num: String =
            rest.chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',').collect();
        let num = num.trim_end_matches(['.', ',']).replace(',', "");
        if let Ok(v) = num.parse::<f64>()
            && v.is_finite()
            && v >= 0.0
        {
            out.push((i, v));
        }
    }
    out
}

/// A weighted-average range stated in the footnote ("prices ranging from $208.33 to $209.31").
pub(crate) fn price_range(text: &str) -> Option<(f64, f64)> {
    if !text.contains('$') {
        return None;
    }
    let lower = text.to_ascii_lowercase();
    let at = lower.find("rang")?;
    let mut after = dollar_amounts(text).into_iter().filter(|(i, _)| *i > at);
    let (_, a) = after.next()?;
    let (_, b) = after.next()?;
    Some((a.min(b), a.max(b)))
}

/// The price a footnote gives for a row whose price column is empty: the amount after "weighted
/// average price", else the footnote's only dollar amount. A footnote stating only a range gives
/// no single price, so none is invented.
pub(crate) fn stated_price(text: &str) -> Option<f64> {
    if !text.contains('$') {
        return None;
    }
    let amounts = dollar_amounts(text);
    let lower = text.to_ascii_lowercase().replace('-', " ");
    if let Some(at) = lower.find("weighted average price")
        && let Some((_, v)) = amounts.iter().find(|(i, _)| *i > at)
        && price_range(text).is_none_or(|(lo, hi)| *v != lo && *v != hi)
    {
        return Some(*v);
    }
    match amounts.as_slice() {
        [(_, v)] => Some(*v),
        _ => None,
    }
}

/// Codes whose price is a trade price: purchases, sales, and shares withheld or disposed of to
/// the issuer at market value. A conversion or exercise footnote's "$17.00 per share" is the
/// derivative's strike, not what the shares changed hands for, so those rows keep no price.
pub(crate) fn is_market_priced(code: &str) -> bool {
    matches!(code, "P" | "S" | "F" | "D")
}

/// True when the footnote says the trade was made under a Rule 10b5-1 plan; a negation in the
/// clause before the citation ("not sold pursuant to") means it was not.
pub(crate) fn cites_10b5_1(text: &str) -> bool {
    if !text.contains("10") {
        return false;
    }
    let norm: String = text
        .chars()
        .map(|c| if matches!(c, '\u{2010}'..='\u{2015}' | '\u{2212}') { '-' } else { c })
        .collect::<String>()
        .to_ascii_lowercase();
    let mut found = false;
    for pat in ["10b5-1", "10b-5-1", "10b5 1"] {
        for (i, _) in norm.match_indices(pat) {
            // Only the clause that cites the rule can negate it: "not sold pursuant to ...".
            let clause_start = norm[..i].rfind(['.', ';']).map_or(0, |p| p + 1);
            let clause = &norm[clause_start..i];
            let negated = clause
                .split(|c: char| !c.is_ascii_alphanumeric() && c != '\'')
                .any(|w| matches!(w, "not" | "never" | "neither" | "nor") || w.ends_with("n't"));
            if !negated {
                found = true;
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const RANGE: &str = "This transaction was executed in multiple trades at prices ranging from \
        $208.33 to $209.31; the price reported above reflects the weighted average sale price.";

    #[test]
    fn range_is_read() {
        assert_eq!(price_range(RANGE), Some((208.33, 209.31)));
        assert_eq!(price_range("Sold at $5."), None);
    }

    #[test]
    fn a_range_alone_is_not_a_price() {
        assert_eq!(stated_price(RANGE), None);
    }

    #[test]
    fn stated_prices() {
        assert_eq!(
            stated_price(
                "The price reported is a weighted-average price of $12.34. Prices ranged from $12.00 to $12.50."
            ),
            Some(12.34)
        );
        assert_eq!(
            stated_price("Converted at a conversion price of $17.00 per share."),
            Some(17.0)
        );
        assert_eq!(stated_price("No price."), None);
        assert_eq!(stated_price("Bought for $1,250,000 in total, or $10 a share"), None);
    }

    #[test]
    fn rule_10b5_1() {
        assert!(cites_10b5_1(
            "Effected pursuant to a Rule 10b5-1 trading plan adopted on May 1, 2024."
        ));
        assert!(cites_10b5_1("pursuant to a Rule 10b5\u{2013}1 plan"));
        assert!(!cites_10b5_1("These shares were not sold pursuant to a Rule 10b5-1 plan."));
        assert!(!cites_10b5_1("Weighted average price."));
    }
}

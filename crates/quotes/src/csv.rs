//! The common daily CSV layout, as Yahoo Finance, Stooq and most brokers export it.

use jiff::civil::Date;

use marketdesk_core::DailyBar;

/// A row that could not be read; the rest of the file still is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    /// 1-based line number.
    pub line: usize,
    /// Why.
    pub reason: String,
}

/// A file that cannot be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CsvError {
    /// The header lacks a required column.
    #[error("header has no {0} column (expected Date,Open,High,Low,Close,Volume)")]
    MissingColumn(&'static str),
    /// No ticker column and no ticker from the file name.
    #[error("no Ticker column, and the file name gives no ticker")]
    NoTicker,
    /// The file is empty.
    #[error("empty file")]
    Empty,
}

struct Columns {
    date: usize,
    open: Option<usize>,
    high: Option<usize>,
    low: Option<usize>,
    close: usize,
    volume: Option<usize>,
    ticker: Option<usize>,
}

fn columns(header: &str) -> Result<Columns, CsvError> {
    let names: Vec<String> = header
        .split(',')
        .map(|h| h.trim().trim_matches('"').trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let find = |want: &[&str]| names.iter().position(|n| want.contains(&n.as_str()));
    Ok(Columns {
        date: find(&["date", "day", "timestamp"]).ok_or(CsvError::MissingColumn("Date"))?,
        open: find(&["open"]),
        high: find(&["high"]),
        low: find(&["low"]),
        close: find(&["close", "close/last", "price"]).ok_or(CsvError::MissingColumn("Close"))?,
        volume: find(&["volume", "vol"]),
        ticker: find(&["ticker", "symbol"]),
    })
}

fn price(field: Option<&str>) -> Result<Option<f64>, String> {
    let Some(raw) = field.map(|f| f.trim().trim_matches('"').trim_start_matches('$')) else {
        return Ok(None);
    };
    if raw.is_empty() || raw.eq_ignore_ascii_case("null") || raw == "-" {
        return Ok(None);
    }
    raw.replace(',', "")
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite() && *v >= 0.0)
        .map(Some)
        .ok_or_else(|| format!("not a price: {raw:?}"))
}

fn date(raw: &str) -> Result<Date, String> {
    let raw = raw.trim().trim_matches('"');
    let iso = raw.get(..10).unwrap_or(raw);
    if let Ok(d) = iso.parse() {
        return Ok(d);
    }
    // Nasdaq.com exports write MM/DD/YYYY.
    let parts: Vec<&str> = raw.split('/').collect();
    if let [m, d, y] = parts.as_slice()
        && let (Ok(m), Ok(d), Ok(y)) = (m.parse::<i8>(), d.parse::<i8>(), y.parse::<i16>())
        && let Ok(date) = Date::new(y, m, d)
    {
        return Ok(date);
    }
    Err(format!("not a date: {raw:?}"))
}

/// Reads a daily CSV. `ticker` names the file's ticker when the file has no Ticker column (one
/// file per ticker, named by it). Bars come back sorted by ticker and date, one per day (a
/// repeated day keeps its last row); unreadable rows are returned beside them.
pub fn parse_csv(
    text: &str,
    ticker: Option<&str>,
) -> Result<(Vec<DailyBar>, Vec<BadRow>), CsvError> {
    let mut lines = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
    let (_, header) = lines.next().ok_or(CsvError::Empty)?;
    let cols = columns(header)?;
    let fixed_ticker = ticker.map(|t| t.trim().to_ascii_uppercase());
    if cols.ticker.is_none() && fixed_ticker.as_deref().is_none_or(str::is_empty) {
        return Err(CsvError::NoTicker);
    }
    let mut bars = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in lines {
        let fields: Vec<&str> = line.split(',').collect();
        let get = |c: Option<usize>| c.and_then(|c| fields.get(c).copied());
        let row = (|| -> Result<DailyBar, String> {
            let ticker = match (cols.ticker, &fixed_ticker) {
                (Some(c), _) => fields
                    .get(c)
                    .map(|t| t.trim().trim_matches('"').to_ascii_uppercase())
                    .filter(|t| !t.is_empty())
                    .ok_or("no ticker")?,
                (None, Some(t)) => t.clone(),
                (None, None) => return Err("no ticker".to_owned()),
            };
            let date = date(fields.get(cols.date).ok_or("no date")?)?;
            let close = price(get(Some(cols.close)))?.ok_or("no close")?;
            let volume = match get(cols.volume).map(str::trim).filter(|v| !v.is_empty()) {
                None => None,
                Some(v) => Some(
                    v.replace(',', "")
                        .parse::<f64>()
                        .ok()
                        .filter(|x| x.is_finite() && *x >= 0.0)
                        .map(|x| x.round() as u64)
                        .ok_or_else(|| format!("not a volume: {v:?}"))?,
                ),
            };
            Ok(DailyBar {
                ticker,
                date,
                open: price(get(cols.open))?,
                high: price(get(cols.high))?,
                low: price(get(cols.low))?,
                close,
                volume,
            })
        })();
        match row {
            Ok(b) => bars.push(b),
            Err(reason) => bad.push(BadRow { line: i + 1, reason }),
        }
    }
    bars.sort_by(|a, b| (a.ticker.as_str(), a.date).cmp(&(b.ticker.as_str(), b.date)));
    // Later rows of the same day win: exports append corrections.
    let mut deduped: Vec<DailyBar> = Vec::with_capacity(bars.len());
    for b in bars {
        match deduped.last_mut() {
            Some(last) if last.ticker == b.ticker && last.date == b.date => *last = b,
            _ => deduped.push(b),
        }
    }
    Ok((deduped, bad))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yahoo_layout_one_ticker_per_file() {
        let text = "Date,Open,High,Low,Close,Volume,Adj Close\n\
                    2024-01-03,10.5,11,10,10.75,1000,10.7\n\
                    2024-01-02,10,10.6,9.9,10.5,900,10.4\n";
        let (bars, bad) = parse_csv(text, Some("aapl")).expect("parses");
        assert!(bad.is_empty());
        assert_eq!(bars.len(), 2);
        assert_eq!(bars[0].date.to_string(), "2024-01-02", "sorted by date");
        assert_eq!(bars[1].ticker, "AAPL");
        assert_eq!(bars[1].close, 10.75);
        assert_eq!(bars[1].volume, Some(1000));
    }

    #[test]
    fn ticker_column_and_bad_rows() {
        let text = "Ticker,Date,Open,High,Low,Close,Volume\n\
                    MSFT,2024-01-02,1,2,1,1.5,10\n\
                    MSFT,2024-13-02,1,2,1,1.5,10\n\
                    IBM,2024-01-02,1,2,1,null,10\n\
                    IBM,01/03/2024,1,2,1,\"2.5\",\n";
        let (bars, bad) = parse_csv(text, None).expect("parses");
        assert_eq!(bars.iter().map(|b| b.ticker.as_str()).collect::<Vec<_>>(), ["IBM", "MSFT"]);
        assert_eq!(bars[0].date.to_string(), "2024-01-03");
        assert_eq!(bad.iter().map(|b| b.line).collect::<Vec<_>>(), [3, 4]);
        assert!(bad[0].reason.contains("not a date"));
        assert!(bad[1].reason.contains("no close"));
    }

    #[test]
    fn unusable_files_say_why() {
        assert_eq!(parse_csv("", Some("X")), Err(CsvError::Empty));
        assert_eq!(parse_csv("Date,Open\n", Some("X")), Err(CsvError::MissingColumn("Close")));
        assert_eq!(parse_csv("Date,Close\n2024-01-02,1\n", None), Err(CsvError::NoTicker));
    }
}

//! Dates as feeds write them: RFC 822 and its real-world variants, and ISO 8601 / RFC 3339.
//!
//! RFC 822 text is read as tokens rather than by one fixed layout, because real feeds move the
//! parts around: seconds missing (`13:55 GMT`), two-digit years and a colon-less time
//! (`03 Apr 02 1500 GMT`), the month first (`Sat, Dec 16 2023 02:02:33 PM`), line breaks inside
//! the text, and day and month names in Portuguese, Spanish, French, German, Italian, Dutch or
//! Russian (`Seg, 24 Set 2018 19:42:40 -0300`). The weekday is never checked against the date.
//!
//! Zone names mean what RFC 822 and common usage say, whatever the season: `EST` is always
//! −05:00 even in August. A date written without any zone is read as UTC, and
//! [`FeedDate::offset_seconds`] is then `None` so that the caller can say so.

use jiff::{Timestamp, civil::DateTime, tz::Offset};

/// A date read from a feed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeedDate {
    /// The instant.
    pub timestamp: Timestamp,
    /// The UTC offset the text was written in, in seconds east of UTC (`-0300` is −10800, `EST`
    /// is −18000, `GMT` and `Z` are 0); `None` when the text named no zone and UTC was assumed.
    pub offset_seconds: Option<i32>,
}

/// Reads a feed date; `None` when the text is not a date this reader knows.
pub fn parse_date(text: &str) -> Option<FeedDate> {
    let text = text.trim();
    if text.len() > 100 {
        return None;
    }
    let bytes = text.as_bytes();
    if bytes.len() >= 7 && bytes[..4].iter().all(u8::is_ascii_digit) && bytes[4] == b'-' {
        return iso(text);
    }
    rfc822(text)
}

/// The civil fields a date text gave.
#[derive(Debug, Default)]
struct Parts {
    year: Option<i32>,
    month: Option<i8>,
    day: Option<i8>,
    hour: i8,
    minute: i8,
    second: i8,
    nanos: i32,
    offset: Option<i32>,
}

impl Parts {
    fn finish(self) -> Option<FeedDate> {
        let (year, month, day) = (self.year?, self.month?, self.day?);
        let second = self.second.min(59); // a leap second
        let year = i16::try_from(year).ok().filter(|y| (1..=9999).contains(y))?;
        let dt =
            DateTime::new(year, month, day, self.hour, self.minute, second, self.nanos).ok()?;
        let offset = Offset::from_seconds(self.offset.unwrap_or(0)).ok()?;
        let timestamp = offset.to_timestamp(dt).ok()?;
        Some(FeedDate { timestamp, offset_seconds: self.offset })
    }
}

/// `YYYY-MM-DD`, optionally `T` or a space and `hh:mm[:ss[.fff]]`, optionally `Z`, `±hh:mm`,
/// `±hhmm`, `±hh` or a zone name. `YYYY-MM` alone means the first of the month.
fn iso(text: &str) -> Option<FeedDate> {
    let mut s = Scanner(text.as_bytes());
    let mut parts = Parts { year: Some(s.number(4, 4)?), ..Parts::default() };
    s.expect(b'-')?;
    parts.month = Some(s.number(1, 2)?);
    parts.day = Some(if s.eat(b'-') { s.number(1, 2)? } else { 1 });
    if s.eat(b'T') || s.eat(b't') || (s.eat(b' ') && s.peek_digit()) {
        s.skip_spaces();
        parts.hour = s.number(1, 2)?;
        s.expect(b':')?;
        parts.minute = s.number(2, 2)?;
        if s.eat(b':') {
            parts.second = s.number(2, 2)?;
            if s.eat(b'.') || s.eat(b',') {
                parts.nanos = s.fraction()?;
            }
        }
    }
    s.skip_spaces();
    if !s.is_empty() {
        let rest = std::str::from_utf8(s.0).ok()?;
        parts.offset = Some(match rest {
            "Z" | "z" => 0,
            _ => numeric_offset(rest).or_else(|| zone_name(&rest.to_ascii_lowercase()))?,
        });
    }
    parts.finish()
}

/// A small cursor over ASCII.
struct Scanner<'a>(&'a [u8]);

impl Scanner<'_> {
    fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    fn eat(&mut self, b: u8) -> bool {
        if self.0.first() == Some(&b) {
            self.0 = &self.0[1..];
            true
        } else {
            false
        }
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        self.eat(b).then_some(())
    }

    fn peek_digit(&self) -> bool {
        self.0.first().is_some_and(u8::is_ascii_digit)
    }

    fn skip_spaces(&mut self) {
        while self.eat(b' ') {}
    }

    /// A run of `min..=max` digits.
    fn number<T: TryFrom<i64>>(&mut self, min: usize, max: usize) -> Option<T> {
        let len = self.0.iter().take(max).take_while(|b| b.is_ascii_digit()).count();
        if len < min {
            return None;
        }
        let value = self.0[..len].iter().fold(0i64, |v, b| v * 10 + i64::from(b - b'0'));
        self.0 = &self.0[len..];
        T::try_from(value).ok()
    }

    /// Fractional-second digits as nanoseconds (digits past the ninth are dropped).
    fn fraction(&mut self) -> Option<i32> {
        let len = self.0.iter().take_while(|b| b.is_ascii_digit()).count();
        if len == 0 {
            return None;
        }
        let nanos = self.0[..len.min(9)]
            .iter()
            .chain(std::iter::repeat_n(&b'0', 9 - len.min(9)))
            .fold(0i32, |v, b| v * 10 + i32::from(b - b'0'));
        self.0 = &self.0[len..];
        Some(nanos)
    }
}

/// `+hhmm`, `-hh:mm`, `+hh`, in seconds east of UTC.
fn numeric_offset(s: &str) -> Option<i32> {
    let sign = match s.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: Vec<u8> = s.bytes().skip(1).filter(|&b| b != b':').collect();
    if !digits.iter().all(u8::is_ascii_digit) || s[1..].matches(':').count() > 1 {
        return None;
    }
    let n = |d: &[u8]| d.iter().fold(0i32, |v, b| v * 10 + i32::from(b - b'0'));
    let (hours, minutes) = match digits.len() {
        1 | 2 => (n(&digits), 0),
        4 => (n(&digits[..2]), n(&digits[2..])),
        _ => return None,
    };
    (hours <= 23 && minutes <= 59).then_some(sign * (hours * 3600 + minutes * 60))
}

/// Zone abbreviations, lower case, in seconds east of UTC. Ambiguous ones (IST, CST as China)
/// take their North American or most common reading.
fn zone_name(name: &str) -> Option<i32> {
    const H: i32 = 3600;
    Some(match name {
        "z" | "ut" | "utc" | "gmt" | "wet" | "zulu" => 0,
        "est" => -5 * H,
        "edt" => -4 * H,
        "cst" => -6 * H,
        "cdt" => -5 * H,
        "mst" => -7 * H,
        "mdt" => -6 * H,
        "pst" => -8 * H,
        "pdt" => -7 * H,
        "akst" => -9 * H,
        "akdt" => -8 * H,
        "hst" => -10 * H,
        "ast" => -4 * H,
        "adt" => -3 * H,
        "nst" => -(3 * H + 1800),
        "ndt" => -(2 * H + 1800),
        "brt" | "art" => -3 * H,
        "brst" => -2 * H,
        "bst" | "cet" | "met" | "west" | "wat" => H,
        "cest" | "mest" | "eet" | "sast" | "cat" => 2 * H,
        "eest" | "msk" | "eat" => 3 * H,
        "msd" => 4 * H,
        "awst" | "hkt" | "sgt" | "pht" => 8 * H,
        "jst" | "kst" => 9 * H,
        "acst" => 9 * H + 1800,
        "aest" => 10 * H,
        "acdt" => 10 * H + 1800,
        "aedt" => 11 * H,
        "nzst" => 12 * H,
        "nzdt" => 13 * H,
        _ => return None,
    })
}

/// Month names in the languages feeds are written in, lower case; a token names a month when
/// it is at least three letters long and starts exactly one month's names.
const MONTHS: [&[&str]; 12] = [
    &[
        "january",
        "janeiro",
        "enero",
        "janvier",
        "januar",
        "jänner",
        "gennaio",
        "januari",
        "январь",
        "января",
    ],
    &[
        "february",
        "fevereiro",
        "febrero",
        "février",
        "fevrier",
        "februar",
        "febbraio",
        "februari",
        "февраль",
        "февраля",
    ],
    &["march", "março", "marco", "marzo", "mars", "märz", "maerz", "mrz", "maart", "март", "марта"],
    &["april", "abril", "avril", "aprile", "апрель", "апреля"],
    &["may", "maio", "mayo", "mai", "maggio", "mei", "май", "мая"],
    &["june", "junho", "junio", "juin", "juni", "giugno", "июнь", "июня"],
    &["july", "julho", "julio", "juillet", "juli", "luglio", "июль", "июля"],
    &["august", "agosto", "août", "aout", "augustus", "август", "августа"],
    &[
        "september",
        "setembro",
        "septiembre",
        "setiembre",
        "septembre",
        "settembre",
        "сентябрь",
        "сентября",
    ],
    &["october", "outubro", "octubre", "octobre", "oktober", "ottobre", "октябрь", "октября"],
    &["november", "novembro", "noviembre", "novembre", "ноябрь", "ноября"],
    &[
        "december",
        "dezembro",
        "diciembre",
        "décembre",
        "decembre",
        "dezember",
        "dicembre",
        "декабрь",
        "декабря",
    ],
];

fn month(token: &str) -> Option<i8> {
    if token.chars().count() < 3 {
        return None;
    }
    let mut found = None;
    for (i, names) in MONTHS.iter().enumerate() {
        if names.iter().any(|n| n.starts_with(token)) {
            if found.is_some() {
                return None;
            }
            found = Some(i as i8 + 1);
        }
    }
    found
}

/// One piece of an RFC 822-like date.
enum Token<'a> {
    Number { value: i32, digits: usize },
    Time { hour: i8, minute: i8, second: i8, nanos: i32 },
    Offset(i32),
    Word { lower: String, before_comma: bool, index: usize, original: &'a str },
}

fn tokens(text: &str) -> Option<Vec<Token<'_>>> {
    let mut out = Vec::new();
    for (index, raw) in text.split_whitespace().enumerate() {
        let before_comma = raw.ends_with(',');
        for piece in raw.split(',').filter(|p| !p.is_empty()) {
            split_piece(piece, before_comma, index, &mut out)?;
        }
    }
    Some(out)
}

/// Splits a whitespace-free piece: `24-Sep-2018`, `GMT+0100`, `13:55Z`, `10:00pm`, `1st`.
fn split_piece<'a>(
    piece: &'a str,
    before_comma: bool,
    index: usize,
    out: &mut Vec<Token<'a>>,
) -> Option<()> {
    let bytes = piece.as_bytes();
    let Some(&first) = bytes.first() else {
        return Some(());
    };
    if matches!(first, b'+' | b'-') {
        out.push(Token::Offset(numeric_offset(piece)?));
        return Some(());
    }
    if first.is_ascii_digit() {
        let digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
        if bytes.get(digits) == Some(&b':') {
            return time(piece, out);
        }
        let value = piece[..digits].parse().ok()?;
        out.push(Token::Number { value, digits });
        let rest = &piece[digits..];
        return match rest.to_ascii_lowercase().as_str() {
            "" | "st" | "nd" | "rd" | "th" | "." => Some(()),
            _ if rest.starts_with(['-', '/', '.']) && rest.len() > 1 => {
                split_piece(&rest[1..], before_comma, index, out)
            }
            _ => split_piece(rest, before_comma, index, out),
        };
    }
    // A word, possibly followed by a numeric offset (`GMT+0100`) or a dash (`Sep-2018`).
    let end = piece.find(|c: char| !c.is_alphabetic() && c != '.').unwrap_or(piece.len());
    if end == 0 {
        return None;
    }
    let word = piece[..end].trim_end_matches('.');
    out.push(Token::Word { lower: word.to_lowercase(), before_comma, index, original: word });
    let rest = &piece[end..];
    match rest.strip_prefix('-') {
        _ if rest.is_empty() => Some(()),
        // `Sep-2018`; after anything else a sign starts an offset (`GMT-0500`).
        Some(after) if month(&word.to_lowercase()).is_some() => {
            split_piece(after, before_comma, index, out)
        }
        _ => split_piece(rest, before_comma, index, out),
    }
}

/// `hh:mm[:ss[.fff]]`, possibly with `Z`, an offset or `am`/`pm` attached.
fn time<'a>(piece: &'a str, out: &mut Vec<Token<'a>>) -> Option<()> {
    let mut s = Scanner(piece.as_bytes());
    let hour = s.number(1, 2)?;
    s.expect(b':')?;
    let minute = s.number(2, 2)?;
    let (mut second, mut nanos) = (0, 0);
    if s.eat(b':') {
        second = s.number(2, 2)?;
        if s.eat(b'.') {
            nanos = s.fraction()?;
        }
    }
    out.push(Token::Time { hour, minute, second, nanos });
    let rest = std::str::from_utf8(s.0).ok()?;
    if rest.is_empty() {
        return Some(());
    }
    split_piece(rest, false, usize::MAX, out)
}

/// RFC 822 and its variants, read token by token.
fn rfc822(text: &str) -> Option<FeedDate> {
    let tokens = tokens(text)?;
    let mut parts = Parts::default();
    let mut months = Vec::new();
    let mut time_seen = false;
    let mut pm = None;
    let mut numbers = Vec::new();
    for token in &tokens {
        match token {
            Token::Number { value, digits } => numbers.push((*value, *digits)),
            Token::Time { hour, minute, second, nanos } => {
                if time_seen {
                    return None;
                }
                time_seen = true;
                (parts.hour, parts.minute, parts.second, parts.nanos) =
                    (*hour, *minute, *second, *nanos);
            }
            // A numeric offset after a zone name (`GMT+0100`) wins over the name.
            Token::Offset(seconds) => parts.offset = Some(*seconds),
            Token::Word { lower, before_comma, index, original } => match lower.as_str() {
                "am" | "a.m" => pm = Some(false),
                "pm" | "p.m" => pm = Some(true),
                "de" | "of" | "at" | "um" | "à" | "le" | "der" | "den" | "г" => {}
                _ => {
                    if let Some(m) = month(lower) {
                        months.push((m, *before_comma, *index));
                    } else if let Some(offset) = zone_name(lower) {
                        if parts.offset.is_none() {
                            parts.offset = Some(offset);
                        }
                    } else if original.len() == 1 && original != &"Z" {
                        // Military single-letter zones other than Z are too ambiguous to use.
                        return None;
                    }
                    // Other words are weekday names or filler, in any language.
                }
            },
        }
    }
    // A weekday that is also a month abbreviation (Spanish and French "mar" for Tuesday)
    // comes first and before a comma.
    if months.len() > 1 {
        months.retain(|&(_, before_comma, index)| !(index == 0 || before_comma));
    }
    let [(month, _, _)] = months[..] else {
        return numeric_date(&numbers, parts, pm);
    };
    parts.month = Some(month);
    for (value, digits) in numbers {
        match digits {
            4 if parts.year.is_none() => parts.year = Some(value),
            1 | 2 if parts.day.is_none() => parts.day = Some(value as i8),
            1..=3 if parts.year.is_none() => parts.year = Some(two_digit_year(value, digits)),
            3 | 4 if !time_seen => {
                // `03 Apr 02 1500 GMT`: a time without a colon after the year.
                time_seen = true;
                parts.hour = (value / 100) as i8;
                parts.minute = (value % 100) as i8;
                if parts.hour > 23 || parts.minute > 59 {
                    return None;
                }
            }
            _ => return None,
        }
    }
    apply_meridiem(&mut parts, pm)?;
    parts.finish()
}

/// Dates with no month name: `2018/09/24 19:42`.
fn numeric_date(numbers: &[(i32, usize)], mut parts: Parts, pm: Option<bool>) -> Option<FeedDate> {
    let [(year, 4), (month, 1 | 2), (day, 1 | 2)] = numbers[..] else {
        return None;
    };
    parts.year = Some(year);
    parts.month = Some(i8::try_from(month).ok()?);
    parts.day = Some(i8::try_from(day).ok()?);
    apply_meridiem(&mut parts, pm)?;
    parts.finish()
}

/// RFC 2822's reading of short years: 00–49 are 2000–2049, 50–99 are 1950–1999, three digits
/// count from 1900.
fn two_digit_year(value: i32, digits: usize) -> i32 {
    match (digits, value) {
        (3, v) => 1900 + v,
        (_, v) if v < 50 => 2000 + v,
        (_, v) => 1900 + v,
    }
}

fn apply_meridiem(parts: &mut Parts, pm: Option<bool>) -> Option<()> {
    match pm {
        None => {}
        Some(_) if !(1..=12).contains(&parts.hour) => return None,
        Some(true) if parts.hour < 12 => parts.hour += 12,
        Some(false) if parts.hour == 12 => parts.hour = 0,
        Some(_) => {}
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, RFC 3339 UTC instant, offset as written in seconds).
    const TABLE: &[(&str, &str, Option<i32>)] = &[
        // RFC 822 as specified, and as feeds write it.
        ("Fri, 24 Jan 2025 11:00:00 -0500", "2025-01-24T16:00:00Z", Some(-18000)),
        ("Sat, 22 Aug 2026 21:20:27 +0000", "2026-08-22T21:20:27Z", Some(0)),
        ("Sat, 22 Aug 2026 18:51:50 GMT", "2026-08-22T18:51:50Z", Some(0)),
        ("Mon, 29 Jul 2019 13:55 GMT", "2019-07-29T13:55:00Z", Some(0)),
        ("03 Apr 02 1500 GMT", "2002-04-03T15:00:00Z", Some(0)),
        ("Wed, 17 Jan 2018 15:50:00 EST", "2018-01-17T20:50:00Z", Some(-18000)),
        ("Tue, 21 Aug 2012 10:33:00 EST", "2012-08-21T15:33:00Z", Some(-18000)),
        ("Tue, 7 Aug 2012 11:02:03 EDT", "2012-08-07T15:02:03Z", Some(-14400)),
        ("Thu, 01 Jan 2015 00:00:00 PST", "2015-01-01T08:00:00Z", Some(-28800)),
        ("Thu, 01 Jan 2015 00:00:00 PDT", "2015-01-01T07:00:00Z", Some(-25200)),
        ("Thu, 01 Jan 2015 00:00:00 CST", "2015-01-01T06:00:00Z", Some(-21600)),
        ("Thu, 01 Jan 2015 00:00:00 CDT", "2015-01-01T05:00:00Z", Some(-18000)),
        ("Thu, 01 Jan 2015 00:00:00 MST", "2015-01-01T07:00:00Z", Some(-25200)),
        ("Thu, 01 Jan 2015 00:00:00 MDT", "2015-01-01T06:00:00Z", Some(-21600)),
        ("Thu, 01 Jan 2015 00:00:00 UT", "2015-01-01T00:00:00Z", Some(0)),
        ("Thu, 01 Jan 2015 00:00:00 Z", "2015-01-01T00:00:00Z", Some(0)),
        ("Thu, 01 Jan 2015 00:00:00 +05:30", "2014-12-31T18:30:00Z", Some(19800)),
        ("Thu, 01 Jan 2015 00:00:00 GMT+0100", "2014-12-31T23:00:00Z", Some(3600)),
        ("Wed, 03 Jan 2018 13:47:00 GMT\r\n      ", "2018-01-03T13:47:00Z", Some(0)),
        ("Wed,\n 03 Jan\n 2018 13:47:00\n GMT", "2018-01-03T13:47:00Z", Some(0)),
        ("Wed, 22 Jan 2014 20:31:31 +0600", "2014-01-22T14:31:31Z", Some(21600)),
        ("Sat, Dec 16 2023 02:02:33 PM", "2023-12-16T14:02:33Z", None),
        ("Dec 16, 2023 12:05 AM EST", "2023-12-16T05:05:00Z", Some(-18000)),
        ("16 December 2023", "2023-12-16T00:00:00Z", None),
        ("24-Sep-2018 10:00:00 GMT", "2018-09-24T10:00:00Z", Some(0)),
        ("Sun, 17 Dec 2023 00:58:40 -0500", "2023-12-17T05:58:40Z", Some(-18000)),
        ("Mon, 31 Dec 2016 23:59:60 GMT", "2016-12-31T23:59:59Z", Some(0)),
        ("Tue, 1st Jan 2019 10:00 GMT", "2019-01-01T10:00:00Z", Some(0)),
        // Other languages.
        ("Seg, 24 Set 2018 19:42:40 -0300", "2018-09-24T22:42:40Z", Some(-10800)),
        ("Mar, 24 Sep 2018 19:42:40 -0300", "2018-09-24T22:42:40Z", Some(-10800)),
        ("mar., 02 oct. 2018 08:00:00 +0200", "2018-10-02T06:00:00Z", Some(7200)),
        ("Di, 13 Mär 2018 10:00:00 +0100", "2018-03-13T09:00:00Z", Some(3600)),
        ("Mi, 14 Okt 2020 10:00:00 +0200", "2020-10-14T08:00:00Z", Some(7200)),
        ("mer, 15 déc 2021 10:00:00 +0100", "2021-12-15T09:00:00Z", Some(3600)),
        ("gio, 02 giu 2022 10:00:00 +0200", "2022-06-02T08:00:00Z", Some(7200)),
        ("Sex, 05 Out 2018 07:00:00 -0300", "2018-10-05T10:00:00Z", Some(-10800)),
        ("Ср, 22 янв 2014 20:31:31 +0600", "2014-01-22T14:31:31Z", Some(21600)),
        ("22 мая 2014 20:31 +0400", "2014-05-22T16:31:00Z", Some(14400)),
        // ISO 8601 / RFC 3339.
        ("2023-01-25T19:03:02+01:00", "2023-01-25T18:03:02Z", Some(3600)),
        ("2018-01-31T20:15:15Z", "2018-01-31T20:15:15Z", Some(0)),
        ("2017-11-08T18:15:58-05:00", "2017-11-08T23:15:58Z", Some(-18000)),
        ("2017-11-08T18:15:58.123456789-05:00", "2017-11-08T23:15:58.123456789Z", Some(-18000)),
        ("2017-11-08T18:15:58.5Z", "2017-11-08T18:15:58.5Z", Some(0)),
        ("2017-11-08 18:15:58 +0100", "2017-11-08T17:15:58Z", Some(3600)),
        ("2017-11-08 18:15:58 GMT", "2017-11-08T18:15:58Z", Some(0)),
        ("2017-11-08T18:15:58", "2017-11-08T18:15:58Z", None),
        ("2017-11-08T18:15", "2017-11-08T18:15:00Z", None),
        ("2017-11-08", "2017-11-08T00:00:00Z", None),
        ("2017-11", "2017-11-01T00:00:00Z", None),
        ("2017-11-08T18:15:58+05", "2017-11-08T13:15:58Z", Some(18000)),
        ("2018/09/24 19:42", "2018-09-24T19:42:00Z", None),
        ("24-Sep- 2018 10:00 GMT", "2018-09-24T10:00:00Z", Some(0)),
    ];

    #[test]
    fn dates_feeds_write() {
        for &(text, utc, offset) in TABLE {
            let parsed = parse_date(text).unwrap_or_else(|| panic!("{text:?} did not parse"));
            assert_eq!(parsed.timestamp.to_string(), utc, "{text:?}");
            assert_eq!(parsed.offset_seconds, offset, "{text:?}");
        }
    }

    #[test]
    fn not_dates() {
        for text in [
            "",
            "   ",
            "yesterday",
            "Mon, 32 Jan 2018 10:00:00 GMT",
            "Mon, 29 Feb 2019 10:00:00 GMT",
            "Mon, 10 Jan 2018 25:00:00 GMT",
            "Mon, 10 Foo 2018 10:00:00 GMT",
            "Mon, 10 Jan 2018 10:00:00 +2400",
            "Mon, 10 Jan 2018 10:00:00 10:00:00",
            "10 2018",
            "2018-13-01",
            "2018-02-30T10:00:00Z",
            "2018-01-01T10:00:00Q",
            "2018-01-01T1000",
            "13:00 PM 10 Jan 2018",
            "Mon, 10 Jan 2018 10:00:00 A",
        ] {
            assert_eq!(parse_date(text), None, "{text:?}");
        }
    }

    #[test]
    fn month_names_must_be_unambiguous() {
        assert_eq!(month("set"), Some(9));
        assert_eq!(month("mar"), Some(3));
        assert_eq!(month("jui"), None);
        assert_eq!(month("ju"), None);
        assert_eq!(month("sept"), Some(9));
        assert_eq!(month("janv"), Some(1));
        assert_eq!(month("июня"), Some(6));
    }
}

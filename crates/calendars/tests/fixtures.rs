//! Every fixture read whole: counts, times in UTC, text, and no problems where there are none
//! (see `fixtures/MANIFEST.md` for what each file exercises).

use jiff::civil::date;
use marketdesk_calendars::{Calendar, KeyDate, When, parse};

fn read(name: &str) -> Calendar {
    let path = format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("fixture");
    parse(&bytes, name).expect("calendar")
}

fn at(event: &KeyDate) -> String {
    match event.when {
        When::At(t) => t.to_string(),
        When::Day { .. } => panic!("{} is a whole-day event", event.uid),
    }
}

fn find<'a>(calendar: &'a Calendar, needle: &str) -> &'a KeyDate {
    calendar.events.iter().find(|e| e.summary.contains(needle)).expect(needle)
}

#[test]
fn fomc_meetings_are_two_day_ranges() {
    let fomc = read("fomc.ics");
    assert!(fomc.problems.is_empty(), "{:?}", fomc.problems);
    assert_eq!(fomc.name.as_deref(), Some("FOMC meetings 2025-2027"));
    assert_eq!(fomc.events.len(), 25);
    let december = fomc
        .events
        .iter()
        .find(|e| e.uid == "fomc-20261208@key-dates.market-newsdesk")
        .expect("Dec 2026");
    assert_eq!(december.when, When::Day { start: date(2026, 12, 8), end: date(2026, 12, 9) });
    assert_eq!(december.summary, "FOMC meeting");
    assert_eq!(december.categories, ["FOMC", "CENTRAL BANK"]);
    assert_eq!(
        december.url.as_deref(),
        Some("https://www.federalreserve.gov/monetarypolicy/fomccalendars.htm")
    );
    assert!(!december.tentative);
    assert!(
        december.description.as_deref().is_some_and(|d| d.contains("Tuesday, December 8, 2026"))
    );
    assert_eq!(december.source, "fomc.ics");
    // 2027 and January 2028 were published as tentative.
    assert_eq!(fomc.events.iter().filter(|e| e.tentative).count(), 9);
    for event in &fomc.events {
        let When::Day { start, end } = event.when else { panic!("{}", event.uid) };
        assert_eq!(start.tomorrow().ok(), Some(end), "{}", event.uid);
    }
}

#[test]
fn economic_releases_are_instants_in_new_york_time() {
    let releases = read("us-economic-releases-2026.ics");
    assert!(releases.problems.is_empty(), "{:?}", releases.problems);
    assert_eq!(releases.events.len(), 28);
    // 8:30 a.m. EDT.
    let march_cpi = find(&releases, "Consumer Price Index for March 2026");
    assert_eq!(at(march_cpi), "2026-04-10T12:30:00Z");
    assert_eq!(march_cpi.categories, ["CPI", "US ECONOMIC DATA"]);
    // 8:30 a.m. EST.
    assert_eq!(
        at(find(&releases, "Employment Situation for December 2025")),
        "2026-01-09T13:30:00Z"
    );
    assert_eq!(
        at(find(&releases, "Consumer Price Index for December 2025")),
        "2026-01-13T13:30:00Z"
    );
    assert_eq!(
        at(find(&releases, "Employment Situation for October 2026")),
        "2026-11-06T13:30:00Z"
    );
    let by_category =
        |c: &str| releases.events.iter().filter(|e| e.categories.iter().any(|x| x == c)).count();
    assert_eq!((by_category("CPI"), by_category("JOBS"), by_category("GDP")), (12, 12, 4));
}

#[test]
fn bls_feed_with_lf_blank_lines_custom_tzid_and_long_lines() {
    let bls = read("bls-excerpt.ics");
    assert!(bls.problems.is_empty(), "{:?}", bls.problems);
    assert_eq!(bls.name.as_deref(), Some("BLS.gov Economic News Release Schedule"));
    assert_eq!(bls.events.len(), 6);
    let cpi: Vec<String> =
        bls.events.iter().filter(|e| e.summary == "Consumer Price Index").map(at).collect();
    assert_eq!(cpi, ["2023-01-12T13:30:00Z", "2023-04-12T12:30:00Z", "2023-11-14T13:30:00Z"]);
    let long = find(&bls, "Characteristics of Unemployment Insurance");
    assert_eq!(
        long.summary,
        "Characteristics of Unemployment Insurance Applicants and Benefit Recipients"
    );
    assert_eq!(at(long), "2023-03-29T14:00:00Z");
    assert_eq!(long.location.as_deref(), Some("Washington, DC"));
    assert_eq!(long.categories, ["IMPORTANT", "BLS"]);
    assert_eq!(long.uid, "765d9629-1b77-46b8-bbcb-41cab0d796df");
}

#[test]
fn earnings_with_us_eastern_and_no_vtimezone_read_as_new_york() {
    let earnings = read("earnings-tracker-excerpt.ics");
    assert!(earnings.problems.is_empty(), "{:?}", earnings.problems);
    assert_eq!(earnings.events.len(), 3);
    let adobe = find(&earnings, "ADBE");
    assert_eq!(at(adobe), "2026-09-10T20:00:00Z");
    assert_eq!(adobe.summary, "📊 Adobe Inc. (ADBE) Earnings");
    // The folded DESCRIPTION unfolded, and the VALARMs' descriptions not taken for it.
    assert_eq!(
        adobe.description.as_deref(),
        Some(
            "Adobe Inc. (ADBE) earnings report\nDate: 2026-09-10\nIndustry: Application Software\nSource: Yahoo Finance"
        )
    );
    assert_eq!(find(&earnings, "MELI").summary, "📊 MercadoLibre, Inc. (MELI) Earnings");
    // After DST ends: 4 p.m. EST.
    assert_eq!(at(find(&earnings, "HIMS")), "2026-11-09T21:00:00Z");
}

#[test]
fn jin10_long_unfolded_cjk_lines_in_utc() {
    let jin10 = read("jin10-excerpt.ics");
    assert!(jin10.problems.is_empty(), "{:?}", jin10.problems);
    assert_eq!(jin10.name, None);
    assert_eq!(jin10.events.len(), 4);
    let first = &jin10.events[0];
    assert_eq!(first.summary, "🇺🇳[美国至1月16日当周API原油进口(万桶)] 35.2");
    assert_eq!(at(first), "2026-01-21T21:30:00Z");
    let description = first.description.as_deref().expect("description");
    assert!(
        description.starts_with("【经济数据】\n国家/地区: 美国至1月16日当周API原油进口(万桶)\n"),
        "{description}"
    );
    assert_eq!(at(&jin10.events[1]), "2026-01-19T01:20:00Z");
}

#[test]
fn earnings_mixing_timed_and_all_day_events() {
    let earnings = read("earnings-ics-excerpt.ics");
    assert!(earnings.problems.is_empty(), "{:?}", earnings.problems);
    assert_eq!(earnings.name.as_deref(), Some("US Earnings"));
    assert_eq!(earnings.events.len(), 3);
    assert_eq!(at(find(&earnings, "NVDA")), "2026-08-26T20:30:00Z");
    assert_eq!(at(find(&earnings, "AAPL")), "2026-10-29T20:30:00Z");
    let amd = find(&earnings, "AMD");
    assert_eq!(amd.when, When::Day { start: date(2026, 11, 3), end: date(2026, 11, 3) });
    assert_eq!(
        amd.description.as_deref(),
        Some("Advanced Micro Devices, Inc.\nEPS consensus: 1.9300\nTime: 15:00\nSources: yfinance")
    );
}

//! 13F issuer names resolve to listed companies through the shipped SEC list.

use marketdesk_linker::Reference;

#[test]
fn thirteen_f_issuer_names_resolve() {
    let reference = Reference::shipped().expect("shipped list");
    let ticker = |name: &str| {
        reference.by_issuer_name(name).and_then(|c| c.main_ticker.clone()).unwrap_or_default()
    };
    assert_eq!(ticker("APPLE INC"), "AAPL");
    assert_eq!(ticker("AMAZON COM INC"), "AMZN");
    assert_eq!(ticker("BERKSHIRE HATHAWAY INC DEL"), "BRK-B");
    assert_eq!(ticker("ALPHABET INC"), "GOOGL");
    assert_eq!(ticker("BK OF AMERICA CORP"), "BAC");
    assert_eq!(ticker("ABBOTT LABS"), "ABT");
    assert_eq!(ticker("AT&T INC"), "T");
    // Cut at 28 characters by the SEC's 13(f) list.
    assert_eq!(ticker("AUTOMATIC DATA PROCESSING IN"), "ADP");
    assert_eq!(ticker("NO SUCH ISSUER WHATSOEVER"), "");
    assert_eq!(ticker(""), "");
}

//! Fuzz target: `marketdesk_edgar::parse_ownership` must never panic, whatever the bytes.
//!
//! Each input is parsed twice:
//! 1. raw, as a bare document named `fuzz.xml` (the container sees whatever the fuzzer wrote, so
//!    header sniffing, Latin-1 decoding and `<XML>` block splitting are all reachable), and
//! 2. wrapped in a full-submission envelope (SEC header, `<DOCUMENT>`, `<XML>` ... `</XML>`), the
//!    way EDGAR's `.txt` files arrive, so the header-driven path and the XML reader both see
//!    fuzzed content.
//!
//! When the input is UTF-8 and a parse succeeds, the filing is also serialized with serde_json
//! (the documented `marketdesk parse` output), which must neither panic nor return an error.

#![no_main]

use libfuzzer_sys::fuzz_target;
use marketdesk_edgar::parse_ownership;

const PREFIX: &[u8] = b"<SEC-HEADER>\nACCESSION NUMBER: 0000000000-00-000000\n</SEC-HEADER>\n\
<DOCUMENT>\n<TEXT>\n<XML>\n";
const SUFFIX: &[u8] = b"\n</XML>";

fuzz_target!(|data: &[u8]| {
    let utf8 = std::str::from_utf8(data).is_ok();

    let raw = parse_ownership("fuzz.xml", data);

    let mut wrapped = Vec::with_capacity(PREFIX.len() + data.len() + SUFFIX.len());
    wrapped.extend_from_slice(PREFIX);
    wrapped.extend_from_slice(data);
    wrapped.extend_from_slice(SUFFIX);
    let in_submission = parse_ownership("fuzz.txt", &wrapped);

    if utf8 {
        for filing in [raw, in_submission].into_iter().flatten() {
            // Writing JSON to memory has no I/O to fail, so an error here would be a bug in a
            // hand-written `Serialize` impl and is reported like a panic.
            if let Err(e) = serde_json::to_vec(&filing) {
                panic!("OwnershipFiling failed to serialize: {e}");
            }
        }
    }
});

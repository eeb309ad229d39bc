//! Whatever the bytes, parsing returns a value or an error; it never panics. (The cargo-fuzz
//! target in `fuzz/` searches far deeper; this keeps the property in every test run.)

use std::path::PathBuf;

use marketdesk_edgar::parse_ownership;
use proptest::prelude::*;

fn fixtures() -> Vec<Vec<u8>> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/edgar/ownership");
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(dir).expect("fixtures").map(|e| e.expect("entry").path()).collect();
    paths.sort();
    paths.iter().map(|p| std::fs::read(p).expect("read")).collect()
}

proptest! {
    #[test]
    fn arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_ownership("fuzz.xml", &bytes);
    }

    #[test]
    fn truncated_and_corrupted_filings(
        which in 0usize..41,
        cut in any::<prop::sample::Index>(),
        flips in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..8),
    ) {
        let all = fixtures();
        let mut bytes = all[which % all.len()].clone();
        bytes.truncate(cut.index(bytes.len() + 1));
        for (at, value) in flips {
            if !bytes.is_empty() {
                let i = at.index(bytes.len());
                bytes[i] = value;
            }
        }
        let _ = parse_ownership("0000000001-24-000001.txt", &bytes);
    }
}

proptest! {
    #[test]
    fn arbitrary_header_values(
        acceptance in "[0-9]{0,16}",
        filed in "[0-9]{0,10}",
        accession in "[0-9-]{0,22}",
    ) {
        let text = format!(
            "<SEC-HEADER>\n<ACCEPTANCE-DATETIME>{acceptance}\nACCESSION NUMBER:\t{accession}\n\
             FILED AS OF DATE:\t{filed}\n</SEC-HEADER>\n<DOCUMENT>\n<XML>\n<ownershipDocument/>\n</XML>"
        );
        let _ = parse_ownership("x.txt", text.as_bytes());
        let sgml = format!(
            "<SUBMISSION><ACCESSION-NUMBER>{accession}<FILING-DATE>{filed}\
             <ACCEPTANCE-DATETIME>{acceptance}<DOCUMENT><XML><ownershipDocument/></XML>"
        );
        let _ = parse_ownership("x.nc", sgml.as_bytes());
    }
}

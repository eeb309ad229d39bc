//! Every real filing in `fixtures/edgar/ownership` parses, and its parsed form is pinned by a
//! snapshot that was checked against the source XML.

use marketdesk_edgar::parse_ownership;

#[test]
fn every_fixture_parses_to_its_snapshot() {
    insta::glob!("../../../fixtures/edgar/ownership", "*.{xml,txt,nc,sgml}", |path| {
        let bytes = std::fs::read(path).expect("fixture readable");
        let name = path.file_name().and_then(|n| n.to_str()).expect("utf-8 name");
        let filing = parse_ownership(name, &bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        insta::assert_json_snapshot!(filing);
    });
}

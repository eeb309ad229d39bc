//! Fixtures shared by the store's test files.

use std::path::PathBuf;

/// Every fixture in `fixtures/edgar/{dir}`, parsed, by file name.
pub(crate) fn parsed<T, E: std::fmt::Debug>(
    dir: &str,
    parse: impl Fn(&str, &[u8]) -> Result<T, E>,
) -> Vec<(String, T)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../fixtures/edgar").join(dir);
    let mut paths: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("fixtures").map(|e| e.expect("entry").path()).collect();
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let name = p.display().to_string();
            let parsed = parse(&name, &std::fs::read(&p).expect("readable")).expect("parses");
            (name, parsed)
        })
        .collect()
}

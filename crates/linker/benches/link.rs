//! Linker speed: single-thread `link()` throughput over ~100 MB of text built in memory from the
//! repository's texts (the labelled dev texts, and the EDGAR fixture files), and the time to
//! build the automaton from the full reference list.
//!
//! `cargo bench -p marketdesk-linker --bench link`

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use marketdesk_linker::{Aliases, Linker, Reference};

const CORPUS_BYTES: usize = 100_000_000;

/// The `"text"` of every dev line.
fn dev_texts() -> Vec<String> {
    include_str!("../tests/data/dev.jsonl")
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter_map(|v| v.get("text").and_then(|t| t.as_str()).map(str::to_owned))
        .collect()
}

/// Every fixture file, one text per line.
fn fixture_lines() -> Vec<String> {
    fn walk(dir: &Path, out: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if let Ok(text) = std::fs::read_to_string(&path) {
                out.extend(text.lines().filter(|l| !l.trim().is_empty()).map(str::to_owned));
            }
        }
    }
    let mut out = Vec::new();
    walk(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures"), &mut out);
    out
}

/// `texts` repeated until they hold `bytes` bytes.
fn repeated(texts: &[String], bytes: usize) -> Vec<&str> {
    let mut out = Vec::new();
    let mut total = 0;
    while total < bytes && !texts.is_empty() {
        for t in texts {
            out.push(t.as_str());
            total += t.len();
        }
    }
    out
}

fn benches(c: &mut Criterion) {
    let (Ok(reference), Ok(aliases)) = (Reference::shipped(), Aliases::shipped()) else {
        panic!("shipped reference data does not load");
    };
    let linker = Linker::new(&reference, &aliases);
    println!("linker heap estimate: {:.1} MiB", linker.heap_bytes() as f64 / 1048576.0);

    let mut build = c.benchmark_group("build");
    build.sample_size(10);
    build.bench_function("full_reference", |b| {
        b.iter(|| Linker::new(black_box(&reference), &aliases))
    });
    build.finish();

    let dev = dev_texts();
    let fixtures = fixture_lines();
    for (name, texts) in [("news_100MB", &dev), ("filings_100MB", &fixtures)] {
        let corpus = repeated(texts, CORPUS_BYTES);
        let bytes: usize = corpus.iter().map(|t| t.len()).sum();
        let mut group = c.benchmark_group("link");
        group.sample_size(10);
        group.throughput(Throughput::Bytes(bytes as u64));
        group.bench_function(name, |b| {
            b.iter(|| corpus.iter().map(|t| linker.link(black_box(t)).len()).sum::<usize>())
        });
        group.finish();
    }
}

criterion_group!(link, benches);
criterion_main!(link);

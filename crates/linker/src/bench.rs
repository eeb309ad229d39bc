//! Measurements for `marketdesk bench link`: automaton build time, heap size, and single-thread
//! link throughput over a corpus the caller provides.

use std::hint::black_box;
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::{Aliases, Linker, Reference};

/// What [`measure`] found.
#[derive(Clone, Debug, Serialize)]
pub struct LinkBenchmark {
    /// Seconds to build the linker from the reference and aliases (best of the builds).
    pub build_seconds: f64,
    /// Linkable companies and name patterns in the automaton.
    pub companies: usize,
    /// Name patterns in the automaton.
    pub patterns: usize,
    /// Estimated heap bytes of the built linker.
    pub heap_bytes: usize,
    /// Bytes of text linked.
    pub bytes: usize,
    /// Mentions found over all rounds.
    pub mentions: usize,
    /// Wall-clock seconds spent linking.
    pub link_seconds: f64,
    /// Link throughput in MB/s (10^6 bytes per second) on this thread.
    pub megabytes_per_second: f64,
}

/// Builds the linker `builds` times (keeping the fastest), then links every text of `corpus`
/// on this thread, over and over, for at least `min_seconds`.
pub fn measure(
    reference: &Reference,
    aliases: &Aliases,
    corpus: &[&str],
    builds: u32,
    min_seconds: f64,
) -> LinkBenchmark {
    let mut best = Duration::MAX;
    let mut linker = None;
    for _ in 0..builds.max(1) {
        let start = Instant::now();
        let built = Linker::new(reference, aliases);
        best = best.min(start.elapsed());
        linker = Some(built);
    }
    let linker = linker.unwrap_or_else(|| Linker::new(reference, aliases));
    let (companies, patterns) = linker.size();
    let budget = Duration::from_secs_f64(min_seconds.max(0.0));
    let (mut bytes, mut mentions) = (0usize, 0usize);
    let start = Instant::now();
    loop {
        for text in corpus {
            mentions += black_box(linker.link(black_box(text))).len();
            bytes += text.len();
        }
        if start.elapsed() >= budget || corpus.is_empty() {
            break;
        }
    }
    let link_seconds = start.elapsed().as_secs_f64();
    LinkBenchmark {
        build_seconds: best.as_secs_f64(),
        companies,
        patterns,
        heap_bytes: linker.heap_bytes(),
        bytes,
        mentions,
        link_seconds,
        megabytes_per_second: if link_seconds > 0.0 {
            bytes as f64 / link_seconds / 1e6
        } else {
            0.0
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn measures_a_small_corpus() {
        let (Ok(r), Ok(a)) = (Reference::shipped(), Aliases::shipped()) else { panic!() };
        let b = measure(&r, &a, &["Apple (AAPL) rose.", "Nothing here."], 1, 0.0);
        assert_eq!((b.bytes, b.mentions), (31, 2));
        assert!(b.companies > 5000 && b.patterns > b.companies && b.heap_bytes > 1_000_000);
        assert!(b.build_seconds > 0.0 && b.megabytes_per_second > 0.0);
    }
}

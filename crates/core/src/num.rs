//! Serde helpers that write whole numbers without a trailing `.0`, so that `12500` shares read
//! as `12500` in JSON while fractional shares (`275.634`) keep their digits.

use serde::{Deserialize, Deserializer, Serializer};

/// Largest integer an f64 holds exactly.
const EXACT: f64 = 9_007_199_254_740_992.0;

pub(crate) fn serialize<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match *v {
        None => s.serialize_none(),
        // The guard makes the cast exact.
        #[allow(clippy::cast_possible_truncation)]
        Some(x) if x.fract() == 0.0 && x.abs() < EXACT => s.serialize_i64(x as i64),
        Some(x) => s.serialize_f64(x),
    }
}

pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Option::<f64>::deserialize(d)
}

use jiff::{Timestamp, ZonedDateTime, tz::TimeZone};

/// The IANA name of the zone marketdesk shows every time in.
pub const NEW_YORK: &str = "America/New_York";

/// A timestamp in US Eastern time, daylight saving included.
pub fn eastern(ts: Timestamp) -> ZonedDateTime {
    // The zone is bundled (tzdb-bundle-always), so the lookup cannot miss; UTC is a safe floor.
    let tz = TimeZone::get(NEW_YORK).unwrap_or(TimeZone::UTC);
    ts.to_zoned_datetime(tz)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eastern_follows_daylight_saving() {
        let winter: Timestamp = "2025-01-10T21:07:30Z".parse().expect("valid");
        let summer: Timestamp = "2025-07-10T21:07:30Z".parse().expect("valid");
        assert_eq!(eastern(winter).offset().seconds(), -5 * 3600);
        assert_eq!(eastern(summer).offset().seconds(), -4 * 3600);
    }
}

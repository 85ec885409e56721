//! Indonesia's three time zones. A unit keeps its own (`units.time_zone`,
//! an IANA name); its days — deadlines, working days, auto-close — and the
//! times people read are its own, with the zone's abbreviation ("10.30
//! WITA"), never UTC. None of the three has daylight saving, so each is a
//! fixed offset.

use time::{Date, OffsetDateTime, UtcOffset};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Zone {
    /// Waktu Indonesia Barat, UTC+7: Sumatra, Java, West and Central Kalimantan.
    #[default]
    Wib,
    /// Waktu Indonesia Tengah, UTC+8: Bali, Nusa Tenggara, Sulawesi, East,
    /// South and North Kalimantan.
    Wita,
    /// Waktu Indonesia Timur, UTC+9: Maluku and Papua.
    Wit,
}

impl Zone {
    pub const ALL: [Zone; 3] = [Zone::Wib, Zone::Wita, Zone::Wit];

    /// The IANA name kept in the database and the catalogue.
    pub fn iana(self) -> &'static str {
        match self {
            Zone::Wib => "Asia/Jakarta",
            Zone::Wita => "Asia/Makassar",
            Zone::Wit => "Asia/Jayapura",
        }
    }

    pub fn abbreviation(self) -> &'static str {
        match self {
            Zone::Wib => "WIB",
            Zone::Wita => "WITA",
            Zone::Wit => "WIT",
        }
    }

    /// An IANA name of Indonesia's zones (the canonical three and the
    /// cities that share them) or an abbreviation, in any case.
    pub fn parse(s: &str) -> Option<Zone> {
        let s = s.trim();
        let is = |names: &[&str]| names.iter().any(|n| n.eq_ignore_ascii_case(s));
        if is(&["Asia/Jakarta", "Asia/Pontianak", "WIB"]) {
            Some(Zone::Wib)
        } else if is(&["Asia/Makassar", "WITA"]) {
            Some(Zone::Wita)
        } else if is(&["Asia/Jayapura", "WIT"]) {
            Some(Zone::Wit)
        } else {
            None
        }
    }

    pub fn offset(self) -> UtcOffset {
        let hours = match self {
            Zone::Wib => 7,
            Zone::Wita => 8,
            Zone::Wit => 9,
        };
        UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)
    }

    /// The local day of instant `t`.
    pub fn date(self, t: OffsetDateTime) -> Date {
        t.to_offset(self.offset()).date()
    }

    /// `t` as people of the zone read it: `2026-11-20 09.15 WIB`.
    pub fn show(self, t: OffsetDateTime) -> String {
        let l = t.to_offset(self.offset());
        format!(
            "{} {:02}.{:02} {}",
            l.date(),
            l.hour(),
            l.minute(),
            self.abbreviation()
        )
    }

    /// An RFC 3339 instant (as the API writes them) shown as [`Zone::show`]
    /// does; what does not parse is left as it is.
    pub fn show_rfc3339(self, rfc3339: &str) -> String {
        OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339)
            .map(|t| self.show(t))
            .unwrap_or_else(|_| rfc3339.to_owned())
    }
}

/// When a unit serves the public on its working days, in its own zone:
/// from `opens` until `closes`, minutes after midnight (`07.30-16.00`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct OpeningHours {
    pub opens: u16,
    pub closes: u16,
}

impl OpeningHours {
    /// `07.30-16.00`, `7:30–16:00` or `07.30 - 16.00`: opening before
    /// closing, within one day. `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        let (a, b) = s.split_once(['-', '–'])?;
        let digits = |t: &str, len: std::ops::RangeInclusive<usize>| {
            len.contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit())
        };
        let minute = |t: &str| -> Option<u16> {
            let (h, m) = t.trim().split_once(['.', ':'])?;
            if !digits(h, 1..=2) || !digits(m, 2..=2) {
                return None;
            }
            let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
            (h < 24 && m < 60).then_some(h * 60 + m)
        };
        let (opens, closes) = (minute(a)?, minute(b)?);
        (opens < closes).then_some(Self { opens, closes })
    }

    /// Whether minute `m` of the local day (0–1439) is within the hours
    /// widened by `margin` minutes on each side.
    pub fn open_at(self, m: u16, margin: u16) -> bool {
        m + margin >= self.opens && m < self.closes + margin
    }
}

impl std::fmt::Display for OpeningHours {
    /// `07.30–16.00`, as Indonesians write hours.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:02}.{:02}–{:02}.{:02}",
            self.opens / 60,
            self.opens % 60,
            self.closes / 60,
            self.closes % 60
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn opening_hours_parse_as_people_write_them_and_nothing_else() {
        let h = OpeningHours::parse("07.30-16.00").unwrap();
        assert_eq!((h.opens, h.closes), (450, 960));
        assert_eq!(h.to_string(), "07.30–16.00");
        for same in ["7:30-16:00", "07.30 – 16.00", " 07:30 - 16:00 "] {
            assert_eq!(OpeningHours::parse(same), Some(h), "{same}");
        }
        for bad in [
            "",
            "08.00",
            "16.00-07.30",
            "08.00-08.00",
            "25.00-26.00",
            "08.60-16.00",
            "8-16",
            "08.00-16.000",
            "-1.00-16.00",
            "08.00-16.00-17.00",
        ] {
            assert_eq!(OpeningHours::parse(bad), None, "{bad}");
        }
        // An hour's margin either side.
        assert!(!h.open_at(389, 60) && h.open_at(390, 60));
        assert!(h.open_at(1019, 60) && !h.open_at(1020, 60));
        assert!(h.open_at(450, 0) && !h.open_at(960, 0));
    }

    #[test]
    fn one_instant_is_three_local_days_around_midnight() {
        // 16:30 UTC on Friday 20 November: 23.30 in Jakarta, already
        // Saturday in Makassar and Jayapura.
        let t = datetime!(2026-11-20 16:30 UTC);
        assert_eq!(Zone::Wib.show(t), "2026-11-20 23.30 WIB");
        assert_eq!(Zone::Wita.show(t), "2026-11-21 00.30 WITA");
        assert_eq!(Zone::Wit.show(t), "2026-11-21 01.30 WIT");
        assert_eq!(Zone::Wib.date(t).to_string(), "2026-11-20");
        assert_eq!(Zone::Wit.date(t).to_string(), "2026-11-21");
    }

    #[test]
    fn names_and_abbreviations_parse_and_others_do_not() {
        for z in Zone::ALL {
            assert_eq!(Zone::parse(z.iana()), Some(z));
            assert_eq!(Zone::parse(&z.abbreviation().to_lowercase()), Some(z));
        }
        assert_eq!(Zone::parse("Asia/Pontianak"), Some(Zone::Wib));
        assert_eq!(Zone::parse("Europe/Amsterdam"), None);
        assert_eq!(Zone::parse(""), None);
        assert_eq!(
            Zone::Wita.show_rfc3339("2026-11-20T02:15:00.000Z"),
            "2026-11-20 10.15 WITA"
        );
        assert_eq!(Zone::Wit.show_rfc3339("not a time"), "not a time");
    }
}

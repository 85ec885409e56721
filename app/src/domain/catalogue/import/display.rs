//! What a refused row and a change say, in words (the command line's
//! report; the page says it in the page's language).

use super::{Change, Reason};
use std::fmt;

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::BadCode { column, value } => write!(
                f,
                "{column} \"{value}\" is not a code (2–60 lowercase letters, digits and hyphens)"
            ),
            Self::EmptyName { column } => write!(f, "{column} is empty (or over 200 characters)"),
            Self::BadVolume(v) => write!(
                f,
                "unit_yearly_volume \"{v}\" is not a positive whole number"
            ),
            Self::BadTimeZone(z) => write!(
                f,
                "unit_time_zone \"{z}\" is not Asia/Jakarta (WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)"
            ),
            Self::BadOpeningHours(h) => write!(
                f,
                "unit_opening_hours \"{h}\" is not opening and closing hours like 08.00-16.00"
            ),
            Self::UnknownQuestionnaire(q) => write!(f, "no questionnaire has the id \"{q}\""),
            Self::DuplicateService { code, first_line } => {
                write!(f, "service {code} is on line {first_line} already")
            }
            Self::AgencyDiffers { code, first_line } => {
                write!(f, "agency {code} has another name on line {first_line}")
            }
            Self::UnitDiffers { code, first_line } => write!(
                f,
                "unit {code} has another name, agency or volume on line {first_line}"
            ),
        }
    }
}

impl fmt::Display for Change {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = |a: &str, a_en: &Option<String>, b: &str, b_en: &Option<String>| {
            let mut s = Vec::new();
            if a != b {
                s.push(format!("renamed \"{a}\" → \"{b}\""));
            }
            if a_en != b_en {
                s.push(format!(
                    "English name \"{}\" → \"{}\"",
                    a_en.as_deref().unwrap_or(""),
                    b_en.as_deref().unwrap_or("")
                ));
            }
            s
        };
        match self {
            Self::AddAgency(a) => write!(f, "new agency {} \"{}\"", a.code, a.name),
            Self::AddUnit(u) => write!(f, "new unit {} \"{}\" of {}", u.code, u.name, u.agency),
            Self::AddService(s) => write!(
                f,
                "new service {} \"{}\" of {} on {}",
                s.code, s.name, s.unit, s.questionnaire
            ),
            Self::ChangeAgency {
                before: b,
                after: a,
            } => {
                let what = names(&b.name, &b.name_en, &a.name, &a.name_en);
                write!(f, "agency {}: {}", a.code, what.join("; "))
            }
            Self::ChangeUnit {
                before: b,
                after: a,
            } => {
                let mut what = names(&b.name, &b.name_en, &a.name, &a.name_en);
                if b.agency != a.agency {
                    what.push(format!("moved from agency {} to {}", b.agency, a.agency));
                }
                if b.yearly_volume != a.yearly_volume {
                    let v = |v: Option<i64>| v.map(|v| v.to_string()).unwrap_or_default();
                    what.push(format!(
                        "yearly volume \"{}\" → \"{}\"",
                        v(b.yearly_volume),
                        v(a.yearly_volume)
                    ));
                }
                if b.time_zone != a.time_zone {
                    let z = |z: Option<crate::domain::zone::Zone>| z.unwrap_or_default().iana();
                    what.push(format!("time zone {} → {}", z(b.time_zone), z(a.time_zone)));
                }
                if b.opening_hours != a.opening_hours {
                    let h = |h: Option<crate::domain::zone::OpeningHours>| {
                        h.map_or_else(|| "—".to_owned(), |h| h.to_string())
                    };
                    what.push(format!(
                        "opening hours {} → {}",
                        h(b.opening_hours),
                        h(a.opening_hours)
                    ));
                }
                write!(f, "unit {}: {}", a.code, what.join("; "))
            }
            Self::ChangeService {
                before: b,
                after: a,
            } => {
                let mut what = names(&b.name, &b.name_en, &a.name, &a.name_en);
                if b.unit != a.unit {
                    what.push(format!("moved from unit {} to {}", b.unit, a.unit));
                }
                if b.questionnaire != a.questionnaire {
                    what.push(format!(
                        "questionnaire {} → {}",
                        b.questionnaire, a.questionnaire
                    ));
                }
                write!(f, "service {}: {}", a.code, what.join("; "))
            }
        }
    }
}

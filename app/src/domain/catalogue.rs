//! The service catalogue as clients see it: agencies → units → services.

use super::questionnaire::Questionnaire;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

pub mod import;

/// A code of an agency, unit or service as it is kept: 2–60 lowercase
/// letters, digits and hyphens, not starting or ending with a hyphen
/// (trimmed and lowercased first); `None` when it cannot be one.
pub fn check_code(code: &str) -> Option<String> {
    let c = code.trim().to_lowercase();
    let ok = (2..=60).contains(&c.len())
        && c.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !c.starts_with('-')
        && !c.ends_with('-');
    ok.then_some(c)
}

/// A name as it is kept: trimmed, not empty, at most 200 characters, with
/// no control character.
pub fn check_name(name: &str) -> Option<String> {
    let n = name.trim();
    (!n.is_empty() && n.chars().count() <= 200 && super::text::check(n).is_ok())
        .then(|| n.to_owned())
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Catalog {
    pub agencies: Vec<AgencyEntry>,
    /// Every questionnaire version a listed service uses.
    pub questionnaires: Vec<Questionnaire>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct AgencyEntry {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub units: Vec<UnitEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct UnitEntry {
    pub id: Uuid,
    pub code: String,
    pub name: String,
    pub services: Vec<ServiceEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ServiceEntry {
    pub id: Uuid,
    /// What links and QR codes carry: `/s/{code}`.
    pub code: String,
    pub name: String,
    pub questionnaire_id: String,
    pub questionnaire_version: i64,
}

impl Catalog {
    pub fn questionnaire(&self, id: &str, version: i64) -> Option<&Questionnaire> {
        self.questionnaires
            .iter()
            .find(|q| q.id == id && q.version == version)
    }

    /// The agencies, units and services whose names or codes contain `query`
    /// (case-insensitive). A matching agency or unit keeps all that it holds.
    pub fn search(&self, query: &str) -> Vec<AgencyEntry> {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return self.agencies.clone();
        }
        let hit = |name: &str, code: &str| {
            name.to_lowercase().contains(&q) || code.to_lowercase().contains(&q)
        };
        self.agencies
            .iter()
            .filter_map(|a| {
                if hit(&a.name, &a.code) {
                    return Some(a.clone());
                }
                let units: Vec<UnitEntry> = a
                    .units
                    .iter()
                    .filter_map(|u| {
                        if hit(&u.name, &u.code) {
                            return Some(u.clone());
                        }
                        let services: Vec<ServiceEntry> = u
                            .services
                            .iter()
                            .filter(|s| hit(&s.name, &s.code))
                            .cloned()
                            .collect();
                        (!services.is_empty()).then(|| UnitEntry {
                            services,
                            ..u.clone()
                        })
                    })
                    .collect();
                (!units.is_empty()).then(|| AgencyEntry { units, ..a.clone() })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        let svc = |code: &str, name: &str| ServiceEntry {
            id: Uuid::new_v4(),
            code: code.into(),
            name: name.into(),
            questionnaire_id: "skm-2017".into(),
            questionnaire_version: 1,
        };
        Catalog {
            agencies: vec![AgencyEntry {
                id: Uuid::new_v4(),
                code: "imigrasi".into(),
                name: "Direktorat Jenderal Imigrasi".into(),
                units: vec![UnitEntry {
                    id: Uuid::new_v4(),
                    code: "kanim-jaksel".into(),
                    name: "Kantor Imigrasi Jakarta Selatan".into(),
                    services: vec![
                        svc("paspor-baru", "Penerbitan Paspor Baru"),
                        svc("izin-tinggal", "Izin Tinggal Terbatas"),
                    ],
                }],
            }],
            questionnaires: vec![],
        }
    }

    #[test]
    fn search_keeps_only_matching_services_and_their_parents() {
        let found = catalog().search("PASPOR");
        assert_eq!(found.len(), 1);
        let services = &found[0].units[0].services;
        assert_eq!(services.len(), 1);
        assert_eq!(services[0].code, "paspor-baru");
    }

    #[test]
    fn search_for_a_unit_keeps_all_its_services() {
        let found = catalog().search("jakarta selatan");
        assert_eq!(found[0].units[0].services.len(), 2);
    }

    #[test]
    fn search_without_match_is_empty() {
        assert!(catalog().search("pajak").is_empty());
    }
}

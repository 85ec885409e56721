//! What a citizen page shows of a service: its rating form, its poster.

use crate::domain::catalogue::ServiceEntry;
use crate::domain::Questionnaire;
use serde::{Deserialize, Serialize};

/// A service with everything its rating form needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceForm {
    pub service: ServiceEntry,
    /// The unit's code: its public page is `/publik/{unit_code}`.
    #[serde(default)]
    pub unit_code: String,
    pub unit_name: String,
    pub agency_name: String,
    pub questionnaire: Questionnaire,
}

impl ServiceForm {
    /// The form of service `code`, built from the catalogue: how the browser
    /// shows a rating form it has never loaded from the server (offline).
    pub fn from_catalog(catalog: &crate::domain::catalogue::Catalog, code: &str) -> Option<Self> {
        catalog.agencies.iter().find_map(|agency| {
            agency.units.iter().find_map(|unit| {
                let service = unit.services.iter().find(|s| s.code == code)?;
                let questionnaire = catalog
                    .questionnaire(&service.questionnaire_id, service.questionnaire_version)?
                    .clone();
                Some(Self {
                    service: service.clone(),
                    unit_code: unit.code.clone(),
                    unit_name: unit.name.clone(),
                    agency_name: agency.name.clone(),
                    questionnaire,
                })
            })
        })
    }
}

/// What a printed poster of one service shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Poster {
    pub service_name: String,
    pub unit_name: String,
    pub agency_name: String,
    /// The service's public link, which the QR code encodes.
    pub link: String,
    /// The QR code as inline SVG, made on the server.
    pub qr_svg: String,
}

/// The posters of a unit's or an agency's services (staff), or, with
/// neither chosen, the units the account may print.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug)]
pub struct PosterSet {
    /// The unit's or agency's name; empty when none is chosen.
    pub title: String,
    pub posters: Vec<Poster>,
    /// (code, name) of every unit the account may print.
    pub units: Vec<(String, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::builtin::{etika_pelayanan, skm_2017};
    use crate::domain::catalogue::{AgencyEntry, Catalog, UnitEntry};
    use uuid::Uuid;

    fn service(code: &str, q: &Questionnaire) -> ServiceEntry {
        ServiceEntry {
            id: Uuid::new_v4(),
            code: code.into(),
            name: format!("Layanan {code}"),
            questionnaire_id: q.id.clone(),
            questionnaire_version: q.version,
        }
    }

    #[test]
    fn form_from_catalog_carries_its_unit_agency_and_questionnaire() {
        let (skm, etika) = (skm_2017(), etika_pelayanan());
        let catalog = Catalog {
            agencies: vec![AgencyEntry {
                id: Uuid::new_v4(),
                code: "dukcapil".into(),
                name: "Dinas Dukcapil".into(),
                units: vec![UnitEntry {
                    id: Uuid::new_v4(),
                    code: "dukcapil-bdg".into(),
                    name: "Dukcapil Kota Bandung".into(),
                    services: vec![service("ktp", &skm), service("akta", &etika)],
                }],
            }],
            questionnaires: vec![skm.clone(), etika.clone()],
        };
        let form = ServiceForm::from_catalog(&catalog, "akta").unwrap();
        assert_eq!(form.service.code, "akta");
        assert_eq!(form.unit_name, "Dukcapil Kota Bandung");
        assert_eq!(form.agency_name, "Dinas Dukcapil");
        assert_eq!(form.questionnaire, etika);
        assert!(ServiceForm::from_catalog(&catalog, "paspor").is_none());
        // A service whose questionnaire version is missing has no form.
        let mut broken = catalog.clone();
        broken.questionnaires.clear();
        assert!(ServiceForm::from_catalog(&broken, "ktp").is_none());
    }
}

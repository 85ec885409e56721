//! What pages need from the server, and the seam through which they get it.
//!
//! The server crate implements [`ssr::Backend`] over its store and provides it
//! as context; server functions in `pages/` call it. The app thus never sees
//! SQL, and the store never sees a component.

use crate::domain::catalog::ServiceEntry;
use crate::domain::scoring::{Interval, Moments, Summary};
use crate::domain::{Localized, Questionnaire};
use serde::{Deserialize, Serialize};

/// A service with everything its rating form needs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceForm {
    pub service: ServiceEntry,
    pub unit_name: String,
    pub agency_name: String,
    pub questionnaire: Questionnaire,
}

impl ServiceForm {
    /// The form of service `code`, built from the catalogue: how the browser
    /// shows a rating form it has never loaded from the server (offline).
    pub fn from_catalog(catalog: &crate::domain::catalog::Catalog, code: &str) -> Option<Self> {
        catalog.agencies.iter().find_map(|agency| {
            agency.units.iter().find_map(|unit| {
                let service = unit.services.iter().find(|s| s.code == code)?;
                let questionnaire = catalog
                    .questionnaire(&service.questionnaire_id, service.questionnaire_version)?
                    .clone();
                Some(Self {
                    service: service.clone(),
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

/// Who is signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub email: String,
    pub role: String,
}

/// The first dashboard: every service the account may see.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub account: AccountView,
    pub services: Vec<ServiceSummary>,
}

/// Everything the figures of one service need, under its current
/// questionnaire version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceTallies {
    pub code: String,
    pub name: String,
    pub unit_name: String,
    pub agency_name: String,
    pub questionnaire: Questionnaire,
    /// Items in `questionnaire.items` order.
    pub moments: Moments,
    /// Krejcie–Morgan target for the unit's yearly volume.
    pub sample_target: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceSummary {
    pub code: String,
    pub name: String,
    pub unit_name: String,
    pub agency_name: String,
    pub responses: u64,
    pub items: Vec<ItemSummary>,
    /// Two decimals, e.g. "91.48"; `None` with no scores.
    pub index: Option<String>,
    pub grade: Option<String>,
    /// The 95% interval of the index, e.g. "88.02–94.61".
    pub index_interval: Option<String>,
    /// The interval spans more than one grade.
    pub grade_uncertain: bool,
    /// Fewer responses than `sample_target`.
    pub provisional: bool,
    pub sample_target: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemSummary {
    pub code: String,
    pub label: Localized,
    pub n: u64,
    /// NRR with two decimals.
    pub mean: Option<String>,
    /// Its 95% interval, e.g. "3.41–3.83".
    pub interval: Option<String>,
}

fn span(i: Interval) -> String {
    format!("{:.2}–{:.2}", i.low, i.high)
}

impl From<ServiceTallies> for ServiceSummary {
    fn from(t: ServiceTallies) -> Self {
        let codes: Vec<_> = t
            .questionnaire
            .items
            .iter()
            .map(|i| i.code.clone())
            .collect();
        let s = Summary::compute(&codes, &t.moments, t.questionnaire.method, t.sample_target);
        let items = t
            .questionnaire
            .items
            .iter()
            .zip(&s.items)
            .map(|(item, fig)| ItemSummary {
                code: item.code.to_string(),
                label: item.label.clone(),
                n: fig.n,
                mean: fig.nrr.map(|m| format!("{m:.2}")),
                interval: fig.interval.map(span),
            })
            .collect();
        Self {
            code: t.code,
            name: t.name,
            unit_name: t.unit_name,
            agency_name: t.agency_name,
            responses: s.n,
            items,
            index: s.index.map(|i| format!("{i:.2}")),
            grade: s.grade.map(|g| g.letter().to_owned()),
            index_interval: s.index_interval.map(span),
            grade_uncertain: s.grade_uncertain,
            provisional: s.provisional,
            sample_target: s.sample_target,
        }
    }
}

#[cfg(feature = "ssr")]
pub mod ssr {
    use super::*;
    use crate::domain::catalog::Catalog;
    use std::sync::Arc;

    pub const SESSION_COOKIE: &str = "suara_session";

    /// An error the page may show only as "something went wrong"; its detail
    /// goes to the server log.
    #[derive(Debug, thiserror::Error)]
    #[error("{0}")]
    pub struct BackendError(pub String);

    #[async_trait::async_trait]
    pub trait Backend: Send + Sync {
        async fn catalog(&self) -> Result<Catalog, BackendError>;
        async fn service_form(&self, code: &str) -> Result<Option<ServiceForm>, BackendError>;
        /// The poster of service `code`, with its QR code; `None` if unknown.
        async fn poster(&self, code: &str) -> Result<Option<Poster>, BackendError>;
        /// Who is signed in; `None` when the session is unknown or expired.
        async fn account(&self, session_token: &str) -> Result<Option<AccountView>, BackendError>;
        /// `None` when the session is unknown or expired.
        async fn dashboard(&self, session_token: &str) -> Result<Option<Dashboard>, BackendError>;
        /// The figures `query` asks for, within what the session's account
        /// may see, and the comments of the same scope and days when asked.
        async fn figures(
            &self,
            session_token: &str,
            query: crate::figures::SummaryQuery,
            comments: Option<crate::figures::CommentFilter>,
        ) -> Result<crate::figures::FiguresOutcome, BackendError>;
        /// The administration page's data, for administrators only.
        async fn admin(
            &self,
            session_token: &str,
        ) -> Result<crate::admin::AdminOutcome, BackendError>;
        /// Whether cookies must carry `Secure` (the public URL is HTTPS).
        /// The data page for the account of `session_token`.
        async fn export_page(
            &self,
            session_token: &str,
        ) -> Result<crate::admin::ExportOutcome, BackendError>;
        /// The SKM report of `unit` (default: the account's first) for
        /// `period` (default: this year).
        async fn skm_report(
            &self,
            session_token: &str,
            unit: Option<String>,
            period: Option<String>,
        ) -> Result<crate::report::SkmOutcome, BackendError>;
        fn secure_cookies(&self) -> bool;
    }

    pub type SharedBackend = Arc<dyn Backend>;

    pub fn backend() -> SharedBackend {
        leptos::prelude::expect_context::<SharedBackend>()
    }

    /// The session token carried by a request's cookies.
    pub fn session_token(headers: &http::HeaderMap) -> Option<String> {
        headers
            .get_all(http::header::COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find_map(|h| crate::text::cookie_value(h, SESSION_COOKIE).map(str::to_owned))
            .filter(|t| !t.is_empty())
    }

    /// The session token of the request being rendered or served.
    pub fn request_session_token() -> Option<String> {
        leptos::prelude::use_context::<http::request::Parts>()
            .and_then(|p| session_token(&p.headers))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::builtin::{etika_pelayanan, skm_2017};
    use crate::domain::catalog::{AgencyEntry, Catalog, UnitEntry};
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

//! The administration forms (`POST /admin/*`): administrators only; each
//! change goes through `store::admin`, which writes the audit log, and the
//! browser goes back to `/admin` with what happened.

use super::caller::Administrator;
use super::problem::Problem;
use super::AppState;
use crate::auth::Role;
use crate::store::admin::AdminError;
use axum::extract::{Form, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;
use serde::Deserialize;

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/agency", post(add_agency))
        .route("/admin/unit", post(add_unit))
        .route("/admin/service", post(add_service))
        .route("/admin/service/rename", post(rename_service))
        .route("/admin/account", post(add_account))
        .route("/admin/account/disable", post(disable))
        .route("/admin/account/enable", post(enable))
        .route("/admin/account/units", post(set_units))
        .route("/admin/questionnaire", post(new_questionnaire_version))
}

/// Back to the page with what happened.
fn outcome(done: &str, result: Result<(), AdminError>) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/admin?done={done}")).into_response(),
        Err(e) => match e.refusal() {
            Some(r) => Redirect::to(&format!("/admin?error={}", r.slug())).into_response(),
            None => Problem::internal(e).into_response(),
        },
    }
}

#[derive(Deserialize)]
struct CodeName {
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
}

async fn add_agency(
    State(s): State<AppState>,
    Administrator(admin): Administrator,
    Form(f): Form<CodeName>,
) -> Response {
    outcome(
        "agency",
        s.store
            .admin_add_agency(&admin.email, &f.code, &f.name)
            .await,
    )
}

#[derive(Deserialize)]
struct NewUnit {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    yearly_volume: Option<String>,
}

async fn add_unit(
    State(s): State<AppState>,
    Administrator(admin): Administrator,
    Form(f): Form<NewUnit>,
) -> Response {
    let volume = f.yearly_volume.as_deref();
    outcome(
        "unit",
        s.store
            .admin_add_unit(&admin.email, &f.agency, &f.code, &f.name, volume)
            .await,
    )
}

#[derive(Deserialize)]
struct NewService {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    questionnaire: String,
}

async fn add_service(
    State(s): State<AppState>,
    Administrator(admin): Administrator,
    Form(f): Form<NewService>,
) -> Response {
    outcome(
        "service",
        s.store
            .admin_add_service(&admin.email, &f.unit, &f.code, &f.name, &f.questionnaire)
            .await,
    )
}

async fn rename_service(
    State(s): State<AppState>,
    Administrator(admin): Administrator,
    Form(f): Form<CodeName>,
) -> Response {
    outcome(
        "rename",
        s.store
            .admin_rename_service(&admin.email, &f.code, &f.name)
            .await,
    )
}

/// A form body as pairs: a multi-select sends `units` once per chosen unit,
/// which serde's form decoding cannot gather.
struct Pairs(Vec<(String, String)>);

impl Pairs {
    fn parse(body: &str) -> Self {
        Self(serde_urlencoded::from_str(body).unwrap_or_default())
    }

    fn get(&self, k: &str) -> String {
        self.0
            .iter()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn all(&self, k: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(name, _)| name == k)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

async fn add_account(
    State(s): State<AppState>,
    Administrator(admin): Administrator,
    body: String,
) -> Response {
    let form = Pairs::parse(&body);
    let get = |k: &str| form.get(k);
    let units = form.all("units");
    let Some(role) = Role::parse(&get("role")) else {
        return Problem::bad_request("bad-role", "`role` must be unit-head, auditor or admin")
            .into_response();
    };
    outcome(
        "account",
        s.store
            .admin_add_account(&admin.email, &get("email"), role, &get("password"), &units)
            .await,
    )
}

#[derive(Deserialize)]
struct Email {
    #[serde(default)]
    email: String,
}

async fn disable(
    State(s): State<AppState>,
    Administrator(admin): Administrator,
    Form(f): Form<Email>,
) -> Response {
    outcome(
        "disable",
        s.store
            .admin_set_disabled(&admin.email, &f.email, true)
            .await,
    )
}

async fn enable(
    State(s): State<AppState>,
    Administrator(admin): Administrator,
    Form(f): Form<Email>,
) -> Response {
    outcome(
        "enable",
        s.store
            .admin_set_disabled(&admin.email, &f.email, false)
            .await,
    )
}

#[derive(Deserialize)]
struct QuestionnaireEdit {
    #[serde(default)]
    id: String,
    #[serde(default)]
    definition: String,
}

async fn new_questionnaire_version(
    State(s): State<AppState>,
    Administrator(admin): Administrator,
    Form(f): Form<QuestionnaireEdit>,
) -> Response {
    let result = s
        .store
        .admin_new_questionnaire_version(&admin.email, &f.id, &f.definition)
        .await;
    if let Err(AdminError::BadQuestionnaire(why)) = &result {
        // What is wrong goes back to the page, for the administrator to fix.
        let detail: String = why.chars().take(300).collect();
        let query =
            serde_urlencoded::to_string([("error", "bad-questionnaire"), ("detail", &detail)])
                .unwrap_or_else(|_| "error=bad-questionnaire".into());
        return Redirect::to(&format!("/admin?{query}")).into_response();
    }
    outcome("questionnaire", result.map(|_| ()))
}

async fn set_units(
    State(s): State<AppState>,
    Administrator(admin): Administrator,
    body: String,
) -> Response {
    let form = Pairs::parse(&body);
    outcome(
        "units",
        s.store
            .admin_set_units(&admin.email, &form.get("email"), &form.all("units"))
            .await,
    )
}

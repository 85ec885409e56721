//! The administration forms (`POST /admin/*`): administrators only; each
//! change goes through `store::admin`, which writes the audit log, and the
//! browser goes back to `/admin` with what happened.

use super::caller::Administrator;
use super::extract::ListForm as Form;
use super::problem::Problem;
use super::AppState;
use crate::auth::Role;
use crate::store::accounts::NewAccount;
use crate::store::admin::AdminError;
use axum::extract::State;
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
        .route("/admin/account/disable", post(disable_account))
        .route("/admin/account/enable", post(enable_account))
        .route("/admin/account/units", post(set_units))
        .route("/admin/questionnaire", post(new_questionnaire_version))
        .route("/admin/calendar", post(add_day_off))
        .route("/admin/calendar/remove", post(remove_day_off))
}

// The forms. A field the browser did not send is empty, and refused by
// `store::admin` as a field typed empty would be.

#[derive(Deserialize, Default)]
#[serde(default)]
struct AgencyForm {
    code: String,
    name: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UnitForm {
    agency: String,
    code: String,
    name: String,
    yearly_volume: Option<String>,
    time_zone: Option<String>,
    opening_hours: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct ServiceForm {
    unit: String,
    code: String,
    name: String,
    questionnaire: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct RenameForm {
    code: String,
    name: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct AccountForm {
    email: String,
    role: String,
    /// Empty: the person is invited, and chooses it through a link.
    password: String,
    /// A multi-select: one `units` field per chosen unit.
    units: Vec<String>,
    /// Likewise, the agencies of a leadership account.
    agencies: Vec<String>,
}

impl AccountForm {
    /// The codes of the new account's scope: agencies for leadership.
    fn scope(&self, role: Role) -> &[String] {
        match role {
            Role::Leadership => &self.agencies,
            _ => &self.units,
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EmailForm {
    email: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct UnitsForm {
    email: String,
    units: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct QuestionnaireForm {
    id: String,
    definition: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DayOffForm {
    day: String,
    kind: String,
    name: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DayForm {
    day: String,
}

async fn add_agency(
    State(s): State<AppState>,
    Administrator(by): Administrator,
    Form(f): Form<AgencyForm>,
) -> Response {
    let r = s.store.admin_add_agency(&by.email, &f.code, &f.name).await;
    outcome("agency", r)
}

async fn add_unit(
    State(s): State<AppState>,
    Administrator(by): Administrator,
    Form(f): Form<UnitForm>,
) -> Response {
    let unit = crate::store::admin::NewUnit {
        agency: &f.agency,
        code: &f.code,
        name: &f.name,
        yearly_volume: f.yearly_volume.as_deref(),
        time_zone: f.time_zone.as_deref(),
        opening_hours: f.opening_hours.as_deref(),
    };
    let r = s.store.admin_add_unit(&by.email, unit).await;
    outcome("unit", r)
}

async fn add_service(
    State(s): State<AppState>,
    Administrator(by): Administrator,
    Form(f): Form<ServiceForm>,
) -> Response {
    let (unit, code, name) = (&f.unit, &f.code, &f.name);
    let r = s
        .store
        .admin_add_service(&by.email, unit, code, name, &f.questionnaire)
        .await;
    outcome("service", r)
}

async fn rename_service(
    State(s): State<AppState>,
    Administrator(by): Administrator,
    Form(f): Form<RenameForm>,
) -> Response {
    let r = s.store.admin_rename_service(&by.email, &f.code, &f.name);
    outcome("rename", r.await)
}

async fn add_account(
    State(s): State<AppState>,
    Administrator(by): Administrator,
    Form(f): Form<AccountForm>,
) -> Response {
    let Some(role) = Role::parse(&f.role) else {
        return Problem::bad_request(
            "bad-role",
            "`role` must be unit-head, auditor, leadership or admin",
        )
        .into_response();
    };
    if f.password.is_empty() {
        let invited = match NewAccount::invited(&f.email, role, f.scope(role)) {
            Ok(new) => s.store.invite(&by.email, new, s.mail_on()).await,
            Err(e) => Err(e.into()),
        };
        return match invited {
            Ok(link) => super::account_links::show(&link, s.backend.secure_cookies()),
            Err(e) => super::account_links::refused(e),
        };
    }
    let r = s
        .store
        .admin_add_account(&by.email, &f.email, role, &f.password, f.scope(role))
        .await;
    outcome("account", r)
}

async fn disable_account(
    State(s): State<AppState>,
    Administrator(by): Administrator,
    Form(f): Form<EmailForm>,
) -> Response {
    let r = s.store.admin_set_disabled(&by.email, &f.email, true).await;
    outcome("disable", r)
}

async fn enable_account(
    State(s): State<AppState>,
    Administrator(by): Administrator,
    Form(f): Form<EmailForm>,
) -> Response {
    let r = s.store.admin_set_disabled(&by.email, &f.email, false).await;
    outcome("enable", r)
}

async fn set_units(
    State(s): State<AppState>,
    Administrator(by): Administrator,
    Form(f): Form<UnitsForm>,
) -> Response {
    let r = s.store.admin_set_units(&by.email, &f.email, &f.units).await;
    outcome("units", r)
}

async fn add_day_off(
    State(s): State<AppState>,
    Administrator(by): Administrator,
    Form(f): Form<DayOffForm>,
) -> Response {
    let r = s
        .store
        .admin_add_closure(&by.email, &f.day, &f.kind, &f.name)
        .await;
    outcome("calendar", r)
}

async fn remove_day_off(
    State(s): State<AppState>,
    Administrator(by): Administrator,
    Form(f): Form<DayForm>,
) -> Response {
    let r = s.store.admin_remove_closure(&by.email, &f.day).await;
    outcome("calendar", r)
}

async fn new_questionnaire_version(
    State(s): State<AppState>,
    Administrator(by): Administrator,
    Form(f): Form<QuestionnaireForm>,
) -> Response {
    let result = s
        .store
        .admin_new_questionnaire_version(&by.email, &f.id, &f.definition)
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

/// Back to the page with what happened: `?done=…`, or the refusal's slug in
/// `?error=…`; anything else is a problem document like every other route's
/// (a database out of reach is a `503`).
fn outcome(done: &str, result: Result<(), AdminError>) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/admin?done={done}")).into_response(),
        Err(e) => match e.refusal() {
            Some(r) => Redirect::to(&format!("/admin?error={}", r.slug())).into_response(),
            None => Problem::failure(&e).into_response(),
        },
    }
}

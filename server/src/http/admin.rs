//! The administration forms (`POST /admin/*`): administrators only; each
//! change goes through `store::admin`, which writes the audit log, and the
//! browser goes back to `/admin` with what happened.

use super::caller::Administrator;
use super::problem::Problem;
use super::AppState;
use crate::auth::Role;
use crate::store::accounts::NewAccount;
use crate::store::admin::AdminError;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use axum::Router;

pub fn routes() -> Router<AppState> {
    [
        ("/admin/agency", Change::Agency),
        ("/admin/unit", Change::Unit),
        ("/admin/service", Change::Service),
        ("/admin/service/rename", Change::Rename),
        ("/admin/account", Change::Account),
        ("/admin/account/disable", Change::Disable),
        ("/admin/account/enable", Change::Enable),
        ("/admin/account/units", Change::Units),
        ("/admin/questionnaire", Change::Questionnaire),
        ("/admin/calendar", Change::DayOff),
        ("/admin/calendar/remove", Change::WorkingDay),
    ]
    .into_iter()
    .fold(Router::new(), |router, (path, change)| {
        router.route(
            path,
            post(move |state, admin, body| apply(change, state, admin, body)),
        )
    })
}

/// The changes the administration page can make, one form each.
#[derive(Clone, Copy)]
enum Change {
    Agency,
    Unit,
    Service,
    Rename,
    Account,
    Disable,
    Enable,
    Units,
    Questionnaire,
    DayOff,
    WorkingDay,
}

impl Change {
    /// What `/admin?done=…` says happened.
    fn done(self) -> &'static str {
        match self {
            Self::Agency => "agency",
            Self::Unit => "unit",
            Self::Service => "service",
            Self::Rename => "rename",
            Self::Account => "account",
            Self::Disable => "disable",
            Self::Enable => "enable",
            Self::Units => "units",
            Self::Questionnaire => "questionnaire",
            Self::DayOff | Self::WorkingDay => "calendar",
        }
    }
}

/// Makes `change` with the posted form's fields.
async fn apply(
    change: Change,
    State(s): State<AppState>,
    Administrator(admin): Administrator,
    body: String,
) -> Response {
    let f = Pairs::parse(&body);
    let (store, by) = (&s.store, admin.email.as_str());
    let result = match change {
        Change::Agency => {
            store
                .admin_add_agency(by, &f.get("code"), &f.get("name"))
                .await
        }
        Change::Unit => {
            let volume = f.opt("yearly_volume");
            let (agency, code, name) = (f.get("agency"), f.get("code"), f.get("name"));
            store
                .admin_add_unit(by, &agency, &code, &name, volume.as_deref())
                .await
        }
        Change::Service => {
            let (unit, code, name) = (f.get("unit"), f.get("code"), f.get("name"));
            store
                .admin_add_service(by, &unit, &code, &name, &f.get("questionnaire"))
                .await
        }
        Change::Rename => {
            store
                .admin_rename_service(by, &f.get("code"), &f.get("name"))
                .await
        }
        Change::Account => {
            let Some(role) = Role::parse(&f.get("role")) else {
                return Problem::bad_request(
                    "bad-role",
                    "`role` must be unit-head, auditor or admin",
                )
                .into_response();
            };
            let (email, password, units) = (f.get("email"), f.get("password"), f.all("units"));
            if password.is_empty() {
                // No password typed: the person chooses it through a link.
                let invited = match NewAccount::invited(&email, role, &units) {
                    Ok(new) => store.invite(by, new).await,
                    Err(e) => Err(e.into()),
                };
                return match invited {
                    Ok(link) => super::account_links::show(&link, s.backend.secure_cookies()),
                    Err(e) => super::account_links::refused(e),
                };
            }
            store
                .admin_add_account(by, &email, role, &password, &units)
                .await
        }
        Change::Disable => store.admin_set_disabled(by, &f.get("email"), true).await,
        Change::Enable => store.admin_set_disabled(by, &f.get("email"), false).await,
        Change::Units => {
            store
                .admin_set_units(by, &f.get("email"), &f.all("units"))
                .await
        }
        Change::DayOff => {
            let (day, kind, name) = (f.get("day"), f.get("kind"), f.get("name"));
            store.admin_add_closure(by, &day, &kind, &name).await
        }
        Change::WorkingDay => store.admin_remove_closure(by, &f.get("day")).await,
        Change::Questionnaire => {
            let result = store
                .admin_new_questionnaire_version(by, &f.get("id"), &f.get("definition"))
                .await;
            if let Err(AdminError::BadQuestionnaire(why)) = &result {
                // What is wrong goes back to the page, for the administrator to fix.
                let detail: String = why.chars().take(300).collect();
                let query = serde_urlencoded::to_string([
                    ("error", "bad-questionnaire"),
                    ("detail", &detail),
                ])
                .unwrap_or_else(|_| "error=bad-questionnaire".into());
                return Redirect::to(&format!("/admin?{query}")).into_response();
            }
            result.map(|_| ())
        }
    };
    outcome(change.done(), result)
}

/// Back to the page with what happened.
fn outcome(done: &str, result: Result<(), AdminError>) -> Response {
    match result {
        Ok(()) => Redirect::to(&format!("/admin?done={done}")).into_response(),
        Err(e) => match e.refusal() {
            Some(r) => Redirect::to(&format!("/admin?error={}", r.slug())).into_response(),
            None => Problem::failure(&e).into_response(),
        },
    }
}

/// A form body as pairs: a multi-select sends `units` once per chosen unit,
/// which serde's form decoding cannot gather.
struct Pairs(Vec<(String, String)>);

impl Pairs {
    fn parse(body: &str) -> Self {
        Self(serde_urlencoded::from_str(body).unwrap_or_default())
    }

    /// The field's value, if the form has it.
    fn opt(&self, k: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(name, _)| name == k)
            .map(|(_, v)| v.clone())
    }

    /// The field's value; empty when the form lacks it.
    fn get(&self, k: &str) -> String {
        self.opt(k).unwrap_or_default()
    }

    fn all(&self, k: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(name, _)| name == k)
            .map(|(_, v)| v.clone())
            .collect()
    }
}

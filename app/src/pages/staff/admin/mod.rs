//! `/admin`: administrators manage the catalogue (agencies, units, services,
//! with a search over all of them), staff accounts (create, disable, enable,
//! units of a unit head) and read the audit log. Plain forms posted to
//! `/admin/*`; every change lands in the audit log.

mod accounts;
mod calendar;
mod catalogue;
mod import;

pub use import::CatalogueImportPage;

use crate::backend::{backend, BackendError};
use crate::model::admin_page::{AdminData, AdminRefusal};
use crate::model::outcome::Staff;
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

async fn load() -> Result<Staff<AdminData>, BackendError> {
    super::signed_in(|token| async move { backend().admin(&token).await }).await
}

/// The message of a notice from the address (`done:…` or `error:…`).
fn notice_text(notice: &str, lang: crate::text::Lang) -> (bool, String) {
    let (kind, what) = notice.split_once(':').unwrap_or(("error", notice));
    let msg = match kind {
        "done" => Msg::AdminSaved,
        _ => AdminRefusal::from_slug(what).map_or(Msg::LoadFailed, AdminRefusal::msg),
    };
    (kind == "done", msg.text(lang).to_owned())
}

#[component]
pub fn AdminPage(q: String, notice: Option<String>, detail: Option<String>) -> impl IntoView {
    let refused = |_, _| {
        view! {
            <h1>{tr(Msg::AdminTitle)}</h1>
            <p role="alert">{tr(Msg::AdminOnly)}</p>
        }
        .into_any()
    };
    super::staff_page(
        Msg::AdminTitle,
        load,
        move |data| {
            view! { <Admin data q=q.clone() notice=notice.clone() detail=detail.clone()/> }
                .into_any()
        },
        std::sync::Arc::new(refused),
    )
}

#[component]
fn Admin(
    data: AdminData,
    q: String,
    notice: Option<String>,
    detail: Option<String>,
) -> impl IntoView {
    let lang = use_lang().get_untracked();
    let notice = notice.map(|n| {
        let (ok, text) = notice_text(&n, lang);
        match &detail {
            Some(d) if !ok => (ok, format!("{text} {d}")),
            _ => (ok, text),
        }
    });
    let units: Vec<(String, String)> = data
        .catalog
        .agencies
        .iter()
        .flat_map(|a| a.units.iter().map(|u| (u.code.clone(), u.name.clone())))
        .collect();
    let agencies: Vec<(String, String)> = data
        .catalog
        .agencies
        .iter()
        .map(|a| (a.code.clone(), a.name.clone()))
        .collect();
    let AdminData {
        email,
        catalog,
        accounts,
        audit,
        calendar,
        links,
        mail_on,
    } = data;
    view! {
        <h1>{tr(Msg::AdminTitle)}</h1>
        <p>
            {tr(Msg::SignedInAs)} " " <strong>{email.clone()}</strong> " · "
            <a href="/dashboard">{tr(Msg::Dashboard)}</a> " · "
            <a href="/notifikasi">{tr(Msg::NotificationsTitle)}</a>
        </p>
        <p class="muted" data-figure="mail">
            {tr(if mail_on { Msg::AdminMailOn } else { Msg::AdminMailOff })}
        </p>
        {notice
            .map(|(ok, text)| {
                if ok {
                    view! { <p role="status" class="notice-ok" data-notice="done">{text}</p> }.into_any()
                } else {
                    view! { <p role="alert" class="error" data-notice="error">{text}</p> }.into_any()
                }
            })}
        <catalogue::CatalogueSection catalog q units=units.clone()/>
        <accounts::AccountsSection accounts me=email units agencies links/>
        <calendar::CalendarSection closures=calendar/>
        <section class="card" aria-labelledby="audit-title">
            <h2 id="audit-title">{tr(Msg::AuditLog)}</h2>
            {super::audit_table(audit)}
        </section>
    }
}

/// `(code, name)` pairs as the options of a select.
fn options(pairs: &[(String, String)]) -> impl IntoView {
    pairs
        .iter()
        .map(|(c, n)| view! { <option value=c.clone()>{format!("{n} ({c})")}</option> })
        .collect_view()
}

/// A change of the administration page: a form folded under its title,
/// posted to `action`, whose button says the title again.
#[component]
fn ChangeForm(
    title: Msg,
    action: &'static str,
    /// A name for tests to find the form by (`data-form`).
    #[prop(optional)]
    name: Option<&'static str>,
    children: Children,
) -> impl IntoView {
    view! {
        <details>
            <summary>{tr(title)}</summary>
            <form method="post" action=action class="login" data-form=name>
                {children()}
                <button type="submit" class="primary">{tr(title)}</button>
            </form>
        </details>
    }
}

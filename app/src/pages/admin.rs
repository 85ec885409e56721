//! `/admin`: administrators manage the catalogue (agencies, units, services,
//! with a search over all of them), staff accounts (create, disable, enable,
//! units of a unit head) and read the audit log. Plain forms posted to
//! `/admin/*`; every change lands in the audit log.

use crate::admin::{AdminData, AdminOutcome};
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

async fn load() -> Result<AdminOutcome, ServerFnError> {
    use crate::backend::ssr::{backend, request_session_token};
    let Some(token) = request_session_token() else {
        return Ok(AdminOutcome::SignedOut);
    };
    backend().admin(&token).await.map_err(super::internal)
}

/// The message of a notice from the address (`done:…` or `error:…`).
fn notice_text(notice: &str, lang: crate::text::Lang) -> (bool, String) {
    let (kind, what) = notice.split_once(':').unwrap_or(("error", notice));
    let msg = match what {
        "agency" | "unit" | "service" | "rename" | "account" | "disable" | "enable" => {
            Msg::AdminSaved
        }
        "bad-code" => Msg::AdminBadCode,
        "empty-name" => Msg::AdminEmptyName,
        "code-taken" => Msg::AdminCodeTaken,
        "unknown" => Msg::AdminUnknown,
        "bad-volume" => Msg::AdminBadVolume,
        "own-account" => Msg::AdminOwnAccount,
        "email-taken" => Msg::AdminEmailTaken,
        "bad-email" => Msg::AdminBadEmail,
        "weak-password" => Msg::PasswordWeak,
        "no-unit" => Msg::AdminNoUnit,
        "questionnaire" => Msg::AdminSaved,
        "bad-questionnaire" => Msg::AdminBadQuestionnaire,
        _ => Msg::LoadFailed,
    };
    (kind == "done", msg.text(lang).to_owned())
}

#[component]
pub fn AdminPage(q: String, notice: Option<String>, detail: Option<String>) -> impl IntoView {
    view! {
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {Suspend::new(async move {
                match load().await {
                    Ok(AdminOutcome::Ready(data)) => {
                        view! { <Admin data=*data q=q.clone() notice=notice.clone() detail=detail.clone()/> }.into_any()
                    }
                    Ok(AdminOutcome::SignedOut) => {
                        view! {
                            <h1>{tr(Msg::AdminTitle)}</h1>
                            <p>
                                <a href="/login">{tr(Msg::SignIn)}</a>
                            </p>
                        }
                            .into_any()
                    }
                    Ok(AdminOutcome::Forbidden) => {
                        if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
                            resp.set_status(http::StatusCode::FORBIDDEN);
                        }
                        view! {
                            <h1>{tr(Msg::AdminTitle)}</h1>
                            <p role="alert">{tr(Msg::AdminOnly)}</p>
                        }
                            .into_any()
                    }
                    Err(_) => view! { <p role="alert">{tr(Msg::LoadFailed)}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
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
    // The latest version of each questionnaire, as editable JSON.
    let mut latest: Vec<crate::domain::Questionnaire> = Vec::new();
    for q in &data.catalog.questionnaires {
        match latest.iter_mut().find(|l| l.id == q.id) {
            Some(l) if l.version < q.version => *l = q.clone(),
            Some(_) => {}
            None => latest.push(q.clone()),
        }
    }
    let needle = q.trim().to_lowercase();
    let found = data.catalog.search(&needle);
    let agencies = data.catalog.agencies.clone();
    let units: Vec<(String, String)> = agencies
        .iter()
        .flat_map(|a| a.units.iter().map(|u| (u.code.clone(), u.name.clone())))
        .collect();
    let services: Vec<(String, String)> = agencies
        .iter()
        .flat_map(|a| a.units.iter())
        .flat_map(|u| u.services.iter().map(|s| (s.code.clone(), s.name.clone())))
        .collect();
    let n_services = services.len();
    let unit_options = move || {
        units
            .iter()
            .map(|(c, n)| view! { <option value=c.clone()>{format!("{n} ({c})")}</option> })
            .collect_view()
    };
    let unit_options_2 = unit_options.clone();
    let unit_options_3 = unit_options.clone();
    let heads = data
        .accounts
        .iter()
        .filter(|a| a.role == "unit-head")
        .map(|a| view! { <option value=a.email.clone()>{a.email.clone()}</option> })
        .collect_view();
    let agency_options = agencies
        .iter()
        .map(|a| view! { <option value=a.code.clone()>{format!("{} ({})", a.name, a.code)}</option> })
        .collect_view();
    let questionnaire_options = latest
        .iter()
        .map(|q| {
            let text = format!("{} ({} v{})", q.name.id, q.id, q.version);
            view! { <option value=q.id.clone()>{text}</option> }
        })
        .collect_view();
    let service_options = services
        .iter()
        .map(|(c, n)| view! { <option value=c.clone()>{format!("{n} ({c})")}</option> })
        .collect_view();
    let me = data.email.clone();
    view! {
        <h1>{tr(Msg::AdminTitle)}</h1>
        <p>
            {tr(Msg::SignedInAs)} " " <strong>{data.email.clone()}</strong> " · "
            <a href="/dashboard">{tr(Msg::Dashboard)}</a>
        </p>
        {notice
            .map(|(ok, text)| {
                if ok {
                    view! { <p role="status" class="notice-ok" data-notice="done">{text}</p> }.into_any()
                } else {
                    view! { <p role="alert" class="error" data-notice="error">{text}</p> }.into_any()
                }
            })}
        <section class="card" aria-labelledby="catalogue-title">
            <h2 id="catalogue-title">{tr(Msg::Catalogue)} {format!(" ({n_services})")}</h2>
            <form method="get" action="/admin" class="pickers" role="search">
                <div class="field">
                    <label for="q">{tr(Msg::SearchLabel)}</label>
                    <input id="q" name="q" type="search" value=q.clone()/>
                </div>
                <button type="submit">{tr(Msg::Show)}</button>
            </form>
            <ul class="agencies" data-figure="catalogue">
                {found
                    .into_iter()
                    .map(|a| {
                        view! {
                            <li>
                                <h3>{format!("{} ({})", a.name, a.code)}</h3>
                                <ul>
                                    {a
                                        .units
                                        .into_iter()
                                        .map(|u| {
                                            view! {
                                                <li>
                                                    {format!("{} ({})", u.name, u.code)}
                                                    <ul class="services">
                                                        {u
                                                            .services
                                                            .into_iter()
                                                            .map(|s| {
                                                                view! {
                                                                    <li data-service=s.code.clone()>
                                                                        {format!("{} ({}, {} v{})", s.name, s.code, s.questionnaire_id, s.questionnaire_version)}
                                                                    </li>
                                                                }
                                                            })
                                                            .collect_view()}
                                                    </ul>
                                                </li>
                                            }
                                        })
                                        .collect_view()}
                                </ul>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
            <details>
                <summary>{tr(Msg::AddAgency)}</summary>
                <form method="post" action="/admin/agency" class="login">
                    <div class="field">
                        <label for="agency-code">{tr(Msg::Code)}</label>
                        <input id="agency-code" name="code" required pattern="[a-z0-9-]{2,60}"/>
                    </div>
                    <div class="field">
                        <label for="agency-name">{tr(Msg::Name)}</label>
                        <input id="agency-name" name="name" required/>
                    </div>
                    <button type="submit" class="primary">{tr(Msg::AddAgency)}</button>
                </form>
            </details>
            <details>
                <summary>{tr(Msg::AddUnit)}</summary>
                <form method="post" action="/admin/unit" class="login">
                    <div class="field">
                        <label for="unit-agency">{tr(Msg::Agency)}</label>
                        <select id="unit-agency" name="agency">{agency_options}</select>
                    </div>
                    <div class="field">
                        <label for="unit-code">{tr(Msg::Code)}</label>
                        <input id="unit-code" name="code" required pattern="[a-z0-9-]{2,60}"/>
                    </div>
                    <div class="field">
                        <label for="unit-name">{tr(Msg::Name)}</label>
                        <input id="unit-name" name="name" required/>
                    </div>
                    <div class="field">
                        <label for="unit-volume">{tr(Msg::YearlyVolume)}</label>
                        <input id="unit-volume" name="yearly_volume" type="number" min="1"/>
                    </div>
                    <button type="submit" class="primary">{tr(Msg::AddUnit)}</button>
                </form>
            </details>
            <details>
                <summary>{tr(Msg::AddService)}</summary>
                <form method="post" action="/admin/service" class="login">
                    <div class="field">
                        <label for="service-unit">{tr(Msg::Unit)}</label>
                        <select id="service-unit" name="unit">{unit_options()}</select>
                    </div>
                    <div class="field">
                        <label for="service-code">{tr(Msg::Code)}</label>
                        <input id="service-code" name="code" required pattern="[a-z0-9-]{2,60}"/>
                    </div>
                    <div class="field">
                        <label for="service-name">{tr(Msg::Name)}</label>
                        <input id="service-name" name="name" required/>
                    </div>
                    <div class="field">
                        <label for="service-questionnaire">{tr(Msg::Questionnaire)}</label>
                        <select id="service-questionnaire" name="questionnaire">
                            {questionnaire_options}
                        </select>
                    </div>
                    <button type="submit" class="primary">{tr(Msg::AddService)}</button>
                </form>
            </details>
            <details>
                <summary>{tr(Msg::RenameService)}</summary>
                <form method="post" action="/admin/service/rename" class="login">
                    <div class="field">
                        <label for="rename-service">{tr(Msg::Services)}</label>
                        <select id="rename-service" name="code">{service_options}</select>
                    </div>
                    <div class="field">
                        <label for="rename-name">{tr(Msg::Name)}</label>
                        <input id="rename-name" name="name" required/>
                    </div>
                    <button type="submit" class="primary">{tr(Msg::RenameService)}</button>
                </form>
            </details>
        </section>
        <section class="card" aria-labelledby="questionnaires-title">
            <h2 id="questionnaires-title">{tr(Msg::Questionnaires)}</h2>
            <p class="muted">{tr(Msg::QuestionnaireHelp)}</p>
            {latest
                .into_iter()
                .map(|q| {
                    let area_id = format!("def-{}", q.id);
                    let json = serde_json::to_string_pretty(&q).unwrap_or_default();
                    view! {
                        <details>
                            <summary>{format!("{} ({} v{})", q.name.id, q.id, q.version)}</summary>
                            <form method="post" action="/admin/questionnaire" class="login">
                                <input type="hidden" name="id" value=q.id.clone()/>
                                <div class="field">
                                    <label for=area_id.clone()>{tr(Msg::Definition)}</label>
                                    <textarea id=area_id name="definition" rows="16" spellcheck="false">
                                        {json}
                                    </textarea>
                                </div>
                                <button type="submit" class="primary">{tr(Msg::SaveNewVersion)}</button>
                            </form>
                        </details>
                    }
                })
                .collect_view()}
        </section>
        <section class="card" aria-labelledby="accounts-title">
            <h2 id="accounts-title">{tr(Msg::Accounts)}</h2>
            {super::data_table(Some("accounts"), &[Msg::Email, Msg::Role, Msg::Unit, Msg::State], data
                            .accounts
                            .into_iter()
                            .map(|a| {
                                let (action, label) = if a.disabled {
                                    ("/admin/account/enable", Msg::Enable)
                                } else {
                                    ("/admin/account/disable", Msg::Disable)
                                };
                                let own = a.email == me;
                                let button_label = format!("{} {}", label.text(lang), a.email);
                                view! {
                                    <tr data-account=a.email.clone()>
                                        <th scope="row">{a.email.clone()}</th>
                                        <td>{a.role.clone()}</td>
                                        <td>{a.units.join(", ")}</td>
                                        <td>
                                            {tr(if a.disabled { Msg::Disabled } else { Msg::Active })}
                                            {(!own)
                                                .then(|| {
                                                    view! {
                                                        <form method="post" action=action class="inline">
                                                            <input type="hidden" name="email" value=a.email.clone()/>
                                                            <button type="submit" aria-label=button_label>
                                                                {tr(label)}
                                                            </button>
                                                        </form>
                                                    }
                                                })}
                                        </td>
                                    </tr>
                                }
                            })
                            .collect_view())}
            <details>
                <summary>{tr(Msg::AddAccount)}</summary>
                <form method="post" action="/admin/account" class="login">
                    <div class="field">
                        <label for="account-email">{tr(Msg::Email)}</label>
                        <input id="account-email" name="email" type="email" required/>
                    </div>
                    <div class="field">
                        <label for="account-role">{tr(Msg::Role)}</label>
                        <select id="account-role" name="role">
                            <option value="unit-head">"unit-head"</option>
                            <option value="auditor">"auditor"</option>
                            <option value="admin">"admin"</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="account-units">{tr(Msg::UnitsOfHead)}</label>
                        <select id="account-units" name="units" multiple size="5">
                            {unit_options_2()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="account-password">{tr(Msg::NewPassword)}</label>
                        <input
                            id="account-password"
                            name="password"
                            type="password"
                            autocomplete="new-password"
                            minlength="10"
                            required
                        />
                    </div>
                    <button type="submit" class="primary">{tr(Msg::AddAccount)}</button>
                </form>
            </details>
        </section>
        <section class="card" aria-labelledby="heads-title">
            <h2 id="heads-title">{tr(Msg::AssignUnits)}</h2>
            <form method="post" action="/admin/account/units" class="login">
                <div class="field">
                    <label for="heads-email">{tr(Msg::Email)}</label>
                    <select id="heads-email" name="email">{heads}</select>
                </div>
                <div class="field">
                    <label for="heads-units">{tr(Msg::UnitsOfHead)}</label>
                    <select id="heads-units" name="units" multiple size="5">
                        {unit_options_3()}
                    </select>
                </div>
                <button type="submit" class="primary">{tr(Msg::AssignUnits)}</button>
            </form>
        </section>
        <section class="card" aria-labelledby="audit-title">
            <h2 id="audit-title">{tr(Msg::AuditLog)}</h2>
            {super::audit_table(data.audit)}
        </section>
    }
}

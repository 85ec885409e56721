//! Staff pages: rendered by the server only, with no wasm (see layout.rs).
//! Each loads its data through the [`Backend`](crate::backend::Backend) and
//! shows it with [`staff_page`], which says once for all of them what a
//! signed-out visitor, a refusal and a failure see.

pub mod admin;
pub mod complaints;
pub mod dashboard;
pub mod export;
pub mod integrity;
pub mod link;
pub mod login;
pub mod notifications;
pub mod overview;
pub mod poster;
mod posters;
pub mod report;

use crate::backend::BackendError;
use crate::model::audit::AuditView;
use crate::model::outcome::{Refusal, Staff};
use crate::route::Page;
use crate::text::{tr, Msg};
use leptos::prelude::*;
use std::future::Future;
use std::sync::Arc;

/// A staff page, rendered on the server.
pub fn staff(page: Page) -> AnyView {
    match page {
        Page::Dashboard => view! { <dashboard::DashboardPage/> }.into_any(),
        Page::Login {
            failed,
            throttled,
            next,
        } => view! { <login::LoginPage failed throttled next/> }.into_any(),
        Page::Account { notice } => view! { <login::AccountPage notice/> }.into_any(),
        Page::Overview { agency, sort } => {
            view! { <overview::OverviewPage agency sort/> }.into_any()
        }
        Page::Notifications { saved } => {
            view! { <notifications::NotificationsPage saved/> }.into_any()
        }
        Page::Unsubscribe { token, done } => {
            view! { <notifications::UnsubscribePage token done/> }.into_any()
        }
        Page::Admin { q, notice, detail } => {
            view! { <admin::AdminPage q notice detail/> }.into_any()
        }
        Page::CatalogueImport { id } => view! { <admin::CatalogueImportPage id/> }.into_any(),
        Page::IssuedLink { id } => view! { <link::IssuedLinkPage id/> }.into_any(),
        Page::AccountLink { token, notice } => {
            view! { <link::AccountLinkPage token notice/> }.into_any()
        }
        Page::Poster { code } => view! { <poster::PosterPage code/> }.into_any(),
        Page::Posters {
            unit,
            agency,
            sheet,
        } => view! { <posters::PostersPage unit agency sheet/> }.into_any(),
        Page::Export => view! { <export::ExportPage/> }.into_any(),
        Page::Integrity {
            unit,
            from,
            to,
            notice,
        } => view! { <integrity::IntegrityPage unit from to notice/> }.into_any(),
        Page::SkmReport {
            unit,
            period,
            error,
            flagged,
            details,
        } => view! { <report::SkmReportPage unit period error flagged details/> }.into_any(),
        Page::Public { q } => view! { <crate::pages::public::PublicPage q/> }.into_any(),
        Page::PublicUnit {
            code,
            published,
            notice,
        } => view! { <crate::pages::public::PublicUnitPage code published notice/> }.into_any(),
        Page::Complaint { code, notice } => {
            view! { <complaints::ComplaintPage code notice/> }.into_any()
        }
        Page::Complaints {
            state,
            service,
            item,
        } => view! { <complaints::QueuePage state service item/> }.into_any(),
        _ => view! { <p>"404"</p> }.into_any(),
    }
}

/// The session token of the request, or the page's "sign in first".
pub async fn signed_in<T, Fut>(load: impl FnOnce(String) -> Fut) -> Result<Staff<T>, BackendError>
where
    Fut: Future<Output = Result<Staff<T>, BackendError>>,
{
    match crate::session::request_session_token() {
        Some(token) => load(token).await,
        None => Ok(Staff::SignedOut),
    }
}

/// Logs the causes of a failure and hides them from the page.
pub fn failed(e: BackendError) -> ServerFnError {
    e.log();
    ServerFnError::new("internal error")
}

/// What a page whose data is refused shows: its title and the reason.
pub type RefusedView = dyn Fn(Refusal, String) -> AnyView + Send + Sync;

/// The refusal's detail under the page's title, and a way back to `back`.
pub fn refused_with_detail(title: Msg, back: &'static str) -> Arc<RefusedView> {
    Arc::new(move |_, detail| {
        view! {
            <h1>{tr(title)}</h1>
            <p role="alert" class="error">{detail}</p>
            <p>
                <a href=back>{tr(title)}</a>
            </p>
        }
        .into_any()
    })
}

/// A staff page once `load` has found its data: `ready` shows it. Signed
/// out, it offers to sign in; refused, it answers with the refusal's status
/// and `refused`'s view; failed, it says so and logs why.
pub fn staff_page<T, Fut>(
    title: Msg,
    load: impl Fn() -> Fut + Send + Sync + 'static,
    ready: impl Fn(T) -> AnyView + Send + Sync + 'static,
    refused: Arc<RefusedView>,
) -> impl IntoView
where
    T: Send + 'static,
    Fut: Future<Output = Result<Staff<T>, BackendError>> + Send + 'static,
{
    let (load, ready) = (Arc::new(load), Arc::new(ready));
    view! {
        <Suspense fallback=move || view! { <p>{tr(Msg::Loading)}</p> }>
            {
                let (load, ready, refused) = (load.clone(), ready.clone(), refused.clone());
                Suspend::new(async move {
                    match load().await {
                        Ok(Staff::Ready(data)) => ready(*data),
                        Ok(Staff::SignedOut) => view! { <SignInFirst title/> }.into_any(),
                        Ok(Staff::Refused { reason, detail }) => {
                            if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
                                resp.set_status(
                                    http::StatusCode::from_u16(reason.status())
                                        .unwrap_or(http::StatusCode::BAD_REQUEST),
                                );
                            }
                            refused(reason, detail)
                        }
                        Err(e) => {
                            e.log();
                            view! { <p role="alert">{tr(Msg::LoadFailed)}</p> }.into_any()
                        }
                    }
                })
            }
        </Suspense>
    }
}

/// What a staff page shows a visitor who is not signed in (a session that
/// ended while the page was open, say).
#[component]
pub fn SignInFirst(title: Msg) -> impl IntoView {
    view! {
        <h1>{tr(title)}</h1>
        <p>
            <a href="/login">{tr(Msg::SignIn)}</a>
        </p>
    }
}

/// One labelled input of a staff form; `name` defaults to `id`.
#[component]
pub fn Field(
    id: &'static str,
    label: Msg,
    #[prop(optional)] name: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] minlength: Option<&'static str>,
    #[prop(optional)] pattern: Option<&'static str>,
    #[prop(optional)] min: Option<&'static str>,
    #[prop(default = true)] required: bool,
    #[prop(optional)] hint: Option<Msg>,
    #[prop(optional, into)] value: Option<String>,
) -> impl IntoView {
    let hint_id = hint.map(|_| format!("{id}-hint"));
    view! {
        <div class="field">
            <label for=id>{tr(label)}</label>
            <input
                id=id
                name=name.unwrap_or(id)
                type=kind
                autocomplete=autocomplete
                minlength=minlength
                pattern=pattern
                min=min
                aria-describedby=hint_id.clone()
                required=required
                value=value
            />
            {hint.map(|h| view! { <p id=hint_id.clone() class="muted">{tr(h)}</p> })}
        </div>
    }
}

/// A form of one button that acts on `about` (an account, a day): it posts
/// `about` as `field` when given, and a screen reader hears the button's
/// `text` with what it acts on.
#[component]
pub fn ActionButton(
    action: String,
    text: Msg,
    about: String,
    #[prop(optional)] field: Option<&'static str>,
) -> impl IntoView {
    let label = format!(
        "{} {about}",
        text.text(crate::text::use_lang().get_untracked())
    );
    view! {
        <form method="post" action=action class="inline">
            {field.map(|name| view! { <input type="hidden" name=name value=about.clone()/> })}
            <button type="submit" aria-label=label>
                {tr(text)}
            </button>
        </form>
    }
}

/// A labelled control other than a plain input (a select, a text area).
#[component]
pub fn Labelled(id: String, label: Msg, children: Children) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{tr(label)}</label>
            {children()}
        </div>
    }
}

/// A labelled drop-down list of `children` (its options), named as its id.
#[component]
pub fn Picker(id: &'static str, label: Msg, children: Children) -> impl IntoView {
    view! {
        <div class="field">
            <label for=id>{tr(label)}</label>
            <select id=id name=id>
                {children()}
            </select>
        </div>
    }
}

/// A table of figures under a header row of `columns`, in a wrapper that
/// scrolls sideways on a narrow screen and can then be reached by keyboard.
pub fn data_table(
    figure: Option<&'static str>,
    columns: &'static [Msg],
    rows: impl IntoView + 'static,
) -> impl IntoView {
    let head = columns
        .iter()
        .map(|m| view! { <th scope="col">{tr(*m)}</th> })
        .collect_view();
    view! {
        <div class="table-wrap" tabindex="0">
            <table data-figure=figure>
                <thead>
                    <tr>{head}</tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Audit-log entries, newest first: when, who, what, before and after.
pub fn audit_table(entries: Vec<AuditView>) -> impl IntoView {
    data_table(
        Some("audit-log"),
        &[Msg::When, Msg::Who, Msg::What, Msg::Before, Msg::After],
        entries
            .into_iter()
            .map(|e| {
                view! {
                    <tr>
                        <td>{dashboard::moment(e.at_ms)}</td>
                        <td>{e.actor}</td>
                        <td>{format!("{} {}", e.action, e.target)}</td>
                        <td class="json">{e.before.unwrap_or_default()}</td>
                        <td class="json">{e.after.unwrap_or_default()}</td>
                    </tr>
                }
            })
            .collect_view(),
    )
}

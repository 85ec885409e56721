pub mod home;
pub mod kiosk;
pub mod outbox;
pub mod profile;
pub mod service;
pub mod thanks;

// Staff pages: rendered by the server only, with no wasm (see layout.rs).
#[cfg(feature = "ssr")]
pub mod admin;
#[cfg(feature = "ssr")]
pub mod dashboard;
#[cfg(feature = "ssr")]
pub mod export;
#[cfg(feature = "ssr")]
pub mod login;
#[cfg(feature = "ssr")]
pub mod poster;
#[cfg(feature = "ssr")]
pub mod report;

use crate::domain::Localized;
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

/// What a page for an unknown service code shows.
#[component]
pub fn ServiceMissing() -> impl IntoView {
    view! {
        <h1>{tr(Msg::ServiceNotFound)}</h1>
        <p>
            <a href="/">{tr(Msg::BackToServices)}</a>
        </p>
    }
}

/// A bilingual text that follows the page's language.
pub fn localized(text: Localized) -> impl Fn() -> String + Send + Sync + 'static {
    let lang = use_lang();
    move || lang.get().pick(&text.id, &text.en).to_owned()
}

/// Logs the detail of an unexpected server error and hides it from the page.
#[cfg(feature = "ssr")]
pub fn internal(e: impl std::fmt::Display) -> leptos::prelude::ServerFnError {
    leptos::logging::error!("{e}");
    leptos::prelude::ServerFnError::new("internal error")
}

/// A staff page, rendered on the server.
#[cfg(feature = "ssr")]
pub fn staff(page: crate::route::Page) -> AnyView {
    use crate::route::Page;
    match page {
        Page::Dashboard => view! { <dashboard::DashboardPage/> }.into_any(),
        Page::Login {
            failed,
            throttled,
            next,
        } => view! { <login::LoginPage failed throttled next/> }.into_any(),
        Page::Account { notice } => view! { <login::AccountPage notice/> }.into_any(),
        Page::Admin { q, notice, detail } => {
            view! { <admin::AdminPage q notice detail/> }.into_any()
        }
        Page::Poster { code } => view! { <poster::PosterPage code/> }.into_any(),
        Page::Export => view! { <export::ExportPage/> }.into_any(),
        Page::SkmReport { unit, period } => {
            view! { <report::SkmReportPage unit period/> }.into_any()
        }
        _ => view! { <p>"404"</p> }.into_any(),
    }
}

/// A table of figures under a header row of `columns`, in a wrapper that
/// scrolls sideways on a narrow screen and can then be reached by keyboard.
#[cfg(feature = "ssr")]
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
#[cfg(feature = "ssr")]
pub fn audit_table(entries: Vec<crate::admin::AuditView>) -> impl IntoView {
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

//! `/dashboard`: what a unit head must see at a glance, server-rendered
//! (no wasm; it prints, and works by keyboard and screen reader as plain
//! HTML).
//!
//! - Pickers (a GET form): the scope — everything the account may see, one
//!   of its units or services — and the period length.
//! - Overview: index, grade, interval, provisional flag, responses, the
//!   latest period against the one before (and whether the change is larger
//!   than its uncertainty), the weakest item, alerts.
//! - Tabs (links, so each is an address): per item (means, intervals, the
//!   1–4 distribution as stacked bars), trend (an SVG chart with the interval
//!   band, and its table), equity (groups of one attribute side by side,
//!   small groups suppressed, gaps with intervals).
//!
//! Every figure comes from `GET /api/v1/summary`'s computation
//! ([`crate::figures`]) over the roll-ups.

mod comments;
mod equity;
mod items;
mod overview;
mod services;
mod trend;
mod view;

pub(crate) use comments::moment;
pub use view::View;

use crate::backend::{backend, BackendError};
use crate::domain::scoring::{Difference, Interval};
use crate::model::dashboard::Dashboard;
use crate::model::figures::StaffFigures;
use crate::model::outcome::{Refusal, Staff};
use crate::text::{tr, Msg};
use leptos::prelude::*;

/// The view the request asks for.
fn request_view() -> View {
    let query = use_context::<http::request::Parts>()
        .and_then(|p| p.uri.query().map(str::to_owned))
        .unwrap_or_default();
    View::parse(&query)
}

/// The figures the view asks for, and the first dashboard's cards.
async fn load(view: View) -> Result<Staff<(StaffFigures, Option<Dashboard>)>, BackendError> {
    super::signed_in(|token| async move {
        let query = match view.query() {
            Ok(q) => q,
            Err(e) => {
                return Ok(Staff::Refused {
                    reason: Refusal::Invalid,
                    detail: e.to_string(),
                })
            }
        };
        let figures = backend().figures(&token, query, view.comments()).await?;
        Ok(match figures {
            Staff::Ready(f) => {
                let services = backend().dashboard(&token).await?;
                Staff::Ready(Box::new((*f, services)))
            }
            Staff::SignedOut => Staff::SignedOut,
            Staff::Refused { reason, detail } => Staff::Refused { reason, detail },
        })
    })
    .await
}

/// Scope refusals in the page's language; anything else (a bad period,
/// say) with the server's detail.
fn refused(reason: Refusal, detail: String) -> AnyView {
    let why = match reason {
        Refusal::Forbidden => tr(Msg::NotYours)().to_owned(),
        Refusal::NotFound => tr(Msg::UnknownScope)().to_owned(),
        Refusal::Invalid | Refusal::Conflict => format!("{}: {detail}", tr(Msg::CannotShow)()),
    };
    view! {
        <h1>{tr(Msg::Dashboard)}</h1>
        <p role="alert">{why}</p>
        <p>
            <a href="/dashboard">{tr(Msg::AllMine)}</a>
        </p>
    }
    .into_any()
}

#[component]
pub fn DashboardPage() -> impl IntoView {
    let view = request_view();
    let shown = view.clone();
    super::staff_page(
        Msg::Dashboard,
        move || load(view.clone()),
        move |(figures, services)| {
            view! { <overview::Figures figures view=shown.clone() services/> }.into_any()
        },
        std::sync::Arc::new(refused),
    )
}

pub(crate) fn two(x: f64) -> String {
    format!("{x:.2}")
}

pub(crate) fn span(i: Interval) -> String {
    format!("{:.2} – {:.2}", i.low, i.high)
}

pub(crate) fn signed(d: &Difference) -> String {
    format!(
        "{:+.2} ({:+.2} … {:+.2})",
        d.estimate, d.interval.low, d.interval.high
    )
}

//! `/pengaduan/{code}` in the browser app (offline only, see below).

use super::receipt::{tracking_link, Receipt};
use crate::domain::complaint::TrackingCode;
use crate::offline::use_outbox_view;
use crate::text::{tr, Msg};
use leptos::prelude::*;

/// `/pengaduan/{code}` when the browser app shows it: only offline, from
/// the worker's shell, for a tracking page never opened on this device.
/// A complaint this device filed shows its receipt; any other needs a
/// connection.
#[component]
pub fn DeviceComplaintPage(code: String) -> impl IntoView {
    let outbox = use_outbox_view();
    let wanted = TrackingCode::parse(&code).map(|c| c.to_string()).ok();
    let found = move || {
        let wanted = wanted.clone()?;
        outbox.complaints.with(|c| {
            c.as_ref()?
                .iter()
                .find(|r| r.code == wanted || r.first_code.as_deref() == Some(wanted.as_str()))
                .cloned()
        })
    };
    view! {
        <h1>{tr(Msg::Complaints)}</h1>
        {move || match found() {
            Some(r) => {
                let link = tracking_link(&r.code, r.key.as_deref());
                let qr = crate::qr::svg(&link);
                view! { <Receipt code=r.code.clone() link qr id=r.id/> }.into_any()
            }
            None => view! { <p role="alert">{tr(Msg::NeedsConnection)}</p> }.into_any(),
        }}
        <p>
            <a href="/pengaduan">{tr(Msg::MyComplaints)}</a>
        </p>
    }
}

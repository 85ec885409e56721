//! `/pengaduan`: the complaint queue of the signed-in account's units,
//! overdue first, then by deadline. Signed out, where to type a code.

use super::state_name;
use crate::backend::backend;
use crate::domain::complaint::State;
use crate::model::complaint::{Queue, QueueFilter};
use crate::pages::complaint::MyComplaintsPage;
use crate::pages::staff::Picker;
use crate::text::{tr, Msg};
use leptos::prelude::*;

#[component]
pub fn QueuePage(state: String, service: String, item: String) -> impl IntoView {
    if crate::session::request_session_token().is_none() {
        return view! { <MyComplaintsPage/> }.into_any();
    }
    let filter = QueueFilter {
        state: Some(state).filter(|s| !s.is_empty()),
        service: Some(service).filter(|s| !s.is_empty()),
        item: Some(item).filter(|s| !s.is_empty()),
    };
    let chosen = filter.state.clone().unwrap_or_default();
    let load = move || {
        let filter = filter.clone();
        async move {
            super::super::signed_in(|token| async move {
                backend().complaint_queue(&token, filter).await
            })
            .await
        }
    };
    super::super::staff_page(
        Msg::ComplaintQueue,
        load,
        move |q: Queue| view! { <QueueView queue=q chosen=chosen.clone()/> }.into_any(),
        super::super::refused_with_detail(Msg::ComplaintQueue, "/pengaduan"),
    )
    .into_any()
}

#[component]
fn QueueView(queue: Queue, chosen: String) -> impl IntoView {
    let states = State::ALL
        .into_iter()
        .map(|s| view! { <option value=s.as_str() selected=chosen == s.as_str()>{tr(state_name(s))}</option> })
        .collect_view();
    let rows = queue
        .complaints
        .iter()
        .map(|c| {
            let href = format!("/pengaduan/{}", c.code);
            let late = c
                .overdue
                .then(|| view! { " · " <strong class="overdue">{tr(Msg::Overdue)}</strong> });
            let due = c
                .deadline
                .clone()
                .map(|d| view! { " · " {tr(Msg::ComplaintDeadline)} " " {d} });
            view! {
                <li data-state=c.state.as_str() data-overdue=c.overdue.to_string()>
                    <a href=href class="tracking-code">{c.code.clone()}</a>
                    <p>
                        <strong>{tr(state_name(c.state))}</strong> {due} {late}
                    </p>
                    <p class="muted">{c.service.name.clone()}</p>
                    <p>{c.excerpt.clone()}</p>
                </li>
            }
        })
        .collect_view();
    let list = if queue.complaints.is_empty() {
        view! { <p>{tr(Msg::ComplaintsNone)}</p> }.into_any()
    } else {
        view! { <ul class="queue" data-figure="queue">{rows}</ul> }.into_any()
    };
    view! {
        <h1>{tr(Msg::ComplaintQueue)}</h1>
        <dl class="facts">
            <div>
                <dt>{tr(Msg::ComplaintsOpen)}</dt>
                <dd data-figure="complaints-open">{queue.open.to_string()}</dd>
            </div>
            <div>
                <dt>{tr(Msg::ComplaintsOverdue)}</dt>
                <dd data-figure="complaints-overdue">{queue.overdue.to_string()}</dd>
            </div>
        </dl>
        <form method="get" action="/pengaduan" class="pickers">
            <Picker id="state" label=Msg::ComplaintState>
                <option value="" selected=chosen.is_empty()>{tr(Msg::ComplaintsAllOpen)}</option>
                {states}
            </Picker>
            <button type="submit">{tr(Msg::Show)}</button>
        </form>
        {list}
    }
}

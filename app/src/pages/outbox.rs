//! `/tertunda`: the responses still on this device — waiting, or refused by
//! the server with its reason — and the one deliberate way to drop one.

use crate::components::outbox_status::local_time;
use crate::offline::{use_outbox_view, OutboxRecord, RecordState};
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

#[component]
pub fn OutboxPage() -> impl IntoView {
    let view = use_outbox_view();
    let lang = use_lang();
    view! {
        <h1>{tr(Msg::OutboxTitle)}</h1>
        <p>{tr(Msg::OutboxIntro)}</p>
        <Show when=move || view.persist_refused.get()>
            <p class="notice">{tr(Msg::PersistRefused)}</p>
        </Show>
        <p>
            <button type="button" class="secondary" on:click=move |_| send_now()>
                {tr(Msg::SendNow)}
            </button>
        </p>
        {move || match view.records.get() {
            None => view! { <p>{tr(Msg::OutboxChecking)}</p> }.into_any(),
            Some(records) if records.is_empty() => {
                view! { <p>{tr(Msg::OutboxEmpty)}</p> }.into_any()
            }
            Some(records) => {
                view! {
                    <ul class="outbox-list">
                        {records
                            .into_iter()
                            .map(|r| view! { <OutboxItem record=r lang/> })
                            .collect_view()}
                    </ul>
                }
                    .into_any()
            }
        }}
    }
}

#[component]
fn OutboxItem(record: OutboxRecord, lang: crate::text::LangSignal) -> impl IntoView {
    let confirming = RwSignal::new(false);
    let state = match record.state {
        RecordState::Pending | RecordState::Sending => Msg::StateWaiting,
        RecordState::Rejected => Msg::StateRejected,
        RecordState::Conflict => Msg::StateConflict,
    };
    let refused = !record.state.is_waiting();
    let queued = record.queued_at_ms;
    let id = record.id.clone();
    view! {
        <li class="outbox-item" class:refused=refused>
            <h2>{record.service_name.clone()}</h2>
            <p>
                <strong>{tr(state)}</strong>
                " · "
                {tr(Msg::SavedAt)}
                " "
                {move || local_time(queued, lang.get())}
            </p>
            {record
                .reason
                .clone()
                .filter(|_| refused)
                .map(|reason| {
                    view! {
                        <p class="reason">{tr(Msg::Reason)} ": " {reason}</p>
                    }
                })}
            {refused
                .then(|| {
                    view! {
                        <Show
                            when=move || confirming.get()
                            fallback=move || {
                                view! {
                                    <button
                                        type="button"
                                        class="secondary"
                                        on:click=move |_| confirming.set(true)
                                    >
                                        {tr(Msg::Discard)}
                                    </button>
                                }
                            }
                        >
                            <div class="confirm" role="group">
                                <p>{tr(Msg::DiscardQuestion)}</p>
                                <button
                                    type="button"
                                    class="danger"
                                    on:click={
                                        let id = id.clone();
                                        move |_| discard(id.clone())
                                    }
                                >
                                    {tr(Msg::ConfirmDiscard)}
                                </button>
                                " "
                                <button
                                    type="button"
                                    class="secondary"
                                    on:click=move |_| confirming.set(false)
                                >
                                    {tr(Msg::Cancel)}
                                </button>
                            </div>
                        </Show>
                    }
                })}
        </li>
    }
}

fn send_now() {
    #[cfg(feature = "csr")]
    crate::offline::agent::sync_soon();
}

fn discard(id: String) {
    #[cfg(feature = "csr")]
    leptos::task::spawn_local(async move {
        if let Err(e) = crate::offline::agent::discard(id).await {
            leptos::logging::warn!("discard failed: {e}");
        }
    });
    #[cfg(not(feature = "csr"))]
    let _ = id;
}

//! The sync client: empties the outbox whenever it can.
//!
//! It runs on start, on the `online` event, when the page becomes visible,
//! after each new response, and on a timer (exponential backoff with jitter,
//! capped at 5 minutes) while anything waits. It never relies on the
//! Background Sync API, which Firefox and Safari lack. One tab at a time
//! sends (Web Locks); the others learn of changes over a `BroadcastChannel`.

use super::complaints::ComplaintRecord;
use super::store::{Outbox, OutboxError};
use super::{changes_for, retry_delay_ms, OutboxRecord, OutboxView, RecordState};
use crate::domain::response::MAX_BATCH;
use crate::sync::{post_batch_json, SyncError};
use leptos::prelude::*;
use std::cell::RefCell;
use std::time::Duration;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

mod complaints;
pub use complaints::send_complaint_now;
use complaints::sync_complaints;

const LOCK_NAME: &str = "suara-outbox-sync";
const CHANNEL_NAME: &str = "suara-outbox";

/// How one sync ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Nothing waits any more (refused records are not waiting).
    Done,
    /// The server could not be reached, or refused the batch: try again later.
    Unreachable,
    /// Another tab holds the lock and is sending.
    Busy,
}

#[derive(Default)]
struct Agent {
    view: Option<OutboxView>,
    running: bool,
    again: bool,
    attempt: u32,
    retry: Option<TimeoutHandle>,
    channel: Option<web_sys::BroadcastChannel>,
}

thread_local! {
    static AGENT: RefCell<Agent> = RefCell::new(Agent::default());
}

/// Starts the client once per page; later calls do nothing.
pub fn start(view: OutboxView) {
    let first = AGENT.with_borrow_mut(|a| {
        let first = a.view.is_none();
        a.view = Some(view);
        first
    });
    if !first {
        return;
    }
    if let Ok(channel) = web_sys::BroadcastChannel::new(CHANNEL_NAME) {
        let on_message = Closure::<dyn Fn()>::new(spawn_local_refresh);
        channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        AGENT.with_borrow_mut(|a| a.channel = Some(channel));
    }
    let handle = window_event_listener(leptos::ev::online, |_| sync_soon());
    std::mem::forget(handle);
    let on_visible = Closure::<dyn Fn()>::new(|| {
        if document().visibility_state() == web_sys::VisibilityState::Visible {
            sync_soon();
            super::worker::check_for_update();
        }
    });
    let _ = document()
        .add_event_listener_with_callback("visibilitychange", on_visible.as_ref().unchecked_ref());
    on_visible.forget();
    super::worker::register(view);
    ask_for_persistent_storage(view);
    sync_soon();
}

/// Syncs now (or right after the sync under way).
pub fn sync_soon() {
    leptos::task::spawn_local(run());
}

/// Keeps `record` on the device, durably, then starts a sync. When this
/// returns `Ok`, the response is safe whatever happens to the tab.
pub async fn enqueue(record: OutboxRecord) -> Result<(), OutboxError> {
    let outbox = Outbox::open().await?;
    outbox.add(&record).await?;
    drop(outbox);
    refresh().await;
    announce();
    sync_soon();
    Ok(())
}

/// Keeps a complaint and its photos on the device, durably, then starts a
/// sync: when this returns `Ok`, the receipt may show.
pub async fn enqueue_complaint(
    record: ComplaintRecord,
    photos: Vec<(String, JsValue)>,
) -> Result<(), OutboxError> {
    let outbox = Outbox::open().await?;
    outbox.add_complaint(&record, &photos).await?;
    drop(outbox);
    refresh().await;
    announce();
    sync_soon();
    Ok(())
}

/// Removes a refused record on the citizen's explicit request.
pub async fn discard(id: String) -> Result<(), OutboxError> {
    Outbox::open().await?.discard(&id).await?;
    refresh().await;
    announce();
    Ok(())
}

async fn run() {
    let busy = AGENT.with_borrow_mut(|a| {
        if a.running {
            a.again = true;
            true
        } else {
            a.running = true;
            a.again = false;
            false
        }
    });
    if busy {
        return;
    }
    let mut outcome;
    loop {
        outcome = with_lock(sync_once()).await;
        let again = AGENT.with_borrow_mut(|a| std::mem::take(&mut a.again));
        if !again || outcome != Outcome::Done {
            break;
        }
    }
    AGENT.with_borrow_mut(|a| a.running = false);
    refresh().await;
    announce();
    schedule_retry(outcome);
}

/// Sends every waiting record, in batches of at most [`MAX_BATCH`].
async fn sync_once() -> Outcome {
    match try_sync_once().await {
        Ok(o) => o,
        Err(e) => {
            leptos::logging::warn!("outbox unavailable: {e}");
            Outcome::Unreachable
        }
    }
}

async fn try_sync_once() -> Result<Outcome, OutboxError> {
    let outbox = Outbox::open().await?;
    let mut waiting: Vec<OutboxRecord> = outbox
        .all()
        .await?
        .into_iter()
        // `sending` left behind by a closed tab is sent again: the lock
        // guarantees that no other tab has it in flight.
        .filter(|r| r.state.is_waiting())
        .collect();
    in_queue_order(&mut waiting);
    for batch in waiting.chunks(MAX_BATCH) {
        let ids: Vec<String> = batch.iter().map(|r| r.id.clone()).collect();
        outbox.set_state(&ids, RecordState::Sending).await?;
        // The stored JSON is sent as it is, so every resend is byte-identical.
        let body = format!(
            "{{\"responses\":[{}]}}",
            batch
                .iter()
                .map(|r| r.response.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        match post_batch_json(body).await {
            Ok(results) => {
                outbox.apply(&changes_for(&ids, &results.results)).await?;
                outbox.set_last_sync_ms(js_sys::Date::now()).await?;
            }
            Err(e) => {
                outbox.set_state(&ids, RecordState::Pending).await?;
                if let SyncError::Refused { status, detail } = &e {
                    leptos::logging::warn!("batch refused ({status}): {detail}");
                }
                return Ok(Outcome::Unreachable);
            }
        }
    }
    sync_complaints(&outbox).await
}

fn schedule_retry(outcome: Outcome) {
    let waiting = AGENT
        .with_borrow(|a| a.view.map(|v| v.waiting_untracked().unwrap_or(0)))
        .unwrap_or(0);
    AGENT.with_borrow_mut(|a| {
        if let Some(t) = a.retry.take() {
            t.clear();
        }
        if outcome == Outcome::Done || waiting == 0 {
            a.attempt = 0;
            return;
        }
        let delay = retry_delay_ms(a.attempt, js_sys::Math::random());
        a.attempt = a.attempt.saturating_add(1);
        a.retry = set_timeout_with_handle(sync_soon, Duration::from_millis(delay as u64)).ok();
    });
}

/// Runs `job` holding the cross-tab sync lock, or reports [`Outcome::Busy`]
/// when another tab holds it. Without Web Locks (old browsers, plain-HTTP
/// origins) it runs anyway: a second sender only causes `duplicate` results.
async fn with_lock(job: impl std::future::Future<Output = Outcome> + 'static) -> Outcome {
    let locks = js_sys::Reflect::get(&window().navigator(), &"locks".into())
        .ok()
        .filter(|l| !l.is_undefined() && !l.is_null());
    let Some(locks) = locks else {
        return job.await;
    };
    let callback = Closure::once_into_js(move |lock: JsValue| -> js_sys::Promise {
        if lock.is_null() {
            return js_sys::Promise::resolve(&JsValue::from_str("busy"));
        }
        wasm_bindgen_futures::future_to_promise(async move {
            Ok(JsValue::from_str(match job.await {
                Outcome::Done => "done",
                Outcome::Unreachable => "unreachable",
                Outcome::Busy => "busy",
            }))
        })
    });
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
    let request = js_sys::Reflect::get(&locks, &"request".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(request) = request else {
        return Outcome::Busy;
    };
    let promise = request
        .call3(&locks, &LOCK_NAME.into(), &options, &callback)
        .ok()
        .and_then(|p| p.dyn_into::<js_sys::Promise>().ok());
    let Some(promise) = promise else {
        return Outcome::Busy;
    };
    match wasm_bindgen_futures::JsFuture::from(promise)
        .await
        .ok()
        .and_then(|v| v.as_string())
        .as_deref()
    {
        Some("done") => Outcome::Done,
        Some("unreachable") => Outcome::Unreachable,
        _ => Outcome::Busy,
    }
}

/// Reads the outbox into the page's [`OutboxView`].
pub async fn refresh() {
    let Some(view) = AGENT.with_borrow(|a| a.view) else {
        return;
    };
    let read = async {
        let outbox = Outbox::open().await?;
        let records = outbox.all().await?;
        let complaints = outbox.complaints().await?;
        let last = outbox.last_sync_ms().await?;
        Ok::<_, OutboxError>((records, complaints, last))
    };
    match read.await {
        Ok((mut records, mut complaints, last)) => {
            in_queue_order(&mut records);
            complaints.sort_by(|a, b| b.queued_at_ms.total_cmp(&a.queued_at_ms));
            view.show(records, complaints, last);
        }
        Err(e) => {
            leptos::logging::warn!("outbox unreadable: {e}");
            view.unavailable.set(true);
        }
    }
}

fn spawn_local_refresh() {
    leptos::task::spawn_local(refresh());
}

/// Tells the other tabs that the outbox changed.
fn announce() {
    AGENT.with_borrow(|a| {
        if let Some(c) = &a.channel {
            let _ = c.post_message(&JsValue::from_str("changed"));
        }
    });
}

/// Asks the browser not to evict this origin's storage, and records a refusal
/// so that the page can say what it means.
fn ask_for_persistent_storage(view: OutboxView) {
    leptos::task::spawn_local(async move {
        let storage = window().navigator().storage();
        let already = match storage.persisted() {
            Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await.ok(),
            Err(_) => None,
        };
        if already.and_then(|v| v.as_bool()) == Some(true) {
            return;
        }
        let granted = match storage.persist() {
            Ok(p) => wasm_bindgen_futures::JsFuture::from(p)
                .await
                .ok()
                .and_then(|v| v.as_bool()),
            Err(_) => None,
        };
        view.persist_refused.set(granted != Some(true));
    });
}

/// Oldest first, as the citizen queued them (one sort for every caller: a
/// sort is a few KB of wasm each time it is written out).
fn in_queue_order(records: &mut [OutboxRecord]) {
    records.sort_by(|a, b| a.queued_at_ms.total_cmp(&b.queued_at_ms));
}

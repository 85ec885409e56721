//! The device side of "never lose a response": the outbox kept in IndexedDB
//! and the sync client that empties it.
//!
//! What is decided here is pure and tested on the host (record states, what a
//! batch's results do to the outbox, when to try again); what touches the
//! browser (`store`, `agent`) is compiled for `csr` only.

use crate::domain::response::{SyncResult, SyncStatus};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[cfg(feature = "csr")]
pub mod agent;
pub mod complaints;
#[cfg(feature = "csr")]
pub mod photo;
#[cfg(feature = "csr")]
pub mod store;
#[cfg(feature = "csr")]
pub mod worker;

/// What the page shows of the outbox: filled in by the sync client once the
/// browser app runs; on the server and before the first read it is
/// "unknown", so the server's markup and the first browser render agree.
#[derive(Clone, Copy, Debug)]
pub struct OutboxView {
    /// Every record, oldest first; `None` until first read.
    pub records: RwSignal<Option<Vec<OutboxRecord>>>,
    /// The complaints filed on this device, newest first; `None` until first read.
    pub complaints: RwSignal<Option<Vec<complaints::ComplaintRecord>>>,
    /// When a sync last reached the server (ms since the epoch).
    pub last_sync_ms: RwSignal<Option<f64>>,
    /// IndexedDB cannot be used (private mode in some browsers, blocked storage).
    pub unavailable: RwSignal<bool>,
    /// The browser refused persistent storage: it may evict what waits.
    pub persist_refused: RwSignal<bool>,
    /// A new version of Suara is installed and waits for the citizen's consent.
    pub update_ready: RwSignal<bool>,
}

impl OutboxView {
    pub fn provide() -> Self {
        let view = Self {
            records: RwSignal::new(None),
            complaints: RwSignal::new(None),
            last_sync_ms: RwSignal::new(None),
            unavailable: RwSignal::new(false),
            persist_refused: RwSignal::new(false),
            update_ready: RwSignal::new(false),
        };
        provide_context(view);
        view
    }

    pub fn show(
        &self,
        records: Vec<OutboxRecord>,
        complaints: Vec<complaints::ComplaintRecord>,
        last_sync_ms: Option<f64>,
    ) {
        self.records.set(Some(records));
        self.complaints.set(Some(complaints));
        self.last_sync_ms.set(last_sync_ms);
        self.unavailable.set(false);
    }

    /// How many responses wait to be sent (reactive).
    pub fn waiting(&self) -> Option<usize> {
        self.records.with(|r| {
            r.as_ref()
                .map(|r| r.iter().filter(|x| x.state.is_waiting()).count())
        })
    }

    /// How many complaints (or their photos) wait to be sent (reactive).
    pub fn waiting_complaints(&self) -> usize {
        self.complaints.with(|c| {
            c.as_ref()
                .map_or(0, |c| c.iter().filter(|x| x.is_waiting()).count())
        })
    }

    /// Responses and complaints still to send: whether to try again.
    pub fn waiting_untracked(&self) -> Option<usize> {
        untrack(|| Some(self.waiting()? + self.waiting_complaints()))
    }

    /// How many responses the server refused (reactive; refused complaints
    /// show on the device's complaint list).
    pub fn refused(&self) -> Option<usize> {
        self.records.with(|r| {
            r.as_ref()
                .map(|r| r.iter().filter(|x| !x.state.is_waiting()).count())
        })
    }
}

pub fn use_outbox_view() -> OutboxView {
    expect_context::<OutboxView>()
}

/// The respondent profile the citizen asked this device to remember, if
/// any (their own phone only; a kiosk never remembers).
pub async fn remembered_profile() -> Option<crate::domain::Respondent> {
    #[cfg(feature = "csr")]
    {
        let outbox = store::Outbox::open().await.ok()?;
        let json = outbox.profile().await.ok()??;
        crate::net::parse(&json).ok()
    }
    #[cfg(not(feature = "csr"))]
    None
}

/// Remembers `profile` on this device, or forgets what it remembered with
/// `None`.
pub async fn remember_profile(profile: Option<crate::domain::Respondent>) -> Result<(), String> {
    #[cfg(feature = "csr")]
    {
        let outbox = store::Outbox::open().await.map_err(|e| e.to_string())?;
        let json = profile.map(|p| crate::net::stringify(&p)).transpose()?;
        outbox.set_profile(json).await.map_err(|e| e.to_string())
    }
    #[cfg(not(feature = "csr"))]
    {
        let _ = profile;
        Ok(())
    }
}

/// Why a response could not be kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeepError {
    /// This device cannot store it and the server could not be reached.
    Unreachable,
    /// This device cannot store it and the server refused it, for this reason.
    NotAccepted(String),
}

impl KeepError {
    pub fn message(&self, lang: crate::text::Lang) -> String {
        use crate::text::Msg;
        match self {
            Self::Unreachable => Msg::NotSentNetwork.text(lang).to_owned(),
            Self::NotAccepted(reason) => format!("{} {reason}", Msg::NotAccepted.text(lang)),
        }
    }
}

/// Keeps a citizen's response: in the outbox, committed, before this returns
/// `Ok` (the sync client sends it afterwards). Only where the device has no
/// usable IndexedDB is it sent at once instead, and an error returned when
/// that fails, so that the citizen never sees "thank you" for a lost response.
pub async fn keep(
    submission: crate::domain::ResponseSubmission,
    service_name: String,
) -> Result<(), KeepError> {
    #[cfg(feature = "csr")]
    {
        let mut submission = submission;
        if submission.device_id.is_none() {
            if let Ok(outbox) = store::Outbox::open().await {
                submission.device_id = outbox.device_id().await.ok();
            }
        }
        let record = OutboxRecord {
            id: submission.id.to_string(),
            response: crate::net::stringify(&submission).map_err(|_| KeepError::Unreachable)?,
            state: RecordState::Pending,
            reason: None,
            service_name,
            queued_at_ms: js_sys::Date::now(),
        };
        match agent::enqueue(record).await {
            Ok(()) => return Ok(()),
            Err(e) => leptos::logging::warn!("outbox unavailable, sending at once: {e}"),
        }
        match crate::sync::send_batch(vec![submission]).await {
            Ok(out) => match out.results.first() {
                Some(r) if r.status.is_delivered() => Ok(()),
                Some(r) => Err(KeepError::NotAccepted(r.reason.clone().unwrap_or_default())),
                None => Err(KeepError::Unreachable),
            },
            Err(_) => Err(KeepError::Unreachable),
        }
    }
    #[cfg(not(feature = "csr"))]
    {
        let _ = (submission, service_name);
        Err(KeepError::Unreachable)
    }
}

/// A new tracking code from the platform's cryptographic random source
/// (the browser's, through a v4 UUID's bytes, which need no further code
/// in the wasm). Byte 6 is skipped: its low five bits hold a bit of the
/// UUID's version; the low five bits of every other byte used are random.
pub fn new_code() -> crate::domain::complaint::TrackingCode {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let mut random = [0u8; 11];
    random[..6].copy_from_slice(&bytes[..6]);
    random[6..].copy_from_slice(&bytes[7..12]);
    crate::domain::complaint::TrackingCode::from_random(random)
}

/// Keeps a citizen's complaint with the photos picked for it (their ids,
/// see [`photo`]): in IndexedDB, committed, before this returns `Ok`, so
/// the receipt never shows for a complaint that could be lost. Where the
/// device has no usable IndexedDB it is sent at once instead (its photos
/// after it), and an error returned when that fails.
pub async fn keep_complaint(
    submission: crate::domain::complaint::ComplaintSubmission,
    service_name: String,
    photos: Vec<String>,
) -> Result<(), KeepError> {
    #[cfg(feature = "csr")]
    {
        let blobs = photo::take(&photos);
        let record = complaints::ComplaintRecord {
            id: submission.id.to_string(),
            code: submission.code.clone(),
            complaint: crate::net::stringify(&submission).map_err(|_| KeepError::Unreachable)?,
            state: RecordState::Pending,
            delivered: false,
            reason: None,
            service_name,
            queued_at_ms: js_sys::Date::now(),
            photos: blobs
                .iter()
                .map(|(id, _)| complaints::PhotoRef {
                    id: id.clone(),
                    content_type: "image/jpeg".into(),
                    refused: None,
                })
                .collect(),
            new_codes: 0,
            first_code: None,
            key: submission.key.clone(),
        };
        match agent::enqueue_complaint(record.clone(), blobs.clone()).await {
            Ok(()) => return Ok(()),
            Err(e) => leptos::logging::warn!("complaint store unavailable, sending at once: {e}"),
        }
        agent::send_complaint_now(&record, &blobs).await
    }
    #[cfg(not(feature = "csr"))]
    {
        let _ = (submission, service_name, photos);
        Err(KeepError::Unreachable)
    }
}

/// Where a response kept on the device stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordState {
    /// Waiting to be sent.
    Pending,
    /// In a batch on its way; back to pending if no answer comes.
    Sending,
    /// The server found it invalid; kept until the citizen discards it.
    Rejected,
    /// The server holds a different response under the same id; kept too.
    Conflict,
}

impl RecordState {
    /// Still to be sent by the next sync.
    pub fn is_waiting(self) -> bool {
        matches!(self, Self::Pending | Self::Sending)
    }
}

/// One response in the outbox, as stored in IndexedDB.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OutboxRecord {
    /// The response's UUID: the outbox's key and the server's idempotency key.
    pub id: String,
    /// The response exactly as it will be sent (JSON of a `ResponseSubmission`),
    /// so that every resend carries the same bytes.
    pub response: String,
    pub state: RecordState,
    /// The server's reason, for `rejected` and `conflict`.
    #[serde(default)]
    pub reason: Option<String>,
    /// The service's name, for the "not sent" screen.
    pub service_name: String,
    /// When it was queued (milliseconds since the epoch, the device's clock).
    pub queued_at_ms: f64,
}

/// What the outbox must do once a batch's results are in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OutboxChange {
    /// Delivered (`accepted` or `duplicate`): the server holds it.
    Remove(String),
    /// Refused: keep it, visible, with the reason.
    Keep {
        id: String,
        state: RecordState,
        reason: String,
    },
    /// No result came back for it: send it again later.
    Retry(String),
}

/// The changes that `results` make to the records of the batch `sent` (their
/// ids, in order). A record is removed only when the server says it holds it.
pub fn changes_for(sent: &[String], results: &[SyncResult]) -> Vec<OutboxChange> {
    sent.iter()
        .map(|id| {
            let result = results
                .iter()
                .find(|r| r.id.map(|u| u.to_string()).as_deref() == Some(id.as_str()));
            match result {
                Some(r) if r.status.is_delivered() => OutboxChange::Remove(id.clone()),
                Some(r) => OutboxChange::Keep {
                    id: id.clone(),
                    state: match r.status {
                        SyncStatus::Conflict => RecordState::Conflict,
                        _ => RecordState::Rejected,
                    },
                    reason: r.reason.clone().unwrap_or_default(),
                },
                None => OutboxChange::Retry(id.clone()),
            }
        })
        .collect()
}

/// First retry delay, and the cap the issue sets (5 minutes).
pub const FIRST_RETRY_MS: f64 = 2_000.0;
pub const MAX_RETRY_MS: f64 = 300_000.0;

/// How long to wait before retry number `attempt` (0 for the first), with
/// "equal jitter": half the exponential delay plus a random share of the other
/// half, so that phones that lost the network together do not return together.
/// `random` is in `[0, 1)`.
pub fn retry_delay_ms(attempt: u32, random: f64) -> f64 {
    let exp = FIRST_RETRY_MS * 2f64.powi(attempt.min(30) as i32);
    let ceiling = exp.min(MAX_RETRY_MS);
    ceiling / 2.0 + ceiling / 2.0 * random.clamp(0.0, 1.0)
}

/// The IndexedDB schema, one entry per version: what upgrading *to* that
/// version creates. Opening at [`SCHEMA_VERSION`] runs every step above the
/// version the device has, in order, so a phone that skipped releases still
/// arrives at the current schema with its records intact.
pub const SCHEMA: &[SchemaStep] = &[
    // 1: the outbox itself, keyed by the response's id.
    SchemaStep {
        version: 1,
        create_store: OUTBOX_STORE,
        key_path: Some("id"),
    },
    // 2: small facts about this device's sync (when it last succeeded).
    SchemaStep {
        version: 2,
        create_store: META_STORE,
        key_path: None,
    },
    // 3: complaints filed on this device, keyed by the complaint's id.
    SchemaStep {
        version: 3,
        create_store: COMPLAINTS_STORE,
        key_path: Some("id"),
    },
    // 4: their photos (Blobs) until the server holds them, keyed by the photo's id.
    SchemaStep {
        version: 4,
        create_store: FILES_STORE,
        key_path: None,
    },
];

pub const DB_NAME: &str = "suara";
pub const OUTBOX_STORE: &str = "outbox";
pub const META_STORE: &str = "meta";
pub const COMPLAINTS_STORE: &str = "complaints";
pub const FILES_STORE: &str = "files";
pub const SCHEMA_VERSION: u32 = 4;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SchemaStep {
    pub version: u32,
    pub create_store: &'static str,
    pub key_path: Option<&'static str>,
}

/// The steps that take a database at `from` to [`SCHEMA_VERSION`].
pub fn upgrade_steps(from: u32) -> impl Iterator<Item = &'static SchemaStep> {
    SCHEMA
        .iter()
        .filter(move |s| s.version > from && s.version <= SCHEMA_VERSION)
}

#[cfg(test)]
mod tests;

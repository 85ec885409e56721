//! The outbox in IndexedDB (database `suara`, see [`super::SCHEMA`]).
//!
//! Every write is its own transaction, awaited until committed: when
//! [`Outbox::add`] returns `Ok`, the response is on the device even if the tab
//! is closed the next moment. Transactions of this crate roll back when
//! dropped, so each one ends in an explicit `commit()`.

use super::complaints::ComplaintRecord;
use super::{
    upgrade_steps, OutboxChange, OutboxRecord, RecordState, COMPLAINTS_STORE, DB_NAME, FILES_STORE,
    META_STORE, OUTBOX_STORE, SCHEMA_VERSION,
};
use indexed_db_futures::database::Database;
use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::{
    Transaction, TransactionDurability, TransactionMode, TransactionOptions,
};
use indexed_db_futures::KeyPath;

/// Why the device could not keep or read a response.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{0}")]
pub struct OutboxError(String);

fn err(e: impl std::fmt::Display) -> OutboxError {
    OutboxError(e.to_string())
}

const LAST_SYNC_KEY: &str = "last_sync_ms";
/// The respondent profile the citizen asked this device to remember (JSON).
const PROFILE_KEY: &str = "profile";
/// This install's random id (see [`Outbox::device_id`]).
const DEVICE_KEY: &str = "device_id";

/// An open handle on the device's outbox.
pub struct Outbox {
    /// Always `Some` until dropped.
    handle: Option<Database>,
}

impl Outbox {
    /// Opens the outbox, creating or upgrading its schema as needed.
    pub async fn open() -> Result<Self, OutboxError> {
        let db = Database::open(DB_NAME)
            .with_version(SCHEMA_VERSION)
            .with_on_upgrade_needed(|event, db| {
                let from = event.old_version() as u32;
                for step in upgrade_steps(from) {
                    let builder = db.create_object_store(step.create_store);
                    match step.key_path {
                        Some(path) => builder.with_key_path(KeyPath::One(path)).build()?,
                        None => builder.build()?,
                    };
                }
                Ok(())
            })
            .await
            .map_err(err)?;
        Ok(Self { handle: Some(db) })
    }

    fn db(&self) -> &Database {
        self.handle.as_ref().expect("open until dropped")
    }

    /// A transaction on one store; it rolls back unless committed.
    fn begin(&self, store: &str, mode: TransactionMode) -> Result<Transaction<'_>, OutboxError> {
        self.db()
            .transaction(store)
            .with_mode(mode)
            .build()
            .map_err(err)
    }

    /// Keeps `record`; returns once the write is durably committed.
    pub async fn add(&self, record: &OutboxRecord) -> Result<(), OutboxError> {
        let mut opts = TransactionOptions::new();
        opts.set_durability(TransactionDurability::Strict);
        let tx = self
            .db()
            .transaction(OUTBOX_STORE)
            .with_mode(TransactionMode::Readwrite)
            .with_options(opts)
            .build()
            .map_err(err)?;
        let store = tx.object_store(OUTBOX_STORE).map_err(err)?;
        store.put(record).serde().map_err(err)?;
        tx.commit().await.map_err(err)
    }

    /// Every record, in no particular order.
    pub async fn all(&self) -> Result<Vec<OutboxRecord>, OutboxError> {
        let tx = self.begin(OUTBOX_STORE, TransactionMode::Readonly)?;
        let store = tx.object_store(OUTBOX_STORE).map_err(err)?;
        let records = store
            .get_all::<OutboxRecord>()
            .serde()
            .map_err(err)?
            .await
            .map_err(err)?;
        let mut out = Vec::new();
        for r in records {
            // A record this version cannot read is left in place, never dropped.
            match r {
                Ok(r) => out.push(r),
                Err(e) => leptos::logging::warn!("unreadable outbox record: {e}"),
            }
        }
        Ok(out)
    }

    /// Sets the state of the records `ids`, in one transaction.
    pub async fn set_state(&self, ids: &[String], state: RecordState) -> Result<(), OutboxError> {
        let records = self.all().await?;
        let changed: Vec<OutboxRecord> = records
            .into_iter()
            .filter(|r| ids.contains(&r.id))
            .map(|mut r| {
                r.state = state;
                r
            })
            .collect();
        self.write(&changed, &[]).await
    }

    /// Applies what a batch's results decided, in one transaction.
    pub async fn apply(&self, changes: &[OutboxChange]) -> Result<(), OutboxError> {
        let records = self.all().await?;
        let mut puts = Vec::new();
        let mut removes = Vec::new();
        for change in changes {
            match change {
                OutboxChange::Remove(id) => removes.push(id.clone()),
                OutboxChange::Keep { id, state, reason } => {
                    if let Some(r) = records.iter().find(|r| &r.id == id) {
                        let mut r = r.clone();
                        r.state = *state;
                        r.reason = Some(reason.clone());
                        puts.push(r);
                    }
                }
                OutboxChange::Retry(id) => {
                    if let Some(r) = records.iter().find(|r| &r.id == id) {
                        let mut r = r.clone();
                        r.state = RecordState::Pending;
                        puts.push(r);
                    }
                }
            }
        }
        self.write(&puts, &removes).await
    }

    /// Removes one record on the citizen's explicit request.
    pub async fn discard(&self, id: &str) -> Result<(), OutboxError> {
        self.write(&[], &[id.to_owned()]).await
    }

    async fn write(&self, puts: &[OutboxRecord], removes: &[String]) -> Result<(), OutboxError> {
        if puts.is_empty() && removes.is_empty() {
            return Ok(());
        }
        let tx = self.begin(OUTBOX_STORE, TransactionMode::Readwrite)?;
        let store = tx.object_store(OUTBOX_STORE).map_err(err)?;
        for r in puts {
            store.put(r).serde().map_err(err)?;
        }
        for id in removes {
            store.delete(id.as_str()).primitive().map_err(err)?;
        }
        tx.commit().await.map_err(err)
    }

    /// When a sync last reached the server (ms since the epoch).
    pub async fn last_sync_ms(&self) -> Result<Option<f64>, OutboxError> {
        let tx = self.begin(META_STORE, TransactionMode::Readonly)?;
        let store = tx.object_store(META_STORE).map_err(err)?;
        let value: Option<f64> = store
            .get(LAST_SYNC_KEY)
            .primitive()
            .map_err(err)?
            .await
            .map_err(err)?;
        Ok(value)
    }

    pub async fn set_last_sync_ms(&self, at: f64) -> Result<(), OutboxError> {
        let tx = self.begin(META_STORE, TransactionMode::Readwrite)?;
        let store = tx.object_store(META_STORE).map_err(err)?;
        store
            .put(at)
            .with_key(LAST_SYNC_KEY)
            .primitive()
            .map_err(err)?;
        tx.commit().await.map_err(err)
    }
}

impl Outbox {
    /// The remembered respondent profile, as JSON.
    pub async fn profile(&self) -> Result<Option<String>, OutboxError> {
        let tx = self.begin(META_STORE, TransactionMode::Readonly)?;
        let store = tx.object_store(META_STORE).map_err(err)?;
        store
            .get(PROFILE_KEY)
            .primitive()
            .map_err(err)?
            .await
            .map_err(err)
    }

    /// This install's random id, made on first use and kept with the
    /// outbox: sent with each response so that the server can notice one
    /// device rating a service many times a day. Never linked to a person.
    pub async fn device_id(&self) -> Result<uuid::Uuid, OutboxError> {
        let tx = self.begin(META_STORE, TransactionMode::Readwrite)?;
        let store = tx.object_store(META_STORE).map_err(err)?;
        let kept: Option<String> = store
            .get(DEVICE_KEY)
            .primitive()
            .map_err(err)?
            .await
            .map_err(err)?;
        let id = match kept.and_then(|k| k.parse().ok()) {
            Some(id) => id,
            None => {
                let id = uuid::Uuid::new_v4();
                store
                    .put(id.to_string())
                    .with_key(DEVICE_KEY)
                    .primitive()
                    .map_err(err)?;
                id
            }
        };
        tx.commit().await.map_err(err)?;
        Ok(id)
    }

    /// Remembers `profile` (JSON), or forgets it with `None`.
    pub async fn set_profile(&self, profile: Option<String>) -> Result<(), OutboxError> {
        let tx = self.begin(META_STORE, TransactionMode::Readwrite)?;
        let store = tx.object_store(META_STORE).map_err(err)?;
        match profile {
            Some(p) => {
                store
                    .put(p)
                    .with_key(PROFILE_KEY)
                    .primitive()
                    .map_err(err)?;
            }
            None => {
                store.delete(PROFILE_KEY).primitive().map_err(err)?;
            }
        }
        tx.commit().await.map_err(err)
    }
}

/// Complaints and their photos.
impl Outbox {
    /// Keeps a complaint with its photos (Blobs, by id), in one durable
    /// transaction: both are on the device when this returns `Ok`.
    pub async fn add_complaint(
        &self,
        record: &ComplaintRecord,
        photos: &[(String, wasm_bindgen::JsValue)],
    ) -> Result<(), OutboxError> {
        let mut opts = TransactionOptions::new();
        opts.set_durability(TransactionDurability::Strict);
        let tx = self
            .db()
            .transaction([COMPLAINTS_STORE, FILES_STORE])
            .with_mode(TransactionMode::Readwrite)
            .with_options(opts)
            .build()
            .map_err(err)?;
        let files = tx.object_store(FILES_STORE).map_err(err)?;
        for (id, blob) in photos {
            files
                .put(blob.clone())
                .with_key(id.as_str())
                .primitive()
                .map_err(err)?;
        }
        let store = tx.object_store(COMPLAINTS_STORE).map_err(err)?;
        store.put(record).serde().map_err(err)?;
        tx.commit().await.map_err(err)
    }

    /// Every complaint filed on this device, in no particular order.
    pub async fn complaints(&self) -> Result<Vec<ComplaintRecord>, OutboxError> {
        let tx = self.begin(COMPLAINTS_STORE, TransactionMode::Readonly)?;
        let store = tx.object_store(COMPLAINTS_STORE).map_err(err)?;
        let records = store
            .get_all::<ComplaintRecord>()
            .serde()
            .map_err(err)?
            .await
            .map_err(err)?;
        Ok(records
            .into_iter()
            .filter_map(|r| {
                r.map_err(|e| leptos::logging::warn!("unreadable complaint record: {e}"))
                    .ok()
            })
            .collect())
    }

    /// Writes `records` back and forgets the photos `done`, in one transaction.
    pub async fn put_complaints(
        &self,
        records: &[ComplaintRecord],
        done: &[String],
    ) -> Result<(), OutboxError> {
        let tx = self
            .db()
            .transaction([COMPLAINTS_STORE, FILES_STORE])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .map_err(err)?;
        let store = tx.object_store(COMPLAINTS_STORE).map_err(err)?;
        for r in records {
            store.put(r).serde().map_err(err)?;
        }
        let files = tx.object_store(FILES_STORE).map_err(err)?;
        for id in done {
            files.delete(id.as_str()).primitive().map_err(err)?;
        }
        tx.commit().await.map_err(err)
    }

    /// A photo's bytes (a Blob), while it waits.
    pub async fn photo(&self, id: &str) -> Result<Option<wasm_bindgen::JsValue>, OutboxError> {
        let tx = self.begin(FILES_STORE, TransactionMode::Readonly)?;
        let store = tx.object_store(FILES_STORE).map_err(err)?;
        let value: Option<wasm_bindgen::JsValue> =
            store.get(id).primitive().map_err(err)?.await.map_err(err)?;
        Ok(value.filter(|v| !v.is_undefined() && !v.is_null()))
    }
}

impl Drop for Outbox {
    fn drop(&mut self) {
        // Close promptly, so that a newer version in another tab can upgrade.
        if let Some(db) = self.handle.take() {
            db.close();
        }
    }
}

//! Group commit: syncs that arrive while a write transaction is running are
//! decided together in the next one, so many phones syncing at once cost one
//! commit (one fsync, one turn of the chain head lock) instead of one each.
//!
//! One task per process takes the waiting syncs — as many as have queued,
//! up to [`MAX_ENTRIES`] responses — and runs [`Store::ingest_together`];
//! each sync is answered with exactly its own results, only after the
//! commit. Nothing waits on purpose: a lone sync is committed at once, and
//! batching grows only with the load. Should a shared transaction fail, each
//! sync is tried again alone, so one sync's failure is never another's.

use super::Store;
use app::domain::response::SyncResult;
use sqlx::pool::PoolConnection;
use sqlx::Any;
use time::OffsetDateTime;
use tokio::sync::{mpsc, oneshot};

/// The most responses one shared transaction decides (a sync may bring up
/// to 500; one larger than what is left waits for the next).
pub const MAX_ENTRIES: usize = 2_000;

/// Syncs waiting for the committer, at most (then senders wait).
const QUEUE: usize = 1_024;

type Answer = oneshot::Sender<Result<Vec<SyncResult>, Failed>>;

/// Why a shared transaction failed, as each of its syncs is told.
#[derive(Debug, Clone)]
pub struct Failed {
    pub message: String,
    /// The database was unavailable (see [`super::unavailable`]).
    pub unavailable: bool,
}

impl From<&sqlx::Error> for Failed {
    fn from(e: &sqlx::Error) -> Self {
        Self {
            message: e.to_string(),
            unavailable: super::unavailable(e),
        }
    }
}

struct Job {
    entries: Vec<serde_json::Value>,
    received_at: OffsetDateTime,
    answer: Answer,
}

/// Where a process's syncs go to be committed.
#[derive(Clone, Debug)]
pub struct IngestQueue {
    store: Store,
    jobs: Option<mpsc::Sender<Job>>,
}

/// Why a sync was not decided.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Storage(#[from] sqlx::Error),
    #[error("the write transaction failed: {}", .0.message)]
    Shared(Failed),
}

impl IngestError {
    /// Whether the sync may simply be sent again later (`503`).
    pub fn unavailable(&self) -> bool {
        match self {
            Self::Storage(e) => super::unavailable(e),
            Self::Shared(f) => f.unavailable,
        }
    }
}

impl IngestQueue {
    /// The queue of `store`, with its committer task (started here: call it
    /// within the server's runtime; without one, each sync commits alone).
    pub fn new(store: Store) -> Self {
        let jobs = tokio::runtime::Handle::try_current().ok().map(|handle| {
            let (tx, rx) = mpsc::channel(QUEUE);
            handle.spawn(commit_loop(store.clone(), rx));
            tx
        });
        Self { store, jobs }
    }

    /// Decides `entries` as [`Store::ingest`] does, committed together with
    /// whatever other syncs are waiting; answers after the commit.
    pub async fn ingest(
        &self,
        entries: Vec<serde_json::Value>,
        received_at: OffsetDateTime,
    ) -> Result<Vec<SyncResult>, IngestError> {
        let Some(jobs) = &self.jobs else {
            return Ok(self.store.ingest(entries, received_at).await?);
        };
        let (answer, answered) = oneshot::channel();
        let job = Job {
            entries,
            received_at,
            answer,
        };
        if let Err(mpsc::error::SendError(job)) = jobs.send(job).await {
            // The committer is gone (the runtime is shutting down).
            return Ok(self.store.ingest(job.entries, job.received_at).await?);
        }
        match answered.await {
            Ok(result) => result.map_err(IngestError::Shared),
            Err(_) => Err(IngestError::Shared(Failed {
                message: "the committer stopped".to_owned(),
                unavailable: true,
            })),
        }
    }
}

async fn commit_loop(store: Store, mut rx: mpsc::Receiver<Job>) {
    let mut held: Option<Job> = None;
    // The connection groups are committed on, kept while syncs keep coming
    // and given back to the pool when none waits.
    let mut connection: Option<PoolConnection<Any>> = None;
    loop {
        let first = match held.take() {
            Some(job) => job,
            None => match rx.try_recv() {
                Ok(job) => job,
                Err(_) => {
                    connection = None;
                    match rx.recv().await {
                        Some(job) => job,
                        None => return,
                    }
                }
            },
        };
        let mut size = first.entries.len();
        let mut group = vec![first];
        gather(&mut rx, &mut group, &mut size, &mut held);
        tracing::debug!(syncs = group.len(), responses = size, "committing together");
        metrics::histogram!("suara_group_commit_syncs_size").record(group.len() as f64);
        metrics::histogram!("suara_group_commit_responses_size").record(size as f64);
        if let Some(failed) = commit(&store, &mut connection, group).await {
            // The database is unavailable: the syncs that queued meanwhile
            // are told at once rather than each waiting out the pool again.
            for job in held
                .take()
                .into_iter()
                .chain(std::iter::from_fn(|| rx.try_recv().ok()))
            {
                let _ = job.answer.send(Err(failed.clone()));
            }
        }
    }
}

/// Takes the syncs waiting now into `group`, up to [`MAX_ENTRIES`]
/// responses (the first that does not fit is `held` for the next).
fn gather(
    rx: &mut mpsc::Receiver<Job>,
    group: &mut Vec<Job>,
    size: &mut usize,
    held: &mut Option<Job>,
) {
    while *size < MAX_ENTRIES {
        match rx.try_recv() {
            Ok(job) if *size + job.entries.len() <= MAX_ENTRIES => {
                *size += job.entries.len();
                group.push(job);
            }
            Ok(job) => {
                *held = Some(job);
                return;
            }
            Err(_) => return,
        }
    }
}

/// Commits `group` together on `connection` (taken from the pool when
/// there is none, and dropped after a failure), answering each job; alone,
/// one by one, when the shared transaction fails. The failure, when the
/// database is unavailable.
#[tracing::instrument(name = "group_commit", skip_all, fields(syncs = group.len()))]
async fn commit(
    store: &Store,
    connection: &mut Option<PoolConnection<Any>>,
    group: Vec<Job>,
) -> Option<Failed> {
    let (batches, answers): (Vec<_>, Vec<_>) = group
        .into_iter()
        .map(|j| ((j.entries, j.received_at), j.answer))
        .unzip();
    let together = match connection {
        Some(c) => store.ingest_on(c, &batches).await,
        None => match store.pool().acquire().await {
            Ok(mut c) => {
                let decided = store.ingest_on(&mut c, &batches).await;
                *connection = Some(c);
                decided
            }
            Err(e) => Err(e),
        },
    };
    if together.is_err() {
        // It may be in a state only a fresh connection is free of.
        *connection = None;
    }
    match together {
        Ok(results) => {
            for (answer, results) in answers.into_iter().zip(results) {
                // A sync whose client went away is committed all the same.
                let _ = answer.send(Ok(results));
            }
        }
        // Alone, or the database is unavailable (trying each sync again
        // alone would only make every client wait longer for its 503).
        Err(e) if batches.len() == 1 || super::unavailable(&e) => {
            let failed = Failed::from(&e);
            for answer in answers {
                let _ = answer.send(Err(failed.clone()));
            }
            return failed.unavailable.then_some(failed);
        }
        Err(_) => {
            for (batch, answer) in batches.into_iter().zip(answers) {
                let result = store
                    .ingest_together(std::slice::from_ref(&batch))
                    .await
                    .map(|mut r| r.pop().unwrap_or_default())
                    .map_err(|e| Failed::from(&e));
                let _ = answer.send(result);
            }
        }
    }
    None
}

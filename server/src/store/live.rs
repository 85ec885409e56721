//! The bus that tells open dashboards what arrived: an in-process channel
//! on SQLite (one process); on PostgreSQL, `NOTIFY` on the database, which
//! every replica `LISTEN`s to and relays to its own listeners, so a
//! dashboard open on one replica hears responses accepted by another. The
//! live feed itself is `http::events`.

use tokio::sync::{broadcast, watch};
use uuid::Uuid;

/// Responses (or a complaint) were accepted for a service; or what a unit
/// shows the public changed (`What::Public`, with the unit's id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arrived {
    /// The service's id; for `What::Public`, the unit's.
    pub service_id: Uuid,
    pub what: What,
}

/// What arrived: the event's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    Response,
    Complaint,
    /// A unit published, kept its follow-up or resolved a complaint: its
    /// public page (and waiting-room display) changed.
    Public,
}

impl What {
    /// The name of its server-sent event.
    pub fn event(self) -> &'static str {
        match self {
            Self::Response => "response",
            Self::Complaint => "complaint",
            Self::Public => "public",
        }
    }
}

/// The PostgreSQL channel replicas announce on.
const PG_CHANNEL: &str = "suara_events";

/// Services per `NOTIFY` (its payload holds at most 8,000 bytes).
const PER_NOTIFY: usize = 150;

/// An arrival with no service: listeners may have missed some, so whatever
/// is on screen may be stale.
pub const MISSED: Arrived = Arrived {
    service_id: Uuid::nil(),
    what: What::Response,
};

/// Where syncs announce and dashboards listen: listeners that fall behind
/// are told to refresh rather than replayed.
#[derive(Clone)]
pub struct Bus {
    local: broadcast::Sender<Arrived>,
    /// On PostgreSQL: the pool `NOTIFY` goes through, and whether this
    /// process is listening to the database now.
    postgres: Option<(sqlx::AnyPool, watch::Receiver<bool>)>,
}

impl Bus {
    /// The bus of a process over `store`. On PostgreSQL, a task listens to
    /// the database for every replica's announcements (started here, so
    /// call it within the server's runtime).
    pub fn new(store: &crate::store::Store) -> Self {
        let local = broadcast::channel(1024).0;
        let postgres = store.postgres_url().and_then(|url| {
            let handle = tokio::runtime::Handle::try_current().ok()?;
            let (listening, ready) = watch::channel(false);
            handle.spawn(relay(url.to_owned(), local.clone(), listening));
            Some((store.pool().clone(), ready))
        });
        Self { local, postgres }
    }

    /// A new listener, once this process hears the database's announcements
    /// (waiting a few seconds at most; without them it hears its own only
    /// after the relay reconnects).
    pub async fn subscribe(&self) -> broadcast::Receiver<Arrived> {
        if let Some((_, ready)) = &self.postgres {
            let mut ready = ready.clone();
            let _ = tokio::time::timeout(
                std::time::Duration::from_secs(5),
                ready.wait_for(|listening| *listening),
            )
            .await;
        }
        self.local.subscribe()
    }

    /// Tells every listener, in this process and (on PostgreSQL) in every
    /// replica, that `what` arrived for each of `services`.
    pub fn announce(&self, what: What, services: Vec<Uuid>) {
        let Some((pool, _)) = &self.postgres else {
            for service_id in services {
                // No listener is not an error.
                let _ = self.local.send(Arrived { service_id, what });
            }
            return;
        };
        let payloads: Vec<String> = services
            .chunks(PER_NOTIFY)
            .map(|chunk| payload(what, chunk))
            .collect();
        let pool = pool.clone();
        // After the commit; the answer to the sync does not wait for it.
        tokio::spawn(async move {
            for p in payloads {
                if let Err(e) = sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(PG_CHANNEL)
                    .bind(&p)
                    .execute(&pool)
                    .await
                {
                    tracing::warn!(error = %e, "announcing to other replicas failed");
                }
            }
        });
    }
}

/// `response:<uuid>,<uuid>…`
fn payload(what: What, services: &[Uuid]) -> String {
    let ids: Vec<String> = services.iter().map(Uuid::to_string).collect();
    format!("{}:{}", what.event(), ids.join(","))
}

fn parse(payload: &str) -> Vec<Arrived> {
    let Some((what, ids)) = payload.split_once(':') else {
        return Vec::new();
    };
    let what = match what {
        "response" => What::Response,
        "complaint" => What::Complaint,
        "public" => What::Public,
        _ => return Vec::new(),
    };
    ids.split(',')
        .filter_map(|id| id.parse().ok())
        .map(|service_id| Arrived { service_id, what })
        .collect()
}

/// Relays the database's announcements to this process's listeners, for
/// as long as the process lives; reconnects after a lost connection and
/// then tells listeners they may have missed some.
async fn relay(url: String, local: broadcast::Sender<Arrived>, listening: watch::Sender<bool>) {
    let mut wait = std::time::Duration::from_millis(250);
    loop {
        let listener = async {
            let mut l = sqlx::postgres::PgListener::connect(&url).await?;
            l.listen(PG_CHANNEL).await?;
            Ok::<_, sqlx::Error>(l)
        };
        let mut listener = match listener.await {
            Ok(l) => l,
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for other replicas' announcements; retrying");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(std::time::Duration::from_secs(30));
                continue;
            }
        };
        wait = std::time::Duration::from_millis(250);
        listening.send_replace(true);
        let _ = local.send(MISSED);
        loop {
            match listener.try_recv().await {
                Ok(Some(n)) => {
                    for a in parse(n.payload()) {
                        let _ = local.send(a);
                    }
                }
                // The connection was lost; the next call reconnects (and
                // whatever was announced meanwhile is missed).
                Ok(None) => {
                    let _ = local.send(MISSED);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "lost the other replicas' announcements; reconnecting");
                    listening.send_replace(false);
                    break;
                }
            }
        }
    }
}

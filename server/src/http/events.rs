//! `GET /api/v1/events`: server-sent events for open dashboards. When a
//! sync accepts responses (or complaints), each service that got one is
//! announced to every listener allowed to see it (a unit head hears only
//! their units), so the figures on screen refresh without a reload.
//!
//! Announcements travel on a [`Bus`]: an in-process channel on SQLite (one
//! process); on PostgreSQL, `NOTIFY` on the database, which every replica
//! `LISTEN`s to and relays to its own listeners, so a dashboard open on one
//! replica hears responses accepted by another.

use super::caller::{Caller, Credential};
use super::AppState;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use std::collections::HashMap;
use std::convert::Infallible;
use tokio::sync::{broadcast, watch};
use uuid::Uuid;

/// Responses (or a complaint) were accepted for a service.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Arrived {
    pub service_id: Uuid,
    pub what: What,
}

/// What arrived: the event's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    Response,
    Complaint,
}

impl What {
    fn event(self) -> &'static str {
        match self {
            Self::Response => "response",
            Self::Complaint => "complaint",
        }
    }
}

/// The service each entry of a batch names (`None` where it names none).
pub fn services_of(entries: &[serde_json::Value]) -> Vec<Option<Uuid>> {
    entries
        .iter()
        .map(|e| e.get("service_id")?.as_str()?.parse().ok())
        .collect()
}

/// Tells open dashboards of the services (`services_of` the batch) whose
/// entries were accepted (`statuses`, in the same order).
pub fn announce_accepted(
    state: &AppState,
    what: What,
    services: &[Option<Uuid>],
    statuses: impl Iterator<Item = app::domain::response::SyncStatus>,
) {
    let accepted = statuses
        .zip(services)
        .filter(|(s, _)| *s == app::domain::response::SyncStatus::Accepted)
        .filter_map(|(_, s)| *s);
    announce(state, what, accepted);
}

/// Tells open dashboards that `what` arrived for each of `services`.
pub fn announce(state: &AppState, what: What, services: impl IntoIterator<Item = Uuid>) {
    let mut services: Vec<Uuid> = services.into_iter().collect();
    services.sort();
    services.dedup();
    state.events.announce(what, services);
}

/// The PostgreSQL channel replicas announce on.
const PG_CHANNEL: &str = "suara_events";

/// Services per `NOTIFY` (its payload holds at most 8,000 bytes).
const PER_NOTIFY: usize = 150;

/// An arrival with no service: listeners may have missed some, so whatever
/// is on screen may be stale.
const MISSED: Arrived = Arrived {
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

    fn announce(&self, what: What, services: Vec<Uuid>) {
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

/// The dashboard's live feed: `event: response` (or `event: complaint`) with
/// `{"service": code}`.
#[utoipa::path(get, path = "/api/v1/events", tag = "dashboard",
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, content_type = "text/event-stream",
               description = "`event: response` (or `event: complaint`), data `{\"service\": \"<code>\"}`, for each service of the caller's scope that accepted responses (or a complaint)"),
              (status = 401, body = super::problem::Problem, content_type = "application/problem+json")))]
pub async fn events(
    State(state): State<AppState>,
    Caller(account): Caller,
    headers: axum::http::HeaderMap,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let scope: Option<Vec<Uuid>> = account.unit_scope().map(<[Uuid]>::to_vec);
    let rx = state.events.subscribe().await;
    let known = ServiceMap::default();
    // The credential is looked at again now and then: the feed ends when its
    // session ends (sign-out, a password change elsewhere) or the account is
    // disabled, instead of telling a signed-out screen what arrives.
    let credential = Credential::of(&headers);
    let mut recheck = tokio::time::interval(CREDENTIAL_RECHECK);
    recheck.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    recheck.reset();
    let stream = futures::stream::unfold(
        (rx, known, state, scope, recheck),
        move |(mut rx, mut known, state, scope, mut recheck)| {
            let credential = credential.clone();
            async move {
                loop {
                    let received = tokio::select! {
                        r = rx.recv() => r,
                        _ = recheck.tick() => {
                            let still = match &credential {
                                Some(c) => matches!(c.account(&state.store).await, Ok(Some(_))),
                                None => false,
                            };
                            if !still {
                                return None;
                            }
                            continue;
                        }
                    };
                    let event = match received {
                        // Missed some: whatever is on screen may be stale.
                        Err(broadcast::error::RecvError::Lagged(_)) => {
                            Event::default().event("response").data("{}")
                        }
                        Ok(a) if a == MISSED => Event::default().event("response").data("{}"),
                        Ok(a) => {
                            let Some((code, unit)) = known.get(&state, a.service_id).await else {
                                continue;
                            };
                            if scope.as_ref().is_some_and(|s| !s.contains(&unit)) {
                                continue;
                            }
                            Event::default()
                                .event(a.what.event())
                                .data(serde_json::json!({ "service": code }).to_string())
                        }
                        Err(broadcast::error::RecvError::Closed) => return None,
                    };
                    return Some((Ok(event), (rx, known, state, scope, recheck)));
                }
            }
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// How often a live feed checks that its session or token still stands.
pub const CREDENTIAL_RECHECK: std::time::Duration = std::time::Duration::from_secs(5);

/// Service id → (code, unit), read from the catalogue when an id is new.
#[derive(Default)]
struct ServiceMap(HashMap<Uuid, (String, Uuid)>);

impl ServiceMap {
    async fn get(&mut self, state: &AppState, id: Uuid) -> Option<(String, Uuid)> {
        if !self.0.contains_key(&id) {
            let all = state.store.all_services().await.ok()?;
            self.0 = all
                .into_iter()
                .map(|s| (s.service.id, (s.service.code, s.unit_id)))
                .collect();
        }
        self.0.get(&id).cloned()
    }
}

//! `GET /api/v1/events`: server-sent events for open dashboards. When a
//! sync accepts responses (or complaints), each service that got one is
//! announced to every listener allowed to see it (a unit head hears only
//! their units), so the figures on screen refresh without a reload.

use super::caller::Caller;
use super::AppState;
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use std::collections::HashMap;
use std::convert::Infallible;
use tokio::sync::broadcast;
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
    for service_id in services {
        // No listener is not an error.
        let _ = state.events.send(Arrived { service_id, what });
    }
}

/// The channel syncs announce on; listeners that fall behind are told to
/// refresh rather than replayed.
pub fn channel() -> broadcast::Sender<Arrived> {
    broadcast::channel(1024).0
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
) -> Sse<impl Stream<Item = Result<Event, Infallible>>> {
    let scope: Option<Vec<Uuid>> = account.unit_scope().map(<[Uuid]>::to_vec);
    let rx = state.events.subscribe();
    let known = ServiceMap::default();
    let stream = futures::stream::unfold(
        (rx, known, state, scope),
        |(mut rx, mut known, state, scope)| async move {
            loop {
                let event = match rx.recv().await {
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
                    // Missed some: whatever is on screen may be stale.
                    Err(broadcast::error::RecvError::Lagged(_)) => {
                        Event::default().event("response").data("{}")
                    }
                    Err(broadcast::error::RecvError::Closed) => return None,
                };
                return Some((Ok(event), (rx, known, state, scope)));
            }
        },
    );
    Sse::new(stream).keep_alive(KeepAlive::default())
}

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

//! `GET /api/v1/events`: server-sent events for open dashboards. When a
//! sync accepts responses (or complaints), each service that got one is
//! announced to every listener allowed to see it (a unit head hears only
//! their units), so the figures on screen refresh without a reload.
//!
//! Announcements travel on the store's bus (`store::live`).

use super::caller::{Caller, Credential};
use super::AppState;
use crate::store::live::{What, MISSED};
use axum::extract::State;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::Stream;
use std::collections::HashMap;
use std::convert::Infallible;
use tokio::sync::broadcast;
use uuid::Uuid;

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
    let client = super::metrics::LiveClient::open();
    let stream = futures::stream::unfold(
        (rx, known, state, scope, recheck, client),
        move |(mut rx, mut known, state, scope, mut recheck, client)| {
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
                    return Some((Ok(event), (rx, known, state, scope, recheck, client)));
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

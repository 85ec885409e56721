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
                        // For the public displays (`public_events`).
                        Ok(a) if a.what == What::Public => continue,
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

/// What changed on a unit's public page, as the handler that changed it
/// knows it.
pub enum PublicChange {
    /// The unit, by its code.
    Unit(String),
    /// A publication of the unit.
    Publication(Uuid),
    /// A follow-up action of one of its publications.
    Action(Uuid),
}

/// Tells the unit's public displays (`public_events`) that its public page
/// changed. The unit is looked up after the answer, which does not wait.
pub fn announce_public(state: &AppState, change: PublicChange) {
    let (store, bus) = (state.store.clone(), state.events.clone());
    tokio::spawn(async move {
        let unit = match change {
            PublicChange::Unit(code) => store.unit_id_by_code(&code).await,
            PublicChange::Publication(id) => {
                store.publication(id).await.map(|p| p.map(|p| p.unit_id))
            }
            PublicChange::Action(id) => match store.action(id).await {
                Ok(Some(a)) => store
                    .publication(a.publication_id)
                    .await
                    .map(|p| p.map(|p| p.unit_id)),
                other => other.map(|_| None),
            },
        };
        match unit {
            Ok(Some(unit)) => bus.announce(What::Public, vec![unit]),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "cannot tell the public displays of a change"),
        }
    });
}

/// Announces a complaint that a staff move or the citizen resolved: it may
/// now show on its unit's public page ("you said, we did").
pub fn announce_resolved<E>(
    state: &AppState,
    moved: &Result<app::model::complaint::ComplaintView, E>,
) {
    if let Ok(v) = moved {
        if v.state.is_resolved() {
            announce_public(state, PublicChange::Unit(v.unit.code.clone()));
        }
    }
}

/// How many public live feeds one process keeps open at most, and how many
/// of them one address (an IPv6 /64) may hold: a waiting room has a screen
/// or two, a district office's shared address a handful; a script opening
/// thousands gets `503` and takes nothing from the screens already open.
pub const PUBLIC_FEEDS: usize = 512;
pub const PUBLIC_FEEDS_PER_ADDRESS: usize = 8;

/// A public feed lasts at most this long; the browser's `EventSource`
/// connects again by itself, so a forgotten connection frees its place.
pub const PUBLIC_FEED_LIFETIME: std::time::Duration = std::time::Duration::from_secs(3600);

/// The open public feeds, by address.
#[derive(Default)]
pub struct PublicFeeds(std::sync::Mutex<(usize, HashMap<String, usize>)>);

/// One open public feed's place, given back when its stream ends.
pub struct FeedPlace {
    feeds: std::sync::Arc<PublicFeeds>,
    network: String,
}

impl PublicFeeds {
    /// A place for a feed of `network`, if the bounds leave one.
    pub fn admit(self: &std::sync::Arc<Self>, network: String) -> Option<FeedPlace> {
        let mut open = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let mine = open.1.get(&network).copied().unwrap_or(0);
        if open.0 >= PUBLIC_FEEDS || mine >= PUBLIC_FEEDS_PER_ADDRESS {
            return None;
        }
        open.0 += 1;
        open.1.insert(network.clone(), mine + 1);
        Some(FeedPlace {
            feeds: self.clone(),
            network,
        })
    }
}

impl Drop for FeedPlace {
    fn drop(&mut self) {
        let mut open = self.feeds.0.lock().unwrap_or_else(|e| e.into_inner());
        open.0 = open.0.saturating_sub(1);
        if let Some(n) = open.1.get_mut(&self.network) {
            *n -= 1;
            if *n == 0 {
                open.1.remove(&self.network);
            }
        }
    }
}

/// A unit's public live feed, for its waiting-room display (`/layar/{code}`):
/// `event: public` whenever what the unit shows the public changes.
#[utoipa::path(get, path = "/api/v1/public/units/{code}/events", tag = "publication",
    params(("code" = String, Path, description = "The unit's code")),
    responses((status = 200, content_type = "text/event-stream",
               description = "`event: public`, data `{\"unit\": \"<code>\"}`, whenever the unit publishes, keeps its follow-up or resolves a complaint (reload its public page then); a comment every 15 s keeps the connection open; the stream ends within an hour (an `EventSource` connects again)"),
              (status = 404, body = super::problem::Problem, content_type = "application/problem+json", description = "No such unit"),
              (status = 503, body = super::problem::Problem, content_type = "application/problem+json", description = "Too many live feeds open (from this address or in all); try again after `Retry-After`")))]
pub async fn public_events(
    State(state): State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
    headers: axum::http::HeaderMap,
    extensions: axum::http::Extensions,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, super::problem::Problem> {
    use super::problem::Problem;
    let unit = state.store.unit_id_by_code(&code).await?.ok_or_else(|| {
        Problem::from(crate::publications::PublicationError::UnknownUnit(
            code.clone(),
        ))
    })?;
    let network = super::limits::network_of(state.limits.client_of(&extensions, &headers));
    let place = state.public_feeds.admit(network).ok_or_else(|| {
        Problem::new(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "too-many-feeds",
            "Too many live feeds are open; the page works without one and tries again later.",
        )
        .retry_after(60)
    })?;
    let rx = state.events.subscribe().await;
    let data = serde_json::json!({ "unit": code }).to_string();
    let until = tokio::time::Instant::now() + PUBLIC_FEED_LIFETIME;
    let client = super::metrics::LiveClient::open();
    let stream = futures::stream::unfold((rx, place, client), move |(mut rx, place, client)| {
        let data = data.clone();
        async move {
            loop {
                let received = tokio::select! {
                    r = rx.recv() => r,
                    _ = tokio::time::sleep_until(until) => return None,
                };
                let changed = match received {
                    Ok(a) => a == MISSED || (a.what == What::Public && a.service_id == unit),
                    Err(broadcast::error::RecvError::Lagged(_)) => true,
                    Err(broadcast::error::RecvError::Closed) => return None,
                };
                if changed {
                    let event = Event::default().event("public").data(data);
                    return Some((Ok(event), (rx, place, client)));
                }
            }
        }
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(std::time::Duration::from_secs(15))))
}

//! A read-only Open311 GeoReport v2 feed of complaints: what other tools
//! (city dashboards, FixMyStreet-style aggregators) read. Only `publik` and
//! `anonim` complaints, their text and notes redacted; a request is named by
//! the complaint's id, never by its tracking code (the code is the citizen's
//! key to act on it). Suara's own states travel in `extended_attributes`.

use crate::complaints::{day_of, ComplaintError};
use crate::store::complaints::{ComplaintRecord, EventRecord};
use crate::store::{ms_to_datetime, Store};
use app::domain::complaint::{deadline, redact, Calendar, Privacy};
use app::domain::response::rfc3339_millis;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// One service, as GeoReport v2 lists it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Open311Service {
    pub service_code: String,
    pub service_name: String,
    pub description: String,
    pub metadata: bool,
    /// Always `realtime`.
    #[serde(rename = "type")]
    pub kind: &'static str,
    pub keywords: String,
    /// The unit that provides it.
    pub group: String,
}

/// One request (a complaint), as GeoReport v2 describes it.
#[derive(Clone, Debug, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Open311Request {
    /// The complaint's id (not its tracking code).
    pub service_request_id: String,
    /// `open` or `closed`.
    pub status: &'static str,
    /// The latest note of the unit, redacted.
    pub status_notes: Option<String>,
    pub service_name: String,
    pub service_code: String,
    /// What happened, redacted.
    pub description: String,
    /// The unit responsible now.
    pub agency_responsible: String,
    pub service_notice: Option<String>,
    pub requested_datetime: String,
    pub updated_datetime: String,
    /// The day the running deadline falls on, at the end of that day (UTC+7).
    pub expected_datetime: Option<String>,
    pub address: Option<String>,
    pub lat: Option<f64>,
    pub long: Option<f64>,
    pub media_url: Option<String>,
    /// `suara_state` (the full state), `privacy`, `reopened`.
    pub extended_attributes: serde_json::Value,
}

/// `requests.json`'s filters.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RequestsQuery {
    /// Only this service's.
    pub service_code: Option<String>,
    /// `open` or `closed`.
    #[param(schema_with = statuses)]
    pub status: Option<String>,
    /// Only requests made at or after this instant (RFC 3339).
    #[param(schema_with = app::model::schema::instant)]
    pub start_date: Option<String>,
    /// Only requests made before this instant (RFC 3339).
    #[param(schema_with = app::model::schema::instant)]
    pub end_date: Option<String>,
}

fn statuses() -> utoipa::openapi::schema::Object {
    app::model::schema::one_of(&["open", "closed"])
}

pub async fn services(store: &Store) -> Result<Vec<Open311Service>, ComplaintError> {
    Ok(store
        .all_services()
        .await?
        .into_iter()
        .map(|s| Open311Service {
            description: format!("{} — {}", s.service.name, s.unit_name),
            service_code: s.service.code,
            service_name: s.service.name,
            metadata: false,
            kind: "realtime",
            keywords: "pengaduan,complaint".into(),
            group: s.unit_name,
        })
        .collect())
}

fn published(c: &ComplaintRecord) -> bool {
    c.privacy != Privacy::Rahasia
}

/// Request `c`, with its moves `events`, deadlines by `cal`.
fn request(c: &ComplaintRecord, events: &[EventRecord], cal: &Calendar) -> Open311Request {
    let updated = events.last().map_or(c.state_since_ms, |e| e.at_ms);
    let note = events
        .iter()
        .rev()
        .find_map(|e| e.note.as_deref())
        .map(redact);
    let running = deadline(
        c.state,
        day_of(c.state_since_ms),
        c.verified_at_ms.map(day_of),
        cal,
    );
    Open311Request {
        service_request_id: c.id.to_string(),
        status: if c.state.is_open() { "open" } else { "closed" },
        status_notes: note,
        service_name: c.service.name.clone(),
        service_code: c.service.code.clone(),
        description: redact(&c.text),
        agency_responsible: c.unit.name.clone(),
        service_notice: None,
        requested_datetime: rfc3339_millis(ms_to_datetime(c.submitted_at_ms)),
        updated_datetime: rfc3339_millis(ms_to_datetime(updated)),
        expected_datetime: running.map(|d| format!("{}T23:59:59+07:00", d.due)),
        address: None,
        lat: None,
        long: None,
        media_url: None,
        extended_attributes: serde_json::json!({
            "suara_state": c.state,
            "privacy": c.privacy,
            "reopened": c.reopened,
        }),
    }
}

/// The published requests `q` asks for, newest first (at most 1,000).
pub async fn requests(
    store: &Store,
    q: &RequestsQuery,
) -> Result<Vec<Open311Request>, ComplaintError> {
    let bound = |s: &Option<String>| -> Result<Option<i64>, ComplaintError> {
        s.as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                time::OffsetDateTime::parse(
                    s.trim(),
                    &time::format_description::well_known::Rfc3339,
                )
                .map(crate::store::datetime_to_ms)
                .map_err(|_| {
                    ComplaintError::BadFilter("start_date and end_date are RFC 3339 instants")
                })
            })
            .transpose()
    };
    let (start, end) = (bound(&q.start_date)?, bound(&q.end_date)?);
    let open = match q.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some("open") => Some(true),
        Some("closed") => Some(false),
        Some(_) => return Err(ComplaintError::BadFilter("status is open or closed")),
    };
    // Read once for the whole list, not once a request.
    let cal = store.calendar().await?;
    let mut events = store.all_complaint_events().await?;
    let mut out = Vec::new();
    for c in store.complaints_at(None).await? {
        let wanted = published(&c)
            && q.service_code
                .as_deref()
                .is_none_or(|s| s.is_empty() || s == c.service.code)
            && open.is_none_or(|o| o == c.state.is_open())
            && start.is_none_or(|s| c.submitted_at_ms >= s)
            && end.is_none_or(|e| c.submitted_at_ms < e);
        if wanted {
            let history = events.remove(&c.id).unwrap_or_default();
            out.push(request(&c, &history, &cal));
            if out.len() == 1000 {
                break;
            }
        }
    }
    Ok(out)
}

/// One published request by its id; unknown, or not published: `None`.
pub async fn request_by_id(
    store: &Store,
    id: &str,
) -> Result<Option<Open311Request>, ComplaintError> {
    let id = id.strip_suffix(".json").unwrap_or(id);
    let Ok(id) = id.parse::<Uuid>() else {
        return Ok(None);
    };
    let Some(c) = store.complaint_by_id(id).await? else {
        return Ok(None);
    };
    if !published(&c) {
        return Ok(None);
    }
    let (events, _) = store.complaint_history(c.id).await?;
    Ok(Some(request(&c, &events, &store.calendar().await?)))
}

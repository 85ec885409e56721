//! A read-only Open311 GeoReport v2 feed of complaints: what other tools
//! (city dashboards, FixMyStreet-style aggregators) read. Only `publik` and
//! `anonim` complaints, their text and notes redacted; a request is named by
//! the complaint's id, never by its tracking code (the code is the citizen's
//! key to act on it). Suara's own states travel in `extended_attributes`.

use crate::complaints::ComplaintError;
use crate::store::complaints::{ComplaintRecord, EventRecord, FeedFilter};
use crate::store::{ms_to_datetime, Store};
use app::domain::complaint::Calendar;
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
    /// The day the running deadline falls on, at the end of that day in
    /// the unit's zone (`+07:00`, `+08:00` or `+09:00`).
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
    /// Which page of the list, from 1 (the newest); 1 when not given.
    #[param(minimum = 1, maximum = 100000)]
    pub page: Option<u32>,
    /// Requests a page, 1 to 200; 100 when not given.
    #[param(minimum = 1, maximum = 200)]
    pub page_size: Option<u32>,
}

/// The most requests one page holds.
pub const MAX_PAGE_SIZE: u32 = 200;
/// Requests a page when the client does not say.
pub const DEFAULT_PAGE_SIZE: u32 = 100;
/// The deepest page served (a feed read further should filter by date).
pub const MAX_PAGE: u32 = 100_000;

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

/// Request `c`, with its moves `events`, deadlines by `cal`.
fn request(c: &ComplaintRecord, events: &[EventRecord], cal: &Calendar) -> Open311Request {
    let updated = events.last().map_or(c.state_since_ms, |e| e.at_ms);
    let note = events.iter().rev().find_map(|e| e.public_note.clone());
    let running = c.running_deadline(cal);
    Open311Request {
        service_request_id: c.id.to_string(),
        status: if c.state.is_open() { "open" } else { "closed" },
        status_notes: note,
        service_name: c.service.name.clone(),
        service_code: c.service.code.clone(),
        description: c.public_text.clone(),
        agency_responsible: c.unit.name.clone(),
        service_notice: None,
        requested_datetime: rfc3339_millis(ms_to_datetime(c.submitted_at_ms)),
        updated_datetime: rfc3339_millis(ms_to_datetime(updated)),
        expected_datetime: running.map(|d| {
            let hours = c.unit_zone.offset().whole_hours();
            format!("{}T23:59:59+{hours:02}:00", d.due)
        }),
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

/// The published requests `q` asks for, newest first, one page of them.
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
    let page = q.page.unwrap_or(1);
    let size = q.page_size.unwrap_or(DEFAULT_PAGE_SIZE);
    if !(1..=MAX_PAGE).contains(&page) || !(1..=MAX_PAGE_SIZE).contains(&size) {
        return Err(ComplaintError::BadFilter(
            "page is 1 to 100000 and page_size 1 to 200",
        ));
    }
    let filter = FeedFilter {
        service_code: q
            .service_code
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned),
        open,
        start_ms: start,
        end_ms: end,
    };
    if filter
        .service_code
        .as_deref()
        .is_some_and(|s| app::domain::catalogue::check_code(s).is_none())
    {
        // No service has such a code (and a NUL byte must not reach PostgreSQL).
        return Ok(Vec::new());
    }
    let complaints = store.published_complaints(&filter, page - 1, size).await?;
    let ids: Vec<Uuid> = complaints.iter().map(|c| c.id).collect();
    let mut events = store.complaint_events_of(&ids).await?;
    let cal = store.calendar().await?;
    Ok(complaints
        .iter()
        .map(|c| request(c, &events.remove(&c.id).unwrap_or_default(), &cal))
        .collect())
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
    if !c.publishable() {
        return Ok(None);
    }
    let (events, _) = store.complaint_history(c.id).await?;
    Ok(Some(request(&c, &events, &store.calendar().await?)))
}

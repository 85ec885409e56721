//! The sync interface: catalogue, response batches, health.

use super::problem::Problem;
use super::AppState;
use app::domain::catalogue::Catalog;
use app::domain::response::{SyncResults, MAX_BATCH};
use axum::body::Body;
use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use sha2::{Digest, Sha256};

/// Largest accepted request body: 500 responses with 2,000-character comments fit.
pub const MAX_BODY_BYTES: usize = 5 * 1024 * 1024;

/// How much of an over-large body is still read (and thrown away) before the
/// 413 is sent. Closing a connection with unread request bytes makes the
/// kernel reset it, and a reset can destroy the response before the client
/// reads it: the client would see "broken pipe" instead of the reason.
const DRAIN_BYTES: usize = 64 * 1024 * 1024;
const DRAIN_TIME: std::time::Duration = std::time::Duration::from_secs(10);

/// The body when it is at most `limit` bytes; `None` when it is larger (or
/// breaks off), after reading the rest of it within [`DRAIN_BYTES`] and
/// [`DRAIN_TIME`] so that the client gets to read our answer.
pub(super) async fn read_limited(body: Body, limit: usize) -> Option<axum::body::Bytes> {
    use futures::StreamExt;
    let mut stream = body.into_data_stream();
    let mut buf = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.ok()?;
        if buf.len() + chunk.len() > limit {
            let mut seen = buf.len() + chunk.len();
            let _ = tokio::time::timeout(DRAIN_TIME, async {
                while let Some(Ok(chunk)) = stream.next().await {
                    seen += chunk.len();
                    if seen > DRAIN_BYTES {
                        break;
                    }
                }
            })
            .await;
            return None;
        }
        buf.extend_from_slice(&chunk);
    }
    Some(buf.into())
}

/// Liveness and database reachability.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The server and its database answer"),
              (status = 503, description = "The database does not answer", body = Problem)))]
pub async fn healthz(State(state): State<AppState>) -> Result<&'static str, Problem> {
    state.store.ping().await.map_err(|e| {
        tracing::error!(error = %e, "health check failed");
        Problem::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the database does not answer",
        )
    })?;
    Ok("ok")
}

/// Agencies → units → services, and the questionnaires they use.
#[utoipa::path(get, path = "/api/v1/catalog", tag = "sync",
    responses((status = 200, body = Catalog, headers(("ETag" = String))),
              (status = 304, description = "Unchanged since the ETag sent in If-None-Match")))]
pub async fn catalog(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Response, Problem> {
    let catalog = state.store.catalog().await?;
    let body = serde_json::to_vec(&catalog).map_err(Problem::internal)?;
    let etag = format!("\"{}\"", &hex::encode(Sha256::digest(&body))[..32]);
    let fresh = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    let common = [
        (header::ETAG, etag),
        (header::CACHE_CONTROL, "no-cache".to_owned()),
    ];
    if fresh {
        return Ok((StatusCode::NOT_MODIFIED, common).into_response());
    }
    Ok((common, [(header::CONTENT_TYPE, "application/json")], body).into_response())
}

const TOO_MANY: &str = "too many entries";

/// A string, number, boolean or null where a batch wants an object or an
/// array: the wrong shape (`None`).
macro_rules! scalars_are_the_wrong_shape {
    () => {
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
    };
}

/// A batch body `{"<key>": [...]}` read in one pass: the entries of `key`
/// one by one, stopping at the first past `max` (a body of a million tiny
/// entries is refused after `max`, never held whole as values); other keys
/// skipped unread. `None` when there is no such array.
struct Batch<'k> {
    key: &'k str,
    max: usize,
}

impl<'de> serde::de::DeserializeSeed<'de> for Batch<'_> {
    type Value = Option<Vec<serde_json::Value>>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Batch<'_> {
    type Value = Option<Vec<serde_json::Value>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "an object with a \"{}\" array", self.key)
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut found = None;
        while let Some(name) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if name == self.key && found.is_none() {
                found = map.next_value_seed(Entries(self.max))?;
            } else {
                map.next_value::<serde::de::IgnoredAny>()?;
            }
        }
        Ok(found)
    }

    // Any other JSON value: the wrong shape.
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }
    scalars_are_the_wrong_shape!();
}

/// The entries of the batch's array, at most `.0` of them.
struct Entries(usize);

impl<'de> serde::de::DeserializeSeed<'de> for Entries {
    type Value = Option<Vec<serde_json::Value>>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Entries {
    type Value = Option<Vec<serde_json::Value>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("an array")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut out = Vec::new();
        while let Some(v) = seq.next_element::<serde_json::Value>()? {
            if out.len() == self.0 {
                return Err(serde::de::Error::custom(TOO_MANY));
            }
            out.push(v);
        }
        Ok(Some(out))
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(None)
    }
    scalars_are_the_wrong_shape!();
}

/// The entries of a batch body `{"<key>": [...]}`: JSON, at most
/// [`MAX_BODY_BYTES`] and `max` entries, or the problem that says why not.
pub(super) async fn read_batch(
    headers: &HeaderMap,
    body: Body,
    key: &str,
    max: usize,
) -> Result<Vec<serde_json::Value>, Problem> {
    let too_large = || {
        Problem::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body-too-large",
            format!(
                "the body is larger than {} MB; send fewer {key} per batch",
                MAX_BODY_BYTES / 1024 / 1024
            ),
        )
    };
    if let Some(ct) = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    {
        if !ct
            .trim_start()
            .to_ascii_lowercase()
            .starts_with("application/json")
        {
            return Err(Problem::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "unsupported-media-type",
                format!("send application/json, not {ct}"),
            ));
        }
    }
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > DRAIN_BYTES) {
        return Err(too_large());
    }
    let Some(bytes) = read_limited(body, MAX_BODY_BYTES).await else {
        return Err(too_large());
    };
    let mut json = serde_json::Deserializer::from_slice(&bytes);
    let entries = match serde::de::DeserializeSeed::deserialize(Batch { key, max }, &mut json)
        .and_then(|e| json.end().map(|()| e))
    {
        Ok(Some(entries)) => entries,
        Ok(None) => {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-shape",
                format!("the body must be a JSON object with a \"{key}\" array"),
            ))
        }
        Err(e) if e.to_string().starts_with(TOO_MANY) => {
            return Err(Problem::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "batch-too-large",
                format!("more than {max} {key} in one batch; at most {max} are allowed"),
            ))
        }
        Err(e) if e.is_data() => {
            return Err(Problem::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid-shape",
                format!("the body must be a JSON object with a \"{key}\" array: {e}"),
            ))
        }
        Err(e) => {
            return Err(Problem::bad_request(
                "invalid-json",
                format!("the body is not valid JSON: {e}"),
            ))
        }
    };
    Ok(entries)
}

/// Delivers a batch of responses. Each gets its own outcome; one bad response
/// never blocks the others. Resending is always safe.
#[utoipa::path(post, path = "/api/v1/responses", tag = "sync",
    request_body = app::domain::response::SyncBatch,
    responses((status = 200, body = SyncResults, description = "One result per response, in order"),
              (status = 400, body = Problem, description = "Not JSON", content_type = "application/problem+json"),
              (status = 413, body = Problem, description = "Over 5 MB or over 500 responses", content_type = "application/problem+json"),
              (status = 415, body = Problem, description = "Not application/json", content_type = "application/problem+json"),
              (status = 422, body = Problem, description = "JSON, but not an object with a `responses` array", content_type = "application/problem+json"),
              (status = 429, body = Problem, description = "Too many requests from this address: nothing was kept; send it again after `Retry-After` seconds", headers(("Retry-After" = u64)), content_type = "application/problem+json"),
              (status = 503, body = Problem, description = "The database is unavailable for a moment: nothing was kept; send it again after `Retry-After` seconds", headers(("Retry-After" = u64)), content_type = "application/problem+json")))]
pub async fn post_responses(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<SyncResults>, Problem> {
    let entries = read_batch(&headers, body, "responses", MAX_BATCH).await?;
    let services = super::events::services_of(&entries);
    let results = state
        .ingest
        .ingest(entries, time::OffsetDateTime::now_utc())
        .await
        .map_err(|e| {
            if e.unavailable() {
                Problem::unavailable(e)
            } else {
                Problem::failure(&e)
            }
        })?;
    for r in &results {
        let outcome = serde_json::to_value(r.status).ok();
        let outcome = outcome.as_ref().and_then(|v| v.as_str()).unwrap_or("other");
        metrics::counter!("suara_ingest_responses_total", "outcome" => outcome.to_owned())
            .increment(1);
    }
    // Committed: tell open dashboards, once per service.
    let statuses = results.iter().map(|r| r.status);
    super::events::announce_accepted(
        &state,
        crate::store::live::What::Response,
        &services,
        statuses,
    );
    Ok(Json(SyncResults { results }))
}

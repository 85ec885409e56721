//! Filing: a batch from the phones' outbox, or the plain form of a service.

use super::*;
use app::domain::complaint::Privacy;
use app::domain::response::SyncStatus;

/// The complaints of a batch, each decided.
#[tracing::instrument(name = "complaints.file", skip_all)]
pub async fn file(
    store: &Store,
    entries: Vec<serde_json::Value>,
    now: OffsetDateTime,
) -> Result<Vec<ComplaintResult>, ComplaintError> {
    Ok(store.file_complaints(entries, now).await?)
}

/// What the plain complaint form sends.
#[derive(Clone, Debug, Default)]
pub struct ComplaintForm {
    pub text: String,
    pub items: Vec<String>,
    pub happened_on: Option<String>,
    pub privacy: Option<String>,
}

/// Files a complaint from the plain form of service `service_code` (made
/// online, so the server makes its id and tracking code): its code, or why
/// it was refused.
pub async fn file_form(
    store: &Store,
    service_code: &str,
    form: ComplaintForm,
    now: OffsetDateTime,
) -> Result<Result<(String, String), String>, ComplaintError> {
    let Some((service_id, _)) = store.service_ids_by_code(service_code).await? else {
        return Ok(Err(format!("unknown service {service_code}")));
    };
    let privacy = form
        .privacy
        .as_deref()
        .and_then(Privacy::parse)
        .unwrap_or_default();
    // A code another complaint has is a conflict: make another (the
    // chance is about one in 10^16 per complaint filed).
    for _ in 0..3 {
        let random: [u8; 11] = uuid::Uuid::new_v4().as_bytes()[..11]
            .try_into()
            .unwrap_or([0; 11]);
        let key = app::domain::complaint::key::new_key();
        let entry = serde_json::json!({
            "key": key,
            "id": uuid::Uuid::new_v4(),
            "code": TrackingCode::from_random(random).to_string(),
            "service_id": service_id,
            "items": form.items,
            "text": form.text,
            "happened_on": form.happened_on.as_deref().filter(|d| !d.trim().is_empty()),
            "privacy": privacy,
            "channel": "link",
            "submitted_at": rfc3339_millis(now),
        });
        let result = store
            .file_complaints(vec![entry], now)
            .await?
            .pop()
            .ok_or(ComplaintError::BadFilter("nothing was filed"))?;
        match result.status {
            SyncStatus::Accepted => return Ok(Ok((result.code.unwrap_or_default(), key))),
            SyncStatus::Rejected => return Ok(Err(result.reason.unwrap_or_default())),
            _ => continue,
        }
    }
    Ok(Err("try again".into()))
}

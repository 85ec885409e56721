//! The complaints' part of the sync: complaints that wait, then the photos
//! of those the server holds; and sending one at once.

use super::{Outcome, AGENT};
use crate::domain::complaint::submission::{ComplaintResults, ComplaintSubmission, MAX_COMPLAINTS};
use crate::offline::complaints::{
    complaint_changes, upload_outcome, ComplaintChange, ComplaintRecord, Upload,
};
use crate::offline::store::{Outbox, OutboxError};
use crate::offline::RecordState;
use wasm_bindgen::JsValue;

/// Sends the complaints that wait, then the photos of those the server holds.
pub(super) async fn sync_complaints(outbox: &Outbox) -> Result<Outcome, OutboxError> {
    let mut all = outbox.complaints().await?;
    all.sort_by(|a, b| a.queued_at_ms.total_cmp(&b.queued_at_ms));
    let waiting: Vec<ComplaintRecord> = all
        .iter()
        .filter(|r| !r.delivered && r.state.is_waiting())
        .cloned()
        .collect();
    for batch in waiting.chunks(MAX_COMPLAINTS) {
        let body = format!(
            "{{\"complaints\":[{}]}}",
            batch
                .iter()
                .map(|r| r.complaint.as_str())
                .collect::<Vec<_>>()
                .join(",")
        );
        let answer = crate::net::fetch_json("POST", COMPLAINTS_URL, Some(&body)).await;
        let results = match answer {
            Ok(a) if a.ok() => crate::net::from_js::<ComplaintResults>(a.body).ok(),
            _ => None,
        };
        let Some(results) = results else {
            return Ok(Outcome::Unreachable);
        };
        let sent: Vec<(String, u8)> = batch.iter().map(|r| (r.id.clone(), r.new_codes)).collect();
        let mut changed = Vec::new();
        let mut again = false;
        for change in complaint_changes(&sent, &results.results) {
            let id = match &change {
                ComplaintChange::Delivered(id)
                | ComplaintChange::NewCode(id)
                | ComplaintChange::Keep { id, .. }
                | ComplaintChange::Retry(id) => id,
            };
            let Some(mut r) = batch.iter().find(|r| &r.id == id).cloned() else {
                continue;
            };
            match change {
                ComplaintChange::Delivered(_) => r.delivered = true,
                ComplaintChange::NewCode(_) => {
                    again |= with_new_code(&mut r);
                }
                ComplaintChange::Keep { state, reason, .. } => {
                    r.state = state;
                    r.reason = Some(reason);
                }
                ComplaintChange::Retry(_) => continue,
            }
            changed.push(r);
        }
        outbox.put_complaints(&changed, &[]).await?;
        outbox.set_last_sync_ms(js_sys::Date::now()).await?;
        if again {
            // The new codes go in the next round, straight away.
            AGENT.with_borrow_mut(|a| a.again = true);
        }
    }
    let all = outbox.complaints().await?;
    for mut r in all.into_iter().filter(|r| r.delivered && r.is_waiting()) {
        let mut done = Vec::new();
        for p in r.photos.iter_mut().filter(|p| p.refused.is_none()) {
            let Some(blob) = outbox.photo(&p.id).await? else {
                p.refused = Some("the photo is no longer on this device".into());
                continue;
            };
            let url = format!("{COMPLAINTS_URL}/{}/attachments/{}", r.code, p.id);
            // The citizen's key with each photo: the server takes photos
            // only from the citizen (none on a record from before keys).
            let key = r.key.as_deref().map(|k| ("Suara-Key", k));
            let status = match crate::net::fetch_with(
                "PUT",
                &url,
                Some((&blob, &p.content_type)),
                key,
            )
            .await
            {
                Ok(a) => match upload_outcome(a.status) {
                    Upload::Refused => {
                        p.refused = Some(
                            js_sys::Reflect::get(&a.body, &"detail".into())
                                .ok()
                                .and_then(|d| d.as_string())
                                .unwrap_or_else(|| format!("HTTP {}", a.status)),
                        );
                        Upload::Refused
                    }
                    other => other,
                },
                Err(_) => Upload::Later,
            };
            match status {
                Upload::Stored => done.push(p.id.clone()),
                Upload::Refused => {}
                Upload::Later => {
                    r.photos.retain(|p| !done.contains(&p.id));
                    outbox.put_complaints(&[r], &done).await?;
                    return Ok(Outcome::Unreachable);
                }
            }
        }
        r.photos.retain(|p| !done.contains(&p.id));
        outbox.put_complaints(&[r], &done).await?;
    }
    Ok(Outcome::Done)
}

const COMPLAINTS_URL: &str = "/api/v1/complaints";

/// Sends one complaint and its photos at once, for a device that cannot
/// keep them: `Ok` only when the server holds the complaint.
pub async fn send_complaint_now(
    record: &ComplaintRecord,
    photos: &[(String, JsValue)],
) -> Result<(), crate::offline::KeepError> {
    use crate::offline::KeepError;
    let body = format!("{{\"complaints\":[{}]}}", record.complaint);
    let answer = crate::net::fetch_json("POST", COMPLAINTS_URL, Some(&body))
        .await
        .map_err(|_| KeepError::Unreachable)?;
    if !answer.ok() {
        return Err(KeepError::Unreachable);
    }
    let results: ComplaintResults =
        crate::net::from_js(answer.body).map_err(|_| KeepError::Unreachable)?;
    match results.results.first() {
        Some(r) if r.status.is_delivered() => {}
        Some(r) => return Err(KeepError::NotAccepted(r.reason.clone().unwrap_or_default())),
        None => return Err(KeepError::Unreachable),
    }
    for (id, blob) in photos {
        let url = format!("{COMPLAINTS_URL}/{}/attachments/{id}", record.code);
        // A photo lost here leaves the complaint standing; it was shown.
        let key = record.key.as_deref().map(|k| ("Suara-Key", k));
        let _ = crate::net::fetch_with("PUT", &url, Some((blob, "image/jpeg")), key).await;
    }
    Ok(())
}

/// Gives `record` a new tracking code (the server found its code taken);
/// `false` when its stored complaint cannot be read back.
fn with_new_code(record: &mut ComplaintRecord) -> bool {
    let Ok(mut sub) = crate::net::parse::<ComplaintSubmission>(&record.complaint) else {
        return false;
    };
    let code = crate::offline::new_code().to_string();
    sub.code = code.clone();
    let Ok(json) = crate::net::stringify(&sub) else {
        return false;
    };
    record.first_code.get_or_insert_with(|| record.code.clone());
    record.code = code;
    record.complaint = json;
    record.new_codes = record.new_codes.saturating_add(1);
    record.state = RecordState::Pending;
    true
}

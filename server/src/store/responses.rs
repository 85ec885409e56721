//! Accepting responses: the idempotent heart of the sync protocol.

use super::catalog::{service_by_id, QuestionnaireCache, ServiceRow};
use super::rollups::{Counted, RollupDelta};
use super::{datetime_to_ms, Store};
use app::domain::response::{SyncResult, SyncStatus};
use app::domain::scoring::Attribute;
use app::domain::{Rejection, ResponseSubmission, ValidResponse};
use sha2::{Digest, Sha256};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

/// SHA-256 of the canonical serialisation, lower-case hex.
pub fn content_hash(canonical: &str) -> String {
    hex::encode(Sha256::digest(canonical.as_bytes()))
}

impl Store {
    /// Decides every entry of a batch inside one write transaction: accepted,
    /// duplicate (same id, same content), conflict (same id, other content) or
    /// rejected (invalid, with the reason). One result per entry, in order.
    ///
    /// The response id is the primary key and rows are only ever inserted, so
    /// concurrent identical posts store one row and an accepted response is
    /// never changed.
    pub async fn ingest(
        &self,
        entries: Vec<serde_json::Value>,
        received_at: OffsetDateTime,
    ) -> sqlx::Result<Vec<SyncResult>> {
        let mut tx = self.begin_write().await?;
        let mut services: HashMap<Uuid, Option<ServiceRow>> = HashMap::new();
        let mut questionnaires = QuestionnaireCache::default();
        let mut results = Vec::with_capacity(entries.len());
        let mut rollups = RollupDelta::default();
        for entry in entries {
            let id = entry
                .get("id")
                .and_then(|v| v.as_str())
                .and_then(|s| s.parse::<Uuid>().ok());
            let result = match validate(
                &mut tx,
                &mut services,
                &mut questionnaires,
                entry,
                received_at,
            )
            .await?
            {
                Ok(valid) => {
                    let result = store_one(&mut tx, &valid, received_at).await?;
                    if result.status == SyncStatus::Accepted {
                        count(&mut rollups, &valid);
                    }
                    result
                }
                Err(rejection) => SyncResult {
                    id,
                    status: SyncStatus::Rejected,
                    reason: Some(rejection.to_string()),
                },
            };
            results.push(result);
        }
        // In the same transaction: the roll-ups never disagree with the responses.
        rollups.apply(&mut tx).await?;
        tx.commit().await?;
        Ok(results)
    }
}

async fn validate(
    c: &mut AnyConnection,
    services: &mut HashMap<Uuid, Option<ServiceRow>>,
    questionnaires: &mut QuestionnaireCache,
    entry: serde_json::Value,
    received_at: OffsetDateTime,
) -> sqlx::Result<Result<ValidResponse, Rejection>> {
    let sub: ResponseSubmission = match serde_json::from_value(entry) {
        Ok(s) => s,
        Err(e) => return Ok(Err(Rejection::Shape(e.to_string()))),
    };
    if let std::collections::hash_map::Entry::Vacant(slot) = services.entry(sub.service_id) {
        slot.insert(service_by_id(c, sub.service_id).await?);
    }
    let Some(service) = services.get(&sub.service_id).and_then(Option::as_ref) else {
        return Ok(Err(Rejection::UnknownService(sub.service_id)));
    };
    let Some(q) = questionnaires
        .get(c, &sub.questionnaire_id, sub.questionnaire_version)
        .await?
    else {
        return Ok(Err(Rejection::UnknownQuestionnaire {
            id: sub.questionnaire_id,
            version: sub.questionnaire_version,
        }));
    };
    Ok(ValidResponse::parse(
        sub,
        &service.service.questionnaire_id,
        q,
        received_at,
    ))
}

/// Adds an accepted response to the batch's roll-up counts.
fn count(delta: &mut RollupDelta, r: &ValidResponse) {
    let service_id = r.service_id.to_string();
    let attributes = Attribute::ALL.map(|a| attribute(r, a));
    let scores: Vec<(&str, u8)> = r
        .scores
        .iter()
        .map(|(code, s)| (code.as_str(), s.get()))
        .collect();
    delta.add(&Counted {
        service_id: &service_id,
        questionnaire_id: &r.questionnaire_id,
        questionnaire_version: r.questionnaire_version,
        answered_at_ms: datetime_to_ms(r.answered_at),
        attributes,
        scores: &scores,
    });
}

/// A respondent attribute as stored: the wire spelling, or NULL.
fn attribute(r: &ValidResponse, a: Attribute) -> Option<&'static str> {
    r.respondent.as_ref().and_then(|p| a.value_of(p))
}

async fn store_one(
    c: &mut AnyConnection,
    r: &ValidResponse,
    received_at: OffsetDateTime,
) -> sqlx::Result<SyncResult> {
    let canonical = r.canonical_json();
    let hash = content_hash(&canonical);
    let inserted = sqlx::query(
        "INSERT INTO responses (id, service_id, questionnaire_id, questionnaire_version, \
         answered_at_ms, received_at_ms, channel, comment, content, content_hash, \
         respondent_sex, respondent_age_band, respondent_education, respondent_occupation, \
         respondent_disability) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         ON CONFLICT (id) DO NOTHING",
    )
    .bind(r.id.to_string())
    .bind(r.service_id.to_string())
    .bind(&r.questionnaire_id)
    .bind(r.questionnaire_version)
    .bind(datetime_to_ms(r.answered_at))
    .bind(datetime_to_ms(received_at))
    .bind(r.channel.as_str())
    .bind(r.comment.clone())
    .bind(&canonical)
    .bind(&hash)
    .bind(attribute(r, Attribute::Sex))
    .bind(attribute(r, Attribute::AgeBand))
    .bind(attribute(r, Attribute::Education))
    .bind(attribute(r, Attribute::Occupation))
    .bind(attribute(r, Attribute::Disability))
    .execute(&mut *c)
    .await?
    .rows_affected();

    let status = if inserted == 1 {
        let mut sql =
            String::from("INSERT INTO response_scores (response_id, item_code, score) VALUES ");
        let mut n = 1;
        for i in 0..r.scores.len() {
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("($1, ${}, ${})", n + 1, n + 2));
            n += 2;
        }
        let mut q = sqlx::query(&sql).bind(r.id.to_string());
        for (code, score) in &r.scores {
            q = q.bind(code.as_str()).bind(i64::from(score.get()));
        }
        q.execute(&mut *c).await?;
        SyncStatus::Accepted
    } else {
        let stored: String = sqlx::query("SELECT content_hash FROM responses WHERE id = $1")
            .bind(r.id.to_string())
            .fetch_one(&mut *c)
            .await?
            .try_get("content_hash")?;
        if stored == hash {
            SyncStatus::Duplicate
        } else {
            SyncStatus::Conflict
        }
    };
    let reason = (status == SyncStatus::Conflict).then(|| {
        "a different response with this id was accepted earlier; it is kept unchanged".to_owned()
    });
    Ok(SyncResult {
        id: Some(r.id),
        status,
        reason,
    })
}

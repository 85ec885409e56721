//! Writing complaints: filing a batch, moving one, the citizen's words
//! and rating.

use super::*;
use crate::store::notifications::{notify_unit, Kind};
use app::domain::complaint::redact;
use app::domain::complaint::submission::CODE_TAKEN;

impl Store {
    /// Decides every complaint of a batch in one write transaction:
    /// accepted, duplicate (same id, same content), conflict (same id and
    /// other content, or a code another complaint has) or rejected (with the
    /// reason). One result per entry, in order.
    #[tracing::instrument(name = "store.file_complaints", skip_all)]
    pub async fn file_complaints(
        &self,
        entries: Vec<Value>,
        received_at: OffsetDateTime,
    ) -> sqlx::Result<Vec<ComplaintResult>> {
        let mut tx = self.begin_write().await?;
        let mut questionnaires = QuestionnaireCache::default();
        let mut results = Vec::with_capacity(entries.len());
        for entry in entries {
            let id = entry
                .get("id")
                .and_then(Value::as_str)
                .and_then(|s| s.parse::<Uuid>().ok());
            let result = match check(&mut tx, &mut questionnaires, entry, received_at).await? {
                Ok((valid, unit_id)) => file_one(&mut tx, &valid, unit_id, received_at).await?,
                Err(why) => ComplaintResult {
                    id,
                    code: None,
                    status: SyncStatus::Rejected,
                    reason: Some(why.to_string()),
                },
            };
            results.push(result);
        }
        tx.commit().await?;
        self.courses_cache().changed();
        Ok(results)
    }

    /// Moves complaint `c` as `step` says, if nobody moved it since `c` was
    /// read (`false` then, and nothing changed): the move, its event, its
    /// message and its audit entry in one transaction.
    #[tracing::instrument(name = "store.move_complaint", skip_all, fields(to = step.to.as_str()))]
    pub async fn move_complaint(&self, c: &ComplaintRecord, step: &Step<'_>) -> sqlx::Result<bool> {
        let mut tx = self.begin_write().await?;
        if !move_in(&mut tx, c, step).await? {
            return Ok(false);
        }
        tx.commit().await?;
        self.courses_cache().changed();
        Ok(true)
    }

    /// Makes each complaint's moves in order, all in one transaction, each
    /// as [`Store::move_complaint`] makes it (for `suara seed-synthetic`,
    /// which writes a year of complaint handling): how many moves were made.
    pub async fn move_complaints(
        &self,
        moves: &mut [(ComplaintRecord, Vec<Step<'_>>)],
    ) -> sqlx::Result<u64> {
        let mut tx = self.begin_write().await?;
        let mut made = 0;
        for (c, steps) in moves.iter_mut() {
            for step in steps.iter() {
                if !move_in(&mut tx, c, step).await? {
                    break;
                }
                made += 1;
                if step.to == State::Diverifikasi {
                    c.verified_at_ms = Some(step.at_ms);
                }
                if let Some(u) = step.unit {
                    c.unit_id = u;
                }
                c.state = step.to;
                c.state_since_ms = step.at_ms;
            }
        }
        tx.commit().await?;
        self.courses_cache().changed();
        Ok(made)
    }
}

/// Moves complaint `c` as `step` says inside `tx`, if nobody moved it since
/// `c` was read (`false` then, and nothing was written).
async fn move_in(
    tx: &mut AnyConnection,
    c: &ComplaintRecord,
    step: &Step<'_>,
) -> sqlx::Result<bool> {
    let unit_id = step.unit.unwrap_or(c.unit_id);
    let verified = match step.to {
        State::Diverifikasi => Some(step.at_ms),
        State::Dialihkan => None,
        _ => c.verified_at_ms,
    };
    let reopened = i64::from(c.state == State::Dijawab && step.to == State::Ditindaklanjuti);
    let moved = sqlx::query(
        "UPDATE complaints SET state = $1, state_since_ms = $2, unit_id = $3, \
         verified_at_ms = $4, reopened = reopened + $5, \
         abuse_at_ms = COALESCE(abuse_at_ms, $9), \
         first_verified_at_ms = COALESCE(first_verified_at_ms, $10), \
         first_answered_at_ms = COALESCE(first_answered_at_ms, $11), \
         first_resolved_at_ms = COALESCE(first_resolved_at_ms, $12) \
         WHERE id = $6 AND state = $7 AND state_since_ms = $8",
    )
    .bind(step.to.as_str())
    .bind(step.at_ms)
    .bind(unit_id.to_string())
    .bind(verified)
    .bind(reopened)
    .bind(c.id.to_string())
    .bind(c.state.as_str())
    .bind(c.state_since_ms)
    .bind(step.abuse.then_some(step.at_ms))
    .bind((step.to == State::Diverifikasi).then_some(step.at_ms))
    .bind((step.to == State::Dijawab).then_some(step.at_ms))
    .bind(step.to.is_resolved().then_some(step.at_ms))
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !moved {
        return Ok(false);
    }
    insert_event(tx, c.id, step, unit_id).await?;
    // Who must hear of it: the unit it went to; the unit, when the
    // citizen disputes an answer or sends what was asked for.
    let citizen = step.actor == "citizen";
    let kind = match step.to {
        State::Dialihkan => Some(Kind::ComplaintForwarded),
        State::Ditindaklanjuti if citizen && reopened == 1 => Some(Kind::ComplaintDisputed),
        State::Diterima if citizen && step.citizen_words.is_some() => Some(Kind::ComplaintReplied),
        _ => None,
    };
    if let Some(kind) = kind {
        let subject = format!("{}:{}", c.id, step.at_ms);
        notify_unit(tx, kind, &subject, c.id, unit_id, step.at_ms).await?;
    }
    if let (true, Some(note)) = (step.note_is_message, step.note) {
        insert_message(tx, c.id, Sender::Unit, Some(step.actor), note, step.at_ms).await?;
    }
    if let Some(words) = step.citizen_words {
        insert_message(tx, c.id, Sender::Citizen, None, words, step.at_ms).await?;
    }
    if step.audited {
        audit(
            tx,
            step.actor,
            &format!("complaint.{}", step.to),
            &c.code.to_string(),
            Some(json!({"state": c.state, "unit_id": c.unit_id})),
            Some(json!({
                "state": step.to, "unit_id": unit_id, "note": step.note, "abuse": step.abuse
            })),
        )
        .await?;
    }
    Ok(true)
}

impl Store {
    /// Makes complaint `c` as private as `to`, with its audit entry.
    pub async fn set_complaint_privacy(
        &self,
        c: &ComplaintRecord,
        to: Privacy,
        actor: &str,
    ) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query("UPDATE complaints SET privacy = $1 WHERE id = $2")
            .bind(to.as_str())
            .bind(c.id.to_string())
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            actor,
            "complaint.privacy",
            &c.code.to_string(),
            Some(json!({ "privacy": c.privacy })),
            Some(json!({ "privacy": to })),
        )
        .await?;
        tx.commit().await
    }

    /// Keeps the citizen's message on complaint `c`, and tells its unit.
    pub async fn add_citizen_message(
        &self,
        c: &ComplaintRecord,
        text: &str,
        at_ms: i64,
    ) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        insert_message(&mut tx, c.id, Sender::Citizen, None, text, at_ms).await?;
        let subject = format!("{}:{at_ms}", c.id);
        notify_unit(
            &mut tx,
            Kind::ComplaintReplied,
            &subject,
            c.id,
            c.unit_id,
            at_ms,
        )
        .await?;
        tx.commit().await
    }

    /// The citizen's rating. The first is kept as given; a change is kept
    /// too, as a message of the citizen's and an audit entry with the rating
    /// before and after, never as a silent overwrite.
    pub async fn rate_complaint(&self, id: Uuid, rating: u8, at_ms: i64) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        let before: Option<i64> = sqlx::query_scalar("SELECT rating FROM complaints WHERE id = $1")
            .bind(id.to_string())
            .fetch_one(&mut *tx)
            .await?;
        if before == Some(i64::from(rating)) {
            return Ok(());
        }
        sqlx::query("UPDATE complaints SET rating = $1 WHERE id = $2")
            .bind(i64::from(rating))
            .bind(id.to_string())
            .execute(&mut *tx)
            .await?;
        if let Some(before) = before {
            let text = format!(
                "Penilaian diubah: {before} → {rating} / Rating changed: {before} → {rating}"
            );
            insert_message(&mut tx, id, Sender::Citizen, None, &text, at_ms).await?;
            audit(
                &mut tx,
                "citizen",
                "complaint.rating.change",
                &id.to_string(),
                Some(json!({ "rating": before })),
                Some(json!({ "rating": rating })),
            )
            .await?;
        }
        tx.commit().await
    }

    /// Keeps `key_hash` as the key of a complaint that had none (filed
    /// before keys existed): the first to present one. `false` when it
    /// had one meanwhile.
    pub async fn adopt_complaint_key(&self, id: Uuid, key_hash: &str) -> sqlx::Result<bool> {
        let mut tx = self.begin_write().await?;
        let adopted =
            sqlx::query("UPDATE complaints SET key_hash = $1 WHERE id = $2 AND key_hash IS NULL")
                .bind(key_hash.to_owned())
                .bind(id.to_string())
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
        if adopted {
            audit(
                &mut tx,
                "citizen",
                "complaint.key.adopt",
                &id.to_string(),
                None,
                None,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(adopted)
    }
}

/// Checks one entry: the complaint and its service's unit, or why not.
async fn check(
    c: &mut AnyConnection,
    questionnaires: &mut QuestionnaireCache,
    entry: Value,
    received_at: OffsetDateTime,
) -> sqlx::Result<Result<(ValidComplaint, Uuid), ComplaintRejection>> {
    let sub: ComplaintSubmission = match serde_json::from_value(entry) {
        Ok(s) => s,
        Err(e) => return Ok(Err(ComplaintRejection::Shape(e.to_string()))),
    };
    let Some(service) = service_by_id(c, sub.service_id).await? else {
        return Ok(Err(ComplaintRejection::UnknownService(sub.service_id)));
    };
    let s = &service.service;
    let Some(q) = questionnaires
        .get(c, &s.questionnaire_id, s.questionnaire_version)
        .await?
    else {
        return Ok(Err(ComplaintRejection::UnknownService(sub.service_id)));
    };
    Ok(ValidComplaint::parse(sub, q, received_at).map(|v| (v, service.unit_id)))
}

async fn file_one(
    c: &mut AnyConnection,
    v: &ValidComplaint,
    unit_id: Uuid,
    received_at: OffsetDateTime,
) -> sqlx::Result<ComplaintResult> {
    let hash = hex::encode(Sha256::digest(v.canonical_json().as_bytes()));
    let at_ms = datetime_to_ms(received_at);
    let items = serde_json::to_string(&v.items.iter().map(|i| i.to_string()).collect::<Vec<_>>())
        .unwrap_or_else(|_| "[]".into());
    let inserted = sqlx::query(
        "INSERT INTO complaints (id, code, service_id, unit_id, response_id, items, body, \
         happened_on, privacy, channel, submitted_at_ms, received_at_ms, app_version, \
         content_hash, state, state_since_ms, public_body, key_hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, \
         $18) \
         ON CONFLICT DO NOTHING",
    )
    .bind(v.id.to_string())
    .bind(v.code.compact())
    .bind(v.service_id.to_string())
    .bind(unit_id.to_string())
    .bind(v.response_id.map(|r| r.to_string()))
    .bind(items)
    .bind(v.text.clone())
    .bind(v.happened_on.map(|d| d.to_string()))
    .bind(v.privacy.as_str())
    .bind(v.channel.as_str())
    .bind(datetime_to_ms(v.submitted_at))
    .bind(at_ms)
    .bind(v.app_version.clone())
    .bind(hash.clone())
    .bind(State::Diterima.as_str())
    .bind(at_ms)
    .bind(redact(&v.text))
    .bind(v.key.as_deref().map(crate::auth::hash_token))
    .execute(&mut *c)
    .await?
    .rows_affected()
        == 1;
    let result = |status, code: Option<String>, reason: Option<&str>| ComplaintResult {
        id: Some(v.id),
        code,
        status,
        reason: reason.map(str::to_owned),
    };
    if inserted {
        let step = Step::by_citizen(State::Diterima, at_ms);
        insert_event(c, v.id, &step, unit_id).await?;
        notify_unit(
            c,
            Kind::ComplaintFiled,
            &v.id.to_string(),
            v.id,
            unit_id,
            at_ms,
        )
        .await?;
        return Ok(result(SyncStatus::Accepted, Some(v.code.to_string()), None));
    }
    let same_id = sqlx::query("SELECT code, content_hash FROM complaints WHERE id = $1")
        .bind(v.id.to_string())
        .fetch_optional(&mut *c)
        .await?;
    Ok(match same_id {
        Some(row) if row.try_get::<String, _>("content_hash")? == hash => {
            let code: String = row.try_get("code")?;
            let code = TrackingCode::parse(&code).map(|c| c.to_string()).ok();
            result(SyncStatus::Duplicate, code, None)
        }
        Some(_) => result(
            SyncStatus::Conflict,
            None,
            Some("a different complaint was filed with this id; the stored one is kept"),
        ),
        None => result(SyncStatus::Conflict, None, Some(CODE_TAKEN)),
    })
}

async fn insert_event(
    c: &mut AnyConnection,
    complaint: Uuid,
    step: &Step<'_>,
    unit_id: Uuid,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO complaint_events \
         (id, complaint_id, at_ms, state, actor, note, unit_id, public_note) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(Uuid::new_v4().to_string())
    .bind(complaint.to_string())
    .bind(step.at_ms)
    .bind(step.to.as_str())
    .bind(step.actor.to_owned())
    .bind(step.note.map(str::to_owned))
    .bind(unit_id.to_string())
    .bind(step.note.map(redact))
    .execute(&mut *c)
    .await?;
    Ok(())
}

async fn insert_message(
    c: &mut AnyConnection,
    complaint: Uuid,
    sender: Sender,
    author: Option<&str>,
    text: &str,
    at_ms: i64,
) -> sqlx::Result<()> {
    let sender = match sender {
        Sender::Citizen => "citizen",
        Sender::Unit => "unit",
    };
    sqlx::query(
        "INSERT INTO complaint_messages (id, complaint_id, at_ms, sender, author, body, \
         public_body) VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::new_v4().to_string())
    .bind(complaint.to_string())
    .bind(at_ms)
    .bind(sender)
    .bind(author.map(str::to_owned))
    .bind(text.to_owned())
    .bind(redact(text))
    .execute(&mut *c)
    .await?;
    Ok(())
}

/// Tables whose free text has a public copy: (table, text column, copy column).
const PUBLIC_COPIES: [(&str, &str, &str); 3] = [
    ("complaints", "body", "public_body"),
    ("complaint_events", "note", "public_note"),
    ("complaint_messages", "body", "public_body"),
];

impl Store {
    /// Writes the public copy of every text stored before copies were kept,
    /// a few hundred rows a transaction; returns how many were written.
    pub async fn fill_public_copies(&self) -> sqlx::Result<u64> {
        let mut filled = 0;
        for (table, text, copy) in PUBLIC_COPIES {
            loop {
                let rows: Vec<(String, String)> = sqlx::query_as(&format!(
                    "SELECT id, {text} FROM {table} \
                     WHERE {copy} IS NULL AND {text} IS NOT NULL LIMIT 500"
                ))
                .fetch_all(self.pool())
                .await?;
                if rows.is_empty() {
                    break;
                }
                let mut tx = self.begin_write().await?;
                for (id, original) in &rows {
                    sqlx::query(&format!("UPDATE {table} SET {copy} = $1 WHERE id = $2"))
                        .bind(redact(original))
                        .bind(id.clone())
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                filled += rows.len() as u64;
            }
        }
        Ok(filled)
    }
}

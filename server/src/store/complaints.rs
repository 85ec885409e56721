//! Complaints in the database: filing (idempotent, one transaction per
//! batch), a complaint with its events and messages, moving it (guarded, so
//! two people or two replicas never move it twice), and the queue of units.

use super::audit::audit;
use super::catalog::{service_by_id, QuestionnaireCache};
use super::{datetime_to_ms, Store};
use app::domain::complaint::{
    ComplaintRejection, ComplaintResult, ComplaintSubmission, Privacy, State, TrackingCode,
    ValidComplaint,
};
use app::domain::response::SyncStatus;
use app::model::complaint::{NamedRef, Sender};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Row};
use time::OffsetDateTime;
use uuid::Uuid;

/// A complaint's row, with the names of its service and its unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ComplaintRecord {
    pub id: Uuid,
    pub code: TrackingCode,
    pub service: NamedRef,
    /// The unit responsible now.
    pub unit_id: Uuid,
    pub unit: NamedRef,
    pub response_id: Option<Uuid>,
    pub items: Vec<String>,
    pub text: String,
    pub happened_on: Option<String>,
    pub privacy: Privacy,
    pub submitted_at_ms: i64,
    pub state: State,
    pub state_since_ms: i64,
    pub verified_at_ms: Option<i64>,
    pub reopened: i64,
    pub rating: Option<i64>,
}

/// One move as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRecord {
    pub at_ms: i64,
    pub state: State,
    pub actor: String,
    pub note: Option<String>,
    /// The unit responsible after it.
    pub unit: NamedRef,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageRecord {
    pub at_ms: i64,
    pub sender: Sender,
    pub text: String,
}

/// A move to make, with what it carries.
#[derive(Clone, Debug)]
pub struct Step<'a> {
    pub to: State,
    /// A staff account's e-mail, `citizen` or `system`.
    pub actor: &'a str,
    pub note: Option<&'a str>,
    /// For a forward: the receiving unit.
    pub unit: Option<Uuid>,
    pub at_ms: i64,
    /// Also keep the note as the unit's message to the citizen.
    pub note_is_message: bool,
    /// Staff moves go to the audit log.
    pub audited: bool,
}

const SELECT: &str = "SELECT c.id, c.code, c.unit_id, c.response_id, c.items, c.body, \
     c.happened_on, c.privacy, c.submitted_at_ms, c.state, c.state_since_ms, c.verified_at_ms, \
     c.reopened, c.rating, s.code AS service_code, s.name AS service_name, \
     u.code AS unit_code, u.name AS unit_name \
     FROM complaints c JOIN services s ON s.id = c.service_id JOIN units u ON u.id = c.unit_id";

fn bad(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("complaint: bad {what}").into())
}

fn record(r: &AnyRow) -> sqlx::Result<ComplaintRecord> {
    let uuid = |col: &str| -> sqlx::Result<Uuid> {
        r.try_get::<String, _>(col)?.parse().map_err(|_| bad(col))
    };
    let items: String = r.try_get("items")?;
    Ok(ComplaintRecord {
        id: uuid("id")?,
        code: TrackingCode::parse(&r.try_get::<String, _>("code")?).map_err(|_| bad("code"))?,
        service: NamedRef {
            code: r.try_get("service_code")?,
            name: r.try_get("service_name")?,
        },
        unit_id: uuid("unit_id")?,
        unit: NamedRef {
            code: r.try_get("unit_code")?,
            name: r.try_get("unit_name")?,
        },
        response_id: r
            .try_get::<Option<String>, _>("response_id")?
            .and_then(|s| s.parse().ok()),
        items: serde_json::from_str(&items).map_err(|_| bad("items"))?,
        text: r.try_get("body")?,
        happened_on: r.try_get("happened_on")?,
        privacy: Privacy::parse(&r.try_get::<String, _>("privacy")?)
            .ok_or_else(|| bad("privacy"))?,
        submitted_at_ms: r.try_get("submitted_at_ms")?,
        state: State::parse(&r.try_get::<String, _>("state")?).ok_or_else(|| bad("state"))?,
        state_since_ms: r.try_get("state_since_ms")?,
        verified_at_ms: r.try_get("verified_at_ms")?,
        reopened: r.try_get("reopened")?,
        rating: r.try_get("rating")?,
    })
}

impl Store {
    /// Decides every complaint of a batch in one write transaction:
    /// accepted, duplicate (same id, same content), conflict (same id and
    /// other content, or a code another complaint has) or rejected (with the
    /// reason). One result per entry, in order.
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
        Ok(results)
    }

    pub async fn complaint(&self, code: &TrackingCode) -> sqlx::Result<Option<ComplaintRecord>> {
        sqlx::query(&format!("{SELECT} WHERE c.code = $1"))
            .bind(code.compact())
            .fetch_optional(self.pool())
            .await?
            .as_ref()
            .map(record)
            .transpose()
    }

    /// A complaint's moves and messages, oldest first.
    pub async fn complaint_history(
        &self,
        id: Uuid,
    ) -> sqlx::Result<(Vec<EventRecord>, Vec<MessageRecord>)> {
        let events = sqlx::query(
            "SELECT e.at_ms, e.state, e.actor, e.note, u.code, u.name FROM complaint_events e \
             JOIN units u ON u.id = e.unit_id WHERE e.complaint_id = $1 ORDER BY e.at_ms, e.id",
        )
        .bind(id.to_string())
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            Ok(EventRecord {
                at_ms: r.try_get("at_ms")?,
                state: State::parse(&r.try_get::<String, _>("state")?)
                    .ok_or_else(|| bad("event state"))?,
                actor: r.try_get("actor")?,
                note: r.try_get("note")?,
                unit: NamedRef {
                    code: r.try_get("code")?,
                    name: r.try_get("name")?,
                },
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
        let messages = sqlx::query(
            "SELECT at_ms, sender, body FROM complaint_messages WHERE complaint_id = $1 \
             ORDER BY at_ms, id",
        )
        .bind(id.to_string())
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(|r| {
            let sender = match r.try_get::<String, _>("sender")?.as_str() {
                "unit" => Sender::Unit,
                _ => Sender::Citizen,
            };
            Ok(MessageRecord {
                at_ms: r.try_get("at_ms")?,
                sender,
                text: r.try_get("body")?,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
        Ok((events, messages))
    }

    /// The complaints at `units` (`None`: every unit), newest first.
    pub async fn complaints_at(
        &self,
        units: Option<&[Uuid]>,
    ) -> sqlx::Result<Vec<ComplaintRecord>> {
        let rows = sqlx::query(&format!("{SELECT} ORDER BY c.received_at_ms DESC, c.id"))
            .fetch_all(self.pool())
            .await?;
        let all = rows.iter().map(record).collect::<sqlx::Result<Vec<_>>>()?;
        Ok(match units {
            Some(units) => all
                .into_iter()
                .filter(|c| units.contains(&c.unit_id))
                .collect(),
            None => all,
        })
    }

    /// Moves complaint `c` as `step` says, if nobody moved it since `c` was
    /// read (`false` then, and nothing changed): the move, its event, its
    /// message and its audit entry in one transaction.
    pub async fn move_complaint(&self, c: &ComplaintRecord, step: &Step<'_>) -> sqlx::Result<bool> {
        let mut tx = self.begin_write().await?;
        let unit_id = step.unit.unwrap_or(c.unit_id);
        let verified = match step.to {
            State::Diverifikasi => Some(step.at_ms),
            State::Dialihkan => None,
            _ => c.verified_at_ms,
        };
        let reopened = i64::from(c.state == State::Dijawab && step.to == State::Ditindaklanjuti);
        let moved = sqlx::query(
            "UPDATE complaints SET state = $1, state_since_ms = $2, unit_id = $3, \
             verified_at_ms = $4, reopened = reopened + $5 \
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
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !moved {
            return Ok(false);
        }
        insert_event(&mut tx, c.id, step, unit_id).await?;
        if let (true, Some(note)) = (step.note_is_message, step.note) {
            insert_message(
                &mut tx,
                c.id,
                Sender::Unit,
                Some(step.actor),
                note,
                step.at_ms,
            )
            .await?;
        }
        if step.audited {
            audit(
                &mut tx,
                step.actor,
                &format!("complaint.{}", step.to),
                &c.code.to_string(),
                Some(json!({"state": c.state, "unit_id": c.unit_id})),
                Some(json!({"state": step.to, "unit_id": unit_id, "note": step.note})),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Keeps the citizen's message on complaint `id`.
    pub async fn add_citizen_message(&self, id: Uuid, text: &str, at_ms: i64) -> sqlx::Result<()> {
        let mut c = self.pool().acquire().await?;
        insert_message(&mut c, id, Sender::Citizen, None, text, at_ms).await
    }

    /// The citizen's rating of how a complaint was handled.
    pub async fn rate_complaint(&self, id: Uuid, rating: u8) -> sqlx::Result<()> {
        sqlx::query("UPDATE complaints SET rating = $1 WHERE id = $2")
            .bind(i64::from(rating))
            .bind(id.to_string())
            .execute(self.pool())
            .await?;
        Ok(())
    }

    /// Complaints answered before `ms` that nobody confirmed or disputed.
    pub async fn answered_before(&self, ms: i64) -> sqlx::Result<Vec<ComplaintRecord>> {
        sqlx::query(&format!(
            "{SELECT} WHERE c.state = 'dijawab' AND c.state_since_ms < $1"
        ))
        .bind(ms)
        .fetch_all(self.pool())
        .await?
        .iter()
        .map(record)
        .collect()
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
         content_hash, state, state_since_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16) \
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
        let step = Step {
            to: State::Diterima,
            actor: "citizen",
            note: None,
            unit: None,
            at_ms,
            note_is_message: false,
            audited: false,
        };
        insert_event(c, v.id, &step, unit_id).await?;
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
        None => result(
            SyncStatus::Conflict,
            None,
            Some("another complaint has this tracking code; make a new code and send it again"),
        ),
    })
}

async fn insert_event(
    c: &mut AnyConnection,
    complaint: Uuid,
    step: &Step<'_>,
    unit_id: Uuid,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO complaint_events (id, complaint_id, at_ms, state, actor, note, unit_id) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(Uuid::new_v4().to_string())
    .bind(complaint.to_string())
    .bind(step.at_ms)
    .bind(step.to.as_str())
    .bind(step.actor.to_owned())
    .bind(step.note.map(str::to_owned))
    .bind(unit_id.to_string())
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
        "INSERT INTO complaint_messages (id, complaint_id, at_ms, sender, author, body) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(Uuid::new_v4().to_string())
    .bind(complaint.to_string())
    .bind(at_ms)
    .bind(sender)
    .bind(author.map(str::to_owned))
    .bind(text.to_owned())
    .execute(&mut *c)
    .await?;
    Ok(())
}

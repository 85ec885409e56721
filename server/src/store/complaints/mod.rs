//! Complaints in the database: filing (idempotent, one transaction per
//! batch), a complaint with its events and messages, moving it (guarded, so
//! two people or two replicas never move it twice), and the queue of units.

use super::audit::audit;
use super::catalogue::{service_by_id, QuestionnaireCache};
use super::{datetime_to_ms, Store};
use app::domain::complaint::{
    ComplaintRejection, ComplaintResult, ComplaintSubmission, Privacy, State, TrackingCode,
    ValidComplaint,
};
use app::domain::response::SyncStatus;
use app::domain::zone::Zone;
use app::model::complaint::{NamedRef, Sender};
use app::model::figures::ItemRef;
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
    /// The questionnaire (id, version) the service uses: what `items` name.
    pub questionnaire: (String, i64),
    /// The unit responsible now.
    pub unit_id: Uuid,
    pub unit: NamedRef,
    /// The responsible unit's time zone: the days its deadlines count.
    pub unit_zone: Zone,
    pub response_id: Option<Uuid>,
    pub items: Vec<String>,
    pub text: String,
    /// The text as anyone but the unit reads it: redacted when it was written.
    pub public_text: String,
    pub happened_on: Option<String>,
    pub privacy: Privacy,
    pub submitted_at_ms: i64,
    pub state: State,
    pub state_since_ms: i64,
    pub verified_at_ms: Option<i64>,
    /// When staff closed it as abuse.
    pub abuse_at_ms: Option<i64>,
    pub reopened: i64,
    pub rating: Option<i64>,
    /// SHA-256 of the citizen's key (none for a complaint filed before keys).
    pub key_hash: Option<String>,
}

impl ComplaintRecord {
    /// What the public may ever see, as [`PUBLISHABLE`] decides it in SQL:
    /// not `rahasia`, verified by a person of the unit, never closed as
    /// abuse.
    pub fn publishable(&self) -> bool {
        self.privacy != Privacy::Rahasia
            && self.verified_at_ms.is_some()
            && self.abuse_at_ms.is_none()
    }

    /// The local day of instant `ms` in the unit's zone.
    pub fn day_of(&self, ms: i64) -> time::Date {
        self.unit_zone.date(super::ms_to_datetime(ms))
    }

    /// The deadline the complaint runs, counted in its unit's days.
    pub fn running_deadline(
        &self,
        cal: &app::domain::complaint::Calendar,
    ) -> Option<app::domain::complaint::Deadline> {
        running_deadline(
            self.unit_zone,
            self.state,
            self.state_since_ms,
            self.verified_at_ms,
            cal,
        )
    }
}

/// The deadline a complaint in `state` since `since_ms` runs, counted in
/// the days of its unit's `zone`.
fn running_deadline(
    zone: Zone,
    state: State,
    since_ms: i64,
    verified_at_ms: Option<i64>,
    cal: &app::domain::complaint::Calendar,
) -> Option<app::domain::complaint::Deadline> {
    let day = |ms| zone.date(super::ms_to_datetime(ms));
    app::domain::complaint::deadline(state, day(since_ms), verified_at_ms.map(day), cal)
}

/// An open complaint's clock — where it is and what its deadline counts
/// from — without its words: what counting open and overdue complaints
/// reads.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpenClock {
    pub unit_code: String,
    pub unit_zone: Zone,
    pub state: State,
    pub state_since_ms: i64,
    pub verified_at_ms: Option<i64>,
}

impl OpenClock {
    /// The deadline the complaint runs, counted in its unit's days.
    pub fn running_deadline(
        &self,
        cal: &app::domain::complaint::Calendar,
    ) -> Option<app::domain::complaint::Deadline> {
        running_deadline(
            self.unit_zone,
            self.state,
            self.state_since_ms,
            self.verified_at_ms,
            cal,
        )
    }
}

/// One move as stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EventRecord {
    pub at_ms: i64,
    pub state: State,
    pub actor: String,
    pub note: Option<String>,
    /// The note redacted, as written.
    pub public_note: Option<String>,
    /// The unit responsible after it.
    pub unit: NamedRef,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MessageRecord {
    pub at_ms: i64,
    pub sender: Sender,
    pub text: String,
    /// The text redacted, as written.
    pub public_text: String,
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
    /// The citizen's words that came with the move, kept with it.
    pub citizen_words: Option<&'a str>,
    /// A close (`ditutup`) as abuse: withdrawn from public view.
    pub abuse: bool,
}

impl Step<'static> {
    /// The citizen's move (or, with another `actor`, the clock's): no note,
    /// no audit entry.
    pub fn by_citizen(to: State, at_ms: i64) -> Self {
        Self {
            to,
            actor: "citizen",
            note: None,
            unit: None,
            at_ms,
            note_is_message: false,
            audited: false,
            citizen_words: None,
            abuse: false,
        }
    }
}

const SELECT: &str = "SELECT c.id, c.code, c.unit_id, c.response_id, c.items, c.body, \
     c.happened_on, c.privacy, c.submitted_at_ms, c.state, c.state_since_ms, c.verified_at_ms, \
     c.abuse_at_ms, c.reopened, c.rating, c.public_body, c.key_hash, s.code AS service_code, s.name AS service_name, \
     s.questionnaire_id, s.questionnaire_version, \
     u.code AS unit_code, u.name AS unit_name, u.time_zone AS unit_zone \
     FROM complaints c JOIN services s ON s.id = c.service_id JOIN units u ON u.id = c.unit_id";

fn bad(what: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("complaint: bad {what}").into())
}

const EVENTS: &str = "SELECT e.complaint_id, e.at_ms, e.state, e.actor, e.note, e.public_note, \
     u.code, u.name \
     FROM complaint_events e JOIN units u ON u.id = e.unit_id";

/// The stored public copy in `column`; a row written before copies were
/// kept (and not yet filled) is redacted from `original` here.
fn public_copy(r: &AnyRow, column: &str, original: &str) -> sqlx::Result<Option<String>> {
    Ok(match r.try_get::<Option<String>, _>(column)? {
        Some(copy) => Some(copy),
        None => r
            .try_get::<Option<String>, _>(original)?
            .map(|t| app::domain::complaint::redact(&t)),
    })
}

/// `$first, …` for `count` parameters.
fn numbered(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn event_record(r: &AnyRow) -> sqlx::Result<EventRecord> {
    Ok(EventRecord {
        at_ms: r.try_get("at_ms")?,
        state: State::parse(&r.try_get::<String, _>("state")?).ok_or_else(|| bad("event state"))?,
        actor: r.try_get("actor")?,
        public_note: public_copy(r, "public_note", "note")?,
        note: r.try_get("note")?,
        unit: NamedRef {
            code: r.try_get("code")?,
            name: r.try_get("name")?,
        },
    })
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
        questionnaire: (
            r.try_get("questionnaire_id")?,
            r.try_get("questionnaire_version")?,
        ),
        unit_id: uuid("unit_id")?,
        unit: NamedRef {
            code: r.try_get("unit_code")?,
            name: r.try_get("unit_name")?,
        },
        unit_zone: Zone::parse(&r.try_get::<String, _>("unit_zone")?).unwrap_or_default(),
        response_id: r
            .try_get::<Option<String>, _>("response_id")?
            .and_then(|s| s.parse().ok()),
        items: serde_json::from_str(&items).map_err(|_| bad("items"))?,
        public_text: public_copy(r, "public_body", "body")?.unwrap_or_default(),
        text: r.try_get("body")?,
        happened_on: r.try_get("happened_on")?,
        privacy: Privacy::parse(&r.try_get::<String, _>("privacy")?)
            .ok_or_else(|| bad("privacy"))?,
        submitted_at_ms: r.try_get("submitted_at_ms")?,
        state: State::parse(&r.try_get::<String, _>("state")?).ok_or_else(|| bad("state"))?,
        state_since_ms: r.try_get("state_since_ms")?,
        verified_at_ms: r.try_get("verified_at_ms")?,
        abuse_at_ms: r.try_get("abuse_at_ms")?,
        reopened: r.try_get("reopened")?,
        rating: r.try_get("rating")?,
        key_hash: r.try_get("key_hash")?,
    })
}

mod attachments;
mod listing;
mod write;

pub mod courses;
pub use listing::{Course, FeedFilter, PUBLISHABLE};

pub use attachments::{AttachmentRecord, Stored};

impl Store {
    pub async fn complaint(&self, code: &TrackingCode) -> sqlx::Result<Option<ComplaintRecord>> {
        sqlx::query(&format!("{SELECT} WHERE c.code = $1"))
            .bind(code.compact())
            .try_map(|r| record(&r))
            .fetch_optional(self.pool())
            .await
    }

    pub async fn complaint_by_id(&self, id: Uuid) -> sqlx::Result<Option<ComplaintRecord>> {
        sqlx::query(&format!("{SELECT} WHERE c.id = $1"))
            .bind(id.to_string())
            .try_map(|r| record(&r))
            .fetch_optional(self.pool())
            .await
    }

    /// Every move of the complaints at `units` (`None`: every unit), by
    /// complaint (its id) and in order.
    pub async fn complaint_events_at(
        &self,
        units: Option<&[Uuid]>,
    ) -> sqlx::Result<std::collections::HashMap<Uuid, Vec<EventRecord>>> {
        let (condition, units) = match units {
            None => (String::new(), &[][..]),
            Some([]) => return Ok(Default::default()),
            Some(units) => (
                format!(
                    " WHERE e.complaint_id IN (SELECT id FROM complaints WHERE unit_id IN ({}))",
                    numbered(1, units.len())
                ),
                units,
            ),
        };
        let sql = format!("{EVENTS}{condition} ORDER BY e.at_ms, e.id");
        let mut q = sqlx::query(&sql);
        for u in units {
            q = q.bind(u.to_string());
        }
        listing::by_complaint(&q.fetch_all(self.pool()).await?)
    }

    /// The labels of items `codes` of questionnaire (id, version), in order.
    pub async fn item_labels(
        &self,
        questionnaire: &(String, i64),
        codes: &[String],
    ) -> sqlx::Result<Vec<ItemRef>> {
        let mut c = self.pool().acquire().await?;
        let q = super::catalogue::questionnaire(&mut c, &questionnaire.0, questionnaire.1).await?;
        Ok(codes
            .iter()
            .filter_map(|code| {
                let item = q.as_ref()?.item(code)?;
                Some(ItemRef {
                    code: item.code.clone(),
                    label: item.label.clone(),
                })
            })
            .collect())
    }

    /// A complaint's moves and messages, oldest first.
    pub async fn complaint_history(
        &self,
        id: Uuid,
    ) -> sqlx::Result<(Vec<EventRecord>, Vec<MessageRecord>)> {
        let events = sqlx::query(&format!(
            "{EVENTS} WHERE e.complaint_id = $1 ORDER BY e.at_ms, e.id"
        ))
        .bind(id.to_string())
        .try_map(|r| event_record(&r))
        .fetch_all(self.pool())
        .await?;
        let messages = sqlx::query(
            "SELECT at_ms, sender, body, public_body FROM complaint_messages WHERE complaint_id = $1 \
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
                public_text: public_copy(r, "public_body", "body")?.unwrap_or_default(),
                text: r.try_get("body")?,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
        Ok((events, messages))
    }

    /// The complaints at `units` (`None`: every unit) in `states` (`None`:
    /// any), newest first; both chosen in SQL.
    pub async fn complaints_at(
        &self,
        units: Option<&[Uuid]>,
        states: Option<&[State]>,
    ) -> sqlx::Result<Vec<ComplaintRecord>> {
        let mut conditions = Vec::new();
        let mut n = 0;
        if let Some(units) = units {
            if units.is_empty() {
                return Ok(Vec::new());
            }
            conditions.push(format!("c.unit_id IN ({})", numbered(n + 1, units.len())));
            n += units.len();
        }
        if let Some(states) = states {
            if states.is_empty() {
                return Ok(Vec::new());
            }
            conditions.push(format!("c.state IN ({})", numbered(n + 1, states.len())));
        }
        let condition = if conditions.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conditions.join(" AND "))
        };
        let sql = format!("{SELECT}{condition} ORDER BY c.received_at_ms DESC, c.id");
        let mut q = sqlx::query(&sql);
        for u in units.unwrap_or_default() {
            q = q.bind(u.to_string());
        }
        for s in states.unwrap_or_default() {
            q = q.bind(s.as_str());
        }
        q.try_map(|r| record(&r)).fetch_all(self.pool()).await
    }

    /// The clock of every open complaint at `units` (`None`: at any unit).
    pub async fn open_clocks(&self, units: Option<&[Uuid]>) -> sqlx::Result<Vec<OpenClock>> {
        let open: Vec<String> = State::ALL
            .into_iter()
            .filter(|s| s.is_open())
            .map(|s| format!("'{}'", s.as_str()))
            .collect();
        let at_units = match units {
            Some([]) => return Ok(Vec::new()),
            Some(units) => format!(" AND c.unit_id IN ({})", numbered(1, units.len())),
            None => String::new(),
        };
        let sql = format!(
            "SELECT u.code, u.time_zone, c.state, c.state_since_ms, c.verified_at_ms \
             FROM complaints c JOIN units u ON u.id = c.unit_id WHERE c.state IN ({}){at_units}",
            open.join(", ")
        );
        let ids: Vec<String> = units
            .unwrap_or_default()
            .iter()
            .map(Uuid::to_string)
            .collect();
        let clock = |code: &str, zone: &str, state: &str, since, verified| {
            Some(OpenClock {
                unit_code: code.to_owned(),
                unit_zone: Zone::parse(zone).unwrap_or_default(),
                state: State::parse(state)?,
                state_since_ms: since,
                verified_at_ms: verified,
            })
        };
        // SQLite: stepped on a blocking thread, as the courses are.
        if let Some(file) = self.sqlite_file().map(std::path::Path::to_owned) {
            let binds = ids.into_iter().map(super::export::Bind::Text).collect();
            return super::sqlite_scan::collect(file, sql, binds, "open complaints", move |r| {
                let verified = r.text(4).and_then(|t| t.parse().ok());
                let (code, zone) = (r.text(0).unwrap_or_default(), r.text(1).unwrap_or_default());
                let state = r.text(2).unwrap_or_default();
                Ok(clock(code, zone, state, r.int(3), verified))
            })
            .await;
        }
        let mut q = sqlx::query(&sql);
        for id in ids {
            q = q.bind(id);
        }
        let rows = q.fetch_all(self.pool()).await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in &rows {
            out.extend(clock(
                &r.try_get::<String, _>("code")?,
                &r.try_get::<String, _>("time_zone")?,
                &r.try_get::<String, _>("state")?,
                r.try_get("state_since_ms")?,
                r.try_get("verified_at_ms")?,
            ));
        }
        Ok(out)
    }

    /// Complaints answered before `ms` that nobody confirmed or disputed.
    pub async fn answered_before(&self, ms: i64) -> sqlx::Result<Vec<ComplaintRecord>> {
        sqlx::query(&format!(
            "{SELECT} WHERE c.state = 'dijawab' AND c.state_since_ms < $1"
        ))
        .bind(ms)
        .try_map(|r| record(&r))
        .fetch_all(self.pool())
        .await
    }
}

//! Accepting responses: the idempotent heart of the sync protocol.

use super::catalogue::{service_by_id, QuestionnaireCache, ServiceRow};
use super::chain_head::{lock_chain_head, save_chain_head, ChainHead};
use super::integrity;
use super::rollups::{Counted, RollupDelta};
use super::{datetime_to_ms, Marks, Store};
use crate::chain::{content_hash, link};
use app::domain::integrity::{vector_of, Arrival, FlagReason, Ledger};
use app::domain::response::{SyncResult, SyncStatus};
use app::domain::scoring::Attribute;
use app::domain::{Rejection, ResponseSubmission, ValidResponse};
use sqlx::{AnyConnection, Row};
use std::collections::HashMap;
use time::OffsetDateTime;
use uuid::Uuid;

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
        let mut results = self.ingest_together(&[(entries, received_at)]).await?;
        Ok(results.pop().unwrap_or_default())
    }

    /// Decides several batches (each with the time it was received) in one
    /// write transaction, in order, as [`Store::ingest`] decides one: one
    /// list of results per batch. What group commit uses: one commit for
    /// the syncs that arrived together.
    pub async fn ingest_together(
        &self,
        batches: &[(Vec<serde_json::Value>, OffsetDateTime)],
    ) -> sqlx::Result<Vec<Vec<SyncResult>>> {
        let mut c = self.pool().acquire().await?;
        self.ingest_on(&mut c, batches).await
    }

    /// [`Store::ingest_together`] on the connection `c` (the committer keeps
    /// one while syncs keep coming: SQLite drops a connection's page cache
    /// whenever another has written, so the same one stays warm).
    #[tracing::instrument(name = "store.ingest", skip_all, fields(batches = batches.len()))]
    pub async fn ingest_on(
        &self,
        c: &mut AnyConnection,
        batches: &[(Vec<serde_json::Value>, OffsetDateTime)],
    ) -> sqlx::Result<Vec<Vec<SyncResult>>> {
        let mut tx = self.begin_write_on(c).await?;
        // First, so that concurrent batches queue here and never deadlock.
        let mut head = lock_chain_head(&mut tx, self.engine()).await?;
        let start_seq = head.seq;
        let mut services: HashMap<Uuid, Option<ServiceRow>> = HashMap::new();
        let mut questionnaires = QuestionnaireCache::default();

        // Every entry checked first (this reads only the catalogue)…
        let mut checked: Vec<Vec<Checked>> = Vec::with_capacity(batches.len());
        for (entries, received_at) in batches {
            let mut batch = Vec::with_capacity(entries.len());
            for entry in entries {
                let id = entry
                    .get("id")
                    .and_then(|v| v.as_str())
                    .and_then(|s| s.parse::<Uuid>().ok());
                let valid = validate(
                    &mut tx,
                    &mut services,
                    &mut questionnaires,
                    entry,
                    *received_at,
                )
                .await?;
                batch.push(match valid {
                    Ok(valid) => {
                        let service = services[&valid.service_id]
                            .as_ref()
                            .expect("a valid response names a known service");
                        let arrival = arrival_of(&valid, service, *received_at);
                        Checked::Valid(Box::new((valid, arrival)))
                    }
                    Err(rejection) => Checked::Rejected(SyncResult {
                        id,
                        status: SyncStatus::Rejected,
                        reason: Some(rejection.to_string()),
                    }),
                });
            }
            checked.push(batch);
        }

        // …then what the integrity monitor remembers about them…
        let keys = Ledger::keys(checked.iter().flatten().filter_map(|c| match c {
            Checked::Valid(v) => Some(&v.1),
            Checked::Rejected(_) => None,
        }));
        let mut ledger = integrity::load(&mut tx, &keys).await?;
        let rules = self.integrity;

        // …then which ids are stored already…
        let mut stored = stored_hashes(
            &mut tx,
            checked.iter().flatten().filter_map(|c| match c {
                Checked::Valid(v) => Some(v.0.id),
                Checked::Rejected(_) => None,
            }),
        )
        .await?;

        // …and each decided in order: chained, judged, counted — in memory,
        // then written in a few statements of many rows each.
        let mut rollups = RollupDelta::default();
        let mut added = Additions::default();
        let mut all = Vec::with_capacity(batches.len());
        for ((_, received_at), batch) in batches.iter().zip(checked) {
            let mut results = Vec::with_capacity(batch.len());
            for entry in batch {
                let result = match entry {
                    Checked::Valid(v) => {
                        let (valid, arrival) = *v;
                        let id = valid.id;
                        let canonical = valid.canonical_json();
                        let hash = content_hash(&canonical);
                        let status = match stored.get(&valid.id) {
                            Some(earlier) if *earlier == hash => SyncStatus::Duplicate,
                            Some(_) => SyncStatus::Conflict,
                            None => SyncStatus::Accepted,
                        };
                        if status == SyncStatus::Accepted {
                            head = ChainHead {
                                seq: head.seq + 1,
                                chain_hash: link(&head.chain_hash, &hash).ok_or_else(|| {
                                    sqlx::Error::Protocol(
                                        "chain_head holds a malformed hash".into(),
                                    )
                                })?,
                            };
                            stored.insert(valid.id, hash.clone());
                            let flags = ledger.arrive(&arrival, &rules);
                            count(&mut rollups, &valid, &flags);
                            added.push(valid, *received_at, canonical, hash, &head, flags);
                        }
                        SyncResult {
                            id: Some(id),
                            status,
                            reason: (status == SyncStatus::Conflict).then(|| {
                                "a different response with this id was accepted earlier; \
                                 it is kept unchanged"
                                    .to_owned()
                            }),
                        }
                    }
                    Checked::Rejected(result) => result,
                };
                results.push(result);
            }
            all.push(results);
        }
        added.write(&mut tx).await?;
        // In the same transaction: the roll-ups never disagree with the
        // responses, nor the monitor's memory with what it judged.
        integrity::save(&mut tx, &keys, &ledger).await?;
        rollups.apply(&mut tx).await?;
        if head.seq != start_seq {
            save_chain_head(&mut tx, &head).await?;
        }
        tx.commit().await?;
        Ok(all)
    }
}

/// An entry of a sync, checked.
enum Checked {
    Valid(Box<(ValidResponse, Arrival)>),
    Rejected(SyncResult),
}

/// What the integrity monitor sees of a valid response.
fn arrival_of(r: &ValidResponse, service: &ServiceRow, received_at: OffsetDateTime) -> Arrival {
    Arrival {
        service: r.service_id,
        unit: service.unit_id,
        unit_yearly_volume: service.unit_yearly_volume,
        unit_zone: service.unit_zone,
        unit_hours: service.unit_hours,
        channel: r.channel,
        device: r.device_id,
        answered_at: r.answered_at,
        received_at,
        app_version: r.app_version.clone(),
        vector: vector_of(r.scores.iter().map(|(code, s)| (code.as_str(), s.get()))),
        items: r.scores.len(),
    }
}

async fn validate(
    c: &mut AnyConnection,
    services: &mut HashMap<Uuid, Option<ServiceRow>>,
    questionnaires: &mut QuestionnaireCache,
    entry: &serde_json::Value,
    received_at: OffsetDateTime,
) -> sqlx::Result<Result<ValidResponse, Rejection>> {
    use serde::Deserialize;
    let sub = match ResponseSubmission::deserialize(entry) {
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
fn count(delta: &mut RollupDelta, r: &ValidResponse, flags: &[FlagReason]) {
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
        flags,
    });
}

/// A respondent attribute as stored: the wire spelling, or NULL.
fn attribute(r: &ValidResponse, a: Attribute) -> Option<&'static str> {
    r.respondent.as_ref().and_then(|p| a.value_of(p))
}

/// The content hash of every response among `ids` that is stored already.
async fn stored_hashes(
    c: &mut AnyConnection,
    ids: impl Iterator<Item = Uuid>,
) -> sqlx::Result<HashMap<Uuid, String>> {
    let ids: Vec<String> = ids.map(|id| id.to_string()).collect();
    let mut stored = HashMap::new();
    for chunk in ids.chunks(ROWS) {
        let sql = format!(
            "SELECT id, content_hash FROM responses WHERE id IN ({})",
            Marks::new(c).take(chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for id in chunk {
            q = q.bind(id);
        }
        for row in q.fetch_all(&mut *c).await? {
            let id: String = row.try_get("id")?;
            let id = id.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))?;
            stored.insert(id, row.try_get("content_hash")?);
        }
    }
    Ok(stored)
}

/// Rows per multi-row statement (18 parameters each at most: well under
/// both engines' limits).
const ROWS: usize = 100;

/// Inserts `rows` of (text, text, integer) into `into` (`"table (a, b, c)"`),
/// six hundred a statement.
async fn insert_triples(
    c: &mut AnyConnection,
    into: &str,
    rows: &[(i64, &str, i64)],
) -> sqlx::Result<()> {
    for chunk in rows.chunks(ROWS * 6) {
        let sql = format!(
            "INSERT INTO {into} VALUES {}",
            Marks::new(c).rows(chunk.len(), 3)
        );
        let mut q = sqlx::query(&sql);
        for (seq, text, n) in chunk {
            q = q.bind(*seq).bind(*text).bind(*n);
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

/// An accepted response as it is written.
struct Accepted {
    valid: ValidResponse,
    received_at_ms: i64,
    canonical: String,
    hash: String,
    seq: i64,
    chain_hash: String,
    flags: Vec<FlagReason>,
}

/// What a group of syncs adds, decided in memory before anything of it is
/// written: the rows are written together, a statement per hundred
/// responses (not one per response), inside the same transaction.
#[derive(Default)]
struct Additions(Vec<Accepted>);

impl Additions {
    fn push(
        &mut self,
        valid: ValidResponse,
        received_at: OffsetDateTime,
        canonical: String,
        hash: String,
        head: &ChainHead,
        flags: Vec<FlagReason>,
    ) {
        self.0.push(Accepted {
            valid,
            received_at_ms: datetime_to_ms(received_at),
            canonical,
            hash,
            seq: head.seq,
            chain_hash: head.chain_hash.clone(),
            flags,
        });
    }

    async fn write(&self, c: &mut AnyConnection) -> sqlx::Result<()> {
        for chunk in self.0.chunks(ROWS) {
            let sql = format!(
                "INSERT INTO responses (id, service_id, questionnaire_id, questionnaire_version, \
                 answered_at_ms, received_at_ms, channel, comment, content, content_hash, \
                 respondent_sex, respondent_age_band, respondent_education, \
                 respondent_occupation, respondent_disability, seq, chain_hash, device_id) \
                 VALUES {}",
                Marks::new(c).rows(chunk.len(), 18)
            );
            let mut q = sqlx::query(&sql);
            for a in chunk {
                let r = &a.valid;
                q = q
                    .bind(r.id.to_string())
                    .bind(r.service_id.to_string())
                    .bind(&r.questionnaire_id)
                    .bind(r.questionnaire_version)
                    .bind(datetime_to_ms(r.answered_at))
                    .bind(a.received_at_ms)
                    .bind(r.channel.as_str())
                    .bind(r.comment.clone())
                    .bind(&a.canonical)
                    .bind(&a.hash)
                    .bind(attribute(r, Attribute::Sex))
                    .bind(attribute(r, Attribute::AgeBand))
                    .bind(attribute(r, Attribute::Education))
                    .bind(attribute(r, Attribute::Occupation))
                    .bind(attribute(r, Attribute::Disability))
                    .bind(a.seq)
                    .bind(&a.chain_hash)
                    .bind(r.device_id.map(|d| d.to_string()));
            }
            q.execute(&mut *c).await?;
        }
        let scores: Vec<(i64, &str, i64)> = self
            .0
            .iter()
            .flat_map(|a| {
                a.valid
                    .scores
                    .iter()
                    .map(move |(code, s)| (a.seq, code.as_str(), i64::from(s.get())))
            })
            .collect();
        insert_triples(
            c,
            "response_scores (response_seq, item_code, score)",
            &scores,
        )
        .await?;
        let flags: Vec<(i64, &str, i64)> = self
            .0
            .iter()
            .flat_map(|a| {
                a.flags
                    .iter()
                    .map(move |f| (a.seq, f.as_str(), a.received_at_ms))
            })
            .collect();
        insert_triples(
            c,
            "response_flags (response_seq, reason, flagged_at_ms)",
            &flags,
        )
        .await
    }
}

impl Store {
    /// Chains the responses stored before the chain existed (seq NULL), in
    /// (received_at, id) order after the current head, in one write
    /// transaction. Returns how many it chained; 0, at once, when none wait.
    pub async fn chain_unchained(&self) -> sqlx::Result<u64> {
        let waiting: i64 = sqlx::query("SELECT COUNT(*) AS n FROM responses WHERE seq IS NULL")
            .fetch_one(self.pool())
            .await?
            .try_get("n")?;
        if waiting == 0 {
            return Ok(0);
        }
        let mut tx = self.begin_write().await?;
        let mut head = lock_chain_head(&mut tx, self.engine()).await?;
        let mut chained = 0;
        loop {
            // In pages, as a read stream cannot share the connection with writes.
            let page = sqlx::query(
                "SELECT id, content_hash FROM responses WHERE seq IS NULL \
                 ORDER BY received_at_ms, id LIMIT 10000",
            )
            .fetch_all(&mut *tx)
            .await?;
            if page.is_empty() {
                break;
            }
            for row in page {
                let id: String = row.try_get("id")?;
                let hash: String = row.try_get("content_hash")?;
                head.seq += 1;
                head.chain_hash = link(&head.chain_hash, &hash).ok_or_else(|| {
                    sqlx::Error::Protocol(format!("response {id} has a malformed content hash"))
                })?;
                sqlx::query("UPDATE responses SET seq = $1, chain_hash = $2 WHERE id = $3")
                    .bind(head.seq)
                    .bind(&head.chain_hash)
                    .bind(&id)
                    .execute(&mut *tx)
                    .await?;
                chained += 1;
            }
        }
        save_chain_head(&mut tx, &head).await?;
        tx.commit().await?;
        Ok(chained)
    }
}

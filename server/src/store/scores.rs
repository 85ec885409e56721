//! Reading accepted responses back with their scores, one row per
//! response (its scores aggregated in SQL): what `rollups::rebuild` counts
//! and the SKM report's matrix shows. Rows stream from the database, so
//! memory stays flat at any number of responses.

use app::domain::integrity::{FlagReason, Flagged};
use app::domain::scoring::Attribute;
use futures::TryStreamExt;
use sqlx::{AnyConnection, Row};

/// One response and its scores.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ScoredResponse {
    pub service_id: String,
    pub questionnaire_id: String,
    pub questionnaire_version: i64,
    pub answered_at_ms: i64,
    /// Respondent attributes in [`Attribute::ALL`] order, as stored.
    pub attributes: [Option<String>; 5],
    /// (item code, score 1–4).
    pub scores: Vec<(String, i64)>,
    /// Its flags that no auditor has cleared.
    pub flags: Vec<FlagReason>,
}

fn column(a: Attribute) -> &'static str {
    match a {
        Attribute::Sex => "respondent_sex",
        Attribute::AgeBand => "respondent_age_band",
        Attribute::Education => "respondent_education",
        Attribute::Occupation => "respondent_occupation",
        Attribute::Disability => "respondent_disability",
    }
}

/// A response's (`r`) scores in one column, `U1:4,U2:3`: a row per
/// response rather than per score (each engine spells the aggregate its way).
fn scores_column(c: &AnyConnection) -> &'static str {
    if c.backend_name() == "SQLite" {
        "(SELECT group_concat(s.item_code || ':' || s.score, ',') \
         FROM response_scores s WHERE s.response_seq = r.seq)"
    } else {
        "(SELECT string_agg(s.item_code || ':' || s.score, ',') \
         FROM response_scores s WHERE s.response_seq = r.seq)"
    }
}

/// A response's (`r`) flags that stand, in one column: `burst,same-device`.
fn flags_column(c: &AnyConnection) -> &'static str {
    if c.backend_name() == "SQLite" {
        "(SELECT group_concat(f.reason, ',') FROM response_flags f \
         WHERE f.response_seq = r.seq AND f.cleared_at_ms IS NULL)"
    } else {
        "(SELECT string_agg(f.reason, ',') FROM response_flags f \
         WHERE f.response_seq = r.seq AND f.cleared_at_ms IS NULL)"
    }
}

/// The flags of [`flags_column`], in reason order.
fn parse_flags(text: Option<&str>) -> Vec<FlagReason> {
    let mut flags: Vec<FlagReason> = text
        .unwrap_or("")
        .split(',')
        .filter_map(FlagReason::parse)
        .collect();
    flags.sort();
    flags
}

/// The scores of [`scores_column`], by item code.
fn parse_scores(text: Option<&str>) -> sqlx::Result<Vec<(String, i64)>> {
    let mut scores = Vec::new();
    for pair in text.unwrap_or("").split(',').filter(|p| !p.is_empty()) {
        let parsed = pair
            .split_once(':')
            .and_then(|(code, score)| Some((code.to_owned(), score.parse().ok()?)));
        match parsed {
            Some(s) => scores.push(s),
            None => {
                return Err(sqlx::Error::Decode(
                    format!("stored score {pair:?} is not CODE:NUMBER").into(),
                ))
            }
        }
    }
    scores.sort();
    Ok(scores)
}

/// Calls `each` for every stored response that has scores, with all its
/// scores, on connection `c` (so that it can run inside a transaction).
pub async fn scan_scored(
    c: &mut AnyConnection,
    mut each: impl FnMut(&ScoredResponse),
) -> sqlx::Result<()> {
    let sql = scored_sql(c, "");
    let mut rows = sqlx::query(&sql).fetch(&mut *c);
    while let Some(row) = rows.try_next().await? {
        if let Some(r) = scored_row(&row)? {
            each(&r);
        }
    }
    Ok(())
}

/// One stored response with its scores and standing flags (none if it has
/// no scores or does not exist), on `c`.
pub async fn scored_response(
    c: &mut AnyConnection,
    id: &str,
) -> sqlx::Result<Option<ScoredResponse>> {
    let sql = scored_sql(c, " WHERE r.id = $1");
    match sqlx::query(&sql).bind(id).fetch_optional(&mut *c).await? {
        Some(row) => scored_row(&row),
        None => Ok(None),
    }
}

fn scored_sql(c: &AnyConnection, condition: &str) -> String {
    let attributes: Vec<String> = Attribute::ALL
        .iter()
        .map(|a| format!("r.{}", column(*a)))
        .collect();
    format!(
        "SELECT r.service_id, r.questionnaire_id, r.questionnaire_version, r.answered_at_ms, \
         {}, {} AS scores, {} AS flags FROM responses r{condition}",
        attributes.join(", "),
        scores_column(c),
        flags_column(c),
    )
}

fn scored_row(row: &sqlx::any::AnyRow) -> sqlx::Result<Option<ScoredResponse>> {
    let scores = parse_scores(row.try_get::<Option<String>, _>("scores")?.as_deref())?;
    if scores.is_empty() {
        return Ok(None);
    }
    let mut attributes: [Option<String>; 5] = Default::default();
    for (slot, a) in attributes.iter_mut().zip(Attribute::ALL) {
        *slot = row.try_get(column(a))?;
    }
    Ok(Some(ScoredResponse {
        service_id: row.try_get("service_id")?,
        questionnaire_id: row.try_get("questionnaire_id")?,
        questionnaire_version: row.try_get("questionnaire_version")?,
        answered_at_ms: row.try_get("answered_at_ms")?,
        attributes,
        scores,
        flags: parse_flags(row.try_get::<Option<String>, _>("flags")?.as_deref()),
    }))
}

/// One respondent of a report's matrix: when, their profile as stored and
/// their scores.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Respondent {
    pub answered_at_ms: i64,
    pub attributes: [Option<String>; 5],
    pub scores: Vec<(String, i64)>,
}

impl super::Store {
    /// The first `limit` respondents of `services` who scored an item of
    /// `questionnaire` in [from_ms, to_ms), in the order they answered.
    /// Each service is read in the order of its (service, time) index and
    /// the lists merged, so the cost follows `limit`, not the period's size.
    pub async fn respondents(
        &self,
        services: &[String],
        questionnaire: &str,
        from_ms: i64,
        to_ms: i64,
        limit: usize,
        flagged: Flagged,
    ) -> sqlx::Result<Vec<Respondent>> {
        let attributes: Vec<String> = Attribute::ALL
            .iter()
            .map(|a| format!("r.{}", column(*a)))
            .collect();
        let mut c = self.pool().acquire().await?;
        let sql = format!(
            "SELECT r.id, r.answered_at_ms, {}, {} AS scores FROM responses r \
             WHERE r.service_id = $1 AND r.answered_at_ms >= $2 AND r.answered_at_ms < $3 \
             AND r.questionnaire_id = $4 \
             AND EXISTS (SELECT 1 FROM response_scores s WHERE s.response_seq = r.seq) {} \
             ORDER BY r.answered_at_ms, r.id LIMIT {limit}",
            attributes.join(", "),
            scores_column(&c),
            match flagged {
                Flagged::Include => "",
                Flagged::Exclude => {
                    "AND NOT EXISTS (SELECT 1 FROM response_flags f \
                     WHERE f.response_seq = r.seq AND f.cleared_at_ms IS NULL)"
                }
            },
        );
        let mut out: Vec<(i64, String, Respondent)> = Vec::new();
        for service in services {
            let rows = sqlx::query(&sql)
                .bind(service.as_str())
                .bind(from_ms)
                .bind(to_ms)
                .bind(questionnaire)
                .fetch_all(&mut *c)
                .await?;
            for row in rows {
                let mut attributes: [Option<String>; 5] = Default::default();
                for (slot, a) in attributes.iter_mut().zip(Attribute::ALL) {
                    *slot = row.try_get(column(a))?;
                }
                let scores = parse_scores(row.try_get::<Option<String>, _>("scores")?.as_deref())?;
                let at: i64 = row.try_get("answered_at_ms")?;
                out.push((
                    at,
                    row.try_get("id")?,
                    Respondent {
                        answered_at_ms: at,
                        attributes,
                        scores,
                    },
                ));
            }
        }
        out.sort_by(|a, b| (a.0, &a.1).cmp(&(b.0, &b.1)));
        out.truncate(limit);
        Ok(out.into_iter().map(|(_, _, r)| r).collect())
    }
}

/// A stored response as an audit reads it: what was hashed and chained,
/// and every row derived from it.
#[derive(Clone, Debug, Default)]
pub struct StoredResponse {
    pub id: String,
    pub seq: i64,
    pub content: String,
    pub content_hash: String,
    pub chain_hash: String,
    pub received_at_ms: i64,
    pub channel: String,
    pub comment: Option<String>,
    pub device_id: Option<String>,
    /// Its scores, attributes and flags, as `scan_scored` reads them (with
    /// no scores the scores are empty).
    pub scored: ScoredResponse,
}

/// Calls `each` for every stored response in chain order, with every row
/// derived from it, on `c`; stops when `each` returns false.
pub async fn scan_stored(
    c: &mut AnyConnection,
    mut each: impl FnMut(StoredResponse) -> bool,
) -> sqlx::Result<()> {
    let attributes: Vec<String> = Attribute::ALL
        .iter()
        .map(|a| format!("r.{}", column(*a)))
        .collect();
    let sql = format!(
        "SELECT r.id, r.seq, r.content, r.content_hash, r.chain_hash, r.received_at_ms, \
         r.channel, r.comment, r.device_id, r.service_id, r.questionnaire_id, \
         r.questionnaire_version, r.answered_at_ms, {}, {} AS scores, {} AS flags \
         FROM responses r ORDER BY r.seq",
        attributes.join(", "),
        scores_column(c),
        flags_column(c),
    );
    let mut rows = sqlx::query(&sql).fetch(&mut *c);
    while let Some(row) = rows.try_next().await? {
        let mut attributes: [Option<String>; 5] = Default::default();
        for (slot, a) in attributes.iter_mut().zip(Attribute::ALL) {
            *slot = row.try_get(column(a))?;
        }
        let stored = StoredResponse {
            id: row.try_get("id")?,
            seq: row.try_get("seq")?,
            content: row.try_get("content")?,
            content_hash: row.try_get("content_hash")?,
            chain_hash: row.try_get("chain_hash")?,
            received_at_ms: row.try_get("received_at_ms")?,
            channel: row.try_get("channel")?,
            comment: row.try_get("comment")?,
            device_id: row.try_get("device_id")?,
            scored: ScoredResponse {
                service_id: row.try_get("service_id")?,
                questionnaire_id: row.try_get("questionnaire_id")?,
                questionnaire_version: row.try_get("questionnaire_version")?,
                answered_at_ms: row.try_get("answered_at_ms")?,
                attributes,
                scores: parse_scores(row.try_get::<Option<String>, _>("scores")?.as_deref())?,
                flags: parse_flags(row.try_get::<Option<String>, _>("flags")?.as_deref()),
            },
        };
        if !each(stored) {
            break;
        }
    }
    Ok(())
}

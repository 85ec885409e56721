//! Reading accepted responses back with their scores, one response at a
//! time: what `rollups::rebuild` counts. Rows stream from the database in
//! response order, so memory stays flat at any number of responses.

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

/// Calls `each` for every stored response, with all its scores, on
/// connection `c` (so that it can run inside a transaction).
pub async fn scan_scored(
    c: &mut AnyConnection,
    mut each: impl FnMut(&ScoredResponse),
) -> sqlx::Result<()> {
    let attributes: Vec<String> = Attribute::ALL
        .iter()
        .map(|a| format!("r.{}", column(*a)))
        .collect();
    let sql = format!(
        "SELECT r.id, r.service_id, r.questionnaire_id, r.questionnaire_version, \
         r.answered_at_ms, {}, s.item_code, s.score \
         FROM responses r JOIN response_scores s ON s.response_id = r.id \
         ORDER BY r.id, s.item_code",
        attributes.join(", ")
    );
    let mut rows = sqlx::query(&sql).fetch(&mut *c);
    let mut current: Option<(String, ScoredResponse)> = None;
    while let Some(row) = rows.try_next().await? {
        let id: String = row.try_get("id")?;
        if current.as_ref().is_some_and(|(c, _)| *c != id) {
            if let Some((_, r)) = current.take() {
                each(&r);
            }
        }
        let (_, r) = match &mut current {
            Some(c) => c,
            None => {
                let mut attributes: [Option<String>; 5] = Default::default();
                for (slot, a) in attributes.iter_mut().zip(Attribute::ALL) {
                    *slot = row.try_get(column(a))?;
                }
                current.insert((
                    id,
                    ScoredResponse {
                        service_id: row.try_get("service_id")?,
                        questionnaire_id: row.try_get("questionnaire_id")?,
                        questionnaire_version: row.try_get("questionnaire_version")?,
                        answered_at_ms: row.try_get("answered_at_ms")?,
                        attributes,
                        scores: Vec::new(),
                    },
                ))
            }
        };
        r.scores
            .push((row.try_get("item_code")?, row.try_get("score")?));
    }
    if let Some((_, r)) = current {
        each(&r);
    }
    Ok(())
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
    /// The respondents of `services` who answered `questionnaire` in
    /// [from_ms, to_ms), in the order they answered, at most `limit`, and
    /// how many there are in all.
    pub async fn respondents(
        &self,
        services: &[String],
        questionnaire: &str,
        from_ms: i64,
        to_ms: i64,
        limit: usize,
    ) -> sqlx::Result<(Vec<Respondent>, u64)> {
        if services.is_empty() {
            return Ok((Vec::new(), 0));
        }
        let list: Vec<String> = (0..services.len()).map(|i| format!("${}", i + 4)).collect();
        let filter = format!(
            "r.questionnaire_id = $1 AND r.answered_at_ms >= $2 AND r.answered_at_ms < $3 \
             AND r.service_id IN ({})",
            list.join(", ")
        );
        fn bind<'q>(
            sql: &'q str,
            questionnaire: &str,
            from_ms: i64,
            to_ms: i64,
            services: &[String],
        ) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
            let mut q = sqlx::query(sql)
                .bind(questionnaire.to_owned())
                .bind(from_ms)
                .bind(to_ms);
            for s in services {
                q = q.bind(s.clone());
            }
            q
        }
        let total_sql = format!("SELECT COUNT(*) AS n FROM responses r WHERE {filter}");
        let total: i64 = bind(&total_sql, questionnaire, from_ms, to_ms, services)
            .fetch_one(self.pool())
            .await?
            .try_get("n")?;
        let attributes: Vec<String> = Attribute::ALL
            .iter()
            .map(|a| format!("r.{}", column(*a)))
            .collect();
        let sql = format!(
            "SELECT r.id, r.answered_at_ms, {}, s.item_code, s.score FROM \
             (SELECT * FROM responses r WHERE {filter} ORDER BY r.answered_at_ms, r.id LIMIT {limit}) r \
             JOIN response_scores s ON s.response_id = r.id ORDER BY r.answered_at_ms, r.id, s.item_code",
            attributes.join(", ")
        );
        let mut out: Vec<Respondent> = Vec::new();
        let mut last_id = String::new();
        let mut rows = bind(&sql, questionnaire, from_ms, to_ms, services).fetch(self.pool());
        while let Some(row) = rows.try_next().await? {
            let id: String = row.try_get("id")?;
            if id != last_id || out.is_empty() {
                let mut attributes: [Option<String>; 5] = Default::default();
                for (slot, a) in attributes.iter_mut().zip(Attribute::ALL) {
                    *slot = row.try_get(column(a))?;
                }
                out.push(Respondent {
                    answered_at_ms: row.try_get("answered_at_ms")?,
                    attributes,
                    scores: Vec::new(),
                });
                last_id = id;
            }
            if let Some(r) = out.last_mut() {
                r.scores
                    .push((row.try_get("item_code")?, row.try_get("score")?));
            }
        }
        Ok((out, total as u64))
    }
}

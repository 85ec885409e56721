//! Reading accepted responses back with their scores, one response at a
//! time: what `rollups::rebuild` counts. Rows stream from the database in
//! response order, so memory stays flat at any number of responses. Also the
//! lookups summaries need beside the roll-ups (volumes, questionnaires).

use super::Store;
use app::domain::scoring::Attribute;
use futures::TryStreamExt;
use sqlx::{AnyConnection, Row};
use uuid::Uuid;

/// Which responses to read.
#[derive(Clone, Debug, Default)]
pub struct ScoreFilter {
    /// Only these services (`None`: every service).
    pub services: Option<Vec<Uuid>>,
    /// Only responses to this questionnaire (any version).
    pub questionnaire_id: Option<String>,
}

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

/// Calls `each` for every response `filter` selects, with all its scores, on
/// connection `c` (so that it can run inside a transaction).
pub async fn scan_scored(
    c: &mut AnyConnection,
    filter: &ScoreFilter,
    mut each: impl FnMut(&ScoredResponse),
) -> sqlx::Result<()> {
    let attributes: Vec<String> = Attribute::ALL
        .iter()
        .map(|a| format!("r.{}", column(*a)))
        .collect();
    let mut sql = format!(
        "SELECT r.id, r.service_id, r.questionnaire_id, r.questionnaire_version, \
         r.answered_at_ms, {}, s.item_code, s.score \
         FROM responses r JOIN response_scores s ON s.response_id = r.id WHERE 1 = 1",
        attributes.join(", ")
    );
    let mut n = 0;
    if let Some(services) = &filter.services {
        if services.is_empty() {
            return Ok(());
        }
        sql.push_str(" AND r.service_id IN (");
        for i in 0..services.len() {
            n += 1;
            sql.push_str(&format!("{}${n}", if i > 0 { ", " } else { "" }));
        }
        sql.push(')');
    }
    if filter.questionnaire_id.is_some() {
        n += 1;
        sql.push_str(&format!(" AND r.questionnaire_id = ${n}"));
    }
    sql.push_str(" ORDER BY r.id, s.item_code");
    let mut q = sqlx::query(&sql);
    for s in filter.services.iter().flatten() {
        q = q.bind(s.to_string());
    }
    if let Some(id) = &filter.questionnaire_id {
        q = q.bind(id.clone());
    }
    let mut rows = q.fetch(&mut *c);
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

impl Store {
    /// Each unit's yearly service volume, where it is known.
    pub async fn unit_volumes(&self) -> sqlx::Result<std::collections::HashMap<Uuid, u64>> {
        let rows =
            sqlx::query("SELECT id, yearly_volume FROM units WHERE yearly_volume IS NOT NULL")
                .fetch_all(self.pool())
                .await?;
        rows.iter()
            .map(|r| {
                let v: i64 = r.try_get("yearly_volume")?;
                Ok((super::uuid_col(r, "id")?, v.max(0) as u64))
            })
            .collect()
    }

    /// Every stored version of questionnaire `id`, newest first.
    pub async fn questionnaire_versions(
        &self,
        id: &str,
    ) -> sqlx::Result<Vec<app::domain::Questionnaire>> {
        let mut c = self.pool().acquire().await?;
        let versions: Vec<i64> =
            sqlx::query("SELECT version FROM questionnaires WHERE id = $1 ORDER BY version DESC")
                .bind(id)
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| r.try_get("version"))
                .collect::<sqlx::Result<_>>()?;
        let mut out = Vec::with_capacity(versions.len());
        for v in versions {
            if let Some(q) = super::catalog::questionnaire(&mut c, id, v).await? {
                out.push(q);
            }
        }
        Ok(out)
    }

    /// Every service, with its unit and agency.
    pub async fn all_services(&self) -> sqlx::Result<Vec<super::catalog::ServiceRow>> {
        let mut c = self.pool().acquire().await?;
        super::catalog::services(&mut c, None).await
    }
}

//! Counts behind the first dashboard. (Roll-ups replace these scans in the
//! dashboard issue; the shape of the answer stays.)

use super::catalog::{services, QuestionnaireCache};
use super::Store;
use app::backend::ServiceTallies;
use app::domain::scoring::ItemTally;
use sqlx::Row;
use std::collections::HashMap;
use uuid::Uuid;

impl Store {
    /// Per service in scope, under its current questionnaire version: the
    /// number of responses and each item's count and total.
    pub async fn service_tallies(
        &self,
        units: Option<&[Uuid]>,
    ) -> sqlx::Result<Vec<ServiceTallies>> {
        let mut c = self.pool().acquire().await?;
        let rows = services(&mut c, units).await?;
        let counts: HashMap<(String, String, i64), i64> = sqlx::query(
            "SELECT service_id, questionnaire_id, questionnaire_version, COUNT(*) AS n \
             FROM responses GROUP BY service_id, questionnaire_id, questionnaire_version",
        )
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            Ok((
                (
                    r.try_get("service_id")?,
                    r.try_get("questionnaire_id")?,
                    r.try_get("questionnaire_version")?,
                ),
                r.try_get("n")?,
            ))
        })
        .collect::<sqlx::Result<_>>()?;
        let sums: HashMap<(String, String, i64, String), (i64, i64)> = sqlx::query(
            "SELECT r.service_id, r.questionnaire_id, r.questionnaire_version, s.item_code, \
             COUNT(*) AS n, CAST(SUM(s.score) AS BIGINT) AS total \
             FROM response_scores s JOIN responses r ON r.id = s.response_id \
             GROUP BY r.service_id, r.questionnaire_id, r.questionnaire_version, s.item_code",
        )
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| {
            Ok((
                (
                    r.try_get("service_id")?,
                    r.try_get("questionnaire_id")?,
                    r.try_get("questionnaire_version")?,
                    r.try_get("item_code")?,
                ),
                (r.try_get("n")?, r.try_get("total")?),
            ))
        })
        .collect::<sqlx::Result<_>>()?;

        let mut cache = QuestionnaireCache::default();
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let s = &row.service;
            let Some(q) = cache
                .get(&mut c, &s.questionnaire_id, s.questionnaire_version)
                .await?
            else {
                continue;
            };
            let sid = s.id.to_string();
            let key = (sid.clone(), q.id.clone(), q.version);
            let tallies = q
                .items
                .iter()
                .map(|item| {
                    let (n, sum) = sums
                        .get(&(sid.clone(), q.id.clone(), q.version, item.code.to_string()))
                        .copied()
                        .unwrap_or_default();
                    ItemTally {
                        n: n as u64,
                        sum: sum as u64,
                    }
                })
                .collect();
            out.push(ServiceTallies {
                code: s.code.clone(),
                name: s.name.clone(),
                unit_name: row.unit_name.clone(),
                agency_name: row.agency_name.clone(),
                questionnaire: q.clone(),
                responses: counts.get(&key).copied().unwrap_or_default() as u64,
                tallies,
            });
        }
        Ok(out)
    }
}

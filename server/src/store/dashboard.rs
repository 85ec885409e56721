//! What the dashboard shows of each service: the moments its figures come
//! from, under its current questionnaire version, read from the roll-ups.

use super::catalogue::{services, QuestionnaireCache};
use super::rollups::{MomentsByKey, RollupFilter};
use super::Store;
use app::domain::scoring::{sample_target, Moments};
use app::model::dashboard::ServiceTallies;
use std::collections::HashMap;
use uuid::Uuid;

impl Store {
    /// Per service in scope (every service when `units` is `None`).
    pub async fn service_tallies(
        &self,
        units: Option<&[Uuid]>,
    ) -> sqlx::Result<Vec<ServiceTallies>> {
        let rows = {
            let mut c = self.pool().acquire().await?;
            let rows = services(&mut c, units).await?;
            let mut cache = QuestionnaireCache::default();
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let s = &row.service;
                if let Some(q) = cache
                    .get(&mut c, &s.questionnaire_id, s.questionnaire_version)
                    .await?
                {
                    out.push((row.clone(), q.clone()));
                }
            }
            out
        };
        let volumes = self.unit_volumes().await?;
        let mut tallies: Vec<ServiceTallies> = rows
            .iter()
            .map(|(row, q)| ServiceTallies {
                code: row.service.code.clone(),
                name: row.service.name.clone(),
                unit_name: row.unit_name.clone(),
                agency_name: row.agency_name.clone(),
                questionnaire: q.clone(),
                moments: Moments::new(q.items.len()),
                sample_target: sample_target(volumes.get(&row.unit_id).copied()),
            })
            .collect();
        // Everyone's slice, all days; each service under its current version.
        let filter = RollupFilter {
            services: rows.iter().map(|(row, _)| row.service.id).collect(),
            ..Default::default()
        };
        let mut per_service: HashMap<String, (usize, MomentsByKey<()>)> = rows
            .iter()
            .enumerate()
            .map(|(i, (row, q))| {
                let codes: Vec<_> = q.items.iter().map(|item| item.code.clone()).collect();
                (row.service.id.to_string(), (i, MomentsByKey::new(&codes)))
            })
            .collect();
        self.for_each_rollup(&filter, |r| {
            if let Some((i, m)) = per_service.get_mut(&r.service_id) {
                let q = &tallies[*i].questionnaire;
                if r.questionnaire_id == q.id && r.questionnaire_version == q.version {
                    m.add((), &r.counts);
                }
            }
        })
        .await?;
        for (_, (i, mut m)) in per_service {
            tallies[i].moments = m.take(&());
        }
        Ok(tallies)
    }
}

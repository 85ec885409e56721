//! Reading and writing roll-up rows by key, in batches, with the
//! placeholders each engine binds fastest.

use super::{Grain, SliceCounts, SliceKey};
use crate::store::Marks;
use futures::TryStreamExt;
use sqlx::{AnyConnection, Row};
use std::collections::{BTreeMap, BTreeSet};

/// What is stored already under `keys`: one query per service, grain and
/// questionnaire version, for the slices and days the keys name.
pub(super) async fn stored_counts(
    c: &mut AnyConnection,
    keys: &BTreeMap<SliceKey, SliceCounts>,
) -> sqlx::Result<Vec<(SliceKey, SliceCounts)>> {
    type Group<'a> = (&'a str, Grain, &'a str, i64);
    let mut groups: BTreeMap<Group, (BTreeSet<&'static str>, BTreeSet<i64>)> = BTreeMap::new();
    for k in keys.keys() {
        let g = groups
            .entry((
                &k.service_id,
                k.grain,
                &k.questionnaire_id,
                k.questionnaire_version,
            ))
            .or_default();
        g.0.insert(k.attribute);
        g.1.insert(k.day);
    }
    let mut out = Vec::new();
    for ((service, grain, qid, version), (attributes, days)) in groups {
        for days in days.into_iter().collect::<Vec<_>>().chunks(500) {
            let mut m = Marks::new(c);
            let sql = format!(
                "SELECT attribute, day, value, n, items, pairs FROM rollups \
                 WHERE service_id = {} AND attribute IN ({}) AND grain = {} \
                 AND questionnaire_id = {} AND questionnaire_version = {} AND day IN ({})",
                m.take(1),
                m.take(attributes.len()),
                m.take(1),
                m.take(1),
                m.take(1),
                m.take(days.len()),
            );
            let mut q = sqlx::query(&sql).bind(service);
            for a in &attributes {
                q = q.bind(*a);
            }
            q = q.bind(grain.as_str()).bind(qid).bind(version);
            for d in days {
                q = q.bind(*d);
            }
            let mut rows = q.fetch(&mut *c);
            while let Some(row) = rows.try_next().await? {
                let attribute: String = row.try_get("attribute")?;
                let Some(attribute) = attributes.iter().find(|a| **a == attribute) else {
                    continue;
                };
                let key = SliceKey {
                    service_id: service.to_owned(),
                    questionnaire_id: qid.to_owned(),
                    questionnaire_version: version,
                    grain,
                    attribute,
                    value: row.try_get("value")?,
                    day: row.try_get("day")?,
                };
                out.push((key, SliceCounts::from_row(&row)?));
            }
        }
    }
    Ok(out)
}

/// The primary key of `rollups`.
pub(super) const KEY: &str =
    "service_id, attribute, grain, questionnaire_id, questionnaire_version, day, value";

/// Writes `rows` whole: `INSERT … ON CONFLICT (key) DO UPDATE`, which SQLite
/// and PostgreSQL both understand.
pub(super) async fn write(
    c: &mut AnyConnection,
    rows: &[(&SliceKey, &SliceCounts)],
) -> sqlx::Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let mut m = Marks::new(c);
    let values: Vec<String> = rows.iter().map(|_| format!("({})", m.take(10))).collect();
    let sql = format!(
        "INSERT INTO rollups ({KEY}, n, items, pairs) VALUES {} ON CONFLICT ({KEY}) DO UPDATE \
         SET n = excluded.n, items = excluded.items, pairs = excluded.pairs",
        values.join(", ")
    );
    let mut q = sqlx::query(&sql);
    for (k, counts) in rows {
        q = q
            .bind(k.service_id.as_str())
            .bind(k.attribute)
            .bind(k.grain.as_str())
            .bind(k.questionnaire_id.as_str())
            .bind(k.questionnaire_version)
            .bind(k.day)
            .bind(k.value.as_str())
            .bind(counts.respondents as i64)
            .bind(counts.items_text())
            .bind(counts.pairs_text());
    }
    q.execute(&mut *c).await?;
    Ok(())
}

//! What an export selects: the filter, its SQL and the item columns.

use super::catalog::questionnaire;
use super::Store;
use sqlx::Row;
use uuid::Uuid;

#[derive(Clone, Debug, Default)]
pub struct ExportFilter {
    /// Inclusive lower bound on `answered_at`, ms since the epoch.
    pub from_ms: Option<i64>,
    /// Exclusive upper bound on `answered_at`.
    pub to_ms: Option<i64>,
    /// Only this unit.
    pub unit: Option<Uuid>,
    /// Only these units (the caller's scope); `None` = all.
    pub scope: Option<Vec<Uuid>>,
}

/// A bind value for the dynamic WHERE clause.
pub enum Bind {
    Int(i64),
    Text(String),
}

impl ExportFilter {
    /// ` WHERE …` over `r` (responses) and `u` (units), with its binds in order.
    pub fn where_clause(&self) -> (String, Vec<Bind>) {
        let mut conds = Vec::new();
        let mut binds = Vec::new();
        let next = |b: Bind, binds: &mut Vec<Bind>| {
            binds.push(b);
            format!("${}", binds.len())
        };
        if let Some(f) = self.from_ms {
            conds.push(format!(
                "r.answered_at_ms >= {}",
                next(Bind::Int(f), &mut binds)
            ));
        }
        if let Some(t) = self.to_ms {
            conds.push(format!(
                "r.answered_at_ms < {}",
                next(Bind::Int(t), &mut binds)
            ));
        }
        if let Some(u) = self.unit {
            conds.push(format!(
                "u.id = {}",
                next(Bind::Text(u.to_string()), &mut binds)
            ));
        }
        if let Some(scope) = &self.scope {
            if scope.is_empty() {
                conds.push("1 = 0".into());
            } else {
                let list: Vec<String> = scope
                    .iter()
                    .map(|u| next(Bind::Text(u.to_string()), &mut binds))
                    .collect();
                conds.push(format!("u.id IN ({})", list.join(", ")));
            }
        }
        let clause = if conds.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", conds.join(" AND "))
        };
        (clause, binds)
    }

    pub fn rows_sql(&self) -> (String, Vec<Bind>) {
        let (w, binds) = self.where_clause();
        (
            format!(
                "SELECT r.id, a.code AS agency_code, u.code AS unit_code, s.code AS service_code, \
                 r.questionnaire_id, r.questionnaire_version, r.answered_at_ms, r.received_at_ms, \
                 r.channel, r.comment, r.content \
                 FROM responses r JOIN services s ON s.id = r.service_id \
                 JOIN units u ON u.id = s.unit_id JOIN agencies a ON a.id = u.agency_id{w} \
                 ORDER BY r.received_at_ms, r.id"
            ),
            binds,
        )
    }
}

pub fn bind_all<'q>(
    mut q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    binds: Vec<Bind>,
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>> {
    for b in binds {
        q = match b {
            Bind::Int(i) => q.bind(i),
            Bind::Text(s) => q.bind(s),
        };
    }
    q
}

impl Store {
    /// The item codes that become columns: those of every questionnaire
    /// version the selected responses answered, in questionnaire order,
    /// each code once.
    pub async fn export_item_codes(&self, filter: &ExportFilter) -> sqlx::Result<Vec<String>> {
        let (w, binds) = filter.where_clause();
        let sql = format!(
            "SELECT DISTINCT r.questionnaire_id, r.questionnaire_version \
             FROM responses r JOIN services s ON s.id = r.service_id JOIN units u ON u.id = s.unit_id{w} \
             ORDER BY r.questionnaire_id, r.questionnaire_version"
        );
        let mut c = self.pool().acquire().await?;
        let versions = bind_all(sqlx::query(&sql), binds)
            .fetch_all(&mut *c)
            .await?;
        let mut codes: Vec<String> = Vec::new();
        for v in versions {
            let id: String = v.try_get("questionnaire_id")?;
            let version: i64 = v.try_get("questionnaire_version")?;
            if let Some(q) = questionnaire(&mut c, &id, version).await? {
                for item in q.items {
                    let code = item.code.to_string();
                    if !codes.contains(&code) {
                        codes.push(code);
                    }
                }
            }
        }
        Ok(codes)
    }
}

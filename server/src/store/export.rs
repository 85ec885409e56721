//! What an export selects: the filter, its SQL and the item columns.

use super::catalogue::questionnaire;
use super::Store;
use app::domain::Questionnaire;
use sqlx::Row;
use uuid::Uuid;

#[derive(Clone, Debug, Default)]
pub struct ExportFilter {
    /// Inclusive lower bound on `answered_at`, ms since the epoch.
    pub from_ms: Option<i64>,
    /// Exclusive upper bound on `answered_at`.
    pub to_ms: Option<i64>,
    /// Only this agency.
    pub agency: Option<Uuid>,
    /// Only this unit.
    pub unit: Option<Uuid>,
    /// Only this service.
    pub service: Option<Uuid>,
    /// Only responses to this questionnaire (any version).
    pub questionnaire: Option<String>,
    /// Only responses accepted up to this sequence number: an export is the
    /// chain as it stood when it began, whatever arrives meanwhile.
    pub up_to_seq: Option<i64>,
    /// Only these units (the caller's scope); `None` = all.
    pub scope: Option<Vec<Uuid>>,
}

/// A bind value for the dynamic WHERE clause.
pub enum Bind {
    Int(i64),
    Text(String),
}

impl ExportFilter {
    /// Whether nothing but the sequence bound narrows it: every response.
    pub fn is_complete(&self) -> bool {
        self.from_ms.is_none()
            && self.to_ms.is_none()
            && self.agency.is_none()
            && self.unit.is_none()
            && self.service.is_none()
            && self.questionnaire.is_none()
            && self.scope.is_none()
    }

    /// ` WHERE …` over `r` (responses), `s` (services) and `u` (units), with
    /// its binds in order.
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
        if let Some(a) = self.agency {
            conds.push(format!(
                "u.agency_id = {}",
                next(Bind::Text(a.to_string()), &mut binds)
            ));
        }
        if let Some(u) = self.unit {
            conds.push(format!(
                "u.id = {}",
                next(Bind::Text(u.to_string()), &mut binds)
            ));
        }
        if let Some(sv) = self.service {
            conds.push(format!(
                "s.id = {}",
                next(Bind::Text(sv.to_string()), &mut binds)
            ));
        }
        if let Some(q) = &self.questionnaire {
            conds.push(format!(
                "r.questionnaire_id = {}",
                next(Bind::Text(q.clone()), &mut binds)
            ));
        }
        if let Some(seq) = self.up_to_seq {
            conds.push(format!("r.seq <= {}", next(Bind::Int(seq), &mut binds)));
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

    /// The rows' query on `engine`, with each response's standing flags
    /// (`burst,same-device`) as the last column.
    pub fn rows_sql(&self, engine: super::Engine) -> (String, Vec<Bind>) {
        let (w, binds) = self.where_clause();
        let list = match engine {
            super::Engine::Sqlite => "group_concat(f.reason, ',')",
            super::Engine::Postgres => "string_agg(f.reason, ',' ORDER BY f.reason)",
        };
        (
            format!(
                "SELECT r.seq, r.id, a.code AS agency_code, u.code AS unit_code, \
                 s.code AS service_code, r.answered_at_ms, r.received_at_ms, r.content, \
                 r.content_hash, r.chain_hash, \
                 (SELECT {list} FROM response_flags f \
                  WHERE f.response_seq = r.seq AND f.cleared_at_ms IS NULL) AS flags \
                 FROM responses r JOIN services s ON s.id = r.service_id \
                 JOIN units u ON u.id = s.unit_id JOIN agencies a ON a.id = u.agency_id{w} \
                 ORDER BY r.seq"
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

/// How many rows an export holds and where they sit in the chain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportExtent {
    pub rows: u64,
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    /// The chain hash before the first row ([`crate::chain::GENESIS`] when
    /// it is the first response) and after the last.
    pub chain_before: String,
    pub chain_after: String,
}

impl Store {
    /// The sequence number of the latest accepted response (0 before any).
    pub async fn chain_head_seq(&self) -> sqlx::Result<i64> {
        sqlx::query("SELECT seq FROM chain_head WHERE id = 1")
            .fetch_one(self.pool())
            .await?
            .try_get("seq")
    }

    /// The chain hash after response `seq` (the genesis value for 0).
    pub async fn chain_at(&self, seq: i64) -> sqlx::Result<Option<String>> {
        if seq <= 0 {
            return Ok(Some(crate::chain::GENESIS.to_owned()));
        }
        sqlx::query_scalar("SELECT chain_hash FROM responses WHERE seq = $1")
            .bind(seq)
            .fetch_optional(self.pool())
            .await
    }

    /// Row count, first and last sequence number and the chain hashes around
    /// them, for what `filter` selects (give it an `up_to_seq`, so that the
    /// rows streamed next are these).
    pub async fn export_extent(&self, filter: &ExportFilter) -> sqlx::Result<ExportExtent> {
        let (w, binds) = filter.where_clause();
        let sql = format!(
            "SELECT COUNT(*) AS n, MIN(r.seq) AS first, MAX(r.seq) AS last \
             FROM responses r JOIN services s ON s.id = r.service_id JOIN units u ON u.id = s.unit_id{w}"
        );
        let row = bind_all(sqlx::query(&sql), binds)
            .fetch_one(self.pool())
            .await?;
        let rows: i64 = row.try_get("n")?;
        let first_seq: Option<i64> = row.try_get("first")?;
        let last_seq: Option<i64> = row.try_get("last")?;
        let before = first_seq.map_or(filter.up_to_seq.unwrap_or(0), |f| f - 1);
        let after = last_seq.unwrap_or(before);
        Ok(ExportExtent {
            rows: rows as u64,
            first_seq,
            last_seq,
            chain_before: self.chain_at(before).await?.unwrap_or_default(),
            chain_after: self.chain_at(after).await?.unwrap_or_default(),
        })
    }

    /// Every questionnaire version the selected responses answered, in
    /// (id, version) order.
    pub async fn export_questionnaires(
        &self,
        filter: &ExportFilter,
    ) -> sqlx::Result<Vec<Questionnaire>> {
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
        let mut out = Vec::new();
        for v in versions {
            let id: String = v.try_get("questionnaire_id")?;
            let version: i64 = v.try_get("questionnaire_version")?;
            if let Some(q) = questionnaire(&mut c, &id, version).await? {
                out.push(q);
            }
        }
        Ok(out)
    }
}

/// The item codes that become columns: those of every questionnaire version,
/// in questionnaire order, each code once.
pub fn item_columns(questionnaires: &[Questionnaire]) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for q in questionnaires {
        for item in &q.items {
            let code = item.code.to_string();
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
    }
    codes
}

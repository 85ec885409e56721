//! What the integrity monitor remembers between arrivals, and the flags it
//! gives (`app::domain::integrity` decides; this only reads and writes).
//!
//! Inside the ingest transaction, after the chain head is locked: the
//! entries a group of syncs needs are read in a few queries, judged and
//! counted in memory, and written back whole.

use super::{Marks, Store};
use app::domain::integrity::{FlagReason, Keys, Ledger};
use sqlx::AnyConnection;
use sqlx::Row;
use uuid::Uuid;

/// Keys per statement (three parameters each at most).
const CHUNK: usize = 300;

fn uuid(row: &sqlx::any::AnyRow, col: &str) -> sqlx::Result<Uuid> {
    let s: String = row.try_get(col)?;
    s.parse().map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// `(a = $1 AND b = $2) OR (…)` for `keys` keys (`?` on SQLite).
fn any_of(m: &mut Marks, columns: &[&str], keys: usize) -> String {
    (0..keys)
        .map(|_| {
            let terms: Vec<String> = columns
                .iter()
                .map(|c| format!("{c} = {}", m.take(1)))
                .collect();
            format!("({})", terms.join(" AND "))
        })
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// The ledger's entries for `keys` (those never counted are absent).
pub async fn load(c: &mut AnyConnection, keys: &Keys) -> sqlx::Result<Ledger> {
    let mut ledger = Ledger::default();
    for chunk in keys.devices.chunks(CHUNK) {
        let sql = format!(
            "SELECT service_id, device_id, day, n FROM integrity_devices WHERE {}",
            any_of(
                &mut Marks::new(c),
                &["service_id", "device_id", "day"],
                chunk.len()
            )
        );
        let mut q = sqlx::query(&sql);
        for (service, device, day) in chunk {
            q = q
                .bind(service.to_string())
                .bind(device.to_string())
                .bind(*day);
        }
        for row in q.fetch_all(&mut *c).await? {
            let n: i64 = row.try_get("n")?;
            ledger.devices.insert(
                (
                    uuid(&row, "service_id")?,
                    uuid(&row, "device_id")?,
                    row.try_get("day")?,
                ),
                n as u32,
            );
        }
    }
    for chunk in keys.hours.chunks(CHUNK) {
        let sql = format!(
            "SELECT unit_id, hour, n FROM integrity_hours WHERE {}",
            any_of(&mut Marks::new(c), &["unit_id", "hour"], chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for (unit, hour) in chunk {
            q = q.bind(unit.to_string()).bind(*hour);
        }
        for row in q.fetch_all(&mut *c).await? {
            let n: i64 = row.try_get("n")?;
            ledger
                .hours
                .insert((uuid(&row, "unit_id")?, row.try_get("hour")?), n as u32);
        }
    }
    for chunk in keys.runs.chunks(CHUNK) {
        let sql = format!(
            "SELECT service_id, vector, run FROM integrity_runs WHERE {}",
            any_of(&mut Marks::new(c), &["service_id"], chunk.len())
        );
        let mut q = sqlx::query(&sql);
        for service in chunk {
            q = q.bind(service.to_string());
        }
        for row in q.fetch_all(&mut *c).await? {
            let run: i64 = row.try_get("run")?;
            ledger.runs.insert(
                uuid(&row, "service_id")?,
                (row.try_get("vector")?, run as u32),
            );
        }
    }
    Ok(ledger)
}

/// Writes back the entries of `keys` as `ledger` holds them now.
pub async fn save(c: &mut AnyConnection, keys: &Keys, ledger: &Ledger) -> sqlx::Result<()> {
    let devices: Vec<_> = keys
        .devices
        .iter()
        .filter_map(|k| ledger.devices.get(k).map(|n| (k, *n)))
        .collect();
    for chunk in devices.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO integrity_devices (service_id, device_id, day, n) VALUES {} \
             ON CONFLICT (service_id, device_id, day) DO UPDATE SET n = excluded.n",
            Marks::new(c).rows(chunk.len(), 4)
        );
        let mut q = sqlx::query(&sql);
        for ((service, device, day), n) in chunk {
            q = q
                .bind(service.to_string())
                .bind(device.to_string())
                .bind(*day)
                .bind(i64::from(*n));
        }
        q.execute(&mut *c).await?;
    }
    let hours: Vec<_> = keys
        .hours
        .iter()
        .filter_map(|k| ledger.hours.get(k).map(|n| (k, *n)))
        .collect();
    for chunk in hours.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO integrity_hours (unit_id, hour, n) VALUES {} \
             ON CONFLICT (unit_id, hour) DO UPDATE SET n = excluded.n",
            Marks::new(c).rows(chunk.len(), 3)
        );
        let mut q = sqlx::query(&sql);
        for ((unit, hour), n) in chunk {
            q = q.bind(unit.to_string()).bind(*hour).bind(i64::from(*n));
        }
        q.execute(&mut *c).await?;
    }
    let runs: Vec<_> = keys
        .runs
        .iter()
        .filter_map(|k| ledger.runs.get(k).map(|r| (k, r)))
        .collect();
    for chunk in runs.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO integrity_runs (service_id, vector, run) VALUES {} \
             ON CONFLICT (service_id) DO UPDATE SET vector = excluded.vector, run = excluded.run",
            Marks::new(c).rows(chunk.len(), 3)
        );
        let mut q = sqlx::query(&sql);
        for (service, (vector, run)) in chunk {
            q = q
                .bind(service.to_string())
                .bind(vector.clone())
                .bind(i64::from(*run));
        }
        q.execute(&mut *c).await?;
    }
    Ok(())
}

pub use app::model::integrity::FlaggedResponse;

/// How a clearing went.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cleared {
    /// These flags were cleared.
    Flags(Vec<FlagReason>),
    /// The response has no flag that stands.
    NothingToClear,
    NoSuchResponse,
}

impl Store {
    /// Responses with standing flags among `services` (`None`: all)
    /// answered in `[from_ms, to_ms)`, in chain order, at most `limit`.
    pub async fn flagged_responses(
        &self,
        services: Option<&[Uuid]>,
        from_ms: Option<i64>,
        to_ms: Option<i64>,
        limit: i64,
    ) -> sqlx::Result<Vec<FlaggedResponse>> {
        let mut sql = String::from(
            "SELECT r.id, u.code AS unit_code, u.time_zone, s.code AS service_code, \
             r.answered_at_ms, r.channel, r.device_id, r.seq, f.reason \
             FROM response_flags f JOIN responses r ON r.seq = f.response_seq \
             JOIN services s ON s.id = r.service_id JOIN units u ON u.id = s.unit_id \
             WHERE f.cleared_at_ms IS NULL",
        );
        let mut n = 0;
        let mut next = || {
            n += 1;
            format!("${n}")
        };
        if let Some(list) = services {
            if list.is_empty() {
                return Ok(Vec::new());
            }
            let marks: Vec<String> = list.iter().map(|_| next()).collect();
            sql.push_str(&format!(" AND r.service_id IN ({})", marks.join(", ")));
        }
        if from_ms.is_some() {
            sql.push_str(&format!(" AND r.answered_at_ms >= {}", next()));
        }
        if to_ms.is_some() {
            sql.push_str(&format!(" AND r.answered_at_ms < {}", next()));
        }
        sql.push_str(" ORDER BY r.seq, f.reason");
        let mut q = sqlx::query(&sql);
        for s in services.unwrap_or_default() {
            q = q.bind(s.to_string());
        }
        for bound in [from_ms, to_ms].into_iter().flatten() {
            q = q.bind(bound);
        }
        let mut out: Vec<FlaggedResponse> = Vec::new();
        for row in q.fetch_all(self.pool()).await? {
            let id: String = row.try_get("id")?;
            let reason: String = row.try_get("reason")?;
            let Some(reason) = FlagReason::parse(&reason) else {
                continue;
            };
            if let Some(last) = out.last_mut().filter(|l| l.id == id) {
                last.reasons.push(reason);
                continue;
            }
            if out.len() as i64 == limit {
                break;
            }
            out.push(FlaggedResponse {
                id,
                unit_code: row.try_get("unit_code")?,
                time_zone: row.try_get("time_zone")?,
                service_code: row.try_get("service_code")?,
                answered_at: app::domain::response::rfc3339_millis(super::ms_to_datetime(
                    row.try_get("answered_at_ms")?,
                )),
                channel: row.try_get("channel")?,
                device_id: row.try_get("device_id")?,
                seq: row.try_get("seq")?,
                reasons: vec![reason],
            });
        }
        for r in &mut out {
            r.reasons.sort();
        }
        Ok(out)
    }

    /// Clears every standing flag of `response`, as `actor` decided for
    /// `why`: in one write transaction (after the chain head, as ingest),
    /// the flags are marked cleared, the response counts again in figures
    /// that leave flagged responses out, and the audit log says who, when
    /// and why. The flags themselves are kept.
    pub async fn clear_flags(
        &self,
        response: Uuid,
        actor: &str,
        why: &str,
    ) -> sqlx::Result<Cleared> {
        let mut tx = self.begin_write().await?;
        super::chain_head::lock_chain_head(&mut tx, self.engine()).await?;
        let id = response.to_string();
        let Some(seq) = sqlx::query("SELECT seq FROM responses WHERE id = $1")
            .bind(&id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get::<i64, _>("seq"))
            .transpose()?
        else {
            return Ok(Cleared::NoSuchResponse);
        };
        let scored = super::scores::scored_response(&mut tx, &id).await?;
        let standing: Vec<FlagReason> = sqlx::query(
            "SELECT reason FROM response_flags WHERE response_seq = $1 AND cleared_at_ms IS NULL \
             ORDER BY reason",
        )
        .bind(seq)
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .filter_map(|r| FlagReason::parse(&r.try_get::<String, _>("reason").ok()?))
        .collect();
        let mut standing = standing;
        standing.sort();
        if standing.is_empty() {
            return Ok(Cleared::NothingToClear);
        }
        let now = super::now_ms();
        sqlx::query(
            "UPDATE response_flags SET cleared_at_ms = $1, cleared_by = $2, cleared_reason = $3 \
             WHERE response_seq = $4 AND cleared_at_ms IS NULL",
        )
        .bind(now)
        .bind(actor.to_owned())
        .bind(why.to_owned())
        .bind(seq)
        .execute(&mut *tx)
        .await?;
        if let Some(r) = scored {
            let mut delta = super::rollups::RollupDelta::default();
            delta.add_stored(&r, &standing);
            delta.flagged_part().remove(&mut tx).await?;
        }
        let reasons: Vec<&str> = standing.iter().map(|r| r.as_str()).collect();
        super::audit::audit(
            &mut tx,
            actor,
            "clear-flags",
            &format!("response {id}"),
            Some(serde_json::json!({ "flags": reasons })),
            Some(serde_json::json!({ "flags": [], "reason": why })),
        )
        .await?;
        tx.commit().await?;
        Ok(Cleared::Flags(standing))
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn key_lists_number_their_parameters_in_order() {
        assert_eq!(
            super::any_of(&mut crate::store::Marks::numbered(), &["a", "b"], 2),
            "(a = $1 AND b = $2) OR (a = $3 AND b = $4)"
        );
    }
}

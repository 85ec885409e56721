//! What the integrity monitor remembers between arrivals, and the flags it
//! gives (`app::domain::integrity` decides; this only reads and writes).
//!
//! Inside the ingest transaction, after the chain head is locked: the
//! entries a group of syncs needs are read in a few queries, judged and
//! counted in memory, and written back whole.

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

/// `(a = $1 AND b = $2) OR (…)`, numbered from `$1`.
fn any_of(columns: &[&str], keys: usize) -> String {
    (0..keys)
        .map(|k| {
            let terms: Vec<String> = columns
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ${}", k * columns.len() + i + 1))
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
            any_of(&["service_id", "device_id", "day"], chunk.len())
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
            any_of(&["unit_id", "hour"], chunk.len())
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
            any_of(&["service_id"], chunk.len())
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
    let values = |n: usize, width: usize| -> String {
        (0..n)
            .map(|k| {
                let p: Vec<String> = (1..=width).map(|i| format!("${}", k * width + i)).collect();
                format!("({})", p.join(", "))
            })
            .collect::<Vec<_>>()
            .join(", ")
    };
    let devices: Vec<_> = keys
        .devices
        .iter()
        .filter_map(|k| ledger.devices.get(k).map(|n| (k, *n)))
        .collect();
    for chunk in devices.chunks(CHUNK) {
        let sql = format!(
            "INSERT INTO integrity_devices (service_id, device_id, day, n) VALUES {} \
             ON CONFLICT (service_id, device_id, day) DO UPDATE SET n = excluded.n",
            values(chunk.len(), 4)
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
            values(chunk.len(), 3)
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
            values(chunk.len(), 3)
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

/// Records the flags an accepted response was given.
pub async fn flag(
    c: &mut AnyConnection,
    response: Uuid,
    flags: &[FlagReason],
    at_ms: i64,
) -> sqlx::Result<()> {
    for reason in flags {
        sqlx::query(
            "INSERT INTO response_flags (response_id, reason, flagged_at_ms) VALUES ($1, $2, $3)",
        )
        .bind(response.to_string())
        .bind(reason.as_str())
        .bind(at_ms)
        .execute(&mut *c)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn key_lists_number_their_parameters_in_order() {
        assert_eq!(
            super::any_of(&["a", "b"], 2),
            "(a = $1 AND b = $2) OR (a = $3 AND b = $4)"
        );
    }
}

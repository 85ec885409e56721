//! What the server forgets on a schedule, so that tables anyone can make
//! grow stay small: the integrity monitor's memory of days and hours it no
//! longer judges, sessions past their end, and sign-in failures past their
//! window. Run by every replica (`lib.rs`); each pass is idempotent.

use super::{now_ms, Store};
use app::domain::integrity::day_and_hour;
use time::OffsetDateTime;

/// How many rows one pass forgot, per table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Forgotten {
    pub device_days: u64,
    pub unit_hours: u64,
    pub sessions: u64,
    pub sign_in_failures: u64,
}

impl Forgotten {
    pub fn total(&self) -> u64 {
        self.device_days + self.unit_hours + self.sessions + self.sign_in_failures
    }
}

/// Hours of receipt the burst rule still counts (the current one, and a day
/// back for clocks that disagree).
const HOURS_KEPT: i64 = 24;

impl Store {
    /// Forgets what no rule reads any more, as of `now`.
    #[tracing::instrument(name = "store.forget_the_past", skip_all)]
    pub async fn forget_the_past(&self, now: OffsetDateTime) -> sqlx::Result<Forgotten> {
        let (today, hour) = day_and_hour(now);
        // A device's day older than the back-dating limit is flagged as
        // back-dated whatever its count, so its count is never read again.
        let oldest_day = today - self.integrity.backdated_days - 1;
        let run = |sql: &'static str, bound: i64| async move {
            sqlx::query(sql)
                .bind(bound)
                .execute(self.pool())
                .await
                .map(|r| r.rows_affected())
        };
        Ok(Forgotten {
            device_days: run("DELETE FROM integrity_devices WHERE day < $1", oldest_day).await?,
            unit_hours: run(
                "DELETE FROM integrity_hours WHERE hour < $1",
                hour - HOURS_KEPT,
            )
            .await?,
            sessions: run("DELETE FROM sessions WHERE expires_at_ms < $1", now_ms()).await?,
            sign_in_failures: self.prune_sign_in_throttle().await?,
        })
    }
}

//! Alerts, as they come: when a unit's latest complete month shows an
//! element that fell by more than its uncertainty or a grade that changed
//! (each only with enough responses in both months; see
//! `app::domain::scoring::change`), its heads are told at once (or in their
//! daily digest, as they chose) — once per unit and month, however many
//! replicas run the clock and however often it runs. The weekly digest
//! repeats them among the week's figures.

use crate::overview::{every_unit, OverviewError};
use crate::store::{datetime_to_ms, Store};
use app::model::overview::MonthAlerts;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;

/// What an alert says, frozen when written.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AlertNotice {
    pub unit_code: String,
    pub unit_name: String,
    pub alerts: MonthAlerts,
}

/// Writes the alert of every unit with heads whose latest complete month
/// has one not written yet; how many units' alerts were new.
#[tracing::instrument(name = "notifications.alerts", skip_all)]
pub async fn queue(store: &Store, now: OffsetDateTime) -> Result<usize, OverviewError> {
    let units = store.weekly_digest_units(&[]).await?;
    if units.is_empty() {
        return Ok(0);
    }
    let rows = every_unit(store, &store.all_services().await?, now).await?;
    let at_ms = datetime_to_ms(now);
    let mut written = 0;
    for (id, _, _, _) in units {
        let Some((_, row)) = rows.iter().find(|(unit, _)| *unit == id) else {
            continue; // a unit with no services yet
        };
        let Some((month, _)) = &row.alerts.period else {
            continue;
        };
        let notice = AlertNotice {
            unit_code: row.unit.code.clone(),
            unit_name: row.unit.name.clone(),
            alerts: row.alerts.clone(),
        };
        let payload = serde_json::to_string(&notice).unwrap_or_default();
        if store.write_alert(id, month, &payload, at_ms).await? > 0 {
            written += 1;
        }
    }
    Ok(written)
}

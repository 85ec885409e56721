//! What units add to their SKM reports (`report_details`), and the counts a
//! report's method states that the roll-ups do not keep (respondents by
//! channel).

use super::Store;
use app::domain::integrity::Flagged;
use app::domain::report::ReportDetails;
use sqlx::Row;
use uuid::Uuid;

impl Store {
    /// What unit `unit` set for its report on `period`; empty when nothing.
    pub async fn report_details(&self, unit: Uuid, period: &str) -> sqlx::Result<ReportDetails> {
        let row = sqlx::query(
            "SELECT fkp_date, signatory_name, signatory_position, signatory_nip, sampling \
             FROM report_details WHERE unit_id = $1 AND period = $2",
        )
        .bind(unit.to_string())
        .bind(period)
        .fetch_optional(self.pool())
        .await?;
        let Some(r) = row else {
            return Ok(ReportDetails::default());
        };
        Ok(ReportDetails {
            fkp_date: r.try_get("fkp_date")?,
            signatory_name: r.try_get("signatory_name")?,
            signatory_position: r.try_get("signatory_position")?,
            signatory_nip: r.try_get("signatory_nip")?,
            sampling: r.try_get("sampling")?,
        })
    }

    /// Keeps `details` (checked already) for `unit`'s report on `period`,
    /// with the audit entry of the change, in one transaction.
    pub async fn save_report_details(
        &self,
        unit: Uuid,
        period: &str,
        details: &ReportDetails,
        actor: &str,
        at_ms: i64,
    ) -> sqlx::Result<()> {
        let before = self.report_details(unit, period).await?;
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO report_details (unit_id, period, fkp_date, signatory_name, \
             signatory_position, signatory_nip, sampling, updated_at_ms, updated_by) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
             ON CONFLICT (unit_id, period) DO UPDATE SET fkp_date = excluded.fkp_date, \
             signatory_name = excluded.signatory_name, \
             signatory_position = excluded.signatory_position, \
             signatory_nip = excluded.signatory_nip, sampling = excluded.sampling, \
             updated_at_ms = excluded.updated_at_ms, updated_by = excluded.updated_by",
        )
        .bind(unit.to_string())
        .bind(period)
        .bind(&details.fkp_date)
        .bind(&details.signatory_name)
        .bind(&details.signatory_position)
        .bind(&details.signatory_nip)
        .bind(&details.sampling)
        .bind(at_ms)
        .bind(actor)
        .execute(&mut *tx)
        .await?;
        super::audit::audit(
            &mut tx,
            actor,
            "report-details",
            &format!("report:{unit}:{period}"),
            Some(serde_json::to_value(&before).unwrap_or_default()),
            Some(serde_json::to_value(details).unwrap_or_default()),
        )
        .await?;
        tx.commit().await
    }

    /// Respondents of `services` to `questionnaire` who answered in
    /// `[from_ms, to_ms)` and scored something, by channel (those the
    /// integrity monitor flagged left out unless `flagged` includes them;
    /// with `up_to_seq`, only responses up to that link of the chain): the
    /// respondents the figures count, as the report's method states.
    pub async fn respondents_by_channel(
        &self,
        services: &[Uuid],
        questionnaire: &str,
        (from_ms, to_ms): (i64, i64),
        up_to_seq: Option<i64>,
        flagged: Flagged,
    ) -> sqlx::Result<Vec<(String, u64)>> {
        let sql = format!(
            "SELECT r.channel, COUNT(*) AS n FROM responses r \
             WHERE r.service_id = $1 AND r.answered_at_ms >= $2 AND r.answered_at_ms < $3 \
             AND r.questionnaire_id = $4 AND r.seq <= $5 \
             AND EXISTS (SELECT 1 FROM response_scores s WHERE s.response_seq = r.seq) {} \
             GROUP BY r.channel",
            match flagged {
                Flagged::Include => "",
                Flagged::Exclude => {
                    "AND NOT EXISTS (SELECT 1 FROM response_flags f \
                     WHERE f.response_seq = r.seq AND f.cleared_at_ms IS NULL)"
                }
            },
        );
        let mut counts: std::collections::BTreeMap<String, u64> = Default::default();
        let mut c = self.pool().acquire().await?;
        for service in services {
            let rows = sqlx::query(&sql)
                .bind(service.to_string())
                .bind(from_ms)
                .bind(to_ms)
                .bind(questionnaire)
                .bind(up_to_seq.unwrap_or(i64::MAX))
                .fetch_all(&mut *c)
                .await?;
            for r in rows {
                let n: i64 = r.try_get("n")?;
                *counts.entry(r.try_get("channel")?).or_default() += n.max(0) as u64;
            }
        }
        Ok(counts.into_iter().collect())
    }
}

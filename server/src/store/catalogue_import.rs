//! The catalogue as an import compares it (agencies, units, services by
//! code, with their English names), and an import applied: every change and
//! one audit entry in one write transaction, or nothing.

use super::audit::audit;
use super::{now_ms, Store};
use app::domain::catalogue::import::{Agency, Change, Entries, Plan, Service, Unit};
use sqlx::{AnyConnection, Row};
use std::collections::BTreeSet;
use uuid::Uuid;

async fn entries(c: &mut AnyConnection) -> sqlx::Result<Entries> {
    let mut e = Entries::default();
    let agencies = sqlx::query_as::<_, (String, String, Option<String>)>(
        "SELECT code, name, name_en FROM agencies",
    );
    for (code, name, name_en) in agencies.fetch_all(&mut *c).await? {
        let a = Agency {
            code,
            name,
            name_en,
        };
        e.agencies.insert(a.code.clone(), a);
    }
    type UnitRow = (
        String,
        String,
        String,
        Option<String>,
        Option<i64>,
        String,
        Option<String>,
    );
    let units = sqlx::query_as::<_, UnitRow>(
        "SELECT u.code, a.code, u.name, u.name_en, u.yearly_volume, u.time_zone, u.opening_hours \
         FROM units u JOIN agencies a ON a.id = u.agency_id",
    );
    for (code, agency, name, name_en, yearly_volume, zone, hours) in
        units.fetch_all(&mut *c).await?
    {
        let u = Unit {
            code,
            agency,
            name,
            name_en,
            yearly_volume,
            time_zone: Some(app::domain::zone::Zone::parse(&zone).unwrap_or_default()),
            opening_hours: hours
                .as_deref()
                .and_then(app::domain::zone::OpeningHours::parse),
        };
        e.units.insert(u.code.clone(), u);
    }
    let services = sqlx::query_as::<_, (String, String, String, Option<String>, String)>(
        "SELECT s.code, u.code, s.name, s.name_en, s.questionnaire_id \
         FROM services s JOIN units u ON u.id = s.unit_id",
    );
    for (code, unit, name, name_en, questionnaire) in services.fetch_all(&mut *c).await? {
        let s = Service {
            code,
            unit,
            name,
            name_en,
            questionnaire,
        };
        e.services.insert(s.code.clone(), s);
    }
    Ok(e)
}

async fn questionnaire_ids(c: &mut AnyConnection) -> sqlx::Result<BTreeSet<String>> {
    sqlx::query("SELECT DISTINCT id FROM questionnaires")
        .fetch_all(&mut *c)
        .await?
        .iter()
        .map(|r| r.try_get("id"))
        .collect()
}

async fn apply(c: &mut AnyConnection, change: &Change) -> sqlx::Result<()> {
    let q = match change {
        Change::AddAgency(a) => {
            sqlx::query("INSERT INTO agencies (id, code, name, name_en) VALUES ($1, $2, $3, $4)")
                .bind(Uuid::new_v4().to_string())
                .bind(a.code.clone())
                .bind(a.name.clone())
                .bind(a.name_en.clone())
        }
        Change::ChangeAgency { after: a, .. } => {
            sqlx::query("UPDATE agencies SET name = $1, name_en = $2 WHERE code = $3")
                .bind(a.name.clone())
                .bind(a.name_en.clone())
                .bind(a.code.clone())
        }
        Change::AddUnit(u) => sqlx::query(
            "INSERT INTO units (id, agency_id, code, name, name_en, yearly_volume, time_zone, \
             opening_hours) VALUES ($1, (SELECT id FROM agencies WHERE code = $2), $3, $4, $5, $6, $7, $8)",
        )
        .bind(Uuid::new_v4().to_string())
        .bind(u.agency.clone())
        .bind(u.code.clone())
        .bind(u.name.clone())
        .bind(u.name_en.clone())
        .bind(u.yearly_volume)
        .bind(u.time_zone.unwrap_or_default().iana())
        .bind(u.opening_hours.map(|h| h.to_string())),
        Change::ChangeUnit { after: u, .. } => sqlx::query(
            "UPDATE units SET agency_id = (SELECT id FROM agencies WHERE code = $1), \
             name = $2, name_en = $3, yearly_volume = $4, time_zone = $5, opening_hours = $6 \
             WHERE code = $7",
        )
        .bind(u.agency.clone())
        .bind(u.name.clone())
        .bind(u.name_en.clone())
        .bind(u.yearly_volume)
        .bind(u.time_zone.unwrap_or_default().iana())
        .bind(u.opening_hours.map(|h| h.to_string()))
        .bind(u.code.clone()),
        // A new service answers the latest version of its questionnaire.
        Change::AddService(s) => sqlx::query(
            "INSERT INTO services (id, unit_id, code, name, name_en, questionnaire_id, questionnaire_version) \
             VALUES ($1, (SELECT id FROM units WHERE code = $2), $3, $4, $5, $6, \
             (SELECT MAX(version) FROM questionnaires WHERE id = $7))",
        )
        .bind(Uuid::new_v4().to_string())
        .bind(s.unit.clone())
        .bind(s.code.clone())
        .bind(s.name.clone())
        .bind(s.name_en.clone())
        .bind(s.questionnaire.clone())
        .bind(s.questionnaire.clone()),
        // One moved to another questionnaire takes its latest version;
        // responses keep the version they answered.
        Change::ChangeService { after: s, .. } => sqlx::query(
            "UPDATE services SET unit_id = (SELECT id FROM units WHERE code = $1), \
             name = $2, name_en = $3, \
             questionnaire_version = CASE WHEN questionnaire_id = $4 THEN questionnaire_version \
             ELSE (SELECT MAX(version) FROM questionnaires WHERE id = $5) END, \
             questionnaire_id = $6 WHERE code = $7",
        )
        .bind(s.unit.clone())
        .bind(s.name.clone())
        .bind(s.name_en.clone())
        .bind(s.questionnaire.clone())
        .bind(s.questionnaire.clone())
        .bind(s.questionnaire.clone())
        .bind(s.code.clone()),
    };
    q.execute(&mut *c).await.map(|_| ())
}

impl Store {
    /// The catalogue's entries and the questionnaires services may use.
    pub async fn catalogue_entries(&self) -> sqlx::Result<(Entries, BTreeSet<String>)> {
        let mut c = self.pool().acquire().await?;
        Ok((entries(&mut c).await?, questionnaire_ids(&mut c).await?))
    }

    /// Plans an import with `make` from the catalogue as it is inside one
    /// write transaction, and when `apply_it` and the plan changes something
    /// and refuses no row, applies it with one audit entry by `actor` on the
    /// file `target`, with its counts and the file's `sha256`. Returns the
    /// plan and whether it was applied.
    pub async fn import_catalogue(
        &self,
        actor: &str,
        target: &str,
        sha256: &str,
        apply_it: bool,
        make: impl FnOnce(&Entries, &BTreeSet<String>) -> Plan,
    ) -> sqlx::Result<(Plan, bool)> {
        let mut tx = self.begin_write().await?;
        let plan = make(&entries(&mut tx).await?, &questionnaire_ids(&mut tx).await?);
        if !apply_it || !plan.refused.is_empty() || plan.unchanged() {
            tx.rollback().await?;
            return Ok((plan, false));
        }
        for change in &plan.changes {
            apply(&mut tx, change).await?;
        }
        let details = serde_json::json!({"sha256": sha256, "counts": plan.counts()});
        audit(
            &mut tx,
            actor,
            "catalog.import",
            target,
            None,
            Some(details),
        )
        .await?;
        tx.commit().await?;
        Ok((plan, true))
    }

    /// Keeps a file an administrator uploaded until it is applied; files
    /// kept longer than a day are forgotten now. Returns its id.
    pub async fn keep_catalogue_upload(
        &self,
        file_name: &str,
        content: &[u8],
        uploaded_by: &str,
    ) -> sqlx::Result<Uuid> {
        let id = Uuid::new_v4();
        let now = now_ms();
        let mut tx = self.begin_write().await?;
        sqlx::query("DELETE FROM catalogue_uploads WHERE at_ms < $1")
            .bind(now - 86_400_000)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO catalogue_uploads (id, file_name, content, uploaded_by, at_ms) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id.to_string())
        .bind(file_name.to_owned())
        .bind(content.to_vec())
        .bind(uploaded_by.to_owned())
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// An uploaded file: its name, its bytes and who uploaded it.
    pub async fn catalogue_upload(
        &self,
        id: Uuid,
    ) -> sqlx::Result<Option<(String, Vec<u8>, String)>> {
        sqlx::query("SELECT file_name, content, uploaded_by FROM catalogue_uploads WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(self.pool())
            .await?
            .map(|r| {
                Ok((
                    r.try_get("file_name")?,
                    r.try_get("content")?,
                    r.try_get("uploaded_by")?,
                ))
            })
            .transpose()
    }

    pub async fn forget_catalogue_upload(&self, id: Uuid) -> sqlx::Result<()> {
        sqlx::query("DELETE FROM catalogue_uploads WHERE id = $1")
            .bind(id.to_string())
            .execute(self.pool())
            .await
            .map(|_| ())
    }
}

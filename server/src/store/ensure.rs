//! Idempotent inserts of a catalogue (the seeds, the demo): each row is
//! added when its code is new and found when it is not.

use super::catalogue::insert_questionnaire;
use super::{uuid_col, Store};
use app::domain::Questionnaire;
use uuid::Uuid;

impl Store {
    /// Stores a questionnaire version unless it exists already.
    pub async fn ensure_questionnaire(&self, q: &Questionnaire) -> sqlx::Result<()> {
        let mut tx = self.begin_write().await?;
        insert_questionnaire(&mut tx, q).await?;
        tx.commit().await
    }

    /// Adds an agency unless its code exists; returns its id either way.
    pub async fn ensure_agency(&self, code: &str, name: &str) -> sqlx::Result<Uuid> {
        self.ensure_row("agencies", code, |id| {
            sqlx::query("INSERT INTO agencies (id, code, name) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING")
                .bind(id)
                .bind(code.to_owned())
                .bind(name.to_owned())
        })
        .await
    }

    pub async fn ensure_unit(
        &self,
        agency: Uuid,
        code: &str,
        name: &str,
        yearly_volume: Option<i64>,
    ) -> sqlx::Result<Uuid> {
        self.ensure_row("units", code, |id| {
            sqlx::query(
                "INSERT INTO units (id, agency_id, code, name, yearly_volume) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (code) DO NOTHING",
            )
            .bind(id)
            .bind(agency.to_string())
            .bind(code.to_owned())
            .bind(name.to_owned())
            .bind(yearly_volume)
        })
        .await
    }

    pub async fn ensure_service(
        &self,
        unit: Uuid,
        code: &str,
        name: &str,
        q: &Questionnaire,
    ) -> sqlx::Result<Uuid> {
        self.ensure_row("services", code, |id| {
            sqlx::query(
                "INSERT INTO services (id, unit_id, code, name, questionnaire_id, questionnaire_version) \
                 VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (code) DO NOTHING",
            )
            .bind(id)
            .bind(unit.to_string())
            .bind(code.to_owned())
            .bind(name.to_owned())
            .bind(q.id.clone())
            .bind(q.version)
        })
        .await
    }

    /// Inserts with a stable id derived from table and code (so demo data has
    /// the same ids everywhere), then reads back the id that holds the code.
    async fn ensure_row<'q>(
        &self,
        table: &str,
        code: &str,
        insert: impl FnOnce(String) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments<'q>>,
    ) -> sqlx::Result<Uuid> {
        let id = Uuid::new_v5(
            &Uuid::NAMESPACE_URL,
            format!("suara:{table}:{code}").as_bytes(),
        );
        insert(id.to_string()).execute(self.pool()).await?;
        let row = sqlx::query(&format!("SELECT id FROM {table} WHERE code = $1"))
            .bind(code)
            .fetch_one(self.pool())
            .await?;
        uuid_col(&row, "id")
    }
}

//! Catalogue changes: agencies, units, services, names and questionnaire
//! versions, each with its audit entry.

use super::{check_code, check_name, id_of, insert_new, AdminError};
use crate::store::audit::audit;
use crate::store::Store;
use app::domain::Questionnaire;
use serde_json::json;
use sqlx::Row;
use uuid::Uuid;

/// What a form field says: `None` when left empty.
fn said(v: Option<&str>) -> Option<&str> {
    v.map(str::trim).filter(|v| !v.is_empty())
}

/// A unit as the administration form describes it; optional fields may be
/// empty.
#[derive(Clone, Copy, Debug, Default)]
pub struct NewUnit<'a> {
    pub agency: &'a str,
    pub code: &'a str,
    pub name: &'a str,
    pub yearly_volume: Option<&'a str>,
    pub time_zone: Option<&'a str>,
    /// `08.00-16.00`.
    pub opening_hours: Option<&'a str>,
}

impl Store {
    pub async fn admin_add_agency(
        &self,
        actor: &str,
        code: &str,
        name: &str,
    ) -> Result<(), AdminError> {
        let (code, name) = (check_code(code)?, check_name(name)?);
        let mut tx = self.begin_write().await?;
        insert_new(
            &mut tx,
            "INSERT INTO agencies (id, code, name) VALUES ($1, $2, $3) ON CONFLICT (code) DO NOTHING",
            vec![Some(Uuid::new_v4().to_string()), Some(code.clone()), Some(name.clone())],
            &code,
        )
        .await?;
        let after = json!({"code": code, "name": name});
        audit(&mut tx, actor, "agency.add", &code, None, Some(after)).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn admin_add_unit(&self, actor: &str, u: NewUnit<'_>) -> Result<(), AdminError> {
        let (code, name) = (check_code(u.code)?, check_name(u.name)?);
        let zone = match said(u.time_zone) {
            None => app::domain::zone::Zone::default(),
            Some(z) => app::domain::zone::Zone::parse(z).ok_or(AdminError::BadTimeZone)?,
        };
        let hours = match said(u.opening_hours) {
            None => None,
            Some(h) => {
                Some(app::domain::zone::OpeningHours::parse(h).ok_or(AdminError::BadOpeningHours)?)
            }
        };
        let volume = match said(u.yearly_volume) {
            None => None,
            Some(v) => Some(
                v.parse::<i64>()
                    .ok()
                    .filter(|v| *v > 0)
                    .ok_or(AdminError::BadVolume)?,
            ),
        };
        let mut tx = self.begin_write().await?;
        let agency_id = id_of(&mut tx, "agencies", "agency", u.agency).await?;
        insert_new(
            &mut tx,
            "INSERT INTO units (id, agency_id, code, name, yearly_volume, time_zone, opening_hours) \
             VALUES ($1, $2, $3, $4, CAST($5 AS BIGINT), $6, $7) ON CONFLICT (code) DO NOTHING",
            vec![
                Some(Uuid::new_v4().to_string()),
                Some(agency_id),
                Some(code.clone()),
                Some(name.clone()),
                volume.map(|v| v.to_string()),
                Some(zone.iana().to_owned()),
                hours.map(|h| h.to_string()),
            ],
            &code,
        )
        .await?;
        let after = json!({
            "agency": u.agency, "code": code, "name": name, "yearly_volume": volume,
            "time_zone": zone.iana(), "opening_hours": hours.map(|h| h.to_string())
        });
        audit(&mut tx, actor, "unit.add", &code, None, Some(after)).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A new service on the latest version of questionnaire `questionnaire`.
    pub async fn admin_add_service(
        &self,
        actor: &str,
        unit: &str,
        code: &str,
        name: &str,
        questionnaire: &str,
    ) -> Result<(), AdminError> {
        let (code, name) = (check_code(code)?, check_name(name)?);
        let mut tx = self.begin_write().await?;
        let unit_id = id_of(&mut tx, "units", "unit", unit).await?;
        let version: Option<i64> =
            sqlx::query("SELECT MAX(version) AS v FROM questionnaires WHERE id = $1")
                .bind(questionnaire.to_owned())
                .fetch_one(&mut *tx)
                .await?
                .try_get("v")?;
        let version = version
            .ok_or_else(|| AdminError::Unknown("questionnaire", questionnaire.to_owned()))?;
        insert_new(
            &mut tx,
            "INSERT INTO services (id, unit_id, code, name, questionnaire_id, questionnaire_version) \
             VALUES ($1, $2, $3, $4, $5, CAST($6 AS BIGINT)) ON CONFLICT (code) DO NOTHING",
            vec![
                Some(Uuid::new_v4().to_string()),
                Some(unit_id),
                Some(code.clone()),
                Some(name.clone()),
                Some(questionnaire.to_owned()),
                Some(version.to_string()),
            ],
            &code,
        )
        .await?;
        let after = json!({"unit": unit, "code": code, "name": name,
                           "questionnaire": questionnaire, "questionnaire_version": version});
        audit(&mut tx, actor, "service.add", &code, None, Some(after)).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn admin_rename_service(
        &self,
        actor: &str,
        code: &str,
        name: &str,
    ) -> Result<(), AdminError> {
        let name = check_name(name)?;
        let mut tx = self.begin_write().await?;
        let before: String = sqlx::query("SELECT name FROM services WHERE code = $1")
            .bind(code.to_owned())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AdminError::Unknown("service", code.to_owned()))?
            .try_get("name")?;
        sqlx::query("UPDATE services SET name = $1 WHERE code = $2")
            .bind(name.clone())
            .bind(code.to_owned())
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            actor,
            "service.rename",
            code,
            Some(json!({"name": before})),
            Some(json!({"name": name})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A new version of questionnaire `id` from an edited definition (JSON of
    /// [`Questionnaire`]; its `id` and `version` are ignored): the services
    /// that use it move to the new version, responses keep the version they
    /// answered. Returns the new version.
    pub async fn admin_new_questionnaire_version(
        &self,
        actor: &str,
        id: &str,
        definition: &str,
    ) -> Result<i64, AdminError> {
        let mut q: Questionnaire = serde_json::from_str(definition)
            .map_err(|e| AdminError::BadQuestionnaire(e.to_string()))?;
        let mut tx = self.begin_write().await?;
        let latest: Option<i64> =
            sqlx::query("SELECT MAX(version) AS v FROM questionnaires WHERE id = $1")
                .bind(id.to_owned())
                .fetch_one(&mut *tx)
                .await?
                .try_get("v")?;
        let latest = latest.ok_or_else(|| AdminError::Unknown("questionnaire", id.to_owned()))?;
        q.id = id.to_owned();
        q.version = latest + 1;
        q.check()
            .map_err(|e| AdminError::BadQuestionnaire(e.to_string()))?;
        crate::store::catalogue::insert_questionnaire(&mut tx, &q).await?;
        let moved = sqlx::query(
            "UPDATE services SET questionnaire_version = $1 WHERE questionnaire_id = $2",
        )
        .bind(q.version)
        .bind(id.to_owned())
        .execute(&mut *tx)
        .await?
        .rows_affected();
        let codes: Vec<&str> = q.items.iter().map(|i| i.code.as_str()).collect();
        audit(
            &mut tx,
            actor,
            "questionnaire.version",
            id,
            Some(json!({"version": latest})),
            Some(json!({"version": q.version, "items": codes, "services_moved": moved})),
        )
        .await?;
        tx.commit().await?;
        Ok(q.version)
    }
}

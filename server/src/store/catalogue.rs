//! Agencies, units, services and questionnaires.

use super::{now_ms, uuid_col, Store};
use app::domain::catalogue::{AgencyEntry, Catalog, ServiceEntry, UnitEntry};
use app::domain::{AnswerOption, Item, ItemCode, Localized, Questionnaire, ScoringMethod};
use sqlx::{AnyConnection, Row};
use std::collections::BTreeMap;
use uuid::Uuid;

/// A service with the names of the unit and agency it belongs to.
#[derive(Clone, Debug)]
pub struct ServiceRow {
    pub service: ServiceEntry,
    pub unit_id: Uuid,
    pub unit_code: String,
    pub unit_name: String,
    pub agency_code: String,
    pub agency_name: String,
    /// The unit's yearly service volume, when known.
    pub unit_yearly_volume: Option<i64>,
    /// The unit's time zone: its days and the hours it is open.
    pub unit_zone: app::domain::zone::Zone,
    /// When it is open, when it said.
    pub unit_hours: Option<app::domain::zone::OpeningHours>,
}

/// (code, name) of the units of `services` within `scope` (`None`: all),
/// sorted, each once: what pickers and export scopes list.
pub fn units_in_scope(services: &[ServiceRow], scope: Option<&[Uuid]>) -> Vec<(String, String)> {
    let mut units: Vec<(String, String)> = services
        .iter()
        .filter(|s| scope.is_none_or(|u| u.contains(&s.unit_id)))
        .map(|s| (s.unit_code.clone(), s.unit_name.clone()))
        .collect();
    units.sort();
    units.dedup();
    units
}

const SERVICE_SELECT: &str = "SELECT s.id, s.code, s.name, s.questionnaire_id, s.questionnaire_version, \
     u.id AS unit_id, u.code AS unit_code, u.name AS unit_name, u.yearly_volume AS unit_yearly_volume, u.time_zone AS unit_time_zone, u.opening_hours AS unit_opening_hours, a.code AS agency_code, a.name AS agency_name \
     FROM services s JOIN units u ON u.id = s.unit_id JOIN agencies a ON a.id = u.agency_id";

fn service_row(row: &sqlx::any::AnyRow) -> sqlx::Result<ServiceRow> {
    Ok(ServiceRow {
        service: ServiceEntry {
            id: uuid_col(row, "id")?,
            code: row.try_get("code")?,
            name: row.try_get("name")?,
            questionnaire_id: row.try_get("questionnaire_id")?,
            questionnaire_version: row.try_get("questionnaire_version")?,
        },
        unit_id: uuid_col(row, "unit_id")?,
        unit_code: row.try_get("unit_code")?,
        unit_name: row.try_get("unit_name")?,
        agency_code: row.try_get("agency_code")?,
        agency_name: row.try_get("agency_name")?,
        unit_yearly_volume: row.try_get("unit_yearly_volume")?,
        unit_zone: app::domain::zone::Zone::parse(&row.try_get::<String, _>("unit_time_zone")?)
            .unwrap_or_default(),
        unit_hours: row
            .try_get::<Option<String>, _>("unit_opening_hours")?
            .as_deref()
            .and_then(app::domain::zone::OpeningHours::parse),
    })
}

pub async fn service_by_id(c: &mut AnyConnection, id: Uuid) -> sqlx::Result<Option<ServiceRow>> {
    sqlx::query(&format!("{SERVICE_SELECT} WHERE s.id = $1"))
        .bind(id.to_string())
        .fetch_optional(&mut *c)
        .await?
        .map(|r| service_row(&r))
        .transpose()
}

/// Every service, ordered for display; only those of `units` when given.
pub async fn services(
    c: &mut AnyConnection,
    units: Option<&[Uuid]>,
) -> sqlx::Result<Vec<ServiceRow>> {
    let rows = sqlx::query(&format!("{SERVICE_SELECT} ORDER BY a.name, u.name, s.name"))
        .fetch_all(&mut *c)
        .await?;
    let all = rows
        .iter()
        .map(service_row)
        .collect::<sqlx::Result<Vec<_>>>()?;
    Ok(match units {
        Some(units) => all
            .into_iter()
            .filter(|s| units.contains(&s.unit_id))
            .collect(),
        None => all,
    })
}

pub async fn questionnaire(
    c: &mut AnyConnection,
    id: &str,
    version: i64,
) -> sqlx::Result<Option<Questionnaire>> {
    let Some(head) = sqlx::query(
        "SELECT name_id, name_en, method FROM questionnaires WHERE id = $1 AND version = $2",
    )
    .bind(id)
    .bind(version)
    .fetch_optional(&mut *c)
    .await?
    else {
        return Ok(None);
    };
    let rows = sqlx::query(
        "SELECT code, label_id, label_en, question_id, question_en, options_json \
         FROM questionnaire_items WHERE questionnaire_id = $1 AND questionnaire_version = $2 \
         ORDER BY position",
    )
    .bind(id)
    .bind(version)
    .fetch_all(&mut *c)
    .await?;
    let decode = |e: String| sqlx::Error::Decode(e.into());
    let items = rows
        .iter()
        .map(|r| {
            let options: [AnswerOption; 4] =
                serde_json::from_str(&r.try_get::<String, _>("options_json")?)
                    .map_err(|e| decode(e.to_string()))?;
            Ok(Item {
                code: ItemCode::parse(&r.try_get::<String, _>("code")?).map_err(decode)?,
                label: Localized::new(
                    r.try_get::<String, _>("label_id")?,
                    r.try_get::<String, _>("label_en")?,
                ),
                question: Localized::new(
                    r.try_get::<String, _>("question_id")?,
                    r.try_get::<String, _>("question_en")?,
                ),
                options,
            })
        })
        .collect::<sqlx::Result<Vec<_>>>()?;
    let method: String = head.try_get("method")?;
    Ok(Some(Questionnaire {
        id: id.to_owned(),
        version,
        name: Localized::new(
            head.try_get::<String, _>("name_id")?,
            head.try_get::<String, _>("name_en")?,
        ),
        method: ScoringMethod::parse(&method)
            .ok_or_else(|| decode(format!("unknown scoring method {method}")))?,
        items,
    }))
}

/// Questionnaires by (id, version), loaded once per use.
#[derive(Default)]
pub struct QuestionnaireCache(BTreeMap<(String, i64), Option<Questionnaire>>);

impl QuestionnaireCache {
    pub async fn get(
        &mut self,
        c: &mut AnyConnection,
        id: &str,
        version: i64,
    ) -> sqlx::Result<Option<&Questionnaire>> {
        let key = (id.to_owned(), version);
        if !self.0.contains_key(&key) {
            let q = questionnaire(c, id, version).await?;
            self.0.insert(key.clone(), q);
        }
        Ok(self.0.get(&key).and_then(Option::as_ref))
    }
}

impl Store {
    pub async fn catalog(&self) -> sqlx::Result<Catalog> {
        let mut c = self.pool().acquire().await?;
        let rows = services(&mut c, None).await?;
        let mut agencies: Vec<AgencyEntry> = Vec::new();
        let mut cache = QuestionnaireCache::default();
        let mut questionnaires = Vec::new();
        for row in &rows {
            let s = &row.service;
            if let Some(q) = cache
                .get(&mut c, &s.questionnaire_id, s.questionnaire_version)
                .await?
            {
                if !questionnaires
                    .iter()
                    .any(|x: &Questionnaire| x.id == q.id && x.version == q.version)
                {
                    questionnaires.push(q.clone());
                }
            }
        }
        // Agency and unit ids come with the names in one more query each; the
        // rows are already ordered by agency, then unit.
        let agency_ids: BTreeMap<String, Uuid> = sqlx::query("SELECT id, code FROM agencies")
            .fetch_all(&mut *c)
            .await?
            .iter()
            .map(|r| Ok((r.try_get::<String, _>("code")?, uuid_col(r, "id")?)))
            .collect::<sqlx::Result<_>>()?;
        for row in rows {
            if agencies.last().map(|a| &a.code) != Some(&row.agency_code) {
                agencies.push(AgencyEntry {
                    id: agency_ids
                        .get(&row.agency_code)
                        .copied()
                        .unwrap_or_default(),
                    code: row.agency_code.clone(),
                    name: row.agency_name.clone(),
                    units: vec![],
                });
            }
            let agency = agencies.last_mut().expect("pushed above");
            if agency.units.last().map(|u| u.id) != Some(row.unit_id) {
                agency.units.push(UnitEntry {
                    id: row.unit_id,
                    code: row.unit_code.clone(),
                    name: row.unit_name.clone(),
                    services: vec![],
                });
            }
            agency
                .units
                .last_mut()
                .expect("pushed above")
                .services
                .push(row.service);
        }
        Ok(Catalog {
            agencies,
            questionnaires,
        })
    }

    pub async fn service_by_code(
        &self,
        code: &str,
    ) -> sqlx::Result<Option<(ServiceRow, Questionnaire)>> {
        let mut c = self.pool().acquire().await?;
        let Some(row) = sqlx::query(&format!("{SERVICE_SELECT} WHERE s.code = $1"))
            .bind(code)
            .fetch_optional(&mut *c)
            .await?
        else {
            return Ok(None);
        };
        let row = service_row(&row)?;
        let q = questionnaire(
            &mut c,
            &row.service.questionnaire_id,
            row.service.questionnaire_version,
        )
        .await?;
        Ok(q.map(|q| (row, q)))
    }

    pub async fn unit_id_by_code(&self, code: &str) -> sqlx::Result<Option<Uuid>> {
        self.id_by_code("units", code).await
    }

    pub async fn agency_id_by_code(&self, code: &str) -> sqlx::Result<Option<Uuid>> {
        self.id_by_code("agencies", code).await
    }

    /// A service's id and its unit's.
    pub async fn service_ids_by_code(&self, code: &str) -> sqlx::Result<Option<(Uuid, Uuid)>> {
        let row = sqlx::query("SELECT id, unit_id FROM services WHERE code = $1")
            .bind(code)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| Ok((uuid_col(&r, "id")?, uuid_col(&r, "unit_id")?)))
            .transpose()
    }

    async fn id_by_code(&self, table: &'static str, code: &str) -> sqlx::Result<Option<Uuid>> {
        let row = sqlx::query(&format!("SELECT id FROM {table} WHERE code = $1"))
            .bind(code)
            .fetch_optional(self.pool())
            .await?;
        row.map(|r| uuid_col(&r, "id")).transpose()
    }
}

impl Store {
    /// Each unit's yearly service volume, where it is known.
    pub async fn unit_volumes(&self) -> sqlx::Result<std::collections::HashMap<Uuid, u64>> {
        let rows =
            sqlx::query("SELECT id, yearly_volume FROM units WHERE yearly_volume IS NOT NULL")
                .fetch_all(self.pool())
                .await?;
        rows.iter()
            .map(|r| {
                let v: i64 = r.try_get("yearly_volume")?;
                Ok((uuid_col(r, "id")?, v.max(0) as u64))
            })
            .collect()
    }

    /// Every stored version of questionnaire `id`, newest first.
    pub async fn questionnaire_versions(
        &self,
        id: &str,
    ) -> sqlx::Result<Vec<app::domain::Questionnaire>> {
        let mut c = self.pool().acquire().await?;
        let versions: Vec<i64> =
            sqlx::query("SELECT version FROM questionnaires WHERE id = $1 ORDER BY version DESC")
                .bind(id)
                .fetch_all(&mut *c)
                .await?
                .iter()
                .map(|r| r.try_get("version"))
                .collect::<sqlx::Result<_>>()?;
        let mut out = Vec::with_capacity(versions.len());
        for v in versions {
            if let Some(q) = questionnaire(&mut c, id, v).await? {
                out.push(q);
            }
        }
        Ok(out)
    }

    /// Every service, with its unit and agency.
    pub async fn all_services(&self) -> sqlx::Result<Vec<ServiceRow>> {
        let mut c = self.pool().acquire().await?;
        services(&mut c, None).await
    }
}

/// Inserts questionnaire `q` (id and version) with its items inside `tx`,
/// unless that version exists; `true` when inserted.
pub async fn insert_questionnaire(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    q: &Questionnaire,
) -> sqlx::Result<bool> {
    let inserted = sqlx::query(
        "INSERT INTO questionnaires (id, version, name_id, name_en, method, created_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id, version) DO NOTHING",
    )
    .bind(&q.id)
    .bind(q.version)
    .bind(&q.name.id)
    .bind(&q.name.en)
    .bind(q.method.as_str())
    .bind(now_ms())
    .execute(&mut **tx)
    .await?
    .rows_affected();
    if inserted == 1 {
        for (position, item) in q.items.iter().enumerate() {
            sqlx::query(
                "INSERT INTO questionnaire_items (questionnaire_id, questionnaire_version, position, \
                 code, label_id, label_en, question_id, question_en, options_json) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(&q.id)
            .bind(q.version)
            .bind(position as i64)
            .bind(item.code.as_str())
            .bind(&item.label.id)
            .bind(&item.label.en)
            .bind(&item.question.id)
            .bind(&item.question.en)
            .bind(serde_json::to_string(&item.options).expect("options serialise"))
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(inserted == 1)
}

//! What administrators change: agencies, units and services, accounts and
//! their units. Every change is checked, made in one transaction together
//! with its audit-log entry (who, what, when, before and after), or not at
//! all.

use super::accounts::{AccountError, Email, NewAccount};
use super::audit::audit;
use super::Store;
use crate::auth::Role;
use app::domain::Questionnaire;
use app::model::admin_page::{AdminAccount, AdminRefusal};
use serde_json::json;
use sqlx::{Any, Row, Transaction};
use uuid::Uuid;

/// Why a change was refused; each says what to do instead.
#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("a code is 2–60 lowercase letters, digits and hyphens: \"{0}\"")]
    BadCode(String),
    #[error("a name must not be empty")]
    EmptyName,
    #[error("the code \"{0}\" is taken")]
    CodeTaken(String),
    #[error("no {0} has the code \"{1}\"")]
    Unknown(&'static str, String),
    #[error("the yearly volume must be a positive whole number")]
    BadVolume,
    #[error("you cannot disable your own account")]
    OwnAccount,
    #[error("the questionnaire definition is not valid: {0}")]
    BadQuestionnaire(String),
    #[error(transparent)]
    Account(#[from] AccountError),
    #[error(transparent)]
    Db(#[from] sqlx::Error),
}

impl AdminError {
    /// The refusal the administration page shows; `None` for a failure of
    /// the server.
    pub fn refusal(&self) -> Option<AdminRefusal> {
        Some(match self {
            Self::BadCode(_) => AdminRefusal::BadCode,
            Self::EmptyName => AdminRefusal::EmptyName,
            Self::CodeTaken(_) => AdminRefusal::CodeTaken,
            Self::Unknown(..) => AdminRefusal::Unknown,
            Self::BadVolume => AdminRefusal::BadVolume,
            Self::OwnAccount => AdminRefusal::OwnAccount,
            Self::BadQuestionnaire(_) => AdminRefusal::BadQuestionnaire,
            Self::Account(e) => match e {
                AccountError::EmailTaken(_) => AdminRefusal::EmailTaken,
                AccountError::BadEmail(_) => AdminRefusal::BadEmail,
                AccountError::WeakPassword => AdminRefusal::WeakPassword,
                AccountError::UnitHeadWithoutUnit => AdminRefusal::NoUnit,
                AccountError::UnknownUnit(_) | AccountError::NoSuchAccount(_) => {
                    AdminRefusal::Unknown
                }
                AccountError::Db(_) => return None,
            },
            Self::Db(_) => return None,
        })
    }
}

fn check_code(code: &str) -> Result<String, AdminError> {
    let c = code.trim().to_lowercase();
    let ok = (2..=60).contains(&c.len())
        && c.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !c.starts_with('-')
        && !c.ends_with('-');
    if ok {
        Ok(c)
    } else {
        Err(AdminError::BadCode(code.to_owned()))
    }
}

fn check_name(name: &str) -> Result<String, AdminError> {
    let n = name.trim();
    if n.is_empty() || n.chars().count() > 200 {
        return Err(AdminError::EmptyName);
    }
    Ok(n.to_owned())
}

/// The id of the row of `table` with `code`, inside `tx`.
async fn id_of(
    tx: &mut Transaction<'static, Any>,
    table: &'static str,
    what: &'static str,
    code: &str,
) -> Result<String, AdminError> {
    sqlx::query(&format!("SELECT id FROM {table} WHERE code = $1"))
        .bind(code.to_owned())
        .fetch_optional(&mut **tx)
        .await?
        .map(|r| r.try_get::<String, _>("id"))
        .transpose()?
        .ok_or_else(|| AdminError::Unknown(what, code.to_owned()))
}

/// Inserts a row whose code must be new: `CodeTaken` when it is not.
async fn insert_new(
    tx: &mut Transaction<'static, Any>,
    sql: &str,
    binds: Vec<Option<String>>,
    code: &str,
) -> Result<(), AdminError> {
    let mut q = sqlx::query(sql);
    for b in binds {
        q = q.bind(b);
    }
    let n = q.execute(&mut **tx).await?.rows_affected();
    if n == 0 {
        return Err(AdminError::CodeTaken(code.to_owned()));
    }
    Ok(())
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

    pub async fn admin_add_unit(
        &self,
        actor: &str,
        agency: &str,
        code: &str,
        name: &str,
        yearly_volume: Option<&str>,
    ) -> Result<(), AdminError> {
        let (code, name) = (check_code(code)?, check_name(name)?);
        let volume = match yearly_volume.map(str::trim).filter(|v| !v.is_empty()) {
            None => None,
            Some(v) => Some(
                v.parse::<i64>()
                    .ok()
                    .filter(|v| *v > 0)
                    .ok_or(AdminError::BadVolume)?,
            ),
        };
        let mut tx = self.begin_write().await?;
        let agency_id = id_of(&mut tx, "agencies", "agency", agency).await?;
        insert_new(
            &mut tx,
            "INSERT INTO units (id, agency_id, code, name, yearly_volume) VALUES ($1, $2, $3, $4, CAST($5 AS BIGINT)) \
             ON CONFLICT (code) DO NOTHING",
            vec![
                Some(Uuid::new_v4().to_string()),
                Some(agency_id),
                Some(code.clone()),
                Some(name.clone()),
                volume.map(|v| v.to_string()),
            ],
            &code,
        )
        .await?;
        let after = json!({"agency": agency, "code": code, "name": name, "yearly_volume": volume});
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

    /// A new staff account; a unit head with at least one unit.
    pub async fn admin_add_account(
        &self,
        actor: &str,
        email: &str,
        role: Role,
        password: &str,
        units: &[String],
    ) -> Result<(), AdminError> {
        let new = NewAccount::parse(email, role, password, units)?;
        self.create_account(Some(actor), new).await?;
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
        super::catalog::insert_questionnaire(&mut tx, &q).await?;
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

    /// Disables (and signs out everywhere) or enables an account.
    pub async fn admin_set_disabled(
        &self,
        actor: &str,
        email: &str,
        disabled: bool,
    ) -> Result<(), AdminError> {
        let email = Email::parse(email)?.as_str().to_owned();
        if email == actor && disabled {
            return Err(AdminError::OwnAccount);
        }
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT id, disabled FROM accounts WHERE email = $1")
            .bind(email.clone())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AdminError::Unknown("account", email.clone()))?;
        let id: String = row.try_get("id")?;
        let was: i64 = row.try_get("disabled")?;
        sqlx::query("UPDATE accounts SET disabled = $1 WHERE id = $2")
            .bind(i64::from(disabled))
            .bind(id.clone())
            .execute(&mut *tx)
            .await?;
        if disabled {
            for table in ["sessions", "api_tokens"] {
                sqlx::query(&format!("DELETE FROM {table} WHERE account_id = $1"))
                    .bind(id.clone())
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let action = if disabled {
            "account.disable"
        } else {
            "account.enable"
        };
        audit(
            &mut tx,
            actor,
            action,
            &email,
            Some(json!({"disabled": was != 0})),
            Some(json!({"disabled": disabled})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Assigns a unit head to exactly `units` (at least one).
    pub async fn admin_set_units(
        &self,
        actor: &str,
        email: &str,
        units: &[String],
    ) -> Result<(), AdminError> {
        let email = Email::parse(email)?.as_str().to_owned();
        if units.is_empty() {
            return Err(AccountError::UnitHeadWithoutUnit.into());
        }
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT id, role FROM accounts WHERE email = $1")
            .bind(email.clone())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AdminError::Unknown("account", email.clone()))?;
        let id: String = row.try_get("id")?;
        if row.try_get::<String, _>("role")? != Role::UnitHead.as_str() {
            return Err(AdminError::Unknown("unit head", email));
        }
        let before: Vec<String> = sqlx::query(
            "SELECT u.code FROM account_units au JOIN units u ON u.id = au.unit_id WHERE au.account_id = $1 ORDER BY u.code",
        )
        .bind(id.clone())
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get("code"))
        .collect::<sqlx::Result<_>>()?;
        sqlx::query("DELETE FROM account_units WHERE account_id = $1")
            .bind(id.clone())
            .execute(&mut *tx)
            .await?;
        let mut after: Vec<String> = units.to_vec();
        after.sort();
        after.dedup();
        for code in &after {
            let unit = id_of(&mut tx, "units", "unit", code).await?;
            sqlx::query("INSERT INTO account_units (account_id, unit_id) VALUES ($1, $2)")
                .bind(id.clone())
                .bind(unit)
                .execute(&mut *tx)
                .await?;
        }
        audit(
            &mut tx,
            actor,
            "account.units",
            &email,
            Some(json!({"units": before})),
            Some(json!({"units": after})),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn admin_accounts(&self) -> sqlx::Result<Vec<AdminAccount>> {
        let rows = sqlx::query("SELECT id, email, role, disabled FROM accounts ORDER BY email")
            .fetch_all(self.pool())
            .await?;
        let links = sqlx::query(
            "SELECT au.account_id, u.code FROM account_units au JOIN units u ON u.id = au.unit_id ORDER BY u.code",
        )
        .fetch_all(self.pool())
        .await?;
        rows.iter()
            .map(|r| {
                let id: String = r.try_get("id")?;
                let mut units = Vec::new();
                for l in &links {
                    if l.try_get::<String, _>("account_id")? == id {
                        units.push(l.try_get("code")?);
                    }
                }
                Ok(AdminAccount {
                    email: r.try_get("email")?,
                    role: r.try_get("role")?,
                    disabled: r.try_get::<i64, _>("disabled")? != 0,
                    units,
                })
            })
            .collect()
    }
}

//! Account changes by an administrator: create, disable and enable, the
//! units of a unit head; and the list the page shows.

use super::{id_of, AdminError};
use crate::auth::Role;
use crate::store::accounts::{AccountError, Email, NewAccount};
use crate::store::audit::audit;
use crate::store::Store;
use app::model::admin_page::AdminAccount;
use serde_json::json;
use sqlx::Row;

impl Store {
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
        let rows = sqlx::query(
            "SELECT id, email, role, disabled, password_set FROM accounts ORDER BY email",
        )
        .fetch_all(self.pool())
        .await?;
        // A unit head's units, a leadership account's agencies.
        let links = sqlx::query(
            "SELECT au.account_id, u.code FROM account_units au JOIN units u ON u.id = au.unit_id \
             UNION ALL SELECT aa.account_id, g.code FROM account_agencies aa \
             JOIN agencies g ON g.id = aa.agency_id ORDER BY code",
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
                    invited: r.try_get::<i64, _>("password_set")? == 0,
                })
            })
            .collect()
    }
}

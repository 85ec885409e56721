//! The working-day calendar: the days off besides weekends, written from
//! the built-in list the first time it is read, then kept by
//! administrators (each change audited).

use super::admin::AdminError;
use super::audit::audit;
use super::Store;
use app::domain::complaint::{Calendar, Closure, DayOff};
use app::domain::period::parse_day;
use serde_json::json;
use sqlx::Row;

fn kind_word(k: DayOff) -> &'static str {
    match k {
        DayOff::Holiday => "holiday",
        DayOff::CollectiveLeave => "collective_leave",
    }
}

impl Store {
    /// The calendar as administrators keep it (the built-in days until then).
    pub async fn calendar(&self) -> sqlx::Result<Calendar> {
        let read = || async {
            sqlx::query("SELECT day, kind, name FROM calendar_closures ORDER BY day")
                .fetch_all(self.pool())
                .await
        };
        let mut rows = read().await?;
        if rows.is_empty() {
            let mut tx = self.begin_write().await?;
            let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM calendar_closures")
                .fetch_one(&mut *tx)
                .await?
                .try_get("n")?;
            if n == 0 {
                for c in Calendar::indonesia().closures() {
                    // Another request may be filling it at the same moment
                    // (PostgreSQL lets both see it empty): the first wins.
                    sqlx::query(
                        "INSERT INTO calendar_closures (day, kind, name) VALUES ($1, $2, $3) \
                         ON CONFLICT DO NOTHING",
                    )
                    .bind(c.date.to_string())
                    .bind(kind_word(c.kind))
                    .bind(c.name.clone())
                    .execute(&mut *tx)
                    .await?;
                }
            }
            tx.commit().await?;
            rows = read().await?;
        }
        let closures = rows.iter().filter_map(|r| {
            let day: String = r.try_get("day").ok()?;
            let kind = match r.try_get::<String, _>("kind").ok()?.as_str() {
                "collective_leave" => DayOff::CollectiveLeave,
                _ => DayOff::Holiday,
            };
            Some(Closure {
                date: parse_day(&day)?,
                kind,
                name: r.try_get("name").ok()?,
            })
        });
        Ok(Calendar::from_closures(closures))
    }

    /// Adds (or renames) a day off.
    pub async fn admin_add_closure(
        &self,
        actor: &str,
        day: &str,
        kind: &str,
        name: &str,
    ) -> Result<(), AdminError> {
        self.calendar().await?;
        let date = parse_day(day.trim()).ok_or_else(|| AdminError::BadDay(day.to_owned()))?;
        let kind = match kind {
            "collective_leave" => DayOff::CollectiveLeave,
            "holiday" => DayOff::Holiday,
            other => return Err(AdminError::BadDay(other.to_owned())),
        };
        let name = super::admin::check_name(name)?;
        let mut tx = self.begin_write().await?;
        let before: Option<String> =
            sqlx::query_scalar("SELECT name FROM calendar_closures WHERE day = $1")
                .bind(date.to_string())
                .fetch_optional(&mut *tx)
                .await?;
        sqlx::query("DELETE FROM calendar_closures WHERE day = $1")
            .bind(date.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO calendar_closures (day, kind, name) VALUES ($1, $2, $3)")
            .bind(date.to_string())
            .bind(kind_word(kind))
            .bind(name.clone())
            .execute(&mut *tx)
            .await?;
        let after = json!({ "day": date.to_string(), "kind": kind_word(kind), "name": name });
        let before = before.map(|n| json!({ "day": date.to_string(), "name": n }));
        audit(
            &mut tx,
            actor,
            "calendar.add",
            &date.to_string(),
            before,
            Some(after),
        )
        .await?;
        tx.commit().await?;
        // Complaint figures count working days: count them again.
        self.courses_cache().changed();
        Ok(())
    }

    /// Makes a day off a working day again (a weekday).
    pub async fn admin_remove_closure(&self, actor: &str, day: &str) -> Result<(), AdminError> {
        self.calendar().await?;
        let date = parse_day(day.trim()).ok_or_else(|| AdminError::BadDay(day.to_owned()))?;
        let mut tx = self.begin_write().await?;
        let row = sqlx::query("SELECT kind, name FROM calendar_closures WHERE day = $1")
            .bind(date.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| AdminError::Unknown("day off", date.to_string()))?;
        let before = json!({
            "day": date.to_string(),
            "kind": row.try_get::<String, _>("kind")?,
            "name": row.try_get::<String, _>("name")?,
        });
        sqlx::query("DELETE FROM calendar_closures WHERE day = $1")
            .bind(date.to_string())
            .execute(&mut *tx)
            .await?;
        audit(
            &mut tx,
            actor,
            "calendar.remove",
            &date.to_string(),
            Some(before),
            None,
        )
        .await?;
        tx.commit().await?;
        // Complaint figures count working days: count them again.
        self.courses_cache().changed();
        Ok(())
    }
}

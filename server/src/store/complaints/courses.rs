//! How each unit handled its complaints, computed from every complaint's
//! course once for every page that needs it at the same time and kept for
//! a few seconds: the regency overview, the Data Package and each unit's
//! public page (anonymous, so a flood of them must not each read and count
//! 100,000 complaints) all show it.

use super::Course;
use crate::store::fresh::Fresh;
use crate::store::{ms_to_datetime, Store};
use app::domain::complaint::outcomes::{ComplaintFigures, Handled};
use app::domain::complaint::Calendar;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

/// How long figures computed are used when nothing changed here: a complaint
/// filed or moved through another replica shows within this.
pub const COURSES_FRESH: Duration = Duration::from_secs(15);

#[derive(Debug)]
pub struct CoursesCache {
    /// Bumped after each complaint written through this process.
    version: AtomicU64,
    /// Each unit's figures, by the version they were computed at.
    figures: Fresh<u64, Arc<HashMap<Uuid, ComplaintFigures>>>,
}

impl Default for CoursesCache {
    fn default() -> Self {
        Self {
            version: AtomicU64::new(0),
            figures: Fresh::new(COURSES_FRESH),
        }
    }
}

/// How a unit's complaints were handled, from their `courses`, each counted
/// in its unit's own working days.
pub fn figures_of<'c>(
    courses: impl Iterator<Item = &'c Course>,
    calendar: &Calendar,
) -> ComplaintFigures {
    let handled: Vec<Handled> = courses
        .map(|c| Handled {
            received: c.zone.date(ms_to_datetime(c.submitted_at_ms)),
            moves: c
                .moves
                .iter()
                .map(|(s, at)| (*s, c.zone.date(ms_to_datetime(*at))))
                .collect(),
            reopened: c.reopened,
        })
        .collect();
    ComplaintFigures::compute(&handled, calendar)
}

impl CoursesCache {
    /// Says that complaints (or the working-day calendar) changed, after
    /// the change committed.
    pub fn changed(&self) {
        self.version.fetch_add(1, Ordering::Release);
    }

    /// How many changes were made through this process.
    pub fn version(&self) -> u64 {
        self.version.load(Ordering::Acquire)
    }
}

impl Store {
    /// How each unit handled its complaints (units with none are absent),
    /// from every complaint's course as [`Store::complaint_courses`] reads
    /// it: at most [`COURSES_FRESH`] old and never older than a change
    /// made through this process. Requests that come together wait for one
    /// read; waiting holds no database connection.
    pub async fn complaint_figures(&self) -> sqlx::Result<Arc<HashMap<Uuid, ComplaintFigures>>> {
        let cache = self.courses_cache();
        cache
            .figures
            .get(cache.version(), || async {
                let courses = self.complaint_courses().await?;
                let calendar = self.calendar().await?;
                let mut by_unit: HashMap<Uuid, Vec<&Course>> = HashMap::new();
                for c in &courses {
                    by_unit.entry(c.unit).or_default().push(c);
                }
                Ok(Arc::new(
                    by_unit
                        .into_iter()
                        .map(|(unit, courses)| (unit, figures_of(courses.into_iter(), &calendar)))
                        .collect(),
                ))
            })
            .await
    }
}

//! Every complaint's course, read once for every page that needs it at the
//! same time and kept for a few seconds: the regency overview, the Data
//! Package and each unit's public page (anonymous, so a flood of them must
//! not each read 100,000 complaints) all compute from it.

use super::Course;
use crate::store::Store;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How long courses read are used when nothing changed here: a complaint
/// filed or moved through another replica shows within this.
pub const COURSES_FRESH: Duration = Duration::from_secs(15);

#[derive(Debug, Default)]
pub struct CoursesCache {
    /// Bumped after each complaint written through this process.
    version: AtomicU64,
    last: tokio::sync::Mutex<Option<Read>>,
}

/// A read of every course: when, at which version, what.
#[derive(Debug)]
struct Read {
    at: Instant,
    version: u64,
    courses: Arc<Vec<Course>>,
}

impl CoursesCache {
    /// Says that complaints changed (after the change committed).
    pub fn changed(&self) {
        self.version.fetch_add(1, Ordering::Release);
    }
}

impl Store {
    /// The course of every complaint, as [`Store::complaint_courses`] reads
    /// it, at most [`COURSES_FRESH`] old and never older than a change made
    /// through this process. Requests that come together wait for one read;
    /// waiting holds no database connection.
    pub async fn all_complaint_courses(&self) -> sqlx::Result<Arc<Vec<Course>>> {
        let cache = self.courses_cache();
        let mut last = cache.last.lock().await;
        let version = cache.version.load(Ordering::Acquire);
        if let Some(read) = last.as_ref() {
            if read.version == version && read.at.elapsed() < COURSES_FRESH {
                return Ok(read.courses.clone());
            }
        }
        let courses = Arc::new(self.complaint_courses(None).await?);
        *last = Some(Read {
            at: Instant::now(),
            version,
            courses: courses.clone(),
        });
        Ok(courses)
    }
}

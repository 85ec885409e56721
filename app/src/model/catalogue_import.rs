//! What the page of an uploaded catalogue file shows: its plan.

use crate::domain::catalogue::import::Plan;
use uuid::Uuid;

#[derive(Clone, Debug)]
pub struct ImportPreview {
    pub id: Uuid,
    pub file_name: String,
    /// Of the file's bytes, hex.
    pub sha256: String,
    pub uploaded_by: String,
    pub plan: Plan,
}

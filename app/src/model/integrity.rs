//! The integrity monitor's review as staff see it: the responses whose
//! flags stand (`GET /api/v1/flags`, `/integritas`).

use crate::domain::integrity::FlagReason;
use serde::Serialize;

/// A flagged response as an auditor reviews it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct FlaggedResponse {
    pub id: String,
    pub unit_code: String,
    /// The unit's time zone (`Asia/Jakarta`, `Asia/Makassar`,
    /// `Asia/Jayapura`): its people read `answered_at` in it.
    pub time_zone: String,
    pub service_code: String,
    /// What periods count by (RFC 3339, UTC).
    pub answered_at: String,
    pub channel: String,
    /// The install that sent it, if it said.
    pub device_id: Option<String>,
    pub seq: i64,
    /// Its flags that stand.
    #[schema(value_type = Vec<FlagReason>)]
    pub reasons: Vec<FlagReason>,
}

/// `/integritas`: the flagged responses an account may see, of a unit (or
/// all of its units) and a period.
#[derive(Clone, Debug)]
pub struct IntegrityPage {
    pub email: String,
    /// Only an auditor clears a flag.
    pub may_clear: bool,
    /// The units the account may see: code and name.
    pub units: Vec<(String, String)>,
    /// In chain order; at most [`IntegrityPage::LIMIT`].
    pub flagged: Vec<FlaggedResponse>,
}

impl IntegrityPage {
    /// The most one list holds.
    pub const LIMIT: usize = 1_000;
}

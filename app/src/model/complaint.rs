//! Complaints as the interface and pages show them: to the citizen who holds
//! the code, and to the unit that works them.

use crate::domain::complaint::{DeadlineKind, Privacy, State};
use crate::model::figures::ItemRef;
use serde::{Deserialize, Serialize};

/// A service or unit: its code and name.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NamedRef {
    pub code: String,
    pub name: String,
}

/// One move of a complaint, as its timeline shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct TimelineEntry {
    #[schema(value_type = String, example = "diverifikasi")]
    pub state: State,
    /// RFC 3339, UTC.
    pub at: String,
    /// Why: the unit's request, answer, or reason for a forward or closing.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// For `dialihkan`: the unit it went to.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<NamedRef>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Sender {
    Citizen,
    Unit,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MessageView {
    pub from: Sender,
    /// RFC 3339, UTC.
    pub at: String,
    pub text: String,
}

/// A photo or document of a complaint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AttachmentView {
    pub id: String,
    /// `citizen` (a photo of the problem) or `unit` (evidence).
    pub from: Sender,
    pub content_type: String,
    pub size: u64,
    /// Where to fetch it: `/api/v1/complaints/{code}/attachments/{id}`.
    pub url: String,
}

/// `GET /api/v1/complaints/{code}`: what anyone holding the code sees. The
/// text is redacted of phone numbers, e-mail addresses and NIKs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ComplaintView {
    /// `XXXX-XXXX-XXXX`.
    pub code: String,
    #[schema(value_type = String, example = "diterima")]
    pub state: State,
    pub service: NamedRef,
    /// The unit responsible now.
    pub unit: NamedRef,
    /// The day the running deadline falls on (YYYY-MM-DD); null when none
    /// runs (waiting on the citizen, or closed).
    pub deadline: Option<String>,
    /// Which deadline: `verify`, `first_follow_up`, `resolve` or `auto_close`.
    #[schema(value_type = Option<String>)]
    pub deadline_kind: Option<DeadlineKind>,
    pub overdue: bool,
    /// Oldest first, starting with `diterima`.
    pub timeline: Vec<TimelineEntry>,
    /// Oldest first.
    pub messages: Vec<MessageView>,
    #[schema(value_type = String, example = "anonim")]
    pub privacy: Privacy,
    pub text: String,
    /// The standards (item codes) it concerns.
    pub items: Vec<String>,
    pub happened_on: Option<String>,
    pub submitted_at: String,
    /// How the citizen rated the handling, 1–4.
    pub rating: Option<u8>,
    /// How often the citizen said an answer did not resolve it.
    pub reopened: u32,
    /// Photos and documents, oldest first (image metadata removed).
    #[serde(default)]
    pub attachments: Vec<AttachmentView>,
    /// The items' labels in both languages, in the order of `items`.
    #[serde(default)]
    pub item_labels: Vec<ItemRef>,
    /// Whether acting as the citizen needs a key this complaint already has
    /// (false only for a complaint filed before keys existed, until a
    /// device first acts on it with one).
    #[serde(default)]
    pub keyed: bool,
    /// The responsible unit's time zone (`Asia/Jakarta`, `Asia/Makassar` or
    /// `Asia/Jayapura`): its deadline's day is a day there, and pages show
    /// the times above in it.
    #[serde(default = "jakarta")]
    pub time_zone: String,
}

fn jakarta() -> String {
    "Asia/Jakarta".to_owned()
}

/// A complaint in the unit's queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct QueueRow {
    pub code: String,
    #[schema(value_type = String, example = "diterima")]
    pub state: State,
    pub service: NamedRef,
    pub unit: NamedRef,
    pub submitted_at: String,
    pub deadline: Option<String>,
    pub overdue: bool,
    pub items: Vec<String>,
    /// The first words of the text.
    pub excerpt: String,
}

/// `GET /api/v1/complaints`: the queue of the caller's units, overdue first,
/// then by deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Queue {
    pub complaints: Vec<QueueRow>,
    pub open: u64,
    pub overdue: u64,
}

/// A complaint as its unit sees it: everything the citizen sees but with
/// the text in full, and what the unit may do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StaffComplaint {
    pub view: ComplaintView,
    /// The states the caller may move it to.
    pub moves: Vec<State>,
    /// Where it may be forwarded.
    pub units: Vec<NamedRef>,
    /// The more private choices the caller may make (empty: none).
    pub privacies: Vec<Privacy>,
}

/// What `/pengaduan/{code}` shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ComplaintPage {
    /// To anyone holding the code: redacted.
    Citizen(Box<ComplaintView>),
    /// To its unit's staff, its administrators and auditors.
    Staff(Box<StaffComplaint>),
    /// The code's check character is wrong.
    Mistyped,
    /// No complaint has the code.
    Unknown,
}

/// Filters of the unit's queue (`GET /api/v1/complaints`, `/pengaduan`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QueueFilter {
    /// Only complaints in this state; by default every open one.
    #[param(schema_with = super::schema::complaint_state)]
    pub state: Option<String>,
    /// Only complaints about this service (its code).
    pub service: Option<String>,
    /// Only complaints that concern this item (its code).
    pub item: Option<String>,
}

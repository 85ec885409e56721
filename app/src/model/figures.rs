//! The figures of a scope as the API (`GET /api/v1/summary`) answers them and
//! the dashboard shows them: computed by the server from the roll-ups with
//! the domain's scoring. Server-side only.

use crate::domain::integrity::Flagged;
use crate::domain::period::Period;
use crate::domain::query::{FigureQuery, QueryError, QueryFields};
use crate::domain::scoring::{Breakdown, PeriodChange, Summary};
use crate::domain::{ItemCode, Localized, ScoringMethod};
use serde::{Deserialize, Serialize};

/// Which responses a question is about, as the query string (and an
/// export's manifest) names them: codes and days, `None` where not given.
#[derive(
    Clone,
    Debug,
    Default,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    utoipa::IntoParams,
    utoipa::ToSchema,
)]
#[into_params(parameter_in = Query)]
pub struct Selection {
    /// A service's code. The summary takes at most one of `service`, `unit`,
    /// `agency`; none means every service the account may see.
    pub service: Option<String>,
    /// A unit's code.
    pub unit: Option<String>,
    /// An agency's code.
    pub agency: Option<String>,
    /// A questionnaire id. The summary computes one questionnaire's figures,
    /// by default the one most services in the scope use (others are listed
    /// in `other_questionnaires`); an export holds every version of it.
    pub questionnaire: Option<String>,
    /// First day of `answered_at` (YYYY-MM-DD, UTC), inclusive; an export
    /// also takes an instant (RFC 3339).
    #[cfg_attr(feature = "ssr", param(schema_with = super::schema::day_or_instant))]
    pub from: Option<String>,
    /// Last day of `answered_at` (YYYY-MM-DD, UTC), inclusive; an export
    /// also takes an instant (exclusive).
    #[cfg_attr(feature = "ssr", param(schema_with = super::schema::day_or_instant))]
    pub to: Option<String>,
}

impl Selection {
    /// The fields by their query parameter names.
    pub fn fields_mut(&mut self) -> [(&'static str, &mut Option<String>); 6] {
        [
            ("from", &mut self.from),
            ("to", &mut self.to),
            ("agency", &mut self.agency),
            ("unit", &mut self.unit),
            ("service", &mut self.service),
            ("questionnaire", &mut self.questionnaire),
        ]
    }

    /// The fields given, as query parameters.
    pub fn query_pairs(&self) -> Vec<(&'static str, String)> {
        self.clone()
            .fields_mut()
            .into_iter()
            .filter_map(|(k, v)| v.take().map(|v| (k, v)))
            .collect()
    }
}

/// `GET /api/v1/summary`'s query: a [`Selection`] and how to cut it. Its
/// parameters in the API document are this and [`Selection`].
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
pub struct SummaryQuery {
    #[serde(flatten)]
    #[param(ignore)]
    pub selection: Selection,
    /// `week`, `month` or `quarter`: add a series of the same figures per period.
    #[param(schema_with = periods)]
    pub by: Option<String>,
    /// `sex`, `age_band`, `education`, `occupation` or `disability`: add a
    /// breakdown by that attribute, with small groups suppressed.
    #[param(schema_with = groups)]
    pub group: Option<String>,
    /// `exclude` (the default) or `include`: whether the figures count
    /// responses the integrity monitor flagged (`flagged` says how many).
    #[param(schema_with = flagged)]
    pub flagged: Option<String>,
}

fn periods() -> utoipa::openapi::schema::Object {
    super::schema::one_of(&["week", "month", "quarter"])
}

fn groups() -> utoipa::openapi::schema::Object {
    super::schema::one_of(&["sex", "age_band", "education", "occupation", "disability"])
}

fn flagged() -> utoipa::openapi::schema::Object {
    super::schema::one_of(&["exclude", "include"])
}

impl TryFrom<&SummaryQuery> for FigureQuery {
    type Error = QueryError;

    fn try_from(q: &SummaryQuery) -> Result<Self, QueryError> {
        let s = &q.selection;
        FigureQuery::parse(QueryFields {
            service: s.service.as_deref(),
            unit: s.unit.as_deref(),
            agency: s.agency.as_deref(),
            questionnaire: s.questionnaire.as_deref(),
            from: s.from.as_deref(),
            to: s.to.as_deref(),
            by: q.by.as_deref(),
            group: q.group.as_deref(),
            flagged: q.flagged.as_deref(),
        })
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ScopeView {
    /// `service`, `unit`, `agency`, or `all` (every service the account may see).
    pub kind: String,
    pub code: Option<String>,
    pub name: Option<String>,
    /// The units' yearly service volume behind `sample_target`, when known.
    pub population: Option<u64>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ItemRef {
    #[schema(value_type = String, example = "U1")]
    pub code: ItemCode,
    pub label: Localized,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct QuestionnaireRef {
    pub id: String,
    pub method: ScoringMethod,
    /// The items of every version, newest version's order first; `items` of
    /// the figures follow this order.
    pub items: Vec<ItemRef>,
}

/// The figures of one period of a series.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct PeriodFigures {
    /// `2026-W47`, `2026-11` or `2026-Q4`.
    pub period: String,
    /// First day, inclusive (UTC).
    pub start: String,
    /// Day after the last, exclusive (UTC).
    pub end: String,
    /// Whether the period is over and wholly inside the query's days: a
    /// running one (this week so far) is never compared or alerted on.
    pub complete: bool,
    #[serde(flatten)]
    pub summary: Summary,
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct SummaryAnswer {
    pub scope: ScopeView,
    pub questionnaire: QuestionnaireRef,
    /// Other questionnaires answered in this scope (ask with `questionnaire=`).
    pub other_questionnaires: Vec<String>,
    #[serde(flatten)]
    pub summary: Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<Period>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<Vec<PeriodFigures>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub breakdown: Option<Breakdown>,
    /// With `by`: the latest period against the one before, with alerts.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub change: Option<PeriodChange>,
    /// The scope's responses in the period that the integrity monitor
    /// flagged, and whether the figures above count them.
    pub flagged: FlaggedCounts,
}

/// How many responses were flagged, and why (a response may have several
/// reasons), and whether the figures count them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FlaggedCounts {
    pub responses: u64,
    /// Responses per reason: `same-device`, `burst`, `closed-hours`,
    /// `identical-run`, `no-device`, `backdated`.
    pub by_reason: std::collections::BTreeMap<String, u64>,
    /// `exclude`: the figures leave them out; `include`: they count them.
    pub figures: Flagged,
}

/// A unit or service the signed-in account may look at (the dashboard's picker).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScopeChoice {
    /// `unit` or `service`.
    pub kind: &'static str,
    pub code: String,
    pub name: String,
    /// For a service, its unit's name.
    pub unit_name: Option<String>,
}

/// What the dashboard shows for one query.
#[derive(Clone, Debug)]
pub struct StaffFigures {
    pub account: super::dashboard::AccountView,
    pub choices: Vec<ScopeChoice>,
    pub answer: SummaryAnswer,
    /// Newest first, when asked for.
    pub comments: Option<Vec<CommentView>>,
}

/// Which comments the dashboard's feed shows.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CommentFilter {
    /// Only responses that gave this item `score`.
    pub item_score: Option<(String, u8)>,
    /// Only comments answered before this moment (ms since the epoch): the
    /// next page.
    pub before_ms: Option<i64>,
}

/// A comment in the feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommentView {
    pub service_name: String,
    /// When it was answered, ms since the epoch.
    pub answered_at_ms: i64,
    /// The same, as the unit's people read it (`2026-11-20 16.15 WIT`).
    pub answered_at: String,
    pub comment: String,
    /// (item code, score) of the same response.
    pub scores: Vec<(String, u8)>,
}

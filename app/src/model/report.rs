//! The official SKM report of one unit for one period (Permenpan RB
//! 14/2017): what `/reports/skm` shows (server-side only).

use super::figures::SummaryAnswer;
pub use crate::domain::period::period_days;
pub use crate::domain::report::ReportDetails;
use serde::{Deserialize, Serialize};
use crate::domain::scoring::Breakdown;

/// One respondent's row of the report's matrix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MatrixRow {
    /// The day answered (UTC).
    pub day: String,
    /// Each respondent attribute (in `Attribute::ALL` order): the group's
    /// code, `None` when not stated or when the group is too small to show.
    pub profile: [Option<String>; 5],
    /// Whether each attribute was hidden to protect a small group.
    pub hidden: [bool; 5],
    /// Scores in the report's item order; `None` when skipped.
    pub scores: Vec<Option<u8>>,
}

#[derive(Clone, Debug)]
pub struct SkmReport {
    /// (code, name) of every unit the account may report on.
    pub units: Vec<(String, String)>,
    pub unit_code: String,
    pub unit_name: String,
    pub agency_name: String,
    /// As asked, e.g. `2026-S2`.
    pub period: String,
    /// First and last day, inclusive.
    pub from: String,
    pub to: String,
    /// The unit's figures for the period, as the summary API gives them.
    pub answer: SummaryAnswer,
    /// The respondent profile: one breakdown per attribute (small groups
    /// suppressed as everywhere).
    pub profile: Vec<Breakdown>,
    /// The first [`MATRIX_ROWS`] respondents, in the order they answered.
    pub matrix: Vec<MatrixRow>,
    /// All respondents of the period (the matrix may show fewer).
    pub respondents: u64,
    /// The account may publish this unit's period (its unit head, or an
    /// administrator).
    pub may_publish: bool,
    /// What the unit set for this period: forum day, signatory, sampling.
    pub details: ReportDetails,
    /// How the figures were reached.
    pub method: ReportMethod,
}

/// How a period's figures were reached: the sample target and what came
/// in by each channel, with the periods before for comparison.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportMethod {
    /// Krejcie–Morgan, from the unit's yearly service volume.
    pub sample_target: u64,
    /// The yearly volume the target is computed from, when known.
    pub population: Option<u64>,
    /// Respondents by channel (`phone`, `kiosk`, `link`), as counted.
    pub channels: Vec<ChannelCount>,
    /// The [`PREVIOUS_PERIODS`] periods of the same kind before, newest first.
    pub previous: Vec<PreviousPeriod>,
}

/// Respondents who answered through one channel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ChannelCount {
    pub channel: String,
    pub n: u64,
}

/// An earlier period's index beside this one.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PreviousPeriod {
    pub period: String,
    pub n: u64,
    /// `None` when too few answered.
    pub index: Option<f64>,
    pub grade: Option<String>,
}

/// What a publication carries of its report, frozen with its figures.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PublishedReport {
    pub details: ReportDetails,
    pub method: ReportMethod,
}

/// Periods shown before the reported one.
pub const PREVIOUS_PERIODS: usize = 3;

/// The most rows the printed matrix holds; the export has them all.
pub const MATRIX_ROWS: usize = 1000;

//! The official SKM report of one unit for one period (Permenpan RB
//! 14/2017): what `/reports/skm` shows (server-side only).

use super::figures::SummaryAnswer;
pub use crate::domain::period::period_days;
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
}

/// The most rows the printed matrix holds; the export has them all.
pub const MATRIX_ROWS: usize = 1000;

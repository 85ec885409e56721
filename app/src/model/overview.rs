//! `/ikhtisar`: every unit of the regency in one table, ranked honestly.

use crate::model::complaint::NamedRef;
use serde::{Deserialize, Serialize};

/// Responses a unit needs in the window before it is ranked at all.
pub const MIN_RANK_RESPONSES: u64 = 30;

/// The page's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegencyOverview {
    pub email: String,
    /// The window the figures count: the last twelve months, `from` and
    /// `to` inclusive (UTC days).
    pub from: String,
    pub to: String,
    /// Every agency, for the filter.
    pub agencies: Vec<NamedRef>,
    /// The agency shown, if one was chosen.
    pub agency: Option<String>,
    /// How the rows are ordered: `band` (the default), `responses`,
    /// `overdue`, `flagged` or `unit`.
    pub sort: String,
    pub rows: Vec<UnitOverview>,
}

/// One unit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitOverview {
    pub unit: NamedRef,
    pub agency: NamedRef,
    pub responses: u64,
    pub sample_target: u64,
    pub index: Option<f64>,
    pub interval: Option<(f64, f64)>,
    pub grade: Option<String>,
    /// Its rank band: units whose intervals overlap share one (1 is the
    /// best). `None`: fewer than [`MIN_RANK_RESPONSES`], not ranked.
    pub band: Option<u32>,
    /// The latest complete month against the one before, and whether the
    /// change is larger than its uncertainty.
    pub change: Option<(f64, bool)>,
    /// The weakest element's label (Indonesian, English).
    pub weakest: Option<(String, String)>,
    pub complaints_received: u64,
    pub verified_in_time_share: Option<f64>,
    pub answered_in_time_share: Option<f64>,
    pub confirmed_share: Option<f64>,
    /// Open complaints past their deadline now.
    pub overdue_now: u64,
    /// Of the window's responses, the share the integrity monitor flagged.
    pub flagged_share: Option<f64>,
    /// The latest publication in force: its period.
    pub last_publication: Option<String>,
    /// What the latest complete month's alerts say (only with enough
    /// responses in both months; see `domain::scoring::change`).
    #[serde(default)]
    pub alerts: MonthAlerts,
}

/// A unit's alerts of its latest complete month against the one before.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MonthAlerts {
    /// The month and the one before: `2026-11`, `2026-10`.
    pub period: Option<(String, String)>,
    /// Each element that fell by more than its uncertainty: its label
    /// (Indonesian, English) and how much its mean fell.
    pub fell: Vec<(String, String, f64)>,
    /// The grade before and now, when it changed.
    pub grade: Option<(String, String)>,
}

/// What ranking reads of a unit: responses, index and its interval.
pub type Rankable = (u64, Option<f64>, Option<(f64, f64)>);

/// Rank bands: units with enough responses, best index first; a band holds
/// every unit whose interval overlaps the interval of the band's first unit,
/// so two units a hair apart never get different ranks. Returns each row's
/// band in the order given.
pub fn bands(rows: &[Rankable]) -> Vec<Option<u32>> {
    let mut ranked: Vec<usize> = (0..rows.len())
        .filter(|&i| rows[i].0 >= MIN_RANK_RESPONSES && rows[i].1.is_some() && rows[i].2.is_some())
        .collect();
    ranked.sort_by(|&a, &b| {
        rows[b].1.partial_cmp(&rows[a].1).unwrap_or(std::cmp::Ordering::Equal)
    });
    let mut out = vec![None; rows.len()];
    let mut band = 0;
    let mut leader_low = f64::INFINITY;
    for i in ranked {
        let (_, _, Some((low, high))) = rows[i] else { continue };
        if band == 0 || high < leader_low {
            band += 1;
            leader_low = low;
        }
        out[i] = Some(band);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_intervals_share_a_band_and_small_units_are_not_ranked() {
        let rows = [
            (400, Some(75.36), Some((73.9, 76.8))),
            (380, Some(75.41), Some((74.0, 76.8))),
            (500, Some(82.10), Some((81.0, 83.2))),
            (12, Some(99.0), Some((90.0, 100.0))),
            (300, Some(70.0), Some((68.5, 71.5))),
        ];
        assert_eq!(
            bands(&rows),
            [Some(2), Some(2), Some(1), None, Some(3)],
            "75.36 and 75.41 are one band; the unit with 12 responses is not ranked first"
        );
        assert_eq!(bands(&[]), Vec::<Option<u32>>::new());
    }
}

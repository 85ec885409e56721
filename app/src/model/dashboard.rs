//! The first dashboard: every service an account may see, with its index,
//! grade and items, formatted for the page.

use crate::domain::scoring::{Interval, Moments, Summary};
use crate::domain::{Localized, Questionnaire};
use serde::{Deserialize, Serialize};

/// Who is signed in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub email: String,
    pub role: String,
}

/// The first dashboard: every service the account may see.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Dashboard {
    pub account: AccountView,
    pub services: Vec<ServiceSummary>,
    /// Open complaints of the account's units, and how many are overdue.
    #[serde(default)]
    pub complaints_open: u64,
    #[serde(default)]
    pub complaints_overdue: u64,
}

/// Everything the figures of one service need, under its current
/// questionnaire version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceTallies {
    pub code: String,
    pub name: String,
    pub unit_name: String,
    pub agency_name: String,
    pub questionnaire: Questionnaire,
    /// Items in `questionnaire.items` order.
    pub moments: Moments,
    /// Krejcie–Morgan target for the unit's yearly volume.
    pub sample_target: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ServiceSummary {
    pub code: String,
    pub name: String,
    pub unit_name: String,
    pub agency_name: String,
    pub responses: u64,
    pub items: Vec<ItemRow>,
    /// Two decimals, e.g. "91.48"; `None` with no scores.
    pub index: Option<String>,
    pub grade: Option<String>,
    /// The 95% interval of the index, e.g. "88.02–94.61".
    pub index_interval: Option<String>,
    /// The interval spans more than one grade.
    pub grade_uncertain: bool,
    /// Fewer responses than `sample_target`.
    pub provisional: bool,
    pub sample_target: u64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemRow {
    pub code: String,
    pub label: Localized,
    pub n: u64,
    /// NRR with two decimals.
    pub mean: Option<String>,
    /// Its 95% interval, e.g. "3.41–3.83".
    pub interval: Option<String>,
}

fn span(i: Interval) -> String {
    format!("{:.2}–{:.2}", i.low, i.high)
}

impl From<ServiceTallies> for ServiceSummary {
    fn from(t: ServiceTallies) -> Self {
        let codes: Vec<_> = t
            .questionnaire
            .items
            .iter()
            .map(|i| i.code.clone())
            .collect();
        let s = Summary::compute(&codes, &t.moments, t.questionnaire.method, t.sample_target);
        let items = t
            .questionnaire
            .items
            .iter()
            .zip(&s.items)
            .map(|(item, fig)| ItemRow {
                code: item.code.to_string(),
                label: item.label.clone(),
                n: fig.n,
                mean: fig.nrr.map(|m| format!("{m:.2}")),
                interval: fig.interval.map(span),
            })
            .collect();
        Self {
            code: t.code,
            name: t.name,
            unit_name: t.unit_name,
            agency_name: t.agency_name,
            responses: s.n,
            items,
            index: s.index.map(|i| format!("{i:.2}")),
            grade: s.grade.map(|g| g.letter().to_owned()),
            index_interval: s.index_interval.map(span),
            grade_uncertain: s.grade_uncertain,
            provisional: s.provisional,
            sample_target: s.sample_target,
        }
    }
}

//! Figures by respondent group (sex, age band, education, occupation,
//! disability), with small cells hidden, and the gaps between groups.
//!
//! Suppression. A group of fewer than [`MIN_CELL`] responses is never shown
//! (primary suppression). Because the scope's total is shown beside the
//! groups, hiding one cell alone would not hide it (total − the others), so
//! more cells are hidden, smallest first, until at least two are hidden and
//! together they hold at least [`MIN_CELL`] responses (complementary
//! suppression): what can be derived, the hidden cells taken together, is
//! then itself a group of at least that size, and no hidden cell can be told
//! from another. Groups with no responses are shown as 0 and hidden only when
//! nothing else is left to hide. Respondents who did not state the attribute
//! form a group of their own ("not-stated"), so the groups add up to the total.

use super::compare::{compare, ItemGap};
use super::stats::Difference;
use super::summary::{Moments, Summary};
use crate::domain::questionnaire::{ItemCode, ScoringMethod};
use crate::domain::response::Respondent;
use serde::{Deserialize, Serialize};

/// The smallest group whose figures are shown.
pub const MIN_CELL: u64 = 11;

/// The group of respondents who left the attribute blank.
pub const NOT_STATED: &str = "not-stated";

/// A respondent attribute a figure can be broken down by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Attribute {
    Sex,
    AgeBand,
    Education,
    Occupation,
    Disability,
}

impl Attribute {
    pub const ALL: [Self; 5] = [
        Self::Sex,
        Self::AgeBand,
        Self::Education,
        Self::Occupation,
        Self::Disability,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sex => "sex",
            Self::AgeBand => "age_band",
            Self::Education => "education",
            Self::Occupation => "occupation",
            Self::Disability => "disability",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// The groups, as the sync interface spells the values; "not-stated" is
    /// not among them.
    pub fn groups(self) -> &'static [&'static str] {
        match self {
            Self::Sex => &["female", "male"],
            Self::AgeBand => &["under-20", "20-29", "30-39", "40-49", "50-59", "60-plus"],
            Self::Education => &["SD", "SMP", "SMA", "D1-D3", "D4-S1", "S2", "S3"],
            Self::Occupation => &[
                "pns",
                "tni-polri",
                "swasta",
                "wirausaha",
                "pelajar-mahasiswa",
                "lainnya",
            ],
            Self::Disability => &["yes", "no", "prefer-not-to-say"],
        }
    }

    /// The cell a stored value falls in: its group's position, or the last
    /// cell (not stated) for no value or one this version does not know.
    pub fn cell_of(self, value: Option<&str>) -> usize {
        let groups = self.groups();
        value
            .and_then(|v| groups.iter().position(|g| *g == v))
            .unwrap_or(groups.len())
    }

    /// The value of this attribute in a respondent profile, as spelled on
    /// the wire. The enums list their variants in `groups()` order (a test
    /// checks it against their serde names), so the variant's position is
    /// the group's: no serialisation on ingest's path.
    pub fn value_of(self, r: &Respondent) -> Option<&'static str> {
        let position = match self {
            Self::Sex => r.sex? as usize,
            Self::AgeBand => r.age_band? as usize,
            Self::Education => r.education? as usize,
            Self::Occupation => r.occupation? as usize,
            Self::Disability => r.disability? as usize,
        };
        self.groups().get(position).copied()
    }

    /// Sets this attribute of `r` to the group named `value` (one of
    /// [`Self::groups`]); false, and `r` unchanged, for any other value.
    pub fn set(self, r: &mut Respondent, value: &str) -> bool {
        use crate::domain::response::{AgeBand, Disability, Education, Occupation, Sex};
        let Some(i) = self.groups().iter().position(|g| *g == value) else {
            return false;
        };
        match self {
            Self::Sex => r.sex = Sex::ALL.get(i).copied(),
            Self::AgeBand => r.age_band = AgeBand::ALL.get(i).copied(),
            Self::Education => r.education = Education::ALL.get(i).copied(),
            Self::Occupation => r.occupation = Occupation::ALL.get(i).copied(),
            Self::Disability => r.disability = Disability::ALL.get(i).copied(),
        }
        true
    }

    /// Number of cells: the groups and "not stated".
    pub fn cells(self) -> usize {
        self.groups().len() + 1
    }

    /// The name of cell `i`.
    pub fn cell_name(self, i: usize) -> &'static str {
        self.groups().get(i).copied().unwrap_or(NOT_STATED)
    }
}

/// Which cells to hide (`true`), given each cell's number of responses.
pub fn suppress(counts: &[u64]) -> Vec<bool> {
    let mut hidden: Vec<bool> = counts.iter().map(|&n| n > 0 && n < MIN_CELL).collect();
    if !hidden.contains(&true) {
        return hidden;
    }
    loop {
        let (cells, total) = hidden
            .iter()
            .zip(counts)
            .filter(|(h, _)| **h)
            .fold((0, 0), |(c, t), (_, n)| (c + 1, t + n));
        if cells >= 2 && total >= MIN_CELL {
            return hidden;
        }
        // The smallest shown cell with responses, else any shown cell.
        let next = (0..counts.len())
            .filter(|&i| !hidden[i])
            .min_by_key(|&i| (counts[i] == 0, counts[i], i));
        match next {
            Some(i) => hidden[i] = true,
            None => return hidden,
        }
    }
}

/// One group's figures, or the fact that they are hidden.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct GroupFigures {
    pub group: String,
    /// Hidden to protect a small group: no figure, not even its count.
    pub suppressed: bool,
    pub summary: Option<Summary>,
}

/// A group compared with the reference group: its figure minus the reference's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Gap {
    pub group: String,
    pub reference: String,
    /// Index difference with a Welch interval (none below two responses a side).
    pub index: Option<Difference>,
    pub items: Vec<ItemGap>,
}

/// A figure broken down by one attribute.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Breakdown {
    pub attribute: Attribute,
    /// Every group of the attribute, then "not-stated".
    pub groups: Vec<GroupFigures>,
    /// The largest shown group (not "not-stated"), which gaps compare with.
    pub reference: Option<String>,
    /// Each other shown group against the reference.
    pub gaps: Vec<Gap>,
}

impl Breakdown {
    /// `cells` holds one [`Moments`] per cell of `attribute`
    /// ([`Attribute::cells`]), in order, over the items `codes`; `everyone`
    /// the whole scope's, whose item correlations cells without item-pair
    /// co-moments borrow for their index intervals.
    ///
    /// # Panics
    /// When `cells` is not one per cell of the attribute.
    pub fn compute(
        attribute: Attribute,
        codes: &[ItemCode],
        cells: &[Moments],
        everyone: Option<&Moments>,
        method: ScoringMethod,
        sample_target: u64,
    ) -> Self {
        assert_eq!(cells.len(), attribute.cells(), "one cell per group");
        let counts: Vec<u64> = cells.iter().map(Moments::respondents).collect();
        let hidden = suppress(&counts);
        let groups = cells
            .iter()
            .enumerate()
            .map(|(i, m)| GroupFigures {
                group: attribute.cell_name(i).to_owned(),
                suppressed: hidden[i],
                summary: (!hidden[i])
                    .then(|| Summary::compute_with(codes, m, everyone, method, sample_target)),
            })
            .collect();
        let stated = attribute.groups().len();
        let reference = (0..stated)
            .filter(|&i| !hidden[i] && counts[i] > 0)
            .max_by_key(|&i| (counts[i], std::cmp::Reverse(i)));
        let gaps = reference
            .map(|r| {
                (0..stated)
                    .filter(|&i| i != r && !hidden[i] && counts[i] > 0)
                    .map(|i| gap(attribute, codes, cells, everyone, i, r))
                    .collect()
            })
            .unwrap_or_default();
        Self {
            attribute,
            groups,
            reference: reference.map(|r| attribute.cell_name(r).to_owned()),
            gaps,
        }
    }
}

fn gap(
    attribute: Attribute,
    codes: &[ItemCode],
    cells: &[Moments],
    everyone: Option<&Moments>,
    a: usize,
    b: usize,
) -> Gap {
    let (index, items) = compare(codes, &cells[a], &cells[b], everyone);
    Gap {
        group: attribute.cell_name(a).to_owned(),
        reference: attribute.cell_name(b).to_owned(),
        index,
        items,
    }
}

#[cfg(test)]
mod tests;

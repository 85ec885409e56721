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

/// One item's gap: NRR difference (Welch) and share-satisfied difference (Newcombe).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ItemGap {
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "U1"))]
    pub code: ItemCode,
    pub nrr: Option<Difference>,
    pub satisfied_share: Option<Difference>,
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
    let (index, items) = super::change::compare(codes, &cells[a], &cells[b], everyone);
    Gap {
        group: attribute.cell_name(a).to_owned(),
        reference: attribute.cell_name(b).to_owned(),
        index,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::questionnaire::Score;
    use crate::domain::response::{AgeBand, Disability, Education, Occupation, Sex};
    use proptest::prelude::*;

    #[test]
    fn groups_are_spelled_as_the_sync_interface_spells_them() {
        let wire = |v: serde_json::Value| v.as_str().unwrap().to_owned();
        let sexes = [Sex::Female, Sex::Male].map(|v| wire(serde_json::json!(v)));
        assert_eq!(sexes, Attribute::Sex.groups());
        let ages = [
            AgeBand::Under20,
            AgeBand::From20To29,
            AgeBand::From30To39,
            AgeBand::From40To49,
            AgeBand::From50To59,
            AgeBand::From60,
        ]
        .map(|v| wire(serde_json::json!(v)));
        assert_eq!(ages, Attribute::AgeBand.groups());
        let edu = [
            Education::Sd,
            Education::Smp,
            Education::Sma,
            Education::D1D3,
            Education::D4S1,
            Education::S2,
            Education::S3,
        ]
        .map(|v| wire(serde_json::json!(v)));
        assert_eq!(edu, Attribute::Education.groups());
        let occ = [
            Occupation::Pns,
            Occupation::TniPolri,
            Occupation::Swasta,
            Occupation::Wirausaha,
            Occupation::PelajarMahasiswa,
            Occupation::Lainnya,
        ]
        .map(|v| wire(serde_json::json!(v)));
        assert_eq!(occ, Attribute::Occupation.groups());
        let dis = [Disability::Yes, Disability::No, Disability::PreferNotToSay]
            .map(|v| wire(serde_json::json!(v)));
        assert_eq!(dis, Attribute::Disability.groups());
        let r = Respondent {
            education: Some(Education::D4S1),
            ..Default::default()
        };
        let v = Attribute::Education.value_of(&r);
        assert_eq!(v, Some("D4-S1"));
        assert_eq!(Attribute::Education.cell_of(v), 4);
        assert_eq!(Attribute::Sex.cell_of(None), 2);
        assert_eq!(Attribute::Sex.cell_name(2), NOT_STATED);
        assert_eq!(Attribute::parse("age_band"), Some(Attribute::AgeBand));
        assert_eq!(Attribute::parse("name"), None);
    }

    #[test]
    fn suppression_examples() {
        // Nothing small: nothing hidden.
        assert_eq!(suppress(&[40, 30, 0]), [false, false, false]);
        // One small cell: the next smallest goes too, or total − others shows it.
        assert_eq!(suppress(&[40, 30, 4]), [false, true, true]);
        // Two small cells of 5 and 4 hold 9 < 11 together: a third goes.
        assert_eq!(suppress(&[40, 30, 5, 4]), [false, true, true, true]);
        // Two small cells that hold 11 together are enough.
        assert_eq!(suppress(&[40, 6, 5, 0]), [false, true, true, false]);
        // A zero cell is hidden only when nothing else is left.
        assert_eq!(suppress(&[7, 0]), [true, true]);
        assert_eq!(suppress(&[]), Vec::<bool>::new());
    }

    /// What anyone can derive about the hidden cells from the shown cells and
    /// the total: their sum. For each hidden cell, every value from 0 to that
    /// sum is possible exactly when at least two cells are hidden.
    fn possible_values(
        counts: &[u64],
        hidden: &[bool],
        cell: usize,
    ) -> std::ops::RangeInclusive<u64> {
        let total: u64 = counts.iter().sum();
        let shown: u64 = counts
            .iter()
            .zip(hidden)
            .filter(|(_, h)| !**h)
            .map(|(n, _)| n)
            .sum();
        let rest = total - shown;
        let others_hidden = hidden
            .iter()
            .enumerate()
            .filter(|(i, h)| **h && *i != cell)
            .count();
        if others_hidden == 0 {
            rest..=rest
        } else {
            0..=rest
        }
    }

    proptest! {
        #[test]
        fn no_hidden_cell_can_be_recovered(counts in proptest::collection::vec(prop_oneof![0u64..=12, 0u64..200], 2..9)) {
            let hidden = suppress(&counts);
            let total: u64 = counts.iter().sum();
            for (i, &n) in counts.iter().enumerate() {
                if n > 0 && n < MIN_CELL {
                    prop_assert!(hidden[i], "small cell {i} shown: {counts:?}");
                }
                if hidden[i] {
                    let r = possible_values(&counts, &hidden, i);
                    prop_assert!(r.start() != r.end(), "cell {i} of {counts:?} is derivable: {hidden:?}");
                }
            }
            let hidden_sum: u64 = counts.iter().zip(&hidden).filter(|(_, h)| **h).map(|(n, _)| n).sum();
            if hidden.contains(&true) && total >= MIN_CELL {
                prop_assert!(hidden_sum >= MIN_CELL, "{counts:?} → {hidden:?}");
            }
        }
    }

    fn cell(rows: &[(u8, u8)]) -> Moments {
        let mut m = Moments::new(2);
        for &(a, b) in rows {
            m.record(&[Score::new(a.into()).ok(), Score::new(b.into()).ok()]);
        }
        m
    }

    #[test]
    fn breakdown_hides_small_groups_and_compares_with_the_largest() {
        let codes = [
            ItemCode::parse("U1").unwrap(),
            ItemCode::parse("U2").unwrap(),
        ];
        let women = cell(
            &[(4, 4); 30]
                .iter()
                .chain(&[(3, 3); 10])
                .copied()
                .collect::<Vec<_>>(),
        );
        let men = cell(
            &[(2, 3); 20]
                .iter()
                .chain(&[(3, 2); 5])
                .copied()
                .collect::<Vec<_>>(),
        );
        let unstated = cell(&[(1, 1); 3]);
        let b = Breakdown::compute(
            Attribute::Sex,
            &codes,
            &[women, men, unstated],
            None,
            ScoringMethod::Permenpan2017,
            384,
        );
        let names: Vec<(&str, bool)> = b
            .groups
            .iter()
            .map(|g| (g.group.as_str(), g.suppressed))
            .collect();
        // "not-stated" (3) is small; men (25), the smaller of the rest, hide with it.
        assert_eq!(
            names,
            [("female", false), ("male", true), ("not-stated", true)]
        );
        assert!(b.groups[1].summary.is_none() && b.groups[2].summary.is_none());
        assert_eq!(b.groups[0].summary.as_ref().unwrap().n, 40);
        assert_eq!(b.reference.as_deref(), Some("female"));
        assert!(b.gaps.is_empty(), "no other shown group to compare");
    }

    #[test]
    fn gaps_carry_welch_and_newcombe_intervals() {
        let codes = [
            ItemCode::parse("U1").unwrap(),
            ItemCode::parse("U2").unwrap(),
        ];
        let women = cell(
            &[(4, 4); 30]
                .iter()
                .chain(&[(3, 3); 10])
                .copied()
                .collect::<Vec<_>>(),
        );
        let men = cell(
            &[(2, 3); 20]
                .iter()
                .chain(&[(3, 2); 5])
                .copied()
                .collect::<Vec<_>>(),
        );
        let b = Breakdown::compute(
            Attribute::Sex,
            &codes,
            &[women, men, Moments::new(2)],
            None,
            ScoringMethod::Permenpan2017,
            384,
        );
        assert!(b.groups.iter().all(|g| !g.suppressed));
        assert_eq!(b.reference.as_deref(), Some("female"));
        let g = &b.gaps[0];
        assert_eq!((g.group.as_str(), g.reference.as_str()), ("male", "female"));
        // Men: U1 mean 2.2, women 3.75: a clear gap, interval below zero.
        let u1 = g.items[0].nrr.unwrap();
        assert!((u1.estimate - (2.2 - 3.75)).abs() < 1e-12);
        assert!(u1.interval.high < 0.0, "{u1:?}");
        // Share satisfied on U1: 5/25 against 40/40.
        let share = g.items[0].satisfied_share.unwrap();
        assert!((share.estimate - (0.2 - 1.0)).abs() < 1e-12 && share.interval.high < 0.0);
        let index = g.index.unwrap();
        assert!(
            index.estimate < 0.0 && index.interval.high < 0.0,
            "{index:?}"
        );
    }
}

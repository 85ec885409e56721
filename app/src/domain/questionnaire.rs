//! Questionnaires: versioned sets of items, each answered on a 1–4 scale.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A text in the two languages Suara speaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Localized {
    /// Indonesian.
    pub id: String,
    /// English.
    pub en: String,
}

impl Localized {
    pub fn new(id: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            en: en.into(),
        }
    }
}

/// The stable code of an item (standard), e.g. `U3` or `responsive`.
///
/// Items are identified by code, never by position; a code is 1–32 characters
/// of ASCII letters, digits, `-` and `_`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ItemCode(String);

impl ItemCode {
    pub fn parse(s: &str) -> Result<Self, String> {
        let ok = !s.is_empty()
            && s.len() <= 32
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if ok {
            Ok(Self(s.to_owned()))
        } else {
            Err(format!(
                "\"{s}\" is not an item code (1–32 letters, digits, '-' or '_')"
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ItemCode {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}

impl From<ItemCode> for String {
    fn from(c: ItemCode) -> String {
        c.0
    }
}

impl fmt::Display for ItemCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// One answer on the 1–4 scale. It cannot hold any other value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "i64", into = "u8")]
pub struct Score(u8);

impl Score {
    pub const MIN: u8 = 1;
    pub const MAX: u8 = 4;

    pub fn new(value: i64) -> Result<Self, String> {
        if (i64::from(Self::MIN)..=i64::from(Self::MAX)).contains(&value) {
            Ok(Self(value as u8))
        } else {
            Err(format!(
                "{value} is outside the scale; scores must be 1, 2, 3 or 4"
            ))
        }
    }

    pub fn get(self) -> u8 {
        self.0
    }

    /// Score 3 (Baik) or 4 (Sangat Baik).
    pub fn is_satisfied(self) -> bool {
        self.0 >= 3
    }
}

impl TryFrom<i64> for Score {
    type Error = String;
    fn try_from(v: i64) -> Result<Self, String> {
        Self::new(v)
    }
}

impl From<Score> for u8 {
    fn from(s: Score) -> u8 {
        s.0
    }
}

/// The wording of one answer on an item's own scale.
pub type AnswerOption = Localized;

/// One standard a citizen rates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Item {
    #[cfg_attr(feature = "ssr", schema(value_type = String, example = "U1"))]
    pub code: ItemCode,
    pub label: Localized,
    /// A question put to the citizen, in both languages.
    pub question: Localized,
    /// Wording of answers 1, 2, 3 and 4, in that order.
    pub options: [AnswerOption; 4],
}

/// How an index is computed and graded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum ScoringMethod {
    /// Permenpan RB No. 14/2017 (IKM, weight 1/k, grades at 65.00 / 76.61 / 88.31).
    Permenpan2017,
    /// Kepmenpan 25/2004 (grades at 43.76 / 62.51 / 81.26).
    Kepmenpan2004,
}

impl ScoringMethod {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Permenpan2017 => "permenpan-2017",
            Self::Kepmenpan2004 => "kepmenpan-2004",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "permenpan-2017" => Some(Self::Permenpan2017),
            "kepmenpan-2004" => Some(Self::Kepmenpan2004),
            _ => None,
        }
    }
}

/// A versioned, named set of items.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Questionnaire {
    /// Stable identifier, e.g. `skm-2017`.
    pub id: String,
    pub version: i64,
    pub name: Localized,
    pub method: ScoringMethod,
    pub items: Vec<Item>,
}

/// Why a questionnaire definition cannot be a new version.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QuestionnaireProblem {
    #[error("a questionnaire needs 1 to 50 items")]
    ItemCount,
    #[error("item code {0} appears twice")]
    DuplicateItem(String),
    #[error("a text is empty in {0}")]
    EmptyText(String),
}

impl Questionnaire {
    pub fn item(&self, code: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.code.as_str() == code)
    }

    /// What an edit must satisfy before it becomes a version: items, unique
    /// codes, every text in both languages.
    pub fn check(&self) -> Result<(), QuestionnaireProblem> {
        if self.items.is_empty() || self.items.len() > 50 {
            return Err(QuestionnaireProblem::ItemCount);
        }
        let blank = |t: &Localized| t.id.trim().is_empty() || t.en.trim().is_empty();
        if blank(&self.name) {
            return Err(QuestionnaireProblem::EmptyText("the name".into()));
        }
        for (k, item) in self.items.iter().enumerate() {
            if self.items[..k].iter().any(|i| i.code == item.code) {
                return Err(QuestionnaireProblem::DuplicateItem(item.code.to_string()));
            }
            if blank(&item.label) || blank(&item.question) || item.options.iter().any(blank) {
                return Err(QuestionnaireProblem::EmptyText(item.code.to_string()));
            }
        }
        Ok(())
    }
}

//! The optional respondent profile of SKM practice: who answered, by the
//! attributes the equity breakdowns group by.

use serde::{Deserialize, Serialize};

/// The optional respondent profile of SKM practice. Every field may be absent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Respondent {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sex: Option<Sex>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age_band: Option<AgeBand>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub education: Option<Education>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub occupation: Option<Occupation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disability: Option<Disability>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Sex {
    Female,
    Male,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum AgeBand {
    #[serde(rename = "under-20")]
    Under20,
    #[serde(rename = "20-29")]
    From20To29,
    #[serde(rename = "30-39")]
    From30To39,
    #[serde(rename = "40-49")]
    From40To49,
    #[serde(rename = "50-59")]
    From50To59,
    #[serde(rename = "60-plus")]
    From60,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Education {
    #[serde(rename = "SD")]
    Sd,
    #[serde(rename = "SMP")]
    Smp,
    #[serde(rename = "SMA")]
    Sma,
    #[serde(rename = "D1-D3")]
    D1D3,
    #[serde(rename = "D4-S1")]
    D4S1,
    #[serde(rename = "S2")]
    S2,
    #[serde(rename = "S3")]
    S3,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Occupation {
    Pns,
    TniPolri,
    Swasta,
    Wirausaha,
    PelajarMahasiswa,
    Lainnya,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Disability {
    Yes,
    No,
    PreferNotToSay,
}

impl Sex {
    /// Every value, in the order forms and tables list them.
    pub const ALL: [Self; 2] = [Self::Female, Self::Male];
}

impl AgeBand {
    /// Every value, in the order forms and tables list them.
    pub const ALL: [Self; 6] = [
        Self::Under20,
        Self::From20To29,
        Self::From30To39,
        Self::From40To49,
        Self::From50To59,
        Self::From60,
    ];
}

impl Education {
    /// Every value, in the order forms and tables list them.
    pub const ALL: [Self; 7] = [
        Self::Sd,
        Self::Smp,
        Self::Sma,
        Self::D1D3,
        Self::D4S1,
        Self::S2,
        Self::S3,
    ];
}

impl Occupation {
    /// Every value, in the order forms and tables list them.
    pub const ALL: [Self; 6] = [
        Self::Pns,
        Self::TniPolri,
        Self::Swasta,
        Self::Wirausaha,
        Self::PelajarMahasiswa,
        Self::Lainnya,
    ];
}

impl Disability {
    /// Every value, in the order forms and tables list them.
    pub const ALL: [Self; 3] = [Self::Yes, Self::No, Self::PreferNotToSay];
}

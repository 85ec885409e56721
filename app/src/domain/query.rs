//! What figures are asked for, typed once: which services (the scope), which
//! days, as a series or not, broken down or not, under which questionnaire.
//! The dashboard builds a [`FigureQuery`] from its address, the summary API
//! from its query string (`TryFrom` in `model::figures`), the SKM report
//! from its period; each refusal reads the same wherever it comes from.

use super::integrity::Flagged;
use super::period::{day_number, parse_day, Period};
use super::scoring::Attribute;
use time::Date;

/// Which services figures are of, named by code.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Scope {
    /// Every service the caller may see.
    #[default]
    All,
    Service(String),
    Unit(String),
    Agency(String),
}

impl Scope {
    /// `all`, `service`, `unit` or `agency`.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::All => "all",
            Self::Service(_) => "service",
            Self::Unit(_) => "unit",
            Self::Agency(_) => "agency",
        }
    }

    pub fn code(&self) -> Option<&str> {
        match self {
            Self::All => None,
            Self::Service(c) | Self::Unit(c) | Self::Agency(c) => Some(c),
        }
    }

    /// At most one of the three codes.
    pub fn of(
        service: Option<String>,
        unit: Option<String>,
        agency: Option<String>,
    ) -> Result<Self, QueryError> {
        match (service, unit, agency) {
            (None, None, None) => Ok(Self::All),
            (Some(s), None, None) => Ok(Self::Service(s)),
            (None, Some(u), None) => Ok(Self::Unit(u)),
            (None, None, Some(a)) => Ok(Self::Agency(a)),
            _ => Err(QueryError::AmbiguousScope),
        }
    }
}

/// Whole UTC days, both ends inclusive; `None` is open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DayRange {
    pub first: Option<Date>,
    pub last: Option<Date>,
}

impl DayRange {
    /// `first` must not come after `last`.
    pub fn new(first: Option<Date>, last: Option<Date>) -> Result<Self, QueryError> {
        match (first, last) {
            (Some(f), Some(l)) if f > l => Err(QueryError::EmptyPeriod),
            _ => Ok(Self { first, last }),
        }
    }

    /// From days as sent (`YYYY-MM-DD`).
    pub fn parse(first: Option<&str>, last: Option<&str>) -> Result<Self, QueryError> {
        let day = |s: &str| parse_day(s).ok_or_else(|| QueryError::InvalidDate(s.to_owned()));
        Self::new(first.map(day).transpose()?, last.map(day).transpose()?)
    }

    /// As day numbers, the end exclusive (the day after the last), as the
    /// roll-ups are read.
    pub fn day_numbers(self) -> (Option<i64>, Option<i64>) {
        (
            self.first.map(day_number),
            self.last.map(|d| day_number(d) + 1),
        )
    }
}

/// The figures someone asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FigureQuery {
    pub scope: Scope,
    pub days: DayRange,
    /// A series, one figure per period.
    pub by: Option<Period>,
    /// A breakdown by this respondent attribute.
    pub group: Option<Attribute>,
    /// By default the questionnaire most services in the scope use.
    pub questionnaire: Option<String>,
    /// Whether the figures count flagged responses (by default not).
    pub flagged: Flagged,
}

/// Why a query cannot be asked; the words are the API's and the pages'.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    #[error("name at most one of `service`, `unit` and `agency`")]
    AmbiguousScope,
    #[error("\"{0}\" is not a day (YYYY-MM-DD, UTC); summaries count whole days")]
    InvalidDate(String),
    #[error("`from` must not come after `to`")]
    EmptyPeriod,
    #[error("by=\"{0}\": use week, month or quarter")]
    InvalidPeriod(String),
    #[error("group=\"{0}\": use sex, age_band, education, occupation or disability")]
    InvalidGroup(String),
    #[error("flagged=\"{0}\": use include or exclude")]
    InvalidFlagged(String),
}

impl QueryError {
    /// A short name of the kind of problem.
    pub fn slug(&self) -> &'static str {
        match self {
            Self::AmbiguousScope => "ambiguous-scope",
            Self::InvalidFlagged(_) => "invalid-flagged",
            Self::InvalidDate(_) => "invalid-date",
            Self::EmptyPeriod => "empty-period",
            Self::InvalidPeriod(_) => "invalid-period",
            Self::InvalidGroup(_) => "invalid-group",
        }
    }
}

impl FigureQuery {
    /// From the fields of a query string (empty or absent alike).
    pub fn parse(fields: QueryFields<'_>) -> Result<Self, QueryError> {
        let fields = fields.given();
        let owned = |s: Option<&str>| s.map(str::to_owned);
        Ok(Self {
            scope: Scope::of(
                owned(fields.service),
                owned(fields.unit),
                owned(fields.agency),
            )?,
            days: DayRange::parse(fields.from, fields.to)?,
            by: fields
                .by
                .map(|s| Period::parse(s).ok_or_else(|| QueryError::InvalidPeriod(s.to_owned())))
                .transpose()?,
            group: fields
                .group
                .map(|s| Attribute::parse(s).ok_or_else(|| QueryError::InvalidGroup(s.to_owned())))
                .transpose()?,
            questionnaire: owned(fields.questionnaire),
            flagged: fields
                .flagged
                .map(|s| Flagged::parse(s).ok_or_else(|| QueryError::InvalidFlagged(s.to_owned())))
                .transpose()?
                .unwrap_or_default(),
        })
    }
}

/// The fields of a figures query as text.
#[derive(Clone, Copy, Debug, Default)]
pub struct QueryFields<'a> {
    pub service: Option<&'a str>,
    pub unit: Option<&'a str>,
    pub agency: Option<&'a str>,
    pub questionnaire: Option<&'a str>,
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
    pub by: Option<&'a str>,
    pub group: Option<&'a str>,
    pub flagged: Option<&'a str>,
}

impl<'a> QueryFields<'a> {
    /// Empty fields as absent: a form sends `unit=` for "every unit".
    fn given(self) -> Self {
        let given = |s: Option<&'a str>| s.filter(|s| !s.trim().is_empty());
        Self {
            service: given(self.service),
            unit: given(self.unit),
            agency: given(self.agency),
            questionnaire: given(self.questionnaire),
            from: given(self.from),
            to: given(self.to),
            by: given(self.by),
            group: given(self.group),
            flagged: given(self.flagged),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn queries_parse_once_with_the_words_of_their_refusals() {
        let q = FigureQuery::parse(QueryFields {
            unit: Some("kanim-jaksel"),
            from: Some("2026-01-01"),
            to: Some("2026-01-31"),
            by: Some("week"),
            group: Some("sex"),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(q.scope, Scope::Unit("kanim-jaksel".into()));
        assert_eq!(q.days.first, Some(date!(2026 - 01 - 01)));
        assert_eq!(q.by, Some(Period::Week));
        assert_eq!(q.group, Some(Attribute::Sex));
        let (from, to) = q.days.day_numbers();
        assert_eq!(to.unwrap() - from.unwrap(), 31);

        // A form's empty fields are fields not given: `service=&unit=x` is the unit.
        let blank = FigureQuery::parse(QueryFields {
            service: Some(""),
            unit: Some("kanim-jaksel"),
            agency: Some(" "),
            from: Some(""),
            by: Some(""),
            ..Default::default()
        })
        .unwrap();
        assert_eq!(blank.scope, Scope::Unit("kanim-jaksel".into()));
        assert_eq!((blank.days.first, blank.by), (None, None));

        let err = |f: QueryFields<'_>| FigureQuery::parse(f).unwrap_err().to_string();
        assert_eq!(
            err(QueryFields {
                unit: Some("a"),
                service: Some("b"),
                ..Default::default()
            }),
            "name at most one of `service`, `unit` and `agency`"
        );
        assert_eq!(
            err(QueryFields {
                from: Some("2026-13-01"),
                ..Default::default()
            }),
            "\"2026-13-01\" is not a day (YYYY-MM-DD, UTC); summaries count whole days"
        );
        assert_eq!(
            err(QueryFields {
                from: Some("2026-02-01"),
                to: Some("2026-01-01"),
                ..Default::default()
            }),
            "`from` must not come after `to`"
        );
        assert_eq!(
            err(QueryFields {
                by: Some("day"),
                ..Default::default()
            }),
            "by=\"day\": use week, month or quarter"
        );
        assert!(err(QueryFields {
            group: Some("age"),
            ..Default::default()
        })
        .starts_with("group=\"age\""));
    }
}

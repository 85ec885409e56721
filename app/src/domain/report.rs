//! What a unit adds to its SKM report for a period, as regional e-SKM
//! report builders ask for it: the day of the public consultation forum
//! (FKP) that discussed the results, who signs the report (name, position,
//! NIP), and how the sample was reached. Checked the same way wherever it
//! is written.

use serde::{Deserialize, Serialize};

/// The longest name or position kept, in characters.
pub const MAX_NAME: usize = 200;
/// The longest account of the sampling kept, in characters.
pub const MAX_SAMPLING: usize = 2000;

/// A unit's details of its report for one period.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ReportDetails {
    /// The day the public consultation forum (Forum Konsultasi Publik)
    /// discussed the results, `YYYY-MM-DD`.
    pub fkp_date: Option<String>,
    /// Who signs the report: the head of the unit, usually.
    pub signatory_name: String,
    pub signatory_position: String,
    /// The signatory's civil-service number (NIP): 18 digits, or empty.
    pub signatory_nip: String,
    /// How the sample was reached (where and how people were asked).
    pub sampling: String,
}

/// What is wrong with report details.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DetailsError {
    #[error("the forum's day is not a date (YYYY-MM-DD)")]
    BadDate,
    #[error("a NIP has 18 digits")]
    BadNip,
    #[error("{0} is longer than allowed")]
    TooLong(&'static str),
    #[error("{0} {1}")]
    Control(&'static str, super::text::ControlCharacter),
}

impl ReportDetails {
    /// The details as kept: trimmed, the NIP without the spaces people
    /// write in it; or what is wrong.
    pub fn checked(self) -> Result<Self, DetailsError> {
        let fkp_date = self
            .fkp_date
            .map(|d| d.trim().to_owned())
            .filter(|d| !d.is_empty());
        if let Some(d) = &fkp_date {
            super::period::parse_day(d).ok_or(DetailsError::BadDate)?;
        }
        let nip: String = self.signatory_nip.chars().filter(|c| *c != ' ').collect();
        if !nip.is_empty() && (nip.len() != 18 || !nip.bytes().all(|b| b.is_ascii_digit())) {
            return Err(DetailsError::BadNip);
        }
        let text = |field: &'static str, value: &str, max: usize| {
            let value = value.trim();
            super::text::check(value).map_err(|e| DetailsError::Control(field, e))?;
            if value.chars().count() > max {
                return Err(DetailsError::TooLong(field));
            }
            Ok(value.to_owned())
        };
        Ok(Self {
            fkp_date,
            signatory_name: text("the signatory's name", &self.signatory_name, MAX_NAME)?,
            signatory_position: text("the position", &self.signatory_position, MAX_NAME)?,
            signatory_nip: nip,
            sampling: text("the sampling", &self.sampling, MAX_SAMPLING)?,
        })
    }

    /// Nothing was set.
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn details(nip: &str, date: Option<&str>) -> ReportDetails {
        ReportDetails {
            fkp_date: date.map(str::to_owned),
            signatory_name: "  Dra. Siti Rahma, M.Si. ".into(),
            signatory_position: "Kepala Kantor".into(),
            signatory_nip: nip.into(),
            sampling: "Accidental sampling di loket".into(),
        }
    }

    #[test]
    fn details_are_kept_trimmed_with_the_nip_as_digits() {
        let d = details("19700101 199503 2 001", Some("2026-07-15"))
            .checked()
            .unwrap();
        assert_eq!(d.signatory_name, "Dra. Siti Rahma, M.Si.");
        assert_eq!(d.signatory_nip, "197001011995032001");
        assert_eq!(d.fkp_date.as_deref(), Some("2026-07-15"));
        assert!(details("", None).checked().is_ok(), "everything may wait");
        assert_eq!(
            details("", Some(" ")).checked().unwrap().fkp_date,
            None,
            "an empty day is no day"
        );
    }

    #[test]
    fn a_bad_nip_date_length_or_control_character_is_refused() {
        assert_eq!(details("12345", None).checked(), Err(DetailsError::BadNip));
        assert_eq!(
            details("19700101199503200X", None).checked(),
            Err(DetailsError::BadNip)
        );
        assert_eq!(
            details("", Some("2026-02-30")).checked(),
            Err(DetailsError::BadDate)
        );
        let mut long = details("", None);
        long.signatory_position = "x".repeat(MAX_NAME + 1);
        assert_eq!(long.checked(), Err(DetailsError::TooLong("the position")));
        let mut nul = details("", None);
        nul.sampling = "di loket\u{0}".into();
        assert!(matches!(nul.checked(), Err(DetailsError::Control(..))));
    }
}

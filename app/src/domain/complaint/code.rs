//! Tracking codes: 11 random characters of Crockford's base32 alphabet and a
//! 12th, the Luhn mod 32 check character over the 11, shown as
//! `XXXX-XXXX-XXXX`. The device makes one when the citizen submits, so the
//! code is on the receipt before any signal; a mistyped code is caught by its
//! check character before any request is made.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// Crockford's base32: digits and letters without I, L, O and U.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A tracking code whose check character is right. Displays and travels as
/// `XXXX-XXXX-XXXX`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TrackingCode([u8; 12]);

/// Why text is not a tracking code; the form says which.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    #[error("a tracking code has 12 characters, not {0}")]
    Length(usize),
    #[error("\"{0}\" is not a character of a tracking code")]
    Character(char),
    #[error("the code is mistyped: its last character does not match the others")]
    Check,
}

/// The value of a character as Crockford reads it: any case, `O` as zero,
/// `I` and `L` as one.
fn value(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        c => c,
    };
    ALPHABET
        .iter()
        .position(|&a| a as char == c)
        .map(|i| i as u8)
}

/// Luhn mod 32 over `values`, the last one counted as the check value:
/// zero when the check value is right. A single changed character always
/// changes it (doubling is a permutation of 0..32).
fn luhn_sum(values: impl DoubleEndedIterator<Item = u8>, double_first: bool) -> u32 {
    let mut double = double_first;
    values.rev().fold(0, |sum, v| {
        let addend = u32::from(v) * if double { 2 } else { 1 };
        double = !double;
        sum + addend / 32 + addend % 32
    })
}

impl TrackingCode {
    /// A new code from 11 random bytes (5 bits of each are used: 55 bits).
    pub fn from_random(random: [u8; 11]) -> Self {
        let mut values = [0u8; 12];
        for (v, r) in values.iter_mut().zip(random) {
            *v = r % 32;
        }
        let sum = luhn_sum(values[..11].iter().copied(), true);
        values[11] = ((32 - sum % 32) % 32) as u8;
        Self(values.map(|v| ALPHABET[usize::from(v)]))
    }

    /// Reads a code as a person may type or say it: with or without hyphens
    /// and spaces, in any case, `O` as zero and `I`/`L` as one.
    pub fn parse(text: &str) -> Result<Self, CodeError> {
        let mut values = Vec::with_capacity(12);
        for c in text.chars().filter(|c| !matches!(c, '-' | ' ')) {
            values.push(value(c).ok_or(CodeError::Character(c))?);
        }
        if values.len() != 12 {
            return Err(CodeError::Length(values.len()));
        }
        if luhn_sum(values.iter().copied(), false) % 32 != 0 {
            return Err(CodeError::Check);
        }
        let mut chars = [0u8; 12];
        for (c, v) in chars.iter_mut().zip(values) {
            *c = ALPHABET[usize::from(v)];
        }
        Ok(Self(chars))
    }

    /// The twelve characters without hyphens, as addresses carry them.
    pub fn compact(&self) -> String {
        self.0.iter().map(|&b| b as char).collect()
    }
}

impl fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.compact();
        write!(f, "{}-{}-{}", &s[..4], &s[4..8], &s[8..])
    }
}

impl Serialize for TrackingCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for TrackingCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Self::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn shown_in_three_groups_and_read_back_in_every_form() {
        let code = TrackingCode::from_random([7, 200, 31, 0, 64, 99, 1, 250, 18, 33, 5]);
        let shown = code.to_string();
        assert_eq!(shown.len(), 14);
        assert_eq!(shown.matches('-').count(), 2);
        for typed in [
            shown.clone(),
            shown.to_lowercase(),
            shown.replace('-', ""),
            shown.replace('-', " "),
        ] {
            assert_eq!(TrackingCode::parse(&typed), Ok(code), "{typed}");
        }
    }

    #[test]
    fn crockford_reads_o_as_zero_and_i_l_as_one() {
        let code = TrackingCode::from_random([0, 1, 0, 1, 0, 1, 0, 1, 0, 1, 0]);
        let shown = code.compact();
        assert!(shown.starts_with("0101"), "{shown}");
        let misread: String = shown
            .chars()
            .enumerate()
            .map(|(i, c)| match (c, i % 3) {
                ('0', _) => 'o',
                ('1', 0) => 'I',
                ('1', 1) => 'l',
                (c, _) => c,
            })
            .collect();
        assert_eq!(TrackingCode::parse(&misread), Ok(code), "{misread}");
    }

    #[test]
    fn what_is_not_a_code_says_why() {
        assert_eq!(TrackingCode::parse("ABCD-EFGH"), Err(CodeError::Length(8)));
        assert_eq!(
            TrackingCode::parse("ABCD-EFGH-JKU0"),
            Err(CodeError::Character('U'))
        );
        assert_eq!(TrackingCode::parse(""), Err(CodeError::Length(0)));
    }

    #[test]
    fn every_single_character_error_is_caught() {
        for seed in 0u8..32 {
            let random: [u8; 11] =
                std::array::from_fn(|i| seed.wrapping_mul(7).wrapping_add(i as u8 * 13));
            let code = TrackingCode::from_random(random).compact();
            for position in 0..12 {
                for &wrong in ALPHABET {
                    let mut typed: Vec<u8> = code.bytes().collect();
                    if typed[position] == wrong {
                        continue;
                    }
                    typed[position] = wrong;
                    let typed = String::from_utf8(typed).unwrap();
                    assert_eq!(
                        TrackingCode::parse(&typed),
                        Err(CodeError::Check),
                        "{code} typed as {typed}"
                    );
                }
            }
        }
    }

    proptest! {
        #[test]
        fn every_made_code_is_valid_and_round_trips(random in any::<[u8; 11]>()) {
            let code = TrackingCode::from_random(random);
            prop_assert_eq!(TrackingCode::parse(&code.to_string()), Ok(code));
            let json = serde_json::to_string(&code).unwrap();
            prop_assert_eq!(serde_json::from_str::<TrackingCode>(&json).unwrap(), code);
        }
    }
}

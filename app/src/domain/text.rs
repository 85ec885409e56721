//! Free text as Suara keeps it: whatever people write (letters and marks of
//! any script, numbers, punctuation, symbols, emoji, spaces), with line
//! breaks and tabs, and no control characters. A control character is never
//! something a person typed; it breaks terminals, spreadsheets and logs, and
//! PostgreSQL cannot store NUL at all — so it is refused, the same way on
//! both engines, before anything is kept.

/// A control character found in free text: which, and at which character
/// (from 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "holds a control character (U+{code:04X}) at character {at}; only letters, numbers, \
     punctuation, spaces, line breaks and tabs may be used",
    code = u32::from(*.found)
)]
pub struct ControlCharacter {
    pub found: char,
    pub at: usize,
}

/// `Err` with the first control character of `text` other than a line
/// break (LF, CR) or a tab.
pub fn check(text: &str) -> Result<(), ControlCharacter> {
    match text
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
    {
        Some((i, found)) => Err(ControlCharacter { found, at: i + 1 }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_people_write_passes() {
        for ok in [
            "Pelayanan cepat, petugas ramah. Terima kasih!",
            "Antre 2 jam.\r\nLoket 3 tutup\tjam 12:00.",
            "ꦱꦸꦫꦏꦂꦠ (aksara Jawa), ᮞᮥᮔ᮪ᮓ (Sunda), ᨅᨘᨁᨗ (Lontara), العربية",
            "Biaya Rp 50.000 — tidak sesuai 😡 e\u{301}",
            "zero\u{200d}width joiners stay",
            "",
        ] {
            assert_eq!(check(ok), Ok(()), "{ok:?}");
        }
    }

    #[test]
    fn control_characters_are_named_with_their_place() {
        assert_eq!(
            check("ab\u{0}c"),
            Err(ControlCharacter {
                found: '\u{0}',
                at: 3
            })
        );
        for bad in [
            '\u{1}', '\u{8}', '\u{b}', '\u{c}', '\u{1b}', '\u{7f}', '\u{85}', '\u{9f}',
        ] {
            let text = format!("teks {bad}");
            assert_eq!(check(&text).unwrap_err().found, bad);
        }
        let e = check("\u{1}").unwrap_err().to_string();
        assert!(e.contains("U+0001"), "{e}");
        assert!(e.contains("character 1"), "{e}");
    }
}

//! Redaction of complaint text shown to anyone but the unit: phone numbers
//! (`+62…`, `62…`, `08…`), e-mail addresses and 16-digit NIKs become a
//! bracketed word; every other number stays as written.

pub const PHONE: &str = "[telepon]";
pub const EMAIL: &str = "[email]";
pub const NIK: &str = "[NIK]";

/// `text` with phone numbers, e-mail addresses and NIKs replaced.
pub fn redact(text: &str) -> String {
    numbers(&emails(text))
}

fn is_local(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_domain(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '-')
}

/// Replaces every `local@domain.tld`.
fn emails(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut copied = 0;
    while i < chars.len() {
        if chars[i] == '@' {
            let start = (0..i)
                .rev()
                .take_while(|&j| is_local(chars[j]))
                .last()
                .unwrap_or(i);
            let mut end = i + 1;
            while end < chars.len() && is_domain(chars[end]) {
                end += 1;
            }
            // A sentence's full stop is not part of the domain.
            while end > i + 1 && chars[end - 1] == '.' {
                end -= 1;
            }
            let domain: String = chars[i + 1..end].iter().collect();
            let dot = domain
                .rfind('.')
                .is_some_and(|d| d > 0 && domain.len() - d > 2);
            if start < i && dot && start >= copied {
                out.extend(&chars[copied..start]);
                out.push_str(EMAIL);
                copied = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    out.extend(&chars[copied.min(chars.len())..]);
    out
}

/// What a run of digits (with single spaces, hyphens, dots or brackets
/// between groups, and an optional leading `+`) is.
fn classify(run: &str) -> Option<&'static str> {
    let digits: String = run.chars().filter(char::is_ascii_digit).collect();
    let n = digits.len();
    if n == 16 && !run.starts_with('+') {
        return Some(NIK);
    }
    let mobile = digits.starts_with("08") && (10..=13).contains(&n);
    let international = digits.starts_with("62") && (10..=15).contains(&n);
    let landline = run.starts_with("(0") && (9..=12).contains(&n);
    (mobile || international || landline).then_some(PHONE)
}

/// Replaces phone numbers and NIKs among the runs of digits.
fn numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let starts = chars[i].is_ascii_digit()
            || (matches!(chars[i], '+' | '(')
                && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        let inside_word = i > 0 && (chars[i - 1].is_alphanumeric());
        if !starts || inside_word {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        // The run: digits, and separators of one or two characters (`) `)
        // between groups of digits.
        let separator = |c: &char| matches!(c, ' ' | '-' | '.' | ')');
        let mut end = i + 1;
        while end < chars.len() {
            if chars[end].is_ascii_digit() {
                end += 1;
                continue;
            }
            let gap = chars[end..]
                .iter()
                .take(2)
                .take_while(|c| separator(c))
                .count();
            if gap > 0 && chars.get(end + gap).is_some_and(char::is_ascii_digit) {
                end += gap;
            } else {
                break;
            }
        }
        let run: String = chars[i..end].iter().collect();
        let glued = chars.get(end).is_some_and(|c| c.is_alphanumeric());
        // An amount of money is never a phone number.
        let before: String = chars[..i].iter().collect();
        let money = before.trim_end().to_lowercase().ends_with("rp")
            || before.trim_end().to_lowercase().ends_with("rp.");
        match classify(&run) {
            Some(word) if !glued && !money => out.push_str(word),
            _ => out.push_str(&run),
        }
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_numbers_in_the_forms_people_write_them() {
        for (said, shown) in [
            (
                "hubungi saya di 081234567890 ya",
                "hubungi saya di [telepon] ya",
            ),
            ("WA 0812-3456-7890.", "WA [telepon]."),
            ("nomor 0812 3456 789", "nomor [telepon]"),
            (
                "+62 812 3456 7890 atau +6281234567890",
                "[telepon] atau [telepon]",
            ),
            ("62812.3456.7890", "[telepon]"),
            ("kantor (021) 555-1234", "kantor [telepon]"),
        ] {
            assert_eq!(redact(said), shown, "{said}");
        }
    }

    #[test]
    fn emails_and_niks() {
        assert_eq!(
            redact("kirim ke budi.santoso+lapor@mail.example.co.id. Terima kasih"),
            "kirim ke [email]. Terima kasih"
        );
        assert_eq!(redact("NIK saya 3201234567890001"), "NIK saya [NIK]");
        assert_eq!(redact("NIK 3201 2345 6789 0001!"), "NIK [NIK]!");
        assert_eq!(redact("a@b and @handle and x@y"), "a@b and @handle and x@y");
    }

    #[test]
    fn ordinary_numbers_stay() {
        for text in [
            "antre 3 jam, nomor antrean 127",
            "diminta Rp 50.000 tanpa kuitansi",
            "biaya Rp 625.000.000 untuk gedung",
            "anggaran Rp 6.250.000.000 dan Rp. 62.000.000.000",
            "tanggal 05-11-2026 pukul 08.30",
            "loket 08 tutup",
            "paspor nomor C1234567",
            "kode 12345678901234567890",
            "tahun 2026, 17 Agustus",
        ] {
            assert_eq!(redact(text), text);
        }
    }

    #[test]
    fn text_without_anything_to_hide_is_unchanged_to_the_letter() {
        let text = "Pelayanan lambat — mesin antrean rusak sejak Senin; petugas ramah.";
        assert_eq!(redact(text), text);
    }
}

//! Redaction of complaint text shown to anyone but the unit: what identifies
//! a person becomes a bracketed word, and every other number stays as
//! written (dates, times, money, counter and street numbers).
//!
//! - **Phone numbers** in the forms Indonesians write them: `08…`, `+62` or
//!   `62 …`, without the leading 0 (`812-3456-7890`), landlines (`021-…`,
//!   `(021) …`), grouped by spaces, dots, dashes or brackets, and glued to
//!   words (`WA081234567890`, `HP:0812…`, `telp.021…`).
//! - **NIK and KK** numbers: 16 digits, glued or grouped.
//! - **E-mail addresses**, also written to dodge filters: `budi @ gmail.com`,
//!   `budi(at)gmail.com`, `budi [at] gmail [dot] com`, `budi at gmail dot com`.
//! - **Bank account numbers**: 10 to 15 digits that are no phone number.
//! - **Vehicle plates**: `B 1234 XYZ`, `AB1234CD` (a region's letters, up to
//!   four digits, up to three letters).
//!
//! Two passes over the text, each moving forward only, with look-arounds of
//! bounded length: time and memory are linear in the text (a property test
//! counts the steps on adversarial texts).

pub const PHONE: &str = "[telepon]";
pub const EMAIL: &str = "[email]";
pub const NIK: &str = "[NIK]";
pub const ACCOUNT: &str = "[rekening]";
pub const PLATE: &str = "[nopol]";

/// `text` with phone numbers, e-mail addresses, NIK/KK, bank accounts and
/// plates replaced.
pub fn redact(text: &str) -> String {
    let mut steps = 0;
    redact_counting(text, &mut steps)
}

/// [`redact`], adding to `steps` every character it looks at.
pub fn redact_counting(text: &str, steps: &mut usize) -> String {
    let without_emails = emails(&text.chars().collect::<Vec<_>>(), steps);
    numbers(&without_emails.chars().collect::<Vec<_>>(), steps)
}

/// Longest local part looked back over (RFC 5321's limit).
const LOCAL_MAX: usize = 64;
/// Longest domain looked ahead over.
const DOMAIN_MAX: usize = 255;

fn is_local(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-')
}

fn is_label(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

/// `word` (lower case) at `i`, in any case.
fn word_at(chars: &[char], i: usize, word: &str) -> bool {
    let n = word.chars().count();
    chars.len() >= i + n
        && chars[i..i + n]
            .iter()
            .zip(word.chars())
            .all(|(c, w)| c.to_ascii_lowercase() == w)
}

/// `(at)`, `[at]`, `{at}`, `<at>` (spaces allowed inside): its length.
fn bracketed(chars: &[char], i: usize, word: &str) -> Option<usize> {
    let close = match chars.get(i)? {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        '<' => '>',
        _ => return None,
    };
    let mut j = i + 1;
    if chars.get(j) == Some(&' ') {
        j += 1;
    }
    if !word_at(chars, j, word) {
        return None;
    }
    j += word.len();
    if chars.get(j) == Some(&' ') {
        j += 1;
    }
    (chars.get(j) == Some(&close)).then_some(j + 1 - i)
}

/// The at-sign at `i` in any of its disguises: its length.
fn at_sign(chars: &[char], i: usize) -> Option<usize> {
    if chars[i] == '@' {
        return Some(1);
    }
    if let Some(n) = bracketed(chars, i, "at") {
        return Some(n);
    }
    // ` at `, as in `budi at gmail dot com`.
    (chars[i] == ' ' && word_at(chars, i + 1, "at") && chars.get(i + 3) == Some(&' ')).then_some(4)
}

/// A dot between domain labels at `i` (`.`, ` . `, `(dot)`, ` dot `, with a
/// space around the spelled forms): where the next label starts.
fn dot_at(chars: &[char], i: usize) -> Option<usize> {
    let spaced = chars.get(i) == Some(&' ');
    let k = if spaced { i + 1 } else { i };
    let after = if chars.get(k) == Some(&'.') {
        // A plain dot has no space after it unless it had one before.
        k + 1 + usize::from(spaced && chars.get(k + 1) == Some(&' '))
    } else if let Some(n) = bracketed(chars, k, "dot") {
        k + n + usize::from(chars.get(k + n) == Some(&' '))
    } else if spaced && word_at(chars, k, "dot") && chars.get(k + 3) == Some(&' ') {
        k + 4
    } else {
        return None;
    };
    if spaced && chars.get(k) == Some(&'.') && after == k + 1 {
        return None; // ` .x`: a sentence, not a domain
    }
    chars
        .get(after)
        .is_some_and(|c| is_label(*c))
        .then_some(after)
}

/// Where the domain starting at `i` ends, if it is one: labels joined by
/// dots, the last of at least two letters (the longest such, so that
/// `a.com.B` is `a.com` and what follows).
fn domain_end(chars: &[char], i: usize, steps: &mut usize) -> Option<usize> {
    let limit = (i + DOMAIN_MAX).min(chars.len());
    let mut j = i;
    let mut labels = 0;
    let mut found = None;
    loop {
        let start = j;
        while j < limit && is_label(chars[j]) {
            *steps += 1;
            j += 1;
        }
        if j == start {
            break;
        }
        labels += 1;
        // The top-level domain: the label's letters, up to a digit glued on
        // (`a@b.com0812…` is an address and a phone number).
        let letters = chars[start..j]
            .iter()
            .take_while(|c| c.is_ascii_alphabetic())
            .count();
        let whole = letters == j - start;
        let glued = chars.get(start + letters).is_some_and(char::is_ascii_digit);
        if labels >= 2 && letters >= 2 && (whole || glued) {
            found = Some(start + letters);
        }
        match dot_at(chars, j) {
            Some(next) if next < limit => j = next,
            _ => break,
        }
    }
    found
}

/// Replaces every e-mail address, plain or disguised.
fn emails(chars: &[char], steps: &mut usize) -> String {
    let mut out = String::with_capacity(chars.len());
    let mut copied = 0;
    let mut i = 0;
    while i < chars.len() {
        *steps += 1;
        let Some(n) = at_sign(chars, i) else {
            i += 1;
            continue;
        };
        // ` at ` holds its spaces; `@` and `(at)` may have one around them.
        let spaced = chars[i] != ' ';
        // The local part, back from the sign.
        let mut s = i;
        if spaced && s > copied && chars[s - 1] == ' ' {
            s -= 1;
        }
        let local_end = s;
        while s > copied && local_end - s < LOCAL_MAX && is_local(chars[s - 1]) {
            *steps += 1;
            s -= 1;
        }
        // The domain, after it (one space allowed after it).
        let mut d = i + n;
        if spaced && chars.get(d) == Some(&' ') {
            d += 1;
        }
        let domain = domain_end(chars, d, steps);
        // A local part does not start with a dot: the address starts after it.
        while s < local_end && chars[s] == '.' {
            s += 1;
        }
        match domain {
            Some(end) if s < local_end => {
                out.extend(&chars[copied..s]);
                out.push_str(EMAIL);
                copied = end;
                i = end;
            }
            _ => i += 1,
        }
    }
    out.extend(&chars[copied..]);
    out
}

/// The letters a plate starts with: Indonesia's registration regions.
const REGIONS: [&str; 60] = [
    "A", "B", "D", "E", "F", "G", "H", "K", "L", "M", "N", "P", "R", "S", "T", "W", "Z", "AA",
    "AB", "AD", "AE", "AG", "BA", "BB", "BD", "BE", "BG", "BH", "BK", "BL", "BM", "BN", "BP", "DA",
    "DB", "DC", "DD", "DE", "DG", "DH", "DK", "DL", "DM", "DN", "DR", "DS", "DT", "EA", "EB", "ED",
    "KB", "KH", "KT", "KU", "PA", "PB", "BJ", "BR", "DW", "PG",
];

/// A plate starting at `i` (a word's start): where it ends.
fn plate_end(chars: &[char], i: usize) -> Option<usize> {
    let upper = |j: usize| chars.get(j).is_some_and(char::is_ascii_uppercase);
    let digit = |j: usize| chars.get(j).is_some_and(char::is_ascii_digit);
    let mut j = i;
    while j < i + 2 && upper(j) {
        j += 1;
    }
    let region: String = chars[i..j].iter().collect();
    if !REGIONS.contains(&region.as_str()) {
        return None;
    }
    if chars.get(j) == Some(&' ') {
        j += 1;
    }
    let numbers = j;
    while j < numbers + 4 && digit(j) {
        j += 1;
    }
    if j == numbers || chars[numbers] == '0' || digit(j) {
        return None;
    }
    if chars.get(j) == Some(&' ') {
        j += 1;
    }
    let letters = j;
    while j < letters + 3 && upper(j) {
        j += 1;
    }
    // Not glued to a word, nor to a word this redaction wrote (`[telepon]`),
    // so that redacting again changes nothing.
    let bounded = chars
        .get(j)
        .is_none_or(|c| !c.is_alphanumeric() && *c != '[');
    (j > letters && bounded).then_some(j)
}

/// A group of a number run: its characters, its digits, whether it is
/// digits only, and whether it holds a `/` (a date or a file number, never
/// a phone, an identity or an account).
struct Chunk {
    from: usize,
    to: usize,
    digits: String,
    pure: bool,
    slashed: bool,
}

impl Chunk {
    /// A country or area code written apart: `+62`, `62`, `(021)`.
    fn prefix(&self, chars: &[char]) -> bool {
        if self.to - self.from > 6 {
            return false;
        }
        let s: String = chars[self.from..self.to].iter().collect();
        s == "+62" || s == "62" || (s.starts_with("(0") && s.ends_with(')'))
    }
}

/// What the digits of a span are.
fn classify(digits: &str, plus: bool) -> Option<&'static str> {
    let n = digits.len();
    let phone = (digits.starts_with("62") && (10..=14).contains(&n))
        || (!plus && digits.starts_with('0') && (9..=13).contains(&n))
        || (!plus && digits.starts_with('8') && (9..=12).contains(&n));
    if n == 16 && !plus {
        Some(NIK)
    } else if phone {
        Some(PHONE)
    } else if (10..=15).contains(&n) && !plus {
        Some(ACCOUNT)
    } else {
        None
    }
}

/// A gap between digit groups: up to three of space, `-`, `.`, `/`, `(`,
/// `)`, followed by a digit; its length and whether it holds a space.
fn gap(chars: &[char], i: usize) -> Option<(usize, bool)> {
    let sep = |c: &char| matches!(c, ' ' | '-' | '.' | '/' | '(' | ')');
    let n = chars[i..].iter().take(3).take_while(|c| sep(c)).count();
    (n > 0 && chars.get(i + n).is_some_and(char::is_ascii_digit))
        .then(|| (n, chars[i..i + n].contains(&' ')))
}

/// Whether the words just before `i` make the run an amount of money.
fn money_before(chars: &[char], i: usize) -> bool {
    let from = i.saturating_sub(5);
    let before: String = chars[from..i]
        .iter()
        .collect::<String>()
        .trim_end()
        .to_lowercase();
    before.ends_with("rp") || before.ends_with("rp.") || before.ends_with("idr")
}

/// Replaces phone numbers, NIK/KK, bank accounts and plates.
fn numbers(chars: &[char], steps: &mut usize) -> String {
    let mut out = String::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        *steps += 1;
        // After a word this redaction wrote is no word's start either.
        let word_start = i == 0 || !(chars[i - 1].is_alphanumeric() || chars[i - 1] == ']');
        if word_start && chars[i].is_ascii_uppercase() {
            if let Some(end) = plate_end(chars, i) {
                out.push_str(PLATE);
                i = end;
                continue;
            }
        }
        let starts = chars[i].is_ascii_digit()
            || (matches!(chars[i], '+' | '(')
                && chars.get(i + 1).is_some_and(char::is_ascii_digit));
        // A digit inside a number already passed (`12.5`) is not a start.
        if !starts {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let (chunks, end) = run(chars, i, steps);
        if money_before(chars, i) {
            out.extend(&chars[i..end]);
        } else {
            spans(chars, &chunks, i, &mut out, steps);
        }
        i = end;
    }
    out
}

/// The run of digit groups from `i`, cut into chunks where a gap holds a
/// space; and where the run ends.
fn run(chars: &[char], i: usize, steps: &mut usize) -> (Vec<Chunk>, usize) {
    let mut chunks = Vec::new();
    let mut from = i;
    let mut digits = String::new();
    let mut j = i;
    let mut pure = true;
    let mut slashed = false;
    if matches!(chars[j], '+' | '(') {
        j += 1;
        pure = false;
    }
    loop {
        while j < chars.len() && chars[j].is_ascii_digit() {
            *steps += 1;
            digits.push(chars[j]);
            j += 1;
        }
        // The closing bracket of a bracketed area code.
        if chars.get(j) == Some(&')') && chars[from] == '(' && pure_bracket(chars, from, j) {
            j += 1;
        }
        match gap(chars, j) {
            Some((n, spaced)) => {
                *steps += n;
                if spaced {
                    chunks.push(Chunk {
                        from,
                        to: j,
                        digits: std::mem::take(&mut digits),
                        pure,
                        slashed,
                    });
                    from = j + n;
                    pure = true;
                    slashed = false;
                } else {
                    pure = false;
                    slashed |= chars[j..j + n].contains(&'/');
                }
                j += n;
            }
            None => break,
        }
    }
    chunks.push(Chunk {
        from,
        to: j,
        digits,
        pure,
        slashed,
    });
    (chunks, j)
}

/// `(` and digits only from `from` to `to` (an area code up to 4 digits).
fn pure_bracket(chars: &[char], from: usize, to: usize) -> bool {
    to - from <= 5 && chars[from + 1..to].iter().all(char::is_ascii_digit)
}

/// Writes `chunks` (from `start`), each span that is a phone number, NIK or
/// account replaced: the longest from each chunk on, of at most six chunks
/// and 16 digits.
fn spans(chars: &[char], chunks: &[Chunk], start: usize, out: &mut String, steps: &mut usize) {
    let mut written = start;
    let mut k = 0;
    while k < chunks.len() {
        let mut best: Option<(usize, &'static str)> = None;
        let mut digits = String::new();
        for (m, c) in chunks.iter().enumerate().skip(k).take(6) {
            *steps += 1;
            let single = m == k;
            if c.slashed {
                break;
            }
            let joinable = single
                || (c.pure && (chunks[k].pure || chunks[k].prefix(chars)))
                || (m == k + 1 && chunks[k].prefix(chars));
            if !joinable {
                break;
            }
            digits.push_str(&c.digits);
            if digits.len() > 16 {
                break;
            }
            let plus = chars[chunks[k].from] == '+';
            match classify(&digits, plus) {
                // Accounts are written as one group.
                Some(ACCOUNT) if !single => {}
                Some(word) => best = Some((m, word)),
                None => {}
            }
        }
        match best {
            Some((m, word)) => {
                out.extend(&chars[written..chunks[k].from]);
                out.push_str(word);
                written = chunks[m].to;
                k = m + 1;
            }
            None => k += 1,
        }
    }
    let end = chunks.last().map_or(start, |c| c.to);
    out.extend(&chars[written..end]);
}

#[cfg(test)]
mod tests;

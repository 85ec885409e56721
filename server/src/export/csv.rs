//! RFC 4180 records, as every CSV file Suara writes has them, with no cell
//! a spreadsheet would run.
//!
//! **CSV injection** (OWASP): a cell that starts with `=`, `+`, `-`, `@`, a
//! tab or a carriage return is a formula to Excel, LibreOffice and Google
//! Sheets, quoted or not (`=HYPERLINK(…)` sends data away when clicked).
//! Such a cell is written with a `'` in front, which spreadsheets show as
//! text; a plain decimal number (`-3`, `+2.5`) is left as it is. A cell that
//! already begins with `'` before such a character gets one more, so
//! [`restore`] gives back exactly what was written (`suara verify` and the
//! catalogue import read files back through it).

use std::borrow::Cow;

/// Whether a spreadsheet would take `cell` for a formula.
fn runs(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A plain decimal number, which spreadsheets read as a number, never a formula.
fn plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix(['+', '-']).unwrap_or(cell);
    let (int, frac) = match digits.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (digits, None),
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// `cell` as written: with a `'` in front when a spreadsheet would run it.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    let bare = cell.trim_start_matches('\'');
    if runs(bare) && !(bare.len() == cell.len() && plain_number(cell)) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// What [`neutralise`] was given, from what it wrote.
pub fn restore(cell: &str) -> &str {
    let bare = cell.trim_start_matches('\'');
    if bare.len() < cell.len() && runs(bare) {
        &cell[1..]
    } else {
        cell
    }
}

/// Appends one record: fields with a comma, quote, CR or LF are quoted and
/// their quotes doubled; the record ends with CRLF.
pub fn push_record<S: AsRef<str>>(buf: &mut Vec<u8>, fields: &[S]) {
    for (i, field) in fields.iter().enumerate() {
        if i > 0 {
            buf.push(b',');
        }
        push_field(buf, field.as_ref());
    }
    buf.extend_from_slice(b"\r\n");
}

/// One field of a record: neutralised, then quoted, its quotes doubled,
/// when it holds a comma, quote, CR or LF.
pub fn push_field(buf: &mut Vec<u8>, f: &str) {
    let f = &*neutralise(f);
    if f.bytes().any(|b| matches!(b, b',' | b'"' | b'\r' | b'\n')) {
        buf.push(b'"');
        for part in f.split('"').enumerate() {
            if part.0 > 0 {
                buf.extend_from_slice(b"\"\"");
            }
            buf.extend_from_slice(part.1.as_bytes());
        }
        buf.push(b'"');
    } else {
        buf.extend_from_slice(f.as_bytes());
    }
}

#[cfg(test)]
mod tests {
    use super::{neutralise, push_record, restore};

    #[test]
    fn records_follow_rfc_4180() {
        let mut buf = Vec::new();
        push_record(
            &mut buf,
            &["a", "b,c", "say \"hi\"", "line\nbreak", "😀", ""],
        );
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "a,\"b,c\",\"say \"\"hi\"\"\",\"line\nbreak\",😀,\r\n"
        );
    }

    #[test]
    fn formulas_become_text_and_come_back_whole() {
        for (given, written) in [
            ("=1+2", "'=1+2"),
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+62 812", "'+62 812"),
            ("-", "'-"),
            ("- antre lama", "'- antre lama"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("'=x", "''=x"),
            ("''-1+1", "'''-1+1"),
            ("'-5", "''-5"),
            ("-5", "-5"),
            ("+2.5", "+2.5"),
            ("-0.25", "-0.25"),
            ("-5e3", "'-5e3"),
            ("-1.", "'-1."),
            ("'hello", "'hello"),
            ("a=b", "a=b"),
            ("", ""),
            ("2026-11-20", "2026-11-20"),
        ] {
            assert_eq!(neutralise(given), written, "{given:?}");
            assert_eq!(restore(written), given, "{written:?}");
        }
    }

    #[test]
    fn records_leave_no_formula_even_quoted() {
        let mut buf = Vec::new();
        push_record(&mut buf, &["=1+2@example.org", "=HYPERLINK(\"a\",\"b\")"]);
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "'=1+2@example.org,\"'=HYPERLINK(\"\"a\"\",\"\"b\"\")\"\r\n"
        );
    }
}

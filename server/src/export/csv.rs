//! RFC 4180 records, as every CSV file Suara writes has them.

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

/// One field of a record: quoted, its quotes doubled, when it holds a
/// comma, quote, CR or LF.
pub fn push_field(buf: &mut Vec<u8>, f: &str) {
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
    use super::push_record;

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
}

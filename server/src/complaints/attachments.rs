//! Photos and documents of a complaint: the citizen's photos of the problem
//! (at most three images) and the unit's evidence (images or PDFs). The
//! server checks what a file is by its bytes, not by what the sender says,
//! and removes image metadata (EXIF with its GPS position, XMP, IPTC,
//! comments, text chunks) again rather than trusting the device.

use super::*;
use crate::store::complaints::{AttachmentRecord, Stored};
use app::model::complaint::Sender;
use img_parts::png::Png;
use img_parts::webp::WebP;
use img_parts::{Bytes, ImageEXIF};

/// Largest image (the device sends at most 1600 px, about 400 KB).
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;
/// Largest document (the unit's evidence).
pub const MAX_PDF_BYTES: usize = 5 * 1024 * 1024;
/// Most photos a citizen attaches; most files a unit attaches.
pub const MAX_CITIZEN_FILES: usize = 3;
pub const MAX_UNIT_FILES: usize = 10;

/// What a file is, by its first bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Jpeg,
    Png,
    Webp,
    Pdf,
}

impl Kind {
    pub fn sniff(b: &[u8]) -> Option<Self> {
        if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if b.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if b.len() > 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else if b.starts_with(b"%PDF-") {
            Some(Self::Pdf)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
            Self::Pdf => "application/pdf",
        }
    }
}

/// The image without its metadata; `None` when it does not parse as the
/// kind its bytes claim. A PDF is kept as it is.
pub fn strip(kind: Kind, data: Bytes) -> Option<Bytes> {
    match kind {
        Kind::Jpeg => jpeg_pixels(&data).map(Bytes::from),
        Kind::Png => {
            let mut png = Png::from_bytes(data).ok()?;
            // Critical chunks (upper-case first letter: IHDR, PLTE, IDAT,
            // IEND) are the picture; of the ancillary ones only tRNS, its
            // transparency, is pixels too. Text, EXIF, times, colour
            // profiles (which can carry text) and private chunks go.
            png.chunks_mut()
                .retain(|c| c.kind()[0].is_ascii_uppercase() || &c.kind() == b"tRNS");
            Some(png.encoder().bytes())
        }
        Kind::Webp => {
            let mut webp = WebP::from_bytes(data).ok()?;
            webp.set_exif(None);
            webp.remove_chunks_by_id(*b"XMP ");
            Some(webp.encoder().bytes())
        }
        Kind::Pdf => Some(data),
    }
}

/// A JPEG with nothing but what draws it: every segment walked, those
/// between a progressive image's scans too (a parser that stops at the
/// first scan keeps them), each application segment (EXIF, XMP, IPTC, ICC,
/// makers' notes) and comment dropped, JFIF kept without its thumbnail and
/// Adobe's colour transform kept, and nothing after the end of the image.
/// `None` for a file that is not a whole JPEG. One pass, linear in the file.
pub fn jpeg_pixels(b: &[u8]) -> Option<Vec<u8>> {
    if !b.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut out = Vec::with_capacity(b.len());
    out.extend_from_slice(&[0xFF, 0xD8]);
    let mut i = 2;
    let mut in_scan = false;
    loop {
        // In a scan, entropy-coded data runs to the next marker that is
        // neither a stuffed zero nor a restart.
        if in_scan {
            let start = i;
            while i + 1 < b.len() && (b[i] != 0xFF || matches!(b[i + 1], 0x00 | 0xD0..=0xD7 | 0xFF))
            {
                i += 1;
            }
            out.extend_from_slice(&b[start..i]);
            in_scan = false;
        }
        // A marker, after any fill bytes; stray bytes between segments
        // (which decoders skip too) are not copied.
        while *b.get(i)? != 0xFF {
            i += 1;
        }
        while b.get(i + 1) == Some(&0xFF) {
            i += 1;
        }
        let marker = *b.get(i + 1)?;
        match marker {
            0xD9 => {
                out.extend_from_slice(&[0xFF, 0xD9]);
                return Some(out);
            }
            0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, marker]);
                i += 2;
                continue;
            }
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes([*b.get(i + 2)?, *b.get(i + 3)?]));
        let end = i + 2 + len;
        if len < 2 || end > b.len() {
            return None;
        }
        let payload = &b[i + 4..end];
        match marker {
            // JFIF: version, density, and no thumbnail.
            0xE0 if payload.starts_with(b"JFIF\0") && payload.len() >= 12 => {
                out.extend_from_slice(&[0xFF, 0xE0, 0x00, 0x10]);
                out.extend_from_slice(&payload[..12]);
                out.extend_from_slice(&[0, 0]);
            }
            // Adobe's colour transform, which the decoder needs.
            0xEE if payload.starts_with(b"Adobe") && payload.len() <= 12 => {
                out.extend_from_slice(&b[i..end]);
            }
            0xE0..=0xEF | 0xFE => {}
            _ => out.extend_from_slice(&b[i..end]),
        }
        in_scan = marker == 0xDA;
        i = end;
    }
}

/// How an upload went: stored now, or the same file stored before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upload {
    Created,
    Duplicate,
}

/// Stores a file of complaint `code`, idempotent by `id`: the citizen's
/// photo when `account` is `None`, else the unit's evidence.
/// The header that carries the citizen's key with a photo (never the
/// address: keys stay out of logs).
pub const KEY_HEADER: &str = "suara-key";

/// Who sends a file: the citizen (with the key they hold, if any), or staff.
#[derive(Clone, Copy, Debug)]
pub enum Uploader<'a> {
    Citizen(Option<&'a str>),
    Staff(&'a Account),
}

pub async fn upload(
    store: &Store,
    uploader: Uploader<'_>,
    code: &str,
    id: uuid::Uuid,
    declared: Option<&str>,
    data: Bytes,
    now: OffsetDateTime,
) -> Result<(Upload, AttachmentRecord), ComplaintError> {
    let c = find(store, code).await?;
    let sender = match uploader {
        // The citizen's photos are the citizen's words: their key only.
        Uploader::Citizen(key) => {
            super::moves::the_citizen(store, &c, key).await?;
            Sender::Citizen
        }
        Uploader::Staff(a) if !sees(a, &c) => return Err(ComplaintError::NotYours),
        Uploader::Staff(a) if a.reads_only() => return Err(ComplaintError::ReadOnly),
        Uploader::Staff(_) => Sender::Unit,
    };
    let kind = Kind::sniff(&data).ok_or(ComplaintError::BadFile(
        "send a JPEG, PNG or WebP photo, or a PDF document",
    ))?;
    if sender == Sender::Citizen && kind == Kind::Pdf {
        return Err(ComplaintError::BadFile(
            "a citizen attaches photos: JPEG, PNG or WebP",
        ));
    }
    if declared.is_some_and(|d| !d.trim().eq_ignore_ascii_case(kind.content_type())) {
        return Err(ComplaintError::BadFile(
            "the file is not what its Content-Type says",
        ));
    }
    let limit = if kind == Kind::Pdf {
        MAX_PDF_BYTES
    } else {
        MAX_IMAGE_BYTES
    };
    if data.len() > limit {
        return Err(ComplaintError::TooLarge(limit / 1024 / 1024));
    }
    let data = strip(kind, data).ok_or(ComplaintError::BadFile("the image cannot be read"))?;
    let most = match sender {
        Sender::Citizen => MAX_CITIZEN_FILES,
        Sender::Unit => MAX_UNIT_FILES,
    };
    let stored = store
        .add_attachment(
            &c,
            id,
            sender,
            kind.content_type(),
            &data,
            most,
            datetime_to_ms(now),
        )
        .await?;
    match stored {
        Stored::New(a) => Ok((Upload::Created, a)),
        Stored::Same(a) => Ok((Upload::Duplicate, a)),
        Stored::Other => Err(ComplaintError::AttachmentConflict),
        Stored::Full => Err(ComplaintError::TooManyFiles(most)),
    }
}

/// How the interface names a stored file of complaint `code`.
pub fn attachment_view(code: &str, a: &AttachmentRecord) -> AttachmentView {
    let code = TrackingCode::parse(code).map_or_else(|_| code.to_owned(), |c| c.to_string());
    AttachmentView {
        url: format!("/api/v1/complaints/{code}/attachments/{}", a.id),
        id: a.id.to_string(),
        from: a.sender,
        content_type: a.content_type.clone(),
        size: a.size,
    }
}

/// A file of complaint `code`, for anyone holding the code.
pub async fn download(
    store: &Store,
    code: &str,
    id: uuid::Uuid,
) -> Result<(AttachmentRecord, Vec<u8>), ComplaintError> {
    let c = find(store, code).await?;
    store
        .attachment(c.id, id)
        .await?
        .ok_or_else(|| ComplaintError::UnknownAttachment(id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 JPEG with an EXIF segment that holds a GPS position, and a
    /// comment.
    const JPEG_WITH_GPS: &[u8] = include_bytes!("../../tests/fixtures/gps.jpg");

    #[test]
    fn exif_gps_and_comments_leave_a_jpeg_and_the_picture_stays() {
        let original = JPEG_WITH_GPS.to_vec();
        let kind = Kind::sniff(&original).unwrap();
        assert_eq!(kind, Kind::Jpeg);
        let clean = strip(kind, Bytes::from(original.clone())).unwrap();
        let has = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
        assert!(has(&original, b"GPSLatitude") && has(&original, b"Budi"));
        assert!(!has(&clean, b"Exif") && !has(&clean, b"GPSLatitude") && !has(&clean, b"Budi"));
        assert!(has(&clean, b"JFIF"), "the picture's own header stays");
        assert!(clean.ends_with(&[0xFF, 0xD9]));
        let jpeg = img_parts::jpeg::Jpeg::from_bytes(clean).unwrap();
        assert_eq!(jpeg.dimensions(), Some((1, 1)));
    }

    /// A segment `marker` holding `payload`.
    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let len = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
        [&[0xFF, marker][..], &len, payload].concat()
    }

    #[test]
    fn metadata_anywhere_in_a_jpeg_goes_and_the_picture_is_untouched() {
        let plain = JPEG_WITH_GPS.to_vec();
        let eoi = plain.len() - 2;
        assert_eq!(&plain[eoi..], &[0xFF, 0xD9]);
        let sos = plain.windows(2).position(|w| w == [0xFF, 0xDA]).unwrap();
        // C2PA (JUMBF in APP11) and ICC before the first scan; EXIF, XMP and
        // a comment after it, as progressive files carry them between
        // scans; and a secret after the end of the image.
        let spliced = [
            &plain[..sos],
            &segment(0xEB, b"JP\0\0c2pa manifest: taken by Budi at -6.2,106.8"),
            &segment(0xE2, b"ICC_PROFILE\0Budi's camera"),
            &plain[sos..eoi],
            &segment(0xE1, b"Exif\0\0GPSLatitude -6.2088 between scans"),
            &segment(
                0xE1,
                b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Budi</x:xmpmeta>",
            ),
            &segment(0xFE, b"comment: Budi Santoso 0812"),
            &[0xFF, 0xD9][..],
            b"TRAILING SECRET after EOI",
        ]
        .concat();
        let clean = jpeg_pixels(&spliced).unwrap();
        let has = |hay: &[u8], needle: &[u8]| hay.windows(needle.len()).any(|w| w == needle);
        for secret in [
            &b"c2pa"[..],
            b"ICC_PROFILE",
            b"Budi",
            b"GPS",
            b"xmpmeta",
            b"TRAILING",
        ] {
            assert!(!has(&clean, secret), "{}", String::from_utf8_lossy(secret));
        }
        assert_eq!(
            clean,
            jpeg_pixels(&plain).unwrap(),
            "the same picture, byte for byte"
        );
        // Not a whole JPEG: refused.
        assert_eq!(jpeg_pixels(&spliced[..spliced.len() / 2]), None);
        assert_eq!(jpeg_pixels(b"\xFF\xD8\xFF\xE1\xFF\xFF"), None);
    }

    /// A 1×1 PNG: IHDR, IDAT, IEND.
    const PNG_1X1: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0A, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0x00,
        0x01, 0x00, 0x00, 0x05, 0x00, 0x01, 0x0D, 0x0A, 0x2D, 0xB4, 0x00, 0x00, 0x00, 0x00, 0x49,
        0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn a_png_keeps_only_its_picture_chunks() {
        use img_parts::png::PngChunk;
        let mut png = Png::from_bytes(Bytes::from_static(PNG_1X1)).unwrap();
        let extra = [
            (*b"eXIf", &b"MM\0*GPSLatitude -6.2088"[..]),
            (*b"caBX", b"c2pa manifest by Budi"),
            (*b"iCCP", b"Budi's profile\0\0x"),
            (*b"tEXt", b"Author\0Budi Santoso"),
            (*b"prVt", b"private: Budi 0812"),
            (*b"tRNS", b"\0"),
        ];
        for (i, (kind, contents)) in extra.into_iter().enumerate() {
            png.chunks_mut()
                .insert(1 + i, PngChunk::new(kind, Bytes::from_static(contents)));
        }
        let with_metadata = png.encoder().bytes();
        let clean = strip(Kind::Png, with_metadata).unwrap();
        let kept: Vec<[u8; 4]> = Png::from_bytes(clean.clone())
            .unwrap()
            .chunks()
            .iter()
            .map(|c| c.kind())
            .collect();
        assert_eq!(kept, [*b"IHDR", *b"tRNS", *b"IDAT", *b"IEND"]);
        assert!(!clean.windows(4).any(|w| w == b"Budi"));
    }

    #[test]
    fn files_are_known_by_their_bytes() {
        assert_eq!(Kind::sniff(b"%PDF-1.7\n"), Some(Kind::Pdf));
        assert_eq!(Kind::sniff(b"\x89PNG\r\n\x1a\n...."), Some(Kind::Png));
        assert_eq!(Kind::sniff(b"RIFF\0\0\0\0WEBPVP8 "), Some(Kind::Webp));
        assert_eq!(Kind::sniff(b"<html>"), None);
        assert_eq!(Kind::sniff(b"GIF89a"), None);
    }
}

//! Photos and documents of a complaint: the citizen's photos of the problem
//! (at most three images) and the unit's evidence (images or PDFs). The
//! server checks what a file is by its bytes, not by what the sender says,
//! and removes image metadata (EXIF with its GPS position, XMP, IPTC,
//! comments, text chunks) again rather than trusting the device.

use super::*;
use crate::store::complaints::{AttachmentRecord, Stored};
use app::model::complaint::Sender;
use img_parts::jpeg::{markers, Jpeg};
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
        Kind::Jpeg => {
            let mut jpeg = Jpeg::from_bytes(data).ok()?;
            // Keep JFIF (APP0) and Adobe's colour transform (APP14): the
            // picture needs them; every other application segment and
            // comment is metadata.
            for marker in (markers::APP1..=markers::APP15).chain([markers::COM]) {
                if marker != markers::APP14 {
                    jpeg.remove_segments_by_marker(marker);
                }
            }
            Some(jpeg.encoder().bytes())
        }
        Kind::Png => {
            let mut png = Png::from_bytes(data).ok()?;
            for kind in [*b"eXIf", *b"tEXt", *b"zTXt", *b"iTXt", *b"tIME"] {
                png.remove_chunks_by_type(kind);
            }
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

/// How an upload went: stored now, or the same file stored before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Upload {
    Created,
    Duplicate,
}

/// Stores a file of complaint `code`, idempotent by `id`: the citizen's
/// photo when `account` is `None`, else the unit's evidence.
pub async fn upload(
    store: &Store,
    account: Option<&Account>,
    code: &str,
    id: uuid::Uuid,
    declared: Option<&str>,
    data: Bytes,
    now: OffsetDateTime,
) -> Result<(Upload, AttachmentRecord), ComplaintError> {
    let c = find(store, code).await?;
    let sender = match account {
        None => Sender::Citizen,
        Some(a) if !sees(a, &c) => return Err(ComplaintError::NotYours),
        Some(a) if a.role == Role::Auditor => return Err(ComplaintError::ReadOnly),
        Some(_) => Sender::Unit,
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
        let jpeg = Jpeg::from_bytes(clean).unwrap();
        assert_eq!(jpeg.dimensions(), Some((1, 1)));
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

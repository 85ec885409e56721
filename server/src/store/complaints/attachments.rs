//! A complaint's files, in the database so that every replica serves them.

use super::*;

/// A stored file, without its bytes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentRecord {
    pub id: Uuid,
    pub sender: Sender,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
}

/// What storing a file did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    New(AttachmentRecord),
    /// The same file under the same id, stored before.
    Same(AttachmentRecord),
    /// Another file has this id.
    Other,
    /// The sender's files of this complaint are as many as allowed.
    Full,
}

fn attachment_record(r: &AnyRow) -> sqlx::Result<AttachmentRecord> {
    Ok(AttachmentRecord {
        id: r
            .try_get::<String, _>("id")?
            .parse()
            .map_err(|_| bad("attachment id"))?,
        sender: match r.try_get::<String, _>("sender")?.as_str() {
            "unit" => Sender::Unit,
            _ => Sender::Citizen,
        },
        content_type: r.try_get("content_type")?,
        size: u64::try_from(r.try_get::<i64, _>("size")?).unwrap_or(0),
        sha256: r.try_get("sha256")?,
    })
}

const COLUMNS: &str = "id, sender, content_type, size, sha256";

impl Store {
    /// Stores `data` as file `id` of complaint `c`, idempotent by id, while
    /// the sender has fewer than `most` files on it.
    #[allow(clippy::too_many_arguments)]
    pub async fn add_attachment(
        &self,
        c: &ComplaintRecord,
        id: Uuid,
        sender: Sender,
        content_type: &str,
        data: &[u8],
        most: usize,
        at_ms: i64,
    ) -> sqlx::Result<Stored> {
        let sha = hex::encode(Sha256::digest(data));
        let mut tx = self.begin_write().await?;
        let existing = sqlx::query(&format!(
            "SELECT {COLUMNS}, complaint_id FROM complaint_attachments WHERE id = $1"
        ))
        .bind(id.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = existing {
            let same = row.try_get::<String, _>("complaint_id")? == c.id.to_string()
                && row.try_get::<String, _>("sha256")? == sha;
            return Ok(if same {
                Stored::Same(attachment_record(&row)?)
            } else {
                Stored::Other
            });
        }
        let sender_word = match sender {
            Sender::Citizen => "citizen",
            Sender::Unit => "unit",
        };
        // The complaint locked while its files are counted: uploads at once
        // never pass the limit together.
        sqlx::query(&format!(
            "SELECT id FROM complaints WHERE id = $1{}",
            self.for_update()
        ))
        .bind(c.id.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let n: i64 = sqlx::query(
            "SELECT COUNT(*) AS n FROM complaint_attachments WHERE complaint_id = $1 AND sender = $2",
        )
        .bind(c.id.to_string())
        .bind(sender_word)
        .fetch_one(&mut *tx)
        .await?
        .try_get("n")?;
        if usize::try_from(n).unwrap_or(usize::MAX) >= most {
            return Ok(Stored::Full);
        }
        sqlx::query(
            "INSERT INTO complaint_attachments \
             (id, complaint_id, sender, content_type, size, sha256, at_ms, data) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id.to_string())
        .bind(c.id.to_string())
        .bind(sender_word)
        .bind(content_type.to_owned())
        .bind(i64::try_from(data.len()).unwrap_or(i64::MAX))
        .bind(sha.clone())
        .bind(at_ms)
        .bind(data.to_vec())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Stored::New(AttachmentRecord {
            id,
            sender,
            content_type: content_type.to_owned(),
            size: data.len() as u64,
            sha256: sha,
        }))
    }

    /// File `id` of complaint `complaint`, with its bytes.
    pub async fn attachment(
        &self,
        complaint: Uuid,
        id: Uuid,
    ) -> sqlx::Result<Option<(AttachmentRecord, Vec<u8>)>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS}, data FROM complaint_attachments WHERE id = $1 AND complaint_id = $2"
        ))
        .bind(id.to_string())
        .bind(complaint.to_string())
        .fetch_optional(self.pool())
        .await?;
        row.map(|r| Ok((attachment_record(&r)?, r.try_get::<Vec<u8>, _>("data")?)))
            .transpose()
    }

    /// The files of complaint `complaint`, oldest first.
    pub async fn attachments_of(&self, complaint: Uuid) -> sqlx::Result<Vec<AttachmentRecord>> {
        sqlx::query(&format!(
            "SELECT {COLUMNS} FROM complaint_attachments WHERE complaint_id = $1 ORDER BY at_ms, id"
        ))
        .bind(complaint.to_string())
        .try_map(|r| attachment_record(&r))
        .fetch_all(self.pool())
        .await
    }
}

//! An exported response: the columns every format writes, and how
//! `suara verify` reads a row back into the response its content hash
//! covers ([`Canonical`]).
//!
//! A row holds every field of the canonical form (service id, the time as
//! reported, channel, scores, comment, profile, app version, device id), so the file
//! alone proves each row's content; `seq`, `content_hash` and `chain_hash`
//! place it in the chain of every accepted response.

use app::domain::response::{rfc3339_millis, Canonical};
use app::domain::scoring::Attribute;
use serde_json::{json, Map, Value};
use sqlx::any::AnyRow;
use sqlx::Row;

/// Formats integers without allocating.
struct Digits([u8; 24]);

impl Digits {
    fn format(&mut self, n: i64) -> &str {
        use std::io::Write;
        let mut cursor = std::io::Cursor::new(&mut self.0[..]);
        let _ = write!(cursor, "{n}");
        let len = cursor.position() as usize;
        std::str::from_utf8(&self.0[..len]).unwrap_or_default()
    }
}

fn itoa_buffer() -> Digits {
    Digits([0; 24])
}

/// Columns before the item columns.
pub const LEAD: [&str; 19] = [
    "seq",
    "id",
    "agency_code",
    "unit_code",
    "service_code",
    "service_id",
    "questionnaire_id",
    "questionnaire_version",
    "answered_at",
    "answered_at_reported",
    "received_at",
    "channel",
    "respondent_sex",
    "respondent_age_band",
    "respondent_education",
    "respondent_occupation",
    "respondent_disability",
    "app_version",
    "device_id",
];

/// Columns after the item columns.
/// `flags` is the integrity monitor's judgment (standing flags, comma
/// separated), not part of what the citizen sent: no hash covers it, and an
/// auditor clearing a flag changes it.
pub const TAIL: [&str; 4] = ["comment", "content_hash", "chain_hash", "flags"];

/// Every column of a CSV export with these item codes, in order.
pub fn columns(items: &[String]) -> Vec<String> {
    LEAD.iter()
        .map(|c| (*c).to_owned())
        .chain(items.iter().cloned())
        .chain(TAIL.iter().map(|c| (*c).to_owned()))
        .collect()
}

/// One exported response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Record {
    pub seq: i64,
    pub agency_code: String,
    pub unit_code: String,
    pub service_code: String,
    /// What periods count by: the reported time, never later than receipt.
    pub answered_at: String,
    pub received_at: String,
    pub response: Canonical,
    pub content_hash: String,
    pub chain_hash: String,
    /// Standing flags, in reason order.
    pub flags: Vec<String>,
}

fn attribute_column(a: Attribute) -> String {
    format!("respondent_{}", a.as_str())
}

fn respondent_value(r: &Canonical, a: Attribute) -> Option<&'static str> {
    r.respondent.as_ref().and_then(|p| a.value_of(p))
}

impl Record {
    /// Calls `each` with every CSV field, in [`columns`] order; an absent
    /// value is empty. Allocates nothing per field.
    pub fn each_field(&self, items: &[String], mut each: impl FnMut(&str)) {
        let r = &self.response;
        let mut number = itoa_buffer();
        let mut uuid = [0u8; 36];
        each(number.format(self.seq));
        each(r.id.hyphenated().encode_lower(&mut uuid));
        each(&self.agency_code);
        each(&self.unit_code);
        each(&self.service_code);
        each(r.service_id.hyphenated().encode_lower(&mut uuid));
        each(&r.questionnaire_id);
        each(number.format(r.questionnaire_version));
        each(&self.answered_at);
        each(&r.answered_at);
        each(&self.received_at);
        each(r.channel.as_str());
        for a in Attribute::ALL {
            each(respondent_value(r, a).unwrap_or_default());
        }
        each(r.app_version.as_deref().unwrap_or_default());
        match r.device_id {
            Some(d) => each(d.hyphenated().encode_lower(&mut uuid)),
            None => each(""),
        }
        for code in items {
            match r.scores.get(code) {
                Some(s) => each(number.format(i64::from(*s))),
                None => each(""),
            }
        }
        each(r.comment.as_deref().unwrap_or_default());
        each(&self.content_hash);
        each(&self.chain_hash);
        each(&self.flags.join(","));
    }

    /// The CSV fields, in [`columns`] order; an absent value is empty.
    pub fn csv_fields(&self, items: &[String]) -> Vec<String> {
        let mut out = Vec::with_capacity(LEAD.len() + items.len() + TAIL.len());
        self.each_field(items, |f| out.push(f.to_owned()));
        out
    }

    /// Appends the record as one CSV line (RFC 4180) to `buf`.
    pub fn write_csv(&self, items: &[String], buf: &mut Vec<u8>) {
        let mut first = true;
        self.each_field(items, |f| {
            if !first {
                buf.push(b',');
            }
            first = false;
            super::csv::push_field(buf, f);
        });
        buf.extend_from_slice(b"\r\n");
    }

    /// One JSON Lines object: the CSV's fields, with scores and the profile
    /// as objects and absent values as null.
    pub fn to_json(&self) -> Value {
        let r = &self.response;
        json!({
            "seq": self.seq,
            "id": r.id,
            "agency_code": self.agency_code,
            "unit_code": self.unit_code,
            "service_code": self.service_code,
            "service_id": r.service_id,
            "questionnaire_id": r.questionnaire_id,
            "questionnaire_version": r.questionnaire_version,
            "answered_at": self.answered_at,
            "answered_at_reported": r.answered_at,
            "received_at": self.received_at,
            "channel": r.channel,
            "respondent": r.respondent,
            "app_version": r.app_version,
            "device_id": r.device_id,
            "scores": r.scores,
            "comment": r.comment,
            "content_hash": self.content_hash,
            "chain_hash": self.chain_hash,
            "flags": self.flags,
        })
    }

    /// A record from a CSV row, given the header; `Err` names what is wrong.
    pub fn from_csv(header: &[String], row: &[String]) -> Result<Self, String> {
        if row.len() != header.len() {
            return Err(format!(
                "has {} fields where the header has {}",
                row.len(),
                header.len()
            ));
        }
        let cell = |name: &str| -> Result<&str, String> {
            header
                .iter()
                .position(|h| h == name)
                .map(|i| row[i].as_str())
                .ok_or_else(|| format!("the file has no \"{name}\" column"))
        };
        let opt = |name: &str| -> Result<Value, String> {
            let v = cell(name)?;
            Ok(if v.is_empty() { Value::Null } else { json!(v) })
        };
        let mut respondent = Map::new();
        for a in Attribute::ALL {
            let v = cell(&attribute_column(a))?;
            if !v.is_empty() {
                respondent.insert(a.as_str().to_owned(), json!(v));
            }
        }
        let mut scores = Map::new();
        for (name, value) in header.iter().zip(row) {
            if LEAD.contains(&name.as_str()) || TAIL.contains(&name.as_str()) || value.is_empty() {
                continue;
            }
            let n: u8 = value
                .parse()
                .map_err(|_| format!("score {name} is \"{value}\", not a number"))?;
            scores.insert(name.clone(), json!(n));
        }
        let seq = cell("seq")?;
        let version = cell("questionnaire_version")?;
        Self::from_json(&json!({
            "seq": seq.parse::<i64>().map_err(|_| format!("seq is \"{seq}\", not a number"))?,
            "id": cell("id")?,
            "agency_code": cell("agency_code")?,
            "unit_code": cell("unit_code")?,
            "service_code": cell("service_code")?,
            "service_id": cell("service_id")?,
            "questionnaire_id": cell("questionnaire_id")?,
            "questionnaire_version": version
                .parse::<i64>()
                .map_err(|_| format!("questionnaire_version is \"{version}\", not a number"))?,
            "answered_at": cell("answered_at")?,
            "answered_at_reported": cell("answered_at_reported")?,
            "received_at": cell("received_at")?,
            "channel": cell("channel")?,
            "respondent": if respondent.is_empty() { Value::Null } else { Value::Object(respondent) },
            "app_version": opt("app_version")?,
            // Exports made before device ids have no such column.
            "device_id": opt("device_id").unwrap_or(Value::Null),
            "scores": scores,
            "comment": opt("comment")?,
            "content_hash": cell("content_hash")?,
            "chain_hash": cell("chain_hash")?,
            // Exports made before flags have no such column.
            "flags": cell("flags").map(flag_list).unwrap_or_default(),
        }))
    }

    /// A record from one JSON Lines object.
    pub fn from_json(v: &Value) -> Result<Self, String> {
        let text = |name: &str| -> Result<String, String> {
            v.get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("\"{name}\" is missing or not text"))
        };
        let field = |name: &str| v.get(name).cloned().unwrap_or(Value::Null);
        let response: Canonical = serde_json::from_value(json!({
            "id": field("id"),
            "service_id": field("service_id"),
            "questionnaire_id": field("questionnaire_id"),
            "questionnaire_version": field("questionnaire_version"),
            "answered_at": field("answered_at_reported"),
            "channel": field("channel"),
            "scores": field("scores"),
            "comment": field("comment"),
            "respondent": field("respondent"),
            "app_version": field("app_version"),
            "device_id": field("device_id"),
        }))
        .map_err(|e| format!("not a response: {e}"))?;
        Ok(Self {
            seq: v
                .get("seq")
                .and_then(Value::as_i64)
                .ok_or("\"seq\" is missing or not a number")?,
            agency_code: text("agency_code")?,
            unit_code: text("unit_code")?,
            service_code: text("service_code")?,
            answered_at: text("answered_at")?,
            received_at: text("received_at")?,
            response,
            content_hash: text("content_hash")?,
            chain_hash: text("chain_hash")?,
            flags: v
                .get("flags")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .filter_map(|f| f.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default(),
        })
    }
}

/// A stored row's record, from the columns of `ExportFilter::rows_sql`;
/// `content` is the canonical JSON kept at ingest.
pub fn from_row(row: &AnyRow) -> anyhow::Result<Record> {
    let time = |ms| rfc3339_millis(crate::store::ms_to_datetime(ms));
    let content: String = row.try_get("content")?;
    Ok(Record {
        seq: row.try_get("seq")?,
        agency_code: row.try_get("agency_code")?,
        unit_code: row.try_get("unit_code")?,
        service_code: row.try_get("service_code")?,
        answered_at: time(row.try_get("answered_at_ms")?),
        received_at: time(row.try_get("received_at_ms")?),
        response: serde_json::from_str(&content)?,
        content_hash: row.try_get("content_hash")?,
        chain_hash: row.try_get("chain_hash")?,
        flags: flag_list(
            row.try_get::<Option<String>, _>("flags")?
                .as_deref()
                .unwrap_or(""),
        ),
    })
}

/// The same, from a row read directly from SQLite (`sqlite_scan`), columns
/// in `rows_sql` order.
pub fn from_raw(row: &crate::store::sqlite_scan::Row<'_>) -> anyhow::Result<Record> {
    let time = |ms| rfc3339_millis(crate::store::ms_to_datetime(ms));
    let text = |i| row.text(i).map(str::to_owned).unwrap_or_default();
    Ok(Record {
        seq: row.int(0),
        agency_code: text(2),
        unit_code: text(3),
        service_code: text(4),
        answered_at: time(row.int(5)),
        received_at: time(row.int(6)),
        response: serde_json::from_str(row.text(7).unwrap_or("null"))?,
        content_hash: text(8),
        chain_hash: text(9),
        flags: flag_list(row.text(10).unwrap_or("")),
    })
}

/// `burst,same-device` as a list in reason order (the engines' aggregates
/// promise no order).
fn flag_list(text: &str) -> Vec<String> {
    let mut flags: Vec<app::domain::integrity::FlagReason> = text
        .split(',')
        .filter_map(app::domain::integrity::FlagReason::parse)
        .collect();
    flags.sort();
    flags.iter().map(|f| f.as_str().to_owned()).collect()
}

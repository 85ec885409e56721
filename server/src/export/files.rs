//! Exports that are files rather than streams of rows: XLSX (for Excel and
//! Power BI) and a Frictionless Data Package (a zip that `frictionless
//! validate` checks, for Python, R and archives). Both are written row by
//! row to disk, so memory stays flat at any size, and both carry the
//! export's manifest.

use super::records::{columns, Record, LEAD, TAIL};
use super::Manifest;
use crate::store::catalogue::ServiceRow;
use app::domain::Questionnaire;
use rust_xlsxwriter::{Format, Workbook};
use serde_json::{json, Value};
use std::io::{Seek, Write};
use std::path::Path;

/// What every file export holds besides the responses.
pub struct Context {
    pub manifest: Manifest,
    /// The item columns, in order.
    pub items: Vec<String>,
    /// Every questionnaire version the rows answered.
    pub questionnaires: Vec<Questionnaire>,
    /// The whole catalogue (public, and what `service_id` refers to).
    pub services: Vec<ServiceRow>,
    /// The complaints the account may see, with their history, as the
    /// complaint export's CSV (Data Package only).
    pub complaints: Option<Vec<u8>>,
}

/// The complaints table (one row per move of each complaint), its columns
/// read from the complaint export's header (plain names, comma-separated).
fn complaints_schema(csv: &[u8]) -> Value {
    let header = csv.split(|b| *b == b'\n').next().unwrap_or_default();
    let header = String::from_utf8_lossy(header);
    let columns: Vec<&str> = header.trim_end().split(',').collect();
    let optional = ["items", "rating", "event_note"];
    let fields: Vec<Value> = columns
        .iter()
        .map(|c| {
            let kind = match *c {
                "rating" | "event" => "integer",
                "reopened" => "boolean",
                _ => "string",
            };
            let required = !optional.contains(c);
            field(c, kind, json!({ "constraints": { "required": required } }))
        })
        .collect();
    json!({ "fields": fields, "missingValues": [""], "primaryKey": ["complaint_id", "event"] })
}

/// The questionnaire items sheet or table: one row per item of every version.
pub const ITEM_COLUMNS: [&str; 16] = [
    "questionnaire_id",
    "questionnaire_version",
    "position",
    "code",
    "label_id",
    "label_en",
    "question_id",
    "question_en",
    "answer_1_id",
    "answer_1_en",
    "answer_2_id",
    "answer_2_en",
    "answer_3_id",
    "answer_3_en",
    "answer_4_id",
    "answer_4_en",
];

fn item_rows(questionnaires: &[Questionnaire]) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    for q in questionnaires {
        for (i, item) in q.items.iter().enumerate() {
            let mut row = vec![
                q.id.clone(),
                q.version.to_string(),
                (i + 1).to_string(),
                item.code.to_string(),
                item.label.id.clone(),
                item.label.en.clone(),
                item.question.id.clone(),
                item.question.en.clone(),
            ];
            for o in &item.options {
                row.push(o.id.clone());
                row.push(o.en.clone());
            }
            rows.push(row);
        }
    }
    rows
}

pub const CATALOGUE_COLUMNS: [&str; 9] = [
    "service_id",
    "service_code",
    "service_name",
    "unit_code",
    "unit_name",
    "agency_code",
    "agency_name",
    "questionnaire_id",
    "questionnaire_version",
];

fn catalogue_rows(services: &[ServiceRow]) -> Vec<Vec<String>> {
    services
        .iter()
        .map(|s| {
            vec![
                s.service.id.to_string(),
                s.service.code.to_string(),
                s.service.name.clone(),
                s.unit_code.clone(),
                s.unit_name.clone(),
                s.agency_code.clone(),
                s.agency_name.clone(),
                s.service.questionnaire_id.clone(),
                s.service.questionnaire_version.to_string(),
            ]
        })
        .collect()
}

/// The manifest as (key, value) rows, for a sheet.
fn manifest_rows(m: &Manifest) -> Vec<(String, String)> {
    let mut rows = Vec::new();
    if let Value::Object(map) = serde_json::to_value(m).unwrap_or_default() {
        for (k, v) in map {
            match v {
                Value::Object(inner) => {
                    for (k2, v2) in inner {
                        rows.push((format!("{k}.{k2}"), plain(&v2)));
                    }
                }
                v => rows.push((k, plain(&v))),
            }
        }
    }
    rows
}

fn plain(v: &Value) -> String {
    match v {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Writes an XLSX workbook to `path`: sheet "responses" (constant memory:
/// rows go to disk as they come), "items" and "manifest". Numbers are
/// numbers; everything else, hashes and times included, is text, so that
/// Excel never rewrites them.
pub fn write_xlsx(
    ctx: &Context,
    rows: impl Iterator<Item = anyhow::Result<Record>>,
    path: &Path,
) -> anyhow::Result<u64> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let header = columns(&ctx.items);
    let numeric: Vec<bool> = header
        .iter()
        .map(|c| c == "seq" || c == "questionnaire_version" || ctx.items.contains(c))
        .collect();
    let mut written = 0u64;
    {
        let sheet = workbook.add_worksheet_with_constant_memory()?;
        sheet.set_name("responses")?;
        for (c, name) in header.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, name, &bold)?;
        }
        for record in rows {
            let record = record?;
            written += 1;
            let row = written as u32;
            for (c, value) in record.csv_fields(&ctx.items).iter().enumerate() {
                if value.is_empty() {
                    continue;
                }
                match value.parse::<f64>() {
                    Ok(n) if numeric[c] => sheet.write_number(row, c as u16, n)?,
                    _ => sheet.write_string(row, c as u16, value)?,
                };
            }
        }
    }
    for (name, header, body) in [
        ("items", &ITEM_COLUMNS[..], item_rows(&ctx.questionnaires)),
        (
            "catalogue",
            &CATALOGUE_COLUMNS[..],
            catalogue_rows(&ctx.services),
        ),
    ] {
        let sheet = workbook.add_worksheet();
        sheet.set_name(name)?;
        for (c, h) in header.iter().enumerate() {
            sheet.write_string_with_format(0, c as u16, *h, &bold)?;
        }
        for (r, row) in body.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                sheet.write_string(r as u32 + 1, c as u16, v)?;
            }
        }
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("manifest")?;
    for (r, (k, v)) in manifest_rows(&ctx.manifest).iter().enumerate() {
        sheet.write_string(r as u32, 0, k)?;
        sheet.write_string(r as u32, 1, v)?;
    }
    workbook.save(path)?;
    Ok(written)
}

/// A Table Schema field.
fn field(name: &str, kind: &str, extra: Value) -> Value {
    let mut f = json!({ "name": name, "type": kind });
    if let (Value::Object(f), Value::Object(extra)) = (&mut f, extra) {
        f.extend(extra);
    }
    f
}

/// The Table Schema of the responses table.
fn responses_schema(items: &[String]) -> Value {
    let required = json!({ "constraints": { "required": true } });
    let hash = json!({ "constraints": { "required": true, "pattern": "[0-9a-f]{64}" } });
    let time = json!({ "format": "any", "constraints": { "required": true } });
    let mut fields = Vec::new();
    for name in LEAD {
        fields.push(match name {
            "seq" => field(
                name,
                "integer",
                json!({ "constraints": { "required": true, "minimum": 1 } }),
            ),
            "id" | "service_id" => field(
                name,
                "string",
                json!({ "format": "uuid", "constraints": { "required": true } }),
            ),
            "questionnaire_version" => field(
                name,
                "integer",
                json!({ "constraints": { "required": true, "minimum": 1 } }),
            ),
            "answered_at" | "answered_at_reported" | "received_at" => {
                field(name, "datetime", time.clone())
            }
            "channel" => field(
                name,
                "string",
                json!({ "constraints": { "required": true, "enum": ["phone", "kiosk", "link"] } }),
            ),
            "respondent_sex"
            | "respondent_age_band"
            | "respondent_education"
            | "respondent_occupation"
            | "respondent_disability"
            | "app_version" => field(name, "string", json!({})),
            "device_id" => field(name, "string", json!({"format": "uuid"})),
            _ => field(name, "string", required.clone()),
        });
    }
    for code in items {
        fields.push(field(
            code,
            "integer",
            json!({ "description": format!("score of item {code}: 1 (worst) to 4 (best); empty when skipped"),
                    "constraints": { "enum": [1, 2, 3, 4] } }),
        ));
    }
    for name in TAIL {
        fields.push(match name {
            "comment" => field(name, "string", json!({})),
            "flags" => field(
                name,
                "string",
                json!({ "description": "the integrity monitor's standing flags, comma separated \
                         (same-device, burst, closed-hours, identical-run, no-device, backdated); not covered by the hashes" }),
            ),
            _ => field(name, "string", hash.clone()),
        });
    }
    json!({
        "fields": fields,
        "missingValues": [""],
        "primaryKey": ["seq"],
        "foreignKeys": [{
            "fields": ["service_id"],
            "reference": { "resource": "catalogue", "fields": ["service_id"] }
        }]
    })
}

fn text_schema(columns: &[&str], integers: &[&str], key: &[&str]) -> Value {
    let fields: Vec<Value> = columns
        .iter()
        .map(|c| {
            if integers.contains(c) {
                field(c, "integer", json!({ "constraints": { "required": true } }))
            } else {
                field(c, "string", json!({ "constraints": { "required": true } }))
            }
        })
        .collect();
    json!({ "fields": fields, "missingValues": [""], "primaryKey": key })
}

fn csv_resource(name: &str, title: &str, schema: Value) -> Value {
    json!({
        "name": name,
        "title": title,
        "path": format!("{name}.csv"),
        "profile": "tabular-data-resource",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        "dialect": { "delimiter": ",", "quoteChar": "\"", "doubleQuote": true, "header": true },
        "schema": schema,
    })
}

/// Writes a Frictionless Data Package as a zip into `out`:
/// `datapackage.json`, `responses.csv` (the CSV export), `items.csv`,
/// `catalogue.csv`, `complaints.csv` (with their history) and `manifest.json`.
pub fn write_datapackage<W: Write + Seek>(
    ctx: &Context,
    rows: impl Iterator<Item = anyhow::Result<Record>>,
    out: W,
) -> anyhow::Result<u64> {
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(out);
    let options = SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let package = json!({
        "profile": "tabular-data-package",
        "name": "suara-responses",
        "title": "Suara: citizens' ratings of public services",
        "description": "Every response selected by the filters in manifest.json, in the order the server accepted them, with each response's SHA-256 content hash and its link in the response chain. `suara verify` checks them.",
        "created": ctx.manifest.generated_at,
        "licenses": [],
        "resources": [
            csv_resource("responses", "Responses", responses_schema(&ctx.items)),
            csv_resource("items", "Questionnaire items", text_schema(&ITEM_COLUMNS, &["questionnaire_version", "position"], &["questionnaire_id", "questionnaire_version", "code"])),
            csv_resource("catalogue", "Services", text_schema(&CATALOGUE_COLUMNS, &["questionnaire_version"], &["service_id"])),
        ],
    });
    let mut package = package;
    if let Some(complaints) = &ctx.complaints {
        if let Some(resources) = package["resources"].as_array_mut() {
            resources.push(csv_resource(
                "complaints",
                "Complaints, one row per move of each (every complaint the account may see, of every period)",
                complaints_schema(complaints),
            ));
        }
    }
    zip.start_file("datapackage.json", options)?;
    zip.write_all(serde_json::to_string_pretty(&package)?.as_bytes())?;
    zip.start_file("manifest.json", options)?;
    zip.write_all(serde_json::to_string_pretty(&ctx.manifest)?.as_bytes())?;

    let mut buf = Vec::with_capacity(64 * 1024);
    zip.start_file("responses.csv", options)?;
    super::csv::push_record(&mut buf, &columns(&ctx.items));
    let mut written = 0u64;
    for record in rows {
        record?.write_csv(&ctx.items, &mut buf);
        written += 1;
        if buf.len() >= 64 * 1024 {
            zip.write_all(&buf)?;
            buf.clear();
        }
    }
    zip.write_all(&buf)?;
    for (name, header, body) in [
        (
            "items.csv",
            &ITEM_COLUMNS[..],
            item_rows(&ctx.questionnaires),
        ),
        (
            "catalogue.csv",
            &CATALOGUE_COLUMNS[..],
            catalogue_rows(&ctx.services),
        ),
    ] {
        zip.start_file(name, options)?;
        let mut buf = Vec::new();
        super::csv::push_record(&mut buf, header);
        for row in &body {
            super::csv::push_record(&mut buf, row);
        }
        zip.write_all(&buf)?;
    }
    if let Some(complaints) = &ctx.complaints {
        zip.start_file("complaints.csv", options)?;
        zip.write_all(complaints)?;
    }
    zip.finish()?;
    Ok(written)
}

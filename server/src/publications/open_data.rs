//! Open data: the published aggregates of every unit as CSV tables and a
//! Frictionless Data Package (never a single response): publications with
//! their figures, each element's NRR, the follow-up plans, and how each
//! unit handles complaints.

use super::PublicationError;
use crate::export::csv::push_record;
use crate::store::fresh::Fresh;
use crate::store::Store;
use app::model::publication::PublicUnit;
use serde_json::{json, Value};
use std::io::Write;

/// A table: its name, title, columns with their Table Schema types (`?`
/// after the type: the cell may be empty), and rows.
pub struct Table {
    pub name: &'static str,
    pub title: &'static str,
    pub columns: &'static [(&'static str, &'static str)],
    pub rows: Vec<Vec<String>>,
}

impl Table {
    pub fn csv(&self) -> Vec<u8> {
        let mut buf = Vec::new();
        let header: Vec<&str> = self.columns.iter().map(|(c, _)| *c).collect();
        push_record(&mut buf, &header);
        for r in &self.rows {
            push_record(&mut buf, r);
        }
        buf
    }

    fn resource(&self) -> Value {
        let fields: Vec<Value> = self
            .columns
            .iter()
            .map(|(name, kind)| {
                let (kind, optional) = match kind.strip_suffix('?') {
                    Some(k) => (k, true),
                    None => (*kind, false),
                };
                json!({ "name": name, "type": kind, "constraints": { "required": !optional } })
            })
            .collect();
        json!({
            "name": self.name,
            "title": self.title,
            "path": format!("{}.csv", self.name),
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
            "schema": { "fields": fields, "missingValues": [""] },
        })
    }
}

const PUBLICATIONS: &[(&str, &str)] = &[
    ("publication_id", "string"),
    ("agency_code", "string"),
    ("unit_code", "string"),
    ("unit_name", "string"),
    ("period", "string"),
    ("published_at", "datetime"),
    ("in_force", "boolean"),
    ("supersedes", "string?"),
    ("up_to_seq", "integer"),
    ("chain_hash", "string"),
    ("method", "string?"),
    ("respondents", "integer"),
    ("index", "number?"),
    ("index_low", "number?"),
    ("index_high", "number?"),
    ("grade", "string?"),
    ("provisional", "boolean"),
    ("sample_target", "integer"),
    ("follow_up_actions", "integer"),
    ("follow_up_done", "integer"),
    ("follow_up_overdue", "integer"),
    ("aggregate_url", "string?"),
    ("aggregate_sha256", "string?"),
];

const ITEMS: &[(&str, &str)] = &[
    ("publication_id", "string"),
    ("item", "string"),
    ("respondents", "integer"),
    ("nrr", "number?"),
    ("satisfied_share", "number?"),
];

const FOLLOW_UP: &[(&str, &str)] = &[
    ("publication_id", "string"),
    ("action_id", "string"),
    ("item", "string"),
    ("action", "string"),
    ("responsible", "string"),
    ("due_on", "date"),
    ("status", "string"),
    ("reason", "string?"),
    ("overdue", "boolean"),
];

const COMPLAINTS: &[(&str, &str)] = &[
    ("agency_code", "string"),
    ("unit_code", "string"),
    ("received", "integer"),
    ("verified", "integer"),
    ("verified_in_time_share", "number?"),
    ("answered", "integer"),
    ("answered_in_time_share", "number?"),
    ("median_days_to_first_answer", "number?"),
    ("median_days_to_resolution", "number?"),
    ("confirmed_share", "number?"),
    ("reopened_share", "number?"),
];

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The four tables of `units`' public data.
pub fn tables(units: &[PublicUnit]) -> [Table; 4] {
    let (mut pubs, mut items, mut actions, mut complaints) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for u in units {
        for p in &u.publications {
            let s = p.summary();
            let interval = s.as_ref().and_then(|s| s.index_interval);
            let progress = &p.follow_up_progress;
            pubs.push(vec![
                p.id.to_string(),
                u.agency.code.clone(),
                u.unit.code.clone(),
                u.unit.name.clone(),
                p.period.clone(),
                p.published_at.clone(),
                p.superseded_by.is_none().to_string(),
                opt(p.supersedes),
                p.up_to_seq.to_string(),
                p.chain_hash.clone(),
                p.method().unwrap_or_default().to_owned(),
                opt(s.as_ref().map(|s| s.n)),
                opt(s.as_ref().and_then(|s| s.index)),
                opt(interval.map(|i| i.low)),
                opt(interval.map(|i| i.high)),
                opt(s.as_ref().and_then(|s| s.grade).map(|g| g.letter())),
                s.as_ref().is_some_and(|s| s.provisional).to_string(),
                opt(s.as_ref().map(|s| s.sample_target)),
                progress.actions.to_string(),
                progress.done.to_string(),
                progress.overdue.to_string(),
                opt(p.aggregate.as_ref().map(|a| &a.url)),
                opt(p.aggregate.as_ref().map(|a| &a.sha256)),
            ]);
            for i in s.iter().flat_map(|s| &s.items) {
                items.push(vec![
                    p.id.to_string(),
                    i.code.to_string(),
                    i.n.to_string(),
                    opt(i.nrr),
                    opt(i.satisfied_share),
                ]);
            }
            for a in &p.follow_up {
                actions.push(vec![
                    p.id.to_string(),
                    a.id.to_string(),
                    a.item.clone(),
                    a.action.clone(),
                    a.responsible.clone(),
                    a.due_on.clone(),
                    a.status.as_str().to_owned(),
                    a.reason.clone().unwrap_or_default(),
                    a.overdue.to_string(),
                ]);
            }
        }
        let c = &u.complaints;
        complaints.push(vec![
            u.agency.code.clone(),
            u.unit.code.clone(),
            c.received.to_string(),
            c.verified.to_string(),
            opt(c.verified_in_time_share),
            c.answered.to_string(),
            opt(c.answered_in_time_share),
            opt(c.median_days_to_first_answer),
            opt(c.median_days_to_resolution),
            opt(c.confirmed_share),
            opt(c.reopened_share),
        ]);
    }
    [
        Table {
            name: "publications",
            title: "Published SKM periods, with their figures and chain position",
            columns: PUBLICATIONS,
            rows: pubs,
        },
        Table {
            name: "publication_items",
            title: "Each service element's figures in each publication",
            columns: ITEMS,
            rows: items,
        },
        Table {
            name: "follow_up",
            title: "Follow-up plans (rencana tindak lanjut) of the publications",
            columns: FOLLOW_UP,
            rows: actions,
        },
        Table {
            name: "complaint_outcomes",
            title: "How each unit handles complaints",
            columns: COMPLAINTS,
            rows: complaints,
        },
    ]
}

/// The Data Package as last built, shared by every request for a while:
/// building it reads every unit's publications and complaint courses, so
/// however many ask at once it is built once, and at most once per
/// [`DataPackageCache::FRESH`]; the rest wait for that build (holding no
/// database connection) or take the copy.
pub struct DataPackageCache(Fresh<(), bytes::Bytes>);

impl Default for DataPackageCache {
    fn default() -> Self {
        Self(Fresh::new(Self::FRESH))
    }
}

impl DataPackageCache {
    /// How long a built Data Package is served before it is built again.
    pub const FRESH: std::time::Duration = std::time::Duration::from_secs(60);

    pub async fn get(&self, store: &Store) -> Result<bytes::Bytes, PublicationError> {
        self.0
            .get((), || async {
                Ok(bytes::Bytes::from(datapackage(store).await?))
            })
            .await
    }
}

/// The Data Package of every unit's published aggregates, as a zip.
pub async fn datapackage(store: &Store) -> Result<Vec<u8>, PublicationError> {
    let units = super::public::public_units_whole(store).await?;
    let tables = tables(&units);
    let package = json!({
        "profile": "tabular-data-package",
        "name": "suara-published",
        "title": "Suara: published satisfaction results, follow-up plans and complaint outcomes",
        "description": "Aggregates only, never a single response. Each publication names the response chain's sequence number and hash its figures were computed from; `suara verify-publication` checks them.",
        "licenses": [],
        "resources": tables.iter().map(Table::resource).collect::<Vec<_>>(),
    });
    zipped(&package, &tables).map_err(|e| PublicationError::Internal(e.to_string()))
}

fn zipped(package: &Value, tables: &[Table]) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("datapackage.json", options)?;
    zip.write_all(
        serde_json::to_string_pretty(package)
            .unwrap_or_default()
            .as_bytes(),
    )?;
    for t in tables {
        zip.start_file(format!("{}.csv", t.name), options)?;
        zip.write_all(&t.csv())?;
    }
    Ok(zip.finish()?.into_inner())
}

/// `/publik` as CSV: every unit with its latest published grade.
pub fn units_csv(lines: &[app::model::publication::PublicUnitLine]) -> Vec<u8> {
    let mut buf = Vec::new();
    push_record(
        &mut buf,
        &[
            "agency_code",
            "agency_name",
            "unit_code",
            "unit_name",
            "period",
            "index",
            "grade",
        ],
    );
    for l in lines {
        push_record(
            &mut buf,
            &[
                l.agency.code.clone(),
                l.agency.name.clone(),
                l.unit.code.clone(),
                l.unit.name.clone(),
                l.period.clone().unwrap_or_default(),
                opt(l.index),
                l.grade.clone().unwrap_or_default(),
            ],
        );
    }
    buf
}

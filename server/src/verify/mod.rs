//! `suara verify FILE [--manifest M]`: proves an export (CSV, JSON Lines or
//! a Data Package zip) whole, or names the first row that is not.
//!
//! Every row's fields are rebuilt into the canonical response and hashed
//! again (an altered row fails here); sequence numbers must rise (a swapped
//! or duplicated row fails here); where one row follows another in the chain,
//! its chain hash must be `SHA-256(previous ‖ content_hash)` (a row inserted
//! with a made-up hash fails here); a jump in sequence numbers is a dropped
//! row unless the manifest says the export was filtered. With the manifest,
//! the row count, the first and last sequence numbers and the chain hashes
//! around the rows must be the manifest's.

pub mod database;
mod live;
pub mod publication;

pub use live::against;

use crate::chain::{content_hash, link, GENESIS};
use crate::export::records::Record;
use crate::export::Manifest;
use anyhow::Context;
use std::io::BufRead;
use std::path::Path;

/// What a verification found.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    pub rows: u64,
    pub first_seq: Option<i64>,
    pub last_seq: Option<i64>,
    pub last_chain_hash: Option<String>,
    /// The first thing wrong, naming its row; `None` when the file is whole.
    pub problem: Option<String>,
    /// What was checked, and what this file cannot show.
    pub notes: Vec<String>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.problem.is_none()
    }
}

/// Verifies the export at `path`: CSV, JSON Lines or a Data Package zip
/// (which carries its own manifest, used unless another is given), told by
/// its extension or, failing that, by its first bytes.
pub fn verify_path(path: &Path, manifest: Option<&Manifest>) -> anyhow::Result<Report> {
    let own = package_manifest(path)?;
    let manifest = manifest.or(own.as_ref());
    let mut check = Checker::new(manifest);
    each_record(path, |n, record| check.row(n, record))?;
    let mut report = check.finish();
    if manifest.is_none() && is_package(path)? {
        report
            .notes
            .push("the package has no manifest.json".to_owned());
    }
    Ok(report)
}

fn is_package(path: &Path) -> anyhow::Result<bool> {
    let mut start = [0u8; 2];
    let mut f =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let n = std::io::Read::read(&mut f, &mut start)?;
    Ok(n == 2 && &start == b"PK")
}

/// The `manifest.json` inside a Data Package; `None` for other files.
pub fn package_manifest(path: &Path) -> anyhow::Result<Option<Manifest>> {
    if !is_package(path)? {
        return Ok(None);
    }
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path)?).context("not a readable zip")?;
    let manifest = match zip.by_name("manifest.json") {
        Ok(f) => Some(serde_json::from_reader(f).context("manifest.json is not a manifest")?),
        Err(_) => None,
    };
    Ok(manifest)
}

/// Calls `each` with every data row of the export at `path` (numbered from
/// 1) until it returns false.
pub fn each_record(
    path: &Path,
    mut each: impl FnMut(u64, Result<Record, String>) -> bool,
) -> anyhow::Result<()> {
    if is_package(path)? {
        let mut zip =
            zip::ZipArchive::new(std::fs::File::open(path)?).context("not a readable zip")?;
        let csv = zip
            .by_name("responses.csv")
            .context("the package has no responses.csv")?;
        return each_csv(csv, each);
    }
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut reader = std::io::BufReader::new(file);
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    let jsonl = match ext.as_str() {
        "jsonl" | "ndjson" => true,
        "csv" => false,
        _ => reader.fill_buf()?.first() == Some(&b'{'),
    };
    if !jsonl {
        return each_csv(reader, each);
    }
    for (i, line) in reader.lines().enumerate() {
        let line = line?;
        if line.trim().is_empty() {
            continue;
        }
        let record = serde_json::from_str::<serde_json::Value>(&line)
            .map_err(|e| e.to_string())
            .and_then(|v| Record::from_json(&v));
        if !each(i as u64 + 1, record) {
            break;
        }
    }
    Ok(())
}

fn each_csv(
    reader: impl std::io::Read,
    mut each: impl FnMut(u64, Result<Record, String>) -> bool,
) -> anyhow::Result<()> {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let header: Vec<String> = csv.headers()?.iter().map(str::to_owned).collect();
    for (i, row) in csv.records().enumerate() {
        // Cells were neutralised against spreadsheet formulas when written.
        let row: Vec<String> = row?
            .iter()
            .map(|c| crate::export::csv::restore(c).to_owned())
            .collect();
        if !each(i as u64 + 1, Record::from_csv(&header, &row)) {
            break;
        }
    }
    Ok(())
}

struct Checker<'m> {
    manifest: Option<&'m Manifest>,
    report: Report,
    previous: Option<(u64, Record)>,
    gaps: u64,
}

impl<'m> Checker<'m> {
    fn new(manifest: Option<&'m Manifest>) -> Self {
        Self {
            manifest,
            report: Report::default(),
            previous: None,
            gaps: 0,
        }
    }

    fn fail(&mut self, problem: String) -> bool {
        self.report.problem = Some(problem);
        false
    }

    /// Checks data row `n` (from 1); false once something is wrong.
    fn row(&mut self, n: u64, record: Result<Record, String>) -> bool {
        let r = match record {
            Ok(r) => r,
            Err(e) => return self.fail(format!("row {n}: cannot be read: {e}")),
        };
        let name = format!("row {n} (seq {}, id {})", r.seq, r.response.id);
        if content_hash(&r.response.to_json()) != r.content_hash {
            return self.fail(format!(
                "{name}: its fields do not match its content hash: the row was altered"
            ));
        }
        match &self.previous {
            None => {
                let before = self
                    .manifest
                    .map(|m| m.chain_before.as_str())
                    .or((r.seq == 1).then_some(GENESIS));
                if let Some(before) = before {
                    if link(before, &r.content_hash).as_deref() != Some(r.chain_hash.as_str()) {
                        return self.fail(format!(
                            "{name}: its chain hash does not follow the chain before the first row: \
                             the row was altered or inserted"
                        ));
                    }
                }
                self.report.first_seq = Some(r.seq);
            }
            Some((m, p)) => {
                let m = *m;
                if r.seq <= p.seq {
                    return self.fail(format!(
                        "{name}: its sequence number is not after row {m}'s ({}): rows were \
                         reordered, repeated or inserted",
                        p.seq
                    ));
                }
                if r.seq == p.seq + 1 {
                    if link(&p.chain_hash, &r.content_hash).as_deref()
                        != Some(r.chain_hash.as_str())
                    {
                        return self.fail(format!(
                            "{name}: its chain hash does not follow row {m}'s: a row was inserted \
                             here, or a hash altered"
                        ));
                    }
                } else {
                    let filtered = self.manifest.is_some_and(|m| !m.complete);
                    if !filtered {
                        let missing = if r.seq == p.seq + 2 {
                            format!("sequence number {} is", p.seq + 1)
                        } else {
                            format!("sequence numbers {} to {} are", p.seq + 1, r.seq - 1)
                        };
                        let why = if self.manifest.is_some() {
                            "the manifest says the export is complete, so rows were dropped or \
                             reordered"
                        } else {
                            "rows were dropped or reordered, or this is a filtered export: give \
                             its manifest (--manifest) to verify a filtered export"
                        };
                        return self.fail(format!(
                            "{name}: {missing} missing between row {m} and this one: {why}"
                        ));
                    }
                    self.gaps += 1;
                }
            }
        }
        self.report.rows += 1;
        self.report.last_seq = Some(r.seq);
        self.report.last_chain_hash = Some(r.chain_hash.clone());
        self.previous = Some((n, r));
        true
    }

    fn finish(mut self) -> Report {
        if self.report.problem.is_some() {
            return self.report;
        }
        let r = &self.report;
        if let Some(m) = self.manifest {
            let after = r.last_chain_hash.as_deref().unwrap_or(&m.chain_before);
            let problem = if m.row_count != r.rows {
                Some(format!(
                    "the file has {} rows where its manifest says {}: rows were dropped or added \
                     (at the end, if nothing else was found)",
                    r.rows, m.row_count
                ))
            } else if m.first_seq != r.first_seq || m.last_seq != r.last_seq {
                Some(format!(
                    "the file runs from sequence number {:?} to {:?}, its manifest from {:?} to {:?}",
                    r.first_seq, r.last_seq, m.first_seq, m.last_seq
                ))
            } else if after != m.chain_after {
                Some("the last row's chain hash is not the manifest's chain_after".to_owned())
            } else {
                None
            };
            if let Some(p) = problem {
                self.report.problem = Some(p);
                return self.report;
            }
        }
        let mut notes = vec![format!(
            "{} rows: every row's content hash matches its fields, and sequence numbers rise",
            r.rows
        )];
        match (self.manifest, r.first_seq) {
            (Some(m), _) if m.complete => notes.push(format!(
                "complete export: one unbroken chain from sequence number {} to {}, ending in the \
                 manifest's chain hash {}",
                r.first_seq.unwrap_or(0),
                m.up_to_seq,
                m.chain_after
            )),
            (Some(_), _) => notes.push(format!(
                "filtered export: the row count, first and last rows and the chain around them \
                 match the manifest; links are checked between consecutive sequence numbers only \
                 ({} jumps left unchecked), so a row that matches the filters but was replaced \
                 across a jump, with its hashes recomputed, cannot be told from this file",
                self.gaps
            )),
            (None, Some(1)) => notes.push(
                "one unbroken chain from the first response; without the manifest, rows cut off \
                 after the last one cannot be told: compare the last chain hash with the \
                 manifest's chain_after"
                    .to_owned(),
            ),
            (None, _) => notes.push(
                "the chain is unbroken between the rows, but without the manifest the first row's \
                 link and rows cut off at either end cannot be checked"
                    .to_owned(),
            ),
        }
        if let Some(h) = &r.last_chain_hash {
            notes.push(format!("last chain hash: {h}"));
        }
        self.report.notes = notes;
        self.report
    }
}

//! What a catalogue file would change: its rows checked one by one, then
//! compared with the catalogue as it is. Pure: the server reads the file,
//! and its store reads the catalogue and applies a plan.

use super::{check_code, check_name};
use crate::domain::zone::{OpeningHours, Zone};
use std::collections::{BTreeMap, BTreeSet};

/// One row of a catalogue file as read, with its line (the header is line 1).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FileRow {
    pub line: usize,
    pub agency_code: String,
    pub agency_name: String,
    pub agency_name_en: String,
    pub unit_code: String,
    pub unit_name: String,
    pub unit_name_en: String,
    pub unit_yearly_volume: String,
    /// Optional: `Asia/Jakarta`, `Asia/Makassar`, `Asia/Jayapura` (or WIB,
    /// WITA, WIT). Empty: a new unit is in WIB, a unit already there keeps
    /// its zone.
    pub unit_time_zone: String,
    /// Optional: `08.00-16.00`. Empty: a unit already there keeps its hours.
    pub unit_opening_hours: String,
    pub service_code: String,
    pub service_name: String,
    pub service_name_en: String,
    pub questionnaire: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Agency {
    pub code: String,
    pub name: String,
    pub name_en: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    pub code: String,
    pub agency: String,
    pub name: String,
    pub name_en: Option<String>,
    pub yearly_volume: Option<i64>,
    /// The unit's zone; `None` in a file that does not say (the unit keeps
    /// the one it has; a new one is in WIB).
    pub time_zone: Option<Zone>,
    /// When it is open; `None` in a file that does not say (the unit keeps
    /// the hours it has).
    pub opening_hours: Option<OpeningHours>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Service {
    pub code: String,
    pub unit: String,
    pub name: String,
    pub name_en: Option<String>,
    pub questionnaire: String,
}

/// A catalogue's agencies, units and services by code: what the database
/// holds, or what a file says.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Entries {
    pub agencies: BTreeMap<String, Agency>,
    pub units: BTreeMap<String, Unit>,
    pub services: BTreeMap<String, Service>,
}

/// Why a row is refused, with what the person must fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Reason {
    BadCode { column: &'static str, value: String },
    EmptyName { column: &'static str },
    BadVolume(String),
    BadTimeZone(String),
    BadOpeningHours(String),
    UnknownQuestionnaire(String),
    DuplicateService { code: String, first_line: usize },
    AgencyDiffers { code: String, first_line: usize },
    UnitDiffers { code: String, first_line: usize },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    pub line: usize,
    pub reason: Reason,
}

/// One change a file makes; `Add…` for a code the catalogue lacks, `Change…`
/// for one it has, with the row before and after.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Change {
    AddAgency(Agency),
    ChangeAgency { before: Agency, after: Agency },
    AddUnit(Unit),
    ChangeUnit { before: Unit, after: Unit },
    AddService(Service),
    ChangeService { before: Service, after: Service },
}

/// What importing a file would do.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Plan {
    /// Agencies first, then units, then services, each in code order: the
    /// order they can be applied in.
    pub changes: Vec<Change>,
    pub refused: Vec<Refused>,
    /// Services the catalogue has and the file does not name: kept, never
    /// removed by an import.
    pub missing: Vec<String>,
    /// Rows read (the header not counted).
    pub rows: usize,
}

/// How many of each kind, for the audit entry and the summary line.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    pub rows: usize,
    pub agencies_added: usize,
    pub agencies_changed: usize,
    pub units_added: usize,
    pub units_changed: usize,
    pub services_added: usize,
    pub services_changed: usize,
    pub services_unchanged: usize,
    pub refused: usize,
    pub missing: usize,
}

impl Plan {
    /// Nothing would change (refused rows aside).
    pub fn unchanged(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts {
            rows: self.rows,
            refused: self.refused.len(),
            missing: self.missing.len(),
            ..Counts::default()
        };
        for change in &self.changes {
            match change {
                Change::AddAgency(_) => c.agencies_added += 1,
                Change::ChangeAgency { .. } => c.agencies_changed += 1,
                Change::AddUnit(_) => c.units_added += 1,
                Change::ChangeUnit { .. } => c.units_changed += 1,
                Change::AddService(_) => c.services_added += 1,
                Change::ChangeService { .. } => c.services_changed += 1,
            }
        }
        let refused_lines = self.refused.len();
        c.services_unchanged = self
            .rows
            .saturating_sub(refused_lines + c.services_added + c.services_changed);
        c
    }
}

fn optional(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

/// The row's agency, unit and service, or the first reason it is refused.
fn read_row(
    r: &FileRow,
    questionnaires: &BTreeSet<String>,
) -> Result<(Agency, Unit, Service), Reason> {
    let code = |column: &'static str, value: &str| {
        check_code(value).ok_or_else(|| Reason::BadCode {
            column,
            value: value.to_owned(),
        })
    };
    let name =
        |column: &'static str, value: &str| check_name(value).ok_or(Reason::EmptyName { column });
    let agency = Agency {
        code: code("agency_code", &r.agency_code)?,
        name: name("agency_name", &r.agency_name)?,
        name_en: optional(&r.agency_name_en),
    };
    let volume = match r.unit_yearly_volume.trim() {
        "" => None,
        v => Some(
            v.parse::<i64>()
                .ok()
                .filter(|v| *v > 0)
                .ok_or_else(|| Reason::BadVolume(v.to_owned()))?,
        ),
    };
    let time_zone = match r.unit_time_zone.trim() {
        "" => None,
        z => Some(Zone::parse(z).ok_or_else(|| Reason::BadTimeZone(z.to_owned()))?),
    };
    let opening_hours = match r.unit_opening_hours.trim() {
        "" => None,
        h => Some(OpeningHours::parse(h).ok_or_else(|| Reason::BadOpeningHours(h.to_owned()))?),
    };
    let unit = Unit {
        code: code("unit_code", &r.unit_code)?,
        agency: agency.code.clone(),
        name: name("unit_name", &r.unit_name)?,
        name_en: optional(&r.unit_name_en),
        yearly_volume: volume,
        time_zone,
        opening_hours,
    };
    let questionnaire = r.questionnaire.trim().to_owned();
    if !questionnaires.contains(&questionnaire) {
        return Err(Reason::UnknownQuestionnaire(questionnaire));
    }
    let service = Service {
        code: code("service_code", &r.service_code)?,
        unit: unit.code.clone(),
        name: name("service_name", &r.service_name)?,
        name_en: optional(&r.service_name_en),
        questionnaire,
    };
    Ok((agency, unit, service))
}

/// The catalogue `rows` describe, and the rows refused: a row is refused
/// for its own faults, for naming a service an earlier row named, or for
/// describing an agency or unit otherwise than the first row that did.
pub fn read(rows: &[FileRow], questionnaires: &BTreeSet<String>) -> (Entries, Vec<Refused>) {
    let mut file = Entries::default();
    let mut first: BTreeMap<(&'static str, String), usize> = BTreeMap::new();
    let mut refused = Vec::new();
    for r in rows {
        let checked = read_row(r, questionnaires).and_then(|(agency, unit, service)| {
            let seen =
                |kind: &'static str, code: &str| first.get(&(kind, code.to_owned())).copied();
            if let Some(first_line) = seen("service", &service.code) {
                return Err(Reason::DuplicateService {
                    code: service.code,
                    first_line,
                });
            }
            if let Some(a) = file.agencies.get(&agency.code).filter(|a| **a != agency) {
                return Err(Reason::AgencyDiffers {
                    code: a.code.clone(),
                    first_line: seen("agency", &a.code).unwrap_or_default(),
                });
            }
            if let Some(u) = file.units.get(&unit.code).filter(|u| **u != unit) {
                return Err(Reason::UnitDiffers {
                    code: u.code.clone(),
                    first_line: seen("unit", &u.code).unwrap_or_default(),
                });
            }
            Ok((agency, unit, service))
        });
        match checked {
            Ok((agency, unit, service)) => {
                first
                    .entry(("agency", agency.code.clone()))
                    .or_insert(r.line);
                first.entry(("unit", unit.code.clone())).or_insert(r.line);
                first.insert(("service", service.code.clone()), r.line);
                file.agencies.entry(agency.code.clone()).or_insert(agency);
                file.units.entry(unit.code.clone()).or_insert(unit);
                file.services.insert(service.code.clone(), service);
            }
            Err(reason) => refused.push(Refused {
                line: r.line,
                reason,
            }),
        }
    }
    (file, refused)
}

/// What importing `rows` into `now` would change. Nothing is ever removed:
/// a service `now` has and the file lacks is listed in `missing`.
pub fn plan(rows: &[FileRow], now: &Entries, questionnaires: &BTreeSet<String>) -> Plan {
    let (file, refused) = read(rows, questionnaires);
    let mut changes = Vec::new();
    for (code, a) in &file.agencies {
        match now.agencies.get(code) {
            None => changes.push(Change::AddAgency(a.clone())),
            Some(b) if b != a => changes.push(Change::ChangeAgency {
                before: b.clone(),
                after: a.clone(),
            }),
            Some(_) => {}
        }
    }
    for (code, u) in &file.units {
        // A zone the file does not say is the one the unit has (a new
        // unit's: WIB); a unit with none said is in WIB.
        let before = now.units.get(code).map(|b| Unit {
            time_zone: Some(b.time_zone.unwrap_or_default()),
            ..b.clone()
        });
        let mut u = u.clone();
        u.time_zone = u
            .time_zone
            .or_else(|| before.as_ref().and_then(|b| b.time_zone))
            .or(Some(Zone::default()));
        u.opening_hours = u
            .opening_hours
            .or_else(|| before.as_ref().and_then(|b| b.opening_hours));
        let u = &u;
        match before.as_ref() {
            None => changes.push(Change::AddUnit(u.clone())),
            Some(b) if b != u => changes.push(Change::ChangeUnit {
                before: b.clone(),
                after: u.clone(),
            }),
            Some(_) => {}
        }
    }
    for (code, s) in &file.services {
        match now.services.get(code) {
            None => changes.push(Change::AddService(s.clone())),
            Some(b) if b != s => changes.push(Change::ChangeService {
                before: b.clone(),
                after: s.clone(),
            }),
            Some(_) => {}
        }
    }
    let missing = now
        .services
        .keys()
        .filter(|c| !file.services.contains_key(*c))
        .cloned()
        .collect();
    Plan {
        changes,
        refused,
        missing,
        rows: rows.len(),
    }
}

/// The rows of a file that describes `catalogue` (every service with its
/// unit and agency), in code order: what an export writes.
pub fn rows_of(catalogue: &Entries) -> Vec<FileRow> {
    let mut rows: Vec<FileRow> = catalogue
        .services
        .values()
        .filter_map(|s| {
            let u = catalogue.units.get(&s.unit)?;
            let a = catalogue.agencies.get(&u.agency)?;
            Some(FileRow {
                line: 0,
                agency_code: a.code.clone(),
                agency_name: a.name.clone(),
                agency_name_en: a.name_en.clone().unwrap_or_default(),
                unit_code: u.code.clone(),
                unit_name: u.name.clone(),
                unit_name_en: u.name_en.clone().unwrap_or_default(),
                unit_yearly_volume: u.yearly_volume.map(|v| v.to_string()).unwrap_or_default(),
                unit_time_zone: u.time_zone.map(|z| z.iana().to_owned()).unwrap_or_default(),
                unit_opening_hours: u.opening_hours.map(|h| h.to_string()).unwrap_or_default(),
                service_code: s.code.clone(),
                service_name: s.name.clone(),
                service_name_en: s.name_en.clone().unwrap_or_default(),
                questionnaire: s.questionnaire.clone(),
            })
        })
        .collect();
    rows.sort_by(|a, b| {
        (&a.agency_code, &a.unit_code, &a.service_code).cmp(&(
            &b.agency_code,
            &b.unit_code,
            &b.service_code,
        ))
    });
    for (i, r) in rows.iter_mut().enumerate() {
        r.line = i + 2;
    }
    rows
}

mod display;

#[cfg(test)]
mod tests;

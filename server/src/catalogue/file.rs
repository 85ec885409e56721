//! Catalogue files: CSV (UTF-8, a header row) or XLSX (its first sheet),
//! one row per service, columns found by their header's name in any order.

use super::CatalogueError;
use app::domain::catalogue::import::FileRow;
use calamine::Reader;

/// The columns a file must have, in the order an export writes them.
pub const REQUIRED: [&str; 8] = [
    "agency_code",
    "agency_name",
    "unit_code",
    "unit_name",
    "unit_yearly_volume",
    "service_code",
    "service_name",
    "questionnaire",
];

/// English names, optional in a file, written last by an export.
pub const ENGLISH: [&str; 3] = ["agency_name_en", "unit_name_en", "service_name_en"];

/// The unit's time zone, optional in a file (empty: a new unit is in WIB,
/// one already there keeps its zone), written after the English names.
pub const TIME_ZONE: &str = "unit_time_zone";

/// The unit's opening hours (`08.00-16.00`), optional in a file (empty: a
/// unit keeps its hours), written last.
pub const OPENING_HOURS: &str = "unit_opening_hours";

/// The two kinds of file, told by the name's extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn of(file_name: &str) -> Result<Self, CatalogueError> {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Ok(Self::Csv)
        } else if lower.ends_with(".xlsx") {
            Ok(Self::Xlsx)
        } else {
            Err(CatalogueError::Format(file_name.to_owned()))
        }
    }
}

/// Builds rows from a header and the cells of each line.
fn rows_from(
    header: &[String],
    lines: impl Iterator<Item = (usize, Vec<String>)>,
) -> Result<Vec<FileRow>, CatalogueError> {
    let find = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let mut at = Vec::new();
    for name in REQUIRED {
        at.push(find(name).ok_or(CatalogueError::MissingColumn(name))?);
    }
    let en: Vec<Option<usize>> = ENGLISH.iter().map(|n| find(n)).collect();
    let zone = find(TIME_ZONE);
    let hours = find(OPENING_HOURS);
    let mut rows = Vec::new();
    for (line, cells) in lines {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let cell = |i: Option<usize>| {
            i.and_then(|i| cells.get(i))
                .map(|c| c.trim().to_owned())
                .unwrap_or_default()
        };
        rows.push(FileRow {
            line,
            agency_code: cell(Some(at[0])),
            agency_name: cell(Some(at[1])),
            unit_code: cell(Some(at[2])),
            unit_name: cell(Some(at[3])),
            unit_yearly_volume: cell(Some(at[4])),
            service_code: cell(Some(at[5])),
            service_name: cell(Some(at[6])),
            questionnaire: cell(Some(at[7])),
            agency_name_en: cell(en[0]),
            unit_name_en: cell(en[1]),
            service_name_en: cell(en[2]),
            unit_time_zone: cell(zone),
            unit_opening_hours: cell(hours),
        });
    }
    Ok(rows)
}

/// The rows of a catalogue file.
pub fn read(bytes: &[u8], format: Format) -> Result<Vec<FileRow>, CatalogueError> {
    match format {
        Format::Csv => {
            // Spreadsheets save CSV with a byte-order mark.
            let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
            let mut reader = csv::ReaderBuilder::new().flexible(true).from_reader(bytes);
            let bad = |e: csv::Error| CatalogueError::Unreadable(e.to_string());
            let header: Vec<String> = reader
                .headers()
                .map_err(bad)?
                .iter()
                .map(str::to_owned)
                .collect();
            let mut lines = Vec::new();
            for record in reader.records() {
                let record = record.map_err(bad)?;
                let line = record.position().map_or(0, |p| p.line() as usize);
                let cells = record.iter().map(crate::export::csv::restore);
                lines.push((line, cells.map(str::to_owned).collect()));
            }
            rows_from(&header, lines.into_iter())
        }
        Format::Xlsx => {
            let bad = |e: calamine::Error| CatalogueError::Unreadable(e.to_string());
            let mut book =
                calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).map_err(bad)?;
            let sheet = book
                .worksheet_range_at(0)
                .ok_or_else(|| CatalogueError::Unreadable("the workbook has no sheet".into()))?
                .map_err(bad)?;
            let first = sheet.start().map_or(0, |(row, _)| row as usize);
            let mut all = sheet.rows().enumerate().map(|(i, cells)| {
                (
                    first + i + 1,
                    cells.iter().map(|c| c.to_string()).collect::<Vec<String>>(),
                )
            });
            let Some((_, header)) = all.next() else {
                return Err(CatalogueError::MissingColumn(REQUIRED[0]));
            };
            rows_from(&header, all)
        }
    }
}

fn cells(r: &FileRow) -> [&str; 13] {
    [
        &r.agency_code,
        &r.agency_name,
        &r.unit_code,
        &r.unit_name,
        &r.unit_yearly_volume,
        &r.service_code,
        &r.service_name,
        &r.questionnaire,
        &r.agency_name_en,
        &r.unit_name_en,
        &r.service_name_en,
        &r.unit_time_zone,
        &r.unit_opening_hours,
    ]
}

/// `rows` as a file of `format`: the required columns, then the English ones.
pub fn write(rows: &[FileRow], format: Format) -> Result<Vec<u8>, CatalogueError> {
    let header: Vec<&str> = REQUIRED
        .iter()
        .chain(ENGLISH.iter())
        .copied()
        .chain([TIME_ZONE, OPENING_HOURS])
        .collect();
    match format {
        Format::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            let bad = |e: csv::Error| CatalogueError::Unreadable(e.to_string());
            w.write_record(&header).map_err(bad)?;
            for r in rows {
                let safe = cells(r).map(crate::export::csv::neutralise);
                w.write_record(safe.iter().map(|c| c.as_bytes()))
                    .map_err(bad)?;
            }
            w.into_inner()
                .map_err(|e| CatalogueError::Unreadable(e.to_string()))
        }
        Format::Xlsx => {
            let bad = |e: rust_xlsxwriter::XlsxError| CatalogueError::Unreadable(e.to_string());
            let mut book = rust_xlsxwriter::Workbook::new();
            let sheet = book.add_worksheet();
            sheet.set_name("catalogue").map_err(bad)?;
            for (c, h) in header.iter().enumerate() {
                sheet.write_string(0, c as u16, *h).map_err(bad)?;
            }
            for (i, r) in rows.iter().enumerate() {
                for (c, v) in cells(r).iter().enumerate() {
                    if !v.is_empty() {
                        sheet
                            .write_string(i as u32 + 1, c as u16, *v)
                            .map_err(bad)?;
                    }
                }
            }
            book.save_to_buffer().map_err(bad)
        }
    }
}

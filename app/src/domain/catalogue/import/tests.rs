use super::*;

fn row(line: usize, agency: &str, unit: &str, service: &str) -> FileRow {
    FileRow {
        line,
        agency_code: agency.into(),
        agency_name: format!("Agency {agency}"),
        unit_code: unit.into(),
        unit_name: format!("Unit {unit}"),
        service_code: service.into(),
        service_name: format!("Service {service}"),
        questionnaire: "skm-2017".into(),
        ..FileRow::default()
    }
}

fn questionnaires() -> BTreeSet<String> {
    ["skm-2017".to_owned(), "layanan-6".to_owned()].into()
}

#[test]
fn a_new_catalogue_is_all_additions_in_the_order_they_apply() {
    let rows = [
        row(2, "ag", "u1", "s1"),
        row(3, "ag", "u1", "s2"),
        row(4, "ag", "u2", "s3"),
    ];
    let p = plan(&rows, &Entries::default(), &questionnaires());
    assert!(p.refused.is_empty());
    let kinds: Vec<&str> = p
        .changes
        .iter()
        .map(|c| match c {
            Change::AddAgency(_) => "agency",
            Change::AddUnit(_) => "unit",
            Change::AddService(_) => "service",
            _ => "change",
        })
        .collect();
    assert_eq!(
        kinds,
        ["agency", "unit", "unit", "service", "service", "service"]
    );
    let c = p.counts();
    assert_eq!(
        (c.agencies_added, c.units_added, c.services_added),
        (1, 2, 3)
    );
    assert_eq!(c.services_unchanged, 0);
}

#[test]
fn the_same_file_again_changes_nothing_and_a_rename_is_one_change() {
    let rows = vec![row(2, "ag", "u1", "s1"), row(3, "ag", "u1", "s2")];
    let (now, _) = read(&rows, &questionnaires());
    let again = plan(&rows, &now, &questionnaires());
    assert!(again.unchanged());
    assert_eq!(again.counts().services_unchanged, 2);

    let mut renamed = rows.clone();
    renamed[1].service_name = "Paspor elektronik".into();
    let p = plan(&renamed, &now, &questionnaires());
    assert_eq!(p.changes.len(), 1);
    assert_eq!(
        p.changes[0].to_string(),
        "service s2: renamed \"Service s2\" → \"Paspor elektronik\""
    );
    assert_eq!(p.counts().services_unchanged, 1);
}

#[test]
fn moves_and_questionnaire_changes_are_named() {
    let rows = vec![row(2, "ag", "u1", "s1"), row(3, "bg", "u2", "s2")];
    let (now, _) = read(&rows, &questionnaires());
    let mut moved = rows.clone();
    moved[0].unit_code = "u2".into();
    moved[0].unit_name = "Unit u2".into();
    moved[0].agency_code = "bg".into();
    moved[0].agency_name = "Agency bg".into();
    moved[1].questionnaire = "layanan-6".into();
    let p = plan(&moved, &now, &questionnaires());
    let said: Vec<String> = p.changes.iter().map(ToString::to_string).collect();
    assert_eq!(
        said,
        [
            "service s1: moved from unit u1 to u2",
            "service s2: questionnaire skm-2017 → layanan-6"
        ]
    );
    // Nothing is removed: u1 and agency a have no service left in the file,
    // and stay; no service is missing.
    assert!(p.missing.is_empty());
}

#[test]
fn every_refused_row_names_its_line_and_reason() {
    let mut bad_code = row(2, "ag", "u1", "S 1");
    bad_code.service_code = "S 1".into();
    let mut empty = row(3, "ag", "u1", "s2");
    empty.unit_name = "  ".into();
    let mut unknown = row(4, "ag", "u1", "s3");
    unknown.questionnaire = "nope".into();
    let dup_first = row(5, "ag", "u1", "s4");
    let dup = row(6, "ag", "u1", "s4");
    let mut other_name = row(7, "ag", "u1", "s5");
    other_name.agency_name = "Another".into();
    let mut volume = row(8, "ag", "u9", "s6");
    volume.unit_yearly_volume = "-3".into();
    let rows = [bad_code, empty, unknown, dup_first, dup, other_name, volume];
    let p = plan(&rows, &Entries::default(), &questionnaires());
    let said: Vec<String> = p
        .refused
        .iter()
        .map(|r| format!("{}: {}", r.line, r.reason))
        .collect();
    assert_eq!(
        said,
        [
            "2: service_code \"S 1\" is not a code (2–60 lowercase letters, digits and hyphens)",
            "3: unit_name is empty (or over 200 characters)",
            "4: no questionnaire has the id \"nope\"",
            "6: service s4 is on line 5 already",
            "7: agency ag has another name on line 5",
            "8: unit_yearly_volume \"-3\" is not a positive whole number",
        ]
    );
    // The one good row is still planned.
    assert_eq!(p.counts().services_added, 1);
}

#[test]
fn services_the_file_lacks_are_listed_not_removed() {
    let rows = vec![row(2, "ag", "u1", "s1"), row(3, "ag", "u1", "s2")];
    let (now, _) = read(&rows, &questionnaires());
    let p = plan(&rows[..1], &now, &questionnaires());
    assert!(p.unchanged());
    assert_eq!(p.missing, ["s2"]);
}

#[test]
fn an_export_reads_back_as_the_same_catalogue() {
    let mut rows = vec![row(2, "bg", "u2", "s2"), row(3, "ag", "u1", "s1")];
    rows[0].service_name_en = "Passport".into();
    rows[0].unit_yearly_volume = "1200".into();
    let (catalogue, refused) = read(&rows, &questionnaires());
    assert!(refused.is_empty());
    let out = rows_of(&catalogue);
    assert_eq!(out[0].service_code, "s1", "in code order");
    assert_eq!((out[0].line, out[1].line), (2, 3));
    assert_eq!(read(&out, &questionnaires()).0, catalogue);
}

#[test]
fn a_units_time_zone_is_set_kept_when_unsaid_and_refused_when_not_indonesias() {
    let rows = vec![row(2, "ag", "u1", "s1")];
    let (mut now, _) = read(&rows, &questionnaires());
    now.units.get_mut("u1").unwrap().time_zone = Some(Zone::Wib);
    // Said: a change of the unit.
    let mut wit = rows.clone();
    wit[0].unit_time_zone = "Asia/Jayapura".into();
    let p = plan(&wit, &now, &questionnaires());
    assert_eq!(
        p.changes.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        ["unit u1: time zone Asia/Jakarta → Asia/Jayapura"]
    );
    // Unsaid: the unit keeps the zone it has.
    now.units.get_mut("u1").unwrap().time_zone = Some(Zone::Wit);
    assert!(plan(&rows, &now, &questionnaires()).unchanged());
    // A new unit with none said is in WIB; an abbreviation is read too.
    let mut new = vec![row(2, "ag", "u9", "s9"), row(3, "ag", "u8", "s8")];
    new[1].unit_time_zone = "wita".into();
    let p = plan(&new, &now, &questionnaires());
    let zones: Vec<Option<Zone>> = p
        .changes
        .iter()
        .filter_map(|c| match c {
            Change::AddUnit(u) => Some(u.time_zone),
            _ => None,
        })
        .collect();
    assert_eq!(zones, [Some(Zone::Wita), Some(Zone::Wib)], "u8, then u9");
    // Another country's zone is refused, naming the column.
    let mut bad = rows.clone();
    bad[0].unit_time_zone = "Europe/Paris".into();
    let p = plan(&bad, &now, &questionnaires());
    assert_eq!(p.refused.len(), 1);
    assert!(p.refused[0]
        .reason
        .to_string()
        .starts_with("unit_time_zone \"Europe/Paris\""));
}

#[test]
fn a_units_opening_hours_are_set_kept_when_unsaid_and_refused_when_unreadable() {
    let rows = vec![row(2, "ag", "u1", "s1")];
    let (now, _) = read(&rows, &questionnaires());
    let mut said = rows.clone();
    said[0].unit_opening_hours = "7:30-15:00".into();
    let p = plan(&said, &now, &questionnaires());
    assert_eq!(
        p.changes.iter().map(|c| c.to_string()).collect::<Vec<_>>(),
        ["unit u1: opening hours — → 07.30–15.00"]
    );
    // Unsaid: the unit keeps its hours.
    let (with_hours, _) = read(&said, &questionnaires());
    assert!(plan(&rows, &with_hours, &questionnaires()).unchanged());
    // Written back as read.
    assert_eq!(
        rows_of(&with_hours)
            .iter()
            .map(|r| r.unit_opening_hours.as_str())
            .collect::<Vec<_>>(),
        ["07.30–15.00"]
    );
    for bad in ["16.00-08.00", "pagi", "08.00"] {
        let mut rows = rows.clone();
        rows[0].unit_opening_hours = bad.into();
        let p = plan(&rows, &now, &questionnaires());
        assert_eq!(p.refused.len(), 1, "{bad}");
        assert!(p.refused[0]
            .reason
            .to_string()
            .starts_with(&format!("unit_opening_hours \"{bad}\"")));
    }
}

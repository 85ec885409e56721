//! The catalogue: a search over agencies, units and services, the forms
//! that add and rename them, and the questionnaires as editable JSON.

use super::{options, ChangeForm};
use crate::domain::catalogue::Catalog;
use crate::domain::Questionnaire;
use crate::pages::staff::{Field, Labelled};
use crate::text::{tr, use_lang, Msg};
use leptos::prelude::*;

const CODE: &str = "[a-z0-9-]{2,60}";
/// Up to this many services, the catalogue's agencies are shown unfolded.
const OPEN_UP_TO: usize = 40;

#[component]
pub(super) fn CatalogueSection(
    catalog: Catalog,
    q: String,
    units: Vec<(String, String)>,
) -> impl IntoView {
    // The latest version of each questionnaire, as editable JSON.
    let mut latest: Vec<Questionnaire> = Vec::new();
    for q in &catalog.questionnaires {
        match latest.iter_mut().find(|l| l.id == q.id) {
            Some(l) if l.version < q.version => *l = q.clone(),
            Some(_) => {}
            None => latest.push(q.clone()),
        }
    }
    let found = catalog.search(&q.trim().to_lowercase());
    let agencies: Vec<(String, String)> = catalog
        .agencies
        .iter()
        .map(|a| (a.code.clone(), a.name.clone()))
        .collect();
    let services: Vec<(String, String)> = catalog
        .agencies
        .iter()
        .flat_map(|a| a.units.iter())
        .flat_map(|u| u.services.iter().map(|s| (s.code.clone(), s.name.clone())))
        .collect();
    let n_services = services.len();
    // A large catalogue shows its agencies folded until a search narrows it.
    let open = !q.trim().is_empty() || n_services <= OPEN_UP_TO;
    let (agency_options, unit_options, service_options) =
        (options(&agencies), options(&units), options(&services));
    let questionnaire_options = latest
        .iter()
        .map(|q| {
            let text = format!("{} ({} v{})", q.name.id, q.id, q.version);
            view! { <option value=q.id.clone()>{text}</option> }
        })
        .collect_view();
    view! {
        <section class="card" aria-labelledby="catalogue-title">
            <h2 id="catalogue-title">{tr(Msg::Catalogue)} {format!(" ({n_services})")}</h2>
            <form method="get" action="/admin" class="pickers" role="search">
                <Field id="q" label=Msg::SearchLabel kind="search" required=false value=q.clone()/>
                <button type="submit">{tr(Msg::Show)}</button>
            </form>
            <ul class="agencies" data-figure="catalogue">
                {found.into_iter().map(|a| tree(a, open)).collect_view()}
            </ul>
            <ChangeForm title=Msg::AddAgency action="/admin/agency">
                    <Field id="agency-code" name="code" label=Msg::Code pattern=CODE/>
                    <Field id="agency-name" name="name" label=Msg::Name/>
            </ChangeForm>
            <ChangeForm title=Msg::AddUnit action="/admin/unit">
                    <Labelled id="unit-agency".into() label=Msg::Agency>
                        <select id="unit-agency" name="agency">{agency_options}</select>
                    </Labelled>
                    <Field id="unit-code" name="code" label=Msg::Code pattern=CODE/>
                    <Field id="unit-name" name="name" label=Msg::Name/>
                    <Field
                        id="unit-volume"
                        name="yearly_volume"
                        label=Msg::YearlyVolume
                        kind="number"
                        min="1"
                        required=false
                    />
                    <Labelled id="unit-zone".into() label=Msg::TimeZone>
                        <select id="unit-zone" name="time_zone">
                            {crate::domain::zone::Zone::ALL
                                .into_iter()
                                .map(|z| {
                                    let label = format!("{} ({})", z.abbreviation(), z.iana());
                                    view! { <option value=z.iana()>{label}</option> }
                                })
                                .collect_view()}
                        </select>
                    </Labelled>
                    <Field
                        id="unit-hours"
                        name="opening_hours"
                        label=Msg::OpeningHours
                        pattern=r"\s*\d{1,2}[.:]\d{2}\s*(-|–)\s*\d{1,2}[.:]\d{2}\s*"
                        required=false
                    />
            </ChangeForm>
            <ChangeForm title=Msg::AddService action="/admin/service">
                    <Labelled id="service-unit".into() label=Msg::Unit>
                        <select id="service-unit" name="unit">{unit_options}</select>
                    </Labelled>
                    <Field id="service-code" name="code" label=Msg::Code pattern=CODE/>
                    <Field id="service-name" name="name" label=Msg::Name/>
                    <Labelled id="service-questionnaire".into() label=Msg::Questionnaire>
                        <select id="service-questionnaire" name="questionnaire">
                            {questionnaire_options}
                        </select>
                    </Labelled>
            </ChangeForm>
            <ChangeForm title=Msg::RenameService action="/admin/service/rename">
                    <Labelled id="rename-service".into() label=Msg::Services>
                        <select id="rename-service" name="code">{service_options}</select>
                    </Labelled>
                    <Field id="rename-name" name="name" label=Msg::Name/>
            </ChangeForm>
        </section>
        <section class="card" id="import" aria-labelledby="import-title">
            <h2 id="import-title">{tr(Msg::CatalogueImport)}</h2>
            <p class="muted" id="import-help">{tr(Msg::CatalogueImportHelp)}</p>
            <form method="post" action="/admin/katalog" enctype="multipart/form-data" class="login">
                <Labelled id="import-file".into() label=Msg::CatalogueFile>
                    <input
                        type="file"
                        id="import-file"
                        name="file"
                        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
                        aria-describedby="import-help"
                        required
                    />
                </Labelled>
                <button type="submit" class="primary">{tr(Msg::PreviewImport)}</button>
            </form>
            <p>
                <a href="/admin/katalog.csv" download>{tr(Msg::DownloadCatalogueCsv)}</a>
                " · "
                <a href="/admin/katalog.xlsx" download>{tr(Msg::DownloadCatalogueXlsx)}</a>
            </p>
        </section>
        <section class="card" aria-labelledby="questionnaires-title">
            <h2 id="questionnaires-title">{tr(Msg::Questionnaires)}</h2>
            <p class="muted">{tr(Msg::QuestionnaireHelp)}</p>
            {latest.into_iter().map(definition).collect_view()}
        </section>
    }
}

/// An agency with its units and their services, under a summary that
/// folds them (`open`: unfolded at first).
fn tree(a: crate::domain::catalogue::AgencyEntry, open: bool) -> impl IntoView {
    let count: usize = a.units.iter().map(|u| u.services.len()).sum();
    let services = Msg::Services
        .text(use_lang().get_untracked())
        .to_lowercase();
    let units = a
        .units
        .into_iter()
        .map(|u| {
            let services = u
                .services
                .into_iter()
                .map(|s| {
                    let text = format!(
                        "{} ({}, {} v{})",
                        s.name, s.code, s.questionnaire_id, s.questionnaire_version
                    );
                    view! { <li data-service=s.code.clone()>{text}</li> }
                })
                .collect_view();
            let posters = format!("/posters?unit={}", u.code);
            view! {
                <li>
                    {format!("{} ({})", u.name, u.code)} " · "
                    <a href=posters>{tr(Msg::PostersOfUnit)}</a>
                    <ul class="services">{services}</ul>
                </li>
            }
        })
        .collect_view();
    view! {
        <li>
            <details open=open>
                <summary>
                    <h3>{format!("{} ({})", a.name, a.code)}</h3>
                    {format!(" · {count} {services}")}
                </summary>
                <ul>{units}</ul>
            </details>
        </li>
    }
}

/// A questionnaire's latest version as JSON to edit into the next.
fn definition(q: Questionnaire) -> impl IntoView {
    let area_id = format!("def-{}", q.id);
    let json = serde_json::to_string_pretty(&q).unwrap_or_default();
    view! {
        <details>
            <summary>{format!("{} ({} v{})", q.name.id, q.id, q.version)}</summary>
            <form method="post" action="/admin/questionnaire" class="login">
                <input type="hidden" name="id" value=q.id.clone()/>
                <Labelled id=area_id.clone() label=Msg::Definition>
                    <textarea id=area_id name="definition" rows="16" spellcheck="false">
                        {json}
                    </textarea>
                </Labelled>
                <button type="submit" class="primary">{tr(Msg::SaveNewVersion)}</button>
            </form>
        </details>
    }
}

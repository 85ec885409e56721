//! `/reports/skm?unit=CODE&period=2026-S2`: the report a unit publishes
//! under Permenpan RB 14/2017, in Indonesian as the regulation asks, to be
//! printed on A4 from the browser: respondents and their profile, each
//! element's NRR and weighted NRR, the index and its grade, the lowest
//! elements, and the matrix of answers. Its figures are the summary API's
//! (the same roll-ups); the matrix reads the responses themselves.

use super::dashboard::two;
use crate::backend::backend;
use crate::domain::integrity::Flagged;
use crate::domain::scoring::{Attribute, Breakdown};
use crate::model::report::{SkmReport, MATRIX_ROWS};
use crate::pages::profile::{attribute_label, group_name};
use crate::pages::staff::Picker;
use crate::text::{tr, use_lang, Lang, Msg};
use leptos::prelude::*;

#[component]
pub fn SkmReportPage(
    unit: Option<String>,
    period: Option<String>,
    error: Option<String>,
    flagged: bool,
    details: Option<String>,
) -> impl IntoView {
    let flagged = if flagged {
        Flagged::Include
    } else {
        Flagged::Exclude
    };
    super::staff_page(
        Msg::SkmReportTitle,
        move || {
            let (unit, period) = (unit.clone(), period.clone());
            super::signed_in(move |token| async move {
                backend().skm_report(&token, unit, period, flagged).await
            })
        },
        move |report| {
            view! { <Report report error=error.clone() notice=details.clone()/> }.into_any()
        },
        super::refused_with_detail(Msg::SkmReportTitle, "/reports/skm"),
    )
}

/// The scores' sum of an item: Σ score over its answers.
fn score_sum(distribution: &[u64; 4]) -> u64 {
    distribution
        .iter()
        .zip(1u64..)
        .map(|(count, score)| count * score)
        .sum()
}

#[component]
fn Report(report: SkmReport, error: Option<String>, notice: Option<String>) -> impl IntoView {
    let lang = use_lang().get_untracked();
    let s = &report.answer.summary;
    let labels: Vec<(String, String)> = report
        .answer
        .questionnaire
        .items
        .iter()
        .map(|i| (i.code.to_string(), i.label.id.clone()))
        .collect();
    let label = |code: &str| {
        labels
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, l)| l.clone())
            .unwrap_or_default()
    };
    // Weighted NRR: each scored element counts 1/k (k = elements scored).
    let k = s.items.iter().filter(|i| i.n > 0).count().max(1) as f64;
    let weighted_total: f64 = s.items.iter().filter_map(|i| i.nrr).sum::<f64>() / k;
    let elements = s
        .items
        .iter()
        .enumerate()
        .map(|(n, i)| {
            let code = i.code.to_string();
            view! {
                <tr data-item=code.clone()>
                    <td>{n + 1}</td>
                    <th scope="row">{format!("{code} {}", label(&code))}</th>
                    <td>{i.n}</td>
                    <td>{score_sum(&i.distribution)}</td>
                    <td data-nrr="">{i.nrr.map(two).unwrap_or_else(|| "—".into())}</td>
                    <td>{i.nrr.map(|x| format!("{:.3}", x / k)).unwrap_or_else(|| "—".into())}</td>
                </tr>
            }
        })
        .collect_view();
    let mut lowest: Vec<_> = s.items.iter().filter(|i| i.nrr.is_some()).collect();
    lowest.sort_by(|a, b| {
        a.nrr
            .partial_cmp(&b.nrr)
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    let lowest = lowest
        .into_iter()
        .take(3)
        .map(|i| {
            let code = i.code.to_string();
            view! {
                <li data-lowest=code.clone()>
                    {format!("{code} {}: NRR {}", label(&code), i.nrr.map(two).unwrap_or_default())}
                </li>
            }
        })
        .collect_view();
    let grade = s.grade;
    let index = s.index.map(two).unwrap_or_else(|| "—".into());
    let interval = s
        .index_interval
        .map(|i| format!("{:.2} – {:.2}", i.low, i.high))
        .unwrap_or_else(|| "—".into());
    let units = report
        .units
        .iter()
        .map(|(code, name)| {
            let selected = *code == report.unit_code;
            view! { <option value=code.clone() selected=selected>{format!("{name} ({code})")}</option> }
        })
        .collect_view();
    let codes: Vec<String> = labels.iter().map(|(c, _)| c.clone()).collect();
    let matrix_head = codes
        .iter()
        .map(|c| view! { <th scope="col">{c.clone()}</th> })
        .collect_view();
    let matrix = report
        .matrix
        .iter()
        .enumerate()
        .map(|(n, row)| {
            let profile = Attribute::ALL
                .iter()
                .enumerate()
                .map(|(a, _)| {
                    let text = if row.hidden[a] {
                        "*".to_owned()
                    } else {
                        row.profile[a]
                            .as_deref()
                            .map(|g| group_name(g, Lang::Id))
                            .unwrap_or_else(|| "—".into())
                    };
                    view! { <td>{text}</td> }
                })
                .collect_view();
            let scores = row
                .scores
                .iter()
                .map(
                    |s| view! { <td>{s.map(|s| s.to_string()).unwrap_or_else(|| "—".into())}</td> },
                )
                .collect_view();
            view! {
                <tr>
                    <td>{n + 1}</td>
                    <td>{row.day.clone()}</td>
                    {profile}
                    {scores}
                </tr>
            }
        })
        .collect_view();
    let shown_rows = report.matrix.len();
    let export = format!(
        "/export?unit={}&from={}&to={}",
        report.unit_code, report.from, report.to
    );
    let truncated = (report.respondents > shown_rows as u64).then(|| {
        view! {
            <p class="muted">
                {format!(
                    "Matriks ini memuat {shown_rows} dari {} responden (paling banyak {MATRIX_ROWS}); seluruhnya ada di ",
                    report.respondents,
                )}
                <a href=export.clone()>"unduhan data"</a> "."
            </p>
        }
    });
    let publish = report.may_publish.then(|| {
        view! {
                <form method="post" action="/reports/skm/publish" class="no-print publish">
                    <input type="hidden" name="unit" value=report.unit_code.clone()/>
                    <input type="hidden" name="period" value=report.period.clone()/>
                    {error.map(|e| view! { <p role="alert" class="error">{tr(Msg::PublishRefused)} ": " {e}</p> })}
                    <p id="publish-hint" class="muted">{tr(Msg::PublishHint)}</p>
                    <button type="submit" class="secondary" aria-describedby="publish-hint">{tr(Msg::PublishPeriod)}</button>
                </form>
        }
    });
    view! {
            <div class="report">
                <form method="get" action="/reports/skm" class="pickers no-print">
                    <Picker id="unit" label=Msg::ExportUnit>
                        {units}
                    </Picker>
                    <div class="field">
                        <label for="period">{tr(Msg::ReportPeriod)}</label>
                        <input
                            id="period"
                            name="period"
                            value=report.period.clone()
                            pattern="[0-9]{4}(-(S[12]|Q[1-4]|[0-9]{2}))?"
                            aria-describedby="period-hint"
                        />
                        <p id="period-hint" class="muted">"2026 · 2026-S1 · 2026-Q3 · 2026-11"</p>
                    </div>
                    <button type="submit" class="primary">{tr(Msg::ShowReport)}</button>
                </form>
    {publish}
                <p class="no-print muted">{tr(Msg::PrintHint)}</p>
                <h1>"Laporan Survei Kepuasan Masyarakat"</h1>
                <p class="report-meta">
                    <strong>{report.unit_name.clone()}</strong> " (" {report.unit_code.clone()} ") · "
                    {report.agency_name.clone()} <br/> "Periode " {report.period.clone()} ": "
                    {report.from.clone()} " s.d. " {report.to.clone()}
                    " · Kuesioner " {report.answer.questionnaire.id.clone()}
                    " · Dasar: Peraturan Menteri PANRB Nomor 14 Tahun 2017"
                </p>
                <section aria-labelledby="r-summary">
                    <h2 id="r-summary">"1. Ringkasan"</h2>
                    <table class="report-table">
                        <tbody>
                            <tr>
                                <th scope="row">"Jumlah responden"</th>
                                <td data-figure="respondents">{s.n}</td>
                            </tr>
                            <tr>
                                <th scope="row">"Target sampel (Krejcie–Morgan)"</th>
                                <td>{s.sample_target}</td>
                            </tr>
                            <tr>
                                <th scope="row">"Indeks Kepuasan Masyarakat (IKM)"</th>
                                <td data-figure="index">{index}</td>
                            </tr>
                            <tr>
                                <th scope="row">"Interval kepercayaan 95%"</th>
                                <td>{interval}</td>
                            </tr>
                            <tr>
                                <th scope="row">"Mutu pelayanan"</th>
                                <td data-figure="grade">{grade.map(|g| g.letter()).unwrap_or("—")}</td>
                            </tr>
                            <tr>
                                <th scope="row">"Kinerja unit pelayanan"</th>
                                <td>{grade.map(|g| g.performance_id()).unwrap_or("—")}</td>
                            </tr>
                        </tbody>
                    </table>
                    {s.provisional.then(|| view! {
                        <p class="muted" data-flag="provisional">
                            "Sementara: jumlah responden masih di bawah target sampel."
                        </p>
                    })}
                    <p class="muted" data-figure="flagged" data-mode=report.answer.flagged.figures.as_str()>
                        {flagged_statement(&report)}
                    </p>
                </section>
                <Method report=report.clone()/>
                <section aria-labelledby="r-profile">
                    <h2 id="r-profile">"2. Profil responden"</h2>
                    {report.profile.iter().map(|b| profile_table(b, s.n, lang)).collect_view()}
                    <p class="muted">
                        "Kelompok dengan 1–10 responden (dan bila perlu kelompok kecil berikutnya) disembunyikan agar tidak ada responden yang dapat dikenali."
                    </p>
                </section>
                <section aria-labelledby="r-elements">
                    <h2 id="r-elements">"3. Nilai per unsur pelayanan"</h2>
                    <div class="table-wrap" tabindex="0">
                        <table class="report-table" data-figure="elements">
                            <thead>
                                <tr>
                                    {heads(&["No", "Unsur", "Jumlah jawaban", "Jumlah nilai", "NRR", "NRR tertimbang"])}
                                </tr>
                            </thead>
                            <tbody>{elements}</tbody>
                            <tfoot>
                                <tr>
                                    <th scope="row" colspan="5">"Jumlah NRR tertimbang"</th>
                                    <td>{format!("{weighted_total:.3}")}</td>
                                </tr>
                                <tr>
                                    <th scope="row" colspan="5">"IKM = jumlah NRR tertimbang × 25"</th>
                                    <td>{s.index.map(two).unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            </tfoot>
                        </table>
                    </div>
                    <p class="muted">
                        "NRR = jumlah nilai ÷ jumlah jawaban; bobot tiap unsur 1/k untuk k unsur yang dinilai, dijumlahkan sebagai pecahan tepat (bukan 0,111)."
                    </p>
                </section>
                <section aria-labelledby="r-lowest">
                    <h2 id="r-lowest">"4. Unsur dengan nilai terendah"</h2>
                    <ol>{lowest}</ol>
                </section>
                <section aria-labelledby="r-matrix" class="page-break">
                    <h2 id="r-matrix">"5. Matriks jawaban responden"</h2>
                    {truncated}
                    <div class="table-wrap" tabindex="0">
                        <table class="report-table matrix" data-figure="matrix">
                            <thead>
                                <tr>
                                    {heads(&["No", "Tanggal", "JK", "Umur", "Pendidikan", "Pekerjaan", "Disabilitas"])}
                                    {matrix_head}
                                </tr>
                            </thead>
                            <tbody>{matrix}</tbody>
                        </table>
                    </div>
                    <p class="muted">"* disembunyikan: kelompok terlalu kecil. — tidak diisi."</p>
                </section>
                <Signature report=report.clone()/>
                {report.may_publish.then(|| view! { <DetailsForm report=report.clone() notice/> })}
            </div>
        }
}

/// An ISO day as the regulation's reports write it: `15 Juli 2026`.
fn tanggal(day: &str) -> String {
    const MONTHS: [&str; 12] = [
        "Januari",
        "Februari",
        "Maret",
        "April",
        "Mei",
        "Juni",
        "Juli",
        "Agustus",
        "September",
        "Oktober",
        "November",
        "Desember",
    ];
    match crate::domain::period::parse_day(day) {
        Some(d) => format!(
            "{} {} {}",
            d.day(),
            MONTHS[usize::from(u8::from(d.month())) - 1],
            d.year()
        ),
        None => day.to_owned(),
    }
}

/// A NIP as it is printed: `19700101 199503 2 001`.
fn nip_text(nip: &str) -> String {
    if nip.len() == 18 && nip.is_ascii() {
        format!(
            "{} {} {} {}",
            &nip[..8],
            &nip[8..14],
            &nip[14..15],
            &nip[15..]
        )
    } else {
        nip.to_owned()
    }
}

/// A channel's name in the report.
fn channel_name(channel: &str) -> &str {
    match channel {
        "phone" => "Ponsel warga (kode QR)",
        "kiosk" => "Kios (tablet di loket)",
        "link" => "Tautan",
        other => other,
    }
}

/// How the figures were reached: the period, the sample against its
/// target, how it was reached, the channels, the periods before, the forum.
#[component]
fn Method(report: SkmReport) -> impl IntoView {
    let s = &report.answer.summary;
    let m = &report.method;
    let reached = if s.n >= m.sample_target {
        "tercapai"
    } else {
        "belum tercapai"
    };
    let population = m
        .population
        .map(|p| format!(" dari populasi {p} layanan setahun"))
        .unwrap_or_default();
    let channels = m
        .channels
        .iter()
        .map(|c| {
            view! {
                <tr data-channel=c.channel.clone()>
                    <th scope="row">{channel_name(&c.channel).to_owned()}</th>
                    <td>{c.n}</td>
                </tr>
            }
        })
        .collect_view();
    let this = (
        report.period.clone(),
        s.n,
        s.index.map(two).unwrap_or_else(|| "—".into()),
        s.grade
            .map(|g| g.letter().to_owned())
            .unwrap_or_else(|| "—".into()),
    );
    let rows = std::iter::once(this)
        .chain(m.previous.iter().map(|p| {
            (
                p.period.clone(),
                p.n,
                p.index.map(two).unwrap_or_else(|| "—".into()),
                p.grade.clone().unwrap_or_else(|| "—".into()),
            )
        }))
        .map(|(period, n, index, grade)| {
            let label = period.clone();
            view! {
                <tr data-period=period>
                    <th scope="row">{label}</th>
                    <td>{n}</td>
                    <td>{index}</td>
                    <td>{grade}</td>
                </tr>
            }
        })
        .collect_view();
    let sampling = (!report.details.sampling.is_empty()).then(|| {
        view! { <p data-figure="sampling">"Cara pengambilan sampel: " {report.details.sampling.clone()}</p> }
    });
    let fkp = report.details.fkp_date.as_deref().map(|d| {
        view! {
            <p data-figure="fkp">
                "Hasil survei dibahas dalam Forum Konsultasi Publik pada " {tanggal(d)} "."
            </p>
        }
    });
    view! {
        <section aria-labelledby="r-method">
            <h2 id="r-method">"Metode"</h2>
            <p data-figure="method">
                "Periode survei " {report.from.clone()} " s.d. " {report.to.clone()}
                ". Target sampel " {m.sample_target} " responden (Krejcie–Morgan" {population}
                "); terkumpul " {s.n} " responden, target " {reached} "."
            </p>
            {sampling}
            <table class="report-table" data-figure="channels">
                <caption>"Responden menurut saluran"</caption>
                <thead><tr>{heads(&["Saluran", "Responden"])}</tr></thead>
                <tbody>{channels}</tbody>
            </table>
            <table class="report-table" data-figure="previous">
                <caption>"IKM periode ini dan periode sebelumnya"</caption>
                <thead><tr>{heads(&["Periode", "Responden", "IKM", "Mutu"])}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
            {fkp}
        </section>
    }
}

/// Who signs the report, with room for the signature.
#[component]
fn Signature(report: SkmReport) -> impl IntoView {
    let d = &report.details;
    (!d.signatory_name.is_empty()).then(|| {
        view! {
            <div class="signature" data-figure="signatory">
                <p>{d.signatory_position.clone()}</p>
                <p class="signature-space"></p>
                <p><strong>{d.signatory_name.clone()}</strong></p>
                {(!d.signatory_nip.is_empty()).then(|| view! { <p>"NIP. " {nip_text(&d.signatory_nip)}</p> })}
            </div>
        }
    })
}

/// The form that sets the forum's day, the signatory and the sampling
/// (the unit's head or an administrator; not printed).
#[component]
fn DetailsForm(report: SkmReport, notice: Option<String>) -> impl IntoView {
    let d = report.details.clone();
    let notice = notice.map(|n| {
        if n == "saved" {
            view! { <p role="status" class="notice-ok">{tr(Msg::ReportDetailsSaved)}</p> }
                .into_any()
        } else {
            let why = match n.as_str() {
                "bad-nip" => tr(Msg::ReportBadNip),
                "bad-date" => tr(Msg::ReportBadDate),
                "too-long" => tr(Msg::ReportTooLong),
                "control-character" => tr(Msg::ReportControl),
                _ => tr(Msg::ReportNotYours),
            };
            view! { <p role="alert" class="error">{tr(Msg::ReportDetailsRefused)} ": " {why}</p> }
                .into_any()
        }
    });
    view! {
        <section id="rincian" aria-labelledby="rincian-title" class="no-print">
            <h2 id="rincian-title">{tr(Msg::ReportDetailsTitle)}</h2>
            {notice}
            <form method="post" action="/reports/skm/rincian" class="card" data-form="report-details">
                <input type="hidden" name="unit" value=report.unit_code.clone()/>
                <input type="hidden" name="period" value=report.period.clone()/>
                <div class="field">
                    <label for="fkp_date">{tr(Msg::ReportFkpDate)}</label>
                    <input id="fkp_date" name="fkp_date" type="date" value=d.fkp_date.clone().unwrap_or_default()/>
                </div>
                <div class="field">
                    <label for="signatory_name">{tr(Msg::ReportSignatoryName)}</label>
                    <input id="signatory_name" name="signatory_name" maxlength="200" value=d.signatory_name.clone()/>
                </div>
                <div class="field">
                    <label for="signatory_position">{tr(Msg::ReportSignatoryPosition)}</label>
                    <input id="signatory_position" name="signatory_position" maxlength="200" value=d.signatory_position.clone()/>
                </div>
                <div class="field">
                    <label for="signatory_nip">"NIP"</label>
                    <input id="signatory_nip" name="signatory_nip" inputmode="numeric" maxlength="24" pattern="( *[0-9]){18} *" aria-describedby="nip-hint" value=nip_text(&d.signatory_nip)/>
                    <p id="nip-hint" class="muted">{tr(Msg::ReportNipHint)}</p>
                </div>
                <div class="field">
                    <label for="sampling">{tr(Msg::ReportSampling)}</label>
                    <textarea id="sampling" name="sampling" rows="3" maxlength="2000" aria-describedby="sampling-hint">{d.sampling.clone()}</textarea>
                    <p id="sampling-hint" class="muted">{tr(Msg::ReportSamplingHint)}</p>
                </div>
                <button type="submit" class="primary">{tr(Msg::ReportDetailsSave)}</button>
            </form>
        </section>
    }
}

/// One attribute of the respondent profile: each group's count and share
/// of all `total` respondents.
fn profile_table(b: &Breakdown, total: u64, lang: Lang) -> impl IntoView {
    let rows = b
        .groups
        .iter()
        .map(|g| {
            // "Pelajar/Mahasiswa" may break after its slash on a phone.
            let name = group_name(&g.group, Lang::Id)
                .split_inclusive('/')
                .map(|part| view! { {part.to_owned()} {part.ends_with('/').then(|| view! { <wbr/> })} })
                .collect_view();
            let (count, share) = match (&g.summary, g.suppressed) {
                (_, true) => ("*".to_owned(), String::new()),
                (Some(s), false) => (
                    s.n.to_string(),
                    if total > 0 {
                        format!("{:.1}%", s.n as f64 * 100.0 / total as f64)
                    } else {
                        String::new()
                    },
                ),
                (None, false) => ("0".to_owned(), String::new()),
            };
            view! {
                <tr>
                    <th scope="row">{name}</th>
                    <td>{count}</td>
                    <td>{share}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="report-table profile" data-attribute=b.attribute.as_str()>
            <caption>{attribute_label(b.attribute).text(Lang::Id)}</caption>
            <thead>
                <tr>
                    <th scope="col">{attribute_label(b.attribute).text(lang)}</th>
                    <th scope="col">"Jumlah"</th>
                    <th scope="col">"%"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

/// What the report says of flagged responses, with the way to the other
/// reading (not printed).
fn flagged_statement(report: &SkmReport) -> impl IntoView {
    let n = report.answer.flagged.responses;
    if n == 0 {
        return view! {
            "Tidak ada tanggapan pada periode ini yang ditandai pemantau integritas."
        }
        .into_any();
    }
    let base = format!(
        "/reports/skm?unit={}&period={}",
        report.unit_code, report.period
    );
    let (said, href, other) = match report.answer.flagged.figures {
        Flagged::Exclude => (
            format!(
                "{n} tanggapan ditandai pemantau integritas dan tidak dihitung dalam laporan ini \
                 sampai auditor menghapus tandanya."
            ),
            format!("{base}&flagged=include"),
            "Tampilkan laporan yang ikut menghitungnya",
        ),
        Flagged::Include => (
            format!(
                "{n} tanggapan ditandai pemantau integritas dan ikut dihitung dalam laporan ini."
            ),
            base,
            "Tampilkan laporan tanpa tanggapan itu",
        ),
    };
    view! {
        {said} " "
        <a class="no-print" href=href data-link="flagged-other">{other}</a>
    }
    .into_any()
}

/// Column headers of the report's tables, in the regulation's words.
fn heads(columns: &[&'static str]) -> impl IntoView {
    columns
        .iter()
        .map(|c| view! { <th scope="col">{*c}</th> })
        .collect_view()
}

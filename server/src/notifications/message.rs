//! What a notification says, in the person's language: a subject, a plain
//! text part and an HTML part, every link to the page that needs them. The
//! complaint's own words are not copied into e-mail (it travels through
//! servers nobody here controls): the link opens them behind the sign-in.

use crate::store::complaints::ComplaintRecord;
use crate::store::notifications::{Kind, Pending};
use html_escape::encode_text as esc;

/// A message ready to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Composed {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// One thing a message tells: a line, and the page it links to.
struct Item {
    line: String,
    link: String,
}

/// The words for `n` (of complaint `c`, when it is about one), with links
/// under `base` (the public URL).
fn item(n: &Pending, c: Option<&ComplaintRecord>, base: &str, en: bool) -> Item {
    if n.kind == Kind::WeeklyDigest {
        return weekly(n, base, en);
    }
    if n.kind == Kind::Alert {
        return alert(n, base, en);
    }
    let (code, service, unit) = c.map_or_else(
        || (String::new(), String::new(), String::new()),
        |c| {
            (
                c.code.to_string(),
                c.service.name.clone(),
                c.unit.name.clone(),
            )
        },
    );
    let complaint = format!("{base}/pengaduan/{code}");
    let line = match (n.kind, en) {
        (Kind::ComplaintFiled, false) => {
            format!("Pengaduan baru {code} untuk {unit}, layanan {service}. Verifikasi dalam 3 hari kerja.")
        }
        (Kind::ComplaintFiled, true) => {
            format!("New complaint {code} for {unit}, service {service}. Verify it within 3 working days.")
        }
        (Kind::ComplaintForwarded, false) => {
            format!("Pengaduan {code} (layanan {service}) dialihkan ke {unit}.")
        }
        (Kind::ComplaintForwarded, true) => {
            format!("Complaint {code} (service {service}) was forwarded to {unit}.")
        }
        (Kind::ComplaintReplied, false) => {
            format!("Warga menambahkan informasi pada pengaduan {code} ({service}).")
        }
        (Kind::ComplaintReplied, true) => {
            format!("The citizen added to complaint {code} ({service}).")
        }
        (Kind::ComplaintDisputed, false) => format!(
            "Warga menyatakan jawaban atas pengaduan {code} ({service}) belum menyelesaikan masalahnya; pengaduan ditindaklanjuti lagi."
        ),
        (Kind::ComplaintDisputed, true) => format!(
            "The citizen says the answer to complaint {code} ({service}) did not resolve the problem; it is being acted on again."
        ),
        (Kind::DeadlineNear, false) => format!(
            "Tenggat pengaduan {code} ({service}, {unit}) tinggal satu hari kerja lagi."
        ),
        (Kind::DeadlineNear, true) => format!(
            "Complaint {code} ({service}, {unit}) is due in one working day."
        ),
        (Kind::Overdue, false) => format!(
            "Pengaduan {code} ({service}, {unit}) melewati tenggatnya."
        ),
        (Kind::Overdue, true) => format!("Complaint {code} ({service}, {unit}) is overdue."),
        (Kind::AccountLink, false) => {
            "Buka tautan ini untuk memilih kata sandi Suara Anda. Tautan hanya dapat dipakai sekali dan berlaku 72 jam.".to_owned()
        }
        (Kind::AccountLink, true) => {
            "Open this link to choose your Suara password. It works once, for 72 hours.".to_owned()
        }
        (Kind::WeeklyDigest | Kind::Alert, _) => unreachable!("read by `weekly` and `alert`"),
    };
    let link = match n.kind {
        Kind::AccountLink => format!("{base}{}", n.secret.as_deref().unwrap_or("/login")),
        _ => complaint,
    };
    Item { line, link }
}

fn subject(n: &Pending, c: Option<&ComplaintRecord>, en: bool) -> String {
    let code = c.map(|c| c.code.to_string()).unwrap_or_default();
    match (n.kind, en) {
        (Kind::ComplaintFiled, false) => format!("Pengaduan baru {code}"),
        (Kind::ComplaintFiled, true) => format!("New complaint {code}"),
        (Kind::ComplaintForwarded, false) => format!("Pengaduan {code} dialihkan ke unit Anda"),
        (Kind::ComplaintForwarded, true) => format!("Complaint {code} forwarded to your unit"),
        (Kind::ComplaintReplied, false) => format!("Tambahan dari warga: pengaduan {code}"),
        (Kind::ComplaintReplied, true) => format!("The citizen added to complaint {code}"),
        (Kind::ComplaintDisputed, false) => format!("Jawaban dibantah: pengaduan {code}"),
        (Kind::ComplaintDisputed, true) => format!("Answer disputed: complaint {code}"),
        (Kind::DeadlineNear, false) => format!("Tenggat besok: pengaduan {code}"),
        (Kind::DeadlineNear, true) => format!("Due in one working day: complaint {code}"),
        (Kind::Overdue, false) => format!("Melewati tenggat: pengaduan {code}"),
        (Kind::Overdue, true) => format!("Overdue: complaint {code}"),
        (Kind::AccountLink, false) => "Tautan kata sandi Suara".to_owned(),
        (Kind::AccountLink, true) => "Your Suara password link".to_owned(),
        (Kind::Alert, _) => {
            let (unit, month) = alert_of(n).map_or((String::new(), String::new()), |a| {
                (
                    a.unit_name,
                    a.alerts.period.map(|p| p.0).unwrap_or_default(),
                )
            });
            if en {
                format!("Needs attention: {unit}, {month}")
            } else {
                format!("Perlu perhatian: {unit}, {month}")
            }
        }
        (Kind::WeeklyDigest, _) => {
            let d = digest_of(n);
            let (unit, week) = d.map_or((String::new(), String::new()), |d| (d.unit_name, d.week));
            if en {
                format!("Weekly summary: {unit}, {week}")
            } else {
                format!("Ringkasan mingguan: {unit}, {week}")
            }
        }
    }
}

/// The figures a weekly digest carries.
fn digest_of(n: &Pending) -> Option<super::weekly::WeeklyDigest> {
    serde_json::from_str(n.payload.as_deref()?).ok()
}

/// A unit's week in words, linking its dashboard.
fn weekly(n: &Pending, base: &str, en: bool) -> Item {
    let Some(d) = digest_of(n) else {
        return Item {
            line: String::new(),
            link: format!("{base}/dashboard"),
        };
    };
    let num = |x: f64| num(x, en);
    let index = match (d.index, d.interval, &d.grade) {
        (Some(i), Some((lo, hi)), Some(g)) if en => {
            format!(
                "index {} ({g}; 95% interval {} – {})",
                num(i),
                num(lo),
                num(hi)
            )
        }
        (Some(i), Some((lo, hi)), Some(g)) => {
            format!(
                "IKM {} ({g}; interval 95% {} – {})",
                num(i),
                num(lo),
                num(hi)
            )
        }
        _ if en => "no index yet (too few responses)".to_owned(),
        _ => "belum ada IKM (responden terlalu sedikit)".to_owned(),
    };
    let flagged = d
        .flagged_share
        .map(|f| format!("{:.0}%", f * 100.0))
        .unwrap_or_else(|| "0%".into());
    let published = d.last_publication.clone().unwrap_or_else(|| "—".into());
    let due = d.publication_due.as_deref().map(|p| {
        if en {
            format!(" The SKM results of {p} are not published yet.")
        } else {
            format!(" Hasil SKM {p} belum dipublikasikan.")
        }
    });
    let attention = attention(&d.alerts, en).map(|a| format!(" {a}"));
    let (twelve, against, open, overdue, flagged_w, in_force) = if en {
        (
            "Last twelve months",
            "responses against a sample target of",
            "Complaints open",
            "overdue",
            "Responses flagged",
            "Publication in force",
        )
    } else {
        (
            "Dua belas bulan terakhir",
            "responden dari target sampel",
            "Pengaduan terbuka",
            "melewati tenggat",
            "Tanggapan ditandai",
            "Publikasi berlaku",
        )
    };
    let line = format!(
        "{} — {}. {twelve}: {index}; {} {against} {}. {open}: {}, {overdue}: {}. \
         {flagged_w}: {flagged}. {in_force}: {published}.{}{}",
        d.unit_name,
        d.week,
        d.responses,
        d.sample_target,
        d.open_complaints,
        d.overdue,
        attention.unwrap_or_default(),
        due.unwrap_or_default()
    );
    Item {
        line,
        link: format!("{base}/dashboard?scope=unit.{}", d.unit_code),
    }
}

/// `x` with two decimals, as the reader writes numbers (`0,45` in
/// Indonesian).
fn num(x: f64, en: bool) -> String {
    let s = format!("{x:.2}");
    if en {
        s
    } else {
        s.replace('.', ",")
    }
}

/// A month's alerts in words: "Needs attention (2026-11 against 2026-10):
/// Requirements fell by 0.45; grade B → C." `None` without any.
fn attention(a: &app::model::overview::MonthAlerts, en: bool) -> Option<String> {
    let (now, before) = a.period.as_ref()?;
    let mut parts: Vec<String> = a
        .fell
        .iter()
        .map(|(id, english, by)| {
            if en {
                format!("{english} fell by {}", num(*by, en))
            } else {
                format!("{id} turun {}", num(*by, en))
            }
        })
        .collect();
    if let Some((from, to)) = &a.grade {
        parts.push(if en {
            format!("grade {from} → {to}")
        } else {
            format!("mutu {from} → {to}")
        });
    }
    Some(if en {
        format!(
            "Needs attention ({now} against {before}): {}.",
            parts.join("; ")
        )
    } else {
        format!(
            "Perlu perhatian ({now} dibanding {before}): {}.",
            parts.join("; ")
        )
    })
}

/// What an alert carries.
fn alert_of(n: &Pending) -> Option<super::alerts::AlertNotice> {
    serde_json::from_str(n.payload.as_deref()?).ok()
}

/// A unit's alert in words, linking its dashboard.
fn alert(n: &Pending, base: &str, en: bool) -> Item {
    let Some(a) = alert_of(n) else {
        return Item {
            line: String::new(),
            link: format!("{base}/dashboard"),
        };
    };
    Item {
        line: format!(
            "{} — {}",
            a.unit_name,
            attention(&a.alerts, en).unwrap_or_default()
        ),
        link: format!("{base}/dashboard?scope=unit.{}", a.unit_code),
    }
}

/// The message for `items` (one, or a day's digest) to a person writing
/// `lang`, with its unsubscribe link.
pub fn compose(
    items: &[(&Pending, Option<&ComplaintRecord>)],
    lang: &str,
    base: &str,
    unsubscribe: &str,
) -> Composed {
    let en = lang == "en";
    let lines: Vec<Item> = items.iter().map(|(n, c)| item(n, *c, base, en)).collect();
    let subject = match items {
        [(n, c)] => subject(n, *c, en),
        _ if en => format!("Suara: {} notifications today", items.len()),
        _ => format!("Suara: {} pemberitahuan hari ini", items.len()),
    };
    let (why, stop, settings) = if en {
        (
            "You receive this because you are responsible for the unit in Suara.",
            "Stop messages of this kind",
            "Notification settings",
        )
    } else {
        (
            "Anda menerima pesan ini karena bertanggung jawab atas unit ini di Suara.",
            "Berhenti menerima pesan jenis ini",
            "Atur pemberitahuan",
        )
    };
    let settings_url = format!("{base}/notifikasi");
    let mut text = String::new();
    for i in &lines {
        text.push_str(&format!("{}\n{}\n\n", i.line, i.link));
    }
    text.push_str(&format!(
        "-- \n{why}\n{stop}: {unsubscribe}\n{settings}: {settings_url}\n"
    ));
    let mut html = format!(
        "<!doctype html><html lang=\"{}\"><body>",
        if en { "en" } else { "id" }
    );
    for i in &lines {
        html.push_str(&format!(
            "<p>{}<br><a href=\"{}\">{}</a></p>",
            esc(&i.line),
            esc(&i.link),
            esc(&i.link)
        ));
    }
    html.push_str(&format!(
        "<hr><p style=\"color:#555;font-size:small\">{}<br><a href=\"{}\">{}</a> · <a href=\"{}\">{}</a></p></body></html>",
        esc(why),
        esc(unsubscribe),
        esc(stop),
        esc(&settings_url),
        esc(settings)
    ));
    Composed {
        subject,
        text,
        html,
    }
}

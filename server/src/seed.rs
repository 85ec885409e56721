//! The demo catalogue and demo accounts that `suara seed-demo` loads.

use crate::auth::Role;
use crate::store::accounts::AccountError;
use crate::store::Store;
use app::domain::builtin;

/// Password of every demo account. Demo data is for trying Suara out only.
pub const DEMO_PASSWORD: &str = "suara-demo-2026";

pub const DEMO_ACCOUNTS: [(&str, Role, &[&str]); 3] = [
    ("admin@suara.test", Role::Admin, &[]),
    ("auditor@suara.test", Role::Auditor, &[]),
    (
        "kepala.jaksel@suara.test",
        Role::UnitHead,
        &["kanim-jakarta-selatan"],
    ),
];

/// (agency code, agency name, [(unit code, unit name, yearly volume, [(service code, name, questionnaire)])])
type Demo = [(
    &'static str,
    &'static str,
    &'static [(
        &'static str,
        &'static str,
        i64,
        &'static [(&'static str, &'static str, &'static str)],
    )],
); 3];

const DEMO: Demo = [
    (
        "ditjen-imigrasi",
        "Direktorat Jenderal Imigrasi",
        &[
            (
                "kanim-jakarta-selatan",
                "Kantor Imigrasi Kelas I Khusus TPI Jakarta Selatan",
                48_000,
                &[
                    (
                        "paspor-baru-jaksel",
                        "Penerbitan Paspor Baru",
                        builtin::SKM_2017,
                    ),
                    (
                        "paspor-hilang-jaksel",
                        "Penggantian Paspor Hilang atau Rusak",
                        builtin::SKM_2017,
                    ),
                ],
            ),
            (
                "kanim-bandung",
                "Kantor Imigrasi Kelas I TPI Bandung",
                30_000,
                &[
                    (
                        "paspor-baru-bandung",
                        "Penerbitan Paspor Baru",
                        builtin::SKM_2017,
                    ),
                    (
                        "itas-bandung",
                        "Izin Tinggal Terbatas (ITAS)",
                        builtin::ETIKA_PELAYANAN,
                    ),
                ],
            ),
        ],
    ),
    (
        "pemkot-bandung",
        "Pemerintah Kota Bandung",
        &[
            (
                "disdukcapil-bandung",
                "Dinas Kependudukan dan Pencatatan Sipil Kota Bandung",
                120_000,
                &[
                    (
                        "ktp-el-bandung",
                        "Perekaman dan Pencetakan KTP-el",
                        builtin::SKM_2017,
                    ),
                    (
                        "akta-kelahiran-bandung",
                        "Penerbitan Akta Kelahiran",
                        builtin::ETIKA_PELAYANAN,
                    ),
                ],
            ),
            (
                "puskesmas-sukajadi",
                "UPT Puskesmas Sukajadi",
                25_000,
                &[
                    (
                        "poli-umum-sukajadi",
                        "Pelayanan Poli Umum",
                        builtin::SKM_2017,
                    ),
                    (
                        "imunisasi-sukajadi",
                        "Imunisasi Anak",
                        builtin::ETIKA_PELAYANAN,
                    ),
                ],
            ),
        ],
    ),
    (
        "pemkab-sleman",
        "Pemerintah Kabupaten Sleman",
        &[(
            "mpp-sleman",
            "Mal Pelayanan Publik Kabupaten Sleman",
            60_000,
            &[
                ("nib-sleman", "Perizinan Berusaha (NIB)", builtin::SKM_2017),
                (
                    "pbb-sleman",
                    "Pelayanan Pajak Bumi dan Bangunan (PBB-P2)",
                    builtin::ETIKA_PELAYANAN,
                ),
            ],
        )],
    ),
];

/// The name of the regency catalogue shipped with the demo.
pub const NATIONAL_CATALOGUE_FILE: &str = "katalog-sukamaju.csv";

/// A whole (fictional) regency's catalogue, Kabupaten Sukamaju: 15 agencies,
/// 30 units, 240 services with the names Indonesian regencies give them,
/// loaded through the same import as `suara catalog import`; idempotent.
pub async fn national_catalogue(store: &Store) -> anyhow::Result<crate::catalogue::Import> {
    let bytes = include_bytes!("../seed/katalog-sukamaju.csv");
    let i =
        crate::catalogue::import(store, "seed-demo", NATIONAL_CATALOGUE_FILE, bytes, true).await?;
    anyhow::ensure!(
        i.plan.refused.is_empty(),
        "the shipped catalogue has refused rows:\n{}",
        crate::catalogue::report(&i, NATIONAL_CATALOGUE_FILE)
    );
    Ok(i)
}

/// Stores the built-in questionnaires. `serve` does this on every start.
pub async fn builtin_questionnaires(store: &Store) -> anyhow::Result<()> {
    for q in builtin::all() {
        store.ensure_questionnaire(&q).await?;
    }
    Ok(())
}

/// Loads the demo catalogue and accounts; running it again changes nothing.
/// Returns the demo accounts it created.
pub async fn demo(store: &Store) -> anyhow::Result<Vec<&'static str>> {
    builtin_questionnaires(store).await?;
    let questionnaires = builtin::all();
    for (agency_code, agency_name, units) in DEMO {
        let agency = store.ensure_agency(agency_code, agency_name).await?;
        for (unit_code, unit_name, volume, services) in units {
            let unit = store
                .ensure_unit(agency, unit_code, unit_name, Some(*volume))
                .await?;
            for (code, name, qid) in *services {
                let q = questionnaires
                    .iter()
                    .find(|q| q.id == *qid)
                    .expect("built-in questionnaire");
                store.ensure_service(unit, code, name, q).await?;
            }
        }
    }
    let mut created = Vec::new();
    for (email, role, units) in DEMO_ACCOUNTS {
        let units: Vec<String> = units.iter().map(|u| u.to_string()).collect();
        match store.add_account(email, role, DEMO_PASSWORD, &units).await {
            Ok(_) => created.push(email),
            Err(AccountError::EmailTaken(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(created)
}

/// The demo unit whose head publishes in the demo.
pub const DEMO_PUBLISHING_UNIT: &str = "kanim-jakarta-selatan";

/// Publishes the demo unit's last complete quarter before `now`, as its
/// unit head, with one follow-up action for its weakest element — what a
/// unit's public page looks like in use. Returns the period published.
pub async fn demo_publication(store: &Store, now: time::OffsetDateTime) -> anyhow::Result<String> {
    use app::domain::period::Period;
    use app::model::publication::{NewAction, PublishRequest};
    let unit = store
        .unit_id_by_code(DEMO_PUBLISHING_UNIT)
        .await?
        .ok_or_else(|| anyhow::anyhow!("the demo catalogue has no {DEMO_PUBLISHING_UNIT}"))?;
    let head = crate::store::accounts::Account {
        id: uuid::Uuid::nil(),
        email: DEMO_ACCOUNTS[2].0.to_owned(),
        role: Role::UnitHead,
        units: vec![unit],
    };
    let this_quarter = Period::Quarter.start(now.date());
    let last = Period::Quarter.start(this_quarter - time::Duration::days(1));
    let period = Period::Quarter.label(last);
    let request = PublishRequest {
        unit: DEMO_PUBLISHING_UNIT.to_owned(),
        period: period.clone(),
    };
    let published = crate::publications::publish(store, &head, &request, now).await?;
    if let Some(weakest) = published
        .summary()
        .as_ref()
        .and_then(app::domain::scoring::weakest_item)
    {
        let action = NewAction {
            item: weakest.code.to_string(),
            action: "Menambah satu loket dan membuka antrean daring pada jam sibuk".to_owned(),
            responsible: "Kepala Subbagian Tata Usaha".to_owned(),
            due_on: (now.date() + time::Duration::days(60)).to_string(),
        };
        crate::publications::add_action(store, &head, published.id, &action, now).await?;
    }
    Ok(period)
}

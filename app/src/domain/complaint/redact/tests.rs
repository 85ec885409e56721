//! The redaction corpus: what people write in complaints, each case with
//! what must disappear and what must stay readable; and a property test
//! that the work stays linear on the longest, most hostile texts.

use super::*;
use proptest::prelude::*;

/// `(text, must disappear, must stay)`.
type Case = (String, Vec<String>, Vec<String>);

fn case(text: &str, gone: &[&str], kept: &[&str]) -> Case {
    (
        text.to_owned(),
        gone.iter().map(|s| s.to_string()).collect(),
        kept.iter().map(|s| s.to_string()).collect(),
    )
}

/// Phone numbers as people write them.
const PHONES: [&str; 24] = [
    "081234567890",
    "0812-3456-7890",
    "0812 3456 7890",
    "0812.3456.7890",
    "0812 - 3456 - 7890",
    "+62 812 3456 7890",
    "+6281234567890",
    "+62-812-3456-7890",
    "62812.3456.7890",
    "62 812 3456 7890",
    "6281234567890",
    "812-3456-7890",
    "812 3456 7890",
    "8123456789",
    "(021) 5551234",
    "(021) 555-1234",
    "021-5551234",
    "021 555 1234",
    "(0274) 512345",
    "0274-512345",
    "0857 1234 567",
    "08571234567",
    "+62 (21) 5551234",
    "0811-123-4567",
];

/// Words phone numbers come after, glued or not.
const PHONE_LEADS: [&str; 8] = [
    "hubungi saya di ",
    "WA ",
    "WA",
    "HP: ",
    "telp. ",
    "no hp ",
    "HP:",
    "nomor telepon saya ",
];

/// NIK and KK numbers.
const IDS: [&str; 7] = [
    "3201234567890001",
    "3201 2345 6789 0001",
    "320123 456789 0001",
    "3201-2345-6789-0001",
    "3201.2345.6789.0001",
    "3273 0101 0101 0003",
    "1101010101010001",
];

const ID_LEADS: [&str; 5] = [
    "NIK saya ",
    "NIK",
    "No. KK ",
    "KTP: ",
    "nomor induk kependudukan ",
];

/// E-mail addresses, plain and disguised (the visible parts that must go).
const EMAILS: [(&str, &[&str]); 10] = [
    ("budi@gmail.com", &["budi", "gmail"]),
    (
        "budi.santoso+lapor@mail.example.co.id",
        &["santoso", "mail.example"],
    ),
    ("budi @ gmail.com", &["budi", "gmail"]),
    ("budi(at)gmail.com", &["budi", "gmail"]),
    ("budi[at]gmail.com", &["budi", "gmail"]),
    ("budi [at] gmail [dot] com", &["budi", "gmail"]),
    ("budi (at) yahoo (dot) co (dot) id", &["budi", "yahoo"]),
    ("budi at gmail dot com", &["budi", "gmail"]),
    ("siti_rahma{at}outlook.com", &["siti_rahma", "outlook"]),
    ("rahma.w @ ymail . com", &["rahma.w", "ymail"]),
];

const EMAIL_LEADS: [&str; 4] = ["kirim ke ", "email saya ", "surel: ", "hubungi "];

/// Bank accounts and plates, with their lead words.
const OTHERS: [(&str, &str); 10] = [
    ("transfer ke rekening BCA ", "1234567890"),
    ("no. rek Mandiri ", "1230004567890"),
    ("rek BRI ", "0123-01-000456-50-7"),
    ("norek BNI ", "0987654321"),
    ("kendaraan dengan nomor polisi ", "B 1234 XYZ"),
    ("mobil plat ", "D 1234 AB"),
    ("motor nopol ", "AB 4321 CD"),
    ("truk ", "BK 8765 TT"),
    ("plat ", "L1234XY"),
    ("ditabrak mobil ", "KT 1024 A"),
];

/// Numbers that must stay, in sentences.
const KEPT: [&str; 30] = [
    "antre 3 jam, nomor antrean 127",
    "diminta Rp 50.000 tanpa kuitansi",
    "biaya Rp 625.000.000 untuk gedung",
    "anggaran Rp 6.250.000.000 dan Rp. 62.000.000.000",
    "tanggal 05-11-2026 pukul 08.30",
    "tanggal 5/11/2026 jam 14:45",
    "loket 08 tutup",
    "paspor nomor C1234567",
    "kode 12345678901234567890",
    "tahun 2026, 17 Agustus",
    "Jl. Merdeka No. 12 RT 003 RW 005",
    "antrean A-012 dipanggil pukul 10.15",
    "loket 3 dan loket 4 kosong",
    "menunggu dari 08.00 sampai 12.00",
    "pada 2026-11-20 pukul 09:15 WIB",
    "dipungut Rp1.500.000 padahal tarif Rp 350.000",
    "biaya IDR 1250000 tidak sesuai",
    "sudah 3 kali datang, 2 minggu menunggu",
    "unsur U3 dan U7 buruk",
    "Gedung B lantai 2 ruang 201",
    "jam 7 pagi sudah antre 40 orang",
    "nomor berkas 2026/11/0042",
    "tanggal 20 November 2026",
    "suhu ruang tunggu 32 derajat",
    "Kec. Cibeunying Kaler, Kota Bandung 40122",
    "formulir F-1.01 dan F-1.15",
    "paket 1,5 kg",
    "Loket B 12 ada di lantai 1",
    "versi aplikasi 2.3.4",
    "pukul 08.00 0812 tidak diangkat",
];

fn corpus() -> Vec<Case> {
    let mut all = Vec::new();
    for (i, phone) in PHONES.iter().enumerate() {
        let lead = PHONE_LEADS[i % PHONE_LEADS.len()];
        let glued_lead = PHONE_LEADS[(i + 3) % PHONE_LEADS.len()];
        let digits: String = phone.chars().filter(char::is_ascii_digit).collect();
        let tail = &digits[digits.len() - 4..];
        all.push(case(
            &format!("{lead}{phone} untuk konfirmasi. Antre sejak pukul 08.30."),
            &[phone, tail],
            &[lead.trim(), "08.30", "konfirmasi"],
        ));
        all.push(case(
            &format!("Petugas loket 4 minta saya {glued_lead}{phone}, tanggal 20-11-2026."),
            &[phone, tail],
            &["loket 4", "20-11-2026"],
        ));
        all.push(case(
            &format!("Calo menawarkan jasa Rp 500.000 lewat {phone}; antrean nomor 57."),
            &[phone, tail],
            &["Rp 500.000", "nomor 57"],
        ));
    }
    for (i, id) in IDS.iter().enumerate() {
        for (j, lead) in ID_LEADS.iter().enumerate() {
            if (i + j) % 2 == 0 {
                all.push(case(
                    &format!("{lead}{id} belum terdaftar sejak 2024, loket 2."),
                    &[id, &id[id.len() - 4..]],
                    &["2024", "loket 2"],
                ));
            }
        }
    }
    for (i, (email, parts)) in EMAILS.iter().enumerate() {
        for (j, lead) in EMAIL_LEADS.iter().enumerate() {
            if (i + j) % 2 == 0 {
                let mut gone = vec![*email];
                gone.extend(parts.iter());
                all.push(case(
                    &format!("Mohon jawaban {lead}{email}. Terima kasih, 3 kali sudah datang."),
                    &gone,
                    &["Mohon jawaban", "Terima kasih", "3 kali"],
                ));
            }
        }
    }
    for (lead, value) in OTHERS {
        let digits: String = value.chars().filter(char::is_ascii_digit).collect();
        all.push(case(
            &format!("Petugas meminta saya {lead}{value} pada 12 Desember."),
            &[value, &digits],
            &[lead.trim(), "12 Desember"],
        ));
    }
    for text in KEPT {
        all.push(case(text, &[], &[text]));
    }
    // Several at once, as a long complaint has them.
    all.push(case(
        "Saya (NIK 3201234567890001) antre 3 jam di loket 2. Hubungi WA 0812-3456-7890 \
         atau budi [at] gmail [dot] com. Calo pakai mobil B 1234 XYZ minta transfer ke \
         rek 1234567890 sebesar Rp 750.000.",
        &[
            "3201234567890001",
            "3456-7890",
            "budi",
            "gmail",
            "1234 XYZ",
            "1234567890",
        ],
        &[
            "3 jam",
            "loket 2",
            "Rp 750.000",
            "Hubungi WA",
            "Calo pakai mobil",
        ],
    ));
    all
}

#[test]
fn the_corpus_is_redacted_and_the_rest_stays_readable() {
    let cases = corpus();
    assert!(cases.len() >= 150, "{} cases", cases.len());
    let mut failures = Vec::new();
    for (text, gone, kept) in &cases {
        let shown = redact(text);
        for g in gone {
            if !g.is_empty() && shown.contains(g.as_str()) {
                failures.push(format!("{text:?}\n  → {shown:?}\n  still shows {g:?}"));
            }
        }
        for k in kept {
            if !shown.contains(k.as_str()) {
                failures.push(format!("{text:?}\n  → {shown:?}\n  lost {k:?}"));
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn phone_numbers_become_a_word() {
    for (said, shown) in [
        (
            "hubungi saya di 081234567890 ya",
            "hubungi saya di [telepon] ya",
        ),
        ("WA 0812-3456-7890.", "WA [telepon]."),
        ("WA081234567890", "WA[telepon]"),
        ("nomor 0812 3456 789", "nomor [telepon]"),
        (
            "+62 812 3456 7890 atau +6281234567890",
            "[telepon] atau [telepon]",
        ),
        ("62812.3456.7890", "[telepon]"),
        ("kantor (021) 555-1234", "kantor [telepon]"),
        ("021-5551234", "[telepon]"),
        ("0812 - 3456 - 7890", "[telepon]"),
        ("812-3456-7890", "[telepon]"),
        ("pukul 08.00 0812 3456 7890", "pukul 08.00 [telepon]"),
    ] {
        assert_eq!(redact(said), shown, "{said}");
    }
}

#[test]
fn emails_ids_accounts_and_plates() {
    assert_eq!(
        redact("kirim ke budi.santoso+lapor@mail.example.co.id. Terima kasih"),
        "kirim ke [email]. Terima kasih"
    );
    assert_eq!(redact("budi [at] gmail [dot] com"), "[email]");
    assert_eq!(redact("budi(at)gmail.com!"), "[email]!");
    assert_eq!(redact("NIK saya 3201234567890001"), "NIK saya [NIK]");
    assert_eq!(redact("NIK3201234567890001"), "NIK[NIK]");
    assert_eq!(redact("NIK 3201 2345 6789 0001!"), "NIK [NIK]!");
    assert_eq!(redact("rek BCA 1234567890."), "rek BCA [rekening].");
    assert_eq!(redact("mobil B 1234 XYZ parkir"), "mobil [nopol] parkir");
    assert_eq!(redact("a@b and @handle and x@y"), "a@b and @handle and x@y");
}

#[test]
fn text_without_anything_to_hide_is_unchanged_to_the_letter() {
    let text = "Pelayanan lambat — mesin antrean rusak sejak Senin; petugas ramah. 😀";
    assert_eq!(redact(text), text);
    assert_eq!(redact(""), "");
}

/// Pieces an attacker strings together to make a redactor backtrack.
fn hostile() -> impl Strategy<Value = String> {
    let piece = prop::sample::select(vec![
        "0",
        "8",
        "1",
        " ",
        "-",
        ".",
        "(",
        ")",
        "+",
        "@",
        "a",
        "A",
        "B",
        " at ",
        "(at)",
        "[dot]",
        " dot ",
        "Rp",
        "62",
        "0812",
        ".com",
        "x@",
        "@y.",
        "B 1",
        "\u{1F600}",
        "é",
    ]);
    prop::collection::vec(piece, 1..1200).prop_map(|p| {
        let s: String = p.concat();
        s.chars().take(4000).collect()
    })
}

proptest! {
    // A fixed seed: the same 200 hostile texts on every run, so that CI
    // never turns on a text nobody has seen (`PROPTEST_RNG_SEED` or
    // `PROPTEST_CASES` explore further by hand).
    #![proptest_config(ProptestConfig {
        cases: 200,
        rng_seed: proptest::test_runner::RngSeed::Fixed(2017),
        ..ProptestConfig::default()
    })]

    /// However the text is made, the work is a small multiple of its length
    /// (a quadratic redactor takes ~n² = 16,000,000 steps on 4,000 characters).
    #[test]
    fn work_is_linear_in_the_text(text in hostile()) {
        let mut steps = 0;
        let _ = redact_counting(&text, &mut steps);
        let n = text.chars().count().max(1);
        prop_assert!(steps <= 20 * n + 100, "{steps} steps for {n} characters");
    }

    /// Redacting twice changes nothing more: the words it writes hide nothing.
    #[test]
    fn redaction_is_stable(text in hostile()) {
        let once = redact(&text);
        prop_assert_eq!(redact(&once), once);
    }
}

#[test]
fn the_longest_hostile_texts_are_linear() {
    for text in [
        "0".repeat(4000),
        "0 ".repeat(2000),
        "a@".repeat(2000),
        "a".repeat(3999) + "@",
        "@".to_owned() + &"a.".repeat(1999),
        " at".repeat(1333),
        "(at)".repeat(1000),
        "B 1".repeat(1333),
        "0812 ".repeat(800),
        "Rp 1.".repeat(800),
    ] {
        let mut steps = 0;
        let _ = redact_counting(&text, &mut steps);
        assert!(
            steps <= 20 * text.chars().count(),
            "{steps} for {:?}…",
            &text[..20]
        );
    }
}

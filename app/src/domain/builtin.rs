//! The questionnaires every Suara installation starts with (shared/PRODUCT.md).

use super::questionnaire::{Item, ItemCode, Localized, Questionnaire, ScoringMethod};

pub const SKM_2017: &str = "skm-2017";
pub const ETIKA_PELAYANAN: &str = "etika-pelayanan";

fn item(
    code: &str,
    label: (&str, &str),
    question: (&str, &str),
    options: [(&str, &str); 4],
) -> Item {
    Item {
        code: ItemCode::parse(code).expect("built-in item codes are valid"),
        label: Localized::new(label.0, label.1),
        question: Localized::new(question.0, question.1),
        options: options.map(|(id, en)| Localized::new(id, en)),
    }
}

/// The nine elements (unsur) of the community satisfaction survey,
/// Permenpan RB No. 14/2017, with the answer wording of its model questionnaire.
pub fn skm_2017() -> Questionnaire {
    Questionnaire {
        id: SKM_2017.into(),
        version: 1,
        name: Localized::new(
            "Survei Kepuasan Masyarakat (Permenpan RB 14/2017)",
            "Community Satisfaction Survey (Permenpan RB 14/2017)",
        ),
        method: ScoringMethod::Permenpan2017,
        items: vec![
            item(
                "U1",
                ("Persyaratan", "Requirements"),
                (
                    "Bagaimana pendapat Anda tentang kesesuaian persyaratan pelayanan dengan jenis pelayanannya?",
                    "How well do the requirements fit the service you received?",
                ),
                [
                    ("Tidak sesuai", "Not appropriate"),
                    ("Kurang sesuai", "Somewhat inappropriate"),
                    ("Sesuai", "Appropriate"),
                    ("Sangat sesuai", "Very appropriate"),
                ],
            ),
            item(
                "U2",
                ("Sistem, Mekanisme, dan Prosedur", "Systems, mechanisms and procedures"),
                (
                    "Bagaimana pemahaman Anda tentang kemudahan prosedur pelayanan di unit ini?",
                    "How easy was the service procedure at this unit?",
                ),
                [
                    ("Tidak mudah", "Not easy"),
                    ("Kurang mudah", "Somewhat difficult"),
                    ("Mudah", "Easy"),
                    ("Sangat mudah", "Very easy"),
                ],
            ),
            item(
                "U3",
                ("Waktu Penyelesaian", "Completion time"),
                (
                    "Bagaimana pendapat Anda tentang kecepatan waktu dalam memberikan pelayanan?",
                    "How fast was the service delivered?",
                ),
                [
                    ("Tidak cepat", "Not fast"),
                    ("Kurang cepat", "Somewhat slow"),
                    ("Cepat", "Fast"),
                    ("Sangat cepat", "Very fast"),
                ],
            ),
            item(
                "U4",
                ("Biaya/Tarif", "Cost/fees"),
                (
                    "Bagaimana pendapat Anda tentang kewajaran biaya/tarif dalam pelayanan?",
                    "How fair were the costs or fees of the service?",
                ),
                [
                    ("Sangat mahal", "Very expensive"),
                    ("Cukup mahal", "Rather expensive"),
                    ("Murah", "Cheap"),
                    ("Gratis", "Free of charge"),
                ],
            ),
            item(
                "U5",
                ("Produk Spesifikasi Jenis Pelayanan", "Service product"),
                (
                    "Bagaimana pendapat Anda tentang kesesuaian hasil pelayanan dengan yang tercantum dalam standar pelayanan?",
                    "Did what you received match what the service standard promises?",
                ),
                [
                    ("Tidak sesuai", "Does not match"),
                    ("Kurang sesuai", "Partly matches"),
                    ("Sesuai", "Matches"),
                    ("Sangat sesuai", "Fully matches"),
                ],
            ),
            item(
                "U6",
                ("Kompetensi Pelaksana", "Staff competence"),
                (
                    "Bagaimana pendapat Anda tentang kompetensi/kemampuan petugas dalam pelayanan?",
                    "How competent were the staff who served you?",
                ),
                [
                    ("Tidak kompeten", "Not competent"),
                    ("Kurang kompeten", "Somewhat competent"),
                    ("Kompeten", "Competent"),
                    ("Sangat kompeten", "Very competent"),
                ],
            ),
            item(
                "U7",
                ("Perilaku Pelaksana", "Staff conduct"),
                (
                    "Bagaimana pendapat Anda tentang perilaku petugas dalam pelayanan terkait kesopanan dan keramahan?",
                    "How polite and friendly were the staff?",
                ),
                [
                    ("Tidak sopan dan ramah", "Not polite or friendly"),
                    ("Kurang sopan dan ramah", "Somewhat impolite"),
                    ("Sopan dan ramah", "Polite and friendly"),
                    ("Sangat sopan dan ramah", "Very polite and friendly"),
                ],
            ),
            item(
                "U8",
                (
                    "Penanganan Pengaduan, Saran dan Masukan",
                    "Handling of complaints, suggestions and feedback",
                ),
                (
                    "Bagaimana pendapat Anda tentang penanganan pengaduan pengguna layanan?",
                    "How are complaints from service users handled?",
                ),
                [
                    ("Tidak ada", "No complaint channel"),
                    ("Ada tetapi tidak berfungsi", "Exists but does not work"),
                    ("Berfungsi kurang maksimal", "Works, but not fully"),
                    ("Dikelola dengan baik", "Well managed"),
                ],
            ),
            item(
                "U9",
                ("Sarana dan Prasarana", "Facilities and infrastructure"),
                (
                    "Bagaimana pendapat Anda tentang kualitas sarana dan prasarana?",
                    "How good are the facilities?",
                ),
                [
                    ("Buruk", "Poor"),
                    ("Cukup", "Fair"),
                    ("Baik", "Good"),
                    ("Sangat baik", "Very good"),
                ],
            ),
        ],
    }
}

/// The ethics standards of public service.
pub fn etika_pelayanan() -> Questionnaire {
    Questionnaire {
        id: ETIKA_PELAYANAN.into(),
        version: 1,
        name: Localized::new("Etika Pelayanan Publik", "Public service ethics"),
        method: ScoringMethod::Permenpan2017,
        items: vec![
            item(
                "fair",
                ("Adil", "Fair"),
                (
                    "Apakah Anda dilayani secara adil, sesuai urutan dan aturan yang sama bagi semua?",
                    "Were you served fairly, in turn and by the same rules as everyone?",
                ),
                [
                    ("Tidak adil", "Unfair"),
                    ("Kurang adil", "Somewhat unfair"),
                    ("Adil", "Fair"),
                    ("Sangat adil", "Very fair"),
                ],
            ),
            item(
                "non-discriminatory",
                ("Tidak diskriminatif", "Non-discriminatory"),
                (
                    "Apakah Anda dilayani tanpa membedakan suku, agama, jenis kelamin, disabilitas atau status?",
                    "Were you served without regard to ethnicity, religion, sex, disability or status?",
                ),
                [
                    ("Sangat membeda-bedakan", "Strongly discriminating"),
                    ("Agak membeda-bedakan", "Somewhat discriminating"),
                    ("Tidak membeda-bedakan", "Not discriminating"),
                    ("Sangat setara", "Fully equal treatment"),
                ],
            ),
            item(
                "affordable",
                ("Murah/terjangkau", "Affordable"),
                (
                    "Apakah biaya layanan terjangkau dan sesuai tarif resmi?",
                    "Was the cost affordable and as officially set?",
                ),
                [
                    ("Tidak terjangkau", "Not affordable"),
                    ("Kurang terjangkau", "Barely affordable"),
                    ("Terjangkau", "Affordable"),
                    ("Sangat terjangkau", "Very affordable"),
                ],
            ),
            item(
                "effective-efficient",
                ("Efektif dan efisien", "Effective and efficient"),
                (
                    "Apakah urusan Anda selesai dengan tepat tanpa langkah dan waktu yang sia-sia?",
                    "Was your matter settled properly without wasted steps or time?",
                ),
                [
                    ("Tidak efektif", "Not effective"),
                    ("Kurang efektif", "Somewhat ineffective"),
                    ("Efektif", "Effective"),
                    ("Sangat efektif", "Very effective"),
                ],
            ),
            item(
                "responsive",
                ("Responsif", "Responsive"),
                (
                    "Apakah petugas tanggap terhadap pertanyaan dan kebutuhan Anda?",
                    "Did staff respond to your questions and needs?",
                ),
                [
                    ("Tidak tanggap", "Not responsive"),
                    ("Kurang tanggap", "Somewhat responsive"),
                    ("Tanggap", "Responsive"),
                    ("Sangat tanggap", "Very responsive"),
                ],
            ),
            item(
                "participatory",
                ("Partisipatif", "Participatory"),
                (
                    "Apakah unit ini mengajak masyarakat memberi masukan dan menindaklanjutinya?",
                    "Does this unit invite citizens' feedback and act on it?",
                ),
                [
                    ("Tidak pernah", "Never"),
                    ("Jarang", "Rarely"),
                    ("Sering", "Often"),
                    ("Selalu", "Always"),
                ],
            ),
        ],
    }
}

/// Every built-in questionnaire.
pub fn all() -> Vec<Questionnaire> {
    vec![etika_pelayanan(), skm_2017()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skm_has_nine_elements_u1_to_u9() {
        let q = skm_2017();
        let codes: Vec<_> = q.items.iter().map(|i| i.code.as_str().to_owned()).collect();
        assert_eq!(
            codes,
            ["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]
        );
    }

    #[test]
    fn etika_has_the_six_ethics_standards() {
        let q = etika_pelayanan();
        assert_eq!(q.items.len(), 6);
        assert!(q.item("non-discriminatory").is_some());
        assert!(q.item("fair").is_some());
    }

    #[test]
    fn built_in_questionnaires_pass_the_edit_check_and_broken_edits_do_not() {
        use crate::domain::questionnaire::QuestionnaireProblem;
        assert_eq!(skm_2017().check(), Ok(()));
        assert_eq!(etika_pelayanan().check(), Ok(()));
        let mut twice = skm_2017();
        twice.items[3].code = twice.items[0].code.clone();
        assert_eq!(
            twice.check(),
            Err(QuestionnaireProblem::DuplicateItem("U1".into()))
        );
        let mut blank = skm_2017();
        blank.items[2].options[1].en = "  ".into();
        assert_eq!(
            blank.check(),
            Err(QuestionnaireProblem::EmptyText("U3".into()))
        );
        let mut empty = skm_2017();
        empty.items.clear();
        assert_eq!(empty.check(), Err(QuestionnaireProblem::ItemCount));
    }
}

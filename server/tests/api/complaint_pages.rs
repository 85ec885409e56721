//! Complaints on their pages: followed by code with plain forms for the
//! citizen, worked by the unit with plain forms, counted on the dashboard.

use crate::complaints::{filed, mistyped_code, new_code, view};
use crate::helpers::{location, spawn_app, As, Db};
use suara::auth::Role;

crate::both!(
    the_pages_follow_a_complaint_by_code_and_let_the_unit_act,
    a_citizen_files_with_the_plain_form_and_gets_a_receipt,
);

async fn a_citizen_files_with_the_plain_form_and_gets_a_receipt(db: Db) {
    let app = spawn_app(db).await;
    let form = app.get_text("/s/paspor-baru-jaksel/pengaduan", "").await;
    assert!(
        form.contains("name=\"items\" value=\"U3\""),
        "the standards to choose"
    );
    assert!(
        form.contains("value=\"anonim\" checked") || form.contains("checked value=\"anonim\""),
        "anonim by default: {form}"
    );
    assert!(
        form.contains("minlength=\"10\""),
        "checked before it is sent"
    );
    let r = app
        .post_form(
            "/s/paspor-baru-jaksel/pengaduan",
            As::Nobody,
            &[
                (
                    "text",
                    "Loket 4 tutup sejak pukul 11 walau antrean masih panjang.",
                ),
                ("items", "U3"),
                ("items", "U8"),
                ("happened_on", "2026-11-20"),
                ("privacy", "publik"),
            ],
        )
        .await;
    assert_eq!(r.status(), 303);
    let to = location(&r);
    assert!(
        to.starts_with("/pengaduan/") && to.ends_with("?baru=1"),
        "{to}"
    );
    let code = to["/pengaduan/".len()..to.len() - "?baru=1".len()].to_owned();
    let receipt = app.get_text(&to, "").await;
    assert!(receipt.contains("data-figure=\"receipt\""));
    assert!(
        receipt.contains(&format!("/pengaduan/{code}")),
        "the tracking link"
    );
    assert!(receipt.contains("<svg"), "its QR code");
    let v = view(&app, &code).await;
    assert_eq!(v["privacy"], "publik");
    assert_eq!(v["items"], serde_json::json!(["U3", "U8"]));
    assert_eq!(v["state"], "diterima");
    // Refused (too short, which a browser would not have sent): back to the
    // form, saying why.
    let r = app
        .post_form(
            "/s/paspor-baru-jaksel/pengaduan",
            As::Nobody,
            &[("text", "rusak")],
        )
        .await;
    let back = location(&r);
    assert!(
        back.starts_with("/s/paspor-baru-jaksel/pengaduan?error="),
        "{back}"
    );
    assert!(app.get_text(&back, "").await.contains("at least 10"));
    app.finish().await;
}

async fn the_pages_follow_a_complaint_by_code_and_let_the_unit_act(db: Db) {
    let app = spawn_app(db).await;
    let code = filed(
        &app,
        "paspor-baru-jaksel",
        "Loket 3 tutup jam 10, hubungi 081234567890.",
    )
    .await;
    let page = |cookie: String, path: String| {
        let app = &app;
        async move {
            let r = app
                .get(
                    &path,
                    if cookie.is_empty() {
                        As::Nobody
                    } else {
                        As::Cookie(&cookie)
                    },
                )
                .await;
            (r.status().as_u16(), r.text().await.unwrap())
        }
    };
    // The citizen: state, deadline, what happens next; the phone number hidden.
    let (status, html) = page(String::new(), format!("/pengaduan/{code}")).await;
    assert_eq!(status, 200);
    assert!(html.contains("data-state=\"diterima\""), "{html}");
    assert!(html.contains("data-figure=\"deadline\""));
    assert!(
        html.contains("Waktu Penyelesaian"),
        "the standards by name, not code"
    );
    assert!(html.contains("[telepon]") && !html.contains("081234567890"));
    assert!(
        !html.contains("data-form=\"move\""),
        "no unit actions for citizens"
    );
    // Typed into the find form, in lower case without hyphens.
    let typed = code.replace('-', "").to_lowercase();
    let (status, _) = page(String::new(), format!("/pengaduan?code={typed}")).await;
    assert_eq!(status, 200);
    let (status, html) = page(
        String::new(),
        format!("/pengaduan/{}", mistyped_code(&code)),
    )
    .await;
    assert_eq!(status, 400);
    assert!(html.contains("salah ketik"), "{html}");
    let (status, html) = page(String::new(), format!("/pengaduan/{}", new_code())).await;
    assert_eq!(status, 404);
    assert!(
        html.contains("href=\"/pengaduan\"") && html.contains("ponsel tanpa sinyal"),
        "an unknown code points to the device's own list (filed offline, not yet sent)"
    );
    // Signed out, /pengaduan is the citizen's: the find form and the browser
    // app, which lists the complaints filed on this device.
    let (_, html) = page(String::new(), "/pengaduan".into()).await;
    assert!(html.contains("type=\"module\"") && html.contains("id=\"mine-title\""));
    assert!(
        !html.contains("data-figure=\"queue\""),
        "no queue for a citizen"
    );

    // The unit: the full text and the actions its state allows, by plain forms.
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let (_, html) = page(head.clone(), format!("/pengaduan/{code}")).await;
    assert!(html.contains("081234567890"), "the unit reads it whole");
    assert!(html.contains("data-form=\"move\""));
    assert!(html.contains("value=\"diverifikasi\"") && !html.contains("value=\"selesai\""));
    let (_, queue) = page(head.clone(), "/pengaduan".into()).await;
    assert!(
        !queue.contains("type=\"module\""),
        "the unit's queue is plain HTML, with no wasm"
    );
    assert!(queue.contains(&code), "{queue}");
    let (_, dashboard) = page(head.clone(), "/dashboard".into()).await;
    assert!(
        dashboard.contains("data-figure=\"complaints-open\">1<"),
        "the dashboard counts open complaints and links to the queue"
    );
    let act = |to: &'static str, note: &'static str| {
        let (app, head, code) = (&app, head.clone(), code.clone());
        async move {
            app.post_form(
                &format!("/pengaduan/{code}/pindah"),
                As::Cookie(&head),
                &[("to", to), ("note", note), ("unit", "")],
            )
            .await
        }
    };
    let r = act("dijawab", "Sudah").await;
    assert_eq!(r.status(), 303);
    assert_eq!(
        location(&r),
        format!("/pengaduan/{code}?error=transition-not-allowed")
    );
    for (to, note) in [
        ("diverifikasi", ""),
        ("ditindaklanjuti", ""),
        ("dijawab", "Loket 3 kini buka sampai jam 15."),
    ] {
        let r = act(to, note).await;
        assert_eq!(location(&r), format!("/pengaduan/{code}?done=1"), "{to}");
    }
    // The citizen judges the answer and rates the handling, also by forms.
    let (_, html) = page(String::new(), format!("/pengaduan/{code}")).await;
    assert!(html.contains("Loket 3 kini buka sampai jam 15."));
    assert!(html.contains("name=\"resolved\""));
    let say = |form: Vec<(&'static str, &'static str)>| {
        let (app, code) = (&app, code.clone());
        async move {
            let key = crate::complaints::key_of(&code);
            let mut form: Vec<(&str, &str)> = form;
            form.push(("key", &key));
            app.post_form(&format!("/pengaduan/{code}/pesan"), As::Nobody, &form)
                .await
        }
    };
    let r = say(vec![("text", ""), ("resolved", "true")]).await;
    assert_eq!(location(&r), format!("/pengaduan/{code}?done=1"));
    let r = say(vec![("rating", "4")]).await;
    assert_eq!(location(&r), format!("/pengaduan/{code}?done=1"));
    let v = view(&app, &code).await;
    assert_eq!(
        (v["state"].as_str(), v["rating"].as_u64()),
        (Some("selesai"), Some(4))
    );
    let (_, html) = page(String::new(), format!("/pengaduan/{code}?done=1")).await;
    assert!(html.contains("data-figure=\"rating\""));
    assert!(html.contains("role=\"status\""));
    app.finish().await;
}

//! The working-day calendar administrators keep: a day off they add moves a
//! running complaint deadline, removing it moves it back; both are audited,
//! and only administrators may.

use crate::complaints::{filed, view};
use crate::helpers::{location, spawn_app, As, Db};
use suara::auth::Role;

crate::both!(a_day_off_an_administrator_adds_moves_the_deadline);

async fn a_day_off_an_administrator_adds_moves_the_deadline(db: Db) {
    let app = spawn_app(db).await;
    let code = filed(
        &app,
        "paspor-baru-jaksel",
        "Formulir permohonan habis di meja informasi.",
    )
    .await;
    let due = view(&app, &code).await["deadline"]
        .as_str()
        .unwrap()
        .to_owned();
    let admin = app.session_cookie(Role::Admin, &[]).await;
    let page = app.get_text("/admin", &admin).await;
    assert!(
        page.contains("data-day=\"2026-12-25\""),
        "the built-in days are listed"
    );

    // The due day becomes a day off: the deadline moves on.
    let r = app
        .post_form(
            "/admin/calendar",
            As::Cookie(&admin),
            &[
                ("day", due.as_str()),
                ("kind", "collective_leave"),
                ("name", "Cuti bersama daerah"),
            ],
        )
        .await;
    assert_eq!(location(&r), "/admin?done=calendar");
    let later = view(&app, &code).await["deadline"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(later > due, "{later} after {due}");
    // And back.
    let r = app
        .post_form(
            "/admin/calendar/remove",
            As::Cookie(&admin),
            &[("day", due.as_str())],
        )
        .await;
    assert_eq!(location(&r), "/admin?done=calendar");
    assert_eq!(view(&app, &code).await["deadline"], due.as_str());
    let actions: Vec<String> = app
        .audited_changes()
        .await
        .into_iter()
        .filter(|e| e.action.starts_with("calendar."))
        .map(|e| format!("{} {}", e.action, e.target))
        .collect();
    assert_eq!(
        actions,
        [
            format!("calendar.remove {due}"),
            format!("calendar.add {due}")
        ]
    );
    // Refused: not a day; not an administrator.
    let r = app
        .post_form(
            "/admin/calendar",
            As::Cookie(&admin),
            &[("day", "besok"), ("kind", "holiday"), ("name", "X")],
        )
        .await;
    assert_eq!(location(&r), "/admin?error=bad-day");
    let head = app
        .session_cookie(Role::UnitHead, &["kanim-jakarta-selatan"])
        .await;
    let r = app
        .post_form(
            "/admin/calendar/remove",
            As::Cookie(&head),
            &[("day", "2026-12-25")],
        )
        .await;
    assert_eq!(r.status(), 403);
    app.finish().await;
}

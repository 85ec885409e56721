//! `suara bench views` times every view a unit head opens, over HTTP, on
//! the database it is given.

use crate::both;
use crate::helpers::{spawn_app, suara, Db};
use sqlx::Row;

both!(the_views_bench_times_every_view_of_the_busiest_unit);

async fn the_views_bench_times_every_view_of_the_busiest_unit(db: Db) {
    let app = spawn_app(db).await;
    let url = app.database_url.clone();
    // A bench without responses says what to do.
    let err = suara(["--database-url", &url, "bench", "views"], None).unwrap_err();
    assert!(err.contains("seed-synthetic"), "{err}");
    suara(
        [
            "--database-url",
            &url,
            "seed-synthetic",
            "--responses",
            "1500",
            "--days",
            "120",
            "--complaints",
            "300",
        ],
        None,
    )
    .unwrap();
    // The complaints were filed through the real path and handled as units
    // do: most verified, many resolved, a few still waiting or closed.
    let states: Vec<(String, i64)> =
        sqlx::query("SELECT state, COUNT(*) AS n FROM complaints GROUP BY state")
            .fetch_all(app.store.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| (r.get("state"), r.get("n")))
            .collect();
    let n = |s: &str| states.iter().find(|(x, _)| x == s).map_or(0, |(_, n)| *n);
    assert_eq!(
        states.iter().map(|(_, n)| n).sum::<i64>(),
        300,
        "{states:?}"
    );
    assert!(
        n("selesai") + n("selesai_tanpa_konfirmasi") > 100,
        "{states:?}"
    );
    assert!(n("ditutup") > 0 && n("ditindaklanjuti") > 0, "{states:?}");
    let verified_later: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM complaints WHERE first_verified_at_ms > received_at_ms",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap();
    assert!(verified_later > 200, "{verified_later}");
    let busiest: String = sqlx::query(
        "SELECT u.code, COUNT(*) AS n FROM responses r JOIN services s ON s.id = r.service_id \
         JOIN units u ON u.id = s.unit_id GROUP BY u.code ORDER BY n DESC, u.code LIMIT 1",
    )
    .fetch_one(app.store.pool())
    .await
    .unwrap()
    .get("code");

    let out = suara(
        [
            "--database-url",
            &url,
            "bench",
            "views",
            "--iterations",
            "3",
        ],
        None,
    )
    .unwrap();
    assert!(out.contains(&format!("unit {busiest}")), "{out}");
    assert!(out.contains("1500 scored responses"), "{out}");
    let rows: Vec<&str> = out.lines().filter(|l| l.starts_with("| ")).collect();
    // The header, then the floor and thirteen views (the overview also
    // just after a change), each with its figures.
    assert_eq!(rows.len(), 15, "{out}");
    for (row, path) in rows[1..].iter().zip([
        "/healthz",
        "/api/v1/summary?unit=",
        "&by=month`",
        "&by=week`",
        "&group=sex",
        "&group=age_band",
        "&by=week&from=",
        "/dashboard`",
        "tab=equity",
        "tab=trend&by=week",
        "/reports/skm?unit=",
        "/ikhtisar`",
        "/ikhtisar.csv`",
        "just after a change (`/ikhtisar`)",
    ]) {
        assert!(row.contains(path), "{row} should time {path}");
        let cells: Vec<&str> = row.split('|').map(str::trim).collect();
        let p50: f64 = cells[2].parse().unwrap();
        let p95: f64 = cells[3].parse().unwrap();
        assert!(p50 > 0.0 && p95 >= p50, "{row}");
    }
    // The views were a unit head's of that unit alone.
    let units: Vec<String> = sqlx::query(
        "SELECT u.code FROM accounts a JOIN account_units au ON au.account_id = a.id \
         JOIN units u ON u.id = au.unit_id WHERE a.email LIKE 'bench-%' AND a.role = 'unit-head'",
    )
    .fetch_all(app.store.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| r.get("code"))
    .collect();
    assert_eq!(units, [busiest]);
    app.finish().await;
}

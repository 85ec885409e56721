//! `suara backup` while the server takes syncs, `suara restore` into a new
//! database: the restored chain is unbroken and verifies from an export, its
//! roll-ups equal a rebuild, and restoring over data needs `--replace`.

use crate::chain::{assert_unbroken, download, manifest_of, seed, stored_chain, verified, write};
use crate::helpers::{new_id, response, spawn_app, suara, Db, EmptyDatabase};
use serde_json::json;
use suara::auth::Role;
use suara::store::Store;

crate::both!(a_backup_taken_while_serving_restores_and_verifies);

/// `suara --database-url URL ARGS…`, off the test's runtime.
async fn cli(url: &str, args: &[&str]) -> Result<String, String> {
    let mut all = vec!["--database-url".to_owned(), url.to_owned()];
    all.extend(args.iter().map(|a| a.to_string()));
    tokio::task::spawn_blocking(move || suara(all, None))
        .await
        .unwrap()
}

/// What `backup` and `restore` print after the colon: the counts and head.
fn described(out: &str) -> String {
    let line = out
        .lines()
        .find(|l| l.contains("chain head"))
        .unwrap_or(out);
    line.rsplit_once(": ").unwrap().1.to_owned()
}

async fn a_backup_taken_while_serving_restores_and_verifies(db: Db) {
    let app = spawn_app(db).await;
    seed(&app).await;
    let service = app.service_id("paspor-baru-jaksel").await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("suara.backup");
    let file_arg = file.to_str().unwrap().to_owned();

    // Syncs keep arriving while the backup is taken.
    let posting = {
        let app_url = app.url("/api/v1/responses");
        let http = app.http.clone();
        let service = service.clone();
        tokio::spawn(async move {
            for _ in 0..40 {
                let batch: Vec<_> = (0..5)
                    .map(|_| response(&new_id(), &service, json!({"U1": 3, "U2": 4})))
                    .collect();
                let r = http
                    .post(&app_url)
                    .json(&json!({ "responses": batch }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 200);
            }
        })
    };
    let out = cli(&app.database_url, &["backup", &file_arg])
        .await
        .unwrap();
    posting.await.unwrap();
    let in_backup = described(&out);
    assert!(in_backup.contains("responses"), "{out}");

    // A second backup to the same file is refused, the first kept whole.
    let again = cli(&app.database_url, &["backup", &file_arg])
        .await
        .unwrap_err();
    assert!(again.contains("exists already"), "{again}");

    // Restored into a new database: the same contents as the backup said.
    let target = EmptyDatabase::new(db).await;
    let out = cli(&target.url, &["restore", &file_arg]).await.unwrap();
    assert_eq!(described(&out), in_backup, "{out}");

    // Restoring over it again is refused without --replace, and allowed with.
    let refused = cli(&target.url, &["restore", &file_arg]).await.unwrap_err();
    assert!(refused.contains("--replace"), "{refused}");
    let out = cli(&target.url, &["restore", "--replace", &file_arg])
        .await
        .unwrap();
    assert_eq!(described(&out), in_backup, "{out}");

    // Something that is not a backup is refused before anything is touched.
    let junk = write(&dir, "junk.backup", "not a database at all");
    let refused = cli(
        &target.url,
        &["restore", "--replace", junk.to_str().unwrap()],
    )
    .await
    .unwrap_err();
    assert!(refused.contains("not a"), "{refused}");

    // Its roll-ups are exactly what a rebuild makes of its responses.
    let out = cli(&target.url, &["rollups", "rebuild"]).await.unwrap();
    assert!(out.contains("unchanged"), "{out}");

    // Served, its chain is unbroken and a full export verifies.
    let store = Store::connect(&target.url).await.unwrap();
    let restored = target.serve(store, suara::Config::new("")).await;
    let chain = stored_chain(&restored).await;
    assert_unbroken(&chain);
    assert!(in_backup.starts_with(&format!("{} responses", chain.len())));
    // Every response the backup holds is the source's, link for link.
    let source = stored_chain(&app).await;
    assert!(source.len() >= chain.len());
    assert_eq!(source[..chain.len()], chain[..]);
    let token = restored.token(Role::Auditor, &[]).await;
    let (headers, csv) = download(&restored, &token, "?format=csv").await;
    let manifest = manifest_of(&restored, &token, &headers).await;
    verified(&write(&dir, "restored.csv", &csv), Some(&manifest));

    restored.finish().await;
    app.finish().await;
}

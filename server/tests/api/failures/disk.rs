//! SQLite's disk full: refused with 503, taken again when space returns.

use super::nothing_lost_nothing_twice;
use crate::helpers::{new_id, response, EmptyDatabase};
use serde_json::{json, Value};
use std::collections::BTreeSet;
use suara::store::Store;

/// A small file system of its own, unmounted when dropped.
struct SmallDisk(tempfile::TempDir);

impl SmallDisk {
    fn new(size: &str) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mounted = std::process::Command::new("mount")
            .args(["-t", "tmpfs", "-o", &format!("size={size}"), "tmpfs"])
            .arg(dir.path())
            .status()
            .expect("mount runs");
        assert!(
            mounted.success(),
            "mounting a small tmpfs for the disk-full test needs root (make test runs as root in CI)"
        );
        Self(dir)
    }

    /// Fills what is left; the filler's path.
    fn fill(&self) -> std::path::PathBuf {
        use std::io::Write as _;
        let path = self.0.path().join("filler");
        let mut f = std::fs::File::create(&path).unwrap();
        let chunk = vec![0u8; 16 * 1024];
        while f.write_all(&chunk).is_ok() {}
        let _ = f.sync_all();
        path
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg("-l")
            .arg(self.0.path())
            .status();
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_is_answered_503_and_syncs_resume_when_space_returns() {
    let disk = SmallDisk::new("24m");
    let url = format!("sqlite://{}/suara.db", disk.0.path().display());
    let store = Store::connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    suara::seed::demo(&store).await.unwrap();
    let app = EmptyDatabase::existing(&url)
        .serve(
            store,
            suara::Config {
                limits: suara::RateLimits::off(),
                ..suara::Config::new("")
            },
        )
        .await;
    let service = app.service_id("paspor-baru-jaksel").await;
    let batch = |n: usize| -> Vec<Value> {
        (0..n)
            .map(|_| {
                let mut r = response(&new_id(), &service, json!({"U1": 2, "U2": 3}));
                r["comment"] = json!("antrean panjang ".repeat(40));
                r
            })
            .collect()
    };
    let mut sent = BTreeSet::new();
    let first = batch(50);
    sent.extend(first.iter().map(|r| r["id"].as_str().unwrap().to_owned()));
    assert_eq!(app.post_batch(first).await.status(), 200);

    let filler = disk.fill();
    let mut refused = Vec::new();
    for _ in 0..40 {
        let b = batch(100);
        let r = app.post_batch(b.clone()).await;
        match r.status().as_u16() {
            200 => sent.extend(b.iter().map(|r| r["id"].as_str().unwrap().to_owned())),
            503 => {
                assert!(r.headers().contains_key("retry-after"));
                refused.push(b);
                break;
            }
            other => panic!("{other}: {}", r.text().await.unwrap()),
        }
    }
    assert!(!refused.is_empty(), "the full disk was never felt");

    std::fs::remove_file(filler).unwrap();
    for b in refused {
        sent.extend(b.iter().map(|r| r["id"].as_str().unwrap().to_owned()));
        let results = app.post_results(b).await;
        assert!(
            results.iter().all(|r| r["status"] == "accepted"),
            "{results:?}"
        );
    }
    let more = batch(20);
    sent.extend(more.iter().map(|r| r["id"].as_str().unwrap().to_owned()));
    assert_eq!(app.post_batch(more).await.status(), 200);
    nothing_lost_nothing_twice(&app, &sent).await;
    app.finish().await;
    drop(disk);
}

//! A value that is costly to compute and read by many at once (the regency
//! overview, every unit's complaint figures, the open Data Package):
//! computed once for every request that needs it at the same time, then
//! kept while it is young enough and its key (what it was computed from:
//! a day, a count of changes) is unchanged. Requests that come while it is
//! computed wait for that computation, holding no database connection.

use std::future::Future;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub struct Fresh<K, V> {
    max_age: Duration,
    last: tokio::sync::Mutex<Option<Kept<K, V>>>,
}

#[derive(Debug)]
struct Kept<K, V> {
    at: Instant,
    key: K,
    value: V,
}

impl<K: PartialEq, V: Clone> Fresh<K, V> {
    /// Nothing kept yet; what is computed is used for `max_age` at most.
    pub fn new(max_age: Duration) -> Self {
        Self {
            max_age,
            last: tokio::sync::Mutex::new(None),
        }
    }

    /// The value kept for `key` if it is younger than `max_age`, else what
    /// `compute` makes (kept unless it failed).
    pub async fn get<E, Fut>(&self, key: K, compute: impl FnOnce() -> Fut) -> Result<V, E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        let mut last = self.last.lock().await;
        if let Some(kept) = last.as_ref() {
            if kept.key == key && kept.at.elapsed() < self.max_age {
                return Ok(kept.value.clone());
            }
        }
        let value = compute().await?;
        *last = Some(Kept {
            at: Instant::now(),
            key,
            value: value.clone(),
        });
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::Arc;

    #[tokio::test]
    async fn computes_once_for_a_key_and_again_for_another_or_when_old() {
        let computed = Arc::new(AtomicU32::new(0));
        let fresh = Arc::new(Fresh::<u32, u32>::new(Duration::from_millis(200)));
        let get = |key: u32| {
            let fresh = fresh.clone();
            let computed = computed.clone();
            async move {
                fresh
                    .get(key, || async {
                        tokio::time::sleep(Duration::from_millis(20)).await;
                        Ok::<_, ()>(computed.fetch_add(1, Ordering::SeqCst) + 1)
                    })
                    .await
            }
        };
        // Ten at once share one computation.
        let all = futures::future::join_all((0..10).map(|_| get(1))).await;
        assert!(all.iter().all(|v| *v == Ok(1)), "{all:?}");
        assert_eq!(get(1).await, Ok(1));
        // Another key (something changed) computes again.
        assert_eq!(get(2).await, Ok(2));
        // Too old: again.
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(get(2).await, Ok(3));
        // A failure is not kept: what was kept before still is.
        let failed = fresh.get(3, || async { Err::<u32, _>("down") }).await;
        assert_eq!(failed, Err("down"));
        assert_eq!(get(2).await, Ok(3));
    }
}

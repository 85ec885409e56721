//! The counts of one roll-up row and how they are stored: `items` as
//! `CODE c1 c2 c3 c4` per item and `pairs` as `A B n Σa Σb Σab` per pair of
//! items (A < B), entries `;`-separated in code order — plain text both
//! engines keep as it is and a person can read.

use app::domain::scoring::summary::PairMoments;
use app::domain::scoring::Distribution;
use sqlx::Row;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Respondents, each item's count of every score and each pair's co-moments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SliceCounts {
    pub respondents: u64,
    pub items: BTreeMap<String, Distribution>,
    pub pairs: BTreeMap<(String, String), PairMoments>,
}

/// A stored row that is not in the shape this module writes.
fn corrupt(what: &str, text: &str) -> sqlx::Error {
    sqlx::Error::Decode(format!("roll-up {what} are not readable: {text:?}").into())
}

fn numbers<const N: usize>(fields: &mut std::str::SplitAsciiWhitespace) -> Option<[u64; N]> {
    let mut out = [0; N];
    for x in &mut out {
        *x = fields.next()?.parse().ok()?;
    }
    fields.next().is_none().then_some(out)
}

impl SliceCounts {
    /// Counts one respondent's scores (sorted by item code); with the pairs'
    /// co-moments when `pairs`.
    pub fn count(&mut self, scores: &[(&str, u8)], pairs: bool) {
        self.respondents += 1;
        for (i, &(code, score)) in scores.iter().enumerate() {
            let slot = usize::from(score.clamp(1, 4) - 1);
            match self.items.get_mut(code) {
                Some(d) => d.0[slot] += 1,
                None => {
                    let mut d = Distribution::default();
                    d.0[slot] = 1;
                    self.items.insert(code.to_owned(), d);
                }
            }
            if !pairs {
                continue;
            }
            for &(other, s2) in &scores[i + 1..] {
                let p = self
                    .pairs
                    .entry((code.to_owned(), other.to_owned()))
                    .or_default();
                let (a, b) = (u64::from(score), u64::from(s2));
                p.n += 1;
                p.sum_a += a;
                p.sum_b += b;
                p.sum_ab += a * b;
            }
        }
    }

    /// Adds `other`'s counts to these.
    pub fn merge(&mut self, other: &SliceCounts) {
        self.respondents += other.respondents;
        for (code, d) in &other.items {
            self.items.entry(code.clone()).or_default().merge(d);
        }
        for (key, p) in &other.pairs {
            let q = self.pairs.entry(key.clone()).or_default();
            q.n += p.n;
            q.sum_a += p.sum_a;
            q.sum_b += p.sum_b;
            q.sum_ab += p.sum_ab;
        }
    }

    /// Takes away `part`, counts of some of the same respondents (the
    /// flagged among them): what is left is the rest's counts.
    pub fn subtract(&mut self, part: &SliceCounts) {
        self.respondents = self.respondents.saturating_sub(part.respondents);
        for (code, d) in &part.items {
            if let Some(mine) = self.items.get_mut(code) {
                for (a, b) in mine.0.iter_mut().zip(d.0) {
                    *a = a.saturating_sub(b);
                }
            }
        }
        self.items.retain(|_, d| d.0.iter().any(|&n| n > 0));
        for (key, p) in &part.pairs {
            if let Some(q) = self.pairs.get_mut(key) {
                q.n = q.n.saturating_sub(p.n);
                q.sum_a = q.sum_a.saturating_sub(p.sum_a);
                q.sum_b = q.sum_b.saturating_sub(p.sum_b);
                q.sum_ab = q.sum_ab.saturating_sub(p.sum_ab);
            }
        }
        self.pairs.retain(|_, p| p.n > 0);
    }

    pub fn items_text(&self) -> String {
        let mut out = String::new();
        for (code, d) in &self.items {
            let sep = if out.is_empty() { "" } else { ";" };
            let [a, b, c, e] = d.0;
            let _ = write!(out, "{sep}{code} {a} {b} {c} {e}");
        }
        out
    }

    pub fn pairs_text(&self) -> String {
        let mut out = String::new();
        for ((x, y), p) in &self.pairs {
            let sep = if out.is_empty() { "" } else { ";" };
            let _ = write!(
                out,
                "{sep}{x} {y} {} {} {} {}",
                p.n, p.sum_a, p.sum_b, p.sum_ab
            );
        }
        out
    }

    /// The counts stored in `n`, `items` and `pairs`.
    pub fn parse(respondents: u64, items: &str, pairs: &str) -> Result<Self, sqlx::Error> {
        let mut out = SliceCounts {
            respondents,
            ..Default::default()
        };
        for entry in items.split(';').filter(|e| !e.is_empty()) {
            let mut f = entry.split_ascii_whitespace();
            let code = f.next().ok_or_else(|| corrupt("items", entry))?;
            let c = numbers::<4>(&mut f).ok_or_else(|| corrupt("items", entry))?;
            out.items.insert(code.to_owned(), Distribution(c));
        }
        for entry in pairs.split(';').filter(|e| !e.is_empty()) {
            let mut f = entry.split_ascii_whitespace();
            let (Some(a), Some(b)) = (f.next(), f.next()) else {
                return Err(corrupt("pairs", entry));
            };
            let [n, sum_a, sum_b, sum_ab] =
                numbers::<4>(&mut f).ok_or_else(|| corrupt("pairs", entry))?;
            out.pairs.insert(
                (a.to_owned(), b.to_owned()),
                PairMoments {
                    n,
                    sum_a,
                    sum_b,
                    sum_ab,
                },
            );
        }
        Ok(out)
    }

    /// The counts of a row with columns `n`, `items` and `pairs`.
    pub fn from_row(row: &sqlx::any::AnyRow) -> Result<Self, sqlx::Error> {
        let n: i64 = row.try_get("n")?;
        let items: String = row.try_get("items")?;
        let pairs: String = row.try_get("pairs")?;
        Self::parse(n.max(0) as u64, &items, &pairs)
    }
}

#[cfg(test)]
mod tests {
    use super::SliceCounts;

    #[test]
    fn counts_read_back_as_written_and_merge_as_sums() {
        let mut a = SliceCounts::default();
        a.count(&[("U1", 4), ("U2", 3), ("U9", 1)], true);
        a.count(&[("U1", 2), ("U2", 2)], true);
        assert_eq!(a.items_text(), "U1 0 1 0 1;U2 0 1 1 0;U9 1 0 0 0");
        assert_eq!(a.pairs_text(), "U1 U2 2 6 5 16;U1 U9 1 4 1 4;U2 U9 1 3 1 3");
        let back = SliceCounts::parse(2, &a.items_text(), &a.pairs_text()).unwrap();
        assert_eq!(back, a);

        let mut group = SliceCounts::default();
        group.count(&[("U1", 1)], false);
        assert!(group.pairs.is_empty());
        let mut sum = a.clone();
        sum.merge(&group);
        assert_eq!(sum.respondents, 3);
        assert_eq!(sum.items_text(), "U1 1 1 0 1;U2 0 1 1 0;U9 1 0 0 0");
        assert_eq!(sum.pairs_text(), a.pairs_text());
    }

    #[test]
    fn taking_away_a_part_leaves_the_rest_as_if_counted_alone() {
        let (honest, stuffed) = (
            [("U1", 2), ("U2", 3), ("U9", 1)],
            [("U1", 4), ("U2", 4), ("U9", 4)],
        );
        let mut all = SliceCounts::default();
        let mut flagged = SliceCounts::default();
        let mut rest = SliceCounts::default();
        all.count(&honest, true);
        rest.count(&honest, true);
        for _ in 0..3 {
            all.count(&stuffed, true);
            flagged.count(&stuffed, true);
        }
        all.subtract(&flagged);
        assert_eq!(all, rest);
    }

    #[test]
    fn an_unreadable_row_is_an_error_not_zero() {
        for (items, pairs) in [
            ("U1 0 1 0", ""),
            ("U1 0 1 0 1 7", ""),
            ("U1 x 1 0 1", ""),
            ("", "U1 U2 2 6 5"),
            ("", "U1"),
        ] {
            assert!(
                SliceCounts::parse(1, items, pairs).is_err(),
                "{items:?} {pairs:?}"
            );
        }
    }
}

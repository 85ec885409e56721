//! A small map from names to values in the order they were set: the dozen
//! answers of one form. It does what the forms need of a `BTreeMap` with a
//! fraction of the code a phone downloads (a `BTreeMap` brings its tree and
//! a sort for every pair of types it holds).

/// Names to values; setting a name again replaces its value in place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Pairs<V>(Vec<(String, V)>);

impl<V> Default for Pairs<V> {
    fn default() -> Self {
        Self::new()
    }
}

impl<V> Pairs<V> {
    pub const fn new() -> Self {
        Self(Vec::new())
    }

    pub fn get(&self, name: &str) -> Option<&V> {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Sets `name`; the value it had, if any.
    pub fn insert(&mut self, name: String, value: V) -> Option<V> {
        match self.0.iter_mut().find(|(n, _)| *n == name) {
            Some((_, v)) => Some(std::mem::replace(v, value)),
            None => {
                self.0.push((name, value));
                None
            }
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<V> {
        let i = self.0.iter().position(|(n, _)| n == name)?;
        Some(self.0.remove(i).1)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &V)> {
        self.0.iter().map(|(n, v)| (n, v))
    }
}

impl<V> FromIterator<(String, V)> for Pairs<V> {
    /// A name given twice keeps its last value.
    fn from_iter<I: IntoIterator<Item = (String, V)>>(iter: I) -> Self {
        let mut pairs = Self::new();
        for (name, value) in iter {
            pairs.insert(name, value);
        }
        pairs
    }
}

impl<V> IntoIterator for Pairs<V> {
    type Item = (String, V);
    type IntoIter = std::vec::IntoIter<(String, V)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

#[cfg(test)]
mod tests {
    use super::Pairs;

    #[test]
    fn pairs_behave_as_a_map() {
        let mut p: Pairs<u8> = [("U1".to_owned(), 3), ("U2".to_owned(), 4)]
            .into_iter()
            .collect();
        assert_eq!(p.get("U1"), Some(&3));
        assert_eq!(p.insert("U1".into(), 4), Some(3));
        assert_eq!(p.len(), 2, "set again, not added");
        assert_eq!(p.insert("U3".into(), 1), None);
        assert_eq!(p.remove("U2"), Some(4));
        assert!(!p.contains_key("U2"));
        let all: Vec<(String, u8)> = p.into_iter().collect();
        assert_eq!(all, [("U1".to_owned(), 4), ("U3".to_owned(), 1)]);
        let twice: Pairs<u8> = [("a".to_owned(), 1), ("a".to_owned(), 2)]
            .into_iter()
            .collect();
        assert_eq!(twice.get("a"), Some(&2));
        assert_eq!(twice.len(), 1);
    }
}

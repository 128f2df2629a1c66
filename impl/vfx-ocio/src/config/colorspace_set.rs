//! `ColorSpaceSet`: an ordered collection of colour spaces, looked up by
//! name or alias without case, with OCIO's set operations (`|`, `&`, `-`).
//! A set holds its own copies of the colour spaces added to it.

use super::colorspace::ColorSpace;
use super::Config;
use crate::enums::{ColorSpaceVisibility, SearchReferenceSpaceType};
use crate::error::{OcioError, Result};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct ColorSpaceSet {
    pub spaces: Vec<ColorSpace>,
}

/// The position of the colour space `name` refers to (by name or alias,
/// ignoring case) among `spaces`; an empty name refers to none.
pub fn find<'a>(spaces: impl IntoIterator<Item = &'a ColorSpace>, name: &str) -> Option<usize> {
    if name.is_empty() {
        return None;
    }
    spaces
        .into_iter()
        .position(|cs| cs.name.eq_ignore_ascii_case(name) || cs.aliases.iter().any(|a| a.eq_ignore_ascii_case(name)))
}

/// Where adding `cs` to `spaces` puts it: `Some(i)` replaces the colour
/// space of the same name at `i`, `None` appends. Fails, with the
/// reference's messages, for an empty name or a name or alias another
/// colour space already uses.
pub fn add_slot(spaces: &[&ColorSpace], cs: &ColorSpace) -> Result<Option<usize>> {
    if cs.name.is_empty() {
        return Err(OcioError::msg("Cannot add a color space with an empty name."));
    }
    let replace = match find(spaces.iter().copied(), &cs.name) {
        Some(i) if !spaces[i].name.eq_ignore_ascii_case(&cs.name) => {
            return Err(OcioError::msg(format!(
                "Cannot add '{}' color space, existing color space, '{}' is using this name as an alias.",
                cs.name, spaces[i].name
            )));
        }
        found => found,
    };
    for alias in &cs.aliases {
        if let Some(i) = find(spaces.iter().copied(), alias) {
            if Some(i) != replace {
                return Err(OcioError::msg(format!(
                    "Cannot add '{}' color space, it has '{alias}' alias and existing color space, '{}' is \
                     using the same alias.",
                    cs.name, spaces[i].name
                )));
            }
        }
    }
    Ok(replace)
}

/// The position of the colour space named `name` (ignoring case; aliases
/// do not count), the one `remove` takes out.
pub fn find_by_name<'a>(spaces: impl IntoIterator<Item = &'a ColorSpace>, name: &str) -> Option<usize> {
    if name.is_empty() {
        return None;
    }
    spaces.into_iter().position(|cs| cs.name.eq_ignore_ascii_case(name))
}

impl ColorSpaceSet {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn len(&self) -> usize {
        self.spaces.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spaces.is_empty()
    }

    /// The index of the colour space `name` (name or alias) refers to.
    pub fn index_of(&self, name: &str) -> Option<usize> {
        find(&self.spaces, name)
    }

    pub fn get(&self, name: &str) -> Option<&ColorSpace> {
        self.index_of(name).map(|i| &self.spaces[i])
    }

    pub fn has(&self, name: &str) -> bool {
        self.index_of(name).is_some()
    }

    /// Adds a copy of `cs`, replacing a colour space of the same name.
    pub fn add(&mut self, cs: &ColorSpace) -> Result<()> {
        let refs: Vec<&ColorSpace> = self.spaces.iter().collect();
        match add_slot(&refs, cs)? {
            Some(i) => self.spaces[i] = cs.clone(),
            None => self.spaces.push(cs.clone()),
        }
        Ok(())
    }

    /// Adds every colour space of `other` in turn (stopping at the first
    /// that cannot be added, as the reference does).
    pub fn add_all(&mut self, other: &ColorSpaceSet) -> Result<()> {
        other.spaces.iter().try_for_each(|cs| self.add(cs))
    }

    /// Removes the colour space with this name (aliases do not count).
    pub fn remove(&mut self, name: &str) {
        if let Some(i) = find_by_name(&self.spaces, name) {
            self.spaces.remove(i);
        }
    }

    pub fn remove_all(&mut self, other: &ColorSpaceSet) {
        for cs in &other.spaces {
            self.remove(&cs.name);
        }
    }

    pub fn clear(&mut self) {
        self.spaces.clear();
    }

    /// OCIO's `operator==`: as many colour spaces, each of ours known to
    /// `other` by name or alias.
    pub fn same_as(&self, other: &ColorSpaceSet) -> bool {
        self.len() == other.len() && self.spaces.iter().all(|cs| other.has(&cs.name))
    }

    /// `self | other`: ours, then those of `other` added in turn.
    pub fn union(&self, other: &ColorSpaceSet) -> Result<ColorSpaceSet> {
        let mut out = self.clone();
        out.add_all(other)?;
        Ok(out)
    }

    /// `self & other`: those of `other` (in its order) that we know.
    pub fn intersection(&self, other: &ColorSpaceSet) -> Result<ColorSpaceSet> {
        let mut out = ColorSpaceSet::new();
        for cs in other.spaces.iter().filter(|cs| self.has(&cs.name)) {
            out.add(cs)?;
        }
        Ok(out)
    }

    /// `self - other`: ours (in our order) that `other` does not know.
    pub fn difference(&self, other: &ColorSpaceSet) -> Result<ColorSpaceSet> {
        let mut out = ColorSpaceSet::new();
        for cs in self.spaces.iter().filter(|cs| !other.has(&cs.name)) {
            out.add(cs)?;
        }
        Ok(out)
    }
}

impl Config {
    /// OCIO's `Config::getColorSpaces(category)`: the active colour spaces
    /// (scene- and display-referred, in config order) having `category`,
    /// or all of them for an empty category.
    pub fn colorspace_set(&self, category: &str) -> Result<ColorSpaceSet> {
        let mut out = ColorSpaceSet::new();
        for cs in self.colorspaces_filtered(SearchReferenceSpaceType::All, ColorSpaceVisibility::Active) {
            if category.is_empty() || cs.categories.has(category) {
                out.add(cs)?;
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::enums::ReferenceSpaceType;

    fn cs(name: &str, aliases: &[&str]) -> ColorSpace {
        let mut c = ColorSpace::new(ReferenceSpaceType::Scene);
        c.set_name(name);
        for a in aliases {
            c.add_alias(a);
        }
        c
    }

    fn names(s: &ColorSpaceSet) -> Vec<&str> {
        s.spaces.iter().map(|c| c.name.as_str()).collect()
    }

    #[test]
    fn add_find_remove() {
        let mut s = ColorSpaceSet::new();
        s.add(&cs("a", &["aa"])).unwrap();
        s.add(&cs("b", &[])).unwrap();
        assert_eq!(s.index_of("AA"), Some(0));
        assert!(!s.has(""));
        assert_eq!(
            s.add(&cs("", &[])).unwrap_err().to_string(),
            "Cannot add a color space with an empty name."
        );
        assert_eq!(
            s.add(&cs("aa", &[])).unwrap_err().to_string(),
            "Cannot add 'aa' color space, existing color space, 'a' is using this name as an alias."
        );
        assert_eq!(
            s.add(&cs("x", &["B"])).unwrap_err().to_string(),
            "Cannot add 'x' color space, it has 'B' alias and existing color space, 'b' is using the same alias."
        );
        // Same name: replaced in place (its own aliases may stay).
        let mut b2 = cs("B", &[]);
        b2.family = "fam".into();
        s.add(&b2).unwrap();
        assert_eq!(names(&s), ["a", "B"]);
        s.add(&cs("A", &["aa"])).unwrap();
        assert_eq!(names(&s), ["A", "B"]);
        // Removal goes by name only.
        s.remove("aa");
        assert_eq!(s.len(), 2);
        s.remove("a");
        assert_eq!(names(&s), ["B"]);
    }

    #[test]
    fn set_operations() {
        let mut s = ColorSpaceSet::new();
        s.add(&cs("zz", &["aa"])).unwrap();
        s.add(&cs("B", &[])).unwrap();
        let mut t = ColorSpaceSet::new();
        t.add(&cs("b", &[])).unwrap();
        t.add(&cs("C", &[])).unwrap();
        assert_eq!(names(&s.union(&t).unwrap()), ["zz", "b", "C"]);
        assert_eq!(names(&t.union(&s).unwrap()), ["B", "C", "zz"]);
        assert_eq!(names(&s.intersection(&t).unwrap()), ["b"]);
        assert_eq!(names(&t.intersection(&s).unwrap()), ["B"]);
        assert_eq!(names(&s.difference(&t).unwrap()), ["zz"]);
        assert_eq!(names(&t.difference(&s).unwrap()), ["C"]);
        assert!(!s.same_as(&t));
        assert!(s.same_as(&s.clone()));
        // Aliases count for equality.
        let mut u = ColorSpaceSet::new();
        u.add(&cs("x", &["zz"])).unwrap();
        u.add(&cs("b", &[])).unwrap();
        assert!(s.same_as(&u));
        s.remove_all(&t);
        assert_eq!(names(&s), ["zz"]);
    }

    #[test]
    fn from_config_by_category() {
        let mut cfg = Config::default();
        let mut a = cs("a", &[]);
        a.categories.add("file-io");
        let mut b = cs("b", &[]);
        b.categories.add("File-IO ");
        cfg.colorspaces = vec![a, b, cs("c", &[])];
        cfg.inactive_colorspaces = vec!["b".into()];
        assert_eq!(names(&cfg.colorspace_set("").unwrap()), ["a", "c"]);
        assert_eq!(names(&cfg.colorspace_set(" FILE-io").unwrap()), ["a"]);
    }
}

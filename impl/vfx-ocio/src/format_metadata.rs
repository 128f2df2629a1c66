//! The metadata tree a transform carries (OCIO's `FormatMetadata`): what
//! CLF/CTF files hold in `<Description>`, `<InputDescriptor>`, `<Info>` and
//! the `name`/`id` attributes of their elements.

use std::fmt;

use crate::error::{OcioError, Result};

const ROOT: &str = "ROOT";

/// One element: a name, a text value, ordered attributes and children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormatMetadata {
    pub element_name: String,
    pub value: String,
    pub attributes: Vec<(String, String)>,
    pub children: Vec<FormatMetadata>,
}

impl Default for FormatMetadata {
    /// The root element every transform starts with.
    fn default() -> Self {
        FormatMetadata::new("ROOT", "")
    }
}

impl FormatMetadata {
    pub fn new(name: &str, value: &str) -> Self {
        FormatMetadata {
            element_name: name.to_string(),
            value: value.to_string(),
            attributes: Vec::new(),
            children: Vec::new(),
        }
    }

    /// The value of an attribute ("" when absent).
    pub fn attribute(&self, name: &str) -> &str {
        self.attributes
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or("")
    }

    /// Sets an attribute, replacing its value in place when it exists.
    pub fn set_attribute(&mut self, name: &str, value: &str) {
        match self.attributes.iter_mut().find(|(n, _)| n == name) {
            Some(a) => a.1 = value.to_string(),
            None => self.attributes.push((name.to_string(), value.to_string())),
        }
    }

    /// Removes everything but the element name.
    pub fn clear(&mut self) {
        self.value.clear();
        self.attributes.clear();
        self.children.clear();
    }

    fn check_name(name: &str) -> Result<()> {
        if name.is_empty() {
            return Err(OcioError::msg("FormatMetadata has to have a non-empty name."));
        }
        if name == ROOT {
            return Err(OcioError::msg("'ROOT' is reversed for root FormatMetadata elements."));
        }
        Ok(())
    }

    /// Renames a (non-root) element.
    pub fn set_element_name(&mut self, name: &str) -> Result<()> {
        if self.element_name == ROOT {
            return Err(OcioError::msg("FormatMetadata 'ROOT' element can't be renamed."));
        }
        Self::check_name(name)?;
        self.element_name = name.to_string();
        Ok(())
    }

    /// Sets the text of a (non-root) element.
    pub fn set_value(&mut self, value: &str) -> Result<()> {
        if self.element_name == ROOT {
            return Err(OcioError::msg("FormatMetadata 'ROOT' can't have a value."));
        }
        self.value = value.to_string();
        Ok(())
    }

    /// Appends a child element.
    pub fn add_child(&mut self, name: &str, value: &str) -> Result<()> {
        Self::check_name(name)?;
        self.children.push(FormatMetadata::new(name, value));
        Ok(())
    }

    /// The element reached by following child indices.
    pub fn at(&self, path: &[usize]) -> Option<&FormatMetadata> {
        path.iter().try_fold(self, |m, &i| m.children.get(i))
    }

    pub fn at_mut(&mut self, path: &[usize]) -> Option<&mut FormatMetadata> {
        path.iter().try_fold(self, |m, &i| m.children.get_mut(i))
    }
}

impl fmt::Display for FormatMetadata {
    /// `<NAME a="v">value<CHILD>...</CHILD></NAME>`, unescaped, as OCIO prints it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<{}", self.element_name)?;
        for (k, v) in &self.attributes {
            write!(f, " {k}=\"{v}\"")?;
        }
        write!(f, ">{}", self.value)?;
        for c in &self.children {
            write!(f, "{c}")?;
        }
        write!(f, "</{}>", self.element_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_and_text() {
        let mut m = FormatMetadata::default();
        assert!(m.set_value("x").is_err());
        assert!(m.set_element_name("X").is_err());
        assert!(m.add_child("", "").is_err());
        assert!(m.add_child("ROOT", "").is_err());
        m.add_child("C1", "V1").unwrap();
        m.at_mut(&[0]).unwrap().set_attribute("a", "1");
        m.set_attribute("name", "n");
        assert_eq!(m.to_string(), "<ROOT name=\"n\"><C1 a=\"1\">V1</C1></ROOT>");
        assert_eq!(m.at(&[0, 0]), None);
    }
}

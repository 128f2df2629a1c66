//! The metadata tree a transform carries (OCIO's `FormatMetadata`): what
//! CLF/CTF files hold in `<Description>`, `<InputDescriptor>`, `<Info>` and
//! the `name`/`id` attributes of their elements.

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
}

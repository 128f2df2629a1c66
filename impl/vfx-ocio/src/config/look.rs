//! `Look`: a named grade applied in a process space, with an optional
//! explicit inverse.

use std::fmt;

use super::interchange::{Interchange, AMF_KEYS};
use crate::transforms::Transform;

#[derive(Debug, Clone, PartialEq)]
pub struct Look {
    pub name: String,
    pub process_space: String,
    pub transform: Option<Transform>,
    pub inverse_transform: Option<Transform>,
    pub description: String,
    pub interchange: Interchange,
}

impl Default for Look {
    fn default() -> Self {
        Look {
            name: String::new(),
            process_space: String::new(),
            transform: None,
            inverse_transform: None,
            description: String::new(),
            interchange: Interchange::new(AMF_KEYS),
        }
    }
}

impl fmt::Display for Look {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<Look name={}, processSpace={}", self.name, self.process_space)?;
        if !self.description.is_empty() {
            write!(f, ", description={}", self.description)?;
        }
        write!(f, "{}", self.interchange.fmt_suffix())?;
        if let Some(t) = &self.transform {
            write!(f, ",\n    transform=\n        {t}")?;
        }
        if let Some(t) = &self.inverse_transform {
            write!(f, ",\n    inverseTransform=\n        {t}")?;
        }
        write!(f, ">")
    }
}

//! `ViewTransform`: the transform between a reference space and a display
//! (used by views), in either direction.

use std::fmt;

use super::interchange::{Interchange, AMF_KEYS};
use super::tokens::Tokens;
use crate::enums::{ReferenceSpaceType, ViewTransformDirection};
use crate::transforms::Transform;

#[derive(Debug, Clone, PartialEq)]
pub struct ViewTransform {
    pub reference_space: ReferenceSpaceType,
    pub name: String,
    pub family: String,
    pub description: String,
    pub to_reference: Option<Transform>,
    pub from_reference: Option<Transform>,
    pub categories: Tokens,
    pub interchange: Interchange,
}

impl ViewTransform {
    pub fn new(reference_space: ReferenceSpaceType) -> Self {
        ViewTransform {
            reference_space,
            name: String::new(),
            family: String::new(),
            description: String::new(),
            to_reference: None,
            from_reference: None,
            categories: Tokens::default(),
            interchange: Interchange::new(AMF_KEYS),
        }
    }

    pub fn transform(&self, dir: ViewTransformDirection) -> Option<&Transform> {
        match dir {
            ViewTransformDirection::ToReference => self.to_reference.as_ref(),
            ViewTransformDirection::FromReference => self.from_reference.as_ref(),
        }
    }

    pub fn set_transform(&mut self, t: Option<Transform>, dir: ViewTransformDirection) {
        match dir {
            ViewTransformDirection::ToReference => self.to_reference = t,
            ViewTransformDirection::FromReference => self.from_reference = t,
        }
    }
}

impl fmt::Display for ViewTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // ReferenceSpaceType has no ToString in OCIO; its printer names it.
        let refspace = match self.reference_space {
            ReferenceSpaceType::Scene => "scene",
            ReferenceSpaceType::Display => "display",
        };
        write!(
            f,
            "<ViewTransform name={}, family={}, referenceSpaceType={refspace}",
            self.name, self.family
        )?;
        if !self.description.is_empty() {
            write!(f, ", description={}", self.description)?;
        }
        write!(f, "{}", self.interchange.fmt_suffix())?;
        if let Some(t) = &self.to_reference {
            write!(f, ",\n    {} --> Reference\n        {t}", self.name)?;
        }
        if let Some(t) = &self.from_reference {
            write!(f, ",\n    Reference --> {}\n        {t}", self.name)?;
        }
        write!(f, ">")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_like_the_reference() {
        let mut v = ViewTransform::new(ReferenceSpaceType::Display);
        v.name = "vn".into();
        v.description = "vd".into();
        assert_eq!(
            v.to_string(),
            "<ViewTransform name=vn, family=, referenceSpaceType=display, description=vd>"
        );
        assert_eq!(
            ViewTransform::new(ReferenceSpaceType::Scene).to_string(),
            "<ViewTransform name=, family=, referenceSpaceType=scene>"
        );
    }
}

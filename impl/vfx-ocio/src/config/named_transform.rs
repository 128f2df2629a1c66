//! `NamedTransform`: a named transform usable like a colour space, with
//! a forward and/or inverse transform.

use std::fmt;

use super::tokens::Tokens;
use crate::enums::TransformDirection;
use crate::error::{OcioError, Result};
use crate::transforms::{GroupTransform, Transform};

#[derive(Debug, Clone, PartialEq, Default)]
pub struct NamedTransform {
    pub name: String,
    pub aliases: Vec<String>,
    pub family: String,
    pub description: String,
    pub encoding: String,
    pub forward: Option<Transform>,
    pub inverse: Option<Transform>,
    pub categories: Tokens,
}

impl NamedTransform {
    pub fn set_name(&mut self, name: &str) {
        self.name = name.to_string();
        self.aliases.retain(|a| a != name);
    }

    pub fn has_alias(&self, alias: &str) -> bool {
        self.aliases.iter().any(|a| a.eq_ignore_ascii_case(alias))
    }

    pub fn add_alias(&mut self, alias: &str) {
        if !alias.is_empty() && !alias.eq_ignore_ascii_case(&self.name) && !self.has_alias(alias) {
            self.aliases.push(alias.to_string());
        }
    }

    pub fn remove_alias(&mut self, alias: &str) {
        self.aliases.retain(|a| !a.eq_ignore_ascii_case(alias));
    }

    pub fn transform(&self, dir: TransformDirection) -> Option<&Transform> {
        match dir {
            TransformDirection::Forward => self.forward.as_ref(),
            TransformDirection::Inverse => self.inverse.as_ref(),
        }
    }

    pub fn set_transform(&mut self, t: Option<Transform>, dir: TransformDirection) {
        match dir {
            TransformDirection::Forward => self.forward = t,
            TransformDirection::Inverse => self.inverse = t,
        }
    }

    /// OCIO's `NamedTransform::GetTransform`: the transform for `dir`,
    /// or the other one with its direction flipped when it is missing.
    pub fn resolved_transform(&self, dir: TransformDirection) -> Option<Transform> {
        if let Some(t) = self.transform(dir) {
            return Some(t.clone());
        }
        let mut t = self.transform(dir.inverse())?.clone();
        t.set_direction(t.direction().inverse());
        Some(t)
    }

    /// OCIO's `GetTransform(src, dst)`: from one named transform to
    /// another (either may be missing, not both).
    pub fn between(src: Option<&NamedTransform>, dst: Option<&NamedTransform>) -> Result<Option<Transform>> {
        match (src, dst) {
            (Some(s), Some(d)) => {
                let mut g = GroupTransform::default();
                g.children.extend(s.resolved_transform(TransformDirection::Forward));
                g.children.extend(d.resolved_transform(TransformDirection::Inverse));
                Ok(Some(Transform::Group(g)))
            }
            (Some(s), None) => Ok(s.resolved_transform(TransformDirection::Forward)),
            (None, Some(d)) => Ok(d.resolved_transform(TransformDirection::Inverse)),
            (None, None) => Err(OcioError::msg(
                "GetTransform: one of the parameters has to be not null.",
            )),
        }
    }
}

impl fmt::Display for NamedTransform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<NamedTransform name={}", self.name)?;
        match self.aliases.len() {
            0 => {}
            1 => write!(f, ", alias= {}", self.aliases[0])?,
            _ => write!(f, ", aliases=[{}]", self.aliases.join(", "))?,
        }
        if !self.family.is_empty() {
            write!(f, ", family={}", self.family)?;
        }
        if !self.categories.0.is_empty() {
            write!(f, ", categories=[{}]", self.categories.0.join(", "))?;
        }
        if !self.description.is_empty() {
            write!(f, ", description={}", self.description)?;
        }
        if !self.encoding.is_empty() {
            write!(f, ", encoding={}", self.encoding)?;
        }
        if let Some(t) = &self.forward {
            write!(f, ",\n    forward=\n        {t}")?;
        }
        if let Some(t) = &self.inverse {
            write!(f, ",\n    inverse=\n        {t}")?;
        }
        write!(f, ">")
    }
}

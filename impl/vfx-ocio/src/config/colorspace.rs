//! `ColorSpace`: a named colour space with its transforms to and from the
//! reference space, aliases, categories and descriptive attributes.

use std::fmt;

use super::interchange::{Interchange, COLORSPACE_KEYS};
use super::tokens::Tokens;
use crate::enums::{Allocation, BitDepth, ColorSpaceDirection, OcioEnum, ReferenceSpaceType};
use crate::error::{OcioError, Result};
use crate::transforms::common::g;
use crate::transforms::Transform;

#[derive(Debug, Clone, PartialEq)]
pub struct ColorSpace {
    pub reference_space: ReferenceSpaceType,
    pub name: String,
    pub aliases: Vec<String>,
    pub family: String,
    pub encoding: String,
    pub equality_group: String,
    pub description: String,
    pub bit_depth: BitDepth,
    pub is_data: bool,
    pub allocation: Allocation,
    pub allocation_vars: Vec<f32>,
    pub to_reference: Option<Transform>,
    pub from_reference: Option<Transform>,
    pub categories: Tokens,
    pub interop_id: String,
    pub interchange: Interchange,
}

impl ColorSpace {
    pub fn new(reference_space: ReferenceSpaceType) -> Self {
        ColorSpace {
            reference_space,
            name: String::new(),
            aliases: Vec::new(),
            family: String::new(),
            encoding: String::new(),
            equality_group: String::new(),
            description: String::new(),
            bit_depth: BitDepth::Unknown,
            is_data: false,
            allocation: Allocation::Uniform,
            allocation_vars: Vec::new(),
            to_reference: None,
            from_reference: None,
            categories: Tokens::default(),
            interop_id: String::new(),
            interchange: Interchange::new(COLORSPACE_KEYS),
        }
    }

    /// Renaming drops an alias equal to the new name.
    pub fn set_name(&mut self, name: &str) {
        self.name = name.to_string();
        self.aliases.retain(|a| !a.eq_ignore_ascii_case(name));
    }

    pub fn has_alias(&self, alias: &str) -> bool {
        self.aliases.iter().any(|a| a.eq_ignore_ascii_case(alias))
    }

    /// Adds an alias unless it is empty, the name, or already there
    /// (compared without case).
    pub fn add_alias(&mut self, alias: &str) {
        if !alias.is_empty() && !alias.eq_ignore_ascii_case(&self.name) && !self.has_alias(alias) {
            self.aliases.push(alias.to_string());
        }
    }

    pub fn remove_alias(&mut self, alias: &str) {
        self.aliases.retain(|a| !a.eq_ignore_ascii_case(alias));
    }

    /// Only lowercase ASCII letters, digits and `. - _ ~ / * # % ^ + ( ) [ ] |`,
    /// with at most one `:` between a non-empty namespace and name.
    pub fn set_interop_id(&mut self, id: &str) -> Result<()> {
        if !id.is_empty() {
            let ok = |c: char| c.is_ascii_digit() || c.is_ascii_lowercase() || ".-_~/*#%^+()[]|:".contains(c);
            if !id.chars().all(ok) {
                return Err(OcioError::msg(format!(
                    "InteropID '{id}' contains invalid characters. Only lowercase a-z, 0-9 and \
                     . - _ ~ / * # % ^ + ( ) [ ] | are allowed.\n"
                )));
            }
            if let Some((ns, cs)) = id.split_once(':') {
                if ns.is_empty() || cs.is_empty() {
                    return Err(OcioError::msg(format!(
                        "InteropID '{id}' is not valid. If ':' is used, both the namespace and the color space \
                         parts must be non-empty.\n"
                    )));
                }
                if cs.contains(':') {
                    return Err(OcioError::msg(format!(
                        "ERROR: InteropID '{id}' is not valid. Only one ':' is allowed to separate the namespace \
                         and the color space.\n"
                    )));
                }
            }
        }
        self.interop_id = id.to_string();
        Ok(())
    }

    /// The binding accepts two or three allocation values.
    pub fn set_allocation_vars(&mut self, vars: Vec<f32>) -> Result<()> {
        if !(2..=3).contains(&vars.len()) {
            return Err(OcioError::msg("vars must be a float array, size 2 or 3"));
        }
        self.allocation_vars = vars;
        Ok(())
    }

    pub fn transform(&self, dir: ColorSpaceDirection) -> Option<&Transform> {
        match dir {
            ColorSpaceDirection::ToReference => self.to_reference.as_ref(),
            ColorSpaceDirection::FromReference => self.from_reference.as_ref(),
        }
    }

    pub fn set_transform(&mut self, t: Option<Transform>, dir: ColorSpaceDirection) {
        match dir {
            ColorSpaceDirection::ToReference => self.to_reference = t,
            ColorSpaceDirection::FromReference => self.from_reference = t,
        }
    }
}

impl fmt::Display for ColorSpace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let refspace = match self.reference_space {
            ReferenceSpaceType::Scene => "scene",
            ReferenceSpaceType::Display => "display",
        };
        write!(f, "<ColorSpace referenceSpaceType={refspace}, name={}, ", self.name)?;
        match self.aliases.len() {
            0 => {}
            1 => write!(f, "alias= {}, ", self.aliases[0])?,
            _ => write!(f, "aliases=[{}], ", self.aliases.join(", "))?,
        }
        for (label, v) in [
            ("interop_id", &self.interop_id),
            ("family", &self.family),
            ("equalityGroup", &self.equality_group),
        ] {
            if !v.is_empty() {
                write!(f, "{label}={v}, ")?;
            }
        }
        if self.bit_depth != BitDepth::Unknown {
            write!(f, "bitDepth={}, ", self.bit_depth.as_str())?;
        }
        write!(f, "isData={}", self.is_data)?;
        if !self.allocation_vars.is_empty() {
            let vars: Vec<String> = self.allocation_vars.iter().map(|v| g(*v as f64)).collect();
            write!(f, ", allocation={}, vars={}", self.allocation.as_str(), vars.join(" "))?;
        }
        if !self.categories.0.is_empty() {
            write!(f, ", categories={}", self.categories.0.join(", "))?;
        }
        if !self.encoding.is_empty() {
            write!(f, ", encoding={}", self.encoding)?;
        }
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
    fn aliases_and_ids() {
        let mut c = ColorSpace::new(ReferenceSpaceType::Scene);
        c.add_alias("alias1");
        c.add_alias("ALIAS1");
        c.set_name("Alias1");
        assert!(c.aliases.is_empty());
        assert!(c.set_interop_id("Bad").is_err());
        assert!(c.set_interop_id("ns:cs").is_ok());
        assert!(c.set_interop_id("ns:").is_err());
        assert_eq!(
            c.to_string(),
            "<ColorSpace referenceSpaceType=scene, name=Alias1, interop_id=ns:cs, isData=false>"
        );
    }
}

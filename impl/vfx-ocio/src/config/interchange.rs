//! Interchange attributes (`amf_transform_ids`, `icc_profile_name`): a
//! small map whose allowed keys depend on the element, matched without
//! case and stored under their canonical spelling, sorted by key.

use std::collections::BTreeMap;

use crate::error::{OcioError, Result};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interchange {
    known: &'static [&'static str],
    pub values: BTreeMap<String, String>,
}

/// Colour spaces know both attributes.
pub const COLORSPACE_KEYS: &[&str] = &["amf_transform_ids", "icc_profile_name"];
/// Looks and view transforms know only the AMF ids.
pub const AMF_KEYS: &[&str] = &["amf_transform_ids"];

impl Interchange {
    pub fn new(known: &'static [&'static str]) -> Self {
        Interchange {
            known,
            values: BTreeMap::new(),
        }
    }

    fn key(&self, name: &str) -> Result<&'static str> {
        self.known
            .iter()
            .find(|k| k.eq_ignore_ascii_case(name))
            .copied()
            .ok_or_else(|| OcioError::msg(format!("Unknown attribute name '{name}'.")))
    }

    pub fn get(&self, name: &str) -> Result<&str> {
        let k = self.key(name)?;
        Ok(self.values.get(k).map(String::as_str).unwrap_or(""))
    }

    /// An empty value removes the attribute.
    pub fn set(&mut self, name: &str, value: &str) -> Result<()> {
        let k = self.key(name)?;
        if value.is_empty() {
            self.values.remove(k);
        } else {
            self.values.insert(k.to_string(), value.to_string());
        }
        Ok(())
    }

    /// `, key=value` for each attribute (the printed forms end with these).
    pub fn fmt_suffix(&self) -> String {
        self.values.iter().map(|(k, v)| format!(", {k}={v}")).collect()
    }
}

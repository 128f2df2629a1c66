//! Shared pieces of OCIO's YAML reading: typed loads with the reference's
//! error texts, duplicate-key checks and unknown-key warnings; and the
//! number formatting of its emitter (15 significant digits for doubles).

use std::collections::HashSet;

use super::Node;
use crate::enums::OcioEnum;
use crate::error::{OcioError, Result};
use crate::logging;

fn tag_of(node: &Node) -> &str {
    node.tag().unwrap_or("")
}

/// yaml-cpp's "bad conversion" text for a node.
fn bad_conversion(node: &Node) -> String {
    let m = node.mark();
    format!(
        "yaml-cpp: error at line {}, column {}: bad conversion",
        m.line,
        m.col + 1
    )
}

/// `At line N, '<tag>' parsing failed: msg`.
pub fn node_error(node: &Node, msg: &str) -> OcioError {
    OcioError::msg(format!(
        "At line {}, '{}' parsing failed: {msg}",
        node.mark().line,
        tag_of(node)
    ))
}

/// `At line N, the value parsing of the key 'k' from 'tag' failed: msg`.
pub fn value_error(tag: &str, key: &Node, msg: &str) -> OcioError {
    OcioError::msg(format!(
        "At line {}, the value parsing of the key '{}' from '{tag}' failed: {msg}",
        key.mark().line,
        key.as_str().unwrap_or("")
    ))
}

/// A scalar as a string (yaml-cpp converts any scalar; collections fail).
pub fn load_str(node: &Node) -> Result<String> {
    match node {
        Node::Scalar { value, .. } => Ok(value.clone()),
        _ => Err(OcioError::msg(format!(
            "At line {}, '{}' parsing string failed with: {}",
            node.mark().line,
            tag_of(node),
            bad_conversion(node)
        ))),
    }
}

/// A number the way yaml-cpp's `as<double>()` reads it, including YAML's
/// `.inf`/`.nan` spellings.
fn parse_double(s: &str) -> Option<f64> {
    match s {
        ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF" => return Some(f64::INFINITY),
        "-.inf" | "-.Inf" | "-.INF" => return Some(f64::NEG_INFINITY),
        ".nan" | ".NaN" | ".NAN" => return Some(f64::NAN),
        _ => {}
    }
    let t = s.trim_end_matches(' ');
    if t.is_empty() || t.eq_ignore_ascii_case("inf") || t.eq_ignore_ascii_case("nan") {
        return None;
    }
    t.parse::<f64>().ok()
}

pub fn load_f64(node: &Node) -> Result<f64> {
    let err = || {
        OcioError::msg(format!(
            "At line {}, '{}' parsing double failed with: {}",
            node.mark().line,
            tag_of(node),
            bad_conversion(node)
        ))
    };
    match node {
        Node::Scalar { value, .. } => parse_double(value).ok_or_else(err),
        _ => Err(err()),
    }
}

pub fn load_f64_vec(node: &Node) -> Result<Vec<f64>> {
    let err = |at: &Node| {
        OcioError::msg(format!(
            "At line {}, '{}' parsing vector<double> failed with: {}",
            node.mark().line,
            tag_of(node),
            bad_conversion(at)
        ))
    };
    let items = node.items().ok_or_else(|| err(node))?;
    items
        .iter()
        .map(|n| n.as_str().and_then(parse_double).ok_or_else(|| err(n)))
        .collect()
}

/// An enum from its `<Enum>FromString` text.
pub fn load_enum<T: OcioEnum>(node: &Node) -> Result<T> {
    T::parse(&load_str(node)?)
}

/// The reference rejects maps that repeat a key.
pub fn check_duplicates(node: &Node) -> Result<()> {
    let mut seen = HashSet::new();
    if let Node::Map { entries, .. } = node {
        for (k, _) in entries {
            let key = k.as_str().unwrap_or("");
            if !seen.insert(key) {
                return Err(value_error(
                    tag_of(node),
                    k,
                    &format!("Key-value pair with key '{key}' specified more than once. "),
                ));
            }
        }
    }
    Ok(())
}

/// The warning OCIO logs for a key it does not know.
pub fn warn_unknown_key(node: &Node, key: &Node) {
    logging::warn(&format!(
        "At line {}, unknown key '{}' in '{}'.",
        key.mark().line,
        key.as_str().unwrap_or(""),
        tag_of(node)
    ));
}

/// The entries of a map whose values are not null (OCIO skips those).
pub fn defined_entries(node: &Node) -> impl Iterator<Item = (&Node, &str, &Node)> {
    let entries: &[(Node, Node)] = match node {
        Node::Map { entries, .. } => entries,
        _ => &[],
    };
    entries
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k, k.as_str().unwrap_or(""), v))
}

/// A double as OCIO's emitter writes it (`%.15g`).
pub fn fmt_double(v: f64) -> String {
    vfx_core::strutil::fmt_g_prec(v, 15)
}

/// A float as OCIO's emitter writes it (`%.7g`).
pub fn fmt_float(v: f64) -> String {
    vfx_core::strutil::fmt_g_prec(v, 7)
}

/// `[a, b, ...]` of doubles.
pub fn flow_doubles(v: &[f64]) -> String {
    format!("[{}]", v.iter().map(|x| fmt_double(*x)).collect::<Vec<_>>().join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_like_yaml_cpp() {
        assert_eq!(fmt_double(1.0 / 3.0), "0.333333333333333");
        assert_eq!(fmt_double(1e-7), "1e-07");
        assert_eq!(fmt_double(1e20), "1e+20");
        assert_eq!(fmt_double(123456789.123), "123456789.123");
        assert_eq!(parse_double(".inf"), Some(f64::INFINITY));
        assert_eq!(parse_double("1e3"), Some(1000.0));
        assert_eq!(parse_double("abc"), None);
    }
}

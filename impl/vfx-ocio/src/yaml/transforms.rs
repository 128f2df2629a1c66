//! Transforms in config YAML (`!<MatrixTransform> {...}`): reading with the
//! reference's keys, defaults and messages, and writing with its layout
//! (flow maps for simple transforms, block maps for groups; keys at their
//! default values left out).

use super::common::{
    check_duplicates, defined_entries, flow_doubles, fmt_double, load_enum, load_f64, load_f64_vec, load_str,
    node_error, value_error, warn_unknown_key,
};
use super::Node;
use crate::enums::{NegativeStyle, OcioEnum, TransformDirection};
use crate::error::Result;
use crate::transforms::matrix::IDENTITY;
use crate::transforms::{
    BuiltinTransform, ExponentTransform, ExponentWithLinearTransform, GroupTransform, LogCameraTransform,
    MatrixTransform, Transform,
};

/// yaml-cpp's node type numbers, used in the reference's message.
fn node_type_number(node: &Node) -> u8 {
    match node {
        Node::Scalar { .. } if node.is_null() => 1,
        Node::Scalar { .. } => 2,
        Node::Seq { .. } => 3,
        Node::Map { .. } => 4,
    }
}

/// Reads a tagged transform map.
pub fn read_transform(node: &Node) -> Result<Transform> {
    if !matches!(node, Node::Map { .. }) {
        return Err(node_error(
            node,
            &format!(
                "Unsupported Transform type encountered: ({}) in OCIO profile. Only Mapping types supported.",
                node_type_number(node)
            ),
        ));
    }
    match node.tag().unwrap_or("") {
        "BuiltinTransform" => read_builtin(node).map(Transform::Builtin),
        "ExponentTransform" => read_exponent(node).map(Transform::Exponent),
        "ExponentWithLinearTransform" => read_exponent_linear(node).map(Transform::ExponentWithLinear),
        "GroupTransform" => read_group(node).map(Transform::Group),
        "LogCameraTransform" => read_log_camera(node).map(Transform::LogCamera),
        "MatrixTransform" => read_matrix(node).map(Transform::Matrix),
        other => Err(node_error(
            node,
            &format!("Unsupported transform type !<{other}> in OCIO profile. "),
        )),
    }
}

fn read_group(node: &Node) -> Result<GroupTransform> {
    check_duplicates(node)?;
    let mut g = GroupTransform::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "children" => {
                for child in v.items().unwrap_or(&[]) {
                    g.children.push(read_transform(child)?);
                }
            }
            "direction" => g.direction = load_enum::<TransformDirection>(v)?,
            "name" => g.metadata.set_attribute("name", &load_str(v)?),
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(g)
}

fn read_matrix(node: &Node) -> Result<MatrixTransform> {
    check_duplicates(node)?;
    let tag = node.tag().unwrap_or("");
    let mut m = MatrixTransform::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "matrix" => {
                let vals = load_f64_vec(v)?;
                m.matrix = vals.as_slice().try_into().map_err(|_| {
                    value_error(
                        tag,
                        k,
                        &format!("'matrix' values must be 16 numbers. Found '{}'.", vals.len()),
                    )
                })?;
            }
            "offset" => {
                let vals = load_f64_vec(v)?;
                m.offset = vals.as_slice().try_into().map_err(|_| {
                    value_error(
                        tag,
                        k,
                        &format!("'offset' values must be 4 numbers. Found '{}'.", vals.len()),
                    )
                })?;
            }
            "direction" => m.direction = load_enum::<TransformDirection>(v)?,
            "name" => m.metadata.set_attribute("name", &load_str(v)?),
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(m)
}

fn read_builtin(node: &Node) -> Result<BuiltinTransform> {
    let mut t = BuiltinTransform::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "style" => t.set_style(&load_str(v)?)?,
            "direction" => t.direction = load_enum::<TransformDirection>(v)?,
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(t)
}

/// Four values, or one value for RGB (with `alpha` for the fourth).
fn load_rgba(v: &Node, alpha: f64) -> Result<Vec<f64>> {
    if v.items().is_some() {
        load_f64_vec(v)
    } else {
        let x = load_f64(v)?;
        Ok(vec![x, x, x, alpha])
    }
}

fn read_exponent(node: &Node) -> Result<ExponentTransform> {
    check_duplicates(node)?;
    let tag = node.tag().unwrap_or("");
    let mut t = ExponentTransform::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "value" => {
                let vals = load_rgba(v, 1.0)?;
                t.value = vals.as_slice().try_into().map_err(|_| {
                    value_error(
                        tag,
                        k,
                        &format!("'value' values must be 4 floats. Found '{}'.", vals.len()),
                    )
                })?;
            }
            "style" => t.set_negative_style(NegativeStyle::parse(&load_str(v)?)?)?,
            "direction" => t.direction = load_enum::<TransformDirection>(v)?,
            "name" => t.metadata.set_attribute("name", &load_str(v)?),
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(t)
}

fn read_exponent_linear(node: &Node) -> Result<ExponentWithLinearTransform> {
    check_duplicates(node)?;
    let err = "ExponentWithLinear parse error, ";
    let mut t = ExponentWithLinearTransform::default();
    let (mut gamma, mut offset) = (false, false);
    for (k, key, v) in defined_entries(node) {
        match key {
            "gamma" => {
                let vals = load_rgba(v, 1.0)?;
                t.gamma = vals.as_slice().try_into().map_err(|_| {
                    crate::OcioError::msg(format!("{err}gamma field must be 4 floats. Found '{}'.", vals.len()))
                })?;
                gamma = true;
            }
            "offset" => {
                let vals = load_rgba(v, 0.0)?;
                t.offset = vals.as_slice().try_into().map_err(|_| {
                    crate::OcioError::msg(format!("{err}offset field must be 4 floats. Found '{}'.", vals.len()))
                })?;
                offset = true;
            }
            "style" => t.set_negative_style(NegativeStyle::parse(&load_str(v)?)?)?,
            "direction" => t.direction = load_enum::<TransformDirection>(v)?,
            "name" => t.metadata.set_attribute("name", &load_str(v)?),
            _ => crate::logging::warn(&format!(
                "Unknown key in {}: '{}'.",
                node.tag().unwrap_or(""),
                k.as_str().unwrap_or("")
            )),
        }
    }
    match (gamma, offset) {
        (true, true) => Ok(t),
        (false, false) => Err(crate::OcioError::msg(format!(
            "{err}gamma and offset fields are missing"
        ))),
        (false, true) => Err(crate::OcioError::msg(format!("{err}gamma field is missing"))),
        (true, false) => Err(crate::OcioError::msg(format!("{err}offset field is missing"))),
    }
}

/// One value for all three channels, or three values.
fn load_log_param(v: &Node, name: &str) -> Result<[f64; 3]> {
    if v.items().is_none() {
        let x = load_f64(v)?;
        return Ok([x; 3]);
    }
    let vals = load_f64_vec(v)?;
    vals.as_slice().try_into().map_err(|_| {
        crate::OcioError::msg(format!(
            "LogAffine/CameraTransform parse error, {name} value field must have 3 components. Found '{}'.",
            vals.len()
        ))
    })
}

fn read_log_camera(node: &Node) -> Result<LogCameraTransform> {
    check_duplicates(node)?;
    let mut t = LogCameraTransform::new([0.0; 3]);
    let mut have_break = false;
    for (k, key, v) in defined_entries(node) {
        match key {
            "base" => {
                if let Some(items) = v.items() {
                    return Err(crate::OcioError::msg(format!(
                        "LogCameraTransform parse error, base must be a single double. Found {}.",
                        items.len()
                    )));
                }
                t.sides.base = load_f64(v)?;
            }
            "lin_side_offset" => t.sides.lin_side_offset = load_log_param(v, key)?,
            "lin_side_slope" => t.sides.lin_side_slope = load_log_param(v, key)?,
            "log_side_offset" => t.sides.log_side_offset = load_log_param(v, key)?,
            "log_side_slope" => t.sides.log_side_slope = load_log_param(v, key)?,
            "lin_side_break" => {
                have_break = true;
                t.lin_side_break = load_log_param(v, key)?;
            }
            "linear_slope" => t.linear_slope = Some(load_log_param(v, key)?),
            "direction" => t.direction = load_enum::<TransformDirection>(v)?,
            "name" => t.metadata.set_attribute("name", &load_str(v)?),
            _ => warn_unknown_key(node, k),
        }
    }
    if !have_break {
        return Err(crate::OcioError::msg(
            "LogCameraTransform parse error: lin_side_break values are missing.",
        ));
    }
    Ok(t)
}

/// `key: v` for a log parameter: one value when the three are equal (left
/// out at its default), else the three.
fn log_param(e: &mut Vec<(String, String)>, key: &str, v: &[f64; 3], default: Option<f64>) {
    if v[0] == v[1] && v[0] == v[2] {
        if Some(v[0]) != default {
            e.push((key.to_string(), fmt_double(v[0])));
        }
    } else {
        e.push((key.to_string(), flow_doubles(v)));
    }
}

/// `key: x` when the four values are RGB-equal with the given alpha, else `[r, g, b, a]`.
fn rgba_param(v: &[f64; 4], alpha: f64) -> String {
    if v[0] == v[1] && v[0] == v[2] && v[3] == alpha {
        fmt_double(v[0])
    } else {
        flow_doubles(v)
    }
}

/// `name: ...` when the transform's metadata has a name (profile 2+).
fn name_entry(t: &Transform, major: u32) -> Option<(String, String)> {
    let name = t.format_metadata()?.attribute("name");
    (major >= 2 && !name.is_empty()).then(|| {
        (
            "name".to_string(),
            super::write::scalar(name, super::write::Context::Flow),
        )
    })
}

fn direction_entry(dir: TransformDirection) -> Option<(String, String)> {
    (dir == TransformDirection::Inverse).then(|| ("direction".to_string(), dir.as_str().to_string()))
}

/// `{k: v, ...}`.
fn flow_map(entries: &[(String, String)]) -> String {
    let parts: Vec<String> = entries.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    format!("{{{}}}", parts.join(", "))
}

/// Writes `t` where a value goes (after `key: ` or `- `), without a final
/// newline; `indent` is the column of a block map's entries.
pub fn write_transform(t: &Transform, major: u32, indent: usize, out: &mut String) -> Result<()> {
    match t {
        Transform::Matrix(m) => {
            let mut e: Vec<(String, String)> = name_entry(t, major).into_iter().collect();
            if m.matrix != IDENTITY {
                e.push(("matrix".into(), flow_doubles(&m.matrix)));
            }
            if m.offset.iter().any(|v| *v != 0.0) {
                e.push(("offset".into(), flow_doubles(&m.offset)));
            }
            e.extend(direction_entry(m.direction));
            out.push_str("!<MatrixTransform> ");
            out.push_str(&flow_map(&e));
        }
        Transform::Builtin(b) => {
            let mut e = vec![(
                "style".to_string(),
                super::write::scalar(b.style, super::write::Context::Flow),
            )];
            e.extend(direction_entry(b.direction));
            out.push_str("!<BuiltinTransform> ");
            out.push_str(&flow_map(&e));
        }
        Transform::Exponent(x) => {
            let mut e: Vec<(String, String)> = name_entry(t, major).into_iter().collect();
            let value = if major >= 2 {
                rgba_param(&x.value, 1.0)
            } else {
                flow_doubles(&x.value)
            };
            e.push(("value".into(), value));
            if x.negative_style != NegativeStyle::Clamp {
                e.push(("style".into(), x.negative_style.as_str().to_string()));
            }
            e.extend(direction_entry(x.direction));
            out.push_str("!<ExponentTransform> ");
            out.push_str(&flow_map(&e));
        }
        Transform::ExponentWithLinear(x) => {
            let mut e: Vec<(String, String)> = name_entry(t, 2).into_iter().collect();
            e.push(("gamma".into(), rgba_param(&x.gamma, 1.0)));
            e.push(("offset".into(), rgba_param(&x.offset, 0.0)));
            if x.negative_style != NegativeStyle::Linear {
                e.push(("style".into(), x.negative_style.as_str().to_string()));
            }
            e.extend(direction_entry(x.direction));
            out.push_str("!<ExponentWithLinearTransform> ");
            out.push_str(&flow_map(&e));
        }
        Transform::LogCamera(x) => {
            let mut e: Vec<(String, String)> = name_entry(t, 2).into_iter().collect();
            if x.sides.base != 2.0 {
                e.push(("base".into(), fmt_double(x.sides.base)));
            }
            log_param(&mut e, "log_side_slope", &x.sides.log_side_slope, Some(1.0));
            log_param(&mut e, "log_side_offset", &x.sides.log_side_offset, Some(0.0));
            log_param(&mut e, "lin_side_slope", &x.sides.lin_side_slope, Some(1.0));
            log_param(&mut e, "lin_side_offset", &x.sides.lin_side_offset, Some(0.0));
            log_param(&mut e, "lin_side_break", &x.lin_side_break, None);
            if let Some(s) = &x.linear_slope {
                log_param(&mut e, "linear_slope", s, None);
            }
            e.extend(direction_entry(x.direction));
            out.push_str("!<LogCameraTransform> ");
            out.push_str(&flow_map(&e));
        }
        Transform::Group(g) => {
            let pad = " ".repeat(indent);
            out.push_str("!<GroupTransform>");
            let mut e: Vec<(String, String)> = name_entry(t, major).into_iter().collect();
            e.extend(direction_entry(g.direction));
            for (k, v) in e {
                out.push_str(&format!("\n{pad}{k}: {v}"));
            }
            out.push_str(&format!("\n{pad}children:"));
            if g.children.is_empty() {
                out.push_str(&format!("\n{pad}  []"));
            }
            for c in &g.children {
                out.push_str(&format!("\n{pad}  - "));
                write_transform(c, major, indent + 4, out)?;
            }
        }
        other => {
            return Err(crate::OcioError::msg(format!(
                "Writing a {:?} transform to a config is not implemented yet.",
                other.kind()
            )))
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::parse;

    fn roundtrip(text: &str) -> String {
        let n = parse(text).unwrap();
        let t = read_transform(n.get("t").unwrap()).unwrap();
        let mut out = String::from("t: ");
        write_transform(&t, 2, 2, &mut out).unwrap();
        out
    }

    #[test]
    fn matrix_and_group_layout() {
        let text = "t: !<GroupTransform>\n  name: g\n  direction: inverse\n  children:\n    - !<MatrixTransform> {name: m, offset: [0.1, 0, 0, 0]}\n    - !<MatrixTransform> {}\n    - !<GroupTransform>\n      children:\n        []";
        assert_eq!(roundtrip(text), text);
    }

    #[test]
    fn errors_name_the_line_and_key() {
        let n = parse("t: !<MatrixTransform> {offset: [1, 2]}").unwrap();
        let e = read_transform(n.get("t").unwrap()).unwrap_err().to_string();
        assert_eq!(
            e,
            "At line 1, the value parsing of the key 'offset' from 'MatrixTransform' failed: \
             'offset' values must be 4 numbers. Found '2'."
        );
        let n = parse("t: !<FooTransform> {}").unwrap();
        let e = read_transform(n.get("t").unwrap()).unwrap_err().to_string();
        assert_eq!(
            e,
            "At line 1, 'FooTransform' parsing failed: Unsupported transform type !<FooTransform> in OCIO profile. "
        );
        let n = parse("t: !<MatrixTransform> {direction: inverse, direction: forward}").unwrap();
        assert!(read_transform(n.get("t").unwrap()).is_err());
    }
}

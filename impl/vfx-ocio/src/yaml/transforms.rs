//! Transforms in config YAML (`!<MatrixTransform> {...}`): reading with the
//! reference's keys, defaults and messages, and writing with its layout
//! (flow maps for simple transforms, block maps for groups; keys at their
//! default values left out).

use super::common::{
    check_duplicates, defined_entries, flow_doubles, load_enum, load_f64_vec, load_str, node_error, value_error,
    warn_unknown_key,
};
use super::Node;
use crate::enums::{OcioEnum, TransformDirection};
use crate::error::Result;
use crate::transforms::matrix::IDENTITY;
use crate::transforms::{GroupTransform, MatrixTransform, Transform};

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
        "GroupTransform" => read_group(node).map(Transform::Group),
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

//! Transforms in config YAML (`!<MatrixTransform> {...}`): reading with the
//! reference's keys, defaults and messages, and writing with its layout
//! (flow maps for simple transforms, block maps for groups; keys at their
//! default values left out).

use super::common::{
    check_duplicates, defined_entries, flow_doubles, fmt_double, fmt_float, load_enum, load_f64, load_f64_vec,
    load_str, node_error, value_error, warn_unknown_key,
};
use super::Node;
use crate::enums::{
    Allocation, CdlStyle, ExposureContrastStyle, FixedFunctionStyle, Interpolation, NegativeStyle, OcioEnum,
    RangeStyle, TransformDirection,
};
use crate::error::Result;
use crate::transforms::matrix::IDENTITY;
use crate::transforms::{
    AllocationTransform, BuiltinTransform, CdlTransform, ColorSpaceTransform, DisplayViewTransform, ExponentTransform,
    ExponentWithLinearTransform, ExposureContrastTransform, FileTransform, FixedFunctionTransform, GroupTransform,
    LogAffineTransform, LogCameraTransform, LogTransform, LookTransform, MatrixTransform, RangeTransform, Transform,
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
        "AllocationTransform" => read_allocation(node).map(Transform::Allocation),
        "BuiltinTransform" => read_builtin(node).map(Transform::Builtin),
        "CDLTransform" => read_cdl(node).map(Transform::Cdl),
        "ColorSpaceTransform" => read_colorspace(node).map(Transform::ColorSpace),
        "DisplayViewTransform" => read_display_view(node).map(Transform::DisplayView),
        "ExposureContrastTransform" => read_exposure_contrast(node).map(Transform::ExposureContrast),
        "FileTransform" => read_file(node).map(Transform::File),
        "FixedFunctionTransform" => read_fixed_function(node).map(Transform::FixedFunction),
        "LogTransform" => read_log(node).map(Transform::Log),
        "LogAffineTransform" => read_log_affine(node).map(Transform::LogAffine),
        "LookTransform" => read_look(node).map(Transform::Look),
        "RangeTransform" => read_range(node).map(Transform::Range),
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

fn load_yaml_bool(v: &Node) -> Result<bool> {
    match load_str(v)?.as_str() {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => Ok(true),
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => Ok(false),
        _ => Err(node_error(v, "parsing boolean failed")),
    }
}

fn read_allocation(node: &Node) -> Result<AllocationTransform> {
    check_duplicates(node)?;
    let mut t = AllocationTransform::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "allocation" => t.allocation = load_enum::<Allocation>(v)?,
            "vars" => {
                let vals: Vec<f32> = load_f64_vec(v)?.into_iter().map(|x| x as f32).collect();
                if !vals.is_empty() {
                    t.set_vars(vals)?;
                }
            }
            "direction" => t.direction = load_enum::<TransformDirection>(v)?,
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(t)
}

fn three(tag: &str, k: &Node, name: &str, v: &Node) -> Result<[f64; 3]> {
    let vals = load_f64_vec(v)?;
    vals.as_slice().try_into().map_err(|_| {
        value_error(
            tag,
            k,
            &format!("'{name}' values must be 3 floats. Found '{}'.", vals.len()),
        )
    })
}

fn read_cdl(node: &Node) -> Result<CdlTransform> {
    check_duplicates(node)?;
    let tag = node.tag().unwrap_or("");
    let mut t = CdlTransform::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "slope" => t.slope = three(tag, k, "slope", v)?,
            "offset" => t.offset = three(tag, k, "offset", v)?,
            "power" => t.power = three(tag, k, "power", v)?,
            "saturation" | "sat" => t.sat = load_f64(v)?,
            "style" => t.style = CdlStyle::parse(&load_str(v)?)?,
            "direction" => t.direction = load_enum::<TransformDirection>(v)?,
            "name" => t.metadata.set_attribute("name", &load_str(v)?),
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(t)
}

fn read_colorspace(node: &Node) -> Result<ColorSpaceTransform> {
    check_duplicates(node)?;
    let mut t = ColorSpaceTransform::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "src" => t.src = load_str(v)?,
            "dst" => t.dst = load_str(v)?,
            "data_bypass" => t.data_bypass = load_yaml_bool(v)?,
            "direction" => t.direction = load_enum::<TransformDirection>(v)?,
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(t)
}

fn read_display_view(node: &Node) -> Result<DisplayViewTransform> {
    check_duplicates(node)?;
    let mut t = DisplayViewTransform::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "src" => t.src = load_str(v)?,
            "display" => t.display = load_str(v)?,
            "view" => t.view = load_str(v)?,
            "looks_bypass" => t.looks_bypass = load_yaml_bool(v)?,
            "data_bypass" => t.data_bypass = load_yaml_bool(v)?,
            "direction" => t.direction = load_enum::<TransformDirection>(v)?,
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(t)
}

/// Missing exposure, contrast or gamma make that value dynamic.
fn read_exposure_contrast(node: &Node) -> Result<ExposureContrastTransform> {
    check_duplicates(node)?;
    let mut t = ExposureContrastTransform::default();
    let (mut e, mut c, mut g) = (false, false, false);
    for (k, key, v) in defined_entries(node) {
        match key {
            "exposure" => {
                t.exposure = load_f64(v)?;
                e = true;
            }
            "contrast" => {
                t.contrast = load_f64(v)?;
                c = true;
            }
            "gamma" => {
                t.gamma = load_f64(v)?;
                g = true;
            }
            "pivot" => t.pivot = load_f64(v)?,
            "log_exposure_step" => t.log_exposure_step = load_f64(v)?,
            "log_midway_gray" => t.log_mid_gray = load_f64(v)?,
            "style" => t.style = ExposureContrastStyle::parse(&load_str(v)?)?,
            "direction" => t.direction = load_enum::<TransformDirection>(v)?,
            "name" => t.metadata.set_attribute("name", &load_str(v)?),
            _ => warn_unknown_key(node, k),
        }
    }
    t.exposure_dynamic = !e;
    t.contrast_dynamic = !c;
    t.gamma_dynamic = !g;
    Ok(t)
}

fn read_file(node: &Node) -> Result<FileTransform> {
    check_duplicates(node)?;
    let mut t = FileTransform::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "src" => t.src = load_str(v)?,
            "cccid" => t.ccc_id = load_str(v)?,
            "cdl_style" => t.cdl_style = CdlStyle::parse(&load_str(v)?)?,
            "interpolation" => t.interpolation = load_enum::<Interpolation>(v)?,
            "direction" => t.direction = load_enum::<TransformDirection>(v)?,
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(t)
}

fn experimental_warning(style: FixedFunctionStyle, text: &str) {
    use FixedFunctionStyle as S;
    if matches!(
        style,
        S::AcesOutputTransform20 | S::AcesRgbToJmh20 | S::AcesTonescaleCompress20 | S::AcesGamutCompress20
    ) {
        crate::logging::warn(&format!(
            "FixedFunction style is experimental and may be removed in a future release: '{text}'."
        ));
    }
}

fn read_fixed_function(node: &Node) -> Result<FixedFunctionTransform> {
    check_duplicates(node)?;
    let mut t = FixedFunctionTransform::new(FixedFunctionStyle::AcesRedMod03, Vec::new())?;
    let mut have_style = false;
    for (k, key, v) in defined_entries(node) {
        match key {
            "params" => t.params = load_f64_vec(v)?,
            "style" => {
                let text = load_str(v)?;
                t.set_style(FixedFunctionStyle::parse(&text)?)?;
                experimental_warning(t.style, &text);
                have_style = true;
            }
            "direction" => t.direction = load_enum::<TransformDirection>(v)?,
            "name" => t.metadata.set_attribute("name", &load_str(v)?),
            _ => crate::logging::warn(&format!(
                "Unknown key in {}: '{}'.",
                node.tag().unwrap_or(""),
                k.as_str().unwrap_or("")
            )),
        }
    }
    if !have_style {
        return Err(node_error(node, "style value is missing."));
    }
    Ok(t)
}

fn read_log(node: &Node) -> Result<LogTransform> {
    check_duplicates(node)?;
    let mut t = LogTransform::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "base" => t.base = load_f64(v)?,
            "direction" => t.direction = load_enum::<TransformDirection>(v)?,
            "name" => t.metadata.set_attribute("name", &load_str(v)?),
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(t)
}

fn read_log_affine(node: &Node) -> Result<LogAffineTransform> {
    check_duplicates(node)?;
    let mut t = LogAffineTransform::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "base" => t.sides.base = load_f64(v)?,
            "lin_side_offset" => t.sides.lin_side_offset = load_log_param(v, key)?,
            "lin_side_slope" => t.sides.lin_side_slope = load_log_param(v, key)?,
            "log_side_offset" => t.sides.log_side_offset = load_log_param(v, key)?,
            "log_side_slope" => t.sides.log_side_slope = load_log_param(v, key)?,
            "direction" => t.direction = load_enum::<TransformDirection>(v)?,
            "name" => t.metadata.set_attribute("name", &load_str(v)?),
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(t)
}

fn read_look(node: &Node) -> Result<LookTransform> {
    check_duplicates(node)?;
    let mut t = LookTransform::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "src" => t.src = load_str(v)?,
            "dst" => t.dst = load_str(v)?,
            "looks" => t.looks = load_str(v)?,
            "direction" => t.direction = load_enum::<TransformDirection>(v)?,
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(t)
}

fn read_range(node: &Node) -> Result<RangeTransform> {
    check_duplicates(node)?;
    let mut t = RangeTransform::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "min_in_value" => t.min_in = Some(load_f64(v)?),
            "max_in_value" => t.max_in = Some(load_f64(v)?),
            "min_out_value" => t.min_out = Some(load_f64(v)?),
            "max_out_value" => t.max_out = Some(load_f64(v)?),
            "style" => t.style = RangeStyle::parse(&load_str(v)?)?,
            "direction" => t.direction = load_enum::<TransformDirection>(v)?,
            "name" => t.metadata.set_attribute("name", &load_str(v)?),
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(t)
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

fn flow_text(s: &str) -> String {
    super::write::scalar(s, super::write::Context::Flow)
}

/// `!<Tag> {k: v, ...}`.
fn flow_tagged(out: &mut String, tag: &str, entries: &[(String, String)]) {
    out.push_str(&format!("!<{tag}> "));
    out.push_str(&flow_map(entries));
}

fn is_one(v: f64) -> bool {
    !crate::transforms::common::floats_differ(1.0, v)
}

fn is_zero(v: f64) -> bool {
    crate::transforms::common::is_zero(v)
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
        Transform::Allocation(a) => {
            let mut e = vec![("allocation".to_string(), a.allocation.as_str().to_string())];
            if !a.vars.is_empty() {
                let vars: Vec<String> = a.vars.iter().map(|v| fmt_float(*v as f64)).collect();
                e.push(("vars".into(), format!("[{}]", vars.join(", "))));
            }
            e.extend(direction_entry(a.direction));
            flow_tagged(out, "AllocationTransform", &e);
        }
        Transform::Cdl(c) => {
            let mut e: Vec<(String, String)> = name_entry(t, major).into_iter().collect();
            if c.slope.iter().any(|v| !is_one(*v)) {
                e.push(("slope".into(), flow_doubles(&c.slope)));
            }
            if c.offset.iter().any(|v| !is_zero(*v)) {
                e.push(("offset".into(), flow_doubles(&c.offset)));
            }
            if c.power.iter().any(|v| !is_one(*v)) {
                e.push(("power".into(), flow_doubles(&c.power)));
            }
            if !is_one(c.sat) {
                e.push(("sat".into(), fmt_double(c.sat)));
            }
            if c.style != CdlStyle::NoClamp {
                e.push(("style".into(), c.style.as_str().to_string()));
            }
            e.extend(direction_entry(c.direction));
            flow_tagged(out, "CDLTransform", &e);
        }
        Transform::ColorSpace(c) => {
            let mut e = vec![
                ("src".to_string(), flow_text(&c.src)),
                ("dst".to_string(), flow_text(&c.dst)),
            ];
            if !c.data_bypass {
                e.push(("data_bypass".into(), "false".into()));
            }
            e.extend(direction_entry(c.direction));
            flow_tagged(out, "ColorSpaceTransform", &e);
        }
        Transform::DisplayView(d) => {
            let mut e = vec![
                ("src".to_string(), flow_text(&d.src)),
                ("display".to_string(), flow_text(&d.display)),
                ("view".to_string(), flow_text(&d.view)),
            ];
            if d.looks_bypass {
                e.push(("looks_bypass".into(), "true".into()));
            }
            if !d.data_bypass {
                e.push(("data_bypass".into(), "false".into()));
            }
            e.extend(direction_entry(d.direction));
            flow_tagged(out, "DisplayViewTransform", &e);
        }
        Transform::ExposureContrast(x) => {
            let mut e: Vec<(String, String)> = name_entry(t, 2).into_iter().collect();
            e.push(("style".into(), x.style.as_str().to_string()));
            for (dynamic, key, v) in [
                (x.exposure_dynamic, "exposure", x.exposure),
                (x.contrast_dynamic, "contrast", x.contrast),
                (x.gamma_dynamic, "gamma", x.gamma),
            ] {
                if !dynamic {
                    e.push((key.into(), fmt_double(v)));
                }
            }
            e.push(("pivot".into(), fmt_double(x.pivot)));
            if x.log_exposure_step != 0.088 {
                e.push(("log_exposure_step".into(), fmt_double(x.log_exposure_step)));
            }
            if x.log_mid_gray != 0.435 {
                e.push(("log_midway_gray".into(), fmt_double(x.log_mid_gray)));
            }
            e.extend(direction_entry(x.direction));
            flow_tagged(out, "ExposureContrastTransform", &e);
        }
        Transform::File(f) => {
            let mut e = vec![("src".to_string(), flow_text(&f.src))];
            if !f.ccc_id.is_empty() {
                e.push(("cccid".into(), flow_text(&f.ccc_id)));
            }
            if f.cdl_style != CdlStyle::NoClamp {
                e.push(("cdl_style".into(), f.cdl_style.as_str().to_string()));
            }
            let interp = if major == 1 && f.interpolation == Interpolation::Default {
                Interpolation::Linear
            } else {
                f.interpolation
            };
            if interp != Interpolation::Default {
                e.push(("interpolation".into(), interp.as_str().to_string()));
            }
            e.extend(direction_entry(f.direction));
            flow_tagged(out, "FileTransform", &e);
        }
        Transform::FixedFunction(x) => {
            let mut e: Vec<(String, String)> = name_entry(t, 2).into_iter().collect();
            e.push(("style".into(), x.style.as_str().to_string()));
            experimental_warning(x.style, x.style.as_str());
            if !x.params.is_empty() {
                e.push(("params".into(), flow_doubles(&x.params)));
            }
            e.extend(direction_entry(x.direction));
            flow_tagged(out, "FixedFunctionTransform", &e);
        }
        Transform::Log(l) => {
            let mut e: Vec<(String, String)> = name_entry(t, major).into_iter().collect();
            if l.base != 2.0 || major < 2 {
                e.push(("base".into(), fmt_double(l.base)));
            }
            e.extend(direction_entry(l.direction));
            flow_tagged(out, "LogTransform", &e);
        }
        Transform::LogAffine(x) => {
            let mut e: Vec<(String, String)> = name_entry(t, 2).into_iter().collect();
            if x.sides.base != 2.0 {
                e.push(("base".into(), fmt_double(x.sides.base)));
            }
            log_param(&mut e, "log_side_slope", &x.sides.log_side_slope, Some(1.0));
            log_param(&mut e, "log_side_offset", &x.sides.log_side_offset, Some(0.0));
            log_param(&mut e, "lin_side_slope", &x.sides.lin_side_slope, Some(1.0));
            log_param(&mut e, "lin_side_offset", &x.sides.lin_side_offset, Some(0.0));
            e.extend(direction_entry(x.direction));
            flow_tagged(out, "LogAffineTransform", &e);
        }
        Transform::Look(l) => {
            let mut e = vec![
                ("src".to_string(), flow_text(&l.src)),
                ("dst".to_string(), flow_text(&l.dst)),
                ("looks".to_string(), flow_text(&l.looks)),
            ];
            e.extend(direction_entry(l.direction));
            flow_tagged(out, "LookTransform", &e);
        }
        Transform::Range(r) => {
            let mut e: Vec<(String, String)> = name_entry(t, 2).into_iter().collect();
            for (key, v) in [
                ("min_in_value", r.min_in),
                ("max_in_value", r.max_in),
                ("min_out_value", r.min_out),
                ("max_out_value", r.max_out),
            ] {
                if let Some(v) = v {
                    e.push((key.into(), fmt_double(v)));
                }
            }
            if r.style != RangeStyle::Clamp {
                e.push(("style".into(), r.style.as_str().to_string()));
            }
            e.extend(direction_entry(r.direction));
            flow_tagged(out, "RangeTransform", &e);
        }
        // OCIO configs cannot hold these (they come from LUT files).
        Transform::GradingPrimary(_)
        | Transform::GradingTone(_)
        | Transform::GradingRgbCurve(_)
        | Transform::GradingHueCurve(_) => {
            return Err(crate::OcioError::msg(format!(
                "Writing a {:?} transform to a config is not implemented yet.",
                t.kind()
            )));
        }
        Transform::Lut1D(_) | Transform::Lut3D(_) => {
            return Err(crate::OcioError::msg("Unsupported Transform() type for serialization."));
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

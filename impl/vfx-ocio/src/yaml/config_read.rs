//! Config YAML to the config model (OCIO's config loader): profile
//! version checks, then every top-level section with the reference's keys,
//! errors and unknown-key warnings.

use super::common::{
    check_duplicates, defined_entries, load_enum, load_f64_vec, load_str, node_error, value_error, warn_unknown_key,
};
use super::transforms::read_transform;
use super::Node;
use crate::config::interchange::Interchange;
use crate::config::{
    ColorSpace, Config, Display, FileRule, Look, NamedTransform, View, ViewTransform, ViewingRule, DEFAULT_RULE_NAME,
};
use crate::enums::{Allocation, BitDepth, ColorSpaceDirection, ReferenceSpaceType};
use crate::error::{OcioError, Result};
use crate::logging;

/// A scalar or a sequence of scalars as strings (yaml-cpp's
/// `as<vector<string>>` also accepts a single scalar for some keys).
fn load_strings(node: &Node) -> Result<Vec<String>> {
    match node {
        Node::Seq { items, .. } => items.iter().map(load_str).collect(),
        _ => Err(OcioError::msg(format!(
            "At line {}, '{}' parsing StringVec failed with: yaml-cpp: error at line {}, column {}: bad conversion",
            node.mark().line,
            node.tag().unwrap_or(""),
            node.mark().line,
            node.mark().col + 1
        ))),
    }
}

fn load_bool(node: &Node) -> Result<bool> {
    let s = load_str(node)?;
    match s.as_str() {
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => Ok(true),
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => Ok(false),
        _ => Err(OcioError::msg(format!(
            "At line {}, '{}' parsing boolean failed with: yaml-cpp: error at line {}, column {}: bad conversion",
            node.mark().line,
            node.tag().unwrap_or(""),
            node.mark().line,
            node.mark().col + 1
        ))),
    }
}

fn load_description(node: &Node) -> Result<String> {
    Ok(load_str(node)?.trim_end_matches('\n').to_string())
}

fn load_interchange(node: &Node, into: &mut Interchange) -> Result<()> {
    if !matches!(node, Node::Map { .. }) {
        return Err(node_error(node, "The 'interchange' content needs to be a map."));
    }
    for (k, key, v) in defined_entries(node) {
        let value = load_description(v)?;
        if into.set(key, &value).is_err() {
            logging::warn(&format!("Unknown key in interchange: '{}'.", k.as_str().unwrap_or("")));
        }
    }
    Ok(())
}

fn read_view(node: &Node) -> Result<View> {
    check_duplicates(node)?;
    let mut v = View::default();
    let (mut scene, mut display) = (false, false);
    for (k, key, val) in defined_entries(node) {
        match key {
            "name" => v.name = load_str(val)?,
            "view_transform" => {
                display = true;
                v.view_transform = load_str(val)?;
            }
            "colorspace" => {
                scene = true;
                v.colorspace = load_str(val)?;
            }
            "display_colorspace" => {
                display = true;
                v.colorspace = load_str(val)?;
            }
            "looks" | "look" => v.looks = load_str(val)?,
            "rule" => v.rule = load_str(val)?,
            "description" => v.description = load_str(val)?,
            "aliases" => v.aliases = load_strings(val)?,
            _ => warn_unknown_key(node, k),
        }
    }
    if v.name.is_empty() {
        return Err(node_error(node, "View does not specify 'name'."));
    }
    if scene == display {
        return Err(node_error(
            node,
            &format!(
                "View '{}' must specify colorspace or view_transform and display_colorspace.",
                v.name
            ),
        ));
    }
    if v.colorspace.is_empty() {
        return Err(node_error(
            node,
            &format!("View '{}' does not specify colorspace.", v.name),
        ));
    }
    Ok(v)
}

/// A display's or the virtual display's list of `!<View>` and `!<Views>`.
fn read_views(node: &Node, tag: &str, key: &Node, d: &mut Display) -> Result<()> {
    let items = node
        .items()
        .ok_or_else(|| value_error(tag, key, "The view list is a sequence."))?;
    for it in items {
        match it.tag() {
            Some("View") => d.views.push(read_view(it)?),
            Some("Views") => d.shared_views.extend(load_strings(it)?),
            _ => logging::warn(&format!(
                "Unknown element found in {}:{}.",
                key.as_str().unwrap_or(""),
                it.tag().unwrap_or("")
            )),
        }
    }
    Ok(())
}

fn read_colorspace(node: &Node, major: u32, display: bool) -> Result<ColorSpace> {
    if !matches!(node, Node::Map { .. }) {
        return Err(node_error(node, "The '!<ColorSpace>' content needs to be a map."));
    }
    check_duplicates(node)?;
    let mut cs = ColorSpace::new(if display {
        ReferenceSpaceType::Display
    } else {
        ReferenceSpaceType::Scene
    });
    for (k, key, v) in defined_entries(node) {
        match key {
            "name" => cs.set_name(&load_str(v)?),
            "aliases" => {
                for a in load_strings(v)? {
                    cs.add_alias(&a);
                }
            }
            "interop_id" => cs.set_interop_id(&load_str(v)?)?,
            "description" => cs.description = load_description(v)?,
            "interchange" => load_interchange(v, &mut cs.interchange)?,
            "family" => cs.family = load_str(v)?,
            "equalitygroup" => cs.equality_group = load_str(v)?,
            "bitdepth" => cs.bit_depth = load_enum::<BitDepth>(v)?,
            "isdata" => cs.is_data = load_bool(v)?,
            "categories" => {
                for c in load_strings(v)? {
                    cs.categories.add(&c);
                }
            }
            "encoding" => cs.encoding = load_str(v)?,
            "allocation" => cs.allocation = load_enum::<Allocation>(v)?,
            "allocationvars" => cs.allocation_vars = load_f64_vec(v)?.into_iter().map(|x| x as f32).collect(),
            "to_scene_reference" | "from_scene_reference" if major < 2 => warn_unknown_key(node, k),
            "to_reference" | "to_scene_reference" | "from_reference" | "from_scene_reference" => {
                if display {
                    let which = if key.starts_with("to") {
                        "'to_reference' or 'to_scene_reference' cannot be used for a display color space."
                    } else {
                        "'from_reference' or 'from_scene_reference' cannot be used for a display color space."
                    };
                    return Err(node_error(node, which));
                }
                let dir = if key.starts_with("to") {
                    ColorSpaceDirection::ToReference
                } else {
                    ColorSpaceDirection::FromReference
                };
                cs.set_transform(Some(read_transform(v)?), dir);
            }
            "to_display_reference" | "from_display_reference" => {
                if !display {
                    return Err(node_error(
                        node,
                        &format!("'{key}' cannot be used for a non-display color space."),
                    ));
                }
                let dir = if key.starts_with("to") {
                    ColorSpaceDirection::ToReference
                } else {
                    ColorSpaceDirection::FromReference
                };
                cs.set_transform(Some(read_transform(v)?), dir);
            }
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(cs)
}

fn read_look(node: &Node) -> Result<Look> {
    check_duplicates(node)?;
    let mut l = Look::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "name" => l.name = load_str(v)?,
            "process_space" => l.process_space = load_str(v)?,
            "transform" => l.transform = Some(read_transform(v)?),
            "inverse_transform" => l.inverse_transform = Some(read_transform(v)?),
            "description" => l.description = load_description(v)?,
            "interchange" => load_interchange(v, &mut l.interchange)?,
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(l)
}

fn read_view_transform(node: &Node) -> Result<ViewTransform> {
    if !matches!(node, Node::Map { .. }) {
        return Err(node_error(node, "The '!<ViewTransform>' content needs to be a map."));
    }
    let keys: Vec<&str> = defined_entries(node).map(|(_, k, _)| k).collect();
    let scene = keys
        .iter()
        .any(|k| *k == "to_scene_reference" || *k == "from_scene_reference");
    let display = keys
        .iter()
        .any(|k| *k == "to_display_reference" || *k == "from_display_reference");
    if !scene && !display {
        return Err(node_error(
            node,
            "The '!<ViewTransform>' needs to refer to a transform.",
        ));
    }
    if scene && display {
        return Err(node_error(
            node,
            "The '!<ViewTransform>' cannot have both to/from_reference and to/from_display_reference transforms.",
        ));
    }
    check_duplicates(node)?;
    let mut vt = ViewTransform::new(if display {
        ReferenceSpaceType::Display
    } else {
        ReferenceSpaceType::Scene
    });
    for (k, key, v) in defined_entries(node) {
        match key {
            "name" => vt.name = load_str(v)?,
            "description" => vt.description = load_description(v)?,
            "interchange" => load_interchange(v, &mut vt.interchange)?,
            "family" => vt.family = load_str(v)?,
            "categories" => {
                for c in load_strings(v)? {
                    vt.categories.add(&c);
                }
            }
            "to_scene_reference" | "to_display_reference" => vt.to_reference = Some(read_transform(v)?),
            "from_scene_reference" | "from_display_reference" => vt.from_reference = Some(read_transform(v)?),
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(vt)
}

fn read_named_transform(node: &Node) -> Result<NamedTransform> {
    if !matches!(node, Node::Map { .. }) {
        return Err(node_error(node, "The '!<NamedTransform>' content needs to be a map."));
    }
    check_duplicates(node)?;
    let mut nt = NamedTransform::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "name" => nt.set_name(&load_str(v)?),
            "aliases" => {
                for a in load_strings(v)? {
                    nt.add_alias(&a);
                }
            }
            "description" => nt.description = load_str(v)?,
            "family" => nt.family = load_str(v)?,
            "categories" => {
                for c in load_strings(v)? {
                    nt.categories.add(&c);
                }
            }
            "encoding" => nt.encoding = load_str(v)?,
            "transform" => nt.forward = Some(read_transform(v)?),
            "inverse_transform" => nt.inverse = Some(read_transform(v)?),
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(nt)
}

fn read_custom_keys(node: &Node) -> Result<std::collections::BTreeMap<String, String>> {
    defined_entries(node)
        .map(|(_, k, v)| Ok((k.to_string(), load_str(v)?)))
        .collect()
}

fn read_file_rule(node: &Node) -> Result<FileRule> {
    check_duplicates(node)?;
    let mut r = FileRule::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "name" => r.name = load_str(v)?,
            "colorspace" => r.colorspace = load_str(v)?,
            "pattern" => r.pattern = load_str(v)?,
            "extension" => r.extension = load_str(v)?,
            "regex" => r.regex = load_str(v)?,
            "custom" => r.custom_keys = read_custom_keys(v)?,
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(r)
}

fn read_viewing_rule(node: &Node) -> Result<ViewingRule> {
    check_duplicates(node)?;
    let mut r = ViewingRule::default();
    for (k, key, v) in defined_entries(node) {
        match key {
            "name" => r.name = load_str(v)?,
            "colorspaces" => {
                r.colorspaces = if v.items().is_some() {
                    load_strings(v)?
                } else {
                    vec![load_str(v)?]
                }
            }
            "encodings" => {
                r.encodings = if v.items().is_some() {
                    load_strings(v)?
                } else {
                    vec![load_str(v)?]
                }
            }
            "custom" => r.custom_keys = read_custom_keys(v)?,
            _ => warn_unknown_key(node, k),
        }
    }
    Ok(r)
}

/// A comma or colon separated list (OCIO's `SplitStringEnvStyle` for
/// scalars) or a YAML sequence.
fn load_list(node: &Node) -> Result<Vec<String>> {
    if node.items().is_some() {
        return load_strings(node);
    }
    let s = load_str(node)?;
    if s.trim().is_empty() {
        return Ok(Vec::new());
    }
    let sep = if s.contains(',') { ',' } else { ':' };
    Ok(s.split(sep).map(|x| x.trim().to_string()).collect())
}

/// Parses a config; every error carries OCIO's "loading failed" prefix.
/// The version checks run after reading, with their own messages.
pub fn read_config(text: &str, filename: &str) -> Result<Config> {
    let config = read_config_inner(text, filename).map_err(|e| match e {
        OcioError::Exception(m) => OcioError::msg(format!("Error: Loading the OCIO profile failed. {m}")),
        other => other,
    })?;
    config.check_version_consistency()?;
    Ok(config)
}

fn read_config_inner(text: &str, filename: &str) -> Result<Config> {
    let mut root = super::parse(text)?;
    if text.trim().is_empty() {
        // yaml-cpp reports an empty document at line 0.
        if let Node::Map { mark, .. } = &mut root {
            mark.line = 0;
        }
    }
    if !matches!(root, Node::Map { .. }) {
        return Err(node_error(&root, "The config must be a YAML map."));
    }
    let version_text = match root.get("ocio_profile_version") {
        Some(v) => load_str(v)?,
        None => String::new(),
    };
    let parts: Vec<&str> = version_text.split('.').collect();
    let parsed = match parts.as_slice() {
        [maj] => maj.trim().parse::<u32>().ok().map(|m| (m, 0)),
        [maj, min] => maj.trim().parse::<u32>().ok().zip(min.trim().parse::<u32>().ok()),
        _ => None,
    };
    let Some((major, minor)) = parsed.filter(|_| !version_text.is_empty()) else {
        return Err(node_error(
            &root,
            &format!(
                "The specified OCIO configuration file {} does not appear to have a valid version {}.",
                if filename.is_empty() { "<null>" } else { filename },
                if version_text.is_empty() {
                    "<null>"
                } else {
                    &version_text
                }
            ),
        ));
    };
    if !(1..=2).contains(&major) || (major == 2 && minor > crate::config::LATEST_MINOR) || (major == 1 && minor != 0) {
        let file = if filename.is_empty() {
            String::new()
        } else {
            format!(" '{filename}' ")
        };
        return Err(OcioError::msg(format!(
            "This .ocio config {file}is version {major}.{minor}. This version of the OpenColorIO library (2.6.0) \
             is not able to load that config version.\nThe version is not supported."
        )));
    }
    check_duplicates(&root)?;
    let mut c = Config {
        major,
        minor,
        ..Default::default()
    };
    c.file_rules.rules.clear();
    if major < 2 {
        c.strict_parsing = true;
    }
    let mut have_file_rules = false;
    for (k, key, v) in defined_entries(&root) {
        let tag = root.tag().unwrap_or("");
        match key {
            "ocio_profile_version" => {}
            "environment" => {
                if !matches!(v, Node::Map { .. }) {
                    return Err(value_error(
                        tag,
                        k,
                        "The value type of key 'environment' needs to be a map.",
                    ));
                }
                for (_, name, val) in defined_entries(v) {
                    c.environment.insert(name.to_string(), load_str(val)?);
                }
                if let Node::Map { entries, .. } = v {
                    for (kk, vv) in entries {
                        if vv.is_null() {
                            c.environment
                                .insert(kk.as_str().unwrap_or("").to_string(), String::new());
                        }
                    }
                }
            }
            "search_path" | "resource_path" => {
                if v.items().is_some() {
                    c.search_paths.extend(load_strings(v)?);
                } else {
                    let s = load_str(v)?;
                    c.search_paths = if s.is_empty() {
                        Vec::new()
                    } else {
                        s.split(':').map(str::to_string).collect()
                    };
                }
            }
            "strictparsing" => c.strict_parsing = load_bool(v)?,
            "name" => c.name = load_description(v)?,
            "family_separator" => {
                if major < 2 {
                    return Err(node_error(k, "Config v1 can't have 'family_separator'."));
                }
                let s = load_str(v)?;
                let mut chars = s.chars();
                match (chars.next(), chars.next()) {
                    (Some(ch), None) => c.family_separator = ch,
                    _ => {
                        return Err(value_error(
                            tag,
                            k,
                            &format!("'family_separator' value must be a single character. Found '{s}'."),
                        ))
                    }
                }
            }
            "description" => c.description = load_description(v)?,
            "luma" => {
                let vals = load_f64_vec(v)?;
                c.luma = vals.as_slice().try_into().map_err(|_| {
                    value_error(
                        tag,
                        k,
                        &format!("'luma' values must be 3 floats. Found '{}'.", vals.len()),
                    )
                })?;
            }
            "roles" => {
                if !matches!(v, Node::Map { .. }) {
                    return Err(value_error(
                        tag,
                        k,
                        "The value type of the key 'roles' needs to be a map.",
                    ));
                }
                for (_, role, cs) in defined_entries(v) {
                    c.roles.insert(role.to_lowercase(), load_str(cs)?);
                }
            }
            "file_rules" => {
                if major < 2 {
                    return Err(node_error(k, "Config v1 can't use 'file_rules'"));
                }
                let items = v
                    .items()
                    .ok_or_else(|| node_error(v, "The 'file_rules' field needs to be a (- !<Rule>) list."))?;
                have_file_rules = true;
                for it in items {
                    if it.tag() == Some("Rule") {
                        c.file_rules.rules.push(read_file_rule(it)?);
                    } else {
                        logging::warn(&format!(
                            "Unknown element found in file_rules:{}.",
                            it.tag().unwrap_or("")
                        ));
                    }
                }
                if !c
                    .file_rules
                    .rules
                    .iter()
                    .any(|r| r.name.eq_ignore_ascii_case(DEFAULT_RULE_NAME))
                {
                    return Err(node_error(k, "The 'file_rules' does not contain a Default <Rule>."));
                }
            }
            "viewing_rules" => {
                let items = v
                    .items()
                    .ok_or_else(|| node_error(v, "The 'viewing_rules' field needs to be a (- !<Rule>) list."))?;
                for it in items {
                    if it.tag() == Some("Rule") {
                        c.viewing_rules.rules.push(read_viewing_rule(it)?);
                    } else {
                        logging::warn(&format!(
                            "Unknown element found in viewing_rules:{}.",
                            it.tag().unwrap_or("")
                        ));
                    }
                }
            }
            "shared_views" => {
                let items = v
                    .items()
                    .ok_or_else(|| value_error(tag, k, "The view list is a sequence."))?;
                for it in items {
                    if it.tag() == Some("View") {
                        c.shared_views.push(read_view(it)?);
                    }
                }
            }
            "displays" => {
                if !matches!(v, Node::Map { .. }) {
                    return Err(value_error(
                        tag,
                        k,
                        "The value type of the key 'displays' needs to be a map.",
                    ));
                }
                for (dk, dname, dv) in defined_entries(v) {
                    let mut d = Display {
                        name: dname.to_string(),
                        ..Default::default()
                    };
                    read_views(dv, tag, dk, &mut d)?;
                    c.displays.push(d);
                }
            }
            "virtual_display" => {
                let mut d = Display::default();
                read_views(v, tag, k, &mut d)?;
                c.virtual_display = d;
            }
            "use_display_aliases" => c.use_display_aliases = load_bool(v)?,
            "active_displays" => c.active_displays = load_list(v)?,
            "active_views" => c.active_views = load_list(v)?,
            "inactive_colorspaces" => c.inactive_colorspaces = load_list(v)?,
            "colorspaces" | "display_colorspaces" => {
                let display = key == "display_colorspaces";
                let items = v
                    .items()
                    .ok_or_else(|| node_error(v, &format!("'{key}' field needs to be a (- !<ColorSpace>) list.")))?;
                for it in items {
                    if it.tag() == Some("ColorSpace") {
                        let cs = read_colorspace(it, major, display)?;
                        if c.colorspaces.iter().any(|o| o.name.eq_ignore_ascii_case(&cs.name)) {
                            return Err(node_error(
                                v,
                                &format!("Colorspace with name '{}' already defined.", cs.name),
                            ));
                        }
                        c.colorspaces.push(cs);
                    } else {
                        logging::warn(&format!(
                            "Unknown element found in colorspaces:{}. Only ColorSpace(s) currently handled.",
                            it.tag().unwrap_or("")
                        ));
                    }
                }
            }
            "looks" => {
                let items = v
                    .items()
                    .ok_or_else(|| node_error(v, "'looks' field needs to be a (- !<Look>) list."))?;
                for it in items {
                    if it.tag() == Some("Look") {
                        c.looks.push(read_look(it)?);
                    }
                }
            }
            "view_transforms" => {
                let items = v
                    .items()
                    .ok_or_else(|| node_error(v, "'view_transforms' field needs to be a (- !<ViewTransform>) list."))?;
                for it in items {
                    if it.tag() == Some("ViewTransform") {
                        c.view_transforms.push(read_view_transform(it)?);
                    }
                }
            }
            "default_view_transform" => c.default_view_transform = load_str(v)?,
            "named_transforms" => {
                let items = v.items().ok_or_else(|| {
                    node_error(v, "'named_transforms' field needs to be a (- !<NamedTransform>) list.")
                })?;
                for it in items {
                    if it.tag() == Some("NamedTransform") {
                        c.named_transforms.push(read_named_transform(it)?);
                    }
                }
            }
            _ => warn_unknown_key(&root, k),
        }
    }
    if !have_file_rules {
        // v1 configs (and v2 ones without rules) get the Default rule.
        c.file_rules.rules.push(FileRule::default_rule("default"));
    }
    Ok(c)
}

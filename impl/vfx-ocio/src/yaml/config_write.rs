//! `Config.serialize()`: the config written in the reference's layout,
//! element by element (see `emit` for yaml-cpp's spacing rules).

use super::common::fmt_float;
use super::emit::{flow_strings, Emitter};
use super::transforms::write_transform;
use super::write::{scalar, Context};
use crate::config::interchange::Interchange;
use crate::config::{ColorSpace, Config, Display, FileRule, Look, NamedTransform, View, ViewTransform, ViewingRule};
use crate::enums::{OcioEnum, ReferenceSpaceType};
use crate::error::Result;
use crate::transforms::Transform;

/// OCIO drops trailing newlines from descriptions before writing them.
pub fn sanitize_newlines(s: &str) -> &str {
    s.trim_end_matches('\n')
}

fn flow(s: &str) -> String {
    scalar(s, Context::Flow)
}

fn bool_text(b: bool) -> &'static str {
    if b {
        "true"
    } else {
        "false"
    }
}

fn description(e: &mut Emitter, indent: usize, first: bool, desc: &str) {
    if desc.is_empty() {
        return;
    }
    let d = sanitize_newlines(desc);
    if d.contains('\n') {
        e.key_literal(indent, first, "description", d);
    } else {
        e.key_str(indent, first, "description", d);
    }
}

fn interchange(e: &mut Emitter, indent: usize, attrs: &Interchange) {
    if attrs.values.is_empty() {
        return;
    }
    e.key(indent, false, "interchange");
    e.begin_block();
    for (i, (k, v)) in attrs.values.iter().enumerate() {
        let v = sanitize_newlines(v);
        if v.contains('\n') {
            e.key_literal(indent + 2, i == 0, k, v);
        } else {
            e.key_str(indent + 2, i == 0, k, v);
        }
    }
}

fn transform_entry(e: &mut Emitter, indent: usize, key: &str, t: &Transform, major: u32) -> Result<()> {
    e.key(indent, false, key);
    e.raw(" ");
    write_transform(t, major, indent + 2, &mut e.out)
}

fn floats(v: &[f32]) -> String {
    format!(
        "[{}]",
        v.iter().map(|x| fmt_float(*x as f64)).collect::<Vec<_>>().join(", ")
    )
}

fn custom_keys(keys: &std::collections::BTreeMap<String, String>) -> Option<String> {
    (!keys.is_empty()).then(|| {
        let kv: Vec<String> = keys.iter().map(|(k, v)| format!("{}: {}", flow(k), flow(v))).collect();
        format!("{{{}}}", kv.join(", "))
    })
}

fn file_rule(r: &FileRule) -> String {
    let mut kv = vec![format!("name: {}", flow(&r.name))];
    for (k, v) in [
        ("colorspace", &r.colorspace),
        ("regex", &r.regex),
        ("pattern", &r.pattern),
        ("extension", &r.extension),
    ] {
        if !v.is_empty() {
            kv.push(format!("{k}: {}", flow(v)));
        }
    }
    if let Some(c) = custom_keys(&r.custom_keys) {
        kv.push(format!("custom: {c}"));
    }
    format!("!<Rule> {{{}}}", kv.join(", "))
}

fn viewing_rule(r: &ViewingRule) -> String {
    let mut kv = vec![format!("name: {}", flow(&r.name))];
    for (k, list) in [("colorspaces", &r.colorspaces), ("encodings", &r.encodings)] {
        match list.len() {
            0 => {}
            1 => kv.push(format!("{k}: {}", flow(&list[0]))),
            _ => kv.push(format!("{k}: {}", flow_strings(list))),
        }
    }
    if let Some(c) = custom_keys(&r.custom_keys) {
        kv.push(format!("custom: {c}"));
    }
    format!("!<Rule> {{{}}}", kv.join(", "))
}

fn view(v: &View, with_aliases: bool) -> String {
    let mut kv = vec![format!("name: {}", flow(&v.name))];
    if v.view_transform.is_empty() {
        kv.push(format!("colorspace: {}", flow(&v.colorspace)));
    } else {
        kv.push(format!("view_transform: {}", flow(&v.view_transform)));
        kv.push(format!("display_colorspace: {}", flow(&v.colorspace)));
    }
    if !v.looks.is_empty() {
        kv.push(format!("looks: {}", flow(&v.looks)));
    }
    if !v.rule.is_empty() {
        kv.push(format!("rule: {}", flow(&v.rule)));
    }
    if with_aliases && !v.aliases.is_empty() {
        kv.push(format!("aliases: {}", flow_strings(&v.aliases)));
    }
    if !v.description.is_empty() {
        kv.push(format!("description: {}", flow(sanitize_newlines(&v.description))));
    }
    format!("!<View> {{{}}}", kv.join(", "))
}

fn views_seq(e: &mut Emitter, indent: usize, views: &[View], shared: &[String], with_aliases: bool) {
    if views.is_empty() && shared.is_empty() {
        e.empty_block(indent, "[]");
        return;
    }
    e.begin_block();
    let mut first = true;
    for v in views {
        e.item(indent, first);
        e.raw(&view(v, with_aliases));
        first = false;
    }
    if !shared.is_empty() {
        e.item(indent, first);
        e.raw(&format!("!<Views> {}", flow_strings(shared)));
    }
}

fn colorspace(e: &mut Emitter, cs: &ColorSpace, major: u32) -> Result<()> {
    e.raw("!<ColorSpace>");
    e.begin_block();
    e.key_str(4, true, "name", &cs.name);
    if major >= 2 && !cs.aliases.is_empty() {
        e.key_value(4, false, "aliases", &flow_strings(&cs.aliases));
    }
    if !cs.interop_id.is_empty() {
        e.key_str(4, false, "interop_id", &cs.interop_id);
    }
    e.key_str(4, false, "family", &cs.family);
    e.key_str(4, false, "equalitygroup", &cs.equality_group);
    e.key_value(4, false, "bitdepth", cs.bit_depth.as_str());
    description(e, 4, false, &cs.description);
    e.key_value(4, false, "isdata", bool_text(cs.is_data));
    if !cs.categories.0.is_empty() {
        e.key_value(4, false, "categories", &flow_strings(&cs.categories.0));
    }
    if !cs.encoding.is_empty() {
        e.key_str(4, false, "encoding", &cs.encoding);
    }
    interchange(e, 4, &cs.interchange);
    e.key_value(4, false, "allocation", cs.allocation.as_str());
    if !cs.allocation_vars.is_empty() {
        e.key_value(4, false, "allocationvars", &floats(&cs.allocation_vars));
    }
    let display = cs.reference_space == ReferenceSpaceType::Display;
    if let Some(t) = &cs.to_reference {
        let key = if display {
            "to_display_reference"
        } else if major < 2 {
            "to_reference"
        } else {
            "to_scene_reference"
        };
        transform_entry(e, 4, key, t, major)?;
    }
    if let Some(t) = &cs.from_reference {
        let key = if display {
            "from_display_reference"
        } else if major < 2 {
            "from_reference"
        } else {
            "from_scene_reference"
        };
        transform_entry(e, 4, key, t, major)?;
    }
    e.newline();
    Ok(())
}

fn look(e: &mut Emitter, l: &Look, major: u32) -> Result<()> {
    e.raw("!<Look>");
    e.begin_block();
    e.key_str(4, true, "name", &l.name);
    e.key_str(4, false, "process_space", &l.process_space);
    description(e, 4, false, &l.description);
    interchange(e, 4, &l.interchange);
    if let Some(t) = &l.transform {
        transform_entry(e, 4, "transform", t, major)?;
    }
    if let Some(t) = &l.inverse_transform {
        transform_entry(e, 4, "inverse_transform", t, major)?;
    }
    e.newline();
    Ok(())
}

fn view_transform(e: &mut Emitter, vt: &ViewTransform, major: u32) -> Result<()> {
    e.raw("!<ViewTransform>");
    e.begin_block();
    e.key_str(4, true, "name", &vt.name);
    if !vt.family.is_empty() {
        e.key_str(4, false, "family", &vt.family);
    }
    description(e, 4, false, &vt.description);
    interchange(e, 4, &vt.interchange);
    if !vt.categories.0.is_empty() {
        e.key_value(4, false, "categories", &flow_strings(&vt.categories.0));
    }
    let display = vt.reference_space == ReferenceSpaceType::Display;
    if let Some(t) = &vt.to_reference {
        let key = if display {
            "to_display_reference"
        } else {
            "to_scene_reference"
        };
        transform_entry(e, 4, key, t, major)?;
    }
    if let Some(t) = &vt.from_reference {
        let key = if display {
            "from_display_reference"
        } else {
            "from_scene_reference"
        };
        transform_entry(e, 4, key, t, major)?;
    }
    e.newline();
    Ok(())
}

fn named_transform(e: &mut Emitter, nt: &NamedTransform, major: u32) -> Result<()> {
    e.raw("!<NamedTransform>");
    e.begin_block();
    e.key_str(4, true, "name", &nt.name);
    if major >= 2 && !nt.aliases.is_empty() {
        e.key_value(4, false, "aliases", &flow_strings(&nt.aliases));
    }
    description(e, 4, false, &nt.description);
    if !nt.family.is_empty() {
        e.key_str(4, false, "family", &nt.family);
    }
    if !nt.categories.0.is_empty() {
        e.key_value(4, false, "categories", &flow_strings(&nt.categories.0));
    }
    if !nt.encoding.is_empty() {
        e.key_str(4, false, "encoding", &nt.encoding);
    }
    if let Some(t) = &nt.forward {
        transform_entry(e, 4, "transform", t, major)?;
    }
    if let Some(t) = &nt.inverse {
        transform_entry(e, 4, "inverse_transform", t, major)?;
    }
    e.newline();
    Ok(())
}

/// Writes a sequence of elements with `write` (each ends with a newline).
fn element_seq<T>(e: &mut Emitter, items: &[T], mut write: impl FnMut(&mut Emitter, &T) -> Result<()>) -> Result<()> {
    e.begin_block();
    for (i, it) in items.iter().enumerate() {
        e.item(2, i == 0);
        write(e, it)?;
    }
    Ok(())
}

/// The whole config as the reference's `serialize()` writes it.
pub fn write_config(c: &Config) -> Result<String> {
    // OCIO's serialize: version checks first, any error "Error building YAML".
    c.check_version_consistency()
        .and_then(|_| write_config_unchecked(c))
        .map_err(|e| crate::error::OcioError::msg(format!("Error building YAML: {e}")))
}

fn write_config_unchecked(c: &Config) -> Result<String> {
    let major = c.major;
    let mut e = Emitter::new();
    let version = if c.minor != 0 {
        format!("{}.{}", c.major, c.minor)
    } else {
        c.major.to_string()
    };
    e.key_value(0, true, "ocio_profile_version", &version);
    e.newline();
    e.newline();

    if major >= 2 || !c.environment.is_empty() {
        e.key(0, false, "environment");
        if c.environment.is_empty() {
            e.empty_block(2, "{}");
        } else {
            e.begin_block();
            for (i, (k, v)) in c.environment.iter().enumerate() {
                e.key_str(2, i == 0, k, v);
            }
        }
        e.newline();
    }

    if major < 2 {
        e.key_str(0, false, "search_path", &c.search_paths.join(":"));
    } else {
        match c.search_paths.len() {
            0 => e.key_str(0, false, "search_path", ""),
            1 => e.key_str(0, false, "search_path", &c.search_paths[0]),
            _ => {
                e.key(0, false, "search_path");
                e.begin_block();
                for (i, p) in c.search_paths.iter().enumerate() {
                    e.item(2, i == 0);
                    e.raw(&scalar(p, Context::Block));
                }
            }
        }
    }
    e.key_value(0, false, "strictparsing", bool_text(c.strict_parsing));
    if major >= 2 && c.family_separator != '/' {
        e.key_str(0, false, "family_separator", &c.family_separator.to_string());
    }
    e.key_value(0, false, "luma", &super::common::flow_doubles(&c.luma));
    if major >= 2 && !c.name.is_empty() {
        e.key_str(0, false, "name", &c.name);
    }
    description(&mut e, 0, false, &c.description);

    e.newline();
    e.newline();
    e.key(0, false, "roles");
    if c.roles.is_empty() {
        e.empty_block(2, "{}");
    } else {
        e.begin_block();
        for (i, (role, cs)) in c.roles.iter().enumerate() {
            e.key_str(2, i == 0, role, cs);
        }
    }
    e.newline();

    if major >= 2 {
        e.newline();
        e.key(0, false, "file_rules");
        e.begin_block();
        for (i, r) in c.file_rules.rules.iter().enumerate() {
            e.item(2, i == 0);
            e.raw(&file_rule(r));
        }
        e.newline();

        if !c.viewing_rules.rules.is_empty() {
            e.newline();
            e.key(0, false, "viewing_rules");
            e.begin_block();
            for (i, r) in c.viewing_rules.rules.iter().enumerate() {
                e.item(2, i == 0);
                e.raw(&viewing_rule(r));
            }
            e.newline();
        }
    }

    if !c.shared_views.is_empty() {
        e.newline();
        e.key(0, false, "shared_views");
        e.begin_block();
        for (i, v) in c.shared_views.iter().enumerate() {
            e.item(2, i == 0);
            e.raw(&view(v, true));
        }
        e.newline();
    }

    e.newline();
    e.key(0, false, "displays");
    let saved: Vec<&Display> = c.displays.iter().filter(|d| !d.temporary).collect();
    if saved.is_empty() {
        e.empty_block(2, "{}");
    } else {
        e.begin_block();
        for (i, d) in saved.into_iter().enumerate() {
            e.key(2, i == 0, &d.name);
            views_seq(&mut e, 4, &d.views, &d.shared_views, true);
        }
    }

    let vd = &c.virtual_display;
    if major >= 2 && !(vd.views.is_empty() && vd.shared_views.is_empty()) {
        e.newline();
        e.newline();
        e.key(0, false, "virtual_display");
        views_seq(&mut e, 2, &vd.views, &vd.shared_views, false);
    }

    e.newline();
    e.newline();
    if c.use_display_aliases {
        e.key_value(0, false, "use_display_aliases", "true");
    }
    e.key_value(0, false, "active_displays", &flow_strings(&c.active_displays));
    e.key_value(0, false, "active_views", &flow_strings(&c.active_views));
    if !c.inactive_colorspaces.is_empty() {
        e.key_value(0, false, "inactive_colorspaces", &flow_strings(&c.inactive_colorspaces));
    }
    e.newline();

    if !c.looks.is_empty() {
        e.newline();
        e.key(0, false, "looks");
        element_seq(&mut e, &c.looks, |e, l| look(e, l, major))?;
        e.newline();
    }

    if !c.default_view_transform.is_empty() {
        e.newline();
        e.key_str(0, false, "default_view_transform", &c.default_view_transform);
        e.newline();
    }
    if !c.view_transforms.is_empty() {
        e.newline();
        e.key(0, false, "view_transforms");
        element_seq(&mut e, &c.view_transforms, |e, vt| view_transform(e, vt, major))?;
    }

    // Display colour spaces made for a temporary display (same name) are
    // not saved either.
    let temporary = |cs: &ColorSpace| c.display(&cs.name).is_some_and(|d| d.temporary);
    let (display_cs, scene_cs): (Vec<&ColorSpace>, Vec<&ColorSpace>) = c
        .colorspaces
        .iter()
        .filter(|cs| cs.reference_space != ReferenceSpaceType::Display || !temporary(cs))
        .partition(|cs| cs.reference_space == ReferenceSpaceType::Display);
    if !display_cs.is_empty() {
        e.newline();
        e.key(0, false, "display_colorspaces");
        element_seq(&mut e, &display_cs, |e, cs| colorspace(e, cs, major))?;
    }
    e.newline();
    e.key(0, false, "colorspaces");
    if scene_cs.is_empty() {
        e.empty_block(2, "[]");
    } else {
        element_seq(&mut e, &scene_cs, |e, cs| colorspace(e, cs, major))?;
    }

    if !c.named_transforms.is_empty() {
        e.newline();
        e.key(0, false, "named_transforms");
        element_seq(&mut e, &c.named_transforms, |e, nt| named_transform(e, nt, major))?;
    }
    Ok(e.out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::config_read::read_config;

    /// The builtin configs made for OCIO 2.5 and 2.6 are exactly what the
    /// reference's `serialize()` writes for them (the older ones were written
    /// by older tools; the differential suite compares those), so reading and
    /// writing them back must give the same bytes.
    #[test]
    fn builtin_configs_round_trip_byte_for_byte() {
        let current = |n: &str| n.ends_with("ocio-v2.5") || n.ends_with("ocio-v2.6");
        for b in crate::builtin_configs::all().into_iter().filter(|b| current(b.name)) {
            let c = read_config(b.text, "").unwrap_or_else(|e| panic!("{}: {e}", b.name));
            let out = write_config(&c).unwrap();
            if out != b.text {
                let (i, (a, e)) = out
                    .lines()
                    .zip(b.text.lines())
                    .enumerate()
                    .find(|(_, (a, e))| a != e)
                    .unwrap_or((0, ("<length>", "<length>")));
                panic!(
                    "{}: line {}:\n ours: {a:?}\n want: {e:?}\n (lengths {} vs {})",
                    b.name,
                    i + 1,
                    out.len(),
                    b.text.len()
                );
            }
        }
    }

    #[test]
    fn empty_config_layout() {
        let out = write_config(&Config::default()).unwrap();
        assert!(out.starts_with("ocio_profile_version: 2.6\n\nenvironment:\n  {}\nsearch_path: \"\"\n"));
        assert!(out.ends_with("colorspaces:\n  []"));
    }
}

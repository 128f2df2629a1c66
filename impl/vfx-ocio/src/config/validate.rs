//! `Config::validate` and the version checks a config must pass: every
//! reference (roles, views, looks, rules, transforms, files) resolves, and no
//! element is newer than the config's profile version. Checks run in the
//! reference's order and fail with its messages, so the first problem
//! reported is the one OCIO reports.

use std::collections::BTreeSet;

use super::{Config, Context, Display, View};
use crate::enums::{
    CdlStyle, EnvironmentMode, FixedFunctionStyle as Ff, Interpolation, NegativeStyle, OcioEnum, ReferenceSpaceType,
};
use crate::error::{OcioError, Result};
use crate::logging;
use crate::transforms::Transform;

/// The colour-space keyword a shared view uses to mean "the display's own".
pub const USE_DISPLAY_NAME: &str = "<USE_DISPLAY_NAME>";

fn fail<T>(msg: impl Into<String>) -> Result<T> {
    Err(OcioError::msg(msg.into()))
}

/// OCIO's `ContainsContextVariableToken`: a `$` or `%` anywhere.
pub fn has_context_token(s: &str) -> bool {
    s.contains('$') || s.contains('%')
}

/// OCIO's `ContainsContextVariables`: a `$`, or two distinct `%`.
pub fn has_context_variables(s: &str) -> bool {
    s.contains('$') || matches!((s.find('%'), s.rfind('%')), (Some(a), Some(b)) if a != b)
}

/// Every transform the config holds, in OCIO's crawl order: colour spaces,
/// looks, view transforms, named transforms (each in both directions).
fn internal_transforms(c: &Config) -> Vec<&Transform> {
    let cs = c.colorspaces.iter().flat_map(|x| [&x.to_reference, &x.from_reference]);
    let looks = c.looks.iter().flat_map(|x| [&x.transform, &x.inverse_transform]);
    let vts = c
        .view_transforms
        .iter()
        .flat_map(|x| [&x.to_reference, &x.from_reference]);
    let nts = c.named_transforms.iter().flat_map(|x| [&x.forward, &x.inverse]);
    cs.chain(looks).chain(vts).chain(nts).flatten().collect()
}

/// Calls `f` on a transform and, through groups, on every transform inside.
fn walk<'a>(t: &'a Transform, f: &mut dyn FnMut(&'a Transform) -> Result<()>) -> Result<()> {
    if let Transform::Group(g) = t {
        return g.children.iter().try_for_each(|child| walk(child, f));
    }
    f(t)
}

/// The "Config failed display view validation. ..." prefix.
fn view_prefix(display: &str, view: &View) -> String {
    let mut s = String::from("Config failed display view validation. ");
    if display.is_empty() {
        s.push_str("Shared ");
    } else {
        s.push_str(&format!("Display '{display}' has a "));
    }
    if view.name.is_empty() {
        s.push_str("view with an empty name.");
    } else {
        s.push_str(&format!("view '{}' ", view.name));
    }
    s
}

/// The look names a view's look string mentions (`a, -b | c`).
fn look_names(looks: &str) -> Vec<String> {
    looks
        .trim()
        .split('|')
        .flat_map(super::query::split_list)
        .map(|t| t.trim_start_matches(['+', '-']).to_string())
        .collect()
}

fn role_target<'a>(c: &'a Config, name: &str) -> &'a str {
    c.roles.get(&name.to_lowercase()).map(String::as_str).unwrap_or("")
}

impl Config {
    /// OCIO's `hasColorSpace`: a colour-space name or alias (not a role).
    pub fn has_colorspace(&self, name: &str) -> bool {
        !name.is_empty()
            && self
                .colorspaces
                .iter()
                .any(|c| c.name.eq_ignore_ascii_case(name) || c.has_alias(name))
    }

    /// The view transform a scene-referred view goes through by default:
    /// the named default if it is scene-referred, else the first
    /// scene-referred one.
    pub fn default_scene_to_display_view_transform(&self) -> Option<&super::ViewTransform> {
        let scene = |v: &&super::ViewTransform| v.reference_space == ReferenceSpaceType::Scene;
        self.view_transform(&self.default_view_transform)
            .filter(scene)
            .or_else(|| self.view_transforms.iter().find(scene))
    }

    fn validate_view(&self, display: &str, view: &View, check_use_display_name: bool) -> Result<()> {
        let prefix = view_prefix(display, view);
        if view.name.is_empty() {
            return fail(prefix);
        }
        if view.colorspace.is_empty() {
            return fail(format!("{prefix}does not refer to a color space."));
        }
        let uses_display_name = view.colorspace == USE_DISPLAY_NAME;
        let shared_with_vt = display.is_empty() && !view.view_transform.is_empty();
        if check_use_display_name && !shared_with_vt && uses_display_name {
            return fail(format!(
                "{prefix}can not use '{USE_DISPLAY_NAME}' keyword for the color space name."
            ));
        }
        if !uses_display_name
            && !self.has_colorspace(&view.colorspace)
            && self.named_transform(&view.colorspace).is_none()
        {
            return fail(format!(
                "{prefix}that refers to a color space or a named transform, '{}', which is not defined.",
                view.colorspace
            ));
        }
        if !view.view_transform.is_empty() {
            if self.named_transform(&view.view_transform).is_none()
                && self.view_transform(&view.view_transform).is_none()
            {
                return fail(format!(
                    "{prefix}that refers to a view transform, '{}', which is neither a view transform nor a named transform.",
                    view.view_transform
                ));
            }
            let display_cs = if uses_display_name { display } else { &view.colorspace };
            if let Some(cs) = self.find_colorspace(display_cs) {
                if cs.reference_space != ReferenceSpaceType::Display {
                    return fail(format!(
                        "{prefix}refers to a color space, '{display_cs}', that is not a display-referred color space."
                    ));
                }
            }
        }
        for look in look_names(&view.looks) {
            if !look.is_empty() && self.look(&look).is_none() {
                return fail(format!("{prefix}refers to a look, '{look}', which is not defined."));
            }
        }
        if !view.rule.is_empty() && self.viewing_rules.index_of(&view.rule).is_err() {
            return fail(format!(
                "{prefix}refers to a viewing rule, '{}', which is not defined.",
                view.rule
            ));
        }
        Ok(())
    }

    fn validate_shared_view(&self, display: &Display, shared: &str, check_use_display_name: bool) -> Result<()> {
        let dname = &display.name;
        if display.views.iter().any(|v| v.name.eq_ignore_ascii_case(shared)) {
            return fail(format!(
                "Config failed view validation. The display '{dname}' contains a shared view '{shared}' that is already defined as a view."
            ));
        }
        let Some(sv) = self.shared_view(shared) else {
            return fail(format!(
                "Config failed view validation. The display '{dname}' contains a shared view '{shared}' that is not defined."
            ));
        };
        let names = |v: &View| {
            std::iter::once(v.name.clone())
                .chain(v.aliases.clone())
                .collect::<Vec<_>>()
        };
        for view in &display.views {
            let theirs = names(view);
            if let Some(hit) = names(sv)
                .into_iter()
                .find(|n| theirs.iter().any(|t| t.eq_ignore_ascii_case(n)))
            {
                return fail(format!(
                    "Config failed view validation. The display '{dname}' contains a shared view '{}' whose name or alias '{hit}' collides with the name or alias of the view '{}' in this display.",
                    sv.name, view.name
                ));
            }
        }
        if check_use_display_name && !sv.view_transform.is_empty() && sv.colorspace == USE_DISPLAY_NAME {
            match self.find_colorspace(dname) {
                None => {
                    return fail(format!(
                        "Config failed view validation. The display '{dname}' contains a shared view '{}' which does not define a color space and there is no color space that matches the display name.",
                        sv.name
                    ))
                }
                Some(cs) if cs.reference_space != ReferenceSpaceType::Display => {
                    return fail(format!(
                        "Config failed view validation. The display '{dname}' contains a shared view '{}' that refers to a color space, '{dname}', that is not a display-referred color space.",
                        sv.name
                    ))
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The context variables declared with a default that names another
    /// variable (only `NAME: $NAME` is legal: it requires the environment).
    fn validate_environment(&self) -> Result<()> {
        if self.major < 2 || self.env_mode != EnvironmentMode::LoadPredefined {
            return Ok(());
        }
        for (name, value) in &self.environment {
            if has_context_variables(value) {
                let legal = [format!("${name}"), format!("${{{name}}}"), format!("%{name}%")];
                if !legal.iter().any(|l| l == value) {
                    return fail(format!(
                        "Unresolved context variable in environment declaration '{name} = {value}'."
                    ));
                }
            }
        }
        Ok(())
    }

    fn validate_colorspaces_and_roles(&self) -> Result<()> {
        for cs in &self.colorspaces {
            let name = &cs.name;
            if self.major >= 2 && has_context_token(name) {
                return fail(format!(
                    "Config failed color space validation. A color space name '{name}' cannot contain a context variable reserved token i.e. % or $."
                ));
            }
            if !cs.aliases.is_empty() && self.major < 2 {
                return fail(format!(
                    "Config failed color space validation. Aliases may not be used in a v1 config.  Color space name: '{name}'."
                ));
            }
            if !cs.interop_id.is_empty() && self.find_colorspace(&cs.interop_id).is_none() {
                return fail(format!(
                    "Config failed color space validation. The color space '{name}' refers to an interop ID, '{}', which is not a color space name or alias.",
                    cs.interop_id
                ));
            }
        }
        for (role, cs) in &self.roles {
            if self.major >= 2 && has_context_token(role) {
                return fail(format!(
                    "Config failed role validation. A role name '{role}' cannot contain a context variable reserved token i.e. % or $."
                ));
            }
            if !self.has_colorspace(cs) {
                return fail(format!(
                    "Config failed role validation. The role '{role}' refers to a color space, '{cs}', which is not defined."
                ));
            }
        }
        if (self.major, self.minor) >= (2, 2) {
            self.log_interchange_roles();
        }
        for name in self.inactive_names() {
            if self.find_colorspace(&name).is_none() && self.named_transform(&name).is_none() {
                logging::info(&format!(
                    "Inactive '{name}' is neither a color space nor a named transform."
                ));
            }
        }
        Ok(())
    }

    /// The interchange-role requirements of 2.2+ configs: reported as
    /// errors in the log only (OCIO does not fail validation on them yet).
    fn log_interchange_roles(&self) {
        let has_kind = |k| self.colorspaces.iter().any(|c| c.reference_space == k);
        let role_kind = |r: &str| {
            self.roles
                .get(r)
                .map(|cs| self.find_colorspace(cs).map(|c| c.reference_space))
        };
        let mut errors = Vec::new();
        for role in ["scene_linear", "compositing_log", "color_timing"] {
            if !self.roles.contains_key(role) {
                errors.push(format!(
                    "The {role} role is required for a config version 2.2 or higher."
                ));
            }
        }
        let checks = [
            (
                ReferenceSpaceType::Scene,
                "aces_interchange",
                "scene",
                "scene-referred color spaces",
            ),
            (
                ReferenceSpaceType::Display,
                "cie_xyz_d65_interchange",
                "display",
                "display-referred color spaces",
            ),
        ];
        for (kind, role, adj, what) in checks {
            match role_kind(role) {
                None if has_kind(kind) => errors.push(format!(
                    "The {role} role is required when there are {what} and the config version is 2.2 or higher."
                )),
                Some(k) if k != Some(kind) => {
                    errors.push(format!("The {role} role must be a {adj}-referred color space."))
                }
                _ => {}
            }
        }
        for e in errors {
            logging::error(&e);
        }
    }

    fn validate_displays(&self) -> Result<()> {
        self.viewing_rules_check().map_err(|e| {
            OcioError::msg(format!(
                "Config failed validation. Viewing rules failed validation with: {e}"
            ))
        })?;
        for view in &self.shared_views {
            self.validate_view("", view, true)?;
        }
        for display in &self.displays {
            if display.views.is_empty() && display.shared_views.is_empty() {
                return fail(format!(
                    "Config failed display validation. The display '{}' does not define any views.",
                    display.name
                ));
            }
            for shared in &display.shared_views {
                self.validate_shared_view(display, shared, true)?;
            }
            for view in &display.views {
                self.validate_view(&display.name, view, true)?;
            }
        }
        if self.displays.is_empty() {
            return fail("Config failed display validation. No displays are specified.");
        }
        if self.major >= 2 {
            let vd = Display {
                name: "virtual_display".into(),
                ..self.virtual_display.clone()
            };
            for shared in &vd.shared_views {
                self.validate_shared_view(&vd, shared, false)?;
            }
            for view in &vd.views {
                self.validate_view("virtual_display", view, false)?;
            }
        }
        self.validate_active_displays()
    }

    fn viewing_rules_check(&self) -> Result<()> {
        for rule in &self.viewing_rules.rules {
            for cs in &rule.colorspaces {
                if self.find_colorspace(cs).is_none() {
                    return fail(format!(
                        "The rule '{}' refers to color space '{cs}' which is not defined.",
                        rule.name
                    ));
                }
            }
            for enc in &rule.encodings {
                if !self.colorspaces.iter().any(|c| c.encoding.eq_ignore_ascii_case(enc)) {
                    logging::info(&format!(
                        "The rule '{}' refers to encoding '{enc}' that is not used by any of the color spaces.",
                        rule.name
                    ));
                }
            }
            match (rule.colorspaces.len(), rule.encodings.len()) {
                (0, 0) => {
                    return fail(format!(
                        "The rule '{}' must have either a color space or an encoding.",
                        rule.name
                    ))
                }
                (a, b) if a != 0 && b != 0 => {
                    return fail(format!(
                        "The rule '{}' cannot refer to both a color space and an encoding.",
                        rule.name
                    ))
                }
                _ => {}
            }
        }
        Ok(())
    }

    fn validate_active_displays(&self) -> Result<()> {
        let env = std::env::var(super::ACTIVE_DISPLAYS_ENVVAR)
            .ok()
            .filter(|v| !v.trim().is_empty())
            .map(|v| super::query::split_list(&v));
        let (list, what, place) = match env {
            Some(l) => (
                l,
                "The content of the env. variable for the list of active displays",
                "",
            ),
            None => (
                self.active_displays.clone(),
                "The list of active displays",
                " from the config file",
            ),
        };
        if list.is_empty() || (list.len() == 1 && list[0].is_empty()) {
            return Ok(());
        }
        let known = list
            .iter()
            .filter(|d| self.displays.iter().any(|x| x.name.eq_ignore_ascii_case(d)))
            .count();
        let joined = list.join(", ");
        if known == 0 {
            return fail(format!("{what} [{joined}]{place} is invalid."));
        }
        if known != list.len() {
            return fail(format!("{what} [{joined}]{place} contains invalid display name(s)."));
        }
        Ok(())
    }

    fn validate_transforms(&self, ctx: &Context) -> Result<()> {
        let mut names = BTreeSet::new();
        for t in internal_transforms(self) {
            t.validate()?;
            walk(t, &mut |t| {
                match t {
                    Transform::ColorSpace(x) => {
                        names.insert(ctx.resolve_string_var(&x.src));
                        names.insert(ctx.resolve_string_var(&x.dst));
                    }
                    Transform::DisplayView(x) => {
                        names.insert(x.src.clone());
                    }
                    Transform::Look(x) => {
                        names.insert(x.src.clone());
                        names.insert(x.dst.clone());
                    }
                    _ => {}
                }
                Ok(())
            })?;
        }
        for name in names {
            if self.has_colorspace(&name) {
                continue;
            }
            if has_context_variables(&name) {
                return fail(format!(
                    "Config failed transform validation. This config references a color space '{name}' using an unknown context variable."
                ));
            }
            let target = role_target(self, &name);
            let prefix = "Config failed transform validation. This config references a color space, '";
            if target.is_empty() {
                if self.named_transform(&name).is_none() {
                    return fail(format!("{prefix}{name}', which is not defined."));
                }
            } else if !self.has_colorspace(target) {
                return fail(format!("{prefix}{target}' (for role '{name}'), which is not defined."));
            }
        }
        Ok(())
    }

    fn validate_looks_and_view_transforms(&self) -> Result<()> {
        for (i, look) in self.looks.iter().enumerate() {
            if look.name.is_empty() {
                return fail(format!(
                    "Config failed Look validation. The look at index '{i}' does not specify a name."
                ));
            }
            let ps = &look.process_space;
            let prefix = format!("Config failed Look validation. The look '{}' ", look.name);
            if ps.is_empty() {
                return fail(format!("{prefix}does not specify a process space."));
            }
            if !self.has_colorspace(ps) {
                let target = role_target(self, ps);
                if target.is_empty() {
                    return fail(format!(
                        "{prefix}specifies a process color space, '{ps}', which is not defined."
                    ));
                } else if !self.has_colorspace(target) {
                    return fail(format!(
                        "{prefix}specifies a process color space, '{target}' (for role '{ps}'), which is not defined."
                    ));
                }
            }
        }
        let has_display_cs = self
            .colorspaces
            .iter()
            .any(|c| c.reference_space == ReferenceSpaceType::Display);
        if !self.view_transforms.is_empty() {
            if self.default_scene_to_display_view_transform().is_none() {
                return fail(
                    "Config failed validation. If there are view_transforms, at least one must use the scene reference space.",
                );
            }
        } else if has_display_cs {
            return fail(
                "Config failed validation. If there are display-referred color spaces, there must be view_transforms.",
            );
        }
        if !self.default_view_transform.is_empty() {
            let ok = self
                .default_scene_to_display_view_transform()
                .is_some_and(|vt| vt.name.eq_ignore_ascii_case(&self.default_view_transform));
            if !ok {
                return fail(format!(
                    "Config failed validation. Default view transform is defined as: '{}' but this does not correspond to an existing scene-referred view transform.",
                    self.default_view_transform
                ));
            }
        }
        Ok(())
    }

    fn validate_file_rules(&self) -> Result<()> {
        let rules = &self.file_rules;
        if self.major < 2 && rules.len() <= 2 {
            return Ok(());
        }
        for i in 0..rules.len() {
            let rule = rules.rule(i)?;
            if rule.is_path_search() {
                continue;
            }
            if self.find_colorspace(&rule.colorspace).is_none() && self.named_transform(&rule.colorspace).is_none() {
                return fail(format!(
                    "Config failed validation. File rules failed with: File rules: rule named '{}' is referencing '{}' that is neither a color space nor a named transform.",
                    rule.name, rule.colorspace
                ));
            }
        }
        Ok(())
    }

    fn validate_files(&self, ctx: &Context) -> Result<()> {
        let mut files = BTreeSet::new();
        for t in internal_transforms(self) {
            walk(t, &mut |t| {
                if let Transform::File(f) = t {
                    files.insert(f.src.clone());
                }
                Ok(())
            })?;
        }
        if files.is_empty() {
            return Ok(());
        }
        let mut msg = String::from("Config failed search path validation.");
        let mut found = false;
        for path in &ctx.search_paths {
            if path.is_empty() {
                msg.push_str(" The search_path must not be an empty string if there are FileTransforms.");
                continue;
            }
            let resolved = ctx.resolve_string_var(path);
            if has_context_variables(&resolved) {
                msg.push_str(&format!("  The search_path '{path}' cannot be resolved"));
                if *path != resolved {
                    msg.push_str(&format!(" by '{resolved}'"));
                }
                msg.push('.');
                continue;
            }
            found = true;
        }
        if !found {
            if ctx.search_paths.is_empty() {
                msg.push_str(" The search_path must not be empty if there are FileTransforms.");
            }
            return fail(msg);
        }
        for file in &files {
            let resolved = ctx.resolve_string_var(file);
            if resolved.is_empty() || has_context_variables(&resolved) {
                let shown = if *file != resolved {
                    format!("{file}' vs. '{resolved}'.")
                } else {
                    format!("{file}'.")
                };
                return fail(format!(
                    "Config failed validation expanding file transform paths. The file transform source cannot be resolved: '{shown}"
                ));
            }
        }
        Ok(())
    }

    /// OCIO's `Config::validate`.
    pub fn validate(&self) -> Result<()> {
        self.validate_environment()?;
        self.validate_colorspaces_and_roles()?;
        self.validate_displays()?;
        let ctx = self.current_context();
        self.validate_transforms(&ctx)?;
        self.validate_looks_and_view_transforms()?;
        self.validate_file_rules()?;
        self.validate_files(&ctx)?;
        for nt in &self.named_transforms {
            let used = if self.look(&nt.name).is_some() {
                "a look"
            } else if self.view_transform(&nt.name).is_some() {
                "a view transform"
            } else {
                continue;
            };
            return fail(format!(
                "Config failed validation. NamedTransform can't be named '{}'. This name is already used for {used}.",
                nt.name
            ));
        }
        self.check_version_consistency()
    }

    /// OCIO's version checks: nothing in the config is newer than its
    /// profile version (run after reading and by `validate`).
    pub fn check_version_consistency(&self) -> Result<()> {
        for t in internal_transforms(self) {
            walk(t, &mut |t| self.check_transform_version(t))?;
        }
        let v = (self.major, self.minor);
        let v1 = self.major < 2;
        if v1 && self.family_separator != '/' {
            return fail("Only version 2 (or higher) can have a family separator.");
        }
        if v1 && self.file_rules.len() > 2 {
            return fail("Only version 2 (or higher) can have file rules.");
        }
        if v1 && !self.inactive_colorspaces.is_empty() {
            return fail("Only version 2 (or higher) can have inactive color spaces.");
        }
        if v1 && !self.viewing_rules.rules.is_empty() {
            return fail("Only version 2 (or higher) can have viewing rules.");
        }
        if v1 {
            if !self.shared_views.is_empty() {
                return fail("Only version 2 (or higher) can have shared views.");
            }
            if let Some(d) = self.displays.iter().find(|d| !d.shared_views.is_empty()) {
                return fail(format!(
                    "Config failed validation. The display '{}' uses shared views and config version is less than 2.",
                    d.name
                ));
            }
            if !self.virtual_display.views.is_empty() || !self.virtual_display.shared_views.is_empty() {
                return fail("Only version 2 (or higher) can have a virtual display.");
            }
        }
        for cs in &self.colorspaces {
            if v1 && cs.reference_space == ReferenceSpaceType::Display {
                return fail("Only version 2 (or higher) can have DisplayColorSpaces.");
            }
            if v1 && !cs.interop_id.is_empty() {
                return fail(format!(
                    "Config failed validation. The color space '{}' has non-empty InteropID and config version is less than 2.0.",
                    cs.name
                ));
            }
            if v < (2, 5) && !cs.interchange.values.is_empty() {
                return fail(format!(
                    "Config failed validation. The color space '{}' has non-empty interchange attributes and config version is less than 2.5.",
                    cs.name
                ));
            }
        }
        if v1 && (!self.view_transforms.is_empty() || !self.default_view_transform.is_empty()) {
            return fail("Only version 2 (or higher) can have ViewTransforms.");
        }
        if v < (2, 5) {
            if let Some(vt) = self.view_transforms.iter().find(|x| !x.interchange.values.is_empty()) {
                return fail(format!(
                    "Config failed validation. The view transform '{}' has non-empty interchange attributes and config version is less than 2.5.",
                    vt.name
                ));
            }
        }
        if v < (2, 6) {
            if self.use_display_aliases {
                return fail(
                    "Config failed validation: use_display_aliases is true and config version is less than 2.6.",
                );
            }
            if let Some(view) = self.shared_views.iter().find(|x| !x.aliases.is_empty()) {
                return fail(format!(
                    "Config failed validation. The shared view '{}' has aliases and config version is less than 2.6.",
                    view.name
                ));
            }
            for d in &self.displays {
                if let Some(view) = d.views.iter().find(|x| !x.aliases.is_empty()) {
                    return fail(format!(
                        "Config failed validation. The view '{}' in display '{}' has aliases and config version is less than 2.6.",
                        view.name, d.name
                    ));
                }
            }
        }
        if v < (2, 5) {
            if let Some(look) = self.looks.iter().find(|x| !x.interchange.values.is_empty()) {
                return fail(format!(
                    "Config failed validation. The look '{}' has non-empty interchange attributes and config version is less than 2.5.",
                    look.name
                ));
            }
        }
        if v1 && !self.named_transforms.is_empty() {
            return fail("Only version 2 (or higher) can have NamedTransforms.");
        }
        Ok(())
    }

    fn check_transform_version(&self, t: &Transform) -> Result<()> {
        let v = (self.major, self.minor);
        let v1 = self.major < 2;
        let only_v2 = |what: &str| fail(format!("Only config version 2 (or higher) can have {what}."));
        match t {
            Transform::Builtin(b) => {
                if v1 {
                    return fail("Only config version 2 (or higher) can have BuiltinInTransform.");
                }
                if let Some(needed) = crate::transforms::builtin::min_config_version(b.style) {
                    if v < needed {
                        return fail(format!(
                            "Only config version {}.{} (or higher) can have BuiltinTransform style '{}'.",
                            needed.0, needed.1, b.style
                        ));
                    }
                }
            }
            Transform::Cdl(c) if v1 && c.style != default_cdl_style() => {
                return fail("Only config version 2 (or higher) can have style for CDLTransform.");
            }
            Transform::DisplayView(_) if v1 => return only_v2("DisplayViewTransform"),
            Transform::Exponent(e) if v1 && e.negative_style != NegativeStyle::Clamp => {
                return fail("Config version 1 only supports ExponentTransform clamping negative values.");
            }
            Transform::ExponentWithLinear(_) if v1 => return only_v2("ExponentWithLinearTransform"),
            Transform::ExposureContrast(_) if v1 => return only_v2("ExposureContrastTransform"),
            Transform::File(f) if v1 => {
                if f.interpolation == Interpolation::Cubic {
                    return fail("Only config version 2 (or higher) can use 'cubic' interpolation with FileTransform.");
                }
                if f.cdl_style != default_cdl_style() {
                    return fail("Only config version 2 (or higher) can use CDL style' for FileTransform.");
                }
            }
            Transform::FixedFunction(f) => {
                if v1 {
                    return only_v2("FixedFunctionTransform");
                }
                let needed = match f.style {
                    Ff::AcesGamutComp13 => (2, 1),
                    Ff::LinToPq
                    | Ff::LinToGammaLog
                    | Ff::LinToDoubleLog
                    | Ff::AcesOutputTransform20
                    | Ff::AcesRgbToJmh20
                    | Ff::AcesTonescaleCompress20
                    | Ff::AcesGamutCompress20 => (2, 4),
                    Ff::RgbToHsyLin | Ff::RgbToHsyLog | Ff::RgbToHsyVid => (2, 5),
                    Ff::AcesRgbToHmj20 => (2, 6),
                    _ => (2, 0),
                };
                if v < needed {
                    let name = f.style.as_str();
                    return fail(if needed == (2, 1) {
                        "Only config version 2.1 (or higher) can have FixedFunctionTransform style 'ACES_GAMUT_COMP_13'."
                            .to_string()
                    } else {
                        format!(
                            "Only config version {}.{} (or higher) can have FixedFunctionTransform style '{name}'.",
                            needed.0, needed.1
                        )
                    });
                }
            }
            Transform::GradingPrimary(_) if v1 => return only_v2("GradingPrimaryTransform"),
            Transform::GradingRgbCurve(_) if v1 => return only_v2("GradingRGBCurveTransform"),
            Transform::GradingHueCurve(_) if self.major == 2 && self.minor < 5 => {
                return fail("Only config version 2.5 (or higher) can have GradingHueCurveTransform.");
            }
            Transform::GradingTone(_) if v1 => return only_v2("GradingToneTransform"),
            Transform::LogAffine(_) if v1 => return only_v2("LogAffineTransform"),
            Transform::LogCamera(_) if v1 => return only_v2("LogCameraTransform"),
            Transform::Range(_) if v1 => return only_v2("RangeTransform"),
            _ => {}
        }
        Ok(())
    }
}

/// `CDL_TRANSFORM_DEFAULT`.
fn default_cdl_style() -> CdlStyle {
    CdlStyle::NoClamp
}

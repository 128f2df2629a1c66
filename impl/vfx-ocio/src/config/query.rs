//! The questions a config answers about its contents: colour spaces by
//! name, alias or role; which colour spaces, displays and views are active
//! (the config's lists, overridden by `$OCIO_INACTIVE_COLORSPACES`,
//! `$OCIO_ACTIVE_DISPLAYS` and `$OCIO_ACTIVE_VIEWS`); default display and
//! view.

use super::{ColorSpace, Config, Display, Look, NamedTransform, View, ViewTransform};
use crate::enums::{ColorSpaceVisibility, ReferenceSpaceType, SearchReferenceSpaceType};

/// A comma (or, without commas, colon) separated list as OCIO splits
/// environment values: double quotes protect separators and are removed,
/// entries are trimmed; an empty text is an empty list.
pub fn split_list(s: &str) -> Vec<String> {
    let s = s.trim();
    if s.is_empty() {
        return Vec::new();
    }
    let sep = if s.contains(',') {
        ','
    } else if s.contains(':') {
        ':'
    } else {
        return vec![unquote(s)];
    };
    let mut out = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for ch in s.chars() {
        match ch {
            '"' => {
                quoted = !quoted;
                current.push(ch);
            }
            c if c == sep && !quoted => out.push(unquote(&std::mem::take(&mut current))),
            c => current.push(c),
        }
    }
    out.push(unquote(&current));
    out
}

/// Trimmed, without surrounding double quotes.
fn unquote(s: &str) -> String {
    let t = s.trim();
    if t.len() > 1 && t.starts_with('"') && t.ends_with('"') {
        t[1..t.len() - 1].to_string()
    } else {
        t.to_string()
    }
}

/// OCIO's active-list rule: the entries of `list` (in its order and
/// spelling) that name one of `all`, compared without case; `all` when the
/// list is empty or names none of them.
fn active_subset(list: &[String], all: Vec<String>) -> Vec<String> {
    let picked: Vec<String> = list
        .iter()
        .filter(|n| all.iter().any(|a| a.eq_ignore_ascii_case(n)))
        .cloned()
        .collect();
    if picked.is_empty() {
        all
    } else {
        picked
    }
}

fn env_list(var: &str) -> Option<Vec<String>> {
    std::env::var(var)
        .ok()
        .filter(|v| !v.trim().is_empty())
        .map(|v| split_list(&v))
}

impl Config {
    /// The colour space a name, alias or role refers to.
    pub fn find_colorspace(&self, name: &str) -> Option<&ColorSpace> {
        if name.is_empty() {
            return None;
        }
        let by_name = |n: &str| {
            self.colorspaces
                .iter()
                .find(|c| c.name.eq_ignore_ascii_case(n) || c.has_alias(n))
        };
        by_name(name).or_else(|| self.roles.get(&name.to_lowercase()).and_then(|cs| by_name(cs)))
    }

    pub fn find_colorspace_mut(&mut self, name: &str) -> Option<&mut ColorSpace> {
        let canonical = self.find_colorspace(name)?.name.clone();
        self.colorspaces.iter_mut().find(|c| c.name == canonical)
    }

    /// OCIO's `getCanonicalName`: the colour space or named transform
    /// behind a name, alias or role (empty when unknown).
    pub fn canonical_name(&self, name: &str) -> String {
        match self.find_colorspace(name) {
            Some(c) => c.name.clone(),
            None => self.named_transform(name).map(|n| n.name.clone()).unwrap_or_default(),
        }
    }

    /// The inactive colour-space names in effect.
    pub fn inactive_names(&self) -> Vec<String> {
        env_list(crate::config::INACTIVE_COLORSPACES_ENVVAR).unwrap_or_else(|| self.inactive_colorspaces.clone())
    }

    pub fn is_inactive(&self, cs: &ColorSpace) -> bool {
        self.inactive_names().iter().any(|n| n.eq_ignore_ascii_case(&cs.name))
    }

    /// Colour spaces by reference space and visibility, in config order.
    pub fn colorspaces_filtered(
        &self,
        search: SearchReferenceSpaceType,
        visibility: ColorSpaceVisibility,
    ) -> Vec<&ColorSpace> {
        self.colorspaces
            .iter()
            .filter(|c| match search {
                SearchReferenceSpaceType::Scene => c.reference_space == ReferenceSpaceType::Scene,
                SearchReferenceSpaceType::Display => c.reference_space == ReferenceSpaceType::Display,
                SearchReferenceSpaceType::All => true,
            })
            .filter(|c| match visibility {
                ColorSpaceVisibility::Active => !self.is_inactive(c),
                ColorSpaceVisibility::Inactive => self.is_inactive(c),
                ColorSpaceVisibility::All => true,
            })
            .collect()
    }

    pub fn display(&self, name: &str) -> Option<&Display> {
        self.displays.iter().find(|d| d.name.eq_ignore_ascii_case(name))
    }

    /// The active displays, in the active list's order (all displays when
    /// no list is given or none of it names a display).
    pub fn active_display_names(&self) -> Vec<String> {
        let all: Vec<String> = self.displays.iter().map(|d| d.name.clone()).collect();
        let list = env_list(crate::config::ACTIVE_DISPLAYS_ENVVAR).unwrap_or_else(|| self.active_displays.clone());
        active_subset(&list, all)
    }

    pub fn default_display(&self) -> String {
        self.active_display_names().into_iter().next().unwrap_or_default()
    }

    /// A shared view by name.
    pub fn shared_view(&self, name: &str) -> Option<&View> {
        self.shared_views.iter().find(|v| v.name.eq_ignore_ascii_case(name))
    }

    /// Every view of a display: its own, then the shared ones it uses.
    pub fn all_views(&self, display: &str) -> Vec<&View> {
        let Some(d) = self.display(display) else {
            return Vec::new();
        };
        let shared = d.shared_views.iter().filter_map(|n| self.shared_view(n));
        d.views.iter().chain(shared).collect()
    }

    /// The active views of a display, in the active list's order (all its
    /// views when no list is given or none of it names one of them).
    pub fn active_view_names(&self, display: &str) -> Vec<String> {
        let views: Vec<String> = self.all_views(display).iter().map(|v| v.name.clone()).collect();
        let list = env_list(crate::config::ACTIVE_VIEWS_ENVVAR).unwrap_or_else(|| self.active_views.clone());
        active_subset(&list, views)
    }

    pub fn default_view(&self, display: &str) -> String {
        self.active_view_names(display).into_iter().next().unwrap_or_default()
    }

    /// A display's view (own or shared) by name; an empty display means
    /// the shared views.
    pub fn display_view(&self, display: &str, view: &str) -> Option<&View> {
        if view.is_empty() {
            return None;
        }
        if display.is_empty() {
            return self.shared_view(view);
        }
        self.all_views(display)
            .into_iter()
            .find(|v| v.name.eq_ignore_ascii_case(view))
    }

    pub fn look(&self, name: &str) -> Option<&Look> {
        self.looks.iter().find(|l| l.name.eq_ignore_ascii_case(name))
    }

    pub fn view_transform(&self, name: &str) -> Option<&ViewTransform> {
        self.view_transforms.iter().find(|v| v.name.eq_ignore_ascii_case(name))
    }

    /// The colour-space name found rightmost in a string (the longest on a
    /// tie), compared without case (OCIO's colour-space path search).
    pub fn find_colorspace_in(&self, s: &str) -> Option<String> {
        let hay = s.to_lowercase();
        let mut best: Option<(usize, usize, &str)> = None;
        for cs in &self.colorspaces {
            let needle = cs.name.to_lowercase();
            if needle.is_empty() {
                continue;
            }
            if let Some(start) = hay.rfind(&needle) {
                let end = start + needle.len();
                let better = match best {
                    None => true,
                    Some((e, l, _)) => end > e || (end == e && needle.len() > l),
                };
                if better {
                    best = Some((end, needle.len(), &cs.name));
                }
            }
        }
        best.map(|(_, _, n)| n.to_string())
    }

    /// OCIO's `parseColorSpaceFromString`: the name found in the string,
    /// else (without strict parsing) the default role's colour space.
    pub fn parse_colorspace_from_string(&self, s: &str) -> String {
        if let Some(n) = self.find_colorspace_in(s) {
            return n;
        }
        if self.strict_parsing {
            return String::new();
        }
        self.find_colorspace("default")
            .map(|c| c.name.clone())
            .unwrap_or_default()
    }

    /// OCIO's `getColorSpaceFromFilepath`.
    pub fn colorspace_from_filepath(&self, path: &str) -> (String, usize) {
        self.file_rules.match_path(path, |p| self.find_colorspace_in(p))
    }

    pub fn named_transform(&self, name: &str) -> Option<&NamedTransform> {
        self.named_transforms
            .iter()
            .find(|n| n.name.eq_ignore_ascii_case(name) || n.has_alias(name))
    }

    /// OCIO's `getCanonicalDisplayName`: the display a name means, by name
    /// or (with `use_display_aliases`) through a display colour space's
    /// name or aliases that the display actually uses; empty if none.
    pub fn canonical_display_name(&self, name: &str) -> String {
        if name.is_empty() {
            return String::new();
        }
        if let Some(d) = self.display(name) {
            return d.name.clone();
        }
        if !self.use_display_aliases || self.roles.contains_key(&name.to_lowercase()) {
            return String::new();
        }
        let Some(cs) = self.find_colorspace(name) else {
            return String::new();
        };
        if cs.reference_space == ReferenceSpaceType::Scene {
            return String::new();
        }
        std::iter::once(&cs.name)
            .chain(cs.aliases.iter())
            .filter_map(|n| self.display(n))
            .find(|d| self.display_uses_colorspace(&d.name, &cs.name))
            .map(|d| d.name.clone())
            .unwrap_or_default()
    }

    /// True if one of the display's views shows `cs` (or uses the display
    /// name as its colour space).
    fn display_uses_colorspace(&self, display: &str, cs: &str) -> bool {
        self.all_views(display).iter().any(|v| {
            v.colorspace == crate::config::validate::USE_DISPLAY_NAME
                || self
                    .find_colorspace(&v.colorspace)
                    .is_some_and(|c| c.name.eq_ignore_ascii_case(cs))
        })
    }

    /// OCIO's `getCanonicalViewName`: the view a name or view alias means
    /// in a display; empty if none.
    pub fn canonical_view_name(&self, display: &str, view: &str) -> String {
        if display.is_empty() || view.is_empty() {
            return String::new();
        }
        let canonical = self.canonical_display_name(display);
        let display = if canonical.is_empty() { display } else { &canonical };
        if self.display_view(display, view).is_some() {
            return view.to_string();
        }
        self.all_views(display)
            .into_iter()
            .find(|v| v.aliases.iter().any(|a| a.eq_ignore_ascii_case(view)))
            .map(|v| v.name.clone())
            .unwrap_or_default()
    }

    /// OCIO's `getResolvedDisplayViewColorSpaceName`: the canonical colour
    /// space (or named transform) a display's view shows, with
    /// `<USE_DISPLAY_NAME>` resolved; the raw name when it names nothing.
    pub fn resolved_display_view_colorspace(&self, display: &str, view: &str) -> String {
        if display.is_empty() || view.is_empty() {
            return String::new();
        }
        let display = self.canonical_display_name(display);
        if display.is_empty() {
            return String::new();
        }
        let view = self.canonical_view_name(&display, view);
        let Some(v) = self.display_view(&display, &view).filter(|_| !view.is_empty()) else {
            return String::new();
        };
        let cs = if v.colorspace == crate::config::validate::USE_DISPLAY_NAME {
            display.as_str()
        } else {
            v.colorspace.as_str()
        };
        let canonical = self.canonical_name(cs);
        if canonical.is_empty() {
            cs.to_string()
        } else {
            canonical
        }
    }

    /// OCIO's `getDisplayDescription`: the description of the display
    /// colour space a display is named after (aliases only with
    /// `use_display_aliases`), if the display uses it.
    pub fn display_description(&self, display: &str) -> String {
        let Some(cs) = self.find_colorspace(display) else {
            return String::new();
        };
        if cs.reference_space != ReferenceSpaceType::Display
            || (!cs.name.eq_ignore_ascii_case(display) && !self.use_display_aliases)
        {
            return String::new();
        }
        let canonical = self.canonical_display_name(&cs.name);
        if canonical.is_empty() || !self.display_uses_colorspace(&canonical, &cs.name) {
            return String::new();
        }
        cs.description.clone()
    }

    /// OCIO's `getViews(display, colorSpaceName)`: the display's active
    /// views, keeping those with a viewing rule only if the rule names the
    /// image's colour space (or a role for it) or its encoding.
    pub fn filtered_view_names(&self, display: &str, colorspace: &str) -> crate::error::Result<Vec<String>> {
        if display.is_empty() || colorspace.is_empty() || self.display(display).is_none() {
            return Ok(Vec::new());
        }
        let image = self.find_colorspace(colorspace).ok_or_else(|| {
            crate::error::OcioError::msg(format!("Could not find source color space '{colorspace}'."))
        })?;
        let image_name = colorspace.to_lowercase();
        let views = self.all_views(display);
        let keep = |name: &String| {
            let Some(view) = views.iter().find(|v| v.name.eq_ignore_ascii_case(name)) else {
                return false;
            };
            if view.rule.is_empty() {
                return true;
            }
            let Some(rule) = self
                .viewing_rules
                .rules
                .iter()
                .find(|r| r.name.eq_ignore_ascii_case(&view.rule))
            else {
                return false;
            };
            let by_space = rule.colorspaces.iter().any(|cs| {
                let target = self.roles.get(&cs.to_lowercase()).unwrap_or(cs);
                target.to_lowercase() == image_name
            });
            by_space
                || (!image.encoding.is_empty() && rule.encodings.iter().any(|e| e.to_lowercase() == image.encoding))
        };
        Ok(self.active_view_names(display).into_iter().filter(keep).collect())
    }
}

//! Editing a config's displays, views, shared views, virtual display and
//! active lists, with the reference's checks and messages.

use super::{Config, Display, NamedTransform, View};
use crate::enums::ViewType;
use crate::error::{OcioError, Result};

fn msg(m: impl Into<String>) -> OcioError {
    OcioError::msg(m)
}

impl Config {
    fn display_mut(&mut self, name: &str) -> &mut Display {
        if let Some(i) = self.displays.iter().position(|d| d.name == name) {
            return &mut self.displays[i];
        }
        self.displays.push(Display {
            name: name.to_string(),
            ..Default::default()
        });
        self.displays.last_mut().expect("just pushed")
    }

    /// Adds (or replaces) a display's own view; the display is created
    /// when missing.
    pub fn add_display_view(&mut self, display: &str, view: View) -> Result<()> {
        if display.is_empty() {
            return Err(msg(
                "View could not be added to config, display name has to be a non-empty name.",
            ));
        }
        if view.name.is_empty() {
            return Err(msg(
                "View could not be added to config, view name has to be a non-empty name.",
            ));
        }
        if view.colorspace.is_empty() {
            return Err(msg(
                "View could not be added to config, color space name has to be a non-empty name.",
            ));
        }
        let d = self.display_mut(display);
        if d.shared_views.contains(&view.name) {
            return Err(msg(format!(
                "There is already a shared view named '{}' in the display '{display}'.",
                view.name
            )));
        }
        match d.views.iter_mut().find(|v| v.name == view.name) {
            Some(slot) => *slot = view,
            None => d.views.push(view),
        }
        Ok(())
    }

    /// Adds (or replaces) a shared view.
    pub fn add_shared_view(&mut self, view: View) -> Result<()> {
        if view.name.is_empty() {
            return Err(msg(
                "Shared view could not be added to config, view name has to be a non-empty name.",
            ));
        }
        if view.colorspace.is_empty() {
            return Err(msg(
                "Shared view could not be added to config, color space name has to be a non-empty name.",
            ));
        }
        match self.shared_views.iter_mut().find(|v| v.name == view.name) {
            Some(slot) => *slot = view,
            None => self.shared_views.push(view),
        }
        Ok(())
    }

    pub fn remove_shared_view(&mut self, view: &str) -> Result<()> {
        let before = self.shared_views.len();
        self.shared_views.retain(|v| v.name != view);
        if self.shared_views.len() == before {
            return Err(msg(format!(
                "Shared view could not be removed from config. A shared view named '{view}' could be not found."
            )));
        }
        Ok(())
    }

    /// A display refers to a shared view by name.
    pub fn add_display_shared_view(&mut self, display: &str, view: &str) -> Result<()> {
        if display.is_empty() {
            return Err(msg(
                "Shared view could not be added to display: non-empty display name is needed.",
            ));
        }
        if view.is_empty() {
            return Err(msg(
                "Shared view could not be added to display: non-empty view name is needed.",
            ));
        }
        let d = self.display_mut(display);
        if d.views.iter().any(|v| v.name == view) {
            return Err(msg(format!(
                "There is already a view named '{view}' in the display '{display}'."
            )));
        }
        if d.shared_views.iter().any(|s| s == view) {
            return Err(msg(format!(
                "There is already a shared view named '{view}' in the display '{display}'."
            )));
        }
        d.shared_views.push(view.to_string());
        Ok(())
    }

    /// Removes a display's own or shared view (and the display once empty).
    pub fn remove_display_view(&mut self, display: &str, view: &str) -> Result<()> {
        let Some(i) = self.displays.iter().position(|d| d.name == display) else {
            return Err(msg(format!("Could not find a display named '{display}'.")));
        };
        let d = &mut self.displays[i];
        let (nv, ns) = (d.views.len(), d.shared_views.len());
        d.views.retain(|v| v.name != view);
        d.shared_views.retain(|s| s != view);
        if d.views.len() == nv && d.shared_views.len() == ns {
            return Err(msg(format!(
                "Could not find a view named '{view} to be removed from the display named '{display}'."
            )));
        }
        if d.views.is_empty() && d.shared_views.is_empty() {
            self.displays.remove(i);
        }
        Ok(())
    }

    /// A display's view names of one kind, in definition order.
    pub fn view_names_of_type(&self, kind: ViewType, display: &str) -> Vec<String> {
        let Some(d) = self.display(display) else {
            return Vec::new();
        };
        match kind {
            ViewType::Shared => d.shared_views.clone(),
            ViewType::DisplayDefined => d.views.iter().map(|v| v.name.clone()).collect(),
        }
    }

    pub fn is_view_shared(&self, display: &str, view: &str) -> bool {
        self.display(display)
            .is_some_and(|d| d.shared_views.iter().any(|s| s == view))
    }

    /// OCIO's `addVirtualDisplayView`: named, with a colour space, and new.
    pub fn add_virtual_view(&mut self, view: View) -> Result<()> {
        let prefix = "View could not be added to virtual_display in config:";
        if view.name.is_empty() {
            return Err(msg(format!("{prefix} a non-empty view name is needed.")));
        }
        if view.colorspace.is_empty() {
            return Err(msg(format!("{prefix} a non-empty color space name is needed.")));
        }
        let vd = &mut self.virtual_display;
        if vd.views.iter().any(|v| v.name.eq_ignore_ascii_case(&view.name)) {
            return Err(msg(format!("{prefix} View '{}' already exists.", view.name)));
        }
        vd.views.push(view);
        Ok(())
    }

    pub fn add_virtual_shared_view(&mut self, view: &str) -> Result<()> {
        if view.is_empty() {
            return Err(msg(
                "Shared view could not be added to virtual_display: non-empty view name is needed.",
            ));
        }
        let vd = &mut self.virtual_display;
        if vd.shared_views.iter().any(|s| s == view) {
            return Err(msg(format!(
                "Shared view could not be added to virtual_display: There is already a shared view named '{view}'."
            )));
        }
        vd.shared_views.push(view.to_string());
        Ok(())
    }

    pub fn remove_virtual_view(&mut self, view: &str) {
        self.virtual_display.views.retain(|v| v.name != view);
        self.virtual_display.shared_views.retain(|s| s != view);
    }

    /// A view of the virtual display: one of its shared views (resolved
    /// to the shared view) or its own.
    pub fn virtual_view(&self, view: &str) -> Option<&View> {
        if self
            .virtual_display
            .shared_views
            .iter()
            .any(|s| s.eq_ignore_ascii_case(view))
        {
            return self.shared_view(view);
        }
        self.virtual_display
            .views
            .iter()
            .find(|v| v.name.eq_ignore_ascii_case(view))
    }

    /// Adds a name to an active list (once).
    pub fn add_active(list: &mut Vec<String>, name: &str) {
        if !name.is_empty() && !list.iter().any(|n| n == name) {
            list.push(name.to_string());
        }
    }

    pub fn remove_active_display(&mut self, name: &str) -> Result<()> {
        let before = self.active_displays.len();
        self.active_displays.retain(|n| n != name);
        if before == self.active_displays.len() {
            return Err(msg(format!(
                "Active display could not be removed from config, display '{name}' was not found."
            )));
        }
        Ok(())
    }

    pub fn remove_active_view(&mut self, name: &str) -> Result<()> {
        let before = self.active_views.len();
        self.active_views.retain(|n| n != name);
        if before == self.active_views.len() {
            return Err(msg(format!(
                "Active view could not be removed from config, view '{name}' was not found."
            )));
        }
        Ok(())
    }

    /// OCIO's `addNamedTransform`: a named transform with a name and a
    /// transform, whose name and aliases clash with no role, colour space or
    /// other named transform; one of the same name is replaced.
    pub fn add_named_transform(&mut self, nt: NamedTransform) -> Result<()> {
        let name = nt.name.clone();
        let err = |m: String| Err(OcioError::msg(m));
        if name.is_empty() {
            return err("Named transform must have a non-empty name.".into());
        }
        if nt.forward.is_none() && nt.inverse.is_none() {
            return err("Named transform must define at least one transform.".into());
        }
        let is_role = |n: &str| self.roles.contains_key(&n.to_lowercase());
        if is_role(&name) {
            return err(format!(
                "Cannot add '{name}' named transform, there is already a role with this name."
            ));
        }
        if let Some(cs) = self.find_colorspace(&name) {
            return err(format!(
                "Cannot add '{name}' named transform, there is already a color space using this name as a name or as an alias: '{}'.",
                cs.name
            ));
        }
        if super::validate::has_context_token(&name) {
            return err(format!(
                "A named transform name '{name}' cannot contain a context variable reserved token i.e. % or $."
            ));
        }
        let index_of = |n: &str| {
            self.named_transforms
                .iter()
                .position(|o| o.name.eq_ignore_ascii_case(n) || o.has_alias(n))
        };
        let replace = index_of(&name);
        if let Some(i) = replace {
            let existing = &self.named_transforms[i].name;
            if !existing.eq_ignore_ascii_case(&name) {
                return err(format!(
                    "Cannot add '{name}' named transform, existing named transform, '{existing}' is using this name as an alias."
                ));
            }
        }
        for alias in &nt.aliases {
            if is_role(alias) {
                return err(format!(
                    "Cannot add '{name}' named transform, it has an alias '{alias}' and there is already a role with this name."
                ));
            }
            if let Some(cs) = self.find_colorspace(alias) {
                return err(format!(
                    "Cannot add '{name}' named transform, it has an alias '{alias}' and there is already a color space using this name as a name or as an alias: '{}'.",
                    cs.name
                ));
            }
            if super::validate::has_context_token(alias) {
                return err(format!(
                    "Cannot add '{name}' named transform, it has an alias '{alias}' that cannot contain a context variable reserved token i.e. % or $."
                ));
            }
            if let Some(i) = index_of(alias).filter(|i| Some(*i) != replace) {
                return err(format!(
                    "Cannot add '{name}' named transform, it has '{alias}' alias and existing named transform, '{}' is using the same alias.",
                    self.named_transforms[i].name
                ));
            }
        }
        match replace {
            Some(i) => self.named_transforms[i] = nt,
            None => self.named_transforms.push(nt),
        }
        Ok(())
    }
}

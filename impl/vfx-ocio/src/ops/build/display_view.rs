//! Display/view ops (OCIO's BuildDisplayOps): source colour space, looks,
//! then either the view's colour space, or a view transform (or named
//! transform) into the display colour space; the inverse walks back.

use super::look::{parse_looks, reverse_looks};
use super::BuildContext;
use crate::config::NamedTransform;
use crate::enums::TransformDirection;
use crate::error::{OcioError, Result};
use crate::ops::Op;
use crate::transforms::DisplayViewTransform;

use TransformDirection::{Forward, Inverse};

fn err(msg: impl std::fmt::Display) -> OcioError {
    OcioError::msg(format!("DisplayViewTransform error. {msg}"))
}

impl BuildContext<'_> {
    pub(super) fn display_view_ops(
        &self,
        dv: &DisplayViewTransform,
        dir: TransformDirection,
        ops: &mut Vec<Op>,
        depth: usize,
    ) -> Result<()> {
        let cfg = self.config;
        let src = cfg.find_colorspace(&dv.src).ok_or_else(|| {
            if dv.src.is_empty() {
                err("The source color space is unspecified.")
            } else {
                err(format!("Cannot find source color space named '{}'.", dv.src))
            }
        })?;
        let canonical = cfg.canonical_display_name(&dv.display);
        let display = if canonical.is_empty() {
            dv.display.as_str()
        } else {
            &canonical
        };
        if cfg.all_views(display).is_empty() {
            return Err(err(format!("Display '{}' not found.", dv.display)));
        }
        let canonical_view = cfg.canonical_view_name(display, &dv.view);
        let view_name = if canonical_view.is_empty() {
            dv.view.as_str()
        } else {
            &canonical_view
        };
        let view = cfg.display_view(display, view_name);
        let vt_name = view.map(|v| v.view_transform.as_str()).unwrap_or("");
        let (view_transform, view_nt) = if vt_name.is_empty() {
            (None, None)
        } else {
            match cfg.view_transform(vt_name) {
                Some(vt) => (Some(vt), None),
                None => match cfg.named_transform(vt_name) {
                    Some(nt) => (None, Some(nt)),
                    None => {
                        return Err(err(format!(
                            "The view transform '{vt_name}' is neither a view transform nor a named transform."
                        )))
                    }
                },
            }
        };
        let display_cs_name = cfg.resolved_display_view_colorspace(display, view_name);
        let display_cs = cfg.find_colorspace(&display_cs_name);
        let mut cs_nt: Option<&NamedTransform> = None;
        if display_cs.is_none() {
            if display_cs_name.is_empty() {
                return Err(err(format!(
                    "The display '{}' does not have view '{}'.",
                    dv.display, dv.view
                )));
            }
            if view_transform.is_some() || view_nt.is_some() {
                return Err(err(format!(
                    "The view '{}' refers to a display color space '{display_cs_name}' that can't be found.",
                    dv.view
                )));
            }
            cs_nt = Some(cfg.named_transform(&display_cs_name).ok_or_else(|| {
                err(format!(
                    "Cannot find color space or named transform with name '{display_cs_name}'."
                ))
            })?);
        }
        let bypass = dv.data_bypass;
        if bypass && (src.is_data || display_cs.is_some_and(|c| c.is_data)) {
            return Ok(());
        }
        let mut looks = if dv.looks_bypass {
            Vec::new()
        } else {
            parse_looks(view.map(|v| v.looks.as_str()).unwrap_or(""))
        };
        let named = |nt: &NamedTransform, d| {
            nt.resolved_transform(d)
                .ok_or_else(|| OcioError::msg("Config::GetProcessor failed. Transform is null."))
        };
        match dv.direction.combine(dir) {
            Forward => {
                let mut current = Some(src);
                self.look_ops(ops, &mut current, false, &looks, depth)?;
                let current = current.unwrap_or(src);
                if let Some(nt) = cs_nt {
                    self.build_at(&named(nt, Forward)?, Forward, ops, depth + 1)?;
                } else if let (Some(nt), Some(dcs)) = (view_nt, display_cs) {
                    self.build_at(&named(nt, Forward)?, Forward, ops, depth + 1)?;
                    self.reference_to_colorspace_ops(dcs, bypass, ops, depth)?;
                } else if let (Some(vt), Some(dcs)) = (view_transform, display_cs) {
                    self.colorspace_to_reference_ops(current, bypass, ops, depth)?;
                    self.reference_conversion_ops(current.reference_space, vt.reference_space, ops, depth)?;
                    self.view_transform_ops(vt, true, ops, depth)?;
                    self.reference_to_colorspace_ops(dcs, bypass, ops, depth)?;
                } else if let Some(dcs) = display_cs {
                    self.colorspace_ops(current, dcs, bypass, ops, depth)?;
                }
            }
            Inverse => {
                let vt_source = if looks.is_empty() {
                    src
                } else {
                    self.looks_result_colorspace(&looks, depth)?.unwrap_or(src)
                };
                if let Some(nt) = cs_nt {
                    self.build_at(&named(nt, Inverse)?, Forward, ops, depth + 1)?;
                } else if let (Some(nt), Some(dcs)) = (view_nt, display_cs) {
                    self.colorspace_to_reference_ops(dcs, bypass, ops, depth)?;
                    self.build_at(&named(nt, Inverse)?, Forward, ops, depth + 1)?;
                } else if let (Some(vt), Some(dcs)) = (view_transform, display_cs) {
                    self.colorspace_to_reference_ops(dcs, bypass, ops, depth)?;
                    self.view_transform_ops(vt, false, ops, depth)?;
                    self.reference_conversion_ops(vt.reference_space, vt_source.reference_space, ops, depth)?;
                    self.reference_to_colorspace_ops(vt_source, bypass, ops, depth)?;
                } else if let Some(dcs) = display_cs {
                    self.colorspace_ops(dcs, vt_source, bypass, ops, depth)?;
                }
                if !looks.is_empty() {
                    reverse_looks(&mut looks);
                    let mut current = Some(vt_source);
                    self.look_ops(ops, &mut current, false, &looks, depth)?;
                    self.colorspace_ops(current.unwrap_or(vt_source), src, bypass, ops, depth)?;
                }
            }
        }
        Ok(())
    }

    /// A view transform from its reference (`forward`) or back to it.
    fn view_transform_ops(
        &self,
        vt: &crate::config::ViewTransform,
        forward: bool,
        ops: &mut Vec<Op>,
        depth: usize,
    ) -> Result<()> {
        if vt.from_reference.is_none() && vt.to_reference.is_none() {
            return Err(OcioError::msg(format!(
                "View transform named '{}' needs either a transform from or to reference.",
                vt.name
            )));
        }
        if forward {
            self.either(&vt.from_reference, &vt.to_reference, ops, depth)
        } else {
            self.either(&vt.to_reference, &vt.from_reference, ops, depth)
        }
    }
}

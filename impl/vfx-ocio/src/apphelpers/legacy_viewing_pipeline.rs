//! `LegacyViewingPipeline`: the OCIO v1 viewer chain (linear and colour
//! timing corrections in their roles' spaces, looks, a channel view, the
//! display/view transform, a display correction) as one processor.

use std::fmt;

use crate::config::{Config, Context};
use crate::enums::TransformDirection;
use crate::error::{OcioError, Result};
use crate::processor::Processor;
use crate::transforms::{ColorSpaceTransform, DisplayViewTransform, GroupTransform, LookTransform, Transform};

const SCENE_LINEAR: &str = "scene_linear";
const COLOR_TIMING: &str = "color_timing";

#[derive(Debug, Clone, Default)]
pub struct LegacyViewingPipeline {
    /// Stored with its looks bypassed (the pipeline applies the looks).
    display_view: Option<DisplayViewTransform>,
    original_looks_bypass: bool,
    pub linear_cc: Option<Transform>,
    pub color_timing_cc: Option<Transform>,
    pub channel_view: Option<Transform>,
    pub display_cc: Option<Transform>,
    pub looks_override_enabled: bool,
    pub looks_override: String,
}

impl LegacyViewingPipeline {
    pub fn display_view(&self) -> Option<&DisplayViewTransform> {
        self.display_view.as_ref()
    }

    pub fn set_display_view(&mut self, dv: Option<DisplayViewTransform>) {
        self.display_view = dv.map(|mut dv| {
            self.original_looks_bypass = dv.looks_bypass;
            dv.looks_bypass = true;
            dv
        });
    }

    fn validate(&self) -> Result<&DisplayViewTransform> {
        let dv = self.display_view.as_ref().ok_or_else(|| {
            OcioError::msg("LegacyViewingPipeline: can't create a processor without a display transform.")
        })?;
        let checks = std::iter::once(crate::transforms::TransformData::validate(dv)).chain(
            [
                &self.linear_cc,
                &self.color_timing_cc,
                &self.channel_view,
                &self.display_cc,
            ]
            .into_iter()
            .flatten()
            .map(Transform::validate),
        );
        for r in checks {
            r.map_err(|e| OcioError::msg(format!("LegacyViewingPipeline is not valid: {e}")))?;
        }
        Ok(dv)
    }

    /// The pipeline's processor for `config` (and a context, else the
    /// config's current one).
    pub fn processor(&self, config: &Config, context: Option<&Context>) -> Result<Processor> {
        let dv = self.validate()?;
        let dir = dv.direction;
        let input_name = dv.src.clone();
        let input = config.find_colorspace(&input_name).ok_or_else(|| {
            OcioError::msg(if input_name.is_empty() {
                "LegacyViewingPipeline error: InputColorSpaceName is unspecified.".to_string()
            } else {
                format!("LegacyViewingPipeline error: Cannot find inputColorSpace, named '{input_name}'.")
            })
        })?;
        let canonical = config.canonical_display_name(&dv.display);
        let display = if canonical.is_empty() {
            dv.display.clone()
        } else {
            canonical
        };
        let canonical = config.canonical_view_name(&display, &dv.view);
        let view = if canonical.is_empty() {
            dv.view.clone()
        } else {
            canonical
        };
        let display_cs = config.find_colorspace(&config.resolved_display_view_colorspace(&display, &view));
        let bypass = dv.data_bypass;
        let display_data = display_cs.is_none_or(|c| c.is_data);
        let mut skip = bypass && (input.is_data || display_data);
        if bypass {
            // A channel view that routes alpha into a colour channel shows data.
            if let Some(Transform::Matrix(m)) = &self.channel_view {
                if m.matrix[3] > 0.0 || m.matrix[7] > 0.0 || m.matrix[11] > 0.0 {
                    skip = true;
                }
            }
        }
        let mut current = input_name.clone();
        let mut dt_input = input;
        let mut group = GroupTransform::default();
        for (cc, role, what) in [
            (&self.linear_cc, SCENE_LINEAR, "LinearCC"),
            (&self.color_timing_cc, COLOR_TIMING, "ColorTimingCC"),
        ] {
            let Some(cc) = cc else { continue };
            if config.processor_with(context, cc, dir)?.is_noop() {
                continue;
            }
            dt_input = config.find_colorspace(role).ok_or_else(|| {
                OcioError::msg(format!(
                    "DisplayViewTransform error: {what} requires '{role}' role to be defined."
                ))
            })?;
            if !skip {
                group.children.push(
                    ColorSpaceTransform {
                        src: current.clone(),
                        dst: role.to_string(),
                        ..Default::default()
                    }
                    .into(),
                );
                current = role.to_string();
            }
            group.children.push(cc.clone());
        }
        let mut dt = dv.clone();
        dt.direction = TransformDirection::Forward;
        dt.src = current;
        let looks = if self.looks_override_enabled {
            self.looks_override.clone()
        } else if !self.original_looks_bypass && !skip {
            config
                .display_view(&display, &view)
                .map(|v| v.looks.clone())
                .unwrap_or_default()
        } else {
            String::new()
        };
        if !looks.is_empty() {
            let in_cs = dt_input.name.clone();
            let out_cs = if skip {
                in_cs.clone()
            } else {
                config.looks_result_colorspace(context, &looks)?
            };
            if !out_cs.is_empty() {
                group.children.push(
                    LookTransform {
                        src: in_cs,
                        dst: out_cs.clone(),
                        looks,
                        skip_colorspace_conversion: skip,
                        ..Default::default()
                    }
                    .into(),
                );
                dt.src = out_cs;
            }
        }
        if let Some(cv) = &self.channel_view {
            group.children.push(cv.clone());
        }
        if !skip || display_cs.is_none() {
            group.children.push(dt.into());
        }
        if let Some(cc) = &self.display_cc {
            group.children.push(cc.clone());
        }
        config.processor_with(context, &group.into(), dir)
    }
}

impl fmt::Display for LegacyViewingPipeline {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(dv) = &self.display_view {
            parts.push(format!("DisplayViewTransform: {dv}"));
        }
        for (name, t) in [
            ("LinearCC", &self.linear_cc),
            ("ColorTimingCC", &self.color_timing_cc),
            ("ChannelView", &self.channel_view),
            ("DisplayCC", &self.display_cc),
        ] {
            if let Some(t) = t {
                parts.push(format!("{name}: {t}"));
            }
        }
        if self.looks_override_enabled {
            parts.push("LooksOverrideEnabled".into());
        }
        if !self.looks_override.is_empty() {
            parts.push(format!("LooksOverride: {}", self.looks_override));
        }
        write!(f, "{}", parts.join(", "))
    }
}

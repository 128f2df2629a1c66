//! Ops between colour spaces (OCIO's BuildColorSpaceOps and its pieces):
//! each colour space to or from its reference space, and the default view
//! transform between the scene- and display-referred references.

use super::BuildContext;
use crate::config::{ColorSpace, NamedTransform};
use crate::enums::{ReferenceSpaceType, TransformDirection};
use crate::error::{OcioError, Result};
use crate::ops::Op;
use crate::transforms::{ColorSpaceTransform, Transform};

use TransformDirection::{Forward, Inverse};

impl BuildContext<'_> {
    /// A ColorSpaceTransform: either end may be a colour space (name,
    /// alias or role) or a named transform.
    pub(super) fn colorspace_transform_ops(
        &self,
        cst: &ColorSpaceTransform,
        dir: TransformDirection,
        ops: &mut Vec<Op>,
        depth: usize,
    ) -> Result<()> {
        let (src_name, dst_name) = match dir {
            Forward => (&cst.src, &cst.dst),
            Inverse => (&cst.dst, &cst.src),
        };
        let (src_name, dst_name) = (
            self.context.resolve_string_var(src_name),
            self.context.resolve_string_var(dst_name),
        );
        let cfg = self.config;
        let missing = |n: &str| OcioError::msg(format!("Color space '{n}' could not be found."));
        let end = |name: &str| -> Result<(Option<&ColorSpace>, Option<&NamedTransform>)> {
            match cfg.find_colorspace(name) {
                Some(cs) => Ok((Some(cs), None)),
                None => Ok((None, Some(cfg.named_transform(name).ok_or_else(|| missing(name))?))),
            }
        };
        let (src, src_nt) = end(&src_name)?;
        let (dst, dst_nt) = end(&dst_name)?;
        match (src, dst) {
            (Some(src), Some(dst)) => self.colorspace_ops(src, dst, cst.data_bypass, ops, depth),
            _ => {
                if let Some(t) = NamedTransform::between(src_nt, dst_nt)? {
                    self.build_at(&t, Forward, ops, depth + 1)?;
                }
                Ok(())
            }
        }
    }

    /// From one colour space to another through the reference space(s).
    pub(super) fn colorspace_ops(
        &self,
        src: &ColorSpace,
        dst: &ColorSpace,
        data_bypass: bool,
        ops: &mut Vec<Op>,
        depth: usize,
    ) -> Result<()> {
        let same_group = !src.equality_group.is_empty() && src.equality_group == dst.equality_group;
        if src.name.eq_ignore_ascii_case(&dst.name) || same_group {
            return Ok(());
        }
        if data_bypass && (src.is_data || dst.is_data) {
            return Ok(());
        }
        self.colorspace_to_reference_ops(src, data_bypass, ops, depth)?;
        self.reference_conversion_ops(src.reference_space, dst.reference_space, ops, depth)?;
        self.reference_to_colorspace_ops(dst, data_bypass, ops, depth)
    }

    /// A colour space to its reference: to_reference, else from_reference
    /// undone (neither: nothing to do).
    pub(super) fn colorspace_to_reference_ops(
        &self,
        cs: &ColorSpace,
        bypass: bool,
        ops: &mut Vec<Op>,
        depth: usize,
    ) -> Result<()> {
        self.reference_side_ops(cs, bypass, true, ops, depth)
    }

    /// The reference to a colour space: from_reference, else to_reference
    /// undone.
    pub(super) fn reference_to_colorspace_ops(
        &self,
        cs: &ColorSpace,
        bypass: bool,
        ops: &mut Vec<Op>,
        depth: usize,
    ) -> Result<()> {
        self.reference_side_ops(cs, bypass, false, ops, depth)
    }

    /// One side of a colour space's conversion (data spaces are skipped
    /// when bypassed).
    fn reference_side_ops(
        &self,
        cs: &ColorSpace,
        bypass: bool,
        to_ref: bool,
        ops: &mut Vec<Op>,
        depth: usize,
    ) -> Result<()> {
        if bypass && cs.is_data {
            return Ok(());
        }
        let (first, second) = if to_ref {
            (&cs.to_reference, &cs.from_reference)
        } else {
            (&cs.from_reference, &cs.to_reference)
        };
        self.either(first, second, ops, depth)
    }

    /// `first` forward if present, else `second` inverted.
    pub(super) fn either(
        &self,
        first: &Option<Transform>,
        second: &Option<Transform>,
        ops: &mut Vec<Op>,
        depth: usize,
    ) -> Result<()> {
        match (first, second) {
            (Some(t), _) => self.build_at(t, Forward, ops, depth + 1),
            (None, Some(t)) => self.build_at(t, Inverse, ops, depth + 1),
            (None, None) => Ok(()),
        }
    }

    /// Between the two reference spaces, through the default view transform.
    pub(super) fn reference_conversion_ops(
        &self,
        src: ReferenceSpaceType,
        dst: ReferenceSpaceType,
        ops: &mut Vec<Op>,
        depth: usize,
    ) -> Result<()> {
        if src == dst {
            return Ok(());
        }
        let vt = self.config.default_scene_to_display_view_transform().ok_or_else(|| {
            OcioError::msg(
                "There is no view transform between the main scene-referred space and the display-referred space.",
            )
        })?;
        if src == ReferenceSpaceType::Scene {
            self.either(&vt.from_reference, &vt.to_reference, ops, depth)
        } else {
            self.either(&vt.to_reference, &vt.from_reference, ops, depth)
        }
    }
}

//! Transforms to ops, in a direction (OCIO's `BuildOps`). Transforms that
//! name colour spaces or named transforms are resolved through the config
//! and its context.

use super::cdl::CdlOpData;
use super::gamma::GammaOpData;
use super::log::LogOpData;
use super::matrix::MatrixOpData;
use super::range::RangeOpData;
use super::Op;
use crate::config::{ColorSpace, Config, Context};
use crate::enums::{RangeStyle, ReferenceSpaceType, TransformDirection};
use crate::error::{OcioError, Result};
use crate::transforms::{ColorSpaceTransform, Transform};

/// What building ops may consult: the config and the context its
/// variables resolve with.
pub struct BuildContext<'a> {
    pub config: &'a Config,
    pub context: &'a Context,
}

/// Nesting deeper than this is a reference cycle (OCIO's limit).
const MAX_DEPTH: usize = 32;

impl BuildContext<'_> {
    /// Appends the ops of `t` applied in `dir` (combined with its own
    /// direction) to `ops`. Reference cycles are reported first, as OCIO's
    /// context-variable scan finds them before any op is built.
    pub fn build(&self, t: &Transform, dir: TransformDirection, ops: &mut Vec<Op>) -> Result<()> {
        self.check_cycles(t, 0)?;
        self.build_at(t, dir, ops, 0)
    }

    /// Follows every colour space and named transform a transform refers
    /// to, in both directions, failing on a cycle.
    fn check_cycles(&self, t: &Transform, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(OcioError::msg("Cycle detected while collecting context variables."));
        }
        match t {
            Transform::Group(g) => g.children.iter().try_for_each(|c| self.check_cycles(c, depth + 1)),
            Transform::ColorSpace(cst) => {
                for name in [&cst.src, &cst.dst] {
                    let name = self.context.resolve_string_var(name);
                    let refs: Vec<&Transform> = match self.config.find_colorspace(&name) {
                        Some(cs) => [&cs.to_reference, &cs.from_reference].into_iter().flatten().collect(),
                        None => match self.config.named_transform(&name) {
                            Some(nt) => [&nt.forward, &nt.inverse].into_iter().flatten().collect(),
                            None => Vec::new(),
                        },
                    };
                    for r in refs {
                        self.check_cycles(r, depth + 1)?;
                    }
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn build_at(&self, t: &Transform, dir: TransformDirection, ops: &mut Vec<Op>, depth: usize) -> Result<()> {
        if depth > MAX_DEPTH {
            return Err(OcioError::msg("Cycle detected while building ops from transform."));
        }
        t.validate()?;
        let dir = t.direction().combine(dir);
        let forward = dir == TransformDirection::Forward;
        match t {
            Transform::Matrix(m) => {
                let mut op = MatrixOpData::new(m.matrix, m.offset);
                op.metadata = m.metadata.clone();
                ops.push(Op::Matrix(if forward { op } else { op.inverse()? }));
            }
            Transform::Range(r) => {
                let op = RangeOpData {
                    min_in: r.min_in,
                    max_in: r.max_in,
                    min_out: r.min_out,
                    max_out: r.max_out,
                    metadata: r.metadata.clone(),
                };
                // The unclamped style is the forward matrix, inverted as a matrix.
                ops.push(match (r.style, forward) {
                    (RangeStyle::NoClamp, true) => Op::Matrix(op.to_matrix()?),
                    (RangeStyle::NoClamp, false) => Op::Matrix(op.to_matrix()?.inverse()?),
                    (_, true) => Op::Range(op),
                    (_, false) => Op::Range(op.inverse()),
                });
            }
            Transform::Exponent(e) => {
                let op = GammaOpData::from_exponent(e);
                ops.push(Op::Gamma(if forward { op } else { op.inverse() }));
            }
            Transform::ExponentWithLinear(e) => {
                let op = GammaOpData::from_exponent_with_linear(e);
                ops.push(Op::Gamma(if forward { op } else { op.inverse() }));
            }
            Transform::Cdl(c) => {
                let op = CdlOpData::from_transform(c);
                ops.push(Op::Cdl(if forward { op } else { op.inverse() }));
            }
            Transform::Log(l) => push_log(ops, LogOpData::from_log(l), forward),
            Transform::LogAffine(l) => push_log(ops, LogOpData::from_affine(l), forward),
            Transform::LogCamera(l) => push_log(ops, LogOpData::from_camera(l), forward),
            Transform::Group(g) => {
                let children: Box<dyn Iterator<Item = &Transform>> = if forward {
                    Box::new(g.children.iter())
                } else {
                    Box::new(g.children.iter().rev())
                };
                for c in children {
                    self.build_at(c, dir, ops, depth + 1)?;
                }
            }
            Transform::ColorSpace(cst) => self.colorspace_transform_ops(cst, dir, ops, depth)?,
            other => {
                return Err(OcioError::NotImplemented(format!(
                    "Building the ops of a {:?} transform is not implemented yet.",
                    other.kind()
                )))
            }
        }
        Ok(())
    }

    /// OCIO's BuildColorSpaceOps for a ColorSpaceTransform: either end may
    /// be a colour space (name, alias or role) or a named transform.
    fn colorspace_transform_ops(
        &self,
        cst: &ColorSpaceTransform,
        dir: TransformDirection,
        ops: &mut Vec<Op>,
        depth: usize,
    ) -> Result<()> {
        let (src_name, dst_name) = match dir {
            TransformDirection::Forward => (&cst.src, &cst.dst),
            TransformDirection::Inverse => (&cst.dst, &cst.src),
        };
        let (src_name, dst_name) = (
            self.context.resolve_string_var(src_name),
            self.context.resolve_string_var(dst_name),
        );
        let cfg = self.config;
        let src = cfg.find_colorspace(&src_name);
        let dst = cfg.find_colorspace(&dst_name);
        let missing = |n: &str| OcioError::msg(format!("Color space '{n}' could not be found."));
        let src_nt = match src {
            Some(_) => None,
            None => Some(cfg.named_transform(&src_name).ok_or_else(|| missing(&src_name))?),
        };
        let dst_nt = match dst {
            Some(_) => None,
            None => Some(cfg.named_transform(&dst_name).ok_or_else(|| missing(&dst_name))?),
        };
        if src_nt.is_some() || dst_nt.is_some() {
            if let Some(t) = crate::config::NamedTransform::between(src_nt, dst_nt)? {
                self.build_at(&t, TransformDirection::Forward, ops, depth + 1)?;
            }
            return Ok(());
        }
        let (Some(src), Some(dst)) = (src, dst) else {
            unreachable!("both ends resolved above")
        };
        self.colorspace_ops(src, dst, cst.data_bypass, ops, depth)
    }

    /// From one colour space to another through the reference space(s).
    fn colorspace_ops(
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
        let d = depth + 1;
        // To the reference space: to_reference, else from_reference undone.
        if let Some(t) = &src.to_reference {
            self.build_at(t, TransformDirection::Forward, ops, d)?;
        } else if let Some(t) = &src.from_reference {
            self.build_at(t, TransformDirection::Inverse, ops, d)?;
        }
        if src.reference_space != dst.reference_space {
            let vt = self.config.default_scene_to_display_view_transform().ok_or_else(|| {
                OcioError::msg(
                    "There is no view transform between the main scene-referred space and the display-referred space.",
                )
            })?;
            let (first, second) = if src.reference_space == ReferenceSpaceType::Scene {
                (&vt.from_reference, &vt.to_reference)
            } else {
                (&vt.to_reference, &vt.from_reference)
            };
            if let Some(t) = first {
                self.build_at(t, TransformDirection::Forward, ops, d)?;
            } else if let Some(t) = second {
                self.build_at(t, TransformDirection::Inverse, ops, d)?;
            }
        }
        if let Some(t) = &dst.from_reference {
            self.build_at(t, TransformDirection::Forward, ops, d)?;
        } else if let Some(t) = &dst.to_reference {
            self.build_at(t, TransformDirection::Inverse, ops, d)?;
        }
        Ok(())
    }
}

fn push_log(ops: &mut Vec<Op>, op: LogOpData, forward: bool) {
    ops.push(Op::Log(if forward { op } else { op.inverse() }));
}

//! Transforms to ops, in a direction (OCIO's `BuildOps`). Transforms that
//! name colour spaces or named transforms are resolved through the config
//! and its context.

use super::cdl::CdlOpData;
use super::exposure_contrast::ExposureContrastOpData;
use super::fixed_function::FixedFunctionOpData;
use super::gamma::GammaOpData;
use super::log::LogOpData;
use super::matrix::MatrixOpData;
use super::range::RangeOpData;
use super::Op;
use crate::config::{Config, Context};
use crate::enums::{RangeStyle, TransformDirection};
use crate::error::{OcioError, Result};
use crate::transforms::Transform;

/// What building ops may consult: the config and the context its
/// variables resolve with.
pub struct BuildContext<'a> {
    pub config: &'a Config,
    pub context: &'a Context,
}

mod builtins;
mod colorspace;
mod display_view;
mod look;

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

    pub(super) fn build_at(
        &self,
        t: &Transform,
        dir: TransformDirection,
        ops: &mut Vec<Op>,
        depth: usize,
    ) -> Result<()> {
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
            Transform::Builtin(b) => {
                // The style's ops forward; inverted as a list (reversed,
                // each op inverted) for the inverse direction.
                let built = builtins::builtin_ops(b.style)?;
                if forward {
                    ops.extend(built);
                } else {
                    for op in built.iter().rev() {
                        ops.push(op.inverse()?);
                    }
                }
            }
            Transform::ExposureContrast(e) => {
                let op = ExposureContrastOpData::from_transform(e);
                ops.push(Op::ExposureContrast(if forward { op } else { op.inverse() }));
            }
            Transform::FixedFunction(f) => {
                let op = FixedFunctionOpData::from_transform(f)?;
                ops.push(Op::FixedFunction(if forward { op } else { op.inverse() }));
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
            Transform::Look(lt) => self.look_transform_ops(lt, dir, ops, depth)?,
            Transform::DisplayView(dv) => self.display_view_ops(dv, dir, ops, depth)?,
            other => {
                return Err(OcioError::NotImplemented(format!(
                    "Building the ops of a {:?} transform is not implemented yet.",
                    other.kind()
                )))
            }
        }
        Ok(())
    }
}

fn push_log(ops: &mut Vec<Op>, op: LogOpData, forward: bool) {
    ops.push(Op::Log(if forward { op } else { op.inverse() }));
}

//! Transforms to ops, in a direction (OCIO's `BuildOps`).

use super::matrix::MatrixOpData;
use super::Op;
use crate::enums::TransformDirection;
use crate::error::{OcioError, Result};
use crate::transforms::Transform;

/// Appends the ops of `t` applied in `dir` (combined with its own
/// direction) to `ops`.
pub fn build_ops(t: &Transform, dir: TransformDirection, ops: &mut Vec<Op>) -> Result<()> {
    t.validate()?;
    let dir = t.direction().combine(dir);
    match t {
        Transform::Matrix(m) => {
            let op = MatrixOpData::new(m.matrix, m.offset);
            ops.push(match dir {
                TransformDirection::Forward => Op::Matrix(op),
                TransformDirection::Inverse => Op::Matrix(op.inverse()?),
            });
        }
        Transform::Group(g) => match dir {
            TransformDirection::Forward => {
                for c in &g.children {
                    build_ops(c, TransformDirection::Forward, ops)?;
                }
            }
            TransformDirection::Inverse => {
                for c in g.children.iter().rev() {
                    build_ops(c, TransformDirection::Inverse, ops)?;
                }
            }
        },
        #[allow(unreachable_patterns)]
        other => {
            return Err(OcioError::msg(format!(
                "Building the ops of a {:?} transform is not implemented yet.",
                other.kind()
            )))
        }
    }
    Ok(())
}

//! The optimizer: removes no-ops and folds consecutive matrices (what
//! OCIO's default optimization does for these ops).

use super::Op;

pub fn optimize(ops: &[Op]) -> Vec<Op> {
    let mut out: Vec<Op> = Vec::with_capacity(ops.len());
    for op in ops {
        match (out.last_mut(), op) {
            (Some(Op::Matrix(prev)), Op::Matrix(next)) => *prev = prev.then(next),
            _ => out.push(op.clone()),
        }
        if out.last().is_some_and(Op::is_noop) {
            out.pop();
        }
    }
    out
}

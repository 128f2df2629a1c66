//! Ops: what transforms turn into and processors run. One folder per op
//! family, each with `data.rs` (the parameter object OCIO calls OpData)
//! apart from `cpu.rs` (its CPU renderer).

pub mod build;
pub mod matrix;
pub mod optimize;

use crate::error::Result;
use matrix::MatrixOpData;

/// One op with its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Matrix(MatrixOpData),
}

impl Op {
    /// The op undoing this one.
    pub fn inverse(&self) -> Result<Op> {
        match self {
            Op::Matrix(m) => m.inverse().map(Op::Matrix),
        }
    }

    /// True if the op changes no value (it may still be kept when it
    /// matters for bit depths, which is not the case for any op here).
    pub fn is_noop(&self) -> bool {
        match self {
            Op::Matrix(m) => m.is_noop(),
        }
    }

    /// True if the op is an identity: no-op for every input.
    pub fn is_identity(&self) -> bool {
        self.is_noop()
    }

    /// True if an output channel depends on another input channel.
    pub fn has_channel_crosstalk(&self) -> bool {
        match self {
            Op::Matrix(m) => m.has_channel_crosstalk(),
        }
    }

    /// Applies the op in place to RGBA pixels.
    pub fn apply(&self, rgba: &mut [f32]) {
        match self {
            Op::Matrix(m) => matrix::cpu::apply(m, rgba),
        }
    }

    /// The op as a transform (`Processor.createGroupTransform`).
    pub fn to_transform(&self) -> crate::transforms::Transform {
        match self {
            Op::Matrix(m) => {
                crate::transforms::MatrixTransform::new(m.m, m.offset, crate::enums::TransformDirection::Forward).into()
            }
        }
    }

    /// A text that identifies the op's parameters (part of cache IDs).
    pub fn cache_text(&self) -> String {
        match self {
            Op::Matrix(m) => m.cache_text(),
        }
    }
}

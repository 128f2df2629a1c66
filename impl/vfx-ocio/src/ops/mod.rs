//! Ops: what transforms turn into and processors run. One folder per op
//! family, each with `data.rs` (the parameter object OCIO calls OpData)
//! apart from `cpu.rs` (its CPU renderer).

pub mod build;
pub mod cdl;
pub mod gamma;
pub mod log;
pub mod matrix;
pub mod optimize;
pub mod range;

use crate::enums::TransformDirection;
use crate::error::Result;
use crate::transforms::{MatrixTransform, RangeTransform, Transform};
use cdl::CdlOpData;
use gamma::GammaOpData;
use log::LogOpData;
use matrix::MatrixOpData;
use range::RangeOpData;

/// One op with its parameters.
#[derive(Debug, Clone, PartialEq)]
pub enum Op {
    Matrix(MatrixOpData),
    Range(RangeOpData),
    Gamma(GammaOpData),
    Log(LogOpData),
    Cdl(CdlOpData),
}

impl Op {
    /// The op undoing this one.
    pub fn inverse(&self) -> Result<Op> {
        match self {
            Op::Matrix(m) => m.inverse().map(Op::Matrix),
            Op::Range(r) => Ok(Op::Range(r.inverse())),
            Op::Gamma(g) => Ok(Op::Gamma(g.inverse())),
            Op::Log(l) => Ok(Op::Log(l.inverse())),
            Op::Cdl(c) => Ok(Op::Cdl(c.inverse())),
        }
    }

    /// True if the op changes no value (it may still be kept when it
    /// matters for bit depths, which is not the case for any op here).
    pub fn is_noop(&self) -> bool {
        match self {
            Op::Matrix(m) => m.is_noop(),
            Op::Range(r) => r.is_noop(),
            Op::Gamma(g) => g.is_noop(),
            Op::Log(_) => false,
            Op::Cdl(c) => c.is_noop(),
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
            Op::Range(_) | Op::Gamma(_) | Op::Log(_) => false,
            Op::Cdl(c) => c.has_channel_crosstalk(),
        }
    }

    /// Applies the op in place to RGBA pixels.
    pub fn apply(&self, rgba: &mut [f32]) {
        match self {
            Op::Matrix(m) => matrix::cpu::apply(m, rgba),
            Op::Range(r) => range::cpu::apply(r, rgba),
            Op::Gamma(g) => gamma::cpu::apply(g, rgba),
            Op::Log(l) => log::cpu::apply(l, rgba),
            Op::Cdl(c) => cdl::cpu::apply(c, rgba),
        }
    }

    /// The op as a transform (`Processor.createGroupTransform`).
    pub fn to_transform(&self) -> Transform {
        match self {
            Op::Matrix(m) => {
                let mut t = MatrixTransform::new(m.m, m.offset, TransformDirection::Forward);
                t.metadata = m.metadata.clone();
                t.into()
            }
            Op::Range(r) => RangeTransform {
                min_in: r.min_in,
                max_in: r.max_in,
                min_out: r.min_out,
                max_out: r.max_out,
                metadata: r.metadata.clone(),
                ..Default::default()
            }
            .into(),
            Op::Gamma(g) => g.to_transform(),
            Op::Log(l) => l.to_transform(),
            Op::Cdl(c) => c.to_transform(),
        }
    }

    /// A text that identifies the op's parameters (part of cache IDs).
    pub fn cache_text(&self) -> String {
        match self {
            Op::Matrix(m) => m.cache_text(),
            Op::Range(r) => r.cache_text(),
            Op::Gamma(g) => g.cache_text(),
            Op::Log(l) => l.cache_text(),
            Op::Cdl(c) => c.cache_text(),
        }
    }
}

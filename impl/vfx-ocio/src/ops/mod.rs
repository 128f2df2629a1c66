//! Ops: what transforms turn into and processors run. One folder per op
//! family, each with `data.rs` (the parameter object OCIO calls OpData)
//! apart from `cpu.rs` (its CPU renderer).

pub mod build;
pub mod cdl;
pub mod exposure_contrast;
pub mod fixed_function;
pub mod gamma;
pub mod log;
pub mod matrix;
pub mod optimize;
pub mod range;

use crate::enums::TransformDirection;
use crate::error::Result;
use crate::transforms::{MatrixTransform, RangeTransform, Transform};
use cdl::CdlOpData;
use exposure_contrast::ExposureContrastOpData;
use fixed_function::FixedFunctionOpData;
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
    ExposureContrast(ExposureContrastOpData),
    FixedFunction(FixedFunctionOpData),
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
            Op::ExposureContrast(e) => Ok(Op::ExposureContrast(e.inverse())),
            Op::FixedFunction(f) => Ok(Op::FixedFunction(f.inverse())),
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
            Op::ExposureContrast(e) => e.is_noop(),
            Op::FixedFunction(_) => false,
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
            Op::Range(_) | Op::Gamma(_) | Op::Log(_) | Op::ExposureContrast(_) => false,
            Op::Cdl(c) => c.has_channel_crosstalk(),
            Op::FixedFunction(f) => f.has_channel_crosstalk(),
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
            Op::ExposureContrast(e) => exposure_contrast::cpu::apply(e, rgba),
            Op::FixedFunction(f) => fixed_function::cpu::apply(f, rgba),
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
            Op::ExposureContrast(e) => e.to_transform(),
            Op::FixedFunction(f) => f.to_transform(),
        }
    }

    /// The metadata of the transform the op came from.
    pub fn metadata(&self) -> &crate::format_metadata::FormatMetadata {
        match self {
            Op::Matrix(m) => &m.metadata,
            Op::Range(r) => &r.metadata,
            Op::Gamma(g) => &g.metadata,
            Op::Log(l) => &l.metadata,
            Op::Cdl(c) => &c.metadata,
            Op::ExposureContrast(e) => &e.metadata,
            Op::FixedFunction(f) => &f.metadata,
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
            Op::ExposureContrast(e) => e.cache_text(),
            Op::FixedFunction(f) => f.cache_text(),
        }
    }
}

/// Gives each op its own dynamic values, keeping one dynamic value per
/// property: as OCIO's unifyDynamicProperties, a later op dynamic in the
/// same property becomes fixed (with a warning).
pub fn detach_and_unify(ops: &mut [Op]) {
    use exposure_contrast::data::EcProperty;
    let mut seen = [false; 3];
    for op in ops.iter_mut() {
        if let Op::ExposureContrast(e) = op {
            *e = e.detached();
            for (i, (p, name)) in [
                (EcProperty::Exposure, "Exposure"),
                (EcProperty::Contrast, "Contrast"),
                (EcProperty::Gamma, "Gamma"),
            ]
            .into_iter()
            .enumerate()
            {
                if !e.value(p).dynamic {
                    continue;
                }
                if seen[i] {
                    e.value_mut(p).dynamic = false;
                    crate::logging::warn(&format!("{name} dynamic property can only be there once."));
                }
                seen[i] = true;
            }
        }
    }
}

/// The dynamic value of a property among `ops`, if one is dynamic.
pub fn dynamic_value(ops: &[Op], p: exposure_contrast::data::EcProperty) -> Option<exposure_contrast::DynamicValue> {
    ops.iter().find_map(|op| match op {
        Op::ExposureContrast(e) if e.value(p).dynamic => Some(e.value(p).clone()),
        _ => None,
    })
}

/// True if any op has a dynamic value.
pub fn any_dynamic(ops: &[Op]) -> bool {
    ops.iter()
        .any(|op| matches!(op, Op::ExposureContrast(e) if e.is_dynamic()))
}

//! OCIO's transforms as parameter objects: one file per transform with its
//! parameters, validation and printed form. Turning them into ops lives with
//! the ops, so a transform here never depends on how it is rendered.

use std::fmt;

use crate::enums::{TransformDirection, TransformType};
use crate::error::Result;
use crate::format_metadata::FormatMetadata;

pub mod allocation;
pub mod builtin;
pub mod cdl;
pub mod colorspace;
pub mod common;
pub mod display_view;
pub mod exponent;
pub mod exponent_with_linear;
pub mod exposure_contrast;
pub mod file;
pub mod fixed_function;
pub mod grading_hue_curve;
pub mod grading_primary;
pub mod grading_rgb_curve;
pub mod grading_tone;
pub mod group;
pub mod log;
pub mod log_affine;
pub mod log_camera;
pub mod look;
pub mod lut1d;
pub mod lut3d;
pub mod matrix;
pub mod range;

pub use allocation::AllocationTransform;
pub use builtin::BuiltinTransform;
pub use cdl::CdlTransform;
pub use colorspace::ColorSpaceTransform;
pub use display_view::DisplayViewTransform;
pub use exponent::ExponentTransform;
pub use exponent_with_linear::ExponentWithLinearTransform;
pub use exposure_contrast::ExposureContrastTransform;
pub use file::FileTransform;
pub use fixed_function::FixedFunctionTransform;
pub use grading_hue_curve::GradingHueCurveTransform;
pub use grading_primary::GradingPrimaryTransform;
pub use grading_rgb_curve::GradingRgbCurveTransform;
pub use grading_tone::GradingToneTransform;
pub use group::GroupTransform;
pub use log::LogTransform;
pub use log_affine::LogAffineTransform;
pub use log_camera::LogCameraTransform;
pub use look::LookTransform;
pub use lut1d::Lut1DTransform;
pub use lut3d::Lut3DTransform;
pub use matrix::MatrixTransform;
pub use range::RangeTransform;

/// What every transform answers.
pub trait TransformData: fmt::Display + Clone {
    const KIND: TransformType;
    fn direction(&self) -> TransformDirection;
    fn set_direction(&mut self, dir: TransformDirection);
    /// OCIO's `validate()`: Ok, or the reference's message.
    fn validate(&self) -> Result<()>;
    /// The transform's metadata tree, for those that carry one.
    fn format_metadata(&self) -> Option<&FormatMetadata> {
        None
    }
    fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
        None
    }
}

/// Declares the `Transform` enum over every transform type and forwards
/// the common queries to the variant.
macro_rules! transforms {
    ($($var:ident($ty:ty)),* $(,)?) => {
        /// Any OCIO transform.
        #[derive(Debug, Clone, PartialEq)]
        pub enum Transform { $($var($ty)),* }

        impl Transform {
            pub fn kind(&self) -> TransformType {
                match self { $(Transform::$var(_) => <$ty as TransformData>::KIND),* }
            }
            pub fn direction(&self) -> TransformDirection {
                match self { $(Transform::$var(t) => t.direction()),* }
            }
            pub fn set_direction(&mut self, dir: TransformDirection) {
                match self { $(Transform::$var(t) => t.set_direction(dir)),* }
            }
            pub fn validate(&self) -> Result<()> {
                match self { $(Transform::$var(t) => t.validate()),* }
            }
            pub fn format_metadata(&self) -> Option<&FormatMetadata> {
                match self { $(Transform::$var(t) => t.format_metadata()),* }
            }
            pub fn format_metadata_mut(&mut self) -> Option<&mut FormatMetadata> {
                match self { $(Transform::$var(t) => t.format_metadata_mut()),* }
            }
        }

        impl fmt::Display for Transform {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                match self { $(Transform::$var(t) => t.fmt(f)),* }
            }
        }

        $(impl From<$ty> for Transform {
            fn from(t: $ty) -> Self {
                Transform::$var(t)
            }
        })*
    };
}

transforms! {
    Allocation(AllocationTransform),
    Builtin(BuiltinTransform),
    Cdl(CdlTransform),
    ColorSpace(ColorSpaceTransform),
    DisplayView(DisplayViewTransform),
    Exponent(ExponentTransform),
    ExponentWithLinear(ExponentWithLinearTransform),
    ExposureContrast(ExposureContrastTransform),
    File(FileTransform),
    FixedFunction(FixedFunctionTransform),
    GradingPrimary(GradingPrimaryTransform),
    GradingRgbCurve(GradingRgbCurveTransform),
    GradingHueCurve(GradingHueCurveTransform),
    GradingTone(GradingToneTransform),
    Group(GroupTransform),
    Log(LogTransform),
    LogAffine(LogAffineTransform),
    LogCamera(LogCameraTransform),
    Look(LookTransform),
    Lut1D(Lut1DTransform),
    Lut3D(Lut3DTransform),
    Matrix(MatrixTransform),
    Range(RangeTransform),
}

/// The direction check every transform's `validate()` starts with (a
/// direction is always valid in the typed model, so this only exists to
/// keep the reference's order of checks visible).
pub(crate) fn validate_direction(_dir: TransformDirection) -> Result<()> {
    Ok(())
}

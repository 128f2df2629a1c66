//! One binding file per transform class, mirroring
//! `impl/vfx-ocio/src/transforms/`.

pub mod allocation;
pub mod builtin;
pub mod cdl;
pub mod colorspace;
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

pub use group::PyGroupTransform;
pub use matrix::PyMatrixTransform;

use pyo3::prelude::*;

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<allocation::PyAllocationTransform>()?;
    m.add_class::<builtin::PyBuiltinTransform>()?;
    m.add_class::<builtin::PyBuiltinTransformRegistry>()?;
    m.add_class::<cdl::PyCDLTransform>()?;
    m.add_class::<colorspace::PyColorSpaceTransform>()?;
    m.add_class::<display_view::PyDisplayViewTransform>()?;
    m.add_class::<exponent::PyExponentTransform>()?;
    m.add_class::<exponent_with_linear::PyExponentWithLinearTransform>()?;
    m.add_class::<exposure_contrast::PyExposureContrastTransform>()?;
    m.add_class::<file::PyFileTransform>()?;
    m.add_class::<fixed_function::PyFixedFunctionTransform>()?;
    m.add_class::<grading_primary::PyGradingPrimaryTransform>()?;
    m.add_class::<grading_tone::PyGradingToneTransform>()?;
    m.add_class::<grading_rgb_curve::PyGradingRGBCurveTransform>()?;
    m.add_class::<grading_hue_curve::PyGradingHueCurveTransform>()?;
    m.add_class::<group::PyGroupTransform>()?;
    m.add_class::<log::PyLogTransform>()?;
    m.add_class::<log_affine::PyLogAffineTransform>()?;
    m.add_class::<log_camera::PyLogCameraTransform>()?;
    m.add_class::<look::PyLookTransform>()?;
    m.add_class::<lut1d::PyLut1DTransform>()?;
    m.add_class::<lut3d::PyLut3DTransform>()?;
    m.add_class::<matrix::PyMatrixTransform>()?;
    m.add_class::<range::PyRangeTransform>()?;
    Ok(())
}

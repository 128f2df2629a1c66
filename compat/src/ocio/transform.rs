//! The `Transform` base class. Every transform object holds its engine
//! parameters in the base; the subclasses (one file each under
//! `transforms/`) only add accessors. A `GroupTransform` keeps its children
//! as the Python objects it was given, so they come back identical (`is`),
//! as with the reference's shared pointers.

use std::sync::{Mutex, MutexGuard};

use pyo3::prelude::*;
use vfx_ocio::enums::{TransformDirection, TransformType};
use vfx_ocio::Transform;

use super::enums::E;
use super::errors::OcioResultExt;
use super::transforms::PyGroupTransform;
use pyo3::PyClass;

#[pyclass(
    subclass,
    frozen,
    weakref,
    name = "Transform",
    module = "PyOpenColorIO.PyOpenColorIO"
)]
pub struct PyTransform {
    inner: Mutex<Transform>,
}

impl PyTransform {
    pub fn new(t: impl Into<Transform>) -> Self {
        PyTransform {
            inner: Mutex::new(t.into()),
        }
    }

    /// The engine transform (for a group: without its children; use
    /// `to_engine` for the whole tree).
    pub fn lock(&self) -> MutexGuard<'_, Transform> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// Runs `f` on the engine parameters of a transform subclass object:
/// `with_variant!(slf, Matrix, |m| m.offset)` where `slf` is a
/// `PyRef`/`Bound` of the subclass.
macro_rules! with_variant {
    ($slf:expr, $var:ident, |$t:ident| $body:expr) => {{
        let base = $slf.as_super();
        let mut guard = base.lock();
        match &mut *guard {
            vfx_ocio::Transform::$var($t) => Ok($body),
            other => Err(pyo3::exceptions::PyTypeError::new_err(format!(
                "expected a {} transform, found {:?}",
                stringify!($var),
                other.kind()
            ))),
        }
    }};
}
pub(crate) use with_variant;

/// The whole engine transform behind a Python transform object.
pub fn to_engine(obj: &Bound<'_, PyTransform>) -> PyResult<Transform> {
    if let Ok(g) = obj.cast::<PyGroupTransform>() {
        return g.get().to_engine(obj.py(), obj.get().lock().clone());
    }
    Ok(obj.get().lock().clone())
}

/// The initializer of a transform subclass object holding `t`.
pub fn init<S: PyClass<BaseType = PyTransform>>(t: impl Into<Transform>, sub: S) -> PyClassInitializer<S> {
    PyClassInitializer::from(PyTransform::new(t)).add_subclass(sub)
}

/// A new Python object of the right subclass for an engine transform.
pub fn wrap(py: Python<'_>, t: Transform) -> PyResult<Py<PyTransform>> {
    use super::transforms::*;
    fn obj<S: PyClass<BaseType = PyTransform>>(py: Python<'_>, t: Transform, sub: S) -> PyResult<Py<PyAny>> {
        Ok(Py::new(py, init(t, sub))?.into_any())
    }
    let o = match t {
        Transform::Group(g) => PyGroupTransform::wrap(py, g)?,
        t @ Transform::Matrix(_) => obj(py, t, PyMatrixTransform)?,
        t @ Transform::Allocation(_) => obj(py, t, allocation::PyAllocationTransform)?,
        t @ Transform::Builtin(_) => obj(py, t, builtin::PyBuiltinTransform)?,
        t @ Transform::Cdl(_) => obj(py, t, cdl::PyCDLTransform)?,
        t @ Transform::ColorSpace(_) => obj(py, t, colorspace::PyColorSpaceTransform)?,
        t @ Transform::DisplayView(_) => obj(py, t, display_view::PyDisplayViewTransform)?,
        t @ Transform::Exponent(_) => obj(py, t, exponent::PyExponentTransform)?,
        t @ Transform::ExponentWithLinear(_) => obj(py, t, exponent_with_linear::PyExponentWithLinearTransform)?,
        t @ Transform::ExposureContrast(_) => obj(py, t, exposure_contrast::PyExposureContrastTransform)?,
        t @ Transform::File(_) => obj(py, t, file::PyFileTransform)?,
        t @ Transform::FixedFunction(_) => obj(py, t, fixed_function::PyFixedFunctionTransform)?,
        t @ Transform::Log(_) => obj(py, t, log::PyLogTransform)?,
        t @ Transform::LogAffine(_) => obj(py, t, log_affine::PyLogAffineTransform)?,
        t @ Transform::LogCamera(_) => obj(py, t, log_camera::PyLogCameraTransform)?,
        t @ Transform::Look(_) => obj(py, t, look::PyLookTransform)?,
        t @ Transform::Range(_) => obj(py, t, range::PyRangeTransform)?,
        t @ Transform::Lut1D(_) => obj(py, t, lut1d::PyLut1DTransform)?,
        t @ Transform::GradingPrimary(_) => obj(py, t, grading_primary::PyGradingPrimaryTransform)?,
        t @ Transform::GradingTone(_) => obj(py, t, grading_tone::PyGradingToneTransform)?,
        t @ Transform::GradingRgbCurve(_) => obj(py, t, grading_rgb_curve::PyGradingRGBCurveTransform::default())?,
        t @ Transform::GradingHueCurve(_) => obj(py, t, grading_hue_curve::PyGradingHueCurveTransform::default())?,
        t @ Transform::Lut3D(_) => obj(py, t, lut3d::PyLut3DTransform)?,
    };
    Ok(o.bind(py).cast::<PyTransform>()?.clone().unbind())
}

/// `getFormatMetadata()` for the transform subclasses that have one.
macro_rules! format_metadata_method {
    ($cls:ty) => {
        #[pyo3::pymethods]
        impl $cls {
            fn getFormatMetadata(
                slf: &pyo3::Bound<'_, Self>,
            ) -> pyo3::PyResult<$crate::ocio::format_metadata::PyFormatMetadata> {
                Ok($crate::ocio::format_metadata::of(
                    slf.cast::<$crate::ocio::transform::PyTransform>()?,
                ))
            }
        }
    };
}
pub(crate) use format_metadata_method;

#[allow(non_snake_case)]
#[pymethods]
impl PyTransform {
    /// The base class cannot be instantiated (pybind11's message).
    #[new]
    fn new_base() -> PyResult<Self> {
        Err(pyo3::exceptions::PyTypeError::new_err(
            "PyOpenColorIO.PyOpenColorIO.Transform: No constructor defined!",
        ))
    }

    fn getTransformType(slf: &Bound<'_, Self>) -> E<TransformType> {
        E(slf.get().lock().kind())
    }

    fn getDirection(slf: &Bound<'_, Self>) -> E<TransformDirection> {
        E(slf.get().lock().direction())
    }

    fn setDirection(slf: &Bound<'_, Self>, direction: E<TransformDirection>) {
        slf.get().lock().set_direction(direction.0)
    }

    fn validate(slf: &Bound<'_, Self>) -> PyResult<()> {
        to_engine(slf)?.validate().py()
    }

    /// A copy of the parameters (a group's copy shares its children, as
    /// the reference's does).
    fn __deepcopy__(slf: &Bound<'_, Self>, memo: &Bound<'_, PyAny>) -> PyResult<Py<PyTransform>> {
        let _ = memo;
        let py = slf.py();
        if let Ok(g) = slf.cast::<PyGroupTransform>() {
            return g.get().shallow_copy(py, slf.get().lock().clone());
        }
        wrap(py, slf.get().lock().clone())
    }

    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        Ok(to_engine(slf)?.to_string())
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyTransform>()
}

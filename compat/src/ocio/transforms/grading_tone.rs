//! `GradingToneTransform` over `vfx_ocio::transforms::GradingToneTransform`.
//! `getValue()` returns a copy of the values.

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::enums::{GradingStyle, TransformDirection};
use vfx_ocio::transforms::{GradingToneTransform, TransformData};

use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::grading::tone::PyGradingTone;
use crate::ocio::grading::{arg, bad_call, bind, no_overload, Flag, Overload};
use crate::ocio::transform::{format_metadata_method, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "GradingToneTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingToneTransform;

format_metadata_method!(PyGradingToneTransform);

const SIGNATURES: &[&str] = &[
    "PyOpenColorIO.PyOpenColorIO.GradingToneTransform(values: PyOpenColorIO.PyOpenColorIO.GradingTone, \
     style: PyOpenColorIO.PyOpenColorIO.GradingStyle = <GradingStyle.GRADING_LOG: 0>, dynamic: bool = False, \
     dir: PyOpenColorIO.PyOpenColorIO.TransformDirection = <TransformDirection.TRANSFORM_DIR_FORWARD: 0>)",
    "PyOpenColorIO.PyOpenColorIO.GradingToneTransform(style: PyOpenColorIO.PyOpenColorIO.GradingStyle = \
     <GradingStyle.GRADING_LOG: 0>, dynamic: bool = False, dir: PyOpenColorIO.PyOpenColorIO.TransformDirection = \
     <TransformDirection.TRANSFORM_DIR_FORWARD: 0>)",
];

#[pymethods]
impl PyGradingToneTransform {
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<PyClassInitializer<Self>> {
        let build = |values: Option<PyRef<'_, PyGradingTone>>, style: GradingStyle, dynamic: bool, dir| {
            let mut t = GradingToneTransform::new(style);
            if let Some(v) = values {
                t.set_value(v.place.get()).py()?;
            }
            t.dynamic = dynamic;
            t.direction = dir;
            t.validate().py()?;
            Ok(PyClassInitializer::from(PyTransform::new(t)).add_subclass(PyGradingToneTransform))
        };
        let with_values = Overload {
            params: &["values", "style", "dynamic", "dir"],
            required: 1,
            positional_only: false,
        };
        if let Some(a) = bind(args, kwargs, &with_values) {
            let values = a[0].as_ref().and_then(|v| v.extract::<PyRef<'_, PyGradingTone>>().ok());
            if let (Some(values), Some(style), Some(dynamic), Some(dir)) = (
                values,
                arg(&a[1], E(GradingStyle::Log)),
                arg(&a[2], Flag(false)),
                arg(&a[3], E(TransformDirection::Forward)),
            ) {
                return build(Some(values), style.0, dynamic.0, dir.0);
            }
        }
        let without = Overload {
            params: &["style", "dynamic", "dir"],
            required: 0,
            positional_only: false,
        };
        if let Some(a) = bind(args, kwargs, &without) {
            if let (Some(style), Some(dynamic), Some(dir)) = (
                arg(&a[0], E(GradingStyle::Log)),
                arg(&a[1], Flag(false)),
                arg(&a[2], E(TransformDirection::Forward)),
            ) {
                return build(None, style.0, dynamic.0, dir.0);
            }
        }
        Err(no_overload("__init__", SIGNATURES, args, kwargs))
    }

    fn getStyle(slf: PyRef<'_, Self>) -> PyResult<E<GradingStyle>> {
        with_variant!(slf, GradingTone, |t| E(t.style()))
    }

    fn setStyle(slf: PyRef<'_, Self>, style: E<GradingStyle>) -> PyResult<()> {
        with_variant!(slf, GradingTone, |t| t.set_style(style.0))
    }

    fn getValue(slf: PyRef<'_, Self>) -> PyResult<PyGradingTone> {
        let v = with_variant!(slf, GradingTone, |t| t.value().clone())?;
        Ok(PyGradingTone::owned(v))
    }

    fn setValue(slf: PyRef<'_, Self>, values: &Bound<'_, PyAny>) -> PyResult<()> {
        let Ok(values) = values.cast::<PyGradingTone>() else {
            return Err(bad_call(
                &slf,
                "setValue(self: PyOpenColorIO.PyOpenColorIO.GradingToneTransform, values: PyOpenColorIO.PyOpenColorIO.GradingTone) -> None",
                &[values],
            ));
        };
        let v = values.get().place.get();
        with_variant!(slf, GradingTone, |t| t.set_value(v))?.py()
    }

    fn isDynamic(slf: PyRef<'_, Self>) -> PyResult<bool> {
        with_variant!(slf, GradingTone, |t| t.dynamic)
    }

    fn makeDynamic(slf: PyRef<'_, Self>) -> PyResult<()> {
        with_variant!(slf, GradingTone, |t| t.dynamic = true)
    }

    fn makeNonDynamic(slf: PyRef<'_, Self>) -> PyResult<()> {
        with_variant!(slf, GradingTone, |t| t.dynamic = false)
    }
}

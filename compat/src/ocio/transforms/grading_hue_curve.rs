//! `GradingHueCurveTransform` over `vfx_ocio::transforms::GradingHueCurveTransform`.
//! `getValue()` gives the transform's own curves: edits made through them
//! are seen by the transform until `setValue`, `setSlope` or a style change
//! replaces them (as the reference's shared pointer).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::enums::{GradingStyle, HsyTransformStyle, HueCurveType, TransformDirection};
use vfx_ocio::transforms::{GradingHueCurveTransform, TransformData};

use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::grading::hue_curve::PyGradingHueCurve;
use crate::ocio::grading::{arg, bad_call, bind, float_arg, no_overload, ulong, Flag, Overload, Place, ValueView};
use crate::ocio::transform::{format_metadata_method, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "GradingHueCurveTransform", module = "PyOpenColorIO.PyOpenColorIO")]
#[derive(Default)]
pub struct PyGradingHueCurveTransform {
    /// The object `getValue()` last gave (the same one comes back while alive).
    value_view: ValueView,
}

format_metadata_method!(PyGradingHueCurveTransform);

const SIGNATURES: &[&str] = &[
    "PyOpenColorIO.PyOpenColorIO.GradingHueCurveTransform(values: PyOpenColorIO.PyOpenColorIO.GradingHueCurve, \
     style: PyOpenColorIO.PyOpenColorIO.GradingStyle = <GradingStyle.GRADING_LOG: 0>, dynamic: bool = False, \
     dir: PyOpenColorIO.PyOpenColorIO.TransformDirection = <TransformDirection.TRANSFORM_DIR_FORWARD: 0>)",
    "PyOpenColorIO.PyOpenColorIO.GradingHueCurveTransform(style: PyOpenColorIO.PyOpenColorIO.GradingStyle = \
     <GradingStyle.GRADING_LOG: 0>, dynamic: bool = False, dir: PyOpenColorIO.PyOpenColorIO.TransformDirection = \
     <TransformDirection.TRANSFORM_DIR_FORWARD: 0>)",
];

const SIG_GET_SLOPE: &str = "getSlope(self: PyOpenColorIO.PyOpenColorIO.GradingHueCurveTransform, curve: \
                             PyOpenColorIO.PyOpenColorIO.HueCurveType, index: typing.SupportsInt) -> float";
const SIG_SET_SLOPE: &str = "setSlope(self: PyOpenColorIO.PyOpenColorIO.GradingHueCurveTransform, curve: \
                             PyOpenColorIO.PyOpenColorIO.HueCurveType, index: typing.SupportsInt, \
                             slope: typing.SupportsFloat) -> None";

#[pymethods]
impl PyGradingHueCurveTransform {
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<PyClassInitializer<Self>> {
        let build = |values: Option<PyRef<'_, PyGradingHueCurve>>, style: GradingStyle, dynamic: bool, dir| {
            let mut t = GradingHueCurveTransform::new(style);
            if let Some(v) = values {
                t.set_value(&v.place.get()).py()?;
            }
            t.dynamic = dynamic;
            t.direction = dir;
            t.validate().py()?;
            Ok(PyClassInitializer::from(PyTransform::new(t)).add_subclass(PyGradingHueCurveTransform::default()))
        };
        let with_values = Overload {
            params: &["values", "style", "dynamic", "dir"],
            required: 1,
            positional_only: false,
        };
        if let Some(a) = bind(args, kwargs, &with_values) {
            let values = a[0]
                .as_ref()
                .and_then(|v| v.extract::<PyRef<'_, PyGradingHueCurve>>().ok());
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
        with_variant!(slf, GradingHueCurve, |t| E(t.style()))
    }

    fn setStyle(slf: PyRef<'_, Self>, style: E<GradingStyle>) -> PyResult<()> {
        with_variant!(slf, GradingHueCurve, |t| t.set_style(style.0))
    }

    fn getValue(slf: PyRef<'_, Self>) -> PyResult<Bound<'_, PyGradingHueCurve>> {
        let shared = with_variant!(slf, GradingHueCurve, |t| t.value().handle())?;
        slf.value_view
            .get(slf.py(), shared, |s| PyGradingHueCurve::at(Place::shared(s)))
    }

    fn setValue(slf: PyRef<'_, Self>, values: &Bound<'_, PyAny>) -> PyResult<()> {
        let Ok(values) = values.cast::<PyGradingHueCurve>() else {
            return Err(bad_call(
                &slf,
                "setValue(self: PyOpenColorIO.PyOpenColorIO.GradingHueCurveTransform, values: PyOpenColorIO.PyOpenColorIO.GradingHueCurve) -> None",
                &[values],
            ));
        };
        let v = values.get().place.get();
        with_variant!(slf, GradingHueCurve, |t| t.set_value(&v))?.py()
    }

    fn getSlope(slf: PyRef<'_, Self>, curve: &Bound<'_, PyAny>, index: &Bound<'_, PyAny>) -> PyResult<f64> {
        let (Ok(c), Some(i)) = (curve.extract::<E<HueCurveType>>(), ulong(index)) else {
            return Err(bad_call(&slf, SIG_GET_SLOPE, &[curve, index]));
        };
        let i = usize::try_from(i).unwrap_or(usize::MAX);
        Ok(with_variant!(slf, GradingHueCurve, |t| t.slope(c.0, i))?.py()?.into())
    }

    fn setSlope(
        slf: PyRef<'_, Self>,
        curve: &Bound<'_, PyAny>,
        index: &Bound<'_, PyAny>,
        slope: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let (Ok(c), Some(i), Some(v)) = (curve.extract::<E<HueCurveType>>(), ulong(index), float_arg(slope)) else {
            return Err(bad_call(&slf, SIG_SET_SLOPE, &[curve, index, slope]));
        };
        let i = usize::try_from(i).unwrap_or(usize::MAX);
        with_variant!(slf, GradingHueCurve, |t| t.set_slope(c.0, i, v))?.py()
    }

    fn slopesAreDefault(slf: PyRef<'_, Self>, curve: E<HueCurveType>) -> PyResult<bool> {
        with_variant!(slf, GradingHueCurve, |t| t.slopes_are_default(curve.0))
    }

    fn getRGBToHSY(slf: PyRef<'_, Self>) -> PyResult<E<HsyTransformStyle>> {
        with_variant!(slf, GradingHueCurve, |t| E(t.rgb_to_hsy))
    }

    fn setRGBToHSY(slf: PyRef<'_, Self>, style: E<HsyTransformStyle>) -> PyResult<()> {
        with_variant!(slf, GradingHueCurve, |t| t.rgb_to_hsy = style.0)
    }

    fn isDynamic(slf: PyRef<'_, Self>) -> PyResult<bool> {
        with_variant!(slf, GradingHueCurve, |t| t.dynamic)
    }

    fn makeDynamic(slf: PyRef<'_, Self>) -> PyResult<()> {
        with_variant!(slf, GradingHueCurve, |t| t.dynamic = true)
    }

    fn makeNonDynamic(slf: PyRef<'_, Self>) -> PyResult<()> {
        with_variant!(slf, GradingHueCurve, |t| t.dynamic = false)
    }
}

//! `DisplayViewTransform`.

use pyo3::prelude::*;
use vfx_ocio::enums::TransformDirection;
use vfx_ocio::transforms::{DisplayViewTransform, TransformData};

use crate::ocio::args::Given;
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::{init, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "DisplayViewTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyDisplayViewTransform;

#[pymethods]
impl PyDisplayViewTransform {
    #[new]
    #[pyo3(signature = (src = Given::No, display = Given::No, view = Given::No, looksBypass = Given::No,
                        dataBypass = Given::No, direction = Given::No))]
    fn new(
        src: Given<String>,
        display: Given<String>,
        view: Given<String>,
        looksBypass: Given<bool>,
        dataBypass: Given<bool>,
        direction: Given<E<TransformDirection>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let any = src.given()
            || display.given()
            || view.given()
            || looksBypass.given()
            || dataBypass.given()
            || direction.given();
        let d = DisplayViewTransform::default();
        let t = DisplayViewTransform {
            src: src.get().unwrap_or_default(),
            display: display.get().unwrap_or_default(),
            view: view.get().unwrap_or_default(),
            looks_bypass: looksBypass.get().unwrap_or(d.looks_bypass),
            data_bypass: dataBypass.get().unwrap_or(d.data_bypass),
            direction: direction.get().map_or(d.direction, |x| x.0),
        };
        if any {
            t.validate().py()?;
        }
        Ok(init(t, PyDisplayViewTransform))
    }

    fn getSrc(slf: PyRef<'_, Self>) -> PyResult<String> {
        with_variant!(slf, DisplayView, |t| t.src.clone())
    }

    fn setSrc(slf: PyRef<'_, Self>, src: &str) -> PyResult<()> {
        with_variant!(slf, DisplayView, |t| t.src = src.to_string())
    }

    fn getDisplay(slf: PyRef<'_, Self>) -> PyResult<String> {
        with_variant!(slf, DisplayView, |t| t.display.clone())
    }

    fn setDisplay(slf: PyRef<'_, Self>, display: &str) -> PyResult<()> {
        with_variant!(slf, DisplayView, |t| t.display = display.to_string())
    }

    fn getView(slf: PyRef<'_, Self>) -> PyResult<String> {
        with_variant!(slf, DisplayView, |t| t.view.clone())
    }

    fn setView(slf: PyRef<'_, Self>, view: &str) -> PyResult<()> {
        with_variant!(slf, DisplayView, |t| t.view = view.to_string())
    }

    fn getLooksBypass(slf: PyRef<'_, Self>) -> PyResult<bool> {
        with_variant!(slf, DisplayView, |t| t.looks_bypass)
    }

    fn setLooksBypass(slf: PyRef<'_, Self>, looksBypass: bool) -> PyResult<()> {
        with_variant!(slf, DisplayView, |t| t.looks_bypass = looksBypass)
    }

    fn getDataBypass(slf: PyRef<'_, Self>) -> PyResult<bool> {
        with_variant!(slf, DisplayView, |t| t.data_bypass)
    }

    fn setDataBypass(slf: PyRef<'_, Self>, dataBypass: bool) -> PyResult<()> {
        with_variant!(slf, DisplayView, |t| t.data_bypass = dataBypass)
    }
}

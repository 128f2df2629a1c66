//! `FileTransform` (its file-format registry, `getFormats` and
//! `IsFormatExtensionSupported`, comes with the LUT readers).

use pyo3::prelude::*;
use vfx_ocio::enums::{CdlStyle, Interpolation, TransformDirection};
use vfx_ocio::transforms::{FileTransform, TransformData};

use crate::ocio::args::Given;
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::{init, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "FileTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyFileTransform;

#[pymethods]
impl PyFileTransform {
    #[new]
    #[pyo3(signature = (src = Given::No, cccId = Given::No, interpolation = Given::No, direction = Given::No))]
    fn new(
        src: Given<String>,
        cccId: Given<String>,
        interpolation: Given<E<Interpolation>>,
        direction: Given<E<TransformDirection>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let any = src.given() || cccId.given() || interpolation.given() || direction.given();
        let mut t = FileTransform {
            src: src.get().unwrap_or_default(),
            ccc_id: cccId.get().unwrap_or_default(),
            ..Default::default()
        };
        if let Some(i) = interpolation.get() {
            t.interpolation = i.0;
        }
        if let Some(d) = direction.get() {
            t.direction = d.0;
        }
        if any {
            t.validate().py()?;
        }
        Ok(init(t, PyFileTransform))
    }

    fn getSrc(slf: PyRef<'_, Self>) -> PyResult<String> {
        with_variant!(slf, File, |t| t.src.clone())
    }

    fn setSrc(slf: PyRef<'_, Self>, src: &str) -> PyResult<()> {
        with_variant!(slf, File, |t| t.src = src.to_string())
    }

    fn getCCCId(slf: PyRef<'_, Self>) -> PyResult<String> {
        with_variant!(slf, File, |t| t.ccc_id.clone())
    }

    fn setCCCId(slf: PyRef<'_, Self>, cccId: &str) -> PyResult<()> {
        with_variant!(slf, File, |t| t.ccc_id = cccId.to_string())
    }

    fn getCDLStyle(slf: PyRef<'_, Self>) -> PyResult<E<CdlStyle>> {
        with_variant!(slf, File, |t| E(t.cdl_style))
    }

    fn setCDLStyle(slf: PyRef<'_, Self>, style: E<CdlStyle>) -> PyResult<()> {
        with_variant!(slf, File, |t| t.cdl_style = style.0)
    }

    fn getInterpolation(slf: PyRef<'_, Self>) -> PyResult<E<Interpolation>> {
        with_variant!(slf, File, |t| E(t.interpolation))
    }

    fn setInterpolation(slf: PyRef<'_, Self>, interpolation: E<Interpolation>) -> PyResult<()> {
        with_variant!(slf, File, |t| t.interpolation = interpolation.0)
    }
}

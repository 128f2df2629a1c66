//! `ExposureContrastTransform`.

use pyo3::prelude::*;
use vfx_ocio::enums::{ExposureContrastStyle, TransformDirection};
use vfx_ocio::transforms::{ExposureContrastTransform, TransformData};

use crate::ocio::args::Given;
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::{format_metadata_method, init, with_variant, PyTransform};

#[pyclass(
    extends = PyTransform,
    frozen,
    name = "ExposureContrastTransform",
    module = "PyOpenColorIO.PyOpenColorIO"
)]
pub struct PyExposureContrastTransform;

format_metadata_method!(PyExposureContrastTransform);

/// get/set for a number, and is/make/makeNon for a dynamic flag.
macro_rules! ec_value {
    ($field:ident, $get:ident, $set:ident) => {
        #[pymethods]
        impl PyExposureContrastTransform {
            fn $get(slf: PyRef<'_, Self>) -> PyResult<f64> {
                with_variant!(slf, ExposureContrast, |t| t.$field)
            }
            fn $set(slf: PyRef<'_, Self>, value: f64) -> PyResult<()> {
                with_variant!(slf, ExposureContrast, |t| t.$field = value)
            }
        }
    };
}
macro_rules! ec_dynamic {
    ($field:ident, $is:ident, $make:ident, $make_non:ident) => {
        #[pymethods]
        impl PyExposureContrastTransform {
            fn $is(slf: PyRef<'_, Self>) -> PyResult<bool> {
                with_variant!(slf, ExposureContrast, |t| t.$field)
            }
            fn $make(slf: PyRef<'_, Self>) -> PyResult<()> {
                with_variant!(slf, ExposureContrast, |t| t.$field = true)
            }
            fn $make_non(slf: PyRef<'_, Self>) -> PyResult<()> {
                with_variant!(slf, ExposureContrast, |t| t.$field = false)
            }
        }
    };
}

ec_value!(exposure, getExposure, setExposure);
ec_value!(contrast, getContrast, setContrast);
ec_value!(gamma, getGamma, setGamma);
ec_value!(pivot, getPivot, setPivot);
ec_value!(log_exposure_step, getLogExposureStep, setLogExposureStep);
ec_value!(log_mid_gray, getLogMidGray, setLogMidGray);
ec_dynamic!(
    exposure_dynamic,
    isExposureDynamic,
    makeExposureDynamic,
    makeExposureNonDynamic
);
ec_dynamic!(
    contrast_dynamic,
    isContrastDynamic,
    makeContrastDynamic,
    makeContrastNonDynamic
);
ec_dynamic!(gamma_dynamic, isGammaDynamic, makeGammaDynamic, makeGammaNonDynamic);

#[pymethods]
impl PyExposureContrastTransform {
    #[new]
    #[pyo3(signature = (style = Given::No, exposure = Given::No, contrast = Given::No, gamma = Given::No,
                        pivot = Given::No, logExposureStep = Given::No, logMidGray = Given::No,
                        dynamicExposure = Given::No, dynamicContrast = Given::No, dynamicGamma = Given::No,
                        direction = Given::No))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        style: Given<E<ExposureContrastStyle>>,
        exposure: Given<f64>,
        contrast: Given<f64>,
        gamma: Given<f64>,
        pivot: Given<f64>,
        logExposureStep: Given<f64>,
        logMidGray: Given<f64>,
        dynamicExposure: Given<bool>,
        dynamicContrast: Given<bool>,
        dynamicGamma: Given<bool>,
        direction: Given<E<TransformDirection>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let any = style.given()
            || exposure.given()
            || contrast.given()
            || gamma.given()
            || pivot.given()
            || logExposureStep.given()
            || logMidGray.given()
            || dynamicExposure.given()
            || dynamicContrast.given()
            || dynamicGamma.given()
            || direction.given();
        let d = ExposureContrastTransform::default();
        let t = ExposureContrastTransform {
            style: style.get().map_or(d.style, |s| s.0),
            exposure: exposure.get().unwrap_or(d.exposure),
            contrast: contrast.get().unwrap_or(d.contrast),
            gamma: gamma.get().unwrap_or(d.gamma),
            pivot: pivot.get().unwrap_or(d.pivot),
            log_exposure_step: logExposureStep.get().unwrap_or(d.log_exposure_step),
            log_mid_gray: logMidGray.get().unwrap_or(d.log_mid_gray),
            exposure_dynamic: dynamicExposure.get().unwrap_or(false),
            contrast_dynamic: dynamicContrast.get().unwrap_or(false),
            gamma_dynamic: dynamicGamma.get().unwrap_or(false),
            direction: direction.get().map_or(d.direction, |x| x.0),
            metadata: d.metadata,
        };
        if any {
            t.validate().py()?;
        }
        Ok(init(t, PyExposureContrastTransform))
    }

    fn getStyle(slf: PyRef<'_, Self>) -> PyResult<E<ExposureContrastStyle>> {
        with_variant!(slf, ExposureContrast, |t| E(t.style))
    }

    fn setStyle(slf: PyRef<'_, Self>, style: E<ExposureContrastStyle>) -> PyResult<()> {
        with_variant!(slf, ExposureContrast, |t| t.style = style.0)
    }

    fn equals(slf: PyRef<'_, Self>, other: PyRef<'_, Self>) -> PyResult<bool> {
        let a = with_variant!(slf, ExposureContrast, |t| t.clone())?;
        with_variant!(other, ExposureContrast, |t| a.equals(t))
    }
}

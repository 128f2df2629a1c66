//! `Lut1DTransform` (numpy float32 access to the values).

use numpy::{PyArray1, PyArrayDyn, PyArrayMethods, PyUntypedArray, PyUntypedArrayMethods};
use pyo3::exceptions::{PyRuntimeError, PyTypeError};
use pyo3::prelude::*;
use vfx_ocio::enums::{BitDepth, Interpolation, Lut1DHueAdjust, TransformDirection};
use vfx_ocio::transforms::lut1d::check_length;
use vfx_ocio::transforms::{Lut1DTransform, TransformData};

use crate::ocio::args::Given;
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::{format_metadata_method, init, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "Lut1DTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyLut1DTransform;

format_metadata_method!(PyLut1DTransform);

/// The values of a C-contiguous float32 numpy array, a multiple of three.
pub fn rgb_buffer(data: &Bound<'_, PyAny>) -> PyResult<Vec<f32>> {
    let arr = data.cast::<PyUntypedArray>().map_err(|_| {
        PyTypeError::new_err("setData(): incompatible function arguments: expected a buffer of float32")
    })?;
    let Ok(a) = arr.cast::<PyArrayDyn<f32>>() else {
        return Err(PyRuntimeError::new_err(format!(
            "Incompatible buffer format: expected float32, but received {}",
            arr.dtype()
        )));
    };
    if a.len() % 3 != 0 {
        return Err(PyRuntimeError::new_err(format!(
            "Incompatible buffer dimensions: expected size to be divisible by 3, but received {} entries",
            a.len()
        )));
    }
    Ok(a.to_vec()?)
}

#[pymethods]
impl PyLut1DTransform {
    #[new]
    #[pyo3(signature = (length = Given::No, inputHalfDomain = Given::No, outputRawHalfs = Given::No,
                        fileOutputBitDepth = Given::No, hueAdjust = Given::No, interpolation = Given::No,
                        direction = Given::No))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        length: Given<usize>,
        inputHalfDomain: Given<bool>,
        outputRawHalfs: Given<bool>,
        fileOutputBitDepth: Given<E<BitDepth>>,
        hueAdjust: Given<E<Lut1DHueAdjust>>,
        interpolation: Given<E<Interpolation>>,
        direction: Given<E<TransformDirection>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let any = length.given() || inputHalfDomain.given() || direction.given();
        let half = inputHalfDomain.get().unwrap_or(false);
        let mut t = Lut1DTransform::with_length(length.get().unwrap_or(2), half).py()?;
        t.output_raw_halfs = outputRawHalfs.get().unwrap_or(false);
        if let Some(d) = fileOutputBitDepth.get() {
            t.file_out_depth = d.0;
        }
        if let Some(h) = hueAdjust.get() {
            t.set_hue_adjust(h.0).py()?;
        }
        if let Some(i) = interpolation.get() {
            t.interpolation = i.0;
        }
        if let Some(d) = direction.get() {
            t.direction = d.0;
        }
        if any {
            t.validate().py()?;
        }
        Ok(init(t, PyLut1DTransform))
    }

    fn getLength(slf: PyRef<'_, Self>) -> PyResult<usize> {
        with_variant!(slf, Lut1D, |t| t.length())
    }

    fn setLength(slf: PyRef<'_, Self>, length: usize) -> PyResult<()> {
        with_variant!(slf, Lut1D, |t| t.set_length(length))?.py()
    }

    fn getValue(slf: PyRef<'_, Self>, index: usize) -> PyResult<(f32, f32, f32)> {
        let v = with_variant!(slf, Lut1D, |t| t.value(index))?.py()?;
        Ok((v[0], v[1], v[2]))
    }

    fn setValue(slf: PyRef<'_, Self>, index: usize, r: f32, g: f32, b: f32) -> PyResult<()> {
        with_variant!(slf, Lut1D, |t| t.set_value(index, [r, g, b]))?.py()
    }

    fn getData<'py>(slf: PyRef<'py, Self>) -> PyResult<Bound<'py, PyArray1<f32>>> {
        let py = slf.py();
        let v = with_variant!(slf, Lut1D, |t| t.values.clone())?;
        Ok(PyArray1::from_vec(py, v))
    }

    /// Replaces the values (the length follows the data).
    fn setData(slf: PyRef<'_, Self>, data: &Bound<'_, PyAny>) -> PyResult<()> {
        let v = rgb_buffer(data)?;
        check_length(v.len() / 3).py()?;
        with_variant!(slf, Lut1D, |t| t.values = v)
    }

    fn getInputHalfDomain(slf: PyRef<'_, Self>) -> PyResult<bool> {
        with_variant!(slf, Lut1D, |t| t.input_half_domain)
    }

    fn setInputHalfDomain(slf: PyRef<'_, Self>, isHalfDomain: bool) -> PyResult<()> {
        with_variant!(slf, Lut1D, |t| t.input_half_domain = isHalfDomain)
    }

    fn getOutputRawHalfs(slf: PyRef<'_, Self>) -> PyResult<bool> {
        with_variant!(slf, Lut1D, |t| t.output_raw_halfs)
    }

    fn setOutputRawHalfs(slf: PyRef<'_, Self>, isRawHalfs: bool) -> PyResult<()> {
        with_variant!(slf, Lut1D, |t| t.output_raw_halfs = isRawHalfs)
    }

    fn getHueAdjust(slf: PyRef<'_, Self>) -> PyResult<E<Lut1DHueAdjust>> {
        with_variant!(slf, Lut1D, |t| E(t.hue_adjust))
    }

    fn setHueAdjust(slf: PyRef<'_, Self>, hueAdjust: E<Lut1DHueAdjust>) -> PyResult<()> {
        with_variant!(slf, Lut1D, |t| t.set_hue_adjust(hueAdjust.0))?.py()
    }

    fn getInterpolation(slf: PyRef<'_, Self>) -> PyResult<E<Interpolation>> {
        with_variant!(slf, Lut1D, |t| E(t.interpolation))
    }

    fn setInterpolation(slf: PyRef<'_, Self>, algo: E<Interpolation>) -> PyResult<()> {
        with_variant!(slf, Lut1D, |t| t.interpolation = algo.0)
    }

    fn getFileOutputBitDepth(slf: PyRef<'_, Self>) -> PyResult<E<BitDepth>> {
        with_variant!(slf, Lut1D, |t| E(t.file_out_depth))
    }

    fn setFileOutputBitDepth(slf: PyRef<'_, Self>, bitDepth: E<BitDepth>) -> PyResult<()> {
        with_variant!(slf, Lut1D, |t| t.file_out_depth = bitDepth.0)
    }

    fn equals(slf: PyRef<'_, Self>, other: PyRef<'_, Self>) -> PyResult<bool> {
        let a = with_variant!(slf, Lut1D, |t| t.clone())?;
        with_variant!(other, Lut1D, |t| a.equals(t))
    }
}

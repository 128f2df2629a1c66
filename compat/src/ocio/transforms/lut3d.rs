//! `Lut3DTransform` (numpy float32 access to the grid).

use numpy::PyArray1;
use pyo3::exceptions::PyRuntimeError;
use pyo3::prelude::*;
use vfx_ocio::enums::{BitDepth, Interpolation, TransformDirection};
use vfx_ocio::transforms::lut3d::check_grid;
use vfx_ocio::transforms::{Lut3DTransform, TransformData};

use super::lut1d::rgb_buffer;
use crate::ocio::args::Given;
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::{format_metadata_method, init, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "Lut3DTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyLut3DTransform;

format_metadata_method!(PyLut3DTransform);

#[pymethods]
impl PyLut3DTransform {
    #[new]
    #[pyo3(signature = (gridSize = Given::No, fileOutputBitDepth = Given::No, interpolation = Given::No,
                        direction = Given::No))]
    fn new(
        gridSize: Given<usize>,
        fileOutputBitDepth: Given<E<BitDepth>>,
        interpolation: Given<E<Interpolation>>,
        direction: Given<E<TransformDirection>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let any = gridSize.given() || fileOutputBitDepth.given() || interpolation.given() || direction.given();
        let mut t = Lut3DTransform::with_grid(gridSize.get().unwrap_or(2)).py()?;
        if let Some(d) = fileOutputBitDepth.get() {
            t.file_out_depth = d.0;
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
        Ok(init(t, PyLut3DTransform))
    }

    fn getGridSize(slf: PyRef<'_, Self>) -> PyResult<usize> {
        with_variant!(slf, Lut3D, |t| t.grid_size)
    }

    fn setGridSize(slf: PyRef<'_, Self>, gridSize: usize) -> PyResult<()> {
        with_variant!(slf, Lut3D, |t| t.set_grid_size(gridSize))?.py()
    }

    fn getValue(slf: PyRef<'_, Self>, indexR: usize, indexG: usize, indexB: usize) -> PyResult<(f32, f32, f32)> {
        let v = with_variant!(slf, Lut3D, |t| t.value(indexR, indexG, indexB))?.py()?;
        Ok((v[0], v[1], v[2]))
    }

    #[allow(clippy::too_many_arguments)]
    fn setValue(
        slf: PyRef<'_, Self>,
        indexR: usize,
        indexG: usize,
        indexB: usize,
        r: f32,
        g: f32,
        b: f32,
    ) -> PyResult<()> {
        with_variant!(slf, Lut3D, |t| t.set_value(indexR, indexG, indexB, [r, g, b]))?.py()
    }

    fn getData<'py>(slf: PyRef<'py, Self>) -> PyResult<Bound<'py, PyArray1<f32>>> {
        let py = slf.py();
        let v = with_variant!(slf, Lut3D, |t| t.values.clone())?;
        Ok(PyArray1::from_vec(py, v))
    }

    /// Replaces the grid (its size follows the data: a cube of RGB triples).
    fn setData(slf: PyRef<'_, Self>, data: &Bound<'_, PyAny>) -> PyResult<()> {
        let v = rgb_buffer(data)?;
        let entries = v.len() / 3;
        let n = (entries as f64).cbrt().round() as usize;
        if n * n * n != entries {
            return Err(PyRuntimeError::new_err(format!(
                "Incompatible buffer dimensions: failed to calculate grid size from shape ({})",
                v.len()
            )));
        }
        check_grid(n).py()?;
        with_variant!(slf, Lut3D, |t| {
            t.grid_size = n;
            t.values = v;
        })
    }

    fn getInterpolation(slf: PyRef<'_, Self>) -> PyResult<E<Interpolation>> {
        with_variant!(slf, Lut3D, |t| E(t.interpolation))
    }

    fn setInterpolation(slf: PyRef<'_, Self>, algo: E<Interpolation>) -> PyResult<()> {
        with_variant!(slf, Lut3D, |t| t.interpolation = algo.0)
    }

    fn getFileOutputBitDepth(slf: PyRef<'_, Self>) -> PyResult<E<BitDepth>> {
        with_variant!(slf, Lut3D, |t| E(t.file_out_depth))
    }

    fn setFileOutputBitDepth(slf: PyRef<'_, Self>, bitDepth: E<BitDepth>) -> PyResult<()> {
        with_variant!(slf, Lut3D, |t| t.file_out_depth = bitDepth.0)
    }

    fn equals(slf: PyRef<'_, Self>, other: PyRef<'_, Self>) -> PyResult<bool> {
        let a = with_variant!(slf, Lut3D, |t| t.clone())?;
        with_variant!(other, Lut3D, |t| a.equals(t))
    }
}

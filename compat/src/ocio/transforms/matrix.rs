//! `MatrixTransform` over `vfx_ocio::transforms::MatrixTransform`.

use pyo3::prelude::*;
use vfx_ocio::enums::{BitDepth, TransformDirection};
use vfx_ocio::transforms::matrix::{MatrixOffset, IDENTITY};
use vfx_ocio::transforms::{MatrixTransform, TransformData};

use crate::ocio::args::fixed;
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::{with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "MatrixTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyMatrixTransform;

fn new_obj(py: Python<'_>, (matrix, offset): MatrixOffset) -> PyResult<Py<PyMatrixTransform>> {
    let t = MatrixTransform::new(matrix, offset, TransformDirection::Forward);
    Py::new(
        py,
        PyClassInitializer::from(PyTransform::new(t)).add_subclass(PyMatrixTransform),
    )
}

crate::ocio::transform::format_metadata_method!(PyMatrixTransform);

#[allow(non_snake_case)]
#[pymethods]
impl PyMatrixTransform {
    #[new]
    #[pyo3(signature = (matrix = IDENTITY.to_vec(), offset = vec![0.0; 4], direction = E(TransformDirection::Forward)))]
    fn new(matrix: Vec<f64>, offset: Vec<f64>, direction: E<TransformDirection>) -> PyResult<PyClassInitializer<Self>> {
        let t = MatrixTransform::new(fixed(matrix, "matrix")?, fixed(offset, "offset")?, direction.0);
        // The reference validates what its constructors build.
        t.validate().py()?;
        Ok(PyClassInitializer::from(PyTransform::new(t)).add_subclass(PyMatrixTransform))
    }

    fn getMatrix(slf: PyRef<'_, Self>) -> PyResult<Vec<f64>> {
        with_variant!(slf, Matrix, |m| m.matrix.to_vec())
    }

    fn setMatrix(slf: PyRef<'_, Self>, matrix: Vec<f64>) -> PyResult<()> {
        let v = fixed(matrix, "matrix")?;
        with_variant!(slf, Matrix, |m| m.matrix = v)
    }

    fn getOffset(slf: PyRef<'_, Self>) -> PyResult<Vec<f64>> {
        with_variant!(slf, Matrix, |m| m.offset.to_vec())
    }

    fn setOffset(slf: PyRef<'_, Self>, offset: Vec<f64>) -> PyResult<()> {
        let v = fixed(offset, "offset")?;
        with_variant!(slf, Matrix, |m| m.offset = v)
    }

    fn getFileInputBitDepth(slf: PyRef<'_, Self>) -> PyResult<E<BitDepth>> {
        with_variant!(slf, Matrix, |m| E(m.file_in_depth))
    }

    fn setFileInputBitDepth(slf: PyRef<'_, Self>, bitDepth: E<BitDepth>) -> PyResult<()> {
        with_variant!(slf, Matrix, |m| m.file_in_depth = bitDepth.0)
    }

    fn getFileOutputBitDepth(slf: PyRef<'_, Self>) -> PyResult<E<BitDepth>> {
        with_variant!(slf, Matrix, |m| E(m.file_out_depth))
    }

    fn setFileOutputBitDepth(slf: PyRef<'_, Self>, bitDepth: E<BitDepth>) -> PyResult<()> {
        with_variant!(slf, Matrix, |m| m.file_out_depth = bitDepth.0)
    }

    fn equals(slf: PyRef<'_, Self>, other: PyRef<'_, Self>) -> PyResult<bool> {
        let a = with_variant!(slf, Matrix, |m| m.clone())?;
        let b = with_variant!(other, Matrix, |m| m.clone())?;
        Ok(a.equals(&b))
    }

    #[staticmethod]
    #[pyo3(signature = (oldMin = vec![0.0; 4], oldMax = vec![1.0; 4], newMin = vec![0.0; 4], newMax = vec![1.0; 4]))]
    fn Fit(
        py: Python<'_>,
        oldMin: Vec<f64>,
        oldMax: Vec<f64>,
        newMin: Vec<f64>,
        newMax: Vec<f64>,
    ) -> PyResult<Py<PyMatrixTransform>> {
        let mo = MatrixTransform::fit(
            fixed(oldMin, "oldMin")?,
            fixed(oldMax, "oldMax")?,
            fixed(newMin, "newMin")?,
            fixed(newMax, "newMax")?,
        )
        .py()?;
        new_obj(py, mo)
    }

    #[staticmethod]
    fn Identity(py: Python<'_>) -> PyResult<Py<PyMatrixTransform>> {
        new_obj(py, MatrixTransform::identity())
    }

    #[staticmethod]
    fn Sat(py: Python<'_>, sat: f64, lumaCoef: Vec<f64>) -> PyResult<Py<PyMatrixTransform>> {
        new_obj(py, MatrixTransform::sat(sat, fixed(lumaCoef, "lumaCoef")?))
    }

    #[staticmethod]
    fn Scale(py: Python<'_>, scale: Vec<f64>) -> PyResult<Py<PyMatrixTransform>> {
        new_obj(py, MatrixTransform::scale(fixed(scale, "scale")?))
    }

    #[staticmethod]
    fn View(py: Python<'_>, channelHot: Vec<i64>, lumaCoef: Vec<f64>) -> PyResult<Py<PyMatrixTransform>> {
        new_obj(
            py,
            MatrixTransform::view(fixed(channelHot, "channelHot")?, fixed(lumaCoef, "lumaCoef")?),
        )
    }
}

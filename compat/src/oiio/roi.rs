//! `OpenImageIO.ROI` over `vfx_core::Roi`, and the module's ROI functions.

use super::imagespec::PyImageSpec;
use super::values::int_arg;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::PyTuple;
use vfx_core::Roi;

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pyclass)]
#[pyclass(name = "ROI", module = "OpenImageIO.OpenImageIO", from_py_object)]
#[derive(Clone)]
pub struct PyRoi {
    pub inner: Roi,
}

impl From<Roi> for PyRoi {
    fn from(inner: Roi) -> Self {
        PyRoi { inner }
    }
}

macro_rules! roi_fields {
    ($($get:ident, $set:ident);* $(;)?) => {
        #[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pymethods)]
        #[pymethods]
        impl PyRoi {
            $(
                #[getter]
                fn $get(&self) -> i32 { self.inner.$get }
                #[setter]
                fn $set(&mut self, v: i32) { self.inner.$get = v; }
            )*
        }
    };
}

roi_fields!(
    xbegin, set_xbegin; xend, set_xend; ybegin, set_ybegin; yend, set_yend;
    zbegin, set_zbegin; zend, set_zend; chbegin, set_chbegin; chend, set_chend;
);

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pymethods)]
#[pymethods]
impl PyRoi {
    #[getter]
    fn defined(&self) -> bool {
        self.inner.defined()
    }
    #[getter]
    fn width(&self) -> i32 {
        self.inner.width()
    }
    #[getter]
    fn height(&self) -> i32 {
        self.inner.height()
    }
    #[getter]
    fn depth(&self) -> i32 {
        self.inner.depth()
    }
    #[getter]
    fn nchannels(&self) -> i32 {
        self.inner.nchannels()
    }
    #[getter]
    fn npixels(&self) -> u64 {
        self.inner.npixels()
    }

    fn copy(&self) -> PyRoi {
        self.clone()
    }

    fn __str__(&self) -> String {
        self.inner.to_string()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        cmp(self, other, true)
    }
    fn __ne__(&self, other: &Bound<'_, PyAny>) -> PyResult<Py<PyAny>> {
        cmp(self, other, false)
    }
    fn __hash__(slf: &Bound<'_, Self>) -> isize {
        // The reference keeps identity hashing.
        slf.as_ptr() as isize >> 4
    }
}

fn cmp(a: &PyRoi, other: &Bound<'_, PyAny>, eq: bool) -> PyResult<Py<PyAny>> {
    let py = other.py();
    Ok(match other.cast::<PyRoi>() {
        Ok(b) => ((a.inner == b.borrow().inner) == eq)
            .into_pyobject(py)?
            .to_owned()
            .into_any()
            .unbind(),
        Err(_) => py.NotImplemented(),
    })
}

#[cfg_attr(
    feature = "stubgen",
    pyo3_stub_gen::derive::gen_stub_pyfunction(module = "OpenImageIO.OpenImageIO")
)]
#[pyfunction]
fn union(a: PyRoi, b: PyRoi) -> PyRoi {
    a.inner.union(&b.inner).into()
}

#[cfg_attr(
    feature = "stubgen",
    pyo3_stub_gen::derive::gen_stub_pyfunction(module = "OpenImageIO.OpenImageIO")
)]
#[pyfunction]
fn intersection(a: PyRoi, b: PyRoi) -> PyRoi {
    a.inner.intersection(&b.inner).into()
}

#[cfg_attr(
    feature = "stubgen",
    pyo3_stub_gen::derive::gen_stub_pyfunction(module = "OpenImageIO.OpenImageIO")
)]
#[pyfunction]
fn get_roi(spec: PyRef<'_, PyImageSpec>) -> PyRoi {
    spec.r().roi().into()
}

#[cfg_attr(
    feature = "stubgen",
    pyo3_stub_gen::derive::gen_stub_pyfunction(module = "OpenImageIO.OpenImageIO")
)]
#[pyfunction]
fn get_roi_full(spec: PyRef<'_, PyImageSpec>) -> PyRoi {
    spec.r().roi_full().into()
}

#[cfg_attr(
    feature = "stubgen",
    pyo3_stub_gen::derive::gen_stub_pyfunction(module = "OpenImageIO.OpenImageIO")
)]
#[pyfunction]
fn set_roi(mut spec: PyRefMut<'_, PyImageSpec>, roi: PyRoi) {
    spec.m().set_roi(&roi.inner)
}

#[cfg_attr(
    feature = "stubgen",
    pyo3_stub_gen::derive::gen_stub_pyfunction(module = "OpenImageIO.OpenImageIO")
)]
#[pyfunction]
fn set_roi_full(mut spec: PyRefMut<'_, PyImageSpec>, roi: PyRoi) {
    spec.m().set_roi_full(&roi.inner)
}

/// `ROI.All`: a descriptor handing out a fresh undefined ROI on every access,
/// as the reference's static property does (so mutating it is harmless).
#[pyclass(name = "_RoiAll", module = "OpenImageIO.OpenImageIO")]
struct RoiAll;

#[pymethods]
impl RoiAll {
    fn __get__(&self, _obj: Option<&Bound<'_, PyAny>>, _owner: Option<&Bound<'_, PyAny>>) -> PyRoi {
        Roi::ALL.into()
    }
}

/// Entry points taking `*args` (overloads): their stubs are written by hand
/// in stubgen.rs, so this block is not annotated for stub generation.
#[pymethods]
impl PyRoi {
    /// ROI(), ROI(xb,xe,yb,ye), ROI(xb,xe,yb,ye,zb,ze), ROI(...8 ints), ROI(other).
    #[new]
    #[pyo3(signature = (*args))]
    fn py_new(args: &Bound<'_, PyTuple>) -> PyResult<Self> {
        if args.len() == 1 {
            if let Ok(r) = args.get_item(0)?.cast::<PyRoi>() {
                return Ok(r.borrow().clone());
            }
        }
        let v: Vec<i32> = match args.len() {
            0 | 4 | 6 | 8 => args.iter().map(|a| int_arg::<i32>(&a)).collect::<PyResult<_>>()?,
            _ => return Err(PyTypeError::new_err("ROI() takes 0, 4, 6 or 8 integers, or an ROI")),
        };
        let inner = match v.len() {
            0 => Roi::ALL,
            4 => Roi::new(v[0], v[1], v[2], v[3], 0, 1, 0, Roi::CH_ALL),
            6 => Roi::new(v[0], v[1], v[2], v[3], v[4], v[5], 0, Roi::CH_ALL),
            _ => Roi::new(v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]),
        };
        Ok(PyRoi { inner })
    }

    /// contains(x, y, z=0, ch=0) or contains(other_roi).
    #[pyo3(signature = (x = None, y = None, z = 0, ch = 0, other = None))]
    fn contains(
        &self,
        x: Option<&Bound<'_, PyAny>>,
        y: Option<i32>,
        z: i32,
        ch: i32,
        other: Option<PyRoi>,
    ) -> PyResult<bool> {
        if let Some(o) = other {
            return Ok(self.inner.contains_roi(&o.inner));
        }
        match (x, y) {
            (Some(r), None) if r.cast::<PyRoi>().is_ok() => {
                Ok(self.inner.contains_roi(&r.cast::<PyRoi>()?.borrow().inner))
            }
            (Some(x), Some(y)) => Ok(self.inner.contains(x.extract()?, y, z, ch)),
            _ => Err(PyTypeError::new_err(
                "contains() takes (x, y, z=0, ch=0) or (other: ROI)",
            )),
        }
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyRoi>()?;
    m.getattr("ROI")?.setattr("All", Bound::new(m.py(), RoiAll)?)?;
    m.add_function(wrap_pyfunction!(union, m)?)?;
    m.add_function(wrap_pyfunction!(intersection, m)?)?;
    m.add_function(wrap_pyfunction!(get_roi, m)?)?;
    m.add_function(wrap_pyfunction!(get_roi_full, m)?)?;
    m.add_function(wrap_pyfunction!(set_roi, m)?)?;
    m.add_function(wrap_pyfunction!(set_roi_full, m)?)?;
    Ok(())
}

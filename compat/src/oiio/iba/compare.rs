//! Bindings of the analysis/comparison family (vfx-iba compare) and the
//! result classes it uses, `PixelStats` and `CompareResults`.

use super::{Ctx, Forms, Op, Out};
use crate::oiio::roi::PyRoi;
use pyo3::exceptions::{PyAttributeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyString, PyTuple};
use vfx_iba::compare::{self as cmp, CompareResults, PixelStats};
use vfx_iba::IbaError;

/// OIIO's `ImageBufAlgo.PixelStats`: read-only per-channel lists.
#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pyclass)]
#[pyclass(name = "PixelStats", module = "OpenImageIO.OpenImageIO")]
#[derive(Default)]
pub struct PyPixelStats {
    pub inner: PixelStats,
}

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pymethods)]
#[pymethods]
impl PyPixelStats {
    #[new]
    fn new() -> Self {
        Self::default()
    }
    #[getter]
    fn min(&self) -> Vec<f32> {
        self.inner.min.clone()
    }
    #[getter]
    fn max(&self) -> Vec<f32> {
        self.inner.max.clone()
    }
    #[getter]
    fn avg(&self) -> Vec<f32> {
        self.inner.avg.clone()
    }
    #[getter]
    fn stddev(&self) -> Vec<f32> {
        self.inner.stddev.clone()
    }
    #[getter]
    fn nancount(&self) -> Vec<u64> {
        self.inner.nancount.clone()
    }
    #[getter]
    fn infcount(&self) -> Vec<u64> {
        self.inner.infcount.clone()
    }
    #[getter]
    fn finitecount(&self) -> Vec<u64> {
        self.inner.finitecount.clone()
    }
    #[getter]
    fn sum(&self) -> Vec<f64> {
        self.inner.sum.clone()
    }
    #[getter]
    fn sum2(&self) -> Vec<f64> {
        self.inner.sum2.clone()
    }
}

/// OIIO's `ImageBufAlgo.CompareResults`: read-only fields.
#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pyclass)]
#[pyclass(name = "CompareResults", module = "OpenImageIO.OpenImageIO")]
#[derive(Default)]
pub struct PyCompareResults {
    pub inner: CompareResults,
}

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pymethods)]
#[pymethods]
impl PyCompareResults {
    #[new]
    fn new() -> Self {
        Self::default()
    }
    #[getter]
    fn meanerror(&self) -> f64 {
        self.inner.meanerror
    }
    #[getter]
    fn rms_error(&self) -> f64 {
        self.inner.rms_error
    }
    #[getter(PSNR)]
    fn psnr(&self) -> f64 {
        self.inner.psnr
    }
    #[getter]
    fn maxerror(&self) -> f64 {
        self.inner.maxerror
    }
    #[getter]
    fn maxx(&self) -> i32 {
        self.inner.maxx
    }
    #[getter]
    fn maxy(&self) -> i32 {
        self.inner.maxy
    }
    #[getter]
    fn maxz(&self) -> i32 {
        self.inner.maxz
    }
    #[getter]
    fn maxc(&self) -> i32 {
        self.inner.maxc
    }
    #[getter]
    fn nwarn(&self) -> u64 {
        self.inner.nwarn
    }
    #[getter]
    fn nfail(&self) -> u64 {
        self.inner.nfail
    }
    #[getter]
    fn error(&self) -> bool {
        self.inner.error
    }
}

/// pybind11's read-only property behaviour and messages for `$cls`.
macro_rules! read_only {
    ($cls:ty, $name:literal, [$($prop:literal),*]) => {
        #[pymethods]
        impl $cls {
            fn __setattr__(&self, name: &str, _value: &Bound<'_, PyAny>) -> PyResult<()> {
                Err(read_only_error(name, "setter", $name, &[$($prop),*]))
            }
            fn __delattr__(&self, name: &str) -> PyResult<()> {
                Err(read_only_error(name, "deleter", $name, &[$($prop),*]))
            }
            fn __getattr__(&self, name: &str) -> PyResult<()> {
                Err(PyAttributeError::new_err(format!("'{}' object has no attribute '{name}'", $name)))
            }
        }
    };
}

fn read_only_error(name: &str, what: &str, cls: &str, props: &[&str]) -> PyErr {
    if props.contains(&name) {
        PyAttributeError::new_err(format!("property of '{cls}' object has no {what}"))
    } else {
        PyAttributeError::new_err(format!("'{cls}' object has no attribute '{name}'"))
    }
}

read_only!(
    PyPixelStats,
    "PixelStats",
    [
        "min",
        "max",
        "avg",
        "stddev",
        "nancount",
        "infcount",
        "finitecount",
        "sum",
        "sum2"
    ]
);
read_only!(
    PyCompareResults,
    "CompareResults",
    [
        "meanerror",
        "rms_error",
        "PSNR",
        "maxerror",
        "maxx",
        "maxy",
        "maxz",
        "maxc",
        "nwarn",
        "nfail",
        "error"
    ]
);

/// Registered from `iba::register`.
pub fn register_classes(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyPixelStats>()?;
    m.add_class::<PyCompareResults>()?;
    Ok(())
}

fn value(f: impl FnOnce(Python<'_>) -> PyResult<Py<PyAny>> + Send + 'static) -> Result<Out, IbaError> {
    Ok(Out::Value(Box::new(f)))
}

fn py_bool(py: Python<'_>, b: bool) -> Py<PyAny> {
    PyBool::new(py, b).to_owned().into_any().unbind()
}

fn pixel_stats(_d: &mut vfx_core::ImageBuf, c: &Ctx) -> Result<Out, IbaError> {
    let stats = cmp::compute_pixel_stats(c.image("src"), c.roi(), c.nthreads());
    match c.take_other("stats") {
        Some(obj) => value(move |py| {
            let ok = !stats.min.is_empty();
            obj.bind(py).cast::<PyPixelStats>()?.borrow_mut().inner = stats;
            Ok(py_bool(py, ok))
        }),
        None => value(move |py| Ok(Py::new(py, PyPixelStats { inner: stats })?.into_any())),
    }
}

fn compare(_d: &mut vfx_core::ImageBuf, c: &Ctx) -> Result<Out, IbaError> {
    let (a, b) = (c.image("A"), c.image("B"));
    let (fail, warn) = (c.float("failthresh"), c.float("warnthresh"));
    let (frel, wrel) = if c.has("failrelative") {
        (c.float("failrelative"), c.float("warnrelative"))
    } else {
        (0.0, 0.0)
    };
    let r = cmp::compare(a, b, fail, warn, frel, wrel, c.roi(), c.nthreads());
    match c.take_other("result") {
        Some(obj) => value(move |py| {
            let err = r.error;
            obj.bind(py).cast::<PyCompareResults>()?.borrow_mut().inner = r;
            Ok(py_bool(py, err))
        }),
        None => value(move |py| Ok(Py::new(py, PyCompareResults { inner: r })?.into_any())),
    }
}

pub static OPS: &[Op] = &[
    Op {
        name: "computePixelStats",
        forms: Forms::Custom,
        sigs: &[
            "src: ImageBuf, stats: PixelStats, roi: ROI = ROI.All, nthreads: int = 0 -> bool",
            "src: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0 -> PixelStats",
        ],
        body: pixel_stats,
    },
    Op {
        name: "compare",
        forms: Forms::Custom,
        sigs: &[
            "A: ImageBuf, B: ImageBuf, failthresh: float, warnthresh: float, result: CompareResults, roi: ROI = ROI.All, nthreads: int = 0 -> bool",
            "A: ImageBuf, B: ImageBuf, failthresh: float, warnthresh: float, failrelative: float = 0.0, warnrelative: float = 0.0, roi: ROI = ROI.All, nthreads: int = 0 -> CompareResults",
            "A: ImageBuf, B: ImageBuf, failthresh: float, warnthresh: float, roi: ROI = ROI.All, nthreads: int = 0 -> CompareResults",
        ],
        body: compare,
    },
    Op {
        name: "isConstantColor",
        forms: Forms::Custom,
        sigs: &["src: ImageBuf, threshold: float = 0.0, roi: ROI = ROI.All, nthreads: int = 0 -> object"],
        body: |_d, c| {
            let (ok, color) = cmp::is_constant_color(c.image("src"), c.float("threshold"), c.roi(), c.nthreads());
            value(move |py| {
                if ok {
                    Ok(PyTuple::new(py, color)?.into_any().unbind())
                } else {
                    Ok(py.None())
                }
            })
        },
    },
    Op {
        name: "isConstantChannel",
        forms: Forms::Custom,
        sigs: &["src: ImageBuf, channel: int, val: float, threshold: float = 0.0, roi: ROI = ROI.All, nthreads: int = 0 -> bool"],
        body: |_d, c| {
            let ok = cmp::is_constant_channel(
                c.image("src"),
                c.int("channel") as i32,
                c.float("val"),
                c.float("threshold"),
                c.roi(),
                c.nthreads(),
            );
            value(move |py| Ok(py_bool(py, ok)))
        },
    },
    Op {
        name: "isMonochrome",
        forms: Forms::Custom,
        sigs: &["src: ImageBuf, threshold: float = 0.0, roi: ROI = ROI.All, nthreads: int = 0 -> bool"],
        body: |_d, c| {
            let ok = cmp::is_monochrome(c.image("src"), c.float("threshold"), c.roi(), c.nthreads());
            value(move |py| Ok(py_bool(py, ok)))
        },
    },
    Op {
        name: "color_range_check",
        forms: Forms::Custom,
        sigs: &["src: ImageBuf, low: object, high: object, roi: ROI = ROI.All, nthreads: int = 0 -> object"],
        body: |_d, c| {
            let r = cmp::color_range_check(c.image("src"), c.floats("low"), c.floats("high"), c.roi(), c.nthreads());
            value(move |py| match r {
                Ok((lo, hi, inr)) => Ok(PyTuple::new(py, [lo as i64, hi as i64, inr as i64])?.into_any().unbind()),
                Err(_) => Ok(py.None()),
            })
        },
    },
    Op {
        name: "nonzero_region",
        forms: Forms::Custom,
        sigs: &["src: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0 -> ROI"],
        body: |_d, c| {
            let r = cmp::nonzero_region(c.image("src"), c.roi(), c.nthreads());
            value(move |py| Ok(Py::new(py, PyRoi::from(r))?.into_any()))
        },
    },
    Op {
        name: "computePixelHashSHA1",
        forms: Forms::Custom,
        sigs: &["src: ImageBuf, extrainfo: str = '', roi: ROI = ROI.All, blocksize: int = 0, nthreads: int = 0 -> str"],
        body: |_d, c| {
            let h = cmp::compute_pixel_hash_sha1(
                c.image("src"),
                c.str("extrainfo"),
                c.roi(),
                c.int("blocksize") as i32,
                c.nthreads(),
            );
            value(move |py| Ok(PyString::new(py, &h).into_any().unbind()))
        },
    },
    Op {
        name: "histogram",
        forms: Forms::Custom,
        sigs: &["src: ImageBuf, channel: int = 0, bins: int = 256, min: float = 0.0, max: float = 1.0, ignore_empty: bool = False, roi: ROI = ROI.All, nthreads: int = 0 -> object"],
        body: |_d, c| {
            let bins = c.int("bins") as i32;
            let h = cmp::histogram(
                c.image("src"),
                c.int("channel") as i32,
                bins,
                c.float("min"),
                c.float("max"),
                c.bool("ignore_empty"),
                c.roi(),
                c.nthreads(),
            );
            value(move |py| match h {
                Ok(h) => Ok(PyTuple::new(py, h.iter().map(|v| *v as i32))?.into_any().unbind()),
                // The reference's binding sizes its result vector by `bins`.
                Err(_) if bins < 0 => Err(PyValueError::new_err("vector::_M_default_append")),
                Err(_) => Ok(PyTuple::empty(py).into_any().unbind()),
            })
        },
    },
];

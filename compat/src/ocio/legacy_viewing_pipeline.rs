//! `LegacyViewingPipeline` over `vfx_ocio::apphelpers`. Transforms handed
//! in are copied; getters hand out copies.

use std::sync::Mutex;

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use vfx_ocio::apphelpers::LegacyViewingPipeline;
use vfx_ocio::Transform;

use super::config::PyConfig;
use super::config_items::context::PyContext;
use super::config_items::iterators::BoolArg;
use super::errors::OcioResultExt;
use super::processor::PyProcessor;
use super::transform::{to_engine, wrap, PyTransform};

#[pyclass(name = "LegacyViewingPipeline", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyLegacyViewingPipeline {
    inner: Mutex<LegacyViewingPipeline>,
}

impl PyLegacyViewingPipeline {
    fn lock(&self) -> std::sync::MutexGuard<'_, LegacyViewingPipeline> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A transform argument: None clears, a Transform is copied, anything else
/// is pybind11's TypeError.
fn transform_arg(obj: &Bound<'_, PyAny>, what: &str) -> PyResult<Option<Transform>> {
    if obj.is_none() {
        return Ok(None);
    }
    let t = obj
        .cast::<PyTransform>()
        .map_err(|_| PyTypeError::new_err(format!("{what}(): incompatible function arguments")))?;
    to_engine(t).map(Some)
}

fn out(py: Python<'_>, t: &Option<Transform>) -> PyResult<Option<Py<PyTransform>>> {
    t.clone().map(|t| wrap(py, t)).transpose()
}

#[pymethods]
impl PyLegacyViewingPipeline {
    #[new]
    fn new() -> Self {
        PyLegacyViewingPipeline {
            inner: Mutex::new(LegacyViewingPipeline::default()),
        }
    }

    fn getDisplayViewTransform(&self, py: Python<'_>) -> PyResult<Option<Py<PyTransform>>> {
        out(py, &self.lock().display_view().cloned().map(Transform::DisplayView))
    }

    fn setDisplayViewTransform(&self, arg0: &Bound<'_, PyAny>) -> PyResult<()> {
        let dv = match transform_arg(arg0, "setDisplayViewTransform")? {
            None => None,
            Some(Transform::DisplayView(dv)) => Some(dv),
            Some(_) => {
                return Err(PyTypeError::new_err(
                    "setDisplayViewTransform(): incompatible function arguments",
                ))
            }
        };
        self.lock().set_display_view(dv);
        Ok(())
    }

    fn getLinearCC(&self, py: Python<'_>) -> PyResult<Option<Py<PyTransform>>> {
        out(py, &self.lock().linear_cc)
    }

    fn setLinearCC(&self, arg0: &Bound<'_, PyAny>) -> PyResult<()> {
        self.lock().linear_cc = transform_arg(arg0, "setLinearCC")?;
        Ok(())
    }

    fn getColorTimingCC(&self, py: Python<'_>) -> PyResult<Option<Py<PyTransform>>> {
        out(py, &self.lock().color_timing_cc)
    }

    fn setColorTimingCC(&self, arg0: &Bound<'_, PyAny>) -> PyResult<()> {
        self.lock().color_timing_cc = transform_arg(arg0, "setColorTimingCC")?;
        Ok(())
    }

    fn getChannelView(&self, py: Python<'_>) -> PyResult<Option<Py<PyTransform>>> {
        out(py, &self.lock().channel_view)
    }

    fn setChannelView(&self, arg0: &Bound<'_, PyAny>) -> PyResult<()> {
        self.lock().channel_view = transform_arg(arg0, "setChannelView")?;
        Ok(())
    }

    fn getDisplayCC(&self, py: Python<'_>) -> PyResult<Option<Py<PyTransform>>> {
        out(py, &self.lock().display_cc)
    }

    fn setDisplayCC(&self, arg0: &Bound<'_, PyAny>) -> PyResult<()> {
        self.lock().display_cc = transform_arg(arg0, "setDisplayCC")?;
        Ok(())
    }

    fn getLooksOverrideEnabled(&self) -> bool {
        self.lock().looks_override_enabled
    }

    fn setLooksOverrideEnabled(&self, arg0: BoolArg) {
        self.lock().looks_override_enabled = arg0.0;
    }

    fn getLooksOverride(&self) -> String {
        self.lock().looks_override.clone()
    }

    fn setLooksOverride(&self, looks: String) {
        self.lock().looks_override = looks;
    }

    #[pyo3(signature = (config, context = None))]
    fn getProcessor(
        &self,
        py: Python<'_>,
        config: PyRef<'_, PyConfig>,
        context: Option<PyRef<'_, PyContext>>,
    ) -> PyResult<PyProcessor> {
        let pipeline = self.lock().clone();
        let cfg = config.lock().clone();
        let ctx = context.map(|c| c.lock().clone());
        let inner = py.detach(|| pipeline.processor(&cfg, ctx.as_ref())).py()?;
        Ok(PyProcessor { inner })
    }

    fn __repr__(&self) -> String {
        self.lock().to_string()
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyLegacyViewingPipeline>()
}

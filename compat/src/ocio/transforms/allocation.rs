//! `AllocationTransform`.

use pyo3::prelude::*;
use vfx_ocio::enums::{Allocation, TransformDirection};
use vfx_ocio::transforms::{AllocationTransform, TransformData};

use crate::ocio::args::Given;
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::{init, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "AllocationTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyAllocationTransform;

#[pymethods]
impl PyAllocationTransform {
    #[new]
    #[pyo3(signature = (allocation = Given::No, vars = Given::No, direction = Given::No))]
    fn new(
        allocation: Given<E<Allocation>>,
        vars: Given<Vec<f32>>,
        direction: Given<E<TransformDirection>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let any = allocation.given() || vars.given() || direction.given();
        let mut t = AllocationTransform::default();
        if let Some(a) = allocation.get() {
            t.allocation = a.0;
        }
        if let Some(v) = vars.get().filter(|v| !v.is_empty()) {
            t.set_vars(v).py()?;
        }
        if let Some(d) = direction.get() {
            t.direction = d.0;
        }
        if any {
            t.validate().py()?;
        }
        Ok(init(t, PyAllocationTransform))
    }

    fn getAllocation(slf: PyRef<'_, Self>) -> PyResult<E<Allocation>> {
        with_variant!(slf, Allocation, |t| E(t.allocation))
    }

    fn setAllocation(slf: PyRef<'_, Self>, allocation: E<Allocation>) -> PyResult<()> {
        with_variant!(slf, Allocation, |t| t.allocation = allocation.0)
    }

    fn getVars(slf: PyRef<'_, Self>) -> PyResult<Vec<f32>> {
        with_variant!(slf, Allocation, |t| t.vars.clone())
    }

    fn setVars(slf: PyRef<'_, Self>, vars: Vec<f32>) -> PyResult<()> {
        with_variant!(slf, Allocation, |t| t.set_vars(vars))?.py()
    }
}

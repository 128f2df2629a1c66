//! `DynamicProperty`: a handle on one dynamic value of a processor or CPU
//! processor (exposure, contrast, gamma). Setting it changes what that
//! processor computes from then on; the grading accessors exist as in the
//! reference and refuse the double-valued types with its messages.

use pyo3::prelude::*;
use vfx_ocio::ops::exposure_contrast::data::EcProperty;
use vfx_ocio::ops::exposure_contrast::DynamicValue;

use super::enums::value_of;
use super::errors::Exception;

#[pyclass(frozen, name = "DynamicProperty", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyDynamicProperty {
    kind: i64,
    value: DynamicValue,
}

/// The exposure/contrast value a DynamicPropertyType stands for.
pub fn property_of(kind: &Bound<'_, PyAny>) -> PyResult<(i64, Option<EcProperty>)> {
    let v = value_of(kind, &vfx_ocio::tables::DYNAMIC_PROPERTY_TYPE)?;
    let p = match v {
        0 => Some(EcProperty::Exposure),
        1 => Some(EcProperty::Contrast),
        2 => Some(EcProperty::Gamma),
        _ => None,
    };
    Ok((v, p))
}

/// `hasDynamicProperty` over a processor's ops.
pub fn has(ops_value: impl Fn(EcProperty) -> Option<DynamicValue>, kind: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(property_of(kind)?.1.and_then(ops_value).is_some())
}

/// `getDynamicProperty` over a processor's ops.
pub fn get(
    ops_value: impl Fn(EcProperty) -> Option<DynamicValue>,
    kind: &Bound<'_, PyAny>,
) -> PyResult<PyDynamicProperty> {
    let (v, p) = property_of(kind)?;
    match p.and_then(ops_value) {
        Some(value) => Ok(PyDynamicProperty { kind: v, value }),
        None => Err(Exception::new_err("Cannot find dynamic property.")),
    }
}

fn not_a(what: &str) -> PyErr {
    Exception::new_err(format!("Dynamic property value is not a {what}."))
}

#[pymethods]
impl PyDynamicProperty {
    fn getType(&self, py: Python<'_>) -> PyResult<Py<PyAny>> {
        let name = vfx_ocio::tables::DYNAMIC_PROPERTY_TYPE
            .members
            .iter()
            .find(|m| m.1 == self.kind)
            .map(|m| m.0)
            .unwrap_or("DYNAMIC_PROPERTY_EXPOSURE");
        Ok(py.import("PyOpenColorIO")?.getattr(name)?.unbind())
    }

    fn getDouble(&self) -> f64 {
        self.value.get()
    }

    fn setDouble(&self, val: f64) {
        self.value.set(val);
    }

    fn getGradingPrimary(&self) -> PyResult<()> {
        Err(not_a("grading primary"))
    }

    fn setGradingPrimary(&self, _val: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(not_a("grading primary"))
    }

    fn getGradingRGBCurve(&self) -> PyResult<()> {
        Err(not_a("grading RGB curve"))
    }

    fn setGradingRGBCurve(&self, _val: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(not_a("grading RGB curve"))
    }

    fn getGradingTone(&self) -> PyResult<()> {
        Err(not_a("grading tone"))
    }

    fn setGradingTone(&self, _val: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(not_a("grading tone"))
    }

    fn getGradingHueCurve(&self) -> PyResult<()> {
        Err(not_a("grading hue curve"))
    }

    fn setGradingHueCurve(&self, _val: &Bound<'_, PyAny>) -> PyResult<()> {
        Err(not_a("grading hue curve"))
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyDynamicProperty>()
}

//! The config-element classes (ColorSpace, ...), one file each, mirroring
//! `impl/vfx-ocio/src/config/`.

pub mod colorspace;
pub mod colorspace_set;
pub mod context;
pub mod file_rules;
pub mod held;
pub mod iterators;
pub mod look;
pub mod named_transform;
pub mod view_transform;
pub mod viewing_rules;

use pyo3::prelude::*;

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<colorspace::PyColorSpace>()?;
    m.add_class::<context::PyContext>()?;
    m.add_class::<colorspace_set::PyColorSpaceSet>()?;
    m.add_class::<file_rules::PyFileRules>()?;
    m.add_class::<look::PyLook>()?;
    m.add_class::<named_transform::PyNamedTransform>()?;
    m.add_class::<view_transform::PyViewTransform>()?;
    m.add_class::<viewing_rules::PyViewingRules>()?;
    Ok(())
}

/// An optional transform argument as an engine copy (the reference copies
/// what it is given).
pub fn transform_arg(
    t: Option<&Bound<'_, crate::ocio::transform::PyTransform>>,
) -> PyResult<Option<vfx_ocio::Transform>> {
    t.map(crate::ocio::transform::to_engine).transpose()
}

/// An engine transform back as a new Python object.
pub fn transform_out(
    py: Python<'_>,
    t: Option<vfx_ocio::Transform>,
) -> PyResult<Option<Py<crate::ocio::transform::PyTransform>>> {
    t.map(|t| crate::ocio::transform::wrap(py, t)).transpose()
}

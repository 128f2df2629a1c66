//! One binding file per transform class, mirroring
//! `impl/vfx-ocio/src/transforms/`.

pub mod group;
pub mod matrix;

use pyo3::prelude::*;

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<matrix::PyMatrixTransform>()?;
    m.add_class::<group::PyGroupTransform>()?;
    Ok(())
}

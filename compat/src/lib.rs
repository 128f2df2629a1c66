//! The native module `vfx_rs._vfx_rs`, shared by the `OpenImageIO`,
//! `PyOpenColorIO` and `vfx_rs` Python packages. Thin by design: convert
//! arguments, release the GIL around engine work, convert results, map
//! errors. PyO3 turns any Rust panic into a Python exception at this boundary.

use pyo3::prelude::*;

pub mod ocio;
pub mod oiio;
#[cfg(feature = "stubgen")]
mod stubgen;
#[cfg(feature = "stubgen")]
pub use stubgen::stub_info;

/// Build a submodule and make it importable as `vfx_rs._vfx_rs.<name>`.
fn add_submodule(
    parent: &Bound<'_, PyModule>,
    name: &str,
    fill: impl FnOnce(&Bound<'_, PyModule>) -> PyResult<()>,
) -> PyResult<()> {
    let py = parent.py();
    let sub = PyModule::new(py, name)?;
    fill(&sub)?;
    parent.add_submodule(&sub)?;
    let full = format!("vfx_rs._vfx_rs.{name}");
    py.import("sys")?.getattr("modules")?.set_item(full, &sub)?;
    Ok(())
}

#[pymodule]
fn _vfx_rs(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    add_submodule(m, "oiio", oiio::register)?;
    add_submodule(m, "ocio", ocio::register)?;
    Ok(())
}

//! The `OpenImageIO` front door: classes and functions with the reference's
//! names, signatures and printed forms, registered into one submodule.

pub mod cstdout;
pub mod deepdata;
pub mod enums;
pub mod globals;
pub mod iba;
pub mod imagebuf;
pub mod imageio;
pub mod imagespec;
pub mod numpy_io;
pub mod paramvalue;
pub mod roi;
pub mod typedesc;
pub mod values;
pub mod version;

use pyo3::prelude::*;

/// The `__module__` the reference's classes report.
pub const MODULE: &str = "OpenImageIO.OpenImageIO";

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    enums::register(m)?;
    version::register(m)?;
    typedesc::register(m)?;
    roi::register(m)?;
    paramvalue::register(m)?;
    imagespec::register(m)?;
    imagebuf::register(m)?;
    imageio::register(m)?;
    deepdata::register(m)?;
    iba::register(m)?;
    globals::register(m)?;
    Ok(())
}

//! Version constants of the emulated OpenImageIO release.

use pyo3::prelude::*;
use vfx_core::OIIO_EMULATED_VERSION as V;

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let (major, minor, patch, tweak) = V;
    let version = major * 10000 + minor * 100 + patch;
    let string = format!("{major}.{minor}.{patch}.{tweak}");
    m.add("VERSION", version)?;
    m.add("VERSION_MAJOR", major)?;
    m.add("VERSION_MINOR", minor)?;
    m.add("VERSION_PATCH", patch)?;
    m.add("VERSION_STRING", &string)?;
    m.add("openimageio_version", version)?;
    m.add(
        "INTRO_STRING",
        format!("OpenImageIO {string} http://www.openimageio.org"),
    )?;
    // OIIO's "stride not given" sentinel: the smallest int64.
    m.add("AutoStride", i64::MIN)?;
    Ok(())
}

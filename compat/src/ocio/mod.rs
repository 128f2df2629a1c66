//! The `PyOpenColorIO` front door: OCIO 2.6.0's classes and functions with
//! the reference's names, signatures and printed forms, over `vfx_ocio`.

#![allow(non_snake_case)] // OCIO's Python API is camelCase throughout.

pub mod args;
pub mod builtin_configs;
pub mod config;
pub mod config_items;
pub mod dynamic_property;
pub mod enums;
pub mod errors;
pub mod format_metadata;
pub mod globals;
pub mod grading;
pub mod image_desc;
pub mod iter;
pub mod legacy_viewing_pipeline;
pub mod processor;
pub mod transform;
pub mod transforms;

use pyo3::prelude::*;

/// The `__module__` the reference's classes report.
pub const MODULE: &str = "PyOpenColorIO.PyOpenColorIO";

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    errors::register(m)?;
    enums::register(m)?;
    format_metadata::register(m)?;
    transform::register(m)?;
    transforms::register(m)?;
    builtin_configs::register(m)?;
    globals::register(m)?;
    grading::register(m)?;
    config::register(m)?;
    config_items::register(m)?;
    dynamic_property::register(m)?;
    image_desc::register(m)?;
    legacy_viewing_pipeline::register(m)?;
    processor::register(m)?;
    Ok(())
}

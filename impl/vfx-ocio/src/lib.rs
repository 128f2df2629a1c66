//! vfx-rs's OpenColorIO engine (OCIO 2.6.0 semantics), plain Rust.
//!
//! Layout (see shared/ARCHITECTURE.md): `tables` (OCIO's enumerations and
//! constants, generated from the reference), `enums` (typed views of them),
//! `transforms/` (one file per transform: its parameters, validation and
//! printed form), `format_metadata` (the CLF/CTF metadata tree transforms
//! carry). The config model, ops and processors build on these.

pub mod apphelpers;
pub mod builtin_configs;
pub mod config;
pub mod cpu_processor;
pub mod enums;
pub mod error;
pub mod fileformats;
pub mod format_metadata;
pub mod grading;
pub mod hash;
pub mod logging;
pub mod ops;
pub mod processor;
pub mod tables;
pub mod transforms;
pub mod util;
pub mod yaml;

pub use error::{OcioError, Result};
pub use transforms::Transform;

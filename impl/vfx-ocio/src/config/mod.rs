//! The config model. `Config` holds what an OCIO config holds; reading it
//! from YAML and writing it back live in `crate::yaml`.
//!
//! So far the config carries its profile version and name and makes
//! processors for transforms; colour spaces, roles, displays and the rest
//! of the model are added on top of this.

pub mod colorspace;
pub mod interchange;
pub mod look;
pub mod named_transform;
pub mod tokens;
pub mod view_transform;

pub use colorspace::ColorSpace;
pub use look::Look;
pub use named_transform::NamedTransform;
pub use view_transform::ViewTransform;

use crate::enums::TransformDirection;
use crate::error::Result;
use crate::processor::Processor;
use crate::transforms::Transform;

/// The newest profile version this engine writes (OCIO 2.6.0's).
pub const LATEST_MAJOR: u32 = 2;
pub const LATEST_MINOR: u32 = 6;

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub major: u32,
    pub minor: u32,
    pub name: String,
}

impl Default for Config {
    /// An empty config of the latest profile version (OCIO's `Config()`).
    fn default() -> Self {
        Config {
            major: LATEST_MAJOR,
            minor: LATEST_MINOR,
            name: String::new(),
        }
    }
}

impl Config {
    /// OCIO's `getProcessor(transform, direction)`.
    pub fn processor_for_transform(&self, t: &Transform, dir: TransformDirection) -> Result<Processor> {
        Processor::from_transform(t, dir)
    }
}

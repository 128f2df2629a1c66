//! Exposure/contrast ops (linear, video and log styles) whose exposure,
//! contrast and gamma may be dynamic: changeable after a processor is made.

pub mod cpu;
pub mod data;

pub use data::{DynamicValue, ExposureContrastOpData};

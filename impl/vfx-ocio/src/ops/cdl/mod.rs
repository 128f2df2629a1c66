//! ASC CDL ops: slope, offset, power and saturation, clamping (ASC v1.2)
//! or not.

pub mod cpu;
pub mod data;

pub use data::CdlOpData;

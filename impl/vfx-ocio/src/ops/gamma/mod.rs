//! Gamma ops: basic power curves (ExponentTransform) and monitor curves
//! with a linear toe (ExponentWithLinearTransform), each with its handling
//! of negative values.

pub mod cpu;
pub mod data;
pub mod fastmath;

pub use data::{GammaOpData, GammaStyle};

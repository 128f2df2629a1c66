//! Range ops: scale and offset with optional clamping at either end.

pub mod cpu;
pub mod data;

pub use data::RangeOpData;

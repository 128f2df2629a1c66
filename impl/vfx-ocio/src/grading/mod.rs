//! Grading values (OCIO's GradingPrimary, GradingTone and their RGBM
//! pieces): plain parameter data with per-style defaults and validation.

pub mod curves;
pub mod primary;
pub mod tone;

pub use curves::{BSplineCurve, ControlPoint, HueCurve, RgbCurve};
pub use primary::{GradingPrimary, GradingRgbm};
pub use tone::{GradingRgbmsw, GradingTone};

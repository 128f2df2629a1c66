//! Fixed-function ops: OCIO's named closed-form functions (ACES red
//! modifiers, HSV, CIE xyY / u'v'Y / L*u*v*). The other styles (ACES 2.0
//! output, gamut compression, PQ, HSY, glow, surround...) are not
//! implemented yet and say so when a processor needs them.

pub mod cpu;
pub mod data;

pub use data::FixedFunctionOpData;

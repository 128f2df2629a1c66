//! LUT and correction file formats (OCIO's FileFormat readers). So far the
//! ASC CDL family: .cc, .ccc and .cdl.

pub mod cdl;

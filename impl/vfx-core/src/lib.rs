//! vfx-core: the plain-Rust core types of vfx-rs, mirroring OpenImageIO's
//! `TypeDesc`, `ROI`, `ParamValue`/`ParamValueList` and `ImageSpec`.
//! No Python here: the bindings live in `compat/`.

pub(crate) mod bre;
pub mod convert;
pub mod deepdata;
pub mod error;
pub mod explain;
pub mod globals;
pub mod imagebuf;
pub mod paramvalue;
pub mod roi;
pub mod spec;
pub mod strutil;
pub mod typedesc;

pub use deepdata::DeepData;
pub use error::Error;
pub use imagebuf::{ImageBuf, PixelData, Wrap};
pub use paramvalue::{Interp, ParamData, ParamValue, ParamValueList, Value};
pub use roi::Roi;
pub use spec::{ImageSpec, SerialVerbose};
pub use typedesc::{Aggregate, BaseType, TypeDesc, VecSemantics};

/// The OpenImageIO release whose behaviour the compat layer reproduces.
pub const OIIO_EMULATED_VERSION: (i32, i32, i32, i32) = (3, 2, 2, 0);

//! vfx-iba: OpenImageIO's ImageBufAlgo on vfx-core `ImageBuf`s.
//!
//! One module per op family, mirroring OIIO's `imagebufalgo_*.cpp` split.
//! Every op has the same shape: [`prep`] resolves the ROI and allocates or
//! validates `dst`, [`dispatch`] runs one generic kernel over rows of the ROI
//! in parallel (pixels pass through `f32`, as OIIO's iterators do), and the
//! "return a new image" form is [`new_image`] wrapped around the "write into
//! dst" form. Errors are [`IbaError`] values carrying OIIO's message.

pub mod addsub;
pub mod channels;
pub mod color;
pub mod colormaps;
pub mod compare;
pub mod convolve;
pub mod copy;
pub mod deep;
pub mod dispatch;
pub mod draw;
pub mod fft;
pub mod fillholes;
pub mod filters;
pub mod mad;
pub mod minmaxchan;
pub mod morphology;
pub mod muldiv;
pub mod orient;
pub mod perpixel;
pub mod pixelmath;
pub mod prep;
pub mod xform;

use vfx_core::ImageBuf;

pub use prep::{prep, Prep};
pub use vfx_core::Roi;

/// An ImageBufAlgo failure; `Display` is the text OIIO's `geterror()` gives.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum IbaError {
    #[error("Uninitialized input image")]
    UninitializedInput,
    #[error("ImageBufAlgo without any guess about region of interest")]
    NoRoi,
    #[error("images must have alpha channels")]
    NeedAlpha,
    #[error("images must have depth channels")]
    NeedZ,
    #[error("images must have the same number of channels")]
    ChannelCount,
    #[error("images must have the same channel names and order")]
    ChannelNames,
    #[error("volumes not supported")]
    NoVolumes,
    #[error("deep images not supported")]
    NoDeep,
    #[error("mixed deep & flat images not supported")]
    MixedDeep,
    /// A message of the op's own (OIIO's wording).
    #[error("{0}")]
    Op(String),
    /// The destination could not be allocated (OIIO's reset error).
    #[error("{0}")]
    Alloc(String),
    /// An allocation OIIO does not guard (e.g. a deep destination's
    /// per-pixel tables): the reference's `std::bad_alloc` escapes, which
    /// the Python front door raises as MemoryError.
    #[error("std::bad_alloc")]
    BadAlloc,
    /// Failed without a message on the destination (OIIO puts some errors
    /// on an input, or none at all); the returning form then reports its
    /// generic "<op> error".
    #[error("")]
    Silent,
}

pub type Result<T = ()> = std::result::Result<T, IbaError>;

/// An operand that is an image or a per-channel constant (OIIO's
/// `Image_or_Const`). Constants are indexed by absolute channel number.
#[derive(Clone, Copy)]
pub enum Operand<'a> {
    Image(&'a ImageBuf),
    Const(&'a [f32]),
}

impl<'a> Operand<'a> {
    pub fn image(&self) -> Option<&'a ImageBuf> {
        match self {
            Operand::Image(i) => Some(i),
            Operand::Const(_) => None,
        }
    }
}

/// Per-channel constants padded to `n` values with the last one (or 0), as
/// OIIO's `IBA_FIX_PERCHAN_LEN_DEF` does.
pub(crate) fn perchan(v: &[f32], n: usize) -> Vec<f32> {
    let mut out = v.to_vec();
    if out.len() < n {
        let last = out.last().copied().unwrap_or(0.0);
        out.resize(n, last);
    }
    out
}

/// The "return a new ImageBuf" form of an op: run the dst form into a fresh
/// buffer; on failure the buffer carries the error (OIIO's fallback text
/// `ImageBufAlgo::<name>() error` when the op set none).
pub fn new_image(name: &str, op: impl FnOnce(&mut ImageBuf) -> Result) -> ImageBuf {
    let mut dst = ImageBuf::new();
    if let Err(e) = op(&mut dst) {
        let msg = e.to_string();
        if msg.is_empty() && !dst.has_error() {
            dst.error(&format!("ImageBufAlgo::{name}() error"));
        } else {
            dst.error(&msg);
        }
    }
    dst
}

//! add and sub (OIIO's imagebufalgo_addsub.cpp).

use crate::perpixel::{binary, Chans};
use crate::{Operand, Prep, Result};
use vfx_core::{ImageBuf, Roi};

/// `dst = A + B` (images or per-channel constants). With two images of
/// different channel counts, the extra channels are copied from the bigger.
pub fn add(dst: &mut ImageBuf, a: Operand, b: Operand, roi: Roi, nthreads: i32) -> Result {
    binary(
        "add",
        dst,
        a,
        b,
        roi,
        nthreads,
        Prep::DEFAULT,
        Chans::MutualCopyRest,
        |x, y, _| x + y,
        |x, k| x + k,
        |k| k,
    )
}

/// `dst = A - B`. As OIIO, a constant A with an image B computes `B - A`.
pub fn sub(dst: &mut ImageBuf, a: Operand, b: Operand, roi: Roi, nthreads: i32) -> Result {
    binary(
        "sub",
        dst,
        a,
        b,
        roi,
        nthreads,
        Prep::DEFAULT,
        Chans::MutualCopyRest,
        |x, y, _| x - y,
        |x, k| x + k,
        |k| -k,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::new_image;
    use vfx_core::{ImageSpec, TypeDesc};

    fn constant(w: i32, h: i32, n: i32, t: TypeDesc, v: &[f32]) -> ImageBuf {
        let mut b = ImageBuf::from_spec(&ImageSpec::new(w, h, n, t));
        for y in 0..h {
            for x in 0..w {
                b.setpixel(x, y, 0, v);
            }
        }
        b
    }

    #[test]
    fn add_images_and_constants() {
        let a = constant(4, 3, 3, TypeDesc::FLOAT, &[0.25, 0.5, 0.75]);
        let b = constant(4, 3, 3, TypeDesc::FLOAT, &[0.5, 0.5, 0.5]);
        let r = new_image("add", |d| add(d, Operand::Image(&a), Operand::Image(&b), Roi::ALL, 0));
        assert_eq!(r.getpixel(1, 1, 0, vfx_core::Wrap::Black), vec![0.75, 1.0, 1.25]);
        let r = new_image("add", |d| {
            add(d, Operand::Image(&a), Operand::Const(&[1.0]), Roi::ALL, 1)
        });
        assert_eq!(r.getpixel(3, 2, 0, vfx_core::Wrap::Black), vec![1.25, 1.5, 1.75]);
        let r = new_image("sub", |d| {
            sub(d, Operand::Const(&[0.25]), Operand::Image(&a), Roi::ALL, 0)
        });
        assert_eq!(r.getpixel(0, 0, 0, vfx_core::Wrap::Black), vec![0.0, 0.25, 0.5]);
        let r = new_image("add", |d| {
            add(d, Operand::Const(&[1.0]), Operand::Const(&[1.0]), Roi::ALL, 0)
        });
        assert_eq!(
            r.geterror(false),
            "ImageBufAlgo::add(): at least one argument must be an image"
        );
    }

    #[test]
    fn add_uint8_clamps_and_mismatched_channels_copy_extra() {
        let a = constant(2, 2, 4, TypeDesc::UINT8, &[0.8, 0.2, 0.0, 1.0]);
        let b = constant(2, 2, 3, TypeDesc::UINT8, &[0.8, 0.2, 0.0]);
        let r = new_image("add", |d| add(d, Operand::Image(&a), Operand::Image(&b), Roi::ALL, 0));
        assert_eq!(r.nchannels(), 4);
        assert_eq!(r.pixels().unwrap()[..4], [255, 102, 0, 255]);
    }

    #[test]
    fn offset_windows_read_black_outside() {
        let a = constant(2, 1, 1, TypeDesc::FLOAT, &[1.0]);
        let mut b = constant(2, 1, 1, TypeDesc::FLOAT, &[2.0]);
        b.set_origin(1, 0, 0);
        let r = new_image("add", |d| add(d, Operand::Image(&a), Operand::Image(&b), Roi::ALL, 0));
        assert_eq!(r.roi().width(), 3);
        let px: &[f32] = bytemuck::cast_slice(r.pixels().unwrap());
        assert_eq!(px, &[1.0, 3.0, 2.0]);
    }
}

//! Pixel value conversion between OIIO's base types, with OIIO's rules:
//! integers map their full range to 0..1 (signed: -1..1) by multiplying by
//! 1/max in float; floats go back by scaling, rounding to nearest and
//! clamping; everything passes through `f32` like OIIO's `convert_pixel_values`.
//!
//! One quirk is kept on purpose: OIIO converts a run of values to uint8 or
//! uint16 four at a time (ties round to even) and the last `n % 4` values one
//! at a time (ties round up), so an exact tie depends on its position in the
//! run. `convert_slice` treats each call as one run, as OIIO does per row.

use crate::typedesc::BaseType;
use half::f16;
use rayon::prelude::*;

/// A pixel element type and its OIIO conversion to and from `f32`.
pub trait Pixel: bytemuck::Pod + Send + Sync + 'static {
    const BASE: BaseType;
    fn to_f32(self) -> f32;
    /// From float, as OIIO's four-at-a-time path does.
    fn from_f32(v: f32) -> Self;
    /// From float, as OIIO's one-at-a-time path does (differs only for
    /// uint8/uint16 ties).
    fn from_f32_scalar(v: f32) -> Self {
        Self::from_f32(v)
    }
}

/// Unsigned 8/16-bit from float: OIIO's SIMD path, `round(v * max)` (ties to
/// even) clamped to the range; NaN becomes 0.
#[inline]
fn unorm_from_f32(v: f32, max: f32) -> f32 {
    let s = v * max;
    // Clamp first (NaN fails the test and becomes 0), then round to nearest
    // even: for 0 <= c < 2^23, adding and removing 2^23 does exactly that in
    // the default rounding mode, without needing SSE4.1's roundps.
    let c = if s >= 0.0 { s.min(max) } else { 0.0 };
    (c + 8_388_608.0) - 8_388_608.0
}

/// Types converted through OIIO's `scaled_conversion`: scale, round half away
/// from zero, clamp (NaN clamps to the low end). OIIO computes in `float` for
/// 8/16-bit targets and in `double` for 32/64-bit ones; so do we.
macro_rules! scaled_from {
    ($name:ident, $f:ty) => {
        #[inline]
        fn $name(v: $f, min: $f, max: $f) -> $f {
            let s = v * max;
            let s = s + if s < 0.0 { -0.5 } else { 0.5 };
            if s >= min {
                if s <= max {
                    s
                } else {
                    max
                }
            } else {
                min
            }
        }
    };
}
scaled_from!(snorm_from_f32, f32);
scaled_from!(snorm_from_f64, f64);

macro_rules! int_pixel {
    ($t:ty, $base:ident, unsigned_small) => {
        impl Pixel for $t {
            const BASE: BaseType = BaseType::$base;
            #[inline]
            fn to_f32(self) -> f32 {
                self as f32 * (1.0f32 / <$t>::MAX as f32)
            }
            #[inline]
            fn from_f32(v: f32) -> Self {
                let c = unorm_from_f32(v, <$t>::MAX as f32);
                // SAFETY: `c` is finite and within 0..=MAX (clamped above),
                // so the unchecked conversion is exact; it lets the loop vectorise.
                unsafe { c.to_int_unchecked::<$t>() }
            }
            #[inline]
            fn from_f32_scalar(v: f32) -> Self {
                let max = <$t>::MAX as f32;
                let s = v * max;
                let s = s + if s < 0.0 { -0.5 } else { 0.5 };
                (if s >= 0.0 { s.min(max) } else { 0.0 }) as $t
            }
        }
    };
    ($t:ty, $base:ident, scaled_small) => {
        impl Pixel for $t {
            const BASE: BaseType = BaseType::$base;
            #[inline]
            fn to_f32(self) -> f32 {
                self as f32 * (1.0f32 / <$t>::MAX as f32)
            }
            #[inline]
            fn from_f32(v: f32) -> Self {
                snorm_from_f32(v, <$t>::MIN as f32, <$t>::MAX as f32) as $t
            }
        }
    };
    ($t:ty, $base:ident, scaled) => {
        impl Pixel for $t {
            const BASE: BaseType = BaseType::$base;
            #[inline]
            fn to_f32(self) -> f32 {
                self as f32 * (1.0f32 / <$t>::MAX as f32)
            }
            #[inline]
            fn from_f32(v: f32) -> Self {
                snorm_from_f64(v as f64, <$t>::MIN as f64, <$t>::MAX as f64) as $t
            }
        }
    };
}

int_pixel!(u8, UInt8, unsigned_small);
int_pixel!(u16, UInt16, unsigned_small);
int_pixel!(i8, Int8, scaled_small);
int_pixel!(i16, Int16, scaled_small);
int_pixel!(u32, UInt32, scaled);
int_pixel!(i32, Int32, scaled);
int_pixel!(u64, UInt64, scaled);
int_pixel!(i64, Int64, scaled);

impl Pixel for f16 {
    const BASE: BaseType = BaseType::Half;
    #[inline]
    fn to_f32(self) -> f32 {
        f16::to_f32(self)
    }
    #[inline]
    fn from_f32(v: f32) -> Self {
        f16::from_f32(v)
    }
}

impl Pixel for f32 {
    const BASE: BaseType = BaseType::Float;
    #[inline]
    fn to_f32(self) -> f32 {
        self
    }
    #[inline]
    fn from_f32(v: f32) -> Self {
        v
    }
}

impl Pixel for f64 {
    const BASE: BaseType = BaseType::Double;
    #[inline]
    fn to_f32(self) -> f32 {
        self as f32
    }
    #[inline]
    fn from_f32(v: f32) -> Self {
        v as f64
    }
}

/// True for the base types pixels can have.
pub fn is_pixel_type(b: BaseType) -> bool {
    use BaseType::*;
    matches!(
        b,
        UInt8 | Int8 | UInt16 | Int16 | UInt32 | Int32 | UInt64 | Int64 | Half | Float | Double
    )
}

/// Call `$body` with `$T` bound to the Rust type of pixel base type `$b`.
#[macro_export]
macro_rules! dispatch_pixel {
    ($b:expr, $T:ident => $body:expr, _ => $other:expr) => {
        match $b {
            $crate::BaseType::UInt8 => {
                type $T = u8;
                $body
            }
            $crate::BaseType::Int8 => {
                type $T = i8;
                $body
            }
            $crate::BaseType::UInt16 => {
                type $T = u16;
                $body
            }
            $crate::BaseType::Int16 => {
                type $T = i16;
                $body
            }
            $crate::BaseType::UInt32 => {
                type $T = u32;
                $body
            }
            $crate::BaseType::Int32 => {
                type $T = i32;
                $body
            }
            $crate::BaseType::UInt64 => {
                type $T = u64;
                $body
            }
            $crate::BaseType::Int64 => {
                type $T = i64;
                $body
            }
            $crate::BaseType::Half => {
                type $T = half::f16;
                $body
            }
            $crate::BaseType::Float => {
                type $T = f32;
                $body
            }
            $crate::BaseType::Double => {
                type $T = f64;
                $body
            }
            _ => $other,
        }
    };
}

/// Slices smaller than this are converted on the calling thread.
const PARALLEL_MIN: usize = 1 << 16;

/// Convert a typed slice into another as one run (see the module notes).
pub fn convert_slice<S: Pixel, D: Pixel>(src: &[S], dst: &mut [D]) {
    convert_run(src, dst, true)
}

fn convert_run<S: Pixel, D: Pixel>(src: &[S], dst: &mut [D], grouped: bool) {
    debug_assert_eq!(src.len(), dst.len());
    if S::BASE == D::BASE {
        // Same type: a plain copy (the bytes are identical).
        dst.copy_from_slice(bytemuck::cast_slice(src));
        return;
    }
    let kernel = |(s, d): (&[S], &mut [D])| {
        for (a, b) in s.iter().zip(d.iter_mut()) {
            *b = D::from_f32(a.to_f32());
        }
    };
    // Groups of four first (chunk sizes are multiples of 4), then the tail.
    let body = if grouped { src.len() - src.len() % 4 } else { 0 };
    let (src_main, src_tail) = src.split_at(body);
    let (dst_main, dst_tail) = dst.split_at_mut(body);
    if body >= PARALLEL_MIN {
        src_main
            .par_chunks(PARALLEL_MIN / 4)
            .zip(dst_main.par_chunks_mut(PARALLEL_MIN / 4))
            .for_each(kernel);
    } else {
        kernel((src_main, dst_main));
    }
    for (a, b) in src_tail.iter().zip(dst_tail.iter_mut()) {
        *b = D::from_f32_scalar(a.to_f32());
    }
}

/// Convert `src` (values of `st`) into `dst` (values of `dt`). Both must hold
/// the same number of values; byte slices need not be aligned.
/// Returns false for base types that are not pixel types.
pub fn convert_bytes(src: &[u8], st: BaseType, dst: &mut [u8], dt: BaseType) -> bool {
    convert_bytes_with(src, st, dst, dt, true)
}

/// `convert_bytes`, choosing OIIO's grouped or per-value conversion.
pub fn convert_bytes_with(src: &[u8], st: BaseType, dst: &mut [u8], dt: BaseType, grouped: bool) -> bool {
    if !is_pixel_type(st) || !is_pixel_type(dt) || src.len() / st.size() != dst.len() / dt.size() {
        return false;
    }
    if st == dt {
        dst.copy_from_slice(src);
        return true;
    }
    dispatch_pixel!(st, S => {
        dispatch_pixel!(dt, D => {
            convert_unaligned::<S, D>(src, dst, grouped);
            true
        }, _ => false)
    }, _ => false)
}

/// Typed conversion on byte slices, copying through aligned buffers only
/// when a slice is not aligned for its type.
fn convert_unaligned<S: Pixel, D: Pixel>(src: &[u8], dst: &mut [u8], grouped: bool) {
    let src_owned: Vec<S>;
    let s: &[S] = match bytemuck::try_cast_slice(src) {
        Ok(s) => s,
        Err(_) => {
            src_owned = bytemuck::pod_collect_to_vec(src);
            &src_owned
        }
    };
    match bytemuck::try_cast_slice_mut::<u8, D>(dst) {
        Ok(d) => convert_run(s, d, grouped),
        Err(_) => {
            let mut tmp = vec![D::zeroed(); s.len()];
            convert_run(s, &mut tmp, grouped);
            dst.copy_from_slice(bytemuck::cast_slice(&tmp));
        }
    }
}

/// One value of base type `b` (native bytes) as f32.
pub fn value_to_f32(bytes: &[u8], b: BaseType) -> f32 {
    dispatch_pixel!(b, T => bytemuck::pod_read_unaligned::<T>(&bytes[..std::mem::size_of::<T>()]).to_f32(), _ => 0.0)
}

/// Store f32 `v` as one value of base type `b` into `bytes` (OIIO's
/// one-at-a-time conversion).
pub fn f32_to_value(v: f32, b: BaseType, bytes: &mut [u8]) {
    dispatch_pixel!(b, T => {
        let x = T::from_f32_scalar(v);
        bytes[..std::mem::size_of::<T>()].copy_from_slice(bytemuck::bytes_of(&x));
    }, _ => {})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unorm_rules() {
        assert_eq!(u8::from_f32(1.0), 255);
        assert_eq!(u8::from_f32(0.5), 128); // 127.5 rounds to even
        assert_eq!(u8::from_f32(-0.2), 0);
        assert_eq!(u8::from_f32(7.0), 255);
        assert_eq!(u8::from_f32(f32::NAN), 0);
        assert_eq!(u16::from_f32(1.0), 65535);
        assert_eq!(u8::from_f32_scalar(0.5 / 255.0), 1); // a tie rounds up one at a time
        assert_eq!(u8::from_f32(0.5 / 255.0), 0); // and to even four at a time
        let mut out = [0u8; 7];
        convert_slice(&[0.5f32 / 255.0; 7], &mut out);
        assert_eq!(out, [0, 0, 0, 0, 1, 1, 1]);
        assert_eq!(255u8.to_f32(), 1.0);
        assert_eq!(128u8.to_f32(), 128.0 * (1.0f32 / 255.0));
    }

    #[test]
    fn snorm_rules() {
        assert_eq!(i8::from_f32(1.0), 127);
        assert_eq!(i8::from_f32(-1.0), -127);
        assert_eq!(i8::from_f32(-5.0), -128);
        assert_eq!(i16::from_f32(0.5), 16384);
        assert_eq!(u32::from_f32(1.0), u32::MAX);
        assert_eq!(i32::from_f32(-1.0), -i32::MAX);
    }

    #[test]
    fn bytes_round_trip_unaligned() {
        let vals = [0.0f32, 0.25, 0.5, 1.0];
        let mut src = [0u8; 17];
        src[1..].copy_from_slice(bytemuck::cast_slice(&vals));
        let mut dst = [0u8; 9];
        assert!(convert_bytes(
            &src[1..],
            BaseType::Float,
            &mut dst[1..],
            BaseType::UInt16
        ));
        let back: Vec<u16> = bytemuck::pod_collect_to_vec(&dst[1..]);
        assert_eq!(back, [0, 16384, 32768, 65535]);
        assert!(!convert_bytes(
            &src[1..],
            BaseType::String,
            &mut dst[1..],
            BaseType::UInt16
        ));
    }

    #[test]
    fn large_parallel_matches_serial() {
        let src: Vec<f32> = (0..200_000).map(|i| (i % 1000) as f32 / 999.0).collect();
        let mut par = vec![0u8; src.len()];
        convert_slice(&src, &mut par);
        assert!(src.iter().zip(&par).all(|(s, d)| u8::from_f32(*s) == *d));
    }
}

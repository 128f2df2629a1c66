//! Bindings of the copy, orient and channels families (vfx-iba copy,
//! orient, channels).

use super::{Ctx, Forms, Item, Op, Out};
use vfx_core::ImageBuf;
use vfx_iba::{channels, copy, orient, IbaError};

const SRC: &[&str] = &["src: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0"];

type SrcFn = fn(&mut ImageBuf, &ImageBuf, vfx_core::Roi, i32) -> vfx_iba::Result;

fn src_op(d: &mut ImageBuf, c: &Ctx, f: SrcFn) -> Result<Out, IbaError> {
    f(d, c.image("src"), c.roi(), c.nthreads()).map(|_| Out::Done)
}

/// Ops that OIIO runs in place by moving the source out of `dst` first,
/// so `dst` starts empty.
fn fresh_op(d: &mut ImageBuf, c: &Ctx, f: SrcFn) -> Result<Out, IbaError> {
    if aliased(c) {
        *d = ImageBuf::new();
    }
    src_op(d, c, f)
}

/// Ops that clear `dst` first: in place, that clears the source too.
fn clearing_op(d: &mut ImageBuf, c: &Ctx, f: SrcFn) -> Result<Out, IbaError> {
    if aliased(c) {
        d.clear();
        return Err(IbaError::UninitializedInput);
    }
    src_op(d, c, f)
}

fn aliased(c: &Ctx) -> bool {
    c.in_place("src")
}

pub static OPS: &[Op] = &[
    Op {
        name: "channels",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, channelorder: tuple, newchannelnames: tuple = (), shuffle_channel_names: bool = False, nthreads: int = 0"],
        body: channels_body,
    },
    Op {
        name: "channel_append",
        forms: Forms::Both,
        sigs: &["A: ImageBuf, B: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            channels::channel_append(d, c.image("A"), c.image("B"), c.roi(), c.nthreads())
                .map(|_| Out::Done)
                .map_err(|e| match e.to_string().is_empty() && c.overload == 1 {
                    true => IbaError::Op("channel_append error".into()),
                    false => e,
                })
        },
    },
    Op {
        name: "copy",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, convert: TypeDesc = TypeDesc.UNKNOWN, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            copy::copy(d, c.image("src"), c.typedesc("convert"), c.roi(), c.nthreads()).map(|_| Out::Done)
        },
    },
    Op { name: "crop", forms: Forms::Both, sigs: SRC, body: |d, c| clearing_op(d, c, copy::crop) },
    Op { name: "cut", forms: Forms::Both, sigs: SRC, body: |d, c| clearing_op(d, c, copy::cut) },
    Op {
        name: "paste",
        forms: Forms::DstOnly,
        sigs: &["xbegin: int, ybegin: int, zbegin: int, chbegin: int, src: ImageBuf, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            let (x, y, z, ch) = (c.int("xbegin"), c.int("ybegin"), c.int("zbegin"), c.int("chbegin"));
            copy::paste(d, x as i32, y as i32, z as i32, ch as i32, c.image("src"), c.roi(), c.nthreads())
                .map(|_| Out::Done)
        },
    },
    Op { name: "rotate90", forms: Forms::Both, sigs: SRC, body: |d, c| fresh_op(d, c, orient::rotate90) },
    Op { name: "rotate180", forms: Forms::Both, sigs: SRC, body: |d, c| fresh_op(d, c, orient::rotate180) },
    Op { name: "rotate270", forms: Forms::Both, sigs: SRC, body: |d, c| fresh_op(d, c, orient::rotate270) },
    Op { name: "flip", forms: Forms::Both, sigs: SRC, body: |d, c| fresh_op(d, c, orient::flip) },
    Op { name: "flop", forms: Forms::Both, sigs: SRC, body: |d, c| fresh_op(d, c, orient::flop) },
    Op {
        name: "reorient",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, nthreads: int = 0"],
        body: |d, c| {
            let src = c.image("src");
            // In place, OIIO's single-step cases start from an empty dst.
            if aliased(c) && [2, 3, 4, 6, 8].contains(&src.orientation()) {
                *d = ImageBuf::new();
            }
            orient::reorient(d, src, c.nthreads())
                .map(|_| Out::Done)
                .map_err(|e| match e.to_string().is_empty() && c.overload == 1 {
                    true => IbaError::Op("ImageBufAlgo::reorient() error".into()),
                    false => e,
                })
        },
    },
    Op { name: "transpose", forms: Forms::Both, sigs: SRC, body: |d, c| src_op(d, c, orient::transpose) },
    Op {
        name: "circular_shift",
        forms: Forms::Both,
        sigs: &["src: ImageBuf, xshift: int, yshift: int, zshift: int = 0, roi: ROI = ROI.All, nthreads: int = 0"],
        body: |d, c| {
            let (x, y, z) = (c.int("xshift"), c.int("yshift"), c.int("zshift"));
            copy::circular_shift(d, c.image("src"), x as i32, y as i32, z as i32, c.roi(), c.nthreads())
                .map(|_| Out::Done)
        },
    },
];

/// The binding's reading of the channel order: ints are source indices,
/// floats fill values, strings source channel names (the last match; none
/// fills 0).
fn channels_body(d: &mut ImageBuf, c: &Ctx) -> Result<Out, IbaError> {
    let src = c.image("src");
    let items = c.tuple("channelorder");
    let n = items.len();
    if n < 1 {
        return Err(IbaError::Op("No channels selected".into()));
    }
    let mut order = vec![-1i32; n];
    let mut values = vec![0.0f32; n];
    for (i, it) in items.iter().enumerate() {
        match it {
            Item::Int(v) => order[i] = *v as i32,
            Item::Float(v) => values[i] = *v as f32,
            Item::Str(name) => {
                if let Some(ch) = (0..src.nchannels())
                    .rev()
                    .find(|&ch| src.spec().channel_name(ch) == name)
                {
                    order[i] = ch;
                }
            }
        }
    }
    let names: Vec<String> = c
        .tuple("newchannelnames")
        .iter()
        .map(|it| match it {
            Item::Str(s) => s.clone(),
            Item::Int(v) => v.to_string(),
            Item::Float(v) => v.to_string(),
        })
        .collect();
    if !names.is_empty() && names.len() != n {
        return Err(IbaError::Op("Inconsistent number of channel arguments".into()));
    }
    channels::channels(
        d,
        src,
        n as i32,
        &order,
        &values,
        &names,
        c.bool("shuffle_channel_names"),
        c.nthreads(),
    )
    .map(|_| Out::Done)
}

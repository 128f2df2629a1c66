//! channels and channel_append (OIIO's imagebufalgo_channels.cpp).
//!
//! As in OIIO, values pass through `f32` on their way (exact for 8/16-bit,
//! half and float; OIIO's own rounding for 32/64-bit types).

use crate::dispatch::{row, rows_into};
use crate::perpixel::basetype_merge;
use crate::{IbaError, Result};
use vfx_core::{ImageBuf, Roi, TypeDesc};

/// Make `dst` a full copy of `src` (OIIO's `ImageBuf::copy`).
pub(crate) fn copy_image(dst: &mut ImageBuf, src: &ImageBuf) {
    if !src.initialized() {
        dst.clear();
    } else if src.spec().deep {
        *dst = src.clone();
    } else {
        dst.copy_from(src, TypeDesc::UNKNOWN);
    }
}

/// `dst` gets `nchannels` channels: channel `c` is src channel `order[c]`
/// when that is a valid index, else the constant `values[c]` (or 0). Names
/// come from `newnames[c]` when given, else from the source channel;
/// alpha and z are found by name ("A"/"alpha", "Z") or, with `shuffle_names`,
/// follow the source's designations. OIIO's `channels`.
#[allow(clippy::too_many_arguments)]
pub fn channels(
    dst: &mut ImageBuf,
    src: &ImageBuf,
    nchannels: i32,
    order: &[i32],
    values: &[f32],
    newnames: &[String],
    shuffle_names: bool,
    nthreads: i32,
) -> Result {
    if nchannels <= 0 {
        return Err(IbaError::Op(format!("{nchannels}-channel images not supported")));
    }
    let ss = src.spec();
    if ss.nchannels == 0 {
        return Err(IbaError::Op(format!("{}-channel images not supported", ss.nchannels)));
    }
    let n = nchannels as usize;
    let identity: Vec<i32>;
    let order = if order.is_empty() {
        identity = (0..nchannels).collect();
        &identity[..]
    } else {
        order
    };
    let order_of = |c: usize| order.get(c).copied().unwrap_or(-1);
    let named = |c: usize| newnames.get(c).filter(|s| !s.is_empty());
    let inorder = (0..n).all(|c| {
        order_of(c) == c as i32 && named(c).is_none_or(|nm| c >= ss.channelnames.len() || *nm == ss.channelnames[c])
    });
    if nchannels == ss.nchannels && inorder {
        copy_image(dst, src);
        return Ok(());
    }

    let mut spec = ss.clone();
    spec.nchannels = nchannels;
    spec.default_channel_names();
    spec.channelformats.clear();
    spec.alpha_channel = -1;
    spec.z_channel = -1;
    let valid = |cs: i32| cs >= 0 && cs < ss.nchannels;
    for c in 0..n {
        let cs = order_of(c);
        if let Some(nm) = named(c) {
            spec.channelnames[c] = nm.clone();
        } else if valid(cs) {
            spec.channelnames[c] = ss.channel_name(cs).to_string();
        }
        spec.channelformats.push(ss.channelformat(cs));
        let name = &spec.channelnames[c];
        if (shuffle_names && cs == ss.alpha_channel)
            || name.eq_ignore_ascii_case("A")
            || name.eq_ignore_ascii_case("alpha")
        {
            spec.alpha_channel = c as i32;
        }
        if (shuffle_names && cs == ss.z_channel) || name.eq_ignore_ascii_case("Z") {
            spec.z_channel = c as i32;
        }
    }
    spec.format = TypeDesc::scalar(
        spec.channelformats
            .iter()
            .fold(vfx_core::BaseType::Unknown, |a, t| basetype_merge(a, t.basetype)),
    );
    if spec.channelformats.iter().all(|t| *t == spec.channelformats[0]) {
        spec.channelformats.clear();
    }
    dst.reset(&spec);
    if !dst.initialized() {
        return Err(IbaError::Alloc(dst.geterror(true)));
    }
    if spec.deep {
        deep_channels(dst, src, order, values);
        return Ok(());
    }
    let sroi = Roi {
        chbegin: 0,
        chend: ss.nchannels,
        ..src.roi()
    };
    let snc = ss.nchannels as usize;
    // Per dst channel: the source channel, or the fill value.
    let plan: Vec<std::result::Result<usize, f32>> = (0..n)
        .map(|c| {
            let cs = order_of(c);
            if valid(cs) {
                Ok(cs as usize)
            } else {
                Err(values.get(c).copied().unwrap_or(0.0))
            }
        })
        .collect();
    let droi = dst.roi();
    rows_into(dst, &droi, nthreads, |y, z, out, s| {
        let r = row(src, &sroi, y, z, &mut s[0]);
        for (o, p) in out.chunks_exact_mut(n).zip(r.chunks_exact(snc)) {
            for (o, how) in o.iter_mut().zip(&plan) {
                *o = match how {
                    Ok(cs) => p[*cs],
                    Err(v) => *v,
                };
            }
        }
    });
    Ok(())
}

/// The deep form of `channels`: same sample counts, values per channel.
fn deep_channels(dst: &mut ImageBuf, src: &ImageBuf, order: &[i32], values: &[f32]) {
    let Some(sd) = src.deepdata() else { return };
    let Some(dd) = dst.deepdata_mut() else { return };
    let np = dd.npixels().min(sd.npixels());
    for p in 0..np {
        dd.set_samples(p, sd.samples(p));
    }
    let snc = sd.nchannels() as i32;
    for p in 0..np {
        let ns = dd.samples(p) as usize;
        if ns == 0 {
            continue;
        }
        for c in 0..dd.nchannels() {
            let cs = order.get(c).copied().unwrap_or(-1);
            if cs < 0 || cs >= snc {
                let v = values.get(c).copied().unwrap_or(0.0);
                for s in 0..ns {
                    dd.set_deep_value(p, c, s, v);
                }
            } else if dd.channel_type(c) == TypeDesc::UINT {
                for s in 0..ns {
                    dd.set_deep_value_uint(p, c, s, sd.deep_value_uint(p, cs as usize, s));
                }
            } else {
                for s in 0..ns {
                    dd.set_deep_value(p, c, s, sd.deep_value(p, cs as usize, s));
                }
            }
        }
    }
}

/// `dst` = A's channels followed by B's over `roi` (default: the union of
/// both data windows). A new `dst` takes A's spec with the merged pixel
/// type; B's channel names that clash are prefixed with B's
/// "oiio:subimagename" or else renamed "channel<N>". OIIO's `channel_append`.
pub fn channel_append(dst: &mut ImageBuf, a: &ImageBuf, b: &ImageBuf, roi: Roi, nthreads: i32) -> Result {
    if !a.initialized() || !b.initialized() {
        return Err(IbaError::UninitializedInput);
    }
    let roi = if roi.defined() { roi } else { a.roi().union(&b.roi()) };
    let (na, nb) = (a.nchannels(), b.nchannels());
    if !dst.pixels_valid() {
        let mut spec = a.spec().clone();
        spec.set_format(TypeDesc::scalar(basetype_merge(
            a.spec().format.basetype,
            b.spec().format.basetype,
        )));
        spec.nchannels = na + nb;
        spec.channelnames.truncate(na as usize);
        spec.channelnames.resize(na as usize, String::new());
        for c in 0..nb {
            let mut name = b.spec().channel_name(c).to_string();
            if spec.channelnames.contains(&name) {
                let sub = b.spec().get_string_attribute("oiio:subimagename", "");
                if !sub.is_empty() {
                    name = format!("{sub}.{name}");
                }
            }
            if spec.channelnames.contains(&name) {
                name = format!("channel{}", na + c);
            }
            spec.channelnames.push(name);
        }
        if spec.alpha_channel < 0 && b.spec().alpha_channel >= 0 {
            spec.alpha_channel = b.spec().alpha_channel + na;
        }
        if spec.z_channel < 0 && b.spec().z_channel >= 0 {
            spec.z_channel = b.spec().z_channel + na;
        }
        spec.set_roi(&roi);
        dst.reset(&spec);
        if !dst.initialized() {
            return Err(IbaError::Alloc(dst.geterror(true)));
        }
    }
    let n = dst.nchannels().min(na + nb);
    let work = Roi {
        chbegin: 0,
        chend: n,
        ..roi.intersection(&dst.roi())
    };
    if work.width() <= 0 || work.height() <= 0 || work.depth() <= 0 {
        return Ok(());
    }
    let (ra, rb) = (
        Roi {
            chbegin: 0,
            chend: na,
            ..work
        },
        Roi {
            chbegin: 0,
            chend: nb,
            ..work
        },
    );
    let (na, nb, n) = (na as usize, nb as usize, n as usize);
    rows_into(dst, &work, nthreads, |y, z, out, s| {
        let [s0, s1, ..] = s;
        let (pa, pb) = (row(a, &ra, y, z, s0), row(b, &rb, y, z, s1));
        for ((o, va), vb) in out
            .chunks_exact_mut(n)
            .zip(pa.chunks_exact(na))
            .zip(pb.chunks_exact(nb))
        {
            for (c, o) in o.iter_mut().enumerate() {
                *o = if c < na { va[c] } else { vb[c - na] };
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::copy::tests::{px, ramp};
    use crate::new_image;

    #[test]
    fn reorder_fill_and_rename() {
        let a = ramp(3, 2, 4, TypeDesc::HALF, 0, 0);
        let r = new_image("channels", |d| {
            channels(d, &a, 3, &[3, -1, 0], &[0.0, 0.25, 0.0], &[], false, 0)
        });
        assert_eq!(r.spec().channelnames, ["A", "G", "R"]);
        assert_eq!(r.spec().alpha_channel, 0);
        assert_eq!(r.spec().format, TypeDesc::HALF);
        let p = px(&r, 1, 1);
        assert_eq!(p[1], 0.25);
        assert_eq!(p[0], px(&a, 1, 1)[3]);
        let r = new_image("channels", |d| {
            channels(d, &a, 2, &[1, 2], &[], &["X".into(), String::new()], false, 0)
        });
        assert_eq!(r.spec().channelnames, ["X", "B"]);
        let r = new_image("channels", |d| channels(d, &a, 0, &[], &[], &[], false, 0));
        assert_eq!(r.geterror(false), "0-channel images not supported");
    }

    #[test]
    fn append_merges_types_and_names() {
        let a = ramp(2, 2, 3, TypeDesc::UINT8, 0, 0);
        let b = ramp(3, 2, 2, TypeDesc::UINT16, 0, 0);
        let r = new_image("channel_append", |d| channel_append(d, &a, &b, Roi::ALL, 0));
        assert_eq!(r.nchannels(), 5);
        assert_eq!(r.spec().format, TypeDesc::UINT16);
        assert_eq!(r.spec().channelnames, ["R", "G", "B", "channel3", "channel4"]);
        assert_eq!(r.spec().width, 3);
        assert_eq!(px(&r, 2, 1)[0], 0.0);
        assert_eq!(px(&r, 2, 1)[3], px(&b, 2, 1)[0]);
    }
}

//! Destination and ROI preparation shared by every op (OIIO's `IBAprep`):
//! default the ROI, allocate an uninitialized `dst` shaped like the first
//! input (or the ROI), and check the op's requirements.

use crate::{IbaError, Result};
use vfx_core::{ImageBuf, ImageSpec, Roi, TypeDesc};

/// Requirements and allocation choices of an op (OIIO's `IBAprep_*` flags).
#[derive(Clone, Copy, Default, Debug)]
pub struct Prep {
    pub require_alpha: bool,
    pub require_z: bool,
    pub require_same_nchannels: bool,
    pub require_matching_channels: bool,
    /// Keep `dst`'s display window equal to the ROI instead of A's.
    pub no_copy_roi_full: bool,
    pub no_support_volume: bool,
    pub no_copy_metadata: bool,
    /// Keep even metadata made wrong by changing pixels (`oiio:SHA-1`).
    pub copy_all_metadata: bool,
    /// Limit the channels worked on to those every input has.
    pub clamp_mutual_nchannels: bool,
    pub support_deep: bool,
    pub deep_mixed: bool,
    /// A newly allocated `dst` is float regardless of the inputs.
    pub dst_float_pixels: bool,
    /// A newly allocated `dst` gets the fewest channels of the inputs.
    pub minimize_nchannels: bool,
    pub merge_metadata: bool,
}

impl Prep {
    pub const DEFAULT: Prep = Prep {
        require_alpha: false,
        require_z: false,
        require_same_nchannels: false,
        require_matching_channels: false,
        no_copy_roi_full: false,
        no_support_volume: false,
        no_copy_metadata: false,
        copy_all_metadata: false,
        clamp_mutual_nchannels: false,
        support_deep: false,
        deep_mixed: false,
        dst_float_pixels: false,
        minimize_nchannels: false,
        merge_metadata: false,
    };
}

/// Prepare `dst` and `roi` for an op reading `srcs` (first = "A"), with an
/// optional spec to allocate instead of A's. Returns the ROI to work on.
pub fn prep(roi: Roi, dst: &mut ImageBuf, srcs: &[&ImageBuf], force_spec: Option<&ImageSpec>, f: Prep) -> Result<Roi> {
    if srcs.iter().any(|s| !s.initialized()) {
        return Err(IbaError::UninitializedInput);
    }
    let mut roi = roi;
    let counts = dst
        .initialized()
        .then(|| dst.nchannels())
        .into_iter()
        .chain(srcs.iter().map(|s| s.nchannels()));
    let (mut minchans, mut maxchans) = (10000, 1);
    let mut any = false;
    for n in counts {
        any = true;
        minchans = minchans.min(n);
        maxchans = maxchans.max(n);
    }
    if !any || minchans == 10000 {
        if roi.defined() {
            minchans = roi.nchannels();
            maxchans = minchans;
        } else {
            minchans = 1;
            maxchans = 1;
        }
    }
    let a = srcs.first().copied();

    if dst.initialized() {
        roi = if roi.defined() {
            roi.intersection(&dst.roi())
        } else {
            dst.roi()
        };
        dst.set_thumbnail(None);
        if f.merge_metadata {
            for s in srcs {
                let extra = s.spec().extra_attribs.clone();
                dst.specmod().extra_attribs.merge(&extra, false);
            }
        }
    } else {
        if a.is_none() && !roi.defined() {
            return Err(IbaError::NoRoi);
        }
        let mut full_roi = Roi::ALL;
        if !roi.defined() {
            let a = a.expect("checked above");
            roi = a.roi();
            full_roi = a.roi_full();
            for s in &srcs[1..] {
                roi = roi.union(&s.roi());
                full_roi = full_roi.union(&s.roi_full());
            }
        } else if let Some(a) = a {
            roi.chend = roi.chend.min(a.nchannels());
            if !f.no_copy_roi_full {
                full_roi = a.roi_full();
            }
        } else {
            full_roi = roi;
        }
        let mut spec = match (a, force_spec) {
            (_, Some(fs)) => fs.clone(),
            (Some(a), None) => like_inputs(srcs, a, if f.minimize_nchannels { minchans } else { maxchans }),
            (None, None) => {
                let mut s = ImageSpec::with_format(TypeDesc::FLOAT);
                s.nchannels = roi.chend;
                s.default_channel_names();
                s
            }
        };
        if let Some(a) = a {
            if srcs[1..].iter().any(|s| s.spec().format != a.spec().format) || f.dst_float_pixels {
                spec.set_format(TypeDesc::FLOAT);
            }
            spec.tile_width = 0;
            spec.tile_height = 0;
            spec.tile_depth = 0;
        }
        spec.set_roi(&roi);
        spec.set_roi_full(if full_roi.defined() { &full_roi } else { &roi });
        if f.merge_metadata {
            for s in srcs {
                spec.extra_attribs.merge(&s.spec().extra_attribs, false);
            }
        }
        if f.no_copy_metadata {
            spec.extra_attribs = Default::default();
        } else if !f.copy_all_metadata {
            forget_pixel_hash(&mut spec);
        }
        dst.reset(&spec);
        if !dst.initialized() {
            return Err(IbaError::Alloc(dst.geterror(true)));
        }
        if f.clamp_mutual_nchannels {
            roi.chend = roi.chend.min(minchans);
        }
        roi.chend = roi.chend.min(spec.nchannels);
        // The new buffer is zero-filled, so channels outside the ROI are
        // already black, as OIIO makes them.
    }
    if f.clamp_mutual_nchannels {
        roi.chend = roi.chend.min(minchans);
    }
    roi.chend = roi.chend.min(maxchans);
    check_requirements(dst, srcs, f)?;
    Ok(roi)
}

/// A's spec with `nchannels` channels named after the first input that has
/// a name for each, and alpha/z designations carried over from it.
fn like_inputs(srcs: &[&ImageBuf], a: &ImageBuf, nchannels: i32) -> ImageSpec {
    let mut spec = a.spec().clone();
    spec.nchannels = nchannels;
    spec.channelformats.clear();
    spec.default_channel_names();
    spec.alpha_channel = -1;
    spec.z_channel = -1;
    for c in 0..nchannels {
        let Some(s) = srcs.iter().take(3).find(|s| !s.spec().channel_name(c).is_empty()) else {
            continue;
        };
        spec.channelnames[c as usize] = s.spec().channel_name(c).to_string();
        if spec.alpha_channel < 0 && s.spec().alpha_channel == c {
            spec.alpha_channel = c;
        }
        if spec.z_channel < 0 && s.spec().z_channel == c {
            spec.z_channel = c;
        }
    }
    spec
}

/// Drop the pixel hash a file may carry: the op changes the pixels.
fn forget_pixel_hash(spec: &mut ImageSpec) {
    spec.erase_attribute("oiio:SHA-1", TypeDesc::UNKNOWN, false);
    let desc = spec.get_string_attribute("ImageDescription", "");
    if let Some(at) = desc.find("oiio:SHA-1=") {
        let rest = &desc[at..];
        let end = rest.find(char::is_whitespace).map_or(desc.len(), |e| at + e);
        let mut trimmed = desc[..at].to_string();
        trimmed.push_str(desc[end..].trim_start());
        spec.attribute_str("ImageDescription", &trimmed);
    }
}

fn check_requirements(dst: &ImageBuf, srcs: &[&ImageBuf], f: Prep) -> Result {
    let all = || std::iter::once(dst).chain(srcs.iter().copied());
    if f.require_alpha && all().any(|b| b.spec().alpha_channel < 0) {
        return Err(IbaError::NeedAlpha);
    }
    if f.require_z && all().any(|b| b.spec().z_channel < 0) {
        return Err(IbaError::NeedZ);
    }
    let n = dst.nchannels();
    if (f.require_same_nchannels || f.require_matching_channels) && srcs.iter().any(|s| s.nchannels() != n) {
        return Err(IbaError::ChannelCount);
    }
    if f.require_matching_channels
        && (0..n).any(|c| {
            srcs.iter()
                .any(|s| s.spec().channel_name(c) != dst.spec().channel_name(c))
        })
    {
        return Err(IbaError::ChannelNames);
    }
    if f.no_support_volume && all().any(|b| b.spec().depth > 1) {
        return Err(IbaError::NoVolumes);
    }
    if all().any(|b| b.spec().deep) {
        if !f.support_deep {
            return Err(IbaError::NoDeep);
        }
        if !f.deep_mixed && all().any(|b| !b.spec().deep) {
            return Err(IbaError::MixedDeep);
        }
    }
    Ok(())
}

//! JPEG XL: read and write as OpenImageIO 3.2.2 does (its "jpegxl"
//! plugin over libjxl 0.12), with pure-Rust codecs: `jxl-oxide` decodes,
//! `zune-jpegxl` and our own small modular encoder write.
//!
//! Reading: one subimage (an animation shows its last frame, composited),
//! `width x height` with the colour channels plus every extra channel
//! (1-4 in all, as libjxl's output buffer allows). The pixel type follows
//! the bits per sample: up to 8 → uint8, up to 16 → uint16 (half when the
//! samples are floating point), more → float. Metadata is what OIIO sets:
//! `ICCProfile` — the embedded profile, or the one libjxl synthesises from
//! the enum colour encoding (rebuilt byte for byte by [`icc`]) — with its
//! decoded `ICCProfile:...` fields, then `CICP` and `oiio:ColorSpace` when
//! the encoding maps to CICP codes. Like OIIO, Exif/XMP boxes are not read.
//! Lossless files decode to exactly libjxl's values (integers go through
//! libjxl's float scaling and rounding, so 10/12-bit files land on the same
//! uint16 codes). Lossy (VarDCT/XYB) files go through `jxl-oxide`'s inverse
//! transforms: a code or so may differ from libjxl's (which also dithers
//! 8-bit output); XYB images in other primaries than sRGB are decoded to
//! linear sRGB and converted here as libjxl does, but HDR ones (PQ, HLG)
//! keep `jxl-oxide`'s own rendering, which differs from libjxl's.
//!
//! Writing: see the `encode` module (always lossless).

mod encode;
pub mod icc;

use crate::{Format, IoError, Reader};
use icc::{ColorEncoding, Space};
use jxl_oxide::color::{ColourEncoding, ColourSpace, EnumColourEncoding, Primaries, TransferFunction, WhitePoint};
use jxl_oxide::image::BitDepth;
use jxl_oxide::{AlignedGrid, AllocTracker, InitializeResult, JxlImage, JxlThreadPool};
use jxl_render::ImageBuffer;
use rayon::prelude::*;
use std::path::Path;
use vfx_core::{globals, ImageSpec, PixelData, TypeDesc};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "jpegxl",
    extensions: &["jxl"],
    sniff,
    open: Some(open_with),
    write: Some(encode::write_request),
    supports,
};

/// OIIO's reader answers "exif" and "ioproxy"; its writer "alpha",
/// "nchannels", "exif", "ioproxy" and "tiles". One table serves both.
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(feature, "exif" | "ioproxy" | "alpha" | "nchannels" | "tiles"))
}

/// The ISOBMFF container's signature box.
const CONTAINER_SIG: [u8; 12] = [0, 0, 0, 0x0c, b'J', b'X', b'L', b' ', 0x0d, 0x0a, 0x87, 0x0a];

/// A bare codestream (FF 0A) or the container signature box.
pub fn sniff(head: &[u8]) -> bool {
    head.starts_with(&[0xff, 0x0a]) || head.starts_with(&CONTAINER_SIG)
}

fn corrupt(m: impl Into<String>) -> IoError {
    IoError::Corrupt(m.into())
}

const DECODER_ERROR: &str = "JPEG XL decoder error";

pub fn open_with(path: &Path, _config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let data = std::fs::read(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    Ok(Box::new(decode(&data)?))
}

/// A decoded file: OIIO decodes the whole image when opening.
struct JxlReader {
    spec: ImageSpec,
    pixels: PixelData,
}

impl Reader for JxlReader {
    fn format_name(&self) -> &'static str {
        "jpegxl"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        (subimage == 0 && miplevel == 0).then(|| self.spec.clone())
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        if subimage != 0 || miplevel != 0 {
            return Err(IoError::Open(format!(
                "Invalid subimage {subimage} / miplevel {miplevel}"
            )));
        }
        Ok(self.pixels.clone())
    }
}

// ---------------------------------------------------------------------------
// Header peeking: the image size before the decoder allocates anything.

/// LSB-first bit reader over a byte slice (reads past the end fail).
struct Bits<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Bits<'_> {
    fn read(&mut self, n: usize) -> Option<u32> {
        let mut v = 0u32;
        for i in 0..n {
            let byte = *self.data.get((self.pos + i) / 8)?;
            v |= u32::from((byte >> ((self.pos + i) % 8)) & 1) << i;
        }
        self.pos += n;
        Some(v)
    }
}

/// The first bytes of the codestream: the file itself, or the payload of
/// its first `jxlc` / `jxlp` box.
fn codestream_head(data: &[u8]) -> Option<&[u8]> {
    if data.starts_with(&[0xff, 0x0a]) {
        return Some(data);
    }
    let mut at = 0usize;
    while at + 8 <= data.len() {
        let size32 = u32::from_be_bytes(data[at..at + 4].try_into().ok()?) as u64;
        let ty = &data[at + 4..at + 8];
        let (header, size) = match size32 {
            1 => (16usize, u64::from_be_bytes(data.get(at + 8..at + 16)?.try_into().ok()?)),
            0 => (8, (data.len() - at) as u64),
            s => (8, s),
        };
        let payload = data.get(at + header..)?;
        match ty {
            b"jxlc" => return Some(payload),
            b"jxlp" => return payload.get(4..),
            _ => {}
        }
        if size < header as u64 {
            return None;
        }
        at = at.checked_add(usize::try_from(size).ok()?)?;
    }
    None
}

/// Width and height from the codestream's SizeHeader.
fn peek_size(data: &[u8]) -> Option<(u64, u64)> {
    let cs = codestream_head(data)?;
    let mut b = Bits { data: cs, pos: 16 };
    let u32dist = |b: &mut Bits| -> Option<u64> {
        let bits = [9, 13, 18, 30][b.read(2)? as usize];
        Some(u64::from(b.read(bits)?) + 1)
    };
    let small = b.read(1)? == 1;
    let h = if small {
        (u64::from(b.read(5)?) + 1) * 8
    } else {
        u32dist(&mut b)?
    };
    let ratio = b.read(3)?;
    let w = match ratio {
        0 if small => (u64::from(b.read(5)?) + 1) * 8,
        0 => u32dist(&mut b)?,
        r => {
            let (num, den) = [(1, 1), (12, 10), (4, 3), (3, 2), (16, 9), (5, 4), (2, 1)][r as usize - 1];
            h * num / den
        }
    };
    Some((w, h))
}

// ---------------------------------------------------------------------------
// Colour encodings as libjxl reports them.

fn customxy(v: &jxl_oxide::color::Customxy) -> [f64; 2] {
    [
        f64::from(v.x) * (1.0 / 1_000_000.0),
        f64::from(v.y) * (1.0 / 1_000_000.0),
    ]
}

/// libjxl's `JxlColorEncoding` view of a header enum encoding.
fn external_encoding(e: &EnumColourEncoding) -> ColorEncoding {
    let space = match e.colour_space {
        ColourSpace::Rgb => Space::Rgb,
        ColourSpace::Grey => Space::Gray,
        ColourSpace::Xyb => Space::Xyb,
        ColourSpace::Unknown => Space::Unknown,
    };
    let (white_point, white) = match &e.white_point {
        WhitePoint::D65 => (icc::WP_D65, icc::white_xy(icc::WP_D65)),
        WhitePoint::Custom(xy) => (icc::WP_CUSTOM, customxy(xy)),
        WhitePoint::E => (icc::WP_E, icc::white_xy(icc::WP_E)),
        WhitePoint::Dci => (icc::WP_DCI, icc::white_xy(icc::WP_DCI)),
    };
    let (mut primaries, mut rgb) = match &e.primaries {
        Primaries::Srgb => (icc::PR_SRGB, icc::primaries_xy(icc::PR_SRGB)),
        Primaries::Custom { red, green, blue } => (icc::PR_CUSTOM, [customxy(red), customxy(green), customxy(blue)]),
        Primaries::Bt2100 => (icc::PR_2100, icc::primaries_xy(icc::PR_2100)),
        Primaries::P3 => (icc::PR_P3, icc::primaries_xy(icc::PR_P3)),
    };
    if !matches!(space, Space::Rgb | Space::Unknown) {
        primaries = icc::PR_NONE;
        rgb = [[0.0; 2]; 3];
    }
    let (tf, gamma) = match e.tf {
        TransferFunction::Gamma { g, .. } => (icc::TF_GAMMA, f64::from(g) * (1.0 / 10_000_000.0)),
        TransferFunction::Bt709 => (icc::TF_709, 0.0),
        TransferFunction::Unknown => (icc::TF_UNKNOWN, 0.0),
        TransferFunction::Linear => (icc::TF_LINEAR, 0.0),
        TransferFunction::Srgb => (icc::TF_SRGB, 0.0),
        TransferFunction::Pq => (icc::TF_PQ, 0.0),
        TransferFunction::Dci => (icc::TF_DCI, 0.0),
        TransferFunction::Hlg => (icc::TF_HLG, 0.0),
    };
    ColorEncoding {
        space,
        white_point,
        white,
        primaries,
        rgb,
        tf,
        gamma,
        intent: e.rendering_intent as u32,
    }
}

/// libjxl's `CanOutputToColorEncoding`: an XYB image is rendered to its
/// original enum encoding only when that is a curve libjxl can apply.
fn can_output_to(c: &ColorEncoding) -> bool {
    c.tf != icc::TF_UNKNOWN && !(c.space == Space::Gray && c.white_point != icc::WP_D65)
}

/// Linear sRGB (or linear grey): libjxl's output space for XYB images
/// whose original space it cannot render to.
fn linear_srgb(gray: bool) -> EnumColourEncoding {
    EnumColourEncoding {
        colour_space: if gray { ColourSpace::Grey } else { ColourSpace::Rgb },
        white_point: WhitePoint::D65,
        primaries: Primaries::Srgb,
        tf: TransferFunction::Linear,
        rendering_intent: jxl_oxide::RenderingIntent::Relative,
    }
}

// ---------------------------------------------------------------------------
// Decoding

/// The type OIIO reads for a bit depth.
fn pixel_type(depth: BitDepth) -> TypeDesc {
    match depth {
        BitDepth::IntegerSample { bits_per_sample: b } if b <= 8 => TypeDesc::UINT8,
        BitDepth::FloatSample { bits_per_sample: b, .. } if b <= 8 => TypeDesc::UINT8,
        BitDepth::IntegerSample { bits_per_sample: b } if b <= 16 => TypeDesc::UINT16,
        BitDepth::FloatSample { bits_per_sample: b, .. } if b <= 16 => TypeDesc::HALF,
        _ => TypeDesc::FLOAT,
    }
}

fn decode(data: &[u8]) -> Result<JxlReader, IoError> {
    // OIIO checks the signature on the first 128 bytes (shorter files fail).
    if data.len() < 128 || !sniff(data) {
        return Err(corrupt("Possible corrupt file, JPEG XL signature verification failed"));
    }
    // Check the declared size before the decoder allocates for it.
    if let Some((w, h)) = peek_size(data) {
        let mut spec = ImageSpec::new(
            w.min(i32::MAX as u64) as i32,
            h.min(i32::MAX as u64) as i32,
            1,
            TypeDesc::UINT8,
        );
        spec.width = w.min(i32::MAX as u64) as i32;
        check_open(&spec, data.len() as u64)?;
    }
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| decode_inner(data))) {
        Ok(r) => r,
        Err(_) => Err(corrupt(DECODER_ERROR)),
    }
}

/// OIIO's `check_open` with the JPEG XL limits (2^30-1 square, 4099
/// channels), plus our guard against tiny files claiming huge images.
fn check_open(spec: &ImageSpec, file_size: u64) -> Result<(), IoError> {
    let limits = crate::input::OpenLimits {
        width: (1 << 30) - 1,
        height: (1 << 30) - 1,
        depth: 1,
        nchannels: 4099,
    };
    crate::input::check_open("jpegxl", spec, limits).map_err(corrupt)?;
    let bytes = spec.image_bytes(true);
    if bytes >= 1 << 30 && bytes > file_size.saturating_mul(10000) {
        return Err(corrupt(format!(
            "jpegxl header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            bytes >> 20
        )));
    }
    Ok(())
}

fn decode_inner(data: &[u8]) -> Result<JxlReader, IoError> {
    let dec_err = |_| corrupt(DECODER_ERROR);
    // Bound the decoder's allocations by what the declared image needs.
    let (pw, ph) = peek_size(data).ok_or_else(|| corrupt(DECODER_ERROR))?;
    let budget = pw
        .saturating_mul(ph)
        .saturating_mul(4 * 4 * 6)
        .saturating_add(256 << 20);
    let mut uninit = JxlImage::builder()
        .pool(JxlThreadPool::rayon_global())
        .alloc_tracker(AllocTracker::with_limit(usize::try_from(budget).unwrap_or(usize::MAX)))
        .build_uninit();
    uninit.feed_bytes(data).map_err(dec_err)?;
    let mut image = match uninit.try_init().map_err(dec_err)? {
        InitializeResult::Initialized(i) => i,
        InitializeResult::NeedMoreData(_) => return Err(corrupt(DECODER_ERROR)),
    };
    image.finalize().map_err(dec_err)?;

    let header = image.image_header();
    let meta = &header.metadata;
    let gray = meta.grayscale();
    let ncolor = if gray { 1 } else { 3 };
    let nextra = meta.ec_info.len();
    let nch = ncolor + nextra;
    let ty = pixel_type(meta.bit_depth);
    let (w, h) = (image.width(), image.height());
    let mut spec = ImageSpec::new(w as i32, h as i32, nch as i32, ty);
    check_open(&spec, data.len() as u64)?;
    if nch > 4 {
        return Err(corrupt("JxlDecoderImageOutBufferSize failed"));
    }

    // The colour encoding of the decoded pixels, as libjxl reports it.
    let mut data_icc: Option<Vec<u8>> = None;
    let mut data_enc: Option<ColorEncoding> = None;
    let mut xform: Option<Xform> = None;
    let xyb = meta.xyb_encoded;
    match &meta.colour_encoding {
        ColourEncoding::Enum(e) => {
            let orig = external_encoding(e);
            if xyb && !can_output_to(&orig) {
                let lin = linear_srgb(orig.space == Space::Gray);
                data_enc = Some(external_encoding(&lin));
                image.request_color_encoding(lin);
            } else if xyb
                && orig.space == Space::Rgb
                && !matches!(orig.tf, icc::TF_PQ | icc::TF_HLG)
                && (orig.primaries != icc::PR_SRGB || orig.white_point != icc::WP_D65)
            {
                // jxl-oxide does not convert XYB to other primaries the way
                // libjxl does: take linear sRGB and convert it ourselves.
                xform = icc::linear_srgb_to(&orig).map(|m| (m, orig.clone()));
                image.request_color_encoding(linear_srgb(false));
                data_enc = Some(orig);
            } else {
                if xyb {
                    image.request_color_encoding(e.clone());
                }
                data_enc = Some(orig);
            }
        }
        ColourEncoding::IccProfile(space) => {
            if xyb {
                let lin = linear_srgb(*space == ColourSpace::Grey);
                data_enc = Some(external_encoding(&lin));
                image.request_color_encoding(lin);
            } else if matches!(space, ColourSpace::Unknown | ColourSpace::Xyb) {
                return Err(corrupt("JxlDecoderGetICCProfileSize failed"));
            } else {
                data_icc = image.original_icc().map(<[u8]>::to_vec);
            }
        }
    }
    if data_icc.is_none() {
        data_icc = data_enc.as_ref().and_then(icc::create_profile);
    }

    if !image.is_loading_done() || image.num_loaded_keyframes() == 0 {
        return Err(corrupt(DECODER_ERROR));
    }
    let render = image.render_frame(image.num_loaded_keyframes() - 1).map_err(dec_err)?;
    let pixels = convert_pixels(&image, &render, &spec, xform.as_ref())?;

    if let Some(icc) = data_icc.filter(|i| !i.is_empty()) {
        spec.attribute(meta::bytes_param("ICCProfile", &icc));
        if let Err(e) = meta::decode_icc_profile(&icc, &mut spec) {
            if globals::get_int_attribute("imageinput:strict", 0) != 0 {
                return Err(corrupt(format!(
                    "Possible corrupt file, could not decode ICC profile: {e}"
                )));
            }
        }
    }
    if let Some(c) =
        data_enc.filter(|c| c.primaries != icc::PR_CUSTOM && c.white_point != icc::WP_CUSTOM && c.tf != icc::TF_GAMMA)
    {
        let prim = if c.primaries == icc::PR_P3 && c.white_point == icc::WP_D65 {
            12
        } else {
            c.primaries as i32
        };
        let cicp = [prim, c.tf as i32, 0, 1];
        spec.attribute(meta::int4_param("CICP", cicp));
        let id = meta::interop_id_from_cicp(&cicp);
        if !id.is_empty() {
            spec.attribute_str("oiio:ColorSpace", id);
        }
    }
    Ok(JxlReader { spec, pixels })
}

/// Where one output channel's samples come from.
#[derive(Clone, Copy)]
enum Src<'a> {
    I16(&'a AlignedGrid<i16>, BitDepth),
    I32(&'a AlignedGrid<i32>, BitDepth),
    F32(&'a AlignedGrid<f32>),
    /// A missing alpha channel (libjxl fills it opaque).
    Opaque,
}

fn src_of(b: &ImageBuffer, depth: BitDepth) -> Src<'_> {
    match b {
        ImageBuffer::F32(g) => Src::F32(g),
        ImageBuffer::I32(g) => Src::I32(g, depth),
        ImageBuffer::I16(g) => Src::I16(g, depth),
    }
}

/// A sample of a custom float format (sign, `exp_bits`, mantissa) as f32,
/// subnormals, infinities and NaNs included.
fn custom_float(v: u32, bits: u32, exp_bits: u32) -> f32 {
    if bits == 32 && exp_bits == 8 {
        return f32::from_bits(v);
    }
    if bits == 16 && exp_bits == 5 {
        return half::f16::from_bits(v as u16).to_f32();
    }
    let mant_bits = bits - exp_bits - 1;
    let sign = (v >> (bits - 1)) & 1;
    let exp = (v >> mant_bits) & ((1 << exp_bits) - 1);
    let mant = v & ((1 << mant_bits) - 1);
    let bias = (1i32 << (exp_bits - 1)) - 1;
    let mag = if exp == 0 {
        mant as f32 * 2f32.powi(1 - bias - mant_bits as i32)
    } else if exp == (1 << exp_bits) - 1 {
        if mant == 0 {
            f32::INFINITY
        } else {
            f32::NAN
        }
    } else {
        (1.0 + mant as f32 / (1u32 << mant_bits) as f32) * 2f32.powi(exp as i32 - bias)
    };
    if sign == 1 {
        -mag
    } else {
        mag
    }
}

/// Samples at the given (x, y) positions in libjxl's float domain: integers scaled
/// to [0, 1] by `1 / (2^bits - 1)`, float bit patterns decoded.
fn fill_row(src: Src<'_>, xs: impl Iterator<Item = (usize, usize)>, out: &mut [f32]) {
    fn int_scale(depth: BitDepth) -> Option<f32> {
        match depth {
            BitDepth::IntegerSample { bits_per_sample } => Some(1.0 / ((1u64 << bits_per_sample) - 1) as f32),
            BitDepth::FloatSample { .. } => None,
        }
    }
    fn conv(v: i32, depth: BitDepth, scale: Option<f32>) -> f32 {
        match (scale, depth) {
            (Some(s), _) => v as f32 * s,
            (
                None,
                BitDepth::FloatSample {
                    bits_per_sample,
                    exp_bits,
                },
            ) => custom_float(v as u32, bits_per_sample, exp_bits),
            _ => 0.0,
        }
    }
    match src {
        Src::Opaque => out.fill(1.0),
        Src::F32(g) => {
            for (o, (x, sy)) in out.iter_mut().zip(xs) {
                *o = *g.get_ref(x, sy);
            }
        }
        Src::I16(g, d) => {
            let s = int_scale(d);
            for (o, (x, sy)) in out.iter_mut().zip(xs) {
                *o = conv(i32::from(*g.get_ref(x, sy)), d, s);
            }
        }
        Src::I32(g, d) => {
            let s = int_scale(d);
            for (o, (x, sy)) in out.iter_mut().zip(xs) {
                *o = conv(*g.get_ref(x, sy), d, s);
            }
        }
    }
}

/// Interleave the rendered channels into the spec's layout and type, with
/// libjxl's output conversions (clamp and round to nearest for integers).
/// A colour conversion applied after decoding: linear sRGB to the
/// primaries of an encoding (matrix), then its transfer curve.
type Xform = ([[f32; 3]; 3], ColorEncoding);

fn convert_pixels(
    image: &JxlImage,
    render: &jxl_oxide::Render,
    spec: &ImageSpec,
    xform: Option<&Xform>,
) -> Result<PixelData, IoError> {
    let meta = &image.image_header().metadata;
    let nch = spec.nchannels as usize;
    let color = render.color_channels();
    let (ecs, ec_bufs) = render.extra_channels();
    let alpha = ecs
        .iter()
        .zip(ec_bufs)
        .zip(&meta.ec_info)
        .find(|((e, _), _)| e.is_alpha())
        .map(|((_, b), info)| src_of(b, info.bit_depth));
    let cdepth = meta.bit_depth;
    let c = |i: usize| src_of(&color[i.min(color.len() - 1)], cdepth);
    let want_alpha = nch == 2 || nch == 4;
    let ncolor = if nch < 3 { 1 } else { 3 };
    let mut srcs: Vec<Src> = (0..ncolor).map(c).collect();
    if want_alpha {
        srcs.push(alpha.unwrap_or(Src::Opaque));
    }
    if color.is_empty() {
        return Err(corrupt(DECODER_ERROR));
    }

    // Orientation: output pixel (ox, oy) reads source pixel (x, y).
    let orientation = render.orientation();
    let (sw, sh) = (
        image.image_header().size.width as usize,
        image.image_header().size.height as usize,
    );
    for s in &srcs {
        let (gw, gh) = match s {
            Src::F32(g) => (g.width(), g.height()),
            Src::I16(g, _) => (g.width(), g.height()),
            Src::I32(g, _) => (g.width(), g.height()),
            Src::Opaque => (sw, sh),
        };
        if gw < sw || gh < sh {
            return Err(corrupt(DECODER_ERROR));
        }
    }
    let (w, h) = (spec.width as usize, spec.height as usize);
    let ty = spec.format;
    let bps = ty.size();
    let row_bytes = w * nch * bps;
    let mut out = PixelData::zeroed(row_bytes * h).map_err(|e| corrupt(e.to_string()))?;
    out.bytes_mut()
        .par_chunks_mut(row_bytes.max(1))
        .enumerate()
        .for_each(|(oy, row)| {
            let mut vals = vec![vec![0f32; w]; srcs.len()];
            for (ch, &s) in srcs.iter().enumerate() {
                if xform.is_none() && orientation == 1 && store_exact(s, oy, w, ch, nch, ty, row) {
                    continue;
                }
                let coords = (0..w).map(|ox| match orientation {
                    2 => (sw - 1 - ox, oy),
                    3 => (sw - 1 - ox, sh - 1 - oy),
                    4 => (ox, sh - 1 - oy),
                    5 => (oy, ox),
                    6 => (oy, sh - 1 - ox),
                    7 => (sw - 1 - oy, sh - 1 - ox),
                    8 => (sw - 1 - oy, ox),
                    _ => (ox, oy),
                });
                fill_row(s, coords, &mut vals[ch]);
                if xform.is_none() {
                    store_row(&vals[ch], ch, nch, ty, row);
                }
            }
            if let (Some((m, enc)), [r, g, b, ..]) = (xform, &mut vals[..]) {
                for ((r, g), b) in r.iter_mut().zip(g.iter_mut()).zip(b.iter_mut()) {
                    let rgb = [*r, *g, *b];
                    let out = m.map(|row| icc::encode_tf(enc, row[0] * rgb[0] + row[1] * rgb[1] + row[2] * rgb[2]));
                    (*r, *g, *b) = (out[0], out[1], out[2]);
                }
                for (ch, v) in vals.iter().enumerate() {
                    store_row(v, ch, nch, ty, row);
                }
            }
        });
    Ok(out)
}

/// Samples that need no float round trip: integers of the output's bit
/// depth, float bit patterns of the output's float type. Returns false
/// (writing nothing) for anything else.
fn store_exact(src: Src<'_>, y: usize, w: usize, ch: usize, nch: usize, ty: TypeDesc, row: &mut [u8]) -> bool {
    fn ints<T: Copy + Into<i32>>(
        src: &[T],
        ch: usize,
        nch: usize,
        ty: TypeDesc,
        depth: BitDepth,
        row: &mut [u8],
    ) -> bool {
        match (depth, ty) {
            (BitDepth::IntegerSample { bits_per_sample: 8 }, t) if t == TypeDesc::UINT8 => {
                for (i, &v) in src.iter().enumerate() {
                    row[i * nch + ch] = v.into().clamp(0, 255) as u8;
                }
            }
            (BitDepth::IntegerSample { bits_per_sample: 16 }, t) if t == TypeDesc::UINT16 => {
                for (i, &v) in src.iter().enumerate() {
                    let at = (i * nch + ch) * 2;
                    row[at..at + 2].copy_from_slice(&(v.into().clamp(0, 65535) as u16).to_ne_bytes());
                }
            }
            (
                BitDepth::FloatSample {
                    bits_per_sample: 16,
                    exp_bits: 5,
                },
                t,
            ) if t == TypeDesc::HALF => {
                for (i, &v) in src.iter().enumerate() {
                    let at = (i * nch + ch) * 2;
                    row[at..at + 2].copy_from_slice(&(v.into() as u16).to_ne_bytes());
                }
            }
            (
                BitDepth::FloatSample {
                    bits_per_sample: 32,
                    exp_bits: 8,
                },
                t,
            ) if t == TypeDesc::FLOAT => {
                for (i, &v) in src.iter().enumerate() {
                    let at = (i * nch + ch) * 4;
                    row[at..at + 4].copy_from_slice(&(v.into() as u32).to_ne_bytes());
                }
            }
            _ => return false,
        }
        true
    }
    match src {
        Src::I16(g, d) => ints(&g.get_row(y)[..w], ch, nch, ty, d, row),
        Src::I32(g, d) => ints(&g.get_row(y)[..w], ch, nch, ty, d, row),
        Src::F32(g) if ty == TypeDesc::FLOAT => {
            for (i, &v) in g.get_row(y)[..w].iter().enumerate() {
                let at = (i * nch + ch) * 4;
                row[at..at + 4].copy_from_slice(&v.to_ne_bytes());
            }
            true
        }
        _ => false,
    }
}

/// Write one channel of a row in the output type.
fn store_row(vals: &[f32], ch: usize, nch: usize, ty: TypeDesc, row: &mut [u8]) {
    let to_int = |v: f32, max: f32| (v * max).clamp(0.0, max).round_ties_even();
    if ty == TypeDesc::UINT8 {
        for (i, &v) in vals.iter().enumerate() {
            row[i * nch + ch] = to_int(v, 255.0) as u8;
        }
    } else if ty == TypeDesc::UINT16 {
        for (i, &v) in vals.iter().enumerate() {
            let at = (i * nch + ch) * 2;
            row[at..at + 2].copy_from_slice(&(to_int(v, 65535.0) as u16).to_ne_bytes());
        }
    } else if ty == TypeDesc::HALF {
        for (i, &v) in vals.iter().enumerate() {
            let at = (i * nch + ch) * 2;
            row[at..at + 2].copy_from_slice(&half::f16::from_f32(v).to_bits().to_ne_bytes());
        }
    } else {
        for (i, &v) in vals.iter().enumerate() {
            let at = (i * nch + ch) * 4;
            row[at..at + 4].copy_from_slice(&v.to_ne_bytes());
        }
    }
}

// ---------------------------------------------------------------------------
// Metadata decoders shared with other formats, when built.

#[cfg(any(feature = "png", feature = "jpeg"))]
mod meta {
    pub use super::super::meta_exif::{bytes_param, interop_id_from_cicp};
    use vfx_core::{Aggregate, BaseType, ParamValue, TypeDesc, Value, VecSemantics};

    pub fn decode_icc_profile(icc: &[u8], spec: &mut vfx_core::ImageSpec) -> Result<(), String> {
        super::super::meta_exif::decode_icc_profile(icc, spec)
    }

    pub fn int4_param(name: &str, v: [i32; 4]) -> ParamValue {
        let ty = TypeDesc::new(BaseType::Int32, Aggregate::Scalar, VecSemantics::NoXform, 4);
        let vals: Vec<Value> = v.iter().map(|&x| Value::Int(i64::from(x))).collect();
        super::super::meta_exif::param(name, ty, &vals)
    }
}

#[cfg(not(any(feature = "png", feature = "jpeg")))]
mod meta {
    //! Stand-ins while the shared metadata module is not compiled in: the
    //! raw ICC profile and CICP codes are kept, nothing is decoded.
    use vfx_core::paramvalue::{Interp, Value};
    use vfx_core::{Aggregate, BaseType, ImageSpec, ParamValue, TypeDesc, VecSemantics};

    pub fn decode_icc_profile(_icc: &[u8], _spec: &mut ImageSpec) -> Result<(), String> {
        Ok(())
    }

    pub fn interop_id_from_cicp(_cicp: &[i32; 4]) -> &'static str {
        ""
    }

    fn values_param(name: &str, base: BaseType, vals: &[Value]) -> ParamValue {
        let ty = TypeDesc::new(base, Aggregate::Scalar, VecSemantics::NoXform, vals.len() as i32);
        ParamValue::from_values(name, ty, 1, Interp::Constant, vals).unwrap_or_else(|| ParamValue::from_int(name, 0))
    }

    pub fn bytes_param(name: &str, bytes: &[u8]) -> ParamValue {
        let vals: Vec<Value> = bytes.iter().map(|&b| Value::UInt(u64::from(b))).collect();
        values_param(name, BaseType::UInt8, &vals)
    }

    pub fn int4_param(name: &str, v: [i32; 4]) -> ParamValue {
        let vals: Vec<Value> = v.iter().map(|&x| Value::Int(i64::from(x))).collect();
        values_param(name, BaseType::Int32, &vals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tmp(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("vfx-jxl-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        dir.join(name)
    }

    /// Pseudo-random but smooth-ish samples of `ty`.
    fn pattern(w: usize, h: usize, n: usize, ty: TypeDesc) -> Vec<u8> {
        let mut out = Vec::new();
        let mut seed = 12345u32;
        for y in 0..h {
            for x in 0..w {
                for c in 0..n {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    let noise = (seed >> 16) as f32 / 65536.0;
                    let v = ((x * 3 + y * 5 + c * 40) % 256) as f32 / 255.0 * 0.9 + noise * 0.1;
                    if ty == TypeDesc::UINT8 {
                        out.push((v * 255.0) as u8);
                    } else if ty == TypeDesc::UINT16 {
                        out.extend_from_slice(&((v * 65535.0) as u16).to_ne_bytes());
                    } else if ty == TypeDesc::HALF {
                        let f = (v - 0.3) * 1000.0 * if c == 1 { 1e-6 } else { 1.0 };
                        out.extend_from_slice(&half::f16::from_f32(f).to_bits().to_ne_bytes());
                    } else {
                        let f = if (x + y) % 7 == 0 { -v * 1e30 } else { v * 3.0 - 1.0 };
                        out.extend_from_slice(&f.to_ne_bytes());
                    }
                }
            }
        }
        out
    }

    fn round_trip(w: usize, h: usize, n: usize, ty: TypeDesc) {
        let spec = ImageSpec::new(w as i32, h as i32, n as i32, ty);
        let px = pattern(w, h, n, ty);
        let file = encode::encode_file(&spec, &px).unwrap();
        let path = tmp(&format!("rt_{w}_{h}_{n}_{ty}.jxl"));
        std::fs::write(&path, &file).unwrap();
        let mut r = open_with(&path, None).unwrap();
        let s = r.spec(0, 0).unwrap();
        assert_eq!(
            (s.width, s.height, s.nchannels, s.format),
            (w as i32, h as i32, n as i32, ty)
        );
        let back = r.read_image(0, 0).unwrap();
        assert!(back.bytes() == &px[..], "{w}x{h} {n}ch {ty} differs");
    }

    #[test]
    fn lossless_round_trips() {
        for ty in [TypeDesc::UINT8, TypeDesc::UINT16, TypeDesc::HALF, TypeDesc::FLOAT] {
            for n in [1, 3, 4] {
                round_trip(37, 21, n, ty);
                round_trip(1, 9, n, ty);
                round_trip(7, 1, n, ty);
            }
        }
    }

    #[test]
    fn multi_group_round_trips() {
        round_trip(300, 520, 3, TypeDesc::UINT8);
        round_trip(513, 260, 4, TypeDesc::UINT16);
        round_trip(260, 300, 1, TypeDesc::FLOAT);
        round_trip(1, 600, 4, TypeDesc::HALF);
        round_trip(2100, 3, 3, TypeDesc::FLOAT);
    }

    fn encoded(w: usize, h: usize, n: usize, ty: TypeDesc) -> Vec<u8> {
        let spec = ImageSpec::new(w as i32, h as i32, n as i32, ty);
        encode::encode_file(&spec, &pattern(w, h, n, ty)).unwrap()
    }

    /// The codestream of one of our container files (a bare .jxl).
    fn bare(file: &[u8]) -> Vec<u8> {
        codestream_head(file).unwrap().to_vec()
    }

    #[test]
    fn bare_codestream_reads() {
        let file = encoded(40, 30, 3, TypeDesc::UINT8);
        let path = tmp("bare.jxl");
        std::fs::write(&path, bare(&file)).unwrap();
        let mut r = open_with(&path, None).unwrap();
        assert_eq!(
            r.read_image(0, 0).unwrap().bytes(),
            &pattern(40, 30, 3, TypeDesc::UINT8)[..]
        );
    }

    #[test]
    fn damaged_files_fail_cleanly() {
        let cases = [
            encoded(40, 30, 3, TypeDesc::UINT8),
            bare(&encoded(33, 20, 4, TypeDesc::UINT16)),
            encoded(20, 300, 1, TypeDesc::FLOAT),
            encoded(1, 50, 4, TypeDesc::HALF),
        ];
        let path = tmp("damaged.jxl");
        for good in cases {
            crate::formats::test_support::read_damaged_copies(&good, &path, open_with);
        }
    }

    #[test]
    fn bad_headers() {
        let path = tmp("bad.jxl");
        // Shorter than 128 bytes: OIIO's signature check fails.
        std::fs::write(&path, [0xff, 0x0a, 0, 0]).unwrap();
        let e = open_with(&path, None).err().unwrap();
        assert_eq!(
            e.to_string(),
            "Possible corrupt file, JPEG XL signature verification failed"
        );
        // A codestream claiming 2^21 x 2^21 pixels.
        let mut b = vec![0xff, 0x0a];
        let mut bw = encode::BitWriter::default();
        bw.put(1, 0);
        bw.put(2, 3);
        bw.put(30, (1 << 21) - 1);
        bw.put(3, 0);
        bw.put(2, 3);
        bw.put(30, (1 << 21) - 1);
        b.extend(bw.into_bytes());
        b.resize(200, 0);
        std::fs::write(&path, &b).unwrap();
        let e = open_with(&path, None).err().unwrap().to_string();
        assert!(e.contains("exceeds \"limits:resolution\""), "{e}");
        // A huge but legal size in a tiny file.
        let mut bw = encode::BitWriter::default();
        bw.put(8, 0xff);
        bw.put(8, 0x0a);
        bw.put(1, 0);
        bw.put(2, 3);
        bw.put(30, 60000);
        bw.put(3, 0);
        bw.put(2, 3);
        bw.put(30, 60000);
        let mut b = bw.into_bytes();
        b.resize(200, 0);
        std::fs::write(&path, &b).unwrap();
        assert!(open_with(&path, None).is_err());
        // Garbage after a valid signature.
        let mut b = vec![0xff, 0x0a];
        b.extend((0..300u32).map(|i| (i * 7919 % 251) as u8));
        std::fs::write(&path, &b).unwrap();
        assert!(open_with(&path, None).is_err());
    }

    #[test]
    fn writer_rejects_what_oiio_rejects() {
        let px = vec![0u8; 64];
        let spec = ImageSpec::new(4, 4, 2, TypeDesc::UINT8);
        assert!(encode::encode_file(&spec, &px).is_err());
        let spec = ImageSpec::new(2, 2, 3, TypeDesc::INT16);
        let e = encode::encode_file(&spec, &px).err().unwrap().to_string();
        assert_eq!(e, "Unsupported data type int16");
        let mut spec = ImageSpec::new(4, 4, 1, TypeDesc::UINT8);
        spec.attribute_str("oiio:ColorSpace", "srgb_rec709_scene");
        if cfg!(any(feature = "png", feature = "jpeg")) {
            assert!(encode::encode_file(&spec, &px).is_err());
        }
    }

    #[test]
    fn colour_metadata_round_trips() {
        let mut spec = ImageSpec::new(16, 16, 3, TypeDesc::UINT16);
        let int4 = TypeDesc::new(
            vfx_core::BaseType::Int32,
            vfx_core::Aggregate::Scalar,
            vfx_core::VecSemantics::NoXform,
            4,
        );
        spec.attribute(
            vfx_core::ParamValue::from_values(
                "CICP",
                int4,
                1,
                vfx_core::Interp::Constant,
                &[9, 16, 0, 1].map(vfx_core::Value::Int),
            )
            .unwrap(),
        );
        let px = pattern(16, 16, 3, TypeDesc::UINT16);
        let path = tmp("pq.jxl");
        std::fs::write(&path, encode::encode_file(&spec, &px).unwrap()).unwrap();
        let r = open_with(&path, None).unwrap();
        let s = r.spec(0, 0).unwrap();
        let icc = s.extra_attribs.get("ICCProfile", TypeDesc::UNKNOWN, false).unwrap();
        assert_eq!(icc.count(), 4324); // libjxl 0.12's "Rec2100PQ" profile
        let cicp = s.extra_attribs.get("CICP", int4, false).unwrap();
        assert_eq!((0..4).map(|i| cicp.get(i).as_i64()).collect::<Vec<_>>(), [9, 16, 0, 1]);
    }

    #[test]
    fn icc_profile_is_embedded() {
        for (n, gray) in [(3, false), (1, true)] {
            let mut c = icc::ColorEncoding::srgb_like(gray, icc::TF_709);
            c.intent = 0;
            let profile = icc::create_profile(&c).unwrap();
            let mut spec = ImageSpec::new(20, 10, n, TypeDesc::UINT8);
            spec.attribute(meta::bytes_param("ICCProfile", &profile));
            let px = pattern(20, 10, n as usize, TypeDesc::UINT8);
            let path = tmp(&format!("icc{n}.jxl"));
            std::fs::write(&path, encode::encode_file(&spec, &px).unwrap()).unwrap();
            let mut r = open_with(&path, None).unwrap();
            let s = r.spec(0, 0).unwrap();
            let back = s.extra_attribs.get("ICCProfile", TypeDesc::UNKNOWN, false).unwrap();
            let bytes: Vec<u8> = (0..back.count()).map(|i| back.get(i).as_i64() as u8).collect();
            assert_eq!(bytes, profile);
            assert!(s.extra_attribs.get("CICP", TypeDesc::UNKNOWN, false).is_none());
            assert_eq!(r.read_image(0, 0).unwrap().bytes(), &px[..]);
        }
    }

    #[test]
    fn orientation_is_applied() {
        let (w, h) = (5usize, 3usize);
        let px = pattern(w, h, 3, TypeDesc::UINT8);
        let at = |x: usize, y: usize| &px[(y * w + x) * 3..][..3];
        for o in 1..=8u32 {
            let mut cs = encode::oriented_codestream(&px, w, h, o);
            cs.resize(cs.len().max(128), 0);
            let path = tmp(&format!("orient{o}.jxl"));
            std::fs::write(&path, &cs).unwrap();
            let mut r = open_with(&path, None).unwrap();
            let s = r.spec(0, 0).unwrap();
            let (ow, oh) = (s.width as usize, s.height as usize);
            assert_eq!((ow, oh), if o > 4 { (h, w) } else { (w, h) });
            let back = r.read_image(0, 0).unwrap();
            // jxl-oxide's own oriented rendering agrees.
            let img = JxlImage::builder().read(&cs[..]).unwrap();
            let fb = img.render_frame(0).unwrap().image_all_channels();
            let theirs: Vec<u8> = fb.buf().iter().map(|v| (v * 255.0).round() as u8).collect();
            assert_eq!(back.bytes(), &theirs[..], "orientation {o}");
            for oy in 0..oh {
                for ox in 0..ow {
                    let (x, y) = match o {
                        2 => (w - 1 - ox, oy),
                        3 => (w - 1 - ox, h - 1 - oy),
                        4 => (ox, h - 1 - oy),
                        5 => (oy, ox),
                        6 => (oy, h - 1 - ox),
                        7 => (w - 1 - oy, h - 1 - ox),
                        8 => (w - 1 - oy, ox),
                        _ => (ox, oy),
                    };
                    assert_eq!(&back.bytes()[(oy * ow + ox) * 3..][..3], at(x, y), "orientation {o}");
                }
            }
        }
    }

    #[test]
    fn sniffing() {
        assert!(sniff(&[0xff, 0x0a, 0, 0]));
        assert!(sniff(&CONTAINER_SIG));
        assert!(!sniff(b"\x89PNG\r\n\x1a\n"));
    }
}

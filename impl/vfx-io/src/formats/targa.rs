//! Truevision Targa (.tga, .tpic): 8/15/16/24/32-bit true colour,
//! colour-mapped and greyscale images, raw or run-length encoded, with the
//! TGA 2.0 extension area (author, comments, date, job, software, pixel
//! aspect, gamma, alpha type, postage-stamp thumbnail) — read and written
//! as OpenImageIO 3.2.2 does.
//!
//! Reading keeps OIIO's rules: everything becomes uint8; alpha exists for
//! 32-bit pixels and for greyscale with alpha bits; `oiio:BitsPerSample` is
//! the pixel size divided by the channel count; rows are flipped per the
//! descriptor's top-to-bottom bit, columns per its right-to-left bit; the
//! (unassociated) alpha is premultiplied unless the extension says it
//! already is, the open configuration asks for `oiio:UnassociatedAlpha`, or
//! a TGA 1.0 file's alpha is zero everywhere (then it is meaningless).
//! Association uses `oiio:Gamma` (from the extension's gamma) exactly as
//! OIIO's approximate `pow` does.
//!
//! Writing: uint8, greyscale for 1-2 channels, true colour for 3-4; RLE
//! (with the top-to-bottom flag) when `compression` is anything but "none"
//! and there are at least 3 channels; alpha is un-premultiplied; the
//! extension area and footer are always written, with a thumbnail when
//! one is given (at most 255x255, same channel count).

use crate::{Format, IoError, Level, Reader};
use rayon::prelude::*;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;
use vfx_core::convert::convert_bytes;
use vfx_core::{globals, ImageSpec, PixelData, TypeDesc};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "targa",
    extensions: &["tga", "tpic"],
    sniff,
    open: Some(open),
    write: Some(write_request),
    supports,
};

/// Reader: "thumbnail", "ioproxy"; writer also "alpha" and
/// "thumbnail_after_write".
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(
        feature,
        "thumbnail" | "ioproxy" | "alpha" | "thumbnail_after_write"
    ))
}

/// Targa has no magic number; accept a header whose fields are legal.
pub fn sniff(head: &[u8]) -> bool {
    if head.len() < 18 {
        return false;
    }
    let (cmap, ty, bpp) = (head[1], head[2], head[16]);
    cmap <= 1 && matches!(ty, 1 | 2 | 3 | 9 | 10 | 11) && matches!(bpp, 8 | 15 | 16 | 24 | 32)
}

const PALETTED: u8 = 1;
const GRAY: u8 = 3;
const RLE_BASE: u8 = 9;
const FLAG_X_FLIP: u8 = 0x10;
const FLAG_Y_FLIP: u8 = 0x20;
const ALPHA_NONE: u8 = 0;
const ALPHA_RETAIN: u8 = 2;
const ALPHA_USEFUL: u8 = 3;
const ALPHA_PREMULTIPLIED: u8 = 4;

fn corrupt(m: impl Into<String>) -> IoError {
    IoError::Corrupt(m.into())
}

fn eof() -> IoError {
    corrupt("Read error: hit end of file in targa reader")
}

// ---------------------------------------------------------------------------
// OIIO's fast approximate pow (used for gamma-aware alpha association).

fn fast_log2(v: f32) -> f32 {
    let x = v.clamp(f32::MIN_POSITIVE, f32::MAX);
    let bits = x.to_bits();
    let exponent = (bits >> 23) as i32 - 127;
    let f = f32::from_bits((bits & 0x007f_ffff) | 0x3f80_0000) - 1.0;
    let f2 = f * f;
    let f4 = f2 * f2;
    let mut hi = f * -0.009_310_496_f32 + 0.052_064_69;
    let mut lo = f * 0.478_684_8 + -0.721_165_9;
    hi = f * hi + -0.137_531_24;
    hi = f * hi + 0.241_873_7;
    hi = f * hi + -0.347_305_47;
    lo = f * lo + 1.442_689_9;
    ((f4 * hi) + (f * lo)) + exponent as f32
}

fn fast_exp2(v: f32) -> f32 {
    let mut x = v.clamp(-126.0, 126.0);
    let m = x as i32;
    x -= m as f32;
    x = 1.0 - (1.0 - x);
    let mut r = 1.333_365e-3_f32;
    r = x * r + 9.810_353e-3;
    r = x * r + 5.551_834e-2;
    r = x * r + 0.240_179_33;
    r = x * r + 0.693_144_86;
    r = x * r + 1.0;
    f32::from_bits(r.to_bits().wrapping_add((m as u32) << 23))
}

fn fast_pow_pos(x: f32, y: f32) -> f32 {
    fast_exp2(y * fast_log2(x))
}

/// Premultiply 8-bit pixels in place (OIIO's targa `associateAlpha`).
fn associate_alpha(data: &mut [u8], nch: usize, alpha: usize, gamma: f32) {
    // Without gamma the product is exact integer arithmetic: tabulate it.
    let lut: Vec<u8> = if gamma == 1.0 {
        (0..256 * 256).map(|i| ((i >> 8) * (i & 255) / 255) as u8).collect()
    } else {
        Vec::new()
    };
    data.par_chunks_mut(nch * 4096).for_each(|chunk| {
        for px in chunk.chunks_exact_mut(nch) {
            let a = px[alpha];
            if gamma == 1.0 {
                let row = &lut[usize::from(a) << 8..(usize::from(a) + 1) << 8];
                for c in (0..nch).filter(|&c| c != alpha) {
                    px[c] = row[usize::from(px[c])];
                }
            } else {
                let k = fast_pow_pos(f32::from(a) * (1.0 / 255.0), gamma);
                for c in (0..nch).filter(|&c| c != alpha) {
                    px[c] = (f32::from(px[c]) * k) as u8;
                }
            }
        }
    });
}

/// Table of `min(255, f * 255 / a)` indexed by `a << 8 | f` (a > 0).
fn unpremult_lut() -> Vec<u8> {
    (0..256 * 256)
        .map(|i: usize| {
            let (a, f) = (i >> 8, i & 255);
            (f * 255).checked_div(a).map_or(f, |v| v.min(255)) as u8
        })
        .collect()
}

/// Un-premultiply 8-bit pixels in place (OIIO's targa `deassociateAlpha`);
/// `lut` is [`unpremult_lut`] (used when `gamma` is 1).
fn deassociate_alpha(data: &mut [u8], nch: usize, alpha: usize, gamma: f32, lut: &[u8]) {
    for px in data.chunks_exact_mut(nch) {
        let a = px[alpha];
        if a == 0 {
            continue;
        }
        if gamma == 1.0 {
            let row = &lut[usize::from(a) << 8..(usize::from(a) + 1) << 8];
            for c in (0..nch).filter(|&c| c != alpha) {
                px[c] = row[usize::from(px[c])];
            }
        } else {
            let k = fast_pow_pos(255.0 / f32::from(a), gamma);
            for c in (0..nch).filter(|&c| c != alpha) {
                px[c] = ((f32::from(px[c]) * k) as u32).min(255) as u8;
            }
        }
    }
}

// ---------------------------------------------------------------------------
// Colour-space helpers (OIIO's rec709-gamma naming).

fn set_colorspace_gamma(spec: &mut ImageSpec, gamma: f32) {
    let g = (gamma * 100.0).round() / 100.0;
    let named = [
        (1.8, "g18_rec709_scene"),
        (2.2, "g22_rec709_scene"),
        (2.4, "g24_rec709_scene"),
    ];
    if (g - 1.0).abs() <= 0.01 {
        spec.set_colorspace("lin_rec709_scene");
    } else if let Some((v, name)) = named.iter().find(|(v, _)| (g - v).abs() <= 0.01) {
        spec.set_colorspace(name);
        spec.attribute_float("oiio:Gamma", *v);
    } else {
        spec.set_colorspace(&format!("g{}_rec709_scene", (g * 10.0).round() as i64));
        spec.attribute_float("oiio:Gamma", gamma);
    }
}

/// OIIO's `get_colorspace_rec709_gamma`: 1 for linear spaces, the gamma of
/// a "gNN_rec709" space, else `oiio:Gamma` (0 when unknown).
fn colorspace_gamma(spec: &ImageSpec) -> f32 {
    let cs = spec.get_string_attribute("oiio:ColorSpace", "");
    let lower = cs.to_ascii_lowercase();
    let linear = [
        "linear",
        "scene_linear",
        "lin_rec709_scene",
        "lin_rec709",
        "lin_srgb",
        "linear rec.709 (srgb)",
        "utility - linear - srgb",
    ];
    if linear.contains(&lower.as_str()) {
        return 1.0;
    }
    let aliases = [
        ("g18_rec709", "g18_rec709_scene"),
        ("g22_rec709", "g22_rec709_scene"),
        ("g24_rec709", "g24_rec709_scene"),
        ("gamma 1.8 rec.709 - texture", "g18_rec709_scene"),
        ("gamma 2.2 rec.709 - texture", "g22_rec709_scene"),
        ("gamma 2.4 rec.709 - texture", "g24_rec709_scene"),
        ("rec1886_rec709_display", "g24_rec709_display"),
    ];
    let name = aliases
        .iter()
        .find(|(a, _)| *a == lower)
        .map_or(cs.as_str(), |(_, id)| id);
    if let Some(rest) = name.strip_prefix('g') {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Ok(g10) = rest[..digits].parse::<i32>() {
            if g10 > 0 && matches!(&rest[digits..], "_rec709_scene" | "_rec709_display") {
                return g10 as f32 / 10.0;
            }
        }
    }
    if lower.starts_with("gamma") {
        if let Ok(g) = cs[5..].trim_start().parse::<f32>() {
            if (0.01..=10.0).contains(&g) {
                return g;
            }
        }
    }
    spec.get_float_attribute("oiio:Gamma", 0.0)
}

// ---------------------------------------------------------------------------
// Reader

#[derive(Clone, Debug)]
struct Header {
    idlen: u8,
    cmap_type: u8,
    ty: u8,
    cmap_first: u16,
    cmap_length: u16,
    cmap_size: u8,
    width: u16,
    height: u16,
    bpp: u8,
    attr: u8,
}

impl Header {
    fn parse(b: &[u8]) -> Header {
        let le = |o: usize| u16::from_le_bytes([b[o], b[o + 1]]);
        Header {
            idlen: b[0],
            cmap_type: b[1],
            ty: b[2],
            cmap_first: le(3),
            cmap_length: le(5),
            cmap_size: b[7],
            width: le(12),
            height: le(14),
            bpp: b[16],
            attr: b[17],
        }
    }
    fn is_palette(&self) -> bool {
        self.cmap_type != 0
    }
    fn base_type(&self) -> u8 {
        if self.ty >= RLE_BASE {
            self.ty - 8
        } else {
            self.ty
        }
    }
    fn bytespp(&self) -> usize {
        if self.bpp == 15 {
            2
        } else {
            usize::from(self.bpp / 8)
        }
    }
    fn palbytespp(&self) -> usize {
        if self.cmap_size == 15 {
            2
        } else {
            usize::from(self.cmap_size / 8)
        }
    }
}

/// Random-access reads of the file with OIIO's end-of-file error.
fn read_at(file: &mut File, offset: u64, buf: &mut [u8]) -> Result<(), IoError> {
    file.seek(SeekFrom::Start(offset))
        .and_then(|_| file.read_exact(buf))
        .map_err(|_| eof())
}

/// A C string of at most `max` bytes.
fn c_str(b: &[u8], max: usize) -> String {
    let b = &b[..b.len().min(max)];
    let n = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..n]).into_owned()
}

struct Decoder {
    header: Header,
    nchannels: usize,
    palette: Vec<u8>,
}

impl Decoder {
    /// One stored pixel to up to 4 output bytes (OIIO's `decode_pixel`).
    fn pixel(&self, input: &[u8], out: &mut [u8; 4]) -> Result<(), IoError> {
        let h = &self.header;
        let five = |v: u8| ((u32::from(v) << 3) | (u32::from(v) >> 2)) as u8;
        let from555 = |lo: u8, hi: u8, out: &mut [u8; 4]| {
            out[0] = five((hi & 0x7c) >> 2);
            out[1] = five(((lo & 0xe0) >> 5) | ((hi & 0x03) << 3));
            out[2] = five(lo & 0x1f);
        };
        match h.base_type() {
            PALETTED => {
                let k = input
                    .iter()
                    .enumerate()
                    .fold(0u64, |k, (i, &b)| k | (u64::from(b) << (8 * i)));
                let first = u64::from(h.cmap_first);
                if k < first || k >= first + u64::from(h.cmap_length) {
                    return Err(corrupt("Corrupt palette index"));
                }
                let pb = h.palbytespp();
                let k = (k - first) as usize * pb;
                let p = &self.palette[k..k + pb];
                match pb {
                    2 => from555(p[0], p[1], out),
                    3 => out[..3].copy_from_slice(&[p[2], p[1], p[0]]),
                    4 => *out = [p[2], p[1], p[0], p[3]],
                    _ => {}
                }
            }
            GRAY => {
                let n = input.len().min(4);
                out[..n].copy_from_slice(&input[..n]);
            }
            _ => match input.len() {
                2 => {
                    from555(input[0], input[1], out);
                    if self.nchannels > 3 {
                        out[3] = if input[0] & 0x80 != 0 { 255 } else { 0 };
                    }
                }
                3 => out[..3].copy_from_slice(&[input[2], input[1], input[0]]),
                4 => *out = [input[2], input[1], input[0], input[3]],
                _ => {}
            },
        }
        Ok(())
    }
}

struct TgaReader {
    spec: ImageSpec,
    header: Header,
    version: u8,
    alpha_type: u8,
    keep_unassociated: bool,
    ofs_palette: u64,
    ofs_thumb: u64,
    file: File,
    file_size: u64,
}

/// `FORMAT.open`; `oiio:UnassociatedAlpha` = 1 in the configuration keeps
/// the file's unassociated alpha.
pub fn open(path: &Path, config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let keep = config.is_some_and(|c| c.get_int_attribute("oiio:UnassociatedAlpha", 0) == 1);
    let mut file = File::open(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    let file_size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut hb = [0u8; 18];
    if read_at(&mut file, 0, &mut hb).is_err() {
        return Err(corrupt(
            "Read error: hit end of file in targa reader\nCould not read full header",
        ));
    }
    let h = Header::parse(&hb);
    if h.cmap_type > 1 {
        return Err(corrupt(format!("Illegal cmap_type value {} in header", h.cmap_type)));
    }
    if h.ty == 0 {
        return Err(corrupt("Image with no data"));
    }
    if !matches!(h.ty, 1 | 2 | 3 | 9 | 10 | 11) {
        return Err(corrupt(format!("Illegal image type: {}", h.ty)));
    }
    if !matches!(h.bpp, 8 | 15 | 16 | 24 | 32) {
        return Err(corrupt(format!("Illegal pixel size: {} bits per pixel", h.bpp)));
    }
    let base = h.base_type();
    if base == PALETTED && !h.is_palette() {
        return Err(corrupt("Palette image with no palette"));
    }
    if h.is_palette() {
        if base == GRAY {
            return Err(corrupt("Palette defined for grayscale image"));
        }
        if !matches!(h.cmap_size, 15 | 16 | 24 | 32) {
            return Err(corrupt(format!("Illegal palette entry size: {} bits", h.cmap_size)));
        }
        let top = u64::from(h.cmap_first) + u64::from(h.cmap_length);
        if top > 1u64 << h.bpp {
            return Err(corrupt(format!(
                "Too big a color palette ({top}) for {} bpp, assume corruption",
                h.bpp
            )));
        }
    }
    let mut alpha_type = ALPHA_NONE;
    if (base == 2 && h.bpp == 32) || (base == GRAY && h.bpp > 8) {
        alpha_type = if h.attr & 0x08 != 0 { ALPHA_USEFUL } else { ALPHA_NONE };
    }
    let colour = if base == GRAY { 1 } else { 3 };
    let nch = colour + i32::from(h.bpp == 32 || alpha_type >= ALPHA_RETAIN);
    let mut spec = ImageSpec::new(i32::from(h.width), i32::from(h.height), nch, TypeDesc::UINT8);
    spec.attribute_int("oiio:BitsPerSample", i32::from(h.bpp) / nch);
    if h.ty >= RLE_BASE {
        spec.attribute_str("compression", "rle");
    }
    // Refuse sizes the remaining file cannot hold (RLE expands 128x at most).
    let raw = u64::from(h.width) * u64::from(h.height) * h.bytespp() as u64;
    let avail = file_size.saturating_sub(18);
    let plausible = if h.ty >= RLE_BASE { avail * 128 } else { avail };
    if raw > plausible {
        return Err(corrupt(format!(
            "TGA header claims image size {raw} bytes, implausible for {avail} bytes of remaining file data"
        )));
    }
    if h.idlen > 0 {
        let mut id = vec![0u8; usize::from(h.idlen)];
        read_at(&mut file, 18, &mut id)?;
        spec.attribute_str("targa:ImageID", &c_str(&id, id.len()));
    }
    let ofs_palette = 18 + u64::from(h.idlen);
    let mut version = 1;
    let mut ofs_thumb = 0;
    if file_size > 26 + 18 {
        let mut foot = [0u8; 26];
        read_at(&mut file, file_size - 26, &mut foot)?;
        if &foot[8..25] == b"TRUEVISION-XFILE." {
            version = 2;
            let ofs_ext = u64::from(u32::from_le_bytes([foot[0], foot[1], foot[2], foot[3]]));
            let ext = read_extension(&mut file, ofs_ext, &mut spec)?;
            if let Some((at, thumb)) = ext {
                alpha_type = at;
                ofs_thumb = thumb;
            }
        }
    }
    spec.attribute_int("targa:version", i32::from(version));
    if spec.width <= 0 || spec.height <= 0 {
        return Err(corrupt(format!(
            "targa image resolution must be at least 1x1, but the file specified {}x{}x1, {} chans. Possible corrupt input?",
            spec.width, spec.height, spec.nchannels
        )));
    }
    let max_mb = globals::get_int_attribute("limits:imagesize_MB", 0);
    let bytes = spec.image_bytes(true);
    if max_mb > 0 && bytes > (max_mb as u64) << 20 {
        return Err(corrupt(format!(
            "Uncompressed image size {:.1} MB exceeds the {max_mb} MB limit.\nImage claimed to be {}x{}, {}-channel uint8. Possible corrupt input?\nIf this is a valid file, raise the OIIO attribute \"limits:imagesize_MB\".",
            bytes as f32 / (1u64 << 20) as f32,
            spec.width,
            spec.height,
            spec.nchannels
        )));
    }
    if spec.alpha_channel != -1 && alpha_type == ALPHA_USEFUL && keep {
        spec.attribute_int("oiio:UnassociatedAlpha", 1);
    }
    Ok(Box::new(TgaReader {
        spec,
        header: h,
        version,
        alpha_type,
        keep_unassociated: keep,
        ofs_palette,
        ofs_thumb,
        file,
        file_size,
    }))
}

/// Read the TGA 2.0 extension area into `spec`; returns the alpha type and
/// thumbnail offset when the area is a full (>= 495 byte) one.
fn read_extension(file: &mut File, ofs: u64, spec: &mut ImageSpec) -> Result<Option<(u8, u64)>, IoError> {
    let mut size = [0u8; 2];
    read_at(file, ofs, &mut size)?;
    if u16::from_le_bytes(size) < 495 {
        return Ok(None);
    }
    let mut e = [0u8; 493];
    read_at(file, ofs + 2, &mut e)?;
    let le16 = |o: usize| u16::from_le_bytes([e[o], e[o + 1]]);
    let le32 = |o: usize| u32::from_le_bytes([e[o], e[o + 1], e[o + 2], e[o + 3]]);
    if e[0] != 0 {
        spec.attribute_str("Artist", &c_str(&e[0..41], 41));
    }
    let comments = &e[41..41 + 324];
    let mut desc = c_str(comments, 81);
    for line in [81, 162, 243] {
        if comments[line] != 0 {
            desc.push('\n');
            desc.push_str(&c_str(&comments[line..], 81));
        }
    }
    if !desc.is_empty() {
        spec.attribute_str("ImageDescription", &desc);
    }
    let t: Vec<u16> = (0..6).map(|i| le16(365 + 2 * i)).collect();
    if t.iter().any(|&v| v != 0) {
        spec.attribute_str(
            "DateTime",
            &format!(
                "{:04}:{:02}:{:02} {:02}:{:02}:{:02}",
                t[2], t[0], t[1], t[3], t[4], t[5]
            ),
        );
    }
    if e[377] != 0 {
        spec.attribute_str("DocumentName", &c_str(&e[377..418], 41));
    }
    let (jh, jm, js) = (le16(418), le16(420), le16(422));
    if jh != 0 || jm != 0 || js != 0 {
        spec.attribute_str("targa:JobTime", &format!("{jh}:{jm:02}:{js:02}"));
    }
    if e[424] != 0 {
        let n = le16(465);
        let letter = e[467];
        let mut soft = format!("{} {}.{}", c_str(&e[424..465], 41), n / 100, n % 100);
        // A NUL letter ends the string as OIIO stores it.
        if letter != b' ' && letter != 0 {
            soft.push(letter as char);
        }
        spec.attribute_str("Software", &soft);
    }
    let (an, ad) = (le16(472), le16(474));
    if ad != 0 {
        spec.attribute_float("PixelAspectRatio", f32::from(an) / f32::from(ad));
    }
    let (gn, gd) = (le16(476), le16(478));
    if gd != 0 {
        set_colorspace_gamma(spec, f32::from(gn) / f32::from(gd));
    }
    let ofs_thumb = u64::from(le32(484));
    let alpha = e[492];
    if alpha > ALPHA_PREMULTIPLIED {
        return Err(corrupt(format!("Invalid alpha type {alpha}. Corrupted header?")));
    }
    if alpha != 0 {
        spec.attribute_int("targa:alpha_type", i32::from(alpha));
    }
    if ofs_thumb > 0 {
        let mut res = [0u8; 2];
        read_at(file, ofs_thumb, &mut res)?;
        if res[0] > 0 && res[1] > 0 {
            spec.attribute_int("thumbnail_width", i32::from(res[0]));
            spec.attribute_int("thumbnail_height", i32::from(res[1]));
            spec.attribute_int("thumbnail_nchannels", spec.nchannels);
        }
    }
    Ok(Some((alpha, ofs_thumb)))
}

impl TgaReader {
    fn decoder(&mut self) -> Result<Decoder, IoError> {
        let h = &self.header;
        let mut palette = Vec::new();
        if h.is_palette() {
            palette = vec![0u8; h.palbytespp() * usize::from(h.cmap_length)];
            let ofs = self.ofs_palette;
            read_at(&mut self.file, ofs, &mut palette)?;
        }
        Ok(Decoder {
            header: self.header.clone(),
            nchannels: self.spec.nchannels as usize,
            palette,
        })
    }

    /// Premultiply unless told not to (see the module notes).
    fn maybe_associate(&self, data: &mut [u8], nch: usize) {
        let alpha = self.spec.alpha_channel;
        if alpha < 0 || self.keep_unassociated || self.alpha_type == ALPHA_PREMULTIPLIED {
            return;
        }
        let alpha = alpha as usize;
        if self.version == 1 && data.chunks_exact(nch).all(|p| p[alpha] == 0) {
            return;
        }
        let gamma = self.spec.get_float_attribute("oiio:Gamma", 1.0);
        associate_alpha(data, nch, alpha, gamma);
    }

    fn read_all(&mut self) -> Result<PixelData, IoError> {
        let dec = self.decoder()?;
        let h = self.header.clone();
        let (w, ht) = (usize::from(h.width), usize::from(h.height));
        let nch = self.spec.nchannels as usize;
        let bpp = h.bytespp();
        let start = self.ofs_palette + dec.palette.len() as u64;
        let mut data = Vec::new();
        self.file
            .seek(SeekFrom::Start(start))
            .and_then(|_| (&mut self.file).take(self.file_size).read_to_end(&mut data))
            .map_err(|_| eof())?;
        let len = self.spec.image_bytes(true);
        let len = usize::try_from(len).map_err(|_| corrupt(format!("Cannot allocate {len} bytes")))?;
        let mut pixels = PixelData::zeroed(len).map_err(|e| corrupt(e.to_string()))?;
        let row_bytes = w * nch;
        // Buffer row of stored pixel `p` (file order starts at the bottom
        // unless the descriptor says top-to-bottom).
        let flip_y = h.attr & FLAG_Y_FLIP != 0;
        let dest_row = |fy: usize| if flip_y { fy } else { ht - 1 - fy };
        let out = pixels.bytes_mut();
        if h.ty < RLE_BASE {
            if data.len() < w * ht * bpp {
                return Err(eof());
            }
            let err = std::sync::Mutex::new(None);
            out.par_chunks_mut(row_bytes).enumerate().for_each(|(y, row)| {
                let fy = if flip_y { y } else { ht - 1 - y };
                let src = &data[fy * w * bpp..(fy + 1) * w * bpp];
                // Common layouts without the per-pixel decoder.
                match (h.base_type(), bpp, nch) {
                    (2, 3, 3) | (2, 4, 4) => {
                        for (o, s) in row.chunks_exact_mut(nch).zip(src.chunks_exact(bpp)) {
                            o.copy_from_slice(s);
                            o.swap(0, 2);
                        }
                        return;
                    }
                    (GRAY, 1, 1) => {
                        row.copy_from_slice(src);
                        return;
                    }
                    _ => {}
                }
                let mut px = [0u8; 4];
                for (x, o) in row.chunks_exact_mut(nch).enumerate() {
                    if let Err(e) = dec.pixel(&src[x * bpp..(x + 1) * bpp], &mut px) {
                        err.lock().expect("no poisoning").get_or_insert((y, e));
                        return;
                    }
                    o.copy_from_slice(&px[..nch]);
                }
            });
            if let Some((_, e)) = err.into_inner().expect("no poisoning") {
                return Err(e);
            }
        } else if let (2, 3, 3) | (2, 4, 4) | (GRAY, 1, 1) = (h.base_type(), bpp, nch) {
            match nch {
                1 => rle_direct::<1>(&data, out, w, ht, flip_y)?,
                3 => rle_direct::<3>(&data, out, w, ht, flip_y)?,
                _ => rle_direct::<4>(&data, out, w, ht, flip_y)?,
            }
        } else {
            // Packets run across rows; decode sequentially.
            let total = w * ht;
            let (mut p, mut i) = (0usize, 0usize);
            let mut px = [0u8; 4];
            let mut put = |p: usize, px: &[u8; 4]| {
                let (fy, x) = (p / w, p % w);
                let o = dest_row(fy) * row_bytes + x * nch;
                out[o..o + nch].copy_from_slice(&px[..nch]);
            };
            while p < total {
                let hdr = *data.get(i).ok_or_else(eof)?;
                let first = data.get(i + 1..i + 1 + bpp).ok_or_else(eof)?;
                i += 1 + bpp;
                dec.pixel(first, &mut px)?;
                let count = 1 + usize::from(hdr & 0x7f);
                if hdr & 0x80 != 0 {
                    for _ in 0..count.min(total - p) {
                        put(p, &px);
                        p += 1;
                    }
                } else {
                    put(p, &px);
                    p += 1;
                    for _ in 1..count {
                        if p >= total {
                            break;
                        }
                        let src = data.get(i..i + bpp).ok_or_else(eof)?;
                        i += bpp;
                        dec.pixel(src, &mut px)?;
                        put(p, &px);
                        p += 1;
                    }
                }
            }
        }
        if h.attr & FLAG_X_FLIP != 0 {
            out.par_chunks_mut(row_bytes).for_each(|row| {
                for x in 0..w / 2 {
                    for c in 0..nch {
                        row.swap(x * nch + c, (w - 1 - x) * nch + c);
                    }
                }
            });
        }
        self.maybe_associate(out, nch);
        Ok(pixels)
    }
}

/// RLE decoding for pixels stored as they are output (grey) or BGR(A):
/// `N` bytes per pixel, no palette. Same packet rules as the general path.
fn rle_direct<const N: usize>(data: &[u8], out: &mut [u8], w: usize, ht: usize, flip_y: bool) -> Result<(), IoError> {
    let total = w * ht;
    let swizzle = |s: &[u8]| -> [u8; N] {
        let mut px = [0u8; N];
        px.copy_from_slice(&s[..N]);
        if N >= 3 {
            px.swap(0, 2);
        }
        px
    };
    let (mut p, mut i) = (0usize, 0usize);
    while p < total {
        let hdr = *data.get(i).ok_or_else(eof)?;
        let count = 1 + usize::from(hdr & 0x7f);
        let n = count.min(total - p);
        let run = hdr & 0x80 != 0;
        let src = if run {
            let s = data.get(i + 1..i + 1 + N).ok_or_else(eof)?;
            i += 1 + N;
            s
        } else {
            let s = data.get(i + 1..i + 1 + n * N).ok_or_else(eof)?;
            i += 1 + n * N;
            s
        };
        let value = swizzle(src);
        // Split the packet at row ends (stored rows start at the bottom).
        let mut done = 0;
        while done < n {
            let (fy, x) = ((p + done) / w, (p + done) % w);
            let seg = (n - done).min(w - x);
            let row = if flip_y { fy } else { ht - 1 - fy };
            let dst = &mut out[(row * w + x) * N..(row * w + x + seg) * N];
            if run {
                for d in dst.chunks_exact_mut(N) {
                    d.copy_from_slice(&value);
                }
            } else {
                for (k, d) in dst.chunks_exact_mut(N).enumerate() {
                    d.copy_from_slice(&swizzle(&src[(done + k) * N..]));
                }
            }
            done += seg;
        }
        p += n;
    }
    Ok(())
}

impl Reader for TgaReader {
    fn format_name(&self) -> &'static str {
        "targa"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        (subimage == 0 && miplevel == 0).then(|| self.spec.clone())
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        if subimage != 0 || miplevel != 0 {
            return Err(IoError::Open(String::new()));
        }
        self.read_all()
    }

    /// The postage stamp: stored uncompressed in the image's pixel format,
    /// bottom row first, sRGB, alpha associated like the image's.
    fn thumbnail(&mut self, subimage: usize) -> Result<Option<(ImageSpec, PixelData)>, IoError> {
        if subimage != 0 || self.ofs_thumb == 0 {
            return Ok(None);
        }
        let mut res = [0u8; 2];
        let ofs = self.ofs_thumb;
        read_at(&mut self.file, ofs, &mut res)?;
        if res[0] == 0 || res[1] == 0 {
            return Ok(None);
        }
        let (tw, th) = (usize::from(res[0]), usize::from(res[1]));
        let nch = self.spec.nchannels as usize;
        let mut tspec = ImageSpec::new(tw as i32, th as i32, nch as i32, TypeDesc::UINT8);
        tspec.set_colorspace("srgb_rec709_scene");
        let dec = self.decoder()?;
        let bpp = self.header.bytespp();
        let mut raw = vec![0u8; tw * th * bpp];
        read_at(&mut self.file, ofs + 2, &mut raw)?;
        let mut pixels = PixelData::zeroed(tw * th * nch).map_err(|e| corrupt(e.to_string()))?;
        let out = pixels.bytes_mut();
        let mut px = [0u8; 4];
        for (i, src) in raw.chunks_exact(bpp).enumerate() {
            let (fy, x) = (i / tw, i % tw);
            dec.pixel(src, &mut px)?;
            let o = ((th - 1 - fy) * tw + x) * nch;
            out[o..o + nch].copy_from_slice(&px[..nch]);
        }
        self.maybe_associate(out, nch);
        Ok(Some((tspec, pixels)))
    }
}

// ---------------------------------------------------------------------------
// Writer

/// OIIO's output checks for Targa (65535 square, 1-4 channels, < 4 GiB).
fn check_output(spec: &ImageSpec) -> Result<(), IoError> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    let bad = |m: String| Err(IoError::Unsupported(m));
    if w > 65535 || h > 65535 {
        return bad(format!(
            "targa image resolution may not exceed 65535x65535, you asked for {w}x{h}"
        ));
    }
    if w <= 0 || h <= 0 {
        return bad(format!(
            "targa image resolution must be at least 1x1, you asked for {w}x{h}"
        ));
    }
    if spec.depth > 1 {
        return bad("targa does not support volume images (depth > 1)".into());
    }
    if !(1..=4).contains(&n) {
        return bad(format!("targa does not support {n}-channel images"));
    }
    if spec.channelformats.iter().any(|f| *f != spec.format) {
        return bad("targa does not support per-channel data formats".into());
    }
    if spec.deep {
        return bad("targa does not support 'deep' images".into());
    }
    if spec.tile_width != 0 || spec.tile_height != 0 {
        return bad("targa does not support tiled images".into());
    }
    if spec.image_bytes(true) + 18 + 26 >= 1 << 32 {
        return bad("Too large a TGA file".into());
    }
    Ok(())
}

/// The registry's writer: Targa holds one image (and maybe a thumbnail).
fn write_request(path: &Path, req: &crate::WriteRequest<'_>) -> Result<(), IoError> {
    let level = req
        .subimages
        .first()
        .and_then(|s| s.first())
        .ok_or_else(|| IoError::Write("targa: nothing to write".into()))?;
    write_with_thumbnail(path, level.spec, level.pixels, req.thumbnail)
}

/// Write one image.
pub fn write(path: &Path, spec: &ImageSpec, pixels: &[u8]) -> Result<(), IoError> {
    write_with_thumbnail(path, spec, pixels, None)
}

/// How the writer turns caller pixels into stored bytes.
struct RowPrep<'a> {
    spec: &'a ImageSpec,
    pixels: &'a [u8],
    convert_alpha: bool,
    gamma: f32,
    lut: Vec<u8>,
    /// Stored row `i` is image row `h - 1 - i` (raw files are bottom-up).
    flip: bool,
}

impl RowPrep<'_> {
    fn new<'a>(spec: &'a ImageSpec, pixels: &'a [u8], convert_alpha: bool, gamma: f32, flip: bool) -> RowPrep<'a> {
        let lut = if convert_alpha && gamma == 1.0 {
            unpremult_lut()
        } else {
            Vec::new()
        };
        RowPrep {
            spec,
            pixels,
            convert_alpha,
            gamma,
            lut,
            flip,
        }
    }

    /// Stored rows `first..first + n` (uint8, un-premultiplied, BGR(A))
    /// into `out`, in parallel.
    fn fill(&self, first: usize, out: &mut [u8]) {
        let spec = self.spec;
        let (w, h, nch) = (spec.width as usize, spec.height as usize, spec.nchannels as usize);
        let in_row = w * nch * spec.format.size();
        out.par_chunks_mut(w * nch).enumerate().for_each(|(i, dst)| {
            let oy = first + i;
            let y = if self.flip { h - 1 - oy } else { oy };
            let src = &self.pixels[y * in_row..(y + 1) * in_row];
            if spec.format == TypeDesc::UINT8 {
                dst.copy_from_slice(src);
            } else {
                convert_bytes(src, spec.format.basetype, dst, TypeDesc::UINT8.basetype);
            }
            if self.convert_alpha {
                deassociate_alpha(dst, nch, spec.alpha_channel as usize, self.gamma, &self.lut);
            }
            if nch >= 3 {
                for px in dst.chunks_exact_mut(nch) {
                    px.swap(0, 2);
                }
            }
        });
    }
}

/// RLE-encode one row of BGR(A) pixels with OIIO's packet decisions.
fn rle_row(row: &[u8], nch: usize, out: &mut Vec<u8>) {
    let w = row.len() / nch;
    let pix = |x: usize| {
        let mut p = [0u8; 4];
        p[..nch].copy_from_slice(&row[x * nch..(x + 1) * nch]);
        p
    };
    let flush_run = |out: &mut Vec<u8>, p: &[u8; 4], size: i64| {
        if size >= 1 {
            out.push(((size - 1) as u8) | 0x80);
            out.extend_from_slice(&p[..nch]);
        }
    };
    let flush_raw = |out: &mut Vec<u8>, size: i64, start: i64| {
        if size >= 1 {
            out.push(((size - 1) as u8) & 0x7f);
            for i in 0..size {
                let x = (start + i).clamp(0, w as i64 - 1) as usize;
                out.extend_from_slice(&row[x * nch..(x + 1) * nch]);
            }
        }
    };
    let (mut cur, mut prev) = ([0u8; 4], [0u8; 4]);
    let (mut in_run, mut rlcount, mut rawcount) = (false, 0i64, 0i64);
    let min_run = 1 + 1 / nch as i64;
    for x in 0..w {
        prev = cur;
        cur = pix(x);
        if x == 0 {
            in_run = false;
            rlcount = 0;
            rawcount = 1;
            continue;
        }
        let xi = x as i64;
        if in_run {
            if rlcount < 0x80 && cur == prev {
                rlcount += 1;
            } else {
                flush_run(out, &prev, rlcount);
                rawcount += 1;
                rlcount = (rlcount - 0x80).max(0);
                in_run = false;
            }
        } else {
            if rawcount > 0 && cur == prev {
                if rlcount == 0 {
                    rawcount -= 1;
                    rlcount += 1;
                }
                rlcount += 1;
            } else {
                rawcount += 1 + rlcount;
                rlcount = 0;
                if rawcount >= 0x80 {
                    rawcount -= 0x80;
                    flush_raw(out, 0x80, xi - 0x80 + 1);
                }
            }
            if rlcount > min_run {
                flush_raw(out, rawcount, xi - rawcount - rlcount + 1);
                rawcount = 0;
                in_run = true;
            }
        }
    }
    if in_run {
        flush_run(out, &prev, rlcount);
    } else {
        rawcount += rlcount;
        flush_raw(out, rawcount, w as i64 - rawcount);
    }
}

/// Parse up to three integers separated by ':' (Strutil::parse_values with
/// a ':' separator), advancing `s`.
fn parse_triple(s: &mut &str) -> Option<[i32; 3]> {
    let mut t = *s;
    let mut v = [0i32; 3];
    for (i, slot) in v.iter_mut().enumerate() {
        t = t.trim_start_matches([' ', '\t', '\r', '\n']);
        let neg = t.starts_with('-');
        let sign = usize::from(t.starts_with(['-', '+']));
        let digits = t[sign..].bytes().take_while(u8::is_ascii_digit).count();
        if digits == 0 {
            return None;
        }
        let n: i64 = t[sign..sign + digits].parse::<i64>().unwrap_or(i64::MAX).min(1 << 31);
        *slot = if neg {
            (-n).max(i64::from(i32::MIN)) as i32
        } else {
            n.min(i64::from(i32::MAX)) as i32
        };
        t = &t[sign + digits..];
        if i < 2 {
            t = t.trim_start_matches([' ', '\t', '\r', '\n']);
            t = t.strip_prefix(':')?;
        }
    }
    *s = t;
    Some(v)
}

fn padded(s: &str, len: usize) -> Vec<u8> {
    let mut v = vec![0u8; len];
    let n = s.len().min(len - 1);
    v[..n].copy_from_slice(&s.as_bytes()[..n]);
    v
}

/// The TGA 2.0 extension area (495 bytes) OIIO writes.
fn extension_area(spec: &ImageSpec, gamma_cs: f32, ofs_thumb: u32) -> Vec<u8> {
    let mut e = Vec::with_capacity(495);
    let u16le = |e: &mut Vec<u8>, v: u16| e.extend_from_slice(&v.to_le_bytes());
    u16le(&mut e, 495);
    e.extend_from_slice(&padded(&spec.get_string_attribute("Artist", ""), 41));
    e.extend_from_slice(&padded(&spec.get_string_attribute("ImageDescription", ""), 324));
    let dt = spec.get_string_attribute("DateTime", "");
    let mut when = [0u16; 6];
    let mut s = dt.as_str();
    if !dt.is_empty() {
        if let (Some(ymd), Some(hms)) = (parse_triple(&mut s), parse_triple(&mut s)) {
            when = [ymd[1], ymd[2], ymd[0], hms[0], hms[1], hms[2]].map(|v| v as u16);
        }
    }
    for v in when {
        u16le(&mut e, v);
    }
    e.extend_from_slice(&padded(&spec.get_string_attribute("DocumentName", ""), 41));
    let jt = spec.get_string_attribute("targa:JobTime", "");
    let mut s = jt.as_str();
    let job = if jt.is_empty() { None } else { parse_triple(&mut s) };
    for v in job.unwrap_or([0; 3]) {
        u16le(&mut e, v as u16);
    }
    e.extend_from_slice(&padded(&spec.get_string_attribute("Software", ""), 41));
    let (maj, min, patch) = (
        vfx_core::OIIO_EMULATED_VERSION.0,
        vfx_core::OIIO_EMULATED_VERSION.1,
        vfx_core::OIIO_EMULATED_VERSION.2,
    );
    u16le(&mut e, (maj * 10000 + min * 100 + patch) as u16);
    e.push(0);
    e.extend_from_slice(&[0; 4]);
    let ratio = spec.get_float_attribute("PixelAspectRatio", 1.0);
    let eps = 1e-5f32;
    if ratio >= eps && (ratio <= 1.0 - eps || ratio >= 1.0 + eps) {
        u16le(&mut e, (ratio * 10000.0) as u16);
        u16le(&mut e, 10000);
    } else {
        u16le(&mut e, 0);
        u16le(&mut e, 0);
    }
    if gamma_cs != 0.0 {
        u16le(&mut e, (gamma_cs * 10.0).round() as u16);
        u16le(&mut e, 10);
    } else {
        u16le(&mut e, 0);
        u16le(&mut e, 0);
    }
    e.extend_from_slice(&[0; 4]);
    e.extend_from_slice(&ofs_thumb.to_le_bytes());
    e.extend_from_slice(&[0; 4]);
    e.push(if spec.nchannels % 2 == 0 {
        ALPHA_USEFUL
    } else {
        ALPHA_NONE
    });
    e
}

/// Write one image, with an optional thumbnail (ignored unless it has the
/// image's channel count and fits in 255x255: OIIO would resize larger
/// ones, which this writer does not do).
pub fn write_with_thumbnail(
    path: &Path,
    spec: &ImageSpec,
    pixels: &[u8],
    thumbnail: Option<Level<'_>>,
) -> Result<(), IoError> {
    check_output(spec)?;
    let (w, h, nch) = (spec.width as usize, spec.height as usize, spec.nchannels as usize);
    let in_row = w * nch * spec.format.size();
    if pixels.len() < in_row * h {
        return Err(IoError::Write(format!(
            "targa: {} bytes of pixels given, {} needed",
            pixels.len(),
            in_row * h
        )));
    }
    let want_rle = spec.get_string_attribute("compression", "none") != "none" && nch >= 3;
    let convert_alpha = spec.alpha_channel != -1
        && spec.alpha_channel < spec.nchannels
        && spec.get_int_attribute("oiio:UnassociatedAlpha", 0) == 0;
    let gamma_cs = colorspace_gamma(spec);
    let gamma = if gamma_cs == 0.0 { 1.0 } else { gamma_cs };
    let id = spec.get_string_attribute("targa:ImageID", "");
    let idlen = id.len().min(255);
    let mut head = vec![0u8; 18];
    head[0] = idlen as u8;
    head[2] = if nch <= 2 {
        GRAY
    } else if want_rle {
        10
    } else {
        2
    };
    head[12..14].copy_from_slice(&(w as u16).to_le_bytes());
    head[14..16].copy_from_slice(&(h as u16).to_le_bytes());
    head[16] = (nch * 8) as u8;
    head[17] = if nch % 2 == 0 { 8 } else { 0 } | if want_rle { FLAG_Y_FLIP } else { 0 };
    head.extend_from_slice(&id.as_bytes()[..idlen]);
    let file = File::create(path).map_err(|_| IoError::Write(format!("Could not open file \"{}\"", path.display())))?;
    let werr = |e: std::io::Error| IoError::Write(format!("Write error on \"{}\": {e}", path.display()));
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    out.write_all(&head).map_err(werr)?;
    let mut pos = head.len() as u64;
    // Raw rows go bottom row first; RLE rows top first (with the flag).
    // Bands of rows are prepared in parallel, then written in order.
    let prep = RowPrep::new(spec, pixels, convert_alpha, gamma, !want_rle);
    let row_bytes = w * nch;
    let band = (4 << 20) / row_bytes.max(1) + 1;
    let mut buf = vec![0u8; row_bytes * band.min(h)];
    for first in (0..h).step_by(band) {
        let n = band.min(h - first);
        let chunk = &mut buf[..n * row_bytes];
        prep.fill(first, chunk);
        if want_rle {
            let encoded: Vec<Vec<u8>> = chunk
                .par_chunks(row_bytes)
                .map(|r| {
                    let mut e = Vec::with_capacity(row_bytes + row_bytes / 64 + 2);
                    rle_row(r, nch, &mut e);
                    e
                })
                .collect();
            for e in &encoded {
                out.write_all(e).map_err(werr)?;
                pos += e.len() as u64;
            }
        } else {
            out.write_all(chunk).map_err(werr)?;
            pos += chunk.len() as u64;
        }
    }
    let mut ofs_thumb = 0u32;
    if let Some(t) = thumbnail {
        let ts = t.spec;
        let ok = ts.nchannels == spec.nchannels
            && ts.width > 0
            && ts.height > 0
            && ts.width < 256
            && ts.height < 256
            && t.pixels.len() as u64 >= ts.image_bytes(true);
        if ok {
            let mut tspec = ts.clone();
            tspec.alpha_channel = spec.alpha_channel;
            let prep = RowPrep::new(&tspec, t.pixels, convert_alpha, gamma, true);
            let mut tn = vec![0u8; ts.width as usize * ts.height as usize * nch];
            prep.fill(0, &mut tn);
            ofs_thumb = pos as u32;
            out.write_all(&[ts.width as u8, ts.height as u8]).map_err(werr)?;
            out.write_all(&tn).map_err(werr)?;
            pos += 2 + tn.len() as u64;
        }
    }
    out.write_all(&extension_area(spec, gamma_cs, ofs_thumb))
        .map_err(werr)?;
    out.write_all(&(pos as u32).to_le_bytes()).map_err(werr)?;
    out.write_all(&[0; 4]).map_err(werr)?;
    out.write_all(b"TRUEVISION-XFILE.\0").map_err(werr)?;
    out.flush().map_err(werr)
}

// ---------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn scratch(ext: &str) -> PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        std::env::temp_dir().join(format!("vfx_io_tga_{}_{n}.{ext}", std::process::id()))
    }

    fn read_bytes(bytes: &[u8], config: Option<&ImageSpec>) -> Result<(ImageSpec, Vec<u8>), IoError> {
        let p = scratch("tga");
        std::fs::write(&p, bytes).unwrap();
        let r = open(&p, config).and_then(|mut r| {
            let spec = r.spec(0, 0).unwrap();
            r.read_image(0, 0).map(|px| (spec, px.bytes().to_vec()))
        });
        let _ = std::fs::remove_file(&p);
        r
    }

    fn write_bytes(spec: &ImageSpec, pixels: &[u8], thumb: Option<Level<'_>>) -> Vec<u8> {
        let p = scratch("tga");
        write_with_thumbnail(&p, spec, pixels, thumb).unwrap();
        let b = std::fs::read(&p).unwrap();
        let _ = std::fs::remove_file(&p);
        b
    }

    /// A minimal TGA 1.0 file.
    fn tga(ty: u8, bpp: u8, attr: u8, w: u16, h: u16, cmap: Option<(u16, u16, u8, &[u8])>, data: &[u8]) -> Vec<u8> {
        let mut b = vec![0u8; 18];
        b[2] = ty;
        if let Some((first, len, size, _)) = cmap {
            b[1] = 1;
            b[3..5].copy_from_slice(&first.to_le_bytes());
            b[5..7].copy_from_slice(&len.to_le_bytes());
            b[7] = size;
        }
        b[12..14].copy_from_slice(&w.to_le_bytes());
        b[14..16].copy_from_slice(&h.to_le_bytes());
        b[16] = bpp;
        b[17] = attr;
        if let Some((_, _, _, pal)) = cmap {
            b.extend_from_slice(pal);
        }
        b.extend_from_slice(data);
        b
    }

    #[test]
    fn registry_entry() {
        assert_eq!(FORMAT.name, "targa");
        assert!(sniff(&tga(2, 24, 0, 1, 1, None, &[])));
        assert!(!sniff(&tga(4, 24, 0, 1, 1, None, &[])));
        assert!(!sniff(b"short"));
        assert_eq!(supports("thumbnail"), 1);
    }

    #[test]
    fn fast_pow_matches_reference_points() {
        assert!((fast_pow_pos(0.5, 2.2) - 0.5f32.powf(2.2)).abs() < 1e-4);
        assert_eq!(fast_exp2(0.0), 1.0);
        assert!((fast_log2(8.0) - 3.0).abs() < 1e-6);
    }

    #[test]
    fn pixel_kinds() {
        // 24-bit bottom-up: first stored pixel is the bottom row.
        let (spec, px) = read_bytes(&tga(2, 24, 0, 1, 2, None, &[1, 2, 3, 4, 5, 6]), None).unwrap();
        assert_eq!((spec.nchannels, px), (3, vec![6, 5, 4, 3, 2, 1]));
        // Top-down flag, right-to-left flag.
        let (_, px) = read_bytes(&tga(2, 24, 0x20, 1, 2, None, &[1, 2, 3, 4, 5, 6]), None).unwrap();
        assert_eq!(px, [3, 2, 1, 6, 5, 4]);
        let (_, px) = read_bytes(&tga(2, 24, 0x10, 2, 1, None, &[1, 2, 3, 4, 5, 6]), None).unwrap();
        assert_eq!(px, [6, 5, 4, 3, 2, 1]);
        // 16-bit 5-5-5.
        let (spec, px) = read_bytes(&tga(2, 16, 0, 1, 1, None, &[0x1f, 0x7c]), None).unwrap();
        assert_eq!(spec.get_int_attribute("oiio:BitsPerSample", 0), 5);
        assert_eq!(px, [255, 0, 255]);
        // Colour-mapped with a first-entry offset.
        let pal = [1, 2, 3, 4, 5, 6];
        let (_, px) = read_bytes(&tga(1, 8, 0, 1, 1, Some((10, 2, 24, &pal)), &[11]), None).unwrap();
        assert_eq!(px, [6, 5, 4]);
        let e = read_bytes(&tga(1, 8, 0, 1, 1, Some((10, 2, 24, &pal)), &[9]), None).unwrap_err();
        assert_eq!(e.to_string(), "Corrupt palette index");
        // Grey + alpha.
        let (spec, px) = read_bytes(&tga(3, 16, 8, 1, 1, None, &[200, 128]), None).unwrap();
        assert_eq!((spec.nchannels, px), (2, vec![200, 128]));
    }

    #[test]
    fn rle_packets_cross_rows() {
        // 2x2: a run of 3 then one raw pixel.
        let data = [0x82, 1, 2, 3, 0x00, 4, 5, 6];
        let (spec, px) = read_bytes(&tga(10, 24, 0, 2, 2, None, &data), None).unwrap();
        assert_eq!(spec.get_string_attribute("compression", ""), "rle");
        assert_eq!(px, [3, 2, 1, 6, 5, 4, 3, 2, 1, 3, 2, 1]);
        assert!(read_bytes(&tga(10, 24, 0, 2, 2, None, &data[..6]), None).is_err());
    }

    #[test]
    fn alpha_association() {
        let data = [10, 20, 200, 128];
        let (_, px) = read_bytes(&tga(2, 32, 8, 1, 1, None, &data), None).unwrap();
        assert_eq!(px, [100, 10, 5, 128]);
        let mut cfg = ImageSpec::default();
        cfg.attribute_int("oiio:UnassociatedAlpha", 1);
        let (spec, px) = read_bytes(&tga(2, 32, 8, 1, 1, None, &data), Some(&cfg)).unwrap();
        assert_eq!(px, [200, 20, 10, 128]);
        assert_eq!(spec.get_int_attribute("oiio:UnassociatedAlpha", 0), 1);
        // TGA 1.0 with zero alpha everywhere: left alone.
        let (_, px) = read_bytes(&tga(2, 32, 8, 1, 1, None, &[10, 20, 200, 0]), None).unwrap();
        assert_eq!(px, [200, 20, 10, 0]);
    }

    #[test]
    fn round_trips_with_extension_and_thumbnail() {
        for (nch, comp) in [(1, "none"), (2, "none"), (3, "none"), (3, "rle"), (4, "rle")] {
            let (w, h) = (40, 6);
            let mut spec = ImageSpec::new(w, h, nch, TypeDesc::UINT8);
            spec.attribute_str("compression", comp);
            spec.attribute_str("Artist", "me");
            spec.attribute_str("ImageDescription", "a picture");
            spec.attribute_str("DateTime", "2024:05:06 07:08:09");
            spec.attribute_str("targa:ImageID", "id!");
            spec.attribute_str("oiio:ColorSpace", "g22_rec709_scene");
            spec.attribute_float("PixelAspectRatio", 2.0);
            let px: Vec<u8> = (0..(w * h * nch) as usize)
                .map(|i| {
                    if nch == 4 && i % 4 == 3 {
                        255
                    } else {
                        ((i / 7) * 13 % 256) as u8
                    }
                })
                .collect();
            let tspec = ImageSpec::new(2, 2, nch, TypeDesc::UINT8);
            let tpx = vec![255u8; (4 * nch) as usize];
            let thumb = Level {
                spec: &tspec,
                pixels: &tpx,
            };
            let file = write_bytes(&spec, &px, Some(thumb));
            let (rspec, back) = read_bytes(&file, None).unwrap();
            assert_eq!(back, px, "{nch} {comp}");
            assert_eq!(rspec.get_string_attribute("Artist", ""), "me");
            assert_eq!(rspec.get_string_attribute("DateTime", ""), "2024:05:06 07:08:09");
            assert_eq!(rspec.get_string_attribute("targa:ImageID", ""), "id!");
            assert_eq!(rspec.get_string_attribute("oiio:ColorSpace", ""), "g22_rec709_scene");
            assert_eq!(rspec.get_float_attribute("PixelAspectRatio", 0.0), 2.0);
            assert_eq!(rspec.get_int_attribute("thumbnail_width", 0), 2);
            let p = scratch("tga");
            std::fs::write(&p, &file).unwrap();
            let (ts, tp) = open(&p, None).unwrap().thumbnail(0).unwrap().unwrap();
            let _ = std::fs::remove_file(&p);
            assert_eq!((ts.width, ts.nchannels), (2, nch));
            assert_eq!(tp.bytes(), &tpx[..]);
        }
    }

    #[test]
    fn rle_encoder_packets() {
        let mut out = Vec::new();
        rle_row(&[1, 1, 1, 1, 1, 1, 2, 2, 2], 3, &mut out);
        assert_eq!(out, [0x81, 1, 1, 1, 0x00, 2, 2, 2]);
        out.clear();
        rle_row(&[5, 5, 5, 5, 5, 5, 5, 5, 5], 3, &mut out);
        assert_eq!(out, [0x82, 5, 5, 5]);
    }

    #[test]
    fn corrupt_input_fails_cleanly() {
        let msg = |b: &[u8]| read_bytes(b, None).unwrap_err().to_string();
        assert!(msg(&[0; 5]).ends_with("Could not read full header"));
        assert_eq!(msg(&tga(0, 24, 0, 1, 1, None, &[0; 3])), "Image with no data");
        assert_eq!(msg(&tga(5, 24, 0, 1, 1, None, &[0; 3])), "Illegal image type: 5");
        assert_eq!(
            msg(&tga(2, 12, 0, 1, 1, None, &[0; 3])),
            "Illegal pixel size: 12 bits per pixel"
        );
        assert_eq!(msg(&tga(1, 8, 0, 1, 1, None, &[0; 3])), "Palette image with no palette");
        let pal = [0u8; 3];
        assert_eq!(
            msg(&tga(3, 8, 0, 1, 1, Some((0, 1, 24, &pal)), &[0])),
            "Palette defined for grayscale image"
        );
        assert!(msg(&tga(1, 8, 0, 1, 1, Some((200, 100, 24, &pal)), &[0])).starts_with("Too big a color palette"));
        assert!(msg(&tga(2, 24, 0, 60000, 60000, None, &[0; 30])).contains("implausible"));
        assert!(msg(&tga(2, 24, 0, 0, 5, None, &[0; 30])).contains("at least 1x1"));
        // Truncated raw data.
        assert!(read_bytes(&tga(2, 24, 0, 4, 4, None, &[0; 40]), None).is_err());
        // Extension area pointing outside the file.
        let mut b = tga(2, 24, 0, 1, 1, None, &[0; 3]);
        b.extend_from_slice(&[0; 30]);
        b.extend_from_slice(&9999u32.to_le_bytes());
        b.extend_from_slice(&[0; 4]);
        b.extend_from_slice(b"TRUEVISION-XFILE.\0");
        assert!(read_bytes(&b, None).is_err());
    }
}

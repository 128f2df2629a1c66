//! Photoshop PSD / PSB: read as OpenImageIO 3.2.2 does (OIIO has no writer).
//!
//! Subimage 0 is the merged composite from the image data section; each
//! layer record is one more subimage, placed at the layer's offset and named
//! by `oiio:subimagename`. Depths 1, 8, 16 and 32 bits give uint8, uint8,
//! uint16 and float. Colour modes follow OIIO: RGB, greyscale and
//! multichannel as stored; CMYK, indexed and bitmap converted to RGB
//! (indexed with a transparency index gets alpha); duotone and Lab only with
//! the raw-data open hint (`psd:RawData` / `oiio:RawColor`), which also
//! keeps CMYK and the others as stored, with mode channel names. Channel
//! data may be raw or PackBits; layer channels may also be ZIP, with or
//! without prediction (16- and 32-bit documents keep their layers in the
//! `Lr16`/`Lr32` blocks).
//!
//! Alpha is converted like OIIO: the composite has the white (or resource
//! 1010) background matted out, layers are premultiplied; with the
//! `oiio:UnassociatedAlpha` open hint the composite is unassociated and
//! layers are left alone. OIIO's integer truncations are kept, and so are
//! its quirks: layers with an empty rectangle make the file unreadable, a
//! greyscale document's layers fail to read, and layer channel data of
//! another layer size trips the same checks.
//!
//! Image resources become metadata: resolution (1005), background colour
//! (1010), JPEG thumbnail (1033/1036: `thumbnail_*` attributes on the
//! composite and the image through [`Reader::thumbnail`]), ICC profile
//! (1039), transparency index (1047), Exif (1058/1059), XMP (1060) and pixel
//! aspect ratio (1064). Exif, XMP and ICC are decoded by the shared metadata
//! modules when they are compiled in.

use crate::{Format, IoError, Reader};
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;
use vfx_core::convert::Pixel;
use vfx_core::{globals, ImageSpec, PixelData, TypeDesc};

/// The registry entry (OIIO has no PSD writer).
pub static FORMAT: Format = Format {
    name: "psd",
    extensions: &["psd", "pdd", "psb"],
    sniff,
    open: Some(open_with),
    write: None,
    supports,
};

/// OIIO's PSD reader answers "exif", "iptc", "thumbnail" and "ioproxy".
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(feature, "exif" | "iptc" | "thumbnail" | "ioproxy"))
}

/// The "8BPS" signature.
pub fn sniff(head: &[u8]) -> bool {
    head.starts_with(b"8BPS")
}

const MODE_BITMAP: u16 = 0;
const MODE_GRAYSCALE: u16 = 1;
const MODE_INDEXED: u16 = 2;
const MODE_RGB: u16 = 3;
const MODE_CMYK: u16 = 4;
const MODE_MULTICHANNEL: u16 = 7;
const MODE_DUOTONE: u16 = 8;
const MODE_LAB: u16 = 9;

/// Channels per colour mode (OIIO's table; 0 for modes it has no names for).
fn mode_channel_count(mode: u16) -> usize {
    match mode {
        MODE_BITMAP | MODE_GRAYSCALE | MODE_INDEXED => 1,
        MODE_RGB | MODE_LAB => 3,
        MODE_CMYK => 4,
        _ => 0,
    }
}

fn mode_channel_names(mode: u16) -> &'static [&'static str] {
    match mode {
        MODE_BITMAP => &["A"],
        MODE_GRAYSCALE | MODE_INDEXED => &["I"],
        MODE_RGB => &["R", "G", "B"],
        MODE_CMYK => &["C", "M", "Y", "K"],
        MODE_LAB => &["L", "a", "b"],
        _ => &[],
    }
}

/// Additional-info keys whose length is 8 bytes in PSB files.
const PSB_LONG_KEYS: [&[u8; 4]; 16] = [
    b"LMsk", b"Lr16", b"Lr32", b"Layr", b"Mt16", b"Mt32", b"Mtrn", b"Alph", b"FMsk", b"lnk2", b"FEid", b"FXid",
    b"PxSD", b"cinf", b"lnkE", b"pths",
];

// ---------------------------------------------------------------------------
// File access with OIIO's ioread/ioseek semantics (seeking past the end is
// allowed, reading there fails with OIIO's message).

struct Io<'a> {
    d: &'a [u8],
    pos: u64,
    errors: Vec<String>,
}

impl<'a> Io<'a> {
    fn size(&self) -> u64 {
        self.d.len() as u64
    }

    fn read(&mut self, n: u64) -> Option<&'a [u8]> {
        let size = self.size();
        if self.pos.checked_add(n).is_none_or(|end| end > size) {
            // A short read: what was there is consumed.
            self.pos = self.pos.max(size);
            self.errors.push("Read error: hit end of file in psd reader".into());
            return None;
        }
        let s = &self.d[self.pos as usize..(self.pos + n) as usize];
        self.pos += n;
        Some(s)
    }

    fn bytes<const N: usize>(&mut self) -> Option<[u8; N]> {
        self.read(N as u64).map(|s| s.try_into().expect("N bytes"))
    }
    fn u8(&mut self) -> Option<u8> {
        self.bytes::<1>().map(|b| b[0])
    }
    fn u16(&mut self) -> Option<u16> {
        self.bytes().map(u16::from_be_bytes)
    }
    fn i16(&mut self) -> Option<i16> {
        self.bytes().map(i16::from_be_bytes)
    }
    fn u32(&mut self) -> Option<u32> {
        self.bytes().map(u32::from_be_bytes)
    }
    fn i32(&mut self) -> Option<i32> {
        self.bytes().map(i32::from_be_bytes)
    }
    fn u64(&mut self) -> Option<u64> {
        self.bytes().map(u64::from_be_bytes)
    }
    /// A 32-bit (PSD) or 64-bit (PSB) length.
    fn len(&mut self, psb: bool) -> Option<u64> {
        if psb {
            self.u64()
        } else {
            self.u32().map(u64::from)
        }
    }

    /// Read into an `ok &=` chain as OIIO writes them: a failed read
    /// records its message, clears `ok` and yields 0.
    fn u8_or(&mut self, ok: &mut bool) -> u8 {
        self.u8().unwrap_or_else(|| {
            *ok = false;
            0
        })
    }
    fn u16_or(&mut self, ok: &mut bool) -> u16 {
        self.u16().unwrap_or_else(|| {
            *ok = false;
            0
        })
    }
    fn i16_or(&mut self, ok: &mut bool) -> i16 {
        self.i16().unwrap_or_else(|| {
            *ok = false;
            0
        })
    }
    fn u32_or(&mut self, ok: &mut bool) -> u32 {
        self.u32().unwrap_or_else(|| {
            *ok = false;
            0
        })
    }
    fn i32_or(&mut self, ok: &mut bool) -> i32 {
        self.i32().unwrap_or_else(|| {
            *ok = false;
            0
        })
    }
    fn len_or(&mut self, psb: bool, ok: &mut bool) -> u64 {
        self.len(psb).unwrap_or_else(|| {
            *ok = false;
            0
        })
    }
    fn tag_or(&mut self, ok: &mut bool) -> [u8; 4] {
        self.bytes::<4>().unwrap_or_else(|| {
            *ok = false;
            [0; 4]
        })
    }

    fn seek_set(&mut self, pos: i64) -> bool {
        if pos < 0 {
            self.errors.push(format!(
                "Seek error, could not seek from {} to {pos} (total size {}) ",
                self.pos,
                self.size()
            ));
            return false;
        }
        self.pos = pos as u64;
        true
    }

    fn seek_cur(&mut self, delta: i64) -> bool {
        self.seek_set((self.pos as i64).wrapping_add(delta))
    }

    fn err(&mut self, msg: String) {
        self.errors.push(msg);
    }

    /// OIIO's `read_pascal_string`: the string and how many bytes it took
    /// (length byte and padding to a multiple of `pad`).
    fn pascal_string(&mut self, pad: u32) -> Option<(String, u32)> {
        let n = self.u8()?;
        let mut bytes = 1u32;
        if n == 0 {
            if !self.seek_cur(i64::from(pad) - 1) {
                return None;
            }
            bytes += pad.wrapping_sub(1);
            return Some((String::new(), bytes));
        }
        let s = String::from_utf8_lossy(self.read(u64::from(n))?).into_owned();
        bytes += u32::from(n);
        if pad > 0 {
            let mut padded = u32::from(n) + 1;
            while padded % pad != 0 {
                if !self.seek_cur(1) {
                    return None;
                }
                bytes += 1;
                padded += 1;
            }
        }
        Some((s, bytes))
    }
}

// ---------------------------------------------------------------------------
// Parsed structure

#[derive(Clone, Copy, Debug, Default)]
struct Header {
    version: u16,
    channels: u16,
    height: u32,
    width: u32,
    depth: u16,
    mode: u16,
}

#[derive(Clone, Debug, Default)]
struct Channel {
    row_length: u32,
    id: i16,
    data_length: u64,
    compression: u16,
    width: u32,
    height: u32,
    /// ZIP data, decompressed (and un-predicted) at open.
    inflated: Vec<u8>,
    rle_lengths: Vec<u32>,
    row_pos: Vec<u64>,
}

#[derive(Clone, Debug, Default)]
struct Layer {
    top: i32,
    left: i32,
    width: u32,
    height: u32,
    channels: Vec<Channel>,
    /// Channel id -> index in `channels` (the last one with that id).
    by_id: BTreeMap<i16, usize>,
    mask: (i32, i32, i32, i32),
    name: String,
}

/// Where a subimage's channel comes from.
#[derive(Clone, Copy, Debug)]
enum ChanRef {
    Image(usize),
    Layer(usize, usize),
    /// A channel the layer does not have (OIIO would crash reading it).
    Missing,
}

struct Psd {
    data: Vec<u8>,
    header: Header,
    color_data: Vec<u8>,
    composite_attribs: ImageSpec,
    common_attribs: ImageSpec,
    thumbnail: Option<(ImageSpec, PixelData)>,
    transparency_index: Option<i16>,
    background: [f32; 4],
    layers: Vec<Layer>,
    layer_info_length: u64,
    image_channels: Vec<Channel>,
    transparency: bool,
    want_raw: bool,
    keep_unassoc: bool,
    max_res: u32,
    specs: Vec<ImageSpec>,
    chans: Vec<Vec<ChanRef>>,
}

/// OIIO's `check_open` for the header (300000 x 300000, 56 channels) and
/// `check_compression_ratio`.
fn check_header_spec(spec: &ImageSpec, file_size: u64) -> Result<(), String> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    if w <= 0 || h <= 0 || n <= 0 {
        return Err(format!(
            "psd image resolution must be at least 1x1, but the file specified {w}x{h}x1, {n} chans. Possible corrupt input?"
        ));
    }
    if w > 300000 || h > 300000 {
        return Err(format!(
            "psd image resolution may not exceed 300000x300000, but the file appears to be {w}x{h}. Possible corrupt input?"
        ));
    }
    if n > 56 {
        return Err(format!(
            "psd does not support {n}-channel images. Possible corrupt input?"
        ));
    }
    let max_chans = globals::get_int_attribute("limits:channels", 1024);
    if max_chans > 0 && n > max_chans {
        return Err(format!(
            "{n} channels exceeds \"limits:channels\" = {max_chans}. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:channels\"."
        ));
    }
    let max_res = globals::get_int_attribute("limits:resolution", 1 << 20);
    if max_res > 0 && (w > max_res || h > max_res) {
        return Err(format!(
            "psd image dimension {w}x{h} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\"."
        ));
    }
    let bytes = spec.image_bytes(true);
    let max_mb = globals::get_int_attribute("limits:imagesize_MB", 0);
    if max_mb > 0 && bytes > (max_mb as u64) << 20 {
        return Err(format!(
            "Uncompressed image size {:.1} MB exceeds the {max_mb} MB limit.\nImage claimed to be {w}x{h}, {n}-channel {}. Possible corrupt input?\nIf this is a valid file, raise the OIIO attribute \"limits:imagesize_MB\".",
            bytes as f32 / (1u64 << 20) as f32,
            spec.format
        ));
    }
    if file_size != 0 && bytes >= 1 << 30 && bytes > file_size.saturating_mul(10000) {
        return Err(format!(
            "psd header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            bytes >> 20
        ));
    }
    Ok(())
}

fn type_for_depth(depth: u16) -> TypeDesc {
    match depth {
        16 => TypeDesc::UINT16,
        32 => TypeDesc::FLOAT,
        _ => TypeDesc::UINT8,
    }
}

/// Parse everything `open` reads; on failure, OIIO's accumulated messages.
struct Parser<'a> {
    io: Io<'a>,
    psd: Psd,
    /// The layer and mask information section: start and end.
    layer_mask_begin: u64,
    layer_mask_end: u64,
    /// End of the layer info subsection.
    layer_info_end: u64,
}

impl Parser<'_> {
    fn psb(&self) -> bool {
        self.psd.header.version == 2
    }

    /// OIIO's size check; `allow_empty` for layers (3.2.2 accepts empty
    /// layers and leaves them out of the subimages).
    fn validate_resolution(&mut self, what: &str, width: u32, height: u32, allow_empty: bool) -> bool {
        let max = self.psd.max_res;
        let min = u32::from(!allow_empty);
        if width < min || width > max {
            self.io.err(format!("[{what}] invalid image width {width}"));
            return false;
        }
        if height < min || height > max {
            self.io.err(format!("[{what}] invalid image height {height}"));
            return false;
        }
        true
    }

    fn load_header(&mut self) -> bool {
        let io = &mut self.io;
        let read = (|| {
            let sig = io.bytes::<4>()?;
            let version = io.u16()?;
            if !io.seek_cur(6) {
                return None;
            }
            Some((
                sig,
                Header {
                    version,
                    channels: io.u16()?,
                    height: io.u32()?,
                    width: io.u32()?,
                    depth: io.u16()?,
                    mode: io.u16()?,
                },
            ))
        })();
        let Some((sig, h)) = read else { return false };
        self.psd.header = h;
        if &sig != b"8BPS" {
            self.io.err("[Header] invalid signature".into());
            return false;
        }
        if h.version != 1 && h.version != 2 {
            self.io.err("[Header] invalid version".into());
            return false;
        }
        if h.channels < 1 || h.channels > 56 {
            self.io.err("[Header] invalid channel count".into());
            return false;
        }
        self.psd.max_res = if h.version == 2 { 300000 } else { 30000 };
        // OIIO passes the height as the width here (and vice versa).
        if !self.validate_resolution("Header", h.height, h.width, false) {
            return false;
        }
        if !matches!(h.depth, 1 | 8 | 16 | 32) {
            self.io.err(format!("[Header] invalid depth {}", h.depth));
            return false;
        }
        if !matches!(
            h.mode,
            MODE_BITMAP
                | MODE_INDEXED
                | MODE_RGB
                | MODE_GRAYSCALE
                | MODE_CMYK
                | MODE_MULTICHANNEL
                | MODE_DUOTONE
                | MODE_LAB
        ) {
            self.io.err(format!("[Header] unrecognized color mode {}", h.mode));
            return false;
        }
        if !self.psd.want_raw && matches!(h.mode, MODE_DUOTONE | MODE_LAB) {
            self.io.err(format!("[Header] unsupported color mode {}", h.mode));
            return false;
        }
        true
    }

    fn load_color_data(&mut self) -> bool {
        let Some(len) = self.io.u32() else { return false };
        let mode = self.psd.header.mode;
        if mode == MODE_DUOTONE && len == 0 {
            self.io
                .err("[Color Mode Data] color mode data should be present for duotone image".into());
            return false;
        }
        if mode == MODE_INDEXED && len != 768 {
            self.io
                .err("[Color Mode Data] length should be 768 for indexed color mode".into());
            return false;
        }
        if u64::from(len) > self.io.size().saturating_sub(self.io.pos) {
            // 3.2.2 checks this before reading, without a message.
            return false;
        }
        if len > 0 {
            match self.io.read(u64::from(len)) {
                Some(b) => self.psd.color_data = b.to_vec(),
                None => return false,
            }
        }
        true
    }

    fn load_resources(&mut self) -> bool {
        let Some(len) = self.io.u32() else { return false };
        let begin = self.io.pos;
        let end = begin + u64::from(len);
        // id -> (position, length); the first block with an id wins.
        let mut blocks: BTreeMap<u16, (u64, u32)> = BTreeMap::new();
        while self.io.pos < end {
            let io = &mut self.io;
            let block = (|| {
                let sig = io.bytes::<4>()?;
                let id = io.u16()?;
                io.pascal_string(2)?;
                let length = io.u32()?;
                let pos = io.pos;
                let mut ok = io.seek_cur(i64::from(length));
                if length % 2 != 0 {
                    ok &= io.seek_cur(1);
                }
                Some((sig, id, length, pos, ok))
            })();
            let Some((sig, id, length, pos, ok)) = block else {
                return false;
            };
            if !ok {
                return false;
            }
            if &sig != b"8BIM" {
                self.io.err("[Image Resource] invalid signature".into());
                return false;
            }
            blocks.entry(id).or_insert((pos, length));
        }
        for id in [1005u16, 1006, 1010, 1033, 1036, 1039, 1047, 1058, 1059, 1060, 1064] {
            if let Some(&(pos, length)) = blocks.get(&id) {
                if !self.io.seek_set(pos as i64) || !self.load_resource(id, length) {
                    return false;
                }
            }
        }
        self.io.seek_set(end as i64)
    }

    /// Set an attribute on the composite and on every layer.
    fn common(&mut self, p: vfx_core::ParamValue) {
        self.psd.composite_attribs.attribute(p.clone());
        self.psd.common_attribs.attribute(p);
    }

    fn load_resource(&mut self, id: u16, length: u32) -> bool {
        let strict = globals::get_int_attribute("imageinput:strict", 0) != 0;
        match id {
            1005 => {
                let io = &mut self.io;
                let mut ok = true;
                let h = io.u32_or(&mut ok) as f32 / 65536.0;
                let hu = io.i16_or(&mut ok);
                io.i16_or(&mut ok);
                let v = io.u32_or(&mut ok) as f32 / 65536.0;
                let vu = io.i16_or(&mut ok);
                io.i16_or(&mut ok);
                if !ok {
                    return false;
                }
                if hu != vu {
                    self.io
                        .err("[Image Resource] [ResolutionInfo] Resolutions must have the same unit".into());
                    return false;
                }
                if hu != 1 && hu != 2 {
                    self.io
                        .err("[Image Resource] [ResolutionInfo] Unrecognized resolution unit".into());
                    return false;
                }
                self.common(vfx_core::ParamValue::from_float("XResolution", h));
                self.common(vfx_core::ParamValue::from_float("YResolution", v));
                self.common(vfx_core::ParamValue::from_str(
                    "ResolutionUnit",
                    if hu == 1 { "in" } else { "cm" },
                ));
                true
            }
            1006 => {
                // Alpha channel names: read (for the errors) and dropped.
                let mut remaining = length as i32;
                while remaining >= 2 {
                    let Some((_, b)) = self.io.pascal_string(1) else {
                        return false;
                    };
                    remaining -= b as i32;
                }
                true
            }
            1010 => {
                let io = &mut self.io;
                let r = (|| Some((io.u8()?, io.i32()?)))();
                let color = r.map_or(0, |r| r.1);
                for (i, b) in self.psd.background.iter_mut().enumerate() {
                    *b = ((color >> (8 * i)) & 0xff) as u8 as f32 / 255.0;
                }
                r.is_some()
            }
            1033 | 1036 => self.load_thumbnail(length, id == 1033),
            1039 => {
                if length > 10 * 1024 * 1024 {
                    if strict {
                        self.io.err(format!(
                            "Implausibly large ICC profile ({length} bytes), presumed corrupted file\n"
                        ));
                        return false;
                    }
                    return true;
                }
                let Some(icc) = self.io.read(u64::from(length)) else {
                    return false;
                };
                self.common(meta::bytes_param("ICCProfile", icc));
                let a = meta::decode_icc_profile(icc, &mut self.psd.common_attribs);
                let b = if a.is_ok() {
                    meta::decode_icc_profile(icc, &mut self.psd.composite_attribs)
                } else {
                    a
                };
                if let Err(msg) = b {
                    if strict {
                        self.io
                            .err(format!("Possible corrupt file, could not decode ICC profile: {msg}\n"));
                        return false;
                    }
                }
                true
            }
            1047 => {
                if length != 2 {
                    self.io.err(format!(
                        "[Image Resource] Transparency index length {length} is invalid"
                    ));
                    return false;
                }
                let Some(t) = self.io.i16() else { return false };
                if !(0..256).contains(&t) {
                    self.io
                        .err(format!("[Image Resource] Transparency index {t} is out of range"));
                    return false;
                }
                self.psd.transparency_index = Some(t);
                true
            }
            1058 | 1059 => {
                if length > 10 * 1024 * 1024 {
                    if strict {
                        self.io.err(format!(
                            "Implausibly large Exif profile ({length} bytes), presumed corrupted file\n"
                        ));
                        return false;
                    }
                    return true;
                }
                let Some(exif) = self.io.read(u64::from(length)) else {
                    return false;
                };
                if !meta::decode_exif(exif, &mut self.psd.composite_attribs)
                    || !meta::decode_exif(exif, &mut self.psd.common_attribs)
                {
                    self.io.err("Could not decode Exif".into());
                    return false;
                }
                true
            }
            1060 => {
                if length > 10 * 1024 * 1024 {
                    if strict {
                        self.io.err(format!(
                            "Implausibly large XMP profile ({length} bytes), presumed corrupted file\n"
                        ));
                        return false;
                    }
                    return true;
                }
                let Some(xmp) = self.io.read(u64::from(length)) else {
                    return false;
                };
                meta::decode_xmp(xmp, &mut self.psd.composite_attribs);
                meta::decode_xmp(xmp, &mut self.psd.common_attribs);
                true
            }
            1064 => {
                let Some(version) = self.io.u32() else { return false };
                if version != 1 && version != 2 {
                    self.io
                        .err("[Image Resource] [Pixel Aspect Ratio] Unrecognized version".into());
                    return false;
                }
                let Some(bits) = self.io.u64() else { return false };
                self.common(vfx_core::ParamValue::from_float(
                    "PixelAspectRatio",
                    f64::from_bits(bits) as f32,
                ));
                true
            }
            _ => true,
        }
    }

    fn load_thumbnail(&mut self, length: u32, is_bgr: bool) -> bool {
        let io = &mut self.io;
        let r = (|| {
            Some((
                io.u32()?,
                io.u32()?,
                io.u32()?,
                io.u32()?,
                io.u32()?,
                io.u32()?,
                io.u16()?,
                io.u16()?,
            ))
        })();
        let Some((format, width, height, widthbytes, total_size, _compressed, bpp, planes)) = r else {
            return false;
        };
        if bpp != 8 && bpp != 24 {
            self.io.err(format!(
                "Thumbnail JPEG is {bpp} bpp, not supported or possibly corrupt file"
            ));
            return false;
        }
        let row = u64::from(bpp / 8) * u64::from(width);
        if row > u64::from(widthbytes) || row + 3 < u64::from(widthbytes) {
            self.io.err(format!(
                "Corrupt thumbnail: {width}w * {bpp}bpp does not match {widthbytes} width bytes"
            ));
            return false;
        }
        if (widthbytes.wrapping_mul(height).wrapping_mul(u32::from(planes))) != total_size {
            self.io.err(format!(
                "Corrupt thumbnail: {width}w * {height}h * {bpp}bpp does not match {total_size} total_size"
            ));
            return false;
        }
        if format != 1 || bpp != 24 || planes != 1 {
            self.io
                .err("[Image Resource] [JPEG Thumbnail] invalid or unsupported format".into());
            return false;
        }
        let Some(jpeg) = self.io.read(u64::from(length.wrapping_sub(28))) else {
            return false;
        };
        let Some((mut spec, mut px)) = decode_jpeg(jpeg) else {
            self.io.err("Failed to open thumbnail".into());
            return false;
        };
        self.psd.composite_attribs.attribute_int("thumbnail_width", spec.width);
        self.psd
            .composite_attribs
            .attribute_int("thumbnail_height", spec.height);
        self.psd
            .composite_attribs
            .attribute_int("thumbnail_nchannels", spec.nchannels);
        if is_bgr && spec.nchannels == 3 {
            if let Some(px) = px.as_mut() {
                for p in px.bytes_mut().chunks_exact_mut(3) {
                    p.swap(0, 2);
                }
            }
            spec.channelnames = vec!["B".into(), "G".into(), "R".into()];
        }
        self.psd.thumbnail = px.map(|px| (spec, px));
        true
    }

    fn read_rle_lengths(&mut self, height: u32) -> Option<Vec<u32>> {
        let psb = self.psb();
        let per = if psb { 4 } else { 2 };
        // Cheap check before allocating: the table must be in the file.
        if self.io.pos + u64::from(height) * per > self.io.size() {
            self.io.read(u64::MAX);
            return None;
        }
        let mut v = Vec::with_capacity(height as usize);
        for _ in 0..height {
            v.push(if psb { self.io.u32()? } else { u32::from(self.io.u16()?) });
        }
        Some(v)
    }

    fn load_layers(&mut self) -> bool {
        let psb = self.psb();
        let Some(len) = self.io.len(psb) else { return false };
        self.psd.layer_info_length = len;
        let begin = self.io.pos;
        self.layer_mask_begin = begin;
        self.layer_mask_end = begin.wrapping_add(len);
        if len == 0 {
            return true;
        }
        let Some(info_len) = self.io.len(psb) else { return false };
        self.layer_info_end = self.io.pos.wrapping_add(info_len);
        if info_len == 0 {
            return true;
        }
        self.load_layer_list()
    }

    /// The layer count, records and channel data (shared by the layer info
    /// section and the Lr16/Lr32 blocks).
    fn load_layer_list(&mut self) -> bool {
        let Some(mut count) = self.io.i16() else { return false };
        if count < 0 {
            self.psd.transparency = true;
            if count == i16::MIN {
                return false;
            }
            count = -count;
        }
        self.psd.layers.resize(count as usize, Layer::default());
        for i in 0..count as usize {
            let mut layer = std::mem::take(&mut self.psd.layers[i]);
            let ok = self.load_layer(&mut layer);
            self.psd.layers[i] = layer;
            if !ok {
                return false;
            }
        }
        for i in 0..count as usize {
            let mut layer = std::mem::take(&mut self.psd.layers[i]);
            let ok = self.load_layer_channels(&mut layer);
            self.psd.layers[i] = layer;
            if !ok {
                return false;
            }
        }
        true
    }

    fn load_layer(&mut self, layer: &mut Layer) -> bool {
        let psb = self.psb();
        let mut ok = true;
        let io = &mut self.io;
        let top = io.i32_or(&mut ok);
        let left = io.i32_or(&mut ok);
        let bottom = io.i32_or(&mut ok);
        let right = io.i32_or(&mut ok);
        let nch = io.u16_or(&mut ok);
        if !ok {
            return false;
        }
        layer.top = top;
        layer.left = left;
        layer.width = (i64::from(right) - i64::from(left)).unsigned_abs() as u32;
        layer.height = (i64::from(bottom) - i64::from(top)).unsigned_abs() as u32;
        if !self.validate_resolution("Layer Record", layer.width, layer.height, true) {
            return false;
        }
        layer.channels = vec![Channel::default(); usize::from(nch)];
        layer.by_id.clear();
        let io = &mut self.io;
        for (c, ch) in layer.channels.iter_mut().enumerate() {
            ch.id = io.i16_or(&mut ok);
            ch.data_length = io.len_or(psb, &mut ok);
            layer.by_id.insert(ch.id, c);
        }
        let sig = io.tag_or(&mut ok);
        if !ok {
            return false;
        }
        if &sig != b"8BIM" {
            self.io.err("[Layer Record] Invalid blend mode signature".into());
            return false;
        }
        let io = &mut self.io;
        io.tag_or(&mut ok);
        io.u8_or(&mut ok);
        io.u8_or(&mut ok);
        io.u8_or(&mut ok);
        ok &= io.seek_cur(1);
        let extra = io.u32_or(&mut ok);
        let lmd_length = io.u32_or(&mut ok);
        if !ok {
            return false;
        }
        let mut remaining = extra;
        if lmd_length > 0 {
            let start = io.pos;
            if lmd_length >= 18 {
                let t = io.i32_or(&mut ok);
                let l = io.i32_or(&mut ok);
                let b = io.i32_or(&mut ok);
                let r = io.i32_or(&mut ok);
                io.u8_or(&mut ok);
                io.u8_or(&mut ok);
                layer.mask = (t, l, b, r);
            }
            ok &= io.seek_set((start + u64::from(lmd_length)) as i64);
            if !ok {
                return false;
            }
        }
        remaining = remaining.wrapping_sub(lmd_length.wrapping_add(4));
        let lbr = io.u32_or(&mut ok);
        ok &= io.seek_cur(i64::from(lbr));
        remaining = remaining.wrapping_sub(lbr.wrapping_add(4));
        if !ok {
            return false;
        }
        let Some((name, b)) = io.pascal_string(4) else {
            return false;
        };
        layer.name = name;
        remaining = remaining.wrapping_sub(b);
        while ok && remaining >= 12 {
            let sig = io.tag_or(&mut ok);
            let key = io.tag_or(&mut ok);
            remaining = remaining.wrapping_sub(8);
            let len = if psb && PSB_LONG_KEYS.contains(&&key) {
                remaining = remaining.wrapping_sub(8);
                io.u64().unwrap_or_else(|| {
                    ok = false;
                    0
                })
            } else {
                remaining = remaining.wrapping_sub(4);
                u64::from(io.u32_or(&mut ok))
            };
            if !ok {
                return false;
            }
            if &sig != b"8BIM" && &sig != b"8B64" {
                io.err("[Additional Layer Info] invalid signature".into());
                return false;
            }
            ok &= io.seek_cur(len as i64);
            remaining = remaining.wrapping_sub(len as u32);
        }
        ok
    }

    fn load_layer_channels(&mut self, layer: &mut Layer) -> bool {
        let mask = layer.mask;
        let (lw, lh) = (layer.width, layer.height);
        for c in 0..layer.channels.len() {
            let mut ch = std::mem::take(&mut layer.channels[c]);
            let ok = self.load_layer_channel(&mut ch, mask, lw, lh);
            layer.channels[c] = ch;
            if !ok {
                return false;
            }
        }
        true
    }

    fn load_layer_channel(&mut self, ch: &mut Channel, mask: (i32, i32, i32, i32), lw: u32, lh: u32) -> bool {
        let start = self.io.pos;
        if ch.data_length > self.io.size().saturating_sub(start) {
            self.io.err(format!(
                "[Layer Channel] data length {} exceeds remaining file size",
                ch.data_length
            ));
            return false;
        }
        if ch.data_length >= 2 {
            match self.io.u16() {
                Some(c) => ch.compression = c,
                None => return false,
            }
        }
        if ch.data_length <= 2 {
            return true;
        }
        let (width, height) = if ch.id == -2 {
            (
                (i64::from(mask.3) - i64::from(mask.1)).unsigned_abs() as u32,
                (i64::from(mask.2) - i64::from(mask.0)).unsigned_abs() as u32,
            )
        } else {
            (lw, lh)
        };
        if !self.validate_resolution("layer_channel", width, height, true) {
            return false;
        }
        ch.width = width;
        ch.height = height;
        let depth = u64::from(self.psd.header.depth);
        let data_pos = self.io.pos;
        ch.row_length = (u64::from(width) * depth).div_ceil(8) as u32;
        let rl = u64::from(ch.row_length);
        match ch.compression {
            0 => {
                ch.row_pos = (0..u64::from(height)).map(|i| data_pos + i * rl).collect();
                ch.data_length = rl * u64::from(height);
                if !self.io.seek_cur(ch.data_length as i64) {
                    return false;
                }
            }
            1 => {
                let Some(lengths) = self.read_rle_lengths(height) else {
                    return false;
                };
                let pos = self.io.pos;
                ch.data_length = ch.data_length.wrapping_sub(pos - start);
                let sum: u64 = lengths.iter().map(|&l| u64::from(l)).sum();
                if sum > ch.data_length {
                    self.io.err(format!(
                        "RLE row lengths ({sum} bytes) exceed available data ({} bytes)",
                        ch.data_length
                    ));
                    return false;
                }
                let mut p = pos;
                ch.row_pos = lengths
                    .iter()
                    .map(|&l| {
                        let r = p;
                        p += u64::from(l);
                        r
                    })
                    .collect();
                ch.rle_lengths = lengths;
                if !self.io.seek_cur(ch.data_length as i64) {
                    return false;
                }
            }
            2 | 3 => {
                // Rows are found by index in the inflated data.
                ch.row_pos = vec![0; height as usize];
                ch.data_length = ch.data_length.wrapping_sub(2);
                let out_len = u64::from(width) * u64::from(height) * (depth / 8);
                if !self.io.seek_set(data_pos as i64) {
                    return false;
                }
                let Some(src) = self.io.read(ch.data_length) else {
                    return false;
                };
                // zlib cannot expand more than about 1032:1; a larger
                // declared output cannot be filled, so fail before
                // allocating it.
                let ok = if out_len > (src.len() as u64).saturating_mul(1100) + 1024 {
                    self.io.err(format!(
                        "unable to decode zip compressed data: src_size={}, dst_size={out_len} ",
                        src.len()
                    ));
                    false
                } else {
                    ch.inflated = vec![0u8; out_len as usize];
                    match inflate(src, &mut ch.inflated) {
                        Err(m) => {
                            self.io.err(m);
                            false
                        }
                        Ok(()) if ch.compression == 3 => {
                            unpredict(&mut ch.inflated, width as usize, height as usize, depth)
                        }
                        Ok(()) => true,
                    }
                };
                if !ok {
                    self.io
                        .err("Error during layer decompression. Possible corrupt file?".into());
                    return false;
                }
            }
            c => {
                self.io.err(format!("[Layer Channel] unsupported compression {c}"));
                return false;
            }
        }
        true
    }

    fn load_global_mask_info(&mut self) -> bool {
        if self.psd.layer_info_length == 0 {
            return true;
        }
        let mut ok = self.io.seek_set(self.layer_info_end as i64);
        let remaining = self.layer_mask_end.wrapping_sub(self.io.pos);
        if remaining < 17 {
            return self.io.seek_set(self.layer_mask_end as i64);
        }
        let Some(len) = self.io.u32() else { return false };
        let end = self.io.pos + u64::from(len);
        if len == 0 {
            return ok;
        }
        let io = &mut self.io;
        ok &= (|| {
            for _ in 0..6 {
                io.u16()?;
            }
            io.i16()
        })()
        .is_some();
        ok && self.io.seek_set(end as i64)
    }

    fn load_global_additional(&mut self) -> bool {
        if self.psd.layer_info_length == 0 {
            return true;
        }
        let psb = self.psb();
        let mut remaining = self
            .psd
            .layer_info_length
            .wrapping_sub(self.io.pos.wrapping_sub(self.layer_mask_begin));
        let mut ok = true;
        while ok && remaining >= 12 {
            let Some(sig) = self.io.bytes::<4>() else { return false };
            if &sig != b"8BIM" && &sig != b"8B64" {
                self.io.err("[Global Additional Layer Info] invalid signature".into());
                return false;
            }
            let Some(key) = self.io.bytes::<4>() else { return false };
            remaining = remaining.wrapping_sub(8);
            let len = if psb && PSB_LONG_KEYS.contains(&&key) {
                remaining = remaining.wrapping_sub(8);
                self.io.u64()
            } else {
                remaining = remaining.wrapping_sub(4);
                self.io.u32().map(u64::from)
            };
            let Some(mut len) = len else {
                ok = false;
                break;
            };
            if &key == b"Lr16" || &key == b"Lr32" {
                let begin = self.io.pos;
                ok &= self.load_layers_16_32(len);
                remaining = remaining.wrapping_sub(self.io.pos.wrapping_sub(begin));
            } else {
                len = (len.wrapping_add(3)) & !3;
                remaining = remaining.wrapping_sub(len);
                ok &= self.io.seek_cur(len as i64);
            }
        }
        ok &= self.io.seek_set(self.layer_mask_end as i64);
        ok
    }

    fn load_layers_16_32(&mut self, length: u64) -> bool {
        if length == 0 {
            return false;
        }
        let begin = self.io.pos;
        let ok = self.load_layer_list();
        if !ok {
            return false;
        }
        let read = self.io.pos - begin;
        let pad = read.div_ceil(4) * 4 - read;
        self.io.seek_cur(pad as i64);
        true
    }

    fn load_image_data(&mut self) -> bool {
        let h = self.psd.header;
        let Some(compression) = self.io.u16() else { return false };
        if compression != 0 && compression != 1 {
            self.io
                .err(format!("[Image Data Section] unsupported compression {compression}"));
            return false;
        }
        let required = mode_channel_count(h.mode) + usize::from(self.psd.transparency);
        if usize::from(h.channels) < required {
            self.io.err(format!(
                "[Image Data Section] channel count {} is too few for color mode {}",
                h.channels, h.mode
            ));
            return false;
        }
        let row_length = (u64::from(h.width) * u64::from(h.depth)).div_ceil(8) as u32;
        let mut chans = vec![Channel::default(); usize::from(h.channels)];
        for (id, ch) in chans.iter_mut().enumerate() {
            ch.width = h.width;
            ch.height = h.height;
            ch.compression = compression;
            ch.id = id as i16;
            ch.data_length = u64::from(row_length) * u64::from(h.height);
            if compression == 1 {
                match self.read_rle_lengths(h.height) {
                    Some(l) => ch.rle_lengths = l,
                    None => return false,
                }
            }
        }
        if compression == 1 {
            let avail = self.io.size().saturating_sub(self.io.pos);
            for ch in &chans {
                let sum: u64 = ch.rle_lengths.iter().map(|&l| u64::from(l)).sum();
                if sum > avail {
                    self.io.err(format!(
                        "RLE row lengths ({sum} bytes) exceed available data ({avail} bytes)"
                    ));
                    return false;
                }
            }
        }
        let mut ok = true;
        for ch in chans.iter_mut() {
            let mut p = self.io.pos;
            ch.row_length = row_length;
            ch.row_pos = (0..h.height as usize)
                .map(|i| {
                    let r = p;
                    p += if compression == 1 {
                        u64::from(ch.rle_lengths[i])
                    } else {
                        u64::from(row_length)
                    };
                    r
                })
                .collect();
            ok &= self.io.seek_set(p as i64);
        }
        self.psd.image_channels = chans;
        ok
    }

    /// OIIO's `setup`: the subimage specs and where their channels are.
    fn setup(&mut self) {
        let p = &mut self.psd;
        let h = p.header;
        let ty = type_for_depth(h.depth);
        let (mut spec_n, mut raw_n);
        if h.mode == MODE_MULTICHANNEL {
            spec_n = usize::from(h.channels);
            raw_n = spec_n;
        } else {
            raw_n = mode_channel_count(h.mode);
            spec_n = if p.want_raw {
                raw_n
            } else if h.mode == MODE_GRAYSCALE {
                1
            } else {
                3
            };
            if p.transparency {
                spec_n += 1;
                raw_n += 1;
            } else if h.mode == MODE_INDEXED && p.transparency_index.is_some() {
                spec_n += 1;
            }
        }
        let mut spec = ImageSpec::new(h.width as i32, h.height as i32, spec_n as i32, ty);
        spec.extra_attribs = p.composite_attribs.extra_attribs.clone();
        if p.want_raw {
            fill_channel_names(&mut spec, h.mode, p.transparency);
        }
        if spec.alpha_channel != -1 && p.keep_unassoc {
            spec.attribute_int("oiio:UnassociatedAlpha", 1);
        }
        p.specs.push(spec);
        p.chans
            .push((0..raw_n.min(p.image_channels.len())).map(ChanRef::Image).collect());
        for (li, layer) in p.layers.iter().enumerate() {
            if layer.width == 0 || layer.height == 0 {
                continue;
            }
            let mode_n = mode_channel_count(h.mode);
            let transparency = layer.by_id.contains_key(&-1);
            let n = if p.want_raw { mode_n } else { 3 } + usize::from(transparency);
            let mut spec = ImageSpec::new(layer.width as i32, layer.height as i32, n as i32, ty);
            spec.x = layer.left;
            spec.y = layer.top;
            spec.extra_attribs = p.common_attribs.extra_attribs.clone();
            if p.want_raw {
                fill_channel_names(&mut spec, h.mode, transparency);
            }
            if spec.alpha_channel != -1 && p.keep_unassoc {
                spec.attribute_int("oiio:UnassociatedAlpha", 1);
            }
            let mut refs: Vec<ChanRef> = (0..mode_n as i16)
                .map(|id| {
                    layer
                        .by_id
                        .get(&id)
                        .map_or(ChanRef::Missing, |&c| ChanRef::Layer(li, c))
                })
                .collect();
            if transparency {
                refs.push(ChanRef::Layer(li, layer.by_id[&-1]));
            }
            if !layer.name.is_empty() {
                spec.attribute_str("oiio:subimagename", &layer.name);
            }
            p.specs.push(spec);
            p.chans.push(refs);
        }
    }
}

// Extra parser state (positions in the layer and mask section).
impl Parser<'_> {
    fn new(data: &[u8]) -> Parser<'_> {
        Parser {
            io: Io {
                d: data,
                pos: 0,
                errors: Vec::new(),
            },
            psd: Psd {
                data: Vec::new(),
                header: Header::default(),
                color_data: Vec::new(),
                composite_attribs: ImageSpec::default(),
                common_attribs: ImageSpec::default(),
                thumbnail: None,
                transparency_index: None,
                background: [1.0; 4],
                layers: Vec::new(),
                layer_info_length: 0,
                image_channels: Vec::new(),
                transparency: false,
                want_raw: false,
                keep_unassoc: false,
                max_res: 30000,
                specs: Vec::new(),
                chans: Vec::new(),
            },
            layer_mask_begin: 0,
            layer_mask_end: 0,
            layer_info_end: 0,
        }
    }
}

fn fill_channel_names(spec: &mut ImageSpec, mode: u16, transparency: bool) {
    if mode == MODE_MULTICHANNEL {
        spec.default_channel_names();
        return;
    }
    spec.channelnames = mode_channel_names(mode).iter().map(|s| s.to_string()).collect();
    if transparency {
        spec.channelnames.push("A".into());
    }
}

/// zlib inflate of a whole stream into `dst` (OIIO's `decompress_zip`:
/// one `inflate(Z_FINISH)` that must reach the end of the stream; zlib's
/// message ends the error).
fn inflate(src: &[u8], dst: &mut [u8]) -> Result<(), String> {
    let (n_src, n_dst) = (src.len(), dst.len());
    let mut z = zlib_rs::Inflate::new(true, 15);
    match z.decompress(src, dst, zlib_rs::InflateFlush::Finish) {
        Ok(zlib_rs::Status::StreamEnd) => Ok(()),
        _ => Err(format!(
            "unable to decode zip compressed data: src_size={n_src}, dst_size={n_dst} {}",
            z.error_message().unwrap_or("")
        )),
    }
}

/// Undo Photoshop's ZIP prediction (OIIO's `decompress_zip_prediction`),
/// leaving native-endian samples. False where OIIO bails out.
fn unpredict(d: &mut [u8], w: usize, h: usize, depth: u64) -> bool {
    match depth {
        8 => {
            if w == 0 || h == 0 || (h - 1) * w + (w - 1) >= d.len() {
                return false;
            }
            for row in d.chunks_exact_mut(w).take(h) {
                for x in 1..w {
                    row[x] = row[x].wrapping_add(row[x - 1]);
                }
            }
            true
        }
        16 => {
            let n = d.len() / 2;
            if w == 0 || h == 0 || (h - 1) * w + (w - 1) >= n {
                return false;
            }
            let v: &mut [u16] = bytemuck::cast_slice_mut(&mut d[..n * 2]);
            for x in v.iter_mut() {
                *x = u16::from_be(*x);
            }
            for row in v.chunks_exact_mut(w).take(h) {
                for x in 1..w {
                    row[x] = row[x].wrapping_add(row[x - 1]);
                }
            }
            true
        }
        32 => {
            let rb = w * 4;
            let mut index = 0usize;
            for _ in 0..h {
                index += 1;
                for _ in 1..rb {
                    if index >= d.len() {
                        return false;
                    }
                    d[index] = d[index].wrapping_add(d[index - 1]);
                    index += 1;
                }
            }
            // Bytes are stored planar per row (all first bytes, then all
            // second bytes...); put each float's bytes back together.
            let mut tmp = vec![0u8; rb];
            for row in d.chunks_exact_mut(rb).take(h) {
                for x in 0..w {
                    for k in 0..4 {
                        tmp[x * 4 + k] = row[k * w + x];
                    }
                }
                row.copy_from_slice(&tmp);
            }
            let n = d.len() / 4;
            let v: &mut [u32] = bytemuck::cast_slice_mut(&mut d[..n * 4]);
            for x in v.iter_mut() {
                *x = u32::from_be(*x);
            }
            true
        }
        _ => false,
    }
}

/// OIIO's PackBits decoder (a -128 header repeats 129 times); a short
/// source leaves the rest of `dst` as it was.
fn unpack_bits(src: &[u8], dst: &mut [u8]) -> Result<(), String> {
    let mut src_rem = src.len() as i64;
    let mut dst_rem = dst.len() as i64;
    let (mut s, mut o) = (0usize, 0usize);
    while src_rem > 0 && dst_rem > 0 {
        let header = i64::from(src[s] as i8);
        s += 1;
        src_rem -= 1;
        if header >= 0 {
            let len = 1 + header;
            src_rem -= len;
            dst_rem -= len;
            if src_rem < 0 || dst_rem < 0 {
                return Err(format!(
                    "unable to decode packbits (case 1, literal bytes: src_rem={src_rem}, dst_rem={dst_rem}, len={len})"
                ));
            }
            let len = len as usize;
            dst[o..o + len].copy_from_slice(&src[s..s + len]);
            s += len;
            o += len;
        } else {
            let len = 1 - header;
            src_rem -= 1;
            dst_rem -= len;
            if src_rem < 0 || dst_rem < 0 {
                return Err(format!(
                    "unable to decode packbits (case 2, repeating byte: src_rem={src_rem}, dst_rem={dst_rem}, len={len})"
                ));
            }
            let len = len as usize;
            dst[o..o + len].fill(src[s]);
            s += 1;
            o += len;
        }
    }
    Ok(())
}

/// Big-endian 16/32-bit samples to native.
fn swap_samples(buf: &mut [u8], depth: u16, count: usize) {
    match depth {
        16 => {
            for c in buf.chunks_exact_mut(2).take(count) {
                c.swap(0, 1);
            }
        }
        32 => {
            for c in buf.chunks_exact_mut(4).take(count) {
                c.reverse();
            }
        }
        _ => {}
    }
}

/// JPEG thumbnail to uint8 RGB (or grey) pixels. `None` when the JPEG
/// header cannot be read; pixels `None` when the header is fine but the
/// data is damaged (libjpeg, which OIIO uses, decodes such data anyway
/// with its own filler; we keep the thumbnail's size but no pixels).
fn decode_jpeg(data: &[u8]) -> Option<(ImageSpec, Option<PixelData>)> {
    let result = std::panic::catch_unwind(|| {
        let mut dec = jpeg_decoder::Decoder::new(std::io::Cursor::new(data));
        dec.read_info().ok()?;
        let info = dec.info()?;
        let px = dec.decode().ok();
        Some((info, px))
    })
    .ok()??;
    let (info, px) = result;
    let n = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => 1,
        jpeg_decoder::PixelFormat::CMYK32 => 4,
        _ => 3,
    };
    let spec = ImageSpec::new(i32::from(info.width), i32::from(info.height), n, TypeDesc::UINT8);
    let pixels = px.filter(|p| p.len() == spec.image_bytes(true) as usize).and_then(|p| {
        let mut out = PixelData::zeroed(p.len()).ok()?;
        out.bytes_mut().copy_from_slice(&p);
        Some(out)
    });
    Some((spec, pixels))
}

// ---------------------------------------------------------------------------
// Reader

/// `FORMAT.open`.
pub fn open(path: &Path, config: &ImageSpec) -> Result<Box<dyn Reader>, IoError> {
    let given = *config != ImageSpec::default();
    open_with(path, given.then_some(config))
}

/// Open: the file is read into memory and every section parsed (as OIIO's
/// `open` does); pixels are decoded by `read_image`.
pub fn open_with(path: &Path, config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let data = std::fs::read(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    let want_raw = config
        .is_some_and(|c| c.get_int_attribute("psd:RawData", 0) != 0 || c.get_int_attribute("oiio:RawColor", 0) != 0);
    let keep_unassoc = config.is_some_and(|c| c.get_int_attribute("oiio:UnassociatedAlpha", 0) == 1);
    let psd = parse(data, &path.display().to_string(), want_raw, keep_unassoc).map_err(IoError::Corrupt)?;
    Ok(Box::new(PsdReader { psd }))
}

/// Parse a whole file; errors carry OIIO's messages.
fn parse(data: Vec<u8>, name: &str, want_raw: bool, keep_unassoc: bool) -> Result<Psd, String> {
    let mut p = Parser::new(&data);
    p.psd.want_raw = want_raw;
    p.psd.keep_unassoc = keep_unassoc;
    let failed = |p: &mut Parser<'_>, what: &str| -> String {
        p.io.errors.push(format!("failed to open \"{name}\": failed {what}"));
        p.io.errors.join("\n")
    };
    if !p.load_header() {
        return Err(failed(&mut p, "load_header"));
    }
    let h = p.psd.header;
    let headerspec = ImageSpec::new(
        h.width as i32,
        h.height as i32,
        i32::from(h.channels),
        type_for_depth(h.depth),
    );
    check_header_spec(&headerspec, data.len() as u64)?;
    for what in [
        "load_color_data",
        "load_resources",
        "load_layers",
        "load_global_mask_info",
        "load_global_additional",
        "load_image_data",
    ] {
        let ok = match what {
            "load_color_data" => p.load_color_data(),
            "load_resources" => p.load_resources(),
            "load_layers" => p.load_layers(),
            "load_global_mask_info" => p.load_global_mask_info(),
            "load_global_additional" => p.load_global_additional(),
            _ => p.load_image_data(),
        };
        if !ok {
            return Err(failed(&mut p, what));
        }
    }
    p.setup();
    let mut psd = p.psd;
    psd.data = data;
    Ok(psd)
}

struct PsdReader {
    psd: Psd,
}

/// Interleave `n` planar channel rows of `w` samples of `size` bytes.
fn interleave(dst: &mut [u8], bufs: &[Vec<u8>], w: usize, n: usize, size: usize) -> bool {
    if bufs.len() < n || bufs[..n].iter().any(|b| b.len() < w * size) {
        return false;
    }
    for (c, b) in bufs[..n].iter().enumerate() {
        for x in 0..w {
            let o = (x * n + c) * size;
            dst[o..o + size].copy_from_slice(&b[x * size..(x + 1) * size]);
        }
    }
    true
}

/// A sample type the alpha and CMYK conversions work on.
trait Sample: Pixel + Copy {
    const INTEGER: bool;
    const MAX: f32;
    fn raw(self) -> f32;
    /// C++ `T(float)`: truncation (wrapping as x86 does when out of range).
    fn from_raw(v: f32) -> Self;
}

impl Sample for u8 {
    const INTEGER: bool = true;
    const MAX: f32 = 255.0;
    fn raw(self) -> f32 {
        f32::from(self)
    }
    fn from_raw(v: f32) -> Self {
        v as i32 as u8
    }
}

impl Sample for u16 {
    const INTEGER: bool = true;
    const MAX: f32 = 65535.0;
    fn raw(self) -> f32 {
        f32::from(self)
    }
    fn from_raw(v: f32) -> Self {
        v as i32 as u16
    }
}

impl Sample for f32 {
    const INTEGER: bool = false;
    const MAX: f32 = 1.0;
    fn raw(self) -> f32 {
        self
    }
    fn from_raw(v: f32) -> Self {
        v
    }
}

/// OIIO's `removeBackground`: composite alpha matted against `bg`.
fn remove_background<T: Sample>(px: &mut [T], n: usize, alpha: usize, bg: &[f32; 4]) {
    let scale = if T::INTEGER { 1.0 / T::MAX } else { 1.0 };
    for p in px.chunks_exact_mut(n) {
        for c in 0..n {
            if c == alpha {
                continue;
            }
            let a = p[alpha].raw() * scale;
            let mut v = p[c].raw() - ((1.0 - a) * bg.get(c).copied().unwrap_or(0.0)) / scale;
            if T::INTEGER {
                v = v.clamp(0.0, T::MAX);
            }
            p[c] = T::from_raw(v);
        }
    }
}

/// OIIO's `unassociateAlpha` for the composite (no clamping, as in OIIO).
fn unassociate<T: Sample>(px: &mut [T], n: usize, alpha: usize, bg: &[f32; 4]) {
    let scale = if T::INTEGER { 1.0 / T::MAX } else { 1.0 };
    for p in px.chunks_exact_mut(n) {
        for c in 0..n {
            if c == alpha {
                continue;
            }
            let a = p[alpha].raw() * scale;
            p[c] = if a > 0.0 {
                T::from_raw((p[c].raw() - ((1.0 - a) * bg.get(c).copied().unwrap_or(0.0)) / scale) / a)
            } else {
                T::from_raw(0.0)
            };
        }
    }
}

/// OIIO's `associateAlpha` for layers.
fn associate<T: Sample>(px: &mut [T], n: usize, alpha: usize) {
    let scale = if T::INTEGER { 1.0 / T::MAX } else { 1.0 };
    for p in px.chunks_exact_mut(n) {
        for c in 0..n {
            if c != alpha {
                p[c] = T::from_raw(p[c].raw() * (p[alpha].raw() * scale));
            }
        }
    }
}

/// OIIO's CMYK to RGB (`R = C * K` on values as stored), alpha copied.
fn cmyk_to_rgb<T: Sample>(cmyk: &[T], cn: usize, rgb: &mut [T], rn: usize) {
    for (s, d) in cmyk.chunks_exact(cn).zip(rgb.chunks_exact_mut(rn)) {
        let k = s[3].to_f32();
        for c in 0..3 {
            d[c] = T::from_f32_scalar(s[c].to_f32() * k);
        }
        if cn == 5 && rn == 4 {
            // OIIO passes the stored value itself as if it were a 0..1
            // float (so integer alpha becomes 0 or full).
            d[3] = T::from_f32_scalar(s[4].raw());
        }
    }
}

impl PsdReader {
    /// One channel row as native-endian samples (OIIO's `read_channel_row`).
    fn channel_row(&self, r: ChanRef, row: u32, width: usize) -> Result<Vec<u8>, String> {
        let ch = match r {
            ChanRef::Image(i) => &self.psd.image_channels[i],
            ChanRef::Layer(l, c) => &self.psd.layers[l].channels[c],
            ChanRef::Missing => return Err("PSD layer is missing a colour channel".into()),
        };
        let depth = self.psd.header.depth;
        let mut buf = vec![0u8; ch.row_length as usize];
        let Some(&pos) = ch.row_pos.get(row as usize) else {
            return Err(format!(
                "Reading channel row out of range ({row}, should be < {})",
                ch.row_pos.len()
            ));
        };
        let file = &self.psd.data;
        let slice = |len: u64| -> Result<&[u8], String> {
            pos.checked_add(len)
                .filter(|&e| e <= file.len() as u64)
                .map(|e| &file[pos as usize..e as usize])
                .ok_or_else(|| "Read error: hit end of file in psd reader".to_string())
        };
        match ch.compression {
            0 => {
                buf.copy_from_slice(slice(u64::from(ch.row_length))?);
                swap_samples(&mut buf, depth, ch.width as usize);
            }
            1 => {
                unpack_bits(slice(u64::from(ch.rle_lengths[row as usize]))?, &mut buf)?;
                swap_samples(&mut buf, depth, width);
            }
            _ => {
                let at = row as usize * ch.width as usize * (usize::from(depth) / 8);
                let src = ch
                    .inflated
                    .get(at..at + buf.len())
                    .ok_or_else(|| "Corrupt PSD channel data".to_string())?;
                buf.copy_from_slice(src);
            }
        }
        Ok(buf)
    }

    /// OIIO's `read_native_scanline` for row `y` (relative to the data
    /// window) of subimage `sub`.
    fn decode_row(&self, sub: usize, y: u32, out: &mut [u8]) -> Result<(), String> {
        let spec = &self.psd.specs[sub];
        let refs = &self.psd.chans[sub];
        let h = self.psd.header;
        let w = spec.width as usize;
        let bufs = refs
            .iter()
            .map(|&r| self.channel_row(r, y, w))
            .collect::<Result<Vec<_>, _>>()?;
        let bps = usize::from(h.depth).div_ceil(8);
        let corrupt = || format!("Corrupt PSD channel data for row {}", y as i32 + spec.y);
        let n = spec.nchannels as usize;
        if self.psd.want_raw || matches!(h.mode, MODE_RGB | MODE_MULTICHANNEL | MODE_GRAYSCALE) {
            if !interleave(out, &bufs, w, n, bps) {
                return Err(corrupt());
            }
        } else if h.mode == MODE_CMYK {
            let cn = refs.len();
            let mut cmyk = vec![0u8; cn * w * bps];
            if !interleave(&mut cmyk, &bufs, w, cn, bps) {
                return Err(corrupt());
            }
            if cn < 4 {
                return Err(corrupt());
            }
            match bps {
                4 => cmyk_to_rgb::<f32>(bytemuck::cast_slice(&cmyk), cn, bytemuck::cast_slice_mut(out), n),
                2 => cmyk_to_rgb::<u16>(bytemuck::cast_slice(&cmyk), cn, bytemuck::cast_slice_mut(out), n),
                _ => cmyk_to_rgb::<u8>(&cmyk, cn, out, n),
            }
        } else if h.mode == MODE_INDEXED {
            let idx = &bufs[0];
            if idx.len() < w || self.psd.color_data.len() < 768 {
                return Err(String::new());
            }
            let t = &self.psd.color_data;
            match self.psd.transparency_index {
                Some(ti) => {
                    for (x, d) in out.chunks_exact_mut(4).take(w).enumerate() {
                        let i = usize::from(idx[x]);
                        if i as i16 == ti {
                            d.copy_from_slice(&[0, 0, 0, 0]);
                        } else {
                            d.copy_from_slice(&[t[i], t[i + 256], t[i + 512], 255]);
                        }
                    }
                }
                None => {
                    for (x, d) in out.chunks_exact_mut(3).take(w).enumerate() {
                        let i = usize::from(idx[x]);
                        d.copy_from_slice(&[t[i], t[i + 256], t[i + 512]]);
                    }
                }
            }
        } else if h.mode == MODE_BITMAP {
            let bits = &bufs[0];
            if bits.len() < w.div_ceil(8) {
                return Err(corrupt());
            }
            // Three bytes per pixel even when the spec has alpha (as OIIO).
            for (x, d) in out.chunks_exact_mut(3).take(w).enumerate() {
                let v = if bits[x / 8] & (1 << (7 - x % 8)) != 0 { 0 } else { 255 };
                d.fill(v);
            }
        } else {
            return Err(format!("Unknown color mode: {}", h.mode));
        }
        if spec.alpha_channel != -1 {
            let a = spec.alpha_channel as usize;
            let bg = &self.psd.background;
            macro_rules! alpha_fix {
                ($t:ty) => {{
                    let px: &mut [$t] = bytemuck::cast_slice_mut(out);
                    if sub == 0 {
                        if self.psd.keep_unassoc {
                            unassociate(px, n, a, bg);
                        } else {
                            remove_background(px, n, a, bg);
                        }
                    } else if !self.psd.keep_unassoc {
                        associate(px, n, a);
                    }
                }};
            }
            match spec.format {
                f if f == TypeDesc::UINT16 => alpha_fix!(u16),
                f if f == TypeDesc::FLOAT => alpha_fix!(f32),
                _ => alpha_fix!(u8),
            }
        }
        Ok(())
    }
}

impl Reader for PsdReader {
    fn format_name(&self) -> &'static str {
        "psd"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        if miplevel != 0 {
            return None;
        }
        self.psd.specs.get(subimage).cloned()
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        let Some(spec) = self.psd.specs.get(subimage).filter(|_| miplevel == 0) else {
            return Err(IoError::Open(String::new()));
        };
        let row_bytes = spec.scanline_bytes(true) as usize;
        let mut px = PixelData::zeroed(spec.image_bytes(true) as usize).map_err(|e| IoError::Corrupt(e.to_string()))?;
        if row_bytes == 0 {
            return Ok(px);
        }
        let this = &*self;
        let first_error = px
            .bytes_mut()
            .par_chunks_mut(row_bytes)
            .enumerate()
            .filter_map(|(y, row)| this.decode_row(subimage, y as u32, row).err().map(|e| (y, e)))
            .min_by_key(|(y, _)| *y);
        match first_error {
            Some((_, e)) => Err(IoError::Corrupt(e)),
            None => Ok(px),
        }
    }

    fn thumbnail(&mut self, _subimage: usize) -> Result<Option<(ImageSpec, PixelData)>, IoError> {
        Ok(self.psd.thumbnail.as_ref().map(|(s, p)| {
            let mut c = PixelData::zeroed(p.bytes().len()).expect("thumbnail copy");
            c.bytes_mut().copy_from_slice(p.bytes());
            (s.clone(), c)
        }))
    }
}

// ---------------------------------------------------------------------------
// Metadata decoders shared with other formats (Exif, XMP, ICC), when built.

#[cfg(any(feature = "png", feature = "jpeg"))]
mod meta {
    pub use super::super::meta_exif::{bytes_param, decode_exif};
    use vfx_core::ImageSpec;

    pub fn decode_icc_profile(icc: &[u8], spec: &mut ImageSpec) -> Result<(), String> {
        super::super::meta_exif::decode_icc_profile(icc, spec)
    }

    pub fn decode_xmp(xml: &[u8], spec: &mut ImageSpec) {
        super::super::meta_xmp::decode_xmp(xml, spec)
    }
}

#[cfg(not(any(feature = "png", feature = "jpeg")))]
mod meta {
    //! Stand-ins while the shared metadata modules are not compiled in: the
    //! raw ICC profile is kept, nothing is decoded.
    use vfx_core::paramvalue::{Interp, Value};
    use vfx_core::{Aggregate, BaseType, ImageSpec, ParamValue, TypeDesc, VecSemantics};

    pub fn decode_exif(_blob: &[u8], _spec: &mut ImageSpec) -> bool {
        true
    }

    pub fn decode_icc_profile(_icc: &[u8], _spec: &mut ImageSpec) -> Result<(), String> {
        Ok(())
    }

    pub fn decode_xmp(_xml: &[u8], _spec: &mut ImageSpec) {}

    pub fn bytes_param(name: &str, bytes: &[u8]) -> ParamValue {
        let vals: Vec<Value> = bytes.iter().map(|&b| Value::UInt(u64::from(b))).collect();
        let ty = TypeDesc::new(
            BaseType::UInt8,
            Aggregate::Scalar,
            VecSemantics::NoXform,
            bytes.len() as i32,
        );
        ParamValue::from_values(name, ty, 1, Interp::Constant, &vals).unwrap_or_else(|| ParamValue::from_int(name, 0))
    }
}
#[cfg(test)]
mod tests {
    use super::*;

    /// A layer: top, left, bottom, right, name and channels (id,
    /// compression, planar bytes).
    type TestLayer = (i32, i32, i32, i32, &'static str, Vec<(i16, u16, Vec<u8>)>);

    /// A PSD writer for tests (PSD version 1 unless `psb`).
    struct Doc {
        psb: bool,
        w: u32,
        h: u32,
        mode: u16,
        depth: u16,
        planes: Vec<Vec<u8>>,
        rle: bool,
        color_data: Vec<u8>,
        resources: Vec<(u16, Vec<u8>)>,
        layers: Vec<TestLayer>,
        negative_count: bool,
    }

    fn packbits(row: &[u8]) -> Vec<u8> {
        // Literal runs only (valid PackBits).
        let mut out = Vec::new();
        for c in row.chunks(128) {
            out.push((c.len() - 1) as u8);
            out.extend_from_slice(c);
        }
        out
    }

    fn zlib(data: &[u8]) -> Vec<u8> {
        let mut out = vec![0u8; zlib_rs::compress_bound(data.len())];
        let (done, _) = zlib_rs::compress_slice(&mut out, data, zlib_rs::DeflateConfig::new(6));
        let n = done.len();
        out.truncate(n);
        out
    }

    impl Doc {
        fn new(w: u32, h: u32, mode: u16, depth: u16, planes: Vec<Vec<u8>>) -> Doc {
            Doc {
                psb: false,
                w,
                h,
                mode,
                depth,
                planes,
                rle: false,
                color_data: Vec::new(),
                resources: Vec::new(),
                layers: Vec::new(),
                negative_count: false,
            }
        }

        fn len(&self, out: &mut Vec<u8>, v: u64) {
            if self.psb {
                out.extend_from_slice(&v.to_be_bytes());
            } else {
                out.extend_from_slice(&(v as u32).to_be_bytes());
            }
        }

        fn row_bytes(&self, w: u32) -> usize {
            ((w as usize) * usize::from(self.depth)).div_ceil(8)
        }

        fn channel_data(&self, w: u32, h: u32, comp: u16, plane: &[u8]) -> Vec<u8> {
            let rb = self.row_bytes(w);
            let mut out = comp.to_be_bytes().to_vec();
            match comp {
                0 => out.extend_from_slice(plane),
                1 => {
                    let rows: Vec<Vec<u8>> = plane.chunks(rb.max(1)).take(h as usize).map(packbits).collect();
                    for r in &rows {
                        out.extend_from_slice(&(r.len() as u16).to_be_bytes());
                    }
                    for r in &rows {
                        out.extend_from_slice(r);
                    }
                }
                2 => out.extend(zlib(plane)),
                _ => {
                    // 8-bit prediction only.
                    let mut d = plane.to_vec();
                    for row in d.chunks_mut(w as usize) {
                        for x in (1..row.len()).rev() {
                            row[x] = row[x].wrapping_sub(row[x - 1]);
                        }
                    }
                    out.extend(zlib(&d));
                }
            }
            out
        }

        fn bytes(&self) -> Vec<u8> {
            let mut out = b"8BPS".to_vec();
            out.extend_from_slice(&(if self.psb { 2u16 } else { 1 }).to_be_bytes());
            out.extend_from_slice(&[0; 6]);
            out.extend_from_slice(&(self.planes.len() as u16).to_be_bytes());
            out.extend_from_slice(&self.h.to_be_bytes());
            out.extend_from_slice(&self.w.to_be_bytes());
            out.extend_from_slice(&self.depth.to_be_bytes());
            out.extend_from_slice(&self.mode.to_be_bytes());
            out.extend_from_slice(&(self.color_data.len() as u32).to_be_bytes());
            out.extend_from_slice(&self.color_data);
            let mut res = Vec::new();
            for (id, d) in &self.resources {
                res.extend_from_slice(b"8BIM");
                res.extend_from_slice(&id.to_be_bytes());
                res.extend_from_slice(&[0, 0]);
                res.extend_from_slice(&(d.len() as u32).to_be_bytes());
                res.extend_from_slice(d);
                if d.len() % 2 == 1 {
                    res.push(0);
                }
            }
            out.extend_from_slice(&(res.len() as u32).to_be_bytes());
            out.extend(res);
            if self.layers.is_empty() {
                self.len(&mut out, 0);
            } else {
                let mut recs = Vec::new();
                let mut datas = Vec::new();
                for (t, l, b, r, name, chans) in &self.layers {
                    let (lw, lh) = ((r - l) as u32, (b - t) as u32);
                    for v in [t, l, b, r] {
                        recs.extend_from_slice(&v.to_be_bytes());
                    }
                    recs.extend_from_slice(&(chans.len() as u16).to_be_bytes());
                    let mut blobs = Vec::new();
                    for (id, comp, plane) in chans {
                        let d = self.channel_data(lw, lh, *comp, plane);
                        recs.extend_from_slice(&id.to_be_bytes());
                        self.len(&mut recs, d.len() as u64);
                        blobs.push(d);
                    }
                    let mut extra = vec![0u8; 8];
                    let mut pname = vec![name.len() as u8];
                    pname.extend_from_slice(name.as_bytes());
                    while pname.len() % 4 != 0 {
                        pname.push(0);
                    }
                    extra.extend(pname);
                    recs.extend_from_slice(b"8BIMnorm");
                    recs.extend_from_slice(&[255, 0, 0, 0]);
                    recs.extend_from_slice(&(extra.len() as u32).to_be_bytes());
                    recs.extend(extra);
                    for b in blobs {
                        datas.extend(b);
                    }
                }
                let count = self.layers.len() as i16 * if self.negative_count { -1 } else { 1 };
                let mut info = count.to_be_bytes().to_vec();
                info.extend(recs);
                info.extend(datas);
                if info.len() % 2 == 1 {
                    info.push(0);
                }
                let mut section = Vec::new();
                self.len(&mut section, info.len() as u64);
                section.extend(info);
                section.extend_from_slice(&0u32.to_be_bytes());
                self.len(&mut out, section.len() as u64);
                out.extend(section);
            }
            out.extend_from_slice(&u16::from(self.rle).to_be_bytes());
            let rb = self.row_bytes(self.w);
            if self.rle {
                let enc: Vec<Vec<Vec<u8>>> = self
                    .planes
                    .iter()
                    .map(|p| p.chunks(rb).map(packbits).collect())
                    .collect();
                for rows in &enc {
                    for r in rows {
                        if self.psb {
                            out.extend_from_slice(&(r.len() as u32).to_be_bytes());
                        } else {
                            out.extend_from_slice(&(r.len() as u16).to_be_bytes());
                        }
                    }
                }
                for rows in enc {
                    for r in rows {
                        out.extend(r);
                    }
                }
            } else {
                for p in &self.planes {
                    out.extend_from_slice(p);
                }
            }
            out
        }
    }

    fn scratch() -> std::path::PathBuf {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        std::env::temp_dir().join(format!(
            "vfx_io_psd_{}_{}.psd",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ))
    }

    fn open_bytes(bytes: &[u8], config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
        let p = scratch();
        std::fs::write(&p, bytes).unwrap();
        let r = open_with(&p, config);
        std::fs::remove_file(&p).unwrap();
        r
    }

    fn read_all(bytes: &[u8], config: Option<&ImageSpec>) -> Result<Vec<(ImageSpec, Vec<u8>)>, IoError> {
        let mut r = open_bytes(bytes, config)?;
        let mut out = Vec::new();
        let mut s = 0;
        while let Some(spec) = r.spec(s, 0) {
            out.push((spec, r.read_image(s, 0)?.bytes().to_vec()));
            s += 1;
        }
        Ok(out)
    }

    fn plane(w: u32, h: u32, f: impl Fn(u32, u32) -> u8) -> Vec<u8> {
        (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .map(|(x, y)| f(x, y))
            .collect()
    }

    #[test]
    fn rgb_composite_raw_and_rle() {
        let planes: Vec<Vec<u8>> = (0..3)
            .map(|c| plane(7, 5, |x, y| (x * 30 + y * 7 + c * 50) as u8))
            .collect();
        for rle in [false, true] {
            let mut d = Doc::new(7, 5, MODE_RGB, 8, planes.clone());
            d.rle = rle;
            let subs = read_all(&d.bytes(), None).unwrap();
            assert_eq!(subs.len(), 1);
            let (spec, px) = &subs[0];
            assert_eq!(
                (spec.width, spec.height, spec.nchannels, spec.format),
                (7, 5, 3, TypeDesc::UINT8)
            );
            for i in 0..35 {
                for c in 0..3 {
                    assert_eq!(px[i * 3 + c], planes[c][i]);
                }
            }
        }
    }

    #[test]
    fn deep_greyscale_and_float() {
        let v16: Vec<u16> = (0..12).map(|i| i * 5000).collect();
        let be: Vec<u8> = v16.iter().flat_map(|v| v.to_be_bytes()).collect();
        let subs = read_all(&Doc::new(4, 3, MODE_GRAYSCALE, 16, vec![be]).bytes(), None).unwrap();
        assert_eq!(subs[0].0.format, TypeDesc::UINT16);
        assert_eq!(bytemuck::cast_slice::<u8, u16>(&subs[0].1), v16.as_slice());
        let f: Vec<f32> = (0..6).map(|i| i as f32 * 0.5 - 1.0).collect();
        let planes: Vec<Vec<u8>> = (0..3)
            .map(|_| f.iter().flat_map(|v| v.to_be_bytes()).collect())
            .collect();
        let mut d = Doc::new(3, 2, MODE_RGB, 32, planes);
        d.psb = true;
        d.rle = true;
        let subs = read_all(&d.bytes(), None).unwrap();
        let got: &[f32] = bytemuck::cast_slice(&subs[0].1);
        assert_eq!(got[0..3], [-1.0, -1.0, -1.0]);
        assert_eq!(got[15..18], [1.5, 1.5, 1.5]);
    }

    #[test]
    fn cmyk_indexed_bitmap_conversions() {
        // CMYK: R = C * K on stored (inverted) values.
        let planes = vec![vec![255, 128], vec![255, 0], vec![0, 255], vec![255, 128]];
        let subs = read_all(&Doc::new(2, 1, MODE_CMYK, 8, planes).bytes(), None).unwrap();
        assert_eq!(subs[0].1, [255, 255, 0, 64, 0, 128]);
        // Indexed: planar palette; transparency index gives alpha.
        let mut pal = vec![0u8; 768];
        for i in 0..256 {
            pal[i] = i as u8;
            pal[256 + i] = 255 - i as u8;
            pal[512 + i] = (i / 2) as u8;
        }
        let mut d = Doc::new(3, 1, MODE_INDEXED, 8, vec![vec![0, 10, 200]]);
        d.color_data = pal.clone();
        assert_eq!(
            read_all(&d.bytes(), None).unwrap()[0].1,
            [0, 255, 0, 10, 245, 5, 200, 55, 100]
        );
        d.resources.push((1047, 10u16.to_be_bytes().to_vec()));
        let subs = read_all(&d.bytes(), None).unwrap();
        assert_eq!(subs[0].0.nchannels, 4);
        assert_eq!(subs[0].1, [0, 255, 0, 255, 0, 0, 0, 0, 200, 55, 100, 255]);
        // Bitmap: 1 bits are black.
        let subs = read_all(
            &Doc::new(10, 1, MODE_BITMAP, 1, vec![vec![0b1010_0000, 0b0100_0000]]).bytes(),
            None,
        )
        .unwrap();
        let grey: Vec<u8> = subs[0].1.chunks(3).map(|p| p[0]).collect();
        assert_eq!(grey, [0, 255, 0, 255, 255, 255, 255, 255, 255, 0]);
    }

    #[test]
    fn layers_all_compressions() {
        let (lw, lh) = (6u32, 4u32);
        let c = |k: u8| plane(lw, lh, move |x, y| (x * 20 + y * 3 + u32::from(k) * 40) as u8);
        let alpha = plane(lw, lh, |x, _| (x * 51) as u8);
        let composite: Vec<Vec<u8>> = (0..4)
            .map(|k| plane(8, 8, move |x, y| (x + y * 8 + k * 60) as u8))
            .collect();
        for comp in 0..4u16 {
            let mut d = Doc::new(8, 8, MODE_RGB, 8, composite.clone());
            d.negative_count = true;
            d.layers.push((
                1,
                2,
                1 + lh as i32,
                2 + lw as i32,
                "layer",
                vec![
                    (0, comp, c(0)),
                    (1, comp, c(1)),
                    (2, comp, c(2)),
                    (-1, comp, alpha.clone()),
                ],
            ));
            // An empty layer is skipped.
            d.layers.push((
                0,
                0,
                0,
                0,
                "empty",
                vec![(0, 0, vec![]), (1, 0, vec![]), (2, 0, vec![])],
            ));
            let subs = read_all(&d.bytes(), None).unwrap();
            assert_eq!(subs.len(), 2, "compression {comp}");
            let (spec, px) = &subs[1];
            assert_eq!(
                (spec.x, spec.y, spec.width, spec.height, spec.nchannels),
                (2, 1, 6, 4, 4)
            );
            assert_eq!(spec.get_string_attribute("oiio:subimagename", ""), "layer");
            for i in 0..(lw * lh) as usize {
                let a = alpha[i];
                assert_eq!(px[i * 4 + 3], a);
                for k in 0..3u8 {
                    // Premultiplied with OIIO's truncation.
                    let want = (f32::from(c(k)[i]) * (f32::from(a) / 255.0)) as u8;
                    assert_eq!(px[i * 4 + usize::from(k)], want);
                }
            }
            // The composite has the white background matted out.
            let (cspec, cpx) = &subs[0];
            assert_eq!(cspec.nchannels, 4);
            let a = f32::from(composite[3][9]) / 255.0;
            let want = (f32::from(composite[0][9]) - (1.0 - a) * 255.0).clamp(0.0, 255.0) as u8;
            assert_eq!(cpx[9 * 4], want);
        }
    }

    #[test]
    fn open_hints() {
        let planes = vec![vec![200, 10], vec![100, 20], vec![50, 30], vec![255, 0]];
        let mut d = Doc::new(2, 1, MODE_CMYK, 8, planes);
        d.negative_count = false;
        let mut raw = ImageSpec::default();
        raw.attribute_int("psd:RawData", 1);
        let subs = read_all(&d.bytes(), Some(&raw)).unwrap();
        assert_eq!(subs[0].0.channelnames, ["C", "M", "Y", "K"]);
        // As in OIIO, the fourth channel (K) counts as alpha: the second
        // pixel (K = 0) is matted to black.
        assert_eq!(subs[0].1, [200, 100, 50, 255, 0, 0, 0, 0]);
        // Lab needs the raw hint.
        let lab = Doc::new(1, 1, MODE_LAB, 8, vec![vec![1], vec![2], vec![3]]);
        assert!(read_all(&lab.bytes(), None)
            .unwrap_err()
            .to_string()
            .contains("unsupported color mode 9"));
        assert_eq!(read_all(&lab.bytes(), Some(&raw)).unwrap()[0].1, [1, 2, 3]);
    }

    #[test]
    fn resources_become_metadata() {
        let mut d = Doc::new(1, 1, MODE_RGB, 8, vec![vec![1], vec![2], vec![3]]);
        let mut res = Vec::new();
        res.extend_from_slice(&(300u32 << 16).to_be_bytes());
        res.extend_from_slice(&[0, 2, 0, 1]);
        res.extend_from_slice(&(150u32 << 16).to_be_bytes());
        res.extend_from_slice(&[0, 2, 0, 1]);
        d.resources.push((1005, res));
        let mut par = 1u32.to_be_bytes().to_vec();
        par.extend_from_slice(&1.5f64.to_be_bytes());
        d.resources.push((1064, par));
        let spec = read_all(&d.bytes(), None).unwrap().remove(0).0;
        assert_eq!(spec.get_float_attribute("XResolution", 0.0), 300.0);
        assert_eq!(spec.get_float_attribute("YResolution", 0.0), 150.0);
        assert_eq!(spec.get_string_attribute("ResolutionUnit", ""), "cm");
        assert_eq!(spec.get_float_attribute("PixelAspectRatio", 0.0), 1.5);
    }

    #[test]
    fn damaged_files_fail_cleanly() {
        let err = |b: &[u8]| read_all(b, None).unwrap_err().to_string();
        assert!(err(b"8BPX\0\x01").starts_with("Read error: hit end of file in psd reader"));
        let mut d = Doc::new(5, 4, MODE_RGB, 8, (0..3).map(|_| vec![7u8; 20]).collect());
        d.rle = true;
        d.negative_count = true;
        d.layers.push((
            0,
            0,
            2,
            2,
            "l",
            vec![(0, 1, vec![1; 4]), (1, 1, vec![2; 4]), (2, 1, vec![3; 4])],
        ));
        let good = d.bytes();
        let mut bad = good.clone();
        bad[0] = b'X';
        assert!(err(&bad).starts_with("[Header] invalid signature\nfailed to open"));
        let mut bad = good.clone();
        bad[14..18].copy_from_slice(&40000u32.to_be_bytes());
        assert!(err(&bad).starts_with("[Header] invalid image width 40000"));
        // Every truncation fails or reads, never panics or over-allocates.
        for n in 0..good.len() {
            let _ = read_all(&good[..n], None);
        }
        let mut seed = 5u32;
        for _ in 0..400 {
            let mut v = good.clone();
            for _ in 0..3 {
                seed = seed.wrapping_mul(1664525).wrapping_add(1013904223);
                let i = (seed >> 8) as usize % v.len();
                v[i] = (seed >> 24) as u8;
            }
            let _ = read_all(&v, None);
        }
        // A declared channel length larger than the file is refused up front.
        let mut bad = good.clone();
        let at = good.windows(4).position(|w| w == [0, 0, 0, 2]).unwrap();
        let _ = at;
        let rec = 26 + 4 + 4 + 4 + 4 + 2 + 18;
        bad[rec + 2..rec + 6].copy_from_slice(&0x7fff_fff0u32.to_be_bytes());
        assert!(err(&bad).starts_with("[Layer Channel] data length 2147483632 exceeds remaining file size"));
    }
}

//! DirectDraw Surface files (.dds), read only, as OpenImageIO 3.2.2 reads
//! them.
//!
//! Supported: uncompressed pixel formats described by channel bit masks
//! (RGB, luminance, alpha; 8 to 32 bits per pixel, expanded to uint8 by bit
//! replication), a few uncompressed DX10 (DXGI) formats, and the block
//! compressions DXT1-5 (BC1-3), BC4/ATI1, BC5/ATI2, BC6H (half) and BC7.
//!
//! As OIIO: the file is one subimage whose MIP levels are the file's mip
//! chain (only when the header says "complex"); cube maps are one image of
//! the six faces stacked vertically, tiled one face per tile (absent faces
//! are black), with OIIO's level-size quirk (level 1 has the size of level
//! 0); volume textures report width x 1 x 1 tiles. Metadata: `compression`,
//! `oiio:BitsPerSample` (uint), `oiio:ColorSpace` (sRGB DXGI formats, or
//! linear for BC6H), `textureformat`, `dds:CubeMapSides`, and
//! `oiio:miplevels` when there is more than one level. BC1-5 decode with
//! bcdec's (the version OIIO ships) integer rules; BC6H and BC7 use the
//! `bcdec_rs` port of the same decoder. "Normal map" DXT5/BC5 files get a
//! reconstructed blue channel, RXGB swaps red and alpha, DXT2/4 are
//! un-premultiplied.

use crate::{Format, IoError, Reader};
use rayon::prelude::*;
use std::path::Path;
use vfx_core::{globals, ImageSpec, ParamValue, PixelData, TypeDesc, Value};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "dds",
    extensions: &["dds"],
    sniff,
    open: Some(open),
    write: None,
    supports,
};

/// OIIO's DDS reader answers "ioproxy" and "mipmap".
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(feature, "ioproxy" | "mipmap"))
}

/// True if the file starts with "DDS ".
pub fn sniff(head: &[u8]) -> bool {
    head.starts_with(b"DDS ")
}

const fn fourcc(s: &[u8; 4]) -> u32 {
    u32::from_le_bytes(*s)
}

const CC_DXT1: u32 = fourcc(b"DXT1");
const CC_DXT2: u32 = fourcc(b"DXT2");
const CC_DXT3: u32 = fourcc(b"DXT3");
const CC_DXT4: u32 = fourcc(b"DXT4");
const CC_DXT5: u32 = fourcc(b"DXT5");
const CC_ATI1: u32 = fourcc(b"ATI1");
const CC_ATI2: u32 = fourcc(b"ATI2");
const CC_DX10: u32 = fourcc(b"DX10");
const CC_RXGB: u32 = fourcc(b"RXGB");
const CC_BC4U: u32 = fourcc(b"BC4U");
const CC_BC5U: u32 = fourcc(b"BC5U");

// DXGI formats OIIO knows.
const DXGI_R10G10B10A2: u32 = 24;
const DXGI_R8G8B8A8: u32 = 28;
const DXGI_R8G8B8A8_SRGB: u32 = 29;
const DXGI_R16: u32 = 56;
const DXGI_BC1: u32 = 71;
const DXGI_BC1_SRGB: u32 = 72;
const DXGI_BC2: u32 = 74;
const DXGI_BC2_SRGB: u32 = 75;
const DXGI_BC3: u32 = 77;
const DXGI_BC3_SRGB: u32 = 78;
const DXGI_BC4: u32 = 80;
const DXGI_BC5: u32 = 83;
const DXGI_B8G8R8A8: u32 = 87;
const DXGI_B8G8R8X8: u32 = 88;
const DXGI_B8G8R8A8_SRGB: u32 = 91;
const DXGI_B8G8R8X8_SRGB: u32 = 93;
const DXGI_BC6H_UF16: u32 = 95;
const DXGI_BC6H_SF16: u32 = 96;
const DXGI_BC7: u32 = 98;
const DXGI_BC7_SRGB: u32 = 99;

// Pixel format flags.
const PF_ALPHA: u32 = 0x1;
const PF_ALPHAONLY: u32 = 0x2;
const PF_FOURCC: u32 = 0x4;
const PF_RGB: u32 = 0x40;
const PF_YUV: u32 = 0x200;
const PF_LUMINANCE: u32 = 0x20000;
const PF_NORMAL: u32 = 0x8000_0000;
// Caps.
const CAPS1_COMPLEX: u32 = 0x8;
const CAPS1_TEXTURE: u32 = 0x1000;
const CAPS2_CUBEMAP: u32 = 0x200;
const CAPS2_POSX: u32 = 0x400;
const CAPS2_VOLUME: u32 = 0x20_0000;
// Header flags.
const F_CAPS: u32 = 0x1;
const F_HEIGHT: u32 = 0x2;
const F_WIDTH: u32 = 0x4;
const F_PIXELFORMAT: u32 = 0x1000;
const F_MIPMAPCOUNT: u32 = 0x2_0000;
const F_DEPTH: u32 = 0x80_0000;

const HEADER_LEN: usize = 128;
const DX10_LEN: usize = 20;

/// Block compression kinds, named as OIIO reports them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Comp {
    None,
    Dxt1,
    Dxt2,
    Dxt3,
    Dxt4,
    Dxt5,
    Bc4,
    Bc5,
    Bc6hu,
    Bc6hs,
    Bc7,
}

impl Comp {
    fn name(self) -> Option<&'static str> {
        Some(match self {
            Comp::None => return None,
            Comp::Dxt1 => "DXT1",
            Comp::Dxt2 => "DXT2",
            Comp::Dxt3 => "DXT3",
            Comp::Dxt4 => "DXT4",
            Comp::Dxt5 => "DXT5",
            Comp::Bc4 => "BC4",
            Comp::Bc5 => "BC5",
            Comp::Bc6hu => "BC6HU",
            Comp::Bc6hs => "BC6HS",
            Comp::Bc7 => "BC7",
        })
    }
    fn is_hdr(self) -> bool {
        matches!(self, Comp::Bc6hu | Comp::Bc6hs)
    }
    fn block_bytes(self) -> usize {
        if matches!(self, Comp::Dxt1 | Comp::Bc4) {
            8
        } else {
            16
        }
    }
    fn channels(self, normal: bool) -> usize {
        match self {
            Comp::Dxt5 if normal => 3,
            Comp::Bc5 if normal => 3,
            Comp::Bc5 => 2,
            Comp::Bc4 => 1,
            Comp::Bc6hu | Comp::Bc6hs => 3,
            _ => 4,
        }
    }
    /// Bytes of compressed data for a `w` x `h` image.
    fn storage(self, w: usize, h: usize) -> usize {
        w.div_ceil(4) * h.div_ceil(4) * self.block_bytes()
    }
}

fn corrupt(m: impl Into<String>) -> IoError {
    IoError::Corrupt(m.into())
}

fn eof() -> IoError {
    corrupt("Read error: hit end of file in dds reader")
}

/// OIIO's generic `check_open` with the range `max_w` x `max_h` x `max_d`
/// and at most 4 channels.
fn check_open(spec: &ImageSpec, max_w: i32, max_h: i32, max_d: i32) -> Result<(), IoError> {
    let (w, h, d, n) = (spec.width, spec.height, spec.depth, spec.nchannels);
    let name = "dds";
    if w <= 0 || h <= 0 || d <= 0 || n <= 0 {
        return Err(corrupt(format!(
            "{name} image resolution must be at least 1x1, but the file specified {w}x{h}x{d}, {n} chans. Possible corrupt input?"
        )));
    }
    if w > max_w || h > max_h || d > max_d {
        return Err(corrupt(if d > 1 {
            format!(
                "{name} image resolution may not exceed {max_w}x{max_h}x{max_d}, but the file appears to be {w}x{h}x{d}. Possible corrupt input?"
            )
        } else {
            format!(
                "{name} image resolution may not exceed {max_w}x{max_h}, but the file appears to be {w}x{h}. Possible corrupt input?"
            )
        }));
    }
    if n > 4 {
        return Err(corrupt(format!(
            "{name} does not support {n}-channel images. Possible corrupt input?"
        )));
    }
    let max_res = globals::get_int_attribute("limits:resolution", 1 << 20);
    if max_res > 0 && (w > max_res || h > max_res || d > max_res) {
        return Err(corrupt(if d > 1 {
            format!(
                "{name} image dimension {w}x{h}x{d} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\"."
            )
        } else {
            format!(
                "{name} image dimension {w}x{h} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\"."
            )
        }));
    }
    let max_mb = globals::get_int_attribute("limits:imagesize_MB", 0);
    let bytes = spec.image_bytes(true);
    if max_mb > 0 && bytes > (max_mb as u64) << 20 {
        return Err(corrupt(format!(
            "Uncompressed image size {:.1} MB exceeds the {max_mb} MB limit.\nImage claimed to be {w}x{h}, {n}-channel {}. Possible corrupt input?\nIf this is a valid file, raise the OIIO attribute \"limits:imagesize_MB\".",
            bytes as f32 / (1u64 << 20) as f32,
            spec.format
        )));
    }
    let (tw, th, td) = (spec.tile_width, spec.tile_height, spec.tile_depth);
    if tw > max_w || th > max_h || td > max_d {
        return Err(corrupt(format!(
            "{name} tile size may not exceed {max_w}x{max_h}x{max_d}, but was {tw}x{th}x{td}. Possible corrupt input?"
        )));
    }
    let (fw, fh, fd) = (spec.full_width, spec.full_height, spec.full_depth);
    if fw <= 0 || fh <= 0 || fd <= 0 {
        return Err(corrupt(format!(
            "{name} image full/display resolution must be at least 1x1, but the file specified {fw}x{fh}x{fd}. Possible corrupt input?"
        )));
    }
    if fw > max_w || fh > max_h || fd > max_d {
        return Err(corrupt(if fd > 1 {
            format!(
                "{name} image full/display resolution may not exceed {max_w}x{max_h}x{max_d}, but the file appears to be {fw}x{fh}x{fd}. Possible corrupt input?"
            )
        } else {
            format!(
                "{name} image full/display resolution may not exceed {max_w}x{max_h}, but the file appears to be {fw}x{fh}. Possible corrupt input?"
            )
        }));
    }
    Ok(())
}

/// The parsed header, normalised as OIIO normalises it.
#[derive(Clone, Debug)]
struct Header {
    width: u32,
    height: u32,
    depth: u32,
    mipmaps: u32,
    pf_flags: u32,
    fourcc: u32,
    bpp: u32,
    masks: [u32; 4],
    caps1: u32,
    caps2: u32,
    dxgi: u32,
    comp: Comp,
    nchans: usize,
    /// Bytes per pixel of uncompressed data.
    bpp_bytes: usize,
    bit_counts: [u32; 4],
    shifts: [u32; 4],
}

impl Header {
    fn is_cube(&self) -> bool {
        self.caps2 & CAPS2_CUBEMAP != 0
    }
    fn is_volume(&self) -> bool {
        self.caps2 & CAPS2_VOLUME != 0
    }
    fn data_start(&self) -> usize {
        HEADER_LEN + if self.fourcc == CC_DX10 { DX10_LEN } else { 0 }
    }
    fn level_bytes(&self, w: usize, h: usize, d: usize) -> usize {
        if self.comp != Comp::None {
            self.comp.storage(w, h)
        } else {
            w.saturating_mul(h).saturating_mul(d).saturating_mul(self.bpp_bytes)
        }
    }
    /// Where face `face`, level `level` starts and its true size; `None`
    /// for a cube face the file does not hold.
    fn locate(&self, face: usize, level: usize) -> Option<(usize, usize, usize, usize)> {
        if self.is_cube() && self.caps2 & (CAPS2_POSX << face) == 0 {
            return None;
        }
        let mut ofs = self.data_start();
        let (mut w, mut h, mut d) = (0, 0, 0);
        for j in 0..=face {
            (w, h, d) = (self.width as usize, self.height as usize, self.depth as usize);
            if self.mipmaps < 2 {
                if j > 0 {
                    ofs = ofs.saturating_add(self.level_bytes(w, h, d));
                }
                continue;
            }
            let n = if j == face { level } else { self.mipmaps as usize };
            for i in 0..n {
                if w == 1 && h == 1 && d == 1 {
                    // The remaining levels are all 1x1x1.
                    ofs = ofs.saturating_add(self.level_bytes(1, 1, 1).saturating_mul(n - i));
                    break;
                }
                ofs = ofs.saturating_add(self.level_bytes(w, h, d));
                w = (w >> 1).max(1);
                h = (h >> 1).max(1);
                d = (d >> 1).max(1);
            }
        }
        Some((ofs, w, h, d))
    }
}

/// Bit position and width of a channel mask.
fn mask_shift_count(mask: u32) -> (u32, u32) {
    if mask == 0 {
        return (0, 0);
    }
    let right = mask.trailing_zeros();
    let count = (mask >> right).trailing_ones();
    (count, right)
}

/// Masks of the uncompressed DXGI formats OIIO reads.
fn dxgi_masks(f: u32) -> Option<[u32; 4]> {
    Some(match f {
        DXGI_R16 => [0xFFFF, 0, 0, 0],
        DXGI_R10G10B10A2 => [0x3FF, 0xFFC00, 0x3FF0_0000, 0xC000_0000],
        DXGI_R8G8B8A8 | DXGI_R8G8B8A8_SRGB => [0xFF, 0xFF00, 0xFF_0000, 0xFF00_0000],
        DXGI_B8G8R8A8 | DXGI_B8G8R8A8_SRGB => [0xFF_0000, 0xFF00, 0xFF, 0xFF00_0000],
        DXGI_B8G8R8X8 | DXGI_B8G8R8X8_SRGB => [0xFF_0000, 0xFF00, 0xFF, 0],
        _ => return None,
    })
}

fn dxgi_bits(f: u32) -> u32 {
    match f {
        DXGI_R16 => 16,
        DXGI_R10G10B10A2 | DXGI_R8G8B8A8 | DXGI_R8G8B8A8_SRGB | DXGI_B8G8R8A8 | DXGI_B8G8R8A8_SRGB | DXGI_B8G8R8X8
        | DXGI_B8G8R8X8_SRGB => 32,
        _ => 0,
    }
}

fn le32(b: &[u8], o: usize) -> u32 {
    u32::from_le_bytes([b[o], b[o + 1], b[o + 2], b[o + 3]])
}

/// Parse and validate the header(s) as OIIO's `open` does.
fn parse_header(b: &[u8]) -> Result<Header, IoError> {
    if b.len() < HEADER_LEN {
        return Err(eof());
    }
    let magic = le32(b, 0);
    let size = le32(b, 4);
    let flags = le32(b, 8);
    let height = le32(b, 12);
    let width = le32(b, 16);
    let depth = le32(b, 24);
    let mipmaps = le32(b, 28);
    // Pixel format at 76.
    let pf_size = le32(b, 76);
    let mut pf_flags = le32(b, 80);
    let fourcc = le32(b, 84);
    let bpp = le32(b, 88);
    let mut masks = [le32(b, 92), le32(b, 96), le32(b, 100), le32(b, 104)];
    let caps1 = le32(b, 108);
    let caps2 = le32(b, 112);
    let bad_header = magic != fourcc_dds()
        || size != 124
        || pf_size != 32
        || caps1 & CAPS1_TEXTURE == 0
        || flags & F_CAPS == 0
        || flags & F_PIXELFORMAT == 0
        || (caps2 & CAPS2_VOLUME != 0 && !(caps1 & CAPS1_COMPLEX != 0 && flags & F_DEPTH != 0))
        || (caps2 & CAPS2_CUBEMAP != 0 && caps1 & CAPS1_COMPLEX == 0);
    if bad_header {
        return Err(corrupt("Invalid DDS header, possibly corrupt file"));
    }
    if flags & F_WIDTH == 0
        || width == 0
        || flags & F_HEIGHT == 0
        || height == 0
        || (flags & F_DEPTH != 0 && depth == 0)
        || (pf_flags & PF_FOURCC == 0 && pf_flags & (PF_RGB | PF_LUMINANCE | PF_ALPHA | PF_ALPHAONLY) == 0)
    {
        return Err(corrupt("Image with no data"));
    }
    let mut dxgi = 0;
    if fourcc == CC_DX10 {
        if b.len() < HEADER_LEN + DX10_LEN {
            return Err(eof());
        }
        dxgi = le32(b, HEADER_LEN);
    }
    let mut comp = Comp::None;
    if pf_flags & PF_FOURCC != 0 {
        comp = match fourcc {
            CC_DXT1 => Comp::Dxt1,
            CC_DXT2 => Comp::Dxt2,
            CC_DXT3 => Comp::Dxt3,
            CC_DXT4 => Comp::Dxt4,
            CC_DXT5 => Comp::Dxt5,
            CC_RXGB => {
                pf_flags &= !PF_NORMAL;
                Comp::Dxt5
            }
            CC_ATI1 | CC_BC4U => Comp::Bc4,
            CC_ATI2 | CC_BC5U => Comp::Bc5,
            CC_DX10 => match dxgi {
                DXGI_BC1 | DXGI_BC1_SRGB => Comp::Dxt1,
                DXGI_BC2 | DXGI_BC2_SRGB => Comp::Dxt3,
                DXGI_BC3 | DXGI_BC3_SRGB => Comp::Dxt5,
                DXGI_BC4 => Comp::Bc4,
                DXGI_BC5 => Comp::Bc5,
                DXGI_BC6H_UF16 => Comp::Bc6hu,
                DXGI_BC6H_SF16 => Comp::Bc6hs,
                DXGI_BC7 | DXGI_BC7_SRGB => Comp::Bc7,
                other => {
                    masks = dxgi_masks(other).ok_or_else(|| corrupt(format!("Unsupported DXGI format: {other}")))?;
                    Comp::None
                }
            },
            other => return Err(corrupt(format!("Unsupported compression type: {other}"))),
        };
    }
    if comp == Comp::Bc5 && globals::get_int_attribute("dds:bc5normal", 0) != 0 {
        pf_flags |= PF_NORMAL;
    }
    let mut bit_counts = [0u32; 4];
    let mut shifts = [0u32; 4];
    let mut bpp_bytes = 0usize;
    let nchans;
    if comp != Comp::None {
        nchans = comp.channels(pf_flags & PF_NORMAL != 0);
    } else if fourcc == CC_DX10 {
        bpp_bytes = dxgi_bits(dxgi).div_ceil(8) as usize;
        let mut n = 0;
        for i in 0..4 {
            if masks[i] != 0 {
                masks[n] = masks[i];
                n += 1;
            }
        }
        for i in 0..n {
            (bit_counts[i], shifts[i]) = mask_shift_count(masks[i]);
        }
        nchans = n;
    } else {
        bpp_bytes = (u64::from(bpp).div_ceil(8)).min(1 << 20) as usize;
        for i in 0..4 {
            (bit_counts[i], shifts[i]) = mask_shift_count(masks[i]);
        }
        let mut n = 3;
        if pf_flags & PF_LUMINANCE != 0 {
            n = 1;
            masks[1] = masks[3];
            bit_counts[1] = bit_counts[3];
            shifts[1] = shifts[3];
        } else if pf_flags & PF_ALPHAONLY != 0 {
            n = 1;
            masks[0] = masks[3];
            bit_counts[0] = bit_counts[3];
            shifts[0] = shifts[3];
        }
        if pf_flags & PF_ALPHA != 0 {
            n += 1;
        }
        nchans = n;
    }
    if comp == Comp::None && !(1..=16).contains(&bpp_bytes) {
        return Err(corrupt(format!(
            "Invalid DDS bytes-per-pixel ({bpp_bytes}). Possible corrupt input?"
        )));
    }
    Ok(Header {
        width,
        height,
        depth: if caps2 & CAPS2_VOLUME != 0 { depth } else { 1 },
        mipmaps: if flags & F_MIPMAPCOUNT != 0 { mipmaps } else { 1 },
        pf_flags,
        fourcc,
        bpp,
        masks,
        caps1,
        caps2,
        dxgi,
        comp,
        nchans,
        bpp_bytes,
        bit_counts,
        shifts,
    })
}

const fn fourcc_dds() -> u32 {
    fourcc(b"DDS ")
}

/// The spec of MIP level `level` (OIIO's `seek_subimage`), or why it
/// cannot be seeked to (`Ok(None)`: silently absent).
fn level_spec(h: &Header, level: usize, file_size: u64) -> Result<Option<ImageSpec>, IoError> {
    if (h.caps1 & CAPS1_COMPLEX == 0 && level != 0) || level as u64 >= u64::from(h.mipmaps) {
        return Ok(None);
    }
    // OIIO lists as many levels as the header says. Past the natural chain
    // (down to 1x1x1) we only list levels that start inside the file, so a
    // corrupt count of billions cannot make callers walk billions of levels.
    let natural = 32 - h.width.max(h.height).max(h.depth).max(1).leading_zeros() as usize;
    if level >= natural {
        let start = h.locate(0, level).map_or(0, |l| l.0);
        if start as u64 >= file_size {
            return Ok(None);
        }
    }
    let fmt = if h.comp.is_hdr() {
        TypeDesc::HALF
    } else {
        TypeDesc::UINT8
    };
    let nch = h.nchans as i32;
    let clamp = |v: usize| v.min(i32::MAX as usize) as i32;
    let mut spec;
    if h.is_cube() {
        // OIIO halves the size one time fewer than the level number.
        let (mut w, mut hh, mut d) = (h.width as usize, h.height as usize, h.depth as usize);
        for _ in 1..level {
            w = (w >> 1).max(1);
            hh = (hh >> 1).max(1);
            d = (d >> 1).max(1);
        }
        spec = ImageSpec::new(clamp(w), clamp(hh.saturating_mul(6)), nch, fmt);
        spec.depth = clamp(d);
        spec.tile_width = clamp(w);
        spec.full_width = clamp(w);
        spec.tile_height = clamp(hh);
        spec.full_height = clamp(hh);
        spec.tile_depth = clamp(d);
        spec.full_depth = clamp(d);
    } else {
        let (_, w, hh, d) = h.locate(0, level).unwrap_or((0, 0, 0, 0));
        spec = ImageSpec::new(clamp(w), clamp(hh), nch, fmt);
        spec.depth = clamp(d);
    }
    if let Some(name) = h.comp.name() {
        spec.attribute_str("compression", name);
    }
    let mut bpp = 0;
    if h.bpp != 0 && h.pf_flags & (PF_RGB | PF_LUMINANCE | PF_YUV | PF_ALPHAONLY) != 0 {
        if ![8, 16, 24, 32].contains(&h.bpp) {
            return Err(corrupt(format!(
                "Unsupported DDS bit depth: {} (maybe it's a corrupted file?)",
                h.bpp
            )));
        }
        bpp = h.bpp;
    } else if h.fourcc == CC_DX10 {
        bpp = dxgi_bits(h.dxgi);
    }
    if bpp != 0 {
        spec.attribute(
            ParamValue::from_values(
                "oiio:BitsPerSample",
                TypeDesc::UINT,
                1,
                vfx_core::Interp::Constant,
                &[Value::UInt(u64::from(bpp))],
            )
            .expect("one value"),
        );
    }
    let mut colorspace = "";
    if h.fourcc == CC_DX10
        && matches!(
            h.dxgi,
            DXGI_BC1_SRGB
                | DXGI_BC2_SRGB
                | DXGI_BC3_SRGB
                | DXGI_BC7_SRGB
                | DXGI_R8G8B8A8_SRGB
                | DXGI_B8G8R8A8_SRGB
                | DXGI_B8G8R8X8_SRGB
        )
    {
        colorspace = "srgb_rec709_scene";
    }
    if colorspace.is_empty() && h.comp.is_hdr() {
        colorspace = "lin_rec709_scene";
    }
    spec.set_colorspace(colorspace);
    spec.default_channel_names();
    if h.nchans == 2 && h.pf_flags & PF_LUMINANCE != 0 && h.pf_flags & PF_ALPHA != 0 {
        spec.channelnames[0] = "Y".into();
        spec.channelnames[1] = "A".into();
    }
    if h.is_volume() {
        spec.attribute_str("textureformat", "Volume Texture");
        spec.tile_width = spec.width;
        spec.tile_height = 1;
        spec.tile_depth = 1;
    } else if h.is_cube() {
        spec.attribute_str("textureformat", "CubeFace Environment");
        let sides: Vec<&str> = ["+x", "-x", "+y", "-y", "+z", "-z"]
            .iter()
            .enumerate()
            .filter(|(i, _)| h.caps2 & (CAPS2_POSX << i) != 0)
            .map(|(_, s)| *s)
            .collect();
        spec.attribute_str("dds:CubeMapSides", &sides.join(" "));
    } else {
        spec.attribute_str("textureformat", "Plain Texture");
    }
    if h.is_cube() {
        check_open(&spec, 16384, 16384 * 6, 1)?;
        if spec.full_width != spec.full_height {
            return Err(corrupt(format!(
                "Invalid cube map layout: width {} does not match height {}",
                spec.full_width, spec.full_height
            )));
        }
    } else if h.is_volume() {
        check_open(&spec, 4096, 4096, 4096)?;
    } else {
        check_open(&spec, 32768, 32768, 1)?;
    }
    let declared = spec.image_bytes(true);
    if file_size > 0 && declared >= 1 << 30 && declared > file_size.saturating_mul(10000) {
        return Err(corrupt(format!(
            "dds header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            declared >> 20
        )));
    }
    // The header's level count, even when only level 0 can be read.
    // (OIIO holds the count as a C int: a count past i32::MAX is negative.)
    if h.mipmaps as i32 > 1 {
        spec.attribute_int("oiio:miplevels", h.mipmaps as i32);
    }
    Ok(Some(spec))
}

/// `FORMAT.open`.
pub fn open(path: &Path, _config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let data = std::fs::read(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    let header = parse_header(&data)?;
    let spec0 = level_spec(&header, 0, data.len() as u64)?.ok_or_else(|| corrupt("dds: no image"))?;
    Ok(Box::new(DdsReader { header, data, spec0 }))
}

struct DdsReader {
    header: Header,
    data: Vec<u8>,
    spec0: ImageSpec,
}

// ---------------------------------------------------------------------------
// Block decoding. BC1-BC5 follow the integer rules of the bcdec version OIIO
// bundles (interpolation in 8-bit space); BC6H and BC7 come from bcdec_rs.

/// The 4-colour palette of a BC1 colour block (RGBA).
fn bc1_palette(b: &[u8], opaque_only: bool) -> [[u8; 4]; 4] {
    let c0 = u16::from_le_bytes([b[0], b[1]]);
    let c1 = u16::from_le_bytes([b[2], b[3]]);
    let expand = |c: u16| {
        let c = u32::from(c);
        [
            (((c >> 11) & 0x1F) * 527 + 23) >> 6,
            (((c >> 5) & 0x3F) * 259 + 33) >> 6,
            ((c & 0x1F) * 527 + 23) >> 6,
        ]
    };
    let (p, q) = (expand(c0), expand(c1));
    let mut pal = [[0u8; 4]; 4];
    for k in 0..3 {
        pal[0][k] = p[k] as u8;
        pal[1][k] = q[k] as u8;
    }
    pal[0][3] = 255;
    pal[1][3] = 255;
    if c0 > c1 || opaque_only {
        for k in 0..3 {
            pal[2][k] = ((2 * p[k] + q[k] + 1) / 3) as u8;
            pal[3][k] = ((p[k] + 2 * q[k] + 1) / 3) as u8;
        }
        pal[2][3] = 255;
        pal[3][3] = 255;
    } else {
        for k in 0..3 {
            pal[2][k] = ((p[k] + q[k] + 1) >> 1) as u8;
        }
        pal[2][3] = 255;
    }
    pal
}

/// Decode a BC1 colour block into 16 RGBA pixels.
fn color_block(b: &[u8], out: &mut [u8; 64], opaque_only: bool) {
    let pal = bc1_palette(b, opaque_only);
    let mut idx = le32(b, 4);
    for px in out.chunks_exact_mut(4) {
        px.copy_from_slice(&pal[(idx & 3) as usize]);
        idx >>= 2;
    }
}

/// Decode a BC4-style 8-byte block into every `step`-th byte of 16 pixels
/// starting at `out[off]`.
fn smooth_block(b: &[u8], out: &mut [u8], step: usize, off: usize) {
    let a0 = u32::from(b[0]);
    let a1 = u32::from(b[1]);
    let mut pal = [0u8; 8];
    pal[0] = a0 as u8;
    pal[1] = a1 as u8;
    if a0 > a1 {
        for i in 1..7u32 {
            pal[1 + i as usize] = (((7 - i) * a0 + i * a1 + 1) / 7) as u8;
        }
    } else {
        for i in 1..5u32 {
            pal[1 + i as usize] = (((5 - i) * a0 + i * a1 + 1) / 5) as u8;
        }
        pal[6] = 0;
        pal[7] = 255;
    }
    let mut idx = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]) >> 16;
    for i in 0..16 {
        out[i * step + off] = pal[(idx & 7) as usize];
        idx >>= 3;
    }
}

/// Explicit 4-bit alpha of a BC2 block into the alpha bytes of 16 RGBA pixels.
fn sharp_alpha(b: &[u8], out: &mut [u8; 64]) {
    for i in 0..16 {
        let nib = (b[i / 2] >> (4 * (i % 2))) & 0xF;
        out[i * 4 + 3] = nib * 17;
    }
}

/// A derived normal Z from two 8-bit components, as OIIO computes it.
fn normal_z(x: u8, y: u8) -> u8 {
    let nx = 2.0 * (f32::from(x) / 255.0) - 1.0;
    let ny = 2.0 * (f32::from(y) / 255.0) - 1.0;
    let nz2 = 1.0 - nx * nx - ny * ny;
    let nz = if nz2 > 0.0 { nz2.sqrt() } else { 0.0 };
    let z = (255.0 * (nz + 1.0) / 2.0) as i32;
    z.clamp(0, 255) as u8
}

/// Decode one block into `px` (16 pixels of `nch` channels, row-major 4x4;
/// bytes for LDR, native half for BC6H). `tmp` is RGBA scratch.
fn decode_block(h: &Header, src: &[u8], px: &mut [u8], nch: usize) {
    let mut rgba = [0u8; 64];
    match h.comp {
        Comp::Bc6hu | Comp::Bc6hs => {
            let mut halves = [0u16; 48];
            bcdec_rs::bc6h_half(src, &mut halves, 12, h.comp == Comp::Bc6hs);
            for (d, v) in px.chunks_exact_mut(2).zip(halves.iter()) {
                d.copy_from_slice(&v.to_ne_bytes());
            }
            return;
        }
        Comp::Dxt1 => color_block(src, &mut rgba, false),
        Comp::Dxt2 | Comp::Dxt3 => {
            color_block(&src[8..], &mut rgba, true);
            sharp_alpha(src, &mut rgba);
        }
        Comp::Dxt4 | Comp::Dxt5 => {
            color_block(&src[8..], &mut rgba, true);
            smooth_block(src, &mut rgba, 4, 3);
        }
        Comp::Bc4 => {
            smooth_block(src, px, 1, 0);
            return;
        }
        Comp::Bc5 => {
            smooth_block(src, &mut rgba, 2, 0);
            smooth_block(&src[8..], &mut rgba, 2, 1);
        }
        Comp::Bc7 => bcdec_rs::bc7(src, &mut rgba, 16),
        Comp::None => return,
    }
    let normal = h.pf_flags & PF_NORMAL != 0;
    if h.comp == Comp::Dxt5 && h.fourcc == CC_RXGB {
        for p in rgba.chunks_exact_mut(4) {
            p.swap(0, 3);
        }
    } else if normal && h.comp == Comp::Bc5 {
        for i in 0..16 {
            let (x, y) = (rgba[i * 2], rgba[i * 2 + 1]);
            px[i * 3..i * 3 + 3].copy_from_slice(&[x, y, normal_z(x, y)]);
        }
        return;
    } else if normal && h.comp == Comp::Dxt5 {
        for i in 0..16 {
            let (x, y) = (rgba[i * 4 + 3], rgba[i * 4 + 1]);
            px[i * 3..i * 3 + 3].copy_from_slice(&[x, y, normal_z(x, y)]);
        }
        return;
    }
    let n = 16 * nch;
    px[..n].copy_from_slice(&rgba[..n]);
}

/// Decode a block-compressed `w` x `h` image from `src` into `dst`
/// (`nch` channels of `csize` bytes), block rows in parallel.
fn decode_blocks(h: &Header, src: &[u8], dst: &mut [u8], w: usize, hgt: usize, nch: usize, csize: usize) {
    let bw = w.div_ceil(4);
    let bb = h.comp.block_bytes();
    let pix = nch * csize;
    let row = w * pix;
    if row == 0 {
        return;
    }
    dst[..row * hgt]
        .par_chunks_mut(row * 4)
        .zip(src.par_chunks(bw * bb))
        .for_each(|(rows, blocks)| {
            let nrows = rows.len() / row;
            let mut px = [0u8; 16 * 4 * 2];
            for (bx, block) in blocks.chunks_exact(bb).enumerate() {
                decode_block(h, block, &mut px, nch);
                let x = bx * 4;
                let cols = 4.min(w - x);
                for py in 0..nrows {
                    let s = &px[py * 4 * pix..py * 4 * pix + cols * pix];
                    rows[py * row + x * pix..py * row + (x + cols) * pix].copy_from_slice(s);
                }
            }
        });
    if matches!(h.comp, Comp::Dxt2 | Comp::Dxt4) {
        dst[..row * hgt].par_chunks_mut(4).for_each(|p| {
            let a = u32::from(p[3]);
            for c in &mut p[..3] {
                // Transparent pixels stay as they are; the quotient wraps
                // into a byte as OIIO's cast does.
                if let Some(v) = (u32::from(*c) * 255).checked_div(a) {
                    *c = v as u8;
                }
            }
        });
    }
}

/// OIIO's bit replication from `from` bits to 8.
fn bits_to_8(v: u32, from: u32) -> u8 {
    if from == 0 {
        return 0;
    }
    let mut out = 0u32;
    let mut shift = 8i32 - from as i32;
    while shift > 0 {
        out |= v << shift;
        shift -= from as i32;
    }
    out |= v >> (-shift) as u32;
    out as u8
}

impl DdsReader {
    /// Decode a `w` x `h` x `d` image starting at byte `ofs` into `dst`.
    fn decode(&self, ofs: usize, w: usize, h: usize, d: usize, dst: &mut [u8]) -> Result<(), IoError> {
        let hd = &self.header;
        let nch = hd.nchans;
        if hd.comp != Comp::None {
            let need = hd.comp.storage(w, h);
            let src = self.data.get(ofs..ofs.saturating_add(need)).ok_or_else(eof)?;
            let csize = if hd.comp.is_hdr() { 2 } else { 1 };
            decode_blocks(hd, src, dst, w, h, nch, csize);
            return Ok(());
        }
        let bpp = hd.bpp_bytes;
        let direct = nch == bpp
            && (0..nch)
                .all(|c| hd.masks[c] == 0xFFu32 << (c * 8) && hd.shifts[c] == c as u32 * 8 && hd.bit_counts[c] == 8);
        if direct {
            let n = w * h * bpp;
            let src = self.data.get(ofs..ofs.saturating_add(n)).ok_or_else(eof)?;
            dst[..n].copy_from_slice(src);
            return Ok(());
        }
        let n = w.saturating_mul(h).saturating_mul(d).saturating_mul(bpp);
        let src = self.data.get(ofs..ofs.saturating_add(n)).ok_or_else(eof)?;
        let take = bpp.min(4);
        if w == 0 {
            return Ok(());
        }
        dst[..w * h * d * nch]
            .par_chunks_mut(w * nch)
            .zip(src.par_chunks(w * bpp))
            .for_each(|(out, inp)| {
                for (o, i) in out.chunks_exact_mut(nch).zip(inp.chunks_exact(bpp)) {
                    let mut b = [0u8; 4];
                    b[..take].copy_from_slice(&i[..take]);
                    let pixel = u32::from_le_bytes(b);
                    for (c, v) in o.iter_mut().enumerate() {
                        *v = bits_to_8((pixel & hd.masks[c]) >> hd.shifts[c], hd.bit_counts[c]);
                    }
                }
            });
        Ok(())
    }
}

impl Reader for DdsReader {
    fn format_name(&self) -> &'static str {
        "dds"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        if subimage != 0 {
            return None;
        }
        if miplevel == 0 {
            return Some(self.spec0.clone());
        }
        level_spec(&self.header, miplevel, self.data.len() as u64)
            .ok()
            .flatten()
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        let spec = self
            .spec(subimage, miplevel)
            .ok_or_else(|| IoError::Open(String::new()))?;
        let bytes = spec.image_bytes(true);
        let len = usize::try_from(bytes).map_err(|_| corrupt("dds: image too large"))?;
        let mut out = PixelData::zeroed(len).map_err(|e| corrupt(e.to_string()))?;
        let hd = &self.header;
        if hd.is_cube() {
            let (tw, th, td) = (
                spec.tile_width as usize,
                spec.tile_height as usize,
                spec.tile_depth.max(1) as usize,
            );
            let face_bytes = tw * th * td * spec.nchannels as usize * spec.format.size();
            let mut face_buf = vec![0u8; face_bytes];
            for face in 0..6 {
                let Some((ofs, _, _, _)) = hd.locate(face, miplevel) else {
                    continue;
                };
                face_buf.fill(0);
                self.decode(ofs, tw, th, td, &mut face_buf)?;
                // Faces are stacked vertically: a face's rows are contiguous.
                let row_bytes = tw * spec.nchannels as usize * spec.format.size();
                let plane = row_bytes * th;
                for z in 0..td {
                    let at = z * plane * 6 + face * plane;
                    out.bytes_mut()[at..at + plane].copy_from_slice(&face_buf[z * plane..(z + 1) * plane]);
                }
            }
            return Ok(out);
        }
        let (ofs, w, h, d) = hd.locate(0, miplevel).ok_or_else(eof)?;
        self.decode(ofs, w, h, d, out.bytes_mut())?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn scratch() -> PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        std::env::temp_dir().join(format!("vfx_io_dds_{}_{n}.dds", std::process::id()))
    }

    fn read_levels(bytes: &[u8]) -> Result<Vec<(ImageSpec, Vec<u8>)>, IoError> {
        let p = scratch();
        std::fs::write(&p, bytes).unwrap();
        let r = open(&p, None).and_then(|mut r| {
            let mut v = Vec::new();
            let mut m = 0;
            while let Some(spec) = r.spec(0, m) {
                let px = r.read_image(0, m)?;
                v.push((spec, px.bytes().to_vec()));
                m += 1;
            }
            Ok(v)
        });
        let _ = std::fs::remove_file(&p);
        r
    }

    /// A header: `pf` = (flags, fourcc, bpp, masks).
    fn header(w: u32, h: u32, mips: u32, caps1: u32, caps2: u32, pf: (u32, &[u8; 4], u32, [u32; 4])) -> Vec<u8> {
        let mut b = vec![0u8; 128];
        let put = |b: &mut Vec<u8>, o: usize, v: u32| b[o..o + 4].copy_from_slice(&v.to_le_bytes());
        b[0..4].copy_from_slice(b"DDS ");
        put(&mut b, 4, 124);
        let mut flags = F_CAPS | F_PIXELFORMAT | F_WIDTH | F_HEIGHT;
        if mips > 0 {
            flags |= F_MIPMAPCOUNT;
        }
        put(&mut b, 8, flags);
        put(&mut b, 12, h);
        put(&mut b, 16, w);
        put(&mut b, 28, mips);
        put(&mut b, 76, 32);
        put(&mut b, 80, pf.0);
        b[84..88].copy_from_slice(pf.1);
        put(&mut b, 88, pf.2);
        for (i, m) in pf.3.iter().enumerate() {
            put(&mut b, 92 + 4 * i, *m);
        }
        put(&mut b, 108, caps1 | CAPS1_TEXTURE);
        put(&mut b, 112, caps2);
        b
    }

    const RGBA8: (u32, &[u8; 4], u32, [u32; 4]) =
        (PF_RGB | PF_ALPHA, &[0; 4], 32, [0xFF, 0xFF00, 0xFF_0000, 0xFF00_0000]);

    #[test]
    fn registry_entry() {
        assert_eq!(FORMAT.name, "dds");
        assert!(sniff(b"DDS \x7c"));
        assert!(!sniff(b"DDX "));
        assert_eq!(supports("mipmap"), 1);
    }

    #[test]
    fn uncompressed_with_mips() {
        let mut b = header(4, 2, 3, CAPS1_COMPLEX, 0, RGBA8);
        let px: Vec<u8> = (0..(8 + 2 + 1) * 4).map(|i| i as u8).collect();
        b.extend_from_slice(&px);
        let levels = read_levels(&b).unwrap();
        assert_eq!(levels.len(), 3);
        assert_eq!((levels[1].0.width, levels[1].0.height), (2, 1));
        assert_eq!(levels[0].1, px[..32]);
        assert_eq!(levels[2].1, px[40..44]);
        assert_eq!(levels[0].0.get_int_attribute("oiio:miplevels", 0), 3);
        assert_eq!(levels[0].0.get_string_attribute("textureformat", ""), "Plain Texture");
    }

    #[test]
    fn bit_masks_expand_by_replication() {
        // R5G6B5.
        let mut b = header(1, 1, 0, 0, 0, (PF_RGB, &[0; 4], 16, [0xF800, 0x07E0, 0x001F, 0]));
        b.extend_from_slice(&0b1000_0100_0000_0001_u16.to_le_bytes());
        let l = read_levels(&b).unwrap();
        assert_eq!(l[0].1, [0x84, 0x82, 0x08]);
        assert_eq!(bits_to_8(1, 1), 255);
        assert_eq!(bits_to_8(0x3FF, 10), 255);
    }

    #[test]
    fn dxt1_block_and_premultiplied_dxt2() {
        // c0 = white, c1 = black, indices: 0,1,2,3 repeating.
        let block = [0xFF, 0xFF, 0, 0, 0xE4, 0xE4, 0xE4, 0xE4];
        let mut b = header(4, 4, 0, 0, 0, (PF_FOURCC, b"DXT1", 0, [0; 4]));
        b.extend_from_slice(&block);
        let l = read_levels(&b).unwrap();
        assert_eq!(l[0].0.get_string_attribute("compression", ""), "DXT1");
        assert_eq!(
            &l[0].1[..16],
            &[255, 255, 255, 255, 0, 0, 0, 255, 170, 170, 170, 255, 85, 85, 85, 255]
        );
        // DXT2: alpha 8 (nibble) -> 136, colour un-premultiplied.
        let mut b = header(4, 4, 0, 0, 0, (PF_FOURCC, b"DXT2", 0, [0; 4]));
        b.extend_from_slice(&[0x88; 8]);
        b.extend_from_slice(&[0x00, 0x40, 0x00, 0x40, 0, 0, 0, 0]);
        let l = read_levels(&b).unwrap();
        assert_eq!(l[0].1[3], 136);
        assert_eq!(l[0].1[0], (66u32 * 255 / 136) as u8);
    }

    #[test]
    fn cube_map_faces_stack() {
        let mut b = header(
            1,
            1,
            0,
            CAPS1_COMPLEX,
            CAPS2_CUBEMAP | CAPS2_POSX | (CAPS2_POSX << 2),
            RGBA8,
        );
        // OIIO places face k after k full faces, present or not.
        b.extend_from_slice(&[1, 2, 3, 4, 9, 9, 9, 9, 5, 6, 7, 8]);
        let l = read_levels(&b).unwrap();
        let (spec, px) = &l[0];
        assert_eq!(
            (spec.width, spec.height, spec.tile_width, spec.tile_height),
            (1, 6, 1, 1)
        );
        assert_eq!(spec.get_string_attribute("dds:CubeMapSides", ""), "+x +y");
        assert_eq!(px[..4], [1, 2, 3, 4]);
        assert_eq!(px[4..8], [0; 4]);
        assert_eq!(px[8..12], [5, 6, 7, 8]);
    }

    #[test]
    fn corrupt_input_fails_cleanly() {
        let mut good = header(8, 8, 0, 0, 0, (PF_FOURCC, b"DXT5", 0, [0; 4]));
        good.extend_from_slice(&[0x55; 64]);
        assert!(read_levels(&good).is_ok());
        for cut in [0, 4, 100, 127, 128, 150, good.len() - 1] {
            assert!(read_levels(&good[..cut]).is_err(), "cut {cut}");
        }
        let mut b = good.clone();
        b[4] = 0;
        assert_eq!(
            read_levels(&b).unwrap_err().to_string(),
            "Invalid DDS header, possibly corrupt file"
        );
        let mut b = good.clone();
        b[84..88].copy_from_slice(b"ABCD");
        assert!(read_levels(&b)
            .unwrap_err()
            .to_string()
            .starts_with("Unsupported compression type"));
        let mut b = good.clone();
        b[16..20].copy_from_slice(&0u32.to_le_bytes());
        assert_eq!(read_levels(&b).unwrap_err().to_string(), "Image with no data");
        // Huge dimensions from a tiny file.
        let mut b = good.clone();
        b[16..20].copy_from_slice(&30000u32.to_le_bytes());
        b[12..16].copy_from_slice(&30000u32.to_le_bytes());
        assert!(read_levels(&b).is_err());
        // Absurd bits per pixel.
        let mut b = header(4, 4, 0, 0, 0, (PF_RGB, &[0; 4], 4000, [0xFF, 0, 0, 0]));
        b.extend_from_slice(&[0; 64]);
        assert!(read_levels(&b).unwrap_err().to_string().contains("bytes-per-pixel"));
        // A huge mip count is fine to open.
        let mut b = header(4, 4, u32::MAX, CAPS1_COMPLEX, 0, RGBA8);
        b.extend_from_slice(&[0; 64]);
        let p = scratch();
        std::fs::write(&p, &b).unwrap();
        let mut r = open(&p, None).unwrap();
        assert_eq!(r.spec(0, 0).unwrap().get_int_attribute("oiio:miplevels", 0), 0);
        assert!(r.read_image(0, 0).is_ok());
        assert!(r.read_image(0, 5).is_err());
        let _ = std::fs::remove_file(&p);
    }
}

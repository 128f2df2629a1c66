//! PNG, read and written as OpenImageIO 3.2.2 (libpng) does.
//!
//! Reading: every PNG colour type and bit depth is expanded like libpng's
//! `png_set_expand` (1/2/4-bit grey scaled to 8 bits, palettes to RGB,
//! `tRNS` to an alpha channel); 16-bit files stay 16-bit. Metadata comes
//! from the chunks before the first IDAT, mapped to OIIO's names (sRGB /
//! gAMA → `oiio:ColorSpace`, iCCP → `ICCProfile`, tIME → `DateTime`, text
//! chunks, pHYs, oFFs, cICP, eXIf, Exif in "Raw profile type exif" text).
//! Alpha is premultiplied on read (OIIO's rounding, per value) unless the
//! open configuration sets `oiio:UnassociatedAlpha`.
//!
//! Pixels are decoded by the `png` crate, fed only the critical chunks
//! (the metadata chunks are parsed here, with libpng's tolerance: a bad
//! ancillary chunk is dropped, a bad critical one is an error).
//!
//! Writing: uint8 or uint16 (other types become uint8, as OIIO does), 1-4
//! channels, alpha un-premultiplied in float unless `oiio:UnassociatedAlpha`,
//! the chunks OIIO/libpng write in their order, `png:compressionLevel`
//! (default 6), `png:filter` (default: libpng's adaptive choice) and
//! `compression` hints. Rows
//! are filtered and deflated in parallel (independent deflate runs joined
//! with sync flushes), so the file differs byte-wise from libpng's but
//! decodes to the same pixels.

use super::meta_exif::{self as meta, bytes_param, lossy_string};
use crate::{Format, IoError, Reader};
use rayon::prelude::*;
use std::path::Path;
use vfx_core::convert::{convert_bytes, Pixel};
use vfx_core::{globals, BaseType, ImageSpec, PixelData, TypeDesc, Value};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "png",
    extensions: &["png"],
    sniff,
    open: Some(open),
    write: Some(write_request),
    supports,
};

const SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];

/// OIIO's PNG reader and writer features (union of both).
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(feature, "ioproxy" | "exif" | "cicp" | "alpha"))
}

/// True for files starting with the PNG signature.
pub fn sniff(head: &[u8]) -> bool {
    head.len() >= 8 && head[..8] == SIGNATURE
}

// ---------------------------------------------------------------------------
// Chunk parsing

/// libpng's default limits on width and height.
const USER_MAX_DIM: u32 = 1_000_000;
/// libpng's default cap on a decompressed ancillary chunk.
const CHUNK_MALLOC_MAX: usize = 8_000_000;

#[derive(Clone, Copy, Debug)]
struct Chunk {
    ty: [u8; 4],
    /// Offset of the chunk's data in the file.
    start: usize,
    len: usize,
    crc_ok: bool,
    /// The file ended inside this chunk (`len` is what is there).
    partial: bool,
}

impl Chunk {
    fn name(&self) -> String {
        lossy_string(&self.ty)
    }
    fn data<'a>(&self, file: &'a [u8]) -> &'a [u8] {
        &file[self.start..self.start + self.len]
    }
    fn is(&self, t: &[u8; 4]) -> bool {
        &self.ty == t
    }
}

fn be32(b: &[u8]) -> u32 {
    u32::from_be_bytes([b[0], b[1], b[2], b[3]])
}

fn eof_error(chunk: &str) -> IoError {
    let m = "Read error: hit end of file in png reader";
    IoError::Corrupt(format!("{m}\nPNG read error: {chunk}: {m}"))
}

fn png_error(msg: &str) -> IoError {
    IoError::Corrupt(format!("PNG read error: {msg}"))
}

/// Walk the chunk list from just after the signature. Stops after IEND or
/// at the end of the file; `truncated` tells whether the file ended inside
/// a chunk (the chunk name in the message is the last one started).
fn list_chunks(file: &[u8]) -> (Vec<Chunk>, Option<String>) {
    let mut chunks = Vec::new();
    let mut pos = 8;
    let mut last = "IHDR".to_string();
    loop {
        if pos + 8 > file.len() {
            return (chunks, Some(last));
        }
        let len = be32(&file[pos..]) as usize;
        let ty = [file[pos + 4], file[pos + 5], file[pos + 6], file[pos + 7]];
        last = lossy_string(&ty);
        if len > 0x7fff_ffff {
            return (chunks, Some(last));
        }
        if pos + 12 + len > file.len() {
            // Keep what there is of a truncated IDAT: the pixel decoder
            // reports the end of file when it gets there, as libpng does.
            if &ty == b"IDAT" {
                chunks.push(Chunk {
                    ty,
                    start: pos + 8,
                    len: (file.len() - pos - 8).min(len),
                    crc_ok: false,
                    partial: true,
                });
            }
            return (chunks, Some(last));
        }
        let crc = be32(&file[pos + 8 + len..]);
        let crc_ok = crc32fast::hash(&file[pos + 4..pos + 8 + len]) == crc;
        chunks.push(Chunk {
            ty,
            start: pos + 8,
            len,
            crc_ok,
            partial: false,
        });
        pos += 12 + len;
        if &ty == b"IEND" {
            return (chunks, None);
        }
    }
}

/// Inflate a zlib stream, refusing output beyond `limit` bytes.
fn inflate_limited(data: &[u8], limit: usize) -> Option<Vec<u8>> {
    let mut d = flate2::Decompress::new(true);
    let mut out = Vec::with_capacity(data.len().saturating_mul(4).min(limit).max(64));
    loop {
        if out.len() == out.capacity() {
            if out.len() >= limit {
                return None;
            }
            out.reserve((out.len()).min(limit - out.len()).max(64));
        }
        let before = (d.total_in(), d.total_out());
        let st = d
            .decompress_vec(&data[d.total_in() as usize..], &mut out, flate2::FlushDecompress::None)
            .ok()?;
        match st {
            flate2::Status::StreamEnd => return Some(out),
            _ if (d.total_in(), d.total_out()) == before && out.len() < out.capacity() => return None,
            _ => {}
        }
    }
}

/// The IHDR fields.
#[derive(Clone, Copy, Debug)]
struct Header {
    width: u32,
    height: u32,
    bit_depth: u8,
    color_type: u8,
    interlace: u8,
}

fn parse_ihdr(d: &[u8]) -> Result<Header, IoError> {
    if d.len() != 13 {
        return Err(png_error("IHDR: invalid"));
    }
    let h = Header {
        width: be32(d),
        height: be32(&d[4..]),
        bit_depth: d[8],
        color_type: d[9],
        interlace: d[12],
    };
    let depth_ok = match h.color_type {
        0 => matches!(h.bit_depth, 1 | 2 | 4 | 8 | 16),
        3 => matches!(h.bit_depth, 1 | 2 | 4 | 8),
        2 | 4 | 6 => matches!(h.bit_depth, 8 | 16),
        _ => false,
    };
    let dims_ok = (1..=USER_MAX_DIM).contains(&h.width) && (1..=USER_MAX_DIM).contains(&h.height);
    if !depth_ok || !dims_ok || h.interlace > 1 || d[10] != 0 || d[11] != 0 {
        return Err(png_error("Invalid IHDR data"));
    }
    Ok(h)
}

/// Everything the reader learned from the chunks before IDAT.
struct Parsed {
    header: Header,
    spec: ImageSpec,
    /// Critical chunks (and a usable tRNS) to hand to the pixel decoder.
    keep: Vec<Chunk>,
    /// Where the file ended early (the last chunk name started), if it did.
    truncated: Option<String>,
}

/// Text chunk contents: (keyword, text).
fn parse_text(c: &Chunk, file: &[u8]) -> Option<(String, String)> {
    let d = c.data(file);
    let z = d.iter().position(|&b| b == 0).unwrap_or(d.len());
    let key = &d[..z];
    if key.is_empty() || key.len() > 79 {
        return None;
    }
    let rest = d.get(z + 1..).unwrap_or(&[]);
    let text: Vec<u8> = if c.is(b"tEXt") {
        rest.to_vec()
    } else if c.is(b"zTXt") {
        let (&method, body) = rest.split_first()?;
        if method != 0 {
            return None;
        }
        inflate_limited(body, CHUNK_MALLOC_MAX)?
    } else {
        // iTXt: flag, method, language\0, translated keyword\0, text.
        if rest.len() < 2 {
            return None;
        }
        let (flag, method) = (rest[0], rest[1]);
        let r = &rest[2..];
        let l = r.iter().position(|&b| b == 0)?;
        let r = &r[l + 1..];
        let t = r.iter().position(|&b| b == 0)?;
        let body = &r[t + 1..];
        match (flag, method) {
            (0, _) => body.to_vec(),
            (1, 0) => inflate_limited(body, CHUNK_MALLOC_MAX)?,
            _ => return None,
        }
    };
    // OIIO takes the text as a C string.
    let end = text.iter().position(|&b| b == 0).unwrap_or(text.len());
    Some((lossy_string(key), lossy_string(&text[..end])))
}

/// Hex-encoded Exif inside a "Raw profile type exif" text chunk.
fn decode_text_exif(raw: &str, spec: &mut ImageSpec) -> bool {
    let s = raw.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
    let Some(s) = s.strip_prefix("exif") else { return false };
    let b = s.as_bytes();
    let mut i = b.iter().take_while(|c| c.is_ascii_whitespace()).count();
    if matches!(b.get(i), Some(b'+' | b'-')) {
        i += 1;
    }
    let d0 = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let len: i64 = std::str::from_utf8(&b[d0..i])
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(0);
    if i == d0 || len == 0 {
        return false;
    }
    let mut raw = &b[i..];
    while raw.first().is_some_and(u8::is_ascii_whitespace) {
        raw = &raw[1..];
    }
    let hex = |a: u8| -> u8 {
        if a <= b'9' {
            a.wrapping_sub(b'0')
        } else {
            a.to_ascii_lowercase().wrapping_sub(b'a').wrapping_add(10)
        }
    };
    let mut decoded = Vec::with_capacity(raw.len() / 2 + 1);
    while raw.len() >= 2 {
        if !raw[0].is_ascii_hexdigit() {
            raw = &raw[1..];
            continue;
        }
        decoded.push((hex(raw[0]) << 4) | (hex(raw[1]) & 0xf));
        raw = &raw[2..];
    }
    if decoded.len() >= 4 && decoded[..4].eq_ignore_ascii_case(b"Exif") {
        return meta::decode_exif(&decoded, spec);
    }
    false
}

/// Validate an ICC profile as libpng does before accepting an iCCP chunk.
fn icc_acceptable(icc: &[u8], color_type: u8) -> bool {
    if icc.len() < 132 || be32(icc) as usize != icc.len() || &icc[36..40] != b"acsp" {
        return false;
    }
    let cs = &icc[16..20];
    let color = color_type & 2 != 0;
    if (color && cs == b"GRAY") || (!color && cs == b"RGB ") {
        return false;
    }
    if matches!(&icc[12..16], b"abst" | b"nmcl" | b"link") || !matches!(&icc[20..24], b"XYZ " | b"Lab ") {
        return false;
    }
    let ntags = be32(&icc[128..]) as u64;
    if 132 + ntags * 12 > icc.len() as u64 {
        return false;
    }
    (0..ntags as usize).all(|i| {
        let at = 132 + 12 * i;
        let (off, len) = (be32(&icc[at + 4..]) as u64, be32(&icc[at + 8..]) as u64);
        off + len <= icc.len() as u64
    })
}

fn parse_file(file: &[u8], keep_unassociated: bool) -> Result<Parsed, IoError> {
    if !sniff(file) {
        return Err(IoError::Open("Not a PNG file".into()));
    }
    let (chunks, truncated) = list_chunks(file);
    let first_idat = chunks.iter().position(|c| c.is(b"IDAT"));
    if first_idat.is_none() {
        if let Some(name) = truncated {
            return Err(eof_error(&name));
        }
    }
    let pre = &chunks[..first_idat.unwrap_or(chunks.len())];
    let Some(ihdr) = pre.first().filter(|c| c.is(b"IHDR")) else {
        let name = pre.first().map_or("IHDR".into(), |c| c.name());
        return Err(png_error(&format!("{name}: Missing IHDR before {name}")));
    };
    if !ihdr.crc_ok {
        return Err(png_error("IHDR: CRC error"));
    }
    let header = parse_ihdr(ihdr.data(file))?;
    if first_idat.is_none() {
        return Err(png_error("Not enough image data"));
    }
    let ct = header.color_type;
    let mut keep = vec![*ihdr];
    let mut plte_entries = 0usize;
    let mut trns_valid = false;
    for c in &pre[1..] {
        let critical = c.ty[0] & 0x20 == 0;
        if critical && !c.crc_ok {
            return Err(png_error(&format!("{}: CRC error", c.name())));
        }
        if c.is(b"PLTE") {
            if c.len % 3 != 0 || c.len == 0 || c.len > 768 {
                if ct == 3 {
                    return Err(png_error("PLTE: invalid"));
                }
                continue;
            }
            plte_entries = c.len / 3;
            keep.push(*c);
        } else if c.is(b"tRNS") && c.crc_ok && !trns_valid {
            let ok = match ct {
                0 => c.len == 2,
                2 => c.len == 6,
                3 => plte_entries > 0 && c.len > 0 && c.len <= plte_entries,
                _ => false,
            };
            if ok {
                trns_valid = true;
                keep.push(*c);
            }
        } else if critical && !c.is(b"IHDR") {
            return Err(png_error(&format!("{}: unknown critical chunk", c.name())));
        }
    }
    if ct == 3 && plte_entries == 0 {
        return Err(png_error("Missing PLTE before IDAT"));
    }
    // The IDAT run (and only it) goes to the pixel decoder.
    let idat0 = first_idat.unwrap_or(0);
    for c in chunks[idat0..].iter().take_while(|c| c.is(b"IDAT")) {
        if !c.crc_ok && !c.partial {
            return Err(png_error("IDAT: CRC error"));
        }
        keep.push(*c);
    }

    // Channels after libpng's expansion.
    let nchannels = match ct {
        0 => 1 + i32::from(trns_valid),
        4 => 2,
        2 | 3 => 3 + i32::from(trns_valid),
        _ => 4,
    };
    let format = if header.bit_depth == 16 {
        TypeDesc::UINT16
    } else {
        TypeDesc::UINT8
    };
    let mut spec = ImageSpec::new(header.width as i32, header.height as i32, nchannels, format);
    if nchannels == 2 {
        spec.channelnames = vec!["Y".into(), "A".into()];
        spec.alpha_channel = 1;
    }
    let anc = |t: &[u8; 4]| pre.iter().find(|c| c.is(t) && c.crc_ok);

    // Colour space: sRGB chunk, else gAMA, else assume sRGB.
    let srgb = anc(b"sRGB").is_some_and(|c| c.len == 1 && c.data(file)[0] <= 3);
    // libpng 1.6.58 takes any positive gAMA; a zero one reads as 1.0.
    let gama = anc(b"gAMA")
        .filter(|c| c.len == 4)
        .map(|c| be32(c.data(file)))
        .filter(|&g| g <= 0x7fff_ffff);
    if srgb {
        spec.attribute_str("oiio:ColorSpace", "srgb_rec709_scene");
    } else if let Some(g) = gama {
        let gamma = if g == 0 { 1.0 } else { g as f64 / 100_000.0 };
        meta::set_colorspace_rec709_gamma(&mut spec, (1.0 / gamma) as f32);
    } else {
        spec.attribute_str("oiio:ColorSpace", "srgb_rec709_scene");
    }

    if let Some(c) = anc(b"iCCP") {
        let d = c.data(file);
        let z = d.iter().position(|&b| b == 0).unwrap_or(d.len());
        let profile = (1..=79)
            .contains(&z)
            .then(|| d.get(z + 1..))
            .flatten()
            .filter(|r| r.first() == Some(&0))
            .and_then(|r| inflate_limited(&r[1..], CHUNK_MALLOC_MAX))
            .filter(|icc| icc_acceptable(icc, ct));
        if let Some(icc) = profile {
            spec.attribute(bytes_param("ICCProfile", &icc));
            let r = meta::decode_icc_profile(&icc, &mut spec);
            if let Err(e) = r {
                if globals::get_int_attribute("imageinput:strict", 0) != 0 {
                    return Err(IoError::Corrupt(format!("Could not decode ICC profile: {e}\n")));
                }
            }
        }
    }

    if let Some(c) = anc(b"tIME").filter(|c| c.len == 7) {
        let d = c.data(file);
        let year = u16::from_be_bytes([d[0], d[1]]);
        let (mo, day, h, mi, s) = (d[2], d[3], d[4], d[5], d[6]);
        if (1..=12).contains(&mo) && (1..=31).contains(&day) && h <= 23 && mi <= 59 && s <= 60 {
            spec.attribute_str("DateTime", &format!("{year:4}:{mo:02}:{day:02} {h:02}:{mi:02}:{s:02}"));
        }
    }

    for c in pre
        .iter()
        .filter(|c| c.crc_ok && (c.is(b"tEXt") || c.is(b"zTXt") || c.is(b"iTXt")))
    {
        let Some((key, text)) = parse_text(c, file) else {
            continue;
        };
        if key.eq_ignore_ascii_case("Description") {
            spec.attribute_str("ImageDescription", &text);
        } else if key.eq_ignore_ascii_case("Author") {
            spec.attribute_str("Artist", &text);
        } else if key.eq_ignore_ascii_case("Title") {
            spec.attribute_str("DocumentName", &text);
        } else if key.eq_ignore_ascii_case("XML:com.adobe.xmp") {
            super::meta_xmp::decode_xmp(text.as_bytes(), &mut spec);
        } else if key.eq_ignore_ascii_case("Raw profile type exif") {
            if !decode_text_exif(&text, &mut spec) && globals::get_int_attribute("imageinput:strict", 0) != 0 {
                return Err(IoError::Corrupt("Could not decode Exif".into()));
            }
        } else {
            spec.attribute_str(&key, &text);
        }
    }

    if let Some(c) = anc(b"oFFs").filter(|c| c.len == 9) {
        let d = c.data(file);
        if d[8] == 0 {
            spec.x = be32(d) as i32;
            spec.y = be32(&d[4..]) as i32;
        }
    }

    let phys = anc(b"pHYs").filter(|c| c.len == 9).map(|c| {
        let d = c.data(file);
        (be32(d), be32(&d[4..]), d[8])
    });
    if let Some((rx, ry, unit)) = phys {
        if unit == 1 {
            let scale = 2.54f32 / 100.0;
            let fx = ((rx as f32 * scale) * 10.0).round() / 10.0;
            let fy = ((ry as f32 * scale) * 10.0).round() / 10.0;
            spec.attribute_str("ResolutionUnit", "inch");
            spec.attribute_float("XResolution", fx);
            spec.attribute_float("YResolution", fy);
        } else {
            spec.attribute_str("ResolutionUnit", "none");
            spec.attribute_float("XResolution", rx as f32);
            spec.attribute_float("YResolution", ry as f32);
        }
        let aspect = if rx == 0 { 0.0 } else { ry as f32 / rx as f32 };
        if aspect != 0.0 && aspect != 1.0 {
            spec.attribute_float("PixelAspectRatio", aspect);
        }
    }

    if let Some(c) = anc(b"cICP").filter(|c| c.len == 4) {
        let d = c.data(file);
        let cicp = [i32::from(d[0]), i32::from(d[1]), i32::from(d[2]), i32::from(d[3])];
        let vals: Vec<Value> = cicp.iter().map(|&v| Value::Int(i64::from(v))).collect();
        let int4 = TypeDesc::new(
            BaseType::Int32,
            vfx_core::Aggregate::Scalar,
            vfx_core::VecSemantics::NoXform,
            4,
        );
        spec.attribute(meta::param("CICP", int4, &vals));
        let id = meta::interop_id_from_cicp(&cicp);
        if !id.is_empty() {
            spec.attribute_str("oiio:ColorSpace", id);
        }
    }

    if let Some(c) = anc(b"eXIf") {
        let d = c.data(file);
        if d.len() >= 2 && (d[..2] == *b"MM" || d[..2] == *b"II") {
            let ok = meta::decode_exif(d, &mut spec);
            if !ok && globals::get_int_attribute("imageinput:strict", 0) != 0 {
                return Err(IoError::Corrupt("Could not decode Exif".into()));
            }
        }
    }

    if keep_unassociated {
        spec.attribute_int("oiio:UnassociatedAlpha", 1);
    }
    Ok(Parsed {
        header,
        spec,
        keep,
        truncated,
    })
}

/// OIIO's checks on a header's resolution and the global limits.
fn check_open(spec: &ImageSpec, file_size: u64) -> Result<(), IoError> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    let fail = |m: String| Err(IoError::Corrupt(m));
    if w <= 0 || h <= 0 || n <= 0 {
        return fail(format!(
            "png image resolution must be at least 1x1, but the file specified {w}x{h}x1, {n} chans. Possible corrupt input?"
        ));
    }
    let max_chans = globals::get_int_attribute("limits:channels", 1024);
    if max_chans > 0 && n > max_chans {
        return fail(format!(
            "{n} channels exceeds \"limits:channels\" = {max_chans}. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:channels\"."
        ));
    }
    let max_res = globals::get_int_attribute("limits:resolution", 1 << 20);
    if max_res > 0 && (w > max_res || h > max_res) {
        return fail(format!(
            "png image dimension {w}x{h} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\"."
        ));
    }
    let bytes = spec.image_bytes(true);
    let max_mb = globals::get_int_attribute("limits:imagesize_MB", 0);
    if max_mb > 0 && bytes > (max_mb as u64) << 20 {
        return fail(format!(
            "Uncompressed image size {:.1} MB exceeds the {max_mb} MB limit.\nImage claimed to be {w}x{h}, {n}-channel {}. Possible corrupt input?\nIf this is a valid file, raise the OIIO attribute \"limits:imagesize_MB\".",
            bytes as f32 / (1u64 << 20) as f32,
            spec.format
        ));
    }
    if file_size > 0 && bytes >= 1 << 30 && bytes > file_size.saturating_mul(10000) {
        return fail(format!(
            "png header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            bytes >> 20
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Reader

/// `FORMAT.open`: `config` may ask for unassociated alpha
/// (`oiio:UnassociatedAlpha` = 1) or linear premultiplication
/// (`png:linear_premult`).
pub fn open(path: &Path, config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let file = std::fs::read(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    let keep_unassociated = config.is_some_and(|c| c.get_int_attribute("oiio:UnassociatedAlpha", 0) == 1);
    let global_linear = globals::get_int_attribute("png:linear_premult", 0);
    let linear_premult = config.map_or(global_linear, |c| {
        c.get_int_attribute("png:linear_premult", global_linear)
    }) != 0;
    let parsed = parse_file(&file, keep_unassociated)?;
    check_open(&parsed.spec, file.len() as u64)?;
    let srgb = meta::is_colorspace_srgb(&parsed.spec, true);
    let gamma = if srgb {
        1.0
    } else {
        let g = meta::colorspace_rec709_gamma(&parsed.spec);
        if g == 0.0 {
            1.0
        } else {
            g
        }
    };
    Ok(Box::new(PngReader {
        file,
        parsed,
        keep_unassociated,
        linear_premult,
        srgb,
        gamma,
    }))
}

struct PngReader {
    file: Vec<u8>,
    parsed: Parsed,
    keep_unassociated: bool,
    linear_premult: bool,
    srgb: bool,
    gamma: f32,
}

/// A stream of just the chunks the pixel decoder needs, plus IEND.
fn critical_stream(file: &[u8], keep: &[Chunk]) -> Vec<u8> {
    let total: usize = keep.iter().map(|c| c.len + 12).sum::<usize>() + 20;
    let mut s = Vec::with_capacity(total);
    s.extend_from_slice(&SIGNATURE);
    for c in keep {
        if c.partial {
            s.extend_from_slice(&(c.len as u32).to_be_bytes());
            s.extend_from_slice(&c.ty);
            s.extend_from_slice(c.data(file));
            let crc = crc32fast::hash(&file[c.start - 4..c.start + c.len]);
            s.extend_from_slice(&crc.to_be_bytes());
        } else {
            s.extend_from_slice(&file[c.start - 8..c.start + c.len + 4]);
        }
    }
    s.extend_from_slice(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xae, 0x42, 0x60, 0x82]);
    s
}

fn map_decode_error(e: ::png::DecodingError) -> IoError {
    match e {
        ::png::DecodingError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => eof_error("IDAT"),
        ::png::DecodingError::IoError(io) => png_error(&format!("IDAT: {io}")),
        ::png::DecodingError::Format(f) => {
            let m = f.to_string();
            if m.contains("nexpected") && m.to_ascii_lowercase().contains("eof") {
                eof_error("IDAT")
            } else {
                png_error(&format!("IDAT: {m}"))
            }
        }
        other => png_error(&other.to_string()),
    }
}

impl PngReader {
    fn decode(&self) -> Result<PixelData, IoError> {
        let spec = &self.parsed.spec;
        let stream = critical_stream(&self.file, &self.parsed.keep);
        let mut opts = ::png::DecodeOptions::default();
        opts.set_ignore_crc(true);
        let mut dec = ::png::Decoder::new_with_options(std::io::Cursor::new(stream), opts);
        dec.set_limits(::png::Limits { bytes: usize::MAX });
        dec.set_transformations(::png::Transformations::EXPAND);
        let mut reader = dec.read_info().map_err(map_decode_error)?;
        let len = spec.image_bytes(true) as usize;
        let mut px = PixelData::zeroed(len).map_err(|e| IoError::Corrupt(e.to_string()))?;
        let want = reader.output_buffer_size();
        if want != Some(len) {
            return Err(png_error("unexpected output size"));
        }
        // libpng reads every IDAT to its CRC: a cut one always fails.
        let cut = self.parsed.keep.iter().any(|c| c.partial);
        let r = reader.next_frame(px.bytes_mut());
        if cut {
            return Err(eof_error("IDAT"));
        }
        r.map_err(map_decode_error)?;
        // Interlaced images are read whole, then libpng reads on to IEND.
        if self.parsed.header.interlace == 1 {
            if let Some(name) = &self.parsed.truncated {
                return Err(eof_error(name));
            }
        }
        if spec.format == TypeDesc::UINT16 {
            let v: &mut [u16] = bytemuck::cast_slice_mut(px.bytes_mut());
            v.par_chunks_mut(1 << 16)
                .for_each(|c| c.iter_mut().for_each(|x| *x = u16::from_be(*x)));
        }
        Ok(px)
    }

    fn associate(&self, px: &mut PixelData) {
        let spec = &self.parsed.spec;
        let (nch, ach) = (spec.nchannels as usize, spec.alpha_channel as usize);
        let row = spec.width as usize * nch;
        let mode = if self.srgb && self.linear_premult {
            Premult::Srgb
        } else if self.gamma != 1.0 && self.linear_premult {
            Premult::Gamma(self.gamma)
        } else {
            Premult::Direct
        };
        if spec.format == TypeDesc::UINT16 {
            let v: &mut [u16] = bytemuck::cast_slice_mut(px.bytes_mut());
            v.par_chunks_mut(row).for_each(|r| premultiply(r, nch, ach, mode));
        } else if mode == Premult::Direct {
            // Premultiplying 8-bit values is a function of (value, alpha).
            let lut: Vec<u8> = (0..65536u32)
                .map(|i| {
                    let (v, a) = ((i & 255) as u8, (i >> 8) as u8);
                    u8::from_f32_scalar(v.to_f32() * a.to_f32())
                })
                .collect();
            px.bytes_mut().par_chunks_mut(row).for_each(|r| {
                for p in r.chunks_exact_mut(nch) {
                    let a = p[ach];
                    if a != 255 {
                        for (c, v) in p.iter_mut().enumerate() {
                            if c != ach {
                                *v = lut[(usize::from(a) << 8) | usize::from(*v)];
                            }
                        }
                    }
                }
            });
        } else {
            px.bytes_mut()
                .par_chunks_mut(row)
                .for_each(|r| premultiply(r, nch, ach, mode));
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Premult {
    Direct,
    Srgb,
    Gamma(f32),
}

fn srgb_to_linear(x: f32) -> f32 {
    if x <= 0.04045 {
        x * (1.0 / 12.92)
    } else {
        ((x + 0.055) * (1.0 / 1.055)).powf(2.4)
    }
}

fn linear_to_srgb(x: f32) -> f32 {
    if x <= 0.003_130_8 {
        12.92 * x
    } else {
        1.055 * x.powf(1.0 / 2.4) - 0.055
    }
}

/// OIIO's associateAlpha on one row of integer pixels (values converted to
/// float, scaled, converted back with round-half-away).
fn premultiply<T: Pixel>(row: &mut [T], nch: usize, ach: usize, mode: Premult) {
    for p in row.chunks_exact_mut(nch) {
        let alpha = p[ach].to_f32();
        if alpha == 1.0 {
            continue;
        }
        for (c, v) in p.iter_mut().enumerate() {
            if c == ach {
                continue;
            }
            let f = v.to_f32();
            let r = match mode {
                Premult::Direct => f * alpha,
                Premult::Srgb => linear_to_srgb(srgb_to_linear(f) * alpha),
                Premult::Gamma(g) => (f.powf(g) * alpha).powf(1.0 / g),
            };
            *v = T::from_f32_scalar(r);
        }
    }
}

impl Reader for PngReader {
    fn format_name(&self) -> &'static str {
        "png"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        (subimage == 0 && miplevel == 0).then(|| self.parsed.spec.clone())
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        if subimage != 0 || miplevel != 0 {
            return Err(IoError::Open(format!(
                "Invalid subimage {subimage} / MIP level {miplevel}"
            )));
        }
        let mut px = self.decode()?;
        if self.parsed.spec.alpha_channel >= 0 && !self.keep_unassociated {
            self.associate(&mut px);
        }
        Ok(px)
    }
}

// ---------------------------------------------------------------------------
// Writer

/// The registry's writer: PNG holds one image, the first subimage's top level.
fn write_request(path: &Path, req: &crate::WriteRequest<'_>) -> Result<(), IoError> {
    let level = req
        .subimages
        .first()
        .and_then(|s| s.first())
        .ok_or_else(|| IoError::Write("png: nothing to write".into()))?;
    write(path, level.spec, level.pixels)
}

fn chunk(out: &mut Vec<u8>, ty: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    let start = out.len();
    out.extend_from_slice(ty);
    out.extend_from_slice(data);
    let crc = crc32fast::hash(&out[start..]);
    out.extend_from_slice(&crc.to_be_bytes());
}

/// libpng's keyword clean-up: Latin-1 printable characters, runs of spaces
/// collapsed, no leading/trailing space, at most 79 bytes.
fn clean_keyword(key: &str) -> Option<Vec<u8>> {
    let mut out: Vec<u8> = Vec::new();
    let mut space = true;
    for &b in key.as_bytes() {
        if out.len() >= 79 {
            break;
        }
        let printable = (32..=126).contains(&b) || b >= 161;
        if printable && b != b' ' {
            out.push(b);
            space = false;
        } else if !space {
            out.push(b' ');
            space = true;
        }
    }
    while out.last() == Some(&b' ') {
        out.pop();
    }
    (!out.is_empty()).then_some(out)
}

/// True if `prefix` is a format name of the reference build (metadata
/// with that prefix is meant for that format only).
fn is_format_name(prefix: &str) -> bool {
    meta::OIIO_FORMAT_NAMES.contains(&prefix)
}

/// Text chunks and tIME for the spec's string metadata (OIIO's
/// put_parameter rules).
/// Keyword and text of each tEXt chunk to write.
type TextChunks = Vec<(Vec<u8>, Vec<u8>)>;

fn text_chunks(spec: &ImageSpec) -> (TextChunks, Option<[i32; 6]>) {
    let mut texts = Vec::new();
    let mut time = None;
    for p in &spec.extra_attribs.items {
        let name = p.name();
        let is_str = p.type_desc() == TypeDesc::STRING;
        let lname = name.to_ascii_lowercase();
        if matches!(
            lname.as_str(),
            "planarconfig" | "compression" | "resolutionunit" | "xresolution" | "yresolution"
        ) {
            continue;
        }
        let mut key = name.to_string();
        if is_str {
            match lname.as_str() {
                "artist" => key = "Author".into(),
                "name" | "documentname" => key = "Title".into(),
                "description" | "imagedescription" => key = "Description".into(),
                "datetime" => {
                    if let Value::Str(s) = p.get(0) {
                        if let Some(t) = meta::scan_datetime(&s) {
                            time = Some(t);
                        }
                    }
                    continue;
                }
                _ => {}
            }
        }
        if let Some(colon) = key.find(':') {
            let prefix = key[..colon].to_ascii_lowercase();
            if (prefix != "png" && is_format_name(&prefix)) || prefix == "oiio" {
                continue;
            }
        }
        if !is_str {
            continue;
        }
        let Value::Str(text) = p.get(0) else { continue };
        let Some(k) = clean_keyword(&key) else { continue };
        // A C string: the text ends at its first NUL.
        let text = text.split('\0').next().unwrap_or("").as_bytes().to_vec();
        texts.push((k, text));
    }
    (texts, time)
}

/// The metadata chunks OIIO/libpng write before IDAT, in libpng's order.
fn header_chunks(spec: &ImageSpec, color_type: u8, bit_depth: u8) -> Vec<u8> {
    let mut out = Vec::with_capacity(4096);
    out.extend_from_slice(&SIGNATURE);
    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&(spec.width as u32).to_be_bytes());
    ihdr.extend_from_slice(&(spec.height as u32).to_be_bytes());
    ihdr.extend_from_slice(&[bit_depth, color_type, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);

    let mut wrote_colorspace = false;
    let srgb = meta::is_colorspace_srgb(spec, true);
    let mut gama = None;
    if srgb {
        wrote_colorspace = true;
    } else {
        let g = meta::colorspace_rec709_gamma(spec);
        if g != 0.0 {
            gama = Some(((1.0 / f64::from(g)) * 100_000.0 + 0.5) as u32);
            wrote_colorspace = true;
        }
    }
    let icc = spec
        .extra_attribs
        .get("ICCProfile", TypeDesc::UNKNOWN, false)
        .and_then(meta::param_bytes)
        .filter(|icc| icc.len() >= 132 && be32(icc) as usize == icc.len());
    if icc.is_some() {
        wrote_colorspace = true;
    }
    if let Some(c) = meta::colorspace_cicp(spec, !wrote_colorspace) {
        chunk(&mut out, b"cICP", &[c[0] as u8, c[1] as u8, 0, c[3] as u8]);
    }
    if let Some(icc) = &icc {
        let mut d = b"Embedded Profile\0\0".to_vec();
        let mut z = flate2::Compress::new(flate2::Compression::new(6), true);
        let mut comp = Vec::with_capacity(icc.len() + 64);
        let _ = z.compress_vec(icc, &mut comp, flate2::FlushCompress::Finish);
        d.extend_from_slice(&comp);
        chunk(&mut out, b"iCCP", &d);
    }
    if srgb {
        chunk(&mut out, b"sRGB", &[3]);
        chunk(&mut out, b"gAMA", &45455u32.to_be_bytes());
        let chrm: [u32; 8] = [31270, 32900, 64000, 33000, 30000, 60000, 15000, 6000];
        let d: Vec<u8> = chrm.iter().flat_map(|v| v.to_be_bytes()).collect();
        chunk(&mut out, b"cHRM", &d);
    } else if let Some(g) = gama {
        chunk(&mut out, b"gAMA", &g.to_be_bytes());
    }
    chunk(&mut out, b"eXIf", &meta::encode_exif(spec, true));
    let mut offs = Vec::with_capacity(9);
    offs.extend_from_slice(&spec.x.to_be_bytes());
    offs.extend_from_slice(&spec.y.to_be_bytes());
    offs.push(0);
    chunk(&mut out, b"oFFs", &offs);

    let unit = spec.get_string_attribute("ResolutionUnit", "");
    let mut xres = spec.get_float_attribute("XResolution", 0.0);
    let mut yres = spec.get_float_attribute("YResolution", 0.0);
    let paspect = spec.get_float_attribute("PixelAspectRatio", 0.0);
    if xres != 0.0 || yres != 0.0 || paspect != 0.0 || !unit.is_empty() {
        let (unittype, scale): (u8, f32) = match unit.to_ascii_lowercase().as_str() {
            "meter" | "m" => (1, 1.0),
            "cm" => (1, 100.0),
            "inch" | "in" => (1, (100.0f64 / 2.54) as f32),
            _ => (0, 1.0),
        };
        if paspect != 0.0 {
            if xres != 0.0 {
                yres = 0.0;
            } else {
                xres = 0.0;
            }
        }
        let pa = if paspect != 0.0 { paspect } else { 1.0 };
        if xres == 0.0 && yres == 0.0 {
            xres = 100.0;
            yres = xres * pa;
        } else if xres == 0.0 {
            xres = yres / pa;
        } else if yres == 0.0 {
            yres = xres * pa;
        }
        let mut d = Vec::with_capacity(9);
        d.extend_from_slice(&((xres * scale) as u32).to_be_bytes());
        d.extend_from_slice(&((yres * scale) as u32).to_be_bytes());
        d.push(unittype);
        chunk(&mut out, b"pHYs", &d);
    }
    let (texts, time) = text_chunks(spec);
    if let Some(t) = time {
        let mut d = (t[0] as u16).to_be_bytes().to_vec();
        d.extend(t[1..].iter().map(|&v| v as u8));
        chunk(&mut out, b"tIME", &d);
    }
    for (k, v) in texts {
        let mut d = k;
        d.push(0);
        d.extend_from_slice(&v);
        chunk(&mut out, b"tEXt", &d);
    }
    out
}

/// PNG filter choice per `png:filter`: libpng's bit set, or 1-4 for a
/// single filter. 0 (OIIO's default) leaves libpng's own default, which
/// for the 8/16-bit images written here is adaptive over all filters.
fn filter_mask(v: i32) -> u8 {
    match v & 0xff {
        0 => 0xf8,
        1 => 0x10,
        2 => 0x20,
        3 => 0x40,
        4 => 0x80,
        m if m & 0xf8 != 0 => (m & 0xf8) as u8,
        _ => 0x08,
    }
}

fn paeth(a: u8, b: u8, c: u8) -> u8 {
    let p = i16::from(a) + i16::from(b) - i16::from(c);
    let (pa, pb, pc) = (
        (p - i16::from(a)).abs(),
        (p - i16::from(b)).abs(),
        (p - i16::from(c)).abs(),
    );
    if pa <= pb && pa <= pc {
        a
    } else if pb <= pc {
        b
    } else {
        c
    }
}

/// Filter one row with filter type `f` into `out` (without the type byte).
fn apply_filter(f: u8, row: &[u8], prev: Option<&[u8]>, bpp: usize, out: &mut [u8]) {
    let up = |i: usize| prev.map_or(0, |p| p[i]);
    for i in 0..row.len() {
        let a = if i >= bpp { row[i - bpp] } else { 0 };
        let b = up(i);
        let c = if i >= bpp { up(i - bpp) } else { 0 };
        out[i] = row[i].wrapping_sub(match f {
            1 => a,
            2 => b,
            3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
            4 => paeth(a, b, c),
            _ => 0,
        });
    }
}

/// Filter a row, choosing among the allowed filters by libpng's heuristic
/// (smallest sum of absolute signed residuals).
fn filter_row(mask: u8, row: &[u8], prev: Option<&[u8]>, bpp: usize, out: &mut [u8], scratch: &mut [u8]) {
    let allowed: Vec<u8> = (0..5u8).filter(|f| mask & (0x08 << f) != 0).collect();
    if allowed.len() == 1 {
        out[0] = allowed[0];
        apply_filter(allowed[0], row, prev, bpp, &mut out[1..]);
        return;
    }
    let mut best = u64::MAX;
    for &f in &allowed {
        apply_filter(f, row, prev, bpp, scratch);
        let sum: u64 = scratch.iter().map(|&v| u64::from((v as i8).unsigned_abs())).sum();
        if sum < best {
            best = sum;
            out[0] = f;
            out[1..].copy_from_slice(scratch);
        }
    }
}

/// zlib's Adler-32 of `data`, and a combiner for adjacent pieces.
fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for block in data.chunks(5552) {
        for &x in block {
            a += u32::from(x);
            b += a;
        }
        a %= 65521;
        b %= 65521;
    }
    (b << 16) | a
}

fn adler32_combine(adler1: u32, adler2: u32, len2: u64) -> u32 {
    const BASE: u64 = 65521;
    let rem = len2 % BASE;
    let a1 = u64::from(adler1 & 0xffff);
    let b1 = u64::from(adler1 >> 16);
    let a2 = u64::from(adler2 & 0xffff);
    let b2 = u64::from(adler2 >> 16);
    let a = (a1 + a2 + BASE - 1) % BASE;
    let b = (b1 + b2 + rem * a1 % BASE + BASE - rem) % BASE;
    ((b << 16) | a) as u32
}

/// Deflate `data` as one zlib stream, compressing independent pieces in
/// parallel (each ends with a sync flush so they concatenate).
fn zlib_parallel(data: &[u8], level: u32, piece: usize) -> Vec<u8> {
    let pieces: Vec<&[u8]> = data.chunks(piece.max(1)).collect();
    let n = pieces.len();
    let parts: Vec<(Vec<u8>, u32)> = pieces
        .par_iter()
        .enumerate()
        .map(|(i, p)| {
            let mut c = flate2::Compress::new(flate2::Compression::new(level), false);
            // Room for incompressible data, so the input goes in one call
            // without intermediate flushes (they would cost compression).
            let mut out = Vec::with_capacity(p.len() + p.len() / 64 + 4096);
            while (c.total_in() as usize) < p.len() {
                if out.capacity() - out.len() < 4096 {
                    out.reserve(out.capacity() / 2 + 4096);
                }
                let consumed = c.total_in() as usize;
                if c.compress_vec(&p[consumed..], &mut out, flate2::FlushCompress::None)
                    .is_err()
                {
                    break;
                }
            }
            let flush = if i + 1 == n {
                flate2::FlushCompress::Finish
            } else {
                flate2::FlushCompress::Sync
            };
            loop {
                if out.capacity() - out.len() < 4096 {
                    out.reserve(out.capacity() / 2 + 4096);
                }
                match c.compress_vec(&[], &mut out, flush) {
                    Ok(flate2::Status::StreamEnd) | Err(_) => break,
                    // A sync flush is complete once it left spare room.
                    Ok(_) if flush == flate2::FlushCompress::Sync && out.capacity() - out.len() >= 4096 => break,
                    Ok(_) => {}
                }
            }
            (out, adler32(p))
        })
        .collect();
    let header: [u8; 2] = [
        0x78,
        match level {
            0 | 1 => 0x01,
            2..=5 => 0x5e,
            6 => 0x9c,
            _ => 0xda,
        },
    ];
    let mut out = Vec::with_capacity(parts.iter().map(|p| p.0.len()).sum::<usize>() + 6);
    out.extend_from_slice(&header);
    let mut adler = 1u32;
    for ((bytes, a), p) in parts.iter().zip(&pieces) {
        out.extend_from_slice(bytes);
        adler = adler32_combine(adler, *a, p.len() as u64);
    }
    out.extend_from_slice(&adler.to_be_bytes());
    out
}

/// OIIO's output checks (ImageOutput::check_open and PNG's own).
fn check_output(spec: &ImageSpec) -> Result<(), IoError> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    if w < 1 || h < 1 {
        return Err(IoError::Unsupported(format!(
            "Image resolution must be at least 1x1, you asked for {w} x {h}"
        )));
    }
    if spec.depth > 1 {
        return Err(IoError::Unsupported(
            "PNG does not support volume images (depth > 1)".into(),
        ));
    }
    if w > 1 << 30 || h > 1 << 30 {
        return Err(IoError::Unsupported(format!(
            "png image resolution may not exceed {}x{}, you asked for {w}x{h}",
            1 << 30,
            1 << 30
        )));
    }
    if !(1..=4).contains(&n) {
        return Err(IoError::Unsupported(format!("png does not support {n}-channel images")));
    }
    if spec.tile_width > 0 {
        return Err(IoError::Unsupported("png does not support tiled images".into()));
    }
    if spec.deep {
        return Err(IoError::Unsupported("png does not support 'deep' images".into()));
    }
    Ok(())
}

/// Write one image. `pixels` are in `spec.format`, interleaved, top to
/// bottom.
pub fn write(path: &Path, spec: &ImageSpec, pixels: &[u8]) -> Result<(), IoError> {
    check_output(spec)?;
    let mut spec = spec.clone();
    let src_type = if spec.channelformats.is_empty() {
        spec.format
    } else {
        return Err(IoError::Unsupported(
            "png does not support per-channel data formats".into(),
        ));
    };
    let out_type = if spec.format == TypeDesc::UINT16 {
        TypeDesc::UINT16
    } else {
        TypeDesc::UINT8
    };
    let nch = spec.nchannels as usize;
    let (color_type, alpha) = match nch {
        1 => (0u8, -1),
        2 => (4, 1),
        3 => (2, -1),
        _ => (6, 3),
    };
    spec.alpha_channel = alpha;
    let (w, h) = (spec.width as usize, spec.height as usize);
    let nvals = w * h * nch;
    let src_size = src_type.size();
    if src_size == 0 || pixels.len() < nvals * src_size {
        return Err(IoError::Write(format!(
            "png: {} bytes of pixels given, {} needed",
            pixels.len(),
            nvals * src_size
        )));
    }
    let pixels = &pixels[..nvals * src_size];
    let convert_alpha = alpha >= 0 && spec.get_int_attribute("oiio:UnassociatedAlpha", 0) == 0;
    let global_linear = globals::get_int_attribute("png:linear_premult", 0);
    let linear_premult = spec.get_int_attribute("png:linear_premult", global_linear) != 0;
    let srgb = meta::is_colorspace_srgb(&spec, true);
    let gamma = if srgb {
        1.0
    } else {
        let g = meta::colorspace_rec709_gamma(&spec);
        if g == 0.0 {
            1.0
        } else {
            g
        }
    };

    // Native samples (uint8/uint16), alpha un-premultiplied in float.
    let mut native = vec![0u8; nvals * out_type.size()];
    if convert_alpha {
        let mut f = vec![0f32; nvals];
        convert_bytes(
            pixels,
            src_type.basetype,
            bytemuck::cast_slice_mut(&mut f),
            BaseType::Float,
        );
        let mode = if srgb && linear_premult {
            Premult::Srgb
        } else if gamma != 1.0 && linear_premult {
            Premult::Gamma(gamma)
        } else {
            Premult::Direct
        };
        let ach = alpha as usize;
        f.par_chunks_mut(w * nch).for_each(|row| {
            for p in row.chunks_exact_mut(nch) {
                let a = p[ach];
                if a == 0.0 || a == 1.0 {
                    continue;
                }
                for (c, v) in p.iter_mut().enumerate() {
                    if c != ach {
                        *v = match mode {
                            Premult::Direct => *v / a,
                            Premult::Srgb => linear_to_srgb(srgb_to_linear(*v) / a),
                            Premult::Gamma(g) => *v * (1.0 / a).powf(g),
                        };
                    }
                }
            }
        });
        convert_bytes(
            bytemuck::cast_slice(&f),
            BaseType::Float,
            &mut native,
            out_type.basetype,
        );
    } else {
        convert_bytes(pixels, src_type.basetype, &mut native, out_type.basetype);
    }
    if out_type == TypeDesc::UINT16 {
        native
            .par_chunks_mut(1 << 16)
            .for_each(|c| c.chunks_exact_mut(2).for_each(|s| s.swap(0, 1)));
    }

    // Filter rows (in parallel), then deflate.
    let bpp = nch * out_type.size();
    let rowbytes = w * bpp;
    let mask = filter_mask(spec.get_int_attribute("png:filter", 0));
    let mut filtered = vec![0u8; h * (rowbytes + 1)];
    filtered
        .par_chunks_mut((rowbytes + 1) * 16)
        .enumerate()
        .for_each(|(blk, out)| {
            let mut scratch = vec![0u8; rowbytes];
            for (i, o) in out.chunks_mut(rowbytes + 1).enumerate() {
                let y = blk * 16 + i;
                let row = &native[y * rowbytes..(y + 1) * rowbytes];
                let prev = (y > 0).then(|| &native[(y - 1) * rowbytes..y * rowbytes]);
                filter_row(mask, row, prev, bpp, o, &mut scratch);
            }
        });
    drop(native);
    let mut level = spec.get_int_attribute("png:compressionLevel", 6).clamp(0, 9) as u32;
    match spec
        .get_string_attribute("compression", "")
        .to_ascii_lowercase()
        .as_str()
    {
        "pngfast" => level = 1,
        "none" => level = 0,
        _ => {}
    }
    let threads = rayon::current_num_threads().max(1);
    let piece = (filtered.len() / (threads * 4)).clamp(256 << 10, 4 << 20);
    let zdata = zlib_parallel(&filtered, level, piece);
    drop(filtered);

    let mut out = header_chunks(&spec, color_type, (out_type.size() * 8) as u8);
    out.reserve(zdata.len() + zdata.len() / (1 << 20) * 12 + 64);
    for part in zdata.chunks(1 << 20) {
        chunk(&mut out, b"IDAT", part);
    }
    chunk(&mut out, b"IEND", &[]);
    std::fs::write(path, &out).map_err(|e| IoError::Write(format!("Could not open file \"{}\": {e}", path.display())))
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
        std::env::temp_dir().join(format!("vfx_io_png_{}_{n}.{ext}", std::process::id()))
    }

    fn read_bytes(bytes: &[u8], config: Option<&ImageSpec>) -> Result<(ImageSpec, Vec<u8>), IoError> {
        let p = scratch("png");
        std::fs::write(&p, bytes).unwrap();
        let r = open(&p, config).and_then(|mut r| {
            let s = r.spec(0, 0).unwrap();
            r.read_image(0, 0).map(|px| (s, px.bytes().to_vec()))
        });
        let _ = std::fs::remove_file(&p);
        r
    }

    fn round_trip(spec: &ImageSpec, px: &[u8], config: Option<&ImageSpec>) -> (ImageSpec, Vec<u8>) {
        let p = scratch("png");
        write(&p, spec, px).unwrap();
        let bytes = std::fs::read(&p).unwrap();
        let _ = std::fs::remove_file(&p);
        read_bytes(&bytes, config).unwrap()
    }

    fn unassoc() -> ImageSpec {
        let mut c = ImageSpec::default();
        c.attribute_int("oiio:UnassociatedAlpha", 1);
        c
    }

    #[test]
    fn registry_entry() {
        assert_eq!(FORMAT.name, "png");
        assert!(sniff(&SIGNATURE));
        assert!(!sniff(b"\x89PNG\r\n\x1a"));
        assert_eq!(supports("exif"), 1);
        assert_eq!(supports("tiles"), 0);
    }

    #[test]
    fn round_trips_every_layout() {
        for nch in 1..=4 {
            for ty in [TypeDesc::UINT8, TypeDesc::UINT16] {
                let (w, h) = (37, 11);
                let n = w * h * nch;
                let px: Vec<u8> = if ty == TypeDesc::UINT8 {
                    (0..n).map(|i| (i * 7 % 256) as u8).collect()
                } else {
                    (0..n)
                        .flat_map(|i| (((i * 2654435761usize) >> 9) as u16).to_ne_bytes())
                        .collect()
                };
                let spec = ImageSpec::new(w as i32, h as i32, nch as i32, ty);
                for filter in [0, 0xf8] {
                    let mut s = spec.clone();
                    s.attribute_int("png:filter", filter);
                    s.attribute_int("oiio:UnassociatedAlpha", 1);
                    let (got, back) = round_trip(&s, &px, Some(&unassoc()));
                    assert_eq!((got.nchannels, got.format), (nch as i32, ty));
                    assert!(back == px, "nch {nch} {ty:?} filter {filter}");
                }
            }
        }
    }

    #[test]
    fn premultiplies_on_read_and_unpremultiplies_on_write() {
        let px: Vec<u8> = vec![200, 100, 50, 128, 255, 255, 255, 0, 10, 20, 30, 255];
        let spec = ImageSpec::new(3, 1, 4, TypeDesc::UINT8);
        let p = scratch("png");
        // Written premultiplied data gets divided by alpha.
        write(&p, &spec, &px).unwrap();
        let bytes = std::fs::read(&p).unwrap();
        std::fs::remove_file(&p).unwrap();
        let (_, raw) = read_bytes(&bytes, Some(&unassoc())).unwrap();
        assert_eq!(&raw[..4], &[255, 199, 100, 128]);
        assert_eq!(&raw[4..8], &[255, 255, 255, 0]);
        let (s, assoc) = read_bytes(&bytes, None).unwrap();
        assert_eq!(s.alpha_channel, 3);
        assert_eq!(&assoc[..4], &[128, 100, 50, 128]);
        assert_eq!(&assoc[4..8], &[0, 0, 0, 0]);
        assert_eq!(&assoc[8..], &[10, 20, 30, 255]);
    }

    #[test]
    fn metadata_round_trip() {
        let mut spec = ImageSpec::new(4, 2, 3, TypeDesc::UINT8);
        spec.attribute_str("ImageDescription", "hello");
        spec.attribute_str("Artist", "me");
        spec.attribute_str("DateTime", "2020:01:02 03:04:05");
        spec.attribute_str("Foo", "bar");
        spec.attribute_str("oiio:Hidden", "x");
        spec.attribute_float("XResolution", 300.0);
        spec.attribute_str("ResolutionUnit", "cm");
        spec.attribute_float("Exif:FocalLength", 50.5);
        let (got, _) = round_trip(&spec, &[0; 24], None);
        let s = |n: &str| got.get_string_attribute(n, "?");
        assert_eq!(s("ImageDescription"), "hello");
        assert_eq!(s("Artist"), "me");
        assert_eq!(s("DateTime"), "2020:01:02 03:04:05");
        assert_eq!(s("Foo"), "bar");
        assert_eq!(s("oiio:Hidden"), "?");
        assert_eq!(s("ResolutionUnit"), "inch");
        assert_eq!(got.get_float_attribute("XResolution", 0.0), 762.0);
        assert_eq!(got.get_float_attribute("Exif:FocalLength", 0.0), 50.5);
        assert_eq!(s("oiio:ColorSpace"), "srgb_rec709_scene");
    }

    #[test]
    fn gamma_and_offsets() {
        let mut spec = ImageSpec::new(2, 2, 1, TypeDesc::UINT16);
        spec.attribute_str("oiio:ColorSpace", "g22_rec709_scene");
        spec.x = 5;
        spec.y = -3;
        let (got, _) = round_trip(&spec, &[0; 8], None);
        assert_eq!(got.get_string_attribute("oiio:ColorSpace", ""), "g22_rec709_scene");
        assert_eq!(got.get_float_attribute("oiio:Gamma", 0.0), 2.2);
        assert_eq!((got.x, got.y), (5, -3));
    }

    #[test]
    fn corrupt_files_fail_cleanly() {
        let spec = ImageSpec::new(64, 64, 3, TypeDesc::UINT8);
        let px: Vec<u8> = (0..64 * 64 * 3).map(|i| (i * 31 % 251) as u8).collect();
        let p = scratch("png");
        write(&p, &spec, &px).unwrap();
        let good = std::fs::read(&p).unwrap();
        std::fs::remove_file(&p).unwrap();
        for cut in [0, 7, 8, 20, 33, 60, good.len() / 2, good.len() - 13] {
            let r = read_bytes(&good[..cut], None);
            assert!(r.is_err(), "cut at {cut}");
        }
        // Flipped bytes anywhere: an error or a picture, never a panic.
        let mut x = 7u32;
        for _ in 0..200 {
            let mut b = good.clone();
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let i = 8 + (x as usize >> 4) % (b.len() - 8);
            b[i] ^= (x >> 24) as u8 | 1;
            let _ = read_bytes(&b, None);
        }
        // Absurd dimensions are refused before any allocation.
        let mut b = SIGNATURE.to_vec();
        let mut ihdr = 20_000u32.to_be_bytes().to_vec();
        ihdr.extend_from_slice(&20_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[16, 6, 0, 0, 0]);
        chunk(&mut b, b"IHDR", &ihdr);
        chunk(&mut b, b"IDAT", &[0x78, 0x9c, 0x03, 0x00]);
        chunk(&mut b, b"IEND", &[]);
        let e = read_bytes(&b, None).unwrap_err();
        assert!(e.to_string().contains("probably a corrupt or malicious header"), "{e}");
        assert!(read_bytes(b"\x89PNG\r\n\x1a\nxxxx", None).is_err());
        assert_eq!(
            read_bytes(b"GIF89a..........", None).unwrap_err(),
            IoError::Open("Not a PNG file".into())
        );
    }

    #[test]
    fn output_rejections() {
        let err = |s: &ImageSpec| write(&scratch("png"), s, &[0; 64]).unwrap_err().to_string();
        assert_eq!(
            err(&ImageSpec::new(2, 1, 5, TypeDesc::UINT8)),
            "png does not support 5-channel images"
        );
        assert_eq!(
            err(&ImageSpec::new(0, 1, 3, TypeDesc::UINT8)),
            "Image resolution must be at least 1x1, you asked for 0 x 1"
        );
    }

    #[test]
    fn adler_combination() {
        let d: Vec<u8> = (0..100_000u32).map(|i| (i * 13 % 256) as u8).collect();
        let (a, b) = d.split_at(33_333);
        assert_eq!(adler32_combine(adler32(a), adler32(b), b.len() as u64), adler32(&d));
        let z = zlib_parallel(&d, 6, 10_000);
        let mut dec = flate2::Decompress::new(true);
        let mut out = Vec::with_capacity(d.len() + 10);
        dec.decompress_vec(&z, &mut out, flate2::FlushDecompress::Finish)
            .unwrap();
        assert_eq!(out, d);
    }
}

//! Windows icons (.ico): every directory entry is a subimage, stored either
//! as a DIB (1/4/8-bit palette, 24-bit BGR or 32-bit BGRA, with a 1-bit
//! transparency mask) or as an embedded PNG — read and written as
//! OpenImageIO 3.2.2 does.
//!
//! Reading, as OIIO: DIB entries become 4-channel uint8 RGBA of the size
//! the directory gives (0 = 256), alpha from the mask (or the 32-bit
//! pixels), `oiio:BitsPerSample` = bpp / 4 (+1 below 32 bits); the palette
//! follows the 40-byte header and has the directory's colour count (0
//! meaning 256). PNG entries keep the PNG's channels and type (8/16-bit,
//! palettes expanded), its colour space and main metadata, unassociated
//! alpha (`oiio:UnassociatedAlpha` = 1) and report bit depth / channels as
//! `oiio:BitsPerSample`. A subimage whose entry is unreadable ends the
//! list (OIIO's seek fails there).
//!
//! Writing: one entry per subimage, DIB 24-bit (1 or 3 channels) or 32-bit
//! (2 or 4 channels, mask set where alpha <= 127), or PNG when `ico:PNG`
//! is set or a side is 256. Like OIIO, a PNG entry's directory bit count is
//! the previous DIB entry's, or 0 for a leading PNG entry — which OIIO's
//! own reader then refuses.

use crate::{Format, IoError, Reader};
use std::fs::File;
use std::io::Write;
use std::path::Path;
use vfx_core::convert::convert_bytes;
use vfx_core::{globals, ImageSpec, Interp, ParamValue, PixelData, TypeDesc, Value};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "ico",
    extensions: &["ico"],
    sniff,
    open: Some(open),
    write: Some(write_request),
    supports,
};

/// Reader: "ioproxy", "multiimage"; writer: "multiimage", "alpha".
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(
        feature.to_ascii_lowercase().as_str(),
        "ioproxy" | "multiimage" | "alpha"
    ))
}

/// An icon directory header: reserved 0, type 1, at least one entry.
pub fn sniff(head: &[u8]) -> bool {
    head.len() >= 6 && head[..4] == [0, 0, 1, 0] && i16::from_le_bytes([head[4], head[5]]) > 0
}

fn corrupt(m: impl Into<String>) -> IoError {
    IoError::Corrupt(m.into())
}

fn eof() -> IoError {
    corrupt("Read error: hit end of file in ico reader")
}

fn unsupported_depth() -> IoError {
    corrupt("Unsupported image color depth, probably corrupt file")
}

/// OIIO's generic open-time resolution checks (ICO: `max` square, 4 channels).
fn check_open(spec: &ImageSpec, max: i32) -> Result<(), IoError> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    if w <= 0 || h <= 0 || n <= 0 {
        return Err(corrupt(format!(
            "ico image resolution must be at least 1x1, but the file specified {w}x{h}x1, {n} chans. Possible corrupt input?"
        )));
    }
    if w > max || h > max {
        return Err(corrupt(format!(
            "ico image resolution may not exceed {max}x{max}, but the file appears to be {w}x{h}. Possible corrupt input?"
        )));
    }
    if n > 4 {
        return Err(corrupt(format!(
            "ico does not support {n}-channel images. Possible corrupt input?"
        )));
    }
    let max_res = globals::get_int_attribute("limits:resolution", 1 << 20);
    if max_res > 0 && (w > max_res || h > max_res) {
        return Err(corrupt(format!(
            "ico image dimension {w}x{h} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\"."
        )));
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
    Ok(())
}

// ---------------------------------------------------------------------------
// Colour-space helpers (OIIO's rec709-gamma naming), for PNG entries.

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

fn is_srgb_space(spec: &ImageSpec) -> bool {
    let cs = spec.get_string_attribute("oiio:ColorSpace", "").to_ascii_lowercase();
    [
        "srgb_rec709_scene",
        "srgb_texture",
        "srgb",
        "srgb_tx",
        "srgb - texture",
        "utility - srgb - texture",
        "srgb_rec709_display",
        "srgb_display",
        "srgb - display",
        "srgb encoded rec.709 (srgb)",
    ]
    .contains(&cs.as_str())
}

/// OIIO's `get_colorspace_rec709_gamma` (1 for linear, 0 when unknown).
fn colorspace_gamma(spec: &ImageSpec) -> f32 {
    let cs = spec.get_string_attribute("oiio:ColorSpace", "");
    let lower = cs.to_ascii_lowercase();
    if ["linear", "scene_linear", "lin_rec709_scene", "lin_rec709", "lin_srgb"].contains(&lower.as_str()) {
        return 1.0;
    }
    let name = lower
        .strip_suffix("_scene")
        .or(lower.strip_suffix("_display"))
        .unwrap_or(&lower);
    if let Some(rest) = name.strip_prefix('g') {
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        if let Ok(g10) = rest[..digits].parse::<i32>() {
            if g10 > 0 && &rest[digits..] == "_rec709" {
                return g10 as f32 / 10.0;
            }
        }
    }
    spec.get_float_attribute("oiio:Gamma", 0.0)
}

// ---------------------------------------------------------------------------
// Reader

#[derive(Clone, Debug)]
enum Kind {
    Dib {
        bpp: u16,
        offset: usize,
        palette_size: usize,
    },
    Png {
        offset: usize,
    },
}

#[derive(Clone, Debug)]
struct Entry {
    spec: ImageSpec,
    kind: Kind,
}

struct IcoReader {
    data: Vec<u8>,
    /// Entries up to (and including) the first that cannot be read.
    entries: Vec<Result<Entry, IoError>>,
}

/// `FORMAT.open`: the whole file is read (icons are small) and every
/// directory entry parsed.
pub fn open(path: &Path, _config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let data = std::fs::read(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    if data.len() < 6 {
        return Err(eof());
    }
    let reserved = i16::from_le_bytes([data[0], data[1]]);
    let ty = i16::from_le_bytes([data[2], data[3]]);
    let count = i16::from_le_bytes([data[4], data[5]]);
    if reserved != 0 || ty != 1 {
        return Err(corrupt("File failed ICO header check"));
    }
    let mut entries = Vec::new();
    for i in 0..count.max(0) as usize {
        let e = parse_entry(&data, i);
        let failed = e.is_err();
        entries.push(e);
        if failed {
            break;
        }
    }
    match entries.first() {
        None => return Err(corrupt("")),
        Some(Err(e)) => return Err(e.clone()),
        Some(Ok(_)) => {}
    }
    Ok(Box::new(IcoReader { data, entries }))
}

fn parse_entry(data: &[u8], index: usize) -> Result<Entry, IoError> {
    let at = 6 + 16 * index;
    let d = data.get(at..at + 16).ok_or_else(eof)?;
    let (w, h, colors, reserved) = (d[0], d[1], d[2], d[3]);
    let bpp = u16::from_le_bytes([d[6], d[7]]);
    let ofs = u32::from_le_bytes([d[12], d[13], d[14], d[15]]) as usize;
    if !matches!(bpp, 1 | 4 | 8 | 16 | 24 | 32) {
        return Err(unsupported_depth());
    }
    if reserved != 0 {
        return Err(corrupt(
            "Probably corrupt file (clue: header 'reserved' value should always be 0)",
        ));
    }
    let head = data.get(ofs..ofs + 8).ok_or_else(eof)?;
    if &head[1..4] == b"PNG" {
        if head[..7] != [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a] {
            return Err(corrupt("Subimage failed PNG signature check"));
        }
        let spec = png_spec(&data[ofs..])?;
        return Ok(Entry {
            spec,
            kind: Kind::Png { offset: ofs },
        });
    }
    let bmi = data.get(ofs..ofs + 40).ok_or_else(eof)?;
    let dib_bpp = u16::from_le_bytes([bmi[14], bmi[15]]);
    let side = |v: u8| if v == 0 { 256 } else { i32::from(v) };
    let mut spec = ImageSpec::new(side(w), side(h), 4, TypeDesc::UINT8);
    check_open(&spec, 256)?;
    if !matches!(dib_bpp, 1 | 4 | 8 | 24 | 32) {
        return Err(unsupported_depth());
    }
    let palette_size = if colors == 0 && dib_bpp < 16 {
        256
    } else {
        usize::from(colors)
    };
    let bits = i32::from(dib_bpp) / 4 + i32::from(dib_bpp != 32);
    spec.attribute_int("oiio:BitsPerSample", bits);
    Ok(Entry {
        spec,
        kind: Kind::Dib {
            bpp: dib_bpp,
            offset: ofs + 40,
            palette_size,
        },
    })
}

/// Decode a DIB entry into RGBA rows (top row first), as OIIO's reader.
fn read_dib(data: &[u8], w: usize, h: usize, bpp: u16, offset: usize, npal: usize) -> Result<Vec<u8>, IoError> {
    let mut p = offset;
    let mut take = |n: usize| -> Result<&[u8], IoError> {
        let s = data.get(p..p + n).ok_or_else(eof)?;
        p += n;
        Ok(s)
    };
    let mut palette = vec![[0u8; 3]; npal];
    if bpp < 16 {
        for e in palette.iter_mut() {
            let b = take(4)?;
            *e = [b[2], b[1], b[0]];
        }
    }
    let bad = || corrupt("Possible corruption: index exceeds palette size");
    let bpp = usize::from(bpp);
    let slb = (w * bpp).div_ceil(8).div_ceil(4) * 4;
    let mut out = vec![0u8; w * h * 4];
    for y in (0..h).rev() {
        let row = take(slb)?;
        let dst = &mut out[y * w * 4..(y + 1) * w * 4];
        let mut x = 0;
        while x < w {
            let k = x * 4;
            match bpp {
                1 => {
                    let i = usize::from(row[x / 8] >> (7 - x % 8) & 1);
                    let c = palette.get(i).ok_or_else(bad)?;
                    dst[k..k + 3].copy_from_slice(c);
                }
                4 => {
                    let hi = usize::from(row[x / 2] >> 4);
                    let c = palette.get(hi).ok_or_else(bad)?;
                    dst[k..k + 3].copy_from_slice(c);
                    // The low nibble is checked even past the last pixel.
                    let lo = usize::from(row[x / 2] & 0x0f);
                    let c = palette.get(lo).ok_or_else(bad)?;
                    if x + 1 < w {
                        x += 1;
                        dst[k + 4..k + 7].copy_from_slice(c);
                    }
                }
                8 => {
                    let c = palette.get(usize::from(row[x])).ok_or_else(bad)?;
                    dst[k..k + 3].copy_from_slice(c);
                }
                24 => dst[k..k + 3].copy_from_slice(&[row[x * 3 + 2], row[x * 3 + 1], row[x * 3]]),
                _ => dst[k..k + 4].copy_from_slice(&[row[x * 4 + 2], row[x * 4 + 1], row[x * 4], row[x * 4 + 3]]),
            }
            x += 1;
        }
    }
    if bpp < 32 {
        let slb = w.div_ceil(8).div_ceil(4) * 4;
        for y in (0..h).rev() {
            let row = take(slb)?;
            for x in 0..w {
                let transparent = row[x / 8] & (0x80 >> (x % 8)) != 0;
                out[(y * w + x) * 4 + 3] = if transparent { 0 } else { 255 };
            }
        }
    }
    Ok(out)
}

// ---------------------------------------------------------------------------
// Embedded PNG

fn png_err(e: impl std::fmt::Display) -> IoError {
    corrupt(format!("PNG read error: {e}"))
}

/// Walk the chunks before the first IDAT: (type, data) in file order.
fn png_chunks(png: &[u8]) -> Vec<([u8; 4], &[u8])> {
    let mut out = Vec::new();
    let mut p = 8;
    while let Some(h) = png.get(p..p + 8) {
        let len = u32::from_be_bytes([h[0], h[1], h[2], h[3]]) as usize;
        let ty = [h[4], h[5], h[6], h[7]];
        if &ty == b"IDAT" {
            break;
        }
        let Some(body) = png.get(p + 8..(p + 8).saturating_add(len)) else {
            break;
        };
        out.push((ty, body));
        p += 12 + len;
    }
    out
}

/// The spec OIIO's PNG reader would build (channels after expansion).
fn png_spec(png: &[u8]) -> Result<ImageSpec, IoError> {
    let mut dec = png::Decoder::new(std::io::Cursor::new(png));
    dec.set_transformations(png::Transformations::EXPAND);
    let reader = dec.read_info().map_err(png_err)?;
    let info = reader.info();
    let (ct, depth) = reader.output_color_type();
    let nch = ct.samples() as i32;
    let wide = depth == png::BitDepth::Sixteen;
    let fmt = if wide { TypeDesc::UINT16 } else { TypeDesc::UINT8 };
    let mut spec = ImageSpec::new(info.width as i32, info.height as i32, nch, fmt);
    if nch == 2 {
        spec.channelnames = vec!["Y".into(), "A".into()];
        spec.alpha_channel = 1;
    }
    if info.srgb.is_some() {
        spec.attribute_str("oiio:ColorSpace", "srgb_rec709_scene");
    } else if let Some(g) = info.gama_chunk.filter(|g| g.into_scaled() > 0) {
        set_colorspace_gamma(&mut spec, (1.0 / (f64::from(g.into_scaled()) / 100000.0)) as f32);
    } else {
        spec.attribute_str("oiio:ColorSpace", "srgb_rec709_scene");
    }
    if let Some(icc) = info.icc_profile.as_ref().filter(|p| !p.is_empty()) {
        let ty = TypeDesc {
            arraylen: icc.len() as i32,
            ..TypeDesc::UINT8
        };
        let vals: Vec<Value> = icc.iter().map(|&b| Value::Int(i64::from(b))).collect();
        if let Some(p) = ParamValue::from_values("ICCProfile", ty, 1, Interp::Constant, &vals) {
            spec.attribute(p);
        }
    }
    let chunks = png_chunks(png);
    if let Some((_, t)) = chunks.iter().find(|(ty, d)| ty == b"tIME" && d.len() >= 7) {
        spec.attribute_str(
            "DateTime",
            &format!(
                "{:4}:{:02}:{:02} {:02}:{:02}:{:02}",
                u16::from_be_bytes([t[0], t[1]]),
                t[2],
                t[3],
                t[4],
                t[5],
                t[6]
            ),
        );
    }
    // Text chunks in file order (compressed ones come decoded from `info`).
    let (mut zi, mut ii) = (0, 0);
    for (ty, body) in &chunks {
        let kv = match ty {
            b"tEXt" => {
                let n = body.iter().position(|&c| c == 0).unwrap_or(body.len());
                let latin1 = |b: &[u8]| b.iter().map(|&c| c as char).collect::<String>();
                Some((latin1(&body[..n]), latin1(body.get(n + 1..).unwrap_or(&[]))))
            }
            b"zTXt" => {
                zi += 1;
                info.compressed_latin1_text
                    .get(zi - 1)
                    .map(|t| (t.keyword.clone(), t.get_text().unwrap_or_default()))
            }
            b"iTXt" => {
                ii += 1;
                info.utf8_text
                    .get(ii - 1)
                    .map(|t| (t.keyword.clone(), t.get_text().unwrap_or_default()))
            }
            _ => None,
        };
        let Some((key, text)) = kv else { continue };
        let name = match key.to_ascii_lowercase().as_str() {
            "description" => "ImageDescription",
            "author" => "Artist",
            "title" => "DocumentName",
            "xml:com.adobe.xmp" | "raw profile type exif" => continue,
            _ => key.as_str(),
        };
        spec.attribute_str(name, &text);
    }
    if let Some((_, o)) = chunks.iter().find(|(ty, d)| ty == b"oFFs" && d.len() >= 9) {
        if o[8] == 0 {
            spec.x = i32::from_be_bytes([o[0], o[1], o[2], o[3]]);
            spec.y = i32::from_be_bytes([o[4], o[5], o[6], o[7]]);
        }
    }
    if let Some(dims) = info.pixel_dims {
        if dims.unit == png::Unit::Meter {
            let scale = 2.54f32 / 100.0;
            let rx = (10.0 * (dims.xppu as f32 * scale)).round() / 10.0;
            let ry = (10.0 * (dims.yppu as f32 * scale)).round() / 10.0;
            spec.attribute_str("ResolutionUnit", "inch");
            spec.attribute_float("XResolution", rx);
            spec.attribute_float("YResolution", ry);
        } else {
            spec.attribute_str("ResolutionUnit", "none");
            spec.attribute_float("XResolution", dims.xppu as f32);
            spec.attribute_float("YResolution", dims.yppu as f32);
        }
        if dims.xppu != 0 {
            let aspect = dims.yppu as f32 / dims.xppu as f32;
            if aspect != 0.0 && aspect != 1.0 {
                spec.attribute_float("PixelAspectRatio", aspect);
            }
        }
    }
    spec.attribute_int("oiio:UnassociatedAlpha", 1);
    check_open(&spec, 1 << 30)?;
    let declared = spec.image_bytes(true);
    if declared >= 1 << 30 && declared > (png.len() as u64).saturating_mul(10000) {
        return Err(corrupt(format!(
            "ico header claims a {} MB image from a {} byte file; probably a corrupt or malicious header",
            declared >> 20,
            png.len()
        )));
    }
    let bit_depth = if wide { 16 } else { 8 };
    spec.attribute_int("oiio:BitsPerSample", bit_depth / nch);
    Ok(spec)
}

/// Decode an embedded PNG's pixels (native-endian 16-bit samples).
fn read_png(png: &[u8], spec: &ImageSpec) -> Result<Vec<u8>, IoError> {
    let mut dec = png::Decoder::new(std::io::Cursor::new(png));
    dec.set_transformations(png::Transformations::EXPAND);
    let mut reader = dec.read_info().map_err(png_err)?;
    let size = reader
        .output_buffer_size()
        .ok_or_else(|| corrupt("PNG read error: image too large"))?;
    if size as u64 != spec.image_bytes(true) {
        return Err(corrupt("PNG library error"));
    }
    let mut buf = vec![0u8; size];
    reader.next_frame(&mut buf).map_err(png_err)?;
    if spec.format == TypeDesc::UINT16 {
        for s in buf.chunks_exact_mut(2) {
            let v = u16::from_be_bytes([s[0], s[1]]);
            s.copy_from_slice(&v.to_ne_bytes());
        }
    }
    Ok(buf)
}

impl Reader for IcoReader {
    fn format_name(&self) -> &'static str {
        "ico"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        if miplevel != 0 {
            return None;
        }
        self.entries.get(subimage)?.as_ref().ok().map(|e| e.spec.clone())
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        let entry = match (miplevel, self.entries.get(subimage)) {
            (0, Some(Ok(e))) => e,
            (0, Some(Err(e))) => return Err(e.clone()),
            _ => return Err(IoError::Open(String::new())),
        };
        let spec = &entry.spec;
        let bytes = match entry.kind {
            Kind::Png { offset } => read_png(&self.data[offset..], spec)?,
            Kind::Dib {
                bpp,
                offset,
                palette_size,
            } => read_dib(
                &self.data,
                spec.width as usize,
                spec.height as usize,
                bpp,
                offset,
                palette_size,
            )?,
        };
        let mut px = PixelData::zeroed(bytes.len()).map_err(|e| corrupt(e.to_string()))?;
        px.bytes_mut().copy_from_slice(&bytes);
        Ok(px)
    }
}

// ---------------------------------------------------------------------------
// Writer

/// OIIO's output checks for ICO (256 square, 1-4 channels).
fn check_output(spec: &ImageSpec) -> Result<(), IoError> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    let bad = |m: String| Err(IoError::Unsupported(m));
    if w > 256 || h > 256 {
        return bad(format!(
            "ico image resolution may not exceed 256x256, you asked for {w}x{h}"
        ));
    }
    if w <= 0 || h <= 0 {
        return bad(format!(
            "ico image resolution must be at least 1x1, you asked for {w}x{h}"
        ));
    }
    if spec.depth > 1 {
        return bad("ico does not support volume images (depth > 1)".into());
    }
    if !(0..=4).contains(&n) {
        return bad(format!("ico does not support {n}-channel images"));
    }
    if n == 0 {
        return bad("ICO only supports 1-4 channels, not 0".into());
    }
    if spec.channelformats.iter().any(|f| *f != spec.format) {
        return bad("ico does not support per-channel data formats".into());
    }
    if spec.deep {
        return bad("ico does not support 'deep' images".into());
    }
    if spec.tile_width != 0 || spec.tile_height != 0 {
        return bad("ico does not support tiled images".into());
    }
    Ok(())
}

/// The registry's writer: every subimage's top level becomes an entry.
fn write_request(path: &Path, req: &crate::WriteRequest<'_>) -> Result<(), IoError> {
    let images: Vec<(&ImageSpec, &[u8])> = req
        .subimages
        .iter()
        .filter_map(|levels| levels.first().map(|l| (l.spec, l.pixels)))
        .collect();
    write_all(path, &images)
}

/// Write one image as a single-entry icon.
pub fn write(path: &Path, spec: &ImageSpec, pixels: &[u8]) -> Result<(), IoError> {
    write_all(path, &[(spec, pixels)])
}

/// One entry's directory fields and data.
struct Encoded {
    w: u8,
    h: u8,
    bpp: u16,
    data: Vec<u8>,
    /// DIB entries record their length; OIIO leaves it 0 for PNG.
    len: u32,
}

fn to_type(spec: &ImageSpec, pixels: &[u8], ty: TypeDesc) -> Vec<u8> {
    let n = spec.image_pixels() as usize * spec.nchannels as usize;
    let src = &pixels[..n * spec.format.size()];
    if spec.format == ty {
        return src.to_vec();
    }
    let mut out = vec![0u8; n * ty.size()];
    convert_bytes(src, spec.format.basetype, &mut out, ty.basetype);
    out
}

fn encode_dib(spec: &ImageSpec, pixels: &[u8]) -> Encoded {
    let (w, h, nch) = (spec.width as usize, spec.height as usize, spec.nchannels as usize);
    let px = to_type(spec, pixels, TypeDesc::UINT8);
    let alpha = nch == 2 || nch == 4;
    let bpp: usize = if alpha { 32 } else { 24 };
    let xor_slb = (w * bpp).div_ceil(8).div_ceil(4) * 4;
    let and_slb = w.div_ceil(8).div_ceil(4) * 4;
    let len = 40 + (xor_slb + and_slb) * h;
    let mut data = vec![0u8; len];
    let mut head = Vec::with_capacity(40);
    for v in [40i32, w as i32, 2 * h as i32] {
        head.extend_from_slice(&v.to_le_bytes());
    }
    head.extend_from_slice(&1u16.to_le_bytes());
    head.extend_from_slice(&(bpp as u16).to_le_bytes());
    head.extend_from_slice(&0i32.to_le_bytes());
    head.extend_from_slice(&((len - 40) as i32).to_le_bytes());
    head.resize(40, 0);
    data[..40].copy_from_slice(&head);
    for y in 0..h {
        let src = &px[y * w * nch..(y + 1) * w * nch];
        let xo = 40 + (h - 1 - y) * xor_slb;
        let out = &mut data[xo..xo + xor_slb];
        for (x, p) in src.chunks_exact(nch).enumerate() {
            let bgra = match nch {
                1 => [p[0], p[0], p[0], 0],
                2 => [p[0], p[0], p[0], p[1]],
                3 => [p[2], p[1], p[0], 0],
                _ => [p[2], p[1], p[0], p[3]],
            };
            let n = bpp / 8;
            out[x * n..(x + 1) * n].copy_from_slice(&bgra[..n]);
        }
        if alpha {
            let ao = 40 + h * xor_slb + (h - 1 - y) * and_slb;
            let mask = &mut data[ao..ao + and_slb];
            for (x, p) in src.chunks_exact(nch).enumerate() {
                if p[nch - 1] <= 127 {
                    mask[x / 8] |= 0x80 >> (x % 8);
                }
            }
        }
    }
    Encoded {
        w: if w < 256 { w as u8 } else { 0 },
        h: if h < 256 { h as u8 } else { 0 },
        bpp: bpp as u16,
        data,
        len: len as u32,
    }
}

/// An embedded PNG with the chunks OIIO's PNG writer produces for the
/// spec's colour space, resolution and string metadata.
fn encode_png(spec: &ImageSpec, pixels: &[u8]) -> Result<Encoded, IoError> {
    let (w, h, nch) = (spec.width as u32, spec.height as u32, spec.nchannels as usize);
    let wide = !(spec.format == TypeDesc::UINT8 || spec.format == TypeDesc::INT8);
    let ty = if wide { TypeDesc::UINT16 } else { TypeDesc::UINT8 };
    let mut px = to_type(spec, pixels, ty);
    if wide {
        for s in px.chunks_exact_mut(2) {
            let v = u16::from_ne_bytes([s[0], s[1]]);
            s.copy_from_slice(&v.to_be_bytes());
        }
    }
    let werr = |e: png::EncodingError| IoError::Write(format!("PNG write error: {e}"));
    let mut out = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut out, w, h);
        enc.set_color(match nch {
            1 => png::ColorType::Grayscale,
            2 => png::ColorType::GrayscaleAlpha,
            3 => png::ColorType::Rgb,
            _ => png::ColorType::Rgba,
        });
        enc.set_depth(if wide {
            png::BitDepth::Sixteen
        } else {
            png::BitDepth::Eight
        });
        enc.set_compression(png::Compression::High);
        let mut wr = enc.write_header().map_err(werr)?;
        let chunk = |wr: &mut png::Writer<&mut Vec<u8>>, ty: &[u8; 4], d: &[u8]| {
            wr.write_chunk(png::chunk::ChunkType(*ty), d).map_err(werr)
        };
        if is_srgb_space(spec) || spec.get_string_attribute("oiio:ColorSpace", "").is_empty() {
            chunk(&mut wr, b"sRGB", &[3])?;
            chunk(&mut wr, b"gAMA", &45455u32.to_be_bytes())?;
            let chrm: Vec<u8> = [31270u32, 32900, 64000, 33000, 30000, 60000, 15000, 6000]
                .iter()
                .flat_map(|v| v.to_be_bytes())
                .collect();
            chunk(&mut wr, b"cHRM", &chrm)?;
        } else {
            let g = colorspace_gamma(spec);
            if g != 0.0 {
                let v = ((1.0 / f64::from(g)) * 100000.0 + 0.5) as u32;
                chunk(&mut wr, b"gAMA", &v.to_be_bytes())?;
            }
        }
        let mut offs = Vec::with_capacity(9);
        offs.extend_from_slice(&spec.x.to_be_bytes());
        offs.extend_from_slice(&spec.y.to_be_bytes());
        offs.push(0);
        chunk(&mut wr, b"oFFs", &offs)?;
        let unit = spec.get_string_attribute("ResolutionUnit", "");
        let mut xres = spec.get_float_attribute("XResolution", 0.0);
        let mut yres = spec.get_float_attribute("YResolution", 0.0);
        let aspect = spec.get_float_attribute("PixelAspectRatio", 0.0);
        if xres != 0.0 || yres != 0.0 || aspect != 0.0 || !unit.is_empty() {
            let (meter, scale) = match unit.to_ascii_lowercase().as_str() {
                "meter" | "m" => (true, 1.0),
                "cm" => (true, 100.0),
                "inch" | "in" => (true, 100.0 / 2.54),
                _ => (false, 1.0),
            };
            if aspect != 0.0 {
                if xres != 0.0 {
                    yres = 0.0;
                } else {
                    xres = 0.0;
                }
            }
            let a = if aspect != 0.0 { aspect } else { 1.0 };
            if xres == 0.0 && yres == 0.0 {
                xres = 100.0;
                yres = xres * a;
            } else if xres == 0.0 {
                xres = yres / a;
            } else if yres == 0.0 {
                yres = xres * a;
            }
            let mut phys = Vec::with_capacity(9);
            phys.extend_from_slice(&((xres * scale) as u32).to_be_bytes());
            phys.extend_from_slice(&((yres * scale) as u32).to_be_bytes());
            phys.push(u8::from(meter));
            chunk(&mut wr, b"pHYs", &phys)?;
        }
        for p in &spec.extra_attribs.items {
            if p.type_desc() != TypeDesc::STRING {
                continue;
            }
            let lname = p.name().to_ascii_lowercase();
            if matches!(lname.as_str(), "planarconfig" | "compression" | "resolutionunit") {
                continue;
            }
            if let Some((prefix, _)) = lname.split_once(':') {
                if prefix != "png" && (prefix == "oiio" || is_format_name(prefix)) {
                    continue;
                }
            }
            let value = p.get_ustring(usize::MAX);
            if lname == "datetime" {
                if let Some(t) = scan_datetime(&value) {
                    chunk(&mut wr, b"tIME", &t)?;
                }
                continue;
            }
            let key = match lname.as_str() {
                "artist" => "Author",
                "name" | "documentname" => "Title",
                "description" | "imagedescription" => "Description",
                _ => p.name(),
            };
            let mut t = key.as_bytes()[..key.len().min(79)].to_vec();
            t.push(0);
            t.extend_from_slice(value.as_bytes());
            chunk(&mut wr, b"tEXt", &t)?;
        }
        wr.write_image_data(&px).map_err(werr)?;
        wr.finish().map_err(werr)?;
    }
    Ok(Encoded {
        w: if w < 256 { w as u8 } else { 0 },
        h: if h < 256 { h as u8 } else { 0 },
        bpp: 0,
        data: out,
        len: 0,
    })
}

/// Names of OIIO's formats (their "name:" attribute prefixes are not
/// written as PNG text).
fn is_format_name(prefix: &str) -> bool {
    [
        "openexr",
        "tiff",
        "jpeg",
        "bmp",
        "cineon",
        "dds",
        "dpx",
        "fits",
        "gif",
        "hdr",
        "ico",
        "iff",
        "jpeg2000",
        "jpegxl",
        "null",
        "png",
        "pnm",
        "psd",
        "rla",
        "sgi",
        "softimage",
        "targa",
        "webp",
        "zfile",
        "raw",
        "heif",
        "openvdb",
        "ptex",
        "ffmpeg",
        "r3d",
        "term",
    ]
    .contains(&prefix)
}

/// "YYYY:MM:DD HH:MM:SS" (or with '-' / '/' in the date) as a tIME body.
fn scan_datetime(s: &str) -> Option<[u8; 7]> {
    let nums: Vec<i64> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|t| !t.is_empty())
        .take(6)
        .map(|t| t.parse().unwrap_or(0))
        .collect();
    if nums.len() < 6 {
        return None;
    }
    let y = (nums[0] as u16).to_be_bytes();
    Some([
        y[0],
        y[1],
        nums[1] as u8,
        nums[2] as u8,
        nums[3] as u8,
        nums[4] as u8,
        nums[5] as u8,
    ])
}

/// Write every image as an entry: header, directory, then the data of each
/// entry in order (the layout OIIO's appending writer ends up with).
pub fn write_all(path: &Path, images: &[(&ImageSpec, &[u8])]) -> Result<(), IoError> {
    if images.is_empty() {
        return Err(IoError::Write("ico: nothing to write".into()));
    }
    let mut encoded = Vec::with_capacity(images.len());
    // OIIO's writer never sets the bit count for PNG entries: they get
    // the previous DIB entry's (0 before any).
    let mut last_dib_bpp = 0;
    for (spec, pixels) in images {
        check_output(spec)?;
        let need = spec.image_bytes(true);
        if (pixels.len() as u64) < need {
            return Err(IoError::Write(format!(
                "ico: {} bytes of pixels given, {need} needed",
                pixels.len()
            )));
        }
        let want_png = spec
            .extra_attribs
            .get("ico:PNG", TypeDesc::INT, false)
            .is_some_and(|p| p.get_int(0) != 0)
            || spec.width == 256
            || spec.height == 256;
        let mut e = if want_png {
            encode_png(spec, pixels)?
        } else {
            encode_dib(spec, pixels)
        };
        if want_png {
            e.bpp = last_dib_bpp;
        } else {
            last_dib_bpp = e.bpp;
        }
        encoded.push(e);
    }
    let n = encoded.len();
    let mut out = Vec::new();
    out.extend_from_slice(&0i16.to_le_bytes());
    out.extend_from_slice(&1i16.to_le_bytes());
    out.extend_from_slice(&(n as i16).to_le_bytes());
    let mut offset = 6 + 16 * n;
    for e in &encoded {
        out.extend_from_slice(&[e.w, e.h, 0, 0]);
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&e.bpp.to_le_bytes());
        out.extend_from_slice(&e.len.to_le_bytes());
        out.extend_from_slice(&(offset as u32).to_le_bytes());
        offset += e.data.len();
    }
    for e in &encoded {
        out.extend_from_slice(&e.data);
    }
    let mut file = File::create(path).map_err(|_| IoError::Write(format!("Could not open \"{}\"", path.display())))?;
    file.write_all(&out).map_err(|_| IoError::Write("Write error".into()))
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
        std::env::temp_dir().join(format!("vfx_io_ico_{}_{n}.{ext}", std::process::id()))
    }

    fn with_file<T>(bytes: &[u8], f: impl FnOnce(&Path) -> T) -> T {
        let p = scratch("ico");
        std::fs::write(&p, bytes).unwrap();
        let r = f(&p);
        let _ = std::fs::remove_file(&p);
        r
    }

    fn read_all(bytes: &[u8]) -> Result<Vec<(ImageSpec, Vec<u8>)>, IoError> {
        with_file(bytes, |p| {
            let mut r = open(p, None)?;
            let mut out = Vec::new();
            for s in 0.. {
                let Some(spec) = r.spec(s, 0) else { break };
                out.push((spec, r.read_image(s, 0)?.bytes().to_vec()));
            }
            Ok(out)
        })
    }

    fn write_bytes(images: &[(&ImageSpec, &[u8])]) -> Vec<u8> {
        let p = scratch("ico");
        write_all(&p, images).unwrap();
        let b = std::fs::read(&p).unwrap();
        let _ = std::fs::remove_file(&p);
        b
    }

    #[test]
    fn registry_entry() {
        assert_eq!(FORMAT.name, "ico");
        assert!(sniff(&[0, 0, 1, 0, 1, 0]));
        assert!(!sniff(&[0, 0, 2, 0, 1, 0]));
        assert!(!sniff(&[0, 0, 1, 0, 0, 0]));
        assert_eq!(supports("multiimage"), 1);
    }

    #[test]
    fn dib_round_trips_as_subimages() {
        let s4 = ImageSpec::new(9, 3, 4, TypeDesc::UINT8);
        let p4: Vec<u8> = (0..9 * 3 * 4)
            .map(|i| if i % 4 == 3 { 255 } else { (i * 5) as u8 })
            .collect();
        let s3 = ImageSpec::new(5, 2, 3, TypeDesc::UINT8);
        let p3: Vec<u8> = (0..30).map(|i| (i * 7) as u8).collect();
        let s1 = ImageSpec::new(4, 4, 1, TypeDesc::UINT8);
        let p1: Vec<u8> = (0..16).map(|i| (i * 16) as u8).collect();
        let file = write_bytes(&[(&s4, &p4), (&s3, &p3), (&s1, &p1)]);
        let subs = read_all(&file).unwrap();
        assert_eq!(subs.len(), 3);
        assert_eq!(subs[0].1, p4);
        assert_eq!(subs[0].0.get_int_attribute("oiio:BitsPerSample", 0), 8);
        let rgba3: Vec<u8> = p3.chunks(3).flat_map(|c| [c[0], c[1], c[2], 255]).collect();
        assert_eq!(subs[1].1, rgba3);
        assert_eq!(subs[1].0.get_int_attribute("oiio:BitsPerSample", 0), 7);
        let grey: Vec<u8> = p1.iter().flat_map(|&v| [v, v, v, 255]).collect();
        assert_eq!(subs[2].1, grey);
    }

    #[test]
    fn alpha_mask_threshold() {
        let s = ImageSpec::new(2, 1, 2, TypeDesc::UINT8);
        let file = write_bytes(&[(&s, &[10, 127, 20, 128])]);
        let subs = read_all(&file).unwrap();
        // 32-bit entries keep their alpha values; the mask is still written.
        assert_eq!(subs[0].1, [10, 10, 10, 127, 20, 20, 20, 128]);
        let mask_at = 6 + 16 + 40 + 8;
        assert_eq!(file[mask_at], 0x80);
    }

    #[test]
    fn png_entries() {
        let s = ImageSpec::new(3, 2, 4, TypeDesc::UINT8);
        let px: Vec<u8> = (0..24).map(|i| (i * 10) as u8).collect();
        let mut sp = s.clone();
        sp.attribute_int("ico:PNG", 1);
        sp.attribute_str("ImageDescription", "hi");
        let mut file = write_bytes(&[(&sp, &px)]);
        // As OIIO, the entry's bit count is 0, which the reader refuses...
        assert_eq!(
            read_all(&file).unwrap_err().to_string(),
            unsupported_depth().to_string()
        );
        // ...but with a sane bit count the PNG reads back.
        file[12] = 32;
        let subs = read_all(&file).unwrap();
        assert_eq!(subs[0].1, px);
        let spec = &subs[0].0;
        assert_eq!(spec.get_int_attribute("oiio:UnassociatedAlpha", 0), 1);
        assert_eq!(spec.get_int_attribute("oiio:BitsPerSample", 0), 2);
        assert_eq!(spec.get_string_attribute("ImageDescription", ""), "hi");
        assert_eq!(spec.get_string_attribute("oiio:ColorSpace", ""), "srgb_rec709_scene");
    }

    #[test]
    fn corrupt_input_fails_cleanly() {
        let msg = |b: &[u8]| read_all(b).unwrap_err().to_string();
        assert_eq!(msg(&[0, 0, 1]), "Read error: hit end of file in ico reader");
        assert_eq!(msg(&[0, 0, 2, 0, 1, 0]), "File failed ICO header check");
        assert_eq!(msg(&[0, 0, 1, 0, 0, 0]), "");
        assert_eq!(msg(&[0, 0, 1, 0, 1, 0, 4]), "Read error: hit end of file in ico reader");
        let s = ImageSpec::new(8, 8, 3, TypeDesc::UINT8);
        let good = write_bytes(&[(&s, &[50u8; 192])]);
        for cut in [22, 30, 62, 100, good.len() - 1] {
            assert!(read_all(&good[..cut]).is_err(), "cut {cut}");
        }
        let mut b = good.clone();
        b[9] = 3;
        assert!(msg(&b).contains("reserved"));
        let mut b = good.clone();
        b[22 + 14] = 16;
        assert_eq!(msg(&b), unsupported_depth().to_string());
        // An 8-bit palette entry whose pixels index past the palette.
        let mut b = good.clone();
        b[22 + 14] = 8;
        b[8] = 2;
        assert!(read_all(&b).is_err());
        // A truncated PNG entry.
        let mut sp = s.clone();
        sp.attribute_int("ico:PNG", 1);
        let mut png = write_bytes(&[(&sp, &[50u8; 192])]);
        png[12] = 24;
        let n = png.len();
        assert!(read_all(&png[..n - 30]).is_err());
    }
}

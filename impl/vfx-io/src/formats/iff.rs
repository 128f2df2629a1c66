//! Maya IFF files (.iff, .z), read and written as OpenImageIO 3.2.2 does.
//!
//! An IFF file is a tree of big-endian chunks: `FOR4` groups hold a `CIMG`
//! image whose `TBHD` header gives size, channel flags (RGB, alpha, Z),
//! 8/16-bit depth, tile count, compression and origin, optional `AUTH` and
//! `DATE` strings, and a `TBMP` group of `RGBA` and `ZBUF` tiles. Tiles are
//! stored bottom row first; each is verbatim (channels reversed, values
//! big-endian) or run-length encoded one byte plane at a time.
//!
//! Reading follows OIIO: uint8 or uint16 RGB(A), plus a float `Z` channel
//! (per-channel formats, so the image is handed over as float: the engine
//! reads a file with mixed channel types in the widest of them), the data
//! origin from the header (the display window stays at 0,0), the tile size
//! of the first RGBA tile, `compression` = "rle", `Artist` and `DateTime`.
//!
//! Writing follows OIIO: uint8 or uint16 (anything else becomes uint16),
//! 3-5 channels with a Z channel stored as float, 64x64 tiles, RLE unless
//! `compression` is "none" (a tile is stored verbatim when RLE does not
//! shrink it). Two deliberate differences from OIIO's writer, both so that
//! OIIO's own reader reads the file back correctly: verbatim tiles whose
//! size is not a multiple of 4 get their padding bytes (OIIO omits them and
//! produces unreadable files), and 16-bit RLE alpha planes are stored high
//! byte first as the reader expects (OIIO's writer swaps them).

use crate::{Format, IoError, Reader};
use rayon::prelude::*;
use std::io::Write;
use std::path::Path;
use vfx_core::convert::convert_bytes;
use vfx_core::{globals, ImageSpec, PixelData, TypeDesc};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "iff",
    extensions: &["iff", "z"],
    sniff,
    open: Some(open),
    write: Some(write_request),
    supports,
};

/// The writer's feature list (OIIO's reader only answers "ioproxy").
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(
        feature,
        "tiles" | "alpha" | "nchannels" | "ioproxy" | "origin" | "channelformats"
    ))
}

/// True if the file starts with a `FOR4` chunk holding a `CIMG`.
pub fn sniff(head: &[u8]) -> bool {
    head.len() >= 12 && &head[0..4] == b"FOR4" && &head[8..12] == b"CIMG"
}

const FLAG_RGB: u32 = 1;
const FLAG_ALPHA: u32 = 2;
const FLAG_ZBUFFER: u32 = 4;
const FLAG_BLACK: u32 = 0x10;
const TILE: usize = 64;

fn corrupt(m: impl Into<String>) -> IoError {
    IoError::Corrupt(m.into())
}

fn align4(v: u64) -> u64 {
    (v + 3) & !3
}

/// Join error messages as OIIO accumulates them.
fn join_errors(first: &str, second: &str) -> String {
    if first.is_empty() {
        second.to_string()
    } else if first.ends_with('\n') {
        format!("{first}{second}")
    } else {
        format!("{first}\n{second}")
    }
}

// ---------------------------------------------------------------------------
// Reader

/// What the header says.
#[derive(Clone, Debug, Default)]
struct Header {
    x: u32,
    y: u32,
    width: u32,
    height: u32,
    compression: u32,
    rgba_bits: u32,
    rgba_count: usize,
    tiles: u16,
    tile_width: u32,
    tile_height: u32,
    zbuffer: bool,
    author: Vec<u8>,
    date: Vec<u8>,
    tbmp_start: usize,
}

impl Header {
    fn channel_bytes(&self) -> usize {
        (self.rgba_bits / 8) as usize
    }
    fn rgba_bytes(&self) -> usize {
        self.channel_bytes() * self.rgba_count
    }
    fn pixel_bytes(&self) -> usize {
        self.rgba_bytes() + if self.zbuffer { 4 } else { 0 }
    }
    fn image_bytes(&self) -> u64 {
        self.pixel_bytes() as u64 * u64::from(self.width) * u64::from(self.height)
    }
}

/// A cursor over the file bytes with OIIO's read failure rules.
struct Cursor<'a> {
    b: &'a [u8],
    pos: usize,
    /// The first error message (OIIO keeps them all; the first explains).
    err: String,
}

impl<'a> Cursor<'a> {
    fn fail(&mut self, m: impl AsRef<str>) {
        self.err = join_errors(&self.err, m.as_ref());
    }
    fn bytes(&mut self, n: usize) -> Option<&'a [u8]> {
        match self.b.get(self.pos..self.pos.checked_add(n)?) {
            Some(s) => {
                self.pos += n;
                Some(s)
            }
            None => {
                self.fail("Read error: hit end of file in iff reader");
                self.pos = self.b.len();
                None
            }
        }
    }
    fn u16(&mut self) -> Option<u16> {
        self.bytes(2).map(|s| u16::from_be_bytes([s[0], s[1]]))
    }
    fn u32(&mut self) -> Option<u32> {
        self.bytes(4).map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn tag(&mut self) -> Option<[u8; 4]> {
        self.bytes(4).map(|s| [s[0], s[1], s[2], s[3]])
    }
    /// Seek forward (a seek past the end is allowed; reads then fail).
    fn skip(&mut self, n: u64) {
        self.pos = (self.pos as u64).saturating_add(n).min(usize::MAX as u64) as usize;
    }
    /// A chunk's type and size; the size must fit in the file.
    fn chunk(&mut self) -> Option<([u8; 4], u32)> {
        let Some(t) = self.tag() else {
            self.fail("IFF error io could not read chunk");
            return None;
        };
        let Some(size) = self.u32() else {
            self.fail("IFF error io could not read chunk");
            return None;
        };
        if self.pos as u64 + u64::from(size) > self.b.len() as u64 {
            let m = format!(
                "nonsensical chunk size {size} at position {} file size {}\n",
                self.pos,
                self.b.len()
            );
            self.fail(m);
            return None;
        }
        Some((t, size))
    }
}

/// Walk the chunks up to the first RGBA tile header, as OIIO does.
fn read_header(c: &mut Cursor<'_>) -> Option<Header> {
    let mut h = Header::default();
    loop {
        let (t, size) = c.chunk()?;
        if &t != b"FOR4" {
            c.skip(align4(u64::from(size)));
            continue;
        }
        let Some(kind) = c.tag() else {
            c.fail("IFF error io read failed for type");
            return None;
        };
        if &kind != b"CIMG" {
            continue;
        }
        loop {
            let (t, size) = c.chunk()?;
            if &t != b"TBHD" {
                c.skip(align4(u64::from(size)));
                continue;
            }
            if size != 24 && size != 32 {
                c.fail(format!("IFF error Bad table header size {size}"));
                return None;
            }
            h.width = c.u32()?;
            h.height = c.u32()?;
            let _prnum = c.u16()?;
            let _prden = c.u16()?;
            let flags = c.u32()?;
            let bytes = c.u16()?;
            h.tiles = c.u16()?;
            h.compression = c.u32()?;
            if size == 32 {
                h.x = c.u32()?;
                h.y = c.u32()?;
            }
            if h.tiles == 0 {
                c.fail("IFF error non-tiles are not supported");
                return None;
            }
            if h.compression > 1 {
                c.fail("IFF error only RLE compression is supported");
                return None;
            }
            if flags & (FLAG_RGB | FLAG_ALPHA) != 0 {
                if flags & FLAG_BLACK != 0 {
                    c.fail(format!("Invalid header flag combination {flags:x}"));
                    return None;
                }
                if flags & FLAG_RGB != 0 {
                    h.rgba_count = 3;
                }
                if flags & FLAG_ALPHA != 0 {
                    h.rgba_count += 1;
                }
                h.rgba_bits = if bytes != 0 { 16 } else { 8 };
                h.zbuffer = flags & FLAG_ZBUFFER != 0;
            } else if flags & FLAG_ZBUFFER != 0 {
                c.fail("IFF error ZBUFFER-only (Z-depth) images are not supported");
                return None;
            }
            if h.rgba_count != 3 && h.rgba_count != 4 {
                c.fail(format!(
                    "IFF error unsupported channel configuration (flags {flags:#x})"
                ));
                return None;
            }
            loop {
                let (t, size) = c.chunk()?;
                let csize = align4(u64::from(size));
                match &t {
                    b"AUTH" => {
                        let s = c.bytes(csize as usize)?;
                        h.author = s[..size as usize].to_vec();
                    }
                    b"DATE" => {
                        // OIIO keeps the padding too.
                        h.date = c.bytes(csize as usize)?.to_vec();
                    }
                    b"FOR4" => {
                        let kind = c.tag()?;
                        if &kind != b"TBMP" {
                            c.skip(csize);
                            continue;
                        }
                        h.tbmp_start = c.pos;
                        for _ in 0..h.tiles {
                            let (t, size) = c.chunk()?;
                            if &t == b"RGBA" {
                                let (xmin, ymin, xmax, ymax) = (c.u16()?, c.u16()?, c.u16()?, c.u16()?);
                                if xmin > xmax
                                    || ymin > ymax
                                    || u32::from(xmax) >= h.width
                                    || u32::from(ymax) >= h.height
                                {
                                    return None;
                                }
                                h.tile_width = u32::from(xmax - xmin) + 1;
                                h.tile_height = u32::from(ymax - ymin) + 1;
                                return Some(h);
                            }
                            c.skip(align4(u64::from(size)));
                        }
                    }
                    _ => c.skip(csize),
                }
            }
        }
    }
}

/// A string chunk as OIIO's string attributes show it: up to the first NUL
/// (the padding OIIO keeps in the value is invisible through its API).
fn text(b: &[u8]) -> String {
    let end = b.iter().position(|&c| c == 0).unwrap_or(b.len());
    String::from_utf8_lossy(&b[..end]).into_owned()
}

/// OIIO's generic open-time checks for this format's limits.
fn check_open(spec: &ImageSpec) -> Result<(), String> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    let max = 1 << 16;
    if w <= 0 || h <= 0 || n <= 0 {
        return Err(format!(
            "iff image resolution must be at least 1x1, but the file specified {w}x{h}x1, {n} chans. Possible corrupt input?"
        ));
    }
    if w > max || h > max {
        return Err(format!(
            "iff image resolution may not exceed {max}x{max}, but the file appears to be {w}x{h}. Possible corrupt input?"
        ));
    }
    let max_res = globals::get_int_attribute("limits:resolution", 1 << 20);
    if max_res > 0 && (w > max_res || h > max_res) {
        return Err(format!(
            "iff image dimension {w}x{h} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\"."
        ));
    }
    let max_mb = globals::get_int_attribute("limits:imagesize_MB", 0);
    let bytes = spec.image_bytes(true);
    if max_mb > 0 && bytes > (max_mb as u64) << 20 {
        return Err(format!(
            "Uncompressed image size {:.1} MB exceeds the {max_mb} MB limit.\nImage claimed to be {w}x{h}, {n}-channel {}. Possible corrupt input?\nIf this is a valid file, raise the OIIO attribute \"limits:imagesize_MB\".",
            bytes as f32 / (1u64 << 20) as f32,
            spec.format
        ));
    }
    if spec.tile_width > max || spec.tile_height > max {
        return Err(format!(
            "iff tile size may not exceed {max}x{max}x1, but was {}x{}x1. Possible corrupt input?",
            spec.tile_width, spec.tile_height
        ));
    }
    Ok(())
}

/// `FORMAT.open`.
pub fn open(path: &Path, _config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let data = std::fs::read(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    let (header, spec) = parse(path, &data)?;
    Ok(Box::new(IffReader { header, spec, data }))
}

fn parse(path: &Path, data: &[u8]) -> Result<(Header, ImageSpec), IoError> {
    let mut c = Cursor {
        b: data,
        pos: 0,
        err: String::new(),
    };
    let Some(h) = read_header(&mut c) else {
        return Err(corrupt(join_errors(&c.err, "IFF error could not read header")));
    };
    let ty = if h.rgba_bits == 8 {
        TypeDesc::UINT8
    } else {
        TypeDesc::UINT16
    };
    let nch = h.rgba_count as i32 + i32::from(h.zbuffer);
    let mut spec = ImageSpec::new(h.width as i32, h.height as i32, nch, ty);
    if h.zbuffer {
        spec.channelformats = vec![ty; nch as usize];
        *spec.channelformats.last_mut().expect("channels") = TypeDesc::FLOAT;
        spec.channelnames = ["R", "G", "B"].iter().map(|s| s.to_string()).collect();
        spec.alpha_channel = -1;
        if h.rgba_count == 4 {
            spec.alpha_channel = 3;
            spec.channelnames.push("A".into());
        }
        spec.z_channel = spec.channelnames.len() as i32;
        spec.channelnames.push("Z".into());
        // The engine hands mixed-type images over in the widest type.
        spec.format = TypeDesc::FLOAT;
    }
    spec.x = h.x as i32;
    spec.y = h.y as i32;
    spec.full_width = h.width as i32;
    spec.full_height = h.height as i32;
    if h.tile_width > 0 && h.tile_height > 0 {
        spec.tile_width = h.tile_width as i32;
        spec.tile_height = h.tile_height as i32;
        spec.tile_depth = 1;
    } else {
        return Err(corrupt(format!("\"{}\": wrong tile size", path.display())));
    }
    if h.compression == 1 {
        spec.attribute_str("compression", "rle");
    }
    if !h.author.is_empty() {
        spec.attribute_str("Artist", &text(&h.author));
    }
    if !h.date.is_empty() {
        spec.attribute_str("DateTime", &text(&h.date));
    }
    check_open(&spec).map_err(corrupt)?;
    let declared = h.image_bytes();
    let file_size = data.len() as u64;
    if declared >= 1 << 30 && declared > file_size.saturating_mul(10000) {
        return Err(corrupt(format!(
            "iff header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            declared >> 20
        )));
    }
    Ok((h, spec))
}

struct IffReader {
    header: Header,
    spec: ImageSpec,
    data: Vec<u8>,
}

/// One tile found in the TBMP group.
struct TileRef {
    zbuf: bool,
    xmin: usize,
    ymin: usize,
    tw: usize,
    th: usize,
    rle: bool,
    /// The tile's payload (after the coordinates, padding included).
    start: usize,
    len: usize,
}

/// Decode one RLE byte plane of up to `out.len()` bytes from `input` as
/// OIIO does (a packet that would overflow ends the plane; missing data
/// leaves zeros); returns the input bytes consumed.
fn unrle_plane(input: &[u8], out: &mut [u8]) -> usize {
    let (mut i, mut o) = (0usize, 0usize);
    while o < out.len() && i < input.len() {
        let hdr = input[i];
        i += 1;
        let count = usize::from(hdr & 0x7f) + 1;
        if hdr & 0x80 == 0 {
            if i + count > input.len() || o + count > out.len() {
                break;
            }
            out[o..o + count].copy_from_slice(&input[i..i + count]);
            i += count;
        } else {
            if i >= input.len() || o + count > out.len() {
                break;
            }
            out[o..o + count].fill(input[i]);
            i += 1;
        }
        o += count;
    }
    i
}

impl IffReader {
    /// Find every tile chunk (sequential: the chunk structure decides).
    fn scan(&self) -> Result<Vec<TileRef>, IoError> {
        let h = &self.header;
        let mut c = Cursor {
            b: &self.data,
            pos: h.tbmp_start,
            err: String::new(),
        };
        let avail = (self.data.len() as u64).saturating_sub(h.tbmp_start as u64);
        let plausible = if h.compression == 1 {
            avail.saturating_mul(128)
        } else {
            avail
        };
        if h.image_bytes() > plausible {
            return Err(corrupt(format!(
                "IFF error: header claims image size {} bytes, implausible for {avail} bytes of remaining tile data",
                h.image_bytes()
            )));
        }
        let (w, hh) = (h.width as usize, h.height as usize);
        let (mut rgba_tiles, mut z_tiles) = (0u16, 0u16);
        let mut tiles = Vec::new();
        let fail = |c: &Cursor<'_>| corrupt(c.err.clone());
        while rgba_tiles < h.tiles || (h.zbuffer && z_tiles < h.tiles) {
            let Some((t, size)) = c.chunk() else {
                return Err(fail(&c));
            };
            let csize = align4(u64::from(size));
            let zbuf = match &t {
                b"RGBA" => false,
                b"ZBUF" => true,
                _ => {
                    c.skip(csize);
                    continue;
                }
            };
            let coords = (c.u16(), c.u16(), c.u16(), c.u16());
            let (Some(xmin), Some(ymin), Some(xmax), Some(ymax)) = coords else {
                c.fail("IFF error io read xmin, ymin, xmax and ymax failed");
                return Err(fail(&c));
            };
            if !zbuf && csize <= 8 {
                return Err(corrupt(format!("nonsensical RGBA chunk size {size} (must be > 8)\n")));
            }
            let len = csize.saturating_sub(8) as usize;
            if xmin > xmax || ymin > ymax || usize::from(xmax) >= w || usize::from(ymax) >= hh {
                return Err(corrupt("IFF error io xmin, ymin, xmax or ymax does not match"));
            }
            let (tw, th) = (usize::from(xmax - xmin) + 1, usize::from(ymax - ymin) + 1);
            let bpp = if zbuf { 4 } else { h.rgba_bytes() };
            let rle = (tw * th * bpp + 8) as u64 > u64::from(size);
            let start = c.pos;
            if c.bytes(len).is_none() {
                return Err(fail(&c));
            }
            if !zbuf && h.rgba_bits != 8 && h.rgba_bits != 16 {
                return Err(corrupt("iff: unsupported number of bits per pixel for tile"));
            }
            tiles.push(TileRef {
                zbuf,
                xmin: usize::from(xmin),
                ymin: usize::from(ymin),
                tw,
                th,
                rle,
                start,
                len,
            });
            if zbuf {
                z_tiles = z_tiles.wrapping_add(1);
            } else {
                rgba_tiles = rgba_tiles.wrapping_add(1);
            }
        }
        Ok(tiles)
    }

    /// One tile's pixels in native layout: `bpp` bytes per pixel (RGBA
    /// values native-endian, or a native float Z), rows as in the file.
    fn decode_tile(&self, t: &TileRef) -> Result<Vec<u8>, IoError> {
        let h = &self.header;
        let src = &self.data[t.start..t.start + t.len];
        let n = t.tw * t.th;
        let bpp = if t.zbuf { 4 } else { h.rgba_bytes() };
        let mut out = vec![0u8; n * bpp];
        if t.rle {
            // Byte planes, each to one byte position of the pixel.
            let order: Vec<usize> = if t.zbuf {
                vec![3, 2, 1, 0]
            } else if h.rgba_bits == 8 {
                (0..h.rgba_count).rev().collect()
            } else {
                rle16_planes(h.rgba_count)
            };
            let mut plane = vec![0u8; n];
            let mut rest = src;
            for &at in &order {
                plane.fill(0);
                let used = unrle_plane(rest, &mut plane);
                rest = &rest[used..];
                for (i, &v) in plane.iter().enumerate() {
                    out[i * bpp + at] = v;
                }
            }
            if t.zbuf && cfg!(target_endian = "big") {
                for p in out.chunks_exact_mut(4) {
                    p.reverse();
                }
            }
            return Ok(out);
        }
        if src.len() < n * bpp {
            return Err(corrupt(if t.zbuf {
                "scratch buffer too small for uncompressed zbuffer"
            } else {
                "iff: input span overflow"
            }));
        }
        if t.zbuf {
            for (o, i) in out.chunks_exact_mut(4).zip(src.chunks_exact(4)) {
                o.copy_from_slice(&f32::from_be_bytes([i[0], i[1], i[2], i[3]]).to_ne_bytes());
            }
        } else if h.rgba_bits == 8 {
            for (o, i) in out.chunks_exact_mut(bpp).zip(src.chunks_exact(bpp)) {
                for (d, s) in o.iter_mut().zip(i.iter().rev()) {
                    *d = *s;
                }
            }
        } else {
            let nc = h.rgba_count;
            for (o, i) in out.chunks_exact_mut(bpp).zip(src.chunks_exact(bpp)) {
                for c in 0..nc {
                    let s = nc - 1 - c;
                    let v = u16::from_be_bytes([i[2 * s], i[2 * s + 1]]);
                    o[2 * c..2 * c + 2].copy_from_slice(&v.to_ne_bytes());
                }
            }
        }
        Ok(out)
    }

    fn read_all(&self) -> Result<PixelData, IoError> {
        let h = &self.header;
        let tiles = self.scan()?;
        let decoded: Vec<Result<Vec<u8>, IoError>> = tiles.par_iter().map(|t| self.decode_tile(t)).collect();
        let (w, hh) = (h.width as usize, h.height as usize);
        let pb = h.pixel_bytes();
        let rb = h.rgba_bytes();
        // Without Z the native layout is the output; with Z it is
        // converted to float afterwards.
        let out_len = self.spec.image_bytes(false) as usize;
        let mut out = PixelData::zeroed(out_len).map_err(|e| corrupt(e.to_string()))?;
        let mut scratch = Vec::new();
        let native: &mut [u8] = if h.zbuffer {
            scratch = vec![0u8; w * hh * pb];
            &mut scratch
        } else {
            out.bytes_mut()
        };
        for (t, px) in tiles.iter().zip(decoded) {
            let px = px?;
            let (bpp, off) = if t.zbuf { (4, rb) } else { (rb, 0) };
            for ty in 0..t.th {
                // File rows run bottom to top.
                let row = hh - 1 - (t.ymin + ty);
                let at = (row * w + t.xmin) * pb;
                let src = &px[ty * t.tw * bpp..(ty + 1) * t.tw * bpp];
                if bpp == pb {
                    native[at..at + t.tw * pb].copy_from_slice(src);
                } else {
                    let dst = native[at..at + t.tw * pb].chunks_exact_mut(pb);
                    for (d, s) in dst.zip(src.chunks_exact(bpp)) {
                        d[off..off + bpp].copy_from_slice(s);
                    }
                }
            }
        }
        if !h.zbuffer {
            return Ok(out);
        }
        let native = scratch;
        // Mixed types: every channel as float.
        let nch = h.rgba_count + 1;
        let src_ty = if h.rgba_bits == 8 {
            TypeDesc::UINT8
        } else {
            TypeDesc::UINT16
        };
        out.bytes_mut()
            .par_chunks_mut(w * nch * 4)
            .zip(native.par_chunks(w * pb))
            .for_each(|(o, i)| {
                for (op, ip) in o.chunks_exact_mut(nch * 4).zip(i.chunks_exact(pb)) {
                    convert_bytes(
                        &ip[..rb],
                        src_ty.basetype,
                        &mut op[..rb / src_ty.size() * 4],
                        TypeDesc::FLOAT.basetype,
                    );
                    op[(nch - 1) * 4..].copy_from_slice(&ip[rb..rb + 4]);
                }
            });
        Ok(out)
    }
}

/// Byte positions (in a native-endian pixel of `n` uint16 values) of the
/// RLE byte planes of a 16-bit tile, in file order: every channel's high
/// byte from the last channel down, then the low bytes likewise.
fn rle16_planes(n: usize) -> Vec<usize> {
    let (hi, lo) = if cfg!(target_endian = "little") { (1, 0) } else { (0, 1) };
    let mut v: Vec<usize> = (0..n).rev().map(|c| 2 * c + hi).collect();
    v.extend((0..n).rev().map(|c| 2 * c + lo));
    v
}

impl Reader for IffReader {
    fn format_name(&self) -> &'static str {
        "iff"
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
}

// ---------------------------------------------------------------------------
// Writer

/// Append `input` RLE-encoded with OIIO's packet choices: a run of equal
/// bytes becomes a repeat packet, anything else a literal packet that stops
/// before three equal bytes; packets hold at most 128 bytes.
fn rle_plane(input: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    let n = input.len();
    while i < n {
        let max = 128.min(n - i);
        let s = &input[i..i + max];
        if max > 1 && s[0] == s[1] {
            let count = 1 + s.windows(2).take_while(|p| p[0] == p[1]).count();
            out.push(((count - 1) as u8 & 0x7f) | 0x80);
            out.push(s[0]);
            i += count;
        } else {
            let mut count = 1;
            let mut prev = 0u8;
            while count < max {
                if s[count - 1] == s[count] && prev == s[count - 1] {
                    count -= 2;
                    break;
                }
                prev = s[count - 1];
                count += 1;
            }
            out.push((count - 1) as u8);
            out.extend_from_slice(&s[..count]);
            i += count;
        }
    }
}

/// The registry's writer: IFF holds one image, the first subimage's top level.
fn write_request(path: &Path, req: &crate::WriteRequest<'_>) -> Result<(), IoError> {
    let level = req
        .subimages
        .first()
        .and_then(|s| s.first())
        .ok_or_else(|| IoError::Write("iff: nothing to write".into()))?;
    write(path, level.spec, level.pixels)
}

/// Write `pixels` (in `spec.format`, interleaved, top row first) as IFF.
pub fn write(path: &Path, spec: &ImageSpec, pixels: &[u8]) -> Result<(), IoError> {
    let bad = |m: String| Err(IoError::Unsupported(m));
    let (w, h, nch) = (spec.width, spec.height, spec.nchannels);
    if w > 8192 || h > 8192 {
        return bad(format!(
            "iff image resolution may not exceed 8192x8192, you asked for {w}x{h}"
        ));
    }
    if w <= 0 || h <= 0 {
        return bad(format!(
            "iff image resolution must be at least 1x1, you asked for {w}x{h}"
        ));
    }
    if spec.depth > 1 {
        return bad("iff does not support volume images (depth > 1)".into());
    }
    if !(0..=5).contains(&nch) {
        return bad(format!("iff does not support {nch}-channel images"));
    }
    if !(3..=5).contains(&nch) {
        return bad(format!(
            "Cannot write IFF file with {nch} channels (only RGB, RGBA, RGBAZ supported)"
        ));
    }
    let (w, h, nch) = (w as usize, h as usize, nch as usize);
    let has_z = spec.z_channel > 0 && (spec.z_channel as usize) < nch;
    let zc = if has_z { spec.z_channel as usize } else { usize::MAX };
    // The base type: the caller's type for the colour channels.
    let requested = spec
        .channelformats
        .iter()
        .enumerate()
        .find(|(i, _)| *i != zc)
        .map_or(spec.format, |(_, f)| *f);
    let base = if requested == TypeDesc::UINT8 || requested == TypeDesc::UINT16 {
        requested
    } else {
        TypeDesc::UINT16
    };
    let cb = base.size();
    let rgba_count = if has_z { nch - 1 } else { nch };
    let rb = rgba_count * cb;
    let pb = rb + if has_z { 4 } else { 0 };
    let in_px = nch * spec.format.size();
    if pixels.len() < in_px * w * h {
        return Err(IoError::Write(format!(
            "iff: {} bytes of pixels given, {} needed",
            pixels.len(),
            in_px * w * h
        )));
    }
    // Native pixels in channel order (Z as float), rows bottom to top.
    let mut native = vec![0u8; w * h * pb];
    native.par_chunks_mut(w * pb).enumerate().for_each(|(fy, row)| {
        let y = h - 1 - fy;
        let src = &pixels[y * w * in_px..(y + 1) * w * in_px];
        let fsz = spec.format.size();
        if !has_z {
            // One conversion for the whole row.
            convert_bytes(src, spec.format.basetype, row, base.basetype);
            return;
        }
        for (x, out) in row.chunks_exact_mut(pb).enumerate() {
            let mut at = 0;
            for c in 0..nch {
                let v = &src[(x * nch + c) * fsz..(x * nch + c + 1) * fsz];
                let ty = if c == zc { TypeDesc::FLOAT } else { base };
                let sz = ty.size();
                if at + sz <= pb {
                    convert_bytes(v, spec.format.basetype, &mut out[at..at + sz], ty.basetype);
                }
                at += sz;
            }
        }
    });
    let rle = spec.get_string_attribute("compression", "") != "none";
    let (xt, yt) = (w.div_ceil(TILE), h.div_ceil(TILE));
    let ntiles = xt * yt;
    // Every tile's chunks, encoded in parallel.
    let chunks: Vec<Vec<u8>> = (0..ntiles)
        .into_par_iter()
        .map(|t| {
            let (tx, ty) = (t % xt, t / xt);
            let (xmin, ymin) = (tx * TILE, ty * TILE);
            let (xmax, ymax) = ((xmin + TILE).min(w) - 1, (ymin + TILE).min(h) - 1);
            let (tw, th) = (xmax - xmin + 1, ymax - ymin + 1);
            let mut out = Vec::new();
            let planes_rgba: Vec<usize> = if cb == 1 {
                (0..rgba_count).rev().collect()
            } else {
                rle16_planes(rgba_count)
            };
            encode_tile(
                &mut out,
                b"RGBA",
                (xmin, ymin, xmax, ymax),
                rle,
                |o| gather_raw(&native, w, pb, (xmin, ymin, tw, th), 0, rgba_count, cb, o),
                |p| gather_plane(&native, w, pb, (xmin, ymin, tw, th), p),
                &planes_rgba,
                tw * th * rb,
            );
            if has_z {
                let planes_z: Vec<usize> = if cfg!(target_endian = "little") {
                    vec![rb + 3, rb + 2, rb + 1, rb]
                } else {
                    vec![rb, rb + 1, rb + 2, rb + 3]
                };
                encode_tile(
                    &mut out,
                    b"ZBUF",
                    (xmin, ymin, xmax, ymax),
                    rle,
                    |o| gather_raw(&native, w, pb, (xmin, ymin, tw, th), rb, 1, 4, o),
                    |p| gather_plane(&native, w, pb, (xmin, ymin, tw, th), p),
                    &planes_z,
                    tw * th * 4,
                );
            }
            out
        })
        .collect();
    // Header.
    let mut f = Vec::new();
    f.extend_from_slice(b"FOR4\0\0\0\0CIMGTBHD");
    f.extend_from_slice(&32u32.to_be_bytes());
    f.extend_from_slice(&(w as u32).to_be_bytes());
    f.extend_from_slice(&(h as u32).to_be_bytes());
    f.extend_from_slice(&1u16.to_be_bytes());
    f.extend_from_slice(&1u16.to_be_bytes());
    let mut flags = match rgba_count {
        3 => FLAG_RGB,
        4 => FLAG_RGB | FLAG_ALPHA,
        _ => 0,
    };
    if has_z {
        flags |= FLAG_ZBUFFER;
    }
    f.extend_from_slice(&flags.to_be_bytes());
    f.extend_from_slice(&u16::from(cb != 1).to_be_bytes());
    f.extend_from_slice(&(ntiles as u16).to_be_bytes());
    f.extend_from_slice(&u32::from(rle).to_be_bytes());
    f.extend_from_slice(&(spec.x as u32).to_be_bytes());
    f.extend_from_slice(&(spec.y as u32).to_be_bytes());
    for (tag, name) in [(b"AUTH", "Artist"), (b"DATE", "DateTime")] {
        let v = spec.get_string_attribute(name, "");
        if !v.is_empty() {
            f.extend_from_slice(tag);
            f.extend_from_slice(&(v.len() as u32).to_be_bytes());
            f.extend_from_slice(v.as_bytes());
            f.resize(align4(f.len() as u64) as usize, 0);
        }
    }
    let for4_start = f.len();
    f.extend_from_slice(b"FOR4\0\0\0\0TBMP");
    let total = f.len() + chunks.iter().map(Vec::len).sum::<usize>();
    let p0 = (total - 8) as u32;
    let p1 = p0.wrapping_sub(for4_start as u32);
    f[4..8].copy_from_slice(&p0.to_be_bytes());
    f[for4_start + 4..for4_start + 8].copy_from_slice(&p1.to_be_bytes());
    let file = std::fs::File::create(path)
        .map_err(|e| IoError::Write(format!("Could not open \"{}\": {e}", path.display())))?;
    let werr = |e: std::io::Error| IoError::Write(format!("Error writing to \"{}\": {e}", path.display()));
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    out.write_all(&f).map_err(werr)?;
    for c in &chunks {
        out.write_all(c).map_err(werr)?;
    }
    out.flush().map_err(werr)
}

/// One tile region: (xmin, ymin, width, height) in file rows.
type Region = (usize, usize, usize, usize);

/// Verbatim tile bytes: `count` values of `size` bytes from byte `off` of
/// each pixel, channels reversed, values big-endian.
#[allow(clippy::too_many_arguments)]
fn gather_raw(native: &[u8], w: usize, pb: usize, r: Region, off: usize, count: usize, size: usize, out: &mut Vec<u8>) {
    let (xmin, ymin, tw, th) = r;
    for y in ymin..ymin + th {
        for x in xmin..xmin + tw {
            let p = &native[(y * w + x) * pb + off..];
            for c in (0..count).rev() {
                let v = &p[c * size..(c + 1) * size];
                if cfg!(target_endian = "little") {
                    out.extend(v.iter().rev());
                } else {
                    out.extend_from_slice(v);
                }
            }
        }
    }
}

/// One byte plane (byte `at` of each pixel) of a tile.
fn gather_plane(native: &[u8], w: usize, pb: usize, r: Region, at: usize) -> Vec<u8> {
    let (xmin, ymin, tw, th) = r;
    let mut v = Vec::with_capacity(tw * th);
    for y in ymin..ymin + th {
        let row = &native[(y * w + xmin) * pb..(y * w + xmin + tw) * pb];
        v.extend(row.chunks_exact(pb).map(|p| p[at]));
    }
    v
}

/// Append one tile chunk: RLE planes when asked and smaller, else verbatim.
#[allow(clippy::too_many_arguments)]
fn encode_tile(
    out: &mut Vec<u8>,
    tag: &[u8; 4],
    coords: (usize, usize, usize, usize),
    rle: bool,
    raw: impl Fn(&mut Vec<u8>),
    plane: impl Fn(usize) -> Vec<u8>,
    planes: &[usize],
    raw_len: usize,
) {
    let mut body = Vec::new();
    let mut length = align4(raw_len as u64) as u32 + 8;
    let mut packed = false;
    if rle {
        for &p in planes {
            rle_plane(&plane(p), &mut body);
        }
        if body.len() < raw_len {
            packed = true;
            length = body.len() as u32 + 8;
        } else {
            body.clear();
        }
    }
    if !packed {
        raw(&mut body);
    }
    body.resize(align4(body.len() as u64) as usize, 0);
    out.extend_from_slice(tag);
    out.extend_from_slice(&length.to_be_bytes());
    for v in [coords.0, coords.1, coords.2, coords.3] {
        out.extend_from_slice(&(v as u16).to_be_bytes());
    }
    out.extend_from_slice(&body);
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn scratch() -> PathBuf {
        static N: AtomicUsize = AtomicUsize::new(0);
        let n = N.fetch_add(1, Ordering::Relaxed);
        std::env::temp_dir().join(format!("vfx_io_iff_{}_{n}.iff", std::process::id()))
    }

    fn read_bytes(bytes: &[u8]) -> Result<(ImageSpec, Vec<u8>), IoError> {
        let p = scratch();
        std::fs::write(&p, bytes).unwrap();
        let r = open(&p, None).and_then(|mut r| {
            let spec = r.spec(0, 0).unwrap();
            r.read_image(0, 0).map(|px| (spec, px.bytes().to_vec()))
        });
        let _ = std::fs::remove_file(&p);
        r
    }

    fn write_bytes(spec: &ImageSpec, pixels: &[u8]) -> Vec<u8> {
        let p = scratch();
        write(&p, spec, pixels).unwrap();
        let b = std::fs::read(&p).unwrap();
        let _ = std::fs::remove_file(&p);
        b
    }

    fn pattern(n: usize) -> Vec<u8> {
        (0..n).map(|i| ((i * 7) % 13 + (i / 97) % 5) as u8).collect()
    }

    #[test]
    fn registry_entry() {
        assert_eq!(FORMAT.name, "iff");
        assert!(sniff(b"FOR4\0\0\0\0CIMG"));
        assert!(!sniff(b"FORM\0\0\0\0ILBM"));
        assert_eq!(supports("tiles"), 1);
    }

    #[test]
    fn rle_packets() {
        let mut out = Vec::new();
        rle_plane(&[1, 2, 3, 3, 3, 4], &mut out);
        assert_eq!(out, [1, 1, 2, 0x82, 3, 0, 4]);
        out.clear();
        rle_plane(&[9; 300], &mut out);
        assert_eq!(out, [0xff, 9, 0xff, 9, 0xab, 9]);
        let mut back = vec![0u8; 300];
        assert_eq!(unrle_plane(&out, &mut back), out.len());
        assert_eq!(back, [9; 300]);
    }

    #[test]
    fn round_trips_every_layout() {
        for &(nch, fmt, comp, z) in &[
            (3, TypeDesc::UINT8, "rle", false),
            (3, TypeDesc::UINT8, "none", false),
            (4, TypeDesc::UINT8, "rle", false),
            (4, TypeDesc::UINT16, "rle", false),
            (4, TypeDesc::UINT16, "none", false),
            (3, TypeDesc::UINT16, "rle", false),
        ] {
            let (w, h) = (131, 67);
            let mut spec = ImageSpec::new(w, h, nch, fmt);
            spec.attribute_str("compression", comp);
            spec.attribute_str("Artist", "me");
            let px = pattern((w * h * nch) as usize * fmt.size());
            let file = write_bytes(&spec, &px);
            let (rspec, back) = read_bytes(&file).unwrap();
            assert_eq!(back, px, "{nch} {fmt:?} {comp} {z}");
            assert_eq!((rspec.tile_width, rspec.tile_height), (64, 64));
            assert_eq!(rspec.get_string_attribute("Artist", ""), "me");
            assert_eq!(
                rspec.get_string_attribute("compression", "none"),
                if comp == "rle" { "rle" } else { "none" }
            );
        }
    }

    #[test]
    fn z_channel_round_trip() {
        for comp in ["rle", "none"] {
            let (w, h) = (70, 65);
            let mut spec = ImageSpec::new(w, h, 5, TypeDesc::FLOAT);
            spec.channelnames[4] = "Z".into();
            spec.z_channel = 4;
            spec.channelformats = vec![
                TypeDesc::UINT8,
                TypeDesc::UINT8,
                TypeDesc::UINT8,
                TypeDesc::UINT8,
                TypeDesc::FLOAT,
            ];
            spec.attribute_str("compression", comp);
            let vals: Vec<f32> = (0..w * h * 5)
                .map(|i| {
                    if i % 5 == 4 {
                        i as f32 * 0.5
                    } else {
                        ((i % 256) as f32) / 255.0
                    }
                })
                .collect();
            let px: Vec<u8> = vals.iter().flat_map(|v| v.to_ne_bytes()).collect();
            let file = write_bytes(&spec, &px);
            let (rspec, back) = read_bytes(&file).unwrap();
            assert_eq!(rspec.z_channel, 4);
            assert_eq!(rspec.channelformats.len(), 5);
            let got: Vec<f32> = back
                .chunks(4)
                .map(|c| f32::from_ne_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            for (i, (g, v)) in got.iter().zip(&vals).enumerate() {
                assert!((g - v).abs() < 1e-6, "{comp} value {i}: {g} vs {v}");
            }
        }
    }

    #[test]
    fn odd_verbatim_tiles_are_padded() {
        let spec = {
            let mut s = ImageSpec::new(33, 33, 3, TypeDesc::UINT8);
            s.attribute_str("compression", "none");
            s
        };
        let px = pattern(33 * 33 * 3);
        let file = write_bytes(&spec, &px);
        assert_eq!(file.len() % 4, 0);
        assert_eq!(read_bytes(&file).unwrap().1, px);
    }

    #[test]
    fn corrupt_input_fails_cleanly() {
        let mut spec = ImageSpec::new(100, 70, 4, TypeDesc::UINT8);
        spec.attribute_str("DateTime", "2020:01:01 00:00:00");
        let px = pattern(100 * 70 * 4);
        let file = write_bytes(&spec, &px);
        assert!(read_bytes(&file).is_ok());
        for cut in (0..file.len()).step_by(97).chain([file.len() - 1]) {
            assert!(read_bytes(&file[..cut]).is_err(), "cut {cut}");
        }
        // Garbage in RLE data never panics.
        for i in (60..file.len()).step_by(13) {
            let mut b = file.clone();
            b[i] ^= 0xA5;
            let _ = read_bytes(&b);
        }
        let mut b = file.clone();
        b[12..16].copy_from_slice(&7u32.to_be_bytes());
        let e = read_bytes(&b).unwrap_err().to_string();
        assert!(e.contains("IFF error could not read header"), "{e}");
        // Absurd size from a small file.
        let mut b = file.clone();
        b[20..28].copy_from_slice(&[0, 0, 0xff, 0xff, 0, 0, 0xff, 0xff]);
        assert!(read_bytes(&b).is_err());
        assert!(read_bytes(&[0u8; 3]).is_err());
        assert!(read_bytes(b"FOR4\xff\xff\xff\xffCIMG").is_err());
    }
}

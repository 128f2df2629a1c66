//! Radiance HDR / RGBE (.hdr, .rgbe): 3-channel float images stored as
//! shared-exponent RGBE bytes, scanlines flat or run-length encoded — read
//! and written as OpenImageIO 3.2.2 does.
//!
//! Reading: the header is scanned in lines of at most 128 bytes as OIIO's
//! reader does; `FORMAT=32-bit_rle_rgbe` is required, `GAMMA=` names the
//! colour space (`g22_rec709_scene`...), `EXPOSURE=` becomes
//! `hdr:exposure`, and the resolution line's axis order becomes
//! `Orientation` (1-8). Each scanline is new-style RLE (a 2,2,hi,lo marker
//! then four channel runs) or flat RGBE pixels. Radiance's old-style
//! repeat pixels (1,1,1,n) are not expanded, exactly as OIIO reads them.
//! Pixels become float RGB `m * 2^(e-136)` (0 when `e` is 0).
//!
//! Writing: always `#?RADIANCE`, the FORMAT line and `-Y h +X w`; pixels
//! are converted to float and every scanline of 8..32767 pixels is RLE
//! encoded with OIIO's packet choices (so files are byte-identical).

use crate::{Format, IoError, Reader};
use rayon::prelude::*;
use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use vfx_core::convert::convert_bytes;
use vfx_core::{ImageSpec, PixelData, TypeDesc};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "hdr",
    extensions: &["hdr", "rgbe"],
    sniff,
    open: Some(open),
    write: Some(write_request),
    supports,
};

/// Reader and writer answer only "ioproxy".
pub fn supports(feature: &str) -> i32 {
    i32::from(feature == "ioproxy")
}

/// OIIO recognises an HDR file by its leading "#?".
pub fn sniff(head: &[u8]) -> bool {
    head.starts_with(b"#?")
}

fn corrupt(m: impl Into<String>) -> IoError {
    IoError::Corrupt(m.into())
}

/// OIIO's generic open-time checks, with HDR's size limit.
fn check_open(spec: &ImageSpec) -> Result<(), IoError> {
    let limits = crate::input::OpenLimits {
        width: 65535,
        height: 65535,
        depth: 1,
        nchannels: i32::MAX,
    };
    crate::input::check_open("hdr", spec, limits).map_err(corrupt)
}

/// OIIO's `set_colorspace_rec709_gamma`: name the colour space after a
/// gamma (rounded to hundredths) and keep `oiio:Gamma`.
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

// ---------------------------------------------------------------------------
// Header text, with OIIO Strutil's rules (whitespace: space, tab, CR, LF).

fn skip_ws(s: &[u8]) -> &[u8] {
    let n = s
        .iter()
        .take_while(|c| matches!(c, b' ' | b'\t' | b'\r' | b'\n'))
        .count();
    &s[n..]
}

/// Strutil::parse_prefix: skip whitespace, then consume `p` if it is next.
fn eat_prefix(s: &mut &[u8], p: &[u8]) -> bool {
    let t = skip_ws(s);
    if t.starts_with(p) {
        *s = &t[p.len()..];
        true
    } else {
        false
    }
}

/// Strutil::parse_int: optional sign and decimal digits, saturating.
fn eat_int(s: &mut &[u8]) -> Option<i32> {
    let t = skip_ws(s);
    let neg = t.first() == Some(&b'-');
    let mut i = usize::from(matches!(t.first(), Some(b'-' | b'+')));
    let start = i;
    let limit: i64 = if neg { 1 << 31 } else { (1 << 31) - 1 };
    let mut acc: i64 = 0;
    while let Some(c) = t.get(i).filter(|c| c.is_ascii_digit()) {
        acc = (acc * 10 + i64::from(c - b'0')).min(limit + 1);
        i += 1;
    }
    if i == start {
        return None;
    }
    *s = &t[i..];
    let acc = acc.min(limit);
    Some(if neg { (-acc) as i32 } else { acc as i32 })
}

/// Strutil::parse_float (C `strtof` on the leading text).
fn eat_float(s: &mut &[u8]) -> Option<f32> {
    let t = skip_ws(s);
    let mut i = usize::from(matches!(t.first(), Some(b'-' | b'+')));
    let digits = |from: usize| t[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let lower = |n: usize| t.get(i..i + n).map(|w| w.to_ascii_lowercase());
    if lower(3).as_deref() == Some(b"inf") || lower(3).as_deref() == Some(b"nan") {
        let word = lower(3)?;
        let n = if lower(8).as_deref() == Some(b"infinity") { 8 } else { 3 };
        let v = if word == b"inf" { f32::INFINITY } else { f32::NAN };
        *s = &t[i + n..];
        return Some(if t[0] == b'-' { -v } else { v });
    }
    let int_digits = digits(i);
    i += int_digits;
    let mut frac = 0;
    if t.get(i) == Some(&b'.') {
        frac = digits(i + 1);
        i += 1 + frac;
    }
    if int_digits + frac == 0 {
        return None;
    }
    if matches!(t.get(i), Some(b'e' | b'E')) {
        let mut k = i + 1;
        if matches!(t.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        let e = digits(k);
        if e > 0 {
            i = k + e;
        }
    }
    let text = std::str::from_utf8(&t[..i]).ok()?;
    let mut fixed = text.to_string();
    if fixed.ends_with('.') {
        fixed.push('0');
    }
    let v: f32 = fixed.replace(".e", ".0e").replace(".E", ".0E").parse().ok()?;
    *s = &t[i..];
    Some(v)
}

/// Strutil::parse_values with two ints: `prefix a sep b`.
fn parse_pair(line: &[u8], prefix: &[u8], sep: &[u8]) -> Option<(i32, i32)> {
    let mut s = line;
    if !eat_prefix(&mut s, prefix) {
        return None;
    }
    let a = eat_int(&mut s)?;
    if !eat_prefix(&mut s, sep) {
        return None;
    }
    let b = eat_int(&mut s)?;
    Some((a, b))
}

/// OIIO's header line reader: up to 128 bytes from `pos`, cut after the
/// first newline unless it is the last byte read; a CRLF ending reads as LF.
fn next_line(data: &[u8], pos: &mut usize) -> Option<Vec<u8>> {
    let chunk = &data[(*pos).min(data.len())..data.len().min(*pos + 128)];
    if chunk.is_empty() {
        return None;
    }
    let len = match chunk.iter().position(|&c| c == b'\n') {
        Some(i) if i + 1 < chunk.len() => i + 1,
        _ => chunk.len(),
    };
    *pos += len;
    let mut line = chunk[..len].to_vec();
    if line.ends_with(b"\r\n") {
        line.truncate(len - 2);
        line.push(b'\n');
    }
    Some(line)
}

struct Header {
    spec: ImageSpec,
    /// Where the pixel data starts.
    data_offset: usize,
}

fn early_eof(pos: usize, size: usize) -> IoError {
    corrupt(format!(
        "RGBE read error -- early end of file at position {pos}, asked for 128, got 0 bytes, file size {size}"
    ))
}

fn parse_header(data: &[u8]) -> Result<Header, IoError> {
    let mut pos = 0;
    let read = |pos: &mut usize| next_line(data, pos).ok_or_else(|| early_eof(*pos, data.len()));
    // The "#?PROGRAM" line (OIIO does not insist on it).
    read(&mut pos)?;
    let mut line = read(&mut pos)?;
    let mut spec = ImageSpec::new(1, 1, 3, TypeDesc::FLOAT);
    spec.set_colorspace("lin_rec709_scene");
    let mut found_format = false;
    for _ in 0..100 {
        if line.is_empty() || line[0] == b'\n' {
            break;
        }
        if line == b"FORMAT=32-bit_rle_rgbe\n" {
            found_format = true;
        } else {
            let mut s: &[u8] = &line;
            if eat_prefix(&mut s, b"GAMMA=") {
                if let Some(g) = eat_float(&mut s) {
                    set_colorspace_gamma(&mut spec, (1.0f64 / f64::from(g)) as f32);
                }
            } else {
                let mut s: &[u8] = &line;
                if eat_prefix(&mut s, b"EXPOSURE=") {
                    if let Some(e) = eat_float(&mut s) {
                        spec.attribute_float("hdr:exposure", e);
                    }
                }
            }
        }
        line = read(&mut pos)?;
    }
    if !found_format {
        return Err(corrupt("no FORMAT specifier found"));
    }
    if line != b"\n" {
        return Err(corrupt("missing blank line after FORMAT specifier"));
    }
    let line = read(&mut pos)?;
    const AXES: [(&[u8], &[u8], i32); 8] = [
        (b"-Y", b"+X", 1),
        (b"-Y", b"-X", 2),
        (b"+Y", b"-X", 3),
        (b"+Y", b"+X", 4),
        (b"+X", b"-Y", 5),
        (b"+X", b"+Y", 6),
        (b"-X", b"+Y", 7),
        (b"-X", b"-Y", 8),
    ];
    let (h, w, orientation) = AXES
        .iter()
        .find_map(|(a, b, o)| parse_pair(&line, a, b).map(|(h, w)| (h, w, *o)))
        .ok_or_else(|| corrupt("missing image size specifier"))?;
    spec.attribute_int("Orientation", orientation);
    spec.width = w;
    spec.height = h;
    spec.full_width = w;
    spec.full_height = h;
    Ok(Header { spec, data_offset: pos })
}

/// `FORMAT.open`: the header is read from the file's first 64 KiB (at most
/// 101 lines of 128 bytes).
pub fn open(path: &Path, _config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let mut file = File::open(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    let file_size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let mut head = Vec::new();
    (&mut file)
        .take(103 * 128)
        .read_to_end(&mut head)
        .map_err(|e| corrupt(e.to_string()))?;
    if head.is_empty() {
        return Err(early_eof(0, 0));
    }
    let header = parse_header(&head)?;
    check_open(&header.spec)?;
    let declared = header.spec.image_bytes(true);
    if file_size > 0 && declared >= 1 << 30 && declared > file_size.saturating_mul(10000) {
        return Err(corrupt(format!(
            "hdr header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            declared >> 20
        )));
    }
    Ok(Box::new(HdrReader {
        spec: header.spec,
        data_offset: header.data_offset,
        file,
    }))
}

struct HdrReader {
    spec: ImageSpec,
    data_offset: usize,
    file: File,
}

/// `2^(e - 136)` for every exponent byte (Ward's table without the +0.5, so
/// that [0,1] maps back to [0,1]).
fn exponent_table() -> [f32; 256] {
    std::array::from_fn(|e| (2f64).powi(e as i32 - 136) as f32)
}

/// How one scanline is stored, found by the sequential scan.
#[derive(Clone, Copy)]
enum Row {
    /// `width` flat RGBE pixels at this offset.
    Flat(usize),
    /// New-style RLE: the four channel runs start at this offset.
    Rle(usize),
}

/// Walk the scanlines, recording where each starts and validating the RLE
/// packets (the part that must be sequential); errors name the scanline.
fn scan_rows(data: &[u8], width: usize, height: usize) -> Result<Vec<Row>, IoError> {
    let mut rows = Vec::with_capacity(height);
    let mut p = 0usize;
    let flat_ok = !(8..=0x7fff).contains(&width);
    for y in 0..height {
        let short = || corrupt(format!("Read error on scanline {y}"));
        if flat_ok {
            if data.len() - p < width * 4 {
                return Err(corrupt(format!("Read error reading pixels on scanline {y}")));
            }
            rows.push(Row::Flat(p));
            p += width * 4;
            continue;
        }
        let px = data.get(p..p + 4).ok_or_else(short)?;
        if px[0] != 2 || px[1] != 2 || px[2] & 0x80 != 0 {
            if data.len() - p < width * 4 {
                return Err(corrupt(format!("Read error reading pixels on scanline {y}")));
            }
            rows.push(Row::Flat(p));
            p += width * 4;
            continue;
        }
        if (usize::from(px[2]) << 8 | usize::from(px[3])) != width {
            return Err(corrupt(format!("wrong scanline width for scanline {y}")));
        }
        p += 4;
        rows.push(Row::Rle(p));
        for _ in 0..4 {
            let mut left = width;
            while left > 0 {
                let hdr = data.get(p..p + 2).ok_or_else(short)?;
                let bad = || corrupt(format!("bad scanline {y} data"));
                if hdr[0] > 128 {
                    let count = usize::from(hdr[0] - 128);
                    if count > left {
                        return Err(bad());
                    }
                    left -= count;
                    p += 2;
                } else {
                    let count = usize::from(hdr[0]);
                    if count == 0 || count > left {
                        return Err(bad());
                    }
                    if data.len() - (p + 1) < count {
                        return Err(short());
                    }
                    left -= count;
                    p += 1 + count;
                }
            }
        }
    }
    Ok(rows)
}

/// Decode one validated scanline into float RGB.
fn decode_row(data: &[u8], row: Row, width: usize, table: &[f32; 256], planes: &mut [u8], out: &mut [f32]) {
    let convert = |rgbe: [u8; 4], o: &mut [f32]| {
        if rgbe[3] == 0 {
            o.fill(0.0);
        } else {
            let f = table[rgbe[3] as usize];
            o[0] = f32::from(rgbe[0]) * f;
            o[1] = f32::from(rgbe[1]) * f;
            o[2] = f32::from(rgbe[2]) * f;
        }
    };
    match row {
        Row::Flat(p) => {
            for (px, o) in data[p..p + width * 4].chunks_exact(4).zip(out.chunks_exact_mut(3)) {
                convert([px[0], px[1], px[2], px[3]], o);
            }
        }
        Row::Rle(mut p) => {
            for plane in planes.chunks_exact_mut(width) {
                let mut x = 0;
                while x < width {
                    let (h, v) = (data[p], data[p + 1]);
                    if h > 128 {
                        let n = usize::from(h - 128);
                        plane[x..x + n].fill(v);
                        x += n;
                        p += 2;
                    } else {
                        let n = usize::from(h);
                        plane[x..x + n].copy_from_slice(&data[p + 1..p + 1 + n]);
                        x += n;
                        p += 1 + n;
                    }
                }
            }
            for (x, o) in out.chunks_exact_mut(3).enumerate() {
                let rgbe = [
                    planes[x],
                    planes[width + x],
                    planes[2 * width + x],
                    planes[3 * width + x],
                ];
                convert(rgbe, o);
            }
        }
    }
}

impl HdrReader {
    fn read_all(&mut self) -> Result<PixelData, IoError> {
        let (w, h) = (self.spec.width as usize, self.spec.height as usize);
        let mut data = Vec::new();
        std::io::Seek::seek(&mut self.file, std::io::SeekFrom::Start(self.data_offset as u64))
            .and_then(|_| self.file.read_to_end(&mut data))
            .map_err(|e| corrupt(e.to_string()))?;
        let rows = scan_rows(&data, w, h)?;
        let len = self.spec.image_bytes(true);
        let len = usize::try_from(len).map_err(|_| corrupt(format!("Cannot allocate {len} bytes")))?;
        let mut pixels = PixelData::zeroed(len).map_err(|e| corrupt(e.to_string()))?;
        let table = exponent_table();
        let floats: &mut [f32] = bytemuck::cast_slice_mut(pixels.bytes_mut());
        floats.par_chunks_mut(w * 3).zip(rows.par_iter()).for_each_init(
            || vec![0u8; w * 4],
            |planes, (out, row)| decode_row(&data, *row, w, &table, planes, out),
        );
        Ok(pixels)
    }
}

impl Reader for HdrReader {
    fn format_name(&self) -> &'static str {
        "hdr"
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

/// C `frexpf` for the finite, normal values the encoder passes, and the
/// glibc answer (the value itself, exponent 0) for infinities and NaN.
fn frexp(v: f32) -> (f32, i32) {
    if !v.is_finite() || v == 0.0 {
        return (v, 0);
    }
    let bits = v.to_bits();
    let exp = ((bits >> 23) & 0xff) as i32;
    if exp == 0 {
        let (m, e) = frexp(v * 2f32.powi(64));
        return (m, e - 64);
    }
    let m = f32::from_bits((bits & 0x807f_ffff) | (126 << 23));
    (m, exp - 126)
}

/// C's float to `unsigned char` cast as x86 compilers do it (through a
/// 32-bit integer, keeping the low byte).
fn to_byte(v: f32) -> u8 {
    (v as i32) as u8
}

/// One float RGB pixel to RGBE, exactly as OIIO's encoder rounds.
fn float_to_rgbe(r: f32, g: f32, b: f32) -> [u8; 4] {
    let mut v = r;
    if g > v {
        v = g;
    }
    if b > v {
        v = b;
    }
    if v < 1e-32 {
        return [0; 4];
    }
    let (m, e) = frexp(v);
    let scale = m * 256.0 / v;
    [
        to_byte(r * scale),
        to_byte(g * scale),
        to_byte(b * scale),
        (e + 128) as u8,
    ]
}

/// RLE-encode one channel of a scanline with OIIO's rules: runs shorter
/// than 4 go out as literals (except a short run right before a long one),
/// literal packets hold at most 128 bytes, run packets at most 127.
fn rle_bytes(data: &[u8], out: &mut Vec<u8>) {
    const MIN_RUN: usize = 4;
    let n = data.len();
    let mut cur = 0;
    while cur < n {
        let mut beg_run = cur;
        let (mut run_count, mut old_run_count) = (0usize, 0usize);
        while run_count < MIN_RUN && beg_run < n {
            beg_run += run_count;
            old_run_count = run_count;
            run_count = 1;
            while beg_run + run_count < n && run_count < 127 && data[beg_run] == data[beg_run + run_count] {
                run_count += 1;
            }
        }
        if old_run_count > 1 && old_run_count == beg_run - cur {
            out.push(128 + old_run_count as u8);
            out.push(data[cur]);
            cur = beg_run;
        }
        while cur < beg_run {
            let nonrun = (beg_run - cur).min(128);
            out.push(nonrun as u8);
            out.extend_from_slice(&data[cur..cur + nonrun]);
            cur += nonrun;
        }
        if run_count >= MIN_RUN {
            out.push(128 + run_count as u8);
            out.push(data[beg_run]);
            cur += run_count;
        }
    }
}

/// Encode one float RGB scanline (RLE when the width allows it).
fn encode_row(rgb: &[f32], out: &mut Vec<u8>, planes: &mut Vec<u8>) {
    let w = rgb.len() / 3;
    if !(8..=0x7fff).contains(&w) {
        for p in rgb.chunks_exact(3) {
            out.extend_from_slice(&float_to_rgbe(p[0], p[1], p[2]));
        }
        return;
    }
    out.extend_from_slice(&[2, 2, (w >> 8) as u8, (w & 0xff) as u8]);
    planes.resize(w * 4, 0);
    for (x, p) in rgb.chunks_exact(3).enumerate() {
        let e = float_to_rgbe(p[0], p[1], p[2]);
        for (c, v) in e.iter().enumerate() {
            planes[c * w + x] = *v;
        }
    }
    for c in 0..4 {
        rle_bytes(&planes[c * w..(c + 1) * w], out);
    }
}

/// OIIO's output checks for HDR (up to 2^30 square, exactly 3 channels).
fn check_output(spec: &ImageSpec) -> Result<(), IoError> {
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    let bad = |m: String| Err(IoError::Unsupported(m));
    let max = 1 << 30;
    if w > max || h > max {
        return bad(format!(
            "hdr image resolution may not exceed {max}x{max}, you asked for {w}x{h}"
        ));
    }
    if w <= 0 || h <= 0 {
        return bad(format!(
            "hdr image resolution must be at least 1x1, you asked for {w}x{h}"
        ));
    }
    if spec.depth > 1 {
        return bad("hdr does not support volume images (depth > 1)".into());
    }
    if n != 3 {
        return bad(format!("hdr does not support {n}-channel images"));
    }
    if spec.channelformats.iter().any(|f| *f != spec.format) {
        return bad("hdr does not support per-channel data formats".into());
    }
    if spec.deep {
        return bad("hdr does not support 'deep' images".into());
    }
    if spec.tile_width != 0 || spec.tile_height != 0 {
        return bad("hdr does not support tiled images".into());
    }
    Ok(())
}

/// The registry's writer: HDR holds one image, the first subimage's top level.
fn write_request(path: &Path, req: &crate::WriteRequest<'_>) -> Result<(), IoError> {
    let level = req
        .subimages
        .first()
        .and_then(|s| s.first())
        .ok_or_else(|| IoError::Write("hdr: nothing to write".into()))?;
    write(path, level.spec, level.pixels)
}

/// Write `pixels` (3 channels in `spec.format`, top row first).
pub fn write(path: &Path, spec: &ImageSpec, pixels: &[u8]) -> Result<(), IoError> {
    check_output(spec)?;
    let (w, h) = (spec.width as usize, spec.height as usize);
    let in_row = w * 3 * spec.format.size();
    if pixels.len() < in_row * h {
        return Err(IoError::Write(format!(
            "hdr: {} bytes of pixels given, {} needed",
            pixels.len(),
            in_row * h
        )));
    }
    // Encode bands of rows in parallel, then write them in order.
    let band = 16usize;
    let bands: Vec<Vec<u8>> = (0..h.div_ceil(band))
        .into_par_iter()
        .map(|b| {
            let mut out = Vec::with_capacity(band * w * 4);
            let mut planes = Vec::new();
            let mut row = vec![0f32; w * 3];
            for y in b * band..((b + 1) * band).min(h) {
                let src = &pixels[y * in_row..(y + 1) * in_row];
                if spec.format == TypeDesc::FLOAT {
                    for (d, s) in row.iter_mut().zip(src.chunks_exact(4)) {
                        *d = f32::from_ne_bytes([s[0], s[1], s[2], s[3]]);
                    }
                } else {
                    convert_bytes(
                        src,
                        spec.format.basetype,
                        bytemuck::cast_slice_mut(&mut row),
                        TypeDesc::FLOAT.basetype,
                    );
                }
                encode_row(&row, &mut out, &mut planes);
            }
            out
        })
        .collect();
    let file = File::create(path).map_err(|_| IoError::Write(format!("Could not open file \"{}\"", path.display())))?;
    let werr = |e: std::io::Error| IoError::Write(format!("Write error on \"{}\": {e}", path.display()));
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    write!(out, "#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n\n-Y {h} +X {w}\n").map_err(werr)?;
    for b in &bands {
        out.write_all(b).map_err(werr)?;
    }
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
        std::env::temp_dir().join(format!("vfx_io_hdr_{}_{n}.{ext}", std::process::id()))
    }

    fn read_bytes(bytes: &[u8]) -> Result<(ImageSpec, Vec<f32>), IoError> {
        let p = scratch("hdr");
        std::fs::write(&p, bytes).unwrap();
        let r = open(&p, None).and_then(|mut r| {
            let spec = r.spec(0, 0).unwrap();
            r.read_image(0, 0)
                .map(|px| (spec, bytemuck::cast_slice::<u8, f32>(px.bytes()).to_vec()))
        });
        let _ = std::fs::remove_file(&p);
        r
    }

    fn write_bytes(spec: &ImageSpec, pixels: &[f32]) -> Vec<u8> {
        let p = scratch("hdr");
        write(&p, spec, bytemuck::cast_slice(pixels)).unwrap();
        let b = std::fs::read(&p).unwrap();
        let _ = std::fs::remove_file(&p);
        b
    }

    fn header(extra: &str, size: &str) -> Vec<u8> {
        format!("#?RADIANCE\n{extra}FORMAT=32-bit_rle_rgbe\n\n{size}\n").into_bytes()
    }

    #[test]
    fn registry_entry() {
        assert_eq!(FORMAT.name, "hdr");
        assert!(sniff(b"#?RGBE"));
        assert!(!sniff(b"#!"));
        assert_eq!(supports("ioproxy"), 1);
    }

    #[test]
    fn rgbe_encoding() {
        assert_eq!(float_to_rgbe(1.0, 0.5, 0.0), [128, 64, 0, 129]);
        assert_eq!(float_to_rgbe(0.0, 0.0, 0.0), [0; 4]);
        assert_eq!(float_to_rgbe(-1.0, -2.0, 1e-40), [0; 4]);
        assert_eq!(float_to_rgbe(-0.5, 1.0, 0.0)[0], 192);
        assert_eq!(frexp(8.0), (0.5, 4));
        assert_eq!(frexp(0.75), (0.75, 0));
    }

    #[test]
    fn round_trip_rle_and_flat_widths() {
        for w in [3usize, 8, 50, 300] {
            let h = 5;
            let spec = ImageSpec::new(w as i32, h, 3, TypeDesc::FLOAT);
            let px: Vec<f32> = (0..w * h as usize * 3)
                .map(|i| {
                    if (i / 9) % 3 == 0 {
                        0.25
                    } else {
                        (i % 17) as f32 * 0.125
                    }
                })
                .collect();
            let file = write_bytes(&spec, &px);
            let (rspec, back) = read_bytes(&file).unwrap();
            assert_eq!(rspec.width, w as i32);
            assert_eq!(rspec.get_int_attribute("Orientation", 0), 1);
            assert_eq!(rspec.get_string_attribute("oiio:ColorSpace", ""), "lin_rec709_scene");
            for (a, b) in back.iter().zip(&px) {
                assert!((a - b).abs() <= b.abs() / 64.0 + 1e-6, "{a} vs {b}");
            }
        }
    }

    #[test]
    fn header_variables_and_orientation() {
        let mut f = header("GAMMA=0.454545\nEXPOSURE=2.5\n", "+X 2 -Y 1");
        f.extend_from_slice(&[128, 0, 0, 129, 0, 0, 0, 0]);
        let (spec, px) = read_bytes(&f).unwrap();
        assert_eq!((spec.width, spec.height), (1, 2));
        assert_eq!(spec.get_int_attribute("Orientation", 0), 5);
        assert_eq!(spec.get_string_attribute("oiio:ColorSpace", ""), "g22_rec709_scene");
        assert_eq!(spec.get_float_attribute("hdr:exposure", 0.0), 2.5);
        assert_eq!(px, [1.0, 0.0, 0.0, 0.0, 0.0, 0.0]);
    }

    #[test]
    fn bad_headers_and_data() {
        let msg = |b: &[u8]| read_bytes(b).unwrap_err().to_string();
        assert_eq!(msg(b"#?RADIANCE\n\n-Y 1 +X 1\n"), "no FORMAT specifier found");
        let many = format!("#?RADIANCE\nFORMAT=32-bit_rle_rgbe\n{}", "X\n".repeat(101));
        assert_eq!(msg(many.as_bytes()), "missing blank line after FORMAT specifier");
        assert!(msg(b"#?RADIANCE\nFORMAT=32-bit_rle_rgbe\nX\n").contains("early end of file at position 36"));
        assert_eq!(msg(&header("", "Y 1 X 1")), "missing image size specifier");
        assert!(msg(&header("", "-Y 0 +X 1")).contains("at least 1x1"));
        assert!(msg(&header("", "-Y 70000 +X 1")).contains("may not exceed"));
        assert!(msg(b"").contains("early end of file"));
        // Truncated pixels, and RLE rows that lie.
        assert_eq!(msg(&header("", "-Y 1 +X 2")), "Read error reading pixels on scanline 0");
        let mut f = header("", "-Y 1 +X 8");
        f.extend_from_slice(&[2, 2, 0, 9]);
        assert_eq!(msg(&f), "wrong scanline width for scanline 0");
        let mut f = header("", "-Y 1 +X 8");
        f.extend_from_slice(&[2, 2, 0, 8, 0, 1]);
        assert_eq!(msg(&f), "bad scanline 0 data");
        let mut f = header("", "-Y 1 +X 8");
        f.extend_from_slice(&[2, 2, 0, 8, 137, 1]);
        assert_eq!(msg(&f), "bad scanline 0 data");
        let mut f = header("", "-Y 2 +X 8");
        f.extend_from_slice(&[2, 2, 0, 8, 136, 1, 136, 1, 136, 1, 136, 1, 2, 2]);
        assert_eq!(msg(&f), "Read error on scanline 1");
        // An absurd claim is refused before allocating.
        let f = header("", "-Y 60000 +X 60000");
        assert!(read_bytes(&f).is_err());
    }

    #[test]
    fn rle_packets_match_oiio() {
        let mut out = Vec::new();
        rle_bytes(&[1, 1, 2, 2, 2, 2, 2, 3], &mut out);
        assert_eq!(out, [130, 1, 133, 2, 1, 3]);
        out.clear();
        rle_bytes(&[7; 200], &mut out);
        assert_eq!(out, [255, 7, 128 + 73, 7]);
    }
}

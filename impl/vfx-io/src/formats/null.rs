//! The "null" format, as OpenImageIO 3.2.2 has it: no file is ever touched.
//!
//! Reading a name ending in ".null" or ".nul" yields a synthetic image whose
//! shape comes from the open configuration and from REST-style options after
//! a `?` in the name, e.g. `foo.null?RES=640x480&CHANNELS=3&TYPE=uint16&
//! PIXEL=0.25,0.5,1`. Recognised keys are RES, TILE/TILES, CHANNELS, MIP,
//! TEX, TYPE and PIXEL; any other `key=value` becomes a metadata attribute
//! whose type is given by a leading type name in the key or value, or else
//! guessed (int, float, otherwise string). Options are applied in byte order
//! of their keys (OIIO keeps them in a sorted map). Every pixel holds the
//! PIXEL value (black by default). Writing accepts anything and stores
//! nothing.

use crate::{Format, IoError, Reader};
use std::collections::BTreeMap;
use std::path::Path;
use vfx_core::convert::f32_to_value;
use vfx_core::{BaseType, ImageSpec, ParamValue, PixelData, TypeDesc, Value};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "null",
    extensions: &["null", "nul"],
    sniff,
    open: Some(open),
    write: Some(write),
    supports,
};

/// OIIO's null writer answers yes to everything but "rectangles" (its reader
/// answers yes to everything, "procedural" included).
pub fn supports(feature: &str) -> i32 {
    i32::from(feature != "rectangles")
}

/// There is no file content to recognise.
pub fn sniff(_head: &[u8]) -> bool {
    false
}

/// Writes are accepted and discarded.
fn write(_path: &Path, _req: &crate::WriteRequest<'_>) -> Result<(), IoError> {
    Ok(())
}

/// Split "name?k=v&k2=v2" into the name and its options (sorted by key, a
/// later duplicate wins). `None` when an option has no '=' (OIIO calls such
/// a name malformed).
pub fn rest_arguments(name: &str) -> Option<(String, BTreeMap<String, String>)> {
    let start = if name.starts_with("\\\\?\\") { 4 } else { 0 };
    let mut args = BTreeMap::new();
    let Some(q) = name[start..].find('?').map(|i| i + start) else {
        return Some((name.to_string(), args));
    };
    let rest = &name[q + 1..];
    if !rest.is_empty() {
        for kv in rest.split('&') {
            let eq = kv.find('=')?;
            args.insert(kv[..eq].to_string(), kv[eq + 1..].to_string());
        }
    }
    Some((name[..q].to_string(), args))
}

// ---------------------------------------------------------------------------
// Strutil-style parsing of option values.

fn skip_ws(s: &mut &str) {
    *s = s.trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c']);
}

/// Strutil::parse_int: optional whitespace, sign, digits; consumes them.
fn parse_int(s: &mut &str) -> Option<i32> {
    let mut t = *s;
    skip_ws(&mut t);
    let b = t.as_bytes();
    let sign = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let digits = b[sign..].iter().take_while(|c| c.is_ascii_digit()).count();
    if digits == 0 {
        return None;
    }
    let v = t[..sign + digits]
        .parse::<i64>()
        .unwrap_or(if b[0] == b'-' { i64::MIN } else { i64::MAX });
    *s = &t[sign + digits..];
    Some(v.clamp(i32::MIN as i64, i32::MAX as i64) as i32)
}

/// Strutil::parse_char: optional whitespace then `c`.
fn parse_char(s: &mut &str, c: char) -> bool {
    let mut t = *s;
    skip_ws(&mut t);
    match t.strip_prefix(c) {
        Some(r) => {
            *s = r;
            true
        }
        None => false,
    }
}

/// Length of the longest prefix of `s` that C's strtod accepts, and its value.
fn strtod_prefix(s: &str) -> Option<(f64, usize)> {
    let b = s.as_bytes();
    let mut i = usize::from(matches!(b.first(), Some(b'+' | b'-')));
    let neg = b.first() == Some(&b'-');
    let rest = &s[i..];
    let lower = rest.get(..8.min(rest.len())).unwrap_or("").to_ascii_lowercase();
    let signed = |v: f64| if neg { -v } else { v };
    if lower.starts_with("infinity") {
        return Some((signed(f64::INFINITY), i + 8));
    }
    if lower.starts_with("inf") {
        return Some((signed(f64::INFINITY), i + 3));
    }
    if lower.starts_with("nan") {
        return Some((f64::NAN, i + 3));
    }
    if rest.len() > 2 && (rest.starts_with("0x") || rest.starts_with("0X")) {
        let h = &rest.as_bytes()[2..];
        let mut v = 0f64;
        let mut j = 0;
        let mut scale = 0i32;
        let mut point = false;
        let mut any = false;
        while j < h.len() {
            if h[j] == b'.' && !point {
                point = true;
            } else if let Some(d) = (h[j] as char).to_digit(16) {
                v = v * 16.0 + d as f64;
                any = true;
                if point {
                    scale -= 4;
                }
            } else {
                break;
            }
            j += 1;
        }
        if any {
            let mut end = j;
            if matches!(h.get(j), Some(b'p' | b'P')) {
                let mut e = &rest[2 + j + 1..];
                if let Some(x) = parse_int_nows(&mut e) {
                    scale += x;
                    end = rest.len() - 2 - e.len();
                }
            }
            return Some((signed(v * 2f64.powi(scale)), i + 2 + end));
        }
        return Some((0.0, i + 1));
    }
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let int_digits = digits(i);
    i += int_digits;
    let mut frac = 0;
    if b.get(i) == Some(&b'.') {
        frac = digits(i + 1);
        if int_digits + frac > 0 {
            i += 1 + frac;
        }
    }
    if int_digits + frac == 0 {
        return None;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut k = i + 1;
        if matches!(b.get(k), Some(b'+' | b'-')) {
            k += 1;
        }
        let e = digits(k);
        if e > 0 {
            i = k + e;
        }
    }
    let text = s[..i].trim_end_matches('.');
    let text = if text.ends_with(['+', '-']) { "0" } else { text };
    let v = text.replace(".e", "e").replace(".E", "E").parse::<f64>().unwrap_or(0.0);
    Some((v, i))
}

fn parse_int_nows(s: &mut &str) -> Option<i32> {
    if s.starts_with(|c: char| c.is_whitespace()) {
        return None;
    }
    parse_int(s)
}

/// Strutil::parse_float: optional whitespace then a C float.
fn parse_float(s: &mut &str) -> Option<f32> {
    let mut t = *s;
    skip_ws(&mut t);
    let (v, n) = strtod_prefix(t)?;
    *s = &t[n..];
    Some(v as f32)
}

/// Strutil::parse_string: a quoted string (quotes removed) or a word ending
/// at whitespace.
fn parse_string(s: &mut &str) -> String {
    skip_ws(s);
    if let Some(q) = s.chars().next().filter(|c| *c == '"' || *c == '\'') {
        let body = &s[1..];
        if let Some(end) = body.find(q) {
            let v = body[..end].to_string();
            *s = &body[end + 1..];
            return v;
        }
    }
    let end = s.find(|c: char| c.is_ascii_whitespace()).unwrap_or(s.len());
    let v = s[..end].to_string();
    *s = &s[end..];
    v
}

/// Strutil::string_is<int>: the whole text (surrounding whitespace aside).
fn string_is_int(s: &str) -> bool {
    let mut t = s;
    parse_int(&mut t).is_some() && t.trim().is_empty()
}

/// Strutil::string_is<float>: the whole text (surrounding whitespace aside).
fn string_is_float(s: &str) -> bool {
    let mut t = s;
    parse_float(&mut t).is_some() && t.trim().is_empty()
}

/// Strutil::from_string<int>: a leading integer, 0 when none.
fn int_of(s: &str) -> i32 {
    let mut t = s;
    parse_int(&mut t).unwrap_or(0)
}

/// "WxHxD", "WxH" (depth 1) or "W" (square, depth 1); values not given are
/// left alone only when nothing parses.
fn parse_res(text: &str, x: &mut i32, y: &mut i32, z: &mut i32) {
    let mut s = text;
    let Some(w) = parse_int(&mut s) else { return };
    *x = w;
    if parse_char(&mut s, 'x') {
        if let Some(h) = parse_int(&mut s) {
            *y = h;
            *z = 1;
            if parse_char(&mut s, 'x') {
                if let Some(d) = parse_int(&mut s) {
                    *z = d;
                }
            }
            return;
        }
    }
    *y = w;
    *z = 1;
}

/// A non-reserved option becomes an attribute: a type name leading the key
/// or the value decides its type, else the value's look does.
fn parse_param(name: &str, value: &str, spec: &mut ImageSpec) {
    let (mut ty, used) = TypeDesc::parse_prefix(name);
    let mut name = name;
    let mut val = value;
    if used > 0 {
        name = name[used..].trim_start();
    } else {
        let (t, used) = TypeDesc::parse_prefix(val);
        if used > 0 {
            ty = t;
            val = val[used..].trim_start();
        }
    }
    if ty.basetype == BaseType::Unknown {
        if val.len() >= 2 && val.starts_with('"') && val.ends_with('"') {
            val = &val[1..val.len() - 1];
            ty = TypeDesc::STRING;
        } else if string_is_int(val) {
            ty = TypeDesc::INT;
        } else if string_is_float(val) {
            ty = TypeDesc::FLOAT;
        } else {
            ty = TypeDesc::STRING;
        }
    }
    let n = ty.numelements() * ty.aggregate.count();
    if n == 0 {
        return;
    }
    let mut values = Vec::with_capacity(n);
    for _ in 0..n {
        let v = match ty.basetype {
            BaseType::Int32 => Value::Int(i64::from(parse_int(&mut val).unwrap_or(0))),
            BaseType::Float => Value::Float(f64::from(parse_float(&mut val).unwrap_or(0.0))),
            BaseType::String => Value::Str(parse_string(&mut val)),
            _ => return,
        };
        parse_char(&mut val, ',');
        values.push(v);
    }
    if let Some(p) = ParamValue::from_values(name, ty, 1, vfx_core::Interp::Constant, &values) {
        spec.attribute(p);
    }
}

/// OIIO's generic open-time sanity check with the null reader's limits.
fn check_open(spec: &ImageSpec) -> Result<(), String> {
    let (w, h, d, n) = (spec.width, spec.height, spec.depth, spec.nchannels);
    const LIM: i32 = 1 << 20;
    if w <= 0 || h <= 0 || d <= 0 || n <= 0 {
        return Err(format!(
            "null image resolution must be at least 1x1, but the file specified {w}x{h}x{d}, {n} chans. Possible corrupt input?"
        ));
    }
    if w > LIM || h > LIM || d > LIM {
        return Err(if d > 1 {
            format!("null image resolution may not exceed {LIM}x{LIM}x{LIM}, but the file appears to be {w}x{h}x{d}. Possible corrupt input?")
        } else {
            format!("null image resolution may not exceed {LIM}x{LIM}, but the file appears to be {w}x{h}. Possible corrupt input?")
        });
    }
    if n > 1024 {
        return Err(format!(
            "null does not support {n}-channel images. Possible corrupt input?"
        ));
    }
    let max_chans = vfx_core::globals::get_int_attribute("limits:channels", 1024);
    if max_chans > 0 && n > max_chans {
        return Err(format!(
            "{n} channels exceeds \"limits:channels\" = {max_chans}. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:channels\"."
        ));
    }
    let max_res = vfx_core::globals::get_int_attribute("limits:resolution", 1 << 20);
    if max_res > 0 && (w > max_res || h > max_res || d > max_res) {
        return Err(if d > 1 {
            format!("null image dimension {w}x{h}x{d} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\".")
        } else {
            format!("null image dimension {w}x{h} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\".")
        });
    }
    let max_mb = vfx_core::globals::get_int_attribute("limits:imagesize_MB", 0);
    let bytes = spec.image_bytes(true);
    if max_mb > 0 && bytes > max_mb as u64 * 1024 * 1024 {
        return Err(format!(
            "Uncompressed image size {:.1} MB exceeds the {max_mb} MB limit.\nImage claimed to be {w}x{h}, {n}-channel {}. Possible corrupt input?\nIf this is a valid file, raise the OIIO attribute \"limits:imagesize_MB\".",
            bytes as f64 / (1024.0 * 1024.0),
            spec.format
        ));
    }
    let (tw, th, td) = (spec.tile_width, spec.tile_height, spec.tile_depth);
    if tw < 0 || th < 0 || td < 0 {
        return Err(format!(
            "null tile size may not be negative, but was {tw}x{th}x{td}. Possible corrupt input?"
        ));
    }
    if tw > LIM || th > LIM || td > LIM {
        return Err(format!(
            "null tile size may not exceed {LIM}x{LIM}x{LIM}, but was {tw}x{th}x{td}. Possible corrupt input?"
        ));
    }
    let (fw, fh, fd) = (spec.full_width, spec.full_height, spec.full_depth);
    if fw <= 0 || fh <= 0 || fd <= 0 {
        return Err(format!(
            "null image full/display resolution must be at least 1x1, but the file specified {fw}x{fh}x{fd}. Possible corrupt input?"
        ));
    }
    if fw > LIM || fh > LIM || fd > LIM {
        return Err(if fd > 1 {
            format!("null image full/display resolution may not exceed {LIM}x{LIM}x{LIM}, but the file appears to be {fw}x{fh}x{fd}. Possible corrupt input?")
        } else {
            format!("null image full/display resolution may not exceed {LIM}x{LIM}, but the file appears to be {fw}x{fh}. Possible corrupt input?")
        });
    }
    Ok(())
}

/// Build the top-level spec and the pixel value a null name describes.
/// `Ok(None)` when the name is not a null image (OIIO fails silently).
pub fn describe(name: &str, config: Option<&ImageSpec>) -> Result<Option<(ImageSpec, bool, Vec<u8>)>, String> {
    let Some((filename, args)) = rest_arguments(name) else {
        return Ok(None);
    };
    if filename.is_empty() {
        return Ok(None);
    }
    let force = config.is_some_and(|c| c.get_int_attribute("null:force", 0) != 0);
    if !(filename.ends_with(".null") || filename.ends_with(".nul") || force) {
        return Ok(None);
    }
    let mut top = config.cloned().unwrap_or_default();
    if top.width <= 0 {
        top.width = 1024;
    }
    if top.height <= 0 {
        top.height = 1024;
    }
    if top.depth <= 0 {
        top.depth = 1;
    }
    if top.full_width <= 0 {
        top.full_width = top.width;
    }
    if top.full_height <= 0 {
        top.full_height = top.height;
    }
    if top.full_depth <= 0 {
        top.full_depth = top.depth;
    }
    if top.nchannels <= 0 {
        top.nchannels = 4;
    }
    if top.format.is_unknown() {
        top.format = TypeDesc::FLOAT;
    }
    let mut mip = false;
    let mut fvalue: Vec<f32> = Vec::new();
    for (key, val) in &args {
        match key.as_str() {
            "RES" => {
                parse_res(val, &mut top.width, &mut top.height, &mut top.depth);
                (top.full_x, top.full_y, top.full_z) = (top.x, top.y, top.z);
                (top.full_width, top.full_height, top.full_depth) = (top.width, top.height, top.depth);
            }
            "TILE" | "TILES" => parse_res(val, &mut top.tile_width, &mut top.tile_height, &mut top.tile_depth),
            "CHANNELS" => {
                top.nchannels = int_of(val);
                // Naming more channels than OIIO's check allows is wasted work.
                if top.nchannels <= 4096 {
                    top.default_channel_names();
                }
            }
            "MIP" => mip = int_of(val) != 0,
            "TEX" if int_of(val) != 0 => {
                (top.tile_width, top.tile_height, top.tile_depth) = (64, 64, 1);
                top.attribute_str("wrapmodes", "black,black");
                top.attribute_str("textureformat", "Plain Texture");
                mip = true;
            }
            "TEX" => {}
            "TYPE" => top.set_format(TypeDesc::from_name(val).unwrap_or(TypeDesc::UNKNOWN)),
            "PIXEL" => {
                fvalue = val
                    .split(',')
                    .map(|t| {
                        let mut s = t;
                        parse_float(&mut s).unwrap_or(0.0)
                    })
                    .collect();
                fvalue.resize(top.nchannels.clamp(0, 1 << 16) as usize, 0.0);
            }
            _ if !key.is_empty() && !val.is_empty() => parse_param(key, val, &mut top),
            _ => {}
        }
    }
    check_open(&top)?;
    let chan = top.format.size();
    let mut value = vec![0u8; top.pixel_bytes(true)];
    if !fvalue.is_empty() && chan > 0 {
        fvalue.resize(top.nchannels as usize, 0.0);
        for (c, v) in fvalue.iter().enumerate() {
            f32_to_value(*v, top.format.basetype, &mut value[c * chan..(c + 1) * chan]);
        }
    }
    Ok(Some((top, mip, value)))
}

/// Open a null "file": nothing is read from disk.
pub fn open(path: &Path, config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let name = path.to_string_lossy();
    match describe(&name, config) {
        Ok(Some((top, mip, value))) => Ok(Box::new(NullReader { top, mip, value })),
        Ok(None) => Err(IoError::Open(String::new())),
        Err(e) => Err(IoError::Open(e)),
    }
}

/// A synthetic image: one subimage, optionally MIP-mapped down to 1x1x1.
struct NullReader {
    top: ImageSpec,
    mip: bool,
    value: Vec<u8>,
}

impl NullReader {
    fn level_spec(&self, miplevel: usize) -> Option<ImageSpec> {
        if miplevel > 0 && !self.mip {
            return None;
        }
        let mut s = self.top.clone();
        for _ in 0..miplevel {
            if s.width == 1 && s.height == 1 && s.depth == 1 {
                return None;
            }
            s.width = (s.width / 2).max(1);
            s.height = (s.height / 2).max(1);
            s.depth = (s.depth / 2).max(1);
            (s.full_width, s.full_height, s.full_depth) = (s.width, s.height, s.depth);
        }
        Some(s)
    }
}

impl Reader for NullReader {
    fn format_name(&self) -> &'static str {
        "null"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        if subimage != 0 {
            return None;
        }
        self.level_spec(miplevel)
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        let spec = self
            .spec(subimage, miplevel)
            .ok_or_else(|| IoError::Open(format!("Invalid subimage {subimage} / MIP level {miplevel}")))?;
        if spec.format.is_unknown() || self.value.is_empty() {
            return Err(IoError::Corrupt("null: unknown pixel data type".into()));
        }
        let total = spec.image_bytes(true);
        let mut px = PixelData::zeroed(total as usize).map_err(|e| IoError::Corrupt(e.to_string()))?;
        if self.value.iter().any(|b| *b != 0) {
            for chunk in px.bytes_mut().chunks_exact_mut(self.value.len()) {
                chunk.copy_from_slice(&self.value);
            }
        }
        Ok(px)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec_of(name: &str) -> ImageSpec {
        open(Path::new(name), None).unwrap().spec(0, 0).unwrap()
    }

    #[test]
    fn defaults_and_options() {
        let s = spec_of("foo.null");
        assert_eq!(
            (s.width, s.height, s.nchannels, s.format),
            (1024, 1024, 4, TypeDesc::FLOAT)
        );
        assert!(s.channelnames.is_empty());
        let s = spec_of("foo.null?RES=64x48&CHANNELS=3&TYPE=uint16&PIXEL=0.25,0.5,1");
        assert_eq!(
            (s.width, s.height, s.nchannels, s.format),
            (64, 48, 3, TypeDesc::UINT16)
        );
        assert_eq!(s.channelnames, ["R", "G", "B"]);
        let s = spec_of("foo.nul?RES=5x6x7&TILE=2");
        assert_eq!(
            (s.depth, s.full_depth, s.tile_width, s.tile_height, s.tile_depth),
            (7, 7, 2, 2, 1)
        );
    }

    #[test]
    fn pixel_value_fills_every_pixel() {
        let mut r = open(
            Path::new("a.null?RES=3x2&CHANNELS=3&TYPE=uint16&PIXEL=0.25,0.5,1"),
            None,
        )
        .unwrap();
        let px = r.read_image(0, 0).unwrap();
        let v: Vec<u16> = px.bytes().chunks(2).map(|c| u16::from_ne_bytes([c[0], c[1]])).collect();
        assert_eq!(v.len(), 18);
        for p in v.chunks(3) {
            assert_eq!(p, [16384, 32768, 65535]);
        }
    }

    #[test]
    fn guessed_attribute_types() {
        let s = spec_of(
            "f.null?RES=2&a=1&b=-2.5e3&c=x y&d=\"q\"&g=0x10&int[3] i=1,2&string s=a,b&color k=1,2,3&float j=abc",
        );
        let get = |n: &str| s.find_attribute(n, TypeDesc::UNKNOWN, true).unwrap();
        assert_eq!(get("a").type_desc(), TypeDesc::INT);
        assert_eq!(get("b").get_float(0.0), -2500.0);
        assert_eq!(get("c").get_string(0), "x");
        assert_eq!(get("d").get_string(0), "q");
        assert_eq!(get("g").type_desc(), TypeDesc::FLOAT);
        assert_eq!(get("g").get_float(0.0), 16.0);
        assert_eq!(get("i").values(), [Value::Int(1), Value::Int(2), Value::Int(0)]);
        assert_eq!(get("s").get_string(0), "a,b");
        assert_eq!(get("k").type_desc(), TypeDesc::COLOR);
        assert_eq!(get("j").get_float(1.0), 0.0);
        let names: Vec<&str> = s.extra_attribs.items.iter().map(|p| p.name()).collect();
        assert_eq!(names, ["a", "b", "c", "k", "d", "j", "g", "i", "s"]);
    }

    #[test]
    fn texture_and_mip_levels() {
        let r = open(Path::new("t.null?TEX=1&RES=8x4"), None).unwrap();
        let s = r.spec(0, 0).unwrap();
        assert_eq!((s.tile_width, s.tile_height), (64, 64));
        assert_eq!(s.get_string_attribute("wrapmodes", ""), "black,black");
        let sizes: Vec<(i32, i32)> = (0..).map_while(|m| r.spec(0, m)).map(|s| (s.width, s.height)).collect();
        assert_eq!(sizes, [(8, 4), (4, 2), (2, 1), (1, 1)]);
        assert!(r.spec(1, 0).is_none());
    }

    #[test]
    fn rejections() {
        let e = open(Path::new("foo.null?CHANNELS=-1"), None).err().unwrap();
        assert_eq!(
            e.to_string(),
            "null image resolution must be at least 1x1, but the file specified 1024x1024x1, -1 chans. Possible corrupt input?"
        );
        assert!(open(Path::new("foo.null?RES=-4x-4"), None).is_err());
        assert!(open(Path::new("foo.null?CHANNELS=100000000"), None).is_err());
        assert!(open(Path::new("foo.null?TILE=-2"), None).is_err());
        assert!(open(Path::new("foo.null?abc"), None).is_err());
        assert!(open(Path::new("foo.NULL"), None).is_err());
        assert!(open(Path::new("foo.tif?RES=2"), None).is_err());
        let mut cfg = ImageSpec::default();
        cfg.attribute_int("null:force", 1);
        assert!(open(Path::new("anything"), Some(&cfg)).is_ok());
    }

    #[test]
    fn unknown_type_fails_to_read() {
        let mut r = open(Path::new("foo.null?TYPE=bogus&RES=2"), None).unwrap();
        assert!(r.read_image(0, 0).is_err());
    }
}

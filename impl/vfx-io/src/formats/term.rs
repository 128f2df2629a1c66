//! "term": OpenImageIO 3.2.2's write-only terminal output. The image is
//! shown with terminal escape codes on stdout (or in the file named by the
//! "term:filename" attribute) instead of being saved.
//!
//! As OIIO does, the pixels are held as half floats, converted to sRGB from
//! their `oiio:ColorSpace` (unset means scene-linear, i.e. ACEScg), shrunk to
//! the terminal width when wider (unless "term:fit" is 0), then printed by
//! "term:method":
//! - "24bit": two rows per character cell, U+2580 with 24-bit foreground
//!   (upper pixel) and background (lower pixel) colours. OIIO writes the
//!   glyph as the six characters `\u2580`, and so do we;
//! - "24bit-space": a space per pixel on a 24-bit background;
//! - "dither" and "256color": a space per pixel on the nearest colour of the
//!   6x6x6 cube, with or without carrying the error along the row;
//! - "iterm2": the whole image as an inline base64 PPM.
//!
//! With no method the environment chooses, as OIIO does (iTerm2 >= 2.9,
//! xterm -> 24bit, else 256color).
//!
//! Known differences: OIIO asks the terminal for its width and resizes with
//! its default filter; we take `COLUMNS` (80 when unset) and average boxes.
//! Colour conversion covers sRGB, linear Rec.709, ACEScg / scene-linear and
//! gNN_rec709 spaces; others are shown unconverted.

use crate::{Format, IoError};
use std::io::Write;
use std::path::Path;
use vfx_core::convert::convert_bytes;
use vfx_core::{BaseType, ImageSpec};

/// The registry entry (output only).
pub static FORMAT: Format = Format {
    name: "term",
    extensions: &["term"],
    sniff,
    open: None,
    write: Some(write),
    supports,
};

/// OIIO's terminal writer features.
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(
        feature,
        "tiles" | "alpha" | "random_access" | "rewrite" | "procedural"
    ))
}

/// Nothing is ever read back.
pub fn sniff(_head: &[u8]) -> bool {
    false
}

/// OIIO's open-time checks with the terminal's limits (at most 255x255,
/// 3 or 4 channels).
fn check_output(spec: &ImageSpec) -> Result<(), IoError> {
    let (w, h) = (spec.width, spec.height);
    if w > 255 || h > 255 {
        return Err(IoError::Unsupported(format!(
            "term image resolution may not exceed 255x255, you asked for {w}x{h}"
        )));
    }
    if w <= 0 || h <= 0 {
        return Err(IoError::Unsupported(format!(
            "term image resolution must be at least 1x1, you asked for {w}x{h}"
        )));
    }
    if spec.depth > 1 {
        return Err(IoError::Unsupported(
            "term does not support volume images (depth > 1)".into(),
        ));
    }
    let n = spec.nchannels;
    if !(0..=4).contains(&n) || n == 1 || n == 2 {
        return Err(IoError::Unsupported(format!(
            "term does not support {n}-channel images"
        )));
    }
    if spec.deep {
        return Err(IoError::Unsupported("term does not support 'deep' images".into()));
    }
    Ok(())
}

/// An RGB(A) float image held at half precision, as OIIO's buffer.
struct Buf {
    w: usize,
    h: usize,
    /// Channels per pixel (3 or 4; 0-channel images print black).
    n: usize,
    alpha: Option<usize>,
    px: Vec<f32>,
}

fn to_half_precision(v: &mut [f32]) {
    let bytes: Vec<u8> = v.iter().flat_map(|x| x.to_ne_bytes()).collect();
    let mut half = vec![0u8; v.len() * 2];
    convert_bytes(&bytes, BaseType::Float, &mut half, BaseType::Half);
    let mut back = vec![0u8; v.len() * 4];
    convert_bytes(&half, BaseType::Half, &mut back, BaseType::Float);
    for (d, s) in v.iter_mut().zip(back.chunks_exact(4)) {
        *d = f32::from_ne_bytes([s[0], s[1], s[2], s[3]]);
    }
}

impl Buf {
    fn get(&self, x: usize, y: usize, c: usize) -> f32 {
        if x >= self.w || y >= self.h || c >= self.n {
            return 0.0;
        }
        self.px[(y * self.w + x) * self.n + c]
    }

    /// The pixel as 8-bit RGB (OIIO's float to uint8 rule; outside is black).
    fn rgb8(&self, x: usize, y: usize) -> [u8; 3] {
        let f: Vec<u8> = (0..3).flat_map(|c| self.get(x, y, c).to_ne_bytes()).collect();
        let mut out = [0u8; 3];
        convert_bytes(&f, BaseType::Float, &mut out, BaseType::UInt8);
        out
    }
}

fn srgb_encode(v: f32) -> f32 {
    if v < 0.003_130_8 {
        v * 12.92
    } else {
        1.055 * v.powf(1.0 / 2.4) - 0.055
    }
}

/// How to reach sRGB from a colour space, if we know.
enum Conversion {
    None,
    Linear,
    Acescg,
    Gamma(f32),
}

fn conversion_for(cs: &str) -> Conversion {
    let l = cs.to_ascii_lowercase();
    match l.as_str() {
        "srgb_rec709_scene" | "srgb" | "srgb_texture" | "srgb - texture" | "srgb_tx" | "srgb_rec709_display" => {
            Conversion::None
        }
        "lin_rec709_scene" | "linear" | "lin_rec709" | "lin_srgb" | "linear rec.709 (srgb)" => Conversion::Linear,
        "" | "scene_linear" | "acescg" | "lin_ap1_scene" | "lin_ap1" | "aces - acescg" => Conversion::Acescg,
        _ => {
            if let Some(rest) = l.strip_prefix('g') {
                let d = rest.bytes().take_while(u8::is_ascii_digit).count();
                if d > 0 && rest[d..].starts_with("_rec709") {
                    if let Ok(g10) = rest[..d].parse::<u32>() {
                        return Conversion::Gamma(g10 as f32 / 10.0);
                    }
                }
            }
            Conversion::None
        }
    }
}

/// ACEScg (AP1, D60) to linear Rec.709 (D65, Bradford), as OCIO's configs.
const AP1_TO_709: [[f32; 3]; 3] = [
    [1.705_051, -0.621_792_1, -0.083_258_9],
    [-0.130_256_4, 1.140_804_7, -0.010_548_3],
    [-0.024_003_4, -0.128_968_98, 1.152_972_3],
];

/// OIIO's colorconvert to sRGB, unpremultiplying by alpha around it.
fn to_srgb(buf: &mut Buf, cs: &str) {
    let conv = conversion_for(cs);
    if matches!(conv, Conversion::None) || buf.n < 3 {
        return;
    }
    let (n, alpha) = (buf.n, buf.alpha);
    for p in buf.px.chunks_exact_mut(n) {
        let a = alpha.map_or(1.0, |i| p[i]);
        let un = a != 0.0 && a != 1.0;
        let mut c = [p[0], p[1], p[2]];
        if un {
            c.iter_mut().for_each(|v| *v /= a);
        }
        match conv {
            Conversion::Linear => c = c.map(srgb_encode),
            Conversion::Acescg => {
                let m = AP1_TO_709;
                let lin = [0, 1, 2].map(|r| m[r][0] * c[0] + m[r][1] * c[1] + m[r][2] * c[2]);
                c = lin.map(srgb_encode);
            }
            Conversion::Gamma(g) => c = c.map(|v| srgb_encode(v.max(0.0).powf(g))),
            Conversion::None => {}
        }
        if un {
            c.iter_mut().for_each(|v| *v *= a);
        }
        p[..3].copy_from_slice(&c);
    }
    to_half_precision(&mut buf.px);
}

/// Shrink to `nw` x `nh` by averaging the source boxes.
fn resize(buf: &Buf, nw: usize, nh: usize) -> Buf {
    let (nw, nh) = (nw.max(1), nh.max(1));
    let mut px = vec![0f32; nw * nh * buf.n];
    for y in 0..nh {
        let (y0, y1) = (y * buf.h / nh, ((y + 1) * buf.h).div_ceil(nh).max(y * buf.h / nh + 1));
        for x in 0..nw {
            let (x0, x1) = (x * buf.w / nw, ((x + 1) * buf.w).div_ceil(nw).max(x * buf.w / nw + 1));
            let cnt = ((y1 - y0) * (x1 - x0)) as f32;
            for c in 0..buf.n {
                let mut s = 0.0;
                for yy in y0..y1.min(buf.h) {
                    for xx in x0..x1.min(buf.w) {
                        s += buf.get(xx, yy, c);
                    }
                }
                px[(y * nw + x) * buf.n + c] = s / cnt;
            }
        }
    }
    let mut out = Buf {
        w: nw,
        h: nh,
        n: buf.n,
        alpha: buf.alpha,
        px,
    };
    to_half_precision(&mut out.px);
    out
}

fn base64(data: &[u8]) -> String {
    const T: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for ch in data.chunks(3) {
        let b = [ch[0], *ch.get(1).unwrap_or(&0), *ch.get(2).unwrap_or(&0)];
        let v = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= ch.len() {
                out.push(T[(v >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// The method the environment implies when none was asked for.
fn default_method() -> &'static str {
    let var = |k: &str| std::env::var(k).unwrap_or_default();
    let version: f32 = {
        let v = var("TERM_PROGRAM_VERSION");
        let t = v.trim_start();
        let end = t
            .char_indices()
            .take_while(|(i, c)| c.is_ascii_digit() || *c == '.' || (*i == 0 && (*c == '-' || *c == '+')))
            .count();
        t[..end].trim_end_matches('.').parse().unwrap_or(0.0)
    };
    if var("TERM_PROGRAM") == "iTerm.app" && version >= 2.9 {
        "iterm2"
    } else if matches!(var("TERM").as_str(), "xterm" | "xterm-256color") {
        "24bit"
    } else {
        "256color"
    }
}

fn terminal_columns() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .unwrap_or(80)
}

const RESET: &str = "\x1b[0m";

/// The escape-code text for `buf` in `method`.
fn render(buf: &Buf, method: &str) -> Vec<u8> {
    let mut out = Vec::new();
    match method {
        "iterm2" => {
            let mut ppm = format!("P3\n{} {}\n255\n", buf.w, buf.h);
            for y in 0..buf.h {
                for x in 0..buf.w {
                    let [r, g, b] = buf.rgb8(x, y);
                    ppm += &format!("{r} {g} {b}\n");
                }
            }
            out.extend(format!("\x1b]1337;File=inline=1;width=auto:{}\x07\n", base64(ppm.as_bytes())).bytes());
        }
        "24bit" => {
            for y in (0..buf.h).step_by(2) {
                for x in 0..buf.w {
                    let [r, g, b] = buf.rgb8(x, y);
                    let [r2, g2, b2] = buf.rgb8(x, y + 1);
                    out.extend(format!("\x1b[38;2;{r};{g};{b}m\x1b[48;2;{r2};{g2};{b2}m\\u2580").bytes());
                }
                out.extend(format!("{RESET}\n").bytes());
            }
        }
        "24bit-space" => {
            for y in 0..buf.h {
                for x in 0..buf.w {
                    let [r, g, b] = buf.rgb8(x, y);
                    out.extend(format!("\x1b[48;2;{r};{g};{b}m ").bytes());
                }
                out.extend(format!("{RESET}\n").bytes());
            }
        }
        _ => {
            let dither = method == "dither";
            for y in 0..buf.h {
                let mut carry = [0f32; 3];
                for x in 0..buf.w {
                    let mut v = [0, 1, 2].map(|c| buf.get(x, y, c));
                    if dither {
                        v = [0, 1, 2].map(|c| v[c] + carry[c]);
                    }
                    let i = v.map(|c| (5.0 * c).floor() as i32);
                    if dither {
                        carry = [0, 1, 2].map(|c| v[c] - 0.2 * i[c] as f32);
                    }
                    let i = i.map(|c| c.clamp(0, 5));
                    out.extend(format!("\x1b[48;5;{}m ", 16 + 36 * i[0] + 6 * i[1] + i[2]).bytes());
                }
                out.extend(format!("{RESET}\n").bytes());
            }
        }
    }
    out
}

fn write(_path: &Path, req: &crate::WriteRequest<'_>) -> Result<(), IoError> {
    let level = req
        .subimages
        .first()
        .and_then(|l| l.first())
        .ok_or_else(|| IoError::Write("term: nothing to write".into()))?;
    let text = render_image(level.spec, level.pixels)?;
    let filename = level.spec.get_string_attribute("term:filename", "");
    if !filename.is_empty() {
        if let Ok(mut f) = std::fs::File::create(&filename) {
            return f.write_all(&text).map_err(|e| IoError::Write(e.to_string()));
        }
    }
    let mut out = std::io::stdout().lock();
    out.write_all(&text)
        .and_then(|_| out.flush())
        .map_err(|e| IoError::Write(e.to_string()))
}

/// The full terminal output for one image, as OIIO's writer makes it.
fn render_image(spec: &ImageSpec, pixels: &[u8]) -> Result<Vec<u8>, IoError> {
    check_output(spec)?;
    let (w, h, n) = (spec.width as usize, spec.height as usize, spec.nchannels as usize);
    let count = w * h * n;
    let cs = spec.format.size();
    if pixels.len() < count * cs {
        return Err(IoError::Write("term: not enough pixel data".into()));
    }
    let mut f = vec![0u8; count * 4];
    convert_bytes(&pixels[..count * cs], spec.format.basetype, &mut f, BaseType::Float);
    let mut px: Vec<f32> = f
        .chunks_exact(4)
        .map(|b| f32::from_ne_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    to_half_precision(&mut px);
    let alpha = (spec.alpha_channel >= 0 && (spec.alpha_channel as usize) < n).then_some(spec.alpha_channel as usize);
    let mut buf = Buf { w, h, n, alpha, px };
    to_srgb(&mut buf, &spec.get_string_attribute("oiio:ColorSpace", ""));
    let method = spec.get_string_attribute("term:method", "").to_ascii_lowercase();
    let method = if method.is_empty() {
        default_method().to_string()
    } else {
        method
    };
    let fit = spec.get_int_attribute("term:fit", 1) != 0;
    let cols = terminal_columns();
    let maxw = if method == "iterm2" { cols * 16 } else { cols };
    let yscale = if method == "iterm2" || method == "24bit" {
        1.0
    } else {
        0.5
    };
    if w > maxw && fit {
        let nh = (yscale * maxw as f32 / w as f32 * h as f32).round() as usize;
        buf = resize(&buf, maxw, nh);
    }
    Ok(render(&buf, &method))
}

#[cfg(test)]
mod tests {
    use super::*;
    use vfx_core::TypeDesc;

    fn image(cs: &str, method: &str) -> (ImageSpec, Vec<u8>) {
        let mut spec = ImageSpec::new(4, 3, 3, TypeDesc::FLOAT);
        if !cs.is_empty() {
            spec.attribute_str("oiio:ColorSpace", cs);
        }
        spec.attribute_str("term:method", method);
        spec.attribute_int("term:fit", 0);
        let corners = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9], [1.0, 1.0, 1.0f32]];
        let mut px = Vec::new();
        for y in 0..3 {
            for x in 0..4 {
                let (fx, fy) = (x as f32 / 3.0, y as f32 / 2.0);
                for (c, _) in corners[0].iter().enumerate() {
                    let top = corners[0][c] * (1.0 - fx) + corners[1][c] * fx;
                    let bot = corners[2][c] * (1.0 - fx) + corners[3][c] * fx;
                    px.extend((top * (1.0 - fy) + bot * fy).to_ne_bytes());
                }
            }
        }
        (spec, px)
    }

    fn first_line(cs: &str, method: &str) -> String {
        let (spec, px) = image(cs, method);
        let text = String::from_utf8(render_image(&spec, &px).unwrap()).unwrap();
        text.lines().next().unwrap().replace('\x1b', "^[")
    }

    #[test]
    fn matches_oiio_output() {
        assert_eq!(
            first_line("lin_rec709_scene", "24bit-space"),
            "^[[48;2;89;124;149m ^[[48;2;124;149;170m ^[[48;2;149;170;188m ^[[48;2;170;188;203m ^[[0m"
        );
        assert_eq!(
            first_line("", "24bit-space"),
            "^[[48;2;40;127;153m ^[[48;2;98;152;173m ^[[48;2;129;172;191m ^[[48;2;154;190;206m ^[[0m"
        );
        assert_eq!(
            first_line("g22_rec709_scene", "24bit-space"),
            "^[[48;2;19;48;75m ^[[48;2;48;75;102m ^[[48;2;75;102;128m ^[[48;2;102;128;154m ^[[0m"
        );
        assert_eq!(
            first_line("sRGB", "24bit"),
            "^[[38;2;25;51;77m^[[48;2;102;128;153m\\u2580^[[38;2;51;77;102m^[[48;2;128;149;170m\\u2580^[[38;2;77;102;128m^[[48;2;153;170;187m\\u2580^[[38;2;102;128;153m^[[48;2;179;191;204m\\u2580^[[0m"
        );
        assert_eq!(
            first_line("", "256color"),
            "^[[48;5;30m ^[[48;5;67m ^[[48;5;109m ^[[48;5;146m ^[[0m"
        );
        assert_eq!(
            first_line("", "dither"),
            "^[[48;5;30m ^[[48;5;110m ^[[48;5;146m ^[[48;5;152m ^[[0m"
        );
        assert_eq!(
            first_line("", "iterm2"),
            "^[]1337;File=inline=1;width=auto:UDMKNCAzCjI1NQo0MCAxMjcgMTUzCjk4IDE1MiAxNzMKMTI5IDE3MiAxOTEKMTU0IDE5MCAyMDYKMTU0IDE5MCAyMDYKMTc2IDIwMiAyMTUKMTk1IDIxNCAyMjQKMjEyIDIyNSAyMzIKMjA3IDIzMyAyNDYKMjI0IDI0MCAyNDkKMjQwIDI0OCAyNTIKMjU1IDI1NSAyNTUK\x07"
        );
    }

    #[test]
    fn alpha_is_unpremultiplied_around_the_conversion() {
        let mut spec = ImageSpec::new(1, 1, 4, TypeDesc::FLOAT);
        spec.attribute_str("oiio:ColorSpace", "lin_rec709_scene");
        spec.attribute_str("term:method", "24bit-space");
        let px: Vec<u8> = [0.5f32, 0.25, 1.0, 0.5].iter().flat_map(|v| v.to_ne_bytes()).collect();
        let text = String::from_utf8(render_image(&spec, &px).unwrap()).unwrap();
        assert_eq!(text, "\x1b[48;2;128;94;173m \x1b[0m\n");
    }

    #[test]
    fn rejections_and_fit() {
        let spec = ImageSpec::new(300, 10, 3, TypeDesc::UINT8);
        assert_eq!(
            render_image(&spec, &[0; 9000]).err().unwrap().to_string(),
            "term image resolution may not exceed 255x255, you asked for 300x10"
        );
        let spec = ImageSpec::new(3, 3, 1, TypeDesc::UINT8);
        assert_eq!(
            render_image(&spec, &[0; 9]).err().unwrap().to_string(),
            "term does not support 1-channel images"
        );
        let mut spec = ImageSpec::new(200, 10, 3, TypeDesc::UINT8);
        spec.attribute_str("term:method", "24bit-space");
        let text = String::from_utf8(render_image(&spec, &[200; 6000]).unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        let cols = terminal_columns();
        if cols < 200 {
            assert_eq!(
                lines.len(),
                (0.5 * cols as f32 / 200.0 * 10.0).round().max(1.0) as usize
            );
            assert_eq!(lines[0].matches(' ').count(), cols);
        }
        assert_eq!(base64(b"P3\n0 0\n255\n"), "UDMKMCAwCjI1NQo=");
    }
}

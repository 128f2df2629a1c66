//! GIF: read and write as OpenImageIO 3.2.2 does (its reader sits on
//! giflib 5.2, its writer is Charlie Tangora's public-domain `gif.h`).
//!
//! Reading: every frame is a subimage the size of the logical screen, RGBA
//! uint8. Frames are drawn in order onto one canvas: the canvas is cleared to
//! transparent black before frame 0 and whenever the previous frame asked
//! for "restore to background" (disposal 2); otherwise a frame is painted
//! over what is there. Every pixel of a frame's rectangle is written, the
//! transparent index included (as its palette colour with alpha 0), which
//! is how OIIO composites. The LZW decoder follows giflib step by step so
//! damaged files fail (or succeed) where OIIO's do, with giflib's messages.
//!
//! Metadata per subimage: `oiio:ColorSpace`, then what the extensions before
//! the frame say in file order (`FramesPerSecond` and `oiio:Movie` from a
//! non-zero delay, `ImageDescription` from comments, `gif:LoopCount` and
//! `oiio:LoopCount` from a 3-byte application sub-block), then
//! `gif:Interlacing`. Like OIIO, `alpha_channel` is set to 4.
//!
//! Writing reproduces `gif.h` with dithering on, as OIIO calls it: a
//! 255-colour palette per frame from a median-split k-d tree, Floyd-Steinberg
//! error diffusion, index 0 reserved for "unchanged since the previous
//! frame", a frame delay of 100 / `FramesPerSecond` (default 1) hundredths
//! and a NETSCAPE looping block when that delay is not zero. Alpha is not
//! stored.

use crate::{Format, IoError, Reader, WriteRequest};
use std::path::Path;
use vfx_core::convert::convert_bytes;
use vfx_core::paramvalue::{Interp, Value};
use vfx_core::{globals, ImageSpec, ParamValue, PixelData, TypeDesc};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "gif",
    extensions: &["gif"],
    sniff,
    open: Some(open_with),
    write: Some(write_request),
    supports,
};

/// OIIO's reader answers "ioproxy" and "multiimage"; its writer also
/// "alpha", "random_access" and "appendsubimage". One table serves both.
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(
        feature,
        "ioproxy" | "multiimage" | "alpha" | "random_access" | "appendsubimage"
    ))
}

/// giflib only looks at the first three bytes.
pub fn sniff(head: &[u8]) -> bool {
    head.starts_with(b"GIF")
}

// ---------------------------------------------------------------------------
// giflib's error codes, as `GifErrorString` words them.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum GifErr {
    /// giflib failed without setting a code (OIIO then says so).
    Unset,
    ReadFailed,
    NotGif,
    NoScreenDesc,
    WrongRecord,
    DataTooBig,
    ImageDefect,
    EofTooSoon,
}

impl GifErr {
    fn message(self) -> &'static str {
        match self {
            GifErr::Unset => "unknown error",
            GifErr::ReadFailed => "Failed to read from given file",
            GifErr::NotGif => "Data is not in GIF format",
            GifErr::NoScreenDesc => "No screen descriptor detected",
            GifErr::WrongRecord => "Wrong record type detected",
            GifErr::DataTooBig => "Number of pixels bigger than width * height",
            GifErr::ImageDefect => "Image is defective, decoding aborted",
            GifErr::EofTooSoon => "Image EOF detected before image complete",
        }
    }
}

/// The file in memory, read the way OIIO feeds giflib: a short read records
/// OIIO's "GIF read error" message and fails.
struct Src<'a> {
    data: &'a [u8],
    pos: usize,
    messages: Vec<String>,
}

impl<'a> Src<'a> {
    fn new(data: &'a [u8], pos: usize) -> Src<'a> {
        Src {
            data,
            pos,
            messages: Vec::new(),
        }
    }

    fn read(&mut self, n: usize) -> Option<&'a [u8]> {
        let avail = self.data.len().saturating_sub(self.pos);
        if avail < n {
            self.messages.push(format!(
                "GIF read error at position {}, asked for {n} bytes, got {avail} (total size {})",
                self.pos,
                self.data.len()
            ));
            self.pos = self.data.len();
            return None;
        }
        let s = &self.data[self.pos..self.pos + n];
        self.pos += n;
        Some(s)
    }

    fn byte(&mut self) -> Result<u8, GifErr> {
        self.read(1).map(|b| b[0]).ok_or(GifErr::ReadFailed)
    }

    fn word(&mut self) -> Result<u16, GifErr> {
        self.read(2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
            .ok_or(GifErr::ReadFailed)
    }

    /// All messages so far plus giflib's, one per line (OIIO's error text).
    fn fail(&mut self, e: GifErr) -> String {
        self.messages.push(e.message().to_string());
        std::mem::take(&mut self.messages).join("\n")
    }

    /// A colour table of `1 << bits` entries.
    fn color_map(&mut self, bits: u32) -> Result<Vec<[u8; 3]>, GifErr> {
        // giflib reads the table one entry at a time.
        (0..1usize << bits)
            .map(|_| self.read(3).map(|c| [c[0], c[1], c[2]]).ok_or(GifErr::ReadFailed))
            .collect()
    }

    /// giflib's `DGifGetCodeNext`: one data sub-block, `None` at the
    /// terminator.
    fn sub_block(&mut self) -> Result<Option<&'a [u8]>, GifErr> {
        let n = self.byte()? as usize;
        if n == 0 {
            return Ok(None);
        }
        self.read(n).map(Some).ok_or(GifErr::ReadFailed)
    }
}

// ---------------------------------------------------------------------------
// LZW decoding, step for step as giflib's DGifDecompressLine.

const LZ_MAX_CODE: usize = 4095;
const LZ_BITS: u32 = 12;
const NO_SUCH_CODE: u16 = 4098;

struct Lzw {
    bits_per_pixel: u32,
    clear_code: i32,
    eof_code: i32,
    running_code: i32,
    running_bits: u32,
    max_code1: i32,
    last_code: i32,
    shift_state: u32,
    shift_word: u64,
    stack_ptr: usize,
    /// Bytes left in the current data sub-block and where they are.
    block_at: usize,
    block_len: usize,
    /// Pixels of the frame still to be delivered (giflib's PixelCount).
    pixel_count: u64,
    prefix: Box<[u16; LZ_MAX_CODE + 1]>,
    suffix: Box<[u8; LZ_MAX_CODE + 1]>,
    stack: Box<[u8; LZ_MAX_CODE]>,
}

impl Lzw {
    /// `DGifSetupDecompress`: read the minimum code size.
    fn setup(src: &mut Src<'_>, pixel_count: u64) -> Result<Lzw, GifErr> {
        // giflib leaves its error code unset when this byte is missing.
        let code_size = src.read(1).ok_or(GifErr::Unset)?[0] as u32;
        if code_size > 8 {
            return Err(GifErr::ReadFailed);
        }
        let clear = 1i32 << code_size;
        Ok(Lzw {
            bits_per_pixel: code_size,
            clear_code: clear,
            eof_code: clear + 1,
            running_code: clear + 2,
            running_bits: code_size + 1,
            max_code1: 1 << (code_size + 1),
            last_code: NO_SUCH_CODE as i32,
            shift_state: 0,
            shift_word: 0,
            stack_ptr: 0,
            block_at: 0,
            block_len: 0,
            pixel_count,
            prefix: Box::new([NO_SUCH_CODE; LZ_MAX_CODE + 1]),
            suffix: Box::new([0; LZ_MAX_CODE + 1]),
            stack: Box::new([0; LZ_MAX_CODE]),
        })
    }

    /// `DGifBufferedInput`: the next byte of the code stream.
    fn next_byte(&mut self, src: &mut Src<'_>) -> Result<u8, GifErr> {
        if self.block_at >= self.block_len {
            let n = src.byte()? as usize;
            if n == 0 {
                return Err(GifErr::ImageDefect);
            }
            let start = src.pos;
            src.read(n).ok_or(GifErr::ReadFailed)?;
            self.block_at = start;
            self.block_len = start + n;
        }
        let b = src.data[self.block_at];
        self.block_at += 1;
        Ok(b)
    }

    /// `DGifDecompressInput`: the next code.
    fn next_code(&mut self, src: &mut Src<'_>) -> Result<i32, GifErr> {
        if self.running_bits > LZ_BITS {
            return Err(GifErr::ImageDefect);
        }
        while self.shift_state < self.running_bits {
            let b = self.next_byte(src)?;
            self.shift_word |= u64::from(b) << self.shift_state;
            self.shift_state += 8;
        }
        let code = (self.shift_word & ((1u64 << self.running_bits) - 1)) as i32;
        self.shift_word >>= self.running_bits;
        self.shift_state -= self.running_bits;
        if self.running_code < LZ_MAX_CODE as i32 + 2 {
            self.running_code += 1;
            if self.running_code > self.max_code1 && self.running_bits < LZ_BITS {
                self.max_code1 <<= 1;
                self.running_bits += 1;
            }
        }
        Ok(code)
    }

    /// `DGifGetPrefixChar`.
    fn prefix_char(&self, mut code: i32) -> i32 {
        let mut i = 0;
        while code > self.clear_code && i <= LZ_MAX_CODE {
            i += 1;
            if code > LZ_MAX_CODE as i32 {
                return NO_SUCH_CODE as i32;
            }
            code = self.prefix[code as usize] as i32;
        }
        code
    }

    /// Move the top of the pixel stack into `out`; returns how many.
    fn pop_stack(&mut self, out: &mut [u8]) -> usize {
        let n = self.stack_ptr.min(out.len());
        let top = self.stack_ptr;
        for (o, s) in out[..n].iter_mut().zip(self.stack[top - n..top].iter().rev()) {
            *o = *s;
        }
        self.stack_ptr -= n;
        n
    }

    /// `DGifDecompressLine`: fill `line` with indices.
    fn decompress(&mut self, src: &mut Src<'_>, line: &mut [u8]) -> Result<(), GifErr> {
        let mut i = 0;
        let len = line.len();
        if self.stack_ptr > LZ_MAX_CODE {
            return Err(GifErr::Unset);
        }
        i += self.pop_stack(&mut line[i..]);
        let mut last_code = self.last_code;
        while i < len {
            let code = self.next_code(src)?;
            if code == self.eof_code {
                return Err(GifErr::EofTooSoon);
            }
            if code == self.clear_code {
                self.prefix.fill(NO_SUCH_CODE);
                self.running_code = self.eof_code + 1;
                self.running_bits = self.bits_per_pixel + 1;
                self.max_code1 = 1 << self.running_bits;
                last_code = NO_SUCH_CODE as i32;
                self.last_code = last_code;
                continue;
            }
            let rc2 = (self.running_code - 2) as usize;
            if code < self.clear_code {
                line[i] = code as u8;
                i += 1;
            } else {
                let mut prefix;
                if self.prefix[code as usize] == NO_SUCH_CODE {
                    prefix = last_code;
                    // Only the code about to be defined may be unknown (the
                    // KwKwK case); giflib carries on regardless.
                    let c = if code as usize == rc2 { last_code } else { code };
                    let ch = self.prefix_char(c) as u8;
                    if rc2 <= LZ_MAX_CODE {
                        self.suffix[rc2] = ch;
                    }
                    self.stack[self.stack_ptr] = ch;
                    self.stack_ptr += 1;
                } else {
                    prefix = code;
                }
                while self.stack_ptr < LZ_MAX_CODE && prefix > self.clear_code && prefix <= LZ_MAX_CODE as i32 {
                    self.stack[self.stack_ptr] = self.suffix[prefix as usize];
                    self.stack_ptr += 1;
                    prefix = self.prefix[prefix as usize] as i32;
                }
                if self.stack_ptr >= LZ_MAX_CODE || prefix > LZ_MAX_CODE as i32 {
                    return Err(GifErr::ImageDefect);
                }
                self.stack[self.stack_ptr] = prefix as u8;
                self.stack_ptr += 1;
                i += self.pop_stack(&mut line[i..]);
            }
            if last_code != NO_SUCH_CODE as i32 && rc2 <= LZ_MAX_CODE && self.prefix[rc2] == NO_SUCH_CODE {
                self.prefix[rc2] = last_code as u16;
                let c = if code as usize == rc2 { last_code } else { code };
                self.suffix[rc2] = self.prefix_char(c) as u8;
            }
            last_code = code;
        }
        self.last_code = last_code;
        Ok(())
    }

    /// `DGifGetLine`: one row of indices; after the frame's last pixel the
    /// remaining data sub-blocks are skipped.
    fn get_line(&mut self, src: &mut Src<'_>, line: &mut [u8]) -> Result<(), GifErr> {
        self.pixel_count = self.pixel_count.wrapping_sub(line.len() as u64);
        if self.pixel_count > 0xffff_0000 {
            return Err(GifErr::DataTooBig);
        }
        self.decompress(src, line)?;
        if self.pixel_count == 0 {
            while src.sub_block()?.is_some() {}
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------
// Reader

/// One frame: what its subimage reports and where its pixels are.
#[derive(Clone, Debug)]
struct Frame {
    spec: ImageSpec,
    left: i64,
    top: i64,
    width: usize,
    height: usize,
    interlace: bool,
    palette: Vec<[u8; 3]>,
    transparent: i32,
    /// Canvas cleared before drawing (frame 0, or previous disposal 2).
    clear_first: bool,
    /// File offset of the LZW minimum-code-size byte.
    lzw_pos: usize,
}

/// The logical screen and global colour table.
struct Screen {
    width: u16,
    height: u16,
    global: Option<Vec<[u8; 3]>>,
}

/// `FORMAT.open`.
pub fn open(path: &Path, config: &ImageSpec) -> Result<Box<dyn Reader>, IoError> {
    let given = *config != ImageSpec::default();
    open_with(path, given.then_some(config))
}

/// Open: parse the whole file, decoding every frame once to find where each
/// ends and which are readable (OIIO's seek to a subimage decodes it); the
/// first frame's canvas is kept, as OIIO keeps it after `open`.
pub fn open_with(path: &Path, _config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let data = std::fs::read(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    Ok(Box::new(GifReader::from_bytes(data)?))
}

struct GifReader {
    data: Vec<u8>,
    screen_w: usize,
    screen_h: usize,
    frames: Vec<Frame>,
    /// The last canvas drawn: (subimage, RGBA pixels).
    canvas: Option<(usize, PixelData)>,
}

/// OIIO's `decode_line_number`: the canvas row of the `n`-th stored row of
/// an interlaced frame of height `h`.
fn interlaced_row(n: usize, h: usize) -> usize {
    if h > 1 && n >= h.div_ceil(2) {
        return 2 * (n - h.div_ceil(2)) + 1;
    }
    if h > 2 && n >= h.div_ceil(4) {
        return 4 * (n - h.div_ceil(4)) + 2;
    }
    if h > 4 && n >= h.div_ceil(8) {
        return 8 * (n - h.div_ceil(8)) + 4;
    }
    n * 8
}

/// OIIO's `check_open` with the GIF reader's limits (32768 x 32768, 4
/// channels) and `check_compression_ratio`.
fn check_open(spec: &ImageSpec, file_size: u64) -> Result<(), String> {
    let (w, h, d, n) = (spec.width, spec.height, spec.depth, spec.nchannels);
    if w <= 0 || h <= 0 || d <= 0 || n <= 0 {
        return Err(format!(
            "gif image resolution must be at least 1x1, but the file specified {w}x{h}x{d}, {n} chans. Possible corrupt input?"
        ));
    }
    if w > 32768 || h > 32768 {
        return Err(format!(
            "gif image resolution may not exceed 32768x32768, but the file appears to be {w}x{h}. Possible corrupt input?"
        ));
    }
    let max_res = globals::get_int_attribute("limits:resolution", 1 << 20);
    if max_res > 0 && (w > max_res || h > max_res) {
        return Err(format!(
            "gif image dimension {w}x{h} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\"."
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
            "gif header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            bytes >> 20
        ));
    }
    Ok(())
}

fn frames_per_second(delay: u16) -> ParamValue {
    ParamValue::from_values(
        "FramesPerSecond",
        TypeDesc::RATIONAL,
        1,
        Interp::Constant,
        &[Value::Int(100), Value::Int(i64::from(delay))],
    )
    .expect("two values for a rational")
}

/// What the extension blocks before a frame set.
struct FrameExtras {
    transparent: i32,
    disposal: i32,
}

/// One extension sub-block, as OIIO's `read_gif_extension` handles it.
fn apply_extension(code: u8, block: &[u8], spec: &mut ImageSpec, extras: &mut FrameExtras) {
    let n = block.len();
    match code {
        0xf9 => {
            if n < 4 {
                return;
            }
            if block[0] & 1 != 0 {
                extras.transparent = i32::from(block[3]);
            }
            extras.disposal = i32::from((block[0] & 0x1c) >> 2);
            let delay = u16::from_le_bytes([block[1], block[2]]);
            if delay != 0 {
                spec.attribute(frames_per_second(delay));
                spec.attribute_int("oiio:Movie", 1);
            }
        }
        0xfe => {
            // The comment is taken byte for byte, stopping at a NUL as a C
            // string would when OIIO stores it.
            let end = block.iter().position(|&c| c == 0).unwrap_or(n);
            spec.attribute_str("ImageDescription", &String::from_utf8_lossy(&block[..end]));
        }
        0xff if n == 3 => {
            let count = i32::from(u16::from_le_bytes([block[1], block[2]]));
            spec.attribute_int("gif:LoopCount", count);
            spec.attribute_int("oiio:LoopCount", count);
        }
        _ => {}
    }
}

impl GifReader {
    fn from_bytes(data: Vec<u8>) -> Result<GifReader, IoError> {
        let file_size = data.len() as u64;
        let mut src = Src::new(&data, 0);
        let screen = read_screen(&mut src).map_err(IoError::Corrupt)?;
        let (sw, sh) = (usize::from(screen.width), usize::from(screen.height));
        let mut frames: Vec<Frame> = Vec::new();
        let mut canvas0 = None;
        let mut prev_disposal = 0;
        loop {
            let index = frames.len();
            let frame = match read_frame_header(&mut src, &screen, index, prev_disposal, file_size) {
                Ok(Some((f, disposal))) => {
                    prev_disposal = disposal;
                    f
                }
                Ok(None) => break,
                Err(msg) if index == 0 => return Err(IoError::Corrupt(msg)),
                Err(_) => break,
            };
            // Frame 0 is drawn now (OIIO draws it in `open`); later frames
            // are only decoded to check them and to find where they end.
            let drawn = if index == 0 {
                let mut canvas = alloc_canvas(sw, sh).map_err(IoError::Corrupt)?;
                draw_frame(&mut src, &frame, Some(canvas.bytes_mut()), sw, sh).map(|_| Some(canvas))
            } else {
                draw_frame(&mut src, &frame, None, sw, sh).map(|_| None)
            };
            match drawn {
                Ok(c) => {
                    if index == 0 {
                        canvas0 = c;
                    }
                    frames.push(frame);
                }
                Err(msg) if index == 0 => return Err(IoError::Corrupt(msg)),
                Err(_) => break,
            }
        }
        if frames.is_empty() {
            // The file ended (or terminated) before any image: OIIO's seek
            // to subimage 0 fails with whatever giflib reported.
            return Err(IoError::Corrupt(src.messages.join("\n")));
        }
        Ok(GifReader {
            data,
            screen_w: sw,
            screen_h: sh,
            frames,
            canvas: canvas0.map(|c| (0, c)),
        })
    }

    /// The canvas after drawing frame `k` (left in the cache), reusing the
    /// cached one when it is frame `k` or an earlier one.
    fn draw_up_to(&mut self, k: usize) -> Result<(), IoError> {
        let (sw, sh) = (self.screen_w, self.screen_h);
        // Start from the latest frame <= k that clears the canvas, or from
        // the cached canvas if that is later.
        let restart = (0..=k).rev().find(|&j| self.frames[j].clear_first).unwrap_or(0);
        let (mut next, mut canvas) = match self.canvas.take() {
            Some((c, px)) if c <= k && c >= restart => (c + 1, px),
            _ => (restart, alloc_canvas(sw, sh).map_err(IoError::Corrupt)?),
        };
        while next <= k {
            let frame = &self.frames[next];
            let mut src = Src::new(&self.data, frame.lzw_pos);
            if frame.clear_first && next != restart {
                canvas.bytes_mut().fill(0);
            }
            draw_frame(&mut src, frame, Some(canvas.bytes_mut()), sw, sh).map_err(IoError::Corrupt)?;
            next += 1;
        }
        self.canvas = Some((k, canvas));
        Ok(())
    }
}

/// A transparent black canvas (OIIO's limit: 2^31 bytes).
fn alloc_canvas(w: usize, h: usize) -> Result<PixelData, String> {
    if w * h > i32::MAX as usize / 4 {
        return Err("GIF image canvas is too large".into());
    }
    PixelData::zeroed(w * h * 4).map_err(|e| e.to_string())
}

/// `DGifOpen`: signature and logical screen descriptor.
fn read_screen(src: &mut Src<'_>) -> Result<Screen, String> {
    let sig = match src.read(6) {
        Some(s) => s,
        None => return Err(src.fail(GifErr::ReadFailed)),
    };
    if &sig[..3] != b"GIF" {
        return Err(src.fail(GifErr::NotGif));
    }
    let header = (|| -> Result<Screen, GifErr> {
        let width = src.word()?;
        let height = src.word()?;
        let flags = src.read(3).ok_or(GifErr::ReadFailed)?[0];
        let global = if flags & 0x80 != 0 {
            Some(src.color_map(u32::from(flags & 7) + 1)?)
        } else {
            None
        };
        Ok(Screen { width, height, global })
    })();
    header.map_err(|_| src.fail(GifErr::NoScreenDesc))
}

/// OIIO's `read_subimage_metadata` plus the canvas geometry and checks of
/// `seek_subimage`: the records up to and including the next image
/// descriptor. `None` at the trailer or when the records cannot be read
/// after the first frame (OIIO's seek then just fails).
fn read_frame_header(
    src: &mut Src<'_>,
    screen: &Screen,
    index: usize,
    prev_disposal: i32,
    file_size: u64,
) -> Result<Option<(Frame, i32)>, String> {
    let mut spec = ImageSpec::with_format(TypeDesc::UINT8);
    spec.nchannels = 4;
    spec.default_channel_names();
    // OIIO sets 4 here (one past the last channel).
    spec.alpha_channel = 4;
    spec.set_colorspace("srgb_rec709_scene");
    let mut extras = FrameExtras {
        transparent: -1,
        disposal: 0,
    };
    let desc = loop {
        let rec = match src.byte() {
            Ok(b) => b,
            Err(e) => return Err(src.fail(e)),
        };
        match rec {
            b',' => break read_image_desc(src).map_err(|e| src.fail(e))?,
            b'!' => {
                let code = src.byte().map_err(|e| src.fail(e))?;
                while let Some(block) = src.sub_block().map_err(|e| src.fail(e))? {
                    apply_extension(code, block, &mut spec, &mut extras);
                }
            }
            b';' => return Ok(None),
            _ => return Err(src.fail(GifErr::WrongRecord)),
        }
    };
    spec.attribute_int("gif:Interlacing", i32::from(desc.interlace));
    spec.width = i32::from(screen.width);
    spec.height = i32::from(screen.height);
    spec.depth = 1;
    spec.full_width = spec.width;
    spec.full_height = spec.height;
    spec.full_depth = 1;
    check_open(&spec, file_size)?;
    let palette = match (desc.local, &screen.global) {
        (Some(local), _) => local,
        (None, Some(global)) => global.clone(),
        (None, None) => return Err("Neither local nor global colormap present.".into()),
    };
    Ok(Some((
        Frame {
            spec,
            left: i64::from(desc.left),
            top: i64::from(desc.top),
            width: usize::from(desc.width),
            height: usize::from(desc.height),
            interlace: desc.interlace,
            palette,
            transparent: extras.transparent,
            clear_first: index == 0 || prev_disposal == 2,
            lzw_pos: desc.lzw_pos,
        },
        extras.disposal,
    )))
}

struct ImageDesc {
    left: u16,
    top: u16,
    width: u16,
    height: u16,
    interlace: bool,
    local: Option<Vec<[u8; 3]>>,
    lzw_pos: usize,
}

/// `DGifGetImageHeader` (up to, not including, the LZW code size byte).
fn read_image_desc(src: &mut Src<'_>) -> Result<ImageDesc, GifErr> {
    let left = src.word()?;
    let top = src.word()?;
    let width = src.word()?;
    let height = src.word()?;
    let flags = src.byte()?;
    let local = if flags & 0x80 != 0 {
        Some(src.color_map(u32::from(flags & 7) + 1)?)
    } else {
        None
    };
    Ok(ImageDesc {
        left,
        top,
        width,
        height,
        interlace: flags & 0x40 != 0,
        local,
        lzw_pos: src.pos,
    })
}

/// OIIO's `read_subimage_data`: decode a frame's rows and paint them onto
/// `canvas` (or only check them when `canvas` is `None`). `src` must be at
/// the frame's LZW code size byte; it is left after the frame's data.
fn draw_frame(
    src: &mut Src<'_>,
    frame: &Frame,
    mut canvas: Option<&mut [u8]>,
    sw: usize,
    sh: usize,
) -> Result<(), String> {
    src.pos = frame.lzw_pos;
    let pixel_count = frame.width as u64 * frame.height as u64;
    let mut lzw = Lzw::setup(src, pixel_count).map_err(|e| src.fail(e))?;
    let ncolors = frame.palette.len();
    // Palette entries as canvas pixels (the transparent index gets alpha 0).
    let table: Vec<[u8; 4]> = frame
        .palette
        .iter()
        .enumerate()
        .map(|(i, c)| [c[0], c[1], c[2], if i as i32 != frame.transparent { 255 } else { 0 }])
        .collect();
    // The part of each row inside the canvas.
    let x0 = frame.left as usize;
    let n_in = if x0 < sw { (sw - x0).min(frame.width) } else { 0 };
    let mut line = vec![0u8; frame.width];
    for wy in 0..frame.height {
        lzw.get_line(src, &mut line).map_err(|e| src.fail(e))?;
        let row = if frame.interlace {
            interlaced_row(wy, frame.height)
        } else {
            wy
        };
        let y = frame.top + row as i64;
        if y < 0 || y >= sh as i64 {
            continue;
        }
        if ncolors < 256 {
            if let Some(wx) = line.iter().position(|&v| usize::from(v) >= ncolors) {
                let v = line[wx];
                return Err(format!(
                    "Possible corruption: Encoded value {v} @ ({wx},{y}) exceeds palette size {ncolors}"
                ));
            }
        }
        let Some(canvas) = canvas.as_deref_mut().filter(|_| n_in > 0) else {
            continue;
        };
        let start = (y as usize * sw + x0) * 4;
        let dst = &mut canvas[start..start + n_in * 4];
        for (d, &v) in dst.chunks_exact_mut(4).zip(&line[..n_in]) {
            d.copy_from_slice(&table[usize::from(v)]);
        }
    }
    Ok(())
}

impl Reader for GifReader {
    fn format_name(&self) -> &'static str {
        "gif"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        if miplevel != 0 {
            return None;
        }
        self.frames.get(subimage).map(|f| f.spec.clone())
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        if miplevel != 0 || subimage >= self.frames.len() {
            return Err(IoError::Open(String::new()));
        }
        self.draw_up_to(subimage)?;
        if self.frames.len() == 1 {
            // Nothing else will be drawn on it: hand it over (drawn again
            // if asked for twice).
            return Ok(self.canvas.take().expect("just drawn").1);
        }
        let canvas = &self.canvas.as_ref().expect("just drawn").1;
        let mut px = PixelData::zeroed(canvas.bytes().len()).map_err(|e| IoError::Corrupt(e.to_string()))?;
        px.bytes_mut().copy_from_slice(canvas.bytes());
        Ok(px)
    }
}

// ---------------------------------------------------------------------------
// Writer: gif.h's algorithm (public domain), reimplemented.

/// Palette index meaning "transparent / unchanged".
const TRANS_INDEX: usize = 0;
/// Colour bits per frame (gif.h is always called with 8).
const BIT_DEPTH: u32 = 8;

/// A 256-entry palette with the k-d tree that finds colours in it: node `i`
/// splits on channel `split_elt[i]` at `split[i]`; nodes 256..511 are the
/// leaves, i.e. palette entries 0..255.
struct Palette {
    rgb: [[u8; 3]; 256],
    split_elt: [u8; 256],
    split: [u8; 256],
}

impl Palette {
    /// Best palette entry for a colour (never the transparent one), updating
    /// `best`/`best_diff` only when something closer turns up.
    fn closest(&self, c: [i32; 3], best: &mut usize, best_diff: &mut i32, node: usize) {
        let leaves = 1usize << BIT_DEPTH;
        if node > leaves - 1 {
            let ind = node - leaves;
            if ind == TRANS_INDEX {
                return;
            }
            let p = self.rgb[ind];
            let diff = (c[0] - i32::from(p[0])).abs() + (c[1] - i32::from(p[1])).abs() + (c[2] - i32::from(p[2])).abs();
            if diff < *best_diff {
                *best = ind;
                *best_diff = diff;
            }
            return;
        }
        let comp = c[usize::from(self.split_elt[node])];
        let pos = i32::from(self.split[node]);
        if pos > comp {
            self.closest(c, best, best_diff, node * 2);
            if *best_diff > pos - comp {
                self.closest(c, best, best_diff, node * 2 + 1);
            }
        } else {
            self.closest(c, best, best_diff, node * 2 + 1);
            if *best_diff > comp - pos {
                self.closest(c, best, best_diff, node * 2);
            }
        }
    }
}

/// Quicksort's partition step on channel `elt` of `px[left..right]`, with
/// gif.h's alternating treatment of values equal to the pivot.
fn partition(px: &mut [[u8; 3]], left: usize, right: usize, elt: usize, pivot: usize) -> usize {
    let pivot_value = px[pivot][elt];
    px.swap(pivot, right - 1);
    let mut store = left;
    let mut split = false;
    for i in left..right - 1 {
        let v = px[i][elt];
        if v < pivot_value {
            px.swap(i, store);
            store += 1;
        } else if v == pivot_value {
            if split {
                px.swap(i, store);
                store += 1;
            }
            split = !split;
        }
    }
    px.swap(store, right - 1);
    store
}

/// Partial sort so that everything before `center` is <= everything after.
fn partition_by_median(px: &mut [[u8; 3]], mut left: usize, mut right: usize, elt: usize, center: usize) {
    while left + 1 < right {
        let pivot = partition(px, left, right, elt, left + (right - left) / 2);
        if pivot > center {
            right = pivot;
        } else if pivot < center {
            left = pivot + 1;
        } else {
            break;
        }
    }
}

/// gif.h's `GifSplitPalette`: build the tree and palette entries
/// `first..last` from `px` (sorted in place).
#[allow(clippy::too_many_arguments)]
fn split_palette(
    px: &mut [[u8; 3]],
    first: usize,
    last: usize,
    split_elt: usize,
    split_dist: usize,
    node: usize,
    dither: bool,
    pal: &mut Palette,
) {
    let n = px.len();
    if last <= first || n == 0 {
        return;
    }
    if last == first + 1 {
        if dither {
            // Dithering wants the darkest and the brightest colour present.
            if first == 1 {
                let mut m = [255u8; 3];
                for p in px.iter() {
                    for c in 0..3 {
                        m[c] = m[c].min(p[c]);
                    }
                }
                pal.rgb[first] = m;
                return;
            }
            if first == (1 << BIT_DEPTH) - 1 {
                let mut m = [0u8; 3];
                for p in px.iter() {
                    for c in 0..3 {
                        m[c] = m[c].max(p[c]);
                    }
                }
                pal.rgb[first] = m;
                return;
            }
        }
        let mut sum = [0u64; 3];
        for p in px.iter() {
            for c in 0..3 {
                sum[c] += u64::from(p[c]);
            }
        }
        let n = n as u64;
        pal.rgb[first] = std::array::from_fn(|c| ((sum[c] + n / 2) / n) as u8);
        return;
    }
    let mut lo = [255u8; 3];
    let mut hi = [0u8; 3];
    for p in px.iter() {
        for c in 0..3 {
            lo[c] = lo[c].min(p[c]);
            hi[c] = hi[c].max(p[c]);
        }
    }
    let range: [i32; 3] = std::array::from_fn(|c| i32::from(hi[c]) - i32::from(lo[c]));
    let mut com = 1;
    if range[2] > range[1] {
        com = 2;
    }
    if range[0] > range[2] && range[0] > range[1] {
        com = 0;
    }
    let sub_a = (n as i64 * (split_elt - first) as i64 / (last - first) as i64) as usize;
    partition_by_median(px, 0, n, com, sub_a);
    pal.split_elt[node] = com as u8;
    pal.split[node] = px[sub_a][com];
    let (a, b) = px.split_at_mut(sub_a);
    split_palette(
        a,
        first,
        split_elt,
        split_elt - split_dist,
        split_dist / 2,
        node * 2,
        dither,
        pal,
    );
    split_palette(
        b,
        split_elt,
        last,
        split_elt + split_dist,
        split_dist / 2,
        node * 2 + 1,
        dither,
        pal,
    );
}

/// gif.h's `GifMakePalette` for a whole frame (dithering never passes the
/// previous frame).
fn make_palette(rgba: &[u8]) -> Palette {
    let mut pal = Palette {
        rgb: [[0; 3]; 256],
        split_elt: [0; 256],
        split: [0; 256],
    };
    let mut px: Vec<[u8; 3]> = rgba.chunks_exact(4).map(|p| [p[0], p[1], p[2]]).collect();
    let last = 1usize << BIT_DEPTH;
    split_palette(&mut px, 1, last, last / 2, last / 4, 1, true, &mut pal);
    let t = 1usize << (BIT_DEPTH - 1);
    pal.split[t] = 0;
    pal.split_elt[t] = 0;
    pal.rgb[0] = [0, 0, 0];
    pal
}

/// gif.h's `GifDitherImage`: Floyd-Steinberg onto the palette. `out` gets
/// RGB and the palette index in the fourth byte; pixels whose colour equals
/// the previous frame's become the transparent index.
fn dither_image(last: Option<&[u8]>, next: &[u8], out: &mut [u8], w: usize, h: usize, pal: &Palette) {
    let n = w * h;
    let mut q: Vec<i32> = next.iter().map(|&v| i32::from(v) * 256).collect();
    let spread = |q: &mut [i32], loc: usize, err: [i32; 3], k: i32| {
        if loc < n {
            let p = &mut q[4 * loc..4 * loc + 3];
            for c in 0..3 {
                p[c] += (-p[c]).max(err[c] * k / 16);
            }
        }
    };
    for yy in 0..h {
        for xx in 0..w {
            let i = yy * w + xx;
            let want: [i32; 3] = std::array::from_fn(|c| (q[4 * i + c] + 127) / 256);
            if let Some(last) = last {
                let lp = &last[4 * i..4 * i + 3];
                if (0..3).all(|c| i32::from(lp[c]) == want[c]) {
                    q[4 * i..4 * i + 3].copy_from_slice(&want);
                    q[4 * i + 3] = TRANS_INDEX as i32;
                    continue;
                }
            }
            let mut best = TRANS_INDEX;
            let mut best_diff = 1_000_000;
            pal.closest(want, &mut best, &mut best_diff, 1);
            let p = pal.rgb[best];
            let err: [i32; 3] = std::array::from_fn(|c| q[4 * i + c] - i32::from(p[c]) * 256);
            for c in 0..3 {
                q[4 * i + c] = i32::from(p[c]);
            }
            q[4 * i + 3] = best as i32;
            // Neighbours in gif.h's index arithmetic (which wraps at row
            // ends exactly like this).
            spread(&mut q, i + 1, err, 7);
            spread(&mut q, (yy * w + w + xx).wrapping_sub(1), err, 3);
            spread(&mut q, yy * w + w + xx, err, 5);
            spread(&mut q, yy * w + w + xx + 1, err, 1);
        }
    }
    for (o, v) in out.iter_mut().zip(&q) {
        *o = *v as u8;
    }
}

/// LZW bit packer writing 255-byte data sub-blocks.
struct BitWriter<'a> {
    out: &'a mut Vec<u8>,
    bit: u32,
    byte: u8,
    chunk: Vec<u8>,
}

impl BitWriter<'_> {
    fn bit(&mut self, b: u32) {
        self.byte |= ((b & 1) as u8) << self.bit;
        self.bit += 1;
        if self.bit > 7 {
            self.chunk.push(self.byte);
            self.bit = 0;
            self.byte = 0;
        }
    }

    fn flush_chunk(&mut self) {
        self.out.push(self.chunk.len() as u8);
        self.out.extend_from_slice(&self.chunk);
        self.chunk.clear();
        self.bit = 0;
        self.byte = 0;
    }

    fn code(&mut self, mut code: u32, len: u32) {
        for _ in 0..len {
            self.bit(code);
            code >>= 1;
            if self.chunk.len() == 255 {
                self.flush_chunk();
            }
        }
    }
}

/// gif.h's `GifWriteLzwImage`: graphics control block, image descriptor,
/// local palette and the LZW-coded indices (fourth byte of each pixel).
fn write_lzw_image(out: &mut Vec<u8>, image: &[u8], w: u32, h: u32, delay: u32, pal: &Palette) {
    out.extend_from_slice(&[
        0x21,
        0xf9,
        0x04,
        0x05,
        delay as u8,
        (delay >> 8) as u8,
        TRANS_INDEX as u8,
        0,
    ]);
    out.push(0x2c);
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&[w as u8, (w >> 8) as u8, h as u8, (h >> 8) as u8]);
    out.push(0x80 + BIT_DEPTH as u8 - 1);
    out.extend_from_slice(&[0, 0, 0]);
    for c in &pal.rgb[1..1 << BIT_DEPTH] {
        out.extend_from_slice(c);
    }
    let min_code_size = BIT_DEPTH;
    let clear = 1u32 << BIT_DEPTH;
    out.push(min_code_size as u8);
    // The code tree: child of (code, value) at code * 256 + value; entries
    // set since the last reset are remembered so clearing is cheap.
    let mut tree = vec![0u16; 4096 * 256];
    let mut touched: Vec<usize> = Vec::with_capacity(4096);
    let mut cur: i64 = -1;
    let mut code_size = min_code_size + 1;
    let mut max_code = clear + 1;
    let mut bits = BitWriter {
        out,
        bit: 0,
        byte: 0,
        chunk: Vec::with_capacity(256),
    };
    bits.code(clear, code_size);
    for px in image.chunks_exact(4) {
        let v = px[3];
        if cur < 0 {
            cur = i64::from(v);
            continue;
        }
        let slot = cur as usize * 256 + usize::from(v);
        if tree[slot] != 0 {
            cur = i64::from(tree[slot]);
            continue;
        }
        bits.code(cur as u32, code_size);
        max_code += 1;
        tree[slot] = max_code as u16;
        touched.push(slot);
        if max_code >= 1 << code_size {
            code_size += 1;
        }
        if max_code == 4095 {
            bits.code(clear, code_size);
            for s in touched.drain(..) {
                tree[s] = 0;
            }
            code_size = min_code_size + 1;
            max_code = clear + 1;
        }
        cur = i64::from(v);
    }
    bits.code(cur as u32, code_size);
    bits.code(clear, code_size);
    bits.code(clear + 1, min_code_size + 1);
    while bits.bit != 0 {
        bits.bit(0);
    }
    if !bits.chunk.is_empty() {
        bits.flush_chunk();
    }
    bits.out.push(0);
}

/// OIIO's `ImageOutput::check_open` for the GIF writer (65535 x 65535, at
/// most 4 channels, not 1 or 2).
fn check_output(spec: &ImageSpec) -> Result<(), IoError> {
    let bad = |m: String| Err(IoError::Unsupported(m));
    let (w, h, n) = (spec.width, spec.height, spec.nchannels);
    if w > 65535 || h > 65535 {
        return bad(format!(
            "gif image resolution may not exceed 65535x65535, you asked for {w}x{h}"
        ));
    }
    if w <= 0 || h <= 0 {
        return bad(format!(
            "gif image resolution must be at least 1x1, you asked for {w}x{h}"
        ));
    }
    if spec.depth > 1 {
        return bad("gif does not support volume images (depth > 1)".into());
    }
    if !(0..=4).contains(&n) || n == 1 || n == 2 {
        return bad(format!("gif does not support {n}-channel images"));
    }
    if spec.channelformats.iter().any(|f| *f != spec.format) {
        return bad("gif does not support per-channel data formats".into());
    }
    if spec.deep {
        return bad("gif does not support 'deep' images".into());
    }
    if spec.tile_width != 0 || spec.tile_height != 0 {
        return bad("gif does not support tiled images".into());
    }
    Ok(())
}

/// The frame as RGBA uint8: missing channels are 255, as OIIO's canvas.
fn to_rgba8(spec: &ImageSpec, pixels: &[u8]) -> Result<Vec<u8>, IoError> {
    let (w, h, n) = (spec.width as usize, spec.height as usize, spec.nchannels as usize);
    let count = w * h * n;
    let need = count * spec.format.size();
    if pixels.len() < need {
        return Err(IoError::Write(format!(
            "gif: {} bytes of pixels given, {need} needed",
            pixels.len()
        )));
    }
    let mut u8s = vec![0u8; count];
    if !convert_bytes(
        &pixels[..need],
        spec.format.basetype,
        &mut u8s,
        TypeDesc::UINT8.basetype,
    ) {
        return Err(IoError::Unsupported(format!("gif cannot write {}", spec.format)));
    }
    let mut rgba = vec![255u8; w * h * 4];
    if n > 0 {
        for (dst, src) in rgba.chunks_exact_mut(4).zip(u8s.chunks_exact(n)) {
            dst[..n].copy_from_slice(src);
        }
    }
    Ok(rgba)
}

/// `FORMAT.write`: every subimage becomes a frame.
fn write_request(path: &Path, req: &WriteRequest<'_>) -> Result<(), IoError> {
    let levels: Vec<_> = req.subimages.iter().filter_map(|s| s.first()).collect();
    let first = levels
        .first()
        .ok_or_else(|| IoError::Write("gif does not support 0 subimages.".into()))?;
    for l in &levels {
        check_output(l.spec)?;
    }
    let bytes = encode(
        &levels.iter().map(|l| (l.spec, l.pixels)).collect::<Vec<_>>(),
        first.spec,
    )?;
    std::fs::write(path, bytes).map_err(|_| IoError::Write(format!("Could not open \"{}\"", path.display())))
}

/// Encode frames (spec, pixels) into a GIF file image.
fn encode(frames: &[(&ImageSpec, &[u8])], first: &ImageSpec) -> Result<Vec<u8>, IoError> {
    let fps = first.get_float_attribute("FramesPerSecond", 1.0);
    let delay = if fps == 0.0 {
        0u32
    } else {
        let d = 100.0 / fps;
        // A C float-to-int cast, then the low bits as gif.h writes them.
        if d.is_finite() {
            d as i32 as u32
        } else {
            0
        }
    };
    let (w, h) = (first.width as u32, first.height as u32);
    let mut out = Vec::new();
    out.extend_from_slice(b"GIF89a");
    out.extend_from_slice(&[w as u8, (w >> 8) as u8, h as u8, (h >> 8) as u8, 0xf0, 0, 0]);
    out.extend_from_slice(&[0; 6]);
    if delay != 0 {
        out.extend_from_slice(&[0x21, 0xff, 11]);
        out.extend_from_slice(b"NETSCAPE2.0");
        out.extend_from_slice(&[3, 1, 0, 0, 0]);
    }
    let mut old: Option<(u32, u32, Vec<u8>)> = None;
    for (spec, pixels) in frames {
        let (fw, fh) = (spec.width as u32, spec.height as u32);
        let rgba = to_rgba8(spec, pixels)?;
        let pal = make_palette(&rgba);
        let mut quant = vec![0u8; rgba.len()];
        let last = old.as_ref().filter(|o| o.0 == fw && o.1 == fh).map(|o| o.2.as_slice());
        dither_image(last, &rgba, &mut quant, fw as usize, fh as usize, &pal);
        write_lzw_image(&mut out, &quant, fw, fh, delay, &pal);
        old = Some((fw, fh, quant));
    }
    out.push(0x3b);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Level, WriteRequest};

    fn scratch(ext: &str) -> std::path::PathBuf {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static N: AtomicUsize = AtomicUsize::new(0);
        std::env::temp_dir().join(format!(
            "vfx_io_gif_{}_{}.{ext}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ))
    }

    /// A GIF whose LZW data emits a clear code after every pixel (valid and
    /// easy to build by hand).
    fn lzw_simple(indices: &[u8]) -> Vec<u8> {
        let mut bits: Vec<u8> = Vec::new();
        let mut put = |c: u32| {
            for i in 0..9 {
                bits.push(((c >> i) & 1) as u8);
            }
        };
        put(256);
        for &v in indices {
            put(u32::from(v));
            put(256);
        }
        put(257);
        while bits.len() % 8 != 0 {
            bits.push(0);
        }
        let bytes: Vec<u8> = bits
            .chunks(8)
            .map(|b| b.iter().enumerate().map(|(i, &x)| x << i).sum())
            .collect();
        let mut out = vec![8u8];
        for c in bytes.chunks(255) {
            out.push(c.len() as u8);
            out.extend_from_slice(c);
        }
        out.push(0);
        out
    }

    struct F {
        rect: (u16, u16, u16, u16),
        idx: Vec<u8>,
        gce: Option<(u8, Option<u8>, u16)>,
        interlace: bool,
    }

    fn build(w: u16, h: u16, pal: &[[u8; 3]], frames: &[F], pre: &[u8]) -> Vec<u8> {
        let mut out = b"GIF89a".to_vec();
        out.extend_from_slice(&w.to_le_bytes());
        out.extend_from_slice(&h.to_le_bytes());
        let bits = (pal.len().max(2) - 1).ilog2() + 1;
        out.extend_from_slice(&[0x80 | (bits as u8 - 1), 0, 0]);
        for i in 0..1usize << bits {
            out.extend_from_slice(pal.get(i).unwrap_or(&[0, 0, 0]));
        }
        out.extend_from_slice(pre);
        for f in frames {
            if let Some((d, t, delay)) = f.gce {
                out.extend_from_slice(&[0x21, 0xf9, 4, (d << 2) | u8::from(t.is_some())]);
                out.extend_from_slice(&delay.to_le_bytes());
                out.extend_from_slice(&[t.unwrap_or(0), 0]);
            }
            out.push(0x2c);
            for v in [f.rect.0, f.rect.1, f.rect.2, f.rect.3] {
                out.extend_from_slice(&v.to_le_bytes());
            }
            out.push(if f.interlace { 0x40 } else { 0 });
            out.extend(lzw_simple(&f.idx));
        }
        out.push(0x3b);
        out
    }

    fn reader(bytes: Vec<u8>) -> Result<GifReader, IoError> {
        GifReader::from_bytes(bytes)
    }

    const PAL: [[u8; 3]; 4] = [[255, 0, 0], [0, 255, 0], [0, 0, 255], [255, 255, 255]];

    fn full(w: u16, h: u16, v: u8) -> F {
        F {
            rect: (0, 0, w, h),
            idx: vec![v; usize::from(w) * usize::from(h)],
            gce: None,
            interlace: false,
        }
    }

    #[test]
    fn single_frame_and_metadata() {
        let comment = [&[0x21u8, 0xfe, 5][..], b"hello", &[0]].concat();
        let looping = [&[0x21u8, 0xff, 11][..], b"NETSCAPE2.0", &[3, 1, 0x39, 0x30, 0]].concat();
        let mut f = full(3, 2, 1);
        f.idx = vec![0, 1, 2, 3, 2, 1];
        f.gce = Some((1, Some(2), 50));
        let bytes = build(3, 2, &PAL, &[f], &[comment, looping].concat());
        let mut r = reader(bytes).unwrap();
        let s = r.spec(0, 0).unwrap();
        assert_eq!((s.width, s.height, s.nchannels, s.format), (3, 2, 4, TypeDesc::UINT8));
        assert_eq!(s.alpha_channel, 4);
        assert_eq!(s.get_string_attribute("ImageDescription", ""), "hello");
        assert_eq!(s.get_int_attribute("gif:LoopCount", -1), 12345);
        assert_eq!(s.get_int_attribute("oiio:LoopCount", -1), 12345);
        assert_eq!(s.get_int_attribute("oiio:Movie", 0), 1);
        assert_eq!(s.get_int_attribute("gif:Interlacing", -1), 0);
        assert_eq!(s.get_float_attribute("FramesPerSecond", 0.0), 2.0);
        assert!(r.spec(1, 0).is_none());
        let px = r.read_image(0, 0).unwrap();
        assert_eq!(
            px.bytes(),
            [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 0, 255, 255, 255, 255, 0, 0, 255, 0, 0, 255, 0, 255]
        );
    }

    #[test]
    fn compositing_follows_oiio() {
        let mut a = full(4, 4, 3);
        a.gce = Some((2, None, 0));
        let b = F {
            rect: (1, 1, 2, 2),
            idx: vec![0, 1, 2, 0],
            gce: Some((0, Some(0), 0)),
            interlace: false,
        };
        let c = F {
            rect: (3, 3, 2, 2),
            idx: vec![1, 1, 1, 1],
            gce: None,
            interlace: false,
        };
        let bytes = build(4, 4, &PAL, &[a, b, c], &[]);
        let mut r = reader(bytes).unwrap();
        let f0 = r.read_image(0, 0).unwrap().bytes().to_vec();
        assert!(f0.chunks(4).all(|p| p == [255, 255, 255, 255]));
        // Frame 0 asked for "restore to background": frame 1 starts clear;
        // its transparent pixels are written with alpha 0.
        let f1 = r.read_image(1, 0).unwrap().bytes().to_vec();
        let at = |v: &[u8], x: usize, y: usize| v[(y * 4 + x) * 4..(y * 4 + x) * 4 + 4].to_vec();
        assert_eq!(at(&f1, 0, 0), [0, 0, 0, 0]);
        assert_eq!(at(&f1, 1, 1), [255, 0, 0, 0]);
        assert_eq!(at(&f1, 2, 1), [0, 255, 0, 255]);
        // Frame 2 paints over frame 1, clipped to the canvas.
        let f2 = r.read_image(2, 0).unwrap().bytes().to_vec();
        assert_eq!(at(&f2, 2, 1), [0, 255, 0, 255]);
        assert_eq!(at(&f2, 3, 3), [0, 255, 0, 255]);
        // Random access gives the same canvases.
        assert_eq!(r.read_image(1, 0).unwrap().bytes(), f1.as_slice());
        assert_eq!(r.read_image(0, 0).unwrap().bytes(), f0.as_slice());
        assert_eq!(r.read_image(2, 0).unwrap().bytes(), f2.as_slice());
    }

    #[test]
    fn interlaced_rows() {
        let h = 11u16;
        let mut order = Vec::new();
        for (start, step) in [(0, 8), (4, 8), (2, 4), (1, 2)] {
            let mut y = start;
            while y < usize::from(h) {
                order.push(y);
                y += step;
            }
        }
        for (n, y) in order.iter().enumerate() {
            assert_eq!(interlaced_row(n, usize::from(h)), *y);
        }
        let f = F {
            rect: (0, 0, 1, h),
            idx: order.iter().map(|&y| (y % 4) as u8).collect(),
            gce: None,
            interlace: true,
        };
        let mut r = reader(build(1, h, &PAL, &[f], &[])).unwrap();
        assert_eq!(r.spec(0, 0).unwrap().get_int_attribute("gif:Interlacing", 0), 1);
        let px = r.read_image(0, 0).unwrap();
        for y in 0..usize::from(h) {
            assert_eq!(&px.bytes()[y * 4..y * 4 + 3], &PAL[y % 4]);
        }
    }

    fn open_err(bytes: &[u8]) -> String {
        reader(bytes.to_vec()).err().expect("should fail").to_string()
    }

    #[test]
    fn damaged_files() {
        assert_eq!(
            open_err(b"XIF89a\x01\x00\x01\x00\x00\x00\x00"),
            "Data is not in GIF format"
        );
        assert_eq!(
            open_err(b"GIF89a"),
            "GIF read error at position 6, asked for 2 bytes, got 0 (total size 6)\nNo screen descriptor detected"
        );
        let good = build(2, 2, &PAL, &[full(2, 2, 1)], &[]);
        // Every truncation fails cleanly.
        for n in 0..good.len() - 1 {
            let _ = reader(good[..n].to_vec());
        }
        assert!(reader(good[..good.len() - 1].to_vec()).is_ok());
        // An index beyond the 4-colour table.
        let mut f = full(2, 2, 1);
        f.idx[3] = 9;
        let bytes = build(2, 2, &PAL, &[f], &[]);
        assert_eq!(
            open_err(&bytes),
            "Possible corruption: Encoded value 9 @ (1,1) exceeds palette size 4"
        );
        // Giant screens are rejected before anything is allocated.
        let mut big = build(2, 2, &PAL, &[full(2, 2, 1)], &[]);
        big[6..10].copy_from_slice(&[0xff, 0xff, 0xff, 0xff]);
        assert!(open_err(&big).contains("may not exceed 32768x32768"));
        // A second broken frame just ends the list of subimages.
        let mut two = build(2, 2, &PAL, &[full(2, 2, 1), full(2, 2, 2)], &[]);
        let n = two.len();
        two.truncate(n - 6);
        let r = reader(two).unwrap();
        assert!(r.spec(0, 0).is_some() && r.spec(1, 0).is_none());
        // Random bytes after a valid signature never panic.
        let mut seed = 12345u32;
        for _ in 0..300 {
            let mut v = good.clone();
            for _ in 0..4 {
                seed = seed.wrapping_mul(1664525).wrapping_add(1013904223);
                let i = (seed >> 8) as usize % v.len();
                v[i] = (seed >> 24) as u8;
            }
            if let Ok(mut r) = reader(v) {
                let _ = r.read_image(0, 0);
            }
        }
    }

    fn write_frames(frames: &[(ImageSpec, Vec<u8>)]) -> Vec<u8> {
        let p = scratch("gif");
        let req = WriteRequest {
            subimages: frames
                .iter()
                .map(|(s, px)| vec![Level { spec: s, pixels: px }])
                .collect(),
            deep: frames.iter().map(|_| None).collect(),
            source: frames[0].0.format,
            thumbnail: None,
        };
        write_request(&p, &req).unwrap();
        let bytes = std::fs::read(&p).unwrap();
        std::fs::remove_file(&p).unwrap();
        bytes
    }

    #[test]
    fn write_round_trip_few_colours() {
        let (w, h) = (40usize, 30usize);
        let colours = [
            [10u8, 20, 30],
            [200, 100, 50],
            [0, 0, 0],
            [255, 255, 255],
            [90, 200, 90],
        ];
        let px: Vec<u8> = (0..w * h).flat_map(|i| colours[(i * 7 / 5) % 5]).collect();
        let spec = ImageSpec::new(w as i32, h as i32, 3, TypeDesc::UINT8);
        let mut px2 = px.clone();
        px2[0..3].copy_from_slice(&[255, 255, 255]);
        let bytes = write_frames(&[(spec.clone(), px.clone()), (spec.clone(), px2.clone())]);
        assert_eq!(&bytes[..6], b"GIF89a");
        let mut r = reader(bytes).unwrap();
        let s0 = r.spec(0, 0).unwrap();
        assert_eq!(s0.get_int_attribute("gif:LoopCount", -1), 0);
        assert_eq!(s0.get_float_attribute("FramesPerSecond", 0.0), 1.0);
        let f0 = r.read_image(0, 0).unwrap();
        for (a, b) in f0.bytes().chunks(4).zip(px.chunks(3)) {
            assert_eq!(&a[..3], b);
            assert_eq!(a[3], 255);
        }
        // The second frame stores only the changed pixel; the rest reads as
        // transparent (OIIO's reader writes transparent pixels too).
        let f1 = r.read_image(1, 0).unwrap();
        assert_eq!(&f1.bytes()[..4], &[255, 255, 255, 255]);
        assert_eq!(f1.bytes()[7], 0);
    }

    #[test]
    fn write_options_and_errors() {
        let mut spec = ImageSpec::new(4, 4, 4, TypeDesc::FLOAT);
        spec.attribute_float("FramesPerSecond", 0.0);
        let px: Vec<u8> = (0..64).flat_map(|i| (i as f32 / 64.0).to_ne_bytes()).collect();
        let bytes = write_frames(&[(spec, px)]);
        // No looping block without a delay.
        assert!(!bytes.windows(8).any(|w| w == b"NETSCAPE"));
        let r = reader(bytes).unwrap();
        assert_eq!(r.spec(0, 0).unwrap().get_int_attribute("oiio:Movie", 0), 0);
        for n in [1, 2, 5] {
            let s = ImageSpec::new(2, 2, n, TypeDesc::UINT8);
            assert_eq!(
                check_output(&s).unwrap_err().to_string(),
                format!("gif does not support {n}-channel images")
            );
        }
        let s = ImageSpec::new(70000, 2, 3, TypeDesc::UINT8);
        assert!(check_output(&s).is_err());
    }

    #[test]
    fn lzw_encoder_survives_dictionary_resets() {
        // A noisy 200x200 image overflows the 4096-entry dictionary many times.
        let (w, h) = (200usize, 200usize);
        let mut seed = 7u32;
        let px: Vec<u8> = (0..w * h * 3)
            .map(|_| {
                seed = seed.wrapping_mul(1103515245).wrapping_add(12345);
                (seed >> 16) as u8
            })
            .collect();
        let spec = ImageSpec::new(w as i32, h as i32, 3, TypeDesc::UINT8);
        let bytes = write_frames(&[(spec, px)]);
        let mut r = reader(bytes).unwrap();
        assert_eq!(r.read_image(0, 0).unwrap().bytes().len(), w * h * 4);
    }
}

//! OpenEXR: scanline and tiled images, single- and multi-part files,
//! MIP/RIP-mapped textures and deep parts, read and written as OpenImageIO
//! 3.2.2 does (its reader is built on OpenEXRCore, its writer on the C++
//! OpenEXR library).
//!
//! Headers are parsed here with OpenEXRCore's rules (a damaged attribute is
//! skipped and parsing goes on, required attributes get defaults, then each
//! part is validated), so the same files open or fail as with OIIO, and the
//! attributes keep their file order; `openexr_attrs` maps them to OIIO's
//! metadata and back. Chunks are found through the offset tables (rebuilt
//! from the chunk leaders when broken, as OpenEXRCore does), read with
//! positional reads and (de)compressed in parallel with rayon. ZIP/ZIPS,
//! PIZ and PXR24 are implemented here (zlib through `zlib-rs`); RLE and
//! B44/B44A come from the `exr` crate's codecs; DWAA/DWAB chunks go to
//! `openexr_dwa` and deep chunks to `openexr_deep`.
//!
//! Pixel data: each subimage is a part; each MIP level of a tiled part is a
//! miplevel (RIP-mapped parts show OIIO's view: the diagonal levels at the
//! top level's size). Channels come in OIIO's order (R, G, B, A, ... within
//! each layer), converted to `spec.format` (OIIO's merge of the channel
//! types); per-channel types are reported in `channelformats`. Chunks are
//! located and checked before the image is allocated, so damaged files fail
//! without large allocations.

use super::openexr_attrs::{self as attrs, Attr, Channel, Kind, Put, Value, PIXEL_FLOAT, PIXEL_HALF, PIXEL_UINT};
use crate::{Format, IoError, Level, Reader, WriteRequest};
use rayon::prelude::*;
use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;
use std::sync::OnceLock;
use vfx_core::convert::convert_bytes;
use vfx_core::{globals, BaseType, ImageSpec, PixelData, TypeDesc};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "openexr",
    extensions: &["exr", "sxr", "mxr"],
    sniff,
    open: Some(open),
    write: Some(write_request),
    supports,
};

/// OIIO's `supports()` answers for the OpenEXR reader and writer.
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(
        feature,
        "tiles"
            | "mipmap"
            | "alpha"
            | "nchannels"
            | "channelformats"
            | "displaywindow"
            | "origin"
            | "negativeorigin"
            | "arbitrary_metadata"
            | "exif"
            | "iptc"
            | "multiimage"
            | "deepdata"
            | "ioproxy"
            | "thumbnail"
    ))
}

const MAGIC: u32 = 20000630;
const FLAG_TILED: u32 = 0x200;
const FLAG_LONG_NAMES: u32 = 0x400;
const FLAG_NONIMAGE: u32 = 0x800;
const FLAG_MULTIPART: u32 = 0x1000;
/// Longest attribute or channel name OpenEXRCore accepts when reading.
const MAX_NAME: usize = 255;

/// True for the OpenEXR magic number.
pub fn sniff(head: &[u8]) -> bool {
    head.len() >= 4 && u32::from_le_bytes([head[0], head[1], head[2], head[3]]) == MAGIC
}

// ---------------------------------------------------------------------------
// Errors, worded as OpenEXRCore reports them through OIIO

/// OpenEXRCore's result codes (the ones this reader produces).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Code {
    OutOfMemory,
    InvalidArgument,
    FileBadHeader,
    ReadIo,
    NameTooLong,
    MissingReqAttr,
    InvalidAttr,
    AttrTypeMismatch,
    AttrSizeMismatch,
    BadChunkLeader,
    CorruptChunk,
    IncompleteChunkTable,
    FeatureNotImplemented,
    Unknown,
}

impl Code {
    fn name(self) -> &'static str {
        match self {
            Code::OutOfMemory => "EXR_ERR_OUT_OF_MEMORY",
            Code::InvalidArgument => "EXR_ERR_INVALID_ARGUMENT",
            Code::FileBadHeader => "EXR_ERR_FILE_BAD_HEADER",
            Code::ReadIo => "EXR_ERR_READ_IO",
            Code::NameTooLong => "EXR_ERR_NAME_TOO_LONG",
            Code::MissingReqAttr => "EXR_ERR_MISSING_REQ_ATTR",
            Code::InvalidAttr => "EXR_ERR_INVALID_ATTR",
            Code::AttrTypeMismatch => "EXR_ERR_ATTR_TYPE_MISMATCH",
            Code::AttrSizeMismatch => "EXR_ERR_ATTR_SIZE_MISMATCH",
            Code::BadChunkLeader => "EXR_ERR_BAD_CHUNK_LEADER",
            Code::CorruptChunk => "EXR_ERR_CORRUPT_CHUNK",
            Code::IncompleteChunkTable => "EXR_ERR_INCOMPLETE_CHUNK_TABLE",
            Code::FeatureNotImplemented => "EXR_ERR_FEATURE_NOT_IMPLEMENTED",
            Code::Unknown => "EXR_ERR_UNKNOWN",
        }
    }
}

/// Messages collected while parsing a header; OIIO keeps every one.
struct Diag {
    path: String,
    msgs: Vec<String>,
}

impl Diag {
    fn err(&mut self, code: Code, msg: impl AsRef<str>) -> Code {
        // Keep the record bounded for files full of broken attributes.
        if self.msgs.len() < 64 {
            self.msgs
                .push(format!("EXR Error ({}): {} {}", self.path, code.name(), msg.as_ref()));
        }
        code
    }
    fn text(&self) -> String {
        self.msgs.join("\n")
    }
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

// ---------------------------------------------------------------------------
// Sequential header reading

/// Reads the header region of a file on demand, never past its end.
struct Cursor {
    file: File,
    buf: Vec<u8>,
    pos: usize,
    size: u64,
}

impl Cursor {
    fn new(file: File, size: u64) -> Cursor {
        Cursor {
            file,
            buf: Vec::new(),
            pos: 0,
            size,
        }
    }

    /// Make `buf` hold the file up to `end` (which must be within the file).
    fn fill_to(&mut self, end: usize) -> bool {
        if end <= self.buf.len() {
            return true;
        }
        let want = (end.max(self.buf.len() + (64 << 10)) as u64).min(self.size) as usize;
        let old = self.buf.len();
        self.buf.resize(want, 0);
        let ok = (&self.file).read_exact(&mut self.buf[old..]).is_ok();
        if !ok {
            self.buf.truncate(old);
        }
        ok && end <= self.buf.len()
    }

    /// The next `n` bytes; at the end of the file the cursor moves there
    /// and nothing is returned (as OpenEXRCore's short reads).
    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let end = self.pos.checked_add(n)?;
        if end as u64 > self.size || !self.fill_to(end) {
            self.pos = self.size as usize;
            return None;
        }
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Some(s)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take(1).map(|b| b[0])
    }

    fn i32(&mut self) -> Option<i32> {
        self.take(4).map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Skip `n` bytes; a negative count (a wrapped size) runs to the end.
    fn skip(&mut self, n: i64) -> bool {
        if n < 0 {
            self.pos = self.size as usize;
            return false;
        }
        self.take(n as usize).is_some()
    }

    /// Would an attribute of `n` bytes run past the end of the file?
    fn too_big(&self, n: i32) -> bool {
        self.pos as u64 + n as u64 > self.size
    }
}

// ---------------------------------------------------------------------------
// Part headers

/// How a part stores its pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Storage {
    Scanline,
    Tiled,
    DeepScanline,
    DeepTiled,
    /// Not decided yet (multi-part / deep headers before their "type").
    Last,
    /// A "type" this library does not know.
    Unknown,
}

impl Storage {
    fn tiled(self) -> bool {
        matches!(self, Storage::Tiled | Storage::DeepTiled)
    }
    fn deep(self) -> bool {
        matches!(self, Storage::DeepScanline | Storage::DeepTiled)
    }
}

/// Tile geometry: tile size, level mode (0 one, 1 MIP, 2 RIP), rounding
/// (0 down, 1 up), and per level the tile count and level size along x / y.
#[derive(Clone, Debug, Default)]
pub(crate) struct Tiling {
    pub tile_w: u32,
    pub tile_h: u32,
    pub level_mode: u8,
    pub round_mode: u8,
    pub levels_x: Vec<(i32, i32)>,
    pub levels_y: Vec<(i32, i32)>,
}

/// One part of the file: its attributes in file order (with defaults
/// appended) and what the container needs to find its chunks.
#[derive(Clone, Debug)]
pub(crate) struct Part {
    pub attrs: Vec<Attr>,
    pub storage: Storage,
    /// `chunkCount` from the header (-1 if absent), then the computed count.
    pub chunk_count: i32,
    pub lines_per_chunk: i32,
    pub tiling: Option<Tiling>,
    /// Bytes of one full chunk, uncompressed.
    pub unpacked_per_chunk: u64,
    pub chunk_table_offset: u64,
}

impl Part {
    fn new(storage: Storage) -> Part {
        Part {
            attrs: Vec::new(),
            storage,
            chunk_count: -1,
            lines_per_chunk: -1,
            tiling: None,
            unpacked_per_chunk: 0,
            chunk_table_offset: 0,
        }
    }

    fn find(&self, name: &[u8]) -> Option<&Value> {
        self.attrs.iter().find(|a| a.name == name).map(|a| &a.value)
    }

    fn index(&self, name: &[u8]) -> Option<usize> {
        self.attrs.iter().position(|a| a.name == name)
    }

    /// Set a required attribute: overwrite its value where it is, or append.
    fn put(&mut self, name: &[u8], value: Value) {
        match self.index(name) {
            Some(i) => self.attrs[i].value = value,
            None => self.attrs.push(Attr {
                name: name.to_vec(),
                value,
            }),
        }
    }

    pub fn channels(&self) -> &[Channel] {
        match self.find(b"channels") {
            Some(Value::Chlist(c)) => c,
            _ => &[],
        }
    }

    pub fn compression(&self) -> u8 {
        match self.find(b"compression") {
            Some(Value::Compression(c)) => *c,
            _ => 3,
        }
    }

    /// Data window (xmin, ymin, xmax, ymax).
    pub fn data_window(&self) -> [i32; 4] {
        match self.find(b"dataWindow") {
            Some(Value::Box2i(b)) => *b,
            _ => [0, 0, -1, -1],
        }
    }

    pub fn display_window(&self) -> [i32; 4] {
        match self.find(b"displayWindow") {
            Some(Value::Box2i(b)) => *b,
            _ => [0, 0, -1, -1],
        }
    }

    pub fn line_order(&self) -> u8 {
        match self.find(b"lineOrder") {
            Some(Value::LineOrder(v)) => *v,
            _ => 0,
        }
    }

    fn name(&self) -> Option<&[u8]> {
        match self.find(b"name") {
            Some(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    fn tiles_attr(&self) -> Option<(u32, u32, u8)> {
        match self.find(b"tiles") {
            Some(Value::TileDesc { x, y, mode }) => Some((*x, *y, *mode)),
            _ => None,
        }
    }

    fn width(&self) -> i64 {
        let dw = self.data_window();
        i64::from(dw[2]) - i64::from(dw[0]) + 1
    }

    fn height(&self) -> i64 {
        let dw = self.data_window();
        i64::from(dw[3]) - i64::from(dw[1]) + 1
    }
}

/// Everything the headers say about a file.
pub(crate) struct Headers {
    pub parts: Vec<Part>,
    pub multipart: bool,
    /// Where the chunk data may start (after the last offset table).
    pub chunks_start: u64,
}

/// Parses headers with OpenEXRCore's lenient rules.
struct HeaderParser<'a> {
    cur: &'a mut Cursor,
    diag: &'a mut Diag,
    multipart: bool,
    nonimage: bool,
    tiled_flag: bool,
}

/// Scanlines per chunk for a compression code (-1: unknown).
fn lines_per_chunk(comp: u8) -> i32 {
    match comp {
        0..=2 => 1,
        3 | 5 => 16,
        4 | 6 | 7 | 8 | 11 => 32,
        9 | 10 => 256,
        _ => -1,
    }
}

/// Number of compression codes OpenEXRCore accepts.
const COMPRESSION_COUNT: u8 = 12;

impl HeaderParser<'_> {
    /// A NUL-terminated name of at most 255 bytes.
    fn read_text(&mut self, first: Option<u8>, what: &str) -> Result<Vec<u8>, Code> {
        let mut text: Vec<u8> = first.into_iter().collect();
        while text.len() <= MAX_NAME {
            let Some(b) = self.cur.byte() else {
                return Err(self.diag.err(Code::ReadIo, "End of file attempting to read header"));
            };
            if b == 0 {
                return Ok(text);
            }
            text.push(b);
        }
        Err(self.diag.err(
            Code::NameTooLong,
            format!(
                "Invalid {what} encountered: start '{}' (max {MAX_NAME})",
                lossy(&text[..MAX_NAME - 1])
            ),
        ))
    }

    fn eof(&mut self) -> Code {
        self.diag.err(Code::ReadIo, "End of file attempting to read header")
    }

    /// OpenEXRCore's size sanity check for variable-length attributes.
    fn check_size(&mut self, size: i32, elt: i32, aname: &[u8], tname: &[u8]) -> Result<(), Code> {
        if size < 0 {
            return Err(self.diag.err(
                Code::AttrSizeMismatch,
                format!(
                    "Attribute '{}', type '{}': Invalid negative size {size}",
                    lossy(aname),
                    lossy(tname)
                ),
            ));
        }
        if self.cur.too_big(size) {
            return Err(self.diag.err(
                Code::AttrSizeMismatch,
                format!(
                    "Attribute '{}', type '{}': Invalid size {size}",
                    lossy(aname),
                    lossy(tname)
                ),
            ));
        }
        if elt > 1 && size % elt != 0 {
            return Err(self.diag.err(
                Code::AttrSizeMismatch,
                format!(
                    "Attribute '{}': Invalid size {size} (exp '{}' size 4 * n, found odd bytes {})",
                    lossy(aname),
                    lossy(tname),
                    size % elt
                ),
            ));
        }
        Ok(())
    }

    fn read_bytes(&mut self, n: usize, aname: &[u8], tname: &[u8]) -> Result<Vec<u8>, Code> {
        match self.cur.take(n) {
            Some(b) => Ok(b.to_vec()),
            None => {
                self.eof();
                Err(self.diag.err(
                    Code::ReadIo,
                    format!("Unable to read '{}' {} data", lossy(aname), lossy(tname)),
                ))
            }
        }
    }

    /// A one-byte enumerated value below `max`.
    fn extract_u8(&mut self, size: i32, max: u8, aname: &[u8], tname: &[u8]) -> Result<u8, Code> {
        if size != 1 {
            return Err(self.diag.err(
                Code::AttrSizeMismatch,
                format!(
                    "Attribute '{}': Invalid size {size} (exp '{}' size 1)",
                    lossy(aname),
                    lossy(tname)
                ),
            ));
        }
        let v = self.read_bytes(1, aname, tname)?[0];
        if v >= max {
            return Err(self.diag.err(
                Code::InvalidAttr,
                format!(
                    "Attribute '{}' (type '{}'): Invalid value {v} (max allowed {max})",
                    lossy(aname),
                    lossy(tname)
                ),
            ));
        }
        Ok(v)
    }

    /// A value of a fixed number of 4- or 8-byte elements.
    fn extract_fixed(&mut self, kind: Kind, size: i32, aname: &[u8], tname: &[u8]) -> Result<Value, Code> {
        let (esz, n) = attrs::fixed_layout(kind).expect("fixed kind");
        if size as i64 != (esz * n) as i64 {
            return Err(self.diag.err(
                Code::AttrSizeMismatch,
                format!(
                    "Attribute '{}': Invalid size {size} (exp '{}' size {esz} * {n} ({}))",
                    lossy(aname),
                    lossy(tname),
                    esz * n
                ),
            ));
        }
        let b = self.read_bytes(esz * n, aname, tname)?;
        Ok(attrs::decode_fixed(kind, &b))
    }

    /// Channel list entries, added (sorted by name) to `list`.
    fn extract_chlist(&mut self, list: &mut Vec<Channel>, size: i32, tname: &[u8]) -> Result<(), Code> {
        let aname = b"channels";
        let mut rv = self.check_size(size, 1, aname, tname);
        let mut left = i64::from(size);
        while rv.is_ok() && left > 0 {
            let name = match self.read_text(None, "channels") {
                Ok(n) => n,
                Err(e) => {
                    rv = Err(e);
                    break;
                }
            };
            left -= name.len() as i64 + 1;
            if name.is_empty() {
                break;
            }
            if left < 16 {
                self.cur.skip(left);
                return Err(self.diag.err(
                    Code::AttrSizeMismatch,
                    format!("Out of data parsing 'channels', last channel '{}'", lossy(&name)),
                ));
            }
            let Some(b) = self.cur.take(16).map(<[u8]>::to_vec) else {
                rv = Err(self.eof());
                break;
            };
            left -= 16;
            let [ptype, _, xs, ys] = attrs::le_i32s::<4>(&b);
            let ptype = if !(0..=3).contains(&ptype) { 3 } else { ptype };
            rv = self.add_channel(list, name, ptype, b[4], xs, ys);
        }
        self.cur.skip(left);
        rv
    }

    fn add_channel(
        &mut self,
        list: &mut Vec<Channel>,
        name: Vec<u8>,
        ptype: i32,
        linear: u8,
        xs: i32,
        ys: i32,
    ) -> Result<(), Code> {
        let n = lossy(&name);
        if !(0..=2).contains(&ptype) {
            return Err(self.diag.err(
                Code::InvalidArgument,
                format!("Invalid pixel type specified ({ptype}) adding channel '{n}' to list"),
            ));
        }
        if linear > 1 {
            return Err(self.diag.err(
                Code::InvalidArgument,
                format!("Invalid perceptual linear flag value ({linear}) adding channel '{n}' to list"),
            ));
        }
        if xs <= 0 || ys <= 0 {
            return Err(self.diag.err(
                Code::InvalidArgument,
                format!("Invalid pixel sampling (x {xs} y {ys}) adding channel '{n}' to list"),
            ));
        }
        match list.binary_search_by(|c| c.name.as_slice().cmp(&name)) {
            Ok(_) => Err(self.diag.err(
                Code::InvalidArgument,
                format!("Attempt to add duplicate channel '{n}' to channel list"),
            )),
            Err(at) => {
                list.insert(
                    at,
                    Channel {
                        name,
                        pixel_type: ptype,
                        p_linear: linear,
                        x_sampling: xs,
                        y_sampling: ys,
                    },
                );
                Ok(())
            }
        }
    }

    fn extract_string_vector(&mut self, size: i32, aname: &[u8], tname: &[u8]) -> Result<Value, Code> {
        self.check_size(size, 1, aname, tname)?;
        let mut out = Vec::new();
        let mut pulled: i64 = 0;
        while pulled < i64::from(size) {
            let Some(n) = self.cur.i32() else {
                self.eof();
                return Err(self.diag.err(
                    Code::ReadIo,
                    format!("Attribute '{}': Unable to read string length", lossy(aname)),
                ));
            };
            pulled += 4;
            if n < 0 || i64::from(n) > i64::from(size) - pulled {
                return Err(self.diag.err(
                    Code::InvalidAttr,
                    format!(
                        "Attribute '{}': Invalid size ({n}) encountered parsing string vector",
                        lossy(aname)
                    ),
                ));
            }
            let Some(s) = self.cur.take(n as usize).map(<[u8]>::to_vec) else {
                self.eof();
                return Err(self.diag.err(
                    Code::ReadIo,
                    format!("Attribute '{}': Unable to read string of length ({n})", lossy(aname)),
                ));
            };
            pulled += i64::from(n);
            out.push(s);
        }
        Ok(Value::StringVector(out))
    }

    fn extract_tiledesc(&mut self, size: i32, aname: &[u8], tname: &[u8]) -> Result<Value, Code> {
        if size != 9 {
            return Err(self.diag.err(
                Code::AttrSizeMismatch,
                format!(
                    "Attribute '{}': Invalid size {size} (exp '{}' size 9)",
                    lossy(aname),
                    lossy(tname)
                ),
            ));
        }
        let b = self.read_bytes(9, aname, tname)?;
        let [x, y] = attrs::le_i32s::<2>(&b).map(|v| v as u32);
        let mode = b[8];
        if mode & 0xF >= 3 {
            return Err(self.diag.err(
                Code::InvalidAttr,
                format!(
                    "Attribute '{}': Invalid tile level specification encountered: found enum {}",
                    lossy(aname),
                    mode & 0xF
                ),
            ));
        }
        if (mode >> 4) & 0xF >= 2 {
            return Err(self.diag.err(
                Code::InvalidAttr,
                format!(
                    "Attribute '{}': Invalid tile rounding specification encountered: found enum {}",
                    lossy(aname),
                    (mode >> 4) & 0xF
                ),
            ));
        }
        Ok(Value::TileDesc { x, y, mode })
    }

    fn extract_preview(&mut self, size: i32, aname: &[u8], tname: &[u8]) -> Result<Value, Code> {
        if size < 8 {
            return Err(self.diag.err(
                Code::AttrSizeMismatch,
                format!(
                    "Attribute '{}': Invalid size {size} (exp '{}' size >= 8)",
                    lossy(aname),
                    lossy(tname)
                ),
            ));
        }
        let Some(b) = self.cur.take(8).map(<[u8]>::to_vec) else {
            self.eof();
            return Err(self.diag.err(
                Code::ReadIo,
                format!("Attribute '{}': Unable to read preview sizes", lossy(aname)),
            ));
        };
        let [w, h] = attrs::le_i32s::<2>(&b).map(|v| v as u32);
        // OpenEXRCore computes this product in 32 bits.
        let bytes = 4u32.wrapping_mul(w).wrapping_mul(h);
        if size as u64 != 8 + u64::from(bytes) {
            return Err(self.diag.err(
                Code::InvalidAttr,
                format!(
                    "Attribute '{}': Invalid size {size} (exp '{}' {w} x {h} * 4 + sizevals)",
                    lossy(aname),
                    lossy(tname)
                ),
            ));
        }
        if bytes == 0 || u64::from(bytes) >= self.cur.size {
            return Err(self.diag.err(
                Code::AttrSizeMismatch,
                format!(
                    "Attribute '{}', type '{}': Invalid size for preview {w} x {h}",
                    lossy(aname),
                    lossy(tname)
                ),
            ));
        }
        let rgba = self.read_bytes(bytes as usize, aname, tname)?;
        Ok(Value::Preview {
            width: w,
            height: h,
            rgba,
        })
    }

    fn extract_bytes(&mut self, size: i32, aname: &[u8], tname: &[u8]) -> Result<Value, Code> {
        self.check_size(size, 1, aname, tname)?;
        if size < 4 {
            return Err(self.diag.err(
                Code::AttrSizeMismatch,
                format!(
                    "Attribute '{}': Invalid size {size} (exp '{}' size >= 4)",
                    lossy(aname),
                    lossy(tname)
                ),
            ));
        }
        let Some(hint_len) = self.cur.i32() else {
            self.eof();
            return Err(self.diag.err(
                Code::ReadIo,
                format!("Attribute '{}': Unable to read hint length.", lossy(aname)),
            ));
        };
        if hint_len < 0 {
            return Err(self.diag.err(
                Code::InvalidAttr,
                format!("Attribute '{}': Invalid size ({hint_len}) for type_hint.", lossy(aname)),
            ));
        }
        let data_len = i64::from(size) - 4 - i64::from(hint_len);
        if data_len < 0 {
            return Err(self.diag.err(Code::OutOfMemory, "Unable to allocate memory"));
        }
        let hint = self.read_bytes(hint_len as usize, aname, tname)?;
        let data = self.read_bytes(data_len as usize, aname, tname)?;
        Ok(Value::Bytes { hint, data })
    }

    /// The value of a non-required attribute of type `tname`.
    fn extract_value(&mut self, kind: Kind, size: i32, aname: &[u8], tname: &[u8]) -> Result<Value, Code> {
        match kind {
            Kind::Compression => self
                .extract_u8(size, COMPRESSION_COUNT, aname, tname)
                .map(Value::Compression),
            Kind::Envmap => self.extract_u8(size, 2, aname, tname).map(Value::Envmap),
            Kind::LineOrder => self.extract_u8(size, 3, aname, tname).map(Value::LineOrder),
            Kind::DeepImageState => self.extract_u8(size, 4, aname, tname).map(Value::DeepImageState),
            Kind::Chlist => {
                let mut list = Vec::new();
                self.extract_chlist(&mut list, size, tname).map(|_| Value::Chlist(list))
            }
            Kind::FloatVector => {
                self.check_size(size, 4, aname, tname)?;
                let b = self.read_bytes(size as usize, aname, tname)?;
                Ok(Value::FloatVector(
                    b.chunks_exact(4)
                        .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                        .collect(),
                ))
            }
            Kind::StringVector => self.extract_string_vector(size, aname, tname),
            Kind::TileDesc => self.extract_tiledesc(size, aname, tname),
            Kind::Preview => self.extract_preview(size, aname, tname),
            Kind::Bytes => self.extract_bytes(size, aname, tname),
            Kind::Opaque => {
                self.check_size(size, 1, aname, tname)?;
                let data = self.read_bytes(size as usize, aname, tname)?;
                Ok(Value::Opaque {
                    type_name: tname.to_vec(),
                    data,
                })
            }
            Kind::String => unreachable!("strings are read by pull_attr"),
            _ => self.extract_fixed(kind, size, aname, tname),
        }
    }

    /// Report a wrongly typed required attribute, skipping its data.
    fn wrong_type(&mut self, size: i32, what: &str, tname: &[u8]) -> Code {
        self.cur.skip(i64::from(size));
        self.diag.err(
            Code::AttrTypeMismatch,
            format!("Required attribute '{what}': Invalid type '{}'", lossy(tname)),
        )
    }

    /// Required attributes with a fixed type: parse and set (a duplicate
    /// overwrites, as the legacy library did). `None` if `name` is not one.
    fn required(&mut self, part: &mut Part, name: &[u8], tname: &[u8], size: i32) -> Option<Result<(), Code>> {
        let n = std::str::from_utf8(name).ok()?;
        let r = match n {
            "channels" => {
                if tname != b"chlist" {
                    return Some(Err(self.wrong_type(size, n, tname)));
                }
                if let Some(i) = part.index(b"channels") {
                    // Later channel lists add to the first one.
                    let mut list = match std::mem::replace(&mut part.attrs[i].value, Value::Int(0)) {
                        Value::Chlist(l) => l,
                        _ => Vec::new(),
                    };
                    let r = self.extract_chlist(&mut list, size, tname);
                    part.attrs[i].value = Value::Chlist(list);
                    return Some(r);
                }
                let mut list = Vec::new();
                self.extract_chlist(&mut list, size, tname)
                    .map(|_| part.put(b"channels", Value::Chlist(list)))
            }
            "compression" | "lineOrder" => {
                if tname != name {
                    return Some(Err(self.wrong_type(size, n, tname)));
                }
                if n == "compression" {
                    self.extract_u8(size, COMPRESSION_COUNT, name, tname)
                        .map(|v| part.put(name, Value::Compression(v)))
                } else {
                    self.extract_u8(size, 3, name, tname)
                        .map(|v| part.put(name, Value::LineOrder(v)))
                }
            }
            "dataWindow" | "displayWindow" => {
                if tname != b"box2i" {
                    return Some(Err(self.wrong_type(size, n, tname)));
                }
                self.extract_fixed(Kind::Box2i, size, name, tname)
                    .map(|v| part.put(name, v))
            }
            "pixelAspectRatio" | "screenWindowWidth" | "screenWindowCenter" => {
                let (want, len): (&[u8], i32) = if n == "screenWindowCenter" {
                    (b"v2f", 8)
                } else {
                    (b"float", 4)
                };
                if tname != want {
                    return Some(Err(self.wrong_type(size, n, tname)));
                }
                if size != len {
                    self.cur.skip(i64::from(size));
                    return Some(Err(self.diag.err(
                        Code::AttrSizeMismatch,
                        format!("Required attribute '{n}': Invalid size {size} (exp {len})"),
                    )));
                }
                let Some(b) = self.cur.take(len as usize).map(<[u8]>::to_vec) else {
                    self.eof();
                    return Some(Err(self.diag.err(
                        Code::ReadIo,
                        format!("Attribute '{n}': Unable to read data ({size} bytes)"),
                    )));
                };
                let v = if len == 8 {
                    Value::V2f(attrs::le_f32s(&b))
                } else {
                    Value::Float(attrs::le_f32s::<1>(&b)[0])
                };
                part.put(name, v);
                Ok(())
            }
            "tiles" => {
                if tname != b"tiledesc" {
                    return Some(Err(self.wrong_type(size, n, tname)));
                }
                if size != 9 {
                    self.cur.skip(i64::from(size));
                    return Some(Err(self.diag.err(
                        Code::AttrTypeMismatch,
                        format!("Required attribute 'tiles': Invalid size {size} (exp 9)"),
                    )));
                }
                let Some(b) = self.cur.take(9).map(<[u8]>::to_vec) else {
                    self.eof();
                    return Some(Err(self.diag.err(Code::ReadIo, "Unable to read 'tiles' data")));
                };
                let [x, y] = attrs::le_i32s::<2>(&b).map(|v| v as u32);
                let mode = b[8];
                if mode & 0xF >= 3 {
                    Err(self.diag.err(
                        Code::InvalidAttr,
                        format!("Invalid level mode ({}) in tile description header", mode & 0xF),
                    ))
                } else if (mode >> 4) & 0xF >= 2 {
                    Err(self.diag.err(
                        Code::InvalidAttr,
                        format!(
                            "Invalid rounding mode ({}) in tile description header",
                            (mode >> 4) & 0xF
                        ),
                    ))
                } else {
                    part.put(name, Value::TileDesc { x, y, mode });
                    Ok(())
                }
            }
            "name" | "type" => {
                if let Err(e) = self.check_size(size, 1, name, tname) {
                    return Some(Err(e));
                }
                if part.index(name).is_some() {
                    self.cur.skip(i64::from(size));
                    return Some(Err(self.diag.err(
                        Code::InvalidAttr,
                        format!("Duplicate copy of required attribute '{n}' encountered"),
                    )));
                }
                if tname != b"string" {
                    self.cur.skip(i64::from(size));
                    let msg = if n == "name" {
                        format!("attribute 'name': Invalid type '{}'", lossy(tname))
                    } else {
                        format!("Required attribute 'type': Invalid type '{}'", lossy(tname))
                    };
                    return Some(Err(self.diag.err(Code::AttrTypeMismatch, msg)));
                }
                let Some(s) = self.cur.take(size as usize).map(<[u8]>::to_vec) else {
                    self.eof();
                    return Some(Err(self.diag.err(Code::ReadIo, format!("Unable to read '{n}' data"))));
                };
                if n == "type" && (self.nonimage || self.multipart) {
                    part.storage = match s.as_slice() {
                        b"scanlineimage" => Storage::Scanline,
                        b"tiledimage" => Storage::Tiled,
                        b"deepscanline" => Storage::DeepScanline,
                        b"deeptile" => Storage::DeepTiled,
                        _ if part.storage == Storage::Last => Storage::Unknown,
                        _ => part.storage,
                    };
                } else if n == "type" && part.storage == Storage::Last {
                    part.storage = Storage::Unknown;
                }
                part.put(name, Value::String(s));
                Ok(())
            }
            "version" | "chunkCount" => {
                if part.index(name).is_some() {
                    self.cur.skip(i64::from(size));
                    return Some(Err(self.diag.err(
                        Code::InvalidAttr,
                        format!("Duplicate copy of required attribute '{n}' encountered"),
                    )));
                }
                if tname != b"int" {
                    self.cur.skip(i64::from(size));
                    return Some(Err(self.diag.err(
                        Code::AttrTypeMismatch,
                        format!("attribute '{n}': Invalid type '{}'", lossy(tname)),
                    )));
                }
                if size != 4 {
                    self.cur.skip(i64::from(size));
                    return Some(Err(self.diag.err(
                        Code::InvalidAttr,
                        format!("attribute '{n}': Invalid size {size} (exp 4)"),
                    )));
                }
                let Some(v) = self.cur.i32() else {
                    self.eof();
                    return Some(Err(self.diag.err(Code::ReadIo, format!("Unable to read {n} data"))));
                };
                if n == "chunkCount" {
                    part.chunk_count = v;
                }
                part.put(name, Value::Int(v));
                Ok(())
            }
            _ => return None,
        };
        Some(r)
    }

    /// One attribute whose name starts with `first`.
    fn pull_attr(&mut self, part: &mut Part, first: u8) -> Result<(), Code> {
        let name = self.read_text(Some(first), "attribute name")?;
        let tname = self.read_text(None, "attribute type")?;
        if tname.is_empty() {
            return Err(self.diag.err(
                Code::FileBadHeader,
                format!(
                    "Invalid empty string encountered parsing attribute type for attribute '{}'",
                    lossy(&name)
                ),
            ));
        }
        let Some(size) = self.cur.i32() else {
            self.eof();
            return Err(self.diag.err(
                Code::ReadIo,
                format!(
                    "Unable to read attribute size for attribute '{}', type '{}'",
                    lossy(&name),
                    lossy(&tname)
                ),
            ));
        };
        if let Some(r) = self.required(part, &name, &tname, size) {
            return r;
        }
        let kind = attrs::kind_of(&tname);
        let existing = part.index(&name);
        let init_failed = |me: &mut Self, why: String| {
            me.diag.err(Code::InvalidArgument, why);
            me.diag.err(
                Code::InvalidArgument,
                format!(
                    "Unable to initialize attribute '{}', type '{}'",
                    lossy(&name),
                    lossy(&tname)
                ),
            )
        };
        if kind == Kind::String {
            self.check_size(size, 1, &name, &tname)?;
            if let Some(i) = existing {
                let why = format!(
                    "Attribute '{}' (type {}) already in list but requesting additional data",
                    lossy(&name),
                    lossy(part.attrs[i].value.type_name())
                );
                return Err(init_failed(self, why));
            }
            let s = self.read_bytes(size as usize, &name, &tname)?;
            part.attrs.push(Attr {
                name,
                value: Value::String(s),
            });
            return Ok(());
        }
        if let Some(i) = existing {
            if part.attrs[i].value.type_name() != tname.as_slice() {
                let why = format!(
                    "Entry '{}' already in list but with different type ('{}' vs requested '{}')",
                    lossy(&name),
                    lossy(part.attrs[i].value.type_name()),
                    lossy(&tname)
                );
                return Err(init_failed(self, why));
            }
        }
        match self.extract_value(kind, size, &name, &tname) {
            Ok(value) => {
                match existing {
                    Some(i) => part.attrs[i].value = value,
                    None => part.attrs.push(Attr { name, value }),
                }
                Ok(())
            }
            Err(e) => {
                if let Some(i) = existing {
                    part.attrs.remove(i);
                }
                Err(e)
            }
        }
    }

    /// OpenEXRCore's checks when a part header ends (defaults added first).
    fn validate_part(&mut self, part: &mut Part, nparts: usize) -> Result<(), Code> {
        if part.index(b"compression").is_none() {
            part.put(b"compression", Value::Compression(3));
        }
        if part.index(b"dataWindow").is_none() {
            part.put(b"dataWindow", Value::Box2i([0, 0, 63, 63]));
        }
        if part.index(b"displayWindow").is_none() {
            part.put(b"displayWindow", Value::Box2i([0, 0, 63, 63]));
        }
        if part.index(b"lineOrder").is_none() {
            part.put(b"lineOrder", Value::LineOrder(0));
        }
        if part.index(b"pixelAspectRatio").is_none() {
            part.put(b"pixelAspectRatio", Value::Float(1.0));
        }
        if part.index(b"screenWindowCenter").is_none() {
            part.put(b"screenWindowCenter", Value::V2f([0.0, 0.0]));
        }
        if part.index(b"screenWindowWidth").is_none() {
            part.put(b"screenWindowWidth", Value::Float(1.0));
        }
        if self.multipart || self.nonimage {
            if self.multipart && part.index(b"name").is_none() {
                return Err(self
                    .diag
                    .err(Code::MissingReqAttr, "'name' attribute for multipart file not found"));
            }
            if part.index(b"type").is_none() {
                return Err(self
                    .diag
                    .err(Code::MissingReqAttr, "'type' attribute for v2+ file not found"));
            }
            if self.nonimage && part.index(b"version").is_none() {
                part.put(b"version", Value::Int(1));
            }
        }
        // Windows and the two screen floats.
        const LARGE: i64 = (i32::MAX / 2) as i64;
        let bad = |w: [i32; 4]| {
            let w = w.map(i64::from);
            w[0] > w[2] || w[1] > w[3] || w[0] <= -LARGE || w[1] <= -LARGE || w[2] >= LARGE || w[3] >= LARGE
        };
        let dispw = part.display_window();
        if bad(dispw) {
            return Err(self.diag.err(
                Code::InvalidAttr,
                format!(
                    "Invalid display window ({}, {} - {}, {})",
                    dispw[0], dispw[1], dispw[2], dispw[3]
                ),
            ));
        }
        let dw = part.data_window();
        if bad(dw) {
            return Err(self.diag.err(
                Code::InvalidAttr,
                format!("Invalid data window ({}, {} - {}, {})", dw[0], dw[1], dw[2], dw[3]),
            ));
        }
        let par = match part.find(b"pixelAspectRatio") {
            Some(Value::Float(f)) => *f,
            _ => 1.0,
        };
        if !par.is_normal() || !(1e-6..=1e6).contains(&par) {
            return Err(self
                .diag
                .err(Code::InvalidAttr, format!("Invalid pixel aspect ratio {par}")));
        }
        let sww = match part.find(b"screenWindowWidth") {
            Some(Value::Float(f)) => *f,
            _ => 1.0,
        };
        if sww < 0.0 {
            return Err(self
                .diag
                .err(Code::InvalidAttr, format!("Invalid screen window width {sww}")));
        }
        // Channels.
        if part.index(b"channels").is_none() {
            return Err(self.diag.err(Code::MissingReqAttr, "'channels' attribute not found"));
        }
        if part.channels().is_empty() {
            return Err(self.diag.err(Code::FileBadHeader, "At least one channel required"));
        }
        let (w, h) = (part.width(), part.height());
        for c in part.channels().to_vec() {
            let n = lossy(&c.name);
            let (xs, ys) = (c.x_sampling, c.y_sampling);
            let msg = if dw[0] % xs != 0 {
                format!("channel '{n}': minimum x coordinate ({}) of the data window is not a multiple of the x subsampling factor ({xs})", dw[0])
            } else if dw[1] % ys != 0 {
                format!("channel '{n}': minimum y coordinate ({}) of the data window is not a multiple of the y subsampling factor ({ys})", dw[1])
            } else if w % i64::from(xs) != 0 {
                format!("channel '{n}': row width ({w}) of the data window is not a multiple of the x subsampling factor ({xs})")
            } else if h % i64::from(ys) != 0 {
                format!("channel '{n}': column height ({h}) of the data window is not a multiple of the y subsampling factor ({ys})")
            } else {
                continue;
            };
            return Err(self.diag.err(Code::InvalidAttr, msg));
        }
        // The part's type against the file flags.
        if part.index(b"type").is_some() {
            if self.tiled_flag {
                if self.multipart || nparts > 1 {
                    return Err(self
                        .diag
                        .err(Code::InvalidAttr, "Multipart files cannot have the tiled bit set"));
                }
                part.storage = Storage::Tiled;
            }
            let expected: Option<&[u8]> = match part.storage {
                Storage::Scanline => Some(b"scanlineimage"),
                Storage::Tiled => Some(b"tiledimage"),
                Storage::DeepScanline => Some(b"deepscanline"),
                Storage::DeepTiled => Some(b"deeptile"),
                _ => None,
            };
            if let Some(e) = expected {
                part.put(b"type", Value::String(e.to_vec()));
            }
        }
        if part.storage == Storage::Last {
            return Err(self
                .diag
                .err(Code::InvalidAttr, "Unable to determine data storage type for part"));
        }
        if part.storage.tiled() {
            let Some((tx, ty, _)) = part.tiles_attr() else {
                return Err(self
                    .diag
                    .err(Code::MissingReqAttr, "'tiles' attribute for tiled file not found"));
            };
            if tx == 0 || ty == 0 || tx > (i32::MAX / 4) as u32 || ty > (i32::MAX / 4) as u32 {
                return Err(self.diag.err(
                    Code::InvalidAttr,
                    format!("Invalid tile description size ({tx} x {ty})"),
                ));
            }
            if let Some(c) = part.channels().iter().find(|c| c.x_sampling != 1 || c.y_sampling != 1) {
                let (axis, v) = if c.x_sampling != 1 {
                    ("x", c.x_sampling)
                } else {
                    ("y", c.y_sampling)
                };
                let msg = format!(
                    "channel '{}': {axis} subsampling factor is not 1 ({v}) for a tiled image",
                    lossy(&c.name)
                );
                return Err(self.diag.err(Code::InvalidAttr, msg));
            }
        }
        if part.storage.deep() {
            if part.compression() > 2 {
                return Err(self.diag.err(Code::InvalidAttr, "Invalid compression for deep data"));
            }
            if let Some(c) = part.channels().iter().find(|c| c.x_sampling != 1 || c.y_sampling != 1) {
                let (axis, v) = if c.x_sampling != 1 {
                    ("x", c.x_sampling)
                } else {
                    ("y", c.y_sampling)
                };
                let msg = format!(
                    "channel '{}': {axis} subsampling factor is not 1 ({v}) for a deep image",
                    lossy(&c.name)
                );
                return Err(self.diag.err(Code::InvalidAttr, msg));
            }
        }
        Ok(())
    }
}

/// Tile levels of a part: counts and sizes along x and y.
fn compute_tiling(part: &Part, diag: &mut Diag) -> Result<Tiling, Code> {
    let (tx, ty, mode) = part
        .tiles_attr()
        .ok_or_else(|| diag.err(Code::MissingReqAttr, "Missing required attribute in part header"))?;
    let dw = part.data_window();
    let (w, h) = (part.width(), part.height());
    let level_mode = mode & 0xF;
    let round_mode = (mode >> 4) & 0xF;
    let log2 = |x: i64| -> i32 {
        let (mut y, mut r, mut x) = (0, 0, x);
        while x > 1 {
            if x & 1 == 1 {
                r = 1;
            }
            y += 1;
            x >>= 1;
        }
        if round_mode == 0 {
            y
        } else {
            y + r
        }
    };
    let (nx, ny) = match level_mode {
        0 => (1, 1),
        1 => {
            let n = log2(w.max(h)) + 1;
            (n, n)
        }
        _ => (log2(w) + 1, log2(h) + 1),
    };
    let level = |min: i32, max: i32, l: i32| -> i64 {
        let size = i64::from(max) - i64::from(min) + 1;
        let b = 1i64 << l.min(62);
        let mut r = size / b;
        if round_mode == 1 && r * b < size {
            r += 1;
        }
        r.max(1)
    };
    let mut levels_x = Vec::with_capacity(nx as usize);
    for l in 0..nx {
        let sx = level(dw[0], dw[2], l);
        levels_x.push(((sx as u64).div_ceil(u64::from(tx)) as i32, sx as i32));
    }
    let mut levels_y = Vec::with_capacity(ny as usize);
    for l in 0..ny {
        let sy = level(dw[1], dw[3], l);
        levels_y.push(((sy as u64).div_ceil(u64::from(ty)) as i32, sy as i32));
    }
    Ok(Tiling {
        tile_w: tx,
        tile_h: ty,
        level_mode,
        round_mode,
        levels_x,
        levels_y,
    })
}

/// Chunk count of a part from its geometry (-1 when it cannot be stored),
/// filling in the per-chunk layout fields.
fn compute_chunks(part: &mut Part) -> i32 {
    if part.storage == Storage::Unknown {
        return part.chunk_count.max(0);
    }
    let bytes_per_pixel: u64 = part.channels().iter().map(|c| c.size() as u64).sum();
    if let (true, Some(t)) = (part.storage.tiled(), part.tiling.as_ref()) {
        let mut count: i64 = 0;
        if t.level_mode == 2 {
            for (cx, _) in &t.levels_x {
                for (cy, _) in &t.levels_y {
                    count += i64::from(*cx) * i64::from(*cy);
                    if count > i64::from(i32::MAX) {
                        return -1;
                    }
                }
            }
        } else {
            for (l, (cx, _)) in t.levels_x.iter().enumerate() {
                count += i64::from(*cx) * i64::from(t.levels_y[l].0);
            }
            if count > i64::from(i32::MAX) {
                return -1;
            }
        }
        part.unpacked_per_chunk = bytes_per_pixel * u64::from(t.tile_w) * u64::from(t.tile_h);
        count as i32
    } else {
        let lpc = lines_per_chunk(part.compression());
        part.lines_per_chunk = lpc;
        if lpc < 0 {
            return -1;
        }
        let w = part.width() as u64;
        // Subsampled channels hold fewer samples; count them as OpenEXR does.
        let dw = part.data_window();
        part.unpacked_per_chunk = part
            .channels()
            .iter()
            .map(|c| {
                c.size() as u64
                    * sampled(w as i64, c.x_sampling, dw[0]) as u64
                    * sampled(i64::from(lpc), c.y_sampling, dw[1]) as u64
            })
            .sum();
        ((part.height() + i64::from(lpc) - 1) / i64::from(lpc)) as i32
    }
}

/// Samples of a subsampled channel in `n` pixels starting at `start`.
fn sampled(n: i64, s: i32, start: i32) -> i64 {
    if s <= 1 {
        return n;
    }
    let s = i64::from(s);
    let start = i64::from(start);
    let end = start + n - 1;
    let first = if start.rem_euclid(s) == 0 {
        start
    } else {
        start + (s - start.rem_euclid(s))
    };
    if first > end {
        0
    } else {
        (end - first) / s + 1
    }
}

/// Parse all part headers of an open file (OpenEXRCore's `exr_start_read`).
fn parse_headers(cur: &mut Cursor, diag: &mut Diag) -> Result<Headers, Code> {
    let Some(head) = cur.take(8).map(<[u8]>::to_vec) else {
        return Err(diag.err(Code::ReadIo, "Unable to read magic and version flags"));
    };
    let magic = u32::from_le_bytes([head[0], head[1], head[2], head[3]]);
    let flags = u32::from_le_bytes([head[4], head[5], head[6], head[7]]);
    if magic != MAGIC {
        return Err(diag.err(
            Code::FileBadHeader,
            format!(
                "File is not an OpenEXR file: magic 0x{magic:08X} ({}) flags 0x{flags:08X}",
                magic as i32
            ),
        ));
    }
    if flags & 0xFF != 2 {
        return Err(diag.err(
            Code::FileBadHeader,
            format!(
                "File is of an unsupported version: {}, magic 0x{magic:08X} flags 0x{flags:08X}",
                flags & 0xFF
            ),
        ));
    }
    let valid = FLAG_TILED | FLAG_LONG_NAMES | FLAG_NONIMAGE | FLAG_MULTIPART;
    if flags & !0xFF & !valid != 0 {
        return Err(diag.err(
            Code::FileBadHeader,
            format!("File has an unsupported flags: magic 0x{magic:08X} flags 0x{flags:08X}"),
        ));
    }
    let tiled_flag = flags & FLAG_TILED != 0;
    let nonimage = flags & FLAG_NONIMAGE != 0;
    let multipart = flags & FLAG_MULTIPART != 0;
    if tiled_flag && (nonimage || multipart) {
        return Err(diag.err(
            Code::FileBadHeader,
            format!(
                "Invalid combination of version flags: single part flag found, but also marked as deep ({}) or multipart ({})",
                i32::from(nonimage),
                i32::from(multipart)
            ),
        ));
    }
    let first_storage = match (nonimage || multipart, tiled_flag) {
        (true, _) => Storage::Last,
        (false, true) => Storage::Tiled,
        (false, false) => Storage::Scanline,
    };
    let mut p = HeaderParser {
        cur,
        diag,
        multipart,
        nonimage,
        tiled_flag,
    };
    let mut parts: Vec<Part> = Vec::new();
    let mut part = Part::new(first_storage);
    loop {
        let Some(b) = p.cur.byte() else {
            p.eof();
            return Err(p.diag.err(Code::FileBadHeader, "Unable to extract header byte"));
        };
        let mut first = b;
        if b == 0 {
            p.validate_part(&mut part, parts.len() + 1)?;
            parts.push(std::mem::replace(&mut part, Part::new(Storage::Last)));
            if !multipart {
                break;
            }
            let Some(nb) = p.cur.byte() else {
                p.eof();
                return Err(p.diag.err(Code::FileBadHeader, "Unable to go to next part definition"));
            };
            if nb == 0 {
                break;
            }
            first = nb;
        }
        // A broken attribute is skipped; parsing continues after it.
        let _ = p.pull_attr(&mut part, first);
    }
    // Parts must agree on the attributes all views share.
    for (i, part) in parts.iter().enumerate().skip(1) {
        let base = &parts[0];
        let mut mismatch = Vec::new();
        if base.find(b"displayWindow") != part.find(b"displayWindow") {
            mismatch.push("displayWindow");
        }
        let par_bits = |p: &Part| match p.find(b"pixelAspectRatio") {
            Some(Value::Float(f)) => Some(f.to_bits()),
            _ => None,
        };
        if par_bits(base) != par_bits(part) {
            mismatch.push("pixelAspectRatio");
        }
        for key in ["timecode", "chromaticities"] {
            let (a, b) = (base.find(key.as_bytes()), part.find(key.as_bytes()));
            let want = if key == "timecode" {
                b"timecode".as_slice()
            } else {
                b"chromaticities".as_slice()
            };
            // Only a part that has it while the first part has a different
            // one (or none) disagrees.
            let same = match (a, b) {
                (_, None) => true,
                (Some(x), Some(y)) => x.type_name() == want && y.type_name() == want && x == y,
                (None, Some(_)) => false,
            };
            if !same {
                mismatch.push(key);
            }
        }
        if !mismatch.is_empty() {
            let name = part.name().map_or("<missing name>".to_string(), lossy);
            return Err(p.diag.err(
                Code::AttrTypeMismatch,
                format!(
                    "Part {i} ({name}) has non-conforming shared attributes: {}",
                    mismatch.join(" ")
                ),
            ));
        }
    }
    // Chunk tables follow the headers, one per part.
    let mut offset = p.cur.pos as u64;
    for (i, part) in parts.iter_mut().enumerate() {
        if part.storage.tiled() {
            part.tiling = Some(compute_tiling(part, p.diag)?);
        }
        let count = compute_chunks(part);
        if count < 0 {
            let name = part.name().map_or("<first>".to_string(), lossy);
            return Err(p.diag.err(
                Code::InvalidAttr,
                format!("Invalid chunk count ({count}) for part '{name}'"),
            ));
        }
        if part.chunk_count >= 0 && part.chunk_count != count {
            let name = part.name().map_or("<first>".to_string(), lossy);
            p.diag.err(
                Code::InvalidAttr,
                format!(
                    "Invalid chunk count ({}) for part '{name}' ({i}), expect ({count})",
                    part.chunk_count
                ),
            );
        }
        part.chunk_count = count;
        part.chunk_table_offset = offset;
        offset += 8 * count as u64;
    }
    Ok(Headers {
        parts,
        multipart,
        chunks_start: offset,
    })
}

// ---------------------------------------------------------------------------
// OIIO's view of a part

/// What OIIO makes of one part: the top level's spec, the MIP layout and
/// the order of its channels.
#[derive(Clone, Debug)]
pub(crate) struct PartInfo {
    pub spec: ImageSpec,
    pub nmiplevels: usize,
    pub level_mode: u8,
    pub round_mode: u8,
    pub cubeface: bool,
    /// For each of OIIO's channels, its index in the file's (sorted) list.
    pub order: Vec<usize>,
}

fn type_of_pixel(p: i32) -> TypeDesc {
    match p {
        PIXEL_UINT => TypeDesc::UINT,
        PIXEL_HALF => TypeDesc::HALF,
        _ => TypeDesc::FLOAT,
    }
}

/// OIIO's `TypeDesc::basetype_merge`: the type that holds both.
fn merge_type(a: TypeDesc, b: TypeDesc) -> TypeDesc {
    if a == b || b.is_unknown() {
        return a;
    }
    if a.is_unknown() {
        return b;
    }
    match (a.is_floating_point(), b.is_floating_point()) {
        (true, true) => {
            if a.size() >= b.size() {
                a
            } else {
                b
            }
        }
        (true, false) => a,
        (false, true) => b,
        (false, false) => {
            if a.size() >= b.size() {
                a
            } else {
                b
            }
        }
    }
}

/// OIIO's presentation order of a part's channels: by layer, then R, G, B,
/// A (and friends) first within the layer, then by name. Layers holding X
/// with Y or Z put X, Y, Z right after the colours.
fn channel_order(chans: &[Channel]) -> Vec<usize> {
    const SPECIAL: &[&str] = &[
        "R", "Red", "G", "Green", "B", "Blue", "Y", "real", "imag", "A", "Alpha", "AR", "RA", "AG", "GA", "AB", "BA",
        "Z", "Depth", "Zback",
    ];
    const SPECIAL_XYZ: &[&str] = &[
        "R", "Red", "G", "Green", "B", "Blue", "X", "Y", "Z", "real", "imag", "A", "Alpha", "AR", "RA", "AG", "GA",
        "AB", "BA", "Depth", "Zback",
    ];
    let split = |n: &[u8]| -> (Vec<u8>, Vec<u8>) {
        match n.iter().rposition(|&b| b == b'.') {
            Some(d) => (n[..=d].to_vec(), n[d + 1..].to_vec()),
            None => (Vec::new(), n.to_vec()),
        }
    };
    let items: Vec<(Vec<u8>, Vec<u8>, usize)> = chans
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let (l, s) = split(&c.name);
            (l, s, i)
        })
        .collect();
    let mut layers: Vec<Vec<u8>> = items.iter().map(|i| i.0.clone()).collect();
    layers.sort();
    layers.dedup();
    let mut out = Vec::with_capacity(chans.len());
    for layer in layers {
        let members: Vec<&(Vec<u8>, Vec<u8>, usize)> = items.iter().filter(|i| i.0 == layer).collect();
        let has = |s: &str| members.iter().any(|m| m.1.eq_ignore_ascii_case(s.as_bytes()));
        let table = if has("X") && (has("Y") || has("Z")) {
            SPECIAL_XYZ
        } else {
            SPECIAL
        };
        let rank = |suffix: &[u8]| {
            table
                .iter()
                .position(|t| t.as_bytes().eq_ignore_ascii_case(suffix))
                .unwrap_or(10000)
        };
        let mut keyed: Vec<(usize, &[u8], usize)> = members.iter().map(|m| (rank(&m.1), m.1.as_slice(), m.2)).collect();
        keyed.sort();
        out.extend(keyed.into_iter().map(|k| k.2));
    }
    out
}

fn is_c(p: &[u8], name: &str) -> bool {
    p.eq_ignore_ascii_case(name.as_bytes())
}

/// Build OIIO's spec of a part (`parse_header` + `query_channels`).
fn part_info(part: &Part, nparts: usize) -> Result<PartInfo, String> {
    let dw = part.data_window();
    let dispw = part.display_window();
    let mut spec = ImageSpec::with_format(TypeDesc::UNKNOWN);
    spec.x = dw[0];
    spec.y = dw[1];
    spec.width = (i64::from(dw[2]) - i64::from(dw[0]) + 1) as i32;
    spec.height = (i64::from(dw[3]) - i64::from(dw[1]) + 1) as i32;
    spec.depth = 1;
    spec.full_x = dispw[0];
    spec.full_y = dispw[1];
    spec.full_width = (i64::from(dispw[2]) - i64::from(dispw[0]) + 1) as i32;
    spec.full_height = (i64::from(dispw[3]) - i64::from(dispw[1]) + 1) as i32;
    spec.full_depth = 1;
    spec.tile_depth = 1;
    let (mut level_mode, mut round_mode, mut nmiplevels) = (0u8, 0u8, 1usize);
    if let (true, Some(t)) = (part.storage.tiled(), part.tiling.as_ref()) {
        spec.tile_width = t.tile_w as i32;
        spec.tile_height = t.tile_h as i32;
        level_mode = t.level_mode;
        round_mode = t.round_mode;
        nmiplevels = t.levels_x.len().max(t.levels_y.len());
    }
    // Channels, in OIIO's order.
    let chans = part.channels();
    let order = channel_order(chans);
    let mut all_same = true;
    let mut first_err = None;
    for (c, &fi) in order.iter().enumerate() {
        let ch = &chans[fi];
        let ty = type_of_pixel(ch.pixel_type);
        spec.channelnames.push(lossy(&ch.name));
        spec.channelformats.push(ty);
        spec.format = merge_type(spec.format, ty);
        all_same &= ch.pixel_type == chans[order[0]].pixel_type;
        let suffix = match ch.name.iter().rposition(|&b| b == b'.') {
            Some(d) => &ch.name[d + 1..],
            None => &ch.name[..],
        };
        if spec.alpha_channel < 0 && (is_c(suffix, "A") || is_c(suffix, "Alpha")) {
            spec.alpha_channel = c as i32;
        }
        if spec.z_channel < 0 && (is_c(suffix, "Z") || is_c(suffix, "Depth")) {
            spec.z_channel = c as i32;
        }
        if (ch.x_sampling != 1 || ch.y_sampling != 1) && first_err.is_none() {
            first_err = Some(format!(
                "Subsampled channels are not supported (channel \"{}\" has sampling {},{}).",
                lossy(&ch.name),
                ch.x_sampling,
                ch.y_sampling
            ));
        }
    }
    spec.nchannels = order.len() as i32;
    if all_same {
        spec.channelformats.clear();
    }
    if let Some(e) = first_err {
        return Err(e);
    }
    spec.deep = part.storage.deep();
    if level_mode != 0 {
        spec.attribute_int("openexr:roundingmode", i32::from(round_mode));
    }
    if nmiplevels > 1 {
        spec.attribute_int("oiio:miplevels", nmiplevels as i32);
    }
    let mut cubeface = false;
    if let Some(Value::Envmap(e)) = part.find(b"envmap") {
        cubeface = *e == 1;
        spec.attribute_str(
            "textureformat",
            if cubeface {
                "CubeFace Environment"
            } else {
                "LatLong Environment"
            },
        );
        if !cubeface {
            spec.attribute_str("oiio:updirection", "y");
        }
        spec.attribute_int("oiio:sampleborder", 1);
    } else if spec.tile_width != 0 && level_mode == 1 {
        spec.attribute_str("textureformat", "Plain Texture");
    }
    const COMP_NAMES: [&str; 12] = [
        "none", "rle", "zips", "zip", "piz", "pxr24", "b44", "b44a", "dwaa", "dwab", "htj2k256", "htj2k32",
    ];
    let comp = part.compression();
    if let Some(n) = COMP_NAMES.get(comp as usize) {
        spec.attribute_str("compression", n);
    }
    if !part.storage.tiled() && !part.storage.deep() && part.lines_per_chunk > 1 {
        spec.attribute_int("oiio:RowsPerChunk", part.lines_per_chunk);
    }
    for a in &part.attrs {
        if let Some(p) = attrs::to_param(a) {
            spec.attribute(p);
        }
    }
    if let Some(Value::Preview { width, height, .. }) = part.find(b"preview") {
        if *width > 0 && *height > 0 {
            spec.attribute_int("thumbnail_width", *width as i32);
            spec.attribute_int("thumbnail_height", *height as i32);
            spec.attribute_int("thumbnail_nchannels", 4);
        }
    }
    let aspect = spec.get_float_attribute("PixelAspectRatio", 0.0);
    let xdensity = spec.get_float_attribute("XResolution", 0.0);
    if xdensity != 0.0 {
        let a = if aspect != 0.0 { aspect } else { 1.0 };
        spec.attribute_float("YResolution", xdensity * a);
        spec.attribute_str("ResolutionUnit", "in");
    }
    if let Some(n) = part.name() {
        spec.attribute_str("oiio:subimagename", &attrs::c_text(n));
    }
    spec.attribute_int("oiio:subimages", nparts as i32);
    if spec.get_int_attribute("acesImageContainerFlag", 0) == 1 {
        spec.set_colorspace("lin_ap0_scene");
    } else if let Some(p) = spec.find_attribute("colorInteropID", TypeDesc::STRING, false) {
        let cs = spec_string(&p);
        spec.set_colorspace(&cs);
    }
    // maketx-only metadata is dropped from files that are not its textures.
    let software = spec.get_string_attribute("Software", "");
    let starts = |s: &str, p: &str| s.len() >= p.len() && s[..p.len()].eq_ignore_ascii_case(p);
    if spec.get_string_attribute("textureformat", "").is_empty()
        || spec.tile_width == 0
        || (!starts(&software, "OpenImageIO") && !starts(&software, "maketx"))
    {
        spec.erase_attribute("oiio:SHA-1", TypeDesc::UNKNOWN, false);
    }
    Ok(PartInfo {
        spec,
        nmiplevels,
        level_mode,
        round_mode,
        cubeface,
        order,
    })
}

/// The first value of a string attribute.
fn spec_string(p: &vfx_core::ParamValue) -> String {
    match p.get(0) {
        vfx_core::Value::Str(s) => s,
        _ => String::new(),
    }
}

/// OIIO's `check_open` limits for OpenEXR and its compression-ratio check.
fn check_open(spec: &ImageSpec, file_size: u64) -> Result<(), String> {
    const RANGE: i64 = 1 << 30;
    let (w, h, d, n) = (spec.width, spec.height, spec.depth, spec.nchannels);
    if w <= 0 || h <= 0 || d <= 0 || n <= 0 {
        return Err(format!(
            "openexr image resolution must be at least 1x1, but the file specified {w}x{h}x{d}, {n} chans. Possible corrupt input?"
        ));
    }
    if i64::from(w) > RANGE || i64::from(h) > RANGE || d > 1 {
        return Err(format!(
            "openexr image resolution may not exceed {RANGE}x{RANGE}, but the file appears to be {w}x{h}. Possible corrupt input?"
        ));
    }
    if n > 4096 {
        return Err(format!(
            "openexr does not support {n}-channel images. Possible corrupt input?"
        ));
    }
    let max_chans = globals::get_int_attribute("limits:channels", 1024);
    if max_chans > 0 && n > max_chans {
        return Err(format!(
            "{n} channels exceeds \"limits:channels\" = {max_chans}. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:channels\"."
        ));
    }
    let max_res = globals::get_int_attribute("limits:resolution", 1 << 20);
    if max_res > 0 && (w > max_res || h > max_res || d > max_res) {
        return Err(format!(
            "openexr image dimension {w}x{h} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\"."
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
    if spec.tile_width < 0 || spec.tile_height < 0 || spec.tile_depth < 0 {
        return Err(format!(
            "openexr tile size may not be negative, but was {}x{}x{}. Possible corrupt input?",
            spec.tile_width, spec.tile_height, spec.tile_depth
        ));
    }
    if max_res > 0 && (spec.tile_width > max_res || spec.tile_height > max_res || spec.tile_depth > max_res) {
        return Err(format!(
            "openexr tile size {}x{}x{} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\".",
            spec.tile_width, spec.tile_height, spec.tile_depth
        ));
    }
    if i64::from(spec.tile_width) > RANGE || i64::from(spec.tile_height) > RANGE || spec.tile_depth > 1 {
        return Err(format!(
            "openexr tile size may not exceed {RANGE}x{RANGE}x1, but was {}x{}x{}. Possible corrupt input?",
            spec.tile_width, spec.tile_height, spec.tile_depth
        ));
    }
    let (fw, fh) = (spec.full_width, spec.full_height);
    if fw <= 0 || fh <= 0 || spec.full_depth <= 0 {
        return Err(format!(
            "openexr image full/display resolution must be at least 1x1, but the file specified {fw}x{fh}x{}. Possible corrupt input?",
            spec.full_depth
        ));
    }
    if i64::from(fw) > RANGE || i64::from(fh) > RANGE {
        return Err(format!(
            "openexr image full/display resolution may not exceed {RANGE}x{RANGE}, but the file appears to be {fw}x{fh}. Possible corrupt input?"
        ));
    }
    if file_size > 0 && bytes >= 1 << 30 && bytes > file_size.saturating_mul(10000) {
        return Err(format!(
            "openexr header claims a {} MB image from a {file_size} byte file; probably a corrupt or malicious header",
            bytes >> 20
        ));
    }
    Ok(())
}

impl PartInfo {
    /// The spec of MIP level `m` (OIIO's `compute_mipres`).
    fn level_spec(&self, m: usize) -> ImageSpec {
        let mut spec = self.spec.clone();
        if self.level_mode == 0 {
            return spec;
        }
        let (mut w, mut h) = (spec.width, spec.height);
        if self.level_mode == 1 {
            for _ in 0..m {
                if self.round_mode == 0 {
                    (w, h) = (w / 2, h / 2);
                } else {
                    (w, h) = ((w + 1) / 2, (h + 1) / 2);
                }
                (w, h) = (w.max(1), h.max(1));
            }
        }
        spec.width = w;
        spec.height = h;
        if m > 0 {
            spec.full_x = spec.x;
            spec.full_y = spec.y;
            spec.full_width = w;
            spec.full_height = h;
        }
        if self.cubeface {
            spec.full_width = w;
            spec.full_height = w;
        }
        spec
    }
}

// ---------------------------------------------------------------------------
// Chunks

/// Read exactly `buf.len()` bytes at `offset` (thread-safe).
fn read_at(file: &File, offset: u64, buf: &mut [u8]) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        file.read_exact_at(buf, offset).is_ok()
    }
    #[cfg(windows)]
    {
        use std::os::windows::fs::FileExt;
        let mut done = 0;
        while done < buf.len() {
            match file.seek_read(&mut buf[done..], offset + done as u64) {
                Ok(0) | Err(_) => return false,
                Ok(n) => done += n,
            }
        }
        true
    }
}

/// A decoded chunk: OpenEXR's line layout (per line, per channel), or
/// PIZ's planes (per channel, per line) of native 16-bit words.
pub(crate) enum Block {
    Lines(Vec<u8>),
    Planar(Vec<u16>),
}

/// A failure while locating or decoding a chunk.
#[derive(Clone, Debug)]
pub(crate) struct ChunkError {
    /// OpenEXRCore's code and message; OIIO reports only a generic
    /// "missing or corrupted" error, so these are for debugging.
    #[allow(dead_code)]
    pub code: Code,
    #[allow(dead_code)]
    pub msg: String,
}

fn cerr(code: Code, msg: impl Into<String>) -> ChunkError {
    ChunkError { code, msg: msg.into() }
}

/// A chunk's place for messages: "scanline Y" or "tile (X, Y), level (LX, LY)".
struct ChunkPlace<'a>(&'a [i32]);

impl std::fmt::Display for ChunkPlace<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0 {
            [y] => write!(f, "scanline {y}"),
            [x, y, lx, ly] => write!(f, "tile ({x}, {y}), level ({lx}, {ly})"),
            other => write!(f, "chunk {other:?}"),
        }
    }
}

/// What a chunk leader says.
#[derive(Clone, Copy, Debug, Default)]
struct Leader {
    y: i32,
    tile: [i32; 4],
    packed: u64,
}

/// An open OpenEXR file: headers, OIIO's view of each part, and the lazily
/// read chunk offset tables.
pub(crate) struct ExrFile {
    pub path: std::path::PathBuf,
    pub file: File,
    pub size: u64,
    pub headers: Headers,
    tables: Vec<OnceLock<Result<Vec<u64>, ChunkError>>>,
    crate_headers: Vec<OnceLock<exr::meta::header::Header>>,
}

impl ExrFile {
    fn read_i32s(&self, offset: u64, n: usize) -> Option<Vec<i32>> {
        let mut b = vec![0u8; 4 * n];
        read_at(&self.file, offset, &mut b).then(|| {
            b.chunks_exact(4)
                .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect()
        })
    }

    fn read_i64s(&self, offset: u64, n: usize) -> Option<Vec<i64>> {
        let mut b = vec![0u8; 8 * n];
        read_at(&self.file, offset, &mut b).then(|| {
            b.chunks_exact(8)
                .map(|c| i64::from_le_bytes(c.try_into().expect("8 bytes")))
                .collect()
        })
    }

    /// The chunk offsets of part `p` (repaired where they look broken).
    pub(crate) fn chunk_table(&self, p: usize) -> Result<&[u64], ChunkError> {
        self.tables[p]
            .get_or_init(|| self.load_table(p))
            .as_ref()
            .map(Vec::as_slice)
            .map_err(Clone::clone)
    }

    fn load_table(&self, p: usize) -> Result<Vec<u64>, ChunkError> {
        let part = &self.headers.parts[p];
        let count = part.chunk_count;
        if count <= 0 {
            return Err(cerr(Code::InvalidArgument, "Invalid file with no chunks"));
        }
        let bytes = 8 * count as u64;
        if count > 1 << 20 || part.chunk_table_offset + bytes > self.size {
            return Err(cerr(
                Code::InvalidArgument,
                format!("chunk table size ({bytes}) too big for file size ({})", self.size),
            ));
        }
        let mut raw = vec![0u8; bytes as usize];
        if !read_at(&self.file, part.chunk_table_offset, &mut raw) {
            return Err(cerr(Code::BadChunkLeader, "Unable to read the chunk offset table"));
        }
        let mut table: Vec<u64> = raw
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().expect("8 bytes")))
            .collect();
        let min = part.chunk_table_offset + bytes;
        if table.iter().any(|&o| o < min || o >= self.size) {
            // A table written only in part (or damaged): rebuild it from
            // the chunk leaders; errors leave the entries it cannot fix.
            let _ = self.reconstruct(p, &mut table);
        }
        Ok(table)
    }

    /// The leader of a chunk of part `p` at `offset`, and where the next
    /// chunk would start.
    fn chunk_leader(&self, p: usize, offset: u64) -> Result<(Leader, u64), ChunkError> {
        let part = &self.headers.parts[p];
        let multi = self.headers.multipart;
        let maxval = if self.size > 0 {
            self.size as i64
        } else {
            i64::from(i32::MAX)
        };
        let n = match part.storage {
            Storage::Scanline => 2 + usize::from(multi),
            Storage::DeepScanline => 1 + usize::from(multi),
            Storage::DeepTiled => 4 + usize::from(multi),
            _ => 5 + usize::from(multi),
        };
        let d = self
            .read_i32s(offset, n)
            .ok_or_else(|| cerr(Code::ReadIo, "Error reading from stream"))?;
        let mut next = offset + 4 * n as u64;
        let mut i = 0;
        if multi {
            if d[0] != p as i32 {
                return Err(cerr(
                    Code::BadChunkLeader,
                    format!(
                        "Invalid part number reconstructing chunk table: expect {p}, found {}",
                        d[0]
                    ),
                ));
            }
            i = 1;
        }
        let mut leader = Leader::default();
        if matches!(part.storage, Storage::Scanline | Storage::DeepScanline) {
            leader.y = d[i];
            i += 1;
        } else {
            leader.tile = [d[i], d[i + 1], d[i + 2], d[i + 3]];
            i += 4;
        }
        if part.storage.deep() {
            let dd = self
                .read_i64s(next, 3)
                .ok_or_else(|| cerr(Code::ReadIo, "Error reading from stream"))?;
            next += 24;
            if dd[0] < 0 || (dd[0] == 0 && (dd[1] != 0 || dd[2] != 0)) {
                return Err(cerr(
                    Code::BadChunkLeader,
                    format!(
                        "Invalid chunk size reconstructing chunk table: found out of range sample count {}",
                        dd[0]
                    ),
                ));
            }
            if dd[1] < 0 || dd[1] > maxval || (dd[1] == 0 && dd[2] != 0) {
                return Err(cerr(
                    Code::BadChunkLeader,
                    format!(
                        "Invalid chunk size reconstructing chunk table: found out of range {}",
                        dd[1]
                    ),
                ));
            }
            leader.packed = (dd[0] + dd[1]) as u64;
        } else {
            let sz = d[i];
            if sz < 0 || i64::from(sz) > maxval {
                return Err(cerr(
                    Code::BadChunkLeader,
                    format!("Invalid chunk size reconstructing chunk table: found out of range {sz}"),
                ));
            }
            leader.packed = sz as u64;
        }
        Ok((leader, next + leader.packed))
    }

    /// OpenEXRCore's index of tile (tx, ty) of level (lx, ly) in the table.
    fn tile_index(&self, p: usize, tx: i32, ty: i32, lx: i32, ly: i32) -> Result<usize, ChunkError> {
        let part = &self.headers.parts[p];
        let Some(t) = part
            .tiling
            .as_ref()
            .filter(|t| !t.levels_x.is_empty() && !t.levels_y.is_empty())
        else {
            return Err(cerr(Code::MissingReqAttr, "Tile descriptor data missing or corrupt"));
        };
        if tx < 0 || ty < 0 || lx < 0 || ly < 0 {
            return Err(cerr(
                Code::InvalidArgument,
                format!("Invalid tile indices provided ({tx}, {ty}, level {lx}, {ly})"),
            ));
        }
        let (lx, ly) = (lx as usize, ly as usize);
        let mut off: i64 = 0;
        if t.level_mode == 2 {
            if lx >= t.levels_x.len() || ly >= t.levels_y.len() {
                return Err(cerr(Code::InvalidArgument, "Request for tile past available levels"));
            }
            let (nx, ny) = (t.levels_x[lx].0, t.levels_y[ly].0);
            if tx >= nx || ty >= ny {
                return Err(cerr(Code::InvalidArgument, "Request for tile outside the level"));
            }
            for y in 0..ly {
                for x in &t.levels_x {
                    off += i64::from(x.0) * i64::from(t.levels_y[y].0);
                }
            }
            for x in &t.levels_x[..lx] {
                off += i64::from(x.0) * i64::from(ny);
            }
            off += i64::from(ty) * i64::from(nx) + i64::from(tx);
        } else {
            if lx != ly {
                return Err(cerr(
                    Code::InvalidArgument,
                    "single level and mipmap tiles must have same level x and y",
                ));
            }
            if lx >= t.levels_x.len() {
                return Err(cerr(Code::InvalidArgument, "Request for tile past available levels"));
            }
            let (nx, ny) = (t.levels_x[lx].0, t.levels_y[lx].0);
            if tx >= nx || ty >= ny {
                return Err(cerr(Code::InvalidArgument, "Request for tile outside the level"));
            }
            for l in 0..lx {
                off += i64::from(t.levels_x[l].0) * i64::from(t.levels_y[l].0);
            }
            off += i64::from(ty) * i64::from(nx) + i64::from(tx);
        }
        if off >= i64::from(part.chunk_count) {
            return Err(cerr(
                Code::Unknown,
                format!("Invalid tile chunk offset {off} ({} avail)", part.chunk_count),
            ));
        }
        Ok(off as usize)
    }

    /// Rebuild a broken offset table by walking the chunks from the start of
    /// the part's data (OpenEXRCore's reconstruction).
    fn reconstruct(&self, p: usize, table: &mut [u64]) -> Result<(), ChunkError> {
        let part = &self.headers.parts[p];
        let count = table.len();
        let max_offset = self.size;
        let mut offset_start = self.headers.chunks_start;
        if p > 0 {
            let prev = self.chunk_table(p - 1)?;
            let mut chunk_start = offset_start;
            for &o in prev {
                if o > chunk_start && o < max_offset {
                    chunk_start = o;
                }
            }
            offset_start = self.chunk_leader(p - 1, chunk_start)?.1;
        }
        let mut rebuilt = vec![0u64; count];
        let mut first_fail = None;
        for (ci, &recorded) in table.iter().enumerate() {
            if recorded >= offset_start && recorded < max_offset {
                offset_start = recorded;
            }
            let mut chunk_start = offset_start;
            let computed = if part.line_order() == 1 { count - (ci + 1) } else { ci };
            let mut found = computed as i64;
            let r = self.chunk_leader(p, chunk_start).and_then(|(leader, next)| {
                offset_start = next;
                if matches!(part.storage, Storage::Scanline | Storage::DeepScanline) {
                    let dw = part.data_window();
                    let chunk = (i64::from(leader.y) - i64::from(dw[1])) / i64::from(part.lines_per_chunk.max(1));
                    let ok = found == chunk && chunk >= 0 && chunk < i64::from(part.chunk_count);
                    found = chunk;
                    if ok {
                        Ok(())
                    } else {
                        Err(cerr(Code::BadChunkLeader, "Invalid chunk index"))
                    }
                } else {
                    let [tx, ty, lx, ly] = leader.tile;
                    let r = self.tile_index(p, tx, ty, lx, ly);
                    found = r.as_ref().map_or(0, |i| *i as i64);
                    r.map(|_| ())
                }
            });
            if let Err(e) = r {
                chunk_start = 0;
                first_fail.get_or_insert(e);
            }
            if found >= 0 && (found as usize) < count && rebuilt[found as usize] == 0 {
                rebuilt[found as usize] = chunk_start;
            }
        }
        match first_fail {
            None => {
                table.copy_from_slice(&rebuilt);
                Ok(())
            }
            Some(e) => {
                for (t, r) in table.iter_mut().zip(&rebuilt) {
                    if *r != 0 {
                        *t = *r;
                    }
                }
                Err(e)
            }
        }
    }

    /// Find a flat chunk and check its leader: `expect` is what the leader
    /// must say after the part number (y, or tile x, y and levels),
    /// `unpacked` its uncompressed size. Returns the data offset and the
    /// packed size.
    fn locate_chunk(&self, p: usize, cidx: usize, expect: &[i32], unpacked: u64) -> Result<(u64, usize), ChunkError> {
        let what = ChunkPlace(expect);
        let part = &self.headers.parts[p];
        let table = self.chunk_table(p)?;
        let dataoff = table[cidx];
        if dataoff == 0 {
            return Err(cerr(
                Code::IncompleteChunkTable,
                "Chunk offsets table not completely finished writing (incomplete file)",
            ));
        }
        let chunkmin = part.chunk_table_offset + 8 * part.chunk_count as u64;
        if dataoff < chunkmin || dataoff > self.size {
            return Err(cerr(
                Code::BadChunkLeader,
                format!("Corrupt chunk offset table: {what}, chunk index {cidx} recorded at file offset {dataoff}"),
            ));
        }
        let multi = usize::from(self.headers.multipart);
        let n = multi + expect.len() + 1;
        let d = self.read_i32s(dataoff, n).ok_or_else(|| {
            cerr(
                Code::ReadIo,
                format!(
                    "Unable to read information block for {what}: request {} bytes from offset {dataoff}",
                    4 * n
                ),
            )
        })?;
        if multi == 1 && d[0] != p as i32 {
            return Err(cerr(
                Code::BadChunkLeader,
                format!(
                    "Preparing read {what} (chunk {cidx}), found corrupt leader: part says {}, expected {p}",
                    d[0]
                ),
            ));
        }
        if d[multi..multi + expect.len()] != *expect {
            return Err(cerr(
                Code::BadChunkLeader,
                format!("Preparing to read {what} (chunk {cidx}), found corrupt leader"),
            ));
        }
        let packed = d[n - 1];
        let tiled = part.storage.tiled();
        let limit = if tiled { unpacked } else { part.unpacked_per_chunk };
        if packed < 0 || packed as u64 > limit || (tiled && packed == 0 && unpacked != 0) {
            return Err(cerr(
                Code::BadChunkLeader,
                format!(
                    "Preparing to read {what} (chunk {cidx}), found corrupt leader: packed data size says {packed}, must be between 0 and {limit}"
                ),
            ));
        }
        let data_offset = dataoff + 4 * n as u64;
        if data_offset + packed as u64 > self.size {
            return Err(cerr(
                Code::BadChunkLeader,
                format!(
                    "Preparing to read {what} (chunk {cidx}), found corrupt leader: packed size {packed}, file offset {data_offset}, size {}",
                    self.size
                ),
            ));
        }
        if packed == 0 && unpacked > 0 {
            return Err(cerr(Code::InvalidArgument, "Invalid packed size of 0"));
        }
        let comp = part.compression();
        if comp == 0 && packed as u64 != unpacked {
            return Err(cerr(
                Code::BadChunkLeader,
                format!(
                    "Mismatch between unpacked and packed size with uncompressed data: packed is {packed}; unpacked is {unpacked}"
                ),
            ));
        }
        if !plausible(comp, packed as u64, unpacked) {
            return Err(cerr(
                Code::CorruptChunk,
                format!("Corrupt data block data, unable to decode ({what}, chunk {cidx})"),
            ));
        }
        Ok((data_offset, packed as usize))
    }

    /// The packed bytes of a located chunk.
    fn fetch(&self, offset: u64, len: usize) -> Result<Vec<u8>, ChunkError> {
        let mut buf = vec![0u8; len];
        if read_at(&self.file, offset, &mut buf) {
            Ok(buf)
        } else {
            Err(cerr(Code::ReadIo, "Error reading from stream"))
        }
    }

    /// The `exr` crate's header for part `p`, used by its codecs.
    fn crate_header(&self, p: usize) -> &exr::meta::header::Header {
        self.crate_headers[p].get_or_init(|| {
            let part = &self.headers.parts[p];
            crate_header_for(
                part.channels(),
                part.compression(),
                part.width() as usize,
                part.tiling.as_ref(),
            )
        })
    }

    /// Decompress one chunk, in whichever layout its codec produces.
    fn decode(
        &self,
        p: usize,
        packed: Vec<u8>,
        rect: (i32, i32, usize, usize),
        unpacked: usize,
    ) -> Result<Block, ChunkError> {
        let part = &self.headers.parts[p];
        if part.compression() == 4 && packed.len() != unpacked && cfg!(target_endian = "little") {
            return piz_decompress_planar(&packed, part.channels(), rect.2, rect.3, unpacked)
                .map(Block::Planar)
                .map_err(|m| cerr(Code::CorruptChunk, m));
        }
        self.decode_lines(p, packed, rect, unpacked).map(Block::Lines)
    }

    /// Decompress one chunk into OpenEXR's uncompressed layout (per line,
    /// per channel in file order), native-endian.
    fn decode_lines(
        &self,
        p: usize,
        packed: Vec<u8>,
        rect: (i32, i32, usize, usize),
        unpacked: usize,
    ) -> Result<Vec<u8>, ChunkError> {
        let part = &self.headers.parts[p];
        let chans = part.channels();
        if packed.len() == unpacked {
            let mut raw = packed;
            le_to_native(&mut raw, chans, rect.2);
            return Ok(raw);
        }
        let comp = part.compression();
        let corrupt = |m: String| cerr(Code::CorruptChunk, m);
        match comp {
            8 | 9 => {
                let mut out = dwa_decompress(chans, rect, &packed, unpacked).map_err(corrupt)?;
                if out.len() != unpacked {
                    return Err(corrupt("DWA chunk decoded to the wrong size".into()));
                }
                le_to_native(&mut out, chans, rect.2);
                Ok(out)
            }
            10 | 11 => Err(cerr(
                Code::FeatureNotImplemented,
                "HTJ2K compression is not supported by this reader",
            )),
            2 | 3 => {
                let mut out = zip_decompress(&packed, unpacked).map_err(corrupt)?;
                le_to_native(&mut out, chans, rect.2);
                Ok(out)
            }
            5 => {
                let mut out = pxr24_decompress(&packed, chans, rect.2, rect.3, unpacked).map_err(corrupt)?;
                le_to_native(&mut out, chans, rect.2);
                Ok(out)
            }
            4 => {
                let mut out = piz_decompress(&packed, chans, rect.2, rect.3, unpacked).map_err(corrupt)?;
                le_to_native(&mut out, chans, rect.2);
                Ok(out)
            }
            _ => {
                let header = self.crate_header(p);
                let bounds = exr::meta::attribute::IntegerBounds::new((rect.0, rect.1), (rect.2, rect.3));
                let compression = crate_compression(comp);
                // The codecs must never take the process down on hostile
                // data; a panic becomes a corrupt-chunk error.
                let r = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    compression.decompress_image_section_from_le(header, packed, bounds, false)
                }));
                match r {
                    Ok(Ok(v)) if v.len() == unpacked => Ok(v),
                    Ok(Ok(_)) => Err(corrupt("decompressed chunk has the wrong size".into())),
                    Ok(Err(e)) => Err(corrupt(e.to_string())),
                    Err(_) => Err(corrupt("corrupt compressed chunk".into())),
                }
            }
        }
    }
}

/// The `exr` crate's compression for a file code.
fn crate_compression(code: u8) -> exr::compression::Compression {
    use exr::compression::Compression as C;
    match code {
        0 => C::Uncompressed,
        1 => C::RLE,
        2 => C::ZIP1,
        3 => C::ZIP16,
        4 => C::PIZ,
        5 => C::PXR24,
        6 => C::B44,
        7 => C::B44A,
        8 => C::DWAA(None),
        9 => C::DWAB(None),
        10 => C::HTJ2K256,
        _ => C::HTJ2K32,
    }
}

/// An `exr` crate header describing a part's channels and blocks, as its
/// codecs need it.
fn crate_header_for(chans: &[Channel], comp: u8, width: usize, tiling: Option<&Tiling>) -> exr::meta::header::Header {
    use exr::math::RoundingMode;
    use exr::meta::attribute::{ChannelDescription, LevelMode, SampleType, Text, TileDescription};
    use exr::meta::BlockDescription;
    let list: exr::prelude::SmallVec<[ChannelDescription; 5]> = chans
        .iter()
        .map(|c| ChannelDescription {
            name: Text::from_slice_unchecked(&c.name),
            sample_type: match c.pixel_type {
                PIXEL_UINT => SampleType::U32,
                PIXEL_HALF => SampleType::F16,
                _ => SampleType::F32,
            },
            quantize_linearly: c.p_linear == 1,
            sampling: exr::math::Vec2(c.x_sampling.max(1) as usize, c.y_sampling.max(1) as usize),
        })
        .collect();
    let blocks = match tiling {
        Some(t) => BlockDescription::Tiles(TileDescription {
            tile_size: exr::math::Vec2(t.tile_w as usize, t.tile_h as usize),
            level_mode: LevelMode::Singular,
            rounding_mode: RoundingMode::Down,
        }),
        None => BlockDescription::ScanLines,
    };
    let lines = lines_per_chunk(comp).max(1) as usize;
    let height = tiling.map_or(lines, |t| t.tile_h as usize);
    exr::meta::header::Header::new(Text::from_slice_unchecked(b"part"), (width.max(1), height), list).with_encoding(
        crate_compression(comp),
        blocks,
        exr::meta::attribute::LineOrder::Increasing,
    )
}

/// Swap a block's samples from little-endian to native order (a no-op on
/// little-endian machines).
fn le_to_native(data: &mut [u8], chans: &[Channel], width: usize) {
    if cfg!(target_endian = "little") {
        return;
    }
    let line: usize = chans.iter().map(|c| c.size() * width).sum();
    if line == 0 {
        return;
    }
    for row in data.chunks_exact_mut(line) {
        let mut off = 0;
        for c in chans {
            let n = c.size() * width;
            for s in row[off..off + n].chunks_exact_mut(c.size()) {
                s.reverse();
            }
            off += n;
        }
    }
}

/// The DWA codec's view of a part's channels.
fn dwa_channels(chans: &[Channel]) -> (Vec<super::openexr_dwa::DwaChannel>, Vec<bool>) {
    use exr::meta::attribute::SampleType;
    let list = chans
        .iter()
        .map(|c| super::openexr_dwa::DwaChannel {
            name: lossy(&c.name),
            sample_type: match c.pixel_type {
                PIXEL_UINT => SampleType::U32,
                PIXEL_HALF => SampleType::F16,
                _ => SampleType::F32,
            },
            x_sampling: c.x_sampling.max(1) as usize,
            y_sampling: c.y_sampling.max(1) as usize,
        })
        .collect();
    (list, chans.iter().map(|c| c.p_linear == 1).collect())
}

/// DWAA/DWAB chunk decompression (the `openexr_dwa` codec) into OpenEXR's
/// uncompressed layout, little-endian.
fn dwa_decompress(
    chans: &[Channel],
    rect: (i32, i32, usize, usize),
    packed: &[u8],
    unpacked: usize,
) -> Result<Vec<u8>, String> {
    let (list, linear) = dwa_channels(chans);
    super::openexr_dwa::decompress_with_plinear(&list, &linear, rect.0, rect.1, rect.2, rect.3, packed, unpacked)
}

/// OpenEXR's ZIP/ZIPS decoding: inflate, undo the byte predictor, then
/// re-interleave the two halves (low and high bytes of the samples).
fn zip_decompress(packed: &[u8], unpacked: usize) -> Result<Vec<u8>, String> {
    let tmp = inflate_exact(packed, unpacked)?;
    let half = unpacked.div_ceil(2);
    let (lo, hi) = tmp.split_at(half);
    // The predictor runs through both halves in turn; the second half
    // starts from the first half's last value, which is the sum of all its
    // differences (mod 256), so both halves can be undone in one pass.
    let first_last = lo.iter().skip(1).fold(lo.first().copied().unwrap_or(0), |acc, &d| {
        acc.wrapping_add(d).wrapping_sub(128)
    });
    let mut out = vec![0u8; unpacked];
    let (mut a, mut b) = (0u8, first_last);
    for (i, pair) in out.chunks_exact_mut(2).enumerate() {
        a = if i == 0 {
            lo[0]
        } else {
            a.wrapping_add(lo[i]).wrapping_sub(128)
        };
        b = b.wrapping_add(hi[i]).wrapping_sub(128);
        pair[0] = a;
        pair[1] = b;
    }
    if unpacked % 2 == 1 {
        out[unpacked - 1] = first_last;
    }
    Ok(out)
}

/// Inflate a zlib stream that must give exactly `len` bytes (`zune-inflate`
/// is the quickest on the many small streams of tiled files).
fn inflate_exact(packed: &[u8], len: usize) -> Result<Vec<u8>, String> {
    let opts = zune_inflate::DeflateOptions::default()
        .set_limit(len)
        .set_size_hint(len);
    match zune_inflate::DeflateDecoder::new_with_options(packed, opts).decode_zlib() {
        Ok(out) if out.len() == len => Ok(out),
        _ => Err("Corrupt data block data, unable to decode (zip)".into()),
    }
}

/// OpenEXR's ZIP/ZIPS encoding of little-endian chunk bytes: even bytes
/// then odd bytes, a byte-difference predictor, then zlib at `level`.
fn zip_compress(le: &[u8], level: i32) -> Vec<u8> {
    let n = le.len();
    let mut tmp: Vec<u8> = Vec::with_capacity(n);
    tmp.extend(le.iter().step_by(2));
    tmp.extend(le.iter().skip(1).step_by(2));
    let mut prev = 0u8;
    for (i, b) in tmp.iter_mut().enumerate() {
        let cur = *b;
        if i > 0 {
            *b = cur.wrapping_sub(prev).wrapping_add(128);
        }
        prev = cur;
    }
    let mut out = vec![0u8; zlib_rs::compress_bound(n)];
    let (done, rc) = zlib_rs::compress_slice(&mut out, &tmp, zlib_rs::DeflateConfig::new(level.clamp(1, 9)));
    if rc != zlib_rs::ReturnCode::Ok {
        // Storing the chunk uncompressed is always valid.
        return le.to_vec();
    }
    let len = done.len();
    out.truncate(len);
    out
}

// ---------------------------------------------------------------------------
// PIZ: wavelet transform + Huffman coding of 16-bit words (OpenEXR's scheme,
// written here for speed; the crate's decoder is several times slower).

const HUF_ENCSIZE: usize = (1 << 16) + 1;
const HUF_DECBITS: u32 = 14;
const HUF_DECSIZE: usize = 1 << HUF_DECBITS;
const SHORT_ZEROCODE_RUN: u64 = 59;
const LONG_ZEROCODE_RUN: u64 = 63;
const SHORTEST_LONG_RUN: u64 = 2 + LONG_ZEROCODE_RUN - SHORT_ZEROCODE_RUN;
const LONGEST_LONG_RUN: u64 = 255 + SHORTEST_LONG_RUN;
const BITMAP_SIZE: usize = 1 << 13;

fn huf_len(code: u64) -> u32 {
    (code & 63) as u32
}

fn huf_code(code: u64) -> u64 {
    code >> 6
}

/// Turn code lengths into canonical codes, stored as `code << 6 | length`.
fn canonical_codes(hcode: &mut [u64]) {
    let mut n = [0u64; 59];
    for &l in hcode.iter() {
        n[l as usize] += 1;
    }
    let mut c = 0u64;
    for i in (1..=58).rev() {
        let nc = (c + n[i]) >> 1;
        n[i] = c;
        c = nc;
    }
    for h in hcode.iter_mut() {
        let l = *h as usize;
        if l > 0 {
            *h = l as u64 | (n[l] << 6);
            n[l] += 1;
        }
    }
}

/// Bits written most significant first.
struct BitWriter {
    out: Vec<u8>,
    c: u64,
    lc: u32,
}

impl BitWriter {
    #[inline]
    fn put(&mut self, nbits: u32, bits: u64) {
        if nbits > 32 {
            self.put(nbits - 32, bits >> 32);
            self.put(32, bits & 0xFFFF_FFFF);
            return;
        }
        self.c = (self.c << nbits) | (bits & ((1u64 << nbits) - 1));
        self.lc += nbits;
        if self.lc >= 32 {
            self.lc -= 32;
            self.out.extend_from_slice(&((self.c >> self.lc) as u32).to_be_bytes());
        }
    }
    #[inline]
    fn code(&mut self, code: u64) {
        self.put(huf_len(code), huf_code(code));
    }
    /// Pad the last byte; returns the number of meaningful bits.
    fn finish(&mut self) -> u64 {
        while self.lc >= 8 {
            self.lc -= 8;
            self.out.push((self.c >> self.lc) as u8);
        }
        let bits = self.out.len() as u64 * 8 + u64::from(self.lc);
        if self.lc > 0 {
            self.out.push((self.c << (8 - self.lc)) as u8);
            self.lc = 0;
        }
        bits
    }
}

/// Huffman code lengths for the symbols in `freq` (plus the run-length
/// pseudo-symbol), as canonical codes. Returns (im, iM).
fn build_codes(freq: &mut [u64]) -> (usize, usize) {
    let im = freq.iter().position(|&f| f != 0).unwrap_or(0);
    let mut heap: std::collections::BinaryHeap<std::cmp::Reverse<(u64, usize)>> = Default::default();
    let mut link: Vec<usize> = (0..HUF_ENCSIZE).collect();
    let mut i_max = im;
    for (i, &f) in freq.iter().enumerate().skip(im) {
        if f != 0 {
            heap.push(std::cmp::Reverse((f, i)));
            i_max = i;
        }
    }
    let rlc = i_max + 1;
    freq[rlc] = 1;
    heap.push(std::cmp::Reverse((1, rlc)));
    let mut len = vec![0u64; HUF_ENCSIZE];
    while heap.len() > 1 {
        let std::cmp::Reverse((fmm, mm)) = heap.pop().expect("two entries");
        let std::cmp::Reverse((fm, m)) = heap.pop().expect("two entries");
        heap.push(std::cmp::Reverse((fm + fmm, m)));
        let mut j = m;
        loop {
            len[j] += 1;
            if link[j] == j {
                link[j] = mm;
                break;
            }
            j = link[j];
        }
        let mut j = mm;
        loop {
            len[j] += 1;
            if link[j] == j {
                break;
            }
            j = link[j];
        }
    }
    canonical_codes(&mut len);
    freq.copy_from_slice(&len);
    (im, rlc)
}

/// Huffman-compress 16-bit words (OpenEXR's `hufCompress`).
fn huf_compress(raw: &[u16]) -> Vec<u8> {
    if raw.is_empty() {
        return Vec::new();
    }
    let mut hcode = vec![0u64; HUF_ENCSIZE];
    for &v in raw {
        hcode[v as usize] += 1;
    }
    let (im, rlc) = build_codes(&mut hcode);
    // Code table: 6-bit lengths, runs of zeros shortened.
    let mut w = BitWriter {
        out: vec![0u8; 20],
        c: 0,
        lc: 0,
    };
    let mut i = im;
    while i <= rlc {
        let l = huf_len(hcode[i]);
        if l == 0 {
            let mut zerun = 1u64;
            while i < rlc && zerun < LONGEST_LONG_RUN && huf_len(hcode[i + 1]) == 0 {
                i += 1;
                zerun += 1;
            }
            if zerun >= 2 {
                if zerun >= SHORTEST_LONG_RUN {
                    w.put(6, LONG_ZEROCODE_RUN);
                    w.put(8, zerun - SHORTEST_LONG_RUN);
                } else {
                    w.put(6, SHORT_ZEROCODE_RUN + zerun - 2);
                }
                i += 1;
                continue;
            }
        }
        w.put(6, u64::from(l));
        i += 1;
    }
    w.finish();
    let table_len = w.out.len() - 20;
    let data_start = w.out.len();
    // Data: symbols, runs of a repeated symbol as symbol + rlc + count.
    let run_code = hcode[rlc];
    let send = |w: &mut BitWriter, s: u16, count: u32| {
        let sc = hcode[s as usize];
        if huf_len(sc) + huf_len(run_code) + 8 < huf_len(sc) * count {
            w.code(sc);
            w.code(run_code);
            w.put(8, u64::from(count));
        } else {
            for _ in 0..=count {
                w.code(sc);
            }
        }
    };
    let mut s = raw[0];
    let mut cs = 0u32;
    for &v in &raw[1..] {
        if v == s && cs < 255 {
            cs += 1;
        } else {
            send(&mut w, s, cs);
            cs = 0;
        }
        s = v;
    }
    send(&mut w, s, cs);
    let bits = w.finish() - data_start as u64 * 8;
    let mut out = w.out;
    for (k, v) in [im as u32, rlc as u32, table_len as u32, bits as u32, 0]
        .iter()
        .enumerate()
    {
        out[4 * k..4 * k + 4].copy_from_slice(&v.to_le_bytes());
    }
    out
}

/// Huffman-decode into `out` (OpenEXR's `hufUncompress`).
#[inline(never)]
fn huf_uncompress(data: &[u8], out: &mut [u16]) -> Result<(), String> {
    let bad = || "Error in Huffman-encoded data".to_string();
    if data.is_empty() {
        return if out.is_empty() { Ok(()) } else { Err(bad()) };
    }
    if data.len() < 20 {
        return Err(bad());
    }
    let rd = |o: usize| u32::from_le_bytes([data[o], data[o + 1], data[o + 2], data[o + 3]]) as usize;
    let (im, i_max, nbits) = (rd(0), rd(4), rd(12) as u64);
    if im >= HUF_ENCSIZE || i_max >= HUF_ENCSIZE || im > i_max {
        return Err(bad());
    }
    let mut p = 20usize;
    if 20 + nbits.div_ceil(8) > data.len() as u64 {
        return Err(bad());
    }
    // Code lengths.
    let mut hcode = vec![0u64; HUF_ENCSIZE];
    let (mut c, mut lc) = (0u64, 0u32);
    let get = |n: u32, p: &mut usize, c: &mut u64, lc: &mut u32| -> Option<u64> {
        while *lc < n {
            *c = (*c << 8) | u64::from(*data.get(*p)?);
            *p += 1;
            *lc += 8;
        }
        *lc -= n;
        Some((*c >> *lc) & ((1 << n) - 1))
    };
    let mut i = im;
    while i <= i_max {
        let l = get(6, &mut p, &mut c, &mut lc).ok_or_else(bad)?;
        if l == LONG_ZEROCODE_RUN {
            let zerun = (get(8, &mut p, &mut c, &mut lc).ok_or_else(bad)? + SHORTEST_LONG_RUN) as usize;
            if i + zerun > i_max + 1 {
                return Err(bad());
            }
            i += zerun;
        } else if l >= SHORT_ZEROCODE_RUN {
            let zerun = (l - SHORT_ZEROCODE_RUN + 2) as usize;
            if i + zerun > i_max + 1 {
                return Err(bad());
            }
            i += zerun;
        } else {
            hcode[i] = l;
            i += 1;
        }
    }
    canonical_codes(&mut hcode);
    let data_start = p;
    if nbits > 8 * (data.len() - data_start) as u64 {
        return Err(bad());
    }
    // Decoding: a table for codes of up to 14 bits; longer codes are found
    // from the first code of each length (codes are canonical, longest
    // first), in the symbols sorted by length.
    // Entry: symbol << 6 | code length (0: a longer code).
    let mut dec = vec![0u32; HUF_DECSIZE];
    let mut count = [0usize; 59];
    let mut first = [u64::MAX; 59];
    for &code in &hcode[im..=i_max] {
        let l = huf_len(code) as usize;
        if l > 0 {
            count[l] += 1;
            first[l] = first[l].min(huf_code(code));
        }
    }
    let mut offset = [0usize; 60];
    for l in 1..59 {
        offset[l + 1] = offset[l] + count[l];
    }
    let mut by_len = vec![0u32; offset[59]];
    let mut fill = offset;
    let max_len = (1..59).rev().find(|&l| count[l] > 0).unwrap_or(0) as u32;
    for (sym, &code) in hcode.iter().enumerate().take(i_max + 1).skip(im) {
        let (cd, l) = (huf_code(code), huf_len(code));
        if l == 0 {
            continue;
        }
        if cd >> l != 0 {
            return Err(bad());
        }
        by_len[fill[l as usize]] = sym as u32;
        fill[l as usize] += 1;
        if l <= HUF_DECBITS {
            let first = (cd << (HUF_DECBITS - l)) as usize;
            for slot in &mut dec[first..first + (1 << (HUF_DECBITS - l))] {
                if *slot != 0 {
                    return Err(bad());
                }
                *slot = (sym as u32) << 6 | l;
            }
        }
    }
    // The symbols.
    let input = &data[data_start..data_start + nbits.div_ceil(8) as usize];
    let rlc = i_max as u32;
    let n_out = out.len();
    let (mut c, mut lc) = (0u64, 0u32);
    let mut ip = 0usize;
    let mut left = nbits;
    let mut o = 0usize;
    while left > 0 {
        if lc <= 56 {
            if ip + 8 <= input.len() {
                let v = u64::from_be_bytes(input[ip..ip + 8].try_into().expect("8 bytes"));
                let nbytes = (64 - lc) / 8;
                c = if nbytes == 8 {
                    v
                } else {
                    (c << (8 * nbytes)) | (v >> (64 - 8 * nbytes))
                };
                ip += nbytes as usize;
                lc += 8 * nbytes;
            } else {
                while lc <= 56 && ip < input.len() {
                    c = (c << 8) | u64::from(input[ip]);
                    ip += 1;
                    lc += 8;
                }
            }
        }
        let peek = if lc >= HUF_DECBITS {
            (c >> (lc - HUF_DECBITS)) as usize
        } else {
            (c << (HUF_DECBITS - lc)) as usize
        } & (HUF_DECSIZE - 1);
        let entry = dec[peek];
        let mut l = entry & 63;
        let mut sym = entry >> 6;
        if l == 0 {
            let mut k = HUF_DECBITS + 1;
            loop {
                if k > max_len || k > lc {
                    return Err(bad());
                }
                let v = (c >> (lc - k)) & ((1u64 << k) - 1);
                if v >= first[k as usize] {
                    let idx = (v - first[k as usize]) as usize;
                    if idx >= count[k as usize] {
                        return Err(bad());
                    }
                    sym = by_len[offset[k as usize] + idx];
                    l = k;
                    break;
                }
                k += 1;
            }
        }
        if u64::from(l) > left || l > lc {
            return Err(bad());
        }
        lc -= l;
        left -= u64::from(l);
        if sym == rlc {
            if left < 8 {
                return Err(bad());
            }
            if lc < 8 {
                c = (c << 8) | u64::from(*input.get(ip).ok_or_else(bad)?);
                ip += 1;
                lc += 8;
            }
            lc -= 8;
            left -= 8;
            let cs = ((c >> lc) & 0xFF) as usize;
            if o + cs > n_out || o == 0 {
                return Err(bad());
            }
            let v = out[o - 1];
            out[o..o + cs].fill(v);
            o += cs;
        } else {
            if o >= n_out {
                return Err(bad());
            }
            out[o] = sym as u16;
            o += 1;
        }
    }
    if o != n_out {
        return Err(bad());
    }
    Ok(())
}

/// One step of the 14-bit wavelet (forward).
#[inline]
fn wenc14(a: u16, b: u16) -> (u16, u16) {
    let (a, b) = (i32::from(a as i16), i32::from(b as i16));
    (((a + b) >> 1) as u16, (a - b) as u16)
}

#[inline]
fn wdec14(l: u16, h: u16) -> (u16, u16) {
    let (l, h) = (i32::from(l as i16), i32::from(h as i16));
    let a = l + (h & 1) + (h >> 1);
    (a as u16, (a - h) as u16)
}

const A_OFFSET: i32 = 1 << 15;
const MOD_MASK: i32 = (1 << 16) - 1;

#[inline]
fn wenc16(a: u16, b: u16) -> (u16, u16) {
    let ao = (i32::from(a) + A_OFFSET) & MOD_MASK;
    let b = i32::from(b);
    let mut m = (ao + b) >> 1;
    let d = ao - b;
    if d < 0 {
        m = (m + A_OFFSET) & MOD_MASK;
    }
    (m as u16, (d & MOD_MASK) as u16)
}

#[inline]
fn wdec16(l: u16, h: u16) -> (u16, u16) {
    let (m, d) = (i32::from(l), i32::from(h));
    let b = (m - (d >> 1)) & MOD_MASK;
    let a = (d + b - A_OFFSET) & MOD_MASK;
    (a as u16, b as u16)
}

/// 2D wavelet over `nx` x `ny` values of `buf` spaced `ox` apart in a row
/// and `oy` between rows (OpenEXR's `wav2Encode` / `wav2Decode`).
fn wav2(buf: &mut [u16], nx: usize, ox: usize, ny: usize, oy: usize, max: u16, encode: bool) {
    let w14 = max < (1 << 14);
    match (encode, w14) {
        (true, true) => wav2_with(buf, nx, ox, ny, oy, true, wenc14),
        (true, false) => wav2_with(buf, nx, ox, ny, oy, true, wenc16),
        (false, true) => wav2_with(buf, nx, ox, ny, oy, false, wdec14),
        (false, false) => wav2_with(buf, nx, ox, ny, oy, false, wdec16),
    }
}

fn wav2_with<F: Fn(u16, u16) -> (u16, u16)>(
    buf: &mut [u16],
    nx: usize,
    ox: usize,
    ny: usize,
    oy: usize,
    encode: bool,
    f: F,
) {
    let n = nx.min(ny);
    let mut steps = Vec::new();
    let mut p = 1;
    while 2 * p <= n {
        steps.push(p);
        p *= 2;
    }
    if !encode {
        steps.reverse();
    }
    for p in steps {
        let p2 = 2 * p;
        let (oy1, oy2, ox1, ox2) = (oy * p, oy * p2, ox * p, ox * p2);
        let mut py = 0;
        let ey = oy * (ny - p2);
        while py <= ey {
            let mut px = py;
            let ex = py + ox * (nx - p2);
            while px <= ex {
                let (p01, p10) = (px + ox1, px + oy1);
                let p11 = p10 + ox1;
                if encode {
                    let (i00, i01) = f(buf[px], buf[p01]);
                    let (i10, i11) = f(buf[p10], buf[p11]);
                    (buf[px], buf[p10]) = f(i00, i10);
                    (buf[p01], buf[p11]) = f(i01, i11);
                } else {
                    let (i00, i10) = f(buf[px], buf[p10]);
                    let (i01, i11) = f(buf[p01], buf[p11]);
                    (buf[px], buf[p01]) = f(i00, i01);
                    (buf[p10], buf[p11]) = f(i10, i11);
                }
                px += ox2;
            }
            if nx & p != 0 {
                let p10 = px + oy1;
                (buf[px], buf[p10]) = f(buf[px], buf[p10]);
            }
            py += oy2;
        }
        if ny & p != 0 {
            let mut px = py;
            let ex = py + ox * (nx - p2);
            while px <= ex {
                let p01 = px + ox1;
                (buf[px], buf[p01]) = f(buf[px], buf[p01]);
                px += ox2;
            }
        }
    }
}

/// Planes of 16-bit words per channel for a chunk `w` x `h`: (start, words
/// per pixel).
fn piz_planes(chans: &[Channel], w: usize, h: usize) -> Vec<(usize, usize)> {
    let mut start = 0;
    chans
        .iter()
        .map(|c| {
            let size = c.size() / 2;
            let r = (start, size);
            start += w * h * size;
            r
        })
        .collect()
}

/// Decode a PIZ chunk into per-channel planes of 16-bit words (native
/// order): channel after channel, each `h` rows of `w` pixels.
fn piz_decompress_planar(
    packed: &[u8],
    chans: &[Channel],
    w: usize,
    h: usize,
    unpacked: usize,
) -> Result<Vec<u16>, String> {
    let bad = || "Corrupt data block data, unable to decode (piz)".to_string();
    if packed.len() < 4 {
        return Err(bad());
    }
    let min_nz = u16::from_le_bytes([packed[0], packed[1]]) as usize;
    let max_nz = u16::from_le_bytes([packed[2], packed[3]]) as usize;
    if max_nz >= BITMAP_SIZE {
        return Err(bad());
    }
    let mut bitmap = vec![0u8; BITMAP_SIZE];
    let mut p = 4;
    if min_nz <= max_nz {
        let n = max_nz - min_nz + 1;
        bitmap[min_nz..=max_nz].copy_from_slice(packed.get(p..p + n).ok_or_else(bad)?);
        p += n;
    }
    let mut lut = vec![0u16; 1 << 16];
    let mut k = 0usize;
    for i in 0..(1usize << 16) {
        if i == 0 || bitmap[i >> 3] & (1 << (i & 7)) != 0 {
            lut[k] = i as u16;
            k += 1;
        }
    }
    let max_value = (k - 1) as u16;
    let len_bytes = packed.get(p..p + 4).ok_or_else(bad)?;
    let len = i32::from_le_bytes([len_bytes[0], len_bytes[1], len_bytes[2], len_bytes[3]]);
    p += 4;
    if len < 0 || len as usize > packed.len() - p {
        return Err(bad());
    }
    let mut words = vec![0u16; unpacked / 2];
    huf_uncompress(&packed[p..p + len as usize], &mut words)?;
    let planes = piz_planes(chans, w, h);
    for &(start, size) in &planes {
        for j in 0..size {
            wav2(&mut words[start + j..], w, size, h, w * size, max_value, false);
        }
    }
    for v in words.iter_mut() {
        *v = lut[*v as usize];
    }
    Ok(words)
}

/// A decoded PIZ chunk in OpenEXR's uncompressed layout (little-endian).
fn piz_decompress(packed: &[u8], chans: &[Channel], w: usize, h: usize, unpacked: usize) -> Result<Vec<u8>, String> {
    let words = piz_decompress_planar(packed, chans, w, h, unpacked)?;
    let planes = piz_planes(chans, w, h);
    let mut out = vec![0u8; unpacked];
    let mut o = 0;
    for y in 0..h {
        for &(start, size) in &planes {
            let n = w * size;
            for &v in &words[start + y * n..start + (y + 1) * n] {
                out[o..o + 2].copy_from_slice(&v.to_le_bytes());
                o += 2;
            }
        }
    }
    Ok(out)
}

/// Encode a chunk (OpenEXR's uncompressed layout, little-endian) as PIZ.
fn piz_compress(le: &[u8], chans: &[Channel], w: usize, h: usize) -> Vec<u8> {
    let planes = piz_planes(chans, w, h);
    let total = le.len() / 2;
    let mut words = vec![0u16; total];
    let mut i = 0;
    for y in 0..h {
        for &(start, size) in &planes {
            let n = w * size;
            let src = &le[i..i + 2 * n];
            i += 2 * n;
            for (v, b) in words[start + y * n..start + (y + 1) * n]
                .iter_mut()
                .zip(src.chunks_exact(2))
            {
                *v = u16::from_le_bytes([b[0], b[1]]);
            }
        }
    }
    let mut bitmap = vec![0u8; BITMAP_SIZE];
    for &v in &words {
        bitmap[(v >> 3) as usize] |= 1 << (v & 7);
    }
    bitmap[0] &= !1;
    let min_nz = bitmap.iter().position(|&b| b != 0).unwrap_or(BITMAP_SIZE - 1);
    let max_nz = bitmap.iter().rposition(|&b| b != 0).unwrap_or(0);
    let mut lut = vec![0u16; 1 << 16];
    let mut k = 0u16;
    for (i, l) in lut.iter_mut().enumerate() {
        if i == 0 || bitmap[i >> 3] & (1 << (i & 7)) != 0 {
            *l = k;
            k = k.wrapping_add(1);
        }
    }
    let max_value = k.wrapping_sub(1);
    for v in words.iter_mut() {
        *v = lut[*v as usize];
    }
    for &(start, size) in &planes {
        for j in 0..size {
            wav2(&mut words[start + j..], w, size, h, w * size, max_value, true);
        }
    }
    let mut out = Vec::with_capacity(le.len() / 2);
    out.extend_from_slice(&(min_nz as u16).to_le_bytes());
    out.extend_from_slice(&(max_nz as u16).to_le_bytes());
    if min_nz <= max_nz {
        out.extend_from_slice(&bitmap[min_nz..=max_nz]);
    }
    let huf = huf_compress(&words);
    out.extend_from_slice(&(huf.len() as i32).to_le_bytes());
    out.extend_from_slice(&huf);
    out
}

// ---------------------------------------------------------------------------
// PXR24: float rounded to 24 bits, per-line byte planes of differences, zlib.

/// OpenEXR's float to 24-bit float (round to nearest, keep NaN and infinity).
fn float_to_f24(f: u32) -> u32 {
    let (s, e, m) = (f & 0x8000_0000, f & 0x7f80_0000, f & 0x007f_ffff);
    let i = if e == 0x7f80_0000 {
        if m != 0 {
            let m = m >> 8;
            (e >> 8) | m | u32::from(m == 0)
        } else {
            e >> 8
        }
    } else {
        let i = ((e | m) + (m & 0x80)) >> 8;
        if i >= 0x7f_8000 {
            (e | m) >> 8
        } else {
            i
        }
    };
    (s >> 8) | i
}

/// Encode a chunk (OpenEXR's uncompressed layout, little-endian) as PXR24.
fn pxr24_compress(le: &[u8], chans: &[Channel], w: usize, h: usize, level: i32) -> Vec<u8> {
    let mut tmp = vec![0u8; le.len() / 4 * 4];
    tmp.clear();
    let mut i = 0;
    for _ in 0..h {
        for c in chans {
            let start = tmp.len();
            match c.pixel_type {
                PIXEL_HALF => {
                    tmp.resize(start + 2 * w, 0);
                    let (p0, p1) = tmp[start..].split_at_mut(w);
                    let mut prev = 0u16;
                    for k in 0..w {
                        let v = u16::from_le_bytes([le[i], le[i + 1]]);
                        i += 2;
                        let d = v.wrapping_sub(prev);
                        prev = v;
                        p0[k] = (d >> 8) as u8;
                        p1[k] = d as u8;
                    }
                }
                t => {
                    let planes = if t == PIXEL_UINT { 4 } else { 3 };
                    tmp.resize(start + planes * w, 0);
                    let dst = &mut tmp[start..];
                    let mut prev = 0u32;
                    for k in 0..w {
                        let mut v = u32::from_le_bytes([le[i], le[i + 1], le[i + 2], le[i + 3]]);
                        i += 4;
                        if t != PIXEL_UINT {
                            v = float_to_f24(v);
                        }
                        let d = v.wrapping_sub(prev);
                        prev = v;
                        if t == PIXEL_UINT {
                            dst[k] = (d >> 24) as u8;
                            dst[w + k] = (d >> 16) as u8;
                            dst[2 * w + k] = (d >> 8) as u8;
                            dst[3 * w + k] = d as u8;
                        } else {
                            dst[k] = (d >> 16) as u8;
                            dst[w + k] = (d >> 8) as u8;
                            dst[2 * w + k] = d as u8;
                        }
                    }
                }
            }
        }
    }
    let mut out = vec![0u8; zlib_rs::compress_bound(tmp.len())];
    let (done, rc) = zlib_rs::compress_slice(&mut out, &tmp, zlib_rs::DeflateConfig::new(level.clamp(1, 9)));
    if rc != zlib_rs::ReturnCode::Ok {
        return le.to_vec();
    }
    let len = done.len();
    out.truncate(len);
    out
}

/// Decode a PXR24 chunk into OpenEXR's uncompressed layout (little-endian).
fn pxr24_decompress(packed: &[u8], chans: &[Channel], w: usize, h: usize, unpacked: usize) -> Result<Vec<u8>, String> {
    let bad = || "Corrupt data block data, unable to decode (pxr24)".to_string();
    let tmp_len: usize = chans
        .iter()
        .map(|c| match c.pixel_type {
            PIXEL_HALF => 2,
            PIXEL_UINT => 4,
            _ => 3,
        })
        .sum::<usize>()
        * w
        * h;
    let tmp = inflate_exact(packed, tmp_len).map_err(|_| bad())?;
    let mut out = Vec::with_capacity(unpacked);
    let mut t = 0;
    for _ in 0..h {
        for c in chans {
            match c.pixel_type {
                PIXEL_HALF => {
                    let (p0, p1) = (&tmp[t..t + w], &tmp[t + w..t + 2 * w]);
                    t += 2 * w;
                    let mut v = 0u16;
                    for k in 0..w {
                        v = v.wrapping_add((u16::from(p0[k]) << 8) | u16::from(p1[k]));
                        out.extend_from_slice(&v.to_le_bytes());
                    }
                }
                PIXEL_UINT => {
                    let src = &tmp[t..t + 4 * w];
                    t += 4 * w;
                    let mut v = 0u32;
                    for k in 0..w {
                        let d = (u32::from(src[k]) << 24)
                            | (u32::from(src[w + k]) << 16)
                            | (u32::from(src[2 * w + k]) << 8)
                            | u32::from(src[3 * w + k]);
                        v = v.wrapping_add(d);
                        out.extend_from_slice(&v.to_le_bytes());
                    }
                }
                _ => {
                    let src = &tmp[t..t + 3 * w];
                    t += 3 * w;
                    let mut v = 0u32;
                    for k in 0..w {
                        let d = (u32::from(src[k]) << 24)
                            | (u32::from(src[w + k]) << 16)
                            | (u32::from(src[2 * w + k]) << 8);
                        v = v.wrapping_add(d);
                        out.extend_from_slice(&v.to_le_bytes());
                    }
                }
            }
        }
    }
    if out.len() != unpacked {
        return Err(bad());
    }
    Ok(out)
}

/// Could `packed` bytes of this compression decode to `unpacked` bytes?
/// Deflate cannot expand more than about 1032:1, RLE 64:1, PIZ and B44 a
/// bounded amount too; chunks claiming more are broken, and refusing them
/// early keeps hostile files from making us allocate for nothing. DWA has
/// no useful bound.
fn plausible(comp: u8, packed: u64, unpacked: u64) -> bool {
    if packed == unpacked {
        return true;
    }
    match comp {
        1 => unpacked <= packed.saturating_mul(64) + 128,
        2 | 3 => unpacked <= packed.saturating_mul(1100) + 4096,
        // PXR24 stores floats in 3 of their 4 bytes.
        5 => unpacked <= packed.saturating_mul(1400) + 4096,
        // PIZ repeats a value at most 256 times per ~10 bits of code.
        4 => unpacked <= packed.saturating_mul(1024) + 65536,
        // B44 packs 32 bytes of half into at least 3 (other types raw).
        6 | 7 => unpacked <= packed.saturating_mul(11) + 4096,
        _ => true,
    }
}

// ---------------------------------------------------------------------------
// Pixels: decoded blocks into OIIO's interleaved layout

/// How a decoded block (per line, per file channel) lands in the output
/// image (interleaved channels in OIIO's order, one type).
struct Scatter<'a> {
    chans: &'a [Channel],
    /// Output channel of each file channel.
    out_index: Vec<usize>,
    out_type: BaseType,
    out_size: usize,
    nch: usize,
    row_bytes: usize,
}

fn base_of_pixel(p: i32) -> BaseType {
    type_of_pixel(p).basetype
}

impl Scatter<'_> {
    /// Copy a block `w` x `h` pixels whose left edge is output column `x0`
    /// into `rows` (the output rows it covers, first row first).
    fn put(&self, block: &Block, w: usize, h: usize, x0: usize, rows: &mut [u8]) {
        let px = self.nch * self.out_size;
        let sz = self.out_size;
        let line_bytes: usize = self.chans.iter().map(|c| c.size() * w).sum();
        let (bytes, planar): (&[u8], bool) = match block {
            Block::Lines(b) => (b, false),
            Block::Planar(words) => (bytemuck::cast_slice(words), true),
        };
        let mut plane_start = Vec::with_capacity(self.chans.len());
        let mut acc = 0;
        for c in self.chans {
            plane_start.push(acc);
            acc += c.size() * w * h;
        }
        // Common case: every channel already has the output type and there
        // are up to 4 of them: interleave pixel by pixel.
        let same = self.chans.iter().all(|c| base_of_pixel(c.pixel_type) == self.out_type);
        if same && self.chans.len() <= 4 && (sz == 2 || sz == 4) {
            for (line, dst_row) in rows.chunks_mut(self.row_bytes).take(h).enumerate() {
                let mut srcs: [&[u8]; 4] = [&[]; 4];
                let mut dst_off = [0usize; 4];
                for (fi, c) in self.chans.iter().enumerate() {
                    let n = c.size() * w;
                    let at = if planar {
                        plane_start[fi] + line * n
                    } else {
                        line * line_bytes + fi * n
                    };
                    srcs[fi] = &bytes[at..at + n];
                    dst_off[fi] = self.out_index[fi] * sz;
                }
                let dst = &mut dst_row[x0 * px..(x0 + w) * px];
                if sz == 2 {
                    interleave::<2>(&srcs[..self.chans.len()], &dst_off, dst, px);
                } else {
                    interleave::<4>(&srcs[..self.chans.len()], &dst_off, dst, px);
                }
            }
            return;
        }
        let mut tmp = Vec::new();
        for (line, dst_row) in rows.chunks_mut(self.row_bytes).take(h).enumerate() {
            let mut src_off = line * line_bytes;
            for (fi, c) in self.chans.iter().enumerate() {
                let n = c.size() * w;
                let at = if planar { plane_start[fi] + line * n } else { src_off };
                let src = &bytes[at..at + n];
                src_off += n;
                let st = base_of_pixel(c.pixel_type);
                let values: &[u8] = if st == self.out_type {
                    src
                } else {
                    tmp.resize(w * sz, 0);
                    convert_bytes(src, st, &mut tmp, self.out_type);
                    &tmp
                };
                let dst = &mut dst_row[x0 * px + self.out_index[fi] * sz..];
                strided_copy(values, dst, sz, px);
            }
        }
    }

    /// OIIO's "missing color" fill of a rectangle: float and half channels
    /// get the given values (the last one repeats; a negative first value
    /// asks for stripes); others stay zero.
    fn fill(&self, color: &[f32], rect: (i32, i32, usize, usize), x0: usize, rows: &mut [u8]) {
        let px = self.nch * self.out_size;
        let mut vals = Vec::with_capacity(self.nch);
        for c in 0..self.nch {
            vals.push(color.get(c).or(color.last()).copied().unwrap_or(0.0));
        }
        let stripe = vals.first().is_some_and(|v| *v < 0.0);
        if stripe {
            vals[0] = vals[0].abs();
        }
        // Native type of each output channel.
        let mut native = vec![BaseType::Float; self.nch];
        for (fi, c) in self.chans.iter().enumerate() {
            native[self.out_index[fi]] = base_of_pixel(c.pixel_type);
        }
        for (j, row) in rows.chunks_mut(self.row_bytes).take(rect.3).enumerate() {
            for i in 0..rect.2 {
                let (x, y) = (rect.0 + i as i32, rect.1 + j as i32);
                for c in 0..self.nch {
                    if native[c] == BaseType::UInt32 {
                        continue;
                    }
                    let mut v = vals[c];
                    if stripe && (x - y) & 8 != 0 {
                        v = 0.0;
                    }
                    if native[c] == BaseType::Half {
                        v = exr::prelude::f16::from_f32(v).to_f32();
                    }
                    let at = (x0 + i) * px + c * self.out_size;
                    vfx_core::convert::f32_to_value(v, self.out_type, &mut row[at..at + self.out_size]);
                }
            }
        }
    }
}

/// Interleave one line of up to four channels (`N`-byte values) into
/// pixels of `px` bytes, channel k at byte offset `off[k]`.
fn interleave<const N: usize>(srcs: &[&[u8]], off: &[usize; 4], dst: &mut [u8], px: usize) {
    for (x, pixel) in dst.chunks_exact_mut(px).enumerate() {
        for (k, src) in srcs.iter().enumerate() {
            let v: [u8; N] = src[x * N..x * N + N].try_into().expect("N bytes");
            let d: &mut [u8; N] = (&mut pixel[off[k]..off[k] + N]).try_into().expect("N bytes");
            *d = v;
        }
    }
}

/// Write `src` (values of `sz` bytes) to every `stride`-th position of `dst`.
fn strided_copy(src: &[u8], dst: &mut [u8], sz: usize, stride: usize) {
    fn run<const N: usize>(src: &[u8], dst: &mut [u8], stride: usize) {
        for (s, d) in src.chunks_exact(N).zip(dst.chunks_mut(stride)) {
            let v: [u8; N] = s.try_into().expect("N bytes");
            if let Some(d) = d.get_mut(..N) {
                let d: &mut [u8; N] = d.try_into().expect("N bytes");
                *d = v;
            }
        }
    }
    match sz {
        2 => run::<2>(src, dst, stride),
        4 => run::<4>(src, dst, stride),
        8 => run::<8>(src, dst, stride),
        _ => {
            for (s, d) in src.chunks_exact(sz).zip(dst.chunks_mut(stride)) {
                d[..sz].copy_from_slice(s);
            }
        }
    }
}

/// Read every `stride`-th value of `sz` bytes from `src` into `dst` (packed).
fn strided_gather(src: &[u8], dst: &mut [u8], sz: usize, stride: usize) {
    fn run<const N: usize>(src: &[u8], dst: &mut [u8], stride: usize) {
        for (d, s) in dst.chunks_exact_mut(N).zip(src.chunks(stride)) {
            if let Some(s) = s.get(..N) {
                let v: [u8; N] = s.try_into().expect("N bytes");
                let d: &mut [u8; N] = d.try_into().expect("N bytes");
                *d = v;
            }
        }
    }
    match sz {
        2 => run::<2>(src, dst, stride),
        4 => run::<4>(src, dst, stride),
        8 => run::<8>(src, dst, stride),
        _ => {
            for (d, s) in dst.chunks_exact_mut(sz).zip(src.chunks(stride)) {
                d.copy_from_slice(&s[..sz]);
            }
        }
    }
}

/// One chunk a level needs: where it is and where its pixels go.
struct ChunkRef {
    /// Offset and packed size, or why it cannot be read.
    loc: Result<(u64, usize), ChunkError>,
    /// Absolute pixel rectangle (x, y, width, height).
    rect: (i32, i32, usize, usize),
    unpacked: usize,
    /// Output column of the left edge.
    out_x: usize,
}

// ---------------------------------------------------------------------------
// Reader

struct ExrReader {
    ex: ExrFile,
    infos: Vec<Result<PartInfo, String>>,
    /// OIIO's "missingcolor": fill unreadable chunks instead of failing.
    missing: Option<Vec<f32>>,
}

fn parse_float_list(s: &str) -> Vec<f32> {
    s.split(|c: char| c == ',' || c.is_whitespace())
        .filter(|t| !t.is_empty())
        .filter_map(|t| t.parse().ok())
        .collect()
}

/// `FORMAT.open`: parse the headers and OIIO's view of every part. The
/// first part must be readable; later broken parts simply do not exist.
pub fn open(path: &Path, config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let file = File::open(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    let size = file
        .metadata()
        .map(|m| if m.is_file() { m.len() } else { 0 })
        .unwrap_or(0);
    let ex = open_file(path, file, size)?;
    let nparts = ex.headers.parts.len();
    let infos: Vec<Result<PartInfo, String>> = ex
        .headers
        .parts
        .iter()
        .map(|part| {
            let info = part_info(part, nparts)?;
            check_open(&info.spec, size)?;
            Ok(info)
        })
        .collect();
    if let Err(e) = &infos[0] {
        return Err(IoError::Corrupt(e.clone()));
    }
    let missing = match config.and_then(|c| c.find_attribute("oiio:missingcolor", TypeDesc::UNKNOWN, false)) {
        Some(p) if p.type_desc().basetype == BaseType::String => Some(parse_float_list(&spec_string(&p))),
        Some(p) => Some((0..p.count()).map(|i| p.get(i).as_f64() as f32).collect()),
        None => {
            let g = globals::get_string_attribute("missingcolor", "");
            (!g.is_empty()).then(|| parse_float_list(&g))
        }
    }
    .filter(|v| !v.is_empty());
    Ok(Box::new(ExrReader { ex, infos, missing }))
}

/// Parse the headers of an open file into an [`ExrFile`].
pub(crate) fn open_file(path: &Path, file: File, size: u64) -> Result<ExrFile, IoError> {
    let reader = file
        .try_clone()
        .map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
    let mut cur = Cursor::new(reader, size);
    let mut diag = Diag {
        path: path.display().to_string(),
        msgs: Vec::new(),
    };
    let headers = parse_headers(&mut cur, &mut diag).map_err(|_| IoError::Corrupt(diag.text()))?;
    let n = headers.parts.len();
    Ok(ExrFile {
        path: path.to_path_buf(),
        file,
        size,
        headers,
        tables: (0..n).map(|_| OnceLock::new()).collect(),
        crate_headers: (0..n).map(|_| OnceLock::new()).collect(),
    })
}

impl ExrReader {
    fn info(&self, s: usize) -> Option<&PartInfo> {
        self.infos.get(s).and_then(|i| i.as_ref().ok())
    }

    /// The chunks of level `m` of part `p` (flat parts only), located and
    /// checked, in output order, with the rows each needs.
    fn level_chunks(&self, p: usize, m: usize, out_w: usize) -> (Vec<ChunkRef>, usize) {
        let part = &self.ex.headers.parts[p];
        let dw = part.data_window();
        let bpp: u64 = part.channels().iter().map(|c| c.size() as u64).sum();
        // The chunk table is shared; load it once before the parallel work.
        let _ = self.ex.chunk_table(p);
        if let (true, Some(t)) = (part.storage.tiled(), part.tiling.as_ref()) {
            let (tw, th) = (t.tile_w as i64, t.tile_h as i64);
            let (Some(&(ntx, lw)), Some(&(nty, lh))) = (t.levels_x.get(m), t.levels_y.get(m)) else {
                return (Vec::new(), th as usize);
            };
            let n = (ntx.max(0) as usize) * (nty.max(0) as usize);
            let refs = (0..n)
                .into_par_iter()
                .map(|i| {
                    let (tx, ty) = ((i % ntx as usize) as i32, (i / ntx as usize) as i32);
                    let w = tw.min(i64::from(lw) - i64::from(tx) * tw).max(1) as usize;
                    let h = th.min(i64::from(lh) - i64::from(ty) * th).max(1) as usize;
                    let x = dw[0] as i64 + i64::from(tx) * tw;
                    let y = dw[1] as i64 + i64::from(ty) * th;
                    let unpacked = bpp * (w * h) as u64;
                    let loc = self
                        .ex
                        .tile_index(p, tx, ty, m as i32, m as i32)
                        .and_then(|ci| self.ex.locate_chunk(p, ci, &[tx, ty, m as i32, m as i32], unpacked));
                    ChunkRef {
                        loc,
                        rect: (x as i32, y as i32, w, h),
                        unpacked: unpacked as usize,
                        out_x: (i64::from(tx) * tw) as usize,
                    }
                })
                .collect();
            (refs, th as usize)
        } else {
            let lpc = part.lines_per_chunk.max(1);
            let w = out_w;
            let refs = (0..part.chunk_count.max(0))
                .into_par_iter()
                .map(|k| {
                    let y0 = i64::from(dw[1]) + i64::from(k) * i64::from(lpc);
                    let h = i64::from(lpc).min(i64::from(dw[3]) - y0 + 1).max(1) as usize;
                    let unpacked = bpp * (w * h) as u64;
                    let loc = self.ex.locate_chunk(p, k as usize, &[y0 as i32], unpacked);
                    ChunkRef {
                        loc,
                        rect: (dw[0], y0 as i32, w, h),
                        unpacked: unpacked as usize,
                        out_x: 0,
                    }
                })
                .collect();
            (refs, lpc as usize)
        }
    }

    fn read_level(&self, p: usize, m: usize) -> Result<PixelData, IoError> {
        let info = self.info(p).ok_or_else(|| IoError::Open(String::new()))?;
        if m >= info.nmiplevels {
            return Err(IoError::Open(String::new()));
        }
        let spec = info.level_spec(m);
        let part = &self.ex.headers.parts[p];
        let tiled = part.storage.tiled();
        let failed = || {
            IoError::Corrupt(
                if tiled {
                    "Some tiles were missing or corrupted"
                } else {
                    "Some scanline chunks were missing or corrupted"
                }
                .to_string(),
            )
        };
        if spec.deep {
            return Err(IoError::Unsupported(
                "OpenEXR deep pixels are read with read_deep".to_string(),
            ));
        }
        if matches!(part.storage, Storage::Unknown | Storage::Last) {
            return Err(failed());
        }
        // OIIO reads RIP level m as the tiles of level (m, m) over the top
        // level's area, which fails as soon as that level has fewer tiles.
        if let Some(t) = part.tiling.as_ref().filter(|t| t.level_mode == 2 && m > 0) {
            let same = |l: &[(i32, i32)]| l.get(m).is_some_and(|c| c.0 == l[0].0);
            if !same(&t.levels_x) || !same(&t.levels_y) {
                return Err(IoError::Corrupt(format!(
                    "Request for tiles outside RIP level {m}, {m}, which has fewer tiles than the top level"
                )));
            }
        }
        let out_type = spec.format.basetype;
        let out_size = spec.format.size();
        let nch = spec.nchannels as usize;
        let width = spec.width as usize;
        let row_bytes = width * nch * out_size;
        let (refs, rows_per_block) = self.level_chunks(p, m, width);
        let missing = self.missing.as_deref();
        if refs.is_empty() || (missing.is_none() && refs.iter().any(|r| r.loc.is_err())) {
            return Err(failed());
        }
        let total = row_bytes
            .checked_mul(spec.height as usize)
            .ok_or_else(|| IoError::Corrupt("image too large".into()))?;
        let mut pixels = PixelData::zeroed(total).map_err(|e| IoError::Corrupt(e.to_string()))?;
        let mut out_index = vec![0usize; nch];
        for (oc, &fi) in info.order.iter().enumerate() {
            out_index[fi] = oc;
        }
        let scatter = Scatter {
            chans: part.channels(),
            out_index,
            out_type,
            out_size,
            nch,
            row_bytes,
        };
        let ex = &self.ex;
        let decode_one = |r: &ChunkRef| -> Result<Block, ChunkError> {
            let (off, len) = r.loc.clone()?;
            let packed = ex.fetch(off, len)?;
            ex.decode(p, packed, r.rect, r.unpacked)
        };
        let place = |r: &ChunkRef, res: Result<Block, ChunkError>, rows: &mut [u8]| -> Result<(), ChunkError> {
            match (res, missing) {
                (Ok(block), _) => {
                    scatter.put(&block, r.rect.2, r.rect.3, r.out_x, rows);
                    Ok(())
                }
                (Err(_), Some(color)) => {
                    scatter.fill(color, r.rect, r.out_x, rows);
                    Ok(())
                }
                (Err(e), None) => Err(e),
            }
        };
        let block_bytes = rows_per_block * row_bytes;
        let ok = if tiled {
            let ntx = part
                .tiling
                .as_ref()
                .and_then(|t| t.levels_x.get(m))
                .map_or(1, |l| l.0.max(1) as usize);
            pixels
                .bytes_mut()
                .par_chunks_mut(block_bytes)
                .zip(refs.par_chunks(ntx))
                .try_for_each(|(rows, tiles)| {
                    let decoded: Vec<Result<Block, ChunkError>> = tiles.par_iter().map(decode_one).collect();
                    for (r, d) in tiles.iter().zip(decoded) {
                        place(r, d, rows)?;
                    }
                    Ok::<(), ChunkError>(())
                })
        } else {
            pixels
                .bytes_mut()
                .par_chunks_mut(block_bytes)
                .zip(refs.par_iter())
                .try_for_each(|(rows, r)| place(r, decode_one(r), rows))
        };
        ok.map_err(|_| failed())?;
        Ok(pixels)
    }
}

impl ExrReader {
    /// Deep pixels of part `p`, level `m` (the deep chunk codec lives in
    /// `openexr_deep`; this finds the part's chunks).
    fn read_deep_level(&self, p: usize, m: usize) -> Result<vfx_core::DeepData, IoError> {
        use super::openexr_deep::{read_deep, DeepChannel, DeepPart, DeepTiles};
        let info = self.info(p).ok_or_else(|| IoError::Open(String::new()))?;
        if m >= info.nmiplevels {
            return Err(IoError::Open(String::new()));
        }
        let part = &self.ex.headers.parts[p];
        let failed = || {
            IoError::Corrupt(
                if part.storage.tiled() {
                    "Some tiles were missing or corrupted"
                } else {
                    "Some scanline chunks were missing or corrupted"
                }
                .to_string(),
            )
        };
        let table = self.ex.chunk_table(p).map_err(|_| failed())?;
        let chans: Vec<DeepChannel> = part
            .channels()
            .iter()
            .map(|c| DeepChannel {
                name: lossy(&c.name),
                sample_type: match c.pixel_type {
                    PIXEL_UINT => exr::meta::attribute::SampleType::U32,
                    PIXEL_HALF => exr::meta::attribute::SampleType::F16,
                    _ => exr::meta::attribute::SampleType::F32,
                },
            })
            .collect();
        let dw = part.data_window();
        let (window, tiles, offsets) = match part.tiling.as_ref() {
            Some(t) => {
                let (Some(&(ntx, lw)), Some(&(nty, lh))) = (t.levels_x.get(m), t.levels_y.get(m)) else {
                    return Err(failed());
                };
                let base = self.ex.tile_index(p, 0, 0, m as i32, m as i32).map_err(|_| failed())?;
                let n = (ntx as usize) * (nty as usize);
                let offsets = table.get(base..base + n).ok_or_else(failed)?;
                let tiles = DeepTiles {
                    tile_width: t.tile_w as usize,
                    tile_height: t.tile_h as usize,
                    level_x: m as i32,
                    level_y: m as i32,
                };
                ([dw[0], dw[1], dw[0] + lw - 1, dw[1] + lh - 1], Some(tiles), offsets)
            }
            None => (dw, None, table),
        };
        let deep_part = DeepPart {
            channels: &chans,
            data_window: window,
            compression: part.compression(),
            tiles,
            part_number: self.ex.headers.multipart.then_some(p as i32),
        };
        read_deep(&self.ex.path, &deep_part, offsets, &info.spec.channelnames)
    }
}

impl Reader for ExrReader {
    fn format_name(&self) -> &'static str {
        "openexr"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        let info = self.info(subimage)?;
        (miplevel < info.nmiplevels).then(|| info.level_spec(miplevel))
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        self.read_level(subimage, miplevel)
    }

    fn thumbnail(&mut self, subimage: usize) -> Result<Option<(ImageSpec, PixelData)>, IoError> {
        let Some(part) = self.ex.headers.parts.get(subimage) else {
            return Ok(None);
        };
        let Some(Value::Preview { width, height, rgba }) = part.find(b"preview") else {
            return Ok(None);
        };
        if *width == 0 || *height == 0 || rgba.len() != 4 * *width as usize * *height as usize {
            return Ok(None);
        }
        let spec = ImageSpec::new(*width as i32, *height as i32, 4, TypeDesc::UINT8);
        let mut px = PixelData::zeroed(rgba.len()).map_err(|e| IoError::Corrupt(e.to_string()))?;
        px.bytes_mut().copy_from_slice(rgba);
        Ok(Some((spec, px)))
    }

    fn read_deep(&mut self, subimage: usize, miplevel: usize) -> Result<Option<vfx_core::DeepData>, IoError> {
        match self.info(subimage) {
            Some(i) if i.spec.deep => self.read_deep_level(subimage, miplevel).map(Some),
            _ => Ok(None),
        }
    }
}

// ---------------------------------------------------------------------------
// Writer

/// "YYYY:MM:DD HH:MM:SS" for the current time (UTC).
fn now_datetime() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let (days, rem) = (secs.div_euclid(86400), secs.rem_euclid(86400));
    // Days since 1970-01-01 to a civil date.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:4}:{month:02}:{day:02} {:02}:{:02}:{:02}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// The type OpenEXR stores for a requested type (uint, float or half).
fn stored_type(t: TypeDesc) -> TypeDesc {
    match t.basetype {
        BaseType::UInt32 => TypeDesc::UINT,
        BaseType::Float | BaseType::Double => TypeDesc::FLOAT,
        _ => TypeDesc::HALF,
    }
}

fn pixel_of_type(t: TypeDesc) -> i32 {
    match t.basetype {
        BaseType::UInt32 => PIXEL_UINT,
        BaseType::Float => PIXEL_FLOAT,
        _ => PIXEL_HALF,
    }
}

/// One part to write: its header attributes and how to cut its pixels.
struct OutPart {
    attrs: std::collections::BTreeMap<Vec<u8>, Value>,
    /// File channels (sorted by name) and, for each, its channel in the
    /// caller's pixels.
    chans: Vec<Channel>,
    src_index: Vec<usize>,
    comp: u8,
    dwa_level: f32,
    /// zlib level for ZIP/ZIPS (OIIO: "zip:N", 4 by default).
    zip_level: i32,
    line_order: u8,
    dw: [i32; 4],
    tiling: Option<Tiling>,
    chunk_count: usize,
}

impl OutPart {
    /// C++ OpenEXR's `Header::insert`: a new attribute, or a new value for
    /// one of the same type (a different type is refused).
    fn insert(&mut self, name: Vec<u8>, value: Value) {
        if let Some(old) = self.attrs.get(&name) {
            if old.type_name() != value.type_name() {
                return;
            }
        }
        self.attrs.insert(name, value);
    }
}

fn is_pow2(v: i32) -> bool {
    v > 0 && v & (v - 1) == 0
}

/// OIIO's `spec_to_header` for subimage `s` of `nsub`: the header of the
/// part that stores `spec` (and `nlevels` MIP levels).
fn plan_part(spec_in: &ImageSpec, s: usize, nsub: usize, nlevels: usize) -> Result<OutPart, IoError> {
    let mut spec = spec_in.clone();
    if spec.width < 1 || spec.height < 1 {
        return Err(IoError::Unsupported(format!(
            "openexr image resolution must be at least 1x1, you asked for {}x{}",
            spec.width, spec.height
        )));
    }
    if spec.nchannels < 1 {
        return Err(IoError::Unsupported(format!(
            "openexr does not support {}-channel images",
            spec.nchannels
        )));
    }
    if spec.tile_width != 0
        && (spec.tile_width < 1
            || spec.tile_height < 1
            || spec.tile_width > i32::MAX / 4
            || spec.tile_height > i32::MAX / 4)
    {
        return Err(IoError::Unsupported(format!(
            "openexr does not support tiles of size {}x{}",
            spec.tile_width, spec.tile_height
        )));
    }
    let n = spec.nchannels.max(0) as usize;
    // Missing or repeated channel names would make OpenEXR drop channels.
    spec.channelnames.resize(n, String::new());
    for c in 1..n {
        if spec.channelnames[c].is_empty() || spec.channelnames[..c].contains(&spec.channelnames[c]) {
            spec.channelnames[c] = format!("channel{c}");
        }
    }
    for c in 0..n {
        if spec.channelnames[c].is_empty() {
            spec.channelnames[c] = ["R", "G", "B", "A"]
                .get(c)
                .map_or(format!("unknown {c}"), |s| s.to_string());
        }
    }
    spec.format = stored_type(spec.format);
    if spec.channelformats.len() == n {
        for f in spec.channelformats.iter_mut() {
            *f = stored_type(*f);
        }
        if spec.channelformats.iter().all(|f| *f == spec.channelformats[0]) {
            spec.channelformats.clear();
        }
    } else {
        spec.channelformats.clear();
    }
    let dw = [
        spec.x,
        spec.y,
        spec.x.wrapping_add(spec.width).wrapping_sub(1),
        spec.y.wrapping_add(spec.height).wrapping_sub(1),
    ];
    let dispw = [
        spec.full_x,
        spec.full_y,
        spec.full_x.wrapping_add(spec.full_width).wrapping_sub(1),
        spec.full_y.wrapping_add(spec.full_height).wrapping_sub(1),
    ];
    // Channels, sorted by name as OpenEXR keeps them.
    let mut order: Vec<usize> = (0..n).collect();
    order.sort_by(|a, b| spec.channelnames[*a].as_bytes().cmp(spec.channelnames[*b].as_bytes()));
    let chans: Vec<Channel> = order
        .iter()
        .map(|&c| Channel {
            name: spec.channelnames[c].as_bytes().to_vec(),
            pixel_type: pixel_of_type(spec.channelformat(c as i32)),
            p_linear: 0,
            x_sampling: 1,
            y_sampling: 1,
        })
        .collect();
    // Compression name and quality, OIIO style ("dwaa:60").
    let compattr = spec.get_string_attribute("compression", "zip");
    let mut pieces = compattr.split(':');
    let mut comp = pieces.next().unwrap_or("").to_string();
    let qual = match pieces.next() {
        Some(q) => vfx_core::strutil::stoi(q) as i32,
        None => spec.get_int_attribute("CompressionQuality", -1),
    };
    let starts = |s: &str, p: &str| s.len() >= p.len() && s[..p.len()].eq_ignore_ascii_case(p);
    if spec.deep && comp != "none" {
        comp = "zips".into();
    }
    if n == 1
        && spec.tile_width > 0
        && starts(&comp, "dwa")
        && ((spec.tile_width < 16 && spec.tile_height < 16) || !is_pow2(spec.tile_width) || !is_pow2(spec.tile_height))
    {
        comp = "zip".into();
    }
    spec.attribute_str("compression", &comp);
    let mut dwa_level = 45.0;
    if starts(&comp, "dwa") && qual > 0 {
        dwa_level = qual as f32;
        spec.attribute_float("openexr:dwaCompressionLevel", qual as f32);
    } else {
        spec.erase_attribute("openexr:dwaCompressionLevel", TypeDesc::UNKNOWN, false);
    }
    if spec
        .find_attribute("openexr:lineOrder", TypeDesc::UNKNOWN, false)
        .is_none()
    {
        spec.attribute_str("openexr:lineOrder", "increasingY");
    }
    if spec.find_attribute("DateTime", TypeDesc::UNKNOWN, false).is_none() {
        spec.attribute_str("DateTime", &now_datetime());
    }
    // MIP-mapping comes from the texture format.
    let roundingmode = spec.get_int_attribute("openexr:roundingmode", 0);
    let texfmt = spec.get_string_attribute("textureformat", "");
    let mut levelmode = 0;
    for t in ["Plain Texture", "CubeFace Environment", "LatLong Environment"] {
        if texfmt.eq_ignore_ascii_case(t) {
            levelmode = spec.get_int_attribute("openexr:levelmode", 1);
        }
    }
    if spec.tile_width > 0 && !(0..=2).contains(&levelmode) {
        return Err(IoError::Write(format!(
            "Invalid level mode ({levelmode}) in tile description header"
        )));
    }
    if nlevels > 1 && (spec.tile_width <= 0 || levelmode == 0) {
        return Err(IoError::Unsupported(
            "Cannot add MIP level to a non-MIPmapped file".into(),
        ));
    }
    let mut envmap = None;
    if texfmt.eq_ignore_ascii_case("CubeFace Environment") {
        envmap = Some(1);
    } else if texfmt.eq_ignore_ascii_case("LatLong Environment") {
        envmap = Some(0);
    }
    let aspect = spec.get_float_attribute("PixelAspectRatio", 0.0);
    let xdensity = spec.get_float_attribute("XResolution", 0.0);
    let ydensity = spec.get_float_attribute("YResolution", 0.0);
    if aspect == 0.0 && xdensity != 0.0 && ydensity != 0.0 {
        spec.attribute_float("PixelAspectRatio", xdensity / ydensity);
    }
    if xdensity != 0.0 && ydensity != 0.0 && spec.get_string_attribute("ResolutionUnit", "") == "cm" {
        spec.attribute_float("XResolution", xdensity / 2.54);
        spec.attribute_float("YResolution", ydensity / 2.54);
    }
    attrs::process_aces_container(&mut spec).map_err(IoError::Write)?;
    if spec.get_string_attribute("colorInteropID", "").is_empty() {
        let id = attrs::color_interop_id(&spec.get_string_attribute("oiio:ColorSpace", ""));
        if !id.is_empty() {
            spec.attribute_str("colorInteropID", id);
        }
    }
    let tiled = spec.tile_width > 0;
    let mut part = OutPart {
        attrs: Default::default(),
        chans,
        src_index: order,
        comp: 3,
        dwa_level,
        zip_level: if (1..=9).contains(&qual) { qual } else { 4 },
        line_order: 0,
        dw,
        tiling: None,
        chunk_count: 0,
    };
    part.attrs
        .insert(b"channels".to_vec(), Value::Chlist(part.chans.clone()));
    part.attrs.insert(b"dataWindow".to_vec(), Value::Box2i(dw));
    part.attrs.insert(b"displayWindow".to_vec(), Value::Box2i(dispw));
    part.attrs.insert(b"pixelAspectRatio".to_vec(), Value::Float(1.0));
    part.attrs
        .insert(b"screenWindowCenter".to_vec(), Value::V2f([0.0, 0.0]));
    part.attrs.insert(b"screenWindowWidth".to_vec(), Value::Float(1.0));
    if let Some(e) = envmap {
        part.attrs.insert(b"envmap".to_vec(), Value::Envmap(e));
    }
    if tiled {
        let mode = (levelmode as u8 & 0xF) | ((roundingmode.clamp(0, 1) as u8) << 4);
        part.attrs.insert(
            b"tiles".to_vec(),
            Value::TileDesc {
                x: spec.tile_width as u32,
                y: spec.tile_height as u32,
                mode,
            },
        );
    }
    for p in &spec.extra_attribs.items {
        // OIIO's output layer drops these: this writer stores no thumbnail.
        if ["thumbnail_width", "thumbnail_height", "thumbnail_nchannels"].contains(&p.name()) {
            continue;
        }
        match attrs::put_parameter(p, tiled) {
            Put::Attr(name, value) => part.insert(name, value),
            Put::Compression(c) => part.comp = c,
            Put::LineOrder(l) => part.line_order = l,
            Put::Skip => {}
        }
    }
    if nsub > 1 && !part.attrs.contains_key(b"name".as_slice()) {
        part.attrs
            .insert(b"name".to_vec(), Value::String(format!("subimage{s:02}").into_bytes()));
    }
    if matches!(part.comp, 10 | 11) {
        return Err(IoError::Unsupported(
            "openexr: HTJ2K compression is not supported for writing".into(),
        ));
    }
    part.attrs
        .insert(b"compression".to_vec(), Value::Compression(part.comp));
    part.attrs
        .insert(b"lineOrder".to_vec(), Value::LineOrder(part.line_order));
    // Chunk geometry, as a reader will compute it.
    let mut geo = Part::new(match (spec.deep, tiled) {
        (true, true) => Storage::DeepTiled,
        (true, false) => Storage::DeepScanline,
        (false, true) => Storage::Tiled,
        (false, false) => Storage::Scanline,
    });
    for (k, v) in &part.attrs {
        geo.attrs.push(Attr {
            name: k.clone(),
            value: v.clone(),
        });
    }
    if tiled {
        let mut diag = Diag {
            path: String::new(),
            msgs: Vec::new(),
        };
        geo.tiling = compute_tiling(&geo, &mut diag).ok();
    }
    let count = compute_chunks(&mut geo);
    if count <= 0 {
        return Err(IoError::Write("openexr: cannot compute the chunk layout".into()));
    }
    part.tiling = geo.tiling;
    part.chunk_count = count as usize;
    Ok(part)
}

/// A chunk to write: table index, leader values after the part number,
/// and the pixel rectangle (in level coordinates from 0) of level `level`.
struct OutChunk {
    index: usize,
    leader: [i32; 4],
    leader_len: usize,
    level: usize,
    rect: (usize, usize, usize, usize),
}

/// The chunks of a part in the order they go into the file.
fn chunk_plan(part: &OutPart, nlevels: usize) -> Vec<OutChunk> {
    let mut out = Vec::new();
    let dw = part.dw;
    match &part.tiling {
        None => {
            let lpc = lines_per_chunk(part.comp).max(1) as usize;
            let h = (i64::from(dw[3]) - i64::from(dw[1]) + 1) as usize;
            let w = (i64::from(dw[2]) - i64::from(dw[0]) + 1) as usize;
            let n = h.div_ceil(lpc);
            let ks: Vec<usize> = if part.line_order == 1 {
                (0..n).rev().collect()
            } else {
                (0..n).collect()
            };
            for k in ks {
                let y0 = k * lpc;
                out.push(OutChunk {
                    index: k,
                    leader: [dw[1] + y0 as i32, 0, 0, 0],
                    leader_len: 1,
                    level: 0,
                    rect: (0, y0, w, lpc.min(h - y0)),
                });
            }
        }
        Some(t) => {
            let (tw, th) = (t.tile_w as usize, t.tile_h as usize);
            let mut base = 0usize;
            let nx = t.levels_x.len();
            let ny = t.levels_y.len();
            // Table offsets of each level (lx, ly) in OpenEXR's order.
            let level_base = |lx: usize, ly: usize| -> usize {
                let mut off = 0usize;
                if t.level_mode == 2 {
                    for y in 0..ly {
                        for x in 0..nx {
                            off += (t.levels_x[x].0 * t.levels_y[y].0) as usize;
                        }
                    }
                    for x in 0..lx {
                        off += (t.levels_x[x].0 * t.levels_y[ly].0) as usize;
                    }
                } else {
                    for l in 0..lx {
                        off += (t.levels_x[l].0 * t.levels_y[l].0) as usize;
                    }
                }
                off
            };
            for m in 0..nlevels.min(nx).min(ny) {
                base = level_base(m, m);
                let (ntx, lw) = (t.levels_x[m].0 as usize, t.levels_x[m].1 as usize);
                let (nty, lh) = (t.levels_y[m].0 as usize, t.levels_y[m].1 as usize);
                let rows: Vec<usize> = if part.line_order == 1 {
                    (0..nty).rev().collect()
                } else {
                    (0..nty).collect()
                };
                for ty in rows {
                    for tx in 0..ntx {
                        let (x, y) = (tx * tw, ty * th);
                        out.push(OutChunk {
                            index: base + ty * ntx + tx,
                            leader: [tx as i32, ty as i32, m as i32, m as i32],
                            leader_len: 4,
                            level: m,
                            rect: (x, y, tw.min(lw - x), th.min(lh - y)),
                        });
                    }
                }
            }
            let _ = base;
        }
    }
    out
}

/// Gather a chunk's pixels from the caller's interleaved level into
/// OpenEXR's uncompressed layout (per line, per file channel), native-endian.
fn gather(part: &OutPart, level: &Level, rect: (usize, usize, usize, usize)) -> Vec<u8> {
    let spec = level.spec;
    let src_t = spec.format.basetype;
    let ssz = spec.format.size();
    let nch = spec.nchannels.max(0) as usize;
    let px = nch * ssz;
    let (lw, lh) = (spec.width.max(0) as usize, spec.height.max(0) as usize);
    let row_bytes = lw * px;
    let (x0, y0, w, h) = rect;
    let line: usize = part.chans.iter().map(|c| c.size() * w).sum();
    let mut out = vec![0u8; line * h];
    // Pixels of the level this chunk covers (a level smaller than the file
    // expects leaves zeros).
    let have = w.min(lw.saturating_sub(x0));
    let mut src_vals = Vec::new();
    for j in 0..h {
        let y = y0 + j;
        let mut off = j * line;
        let row = level.pixels.get(y * row_bytes..(y + 1) * row_bytes);
        for (fi, c) in part.chans.iter().enumerate() {
            let n = c.size() * w;
            let dst = &mut out[off..off + n];
            off += n;
            let sc = part.src_index[fi];
            let Some(row) = row.filter(|_| y < lh && sc < nch && have > 0) else {
                continue;
            };
            let src = &row[x0 * px + sc * ssz..];
            let dt = base_of_pixel(c.pixel_type);
            if dt == src_t {
                strided_gather(src, &mut dst[..have * ssz], ssz, px);
            } else {
                src_vals.resize(have * ssz, 0);
                strided_gather(src, &mut src_vals, ssz, px);
                convert_bytes(&src_vals, src_t, &mut dst[..have * c.size()], dt);
            }
        }
    }
    out
}

/// Compress one chunk's uncompressed (native-endian) bytes; returns the
/// little-endian bytes to store (raw when compression does not help).
fn compress_chunk(
    part: &OutPart,
    header: &exr::meta::header::Header,
    data: Vec<u8>,
    rect: (i32, i32, usize, usize),
) -> Result<Vec<u8>, IoError> {
    let to_le = |mut d: Vec<u8>| {
        le_to_native(&mut d, &part.chans, rect.2);
        d
    };
    match part.comp {
        0 => Ok(to_le(data)),
        2 | 3 => {
            let le = to_le(data);
            let packed = zip_compress(&le, part.zip_level);
            Ok(if packed.len() < le.len() { packed } else { le })
        }
        5 => {
            let le = to_le(data);
            let packed = pxr24_compress(&le, &part.chans, rect.2, rect.3, 4);
            Ok(if packed.len() < le.len() { packed } else { le })
        }
        4 => {
            let le = to_le(data);
            let packed = piz_compress(&le, &part.chans, rect.2, rect.3);
            Ok(if packed.len() < le.len() { packed } else { le })
        }
        8 | 9 => {
            let le = to_le(data);
            let packed = dwa_compress(&part.chans, part.comp, rect, &le, part.dwa_level).map_err(IoError::Write)?;
            Ok(if packed.len() < le.len() { packed } else { le })
        }
        c => {
            let bounds = exr::meta::attribute::IntegerBounds::new((rect.0, rect.1), (rect.2, rect.3));
            crate_compression(c)
                .compress_image_section_to_le(header, data, bounds)
                .map_err(|e| IoError::Write(format!("openexr: {e}")))
        }
    }
}

/// DWAA/DWAB compression of one chunk (little-endian layout in and out,
/// the `openexr_dwa` codec); the counterpart of [`dwa_decompress`].
fn dwa_compress(
    chans: &[Channel],
    comp: u8,
    rect: (i32, i32, usize, usize),
    le: &[u8],
    level: f32,
) -> Result<Vec<u8>, String> {
    let (list, linear) = dwa_channels(chans);
    super::openexr_dwa::compress_with_plinear(&list, &linear, rect.0, rect.1, rect.2, rect.3, le, level, comp == 9)
}

/// The chunks (with their leaders) of a deep part, from the caller's deep
/// pixels (none given: every pixel empty).
fn deep_chunks(
    part: &OutPart,
    spec: &ImageSpec,
    deep: Option<&vfx_core::DeepData>,
    part_number: Option<usize>,
) -> Result<Vec<Vec<u8>>, IoError> {
    use super::openexr_deep::{write_deep, DeepChannel, DeepPart, DeepTiles};
    let chans: Vec<DeepChannel> = part
        .chans
        .iter()
        .map(|c| DeepChannel {
            name: lossy(&c.name),
            sample_type: match c.pixel_type {
                PIXEL_UINT => exr::meta::attribute::SampleType::U32,
                PIXEL_HALF => exr::meta::attribute::SampleType::F16,
                _ => exr::meta::attribute::SampleType::F32,
            },
        })
        .collect();
    let empty;
    let data = match deep {
        Some(d) => d,
        None => {
            empty = vfx_core::deepdata::for_spec(spec);
            &empty
        }
    };
    let deep_part = DeepPart {
        channels: &chans,
        data_window: part.dw,
        compression: part.comp,
        tiles: part.tiling.as_ref().map(|t| DeepTiles {
            tile_width: t.tile_w as usize,
            tile_height: t.tile_h as usize,
            level_x: 0,
            level_y: 0,
        }),
        part_number: part_number.map(|p| p as i32),
    };
    write_deep(&deep_part, data)
}

/// `FORMAT.write`: every subimage becomes a part (a single-part file when
/// there is one), every level a MIP level of a tiled part.
fn write_request(path: &Path, req: &WriteRequest<'_>) -> Result<(), IoError> {
    let nsub = req.subimages.len();
    if nsub == 0 || req.subimages.iter().any(|l| l.is_empty()) {
        return Err(IoError::Write(format!("OpenEXR does not support {nsub} subimages.")));
    }
    let deep = req.subimages[0][0].spec.deep;
    if req.subimages.iter().any(|l| l[0].spec.deep != deep) {
        return Err(IoError::Unsupported(
            "OpenEXR does not support mixed deep/nondeep multi-part image files".into(),
        ));
    }
    if deep && req.subimages.iter().any(|l| l.len() > 1) {
        return Err(IoError::Unsupported(
            "Cannot add MIP level to a non-MIPmapped file".into(),
        ));
    }
    let multipart = nsub > 1;
    let mut parts = Vec::with_capacity(nsub);
    for (s, levels) in req.subimages.iter().enumerate() {
        let mut part = plan_part(levels[0].spec, s, nsub, levels.len())?;
        if multipart || deep {
            let tiled = part.tiling.is_some();
            let kind: &[u8] = match (deep, tiled) {
                (true, true) => b"deeptile",
                (true, false) => b"deepscanline",
                (false, true) => b"tiledimage",
                (false, false) => b"scanlineimage",
            };
            part.attrs.insert(b"type".to_vec(), Value::String(kind.to_vec()));
            part.attrs
                .insert(b"chunkCount".to_vec(), Value::Int(part.chunk_count as i32));
            if deep {
                part.attrs.insert(b"version".to_vec(), Value::Int(1));
            }
        }
        parts.push(part);
    }
    // OpenEXR requires these to agree between the parts of a file.
    if multipart {
        for part in &parts[1..] {
            for key in ["displayWindow", "pixelAspectRatio", "timeCode", "chromaticities"] {
                if parts[0].attrs.get(key.as_bytes()) != part.attrs.get(key.as_bytes()) {
                    let name = match part.attrs.get(b"name".as_slice()) {
                        Some(Value::String(n)) => lossy(n),
                        _ => String::new(),
                    };
                    return Err(IoError::Write(format!(
                        "OpenEXR exception: Cannot open image stream \"{}\". Conflicting attributes found for header :: {name} '{key}' ",
                        path.display()
                    )));
                }
            }
        }
    }
    // Header bytes.
    let mut long_names = false;
    let mut head = Vec::new();
    for part in &parts {
        for (name, value) in &part.attrs {
            long_names |= name.len() > 31 || value.type_name().len() > 31;
            if let Value::Chlist(c) = value {
                long_names |= c.iter().any(|c| c.name.len() > 31);
            }
            let data = value.encode();
            head.extend_from_slice(name);
            head.push(0);
            head.extend_from_slice(value.type_name());
            head.push(0);
            head.extend_from_slice(&(data.len() as i32).to_le_bytes());
            head.extend_from_slice(&data);
        }
        head.push(0);
    }
    if multipart {
        head.push(0);
    }
    let mut flags = 2u32;
    if multipart {
        flags |= FLAG_MULTIPART;
    } else if parts[0].tiling.is_some() && !deep {
        flags |= FLAG_TILED;
    }
    if deep {
        flags |= FLAG_NONIMAGE;
    }
    if long_names {
        flags |= FLAG_LONG_NAMES;
    }
    let file =
        File::create(path).map_err(|e| IoError::Write(format!("Could not open \"{}\" ({e})", path.display())))?;
    let werr = |e: std::io::Error| IoError::Write(format!("Failed OpenEXR write: {e}"));
    let mut out = std::io::BufWriter::with_capacity(1 << 20, file);
    out.write_all(&MAGIC.to_le_bytes()).map_err(werr)?;
    out.write_all(&flags.to_le_bytes()).map_err(werr)?;
    out.write_all(&head).map_err(werr)?;
    let mut pos = 8 + head.len() as u64;
    let table_pos = pos;
    let total_chunks: usize = parts.iter().map(|p| p.chunk_count).sum();
    out.write_all(&vec![0u8; 8 * total_chunks]).map_err(werr)?;
    pos += 8 * total_chunks as u64;
    let mut tables: Vec<Vec<u64>> = parts.iter().map(|p| vec![0u64; p.chunk_count]).collect();
    for (pi, part) in parts.iter().enumerate() {
        let levels = &req.subimages[pi];
        if deep {
            let chunks = deep_chunks(
                part,
                levels[0].spec,
                req.deep.get(pi).copied().flatten(),
                multipart.then_some(pi),
            )?;
            for (i, chunk) in chunks.iter().enumerate().take(part.chunk_count) {
                tables[pi][i] = pos;
                out.write_all(chunk).map_err(werr)?;
                pos += chunk.len() as u64;
            }
            continue;
        }
        let plan = chunk_plan(part, levels.len());
        let width = (i64::from(part.dw[2]) - i64::from(part.dw[0]) + 1) as usize;
        let header = crate_header_for(&part.chans, part.comp, width, part.tiling.as_ref());
        // Compress a batch of chunks in parallel, then write them in order.
        for batch in plan.chunks(64) {
            let packed: Vec<Result<Vec<u8>, IoError>> = batch
                .par_iter()
                .map(|c| {
                    let data = gather(part, &levels[c.level], c.rect);
                    let abs = (
                        part.dw[0] + c.rect.0 as i32,
                        part.dw[1] + c.rect.1 as i32,
                        c.rect.2,
                        c.rect.3,
                    );
                    compress_chunk(part, &header, data, abs)
                })
                .collect();
            for (c, data) in batch.iter().zip(packed) {
                let data = data?;
                tables[pi][c.index] = pos;
                let mut leader = Vec::with_capacity(24);
                if multipart {
                    leader.extend_from_slice(&(pi as i32).to_le_bytes());
                }
                for v in &c.leader[..c.leader_len] {
                    leader.extend_from_slice(&v.to_le_bytes());
                }
                leader.extend_from_slice(&(data.len() as i32).to_le_bytes());
                out.write_all(&leader).map_err(werr)?;
                out.write_all(&data).map_err(werr)?;
                pos += (leader.len() + data.len()) as u64;
            }
        }
    }
    let mut file = out.into_inner().map_err(|e| werr(e.into_error()))?;
    use std::io::{Seek, SeekFrom};
    file.seek(SeekFrom::Start(table_pos)).map_err(werr)?;
    let table_bytes: Vec<u8> = tables.iter().flatten().flat_map(|o| o.to_le_bytes()).collect();
    file.write_all(&table_bytes).map_err(werr)?;
    file.flush().map_err(werr)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(tag: &str) -> std::path::PathBuf {
        static N: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        std::env::temp_dir().join(format!("vfx_exr_{}_{tag}_{n}.exr", std::process::id()))
    }

    /// A test image: values spread over the type's range, per channel.
    fn pattern(spec: &ImageSpec) -> Vec<u8> {
        let n = spec.image_pixels() as usize * spec.nchannels as usize;
        let f: Vec<f32> = (0..n)
            .map(|i| ((i * 7919 % 1013) as f32 / 1013.0) * if i % 5 == 0 { 3.0 } else { 1.0 })
            .collect();
        let mut out = vec![0u8; n * spec.format.size()];
        convert_bytes(
            bytemuck::cast_slice(&f),
            BaseType::Float,
            &mut out,
            spec.format.basetype,
        );
        out
    }

    fn write_levels(path: &Path, levels: &[(&ImageSpec, &[u8])]) -> Result<(), IoError> {
        let req = WriteRequest {
            subimages: vec![levels.iter().map(|(s, p)| Level { spec: s, pixels: p }).collect()],
            deep: vec![None],
            source: levels[0].0.format,
            thumbnail: None,
        };
        write_request(path, &req)
    }

    fn read_all(path: &Path) -> (ImageSpec, Vec<u8>) {
        let mut r = open(path, None).unwrap();
        let spec = r.spec(0, 0).unwrap();
        let px = r.read_image(0, 0).unwrap();
        (spec, px.bytes().to_vec())
    }

    #[test]
    fn round_trips_every_type_layout_and_lossless_compression() {
        for ty in [TypeDesc::HALF, TypeDesc::FLOAT, TypeDesc::UINT] {
            for tiled in [false, true] {
                for comp in [
                    "none", "rle", "zips", "zip", "piz", "pxr24", "b44", "b44a", "dwaa", "dwab",
                ] {
                    let mut spec = ImageSpec::new(37, 21, 4, ty);
                    spec.x = -3;
                    spec.y = 5;
                    if tiled {
                        spec.tile_width = 16;
                        spec.tile_height = 8;
                    }
                    spec.attribute_str("compression", comp);
                    let px = pattern(&spec);
                    let path = scratch("rt");
                    write_levels(&path, &[(&spec, &px)]).unwrap();
                    let (got, back) = read_all(&path);
                    std::fs::remove_file(&path).unwrap();
                    assert_eq!((got.x, got.y, got.width, got.height), (-3, 5, 37, 21));
                    assert_eq!(got.format, ty, "{comp}");
                    assert_eq!(got.tile_width, if tiled { 16 } else { 0 });
                    assert_eq!(got.get_string_attribute("compression", ""), comp);
                    let lossy = match comp {
                        "pxr24" => ty == TypeDesc::FLOAT,
                        "b44" | "b44a" => ty == TypeDesc::HALF,
                        "dwaa" | "dwab" => ty != TypeDesc::UINT,
                        _ => false,
                    };
                    if lossy {
                        let mut a = vec![0f32; back.len() / ty.size()];
                        let mut b = a.clone();
                        convert_bytes(&back, ty.basetype, bytemuck::cast_slice_mut(&mut a), BaseType::Float);
                        convert_bytes(&px, ty.basetype, bytemuck::cast_slice_mut(&mut b), BaseType::Float);
                        let worst = a.iter().zip(&b).map(|(x, y)| (x - y).abs()).fold(0f32, f32::max);
                        // Noisy data through B44 / DWA: only sanity.
                        assert!(worst < 1.0, "{comp} {ty}: {worst}");
                    } else {
                        assert!(back == px, "{comp} {ty} tiled={tiled}");
                    }
                }
            }
        }
    }

    #[test]
    fn mixed_channel_types_and_oiio_channel_order() {
        let mut spec = ImageSpec::new(9, 7, 5, TypeDesc::FLOAT);
        spec.channelnames = ["Z", "B", "A", "G", "R"].map(String::from).to_vec();
        spec.channelformats = vec![
            TypeDesc::FLOAT,
            TypeDesc::HALF,
            TypeDesc::HALF,
            TypeDesc::UINT,
            TypeDesc::HALF,
        ];
        let px = pattern(&ImageSpec::new(9, 7, 5, TypeDesc::FLOAT));
        let path = scratch("mixed");
        write_levels(&path, &[(&spec, &px)]).unwrap();
        let (got, back) = read_all(&path);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(got.channelnames, ["R", "G", "B", "A", "Z"]);
        assert_eq!(
            got.channelformats,
            [
                TypeDesc::HALF,
                TypeDesc::UINT,
                TypeDesc::HALF,
                TypeDesc::HALF,
                TypeDesc::FLOAT
            ]
        );
        assert_eq!((got.format, got.alpha_channel, got.z_channel), (TypeDesc::FLOAT, 3, 4));
        // Z stays exact (float); R, B, A went through half.
        let src: &[f32] = bytemuck::cast_slice(&px);
        let out: &[f32] = bytemuck::cast_slice(&back);
        for p in 0..63 {
            assert_eq!(out[p * 5 + 4], src[p * 5]);
            let r = exr::prelude::f16::from_f32(src[p * 5 + 4]).to_f32();
            assert_eq!(out[p * 5], r);
        }
    }

    #[test]
    fn channel_order_rules() {
        let chans: Vec<Channel> = ["A", "B", "G", "R", "Z", "a.X", "a.Y", "a.Z", "foo", "lay.A", "lay.R"]
            .iter()
            .map(|n| Channel {
                name: n.as_bytes().to_vec(),
                pixel_type: PIXEL_HALF,
                p_linear: 0,
                x_sampling: 1,
                y_sampling: 1,
            })
            .collect();
        let names: Vec<&str> = channel_order(&chans)
            .iter()
            .map(|&i| std::str::from_utf8(&chans[i].name).unwrap())
            .collect();
        assert_eq!(
            names,
            ["R", "G", "B", "A", "Z", "foo", "a.X", "a.Y", "a.Z", "lay.R", "lay.A"]
        );
    }

    #[test]
    fn mip_levels_and_multipart() {
        let mut spec = ImageSpec::new(33, 17, 3, TypeDesc::HALF);
        spec.tile_width = 8;
        spec.tile_height = 8;
        spec.attribute_str("textureformat", "Plain Texture");
        spec.attribute_str("compression", "piz");
        let mut specs = vec![spec.clone()];
        let (mut w, mut h) = (33, 17);
        while w > 1 || h > 1 {
            w = (w / 2).max(1);
            h = (h / 2).max(1);
            let mut s = spec.clone();
            s.width = w;
            s.height = h;
            specs.push(s);
        }
        let pixels: Vec<Vec<u8>> = specs.iter().map(pattern).collect();
        let levels: Vec<(&ImageSpec, &[u8])> = specs.iter().zip(&pixels).map(|(s, p)| (s, p.as_slice())).collect();
        let path = scratch("mip");
        write_levels(&path, &levels).unwrap();
        let mut r = open(&path, None).unwrap();
        for (m, (s, p)) in levels.iter().enumerate() {
            let got = r.spec(0, m).unwrap();
            assert_eq!((got.width, got.height), (s.width, s.height));
            assert_eq!(got.get_int_attribute("oiio:miplevels", 0), 6);
            assert_eq!(got.get_string_attribute("textureformat", ""), "Plain Texture");
            assert_eq!(r.read_image(0, m).unwrap().bytes(), *p);
        }
        assert!(r.spec(0, 6).is_none());
        std::fs::remove_file(&path).unwrap();
        // Several subimages make a multi-part file with names.
        let a = ImageSpec::new(5, 4, 1, TypeDesc::FLOAT);
        let mut b = ImageSpec::new(3, 6, 2, TypeDesc::HALF);
        b.attribute_str("oiio:subimagename", "second");
        b.tile_width = 2;
        b.tile_height = 2;
        let (pa, pb) = (pattern(&a), pattern(&b));
        let req = WriteRequest {
            subimages: vec![
                vec![Level { spec: &a, pixels: &pa }],
                vec![Level { spec: &b, pixels: &pb }],
            ],
            deep: vec![None, None],
            source: TypeDesc::FLOAT,
            thumbnail: None,
        };
        let path = scratch("multi");
        let e = write_request(&path, &req).unwrap_err().to_string();
        assert!(
            e.contains("Conflicting attributes found for header :: second 'displayWindow'"),
            "{e}"
        );
        (b.full_width, b.full_height) = (5, 4);
        let req = WriteRequest {
            subimages: vec![
                vec![Level { spec: &a, pixels: &pa }],
                vec![Level { spec: &b, pixels: &pb }],
            ],
            deep: vec![None, None],
            source: TypeDesc::FLOAT,
            thumbnail: None,
        };
        let path = scratch("multi");
        write_request(&path, &req).unwrap();
        let mut r = open(&path, None).unwrap();
        let s0 = r.spec(0, 0).unwrap();
        let s1 = r.spec(1, 0).unwrap();
        assert_eq!(s0.get_string_attribute("oiio:subimagename", ""), "subimage00");
        assert_eq!(s1.get_string_attribute("oiio:subimagename", ""), "second");
        assert_eq!(s1.get_int_attribute("oiio:subimages", 0), 2);
        assert_eq!(s1.get_int_attribute("openexr:chunkCount", 0), 6);
        assert_eq!(r.read_image(0, 0).unwrap().bytes(), pa.as_slice());
        assert_eq!(r.read_image(1, 0).unwrap().bytes(), pb.as_slice());
        assert!(r.spec(2, 0).is_none());
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn metadata_round_trip_and_oiio_names() {
        let mut spec = ImageSpec::new(4, 4, 3, TypeDesc::HALF);
        spec.attribute_str("ImageDescription", "hello");
        spec.attribute_str("DateTime", "2020:01:02 03:04:05");
        spec.attribute_float("PixelAspectRatio", 2.0);
        spec.attribute_float("XResolution", 72.0);
        spec.attribute_str("oiio:ColorSpace", "ACEScg");
        spec.attribute_str("tiff:Compression", "dropped");
        spec.attribute_str("openexr:lineOrder", "decreasingY");
        let m = vfx_core::ParamValue::from_values(
            "worldtocamera",
            TypeDesc::MATRIX44,
            1,
            vfx_core::Interp::Constant,
            &(0..16)
                .map(|i| vfx_core::Value::Float(f64::from(i)))
                .collect::<Vec<_>>(),
        )
        .unwrap();
        spec.attribute(m);
        let px = pattern(&spec);
        let path = scratch("meta");
        write_levels(&path, &[(&spec, &px)]).unwrap();
        let (got, back) = read_all(&path);
        std::fs::remove_file(&path).unwrap();
        assert_eq!(back, px);
        assert_eq!(got.get_string_attribute("ImageDescription", ""), "hello");
        assert_eq!(got.get_string_attribute("DateTime", ""), "2020:01:02 03:04:05");
        assert_eq!(got.get_float_attribute("PixelAspectRatio", 0.0), 2.0);
        assert_eq!(got.get_float_attribute("YResolution", 0.0), 144.0);
        assert_eq!(got.get_string_attribute("ResolutionUnit", ""), "in");
        assert_eq!(got.get_string_attribute("colorInteropID", ""), "lin_ap1_scene");
        assert_eq!(got.get_string_attribute("oiio:ColorSpace", ""), "lin_ap1_scene");
        assert_eq!(got.get_string_attribute("openexr:lineOrder", ""), "decreasingY");
        assert!(got
            .find_attribute("tiff:Compression", TypeDesc::UNKNOWN, false)
            .is_none());
        let w = got.find_attribute("worldToCamera", TypeDesc::MATRIX44, false).unwrap();
        assert_eq!(w.get(15).as_f64(), 15.0);
    }

    /// Bytes of a small valid file to damage.
    fn sample_file(comp: &str, tiled: bool) -> Vec<u8> {
        let mut spec = ImageSpec::new(40, 40, 3, TypeDesc::HALF);
        spec.attribute_str("compression", comp);
        if tiled {
            spec.tile_width = 16;
            spec.tile_height = 16;
        }
        let px = pattern(&spec);
        let path = scratch("sample");
        write_levels(&path, &[(&spec, &px)]).unwrap();
        let bytes = std::fs::read(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        bytes
    }

    /// Open and read everything; the error text if anything fails.
    fn try_all(bytes: &[u8]) -> Result<(), IoError> {
        let path = scratch("bad");
        std::fs::write(&path, bytes).unwrap();
        let r = (|| {
            let mut r = open(&path, None)?;
            for s in 0..4 {
                for m in 0..4 {
                    if r.spec(s, m).is_some() {
                        r.read_image(s, m)?;
                    }
                }
            }
            Ok(())
        })();
        std::fs::remove_file(&path).unwrap();
        r
    }

    #[test]
    fn truncated_and_corrupted_files_fail_cleanly() {
        for (comp, tiled) in [
            ("zip", false),
            ("piz", true),
            ("rle", false),
            ("none", true),
            ("b44", false),
        ] {
            let good = sample_file(comp, tiled);
            assert!(try_all(&good).is_ok());
            for cut in [
                0,
                3,
                8,
                20,
                100,
                good.len() / 3,
                good.len() / 2,
                good.len() - 10,
                good.len() - 1,
            ] {
                let e = try_all(&good[..cut]);
                assert!(e.is_err(), "{comp} cut at {cut} of {}", good.len());
            }
            // Flip bytes all over the chunk data: never a panic.
            for i in (0..good.len()).step_by(7) {
                let mut bad = good.clone();
                bad[i] ^= 0x5A;
                let _ = try_all(&bad);
            }
        }
        // Not EXR at all.
        let e = try_all(b"P6 1 1 255 abc").unwrap_err();
        assert!(e.to_string().contains("File is not an OpenEXR file"), "{e}");
        // Missing chunks read as errors (OIIO's wording).
        let good = sample_file("zip", false);
        let mut bad = good.clone();
        let n = bad.len();
        bad.truncate(n - 200);
        assert_eq!(
            try_all(&bad).unwrap_err(),
            IoError::Corrupt("Some scanline chunks were missing or corrupted".into())
        );
    }

    #[test]
    fn absurd_headers_are_refused_before_allocating() {
        // A header claiming a 100000 x 100000 float image in a few hundred
        // bytes: OIIO's compression-ratio check refuses it at open.
        let mut spec = ImageSpec::new(8, 8, 4, TypeDesc::FLOAT);
        spec.attribute_str("compression", "zip");
        let px = pattern(&spec);
        let path = scratch("absurd");
        write_levels(&path, &[(&spec, &px)]).unwrap();
        let mut bytes = std::fs::read(&path).unwrap();
        std::fs::remove_file(&path).unwrap();
        let at = bytes.windows(10).position(|w| w == b"dataWindow").unwrap() + 11 + 6 + 4;
        bytes[at + 8..at + 12].copy_from_slice(&99_999i32.to_le_bytes());
        bytes[at + 12..at + 16].copy_from_slice(&99_999i32.to_le_bytes());
        let e = try_all(&bytes).unwrap_err().to_string();
        assert!(e.contains("header claims a") || e.contains("exceeds"), "{e}");
        // A big data window that passes the ratio check fails on its chunks
        // (checked before the image is allocated) and quickly.
        bytes[at + 8..at + 12].copy_from_slice(&4000i32.to_le_bytes());
        bytes[at + 12..at + 16].copy_from_slice(&15i32.to_le_bytes());
        let t = std::time::Instant::now();
        assert!(try_all(&bytes).is_err());
        assert!(t.elapsed().as_secs() < 5);
    }

    #[test]
    fn missing_color_fills_broken_chunks() {
        let good = sample_file("zip", false);
        let mut bad = good.clone();
        let n = bad.len();
        bad.truncate(n - 200);
        let path = scratch("missing");
        std::fs::write(&path, &bad).unwrap();
        let mut cfg = ImageSpec::default();
        cfg.attribute_str("oiio:missingcolor", "0.25,0.5,1");
        let mut r = open(&path, Some(&cfg)).unwrap();
        let px = r.read_image(0, 0).unwrap();
        std::fs::remove_file(&path).unwrap();
        let v: &[u16] = bytemuck::cast_slice(px.bytes());
        let last = &v[v.len() - 3..];
        assert_eq!(last, [0x3400, 0x3800, 0x3c00]);
    }

    #[test]
    fn piz_codec_matches_the_crate() {
        // Random-ish half data with runs, through our encoder and the
        // crate's decoder, and the other way round.
        let chans = vec![
            Channel {
                name: b"A".to_vec(),
                pixel_type: PIXEL_HALF,
                p_linear: 0,
                x_sampling: 1,
                y_sampling: 1,
            },
            Channel {
                name: b"B".to_vec(),
                pixel_type: PIXEL_FLOAT,
                p_linear: 0,
                x_sampling: 1,
                y_sampling: 1,
            },
        ];
        let (w, h) = (45usize, 19usize);
        let n = w * h * 6;
        // Smooth 16-bit words with runs and a little noise.
        let data: Vec<u8> = (0..n / 2)
            .flat_map(|i| {
                let v = if (i / 40) % 3 == 0 {
                    7
                } else {
                    (i / 3 + ((i * 2654435761usize) >> 20) % 5) as u16
                };
                v.to_le_bytes()
            })
            .collect();
        let header = crate_header_for(&chans, 4, w, None);
        let bounds = exr::meta::attribute::IntegerBounds::new((0, 0), (w, h));
        let ours = piz_compress(&data, &chans, w, h);
        let back = crate_compression(4)
            .decompress_image_section_from_le(&header, ours, bounds, true)
            .unwrap();
        assert!(back == data);
        let theirs = crate_compression(4)
            .compress_image_section_to_le(&header, data.clone(), bounds)
            .unwrap();
        assert!(theirs.len() < n);
        assert!(piz_decompress(&theirs, &chans, w, h, n).unwrap() == data);
    }

    /// Every file of the OpenEXR "Damaged" corpus opens or fails cleanly,
    /// quickly, without panicking.
    #[test]
    fn damaged_corpus() {
        let dir = Path::new("/work/shared/images/openexr/Damaged");
        let Ok(entries) = std::fs::read_dir(dir) else { return };
        let mut files: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        for f in files {
            let t = std::time::Instant::now();
            if let Ok(mut r) = open(&f, None) {
                for s in 0..16 {
                    if r.spec(s, 0).is_none() {
                        break;
                    }
                    for m in 0..32 {
                        if r.spec(s, m).is_none() {
                            break;
                        }
                        let _ = r.read_image(s, m);
                    }
                }
            }
            assert!(
                t.elapsed().as_secs_f32() < 5.0,
                "{} took {:?}",
                f.display(),
                t.elapsed()
            );
        }
    }

    /// Copy deep files (`EXR_DEEP_COPY=src:dst,...`) through our reader and
    /// writer, for checking with the reference.
    #[test]
    #[ignore]
    fn copy_deep() {
        let Ok(list) = std::env::var("EXR_DEEP_COPY") else {
            return;
        };
        for pair in list.split(',') {
            let (src, dst) = pair.split_once(':').unwrap();
            let mut r = open(Path::new(src), None).unwrap();
            let spec = r.spec(0, 0).unwrap();
            let d = r.read_deep(0, 0).unwrap().unwrap();
            let req = WriteRequest {
                subimages: vec![vec![Level {
                    spec: &spec,
                    pixels: &[],
                }]],
                deep: vec![Some(&d)],
                source: spec.format,
                thumbnail: None,
            };
            write_request(Path::new(dst), &req).unwrap();
        }
    }

    /// CPU seconds used by this process so far (Linux only; 0 elsewhere).
    fn cpu_secs() -> f64 {
        let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
        let after = stat.rsplit(')').next().unwrap_or("");
        let f: Vec<&str> = after.split_whitespace().collect();
        let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
        (ticks(11) + ticks(12)) / 100.0
    }

    /// Timing of reading and writing a big file (`EXR_BENCH=path`); run
    /// with `--ignored --nocapture` in release mode.
    #[test]
    #[ignore]
    fn bench_big() {
        let Ok(path) = std::env::var("EXR_BENCH") else { return };
        let path = Path::new(&path);
        let t = std::time::Instant::now();
        let mut r = open(path, None).unwrap();
        let spec = r.spec(0, 0).unwrap();
        let px = r.read_image(0, 0).unwrap();
        eprintln!("read {:?}", t.elapsed());
        if std::env::var("EXR_BENCH_READ").is_ok() {
            for _ in 0..5 {
                let t = std::time::Instant::now();
                let _ = r.read_image(0, 0).unwrap();
                eprintln!("read again {:?}", t.elapsed());
            }
            return;
        }
        let only = std::env::var("EXR_BENCH_COMP").ok();
        for comp in [
            "zip:1", "zip:2", "zip:3", "zip:5", "zip", "piz", "zips", "rle", "none", "pxr24", "b44",
        ] {
            if only.as_deref().is_some_and(|o| o != comp) {
                continue;
            }
            let mut s = spec.clone();
            s.attribute_str("compression", comp);
            let out = std::env::temp_dir().join(format!("vfx_exr_bench_{comp}.exr"));
            let t = std::time::Instant::now();
            let c0 = cpu_secs();
            let req = WriteRequest {
                subimages: vec![vec![Level {
                    spec: &s,
                    pixels: px.bytes(),
                }]],
                deep: vec![None],
                source: s.format,
                thumbnail: None,
            };
            write_request(&out, &req).unwrap();
            let wt = t.elapsed();
            let c1 = cpu_secs();
            if std::env::var("EXR_BENCH_WRITE_ONLY").is_ok() {
                eprintln!("{comp}: write {wt:?} (cpu {:.2})", c1 - c0);
                let _ = std::fs::remove_file(&out);
                continue;
            }
            let t = std::time::Instant::now();
            let mut r = open(&out, None).unwrap();
            let back = r.read_image(0, 0).unwrap();
            let c2 = cpu_secs();
            eprintln!(
                "{comp}: write {wt:?} (cpu {:.2}) read {:?} (cpu {:.2}) size {}",
                c1 - c0,
                t.elapsed(),
                c2 - c1,
                std::fs::metadata(&out).unwrap().len()
            );
            if comp != "pxr24" && comp != "b44" {
                assert!(back.bytes() == px.bytes());
            }
            let _ = std::fs::remove_file(&out);
        }
    }
}

//! TIFF (and the .tx/.env/.sm/.vsm texture flavours), read and written as
//! OpenImageIO 3.2.2 does on top of libtiff.
//!
//! Reading: classic and BigTIFF, strips and tiles, contiguous and separate
//! planes, 1..64-bit integer samples (sub-byte and 10/12/14/24-bit ones are
//! rescaled to 8/16/32 bits as OIIO does), half/float/double, no
//! compression, LZW, deflate (both tags), PackBits, CCITT RLE/G3/G4, SGI
//! LogL and 32-bit LogLuv, JPEG and old-style JPEG with an embedded stream
//! (those two within a few levels of libjpeg), predictors 2 and 3,
//! min-is-black/white, palette, CMYK and YCbCr (libtiff's RGBA path, its
//! one-big-strip splitting included). Every directory is a
//! subimage, unless the first one carries a Pixar "textureformat" tag: then
//! the directories are the MIP levels of one subimage. Metadata follow
//! OIIO's reader: its TIFF and Exif tag tables as libtiff delivers them,
//! the Exif and GPS directories, IPTC, XMP and the ICC profile.
//!
//! Writing follows OIIO's writer: zip compression with a predictor by
//! default, 32-row strips or the spec's tiles, the bit depths OIIO packs
//! (oiio:BitsPerSample 1/2/4/6, 10/12/14, 24), separate planes on request,
//! ExtraSamples for alpha, the standard tags, Exif and GPS directories, XMP,
//! IPTC (with tiff:write_iptc) and the ICC profile. Strips and tiles are
//! decoded and encoded in parallel.

use super::tiff_codec as codec;
use super::tiff_meta::{self as meta, Ctx, Entry, Ifd};
use crate::{Format, IoError, Level, Reader, WriteRequest};
use rayon::prelude::*;
use std::fs::File;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;
use vfx_core::convert::{convert_bytes, Pixel};
use vfx_core::{dispatch_pixel, BaseType, ImageSpec, Interp, ParamValue, PixelData, TypeDesc, Value};

/// The registry entry.
pub static FORMAT: Format = Format {
    name: "tiff",
    extensions: &["tif", "tiff", "tx", "env", "sm", "vsm"],
    sniff,
    open: Some(open_with),
    write: Some(write_request),
    supports,
};

/// OIIO's TIFF reader and writer features (the writer's list plus the
/// reader's Exif/IPTC). MIP-mapping is the reader's alone: the writer
/// stores levels as subimages, as OIIO's does, so "mipmap" is not claimed.
pub fn supports(feature: &str) -> i32 {
    i32::from(matches!(
        feature,
        "tiles" | "multiimage" | "appendsubimage" | "alpha" | "nchannels" | "origin" | "exif" | "iptc" | "ioproxy"
    ))
}

fn sniff(head: &[u8]) -> bool {
    if head.len() < 4 {
        return false;
    }
    let magic = match &head[..2] {
        b"II" => u16::from_le_bytes([head[2], head[3]]),
        b"MM" => u16::from_be_bytes([head[2], head[3]]),
        _ => return false,
    };
    magic == 42 || magic == 43
}

// Tags.
const TAG_SUBFILETYPE: u16 = 254;
const TAG_WIDTH: u16 = 256;
const TAG_LENGTH: u16 = 257;
const TAG_BPS: u16 = 258;
const TAG_COMPRESSION: u16 = 259;
const TAG_PHOTOMETRIC: u16 = 262;
const TAG_DOCNAME: u16 = 269;
const TAG_DESCRIPTION: u16 = 270;
const TAG_MAKE: u16 = 271;
const TAG_MODEL: u16 = 272;
const TAG_STRIPOFFSETS: u16 = 273;
const TAG_ORIENTATION: u16 = 274;
const TAG_SPP: u16 = 277;
const TAG_ROWSPERSTRIP: u16 = 278;
const TAG_STRIPBYTECOUNTS: u16 = 279;
const TAG_XRES: u16 = 282;
const TAG_YRES: u16 = 283;
const TAG_PLANAR: u16 = 284;
const TAG_XPOS: u16 = 286;
const TAG_YPOS: u16 = 287;
const TAG_RESUNIT: u16 = 296;
const TAG_SOFTWARE: u16 = 305;
const TAG_DATETIME: u16 = 306;
const TAG_ARTIST: u16 = 315;
const TAG_HOST: u16 = 316;
const TAG_PREDICTOR: u16 = 317;
const TAG_COLORMAP: u16 = 320;
const TAG_TILEWIDTH: u16 = 322;
const TAG_TILELENGTH: u16 = 323;
const TAG_TILEOFFSETS: u16 = 324;
const TAG_TILEBYTECOUNTS: u16 = 325;
const TAG_INKSET: u16 = 332;
const TAG_INKNAMES: u16 = 333;
const TAG_NUMINKS: u16 = 334;
const TAG_EXTRASAMPLES: u16 = 338;
const TAG_SAMPLEFORMAT: u16 = 339;
const TAG_JPEGTABLES: u16 = 347;
const TAG_YCBCRCOEFS: u16 = 529;
const TAG_YCBCRSUBSAMPLING: u16 = 530;
const TAG_REFBW: u16 = 532;
const TAG_XMP: u16 = 700;
const TAG_FULLWIDTH: u16 = 33300;
const TAG_FULLLENGTH: u16 = 33301;
const TAG_TEXTUREFORMAT: u16 = 33302;
const TAG_WRAPMODES: u16 = 33303;
const TAG_FOVCOT: u16 = 33304;
const TAG_WORLDTOSCREEN: u16 = 33305;
const TAG_WORLDTOCAMERA: u16 = 33306;
const TAG_COPYRIGHT: u16 = 33432;
const TAG_IPTC: u16 = 33723;
const TAG_EXIFIFD: u16 = 34665;
const TAG_ICC: u16 = 34675;
const TAG_GPSIFD: u16 = 34853;

// Compression codes.
const COMP_NONE: u16 = 1;
const COMP_LZW: u16 = 5;
const COMP_OJPEG: u16 = 6;
const COMP_JPEG: u16 = 7;
const COMP_ADOBE_DEFLATE: u16 = 8;
const COMP_PACKBITS: u16 = 32773;
const COMP_DEFLATE: u16 = 32946;

// Photometric interpretations.
const PHOTO_MINISWHITE: u16 = 0;
const PHOTO_MINISBLACK: u16 = 1;
const PHOTO_RGB: u16 = 2;
const PHOTO_PALETTE: u16 = 3;
const PHOTO_MASK: u16 = 4;
const PHOTO_SEPARATED: u16 = 5;
const PHOTO_YCBCR: u16 = 6;

/// Largest number of directories followed (guards against IFD loops).
const MAX_DIRS: usize = 65536;

fn compression_name(code: u16) -> Option<&'static str> {
    Some(match code {
        1 => "none",
        5 => "lzw",
        8 | 32946 => "zip",
        2 => "ccittrle",
        3 => "ccittfax3",
        4 => "ccittfax4",
        6 => "ojpeg",
        7 => "jpeg",
        32766 => "next",
        32771 => "ccittrle2",
        32773 => "packbits",
        32809 => "thunderscan",
        32895 => "IT8CTPAD",
        32896 => "IT8LW",
        32897 => "IT8MP",
        32898 => "IT8BL",
        32908 => "pixarfilm",
        32909 => "pixarlog",
        32947 => "dcs",
        34661 => "isojbig",
        34676 => "sgilog",
        34677 => "sgilog24",
        34712 => "jp2000",
        34715 => "T85",
        34716 => "T43",
        34925 => "lzma",
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// File access

/// The file being read: positioned reads checked against its length.
struct Source {
    file: File,
    len: u64,
}

impl Source {
    fn read_at(&self, off: u64, n: usize) -> Result<Vec<u8>, IoError> {
        if off.checked_add(n as u64).is_none_or(|e| e > self.len) {
            return Err(IoError::Corrupt(format!(
                "Read error: {n} bytes at offset {off} lie beyond the end of the file"
            )));
        }
        let mut buf = vec![0u8; n];
        read_exact_at(&self.file, &mut buf, off)
            .map_err(|e| IoError::Corrupt(format!("Read error at offset {off}: {e}")))?;
        Ok(buf)
    }
}

#[cfg(unix)]
fn read_exact_at(f: &File, buf: &mut [u8], off: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    f.read_exact_at(buf, off)
}

#[cfg(not(unix))]
fn read_exact_at(f: &File, buf: &mut [u8], off: u64) -> std::io::Result<()> {
    let mut f = f.try_clone()?;
    f.seek(SeekFrom::Start(off))?;
    f.read_exact(buf)
}

/// Byte order and offset width of a file.
#[derive(Clone, Copy)]
struct Layout {
    le: bool,
    big: bool,
}

impl Layout {
    fn u16(&self, b: &[u8]) -> u16 {
        let a = [b[0], b[1]];
        if self.le {
            u16::from_le_bytes(a)
        } else {
            u16::from_be_bytes(a)
        }
    }
    fn u32(&self, b: &[u8]) -> u32 {
        let a: [u8; 4] = b[..4].try_into().unwrap();
        if self.le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        }
    }
    fn u64(&self, b: &[u8]) -> u64 {
        let a: [u8; 8] = b[..8].try_into().unwrap();
        if self.le {
            u64::from_le_bytes(a)
        } else {
            u64::from_be_bytes(a)
        }
    }
    fn off(&self, b: &[u8]) -> u64 {
        if self.big {
            self.u64(b)
        } else {
            self.u32(b) as u64
        }
    }
}

/// Read one IFD at `off`; returns it and the next IFD's offset.
fn read_ifd(src: &Source, lay: Layout, off: u64) -> Result<(Ifd, u64), IoError> {
    let (cnt_size, ent_size, off_size) = if lay.big { (8, 20, 8) } else { (2, 12, 4) };
    let head = src.read_at(off, cnt_size)?;
    let count = if lay.big { lay.u64(&head) } else { lay.u16(&head) as u64 };
    if count > 4096 {
        return Err(IoError::Corrupt(
            "Sanity check on directory count failed, this is probably not a valid IFD offset".into(),
        ));
    }
    let body = src.read_at(off + cnt_size as u64, count as usize * ent_size + off_size)?;
    let mut ifd = Ifd {
        le: lay.le,
        entries: Vec::with_capacity(count as usize),
    };
    // Entry data is bounded by the file: a directory cannot make us read
    // more than a few times the file's size however its entries overlap.
    let mut budget = src.len.saturating_mul(4).max(1 << 20);
    for i in 0..count as usize {
        let e = &body[i * ent_size..(i + 1) * ent_size];
        let tag = lay.u16(&e[0..2]);
        let typ = lay.u16(&e[2..4]);
        let n = if lay.big {
            lay.u64(&e[4..12])
        } else {
            lay.u32(&e[4..8]) as u64
        };
        let valfield = if lay.big { &e[12..20] } else { &e[8..12] };
        if ifd.entries.iter().any(|x| x.tag == tag) {
            continue; // libtiff ignores a repeated tag
        }
        let tsz = meta::type_size(typ) as u64;
        let size = tsz.saturating_mul(n);
        let data = if tsz == 0 {
            Vec::new()
        } else if size <= off_size as u64 {
            valfield[..size as usize].to_vec()
        } else {
            let at = lay.off(valfield);
            if size > budget || at.checked_add(size).is_none_or(|x| x > src.len) {
                Vec::new()
            } else {
                budget -= size;
                src.read_at(at, size as usize)?
            }
        };
        ifd.entries.push(Entry {
            tag,
            typ,
            count: n,
            data,
        });
    }
    let next = lay.off(&body[count as usize * ent_size..]);
    Ok((ifd, next))
}

// ---------------------------------------------------------------------------
// Directory interpretation

/// Everything needed to decode one directory's pixels.
#[derive(Clone, Debug)]
struct Dir {
    spec: ImageSpec,
    width: usize,
    height: usize,
    /// Samples per pixel in the file.
    spp: usize,
    bps: u32,
    compression: u16,
    photometric: u16,
    separate: bool,
    predictor: u16,
    /// Rows per strip (clamped to the height) for strip files.
    rps: usize,
    tile: Option<(usize, usize)>,
    offsets: Vec<u64>,
    counts: Vec<u64>,
    colormap: Vec<u16>,
    raw_color: bool,
    /// OIIO falls back to libtiff's RGBA reader for these (8-bit RGB).
    rgba: bool,
    convert_alpha: bool,
    jpegtables: Option<Vec<u8>>,
    /// CCITT T4Options and FillOrder 2 (bits least significant first).
    t4opts: u32,
    /// Old-style JPEG: the offset and length of a complete JPEG stream.
    ojpeg_stream: Option<(u64, u64)>,
    lsb_first: bool,
    ycbcr_sub: (usize, usize),
    ycbcr_coefs: [f32; 3],
    refbw: [f32; 6],
    le: bool,
}

/// Open-time hints OIIO's TIFF reader honours.
#[derive(Clone, Copy, Default)]
struct Config {
    keep_unassociated: bool,
    raw_color: bool,
}

fn ifd_ints(ifd: &Ifd, tag: u16) -> Vec<u64> {
    ifd.ints(tag)
        .unwrap_or_default()
        .into_iter()
        .map(|v| v as u64)
        .collect()
}

/// Whole-directory parse, following OIIO's `readspec`.
/// `base`: for MIP levels after the first of a texture, the previous
/// level's spec, whose metadata OIIO keeps (it only refreshes geometry,
/// pixel format, layout and channel roles).
fn read_dir(src: &Source, lay: Layout, ifd: Ifd, cfg: Config, base: Option<&ImageSpec>) -> Result<Dir, IoError> {
    let missing = |name: &str| IoError::Corrupt(format!("TIFF directory is missing required \"{name}\" field"));
    let width = ifd.int(TAG_WIDTH).ok_or_else(|| missing("ImageWidth"))?;
    let height = ifd.int(TAG_LENGTH).ok_or_else(|| missing("ImageLength"))?;
    let spp = ifd.int(TAG_SPP).unwrap_or(1);
    if !(0..=1 << 30).contains(&width) || !(0..=1 << 30).contains(&height) {
        return Err(IoError::Corrupt(format!(
            "tiff image resolution may not exceed 1073741824x1073741824, but the file appears to be {width}x{height}. Possible corrupt input?"
        )));
    }
    if !(1..=1 << 16).contains(&spp) || width == 0 || height == 0 {
        return Err(IoError::Corrupt(format!(
            "tiff image resolution must be at least 1x1, but the file specified {width}x{height}x1, {spp} chans. Possible corrupt input?"
        )));
    }
    let (width, height, spp) = (width as usize, height as usize, spp as usize);
    let mut spec = match base {
        Some(b) => {
            let mut s = b.clone();
            s.width = width as i32;
            s.height = height as i32;
            s.depth = 1;
            s.nchannels = spp as i32;
            s.x = 0;
            s.y = 0;
            s
        }
        None => ImageSpec::new(width as i32, height as i32, spp as i32, TypeDesc::UINT8),
    };

    // Data window origin from the position tags (in resolution units).
    let xpos = ifd.float(TAG_XPOS).unwrap_or(0.0) as f32;
    let ypos = ifd.float(TAG_YPOS).unwrap_or(0.0) as f32;
    if xpos != 0.0 || ypos != 0.0 {
        let mut xres = ifd.float(TAG_XRES).map_or(1.0, |v| v as f32);
        let mut yres = ifd.float(TAG_YRES).map_or(1.0, |v| v as f32);
        let sw = ifd.ascii(TAG_SOFTWARE).unwrap_or_default();
        if let Some(rest) = sw.strip_prefix("OpenImageIO") {
            let nums: Vec<i64> = rest
                .trim_start()
                .split(|c: char| !c.is_ascii_digit())
                .take(3)
                .filter_map(|s| s.parse().ok())
                .collect();
            if nums.len() == 3 && nums[0] * 10000 + nums[1] * 100 + nums[2] < 10803 {
                xres = 1.0;
                yres = 1.0;
            }
        }
        spec.x = (xpos * xres) as i32;
        spec.y = (ypos * yres) as i32;
    }
    spec.full_x = spec.x;
    spec.full_y = spec.y;
    spec.full_width = spec.width;
    spec.full_height = spec.height;
    if let (Some(fw), Some(fh)) = (ifd.int(TAG_FULLWIDTH), ifd.int(TAG_FULLLENGTH)) {
        if fw > 0 && fh > 0 && fw <= i32::MAX as i64 && fh <= i32::MAX as i64 {
            spec.full_width = fw as i32;
            spec.full_height = fh as i32;
            spec.full_x = 0;
            spec.full_y = 0;
        }
    }
    // libtiff treats any directory with a TileWidth as tiled (the strip
    // and tile offset tags are interchangeable).
    let tiled = ifd.get(TAG_TILEWIDTH).is_some();
    let mut tile = None;
    if tiled {
        let tw = ifd.int(TAG_TILEWIDTH).unwrap_or(0);
        let th = ifd.int(TAG_TILELENGTH).unwrap_or(0);
        if tw <= 0 || th <= 0 || tw % 16 != 0 || th % 16 != 0 || tw > 1 << 20 || th > 1 << 20 {
            return Err(IoError::Corrupt(format!("Invalid tile size {tw} x {th}")));
        }
        spec.tile_width = tw as i32;
        spec.tile_height = th as i32;
        spec.tile_depth = 1;
        tile = Some((tw as usize, th as usize));
    } else {
        spec.tile_width = 0;
        spec.tile_height = 0;
        spec.tile_depth = 0;
    }

    let bps = ifd.int(TAG_BPS).unwrap_or(1) as u32;
    spec.attribute_int("oiio:BitsPerSample", bps as i32);
    let sampleformat = ifd.int(TAG_SAMPLEFORMAT).unwrap_or(1);
    let fmt = match bps {
        1 | 2 | 4 | 6 | 8 => match sampleformat {
            2 => TypeDesc::INT8,
            _ => TypeDesc::UINT8,
        },
        10 | 12 | 14 | 16 => match sampleformat {
            1 => TypeDesc::UINT16,
            2 => TypeDesc::INT16,
            3 => TypeDesc::HALF,
            _ => TypeDesc::UNKNOWN,
        },
        24 | 32 => match sampleformat {
            3 => TypeDesc::FLOAT,
            1 => TypeDesc::UINT,
            2 => TypeDesc::INT,
            _ => TypeDesc::UNKNOWN,
        },
        64 => match sampleformat {
            3 => TypeDesc::DOUBLE,
            _ => TypeDesc::UNKNOWN,
        },
        _ => return Err(IoError::Corrupt(format!("Invalid bits per sample ({bps})"))),
    };
    if fmt.is_unknown() {
        return Err(IoError::Corrupt(format!(
            "Invalid sampleformat value ({sampleformat}) for {bps} bits per sample"
        )));
    }
    spec.set_format(fmt);

    if base.is_none() {
        meta::read_table(&mut spec, Ctx::Main, &ifd, meta::TIFF_TABLE);
        meta::read_table(&mut spec, Ctx::Main, &ifd, meta::EXIF_TABLE);
    }

    let compression = ifd.int(TAG_COMPRESSION).unwrap_or(1) as u16;
    spec.attribute_int("tiff:Compression", compression as i32);
    let default_photo = if spp == 1 { PHOTO_MINISBLACK } else { PHOTO_RGB };
    let mut photometric = ifd.int(TAG_PHOTOMETRIC).map_or(default_photo, |v| v as u16);
    spec.attribute_int("tiff:PhotometricInterpretation", photometric as i32);

    // Photometric specifics (OIIO's readspec_photometric).
    let mut raw_color = cfg.raw_color;
    let mut colormap = Vec::new();
    match photometric {
        PHOTO_SEPARATED => {
            spec.channelnames.clear();
            let inkset = ifd.int(TAG_INKSET).unwrap_or(1);
            let numinks = ifd.int(TAG_NUMINKS).unwrap_or(4) as usize;
            if inkset == 1 && spec.nchannels == 4 {
                spec.attribute_str("tiff:ColorSpace", "CMYK");
                if raw_color {
                    spec.channelnames = ["C", "M", "Y", "K"].iter().map(|s| s.to_string()).collect();
                    spec.attribute_str("oiio:ColorSpace", "CMYK");
                } else {
                    spec.nchannels = 3;
                    spec.default_channel_names();
                }
            } else {
                spec.attribute_str("tiff:ColorSpace", "color separated");
                spec.attribute_str("oiio:ColorSpace", "color separated");
                raw_color = true;
                let mut n = 0;
                if let Some(e) = ifd.get(TAG_INKNAMES) {
                    if numinks > 0 && e.data.first().is_some_and(|&c| c != 0) {
                        for name in e.data.split(|&c| c == 0).take(numinks) {
                            if name.is_empty() {
                                break;
                            }
                            spec.channelnames.push(meta::bytes_to_string(name));
                            n += 1;
                        }
                    }
                }
                for i in n..spec.nchannels as usize {
                    spec.channelnames.push(format!("ink{i}"));
                }
            }
        }
        PHOTO_YCBCR => spec.attribute_str("tiff:ColorSpace", "YCbCr"),
        8 => spec.attribute_str("tiff:ColorSpace", "CIELAB"),
        9 => spec.attribute_str("tiff:ColorSpace", "ICCLAB"),
        10 => spec.attribute_str("tiff:ColorSpace", "ITULAB"),
        32844 => spec.attribute_str("tiff:ColorSpace", "LOGL"),
        32845 => spec.attribute_str("tiff:ColorSpace", "LOGLUV"),
        PHOTO_PALETTE => {
            if bps > 16 {
                return Err(IoError::Corrupt(format!(
                    "Palette images only support <= 16 bits per sample (was {bps})"
                )));
            }
            spec.attribute_str("tiff:ColorSpace", "palette");
            let n = 1usize << bps;
            let cm = ifd_ints(&ifd, TAG_COLORMAP);
            if cm.len() < 3 * n {
                return Err(IoError::Corrupt("Missing required \"Colormap\" tag".into()));
            }
            colormap = cm[..3 * n].iter().map(|&v| v as u16).collect();
            spec.nchannels = 3;
            spec.set_format(TypeDesc::UINT8);
            spec.default_channel_names();
            if bps < 8 {
                spec.attribute_int("tiff:BitsPerSample", bps as i32);
                spec.attribute_int("oiio:BitsPerSample", 8);
            }
        }
        _ => {}
    }
    let is_jpeg = compression == COMP_JPEG || compression == COMP_OJPEG;
    let nonspectral = matches!(photometric, PHOTO_YCBCR | 8 | 9 | 10 | 32844 | 32845);
    let mut rgba = false;
    if (is_jpeg && spec.nchannels != 3) || (nonspectral && !raw_color) {
        rgba = true;
        spec.format = TypeDesc::UINT8;
        spec.channelformats.clear();
        photometric = PHOTO_RGB;
    }
    if nonspectral && !rgba {
        let cs = spec.get_string_attribute("tiff:ColorSpace", "");
        spec.attribute_str("oiio:ColorSpace", &cs);
    }

    let planar = ifd.int(TAG_PLANAR).unwrap_or(1) as u16;
    let separate = planar == 2 && spp > 1 && photometric != PHOTO_PALETTE;
    spec.attribute_int("tiff:PlanarConfiguration", planar as i32);
    spec.attribute_str("planarconfig", if planar == 2 { "separate" } else { "contig" });
    if let Some(name) = compression_name(compression) {
        spec.attribute_str("compression", name);
    }
    let predictor = match ifd.get(TAG_PREDICTOR) {
        Some(e) if e.typ == meta::T_SHORT && !e.is_empty() => e.int(ifd.le, 0) as u16,
        _ => 1,
    };

    // Chunk layout, including libtiff's splitting of one big uncompressed
    // strip into ~8 KB strips (which changes the reported RowsPerStrip).
    let (off_tag, cnt_tag) = if tile.is_some() {
        (TAG_TILEOFFSETS, TAG_TILEBYTECOUNTS)
    } else {
        (TAG_STRIPOFFSETS, TAG_STRIPBYTECOUNTS)
    };
    let alt = |a: u16, b: u16| if ifd.get(a).is_some() { a } else { b };
    let off_tag = alt(
        off_tag,
        if tile.is_some() {
            TAG_STRIPOFFSETS
        } else {
            TAG_TILEOFFSETS
        },
    );
    let cnt_tag = alt(
        cnt_tag,
        if tile.is_some() {
            TAG_STRIPBYTECOUNTS
        } else {
            TAG_TILEBYTECOUNTS
        },
    );
    if ifd.get(off_tag).is_none() {
        return Err(missing(if tile.is_some() { "TileOffsets" } else { "StripOffsets" }));
    }
    let mut offsets = ifd_ints(&ifd, off_tag);
    let mut counts = ifd_ints(&ifd, cnt_tag);
    let sub = ifd_ints(&ifd, TAG_YCBCRSUBSAMPLING);
    let ycbcr_sub = if sub.len() == 2 && [1, 2, 4].contains(&sub[0]) && [1, 2, 4].contains(&sub[1]) {
        (sub[0] as usize, sub[1] as usize)
    } else {
        (2, 2)
    };
    let file_photo = ifd.int(TAG_PHOTOMETRIC).map_or(default_photo, |v| v as u16);
    let mut rps_field: Option<u32> = ifd.int(TAG_ROWSPERSTRIP).map(|r| r as u32);
    if tile.is_none() && planar == 1 && compression == COMP_NONE && offsets.len() == 1 {
        let (rowblock, rowblockbytes) = if file_photo == PHOTO_YCBCR {
            let (sh, sv) = ycbcr_sub;
            let blocks = width.div_ceil(sh) * (sh * sv + 2);
            (sv, (blocks * bps as usize).div_ceil(8))
        } else {
            (1, (width * spp * bps as usize).div_ceil(8))
        };
        let (new_rps, stripbytes) = if rowblockbytes > 8192 {
            (rowblock, rowblockbytes)
        } else if let Some(per) = 8192usize.checked_div(rowblockbytes) {
            (per * rowblock, per * rowblockbytes)
        } else {
            (0, 0)
        };
        let cur = rps_field.unwrap_or(u32::MAX) as usize;
        if new_rps > 0 && new_rps < cur {
            let n = height.div_ceil(new_rps);
            let mut remaining = counts.first().copied().unwrap_or(0);
            let base = offsets[0];
            offsets = (0..n as u64).map(|i| base + i * stripbytes as u64).collect();
            counts = (0..n)
                .map(|_| {
                    let c = remaining.min(stripbytes as u64);
                    remaining -= c;
                    c
                })
                .collect();
            rps_field = Some(new_rps as u32);
        }
    }
    let mut rps = height;
    if tile.is_none() {
        if let Some(r) = rps_field.map(|r| r as i32).filter(|&r| r > 0) {
            spec.attribute_int("tiff:RowsPerStrip", r);
            rps = (r as usize).min(height);
            if rps > 1 {
                spec.attribute_int("oiio:RowsPerChunk", rps as i32);
            }
        }
    }

    // Alpha and other extra channels.
    let mut unassociated = false;
    if let Some(e) = ifd.get(TAG_EXTRASAMPLES).filter(|e| !e.is_empty()) {
        let info = e.ints(ifd.le);
        let colorchannels = if matches!(
            photometric,
            PHOTO_MINISWHITE | PHOTO_MINISBLACK | PHOTO_PALETTE | PHOTO_MASK
        ) {
            1
        } else {
            3
        };
        for (c, &s) in (colorchannels..spp).zip(info.iter()) {
            match s {
                1 => spec.alpha_channel = c as i32,
                2 => {
                    spec.alpha_channel = c as i32;
                    unassociated = true;
                    if cfg.keep_unassociated {
                        spec.attribute_int("oiio:UnassociatedAlpha", 1);
                    }
                }
                _ => {
                    if spec.alpha_channel == c as i32 {
                        if let Some(n) = spec.channelnames.get_mut(c) {
                            *n = format!("channel{c}");
                        }
                        spec.alpha_channel = -1;
                    }
                }
            }
        }
        if photometric == PHOTO_SEPARATED {
            spec.alpha_channel = -1;
        }
        if spec.alpha_channel >= 0 && spec.alpha_channel < spec.nchannels {
            while spec.channelnames.len() < spec.nchannels as usize {
                let n = spec.nchannels;
                spec.channelnames.push(format!("channel{n}"));
            }
            spec.channelnames[spec.alpha_channel as usize] = "A".into();
            if spec.nchannels == 2 && spec.alpha_channel == 1 {
                spec.channelnames[0] = "Y".into();
            }
        }
    }
    if unassociated {
        spec.attribute_int("tiff:UnassociatedAlpha", 1);
    }
    let convert_alpha = spec.alpha_channel >= 0 && unassociated && !cfg.keep_unassociated;

    if base.is_none() {
        read_metadata(src, lay, &ifd, &mut spec);
    }
    let coefs = ifd
        .get(TAG_YCBCRCOEFS)
        .filter(|e| e.len() >= 3)
        .map(|e| {
            [
                e.float(ifd.le, 0) as f32,
                e.float(ifd.le, 1) as f32,
                e.float(ifd.le, 2) as f32,
            ]
        })
        .unwrap_or([0.299, 0.587, 0.114]);
    let refbw = ifd
        .get(TAG_REFBW)
        .filter(|e| e.len() >= 6)
        .map(|e| {
            let mut r = [0f32; 6];
            for (i, v) in r.iter_mut().enumerate() {
                *v = e.float(ifd.le, i) as f32;
            }
            r
        })
        .unwrap_or([0.0, 255.0, 128.0, 255.0, 128.0, 255.0]);
    let jpegtables = ifd
        .get(TAG_JPEGTABLES)
        .map(|e| e.data.clone())
        .filter(|d| !d.is_empty());

    Ok(Dir {
        spec,
        width,
        height,
        spp,
        bps,
        compression,
        photometric,
        separate,
        predictor,
        rps: rps.max(1),
        tile,
        offsets,
        counts,
        colormap,
        raw_color,
        rgba,
        convert_alpha,
        jpegtables,
        t4opts: ifd.int(292).unwrap_or(0) as u32,
        ojpeg_stream: ifd.int(513).zip(ifd.int(514)).map(|(o, l)| (o as u64, l as u64)),
        lsb_first: ifd.int(266) == Some(2),
        ycbcr_sub,
        ycbcr_coefs: coefs,
        refbw,
        le: ifd.le,
    })
}

/// The metadata OIIO reads only for a directory's first visit: resolution,
/// Pixar matrices, ICC, Exif/GPS, IPTC, XMP and the description hints.
fn read_metadata(src: &Source, lay: Layout, ifd: &Ifd, spec: &mut ImageSpec) {
    match ifd.int(TAG_RESUNIT) {
        Some(1) => spec.attribute_str("ResolutionUnit", "none"),
        Some(2) => spec.attribute_str("ResolutionUnit", "in"),
        Some(3) => spec.attribute_str("ResolutionUnit", "cm"),
        _ => {}
    }
    let xd = spec.get_float_attribute("XResolution", 0.0);
    let yd = spec.get_float_attribute("YResolution", 0.0);
    if xd != 0.0 && yd != 0.0 {
        spec.attribute_float("PixelAspectRatio", yd / xd);
    }
    meta::read_extras(spec, ifd);

    if let Some(tf) = ifd.get(TAG_TEXTUREFORMAT) {
        if tf.ascii() == "Shadow" {
            for n in spec.channelnames.iter_mut() {
                *n = "z".into();
            }
        }
    }

    if let Some(e) = ifd.get(TAG_ICC).filter(|e| !e.data.is_empty()) {
        let v: Vec<Value> = e.data.iter().map(|&b| Value::Int(b as i64)).collect();
        let t = TypeDesc::new(
            BaseType::UInt8,
            vfx_core::Aggregate::Scalar,
            vfx_core::VecSemantics::NoXform,
            e.data.len() as i32,
        );
        if let Some(p) = ParamValue::from_values("ICCProfile", t, 1, Interp::Constant, &v) {
            spec.attribute(p);
        }
        let icc = e.data.clone();
        let _ = meta::decode_icc(&icc, spec);
    }

    // Exif and GPS directories.
    if let Some(off) = ifd.int(TAG_EXIFIFD) {
        if let Ok((exif, _)) = read_ifd(src, lay, off as u64) {
            meta::read_table(spec, Ctx::Exif, &exif, meta::EXIF_TABLE);
            if spec.get_int_attribute("Exif:ColorSpace", 0) != 0xffff {
                spec.attribute_str("oiio:ColorSpace", "srgb_rec709_scene");
            }
        }
    }
    if let Some(off) = ifd.int(TAG_GPSIFD) {
        if let Ok((gps, _)) = read_ifd(src, lay, off as u64) {
            meta::read_table(spec, Ctx::Exif, &gps, meta::GPS_TABLE);
        }
    }

    if let Some(e) = ifd.get(TAG_IPTC).filter(|e| !e.data.is_empty()) {
        let mut data = e.data.clone();
        if e.typ == meta::T_LONG && ifd.le != cfg!(target_endian = "little") {
            codec::swab(&mut data, 4);
        }
        meta::decode_iptc(&data, spec);
    }
    if let Some(e) = ifd
        .get(TAG_XMP)
        .filter(|e| !e.data.is_empty() && meta::type_size(e.typ) == 1)
    {
        let data = e.data.clone();
        meta::decode_xmp(&data, spec);
    }

    if spec.get_string_attribute("Software", "") == spec.get_string_attribute("IPTC:OriginatingProgram", "") {
        spec.erase_attribute("IPTC:OriginatingProgram", TypeDesc::UNKNOWN, false);
    }
    let mut desc = spec.get_string_attribute("ImageDescription", "");
    if desc == spec.get_string_attribute("IPTC:Caption", "") {
        spec.erase_attribute("IPTC:Caption", TypeDesc::UNKNOWN, false);
    }
    let mut updated = false;
    let cc = excise_after(&mut desc, "oiio:ConstantColor=");
    if !cc.is_empty() {
        spec.attribute_str("oiio:ConstantColor", &cc);
        updated = true;
    }
    let ac = excise_after(&mut desc, "oiio:AverageColor=");
    if !ac.is_empty() {
        spec.attribute_str("oiio:AverageColor", &ac);
        updated = true;
    }
    let mut sha = excise_after(&mut desc, "oiio:SHA-1=");
    if sha.is_empty() {
        sha = excise_after(&mut desc, "SHA-1=");
    }
    if !sha.is_empty() {
        spec.attribute_str("oiio:SHA-1", &sha);
        updated = true;
    }
    let handed = excise_after(&mut desc, "oiio:handed=");
    if handed == "left" || handed == "right" {
        spec.attribute_str("handed", &handed);
        updated = true;
    }
    if updated {
        if desc
            .trim_start_matches([' ', '\t', '\n', '\r', '\x0b', '\x0c'])
            .is_empty()
        {
            spec.erase_attribute("ImageDescription", TypeDesc::UNKNOWN, false);
        } else {
            spec.attribute_str("ImageDescription", &desc);
        }
    }
    // OIIO's texture-metadata sanity check (its erase of the colour hints
    // misspells their names, so only the hash is ever dropped).
    let software = spec.get_string_attribute("Software", "");
    let texfmt = spec.get_string_attribute("textureformat", "");
    let lower = software.to_ascii_lowercase();
    if texfmt.is_empty() || spec.tile_width == 0 || !(lower.starts_with("openimageio") || lower.starts_with("maketx")) {
        spec.erase_attribute("oiio:SHA-1", TypeDesc::UNKNOWN, false);
    }
}

/// OIIO's `Strutil::excise_string_after_head`: remove `head` and the word
/// after it from `s`, returning the word.
fn excise_after(s: &mut String, head: &str) -> String {
    let Some(start) = s.find(head) else {
        return String::new();
    };
    let rest = &s[start + head.len()..];
    let len = rest.find([' ', '\t', '\r', '\n']).unwrap_or(rest.len());
    let word = rest[..len].to_string();
    // The whitespace after the word goes too.
    let ws = rest[len..].len() - rest[len..].trim_start_matches([' ', '\t', '\r', '\n']).len();
    s.replace_range(start..start + head.len() + len + ws, "");
    word
}

// ---------------------------------------------------------------------------
// Reader

pub struct TiffReader {
    src: Source,
    dirs: Vec<Dir>,
    /// The file is a texture: directories are MIP levels of subimage 0.
    emulate_mip: bool,
}

fn open_with(path: &Path, config: Option<&ImageSpec>) -> Result<Box<dyn Reader>, IoError> {
    let cfg = Config {
        keep_unassociated: config.is_some_and(|c| c.get_int_attribute("oiio:UnassociatedAlpha", 0) == 1),
        raw_color: config.is_some_and(|c| c.get_int_attribute("oiio:RawColor", 0) == 1),
    };
    Ok(Box::new(TiffReader::open(path, cfg)?))
}

impl TiffReader {
    fn open(path: &Path, cfg: Config) -> Result<TiffReader, IoError> {
        let mut file = File::open(path).map_err(|e| IoError::Open(crate::registry::open_error(path, &e)))?;
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut head = [0u8; 16];
        let n = file.read(&mut head).unwrap_or(0);
        let fail = |m: &str| IoError::Open(format!("Could not open file: {m}"));
        if n < 2 {
            return Err(fail("Cannot read TIFF header"));
        }
        if !matches!(&head[..2], b"II" | b"MM") {
            let m = u16::from_le_bytes([head[0], head[1]]);
            return Err(fail(&format!("Not a TIFF or MDI file, bad magic number {m} (0x{m:x})")));
        }
        if n < 8 {
            return Err(fail("Cannot read TIFF header"));
        }
        if !sniff(&head) {
            return Err(fail("Not a TIFF file, bad version number"));
        }
        let le = &head[..2] == b"II";
        let lay0 = Layout { le, big: false };
        let big = lay0.u16(&head[2..4]) == 43;
        let lay = Layout { le, big };
        let first = if big {
            if n < 16 {
                return Err(fail("Cannot read TIFF header"));
            }
            lay.u64(&head[8..16])
        } else {
            lay.u32(&head[4..8]) as u64
        };
        let src = Source { file, len };
        let mut dirs = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut off = first;
        let mut first_err = None;
        let mut emulate = false;
        while off != 0 && dirs.len() < MAX_DIRS && seen.insert(off) {
            // In a texture, later levels inherit the first level's metadata.
            let base = dirs.last().filter(|_| emulate).map(|d: &Dir| d.spec.clone());
            let parsed = read_ifd(&src, lay, off)
                .map_err(|_| IoError::Corrupt(format!("Failed to read directory at offset {off}")))
                .and_then(|(ifd, next)| Ok((read_dir(&src, lay, ifd, cfg, base.as_ref())?, next)));
            match parsed {
                Ok((d, next)) => {
                    if dirs.is_empty() {
                        emulate = d
                            .spec
                            .find_attribute("textureformat", TypeDesc::UNKNOWN, false)
                            .is_some();
                    }
                    dirs.push(d);
                    off = next;
                }
                Err(e) => {
                    first_err = Some(e);
                    break;
                }
            }
        }
        if dirs.is_empty() {
            return Err(match first_err {
                Some(IoError::Corrupt(m)) | Some(IoError::Open(m)) => {
                    IoError::Open(format!("Could not open file: {}", m))
                }
                Some(e) => e,
                None => IoError::Open(format!("Could not open file: {}: no image directory", path.display())),
            });
        }
        let emulate_mip = emulate;
        if emulate_mip && dirs.len() > 1 {
            let n = dirs.len() as i32;
            for d in dirs.iter_mut() {
                d.spec.attribute_int("oiio:miplevels", n);
            }
        }
        Ok(TiffReader { src, dirs, emulate_mip })
    }

    fn dir_index(&self, subimage: usize, miplevel: usize) -> Option<usize> {
        let i = if self.emulate_mip {
            if subimage != 0 {
                return None;
            }
            miplevel
        } else {
            if miplevel != 0 {
                return None;
            }
            subimage
        };
        (i < self.dirs.len()).then_some(i)
    }
}

impl Reader for TiffReader {
    fn format_name(&self) -> &'static str {
        "tiff"
    }

    fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        self.dir_index(subimage, miplevel).map(|i| self.dirs[i].spec.clone())
    }

    fn read_image(&mut self, subimage: usize, miplevel: usize) -> Result<PixelData, IoError> {
        let i = self
            .dir_index(subimage, miplevel)
            .ok_or_else(|| IoError::Corrupt(format!("could not seek to subimage {subimage} miplevel {miplevel}")))?;
        decode_dir(&self.src, &self.dirs[i])
    }
}

/// How a directory's chunks tile the image.
struct Grid {
    cw: usize,
    ch: usize,
    across: usize,
    down: usize,
    planes: usize,
    /// Samples per pixel inside one chunk.
    spc: usize,
}

impl Grid {
    fn of(d: &Dir) -> Grid {
        let (cw, ch) = d.tile.unwrap_or((d.width, d.rps));
        let planes = if d.separate { d.spp } else { 1 };
        Grid {
            cw,
            ch,
            across: d.width.div_ceil(cw),
            down: d.height.div_ceil(ch),
            planes,
            spc: if d.separate { 1 } else { d.spp },
        }
    }
    fn index(&self, plane: usize, row: usize, col: usize) -> usize {
        plane * self.across * self.down + row * self.across + col
    }
    /// Rows stored in chunk row `r` (full tiles; the last strip is short).
    fn rows(&self, d: &Dir, r: usize) -> usize {
        if d.tile.is_some() {
            self.ch
        } else {
            self.ch.min(d.height - r * self.ch)
        }
    }
    fn row_bytes(&self, bps: u32) -> usize {
        (self.cw * self.spc * bps as usize).div_ceil(8)
    }
}

/// Read one chunk's compressed bytes.
fn chunk_bytes(src: &Source, d: &Dir, k: usize) -> Result<Vec<u8>, IoError> {
    let off = *d
        .offsets
        .get(k)
        .ok_or_else(|| IoError::Corrupt(format!("Chunk {k} is missing from the offsets table")))?;
    let mut cnt = match d.counts.get(k) {
        Some(&c) => c,
        None if d.compression == COMP_NONE => u64::MAX,
        None => {
            return Err(IoError::Corrupt(format!(
                "Chunk {k} is missing from the byte-count table"
            )))
        }
    };
    if d.compression == COMP_NONE {
        // Uncompressed data never needs more than the chunk's size.
        let g = Grid::of(d);
        let want = (g.row_bytes(d.bps) * g.ch) as u64;
        cnt = cnt.min(want);
    }
    if off >= src.len {
        return Err(IoError::Corrupt(format!(
            "Read error on strip/tile {k}: offset beyond end of file"
        )));
    }
    let cnt = cnt.min(src.len - off);
    src.read_at(off, cnt as usize)
}

/// Decompress one chunk into `out` (exactly the chunk's decoded size) and
/// undo byte order and predictor, leaving native-order samples of `bps`.
fn decode_chunk(d: &Dir, raw: &[u8], out: &mut [u8], width: usize, spc: usize) -> Result<(), IoError> {
    let err = |m: String| IoError::Corrupt(m);
    match d.compression {
        COMP_NONE => {
            if raw.len() < out.len() {
                return Err(err(format!(
                    "Read error on strip; got {} bytes, expected {}",
                    raw.len(),
                    out.len()
                )));
            }
            out.copy_from_slice(&raw[..out.len()]);
        }
        COMP_LZW => codec::lzw_decode(raw, out).map_err(err)?,
        COMP_ADOBE_DEFLATE | COMP_DEFLATE => codec::inflate(raw, out).map_err(err)?,
        COMP_PACKBITS => codec::packbits_decode(raw, out).map_err(err)?,
        2..=4 if d.bps == 1 && spc == 1 => {
            let rows = out.len() / width.div_ceil(8).max(1);
            super::tiff_ccitt::decode(raw, out, width, rows, d.compression, d.t4opts, d.lsb_first).map_err(err)?
        }
        c => {
            return Err(IoError::Unsupported(format!(
                "Compression scheme {} ({c}) is not supported for reading",
                compression_name(c).unwrap_or("unknown")
            )))
        }
    }
    let bytes = (d.bps / 8) as usize;
    let native_le = cfg!(target_endian = "little");
    if d.predictor == 3 {
        if !matches!(d.bps, 16 | 24 | 32 | 64) {
            return Err(err(format!(
                "Floating point \"Predictor\" not supported with {} data format",
                d.bps
            )));
        }
        codec::float_undo(out, bytes, width, spc);
        return Ok(());
    }
    if d.le != native_le && matches!(d.bps, 16 | 24 | 32 | 64) {
        codec::swab(out, bytes);
    }
    if d.predictor == 2 {
        if !matches!(d.bps, 8 | 16 | 32 | 64) {
            return Err(err(format!(
                "Horizontal differencing \"Predictor\" not supported with {}-bit samples",
                d.bps
            )));
        }
        codec::horizontal_undo(out, bytes, width, spc);
    }
    Ok(())
}

/// Decode the whole image of a directory.
fn decode_dir(src: &Source, d: &Dir) -> Result<PixelData, IoError> {
    if d.rgba || d.compression == COMP_JPEG || d.compression == COMP_OJPEG {
        return decode_rgba(src, d);
    }
    let spec = &d.spec;
    let fs = spec.format.size();
    let nch = spec.nchannels as usize;
    let g = Grid::of(d);
    let nchunks = g.planes.saturating_mul(g.across).saturating_mul(g.down);
    if d.offsets.len() < nchunks {
        return Err(IoError::Corrupt(format!(
            "The file has {} strips/tiles, {} are needed",
            d.offsets.len(),
            nchunks
        )));
    }
    // A decompression bomb guard: the decoded size must be explainable by
    // the compressed bytes present in the file.
    let total_in: u64 = (0..nchunks)
        .map(|k| d.counts.get(k).copied().unwrap_or(0).min(src.len))
        .fold(0u64, |a, b| a.saturating_add(b))
        .min(src.len);
    // Uncompressed strips without byte counts: libtiff trusts the layout.
    let total_in = if d.counts.is_empty() && d.compression == COMP_NONE {
        src.len
    } else {
        total_in
    };
    let out_bytes = (d.width as u64)
        .saturating_mul(d.height as u64)
        .saturating_mul(nch as u64)
        .saturating_mul(fs as u64);
    // Worst-case expansion per codec (sub-byte samples widen 8x more).
    let ratio = match d.compression {
        COMP_NONE => 64,
        COMP_PACKBITS => 1024,
        COMP_ADOBE_DEFLATE | COMP_DEFLATE => 8448,
        COMP_LZW => 24576,
        2..=4 => 1 << 17,
        _ => 8192,
    };
    if out_bytes > total_in.saturating_mul(ratio).saturating_add(1 << 20) {
        return Err(IoError::Corrupt(format!(
            "tiff header claims a {} MB image from {} bytes of pixel data; probably a corrupt or malicious header",
            out_bytes >> 20,
            total_in
        )));
    }
    let mut out = PixelData::zeroed(out_bytes as usize).map_err(|e| IoError::Corrupt(e.to_string()))?;
    let row_out = d.width * nch * fs;
    let band = row_out * g.ch;
    let in_fs = if d.photometric == PHOTO_PALETTE { 2 } else { fs };
    // Direct path: strips whose decoded bytes are exactly the output rows.
    let direct = d.tile.is_none()
        && !d.separate
        && d.photometric != PHOTO_PALETTE
        && (d.photometric != PHOTO_SEPARATED || d.raw_color)
        && d.bps as usize == fs * 8
        && d.spp == nch;
    out.bytes_mut()
        .par_chunks_mut(band)
        .enumerate()
        .try_for_each(|(r, dst)| -> Result<(), IoError> {
            let rows_here = dst.len() / row_out;
            if direct {
                let raw = chunk_bytes(src, d, g.index(0, r, 0))?;
                decode_chunk(d, &raw, dst, d.width, d.spp)?;
            } else {
                // Samples for this band, interleaved, file channels.
                let mut blk = vec![0u8; d.width * rows_here * d.spp * in_fs];
                let crow = g.rows(d, r);
                let rb = g.row_bytes(d.bps);
                let mut cbuf = vec![0u8; rb * crow];
                let mut conv = vec![0u8; g.cw * crow * g.spc * in_fs];
                for p in 0..g.planes {
                    for c in 0..g.across {
                        let raw = chunk_bytes(src, d, g.index(p, r, c))?;
                        decode_chunk(d, &raw, &mut cbuf, g.cw, g.spc)?;
                        let samples = unpack(d, &cbuf, &mut conv, crow, g.cw * g.spc, rb, fs);
                        // Scatter into the band.
                        let x0 = c * g.cw;
                        let w = g.cw.min(d.width - x0);
                        let ss = in_fs;
                        for y in 0..rows_here.min(crow) {
                            for x in 0..w {
                                let sidx = (y * g.cw + x) * g.spc;
                                let didx = (y * d.width + x0 + x) * d.spp + p;
                                for s in 0..g.spc {
                                    let so = (sidx + s) * ss;
                                    let doff = (didx + s) * ss;
                                    blk[doff..doff + ss].copy_from_slice(&samples[so..so + ss]);
                                }
                            }
                        }
                    }
                }
                finish_band(d, &blk, dst, rows_here)?;
            }
            if d.photometric == PHOTO_MINISWHITE && spec.format == TypeDesc::UINT8 {
                for v in dst.iter_mut() {
                    *v = 255 - *v;
                }
            }
            Ok(())
        })?;
    if d.convert_alpha {
        premultiply(spec, out.bytes_mut());
    }
    Ok(out)
}

/// Turn decoded chunk bytes into whole samples of the output size:
/// sub-byte and odd bit depths are rescaled as OIIO does; palette indices
/// become 16-bit values. Returns the buffer holding them.
fn unpack<'a>(d: &Dir, cbuf: &'a [u8], conv: &'a mut [u8], rows: usize, vals: usize, rb: usize, fs: usize) -> &'a [u8] {
    if d.photometric == PHOTO_PALETTE {
        for y in 0..rows {
            let row = &cbuf[y * rb..(y + 1) * rb];
            for x in 0..vals {
                let idx = match d.bps {
                    16 => u16::from_ne_bytes([row[2 * x], row[2 * x + 1]]),
                    8 => row[x] as u16,
                    b => {
                        let per = 8 / b as usize;
                        let byte = row[x / per];
                        let shift = b as usize * (per - 1 - x % per);
                        ((byte >> shift) as u16) & ((1u16 << b) - 1)
                    }
                };
                let o = (y * vals + x) * 2;
                conv[o..o + 2].copy_from_slice(&idx.to_ne_bytes());
            }
        }
        return conv;
    }
    if d.bps as usize == fs * 8 {
        return cbuf;
    }
    let outbits = (fs * 8) as u32;
    for y in 0..rows {
        codec::bit_convert(
            vals,
            &cbuf[y * rb..(y + 1) * rb],
            d.bps,
            &mut conv[y * vals * fs..(y + 1) * vals * fs],
            outbits,
        );
    }
    conv
}

/// From a band of file-channel samples to output pixels: palette lookup,
/// CMYK to RGB, or a plain copy.
fn finish_band(d: &Dir, blk: &[u8], dst: &mut [u8], rows: usize) -> Result<(), IoError> {
    let npix = d.width * rows;
    if d.photometric == PHOTO_PALETTE {
        let n = 1usize << d.bps;
        let hi = n - 1;
        for i in 0..npix {
            let idx = (u16::from_ne_bytes([blk[2 * i], blk[2 * i + 1]]) as usize) & hi;
            for c in 0..3 {
                dst[3 * i + c] = (d.colormap[c * n + idx] / 257) as u8;
            }
        }
        return Ok(());
    }
    if d.photometric == PHOTO_SEPARATED && !d.raw_color {
        let fmt = d.spec.format;
        let nch = d.spec.nchannels as usize;
        fn cmyk<T: Pixel>(src: &[T], dst: &mut [T], spp: usize, nch: usize) {
            for (s, o) in src.chunks_exact(spp).zip(dst.chunks_exact_mut(nch)) {
                let k = 1.0 - s[3].to_f32();
                o[0] = T::from_f32_scalar((1.0 - s[0].to_f32()) * k);
                o[1] = T::from_f32_scalar((1.0 - s[1].to_f32()) * k);
                o[2] = T::from_f32_scalar((1.0 - s[2].to_f32()) * k);
            }
        }
        if fmt == TypeDesc::UINT8 {
            cmyk::<u8>(blk, dst, d.spp, nch);
        } else if fmt == TypeDesc::UINT16 {
            let s: Vec<u16> = bytemuck::pod_collect_to_vec(blk);
            let mut o = vec![0u16; dst.len() / 2];
            cmyk::<u16>(&s, &mut o, d.spp, nch);
            dst.copy_from_slice(bytemuck::cast_slice(&o));
        } else {
            return Err(IoError::Unsupported("CMYK only supported for UINT8, UINT16".into()));
        }
        return Ok(());
    }
    let n = dst.len().min(blk.len());
    dst[..n].copy_from_slice(&blk[..n]);
    Ok(())
}

/// Multiply colour channels by alpha (OIIO delivers associated alpha).
fn premultiply(spec: &ImageSpec, data: &mut [u8]) {
    let nch = spec.nchannels as usize;
    let a = spec.alpha_channel as usize;
    let z = spec.z_channel;
    fn run<T: Pixel>(data: &mut [T], nch: usize, a: usize, z: i32) {
        data.par_chunks_mut(nch * 4096).for_each(|chunk| {
            for px in chunk.chunks_exact_mut(nch) {
                let alpha = px[a].to_f32();
                for (c, v) in px.iter_mut().enumerate() {
                    if c != a && c as i32 != z {
                        *v = T::from_f32_scalar(v.to_f32() * alpha);
                    }
                }
            }
        });
    }
    dispatch_pixel!(spec.format.basetype, T => {
        if let Ok(v) = bytemuck::try_cast_slice_mut::<u8, T>(data) {
            run::<T>(v, nch, a, z);
        }
    }, _ => {});
}

// ---------------------------------------------------------------------------
// libtiff's RGBA path (YCbCr, JPEG and other non-RGB photometrics)

/// libtiff's fixed-point YCbCr to RGB tables (`TIFFYCbCrToRGBInit`).
struct YccTables {
    cr_r: Vec<i32>,
    cb_b: Vec<i32>,
    cr_g: Vec<i32>,
    cb_g: Vec<i32>,
    y: Vec<i32>,
}

impl YccTables {
    fn new(luma: [f32; 3], refbw: [f32; 6]) -> YccTables {
        const SHIFT: i32 = 16;
        let fix = |x: f32| (x * (1i64 << SHIFT) as f32 + 0.5) as i32;
        let half = 1i32 << (SHIFT - 1);
        let (lr, lg, lb) = (luma[0], luma[1], luma[2]);
        let f1 = 2.0 - 2.0 * lr;
        let d1 = fix(f1.clamp(0.0, 2.0));
        let f2 = lr * f1 / lg;
        let d2 = -fix(f2.clamp(0.0, 2.0));
        let f3 = 2.0 - 2.0 * lb;
        let d3 = fix(f3.clamp(0.0, 2.0));
        let f4 = lb * f3 / lg;
        let d4 = -fix(f4.clamp(0.0, 2.0));
        let code2v = |c: i32, rb: f32, rw: f32, cr: f32| -> f32 {
            let den = if rw - rb != 0.0 { rw - rb } else { 1.0 };
            ((c as f32 - rb) * cr) / den
        };
        let mut t = YccTables {
            cr_r: vec![0; 256],
            cb_b: vec![0; 256],
            cr_g: vec![0; 256],
            cb_g: vec![0; 256],
            y: vec![0; 256],
        };
        for i in 0..256i32 {
            let x = i - 128;
            let cr = code2v(x, refbw[4] - 128.0, refbw[5] - 128.0, 127.0);
            let cb = code2v(x, refbw[2] - 128.0, refbw[3] - 128.0, 127.0);
            t.cr_r[i as usize] = ((d1 as f32 * cr + half as f32) as i32) >> SHIFT;
            t.cb_b[i as usize] = ((d3 as f32 * cb + half as f32) as i32) >> SHIFT;
            t.cr_g[i as usize] = (d2 as f32 * cr) as i32;
            t.cb_g[i as usize] = (d4 as f32 * cb) as i32 + half;
            t.y[i as usize] = code2v(x + 128, refbw[0], refbw[1], 255.0) as i32;
        }
        t
    }
    fn rgb(&self, y: u8, cb: u8, cr: u8) -> [u8; 3] {
        let yv = self.y[y as usize];
        let r = yv + self.cr_r[cr as usize];
        let g = yv + ((self.cb_g[cb as usize] + self.cr_g[cr as usize]) >> 16);
        let b = yv + self.cb_b[cb as usize];
        [r.clamp(0, 255) as u8, g.clamp(0, 255) as u8, b.clamp(0, 255) as u8]
    }
}

/// Decode a JPEG strip/tile to interleaved 8-bit samples.
fn decode_jpeg(d: &Dir, raw: &[u8]) -> Result<(Vec<u8>, usize, usize, usize), IoError> {
    let mut stream = Vec::with_capacity(raw.len() + d.jpegtables.as_ref().map_or(0, |t| t.len()));
    if let Some(t) = &d.jpegtables {
        // Tables-only stream without its EOI, then the data without SOI.
        let end = if t.ends_with(&[0xff, 0xd9]) {
            t.len() - 2
        } else {
            t.len()
        };
        stream.extend_from_slice(&t[..end]);
        stream.extend_from_slice(raw.strip_prefix(&[0xff, 0xd8]).unwrap_or(raw));
    } else {
        stream.extend_from_slice(raw);
    }
    let mut dec = jpeg_decoder::Decoder::new(std::io::Cursor::new(&stream));
    if d.spec.get_int_attribute("tiff:PhotometricInterpretation", 2) as u16 == PHOTO_RGB {
        // RGB data stored as JPEG: no colour transform.
        dec.set_color_transform(jpeg_decoder::ColorTransform::RGB);
    }
    let px = jpeg_decode(&mut dec, stream.len())?;
    let info = dec
        .info()
        .ok_or_else(|| IoError::Corrupt("JPEG decoding failed".into()))?;
    let comps = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => 1,
        jpeg_decoder::PixelFormat::RGB24 => 3,
        jpeg_decoder::PixelFormat::CMYK32 => 4,
        _ => return Err(IoError::Unsupported("Unsupported JPEG pixel format in TIFF".into())),
    };
    Ok((px, info.width as usize, info.height as usize, comps))
}

/// The RGBA fallback: 8-bit RGB(A) as libtiff's RGBA interface delivers.
fn decode_rgba(src: &Source, d: &Dir) -> Result<PixelData, IoError> {
    let nch = d.spec.nchannels as usize;
    let (w, h) = (d.width, d.height);
    let photo_file = d.spec.get_int_attribute("tiff:PhotometricInterpretation", 2) as u16;
    if d.compression == COMP_OJPEG {
        return decode_ojpeg(src, d);
    }
    let is_jpeg = d.compression == COMP_JPEG;
    let sgilog = d.compression == 34676 && matches!(photo_file, 32844 | 32845) && !d.separate;
    if !is_jpeg && !sgilog && photo_file != PHOTO_YCBCR {
        return Err(IoError::Unsupported(format!(
            "No support for this flavor of TIFF file (photometric {photo_file}, compression {})",
            d.compression
        )));
    }
    if d.bps != 8 && !sgilog {
        return Err(IoError::Unsupported(format!(
            "Sorry, can not handle {}-bit YCbCr data",
            d.bps
        )));
    }
    let g = Grid::of(d);
    let nchunks = g.planes.saturating_mul(g.across).saturating_mul(g.down);
    if d.offsets.len() < nchunks {
        return Err(IoError::Corrupt("Missing strips or tiles".into()));
    }
    let out_bytes = w.saturating_mul(h).saturating_mul(nch);
    let total_in: u64 = d
        .counts
        .iter()
        .take(nchunks)
        .fold(0u64, |a, &c| a.saturating_add(c.min(src.len)))
        .min(src.len);
    if out_bytes as u64 > total_in.saturating_mul(8192).saturating_add(1 << 20) {
        return Err(IoError::Corrupt(
            "tiff header claims more pixels than the file holds".into(),
        ));
    }
    let tables = YccTables::new(d.ycbcr_coefs, d.refbw);
    let mut out = PixelData::zeroed(out_bytes).map_err(|e| IoError::Corrupt(e.to_string()))?;
    let row_out = w * nch;
    out.bytes_mut()
        .par_chunks_mut(row_out * g.ch)
        .enumerate()
        .try_for_each(|(r, dst)| -> Result<(), IoError> {
            let rows_here = dst.len() / row_out;
            for c in 0..g.across {
                let raw = chunk_bytes(src, d, g.index(0, r, c))?;
                let crow = g.rows(d, r);
                // Chunk pixels as RGB (or grey) 8-bit, cw x crow.
                let (rgb, comps) = if sgilog {
                    let comps = if photo_file == 32844 { 1 } else { 3 };
                    let mut buf = vec![0u8; g.cw * crow * comps];
                    codec::sgilog_decode(&raw, g.cw, crow, comps, &mut buf).map_err(IoError::Corrupt)?;
                    (buf, comps)
                } else if is_jpeg {
                    let (px, jw, jh, comps) = decode_jpeg(d, &raw)?;
                    let mut buf = vec![0u8; g.cw * crow * comps];
                    for y in 0..crow.min(jh) {
                        let n = g.cw.min(jw) * comps;
                        buf[y * g.cw * comps..y * g.cw * comps + n]
                            .copy_from_slice(&px[y * jw * comps..y * jw * comps + n]);
                    }
                    (buf, comps)
                } else {
                    let (sh, sv) = d.ycbcr_sub;
                    let bw = g.cw.div_ceil(sh);
                    let bh = crow.div_ceil(sv);
                    let unit = sh * sv + 2;
                    let mut dec = vec![0u8; bw * bh * unit];
                    decode_raw_only(d, &raw, &mut dec)?;
                    let mut buf = vec![0u8; g.cw * crow * 3];
                    for by in 0..bh {
                        for bx in 0..bw {
                            let b = &dec[(by * bw + bx) * unit..(by * bw + bx + 1) * unit];
                            let (cb, cr) = (b[sh * sv], b[sh * sv + 1]);
                            for j in 0..sv {
                                for i in 0..sh {
                                    let (x, y) = (bx * sh + i, by * sv + j);
                                    if x < g.cw && y < crow {
                                        let p = tables.rgb(b[j * sh + i], cb, cr);
                                        buf[(y * g.cw + x) * 3..(y * g.cw + x) * 3 + 3].copy_from_slice(&p);
                                    }
                                }
                            }
                        }
                    }
                    (buf, 3)
                };
                let x0 = c * g.cw;
                let wc = g.cw.min(w - x0);
                for y in 0..rows_here.min(crow) {
                    for x in 0..wc {
                        let s = &rgb[(y * g.cw + x) * comps..(y * g.cw + x) * comps + comps];
                        let o = (y * w + x0 + x) * nch;
                        for ch in 0..nch {
                            dst[o + ch] = match comps {
                                1 => s[0],
                                _ => *s.get(ch).unwrap_or(&255),
                            };
                        }
                    }
                }
            }
            Ok(())
        })?;
    Ok(out)
}

/// Run the JPEG decoder, turning its errors and any panic inside it into
/// a clean error.
fn jpeg_decode<R: std::io::Read>(dec: &mut jpeg_decoder::Decoder<R>, in_len: usize) -> Result<Vec<u8>, IoError> {
    // Bound what a (possibly hostile) header can make the decoder allocate.
    dec.set_max_decoding_buffer_size(in_len.saturating_mul(4096).max(1 << 26));
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| dec.decode())) {
        Ok(Ok(px)) => Ok(px),
        Ok(Err(e)) => Err(IoError::Corrupt(format!("JPEG decoding failed: {e}"))),
        Err(_) => Err(IoError::Corrupt("JPEG decoding failed: corrupt data".into())),
    }
}

/// Old-style JPEG-in-TIFF, for files that embed a complete JPEG stream
/// (JPEGInterchangeFormat): decode it whole.
fn decode_ojpeg(src: &Source, d: &Dir) -> Result<PixelData, IoError> {
    let Some((off, len)) = d.ojpeg_stream else {
        return Err(IoError::Unsupported(
            "Old-style JPEG compression without an embedded JPEG stream is not supported".into(),
        ));
    };
    let len = len.min(src.len.saturating_sub(off));
    let raw = src.read_at(off, len as usize)?;
    let mut dec = jpeg_decoder::Decoder::new(std::io::Cursor::new(&raw));
    // libtiff hands the decoded YCbCr to its own converter, which uses the
    // directory's coefficients and reference black/white.
    let ycc = d.spec.get_int_attribute("tiff:PhotometricInterpretation", 2) as u16 == PHOTO_YCBCR;
    if ycc {
        dec.set_color_transform(jpeg_decoder::ColorTransform::RGB);
    }
    let mut px = jpeg_decode(&mut dec, raw.len())?;
    let info = dec
        .info()
        .ok_or_else(|| IoError::Corrupt("JPEG decoding failed".into()))?;
    let comps = match info.pixel_format {
        jpeg_decoder::PixelFormat::L8 => 1,
        jpeg_decoder::PixelFormat::RGB24 => 3,
        _ => return Err(IoError::Unsupported("Unsupported JPEG pixel format in TIFF".into())),
    };
    if ycc && comps == 3 {
        let t = YccTables::new(d.ycbcr_coefs, d.refbw);
        for p in px.chunks_exact_mut(3) {
            let rgb = t.rgb(p[0], p[1], p[2]);
            p.copy_from_slice(&rgb);
        }
    }
    let (jw, jh) = (info.width as usize, info.height as usize);
    let nch = d.spec.nchannels as usize;
    if (d.width as u64) * (d.height as u64) * nch as u64 > (src.len.saturating_mul(8192)).max(1 << 26) {
        return Err(IoError::Corrupt(
            "tiff header claims more pixels than the file holds".into(),
        ));
    }
    let mut out = PixelData::zeroed(d.width * d.height * nch).map_err(|e| IoError::Corrupt(e.to_string()))?;
    let o = out.bytes_mut();
    for y in 0..d.height.min(jh) {
        for x in 0..d.width.min(jw) {
            let s = (y * jw + x) * comps;
            for c in 0..nch {
                o[(y * d.width + x) * nch + c] = if comps == 1 {
                    px[s]
                } else {
                    *px.get(s + c).unwrap_or(&255)
                };
            }
        }
    }
    Ok(out)
}

/// Decompress a chunk with no predictor or byte-order work.
fn decode_raw_only(d: &Dir, raw: &[u8], out: &mut [u8]) -> Result<(), IoError> {
    let err = IoError::Corrupt;
    match d.compression {
        COMP_NONE => {
            if raw.len() < out.len() {
                return Err(err("Read error on strip".into()));
            }
            out.copy_from_slice(&raw[..out.len()]);
            Ok(())
        }
        COMP_LZW => codec::lzw_decode(raw, out).map_err(err),
        COMP_ADOBE_DEFLATE | COMP_DEFLATE => codec::inflate(raw, out).map_err(err),
        COMP_PACKBITS => codec::packbits_decode(raw, out).map_err(err),
        c => Err(IoError::Unsupported(format!(
            "Compression {c} is not supported for reading"
        ))),
    }
}

// ---------------------------------------------------------------------------
// Writer

/// A tag value for the writer.
enum Val {
    Short(Vec<u16>),
    Long(Vec<u32>),
    Long8(Vec<u64>),
    Rational(Vec<(u32, u32)>),
    SRational(Vec<(i32, i32)>),
    Float(Vec<f32>),
    Ascii(String),
    Bytes(u16, Vec<u8>),
    /// A pointer to another IFD (classic: LONG / BigTIFF: LONG8).
    IfdPtr(u64),
}

/// The best rational for a non-negative value (continued fractions,
/// exact for integers and simple fractions).
fn to_rational(v: f64) -> (u32, u32) {
    if !v.is_finite() || v <= 0.0 {
        return (0, 1);
    }
    if v >= u32::MAX as f64 {
        return (u32::MAX, 1);
    }
    if v.fract() == 0.0 {
        return (v as u32, 1);
    }
    let (mut h0, mut h1, mut k0, mut k1) = (0u64, 1u64, 1u64, 0u64);
    let mut x = v;
    let mut best = (v.round() as u32, 1u32);
    for _ in 0..40 {
        let a = x.floor();
        let a_u = a as u64;
        let h2 = a_u.saturating_mul(h1).saturating_add(h0);
        let k2 = a_u.saturating_mul(k1).saturating_add(k0);
        if h2 > u32::MAX as u64 || k2 > u32::MAX as u64 {
            break;
        }
        best = (h2 as u32, k2 as u32);
        if ((h2 as f64 / k2 as f64) - v).abs() <= v * 1e-9 {
            break;
        }
        (h0, h1, k0, k1) = (h1, h2, k1, k2);
        let f = x - a;
        if f < 1e-12 {
            break;
        }
        x = 1.0 / f;
    }
    best
}

fn to_srational(v: f64) -> (i32, i32) {
    let (n, d) = to_rational(v.abs().min(i32::MAX as f64));
    let (n, d) = (n.min(i32::MAX as u32) as i32, d.min(i32::MAX as u32) as i32);
    if v < 0.0 {
        (-n, d)
    } else {
        (n, d)
    }
}

/// Serialises IFDs for one byte order (little-endian) and offset width.
struct TiffWriter<W: Write + Seek> {
    w: W,
    pos: u64,
    big: bool,
}

impl<W: Write + Seek> TiffWriter<W> {
    fn put(&mut self, b: &[u8]) -> std::io::Result<()> {
        self.w.write_all(b)?;
        self.pos += b.len() as u64;
        Ok(())
    }
    fn align(&mut self) -> std::io::Result<()> {
        if self.pos % 2 == 1 {
            self.put(&[0])?;
        }
        Ok(())
    }

    /// Write an IFD at the current (word-aligned) position; returns its
    /// offset and the position of its next-IFD field.
    fn write_ifd(&mut self, mut tags: Vec<(u16, Val)>) -> std::io::Result<(u64, u64)> {
        tags.sort_by_key(|t| t.0);
        self.align()?;
        let start = self.pos;
        let (cnt_size, ent_size, off_size) = if self.big { (8u64, 20u64, 8usize) } else { (2, 12, 4) };
        let n = tags.len() as u64;
        let mut extra_pos = start + cnt_size + n * ent_size + off_size as u64;
        let mut dir = Vec::new();
        let mut extra = Vec::new();
        if self.big {
            dir.extend_from_slice(&n.to_le_bytes());
        } else {
            dir.extend_from_slice(&(n as u16).to_le_bytes());
        }
        for (tag, v) in &tags {
            let (typ, count, bytes): (u16, u64, Vec<u8>) = match v {
                Val::Short(x) => (3, x.len() as u64, x.iter().flat_map(|v| v.to_le_bytes()).collect()),
                Val::Long(x) => (4, x.len() as u64, x.iter().flat_map(|v| v.to_le_bytes()).collect()),
                Val::Long8(x) => {
                    if self.big {
                        (16, x.len() as u64, x.iter().flat_map(|v| v.to_le_bytes()).collect())
                    } else {
                        (
                            4,
                            x.len() as u64,
                            x.iter().flat_map(|&v| (v as u32).to_le_bytes()).collect(),
                        )
                    }
                }
                Val::Rational(x) => (
                    5,
                    x.len() as u64,
                    x.iter()
                        .flat_map(|&(a, b)| [a.to_le_bytes(), b.to_le_bytes()].concat())
                        .collect(),
                ),
                Val::SRational(x) => (
                    10,
                    x.len() as u64,
                    x.iter()
                        .flat_map(|&(a, b)| [a.to_le_bytes(), b.to_le_bytes()].concat())
                        .collect(),
                ),
                Val::Float(x) => (11, x.len() as u64, x.iter().flat_map(|v| v.to_le_bytes()).collect()),
                Val::Ascii(s) => {
                    let mut b = s.as_bytes().to_vec();
                    b.push(0);
                    (2, b.len() as u64, b)
                }
                Val::Bytes(t, b) => (*t, b.len() as u64, b.clone()),
                Val::IfdPtr(o) => {
                    if self.big {
                        (18, 1, o.to_le_bytes().to_vec())
                    } else {
                        (13, 1, (*o as u32).to_le_bytes().to_vec())
                    }
                }
            };
            dir.extend_from_slice(&tag.to_le_bytes());
            dir.extend_from_slice(&typ.to_le_bytes());
            if self.big {
                dir.extend_from_slice(&count.to_le_bytes());
            } else {
                dir.extend_from_slice(&(count as u32).to_le_bytes());
            }
            if bytes.len() <= off_size {
                let mut f = bytes.clone();
                f.resize(off_size, 0);
                dir.extend_from_slice(&f);
            } else {
                if self.big {
                    dir.extend_from_slice(&extra_pos.to_le_bytes());
                } else {
                    dir.extend_from_slice(&(extra_pos as u32).to_le_bytes());
                }
                extra.extend_from_slice(&bytes);
                extra_pos += bytes.len() as u64;
                if extra_pos % 2 == 1 {
                    extra.push(0);
                    extra_pos += 1;
                }
            }
        }
        let next_field = start + cnt_size + n * ent_size;
        dir.extend_from_slice(&vec![0u8; off_size]);
        self.put(&dir)?;
        self.put(&extra)?;
        Ok((start, next_field))
    }

    /// Overwrite an offset field written earlier.
    fn patch(&mut self, at: u64, value: u64) -> std::io::Result<()> {
        self.w.seek(SeekFrom::Start(at))?;
        if self.big {
            self.w.write_all(&value.to_le_bytes())?;
        } else {
            self.w.write_all(&(value as u32).to_le_bytes())?;
        }
        self.w.seek(SeekFrom::Start(self.pos))?;
        Ok(())
    }
}

/// OIIO's `decode_compression_metadata`: ("zip", quality) from "zip:6".
fn compression_request(spec: &ImageSpec) -> (String, i32) {
    let c = spec.get_string_attribute("compression", "zip");
    let mut q = spec.get_int_attribute("CompressionQuality", -1);
    let (name, qual) = match c.split_once(':') {
        Some((n, qs)) => (n.to_string(), qs.trim().parse::<i32>().ok()),
        None => (c.clone(), None),
    };
    if let Some(v) = qual {
        q = v;
    }
    let name = if name.is_empty() { "zip".to_string() } else { name };
    (name, q)
}

/// True when the spec names an sRGB colour space.
fn is_srgb(spec: &ImageSpec) -> bool {
    let cs = spec.get_string_attribute("oiio:ColorSpace", "");
    [
        "srgb_rec709_scene",
        "srgb_rec709_display",
        "sRGB",
        "srgb",
        "srgb_tx",
        "srgb_texture",
        "sRGB - Texture",
        "srgb_display",
        "sRGB Encoded Rec.709 (sRGB)",
        "sRGB - Display",
    ]
    .iter()
    .any(|n| n.eq_ignore_ascii_case(&cs))
}

/// "YYYY:MM:DD HH:MM:SS" for now (UTC).
fn now_datetime() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs()) as i64;
    let days = secs.div_euclid(86400);
    let rem = secs.rem_euclid(86400);
    // Civil date from days since 1970-01-01.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{:4}:{:02}:{:02} {:02}:{:02}:{:02}",
        y,
        m,
        d,
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// Per-level encoding plan (OIIO's `TIFFOutput::open` decisions).
struct Plan {
    spec: ImageSpec,
    bps: u32,
    compression: u16,
    predictor: u16,
    zipquality: i32,
    separate: bool,
    rps: usize,
    outchans: usize,
    cmyk_convert: bool,
    bigtiff: bool,
    tags: Vec<(u16, Val)>,
    exif: Vec<(u16, Val)>,
    gps: Vec<(u16, Val)>,
}

fn plan_level(level: &Level) -> Result<Plan, IoError> {
    let mut spec = level.spec.clone();
    if spec.tile_width != 0 && (spec.tile_width % 16 != 0 || spec.tile_height % 16 != 0 || spec.tile_height == 0) {
        return Err(IoError::Unsupported(format!(
            "Tile size must be a multiple of 16, you asked for {} x {}",
            spec.tile_width, spec.tile_height
        )));
    }
    if spec.width > 1 << 30 || spec.height > 1 << 30 || spec.nchannels > 1 << 16 || spec.nchannels < 1 {
        return Err(IoError::Unsupported(format!(
            "tiff does not support {}x{} images with {} channels",
            spec.width, spec.height, spec.nchannels
        )));
    }
    let bigtiff = spec.get_int_attribute("tiff:bigtiff", 0) != 0 || spec.image_bytes(true) > 4000 * 1024 * 1024;
    let mut tags: Vec<(u16, Val)> = Vec::new();
    tags.push((TAG_WIDTH, Val::Long(vec![spec.width as u32])));
    tags.push((TAG_LENGTH, Val::Long(vec![spec.height as u32])));
    if (spec.full_width != 0 || spec.full_height != 0)
        && (spec.full_width != spec.width || spec.full_height != spec.height || spec.full_x != 0 || spec.full_y != 0)
    {
        tags.push((TAG_FULLWIDTH, Val::Long(vec![(spec.full_width + spec.full_x) as u32])));
        tags.push((TAG_FULLLENGTH, Val::Long(vec![(spec.full_height + spec.full_y) as u32])));
    }
    let mut rps = 32usize;
    let orientation = spec.get_int_attribute("Orientation", 1);
    tags.push((TAG_ORIENTATION, Val::Short(vec![orientation as u16])));

    let mut bps = spec.get_int_attribute("oiio:BitsPerSample", 0) as u32;
    let sampleformat: u16;
    match spec.format.basetype {
        BaseType::Int8 => {
            bps = 8;
            sampleformat = 2;
        }
        BaseType::UInt8 => {
            if !matches!(bps, 1 | 2 | 4 | 6) {
                bps = 8;
            }
            sampleformat = 1;
        }
        BaseType::Int16 => {
            bps = 16;
            sampleformat = 2;
        }
        BaseType::UInt16 => {
            if !matches!(bps, 10 | 12 | 14) {
                bps = 16;
            }
            sampleformat = 1;
        }
        BaseType::Int32 => {
            bps = 32;
            sampleformat = 2;
        }
        BaseType::UInt32 => {
            if bps != 24 {
                bps = 32;
            }
            sampleformat = 1;
        }
        BaseType::Half => {
            let allow = spec.get_int_attribute("tiff:half", vfx_core::globals::get_int_attribute("tiff:half", 0)) != 0;
            if allow {
                bps = 16;
            } else {
                bps = 32;
                spec.set_format(TypeDesc::FLOAT);
            }
            sampleformat = 3;
        }
        BaseType::Float => {
            bps = 32;
            sampleformat = 3;
        }
        BaseType::Double => {
            bps = 64;
            sampleformat = 3;
        }
        _ => {
            bps = 8;
            sampleformat = 1;
            spec.set_format(TypeDesc::UINT8);
        }
    }
    let mut photometric = if spec.nchannels >= 3 {
        PHOTO_RGB
    } else {
        PHOTO_MINISBLACK
    };
    let (comp, mut qual) = compression_request(&spec);
    let comp = if comp.eq_ignore_ascii_case("jpeg") {
        qual = -1;
        "zip".to_string()
    } else {
        comp
    };
    let mut compression = match comp.to_ascii_lowercase().as_str() {
        "none" => COMP_NONE,
        "lzw" => COMP_LZW,
        "packbits" => COMP_PACKBITS,
        _ => COMP_ADOBE_DEFLATE,
    };
    let mut predictor = 1u16;
    let mut zipquality = 6;
    if compression == COMP_LZW || compression == COMP_ADOBE_DEFLATE {
        if matches!(
            spec.format.basetype,
            BaseType::Float | BaseType::Double | BaseType::Half
        ) {
            predictor = 3;
        } else if bps == 8 || bps == 16 {
            predictor = 2;
        }
        if compression == COMP_ADOBE_DEFLATE {
            let q = spec.get_int_attribute("tiff:zipquality", qual);
            let q = if q == -1 { 6 } else { q };
            if q > 0 {
                zipquality = q.clamp(1, 9);
            }
        }
    }
    let mut cmyk_convert = false;
    let mut outchans = spec.nchannels as usize;
    if photometric == PHOTO_RGB {
        let tiffcs = spec.get_string_attribute("tiff:ColorSpace", "");
        let oiiocs = spec.get_string_attribute("oiio:ColorSpace", "");
        if oiiocs.eq_ignore_ascii_case("CMYK")
            || tiffcs.eq_ignore_ascii_case("CMYK")
            || tiffcs.eq_ignore_ascii_case("color separated")
        {
            photometric = PHOTO_SEPARATED;
            spec.set_format(TypeDesc::UINT8);
            bps = 8;
            let names: Vec<String> = spec.channelnames.iter().map(|s| s.to_ascii_uppercase()).collect();
            let is_rgb = !oiiocs.eq_ignore_ascii_case("CMYK")
                && !oiiocs.eq_ignore_ascii_case("color separated")
                && spec.nchannels == 3
                && (names == ["R", "G", "B"] || names == ["RED", "GREEN", "BLUE"]);
            let is_cmyk = spec.nchannels == 4
                && (names == ["C", "M", "Y", "K"]
                    || names == ["CYAN", "MAGENTA", "YELLOW", "BLACK"]
                    || oiiocs.eq_ignore_ascii_case("CMYK"));
            if is_rgb {
                cmyk_convert = true;
                outchans = 4;
                tags.push((TAG_INKSET, Val::Short(vec![1])));
            } else if is_cmyk {
                tags.push((TAG_INKSET, Val::Short(vec![1])));
            } else {
                tags.push((TAG_INKSET, Val::Short(vec![2])));
                let mut inks = String::new();
                for i in 0..spec.nchannels as usize {
                    if i > 0 {
                        inks.push('\0');
                    }
                    inks += spec.channelnames.get(i).map_or(&format!("ink{i}"), |s| s);
                }
                tags.push((TAG_INKNAMES, Val::Ascii(inks)));
                tags.push((TAG_NUMINKS, Val::Short(vec![spec.nchannels as u16])));
            }
        }
    }
    let _ = &mut compression;
    tags.push((TAG_PHOTOMETRIC, Val::Short(vec![photometric])));
    tags.push((TAG_SPP, Val::Short(vec![outchans as u16])));
    tags.push((TAG_BPS, Val::Short(vec![bps as u16; outchans])));
    tags.push((TAG_SAMPLEFORMAT, Val::Short(vec![sampleformat; outchans])));

    // ExtraSamples.
    let nch = spec.nchannels;
    if ((spec.alpha_channel >= 0 && spec.alpha_channel < nch) || nch > 3)
        && photometric != PHOTO_SEPARATED
        && spec.get_int_attribute("tiff:write_extrasamples", 1) != 0
    {
        let unass = spec.get_int_attribute("oiio:UnassociatedAlpha", 0) != 0;
        let defaultchans = if nch >= 3 { 3 } else { 1 };
        let e = nch - defaultchans;
        if e > 0 {
            let extra: Vec<u16> = (0..e)
                .map(|c| {
                    if spec.alpha_channel == c + defaultchans {
                        if unass {
                            2
                        } else {
                            1
                        }
                    } else {
                        0
                    }
                })
                .collect();
            tags.push((TAG_EXTRASAMPLES, Val::Short(extra)));
        }
    }

    let mut separate = ["planarconfig", "tiff:planarconfig"]
        .iter()
        .find_map(|n| spec.find_attribute(n, TypeDesc::STRING, false))
        .is_some_and(|p| p.get_ustring(0).eq_ignore_ascii_case("separate"));
    if bps as usize != spec.format.size() * 8 || photometric == PHOTO_SEPARATED {
        separate = false;
    }
    if separate && spec.tile_width == 0 {
        rps = 1;
    }
    if spec.find_attribute("DateTime", TypeDesc::UNKNOWN, false).is_none() {
        spec.attribute_str("DateTime", &now_datetime());
    }
    if let Some(p) = spec.find_attribute("ICCProfile", TypeDesc::UNKNOWN, false) {
        let b: Vec<u8> = p.values().iter().map(|v| v.as_i64() as u8).collect();
        if !b.is_empty() {
            tags.push((TAG_ICC, Val::Bytes(meta::T_UNDEFINED, b)));
        }
    }
    if is_srgb(&spec) {
        spec.attribute_int("Exif:ColorSpace", 1);
    }
    let mut xd = spec.get_float_attribute("XResolution", 1.0);
    let mut yd = spec.get_float_attribute("YResolution", 1.0);
    if xd <= 0.0 {
        xd = 1.0;
    }
    if yd <= 0.0 {
        yd = 1.0;
    }
    let aspect = spec.get_float_attribute("PixelAspectRatio", 1.0);
    if xd < 1.0 || yd < 1.0 || aspect * xd != yd {
        if xd < 1.0 || yd < 1.0 {
            xd = 1.0;
            spec.attribute_str("ResolutionUnit", "none");
        }
        spec.attribute_float("XResolution", xd);
        spec.attribute_float("YResolution", xd * aspect);
    }
    if spec.x != 0 || spec.y != 0 {
        let x = (spec.x as f32 / xd).max(0.0);
        let y = (spec.y as f32 / spec.get_float_attribute("YResolution", 1.0)).max(0.0);
        tags.push((TAG_XPOS, Val::Rational(vec![to_rational(x as f64)])));
        tags.push((TAG_YPOS, Val::Rational(vec![to_rational(y as f64)])));
    }

    // Named parameters (OIIO's put_parameter), in attribute order.
    let set = |tags: &mut Vec<(u16, Val)>, tag: u16, v: Val| {
        tags.retain(|t| t.0 != tag);
        tags.push((tag, v));
    };
    let rps_allowed = spec.tile_width == 0 && !separate;
    for p in spec.extra_attribs.items.clone() {
        let name = p.name().to_ascii_lowercase();
        let ty = p.type_desc();
        let s = || p.get_ustring(0);
        match name.as_str() {
            "artist" => set(&mut tags, TAG_ARTIST, Val::Ascii(s())),
            "copyright" => set(&mut tags, TAG_COPYRIGHT, Val::Ascii(s())),
            "datetime" if ty == TypeDesc::STRING => set(&mut tags, TAG_DATETIME, Val::Ascii(s())),
            "name" | "documentname" => set(&mut tags, TAG_DOCNAME, Val::Ascii(s())),
            "fovcot" if ty == TypeDesc::FLOAT => set(&mut tags, TAG_FOVCOT, Val::Float(vec![p.get_float(0.0)])),
            "host" | "hostcomputer" => set(&mut tags, TAG_HOST, Val::Ascii(s())),
            "description" | "imagedescription" if ty == TypeDesc::STRING => {
                set(&mut tags, TAG_DESCRIPTION, Val::Ascii(s()))
            }
            "tiff:predictor" if compression == COMP_LZW || compression == COMP_ADOBE_DEFLATE => {
                predictor = p.get_int(0) as u16;
            }
            "resolutionunit" if ty == TypeDesc::STRING => {
                let v = s().to_ascii_lowercase();
                let code = match v.as_str() {
                    "none" => 1,
                    "in" | "inch" => 2,
                    "cm" => 3,
                    _ => 0,
                };
                if code != 0 {
                    set(&mut tags, TAG_RESUNIT, Val::Short(vec![code]));
                }
            }
            "tiff:rowsperstrip" if rps_allowed => {
                let r = p.get_int(0);
                if r > 0 {
                    rps = (r as usize).clamp(1, spec.height.max(1) as usize);
                }
            }
            "make" => set(&mut tags, TAG_MAKE, Val::Ascii(s())),
            "model" => set(&mut tags, TAG_MODEL, Val::Ascii(s())),
            "software" => set(&mut tags, TAG_SOFTWARE, Val::Ascii(s())),
            "tiff:subfiletype" => set(&mut tags, TAG_SUBFILETYPE, Val::Long(vec![p.get_int(0) as u32])),
            "textureformat" => set(&mut tags, TAG_TEXTUREFORMAT, Val::Ascii(s())),
            "wrapmodes" => set(&mut tags, TAG_WRAPMODES, Val::Ascii(s())),
            "worldtocamera" | "worldtoscreen" if ty == TypeDesc::MATRIX44 => {
                let v: Vec<f32> = p.values().iter().map(|v| v.as_f64() as f32).collect();
                let tag = if name == "worldtocamera" {
                    TAG_WORLDTOCAMERA
                } else {
                    TAG_WORLDTOSCREEN
                };
                set(&mut tags, tag, Val::Float(v));
            }
            "xresolution" => set(
                &mut tags,
                TAG_XRES,
                Val::Rational(vec![to_rational(p.get_float(0.0) as f64)]),
            ),
            "yresolution" => set(
                &mut tags,
                TAG_YRES,
                Val::Rational(vec![to_rational(p.get_float(0.0) as f64)]),
            ),
            _ => {}
        }
    }
    tags.push((TAG_COMPRESSION, Val::Short(vec![compression])));
    if predictor != 1 {
        tags.push((TAG_PREDICTOR, Val::Short(vec![predictor])));
    }
    tags.push((TAG_PLANAR, Val::Short(vec![if separate { 2 } else { 1 }])));
    if spec.tile_width != 0 {
        tags.push((TAG_TILEWIDTH, Val::Long(vec![spec.tile_width as u32])));
        tags.push((TAG_TILELENGTH, Val::Long(vec![spec.tile_height as u32])));
    } else {
        tags.push((TAG_ROWSPERSTRIP, Val::Long(vec![rps as u32])));
    }
    if spec.get_int_attribute("tiff:write_iptc", 0) != 0 {
        let iptc = meta::encode_iptc(&spec);
        if !iptc.is_empty() {
            tags.push((TAG_IPTC, Val::Bytes(meta::T_UNDEFINED, iptc)));
        }
    }
    let xmp = meta::encode_xmp(&spec, true);
    if !xmp.is_empty() {
        tags.push((TAG_XMP, Val::Bytes(meta::T_BYTE, xmp.into_bytes())));
    }
    let (exif, gps) = if spec.get_int_attribute("tiff:write_exif", 1) != 0 {
        exif_tags(&spec)
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(Plan {
        spec,
        bps,
        compression,
        predictor,
        zipquality,
        separate,
        rps,
        outchans,
        cmyk_convert,
        bigtiff,
        tags,
        exif,
        gps,
    })
}

/// The Exif and GPS directory entries OIIO's writer produces through
/// libtiff (only tags libtiff knows, typed by its definitions).
/// Tag entries of one directory.
type Tags = Vec<(u16, Val)>;

fn exif_tags(spec: &ImageSpec) -> (Tags, Tags) {
    let mut exif = Vec::new();
    let mut gps = Vec::new();
    let int_like = |t: TypeDesc| {
        matches!(
            t.elementtype().basetype,
            BaseType::Int16 | BaseType::UInt16 | BaseType::Int32 | BaseType::UInt32
        ) && t.elementtype().aggregate == vfx_core::Aggregate::Scalar
    };
    let num_like = |t: TypeDesc| {
        t.is_floating_point() || int_like(t) || t.elementtype().vecsemantics == vfx_core::VecSemantics::Rational
    };
    for p in &spec.extra_attribs.items {
        let ty = p.type_desc();
        if let Some((tag, tt, count)) = meta::exif_lookup(p.name()) {
            if tt == 0 || matches!(tag, 37394 | 37395 | 34855) || !meta::libtiff_knows_exif(tag) {
                continue;
            }
            if exif.iter().any(|e: &(u16, Val)| e.0 == tag) {
                continue;
            }
            let v = if tag == 36864 || tag == 40960 {
                if ty == TypeDesc::STRING {
                    let s = p.get_ustring(0);
                    (s.len() >= 4).then(|| Val::Bytes(meta::T_UNDEFINED, s.as_bytes()[..4].to_vec()))
                } else if ty == TypeDesc::INT {
                    let s = format!("{:04}", p.get_int(0));
                    (s.len() == 4).then(|| Val::Bytes(meta::T_UNDEFINED, s.into_bytes()))
                } else {
                    None
                }
            } else {
                exif_value(p, tt, count, int_like(ty), num_like(ty), true)
            };
            if let Some(v) = v {
                exif.push((tag, v));
            }
        } else if let Some((tag, tt, count)) = meta::gps_lookup(p.name()) {
            if gps.iter().any(|e: &(u16, Val)| e.0 == tag) {
                continue;
            }
            if let Some(v) = exif_value(p, tt, count, int_like(ty), num_like(ty), false) {
                gps.push((tag, v));
            }
        }
    }
    (exif, gps)
}

/// One Exif/GPS value as OIIO's writer hands it to libtiff. For arrays in
/// the Exif directory OIIO passes `int`s where libtiff reads `uint16`s and
/// `double`s where it reads `float`s; the stored values are what those
/// reinterpreted bytes say, and we store the same.
fn exif_value(p: &ParamValue, tt: u16, count: i32, int_like: bool, num_like: bool, exif_dir: bool) -> Option<Val> {
    let n = count.max(1) as usize;
    match tt {
        meta::T_ASCII => Some(Val::Ascii(p.get_ustring(0))),
        meta::T_SHORT | meta::T_LONG if int_like => {
            let vals: Vec<i32> = (0..n).map(|i| p.get_int_indexed(i, 0)).collect();
            Some(if tt == meta::T_SHORT {
                if n > 1 && exif_dir {
                    let bytes: Vec<u8> = vals.iter().flat_map(|v| v.to_le_bytes()).collect();
                    Val::Short(
                        (0..n)
                            .map(|i| u16::from_le_bytes([bytes[2 * i], bytes[2 * i + 1]]))
                            .collect(),
                    )
                } else {
                    Val::Short(vals.iter().map(|&v| v as u16).collect())
                }
            } else {
                Val::Long(vals.iter().map(|&v| v as u32).collect())
            })
        }
        meta::T_RATIONAL | meta::T_SRATIONAL if num_like => {
            let mut vals: Vec<f64> = if n == 1 {
                vec![p.get_float(0.0) as f64]
            } else {
                (0..n).map(|i| p.get_float_indexed(i, 0.0) as f64).collect()
            };
            if n > 1 && exif_dir {
                let bytes: Vec<u8> = vals.iter().flat_map(|v| v.to_le_bytes()).collect();
                vals = (0..n)
                    .map(|i| f32::from_le_bytes(bytes[4 * i..4 * i + 4].try_into().unwrap()) as f64)
                    .collect();
            }
            Some(if tt == meta::T_RATIONAL {
                Val::Rational(vals.iter().map(|&v| to_rational(v)).collect())
            } else {
                Val::SRational(vals.iter().map(|&v| to_srational(v)).collect())
            })
        }
        _ => None,
    }
}

/// Convert pixels between types (OIIO's rules).
fn convert_pixels(src: &[u8], from: TypeDesc, to: TypeDesc) -> std::borrow::Cow<'_, [u8]> {
    if from == to {
        return std::borrow::Cow::Borrowed(src);
    }
    let n = src.len() / from.size().max(1);
    let mut out = vec![0u8; n * to.size()];
    convert_bytes(src, from.basetype, &mut out, to.basetype);
    std::borrow::Cow::Owned(out)
}

/// RGB to CMYK (OIIO's writer conversion) for 8-bit pixels.
fn rgb_to_cmyk(src: &[u8], nch: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(src.len() / nch * 4);
    for px in src.chunks_exact(nch) {
        let (r, g, b) = (px[0].to_f32(), px[1].to_f32(), px[2].to_f32());
        let omk = r.max(g).max(b);
        let inv = if omk <= 1e-6 { 0.0 } else { 1.0 / omk };
        for v in [(omk - r) * inv, (omk - g) * inv, (omk - b) * inv, 1.0 - omk] {
            out.push(u8::from_f32_scalar(v));
        }
    }
    out
}

/// One chunk's bytes before compression: packed bits for odd depths, the
/// predictor applied.
fn encode_chunk(plan: &Plan, mut data: Vec<u8>, width: usize, rows: usize, spc: usize) -> Result<Vec<u8>, IoError> {
    let fs = plan.spec.format.size();
    if plan.bps as usize != fs * 8 {
        // Pack each row's values into bps bits, rows byte-aligned.
        let vals_per_row = width * spc;
        let mut packed = Vec::with_capacity((vals_per_row * plan.bps as usize).div_ceil(8) * rows);
        let from = (fs * 8) as u32;
        for row in data.chunks_exact(vals_per_row * fs) {
            let it = (0..vals_per_row).map(|i| {
                let v = match fs {
                    1 => row[i] as u32,
                    2 => u16::from_ne_bytes([row[2 * i], row[2 * i + 1]]) as u32,
                    _ => u32::from_ne_bytes(row[4 * i..4 * i + 4].try_into().unwrap()),
                };
                codec::bit_range_convert(v, from, plan.bps)
            });
            codec::bit_pack(it, plan.bps, &mut packed);
        }
        data = packed;
    } else {
        if cfg!(target_endian = "big") && fs > 1 && plan.predictor != 3 {
            codec::swab(&mut data, fs);
        }
        match plan.predictor {
            2 if matches!(fs, 1 | 2 | 4 | 8) => {
                // The writer stores little-endian, so difference in native
                // order first (the host is little-endian in practice).
                codec::horizontal_apply(&mut data, fs, width, spc)
            }
            3 => codec::float_apply(&mut data, fs, width, spc),
            _ => {}
        }
    }
    match plan.compression {
        COMP_NONE => Ok(data),
        COMP_LZW => codec::lzw_encode(&data).map_err(IoError::Write),
        COMP_PACKBITS => {
            let rb = data.len() / rows.max(1);
            Ok(codec::packbits_encode(&data, rb))
        }
        _ => codec::deflate(&data, plan.zipquality).map_err(IoError::Write),
    }
}

/// Encode all chunks of one level (in parallel), in file order.
fn encode_level(plan: &Plan, pixels: &[u8], src_format: TypeDesc) -> Result<Vec<Vec<u8>>, IoError> {
    let spec = &plan.spec;
    let (w, h) = (spec.width as usize, spec.height as usize);
    let nch = spec.nchannels as usize;
    let expect = w * h * nch * src_format.size();
    if pixels.len() < expect {
        return Err(IoError::Write(format!(
            "tiff writer: {} bytes of pixels, {} needed",
            pixels.len(),
            expect
        )));
    }
    let mut px = convert_pixels(&pixels[..expect], src_format, spec.format);
    let mut nch_out = nch;
    if plan.cmyk_convert {
        px = std::borrow::Cow::Owned(rgb_to_cmyk(&px, nch));
        nch_out = plan.outchans;
    }
    let fs = spec.format.size();
    let planes = if plan.separate { nch_out } else { 1 };
    let spc = if plan.separate { 1 } else { nch_out };
    let (cw, ch) = if spec.tile_width != 0 {
        (spec.tile_width as usize, spec.tile_height as usize)
    } else {
        (w, plan.rps)
    };
    let across = w.div_ceil(cw);
    let down = h.div_ceil(ch);
    let tiled = spec.tile_width != 0;
    let jobs: Vec<(usize, usize, usize)> = (0..planes)
        .flat_map(|p| (0..down).flat_map(move |r| (0..across).map(move |c| (p, r, c))))
        .collect();
    jobs.par_iter()
        .map(|&(p, r, c)| {
            let rows = if tiled { ch } else { ch.min(h - r * ch) };
            let mut buf = vec![0u8; cw * rows * spc * fs];
            let x0 = c * cw;
            let wc = cw.min(w - x0);
            for y in 0..rows {
                let iy = r * ch + y;
                if iy >= h {
                    break;
                }
                if spc == nch_out {
                    let s = (iy * w + x0) * nch_out * fs;
                    let d = y * cw * spc * fs;
                    buf[d..d + wc * spc * fs].copy_from_slice(&px[s..s + wc * spc * fs]);
                } else {
                    for x in 0..wc {
                        let s = ((iy * w + x0 + x) * nch_out + p) * fs;
                        let d = (y * cw + x) * fs;
                        buf[d..d + fs].copy_from_slice(&px[s..s + fs]);
                    }
                }
            }
            encode_chunk(plan, buf, cw, rows, spc)
        })
        .collect()
}

fn write_request(path: &Path, req: &WriteRequest<'_>) -> Result<(), IoError> {
    let levels: Vec<&Level> = req.subimages.iter().flat_map(|s| s.iter()).collect();
    if levels.is_empty() {
        return Err(IoError::Write("tiff writer: nothing to write".into()));
    }
    let plans: Vec<Plan> = levels.iter().map(|l| plan_level(l)).collect::<Result<_, _>>()?;
    let big = plans.iter().any(|p| p.bigtiff);
    let file = File::create(path).map_err(|e| IoError::Write(format!("Could not open \"{}\": {e}", path.display())))?;
    let mut tw = TiffWriter {
        w: BufWriter::with_capacity(1 << 20, file),
        pos: 0,
        big,
    };
    let io = |e: std::io::Error| IoError::Write(format!("tiff write error: {e}"));
    if big {
        tw.put(b"II").map_err(io)?;
        tw.put(&43u16.to_le_bytes()).map_err(io)?;
        tw.put(&8u16.to_le_bytes()).map_err(io)?;
        tw.put(&0u16.to_le_bytes()).map_err(io)?;
        tw.put(&0u64.to_le_bytes()).map_err(io)?;
    } else {
        tw.put(b"II").map_err(io)?;
        tw.put(&42u16.to_le_bytes()).map_err(io)?;
        tw.put(&0u32.to_le_bytes()).map_err(io)?;
    }
    let mut link_at = if big { 8u64 } else { 4u64 };
    for (level, mut plan) in levels.iter().zip(plans) {
        let chunks = encode_level(&plan, level.pixels, level.spec.format)?;
        let mut offsets = Vec::with_capacity(chunks.len());
        let mut counts = Vec::with_capacity(chunks.len());
        for c in &chunks {
            tw.align().map_err(io)?;
            offsets.push(tw.pos);
            counts.push(c.len() as u64);
            tw.put(c).map_err(io)?;
        }
        drop(chunks);
        let tiled = plan.spec.tile_width != 0;
        let (ot, ct) = if tiled {
            (TAG_TILEOFFSETS, TAG_TILEBYTECOUNTS)
        } else {
            (TAG_STRIPOFFSETS, TAG_STRIPBYTECOUNTS)
        };
        let fits32 = offsets.iter().chain(&counts).all(|&v| v <= u32::MAX as u64);
        if !big && !fits32 {
            return Err(IoError::Write(
                "tiff: the file would exceed 4 GB; set \"tiff:bigtiff\" to 1 to write BigTIFF".into(),
            ));
        }
        if big && !fits32 {
            plan.tags.push((ot, Val::Long8(offsets)));
            plan.tags.push((ct, Val::Long8(counts)));
        } else {
            plan.tags
                .push((ot, Val::Long(offsets.iter().map(|&v| v as u32).collect())));
            plan.tags
                .push((ct, Val::Long(counts.iter().map(|&v| v as u32).collect())));
        }
        if !plan.exif.is_empty() {
            let (off, _) = tw.write_ifd(std::mem::take(&mut plan.exif)).map_err(io)?;
            plan.tags.push((TAG_EXIFIFD, Val::IfdPtr(off)));
        }
        if !plan.gps.is_empty() {
            let (off, _) = tw.write_ifd(std::mem::take(&mut plan.gps)).map_err(io)?;
            plan.tags.push((TAG_GPSIFD, Val::IfdPtr(off)));
        }
        let (off, next) = tw.write_ifd(std::mem::take(&mut plan.tags)).map_err(io)?;
        tw.patch(link_at, off).map_err(io)?;
        link_at = next;
    }
    tw.w.flush().map_err(io)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use vfx_core::ImageSpec;

    fn tmp(name: &str) -> std::path::PathBuf {
        let d = std::env::temp_dir().join(format!("vfx_tiff_test_{}", std::process::id()));
        std::fs::create_dir_all(&d).unwrap();
        d.join(name)
    }

    fn write_one(path: &Path, spec: &ImageSpec, px: &[u8]) {
        let req = WriteRequest {
            subimages: vec![vec![Level { spec, pixels: px }]],
            deep: vec![None],
            source: spec.format,
            thumbnail: None,
        };
        write_request(path, &req).unwrap();
    }

    fn pattern(n: usize, fs: usize) -> Vec<u8> {
        (0..n * fs).map(|i| ((i * 7 + i / 13) % 251) as u8).collect()
    }

    #[test]
    fn round_trip_types_layouts_compressions() {
        let types = [
            TypeDesc::UINT8,
            TypeDesc::INT8,
            TypeDesc::UINT16,
            TypeDesc::INT16,
            TypeDesc::UINT,
            TypeDesc::INT,
            TypeDesc::FLOAT,
            TypeDesc::DOUBLE,
        ];
        for ty in types {
            for comp in ["none", "lzw", "zip", "packbits"] {
                for tiled in [false, true] {
                    for planar in ["contig", "separate"] {
                        let mut spec = ImageSpec::new(37, 21, 3, ty);
                        spec.attribute_str("compression", comp);
                        spec.attribute_str("planarconfig", planar);
                        if tiled {
                            spec.tile_width = 16;
                            spec.tile_height = 16;
                        }
                        let mut px = pattern(37 * 21 * 3, ty.size());
                        if ty.is_floating_point() {
                            // Keep floats finite.
                            let n = 37 * 21 * 3;
                            px = if ty == TypeDesc::FLOAT {
                                (0..n).flat_map(|i| (i as f32 * 0.25).to_ne_bytes()).collect()
                            } else {
                                (0..n).flat_map(|i| (i as f64 * 0.5).to_ne_bytes()).collect()
                            };
                        }
                        let p = tmp(&format!("rt_{}_{comp}_{tiled}_{planar}.tif", ty.name()));
                        write_one(&p, &spec, &px);
                        let mut r = TiffReader::open(&p, Config::default()).unwrap();
                        let s = r.spec(0, 0).unwrap();
                        assert_eq!(s.format, ty, "{comp} {tiled} {planar}");
                        let got = r.read_image(0, 0).unwrap();
                        assert_eq!(got.bytes(), &px[..], "{} {comp} tiled={tiled} {planar}", ty.name());
                    }
                }
            }
        }
    }

    #[test]
    fn bit_depths_and_multipage() {
        let mut s1 = ImageSpec::new(20, 10, 1, TypeDesc::UINT16);
        s1.attribute_int("oiio:BitsPerSample", 10);
        let px1: Vec<u8> = (0..200u16)
            .flat_map(|i| ((i as u32 * 65535 / 199) as u16).to_ne_bytes())
            .collect();
        let mut s2 = ImageSpec::new(9, 5, 2, TypeDesc::UINT8);
        s2.attribute_int("oiio:BitsPerSample", 4);
        let px2: Vec<u8> = (0..90u32).map(|i| (i * 17 % 256) as u8).collect();
        let req = WriteRequest {
            subimages: vec![
                vec![Level {
                    spec: &s1,
                    pixels: &px1,
                }],
                vec![Level {
                    spec: &s2,
                    pixels: &px2,
                }],
            ],
            deep: vec![None, None],
            source: TypeDesc::UINT16,
            thumbnail: None,
        };
        let p = tmp("multi.tif");
        write_request(&p, &req).unwrap();
        let mut r = TiffReader::open(&p, Config::default()).unwrap();
        assert_eq!(r.spec(0, 0).unwrap().get_int_attribute("oiio:BitsPerSample", 0), 10);
        assert!(r.spec(2, 0).is_none());
        let a = r.read_image(0, 0).unwrap();
        let av: Vec<u16> = a.bytes().chunks(2).map(|c| u16::from_ne_bytes([c[0], c[1]])).collect();
        for (i, v) in av.iter().enumerate() {
            let orig = (i as u32 * 65535 / 199) as u16;
            let exp = ((orig >> 6) as u32 * 65535 / 1023) as u16;
            assert_eq!(*v, exp);
        }
        let b = r.read_image(1, 0).unwrap();
        for (i, v) in b.bytes().iter().enumerate() {
            assert_eq!(*v, (px2[i] >> 4) * 17);
        }
    }

    #[test]
    fn corrupt_inputs_fail_cleanly() {
        let p = tmp("bad.tif");
        // Random bytes after a valid magic.
        let mut junk = b"II*\0".to_vec();
        junk.extend((0..200u32).map(|i| (i * 97 % 256) as u8));
        std::fs::write(&p, &junk).unwrap();
        assert!(TiffReader::open(&p, Config::default()).is_err());
        // A huge image claimed by a tiny file.
        let mut spec = ImageSpec::new(64, 64, 1, TypeDesc::UINT8);
        spec.attribute_str("compression", "zip");
        write_one(&p, &spec, &vec![0u8; 64 * 64]);
        let mut data = std::fs::read(&p).unwrap();
        // Patch width/length entries to 1<<30.
        let s = String::from_utf8_lossy(&data).to_string();
        let _ = s;
        let ifd = u32::from_le_bytes(data[4..8].try_into().unwrap()) as usize;
        let n = u16::from_le_bytes([data[ifd], data[ifd + 1]]) as usize;
        for i in 0..n {
            let e = ifd + 2 + i * 12;
            let tag = u16::from_le_bytes([data[e], data[e + 1]]);
            if tag == 256 || tag == 257 {
                data[e + 8..e + 12].copy_from_slice(&(1u32 << 30).to_le_bytes());
            }
        }
        std::fs::write(&p, &data).unwrap();
        if let Ok(mut r) = TiffReader::open(&p, Config::default()) {
            assert!(r.read_image(0, 0).is_err());
        }
        // Truncated file.
        write_one(&p, &spec, &pattern(64 * 64, 1));
        let full = std::fs::read(&p).unwrap();
        for cut in [3usize, 9, 40, full.len() / 2] {
            std::fs::write(&p, &full[..cut]).unwrap();
            if let Ok(mut r) = TiffReader::open(&p, Config::default()) {
                let _ = r.read_image(0, 0);
            }
        }
    }

    #[test]
    fn cmyk_and_unassociated_alpha() {
        // RGB written as CMYK reads back as RGB, or as raw CMYK on request.
        let mut spec = ImageSpec::new(8, 4, 3, TypeDesc::UINT8);
        spec.attribute_str("tiff:ColorSpace", "CMYK");
        let px: Vec<u8> = (0..8 * 4 * 3).map(|i| (i * 9 % 256) as u8).collect();
        let p = tmp("cmyk.tif");
        write_one(&p, &spec, &px);
        let mut r = TiffReader::open(&p, Config::default()).unwrap();
        let s = r.spec(0, 0).unwrap();
        assert_eq!(s.nchannels, 3);
        assert_eq!(s.get_string_attribute("tiff:ColorSpace", ""), "CMYK");
        let got = r.read_image(0, 0).unwrap();
        for (a, b) in got.bytes().iter().zip(&px) {
            assert!((*a as i32 - *b as i32).abs() <= 2, "{a} vs {b}");
        }
        let cfg = Config {
            raw_color: true,
            ..Config::default()
        };
        let r = TiffReader::open(&p, cfg).unwrap();
        let s = r.spec(0, 0).unwrap();
        assert_eq!(s.nchannels, 4);
        assert_eq!(s.channelnames, ["C", "M", "Y", "K"]);

        // Unassociated alpha is premultiplied unless asked to keep it.
        let mut spec = ImageSpec::new(2, 1, 4, TypeDesc::UINT8);
        spec.attribute_int("oiio:UnassociatedAlpha", 1);
        let px = [200u8, 100, 50, 128, 255, 255, 255, 0];
        write_one(&p, &spec, &px);
        let mut r = TiffReader::open(&p, Config::default()).unwrap();
        assert_eq!(r.read_image(0, 0).unwrap().bytes(), &[100, 50, 25, 128, 0, 0, 0, 0]);
        let cfg = Config {
            keep_unassociated: true,
            ..Config::default()
        };
        let mut r = TiffReader::open(&p, cfg).unwrap();
        assert_eq!(r.spec(0, 0).unwrap().get_int_attribute("oiio:UnassociatedAlpha", 0), 1);
        assert_eq!(r.read_image(0, 0).unwrap().bytes(), &px);
    }

    #[test]
    fn metadata_round_trip() {
        let mut spec = ImageSpec::new(16, 16, 4, TypeDesc::UINT8);
        spec.attribute_str("Artist", "me");
        spec.attribute_str("ImageDescription", "hello");
        spec.attribute_float("ExposureTime", 0.01);
        spec.attribute_str("IPTC:City", "Paris");
        spec.attribute_int("oiio:UnassociatedAlpha", 1);
        spec.x = 10;
        spec.y = 5;
        spec.full_width = 40;
        spec.full_height = 30;
        let p = tmp("meta.tif");
        write_one(&p, &spec, &pattern(16 * 16 * 4, 1));
        let r = TiffReader::open(&p, Config::default()).unwrap();
        let s = r.spec(0, 0).unwrap();
        assert_eq!(s.get_string_attribute("Artist", ""), "me");
        assert_eq!(s.get_string_attribute("ImageDescription", ""), "hello");
        assert!((s.get_float_attribute("ExposureTime", 0.0) - 0.01).abs() < 1e-6);
        assert_eq!(s.get_string_attribute("IPTC:City", ""), "Paris");
        assert_eq!(s.get_int_attribute("tiff:UnassociatedAlpha", 0), 1);
        assert_eq!(s.get_string_attribute("oiio:ColorSpace", ""), "srgb_rec709_scene");
        assert_eq!(
            (s.x, s.y, s.full_x, s.full_y, s.full_width, s.full_height),
            (10, 5, 0, 0, 40, 30)
        );
    }
}

/// Timing of a read and a write of a big file (run by hand:
/// `VFX_TIFF_BENCH=file.tif cargo test --release -p vfx-io --features tiff tiff_bench -- --ignored --nocapture`).
#[cfg(test)]
mod bench {
    use super::*;

    #[test]
    #[ignore]
    fn tiff_bench() {
        let Ok(path) = std::env::var("VFX_TIFF_BENCH") else {
            return;
        };
        let t0 = std::time::Instant::now();
        let mut r = TiffReader::open(Path::new(&path), Config::default()).unwrap();
        let spec = r.spec(0, 0).unwrap();
        let px = r.read_image(0, 0).unwrap();
        let t1 = std::time::Instant::now();
        let req = WriteRequest {
            subimages: vec![vec![Level {
                spec: &spec,
                pixels: px.bytes(),
            }]],
            deep: vec![None],
            source: spec.format,
            thumbnail: None,
        };
        let out = std::env::temp_dir().join("vfx_tiff_bench_out.tif");
        write_request(&out, &req).unwrap();
        let t2 = std::time::Instant::now();
        println!(
            "read {:.3}s write {:.3}s",
            (t1 - t0).as_secs_f64(),
            (t2 - t1).as_secs_f64()
        );
    }
}

#[cfg(test)]
mod bench_cpu {
    use super::*;
    fn cpu() -> f64 {
        let s = std::fs::read_to_string("/proc/self/stat").unwrap();
        let f: Vec<&str> = s.rsplit(')').next().unwrap().split_whitespace().collect();
        (f[11].parse::<f64>().unwrap() + f[12].parse::<f64>().unwrap()) / 100.0
    }
    #[test]
    #[ignore]
    fn tiff_cpu() {
        let Ok(path) = std::env::var("VFX_TIFF_BENCH") else {
            return;
        };
        let c0 = cpu();
        let mut r = TiffReader::open(Path::new(&path), Config::default()).unwrap();
        let spec = r.spec(0, 0).unwrap();
        let px = r.read_image(0, 0).unwrap();
        let c1 = cpu();
        println!("read cpu {:.2}", c1 - c0);
        for q in ["none", "zip:1", "zip:6", "lzw"] {
            let mut s = spec.clone();
            s.attribute_str("compression", q);
            let req = WriteRequest {
                subimages: vec![vec![Level {
                    spec: &s,
                    pixels: px.bytes(),
                }]],
                deep: vec![None],
                source: spec.format,
                thumbnail: None,
            };
            let out = std::env::temp_dir().join("vfx_tiff_bench_out.tif");
            let c2 = cpu();
            write_request(&out, &req).unwrap();
            println!(
                "{q} write cpu {:.2} size {}",
                cpu() - c2,
                std::fs::metadata(&out).unwrap().len()
            );
        }
    }
}

#[cfg(test)]
mod dump_types {
    #[test]
    #[ignore]
    fn tiff_types() {
        use crate::Reader;
        let Ok(path) = std::env::var("VFX_TIFF_TYPES") else {
            return;
        };
        let r = super::TiffReader::open(std::path::Path::new(&path), super::Config::default()).unwrap();
        let s = r.spec(0, 0).unwrap();
        let mut v: Vec<String> = s
            .extra_attribs
            .items
            .iter()
            .map(|p| format!("{} {}", p.name(), p.type_desc().name()))
            .collect();
        v.sort();
        for l in v {
            println!("T {l}");
        }
    }
}

//! A file being written through OIIO's `ImageOutput` protocol: `open` (Create,
//! AppendSubimage, AppendMIPLevel, or every subimage's spec at once), then
//! pixels by image, scanlines or tiles, then `close`. The pixels are kept in
//! memory until `close`, which hands the whole file to the format's writer;
//! so a writer is a single function and the order of calls does not matter.

use crate::{registry, Format, IoError, Level, WriteRequest};
use std::path::{Path, PathBuf};
use vfx_core::{DeepData, ImageBuf, ImageSpec, Roi, TypeDesc};

/// OIIO's `ImageOutput::OpenMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenMode {
    Create,
    AppendSubimage,
    AppendMIPLevel,
}

impl OpenMode {
    /// The mode names the Python binding accepts.
    pub fn from_name(name: &str) -> Option<OpenMode> {
        match name {
            "Create" => Some(OpenMode::Create),
            "AppendSubimage" => Some(OpenMode::AppendSubimage),
            "AppendMIPLevel" => Some(OpenMode::AppendMIPLevel),
            _ => None,
        }
    }
}

/// One MIP level being filled: pixels in the widest of the spec's channel
/// types, so per-channel formats lose nothing before the writer stores them.
struct PendingLevel {
    spec: ImageSpec,
    buf: ImageBuf,
}

/// An output file between `open` and `close`.
pub struct OutputFile {
    format: &'static Format,
    path: PathBuf,
    subimages: Vec<Vec<PendingLevel>>,
    deep: Vec<Option<DeepData>>,
    /// Specs of subimages declared up front by `open_all` not yet started.
    declared: Vec<ImageSpec>,
    thumbnail: Option<ImageBuf>,
    /// How the caller handed us pixels: (type, rows) of each write call.
    writes: Vec<(TypeDesc, i32)>,
}

/// The widest type among a spec's format and channel formats (floats
/// outrank integers, then the larger wins).
fn storage_type(spec: &ImageSpec) -> TypeDesc {
    use vfx_core::BaseType::{Double, Float, Half};
    spec.channelformats
        .iter()
        .copied()
        .chain([spec.format])
        .max_by_key(|t| (matches!(t.basetype, Half | Float | Double), t.size()))
        .unwrap_or(spec.format)
}

/// OIIO's generic open-time checks (`ImageOutput::check_open`), normalising
/// the spec as it does.
pub fn check_spec(format: &Format, spec: &ImageSpec) -> Result<ImageSpec, IoError> {
    let supports = format.supports;
    let name = format.name;
    let mut s = spec.clone();
    // A spec without a pixel type (e.g. an unknown type name) is written as
    // uint8, as OIIO's writers do.
    if s.format.is_unknown() {
        s.set_format(TypeDesc::UINT8);
    }
    if (s.width <= 0 || s.height <= 0) && !(s.width == 0 && s.height == 0 && supports("noimage") != 0) {
        return Err(IoError::Unsupported(format!(
            "{name} image resolution must be at least 1x1, you asked for {}x{}",
            s.width, s.height
        )));
    }
    if s.depth > 1 && supports("volumes") == 0 {
        return Err(IoError::Unsupported(format!(
            "{name} does not support volume images (depth > 1)"
        )));
    }
    s.depth = s.depth.max(1);
    if s.nchannels < 0 {
        return Err(IoError::Unsupported(format!(
            "{name} does not support {}-channel images",
            s.nchannels
        )));
    }
    if !s.channelformats.is_empty() {
        if s.channelformats.iter().all(|f| *f == s.format) {
            s.channelformats.clear();
        } else if supports("channelformats") == 0 {
            return Err(IoError::Unsupported(format!(
                "{name} does not support per-channel data formats"
            )));
        }
    }
    if s.full_width <= 0 {
        s.full_width = s.width;
        s.full_x = s.x;
    }
    if s.full_height <= 0 {
        s.full_height = s.height;
        s.full_y = s.y;
    }
    if s.full_depth <= 0 {
        s.full_depth = s.depth;
        s.full_z = s.z;
    }
    if s.deep && supports("deepdata") == 0 {
        return Err(IoError::Unsupported(format!("{name} does not support 'deep' images")));
    }
    if s.tile_width != 0 || s.tile_height != 0 {
        if supports("tiles") == 0 {
            return Err(IoError::Unsupported(format!("{name} does not support tiled images")));
        }
        if s.tile_width < 1 || s.tile_height < 1 || s.tile_depth < 1 {
            return Err(IoError::Unsupported(format!(
                "{name} does not support tiles of size {}x{}x{}",
                s.tile_width, s.tile_height, s.tile_depth
            )));
        }
    }
    if (s.x != 0 || s.y != 0 || s.z != 0)
        && (supports("origin") == 0 || (s.x < 0 || s.y < 0 || s.z < 0) && supports("negativeorigin") == 0)
    {
        (s.x, s.y, s.z) = (0, 0, 0);
    }
    if supports("thumbnail") == 0 {
        for a in ["thumbnail_width", "thumbnail_height", "thumbnail_nchannels"] {
            s.erase_attribute(a, TypeDesc::UNKNOWN, false);
        }
    }
    Ok(s)
}

fn new_level(spec: ImageSpec) -> Result<PendingLevel, IoError> {
    let mut bspec = spec.clone();
    bspec.set_format(storage_type(&spec));
    bspec.channelformats.clear();
    let buf = if spec.deep {
        ImageBuf::new()
    } else {
        ImageBuf::from_spec(&bspec)
    };
    if buf.has_error() {
        return Err(IoError::Write(buf.geterror(true)));
    }
    Ok(PendingLevel { spec, buf })
}

impl OutputFile {
    /// `open(filename, spec, "Create")`: a new file whose first subimage is `spec`.
    pub fn create(format: &'static Format, path: &Path, spec: &ImageSpec) -> Result<OutputFile, IoError> {
        let spec = check_spec(format, spec)?;
        let deep = spec.deep;
        Ok(OutputFile {
            format,
            path: path.to_path_buf(),
            subimages: vec![vec![new_level(spec)?]],
            deep: vec![deep.then(DeepData::default)],
            declared: Vec::new(),
            thumbnail: None,
            writes: Vec::new(),
        })
    }

    /// `open(filename, specs)`: declare every subimage at once; the first
    /// is current and the rest are started by `AppendSubimage` opens.
    pub fn create_all(format: &'static Format, path: &Path, specs: &[ImageSpec]) -> Result<OutputFile, IoError> {
        let (first, rest) = specs
            .split_first()
            .ok_or_else(|| IoError::Unsupported("open() with no subimage specs".into()))?;
        let mut f = OutputFile::create(format, path, first)?;
        // As OIIO's default: a format without subimages just opens the first.
        if (format.supports)("multiimage") != 0 {
            f.declared = rest.iter().rev().cloned().collect();
        }
        Ok(f)
    }

    /// `open(filename, spec, AppendSubimage | AppendMIPLevel)` on an open file.
    pub fn append(&mut self, spec: &ImageSpec, mode: OpenMode) -> Result<(), IoError> {
        let name = self.format.name;
        match mode {
            OpenMode::Create => unreachable!("Create starts a new file"),
            OpenMode::AppendSubimage => {
                if (self.format.supports)("multiimage") == 0 {
                    return Err(IoError::Unsupported(format!("{name} does not support subimages")));
                }
                let spec = check_spec(self.format, spec)?;
                self.declared.pop();
                self.deep.push(spec.deep.then(DeepData::default));
                self.subimages.push(vec![new_level(spec)?]);
            }
            OpenMode::AppendMIPLevel => {
                if (self.format.supports)("mipmap") == 0 {
                    return Err(IoError::Unsupported(format!("{name} does not support MIP-mapping")));
                }
                let spec = check_spec(self.format, spec)?;
                let level = new_level(spec)?;
                self.subimages.last_mut().expect("open file has a subimage").push(level);
            }
        }
        Ok(())
    }

    pub fn format(&self) -> &'static Format {
        self.format
    }
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn current(&mut self) -> &mut PendingLevel {
        self.subimages
            .last_mut()
            .and_then(|s| s.last_mut())
            .expect("open file has a level")
    }

    /// The spec of the subimage/level being written.
    pub fn spec(&self) -> &ImageSpec {
        &self
            .subimages
            .last()
            .and_then(|s| s.last())
            .expect("open file has a level")
            .spec
    }

    /// Store `data` (values of `format`, channels interleaved, as
    /// `ImageBuf::get_pixels` lays them out) into region `roi` of the current
    /// level. UNKNOWN `format` means the level's own type.
    pub fn write_region(&mut self, roi: &Roi, format: TypeDesc, data: &[u8]) -> Result<(), IoError> {
        let level = self.current();
        let fmt = if format.is_unknown() { level.spec.format } else { format };
        level
            .buf
            .set_pixels(roi, fmt, data)
            .map_err(|e| IoError::Write(e.to_string()))?;
        self.writes.push((fmt, roi.height() * roi.depth()));
        Ok(())
    }

    /// The scanline range [ybegin, yend) at depth z, all channels.
    pub fn scanlines_roi(&self, ybegin: i32, yend: i32, z: i32) -> Roi {
        let s = self.spec();
        Roi {
            xbegin: s.x,
            xend: s.x + s.width,
            ybegin,
            yend,
            zbegin: z,
            zend: z + 1,
            chbegin: 0,
            chend: s.nchannels,
        }
    }

    /// Validate a tile range as OIIO does and clip it to the data window.
    pub fn tiles_roi(&self, x: (i32, i32), y: (i32, i32), z: (i32, i32)) -> Result<Roi, IoError> {
        let s = self.spec();
        if s.tile_width <= 0 {
            return Err(IoError::Unsupported(format!(
                "{} does not support tiled images",
                self.format.name
            )));
        }
        if !s.valid_tile_range(x.0, x.1, y.0, y.1, z.0, z.1) {
            return Err(IoError::Write(format!(
                "write_tiles: invalid tile range {}-{} x {}-{} x {}-{}",
                x.0, x.1, y.0, y.1, z.0, z.1
            )));
        }
        Ok(Roi {
            xbegin: x.0,
            xend: x.1,
            ybegin: y.0,
            yend: y.1,
            zbegin: z.0,
            zend: z.1,
            chbegin: 0,
            chend: s.nchannels,
        })
    }

    /// Deep pixels of the current subimage.
    pub fn write_deep(&mut self, deep: DeepData) -> Result<(), IoError> {
        if !self.spec().deep {
            return Err(IoError::Write("write_deep: the subimage is not deep".into()));
        }
        *self.deep.last_mut().expect("one per subimage") = Some(deep);
        Ok(())
    }

    /// Deep samples for `roi` of the current subimage (the rest keep theirs).
    pub fn write_deep_region(&mut self, spec: &ImageSpec, roi: &Roi, deep: DeepData) -> Result<(), IoError> {
        if !spec.deep {
            return Err(IoError::Write("write_deep: the subimage is not deep".into()));
        }
        let slot = self.deep.last_mut().expect("one per subimage");
        let whole = match slot {
            Some(d) if d.npixels() == spec.image_pixels() as usize => d,
            _ => slot.insert(vfx_core::deepdata::for_spec(spec)),
        };
        vfx_core::deepdata::paste(whole, spec, roi, &deep);
        Ok(())
    }

    /// `set_thumbnail`: stored by formats whose `supports("thumbnail")`.
    pub fn set_thumbnail(&mut self, thumb: ImageBuf) -> bool {
        if (self.format.supports)("thumbnail") == 0 {
            return false;
        }
        self.thumbnail = Some(thumb);
        true
    }

    /// The pixel type writers see as the caller's: the type of the one call
    /// that wrote the whole image, UNKNOWN when the pixels came in several
    /// calls (some OIIO writers treat a block of float data specially, e.g.
    /// PNM flips it; row by row there is nothing to flip).
    fn source_type(&self) -> TypeDesc {
        let spec = &self.subimages[0][0].spec;
        match self.writes.as_slice() {
            [(t, rows)] if *rows == spec.height * spec.depth.max(1) => *t,
            [] => spec.format,
            _ => TypeDesc::UNKNOWN,
        }
    }

    /// Hand everything to the format's writer. Subimages declared by
    /// `create_all` but never written are written with zero pixels, as they
    /// would be by OIIO's sequential writers.
    pub fn close(mut self) -> Result<(), IoError> {
        while let Some(spec) = self.declared.pop() {
            self.deep.push(spec.deep.then(DeepData::default));
            self.subimages.push(vec![new_level(check_spec(self.format, &spec)?)?]);
        }
        let write = self
            .format
            .write
            .ok_or_else(|| IoError::Unsupported(format!("{} does not support writing", self.format.name)))?;
        // Each level's spec says the buffer's (widest) type in `format`.
        let specs: Vec<Vec<ImageSpec>> = self
            .subimages
            .iter()
            .map(|levels| {
                levels
                    .iter()
                    .map(|l| {
                        let mut s = l.spec.clone();
                        s.format = l.buf.spec().format;
                        if !l.spec.channelformats.is_empty() {
                            s.channelformats = l.spec.channelformats.clone();
                        }
                        s
                    })
                    .collect()
            })
            .collect();
        let thumb_spec = self.thumbnail.as_ref().map(|t| t.spec().clone());
        let request = WriteRequest {
            subimages: self
                .subimages
                .iter()
                .zip(&specs)
                .map(|(levels, specs)| {
                    levels
                        .iter()
                        .zip(specs)
                        .map(|(l, spec)| Level {
                            spec,
                            pixels: l.buf.pixels().unwrap_or(&[]),
                        })
                        .collect()
                })
                .collect(),
            deep: self.deep.iter().map(|d| d.as_ref()).collect(),
            source: self.source_type(),
            thumbnail: self.thumbnail.as_ref().zip(thumb_spec.as_ref()).map(|(t, spec)| Level {
                spec,
                pixels: t.pixels().unwrap_or(&[]),
            }),
        };
        write(&self.path, &request)
    }
}

/// `ImageOutput.create(filename)`: the writer for a file name or format name.
pub fn writer_for(filename: &str) -> Option<&'static Format> {
    registry::for_output(Path::new(filename), "")
        .or_else(|| registry::by_name(filename))
        .filter(|f| f.write.is_some())
}

#[cfg(all(test, feature = "pnm"))]
mod tests {
    use super::*;
    use crate::input::InputFile;

    fn pnm() -> &'static Format {
        registry::by_name("pnm").unwrap()
    }

    #[test]
    fn check_spec_normalises_like_oiio() {
        let mut s = ImageSpec::new(4, 3, 3, TypeDesc::UINT8);
        s.full_width = 0;
        s.x = 5;
        s.channelformats = vec![TypeDesc::UINT8; 3];
        let c = check_spec(pnm(), &s).unwrap();
        assert_eq!((c.full_width, c.x), (4, 0), "display window filled, origin dropped");
        assert!(c.channelformats.is_empty());
        s.tile_width = 16;
        s.tile_height = 16;
        assert!(check_spec(pnm(), &s)
            .unwrap_err()
            .to_string()
            .contains("does not support tiled images"));
        let mut v = ImageSpec::new(2, 2, 3, TypeDesc::UINT8);
        v.depth = 2;
        assert!(check_spec(pnm(), &v).is_err());
    }

    #[test]
    fn scanline_writes_in_any_order_then_close_writes_the_file() {
        let dir = std::env::temp_dir().join(format!("vfxio-out-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("a.pgm");
        let spec = ImageSpec::new(3, 2, 1, TypeDesc::UINT8);
        let mut f = OutputFile::create(pnm(), &path, &spec).unwrap();
        f.write_region(&f.scanlines_roi(1, 2, 0), TypeDesc::UINT8, &[4, 5, 6])
            .unwrap();
        f.write_region(&f.scanlines_roi(0, 1, 0), TypeDesc::UINT8, &[1, 2, 3])
            .unwrap();
        assert_eq!(
            f.source_type(),
            TypeDesc::UNKNOWN,
            "several calls: no single source block"
        );
        assert!(f.append(&spec, OpenMode::AppendSubimage).is_err());
        f.close().unwrap();
        let mut inp = InputFile::open(&path, None).unwrap();
        let mut out = vec![0u8; 6];
        let roi = inp.spec(0, 0).unwrap().roi();
        inp.read_region(0, 0, &roi, TypeDesc::UINT8, &mut out).unwrap();
        assert_eq!(out, [1, 2, 3, 4, 5, 6]);
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn spec_lists_open_only_the_first_without_multiimage() {
        let spec = ImageSpec::new(2, 2, 3, TypeDesc::UINT8);
        let f = OutputFile::create_all(pnm(), Path::new("unused.ppm"), &[spec.clone(), spec]).unwrap();
        assert!(f.declared.is_empty());
        assert!(OutputFile::create_all(pnm(), Path::new("unused.ppm"), &[]).is_err());
    }
}

//! `ImageBuf`: an image in memory (spec + contiguous pixels in `spec.format`,
//! channels interleaved, scanlines in y then z order), with OIIO's pixel
//! access rules. File-backed buffers come with the I/O crate.

use crate::convert::{convert_bytes_with, f32_to_value, is_pixel_type, value_to_f32};
use crate::error::Error;
use crate::roi::Roi;
use crate::spec::ImageSpec;
use crate::typedesc::TypeDesc;
use rayon::prelude::*;
use std::sync::Mutex;

/// Pixel bytes with 8-byte alignment, so typed views are always possible.
#[derive(Clone, Default)]
pub struct PixelData {
    words: Vec<u64>,
    len: usize,
}

impl PixelData {
    /// Zero-filled storage, or an error instead of aborting when the size is
    /// impossible to allocate.
    pub fn zeroed(len: usize) -> Result<PixelData, Error> {
        let n = len.div_ceil(8);
        if n == 0 {
            return Ok(PixelData { words: Vec::new(), len });
        }
        // Zeroed pages straight from the allocator (calloc): large buffers
        // then cost no memset, and pages are touched by whoever fills them.
        let layout = std::alloc::Layout::array::<u64>(n).map_err(|_| Error::Alloc(len as u64))?;
        // SAFETY: `layout` has a non-zero size; the pointer is checked for
        // null, was allocated with u64's layout for exactly `n` elements,
        // all of which are initialised (zero is a valid u64).
        let words = unsafe {
            let ptr = std::alloc::alloc_zeroed(layout) as *mut u64;
            if ptr.is_null() {
                return Err(Error::Alloc(len as u64));
            }
            Vec::from_raw_parts(ptr, n, n)
        };
        Ok(PixelData { words, len })
    }
    pub fn bytes(&self) -> &[u8] {
        &bytemuck::cast_slice(&self.words)[..self.len]
    }
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        &mut bytemuck::cast_slice_mut(&mut self.words)[..self.len]
    }
}

/// How lookups outside the data window behave (OIIO's `WrapMode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wrap {
    Black,
    Clamp,
    Periodic,
    Mirror,
}

impl Wrap {
    /// OIIO's names; "default" and any unknown name mean black.
    pub fn from_name(name: &str) -> Wrap {
        match name {
            "clamp" => Wrap::Clamp,
            "periodic" => Wrap::Periodic,
            "mirror" => Wrap::Mirror,
            _ => Wrap::Black,
        }
    }

    /// Map coordinate `c` into `[begin, end)`, or `None` for black.
    pub fn apply(self, c: i64, begin: i64, end: i64) -> Option<i64> {
        let len = end - begin;
        if len <= 0 {
            return None;
        }
        if (begin..end).contains(&c) {
            return Some(c);
        }
        Some(match self {
            Wrap::Black => return None,
            Wrap::Clamp => c.clamp(begin, end - 1),
            Wrap::Periodic => begin + (c - begin).rem_euclid(len),
            Wrap::Mirror => {
                let m = (c - begin).rem_euclid(2 * len);
                begin + if m < len { m } else { 2 * len - 1 - m }
            }
        })
    }
}

pub struct ImageBuf {
    spec: ImageSpec,
    nativespec: ImageSpec,
    pixels: Option<PixelData>,
    name: String,
    error: Mutex<String>,
    thumbnail: Option<Box<ImageBuf>>,
    write_formats: Vec<TypeDesc>,
    write_tiles: (i32, i32, i32),
    /// What OIIO reports about the file behind the buffer (in memory: none).
    pub file: FileInfo,
    /// Initialized with a spec whose pixel type cannot be stored (OIIO
    /// reports `initialized` but not `pixels_valid`).
    no_pixels: bool,
    /// The samples of a deep image (`spec.deep`), which has no flat pixels.
    deep: Option<crate::DeepData>,
}

/// The file-reference fields of an ImageBuf (`file_format_name`,
/// `nsubimages`, ...). In-memory buffers have OIIO's defaults.
#[derive(Clone, Debug, PartialEq)]
pub struct FileInfo {
    pub format_name: String,
    pub subimage: i32,
    pub miplevel: i32,
    pub nsubimages: i32,
    pub nmiplevels: i32,
}

impl Default for FileInfo {
    /// An uninitialized buffer: no subimage selected (-1).
    fn default() -> Self {
        FileInfo {
            format_name: String::new(),
            subimage: -1,
            miplevel: -1,
            nsubimages: 0,
            nmiplevels: 1,
        }
    }
}

impl FileInfo {
    /// A buffer with pixels but no file behind it.
    fn in_memory() -> Self {
        FileInfo {
            subimage: 0,
            miplevel: 0,
            ..FileInfo::default()
        }
    }
}

impl Default for ImageBuf {
    fn default() -> Self {
        ImageBuf {
            spec: ImageSpec::default(),
            nativespec: ImageSpec::default(),
            pixels: None,
            name: String::new(),
            error: Mutex::new(String::new()),
            thumbnail: None,
            write_formats: Vec::new(),
            write_tiles: (0, 0, 0),
            file: FileInfo::default(),
            no_pixels: false,
            deep: None,
        }
    }
}

impl Clone for ImageBuf {
    fn clone(&self) -> Self {
        ImageBuf {
            spec: self.spec.clone(),
            nativespec: self.nativespec.clone(),
            pixels: self.pixels.clone(),
            name: self.name.clone(),
            error: Mutex::new(String::new()),
            thumbnail: self.thumbnail.clone(),
            write_formats: self.write_formats.clone(),
            write_tiles: self.write_tiles,
            file: self.file.clone(),
            no_pixels: self.no_pixels,
            deep: self.deep.clone(),
        }
    }
}

impl ImageBuf {
    /// An uninitialized buffer (no spec, no pixels).
    pub fn new() -> ImageBuf {
        ImageBuf::default()
    }

    /// A buffer owning zeroed pixels for `spec`, as OIIO's constructor:
    /// sizes and channel counts below 1 are raised to 1 (the native spec
    /// keeps the originals); a spec without a storable pixel type gives an
    /// initialized buffer without pixels.
    pub fn from_spec(spec: &ImageSpec) -> ImageBuf {
        let mut s = spec.clone();
        s.width = s.width.max(1);
        s.height = s.height.max(1);
        s.depth = s.depth.max(1);
        s.nchannels = s.nchannels.max(1);
        let mut b = ImageBuf::new();
        if !is_pixel_type(s.format.basetype) {
            b.spec = s;
            b.nativespec = spec.clone();
            b.no_pixels = true;
            b.file = FileInfo::in_memory();
            return b;
        }
        b.allocate(s);
        b.nativespec = spec.clone();
        b
    }

    /// Drop everything and allocate for `spec`; a spec without positive
    /// sizes, channels and a pixel type leaves the buffer uninitialized with
    /// OIIO's error.
    pub fn reset(&mut self, spec: &ImageSpec) {
        *self = ImageBuf::new();
        if spec.width < 1
            || spec.height < 1
            || spec.depth < 1
            || spec.nchannels < 1
            || !is_pixel_type(spec.format.basetype)
        {
            self.error(
                "Could not initialize ImageBuf: the provided ImageSpec needs a valid width, height, depth, nchannels, format.",
            );
            return;
        }
        self.allocate(spec.clone());
    }

    fn allocate(&mut self, mut spec: ImageSpec) {
        self.file = FileInfo::in_memory();
        spec.format = spec.format.elementtype();
        if spec.deep {
            let Some(deep) = crate::DeepData::try_from_spec(&spec) else {
                self.error(&Error::Alloc(spec.image_pixels().saturating_mul(16)).to_string());
                return;
            };
            self.deep = Some(deep);
            self.nativespec = spec.clone();
            self.spec = spec;
            return;
        }
        let bytes = spec.image_bytes(false);
        match usize::try_from(bytes)
            .map_err(|_| Error::Alloc(bytes))
            .and_then(PixelData::zeroed)
        {
            Ok(p) => {
                self.pixels = Some(p);
                self.nativespec = spec.clone();
                self.spec = spec;
            }
            Err(e) => self.error(&e.to_string()),
        }
    }

    /// Take pixels already laid out for `spec` (length must match).
    pub fn from_parts(spec: ImageSpec, pixels: PixelData) -> Result<ImageBuf, Error> {
        if pixels.len as u64 != spec.image_bytes(false) {
            return Err(Error::Size {
                expected: spec.image_bytes(false),
                got: pixels.len as u64,
            });
        }
        Ok(ImageBuf {
            nativespec: spec.clone(),
            spec,
            pixels: Some(pixels),
            ..ImageBuf::new()
        })
    }

    /// A deep buffer holding `deep` (one pixel per data-window pixel).
    pub fn from_deep(spec: ImageSpec, deep: crate::DeepData) -> Result<ImageBuf, Error> {
        if deep.npixels() as u64 != spec.image_pixels() {
            return Err(Error::Size {
                expected: spec.image_pixels(),
                got: deep.npixels() as u64,
            });
        }
        Ok(ImageBuf {
            nativespec: spec.clone(),
            spec,
            deep: Some(deep),
            file: FileInfo::in_memory(),
            ..ImageBuf::new()
        })
    }

    /// The deep samples of a deep buffer.
    pub fn deepdata(&self) -> Option<&crate::DeepData> {
        self.deep.as_ref()
    }
    pub fn deepdata_mut(&mut self) -> Option<&mut crate::DeepData> {
        self.deep.as_mut()
    }

    /// Index of pixel (x, y, z) in the deep data, if it is in the data window.
    fn deep_pixel(&self, x: i32, y: i32, z: i32) -> Option<usize> {
        self.deep.as_ref()?;
        usize::try_from(self.pixelindex(x, y, z, true)).ok()
    }

    /// Samples at a pixel of a deep image (0 outside it or for flat images).
    pub fn deep_samples(&self, x: i32, y: i32, z: i32) -> u32 {
        match (self.deep_pixel(x, y, z), &self.deep) {
            (Some(p), Some(d)) => d.samples(p),
            _ => 0,
        }
    }

    /// Run `f` on the deep data and pixel index of (x, y, z), if both exist.
    pub fn with_deep_pixel<R>(
        &mut self,
        x: i32,
        y: i32,
        z: i32,
        f: impl FnOnce(&mut crate::DeepData, usize) -> R,
    ) -> Option<R> {
        let p = self.deep_pixel(x, y, z)?;
        self.deep.as_mut().map(|d| f(d, p))
    }

    /// A deep value at (x, y, z) as float (0 where it does not exist).
    pub fn deep_value(&self, x: i32, y: i32, z: i32, c: usize, s: usize) -> f32 {
        match (self.deep_pixel(x, y, z), &self.deep) {
            (Some(p), Some(d)) => d.deep_value(p, c, s),
            _ => 0.0,
        }
    }

    /// A deep value at (x, y, z) as uint32 (0 where it does not exist).
    pub fn deep_value_uint(&self, x: i32, y: i32, z: i32, c: usize, s: usize) -> u32 {
        match (self.deep_pixel(x, y, z), &self.deep) {
            (Some(p), Some(d)) => d.deep_value_uint(p, c, s),
            _ => 0,
        }
    }

    /// Back to uninitialized; like OIIO, a thumbnail survives.
    pub fn clear(&mut self) {
        let thumb = self.thumbnail.take();
        *self = ImageBuf::new();
        self.thumbnail = thumb;
    }
    pub fn initialized(&self) -> bool {
        self.pixels.is_some() || self.no_pixels || self.deep.is_some()
    }
    /// True when pixel storage exists (OIIO's `pixels_valid`).
    pub fn pixels_valid(&self) -> bool {
        self.pixels.is_some()
    }
    pub fn spec(&self) -> &ImageSpec {
        &self.spec
    }
    /// Mutable spec (metadata edits); geometry changes that do not match
    /// the pixel storage are the caller's responsibility, as in OIIO.
    pub fn specmod(&mut self) -> &mut ImageSpec {
        &mut self.spec
    }
    pub fn nativespec(&self) -> &ImageSpec {
        &self.nativespec
    }
    pub fn nativespec_mut(&mut self) -> &mut ImageSpec {
        &mut self.nativespec
    }
    pub fn name(&self) -> &str {
        &self.name
    }
    pub fn set_name(&mut self, name: &str) {
        self.name = name.to_string();
    }
    pub fn pixels(&self) -> Option<&[u8]> {
        self.pixels.as_ref().map(|p| p.bytes())
    }
    pub fn pixels_mut(&mut self) -> Option<&mut [u8]> {
        self.pixels.as_mut().map(|p| p.bytes_mut())
    }
    pub fn nchannels(&self) -> i32 {
        self.spec.nchannels
    }
    pub fn pixeltype(&self) -> TypeDesc {
        self.spec.format
    }
    pub fn roi(&self) -> Roi {
        self.spec.roi()
    }
    pub fn roi_full(&self) -> Roi {
        self.spec.roi_full()
    }

    // ---- errors (OIIO keeps one pending message per ImageBuf) ----

    pub fn error(&self, msg: &str) {
        let mut e = self.error.lock().unwrap_or_else(|p| p.into_inner());
        if !e.is_empty() && !e.ends_with('\n') {
            e.push('\n');
        }
        e.push_str(msg);
    }
    pub fn has_error(&self) -> bool {
        !self.error.lock().unwrap_or_else(|p| p.into_inner()).is_empty()
    }
    pub fn geterror(&self, clear: bool) -> String {
        let mut e = self.error.lock().unwrap_or_else(|p| p.into_inner());
        let msg = e.clone();
        if clear {
            e.clear();
        }
        msg
    }

    // ---- geometry ----

    pub fn set_origin(&mut self, x: i32, y: i32, z: i32) {
        self.spec.x = x;
        self.spec.y = y;
        self.spec.z = z;
    }

    pub fn set_full(&mut self, xbegin: i32, xend: i32, ybegin: i32, yend: i32, zbegin: i32, zend: i32) {
        let r = Roi::new(xbegin, xend, ybegin, yend, zbegin, zend, 0, self.spec.nchannels);
        self.spec.set_roi_full(&r);
    }

    /// Index of pixel (x, y, z) in the buffer, or -1 when `check_range` and
    /// it lies outside the data window.
    pub fn pixelindex(&self, x: i32, y: i32, z: i32, check_range: bool) -> i64 {
        let s = &self.spec;
        let (x, y, z) = (x as i64 - s.x as i64, y as i64 - s.y as i64, z as i64 - s.z as i64);
        if check_range
            && (x < 0 || x >= s.width as i64 || y < 0 || y >= s.height as i64 || z < 0 || z >= s.depth.max(1) as i64)
        {
            return -1;
        }
        (z * s.height as i64 + y) * s.width as i64 + x
    }

    /// Row `row` (y fastest, then z) of region `r`: its (y, z) and the x span
    /// inside the data window, or `None` when none of it is.
    fn row_in_window(&self, r: &Roi, row: usize) -> Option<(i32, i32, i32, i32)> {
        let s = &self.spec;
        let h = r.height().max(1) as usize;
        let (y, z) = (r.ybegin + (row % h) as i32, r.zbegin + (row / h) as i32);
        if y < s.y || y >= s.y + s.height || z < s.z || z >= s.z + s.depth.max(1) {
            return None;
        }
        let (x0, x1) = (r.xbegin.max(s.x), r.xend.min(s.x + s.width));
        (x0 < x1).then_some((y, z, x0, x1))
    }

    fn pixel_offset(&self, x: i64, y: i64, z: i64) -> usize {
        let s = &self.spec;
        let idx = ((z - s.z as i64) * s.height as i64 + (y - s.y as i64)) * s.width as i64 + (x - s.x as i64);
        idx as usize * s.pixel_bytes(false)
    }

    // ---- pixel access ----

    /// All channels of pixel (x, y, z) as floats. Outside the data window,
    /// the coordinates are wrapped within the display (full) window, as OIIO
    /// does, and read black unless that lands back in the data window.
    pub fn getpixel(&self, x: i32, y: i32, z: i32, wrap: Wrap) -> Vec<f32> {
        self.getpixel_named(x, y, z, wrap, "getpixel")
    }

    /// `getpixel`, reporting a missing pixel store under the caller's name.
    fn getpixel_named(&self, x: i32, y: i32, z: i32, wrap: Wrap, caller: &str) -> Vec<f32> {
        let n = self.spec.nchannels.max(0) as usize;
        let mut out = vec![0.0; n];
        let Some(px) = self.pixels.as_ref() else {
            self.error(&format!(
                "{caller}: Unsupported pixel data format '{}'",
                self.spec.format
            ));
            return out;
        };
        let s = &self.spec;
        let inside = |x: i64, y: i64, z: i64| {
            (s.x as i64..s.x as i64 + s.width as i64).contains(&x)
                && (s.y as i64..s.y as i64 + s.height as i64).contains(&y)
                && (s.z as i64..s.z as i64 + s.depth.max(1) as i64).contains(&z)
        };
        let (mut xx, mut yy, mut zz) = (x as i64, y as i64, z as i64);
        if !inside(xx, yy, zz) {
            let w = |c: i64, b: i32, len: i32| wrap.apply(c, b as i64, b as i64 + len as i64);
            let wrapped = (|| {
                Some((
                    w(xx, s.full_x, s.full_width)?,
                    w(yy, s.full_y, s.full_height)?,
                    w(zz, s.full_z, s.full_depth)?,
                ))
            })();
            match wrapped {
                Some((a, b, c)) if inside(a, b, c) => (xx, yy, zz) = (a, b, c),
                _ => return out,
            }
        }
        let off = self.pixel_offset(xx, yy, zz);
        let bs = s.format.basesize();
        for (ch, v) in out.iter_mut().enumerate() {
            *v = value_to_f32(&px.bytes()[off + ch * bs..], s.format.basetype);
        }
        out
    }

    /// Set pixel (x, y, z) from floats (missing channels untouched, extra
    /// values ignored); outside the data window nothing happens.
    pub fn setpixel(&mut self, x: i32, y: i32, z: i32, values: &[f32]) {
        let s = &self.spec;
        if !Roi::new(s.x, s.x + s.width, s.y, s.y + s.height, s.z, s.z + s.depth.max(1), 0, 1).contains(x, y, z, 0) {
            return;
        }
        let off = self.pixel_offset(x as i64, y as i64, z as i64);
        let (bs, bt, n) = (s.format.basesize(), s.format.basetype, s.nchannels.max(0) as usize);
        if let Some(px) = self.pixels.as_mut() {
            for (ch, v) in values.iter().take(n).enumerate() {
                f32_to_value(*v, bt, &mut px.bytes_mut()[off + ch * bs..]);
            }
        }
    }

    /// Resolve OIIO's ROI defaults against this image: undefined means the
    /// whole data window; channels are clipped to the image's.
    pub fn resolve_roi(&self, roi: &Roi) -> Roi {
        let mut r = if roi.defined() { *roi } else { self.roi() };
        r.chend = r.chend.min(self.spec.nchannels);
        r
    }

    /// Copy the pixels of `roi` out as `format` values (channels interleaved,
    /// rows in y then z order) into a new zeroed buffer. Pixels outside the
    /// data window read as zero.
    pub fn get_pixels(&self, roi: &Roi, format: TypeDesc) -> Result<Vec<u8>, Error> {
        let r = self.resolve_roi(roi);
        let fmt = if format.is_unknown() { self.spec.format } else { format };
        let n = [r.width(), r.height(), r.depth(), r.nchannels()]
            .iter()
            .map(|v| (*v).max(0) as usize)
            .product::<usize>();
        let mut out = Vec::new();
        out.try_reserve_exact(n * fmt.basesize())
            .map_err(|_| Error::Alloc((n * fmt.basesize()) as u64))?;
        out.resize(n * fmt.basesize(), 0);
        self.get_pixels_into(&r, fmt, &mut out)?;
        Ok(out)
    }

    /// `get_pixels` into caller memory of exactly the region's size (e.g. a
    /// new numpy array): no temporary copy. Parts of the region outside the
    /// data window are left as they are, so pass zeroed memory.
    pub fn get_pixels_into(&self, roi: &Roi, format: TypeDesc, out: &mut [u8]) -> Result<(), Error> {
        let Some(px) = self.pixels.as_ref() else {
            return Err(Error::Uninitialized);
        };
        let r = self.resolve_roi(roi);
        let fmt = if format.is_unknown() { self.spec.format } else { format };
        if !is_pixel_type(fmt.basetype) {
            return Err(Error::BadFormat(fmt.to_string()));
        }
        let (w, h, d, nc) = (
            r.width().max(0) as usize,
            r.height().max(0) as usize,
            r.depth().max(0) as usize,
            r.nchannels().max(0) as usize,
        );
        let out_pixel = nc * fmt.basesize();
        let row_bytes = w * out_pixel;
        let total = row_bytes.checked_mul(h * d).ok_or(Error::Alloc(u64::MAX))?;
        if out.len() != total {
            return Err(Error::Size {
                expected: total as u64,
                got: out.len() as u64,
            });
        }
        let s = &self.spec;
        let (sb, db) = (s.format.basetype, fmt.basetype);
        let in_pixel = s.pixel_bytes(false);
        let bs = s.format.basesize();
        // OIIO converts whole rows in groups only when the request covers all
        // channels and stays inside the data window; otherwise value by value.
        let grouped = r.chbegin == 0 && nc == s.nchannels as usize && s.roi().contains_roi(&Roi { chend: 0, ..r });
        out.par_chunks_mut(row_bytes.max(1)).enumerate().for_each(|(row, dst)| {
            if row_bytes == 0 {
                return;
            }
            let Some((y, z, x0, x1)) = self.row_in_window(&r, row) else {
                return;
            };
            let src_off = self.pixel_offset(x0 as i64, y as i64, z as i64);
            let dst_off = (x0 - r.xbegin) as usize * out_pixel;
            let npix = (x1 - x0) as usize;
            let src = &px.bytes()[src_off..src_off + npix * in_pixel];
            let dst = &mut dst[dst_off..dst_off + npix * out_pixel];
            if r.chbegin == 0 && nc == s.nchannels as usize {
                convert_bytes_with(src, sb, dst, db, grouped);
            } else {
                let cb = r.chbegin.max(0) as usize;
                for p in 0..npix {
                    let sp = &src[p * in_pixel + cb * bs..p * in_pixel + (cb + nc) * bs];
                    convert_bytes_with(sp, sb, &mut dst[p * out_pixel..(p + 1) * out_pixel], db, false);
                }
            }
        });
        Ok(())
    }

    /// Write `data` (values of `format`, laid out as `get_pixels` returns
    /// them) into `roi`; parts outside the data window are skipped.
    pub fn set_pixels(&mut self, roi: &Roi, format: TypeDesc, data: &[u8]) -> Result<(), Error> {
        if self.pixels.is_none() {
            return Err(Error::Uninitialized);
        }
        let r = self.resolve_roi(roi);
        if !is_pixel_type(format.basetype) {
            return Err(Error::BadFormat(format.to_string()));
        }
        let (w, h, d, nc) = (
            r.width().max(0) as usize,
            r.height().max(0) as usize,
            r.depth().max(0) as usize,
            r.nchannels().max(0) as usize,
        );
        let in_pixel = nc * format.basesize();
        let expected = (w * h * d * in_pixel) as u64;
        if (data.len() as u64) < expected {
            return Err(Error::Size {
                expected,
                got: data.len() as u64,
            });
        }
        let s = self.spec.clone();
        let (sb, db) = (format.basetype, s.format.basetype);
        let out_pixel = s.pixel_bytes(false);
        let bs = s.format.basesize();
        let row_bytes = w * in_pixel;
        // Whole rows of the data window, all channels: convert rows in parallel.
        let full = r.chbegin == 0
            && nc == s.nchannels as usize
            && r.xbegin == s.x
            && r.xend == s.x + s.width
            && s.roi().contains_roi(&Roi { chend: 0, ..r })
            && r.depth() == 1;
        if full && row_bytes > 0 {
            let first = self.pixel_offset(r.xbegin as i64, r.ybegin as i64, r.zbegin as i64);
            let px = self.pixels.as_mut().expect("checked above").bytes_mut();
            let dst = &mut px[first..first + h * w * out_pixel];
            dst.par_chunks_mut(w * out_pixel)
                .zip(data[..h * row_bytes].par_chunks(row_bytes))
                .for_each(|(d, src)| {
                    convert_bytes_with(src, sb, d, db, false);
                });
            return Ok(());
        }
        for row in 0..h * d {
            let Some((y, z, x0, x1)) = self.row_in_window(&r, row) else {
                continue;
            };
            let dst_off = self.pixel_offset(x0 as i64, y as i64, z as i64);
            let src_off = row * row_bytes + (x0 - r.xbegin) as usize * in_pixel;
            let npix = (x1 - x0) as usize;
            let src = &data[src_off..src_off + npix * in_pixel];
            let px = self.pixels.as_mut().expect("checked above").bytes_mut();
            let dst = &mut px[dst_off..dst_off + npix * out_pixel];
            // OIIO's set_pixels converts value by value.
            if r.chbegin == 0 && nc == s.nchannels as usize {
                convert_bytes_with(src, sb, dst, db, false);
            } else {
                let cb = r.chbegin.max(0) as usize;
                for p in 0..npix {
                    let dp = &mut dst[p * out_pixel + cb * bs..p * out_pixel + (cb + nc) * bs];
                    convert_bytes_with(&src[p * in_pixel..(p + 1) * in_pixel], sb, dp, db, false);
                }
            }
        }
        Ok(())
    }

    /// A copy with pixels converted to `format` (UNKNOWN keeps the type).
    pub fn copy_as(&self, format: TypeDesc) -> Result<ImageBuf, Error> {
        if !self.initialized() {
            return Ok(ImageBuf::new());
        }
        let fmt = if format.is_unknown() { self.spec.format } else { format };
        let data = self.get_pixels(&self.roi(), fmt)?;
        let mut spec = self.spec.clone();
        spec.set_format(fmt);
        let mut pd = PixelData::zeroed(data.len())?;
        pd.bytes_mut().copy_from_slice(&data);
        let mut b = ImageBuf::from_parts(spec, pd)?;
        b.name = self.name.clone();
        Ok(b)
    }

    /// A copy holding only channels [chbegin, chend) (clamped to the
    /// image's), with the channel names, formats and alpha/z designations
    /// that go with them.
    pub fn channel_subset(&self, chbegin: i32, chend: i32) -> Result<ImageBuf, Error> {
        let n = self.spec.nchannels;
        let (cb, ce) = (chbegin.clamp(0, n), chend.clamp(0, n));
        if cb == 0 && ce == n {
            return Ok(self.clone());
        }
        let ce = ce.max(cb + 1).min(n.max(cb + 1));
        let roi = Roi {
            chbegin: cb,
            chend: ce,
            ..self.roi()
        };
        let data = self.get_pixels(&roi, self.spec.format)?;
        let mut spec = self.spec.clone();
        spec.nchannels = ce - cb;
        spec.channelnames = (cb..ce).map(|c| self.spec.channel_name(c).to_string()).collect();
        if !spec.channelformats.is_empty() {
            spec.channelformats = spec.channelformats[cb as usize..ce as usize].to_vec();
        }
        let shift = |c: i32| if c >= cb && c < ce { c - cb } else { -1 };
        spec.alpha_channel = shift(self.spec.alpha_channel);
        spec.z_channel = shift(self.spec.z_channel);
        let mut pd = PixelData::zeroed(data.len())?;
        pd.bytes_mut().copy_from_slice(&data);
        let mut b = ImageBuf::from_parts(spec, pd)?;
        b.name = self.name.clone();
        b.file = self.file.clone();
        Ok(b)
    }

    /// Make this a copy of `src` with pixels converted to `format` (UNKNOWN
    /// keeps src's); an uninitialized src clears this buffer.
    pub fn copy_from(&mut self, src: &ImageBuf, format: TypeDesc) -> bool {
        if !src.initialized() {
            self.clear();
            return true;
        }
        if src.deep.is_some() {
            // Deep samples are copied as they are (OIIO ignores the format).
            self.reset(&src.spec);
            self.deep = src.deep.clone();
            self.nativespec = src.nativespec.clone();
            self.name = src.name.clone();
            return self.deep.is_some();
        }
        let mut spec = src.spec.clone();
        if !format.is_unknown() {
            spec.set_format(format);
        }
        self.reset(&spec);
        if format.is_unknown() {
            self.nativespec = src.nativespec.clone();
            self.name = src.name.clone();
        }
        self.copy_pixels(src)
    }

    /// Copy the pixels both images have (data windows and channels
    /// intersected), converting to this buffer's type; pixels of this
    /// buffer outside that overlap become zero.
    pub fn copy_pixels(&mut self, src: &ImageBuf) -> bool {
        // A copy is no longer a file reference (even when the copy fails).
        self.file = FileInfo {
            nsubimages: 1,
            ..FileInfo::in_memory()
        };
        // As OIIO: zero whatever src does not cover (which, on an empty
        // buffer, fails with ImageBufAlgo's message), then copy the overlap.
        let mine = self.spec.roi();
        let overlap = mine.intersection(&src.spec.roi());
        if overlap != mine {
            if self.pixels_valid() {
                self.zero();
            } else {
                self.error("ImageBufAlgo without any guess about region of interest");
            }
        }
        if !self.pixels_valid() || !src.pixels_valid() {
            let f = if self.pixels_valid() {
                src.spec.format
            } else {
                self.spec.format
            };
            self.error(&format!("copy_pixels: Unsupported pixel data format '{f}'"));
            return false;
        }
        self.convert_region_from(src, &overlap);
        let ok = true;
        self.spec.erase_attribute("oiio:subimages", TypeDesc::UNKNOWN, false);
        self.nativespec
            .erase_attribute("oiio:subimages", TypeDesc::UNKNOWN, false);
        ok
    }

    /// Convert the pixels of `roi` (inside both data windows) from `src`,
    /// value by value as OIIO's pixel copy rounds, rows in parallel.
    fn convert_region_from(&mut self, src: &ImageBuf, roi: &Roi) {
        let (Some(sp), Some(dst)) = (src.pixels.as_ref(), self.pixels.as_mut()) else {
            return;
        };
        let (ds, ss) = (&self.spec, &src.spec);
        let nc = roi.nchannels().max(0) as usize;
        let (x0, x1) = (roi.xbegin, roi.xend);
        if nc == 0 || x0 >= x1 {
            return;
        }
        let (dpb, spb) = (ds.pixel_bytes(false), ss.pixel_bytes(false));
        let (dbt, sbt) = (ds.format.basetype, ss.format.basetype);
        let (dbs, sbs) = (ds.format.basesize(), ss.format.basesize());
        let whole_pixels = nc == ds.nchannels as usize && nc == ss.nchannels as usize;
        let h = ds.height.max(1) as usize;
        let row_bytes = ds.width.max(0) as usize * dpb;
        if row_bytes == 0 {
            return;
        }
        dst.bytes_mut()
            .par_chunks_mut(row_bytes)
            .enumerate()
            .for_each(|(i, drow)| {
                let (y, z) = (ds.y + (i % h) as i32, ds.z + (i / h) as i32);
                if y < roi.ybegin || y >= roi.yend || z < roi.zbegin || z >= roi.zend {
                    return;
                }
                let so = src.pixel_offset(x0 as i64, y as i64, z as i64);
                let doff = (x0 - ds.x) as usize * dpb;
                let npix = (x1 - x0) as usize;
                if whole_pixels {
                    let s = &sp.bytes()[so..so + npix * spb];
                    convert_bytes_with(s, sbt, &mut drow[doff..doff + npix * dpb], dbt, false);
                } else {
                    for p in 0..npix {
                        let s = &sp.bytes()[so + p * spb..so + p * spb + nc * sbs];
                        let d = &mut drow[doff + p * dpb..doff + p * dpb + nc * dbs];
                        convert_bytes_with(s, sbt, d, dbt, false);
                    }
                }
            });
    }

    /// Set every pixel to zero.
    pub fn zero(&mut self) {
        if let Some(p) = self.pixels.as_mut() {
            p.bytes_mut().fill(0);
        }
    }

    /// Take src's display window, tile size and all its metadata.
    pub fn copy_metadata(&mut self, src: &ImageBuf) {
        let s = &src.spec;
        let d = &mut self.spec;
        (d.full_x, d.full_y, d.full_z) = (s.full_x, s.full_y, s.full_z);
        (d.full_width, d.full_height, d.full_depth) = (s.full_width, s.full_height, s.full_depth);
        (d.tile_width, d.tile_height, d.tile_depth) = (s.tile_width, s.tile_height, s.tile_depth);
        d.extra_attribs = s.extra_attribs.clone();
    }

    /// Add src's metadata whose names contain a match of `pattern` (a POSIX
    /// basic regex; empty matches all); existing entries are replaced only
    /// with `override_`, which also brings the display window ("full_geom")
    /// and tile size ("tile_size") when the pattern matches those names.
    pub fn merge_metadata(&mut self, src: &ImageBuf, override_: bool, pattern: &str) -> Result<(), Error> {
        let re = if pattern.is_empty() {
            None
        } else {
            crate::bre::compile_search(pattern)
        };
        if !pattern.is_empty() && re.is_none() {
            return Err(Error::BadPattern(pattern.to_string()));
        }
        let matches = |name: &str| re.as_ref().is_none_or(|r| r.is_match(name));
        for p in &src.spec.extra_attribs.items {
            if matches(p.name()) && (override_ || !self.spec.extra_attribs.contains(p.name(), TypeDesc::UNKNOWN, true))
            {
                self.spec.attribute(p.clone());
            }
        }
        if override_ {
            let (s, d) = (&src.spec, &mut self.spec);
            if matches("full_geom") {
                (d.full_x, d.full_y, d.full_z) = (s.full_x, s.full_y, s.full_z);
                (d.full_width, d.full_height, d.full_depth) = (s.full_width, s.full_height, s.full_depth);
            }
            if matches("tile_size") {
                (d.tile_width, d.tile_height, d.tile_depth) = (s.tile_width, s.tile_height, s.tile_depth);
            }
        }
        Ok(())
    }

    /// The four (or sixteen) neighbours of (x, y) around pixel centres, for
    /// interpolation: returns the integer corner and fractions.
    fn texel(x: f32, y: f32) -> (i32, i32, f32, f32) {
        let (x, y) = (x - 0.5, y - 0.5);
        let (fx, fy) = (x.floor(), y.floor());
        (fx as i32, fy as i32, x - fx, y - fy)
    }

    /// Bilinear interpolation at continuous coordinates (pixel centres at
    /// +0.5), OIIO's `interppixel`.
    pub fn interppixel(&self, x: f32, y: f32, wrap: Wrap) -> Vec<f32> {
        if !self.pixels_valid() {
            return self.getpixel_named(0, 0, 0, wrap, "interppixel");
        }
        let (xt, yt, s, t) = Self::texel(x, y);
        let p = |dx: i32, dy: i32| self.getpixel(xt + dx, yt + dy, 0, wrap);
        let (v0, v1, v2, v3) = (p(0, 0), p(1, 0), p(0, 1), p(1, 1));
        let s1 = 1.0 - s;
        (0..v0.len())
            .map(|c| (1.0 - t) * (v0[c] * s1 + v1[c] * s) + t * (v2[c] * s1 + v3[c] * s))
            .collect()
    }

    /// Bicubic B-spline interpolation (OIIO's `interppixel_bicubic`).
    pub fn interppixel_bicubic(&self, x: f32, y: f32, wrap: Wrap) -> Vec<f32> {
        if !self.pixels_valid() {
            return self.getpixel_named(0, 0, 0, wrap, "interppixel_bicubic");
        }
        let (xt, yt, fx, fy) = Self::texel(x, y);
        let weights = |f: f32| {
            let g = 1.0 - f;
            [
                (1.0 / 6.0) * g * g * g,
                (2.0 / 3.0) - 0.5 * f * f * (2.0 - f),
                (2.0 / 3.0) - 0.5 * g * g * (2.0 - g),
                (1.0 / 6.0) * f * f * f,
            ]
        };
        let (wx, wy) = (weights(fx), weights(fy));
        let mut out = vec![0.0f32; self.spec.nchannels.max(0) as usize];
        for (j, wyj) in wy.iter().enumerate() {
            for (i, wxi) in wx.iter().enumerate() {
                let w = wxi * wyj;
                let v = self.getpixel(xt - 1 + i as i32, yt - 1 + j as i32, 0, wrap);
                for (o, v) in out.iter_mut().zip(v) {
                    *o += w * v;
                }
            }
        }
        out
    }

    /// Map NDC coordinates (0..1 over the display window) to pixel space.
    pub fn ndc_to_pixel(&self, x: f32, y: f32) -> (f32, f32) {
        let s = &self.spec;
        (
            s.full_x as f32 + x * s.full_width as f32,
            s.full_y as f32 + y * s.full_height as f32,
        )
    }

    pub fn swap(&mut self, other: &mut ImageBuf) {
        std::mem::swap(self, other);
    }

    pub fn thumbnail(&self) -> Option<&ImageBuf> {
        self.thumbnail.as_deref()
    }
    /// Replace (or with `None`, remove) the thumbnail and the
    /// `thumbnail_*` metadata describing it.
    pub fn set_thumbnail(&mut self, thumb: Option<ImageBuf>) {
        self.thumbnail = None;
        for n in [
            "thumbnail_width",
            "thumbnail_height",
            "thumbnail_nchannels",
            "thumbnail_image",
        ] {
            self.spec.erase_attribute(n, TypeDesc::UNKNOWN, false);
        }
        if let Some(t) = thumb.filter(|t| t.initialized()) {
            self.spec.attribute_int("thumbnail_width", t.spec.width);
            self.spec.attribute_int("thumbnail_height", t.spec.height);
            self.spec.attribute_int("thumbnail_nchannels", t.spec.nchannels);
            self.thumbnail = Some(Box::new(t));
        }
    }
    pub fn set_write_format(&mut self, formats: Vec<TypeDesc>) {
        self.write_formats = formats;
    }
    pub fn write_formats(&self) -> &[TypeDesc] {
        &self.write_formats
    }
    pub fn set_write_tiles(&mut self, w: i32, h: i32, d: i32) {
        self.write_tiles = (w, h, d);
    }
    pub fn write_tiles(&self) -> (i32, i32, i32) {
        self.write_tiles
    }

    /// The Exif/TIFF orientation (1..8; 1 when absent).
    pub fn orientation(&self) -> i32 {
        self.spec.get_int_attribute("Orientation", 1)
    }

    /// Data and display windows as seen after applying the orientation:
    /// orientations 5-8 swap x and y. Returns (x, y, width, height) for the
    /// data window and the display window.
    pub fn oriented(&self) -> ([i32; 4], [i32; 4]) {
        let s = &self.spec;
        let swap = self.orientation() > 4;
        let pick = |a: [i32; 4]| if swap { [a[1], a[0], a[3], a[2]] } else { a };
        (
            pick([s.x, s.y, s.width, s.height]),
            pick([s.full_x, s.full_y, s.full_width, s.full_height]),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp() -> ImageBuf {
        let mut spec = ImageSpec::new(4, 3, 2, TypeDesc::FLOAT);
        spec.x = 10;
        spec.y = 20;
        let mut b = ImageBuf::from_spec(&spec);
        for y in 20..23 {
            for x in 10..14 {
                b.setpixel(x, y, 0, &[(x - 10) as f32 / 4.0, (y - 20) as f32 / 2.0]);
            }
        }
        b
    }

    #[test]
    fn get_set_round_trip() {
        let b = ramp();
        assert_eq!(b.getpixel(11, 21, 0, Wrap::Black), vec![0.25, 0.5]);
        assert_eq!(b.getpixel(0, 0, 0, Wrap::Black), vec![0.0, 0.0]);
        // Wrapping works in the display window (here 0..4 x 0..3, away from
        // the data window), so clamping lands outside the data: black.
        assert_eq!(b.getpixel(9, 21, 0, Wrap::Clamp), vec![0.0, 0.0]);
        let u8s = b.get_pixels(&Roi::ALL, TypeDesc::UINT8).unwrap();
        assert_eq!(u8s.len(), 4 * 3 * 2);
        assert_eq!(&u8s[2..4], &[64, 0]);
        let mut c = ImageBuf::from_spec(b.spec());
        c.set_pixels(&Roi::ALL, TypeDesc::UINT8, &u8s).unwrap();
        assert_eq!(c.getpixel(13, 22, 0, Wrap::Black)[1], 1.0);
    }

    #[test]
    fn roi_partly_outside_reads_zeros() {
        let b = ramp();
        let r = Roi::new(12, 16, 21, 22, 0, 1, 1, 2);
        let v: Vec<f32> = bytemuck::pod_collect_to_vec(&b.get_pixels(&r, TypeDesc::FLOAT).unwrap());
        assert_eq!(v, [0.5, 0.5, 0.0, 0.0]);
    }

    #[test]
    fn impossible_size_is_an_error_not_an_abort() {
        let b = ImageBuf::from_spec(&ImageSpec::new(1 << 30, 1 << 30, 64, TypeDesc::DOUBLE));
        assert!(!b.initialized() && b.has_error());
    }

    #[test]
    fn wrap_modes() {
        assert_eq!(Wrap::Periodic.apply(-1, 0, 4), Some(3));
        assert_eq!(Wrap::Mirror.apply(-1, 0, 4), Some(0));
        assert_eq!(Wrap::Mirror.apply(4, 0, 4), Some(3));
        assert_eq!(Wrap::Black.apply(4, 0, 4), None);
    }
}

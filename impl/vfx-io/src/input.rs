//! A file open through OIIO's `ImageInput` protocol: specs by subimage and
//! MIP level, and pixels by image, scanlines or tiles in any type. A
//! subimage/level is decoded whole once and kept, so reading it piecewise
//! (a scanline loop, tile by tile) does not decode the file again.

use crate::{registry, IoError, Reader};
use std::path::Path;
use std::sync::Arc;
use vfx_core::{DeepData, ImageBuf, ImageSpec, Roi, TypeDesc};

pub struct InputFile {
    reader: Box<dyn Reader>,
    decoded: Option<((usize, usize), Arc<ImageBuf>)>,
}

impl InputFile {
    pub fn open(path: &Path, config: Option<&ImageSpec>) -> Result<InputFile, IoError> {
        Ok(InputFile {
            reader: registry::open(path, config)?,
            decoded: None,
        })
    }

    pub fn format_name(&self) -> &'static str {
        self.reader.format_name()
    }

    pub fn spec(&self, subimage: usize, miplevel: usize) -> Option<ImageSpec> {
        self.reader.spec(subimage, miplevel)
    }

    /// Number of subimages, and of MIP levels of `subimage`.
    pub fn counts(&self, subimage: usize) -> (usize, usize) {
        let nsub = (0..).take_while(|s| self.reader.spec(*s, 0).is_some()).count();
        let nmip = (0..).take_while(|m| self.reader.spec(subimage, *m).is_some()).count();
        (nsub, nmip)
    }

    fn missing(subimage: usize, miplevel: usize) -> IoError {
        IoError::Open(format!("Invalid subimage {subimage} / MIP level {miplevel}"))
    }

    /// The whole subimage/level, in the file's type, decoded once.
    pub fn decoded(&mut self, subimage: usize, miplevel: usize) -> Result<Arc<ImageBuf>, IoError> {
        if let Some((key, buf)) = &self.decoded {
            if *key == (subimage, miplevel) {
                return Ok(buf.clone());
            }
        }
        let spec = self
            .reader
            .spec(subimage, miplevel)
            .ok_or_else(|| Self::missing(subimage, miplevel))?;
        if spec.deep {
            return Err(IoError::Unsupported(
                "read_image is not supported for deep images: use read_native_deep_image".into(),
            ));
        }
        let pixels = self.reader.read_image(subimage, miplevel)?;
        let buf = Arc::new(ImageBuf::from_parts(spec, pixels).map_err(|e| IoError::Corrupt(e.to_string()))?);
        self.decoded = Some(((subimage, miplevel), buf.clone()));
        Ok(buf)
    }

    /// Pixels of `roi` (channels clipped as OIIO clamps them: at least one)
    /// as `format` (UNKNOWN: the file's type) into `out`, which must be
    /// zeroed and exactly the region's size; parts outside the data window
    /// stay zero.
    pub fn read_region(
        &mut self,
        subimage: usize,
        miplevel: usize,
        roi: &Roi,
        format: TypeDesc,
        out: &mut [u8],
    ) -> Result<(), IoError> {
        let buf = self.decoded(subimage, miplevel)?;
        buf.get_pixels_into(roi, format, out)
            .map_err(|e| IoError::Corrupt(e.to_string()))
    }

    /// Clamp a channel range the way OIIO's readers do.
    pub fn channel_range(spec: &ImageSpec, chbegin: i32, chend: i32) -> (i32, i32) {
        let chend = chend.clamp(chbegin + 1, spec.nchannels.max(chbegin + 1));
        (chbegin, chend.min(spec.nchannels).max(chbegin + 1))
    }

    /// The region `read_tiles` may read: tile-aligned in a tiled file.
    pub fn tiles_roi(spec: &ImageSpec, x: (i32, i32), y: (i32, i32), z: (i32, i32), ch: (i32, i32)) -> Option<Roi> {
        if !spec.valid_tile_range(x.0, x.1, y.0, y.1, z.0, z.1) {
            return None;
        }
        Some(Roi {
            xbegin: x.0,
            xend: x.1,
            ybegin: y.0,
            yend: y.1,
            zbegin: z.0,
            zend: z.1,
            chbegin: ch.0,
            chend: ch.1,
        })
    }

    /// The thumbnail stored with `subimage`, as an ImageBuf.
    pub fn thumbnail(&mut self, subimage: usize) -> Result<Option<ImageBuf>, IoError> {
        match self.reader.thumbnail(subimage)? {
            Some((spec, px)) => Ok(Some(
                ImageBuf::from_parts(spec, px).map_err(|e| IoError::Corrupt(e.to_string()))?,
            )),
            None => Ok(None),
        }
    }

    /// Deep pixels of a deep subimage.
    pub fn read_deep(&mut self, subimage: usize, miplevel: usize) -> Result<DeepData, IoError> {
        let spec = self
            .reader
            .spec(subimage, miplevel)
            .ok_or_else(|| Self::missing(subimage, miplevel))?;
        if !spec.deep {
            return Err(IoError::Unsupported("The image is not deep".into()));
        }
        self.reader
            .read_deep(subimage, miplevel)?
            .ok_or_else(|| IoError::Unsupported(format!("{} does not support deep data", self.format_name())))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn channel_ranges_clamp_as_oiio() {
        let spec = ImageSpec::new(2, 2, 3, TypeDesc::FLOAT);
        assert_eq!(InputFile::channel_range(&spec, 1, 10), (1, 3));
        assert_eq!(InputFile::channel_range(&spec, 2, 1), (2, 3));
        assert_eq!(InputFile::channel_range(&spec, 0, 2), (0, 2));
    }

    #[test]
    fn tile_ranges_must_be_aligned() {
        let mut spec = ImageSpec::new(40, 20, 3, TypeDesc::FLOAT);
        (spec.tile_width, spec.tile_height, spec.tile_depth) = (16, 16, 1);
        assert!(InputFile::tiles_roi(&spec, (16, 32), (0, 16), (0, 1), (0, 3)).is_some());
        assert!(InputFile::tiles_roi(&spec, (32, 40), (16, 20), (0, 1), (0, 3)).is_some());
        assert!(InputFile::tiles_roi(&spec, (8, 16), (0, 16), (0, 1), (0, 3)).is_none());
        spec.tile_width = 0;
        assert!(InputFile::tiles_roi(&spec, (0, 16), (0, 16), (0, 1), (0, 3)).is_none());
    }
}

/// The largest image a format accepts when opening: width, height, depth
/// and channel count (OIIO's `check_open` range).
#[derive(Clone, Copy, Debug)]
pub struct OpenLimits {
    pub width: i32,
    pub height: i32,
    pub depth: i32,
    pub nchannels: i32,
}

/// OIIO's `ImageInput::check_open`: the sanity checks every reader makes on
/// a header before trusting it (at least 1x1x1 with a channel, within the
/// format's limits, and within the global `limits:channels`,
/// `limits:resolution` and `limits:imagesize_MB`), with OIIO's messages.
pub fn check_open(format_name: &str, spec: &ImageSpec, limits: OpenLimits) -> Result<(), String> {
    use vfx_core::globals::get_int_attribute;
    let (w, h, d, n) = (spec.width, spec.height, spec.depth, spec.nchannels);
    let name = format_name;
    if w <= 0 || h <= 0 || d <= 0 || n <= 0 {
        return Err(format!(
            "{name} image resolution must be at least 1x1, but the file specified {w}x{h}x{d}, {n} chans. Possible corrupt input?"
        ));
    }
    let (mw, mh, md) = (limits.width, limits.height, limits.depth);
    if d > md {
        return Err(format!(
            "{name} image resolution may not exceed {mw}x{mh}x{md}, but the file appears to be {w}x{h}x{d}. Possible corrupt input?"
        ));
    }
    if w > mw || h > mh {
        return Err(format!(
            "{name} image resolution may not exceed {mw}x{mh}, but the file appears to be {w}x{h}. Possible corrupt input?"
        ));
    }
    if n > limits.nchannels {
        return Err(format!(
            "{name} does not support {n}-channel images. Possible corrupt input?"
        ));
    }
    let max_ch = get_int_attribute("limits:channels", 1024);
    if max_ch > 0 && n > max_ch {
        return Err(format!(
            "{n} channels exceeds \"limits:channels\" = {max_ch}. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:channels\"."
        ));
    }
    let max_res = get_int_attribute("limits:resolution", 1 << 20);
    if max_res > 0 && (w > max_res || h > max_res || d > max_res) {
        let dims = if d > 1 {
            format!("{w}x{h}x{d}")
        } else {
            format!("{w}x{h}")
        };
        return Err(format!(
            "{name} image dimension {dims} exceeds \"limits:resolution\" = {max_res} for a single dimension. Possible corrupt input?\nIf you're sure this is a valid file, raise the OIIO global attribute \"limits:resolution\"."
        ));
    }
    let max_mb = get_int_attribute("limits:imagesize_MB", 0);
    let bytes = spec.image_bytes(true);
    if max_mb > 0 && bytes > (max_mb as u64) << 20 {
        return Err(format!(
            "Uncompressed image size {:.1} MB exceeds the {max_mb} MB limit.\nImage claimed to be {w}x{h}, {n}-channel {}. Possible corrupt input?\nIf this is a valid file, raise the OIIO attribute \"limits:imagesize_MB\".",
            bytes as f32 / (1u64 << 20) as f32,
            spec.format
        ));
    }
    Ok(())
}

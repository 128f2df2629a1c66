//! `ImageSpec`: an image's geometry, pixel format, channels and metadata,
//! with OIIO's size arithmetic, attribute lookup and text/XML serialisation.

use crate::explain::explain;
use crate::paramvalue::{Interp, ParamValue, ParamValueList, Value};
use crate::roi::Roi;
use crate::strutil::{escape_chars, fmt_g, stoi};
use crate::typedesc::{Aggregate, BaseType, TypeDesc};

/// How many channels `default_channel_names` names (OIIO's default
/// `limits:channels`).
pub const MAX_NAMED_CHANNELS: i32 = 1024;

/// OIIO's plugin ABI version, written into `to_xml`.
pub const PLUGIN_VERSION: i32 = 27;

#[derive(Clone, Debug, PartialEq)]
pub struct ImageSpec {
    pub x: i32,
    pub y: i32,
    pub z: i32,
    pub width: i32,
    pub height: i32,
    pub depth: i32,
    pub full_x: i32,
    pub full_y: i32,
    pub full_z: i32,
    pub full_width: i32,
    pub full_height: i32,
    pub full_depth: i32,
    pub tile_width: i32,
    pub tile_height: i32,
    pub tile_depth: i32,
    pub nchannels: i32,
    pub format: TypeDesc,
    pub channelformats: Vec<TypeDesc>,
    pub channelnames: Vec<String>,
    pub alpha_channel: i32,
    pub z_channel: i32,
    pub deep: bool,
    pub extra_attribs: ParamValueList,
}

/// How much `serialize` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum SerialVerbose {
    Brief,
    Detailed,
    DetailedHuman,
}

impl Default for ImageSpec {
    fn default() -> Self {
        ImageSpec::with_format(TypeDesc::UNKNOWN)
    }
}

/// Saturating products, so absurd dimensions report "huge", never wrap.
fn mul_sat(a: u64, b: u64) -> u64 {
    a.saturating_mul(b)
}

impl ImageSpec {
    /// An empty spec with only the pixel format set.
    pub fn with_format(format: TypeDesc) -> ImageSpec {
        ImageSpec {
            x: 0,
            y: 0,
            z: 0,
            width: 0,
            height: 0,
            depth: 1,
            full_x: 0,
            full_y: 0,
            full_z: 0,
            full_width: 0,
            full_height: 0,
            full_depth: 0,
            tile_width: 0,
            tile_height: 0,
            tile_depth: 1,
            nchannels: 0,
            format,
            channelformats: Vec::new(),
            channelnames: Vec::new(),
            alpha_channel: -1,
            z_channel: -1,
            deep: false,
            extra_attribs: ParamValueList::new(),
        }
    }

    /// A 2D image of `xres` x `yres` with `nchans` default-named channels.
    pub fn new(xres: i32, yres: i32, nchans: i32, format: TypeDesc) -> ImageSpec {
        let mut s = ImageSpec::with_format(format);
        s.width = xres;
        s.height = yres;
        s.full_width = xres;
        s.full_height = yres;
        s.full_depth = 1;
        s.nchannels = nchans;
        s.default_channel_names();
        s
    }

    /// A spec whose data and display windows are `roi`.
    pub fn from_roi(roi: &Roi, format: TypeDesc) -> ImageSpec {
        let mut s = ImageSpec::with_format(format);
        s.x = roi.xbegin;
        s.y = roi.ybegin;
        s.z = roi.zbegin;
        s.width = roi.width();
        s.height = roi.height();
        s.depth = roi.depth();
        s.full_x = s.x;
        s.full_y = s.y;
        s.full_z = s.z;
        s.full_width = s.width;
        s.full_height = s.height;
        s.full_depth = 1;
        s.nchannels = roi.nchannels();
        s.default_channel_names();
        s
    }

    pub fn set_format(&mut self, fmt: TypeDesc) {
        self.format = fmt;
        self.channelformats.clear();
    }

    /// R, G, B, A, channel4... (a single channel is "Y"); sets alpha_channel.
    pub fn default_channel_names(&mut self) {
        self.channelnames.clear();
        self.alpha_channel = -1;
        self.z_channel = -1;
        if self.nchannels < 1 {
            return;
        }
        if self.nchannels == 1 {
            self.channelnames.push("Y".into());
            return;
        }
        for (i, n) in ["R", "G", "B", "A"].iter().enumerate().take(self.nchannels as usize) {
            self.channelnames.push(n.to_string());
            if i == 3 {
                self.alpha_channel = 3;
            }
        }
        // OIIO names at most `limits:channels` (1024) channels.
        for c in 4..self.nchannels.min(MAX_NAMED_CHANNELS) {
            self.channelnames.push(format!("channel{c}"));
        }
    }

    pub fn channel_bytes(&self) -> usize {
        self.format.size()
    }

    pub fn channel_bytes_of(&self, chan: i32, native: bool) -> usize {
        if chan >= self.nchannels {
            return 0;
        }
        if !native || self.channelformats.is_empty() {
            self.format.size()
        } else {
            self.channelformats.get(chan.max(0) as usize).map_or(0, |t| t.size())
        }
    }

    pub fn pixel_bytes(&self, native: bool) -> usize {
        if self.nchannels < 0 {
            return 0;
        }
        self.pixel_bytes_range(0, self.nchannels, native)
    }

    pub fn pixel_bytes_range(&self, chbegin: i32, chend: i32, native: bool) -> usize {
        if chbegin < 0 {
            return 0;
        }
        let chend = chend.max(chbegin);
        if !native || self.channelformats.is_empty() {
            ((chend - chbegin) as u64)
                .saturating_mul(self.channel_bytes() as u64)
                .min(u32::MAX as u64) as usize
        } else {
            (chbegin..chend)
                .map(|c| self.channelformats.get(c as usize).map_or(0, |t| t.size()))
                .sum()
        }
    }

    pub fn scanline_bytes(&self, native: bool) -> u64 {
        if self.width < 0 {
            return 0;
        }
        mul_sat(self.width as u64, self.pixel_bytes(native) as u64)
    }

    /// Bytes per scanline if the pixels were of `ty` (UNKNOWN = native).
    pub fn scanline_bytes_as(&self, ty: TypeDesc) -> u64 {
        if ty.is_basetype(BaseType::Unknown) {
            return self.scanline_bytes(true);
        }
        mul_sat(mul_sat(self.width as u64, self.nchannels as u64), ty.size() as u64)
    }

    pub fn tile_pixels(&self) -> u64 {
        if self.tile_width <= 0 || self.tile_height <= 0 || self.tile_depth <= 0 {
            return 0;
        }
        let r = mul_sat(self.tile_width as u64, self.tile_height as u64);
        if self.tile_depth > 1 {
            mul_sat(r, self.tile_depth as u64)
        } else {
            r
        }
    }

    pub fn tile_bytes(&self, native: bool) -> u64 {
        mul_sat(self.tile_pixels(), self.pixel_bytes(native) as u64)
    }

    pub fn tile_bytes_as(&self, ty: TypeDesc) -> u64 {
        if ty.is_basetype(BaseType::Unknown) {
            return self.tile_bytes(true);
        }
        mul_sat(mul_sat(self.tile_pixels(), self.nchannels as u64), ty.size() as u64)
    }

    pub fn image_pixels(&self) -> u64 {
        if self.width < 0 || self.height < 0 || self.depth < 0 {
            return 0;
        }
        let r = mul_sat(self.width as u64, self.height as u64);
        if self.depth > 1 {
            mul_sat(r, self.depth as u64)
        } else {
            r
        }
    }

    pub fn image_bytes(&self, native: bool) -> u64 {
        mul_sat(self.image_pixels(), self.pixel_bytes(native) as u64)
    }

    pub fn image_bytes_as(&self, ty: TypeDesc) -> u64 {
        if ty.is_basetype(BaseType::Unknown) {
            return self.image_bytes(false);
        }
        mul_sat(
            self.image_pixels(),
            (self.nchannels as u64).saturating_mul(ty.size() as u64),
        )
    }

    /// True if the image's byte size fits in memory addressing.
    pub fn size_t_safe(&self) -> bool {
        let big = usize::MAX as u64;
        self.image_bytes(false) < big && self.scanline_bytes(false) < big && self.tile_bytes(false) < big
    }

    pub fn channelformat(&self, chan: i32) -> TypeDesc {
        if chan >= 0 && (chan as usize) < self.channelformats.len() {
            self.channelformats[chan as usize]
        } else {
            self.format
        }
    }

    pub fn channel_name(&self, chan: i32) -> &str {
        if chan >= 0 && (chan as usize) < self.channelnames.len() {
            &self.channelnames[chan as usize]
        } else {
            ""
        }
    }

    /// Per-channel formats, padded with `format` up to `nchannels`.
    pub fn get_channelformats(&self) -> Vec<TypeDesc> {
        let mut f = self.channelformats.clone();
        if f.len() < self.nchannels.max(0) as usize {
            f.resize(self.nchannels as usize, self.format);
        }
        f
    }

    pub fn channelindex(&self, name: &str) -> i32 {
        (0..self.nchannels.max(0))
            .find(|&i| self.channelnames.get(i as usize).is_some_and(|n| n == name))
            .unwrap_or(-1)
    }

    /// True if the range starts on tile boundaries, ends on one (or at the
    /// image edge) and lies within the image's tiled extent.
    pub fn valid_tile_range(&self, xbegin: i32, xend: i32, ybegin: i32, yend: i32, zbegin: i32, zend: i32) -> bool {
        fn axis(begin: i32, end: i32, origin: i32, size: i32, tile: i32) -> bool {
            let (b, e) = (begin as i64 - origin as i64, end as i64 - origin as i64);
            let tile = tile as i64;
            let extent = (size as i64 + tile - 1).div_euclid(tile) * tile;
            b >= 0 && b <= e && e <= extent && b % tile == 0 && (e % tile == 0 || e == size as i64)
        }
        if self.tile_width <= 0 || self.tile_height <= 0 || self.tile_depth <= 0 {
            return false;
        }
        axis(xbegin, xend, self.x, self.width, self.tile_width)
            && axis(ybegin, yend, self.y, self.height, self.tile_height)
            && axis(zbegin, zend, self.z, self.depth, self.tile_depth)
    }

    /// Copy everything but the metadata from `other`.
    pub fn copy_dimensions(&mut self, other: &ImageSpec) {
        let extra = std::mem::take(&mut self.extra_attribs);
        let names = std::mem::take(&mut self.channelnames);
        *self = other.clone();
        self.extra_attribs = extra;
        self.channelnames = names;
    }

    pub fn roi(&self) -> Roi {
        Roi::new(
            self.x,
            self.x.wrapping_add(self.width),
            self.y,
            self.y.wrapping_add(self.height),
            self.z,
            self.z.wrapping_add(self.depth),
            0,
            self.nchannels,
        )
    }

    pub fn roi_full(&self) -> Roi {
        Roi::new(
            self.full_x,
            self.full_x.wrapping_add(self.full_width),
            self.full_y,
            self.full_y.wrapping_add(self.full_height),
            self.full_z,
            self.full_z.wrapping_add(self.full_depth),
            0,
            self.nchannels,
        )
    }

    pub fn set_roi(&mut self, r: &Roi) {
        self.x = r.xbegin;
        self.y = r.ybegin;
        self.z = r.zbegin;
        self.width = r.width();
        self.height = r.height();
        self.depth = r.depth();
    }

    pub fn set_roi_full(&mut self, r: &Roi) {
        self.full_x = r.xbegin;
        self.full_y = r.ybegin;
        self.full_z = r.zbegin;
        self.full_width = r.width();
        self.full_height = r.height();
        self.full_depth = r.depth();
    }

    // ---- metadata ----

    /// Set (add or replace, matched case-insensitively) an attribute.
    pub fn attribute(&mut self, p: ParamValue) {
        if p.name().is_empty() {
            return;
        }
        match self.extra_attribs.find(p.name(), TypeDesc::UNKNOWN, false) {
            Some(i) => self.extra_attribs.items[i] = p,
            None => self.extra_attribs.items.push(p),
        }
    }

    pub fn attribute_int(&mut self, name: &str, v: i32) {
        self.attribute(ParamValue::from_int(name, v));
    }
    pub fn attribute_float(&mut self, name: &str, v: f32) {
        self.attribute(ParamValue::from_float(name, v));
    }
    pub fn attribute_str(&mut self, name: &str, v: &str) {
        self.attribute(ParamValue::from_str(name, v));
    }

    /// Remove attributes whose names match `pattern` (a POSIX basic regular
    /// expression, as OIIO uses) and, unless UNKNOWN, whose type is `ty`.
    pub fn erase_attribute(&mut self, pattern: &str, ty: TypeDesc, casesensitive: bool) {
        if self.extra_attribs.is_empty() {
            return;
        }
        let Some(re) = crate::bre::compile(pattern, casesensitive) else {
            return;
        };
        self.extra_attribs
            .items
            .retain(|p| !(re.is_match(p.name()) && (ty.is_unknown() || ty == p.type_desc())));
    }

    /// Look up metadata, falling back to the spec's own fields ("width",
    /// "format", "geom", "datawindow", ...) the way OIIO does.
    pub fn find_attribute(&self, name: &str, ty: TypeDesc, casesensitive: bool) -> Option<ParamValue> {
        if let Some(p) = self.extra_attribs.get(name, ty, casesensitive) {
            return Some(p.clone());
        }
        let matches = |n: &str, t: TypeDesc| {
            (if casesensitive {
                name == n
            } else {
                name.eq_ignore_ascii_case(n)
            }) && (ty.is_unknown() || ty == t)
        };
        let ints: [(&str, i32); 18] = [
            ("nchannels", self.nchannels),
            ("width", self.width),
            ("height", self.height),
            ("depth", self.depth),
            ("x", self.x),
            ("y", self.y),
            ("z", self.z),
            ("full_width", self.full_width),
            ("full_height", self.full_height),
            ("full_depth", self.full_depth),
            ("full_x", self.full_x),
            ("full_y", self.full_y),
            ("full_z", self.full_z),
            ("tile_width", self.tile_width),
            ("tile_height", self.tile_height),
            ("tile_depth", self.tile_depth),
            ("alpha_channel", self.alpha_channel),
            ("z_channel", self.z_channel),
        ];
        for (n, v) in ints {
            if matches(n, TypeDesc::INT) {
                return Some(ParamValue::from_int(n, v));
            }
        }
        if matches("format", TypeDesc::STRING) {
            return Some(ParamValue::from_str("format", &self.format.name()));
        }
        let geom = |w: i32, h: i32, d: i32, x: i32, y: i32, z: i32| {
            if self.depth <= 1 && self.full_depth <= 1 {
                format!("{w}x{h}{x:+}{y:+}")
            } else {
                format!("{w}x{h}x{d}{x:+}{y:+}{z:+}")
            }
        };
        if matches("geom", TypeDesc::STRING) {
            let s = geom(self.width, self.height, self.depth, self.x, self.y, self.z);
            return Some(ParamValue::from_str("geom", &s));
        }
        if matches("full_geom", TypeDesc::STRING) {
            let s = geom(
                self.full_width,
                self.full_height,
                self.full_depth,
                self.full_x,
                self.full_y,
                self.full_z,
            );
            return Some(ParamValue::from_str("full_geom", &s));
        }
        let int4 = TypeDesc::new(BaseType::Int32, Aggregate::Scalar, Default::default(), 4);
        let int6 = TypeDesc::new(BaseType::Int32, Aggregate::Scalar, Default::default(), 6);
        let window = |t: TypeDesc, v: &[i32]| {
            let vals: Vec<Value> = v.iter().map(|&i| Value::Int(i as i64)).collect();
            ParamValue::from_values(name, t, 1, Interp::Constant, &vals)
        };
        let (x, y, z, w, h, d) = (self.x, self.y, self.z, self.width, self.height, self.depth);
        if matches("datawindow", int4) {
            return window(int4, &[x, y, x + w - 1, y + h - 1]);
        }
        if matches("datawindow", int6) {
            return window(int6, &[x, y, z, x + w - 1, y + h - 1, z + d - 1]);
        }
        let (x, y, z, w, h, d) = (
            self.full_x,
            self.full_y,
            self.full_z,
            self.full_width,
            self.full_height,
            self.full_depth,
        );
        if matches("displaywindow", int4) {
            return window(int4, &[x, y, x + w - 1, y + h - 1]);
        }
        if matches("displaywindow", int6) {
            return window(int6, &[x, y, z, x + w - 1, y + h - 1, z + d - 1]);
        }
        None
    }

    pub fn get_int_attribute(&self, name: &str, default: i32) -> i32 {
        self.find_attribute(name, TypeDesc::UNKNOWN, false)
            .map_or(default, |p| p.get_int(default))
    }

    /// Note: like OIIO, only real metadata is consulted (not "width" etc.).
    pub fn get_float_attribute(&self, name: &str, default: f32) -> f32 {
        self.extra_attribs.get_float(name, default, false, true)
    }

    pub fn get_string_attribute(&self, name: &str, default: &str) -> String {
        self.find_attribute(name, TypeDesc::UNKNOWN, false)
            .map_or(default.to_string(), |p| p.get_ustring(64))
    }

    /// Set the colour space name and drop metadata that could contradict it.
    /// Names are compared literally (colour-config equivalence comes with
    /// the colour management work).
    pub fn set_colorspace(&mut self, name: &str) {
        let old = self.get_string_attribute("oiio:ColorSpace", "");
        if !old.is_empty() && !name.is_empty() && old == name {
            return;
        }
        if name.is_empty() {
            self.erase_attribute("oiio:ColorSpace", TypeDesc::UNKNOWN, false);
        } else {
            self.attribute_str("oiio:ColorSpace", name);
        }
        if !is_srgb_alias(name) {
            self.erase_attribute("Exif:ColorSpace", TypeDesc::UNKNOWN, false);
        }
        for n in [
            "tiff:ColorSpace",
            "tiff:PhotometricInterpretation",
            "oiio:Gamma",
            "CICP",
        ] {
            self.erase_attribute(n, TypeDesc::UNKNOWN, false);
        }
    }

    // ---- serialisation ----

    /// A metadata value as text; `human` adds explanations and truncates
    /// long arrays (OIIO's `metadata_val`).
    pub fn metadata_val(p: &ParamValue, human: bool) -> String {
        let mut out = p.get_string(if human { 16 } else { 1024 });
        let ty = p.type_desc();
        if ty == TypeDesc::STRING && p.nvalues() == 1 {
            out = format!("\"{}\"", escape_chars(&out));
        }
        if human {
            let mut nice = explain(p).unwrap_or_default();
            if ty.elementtype() == TypeDesc::RATIONAL {
                let vals = p.values();
                for i in 0..ty.numelements() {
                    if i > 0 {
                        nice += ", ";
                    }
                    let num = vals.get(2 * i).map_or(0, Value::as_i64);
                    let den = vals.get(2 * i + 1).map_or(0, Value::as_i64);
                    if den != 0 {
                        nice += &fmt_g((num as f32 / den as f32) as f64);
                    } else {
                        nice += "inf";
                    }
                }
            }
            if !nice.is_empty() {
                out = format!("{out} ({nice})");
            }
        }
        out
    }

    pub fn serialize_text(&self, verbose: SerialVerbose) -> String {
        let mut out = String::new();
        if self.depth > 1 {
            out += &format!("{:4} x {:4} x {:4}", self.width, self.height, self.depth);
        } else {
            out += &format!("{:4} x {:4}", self.width, self.height);
        }
        out += &format!(
            ", {} channel, {}{}",
            self.nchannels,
            if self.deep { "deep " } else { "" },
            if self.depth > 1 { "volume " } else { "" }
        );
        if !self.channelformats.is_empty() {
            out += &self
                .channelformats
                .iter()
                .map(|t| t.name())
                .collect::<Vec<_>>()
                .join("/");
        } else {
            let bits = self.get_int_attribute("oiio:BitsPerSample", 0);
            out += &extended_format_name(self.format, bits);
        }
        out += "\n";
        if verbose >= SerialVerbose::Detailed {
            out += "    channel list: ";
            for i in 0..self.nchannels.max(0) {
                out += self.channelnames.get(i as usize).map_or("unknown", |s| s.as_str());
                if let Some(f) = self.channelformats.get(i as usize) {
                    out += &format!(" ({f})");
                }
                if i < self.nchannels - 1 {
                    out += ", ";
                }
            }
            out += "\n";
            let vol = self.depth > 1;
            if self.x != 0 || self.y != 0 || self.z != 0 {
                out += &if vol {
                    format!("    pixel data origin: x={}, y={}, z={}\n", self.x, self.y, self.z)
                } else {
                    format!("    pixel data origin: x={}, y={}\n", self.x, self.y)
                };
            }
            if self.full_x != 0
                || self.full_y != 0
                || self.full_z != 0
                || (self.full_width != self.width && self.full_width != 0)
                || (self.full_height != self.height && self.full_height != 0)
                || (self.full_depth != self.depth && self.full_depth != 0)
            {
                out += &format!(
                    "    full/display size: {}\n",
                    self.format_res(self.full_width, self.full_height, self.full_depth)
                );
                out += &if vol {
                    format!(
                        "    full/display origin: {}, {}, {}\n",
                        self.full_x, self.full_y, self.full_z
                    )
                } else {
                    format!("    full/display origin: {}, {}\n", self.full_x, self.full_y)
                };
            }
            if self.tile_width != 0 {
                out += &format!(
                    "    tile size: {}\n",
                    self.format_res(self.tile_width, self.tile_height, self.tile_depth)
                );
            }
            let mut attribs = self.extra_attribs.clone();
            attribs.sort(false);
            for p in &attribs.items {
                let mut s = Self::metadata_val(p, verbose == SerialVerbose::DetailedHuman);
                if s == "1.#INF" {
                    s = "inf".into();
                }
                out += &format!("    {}: {}\n", p.name(), s);
            }
        }
        out
    }

    fn format_res(&self, w: i32, h: i32, d: i32) -> String {
        if self.depth > 1 {
            format!("{w} x {h} x {d}")
        } else {
            format!("{w} x {h}")
        }
    }

    /// The XML form (`serialize("xml")`); Brief leaves out the metadata.
    pub fn serialize_xml(&self, verbose: SerialVerbose) -> String {
        let mut out = format!("<ImageSpec version=\"{PLUGIN_VERSION}\">\n");
        let node =
            |out: &mut String, name: &str, v: &str| *out += &format!("<{name}>{}</{name}>\n", xml_escape(v, false));
        let ints = [
            ("x", self.x),
            ("y", self.y),
            ("z", self.z),
            ("width", self.width),
            ("height", self.height),
            ("depth", self.depth),
            ("full_x", self.full_x),
            ("full_y", self.full_y),
            ("full_z", self.full_z),
            ("full_width", self.full_width),
            ("full_height", self.full_height),
            ("full_depth", self.full_depth),
            ("tile_width", self.tile_width),
            ("tile_height", self.tile_height),
            ("tile_depth", self.tile_depth),
        ];
        for (n, v) in ints {
            node(&mut out, n, &v.to_string());
        }
        node(&mut out, "format", &self.format.name());
        node(&mut out, "nchannels", &self.nchannels.to_string());
        // pugixml writes an element with no children as a self-closing tag.
        if self.channelnames.is_empty() {
            out += "<channelnames />\n";
        } else {
            out += "<channelnames>\n";
            for n in &self.channelnames {
                out += &format!("<channelname>{}</channelname>\n", xml_escape(n, false));
            }
            out += "</channelnames>\n";
        }
        for (n, v) in [
            ("alpha_channel", self.alpha_channel),
            ("z_channel", self.z_channel),
            ("deep", self.deep as i32),
        ] {
            out += &format!("<{n}>{v}</{n}>\n");
        }
        if verbose > SerialVerbose::Brief {
            for p in &self.extra_attribs.items {
                let mut s = Self::metadata_val(p, false);
                if s == "1.#INF" {
                    s = "inf".into();
                }
                if p.type_desc() == TypeDesc::STRING && s.len() >= 2 && s.starts_with('"') && s.ends_with('"') {
                    s = s[1..s.len() - 1].to_string();
                }
                let mut desc = explain(p).unwrap_or_default();
                if p.type_desc() == TypeDesc::TIMECODE {
                    desc = p.get_string(64);
                }
                out += &format!(
                    "<attrib name=\"{}\" type=\"{}\"",
                    xml_escape(p.name(), true),
                    xml_escape(&p.type_desc().name(), true)
                );
                if !desc.is_empty() {
                    out += &format!(" description=\"{}\"", xml_escape(&desc, true));
                }
                if s.is_empty() {
                    out += " />\n";
                } else {
                    out += &format!(">{}</attrib>\n", xml_escape(&s, false));
                }
            }
        }
        out += "</ImageSpec>\n";
        out
    }

    pub fn to_xml(&self) -> String {
        self.serialize_xml(SerialVerbose::DetailedHuman)
    }

    /// Read the fields and metadata from `to_xml` text. Missing fields read
    /// as 0, like OIIO; unparsable XML leaves zeros too.
    #[allow(clippy::wrong_self_convention)] // OIIO's name for an in-place read
    pub fn from_xml(&mut self, xml: &str) {
        let doc = roxmltree::Document::parse(xml).ok();
        let root = doc
            .as_ref()
            .and_then(|d| d.root().children().find(|n| n.has_tag_name("ImageSpec")));
        let child_text = |name: &str| -> String {
            root.and_then(|r| r.children().find(|n| n.has_tag_name(name)))
                .and_then(|n| n.text())
                .unwrap_or("")
                .to_string()
        };
        let geti = |name: &str| stoi(&child_text(name)) as i32;
        self.x = geti("x");
        self.y = geti("y");
        self.z = geti("z");
        self.width = geti("width");
        self.height = geti("height");
        self.depth = geti("depth");
        self.full_x = geti("full_x");
        self.full_y = geti("full_y");
        self.full_z = geti("full_z");
        self.full_width = geti("full_width");
        self.full_height = geti("full_height");
        self.full_depth = geti("full_depth");
        self.tile_width = geti("tile_width");
        self.tile_height = geti("tile_height");
        self.tile_depth = geti("tile_depth");
        self.format = TypeDesc::from_name(&child_text("format")).unwrap_or(TypeDesc::UNKNOWN);
        self.nchannels = geti("nchannels");
        if let Some(cn) = root.and_then(|r| r.children().find(|n| n.has_tag_name("channelnames"))) {
            for n in cn.children().filter(|n| n.has_tag_name("channelname")) {
                self.channelnames.push(n.text().unwrap_or("").to_string());
            }
        }
        self.alpha_channel = geti("alpha_channel");
        self.z_channel = geti("z_channel");
        self.deep = geti("deep") != 0;
        if let Some(r) = root {
            for a in r.children().filter(|n| n.has_tag_name("attrib")) {
                let name = a.attribute("name").unwrap_or("");
                let ty = a.attribute("type").unwrap_or("");
                if name.is_empty() || ty.is_empty() {
                    continue;
                }
                let t = TypeDesc::from_name(ty).unwrap_or(TypeDesc::UNKNOWN);
                if let Some(p) = ParamValue::parse(name, t, a.text().unwrap_or("")) {
                    self.extra_attribs.add_or_replace(p, true);
                }
            }
        }
    }
}

/// Names the default colour config treats as its sRGB texture space. Until
/// the colour-management engine lands, this fixed list stands in for
/// `ColorConfig::equivalent(name, "srgb_rec709_scene")`.
fn is_srgb_alias(name: &str) -> bool {
    ["srgb_rec709_scene", "sRGB", "srgb_tx", "sRGB - Texture", "srgb_texture"]
        .iter()
        .any(|n| n.eq_ignore_ascii_case(name))
}

/// "uint10" style names when fewer bits than the type holds are meaningful.
fn extended_format_name(t: TypeDesc, bits: i32) -> String {
    if bits > 0 && (bits as usize) < t.size() * 8 {
        use BaseType::*;
        if [UInt8, UInt16, UInt32, UInt64].iter().any(|b| t.is_basetype(*b)) {
            return format!("uint{bits}");
        }
        if [Int8, Int16, Int32, Int64].iter().any(|b| t.is_basetype(*b)) {
            return format!("int{bits}");
        }
    }
    t.name()
}

/// Escape text for XML as pugixml does: `>` only in text, quotes only in
/// attributes.
fn xml_escape(s: &str, attr: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' if !attr => out.push_str("&gt;"),
            '"' if attr => out.push_str("&quot;"),
            '\r' => out.push_str("&#13;"),
            '\n' if attr => out.push_str("&#10;"),
            c if (c as u32) < 32 && c != '\n' && c != '\t' => out.push_str(&format!("&#{};", c as u32)),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn sizes_and_names() {
        let s = ImageSpec::new(640, 480, 4, TypeDesc::UINT8);
        assert_eq!(s.channelnames, ["R", "G", "B", "A"]);
        assert_eq!(s.alpha_channel, 3);
        assert_eq!(s.image_bytes(false), 640 * 480 * 4);
        assert_eq!(s.scanline_bytes_as(TypeDesc::UINT16), 640 * 4 * 2);
        assert_eq!(
            s.find_attribute("geom", TypeDesc::UNKNOWN, false)
                .unwrap()
                .get_string(0),
            "640x480+0+0"
        );
    }
    #[test]
    fn xml_round_trip() {
        let mut s = ImageSpec::new(64, 32, 3, TypeDesc::HALF);
        s.attribute_int("Orientation", 6);
        s.attribute_str("foo", "a<b");
        let xml = s.to_xml();
        assert!(xml.contains("description=\"rotated 90 deg CW\""));
        let mut t = ImageSpec::default();
        t.from_xml(&xml);
        assert_eq!(t.width, 64);
        assert_eq!(t.get_string_attribute("foo", ""), "a<b");
        assert_eq!(t.get_int_attribute("Orientation", 0), 6);
    }
}

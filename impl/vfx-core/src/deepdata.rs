//! Deep pixels: a variable number of samples per pixel, each sample holding
//! one value per channel (OIIO's `DeepData`), with the compositing
//! operations on a pixel's samples (split, sort, merge, cull).
//!
//! Storage follows OIIO's model so that observable behaviour (capacity,
//! "allocated") matches: each pixel has a sample count and a capacity; the
//! value storage is created on first access to values, after which growing a
//! pixel's capacity inserts room in place and erasing samples leaves holes.
//! A sample is a record of every channel's value in its own type.

use crate::convert::{convert_bytes, f32_to_value, value_to_f32};
use crate::{BaseType, TypeDesc};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeepData {
    /// False for a default-constructed DeepData (OIIO: no `init` yet).
    initialized: bool,
    channel_names: Vec<String>,
    channel_types: Vec<TypeDesc>,
    /// Byte offset of each channel inside a sample record.
    channel_offsets: Vec<usize>,
    sample_bytes: usize,
    nsamples: Vec<u32>,
    capacity: Vec<u32>,
    /// Index of each pixel's first sample record (prefix sum of capacity).
    cumcapacity: Vec<usize>,
    allocated: bool,
    data: Vec<u8>,
    z_channel: i32,
    zback_channel: i32,
    alpha_channel: i32,
    ar_channel: i32,
    ag_channel: i32,
    ab_channel: i32,
    /// For each channel, the alpha channel that covers it (itself for an
    /// alpha, -1 for Z/Zback/uint channels and channels with no alpha).
    my_alpha: Vec<i32>,
}

/// Is `name` equal to `suffix`, or does it end in ".suffix" (any case)?
fn is_or_ends_with_dot(name: &str, suffix: &str) -> bool {
    if name.eq_ignore_ascii_case(suffix) {
        return true;
    }
    let (n, s) = (name.as_bytes(), suffix.len());
    n.len() > s
        && name.is_char_boundary(n.len() - s)
        && name[n.len() - s..].eq_ignore_ascii_case(suffix)
        && n[n.len() - s - 1] == b'.'
}

impl DeepData {
    /// `npixels` empty pixels with the given channels (OIIO `init`): with
    /// fewer types than channels, the first type applies to all.
    pub fn new(npixels: usize, channel_names: Vec<String>, channel_types: Vec<TypeDesc>) -> DeepData {
        let nch = channel_names.len();
        let types: Vec<TypeDesc> = if channel_types.len() >= nch {
            channel_types[..nch].to_vec()
        } else {
            vec![channel_types.first().copied().unwrap_or(TypeDesc::FLOAT); nch]
        };
        let mut d = DeepData {
            initialized: true,
            channel_names,
            channel_offsets: Vec::with_capacity(nch),
            nsamples: vec![0; npixels],
            capacity: vec![0; npixels],
            cumcapacity: vec![0; npixels],
            z_channel: -1,
            zback_channel: -1,
            alpha_channel: -1,
            ar_channel: -1,
            ag_channel: -1,
            ab_channel: -1,
            my_alpha: vec![-1; nch],
            ..Default::default()
        };
        for t in &types {
            d.channel_offsets.push(d.sample_bytes);
            d.sample_bytes += t.size();
        }
        d.channel_types = types;
        d.find_special_channels();
        d
    }

    /// Identify Z, Zback, A/Alpha, AR/AG/AB, and each colour channel's alpha
    /// (a channel "X.name" is covered by "X.Aname", else by the main alpha).
    fn find_special_channels(&mut self) {
        for (c, name) in self.channel_names.iter().enumerate() {
            let c = c as i32;
            if self.z_channel < 0 && is_or_ends_with_dot(name, "Z") {
                self.z_channel = c;
            } else if self.zback_channel < 0 && is_or_ends_with_dot(name, "Zback") {
                self.zback_channel = c;
            } else if self.alpha_channel < 0 && (is_or_ends_with_dot(name, "A") || is_or_ends_with_dot(name, "Alpha")) {
                self.alpha_channel = c;
            } else if self.ar_channel < 0 && is_or_ends_with_dot(name, "AR") {
                self.ar_channel = c;
            } else if self.ag_channel < 0 && is_or_ends_with_dot(name, "AG") {
                self.ag_channel = c;
            } else if self.ab_channel < 0 && is_or_ends_with_dot(name, "AB") {
                self.ab_channel = c;
            }
        }
        for c in 0..self.channel_names.len() {
            let ci = c as i32;
            if ci == self.z_channel || ci == self.zback_channel || self.channel_types[c] == TypeDesc::UINT {
                continue;
            }
            let name = &self.channel_names[c];
            if ["A", "AR", "AG", "AB", "Alpha"]
                .iter()
                .any(|s| is_or_ends_with_dot(name, s))
            {
                self.my_alpha[c] = ci;
                continue;
            }
            let target = match name.rfind('.') {
                Some(dot) => format!("{}A{}", &name[..dot + 1], &name[dot + 1..]),
                None => format!("A{name}"),
            };
            self.my_alpha[c] = self
                .channel_names
                .iter()
                .position(|n| n.eq_ignore_ascii_case(&target))
                .map_or(self.alpha_channel, |i| i as i32);
        }
    }

    /// OIIO `init(spec)`: one pixel per data-window pixel, the spec's channels.
    pub fn from_spec(spec: &crate::ImageSpec) -> DeepData {
        let n = spec.image_pixels() as usize;
        let names = (0..spec.nchannels).map(|c| spec.channel_name(c).to_string()).collect();
        let types = if spec.channelformats.len() == spec.nchannels as usize {
            spec.channelformats.clone()
        } else {
            vec![spec.format]
        };
        DeepData::new(n, names, types)
    }

    /// `from_spec`, or `None` when the per-pixel tables (16 bytes a pixel)
    /// cannot be allocated: huge deep images fail instead of aborting.
    pub fn try_from_spec(spec: &crate::ImageSpec) -> Option<DeepData> {
        let n = usize::try_from(spec.image_pixels()).ok()?;
        let mut probe: Vec<u8> = Vec::new();
        probe.try_reserve_exact(n.checked_mul(16)?).ok()?;
        drop(probe);
        Some(DeepData::from_spec(spec))
    }

    pub fn initialized(&self) -> bool {
        self.initialized
    }
    pub fn allocated(&self) -> bool {
        self.allocated
    }
    pub fn npixels(&self) -> usize {
        self.nsamples.len()
    }
    pub fn nchannels(&self) -> usize {
        self.channel_types.len()
    }
    pub fn channel_name(&self, c: usize) -> &str {
        self.channel_names.get(c).map_or("", |s| s.as_str())
    }
    pub fn channel_names(&self) -> &[String] {
        &self.channel_names
    }
    pub fn channel_type(&self, c: usize) -> TypeDesc {
        self.channel_types.get(c).copied().unwrap_or_default()
    }
    pub fn channel_types(&self) -> &[TypeDesc] {
        &self.channel_types
    }
    pub fn channel_size(&self, c: usize) -> usize {
        self.channel_types.get(c).map_or(0, |t| t.size())
    }
    pub fn sample_bytes(&self) -> usize {
        self.sample_bytes
    }
    pub fn z_channel(&self) -> i32 {
        self.z_channel
    }
    /// Zback, or Z when there is no Zback.
    pub fn zback_channel(&self) -> i32 {
        if self.zback_channel >= 0 {
            self.zback_channel
        } else {
            self.z_channel
        }
    }
    pub fn a_channel(&self) -> i32 {
        self.alpha_channel
    }
    /// AR, or A when there is no AR (likewise AG, AB).
    pub fn ar_channel(&self) -> i32 {
        if self.ar_channel >= 0 {
            self.ar_channel
        } else {
            self.alpha_channel
        }
    }
    pub fn ag_channel(&self) -> i32 {
        if self.ag_channel >= 0 {
            self.ag_channel
        } else {
            self.alpha_channel
        }
    }
    pub fn ab_channel(&self) -> i32 {
        if self.ab_channel >= 0 {
            self.ab_channel
        } else {
            self.alpha_channel
        }
    }

    pub fn samples(&self, pixel: usize) -> u32 {
        self.nsamples.get(pixel).copied().unwrap_or(0)
    }
    pub fn all_samples(&self) -> &[u32] {
        &self.nsamples
    }
    pub fn total_samples(&self) -> usize {
        self.nsamples.iter().map(|&n| n as usize).sum()
    }
    pub fn capacity(&self, pixel: usize) -> u32 {
        self.capacity.get(pixel).copied().unwrap_or(0)
    }

    /// Create the value storage (once): every pixel's capacity, zeroed.
    fn alloc(&mut self) {
        if self.allocated {
            return;
        }
        let mut total = 0usize;
        for (cum, &cap) in self.cumcapacity.iter_mut().zip(&self.capacity) {
            *cum = total;
            total += cap as usize;
        }
        self.data = vec![0; total * self.sample_bytes];
        self.allocated = true;
    }

    /// The pixels of `parts` one after another in one store (samples,
    /// capacities and values as they are), or `None` when the parts'
    /// channels differ.
    pub fn concat(parts: Vec<DeepData>) -> Option<DeepData> {
        let first = parts.first()?;
        if parts
            .iter()
            .any(|p| p.channel_names != first.channel_names || p.channel_types != first.channel_types)
        {
            return None;
        }
        let n = parts.iter().map(|p| p.npixels()).sum();
        let mut d = DeepData::new(n, first.channel_names.clone(), first.channel_types.clone());
        d.nsamples.clear();
        d.capacity.clear();
        for p in &parts {
            d.nsamples.extend_from_slice(&p.nsamples);
            d.capacity.extend_from_slice(&p.capacity);
        }
        if parts.iter().any(|p| p.allocated) {
            let mut total = 0usize;
            for (cum, &cap) in d.cumcapacity.iter_mut().zip(&d.capacity) {
                *cum = total;
                total += cap as usize;
            }
            let mut data = Vec::with_capacity(total * d.sample_bytes);
            for p in parts {
                if p.allocated {
                    data.extend_from_slice(&p.data);
                } else {
                    let room: usize = p.capacity.iter().map(|&c| c as usize).sum();
                    data.resize(data.len() + room * d.sample_bytes, 0);
                }
            }
            d.data = data;
            d.allocated = true;
        }
        Some(d)
    }

    fn offset(&self, pixel: usize, channel: usize, sample: usize) -> usize {
        (self.cumcapacity[pixel] + sample) * self.sample_bytes + self.channel_offsets.get(channel).copied().unwrap_or(0)
    }

    /// Room for at least `n` samples in `pixel` (capacity never shrinks
    /// once values exist).
    pub fn set_capacity(&mut self, pixel: usize, n: u32) {
        if pixel >= self.npixels() {
            return;
        }
        if !self.allocated {
            self.capacity[pixel] = n;
            return;
        }
        let have = self.capacity[pixel];
        if n > have {
            let add = (n - have) as usize;
            let at = self.offset(pixel, 0, have as usize);
            self.data
                .splice(at..at, std::iter::repeat_n(0u8, add * self.sample_bytes));
            for c in &mut self.cumcapacity[pixel + 1..] {
                *c += add;
            }
            self.capacity[pixel] = n;
        }
    }

    /// Set one pixel's sample count, keeping the samples that remain.
    pub fn set_samples(&mut self, pixel: usize, n: u32) {
        if pixel >= self.npixels() {
            return;
        }
        if self.allocated {
            let have = self.nsamples[pixel];
            if n > have {
                self.insert_samples(pixel, have as usize, (n - have) as usize);
            } else if n < have {
                self.erase_samples(pixel, n as usize, (have - n) as usize);
            }
        } else {
            self.nsamples[pixel] = n;
            self.capacity[pixel] = self.capacity[pixel].max(n);
        }
    }

    /// Set every pixel's sample count at once (ignored unless the count
    /// list covers exactly every pixel).
    pub fn set_all_samples(&mut self, counts: &[u32]) {
        if counts.len() != self.npixels() {
            return;
        }
        if self.allocated {
            for (p, &n) in counts.iter().enumerate() {
                self.set_samples(p, n);
            }
        } else {
            self.nsamples.copy_from_slice(counts);
            self.capacity.copy_from_slice(counts);
        }
    }

    /// Insert `n` samples before sample `at` of `pixel` (values of the new
    /// samples are whatever the storage held: zero for fresh room).
    pub fn insert_samples(&mut self, pixel: usize, at: usize, n: usize) {
        if pixel >= self.npixels() {
            return;
        }
        let old = self.nsamples[pixel] as usize;
        if old + n > self.capacity[pixel] as usize {
            self.set_capacity(pixel, (old + n) as u32);
        }
        if self.allocated && at < old {
            let (from, to) = (self.offset(pixel, 0, at), self.offset(pixel, 0, old));
            self.data.copy_within(from..to, from + n * self.sample_bytes);
        }
        self.nsamples[pixel] += n as u32;
    }

    /// Remove `n` samples starting at sample `at` of `pixel` (capacity stays).
    pub fn erase_samples(&mut self, pixel: usize, at: usize, n: usize) {
        if pixel >= self.npixels() {
            return;
        }
        let old = self.nsamples[pixel] as usize;
        let n = n.min(old);
        if self.allocated && at < old {
            let n = n.min(old - at);
            let (from, end) = (self.offset(pixel, 0, at), self.offset(pixel, 0, old));
            self.data.copy_within(from + n * self.sample_bytes..end, from);
        }
        self.nsamples[pixel] -= n as u32;
    }

    fn value_pos(&self, pixel: usize, channel: usize, sample: usize) -> Option<usize> {
        if !self.allocated
            || pixel >= self.npixels()
            || channel >= self.nchannels()
            || sample >= self.nsamples[pixel] as usize
        {
            return None;
        }
        Some(self.offset(pixel, channel, sample))
    }

    /// A value as float, converted as OIIO's data proxies convert (integer
    /// channels are scaled to 0..1); 0 where it does not exist.
    pub fn deep_value(&self, pixel: usize, channel: usize, sample: usize) -> f32 {
        match self.value_pos(pixel, channel, sample) {
            Some(p) => value_to_f32(&self.data[p..], self.channel_types[channel].basetype),
            None => 0.0,
        }
    }

    /// A value as uint32 (float channels are scaled from 0..1).
    pub fn deep_value_uint(&self, pixel: usize, channel: usize, sample: usize) -> u32 {
        let Some(p) = self.value_pos(pixel, channel, sample) else {
            return 0;
        };
        let t = self.channel_types[channel];
        let mut out = [0u8; 4];
        convert_bytes(&self.data[p..p + t.size()], t.basetype, &mut out, BaseType::UInt32);
        u32::from_ne_bytes(out)
    }

    /// Store a float value, converted to the channel's type.
    pub fn set_deep_value(&mut self, pixel: usize, channel: usize, sample: usize, v: f32) {
        self.alloc();
        let Some(p) = self.value_pos(pixel, channel, sample) else {
            return;
        };
        f32_to_value(v, self.channel_types[channel].basetype, &mut self.data[p..]);
    }

    /// Store a uint32 value, converted to the channel's type.
    pub fn set_deep_value_uint(&mut self, pixel: usize, channel: usize, sample: usize, v: u32) {
        self.alloc();
        let Some(p) = self.value_pos(pixel, channel, sample) else {
            return;
        };
        let t = self.channel_types[channel];
        convert_bytes(
            &v.to_ne_bytes(),
            BaseType::UInt32,
            &mut self.data[p..p + t.size()],
            t.basetype,
        );
    }

    /// One pixel's sample records (`samples * sample_bytes` bytes).
    pub fn pixel_bytes(&self, pixel: usize) -> &[u8] {
        if !self.allocated || pixel >= self.npixels() {
            return &[];
        }
        let a = self.offset(pixel, 0, 0);
        &self.data[a..a + self.nsamples[pixel] as usize * self.sample_bytes]
    }
    /// Mutable sample records of a pixel (creates the storage if needed).
    pub fn pixel_bytes_mut(&mut self, pixel: usize) -> &mut [u8] {
        self.alloc();
        if pixel >= self.npixels() {
            return &mut [];
        }
        let a = self.offset(pixel, 0, 0);
        let n = self.nsamples[pixel] as usize * self.sample_bytes;
        &mut self.data[a..a + n]
    }
    /// Byte offset of a channel within a sample record.
    pub fn channel_offset(&self, c: usize) -> usize {
        self.channel_offsets.get(c).copied().unwrap_or(0)
    }

    /// Same channel count and types as `other`.
    pub fn same_channeltypes(&self, other: &DeepData) -> bool {
        self.channel_types == other.channel_types
    }

    /// Copy sample `ss` of `src`'s pixel `sp` into sample `s` of `pixel`
    /// (growing the pixel to src's sample count if smaller).
    pub fn copy_deep_sample(&mut self, pixel: usize, s: usize, src: &DeepData, sp: usize, ss: usize) -> bool {
        if src.value_pos(sp, 0, ss).is_none() || self.nchannels() != src.nchannels() {
            return false;
        }
        let n = src.samples(sp).max(self.samples(pixel));
        self.set_samples(pixel, n);
        for c in 0..self.nchannels() {
            self.copy_channel_value(c, pixel, s, src, sp, ss);
        }
        true
    }

    fn copy_channel_value(&mut self, c: usize, pixel: usize, s: usize, src: &DeepData, sp: usize, ss: usize) {
        if self.channel_types[c] == TypeDesc::UINT && src.channel_types[c] == TypeDesc::UINT {
            self.set_deep_value_uint(pixel, c, s, src.deep_value_uint(sp, c, ss));
        } else {
            self.set_deep_value(pixel, c, s, src.deep_value(sp, c, ss));
        }
    }

    /// Make `pixel` a copy of `src`'s pixel `sp` (empty if sp is out of range).
    pub fn copy_deep_pixel(&mut self, pixel: usize, src: &DeepData, sp: usize) -> bool {
        if pixel >= self.npixels() {
            return false;
        }
        if sp >= src.npixels() {
            self.set_samples(pixel, 0);
            return true;
        }
        if self.nchannels() != src.nchannels() {
            return false;
        }
        let n = src.samples(sp);
        self.set_samples(pixel, n);
        if n == 0 {
            return true;
        }
        self.alloc();
        if self.same_channeltypes(src) && src.allocated {
            let len = n as usize * self.sample_bytes;
            let (a, b) = (self.offset(pixel, 0, 0), src.offset(sp, 0, 0));
            self.data[a..a + len].copy_from_slice(&src.data[b..b + len]);
        } else {
            for c in 0..self.nchannels() {
                for s in 0..n as usize {
                    self.copy_channel_value(c, pixel, s, src, sp, s);
                }
            }
        }
        true
    }

    /// Split every sample of `pixel` whose [Z, Zback] straddles `depth` in
    /// two at that depth, dividing colour and alpha by the volumetric rule
    /// (alpha_part = 1 - (1 - alpha)^fraction). True if anything was split.
    pub fn split(&mut self, pixel: usize, depth: f32) -> bool {
        let (zc, zbc) = (self.z_channel, self.zback_channel);
        if zc < 0 || zbc < 0 {
            return false;
        }
        let (zc, zbc) = (zc as usize, zbc as usize);
        let mut split_any = false;
        let mut s = 0;
        while s < self.samples(pixel) as usize {
            let zf = self.deep_value(pixel, zc, s);
            let zb = self.deep_value(pixel, zbc, s);
            if zf < depth && zb > depth {
                split_any = true;
                self.insert_samples(pixel, s + 1, 1);
                self.duplicate_sample(pixel, s);
                self.set_deep_value(pixel, zbc, s, depth);
                self.set_deep_value(pixel, zc, s + 1, depth);
                let xf = (depth - zf) / (zb - zf);
                let xb = (zb - depth) / (zb - zf);
                // Colours first (they read the alphas), then the alphas.
                for alpha_pass in [false, true] {
                    for c in 0..self.nchannels() {
                        let ac = self.my_alpha[c];
                        if ac < 0 || (ac == c as i32) != alpha_pass {
                            continue;
                        }
                        let a = self.deep_value(pixel, ac as usize, s).clamp(0.0, 1.0);
                        if a == 1.0 {
                            continue;
                        }
                        let v = self.deep_value(pixel, c, s);
                        let (front, back) = if a > f32::MIN_POSITIVE {
                            let af = -(xf * (-a).ln_1p()).exp_m1();
                            let ab = -(xb * (-a).ln_1p()).exp_m1();
                            if alpha_pass {
                                (af, ab)
                            } else {
                                ((af / a) * v, (ab / a) * v)
                            }
                        } else {
                            (v * xf, v * xb)
                        };
                        self.set_deep_value(pixel, c, s, front);
                        self.set_deep_value(pixel, c, s + 1, back);
                    }
                }
            }
            s += 1;
        }
        split_any
    }

    /// Copy sample `s` of `pixel` over sample `s + 1` (in place, as
    /// `copy_deep_sample` from the pixel itself would).
    fn duplicate_sample(&mut self, pixel: usize, s: usize) {
        if !self.allocated || s + 1 >= self.samples(pixel) as usize {
            return;
        }
        let from = self.offset(pixel, 0, s);
        let sb = self.sample_bytes;
        self.data.copy_within(from..from + sb, from + sb);
    }

    /// Order the samples of `pixel` by Z, then Zback (stable).
    pub fn sort(&mut self, pixel: usize) {
        if self.z_channel < 0 {
            return;
        }
        let zc = self.z_channel as usize;
        let zbc = self.zback_channel() as usize;
        let n = self.samples(pixel) as usize;
        if n < 2 {
            return;
        }
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by(|&i, &j| {
            let (zi, zj) = (self.deep_value(pixel, zc, i), self.deep_value(pixel, zc, j));
            zi.partial_cmp(&zj).filter(|o| o.is_ne()).unwrap_or_else(|| {
                let (bi, bj) = (self.deep_value(pixel, zbc, i), self.deep_value(pixel, zbc, j));
                if bi < bj {
                    std::cmp::Ordering::Less
                } else if bj < bi {
                    std::cmp::Ordering::Greater
                } else {
                    std::cmp::Ordering::Equal
                }
            })
        });
        let sb = self.sample_bytes;
        let old = self.pixel_bytes(pixel).to_vec();
        let dst = self.pixel_bytes_mut(pixel);
        for (i, &from) in order.iter().enumerate() {
            dst[i * sb..(i + 1) * sb].copy_from_slice(&old[from * sb..(from + 1) * sb]);
        }
    }

    /// Merge adjacent samples of `pixel` with identical Z and Zback into one
    /// (alpha = a1 + a2 - a1*a2, colours combined by the volumetric rule).
    pub fn merge_overlaps(&mut self, pixel: usize) {
        if self.z_channel < 0 {
            return;
        }
        let zc = self.z_channel as usize;
        let zbc = self.zback_channel() as usize;
        let mut s = 1;
        while s < self.samples(pixel) as usize {
            let zf = self.deep_value(pixel, zc, s);
            let zb = self.deep_value(pixel, zbc, s);
            if zf != self.deep_value(pixel, zc, s - 1) || zb != self.deep_value(pixel, zbc, s - 1) {
                s += 1;
                continue;
            }
            for alpha_pass in [false, true] {
                for c in 0..self.nchannels() {
                    let ac = self.my_alpha[c];
                    if ac < 0 || (ac == c as i32) != alpha_pass {
                        continue;
                    }
                    let a1 = self.deep_value(pixel, ac as usize, s - 1).clamp(0.0, 1.0);
                    let a2 = self.deep_value(pixel, ac as usize, s).clamp(0.0, 1.0);
                    let am = a1 + a2 - a1 * a2;
                    let merged = if alpha_pass {
                        am
                    } else {
                        let (c1, c2) = (self.deep_value(pixel, c, s - 1), self.deep_value(pixel, c, s));
                        if a1 == 1.0 && a2 == 1.0 {
                            (c1 + c2) / 2.0
                        } else if a1 == 1.0 {
                            c1
                        } else if a2 == 1.0 {
                            c2
                        } else {
                            let max = f32::MAX;
                            let u1 = -(-a1).ln_1p();
                            let v1 = if u1 < a1 * max { u1 / a1 } else { 1.0 };
                            let u2 = -(-a2).ln_1p();
                            let v2 = if u2 < a2 * max { u2 / a2 } else { 1.0 };
                            let u = u1 + u2;
                            let w = if u > 1.0 || am < u * max { am / u } else { 1.0 };
                            (c1 * v1 + c2 * v2) * w
                        }
                    };
                    self.set_deep_value(pixel, c, s - 1, merged);
                }
            }
            self.erase_samples(pixel, s, 1);
        }
    }

    /// Merge `src`'s pixel `sp` into `pixel`: combine the samples, split them
    /// against each other's depths, sort, and merge exact overlaps.
    pub fn merge_deep_pixels(&mut self, pixel: usize, src: &DeepData, sp: usize) -> bool {
        let n_src = src.samples(sp) as usize;
        if n_src == 0 {
            return true;
        }
        let n_dst = self.samples(pixel) as usize;
        if n_dst == 0 {
            return self.copy_deep_pixel(pixel, src, sp);
        }
        self.set_samples(pixel, (n_dst + n_src) as u32);
        for i in 0..n_src {
            if !self.copy_deep_sample(pixel, n_dst + i, src, sp, i) {
                return false;
            }
        }
        self.sort(pixel);
        let (zc, zbc) = (self.z_channel.max(0) as usize, self.zback_channel.max(0) as usize);
        let mut s = 0;
        while s < self.samples(pixel) as usize {
            let z = self.deep_value(pixel, zc, s);
            let zb = self.deep_value(pixel, zbc, s);
            self.split(pixel, z);
            self.split(pixel, zb);
            s += 1;
        }
        self.sort(pixel);
        self.merge_overlaps(pixel);
        true
    }

    /// Depth at which `pixel` becomes opaque (the far side of its first
    /// sample with alpha >= 1); f32::MAX if it never does.
    pub fn opaque_z(&self, pixel: usize) -> f32 {
        let n = self.samples(pixel) as usize;
        if n == 0 || self.z_channel < 0 {
            return f32::MAX;
        }
        let (ar, ag, ab) = (self.ar_channel(), self.ag_channel(), self.ab_channel());
        if ar < 0 || ag < 0 || ab < 0 {
            return self.deep_value(pixel, self.z_channel as usize, 0);
        }
        for s in 0..n {
            let alpha = if self.alpha_channel >= 0 {
                self.deep_value(pixel, self.alpha_channel as usize, s)
            } else {
                (self.deep_value(pixel, ar as usize, s)
                    + self.deep_value(pixel, ag as usize, s)
                    + self.deep_value(pixel, ab as usize, s))
                    / 3.0
            };
            if alpha >= 1.0 {
                return self.deep_value(pixel, self.zback_channel() as usize, s);
            }
        }
        f32::MAX
    }

    /// Drop the samples of `pixel` behind its first opaque one.
    pub fn occlusion_cull(&mut self, pixel: usize) {
        if self.alpha_channel < 0 {
            return;
        }
        let a = self.alpha_channel as usize;
        for s in 0..self.samples(pixel) as usize {
            if self.deep_value(pixel, a, s) >= 1.0 {
                self.set_samples(pixel, s as u32 + 1);
                break;
            }
        }
    }
}

/// Empty deep pixels for every pixel of `spec`'s data window, with its channels.
pub fn for_spec(spec: &crate::ImageSpec) -> DeepData {
    DeepData::from_spec(spec)
}

/// Index of pixel (x, y, z) in a deep image laid out over `spec`'s data window.
fn pixel_index(spec: &crate::ImageSpec, x: i32, y: i32, z: i32) -> Option<usize> {
    let (dx, dy, dz) = (x - spec.x, y - spec.y, z - spec.z);
    if dx < 0 || dy < 0 || dz < 0 || dx >= spec.width || dy >= spec.height || dz >= spec.depth.max(1) {
        return None;
    }
    Some(((dz as usize * spec.height as usize) + dy as usize) * spec.width as usize + dx as usize)
}

fn roi_pixels(roi: &crate::Roi) -> impl Iterator<Item = (i32, i32, i32)> + '_ {
    (roi.zbegin..roi.zend)
        .flat_map(move |z| (roi.ybegin..roi.yend).flat_map(move |y| (roi.xbegin..roi.xend).map(move |x| (x, y, z))))
}

/// The pixels of `roi` (and its channels) cut out of a whole deep image.
pub fn crop(src: &DeepData, spec: &crate::ImageSpec, roi: &crate::Roi) -> DeepData {
    let (cb, ce) = (
        roi.chbegin.max(0) as usize,
        (roi.chend.max(0) as usize).min(src.nchannels()),
    );
    let names = (cb..ce).map(|c| src.channel_name(c).to_string()).collect();
    let types = (cb..ce).map(|c| src.channel_type(c)).collect();
    let n = roi_pixels(roi).count();
    let mut out = DeepData::new(n, names, types);
    let counts: Vec<u32> = roi_pixels(roi)
        .map(|(x, y, z)| pixel_index(spec, x, y, z).map_or(0, |p| src.samples(p)))
        .collect();
    out.set_all_samples(&counts);
    for (i, (x, y, z)) in roi_pixels(roi).enumerate() {
        let Some(p) = pixel_index(spec, x, y, z) else { continue };
        for s in 0..counts[i] as usize {
            for c in cb..ce {
                copy_value(src, p, c, s, &mut out, i, c - cb);
            }
        }
    }
    out
}

/// Put `src` (the pixels of `roi`, all channels) into a whole deep image.
pub fn paste(dst: &mut DeepData, spec: &crate::ImageSpec, roi: &crate::Roi, src: &DeepData) {
    for (i, (x, y, z)) in roi_pixels(roi).enumerate() {
        let Some(p) = pixel_index(spec, x, y, z) else { continue };
        let n = src.samples(i);
        dst.set_samples(p, n);
        for s in 0..n as usize {
            for c in 0..dst.nchannels().min(src.nchannels()) {
                copy_value(src, i, c, s, dst, p, c);
            }
        }
    }
}

/// Copy one value between deep images, exactly when the types agree.
fn copy_value(src: &DeepData, sp: usize, sc: usize, ss: usize, dst: &mut DeepData, dp: usize, dc: usize) {
    let (Some(a), Some(b)) = (src.value_pos(sp, sc, ss), dst.value_pos(dp, dc, ss)) else {
        return;
    };
    let (st, dt) = (src.channel_type(sc), dst.channel_type(dc));
    if st == dt {
        let n = st.size();
        dst.data[b..b + n].copy_from_slice(&src.data[a..a + n]);
    } else if matches!(dt.basetype, BaseType::UInt32) {
        dst.set_deep_value_uint(dp, dc, ss, src.deep_value_uint(sp, sc, ss));
    } else {
        dst.set_deep_value(dp, dc, ss, src.deep_value(sp, sc, ss));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_keeps_samples_capacities_and_values() {
        let names = || vec!["Z".to_string(), "A".to_string()];
        let types = || vec![TypeDesc::FLOAT, TypeDesc::HALF];
        let mut a = DeepData::new(2, names(), types());
        a.set_capacity(0, 3);
        a.set_samples(1, 2);
        a.set_deep_value(1, 0, 1, 4.5);
        let mut b = DeepData::new(2, names(), types());
        b.set_capacity(1, 2);
        let mut c = DeepData::new(1, names(), types());
        c.set_samples(0, 1);
        c.set_deep_value(0, 1, 0, 0.25);
        let d = DeepData::concat(vec![a, b, c]).unwrap();
        assert_eq!(d.npixels(), 5);
        assert_eq!(d.all_samples(), &[0, 2, 0, 0, 1]);
        assert_eq!((0..5).map(|p| d.capacity(p)).collect::<Vec<_>>(), [3, 2, 0, 2, 1]);
        assert_eq!((d.deep_value(1, 0, 1), d.deep_value(4, 1, 0)), (4.5, 0.25));
        assert_eq!(d.z_channel(), 0);
        let other = DeepData::new(1, vec!["Z".into()], vec![TypeDesc::FLOAT]);
        assert!(DeepData::concat(vec![d, other]).is_none());
        assert!(DeepData::concat(Vec::new()).is_none());
    }

    #[test]
    fn samples_grow_and_shrink_keeping_values() {
        let mut d = DeepData::new(3, vec!["Z".into(), "A".into()], vec![TypeDesc::FLOAT, TypeDesc::HALF]);
        d.set_all_samples(&[1, 0, 2]);
        assert!(!d.allocated());
        d.set_deep_value(2, 0, 1, 5.5);
        d.set_deep_value(2, 1, 1, 0.25);
        assert!(d.allocated());
        d.insert_samples(2, 0, 1);
        assert_eq!(d.samples(2), 3);
        assert_eq!(d.deep_value(2, 0, 2), 5.5);
        assert_eq!(d.deep_value(2, 1, 2), 0.25);
        d.set_samples(2, 1);
        assert_eq!(d.total_samples(), 2);
        assert_eq!(d.capacity(2), 3);
        assert_eq!(d.deep_value(5, 0, 0), 0.0);
    }

    #[test]
    fn special_channels_and_alpha_mapping() {
        let names = ["R", "G", "B", "A", "Z", "Zback", "diffuse.R", "diffuse.AR"];
        let d = DeepData::new(1, names.iter().map(|s| s.to_string()).collect(), vec![TypeDesc::FLOAT]);
        assert_eq!((d.z_channel(), d.zback_channel(), d.a_channel()), (4, 5, 3));
        assert_eq!(d.ar_channel(), 7);
        assert_eq!(d.my_alpha[0], 3);
        assert_eq!(d.my_alpha[6], 7);
        assert_eq!(d.my_alpha[4], -1);
    }

    #[test]
    fn split_divides_alpha_volumetrically() {
        let names = ["R", "A", "Z", "Zback"].iter().map(|s| s.to_string()).collect();
        let mut d = DeepData::new(1, names, vec![TypeDesc::FLOAT]);
        d.set_samples(0, 1);
        for (c, v) in [0.5f32, 0.5, 1.0, 3.0].iter().enumerate() {
            d.set_deep_value(0, c, 0, *v);
        }
        assert!(d.split(0, 2.0));
        assert_eq!(d.samples(0), 2);
        let (a0, a1) = (d.deep_value(0, 1, 0), d.deep_value(0, 1, 1));
        // Two halves of a 0.5-alpha slab composite back to 0.5.
        assert!((a0 + a1 - a0 * a1 - 0.5).abs() < 1e-6);
        assert_eq!(d.deep_value(0, 3, 0), 2.0);
        assert_eq!(d.deep_value(0, 2, 1), 2.0);
    }
}

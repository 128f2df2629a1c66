//! Deep pixels: a variable number of samples per pixel, each sample holding
//! one value per channel (OIIO's `DeepData`). Samples of a pixel are stored
//! contiguously as records of `sample_bytes`, each channel at its offset in
//! the record in its own type (half, float or uint32 in practice).

use crate::convert::value_to_f32;
use crate::{BaseType, TypeDesc};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct DeepData {
    channel_names: Vec<String>,
    channel_types: Vec<TypeDesc>,
    /// Byte offset of each channel inside a sample record.
    channel_offsets: Vec<usize>,
    sample_bytes: usize,
    nsamples: Vec<u32>,
    /// Index of each pixel's first sample record (prefix sum of `nsamples`).
    first: Vec<usize>,
    data: Vec<u8>,
}

impl DeepData {
    /// `npixels` empty pixels with the given channels.
    pub fn new(npixels: usize, channel_names: Vec<String>, channel_types: Vec<TypeDesc>) -> DeepData {
        let mut channel_offsets = Vec::with_capacity(channel_types.len());
        let mut off = 0;
        for t in &channel_types {
            channel_offsets.push(off);
            off += t.size();
        }
        DeepData {
            channel_names,
            channel_types,
            channel_offsets,
            sample_bytes: off,
            nsamples: vec![0; npixels],
            first: vec![0; npixels + 1],
            data: Vec::new(),
        }
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
    pub fn channel_type(&self, c: usize) -> TypeDesc {
        self.channel_types.get(c).copied().unwrap_or_default()
    }
    pub fn channel_types(&self) -> &[TypeDesc] {
        &self.channel_types
    }
    pub fn sample_bytes(&self) -> usize {
        self.sample_bytes
    }
    pub fn samples(&self, pixel: usize) -> u32 {
        self.nsamples.get(pixel).copied().unwrap_or(0)
    }
    pub fn all_samples(&self) -> &[u32] {
        &self.nsamples
    }
    pub fn total_samples(&self) -> usize {
        self.first.last().copied().unwrap_or(0)
    }

    /// Set every pixel's sample count at once (values reset to zero).
    pub fn set_all_samples(&mut self, counts: &[u32]) {
        let n = self.npixels().min(counts.len());
        self.nsamples[..n].copy_from_slice(&counts[..n]);
        self.rebuild_index();
        self.data = vec![0; self.total_samples() * self.sample_bytes];
    }

    /// Change one pixel's sample count, keeping the samples that remain.
    pub fn set_samples(&mut self, pixel: usize, n: u32) {
        let old = self.samples(pixel);
        if pixel >= self.npixels() || old == n {
            return;
        }
        if n > old {
            self.insert_samples(pixel, old as usize, (n - old) as usize);
        } else {
            self.erase_samples(pixel, n as usize, (old - n) as usize);
        }
    }

    /// Insert `n` zeroed samples before sample `at` of `pixel`.
    pub fn insert_samples(&mut self, pixel: usize, at: usize, n: usize) {
        if pixel >= self.npixels() || at > self.samples(pixel) as usize {
            return;
        }
        let pos = (self.first[pixel] + at) * self.sample_bytes;
        self.data
            .splice(pos..pos, std::iter::repeat_n(0u8, n * self.sample_bytes));
        self.nsamples[pixel] += n as u32;
        self.rebuild_index();
    }

    /// Remove `n` samples starting at sample `at` of `pixel`.
    pub fn erase_samples(&mut self, pixel: usize, at: usize, n: usize) {
        let have = self.samples(pixel) as usize;
        if pixel >= self.npixels() || at >= have {
            return;
        }
        let n = n.min(have - at);
        let pos = (self.first[pixel] + at) * self.sample_bytes;
        self.data.drain(pos..pos + n * self.sample_bytes);
        self.nsamples[pixel] -= n as u32;
        self.rebuild_index();
    }

    fn rebuild_index(&mut self) {
        let mut acc = 0usize;
        for (i, &n) in self.nsamples.iter().enumerate() {
            self.first[i] = acc;
            acc += n as usize;
        }
        self.first[self.nsamples.len()] = acc;
    }

    fn value_pos(&self, pixel: usize, channel: usize, sample: usize) -> Option<usize> {
        if pixel >= self.npixels() || channel >= self.nchannels() || sample >= self.samples(pixel) as usize {
            return None;
        }
        Some((self.first[pixel] + sample) * self.sample_bytes + self.channel_offsets[channel])
    }

    /// A value as float (0 where the pixel/channel/sample does not exist).
    pub fn deep_value(&self, pixel: usize, channel: usize, sample: usize) -> f32 {
        match self.value_pos(pixel, channel, sample) {
            Some(p) => value_to_f32(&self.data[p..], self.channel_types[channel].basetype),
            None => 0.0,
        }
    }

    /// A value as an unsigned integer (OIIO's `deep_value_uint`).
    pub fn deep_value_uint(&self, pixel: usize, channel: usize, sample: usize) -> u32 {
        let Some(p) = self.value_pos(pixel, channel, sample) else {
            return 0;
        };
        match self.channel_types[channel].basetype {
            BaseType::UInt32 | BaseType::Int32 => u32::from_ne_bytes(self.data[p..p + 4].try_into().unwrap()),
            _ => {
                let v = value_to_f32(&self.data[p..], self.channel_types[channel].basetype);
                if v > 0.0 {
                    v as u32
                } else {
                    0
                }
            }
        }
    }

    /// Store a float value, converted to the channel's type.
    pub fn set_deep_value(&mut self, pixel: usize, channel: usize, sample: usize, v: f32) {
        let Some(p) = self.value_pos(pixel, channel, sample) else {
            return;
        };
        let t = self.channel_types[channel].basetype;
        crate::convert::f32_to_value(v, t, &mut self.data[p..]);
    }

    /// Store an unsigned integer value.
    pub fn set_deep_value_uint(&mut self, pixel: usize, channel: usize, sample: usize, v: u32) {
        let Some(p) = self.value_pos(pixel, channel, sample) else {
            return;
        };
        match self.channel_types[channel].basetype {
            BaseType::UInt32 | BaseType::Int32 => self.data[p..p + 4].copy_from_slice(&v.to_ne_bytes()),
            t => crate::convert::f32_to_value(v as f32, t, &mut self.data[p..]),
        }
    }

    /// One pixel's sample records (`samples * sample_bytes` bytes).
    pub fn pixel_bytes(&self, pixel: usize) -> &[u8] {
        if pixel >= self.npixels() {
            return &[];
        }
        &self.data[self.first[pixel] * self.sample_bytes..self.first[pixel + 1] * self.sample_bytes]
    }
    pub fn pixel_bytes_mut(&mut self, pixel: usize) -> &mut [u8] {
        if pixel >= self.npixels() {
            return &mut [];
        }
        let (a, b) = (
            self.first[pixel] * self.sample_bytes,
            self.first[pixel + 1] * self.sample_bytes,
        );
        &mut self.data[a..b]
    }
    /// All sample records of all pixels, in pixel order.
    pub fn data(&self) -> &[u8] {
        &self.data
    }
    pub fn data_mut(&mut self) -> &mut [u8] {
        &mut self.data
    }
    /// Byte offset of a channel within a sample record.
    pub fn channel_offset(&self, c: usize) -> usize {
        self.channel_offsets.get(c).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn samples_grow_and_shrink_keeping_values() {
        let mut d = DeepData::new(3, vec!["Z".into(), "A".into()], vec![TypeDesc::FLOAT, TypeDesc::HALF]);
        d.set_all_samples(&[1, 0, 2]);
        d.set_deep_value(2, 0, 1, 5.5);
        d.set_deep_value(2, 1, 1, 0.25);
        d.insert_samples(2, 0, 1);
        assert_eq!(d.samples(2), 3);
        assert_eq!(d.deep_value(2, 0, 2), 5.5);
        assert_eq!(d.deep_value(2, 1, 2), 0.25);
        d.set_samples(2, 1);
        assert_eq!(d.total_samples(), 2);
        assert_eq!(d.deep_value(5, 0, 0), 0.0);
    }
}

//! `OpenImageIO.DeepData` over `vfx_core::DeepData`. A DeepData always owns
//! its samples: `ImageBuf.deepdata()` hands out a copy, as the reference does.

use super::imagespec::PyImageSpec;
use super::typedesc::{to_typedesc, PyTypeDesc};
use pyo3::prelude::*;
use vfx_core::DeepData;

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pyclass)]
#[pyclass(name = "DeepData", module = "OpenImageIO.OpenImageIO")]
pub struct PyDeepData {
    inner: DeepData,
}

impl From<DeepData> for PyDeepData {
    fn from(inner: DeepData) -> Self {
        PyDeepData { inner }
    }
}

impl PyDeepData {
    fn with<R>(&self, f: impl FnOnce(&DeepData) -> R) -> R {
        f(&self.inner)
    }
    fn with_mut<R>(&mut self, f: impl FnOnce(&mut DeepData) -> R) -> R {
        f(&mut self.inner)
    }
    /// A copy of the samples.
    pub fn cloned(&self) -> DeepData {
        self.inner.clone()
    }
}

/// Pixel/channel/sample indices: negative ones address nothing.
fn idx(i: i64) -> usize {
    usize::try_from(i).unwrap_or(usize::MAX)
}

#[cfg_attr(feature = "stubgen", pyo3_stub_gen::derive::gen_stub_pymethods)]
#[pymethods]
impl PyDeepData {
    #[new]
    fn new() -> Self {
        PyDeepData::from(DeepData::default())
    }

    /// Number of pixels.
    #[getter]
    fn pixels(&self) -> i64 {
        self.with(|d| d.npixels() as i64)
    }
    /// Number of channels.
    #[getter]
    fn channels(&self) -> i32 {
        self.with(|d| d.nchannels() as i32)
    }
    #[getter(A_channel)]
    fn a_channel(&self) -> i32 {
        self.with(|d| d.a_channel())
    }
    #[getter(AR_channel)]
    fn ar_channel(&self) -> i32 {
        self.with(|d| d.ar_channel())
    }
    #[getter(AG_channel)]
    fn ag_channel(&self) -> i32 {
        self.with(|d| d.ag_channel())
    }
    #[getter(AB_channel)]
    fn ab_channel(&self) -> i32 {
        self.with(|d| d.ab_channel())
    }
    #[getter(Z_channel)]
    fn z_channel(&self) -> i32 {
        self.with(|d| d.z_channel())
    }
    #[getter(Zback_channel)]
    fn zback_channel(&self) -> i32 {
        self.with(|d| d.zback_channel())
    }

    fn initialized(&self) -> bool {
        self.with(|d| d.initialized())
    }
    fn allocated(&self) -> bool {
        self.with(|d| d.allocated())
    }

    fn channelname(&self, c: i32) -> String {
        self.with(|d| d.channel_name(idx(c as i64)).to_string())
    }
    fn channeltype(&self, c: i32) -> PyTypeDesc {
        PyTypeDesc::from(self.with(|d| d.channel_type(idx(c as i64))))
    }
    fn channelsize(&self, c: i32) -> usize {
        self.with(|d| d.channel_size(idx(c as i64)))
    }
    fn samplesize(&self) -> usize {
        self.with(|d| d.sample_bytes())
    }
    fn same_channeltypes(&self, other: PyRef<'_, PyDeepData>) -> bool {
        let o = other.cloned();
        self.with(|d| d.same_channeltypes(&o))
    }

    /// Forget everything (back to uninitialized pixels and channels).
    fn clear(&mut self) {
        self.with_mut(|d| *d = DeepData::new(0, Vec::new(), Vec::new()));
    }
    fn free(&mut self) {
        self.with_mut(|d| *d = DeepData::default());
    }

    fn samples(&self, pixel: i64) -> u32 {
        self.with(|d| d.samples(idx(pixel)))
    }
    fn set_samples(&mut self, pixel: i64, nsamples: u32) {
        self.with_mut(|d| d.set_samples(idx(pixel), nsamples))
    }
    fn capacity(&self, pixel: i64) -> u32 {
        self.with(|d| d.capacity(idx(pixel)))
    }
    fn set_capacity(&mut self, pixel: i64, nsamples: u32) {
        self.with_mut(|d| d.set_capacity(idx(pixel), nsamples))
    }
    #[pyo3(signature = (pixel, samplepos, nsamples = 1))]
    fn insert_samples(&mut self, pixel: i64, samplepos: i64, nsamples: i64) {
        self.with_mut(|d| d.insert_samples(idx(pixel), idx(samplepos), nsamples.max(0) as usize))
    }
    #[pyo3(signature = (pixel, samplepos, nsamples = 1))]
    fn erase_samples(&mut self, pixel: i64, samplepos: i64, nsamples: i64) {
        self.with_mut(|d| d.erase_samples(idx(pixel), idx(samplepos), nsamples.max(0) as usize))
    }

    fn deep_value(&self, pixel: i64, channel: i32, sample: i64) -> f32 {
        self.with(|d| d.deep_value(idx(pixel), idx(channel as i64), idx(sample)))
    }
    fn deep_value_uint(&self, pixel: i64, channel: i32, sample: i64) -> u32 {
        self.with(|d| d.deep_value_uint(idx(pixel), idx(channel as i64), idx(sample)))
    }
    fn set_deep_value(&mut self, pixel: i64, channel: i32, sample: i64, value: f32) {
        self.with_mut(|d| d.set_deep_value(idx(pixel), idx(channel as i64), idx(sample), value))
    }
    fn set_deep_value_uint(&mut self, pixel: i64, channel: i32, sample: i64, value: u32) {
        self.with_mut(|d| d.set_deep_value_uint(idx(pixel), idx(channel as i64), idx(sample), value))
    }

    fn copy_deep_sample(
        &mut self,
        pixel: i64,
        sample: i64,
        src: PyRef<'_, PyDeepData>,
        srcpixel: i64,
        srcsample: i64,
    ) -> bool {
        let s = src.cloned();
        drop(src);
        self.with_mut(|d| d.copy_deep_sample(idx(pixel), idx(sample), &s, idx(srcpixel), idx(srcsample)))
    }
    fn copy_deep_pixel(&mut self, pixel: i64, src: PyRef<'_, PyDeepData>, srcpixel: i64) -> bool {
        let s = src.cloned();
        drop(src);
        self.with_mut(|d| d.copy_deep_pixel(idx(pixel), &s, idx(srcpixel)))
    }
    fn split(&mut self, pixel: i64, depth: f32) -> bool {
        self.with_mut(|d| d.split(idx(pixel), depth))
    }
    fn sort(&mut self, pixel: i64) {
        self.with_mut(|d| d.sort(idx(pixel)))
    }
    fn merge_overlaps(&mut self, pixel: i64) {
        self.with_mut(|d| d.merge_overlaps(idx(pixel)))
    }
    fn merge_deep_pixels(&mut self, pixel: i64, src: PyRef<'_, PyDeepData>, srcpixel: i64) -> bool {
        let s = src.cloned();
        drop(src);
        self.with_mut(|d| d.merge_deep_pixels(idx(pixel), &s, idx(srcpixel)))
    }
    fn occlusion_cull(&mut self, pixel: i64) {
        self.with_mut(|d| d.occlusion_cull(idx(pixel)))
    }
    fn opaque_z(&self, pixel: i64) -> f32 {
        self.with(|d| d.opaque_z(idx(pixel)))
    }
}

/// `init` has two forms; its stub is the overloads written in stubgen.rs.
#[pymethods]
impl PyDeepData {
    /// init(npixels, nchannels, channeltypes, channelnames) or init(spec),
    /// with the reference's keyword names.
    #[pyo3(signature = (*args, **kwargs))]
    fn init(
        &mut self,
        args: &Bound<'_, pyo3::types::PyTuple>,
        kwargs: Option<&Bound<'_, pyo3::types::PyDict>>,
    ) -> PyResult<()> {
        let names4: &[&str] = &["npixels", "nchannels", "channeltypes", "channelnames"];
        let (which, a) = if kwargs.is_none_or(|k| k.is_empty()) && args.len() == 1 {
            (1, vec![Some(args.get_item(0)?)])
        } else {
            let (i, a) = super::values::bind_overloads("init", args, kwargs, &[(names4, 4)])?;
            (i, a)
        };
        let new = if which == 1 {
            let spec: PyRef<'_, PyImageSpec> = a[0].as_ref().expect("bound").extract()?;
            let spec = spec.r().clone();
            DeepData::from_spec(&spec)
        } else if a.len() == 4 {
            let arg = |i: usize| a[i].clone().expect("required by the overload");
            let npix: i64 = arg(0).extract()?;
            let nch: i32 = arg(1).extract()?;
            let types_obj = arg(2);
            let names_obj = arg(3);
            let mut types = Vec::new();
            match types_obj.try_iter() {
                Ok(it) if !types_obj.is_instance_of::<pyo3::types::PyString>() => {
                    for t in it {
                        types.push(to_typedesc(&t?)?);
                    }
                }
                _ => types.push(to_typedesc(&types_obj)?),
            }
            let mut names: Vec<String> = Vec::new();
            for n in names_obj.try_iter()? {
                names.push(n?.extract()?);
            }
            names.resize(nch.max(0) as usize, String::new());
            DeepData::new(npix.max(0) as usize, names, types)
        } else {
            return Err(pyo3::exceptions::PyTypeError::new_err(
                "init(): incompatible function arguments",
            ));
        };
        self.with_mut(|d| *d = new);
        Ok(())
    }
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyDeepData>()
}

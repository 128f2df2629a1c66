//! `CDLTransform` (reading .cc/.ccc/.cdl files is not implemented yet, so
//! CreateFromFile / CreateGroupFromFile are absent).

use pyo3::prelude::*;
use vfx_ocio::enums::{CdlStyle, TransformDirection};
use vfx_ocio::transforms::cdl::SAT_LUMA_COEFS;
use vfx_ocio::transforms::{CdlTransform, TransformData};

use crate::ocio::args::{fixed, Given};
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::{format_metadata_method, init, with_variant, PyTransform};

#[pyclass(extends = PyTransform, frozen, name = "CDLTransform", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyCDLTransform;

format_metadata_method!(PyCDLTransform);

/// get/set of one RGB triple.
macro_rules! cdl_triple {
    ($field:ident, $get:ident, $set:ident) => {
        #[pymethods]
        impl PyCDLTransform {
            fn $get(slf: PyRef<'_, Self>) -> PyResult<Vec<f64>> {
                with_variant!(slf, Cdl, |t| t.$field.to_vec())
            }
            fn $set(slf: PyRef<'_, Self>, rgb: Vec<f64>) -> PyResult<()> {
                let v = fixed(rgb, "rgb")?;
                with_variant!(slf, Cdl, |t| t.$field = v)
            }
        }
    };
}

cdl_triple!(slope, getSlope, setSlope);
cdl_triple!(offset, getOffset, setOffset);
cdl_triple!(power, getPower, setPower);

#[pymethods]
impl PyCDLTransform {
    /// The correction of a .cc/.ccc/.cdl file with this id (or index;
    /// "" is the first).
    #[staticmethod]
    fn CreateFromFile(py: Python<'_>, src: &str, cccid: &str) -> PyResult<Py<PyTransform>> {
        let group = py.detach(|| vfx_ocio::fileformats::cdl::read(src)).py()?;
        let t = group.find(cccid).py()?;
        crate::ocio::transform::wrap(py, vfx_ocio::Transform::Cdl(t))
    }

    /// Every correction of a .cc/.ccc/.cdl file, as a group carrying the
    /// file's own descriptions.
    #[staticmethod]
    fn CreateGroupFromFile(py: Python<'_>, src: &str) -> PyResult<Py<PyTransform>> {
        let group = py.detach(|| vfx_ocio::fileformats::cdl::read(src)).py()?;
        let g = vfx_ocio::transforms::GroupTransform {
            children: group.corrections.into_iter().map(vfx_ocio::Transform::Cdl).collect(),
            metadata: group.metadata,
            ..Default::default()
        };
        crate::ocio::transform::wrap(py, vfx_ocio::Transform::Group(g))
    }

    #[new]
    #[pyo3(signature = (slope = Given::No, offset = Given::No, power = Given::No, sat = Given::No,
                        id = Given::No, description = Given::No, direction = Given::No))]
    fn new(
        slope: Given<Vec<f64>>,
        offset: Given<Vec<f64>>,
        power: Given<Vec<f64>>,
        sat: Given<f64>,
        id: Given<String>,
        description: Given<String>,
        direction: Given<E<TransformDirection>>,
    ) -> PyResult<PyClassInitializer<Self>> {
        let any = slope.given()
            || offset.given()
            || power.given()
            || sat.given()
            || id.given()
            || description.given()
            || direction.given();
        let mut t = CdlTransform::default();
        if let Some(v) = slope.get() {
            t.slope = fixed(v, "slope")?;
        }
        if let Some(v) = offset.get() {
            t.offset = fixed(v, "offset")?;
        }
        if let Some(v) = power.get() {
            t.power = fixed(v, "power")?;
        }
        if let Some(v) = sat.get() {
            t.sat = v;
        }
        if let Some(v) = id.get().filter(|s| !s.is_empty()) {
            t.set_id(&v);
        }
        if let Some(v) = description.get().filter(|s| !s.is_empty()) {
            t.set_first_sop_description(&v);
        }
        if let Some(d) = direction.get() {
            t.direction = d.0;
        }
        if any {
            t.validate().py()?;
        }
        Ok(init(t, PyCDLTransform))
    }

    fn getSOP(slf: PyRef<'_, Self>) -> PyResult<Vec<f64>> {
        with_variant!(slf, Cdl, |t| t
            .slope
            .iter()
            .chain(&t.offset)
            .chain(&t.power)
            .copied()
            .collect())
    }

    fn setSOP(slf: PyRef<'_, Self>, vec9: Vec<f64>) -> PyResult<()> {
        let v: [f64; 9] = fixed(vec9, "vec9")?;
        with_variant!(slf, Cdl, |t| {
            t.slope.copy_from_slice(&v[0..3]);
            t.offset.copy_from_slice(&v[3..6]);
            t.power.copy_from_slice(&v[6..9]);
        })
    }

    fn getSat(slf: PyRef<'_, Self>) -> PyResult<f64> {
        with_variant!(slf, Cdl, |t| t.sat)
    }

    fn setSat(slf: PyRef<'_, Self>, sat: f64) -> PyResult<()> {
        with_variant!(slf, Cdl, |t| t.sat = sat)
    }

    fn getSatLumaCoefs(&self) -> Vec<f64> {
        SAT_LUMA_COEFS.to_vec()
    }

    fn getID(slf: PyRef<'_, Self>) -> PyResult<String> {
        with_variant!(slf, Cdl, |t| t.id().to_string())
    }

    fn setID(slf: PyRef<'_, Self>, id: &str) -> PyResult<()> {
        with_variant!(slf, Cdl, |t| t.set_id(id))
    }

    fn getFirstSOPDescription(slf: PyRef<'_, Self>) -> PyResult<String> {
        with_variant!(slf, Cdl, |t| t.first_sop_description().to_string())
    }

    fn setFirstSOPDescription(slf: PyRef<'_, Self>, description: &str) -> PyResult<()> {
        with_variant!(slf, Cdl, |t| t.set_first_sop_description(description))
    }

    fn getStyle(slf: PyRef<'_, Self>) -> PyResult<E<CdlStyle>> {
        with_variant!(slf, Cdl, |t| E(t.style))
    }

    fn setStyle(slf: PyRef<'_, Self>, style: E<CdlStyle>) -> PyResult<()> {
        with_variant!(slf, Cdl, |t| t.style = style.0)
    }

    fn equals(slf: PyRef<'_, Self>, other: PyRef<'_, Self>) -> PyResult<bool> {
        let a = with_variant!(slf, Cdl, |t| t.clone())?;
        with_variant!(other, Cdl, |t| a.equals(t))
    }
}

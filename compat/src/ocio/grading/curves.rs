//! `GradingControlPoint`, `GradingBSplineCurve`, `GradingRGBCurve` and
//! `GradingHueCurve`. A curve or point reached through its parent is a
//! live view (a "lens" onto the parent's storage), so
//! `rgb.red.getControlPoints()[1] = GradingControlPoint(0.1, 0.5)` edits `rgb`.

use std::sync::{Arc, Mutex};

use pyo3::exceptions::{PyIndexError, PyStopIteration, PyTypeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::enums::{BSplineType, GradingStyle, HueCurveType};
use vfx_ocio::grading::curves::{spline_type_for, HUE_CURVE_NAMES};
use vfx_ocio::grading::{BSplineCurve, ControlPoint, HueCurve, RgbCurve};

use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;

/// Runs a closure on a value stored somewhere.
pub type Lens<T> = Arc<dyn Fn(&mut dyn FnMut(&mut T)) + Send + Sync>;

fn own<T: Send + 'static>(v: T) -> Lens<T> {
    let cell = Arc::new(Mutex::new(v));
    Arc::new(move |f: &mut dyn FnMut(&mut T)| f(&mut cell.lock().unwrap_or_else(|e| e.into_inner())))
}

fn read<T: Clone>(lens: &Lens<T>) -> T {
    let mut out = None;
    lens(&mut |v| out = Some(v.clone()));
    out.expect("the lens always calls back")
}

fn write<T, R>(lens: &Lens<T>, f: impl FnOnce(&mut T) -> R) -> R {
    let mut f = Some(f);
    let mut out = None;
    lens(&mut |v| out = Some((f.take().expect("called once"))(v)));
    out.expect("the lens always calls back")
}

/// A lens onto a part of what another lens reaches.
fn focus<P: 'static, C: 'static>(parent: Lens<P>, part: impl Fn(&mut P) -> &mut C + Send + Sync + 'static) -> Lens<C> {
    Arc::new(move |f: &mut dyn FnMut(&mut C)| parent(&mut |p| f(part(p))))
}

#[pyclass(frozen, name = "GradingControlPoint", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingControlPoint {
    lens: Lens<ControlPoint>,
}

#[pymethods]
impl PyGradingControlPoint {
    #[new]
    #[pyo3(signature = (x = 0.0, y = 0.0))]
    fn new(x: f32, y: f32) -> Self {
        PyGradingControlPoint {
            lens: own(ControlPoint { x, y }),
        }
    }

    #[getter]
    fn x(&self) -> f32 {
        read(&self.lens).x
    }
    #[setter]
    fn set_x(&self, v: f32) {
        write(&self.lens, |p| p.x = v)
    }
    #[getter]
    fn y(&self) -> f32 {
        read(&self.lens).y
    }
    #[setter]
    fn set_y(&self, v: f32) {
        write(&self.lens, |p| p.y = v)
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyGradingControlPoint>()
            .is_ok_and(|o| read(&o.get().lens) == read(&self.lens))
    }

    fn __ne__(&self, other: &Bound<'_, PyAny>) -> bool {
        !self.__eq__(other)
    }

    fn __repr__(&self) -> String {
        read(&self.lens).to_string()
    }
}

/// `getControlPoints()`: live points, assignable by index.
#[pyclass(frozen, name = "GradingControlPointIterator", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyControlPointIterator {
    curve: Lens<BSplineCurve>,
    pos: Mutex<usize>,
}

impl PyControlPointIterator {
    fn len(&self) -> usize {
        read(&self.curve).points.len()
    }

    fn point(&self, i: usize) -> PyGradingControlPoint {
        PyGradingControlPoint {
            lens: focus(self.curve.clone(), move |c: &mut BSplineCurve| &mut c.points[i]),
        }
    }
}

#[pymethods]
impl PyControlPointIterator {
    fn __len__(&self) -> usize {
        self.len()
    }

    fn __getitem__(&self, index: usize) -> PyResult<PyGradingControlPoint> {
        if index >= self.len() {
            return Err(PyIndexError::new_err("Iterator index out of range"));
        }
        Ok(self.point(index))
    }

    fn __setitem__(&self, index: usize, value: PyRef<'_, PyGradingControlPoint>) -> PyResult<()> {
        if index >= self.len() {
            return Err(PyIndexError::new_err("Iterator index out of range"));
        }
        let v = read(&value.lens);
        write(&self.curve, |c| c.points[index] = v);
        Ok(())
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__(&self) -> PyResult<PyGradingControlPoint> {
        let mut pos = self.pos.lock().unwrap_or_else(|e| e.into_inner());
        if *pos >= self.len() {
            return Err(PyStopIteration::new_err(()));
        }
        *pos += 1;
        Ok(self.point(*pos - 1))
    }
}

#[pyclass(frozen, name = "GradingBSplineCurve", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingBSplineCurve {
    lens: Lens<BSplineCurve>,
}

impl PyGradingBSplineCurve {
    pub fn get(&self) -> BSplineCurve {
        read(&self.lens)
    }
}

#[pymethods]
impl PyGradingBSplineCurve {
    /// `(size[, splinetype | huecurvetype])` or `(values[, huecurvetype])`.
    #[new]
    #[pyo3(signature = (*args))]
    fn new(args: &Bound<'_, PyTuple>) -> PyResult<Self> {
        let first = args
            .get_item(0)
            .map_err(|_| PyTypeError::new_err("__init__(): incompatible constructor arguments"))?;
        let kind = match args.get_item(1) {
            Err(_) => BSplineType::BSpline,
            Ok(k) => match k.extract::<E<BSplineType>>() {
                Ok(t) => t.0,
                Err(_) => spline_type_for(k.extract::<E<HueCurveType>>()?.0),
            },
        };
        let curve = if let Ok(n) = first.extract::<usize>() {
            BSplineCurve::with_size(n, kind)
        } else {
            let values: Vec<f32> = first.extract()?;
            BSplineCurve::from_values(&values, kind).py()?
        };
        Ok(PyGradingBSplineCurve { lens: own(curve) })
    }

    fn getControlPoints(&self) -> PyControlPointIterator {
        PyControlPointIterator {
            curve: self.lens.clone(),
            pos: Mutex::new(0),
        }
    }

    fn setNumControlPoints(&self, size: usize) {
        write(&self.lens, |c| c.set_num_points(size))
    }

    fn getSlopes(&self) -> Vec<f32> {
        self.get().slopes
    }

    fn setSlopes(&self, slopes: Vec<f32>) -> PyResult<()> {
        write(&self.lens, |c| c.set_slopes(slopes)).py()
    }

    fn slopesAreDefault(&self) -> bool {
        self.get().slopes_are_default()
    }

    fn getSplineType(&self) -> E<BSplineType> {
        E(self.get().spline_type)
    }

    fn setSplineType(&self, splineType: E<BSplineType>) {
        write(&self.lens, |c| c.spline_type = splineType.0)
    }

    fn validate(&self) -> PyResult<()> {
        self.get().validate().py()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyGradingBSplineCurve>()
            .is_ok_and(|o| o.get().get() == self.get())
    }

    fn __ne__(&self, other: &Bound<'_, PyAny>) -> bool {
        !self.__eq__(other)
    }

    fn __repr__(&self) -> String {
        self.get().to_string()
    }
}

#[pyclass(frozen, name = "GradingRGBCurve", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingRGBCurve {
    lens: Lens<RgbCurve>,
}

impl PyGradingRGBCurve {
    pub fn from_engine(v: RgbCurve) -> Self {
        PyGradingRGBCurve { lens: own(v) }
    }

    pub fn get(&self) -> RgbCurve {
        read(&self.lens)
    }
}

macro_rules! rgb_curve_field {
    ($field:ident, $set:ident) => {
        #[pymethods]
        impl PyGradingRGBCurve {
            #[getter]
            fn $field(&self) -> PyGradingBSplineCurve {
                PyGradingBSplineCurve {
                    lens: focus(self.lens.clone(), |r: &mut RgbCurve| &mut r.$field),
                }
            }
            #[setter]
            fn $set(&self, v: PyRef<'_, PyGradingBSplineCurve>) {
                let c = v.get();
                write(&self.lens, |r| r.$field = c)
            }
        }
    };
}

rgb_curve_field!(red, set_red);
rgb_curve_field!(green, set_green);
rgb_curve_field!(blue, set_blue);
rgb_curve_field!(master, set_master);

#[pymethods]
impl PyGradingRGBCurve {
    /// `(style)` or `(red=..., green=..., blue=..., master=...)` (identity
    /// log curves by default).
    #[new]
    #[pyo3(signature = (*args, **kwargs))]
    fn new(args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<Self> {
        if let Ok(first) = args.get_item(0) {
            if let Ok(style) = first.extract::<E<GradingStyle>>() {
                return Ok(PyGradingRGBCurve::from_engine(RgbCurve::new(style.0)));
            }
        }
        let mut v = RgbCurve::new(GradingStyle::Log);
        for (i, name) in ["red", "green", "blue", "master"].iter().enumerate() {
            let item = args
                .get_item(i)
                .ok()
                .or_else(|| kwargs.and_then(|k| k.get_item(name).ok().flatten()));
            if let Some(item) = item {
                let c = item.cast::<PyGradingBSplineCurve>()?.get().get();
                match i {
                    0 => v.red = c,
                    1 => v.green = c,
                    2 => v.blue = c,
                    _ => v.master = c,
                }
            }
        }
        Ok(PyGradingRGBCurve::from_engine(v))
    }

    fn validate(&self) -> PyResult<()> {
        self.get().validate().py()
    }

    fn isIdentity(&self) -> bool {
        self.get().is_identity()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyGradingRGBCurve>()
            .is_ok_and(|o| o.get().get() == self.get())
    }

    fn __ne__(&self, other: &Bound<'_, PyAny>) -> bool {
        !self.__eq__(other)
    }
}

#[pyclass(frozen, name = "GradingHueCurve", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyGradingHueCurve {
    lens: Lens<HueCurve>,
}

impl PyGradingHueCurve {
    pub fn from_engine(v: HueCurve) -> Self {
        PyGradingHueCurve { lens: own(v) }
    }

    pub fn get(&self) -> HueCurve {
        read(&self.lens)
    }

    fn curve(&self, i: usize) -> PyGradingBSplineCurve {
        PyGradingBSplineCurve {
            lens: focus(self.lens.clone(), move |h: &mut HueCurve| &mut h.curves[i]),
        }
    }

    fn set_curve(&self, i: usize, v: &PyGradingBSplineCurve) {
        let c = v.get();
        write(&self.lens, |h| h.curves[i] = c)
    }
}

macro_rules! hue_curve_field {
    ($field:ident, $set:ident, $i:expr) => {
        #[pymethods]
        impl PyGradingHueCurve {
            #[getter]
            fn $field(&self) -> PyGradingBSplineCurve {
                self.curve($i)
            }
            #[setter]
            fn $set(&self, v: PyRef<'_, PyGradingBSplineCurve>) {
                self.set_curve($i, &v)
            }
        }
    };
}

hue_curve_field!(hue_hue, set_hue_hue, 0);
hue_curve_field!(hue_sat, set_hue_sat, 1);
hue_curve_field!(hue_lum, set_hue_lum, 2);
hue_curve_field!(lum_sat, set_lum_sat, 3);
hue_curve_field!(sat_sat, set_sat_sat, 4);
hue_curve_field!(lum_lum, set_lum_lum, 5);
hue_curve_field!(sat_lum, set_sat_lum, 6);
hue_curve_field!(hue_fx, set_hue_fx, 7);

#[pymethods]
impl PyGradingHueCurve {
    /// `(style)` or the eight curves in order.
    #[new]
    #[pyo3(signature = (*args))]
    fn new(args: &Bound<'_, PyTuple>) -> PyResult<Self> {
        if args.len() == 1 {
            let style = args.get_item(0)?.extract::<E<GradingStyle>>()?.0;
            return Ok(PyGradingHueCurve::from_engine(HueCurve::new(style)));
        }
        if args.len() != HUE_CURVE_NAMES.len() {
            return Err(PyTypeError::new_err("__init__(): incompatible constructor arguments"));
        }
        let mut v = HueCurve::new(GradingStyle::Log);
        for (i, slot) in v.curves.iter_mut().enumerate() {
            *slot = args.get_item(i)?.cast::<PyGradingBSplineCurve>()?.get().get();
        }
        Ok(PyGradingHueCurve::from_engine(v))
    }

    fn getDrawCurveOnly(&self) -> bool {
        self.get().draw_curve_only
    }

    fn setDrawCurveOnly(&self, drawCurveOnly: bool) {
        write(&self.lens, |h| h.draw_curve_only = drawCurveOnly)
    }

    fn validate(&self) -> PyResult<()> {
        self.get().validate().py()
    }

    fn isIdentity(&self) -> bool {
        self.get().is_identity()
    }

    fn __eq__(&self, other: &Bound<'_, PyAny>) -> bool {
        other
            .cast::<PyGradingHueCurve>()
            .is_ok_and(|o| o.get().get() == self.get())
    }

    fn __ne__(&self, other: &Bound<'_, PyAny>) -> bool {
        !self.__eq__(other)
    }

    fn __repr__(&self) -> String {
        self.get().to_string()
    }
}

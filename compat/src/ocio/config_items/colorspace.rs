//! `ColorSpace` over `vfx_ocio::config::ColorSpace`.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard};

use pyo3::prelude::*;
use pyo3::types::PyType;
use vfx_ocio::config::ColorSpace;
use vfx_ocio::enums::{Allocation, BitDepth, ColorSpaceDirection, ReferenceSpaceType};

use super::held::Held;
use super::iterators::{alias_at, live_iterator, nested, token_at, BoolArg, IndexKind};
use super::transform_arg;
use crate::ocio::enums::E;
use crate::ocio::errors::OcioResultExt;
use crate::ocio::transform::PyTransform;

#[pyclass(frozen, name = "ColorSpace", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyColorSpace {
    inner: Mutex<ColorSpace>,
    /// The transform objects handed out (edits to them are the element's).
    held: Held<2>,
}

impl PyColorSpace {
    pub fn from_engine(cs: ColorSpace) -> Self {
        PyColorSpace {
            inner: Mutex::new(cs),
            held: Held::default(),
        }
    }

    /// The engine value, with the current parameters of the transform
    /// objects handed out.
    pub fn lock(&self) -> MutexGuard<'_, ColorSpace> {
        let mut guard = self.inner.lock().unwrap_or_else(|e| e.into_inner());
        let v = &mut *guard;
        self.held.sync([&mut v.to_reference, &mut v.from_reference]);
        guard
    }

    fn slot(dir: ColorSpaceDirection) -> usize {
        match dir {
            ColorSpaceDirection::ToReference => 0,
            ColorSpaceDirection::FromReference => 1,
        }
    }
}

/// get/set of one text attribute.
macro_rules! text_attr {
    ($field:ident, $get:ident, $set:ident, $arg:ident) => {
        #[pymethods]
        impl PyColorSpace {
            fn $get(&self) -> String {
                self.lock().$field.clone()
            }
            /// None is taken as "" (as the reference's binding does).
            #[pyo3(signature = ($arg))]
            fn $set(&self, $arg: Option<&str>) {
                self.lock().$field = $arg.unwrap_or("").to_string();
            }
        }
    };
}

text_attr!(family, getFamily, setFamily, family);
text_attr!(encoding, getEncoding, setEncoding, encoding);
text_attr!(equality_group, getEqualityGroup, setEqualityGroup, equalityGroup);
text_attr!(description, getDescription, setDescription, description);

#[pymethods]
impl PyColorSpace {
    #[new]
    #[pyo3(signature = (referenceSpace = E(ReferenceSpaceType::Scene), name = String::new(), aliases = Vec::new(),
                        family = String::new(), encoding = String::new(), equalityGroup = String::new(),
                        description = String::new(), bitDepth = E(BitDepth::Unknown), isData = BoolArg(false),
                        allocation = E(Allocation::Uniform), allocationVars = Vec::new(), toReference = None,
                        fromReference = None, categories = Vec::new(), interopID = String::new()))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        referenceSpace: E<ReferenceSpaceType>,
        name: String,
        aliases: Vec<String>,
        family: String,
        encoding: String,
        equalityGroup: String,
        description: String,
        bitDepth: E<BitDepth>,
        isData: BoolArg,
        allocation: E<Allocation>,
        allocationVars: Vec<f32>,
        toReference: Option<Bound<'_, PyTransform>>,
        fromReference: Option<Bound<'_, PyTransform>>,
        categories: Vec<String>,
        interopID: String,
    ) -> PyResult<Self> {
        let mut cs = ColorSpace::new(referenceSpace.0);
        cs.set_name(&name);
        for a in &aliases {
            cs.add_alias(a);
        }
        cs.family = family;
        cs.encoding = encoding;
        cs.equality_group = equalityGroup;
        cs.description = description;
        cs.bit_depth = bitDepth.0;
        cs.is_data = isData.0;
        cs.allocation = allocation.0;
        if !allocationVars.is_empty() {
            cs.set_allocation_vars(allocationVars).py()?;
        }
        cs.to_reference = transform_arg(toReference.as_ref())?;
        cs.from_reference = transform_arg(fromReference.as_ref())?;
        for c in &categories {
            cs.categories.add(c);
        }
        cs.set_interop_id(&interopID).py()?;
        Ok(PyColorSpace::from_engine(cs))
    }

    fn __deepcopy__(&self, memo: &Bound<'_, PyAny>) -> Self {
        let _ = memo;
        PyColorSpace::from_engine(self.lock().clone())
    }

    fn __repr__(&self) -> String {
        self.lock().to_string()
    }

    fn getName(&self) -> String {
        self.lock().name.clone()
    }

    fn setName(&self, name: &str) {
        self.lock().set_name(name)
    }

    #[classattr]
    fn ColorSpaceCategoryIterator(py: Python<'_>) -> PyResult<Py<PyType>> {
        nested(py.get_type::<PyColorSpaceCategoryIterator>(), "ColorSpace")
    }

    #[classattr]
    fn ColorSpaceAliasIterator(py: Python<'_>) -> PyResult<Py<PyType>> {
        nested(py.get_type::<PyColorSpaceAliasIterator>(), "ColorSpace")
    }

    fn getAliases(slf: Bound<'_, Self>) -> PyColorSpaceAliasIterator {
        PyColorSpaceAliasIterator::new(slf, 0)
    }

    #[pyo3(signature = (alias))]
    fn hasAlias(&self, alias: Option<&str>) -> bool {
        alias.is_some_and(|a| self.lock().has_alias(a))
    }

    fn addAlias(&self, alias: &str) {
        self.lock().add_alias(alias)
    }

    fn removeAlias(&self, alias: &str) {
        self.lock().remove_alias(alias)
    }

    fn clearAliases(&self) {
        self.lock().aliases.clear()
    }

    fn getCategories(slf: Bound<'_, Self>) -> PyColorSpaceCategoryIterator {
        PyColorSpaceCategoryIterator::new(slf, 0)
    }

    #[pyo3(signature = (category))]
    fn hasCategory(&self, category: Option<&str>) -> bool {
        self.lock().categories.has(category.unwrap_or(""))
    }

    #[pyo3(signature = (category))]
    fn addCategory(&self, category: Option<&str>) {
        self.lock().categories.add(category.unwrap_or(""))
    }

    #[pyo3(signature = (category))]
    fn removeCategory(&self, category: Option<&str>) {
        self.lock().categories.remove(category.unwrap_or(""))
    }

    fn clearCategories(&self) {
        self.lock().categories.clear()
    }

    fn getBitDepth(&self) -> E<BitDepth> {
        E(self.lock().bit_depth)
    }

    fn setBitDepth(&self, bitDepth: E<BitDepth>) {
        self.lock().bit_depth = bitDepth.0
    }

    fn isData(&self) -> bool {
        self.lock().is_data
    }

    fn setIsData(&self, isData: BoolArg) {
        self.lock().is_data = isData.0
    }

    fn getAllocation(&self) -> E<Allocation> {
        E(self.lock().allocation)
    }

    fn setAllocation(&self, allocation: E<Allocation>) {
        self.lock().allocation = allocation.0
    }

    fn getAllocationVars(&self) -> Vec<f32> {
        self.lock().allocation_vars.clone()
    }

    fn setAllocationVars(&self, vars: Vec<f32>) -> PyResult<()> {
        self.lock().set_allocation_vars(vars).py()
    }

    fn getReferenceSpaceType(&self) -> E<ReferenceSpaceType> {
        E(self.lock().reference_space)
    }

    fn getInteropID(&self) -> String {
        self.lock().interop_id.clone()
    }

    #[pyo3(signature = (interopID))]
    fn setInteropID(&self, interopID: Option<&str>) -> PyResult<()> {
        self.lock().set_interop_id(interopID.unwrap_or("")).py()
    }

    #[pyo3(signature = (attrName))]
    fn getInterchangeAttribute(&self, attrName: Option<&str>) -> PyResult<String> {
        let name = attrName.unwrap_or("");
        self.lock().interchange.get(name).map(str::to_string).py()
    }

    #[pyo3(signature = (attrName, attrValue))]
    fn setInterchangeAttribute(&self, attrName: Option<&str>, attrValue: Option<&str>) -> PyResult<()> {
        let name = attrName.unwrap_or("");
        self.lock().interchange.set(name, attrValue.unwrap_or("")).py()
    }

    fn getInterchangeAttributes(&self) -> BTreeMap<String, String> {
        self.lock().interchange.values.clone()
    }

    fn getTransform(&self, py: Python<'_>, direction: E<ColorSpaceDirection>) -> PyResult<Option<Py<PyTransform>>> {
        let t = self.lock().transform(direction.0).cloned();
        self.held.get(py, Self::slot(direction.0), t)
    }

    #[pyo3(signature = (transform, direction))]
    fn setTransform(
        &self,
        transform: Option<Bound<'_, PyTransform>>,
        direction: E<ColorSpaceDirection>,
    ) -> PyResult<()> {
        let t = transform_arg(transform.as_ref())?;
        self.held.forget(Self::slot(direction.0));
        self.lock().set_transform(t, direction.0);
        Ok(())
    }
}

live_iterator!(
    PyColorSpaceCategoryIterator = "ColorSpaceCategoryIterator" over PyColorSpace, IndexKind::CInt,
    len(cs, _arg) { Ok(cs.lock().categories.0.len()) },
    item(py, cs, _arg, index) -> Option<String> { Ok(token_at(&cs.lock().categories.0, index)) }
);

live_iterator!(
    PyColorSpaceAliasIterator = "ColorSpaceAliasIterator" over PyColorSpace, IndexKind::CInt,
    len(cs, _arg) { Ok(cs.lock().aliases.len()) },
    item(py, cs, _arg, index) -> String { Ok(alias_at(&cs.lock().aliases, index)) }
);

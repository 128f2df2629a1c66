//! `Config` over `vfx_ocio::config::Config`, and the current-config
//! functions. Elements handed out (colour spaces, looks, ...) are copies;
//! see KNOWN_DIFFERENCES.md.

use std::sync::{Mutex, MutexGuard};

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple};
use vfx_ocio::config::query::split_list;
use vfx_ocio::config::{Config, View};
use vfx_ocio::enums::{
    ColorSpaceVisibility, EnvironmentMode, NamedTransformVisibility, ReferenceSpaceType, SearchReferenceSpaceType,
    TransformDirection, ViewType,
};
use vfx_ocio::yaml::config_write::write_config;

use super::args::fixed;
use super::config_items::colorspace::PyColorSpace;
use super::config_items::colorspace_set::PyColorSpaceSet;
use super::config_items::look::PyLook;
use super::config_items::named_transform::PyNamedTransform;
use super::config_items::view_transform::PyViewTransform;
use super::enums::E;
use super::errors::{Exception, OcioResultExt};
use super::iter::{OutOfRange, PyOcioIterator};
use super::processor::PyProcessor;
use super::transform::{to_engine, PyTransform};

#[pyclass(frozen, name = "Config", module = "PyOpenColorIO.PyOpenColorIO")]
pub struct PyConfig {
    inner: Mutex<Config>,
    /// Processors already made (OCIO's processor cache): asking again for
    /// the same transform, direction and context gives the same object.
    processors: Mutex<ProcessorCache>,
}

/// The cache is dropped whenever the config differs from the one its
/// processors were made from.
#[derive(Default)]
struct ProcessorCache {
    disabled: bool,
    config: Option<Config>,
    map: std::collections::HashMap<String, Py<PyProcessor>>,
}

impl PyConfig {
    pub fn from_engine(c: Config) -> Self {
        PyConfig {
            inner: Mutex::new(c),
            processors: Mutex::default(),
        }
    }

    pub fn lock(&self) -> MutexGuard<'_, Config> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }
}

fn names<'py>(py: Python<'py>, v: Vec<String>) -> PyResult<PyOcioIterator> {
    PyOcioIterator::from_values(py, v, OutOfRange::IndexError)
}

fn objects(py: Python<'_>, items: Vec<Py<PyAny>>) -> PyOcioIterator {
    let _ = py;
    PyOcioIterator::new(items, OutOfRange::IndexError)
}

#[pymethods]
impl PyConfig {
    #[new]
    fn new() -> Self {
        PyConfig::from_engine(Config::default())
    }

    #[staticmethod]
    fn CreateRaw() -> Self {
        PyConfig::from_engine(Config::raw())
    }

    #[staticmethod]
    fn CreateFromEnv(py: Python<'_>) -> PyResult<Self> {
        let c = py.detach(Config::from_env).py()?;
        Ok(PyConfig::from_engine(c))
    }

    #[staticmethod]
    fn CreateFromFile(py: Python<'_>, fileName: &str) -> PyResult<Self> {
        let c = py.detach(|| Config::from_file(fileName)).py()?;
        Ok(PyConfig::from_engine(c))
    }

    #[staticmethod]
    #[pyo3(signature = (str))]
    fn CreateFromStream(py: Python<'_>, str: &str) -> PyResult<Self> {
        let c = py.detach(|| Config::from_yaml(str)).py()?;
        Ok(PyConfig::from_engine(c))
    }

    #[staticmethod]
    #[pyo3(signature = (arg0))]
    fn CreateFromBuiltinConfig(py: Python<'_>, arg0: &str) -> PyResult<Self> {
        let c = py.detach(|| Config::from_builtin(arg0)).py()?;
        Ok(PyConfig::from_engine(c))
    }

    fn __deepcopy__(&self, memo: &Bound<'_, PyAny>) -> Self {
        let _ = memo;
        PyConfig::from_engine(self.lock().clone())
    }

    /// `serialize()` returns the text; `serialize(fileName)` writes it.
    #[pyo3(signature = (fileName = None))]
    fn serialize(&self, py: Python<'_>, fileName: Option<&str>) -> PyResult<Option<String>> {
        let c = self.lock().clone();
        let text = py.detach(|| write_config(&c)).py()?;
        match fileName {
            None => Ok(Some(text)),
            Some(path) => {
                std::fs::write(path, text)
                    .map_err(|e| Exception::new_err(format!("Error writing config to '{path}': {e}")))?;
                Ok(None)
            }
        }
    }

    fn __str__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.serialize(py, None)?.unwrap_or_default())
    }

    // Version, name, description, search paths.

    fn getMajorVersion(&self) -> u32 {
        self.lock().major
    }

    fn getMinorVersion(&self) -> u32 {
        self.lock().minor
    }

    fn setMajorVersion(&self, major: u32) -> PyResult<()> {
        if !(1..=2).contains(&major) {
            return Err(Exception::new_err(format!(
                "The version is {major} where supported versions start at 1 and end at 2."
            )));
        }
        let mut c = self.lock();
        c.major = major;
        c.minor = if major == 2 { vfx_ocio::config::LATEST_MINOR } else { 0 };
        Ok(())
    }

    fn setMinorVersion(&self, minor: u32) -> PyResult<()> {
        let mut c = self.lock();
        let max = if c.major == 2 {
            vfx_ocio::config::LATEST_MINOR
        } else {
            0
        };
        if minor > max {
            return Err(Exception::new_err(format!(
                "The minor version {minor} is not supported for major version {}. Maximum minor version is {max}.",
                c.major
            )));
        }
        c.minor = minor;
        Ok(())
    }

    fn setVersion(&self, major: u32, minor: u32) -> PyResult<()> {
        self.setMajorVersion(major)?;
        self.setMinorVersion(minor)
    }

    fn getName(&self) -> String {
        self.lock().name.clone()
    }

    fn setName(&self, name: &str) {
        self.lock().name = name.to_string();
    }

    fn getDescription(&self) -> String {
        self.lock().description.clone()
    }

    fn setDescription(&self, description: &str) {
        self.lock().description = description.to_string();
    }

    fn getSearchPath(&self) -> String {
        self.lock().search_paths.join(":")
    }

    /// Splits at ':' as OCIO does: "" gives one empty path (which
    /// validation reports when there are file transforms).
    fn setSearchPath(&self, path: &str) {
        self.lock().search_paths = path.split(':').map(str::to_string).collect();
    }

    fn getSearchPaths(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        names(py, self.lock().search_paths.clone())
    }

    fn addSearchPath(&self, path: &str) {
        if !path.is_empty() {
            self.lock().search_paths.push(path.to_string());
        }
    }

    fn clearSearchPaths(&self) {
        self.lock().search_paths.clear();
    }

    fn isStrictParsingEnabled(&self) -> bool {
        self.lock().strict_parsing
    }

    fn setStrictParsingEnabled(&self, enabled: bool) {
        self.lock().strict_parsing = enabled;
    }

    fn getFamilySeparator(&self) -> String {
        self.lock().family_separator.to_string()
    }

    fn getDefaultLumaCoefs(&self) -> Vec<f64> {
        self.lock().luma.to_vec()
    }

    fn setDefaultLumaCoefs(&self, rgb: Vec<f64>) -> PyResult<()> {
        self.lock().luma = fixed(rgb, "rgb")?;
        Ok(())
    }

    // Environment.

    fn getEnvironmentVarNames(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        names(py, self.lock().environment.keys().cloned().collect())
    }

    fn getEnvironmentVarDefault(&self, name: &str) -> String {
        self.lock().environment.get(name).cloned().unwrap_or_default()
    }

    fn addEnvironmentVar(&self, name: &str, defaultValue: Option<&str>) {
        let mut c = self.lock();
        match defaultValue {
            Some(v) => {
                c.environment.insert(name.to_string(), v.to_string());
            }
            None => {
                c.environment.remove(name);
            }
        }
    }

    fn clearEnvironmentVars(&self) {
        self.lock().environment.clear();
    }

    fn getFileRules(&self) -> super::config_items::file_rules::PyFileRules {
        super::config_items::file_rules::PyFileRules::from_engine(self.lock().file_rules.clone())
    }

    fn setFileRules(&self, fileRules: PyRef<'_, super::config_items::file_rules::PyFileRules>) {
        let r = fileRules.lock().clone();
        self.lock().file_rules = r;
    }

    fn getViewingRules(&self) -> super::config_items::viewing_rules::PyViewingRules {
        super::config_items::viewing_rules::PyViewingRules::from_engine(self.lock().viewing_rules.clone())
    }

    fn setViewingRules(&self, ViewingRules: PyRef<'_, super::config_items::viewing_rules::PyViewingRules>) {
        let r = ViewingRules.lock().clone();
        self.lock().viewing_rules = r;
    }

    fn getColorSpaceFromFilepath(&self, filePath: &str) -> (String, usize) {
        self.lock().colorspace_from_filepath(filePath)
    }

    fn filepathOnlyMatchesDefaultRule(&self, filePath: &str) -> bool {
        let c = self.lock();
        c.colorspace_from_filepath(filePath).1 + 1 == c.file_rules.len()
    }

    #[pyo3(signature = (str))]
    fn parseColorSpaceFromString(&self, str: &str) -> String {
        self.lock().parse_colorspace_from_string(str)
    }

    fn getCurrentContext(&self) -> super::config_items::context::PyContext {
        super::config_items::context::PyContext::from_engine(self.lock().current_context())
    }

    fn getWorkingDir(&self) -> String {
        self.lock().working_dir.clone()
    }

    fn setWorkingDir(&self, dirName: &str) {
        self.lock().working_dir = dirName.to_string();
    }

    fn validate(&self, py: Python<'_>) -> PyResult<()> {
        let c = self.lock().clone();
        py.detach(|| c.validate()).py()
    }

    fn getEnvironmentMode(&self) -> E<EnvironmentMode> {
        E(self.lock().env_mode)
    }

    fn setEnvironmentMode(&self, mode: E<EnvironmentMode>) {
        self.lock().env_mode = mode.0;
    }

    /// Kept for the API: the context reads the environment whenever it is
    /// built, so there is nothing to refresh.
    fn loadEnvironment(&self) {}

    fn getDefaultSceneToDisplayViewTransform(&self) -> Option<super::config_items::view_transform::PyViewTransform> {
        self.lock()
            .default_scene_to_display_view_transform()
            .cloned()
            .map(super::config_items::view_transform::PyViewTransform::from_engine)
    }

    // Roles.

    fn getRoles(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        let roles: Vec<(String, String)> = self.lock().roles.clone().into_iter().collect();
        PyOcioIterator::from_values(py, roles, OutOfRange::IndexError)
    }

    fn getRoleNames(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        names(py, self.lock().roles.keys().cloned().collect())
    }

    fn hasRole(&self, role: &str) -> bool {
        self.lock().roles.contains_key(&role.to_lowercase())
    }

    fn getRoleColorSpace(&self, roleName: &str) -> String {
        self.lock()
            .roles
            .get(&roleName.to_lowercase())
            .cloned()
            .unwrap_or_default()
    }

    /// An empty (or None) colour space removes the role.
    #[pyo3(signature = (role, colorSpaceName))]
    fn setRole(&self, role: &str, colorSpaceName: Option<&str>) {
        let mut c = self.lock();
        match colorSpaceName.filter(|s| !s.is_empty()) {
            Some(cs) => {
                c.roles.insert(role.to_lowercase(), cs.to_string());
            }
            None => {
                c.roles.remove(&role.to_lowercase());
            }
        }
    }

    // Colour spaces.

    fn getColorSpace(&self, name: &str) -> Option<PyColorSpace> {
        self.lock()
            .find_colorspace(name)
            .cloned()
            .map(PyColorSpace::from_engine)
    }

    fn getCanonicalName(&self, name: &str) -> String {
        self.lock().canonical_name(name)
    }

    /// `()` for the active ones, or `(searchReferenceType, visibility)`.
    #[pyo3(signature = (*args))]
    fn getColorSpaceNames(&self, py: Python<'_>, args: &Bound<'_, PyTuple>) -> PyResult<PyOcioIterator> {
        let (search, vis) = search_args(args)?;
        let v = self
            .lock()
            .colorspaces_filtered(search, vis)
            .iter()
            .map(|c| c.name.clone())
            .collect();
        names(py, v)
    }

    /// `()` for the active ones, or `(searchReferenceType, visibility)`.
    #[pyo3(signature = (*args))]
    fn getColorSpaces(&self, py: Python<'_>, args: &Bound<'_, PyTuple>) -> PyResult<Py<PyAny>> {
        if args.len() == 1 {
            // getColorSpaces(category): a ColorSpaceSet (None: every active one).
            let category: Option<String> = args.get_item(0)?.extract().unwrap_or(None);
            if category.is_some() || args.get_item(0)?.is_none() {
                let set = self.lock().colorspace_set(category.as_deref().unwrap_or("")).py()?;
                return Ok(Py::new(py, PyColorSpaceSet::from_engine(py, set)?)?.into_any());
            }
        }
        let (search, vis) = search_args(args)?;
        let list: Vec<_> = self
            .lock()
            .colorspaces_filtered(search, vis)
            .into_iter()
            .cloned()
            .collect();
        let items = list
            .into_iter()
            .map(|c| Py::new(py, PyColorSpace::from_engine(c)).map(Py::into_any))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(Py::new(py, objects(py, items))?.into_any())
    }

    /// Adds a colour space, replacing one with the same name.
    fn addColorSpace(&self, colorSpace: PyRef<'_, PyColorSpace>) {
        let cs = colorSpace.lock().clone();
        let mut c = self.lock();
        match c.colorspaces.iter_mut().find(|o| o.name.eq_ignore_ascii_case(&cs.name)) {
            Some(slot) => *slot = cs,
            None => c.colorspaces.push(cs),
        }
    }

    fn removeColorSpace(&self, name: &str) {
        self.lock().colorspaces.retain(|c| !c.name.eq_ignore_ascii_case(name));
    }

    fn clearColorSpaces(&self) {
        self.lock().colorspaces.clear();
    }

    fn getInactiveColorSpaces(&self) -> String {
        self.lock().inactive_names().join(", ")
    }

    fn setInactiveColorSpaces(&self, inactiveColorSpaces: &str) {
        self.lock().inactive_colorspaces = split_list(inactiveColorSpaces);
    }

    fn isInactiveColorSpace(&self, colorspace: &str) -> bool {
        self.lock()
            .inactive_names()
            .iter()
            .any(|n| n.eq_ignore_ascii_case(colorspace))
    }

    // Displays and views.

    fn getDefaultDisplay(&self) -> String {
        self.lock().default_display()
    }

    fn getDisplays(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        names(py, self.lock().active_display_names())
    }

    fn getDisplaysAll(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        names(py, self.lock().displays.iter().map(|d| d.name.clone()).collect())
    }

    /// `(display)`: its active views.
    #[pyo3(signature = (*args))]
    fn getViews(&self, py: Python<'_>, args: &Bound<'_, PyTuple>) -> PyResult<PyOcioIterator> {
        match args.len() {
            1 => {
                let display: String = args.get_item(0)?.extract()?;
                names(py, self.lock().active_view_names(&display))
            }
            2 if args.get_item(0)?.extract::<E<ViewType>>().is_ok() => {
                let kind = args.get_item(0)?.extract::<E<ViewType>>()?.0;
                let display: String = args.get_item(1)?.extract()?;
                names(py, self.lock().view_names_of_type(kind, &display))
            }
            2 => {
                let display: String = args.get_item(0)?.extract()?;
                let colorspace: String = args.get_item(1)?.extract()?;
                let views = self.lock().filtered_view_names(&display, &colorspace).py()?;
                names(py, views)
            }
            _ => Err(PyTypeError::new_err("getViews(): incompatible function arguments")),
        }
    }

    /// `(display)`: its default view; `(display, colorSpaceName)`: the first
    /// view the viewing rules keep for that colour space.
    #[pyo3(signature = (*args))]
    fn getDefaultView(&self, args: &Bound<'_, PyTuple>) -> PyResult<String> {
        let display: String = args.get_item(0)?.extract()?;
        match args.len() {
            1 => Ok(self.lock().default_view(&display)),
            2 => {
                let colorspace: String = args.get_item(1)?.extract()?;
                let views = self.lock().filtered_view_names(&display, &colorspace).py()?;
                Ok(views.into_iter().next().unwrap_or_default())
            }
            _ => Err(PyTypeError::new_err(
                "getDefaultView(): incompatible function arguments",
            )),
        }
    }

    fn hasView(&self, display: &str, view: &str) -> bool {
        self.lock().display_view(display, view).is_some()
    }

    fn getDisplayViewColorSpaceName(&self, display: &str, view: &str) -> String {
        self.view_field(display, view, |v| v.colorspace.clone())
    }

    /// None (as the reference's null string) finds nothing.
    fn isColorSpaceLinear(&self, colorSpace: &str, referenceSpaceType: E<ReferenceSpaceType>) -> PyResult<bool> {
        self.lock().is_colorspace_linear(colorSpace, referenceSpaceType.0).py()
    }

    fn isArchivable(&self) -> bool {
        self.lock().is_archivable()
    }

    fn findColorSpaceForID(&self, idString: Option<&str>) -> Option<PyColorSpace> {
        self.lock()
            .find_colorspace_for_id(idString.unwrap_or(""))
            .cloned()
            .map(PyColorSpace::from_engine)
    }

    fn generateLocalIDForColorSpace(&self, srcColorSpaceName: &str) -> PyResult<String> {
        self.lock().generate_local_id(srcColorSpaceName).py()
    }

    fn isDisplayTemporary(&self, display: &str) -> bool {
        self.lock().display(display).is_some_and(|d| d.temporary)
    }

    fn setDisplayTemporary(&self, display: &str, isTemporary: bool) {
        let mut c = self.lock();
        if let Some(d) = c.displays.iter_mut().find(|d| d.name.eq_ignore_ascii_case(display)) {
            d.temporary = isTemporary;
        }
    }

    /// True if both configs have the view (of the display, or shared when
    /// `dispName` is empty) with the same colour space, looks, view
    /// transform and rule (ignoring case and the description).
    #[staticmethod]
    fn AreViewsEqual(first: PyRef<'_, PyConfig>, second: PyRef<'_, PyConfig>, dispName: &str, viewName: &str) -> bool {
        let (a, b) = (first.lock().clone(), second.lock().clone());
        views_equal(a.display_view(dispName, viewName), b.display_view(dispName, viewName))
    }

    #[staticmethod]
    fn AreVirtualViewsEqual(first: PyRef<'_, PyConfig>, second: PyRef<'_, PyConfig>, viewName: &str) -> bool {
        let (a, b) = (first.lock().clone(), second.lock().clone());
        views_equal(a.virtual_view(viewName), b.virtual_view(viewName))
    }

    fn getCanonicalDisplayName(&self, display: &str) -> String {
        self.lock().canonical_display_name(display)
    }

    fn getCanonicalViewName(&self, display: &str, view: &str) -> String {
        self.lock().canonical_view_name(display, view)
    }

    fn getResolvedDisplayViewColorSpaceName(&self, display: &str, view: &str) -> String {
        self.lock().resolved_display_view_colorspace(display, view)
    }

    fn getDisplayDescription(&self, display: &str) -> String {
        self.lock().display_description(display)
    }

    fn hasDisplayViewAlias(&self, display: &str, view: &str, alias: &str) -> bool {
        self.lock()
            .display_view(display, view)
            .is_some_and(|v| v.aliases.iter().any(|a| a.eq_ignore_ascii_case(alias)))
    }

    fn getDisplayViewAliases(&self, py: Python<'_>, display: &str, view: &str) -> PyResult<PyOcioIterator> {
        names(py, self.view_field_list(display, view))
    }

    fn getDisplayViewTransformName(&self, display: &str, view: &str) -> String {
        self.view_field(display, view, |v| v.view_transform.clone())
    }

    fn getDisplayViewLooks(&self, display: &str, view: &str) -> String {
        self.view_field(display, view, |v| v.looks.clone())
    }

    fn getDisplayViewRule(&self, display: &str, view: &str) -> String {
        self.view_field(display, view, |v| v.rule.clone())
    }

    fn getDisplayViewDescription(&self, display: &str, view: &str) -> String {
        self.view_field(display, view, |v| v.description.clone())
    }

    /// `(display, view, colorSpaceName, looks='')` or `(display, view,
    /// viewTransform, displayColorSpaceName, looks='', ruleName='',
    /// description='', aliases=[])`.
    #[pyo3(signature = (*args, **kwargs))]
    fn addDisplayView(&self, args: &Bound<'_, PyTuple>, kwargs: Option<&Bound<'_, PyDict>>) -> PyResult<()> {
        let a = Args::new(args, kwargs);
        let display = a.text(0, "display")?;
        let name = a.text(1, "view")?;
        // pybind11 tries (display, view, colorSpaceName, looks) first: four
        // positional arguments are that form.
        let long_kw = [
            "viewTransform",
            "displayColorSpaceName",
            "ruleName",
            "description",
            "aliases",
        ];
        let view = if args.len() > 4 || long_kw.iter().any(|k| a.has_kw(k)) {
            View {
                name,
                view_transform: a.text(2, "viewTransform")?,
                colorspace: a.text(3, "displayColorSpaceName")?,
                looks: a.text(4, "looks")?,
                rule: a.text(5, "ruleName")?,
                description: a.text(6, "description")?,
                aliases: a.texts(7, "aliases")?,
            }
        } else {
            View {
                name,
                colorspace: a.text(2, "colorSpaceName")?,
                looks: a.text(3, "looks")?,
                ..Default::default()
            }
        };
        self.lock().add_display_view(&display, view).py()
    }

    #[pyo3(signature = (view, viewTransformName, colorSpaceName, looks = String::new(), ruleName = String::new(),
                        description = String::new(), aliases = Vec::new()))]
    #[allow(clippy::too_many_arguments)]
    fn addSharedView(
        &self,
        view: &str,
        viewTransformName: &str,
        colorSpaceName: &str,
        looks: String,
        ruleName: String,
        description: String,
        aliases: Vec<String>,
    ) -> PyResult<()> {
        self.lock()
            .add_shared_view(View {
                name: view.to_string(),
                view_transform: viewTransformName.to_string(),
                colorspace: colorSpaceName.to_string(),
                looks,
                rule: ruleName,
                description,
                aliases,
            })
            .py()
    }

    fn removeSharedView(&self, view: &str) -> PyResult<()> {
        self.lock().remove_shared_view(view).py()
    }

    fn clearSharedViews(&self) {
        self.lock().shared_views.clear();
    }

    fn addDisplaySharedView(&self, display: &str, view: &str) -> PyResult<()> {
        self.lock().add_display_shared_view(display, view).py()
    }

    fn removeDisplayView(&self, display: &str, view: &str) -> PyResult<()> {
        self.lock().remove_display_view(display, view).py()
    }

    fn clearDisplays(&self) {
        self.lock().displays.clear();
    }

    fn isViewShared(&self, display: &str, view: &str) -> bool {
        self.lock().is_view_shared(display, view)
    }

    fn getVirtualDisplayViews(&self, py: Python<'_>, display: E<ViewType>) -> PyResult<PyOcioIterator> {
        let c = self.lock();
        let v = match display.0 {
            ViewType::Shared => c.virtual_display.shared_views.clone(),
            ViewType::DisplayDefined => c.virtual_display.views.iter().map(|v| v.name.clone()).collect(),
        };
        drop(c);
        names(py, v)
    }

    fn getVirtualDisplayViewTransformName(&self, view: &str) -> String {
        self.lock()
            .virtual_view(view)
            .map(|v| v.view_transform.clone())
            .unwrap_or_default()
    }

    fn getVirtualDisplayViewColorSpaceName(&self, view: &str) -> String {
        self.lock()
            .virtual_view(view)
            .map(|v| v.colorspace.clone())
            .unwrap_or_default()
    }

    fn getVirtualDisplayViewLooks(&self, view: &str) -> String {
        self.lock()
            .virtual_view(view)
            .map(|v| v.looks.clone())
            .unwrap_or_default()
    }

    fn getVirtualDisplayViewRule(&self, view: &str) -> String {
        self.lock()
            .virtual_view(view)
            .map(|v| v.rule.clone())
            .unwrap_or_default()
    }

    fn getVirtualDisplayViewDescription(&self, view: &str) -> String {
        self.lock()
            .virtual_view(view)
            .map(|v| v.description.clone())
            .unwrap_or_default()
    }

    #[pyo3(signature = (view, viewTransformName, colorSpaceName, looks = String::new(), ruleName = String::new(),
                        description = String::new()))]
    fn addVirtualDisplayView(
        &self,
        view: &str,
        viewTransformName: &str,
        colorSpaceName: &str,
        looks: String,
        ruleName: String,
        description: String,
    ) -> PyResult<()> {
        self.lock()
            .add_virtual_view(View {
                name: view.to_string(),
                view_transform: viewTransformName.to_string(),
                colorspace: colorSpaceName.to_string(),
                looks,
                rule: ruleName,
                description,
                aliases: Vec::new(),
            })
            .py()
    }

    fn addVirtualDisplaySharedView(&self, sharedView: &str) -> PyResult<()> {
        self.lock().add_virtual_shared_view(sharedView).py()
    }

    fn removeVirtualDisplayView(&self, view: &str) {
        self.lock().remove_virtual_view(view);
    }

    fn clearVirtualDisplay(&self) {
        self.lock().virtual_display = Default::default();
    }

    fn hasVirtualView(&self, view: &str) -> bool {
        let c = self.lock();
        c.virtual_view(view).is_some() || c.virtual_display.shared_views.iter().any(|s| s == view)
    }

    fn isVirtualViewShared(&self, view: &str) -> bool {
        self.lock().virtual_display.shared_views.iter().any(|s| s == view)
    }

    fn addActiveDisplay(&self, display: &str) {
        Config::add_active(&mut self.lock().active_displays, display);
    }

    fn removeActiveDisplay(&self, display: &str) -> PyResult<()> {
        self.lock().remove_active_display(display).py()
    }

    fn clearActiveDisplays(&self) {
        self.lock().active_displays.clear();
    }

    fn addActiveView(&self, view: &str) {
        Config::add_active(&mut self.lock().active_views, view);
    }

    fn removeActiveView(&self, view: &str) -> PyResult<()> {
        self.lock().remove_active_view(view).py()
    }

    fn clearActiveViews(&self) {
        self.lock().active_views.clear();
    }

    #[pyo3(signature = (visibility = E(NamedTransformVisibility::Active)))]
    fn getNamedTransforms(&self, py: Python<'_>, visibility: E<NamedTransformVisibility>) -> PyResult<PyOcioIterator> {
        let names_it = self.getNamedTransformNames(py, visibility)?;
        let wanted: Vec<String> = names_it.values(py)?;
        let c = self.lock().clone();
        let items = wanted
            .iter()
            .filter_map(|n| c.named_transform(n).cloned())
            .map(|n| Py::new(py, PyNamedTransform::from_engine(n)).map(Py::into_any))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(objects(py, items))
    }

    fn getSharedViews(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        names(py, self.lock().shared_views.iter().map(|v| v.name.clone()).collect())
    }

    fn getActiveDisplays(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        names(py, self.lock().active_displays.clone())
    }

    fn setActiveDisplays(&self, displays: &str) {
        self.lock().active_displays = split_list(displays);
    }

    fn getNumActiveDisplays(&self) -> usize {
        self.lock().active_displays.len()
    }

    fn getActiveViews(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        names(py, self.lock().active_views.clone())
    }

    fn setActiveViews(&self, views: &str) {
        self.lock().active_views = split_list(views);
    }

    fn getNumActiveViews(&self) -> usize {
        self.lock().active_views.len()
    }

    fn getUseDisplayAliases(&self) -> bool {
        self.lock().use_display_aliases
    }

    fn setUseDisplayAliases(&self, enabled: bool) {
        self.lock().use_display_aliases = enabled;
    }

    // Looks, view transforms, named transforms.

    fn getLook(&self, name: &str) -> Option<PyLook> {
        self.lock().look(name).cloned().map(PyLook::from_engine)
    }

    fn getLookNames(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        names(py, self.lock().looks.iter().map(|l| l.name.clone()).collect())
    }

    fn getLooks(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        let list = self.lock().looks.clone();
        let items = list
            .into_iter()
            .map(|l| Py::new(py, PyLook::from_engine(l)).map(Py::into_any))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(objects(py, items))
    }

    fn addLook(&self, look: PyRef<'_, PyLook>) {
        let l = look.lock().clone();
        let mut c = self.lock();
        match c.looks.iter_mut().find(|o| o.name == l.name) {
            Some(slot) => *slot = l,
            None => c.looks.push(l),
        }
    }

    fn clearLooks(&self) {
        self.lock().looks.clear();
    }

    fn getViewTransform(&self, name: &str) -> Option<PyViewTransform> {
        self.lock()
            .view_transform(name)
            .cloned()
            .map(PyViewTransform::from_engine)
    }

    fn getViewTransformNames(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        names(py, self.lock().view_transforms.iter().map(|v| v.name.clone()).collect())
    }

    fn getViewTransforms(&self, py: Python<'_>) -> PyResult<PyOcioIterator> {
        let list = self.lock().view_transforms.clone();
        let items = list
            .into_iter()
            .map(|v| Py::new(py, PyViewTransform::from_engine(v)).map(Py::into_any))
            .collect::<PyResult<Vec<_>>>()?;
        Ok(objects(py, items))
    }

    fn addViewTransform(&self, viewTransform: PyRef<'_, PyViewTransform>) {
        let v = viewTransform.lock().clone();
        let mut c = self.lock();
        match c.view_transforms.iter_mut().find(|o| o.name == v.name) {
            Some(slot) => *slot = v,
            None => c.view_transforms.push(v),
        }
    }

    fn clearViewTransforms(&self) {
        self.lock().view_transforms.clear();
    }

    fn getDefaultViewTransformName(&self) -> String {
        self.lock().default_view_transform.clone()
    }

    fn setDefaultViewTransformName(&self, name: &str) {
        self.lock().default_view_transform = name.to_string();
    }

    fn getNamedTransform(&self, name: &str) -> Option<PyNamedTransform> {
        self.lock()
            .named_transform(name)
            .cloned()
            .map(PyNamedTransform::from_engine)
    }

    #[pyo3(signature = (visibility = E(NamedTransformVisibility::Active)))]
    fn getNamedTransformNames(
        &self,
        py: Python<'_>,
        visibility: E<NamedTransformVisibility>,
    ) -> PyResult<PyOcioIterator> {
        let c = self.lock();
        let inactive = c.inactive_names();
        let keep = |n: &str| {
            let off = inactive.iter().any(|i| i.eq_ignore_ascii_case(n));
            match visibility.0 {
                NamedTransformVisibility::Active => !off,
                NamedTransformVisibility::Inactive => off,
                NamedTransformVisibility::All => true,
            }
        };
        let v = c
            .named_transforms
            .iter()
            .filter(|n| keep(&n.name))
            .map(|n| n.name.clone())
            .collect();
        drop(c);
        names(py, v)
    }

    fn addNamedTransform(&self, namedTransform: PyRef<'_, PyNamedTransform>) -> PyResult<()> {
        let n = namedTransform.lock().clone();
        self.lock().add_named_transform(n).py()
    }

    fn clearNamedTransforms(&self) {
        self.lock().named_transforms.clear();
    }

    /// Every overload of the reference, dispatched as pybind11 does: an
    /// optional Context first, then colour spaces, names (colour spaces,
    /// roles or named transforms), a display/view, a named transform or a
    /// transform.
    #[pyo3(signature = (*args, **kwargs))]
    fn getProcessor(
        &self,
        py: Python<'_>,
        args: &Bound<'_, PyTuple>,
        kwargs: Option<&Bound<'_, PyDict>>,
    ) -> PyResult<Py<PyProcessor>> {
        use super::config_items::{colorspace::PyColorSpace, context::PyContext, named_transform::PyNamedTransform};
        let mut items: Vec<Bound<'_, PyAny>> = args.iter().collect();
        let kw = |name: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
            match kwargs {
                Some(k) => k.get_item(name),
                None => Ok(None),
            }
        };
        let context = match items.first().map(|a| a.cast::<PyContext>()) {
            Some(Ok(c)) => {
                let c = c.borrow().lock().clone();
                items.remove(0);
                Some(c)
            }
            _ => match kw("context")? {
                Some(c) => Some(c.cast::<PyContext>()?.borrow().lock().clone()),
                None => None,
            },
        };
        // Named arguments fill the positions after the positional ones.
        let names: &[&[&str]] = &[
            &[
                "srcColorSpace",
                "srcColorSpaceName",
                "namedTransform",
                "namedTransformName",
                "transform",
            ],
            &["dstColorSpace", "dstColorSpaceName", "display", "direction"],
            &["view"],
            &["direction"],
        ];
        for (i, alts) in names.iter().enumerate().skip(items.len()) {
            let mut found = None;
            for n in *alts {
                if let Some(v) = kw(n)? {
                    found = Some(v);
                    break;
                }
            }
            match found {
                Some(v) => items.push(v),
                None if i < 2 && items.len() == i => {}
                None => break,
            }
        }
        let bad = || PyTypeError::new_err("getProcessor(): incompatible function arguments");
        let config = self.lock().clone();
        let ctx = context.as_ref();
        let dir_at = |i: usize| -> PyResult<TransformDirection> {
            match items.get(i) {
                Some(d) => Ok(d.extract::<E<TransformDirection>>()?.0),
                None => Ok(TransformDirection::Forward),
            }
        };
        let (transform, dir): (vfx_ocio::Transform, TransformDirection) = match items.as_slice() {
            [a, b] if a.cast::<PyColorSpace>().is_ok() && b.cast::<PyColorSpace>().is_ok() => {
                let src = a.cast::<PyColorSpace>()?.borrow().lock().name.clone();
                let dst = b.cast::<PyColorSpace>()?.borrow().lock().name.clone();
                (colorspace_transform(src, dst), TransformDirection::Forward)
            }
            [a, b] if a.extract::<String>().is_ok() && b.extract::<String>().is_ok() => (
                colorspace_transform(a.extract()?, b.extract()?),
                TransformDirection::Forward,
            ),
            [a, _] if a.cast::<PyNamedTransform>().is_ok() => {
                let nt = a.cast::<PyNamedTransform>()?.borrow().lock().clone();
                (named_transform_for(&nt, dir_at(1)?)?, TransformDirection::Forward)
            }
            [a, _] if a.extract::<String>().is_ok() => {
                let name: String = a.extract()?;
                let nt = config
                    .named_transform(&name)
                    .cloned()
                    .ok_or_else(|| Exception::new_err("Config::GetProcessor failed. Transform is null."))?;
                (named_transform_for(&nt, dir_at(1)?)?, TransformDirection::Forward)
            }
            [a, d, v, _] if a.extract::<String>().is_ok() => {
                let t = vfx_ocio::transforms::DisplayViewTransform {
                    src: a.extract()?,
                    display: d.extract()?,
                    view: v.extract()?,
                    ..Default::default()
                };
                (t.into(), dir_at(3)?)
            }
            [t, ..] if t.cast::<PyTransform>().is_ok() && items.len() <= 2 => {
                (to_engine(t.cast::<PyTransform>()?)?, dir_at(1)?)
            }
            _ => return Err(bad()),
        };
        self.cached_processor(py, &config, ctx, transform, dir)
    }

    fn clearProcessorCache(&self) {
        let mut cache = self.processors.lock().unwrap_or_else(|e| e.into_inner());
        cache.map.clear();
    }

    /// PROCESSOR_CACHE_OFF disables the cache (keeping what it holds);
    /// any flag with PROCESSOR_CACHE_ENABLED turns it back on.
    fn setProcessorCacheFlags(&self, flags: &Bound<'_, PyAny>) -> PyResult<()> {
        let v = super::enums::value_of(flags, &vfx_ocio::tables::PROCESSOR_CACHE_FLAGS)?;
        self.processors.lock().unwrap_or_else(|e| e.into_inner()).disabled = v & 1 == 0;
        Ok(())
    }
}

/// Two views showing the same thing (the description does not count).
fn views_equal(a: Option<&View>, b: Option<&View>) -> bool {
    let same = |x: &str, y: &str| x.eq_ignore_ascii_case(y);
    match (a, b) {
        (Some(a), Some(b)) => {
            !a.colorspace.is_empty()
                && same(&a.colorspace, &b.colorspace)
                && same(&a.looks, &b.looks)
                && same(&a.view_transform, &b.view_transform)
                && same(&a.rule, &b.rule)
        }
        _ => false,
    }
}

fn colorspace_transform(src: String, dst: String) -> vfx_ocio::Transform {
    vfx_ocio::transforms::ColorSpaceTransform {
        src,
        dst,
        ..Default::default()
    }
    .into()
}

/// A named transform's transform for a direction (the other one inverted
/// when missing).
fn named_transform_for(
    nt: &vfx_ocio::config::NamedTransform,
    dir: TransformDirection,
) -> PyResult<vfx_ocio::Transform> {
    nt.resolved_transform(dir)
        .ok_or_else(|| Exception::new_err("Config::GetProcessor failed. Transform is null."))
}

impl PyConfig {
    /// The processor of `transform` in `dir`, from the cache when the same
    /// request was made on this same config before.
    fn cached_processor(
        &self,
        py: Python<'_>,
        config: &Config,
        ctx: Option<&vfx_ocio::config::Context>,
        transform: vfx_ocio::Transform,
        dir: TransformDirection,
    ) -> PyResult<Py<PyProcessor>> {
        let disabled_by_env = std::env::var_os("OCIO_DISABLE_PROCESSOR_CACHES").is_some();
        let context_id = match ctx {
            Some(c) => c.cache_id(),
            None => config.current_context().cache_id(),
        };
        let key = format!("{context_id}|{transform:?}|{dir:?}");
        {
            let mut cache = self.processors.lock().unwrap_or_else(|e| e.into_inner());
            if cache.config.as_ref() != Some(config) {
                cache.map.clear();
                cache.config = Some(config.clone());
            }
            if !cache.disabled && !disabled_by_env {
                if let Some(p) = cache.map.get(&key) {
                    return Ok(p.clone_ref(py));
                }
            }
        }
        let inner = py.detach(|| config.processor_with(ctx, &transform, dir)).py()?;
        let proc = Py::new(py, PyProcessor { inner })?;
        let mut cache = self.processors.lock().unwrap_or_else(|e| e.into_inner());
        if !cache.disabled && !disabled_by_env {
            cache.map.insert(key, proc.clone_ref(py));
        }
        Ok(proc)
    }

    fn view_field_list(&self, display: &str, view: &str) -> Vec<String> {
        self.lock()
            .display_view(display, view)
            .map(|v| v.aliases.clone())
            .unwrap_or_default()
    }

    fn view_field(&self, display: &str, view: &str, f: impl Fn(&View) -> String) -> String {
        self.lock().display_view(display, view).map(f).unwrap_or_default()
    }
}

/// Positional-or-keyword access for pybind-style overloads.
struct Args<'a, 'py> {
    args: &'a Bound<'py, PyTuple>,
    kwargs: Option<&'a Bound<'py, PyDict>>,
}

impl<'a, 'py> Args<'a, 'py> {
    fn new(args: &'a Bound<'py, PyTuple>, kwargs: Option<&'a Bound<'py, PyDict>>) -> Self {
        Args { args, kwargs }
    }

    fn get(&self, i: usize, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        if let Ok(v) = self.args.get_item(i) {
            return Ok(Some(v));
        }
        match self.kwargs {
            Some(k) => k.get_item(name),
            None => Ok(None),
        }
    }

    fn has_kw(&self, name: &str) -> bool {
        self.kwargs.is_some_and(|k| k.contains(name).unwrap_or(false))
    }

    /// A text argument (missing: empty).
    fn text(&self, i: usize, name: &str) -> PyResult<String> {
        match self.get(i, name)? {
            None => Ok(String::new()),
            Some(v) => v
                .extract()
                .map_err(|_| PyTypeError::new_err(format!("incompatible function arguments: '{name}' must be str"))),
        }
    }

    fn texts(&self, i: usize, name: &str) -> PyResult<Vec<String>> {
        match self.get(i, name)? {
            None => Ok(Vec::new()),
            Some(v) => v.extract(),
        }
    }
}

/// `()` (active colour spaces of both references) or `(searchReferenceType, visibility)`.
fn search_args(args: &Bound<'_, PyTuple>) -> PyResult<(SearchReferenceSpaceType, ColorSpaceVisibility)> {
    match args.len() {
        0 => Ok((SearchReferenceSpaceType::All, ColorSpaceVisibility::Active)),
        2 => Ok((
            args.get_item(0)?.extract::<E<SearchReferenceSpaceType>>()?.0,
            args.get_item(1)?.extract::<E<ColorSpaceVisibility>>()?.0,
        )),
        _ => Err(PyTypeError::new_err("incompatible function arguments")),
    }
}

/// The current config (`GetCurrentConfig`/`SetCurrentConfig`).
fn current() -> &'static PyOnceLock<Mutex<Option<Py<PyConfig>>>> {
    static CURRENT: PyOnceLock<Mutex<Option<Py<PyConfig>>>> = PyOnceLock::new();
    &CURRENT
}

#[pyfunction]
fn GetCurrentConfig(py: Python<'_>) -> PyResult<Py<PyConfig>> {
    let cell = current().get_or_init(py, || Mutex::new(None));
    let mut slot = cell.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(c) = slot.as_ref() {
        return Ok(c.clone_ref(py));
    }
    let c = Py::new(py, PyConfig::CreateFromEnv(py)?)?;
    *slot = Some(c.clone_ref(py));
    Ok(c)
}

#[pyfunction]
fn SetCurrentConfig(py: Python<'_>, config: Py<PyConfig>) {
    let cell = current().get_or_init(py, || Mutex::new(None));
    *cell.lock().unwrap_or_else(|e| e.into_inner()) = Some(config);
}

pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyConfig>()?;
    m.add_function(wrap_pyfunction!(GetCurrentConfig, m)?)?;
    m.add_function(wrap_pyfunction!(SetCurrentConfig, m)?)?;
    Ok(())
}

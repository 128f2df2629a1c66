//! The config model. `Config` holds what an OCIO config holds; reading it
//! from YAML and writing it back live in `crate::yaml`.
//!
//! Elements are kept in file order; roles and environment variables are
//! sorted by name, as OCIO keeps them.

pub mod archive;
pub mod colorspace;
pub mod colorspace_set;
pub mod context;
pub mod create;
pub mod display;
pub mod edit;
pub mod interchange;
pub mod interop_id;
pub mod linearity;
pub mod look;
pub mod named_transform;
pub mod query;
pub mod rules;
pub mod tokens;
pub mod validate;
pub mod view_transform;

pub use colorspace::ColorSpace;
pub use colorspace_set::ColorSpaceSet;
pub use context::Context;
pub use display::{Display, View};
pub use look::Look;
pub use named_transform::NamedTransform;
pub use rules::{FileRule, FileRules, ViewingList, ViewingRule, ViewingRules, DEFAULT_RULE_NAME};
pub use view_transform::ViewTransform;

use std::collections::BTreeMap;

use crate::enums::{EnvironmentMode, TransformDirection};
use crate::error::Result;
use crate::ops::build::BuildContext;
use crate::processor::Processor;
use crate::transforms::Transform;

/// The newest profile version this engine writes (OCIO 2.6.0's).
pub const LATEST_MAJOR: u32 = 2;
pub const LATEST_MINOR: u32 = 6;

/// The environment variable naming the current config.
pub const OCIO_ENVVAR: &str = "OCIO";

/// Environment variables that override the config's lists.
pub const INACTIVE_COLORSPACES_ENVVAR: &str = "OCIO_INACTIVE_COLORSPACES";
pub const ACTIVE_DISPLAYS_ENVVAR: &str = "OCIO_ACTIVE_DISPLAYS";
pub const ACTIVE_VIEWS_ENVVAR: &str = "OCIO_ACTIVE_VIEWS";

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub major: u32,
    pub minor: u32,
    pub name: String,
    pub description: String,
    /// Declared context variables and their defaults.
    pub environment: BTreeMap<String, String>,
    pub search_paths: Vec<String>,
    pub strict_parsing: bool,
    pub family_separator: char,
    pub luma: [f64; 3],
    /// Role name (lower case) to colour space.
    pub roles: BTreeMap<String, String>,
    pub file_rules: FileRules,
    pub viewing_rules: ViewingRules,
    pub shared_views: Vec<View>,
    pub displays: Vec<Display>,
    pub virtual_display: Display,
    pub use_display_aliases: bool,
    pub active_displays: Vec<String>,
    pub active_views: Vec<String>,
    pub inactive_colorspaces: Vec<String>,
    pub looks: Vec<Look>,
    pub default_view_transform: String,
    pub view_transforms: Vec<ViewTransform>,
    /// Scene- and display-referred colour spaces, in file order.
    pub colorspaces: Vec<ColorSpace>,
    pub named_transforms: Vec<NamedTransform>,
    /// Where relative search paths start (a config file's directory).
    pub working_dir: String,
    /// How the config's context takes variables from the environment.
    pub env_mode: EnvironmentMode,
}

impl Default for Config {
    /// An empty config of the latest profile version (OCIO's `Config()`).
    fn default() -> Self {
        Config {
            major: LATEST_MAJOR,
            minor: LATEST_MINOR,
            name: String::new(),
            description: String::new(),
            environment: BTreeMap::new(),
            search_paths: Vec::new(),
            strict_parsing: true,
            family_separator: '/',
            luma: [0.2126, 0.7152, 0.0722],
            roles: BTreeMap::new(),
            file_rules: FileRules::default(),
            viewing_rules: ViewingRules::default(),
            shared_views: Vec::new(),
            displays: Vec::new(),
            virtual_display: Display::default(),
            use_display_aliases: false,
            active_displays: Vec::new(),
            active_views: Vec::new(),
            inactive_colorspaces: Vec::new(),
            looks: Vec::new(),
            default_view_transform: String::new(),
            view_transforms: Vec::new(),
            colorspaces: Vec::new(),
            named_transforms: Vec::new(),
            working_dir: String::new(),
            env_mode: EnvironmentMode::LoadPredefined,
        }
    }
}

impl Config {
    /// The context this config resolves file references and variables
    /// with (OCIO's `getCurrentContext`).
    pub fn current_context(&self) -> Context {
        let mut c = Context {
            search_paths: self.search_paths.clone(),
            working_dir: self.working_dir.clone(),
            vars: self.environment.clone(),
            env_mode: self.env_mode,
        };
        c.load_environment();
        c
    }

    /// OCIO's `getProcessor(context, transform, direction)`; `None` uses
    /// the config's current context.
    pub fn processor_with(
        &self,
        context: Option<&Context>,
        t: &Transform,
        dir: TransformDirection,
    ) -> Result<Processor> {
        let current;
        let context = match context {
            Some(c) => c,
            None => {
                current = self.current_context();
                &current
            }
        };
        Processor::build(&BuildContext { config: self, context }, t, dir)
    }

    /// OCIO's `getProcessor(transform, direction)`.
    pub fn processor_for_transform(&self, t: &Transform, dir: TransformDirection) -> Result<Processor> {
        self.processor_with(None, t, dir)
    }

    /// OCIO's `getProcessor(src, dst)`: colour spaces or named transforms
    /// by name, alias or role.
    pub fn processor_between(&self, context: Option<&Context>, src: &str, dst: &str) -> Result<Processor> {
        let t = crate::transforms::ColorSpaceTransform {
            src: src.to_string(),
            dst: dst.to_string(),
            ..Default::default()
        };
        self.processor_with(context, &t.into(), TransformDirection::Forward)
    }

    /// OCIO's `getProcessor(namedTransform, direction)`.
    pub fn processor_for_named(
        &self,
        context: Option<&Context>,
        nt: &NamedTransform,
        dir: TransformDirection,
    ) -> Result<Processor> {
        let t = nt
            .resolved_transform(dir)
            .ok_or_else(|| crate::error::OcioError::msg("Config::GetProcessor failed. Transform is null."))?;
        self.processor_with(context, &t, TransformDirection::Forward)
    }
}

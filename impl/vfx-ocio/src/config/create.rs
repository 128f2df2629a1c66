//! Where configs come from: files, `ocio://` builtin names, `$OCIO`, and
//! the raw config OCIO falls back to.

use std::collections::BTreeMap;

use super::{ColorSpace, Config, Display, FileRules, View};
use crate::builtin_configs;
use crate::enums::{BitDepth, ReferenceSpaceType};
use crate::error::{OcioError, Result};
use crate::logging;
use crate::yaml::config_read::read_config;

impl Config {
    /// OCIO's `CreateRaw`: one data colour space `raw` and an `sRGB`
    /// display with a `Raw` view, so nothing is converted.
    pub fn raw() -> Config {
        let mut raw = ColorSpace::new(ReferenceSpaceType::Scene);
        raw.set_name("raw");
        raw.family = "raw".into();
        raw.bit_depth = BitDepth::F32;
        raw.description = "A raw color space. Conversions to and from this space are no-ops.".into();
        raw.is_data = true;
        Config {
            major: 2,
            minor: 0,
            strict_parsing: false,
            roles: BTreeMap::from([("default".to_string(), "raw".to_string())]),
            file_rules: FileRules::default(),
            displays: vec![Display {
                name: "sRGB".into(),
                views: vec![View {
                    name: "Raw".into(),
                    colorspace: "raw".into(),
                    ..Default::default()
                }],
                ..Default::default()
            }],
            colorspaces: vec![raw],
            ..Default::default()
        }
    }

    pub fn from_yaml(text: &str) -> Result<Config> {
        read_config(text, "")
    }

    /// A builtin config by registry name or `ocio://` URI (`default` and
    /// `*-latest` resolved).
    pub fn from_builtin(name: &str) -> Result<Config> {
        let uri = if name.starts_with(builtin_configs::URI_PREFIX) {
            name.to_string()
        } else {
            format!("{}{name}", builtin_configs::URI_PREFIX)
        };
        let resolved = builtin_configs::resolve_config_path(&uri);
        let key = resolved.strip_prefix(builtin_configs::URI_PREFIX).unwrap_or(&resolved);
        let text = builtin_configs::text(key)
            .map_err(|_| OcioError::msg(format!("Could not find '{key}' in the built-in configurations.")))?;
        read_config(text, "")
    }

    /// OCIO's `CreateFromFile` (`ocio://` names are builtin configs).
    pub fn from_file(path: &str) -> Result<Config> {
        if path.is_empty() {
            return Err(OcioError::msg("The config filepath is missing."));
        }
        if path.starts_with(builtin_configs::URI_PREFIX) {
            return Config::from_builtin(path);
        }
        let text = std::fs::read(path).map_err(|_| OcioError::MissingFile(format!("'{path}' file does not exist.")))?;
        if text.starts_with(b"PK") {
            return Err(OcioError::msg(format!(
                "Loading the OCIO profile failed. '{path}': reading .ocioz archives is not implemented yet."
            )));
        }
        let text = String::from_utf8_lossy(&text);
        let mut c = read_config(&text, path)?;
        c.working_dir = std::path::Path::new(path)
            .parent()
            .map(|p| p.to_string_lossy().to_string())
            .unwrap_or_default();
        Ok(c)
    }

    /// OCIO's `CreateFromEnv`: the config `$OCIO` names, else the raw
    /// config (with OCIO's info message).
    pub fn from_env() -> Result<Config> {
        match std::env::var(super::OCIO_ENVVAR) {
            Ok(p) if !p.is_empty() => Config::from_file(&p),
            _ => {
                logging::log(
                    logging::LoggingLevel::Info,
                    "Color management disabled. (Specify the $OCIO environment variable to enable.)",
                )?;
                Ok(Config::raw())
            }
        }
    }
}

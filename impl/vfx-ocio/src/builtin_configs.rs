//! The builtin configs (`ocio://...`): the ACES CG and Studio configs that
//! OCIO 2.6.0 ships, stored as data (data/builtin-configs, dumped from the
//! reference by tools/gen_ocio_builtins.py) and compiled into the library.

use crate::error::{OcioError, Result};

/// One builtin config: registry name, UI name, flags and YAML text.
#[derive(Debug, Clone, Copy)]
pub struct BuiltinConfig {
    pub name: &'static str,
    pub ui_name: &'static str,
    pub recommended: bool,
    pub default: bool,
    pub text: &'static str,
}

macro_rules! builtin_texts {
    ($($name:literal),* $(,)?) => {
        /// `(name, yaml)` for every file in data/builtin-configs.
        static TEXTS: &[(&str, &str)] = &[
            $(($name, include_str!(concat!("../data/builtin-configs/", $name, ".ocio")))),*
        ];
    };
}

builtin_texts!(
    "cg-config-v1.0.0_aces-v1.3_ocio-v2.1",
    "cg-config-v2.1.0_aces-v1.3_ocio-v2.3",
    "cg-config-v2.2.0_aces-v1.3_ocio-v2.4",
    "cg-config-v4.0.0_aces-v2.0_ocio-v2.5",
    "cg-config-v5.0.0_aces-v2.1_ocio-v2.6",
    "studio-config-v1.0.0_aces-v1.3_ocio-v2.1",
    "studio-config-v2.1.0_aces-v1.3_ocio-v2.3",
    "studio-config-v2.2.0_aces-v1.3_ocio-v2.4",
    "studio-config-v4.0.0_aces-v2.0_ocio-v2.5",
    "studio-config-v5.0.0_aces-v2.1_ocio-v2.6",
);

static INDEX: &str = include_str!("../data/builtin-configs/index.tsv");

/// Every builtin config, in the reference registry's order.
pub fn all() -> Vec<BuiltinConfig> {
    INDEX
        .lines()
        .filter_map(|line| {
            let mut f = line.split('\t');
            let (name, ui, rec, def) = (f.next()?, f.next()?, f.next()?, f.next()?);
            let text = TEXTS.iter().find(|(n, _)| *n == name)?.1;
            Some(BuiltinConfig {
                name,
                ui_name: ui,
                recommended: rec == "1",
                default: def == "1",
                text,
            })
        })
        .collect()
}

/// The config text for a registry name (OCIO's `BuiltinConfigRegistry[name]`).
pub fn text(name: &str) -> Result<&'static str> {
    all()
        .into_iter()
        .find(|c| c.name == name)
        .map(|c| c.text)
        .ok_or_else(|| OcioError::msg(format!("Could not find '{name}' in the built-in configurations.")))
}

/// The prefix of builtin config URIs.
pub const URI_PREFIX: &str = "ocio://";

/// OCIO's `ResolveConfigPath`: `ocio://default` and `ocio://<family>-latest`
/// become the URI of the config they stand for; anything else is returned
/// unchanged.
pub fn resolve_config_path(path: &str) -> String {
    let Some(rest) = path.strip_prefix(URI_PREFIX) else {
        return path.to_string();
    };
    let configs = all();
    let found = if rest == "default" {
        configs.iter().find(|c| c.default)
    } else if let Some(family) = rest.strip_suffix("-latest") {
        let prefix = format!("{family}-");
        configs
            .iter()
            .rev()
            .find(|c| c.recommended && c.name.starts_with(&prefix))
    } else {
        None
    };
    match found {
        Some(c) => format!("{URI_PREFIX}{}", c.name),
        None => path.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_is_complete() {
        let all = all();
        assert_eq!(all.len(), 10);
        assert_eq!(all.iter().filter(|c| c.default).count(), 1);
        assert!(all.iter().all(|c| c.text.starts_with("ocio_profile_version")));
        assert!(text("nope").is_err());
    }

    #[test]
    fn resolves_aliases() {
        assert_eq!(
            resolve_config_path("ocio://default"),
            "ocio://cg-config-v5.0.0_aces-v2.1_ocio-v2.6"
        );
        assert_eq!(
            resolve_config_path("ocio://studio-config-latest"),
            "ocio://studio-config-v5.0.0_aces-v2.1_ocio-v2.6"
        );
        assert_eq!(resolve_config_path("ocio://nope"), "ocio://nope");
        assert_eq!(resolve_config_path("/a/b.ocio"), "/a/b.ocio");
    }
}

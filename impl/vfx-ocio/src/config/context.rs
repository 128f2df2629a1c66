//! `Context`: the string variables, search paths and working directory
//! that file references and `$VAR`s are resolved with.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use crate::enums::{EnvironmentMode, OcioEnum};
use crate::error::{OcioError, Result};
use crate::hash::cache_id_hash;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Context {
    pub search_paths: Vec<String>,
    pub working_dir: String,
    pub env_mode: EnvironmentMode,
    pub vars: BTreeMap<String, String>,
}

impl Default for Context {
    fn default() -> Self {
        Context {
            search_paths: Vec::new(),
            working_dir: String::new(),
            env_mode: EnvironmentMode::LoadPredefined,
            vars: BTreeMap::new(),
        }
    }
}

impl Context {
    /// OCIO's id of what the context resolves to.
    pub fn cache_id(&self) -> String {
        let mut s = String::new();
        if !self.search_paths.is_empty() {
            s.push_str("Search Path ");
            for p in &self.search_paths {
                s.push_str(p);
                s.push(' ');
            }
        }
        s.push_str(&format!("Working Dir {} ", self.working_dir));
        s.push_str(&format!("Environment Mode {} ", self.env_mode.value()));
        for (k, v) in &self.vars {
            s.push_str(&format!("{k}={v} "));
        }
        cache_id_hash(&s)
    }

    /// `a:b:c` search paths.
    pub fn set_search_path(&mut self, path: &str) {
        self.search_paths = if path.is_empty() {
            Vec::new()
        } else {
            path.split(':').map(str::to_string).collect()
        };
    }

    /// Reads the environment: every variable (LOAD_ALL) or new values for
    /// the declared ones (LOAD_PREDEFINED).
    pub fn load_environment(&mut self) {
        match self.env_mode {
            EnvironmentMode::LoadAll => {
                for (k, v) in std::env::vars() {
                    self.vars.insert(k, v);
                }
            }
            EnvironmentMode::Unknown => {}
            EnvironmentMode::LoadPredefined => {
                for (k, v) in self.vars.iter_mut() {
                    if let Ok(e) = std::env::var(k) {
                        *v = e;
                    }
                }
            }
        }
    }

    /// Replaces `${NAME}`, `$NAME` and `%NAME%` with the variables' values
    /// (longer names first, so `$AB` is not read as `$A` + `B`).
    pub fn resolve_string_var(&self, s: &str) -> String {
        let mut out = s.to_string();
        let mut names: Vec<&String> = self.vars.keys().collect();
        names.sort_by_key(|n| std::cmp::Reverse(n.len()));
        for n in names {
            let v = &self.vars[n];
            out = out.replace(&format!("${{{n}}}"), v);
            out = out.replace(&format!("${n}"), v);
            out = out.replace(&format!("%{n}%"), v);
        }
        out
    }

    /// A file reference resolved against the search paths (relative ones
    /// taken from the working directory).
    pub fn resolve_file_location(&self, filename: &str) -> Result<String> {
        let name = self.resolve_string_var(filename);
        if Path::new(&name).is_absolute() {
            if Path::new(&name).exists() {
                return Ok(name);
            }
            return Err(OcioError::MissingFile(format!(
                "The specified absolute file reference '{name}' could not be located."
            )));
        }
        let mut tried = Vec::new();
        let dirs: Vec<String> = if self.search_paths.is_empty() {
            vec![self.working_dir.clone()]
        } else {
            self.search_paths.iter().map(|p| self.resolve_string_var(p)).collect()
        };
        for d in dirs {
            let dir = if Path::new(&d).is_absolute() || self.working_dir.is_empty() {
                Path::new(&d).to_path_buf()
            } else {
                Path::new(&self.working_dir).join(&d)
            };
            let full = dir.join(&name);
            let text = full.to_string_lossy().to_string();
            if full.exists() {
                return Ok(text);
            }
            tried.push(format!("'{text}'"));
        }
        Err(OcioError::MissingFile(format!(
            "The specified file reference '{filename}' could not be located. The following attempts were made: {}.",
            tried.join(", ")
        )))
    }
}

impl fmt::Display for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "<Context searchPath=[{}], workingDir={}, environmentMode={}, environment=",
            self.search_paths.join(", "),
            self.working_dir,
            self.env_mode.as_str()
        )?;
        for (k, v) in &self.vars {
            write!(f, "\n    {k}: {v}")?;
        }
        write!(f, ">")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_ids_as_the_reference() {
        // Values printed by the reference PyOpenColorIO 2.6.0 for these contexts.
        assert_eq!(Context::default().cache_id(), "40f6c71e6ea30e83da2423b39d302fdf");
        let mut c = Context::default();
        c.set_search_path("testing123");
        c.working_dir = "/dir/123".into();
        assert_eq!(c.cache_id(), "c79df3338e491627cd7c7b3a9d6fb08f");
    }

    #[test]
    fn variables() {
        let mut c = Context::default();
        c.vars.insert("a".into(), "0".into());
        c.vars.insert("b".into(), "2".into());
        assert_eq!(c.resolve_string_var("$a/${b}/%a%/$nope"), "0/2/0/$nope");
        assert!(matches!(
            c.resolve_file_location("x.lut"),
            Err(OcioError::MissingFile(_))
        ));
    }
}

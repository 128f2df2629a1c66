//! Interop IDs: a colour space found from an ID string (its name, an ID
//! with a namespace, or this config's "NAME:local:BASE" form), and the
//! local ID a config would give a colour space. ID tokens are sanitised
//! as OCIO sanitises them.

use super::{ColorSpace, Config};
use crate::error::{OcioError, Result};

/// OCIO's SanitizeIDToken: lower case, a fixed set of characters kept,
/// some mapped (space to `_`, `{<` to `(`, `}>` to `)`, `,` to `.`, `;:` to
/// `|`, quotes to `#`, `\\` to `/`), any other to `*`, and each non-ASCII
/// UTF-8 sequence to `^`.
pub fn sanitize_id_token(token: &str) -> String {
    const ALLOWED: &str = "abcdefghijklmnopqrstuvwxyz0123456789.-_~/*#%^+()[]|";
    let bytes = token.as_bytes();
    let mut out = String::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c > 127 {
            let len = match c {
                c if c & 0xE0 == 0xC0 => 2,
                c if c & 0xF0 == 0xE0 => 3,
                c if c & 0xF8 == 0xF0 => 4,
                _ => 1,
            };
            let mut used = 1;
            while used < len && i + used < bytes.len() && bytes[i + used] & 0xC0 == 0x80 {
                used += 1;
            }
            out.push('^');
            i += used;
            continue;
        }
        let ch = c as char;
        out.push(match ch {
            ' ' | '\t' | '\n' | '\r' => '_',
            '{' | '<' => '(',
            '}' | '>' => ')',
            ',' => '.',
            ';' | ':' => '|',
            '\'' | '"' => '#',
            '\\' => '/',
            c if ALLOWED.contains(c) => c,
            c if c.is_ascii_uppercase() => c.to_ascii_lowercase(),
            _ => '*',
        });
        i += 1;
    }
    out
}

/// The names of the ACES configs (v4 and later) that carry interop IDs
/// already: a local ID may not be made under them.
fn is_reserved_config_name(sanitized: &str) -> bool {
    let rest = sanitized
        .strip_prefix("cg-config-v")
        .or_else(|| sanitized.strip_prefix("studio-config-v"));
    let Some(rest) = rest else { return false };
    // MAJOR.MINOR.PATCH_aces-vX_ocio-vY
    let re = regex::Regex::new(r"^(\d+)\.\d+\.\d+_aces-v[\d.]+_ocio-v[\d.]+$").expect("valid pattern");
    re.captures(rest)
        .and_then(|c| c[1].parse::<u64>().ok())
        .is_some_and(|major| major >= 4)
}

impl Config {
    /// OCIO's `generateLocalIDForColorSpace`.
    pub fn generate_local_id(&self, colorspace: &str) -> Result<String> {
        if colorspace.is_empty() {
            return Err(OcioError::msg(
                "generateLocalIDForColorSpace: srcColorSpaceName must not be null or empty.",
            ));
        }
        if self.name.is_empty() {
            return Err(OcioError::msg(
                "May not generate a local interop ID if the config name is empty.",
            ));
        }
        let config = sanitize_id_token(&self.name);
        if is_reserved_config_name(&config) {
            return Err(OcioError::msg(format!(
                "May not generate a local interop ID if the name matches an ACES config that already has interop IDs: {}.",
                self.name
            )));
        }
        let cs = self.find_colorspace(colorspace).ok_or_else(|| {
            OcioError::msg(format!(
                "generateLocalIDForColorSpace: This config does not contain the requested color space: {colorspace}."
            ))
        })?;
        let clean = |s: &str| sanitize_id_token(s) == s;
        let base = if clean(&cs.name) {
            cs.name.as_str()
        } else {
            cs.aliases
                .iter()
                .find(|a| clean(a))
                .map(String::as_str)
                .unwrap_or(&cs.name)
        };
        Ok(format!("{config}:local:{}", sanitize_id_token(base)))
    }

    /// OCIO's `findColorSpaceForID`.
    pub fn find_colorspace_for_id(&self, id: &str) -> Option<&ColorSpace> {
        if id.is_empty() {
            return None;
        }
        if let Some(cs) = self.find_colorspace(id) {
            return Some(cs);
        }
        let (outer, stripped) = id.split_once(':')?;
        if outer != "local" {
            if let Some(cs) = self.find_colorspace(stripped) {
                return Some(cs);
            }
        }
        let (inner, base) = stripped.split_once(':')?;
        if inner != "local" || base.contains(':') || self.name.is_empty() {
            return None;
        }
        if sanitize_id_token(&self.name) != sanitize_id_token(outer) {
            return None;
        }
        let base = sanitize_id_token(base);
        self.colorspaces
            .iter()
            .find(|c| sanitize_id_token(&c.name) == base || c.aliases.iter().any(|a| sanitize_id_token(a) == base))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitizing() {
        assert_eq!(sanitize_id_token("My Studio!"), "my_studio*");
        assert_eq!(sanitize_id_token("sRGB Encoded,Space"), "srgb_encoded.space");
        assert_eq!(sanitize_id_token("a<b>{c}:d;'\"\\é"), "a(b)(c)|d|##/^");
        assert!(is_reserved_config_name("cg-config-v4.0.0_aces-v2.0_ocio-v2.5"));
        assert!(!is_reserved_config_name("cg-config-v2.1.0_aces-v1.3_ocio-v2.3"));
    }
}

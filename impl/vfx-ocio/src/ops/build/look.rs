//! Look ops (OCIO's BuildLookOps): each look of a look string in its
//! process space, with conversions between process spaces; options
//! separated by `|` are tried in order while files are missing.

use super::BuildContext;
use crate::config::ColorSpace;
use crate::enums::TransformDirection;
use crate::error::{OcioError, Result};
use crate::ops::Op;
use crate::transforms::LookTransform;

use TransformDirection::{Forward, Inverse};

/// One look of a look string: its name and direction (`-name` is inverse).
#[derive(Debug, Clone)]
pub(crate) struct LookToken {
    pub name: String,
    pub dir: TransformDirection,
}

/// A look string as OCIO parses it: options (`|`) of tokens (`,` or `:`).
pub(crate) fn parse_looks(s: &str) -> Vec<Vec<LookToken>> {
    let s = s.trim();
    if s.is_empty() {
        return Vec::new();
    }
    s.split('|')
        .map(|option| {
            crate::config::query::split_list(option)
                .into_iter()
                .map(|t| {
                    if t.starts_with('-') {
                        LookToken {
                            name: t.trim_start_matches('-').to_string(),
                            dir: Inverse,
                        }
                    } else {
                        LookToken {
                            name: t.trim_start_matches('+').to_string(),
                            dir: Forward,
                        }
                    }
                })
                .collect()
        })
        .collect()
}

/// The looks applied the other way: each option's tokens reversed and
/// flipped (the option order stays).
pub(crate) fn reverse_looks(options: &mut [Vec<LookToken>]) {
    for option in options {
        option.reverse();
        for t in option.iter_mut() {
            t.dir = t.dir.inverse();
        }
    }
}

fn option_text(tokens: &[LookToken]) -> String {
    tokens
        .iter()
        .map(|t| match t.dir {
            Forward => t.name.clone(),
            Inverse => format!("-{}", t.name),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

impl<'c> BuildContext<'c> {
    pub(super) fn look_transform_ops(
        &self,
        lt: &LookTransform,
        dir: TransformDirection,
        ops: &mut Vec<Op>,
        depth: usize,
    ) -> Result<()> {
        let cfg = self.config;
        let find = |name: &str, which: &str| {
            cfg.find_colorspace(name).ok_or_else(|| {
                OcioError::msg(format!(
                    "BuildLookOps error.The specified lookTransform specifies a {which} colorspace, '{name}', which is not defined."
                ))
            })
        };
        let (mut src, mut dst) = (find(&lt.src, "src")?, find(&lt.dst, "dst")?);
        let mut looks = parse_looks(&lt.looks);
        if dir == Inverse {
            std::mem::swap(&mut src, &mut dst);
            reverse_looks(&mut looks);
        }
        let skip = lt.skip_colorspace_conversion;
        let mut current = Some(src);
        self.look_ops(ops, &mut current, skip, &looks, depth)?;
        let current = current.unwrap_or(src);
        if !skip && !current.name.eq_ignore_ascii_case(&dst.name) {
            self.colorspace_ops(current, dst, true, ops, depth)?;
        }
        Ok(())
    }

    /// Applies the first look option that builds without a missing file;
    /// `current` becomes the last look's process space.
    pub(super) fn look_ops(
        &self,
        ops: &mut Vec<Op>,
        current: &mut Option<&'c ColorSpace>,
        skip: bool,
        options: &[Vec<LookToken>],
        depth: usize,
    ) -> Result<()> {
        match options {
            [] => Ok(()),
            [only] => self.look_tokens(ops, current, skip, only, depth),
            _ => {
                let mut failures = Vec::new();
                for option in options {
                    let mut cs = *current;
                    let mut tmp = Vec::new();
                    match self.look_tokens(&mut tmp, &mut cs, skip, option, depth) {
                        Ok(()) => {
                            *current = cs;
                            ops.extend(tmp);
                            return Ok(());
                        }
                        Err(OcioError::MissingFile(m)) => failures.push(format!("({}) {m}", option_text(option))),
                        Err(e) => return Err(e),
                    }
                }
                Err(OcioError::MissingFile(failures.join("  ...  ")))
            }
        }
    }

    fn look_tokens(
        &self,
        ops: &mut Vec<Op>,
        current: &mut Option<&'c ColorSpace>,
        skip: bool,
        tokens: &[LookToken],
        depth: usize,
    ) -> Result<()> {
        let cfg: &'c crate::config::Config = self.config;
        for token in tokens.iter().filter(|t| !t.name.is_empty()) {
            let Some(look) = cfg.look(&token.name) else {
                let known = if cfg.looks.is_empty() {
                    " (No looks defined in config).".to_string()
                } else {
                    let names: Vec<&str> = cfg.looks.iter().map(|l| l.name.as_str()).collect();
                    format!(" (looks: {}).", names.join(", "))
                };
                return Err(OcioError::msg(format!(
                    "RunLookTokens error. The specified look, '{}', cannot be found. {known}",
                    token.name
                )));
            };
            let mut look_ops = Vec::new();
            match token.dir {
                Forward => self.either(&look.transform, &look.inverse_transform, &mut look_ops, depth)?,
                Inverse => self.either(&look.inverse_transform, &look.transform, &mut look_ops, depth)?,
            }
            let process = cfg.find_colorspace(&look.process_space).ok_or_else(|| {
                OcioError::msg(format!(
                    "RunLookTokens error. The specified look, '{}', requires processing in the ColorSpace, '{}' which is not defined.",
                    token.name, look.process_space
                ))
            })?;
            let from = current.unwrap_or(process);
            if !skip && !from.name.eq_ignore_ascii_case(&process.name) {
                self.colorspace_ops(from, process, true, ops, depth)?;
                *current = Some(process);
            } else if current.is_none() {
                *current = Some(process);
            }
            ops.extend(look_ops);
        }
        Ok(())
    }

    /// The colour space the looks leave the image in (OCIO's
    /// LooksResultColorSpace), if any look applies.
    pub(super) fn looks_result_colorspace(
        &self,
        options: &[Vec<LookToken>],
        depth: usize,
    ) -> Result<Option<&'c ColorSpace>> {
        let mut current = None;
        let mut tmp = Vec::new();
        self.look_ops(&mut tmp, &mut current, false, options, depth)?;
        Ok(current)
    }
}

impl crate::config::Config {
    /// OCIO's `LookTransform::GetLooksResultColorSpace`: the colour space a
    /// look string leaves the image in ("" if no look applies).
    pub fn looks_result_colorspace(&self, context: Option<&crate::config::Context>, looks: &str) -> Result<String> {
        let current;
        let context = match context {
            Some(c) => c,
            None => {
                current = self.current_context();
                &current
            }
        };
        let cx = BuildContext { config: self, context };
        let options = parse_looks(looks);
        Ok(cx
            .looks_result_colorspace(&options, 0)?
            .map(|cs| cs.name.clone())
            .unwrap_or_default())
    }
}

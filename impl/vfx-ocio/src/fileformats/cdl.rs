//! ASC CDL files: a ColorCorrection (.cc), a ColorCorrectionCollection
//! (.ccc) or a ColorDecisionList (.cdl) read into CDLTransforms, with their
//! ids and descriptions kept in the transforms' metadata as OCIO keeps them
//! (Description, InputDescription, ViewingDescription, SOPDescription,
//! SATDescription), and OCIO's lookup by id or index.

use crate::error::{OcioError, Result};
use crate::format_metadata::FormatMetadata;
use crate::transforms::CdlTransform;

/// The corrections of a file, in file order, and the file-level metadata
/// (a collection's or decision list's own descriptions).
pub struct CdlGroup {
    pub metadata: FormatMetadata,
    pub corrections: Vec<CdlTransform>,
}

fn err(msg: impl Into<String>) -> OcioError {
    OcioError::msg(msg.into())
}

fn child(name: &str, value: &str) -> FormatMetadata {
    FormatMetadata {
        element_name: name.to_string(),
        value: value.to_string(),
        attributes: Vec::new(),
        children: Vec::new(),
    }
}

/// The descriptions directly under `node`, renamed for where they sit.
fn descriptions(node: roxmltree::Node<'_, '_>, description_as: &str, out: &mut Vec<FormatMetadata>) {
    for c in node.children().filter(|c| c.is_element()) {
        let text = c.text().unwrap_or("").trim();
        match c.tag_name().name() {
            "Description" => out.push(child(description_as, text)),
            "InputDescription" | "ViewingDescription" if description_as == "Description" => {
                out.push(child(c.tag_name().name(), text))
            }
            _ => {}
        }
    }
}

fn numbers<const N: usize>(node: roxmltree::Node<'_, '_>, name: &str) -> Result<Option<[f64; N]>> {
    let Some(n) = node.children().find(|c| c.has_tag_name(name)) else {
        return Ok(None);
    };
    let vals: Vec<f64> = n
        .text()
        .unwrap_or("")
        .split_whitespace()
        .map(|t| {
            t.parse::<f64>()
                .map_err(|_| err(format!("CDL parse error: invalid {name} value '{t}'.")))
        })
        .collect::<Result<_>>()?;
    vals.try_into()
        .map(Some)
        .map_err(|_| err(format!("CDL parse error: {name} must have {N} values.")))
}

fn correction(node: roxmltree::Node<'_, '_>) -> Result<CdlTransform> {
    let mut t = CdlTransform::default();
    // Only an id the file gives is kept.
    if let Some(id) = node.attribute("id") {
        t.metadata.attributes.push(("id".into(), id.to_string()));
    }
    let mut meta = Vec::new();
    descriptions(node, "Description", &mut meta);
    if let Some(sop) = node.children().find(|c| c.has_tag_name("SOPNode")) {
        descriptions(sop, "SOPDescription", &mut meta);
        if let Some(v) = numbers::<3>(sop, "Slope")? {
            t.slope = v;
        }
        if let Some(v) = numbers::<3>(sop, "Offset")? {
            t.offset = v;
        }
        if let Some(v) = numbers::<3>(sop, "Power")? {
            t.power = v;
        }
    }
    if let Some(sat) = node
        .children()
        .find(|c| c.has_tag_name("SatNode") || c.has_tag_name("SATNode"))
    {
        descriptions(sat, "SATDescription", &mut meta);
        if let Some([s]) = numbers::<1>(sat, "Saturation")? {
            t.sat = s;
        }
    }
    t.metadata.children = meta;
    Ok(t)
}

/// Parses CDL XML text.
pub fn parse(text: &str) -> Result<CdlGroup> {
    let doc = roxmltree::Document::parse(text).map_err(|e| err(format!("CDL parse error: {e}")))?;
    let root = doc.root_element();
    let mut metadata = FormatMetadata::default();
    let corrections = match root.tag_name().name() {
        "ColorCorrection" => vec![correction(root)?],
        "ColorCorrectionCollection" => {
            descriptions(root, "Description", &mut metadata.children);
            root.children()
                .filter(|c| c.has_tag_name("ColorCorrection"))
                .map(correction)
                .collect::<Result<_>>()?
        }
        "ColorDecisionList" => {
            descriptions(root, "Description", &mut metadata.children);
            root.children()
                .filter(|c| c.has_tag_name("ColorDecision"))
                .flat_map(|d| d.children().filter(|c| c.has_tag_name("ColorCorrection")))
                .map(correction)
                .collect::<Result<_>>()?
        }
        other => return Err(err(format!("CDL parse error: unexpected root element '{other}'."))),
    };
    Ok(CdlGroup { metadata, corrections })
}

/// Reads a CDL file.
pub fn read(path: &str) -> Result<CdlGroup> {
    if path.is_empty() {
        return Err(err("Error loading CDL. Source file not specified."));
    }
    let text = std::fs::read_to_string(path).map_err(|_| {
        err(format!(
            "The specified transform file '{path}' could not be loaded. The specified FileTransform srcfile, '{path}', could not be opened. Please confirm the file exists with appropriate read permissions."
        ))
    })?;
    parse(&text)
}

impl CdlGroup {
    /// OCIO's lookup: "" is the first correction, else an exact id, else a
    /// whole-number index.
    pub fn find(&self, id: &str) -> Result<CdlTransform> {
        if id.is_empty() {
            return self
                .corrections
                .first()
                .cloned()
                .ok_or_else(|| err("File contains no CDL."));
        }
        if let Some(t) = self.corrections.iter().find(|t| !t.id().is_empty() && t.id() == id) {
            return Ok(t.clone());
        }
        if let Ok(index) = id.trim().parse::<i64>() {
            let max = self.corrections.len() as i64 - 1;
            if index < 0 || index > max {
                return Err(OcioError::MissingFile(format!(
                    "The specified CDL index {index} is outside the valid range for this file [0,{max}]"
                )));
            }
            return Ok(self.corrections[index as usize].clone());
        }
        Err(err(format!(
            "The specified CDL Id/Index '{id}' could not be loaded from the file."
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_only_when_given() {
        let g = parse("<ColorCorrection><SOPNode><Slope>1 2 3</Slope></SOPNode></ColorCorrection>").unwrap();
        assert_eq!(g.corrections[0].metadata.to_string(), "<ROOT></ROOT>");
        assert_eq!(g.corrections[0].slope, [1.0, 2.0, 3.0]);
        let g = parse("<ColorCorrection id=\"a\"/>").unwrap();
        assert_eq!(g.corrections[0].id(), "a");
    }
}

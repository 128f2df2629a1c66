//! Developer tool for checking formats against the reference without the
//! Python wheel (tools/fmtcheck.py drives it):
//!
//!   vfxio dump FILE OUTDIR
//!       every subimage / MIP level: `sS_mM.txt` (format name, then the spec
//!       serialised as OIIO's detailed text) and `sS_mM.f32` (pixels as
//!       float32, native endianness); or `error.txt` with the error.
//!   vfxio convert IN OUT [-d TYPE] [--tile W H] [--attr NAME TYPE VALUE]...
//!       read every subimage and level of IN with our readers and write them
//!       to OUT with our writer, storing TYPE and the given attributes.

use std::path::Path;
use std::process::ExitCode;
use vfx_core::convert::convert_bytes;
use vfx_core::{ImageSpec, ParamValue, PixelData, SerialVerbose, TypeDesc};
use vfx_io::{registry, Level, WriteRequest};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(|s| s.as_str()) {
        Some("dump") if args.len() == 3 => dump(&args[1], &args[2]),
        Some("convert") if args.len() >= 3 => convert(&args[1], &args[2], &args[3..]),
        _ => Err("usage: vfxio dump FILE OUTDIR | vfxio convert IN OUT [-d TYPE] [--tile W H] [--attr N T V]".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{e}");
            ExitCode::FAILURE
        }
    }
}

fn to_f32(spec: &ImageSpec, pixels: &PixelData) -> Vec<u8> {
    let n = pixels.bytes().len() / spec.format.size().max(1);
    let mut out = vec![0u8; n * 4];
    convert_bytes(pixels.bytes(), spec.format.basetype, &mut out, TypeDesc::FLOAT.basetype);
    out
}

fn dump(file: &str, outdir: &str) -> Result<(), String> {
    std::fs::create_dir_all(outdir).map_err(|e| e.to_string())?;
    let out = Path::new(outdir);
    let mut reader = match registry::open(Path::new(file), None) {
        Ok(r) => r,
        Err(e) => {
            std::fs::write(out.join("error.txt"), e.to_string()).map_err(|e| e.to_string())?;
            return Ok(());
        }
    };
    for s in 0.. {
        if reader.spec(s, 0).is_none() {
            break;
        }
        for m in 0.. {
            let Some(spec) = reader.spec(s, m) else { break };
            let text = format!(
                "{}\n{}",
                reader.format_name(),
                spec.serialize_text(SerialVerbose::Detailed)
            );
            std::fs::write(out.join(format!("s{s}_m{m}.txt")), text).map_err(|e| e.to_string())?;
            if spec.deep {
                continue;
            }
            match reader.read_image(s, m) {
                Ok(px) => std::fs::write(out.join(format!("s{s}_m{m}.f32")), to_f32(&spec, &px)),
                Err(e) => std::fs::write(out.join(format!("s{s}_m{m}.error.txt")), e.to_string()),
            }
            .map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

fn convert(input: &str, output: &str, opts: &[String]) -> Result<(), String> {
    let mut dtype = TypeDesc::UNKNOWN;
    let mut tile = None;
    let mut attrs = Vec::new();
    let mut i = 0;
    while i < opts.len() {
        let need = |k: usize| {
            opts.get(i + k)
                .cloned()
                .ok_or(format!("missing value after {}", opts[i]))
        };
        match opts[i].as_str() {
            "-d" => {
                dtype = TypeDesc::from_name(&need(1)?).ok_or("bad type")?;
                i += 2;
            }
            "--tile" => {
                tile = Some((
                    need(1)?.parse::<i32>().map_err(|e| e.to_string())?,
                    need(2)?.parse::<i32>().map_err(|e| e.to_string())?,
                ));
                i += 3;
            }
            "--attr" => {
                let ty = TypeDesc::from_name(&need(2)?).ok_or("bad attribute type")?;
                attrs.push(ParamValue::parse(&need(1)?, ty, &need(3)?).ok_or("bad attribute value")?);
                i += 4;
            }
            o => return Err(format!("unknown option {o}")),
        }
    }
    let mut reader = registry::open(Path::new(input), None).map_err(|e| e.to_string())?;
    let mut images: Vec<Vec<(ImageSpec, Vec<u8>)>> = Vec::new();
    for s in 0.. {
        if reader.spec(s, 0).is_none() {
            break;
        }
        let mut levels = Vec::new();
        for m in 0.. {
            let Some(mut spec) = reader.spec(s, m) else { break };
            let px = reader.read_image(s, m).map_err(|e| e.to_string())?;
            let mut bytes = px.bytes().to_vec();
            if !dtype.is_unknown() && dtype != spec.format {
                let n = bytes.len() / spec.format.size().max(1);
                let mut conv = vec![0u8; n * dtype.size()];
                convert_bytes(&bytes, spec.format.basetype, &mut conv, dtype.basetype);
                bytes = conv;
                spec.set_format(dtype);
            }
            if let Some((tw, th)) = tile {
                spec.tile_width = tw;
                spec.tile_height = th;
                spec.tile_depth = 1;
            }
            for a in &attrs {
                spec.attribute(a.clone());
            }
            levels.push((spec, bytes));
        }
        images.push(levels);
    }
    let format = registry::for_output(Path::new(output), "").ok_or("no writer for that extension")?;
    let write = format.write.ok_or("format cannot write")?;
    let source = images
        .first()
        .and_then(|l| l.first())
        .map(|(s, _)| s.format)
        .unwrap_or_default();
    let request = WriteRequest {
        subimages: images
            .iter()
            .map(|levels| levels.iter().map(|(spec, px)| Level { spec, pixels: px }).collect())
            .collect(),
        deep: images.iter().map(|_| None).collect(),
        source,
        thumbnail: None,
    };
    write(Path::new(output), &request).map_err(|e| e.to_string())
}

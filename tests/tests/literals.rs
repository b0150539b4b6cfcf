//! The numeric literals the emitter writes, compiled: a document with a
//! default of every integer and number format (edges and seeded random
//! values, written as other tools write them: an `f32` widened to double
//! precision, more digits than a double holds, exponents) is generated into
//! a crate of its own, which must pass clippy with warnings denied
//! (`excessive_precision`, `overflowing_literals`, `unreadable_literal`…)
//! and whose own test must read every default back as the value the
//! document's text means in the field's Rust type.
//!
//! The unit tests of `emit/types.rs` check many more values without a
//! compiler; this one checks what only the compiler and clippy can say.
//! It builds the crate with cargo in `target/nested` (its dependencies are
//! the workspace's, from its lock, offline), about a minute the first time.

use openapi_codegen::{Config, generate};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A xorshift stream: the same values on every run.
fn bits(seed: u64) -> impl Iterator<Item = u64> {
    let mut state = seed;
    std::iter::from_fn(move || {
        state ^= state >> 12;
        state ^= state << 25;
        state ^= state >> 27;
        Some(state.wrapping_mul(0x2545_f491_4f6c_dd1d))
    })
}

/// One defaulted property: its format, the JSON text of its default, and
/// the Rust assertion that the generated default is that value.
struct Case {
    format: &'static str,
    ty: &'static str,
    json: String,
    check: String,
}

/// The integer formats, each with its Rust type and range.
const INTEGERS: &[(&str, &str, i128, i128)] = &[
    ("int8", "i8", i8::MIN as i128, i8::MAX as i128),
    ("int16", "i16", i16::MIN as i128, i16::MAX as i128),
    ("int32", "i32", i32::MIN as i128, i32::MAX as i128),
    ("int64", "i64", i64::MIN as i128, i64::MAX as i128),
    ("uint8", "u8", 0, u8::MAX as i128),
    ("uint16", "u16", 0, u16::MAX as i128),
    ("uint32", "u32", 0, u32::MAX as i128),
    ("uint64", "u64", 0, u64::MAX as i128),
];

fn cases() -> Vec<Case> {
    let mut cases = Vec::new();
    let mut random = bits(0x5eed_1234_abcd_0001);
    for &(format, ty, min, max) in INTEGERS {
        let span = (max - min) as u128 + 1;
        let mut values = vec![min, max, 0, 1, min / 3, max / 7];
        values.extend((0..6).map(|_| min + (random.next().unwrap() as u128 % span) as i128));
        for value in values {
            cases.push(Case {
                format,
                ty,
                json: value.to_string(),
                check: format!("assert_eq!(value, {value}_{ty});"),
            });
        }
    }
    // `float`: the shortest text, and the double-precision text a serializer
    // of an `f32` writes (0.4000000059604645), for edges and random bits.
    let mut floats = vec![0.4000000059604645_f64 as f32, f32::MAX, f32::MIN_POSITIVE];
    floats.extend([f32::from_bits(1), -0.0, 1e20, -3.5, 16_777_216.0]);
    floats.extend(
        random
            .by_ref()
            .map(|b| f32::from_bits(b as u32))
            .filter(|f| f.is_finite())
            .take(12),
    );
    for (i, value) in floats.into_iter().enumerate() {
        let json = if i % 2 == 0 {
            format!("{}", f64::from(value))
        } else {
            format!("{value:e}")
        };
        // serde reads an `f32` as a double, then narrows it.
        let expected = json.parse::<f64>().unwrap() as f32;
        cases.push(Case {
            format: "float",
            ty: "f32",
            json,
            check: format!(
                "assert_eq!(value.to_bits(), {:#x}, \"{{value:e}}\");",
                expected.to_bits()
            ),
        });
    }
    // `double`: shortest texts, more digits than a double holds, exponents.
    let mut doubles = vec![
        "0.1000000000000000055511151231257827".to_owned(),
        "1.7976931348623157e308".to_owned(),
        "5e-324".to_owned(),
        "-2.2250738585072014E-308".to_owned(),
        "123456789012345678901234567890".to_owned(),
        "0.30000000000000004".to_owned(),
    ];
    doubles.extend(
        random
            .by_ref()
            .map(f64::from_bits)
            .filter(|f| f.is_finite())
            .take(12)
            .map(|f| format!("{f:e}")),
    );
    for json in doubles {
        let expected: f64 = json.parse().unwrap();
        cases.push(Case {
            format: "double",
            ty: "f64",
            json,
            check: format!(
                "assert_eq!(value.to_bits(), {:#x}, \"{{value:e}}\");",
                expected.to_bits()
            ),
        });
    }
    // `decimal`: exact. A string keeps its scale (`-0.001000`); a JSON
    // number is a value, so `12.50` is 12.5.
    for json in ["12.50", "0", "-7.25e-3"] {
        cases.push(Case {
            format: "decimal",
            ty: "rust_decimal::Decimal",
            json: json.to_owned(),
            check: format!(
                "assert_eq!(value, rust_decimal::Decimal::from_scientific(\"{json}\").or_else(|_| \"{json}\".parse()).unwrap());"
            ),
        });
    }
    for text in [
        "-0.001000",
        "9223372036854775807",
        "79228162514264337593543950335",
    ] {
        cases.push(Case {
            format: "decimal",
            ty: "rust_decimal::Decimal",
            json: format!("\"{text}\""),
            check: format!("assert_eq!(value.to_string(), \"{text}\");"),
        });
    }
    cases
}

/// The document: one schema whose properties are the cases, all
/// defaulted, none required.
fn document(cases: &[Case]) -> String {
    let mut properties = String::new();
    for (i, case) in cases.iter().enumerate() {
        let (kind, format) = match case.format {
            "float" | "double" | "decimal" => ("number", case.format),
            other => ("integer", other),
        };
        let kind = if case.json.starts_with('"') {
            "string"
        } else {
            kind
        };
        let _ = write!(
            properties,
            r#"{}"value_{i}": {{"type": "{kind}", "format": "{format}", "default": {}}}"#,
            if i == 0 { "" } else { ", " },
            case.json
        );
    }
    format!(
        r#"{{"openapi": "3.0.3", "info": {{"title": "Literals", "version": "1.0.0"}}, "paths": {{}},
"components": {{"schemas": {{"Literals": {{"type": "object", "properties": {{{properties}}}}}}}}}}}"#
    )
}

/// The generated crate's own test: `{}` decodes, every default is there.
fn readback(cases: &[Case]) -> String {
    let mut text = String::from(
        "//! Every default reads back as the document's value.\n\n\
         #[test]\nfn every_default_reads_back() {\n    \
         let literals: literals_api::types::Literals = serde_json::from_str(\"{}\").unwrap();\n",
    );
    for (i, case) in cases.iter().enumerate() {
        let _ = writeln!(
            text,
            "    {{\n        // {} {}\n        let value: {} = literals.value_{i};\n        {}\n    }}",
            case.format, case.json, case.ty, case.check
        );
    }
    text.push_str("}\n");
    text
}

fn cargo(dir: &Path, target: &Path, args: &[&str], after: &[&str]) {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args(args)
        .args(["--offline", "--no-default-features", "--color", "never"])
        .args(after)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env_remove("RUSTFLAGS")
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "cargo {} failed:\n{}{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stderr),
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn every_numeric_literal_compiles_clippy_clean_and_reads_back() {
    let cases = cases();
    assert!(cases.len() > 130, "{} cases", cases.len());
    let generated =
        generate(&Config::new("literals-api"), &document(&cases)).unwrap_or_else(|e| panic!("{e}"));

    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let dir: PathBuf = root.join("target/nested/literals-api");
    let _ = std::fs::remove_dir_all(dir.join("src"));
    for (file, code) in &generated.files.0 {
        let path = dir.join(file);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, code).unwrap();
    }
    std::fs::write(dir.join("tests/readback.rs"), readback(&cases)).unwrap_or_else(|_| {
        std::fs::create_dir_all(dir.join("tests")).unwrap();
        std::fs::write(dir.join("tests/readback.rs"), readback(&cases)).unwrap();
    });
    // A workspace of its own, locked to the versions this one uses.
    let mut manifest = std::fs::read_to_string(dir.join("Cargo.toml")).unwrap();
    if !manifest.contains("[workspace]") {
        manifest.push_str("\n[workspace]\n");
        std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    }
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).unwrap();

    let target = root.join("target/nested/target");
    cargo(
        &dir,
        &target,
        &["clippy", "--all-targets"],
        &["--", "-D", "warnings"],
    );
    cargo(&dir, &target, &["test", "--test", "readback"], &[]);
}

//! `cargo xtask codegen` as a user runs it: on a copy of the payments spec,
//! into a scratch directory, checking exit codes, messages and the files.

mod common;

use common::{scratch, text, workspace_root, xtask};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;
use std::time::SystemTime;

/// Generates a standalone crate from `spec` into `out`.
fn codegen(spec: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "codegen",
        "--spec",
        spec.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--name",
        "payments-copy",
    ];
    args.extend_from_slice(extra);
    xtask(&args)
}

/// Path → (bytes, mtime) of every file under `dir`.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>, SystemTime)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let modified = fs::metadata(&path).unwrap().modified().unwrap();
                out.push((path.clone(), fs::read(&path).unwrap(), modified));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn standalone_crate_is_written_once_then_left_alone() {
    let dir = scratch("standalone");
    let out = dir.join("crate");
    let spec = workspace_root().join("spec/payments.yaml");

    let first = codegen(&spec, &out, &[]);
    assert!(first.status.success(), "{}", text(&first.stderr));
    for file in [
        "Cargo.toml",
        "src/lib.rs",
        "src/types.rs",
        "src/auth.rs",
        "src/client.rs",
        "src/requests.rs",
        "src/response.rs",
        "src/error.rs",
        "src/support.rs",
        "src/transport.rs",
    ] {
        assert!(out.join(file).is_file(), "{file} was written");
    }
    assert!(
        text(&first.stderr).contains("10 of 10 files changed"),
        "{}",
        text(&first.stderr)
    );
    let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"payments-copy\""));

    // A second run changes nothing, down to the modification times.
    let before = snapshot(&out);
    let second = codegen(&spec, &out, &[]);
    assert!(second.status.success());
    assert!(
        text(&second.stderr).contains("up to date"),
        "{}",
        text(&second.stderr)
    );
    assert_eq!(snapshot(&out), before);

    let check = codegen(&spec, &out, &["--check"]);
    assert_eq!(check.status.code(), Some(0), "{}", text(&check.stderr));
}

#[test]
fn a_new_property_makes_check_fail_until_regenerated() {
    let dir = scratch("new-property");
    let out = dir.join("crate");
    let spec = dir.join("payments.yaml");
    let original = fs::read_to_string(workspace_root().join("spec/payments.yaml")).unwrap();
    fs::write(&spec, &original).unwrap();
    assert!(codegen(&spec, &out, &[]).status.success());

    // Add `loyalty_points` to CustomerBalance, next to `created_at`.
    let anchor = "    CustomerBalance:\n";
    let at = original
        .find(anchor)
        .expect("CustomerBalance is in the spec");
    let properties =
        at + original[at..].find("      properties:\n").unwrap() + "      properties:\n".len();
    let mut changed = original.clone();
    changed.insert_str(
        properties,
        "        loyalty_points:\n          description: Points earned by the customer.\n          type: integer\n          format: int64\n",
    );
    fs::write(&spec, &changed).unwrap();

    let before = snapshot(&out);
    let check = codegen(&spec, &out, &["--check"]);
    assert_eq!(check.status.code(), Some(1), "stale output exits 1");
    let diff = text(&check.stdout);
    assert!(
        diff.contains("+    pub loyalty_points: ::std::option::Option<i64>,"),
        "the diff shows the field:\n{diff}"
    );
    assert!(diff.contains("--- "), "a unified diff:\n{diff}");
    let stderr = text(&check.stderr);
    assert!(
        stderr.contains("run `cargo xtask codegen --spec"),
        "names the fixing command: {stderr}"
    );
    assert_eq!(snapshot(&out), before, "--check writes nothing");

    let regenerate = codegen(&spec, &out, &[]);
    assert!(regenerate.status.success());
    assert!(
        text(&regenerate.stderr).contains("updated"),
        "{}",
        text(&regenerate.stderr)
    );
    let types = fs::read_to_string(out.join("src/types.rs")).unwrap();
    assert!(
        types.contains("/// Points earned by the customer.\n    #[serde(\n        default,\n        skip_serializing_if = \"::std::option::Option::is_none\",\n        deserialize_with = \"crate::support::integer::option::deserialize\"\n    )]\n    pub loyalty_points: ::std::option::Option<i64>,"),
        "{types}"
    );
    assert_eq!(codegen(&spec, &out, &["--check"]).status.code(), Some(0));
}

#[test]
fn with_strict_a_skip_is_an_error_and_nothing_is_written() {
    let dir = scratch("invalid");
    let out = dir.join("crate");
    let spec = dir.join("payments.yaml");
    let original = fs::read_to_string(workspace_root().join("spec/payments.yaml")).unwrap();
    fs::write(&spec, &original).unwrap();
    assert!(codegen(&spec, &out, &[]).status.success());
    let before = snapshot(&out);

    // A dangling reference and a second problem: both are reported.
    let broken = original
        .replacen(
            "$ref: '#/components/schemas/SubscriptionTierPrice'",
            "$ref: '#/components/schemas/Nope'",
            1,
        )
        .replacen(
            "$ref: '#/components/schemas/PlanInterval'",
            "$ref: 'other.yaml#/PlanInterval'",
            1,
        );
    fs::write(&spec, broken).unwrap();
    let run = codegen(&spec, &out, &["--strict"]);
    assert_eq!(
        run.status.code(),
        Some(2),
        "a strict run with skips exits 2"
    );
    let stderr = text(&run.stderr);
    assert!(
        stderr.contains("`$ref` points to nothing: `#/components/schemas/Nope`"),
        "{stderr}"
    );
    assert!(stderr.contains("= at #/components/schemas/CustomerBalance/properties/modeling_app_enterprise_price/$ref"), "{stderr}");
    assert!(
        stderr.contains("`$ref` to another document is not supported: `other.yaml#/PlanInterval`"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("--> {}", spec.display())),
        "names the file: {stderr}"
    );
    assert!(
        stderr.contains("2 errors in the spec; nothing was written"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(snapshot(&out), before, "the output is untouched");

    // Without `--strict`, the two references cost the two fields: they are
    // any JSON value, the rest of the crate is generated, and the report
    // says where each went.
    let run = codegen(&spec, &out, &[]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("2 things in the document are not carried out as written"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "at {}:",
            spec.display()
        )) && stderr.contains("(#/components/schemas/CustomerBalance/properties/modeling_app_enterprise_price/$ref)"),
        "located: {stderr}"
    );
    let types = fs::read_to_string(out.join("src/types.rs")).unwrap();
    assert!(
        types.contains(
            "pub modeling_app_enterprise_price: ::std::option::Option<::serde_json::Value>"
        ),
        "the field with the dangling reference is any JSON value"
    );
}

#[test]
fn a_settings_file_beside_the_spec_renames_selects_and_makes_strict() {
    let dir = scratch("settings");
    let out = dir.join("crate");
    let spec = dir.join("payments.yaml");
    fs::copy(workspace_root().join("spec/payments.yaml"), &spec).unwrap();
    fs::write(
        dir.join("payments.codegen.toml"),
        "[names.schemas]\nCustomerBalance = \"Balance\"\n\n\
         [names.operations]\n\"GET /orgs/{id}/payment/balance\" = \"org_balance\"\n\n\
         [operations]\nexclude = [\"update_payment_balance_for_any_user\"]\n",
    )
    .unwrap();
    let run = codegen(&spec, &out, &[]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let types = fs::read_to_string(out.join("src/types.rs")).unwrap();
    let client = fs::read_to_string(out.join("src/client.rs")).unwrap();
    assert!(types.contains("pub struct Balance {"), "renamed schema");
    assert!(!types.contains("pub struct CustomerBalance {"));
    assert!(
        client.contains("pub fn org_balance<'a>("),
        "renamed operation"
    );
    assert!(!client.contains("pub fn get_payment_balance_for_any_org<'a>("));
    assert!(
        !client.contains("pub fn update_payment_balance_for_any_user<'a>("),
        "excluded operation"
    );
    assert!(client.contains("pub fn get_payment_balance_for_any_user<'a>("));

    // A name for what the document does not have is reported, not ignored.
    fs::write(
        dir.join("payments.codegen.toml"),
        "[names.schemas]\nCustomerBalanse = \"Balance\"\n[operations]\nexclude-tags = [\"payment\"]\n",
    )
    .unwrap();
    let run = codegen(&spec, &out, &[]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("the settings name a Rust type for the schema `CustomerBalanse`, which the document does not have"),
        "{stderr}"
    );
    assert!(
        stderr.contains("the settings name the tag `payment`, which no operation has"),
        "{stderr}"
    );

    // A misspelt setting is an error that says where, and writes nothing.
    fs::write(
        dir.join("payments.codegen.toml"),
        "strict = true\n[names]\nschema = {}\n",
    )
    .unwrap();
    let before = snapshot(&out);
    let run = codegen(&spec, &out, &[]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("invalid settings:")
            && stderr.contains("payments.codegen.toml: 3:1: unknown field `schema`"),
        "{stderr}"
    );
    assert_eq!(snapshot(&out), before, "the output is untouched");
}

#[test]
fn syntax_and_type_errors_have_a_line_and_column() {
    let dir = scratch("located");
    let out = dir.join("crate");
    let spec = dir.join("bad.yaml");

    fs::write(
        &spec,
        "openapi: 3.0.3\ninfo:\n  title: x\n  version: 1\n paths: {}\n",
    )
    .unwrap();
    let run = codegen(&spec, &out, &[]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = text(&run.stderr);
    assert!(stderr.contains("syntax error"), "{stderr}");
    assert!(
        stderr.contains(&format!("{}:5:", spec.display())),
        "{stderr}"
    );

    fs::write(&spec, "openapi: 3.0.3\ninfo:\n  title: x\n  version: '1'\npaths:\n  /a:\n    get:\n      responses: 7\n").unwrap();
    let run = codegen(&spec, &out, &[]);
    assert_eq!(run.status.code(), Some(2));
    let stderr = text(&run.stderr);
    assert!(stderr.contains("invalid OpenAPI document"), "{stderr}");
    assert!(
        stderr.contains("= at #/paths/~1a/get/responses"),
        "{stderr}"
    );
    // The line and column of the value itself: the `7`.
    assert!(
        stderr.contains(&format!("{}:8:18", spec.display())),
        "{stderr}"
    );

    fs::write(
        &spec,
        "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths: {}\n",
    )
    .unwrap();
    let run = codegen(&spec, &out, &[]);
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("Swagger 2.0 documents are not supported"),
        "{}",
        text(&run.stderr)
    );
    assert!(!out.exists(), "nothing was written");
}

#[test]
fn an_output_that_cannot_be_written_is_an_internal_failure() {
    let dir = scratch("unwritable");
    let spec = dir.join("payments.yaml");
    fs::copy(workspace_root().join("spec/payments.yaml"), &spec).unwrap();
    // The output directory would have to be inside a file.
    let blocker = dir.join("file");
    fs::write(&blocker, "not a directory").unwrap();
    let run = codegen(&spec, &blocker.join("crate"), &["--name", "x"]);
    assert_eq!(run.status.code(), Some(3), "{}", text(&run.stderr));
    let stderr = text(&run.stderr);
    assert!(stderr.contains(&blocker.display().to_string()), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(fs::read_to_string(&blocker).unwrap(), "not a directory");
}

/// Regenerating over a crate from an older spec: the API change report on
/// stdout (before the diff with `--check`), as Markdown with `--report`, and
/// the suggested version written by `--bump` and kept by later runs.
#[test]
fn regeneration_reports_the_api_change_and_bumps_the_version_when_asked() {
    let dir = scratch("report");
    let out = dir.join("crate");
    let history = |date: &str| workspace_root().join(format!("tests/fixtures/history/{date}.yaml"));
    let version = || {
        let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
        manifest
            .lines()
            .find_map(|l| l.strip_prefix("version = "))
            .unwrap()
            .to_owned()
    };

    let first = codegen(&history("2026-04"), &out, &[]);
    assert!(first.status.success());
    assert_eq!(
        text(&first.stdout),
        "",
        "a new crate has nothing to compare with"
    );
    assert_eq!(version(), "\"0.1.0\"");

    // 2026-08 adds an optional response field: compatible, a minor bump.
    let markdown = dir.join("changes.md");
    let check = codegen(
        &history("2026-08"),
        &out,
        &["--check", "--report", markdown.to_str().unwrap()],
    );
    assert_eq!(check.status.code(), Some(1));
    let stdout = text(&check.stdout);
    let expected = "API changes in payments-copy: 0 breaking, 1 compatible; suggested version bump: minor (0.1.0 → 0.1.1)\n  compatible  field `types::CustomerBalance::monthly_api_credits_refresh_at` added: `Option<DateTime<Utc>>`\n--- ";
    assert!(
        stdout.starts_with(expected),
        "the report, then the diff:\n{stdout}"
    );
    let markdown = fs::read_to_string(&markdown).unwrap();
    assert!(
        markdown.starts_with("## API changes in `payments-copy`\n\nSuggested version bump: **minor** (0.1.0 → 0.1.1).\n\n### Compatible (1)\n\n- field `types::CustomerBalance::monthly_api_credits_refresh_at` added"),
        "{markdown}"
    );

    let bump = codegen(&history("2026-08"), &out, &["--bump"]);
    assert!(bump.status.success(), "{}", text(&bump.stderr));
    assert!(
        text(&bump.stderr).contains("payments-copy: version 0.1.0 → 0.1.1 (minor bump)"),
        "{}",
        text(&bump.stderr)
    );
    assert_eq!(version(), "\"0.1.1\"");
    let again = codegen(&history("2026-08"), &out, &["--check"]);
    assert_eq!(again.status.code(), Some(0), "the bumped version is kept");
    assert_eq!(
        text(&again.stdout),
        "",
        "nothing changes, nothing to report"
    );

    // Back to 2025-10: the new field, `unknown` and `contract` go away.
    let back = codegen(&history("2025-10"), &out, &[]);
    assert!(back.status.success());
    let stdout = text(&back.stdout);
    assert!(
        stdout.starts_with("API changes in payments-copy: 4 breaking, 0 compatible; suggested version bump: major (0.1.1 → 0.2.0)\n"),
        "{stdout}"
    );
    assert!(stdout.contains("  breaking    field `types::CustomerBalance::monthly_api_credits_refresh_at` removed (was `Option<DateTime<Utc>>`)\n"), "{stdout}");
    assert_eq!(version(), "\"0.1.1\"", "without --bump the version stays");

    assert_eq!(
        codegen(&history("2025-10"), &out, &["--check", "--bump"])
            .status
            .code(),
        Some(64),
        "--bump writes, --check does not"
    );
}

#[test]
fn usage_errors_exit_64() {
    assert_eq!(
        xtask(&["codegen", "--spec", "x.yaml"]).status.code(),
        Some(64)
    );
    assert_eq!(xtask(&["codegen", "--frobnicate"]).status.code(), Some(64));
    assert_eq!(xtask(&["launch"]).status.code(), Some(64));
}

#[test]
fn example_tests_are_written_when_asked_and_removed_when_not() {
    let dir = scratch("example-tests");
    let out = dir.join("crate");
    let spec = workspace_root().join("tests/fixtures/specs/wire.yaml");
    let with = codegen(&spec, &out, &["--with-example-tests"]);
    assert!(with.status.success(), "{}", text(&with.stderr));
    let harness = fs::read_to_string(out.join("tests/wire.rs")).unwrap();
    assert!(harness.contains("fn examples_and_instances_survive_the_wire"));
    let cases = fs::read_to_string(out.join("tests/wire/cases.rs")).unwrap();
    assert!(
        cases.contains("/content/application~1json/examples/default\""),
        "an example reached by $ref is a case, at the place that refers to it"
    );
    assert!(
        cases.contains("at `/quantity`: want integer, but got string"),
        "the example that breaks its schema says why"
    );

    let without = codegen(&spec, &out, &[]);
    assert!(without.status.success(), "{}", text(&without.stderr));
    assert!(
        !out.join("tests/wire.rs").exists(),
        "removed, being generated no more"
    );
    assert!(!out.join("tests/wire/cases.rs").exists());
    assert!(out.join("src/types.rs").is_file());
}

#[test]
fn corpus_generates_and_checks_one_small_document() {
    // Prism is not on every machine that runs the tests: the calls are
    // `cargo xtask corpus`'s own, in CI.
    let run = xtask(&[
        "corpus",
        "--only",
        "cli-gen",
        "--skip-clippy",
        "--skip-calls",
    ]);
    let stdout = text(&run.stdout);
    assert_eq!(
        run.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&run.stderr)
    );
    let row: Vec<&str> = stdout
        .lines()
        .find(|line| line.starts_with("| cli-gen.json "))
        .unwrap_or_else(|| panic!("a row for cli-gen.json:\n{stdout}"))
        .split('|')
        .map(str::trim)
        .collect();
    // "", document, types, operations, generate, check, clippy, wire, calls, result, "".
    assert_eq!(row.len(), 11, "{row:?}");
    assert!(row[2].parse::<usize>().is_ok(), "types: {row:?}");
    assert_eq!(row[3], "1", "one operation: {row:?}");
    assert!(row[4].ends_with(" ms"), "{row:?}");
    assert!(row[5].ends_with(" s"), "{row:?}");
    assert_eq!(row[6], "skipped", "{row:?}");
    assert!(row[7].contains(" · ex "), "the wire tests ran: {row:?}");
    assert_eq!(row[8], "—", "the calls did not: {row:?}");
    assert_eq!(row[9], "clean", "{row:?}");
    assert!(stdout.contains("1/1 generated, 1/1 clean"), "{stdout}");
    assert!(stdout.contains("\nwire: "), "the wire totals: {stdout}");
    assert!(
        workspace_root()
            .join("target/corpus/crates/corpus-cli-gen/src/lib.rs")
            .is_file()
    );
}

#[test]
fn corpus_rejects_an_unknown_document() {
    let run = xtask(&["corpus", "--only", "nonexistent"]);
    assert_eq!(run.status.code(), Some(64), "{}", text(&run.stderr));
    assert!(text(&run.stderr).contains("`nonexistent`"));
    assert_eq!(xtask(&["corpus", "--frobnicate"]).status.code(), Some(64));
}

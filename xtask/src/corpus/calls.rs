//! The corpus's calls: each generated crate's `tests/calls.rs` run against
//! Stoplight Prism, an independent mock server of the crate's document,
//! which validates every request (parameters, styles, bodies, media types,
//! credentials) and answers from the document.
//!
//! Prism is pinned in `xtask/prism/package-lock.json` and installed with
//! `npm ci` into `xtask/prism/node_modules` when it is not there. Each
//! document is served twice, on a loopback port: statically (answers from
//! the document's examples) and dynamically with a fixed seed (answers
//! generated from its schemas). Each run's report (one JSON line per
//! operation, `CALLS_REPORT`) is judged here:
//! - a request Prism rejects is the crate's fault unless every violation is
//!   one listed apart in [`apart`], with the rule that makes it so;
//! - an answer that does not decode is the crate's fault unless Prism says
//!   its own answer breaks the document;
//! - an operation for whose required arguments no valid value could be
//!   built is not called, and listed with why.
//!
//! Faults already known are listed in `corpus/calls.known` (one
//! `document mode operation` a line): a fault not listed there fails the
//! corpus, and one listed that no longer happens is said, so the list only
//! shrinks.

use serde_json::Value;
use std::io::Read as _;
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Where Prism's `package.json` and lockfile are, relative to the workspace.
pub(super) const PRISM_DIR: &str = "xtask/prism";

/// The known faults, relative to the workspace.
pub(super) const KNOWN: &str = "corpus/calls.known";

/// The seed of Prism's dynamic mode, so that its answers are the same in
/// every run.
const SEED: u32 = 1;

/// How often Prism is started again for the calls after one it stopped on.
const MAX_RESTARTS: usize = 8;

/// How long Prism may take to read a document and listen.
const STARTUP: Duration = Duration::from_secs(180);

/// How Prism answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    /// From the document's examples.
    Static,
    /// From instances it generates from the schemas, seeded.
    Dynamic,
}

impl Mode {
    pub(crate) const BOTH: [Mode; 2] = [Mode::Static, Mode::Dynamic];

    pub(crate) fn name(self) -> &'static str {
        match self {
            Mode::Static => "static",
            Mode::Dynamic => "dynamic",
        }
    }
}

/// Prism, installed.
pub(crate) struct Prism {
    /// Its command (`node_modules/.bin/prism`).
    bin: PathBuf,
}

impl Prism {
    /// Prism from `xtask/prism`, installed there with `npm ci` from its
    /// lockfile when it is not.
    pub(crate) fn install(root: &Path) -> Result<Prism, String> {
        let dir = root.join(PRISM_DIR);
        let bin = dir.join("node_modules/.bin/prism");
        if !bin.is_file() {
            eprintln!(
                "corpus: installing Prism with `npm ci` in {}",
                dir.display()
            );
            let status = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel", "error"])
                .current_dir(&dir)
                .status()
                .map_err(|e| {
                    format!(
                        "cannot run `npm ci` in {} to install Prism ({e}); install Node.js and npm, or run with `--skip-calls`",
                        dir.display()
                    )
                })?;
            if !status.success() || !bin.is_file() {
                return Err(format!(
                    "`npm ci` in {} did not install Prism ({status}); run with `--skip-calls` to leave the calls out",
                    dir.display()
                ));
            }
        }
        Ok(Prism { bin })
    }

    /// Prism serving `document` in `mode` on a free loopback port, once it
    /// listens; what it prints goes to `log`.
    pub(crate) fn serve(&self, document: &Path, mode: Mode, log: &Path) -> Result<Served, String> {
        let port = free_port()?;
        let out = std::fs::File::create(log)
            .map_err(|e| format!("cannot write {}: {e}", log.display()))?;
        let err = out
            .try_clone()
            .map_err(|e| format!("cannot write {}: {e}", log.display()))?;
        let mut command = Command::new(&self.bin);
        command
            .args(["mock", "--host", "127.0.0.1", "--port", &port.to_string()])
            .args(match mode {
                Mode::Static => vec![],
                Mode::Dynamic => vec![
                    "--dynamic".to_owned(),
                    "--seed".to_owned(),
                    SEED.to_string(),
                ],
            })
            .arg(document)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err);
        let child = command
            .spawn()
            .map_err(|e| format!("cannot start Prism ({}): {e}", self.bin.display()))?;
        let mut served = Served { child, port };
        let started = Instant::now();
        loop {
            if let Ok(Some(status)) = served.child.try_wait() {
                return Err(format!(
                    "Prism stopped ({status}) before it listened: {}",
                    last_lines(log, 6)
                ));
            }
            let address = SocketAddrV4::new(Ipv4Addr::LOCALHOST, port);
            if TcpStream::connect_timeout(&address.into(), Duration::from_millis(200)).is_ok() {
                return Ok(served);
            }
            if started.elapsed() > STARTUP {
                return Err(format!(
                    "Prism did not listen within {} s: {}",
                    STARTUP.as_secs(),
                    last_lines(log, 6)
                ));
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }
}

/// A running Prism; stopped when dropped.
pub(crate) struct Served {
    child: Child,
    port: u16,
}

impl Served {
    pub(crate) fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Whether Prism has stopped (crashed), and how it ended.
    pub(crate) fn stopped(&mut self) -> Option<String> {
        self.child
            .try_wait()
            .ok()
            .flatten()
            .map(|status| status.to_string())
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Serves `document` with Prism in `mode`, runs the call tests against it
/// with `run` (given the base URL and the report's path; it gives what the
/// tests printed), and judges the report. Prism's log, its copy of the
/// document and the report go to `dir`, named from `stem`. `answers` judges
/// the answers that do not decode; it is loaded from the document the first
/// time one is needed.
pub(crate) fn call(
    prism: &Prism,
    document: &Path,
    mode: Mode,
    dir: &Path,
    stem: &str,
    answers: &mut Option<openapi_codegen::judge::Answers>,
    mut run: impl FnMut(&str, &Path, &[String]) -> Result<String, String>,
) -> Result<CallRun, String> {
    let log = dir.join(format!("{stem}.{}.prism.log", mode.name()));
    let report = dir.join(format!("{stem}.{}.jsonl", mode.name()));
    let _ = std::fs::remove_file(&report);
    let copy = match readable_copy(document, &dir.join(format!("{stem}.prism.json"))) {
        Ok(copy) => copy,
        Err(why) => return Ok(CallRun::failed(why)),
    };
    let served_path = copy.as_ref().map_or(document, |(path, _)| path.as_path());
    let copied = || {
        copy.as_ref()
            .map(|(_, what)| what.clone())
            .unwrap_or_default()
    };
    // Prism stops now and then on what a document says (a media type it
    // cannot parse): the call it stopped on is listed apart with Prism's
    // words, Prism is started again, and the calls after it are made.
    let mut lines: Vec<Value> = Vec::new();
    let mut only: Vec<String> = Vec::new();
    let mut output = String::new();
    for _ in 0..MAX_RESTARTS {
        let mut served = match prism.serve(served_path, mode, &log) {
            Ok(served) => served,
            Err(why) => {
                let mut run = CallRun::failed(why);
                run.copy = copied();
                return Ok(run);
            }
        };
        let _ = std::fs::remove_file(&report);
        output = run(&served.base_url(), &report, &only)?;
        let stopped = served.stopped();
        drop(served);
        let Ok(text) = std::fs::read_to_string(&report) else {
            break;
        };
        let mut these: Vec<Value> = text
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect();
        let Some(status) = stopped else {
            lines.append(&mut these);
            only.clear();
            break;
        };
        // The first call without an answer is the one Prism stopped on.
        let Some(at) = these.iter().position(|l| l["verdict"] == "failed") else {
            lines.append(&mut these);
            only.clear();
            break;
        };
        let rest: Vec<String> = these[at + 1..]
            .iter()
            .filter_map(|l| l["operation"].as_str().map(str::to_owned))
            .collect();
        these[at]["verdict"] = "prism-stopped".into();
        these[at]["detail"] = format!(
            "Prism stopped ({status}) answering it: {}",
            last_lines(&log, 3)
        )
        .into();
        these.truncate(at + 1);
        lines.append(&mut these);
        if rest.is_empty() {
            only.clear();
            break;
        }
        only = rest;
    }
    let mut judged = if lines.is_empty() {
        CallRun::failed(format!(
            "the call tests wrote no report: {}",
            super::workspace::first_error(&output).unwrap_or("no error printed")
        ))
    } else {
        let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
        let _ = std::fs::write(&report, &text);
        let mut broken = |operation: &str, status: u16, body: &Value| {
            if answers.is_none() {
                let text = std::fs::read_to_string(document).ok()?;
                *answers =
                    openapi_codegen::judge::Answers::load(&document.display().to_string(), &text)
                        .ok();
            }
            answers.as_mut()?.violation(operation, status, body)
        };
        CallRun::judge(&text, &mut broken)
    };
    if !only.is_empty() {
        judged.failure = Some(format!(
            "Prism stopped {MAX_RESTARTS} times; {} calls were not made",
            only.len()
        ));
    }
    judged.copy = copied();
    Ok(judged)
}

/// A copy of the document that Prism can read, when it needs one: each
/// `$ref` that leads out of the document (Prism would fetch it) or to
/// nothing (Prism stops) replaced by `{}`, any value. Written to `out` as
/// JSON; with what was replaced. `None` when nothing needs replacing.
pub(crate) fn readable_copy(
    document: &Path,
    out: &Path,
) -> Result<Option<(PathBuf, Vec<String>)>, String> {
    let text = std::fs::read_to_string(document)
        .map_err(|e| format!("cannot read {}: {e}", document.display()))?;
    // A document this cannot read (a number beyond JSON's) is served as it
    // is: Prism reads more than serde does.
    let parsed: Option<Value> = if text.trim_start().starts_with('{') {
        serde_json::from_str(&text).ok()
    } else {
        serde_yaml::from_str(&text).ok()
    };
    let Some(mut value) = parsed else {
        return Ok(None);
    };
    let mut replaced = Vec::new();
    let mut stack = vec![(String::new(), &value)];
    while let Some((at, node)) = stack.pop() {
        match node {
            Value::Object(members) => {
                if let Some(Value::String(reference)) = members.get("$ref") {
                    let target = reference
                        .strip_prefix('#')
                        .map(percent_decoded)
                        .and_then(|pointer| value.pointer(&pointer));
                    if target.is_none() {
                        replaced.push((at.clone(), reference.clone()));
                    }
                }
                for (key, member) in members {
                    let key = key.replace('~', "~0").replace('/', "~1");
                    stack.push((format!("{at}/{key}"), member));
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    stack.push((format!("{at}/{i}"), item));
                }
            }
            _ => {}
        }
    }
    if replaced.is_empty() {
        return Ok(None);
    }
    replaced.sort();
    for (at, _) in &replaced {
        if let Some(node) = value.pointer_mut(at) {
            *node = Value::Object(serde_json::Map::new());
        }
    }
    let json = serde_json::to_string(&value).map_err(|e| e.to_string())?;
    std::fs::write(out, json).map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    let what = replaced
        .iter()
        .map(|(at, reference)| format!("#{at} (`{reference}`)"))
        .collect();
    Ok(Some((out.to_owned(), what)))
}

/// A JSON pointer with its `%XX` escapes decoded, as a `$ref`'s fragment
/// is written.
fn percent_decoded(pointer: &str) -> String {
    let bytes = pointer.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| (b as char).to_digit(16);
        if bytes[i] == b'%'
            && let (Some(Some(high)), Some(Some(low))) = (
                bytes.get(i + 1).map(|b| hex(*b)),
                bytes.get(i + 2).map(|b| hex(*b)),
            )
        {
            out.push((high * 16 + low) as u8);
            i += 3;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A port no one listens on now.
fn free_port() -> Result<u16, String> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .map_err(|e| format!("cannot find a free loopback port: {e}"))
}

/// The last `n` non-empty lines of a file, joined, for a message.
fn last_lines(path: &Path, n: usize) -> String {
    let mut text = String::new();
    if let Ok(mut file) = std::fs::File::open(path) {
        let _ = file.read_to_string(&mut text);
    }
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(n)..].join(" | ")
}

/// What one run of a crate's call tests came to.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct CallRun {
    /// Operations of the crate.
    pub(crate) total: usize,
    /// Called (their arguments could be built).
    pub(crate) called: usize,
    /// Accepted by Prism (or rejected only for reasons listed apart).
    pub(crate) accepted: usize,
    /// Answered with a body that decoded.
    pub(crate) decoded: usize,
    /// The crate's faults, by operation: `(operation, what)`, but those
    /// `corpus/calls.known` lists.
    pub(crate) faults: Vec<(String, String)>,
    /// The faults `corpus/calls.known` lists.
    pub(crate) known: Vec<(String, String)>,
    /// The operations `corpus/calls.known` lists whose call no longer
    /// fails.
    pub(crate) fixed: Vec<String>,
    /// What is listed apart, with why: `(operation, what)`.
    pub(crate) apart: Vec<(String, String)>,
    /// Why the run could not be made (Prism did not start, the report is
    /// missing, Prism stopped), when it could not.
    pub(crate) failure: Option<String>,
    /// What Prism's copy of the document leaves out, when it needed one.
    pub(crate) copy: Vec<String>,
}

impl CallRun {
    /// A run that could not be made.
    pub(crate) fn failed(why: String) -> CallRun {
        CallRun {
            failure: Some(why),
            ..CallRun::default()
        }
    }

    /// Judges the report of a run: one JSON line per operation.
    /// `broken(operation, status, body)` says why an answer breaks its own
    /// schema, when it does.
    pub(crate) fn judge(
        report: &str,
        broken: &mut dyn FnMut(&str, u16, &Value) -> Option<String>,
    ) -> CallRun {
        let mut run = CallRun::default();
        for line in report.lines().filter(|l| !l.trim().is_empty()) {
            let Ok(call) = serde_json::from_str::<Value>(line) else {
                run.faults
                    .push(("?".into(), format!("a report line is not JSON: {line}")));
                continue;
            };
            let text = |key: &str| call.get(key).and_then(Value::as_str).unwrap_or("");
            let operation = text("operation").to_owned();
            let detail = text("detail");
            run.total += 1;
            match text("verdict") {
                "not-called" => run.apart.push((operation, format!("not called: {detail}"))),
                // Written by `call` for the call Prism stopped on.
                "prism-stopped" => {
                    run.called += 1;
                    run.apart.push((operation, detail.to_owned()));
                }
                "arguments" => run.faults.push((operation, detail.to_owned())),
                "failed" => {
                    run.called += 1;
                    run.faults.push((operation, format!("no answer: {detail}")));
                }
                "rejected" => {
                    run.called += 1;
                    let violations: Vec<Value> = serde_json::from_str(detail).unwrap_or_default();
                    run.rejected(operation, &violations, &call, detail);
                }
                "decoded" => {
                    run.called += 1;
                    run.accepted += 1;
                    run.decoded += 1;
                }
                "broken-answer" => {
                    run.called += 1;
                    run.accepted += 1;
                    run.apart.push((
                        operation,
                        format!("Prism's answer breaks its own schema: {detail}"),
                    ));
                }
                "undecoded" => {
                    run.called += 1;
                    run.accepted += 1;
                    let body = call
                        .get("body")
                        .and_then(Value::as_str)
                        .and_then(|b| serde_json::from_str::<Value>(b).ok());
                    let code = call.get("status").and_then(Value::as_u64).unwrap_or(0);
                    // Prism's own error (it could not make an answer the
                    // document describes) is a problem of Prism's type.
                    if let Some(problem) = body.as_ref().and_then(prism_problem) {
                        run.apart.push((
                            operation,
                            format!("Prism could not answer ({code}): {problem}"),
                        ));
                        continue;
                    }
                    let why = body.and_then(|body| {
                        broken(text("origin"), u16::try_from(code).unwrap_or(0), &body)
                    });
                    match why {
                        Some(why) => run.apart.push((
                            operation,
                            format!(
                                "Prism's answer breaks its own schema (a JSON Schema validator says: {why}), and does not decode: {detail}"
                            ),
                        )),
                        None => run.faults.push((
                            operation,
                            format!("the answer ({}) does not decode: {detail}", status(&call)),
                        )),
                    }
                }
                other => run
                    .faults
                    .push((operation, format!("an unknown verdict `{other}`"))),
            }
        }
        run
    }
}

impl CallRun {
    /// Counts a request the server rejected with `violations`: accepted
    /// when every one is listed apart with its reason, else a fault.
    fn rejected(&mut self, operation: String, violations: &[Value], call: &Value, detail: &str) {
        let run = self;
        let text = |key: &str| call.get(key).and_then(Value::as_str).unwrap_or("");

        let sent_body = call
            .get("sent_body")
            .and_then(Value::as_str)
            .and_then(|b| serde_json::from_str::<Value>(b).ok());
        let sent = Sent::of(call.get("sent_content_type").and_then(Value::as_str));
        let reasons = reasons(violations, sent_body.as_ref(), sent);
        if !violations.is_empty() && reasons.iter().all(Option::is_some) {
            run.accepted += 1;
            let mut why: Vec<&str> = reasons.into_iter().flatten().collect();
            why.dedup();
            run.apart.push((operation, why.join("; ")));
        } else {
            let ours: Vec<String> = violations
                .iter()
                .zip(&reasons)
                .filter(|(_, r)| r.is_none())
                .map(|(v, _)| violation_text(v))
                .collect();
            let what = if ours.is_empty() {
                detail.to_owned()
            } else {
                ours.join("; ")
            };
            run.faults.push((
                operation,
                format!("rejected ({}): {what}; sent {}", status(call), text("sent")),
            ));
        }
    }
}

/// The title and detail of an error Prism makes itself (its problem type
/// is under `https://stoplight.io/prism/errors`), when `body` is one.
fn prism_problem(body: &Value) -> Option<String> {
    let kind = body.get("type").and_then(Value::as_str)?;
    if !kind.starts_with("https://stoplight.io/prism/errors") {
        return None;
    }
    let field = |key: &str| body.get(key).and_then(Value::as_str).unwrap_or("");
    Some(format!("{}: {}", field("title"), field("detail")))
}

/// A report line's status, for a message.
fn status(call: &Value) -> String {
    call.get("status")
        .and_then(Value::as_u64)
        .map_or_else(|| "no status".into(), |s| s.to_string())
}

/// One violation as a reader wants it: where, and Prism's message.
fn violation_text(violation: &Value) -> String {
    let location: Vec<&str> = violation
        .get("location")
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let message = violation
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("?");
    format!("{}: {message}", location.join("."))
}

/// Why each violation Prism raised is not the crate's fault, where it is
/// not: the rule that makes the request right. A union's complaints that
/// follow from a money value (its other members' tags, "must match exactly
/// one schema") go with it.
fn reasons(
    violations: &[Value],
    sent_body: Option<&Value>,
    sent: Sent,
) -> Vec<Option<&'static str>> {
    let multipart = sent == Sent::Multipart;
    let location = |v: &Value| -> Vec<String> {
        v.get("location")
            .and_then(Value::as_array)
            .map(|l| {
                l.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    };
    let mut reasons: Vec<Option<&'static str>> = violations
        .iter()
        .map(|v| apart(v, sent_body, sent))
        .collect();
    let parts_as_text: Vec<bool> = reasons.iter().map(|r| *r == Some(PART_AS_TEXT)).collect();
    let parts_as_text = &parts_as_text;
    let money: Vec<Vec<String>> = violations
        .iter()
        .zip(&reasons)
        .filter(|(_, r)| **r == Some(MONEY))
        .map(|(v, _)| location(v))
        .collect();
    for (v, reason) in violations.iter().zip(reasons.iter_mut()) {
        if reason.is_some() {
            continue;
        }
        let at = location(v);
        let code = v.get("code").and_then(Value::as_str).unwrap_or("");
        let follows = money.iter().any(|m| match code {
            "oneOf" | "anyOf" => m.starts_with(&at),
            "enum" | "const" => {
                !at.is_empty() && m.len() == at.len() && m[..m.len() - 1] == at[..at.len() - 1]
            }
            _ => false,
        });
        if follows {
            *reason = Some(MONEY);
            continue;
        }
        // A union's complaint about a multipart part that Prism also says
        // "must be object" (or array) of: it read the part as text, and no
        // text is an object, whichever member it is matched against.
        if multipart
            && matches!(code, "oneOf" | "anyOf")
            && violations
                .iter()
                .zip(parts_as_text)
                .any(|(other, text)| *text && location(other) == at)
        {
            *reason = Some(PART_AS_TEXT);
        }
    }
    reasons
}

/// The money rule, as the report gives it.
const MONEY: &str = "money is written as a string that keeps its scale (README, \"What a user can rely on\"), as the Zoo API sends it, where the document says `type: number`";

/// Why a violation Prism raised is not the crate's fault, when it is not:
/// the rule that makes the request right, or the document's part in it.
fn apart(violation: &Value, sent_body: Option<&Value>, sent: Sent) -> Option<&'static str> {
    let multipart = sent == Sent::Multipart;
    let code = violation.get("code").and_then(Value::as_str);
    let message = violation
        .get("message")
        .and_then(Value::as_str)
        .unwrap_or("");
    let location: Vec<&str> = violation
        .get("location")
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    // Money: the crate writes every decimal as a string that keeps its
    // scale, as the Zoo API itself sends and reads it (spec/seeds), where
    // the document says `type: number`.
    if code == Some("type")
        && (message.ends_with("must be number") || message.ends_with("must be number,null"))
        && location.get(1) == Some(&"body")
    {
        let pointer: String = location[2..]
            .iter()
            .map(|token| format!("/{}", token.replace('~', "~0").replace('/', "~1")))
            .collect();
        let sent = sent_body.and_then(|b| b.pointer(&pointer));
        if sent
            .and_then(Value::as_str)
            .is_some_and(|s| s.parse::<f64>().is_ok())
        {
            return Some(MONEY);
        }
    }
    // Prism reads every part of a multipart body as text, where OpenAPI
    // 3.0's Encoding Object has an object's or array's part be JSON
    // (`application/json`, as the crate sends it) and a number's be text.
    if multipart && code == Some("type") && location.get(1) == Some(&"body") && location.len() == 3
    {
        return Some(PART_AS_TEXT);
    }
    // A multipart body whose schema is not an object: a multipart body is
    // a set of named parts, read as an object of them, so no request can
    // be the string (or the array) the document names.
    if multipart
        && code == Some("type")
        && location.len() == 2
        && location.get(1) == Some(&"body")
        && !message.ends_with("must be object")
    {
        return Some(MULTIPART_NOT_OBJECT);
    }
    // Prism reads a body of any media type but JSON as one string, and
    // judges that string against the body's schema: no XML document is
    // the object (or array) the schema describes it as.
    if sent == Sent::Xml
        && code == Some("type")
        && location.len() == 2
        && location.get(1) == Some(&"body")
    {
        return Some(XML_AS_TEXT);
    }
    None
}

/// How the request's body was written, as far as the rules above care.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sent {
    Multipart,
    Xml,
    Other,
}

impl Sent {
    fn of(content_type: Option<&str>) -> Sent {
        let essence = content_type
            .unwrap_or("")
            .split(';')
            .next()
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if essence == "multipart/form-data" {
            Sent::Multipart
        } else if essence == "application/xml" || essence == "text/xml" || essence.ends_with("+xml")
        {
            Sent::Xml
        } else {
            Sent::Other
        }
    }
}

/// Prism reading an XML body as text, as the report gives it.
const XML_AS_TEXT: &str = "Prism reads an XML body as one string and judges the string against the body's schema (stoplightio/prism#2050, open), where OpenAPI's XML Object has the schema describe the XML document, as the crate sends it";

/// Prism reading multipart parts as text, as the report gives it.
const PART_AS_TEXT: &str = "Prism reads every multipart part as a string; by OpenAPI's Encoding Object the part is JSON (an object, an array) or the text of a number or a boolean, as the crate sends it";

/// A multipart body the document gives a schema no form can be.
const MULTIPART_NOT_OBJECT: &str = "the document forces it: its `multipart/form-data` body has a schema that is not an object, and a multipart body is a set of named parts, each a property of the body's schema (OpenAPI 3.0.3, Special Considerations for multipart Content); no request can be it (Dropshot writes a multipart body it reads as a stream so)";

impl CallRun {
    /// Sets apart the faults `known` lists for `document` in `mode`, and
    /// notes the listed ones that are gone.
    pub(crate) fn sort_known(
        &mut self,
        known: &[(String, String, String)],
        document: &str,
        mode: Mode,
    ) {
        let listed: Vec<&str> = known
            .iter()
            .filter(|(d, m, _)| d == document && m == mode.name())
            .map(|(_, _, op)| op.as_str())
            .collect();
        let (known, new): (Vec<_>, Vec<_>) = std::mem::take(&mut self.faults)
            .into_iter()
            .partition(|(op, _)| listed.contains(&op.as_str()));
        self.fixed = listed
            .iter()
            .filter(|op| !known.iter().any(|(k, _)| k == *op))
            .map(|op| (*op).to_owned())
            .collect();
        self.faults = new;
        self.known = known;
    }
}

/// The known faults: `document mode operation` lines, `#` comments.
pub(super) fn known(root: &Path) -> Vec<(String, String, String)> {
    let text = std::fs::read_to_string(root.join(KNOWN)).unwrap_or_default();
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .filter_map(|l| {
            let mut words = l.split_whitespace();
            Some((
                words.next()?.to_owned(),
                words.next()?.to_owned(),
                words.next()?.to_owned(),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(operation: &str, verdict: &str, detail: &str, sent_body: Option<&str>) -> String {
        serde_json::json!({
            "operation": operation,
            "verdict": verdict,
            "status": 422,
            "detail": detail,
            "sent": "PUT http://127.0.0.1:1/x",
            "sent_body": sent_body,
            "body": if operation == "h" { "{\"bad\":1}" } else { "{}" },
        })
        .to_string()
    }

    #[test]
    fn what_follows_from_money_in_a_union_and_prism_reading_parts_as_text_is_apart() {
        let v = |at: &[&str], code: &str, message: &str| serde_json::json!({"location": at, "severity": "Error", "code": code, "message": message});
        let union = [
            v(
                &["request", "body", "price"],
                "type",
                "Request body property price must be number",
            ),
            v(
                &["request", "body", "type"],
                "enum",
                "Request body property type must be equal to one of the allowed values: per_user",
            ),
            v(
                &["request", "body"],
                "oneOf",
                "Request body must match exactly one schema in oneOf",
            ),
        ];
        let sent = serde_json::json!({"type": "flat", "price": "1.5"});
        let reasons = reasons(&union, Some(&sent), Sent::Other);
        assert!(reasons.iter().all(|r| *r == Some(MONEY)), "{reasons:?}");
        // Without the money, the union's complaint is the crate's.
        assert_eq!(reasons_of(&union[1..], &sent), [None, None]);
        let part = [v(
            &["request", "body", "ranges"],
            "type",
            "Request body property ranges must be array",
        )];
        assert!(super::reasons(&part, None, Sent::Multipart)[0].is_some());
        assert_eq!(
            super::reasons(&part, None, Sent::Other)[0],
            None,
            "not multipart"
        );
        // A tagged union's part, read as text: its `oneOf` complaint
        // follows, but not one about a part Prism did not read as text.
        let union_part = [
            v(
                &["request", "body", "output_format"],
                "type",
                "Request body property output_format must be object",
            ),
            v(
                &["request", "body", "output_format"],
                "oneOf",
                "Request body property output_format must match exactly one schema in oneOf",
            ),
            v(
                &["request", "body", "other"],
                "oneOf",
                "Request body property other must match exactly one schema in oneOf",
            ),
        ];
        let reasons = super::reasons(&union_part, None, Sent::Multipart);
        assert_eq!(reasons[..2], [Some(PART_AS_TEXT); 2], "{reasons:?}");
        assert_eq!(reasons[2], None);
        // A multipart body whose schema is a string (Zoo's uploads).
        let whole = [v(
            &["request", "body"],
            "type",
            "Request body must be string",
        )];
        assert_eq!(
            super::reasons(&whole, None, Sent::Multipart),
            [Some(MULTIPART_NOT_OBJECT)]
        );
        assert_eq!(
            super::reasons(&whole, None, Sent::Other),
            [None],
            "not multipart"
        );
        // An XML body Prism read as a string (OBS's), and a JSON one.
        let xml = [v(
            &["request", "body"],
            "type",
            "Request body must be object",
        )];
        assert_eq!(super::reasons(&xml, None, Sent::Xml), [Some(XML_AS_TEXT)]);
        assert_eq!(super::reasons(&xml, None, Sent::Other), [None], "not XML");
        assert_eq!(
            super::Sent::of(Some("application/xml; charset=utf-8")),
            Sent::Xml
        );
    }

    fn reasons_of(violations: &[Value], sent: &Value) -> Vec<Option<&'static str>> {
        reasons(violations, Some(sent), Sent::Other)
    }

    #[test]
    fn a_report_is_counted_and_its_faults_told_apart() {
        let money = r#"[{"location":["request","body","total"],"severity":"Error","code":"type","message":"Request body property total must be number"}]"#;
        let style = r#"[{"location":["request","query","tags"],"severity":"Error","code":"type","message":"Request query parameter tags must be array"}]"#;
        let report = [
            line("a", "decoded", "", None),
            line("b", "rejected", money, Some(r#"{"total":"12.50"}"#)),
            line("c", "rejected", money, Some(r#"{"total":true}"#)),
            line("d", "rejected", style, None),
            line("e", "not-called", "no value", None),
            line("f", "undecoded", "does not decode at `/x`", None),
            line("g", "broken-answer", "bad example", None),
            line("h", "undecoded", "does not decode at `/bad`", None),
        ]
        .join("\n");
        let mut broken = |_: &str, _: u16, body: &Value| {
            body.get("bad").map(|_| "`bad` is not allowed".to_owned())
        };
        let run = CallRun::judge(&report, &mut broken);
        assert_eq!(
            (run.total, run.called, run.accepted, run.decoded),
            (8, 7, 5, 1)
        );
        let faults: Vec<&str> = run.faults.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(faults, ["c", "d", "f"]);
        let apart: Vec<&str> = run.apart.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(apart, ["b", "e", "g", "h"], "h's answer breaks its schema");
        assert!(
            run.faults[1].1.contains("request.query.tags"),
            "{:?}",
            run.faults
        );
        assert!(run.apart[0].1.contains("money"), "{:?}", run.apart);

        let mut run = run;
        let known = [
            ("x.json".to_owned(), "static".to_owned(), "c".to_owned()),
            ("x.json".to_owned(), "static".to_owned(), "a".to_owned()),
            ("x.json".to_owned(), "dynamic".to_owned(), "d".to_owned()),
        ];
        run.sort_known(&known, "x.json", Mode::Static);
        let faults: Vec<&str> = run.faults.iter().map(|(o, _)| o.as_str()).collect();
        assert_eq!(faults, ["d", "f"], "d is known only in the dynamic mode");
        assert_eq!(run.known.len(), 1);
        assert_eq!(run.fixed, ["a"], "a is listed and no longer fails");
    }
}

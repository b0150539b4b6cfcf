//! A fuzz/property test of the generator's contract: real specs are mutated
//! (keys dropped, types swapped, near-miss strings, duplicate operation ids,
//! names that collide in Rust, deep nesting, long `$ref` chains, `$ref` and
//! `allOf` cycles, odd strings, odd path templates and media types, extreme
//! numbers, subtrees grafted from elsewhere in the document), serialized as
//! JSON or YAML (now and then with the text itself changed: a byte-order mark,
//! CRLF, integer keys, special YAML scalars, truncation), and handed to
//! [`generate`]. For every case:
//!
//! 1. the generator does not panic (it runs under `catch_unwind` on a thread
//!    with an explicit 8 MiB stack; a stack overflow aborts the whole test
//!    binary, and the message names the thread, `fuzz <seed> <document>`);
//! 2. it does not return `Error::Internal`, and an `Error::Spec` has a
//!    non-empty message, at least one diagnostic, a file in every diagnostic,
//!    and 1-based lines and columns that are in the text;
//! 3. when it succeeds, every `src/*.rs` file parses with `syn`, and a second
//!    run on the same text gives byte-identical files.
//!
//! A separate test checks that shuffling the key order of every object in
//! each (unmutated) seed document does not change the generated files, for
//! JSON and for YAML text.
//!
//! The seed documents are `tests/fixtures/specs/*.yaml` (the OpenAPI 3.1
//! fixture among them), `spec/payments.yaml` and the small documents in
//! `corpus/progenitor/` and `corpus/openapi-3.1/`; the large ones
//! ([`LARGE_DOCUMENTS`]) are only used with `FUZZ_LONG=1`, being slow in a
//! debug build.
//!
//! The normal suite runs a fixed, deterministic number of cases. Knobs (all
//! environment variables):
//!
//! * `FUZZ_CASES=N`: the number of cases (default [`DEFAULT_CASES`]);
//! * `FUZZ_SEED=S`: the base seed, decimal or `0x` hex (default fixed); case
//!   `i` uses the seed `mix(mix(S) + i)` (the splitmix64 finalizer), printed
//!   with any failure;
//! * `FUZZ_LONG=1`: also use the large corpus documents (in both tests);
//! * `FUZZ_REPRO=0x…`: run the one case with that (case) seed, with the same
//!   `FUZZ_LONG` as the run that printed it;
//! * `FUZZ_JOBS=N`: worker threads (default: the number of CPUs);
//! * `FUZZ_SKIP=0x…,0x…`: case seeds to leave out, e.g. known stack
//!   overflows, which abort the run, so that a long run can go on past them;
//! * `FUZZ_MINIMIZE=1`: for the first failure of each kind, greedily delete
//!   parts of the mutated document while the failure stays the same, and save
//!   the result next to it as `<seed>.min.<ext>`;
//! * `FUZZ_STATS=1`: also print the commonest reasons for rejection (to see
//!   what the mutations mostly exercise).
//!
//! A failing case's text is written to `target/fuzz-failures/<seed>.json` or
//! `.yaml` (under the workspace root). The run collects every failure and
//! fails once at the end with the list; a summary line is always printed to
//! stderr (`--nocapture` shows it).
//!
//! The long version (four minutes or so on two cores, most of it on the two
//! large documents):
//!
//! ```text
//! FUZZ_CASES=20000 FUZZ_LONG=1 cargo test --release -p codegen-tests --test fuzz -- --nocapture
//! ```
//!
//! and with another base seed each time (`FUZZ_SEED=$RANDOM`) to explore.

use openapi_codegen::{Config, Error, Generated, generate};
use serde_json::{Map, Value, json};
use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::Once;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

/// Cases in the normal (debug) suite.
const DEFAULT_CASES: usize = 4000;
/// The base seed of the normal suite.
const DEFAULT_SEED: u64 = 0x0A9E_2C0D_E6E2_F022;
/// The stack of the thread `generate` runs on.
const GENERATE_STACK: usize = 8 << 20;
/// The stack of the threads that mutate, serialize and check (the test's own
/// code must not be what overflows).
const WORKER_STACK: usize = 256 << 20;
/// Corpus documents too big for the default (debug) run.
const LARGE_DOCUMENTS: &[&str] = &[
    "api.github.com.json",
    "nexus.json",
    "flagsmith__flagsmith-api__v1.yaml",
    "frigate__frigate-api__0.1.0.yaml",
    "adyen__marketpay-notifications__6.yaml",
];

// ---------------------------------------------------------------------------
// A tiny PRNG.

/// The splitmix64 finalizer.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// splitmix64.
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    /// Uniform in `0..n`; `n > 0`.
    fn below(&mut self, n: usize) -> usize {
        assert!(n > 0);
        (self.next() % n as u64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `percent`/100.
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

/// The seed of case `index`. The base is mixed first, so that the runs of
/// neighbouring base seeds do not share cases.
fn case_seed(base: u64, index: usize) -> u64 {
    mix(mix(base).wrapping_add(index as u64))
}

fn hash_str(s: &str) -> u64 {
    s.bytes().fold(0xCBF2_9CE4_8422_2325, |h, b| {
        (h ^ b as u64).wrapping_mul(0x100_0000_01B3)
    })
}

// ---------------------------------------------------------------------------
// Seed documents.

struct Document {
    /// Where it came from, relative to the workspace root.
    name: String,
    value: Value,
}

fn workspace_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ is in the workspace")
}

fn parse_text(text: &str) -> Result<Value, String> {
    if text.trim_start().starts_with('{') {
        serde_json::from_str(text).map_err(|e| e.to_string())
    } else {
        serde_yaml::from_str(text).map_err(|e| e.to_string())
    }
}

fn seed_documents(long: bool) -> Vec<Document> {
    let root = workspace_root();
    let mut paths: Vec<PathBuf> = Vec::new();
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(root.join("tests/fixtures/specs"))
        .expect("tests/fixtures/specs is readable")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .collect();
    fixtures.sort();
    paths.extend(fixtures);
    paths.push(root.join("spec/payments.yaml"));
    let mut corpus: Vec<PathBuf> = ["corpus/progenitor", "corpus/openapi-3.1"]
        .iter()
        .flat_map(|folder| {
            std::fs::read_dir(root.join(folder))
                .unwrap_or_else(|e| panic!("{folder} is readable: {e}"))
        })
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json" || e == "yaml"))
        .filter(|p| {
            long || !LARGE_DOCUMENTS
                .iter()
                .any(|l| p.file_name().is_some_and(|f| f == *l))
        })
        .collect();
    corpus.sort();
    paths.extend(corpus);
    paths
        .into_iter()
        .filter_map(|path| {
            let name = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            match parse_text(&text) {
                Ok(value) => Some(Document { name, value }),
                Err(e) => {
                    eprintln!("fuzz: skipping {name}: it does not parse ({e})");
                    None
                }
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------
// Paths into a value.

#[derive(Clone, Debug)]
enum Seg {
    Key(String),
    Index(usize),
}

#[derive(Clone, Copy, Debug)]
enum SegRef<'a> {
    Key(&'a str),
    Index(usize),
}

fn owned(path: &[SegRef<'_>]) -> Vec<Seg> {
    path.iter()
        .map(|s| match s {
            SegRef::Key(k) => Seg::Key((*k).to_owned()),
            SegRef::Index(i) => Seg::Index(*i),
        })
        .collect()
}

/// `#/a/0/b`, escaped as a JSON pointer.
fn pointer(path: &[Seg]) -> String {
    let mut out = String::from("#");
    for s in path {
        out.push('/');
        match s {
            Seg::Key(k) => out.push_str(&k.replace('~', "~0").replace('/', "~1")),
            Seg::Index(i) => out.push_str(&i.to_string()),
        }
    }
    out
}

fn get_mut<'a>(mut v: &'a mut Value, path: &[Seg]) -> Option<&'a mut Value> {
    for s in path {
        v = match s {
            Seg::Key(k) => v.as_object_mut()?.get_mut(k)?,
            Seg::Index(i) => v.as_array_mut()?.get_mut(*i)?,
        };
    }
    Some(v)
}

fn get<'a>(mut v: &'a Value, path: &[Seg]) -> Option<&'a Value> {
    for s in path {
        v = match s {
            Seg::Key(k) => v.as_object()?.get(k)?,
            Seg::Index(i) => v.as_array()?.get(*i)?,
        };
    }
    Some(v)
}

/// Calls `f` on every node, parents first.
fn walk<'a>(v: &'a Value, path: &mut Vec<SegRef<'a>>, f: &mut dyn FnMut(&[SegRef<'a>], &'a Value)) {
    f(path, v);
    match v {
        Value::Object(m) => {
            for (k, c) in m {
                path.push(SegRef::Key(k));
                walk(c, path, f);
                path.pop();
            }
        }
        Value::Array(a) => {
            for (i, c) in a.iter().enumerate() {
                path.push(SegRef::Index(i));
                walk(c, path, f);
                path.pop();
            }
        }
        _ => {}
    }
}

/// A node for which `pred` holds, uniformly (reservoir sampling).
fn sample(
    root: &Value,
    rng: &mut Rng,
    pred: impl Fn(&[SegRef<'_>], &Value) -> bool,
) -> Option<Vec<Seg>> {
    let mut seen = 0u64;
    let mut chosen = None;
    walk(root, &mut Vec::new(), &mut |p, v| {
        if pred(p, v) {
            seen += 1;
            if rng.next() % seen == 0 {
                chosen = Some(owned(p));
            }
        }
    });
    chosen
}

fn last_key<'a>(p: &[SegRef<'a>]) -> Option<&'a str> {
    match p.last() {
        Some(SegRef::Key(k)) => Some(k),
        _ => None,
    }
}

/// Whether a schema is (probably) expected at `p`.
fn is_schema_position(p: &[SegRef<'_>]) -> bool {
    matches!(
        p,
        [
            ..,
            SegRef::Key("schema" | "items" | "additionalProperties" | "not")
        ] | [.., SegRef::Key("properties"), SegRef::Key(_)]
            | [
                SegRef::Key("components"),
                SegRef::Key("schemas"),
                SegRef::Key(_)
            ]
            | [
                ..,
                SegRef::Key("allOf" | "oneOf" | "anyOf"),
                SegRef::Index(_)
            ]
    )
}

/// Maps whose keys become Rust names.
const NAME_MAPS: &[&str] = &[
    "properties",
    "schemas",
    "parameters",
    "responses",
    "requestBodies",
    "headers",
    "securitySchemes",
    "mapping",
    "content",
    "variables",
];

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Renames `old` in place (same position); an existing `new` is replaced.
fn rename_key(m: &mut Map<String, Value>, old: &str, new: &str) {
    for (k, v) in std::mem::take(m) {
        if k == old {
            m.insert(new.to_owned(), v);
        } else {
            m.insert(k, v);
        }
    }
}

// ---------------------------------------------------------------------------
// Strings.

const ODD_STRINGS: &[&str] = &[
    "",
    " ",
    ".",
    "..",
    "...",
    "{",
    "}",
    "{}",
    "{id}",
    "}{",
    "/",
    "//",
    "/{",
    "type",
    "self",
    "Self",
    "super",
    "crate",
    "r#fn",
    "r#type",
    "fn",
    "async",
    "await",
    "dyn",
    "try",
    "union",
    "macro_rules",
    "_",
    "__",
    "-",
    "0",
    "1",
    "123abc",
    "9lives",
    "日本語",
    "ü",
    "ñandú",
    "🦀",
    "\u{200b}",
    "\u{202e}abc",
    "a\nb",
    "line\r\nbreak",
    "\"",
    "\\",
    "*/",
    "/*",
    "///",
    "#",
    "#[doc = \"x\"]",
    "'",
    "`",
    "$",
    "a b",
    "Ω",
    "İstanbul",
    "ß",
    "ǅ",
    "\t",
    "\u{0}",
    "\u{feff}x",
    "a::b",
    "<T>",
    "Result",
    "Option",
    "String",
    "Vec",
    "Box",
    "std",
    "core",
    "serde",
    "Error",
    "Client",
    "None",
    "Some",
    "Ok",
    "Err",
    "Default",
    "mod",
    "types",
    "client",
    "lib",
    "main",
    "null",
    "true",
    "~",
    "~1",
    "%20",
    "\u{7f}",
    "😀😀",
    "ﬁ",
    "Ⅻ",
    "𝔘𝔫𝔦",
    "Σ",
    "ς",
    "A-B",
    "a_b",
    "a-b",
    "AB",
    "aB",
    "Ab",
    "a.b",
    "a+b",
    "+1",
    "-1",
    "1.5",
    "e",
    "NaN",
    "inf",
    "```rust\nfn main() {}",
    "[link](http://x)",
    "<script>",
    "&amp;",
    "\\u0000",
];

fn random_unicode(rng: &mut Rng) -> String {
    const RANGES: &[(u32, u32)] = &[
        (0x20, 0x7e),
        (0x00, 0x1f),
        (0xa0, 0x24f),
        (0x300, 0x36f),
        (0x370, 0x3ff),
        (0x590, 0x6ff),
        (0x2000, 0x206f),
        (0x3040, 0x30ff),
        (0x4e00, 0x4fff),
        (0xfe00, 0xfe0f),
        (0x1f300, 0x1f64f),
        (0x1d400, 0x1d4ff),
    ];
    let n = rng.range(1, 24);
    (0..n)
        .filter_map(|_| {
            let (lo, hi) = *rng.pick(RANGES);
            char::from_u32(lo + rng.below((hi - lo + 1) as usize) as u32)
        })
        .collect()
}

fn odd_string(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => {
            let piece = *rng.pick(&["a", "日", "🦀", "_", "A", "{", "é", " "]);
            piece.repeat(rng.range(100, 20_000))
        }
        1 | 2 => random_unicode(rng),
        _ => (*rng.pick(ODD_STRINGS)).to_owned(),
    }
}

/// The words of a name: split at non-alphanumerics and at lower→upper.
fn words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for c in s.chars() {
        if !c.is_alphanumeric() {
            if !cur.is_empty() {
                out.push(std::mem::take(&mut cur));
            }
            prev_lower = false;
            continue;
        }
        if c.is_uppercase() && prev_lower && !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
        prev_lower = c.is_lowercase() || c.is_numeric();
        cur.push(c);
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

fn capitalize(w: &str) -> String {
    let lower = w.to_lowercase();
    let mut cs = lower.chars();
    match cs.next() {
        Some(c) => c.to_uppercase().chain(cs).collect(),
        None => String::new(),
    }
}

/// Other spellings of `s` that (probably) become the same Rust name.
fn colliding_variants(s: &str) -> Vec<String> {
    let ws = words(s);
    let mut out = if ws.is_empty() {
        vec![format!("{s}_"), format!("_{s}"), format!("{s} ")]
    } else {
        let lower: Vec<String> = ws.iter().map(|w| w.to_lowercase()).collect();
        let pascal: String = ws.iter().map(|w| capitalize(w)).collect();
        let camel = format!(
            "{}{}",
            lower[0],
            ws[1..].iter().map(|w| capitalize(w)).collect::<String>()
        );
        vec![
            lower.join("_"),
            lower.join("-"),
            pascal,
            camel,
            lower.join("_").to_uppercase(),
            lower.join(" "),
            lower.join("."),
            format!("{}_", lower.join("_")),
            format!("_{}", lower.join("_")),
            format!("{s}!"),
        ]
    };
    // Spellings that only differ outside ASCII (names are spelled in ASCII).
    if let Some(i) = s.find(|c: char| "aeiouAEIOU".contains(c)) {
        let accented = match &s[i..i + 1] {
            "a" => "á",
            "e" => "é",
            "i" => "ï",
            "o" => "ö",
            "u" => "ü",
            "A" => "Á",
            "E" => "É",
            "I" => "Ï",
            "O" => "Ö",
            _ => "Ü",
        };
        out.push(format!("{}{accented}{}", &s[..i], &s[i + 1..]));
    }
    if s.contains("ss") {
        out.push(s.replacen("ss", "ß", 1));
    }
    out.push(format!("{s}🦀"));
    out.retain(|v| v != s);
    out.dedup();
    if out.is_empty() {
        out.push(format!("{s}_"));
    }
    out
}

/// A small edit of `s`.
fn edit(s: &str, rng: &mut Rng) -> String {
    let mut cs: Vec<char> = s.chars().collect();
    match rng.below(6) {
        0 if !cs.is_empty() => {
            cs.remove(rng.below(cs.len()));
        }
        1 if !cs.is_empty() => {
            let i = rng.below(cs.len());
            cs.insert(i, cs[i]);
        }
        2 if cs.len() >= 2 => {
            let i = rng.below(cs.len() - 1);
            cs.swap(i, i + 1);
        }
        3 => {
            return if s.chars().any(char::is_lowercase) {
                s.to_uppercase()
            } else {
                s.to_lowercase()
            };
        }
        4 => return format!(" {s}"),
        _ => cs.push(*rng.pick(&['x', ' ', '/', '}', '~', 's'])),
    }
    cs.into_iter().collect()
}

/// A string close to `s`, knowing it is the value of `key`.
fn near_miss(key: Option<&str>, s: &str, rng: &mut Rng) -> String {
    if rng.chance(25) {
        return edit(s, rng);
    }
    match key {
        Some("type") => (*rng.pick(&[
            "strin", "integr", "objekt", "arry", "Number", "Boolean", "", "null", "any", "file",
            "int", "string ", " string", "STRING", "date", "integer", "number", "object", "array",
            "boolean", "string",
        ]))
        .to_owned(),
        Some("$ref") => {
            let name = s.rsplit('/').next().unwrap_or("X");
            match rng.below(20) {
                0 => format!("#/components/schemas/{name}Missing"),
                1 => format!("other.yaml#/components/schemas/{name}"),
                2 => "other.yaml#/X".to_owned(),
                3 => "http://x/y".to_owned(),
                4 => "https://example.com/schemas.json#/Foo".to_owned(),
                5 => format!("#/components/responses/{name}"),
                6 => format!("#/components/parameters/{name}"),
                7 => format!("{s}/properties/id"),
                8 => "#".to_owned(),
                9 => String::new(),
                10 => "#/".to_owned(),
                11 => "#/components/schemas".to_owned(),
                12 => format!("{s}/"),
                13 => s.trim_start_matches('#').to_owned(),
                14 => "#/components/schemas/a~1b".to_owned(),
                15 => "#/components/schemas/~2".to_owned(),
                16 => "#/components/schemas/%7Bx%7D".to_owned(),
                17 => {
                    "#/paths/~1pets/get/responses/200/content/application~1json/schema".to_owned()
                }
                18 => format!("#/components/schemas/{}", name.to_lowercase()),
                _ => format!("{s}#/{name}"),
            }
        }
        Some("format") => (*rng.pick(&[
            "int128",
            "date-time ",
            "uuidx",
            "decimal",
            "binary",
            "byte",
            "float",
            "double",
            "int8",
            "",
            "uint64",
            "int64",
            "int32",
            "date",
            "date-time",
            "uuid",
            "password",
            "email",
            "uri",
            "ipv4",
            "time",
            "duration",
        ]))
        .to_owned(),
        Some("in") => (*rng.pick(&[
            "query ", "body", "formData", "cookie", "header", "path", "Path", "query", "",
        ]))
        .to_owned(),
        Some("style") => (*rng.pick(&[
            "form",
            "simple",
            "deepObject",
            "matrix",
            "label",
            "spaceDelimited",
            "pipeDelimited",
            "nope",
        ]))
        .to_owned(),
        Some("openapi") => (*rng.pick(&[
            "3.0",
            "3.1.0",
            "3.1.1",
            "3.2.0",
            "2.0",
            "3.0.99",
            "3",
            "3.0.0-rc1",
            "",
            "3.0.3",
            "3.0.0",
            "4.0.0",
        ]))
        .to_owned(),
        Some("operationId" | "name" | "title" | "propertyName" | "required" | "enum") => {
            if rng.chance(50) {
                rng.pick(&colliding_variants(s)).clone()
            } else {
                odd_string(rng)
            }
        }
        _ => edit(s, rng),
    }
}

// ---------------------------------------------------------------------------
// Mutations. Each returns what it did, or `None` where it does not apply.

type Mutation = fn(&mut Value, &mut Rng) -> Option<String>;

const MUTATIONS: &[(&str, Mutation)] = &[
    ("drop-key", drop_key),
    ("swap-type", swap_type),
    ("near-miss", near_miss_string),
    ("duplicate-operation-id", duplicate_operation_id),
    ("rename-collide", rename_collide),
    ("deep-nest", deep_nest),
    ("ref-chain", ref_chain),
    ("cycle", make_cycle),
    ("self-pointer", self_pointer),
    ("odd-string", odd_string_mutation),
    ("path-template", path_template),
    ("extreme-number", extreme_number),
    ("media-type", media_type),
    ("graft", graft),
];

fn drop_key(doc: &mut Value, rng: &mut Rng) -> Option<String> {
    let p = sample(doc, rng, |_, v| {
        v.as_object().is_some_and(|m| !m.is_empty())
    })?;
    let m = get_mut(doc, &p)?.as_object_mut()?;
    let k = m.keys().nth(rng.below(m.len()))?.clone();
    m.shift_remove(&k);
    Some(format!("drop key {:?} at {}", k, pointer(&p)))
}

fn kind_of(v: &Value) -> usize {
    match v {
        Value::String(_) => 0,
        Value::Number(_) => 1,
        Value::Bool(_) => 2,
        Value::Null => 3,
        Value::Array(_) => 4,
        Value::Object(_) => 5,
    }
}

const KIND_NAMES: [&str; 6] = ["string", "number", "bool", "null", "array", "object"];

fn swap_type(doc: &mut Value, rng: &mut Rng) -> Option<String> {
    let p = sample(doc, rng, |p, _| !p.is_empty())?;
    let slot = get_mut(doc, &p)?;
    let old = slot.take();
    let from = kind_of(&old);
    let to = (from + rng.range(1, 5)) % 6;
    let new = match to {
        0 => Value::String(match &old {
            Value::Number(n) => n.to_string(),
            Value::Bool(b) => b.to_string(),
            _ => (*rng.pick(&["", "x", "true", "0", "{}", "null", "string"])).to_owned(),
        }),
        1 => rng
            .pick(&[
                json!(0),
                json!(1),
                json!(-1),
                json!(2.5),
                json!(1e300),
                json!(-1e-300),
                json!(u64::MAX),
                json!(i64::MIN),
                json!(4_294_967_296u64),
                json!(65536),
            ])
            .clone(),
        2 => Value::Bool(rng.chance(50)),
        3 => Value::Null,
        4 => {
            if rng.chance(50) {
                Value::Array(vec![old])
            } else {
                Value::Array(Vec::new())
            }
        }
        _ => {
            if rng.chance(50) {
                json!({ "value": old })
            } else {
                Value::Object(Map::new())
            }
        }
    };
    *slot = new;
    Some(format!(
        "swap type at {}: {} → {}",
        pointer(&p),
        KIND_NAMES[from],
        KIND_NAMES[to]
    ))
}

const INTERESTING_STRING_KEYS: &[&str] = &[
    "type",
    "$ref",
    "format",
    "in",
    "style",
    "openapi",
    "operationId",
    "name",
    "propertyName",
    "title",
    "required",
    "enum",
    "mapping",
];

/// The key a string is the value of, or (in a list) the list is the value of.
fn string_key<'a>(p: &[SegRef<'a>]) -> Option<&'a str> {
    match p {
        [.., SegRef::Key(k)] | [.., SegRef::Key(k), SegRef::Index(_)] => Some(k),
        _ => None,
    }
}

fn near_miss_string(doc: &mut Value, rng: &mut Rng) -> Option<String> {
    let interesting = rng.chance(75);
    let p = sample(doc, rng, |p, v| {
        v.is_string()
            && (!interesting || string_key(p).is_some_and(|k| INTERESTING_STRING_KEYS.contains(&k)))
    })?;
    let key = match p.as_slice() {
        [.., Seg::Key(k)] | [.., Seg::Key(k), Seg::Index(_)] => Some(k.clone()),
        _ => None,
    };
    let slot = get_mut(doc, &p)?;
    let old = slot.as_str()?.to_owned();
    let new = near_miss(key.as_deref(), &old, rng);
    *slot = Value::String(new.clone());
    Some(format!(
        "near-miss at {}: {:?} → {:?}",
        pointer(&p),
        old,
        clip(&new)
    ))
}

/// The operations: `(path, method)`.
fn operations(doc: &Value) -> Vec<(String, String)> {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (path, item) in paths {
        if let Some(item) = item.as_object() {
            for (method, op) in item {
                if METHODS.contains(&method.as_str()) && op.is_object() {
                    out.push((path.clone(), method.clone()));
                }
            }
        }
    }
    out
}

fn duplicate_operation_id(doc: &mut Value, rng: &mut Rng) -> Option<String> {
    let ops = operations(doc);
    if ops.len() < 2 {
        return None;
    }
    let a = rng.below(ops.len());
    let b = (a + rng.range(1, ops.len() - 1)) % ops.len();
    let (pa, ma) = &ops[a];
    let (pb, mb) = &ops[b];
    let id = match doc["paths"][pa][ma]
        .get("operationId")
        .and_then(Value::as_str)
    {
        Some(id) => id.to_owned(),
        None => {
            let id = "sharedOperation".to_owned();
            doc["paths"][pa][ma]
                .as_object_mut()?
                .insert("operationId".into(), Value::String(id.clone()));
            id
        }
    };
    let new = if rng.chance(50) {
        id.clone()
    } else {
        rng.pick(&colliding_variants(&id)).clone()
    };
    doc["paths"][pb][mb]
        .as_object_mut()?
        .insert("operationId".into(), Value::String(new.clone()));
    Some(format!(
        "operationId of {} {} ({:?}) onto {} {} as {:?}",
        ma, pa, id, mb, pb, new
    ))
}

fn rename_collide(doc: &mut Value, rng: &mut Rng) -> Option<String> {
    match rng.below(5) {
        // Another value in an `enum` that spells the same variant.
        0 => {
            let p = sample(doc, rng, |p, v| {
                last_key(p) == Some("enum")
                    && v.as_array().is_some_and(|a| a.iter().any(Value::is_string))
            })?;
            let a = get_mut(doc, &p)?.as_array_mut()?;
            let strings: Vec<String> = a
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect();
            let s = rng.pick(&strings).clone();
            let v = rng.pick(&colliding_variants(&s)).clone();
            let at = rng.below(a.len() + 1);
            a.insert(at, Value::String(v.clone()));
            Some(format!(
                "enum value {:?} next to {:?} at {}",
                v,
                s,
                pointer(&p)
            ))
        }
        // Another parameter whose name spells the same field.
        1 => {
            let p = sample(doc, rng, |p, v| {
                last_key(p) == Some("parameters")
                    && v.as_array().is_some_and(|a| {
                        a.iter()
                            .any(|x| x.get("name").is_some_and(Value::is_string))
                    })
            })?;
            let a = get_mut(doc, &p)?.as_array_mut()?;
            let named: Vec<usize> = (0..a.len())
                .filter(|&i| a[i].get("name").is_some_and(Value::is_string))
                .collect();
            let i = *rng.pick(&named);
            let mut copy = a[i].clone();
            let name = copy["name"].as_str()?.to_owned();
            let v = if rng.chance(40) {
                if rng.chance(50) {
                    copy["in"] = json!(*rng.pick(&["query", "header", "path", "cookie"]));
                }
                name.clone()
            } else {
                rng.pick(&colliding_variants(&name)).clone()
            };
            copy["name"] = Value::String(v.clone());
            a.push(copy);
            Some(format!(
                "parameter {:?} next to {:?} at {}",
                v,
                name,
                pointer(&p)
            ))
        }
        // A key in a map of names.
        _ => {
            let p = sample(doc, rng, |p, v| {
                last_key(p).is_some_and(|k| NAME_MAPS.contains(&k))
                    && v.as_object().is_some_and(|m| !m.is_empty())
            })?;
            let m = get_mut(doc, &p)?.as_object_mut()?;
            let keys: Vec<String> = m.keys().cloned().collect();
            let k = rng.pick(&keys).clone();
            let v = rng.pick(&colliding_variants(&k)).clone();
            if keys.len() >= 2 && rng.chance(50) {
                // Rename another key to a spelling of this one.
                let other = loop {
                    let o = rng.pick(&keys);
                    if *o != k {
                        break o.clone();
                    }
                };
                rename_key(m, &other, &v);
                Some(format!(
                    "rename {:?} to {:?} (next to {:?}) at {}",
                    other,
                    v,
                    k,
                    pointer(&p)
                ))
            } else {
                let copy = m[&k].clone();
                m.insert(v.clone(), copy);
                Some(format!("copy {:?} as {:?} at {}", k, v, pointer(&p)))
            }
        }
    }
}

/// How many levels to nest. The loader refuses text nested deeper than 128
/// levels (each level here is two or three), so most stay below that.
fn nesting_depth(rng: &mut Rng) -> usize {
    match rng.below(20) {
        0..12 => rng.range(1, 30),
        12..17 => rng.range(31, 64),
        _ => rng.range(65, 300),
    }
}

/// A chain of components, each referring to the next: deep for the
/// generator, shallow in the text (which the loader's limit does not stop).
fn ref_chain(doc: &mut Value, rng: &mut Rng) -> Option<String> {
    let n = match rng.below(10) {
        0..5 => rng.range(2, 50),
        5..8 => rng.range(51, 300),
        _ => rng.range(301, 2000),
    };
    let kind = *rng.pick(&["schemas", "schemas", "schemas", "parameters", "responses"]);
    let style = rng.below(6);
    let components = doc
        .as_object_mut()?
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()?;
    let map = components
        .entry(kind)
        .or_insert_with(|| json!({}))
        .as_object_mut()?;
    // The end of the chain: an existing component, or a plain one.
    let names: Vec<String> = map.keys().cloned().collect();
    let end = if !names.is_empty() && rng.chance(70) {
        rng.pick(&names).clone()
    } else {
        let end = "ChainEnd".to_owned();
        let plain = match kind {
            "schemas" => json!({ "type": "string" }),
            "parameters" => {
                json!({ "name": "chained", "in": "query", "schema": { "type": "string" } })
            }
            _ => json!({ "description": "the end of a chain" }),
        };
        map.insert(end.clone(), plain);
        end
    };
    let escape = |n: &str| n.replace('~', "~0").replace('/', "~1");
    let mut target = format!("#/components/{kind}/{}", escape(&end));
    for i in (0..n).rev() {
        let r = json!({ "$ref": target });
        let link = if kind != "schemas" {
            r
        } else {
            match style {
                0 => r,
                1 => json!({ "allOf": [r] }),
                2 => json!({ "type": "array", "items": r }),
                3 => json!({ "type": "object", "required": ["next"], "properties": { "next": r } }),
                4 => json!({ "type": "object", "additionalProperties": r }),
                _ => json!({ "oneOf": [r, { "type": "integer" }] }),
            }
        };
        let name = format!("Chain{i}");
        map.insert(name.clone(), link);
        target = format!("#/components/{kind}/{name}");
    }
    // Make something use the start of the chain, now and then.
    if kind == "schemas" && rng.chance(50) {
        let p = sample(doc, rng, |p, v| v.is_object() && is_schema_position(p))?;
        *get_mut(doc, &p)? = json!({ "$ref": target });
        return Some(format!(
            "{n} {kind} ({style}) chained to {end:?}, used at {}",
            pointer(&p)
        ));
    }
    Some(format!("{n} {kind} ({style}) chained to {end:?}"))
}

/// A `$ref` somewhere that points at the object it is in, or at one of its
/// ancestors (not necessarily under `components`).
fn self_pointer(doc: &mut Value, rng: &mut Rng) -> Option<String> {
    let p = sample(doc, rng, |p, v| {
        v.is_object() && !p.is_empty() && is_schema_position(p)
    })?;
    let up = rng.below(p.len().min(4));
    let target = pointer(&p[..p.len() - up]);
    *get_mut(doc, &p)? = json!({ "$ref": target });
    Some(format!("{} is a $ref to {}", pointer(&p), target))
}

fn deep_nest(doc: &mut Value, rng: &mut Rng) -> Option<String> {
    let p = sample(doc, rng, |p, v| v.is_object() && is_schema_position(p))?;
    let n = nesting_depth(rng);
    let style = rng.below(7);
    const STYLES: [&str; 7] = [
        "items",
        "allOf",
        "properties",
        "additionalProperties",
        "oneOf",
        "anyOf",
        "mixed",
    ];
    let slot = get_mut(doc, &p)?;
    let mut inner = slot.take();
    for _ in 0..n {
        let s = if style == 6 { rng.below(6) } else { style };
        inner = match s {
            0 => json!({ "type": "array", "items": inner }),
            1 => json!({ "allOf": [inner] }),
            2 => {
                if rng.chance(50) {
                    json!({ "type": "object", "required": ["x"], "properties": { "x": inner } })
                } else {
                    json!({ "type": "object", "properties": { "x": inner } })
                }
            }
            3 => json!({ "type": "object", "additionalProperties": inner }),
            4 => json!({ "oneOf": [inner, { "type": "string" }] }),
            _ => json!({ "anyOf": [inner] }),
        };
    }
    *slot = inner;
    Some(format!(
        "nest {} {} levels deep ({})",
        pointer(&p),
        n,
        STYLES[style]
    ))
}

fn make_cycle(doc: &mut Value, rng: &mut Rng) -> Option<String> {
    let kind = *rng.pick(&[
        "schemas",
        "schemas",
        "schemas",
        "schemas",
        "schemas",
        "parameters",
        "responses",
        "requestBodies",
        "headers",
    ]);
    let components = doc
        .as_object_mut()?
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()?;
    let map = components
        .entry(kind)
        .or_insert_with(|| json!({}))
        .as_object_mut()?;
    if map.is_empty() {
        map.insert("Loop".into(), json!({ "type": "object" }));
    }
    let names: Vec<String> = map.keys().cloned().collect();
    let x = rng.pick(&names).clone();
    let y = if names.len() >= 2 && rng.chance(70) {
        loop {
            let y = rng.pick(&names);
            if *y != x {
                break y.clone();
            }
        }
    } else {
        let y = format!("{x}Loop");
        map.insert(y.clone(), json!({ "type": "object" }));
        y
    };
    let escape = |n: &str| n.replace('~', "~0").replace('/', "~1");
    let rx = json!({ "$ref": format!("#/components/{kind}/{}", escape(&x)) });
    let ry = json!({ "$ref": format!("#/components/{kind}/{}", escape(&y)) });
    if kind != "schemas" {
        return if rng.chance(50) {
            map.insert(x.clone(), rx);
            Some(format!("{kind}/{x} refers to itself"))
        } else {
            map.insert(x.clone(), ry);
            map.insert(y.clone(), rx);
            Some(format!("{kind}/{x} and {kind}/{y} refer to each other"))
        };
    }
    let old_x = map[&x].clone();
    let old_y = map[&y].clone();
    let what = match rng.below(8) {
        0 => {
            map.insert(x.clone(), rx);
            format!("schemas/{x} is a $ref to itself")
        }
        1 => {
            map.insert(x.clone(), json!({ "allOf": [rx, old_x] }));
            format!("schemas/{x} is allOf itself")
        }
        2 => {
            map.insert(x.clone(), json!({ "allOf": [ry, old_x] }));
            map.insert(y.clone(), json!({ "allOf": [rx, old_y] }));
            format!("schemas/{x} and schemas/{y} are allOf each other")
        }
        3 => {
            map.insert(x.clone(), ry);
            map.insert(y.clone(), rx);
            format!("schemas/{x} and schemas/{y} are $refs to each other")
        }
        4 => {
            let mut s = match old_x {
                Value::Object(m) => m,
                _ => Map::new(),
            };
            s.insert("type".into(), json!("object"));
            let props = s.entry("properties").or_insert_with(|| json!({}));
            if let Some(props) = props.as_object_mut() {
                props.insert("me".into(), rx);
            }
            let req = s.entry("required").or_insert_with(|| json!([]));
            if let Some(req) = req.as_array_mut() {
                req.push(json!("me"));
            }
            map.insert(x.clone(), Value::Object(s));
            format!("schemas/{x} has a required property of its own type")
        }
        5 => {
            map.insert(x.clone(), json!({ "oneOf": [rx, { "type": "string" }] }));
            format!("schemas/{x} is oneOf itself or a string")
        }
        6 => {
            map.insert(
                x.clone(),
                json!({ "type": "object", "additionalProperties": rx }),
            );
            format!("schemas/{x} is a map of itself")
        }
        _ => {
            // Somewhere inside X (or X itself), a reference back to X.
            let base = vec![
                Seg::Key("components".into()),
                Seg::Key("schemas".into()),
                Seg::Key(x.clone()),
            ];
            let sub = get(doc, &base)?;
            let inner = sample(sub, rng, |p, v| {
                v.is_object() && (p.is_empty() || is_schema_position(p))
            })?;
            let mut full = base;
            full.extend(inner);
            let wrapped = if rng.chance(50) {
                json!({ "allOf": [rx] })
            } else {
                rx
            };
            *get_mut(doc, &full)? = wrapped;
            return Some(format!("{} refers back to schemas/{x}", pointer(&full)));
        }
    };
    Some(what)
}

fn odd_string_mutation(doc: &mut Value, rng: &mut Rng) -> Option<String> {
    let new = odd_string(rng);
    if rng.chance(50) {
        let p = sample(doc, rng, |p, v| v.is_string() && !p.is_empty())?;
        let slot = get_mut(doc, &p)?;
        let old = slot.as_str()?.to_owned();
        *slot = Value::String(new.clone());
        Some(format!(
            "string at {}: {:?} → {:?}",
            pointer(&p),
            clip(&old),
            clip(&new)
        ))
    } else {
        let in_name_map = rng.chance(60);
        let p = sample(doc, rng, |p, v| {
            v.as_object().is_some_and(|m| !m.is_empty())
                && (!in_name_map
                    || last_key(p).is_some_and(|k| NAME_MAPS.contains(&k) || k == "paths"))
        })?;
        let m = get_mut(doc, &p)?.as_object_mut()?;
        let k = m.keys().nth(rng.below(m.len()))?.clone();
        rename_key(m, &k, &new);
        Some(format!("key {:?} at {} → {:?}", k, pointer(&p), clip(&new)))
    }
}

fn graft(doc: &mut Value, rng: &mut Rng) -> Option<String> {
    let from = sample(doc, rng, |p, _| !p.is_empty())?;
    let piece = get(doc, &from)?.clone();
    if rng.chance(50) {
        let to = sample(doc, rng, |p, _| !p.is_empty())?;
        *get_mut(doc, &to)? = piece;
        Some(format!("graft {} onto {}", pointer(&from), pointer(&to)))
    } else {
        let to = sample(doc, rng, |_, v| v.is_object() || v.is_array())?;
        let key = match from.last() {
            Some(Seg::Key(k)) if rng.chance(70) => k.clone(),
            _ => odd_string(rng),
        };
        match get_mut(doc, &to)? {
            Value::Object(m) => {
                m.insert(key.clone(), piece);
                Some(format!(
                    "graft {} into {} as {:?}",
                    pointer(&from),
                    pointer(&to),
                    clip(&key)
                ))
            }
            Value::Array(a) => {
                let at = rng.below(a.len() + 1);
                a.insert(at, piece);
                Some(format!(
                    "graft {} into {} at {at}",
                    pointer(&from),
                    pointer(&to)
                ))
            }
            _ => None,
        }
    }
}

/// A path template made wrong or odd: no braces, an undeclared or repeated
/// parameter, an empty one, and so on.
fn path_template(doc: &mut Value, rng: &mut Rng) -> Option<String> {
    let paths = doc.get_mut("paths")?.as_object_mut()?;
    if paths.is_empty() {
        return None;
    }
    let keys: Vec<String> = paths.keys().cloned().collect();
    let old = rng.pick(&keys).clone();
    let param = old
        .split('{')
        .nth(1)
        .and_then(|r| r.split('}').next())
        .unwrap_or("id")
        .to_owned();
    let new = match rng.below(14) {
        0 => old.replace(['{', '}'], ""),
        1 => format!("{old}/{{undeclared}}"),
        2 => format!("{old}/{{{param}}}"),
        3 => format!("{old}/{{}}"),
        4 => old.replacen('{', "{{", 1),
        5 => format!("{old}/{{a-b}}/{{a_b}}"),
        6 => format!("{old}//"),
        7 => old.trim_start_matches('/').to_owned(),
        8 => format!("{old}/{{{param}"),
        9 => old.replacen(
            &format!("{{{param}}}"),
            &format!("{{{}}}", param.to_uppercase()),
            1,
        ),
        10 => format!("{old}/{{self}}/{{type}}"),
        11 => format!("{old}?q=1"),
        12 => format!("{old}#frag"),
        _ => format!("{old}/{{{}}}", odd_string(rng)),
    };
    if rng.chance(50) {
        // Both: the old path and the new one.
        let copy = paths[&old].clone();
        paths.insert(new.clone(), copy);
        Some(format!("path {:?} copied as {:?}", old, clip(&new)))
    } else {
        rename_key(paths, &old, &new);
        Some(format!("path {:?} → {:?}", old, clip(&new)))
    }
}

fn extreme_number(doc: &mut Value, rng: &mut Rng) -> Option<String> {
    let p = sample(doc, rng, |p, v| v.is_number() && !p.is_empty())?;
    let new = rng
        .pick(&[
            json!(0),
            json!(-1),
            json!(-0.0),
            json!(0.1),
            json!(1e308),
            json!(-1e308),
            json!(u64::MAX),
            json!(i64::MIN),
            json!(i64::MAX),
            json!(9_007_199_254_740_993u64),
            json!(1.000_000_000_000_000_1),
        ])
        .clone();
    let slot = get_mut(doc, &p)?;
    let old = std::mem::replace(slot, new.clone());
    Some(format!("number at {}: {old} → {new}", pointer(&p)))
}

fn media_type(doc: &mut Value, rng: &mut Rng) -> Option<String> {
    let p = sample(doc, rng, |p, v| {
        last_key(p) == Some("content") && v.as_object().is_some_and(|m| !m.is_empty())
    })?;
    let m = get_mut(doc, &p)?.as_object_mut()?;
    let keys: Vec<String> = m.keys().cloned().collect();
    let old = rng.pick(&keys).clone();
    let new = (*rng.pick(&[
        "application/json; charset=utf-8",
        "*/*",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data",
        "application/vnd.api+json",
        "application/problem+json",
        "application/octet-stream",
        "APPLICATION/JSON",
        "text/event-stream",
        "application/xml",
        "",
        "json",
        "application/*",
    ]))
    .to_owned();
    if rng.chance(50) {
        let copy = m[&old].clone();
        m.insert(new.clone(), copy);
        Some(format!(
            "media type {old:?} copied as {new:?} at {}",
            pointer(&p)
        ))
    } else {
        rename_key(m, &old, &new);
        Some(format!("media type {old:?} → {new:?} at {}", pointer(&p)))
    }
}

/// `s`, shortened for a message.
fn clip(s: &str) -> String {
    if s.chars().count() <= 40 {
        s.to_owned()
    } else {
        let head: String = s.chars().take(30).collect();
        format!("{head}… ({} chars)", s.chars().count())
    }
}

/// Applies 1–4 mutations; what was done.
fn mutate(doc: &mut Value, rng: &mut Rng) -> Vec<String> {
    let n = rng.range(1, 4);
    let mut done = Vec::new();
    for _ in 0..n {
        for _attempt in 0..20 {
            let (name, m) = *rng.pick(MUTATIONS);
            if let Some(what) = m(doc, rng) {
                done.push(format!("{name}: {what}"));
                break;
            }
        }
    }
    done
}

// ---------------------------------------------------------------------------
// Text.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Syntax {
    Json,
    JsonPretty,
    Yaml,
}

impl Syntax {
    fn ext(self) -> &'static str {
        match self {
            Syntax::Json | Syntax::JsonPretty => "json",
            Syntax::Yaml => "yaml",
        }
    }
}

fn serialize(v: &Value, syntax: Syntax) -> String {
    match syntax {
        Syntax::Json => serde_json::to_string(v).expect("a JSON value serializes"),
        Syntax::JsonPretty => serde_json::to_string_pretty(v).expect("a JSON value serializes"),
        Syntax::Yaml => serde_yaml::to_string(v).expect("a JSON value serializes as YAML"),
    }
}

// ---------------------------------------------------------------------------
// Running the generator.

thread_local! {
    /// Whether this thread's panics are recorded rather than printed.
    static QUIET_PANICS: Cell<bool> = const { Cell::new(false) };
    /// The last panic on this thread, as the hook saw it.
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// A panic hook that records the panics of the generator's threads (message,
/// location and the generator's frames) and leaves every other panic to the
/// previous hook.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !QUIET_PANICS.with(Cell::get) {
                return previous(info);
            }
            let payload = info.payload();
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "<non-string panic payload>".to_owned());
            let location = info
                .location()
                .map(|l| format!("{}:{}:{}", l.file(), l.line(), l.column()))
                .unwrap_or_else(|| "<unknown location>".to_owned());
            let backtrace = std::backtrace::Backtrace::force_capture().to_string();
            let mut frames = String::new();
            let mut lines = backtrace.lines().peekable();
            let mut kept = 0;
            while let Some(line) = lines.next() {
                if line.contains("openapi_codegen::") && kept < 8 {
                    kept += 1;
                    frames.push_str("\n      ");
                    frames.push_str(line.trim());
                    if let Some(at) = lines.peek().filter(|l| l.trim_start().starts_with("at ")) {
                        frames.push_str(&format!(" ({})", at.trim().trim_start_matches("at ")));
                    }
                }
            }
            LAST_PANIC.with(|p| {
                *p.borrow_mut() = Some(format!("panicked at {location}: {message}{frames}"));
            });
        }));
    });
}

/// What one call to the generator did.
// One is made per generation and matched at once: its size does not matter.
#[allow(clippy::large_enum_variant)]
enum Run {
    Done(Result<Generated, Error>),
    Panicked(String),
}

/// Runs `generate` twice (the second time only when the first succeeded) on
/// a fresh thread with an 8 MiB stack, catching panics.
fn run_generator(name: String, config: &Config, text: &str) -> (Run, Option<Run>) {
    let config = config.clone();
    let text = text.to_owned();
    std::thread::Builder::new()
        .name(name)
        .stack_size(GENERATE_STACK)
        .spawn(move || {
            QUIET_PANICS.with(|q| q.set(true));
            let once = || match panic::catch_unwind(AssertUnwindSafe(|| generate(&config, &text))) {
                Ok(r) => Run::Done(r),
                Err(_) => Run::Panicked(
                    LAST_PANIC
                        .with(|p| p.borrow_mut().take())
                        .unwrap_or_else(|| "panicked".to_owned()),
                ),
            };
            let first = once();
            let second = matches!(first, Run::Done(Ok(_))).then(once);
            (first, second)
        })
        .expect("a thread can be spawned")
        .join()
        .expect("panics are caught on the generator's thread")
}

/// A broken promise.
#[derive(Clone, Debug)]
struct Violation {
    /// `panic`, `internal-error`, `bad-diagnostics`, `syn`, `nondeterminism`.
    kind: &'static str,
    /// What the kinds of failures are grouped by.
    signature: String,
    message: String,
}

enum Verdict {
    Generated,
    /// The first diagnostic, shortened (for `FUZZ_STATS`).
    Rejected(String),
    Failed(Violation),
}

fn violation(kind: &'static str, signature: String, message: String) -> Verdict {
    Verdict::Failed(Violation {
        kind,
        signature,
        message,
    })
}

/// The first difference between two sets of files.
fn first_difference(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> String {
    let names: std::collections::BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for name in names {
        match (a.get(name), b.get(name)) {
            (Some(x), Some(y)) if x == y => {}
            (Some(x), Some(y)) => {
                let line = x
                    .lines()
                    .zip(y.lines())
                    .position(|(l, r)| l != r)
                    .unwrap_or(x.lines().count().min(y.lines().count()));
                return format!(
                    "`{name}` differs from line {}:\n      - {}\n      + {}",
                    line + 1,
                    clip(x.lines().nth(line).unwrap_or("<end>")),
                    clip(y.lines().nth(line).unwrap_or("<end>")),
                );
            }
            (Some(_), None) => return format!("`{name}` only in the first"),
            (None, Some(_)) => return format!("`{name}` only in the second"),
            (None, None) => {}
        }
    }
    "no difference".to_owned()
}

/// Checks the contract on one text.
fn check(thread_name: String, config: &Config, text: &str) -> Verdict {
    let (first, second) = run_generator(thread_name, config, text);
    let generated = match first {
        Run::Panicked(message) => {
            // Grouped by where and why, the numbers in why left out (`the
            // len is 3 but the index is 7`).
            let first = message.lines().next().unwrap_or_default();
            let (at, why) = first.split_once(": ").unwrap_or((first, ""));
            let why: String = why.chars().filter(|c| !c.is_ascii_digit()).collect();
            let signature = format!("{at}: {why}");
            return violation("panic", signature, message);
        }
        Run::Done(Err(Error::Internal { file, message })) => {
            let signature = format!("{file}: {}", message.chars().take(60).collect::<String>());
            return violation("internal-error", signature, format!("`{file}`: {message}"));
        }
        Run::Done(Err(Error::Spec(d))) => {
            let shown = d.to_string();
            if shown.trim().is_empty() {
                return violation("bad-diagnostics", "empty message".into(), format!("{d:?}"));
            }
            if d.0.is_empty() {
                return violation("bad-diagnostics", "no diagnostics".into(), shown);
            }
            if let Some(bad) = d.0.iter().find(|x| x.file.is_empty()) {
                return violation(
                    "bad-diagnostics",
                    "a diagnostic without a file".into(),
                    format!("{bad:?}"),
                );
            }
            // A line and column, where given, are 1-based and in the text (or
            // at the start of the line after it: that is where the YAML
            // parser puts the end of a text without a final line end).
            let lines: Vec<&str> = text.split('\n').collect();
            let outside = d.0.iter().find(|x| match x.line_col {
                None => false,
                Some((line, col)) => {
                    line == 0
                        || col == 0
                        || (line > lines.len() && (line, col) != (lines.len() + 1, 1))
                        || lines.get(line - 1).is_some_and(|l| col > l.len() + 1)
                }
            });
            if let Some(bad) = outside {
                return violation(
                    "bad-diagnostics",
                    "a line and column outside the text".into(),
                    format!(
                        "{bad:?} ({} lines; that line is {:?})",
                        lines.len(),
                        bad.line_col
                            .and_then(|(l, _)| lines.get(l.wrapping_sub(1)))
                            .map(|l| clip(l))
                    ),
                );
            }
            let first = &d.0[0];
            let problem = first.problem.to_string();
            return Verdict::Rejected(format!(
                "{}: {}",
                format!("{:?}", first.problem)
                    .split('(')
                    .next()
                    .unwrap_or_default(),
                problem.chars().take(70).collect::<String>()
            ));
        }
        Run::Done(Ok(g)) => g,
    };
    for (name, source) in &generated.files.0 {
        if name.starts_with("src/") && name.ends_with(".rs") {
            if let Err(e) = syn::parse_file(source) {
                return violation(
                    "syn",
                    format!("{name}: {e}"),
                    format!("`{name}` does not parse: {e}"),
                );
            }
        }
    }
    match second {
        Some(Run::Done(Ok(again))) if again.files == generated.files => Verdict::Generated,
        Some(Run::Done(Ok(again))) => {
            let diff = first_difference(&generated.files.0, &again.files.0);
            let signature = diff.lines().next().unwrap_or_default().to_owned();
            violation(
                "nondeterminism",
                signature,
                format!("the second run differs: {diff}"),
            )
        }
        Some(Run::Done(Err(e))) => violation(
            "nondeterminism",
            "the second run fails".into(),
            format!("the second run fails: {e}"),
        ),
        Some(Run::Panicked(message)) => violation(
            "nondeterminism",
            "the second run panics".into(),
            format!("the second run panics: {message}"),
        ),
        None => unreachable!("a successful run is repeated"),
    }
}

// ---------------------------------------------------------------------------
// The fuzz test.

struct Case {
    seed: u64,
    document: String,
    mutations: Vec<String>,
    value: Value,
    syntax: Syntax,
    text_edit: Option<TextEdit>,
    text: String,
}

/// A change to the text itself, after serialization: what a value cannot
/// say (integer keys, YAML tags and special scalars, a byte-order mark, line
/// ends, more than one document).
#[derive(Clone, Copy, Debug)]
struct TextEdit {
    kind: usize,
    /// Chooses the line, where the edit is to one line.
    salt: u64,
}

const TEXT_EDITS: &[&str] = &[
    "byte-order mark",
    "CRLF line ends",
    "leading blank lines and a comment",
    "YAML document markers",
    "a second YAML document",
    "integer keys (unquoted in YAML)",
    "a special YAML scalar",
    "trailing garbage",
    "truncated",
];

fn render(v: &Value, syntax: Syntax, edit: Option<TextEdit>) -> String {
    let text = serialize(v, syntax);
    let Some(TextEdit { kind, salt }) = edit else {
        return text;
    };
    let yaml = syntax == Syntax::Yaml;
    match kind {
        0 => format!("\u{feff}{text}"),
        1 => text.replace('\n', "\r\n"),
        2 if yaml => format!("\n\n# fuzz\n{text}"),
        2 => format!("\n\n  {text}"),
        3 if yaml => format!("%YAML 1.2\n---\n{text}...\n"),
        4 if yaml => format!("{text}---\nopenapi: 3.0.3\n"),
        5 if yaml => {
            // '200': → 200:
            let mut out = String::with_capacity(text.len());
            for line in text.lines() {
                let trimmed = line.trim_start();
                let indent = &line[..line.len() - trimmed.len()];
                match trimmed.strip_prefix('\'').and_then(|r| r.split_once("':")) {
                    Some((key, rest))
                        if !key.is_empty() && key.bytes().all(|b| b.is_ascii_digit()) =>
                    {
                        out.push_str(&format!("{indent}{key}:{rest}\n"));
                    }
                    _ => {
                        out.push_str(line);
                        out.push('\n');
                    }
                }
            }
            out
        }
        6 if yaml => {
            // One `key: value` line's value becomes a special scalar.
            let lines: Vec<&str> = text.lines().collect();
            let candidates: Vec<usize> = (0..lines.len())
                .filter(|&i| lines[i].contains(": ") && !lines[i].trim_end().ends_with(':'))
                .collect();
            if candidates.is_empty() {
                return text;
            }
            let i = candidates[(salt % candidates.len() as u64) as usize];
            let special = [
                ".nan",
                ".inf",
                "-.inf",
                "~",
                "!!binary aGVsbG8=",
                "!!str 12",
                "!custom x",
                "*undefined",
                "&anchor x",
                "0x1F",
                "0o17",
                "1_000",
                "2001-12-14",
                "yes",
                "off",
                "!!int '3'",
                "!!float 1",
                "|\n  block",
                "[a, {b: c}]",
                "{}",
            ][(salt >> 32) as usize % 20];
            let (key, _) = lines[i].split_once(": ").expect("a `: ` line");
            let mut out = String::new();
            for (j, line) in lines.iter().enumerate() {
                if j == i {
                    out.push_str(&format!("{key}: {special}\n"));
                } else {
                    out.push_str(line);
                    out.push('\n');
                }
            }
            out
        }
        7 => format!("{text}\n}}]garbage"),
        8 => {
            let cut = (salt % text.len().max(1) as u64) as usize;
            let cut = (0..=cut)
                .rev()
                .find(|&c| text.is_char_boundary(c))
                .unwrap_or(0);
            text[..cut].to_owned()
        }
        _ => text,
    }
}

fn make_case(docs: &[Document], seed: u64) -> Case {
    let mut rng = Rng::new(seed);
    let doc = &docs[rng.below(docs.len())];
    let mut value = doc.value.clone();
    let mutations = mutate(&mut value, &mut rng);
    let syntax = *rng.pick(&[Syntax::Json, Syntax::JsonPretty, Syntax::Yaml, Syntax::Yaml]);
    let text_edit = rng.chance(15).then(|| TextEdit {
        kind: rng.below(TEXT_EDITS.len()),
        salt: rng.next(),
    });
    let mut mutations = mutations;
    if let Some(edit) = text_edit {
        mutations.push(format!("text: {}", TEXT_EDITS[edit.kind]));
    }
    let text = render(&value, syntax, text_edit);
    Case {
        seed,
        document: doc.name.clone(),
        mutations,
        value,
        syntax,
        text_edit,
        text,
    }
}

/// The configuration a case is generated with. One case in four also
/// builds the wire tests (examples paired with types, instances built from
/// schemas, each judged by the validator), which read every schema again.
fn case_config(case: &Case) -> Config {
    let mut config = Config::new("fuzz-api");
    config.spec_label = format!("fuzz-input.{}", case.syntax.ext());
    config.example_tests = case.seed % 4 == 0;
    config
}

fn thread_name(seed: u64, document: &str) -> String {
    format!("fuzz {seed:#018x} {document}")
}

fn failures_dir() -> PathBuf {
    workspace_root().join("target/fuzz-failures")
}

fn save(name: &str, text: &str) -> PathBuf {
    let dir = failures_dir();
    std::fs::create_dir_all(&dir).expect("target/fuzz-failures can be created");
    let path = dir.join(name);
    std::fs::write(&path, text).expect("a failure can be saved");
    path
}

fn env_flag(name: &str) -> bool {
    std::env::var(name).is_ok_and(|v| !v.is_empty() && v != "0")
}

fn env_number(name: &str) -> Option<u64> {
    let v = std::env::var(name).ok()?;
    let v = v.trim().replace('_', "");
    let parsed = match v.strip_prefix("0x").or_else(|| v.strip_prefix("0X")) {
        Some(hex) => u64::from_str_radix(hex, 16),
        None => v.parse(),
    };
    Some(parsed.unwrap_or_else(|_| panic!("{name}={v} is not a number")))
}

/// Deletes parts of `value` while the failure keeps its signature.
fn minimize(case: &Case, failure: &Violation) -> Value {
    let config = case_config(case);
    let same = |v: &Value| {
        let text = render(v, case.syntax, case.text_edit);
        match check(thread_name(case.seed, "minimize"), &config, &text) {
            Verdict::Failed(f) => f.kind == failure.kind && f.signature == failure.signature,
            _ => false,
        }
    };
    let mut best = case.value.clone();
    let mut budget = 3000usize;
    loop {
        let mut progress = false;
        let mut paths = Vec::new();
        walk(&best, &mut Vec::new(), &mut |p, _| {
            if !p.is_empty() {
                paths.push(owned(p));
            }
        });
        // Shallow first: removing a big subtree saves the most checks.
        paths.sort_by_key(Vec::len);
        for p in paths {
            if budget == 0 {
                return best;
            }
            let Some((last, parent)) = p.split_last() else {
                continue;
            };
            let mut candidate = best.clone();
            let removed = match (get_mut(&mut candidate, parent), last) {
                (Some(Value::Object(m)), Seg::Key(k)) => m.shift_remove(k).is_some(),
                (Some(Value::Array(a)), Seg::Index(i)) if *i < a.len() => {
                    a.remove(*i);
                    true
                }
                _ => false,
            };
            if !removed {
                continue;
            }
            budget -= 1;
            if same(&candidate) {
                best = candidate;
                progress = true;
                // The paths are stale now; start again.
                break;
            }
        }
        if !progress {
            return best;
        }
    }
}

#[test]
fn mutated_specs_keep_the_contract() {
    install_panic_hook();
    let long = env_flag("FUZZ_LONG");
    let cases = env_number("FUZZ_CASES").map_or(DEFAULT_CASES, |n| n as usize);
    let base = env_number("FUZZ_SEED").unwrap_or(DEFAULT_SEED);
    let repro = env_number("FUZZ_REPRO");
    let docs = seed_documents(long);
    assert!(!docs.is_empty(), "no seed documents");
    let skip: Vec<u64> = std::env::var("FUZZ_SKIP")
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let s = s.replace('_', "");
            match s.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => s.parse(),
            }
            .unwrap_or_else(|_| panic!("FUZZ_SKIP: {s} is not a seed"))
        })
        .collect();
    let seeds: Vec<u64> = match repro {
        Some(seed) => vec![seed],
        None => (0..cases)
            .map(|i| case_seed(base, i))
            .filter(|s| !skip.contains(s))
            .collect(),
    };
    let jobs = env_number("FUZZ_JOBS")
        .map(|n| n as usize)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()))
        .clamp(1, seeds.len().max(1));

    let start = Instant::now();
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(usize, Verdict, Option<Case>)>> = Mutex::new(Vec::new());
    std::thread::scope(|scope| {
        for w in 0..jobs {
            std::thread::Builder::new()
                .name(format!("fuzz worker {w}"))
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, || {
                    loop {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        if i >= seeds.len() {
                            break;
                        }
                        let case = make_case(&docs, seeds[i]);
                        if repro.is_some() {
                            let path = save(
                                &format!("{:#018x}.{}", case.seed, case.syntax.ext()),
                                &case.text,
                            );
                            eprintln!(
                                "fuzz: case {:#018x} on {}: {}\n      text: {}",
                                case.seed,
                                case.document,
                                case.mutations.join("; "),
                                path.display()
                            );
                        }
                        let verdict = check(
                            thread_name(case.seed, &case.document),
                            &case_config(&case),
                            &case.text,
                        );
                        let keep = matches!(verdict, Verdict::Failed(_)).then_some(case);
                        results.lock().unwrap().push((i, verdict, keep));
                    }
                })
                .expect("a worker can be spawned");
        }
    });
    let mut results = results.into_inner().unwrap();
    results.sort_by_key(|r| r.0);

    let (mut generated, mut rejected) = (0, 0);
    let mut reasons: BTreeMap<String, usize> = BTreeMap::new();
    let mut failures: Vec<(Case, Violation)> = Vec::new();
    for (_, verdict, case) in results {
        match verdict {
            Verdict::Generated => generated += 1,
            Verdict::Rejected(reason) => {
                rejected += 1;
                *reasons.entry(reason).or_default() += 1;
            }
            Verdict::Failed(v) => failures.push((case.expect("failed cases are kept"), v)),
        }
    }
    eprintln!(
        "fuzz: {} cases (seed {base:#018x}{}{}, {} documents): {generated} generated, \
         {rejected} rejected with diagnostics, {} failures ({:.1}s)",
        seeds.len(),
        if long { ", long" } else { "" },
        repro.map_or(String::new(), |s| format!(", repro {s:#018x}")),
        docs.len(),
        failures.len(),
        start.elapsed().as_secs_f64(),
    );
    if env_flag("FUZZ_STATS") {
        let mut reasons: Vec<_> = reasons.into_iter().collect();
        reasons.sort_by_key(|r| std::cmp::Reverse(r.1));
        for (reason, n) in reasons.iter().take(40) {
            eprintln!("  {n:5} × {reason}");
        }
    }
    if failures.is_empty() {
        return;
    }

    let minimize_them = env_flag("FUZZ_MINIMIZE");
    let long_env = if long { "FUZZ_LONG=1 " } else { "" };
    let mut report = String::new();
    let mut kinds: BTreeMap<(&str, String), Vec<u64>> = BTreeMap::new();
    for (case, failure) in &failures {
        let name = format!("{:#018x}.{}", case.seed, case.syntax.ext());
        let path = save(&name, &case.text);
        let first_of_kind = !kinds.contains_key(&(failure.kind, failure.signature.clone()));
        kinds
            .entry((failure.kind, failure.signature.clone()))
            .or_default()
            .push(case.seed);
        report.push_str(&format!(
            "\n[{}] seed {:#018x} on {}\n    mutations: {}\n    {}\n    text: {}\n    repro: FUZZ_REPRO={:#018x} {long_env}cargo test -p codegen-tests --test fuzz -- --nocapture\n",
            failure.kind,
            case.seed,
            case.document,
            case.mutations.join("; "),
            failure.message.replace('\n', "\n    "),
            path.display(),
            case.seed,
        ));
        if minimize_them && first_of_kind {
            let small = minimize(case, failure);
            let path = save(
                &format!("{:#018x}.min.{}", case.seed, case.syntax.ext()),
                &render(&small, case.syntax, case.text_edit),
            );
            report.push_str(&format!("    minimized: {}\n", path.display()));
        }
    }
    report.push_str("\ndistinct failures:\n");
    for ((kind, signature), seeds) in &kinds {
        report.push_str(&format!(
            "  {} × [{kind}] {}   (e.g. {:#018x})\n",
            seeds.len(),
            clip_line(signature, 160),
            seeds[0]
        ));
    }
    panic!(
        "{} of {} fuzz cases broke the generator's contract:\n{report}",
        failures.len(),
        seeds.len()
    );
}

fn clip_line(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

// ---------------------------------------------------------------------------
// Key order.

/// `v` with the keys of every object in another order: shuffled, and if the
/// shuffle left a (multi-key) object as it was, rotated by one.
fn shuffle_keys(v: &Value, rng: &mut Rng) -> Value {
    match v {
        Value::Object(m) => {
            let mut entries: Vec<(&String, &Value)> = m.iter().collect();
            for i in (1..entries.len()).rev() {
                let j = rng.below(i + 1);
                entries.swap(i, j);
            }
            if entries.len() >= 2 && entries.iter().map(|e| e.0).eq(m.keys()) {
                entries.rotate_left(1);
            }
            Value::Object(
                entries
                    .into_iter()
                    .map(|(k, c)| (k.clone(), shuffle_keys(c, rng)))
                    .collect(),
            )
        }
        Value::Array(a) => Value::Array(a.iter().map(|c| shuffle_keys(c, rng)).collect()),
        other => other.clone(),
    }
}

/// What generation gave, for comparing: the files, or the errors (without
/// line and column, which depend on the layout of the text), sorted.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Files(BTreeMap<String, String>),
    Errors(Vec<String>),
    Failed(String),
}

fn outcome(name: String, config: &Config, text: &str) -> Outcome {
    match run_generator(name, config, text).0 {
        Run::Done(Ok(g)) => Outcome::Files(g.files.0),
        Run::Done(Err(Error::Spec(d))) => {
            let mut errors: Vec<String> =
                d.0.iter()
                    .map(|d| format!("{} at {}", d.problem, d.pointer))
                    .collect();
            errors.sort();
            Outcome::Errors(errors)
        }
        Run::Done(Err(e)) => Outcome::Failed(e.to_string()),
        Run::Panicked(message) => Outcome::Failed(message),
    }
}

fn describe(o: &Outcome) -> String {
    match o {
        Outcome::Files(f) => format!("{} files", f.len()),
        Outcome::Errors(e) => format!("{} errors: {}", e.len(), clip_line(&e.join("; "), 300)),
        Outcome::Failed(m) => format!("failure: {}", clip_line(m, 300)),
    }
}

#[test]
fn key_order_does_not_change_the_output() {
    install_panic_hook();
    let long = env_flag("FUZZ_LONG");
    let docs = seed_documents(long);
    let start = Instant::now();
    let config = Config::new("shuffle-api");
    let mut problems = Vec::new();
    let mut compared = 0;
    for doc in &docs {
        for syntax in [Syntax::JsonPretty, Syntax::Yaml] {
            let text = serialize(&doc.value, syntax);
            let base = outcome(thread_name(0, &doc.name), &config, &text);
            for round in 0..2u64 {
                let seed = mix(hash_str(&doc.name) ^ round);
                let shuffled = serialize(&shuffle_keys(&doc.value, &mut Rng::new(seed)), syntax);
                if shuffled == text {
                    problems.push(format!(
                        "{} ({}): the shuffle did not change the text",
                        doc.name,
                        syntax.ext()
                    ));
                    continue;
                }
                compared += 1;
                let other = outcome(thread_name(seed, &doc.name), &config, &shuffled);
                if other != base {
                    let path = save(
                        &format!(
                            "shuffled-{}-{round}.{}",
                            doc.name.replace('/', "_"),
                            syntax.ext()
                        ),
                        &shuffled,
                    );
                    let detail = match (&base, &other) {
                        (Outcome::Files(a), Outcome::Files(b)) => first_difference(a, b),
                        _ => format!("{} vs {}", describe(&base), describe(&other)),
                    };
                    problems.push(format!(
                        "{} ({}, shuffle {seed:#018x}): {}\n    shuffled text: {}",
                        doc.name,
                        syntax.ext(),
                        detail.replace('\n', "\n    "),
                        path.display()
                    ));
                }
            }
        }
    }
    eprintln!(
        "shuffle: {} documents, {compared} shuffled texts compared, {} problems ({:.1}s)",
        docs.len(),
        problems.len(),
        start.elapsed().as_secs_f64()
    );
    assert!(
        problems.is_empty(),
        "key order changes the output:\n{}",
        problems.join("\n")
    );
}

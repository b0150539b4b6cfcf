//! Phase 2: `openapiv3::OpenAPI` → [`ir::Api`].
//!
//! Every decision is made here: which schemas become which kind of Rust type,
//! what each thing is called, what is optional, where a recursive type needs a
//! `Box`. Types are lowered in two passes (typify's `TypeSpace`, prost's
//! message graph): first every component schema reserves its Rust name, so a
//! `$ref` resolves to a name whatever the order; then each schema is
//! converted, and inline schemas that need a name of their own (objects,
//! enums, unions) are hoisted to named types right after their parent.
//! Nothing stops lowering as a whole: what cannot be generated costs only
//! its part, and is recorded in `Api::skipped`.

use crate::ir::{self, Docs, TypeKind, TypeRef};
use crate::load::Loaded;
use crate::naming::Scope;
use indexmap::IndexMap;
use openapiv3::{OpenAPI, Schema};

mod bodies;
mod client;
mod defaults;
mod docs;
mod objects;
mod operations;
mod paths;
mod presence;
mod schemas;
mod security;
mod sessions;
mod unions;
mod webhooks;

use defaults::PendingDefault;
use docs::spec_docs;
use presence::read_only_nullables;

/// Methods of the generated `Client` that operations must not take.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "with_base_url",
    "with_http_client",
    "base_url",
    "http_client",
    "send",
    "builder",
    // Private helpers of the client's own.
    "authorize",
    "request",
    "execute",
    "send_request",
];

/// The names a request's `build` uses for itself; parameters do not take
/// them (a query parameter called `url` must not be shadowed by the URL
/// being built).
const METHOD_LOCALS: &[&str] = &[
    "self",
    "url",
    "request",
    "query",
    "cookies",
    // The request's own field and methods, beside its setters.
    "client",
    "send",
    "send_with_response",
    "bytes_stream",
    "stream",
    "pages",
    "into_future",
    "next_page",
    "build",
];

/// Lowers a loaded document, with the names and the selection of operations
/// `config` gives.
///
/// Nothing in the document stops lowering as a whole: a part that cannot be
/// generated costs that part (an operation is left out, a schema becomes
/// any JSON value where it is used, a name is changed) and is recorded in
/// [`ir::Api::skipped`] with why. [`crate::generate`] turns those into
/// errors when the configuration is strict.
///
/// The path items are read into the model one at a time, as their
/// operations are lowered: see [`Loaded`].
pub fn lower(config: &crate::Config, loaded: Loaded) -> ir::Api {
    let Loaded { api, paths } = loaded;
    let api = &api;
    let (webhooks, webhook_problems) = webhooks::webhooks_of(api);
    let mut cx = Lowerer::new(config, api);
    cx.reserve_components();
    cx.lower_components();
    cx.schemes = cx.lower_schemes();
    let keep_paths = config.example_tests || config.call_tests;
    let (operations, paths) = cx.lower_operations(paths, keep_paths);
    for (pointer, why) in webhook_problems {
        cx.skip(&pointer, why);
    }
    cx.lower_webhooks(&webhooks);
    let client = cx.lower_client();
    let mut types: Vec<ir::TypeDef> = cx
        .types
        .into_iter()
        .map(|t| t.expect("every reserved slot is filled"))
        .collect();
    let mut skipped = cx.skipped;
    for cycle in crate::cycles::alias_cycles(&types) {
        break_alias_cycle(&mut types, cycle, &mut skipped);
    }
    read_only_nullables(&mut types, &operations);
    crate::cycles::box_recursive_types(&mut types);
    let mut operations = operations;
    crate::layout::box_large_variants(&mut types, &mut operations);
    defaults::apply(&mut types, cx.pending_defaults, &mut skipped);
    operations::settle_pagination(&types, &mut operations);
    let (wire_cases, call_cases) = if keep_paths {
        cases_on_a_large_stack(config, api, paths, &cx.typed, &types, &operations)
    } else {
        (Vec::new(), Vec::new())
    };
    let info = &api.info;
    let mut docs = spec_docs(info.description.as_deref().unwrap_or(""));
    if docs.is_empty() {
        docs = Docs::from_text(&format!("A client for {}.", info.title));
    }
    ir::Api {
        title: info.title.clone(),
        version: info.version.clone(),
        docs,
        types,
        client,
        operations,
        skipped,
        wire_cases,
        call_cases,
    }
}

/// The stack the wire cases are collected on. Whether an example breaks
/// its schema is judged by a JSON Schema validator that recurses, some
/// 10 KiB a level, once per `$ref` and once per level of the value: a value
/// 128 levels deep whose schema goes 64 levels in place at each (the most
/// `wire::validity` judges) is 8,192 levels, more than a thread's usual
/// 8 MiB. The stack is reserved, not used, until it is needed.
const WIRE_STACK: usize = 256 << 20;

/// The wire cases ([`crate::wire::cases`]) and the call cases
/// ([`crate::calls::cases`]) the configuration asks for, on a thread of
/// their own with [`WIRE_STACK`]: both judge values with the one validator.
fn cases_on_a_large_stack(
    config: &crate::Config,
    api: &OpenAPI,
    paths: openapiv3::Paths,
    typed: &std::collections::BTreeMap<String, TypeRef>,
    types: &[ir::TypeDef],
    operations: &[ir::Operation],
) -> (Vec<ir::WireCase>, Vec<ir::CallCase>) {
    std::thread::scope(|scope| {
        let collect = move || {
            // Lowering read the path items apart from the rest of the model.
            let api = &OpenAPI {
                paths,
                ..api.clone()
            };
            let mut judge = crate::wire::Judge::new(api);
            let wire = if config.example_tests {
                crate::wire::cases(&mut judge, typed, types)
            } else {
                Vec::new()
            };
            let calls = if config.call_tests {
                crate::calls::cases(&mut judge, operations)
            } else {
                Vec::new()
            };
            (wire, calls)
        };
        // As `std::thread::scope`'s own `spawn` does, a thread that cannot
        // be had is a panic: the machine is out of threads, not the
        // document at fault.
        let thread = std::thread::Builder::new()
            .name("wire and call cases".into())
            .stack_size(WIRE_STACK)
            .spawn_scoped(scope, collect)
            .expect("a thread to collect the wire and call cases on");
        match thread.join() {
            Ok(cases) => cases,
            Err(panic) => std::panic::resume_unwind(panic),
        }
    })
}

struct Lowerer<'a> {
    /// Names and the selection of operations, from the configuration.
    config: &'a crate::Config,
    api: &'a OpenAPI,
    /// Component schema key → Rust type name.
    names: IndexMap<&'a str, String>,
    /// The names in the `types` module.
    scope: Scope,
    /// Output types; a slot is reserved (`None`) before its type is lowered,
    /// so a hoisted type lands right after the type it was found in.
    types: Vec<Option<ir::TypeDef>>,
    skipped: Vec<ir::Skipped>,
    /// Why the operation being lowered cannot be generated, with where.
    op_failures: Vec<(String, String)>,
    /// Every field's `default`, applied once the types are lowered.
    pending_defaults: Vec<PendingDefault>,
    /// Names of the functions that return default values.
    default_fns: Scope,
    /// Inline schemas already hoisted, by pointer.
    hoisted: std::collections::HashMap<String, TypeRef>,
    /// The type every schema lowered where it is used became, by the
    /// schema's pointer: what its examples decode into.
    typed: std::collections::BTreeMap<String, TypeRef>,
    /// The security schemes, lowered before the operations that name them.
    schemes: security::Schemes,
}

/// A component (or an inline object) with the pointer it is defined at, and
/// its key when it is a component.
struct Located<'a, T> {
    item: &'a T,
    pointer: String,
    key: Option<&'a str>,
}

/// A schema with the pointer it was found at.
#[derive(Clone, Copy)]
struct At<'s> {
    schema: &'s Schema,
    pointer: &'s str,
}

impl<'a> Lowerer<'a> {
    fn new(config: &'a crate::Config, api: &'a OpenAPI) -> Self {
        Lowerer {
            config,
            api,
            names: IndexMap::new(),
            scope: Scope::new(),
            types: Vec::new(),
            skipped: Vec::new(),
            op_failures: Vec::new(),
            pending_defaults: Vec::new(),
            default_fns: Scope::new(),
            hoisted: std::collections::HashMap::new(),
            typed: std::collections::BTreeMap::new(),
            schemes: security::Schemes::default(),
        }
    }

    /// Records something the generated crate leaves out, with why.
    fn skip(&mut self, pointer: &str, message: impl Into<String>) {
        self.skipped.push(ir::Skipped {
            subject: None,
            pointer: pointer.to_owned(),
            line_col: None,
            message: message.into(),
        });
    }
}

/// Schemas defined only as each other have no shape: each becomes any JSON
/// value, and the report says why.
fn break_alias_cycle(
    types: &mut [ir::TypeDef],
    cycle: crate::cycles::AliasCycle,
    skipped: &mut Vec<ir::Skipped>,
) {
    let mut circle = cycle.names.join(" → ");
    circle.push_str(&format!(" → {}", cycle.names[0]));
    let why = if cycle.through_container {
        format!(
            "a schema that is a list or map of itself and nothing more ({circle}) cannot be a Rust type alias; wrap it in an object"
        )
    } else if cycle.names.len() == 1 {
        format!(
            "this schema is defined only as itself ({circle}), through `$ref` or `allOf`, so it has no shape"
        )
    } else {
        format!(
            "these schemas are defined only as each other ({circle}), through `$ref` or `allOf`, so they have no shape"
        )
    };
    for t in types
        .iter_mut()
        .filter(|t| cycle.names.contains(&t.rust_name))
    {
        t.kind = TypeKind::Alias(TypeRef::Json);
    }
    skipped.push(ir::Skipped {
        subject: None,
        pointer: cycle.origins[0].clone(),
        line_col: None,
        message: format!("{why}; the types are any JSON value"),
    });
}

fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

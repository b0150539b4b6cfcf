//! Phase 2: `openapiv3::OpenAPI` → [`ir::Api`].
//!
//! Every decision is made here: which schemas become which kind of Rust type,
//! what each thing is called, what is optional, where a recursive type needs a
//! `Box`. Types are lowered in two passes (typify's `TypeSpace`, prost's
//! message graph): first every component schema reserves its Rust name, so a
//! `$ref` resolves to a name whatever the order; then each schema is
//! converted, and inline schemas that need a name of their own (objects,
//! enums, unions) are hoisted to named types right after their parent.
//! Errors are collected, not returned at the first one.

use crate::diagnostics::{Diagnostic, Problem, child};
use crate::ir::{self, Docs, IntKind, Presence, TypeKind, TypeRef};
use crate::markdown;
use crate::naming::{self, Scope};
use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, OpenAPI, Parameter, ReferenceOr, Schema, SchemaKind, StatusCode, Type,
    VariantOrUnknownOrEmpty,
};
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

mod bodies;
mod client;
mod defaults;
mod docs;
mod objects;
mod operations;
mod presence;
mod schemas;
mod unions;

use defaults::*;
use docs::*;
use objects::*;
use presence::*;
use schemas::*;
use unions::*;

/// Methods of the generated `Client` that operations must not take.
const CLIENT_METHODS: &[&str] = &[
    "new",
    "with_base_url",
    "with_http_client",
    "base_url",
    "http_client",
    "send",
];

/// The names a generated method's body uses for itself; arguments do not
/// take them (a query parameter called `url` must not be shadowed by the
/// URL being built).
const METHOD_LOCALS: &[&str] = &["self", "url", "request", "query", "status", "bytes"];

/// Lowers a loaded document. `file` names the input in diagnostics.
pub fn lower(file: &str, api: &OpenAPI) -> Result<ir::Api, Vec<Diagnostic>> {
    let mut cx = Lowerer::new(file, api);
    cx.reserve_components();
    cx.lower_components();
    let operations = cx.lower_operations();
    let client = cx.lower_client();
    if !cx.errors.is_empty() {
        return Err(cx.errors);
    }
    let mut types: Vec<ir::TypeDef> = cx
        .types
        .into_iter()
        .map(|t| t.expect("every reserved slot is filled"))
        .collect();
    let cycles = crate::cycles::alias_cycles(&types);
    if !cycles.is_empty() {
        return Err(cycles
            .into_iter()
            .map(|c| alias_cycle_error(file, c))
            .collect());
    }
    read_only_nullables(&mut types, &operations);
    let mut skipped = cx.skipped;
    type_defaults(&mut types, &mut skipped);
    crate::cycles::box_recursive_types(&mut types);
    let mut operations = operations;
    crate::layout::box_large_variants(&mut types, &mut operations);
    let info = &api.info;
    let mut docs = spec_docs(info.description.as_deref().unwrap_or(""));
    if docs.is_empty() {
        docs = Docs::from_text(&format!("A client for {}.", info.title));
    }
    Ok(ir::Api {
        title: info.title.clone(),
        version: info.version.clone(),
        docs,
        types,
        client,
        operations,
        skipped,
    })
}

struct Lowerer<'a> {
    file: &'a str,
    api: &'a OpenAPI,
    /// Component schema key → Rust type name.
    names: IndexMap<&'a str, String>,
    /// The names in the `types` module.
    scope: Scope,
    /// Output types; a slot is reserved (`None`) before its type is lowered,
    /// so a hoisted type lands right after the type it was found in.
    types: Vec<Option<ir::TypeDef>>,
    errors: Vec<Diagnostic>,
    skipped: Vec<ir::Skipped>,
    /// Names of the functions that return default values.
    default_fns: Scope,
    /// Inline schemas already hoisted, by pointer.
    hoisted: std::collections::HashMap<String, TypeRef>,
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
    fn new(file: &'a str, api: &'a OpenAPI) -> Self {
        Lowerer {
            file,
            api,
            names: IndexMap::new(),
            scope: Scope::new(),
            types: Vec::new(),
            errors: Vec::new(),
            skipped: Vec::new(),
            default_fns: Scope::new(),
            hoisted: std::collections::HashMap::new(),
        }
    }

    /// Records something the generated crate leaves out, with why.
    fn skip(&mut self, pointer: &str, message: impl Into<String>) {
        self.skipped.push(ir::Skipped {
            pointer: pointer.to_owned(),
            message: message.into(),
        });
    }

    fn error(&mut self, pointer: &str, problem: Problem) {
        self.errors.push(Diagnostic {
            file: self.file.to_owned(),
            pointer: pointer.to_owned(),
            line_col: None,
            problem,
        });
    }
}

/// The error for schemas that are defined only as each other.
fn alias_cycle_error(file: &str, cycle: crate::cycles::AliasCycle) -> Diagnostic {
    let mut circle = cycle.names.join(" → ");
    circle.push_str(&format!(" → {}", cycle.names[0]));
    let what = if cycle.names.len() == 1 {
        format!(
            "this schema is defined only as itself ({circle}), through `$ref` or `allOf`, so it has no shape"
        )
    } else {
        format!(
            "these schemas are defined only as each other ({circle}), through `$ref` or `allOf`, so they have no shape"
        )
    };
    let problem = if cycle.through_container {
        Problem::Unsupported(format!(
            "a schema that is a list or map of itself and nothing more ({circle}): \
             a Rust type alias cannot contain itself; wrap it in an object"
        ))
    } else {
        Problem::Inconsistent(what)
    };
    Diagnostic {
        file: file.to_owned(),
        pointer: cycle.origins[0].clone(),
        line_col: None,
        problem,
    }
}

fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

//! Paths → operations, one path item at a time: which operations the
//! settings select, the method each is named, then each path item read
//! into the model only when its operations are lowered, and dropped after.
//!
//! A document's path items are most of it (GitHub's operations are 16 of
//! the 25 MB its whole model takes), so lowering never holds them typed
//! all at once: names are chosen from the JSON value ([`Listed`]), which
//! has all that naming needs, and [`Lowerer::operation`] lowers each from
//! its path item's model.

use super::operations::operation_names;
use super::{CLIENT_METHODS, Lowerer};
use crate::diagnostics::child;
use crate::ir;
use crate::naming::{self, Scope};
use openapiv3::{Parameter, ReferenceOr};
use std::collections::{BTreeMap, BTreeSet};

impl Lowerer<'_> {
    /// Lowers the operations of the path items, each read into the model
    /// only when its operations are lowered, and dropped after. With
    /// `keep`, the path items come back typed (the wire tests read their
    /// examples); without, none is kept.
    pub(super) fn lower_operations(
        &mut self,
        paths: Vec<(String, serde_json::Value)>,
        keep: bool,
    ) -> (Vec<ir::Operation>, openapiv3::Paths) {
        let found = self.list_operations(&paths);
        let mut methods = Scope::with_reserved(CLIENT_METHODS);
        let names = self.claim_names(&mut methods, &found);
        // The path items whose model is needed: those with an operation to
        // lower, or all of them to keep.
        let mut needed = vec![keep; paths.len()];
        for listed in &found {
            needed[listed.item] = true;
        }
        let found = found.into_iter().zip(names);
        // Reading a path item into the model is a third of lowering its
        // operations: a second thread, when the machine has one to give,
        // reads the next few while this one lowers, so that only a few are
        // ever typed at once. The entries are taken by the thread that
        // reads them.
        let entries = std::sync::Mutex::new(Some(paths.into_iter().zip(needed)));
        let taken = || entries.lock().ok().and_then(|mut entries| entries.take());
        std::thread::scope(|scope| {
            let (send, receive) = std::sync::mpsc::sync_channel(READ_AHEAD);
            let spawned = (crate::format::threads() > 1)
                .then(|| {
                    std::thread::Builder::new()
                        .stack_size(crate::format::THREAD_STACK)
                        .spawn_scoped(scope, move || {
                            for entry in taken().into_iter().flatten() {
                                // The receiver is gone only if lowering panicked.
                                if send.send(read_path_item(entry)).is_err() {
                                    break;
                                }
                            }
                        })
                        .ok()
                })
                .flatten();
            let Some(reading) = spawned else {
                let read = taken().into_iter().flatten().map(read_path_item);
                return self.lower_read(found, methods, read, keep);
            };
            let lowered = self.lower_read(found, methods, receive.into_iter(), keep);
            if let Err(panic) = reading.join() {
                std::panic::resume_unwind(panic);
            }
            lowered
        })
    }

    /// Lowers the operations `found` (in the order of the document, each
    /// with its claimed name) from `read`: each path item's path and, when
    /// needed, its model or why it cannot be read.
    fn lower_read(
        &mut self,
        found: impl Iterator<Item = (Listed, Option<String>)>,
        mut methods: Scope,
        read: impl Iterator<Item = (String, Option<Result<PathItem, String>>)>,
        keep: bool,
    ) -> (Vec<ir::Operation>, openapiv3::Paths) {
        let mut operations = Vec::new();
        let mut requests = Scope::new();
        let mut kept = openapiv3::Paths::default();
        let mut found = found.peekable();
        for (index, (path, item)) in read.enumerate() {
            let mut listed = Vec::new();
            while let Some(next) = found.next_if(|(l, _)| l.item == index) {
                listed.push(next);
            }
            // The document was validated whole, so a read fails only where
            // the model is stricter than the validator; it costs this
            // path's operations.
            let item = match item {
                None => continue,
                Some(Ok(item)) => item,
                Some(Err(e)) => {
                    self.skip(
                        &child("#/paths", &path),
                        format!("the path item cannot be read ({e}); its operations are left out"),
                    );
                    continue;
                }
            };
            if let ReferenceOr::Item(typed) = &item {
                for (listed, name) in listed {
                    let Some(op) = typed
                        .iter()
                        .find_map(|(m, op)| (m == listed.method).then_some(op))
                    else {
                        continue;
                    };
                    if let Some(op) = self.listed_operation(
                        &mut methods,
                        &mut requests,
                        listed,
                        name,
                        op,
                        &typed.parameters,
                    ) {
                        operations.push(op);
                    }
                }
            }
            if keep {
                kept.paths.insert(path, item);
            }
        }
        (operations, kept)
    }

    /// The operations of the path items that the settings select, in the
    /// order of the document, read from the JSON values; what the settings
    /// name that the document does not have is reported.
    fn list_operations(&mut self, paths: &[(String, serde_json::Value)]) -> Vec<Listed> {
        let mut found = Vec::new();
        let mut all_names: Vec<String> = Vec::new();
        let mut all_tags: BTreeSet<&str> = BTreeSet::new();
        for (index, (path, item)) in paths.iter().enumerate() {
            let path_pointer = child("#/paths", path);
            if let Some(serde_json::Value::String(reference)) = item.get("$ref") {
                // References inside the document were followed at load.
                self.skip(
                    &child(&path_pointer, "$ref"),
                    format!(
                        "the path item `$ref: {reference}` cannot be followed; the path's operations are left out"
                    ),
                );
                continue;
            }
            for (method, op) in operations_of(item) {
                let listed = Listed::of(index, path, method, op, &path_pointer);
                let tags: Vec<&str> = op
                    .get("tags")
                    .and_then(serde_json::Value::as_array)
                    .map(|tags| tags.iter().filter_map(serde_json::Value::as_str).collect())
                    .unwrap_or_default();
                all_tags.extend(&tags);
                let tags: Vec<String> = tags.into_iter().map(str::to_owned).collect();
                let selected = self.config.operations.selects(&listed.names, &tags);
                all_names.extend(listed.names.iter().cloned());
                if selected {
                    found.push(listed);
                }
            }
        }
        self.check_operation_settings(&all_names, &all_tags);
        found
    }

    /// The method name of each listed operation that has one given (by the
    /// settings, `x-rust-name` or `operationId`), claimed in `methods`;
    /// `None` for those that must be named after their method and path.
    fn claim_names(&mut self, methods: &mut Scope, found: &[Listed]) -> Vec<Option<String>> {
        // The names the document gives come first, so a name made up for an
        // operation without an `operationId` never takes one of them.
        let mut given: BTreeMap<String, (&str, String)> = BTreeMap::new();
        let mut names = Vec::with_capacity(found.len());
        for listed in found {
            let (path, method, pointer) = (&listed.path, listed.method, &listed.pointer);
            let chosen = listed.names.iter().find_map(|n| {
                self.config
                    .names
                    .operations
                    .iter()
                    .find(|(wanted, _)| crate::settings::same_operation(wanted, n))
                    .map(|(_, name)| name.as_str())
            });
            let id = match (
                chosen,
                listed.rust_name.as_deref(),
                listed.operation_id.as_deref(),
            ) {
                (Some(name), _, _) => Some((name, "operationId")),
                (_, Some(name), _) => Some((name, "x-rust-name")),
                (_, _, Some(id)) => Some((id, "operationId")),
                (_, _, None) => None,
            };
            let Some((id, key)) = id else {
                names.push(None);
                continue;
            };
            let wanted = naming::value_name(id);
            let at = child(pointer, key);
            let name = methods.claim(wanted.clone());
            match given.get(&wanted) {
                Some((other, other_at)) if *other == id => self.skip(
                    &at,
                    format!(
                        "duplicate {key} `{id}` ({other_at} has it too); this operation's method is `{name}` \
                         (name it in the settings' `[names.operations]` as \"{} {path}\" to choose)",
                        method.to_uppercase()
                    ),
                ),
                Some((other, other_at)) => self.skip(
                    &at,
                    format!(
                        "`{id}` and `{other}` (at {other_at}) would both be the method `{wanted}`; \
                         this one is `{name}` (give it an `x-rust-name`, or a name in the settings, to choose)"
                    ),
                ),
                None => {
                    given.insert(wanted.clone(), (id, at));
                }
            }
            names.push(Some(name));
        }
        names
    }

    /// Lowers one operation the selection takes, `name` being the method
    /// name claimed for it, if it has one already.
    fn listed_operation(
        &mut self,
        methods: &mut Scope,
        requests: &mut Scope,
        listed: Listed,
        name: Option<String>,
        op: &openapiv3::Operation,
        shared: &[ReferenceOr<Parameter>],
    ) -> Option<ir::Operation> {
        let Listed {
            path,
            method,
            pointer,
            ..
        } = listed;
        let path = path.as_str();
        if !op.callbacks.is_empty() {
            self.skip(
                &child(&pointer, "callbacks"),
                "callbacks are requests the server makes; the client does not receive them",
            );
        }
        let rust_name =
            name.unwrap_or_else(|| methods.claim(naming::value_name(&format!("{method}_{path}"))));
        let request_name = requests.claim(naming::type_name(naming::unraw(&rust_name)));
        let lowered = self.operation(rust_name, &request_name, path, method, op, shared, &pointer);
        let failures = std::mem::take(&mut self.op_failures);
        match lowered {
            Some(mut op) if failures.is_empty() => {
                if let Some(pagination) = &mut op.pagination {
                    let wanted = format!("{}_stream", naming::unraw(&op.rust_name));
                    let name = methods.claim(wanted.clone());
                    pagination.stream_method = (name == wanted).then_some(name);
                    let request = &op.request_name;
                    let every_item = match &pagination.stream_method {
                        Some(stream) => format!("[`Self::{}`]", naming::unraw(stream)),
                        None => {
                            format!("the request's [`stream`](crate::requests::{request}::stream)")
                        }
                    };
                    op.docs.push_paragraph(&format!(
                        "The list comes a page at a time: {every_item} gives every item across \
                         pages, and the request's [`pages`](crate::requests::{request}::pages) every page."
                    ));
                }
                Some(op)
            }
            _ => {
                let subject = match &op.operation_id {
                    Some(id) => format!("operation `{id}`"),
                    None => format!("operation `{} {path}`", method.to_uppercase()),
                };
                for (at, why) in failures {
                    self.skipped.push(ir::Skipped {
                        pointer: at,
                        line_col: None,
                        message: format!("{why}; the operation is left out"),
                        subject: Some(subject.clone()),
                    });
                }
                None
            }
        }
    }

    /// Says which operations and tags the settings name that the document
    /// does not have: a typo, or a document that changed under them.
    fn check_operation_settings(&mut self, names: &[String], tags: &BTreeSet<&str>) {
        let config = self.config;
        let selection = &config.operations;
        let operations = config
            .names
            .operations
            .keys()
            .chain(&selection.include)
            .chain(&selection.exclude)
            .chain(&config.idempotent);
        for wanted in operations {
            if !names
                .iter()
                .any(|n| crate::settings::same_operation(wanted, n))
            {
                self.skip(
                    "#/paths",
                    format!("the settings name the operation `{wanted}`, which the document does not have"),
                );
            }
        }
        for tag in selection.include_tags.iter().chain(&selection.exclude_tags) {
            if !tags.contains(tag.as_str()) {
                self.skip(
                    "#/paths",
                    format!("the settings name the tag `{tag}`, which no operation has"),
                );
            }
        }
    }
}

/// The operations of a path item as read, in the order `openapiv3`'s
/// `PathItem::iter` gives them (validation's list has that order).
fn operations_of(
    item: &serde_json::Value,
) -> impl Iterator<Item = (&'static str, &serde_json::Value)> {
    crate::validate::METHODS
        .iter()
        .filter_map(|&method| Some((method, item.get(method).filter(|op| op.is_object())?)))
}

/// A path item in the model, or a `$ref` to one.
type PathItem = ReferenceOr<openapiv3::PathItem>;

/// How many path items may be read ahead of the one being lowered.
const READ_AHEAD: usize = 8;

/// A path item's path and, when `needed`, its model or why it cannot be
/// read.
fn read_path_item(
    ((path, item), needed): ((String, serde_json::Value), bool),
) -> (String, Option<Result<PathItem, String>>) {
    let read = needed.then(|| serde::Deserialize::deserialize(item).map_err(|e| e.to_string()));
    (path, read)
}

/// An operation as its path item was read: what choosing its method's
/// name takes, before the path item is read into the model.
struct Listed {
    /// Where its path item is in the document's list of them.
    item: usize,
    path: String,
    method: &'static str,
    operation_id: Option<String>,
    /// Its `x-rust-name`, when that is a string.
    rust_name: Option<String>,
    pointer: String,
    /// The names the settings may give it by.
    names: Vec<String>,
}

impl Listed {
    fn of(
        item: usize,
        path: &str,
        method: &'static str,
        op: &serde_json::Value,
        path_pointer: &str,
    ) -> Listed {
        let text = |key: &str| {
            op.get(key)
                .and_then(serde_json::Value::as_str)
                .map(str::to_owned)
        };
        let operation_id = text("operationId");
        Listed {
            item,
            path: path.to_owned(),
            method,
            names: operation_names(operation_id.as_deref(), method, path),
            operation_id,
            rust_name: text("x-rust-name"),
            pointer: child(path_pointer, method),
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::load::{Keep, load_for_lowering};

    const DOC: &str = r#"{
      "openapi": "3.0.3",
      "info": {"title": "t", "version": "1"},
      "paths": {
        "/pets": {"get": {"operationId": "listPets", "tags": ["pets"],
          "responses": {"200": {"description": "ok"}}}},
        "/toys": {"x-rust-name": "no", "post": {"x-rust-name": "make_toy",
          "responses": {"204": {"description": "made"}}}},
        "x-note": "not a path"
      }
    }"#;

    fn lowered(loaded: crate::load::Loaded) -> crate::ir::Api {
        super::super::lower(&crate::Config::new("t"), loaded)
    }

    /// The client's methods, in order.
    fn methods(api: &crate::ir::Api) -> Vec<&str> {
        api.operations
            .iter()
            .map(|o| o.rust_name.as_str())
            .collect()
    }

    #[test]
    fn path_items_are_set_aside_in_order_and_lowered_from_the_value() {
        let loaded = load_for_lowering("t.json", DOC, Keep::Lowered).unwrap();
        let paths: Vec<&str> = loaded.paths.iter().map(|(p, _)| p.as_str()).collect();
        // Only keys that start with `/` are paths, as the model reads them.
        assert_eq!(paths, ["/pets", "/toys"]);
        assert!(loaded.api.paths.paths.is_empty());
        let api = lowered(loaded);
        assert_eq!(methods(&api), ["list_pets", "make_toy"]);
        assert!(api.skipped.is_empty(), "{:?}", api.skipped);
    }

    #[test]
    fn an_empty_operation_id_is_no_id() {
        let doc = r#"{
          "openapi": "3.0.3",
          "info": {"title": "t", "version": "1"},
          "paths": {
            "/reports/{id}": {"get": {"operationId": "",
              "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
              "responses": {"200": {"description": "ok"}}}},
            "/notes": {"post": {"operationId": "  ",
              "responses": {"204": {"description": "made"}}}}
          }
        }"#;
        let api = lowered(load_for_lowering("t.json", doc, Keep::Lowered).unwrap());
        // The document's keys are read sorted.
        assert_eq!(methods(&api), ["post_notes", "get_reports_id"]);
        assert_eq!(api.operations[1].operation_id, "get_/reports/{id}");
    }

    #[test]
    fn a_path_item_the_model_cannot_read_costs_only_its_operations() {
        let mut loaded = load_for_lowering("t.json", DOC, Keep::Lowered).unwrap();
        // Past validation, as a gap in it would let through.
        loaded.paths.insert(
            1,
            (
                "/broken".to_owned(),
                serde_json::json!({"get": {"operationId": "broken", "responses": 5}}),
            ),
        );
        let api = lowered(loaded);
        assert_eq!(methods(&api), ["list_pets", "make_toy"]);
        assert_eq!(api.skipped.len(), 1, "{:?}", api.skipped);
        assert_eq!(api.skipped[0].pointer, "#/paths/~1broken");
        assert!(
            api.skipped[0].message.contains("cannot be read")
                && api.skipped[0].message.contains("operations are left out"),
            "{}",
            api.skipped[0].message
        );
    }
}

//! Finding recursive types and giving them the `Box` they need.
//!
//! A type that contains itself by value (directly, or through other types it
//! contains by value) has no finite size. `Vec` and maps are indirection
//! already; `Option` is not. The strongly connected components of the
//! "contains by value" graph are the recursive groups; every by-value edge
//! inside a group is boxed, and no other.

use crate::ir::{TaggedPayload, TypeDef, TypeKind, TypeRef};
use std::collections::BTreeMap;

/// Boxes every by-value reference that closes a cycle.
pub fn box_recursive_types(types: &mut [TypeDef]) {
    let index: BTreeMap<&str, usize> = types
        .iter()
        .enumerate()
        .map(|(i, t)| (t.rust_name.as_str(), i))
        .collect();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .map(|t| {
            let mut out = Vec::new();
            for_each_by_value(&t.kind, |ty| {
                if let Some(name) = by_value_name(ty) {
                    if let Some(&j) = index.get(name) {
                        out.push(j);
                    }
                }
            });
            out
        })
        .collect();
    let component = strongly_connected_components(&edges);
    let group: BTreeMap<String, usize> = index
        .iter()
        .map(|(name, &i)| ((*name).to_owned(), component[i]))
        .collect();
    for t in types.iter_mut() {
        let own = group[&t.rust_name];
        for_each_by_value_mut(&mut t.kind, |ty| {
            if by_value_name(ty).is_some_and(|name| group.get(name) == Some(&own)) {
                box_in_place(ty);
            }
        });
    }
}

/// A group of type aliases that are defined in terms of each other alone:
/// Rust cannot expand them, whatever wraps the references.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AliasCycle {
    /// The JSON pointers of the schemas in the group, in type order.
    pub origins: Vec<String>,
    /// The Rust names, in the same order.
    pub names: Vec<String>,
    /// Whether some reference in the cycle goes through an array or a map
    /// (a shape a schema can have, but an alias cannot), rather than none
    /// (a schema that is only itself, which has no shape at all).
    pub through_container: bool,
}

/// The groups of aliases that refer to each other in a circle
/// (`A: {allOf: [$ref: B]}` with `B: {allOf: [$ref: A]}`, or
/// `A: {type: array, items: {$ref: A}}`).
pub fn alias_cycles(types: &[TypeDef]) -> Vec<AliasCycle> {
    let index: BTreeMap<&str, usize> = types
        .iter()
        .enumerate()
        .filter(|(_, t)| matches!(t.kind, TypeKind::Alias(_)))
        .map(|(i, t)| (t.rust_name.as_str(), i))
        .collect();
    // Edges between aliases, each with whether it goes through a container.
    let mut containers = BTreeMap::new();
    let edges: Vec<Vec<usize>> = types
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let mut out = Vec::new();
            if let TypeKind::Alias(ty) = &t.kind {
                named_in(ty, false, &mut |name, through| {
                    if let Some(&j) = index.get(name) {
                        out.push(j);
                        *containers.entry((i, j)).or_insert(false) |= through;
                    }
                });
            }
            out
        })
        .collect();
    let component = strongly_connected_components(&edges);
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &c) in component.iter().enumerate() {
        groups.entry(c).or_default().push(i);
    }
    let mut cycles: Vec<AliasCycle> = groups
        .into_values()
        .filter(|members| members.len() > 1 || edges[members[0]].contains(&members[0]))
        .map(|members| AliasCycle {
            through_container: containers
                .iter()
                .any(|((i, j), through)| *through && members.contains(i) && members.contains(j)),
            origins: members.iter().map(|&i| types[i].origin.clone()).collect(),
            names: members
                .iter()
                .map(|&i| types[i].rust_name.clone())
                .collect(),
        })
        .collect();
    cycles.sort_by(|a, b| a.origins.cmp(&b.origins));
    cycles
}

/// Every named type in `ty`, with whether it sits inside a `Vec` or map.
fn named_in(ty: &TypeRef, through: bool, f: &mut impl FnMut(&str, bool)) {
    match ty {
        TypeRef::Named(name) => f(name, through),
        TypeRef::Vec(inner) | TypeRef::Map(inner) => named_in(inner, true, f),
        TypeRef::Option(inner) | TypeRef::Box(inner) => named_in(inner, through, f),
        TypeRef::Tuple(members) => members.iter().for_each(|m| named_in(m, through, f)),
        _ => {}
    }
}

/// The named type a reference holds by value, if any.
fn by_value_name(ty: &TypeRef) -> Option<&str> {
    match ty {
        TypeRef::Named(n) => Some(n),
        TypeRef::Option(inner) => by_value_name(inner),
        _ => None,
    }
}

fn box_in_place(ty: &mut TypeRef) {
    match ty {
        TypeRef::Option(inner) => box_in_place(inner),
        TypeRef::Named(_) => {
            let named = std::mem::replace(ty, TypeRef::Json);
            *ty = TypeRef::Box(Box::new(named));
        }
        _ => {}
    }
}

fn for_each_by_value(kind: &TypeKind, mut f: impl FnMut(&TypeRef)) {
    match kind {
        TypeKind::Struct(s) => s.fields.iter().for_each(|field| f(&field.ty)),
        TypeKind::TaggedUnion(u) => u.variants.iter().for_each(|v| match &v.payload {
            TaggedPayload::Fields(ty) | TaggedPayload::Whole(ty) => f(ty),
            TaggedPayload::Unit => {}
        }),
        TypeKind::UntaggedUnion(u) => u.variants.iter().for_each(|v| f(&v.ty)),
        TypeKind::Alias(ty) => f(ty),
        TypeKind::StringEnum(_) => {}
    }
}

fn for_each_by_value_mut(kind: &mut TypeKind, mut f: impl FnMut(&mut TypeRef)) {
    match kind {
        TypeKind::Struct(s) => s.fields.iter_mut().for_each(|field| f(&mut field.ty)),
        TypeKind::TaggedUnion(u) => u.variants.iter_mut().for_each(|v| match &mut v.payload {
            TaggedPayload::Fields(ty) | TaggedPayload::Whole(ty) => f(ty),
            TaggedPayload::Unit => {}
        }),
        TypeKind::UntaggedUnion(u) => u.variants.iter_mut().for_each(|v| f(&mut v.ty)),
        TypeKind::Alias(ty) => f(ty),
        TypeKind::StringEnum(_) => {}
    }
}

/// Tarjan's algorithm without recursion (a deep schema must not overflow
/// the stack). Returns each node's component number; a node with an edge to
/// itself shares a component with itself, which is what boxing needs.
fn strongly_connected_components(edges: &[Vec<usize>]) -> Vec<usize> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0; n];
    let mut on_stack = vec![false; n];
    let mut stack = Vec::new();
    let mut component = vec![UNSEEN; n];
    let mut next_order = 0;
    let mut next_component = 0;
    for root in 0..n {
        if order[root] != UNSEEN {
            continue;
        }
        // (node, index of the next edge to look at)
        let mut work = vec![(root, 0)];
        while let Some(&mut (v, ref mut edge)) = work.last_mut() {
            if *edge == 0 && order[v] == UNSEEN {
                order[v] = next_order;
                low[v] = next_order;
                next_order += 1;
                stack.push(v);
                on_stack[v] = true;
            }
            if let Some(&w) = edges[v].get(*edge) {
                *edge += 1;
                if order[w] == UNSEEN {
                    work.push((w, 0));
                } else if on_stack[w] {
                    low[v] = low[v].min(order[w]);
                }
                continue;
            }
            work.pop();
            if let Some(&(parent, _)) = work.last() {
                low[parent] = low[parent].min(low[v]);
            }
            if low[v] == order[v] {
                while let Some(w) = stack.pop() {
                    on_stack[w] = false;
                    component[w] = next_component;
                    if w == v {
                        break;
                    }
                }
                next_component += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::strongly_connected_components as scc;

    #[test]
    fn finds_groups() {
        // 0 → 1 → 2 → 0, 3 → 3, 4 alone, 4 → 0
        let c = scc(&[vec![1], vec![2], vec![0], vec![3], vec![0]]);
        assert_eq!(c[0], c[1]);
        assert_eq!(c[1], c[2]);
        assert_ne!(c[3], c[0]);
        assert_ne!(c[4], c[0]);
        assert_ne!(c[4], c[3]);
    }
}

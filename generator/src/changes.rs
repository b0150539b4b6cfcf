//! What a regeneration changes for users of the crate: two [`Surface`]s
//! compared, each change marked breaking or compatible, and the version
//! bump that follows.
//!
//! "Breaking" means code that compiled against the old crate may not
//! compile against the new one, or must now do something it did not have
//! to (set a new required field of a request). The rules look at how a type
//! is used: a type the client sends (reachable from a method's parameters)
//! is built by users; a type it returns is read and matched on. So a new
//! optional field is compatible (responses only add data; requests built
//! with `..Default::default()` keep compiling), while a new variant of an
//! enum the client returns is breaking (a `match` without a wildcard arm no
//! longer covers it) unless the enum is `#[non_exhaustive]`.

use crate::Files;
use crate::surface::{self, Field, Method, Shape, Surface, SurfaceError, TypeSurface};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

/// Whether a change can break users' code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// Code written against the old crate may not compile, or must change.
    Breaking,
    /// Code written against the old crate keeps working.
    Compatible,
}

impl Severity {
    fn word(self) -> &'static str {
        match self {
            Severity::Breaking => "breaking",
            Severity::Compatible => "compatible",
        }
    }
}

/// One change to the API.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ApiChange {
    /// Breaking or compatible.
    pub severity: Severity,
    /// The item's public path (`types::CustomerBalance::id`).
    pub item: String,
    /// What the item is: `type`, `field`, `variant` or `method`.
    pub kind: &'static str,
    /// What happened to it, as the report says it: ``removed (was `Option<Uuid>`)``.
    pub change: String,
}

impl std::fmt::Display for ApiChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} `{}` {}", self.kind, self.item, self.change)
    }
}

/// A semantic version bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bump {
    /// Nothing changed.
    None,
    /// Files changed, the API did not (documentation, behaviour).
    Patch,
    /// The API grew, compatibly.
    Minor,
    /// The API changed in a way that can break users.
    Major,
}

impl Bump {
    /// The bump's name: `none`, `patch`, `minor` or `major`.
    pub fn name(self) -> &'static str {
        match self {
            Bump::None => "none",
            Bump::Patch => "patch",
            Bump::Minor => "minor",
            Bump::Major => "major",
        }
    }

    /// The version after this bump, as Cargo reads versions: below 1.0.0 the
    /// first non-zero number is the one that says "breaking" (`0.3.1` →
    /// `0.4.0` for a major bump, `0.3.2` for a minor or patch one; any
    /// change to `0.0.z` is breaking). `version` is `MAJOR.MINOR.PATCH`;
    /// anything else (a pre-release, build metadata) is refused.
    pub fn apply(self, version: &str) -> Result<String, String> {
        let parts: Vec<u64> = version
            .split('.')
            .map(|p| {
                (!p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                    .then(|| p.parse().ok())
                    .flatten()
            })
            .collect::<Option<_>>()
            .filter(|p: &Vec<u64>| p.len() == 3)
            .ok_or_else(|| {
                format!("cannot bump the version `{version}`: it is not MAJOR.MINOR.PATCH")
            })?;
        let (major, minor, patch) = (parts[0], parts[1], parts[2]);
        let next = match (self, major, minor) {
            (Bump::None, ..) => (major, minor, patch),
            (_, 0, 0) => (0, 0, patch + 1),
            (Bump::Major, 0, _) => (0, minor + 1, 0),
            (Bump::Minor | Bump::Patch, 0, _) => (0, minor, patch + 1),
            (Bump::Major, ..) => (major + 1, 0, 0),
            (Bump::Minor, ..) => (major, minor + 1, 0),
            (Bump::Patch, ..) => (major, minor, patch + 1),
        };
        Ok(format!("{}.{}.{}", next.0, next.1, next.2))
    }
}

/// What a regeneration changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The crate's name.
    pub crate_name: String,
    /// The version of the crate on disk, if its manifest says.
    pub version: Option<String>,
    /// Whether any file changes at all.
    pub files_changed: bool,
    /// The API changes: breaking ones first, each group by item path.
    pub changes: Vec<ApiChange>,
}

impl Report {
    /// The bump the changes call for.
    pub fn bump(&self) -> Bump {
        if self
            .changes
            .iter()
            .any(|c| c.severity == Severity::Breaking)
        {
            Bump::Major
        } else if !self.changes.is_empty() {
            Bump::Minor
        } else if self.files_changed {
            Bump::Patch
        } else {
            Bump::None
        }
    }

    /// The version after the suggested bump, when the current one is known
    /// and can be bumped.
    pub fn next_version(&self) -> Option<String> {
        self.version
            .as_deref()
            .and_then(|v| self.bump().apply(v).ok())
    }

    fn count(&self, severity: Severity) -> usize {
        self.changes
            .iter()
            .filter(|c| c.severity == severity)
            .count()
    }

    /// One line: how many changes of each kind, and the suggested bump.
    pub fn summary(&self) -> String {
        let bump = self.bump();
        let mut line = match (
            self.count(Severity::Breaking),
            self.count(Severity::Compatible),
        ) {
            (0, 0) if self.files_changed => {
                "no change to the API (documentation or behaviour only)".to_owned()
            }
            (0, 0) => "no change".to_owned(),
            (b, c) => format!("{} breaking, {} compatible", b, c),
        };
        if bump != Bump::None {
            write!(line, "; suggested version bump: {}", bump.name()).unwrap();
            if let (Some(from), Some(to)) = (&self.version, self.next_version()) {
                write!(line, " ({from} → {to})").unwrap();
            }
        }
        line
    }

    /// The report for a terminal: a summary line, then one line per change.
    pub fn to_text(&self) -> String {
        let mut text = format!("API changes in {}: {}\n", self.crate_name, self.summary());
        for change in &self.changes {
            writeln!(text, "  {:<10}  {change}", change.severity.word()).unwrap();
        }
        text
    }

    /// The report as Markdown, for a pull request or a changelog.
    pub fn to_markdown(&self) -> String {
        let mut text = format!("## API changes in `{}`\n\n", self.crate_name);
        let bump = self.bump();
        if bump == Bump::None {
            text.push_str("No change.\n");
            return text;
        }
        write!(text, "Suggested version bump: **{}**", bump.name()).unwrap();
        if let (Some(from), Some(to)) = (&self.version, self.next_version()) {
            write!(text, " ({from} → {to})").unwrap();
        }
        text.push_str(".\n");
        if self.changes.is_empty() {
            text.push_str("\nNo change to the API (documentation or behaviour only).\n");
        }
        for (severity, title) in [
            (Severity::Breaking, "Breaking"),
            (Severity::Compatible, "Compatible"),
        ] {
            let changes: Vec<&ApiChange> = self
                .changes
                .iter()
                .filter(|c| c.severity == severity)
                .collect();
            if changes.is_empty() {
                continue;
            }
            write!(text, "\n### {title} ({})\n\n", changes.len()).unwrap();
            for change in changes {
                writeln!(text, "- {change}").unwrap();
            }
        }
        text
    }
}

/// Compares the files of a crate before and after a regeneration. The
/// crate's name and version are read from `old`'s `Cargo.toml`.
pub fn compare(old: &Files, new: &Files) -> Result<Report, SurfaceError> {
    let manifest = |files: &Files, key: &str| {
        files
            .0
            .get("Cargo.toml")
            .and_then(|text| manifest_value(text, key))
    };
    let crate_name = manifest(new, "name")
        .or_else(|| manifest(old, "name"))
        .unwrap_or_else(|| "the crate".into());
    let files_changed = old != new;
    let changes = if files_changed {
        diff(&surface::read(old)?, &surface::read(new)?)
    } else {
        Vec::new()
    };
    Ok(Report {
        crate_name,
        version: manifest(old, "version"),
        files_changed,
        changes,
    })
}

/// A string value of the `[package]` table of a manifest the generator
/// wrote (`version = "0.1.0"` → `0.1.0`).
pub fn manifest_value(manifest: &str, key: &str) -> Option<String> {
    let mut in_package = false;
    for line in manifest.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
            continue;
        }
        if !in_package {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        if k.trim() == key {
            let v = v.trim();
            return v
                .strip_prefix('"')
                .and_then(|v| v.strip_suffix('"'))
                .map(str::to_owned);
        }
    }
    None
}

/// How the client uses each type: sent (reachable from a method's
/// parameters) and returned (reachable from what a method returns).
#[derive(Debug, Default)]
struct Usage {
    sent: BTreeSet<String>,
    returned: BTreeSet<String>,
}

impl Usage {
    fn of(surface: &Surface) -> Usage {
        let mut usage = Usage::default();
        let mut sent = Vec::new();
        let mut returned = Vec::new();
        for t in surface.types.values() {
            for m in t.methods.values() {
                sent.extend(m.params.iter().flat_map(|(_, ty)| ty.refs.iter().cloned()));
                returned.extend(m.returns.refs.iter().cloned());
            }
        }
        reach(surface, sent, &mut usage.sent);
        reach(surface, returned, &mut usage.returned);
        usage
    }

    /// Users build values of the type (or it is not used by the client,
    /// and may be built by anyone).
    fn built(&self, path: &str) -> bool {
        self.sent.contains(path) || !self.returned.contains(path)
    }

    /// Users read and match on values of the type (or it is not used by
    /// the client at all).
    fn read(&self, path: &str) -> bool {
        self.returned.contains(path) || !self.sent.contains(path)
    }
}

/// Everything `roots` reach through fields, variants and aliases.
fn reach(surface: &Surface, mut todo: Vec<String>, seen: &mut BTreeSet<String>) {
    while let Some(path) = todo.pop() {
        if !seen.insert(path.clone()) {
            continue;
        }
        let Some(t) = surface.types.get(&path) else {
            continue;
        };
        match &t.shape {
            Shape::Struct { fields, .. } => {
                todo.extend(fields.values().flat_map(|f| f.ty.refs.iter().cloned()));
            }
            Shape::Enum { variants, .. } => {
                todo.extend(
                    variants
                        .values()
                        .flat_map(|v| v.payload.refs.iter().cloned()),
                );
            }
            Shape::Alias(ty) => todo.extend(ty.refs.iter().cloned()),
        }
    }
}

/// The changes from `old` to `new`, breaking first, each group in path order.
pub fn diff(old: &Surface, new: &Surface) -> Vec<ApiChange> {
    let old_usage = Usage::of(old);
    let new_usage = Usage::of(new);
    let mut out = Changes::default();
    for (path, before, after) in pairs(&old.types, &new.types) {
        match (before, after) {
            (Some(before), None) => {
                out.breaking(
                    path,
                    "type",
                    format!("removed (was {})", before.shape.kind()),
                );
            }
            (None, Some(after)) => {
                out.compatible(path, "type", format!("added ({})", after.shape.kind()));
            }
            (Some(before), Some(after)) => {
                type_changes(path, before, after, &old_usage, &new_usage, &mut out);
            }
            (None, None) => {}
        }
    }
    let mut changes = out.0;
    changes.sort();
    changes
}

#[derive(Default)]
struct Changes(Vec<ApiChange>);

impl Changes {
    fn push(&mut self, severity: Severity, item: String, kind: &'static str, change: String) {
        self.0.push(ApiChange {
            severity,
            item,
            kind,
            change,
        });
    }

    fn breaking(&mut self, item: impl Into<String>, kind: &'static str, change: String) {
        self.push(Severity::Breaking, item.into(), kind, change);
    }

    fn compatible(&mut self, item: impl Into<String>, kind: &'static str, change: String) {
        self.push(Severity::Compatible, item.into(), kind, change);
    }

    fn deprecation(&mut self, item: String, kind: &'static str, before: bool, after: bool) {
        match (before, after) {
            (false, true) => self.compatible(item, kind, "is now deprecated".into()),
            (true, false) => self.compatible(item, kind, "is no longer deprecated".into()),
            _ => {}
        }
    }
}

/// The keys of two maps in order, with each side's value.
fn pairs<'a, T>(
    old: &'a BTreeMap<String, T>,
    new: &'a BTreeMap<String, T>,
) -> impl Iterator<Item = (&'a str, Option<&'a T>, Option<&'a T>)> {
    let keys: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    keys.into_iter()
        .map(move |k| (k.as_str(), old.get(k), new.get(k)))
}

fn type_changes(
    path: &str,
    before: &TypeSurface,
    after: &TypeSurface,
    old_usage: &Usage,
    new_usage: &Usage,
    out: &mut Changes,
) {
    out.deprecation(path.to_owned(), "type", before.deprecated, after.deprecated);
    if let (Some(old), Some(new)) = (&before.security, &after.security) {
        security_changes(path, old, new, out);
    }
    match (&before.shape, &after.shape) {
        (
            Shape::Struct {
                fields: old_fields,
                default: old_default,
            },
            Shape::Struct {
                fields: new_fields,
                default: new_default,
            },
        ) => {
            let built = new_usage.built(path) || old_usage.built(path);
            for (name, old_field, new_field) in pairs(old_fields, new_fields) {
                let item = format!("{path}::{name}");
                match (old_field, new_field) {
                    (Some(f), None) => {
                        out.breaking(item, "field", format!("removed (was `{}`)", f.ty.text));
                    }
                    (None, Some(f)) => field_added(item, f, built, *new_default, out),
                    (Some(a), Some(b)) => {
                        if a.ty.text != b.ty.text {
                            out.breaking(item.clone(), "field", type_change(&a.ty, &b.ty));
                        }
                        out.deprecation(item, "field", a.deprecated, b.deprecated);
                    }
                    (None, None) => {}
                }
            }
            match (old_default, new_default) {
                (true, false) => out.breaking(
                    path,
                    "type",
                    "no longer implements `Default` (`..Default::default()` stops compiling)"
                        .into(),
                ),
                (false, true) => out.compatible(path, "type", "now implements `Default`".into()),
                _ => {}
            }
        }
        (
            Shape::Enum {
                variants: old_variants,
                ..
            },
            Shape::Enum {
                variants: new_variants,
                non_exhaustive,
            },
        ) => {
            let matched = new_usage.read(path) && !non_exhaustive;
            for (name, old_variant, new_variant) in pairs(old_variants, new_variants) {
                let item = format!("{path}::{name}");
                match (old_variant, new_variant) {
                    (Some(_), None) => out.breaking(item, "variant", "removed".into()),
                    (None, Some(v)) => {
                        let what = match v.payload.text.as_str() {
                            "" => "added".to_owned(),
                            payload => format!("added: `{name}{payload}`"),
                        };
                        if matched {
                            out.breaking(
                                item,
                                "variant",
                                format!("{what} (a `match` without a wildcard arm must handle it)"),
                            );
                        } else {
                            out.compatible(item, "variant", what);
                        }
                    }
                    (Some(a), Some(b)) if a.payload.text != b.payload.text => {
                        let show = |p: &str| match p {
                            "" => format!("`{name}`"),
                            p => format!("`{name}{p}`"),
                        };
                        out.breaking(
                            item,
                            "variant",
                            format!(
                                "changed: {} → {}",
                                show(&a.payload.text),
                                show(&b.payload.text)
                            ),
                        );
                    }
                    _ => {}
                }
            }
        }
        (Shape::Alias(a), Shape::Alias(b)) => {
            if a.text != b.text {
                out.breaking(
                    path,
                    "type",
                    format!("changed: alias of `{}` → alias of `{}`", a.text, b.text),
                );
            }
        }
        (a, b) => out.breaking(
            path,
            "type",
            format!("changed from {} to {}", a.kind(), b.kind()),
        ),
    }
    for (name, old_method, new_method) in pairs(&before.methods, &after.methods) {
        let item = format!("{path}::{name}");
        match (old_method, new_method) {
            (Some(m), None) => out.breaking(
                item,
                "method",
                format!("removed (was `{}`)", m.signature(name)),
            ),
            (None, Some(m)) => {
                out.compatible(item, "method", format!("added: `{}`", m.signature(name)));
            }
            (Some(a), Some(b)) => method_changes(item, name, a, b, out),
            (None, None) => {}
        }
    }
}

/// A request's security requirements, before and after. A caller's
/// credentials met some old requirement; the change breaks them when an old
/// requirement is met by no new one with no more schemes (a new required
/// scheme, an alternative taken away), and is compatible when every old
/// requirement still is (a new alternative, a scheme no longer needed).
fn security_changes(path: &str, old: &[Vec<String>], new: &[Vec<String>], out: &mut Changes) {
    if old == new {
        return;
    }
    let text = |requirements: &[Vec<String>]| -> String {
        if requirements.is_empty() {
            return "none at all".into();
        }
        requirements
            .iter()
            .map(|r| match &r[..] {
                [] => "nothing".to_owned(),
                schemes => schemes
                    .iter()
                    .map(|s| format!("`{s}`"))
                    .collect::<Vec<_>>()
                    .join(" and "),
            })
            .collect::<Vec<_>>()
            .join(", or ")
    };
    // No requirement at all asks for nothing: any caller meets it.
    let asks_nothing = [Vec::new()];
    let met_before = if old.is_empty() {
        &asks_nothing[..]
    } else {
        old
    };
    let met_after = if new.is_empty() {
        &asks_nothing[..]
    } else {
        new
    };
    let still_met = met_before.iter().all(|before| {
        met_after
            .iter()
            .any(|after| after.iter().all(|s| before.contains(s)))
    });
    let change = format!(
        "changed: its credentials were {}, and are {}",
        text(old),
        text(new)
    );
    if still_met {
        out.compatible(path, "security", change);
    } else {
        out.breaking(path, "security", change);
    }
}

fn field_added(item: String, field: &Field, built: bool, default: bool, out: &mut Changes) {
    let ty = &field.ty.text;
    match (built, field.ty.is_option(), default) {
        (false, ..) => out.compatible(item, "field", format!("added: `{ty}`")),
        (true, false, _) => out.breaking(
            item,
            "field",
            format!("added: `{ty}`, required (requests must now set it)"),
        ),
        (true, true, true) => out.compatible(item, "field", format!("added: `{ty}`")),
        (true, true, false) => out.breaking(
            item,
            "field",
            format!("added: `{ty}` (struct literals must now name it; the type has no `Default`)"),
        ),
    }
}

fn type_change(before: &surface::Ty, after: &surface::Ty) -> String {
    if before.option_inner() == Some(after.text.as_str()) {
        format!("became required: `{}` → `{}`", before.text, after.text)
    } else if after.option_inner() == Some(before.text.as_str()) {
        format!("became optional: `{}` → `{}`", before.text, after.text)
    } else {
        format!("changed type: `{}` → `{}`", before.text, after.text)
    }
}

fn method_changes(item: String, name: &str, before: &Method, after: &Method, out: &mut Changes) {
    if before.calling_convention() != after.calling_convention() {
        out.breaking(
            item.clone(),
            "method",
            format!(
                "changed: `{}` → `{}`",
                before.signature(name),
                after.signature(name)
            ),
        );
    }
    out.deprecation(item, "method", before.deprecated, after.deprecated);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bumps_follow_cargo_rules() {
        let cases = [
            (Bump::Major, "1.2.3", "2.0.0"),
            (Bump::Minor, "1.2.3", "1.3.0"),
            (Bump::Patch, "1.2.3", "1.2.4"),
            (Bump::None, "1.2.3", "1.2.3"),
            (Bump::Major, "0.1.0", "0.2.0"),
            (Bump::Minor, "0.1.0", "0.1.1"),
            (Bump::Patch, "0.1.0", "0.1.1"),
            (Bump::Major, "0.0.7", "0.0.8"),
            (Bump::Patch, "0.0.7", "0.0.8"),
        ];
        for (bump, from, to) in cases {
            assert_eq!(bump.apply(from).as_deref(), Ok(to), "{bump:?} {from}");
        }
        for bad in ["1.2", "1.2.3-beta", "1.2.x", "", "1..2"] {
            assert!(Bump::Major.apply(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn reads_the_package_table_of_a_manifest() {
        let manifest = "# header\n[package]\nname = \"zoo-payments\"\nversion = \"0.3.1\"\n\n[dependencies]\nversion = \"9\"\n";
        assert_eq!(
            manifest_value(manifest, "version").as_deref(),
            Some("0.3.1")
        );
        assert_eq!(
            manifest_value(manifest, "name").as_deref(),
            Some("zoo-payments")
        );
        assert_eq!(manifest_value(manifest, "edition"), None);
    }
}

//! The intermediate representation: what the generated crate will contain,
//! with every decision already made.
//!
//! Lowering (`crate::lower`) builds these values from the OpenAPI document;
//! emission (`crate::emit`) turns them into Rust tokens. The IR is plain data:
//! no `openapiv3` types, no tokens, no references back into the document. Every
//! name here is already a valid, collision-free Rust identifier (the `rust_name`
//! fields), next to the name on the wire (`wire_name`) it came from. Every node
//! that came from the document keeps the JSON pointer of its origin.
//!
//! Order is part of the data: vectors are in output order, so emission never
//! sorts and never depends on hashing.

mod auth;

pub use auth::{Auth, Credential, KeyLocation, Requirement, Scheme};

/// Everything the generated crate is made of.
#[derive(Debug, Clone, PartialEq)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`, as rustdoc for the crate.
    pub docs: Docs,
    /// The named types, in output order (component schemas first, in document
    /// order, then hoisted inline schemas in the order they were met).
    pub types: Vec<TypeDef>,
    /// The client that the operations hang off.
    pub client: Client,
    /// One client method per operation, in document order.
    pub operations: Vec<Operation>,
    /// What the document says that the generated crate does not carry out,
    /// in document order: nothing unsupported is dropped without a word.
    pub skipped: Vec<Skipped>,
    /// JSON values the crate's types must read and write back without loss:
    /// the document's examples and instances built from its schemas. Empty
    /// unless [`Config::example_tests`](crate::Config::example_tests) asks
    /// for them.
    pub wire_cases: Vec<WireCase>,
    /// One call of every operation, with arguments built from the
    /// document's schemas, for the crate's call tests. Empty unless
    /// [`Config::call_tests`](crate::Config::call_tests) asks for them.
    pub call_cases: Vec<CallCase>,
}

/// One call of an operation, for the crate's call tests (`tests/calls.rs`):
/// a value for every required parameter and body, and for every optional
/// parameter a valid value could be built for, so that the server judges
/// how each is sent.
#[derive(Debug, Clone, PartialEq)]
pub struct CallCase {
    /// The operation's method, by Rust name ([`Operation::rust_name`]).
    pub operation: String,
    /// The arguments, by the Rust name of the parameter or the body, in
    /// the operation's order (parameters, then the body).
    pub args: Vec<CallArg>,
    /// Why the operation cannot be called: a required parameter or body
    /// for which no value valid by its schema could be built.
    pub not_called: Option<String>,
}

/// One argument of a [`CallCase`].
#[derive(Debug, Clone, PartialEq)]
pub struct CallArg {
    /// The parameter's (or the body's) Rust name.
    pub rust_name: String,
    /// The value, as compact JSON text, valid by its schema: it decodes
    /// into the argument's type (a string for a text body, the bytes'
    /// text for a body of bytes).
    pub json: String,
    /// Where the value comes from: `example` (the document's, with its
    /// pointer) or the instance built from the schema (`minimal`).
    pub source: String,
}

/// A JSON value that a type of the crate must decode, encode and decode
/// again to the same value, keeping every key its schema declares.
#[derive(Debug, Clone, PartialEq)]
pub struct WireCase {
    /// The type it decodes into, as the client would decode it.
    pub ty: TypeRef,
    /// The JSON pointer of the example, or of the schema the instance was
    /// built from.
    pub origin: String,
    /// Where the value comes from.
    pub source: WireSource,
    /// The value, as compact JSON text.
    pub json: String,
    /// The JSON pointers (into the value) of the keys its schema declares:
    /// encoding must not drop one the value has (and is not `null`).
    pub declared: Vec<String>,
    /// Why the value breaks its own schema, when it does (a fault of the
    /// document's example, reported apart from the crate's).
    pub invalid: Option<String>,
}

/// Where a [`WireCase`] comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WireSource {
    /// An example the document gives.
    Example,
    /// An instance built from the schema; the label says which
    /// (`minimal`, `full`, `variant 2`, `enum active`, `null`, `nulls`).
    Instance(String),
}

impl std::fmt::Display for WireSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WireSource::Example => f.write_str("example"),
            WireSource::Instance(label) => write!(f, "instance ({label})"),
        }
    }
}

/// Something in the document that the generated crate leaves out, weakens
/// (a type that becomes any JSON value, a default not applied) or renames,
/// and why. Generation still succeeds and tools print these; with
/// [`Config::strict`](crate::Config::strict) each is an error instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The JSON pointer of what was left out.
    pub pointer: String,
    /// 1-based line and column of the pointer's value in the input, once
    /// located (see [`crate::lower_text`]).
    pub line_col: Option<(usize, usize)>,
    /// What was left out, and what the crate does instead. Items with the
    /// same message are grouped in reports.
    pub message: String,
    /// The operation left out (`` operation `getUser` ``), when the item is
    /// one: the pointer alone does not name it, and the message must not,
    /// so that items with the same reason group.
    pub subject: Option<String>,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.pointer, self.message)?;
        if let Some(subject) = &self.subject {
            write!(f, " ({subject})")?;
        }
        Ok(())
    }
}

/// Documentation lines: each becomes one `#[doc = " line"]` attribute.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docs(pub Vec<String>);

impl Docs {
    /// Splits `text` into lines, trimming trailing white space and leading
    /// and trailing blank lines. A carriage return ends a line too: rustc
    /// refuses a bare one in a doc comment.
    pub fn from_text(text: &str) -> Docs {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        let lines = indent_list_continuations(text.lines().map(|l| l.trim_end().to_owned()));
        let start = lines
            .iter()
            .position(|l| !l.is_empty())
            .unwrap_or(lines.len());
        let end = lines
            .iter()
            .rposition(|l| !l.is_empty())
            .map_or(start, |i| i + 1);
        Docs(lines[start..end].to_vec())
    }

    /// Whether there is nothing to say.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Appends a paragraph, separated from what is there by a blank line.
    pub fn push_paragraph(&mut self, text: &str) {
        let more = Docs::from_text(text);
        if more.is_empty() {
            return;
        }
        if !self.0.is_empty() {
            self.0.push(String::new());
        }
        self.0.extend(more.0);
    }
}

/// Markdown lets a list item's text run on to lines that are not indented
/// ("lazy continuation"); rustdoc reads them right, but they are easy to
/// misread, and clippy objects. Indents them under their item, outside code
/// fences.
fn indent_list_continuations(lines: impl Iterator<Item = String>) -> Vec<String> {
    let mut out = Vec::new();
    let mut item_indent: Option<usize> = None;
    let mut fenced = false;
    for line in lines {
        let trimmed = line.trim_start();
        let leading = line.len() - trimmed.len();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fenced = !fenced;
            item_indent = None;
        } else if fenced {
        } else if trimmed.is_empty() {
            item_indent = None;
        } else if let Some(width) = list_marker_width(trimmed) {
            item_indent = Some(leading + width);
        } else if let Some(indent) = item_indent.filter(|&i| leading < i) {
            out.push(format!("{}{trimmed}", " ".repeat(indent)));
            continue;
        }
        out.push(line);
    }
    out
}

/// The width of a list marker and the space after it (`- `, `12. `).
pub(crate) fn list_marker_width(text: &str) -> Option<usize> {
    let marker = if ["- ", "* ", "+ "].iter().any(|m| text.starts_with(m)) {
        1
    } else {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        let rest = &text[digits..];
        if digits == 0 || digits > 9 || !(rest.starts_with(". ") || rest.starts_with(") ")) {
            return None;
        }
        digits + 1
    };
    // The item's text starts after the marker's spaces (up to four; more
    // is an indented code block).
    let spaces = text[marker..].bytes().take_while(|b| *b == b' ').count();
    Some(marker + if spaces > 4 { 1 } else { spaces })
}

/// A named type in the `types` module.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name (UpperCamelCase, unique in the module).
    pub rust_name: String,
    /// The JSON pointer of the schema this type was made from.
    pub origin: String,
    /// Rustdoc.
    pub docs: Docs,
    /// Whether the schema is `deprecated`.
    pub deprecated: bool,
    /// What kind of type it is.
    pub kind: TypeKind,
}

/// The shapes a named type can take.
#[derive(Debug, Clone, PartialEq)]
pub enum TypeKind {
    /// A struct with named fields (`type: object` with `properties`).
    Struct(Struct),
    /// A string enum that keeps values it does not know.
    StringEnum(StringEnum),
    /// A union tagged by a property (`oneOf` whose members each pin one value
    /// of a common property); unknown tags are kept as raw JSON.
    TaggedUnion(TaggedUnion),
    /// A union told apart by shape (`oneOf`/`anyOf` without a tag).
    UntaggedUnion(UntaggedUnion),
    /// Another name for a type (`type: string` as a component, and the like).
    Alias(TypeRef),
}

/// A struct's fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Struct {
    /// Fields, in document order.
    pub fields: Vec<Field>,
    /// Where the properties the schema does not name go
    /// (`additionalProperties` next to `properties`), if anywhere.
    pub additional: Option<AdditionalFields>,
}

/// The map that keeps an object's other properties: a flattened field.
#[derive(Debug, Clone, PartialEq)]
pub struct AdditionalFields {
    /// The field's Rust name (`additional_properties`, unless a property
    /// took it).
    pub rust_name: String,
    /// The type of each value.
    pub value: TypeRef,
}

/// One struct field.
#[derive(Debug, Clone, PartialEq)]
pub struct Field {
    /// The Rust name (snake_case, raw identifier already applied if needed).
    pub rust_name: String,
    /// The property name on the wire.
    pub wire_name: String,
    /// The JSON pointer of the property's schema.
    pub origin: String,
    /// Rustdoc.
    pub docs: Docs,
    /// The value's type, without the `Option` that `presence` adds.
    pub ty: TypeRef,
    /// How the field may be absent or null.
    pub presence: Presence,
    /// Whether the property is `deprecated`.
    pub deprecated: bool,
}

/// Whether a field may be left out, and whether it may be `null`.
#[derive(Debug, Clone, PartialEq)]
pub enum Presence {
    /// Required and not nullable: `T`.
    Required,
    /// Required but nullable: `Option<T>`, written as `null` when `None`
    /// (and, leniently, read as `None` when a server leaves it out).
    RequiredNullable,
    /// Not required, not nullable: `Option<T>`, left out when `None`.
    Optional,
    /// Not required and nullable, in a type that requests send: three
    /// states, `Option<Option<T>>`. `None` is left out, `Some(None)` is
    /// written as `null`. (In types only read, such fields are `Optional`.)
    OptionalNullable,
    /// Not required, with a `default` the crate applies: `T`, which reads
    /// as the default when absent.
    Defaulted(DefaultValue),
}

impl Presence {
    /// Whether the field may be left out of a struct literal's wire form.
    pub fn is_optional(&self) -> bool {
        !matches!(self, Presence::Required | Presence::RequiredNullable)
    }

    /// How many `Option`s the field's type wraps its value in: none for a
    /// required or defaulted field, two for an optional nullable one.
    pub fn options(&self) -> usize {
        match self {
            Presence::Required => 0,
            Presence::Defaulted(d) => usize::from(d.nullable),
            Presence::RequiredNullable | Presence::Optional => 1,
            Presence::OptionalNullable => 2,
        }
    }
}

/// A default value, checked against the field's type.
#[derive(Debug, Clone, PartialEq)]
pub struct DefaultValue {
    /// The name of the function in the `types` module's private `defaults`
    /// module that returns it.
    pub function: String,
    /// The value.
    pub value: Literal,
    /// Whether the property is also nullable: the field is an `Option`,
    /// `null` reads as `None` and absence as the default (`Some`).
    pub nullable: bool,
}

/// A value the generated code writes as a Rust expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    /// `true` or `false`.
    Bool(bool),
    /// An integer that fits the field's integer type.
    Integer(i128),
    /// A float.
    Float(f64),
    /// A number of an `f32` field, as that type holds it: written as the
    /// shortest literal that reads back as the same `f32` (a document's
    /// `0.4000000059604645` is `0.4`).
    F32(f32),
    /// A string, for a `String` or a string enum (built with `From<&str>`).
    Str(String),
    /// An empty `Vec`.
    EmptyVec,
    /// A `Vec` of these.
    Vec(Vec<Literal>),
    /// An empty map.
    EmptyMap,
    /// The field type's own `Default` (`default: {}` on a struct whose
    /// fields may all be left out).
    TypeDefault,
    /// A `rust_decimal::Decimal`: `mantissa` × 10^-`scale` (`12.50` is
    /// 1250 and 2), so that the default keeps its scale.
    Decimal {
        /// The digits, as an integer.
        mantissa: i128,
        /// How many of them are after the point.
        scale: u32,
    },
    /// A map of these, by key.
    Map(Vec<(String, Literal)>),
    /// `None`.
    None,
    /// `Some` of this.
    Some(Box<Literal>),
    /// A `Box` of this.
    Boxed(Box<Literal>),
    /// A struct of the `types` module, every field given.
    Struct {
        /// The struct's Rust name.
        ty: String,
        /// Each field's Rust name and value, in the struct's order.
        fields: Vec<(String, Literal)>,
    },
    /// A variant of a tagged union of the `types` module.
    Variant {
        /// The enum's Rust name.
        ty: String,
        /// The variant's Rust name.
        variant: String,
        /// Its payload, unless it has none.
        payload: Option<Box<Literal>>,
    },
}

/// A string enum.
#[derive(Debug, Clone, PartialEq)]
pub struct StringEnum {
    /// Known values, in document order.
    pub variants: Vec<EnumVariant>,
    /// The Rust name of the catch-all variant that keeps unknown values.
    pub unknown_variant: String,
}

/// One known value of a string enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnumVariant {
    /// The Rust name (UpperCamelCase).
    pub rust_name: String,
    /// The value on the wire.
    pub wire_name: String,
    /// Rustdoc.
    pub docs: Docs,
}

/// A union tagged by a property.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedUnion {
    /// The tag property's name on the wire (`type`).
    pub tag: String,
    /// Known variants, in document order.
    pub variants: Vec<TaggedVariant>,
    /// The Rust name of the catch-all variant that keeps unknown tags.
    pub unknown_variant: String,
}

/// One variant of a tagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct TaggedVariant {
    /// The Rust name (UpperCamelCase).
    pub rust_name: String,
    /// The tag's value on the wire (the one written).
    pub tag_value: String,
    /// Other tag values read as this variant (several `discriminator.mapping`
    /// keys naming one schema).
    pub aliases: Vec<String>,
    /// Rustdoc.
    pub docs: Docs,
    /// What the variant carries besides its tag.
    pub payload: TaggedPayload,
}

/// What a tagged variant carries.
#[derive(Debug, Clone, PartialEq)]
pub enum TaggedPayload {
    /// Nothing but the tag: a unit variant.
    Unit,
    /// A struct of the variant's other properties; the tag is not one of its
    /// fields (the union writes it).
    Fields(TypeRef),
    /// A named type that has the tag among its own fields (a `$ref` member),
    /// written and read whole.
    Whole(TypeRef),
}

/// A union told apart by shape: serde tries the variants in order.
#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedUnion {
    /// Variants, in document order.
    pub variants: Vec<UntaggedVariant>,
}

/// One variant of an untagged union.
#[derive(Debug, Clone, PartialEq)]
pub struct UntaggedVariant {
    /// The Rust name (UpperCamelCase).
    pub rust_name: String,
    /// Rustdoc.
    pub docs: Docs,
    /// The variant's value.
    pub ty: TypeRef,
}

/// A reference to a type, as it appears in a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TypeRef {
    /// A type in the `types` module, by its Rust name.
    Named(String),
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// A primitive integer.
    Integer(IntKind),
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// An exact decimal, such as an amount of money (`rust_decimal::Decimal`),
    /// read from a string or a number and written as a string that keeps its
    /// scale.
    Decimal,
    /// `uuid::Uuid`.
    Uuid,
    /// `chrono::DateTime<chrono::Utc>`.
    DateTime,
    /// `chrono::NaiveDate`.
    Date,
    /// Bytes (`Vec<u8>`): base64 text in JSON (`format: byte`), the raw
    /// bytes in a multipart part (`format: binary`). Only a field's own
    /// type is ever `Bytes`; elsewhere such values are base64 `String`s.
    Bytes,
    /// Any JSON value (`serde_json::Value`).
    Json,
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `(A, B, ...)`: a JSON array of fixed length whose items have types
    /// of their own (3.1's `prefixItems`).
    Tuple(Vec<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Option<T>`, for nullable values inside containers.
    Option(Box<TypeRef>),
    /// `Box<T>`, where a recursive type needs indirection.
    Box(Box<TypeRef>),
}

/// The integer types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum IntKind {
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
}

impl TypeRef {
    /// Whether a value of this type is one scalar, written as its text in a
    /// query string, a header or a form part (strings, numbers, booleans,
    /// money, UUIDs, dates).
    pub fn is_scalar(&self) -> bool {
        matches!(
            self,
            TypeRef::String
                | TypeRef::Bool
                | TypeRef::Integer(_)
                | TypeRef::F32
                | TypeRef::F64
                | TypeRef::Decimal
                | TypeRef::Uuid
                | TypeRef::Date
                | TypeRef::DateTime
        )
    }

    /// Whether a value of this type is `Copy` and small, so that parameters
    /// take it by value rather than by reference.
    pub fn is_copy(&self) -> bool {
        matches!(
            self,
            TypeRef::Bool
                | TypeRef::Integer(_)
                | TypeRef::F32
                | TypeRef::F64
                | TypeRef::Uuid
                | TypeRef::Date
                | TypeRef::DateTime
                | TypeRef::Decimal
        )
    }
}

/// How the client is built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Client {
    /// The base URL used unless another is given (the first of `servers`).
    pub default_base_url: Option<String>,
    /// How requests authenticate.
    pub auth: Auth,
}

/// One operation: one client method.
#[derive(Debug, Clone, PartialEq)]
pub struct Operation {
    /// The method's Rust name (snake_case, from the operationId).
    pub rust_name: String,
    /// The operationId, or what stood in for it.
    pub operation_id: String,
    /// The JSON pointer of the operation.
    pub origin: String,
    /// Rustdoc.
    pub docs: Docs,
    /// Whether the operation is `deprecated`.
    pub deprecated: bool,
    /// The HTTP method, upper case (`GET`).
    pub method: String,
    /// The path template as written (`/users/{id}/payment/balance`).
    pub path_template: String,
    /// The path, split into literal text and parameters.
    pub path: Vec<PathPart>,
    /// Parameters, path parameters first in path order, then query and
    /// header parameters in document order.
    pub params: Vec<Param>,
    /// The request body, if any.
    pub body: Option<RequestBody>,
    /// What a success looks like.
    pub success: Response,
    /// The `3XX` statuses that are successes too: those the operation
    /// documents when it documents no `2XX` (a login's `302`). Empty for
    /// most operations, whose `3XX` answers are errors unless the HTTP
    /// client follows them.
    pub redirects: Vec<StatusMatch>,
    /// What the documented error body decodes into.
    pub error: Response,
    /// The request's `Accept`: the media types of the successes the
    /// client reads (JSON, text), in the document's order; `None` when it
    /// reads none (no body, bytes of any type).
    pub accept: Option<String>,
    /// The name of the request the method returns, a type of the
    /// `requests` module (`GetPaymentBalanceForAnyOrg`).
    pub request_name: String,
    /// How the operation's list is walked page by page, when it is.
    pub pagination: Option<Pagination>,
    /// Whether sending the request twice has the effect of sending it once,
    /// so the client's opt-in retries may repeat it: every GET, HEAD, PUT,
    /// DELETE, OPTIONS and TRACE, and a POST or PATCH marked
    /// `x-idempotent: true` or named in the settings.
    pub idempotent: bool,
    /// The security requirements, any one of which authenticates a call:
    /// its own `security`, or the document's. The client sends the
    /// credentials of the first it was given every credential of. Empty:
    /// the call sends none.
    pub security: Vec<Requirement>,
    /// The WebSocket session the operation opens, when it is one
    /// (`x-dropshot-websocket`): the method upgrades the connection instead
    /// of making a call, and has no body and no success of its own.
    pub session: Option<Session>,
}

/// The messages of a WebSocket session, each way: JSON text frames of a
/// type, or (`None`) raw text and binary frames, as the document types
/// them. Binary frames reach the caller as bytes either way.
#[derive(Debug, Clone, PartialEq)]
pub struct Session {
    /// What the client sends (the operation's `requestBody`).
    pub send: Option<TypeRef>,
    /// What the client receives (the operation's `default` response).
    pub receive: Option<TypeRef>,
}

/// A list operation whose pages the client walks (`x-dropshot-pagination`):
/// each page has its items and the token of the next page; the next page is
/// asked for by that token.
#[derive(Debug, Clone, PartialEq)]
pub struct Pagination {
    /// The type of one item.
    pub item: TypeRef,
    /// The page struct's field of items (`Vec<item>`), by Rust name.
    pub items_field: String,
    /// The page struct's field of the next page's token, by Rust name.
    pub next_page_field: String,
    /// The parameter that carries the token, by Rust name.
    pub page_token_param: String,
    /// The parameter that carries the page size, by Rust name, if any: it is
    /// the one parameter sent again with every later page.
    pub limit_param: Option<String>,
    /// The `Client` method that streams the items, if its name is free
    /// (`list_invoices_stream`).
    pub stream_method: Option<String>,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PathPart {
    /// Text copied as it is.
    Literal(String),
    /// A parameter, by its Rust name, percent-encoded as one segment.
    Param(String),
}

/// One parameter of an operation.
#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    /// The argument's Rust name.
    pub rust_name: String,
    /// The parameter's name on the wire.
    pub wire_name: String,
    /// Where the parameter goes.
    pub location: ParamLocation,
    /// Rustdoc (listed in the method's docs).
    pub docs: Docs,
    /// The value's type.
    pub ty: TypeRef,
    /// Whether the caller must give it (otherwise the argument is an `Option`).
    pub required: bool,
    /// Whether the parameter is `deprecated` (said in the method's docs).
    pub deprecated: bool,
    /// For an array (or an object) in the query: `None` repeats the name
    /// for each item (`explode: true`, the default); otherwise the items (an
    /// object's keys and values) are joined into one value with this (`,`
    /// for `explode: false`, ` ` or `|` for the space- and pipe-delimited
    /// styles).
    pub delimiter: Option<String>,
    /// For a query parameter whose value is an object (a map or a struct):
    /// how its properties are written. `None` for every other parameter.
    pub object_style: Option<ObjectStyle>,
}

/// How a query parameter whose value is an object is written (OpenAPI's
/// `style` and `explode`). Properties without a value are left out; values
/// are written as text, as scalar parameters are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectStyle {
    /// `style: form, explode: true` (the default): one pair per property,
    /// named by the property (`role=admin&first=Alex`).
    Form,
    /// `style: form, explode: false` (or space- or pipe-delimited): one
    /// pair named by the parameter, the keys and values joined by the
    /// parameter's `delimiter` (`id=role,admin,first,Alex`).
    Joined,
    /// `style: deepObject`: one pair per property, named
    /// `parameter[property]` (`id[role]=admin&id[first]=Alex`).
    DeepObject,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamLocation {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie, in the `Cookie` header.
    Cookie,
}

/// A request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The argument's Rust name.
    pub rust_name: String,
    /// The media type sent as `Content-Type`.
    pub media_type: String,
    /// How the body is encoded, and from what.
    pub kind: BodyKind,
    /// Whether the operation requires a body.
    pub required: bool,
}

/// How a request body is encoded.
#[derive(Debug, Clone, PartialEq)]
pub enum BodyKind {
    /// A value of this type, as JSON.
    Json(TypeRef),
    /// A value of this type, as `application/x-www-form-urlencoded`.
    Form(TypeRef),
    /// A struct of this type, one part per field.
    Multipart {
        /// The struct.
        ty: TypeRef,
        /// Its fields, as parts.
        parts: Vec<MultipartPart>,
    },
    /// A multipart body whose parts the document does not describe as an
    /// object's properties (a bare `format: binary` file, an object without
    /// properties, a union): the caller builds the parts, as a
    /// `reqwest::multipart::Form`.
    MultipartForm,
    /// Text (`text/*`, XML): a `&str`.
    Text,
    /// Anything else (`application/octet-stream`, `*/*`): bytes.
    Bytes,
}

/// One part of a multipart body: a field of the body's struct.
#[derive(Debug, Clone, PartialEq)]
pub struct MultipartPart {
    /// The field's Rust name.
    pub field: String,
    /// The part's name.
    pub wire_name: String,
    /// The field's type (without its `Option`s).
    pub ty: TypeRef,
    /// How the field's value becomes the part.
    pub encoding: PartEncoding,
    /// The field's presence: a part is sent only for a value.
    pub presence: Presence,
    /// For a part of bytes: the request's setter that sends a part the
    /// caller built instead (a file or a stream), so the bytes need not be
    /// in memory.
    pub part_setter: Option<String>,
}

/// How a field becomes a multipart part.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PartEncoding {
    /// Its text, as in a query string (strings, numbers, booleans, dates,
    /// string enums).
    Text,
    /// Raw bytes (`format: binary`), as a file part.
    Bytes,
    /// JSON text (objects, arrays and anything else).
    Json,
}

/// What a response decodes into.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// A JSON body of this type.
    Json(TypeRef),
    /// A text body (`String`).
    Text,
    /// A body of bytes (`Vec<u8>`).
    Bytes,
    /// No body worth decoding (`()`).
    Empty,
    /// Different statuses with different bodies: an enum with a variant per
    /// documented status.
    ByStatus(StatusResponses),
}

/// The enum an operation with several kinds of success returns.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusResponses {
    /// The enum's Rust name, in the `types` module.
    pub rust_name: String,
    /// Rustdoc.
    pub docs: Docs,
    /// One variant per documented status, codes before ranges.
    pub variants: Vec<StatusVariant>,
}

/// One variant of a [`StatusResponses`] enum.
#[derive(Debug, Clone, PartialEq)]
pub struct StatusVariant {
    /// The variant's Rust name (`Ok`, `Created`, `NoContent`, `Status299`).
    pub rust_name: String,
    /// Rustdoc.
    pub docs: Docs,
    /// The statuses it stands for.
    pub status: StatusMatch,
    /// What its body decodes into (never `ByStatus`).
    pub body: Response,
}

/// The statuses a response variant stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusMatch {
    /// One status code.
    Code(u16),
    /// A class (`2XX` is `Range(2)`).
    Range(u16),
}

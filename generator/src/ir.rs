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
}

/// Documentation lines: each becomes one `#[doc = " line"]` attribute.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Docs(pub Vec<String>);

impl Docs {
    /// Splits `text` into lines, trimming trailing white space and leading
    /// and trailing blank lines.
    pub fn from_text(text: &str) -> Docs {
        let lines: Vec<String> = text.lines().map(|l| l.trim_end().to_owned()).collect();
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

/// A named type in the `types` module.
#[derive(Debug, Clone, PartialEq)]
pub struct TypeDef {
    /// The Rust name (UpperCamelCase, unique in the module).
    pub rust_name: String,
    /// The JSON pointer of the schema this type was made from.
    pub origin: String,
    /// Rustdoc.
    pub docs: Docs,
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
}

/// Whether a field may be left out, and whether it may be `null`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Required and not nullable: `T`.
    Required,
    /// Required but nullable: `Option<T>`, written as `null` when `None`.
    RequiredNullable,
    /// Not required: `Option<T>`, left out when `None`.
    Optional,
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
    /// The tag's value on the wire.
    pub tag_value: String,
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
    /// Any JSON value (`serde_json::Value`).
    Json,
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
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

/// How requests authenticate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// No authentication the client knows how to do.
    None,
    /// `Authorization: Bearer <token>`.
    Bearer,
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
    /// What the documented error body decodes into.
    pub error: Response,
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
}

/// A JSON request body.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestBody {
    /// The argument's Rust name.
    pub rust_name: String,
    /// The body's type.
    pub ty: TypeRef,
    /// Whether the operation requires a body.
    pub required: bool,
}

/// What a response decodes into.
#[derive(Debug, Clone, PartialEq)]
pub enum Response {
    /// A JSON body of this type.
    Json(TypeRef),
    /// No body worth decoding (`()`).
    Empty,
}

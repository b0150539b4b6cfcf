//! Errors about the input document, each with the place it was found.

use std::fmt;

/// What is wrong with the input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(String),
    /// The text is not valid YAML or JSON.
    #[error("syntax error: {0}")]
    Syntax(String),
    /// The file has no document in it.
    #[error("the file is empty: expected an OpenAPI 3.0 document")]
    Empty,
    /// The document is not an OpenAPI document of a version we read.
    #[error("{0}")]
    UnsupportedVersion(String),
    /// A value does not have the shape the OpenAPI 3.0 schema requires.
    #[error("invalid OpenAPI document: {0}")]
    Invalid(String),
    /// A `$ref` names something that does not exist.
    #[error("`$ref` points to nothing: `{0}` does not exist in this document")]
    DanglingRef(String),
    /// A `$ref` to another file or a URL.
    #[error("`$ref` to another document is not supported: `{0}`")]
    ExternalRef(String),
    /// A construct the generator cannot turn into Rust.
    #[error("unsupported: {0}")]
    Unsupported(String),
    /// Something in the document contradicts something else in it.
    #[error("{0}")]
    Inconsistent(String),
    /// A part of the document that would be skipped (left out, typed as
    /// any JSON value, renamed), which a strict configuration refuses.
    #[error("{0} (refused: the configuration is strict)")]
    Strict(String),
}

/// One error, with where it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The input file, as given to the generator.
    pub file: String,
    /// The JSON pointer of the offending value (`#/components/schemas/X`),
    /// empty for the whole document.
    pub pointer: String,
    /// 1-based line and column, where the input has them.
    pub line_col: Option<(usize, usize)>,
    /// What is wrong.
    pub problem: Problem,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "error: {}", self.problem)?;
        write!(f, "  --> {}", self.file)?;
        if let Some((line, col)) = self.line_col {
            write!(f, ":{line}:{col}")?;
        }
        if !self.pointer.is_empty() && self.pointer != "#" {
            write!(f, "\n   = at {}", self.pointer)?;
        }
        Ok(())
    }
}

/// Every error one run found, in the order found.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            writeln!(f, "{d}")?;
        }
        let n = self.0.len();
        write!(
            f,
            "{n} error{} in the spec; nothing was written",
            if n == 1 { "" } else { "s" }
        )
    }
}

/// Escapes one JSON pointer token (`/` → `~1`, `~` → `~0`).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// `base/token`, with the token escaped.
pub fn child(base: &str, token: &str) -> String {
    format!("{base}/{}", escape_token(token))
}

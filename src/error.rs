//! Problems found in a site, reported the way volunteers can act on them:
//! the file, the line and column, the line itself, what is wrong and how to fix it.

use std::fmt;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem in the user's site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site folder where possible, so messages stay short.
    pub file: PathBuf,
    /// 1-based line in the file, when the problem has one.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    pub message: String,
    pub hint: Option<String>,
    /// The text of the offending line, shown under the message with a caret.
    pub source_line: Option<String>,
    /// The message and fix in Vietnamese, for the most common problems (shown with `--lang vi`).
    pub vi: Option<String>,
}

static VIETNAMESE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Show the Vietnamese text of diagnostics that have one (`--lang vi`, or a `vi` locale).
pub fn set_vietnamese(on: bool) {
    VIETNAMESE.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// Whether messages are shown in Vietnamese too.
pub fn vietnamese() -> bool {
    VIETNAMESE.load(std::sync::atomic::Ordering::Relaxed)
}

/// Whether the environment's locale is Vietnamese (LC_ALL, LC_MESSAGES or LANG).
pub fn locale_is_vietnamese() -> bool {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .is_some_and(|v| v.starts_with("vi"))
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
            source_line: None,
            vi: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(file, message)
        }
    }

    pub fn at(mut self, line: usize, column: Option<usize>) -> Self {
        self.line = Some(line.max(1));
        self.column = column;
        self
    }

    /// The problem and its fix in Vietnamese.
    pub fn vi(mut self, text: impl Into<String>) -> Self {
        self.vi = Some(text.into());
        self
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Attach the text of `self.line` from the file's full text.
    pub fn with_source(mut self, text: &str) -> Self {
        if let Some(line) = self.line {
            self.source_line = text.lines().nth(line - 1).map(|l| l.to_string());
        }
        self
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.message)?;
        write!(f, "\n  --> {}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(col) = self.column {
                write!(f, ":{col}")?;
            }
        }
        if let (Some(line), Some(src)) = (self.line, &self.source_line) {
            let gutter = line.to_string().len();
            write!(f, "\n{:gutter$} |", "")?;
            write!(f, "\n{line} | {src}")?;
            let col = self.column.unwrap_or(1).max(1);
            // Columns count characters, and the caret must sit under the same one.
            let pad: String = src
                .chars()
                .take(col - 1)
                .map(|c| if c == '\t' { '\t' } else { ' ' })
                .collect();
            write!(f, "\n{:gutter$} | {pad}^", "")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, "\n  = help: {hint}")?;
        }
        if let Some(vi) = self
            .vi
            .as_ref()
            .filter(|_| VIETNAMESE.load(std::sync::atomic::Ordering::Relaxed))
        {
            write!(f, "\n  = tiếng Việt: {vi}")?;
        }
        Ok(())
    }
}

/// Why a command failed.
#[derive(Debug)]
pub enum Error {
    /// Problems in the user's site (exit status 1). Warnings may be among them.
    Site(Vec<Diagnostic>),
    /// The file system failed us where the user cannot fix the content.
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// The command was called wrongly (exit status 2).
    Usage(String),
}

impl Error {
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    pub fn one(d: Diagnostic) -> Self {
        Error::Site(vec![d])
    }

    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => 2,
            _ => 1,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Site(diags) => {
                for d in diags {
                    writeln!(f, "{d}\n")?;
                }
                let errors = diags.iter().filter(|d| d.is_error()).count();
                write!(f, "{errors} error(s)")
            }
            Error::Io { path, source } => write!(f, "error: {}: {source}", path.display()),
            Error::Usage(msg) => write!(f, "error: {msg}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<Diagnostic> for Error {
    fn from(d: Diagnostic) -> Self {
        Error::one(d)
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Collects diagnostics across a stage so that the user sees every problem at once.
#[derive(Debug, Default)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn extend(&mut self, ds: impl IntoIterator<Item = Diagnostic>) {
        self.items.extend(ds);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }

    /// Sorted by file and line so output does not depend on thread timing.
    pub fn sorted(mut self) -> Vec<Diagnostic> {
        self.items.sort_by(|a, b| {
            (&a.file, a.line, a.severity, &a.message)
                .cmp(&(&b.file, b.line, b.severity, &b.message))
        });
        self.items.dedup();
        self.items
    }

    /// Fail with every problem when any is an error; otherwise hand back the warnings.
    pub fn into_result(self) -> Result<Vec<Diagnostic>> {
        if self.has_errors() {
            Err(Error::Site(self.sorted()))
        } else {
            Ok(self.sorted())
        }
    }
}

/// The nearest name in `known`, for "did you mean" hints.
pub fn suggest<'a>(unknown: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|k| (strsim::damerau_levenshtein(unknown, k), *k))
        .filter(|(d, k)| *d <= 2.max(k.len() / 3))
        .min()
        .map(|(_, k)| k)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_nearest_field() {
        let known = ["title", "location", "district", "summary"];
        assert_eq!(suggest("locaton", &known), Some("location"));
        assert_eq!(suggest("distrct", &known), Some("district"));
        assert_eq!(suggest("zzzzzzzz", &known), None);
    }

    #[test]
    fn renders_caret_under_column() {
        let d = Diagnostic::error("content/a.md", "bad")
            .at(2, Some(3))
            .with_source("---\nab: c\n---")
            .hint("fix it");
        let s = d.to_string();
        assert!(s.contains("content/a.md:2:3"), "{s}");
        assert!(s.contains("2 | ab: c"), "{s}");
        assert!(s.contains("  |   ^"), "{s}");
        assert!(s.contains("help: fix it"), "{s}");
    }
}

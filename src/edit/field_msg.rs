//! What the editor says about one field of a form, in both languages: made by the checks of
//! `form`, `upload`, `merge` and the whole-site check, shown at its field by the pages.

/// A problem with one field, in both languages.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldMsg {
    /// The input's name (`f.price_from`), or "" for the form as a whole.
    pub field: String,
    pub en: String,
    pub vi: String,
    pub warning: bool,
}

impl FieldMsg {
    pub fn error(field: &str, en: impl Into<String>, vi: impl Into<String>) -> FieldMsg {
        FieldMsg {
            field: field.to_string(),
            en: en.into(),
            vi: vi.into(),
            warning: false,
        }
    }
}

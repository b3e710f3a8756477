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

/// What the editor says when a save could not be written: nothing was saved, her words are in
/// the form, and what to do, by the cause (a full disk above all on a small server).
pub fn not_written(e: &std::io::Error) -> FieldMsg {
    use std::io::ErrorKind::*;
    match e.kind() {
        StorageFull | QuotaExceeded | FileTooLarge => FieldMsg::error(
            "",
            "The server's disk is full: nothing was saved. What you typed is below; ask the person who runs the server to free some space, then save again.",
            "Ổ đĩa của máy chủ đã đầy: chưa lưu gì. Nội dung bạn gõ vẫn ở dưới; nhờ người quản lý máy chủ dọn bớt dung lượng rồi bấm Lưu lại.",
        ),
        ReadOnlyFilesystem | PermissionDenied => FieldMsg::error(
            "",
            format!("The server may not write the site's files ({e}): nothing was saved. What you typed is below; tell the person who runs the server."),
            format!("Máy chủ không được phép ghi vào tệp của trang ({e}): chưa lưu gì. Nội dung bạn gõ vẫn ở dưới; báo người quản lý máy chủ."),
        ),
        _ => FieldMsg::error(
            "",
            format!("The server could not write the files ({e}): nothing was saved. What you typed is below; save again in a moment."),
            format!("Máy chủ không ghi được tệp ({e}): chưa lưu gì. Nội dung bạn gõ vẫn ở dưới; bấm Lưu lại sau ít phút."),
        ),
    }
}

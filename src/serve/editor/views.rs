//! The editor's pages: plain HTML forms that work on a cheap phone with any input method (no
//! rich-text widget), in Vietnamese or English after the browser's language, with a few lines
//! of script for what only a script can do (the phone's location, moving photos).

use super::form::FieldMsg;
use super::Opened;
use crate::content::fields::{self, Field, Input};
use crate::error::Diagnostic;
use crate::vocab::Kind;
use serde_yaml_ng::{Mapping, Value};
use std::fmt::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Vi,
    En,
}

impl Lang {
    /// From an Accept-Language header: Vietnamese when the browser prefers it over English.
    pub fn from_header(accept: Option<&str>) -> Lang {
        // The browser's languages by q-value (`en;q=0.9, vi;q=0.8` prefers English); the first
        // whose primary tag is one the editor speaks (`vi-VN` is Vietnamese).
        let preferred = accept_language::parse(accept.unwrap_or(""));
        let primary = |tag: &String| tag.split('-').next().unwrap_or("").to_ascii_lowercase();
        match preferred
            .iter()
            .map(primary)
            .find(|p| p == "vi" || p == "en")
        {
            Some(p) if p == "en" => Lang::En,
            _ => Lang::Vi,
        }
    }
    pub fn t<'a>(self, vi: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Vi => vi,
            Lang::En => en,
        }
    }
    fn code(self) -> &'static str {
        self.t("vi", "en")
    }
}

pub use crate::theme::escape_html as esc;

const STYLE: &str = "body{font:16px/1.45 system-ui,sans-serif;margin:0;color:#1b1b1b;background:#f6f4ef}\
main{max-width:60rem;margin:0 auto;padding:.75rem}header{background:#7a2e12;color:#fff;padding:.6rem .75rem}\
header a{color:#fff}h1{font-size:1.3rem;margin:.4rem 0}label{display:block;font-weight:600;margin:.7rem 0 .2rem}\
input,select,textarea{font:inherit;width:100%;box-sizing:border-box;min-height:2.75rem;padding:.55rem;border:1px solid #8a8a8a;border-radius:.35rem;background:#fff}\
input[type=checkbox]{width:1.6rem;height:1.6rem;margin:0 .6rem 0 0;flex:none}label.check{display:flex;align-items:center;min-height:2.75rem;font-weight:600}textarea{min-height:7rem}textarea.body{min-height:18rem}\
button,.button{font:inherit;font-weight:600;min-height:2.75rem;box-sizing:border-box;padding:.65rem 1rem;border:0;border-radius:.35rem;background:#7a2e12;color:#fff;margin:.4rem .3rem .4rem 0;cursor:pointer;text-decoration:none;display:inline-block}\
button.quiet,.button.quiet{background:#e4ddd3;color:#1b1b1b}.help{color:#555;font-size:.9rem;margin:.15rem 0}\
.err{color:#a00;font-weight:600}.warn{color:#7a5200}.ok{background:#e3f3e3;padding:.6rem;border-radius:.35rem}\
.bad{background:#fbe4e4;padding:.6rem;border-radius:.35rem}fieldset{border:1px solid #ccc;border-radius:.4rem;margin:.8rem 0;background:#fff}\
.langs{display:grid;gap:.8rem}@media(min-width:48rem){.langs{grid-template-columns:repeat(auto-fit,minmax(20rem,1fr))}}\
.photo{display:grid;grid-template-columns:6rem 1fr;gap:.5rem;border-top:1px solid #ddd;padding:.5rem 0}.photo img{width:6rem;height:6rem;object-fit:cover}\
ul.entries{list-style:none;padding:0}ul.entries li{background:#fff;margin:.35rem 0;border-radius:.35rem}ul.entries a.entry{display:block;min-height:2.75rem;padding:.6rem;color:inherit;text-decoration:none}ul.entries a.entry strong{color:#7a2e12;text-decoration:underline}ul.entries li.item{padding:.6rem}.code{font:600 .9rem ui-monospace,monospace;background:#efe7dc;padding:0 .3rem;border-radius:.2rem}.savebar{position:sticky;bottom:0;background:#f6f4efee;border-top:1px solid #ccc;padding:.4rem .75rem;margin:0 -.75rem;z-index:1}.savebar button{width:100%;margin:0}.wrap{overflow-wrap:anywhere;word-break:break-word}.qr svg{width:100%;height:auto;max-width:18rem}.danger{background:#a00}\
.row{display:flex;gap:.5rem}.row>*{flex:1}pre{white-space:pre-wrap;background:#fff;padding:.5rem;border:1px solid #ccc}";

pub fn page(lang: Lang, title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"{}\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><title>{} · Waymark</title><style>{STYLE}</style></head><body><header><a href=\"/_edit/\">Waymark · {}</a></header><main>{body}</main></body></html>",
        lang.code(),
        esc(title),
        lang.t("Soạn nội dung", "Editor"),
    )
}

/// A short page that says one thing (refusals, "paired").
pub fn message(lang: Lang, title: &str, text: &str) -> String {
    page(
        lang,
        title,
        &format!("<h1>{}</h1><p>{}</p>", esc(title), esc(text)),
    )
}

/// One line of the entry list.
pub struct Listed<'a> {
    pub id: &'a str,
    pub title: String,
    /// Its plaque codes in plaques.lock, so a code read off a plaque finds it.
    pub codes: Vec<String>,
    pub errors: usize,
    pub warnings: usize,
}

/// The list of entries; `site_problem` when the preview is broken, with the errors in files
/// that are no entry's.
pub fn list(
    lang: Lang,
    entries: &[Listed],
    query: &str,
    csrf: &str,
    site_problem: Option<&[(String, String)]>,
) -> String {
    let mut b = String::new();
    let _ = write!(b, "<h1>{}</h1>", lang.t("Các địa điểm", "Places"));
    if let Some(files) = site_problem {
        let _ = write!(
            b,
            "<p class=\"bad\">{}</p>",
            lang.t(
                "Trang xem trước đang lỗi: mở mục có dấu ✗ để sửa.",
                "The preview has a problem: open the entries marked ✗ to fix it."
            )
        );
        for (file, text) in files {
            let _ = write!(
                b,
                "<p class=\"bad\">✗ <strong>{}</strong>: {}</p>",
                esc(file),
                esc(text)
            );
        }
    }
    let _ = write!(
        b,
        "<form method=\"get\" action=\"/_edit/\" role=\"search\"><label for=\"q\">{}</label><input id=\"q\" name=\"q\" type=\"search\" value=\"{}\"></form>",
        lang.t("Tìm theo tên hoặc mã biển", "Search by name or plaque code"),
        esc(query)
    );
    let q = crate::slug::fold(query);
    b.push_str("<ul class=\"entries\">");
    let mut shown = 0;
    for e in entries {
        let matches = q.is_empty()
            || crate::slug::fold(&e.title).contains(&q)
            || e.id.contains(&q)
            || e.codes.iter().any(|c| crate::slug::fold(c).contains(&q));
        if !matches {
            continue;
        }
        shown += 1;
        let marks = match (e.errors, e.warnings) {
            (0, 0) => String::new(),
            (0, w) => format!(" <span class=\"warn\">⚠ {w}</span>"),
            (n, _) => format!(" <span class=\"err\">✗ {n}</span>"),
        };
        let codes: String = e
            .codes
            .iter()
            .map(|c| format!(" <span class=\"code\">{}</span>", esc(c)))
            .collect();
        let _ = write!(
            b,
            "<li><a class=\"entry\" href=\"/_edit/e/{}\"><strong>{}</strong>{marks}{codes}<div class=\"help\">{}</div></a></li>",
            esc(e.id),
            esc(&e.title),
            esc(e.id)
        );
    }
    b.push_str("</ul>");
    if shown == 0 {
        let _ = write!(
            b,
            "<p>{}</p>",
            lang.t("Không có kết quả.", "Nothing found.")
        );
    }
    let _ = write!(
        b,
        "<h2>{}</h2><form method=\"post\" action=\"/_edit/new\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><label for=\"kind\">{}</label><select id=\"kind\" name=\"kind\"><option value=\"relic\">{}</option><option value=\"homestay\">{}</option><option value=\"place\">{}</option></select><label for=\"title\">{}</label><input id=\"title\" name=\"title\" maxlength=\"{title_max}\" required><button type=\"submit\">{}</button></form>",
        lang.t("Thêm địa điểm", "Add a place"),
        esc(csrf),
        lang.t("Loại", "Kind"),
        lang.t("Di tích", "Relic"),
        lang.t("Homestay", "Homestay"),
        lang.t("Địa điểm khác", "Other place"),
        lang.t("Tên", "Name"),
        lang.t("Tạo", "Create"),
        title_max = fields::get("title").map_or(0, |f| f.max_chars),
    );
    let _ = write!(
        b,
        "<p><a class=\"button quiet\" href=\"/_edit/owners\">{}</a> <a class=\"button quiet\" href=\"/_edit/devices\">{}</a></p><form method=\"post\" action=\"/_edit/pair-another\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><button class=\"quiet\" type=\"submit\">{}</button></form>",
        lang.t("Đường dẫn cho chủ nhà", "Owner links"),
        lang.t("Điện thoại đã ghép", "Paired phones"),
        esc(csrf),
        lang.t("Ghép thêm điện thoại", "Pair another phone"),
    );
    page(lang, lang.t("Các địa điểm", "Places"), &b)
}

pub struct FormView<'a> {
    pub lang: Lang,
    pub opened: &'a Opened,
    pub csrf: &'a str,
    /// Problems of the last save, at their fields.
    pub msgs: &'a [FieldMsg],
    /// The build's problems with this entry's files.
    pub problems: &'a [Diagnostic],
    /// "Saved" and what the preview shows.
    pub notice: Option<String>,
    /// An owner may edit everything of the entry but its code.
    pub owner: bool,
    /// `<datalist>`s of the districts, communes and tags the site uses.
    pub suggestions: &'a str,
}

pub fn entry_form(v: &FormView) -> String {
    let lang = v.lang;
    let o = v.opened;
    let title = str_of(&o.fields, "title");
    let mut b = String::new();
    let _ = write!(
        b,
        "<h1>{}</h1>",
        esc(if title.is_empty() { &o.id } else { &title })
    );
    if let Some(n) = &v.notice {
        let _ = write!(b, "<p class=\"ok\" role=\"status\">{n}</p>");
    }
    let general: Vec<&FieldMsg> = v
        .msgs
        .iter()
        .filter(|m| m.field.is_empty() || m.field == "photos" || m.field == "audio")
        .collect();
    if v.msgs.iter().any(|m| !m.warning) {
        let _ = write!(
            b,
            "<p class=\"bad\" role=\"alert\">{}</p>",
            lang.t(
                "Chưa lưu: sửa các chỗ báo đỏ rồi lưu lại.",
                "Not saved: fix what is marked in red and save again."
            )
        );
    }
    for m in general {
        let _ = write!(
            b,
            "<p class=\"{}\">{}</p>",
            if m.warning { "warn" } else { "err" },
            esc(lang.t(&m.vi, &m.en))
        );
    }
    if !v.problems.is_empty() {
        b.push_str("<div class=\"bad\">");
        for d in v.problems {
            let text = match lang {
                Lang::Vi => d.vi.clone().unwrap_or_else(|| d.message.clone()),
                Lang::En => d.message.clone(),
            };
            let _ = write!(
                b,
                "<p class=\"{}\">{}</p>",
                if d.is_error() { "err" } else { "warn" },
                esc(&text),
            );
        }
        b.push_str("</div>");
    }
    if let Some(raw) = &o.raw {
        return raw_form(v, raw, &title);
    }
    let preview = format!("/{}/", o.id);
    let _ = write!(
        b,
        "<p><a href=\"{}\" target=\"_blank\">{}</a></p>",
        esc(&preview),
        lang.t("Xem trang", "View the page")
    );
    let _ = write!(
        b,
        "<form method=\"post\" enctype=\"multipart/form-data\" action=\"/_edit/e/{}\" id=\"entry\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"version\" value=\"{}\">",
        esc(&o.id),
        esc(v.csrf),
        esc(&o.version)
    );
    for field in fields::for_kind(o.kind) {
        b.push_str(&field_input(v, field));
    }
    // The text: a plain textarea, where every phone keyboard works. A newline right after the
    // tag is dropped by HTML parsers, so one is added to keep a leading blank line.
    let _ = write!(
        b,
        "<label for=\"body\">{}</label><p class=\"help\">{}</p>{}<textarea class=\"body\" id=\"body\" name=\"body\">\n{}</textarea>",
        lang.t("Bài viết", "Text"),
        lang.t(
            "Viết như tin nhắn; dòng trống để sang đoạn mới; ## ở đầu dòng là tiêu đề.",
            "Write as in a message; a blank line starts a paragraph; ## at a line's start makes a heading."
        ),
        msgs_at(v, "f.body"),
        esc(&o.body)
    );
    translations(&mut b, v);
    b.push_str(v.suggestions);
    // Always in reach: the form is several screens long on a phone.
    let _ = write!(
        b,
        "<div class=\"savebar\"><button type=\"submit\">{}</button></div></form>",
        lang.t("Lưu", "Save")
    );
    if !v.owner {
        let _ = write!(
            b,
            "<form method=\"post\" action=\"/_edit/owners\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"entry\" value=\"{}\"><label for=\"owner-label\">{}</label><input id=\"owner-label\" name=\"label\" maxlength=\"{label_max}\" placeholder=\"{}\"><button class=\"quiet\" type=\"submit\">{}</button></form>",
            esc(v.csrf),
            esc(&o.id),
            lang.t("Đường dẫn cho chủ nhà (chỉ sửa được mục này)", "A link for the owner (edits this entry only)"),
            lang.t("Tên chủ nhà", "Owner's name"),
            lang.t("Tạo đường dẫn", "Make the link"),
            label_max = super::auth::LABEL_MAX,
        );
        let _ = write!(
            b,
            "<p><a class=\"button quiet\" href=\"/_edit/delete/{}\">{}</a></p>",
            esc(&o.id),
            lang.t("Xoá mục này…", "Delete this entry…"),
        );
    }
    b.push_str(SCRIPT);
    b.push_str(&size_check(v.lang));
    page(lang, &title, &b)
}

/// The form for a file whose front matter does not parse: the whole file as text.
fn raw_form(v: &FormView, raw: &str, title: &str) -> String {
    let lang = v.lang;
    let o = v.opened;
    let mut b = String::new();
    let _ = write!(b, "<h1>{}</h1>", esc(&o.id));
    let _ = write!(
        b,
        "<p class=\"bad\">{}</p>",
        lang.t(
            "Phần đầu tệp (giữa hai dòng ---) bị lỗi nên chưa mở được thành biểu mẫu. Sửa chỗ báo lỗi ngay trong tệp dưới đây rồi lưu.",
            "The file's front matter (between the --- lines) has an error, so it cannot be shown as a form. Fix it in the text below and save."
        )
    );
    for m in v.msgs {
        let _ = write!(b, "<p class=\"err\">{}</p>", esc(lang.t(&m.vi, &m.en)));
    }
    for d in v.problems {
        let _ = write!(b, "<pre class=\"err\">{}</pre>", esc(&d.to_string()));
    }
    let _ = write!(
        b,
        "<form method=\"post\" enctype=\"multipart/form-data\" action=\"/_edit/e/{}\" id=\"entry\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"version\" value=\"{}\"><label for=\"raw\">{}</label><textarea class=\"body\" id=\"raw\" name=\"raw\" spellcheck=\"false\">\n{}</textarea><p><button type=\"submit\">{}</button></p></form>",
        esc(&o.id),
        esc(v.csrf),
        esc(&o.version),
        lang.t("Tệp", "The file"),
        esc(raw),
        lang.t("Lưu", "Save")
    );
    page(lang, if title.is_empty() { &o.id } else { title }, &b)
}

/// Moves a photo row up, and fills the location from the phone or a photo.
const SCRIPT: &str = r#"<script>
document.querySelectorAll("[data-up]").forEach(function(btn){btn.hidden=false;btn.addEventListener("click",function(){
var row=btn.closest(".photo"),prev=row.previousElementSibling;if(prev&&prev.classList.contains("photo")){row.parentNode.insertBefore(row,prev)}
row.parentNode.querySelectorAll(".photo").forEach(function(r,i){r.querySelector("[data-order]").value=i+1})})});
function fill(lat,lon){document.getElementById("f.location.lat").value=lat;document.getElementById("f.location.lon").value=lon}
document.querySelectorAll("[data-gps]").forEach(function(btn){btn.addEventListener("click",function(){var p=btn.dataset.gps.split(",");fill(p[0],p[1])})});
var here=document.getElementById("here");if(here){if(window.isSecureContext&&navigator.geolocation){here.hidden=false;here.addEventListener("click",function(){
navigator.geolocation.getCurrentPosition(function(p){fill(p.coords.latitude.toFixed(6),p.coords.longitude.toFixed(6))})})}}
</script>"#;

/// Photos too large are refused on the phone, before anything is sent: nothing typed is lost
/// and no time is spent uploading what the server would refuse.
fn size_check(lang: Lang) -> String {
    use crate::edit::upload::{MAX_FILE, MAX_REQUEST};
    let (file_mb, all_mb) = (MAX_FILE >> 20, MAX_REQUEST >> 20);
    let (big_vi, big_en) = (
        format!("Ảnh hoặc tệp lớn hơn {file_mb} MB: "),
        format!("Larger than {file_mb} MB: "),
    );
    let (much_vi, much_en) = (
        format!("Các ảnh chọn lần này lớn hơn {all_mb} MB: hãy lưu ít ảnh hơn mỗi lần."),
        format!("The photos chosen are more than {all_mb} MB together: save fewer at a time."),
    );
    let too_big = lang.t(&big_vi, &big_en);
    let too_much = lang.t(&much_vi, &much_en);
    format!(
        "<script>(function(){{var f=document.getElementById(\"entry\");if(!f)return;f.addEventListener(\"submit\",function(ev){{var all=0,big=[];f.querySelectorAll(\"input[type=file]\").forEach(function(i){{for(var k=0;k<i.files.length;k++){{all+=i.files[k].size;if(i.files[k].size>{MAX_FILE})big.push(i.files[k].name)}}}});if(big.length||all>{MAX_REQUEST}){{ev.preventDefault();alert(big.length?{}+big.join(\", \"):{})}}}})}})()</script>",
        serde_json::to_string(too_big).unwrap_or_default(),
        serde_json::to_string(too_much).unwrap_or_default(),
    )
}

fn str_of(m: &Mapping, key: &str) -> String {
    match m.get(key) {
        Some(Value::String(s)) => s.clone(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Bool(b)) => b.to_string(),
        _ => String::new(),
    }
}

fn sub_of(m: &Mapping, key: &str, sub: &str) -> String {
    m.get(key)
        .and_then(|v| v.get(sub))
        .map(|v| match v {
            Value::String(s) => s.clone(),
            Value::Number(n) => n.to_string(),
            _ => String::new(),
        })
        .unwrap_or_default()
}

fn msgs_at(v: &FormView, field: &str) -> String {
    let mut out = String::new();
    for m in v
        .msgs
        .iter()
        .filter(|m| m.field == field || m.field.starts_with(&format!("{field}.")))
    {
        let _ = write!(
            out,
            "<p class=\"{}\" role=\"alert\">{}</p>",
            if m.warning { "warn" } else { "err" },
            esc(v.lang.t(&m.vi, &m.en))
        );
    }
    out
}

fn field_input(v: &FormView, field: &Field) -> String {
    let lang = v.lang;
    let o = v.opened;
    let name = format!("f.{}", field.name);
    let label = lang.t(field.vi, field.en);
    let (help_vi, help_en) = field.help_for(o.kind);
    let help = lang.t(help_vi, help_en);
    let mut b = String::new();
    let value = str_of(&o.fields, field.name);
    let head = |b: &mut String, for_id: &str| {
        let _ = write!(b, "<label for=\"{for_id}\">{}</label>", esc(label));
        if !help.is_empty() {
            let _ = write!(b, "<p class=\"help\">{}</p>", esc(help));
        }
        b.push_str(&msgs_at(v, &name));
    };
    // The phone stops typing at the field's limit; the save checks it again.
    let max = if field.max_chars > 0 {
        format!(" maxlength=\"{}\"", field.max_chars)
    } else {
        String::new()
    };
    let text_input = |b: &mut String, kind: &str, extra: &str| {
        let _ = write!(
            b,
            "<input id=\"{name}\" name=\"{name}\" type=\"{kind}\" value=\"{}\"{extra}{max}>",
            esc(&value)
        );
    };
    match field.input {
        Input::Text => {
            head(&mut b, &name);
            let suggest = if ["district", "commune"].contains(&field.name) {
                format!(" list=\"{}-list\"", field.name)
            } else {
                String::new()
            };
            text_input(&mut b, "text", &suggest);
        }
        Input::LongText => {
            head(&mut b, &name);
            let _ = write!(
                b,
                "<textarea id=\"{name}\" name=\"{name}\" rows=\"3\"{max}>{}</textarea>",
                esc(&value)
            );
        }
        Input::Code => {
            head(&mut b, &name);
            if o.code_fixed || v.owner {
                let _ = write!(
                    b,
                    "<p><strong>{}</strong> <span class=\"help\">{}</span></p>",
                    esc(&value),
                    lang.t(
                        "mã đã cấp cho biển QR của nơi này, không đổi được",
                        "given to this place's QR plaque, cannot change"
                    )
                );
            } else {
                text_input(
                    &mut b,
                    "text",
                    " autocapitalize=\"characters\" pattern=\"[A-Za-z0-9-]{2,16}\"",
                );
            }
        }
        Input::Tel | Input::Url | Input::Date | Input::Year | Input::Money => {
            head(&mut b, &name);
            let (kind, extra) = match field.input {
                Input::Tel => ("tel", " inputmode=\"tel\""),
                Input::Url => ("url", ""),
                Input::Date => ("date", ""),
                Input::Year => ("number", " inputmode=\"numeric\" min=\"1000\" max=\"2100\""),
                _ => ("text", " inputmode=\"numeric\""),
            };
            text_input(&mut b, kind, extra);
        }
        Input::Bool => {
            let checked = if matches!(o.fields.get(field.name), Some(Value::Bool(true))) {
                " checked"
            } else {
                ""
            };
            b.push_str(&msgs_at(v, &name));
            let _ = write!(
                b,
                "<label class=\"check\"><input type=\"checkbox\" name=\"{name}\"{checked}>{}</label><p class=\"help\">{}</p>",
                esc(label),
                esc(help)
            );
        }
        Input::Ranking | Input::PlaqueSize => {
            head(&mut b, &name);
            let options: &[(&str, &str, &str)] = if field.input == Input::Ranking {
                &[
                    ("", "—", "—"),
                    ("special-national", "Quốc gia đặc biệt", "Special national"),
                    ("national", "Quốc gia", "National"),
                    ("provincial", "Cấp tỉnh", "Provincial"),
                ]
            } else {
                &[
                    ("", "Cỡ chung của trang", "The site's usual size"),
                    ("a6", "A6", "A6"),
                    ("sticker", "Nhãn dán 100 mm", "100 mm sticker"),
                    ("a4", "A4", "A4"),
                ]
            };
            let _ = write!(b, "<select id=\"{name}\" name=\"{name}\">");
            for (key, vi, en) in options {
                let sel = if *key == value { " selected" } else { "" };
                let _ = write!(
                    b,
                    "<option value=\"{key}\"{sel}>{}</option>",
                    esc(lang.t(vi, en))
                );
            }
            b.push_str("</select>");
        }
        Input::Tags => {
            head(&mut b, &name);
            let tags: Vec<String> = match o.fields.get("tags") {
                Some(Value::Sequence(s)) => s
                    .iter()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect(),
                _ => Vec::new(),
            };
            let _ = write!(
                b,
                "<input id=\"{name}\" name=\"{name}\" value=\"{}\" list=\"tags-list\">",
                esc(&tags.join(", "))
            );
        }
        Input::Location => {
            let _ = write!(b, "<fieldset><legend>{}</legend>", esc(label));
            if !help.is_empty() {
                let _ = write!(b, "<p class=\"help\">{}</p>", esc(help));
            }
            b.push_str(&msgs_at(v, &name));
            let _ = write!(
                b,
                "<div class=\"row\"><div><label for=\"{name}.lat\">{}</label><input id=\"{name}.lat\" name=\"{name}.lat\" inputmode=\"decimal\" value=\"{}\"></div><div><label for=\"{name}.lon\">{}</label><input id=\"{name}.lon\" name=\"{name}.lon\" inputmode=\"decimal\" value=\"{}\"></div></div>",
                lang.t("Vĩ độ", "Latitude"),
                esc(&sub_of(&o.fields, "location", "lat")),
                lang.t("Kinh độ", "Longitude"),
                esc(&sub_of(&o.fields, "location", "lon")),
            );
            for (src, lat, lon) in &o.gps {
                let _ = write!(
                    b,
                    "<p>{} <button class=\"quiet\" type=\"button\" data-gps=\"{lat},{lon}\">{} {lat}, {lon}</button></p>",
                    esc(&format!("{} {src}", lang.t("Ảnh chụp tại đây:", "This photo was taken here:"))),
                    lang.t("Dùng", "Use"),
                );
            }
            let _ = write!(
                b,
                "<button class=\"quiet\" type=\"button\" id=\"here\" hidden>{}</button></fieldset>",
                lang.t("Dùng vị trí của tôi", "Use my location")
            );
        }
        Input::Wifi | Input::Bank => {
            let parts: &[(&str, &str, &str)] = if field.input == Input::Wifi {
                &[
                    ("ssid", "Tên mạng", "Network name"),
                    ("password", "Mật khẩu", "Password"),
                ]
            } else {
                &[
                    ("bin", "Mã BIN ngân hàng", "Bank BIN"),
                    ("account", "Số tài khoản", "Account number"),
                    ("name", "Tên chủ tài khoản", "Account holder"),
                ]
            };
            let _ = write!(
                b,
                "<fieldset><legend>{}</legend><p class=\"help\">{}</p>",
                esc(label),
                esc(help)
            );
            b.push_str(&msgs_at(v, &name));
            for (key, vi, en) in parts {
                let id = format!("{name}.{key}");
                let _ = write!(
                    b,
                    "<label for=\"{id}\">{}</label><input id=\"{id}\" name=\"{id}\" value=\"{}\"{}>",
                    esc(lang.t(vi, en)),
                    esc(&sub_of(&o.fields, field.name, key)),
                    if *key == "bin" || *key == "account" { " inputmode=\"numeric\"" } else { "" }
                );
            }
            b.push_str("</fieldset>");
        }
        Input::Images => photos(&mut b, v, label),
        Input::Audio => {
            let _ = write!(b, "<fieldset><legend>{}</legend>", esc(label));
            b.push_str(&msgs_at(v, "audio"));
            if !value.is_empty() {
                let _ = write!(
                    b,
                    "<p>{}</p><label class=\"check\"><input type=\"checkbox\" name=\"audio.remove\">{}</label>",
                    esc(&value),
                    lang.t("Bỏ tệp này", "Remove it")
                );
            }
            let _ = write!(
                b,
                "<label for=\"audio\">{}</label><input id=\"audio\" name=\"audio\" type=\"file\" accept=\".mp3,.m4a,.ogg,audio/mpeg,audio/mp4,audio/ogg\"></fieldset>",
                lang.t("Tải lên MP3, M4A hoặc Ogg (tối đa 25 MB)", "Upload MP3, M4A or Ogg (25 MB at most)")
            );
        }
    }
    b
}

fn photos(b: &mut String, v: &FormView, label: &str) {
    let lang = v.lang;
    let o = v.opened;
    let _ = write!(b, "<fieldset><legend>{}</legend>", esc(label));
    b.push_str(&msgs_at(v, "photos"));
    b.push_str("<input type=\"hidden\" name=\"images\" value=\"1\">");
    if let Some(Value::Sequence(items)) = o.fields.get("images") {
        for (i, item) in items.iter().enumerate() {
            let (src, alt, caption) = match item {
                Value::String(s) => (s.clone(), String::new(), String::new()),
                Value::Mapping(m) => (str_of(m, "src"), str_of(m, "alt"), str_of(m, "caption")),
                _ => continue,
            };
            let thumb = format!("/_edit/file/{}/{i}", o.id);
            let _ = write!(
                b,
                "<div class=\"photo\"><img src=\"{}\" alt=\"\" loading=\"lazy\"><div><input type=\"hidden\" name=\"img.{i}.src\" value=\"{}\"><div class=\"help\">{}</div>\
<label for=\"img.{i}.alt\">{}</label><input id=\"img.{i}.alt\" name=\"img.{i}.alt\" value=\"{}\">\
<label for=\"img.{i}.caption\">{}</label><input id=\"img.{i}.caption\" name=\"img.{i}.caption\" value=\"{}\">\
<input type=\"hidden\" data-order name=\"img.{i}.order\" value=\"{}\"><button class=\"quiet\" type=\"button\" data-up hidden>↑ {}</button>\
<label class=\"check\"><input type=\"checkbox\" name=\"img.{i}.remove\">{}</label></div></div>",
                esc(&thumb),
                esc(&src),
                esc(&src),
                lang.t("Mô tả cho người không nhìn thấy", "What it shows, for people who cannot see it"),
                esc(&alt),
                lang.t("Chú thích", "Caption"),
                esc(&caption),
                i + 1,
                lang.t("Lên trước", "Move up"),
                lang.t("Bỏ ảnh này", "Remove this photo"),
            );
        }
    }
    let _ = write!(
        b,
        "<label for=\"photos\">{}</label><p class=\"help\">{}</p><input id=\"photos\" name=\"photos\" type=\"file\" accept=\"image/jpeg,image/png,image/webp\" multiple></fieldset>",
        lang.t("Thêm ảnh (chụp hoặc chọn từ thư viện)", "Add photos (take or choose)"),
        lang.t(
            "JPEG, PNG hoặc WebP, tối đa 25 MB mỗi ảnh, 100 MB mỗi lần lưu. Ảnh iPhone HEIC: chọn \"Tương thích nhất\" trong Cài đặt > Camera > Định dạng.",
            "JPEG, PNG or WebP, 25 MB a photo and 100 MB a save at most. iPhone HEIC: choose Most Compatible in Settings > Camera > Formats."
        ),
    );
}

fn translations(b: &mut String, v: &FormView) {
    let lang = v.lang;
    let o = v.opened;
    let others: Vec<&String> = o
        .languages
        .iter()
        .filter(|l| **l != o.default_language)
        .collect();
    if others.is_empty() {
        return;
    }
    let _ = write!(
        b,
        "<h2>{}</h2><div class=\"langs\">",
        lang.t("Bản dịch", "Translations")
    );
    let sources: Vec<(usize, String)> = super::form::listed_sources(&o.fields)
        .into_iter()
        .enumerate()
        .collect();
    for l in others {
        let (version, fields, body) = o
            .translations
            .get(l)
            .cloned()
            .unwrap_or_else(|| (String::new(), Mapping::new(), String::new()));
        let p = |k: &str| format!("t.{l}.{k}");
        let _ = write!(
            b,
            "<fieldset lang=\"{l}\"><legend>{}</legend><input type=\"hidden\" name=\"{}\" value=\"{}\">",
            esc(&language_name(l)),
            p("version"),
            esc(&version)
        );
        if version.is_empty() {
            let _ = write!(
                b,
                "<p class=\"help\">{}</p>",
                lang.t(
                    "Chưa có bản dịch: ghi tên để bắt đầu.",
                    "Not translated yet: write the name to start."
                )
            );
        }
        let prefix = format!("t.{l}");
        for m in v.msgs.iter().filter(|m| m.field.starts_with(&prefix)) {
            let _ = write!(b, "<p class=\"err\">{}</p>", esc(lang.t(&m.vi, &m.en)));
        }
        for (key, vi, en) in [("title", "Tên", "Name"), ("address", "Địa chỉ", "Address")] {
            let _ = write!(
                b,
                "<label for=\"{id}\">{}</label><input id=\"{id}\" name=\"{id}\" value=\"{}\">",
                esc(lang.t(vi, en)),
                esc(&str_of(&fields, key)),
                id = p(key)
            );
        }
        let _ = write!(
            b,
            "<label for=\"{id}\">{}</label><textarea id=\"{id}\" name=\"{id}\" rows=\"3\">{}</textarea>",
            lang.t("Tóm tắt", "Summary"),
            esc(&str_of(&fields, "summary")),
            id = p("summary")
        );
        for (i, src) in &sources {
            let (alt, caption) = translated_image(&fields, src);
            let _ = write!(
                b,
                "<input type=\"hidden\" name=\"{}\" value=\"{}\"><label for=\"{a}\">{} {}</label><input id=\"{a}\" name=\"{a}\" value=\"{}\"><label for=\"{c}\">{} {}</label><input id=\"{c}\" name=\"{c}\" value=\"{}\">",
                p(&format!("img.{i}.src")),
                esc(src),
                lang.t("Mô tả ảnh", "Photo description"),
                esc(src),
                esc(&alt),
                lang.t("Chú thích ảnh", "Photo caption"),
                esc(src),
                esc(&caption),
                a = p(&format!("img.{i}.alt")),
                c = p(&format!("img.{i}.caption")),
            );
        }
        let draft = matches!(fields.get("draft"), Some(Value::Bool(true)));
        let _ = write!(
            b,
            "<label class=\"check\"><input type=\"checkbox\" name=\"{}\"{}>{}</label><label for=\"{id}\">{}</label><textarea class=\"body\" id=\"{id}\" name=\"{id}\">\n{}</textarea></fieldset>",
            p("draft"),
            if draft { " checked" } else { "" },
            lang.t("Bản nháp", "Draft"),
            lang.t("Bài viết", "Text"),
            esc(&body),
            id = p("body")
        );
    }
    b.push_str("</div>");
}

fn translated_image(fields: &Mapping, src: &str) -> (String, String) {
    if let Some(Value::Sequence(items)) = fields.get("images") {
        for item in items {
            if let Value::Mapping(m) = item {
                if str_of(m, "src") == src {
                    return (str_of(m, "alt"), str_of(m, "caption"));
                }
            }
        }
    }
    (String::new(), String::new())
}

fn language_name(code: &str) -> String {
    match code {
        "vi" => "Tiếng Việt".into(),
        "en" => "English".into(),
        "zh" => "中文".into(),
        "fr" => "Français".into(),
        "ko" => "한국어".into(),
        "ja" => "日本語".into(),
        other => other.to_string(),
    }
}

/// Suggestions for district, commune and tags: the values the site already uses.
pub fn suggestions(lists: &[(&str, Vec<String>)]) -> String {
    let mut b = String::new();
    for (id, values) in lists {
        let _ = write!(b, "<datalist id=\"{id}-list\">");
        for v in values {
            let _ = write!(b, "<option value=\"{}\">", esc(v));
        }
        b.push_str("</datalist>");
    }
    b
}

/// The page shown when a save found the file changed: both versions, nothing lost.
pub fn conflict(lang: Lang, id: &str, file: &str, on_disk: &str, yours: &str) -> String {
    let body = format!(
        "<h1>{}</h1><p class=\"bad\" role=\"alert\">{}</p><h2>{}</h2><textarea readonly rows=\"14\">{}</textarea><h2>{}</h2><textarea readonly rows=\"14\">{}</textarea><p><a class=\"button\" href=\"/_edit/e/{}\">{}</a></p>",
        lang.t("Tệp đã thay đổi", "The file changed"),
        esc(&format!(
            "{} {file}",
            lang.t(
                "Chưa lưu: có người (hoặc máy khác) đã sửa tệp này sau khi bạn mở. Chép phần của bạn ở dưới, mở lại mục, rồi dán vào.",
                "Not saved: someone (or another device) changed this file after you opened it. Copy your version below, open the entry again and put your changes back."
            )
        )),
        lang.t("Bản của bạn", "Your version"),
        esc(yours),
        lang.t("Bản hiện có trên máy", "The version on disk now"),
        esc(on_disk),
        esc(id),
        lang.t("Mở lại mục này", "Open the entry again"),
    );
    page(lang, lang.t("Tệp đã thay đổi", "The file changed"), &body)
}

/// The page a pairing link opens: a name for this device, and one button.
pub fn pair(lang: Lang, token: &str) -> String {
    let body = format!(
        "<h1>{}</h1><form method=\"post\" action=\"/_edit/pair\"><input type=\"hidden\" name=\"token\" value=\"{}\"><label for=\"label\">{}</label><input id=\"label\" name=\"label\" maxlength=\"{label_max}\" placeholder=\"{}\"><button type=\"submit\">{}</button></form>",
        lang.t("Ghép điện thoại này", "Pair this phone"),
        esc(token),
        lang.t("Tên máy (để biết ai đã sửa)", "This device's name (to tell who edited what)"),
        lang.t("Điện thoại của Lan", "Lan's phone"),
        lang.t("Ghép", "Pair"),
        label_max = super::auth::LABEL_MAX,
    );
    page(lang, lang.t("Ghép điện thoại", "Pair"), &body)
}

pub fn pairing_link(lang: Lang, link: &str, qr_svg: &str) -> String {
    let body = format!(
        "<h1>{}</h1><p>{}</p><p class=\"wrap\"><a href=\"{l}\">{l}</a></p><div class=\"qr\">{qr_svg}</div>",
        lang.t("Ghép thêm điện thoại", "Pair another phone"),
        lang.t("Quét mã hoặc mở đường dẫn trên điện thoại kia trong 10 phút. Dùng được một lần.", "Scan the code or open the link on the other phone within 10 minutes. It works once."),
        l = esc(link),
    );
    page(
        lang,
        lang.t("Ghép thêm điện thoại", "Pair another phone"),
        &body,
    )
}

pub fn owners(
    lang: Lang,
    links: &[super::auth::OwnerLink],
    csrf: &str,
    new_link: Option<(&str, &str)>,
) -> String {
    let mut b = format!(
        "<h1>{}</h1>",
        lang.t("Đường dẫn cho chủ nhà", "Owner links")
    );
    if let Some((entry, link)) = new_link {
        let _ = write!(
            b,
            "<p class=\"ok\">{} <strong>{}</strong>:</p><p><input readonly value=\"{}\"></p><p class=\"help\">{}</p>",
            lang.t("Đường dẫn mới cho", "New link for"),
            esc(entry),
            esc(link),
            lang.t("Chép và gửi cho chủ nhà (ví dụ qua Zalo). Đường dẫn chỉ hiện một lần.", "Copy it and send it to the owner (for example by Zalo). It is shown only once."),
        );
    }
    if links.is_empty() {
        let _ = write!(
            b,
            "<p>{}</p>",
            lang.t(
                "Chưa có đường dẫn nào. Tạo ở cuối trang sửa một mục.",
                "No links yet. Make one at the foot of an entry's form."
            )
        );
    }
    b.push_str("<ul class=\"entries\">");
    for l in links {
        let _ = write!(
            b,
            "<li class=\"item wrap\">{} — {} <span class=\"help\">{} {}</span><form method=\"post\" action=\"/_edit/owners/revoke\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"id\" value=\"{}\"><button class=\"quiet\" type=\"submit\">{}</button></form></li>",
            esc(&l.entry),
            esc(&l.label),
            lang.t("tạo ngày", "made"),
            esc(&l.created),
            esc(csrf),
            esc(&l.id),
            lang.t("Thu hồi", "Revoke"),
        );
    }
    b.push_str("</ul>");
    page(lang, lang.t("Đường dẫn cho chủ nhà", "Owner links"), &b)
}

/// The kinds a new entry can be, by the form's value.
pub fn kind_of(value: &str) -> Option<Kind> {
    match value {
        "relic" => Some(Kind::Relic),
        "homestay" => Some(Kind::Homestay),
        "place" => Some(Kind::Place),
        _ => None,
    }
}

/// How long ago, in words.
fn ago(lang: Lang, secs: u64) -> String {
    match secs {
        0..=59 => lang.t("vừa xong", "just now").to_string(),
        60..=3599 => format!("{} {}", secs / 60, lang.t("phút trước", "min ago")),
        _ => format!("{} {}", secs / 3600, lang.t("giờ trước", "h ago")),
    }
}

/// The paired phones, each with its name and last use, and a button that unpairs it.
pub fn devices(lang: Lang, devices: &[super::auth::Session], me: &str, csrf: &str) -> String {
    let mut b = format!(
        "<h1>{}</h1><p class=\"help\">{}</p><ul class=\"entries\">",
        lang.t("Điện thoại đã ghép", "Paired phones"),
        lang.t(
            "Mất điện thoại? Bỏ ghép nó ở đây: nó không sửa được gì nữa, ngay lập tức.",
            "Lost a phone? Unpair it here: it can change nothing more, at once."
        ),
    );
    for d in devices {
        let _ = write!(
            b,
            "<li class=\"item wrap\"><strong>{}</strong>{} <div class=\"help\">{} {} · {} {}</div><form method=\"post\" action=\"/_edit/devices/unpair\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"id\" value=\"{}\"><button class=\"quiet\" type=\"submit\">{}</button></form></li>",
            esc(&d.label),
            if d.id == me {
                format!(" <span class=\"code\">{}</span>", lang.t("máy này", "this phone"))
            } else {
                String::new()
            },
            lang.t("dùng lần cuối", "last used"),
            ago(lang, d.last_used.elapsed().as_secs()),
            lang.t("ghép", "paired"),
            ago(lang, d.paired.elapsed().as_secs()),
            esc(csrf),
            esc(&d.id),
            lang.t("Bỏ ghép", "Unpair"),
        );
    }
    b.push_str("</ul>");
    page(lang, lang.t("Điện thoại đã ghép", "Paired phones"), &b)
}

/// Asks before deleting entry `id`: what goes, and where its printed plaques will lead.
pub fn delete_confirm(
    lang: Lang,
    id: &str,
    title: &str,
    section: &str,
    codes: &[String],
    csrf: &str,
) -> String {
    let codes_text = if codes.is_empty() {
        String::new()
    } else {
        format!(
            "<p>{} <span class=\"code\">{}</span> {} <strong>/{}/</strong>{}</p>",
            lang.t("Biển QR có mã", "Plaques with the code"),
            esc(&codes.join(", ")),
            lang.t(
                "vẫn dùng được: sau khi xoá, mã dẫn tới danh sách",
                "keep working: after the delete, the code leads to the list"
            ),
            esc(section),
            lang.t(
                ". Mã này không bao giờ được cấp lại.",
                ". The code is never given out again."
            ),
        )
    };
    let body = format!(
        "<h1>{}</h1><p class=\"bad wrap\"><strong>{}</strong> ({})</p><p>{}</p>{codes_text}<form method=\"post\" action=\"/_edit/delete/{}\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><label class=\"check\"><input type=\"checkbox\" name=\"confirm\" value=\"yes\" required>{}</label><button class=\"danger\" type=\"submit\">{}</button> <a class=\"button quiet\" href=\"/_edit/e/{}\">{}</a></form>",
        lang.t("Xoá mục này?", "Delete this entry?"),
        esc(title),
        esc(id),
        lang.t(
            "Bài viết, bản dịch, ảnh và âm thanh của mục sẽ bị gỡ khỏi trang web.",
            "Its text, translations, photos and audio leave the website."
        ),
        esc(id),
        esc(csrf),
        lang.t("Tôi chắc chắn muốn xoá", "I am sure"),
        lang.t("Xoá", "Delete"),
        esc(id),
        lang.t("Không xoá", "Keep it"),
    );
    page(lang, lang.t("Xoá mục này?", "Delete this entry?"), &body)
}

/// After a delete: what happened to its plaques.
pub fn deleted(lang: Lang, id: &str, section: &str, codes: &[String]) -> String {
    let mut b = format!(
        "<h1>{}</h1><p class=\"ok wrap\">{} {}</p>",
        lang.t("Đã xoá", "Deleted"),
        esc(id),
        lang.t("đã được gỡ khỏi trang.", "is off the website."),
    );
    if !codes.is_empty() {
        let _ = write!(
            b,
            "<p>{} <span class=\"code\">{}</span> {} /{}/.</p>",
            lang.t("Biển QR", "Plaques"),
            esc(&codes.join(", ")),
            lang.t("nay dẫn tới danh sách", "now lead to the list"),
            esc(section),
        );
    }
    let _ = write!(
        b,
        "<p><a class=\"button\" href=\"/_edit/\">{}</a></p>",
        lang.t("Về danh sách", "Back to the list")
    );
    page(lang, lang.t("Đã xoá", "Deleted"), &b)
}

#[cfg(test)]
mod lang_tests {
    use super::Lang;

    #[test]
    fn the_browsers_preference_by_q_value() {
        let of = |h: &str| Lang::from_header(Some(h));
        assert_eq!(of("vi-VN,vi;q=0.9,en-US;q=0.8,en;q=0.7"), Lang::Vi);
        assert_eq!(of("en-US,en;q=0.9"), Lang::En);
        assert_eq!(of("en-GB"), Lang::En);
        assert_eq!(of("en;q=0.5, vi;q=0.9"), Lang::Vi, "q-values, not order");
        assert_eq!(of("zh-CN,zh;q=0.9"), Lang::Vi);
        assert_eq!(Lang::from_header(None), Lang::Vi);
    }
}

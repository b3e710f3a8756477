//! The field table: every front-matter field with the input that edits it, the kinds of entry it
//! belongs to, its label and help in Vietnamese and English (per kind of entry where they
//! differ), and the bounds of its text. The editor's forms are made from it; `FrontMatter`
//! (serde) checks the values, and a test keeps the two in step. The bounds are checked when any
//! file is read (`check_text`), so a build, `check`, the editor and the importer refuse alike.

use crate::vocab::Kind;

/// How a field is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// One line of text.
    Text,
    /// A few lines (summary).
    LongText,
    /// The plaque code: shown, editable only until the ledger records it.
    Code,
    /// `{ lat, lon }`.
    Location,
    /// A list of words.
    Tags,
    /// YYYY-MM-DD.
    Date,
    Bool,
    /// One of `special-national`, `national`, `provincial`.
    Ranking,
    /// One of `a6`, `sticker`, `a4`.
    PlaqueSize,
    Year,
    Tel,
    /// VND, a whole number.
    Money,
    Url,
    /// `{ ssid, password }`.
    Wifi,
    /// `{ bin, account, name }`.
    Bank,
    /// The photos, edited in their own part of the form.
    Images,
    /// The audio guide file, uploaded in its own part of the form.
    Audio,
    /// `links`: rows of an address and an optional label (a known service is recognised by its
    /// host, `content::links`; another needs the label).
    Links,
    /// `specialties`: rows of name, price (VND), a photo of the bundle and a shop link.
    Specialties,
    /// `amenities`: a checkbox for each of `vocab::AMENITIES`.
    Amenities,
    /// `languages` hosts speak: a checkbox for each of `vocab::SPOKEN`.
    Spoken,
    /// `rooms`, `guests`: a small whole number.
    Count,
    /// `check_in`, `check_out`: a time of day, `HH:MM`.
    Time,
    /// `price_per`: one of `vocab::PRICE_PER`.
    PricePer,
    /// `closed`: a day, two days (from, to) or words, one a line.
    Closed,
}

/// Which kinds of entry a field belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum For {
    All,
    Relics,
    Homestays,
}

impl For {
    pub fn includes(self, kind: Kind) -> bool {
        match self {
            For::All => true,
            For::Relics => kind == Kind::Relic,
            For::Homestays => kind == Kind::Homestay,
        }
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub name: &'static str,
    pub input: Input,
    pub only: For,
    /// Whether a translation (`index.en.md`) may hold it.
    pub translated: bool,
    /// Kept out of the published site (printed on the homestay's kit only).
    pub private: bool,
    pub vi: &'static str,
    pub en: &'static str,
    pub help_vi: &'static str,
    pub help_en: &'static str,
    /// Help that replaces `help_vi`/`help_en` for one kind of entry.
    pub kind_help: &'static [(Kind, &'static str, &'static str)],
    /// The most characters its text may have (0: no limit of its own).
    pub max_chars: usize,
}

/// Why a field's text is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Bound {
    /// A line break in a field that is one line.
    NewLine,
    /// More than `max` characters.
    TooLong { max: usize, len: usize },
    /// An invisible character that turns the text around or hides it (U+202E, U+2066…) in a
    /// name: `title: "\u{202e}gnal"` reads "lang" on a page and makes the slug `gnal`.
    Invisible,
}

impl Bound {
    /// The message in English and Vietnamese, naming the field by its label.
    pub fn message(&self, field: &Field) -> (String, String) {
        match self {
            Bound::NewLine => (
                format!("{} is one line: remove the line breaks", field.en),
                format!(
                    "{} chỉ được viết trên một dòng: bỏ các dấu xuống dòng",
                    field.vi
                ),
            ),
            Bound::Invisible => (
                format!(
                    "{} holds an invisible character that changes how the text reads (a direction mark): type it again",
                    field.en
                ),
                format!(
                    "{} có ký tự ẩn làm đảo chiều chữ: hãy gõ lại",
                    field.vi
                ),
            ),
            Bound::TooLong { max, len } => (
                format!(
                    "{} is {len} characters long, more than {max}: shorten it",
                    field.en
                ),
                format!("{} dài {len} ký tự, quá {max}: hãy viết ngắn lại", field.vi),
            ),
        }
    }
}

impl Field {
    /// The help shown for this field on an entry of `kind`, in (Vietnamese, English).
    pub fn help_for(&self, kind: Kind) -> (&'static str, &'static str) {
        self.kind_help
            .iter()
            .find(|(k, _, _)| *k == kind)
            .map(|(_, vi, en)| (*vi, *en))
            .unwrap_or((self.help_vi, self.help_en))
    }

    /// Whether its text is one line (a name, a number, an address): its input is one line.
    pub fn one_line(&self) -> bool {
        matches!(
            self.input,
            Input::Text
                | Input::Code
                | Input::Tel
                | Input::Url
                | Input::Tags
                | Input::Links
                | Input::Time
                | Input::Closed
        )
    }

    /// Check one text of this field (a tag of `tags`): one line where it must be, not too long.
    pub fn check_text(&self, text: &str) -> Result<(), Bound> {
        if self.one_line() && text.contains(['\n', '\r']) {
            return Err(Bound::NewLine);
        }
        let turns = |c: char| {
            ('\u{202a}'..='\u{202e}').contains(&c) || ('\u{2066}'..='\u{2069}').contains(&c)
        };
        if self.one_line() && text.chars().any(turns) {
            return Err(Bound::Invisible);
        }
        let len = text.chars().count();
        if self.max_chars > 0 && len > self.max_chars {
            return Err(Bound::TooLong {
                max: self.max_chars,
                len,
            });
        }
        Ok(())
    }
}

const fn f(name: &'static str, input: Input, vi: &'static str, en: &'static str) -> Field {
    Field {
        name,
        input,
        only: For::All,
        translated: false,
        private: false,
        vi,
        en,
        help_vi: "",
        help_en: "",
        kind_help: &[],
        max_chars: 0,
    }
}

/// A field whose input is its own kind of row or choice (set after the common helpers).
const fn drawn_as(mut field: Field, input: Input) -> Field {
    field.input = input;
    field
}

const fn limit(mut field: Field, max_chars: usize) -> Field {
    field.max_chars = max_chars;
    field
}

const fn per_kind(
    mut field: Field,
    kind_help: &'static [(Kind, &'static str, &'static str)],
) -> Field {
    field.kind_help = kind_help;
    field
}

const fn help(mut field: Field, vi: &'static str, en: &'static str) -> Field {
    field.help_vi = vi;
    field.help_en = en;
    field
}

const fn only(mut field: Field, only: For) -> Field {
    field.only = only;
    field
}

const fn translated(mut field: Field) -> Field {
    field.translated = true;
    field
}

const fn private(mut field: Field) -> Field {
    field.private = true;
    field
}

/// In the order a new entry's file lists them.
pub const TABLE: &[Field] = &[
    translated(limit(
        per_kind(
            help(
                f("title", Input::Text, "Tên", "Name"),
                "Tên thường gọi của địa điểm.",
                "The name people know the place by.",
            ),
            &[
                (
                    Kind::Relic,
                    "Tên như trên biển ở di tích.",
                    "The name as on the sign at the site.",
                ),
                (
                    Kind::Homestay,
                    "Tên nhà như khách tìm thấy: trên biển, Facebook hoặc Zalo.",
                    "The house's name as guests find it: on its sign, Facebook or Zalo.",
                ),
            ],
        ),
        200,
    )),
    help(
        f("code", Input::Code, "Mã biển QR", "Plaque code"),
        "2–16 chữ in hoa, số hoặc dấu gạch ngang. Đã in thì không đổi được.",
        "2–16 upper-case letters, digits or hyphens. Fixed once printed.",
    ),
    translated(limit(
        help(
            f("summary", Input::LongText, "Tóm tắt", "Summary"),
            "Một hai câu cho danh sách và khi chia sẻ.",
            "One or two sentences for lists and link previews.",
        ),
        500,
    )),
    help(
        f("location", Input::Location, "Vị trí", "Location"),
        "Vĩ độ (khoảng 21,8) và kinh độ (khoảng 106,7).",
        "Latitude (about 21.8) and longitude (about 106.7).",
    ),
    translated(limit(f("address", Input::Text, "Địa chỉ", "Address"), 300)),
    limit(f("commune", Input::Text, "Xã / phường", "Commune"), 100),
    limit(
        help(
            f("district", Input::Text, "Huyện (cũ)", "District (former)"),
            "Huyện mà du khách và biển chỉ đường còn dùng.",
            "The former district visitors and road signs still use.",
        ),
        100,
    ),
    translated(f("images", Input::Images, "Ảnh", "Photos")),
    f(
        "audio",
        Input::Audio,
        "Thuyết minh (âm thanh)",
        "Audio guide",
    ),
    limit(
        help(
            f("tags", Input::Tags, "Thẻ", "Tags"),
            "Cách nhau bằng dấu phẩy.",
            "Separated by commas.",
        ),
        60,
    ),
    f("date", Input::Date, "Ngày", "Date"),
    translated(help(
        f("draft", Input::Bool, "Bản nháp", "Draft"),
        "Bản nháp không được xuất bản.",
        "Drafts are not published.",
    )),
    f("plaque_size", Input::PlaqueSize, "Cỡ biển", "Plaque size"),
    drawn_as(
        limit(
            help(
                f("links", Input::Url, "Trang trên mạng", "Links"),
                "Facebook, TikTok, Zalo OA, Booking, Agoda, Shopee...: mỗi dòng một đường dẫn https://; trang khác cần thêm nhãn.",
                "Facebook, TikTok, Zalo OA, Booking, Agoda, Shopee...: one https:// address a line; other sites need a label.",
            ),
            2000,
        ),
        Input::Links,
    ),
    only(
        f("ranking", Input::Ranking, "Cấp xếp hạng", "Ranking"),
        For::Relics,
    ),
    only(
        f("recognized", Input::Year, "Năm xếp hạng", "Year ranked"),
        For::Relics,
    ),
    limit(
        help(
            f("phone", Input::Tel, "Điện thoại", "Phone"),
            "Một số, hoặc hai số cách nhau bằng dấu phẩy, ví dụ 0912 345 678.",
            "One number, or two separated by a comma, e.g. 0912 345 678.",
        ),
        60,
    ),
    limit(
        help(
            f("zalo", Input::Tel, "Zalo", "Zalo"),
            "Số điện thoại có Zalo, hoặc đường dẫn zalo.me.",
            "A phone number with Zalo, or a zalo.me link.",
        ),
        200,
    ),
    only(
        help(
            f(
                "price_from",
                Input::Money,
                "Giá từ (đồng/đêm)",
                "Price from (VND a night)",
            ),
            "Chỉ ghi số, ví dụ 250000.",
            "Digits only, e.g. 250000.",
        ),
        For::Homestays,
    ),
    only(
        limit(
            f(
                "booking_url",
                Input::Url,
                "Đường dẫn đặt phòng",
                "Booking link",
            ),
            2000,
        ),
        For::Homestays,
    ),
    only(
        drawn_as(
            help(
                f("rooms", Input::Money, "Số phòng", "Rooms"),
                "Chỉ ghi số, ví dụ 4.",
                "A number, e.g. 4.",
            ),
            Input::Count,
        ),
        For::Homestays,
    ),
    only(
        drawn_as(
            help(
                f("guests", Input::Money, "Số khách tối đa", "Guests (most)"),
                "Nhà nhận tối đa bao nhiêu khách, ví dụ 12.",
                "How many guests the house sleeps, e.g. 12.",
            ),
            Input::Count,
        ),
        For::Homestays,
    ),
    only(
        drawn_as(
            limit(
                help(
                    f("amenities", Input::Tags, "Tiện nghi", "Amenities"),
                    "Chọn trong: wifi, hot-water, air-conditioning, parking, breakfast, local-meals, motorbike-hire, bicycles, trekking-guide, pickup, laundry, campfire.",
                    "From: wifi, hot-water, air-conditioning, parking, breakfast, local-meals, motorbike-hire, bicycles, trekking-guide, pickup, laundry, campfire.",
                ),
                30,
            ),
            Input::Amenities,
        ),
        For::Homestays,
    ),
    only(
        drawn_as(
            limit(
                help(
                    f("languages", Input::Tags, "Chủ nhà nói tiếng", "Languages spoken"),
                    "Mã ngôn ngữ: vi, en, zh, fr, tay, nung, dao...",
                    "Language codes: vi, en, zh, fr, tay, nung, dao...",
                ),
                10,
            ),
            Input::Spoken,
        ),
        For::Homestays,
    ),
    only(
        drawn_as(
            limit(
                help(
                    f("check_in", Input::Text, "Giờ nhận phòng", "Check-in from"),
                    "Giờ:phút, ví dụ 14:00.",
                    "Hours and minutes, e.g. 14:00.",
                ),
                5,
            ),
            Input::Time,
        ),
        For::Homestays,
    ),
    only(
        drawn_as(
            limit(
                help(
                    f("check_out", Input::Text, "Giờ trả phòng", "Check-out by"),
                    "Giờ:phút, ví dụ 11:00.",
                    "Hours and minutes, e.g. 11:00.",
                ),
                5,
            ),
            Input::Time,
        ),
        For::Homestays,
    ),
    only(
        drawn_as(
            limit(
                help(
                    f("price_per", Input::Text, "Giá tính theo", "Price per"),
                    "room (mỗi phòng) hoặc person (mỗi người).",
                    "room or person.",
                ),
                10,
            ),
            Input::PricePer,
        ),
        For::Homestays,
    ),
    only(
        drawn_as(
            limit(
                help(
                    f("closed", Input::Tags, "Ngày nghỉ", "Closed"),
                    "Ngày 2026-02-14, khoảng 2026-02-14..2026-02-20, hoặc chữ như Tết Nguyên đán.",
                    "A day 2026-02-14, days 2026-02-14..2026-02-20, or words such as Tết.",
                ),
                100,
            ),
            Input::Closed,
        ),
        For::Homestays,
    ),
    only(
        help(
            f("price_updated", Input::Date, "Ngày cập nhật giá", "Price checked on"),
            "Ngày hỏi lại giá; sau một năm sẽ có nhắc nhở.",
            "The day the price was checked; a warning after a year.",
        ),
        For::Homestays,
    ),
    only(
        drawn_as(
            limit(
                help(
                    f("specialties", Input::Text, "Đặc sản", "Local specialties"),
                    "Đặc sản nhà bán: tên, giá, ảnh, đường dẫn cửa hàng.",
                    "Produce the house sells: name, price, photo, shop link.",
                ),
                2000,
            ),
            Input::Specialties,
        ),
        For::Homestays,
    ),
    only(
        private(help(
            f("wifi", Input::Wifi, "Wi-Fi", "Wi-Fi"),
            "Chỉ in trên bộ QR của nhà, không đưa lên trang web.",
            "Printed on the kit only, never on the website.",
        )),
        For::Homestays,
    ),
    only(
        private(help(
            f(
                "bank",
                Input::Bank,
                "Tài khoản ngân hàng (VietQR)",
                "Bank account (VietQR)",
            ),
            "Mã BIN 6 số của ngân hàng, số tài khoản, tên chủ tài khoản. Chỉ in trên bộ QR.",
            "The bank's six-digit BIN, the account, the holder's name. Printed on the kit only.",
        )),
        For::Homestays,
    ),
];

pub fn get(name: &str) -> Option<&'static Field> {
    TABLE.iter().find(|f| f.name == name)
}

/// The fields an entry of `kind` shows in its form.
pub fn for_kind(kind: Kind) -> impl Iterator<Item = &'static Field> {
    TABLE.iter().filter(move |f| f.only.includes(kind))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::front_matter::{FIELDS, HOMESTAY_ONLY, RELIC_ONLY, TRANSLATION_FIELDS};

    #[test]
    fn the_table_and_the_checks_name_the_same_fields() {
        let names: Vec<&str> = TABLE.iter().map(|f| f.name).collect();
        assert_eq!(names, FIELDS);
        let relic: Vec<&str> = TABLE
            .iter()
            .filter(|f| f.only == For::Relics)
            .map(|f| f.name)
            .collect();
        assert_eq!(relic, RELIC_ONLY);
        let homestay: Vec<&str> = TABLE
            .iter()
            .filter(|f| f.only == For::Homestays)
            .map(|f| f.name)
            .collect();
        assert_eq!(homestay, HOMESTAY_ONLY);
        let translated: Vec<&str> = TABLE
            .iter()
            .filter(|f| f.translated)
            .map(|f| f.name)
            .collect();
        assert_eq!(translated, TRANSLATION_FIELDS);
    }

    #[test]
    fn help_follows_the_kind_of_entry() {
        let title = get("title").unwrap();
        assert!(title.help_for(Kind::Relic).0.contains("di tích"));
        assert!(!title.help_for(Kind::Homestay).0.contains("di tích"));
        assert!(!title.help_for(Kind::Place).0.contains("di tích"));
    }

    #[test]
    fn one_line_fields_refuse_line_breaks_and_long_text() {
        let title = get("title").unwrap();
        assert_eq!(title.check_text("Đền Kỳ Cùng"), Ok(()));
        assert_eq!(title.check_text("Đền\nKỳ Cùng"), Err(Bound::NewLine));
        assert_eq!(title.check_text("\u{202e}gnal"), Err(Bound::Invisible));
        assert_eq!(
            title.check_text("Nhà \u{2067}A\u{2069}"),
            Err(Bound::Invisible)
        );
        assert_eq!(
            title.check_text(&"á".repeat(201)),
            Err(Bound::TooLong { max: 200, len: 201 })
        );
        let summary = get("summary").unwrap();
        assert_eq!(summary.check_text("Một câu.\nHai câu."), Ok(()));
        assert!(summary.check_text(&"a".repeat(501)).is_err());
        // Every text field has a bound.
        for f in TABLE.iter().filter(|f| {
            matches!(
                f.input,
                Input::Text | Input::LongText | Input::Tel | Input::Url
            )
        }) {
            assert!(f.max_chars > 0, "{} has no length limit", f.name);
        }
    }

    #[test]
    fn a_homestay_form_has_its_fields_and_no_relic_ones() {
        let names: Vec<&str> = for_kind(Kind::Homestay).map(|f| f.name).collect();
        assert!(names.contains(&"price_from") && names.contains(&"wifi"));
        assert!(!names.contains(&"ranking"));
        let place: Vec<&str> = for_kind(Kind::Place).map(|f| f.name).collect();
        assert!(!place.contains(&"price_from") && !place.contains(&"ranking"));
    }
}

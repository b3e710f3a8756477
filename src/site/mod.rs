//! The model: entries with their kind, languages, URLs and plaque codes, grouped into sections.
//! Built from what `content` loaded; read by every later stage.

use crate::config::Config;
use crate::content::front_matter::FrontMatter;
use crate::content::{Intro, Loaded, RawEntry, Text};
use crate::error::{Diagnostic, Result};
use crate::ledger::{self, Ledger};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

pub use crate::vocab::Kind;

pub mod rebuild;

#[derive(Debug)]
pub struct Entry {
    pub(crate) section: String,
    pub(crate) slug: String,
    pub(crate) kind: Kind,
    pub(crate) file: PathBuf,
    pub(crate) bundle: Option<PathBuf>,
    pub(crate) assets: Vec<String>,
    pub(crate) matter: FrontMatter,
    /// Text by language; always holds the default language.
    pub(crate) texts: BTreeMap<String, Text>,
    pub(crate) code: String,
}

impl Entry {
    /// `section/slug`: the entry's identity in plaques.lock.
    pub fn page_id(&self) -> String {
        format!("{}/{}", self.section, self.slug)
    }

    /// The text in `lang`, or the default language's when there is no translation.
    pub fn text<'a>(&'a self, lang: &str, default: &str) -> &'a Text {
        self.texts.get(lang).unwrap_or_else(|| &self.texts[default])
    }
}

/// A draft left out of the build. When its plaque code was issued, its landing `/q/CODE/` says
/// the place is being updated instead of leading nowhere, and links to it lead there.
#[derive(Debug)]
pub struct Held {
    /// None for a draft that was never given a code.
    pub code: Option<String>,
    pub section: String,
    pub slug: String,
    /// Title by language.
    pub titles: BTreeMap<String, String>,
    /// Its Markdown files, relative to the site folder.
    pub files: Vec<PathBuf>,
}

impl Held {
    /// `section/slug`, as in plaques.lock.
    pub fn page_id(&self) -> String {
        format!("{}/{}", self.section, self.slug)
    }
}

#[derive(Debug)]
pub struct Section {
    pub name: String,
    pub kind: Kind,
    pub intros: BTreeMap<String, Intro>,
    /// Indexes into `Site::entries`, sorted by folded title.
    pub entries: Vec<usize>,
}

/// Entries that share a (former) district or a tag, for their list pages.
#[derive(Debug)]
pub struct Group {
    /// As the first entry (in file order) spells it.
    pub name: String,
    pub slug: String,
    pub entries: Vec<usize>,
}

/// Entries grouped by the slugs of the `names` each has (once per entry), sorted by slug.
fn groups<'a>(entries: &'a [Entry], names: impl Fn(&'a Entry) -> &'a [String]) -> Vec<Group> {
    let mut by: BTreeMap<String, Group> = BTreeMap::new();
    for (i, e) in entries.iter().enumerate() {
        for name in names(e) {
            let slug = crate::slug::slugify(name);
            if slug.is_empty() {
                continue;
            }
            let g = by.entry(slug.clone()).or_insert_with(|| Group {
                name: name.clone(),
                slug,
                entries: Vec::new(),
            });
            // Two spellings of one tag on an entry list it once.
            if g.entries.last() != Some(&i) {
                g.entries.push(i);
            }
        }
    }
    by.into_values().collect()
}

fn districts(entries: &[Entry]) -> Vec<Group> {
    groups(entries, |e| e.matter.district.as_slice())
}

fn tags(entries: &[Entry]) -> Vec<Group> {
    groups(entries, |e| &e.matter.tags)
}

#[derive(Debug, Default, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Nearby {
    pub relics: Vec<(usize, f64)>,
    pub homestays: Vec<(usize, f64)>,
}

/// How many nearby places of each kind a page lists, and how far it looks.
const NEARBY_COUNT: usize = 4;
const NEARBY_KM: f64 = 60.0;

fn nearby(entries: &[Entry]) -> Vec<Nearby> {
    use rayon::prelude::*;
    let point = |e: &Entry| e.matter.location.map(|l| (l.lat, l.lon));
    let of_kind = |k: Kind| {
        let pts: Vec<Option<(f64, f64)>> = entries
            .iter()
            .map(|e| if e.kind == k { point(e) } else { None })
            .collect();
        crate::nearby::Index::new(&pts)
    };
    let (relics, homestays) = (of_kind(Kind::Relic), of_kind(Kind::Homestay));
    entries
        .par_iter()
        .enumerate()
        .map(|(i, e)| match point(e) {
            Some(p) => Nearby {
                relics: relics.nearest(p, NEARBY_COUNT, NEARBY_KM, Some(i)),
                homestays: homestays.nearest(p, NEARBY_COUNT, NEARBY_KM, Some(i)),
            },
            None => Nearby::default(),
        })
        .collect()
}

#[derive(Debug)]
pub struct Site {
    pub(crate) root: PathBuf,
    pub(crate) config: Config,
    pub(crate) home: BTreeMap<String, Intro>,
    pub(crate) sections: Vec<Section>,
    pub(crate) entries: Vec<Entry>,
    /// Every content file (default and translations) to its entry, for resolving links.
    pub(crate) by_file: HashMap<PathBuf, usize>,
    /// Retired plaque codes and what they now lead to (a code, `section/slug` or a section).
    pub(crate) retired: BTreeMap<String, String>,
    /// Drafts left out, by file path.
    pub(crate) held: Vec<Held>,
    /// For each entry, the closest relic sites and homestays: (entry index, km).
    pub(crate) nearby: Vec<Nearby>,
    /// Sorted by slug.
    pub(crate) districts: Vec<Group>,
    /// Sorted by slug.
    pub(crate) tags: Vec<Group>,
    /// site.yaml's `tag_names`, by the tag's slug: language → name.
    tag_names: BTreeMap<String, BTreeMap<String, String>>,
}

/// Sections are listed in this order first; others follow by name.
const SECTION_ORDER: &[&str] = &["relics", "homestays"];

/// A model just built, with what building it found: the ledger to write after a successful run
/// (new codes issued, codes following their entries) and the loader's warnings.
pub struct Modeled {
    pub site: Site,
    pub ledger: Ledger,
    pub warnings: Vec<Diagnostic>,
}

impl Site {
    /// The model of what `content` loaded, with every entry's plaque code from the ledger.
    pub fn from_loaded(
        root: &Path,
        config: Config,
        loaded: Loaded,
        ledger: &Ledger,
    ) -> Result<Modeled> {
        let Loaded {
            home,
            section_intros,
            sections: section_names,
            entries: raw,
            held,
            warnings,
        } = loaded;
        let claims: Vec<ledger::Claim> = raw
            .iter()
            .map(|e| (e, false))
            .chain(held.iter().map(|e| (e, true)))
            .map(|(e, is_held)| ledger::Claim {
                page: format!("{}/{}", e.section, e.slug),
                code: e.matter.code.as_deref(),
                file: &e.file,
                code_line: e
                    .matter
                    .code
                    .as_ref()
                    .map(|_| crate::yaml::key_line(&e.yaml, e.yaml_line, "code")),
                held: is_held,
            })
            .collect();
        let names: BTreeSet<String> = section_names.iter().cloned().collect();
        let assignment = ledger::assign(ledger, &claims, &names)?;

        let mut codes = assignment.codes.into_iter();
        let entries: Vec<Entry> = raw
            .into_iter()
            .zip(codes.by_ref())
            .map(|(e, code)| from_raw(e, code))
            .collect();
        let held = held
            .into_iter()
            .zip(codes)
            .map(|(e, code)| Held {
                code: (!code.is_empty()).then_some(code),
                titles: (e.texts.iter())
                    .map(|(l, t)| (l.clone(), t.title.clone()))
                    .collect(),
                files: e.texts.values().map(|t| t.file.clone()).collect(),
                section: e.section,
                slug: e.slug,
            })
            .collect();
        let mut by_file = HashMap::new();
        for (i, e) in entries.iter().enumerate() {
            for t in e.texts.values() {
                by_file.insert(t.file.clone(), i);
            }
        }
        let mut names: Vec<String> = section_names;
        names.sort_by_key(|n| {
            let rank = SECTION_ORDER
                .iter()
                .position(|s| s == n)
                .unwrap_or(SECTION_ORDER.len());
            (rank, n.clone())
        });
        let mut section_intros = section_intros;
        let default = config.default_language.clone();
        let sections = names
            .into_iter()
            .map(|name| {
                let mut idx: Vec<usize> = (0..entries.len())
                    .filter(|&i| entries[i].section == name)
                    .collect();
                sort_by_title(&mut idx, &entries, &default);
                Section {
                    kind: Kind::of_section(&name),
                    intros: section_intros.remove(&name).unwrap_or_default(),
                    entries: idx,
                    name,
                }
            })
            .collect();
        let nearby = nearby(&entries);
        let (districts, tags) = (districts(&entries), tags(&entries));
        let tag_names = (config.tag_names.iter())
            .map(|(tag, names)| (crate::slug::slugify(tag), names.clone()))
            .collect();
        let site = Site {
            nearby,
            districts,
            tags,
            tag_names,
            root: root.to_path_buf(),
            config,
            home,
            sections,
            entries,
            by_file,
            retired: assignment.retired,
            held,
        };
        Ok(Modeled {
            site,
            ledger: assignment.ledger,
            warnings,
        })
    }

    pub fn default_language(&self) -> &str {
        &self.config.default_language
    }

    /// "" for the default language, "/en" for another.
    pub fn lang_prefix(&self, lang: &str) -> String {
        if lang == self.config.default_language {
            String::new()
        } else {
            format!("/{lang}")
        }
    }

    /// Site-relative path of an entry's page, e.g. "/en/relics/chi-lang/".
    pub fn entry_path(&self, e: &Entry, lang: &str) -> String {
        format!("{}/{}/{}/", self.lang_prefix(lang), e.section, e.slug)
    }

    /// The link of the folder an entry's photos and audio are published in: beside its
    /// default-language page.
    pub fn folder_url(&self, e: &Entry) -> String {
        self.link(&format!("/{}/{}/", e.section, e.slug))
    }

    pub fn section_path(&self, section: &str, lang: &str) -> String {
        format!("{}/{section}/", self.lang_prefix(lang))
    }

    pub fn district_path(&self, d: &Group, lang: &str) -> String {
        format!("{}/districts/{}/", self.lang_prefix(lang), d.slug)
    }

    /// The group (district or tag, sorted by slug) that `name` belongs to.
    pub fn group_of<'a>(groups: &'a [Group], name: &str) -> Option<&'a Group> {
        let slug = crate::slug::slugify(name);
        groups
            .binary_search_by(|g| g.slug.cmp(&slug))
            .ok()
            .map(|i| &groups[i])
    }

    /// A tag's name in `lang`: as site.yaml's `tag_names` gives it, else as the entries write it.
    pub fn tag_name<'a>(&'a self, t: &'a Group, lang: &str) -> &'a str {
        (self.tag_names.get(&t.slug))
            .and_then(|names| names.get(lang))
            .map_or(&t.name, String::as_str)
    }

    /// Whether site.yaml's `tag_names` names this tag in `lang`.
    pub fn tag_is_named(&self, t: &Group, lang: &str) -> bool {
        (self.tag_names.get(&t.slug)).is_some_and(|names| names.contains_key(lang))
    }

    pub fn tag_path(&self, t: &Group, lang: &str) -> String {
        format!("{}/tags/{}/", self.lang_prefix(lang), t.slug)
    }

    pub fn home_path(&self, lang: &str) -> String {
        format!("{}/", self.lang_prefix(lang))
    }

    /// The link an HTML page uses for a site-relative path (base_url's own path in front).
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.config.base_path())
    }

    /// The absolute URL of a site-relative path.
    pub fn absolute(&self, path: &str) -> String {
        let host_end = self
            .config
            .base_url
            .find("://")
            .map(|i| i + 3)
            .and_then(|start| self.config.base_url[start..].find('/').map(|j| start + j))
            .unwrap_or(self.config.base_url.len());
        format!(
            "{}{}{path}",
            &self.config.base_url[..host_end],
            self.config.base_path()
        )
    }

    /// A code's short link: its landing's address, printed under the plaque's QR code.
    pub fn short_link(&self, code: &str) -> String {
        self.absolute(&crate::address::landing(code))
    }

    /// The short link as its QR code carries it (`address::scan_form`): the same address.
    pub fn scan_link(&self, code: &str) -> String {
        crate::address::scan_form(&self.short_link(code))
    }

    /// Every code the site answers: its entries', its held drafts' and the retired ones.
    pub fn codes(&self) -> impl Iterator<Item = &str> {
        (self.entries.iter().map(|e| e.code.as_str()))
            .chain(self.held.iter().filter_map(|h| h.code.as_deref()))
            .chain(self.retired.keys().map(String::as_str))
    }

    pub fn entry_by_code(&self, code: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.code == code)
    }

    pub fn entry_by_page(&self, page: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.page_id() == page)
    }
}

/// A section's order: by folded default-language title, then by file order.
fn sort_by_title(idx: &mut [usize], entries: &[Entry], default: &str) {
    idx.sort_by_cached_key(|&i| (crate::slug::fold(&entries[i].texts[default].title), i));
}

/// The list pages entries with these districts (or tags) make: each slug and how many entries it
/// lists. An entry's names are given together, so that it counts once in each group.
pub fn group_sizes<'a>(names: impl Iterator<Item = &'a [String]>) -> BTreeMap<String, usize> {
    let mut sizes = BTreeMap::new();
    for of_entry in names {
        let slugs: BTreeSet<String> = of_entry
            .iter()
            .map(|d| crate::slug::slugify(d))
            .filter(|s| !s.is_empty())
            .collect();
        for slug in slugs {
            *sizes.entry(slug).or_insert(0) += 1;
        }
    }
    sizes
}

/// Page `n` (from 1) of the list whose first page is at `first`: `first` itself, then
/// `first` + `page/<n>/`, as Hugo and Zola lay them out.
pub fn list_page_path(first: &str, n: usize) -> String {
    if n <= 1 {
        first.to_string()
    } else {
        format!("{first}page/{n}/")
    }
}

fn from_raw(e: RawEntry, code: String) -> Entry {
    Entry {
        kind: Kind::of_section(&e.section),
        section: e.section,
        slug: e.slug,
        file: e.file,
        bundle: e.bundle,
        assets: e.assets,
        matter: e.matter,
        texts: e.texts,
        code,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::entry_from_text;

    /// A model from entry files held in memory: (section, slug, text).
    fn model(files: &[(&str, &str, &str)], ledger: &Ledger) -> Result<Modeled> {
        let config = Config::parse(
            "title: T\nbase_url: https://t.example/sub\nlanguages: [vi, en]\npaginate_by: 2\n",
        )?;
        let entries = files
            .iter()
            .map(|(section, slug, text)| {
                let rel = PathBuf::from(format!("content/{section}/{slug}.md"));
                entry_from_text(text, &rel, section, slug, "vi").map_err(crate::error::Error::one)
            })
            .collect::<Result<Vec<_>>>()?;
        let mut sections: Vec<String> = files.iter().map(|(s, _, _)| s.to_string()).collect();
        sections.sort();
        sections.dedup();
        let loaded = Loaded {
            sections,
            entries,
            ..Loaded::default()
        };
        Site::from_loaded(Path::new("/nowhere"), config, loaded, ledger)
    }

    const DEN: &str = "---\ntitle: Đền Kỳ Cùng\ndistrict: Thành phố Lạng Sơn\ntags: [Đền, lịch sử]\nlocation: { lat: 21.85, lon: 106.76 }\n---\nText.\n";
    const CHUA: &str = "---\ntitle: Chùa Tam Thanh\ndistrict: thành phố Lạng Sơn\ntags: [lich su]\nlocation: { lat: 21.86, lon: 106.75 }\ncode: TT\n---\n";
    const NHA: &str = "---\ntitle: Nhà Nà Lạn\nlocation: { lat: 21.87, lon: 106.77 }\n---\n";
    const FAR: &str = "---\ntitle: Ải Xa\nlocation: { lat: 22.9, lon: 105.1 }\n---\n";

    #[test]
    fn sections_groups_and_addresses() {
        let m = model(
            &[
                ("places", "cho", "---\ntitle: Chợ\n---\n"),
                ("relics", "den", DEN),
                ("relics", "chua", CHUA),
                ("homestays", "nha", NHA),
            ],
            &Ledger::default(),
        )
        .unwrap();
        let site = &m.site;
        // Relics, then homestays, then other sections by name; each in title order.
        let names: Vec<&str> = site.sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names, ["relics", "homestays", "places"]);
        let relic_titles: Vec<&str> = site.sections[0]
            .entries
            .iter()
            .map(|&i| site.entries[i].texts["vi"].title.as_str())
            .collect();
        assert_eq!(relic_titles, ["Chùa Tam Thanh", "Đền Kỳ Cùng"]);
        // One district for two spellings; tags grouped by slug, the first spelling kept.
        assert_eq!(site.districts.len(), 1);
        assert_eq!(site.districts[0].entries.len(), 2);
        let tags: Vec<(&str, usize)> = (site.tags.iter())
            .map(|g| (g.slug.as_str(), g.entries.len()))
            .collect();
        assert_eq!(tags, [("den", 1), ("lich-su", 2)]);
        // Addresses follow base_url's path and the language.
        let den = site.entry_by_page("relics/den").unwrap();
        assert_eq!(site.entry_path(den, "en"), "/en/relics/den/");
        assert_eq!(site.link(&site.entry_path(den, "vi")), "/sub/relics/den/");
        assert_eq!(site.short_link("TT"), "https://t.example/sub/q/TT/");
    }

    #[test]
    fn codes_are_issued_and_recorded_in_the_ledger_to_write() {
        let m = model(
            &[("relics", "den", DEN), ("relics", "chua", CHUA)],
            &Ledger::default(),
        )
        .unwrap();
        let codes: Vec<&str> = m.site.entries.iter().map(|e| e.code.as_str()).collect();
        assert!(codes.contains(&"TT") && codes.contains(&"DEN"), "{codes:?}");
        assert_eq!(m.ledger.codes["DEN"].page.as_deref(), Some("relics/den"));
        // The next run with that ledger keeps the code, even after the entry is renamed.
        let renamed = DEN.replace("title: Đền Kỳ Cùng", "title: Đền Kỳ Cùng mới\ncode: DEN");
        let again = model(
            &[("relics", "den-moi", &renamed), ("relics", "chua", CHUA)],
            &m.ledger,
        )
        .unwrap();
        assert_eq!(
            again.ledger.codes["DEN"].page.as_deref(),
            Some("relics/den-moi")
        );
        // Removed without a retirement: an error naming the code.
        let err = model(&[("relics", "chua", CHUA)], &m.ledger).err().unwrap();
        assert!(err.to_string().contains("plaque code DEN"), "{err}");
    }

    #[test]
    fn nearby_places_by_kind_and_distance() {
        let m = model(
            &[
                ("relics", "den", DEN),
                ("relics", "chua", CHUA),
                ("relics", "xa", FAR),
                ("homestays", "nha", NHA),
            ],
            &Ledger::default(),
        )
        .unwrap();
        let site = &m.site;
        let at = |page: &str| {
            (site.entries.iter())
                .position(|e| e.page_id() == page)
                .unwrap()
        };
        let near = &site.nearby[at("relics/den")];
        // The other close relic, not itself, not the one 200 km away; the homestay apart.
        assert_eq!(near.relics.len(), 1);
        assert_eq!(near.relics[0].0, at("relics/chua"));
        assert!(near.relics[0].1 < 2.0, "{:?}", near.relics);
        assert_eq!(
            near.homestays.iter().map(|n| n.0).collect::<Vec<_>>(),
            [at("homestays/nha")]
        );
        assert!(site.nearby[at("relics/xa")].relics.is_empty());
    }
}

//! Section, district and tag lists (split into pages), and the home page's lists.

use super::SiteWide;
use crate::error::Diagnostic;
use crate::output::OutFile;
use crate::render::context::{self, card};
use serde::Serialize;

#[derive(Serialize)]
pub(super) struct HomeCtx {
    sections: Vec<ListCtx>,
    districts: Vec<ListCtx>,
    tags: Vec<ListCtx>,
}

#[derive(Serialize)]
pub(super) struct ListCtx {
    name: String,
    title: String,
    url: String,
    /// All entries in the list, though `entries` may show fewer (the home page shows the first few).
    count: usize,
    entries: Vec<context::Card>,
}

/// How many entries of each section the home page shows; the section's pages list them all.
const HOME_LIST: usize = 12;

/// What a list says above its cards: its title, the lead line and the intro's HTML (`_index.md`).
pub(super) struct ListHead {
    pub title: String,
    pub summary: Option<String>,
    pub intro: String,
}

impl ListHead {
    /// A list with a title alone (districts, tags, a retired code's section).
    pub fn titled(title: String) -> ListHead {
        ListHead {
            title,
            summary: None,
            intro: String::new(),
        }
    }
}

impl SiteWide<'_> {
    /// The pages of a section, district or tag list in `lang`, its first page at `first(lang)` and
    /// its cards split `paginate_by` a page; only the first `limit` pages are made.
    pub(super) fn list_files(
        &self,
        lang: &str,
        first: &dyn Fn(&str) -> String,
        head: ListHead,
        list: ListCtx,
        limit: usize,
    ) -> Result<Vec<OutFile>, Diagnostic> {
        let site = self.site;
        let ListHead {
            title,
            summary,
            intro,
        } = head;
        let total = site.config.list_pages(list.count);
        let per = match site.config.paginate_by {
            0 => usize::MAX,
            per => per,
        };
        let t = self.strings(lang);
        let mut cards = list.entries.into_iter();
        let mut files = Vec::new();
        for n in 1..=total.min(limit) {
            let path_of = |l: &str| crate::site::list_page_path(&first(l), n);
            // The intro is the list's own text: on its first page, not repeated on every page.
            let content = if n == 1 { intro.clone() } else { String::new() };
            let mut ctx = self.list_page(
                lang,
                &path_of,
                crate::render::paginate::title(&title, n, t),
                summary.clone(),
                content,
            );
            let page = ListCtx {
                name: list.name.clone(),
                title: list.title.clone(),
                url: list.url.clone(),
                count: list.count,
                entries: cards.by_ref().take(per).collect(),
            };
            ctx.insert("section", &page);
            let url = |k: usize| site.link(&crate::site::list_page_path(&first(lang), k));
            ctx.insert("pager", &crate::render::paginate::pager(n, total, url, t));
            let html = self.theme.render_bytes("section.html", &ctx)?;
            files.push(OutFile::bytes(
                crate::address::page_file(&path_of(lang)),
                html,
            ));
        }
        Ok(files)
    }

    pub(super) fn list(&self, i: usize, lang: &str) -> ListCtx {
        let site = self.site;
        let s = &site.sections[i];
        ListCtx {
            name: s.name.clone(),
            title: context::section_title(site, &s.name, lang, self.strings(lang)),
            url: site.link(&site.section_path(&s.name, lang)),
            count: s.entries.len(),
            entries: sorted_cards(
                s.entries
                    .iter()
                    .map(|&j| card(site, &site.entries[j], lang)),
            ),
        }
    }

    /// The list of a district or tag, called `title`, whose first page is at `path`.
    pub(super) fn group_list(
        &self,
        g: &crate::site::Group,
        title: String,
        path: &str,
        lang: &str,
    ) -> ListCtx {
        let site = self.site;
        let mut list = self.group_link(g, title, path);
        list.entries = sorted_cards(
            g.entries
                .iter()
                .map(|&j| card(site, &site.entries[j], lang)),
        );
        list
    }

    /// A district's or tag's name, link and size, for the home page.
    fn group_link(&self, g: &crate::site::Group, title: String, path: &str) -> ListCtx {
        ListCtx {
            name: g.slug.clone(),
            title,
            url: self.site.link(path),
            count: g.entries.len(),
            entries: Vec::new(),
        }
    }

    pub(super) fn home_ctx(&self, lang: &str) -> HomeCtx {
        let site = self.site;
        let sections = (0..site.sections.len())
            .map(|i| {
                let mut l = self.list(i, lang);
                l.entries.truncate(HOME_LIST);
                l
            })
            .collect();
        let districts = (site.districts.iter())
            .map(|d| self.group_link(d, d.name.clone(), &site.district_path(d, lang)))
            .collect();
        let mut tags: Vec<(String, ListCtx)> = (site.tags.iter())
            .map(|t| {
                let name = site.tag_name(t, lang).to_string();
                (
                    crate::slug::fold(&name),
                    self.group_link(t, name, &site.tag_path(t, lang)),
                )
            })
            .collect();
        // In the reader's language's order, as they read the names.
        tags.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
        let tags = tags.into_iter().map(|(_, l)| l).collect();
        HomeCtx {
            sections,
            districts,
            tags,
        }
    }
}

/// Lists read in the reader's language, so they are sorted by the titles they show.
fn sorted_cards(cards: impl Iterator<Item = context::Card>) -> Vec<context::Card> {
    let mut v: Vec<(String, context::Card)> =
        cards.map(|c| (crate::slug::fold(&c.title), c)).collect();
    v.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.code.cmp(&b.1.code)));
    v.into_iter().map(|(_, c)| c).collect()
}

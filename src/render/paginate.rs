//! Long section and district lists split into pages: a list of thousands of cards is hundreds of
//! kilobytes, which a phone on weak 3G should not wait for. Page 1 stays at the list's own
//! address; page n is at `page/<n>/` under it.

use super::context::Strings;
use serde::Serialize;

/// The links under a list page to the other pages of its list.
#[derive(Serialize)]
pub struct Pager {
    pub current: usize,
    pub total: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// The pages to link to by number: the first, the last, and those around this one.
    pub links: Vec<PageLink>,
    /// The navigation's name for screen readers, and the words of its links, in the page's language.
    pub label: String,
    pub previous_label: String,
    pub next_label: String,
}

#[derive(Serialize)]
pub struct PageLink {
    pub number: usize,
    pub url: String,
    pub current: bool,
    /// Pages left out here (shown as "…"); `number` and `url` are then empty.
    pub gap: bool,
}

/// How far either side of the current page the numbered links reach.
const AROUND: usize = 2;

/// Which page numbers to link, in order, with None where pages are left out.
fn shown(current: usize, total: usize) -> Vec<Option<usize>> {
    let mut out = Vec::new();
    let mut last = 0;
    for n in 1..=total {
        let near = n.abs_diff(current) <= AROUND;
        if n == 1 || n == total || near {
            if n > last + 1 {
                // One page left out is shown rather than a "…" that takes the same room.
                out.push((n == last + 2).then_some(last + 1));
            }
            out.push(Some(n));
            last = n;
        }
    }
    out
}

/// The words of the pager in a language; a theme that does not have them gets English.
fn word<'a>(t: &'a Strings, key: &str, fallback: &'a str) -> &'a str {
    t.get(key).map_or(fallback, String::as_str)
}

/// The title of page `n` of a list: the list's own on page 1, "<title> · Page n" after.
pub fn title(list: &str, n: usize, t: &Strings) -> String {
    if n <= 1 {
        list.to_string()
    } else {
        let page = word(t, "page_n", "Page {n}").replace("{n}", &n.to_string());
        format!("{list} · {page}")
    }
}

/// The pager of page `current` of `total`, whose pages are at `url(n)`; None for a one-page list.
pub fn pager(
    current: usize,
    total: usize,
    url: impl Fn(usize) -> String,
    t: &Strings,
) -> Option<Pager> {
    if total <= 1 {
        return None;
    }
    let links = shown(current, total)
        .into_iter()
        .map(|n| match n {
            Some(n) => PageLink {
                number: n,
                url: url(n),
                current: n == current,
                gap: false,
            },
            None => PageLink {
                number: 0,
                url: String::new(),
                current: false,
                gap: true,
            },
        })
        .collect();
    Some(Pager {
        current,
        total,
        previous: (current > 1).then(|| url(current - 1)),
        next: (current < total).then(|| url(current + 1)),
        links,
        label: word(t, "pages", "Pages").to_string(),
        previous_label: word(t, "previous_page", "Previous").to_string(),
        next_label: word(t, "next_page", "Next").to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_last_and_nearby_pages_are_linked() {
        let nums = |c, t| -> Vec<Option<usize>> { shown(c, t) };
        assert_eq!(nums(1, 2), vec![Some(1), Some(2)]);
        assert_eq!(nums(1, 10), vec![Some(1), Some(2), Some(3), None, Some(10)]);
        assert_eq!(
            nums(6, 12),
            vec![
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(12)
            ]
        );
        // A gap of one page shows that page instead.
        assert_eq!(
            nums(4, 7),
            vec![
                Some(1),
                Some(2),
                Some(3),
                Some(4),
                Some(5),
                Some(6),
                Some(7)
            ]
        );
    }

    #[test]
    fn a_pager_links_its_neighbours_in_the_pages_language() {
        let t: Strings = [("previous_page".to_string(), "Trang trước".to_string())]
            .into_iter()
            .collect();
        assert!(pager(1, 1, |n| n.to_string(), &t).is_none());
        let p = pager(3, 3, |n| format!("/relics/page/{n}/"), &t).unwrap();
        assert_eq!(p.previous.as_deref(), Some("/relics/page/2/"));
        assert_eq!(p.next, None);
        assert_eq!(p.previous_label, "Trang trước");
        assert_eq!(p.next_label, "Next");
        assert_eq!(p.links.iter().filter(|l| l.current).count(), 1);
        assert_eq!(title("Di tích", 1, &t), "Di tích");
        assert_eq!(title("Di tích", 3, &t), "Di tích · Page 3");
    }
}

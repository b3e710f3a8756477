//! A4 sheets for office printers: as many plaques a page as fit, in code order, with crop marks.

use super::draw::{Drawer, Imposed, Placed};
use super::layout::Size;
use crate::error::{Diagnostic, Error, Result};

const A4: (f64, f64) = (210.0, 297.0);
/// Unprintable border of most office printers.
const PAGE_MARGIN: f64 = 3.0;
/// Space between plaques, where the crop marks go.
const GUTTER: f64 = 4.0;
const MARK: f64 = 1.5;

/// How many A4 pages one sheet file holds at most: a print shop's job of a manageable size, and
/// after one plaque changes only its file is made again.
pub const PAGES_PER_FILE: usize = 100;

/// How plaques of one size sit on an A4 page.
struct Grid {
    cols: usize,
    rows: usize,
    /// Turned a quarter: the cell is `h` × `w`.
    rotate: bool,
    cell: (f64, f64),
    origin: (f64, f64),
}

fn grid(size: Size) -> Grid {
    let (w, h) = size.dims();
    let (pw, ph) = A4;
    let fit = |w: f64, h: f64| {
        let cols = (((pw - 2.0 * PAGE_MARGIN + GUTTER) / (w + GUTTER)).floor() as usize).max(1);
        let rows = (((ph - 2.0 * PAGE_MARGIN + GUTTER) / (h + GUTTER)).floor() as usize).max(1);
        (cols, rows)
    };
    // Turned a quarter, two A6 plaques fit on A4 where upright only one does.
    let (upright, turned) = (fit(w, h), fit(h, w));
    let rotate = turned.0 * turned.1 > upright.0 * upright.1;
    let ((cols, rows), (cw, ch)) = if rotate {
        (turned, (h, w))
    } else {
        (upright, (w, h))
    };
    // Centre the grid on the page.
    let x0 = (pw - (cols as f64 * cw + (cols - 1) as f64 * GUTTER)) / 2.0;
    let y0 = (ph - (rows as f64 * ch + (rows - 1) as f64 * GUTTER)) / 2.0;
    Grid {
        cols,
        rows,
        rotate,
        cell: (cw, ch),
        origin: (x0, y0),
    }
}

impl Grid {
    fn per_page(&self) -> usize {
        self.cols * self.rows
    }

    /// The plaques on the page that starts at plaque `first` of `count`, each with the top left
    /// corner of its cell (mm).
    fn page(&self, first: usize, count: usize) -> impl Iterator<Item = (usize, f64, f64)> + '_ {
        let ((x0, y0), (cw, ch)) = (self.origin, self.cell);
        (first..count.min(first + self.per_page()))
            .enumerate()
            .map(move |(i, n)| {
                let (c, r) = (i % self.cols, i / self.cols);
                (
                    n,
                    x0 + c as f64 * (cw + GUTTER),
                    y0 + r as f64 * (ch + GUTTER),
                )
            })
    }
}

/// How many plaques of `size` one sheet file holds.
pub fn per_file(size: Size) -> usize {
    grid(size).per_page() * PAGES_PER_FILE
}

/// The A4 pages of `count` plaques of `size` as one PDF: each plaque's own PDF (`pdf_of(n)`)
/// placed on the page, with crop marks around it. Each page is made in turn: a sheet never
/// holds all its plaques at once.
pub fn a4(
    drawer: &Drawer,
    count: usize,
    pdf_of: &dyn Fn(usize) -> Result<Vec<u8>, String>,
    size: Size,
) -> Result<Vec<u8>> {
    let (w, h) = size.dims();
    let (pw, ph) = A4;
    let g = grid(size);
    let page = |first: usize| -> Result<Imposed, String> {
        let mut svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{pw}mm\" height=\"{ph}mm\" viewBox=\"0 0 {pw} {ph}\"><rect width=\"{pw}\" height=\"{ph}\" fill=\"#ffffff\"/>"
        );
        let mut placed = Vec::new();
        for (n, x, y) in g.page(first, count) {
            placed.push(Placed {
                pdf: pdf_of(n)?,
                x,
                y,
                w,
                h,
                turned: g.rotate,
            });
            svg.push_str(&crop_marks(x, y, g.cell.0, g.cell.1));
        }
        svg.push_str("</svg>");
        Ok(Imposed { svg, placed })
    };
    let mut firsts = (0..count).step_by(g.per_page());
    (drawer.impose(|| firsts.next().map(page), pw, ph)).map_err(failed)
}

/// The same sheets for plaques written straight into PDF (`builtin_pdf`): each plaque drawn on the
/// page from its layout (`plan_of(n)`), every plaque of the file sharing one subset of each font.
pub fn a4_direct(
    fonts: &super::builtin_pdf::Fonts,
    count: usize,
    plan_of: &dyn Fn(usize) -> Result<PlaqueLaidOut, String>,
    size: Size,
) -> Result<Vec<u8>> {
    let (pw, ph) = A4;
    let g = grid(size);
    let page = |first: usize| -> Result<super::builtin_pdf::Sheet, String> {
        let mut placed = Vec::new();
        let mut cells = Vec::new();
        for (n, x, y) in g.page(first, count) {
            let (layout, runs) = plan_of(n)?;
            placed.push(super::builtin_pdf::Placed {
                layout,
                runs,
                x,
                y,
                turned: g.rotate,
            });
            cells.push([x, y, g.cell.0, g.cell.1]);
        }
        Ok(super::builtin_pdf::Sheet { placed, cells })
    };
    let mut firsts = (0..count).step_by(g.per_page());
    super::builtin_pdf::sheets(fonts, pw, ph, || firsts.next().map(page)).map_err(failed)
}

fn failed(why: String) -> Error {
    Error::one(
        Diagnostic::error(
            "print/sheets",
            format!("the A4 sheet could not be made: {why}"),
        )
        .hint("delete the folder .waymark-cache (it only saves time) and print again; if it persists, report it as a bug"),
    )
}

/// A plaque's layout and its symbol's runs of dark modules.
pub type PlaqueLaidOut = (super::layout::Layout, Vec<(usize, usize, usize)>);

/// The content of a root `<svg>` element, to nest it in another.
pub fn inner(svg: &str) -> &str {
    let start = svg
        .find("<svg")
        .and_then(|i| svg[i..].find('>').map(|j| i + j + 1))
        .unwrap_or(0);
    let end = svg.rfind("</svg>").unwrap_or(svg.len());
    &svg[start..end.max(start)]
}

/// Short hairlines at each corner, outside the plaque, showing where to cut.
fn crop_marks(x: f64, y: f64, w: f64, h: f64) -> String {
    let gap = 0.4;
    let mut s = String::from("<g stroke=\"#000000\" stroke-width=\"0.2\">");
    for (cx, cy, dx, dy) in [
        (x, y, -1.0, -1.0),
        (x + w, y, 1.0, -1.0),
        (x, y + h, -1.0, 1.0),
        (x + w, y + h, 1.0, 1.0),
    ] {
        s.push_str(&format!(
            "<line x1=\"{}\" y1=\"{cy}\" x2=\"{}\" y2=\"{cy}\"/><line x1=\"{cx}\" y1=\"{}\" x2=\"{cx}\" y2=\"{}\"/>",
            cx + dx * gap,
            cx + dx * (gap + MARK),
            cy + dy * gap,
            cy + dy * (gap + MARK)
        ));
    }
    s.push_str("</g>");
    s
}

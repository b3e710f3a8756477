//! `output/stats/`: a page (a bar chart per month drawn as SVG, a table per code, the silent
//! plaques; no script) and `visits.csv`, written as a generation of the output folder.

use super::{Counts, Silent};
use crate::error::Result;
use crate::ledger::Ledger;
use crate::output::{Emitter, OutFile, Writer};
use std::collections::BTreeMap;
use std::fmt::Write;

pub const PAGE: &str = "stats/index.html";
pub const CSV: &str = "stats/visits.csv";

pub fn write(
    out: &std::path::Path,
    counts: &Counts,
    silent: &[Silent],
    ledger: &Ledger,
    today: &str,
    silent_days: i64,
) -> Result<()> {
    let writer = Writer::begin(out, &[crate::address::STATS])?;
    let emit = Emitter::new(&writer);
    emit.put(OutFile::bytes(
        PAGE.into(),
        page(counts, silent, ledger, today, silent_days),
    ))?;
    emit.put(OutFile::bytes(CSV.into(), csv(counts, ledger)?))?;
    drop(emit);
    writer.finish()?;
    Ok(())
}

/// `code,page,day,visits`, written as `waymark export` writes its CSV (quoted where needed,
/// with the BOM that makes Excel read it as UTF-8).
fn csv(counts: &Counts, ledger: &Ledger) -> Result<Vec<u8>> {
    let mut table = crate::export::Table {
        headers: ["code", "page", "day", "visits"].map(String::from).to_vec(),
        rows: Vec::new(),
    };
    for (code, days) in &counts.visits {
        let page = ledger
            .codes
            .get(code)
            .and_then(|r| r.page.clone())
            .unwrap_or_default();
        for (day, n) in days {
            table.rows.push(vec![
                (code.clone(), false),
                (page.clone(), false),
                (day.clone(), false),
                (n.to_string(), true),
            ]);
        }
    }
    crate::export::csv(&table)
}

use crate::theme::escape_html as esc;

fn page(
    counts: &Counts,
    silent: &[Silent],
    ledger: &Ledger,
    today: &str,
    silent_days: i64,
) -> String {
    let total: u64 = counts.visits.values().flat_map(|d| d.values()).sum();
    let months = months(counts);
    let mut b = String::new();
    let _ = write!(
        b,
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><meta name=\"robots\" content=\"noindex\"><title>Lượt quét biển QR · Plaque scans</title>\
<style>body{{font:16px/1.45 system-ui,sans-serif;max-width:60rem;margin:0 auto;padding:1rem;color:#1b1b1b}}table{{border-collapse:collapse;width:100%}}td,th{{border-bottom:1px solid #ddd;padding:.3rem .4rem;text-align:left}}td.n{{text-align:right}}.silent{{background:#fbe4e4}}svg text{{font:12px system-ui,sans-serif}}</style></head><body>"
    );
    let _ = write!(
        b,
        "<h1>Lượt quét biển QR · Plaque scans</h1><p>{total} lượt ghé qua biển (visits through a plaque){}; {} lượt của trình xem trước và máy tìm kiếm không tính (previewers and crawlers left out); {} lượt lặp lại trong ngày không tính (repeat visits the same day).</p>",
        counts
            .span
            .as_ref()
            .map(|(a, z)| format!(", {a} – {z}"))
            .unwrap_or_default(),
        counts.bots,
        counts.repeats
    );
    b.push_str(&chart(&months));
    if !silent.is_empty() {
        let _ = write!(
            b,
            "<h2>Biển im lặng · Silent plaques</h2><p>In từ {silent_days} ngày trước trở lên mà không có lượt quét nào trong {silent_days} ngày qua (tính đến {today}): có thể biển bị hỏng, bị che hoặc đã mất. Printed at least {silent_days} days ago with no scan in the last {silent_days} days: the plaque may be damaged, covered or gone.</p><table><tr><th>Mã · Code</th><th>Trang · Page</th><th>In ngày · Printed</th><th>Lần quét cuối · Last scan</th></tr>"
        );
        for s in silent {
            let page = ledger
                .codes
                .get(&s.code)
                .and_then(|r| r.page.clone())
                .unwrap_or_default();
            let _ = write!(
                b,
                "<tr class=\"silent\"><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&s.code),
                esc(&page),
                esc(&s.printed),
                esc(s.last_visit.as_deref().unwrap_or("—"))
            );
        }
        b.push_str("</table>");
    }
    let _ = write!(
        b,
        "<h2>Theo mã · By code</h2><table><tr><th>Mã · Code</th><th>Trang · Page</th><th>In ngày · Printed</th><th>Lượt · Visits</th><th>Lần cuối · Last</th></tr>"
    );
    let mut rows: Vec<(&String, u64)> = ledger
        .codes
        .keys()
        .map(|c| (c, counts.visits.get(c).map_or(0, |d| d.values().sum())))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    for (code, n) in rows {
        let rec = &ledger.codes[code];
        let page = rec
            .page
            .clone()
            .or_else(|| rec.retired_to.as_ref().map(|t| format!("→ {t}")))
            .unwrap_or_default();
        let last = counts
            .visits
            .get(code)
            .and_then(|d| d.keys().next_back().cloned())
            .unwrap_or_default();
        let _ = write!(
            b,
            "<tr><td>{}</td><td>{}</td><td>{}</td><td class=\"n\">{n}</td><td>{}</td></tr>",
            esc(code),
            esc(&page),
            esc(rec.printed.as_deref().unwrap_or("")),
            esc(&last)
        );
    }
    b.push_str("</table>");
    if !counts.unknown.is_empty() {
        b.push_str("<h2>Mã không có trong plaques.lock · Codes not in plaques.lock</h2><ul>");
        for (code, n) in &counts.unknown {
            let _ = write!(b, "<li>{} ({n})</li>", esc(code));
        }
        b.push_str("</ul>");
    }
    if !counts.bad.is_empty() {
        b.push_str("<h2>Dòng không đọc được · Lines not read</h2><ul>");
        for (file, bad) in &counts.bad {
            let file = esc(&file.display().to_string());
            if let Some(n) = bad.cut_short_after {
                let _ = write!(
                    b,
                    "<li>{file}: tệp gzip bị cắt ngắn sau dòng {n} · gzip file cut short after line {n}</li>"
                );
            }
            if bad.count > 0 {
                let _ = write!(
                    b,
                    "<li>{file}: {} (lines {})</li>",
                    bad.count,
                    bad.first
                        .iter()
                        .map(u64::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
        b.push_str("</ul>");
    }
    b.push_str("<p>Không lưu địa chỉ IP nào: mỗi người xem được đếm một lần mỗi ngày bằng một mã băm có muối riêng cho từng ngày, muối bị xoá khi lệnh chạy xong. No address is kept: each visitor counts once a day through a hash salted for that day, and the salt is forgotten when the run ends.</p></body></html>");
    b
}

/// Visits a month (`YYYY-MM`), every month from the first visit's to the last's: a month
/// without a visit is a bar of zero, not a gap that hides it.
fn months(counts: &Counts) -> BTreeMap<String, u64> {
    let mut months: BTreeMap<String, u64> = BTreeMap::new();
    for days in counts.visits.values() {
        for (day, n) in days {
            *months.entry(day[..7].to_string()).or_default() += n;
        }
    }
    let first_last = months.keys().next().zip(months.keys().next_back());
    let span = first_last.and_then(|(a, z)| Some((month_number(a)?, month_number(z)?)));
    if let Some((a, z)) = span {
        for m in a..=z {
            months
                .entry(format!("{:04}-{:02}", m / 12, m % 12 + 1))
                .or_default();
        }
    }
    months
}

/// `2026-12` as months since year 0, for walking from one month to the next.
fn month_number(ym: &str) -> Option<i64> {
    let (y, m) = ym.split_once('-')?;
    Some(y.parse::<i64>().ok()? * 12 + m.parse::<i64>().ok()? - 1)
}

/// Visits a month as bars.
fn chart(months: &BTreeMap<String, u64>) -> String {
    if months.is_empty() {
        return "<p>Chưa có lượt quét nào trong nhật ký. No scans in the logs.</p>".into();
    }
    let max = months.values().copied().max().unwrap_or(1).max(1);
    let (bar, gap, height) = (36u64, 12u64, 160u64);
    let width = months.len() as u64 * (bar + gap) + gap;
    let mut s = format!(
        "<svg role=\"img\" aria-label=\"Lượt quét theo tháng · Scans a month\" viewBox=\"0 0 {width} {}\" width=\"100%\" style=\"max-width:{width}px\">",
        height + 40
    );
    for (i, (month, n)) in months.iter().enumerate() {
        let h = (n * height).div_ceil(max);
        let x = gap + i as u64 * (bar + gap);
        let y = height - h + 14;
        let _ = write!(
            s,
            "<rect x=\"{x}\" y=\"{y}\" width=\"{bar}\" height=\"{h}\" fill=\"#1d5b3a\"><title>{month}: {n}</title></rect><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{n}</text><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
            x + bar / 2,
            y - 2,
            x + bar / 2,
            height + 30,
            &month[2..]
        );
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_is_quoted_where_a_value_needs_it() {
        let ledger: Ledger = serde_yaml_ng::from_str(
            "version: 1\ncodes:\n  A: { page: \"relics/a,b\" }\n  B: { page: relics/b }\n",
        )
        .unwrap();
        let mut counts = Counts::default();
        for code in ["A", "B"] {
            counts
                .visits
                .entry(code.into())
                .or_default()
                .insert("2026-12-04".into(), 2);
        }
        let text = String::from_utf8(csv(&counts, &ledger).unwrap()).unwrap();
        assert_eq!(
            text,
            "\u{feff}code,page,day,visits\nA,\"relics/a,b\",2026-12-04,2\nB,relics/b,2026-12-04,2\n"
        );
    }
}

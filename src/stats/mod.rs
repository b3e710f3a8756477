//! `waymark stats LOG...`: plaque scans counted from web-server access logs, one visit per
//! visitor per code per day, without keeping who visited. A visitor is a hash of the address and
//! the browser's name under a salt made for each day of the logs and forgotten when the run ends;
//! no address is written anywhere.

pub mod agents;
pub mod log;
mod report;
pub mod visits;

use crate::error::{Error, Result};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{BuildHasher, Hash, Hasher};
use std::io::{BufRead, Read};
use std::path::{Path, PathBuf};

/// What `waymark stats` is asked for (its command-line arguments, read by clap).
#[derive(Debug, clap::Args)]
pub struct Options {
    /// Access logs: nginx/Apache combined format or Caddy JSON, gzipped or not.
    #[arg(required = true)]
    pub logs: Vec<PathBuf>,
    /// The site folder.
    #[arg(long, default_value = ".")]
    pub site: PathBuf,
    /// Where to write; defaults to <site>/output (the report goes to its stats/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// A printed plaque with no scan for this many days is reported as silent.
    #[arg(long, default_value_t = 60)]
    pub silent_days: i64,
    /// Replace an --out folder that Waymark did not make.
    #[arg(long)]
    pub force: bool,
}

/// Lines that could not be read, by file: how many, and the first few line numbers.
#[derive(Debug, Default, Clone)]
pub struct BadLines {
    pub count: u64,
    pub first: Vec<u64>,
    /// A gzip file that ends before its end (a copy or rotation interrupted): the whole lines
    /// read before are counted, and this is the last of them.
    pub cut_short_after: Option<u64>,
}

#[derive(Debug, Default)]
pub struct Counts {
    /// code -> day -> visits.
    pub visits: BTreeMap<String, BTreeMap<String, u64>>,
    /// Requests by previewers and crawlers, left out.
    pub bots: u64,
    /// Requests of the same visitor, code and day after the first.
    pub repeats: u64,
    /// Short links of codes the ledger does not have.
    pub unknown: BTreeMap<String, u64>,
    pub lines: u64,
    pub bad: BTreeMap<PathBuf, BadLines>,
    /// The first and last day seen in the logs.
    pub span: Option<(String, String)>,
}

/// A silent plaque: printed long enough ago, and no visit since.
#[derive(Debug, Clone, PartialEq)]
pub struct Silent {
    pub code: String,
    pub printed: String,
    pub last_visit: Option<String>,
}

pub struct Outcome {
    pub counts: Counts,
    pub silent: Vec<Silent>,
    pub out: PathBuf,
}

pub fn run(opts: &Options) -> Result<Outcome> {
    let ledger = crate::ledger::Ledger::load(&opts.site)?;
    let config = crate::config::Config::load(&opts.site)?;
    if opts.logs.is_empty() {
        return Err(Error::Usage(
            "name at least one access log: waymark stats /var/log/nginx/access.log*".into(),
        ));
    }
    for p in &opts.logs {
        if !p.is_file() {
            return Err(Error::Usage(format!(
                "{} is not a file; name the access logs to read",
                p.display()
            )));
        }
    }
    let counts = count(
        &opts.logs,
        |c| ledger.codes.contains_key(c),
        &config.time_zone(),
    )?;
    let today = crate::days::today();
    let silent = silent(&ledger, &counts, &today, opts.silent_days);
    let out = opts.out.clone().unwrap_or_else(|| opts.site.join("output"));
    crate::output::check_target(&out, opts.force)?;
    report::write(&out, &counts, &silent, &ledger, &today, opts.silent_days)?;
    Ok(Outcome {
        counts,
        silent,
        out,
    })
}

/// Read every log (in parallel, each streamed: memory grows with the visitors, not the lines),
/// counting days in the time zone `tz`.
pub fn count(
    logs: &[PathBuf],
    known: impl Fn(&str) -> bool + Sync,
    tz: &jiff::tz::TimeZone,
) -> Result<Counts> {
    // Visitors as (code, day, hash) over all files: a visitor whose requests span two rotated
    // files is still one visit.
    let per_file: Vec<Result<(Counts, HashSet<Visit>)>> =
        logs.par_iter().map(|p| read_one(p, &known, tz)).collect();
    let mut total = Counts::default();
    let mut seen: HashSet<Visit> = HashSet::new();
    for r in per_file {
        let (c, visitors) = r?;
        total.bots += c.bots;
        total.repeats += c.repeats;
        total.lines += c.lines;
        for (k, v) in c.unknown {
            *total.unknown.entry(k).or_default() += v;
        }
        total.bad.extend(c.bad);
        total.span = widen(total.span, c.span);
        for v in visitors {
            if seen.contains(&v) {
                total.repeats += 1;
                continue;
            }
            *total
                .visits
                .entry(v.code.to_string())
                .or_default()
                .entry(crate::days::day_of(i64::from(v.day) * 86_400))
                .or_default() += 1;
            seen.insert(v);
        }
    }
    Ok(total)
}

fn widen(a: Option<(String, String)>, b: Option<(String, String)>) -> Option<(String, String)> {
    match (a, b) {
        (None, x) | (x, None) => x,
        (Some((a0, a1)), Some((b0, b1))) => Some((a0.min(b0), a1.max(b1))),
    }
}

/// One day's salt: a hasher keyed at random when the run first meets that day.
struct Salts(parking_lot::Mutex<HashMap<String, std::collections::hash_map::RandomState>>);

fn salts() -> &'static Salts {
    static SALTS: std::sync::OnceLock<Salts> = std::sync::OnceLock::new();
    SALTS.get_or_init(|| Salts(parking_lot::Mutex::new(HashMap::new())))
}

fn visitor(day: &str, address: &str, agent: &str) -> u64 {
    let state = salts().0.lock().entry(day.to_string()).or_default().clone();
    let mut h = state.build_hasher();
    address.hash(&mut h);
    agent.hash(&mut h);
    h.finish()
}

/// Bytes of log read at a time.
const BLOCK: usize = 8 << 20;

/// One visit, small: memory grows with visits, and a year of a busy site has many.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Visit {
    code: Code,
    day: i32,
    visitor: u64,
}

/// A plaque code of up to 16 characters, stored inline.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
struct Code([u8; 16]);

impl Code {
    fn new(s: &str) -> Code {
        let mut b = [0u8; 16];
        let n = s.len().min(16);
        b[..n].copy_from_slice(&s.as_bytes()[..n]);
        Code(b)
    }
}

impl std::fmt::Display for Code {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let end = self.0.iter().position(|b| *b == 0).unwrap_or(16);
        f.write_str(std::str::from_utf8(&self.0[..end]).unwrap_or(""))
    }
}

/// A line as the counting needs it: its scan's day in the site's time zone, and whether a machine
/// sent it (both worked out on every core).
enum Parsed {
    Bad,
    Scan {
        scan: log::Scan,
        day: String,
        bot: bool,
    },
}

fn read_one(
    path: &Path,
    known: &impl Fn(&str) -> bool,
    tz: &jiff::tz::TimeZone,
) -> Result<(Counts, HashSet<Visit>)> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut reader = std::io::BufReader::with_capacity(1 << 20, file);
    let gz = reader
        .fill_buf()
        .map_err(|e| Error::io(path, e))?
        .starts_with(&[0x1f, 0x8b]);
    let source: Box<dyn Read> = if gz {
        Box::new(flate2::read::MultiGzDecoder::new(reader))
    } else {
        Box::new(reader)
    };
    let mut source = source;
    let mut c = Counts::default();
    let mut visitors = HashSet::new();
    let mut bad = BadLines::default();
    let mut n = 0u64;
    // Blocks of whole lines, each split into lines and read on every core; the memory is a
    // block's, whatever the size of the log.
    let mut block: Vec<u8> = Vec::with_capacity(BLOCK + 4096);
    let mut carry: Vec<u8> = Vec::new();
    let mut done = false;
    let mut cut_short = false;
    while !done {
        block.clear();
        block.append(&mut carry);
        let start = block.len();
        block.resize(BLOCK, 0);
        let mut filled = start;
        while filled < BLOCK {
            match source.read(&mut block[filled..]) {
                Ok(0) => {
                    done = true;
                    break;
                }
                Ok(k) => filled += k,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // A gzip file cut short: what was read counts, and the rest is named.
                Err(_) if gz => {
                    done = true;
                    cut_short = true;
                    break;
                }
                Err(e) => return Err(Error::io(path, e)),
            }
        }
        block.truncate(filled);
        if cut_short {
            // The line the file stops in the middle of is not a line.
            let whole = memchr::memrchr(b'\n', &block).map_or(0, |i| i + 1);
            block.truncate(whole);
        }
        if !done {
            match memchr::memrchr(b'\n', &block) {
                Some(i) => carry.extend_from_slice(&block[i + 1..]),
                None => continue,
            }
            let keep = block.len() - carry.len();
            block.truncate(keep);
        }
        let mut lines: Vec<&[u8]> = Vec::with_capacity(block.len() / 128);
        let mut from = 0;
        for end in memchr::memchr_iter(b'\n', &block) {
            lines.push(&block[from..end]);
            from = end + 1;
        }
        if from < block.len() {
            lines.push(&block[from..]);
        }
        let parsed: Vec<(u64, Parsed)> = lines
            .par_iter()
            .enumerate()
            .filter(|(_, l)| !l.trim_ascii().is_empty())
            .filter_map(|(i, l)| match log::parse_bytes(l) {
                log::Line::Other => None,
                log::Line::Bad => Some((i as u64, Parsed::Bad)),
                log::Line::Scan(scan) => {
                    let day = tz.to_datetime(scan.at).date().to_string();
                    let bot = agents::is_bot(&scan.agent);
                    Some((i as u64, Parsed::Scan { scan, day, bot }))
                }
            })
            .collect();
        for (i, line) in parsed {
            match line {
                Parsed::Bad => {
                    bad.count += 1;
                    if bad.first.len() < 5 {
                        bad.first.push(n + i + 1);
                    }
                }
                Parsed::Scan { scan: s, day, bot } => {
                    c.span = widen(c.span.take(), Some((day.clone(), day.clone())));
                    if bot {
                        c.bots += 1;
                    } else if !known(&s.code) {
                        *c.unknown.entry(s.code).or_default() += 1;
                    } else {
                        let v = Visit {
                            code: Code::new(&s.code),
                            day: crate::days::day_number(&day).unwrap_or(0) as i32,
                            visitor: visitor(&day, &s.address, &s.agent),
                        };
                        if !visitors.insert(v) {
                            c.repeats += 1;
                        }
                    }
                }
            }
        }
        n += lines.len() as u64;
    }
    if cut_short {
        bad.cut_short_after = Some(n);
    }
    c.lines = n;
    if bad.count > 0 || cut_short {
        c.bad.insert(path.to_path_buf(), bad);
    }
    Ok((c, visitors))
}

/// Printed codes with no visit in the last `days` days (counted from today), printed at
/// least that long ago: a plaque that may be damaged, covered or gone.
pub fn silent(
    ledger: &crate::ledger::Ledger,
    counts: &Counts,
    today: &str,
    days: i64,
) -> Vec<Silent> {
    let Some(now) = crate::days::day_number(today) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (code, rec) in &ledger.codes {
        let Some(printed) = rec.printed.as_deref() else {
            continue;
        };
        let Some(p) = crate::days::day_number(printed) else {
            continue;
        };
        if now - p < days {
            continue;
        }
        let last = counts
            .visits
            .get(code)
            .and_then(|d| d.keys().next_back().cloned());
        let recent = last
            .as_deref()
            .and_then(crate::days::day_number)
            .is_some_and(|l| now - l < days);
        if !recent {
            out.push(Silent {
                code: code.clone(),
                printed: printed.to_string(),
                last_visit: last,
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const ZALO: &str = "Mozilla/5.0 (Linux; Android 12; SM-A325F Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/119.0.6045.163 Mobile Safari/537.36 Zalo android/12100702 ZaloTheme/light ZaloLanguage/vi";

    fn line(ip: &str, day: &str, path: &str, agent: &str) -> String {
        format!("{ip} - - [{day}/Dec/2026:08:00:00 +0700] \"GET {path} HTTP/1.1\" 200 100 \"-\" \"{agent}\"\n")
    }

    #[test]
    fn one_visit_per_visitor_code_and_day_across_rotated_files() {
        let dir = tempfile::tempdir().unwrap();
        let plain = dir.path().join("access.log");
        let mut text = String::new();
        text += &line("1.1.1.1", "01", "/q/HVT/", ZALO);
        text += &line("1.1.1.1", "01", "/q/HVT/", ZALO);
        text += &line("1.1.1.1", "02", "/q/HVT/", ZALO);
        text += &line("2.2.2.2", "01", "/q/HVT/", ZALO);
        text += &line("3.3.3.3", "01", "/q/HVT/", "facebookexternalhit/1.1");
        text += &line("3.3.3.3", "01", "/q/NOPE/", ZALO);
        text += "cut short [01/Dec/2026\n";
        std::fs::write(&plain, &text).unwrap();
        let gz = dir.path().join("access.log.1.gz");
        let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
        enc.write_all(line("1.1.1.1", "01", "/q/HVT/", ZALO).as_bytes())
            .unwrap();
        enc.write_all(line("4.4.4.4", "03", "/q/DKC", ZALO).as_bytes())
            .unwrap();
        std::fs::write(&gz, enc.finish().unwrap()).unwrap();
        let vietnam = jiff::tz::TimeZone::get("Asia/Ho_Chi_Minh").unwrap();
        let c = count(&[plain.clone(), gz], |c| c == "HVT" || c == "DKC", &vietnam).unwrap();
        assert_eq!(c.visits["HVT"]["2026-12-01"], 2);
        assert_eq!(c.visits["HVT"]["2026-12-02"], 1);
        assert_eq!(c.visits["DKC"]["2026-12-03"], 1);
        assert_eq!((c.bots, c.repeats), (1, 2));
        assert_eq!(c.unknown["NOPE"], 1);
        assert_eq!(c.bad[&plain].count, 1);
        assert_eq!(c.bad[&plain].first, [7]);
        assert_eq!(c.span, Some(("2026-12-01".into(), "2026-12-03".into())));
    }

    #[test]
    fn silent_plaques() {
        let ledger: crate::ledger::Ledger = serde_yaml_ng::from_str(
            "version: 1\ncodes:\n  A: { page: r/a, printed: 2026-01-01 }\n  B: { page: r/b, printed: 2026-01-01 }\n  C: { page: r/c, printed: 2026-11-20 }\n  D: { page: r/d }\n",
        )
        .unwrap();
        let mut c = Counts::default();
        c.visits
            .entry("B".into())
            .or_default()
            .insert("2026-11-25".into(), 3);
        let s = silent(&ledger, &c, "2026-12-01", 60);
        assert_eq!(s.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(), ["A"]);
    }
}

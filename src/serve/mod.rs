//! `waymark serve`: build in memory, serve on 127.0.0.1 (or the Wi-Fi with `--bind 0.0.0.0`),
//! rebuild when content, themes or site.yaml change, and reload open browsers. A failed rebuild
//! is shown over the page and in the terminal while the last good site keeps being served.
//! Nothing is written to `output/`: a preview must never replace a real build.

mod editor;
mod http;
mod live;
mod net;
mod patch;
mod publish;
mod sync;

use crate::incremental;
use crate::output::{Data, OutFile};
use crate::BuildOptions;
use parking_lot::{Mutex, RwLock};
use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

pub struct Options {
    pub site: PathBuf,
    /// None: 1111, or the next free port when it is busy.
    pub port: Option<u16>,
    pub bind: IpAddr,
    pub drafts: bool,
    /// Print each stage's time after every rebuild.
    pub timings: bool,
    /// Serve the editor at /_edit/ (paired browsers only).
    pub edit: bool,
    /// With `edit`: make a Git commit of every save.
    pub commit: bool,
    /// Build into `output/` after every good rebuild (`publish`).
    pub publish: bool,
    /// The address people reach the server at, behind a reverse proxy.
    pub public_url: Option<String>,
    /// Peers whose X-Forwarded-For is believed.
    pub trusted_proxies: Vec<IpAddr>,
    /// How long an editor session may go unused.
    pub idle: Duration,
    /// With `edit` and `commit`: the remote (`--push`) and how often to take its commits.
    pub push: Option<String>,
    pub pull_every: Duration,
}

/// Files of the last good build, by path under the output folder (`site/...`, `print/...`).
/// Copied files (photos, audio, static files) are read when asked for, not at each rebuild.
type Files = HashMap<String, Arc<Data>>;

pub struct ServeState {
    files: RwLock<Arc<Files>>,
    /// The last failed build's message, cleared by a good build.
    problem: RwLock<Option<String>>,
    /// The last build's problems (its errors, or a good build's warnings), for the editor.
    diagnostics: RwLock<Vec<crate::error::Diagnostic>>,
    /// Entry titles and the values suggested in the editor's forms, of the last good model (read
    /// without waiting for a rebuild that holds the model).
    titles: RwLock<HashMap<String, String>>,
    /// Every code the last good model answers, for short links typed in another case.
    codes: RwLock<Vec<String>>,
    suggest: RwLock<Vec<(&'static str, Vec<String>)>>,
    /// Live-reload events to every open page.
    events: tokio::sync::broadcast::Sender<live::LiveEvent>,
    /// Every print file of the kept site is among the served files.
    print_ready: AtomicBool,
    /// Codes whose own print files (symbol, plaque, kit) are among the served files.
    printed_codes: Mutex<HashSet<String>>,
    /// The last good build's fingerprints, for rebuilding only what changed.
    last: Mutex<Option<incremental::Fingerprints>>,
    /// The last good build's model and theme, patched in place by text-only edits.
    kept: Mutex<Option<Kept>>,
    /// plaques.lock as the last good build left it (its own pins written): a change of the
    /// file to anything else (a retired code, a line put back) loads the site again.
    ledger: Mutex<Option<crate::ledger::Ledger>>,
    timings: bool,
    /// With `--edit`: codes the build gives new entries are pinned in plaques.lock, as the
    /// editor's own new entries are (a phone cannot run `waymark build`). Without it, `serve`
    /// writes nothing.
    pins_codes: bool,
    /// With `--publish`: builds the live site after every good rebuild.
    publisher: Option<Arc<publish::Publisher>>,
}

impl ServeState {
    fn suggestions(&self) -> Vec<(&'static str, Vec<String>)> {
        self.suggest.read().clone()
    }
    /// Keep what the editor shows of a good model.
    fn remember(&self, site: &crate::site::Site) {
        *self.titles.write() = editor::titles(site);
        *self.suggest.write() = editor::suggestion_lists(site);
        *self.codes.write() = site.codes().map(str::to_string).collect();
    }

    /// The landing a short link typed in another case leads to (`/q/hvt/`, `/Q/hvt` → `/q/HVT/`):
    /// static hosts tell cases apart, and Caddy's shipped Caddyfile asks here on a 404.
    pub fn short_link(&self, path: &str) -> Option<String> {
        let rest = path
            .strip_prefix("/q/")
            .or_else(|| path.strip_prefix("/Q/"))?;
        let typed = rest.strip_suffix('/').unwrap_or(rest);
        if typed.is_empty() || typed.contains('/') {
            return None;
        }
        let codes = self.codes.read();
        let code = codes.iter().find(|c| c.eq_ignore_ascii_case(typed))?;
        let to = crate::address::landing(code);
        (to != path).then_some(to)
    }
}

impl crate::edit::whole_site::Kept for ServeState {
    fn judge(
        &self,
        judge: &dyn Fn(&crate::site::Site) -> Option<Vec<crate::error::Diagnostic>>,
    ) -> Option<Vec<crate::error::Diagnostic>> {
        // A patch's rebuild takes well under this; a whole one longer, and the editor then
        // loads the site itself rather than keep the phone waiting.
        let kept = self.kept.try_lock_for(std::time::Duration::from_secs(2))?;
        // After a failed rebuild the kept model is the last good one, not the files' site.
        if self.problem.read().is_some() {
            return None;
        }
        judge(&kept.as_ref()?.site)
    }
}

/// What a good build leaves for the next rebuild: the model, its theme and its media.
/// The last good build's model, theme and media, patched in place by text-only edits.
struct Kept {
    site: crate::site::Site,
    theme: crate::theme::Theme,
    media: crate::media::Media,
    /// The media stage's files (photos from the cache), which every publish puts again.
    media_files: Vec<OutFile>,
}

impl Kept {
    fn sources(&self) -> crate::pipeline::Sources<'_> {
        crate::pipeline::Sources {
            site: &self.site,
            theme: &self.theme,
            media: &self.media,
            media_files: &self.media_files,
        }
    }
}

pub fn run(mut opts: Options) -> i32 {
    // The watcher reports absolute paths; compare them with an absolute root.
    if let Ok(abs) = opts.site.canonicalize() {
        opts.site = abs;
    }
    if let Some(url) = &opts.public_url {
        if let Err(why) = check_public_url(url) {
            eprintln!("error: --public-url {url}: {why}");
            return 2;
        }
    }
    let Some(remote) = sync::open(&opts.site, opts.push.as_deref()) else {
        return 2;
    };
    if opts.edit && opts.commit && remote.is_none() {
        if let Err(why) = crate::edit::sync::can_commit(&opts.site, "--commit") {
            eprintln!("error: --commit: {why}");
            return 2;
        }
    }
    let (listener, port) = match net::listen(opts.bind, opts.port) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: cannot listen on {}: {e}", opts.bind);
            return 2;
        }
    };
    let public_host = if opts.bind.is_unspecified() {
        net::lan_addresses()
            .first()
            .map(|a| a.to_string())
            .unwrap_or_else(|| "127.0.0.1".into())
    } else {
        opts.bind.to_string()
    };
    let base_url = format!("http://{public_host}:{port}");
    if opts.publish && opts.drafts {
        eprintln!("error: --drafts with --publish: drafts are never published; preview them with a `waymark serve --drafts` of their own");
        return 2;
    }
    let build_opts = BuildOptions {
        site: opts.site.clone(),
        // Published, the preview is the live site: its own addresses, as `waymark build` makes them.
        base_url: (!opts.publish).then(|| base_url.clone()),
        drafts: opts.drafts,
        memo: Some(Default::default()),
        ..BuildOptions::default()
    };
    let shared = Arc::new(ServeState {
        files: RwLock::new(Arc::new(HashMap::new())),
        problem: RwLock::new(None),
        diagnostics: RwLock::new(Vec::new()),
        titles: RwLock::default(),
        codes: RwLock::default(),
        suggest: RwLock::default(),
        events: tokio::sync::broadcast::channel(64).0,
        print_ready: AtomicBool::new(false),
        printed_codes: Mutex::default(),
        last: Mutex::new(None),
        kept: Mutex::new(None),
        ledger: Mutex::new(None),
        timings: opts.timings,
        pins_codes: opts.edit,
        publisher: opts
            .publish
            .then(|| Arc::new(publish::Publisher::new(&opts.site))),
    });
    // Watched from before the first build (seconds at 10,000 entries): a change made meanwhile
    // waits for the rebuilds, which begin once it is done.
    let (watcher, changes) = match watch(&opts.site) {
        Ok(w) => w,
        Err(e) => {
            eprintln!("error: cannot watch {}: {e}", opts.site.display());
            return 1;
        }
    };
    rebuild_guarded(&shared, &build_opts, true, &HashSet::new());

    println!(
        "serving {} at {base_url}/ (print files at {base_url}/_print/)",
        opts.site.display()
    );
    if opts.bind.is_unspecified() {
        println!("open it on a phone on the same Wi-Fi, or scan:");
        if let Some(qr) = net::terminal_qr(&format!("{base_url}/")) {
            println!("{qr}");
        }
    }
    println!("watching content/, themes/ and site.yaml; press Ctrl+C to stop");
    let _ = std::io::stdout().flush();

    let editor = opts.edit.then(|| {
        // The editor shares the rebuilds' parsed files and is judged by their kept model.
        let mut edit = crate::edit::Editor::new(&opts.site, opts.commit).judged_by(shared.clone());
        if let Some(memo) = &build_opts.memo {
            edit = edit.sharing(memo.clone());
        }
        Arc::new(editor::EditorState::new(
            &opts.site,
            opts.public_url.as_deref().unwrap_or(&base_url),
            opts.trusted_proxies.clone(),
            opts.idle,
            edit,
        ))
    });
    if let Some(st) = &editor {
        print_pairing(st);
        if !opts.bind.is_unspecified() && opts.bind.is_loopback() && opts.public_url.is_none() {
            println!("(the editor answers on this computer only; add --bind 0.0.0.0 to edit from a phone on the same Wi-Fi)");
        }
        // Enter in the terminal prints a new pairing link.
        let st = st.clone();
        std::thread::spawn(move || {
            let mut line = String::new();
            while std::io::stdin().read_line(&mut line).is_ok_and(|n| n > 0) {
                print_pairing(&st);
                line.clear();
            }
        });
    }
    let _ = std::io::stdout().flush();

    rebuild_on(changes, &opts.site, shared.clone(), build_opts);
    sync::start(remote, editor.as_ref(), opts.pull_every);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the server: {e}");
            return 1;
        }
    };
    let app = http::router(http::App {
        shared: shared.clone(),
        editor,
    });
    let served = runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)?;
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    drop(watcher);
    match served {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("error: the server stopped: {e}");
            1
        }
    }
}

/// A public URL is the origin people reach the server at: `https://edit.example.org`, with no
/// path (the editor is at its `/_edit/`).
fn check_public_url(url: &str) -> Result<(), String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("{e}; write it as https://your.host"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host().is_none() {
        return Err("it must be an http:// or https:// address, like https://your.host".into());
    }
    if parsed.path() != "/" || parsed.query().is_some() {
        return Err(format!(
            "it must be the host alone ({}://{}), with the editor at its /_edit/",
            parsed.scheme(),
            parsed.host_str().unwrap_or_default()
        ));
    }
    Ok(())
}

fn print_pairing(st: &editor::EditorState) {
    let link = st.pairing_link(true);
    println!("editor: to edit from a phone, open this link on it within 10 minutes (it works once), or scan:");
    println!("  {link}");
    if let Some(qr) = net::terminal_qr(&link) {
        println!("{qr}");
    }
    println!("(press Enter for another link)");
    let _ = std::io::stdout().flush();
}

/// Build in memory; on success swap the served files, on failure keep them and report.
/// With `full` false, only the entries whose content changed are rendered again.
/// `rebuild`, with a panic in it (a bug of Waymark's, never a volunteer's) caught: said in the
/// terminal and over the page, the last good site still served, the kept model dropped so that
/// the next change rebuilds everything, and the watcher still watching.
fn rebuild_guarded(
    shared: &ServeState,
    opts: &BuildOptions,
    full: bool,
    changed: &HashSet<PathBuf>,
) {
    let started = Instant::now();
    // Published, or with the editor (whose rebuilds pin codes in plaques.lock), the files are
    // read, and plaques.lock and the live site written, under the site lock: a save, a deletion
    // (which rewrites plaques.lock, then moves files), a rebase or fast-forward of `--push` (which
    // passes through the remote's files without this server's commits) or a `waymark build` is
    // never read half made, nor a pin written over its plaques.lock.
    let locks = shared.publisher.is_some() || shared.pins_codes;
    let lock = locks
        .then(|| crate::lock::SiteLock::wait(&opts.site))
        .flatten();
    let run = std::panic::AssertUnwindSafe(|| rebuild(shared, opts, full, changed));
    let caught = std::panic::catch_unwind(run);
    drop(lock);
    if let Err(panic) = caught {
        let why = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        *shared.kept.lock() = None;
        *shared.last.lock() = None;
        let text = format!(
            "waymark stopped on an internal error while rebuilding ({why}); the last good site is still served. \
             Save again to retry, and please report this with the file you changed."
        );
        eprintln!("{text}");
        *shared.problem.write() = Some(text.clone());
        broadcast(shared, live::LiveEvent::new("problem", &text));
    }
    // The live site follows the preview: built on disk when the preview built, left as it is
    // when it did not.
    if let Some(publisher) = &shared.publisher {
        let problem = shared.problem.read().clone();
        publisher.settle(started, problem.as_deref());
    }
}

fn rebuild(shared: &ServeState, opts: &BuildOptions, full: bool, changed: &HashSet<PathBuf>) {
    let start = Instant::now();
    // After a failed rebuild, only a whole one can tell that every problem is gone.
    let failed = shared.problem.read().is_some();
    if !full && !failed {
        let mut kept = shared.kept.lock();
        if let Some(kept) = kept.as_mut() {
            if let Some(p) = patch::apply(&mut kept.site, changed) {
                match &shared.publisher {
                    Some(publisher) => publish_patch(shared, publisher, kept, p, start),
                    None => render_patch(shared, kept, p, start),
                }
                let _ = std::io::stdout().flush();
                return;
            }
        }
    }
    match make(shared, opts, full) {
        Ok(Made {
            kept,
            files: rendered,
            partial,
            warnings,
        }) => {
            let site = &kept.site;
            let count = rendered.len();
            // Published, the site is served from disk: only print files are kept, made anew.
            swap_in(shared, rendered, partial && shared.publisher.is_none());
            for w in &warnings {
                eprintln!("{w}\n");
            }
            shared.remember(site);
            *shared.diagnostics.write() = warnings.clone();
            let made = match shared.publisher {
                Some(_) => String::new(),
                None => format!(" ({count} files made)"),
            };
            println!(
                "{} {} entries{made} in {} ms",
                if partial { "rebuilt" } else { "built" },
                site.entries.len(),
                start.elapsed().as_millis()
            );
            *shared.kept.lock() = Some(kept);
            forget_print(shared);
            broadcast(shared, live::LiveEvent::new("reload", "ok"));
        }
        Err(e) => report(shared, &e),
    }
    let _ = std::io::stdout().flush();
}

/// Render a patched model: the edited entries' pages first, published and announced at once;
/// then, when lists show what changed, the lists and the pages whose nearby lists show it.
fn render_patch(shared: &ServeState, kept: &mut Kept, p: patch::Patch, start: Instant) {
    let Kept {
        site, theme, media, ..
    } = kept;
    let render = |site: &crate::site::Site, entries: HashSet<usize>, lists: bool| {
        let made = crate::output::Collect::default();
        let emit = crate::output::Emitter::new(&made);
        let only = crate::render::Selection::of(entries, lists);
        let result = crate::render::website(site, media, theme, Some(&only), None, &emit);
        drop(emit);
        result.map(|_| made.into_files())
    };
    let edited = p.edited;
    match render(site, p.entries.clone(), false) {
        Ok(files) => {
            let pages = live::pages(&swap_in(shared, files, true));
            println!(
                "updated the page(s) of {edited} file(s) in {} ms",
                start.elapsed().as_millis()
            );
            broadcast(shared, live::LiveEvent::new("reload", &pages));
        }
        Err(e) => return report(shared, &e),
    }
    if let Some(others) = p.lists(site) {
        let count = others.len();
        match render(site, others, true) {
            Ok(files) => {
                let pages = live::pages(&swap_in(shared, files, true));
                // Plaques and the manifest show titles: made again when next asked for.
                forget_print(shared);
                println!(
                    "updated the lists and {count} page(s) with nearby lists in {} ms",
                    start.elapsed().as_millis()
                );
                broadcast(shared, live::LiveEvent::new("reload", &pages));
            }
            Err(e) => {
                // Some pages are of the patched model and some not: the next rebuild renders all.
                *shared.last.lock() = None;
                return report(shared, &e);
            }
        }
    }
    shared.remember(site);
    // What is served is now the patched model: the next rebuild compares with it.
    *shared.last.lock() = Some(incremental::fingerprints(site, media));
}

/// Publish a patched model (`--publish`): its edited pages, and the lists and nearby lists that
/// show what changed, in one new generation of `output/`.
fn publish_patch(
    shared: &ServeState,
    publisher: &publish::Publisher,
    kept: &mut Kept,
    p: patch::Patch,
    start: Instant,
) {
    let edited = p.edited;
    if p.lists(&mut kept.site).is_some() {
        forget_print(shared);
    }
    let now = incremental::fingerprints(&kept.site, &kept.media);
    match publisher.publish(&kept.sources(), now.clone()) {
        Ok(report) => {
            *shared.problem.write() = None;
            println!(
                "updated the page(s) of {edited} file(s) in {} ms",
                start.elapsed().as_millis()
            );
            broadcast(
                shared,
                live::LiveEvent::new("reload", &live::pages(&report.changed_paths)),
            );
        }
        // The model is patched and the live site is not: the next rebuild loads everything.
        Err(e) => return report(shared, &e),
    }
    shared.remember(&kept.site);
    *shared.last.lock() = Some(now);
}

/// The print files of the kept site no longer stand: each is made again when next asked for.
fn forget_print(shared: &ServeState) {
    shared.print_ready.store(false, Ordering::Release);
    shared.printed_codes.lock().clear();
}

/// Make the print files that `path` (under `/_print/`) needs, from the kept site, when they are
/// not served yet: a code's own files (its symbol, plaque with PNG, kit) when the path names
/// one, else the whole print set. Only when asked for: most previews never open them, and at
/// 10,000 entries every plaque takes minutes.
fn print_files(shared: &ServeState, path: &str) {
    if shared.print_ready.load(Ordering::Acquire) {
        return;
    }
    let kept = shared.kept.lock();
    let Some(Kept { site, theme, .. }) = kept.as_ref() else {
        return;
    };
    let code = code_of_print_path(path).filter(|c| site.entry_by_code(c).is_some());
    let opts = match &code {
        Some(code) => {
            if shared.printed_codes.lock().contains(code) {
                return;
            }
            crate::print::Options {
                codes: vec![code.clone()],
                png: true,
                ..Default::default()
            }
        }
        // A preview never prunes the caches a build relies on.
        None => crate::print::Options {
            prune_cache: false,
            ..crate::print::Options::all()
        },
    };
    let made = crate::output::Collect::default();
    let emit = crate::output::Emitter::new(&made);
    let result = crate::pipeline::Pipeline::default().print(site, theme, &opts, &emit);
    drop(emit);
    match result {
        Ok(_) => {
            swap_files(shared, made.into_files(), true);
            match code {
                Some(code) => {
                    shared.printed_codes.lock().insert(code);
                }
                None => shared.print_ready.store(true, Ordering::Release),
            }
        }
        Err(e) => report(shared, &e),
    }
}

/// The code a print path belongs to: `/_print/plaques/HVT.pdf`, `/_print/qr/HVT.svg`,
/// `/_print/kits/HVT/kit.pdf`.
fn code_of_print_path(path: &str) -> Option<String> {
    let rest = path.strip_prefix("/_print/")?;
    let (dir, name) = rest.split_once('/')?;
    let code = match dir {
        "plaques" | "qr" => name.split('.').next()?,
        "kits" => name.split('/').next()?,
        _ => return None,
    };
    (!code.is_empty()).then(|| code.to_string())
}

/// Serve `rendered` from now on: on top of the last files when `partial`, instead of them if not.
/// The paths of a partial publish whose content changed.
fn swap_in(shared: &ServeState, rendered: Vec<OutFile>, partial: bool) -> Vec<String> {
    let changed = swap_files(shared, rendered, partial);
    *shared.problem.write() = None;
    changed
}

fn swap_files(shared: &ServeState, rendered: Vec<OutFile>, partial: bool) -> Vec<String> {
    if !partial {
        let files: Files = rendered
            .into_iter()
            .map(|f| (f.path, Arc::new(f.data)))
            .collect();
        *shared.files.write() = Arc::new(files);
        return Vec::new();
    }
    let mut served = shared.files.write();
    // Copied only while a request still holds the last files (20,000 paths at 10,000 entries).
    let files = Arc::make_mut(&mut served);
    let mut changed = Vec::new();
    for f in rendered {
        // A patch renders every list page again, though an edit moves a card on a few: only
        // pages that differ are announced, so that other browsers keep what they show.
        let same = matches!(
            (files.get(&f.path).map(|d| &**d), &f.data),
            (Some(Data::Bytes(old)), Data::Bytes(new)) if old == new
        );
        if !same {
            changed.push(f.path.clone());
            files.insert(f.path, Arc::new(f.data));
        }
    }
    changed
}

fn report(shared: &ServeState, e: &crate::error::Error) {
    let text = e.to_string();
    if let crate::error::Error::Site(ds) = e {
        *shared.diagnostics.write() = ds.clone();
    }
    eprintln!("{text}\nthe last good site is still being served; fix the problem and save");
    *shared.problem.write() = Some(text.clone());
    broadcast(shared, live::LiveEvent::new("problem", &text));
}

/// What a rebuild made.
struct Made {
    /// The model and theme to keep.
    kept: Kept,
    files: Vec<OutFile>,
    /// Only the pages a change touched were rendered.
    partial: bool,
    warnings: Vec<crate::error::Diagnostic>,
}

/// Load and render.
fn make(shared: &ServeState, opts: &BuildOptions, full: bool) -> crate::error::Result<Made> {
    let mut pipeline = crate::pipeline::Pipeline::new(opts);
    let crate::pipeline::Model {
        site,
        theme,
        ledger,
        mut warnings,
    } = pipeline.load(opts)?;
    let mut processed = pipeline.media(&site)?;
    warnings.append(&mut processed.warnings);
    let t = Instant::now();
    let now = incremental::fingerprints(&site, &processed.media);
    let last = shared.last.lock().clone();
    let selection = match (&last, full) {
        (Some(before), false) => incremental::selection(before, &now, &site),
        _ => None,
    };
    pipeline.timings.push(("compare", t.elapsed()));
    let files = match &shared.publisher {
        // Served from disk, as published.
        Some(publisher) => {
            let from = crate::pipeline::Sources {
                site: &site,
                theme: &theme,
                media: &processed.media,
                media_files: &processed.files,
            };
            publisher.publish(&from, now.clone())?;
            Vec::new()
        }
        None => {
            let kept = crate::output::Collect::default();
            let emit = crate::output::Emitter::new(&kept);
            emit.put_all(processed.files.clone())?;
            pipeline.website(&site, &processed.media, &theme, selection.as_ref(), &emit)?;
            // Print files are made when the print pages are first asked for (`print_files`).
            drop(emit);
            kept.into_files()
        }
    };
    if shared.pins_codes {
        ledger.save(&opts.site)?;
    }
    *shared.ledger.lock() = Some(ledger);
    *shared.last.lock() = Some(now);
    if shared.timings {
        for (stage, t) in &pipeline.timings {
            eprintln!("{stage:>22}: {:>8.1} ms", t.as_secs_f64() * 1000.0);
        }
    }
    Ok(Made {
        kept: Kept {
            site,
            theme,
            media: processed.media,
            media_files: processed.files,
        },
        files,
        partial: selection.is_some(),
        warnings,
    })
}

fn bytes(data: &Data) -> Option<Vec<u8>> {
    match data {
        Data::Bytes(b) => Some(b.clone()),
        Data::Copy(from) | Data::Cached(from) => std::fs::read(from).ok(),
    }
}

fn broadcast(shared: &ServeState, event: live::LiveEvent) {
    // No open page is no error.
    let _ = shared.events.send(event);
}

/// The site's sources watched: the watcher, and its changes.
type Changes = mpsc::Receiver<notify::Result<notify::Event>>;

fn watch(site: &Path) -> notify::Result<(notify::RecommendedWatcher, Changes)> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = mpsc::channel::<notify::Result<notify::Event>>();
    let mut watcher = notify::recommended_watcher(tx)?;
    watcher.watch(site, RecursiveMode::NonRecursive)?;
    for dir in ["content", "themes"] {
        let p = site.join(dir);
        if p.is_dir() {
            watcher.watch(&p, RecursiveMode::Recursive)?;
        }
    }
    Ok((watcher, rx))
}

/// Rebuild once per burst of `changes`, in a thread of its own.
fn rebuild_on(rx: Changes, site: &Path, shared: Arc<ServeState>, opts: BuildOptions) {
    let root = site.to_path_buf();
    std::thread::spawn(move || {
        while let Ok(first) = rx.recv() {
            let Some(mut full) = relevant(&root, &first) else {
                continue;
            };
            let mut changed = HashSet::new();
            note_changed(&root, &first, &mut changed);
            // Editors save in a few steps within milliseconds; wait for the burst to end.
            while let Ok(more) = rx.recv_timeout(Duration::from_millis(40)) {
                // Reads are no change: the editor's save opens the entry's folder to flush it,
                // and that folder taken for a changed file made every save a whole rebuild.
                if let Some(theme_or_settings) = relevant(&root, &more) {
                    full |= theme_or_settings;
                    note_changed(&root, &more, &mut changed);
                }
            }
            // The server's own pins of plaques.lock come back as a change: nothing to do.
            let pins_only = changed.iter().all(|p| p == Path::new(crate::ledger::FILE));
            let ledger = crate::ledger::Ledger::load(&root).ok();
            if pins_only && ledger.is_some() && *shared.ledger.lock() == ledger {
                continue;
            }
            rebuild_guarded(&shared, &opts, full, &changed);
        }
    });
}

/// The files an event touched, relative to the site folder.
fn note_changed(root: &Path, event: &notify::Result<notify::Event>, into: &mut HashSet<PathBuf>) {
    if let Ok(event) = event {
        for p in &event.paths {
            if let Ok(rel) = p.strip_prefix(root) {
                into.insert(rel.to_path_buf());
            }
        }
    }
}

/// None when the event is not about the site's sources; Some(true) when it touches the theme,
/// site.yaml or plaques.lock, which every page or every code depends on.
fn relevant(root: &Path, event: &notify::Result<notify::Event>) -> Option<bool> {
    let event = event.as_ref().ok()?;
    if matches!(event.kind, notify::EventKind::Access(_)) {
        return None;
    }
    let mut found = None;
    for p in &event.paths {
        let rel = p.strip_prefix(root).unwrap_or(p);
        let name = rel.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let top = rel
            .components()
            .next()
            .and_then(|c| c.as_os_str().to_str())
            .unwrap_or("");
        let editor_noise = name.starts_with('.')
            || name.ends_with('~')
            || name.ends_with(".swp")
            || name.ends_with(".tmp");
        if editor_noise {
            continue;
        }
        if top == "themes"
            || rel == Path::new(crate::config::FILE)
            || rel == Path::new(crate::ledger::FILE)
        {
            found = Some(true);
        } else if top == "content" {
            found = Some(found.unwrap_or(false));
        }
    }
    found
}

/// The answer to a GET of `raw` (a URL path): status, content type and body.
fn respond(shared: &ServeState, raw: &str) -> (u16, String, Vec<u8>) {
    let path = crate::render::markdown::percent_decode(raw);
    // No service worker in a preview: it would serve stale pages between rebuilds.
    if path.contains("..") || path == "/sw.js" {
        return (
            400,
            "text/plain; charset=utf-8".to_string(),
            b"bad path".to_vec(),
        );
    }
    if path.starts_with("/_print") {
        print_files(shared, &path);
    }
    let files = shared.files.read().clone();
    let problem = shared.problem.read().clone();
    let (key, is_print) = match path.strip_prefix("/_print") {
        Some(rest) => (
            format!("print{}", if rest.is_empty() { "/" } else { rest }),
            true,
        ),
        None => (format!("site{path}"), false),
    };
    let candidates = if key.ends_with('/') {
        vec![format!("{key}index.html")]
    } else {
        vec![key.clone(), format!("{key}/index.html")]
    };
    // Published (`--publish`), the site's files are on disk, as the web server in front serves them.
    let file = |k: &str| match &shared.publisher {
        Some(publisher) if k.starts_with(crate::address::SITE) => {
            let path = publisher.out().join(k);
            path.is_file().then(|| std::fs::read(path).ok()).flatten()
        }
        _ => files.get(k).and_then(|d| bytes(d)),
    };
    let found = candidates
        .iter()
        .find_map(|k| file(k).map(|b| (k.clone(), b)));
    let (status, name, body) = match found {
        Some((k, b)) => (200, k, b),
        None if is_print && key.ends_with('/') => (
            200,
            "index.html".into(),
            print_index(&files, &key).into_bytes(),
        ),
        None => match file(crate::address::NOT_FOUND) {
            Some(b) => (404, "404.html".into(), b),
            None => (404, "404.txt".into(), b"not found".to_vec()),
        },
    };
    let ctype = content_type(&name);
    let body = if ctype.starts_with("text/html") {
        live::inject(&body, problem.as_deref())
    } else {
        body
    };
    (status, ctype, body)
}

fn print_index(files: &Files, dir: &str) -> String {
    let mut names: Vec<&String> = files.keys().filter(|k| k.starts_with(dir)).collect();
    names.sort();
    let mut html =
        String::from("<!doctype html><meta charset=utf-8><title>print/</title><h1>print/</h1><ul>");
    for n in names {
        let href = format!("/_{n}");
        html.push_str(&format!(
            "<li><a href=\"{href}\">{}</a></li>",
            &n[dir.len()..]
        ));
    }
    html.push_str("</ul>");
    html
}

/// One table of content types for the preview and the deploy (`address::content_type`).
pub use crate::address::content_type;

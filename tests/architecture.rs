//! The layers of ARCHITECTURE.md, enforced: every top-level module of the library has its
//! layer here, and a module imports only modules of lower layers, or of its own layer where the
//! table allows it; a name the crate root re-exports counts as an import of the module it comes
//! from. A module this table does not know fails the test, so a new or renamed module is
//! placed on purpose. (Zola gets this from Cargo by making each layer a crate; here a test reads
//! the sources.)

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Each layer's modules, lowest first, as ARCHITECTURE.md lists them.
const LAYERS: &[(&str, &[&str])] = &[
    (
        "vocabulary and tools",
        &[
            "error", "vocab", "yaml", "slug", "address", "qr", "output", "progress", "days",
        ],
    ),
    ("load", &["config", "ledger", "content", "theme", "lock"]),
    ("model", &["site", "nearby"]),
    ("preprocessing", &["media"]),
    ("backends", &["render", "print", "edit", "scaffold"]),
    (
        "commands",
        &[
            "pipeline",
            "incremental",
            "serve",
            "import",
            "export",
            "verify",
            "stats",
            "deploy",
            "cmd",
        ],
    ),
];

/// Imports between modules of one layer that the design allows; any other same-layer import
/// is refused. Commands compose one another freely (cycles are refused below).
const SAME_LAYER: &[(&str, &str)] = &[
    ("yaml", "error"),
    // A price written as people write it ("250.000đ") is answered with the digits to write.
    ("yaml", "vocab"),
    ("qr", "error"),
    ("qr", "vocab"),
    ("qr", "output"),
    ("output", "error"),
    ("output", "address"),
    ("config", "yaml"),
    ("content", "config"),
    ("ledger", "output"),
    ("theme", "config"),
    ("lock", "config"),
    ("site", "nearby"),
    // The editor uses Markdown facts (moving relative links, nesting) and the scaffold.
    ("edit", "render"),
    ("edit", "scaffold"),
];

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|(_, ms)| ms.contains(&module))
}

/// What the crate root re-exports: name → the module it comes from.
fn root_reexports(lib: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for line in lib.lines().map(str::trim) {
        let Some(rest) = line.strip_prefix("pub use ") else {
            continue;
        };
        let rest = rest.trim_end_matches(';');
        let (module, names) = match rest.split_once("::{") {
            Some((m, names)) => (m, names.trim_end_matches('}').to_string()),
            None => match rest.rsplit_once("::") {
                Some((m, name)) => (m, name.to_string()),
                None => continue,
            },
        };
        let top = module.split("::").next().unwrap_or(module).to_string();
        for name in names.split(',').map(str::trim).filter(|n| !n.is_empty()) {
            out.insert(name.to_string(), top.clone());
        }
    }
    out
}

/// The library's top-level modules (from lib.rs) and, for each, the top-level modules its code
/// names (`crate::x`, `use crate::{x, y}`, a re-exported `crate::Name`), test code left out.
fn imports() -> (BTreeSet<String>, BTreeMap<String, BTreeSet<String>>) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let lib = std::fs::read_to_string(src.join("lib.rs")).unwrap();
    let declared: BTreeSet<String> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod "))
        .map(|m| m.trim_end_matches(';').to_string())
        .collect();
    let reexports = root_reexports(&lib);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in walkdir::WalkDir::new(&src).into_iter().flatten() {
        let path = file.path();
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let top = rel
            .split('/')
            .next()
            .unwrap()
            .trim_end_matches(".rs")
            .to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let text = std::fs::read_to_string(path).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap();
        let named = graph.entry(top.clone()).or_default();
        for (i, _) in code.match_indices("crate::") {
            let rest = &code[i + "crate::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                // `use crate::{a, b::c, d}`: the first word of each item.
                Some(group) => group[..group.find('}').unwrap_or(0)]
                    .split(',')
                    .map(|item| item.trim().split("::").next().unwrap_or(""))
                    .collect(),
                None => vec![rest
                    .split(|c: char| !c.is_alphanumeric() && c != '_')
                    .next()
                    .unwrap()],
            };
            for n in names.into_iter().filter(|n| !n.is_empty()) {
                let module = match reexports.get(n) {
                    Some(m) => m.clone(),
                    None if declared.contains(n) => n.to_string(),
                    // Anything else at the root is an item of lib.rs, which holds none: name it.
                    None => format!("crate root item `{n}`"),
                };
                if module != top {
                    named.insert(module);
                }
            }
        }
    }
    (declared, graph)
}

/// A cycle through `start`, as the path of modules, if there is one.
fn cycle_from(graph: &BTreeMap<String, BTreeSet<String>>, start: &str) -> Option<Vec<String>> {
    let mut stack = vec![(start.to_string(), vec![start.to_string()])];
    let mut seen = BTreeSet::new();
    while let Some((at, path)) = stack.pop() {
        for next in graph.get(&at).into_iter().flatten() {
            if next == start {
                let mut p = path.clone();
                p.push(start.to_string());
                return Some(p);
            }
            if seen.insert(next.clone()) {
                let mut p = path.clone();
                p.push(next.clone());
                stack.push((next.clone(), p));
            }
        }
    }
    None
}

/// Every import that goes up a layer, or sideways where the table does not allow it.
fn wrong_imports(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let mut wrong = Vec::new();
    for (from, tos) in graph {
        let Some(lf) = layer_of(from) else { continue };
        for to in tos {
            let Some(lt) = layer_of(to) else {
                wrong.push(format!("{from} imports {to}, which has no layer"));
                continue;
            };
            let sideways_ok = LAYERS[lf].0 == "commands" || SAME_LAYER.contains(&(from, to));
            if lt > lf || (lt == lf && !sideways_ok) {
                wrong.push(format!(
                    "{from} ({}) imports {to} ({})",
                    LAYERS[lf].0, LAYERS[lt].0
                ));
            }
        }
    }
    wrong
}

#[test]
fn every_module_has_a_layer() {
    let (declared, graph) = imports();
    // The reader sees the modules it expects; a parse that found nothing proves nothing.
    assert!(
        graph["render"].contains("site") && graph["print"].contains("qr"),
        "{graph:?}"
    );
    let unknown: Vec<&String> = declared
        .iter()
        .chain(graph.keys())
        .filter(|m| layer_of(m).is_none())
        .collect();
    assert!(
        unknown.is_empty(),
        "modules without a layer (add them to LAYERS and ARCHITECTURE.md): {unknown:?}"
    );
    let gone: Vec<&&str> = LAYERS
        .iter()
        .flat_map(|(_, ms)| ms.iter())
        .filter(|m| !declared.contains(**m))
        .collect();
    assert!(
        gone.is_empty(),
        "layers name modules that are gone: {gone:?}"
    );
}

#[test]
fn no_module_imports_upward_or_sideways_unless_allowed() {
    let (_, graph) = imports();
    let wrong = wrong_imports(&graph);
    assert!(wrong.is_empty(), "imports against the layers: {wrong:#?}");
}

#[test]
fn no_import_cycle_between_top_level_modules() {
    let (_, graph) = imports();
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|m| cycle_from(&graph, m))
        .map(|c| c.join(" -> "))
        .collect();
    assert!(cycles.is_empty(), "import cycles: {cycles:#?}");
}

/// The check itself: the imports the issue named as slipping through are refused.
#[test]
fn the_check_refuses_what_it_must() {
    let (_, mut graph) = imports();
    for (from, to) in [
        ("print", "edit"),
        ("render", "print"),
        ("qr", "config"),
        ("output", "config"),
        ("media", "edit"),
        ("site", "render"),
    ] {
        graph.get_mut(from).unwrap().insert(to.to_string());
        let wrong = wrong_imports(&graph);
        assert!(
            wrong.iter().any(|w| w.starts_with(&format!("{from} ("))),
            "{from} -> {to} passed"
        );
        graph.get_mut(from).unwrap().remove(to);
    }
    // A root re-export is followed to its module: `crate::BuildOptions` is pipeline's.
    let lib = "pub use pipeline::{build, BuildOptions};\npub use output::Sink;\n";
    let r = root_reexports(lib);
    assert_eq!(r["BuildOptions"], "pipeline");
    assert_eq!(r["Sink"], "output");
}

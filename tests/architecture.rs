//! The layering of ARCHITECTURE.md, checked: no import cycle between the library's top-level
//! modules (Zola gets this from Cargo by making each layer a crate; here a test reads the sources).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Top-level module → the top-level modules its code names (`crate::x`, `use crate::{x, y}`),
/// test code left out.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
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
            for n in names {
                if !n.is_empty()
                    && n != top
                    && n.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                {
                    named.insert(n.to_string());
                }
            }
        }
    }
    graph
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

#[test]
fn no_import_cycle_between_top_level_modules() {
    let graph = imports();
    // The reader sees the modules it expects; a parse that found nothing proves nothing.
    assert!(
        graph["render"].contains("site") && graph["print"].contains("qr"),
        "{graph:?}"
    );
    let cycles: Vec<String> = graph
        .keys()
        .filter_map(|m| cycle_from(&graph, m))
        .map(|c| c.join(" -> "))
        .collect();
    assert!(cycles.is_empty(), "import cycles: {cycles:#?}");
}

#[test]
fn backends_do_not_import_each_other_and_the_model_imports_no_stage() {
    let graph = imports();
    let of = |m: &str| graph.get(m).cloned().unwrap_or_default();
    assert!(!of("render").contains("print") && !of("print").contains("render"));
    for stage in ["media", "render", "print", "serve", "pipeline", "cmd"] {
        assert!(!of("site").contains(stage), "site imports {stage}");
        assert!(!of("content").contains(stage), "content imports {stage}");
    }
    for low in ["vocab", "yaml", "error", "address", "qr", "output"] {
        for high in ["site", "content", "render", "print", "media"] {
            assert!(!of(low).contains(high), "{low} imports {high}");
        }
    }
}

//! The layout rules of ARCHITECTURE.md, checked on the source text:
//! - no two files of `cognate-core/src` import each other, directly or through others (every
//!   `crate::...` path names a file; the graph of those edges has no cycle);
//! - no Rust source file of the workspace is over 600 lines.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const SRC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
const CRATES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/..");
const MAX_LINES: usize = 600;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The module path of a source file: `src/service/sign_in/flow.rs` -> `service::sign_in::flow`,
/// `src/service/mod.rs` -> `service`, `src/lib.rs` -> ``.
fn module_of(file: &Path) -> String {
    let rel = file.strip_prefix(SRC).expect("under src");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().trim_end_matches(".rs").to_owned())
        .collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib")) {
        parts.pop();
    }
    parts.join("::")
}

/// The text of a file without its comments and its `#[cfg(test)]` tail (unit tests may import
/// whatever they test).
fn code_of(text: &str) -> String {
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => text,
    };
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Every `crate::a::b::{c, d::e}` path in `code`, expanded to plain paths.
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        let end = rest
            .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
            .unwrap_or(rest.len());
        let head = &rest[..end];
        if rest[end..].starts_with('{') {
            // A group: take everything up to the first closing brace.
            let group_end = rest[end..].find('}').map_or(rest.len(), |j| end + j);
            let group = &rest[end + 1..group_end];
            for item in group.split(',') {
                let item = item.split(" as ").next().unwrap_or("").trim();
                if item.is_empty() || item == "self" {
                    out.push(head.trim_end_matches("::").to_owned());
                } else {
                    out.push(format!("{head}{item}"));
                }
            }
        } else {
            out.push(head.trim_end_matches("::").to_owned());
        }
    }
    out
}

/// The longest prefix of `path` that names a module file.
fn resolve(path: &str, modules: &BTreeSet<String>) -> Option<String> {
    let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
    (1..=parts.len())
        .rev()
        .map(|n| parts[..n].join("::"))
        .find(|m| modules.contains(m))
}

#[test]
fn core_files_import_in_one_direction() {
    let mut files = Vec::new();
    rust_files(Path::new(SRC), &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(f)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &files {
        let from = module_of(f);
        let text = std::fs::read_to_string(f).expect("read source");
        for path in crate_paths(&code_of(&text)) {
            if let Some(to) = resolve(&path, &modules) {
                // A parent re-exporting a child is not an import of the parent by the child.
                if to != from && !to.is_empty() {
                    edges.entry(from.clone()).or_default().insert(to);
                }
            }
        }
    }
    assert!(
        edges.values().map(BTreeSet::len).sum::<usize>() > 50,
        "the import scan found too few edges to be working"
    );
    // Depth-first search for a cycle.
    fn visit(
        m: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == m) {
            let mut cycle = stack[i..].to_vec();
            cycle.push(m.to_owned());
            return Some(cycle);
        }
        if done.contains(m) {
            return None;
        }
        stack.push(m.to_owned());
        for next in edges.get(m).into_iter().flatten() {
            if let Some(c) = visit(next, edges, stack, done) {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(m.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for m in edges.keys() {
        if let Some(cycle) = visit(m, &edges, &mut Vec::new(), &mut done) {
            panic!("import cycle in cognate-core: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_import_scan_sees_grouped_and_inline_paths() {
    let code = "use crate::service::common::{lockout, session::{self}};\n\
                let u = crate::model::User::default();";
    let modules: BTreeSet<String> = [
        "service::common::lockout",
        "service::common::session",
        "model",
    ]
    .map(String::from)
    .into();
    let resolved: BTreeSet<String> = crate_paths(code)
        .iter()
        .filter_map(|p| resolve(p, &modules))
        .collect();
    assert_eq!(resolved, modules);
}

#[test]
fn no_source_file_is_over_600_lines() {
    let mut files = Vec::new();
    rust_files(Path::new(CRATES), &mut files);
    let long: Vec<String> = files
        .iter()
        .filter_map(|f| {
            let n = std::fs::read_to_string(f).ok()?.lines().count();
            (n > MAX_LINES).then(|| format!("{} ({n} lines)", f.display()))
        })
        .collect();
    assert!(files.len() > 50, "found too few source files");
    assert!(long.is_empty(), "files over {MAX_LINES} lines: {long:?}");
}

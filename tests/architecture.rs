//! The layout's rules, read from the source: features under `src/app/` import the shared
//! base and the data core, never each other; the base imports no feature; the data core
//! never imports Bevy or the app; and a source file over 500 lines says why in its opening
//! comment (docs/architecture.md).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lines past which a source file must give a reason in its opening `//!` comment.
const LONG_FILE: usize = 500;

/// The word that opens that reason, on a `//!` line.
const LONG_FILE_REASON: &str = "Long file:";

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

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

/// A file's code before its test module (tests may use anything).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    match text.find("#[cfg(test)]") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// The module directly under `src/app/` a file belongs to (`None` for `app/mod.rs`, the root
/// that puts the features together).
fn app_module(app: &Path, file: &Path) -> Option<String> {
    let rel = file.strip_prefix(app).ok()?;
    let first = rel.components().next()?.as_os_str().to_str()?.to_string();
    if first == "mod.rs" {
        return None;
    }
    Some(first.trim_end_matches(".rs").to_string())
}

/// The `src/app/` modules a piece of code names: `crate::app::x` anywhere, and `super::x`
/// in a file directly under `app/`.
fn named_modules(code: &str, depth_one: bool, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut prefixes = vec!["crate::app::"];
    if depth_one {
        prefixes.push("super::");
    }
    for prefix in prefixes {
        for (i, _) in code.match_indices(prefix) {
            let rest = &code[i + prefix.len()..];
            // `crate::app::{a, b::c}` or `crate::app::a`.
            let names: Vec<&str> = if let Some(group) = rest.strip_prefix('{') {
                let end = group.find('}').unwrap_or(group.len());
                group[..end].split(',').collect()
            } else {
                vec![rest]
            };
            for n in names {
                let name: String = n
                    .trim()
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if modules.contains(&name) {
                    found.insert(name);
                }
            }
        }
    }
    found
}

fn app_graph() -> BTreeMap<String, BTreeSet<String>> {
    let app = src().join("app");
    let mut files = Vec::new();
    rust_files(&app, &mut files);
    let modules: BTreeSet<String> = files.iter().filter_map(|f| app_module(&app, f)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = modules
        .iter()
        .map(|m| (m.clone(), BTreeSet::new()))
        .collect();
    for f in &files {
        let Some(m) = app_module(&app, f) else {
            continue;
        };
        let depth_one = f.parent() == Some(app.as_path());
        let mut named = named_modules(&code(f), depth_one, &modules);
        named.remove(&m);
        graph.entry(m).or_default().extend(named);
    }
    graph
}

#[test]
fn features_talk_through_the_base_only() {
    let graph = app_graph();
    assert!(
        graph.contains_key("base"),
        "src/app/base is the shared base"
    );
    assert!(graph.len() > 5, "the feature modules were found: {graph:?}");
    let mut wrong = Vec::new();
    for (m, uses) in &graph {
        for u in uses {
            if m == "base" || u != "base" {
                wrong.push(format!("app::{m} uses app::{u}"));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "features import the base and the data core only, and the base imports no \
         feature (write a Message, a State or a base resource instead):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_module_reader_sees_imports() {
    let modules: BTreeSet<String> = ["base", "map", "ring"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let code = "use crate::app::base::{City, Focus};\nuse crate::app::{map::hit, ring};\n\
                fn f() { super::ring::x(); }";
    let named = named_modules(code, false, &modules);
    assert_eq!(
        named,
        ["base", "map", "ring"]
            .iter()
            .map(|s| s.to_string())
            .collect(),
    );
    assert_eq!(
        named_modules("use super::map;", true, &modules),
        ["map".to_string()].into_iter().collect()
    );
}

#[test]
fn the_data_core_has_no_bevy_and_no_app() {
    let root = src();
    let mut wrong = Vec::new();
    for dir in ["snapshot", "geo", "scene", "generate", "import"] {
        let mut files = Vec::new();
        rust_files(&root.join(dir), &mut files);
        for f in files {
            let c = code(&f);
            if c.contains("bevy::") || c.contains("crate::app") {
                wrong.push(f.display().to_string());
            }
        }
    }
    for file in [
        "store.rs",
        "config.rs",
        "palette.rs",
        "process.rs",
        "demo.rs",
        "fuzzing.rs",
    ] {
        let c = code(&root.join(file));
        if c.contains("bevy::") || c.contains("crate::app") {
            wrong.push(file.to_string());
        }
    }
    assert!(
        wrong.is_empty(),
        "the data core builds without Bevy: {wrong:?}"
    );
}

#[test]
fn long_files_say_why() {
    let mut files = Vec::new();
    rust_files(&src(), &mut files);
    let mut wrong = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        let lines = text.lines().count();
        let says_why = text
            .lines()
            .take_while(|l| l.starts_with("//!") || l.trim().is_empty())
            .any(|l| l.contains(LONG_FILE_REASON));
        if lines > LONG_FILE && !says_why {
            wrong.push(format!("{} ({lines} lines)", f.display()));
        }
    }
    assert!(
        wrong.is_empty(),
        "files over {LONG_FILE} lines give a reason on a `//! {LONG_FILE_REASON} …` line, \
         or are split:\n{}",
        wrong.join("\n")
    );
}

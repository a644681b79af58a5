//! The module graph has no cycles: neither between the top-level modules of `mcpconf-core` nor
//! between the modules inside one of them (`probe::diagnose` and `probe::http`, say), nor in
//! `mcpconf-config`. A cycle is where a newcomer cannot tell which module is built on which,
//! and where "just this once" shortcuts start (the workspace reaching into the secrets module
//! reaching back into the workspace).
//!
//! The graph is read from the source: every `crate::x` and `super::x` path outside comments,
//! string literals and test code is an edge. Run `cargo test -p mcpconf-core --test
//! module_graph`; a failure names the cycle, module by module.

#![allow(clippy::unwrap_used)] // a test: a panic is a failure

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Source with comments and the contents of string and char literals blanked out.
fn code_only(text: &str) -> String {
    let b: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            '/' if b.get(i + 1) == Some(&'/') => {
                while i < b.len() && b[i] != '\n' {
                    i += 1;
                }
            }
            '/' if b.get(i + 1) == Some(&'*') => {
                let mut depth = 0;
                while i < b.len() {
                    if b[i] == '/' && b.get(i + 1) == Some(&'*') {
                        depth += 1;
                        i += 2;
                    } else if b[i] == '*' && b.get(i + 1) == Some(&'/') {
                        depth -= 1;
                        i += 2;
                        if depth == 0 {
                            break;
                        }
                    } else {
                        if b[i] == '\n' {
                            out.push('\n');
                        }
                        i += 1;
                    }
                }
            }
            'r' if b.get(i + 1) == Some(&'"')
                || (b.get(i + 1) == Some(&'#') && !prev_ident(&b, i)) =>
            {
                // A raw string: r"..." or r#"..."#.
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) != Some(&'"') {
                    out.push(b[i]);
                    i += 1;
                    continue;
                }
                j += 1;
                loop {
                    if j >= b.len() {
                        break;
                    }
                    if b[j] == '"' && (0..hashes).all(|h| b.get(j + 1 + h) == Some(&'#')) {
                        j += 1 + hashes;
                        break;
                    }
                    j += 1;
                }
                out.push_str("\"\"");
                i = j;
            }
            '"' => {
                i += 1;
                while i < b.len() && b[i] != '"' {
                    if b[i] == '\\' {
                        i += 1;
                    }
                    i += 1;
                }
                i += 1;
                out.push_str("\"\"");
            }
            '\'' if b.get(i + 2) == Some(&'\'') || (b.get(i + 1) == Some(&'\\')) => {
                // A char literal ('x', '\n'); lifetimes ('a) have no closing quote there.
                let mut j = i + 1;
                if b.get(j) == Some(&'\\') {
                    j += 2;
                    while j < b.len() && b[j] != '\'' {
                        j += 1;
                    }
                } else {
                    j += 1;
                }
                out.push_str("' '");
                i = j + 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

fn prev_ident(b: &[char], i: usize) -> bool {
    i > 0 && (b[i - 1].is_alphanumeric() || b[i - 1] == '_')
}

/// Where the next test-only item starts: `#[cfg(test)]` or `#[cfg(all(test, …))]`.
fn next_test_item(code: &str) -> Option<usize> {
    ["#[cfg(test)]", "#[cfg(all(test"]
        .iter()
        .filter_map(|m| code.find(m))
        .min()
}

/// `code` without the bodies of test-only items (test modules may reach anywhere).
fn without_tests(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut rest = code;
    while let Some(at) = next_test_item(rest) {
        out.push_str(&rest[..at]);
        let after = &rest[at..];
        // Skip to the end of the item: the matching brace of its first `{`, or its `;`.
        let mut depth = 0usize;
        let mut end = after.len();
        for (k, c) in after.char_indices() {
            match c {
                ';' if depth == 0 => {
                    end = k + 1;
                    break;
                }
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    if depth == 0 {
                        end = k + 1;
                        break;
                    }
                }
                _ => {}
            }
        }
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// A module's path from its file: `probe/diagnose.rs` → `["probe", "diagnose"]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod" || p == "lib") {
        parts.pop();
    }
    parts
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

type Graph = BTreeMap<String, BTreeSet<String>>;

/// Edges at every level: for module `a::b` referring to `crate::a::c::d`, the edge `b → c`
/// inside `a`; for `crate::x::…` from a module under `a` (x ≠ a), the edge `a → x` at the top.
fn graphs(src: &Path) -> BTreeMap<String, Graph> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut levels: BTreeMap<String, Graph> = BTreeMap::new();
    for f in files {
        let name = f.file_name().unwrap().to_string_lossy().into_owned();
        if name == "tests.rs" {
            continue;
        }
        let module = module_of(src, &f);
        if module.is_empty() {
            continue;
        }
        let code = without_tests(&code_only(&std::fs::read_to_string(&f).unwrap()));
        let mut targets: Vec<Vec<String>> = Vec::new();
        for (prefix, base) in [("crate::", Vec::new()), ("super::", parent(&module))] {
            let mut rest = code.as_str();
            while let Some(at) = rest.find(prefix) {
                let before = rest[..at].chars().last();
                rest = &rest[at + prefix.len()..];
                if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
                    continue;
                }
                let path: Vec<String> = rest
                    .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                    .next()
                    .unwrap_or("")
                    .split("::")
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
                let mut full = base.clone();
                full.extend(path);
                targets.push(full);
            }
        }
        for t in targets {
            // The first level where the two paths part is where the edge is.
            let common = module.iter().zip(&t).take_while(|(a, b)| a == b).count();
            let (Some(from), Some(to)) = (module.get(common), t.get(common)) else {
                continue;
            };
            if !to.chars().next().is_some_and(char::is_lowercase) {
                continue; // a type or a constant at that level, not a module
            }
            let level = module[..common].join("::");
            levels
                .entry(level)
                .or_default()
                .entry(from.clone())
                .or_default()
                .insert(to.clone());
        }
    }
    levels
}

fn parent(module: &[String]) -> Vec<String> {
    module[..module.len().saturating_sub(1)].to_vec()
}

/// A cycle in `g`, as a path that starts and ends at the same module.
fn find_cycle(g: &Graph) -> Option<Vec<String>> {
    fn visit(
        g: &Graph,
        n: &str,
        stack: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = stack.iter().position(|s| s == n) {
            let mut c = stack[i..].to_vec();
            c.push(n.to_owned());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        stack.push(n.to_owned());
        for m in g.get(n).into_iter().flatten() {
            if (g.contains_key(m) || stack.contains(m))
                && let Some(c) = visit(g, m, stack, done)
            {
                return Some(c);
            }
        }
        stack.pop();
        done.insert(n.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    for n in g.keys() {
        if let Some(c) = visit(g, n, &mut Vec::new(), &mut done) {
            return Some(c);
        }
    }
    None
}

fn assert_acyclic(crate_dir: &str) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(crate_dir)
        .join("src");
    let levels = graphs(&src);
    assert!(
        levels.contains_key(""),
        "no modules found in {}",
        src.display()
    );
    let cycles: Vec<String> = levels
        .iter()
        .filter_map(|(level, g)| {
            find_cycle(g).map(|c| {
                let inside = if level.is_empty() {
                    crate_dir.to_owned()
                } else {
                    format!("{crate_dir}: {level}")
                };
                format!("{inside}: {}", c.join(" → "))
            })
        })
        .collect();
    assert!(
        cycles.is_empty(),
        "module cycles (each module on the path refers to the next):\n  {}",
        cycles.join("\n  ")
    );
}

#[test]
fn core_has_no_module_cycles() {
    assert_acyclic("core");
}

#[test]
fn config_has_no_module_cycles() {
    assert_acyclic("config");
}

#[test]
fn the_check_finds_a_cycle_and_reads_only_code() {
    let mut g = Graph::new();
    g.entry("a".into()).or_default().insert("b".into());
    g.entry("b".into()).or_default().insert("c".into());
    assert_eq!(find_cycle(&g), None);
    g.entry("c".into()).or_default().insert("a".into());
    assert_eq!(
        find_cycle(&g),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    let code = code_only("use crate::x; // crate::y\n let s = \"crate::z\"; /* crate::w */");
    assert!(code.contains("crate::x"));
    assert!(!code.contains("crate::y") && !code.contains("crate::z") && !code.contains("crate::w"));
    let code = without_tests(
        "use crate::a;\n#[cfg(test)]\nmod tests { use crate::b; }\n#[cfg(all(test, feature = \"ts\"))]\nmod t { use crate::d; }\nuse crate::c;",
    );
    assert!(code.contains("crate::a") && code.contains("crate::c"));
    assert!(!code.contains("crate::b") && !code.contains("crate::d"));
}

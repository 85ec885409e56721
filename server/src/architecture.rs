//! The shape ARCHITECTURE.md describes, checked on the sources.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Each module (a file under `src/`, `mod.rs` as its folder) and the
/// modules of this crate it names as `crate::a::b`.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    sources(&src, &mut files);
    let mut graph = BTreeMap::new();
    for file in files {
        let rel = file.strip_prefix(&src).unwrap().with_extension("");
        let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into()).collect();
        if parts
            .last()
            .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
        {
            parts.pop();
        }
        let module = parts.join("::");
        let text = std::fs::read_to_string(&file).unwrap();
        let mut named = BTreeSet::new();
        for (i, _) in text.match_indices("crate::") {
            let path: String = text[i + 7..]
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':')
                .collect();
            let segs: Vec<&str> = path.split("::").filter(|s| !s.is_empty()).collect();
            // Modules are lower case; stop at the first item.
            let mods: Vec<&str> = segs
                .iter()
                .take_while(|s| s.chars().next().is_some_and(|c| c.is_lowercase()))
                .copied()
                .collect();
            if let Some(first) = mods.first() {
                named.insert(first.to_string());
            }
        }
        graph.insert(module, named);
    }
    graph
}

#[test]
fn nothing_outside_http_reaches_into_it() {
    let offenders: Vec<String> = imports()
        .into_iter()
        .filter(|(m, named)| !(m == "http" || m.starts_with("http::")) && named.contains("http"))
        .map(|(m, _)| m)
        .collect();
    assert!(
        offenders.is_empty(),
        "modules importing crate::http: {offenders:?}"
    );
}

/// The layers of ARCHITECTURE.md, from the top; a top-level module not
/// named here is a service, the layer between these.
const ABOVE_SERVICES: [&[&str]; 2] = [
    &["cli", "http", "bench"],
    &["page_data", "seed", "synthetic", "backup"],
];
const BELOW_SERVICES: [&[&str]; 2] = [&["store"], &["auth", "chain", "config", "refusal"]];

/// How deep a top-level module sits: 0 for the entry points.
fn layer(module: &str) -> usize {
    let above = ABOVE_SERVICES.iter().position(|l| l.contains(&module));
    let below = BELOW_SERVICES.iter().position(|l| l.contains(&module));
    match (above, below) {
        (Some(i), _) => i,
        (None, Some(i)) => ABOVE_SERVICES.len() + 1 + i,
        (None, None) => ABOVE_SERVICES.len(),
    }
}

#[test]
fn layers_import_only_downwards() {
    let mut upward = BTreeSet::new();
    for (m, named) in imports() {
        let top = m.split("::").next().unwrap_or_default();
        if top.is_empty() || top == "architecture" {
            continue; // the crate root declares every module; this file names them
        }
        for n in named {
            if layer(&n) < layer(top) {
                upward.insert(format!("{m} imports {n}"));
            }
        }
    }
    assert!(upward.is_empty(), "imports against the layers: {upward:?}");
    // The rule has teeth: the store is below every service, a service below http.
    assert!(layer("store") > layer("complaints") && layer("complaints") > layer("http"));
}

#[test]
fn no_two_top_level_modules_import_each_other() {
    let top = |m: &str| m.split("::").next().unwrap_or_default().to_owned();
    let mut edges: BTreeSet<(String, String)> = BTreeSet::new();
    for (m, named) in imports() {
        for n in named {
            if top(&m) != n && !m.is_empty() {
                edges.insert((top(&m), n));
            }
        }
    }
    let circles: Vec<_> = edges
        .iter()
        .filter(|(a, b)| a < b && edges.contains(&(b.clone(), a.clone())))
        .collect();
    assert!(circles.is_empty(), "import circles: {circles:?}");
}

/// Every file under `dir` (build output and installed packages left
/// out), as paths relative to the repository.
fn repository_files(root: &Path, dir: &Path, out: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap_or_default().to_string_lossy();
        if name.starts_with('.') || name == "target" || name == "node_modules" {
            continue;
        }
        if path.is_dir() {
            out.push(path.strip_prefix(root).unwrap().to_string_lossy().into());
            repository_files(root, &path, out);
        } else {
            out.push(path.strip_prefix(root).unwrap().to_string_lossy().into());
        }
    }
}

/// ARCHITECTURE.md names files and folders in backticks, from the
/// repository root or from the folder its table or step is about
/// (`store/responses.rs` in the server's table): each must be a real
/// file or folder, at the end of some path in the repository.
#[test]
fn every_path_architecture_md_names_exists() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let text = std::fs::read_to_string(root.join("ARCHITECTURE.md")).unwrap();
    let mut all = Vec::new();
    repository_files(root, root, &mut all);
    let looks_like_a_path = |t: &str| {
        !t.is_empty()
            && !t.starts_with('/')
            && !t.contains([' ', '{', '*', '…', '=', '(', '<'])
            && (t.contains('/')
                || [
                    ".rs", ".js", ".md", ".sql", ".json", ".csv", ".toml", ".ts", ".sh",
                ]
                .iter()
                .any(|e| t.ends_with(e)))
    };
    let mut missing = Vec::new();
    for (i, token) in text.split('`').enumerate() {
        // Odd pieces are inside backticks.
        if i % 2 == 0 || !looks_like_a_path(token) {
            continue;
        }
        let wanted = token.trim_end_matches('/');
        let found = all
            .iter()
            .any(|p| p == wanted || p.ends_with(&format!("/{wanted}")));
        if !found {
            missing.push(token.to_owned());
        }
    }
    assert!(
        missing.is_empty(),
        "ARCHITECTURE.md names paths that do not exist: {missing:?}"
    );
}

/// Every module of the crate whose sources are in `src` (`a::b`; the crate
/// root is ``), with its source, line comments removed.
fn modules_of(src: &Path) -> BTreeMap<String, String> {
    let mut files = Vec::new();
    sources(src, &mut files);
    files
        .into_iter()
        .map(|file| {
            let rel = file.strip_prefix(src).unwrap().with_extension("");
            let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into()).collect();
            if parts
                .last()
                .is_some_and(|p| p == "mod" || p == "lib" || p == "main")
            {
                parts.pop();
            }
            let text = std::fs::read_to_string(&file).unwrap();
            let code: Vec<&str> = text
                .lines()
                .map(|l| l.split_once("//").map_or(l, |(code, _)| code))
                .collect();
            (parts.join("::"), code.join("\n"))
        })
        .collect()
}

/// `a::{b, c::{d, e}}` as `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let Some(open) = tree.find('{') else {
        return vec![tree.to_owned()];
    };
    let (prefix, rest) = tree.split_at(open);
    let mut depth = 0;
    let mut parts = vec![String::new()];
    for c in rest.chars() {
        match c {
            '{' => {
                depth += 1;
                if depth == 1 {
                    continue;
                }
            }
            '}' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            ',' if depth == 1 => {
                parts.push(String::new());
                continue;
            }
            _ => {}
        }
        parts.last_mut().unwrap().push(c);
    }
    parts
        .iter()
        .filter(|p| !p.is_empty())
        .flat_map(|p| expand(p))
        .map(|p| format!("{prefix}{p}"))
        .collect()
}

/// The paths `code` names that start at `crate`, `super` or `self`: every
/// `use` tree expanded, and every such path written inline.
fn named_paths(code: &str) -> Vec<String> {
    let path_char = |c: char| c.is_alphanumeric() || c == '_' || c == ':';
    let mut out = Vec::new();
    for (i, _) in code.match_indices("use ") {
        let before = code[..i].chars().last();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let tree: String = code[i + 4..]
            .split(';')
            .next()
            .unwrap_or_default()
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        out.extend(expand(&tree));
    }
    for start in ["crate::", "super::", "self::"] {
        for (i, _) in code.match_indices(start) {
            if code[..i].chars().last().is_some_and(path_char) {
                continue;
            }
            out.push(code[i..].chars().take_while(|c| path_char(*c)).collect());
        }
    }
    out.retain(|p| {
        ["crate::", "super::", "self::"]
            .iter()
            .any(|s| p.starts_with(s))
    });
    out
}

/// The module of `modules` that `path`, named in module `here`, reaches:
/// the longest prefix of it that is a module.
fn reached(modules: &BTreeMap<String, String>, here: &str, path: &str) -> Option<String> {
    let mut base: Vec<&str> = if here.is_empty() {
        Vec::new()
    } else {
        here.split("::").collect()
    };
    let mut segs = path.split("::").filter(|s| !s.is_empty()).peekable();
    match segs.peek() {
        Some(&"crate") => base.clear(),
        Some(&"self") => {}
        Some(&"super") => {
            while segs.peek() == Some(&"super") {
                segs.next();
                base.pop();
            }
        }
        _ => return None,
    }
    let rest: Vec<&str> = segs.filter(|s| *s != "crate" && *s != "self").collect();
    (0..=rest.len()).rev().find_map(|n| {
        let candidate = base
            .iter()
            .chain(&rest[..n])
            .copied()
            .collect::<Vec<_>>()
            .join("::");
        modules.contains_key(&candidate).then_some(candidate)
    })
}

/// Which module imports which, any depth, a module and its own ancestors
/// left out (a parent declares its children, a child uses its parent).
fn import_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules_of(src);
    let related = |a: &str, b: &str| {
        a.is_empty()
            || b.is_empty()
            || a.starts_with(&format!("{b}::"))
            || b.starts_with(&format!("{a}::"))
            || a == b
    };
    modules
        .iter()
        .map(|(m, code)| {
            let edges = named_paths(code)
                .iter()
                .filter_map(|p| reached(&modules, m, p))
                .filter(|t| !related(m, t))
                .collect();
            (m.clone(), edges)
        })
        .collect()
}

/// The groups of modules that import each other, through any number of
/// steps (strongly connected components of more than one module).
fn circles(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    let reach = |from: &str| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.to_owned()];
        while let Some(m) = todo.pop() {
            for n in graph.get(&m).into_iter().flatten() {
                if seen.insert(n.clone()) {
                    todo.push(n.clone());
                }
            }
        }
        seen
    };
    let reaches: BTreeMap<&String, BTreeSet<String>> =
        graph.keys().map(|m| (m, reach(m))).collect();
    let mut found: Vec<BTreeSet<String>> = Vec::new();
    for (m, from_m) in &reaches {
        if !from_m.contains(*m) || found.iter().any(|c| c.contains(*m)) {
            continue;
        }
        let circle: BTreeSet<String> = from_m
            .iter()
            .filter(|n| reaches.get(n).is_some_and(|r| r.contains(*m)))
            .cloned()
            .collect();
        found.push(circle);
    }
    found
}

#[test]
fn no_import_circle_at_any_depth_in_either_crate() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    for src in ["server/src", "app/src"] {
        let graph = import_graph(&root.join(src));
        assert!(
            graph.values().map(BTreeSet::len).sum::<usize>() > 50,
            "{src}: too few imports seen; the scan is broken"
        );
        let found = circles(&graph);
        assert!(
            found.is_empty(),
            "{src}: modules importing each other: {found:?}"
        );
    }
}

#[test]
fn the_import_scan_reads_use_trees_and_relative_paths() {
    assert_eq!(
        expand("crate::store::{accounts::X,sessions::{Y,z::W}}"),
        [
            "crate::store::accounts::X",
            "crate::store::sessions::Y",
            "crate::store::sessions::z::W"
        ]
    );
    let modules: BTreeMap<String, String> = ["", "store", "store::a", "store::b", "store::b::c"]
        .iter()
        .map(|m| (m.to_string(), String::new()))
        .collect();
    assert_eq!(
        reached(&modules, "store::a", "super::b::c::f").as_deref(),
        Some("store::b::c")
    );
    assert_eq!(
        reached(&modules, "store::b::c", "super::super::a::X").as_deref(),
        Some("store::a")
    );
    assert_eq!(
        reached(&modules, "store::b", "self::c").as_deref(),
        Some("store::b::c")
    );
    assert_eq!(
        reached(&modules, "store::a", "crate::store::Store").as_deref(),
        Some("store")
    );
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (a, b) in [("x", "y"), ("y", "z"), ("z", "x"), ("z", "w")] {
        graph.entry(a.into()).or_default().insert(b.into());
        graph.entry(b.into()).or_default();
    }
    let found = circles(&graph);
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].iter().collect::<Vec<_>>(), ["x", "y", "z"]);
}

#[test]
fn http_runs_no_sql() {
    let http = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/http");
    let mut files = Vec::new();
    sources(&http, &mut files);
    let offenders: Vec<_> = files
        .iter()
        .filter(|f| {
            let text = std::fs::read_to_string(f).unwrap();
            ["sqlx::query", "sqlx::postgres", "pg_notify"]
                .iter()
                .any(|s| text.contains(s))
        })
        .collect();
    assert!(offenders.is_empty(), "SQL in http/: {offenders:?}");
}

/// One spelling: modules say `catalogue` (the API keeps its published
/// address, `/api/v1/catalog`, and the `Catalog` type it answers with).
#[test]
fn modules_spell_catalogue_one_way() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut all = Vec::new();
    repository_files(root, root, &mut all);
    let other: Vec<&String> = all
        .iter()
        .filter(|p| p.starts_with("app/src") || p.starts_with("server/src"))
        .filter(|p| {
            p.rsplit('/')
                .next()
                .is_some_and(|name| name.starts_with("catalog") && !name.starts_with("catalogue"))
        })
        .collect();
    assert!(other.is_empty(), "spelled catalog: {other:?}");
}

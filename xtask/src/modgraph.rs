//! The module tree of each workspace crate and the references between sibling modules.
//!
//! `cargo xtask modcycles` uses it to enforce the rule "sibling modules don't import each
//! other in a cycle" (ARCHITECTURE.md). A module's references are every path in it that
//! starts with `crate::`, `super::` or `self::` (in `use` items and in expressions), resolved
//! to an absolute module path. A reference from module `a::b::c` to an item in `a::x::y`
//! is an edge between the siblings `a::b` and `a::x` (the children of their deepest common
//! ancestor). References to an ancestor or a descendant are not sibling edges. Code under
//! `#[cfg(test)]` is left out: test modules may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// An absolute module path inside one crate (`[]` is the crate root).
pub type ModPath = Vec<String>;

/// One crate's modules and the sibling edges between them.
#[derive(Debug, Default)]
pub struct CrateGraph {
    /// Every module found, with the file that holds it.
    pub modules: BTreeMap<ModPath, PathBuf>,
    /// `from -> to` between siblings (same parent), each with one place that causes it.
    pub edges: BTreeMap<(ModPath, ModPath), String>,
}

/// Reads the crate whose sources start at `root_file` (`src/lib.rs` or `src/main.rs`).
pub fn read_crate(root_file: &Path) -> Result<CrateGraph, String> {
    let mut graph = CrateGraph::default();
    let mut refs = Vec::new();
    read_file(root_file, true, Vec::new(), &mut graph, &mut refs)?;
    for (from, target, place) in refs {
        if let Some((a, b)) = sibling_edge(&graph.modules, &from, &target) {
            graph.edges.entry((a, b)).or_insert(place);
        }
    }
    Ok(graph)
}

/// A path reference found in module `from`, resolved to absolute segments.
type Ref = (ModPath, ModPath, String);

fn read_file(
    file: &Path,
    owns_dir: bool,
    path: ModPath,
    graph: &mut CrateGraph,
    refs: &mut Vec<Ref>,
) -> Result<(), String> {
    let text =
        std::fs::read_to_string(file).map_err(|e| format!("reading {}: {e}", file.display()))?;
    let ast = syn::parse_file(&text).map_err(|e| format!("parsing {}: {e}", file.display()))?;
    graph.modules.insert(path.clone(), file.to_path_buf());
    // Children of `foo.rs` live in `foo/`; children of `mod.rs`, `lib.rs`, `main.rs` beside it.
    let dir = if owns_dir {
        file.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        file.with_extension("")
    };
    read_items(&ast.items, file, &dir, path, graph, refs)
}

fn read_items(
    items: &[syn::Item],
    file: &Path,
    dir: &Path,
    path: ModPath,
    graph: &mut CrateGraph,
    refs: &mut Vec<Ref>,
) -> Result<(), String> {
    let mut collector = RefCollector {
        module: &path,
        file,
        found: Vec::new(),
    };
    for item in items {
        if is_cfg_test(item_attrs(item)) {
            continue;
        }
        match item {
            syn::Item::Mod(m) => {
                let mut child = path.clone();
                child.push(m.ident.to_string());
                match &m.content {
                    Some((_, inner)) => {
                        let inner_dir = dir.join(m.ident.to_string());
                        graph.modules.insert(child.clone(), file.to_path_buf());
                        read_items(inner, file, &inner_dir, child, graph, refs)?;
                    }
                    None => {
                        let name = m.ident.to_string();
                        let flat = dir.join(format!("{name}.rs"));
                        let nested = dir.join(&name).join("mod.rs");
                        if flat.exists() {
                            read_file(&flat, false, child, graph, refs)?;
                        } else if nested.exists() {
                            read_file(&nested, true, child, graph, refs)?;
                        } else {
                            return Err(format!("{}: no file for `mod {name}`", file.display()));
                        }
                    }
                }
            }
            other => collector.visit_item(other),
        }
    }
    refs.extend(collector.found);
    Ok(())
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Const(i) => &i.attrs,
        syn::Item::Enum(i) => &i.attrs,
        syn::Item::Fn(i) => &i.attrs,
        syn::Item::Impl(i) => &i.attrs,
        syn::Item::Mod(i) => &i.attrs,
        syn::Item::Static(i) => &i.attrs,
        syn::Item::Struct(i) => &i.attrs,
        syn::Item::Trait(i) => &i.attrs,
        syn::Item::Type(i) => &i.attrs,
        syn::Item::Use(i) => &i.attrs,
        _ => &[],
    }
}

/// Whether the attributes include `#[cfg(test)]` (alone; `cfg(all(test, ..))` counts too).
fn is_cfg_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<proc_macro2::TokenStream>()
                .map(|t| {
                    t.to_string()
                        .split(|c: char| !c.is_alphanumeric() && c != '_')
                        .any(|w| w == "test")
                })
                .unwrap_or(false)
    })
}

/// Collects `crate::`/`super::`/`self::` paths of one module (not of its child modules).
struct RefCollector<'a> {
    module: &'a ModPath,
    file: &'a Path,
    found: Vec<Ref>,
}

impl RefCollector<'_> {
    fn add(&mut self, segments: Vec<String>, line: usize) {
        if let Some(abs) = resolve(self.module, &segments) {
            let place = format!("{}:{line}", self.file.display());
            self.found.push((self.module.clone(), abs, place));
        }
    }
}

impl<'ast> Visit<'ast> for RefCollector<'_> {
    fn visit_item_mod(&mut self, _: &'ast syn::ItemMod) {
        // Nested modules are read on their own, with their own module path.
    }

    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {}

    fn visit_item_fn(&mut self, f: &'ast syn::ItemFn) {
        if !is_cfg_test(&f.attrs) {
            syn::visit::visit_item_fn(self, f);
        }
    }

    fn visit_impl_item_fn(&mut self, f: &'ast syn::ImplItemFn) {
        if !is_cfg_test(&f.attrs) {
            syn::visit::visit_impl_item_fn(self, f);
        }
    }

    fn visit_item_use(&mut self, u: &'ast syn::ItemUse) {
        let line = u.use_token.span.start().line;
        let mut paths = Vec::new();
        use_paths(&u.tree, Vec::new(), &mut paths);
        for p in paths {
            self.add(p, line);
        }
    }

    fn visit_path(&mut self, p: &'ast syn::Path) {
        let segments: Vec<String> = p.segments.iter().map(|s| s.ident.to_string()).collect();
        let line = p
            .segments
            .first()
            .map(|s| s.ident.span().start().line)
            .unwrap_or(0);
        self.add(segments, line);
        syn::visit::visit_path(self, p);
    }
}

/// Flattens a use tree into its paths (a group yields one path per leaf; `self` in a
/// group names the prefix itself).
fn use_paths(tree: &syn::UseTree, prefix: Vec<String>, out: &mut Vec<Vec<String>>) {
    let with = |name: String| {
        let mut p = prefix.clone();
        p.push(name);
        p
    };
    match tree {
        syn::UseTree::Path(p) => use_paths(&p.tree, with(p.ident.to_string()), out),
        syn::UseTree::Name(n) if n.ident == "self" => out.push(prefix),
        syn::UseTree::Name(n) => out.push(with(n.ident.to_string())),
        syn::UseTree::Rename(r) => out.push(with(r.ident.to_string())),
        syn::UseTree::Glob(_) => out.push(prefix),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                use_paths(t, prefix.clone(), out);
            }
        }
    }
}

/// Resolves a path used in `module` to absolute segments, if it is crate-relative.
fn resolve(module: &ModPath, segments: &[String]) -> Option<ModPath> {
    let first = segments.first()?;
    let (mut base, rest) = match first.as_str() {
        "crate" => (Vec::new(), &segments[1..]),
        "self" => (module.clone(), &segments[1..]),
        "super" => {
            let mut base = module.clone();
            let mut i = 0;
            while segments.get(i).map(String::as_str) == Some("super") {
                base.pop()?;
                i += 1;
            }
            (base, &segments[i..])
        }
        _ => return None,
    };
    base.extend(rest.iter().cloned());
    Some(base)
}

/// The sibling edge a reference from `from` to `target` makes, if any.
fn sibling_edge(
    modules: &BTreeMap<ModPath, PathBuf>,
    from: &ModPath,
    target: &ModPath,
) -> Option<(ModPath, ModPath)> {
    // The module the target names: its longest prefix that is a module.
    let to = (0..=target.len())
        .rev()
        .map(|n| target[..n].to_vec())
        .find(|p| modules.contains_key(p))?;
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    if common == from.len() || common == to.len() {
        return None; // an ancestor, a descendant or itself
    }
    Some((from[..=common].to_vec(), to[..=common].to_vec()))
}

/// Every cycle among siblings: the strongly connected components with more than one
/// module, each sorted.
pub fn cycles(graph: &CrateGraph) -> Vec<BTreeSet<ModPath>> {
    let nodes: BTreeSet<&ModPath> = graph.edges.keys().flat_map(|(a, b)| [a, b]).collect();
    let reach = |start: &ModPath| -> BTreeSet<ModPath> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![start.clone()];
        while let Some(n) = stack.pop() {
            for (a, b) in graph.edges.keys() {
                if *a == n && seen.insert(b.clone()) {
                    stack.push(b.clone());
                }
            }
        }
        seen
    };
    let reachable: BTreeMap<&ModPath, BTreeSet<ModPath>> =
        nodes.iter().map(|n| (*n, reach(n))).collect();
    let mut out: Vec<BTreeSet<ModPath>> = Vec::new();
    for n in &nodes {
        let component: BTreeSet<ModPath> = nodes
            .iter()
            .filter(|m| reachable[*n].contains(**m) && reachable[**m].contains(*n))
            .map(|m| (*m).clone())
            .collect();
        if component.len() > 1 && !out.contains(&component) {
            out.push(component);
        }
    }
    out
}

/// The workspace crates to check: each member directory with `src/lib.rs` or `src/main.rs`.
pub fn workspace_crates(root: &Path) -> Vec<(String, PathBuf)> {
    let mut crates = Vec::new();
    let Ok(entries) = std::fs::read_dir(root) else {
        return crates;
    };
    let mut dirs: Vec<PathBuf> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
    dirs.sort();
    for dir in dirs {
        if !dir.join("Cargo.toml").exists() || dir.file_name().is_some_and(|n| n == "fuzz") {
            continue;
        }
        for root_file in ["src/lib.rs", "src/main.rs"] {
            let file = dir.join(root_file);
            if file.exists() {
                let name = dir
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                crates.push((name, file));
            }
        }
    }
    crates
}

/// `a::b` for a module path (`crate` for the root).
pub fn display(path: &ModPath) -> String {
    if path.is_empty() {
        "crate".to_owned()
    } else {
        path.join("::")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Writes a small crate under a fresh temp dir and returns its `src/lib.rs`.
    fn write_crate(tag: &str, files: &[(&str, &str)]) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("xtask-modgraph-{tag}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        for (path, text) in files {
            let path = dir.join("src").join(path);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(path, text).expect("write");
        }
        dir.join("src/lib.rs")
    }

    fn names(graph: &CrateGraph) -> Vec<String> {
        cycles(graph)
            .iter()
            .map(|c| c.iter().map(display).collect::<Vec<_>>().join(" "))
            .collect()
    }

    #[test]
    fn a_cycle_between_siblings_is_found_at_any_depth() {
        let lib = write_crate(
            "cycle",
            &[
                ("lib.rs", "mod outer;\nmod shared;\n"),
                ("outer.rs", "mod a;\nmod b;\nuse crate::shared::X;\n"),
                ("outer/a.rs", "use super::b::{self, B};\n"),
                ("outer/b.rs", "fn f() { crate::outer::a::g(); }\n"),
                ("shared.rs", "pub struct X;\n"),
            ],
        );
        let graph = read_crate(&lib).expect("reads");
        assert_eq!(names(&graph), vec!["outer::a outer::b"]);
        // outer -> shared is an edge but no cycle.
        assert!(
            graph
                .edges
                .contains_key(&(vec!["outer".into()], vec!["shared".into()]))
        );
    }

    #[test]
    fn parents_children_and_test_code_make_no_edges() {
        let lib = write_crate(
            "clean",
            &[
                ("lib.rs", "mod a;\nmod b;\npub use a::A;\n"),
                (
                    "a.rs",
                    "pub struct A;\nuse crate::b::B;\n#[cfg(test)]\nmod tests { use crate::b::B; }\n",
                ),
                (
                    "b.rs",
                    "pub struct B;\nuse super::A as _;\n#[cfg(test)]\nfn t() { crate::a::A; }\n",
                ),
            ],
        );
        let graph = read_crate(&lib).expect("reads");
        assert!(names(&graph).is_empty(), "{:?}", graph.edges);
        assert_eq!(graph.edges.len(), 1, "{:?}", graph.edges);
    }

    #[test]
    fn a_missing_module_file_is_an_error() {
        let lib = write_crate("missing", &[("lib.rs", "mod gone;\n")]);
        let err = read_crate(&lib).unwrap_err();
        assert!(err.ends_with("no file for `mod gone`"), "{err}");
    }
}

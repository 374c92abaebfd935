//! Explanations: any result as a derivation tree of formulas, values, units, statuses and sources.
//!
//! The tree is read off the graph itself, so an explanation can never disagree with the number it
//! explains. Named intermediate results become tree nodes; unnamed operations are folded into the
//! formula of the nearest named result above them.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use crate::graph::{Graph, NodeId, Op};
use crate::quantity::fmt_num;

/// A bibliography entry, as shown in explanations.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SourceRef {
    /// Key in the bibliography.
    pub key: String,
    /// Title of the publication or dataset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Its year.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub year: Option<i32>,
    /// Where to find it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Licence of the place the number was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<String>,
}

/// One node of a derivation tree.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Explanation {
    /// Node index in the graph (repeated nodes share it).
    pub id: u32,
    /// Human name.
    pub name: String,
    /// Central value.
    pub value: f64,
    /// Unit.
    pub unit: String,
    /// Lower bound, when sampled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub low: Option<f64>,
    /// Upper bound, when sampled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub high: Option<f64>,
    /// input, default, database, fuzzy-match, measured, derived or estimated.
    pub status: String,
    /// How the value is computed from the children (derived nodes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formula: Option<String>,
    /// The input's uncertainty (leaves).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uncertainty: Option<String>,
    /// Where the input comes from (leaves and parameters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceRef>,
    /// Comment: which row, which estimation step, which assumption.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// True when this node was already explained above in the tree (its children are omitted).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub repeated: bool,
    /// The inputs of the formula.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Explanation>,
}

impl Explanation {
    /// Visits every node of the tree, depth first.
    pub fn walk(&self, f: &mut impl FnMut(&Explanation)) {
        f(self);
        for c in &self.children {
            c.walk(f);
        }
    }
}

/// What an explanation needs besides the graph.
pub struct ExplainContext<'a> {
    /// Central value of every node.
    pub values: &'a [f64],
    /// Bounds of a node, when sampled.
    pub bounds: &'a dyn Fn(NodeId) -> Option<(f64, f64)>,
    /// Looks a source key up in the bibliography.
    pub sources: &'a dyn Fn(&str) -> Option<SourceRef>,
    /// Description and source of each parameter (by parameter key).
    pub param_notes: &'a dyn Fn(&str) -> Option<String>,
}

/// The derivation tree of `root`.
pub fn explain(graph: &Graph, root: NodeId, cx: &ExplainContext<'_>) -> Explanation {
    let mut seen = HashSet::new();
    node(graph, root, cx, &mut seen)
}

fn is_named(graph: &Graph, id: NodeId) -> bool {
    graph.label_of(id).is_some() || matches!(graph.op(id), Op::Leaf(_) | Op::Param(_))
}

fn node(
    graph: &Graph,
    id: NodeId,
    cx: &ExplainContext<'_>,
    seen: &mut HashSet<u32>,
) -> Explanation {
    let value = cx.values[id.index()];
    let bounds = (cx.bounds)(id);
    let repeated = !seen.insert(id.0);
    let mut e = Explanation {
        id: id.0,
        name: String::new(),
        value,
        unit: String::new(),
        low: bounds.map(|b| b.0),
        high: bounds.map(|b| b.1),
        status: "derived".into(),
        formula: None,
        uncertainty: None,
        source: None,
        note: None,
        repeated,
        children: Vec::new(),
    };
    match graph.op(id) {
        Op::Leaf(l) => {
            let leaf = &graph.leaves()[l as usize];
            let q = &leaf.quantity;
            e.name = leaf.name.clone();
            e.unit = q.unit.clone();
            e.status = q.provenance.status.as_str().into();
            e.uncertainty = Some(q.dist.describe(q.value));
            let mut src = (cx.sources)(&q.provenance.source).unwrap_or(SourceRef {
                key: q.provenance.source.clone(),
                title: None,
                year: None,
                url: None,
                licence: None,
            });
            if q.provenance.year.is_some() {
                src.year = q.provenance.year;
            }
            if q.provenance.licence.is_some() {
                src.licence = q.provenance.licence.clone();
            }
            e.source = Some(src);
            e.note = q.provenance.note.clone();
            return e;
        }
        Op::Param(p) => {
            let param = &graph.params()[p as usize];
            e.name = param.name.clone();
            e.unit = param.unit.clone();
            e.status = "input".into();
            e.source = Some(SourceRef {
                key: "user".into(),
                title: Some("Value of the request".into()),
                year: None,
                url: None,
                licence: None,
            });
            e.note = (cx.param_notes)(&param.key);
            return e;
        }
        _ => {}
    }
    let label = graph.label_of(id).cloned();
    e.name = label
        .as_ref()
        .map(|l| l.name.clone())
        .unwrap_or_else(|| format!("node {}", id.0));
    e.unit = label.as_ref().map(|l| l.unit.clone()).unwrap_or_default();
    e.note = label.and_then(|l| l.note);
    e.formula = Some(render_root(graph, id));
    if repeated {
        return e;
    }
    let mut kids = Vec::new();
    collect_children(graph, id, true, &mut kids, &mut HashSet::new());
    e.children = kids.into_iter().map(|k| node(graph, k, cx, seen)).collect();
    e
}

fn collect_children(
    graph: &Graph,
    id: NodeId,
    root: bool,
    out: &mut Vec<NodeId>,
    visited: &mut HashSet<u32>,
) {
    if !root && is_named(graph, id) {
        if visited.insert(id.0) {
            out.push(id);
        }
        return;
    }
    for o in graph.op(id).operands() {
        if matches!(graph.op(o), Op::Const(_)) {
            continue;
        }
        collect_children(graph, o, false, out, visited);
    }
}

/// The formula of a node in terms of its named inputs.
pub fn render_root(graph: &Graph, id: NodeId) -> String {
    match graph.op(id) {
        Op::Alias(a) => render(graph, a, false).0,
        _ => render(graph, id, true).0,
    }
}

fn render(graph: &Graph, id: NodeId, root: bool) -> (String, u8) {
    if !root && is_named(graph, id) {
        let name = match graph.op(id) {
            Op::Leaf(l) => graph.leaves()[l as usize].name.clone(),
            Op::Param(p) => graph.params()[p as usize].name.clone(),
            _ => graph
                .label_of(id)
                .map(|l| l.name.clone())
                .unwrap_or_default(),
        };
        return (name, 9);
    }
    let bin = |a: NodeId, b: NodeId, sym: &str, prec: u8, right_strict: bool| {
        let (sa, pa) = render(graph, a, false);
        let (sb, pb) = render(graph, b, false);
        let la = if pa < prec { format!("({sa})") } else { sa };
        let rb = if pb < prec || (right_strict && pb == prec) {
            format!("({sb})")
        } else {
            sb
        };
        (format!("{la} {sym} {rb}"), prec)
    };
    match graph.op(id) {
        Op::Const(c) => (fmt_num(c), 9),
        Op::Leaf(_) | Op::Param(_) => (format!("node {}", id.0), 9),
        Op::Add(a, b) => bin(a, b, "+", 1, false),
        Op::Sub(a, b) => bin(a, b, "−", 1, true),
        Op::Mul(a, b) => bin(a, b, "×", 2, false),
        Op::Div(a, b) => bin(a, b, "/", 2, true),
        Op::Pow(a, b) => bin(a, b, "^", 3, true),
        Op::Min(a, b) => (
            format!(
                "min({}, {})",
                render(graph, a, false).0,
                render(graph, b, false).0
            ),
            9,
        ),
        Op::Max(a, b) => (
            format!(
                "max({}, {})",
                render(graph, a, false).0,
                render(graph, b, false).0
            ),
            9,
        ),
        Op::Ln(a) => (format!("ln({})", render(graph, a, false).0), 9),
        Op::Alias(a) => render(graph, a, false),
    }
}

/// Renders an explanation as an indented text tree.
pub fn to_text(e: &Explanation, fmt_value: &dyn Fn(f64, &str) -> String) -> String {
    let mut out = String::new();
    text_node(e, "", true, true, fmt_value, &mut out);
    out
}

fn text_node(
    e: &Explanation,
    prefix: &str,
    last: bool,
    root: bool,
    fmt_value: &dyn Fn(f64, &str) -> String,
    out: &mut String,
) {
    let (branch, child_prefix) = if root {
        (String::new(), String::new())
    } else if last {
        (format!("{prefix}└─ "), format!("{prefix}   "))
    } else {
        (format!("{prefix}├─ "), format!("{prefix}│  "))
    };
    let mut line = format!("{branch}{} = {}", e.name, fmt_value(e.value, &e.unit));
    if let (Some(lo), Some(hi)) = (e.low, e.high) {
        if lo != hi {
            line.push_str(&format!(
                " [{} – {}]",
                fmt_value(lo, &e.unit),
                fmt_value(hi, &e.unit)
            ));
        }
    }
    line.push_str(&format!("  ({})", e.status));
    out.push_str(&line);
    out.push('\n');
    let detail_prefix = if root {
        String::new()
    } else {
        child_prefix.clone()
    };
    let bar = if e.children.is_empty() || e.repeated {
        "   "
    } else {
        "│  "
    };
    if let Some(f) = &e.formula {
        if !e.repeated {
            out.push_str(&format!("{detail_prefix}{bar}= {f}\n"));
        } else {
            out.push_str(&format!("{detail_prefix}{bar}(explained above)\n"));
        }
    }
    if let Some(s) = &e.source {
        let mut src = format!("source: {}", s.key);
        if let Some(t) = &s.title {
            src.push_str(&format!(" — {t}"));
        }
        if let Some(y) = s.year {
            src.push_str(&format!(" ({y})"));
        }
        if let Some(l) = &s.licence {
            src.push_str(&format!(" [{l}]"));
        }
        out.push_str(&format!("{detail_prefix}{bar}{src}\n"));
    }
    if let Some(u) = &e.uncertainty {
        out.push_str(&format!("{detail_prefix}{bar}uncertainty: {u}\n"));
    }
    if let Some(n) = &e.note {
        out.push_str(&format!("{detail_prefix}{bar}note: {n}\n"));
    }
    if e.repeated {
        return;
    }
    let n = e.children.len();
    for (i, c) in e.children.iter().enumerate() {
        text_node(c, &child_prefix, i + 1 == n, false, fmt_value, out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::{Provenance, Quantity, Status};

    #[test]
    fn formula_and_children_come_from_the_graph() {
        let mut g = Graph::new();
        let f = g.leaf(
            "f",
            "die factor",
            Quantity::fixed(
                19.7,
                "g/mm2",
                Provenance::new(Status::Database, "boavizta-2024"),
            ),
        );
        let a = g.leaf(
            "a",
            "die area",
            Quantity::fixed(100.0, "mm2", Provenance::input("given")),
        );
        let b = g.leaf(
            "b",
            "base",
            Quantity::fixed(
                9140.0,
                "g",
                Provenance::new(Status::Database, "boavizta-2024"),
            ),
        );
        let fa = g.mul(f, a);
        let e = g.add(fa, b);
        let e = g.label(e, "CPU embodied", "g");
        let values = g.eval_central(&[]);
        let none = |_: NodeId| None;
        let src = |k: &str| {
            Some(SourceRef {
                key: k.into(),
                title: Some("t".into()),
                year: None,
                url: None,
                licence: None,
            })
        };
        let notes = |_: &str| None;
        let cx = ExplainContext {
            values: &values,
            bounds: &none,
            sources: &src,
            param_notes: &notes,
        };
        let x = explain(&g, e, &cx);
        assert_eq!(x.formula.as_deref(), Some("die factor × die area + base"));
        // 19.7 × 100 + 9140 = 11110 (hand calculation).
        assert_eq!(x.value, 11110.0);
        let names: Vec<_> = x.children.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["die factor", "die area", "base"]);
        assert!(x.children.iter().all(|c| c.source.is_some()));
        let text = to_text(&x, &|v, u| format!("{v} {u}"));
        assert!(text.contains("CPU embodied = 11110 g"));
        assert!(text.contains("source: boavizta-2024"));
    }

    #[test]
    fn parentheses_follow_precedence() {
        let mut g = Graph::new();
        let p = |n: &str| Quantity::fixed(1.0, "1", Provenance::new(Status::Default, n));
        let a = g.leaf("a", "a", p("x"));
        let b = g.leaf("b", "b", p("x"));
        let c = g.leaf("c", "c", p("x"));
        let s = g.add(a, b);
        let m = g.mul(s, c);
        assert_eq!(render_root(&g, m), "(a + b) × c");
        let d = g.sub(a, s);
        assert_eq!(render_root(&g, d), "a − (a + b)");
        let q = g.div(a, m);
        assert_eq!(render_root(&g, q), "a / ((a + b) × c)");
    }
}

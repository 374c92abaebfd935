//! A derivation tree (the API's `explanation`) as nested `<details>`: each node's name, value and
//! unit in its summary, its source and note beside, its parts inside. Text is escaped here.

use std::fmt::Write as _;

use impacts_model::readable::sig3;

use crate::escape;

/// A node of a derivation.
#[derive(Clone, Debug, Default)]
pub struct Node {
    /// What it is (`CPU die impact factor (gwp)`).
    pub name: String,
    /// Its value.
    pub value: f64,
    /// Its unit.
    pub unit: String,
    /// The operation that makes it from its parts (`×`, `+`), if any.
    pub op: String,
    /// Where the value comes from (a source's title and year), for a leaf.
    pub source: String,
    /// A note.
    pub note: String,
    /// Its parts.
    pub children: Vec<Node>,
}

/// The most nodes drawn (a derivation has a few hundred): beyond, the API's JSON has the rest.
const MAX_NODES: usize = 2000;

/// The tree as HTML.
pub fn html(root: &Node) -> String {
    let mut out = String::new();
    let mut budget = MAX_NODES;
    write_node(&mut out, root, &mut budget, true);
    out
}

fn write_node(out: &mut String, n: &Node, budget: &mut usize, open: bool) {
    if *budget == 0 {
        return;
    }
    *budget -= 1;
    let label = format!("{}: {} {}", escape(&n.name), sig3(n.value), escape(&n.unit));
    let mut extra = String::new();
    if !n.op.is_empty() {
        let _ = write!(extra, r#" <span class="muted">({})</span>"#, escape(&n.op));
    }
    if !n.source.is_empty() {
        let _ = write!(
            extra,
            r#" <span class="muted">— {}</span>"#,
            escape(&n.source)
        );
    }
    if !n.note.is_empty() {
        let _ = write!(
            extra,
            r#" <span class="muted">({})</span>"#,
            escape(&n.note)
        );
    }
    if n.children.is_empty() {
        let _ = write!(out, "<div class=\"leaf\">{label}{extra}</div>");
        return;
    }
    let _ = write!(
        out,
        "<details{}><summary>{label}{extra}</summary>",
        if open { " open" } else { "" }
    );
    for c in &n.children {
        write_node(out, c, budget, false);
    }
    out.push_str("</details>");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_nest_and_text_is_escaped() {
        let tree = Node {
            name: "total <gwp>".into(),
            value: 1234.5,
            unit: "gCO2eq".into(),
            op: "+".into(),
            children: vec![
                Node {
                    name: "a".into(),
                    value: 1000.0,
                    unit: "gCO2eq".into(),
                    source: "Boavizta & co".into(),
                    ..Node::default()
                },
                Node {
                    name: "b".into(),
                    value: 234.5,
                    unit: "gCO2eq".into(),
                    ..Node::default()
                },
            ],
            ..Node::default()
        };
        let h = html(&tree);
        assert!(
            h.starts_with("<details open><summary>total &lt;gwp&gt;: 1234 gCO2eq"),
            "{h}"
        );
        assert_eq!(h.matches("<div class=\"leaf\">").count(), 2);
        assert!(h.contains("Boavizta &amp; co"));
        assert!(h.ends_with("</details>"));
    }
}

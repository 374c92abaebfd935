//! The dashboard's pages (docs/dashboard.md): what a page shows, as plain data the service fills
//! from its API's answers, rendered to HTML by askama templates (`templates/`, compiled into the
//! binary, HTML-escaped by default) with charts drawn as SVG on the server. This crate draws; it
//! neither queries nor decides who may see what: the service does, with the API's rules.

#![warn(missing_docs)]

pub mod chart;
mod page;
pub mod tree;
pub mod warnings;

pub use page::{
    BenchLine, BenchPage, BenchTree, CenterPage, Chrome, CompareLine, Comparison, EstimatePage,
    EstimateResult, Figure, GroupLine, GroupTable, History, Home, JobLine, JobPage, JobTable, Link,
    LoginPage, MeasuredLine, MethodPage, PhaseRow, SeriesTable, ServerForm, Share, TreeBranch,
    TreeLeaf, TreeTwig, WarningLine, WhatIf, CSS, PHASES,
};

/// Escapes text for HTML (and SVG): `&`, `<`, `>`, `"` and `'`.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn markup_is_escaped() {
        assert_eq!(
            super::escape(r#"<a href="x">'&'</a>"#),
            "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;"
        );
    }
}

//! The documentation lists what the code does: every warning code raised anywhere is in
//! docs/warnings.md.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The first string literal after each `Warning::new(`, `.warn(` and, in the accounting crate,
/// `.note(` and `.add(` (counted warnings), in the I/O crate `warn(&mut warnings,`, in the
/// benchmarks crate `warnings.add(`, of the sources.
fn warning_codes() -> Vec<String> {
    let mut files = Vec::new();
    for c in std::fs::read_dir(root().join("crates")).unwrap() {
        let src = c.unwrap().path().join("src");
        if src.is_dir() {
            rust_files(&src, &mut files);
        }
    }
    let mut codes = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        let accounting = f
            .components()
            .any(|c| c.as_os_str() == "impacts-accounting");
        let io = f.components().any(|c| c.as_os_str() == "impacts-io");
        let bench = f.components().any(|c| c.as_os_str() == "impacts-bench");
        let pats: &[&str] = if accounting {
            &["Warning::new(", ".warn(", "issues.note(", "issues.add("]
        } else if io {
            &["Warning::new(", ".warn(", "&mut warnings,"]
        } else if bench {
            &["warnings.add("]
        } else {
            &["Warning::new(", ".warn("]
        };
        for pat in pats {
            let mut rest = text.as_str();
            while let Some(i) = rest.find(pat) {
                rest = &rest[i + pat.len()..];
                let arg = rest.trim_start();
                if let Some(s) = arg.strip_prefix('"') {
                    if let Some(end) = s.find('"') {
                        codes.push(s[..end].to_string());
                    }
                }
            }
        }
    }
    codes.sort();
    codes.dedup();
    codes
}

#[test]
fn every_warning_code_is_documented() {
    let doc = std::fs::read_to_string(root().join("docs/warnings.md")).unwrap();
    let codes = warning_codes();
    assert!(codes.len() >= 25, "found {codes:?}");
    for c in &codes {
        assert!(c.contains('.') && !c.contains(' '), "not a code: {c}");
        assert!(
            doc.contains(&format!("`{c}`")),
            "docs/warnings.md does not list `{c}`"
        );
    }
}

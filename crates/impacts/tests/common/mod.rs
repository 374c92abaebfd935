//! Helpers shared by the integration tests.

#![allow(dead_code)]

use std::path::PathBuf;

/// The project's `shared/` folder (`../shared` from the repository root), if present.
///
/// A test that needs it calls this and returns early when it is absent, after printing a notice;
/// with `CI=true` an absent folder is a failure.
pub fn shared_dir() -> Option<PathBuf> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let candidates = [
        std::env::var_os("IMPACTS_SHARED").map(PathBuf::from),
        Some(root.join("../shared")),
    ];
    for c in candidates.into_iter().flatten() {
        if c.is_dir() {
            return Some(c);
        }
    }
    if std::env::var("CI").as_deref() == Ok("true") {
        panic!("the shared data folder (../shared from the repository root) is absent, and CI=true requires it");
    }
    eprintln!("notice: ../shared is absent; skipping a test that needs the shared data");
    None
}

/// Relative difference |a − b| / |b|.
pub fn rel(a: f64, b: f64) -> f64 {
    if b == 0.0 {
        a.abs()
    } else {
        ((a - b) / b).abs()
    }
}

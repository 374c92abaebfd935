//! Workflow files on arbitrary text: `Workflow::parse` returns a workflow or an error, never a
//! panic. The file is named in a folder that does not exist, so that the center files,
//! accounting files and series it names by relative path are not found (absolute ones are read).
//!
//!   cargo fuzz run workflow_toml fuzz/corpus/workflow_toml   (fuzz/seed.sh fills the corpus)

#![no_main]

use impacts_workflow::Workflow;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(w) = Workflow::parse("/nonexistent-impacts-fuzz/workflow.toml", text) {
        for s in &w.stages {
            let _ = s.kind.as_str();
        }
    }
});

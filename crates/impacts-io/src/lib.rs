//! I/O behaviour of a job from its Darshan log (docs/io.md): volumes per module and file system,
//! operations, access sizes, time, files, ranks, metadata load, when in the run the job reads and
//! writes, and whether it does so periodically; and summaries over many logs.

#![warn(missing_docs)]

pub mod characterize;
pub mod spectrum;
pub mod summary;
pub mod timeline;

pub use characterize::{characterize, IoReport, Warning};
pub use summary::{summarize, summarize_dir, Summary};

//! `impacts storage`: keeping data on a storage tier for years.

use impacts::{Engine, StorageRequest};

use super::{center_source, options, render_report, size_gb};
use crate::args::StorageArgs;
use crate::error::{CliError, Flags};

/// The flags of `impacts storage`, by the library's name of what they give.
pub const FLAGS: Flags = &[
    ("volume_tb", "VOLUME"),
    ("years", "--years"),
    ("center", "--center"),
    ("tier", "--tier"),
    ("media", "--media"),
    ("zone", "--zone"),
    ("redundancy", "--redundancy"),
    ("pue", "--pue"),
];

/// Runs `impacts storage` (or `impacts explain storage`).
pub fn run(engine: &Engine, a: &StorageArgs, explain: bool) -> Result<String, CliError> {
    let req = StorageRequest {
        volume_tb: size_gb("volume_tb", &a.volume)? / 1000.0,
        years: a.years,
        center: a.center.as_deref().map(center_source).transpose()?,
        tier: a.tier.clone(),
        media: a.media.clone(),
        zone: a.zone.clone(),
        redundancy: a.redundancy,
        pue: a.pue,
    };
    let r = engine.storage(&req, &options(&a.common, explain)?)?;
    render_report(&r, &a.common, explain)
}

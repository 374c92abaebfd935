//! `impacts transfer`: moving data over wide-area networks between two zones.

use impacts::{Engine, TransferRequest};

use super::{options, render_report, size_gb};
use crate::args::TransferArgs;
use crate::error::{CliError, Flags};

/// The flags of `impacts transfer`, by the library's name of what they give.
pub const FLAGS: Flags = &[
    ("volume_gb", "VOLUME"),
    ("from", "--from"),
    ("to", "--to"),
    ("factor", "--factor"),
];

/// Runs `impacts transfer` (or `impacts explain transfer`).
pub fn run(engine: &Engine, a: &TransferArgs, explain: bool) -> Result<String, CliError> {
    let factor = match (&a.factor, a.kwh_per_gb) {
        (Some(_), Some(_)) => {
            return Err(CliError::usage("give --factor or --kwh-per-gb, not both"))
        }
        (f, None) => f.clone(),
        (None, Some(x)) => Some(format!("{x}")),
    };
    let req = TransferRequest {
        volume_gb: size_gb("volume_gb", &a.volume)?,
        from: a.from.clone(),
        to: a.to.clone(),
        factor,
    };
    let r = engine.transfer(&req, &options(&a.common, explain)?)?;
    render_report(&r, &a.common, explain)
}

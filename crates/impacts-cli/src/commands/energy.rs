//! `impacts energy`: the impacts of an amount of electricity in a zone.

use impacts::{EnergyRequest, Engine};

use super::{energy_kwh, options, render_report};
use crate::args::EnergyArgs;
use crate::error::{CliError, Flags};

/// The flags of `impacts energy`, by the library's name of what they give.
pub const FLAGS: Flags = &[("energy_kwh", "AMOUNT"), ("zone", "--zone")];

/// Runs `impacts energy` (or `impacts explain energy`).
pub fn run(engine: &Engine, a: &EnergyArgs, explain: bool) -> Result<String, CliError> {
    let req = EnergyRequest {
        energy_kwh: energy_kwh("energy_kwh", &a.amount)?,
        zone: a.zone.clone(),
    };
    let r = engine.energy(&req, &options(&a.common, explain)?)?;
    render_report(&r, &a.common, explain)
}

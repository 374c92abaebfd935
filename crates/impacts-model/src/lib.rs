//! The life-cycle model of `impacts`.
//!
//! The model turns a description of hardware, a facility and a job into three indicators
//! (climate change in gCO2eq, mineral resource depletion in gSbeq, primary energy in MJ) over the
//! manufacturing and use of the equipment. It does no I/O: the data bundle, center files and
//! user requests are read by other crates and arrive here as plain specifications.
//!
//! The flow:
//!
//! 1. Specifications ([`hardware::ServerSpec`], [`job::CenterSpec`], ...) carry every number as an
//!    [`builder::Input`]: a [`quantity::Quantity`] (central value, [`quantity::Dist`]ribution,
//!    unit, [`quantity::Provenance`]) with a key that identifies the unknown.
//! 2. A [`builder::Builder`] turns them into a [`graph::Graph`] of operations, once per
//!    configuration ([`job::job_model`], [`hardware::server`], [`electricity::energy_model`]).
//! 3. The graph is evaluated three ways, from the same formulas: point estimates by a compiled
//!    [`eval::Plan`] (millions of jobs per second), distributions by [`eval::MonteCarlo`] with one
//!    draw per input and sample, and derivation trees by [`explain::explain`].
//!
//! ```
//! use impacts_model::builder::{Builder, Input};
//! use impacts_model::criteria::{Constants, Criteria};
//! use impacts_model::eval::Plan;
//! use impacts_model::quantity::{Provenance, Quantity, Status};
//!
//! // One kWh costs 98 gCO2eq: the impact of `kwh` is kwh × 98.
//! let criteria = Criteria::standard();
//! let constants = Constants::new();
//! let mut b = Builder::new(&criteria, &constants);
//! let kwh = b.graph.param("kwh", "electricity", "kWh");
//! let factor = b.input(&Input::new(
//!     "zone:FRA:gwp",
//!     "electricity factor",
//!     Quantity::fixed(98.0, "gCO2eq/kWh", Provenance::new(Status::Database, "applied-energy-2021")),
//! ));
//! let gwp = b.graph.mul(kwh, factor);
//! let (graph, _warnings) = b.finish();
//! let plan = Plan::new(&graph, &[gwp]);
//! let mut eval = plan.evaluator();
//! let mut out = [0.0];
//! eval.eval(&[1000.0], &mut out);
//! assert_eq!(out[0], 98_000.0);
//! ```

#![warn(missing_docs)]

pub mod builder;
pub mod calendar;
pub mod criteria;
pub mod electricity;
pub mod eval;
pub mod explain;
pub mod fit;
pub mod graph;
pub mod hardware;
pub mod job;
pub mod layout;
pub mod quantity;
pub mod readable;
pub mod report;
pub mod rng;

/// Errors of model construction.
#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ModelError {
    /// The method's constants lack a value the model needs.
    #[error("the data bundle defines no constant `{0}`, which the model needs")]
    MissingConstant(String),
    /// A specification is inconsistent.
    #[error("{0}")]
    Invalid(String),
}

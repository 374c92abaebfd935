//! The pages' data and templates.

use askama::Template;

/// The dashboard's style sheet (inline in each page: nothing else to fetch).
pub const CSS: &str = include_str!("../assets/app.css");

/// A criterion's total: its title, the value and bounds as read (scaled), and the API's raw
/// numbers (kept in `data-` attributes: what the browser tests compare with the API).
#[derive(Clone, Debug)]
pub struct Figure {
    /// The criterion's key (`gwp`).
    pub key: String,
    /// Its title (`Climate change`).
    pub title: String,
    /// The value with its unit, scaled (`27.4 kgCO2eq`).
    pub value: String,
    /// The bounds, scaled like the value (`16.5 – 34.0`), empty without bounds.
    pub bounds: String,
    /// The API's value.
    pub raw: f64,
}

/// A row of a group table (a partition, an account, a month).
#[derive(Clone, Debug)]
pub struct GroupLine {
    /// The group's key.
    pub key: String,
    /// Its jobs.
    pub jobs: u64,
    /// Its climate change, scaled, with bounds where computed.
    pub gwp: String,
    /// The API's value of its climate change.
    pub raw: f64,
    /// Its share of the total's climate change, in percent (`12.3 %`).
    pub share: String,
    /// The share of its climate change in each phase of [`PHASES`], in percent.
    pub phases: Vec<String>,
}

/// The life-cycle phases a page splits a footprint into, in the API's order.
pub const PHASES: [&str; 4] = ["manufacturing", "use", "idle", "facility"];

/// A table of groups and where its numbers come from.
#[derive(Clone, Debug)]
pub struct GroupTable {
    /// The dimension (`partition`: the table's `data-table`).
    pub name: String,
    /// Its section's heading (`By partition`).
    pub heading: String,
    /// The first column's title (`Partition`).
    pub title: String,
    /// A caption (empty for none).
    pub caption: String,
    /// Its rows.
    pub rows: Vec<GroupLine>,
    /// The API call that gave them, as JSON and as CSV.
    pub json: String,
    /// See `json`.
    pub csv: String,
}

impl GroupTable {
    fn phases(&self) -> [&'static str; 4] {
        PHASES
    }
}

/// A list of jobs and the API call that gave it (JSON and CSV).
#[derive(Clone, Debug)]
pub struct JobTable {
    /// `data-table` (`latest`, `largest`).
    pub name: String,
    /// Its section's heading.
    pub heading: String,
    /// A caption (empty for none).
    pub caption: String,
    /// The jobs.
    pub rows: Vec<JobLine>,
    /// The API call, as JSON.
    pub json: String,
    /// The API call, as CSV.
    pub csv: String,
}

/// A share of the total spent in some jobs.
#[derive(Clone, Debug)]
pub struct Share {
    /// Jobs.
    pub jobs: u64,
    /// Their climate change, scaled.
    pub gwp: String,
    /// Its share of the total, in percent.
    pub percent: String,
}

/// A link: its text and target (a URL of the service).
#[derive(Clone, Debug)]
pub struct Link {
    /// Text.
    pub text: String,
    /// Target.
    pub href: String,
}

/// What every page shows around its content: who looks, what they see, the method.
#[derive(Clone, Debug)]
pub struct Chrome {
    /// Who is looking (`alice`, or `alice (administrator)`).
    pub viewer: String,
    /// What they see (`your jobs and those of accounts proj1, proj2`, `every job`).
    pub scope: String,
    /// The method.
    pub method: String,
    /// The data bundle's hash.
    pub data_bundle: String,
    /// The width of the bounds' interval (`95 %`).
    pub interval: String,
    /// The viewer is an administrator (the center's page is theirs).
    pub admin: bool,
}

impl Chrome {
    fn css(&self) -> &'static str {
        CSS
    }
}

/// A job in a list: its id, link, partition, state, start and climate change.
#[derive(Clone, Debug)]
pub struct JobLine {
    /// The job id.
    pub id: String,
    /// Its page.
    pub href: String,
    /// Partition.
    pub partition: String,
    /// Final state.
    pub state: String,
    /// Start (UTC, to the minute).
    pub start: String,
    /// Climate change, scaled.
    pub gwp: String,
    /// The API's value of its climate change.
    pub raw: f64,
}

/// *My footprint*: the totals of the jobs a caller may see over a period, by month, partition
/// and account, and the share spent in jobs that did not succeed.
#[derive(Clone, Debug, Template)]
#[template(path = "home.html")]
pub struct Home {
    /// Around the page.
    pub chrome: Chrome,
    /// The period, in words (`2024-01 to 2024-06`, `everything the service holds`).
    pub period: String,
    /// The period's bounds as given (`YYYY-MM` or a date), for the form.
    pub from: String,
    /// See `from`.
    pub to: String,
    /// Shortcuts to other periods.
    pub periods: Vec<Link>,
    /// Jobs in the period.
    pub jobs: u64,
    /// Jobs with an estimate.
    pub jobs_estimated: u64,
    /// The electricity of their nodes with the facility's overhead, scaled.
    pub energy: String,
    /// The three criteria.
    pub totals: Vec<Figure>,
    /// The bars by month, stacked by phase (SVG, built by [`crate::chart::bars`], escaped
    /// there).
    pub months_chart: String,
    /// By month, partition, account.
    pub tables: Vec<GroupTable>,
    /// Spent in failed, cancelled, timed-out… jobs.
    pub unsuccessful: Option<Share>,
    /// Energy measured by the scheduler beside the model's, per partition.
    pub measured: Vec<MeasuredLine>,
    /// The largest and the latest jobs of the period.
    pub jobs_tables: Vec<JobTable>,
}

/// A partition's energy per node-hour, measured by the scheduler and modelled.
#[derive(Clone, Debug)]
pub struct MeasuredLine {
    /// The partition.
    pub partition: String,
    /// Jobs with measured energy.
    pub jobs: u64,
    /// Their energy (kWh, scaled).
    pub energy: String,
    /// Measured power per node (W), three figures.
    pub measured_w: String,
    /// Modelled power per node (W) of the other jobs, three figures (`–` when none).
    pub modelled_w: String,
    /// The measured power per node (W), unrounded.
    pub raw_measured_w: f64,
}

/// A page's HTML (the templates are checked when the crate is built: rendering only writes
/// strings).
fn html(page: &impl Template) -> String {
    page.render()
        .unwrap_or_else(|e| format!("<!doctype html><title>error</title><p>{e}</p>"))
}

impl Home {
    /// The page's HTML.
    pub fn html(&self) -> String {
        html(self)
    }
}

/// A warning of a job: its code and what it means (docs/warnings.md).
#[derive(Clone, Debug)]
pub struct WarningLine {
    /// The stable code.
    pub code: String,
    /// When it is raised, in words.
    pub meaning: String,
    /// What to do.
    pub action: String,
}

/// A row of the phases table: the phase and its value per criterion, scaled.
#[derive(Clone, Debug)]
pub struct PhaseRow {
    /// Phase.
    pub phase: String,
    /// One cell per criterion, in the totals' order.
    pub cells: Vec<String>,
}

/// *A job*: its numbers, phases, inputs, warnings in words and the derivation of each total.
#[derive(Clone, Debug, Template)]
#[template(path = "job.html")]
pub struct JobPage {
    /// Around the page.
    pub chrome: Chrome,
    /// The job's id (and cluster).
    pub title: String,
    /// What was estimated: (label, value) in reading order.
    pub facts: Vec<(String, String)>,
    /// The criteria's totals.
    pub totals: Vec<Figure>,
    /// The criteria's titles, for the phases table's header.
    pub criteria: Vec<String>,
    /// By phase.
    pub phases: Vec<PhaseRow>,
    /// Energies: (label, value).
    pub energy: Vec<(String, String)>,
    /// Warnings, explained.
    pub warnings: Vec<WarningLine>,
    /// The derivation of each criterion's total (HTML from [`crate::tree::html`]).
    pub derivations: Vec<(String, String)>,
    /// The API call of the page (JSON).
    pub api: String,
    /// The what-if panel.
    pub what_if: WhatIf,
}

/// The what-if panel of a job: its form (the job's own values by default) and, when asked, the
/// job recomputed beside the job changed, both through the estimate API.
#[derive(Clone, Debug)]
pub struct WhatIf {
    /// The center's partitions.
    pub partitions: Vec<String>,
    /// The electricity zones: (code, name).
    pub zones: Vec<(String, String)>,
    /// The form's values: partition, zone (empty: the center's), load, PUE (empty: the
    /// center's), hours.
    pub partition: String,
    /// See `partition`.
    pub zone: String,
    /// See `partition`.
    pub load: String,
    /// See `partition`.
    pub pue: String,
    /// See `partition`.
    pub hours: String,
    /// The comparison, when asked.
    pub result: Option<Comparison>,
}

/// A request estimated twice: as the job was, and changed.
#[derive(Clone, Debug)]
pub struct Comparison {
    /// Per criterion: the two values and the change.
    pub rows: Vec<CompareLine>,
    /// The changed job's warnings.
    pub warnings: Vec<WarningLine>,
    /// The changed request to the API (a `curl` line).
    pub api: String,
}

/// A criterion in a comparison.
#[derive(Clone, Debug)]
pub struct CompareLine {
    /// The criterion's key.
    pub key: String,
    /// Its title.
    pub title: String,
    /// The job as it was, scaled.
    pub base: String,
    /// The job changed, scaled.
    pub changed: String,
    /// The change in percent (`−12.3 %`).
    pub change: String,
    /// The API's values: as it was, changed.
    pub raw_base: f64,
    /// See `raw_base`.
    pub raw_changed: f64,
}

impl JobPage {
    /// The page's HTML.
    pub fn html(&self) -> String {
        html(self)
    }
}

/// *Estimate*: a job of the service's center as a form, and the estimate asked.
#[derive(Clone, Debug, Template)]
#[template(path = "estimate.html")]
pub struct EstimatePage {
    /// Around the page.
    pub chrome: Chrome,
    /// The center's name.
    pub center: String,
    /// Its partitions, for the form.
    pub partitions: Vec<String>,
    /// The server form: its values as asked, and the bundle's processors and accelerators.
    pub server: ServerForm,
    /// The form's values as asked: partition, nodes, hours, load.
    pub partition: String,
    /// See `partition`.
    pub nodes: String,
    /// See `partition`.
    pub hours: String,
    /// See `partition`.
    pub load: String,
    /// The estimate, when asked.
    pub result: Option<EstimateResult>,
}

/// The server form of `/estimate`: a server of the bundle's components.
#[derive(Clone, Debug, Default)]
pub struct ServerForm {
    /// Processor model, and how many.
    pub cpu: String,
    /// See `cpu`.
    pub cpus: String,
    /// Accelerator model, and how many.
    pub gpu: String,
    /// See `gpu`.
    pub gpus: String,
    /// Memory (GB).
    pub ram_gb: String,
    /// SSDs: how many, and each one's capacity (GB).
    pub ssds: String,
    /// See `ssds`.
    pub ssd_gb: String,
    /// The bundle's processors and accelerators, for the fields' suggestions.
    pub cpu_names: Vec<String>,
    /// See `cpu_names`.
    pub gpu_names: Vec<String>,
    /// The estimate asked.
    pub result: Option<EstimateResult>,
}

/// What an estimate answered: the report, read.
#[derive(Clone, Debug)]
pub struct EstimateResult {
    /// What was estimated, in the engine's words.
    pub subject: String,
    /// The criteria's totals.
    pub totals: Vec<Figure>,
    /// The criteria's titles.
    pub criteria: Vec<String>,
    /// By phase.
    pub phases: Vec<PhaseRow>,
    /// Warnings, explained.
    pub warnings: Vec<WarningLine>,
    /// The same request to the API (a `curl` line).
    pub api: String,
}

impl EstimatePage {
    /// The page's HTML.
    pub fn html(&self) -> String {
        html(self)
    }
}

/// *The center* (administrators): every job's totals, by month, partition, account and user, and
/// how current the store is.
#[derive(Clone, Debug, Template)]
#[template(path = "center.html")]
pub struct CenterPage {
    /// Around the page.
    pub chrome: Chrome,
    /// The center's name.
    pub center: String,
    /// Jobs stored.
    pub jobs: u64,
    /// The criteria's totals.
    pub totals: Vec<Figure>,
    /// The bars by month, stacked by phase (SVG).
    pub months_chart: String,
    /// By partition, account, and the largest users.
    pub tables: Vec<GroupTable>,
    /// Energy measured by the scheduler beside the model's, per partition.
    pub measured: Vec<MeasuredLine>,
    /// The largest jobs.
    pub jobs_tables: Vec<JobTable>,
    /// How current the store is: (label, value).
    pub ingestion: Vec<(String, String)>,
}

impl CenterPage {
    /// The page's HTML.
    pub fn html(&self) -> String {
        html(self)
    }
}

/// *Benchmarks*: the stored benchmark runs the caller may see, the latest run of each use case
/// and the scaling series, each with its job's footprint.
#[derive(Clone, Debug, Template)]
#[template(path = "bench.html")]
pub struct BenchPage {
    /// Around the page.
    pub chrome: Chrome,
    /// The latest run of each use case.
    pub latest: Vec<BenchLine>,
    /// The scaling series.
    pub series: Vec<SeriesTable>,
    /// Use cases over time.
    pub histories: Vec<History>,
    /// Machines → applications → use cases, and applications → use cases → machines.
    pub trees: Vec<BenchTree>,
}

/// A tree of benchmark runs: three levels of names, each leaf its runs and the latest's value.
#[derive(Clone, Debug)]
pub struct BenchTree {
    /// What it is (`By machine`), and the names of its levels.
    pub title: String,
    /// An id for its heading.
    pub id: String,
    /// Its top level.
    pub branches: Vec<TreeBranch>,
}

/// A name and what is under it.
#[derive(Clone, Debug)]
pub struct TreeBranch {
    /// The name.
    pub name: String,
    /// Second-level branches.
    pub children: Vec<TreeTwig>,
}

/// A second-level name and its leaves.
#[derive(Clone, Debug)]
pub struct TreeTwig {
    /// The name.
    pub name: String,
    /// Its leaves.
    pub leaves: Vec<TreeLeaf>,
}

/// A leaf: its name, its runs, and its latest run's date, first value and climate change.
#[derive(Clone, Debug)]
pub struct TreeLeaf {
    /// The name.
    pub name: String,
    /// How many runs.
    pub runs: usize,
    /// The latest run's date, first value and climate change (`–` when not joined).
    pub latest: BenchLine,
}

/// A use case over time: its first variable, and its runs' climate change (SVG bars).
#[derive(Clone, Debug)]
pub struct History {
    /// The use case and machine.
    pub title: String,
    /// The variable's bars.
    pub values: String,
    /// The climate change's bars, when runs are joined to their jobs.
    pub gwp: Option<String>,
}

impl BenchPage {
    /// The page's HTML.
    pub fn html(&self) -> String {
        html(self)
    }
}

/// A benchmark run in a table.
#[derive(Clone, Debug)]
pub struct BenchLine {
    /// Its job id (or its name without one): the row's key.
    pub key: String,
    /// The test with its parameters.
    pub use_case: String,
    /// `system:partition+environ`.
    pub machine: String,
    /// Completion date.
    pub date: String,
    /// ReFrame's result.
    pub result: String,
    /// Its first value, with name and unit.
    pub value: String,
    /// Its job's energy, scaled.
    pub energy: String,
    /// Its job's climate change, scaled.
    pub gwp: String,
    /// The API's value of that climate change, when joined.
    pub raw_gwp: Option<f64>,
}

/// A scaling series: its title and its rows of cells (nodes first).
#[derive(Clone, Debug)]
pub struct SeriesTable {
    /// The series: use case, variable, unit and direction.
    pub title: String,
    /// A row per node count.
    pub rows: Vec<Vec<String>>,
}

/// *Sign in*: a token pasted into a form (for a service not behind the site's sign-in).
#[derive(Clone, Debug, Template)]
#[template(path = "login.html")]
pub struct LoginPage {
    /// Why the page is shown again (a token refused), empty at first.
    pub message: String,
}

impl LoginPage {
    fn css(&self) -> &'static str {
        CSS
    }

    /// The page's HTML.
    pub fn html(&self) -> String {
        html(self)
    }
}

/// *How the numbers are made*: the method, the data, the criteria, the bounds.
#[derive(Clone, Debug, Template)]
#[template(path = "method.html")]
pub struct MethodPage {
    /// Around the page.
    pub chrome: Chrome,
    /// The center's name and electricity zone.
    pub center: String,
    /// The data bundle's version.
    pub bundle_version: String,
    /// The criteria: (title, key, unit).
    pub criteria: Vec<(String, String, String)>,
    /// Monte Carlo samples of the summaries.
    pub samples: usize,
    /// Their seed.
    pub seed: u64,
    /// The percentiles of the bounds (`2.5 and 97.5`).
    pub percentiles: String,
}

impl MethodPage {
    /// The page's HTML.
    pub fn html(&self) -> String {
        html(self)
    }
}

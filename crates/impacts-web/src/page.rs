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

/// *My footprint*: the totals of the jobs a caller may see over a period, by month, partition
/// and account, and the share spent in jobs that did not succeed.
#[derive(Clone, Debug, Template)]
#[template(path = "home.html")]
pub struct Home {
    /// Who is looking (`alice`, or `alice (administrator)`).
    pub viewer: String,
    /// What they see (`your jobs and those of accounts proj1, proj2`, `every job`).
    pub scope: String,
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
    /// The width of the bounds' interval (`95 %`).
    pub interval: String,
    /// The three criteria.
    pub totals: Vec<Figure>,
    /// The bars by month (SVG, built by [`crate::chart::bars`], escaped there).
    pub months_chart: String,
    /// The same by month, as a table.
    pub months: Vec<GroupLine>,
    /// By partition.
    pub partitions: Vec<GroupLine>,
    /// By account.
    pub accounts: Vec<GroupLine>,
    /// Spent in failed, cancelled, timed-out… jobs.
    pub unsuccessful: Option<Share>,
    /// The API calls that gave the page's numbers (JSON).
    pub downloads: Vec<Link>,
    /// The method and the data bundle (its hash), for the footer.
    pub method: String,
    /// See `method`.
    pub data_bundle: String,
}

impl Home {
    /// The page's HTML.
    pub fn html(&self) -> String {
        // The template is checked when the crate is built; rendering only writes strings.
        self.render()
            .unwrap_or_else(|e| format!("<!doctype html><title>error</title><p>{e}</p>"))
    }

    fn css(&self) -> &'static str {
        CSS
    }
}

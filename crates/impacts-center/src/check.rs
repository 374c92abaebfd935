//! The checks every part of a center file shares: located errors, numbers with their range,
//! counts, bounds, time zones.

use std::ops::Range;

use impacts_data::{DataError, InputError, Location};
use impacts_model::quantity::{fmt_num, Dist, Provenance, Quantity, Status};
use toml::Spanned;

use crate::limits::Bounds;
use crate::raw::Value;
use crate::{data_error, CenterError};

/// The file being read: its name (for errors) and its text (for their lines and columns).
pub(crate) struct Cx<'a> {
    /// The file's name as errors give it.
    pub file: &'a str,
    /// Its content.
    pub text: &'a str,
}

impl Cx<'_> {
    /// Where byte `offset` of the file is.
    pub fn at(&self, offset: usize) -> Location {
        Location::in_text(self.file, self.text, offset)
    }

    /// An error about the value at `span`.
    pub fn err<T>(&self, span: Range<usize>, message: impl Into<String>) -> Result<T, CenterError> {
        Err(InputError::malformed(message).at(self.at(span.start)))
    }

    /// A data-layer error about the value at `span`, located where the value is.
    pub fn data_err(&self, span: Range<usize>, e: impl Into<DataError>) -> CenterError {
        data_error(self.at(span.start), e.into())
    }

    /// Refuses `x`, the value at `span` of the key `key`, outside `min..=max` (`min` `None`:
    /// only the maximum is said, the checks before this one have refused what is below):
    /// an error that names the key, the value as written and the bound.
    pub fn within(
        &self,
        span: Range<usize>,
        key: impl FnOnce() -> String,
        x: f64,
        min: Option<f64>,
        max: f64,
        what: &str,
    ) -> Result<(), CenterError> {
        if (min.unwrap_or(f64::NEG_INFINITY)..=max).contains(&x) {
            return Ok(());
        }
        let written = self.text.get(span.clone()).unwrap_or_default().trim();
        let value = if written.is_empty() || written.starts_with(['{', '[']) {
            fmt_num(x)
        } else {
            written.trim_matches('"').to_string()
        };
        let expected = match min {
            Some(min) => format!("between {} and {} {what}", grouped(min), grouped(max)),
            None => format!("at most {} {what}", grouped(max)),
        };
        Err(InputError::invalid(key(), value, expected).at(self.at(span.start)))
    }

    /// [`Cx::within`] for a number that only has a maximum.
    pub fn at_most(
        &self,
        span: Range<usize>,
        key: impl FnOnce() -> String,
        x: f64,
        max: f64,
        what: &str,
    ) -> Result<(), CenterError> {
        self.within(span, key, x, None, max, what)
    }
}

/// A bound as the error and the documentation write it: integers from 10,000 with thousands
/// separators (`10,000,000`), other numbers as Rust prints them (`0.001`).
fn grouped(x: f64) -> String {
    if x.fract() != 0.0 || x.abs() < 10_000.0 || x.abs() >= 1e15 {
        return x.to_string();
    }
    let digits = format!("{}", x.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    if x < 0.0 {
        out.insert(0, '-');
    }
    out
}

/// A number of the file with its unit, within `bounds` (its low and high too), as a quantity:
/// fixed, or triangular or uniform between the bounds it gives; its source the file's unless it
/// names one.
pub(crate) fn quantity_of(
    cx: &Cx<'_>,
    v: &Spanned<Value>,
    what: &str,
    unit: &str,
    bounds: Bounds,
    default_source: &str,
) -> Result<Quantity, CenterError> {
    let x = v.get_ref();
    let Bounds { min, max } = bounds;
    let ok = |n: f64| n.is_finite() && n >= min && n <= max;
    if !x.numbers().all(ok) {
        return cx.err(
            v.span(),
            format!(
                "{what} must be between {} and {}",
                fmt_num(min),
                fmt_num(max)
            ),
        );
    }
    let dist = match (x.low, x.high) {
        (None, None) => Dist::Fixed,
        (Some(l), Some(h)) if l <= x.value && x.value <= h => match x.dist.as_deref() {
            None | Some("triangular") => Dist::Triangular { low: l, high: h },
            Some("uniform") => Dist::Uniform { low: l, high: h },
            Some(other) => {
                return cx.err(
                    v.span(),
                    format!(
                        "unknown distribution `{other}` for {what}: expected triangular or uniform"
                    ),
                )
            }
        },
        _ => {
            return cx.err(
                v.span(),
                format!("{what}: give both low and high, with low <= value <= high"),
            )
        }
    };
    let prov = Provenance::new(
        Status::Input,
        x.source
            .clone()
            .unwrap_or_else(|| default_source.to_string()),
    )
    .with_note(
        x.note
            .clone()
            .unwrap_or_else(|| format!("{what} from the center file {}", cx.file)),
    );
    Ok(Quantity::with_dist(x.value, dist, unit, prov))
}

/// A count of the file: a positive integer (non-negative with `allow_zero`).
pub(crate) fn positive_int(
    cx: &Cx<'_>,
    v: &Spanned<i64>,
    what: &str,
    allow_zero: bool,
) -> Result<u64, CenterError> {
    let n = *v.get_ref();
    if n < 0 || (!allow_zero && n == 0) {
        return cx.err(
            v.span(),
            format!(
                "{what} must be a {} integer, found {n}",
                if allow_zero {
                    "non-negative"
                } else {
                    "positive"
                }
            ),
        );
    }
    Ok(n as u64)
}

/// An IANA time zone name of the file, checked against the bundled time-zone database.
pub(crate) fn check_time_zone(cx: &Cx<'_>, tz: &Spanned<String>) -> Result<String, CenterError> {
    match jiff::tz::TimeZone::get(tz.get_ref()) {
        Ok(_) => Ok(tz.get_ref().clone()),
        Err(_) => Err(InputError::unknown(
            "time_zone",
            tz.get_ref(),
            "an IANA time zone such as Europe/Paris or UTC",
        )
        .at(cx.at(tz.span().start))),
    }
}

//! What a benchmark run is, whatever ReFrame wrote it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// One test case run once: its machine, job, parameters and performance values.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Run {
    /// The test, without its parameters (`SleepBench`, ReFrame 3's full test name).
    pub test: String,
    /// The application, when a tag named it ([`crate::tag_applications`]); otherwise it is
    /// derived from the test ([`crate::scaling::application`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub application: Option<String>,
    /// The name ReFrame shows (`SleepBench %size=2`).
    pub display_name: String,
    /// The system.
    pub system: String,
    /// The partition.
    pub partition: String,
    /// The programming environment.
    pub environ: String,
    /// The scheduler's job id.
    pub jobid: Option<String>,
    /// Completion time, UTC seconds (RFC 3339 in JSON).
    #[serde(serialize_with = "rfc3339", deserialize_with = "from_rfc3339")]
    pub time: Option<i64>,
    /// The nodes the job ran on.
    pub nodelist: Vec<String>,
    /// Tasks.
    pub num_tasks: Option<u64>,
    /// How long it ran, seconds, as ReFrame timed it (a run report's `time_run`), when known.
    pub run_seconds: Option<f64>,
    /// Parameters and other facts of the test (`size=2`, `num_nodes=8`), sorted.
    pub params: BTreeMap<String, String>,
    /// Tags (ReFrame's, and bare words of a ReFrame 3 perflog's extra field).
    pub tags: Vec<String>,
    /// `pass` or `fail`, when known.
    pub result: Option<String>,
    /// Its performance values.
    pub perf: Vec<PerfValue>,
    /// Where it was read: `file:line` or `file#testcase`.
    pub source: String,
}

/// A performance variable's value, with ReFrame's reference and relative thresholds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PerfValue {
    /// Its name.
    pub name: String,
    /// The value.
    pub value: f64,
    /// Its unit (empty when none).
    pub unit: String,
    /// The reference, when given.
    pub reference: Option<f64>,
    /// Lower threshold, relative to the reference (`-0.1`: 10 % below), when given.
    pub lower: Option<f64>,
    /// Upper threshold, relative to the reference, when given.
    pub upper: Option<f64>,
    /// ReFrame's verdict on it (`pass`, `fail`), when written.
    pub result: Option<String>,
}

/// A time as RFC 3339 in UTC, or null.
fn rfc3339<S: serde::Serializer>(t: &Option<i64>, s: S) -> Result<S::Ok, S::Error> {
    match t.and_then(|t| jiff::Timestamp::from_second(t).ok()) {
        Some(ts) => s.collect_str(&ts),
        None => s.serialize_none(),
    }
}

/// A time written by [`rfc3339`], read back.
fn from_rfc3339<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    text.map(|t| {
        t.parse::<jiff::Timestamp>()
            .map(|ts| ts.as_second())
            .map_err(serde::de::Error::custom)
    })
    .transpose()
}

impl PerfValue {
    /// ReFrame's band for the value, `(low, high)`, either side open when not given, as ReFrame
    /// computes it: the reference times `1 + threshold`, or `1 − threshold` for a negative
    /// reference (ReFrame's thresholds are relative to its magnitude); a bound of 0 is open, as
    /// in ReFrame. A zero reference carries no band (ReFrame writes 0 for "no reference").
    pub fn band(&self) -> (Option<f64>, Option<f64>) {
        let Some(r) = self.reference.filter(|r| *r != 0.0) else {
            return (None, None);
        };
        let bound = |t: f64| {
            let b = if r > 0.0 {
                r * (1.0 + t)
            } else {
                r * (1.0 - t)
            };
            (b != 0.0).then_some(b)
        };
        (self.lower.and_then(bound), self.upper.and_then(bound))
    }
}

impl Run {
    /// The machine: `system:partition`.
    pub fn machine(&self) -> String {
        format!("{}:{}", self.system, self.partition)
    }

    /// The nodes it ran on: the node list's length, else a `num_nodes` parameter.
    pub fn nodes(&self) -> Option<u64> {
        if !self.nodelist.is_empty() {
            return Some(self.nodelist.len() as u64);
        }
        self.params.get("num_nodes").and_then(|n| n.parse().ok())
    }

    /// Its use case in words: its parameters (`num_nodes=2 size=large`), or `(no parameters)`.
    pub fn use_case(&self) -> String {
        if self.params.is_empty() {
            return "(no parameters)".into();
        }
        let p: Vec<String> = self
            .params
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        p.join(" ")
    }

    /// What runs of the same use case share: test, machine, environment and parameters.
    pub fn case_key(&self) -> String {
        self.key_of(&self.test, &[])
    }

    /// `test @system:partition+environ k=v,…`, the parameters named in `leave_out` left out.
    pub fn key_of(&self, test: &str, leave_out: &[&str]) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .filter(|(k, _)| !leave_out.contains(&k.as_str()))
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        format!(
            "{test} @{}+{} {}",
            self.machine(),
            self.environ,
            params.join(",")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_band_is_relative_to_the_reference() {
        let v = PerfValue {
            reference: Some(100.0),
            lower: Some(-0.1),
            upper: Some(0.1),
            ..PerfValue::default()
        };
        let (l, h) = v.band();
        assert!((l.unwrap() - 90.0).abs() < 1e-9 && (h.unwrap() - 110.0).abs() < 1e-9);
        let none = PerfValue {
            reference: Some(0.0),
            lower: Some(-0.1),
            ..PerfValue::default()
        };
        assert_eq!(none.band(), (None, None));
        // A negative reference: ReFrame's band for -100 (l=-0.1, u=0.1) is [-110, -90].
        let negative = PerfValue {
            reference: Some(-100.0),
            lower: Some(-0.1),
            upper: Some(0.1),
            ..PerfValue::default()
        };
        let (l, h) = negative.band();
        assert!((l.unwrap() + 110.0).abs() < 1e-9 && (h.unwrap() + 90.0).abs() < 1e-9);
    }

    /// A run written as JSON and read back is the same run.
    #[test]
    fn runs_round_trip_through_json() {
        let mut run = Run {
            test: "T".into(),
            time: Some(1_700_000_000),
            perf: vec![PerfValue {
                name: "x".into(),
                value: 1.5,
                reference: Some(2.0),
                ..PerfValue::default()
            }],
            ..Run::default()
        };
        run.params.insert("n".into(), "2".into());
        let back: Run = serde_json::from_str(&serde_json::to_string(&run).unwrap()).unwrap();
        assert_eq!(back, run);
        let undated: Run = serde_json::from_str("{\"test\": \"T\", \"time\": null}").unwrap();
        assert_eq!(undated.time, None);
    }
}

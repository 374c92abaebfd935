//! Estimates asked as JSON, for every front end that is not the command line: the service's
//! `POST /api/v1/estimate/{kind}` and the Python package's `Engine` methods.
//!
//! A request is a JSON object: the library's request of its kind (`impacts::JobRequest`,
//! `ServerRequest`, `ComponentRequest`, `EnergyRequest`, `StorageRequest`, `TransferRequest`, or a
//! workflow), with the evaluation's options beside its fields (`samples`, `seed`, `method`,
//! `percentiles`, `explain`). A center is a bundled name (`"center": "jean-zay"`) or a center
//! file's text (`"center_file": "…"`). Fields the kind does not have are refused, naming them; a
//! value the library refuses is reported with the library's field. The answer is the report the
//! command line prints with `--format json` for the same request and seed.

use impacts::impacts_model::eval::Percentiles;
use impacts::{CenterSource, Engine, InputError, Options, Report};
use impacts_workflow::{Workflow, WorkflowReport};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// What can be estimated.
pub const KINDS: [&str; 7] = [
    "job",
    "server",
    "component",
    "energy",
    "storage",
    "transfer",
    "workflow",
];

/// The options a request may carry beside its fields.
pub const OPTIONS: [&str; 5] = ["samples", "seed", "method", "percentiles", "explain"];

/// Why a request was not answered.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// A kind that is not one of [`KINDS`].
    #[error("no estimate of kind {0}; kinds: {kinds}", kinds = KINDS.join(", "))]
    UnknownKind(String),
    /// A body that is not JSON.
    #[error("the body is not JSON: {0}")]
    Malformed(String),
    /// A request the library cannot answer as given: its field and what was expected.
    #[error(transparent)]
    Input(#[from] InputError),
    /// A failure that is not the request's (the data bundle, a bug).
    #[error(transparent)]
    Failed(impacts::Error),
    /// Another failure that is not the request's (an answer that could not be written).
    #[error("{0}")]
    Other(String),
}

impl From<impacts::Error> for RequestError {
    fn from(e: impacts::Error) -> RequestError {
        match e {
            impacts::Error::Input(i) => RequestError::Input(i),
            e => RequestError::Failed(e),
        }
    }
}

/// A value of an option that is not what it must be.
fn invalid(field: &str, value: &Value, expected: &str) -> RequestError {
    RequestError::Input(InputError::invalid(field, value.to_string(), expected))
}

/// A field the request's shape does not allow, with what it must be.
fn misplaced(field: &str, message: impl Into<String>) -> RequestError {
    RequestError::Input(InputError::malformed(message).for_field(field))
}

/// Takes the evaluation's options out of a body; the defaults of the command line otherwise.
fn options(body: &mut Map<String, Value>) -> Result<Options, RequestError> {
    let mut o = Options::default();
    for key in OPTIONS {
        let Some(v) = body.remove(key) else { continue };
        match key {
            "samples" => {
                o.samples = v
                    .as_u64()
                    .ok_or_else(|| invalid(key, &v, "a whole number"))?
                    as usize
            }
            "seed" => {
                o.seed = v
                    .as_u64()
                    .ok_or_else(|| invalid(key, &v, "a whole number"))?
            }
            "method" => {
                o.method = v
                    .as_str()
                    .ok_or_else(|| invalid(key, &v, "a method name"))?
                    .to_string()
            }
            "explain" => {
                o.explain = v
                    .as_bool()
                    .ok_or_else(|| invalid(key, &v, "true or false"))?
            }
            _ => {
                let pair = v
                    .as_array()
                    .filter(|a| a.len() == 2)
                    .and_then(|a| Some((a[0].as_f64()?, a[1].as_f64()?)))
                    .ok_or_else(|| invalid(key, &v, "[LOW, HIGH], e.g. [2.5, 97.5]"))?;
                o.percentiles = Percentiles {
                    low: pair.0,
                    high: pair.1,
                };
            }
        }
    }
    o.check()?;
    Ok(o)
}

/// `"center": "name"` and `"center_file": "TOML"` as the library's `CenterSource`.
fn center(body: &mut Map<String, Value>) -> Result<(), RequestError> {
    let file = body.remove("center_file");
    let source = match (body.remove("center"), file) {
        (Some(_), Some(_)) => {
            return Err(misplaced(
                "center",
                "give center (a bundled center) or center_file (a center file's text), not both",
            ))
        }
        (Some(Value::String(name)), None) => serde_json::json!({ "Bundled": name }),
        (None, Some(Value::String(text))) => {
            serde_json::json!({ "Text": { "label": "center_file", "text": text } })
        }
        (Some(v), None) => return Err(invalid("center", &v, "a name such as jean-zay")),
        (None, Some(v)) => return Err(invalid("center_file", &v, "a center file's text (TOML)")),
        (None, None) => return Ok(()),
    };
    body.insert("center".into(), source);
    Ok(())
}

/// Reads a request of type `T` from a body, naming the field at fault.
fn request<T: DeserializeOwned>(body: Map<String, Value>) -> Result<T, RequestError> {
    serde_path_to_error::deserialize(Value::Object(body)).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." { "body".into() } else { path };
        misplaced(&field, e.inner().to_string())
    })
}

/// Refuses fields the request type does not have (serde would ignore them silently).
fn known_fields(
    kind: &str,
    body: &Map<String, Value>,
    known: &[String],
) -> Result<(), RequestError> {
    match body.keys().find(|k| !known.contains(k)) {
        Some(k) => Err(misplaced(
            k,
            format!(
                "unknown field of a {kind} estimate; it takes {}, and {}",
                known.join(", "),
                OPTIONS.join(", ")
            ),
        )),
        None => Ok(()),
    }
}

/// The fields of a request type: those its default value serializes (so the list follows the
/// library's types).
fn fields_of<T: Default + serde::Serialize>() -> Vec<String> {
    match serde_json::to_value(T::default()) {
        Ok(Value::Object(m)) => m.keys().cloned().collect(),
        _ => Vec::new(),
    }
}

/// The fields a body of a kind may have (besides the options).
pub fn fields(kind: &str, body: &Map<String, Value>) -> Vec<String> {
    use impacts::impacts_data::resolve::{CpuQuery, GpuQuery, RamQuery, SsdQuery};
    let mut f = match kind {
        "job" => fields_of::<impacts::JobRequest>(),
        "server" => fields_of::<impacts::ServerRequest>(),
        "storage" => fields_of::<impacts::StorageRequest>(),
        "transfer" => fields_of::<impacts::TransferRequest>(),
        "energy" => vec!["energy_kwh".into(), "zone".into()],
        "workflow" => vec!["workflow".into()],
        _ => match body.get("component").and_then(Value::as_str) {
            Some("cpu") => fields_of::<CpuQuery>(),
            Some("gpu") => fields_of::<GpuQuery>(),
            Some("ram") => fields_of::<RamQuery>(),
            Some("ssd") => fields_of::<SsdQuery>(),
            Some("power-supply") => vec!["mass_kg".into()],
            _ => Vec::new(),
        },
    };
    if kind == "component" {
        f.push("component".into());
    }
    f
}

/// What an estimate gives: a report, or a workflow's.
#[derive(Debug)]
pub enum Output {
    /// The report of a job, server, component, energy, storage or transfer.
    Report(Box<Report>),
    /// The report of a workflow.
    Workflow(Box<WorkflowReport>),
}

impl Output {
    /// As the command line's `--format json` prints it: pretty, a final newline.
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        let mut text = match self {
            Output::Report(r) => serde_json::to_string_pretty(r),
            Output::Workflow(w) => serde_json::to_string_pretty(w),
        }?;
        text.push('\n');
        Ok(text)
    }

    /// As a JSON value (the same content as [`Output::to_json`]).
    pub fn to_value(&self) -> Result<Value, serde_json::Error> {
        match self {
            Output::Report(r) => serde_json::to_value(r),
            Output::Workflow(w) => serde_json::to_value(w),
        }
    }
}

/// A request read and checked: its options apart, ready to run.
#[derive(Clone, Debug)]
pub struct Estimate {
    kind: String,
    opts: Options,
    body: Map<String, Value>,
    /// A center given by the caller rather than by `center`/`center_file` (a file the Python
    /// package read for its user, labelled with its path).
    center: Option<CenterSource>,
}

impl Estimate {
    /// A request of a kind given as a JSON object.
    pub fn new(kind: &str, mut body: Map<String, Value>) -> Result<Estimate, RequestError> {
        if !KINDS.contains(&kind) {
            return Err(RequestError::UnknownKind(kind.to_string()));
        }
        let opts = options(&mut body)?;
        Ok(Estimate {
            kind: kind.to_string(),
            opts,
            body,
            center: None,
        })
    }

    /// A request of a kind given as JSON text (an object).
    pub fn from_json(kind: &str, text: &[u8]) -> Result<Estimate, RequestError> {
        if !KINDS.contains(&kind) {
            return Err(RequestError::UnknownKind(kind.to_string()));
        }
        let value: Value =
            serde_json::from_slice(text).map_err(|e| RequestError::Malformed(e.to_string()))?;
        let Value::Object(body) = value else {
            return Err(misplaced("body", "the body must be a JSON object"));
        };
        Estimate::new(kind, body)
    }

    /// The evaluation's options.
    pub fn options(&self) -> &Options {
        &self.opts
    }

    /// The evaluation's options, to change (a derivation asked after the fact).
    pub fn options_mut(&mut self) -> &mut Options {
        &mut self.opts
    }

    /// The center of the request, given as the library's source (replacing `center` and
    /// `center_file` of the body, which must then have neither).
    pub fn with_center(mut self, source: CenterSource) -> Result<Estimate, RequestError> {
        for key in ["center", "center_file"] {
            if self.body.contains_key(key) {
                return Err(misplaced(key, "the center is given otherwise"));
            }
        }
        self.center = Some(source);
        Ok(self)
    }

    /// Whether the estimate takes microseconds: no sampling, no derivation, no center file or
    /// workflow to read (a bundled center's models are kept by the engine).
    pub fn is_quick(&self) -> bool {
        self.opts.samples == 0
            && !self.opts.explain
            && self.kind != "workflow"
            && !self.body.contains_key("center_file")
    }

    /// Runs the estimate.
    pub fn run(self, engine: &Engine) -> Result<Output, RequestError> {
        let Estimate {
            kind,
            opts,
            mut body,
            center: source,
        } = self;
        if kind == "workflow" {
            known_fields(&kind, &body, &fields(&kind, &body))?;
            return workflow(engine, body, &opts).map(|w| Output::Workflow(Box::new(w)));
        }
        match source {
            Some(s) => {
                let v = serde_json::to_value(s).map_err(|e| misplaced("center", e.to_string()))?;
                body.insert("center".into(), v);
            }
            None => center(&mut body)?,
        }
        let known = fields(&kind, &body);
        if kind != "component" || known.len() > 1 {
            known_fields(&kind, &body, &known)?;
        }
        let report = match kind.as_str() {
            "job" => engine.job(&request(body)?, &opts),
            "server" => engine.server(&request(body)?, &opts),
            "component" => engine.component(&request(body)?, &opts),
            "energy" => engine.energy(&request(body)?, &opts),
            "storage" => engine.storage(&request(body)?, &opts),
            _ => engine.transfer(&request(body)?, &opts),
        }?;
        Ok(Output::Report(Box::new(report)))
    }
}

/// A workflow sent as `"workflow"`: the text of a workflow file (TOML), or the same as a JSON
/// object. It may name bundled centers only (the service reads no file for a client).
fn workflow(
    engine: &Engine,
    mut body: Map<String, Value>,
    opts: &Options,
) -> Result<WorkflowReport, RequestError> {
    let text = match body.remove("workflow") {
        Some(Value::String(text)) => text,
        Some(v @ Value::Object(_)) => toml::Value::try_from(v)
            .and_then(|t| toml::to_string(&t))
            .map_err(|e| misplaced("workflow", format!("not a workflow's table: {e}")))?,
        Some(v) => {
            return Err(invalid(
                "workflow",
                &v,
                "a workflow file's text (TOML) or the same as an object",
            ))
        }
        None => {
            return Err(RequestError::Input(InputError::missing(
                "workflow",
                "a workflow file's text (TOML) or the same as an object",
            )))
        }
    };
    let w = Workflow::parse_sent("workflow", &text)?;
    w.evaluate(engine, opts).map_err(|e| match e {
        impacts_workflow::Error::Stage { stage, source } => match source {
            impacts::Error::Input(i) => {
                let field = match i.field.as_deref() {
                    Some(f) => format!("workflow.stages.{stage}.{f}"),
                    None => format!("workflow.stages.{stage}"),
                };
                let message = format!("stage {stage}: {i}");
                RequestError::Input(InputError::malformed(message).for_field(field))
            }
            e => RequestError::Failed(e),
        },
        impacts_workflow::Error::File(e) => RequestError::Input(e.or_field("workflow")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(json: &str) -> Map<String, Value> {
        match serde_json::from_str(json).unwrap() {
            Value::Object(m) => m,
            _ => panic!("not an object"),
        }
    }

    fn field(e: RequestError) -> Option<String> {
        match e {
            RequestError::Input(i) => i.field,
            e => panic!("not an input error: {e}"),
        }
    }

    #[test]
    fn options_and_fields_are_checked_by_name() {
        let e = Estimate::new("energy", body(r#"{"energy_kwh": 1, "samples": -1}"#)).unwrap_err();
        assert_eq!(field(e).as_deref(), Some("samples"));
        let e = Estimate::new(
            "energy",
            body(r#"{"energy_kwh": 1, "zone": "FR", "colour": 1}"#),
        )
        .unwrap()
        .run(&Engine::new().unwrap())
        .unwrap_err();
        assert_eq!(field(e).as_deref(), Some("colour"));
        assert!(matches!(
            Estimate::new("teleport", Map::new()),
            Err(RequestError::UnknownKind(_))
        ));
        assert!(matches!(
            Estimate::from_json("energy", b"{not json"),
            Err(RequestError::Malformed(_))
        ));
    }

    #[test]
    fn quick_estimates_are_those_without_sampling_files_or_derivation() {
        let quick = |kind: &str, json: &str| Estimate::new(kind, body(json)).unwrap().is_quick();
        assert!(quick("job", r#"{"samples": 0}"#));
        assert!(!quick("job", r#"{}"#), "1,000 samples by default");
        assert!(!quick("job", r#"{"samples": 0, "explain": true}"#));
        assert!(!quick("job", r#"{"samples": 0, "center_file": "x"}"#));
        assert!(!quick("workflow", r#"{"samples": 0}"#));
    }
}

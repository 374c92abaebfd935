//! `POST /api/v1/estimate/{kind}`: the library's estimates over HTTP.
//!
//! The body is the library's request as JSON (`impacts::JobRequest`, `ServerRequest`,
//! `ComponentRequest`, `EnergyRequest`, `StorageRequest`, `TransferRequest`), with the evaluation's
//! options beside its fields: `samples`, `seed`, `method`, `percentiles` (`[2.5, 97.5]`),
//! `explain`. A center is a bundled name (`"center": "jean-zay"`) or a center file's text
//! (`"center_file": "…"`). The answer is the report, byte for byte what `impacts … --format json`
//! prints for the same request and seed.

use impacts::impacts_model::eval::Percentiles;
use impacts::{Engine, Options, Report};
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use crate::error::ApiError;

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

/// The options an estimate's body may carry beside the request's fields.
const OPTIONS: [&str; 5] = ["samples", "seed", "method", "percentiles", "explain"];

/// An error of a request's JSON at a field (422: the JSON is well-formed, a value is not).
fn unprocessable(field: &str, message: impl Into<String>) -> ApiError {
    ApiError {
        status: axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        code: "invalid_request",
        message: message.into(),
        field: Some(field.to_string()),
    }
}

/// Takes the evaluation's options out of a body; the defaults of the command line otherwise.
fn options(body: &mut Map<String, Value>) -> Result<Options, ApiError> {
    let mut o = Options {
        method: "default".into(),
        samples: 1000,
        seed: 0,
        percentiles: Percentiles::default(),
        explain: false,
        sensitivity: true,
    };
    for key in OPTIONS {
        let Some(v) = body.remove(key) else { continue };
        let bad = |what: &str| unprocessable(key, format!("`{key}` must be {what}"));
        match key {
            "samples" => o.samples = v.as_u64().ok_or_else(|| bad("a whole number"))? as usize,
            "seed" => o.seed = v.as_u64().ok_or_else(|| bad("a whole number"))?,
            "method" => o.method = v.as_str().ok_or_else(|| bad("a method name"))?.to_string(),
            "explain" => o.explain = v.as_bool().ok_or_else(|| bad("true or false"))?,
            _ => {
                let pair = v
                    .as_array()
                    .filter(|a| a.len() == 2)
                    .and_then(|a| Some((a[0].as_f64()?, a[1].as_f64()?)))
                    .ok_or_else(|| bad("[LOW, HIGH], e.g. [2.5, 97.5]"))?;
                o.percentiles = Percentiles {
                    low: pair.0,
                    high: pair.1,
                };
            }
        }
    }
    o.check().map_err(|e| input(&e))?;
    Ok(o)
}

/// A library input error as a 422 naming its field.
fn input(e: &impacts::InputError) -> ApiError {
    unprocessable(e.field.as_deref().unwrap_or("body"), e.to_string())
}

/// `"center": "name"` and `"center_file": "TOML"` as the library's `CenterSource`.
fn center(body: &mut Map<String, Value>) -> Result<(), ApiError> {
    let file = body.remove("center_file");
    let source = match (body.remove("center"), file) {
        (Some(_), Some(_)) => return Err(unprocessable(
            "center",
            "give `center` (a bundled center) or `center_file` (a center file's text), not both",
        )),
        (Some(Value::String(name)), None) => serde_json::json!({ "Bundled": name }),
        (None, Some(Value::String(text))) => {
            serde_json::json!({ "Text": { "label": "center_file", "text": text } })
        }
        (Some(_), None) => {
            return Err(unprocessable(
                "center",
                "`center` must be a name such as jean-zay",
            ))
        }
        (None, Some(_)) => {
            return Err(unprocessable(
                "center_file",
                "`center_file` must be a center file's text (TOML)",
            ))
        }
        (None, None) => return Ok(()),
    };
    body.insert("center".into(), source);
    Ok(())
}

/// Reads a request of type `T` from a body, naming the field at fault.
fn request<T: DeserializeOwned>(body: Map<String, Value>) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(Value::Object(body)).map_err(|e| {
        let path = e.path().to_string();
        let field = if path == "." {
            "body".to_string()
        } else {
            path
        };
        unprocessable(&field, e.inner().to_string())
    })
}

/// Refuses fields the request type does not have (serde would ignore them silently).
fn known_fields(kind: &str, body: &Map<String, Value>, known: &[String]) -> Result<(), ApiError> {
    match body.keys().find(|k| !known.contains(k)) {
        Some(k) => Err(unprocessable(
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

/// An estimate's body read and checked: its options apart, ready to run.
pub struct Prepared {
    kind: String,
    opts: Options,
    body: Map<String, Value>,
}

impl Prepared {
    /// Reads a body of a kind (an error names the field at fault).
    pub fn new(kind: &str, body: &[u8]) -> Result<Prepared, ApiError> {
        if !KINDS.contains(&kind) {
            return Err(ApiError::not_found(format!(
                "no estimate of kind {kind}; kinds: {}",
                KINDS.join(", ")
            )));
        }
        let value: Value = serde_json::from_slice(body).map_err(|e| ApiError {
            status: axum::http::StatusCode::BAD_REQUEST,
            code: "malformed_json",
            message: format!("the body is not JSON: {e}"),
            field: None,
        })?;
        let Value::Object(mut body) = value else {
            return Err(unprocessable("body", "the body must be a JSON object"));
        };
        let opts = options(&mut body)?;
        Ok(Prepared {
            kind: kind.to_string(),
            opts,
            body,
        })
    }

    /// Whether the estimate takes microseconds: no sampling, no derivation, no center file to
    /// read (a bundled center's models are kept by the engine). Those are answered on the
    /// server's own threads; the others on its blocking pool, a bounded number at once.
    pub fn is_quick(&self) -> bool {
        self.opts.samples == 0 && !self.opts.explain && !self.body.contains_key("center_file")
    }

    /// The report as the command line's JSON (pretty, a final newline).
    pub fn run(self, engine: &Engine) -> Result<String, ApiError> {
        let Prepared {
            kind,
            opts,
            mut body,
        } = self;
        center(&mut body)?;
        let known = fields(&kind, &body);
        if kind != "component" || known.len() > 1 {
            known_fields(&kind, &body, &known)?;
        }
        if kind == "workflow" {
            return workflow(engine, body, &opts);
        }
        let report: Report = match kind.as_str() {
            "job" => engine.job(&request(body)?, &opts),
            "server" => engine.server(&request(body)?, &opts),
            "component" => engine.component(&request(body)?, &opts),
            "energy" => engine.energy(&request(body)?, &opts),
            "storage" => engine.storage(&request(body)?, &opts),
            _ => engine.transfer(&request(body)?, &opts),
        }
        .map_err(|e| engine_error(&e))?;
        pretty(&report)
    }
}

/// A report as the command line's JSON: pretty, a final newline.
fn pretty<T: serde::Serialize>(report: &T) -> Result<String, ApiError> {
    let mut text = serde_json::to_string_pretty(report).map_err(ApiError::internal)?;
    text.push('\n');
    Ok(text)
}

/// An error of the engine: the input's (422, its field) or the service's (500).
fn engine_error(e: &impacts::Error) -> ApiError {
    match e {
        impacts::Error::Input(i) => input(i),
        e => ApiError::internal(e),
    }
}

/// A workflow sent as `"workflow"`: the text of a workflow file (TOML), or the same as a JSON
/// object. It may name bundled centers only (the service reads no file for a client). The
/// answer is what `impacts workflow FILE --format json` prints.
fn workflow(
    engine: &Engine,
    mut body: Map<String, Value>,
    opts: &Options,
) -> Result<String, ApiError> {
    let text = match body.remove("workflow") {
        Some(Value::String(text)) => text,
        Some(v @ Value::Object(_)) => {
            let table = toml::Value::try_from(v).map_err(|e| {
                unprocessable(
                    "workflow",
                    format!("the workflow cannot be a TOML table: {e}"),
                )
            })?;
            toml::to_string(&table).map_err(|e| {
                unprocessable(
                    "workflow",
                    format!("the workflow cannot be a TOML table: {e}"),
                )
            })?
        }
        _ => {
            return Err(unprocessable(
                "workflow",
                "`workflow` must be a workflow file's text (TOML) or the same as a JSON object",
            ))
        }
    };
    let w = impacts_workflow::Workflow::parse_sent("workflow", &text)
        .map_err(|e| unprocessable("workflow", e.to_string()))?;
    let report = w.evaluate(engine, opts).map_err(|e| match e {
        impacts_workflow::Error::Stage { stage, source } => match source {
            impacts::Error::Input(i) => {
                let field = match i.field.as_deref() {
                    Some(f) => format!("workflow.stages.{stage}.{f}"),
                    None => format!("workflow.stages.{stage}"),
                };
                unprocessable(&field, format!("stage {stage}: {i}"))
            }
            e => ApiError::internal(e),
        },
        impacts_workflow::Error::File(e) => unprocessable("workflow", e.to_string()),
    })?;
    pretty(&report)
}

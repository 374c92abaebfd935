//! The API's answers as CSV (`format=csv`): what a dashboard table shows, for a spreadsheet. The
//! columns follow `impacts accounting --format csv` where the two meet: a criterion is
//! `{key}_{unit}` with `{key}_low` and `{key}_high` beside it; a bound the API did not compute is
//! an empty cell, never the value repeated.

use serde_json::Value as Json;

/// The CSV of a summary (`GET /api/v1/summary`): a `total` row, a `phase` row per phase, then a
/// row per group (section: the dimension); the total and the groups carry each phase's central
/// values in the last columns.
pub fn summary(v: &Json) -> String {
    let total = &v["total"];
    let criteria = criteria(&total["impacts"]);
    let phases: Vec<String> = keys(&total["phases"]);
    let energy: Vec<String> = keys(&total["energy"]);
    let mut header: Vec<String> = ["section", "key", "jobs", "jobs_estimated"]
        .map(String::from)
        .to_vec();
    header.extend(["node_hours", "core_hours", "gpu_hours"].map(String::from));
    header.extend(energy.iter().cloned());
    header.extend(criterion_header(&criteria));
    for p in &phases {
        header.extend(criteria.iter().map(|(k, u)| format!("{p}_{k}_{u}")));
    }
    let mut w = Writer::new(&header);
    let row = |section: &str, key: &str, g: &Json, w: &mut Writer| {
        let mut r = vec![section.to_string(), key.to_string()];
        r.push(cell(&g["jobs"]));
        r.push(cell(&g["jobs_estimated"]));
        r.extend(["node_hours", "core_hours", "gpu_hours"].map(|u| cell(&g["usage"][u])));
        r.extend(energy.iter().map(|e| cell(&g["energy"][e])));
        r.extend(impacts_cells(&g["impacts"], &criteria));
        for p in &phases {
            r.extend(
                criteria
                    .iter()
                    .map(|(k, _)| cell(&g["phases"][p][k]["value"])),
            );
        }
        w.row(&r);
    };
    row("total", "all", total, &mut w);
    for p in &phases {
        let mut r = vec!["phase".to_string(), p.clone()];
        r.resize(
            header.len() - criteria.len() * (3 + phases.len()),
            String::new(),
        );
        r.extend(impacts_cells(&total["phases"][p], &criteria));
        r.resize(header.len(), String::new());
        w.row(&r);
    }
    let section = v["group_by"].as_str().unwrap_or("group");
    for g in v["groups"].as_array().into_iter().flatten() {
        row(section, g["key"].as_str().unwrap_or(""), g, &mut w);
    }
    w.finish()
}

/// The CSV of a page of jobs (`GET /api/v1/jobs`): a row per job, its description, energy,
/// impacts with bounds (empty where not computed) and warnings (`;`-separated codes).
pub fn jobs(v: &Json) -> String {
    let list = v["jobs"].as_array().map(Vec::as_slice).unwrap_or(&[]);
    let first_estimated = list.iter().find(|j| j["impacts"].is_object());
    let criteria = first_estimated.map_or_else(Vec::new, |j| criteria(&j["impacts"]));
    let energy = first_estimated.map_or_else(Vec::new, |j| keys(&j["energy"]));
    let description = impacts_store::json::DESCRIPTION;
    let mut header: Vec<String> = description.map(String::from).to_vec();
    header.extend(energy.iter().cloned());
    header.extend(criterion_header(&criteria));
    header.push("warnings".into());
    let mut w = Writer::new(&header);
    for j in list {
        let mut r: Vec<String> = description.iter().map(|d| cell(&j[*d])).collect();
        r.extend(energy.iter().map(|e| cell(&j["energy"][e])));
        r.extend(impacts_cells(&j["impacts"], &criteria));
        let warnings: Vec<&str> = j["warnings"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
            .collect();
        r.push(warnings.join(";"));
        w.row(&r);
    }
    w.finish()
}

/// The criteria of an impacts object, in its order: (key, unit).
fn criteria(impacts: &Json) -> Vec<(String, String)> {
    impacts
        .as_object()
        .into_iter()
        .flatten()
        .map(|(k, e)| (k.clone(), e["unit"].as_str().unwrap_or("").to_string()))
        .collect()
}

fn keys(v: &Json) -> Vec<String> {
    v.as_object()
        .into_iter()
        .flatten()
        .map(|(k, _)| k.clone())
        .collect()
}

fn criterion_header(criteria: &[(String, String)]) -> Vec<String> {
    criteria
        .iter()
        .flat_map(|(k, u)| [format!("{k}_{u}"), format!("{k}_low"), format!("{k}_high")])
        .collect()
}

fn impacts_cells(impacts: &Json, criteria: &[(String, String)]) -> Vec<String> {
    criteria
        .iter()
        .flat_map(|(k, _)| ["value", "low", "high"].map(|b| cell(&impacts[k][b])))
        .collect()
}

/// A cell: a number as JSON writes it (shortest round trip), a text as it is, null empty.
fn cell(v: &Json) -> String {
    match v {
        Json::Null => String::new(),
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Rows written with the `csv` crate's quoting (a key with a comma or a quote stays one cell).
struct Writer(csv::Writer<Vec<u8>>);

impl Writer {
    fn new(header: &[String]) -> Writer {
        let mut w = Writer(csv::Writer::from_writer(Vec::new()));
        w.row(header);
        w
    }

    fn row(&mut self, cells: &[String]) {
        // Writing into memory cannot fail.
        let _ = self.0.write_record(cells);
    }

    fn finish(self) -> String {
        let bytes = self.0.into_inner().unwrap_or_default();
        String::from_utf8(bytes).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// A summary of one group: the total row, one phase row and the group, by column name.
    #[test]
    fn a_summary_is_a_row_per_total_phase_and_group() {
        let e = |v: f64, b: Option<(f64, f64)>| json!({"value": v, "low": b.map(|b| b.0), "high": b.map(|b| b.1), "unit": "gCO2eq"});
        let v = json!({
            "group_by": "account",
            "total": {"jobs": 2, "jobs_estimated": 2, "usage": {"node_hours": 3.0},
                      "energy": {"energy_kwh": 1.5}, "impacts": {"gwp": e(10.0, Some((8.0, 12.0)))},
                      "phases": {"use": {"gwp": e(10.0, Some((8.0, 12.0)))}}},
            "groups": [{"key": "a,\"b\"", "jobs": 2, "jobs_estimated": 2, "usage": {},
                        "energy": {"energy_kwh": 1.5}, "impacts": {"gwp": e(10.0, None)},
                        "phases": {"use": {"gwp": e(10.0, None)}}}],
        });
        let text = summary(&v);
        let mut r = csv::Reader::from_reader(text.as_bytes());
        let header: Vec<String> = r.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header,
            [
                "section",
                "key",
                "jobs",
                "jobs_estimated",
                "node_hours",
                "core_hours",
                "gpu_hours",
                "energy_kwh",
                "gwp_gCO2eq",
                "gwp_low",
                "gwp_high",
                "use_gwp_gCO2eq"
            ]
        );
        let rows: Vec<Vec<String>> = r
            .records()
            .map(|x| x.unwrap().iter().map(String::from).collect())
            .collect();
        assert_eq!(
            rows[0],
            ["total", "all", "2", "2", "3.0", "", "", "1.5", "10.0", "8.0", "12.0", "10.0"]
        );
        assert_eq!(
            rows[1],
            ["phase", "use", "", "", "", "", "", "", "10.0", "8.0", "12.0", ""]
        );
        // The group's bounds were not computed: empty, not the value; the key stays one cell.
        assert_eq!(
            rows[2],
            ["account", "a,\"b\"", "2", "2", "", "", "", "1.5", "10.0", "", "", "10.0"]
        );
    }

    #[test]
    fn jobs_without_an_estimate_have_empty_impacts() {
        let v = json!({"jobs": [
            {"job_id": "1", "state": "COMPLETED", "energy": {"energy_kwh": 2.0},
             "impacts": {"pe": {"value": 3.0, "low": null, "high": null, "unit": "MJ"}},
             "warnings": ["a.b", "c.d"]},
            {"job_id": "2", "state": "PENDING", "energy": null, "impacts": null, "warnings": []}
        ]});
        let text = jobs(&v);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].ends_with("energy_source,energy_kwh,pe_MJ,pe_low,pe_high,warnings"));
        assert!(lines[1].starts_with("1,,,,,COMPLETED,"), "{}", lines[1]);
        assert!(lines[1].ends_with(",2.0,3.0,,,a.b;c.d"), "{}", lines[1]);
        assert!(lines[2].ends_with(",,,,,"), "{}", lines[2]);
    }
}

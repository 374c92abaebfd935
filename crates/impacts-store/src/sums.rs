//! Sums per month of the rows a batch writes (the `job_sums` table of migration 2, and
//! `job_sums_user` of migration 5): a batch adds each row it inserts, takes out the old values of
//! each row it replaces and adds the new, and writes the differences once per key, not once per
//! row.
//!
//! The key is computed here as the migrations' triggers compute it for rows deleted by hand:
//! the month of the job's date (its start, else its end; UTC seconds at the first of the month,
//! -1 without a date), three texts ('' when absent: account, partition and state in `job_sums`;
//! user, account and partition in `job_sums_user`), and the bucket (-1 when the job was not
//! estimated, and for the loads of an estimator separable in load).

use std::collections::HashMap;

use crate::{Schema, Value};

/// The first of the month of an instant, at midnight UTC (UTC seconds), as SQLite's
/// `strftime('%s', t, 'unixepoch', 'start of month')` computes it; -1 out of range.
pub(crate) fn month_start(t: i64) -> i64 {
    let Ok(ts) = jiff::Timestamp::from_second(t) else {
        return -1;
    };
    let date = jiff::tz::TimeZone::UTC
        .to_datetime(ts)
        .date()
        .first_of_month();
    jiff::tz::TimeZone::UTC
        .to_timestamp(date.to_datetime(jiff::civil::Time::midnight()))
        .map_or(-1, |t| t.as_second())
}

/// The key of a row of sums, its texts as numbers of a [`Delta`]'s names: a batch's rows are added without a string allocated per row.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct SumKey {
    /// None in a table without months.
    month: Option<i64>,
    texts: [u32; 3],
    bucket: [i64; 4],
}

/// The differences a batch makes to a table of sums, per key.
#[derive(Debug, Default)]
pub(crate) struct Delta {
    ids: HashMap<String, u32>,
    names: Vec<String>,
    sums: HashMap<SumKey, Vec<f64>>,
}

impl Delta {
    /// The number of a text, given on its first sight.
    fn id(&mut self, text: &str) -> u32 {
        if let Some(&i) = self.ids.get(text) {
            return i;
        }
        let i = self.names.len() as u32;
        self.names.push(text.to_string());
        self.ids.insert(text.to_string(), i);
        i
    }

    /// The parameters of each row of sums, in the order of [`SumsPlan::upsert`]: the key, then
    /// jobs, estimated and the summed columns.
    pub(crate) fn params(&self) -> impl Iterator<Item = Vec<Value>> + '_ {
        self.sums.iter().map(|(key, sums)| {
            let mut v = Vec::with_capacity(8 + sums.len());
            v.extend(key.month.map(Value::Integer));
            v.extend(
                key.texts
                    .iter()
                    .map(|&t| Value::Text(self.names[t as usize].clone())),
            );
            v.extend(key.bucket.iter().map(|&b| Value::Integer(b)));
            v.push(Value::Integer(sums[0] as i64));
            v.push(Value::Integer(sums[1] as i64));
            v.extend(sums[2..].iter().map(|&x| Value::Real(x)));
            v
        })
    }
}

/// A table of sums: its name, whether its key starts with the month, and the texts of its key,
/// before the bucket.
#[derive(Clone, Copy, Debug)]
pub(crate) struct SumsTable {
    name: &'static str,
    monthly: bool,
    texts: [&'static str; 3],
}

/// The sums per month, account, partition and state (migration 2).
pub(crate) const JOB_SUMS: SumsTable = SumsTable {
    name: "job_sums",
    monthly: true,
    texts: ["account", "partition", "state"],
};

/// The sums per month, user, account and partition (migration 5).
pub(crate) const USER_SUMS: SumsTable = SumsTable {
    name: "job_sums_user",
    monthly: true,
    texts: ["user_name", "account", "partition"],
};

/// The sums per user, account and partition over all time (migration 5).
pub(crate) const USER_ALL_SUMS: SumsTable = SumsTable {
    name: "job_sums_user_all",
    monthly: false,
    texts: ["user_name", "account", "partition"],
};

/// The columns of a table of sums and where their values are in a job's row.
#[derive(Clone, Debug)]
pub(crate) struct SumsPlan {
    table: SumsTable,
    start: usize,
    end: usize,
    texts: [usize; 3],
    bucket: [usize; 4],
    per_load: usize,
    /// Positions in a job's row of the summed columns (after `jobs` and `estimated`).
    summed: Vec<usize>,
    /// Names of the summed columns.
    pub(crate) names: Vec<String>,
}

/// The bucket's columns, the end of a key.
const BUCKET_KEY: [&str; 4] = [
    "node_group",
    "measured",
    "bucket_cpu_load",
    "bucket_gpu_load",
];

impl SumsPlan {
    pub(crate) fn new(schema: &Schema, table: SumsTable) -> SumsPlan {
        let at = |n: &str| {
            schema
                .position(n)
                .unwrap_or_else(|| panic!("the jobs schema has {n}"))
        };
        let mut summed: Vec<usize> = crate::schema::USAGE.iter().map(|n| at(n)).collect();
        summed.extend_from_slice(schema.extensive());
        let names = summed.iter().map(|&i| schema.names()[i].clone()).collect();
        SumsPlan {
            table,
            start: at("start_time"),
            end: at("end_time"),
            texts: table.texts.map(at),
            bucket: [
                at("node_group"),
                at("measured"),
                at("bucket_cpu_load"),
                at("bucket_gpu_load"),
            ],
            per_load: at("per_load"),
            summed,
            names,
        }
    }

    /// The key of a job's row, its texts numbered in `delta`.
    fn key(&self, row: &[Value], delta: &mut Delta) -> SumKey {
        let date = row[self.start].as_i64().or(row[self.end].as_i64());
        let per_load = row[self.per_load].as_i64() == Some(1);
        let mut bucket = self.bucket.map(|i| row[i].as_i64().unwrap_or(-1));
        if !per_load {
            // Separable in load: the load is in the summed load-hours, not in the key.
            bucket[2] = -1;
            bucket[3] = -1;
        }
        SumKey {
            month: self.table.monthly.then(|| date.map_or(-1, month_start)),
            texts: self.texts.map(|i| delta.id(row[i].as_str().unwrap_or(""))),
            bucket,
        }
    }

    /// Adds a job's row to `delta` (`sign` -1 takes it out): jobs, estimated, then the summed
    /// columns.
    pub(crate) fn add(&self, delta: &mut Delta, row: &[Value], sign: f64) {
        let key = self.key(row, delta);
        let s = delta
            .sums
            .entry(key)
            .or_insert_with(|| vec![0.0; 2 + self.summed.len()]);
        s[0] += sign;
        if row[self.summed[0]] != Value::Null {
            s[1] += sign;
        }
        for (k, &i) in self.summed.iter().enumerate() {
            s[2 + k] += sign * row[i].as_f64().unwrap_or(0.0);
        }
    }

    /// The upsert of one row of sums (its parameters: the key, then jobs, estimated and the
    /// summed columns), added to what is there.
    pub(crate) fn upsert(&self) -> String {
        let mut key = if self.table.monthly {
            vec!["month"]
        } else {
            vec![]
        };
        key.extend(self.table.texts);
        key.extend(BUCKET_KEY);
        let mut cols: Vec<String> = key.iter().map(|s| s.to_string()).collect();
        cols.push("jobs".into());
        cols.push("estimated".into());
        cols.extend(self.names.iter().cloned());
        let table = self.table.name;
        let adds: Vec<String> = cols[key.len()..]
            .iter()
            .map(|c| format!("{c} = {table}.{c} + excluded.{c}"))
            .collect();
        format!(
            "INSERT INTO {table} ({}) VALUES ({}) ON CONFLICT ({}) DO UPDATE SET {}",
            cols.join(", "),
            vec!["?"; cols.len()].join(", "),
            key.join(", "),
            adds.join(", ")
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_start_on_the_first_at_midnight_utc() {
        // 2024-03-15T20:24:16Z is 1710534256 s; 2024-03-01T00:00:00Z is 1709251200 s
        // (date -u -d 2024-03-01 +%s).
        assert_eq!(month_start(1_710_534_256), 1_709_251_200);
        assert_eq!(month_start(1_709_251_200), 1_709_251_200);
        assert_eq!(
            month_start(1_709_251_199),
            1_706_745_600,
            "the last second of February"
        );
    }
}

//! The SQLite store: idempotent ingestion, updates of running jobs, atomic batches, scopes,
//! migrations, and summaries equal to `impacts accounting`'s on the same records.

use std::path::{Path, PathBuf};

use impacts::{CenterSource, Engine};
use impacts_accounting::accountant::{Accountant, AccountingReport, Options};
use impacts_accounting::sink::NoSink;
use impacts_accounting::summary::GroupBy;
use impacts_store::{
    bind, Filter, JobOrder, JobQuery, Schema, Scope, SqliteStore, Store, StoreError, StoreSink,
    Value,
};

const HEADER: &str =
    "JobID|JobIDRaw|Cluster|User|Account|Partition|State|Submit|Start|End|Elapsed|NNodes|NCPUS";

/// Four jobs of two users on two accounts, one of them still running.
const FOUR: &str = "\
100|100|jz|alice|proj1|cpu_p1|COMPLETED|2024-03-01T10:00:00|2024-03-01T10:00:05|2024-03-01T12:00:05|02:00:00|1|40
101|101|jz|bob|proj2|cpu_p1|FAILED|2024-03-01T11:00:00|2024-03-01T11:00:05|2024-03-01T11:30:05|00:30:00|2|80
102|102|jz|alice|proj2|gpu_p5|COMPLETED|2024-03-02T08:00:00|2024-03-02T08:00:00|2024-03-02T20:00:00|12:00:00|1|64
103|103|jz|alice|proj1|cpu_p1|RUNNING|2024-03-02T09:00:00|2024-03-02T09:00:10|Unknown|01:00:00|1|40
";

/// Job 103 again, completed.
const DONE: &str = "\
103|103|jz|alice|proj1|cpu_p1|COMPLETED|2024-03-02T09:00:00|2024-03-02T09:00:10|2024-03-02T15:00:10|06:00:00|1|40
";

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let d = std::env::temp_dir().join(format!("impacts-store-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        Dir(d)
    }
    fn file(&self, name: &str, body: &str) -> String {
        let p = self.0.join(name);
        std::fs::write(&p, format!("{HEADER}\n{body}")).unwrap();
        p.to_string_lossy().into_owned()
    }
}

impl Dir {
    /// A name for a database of this test and process.
    fn name(&self) -> String {
        let base = self
            .0
            .file_name()
            .map_or("t".into(), |n| n.to_string_lossy().replace('-', "_"));
        base.to_ascii_lowercase()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn options() -> Options {
    Options {
        center: CenterSource::Bundled("jean-zay".into()),
        group_by: vec![GroupBy::Account, GroupBy::User],
        top: 1000,
        ..Options::default()
    }
}

fn schema(acc: &Accountant<'_>) -> Schema {
    Schema::new(acc.columns(), acc.criteria_units().to_vec())
}

/// Ingests files into the store at `db`, as `impacts ingest` does; the run's report.
fn ingest(engine: &Engine, db: &str, files: &[String], batch: usize) -> AccountingReport {
    let mut acc = Accountant::new(engine, options()).unwrap();
    let store: std::sync::Arc<dyn Store> =
        std::sync::Arc::from(impacts_store::open(db, schema(&acc)).unwrap());
    let mut sink = StoreSink::new(store, batch);
    acc.run(files, &mut sink, &mut |_| {}).unwrap()
}

fn open(engine: &Engine, db: &str) -> Box<dyn Store> {
    let acc = Accountant::new(engine, options()).unwrap();
    impacts_store::open(db, schema(&acc)).unwrap()
}

/// The databases each test runs on: a SQLite file, and a fresh PostgreSQL database when
/// IMPACTS_TEST_POSTGRES names a server (ci/test starts one; required with CI=true).
fn backends(dir: &Dir) -> Vec<String> {
    let mut v = vec![format!("sqlite:{}", dir.0.join("jobs.db").display())];
    match std::env::var("IMPACTS_TEST_POSTGRES") {
        Ok(url) => v.push(fresh_database(&url, &dir.name())),
        Err(_) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "IMPACTS_TEST_POSTGRES is required with CI=true (ci/test starts PostgreSQL)"
            );
            eprintln!(
                "notice: IMPACTS_TEST_POSTGRES is not set; the store tests run on SQLite only"
            );
        }
    }
    v
}

/// A new, empty database on the PostgreSQL server of `url`; its URL.
fn fresh_database(url: &str, name: &str) -> String {
    let mut admin = postgres::Client::connect(url, postgres::NoTls).expect("PostgreSQL");
    // Two calls: several statements in one run in a transaction, which DROP DATABASE refuses.
    admin
        .batch_execute(&format!("DROP DATABASE IF EXISTS {name}"))
        .expect("drop database");
    admin
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .expect("create database");
    let base = url.rsplit_once('/').map_or(url, |(b, _)| b);
    format!("{base}/{name}")
}

fn all(store: &dyn Store, scope: Scope) -> Vec<impacts_store::StoredJob> {
    store
        .jobs(&JobQuery {
            scope,
            filter: Filter::default(),
            limit: 1000,
            cursor: None,
            order: JobOrder::Newest,
        })
        .unwrap()
}

/// The scope of a user who manages `accounts`.
fn own(user: &str, accounts: &[&str]) -> Scope {
    Scope::Own {
        user: user.into(),
        accounts: accounts.iter().map(|a| a.to_string()).collect(),
    }
}

fn text(store: &dyn Store, job: &impacts_store::StoredJob, column: &str) -> String {
    let i = store.schema().position(column).unwrap();
    job.values[i].as_str().unwrap_or("").to_string()
}

#[test]
fn ingesting_the_same_records_twice_changes_nothing() {
    let dir = Dir::new("twice");
    for db in backends(&dir) {
        ingesting_the_same_records_twice_changes_nothing_on(&dir, &db);
    }
}

fn ingesting_the_same_records_twice_changes_nothing_on(dir: &Dir, db: &str) {
    let engine = Engine::new().unwrap();
    let f = dir.file("four.txt", FOUR);
    ingest(&engine, db, std::slice::from_ref(&f), 2);
    let store = open(&engine, db);
    let before = all(&*store, Scope::All);
    assert_eq!(before.len(), 4);
    drop(store);
    ingest(&engine, db, &[f], 3);
    let store = open(&engine, db);
    assert_eq!(all(&*store, Scope::All), before, "same ids, same values");
}

#[test]
fn a_running_job_seen_completed_is_updated_not_doubled() {
    let dir = Dir::new("running");
    for db in backends(&dir) {
        a_running_job_seen_completed_is_updated_not_doubled_on(&dir, &db);
    }
}

fn a_running_job_seen_completed_is_updated_not_doubled_on(dir: &Dir, db: &str) {
    let engine = Engine::new().unwrap();
    ingest(&engine, db, &[dir.file("four.txt", FOUR)], 10);
    let store = open(&engine, db);
    let running = store.job(&Scope::All, Some("jz"), "103").unwrap().unwrap();
    assert_eq!(text(&*store, &running, "state"), "RUNNING");
    drop(store);
    ingest(&engine, db, &[dir.file("done.txt", DONE)], 10);
    let store = open(&engine, db);
    assert_eq!(store.count().unwrap(), 4);
    let done = store.job(&Scope::All, None, "103").unwrap().unwrap();
    assert_eq!(text(&*store, &done, "state"), "COMPLETED");
    assert_eq!(done.id, running.id, "the same row");
    let h = store.schema().position("hours").unwrap();
    assert_eq!(done.values[h].as_f64(), Some(6.0));
}

#[test]
fn a_batch_is_stored_whole_or_not_at_all() {
    let dir = Dir::new("atomic");
    for db in backends(&dir) {
        a_batch_is_stored_whole_or_not_at_all_on(&dir, &db);
    }
}

fn a_batch_is_stored_whole_or_not_at_all_on(dir: &Dir, db: &str) {
    let engine = Engine::new().unwrap();
    ingest(&engine, db, &[dir.file("four.txt", FOUR)], 10);
    let store = open(&engine, db);
    let mut good = all(&*store, Scope::All)[0].values.clone();
    let job_id = store.schema().position("job_id").unwrap();
    good[job_id] = Value::Text("999".into());
    // The second row breaks a constraint (no cluster): the first must not be stored either.
    let mut bad = good.clone();
    bad[0] = Value::Null;
    bad[job_id] = Value::Text("998".into());
    assert!(store.write(&[good, bad]).is_err());
    assert_eq!(store.count().unwrap(), 4);
    assert!(store.job(&Scope::All, None, "999").unwrap().is_none());
}

#[test]
fn a_user_sees_their_jobs_a_manager_their_accounts_an_admin_all() {
    let dir = Dir::new("scope");
    for db in backends(&dir) {
        a_user_sees_their_jobs_a_manager_their_accounts_an_admin_all_on(&dir, &db);
    }
}

fn a_user_sees_their_jobs_a_manager_their_accounts_an_admin_all_on(dir: &Dir, db: &str) {
    let engine = Engine::new().unwrap();
    ingest(&engine, db, &[dir.file("four.txt", FOUR)], 10);
    let store = open(&engine, db);
    let ids = |scope: Scope| {
        let mut v: Vec<String> = all(&*store, scope)
            .iter()
            .map(|j| text(&*store, j, "job_id"))
            .collect();
        v.sort();
        v
    };
    assert_eq!(ids(own("alice", &[])), ["100", "102", "103"]);
    assert_eq!(ids(own("bob", &[])), ["101"]);
    assert_eq!(ids(own("bob", &["proj2"])), ["101", "102"]);
    assert_eq!(ids(own("mallory", &[])), Vec::<String>::new());
    assert_eq!(ids(Scope::All).len(), 4);
    assert!(store.job(&own("bob", &[]), None, "100").unwrap().is_none());
    // A user's filter naming someone else gives nothing, not their jobs.
    let q = JobQuery {
        scope: own("bob", &[]),
        filter: Filter {
            user: Some("alice".into()),
            ..Filter::default()
        },
        limit: 10,
        cursor: None,
        order: JobOrder::Newest,
    };
    assert!(store.jobs(&q).unwrap().is_empty());
}

#[test]
fn pages_follow_their_cursor_to_the_end() {
    let dir = Dir::new("pages");
    for db in backends(&dir) {
        pages_follow_their_cursor_to_the_end_on(&dir, &db);
    }
}

fn pages_follow_their_cursor_to_the_end_on(dir: &Dir, db: &str) {
    let engine = Engine::new().unwrap();
    ingest(&engine, db, &[dir.file("four.txt", FOUR)], 10);
    let store = open(&engine, db);
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = store
            .jobs(&JobQuery {
                scope: Scope::All,
                filter: Filter::default(),
                limit: 3,
                cursor,
                order: JobOrder::Newest,
            })
            .unwrap();
        seen.extend(page.iter().map(|j| j.id));
        if page.len() < 3 {
            break;
        }
        cursor = page.last().map(|j| j.id);
    }
    assert_eq!(seen.len(), 4);
    assert!(
        seen.windows(2).all(|w| w[0] > w[1]),
        "newest first: {seen:?}"
    );
}

/// The largest jobs are those of the newest-first list sorted by climate change, within the
/// caller's scope and filters, jobs without an estimate left out (the pending job).
#[test]
fn the_largest_jobs_are_sorted_by_climate_change_in_scope() {
    let dir = Dir::new("largest");
    for db in backends(&dir) {
        let engine = Engine::new().unwrap();
        ingest(&engine, &db, &[dir.file("four.txt", FOUR)], 10);
        let more = "\
104|104|jz|bob|proj2|cpu_p1|PENDING|2024-03-03T09:00:00|Unknown|Unknown|00:00:00|1|40
105|105|jz|bob|proj1|gpu_p5|TIMEOUT|2024-04-02T08:00:00|2024-04-02T08:00:00|2024-04-02T10:00:00|02:00:00|1|64
";
        ingest(&engine, &db, &[dir.file("more.txt", more)], 10);
        let store = open(&engine, &db);
        let gwp = |j: &impacts_store::StoredJob| {
            let i = store.schema().position("gwp").unwrap();
            j.values[i].as_f64()
        };
        for (scope, user) in [
            (Scope::All, None),
            (Scope::All, Some("bob")),
            (own("bob", &[]), None),
            (own("alice", &["proj2"]), None),
        ] {
            let filter = Filter {
                user: user.map(String::from),
                ..Filter::default()
            };
            let q = |order, limit| JobQuery {
                scope: scope.clone(),
                filter: filter.clone(),
                limit,
                cursor: None,
                order,
            };
            let mut expected: Vec<(f64, i64)> = store
                .jobs(&q(JobOrder::Newest, 1000))
                .unwrap()
                .iter()
                .filter_map(|j| Some((gwp(j)?, j.id)))
                .collect();
            expected.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.cmp(&a.1)));
            expected.truncate(2);
            let largest: Vec<(f64, i64)> = store
                .jobs(&q(JobOrder::Largest, 2))
                .unwrap()
                .iter()
                .map(|j| (gwp(j).expect("an estimate"), j.id))
                .collect();
            assert_eq!(largest, expected, "{scope:?} {user:?}");
            assert!(!largest.is_empty());
        }
    }
}

/// On the same records, totals and groups with their bounds equal those of `impacts accounting`
/// (the reference is the accountant's own run; bounds from the same buckets and seed).
#[test]
fn summaries_equal_the_accounting_run_on_the_same_records() {
    let dir = Dir::new("summary");
    for db in backends(&dir) {
        summaries_equal_the_accounting_run_on_the_same_records_on(&dir, &db);
    }
}

fn summaries_equal_the_accounting_run_on_the_same_records_on(dir: &Dir, db: &str) {
    let engine = Engine::new().unwrap();
    let files = [dir.file("four.txt", FOUR)];
    let reference = {
        let mut acc = Accountant::new(&engine, options()).unwrap();
        acc.run(&files, &mut NoSink, &mut |_| {}).unwrap()
    };
    ingest(&engine, db, &files, 10);
    let store = open(&engine, db);
    let mut acc = Accountant::new(&engine, options()).unwrap();
    let rows = store
        .bucket_sums(&Scope::All, &Filter::default(), Some(GroupBy::Account))
        .unwrap();
    let mut cache = impacts_accounting::accountant::SampleCache::default();
    let (total, groups) =
        impacts_store::summary::summarize(&mut acc, &mut cache, &rows, 100).unwrap();
    assert_eq!(total.acc.jobs, reference.jobs);
    assert_eq!(total.acc.estimated, reference.jobs_estimated);
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-9 * b.abs().max(1e-300);
    for (k, e) in reference.impacts.iter() {
        let mine = total.impacts.get(k).unwrap();
        assert!(
            close(mine.value, e.value),
            "{k}: {} vs {}",
            mine.value,
            e.value
        );
        assert!(close(mine.low, e.low), "{k} low: {} vs {}", mine.low, e.low);
        assert!(
            close(mine.high, e.high),
            "{k} high: {} vs {}",
            mine.high,
            e.high
        );
        assert!(
            mine.low < mine.value && mine.value < mine.high,
            "{k}: real bounds"
        );
    }
    let reference_groups = reference.groups.get("account").unwrap();
    assert_eq!(groups.len(), reference_groups.len());
    for r in reference_groups {
        let g = groups.iter().find(|g| g.key == r.key).unwrap();
        assert_eq!(g.acc.jobs, r.jobs, "{}", r.key);
        let (mine, theirs) = (g.impacts.get("gwp").unwrap(), r.impacts.get("gwp").unwrap());
        assert!(
            close(mine.value, theirs.value) && close(mine.high, theirs.high),
            "{}",
            r.key
        );
    }
}

#[test]
fn a_store_of_another_center_or_method_is_refused() {
    let dir = Dir::new("bind");
    let engine = Engine::new().unwrap();
    let store = open(
        &engine,
        &format!("sqlite:{}", dir.0.join("jobs.db").display()),
    );
    bind(
        store.as_ref(),
        &[("center", "Jean Zay"), ("method", "default")],
    )
    .unwrap();
    bind(
        store.as_ref(),
        &[("center", "Jean Zay"), ("method", "default")],
    )
    .unwrap();
    match bind(store.as_ref(), &[("method", "impacts-hpc")]) {
        Err(StoreError::Mismatch { key, stored, .. }) => {
            assert_eq!((key.as_str(), stored.as_str()), ("method", "default"))
        }
        other => panic!("{other:?}"),
    }
}

/// (On SQLite: the statements that break the database are SQLite's.)
#[test]
fn a_database_of_a_newer_schema_or_lacking_a_column_is_refused() {
    let dir = Dir::new("migrations");
    let engine = Engine::new().unwrap();
    let url = |p: &Path| format!("sqlite:{}", p.display());
    let db = dir.0.join("jobs.db");
    drop(open(&engine, &url(&db)));
    sql(
        &db,
        "INSERT INTO schema_migrations VALUES (99, 'future', 0)",
    );
    let acc = Accountant::new(&engine, options()).unwrap();
    match SqliteStore::open(&db, schema(&acc)) {
        Err(StoreError::TooNew { found: 99, .. }) => {}
        Err(e) => panic!("{e}"),
        Ok(_) => panic!("a newer schema was accepted"),
    }
    let db2 = dir.0.join("old.db");
    drop(open(&engine, &url(&db2)));
    sql(
        &db2,
        "DROP TRIGGER jobs_sums_delete; DROP TRIGGER jobs_sums_user_delete; \
         ALTER TABLE jobs DROP COLUMN facility_pe",
    );
    match SqliteStore::open(&db2, schema(&acc)) {
        Err(e) => assert!(e.to_string().contains("facility_pe"), "{e}"),
        Ok(_) => panic!("a table lacking a column was accepted"),
    }
}

/// Runs a statement on a database, as an operator or an older version would.
fn sql(db: &Path, statement: &str) {
    rusqlite::Connection::open(db)
        .unwrap()
        .execute_batch(statement)
        .unwrap();
}

/// The sums per month that summaries read (`job_sums` and its rollups without state or without
/// month) equal the sums of the jobs themselves, after inserts, a running job replaced by its
/// completion, the first records again, and a job deleted by hand.
#[test]
fn the_sums_per_month_equal_the_sums_of_the_jobs() {
    let dir = Dir::new("sums");
    for db in backends(&dir) {
        the_sums_per_month_equal_the_sums_of_the_jobs_on(&dir, &db);
    }
}

fn the_sums_per_month_equal_the_sums_of_the_jobs_on(dir: &Dir, db: &str) {
    let engine = Engine::new().unwrap();
    ingest(&engine, db, &[dir.file("four.txt", FOUR)], 2);
    ingest(&engine, db, &[dir.file("done.txt", DONE)], 2);
    ingest(&engine, db, &[dir.file("four-again.txt", FOUR)], 3);
    // A pending job has no date: outside any period, in both paths; a job of April.
    let more = "\
104|104|jz|bob|proj2|cpu_p1|PENDING|2024-03-03T09:00:00|Unknown|Unknown|00:00:00|1|40
105|105|jz|bob|proj1|gpu_p5|TIMEOUT|2024-04-02T08:00:00|2024-04-02T08:00:00|2024-04-02T10:00:00|02:00:00|1|64
";
    ingest(&engine, db, &[dir.file("more.txt", more)], 3);
    let store = open(&engine, db);
    sums_equal_jobs(store.as_ref(), 5);
    // Job 103 is counted once, as completed (the old extract ingested again does not take it
    // back to running): 3 of them COMPLETED.
    let states = store
        .bucket_sums(&Scope::All, &Filter::default(), Some(GroupBy::State))
        .unwrap();
    let completed: u64 = states
        .iter()
        .filter(|b| b.key == "COMPLETED")
        .map(|b| b.jobs)
        .sum();
    let all: u64 = states.iter().map(|b| b.jobs).sum();
    assert_eq!(
        (all, completed),
        (6, 3),
        "five dated jobs and the pending one"
    );
    // An operator deletes a job: the trigger takes it out of the sums and of their rollups.
    drop(store);
    run_sql(db, "DELETE FROM jobs WHERE job_id = '102'");
    sums_equal_jobs(open(&engine, db).as_ref(), 4);
}

/// Every summary, read as the store reads it (from a table of sums where one answers it),
/// compared with the same summary read from the jobs: for an administrator, a user, a manager and
/// an administrator asking for one user; grouped each way; over all time or a period (on the first
/// of a month, where the sums answer, and one second later, where they do not); with and without
/// a filter on the state. `dated`: the jobs with a date.
fn sums_equal_jobs(store: &dyn Store, dated: u64) {
    // 2024-03-01T00:00:00Z is 1709251200 s, 2100-01-01T00:00:00Z 4102444800 s
    // (date -u -d 2024-03-01 +%s).
    let periods = [
        (None, None),
        (Some(0), None),
        (None, Some(4_102_444_800)),
        (Some(0), Some(4_102_444_800)),
        (Some(1_709_251_200), Some(1_709_251_200 + 31 * 86_400)),
        (Some(1), None),
    ];
    let groups = [
        None,
        Some(GroupBy::Month),
        Some(GroupBy::Day),
        Some(GroupBy::User),
        Some(GroupBy::State),
        Some(GroupBy::Account),
        Some(GroupBy::Partition),
    ];
    let scopes = [
        (Scope::All, None),
        (Scope::All, Some("bob")),
        (own("bob", &[]), None),
        (own("alice", &["proj2"]), None),
    ];
    let mut compared = 0;
    for (scope, user) in &scopes {
        for state in [None, Some("COMPLETED".to_string())] {
            for (group_by, (from, to)) in groups
                .iter()
                .flat_map(|g| periods.iter().map(move |p| (*g, *p)))
            {
                let case = format!("{scope:?} {user:?} {group_by:?} {from:?} {to:?} {state:?}");
                let filter = Filter {
                    from,
                    to,
                    state: state.clone(),
                    user: user.map(String::from),
                    ..Filter::default()
                };
                let a = store.bucket_sums(scope, &filter, group_by).unwrap();
                let b = store
                    .bucket_sums_from_jobs(scope, &filter, group_by)
                    .unwrap();
                compared += usize::from(!b.is_empty());
                same_bucket_sums(a, b, &case);
            }
        }
    }
    assert!(compared >= 250, "{compared} summaries had jobs to compare");
    let dated_sums = store
        .bucket_sums(
            &Scope::All,
            &Filter {
                from: Some(0),
                ..Filter::default()
            },
            None,
        )
        .unwrap();
    let jobs: u64 = dated_sums.iter().map(|b| b.jobs).sum();
    assert_eq!(jobs, dated, "the pending job has no date");
}

fn same_bucket_sums(
    mut a: Vec<impacts_store::BucketSum>,
    mut b: Vec<impacts_store::BucketSum>,
    case: &str,
) {
    let key = |b: &impacts_store::BucketSum| {
        (
            b.key.clone(),
            b.partition.clone(),
            b.bucket
                .map(|x| (x.node_group, x.measured, x.cpu_load, x.gpu_load)),
        )
    };
    a.sort_by_key(key);
    b.sort_by_key(key);
    assert_eq!(a.len(), b.len(), "{case}");
    for (x, y) in a.iter().zip(&b) {
        assert_eq!(key(x), key(y), "{case}");
        assert_eq!(
            (x.jobs, x.estimated),
            (y.jobs, y.estimated),
            "{case} {}",
            x.key
        );
        for (u, v) in x.sums.iter().zip(&y.sums) {
            assert!(
                (u - v).abs() <= 1e-9 * v.abs(),
                "{case} {}: {u} vs {v}",
                x.key
            );
        }
    }
}

/// Runs statements on a database of `backends` as an operator would.
fn run_sql(db: &str, statements: &str) {
    match db.strip_prefix("sqlite:") {
        Some(path) => sql(Path::new(path), statements),
        None => postgres::Client::connect(db, postgres::NoTls)
            .expect("PostgreSQL")
            .batch_execute(statements)
            .expect("statements"),
    }
}

/// A job twice in one batch (`--dedup-window 0`, or two extracts in one file) is stored once, as
/// its later record, and counted once in the sums.
#[test]
fn a_job_twice_in_a_batch_is_stored_once() {
    let dir = Dir::new("twiceinbatch");
    for db in backends(&dir) {
        a_job_twice_in_a_batch_is_stored_once_on(&dir, &db);
    }
}

fn a_job_twice_in_a_batch_is_stored_once_on(dir: &Dir, db: &str) {
    let engine = Engine::new().unwrap();
    ingest(&engine, db, &[dir.file("four.txt", FOUR)], 10);
    let store = open(&engine, db);
    let schema = store.schema();
    let (job_id, state) = (
        schema.position("job_id").unwrap(),
        schema.position("state").unwrap(),
    );
    let mut first = all(&*store, Scope::All)[0].values.clone();
    first[job_id] = Value::Text("500".into());
    first[state] = Value::Text("RUNNING".into());
    let mut later = first.clone();
    later[state] = Value::Text("COMPLETED".into());
    store.write(&[first, later]).unwrap();
    assert_eq!(store.count().unwrap(), 5);
    let job = store.job(&Scope::All, None, "500").unwrap().unwrap();
    assert_eq!(text(&*store, &job, "state"), "COMPLETED");
    let by_month = store
        .bucket_sums(&Scope::All, &Filter::default(), Some(GroupBy::State))
        .unwrap();
    let completed: u64 = by_month
        .iter()
        .filter(|b| b.key == "COMPLETED")
        .map(|b| b.jobs)
        .sum();
    let all_jobs: u64 = by_month.iter().map(|b| b.jobs).sum();
    assert_eq!((all_jobs, completed), (5, 3), "{db}");
}

/// Benchmark runs: stored once, again without change, replaced when their JSON changes; read the
/// latest first.
#[test]
fn benchmark_runs_are_stored_once() {
    let dir = Dir::new("bench");
    for db in backends(&dir) {
        let engine = Engine::new().unwrap();
        let store = open(&engine, &db);
        let run = |name: &str, jobid: Option<&str>, time: Option<i64>, json: &str| {
            impacts_store::BenchRun {
                system: "jz".into(),
                partition: "cpu_p1".into(),
                environ: "gnu".into(),
                display_name: name.into(),
                jobid: jobid.map(String::from),
                time,
                json: json.into(),
            }
        };
        let runs = [
            run("A", Some("1"), Some(100), "{\"v\": 1}"),
            run("B", None, Some(200), "{\"v\": 2}"),
            run("C", Some("3"), None, "{\"v\": 3}"),
        ];
        assert_eq!(store.write_bench_runs(&runs).unwrap(), 3, "{db}");
        assert_eq!(
            store.write_bench_runs(&runs).unwrap(),
            0,
            "the same runs again: {db}"
        );
        let mut changed = runs[0].clone();
        changed.json = "{\"v\": 10}".into();
        assert_eq!(
            store.write_bench_runs(&[changed.clone()]).unwrap(),
            1,
            "{db}"
        );
        let back = store.bench_runs(10).unwrap();
        let names: Vec<&str> = back.iter().map(|r| r.display_name.as_str()).collect();
        assert_eq!(names, ["B", "A", "C"], "latest first, undated last: {db}");
        assert_eq!(back[1], changed);
        assert_eq!((back[0].jobid.as_deref(), back[2].time), (None, None));
        assert_eq!(store.bench_runs(1).unwrap().len(), 1);
    }
}

/// Grid hours pulled by the service: stored, an instant pulled again replaced (services revise
/// their estimates), read back for a zone and period in time order, and as the series ingestion
/// integrates; on SQLite and PostgreSQL.
#[test]
fn grid_hours_are_kept_and_read_back_as_a_series() {
    let engine = Engine::new().unwrap();
    let dir = Dir::new("grid-hours");
    for db in backends(&dir) {
        let store = open(&engine, &db);
        let hour = |zone: &str, h: i64, v: f64, estimated: bool| impacts_store::GridHour {
            zone: zone.into(),
            t: 1_704_067_200 + h * 3600,
            step: 3600,
            gco2eq_per_kwh: v,
            kind: "lifecycle".into(),
            source: "electricitymaps".into(),
            estimated,
        };
        let first: Vec<_> = (0..6)
            .map(|h| hour("FR", h, 10.0 * (h + 1) as f64, h == 5))
            .collect();
        assert_eq!(store.write_grid_hours(&first).unwrap(), 6, "{db}");
        store
            .write_grid_hours(&[hour("DE", 0, 400.0, false)])
            .unwrap();
        // The last hour again, no longer an estimate.
        store
            .write_grid_hours(&[hour("FR", 5, 65.0, false)])
            .unwrap();
        let back = store
            .grid_hours("FR", 1_704_067_200 + 3600, 1_704_067_200 + 6 * 3600)
            .unwrap();
        let values: Vec<f64> = back.iter().map(|h| h.gco2eq_per_kwh).collect();
        assert_eq!(values, [20.0, 30.0, 40.0, 50.0, 65.0], "{db}");
        assert!(!back[4].estimated, "{db}");
        let all = store.grid_hours("FR", 0, i64::MAX).unwrap();
        let series = impacts_store::series_of_hours(&all).unwrap();
        assert_eq!((series.zone.as_deref(), series.step_s), (Some("FR"), 3600));
        let integral = impacts::impacts_grid::Integral::new(series);
        // 00:30 to 02:30: half an hour at 10, an hour at 20, half an hour at 30.
        let c = integral.coverage(1_704_067_200 + 1800, 1_704_067_200 + 9000);
        assert_eq!(c.covered_s, 7200);
        assert!((c.mean().unwrap() - 20.0).abs() < 1e-12);
        assert!(impacts_store::series_of_hours(&[]).is_none());
        // The zone pulled from another service since (quarter-hours, direct): only its points,
        // none overlapping.
        let rte = |q: i64, v: f64| impacts_store::GridHour {
            zone: "FR".into(),
            t: 1_704_067_200 + 6 * 3600 + q * 900,
            step: 900,
            gco2eq_per_kwh: v,
            kind: "direct".into(),
            source: "rte".into(),
            estimated: false,
        };
        let mut mixed = store.grid_hours("FR", 0, i64::MAX).unwrap();
        mixed.extend((0..4).map(|q| rte(q, 30.0 + q as f64)));
        // An hourly point misaligned with the quarter-hours of the same service is dropped.
        let mut odd = rte(1, 99.0);
        odd.t += 300;
        mixed.insert(8, odd);
        let s = impacts_store::series_of_hours(&mixed).unwrap();
        assert_eq!(
            (s.step_s, s.kind),
            (900, impacts::impacts_grid::Kind::Direct)
        );
        assert_eq!(s.values, [30.0, 31.0, 32.0, 33.0]);
    }
}

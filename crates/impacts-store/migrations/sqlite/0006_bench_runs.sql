-- Benchmark runs (`impacts bench ingest`): ReFrame's results as impacts-bench reads them, one row
-- per run, the run itself as JSON. A run is identified by its machine, environment, name, job id
-- ('' without one) and completion time (-1 without one): ingesting the same files again changes
-- nothing. Their footprint is their job's, joined when they are read.
CREATE TABLE bench_runs (
    id INTEGER PRIMARY KEY,
    system TEXT NOT NULL,
    partition TEXT NOT NULL,
    environ TEXT NOT NULL,
    display_name TEXT NOT NULL,
    jobid TEXT NOT NULL,
    time BIGINT NOT NULL,
    run TEXT NOT NULL,
    UNIQUE (system, partition, environ, display_name, jobid, time)
);

CREATE INDEX bench_runs_jobid ON bench_runs (jobid);

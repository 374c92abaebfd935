-- The PostgreSQL form of migrations/sqlite/0001_jobs.sql.
-- Jobs and their footprints: one row per (cluster, job id, submit time).
-- The per-job columns are those of `impacts accounting --jobs` (docs/accounting.md), with `user`,
-- `start` and `end` renamed (SQL keywords); the bucket columns let bounds of any sum be computed
-- as `impacts accounting` computes them (docs/service.md): the estimator (partition, node group,
-- measured energy), and the load through node-hours × φ of each load (or the loads themselves for
-- an estimator that is not separable in load).
CREATE TABLE meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE jobs (
    id BIGSERIAL PRIMARY KEY,
    cluster TEXT NOT NULL,
    submit_time BIGINT NOT NULL,            -- UTC seconds; -1 when the record gives none
    job_id TEXT NOT NULL,
    user_name TEXT,
    account TEXT,
    partition TEXT,
    state TEXT,
    start_time BIGINT,
    end_time BIGINT,
    nodes BIGINT,
    cores BIGINT,
    gpus BIGINT,
    node_equivalents DOUBLE PRECISION,
    hours DOUBLE PRECISION,
    cpu_load DOUBLE PRECISION,
    gpu_load DOUBLE PRECISION,
    energy_kwh DOUBLE PRECISION,
    energy_with_overhead_kwh DOUBLE PRECISION,
    idle_energy_kwh DOUBLE PRECISION,
    energy_source TEXT,
    gwp DOUBLE PRECISION,
    gwp_low DOUBLE PRECISION,
    gwp_high DOUBLE PRECISION,
    adpe DOUBLE PRECISION,
    adpe_low DOUBLE PRECISION,
    adpe_high DOUBLE PRECISION,
    pe DOUBLE PRECISION,
    pe_low DOUBLE PRECISION,
    pe_high DOUBLE PRECISION,
    manufacturing_gwp DOUBLE PRECISION,
    manufacturing_adpe DOUBLE PRECISION,
    manufacturing_pe DOUBLE PRECISION,
    use_gwp DOUBLE PRECISION,
    use_adpe DOUBLE PRECISION,
    use_pe DOUBLE PRECISION,
    idle_gwp DOUBLE PRECISION,
    idle_adpe DOUBLE PRECISION,
    idle_pe DOUBLE PRECISION,
    facility_gwp DOUBLE PRECISION,
    facility_adpe DOUBLE PRECISION,
    facility_pe DOUBLE PRECISION,
    warnings TEXT,
    node_group BIGINT,                      -- the bucket: NULL when the job was not estimated
    measured BIGINT,
    bucket_cpu_load BIGINT,                 -- whole-percent loads
    bucket_gpu_load BIGINT,
    per_load BIGINT,                        -- 1: the estimator is not separable in load
    node_hours DOUBLE PRECISION,
    cpu_load_hours DOUBLE PRECISION,        -- node-hours × φc(CPU load) (impacts-accounting load_shape)
    gpu_load_hours DOUBLE PRECISION,        -- node-hours × φg(GPU load)
    measured_kwh DOUBLE PRECISION,
    core_hours DOUBLE PRECISION,
    gpu_hours DOUBLE PRECISION,
    UNIQUE (job_id, cluster, submit_time)     -- also finds a job by its id alone
);

-- A user's pages and a manager's: newest first within a user or an account.
CREATE INDEX jobs_user ON jobs (user_name, id);
CREATE INDEX jobs_account ON jobs (account, id);

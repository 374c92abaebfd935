-- Sums of jobs per month (of their start, else their end), account, partition, state and Monte
-- Carlo bucket, kept in the transaction that writes the jobs: an administrator's summaries and the
-- metrics read these sums instead of every job (docs/service.md). A user's summaries read the
-- user's own jobs through the index on users: a user dimension here would make the table nearly as
-- large as the jobs (a year of 1,000 users spread over partitions and states), and so would days.
-- The store writes the differences of each batch (impacts-store/src/sums.rs): the rows it inserts
-- are added, a row it replaces (a job running, then completed) has its old values taken out and its
-- new ones added. A trigger takes out rows deleted by hand. (No trigger on inserts or updates: a
-- trigger on them makes SQLite keep a statement journal of every page each row touches, which made
-- ingestion three times slower.) `month` is UTC seconds at the first of the month, -1 when the job
-- has no date; -1 in the bucket columns marks jobs not estimated, and in the load columns an
-- estimator separable in load (its load is in cpu_load_hours and gpu_load_hours).
CREATE TABLE job_sums (
    month BIGINT NOT NULL,
    account TEXT NOT NULL,
    partition TEXT NOT NULL,
    state TEXT NOT NULL,
    node_group BIGINT NOT NULL,
    measured BIGINT NOT NULL,
    bucket_cpu_load BIGINT NOT NULL,
    bucket_gpu_load BIGINT NOT NULL,
    jobs BIGINT NOT NULL,
    estimated BIGINT NOT NULL,
    node_hours DOUBLE PRECISION NOT NULL,
    cpu_load_hours DOUBLE PRECISION NOT NULL,
    gpu_load_hours DOUBLE PRECISION NOT NULL,
    measured_kwh DOUBLE PRECISION NOT NULL,
    core_hours DOUBLE PRECISION NOT NULL,
    gpu_hours DOUBLE PRECISION NOT NULL,
    energy_kwh DOUBLE PRECISION NOT NULL,
    energy_with_overhead_kwh DOUBLE PRECISION NOT NULL,
    idle_energy_kwh DOUBLE PRECISION NOT NULL,
    gwp DOUBLE PRECISION NOT NULL,
    adpe DOUBLE PRECISION NOT NULL,
    pe DOUBLE PRECISION NOT NULL,
    manufacturing_gwp DOUBLE PRECISION NOT NULL,
    manufacturing_adpe DOUBLE PRECISION NOT NULL,
    manufacturing_pe DOUBLE PRECISION NOT NULL,
    use_gwp DOUBLE PRECISION NOT NULL,
    use_adpe DOUBLE PRECISION NOT NULL,
    use_pe DOUBLE PRECISION NOT NULL,
    idle_gwp DOUBLE PRECISION NOT NULL,
    idle_adpe DOUBLE PRECISION NOT NULL,
    idle_pe DOUBLE PRECISION NOT NULL,
    facility_gwp DOUBLE PRECISION NOT NULL,
    facility_adpe DOUBLE PRECISION NOT NULL,
    facility_pe DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (month, account, partition, state, node_group, measured, bucket_cpu_load, bucket_gpu_load)
);

CREATE TRIGGER jobs_sums_delete AFTER DELETE ON jobs BEGIN
    INSERT INTO job_sums (month, account, partition, state, node_group, measured, bucket_cpu_load, bucket_gpu_load, jobs, estimated, node_hours, cpu_load_hours, gpu_load_hours, measured_kwh, core_hours, gpu_hours, energy_kwh, energy_with_overhead_kwh, idle_energy_kwh, gwp, adpe, pe, manufacturing_gwp, manufacturing_adpe, manufacturing_pe, use_gwp, use_adpe, use_pe, idle_gwp, idle_adpe, idle_pe, facility_gwp, facility_adpe, facility_pe)
    VALUES (CASE WHEN COALESCE(OLD.start_time, OLD.end_time) IS NULL THEN -1 ELSE CAST(strftime('%s', COALESCE(OLD.start_time, OLD.end_time), 'unixepoch', 'start of month') AS INTEGER) END, COALESCE(OLD.account, ''), COALESCE(OLD.partition, ''), COALESCE(OLD.state, ''), COALESCE(OLD.node_group, -1), COALESCE(OLD.measured, -1), CASE WHEN OLD.per_load = 1 THEN OLD.bucket_cpu_load ELSE -1 END, CASE WHEN OLD.per_load = 1 THEN OLD.bucket_gpu_load ELSE -1 END, -1, -(OLD.node_hours IS NOT NULL), -COALESCE(OLD.node_hours, 0), -COALESCE(OLD.cpu_load_hours, 0), -COALESCE(OLD.gpu_load_hours, 0), -COALESCE(OLD.measured_kwh, 0), -COALESCE(OLD.core_hours, 0), -COALESCE(OLD.gpu_hours, 0), -COALESCE(OLD.energy_kwh, 0), -COALESCE(OLD.energy_with_overhead_kwh, 0), -COALESCE(OLD.idle_energy_kwh, 0), -COALESCE(OLD.gwp, 0), -COALESCE(OLD.adpe, 0), -COALESCE(OLD.pe, 0), -COALESCE(OLD.manufacturing_gwp, 0), -COALESCE(OLD.manufacturing_adpe, 0), -COALESCE(OLD.manufacturing_pe, 0), -COALESCE(OLD.use_gwp, 0), -COALESCE(OLD.use_adpe, 0), -COALESCE(OLD.use_pe, 0), -COALESCE(OLD.idle_gwp, 0), -COALESCE(OLD.idle_adpe, 0), -COALESCE(OLD.idle_pe, 0), -COALESCE(OLD.facility_gwp, 0), -COALESCE(OLD.facility_adpe, 0), -COALESCE(OLD.facility_pe, 0))
    ON CONFLICT (month, account, partition, state, node_group, measured, bucket_cpu_load, bucket_gpu_load) DO UPDATE SET
        jobs = jobs + excluded.jobs,
        estimated = estimated + excluded.estimated,
        node_hours = node_hours + excluded.node_hours,
        cpu_load_hours = cpu_load_hours + excluded.cpu_load_hours,
        gpu_load_hours = gpu_load_hours + excluded.gpu_load_hours,
        measured_kwh = measured_kwh + excluded.measured_kwh,
        core_hours = core_hours + excluded.core_hours,
        gpu_hours = gpu_hours + excluded.gpu_hours,
        energy_kwh = energy_kwh + excluded.energy_kwh,
        energy_with_overhead_kwh = energy_with_overhead_kwh + excluded.energy_with_overhead_kwh,
        idle_energy_kwh = idle_energy_kwh + excluded.idle_energy_kwh,
        gwp = gwp + excluded.gwp,
        adpe = adpe + excluded.adpe,
        pe = pe + excluded.pe,
        manufacturing_gwp = manufacturing_gwp + excluded.manufacturing_gwp,
        manufacturing_adpe = manufacturing_adpe + excluded.manufacturing_adpe,
        manufacturing_pe = manufacturing_pe + excluded.manufacturing_pe,
        use_gwp = use_gwp + excluded.use_gwp,
        use_adpe = use_adpe + excluded.use_adpe,
        use_pe = use_pe + excluded.use_pe,
        idle_gwp = idle_gwp + excluded.idle_gwp,
        idle_adpe = idle_adpe + excluded.idle_adpe,
        idle_pe = idle_pe + excluded.idle_pe,
        facility_gwp = facility_gwp + excluded.facility_gwp,
        facility_adpe = facility_adpe + excluded.facility_adpe,
        facility_pe = facility_pe + excluded.facility_pe;
END;

-- Sums of the jobs already stored (a database of version 1).
INSERT INTO job_sums (month, account, partition, state, node_group, measured, bucket_cpu_load, bucket_gpu_load, jobs, estimated, node_hours, cpu_load_hours, gpu_load_hours, measured_kwh, core_hours, gpu_hours, energy_kwh, energy_with_overhead_kwh, idle_energy_kwh, gwp, adpe, pe, manufacturing_gwp, manufacturing_adpe, manufacturing_pe, use_gwp, use_adpe, use_pe, idle_gwp, idle_adpe, idle_pe, facility_gwp, facility_adpe, facility_pe)
SELECT CASE WHEN COALESCE(jobs.start_time, jobs.end_time) IS NULL THEN -1 ELSE CAST(strftime('%s', COALESCE(jobs.start_time, jobs.end_time), 'unixepoch', 'start of month') AS INTEGER) END, COALESCE(jobs.account, ''), COALESCE(jobs.partition, ''), COALESCE(jobs.state, ''), COALESCE(jobs.node_group, -1), COALESCE(jobs.measured, -1), CASE WHEN jobs.per_load = 1 THEN jobs.bucket_cpu_load ELSE -1 END, CASE WHEN jobs.per_load = 1 THEN jobs.bucket_gpu_load ELSE -1 END, COUNT(*), COUNT(node_hours), COALESCE(SUM(node_hours), 0), COALESCE(SUM(cpu_load_hours), 0), COALESCE(SUM(gpu_load_hours), 0), COALESCE(SUM(measured_kwh), 0), COALESCE(SUM(core_hours), 0), COALESCE(SUM(gpu_hours), 0), COALESCE(SUM(energy_kwh), 0), COALESCE(SUM(energy_with_overhead_kwh), 0), COALESCE(SUM(idle_energy_kwh), 0), COALESCE(SUM(gwp), 0), COALESCE(SUM(adpe), 0), COALESCE(SUM(pe), 0), COALESCE(SUM(manufacturing_gwp), 0), COALESCE(SUM(manufacturing_adpe), 0), COALESCE(SUM(manufacturing_pe), 0), COALESCE(SUM(use_gwp), 0), COALESCE(SUM(use_adpe), 0), COALESCE(SUM(use_pe), 0), COALESCE(SUM(idle_gwp), 0), COALESCE(SUM(idle_adpe), 0), COALESCE(SUM(idle_pe), 0), COALESCE(SUM(facility_gwp), 0), COALESCE(SUM(facility_adpe), 0), COALESCE(SUM(facility_pe), 0)
FROM jobs GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

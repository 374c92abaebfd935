-- Sums of jobs per month, account, partition, state and Monte Carlo bucket: the PostgreSQL form of
-- migrations/sqlite/0002_job_sums.sql (its comments say why and how).
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

CREATE FUNCTION jobs_sums_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO job_sums (month, account, partition, state, node_group, measured, bucket_cpu_load, bucket_gpu_load, jobs, estimated, node_hours, cpu_load_hours, gpu_load_hours, measured_kwh, core_hours, gpu_hours, energy_kwh, energy_with_overhead_kwh, idle_energy_kwh, gwp, adpe, pe, manufacturing_gwp, manufacturing_adpe, manufacturing_pe, use_gwp, use_adpe, use_pe, idle_gwp, idle_adpe, idle_pe, facility_gwp, facility_adpe, facility_pe)
    VALUES (CASE WHEN COALESCE(OLD.start_time, OLD.end_time) IS NULL THEN -1 ELSE CAST(EXTRACT(EPOCH FROM date_trunc('month', to_timestamp(COALESCE(OLD.start_time, OLD.end_time)) AT TIME ZONE 'UTC')) AS BIGINT) END, COALESCE(OLD.account, ''), COALESCE(OLD.partition, ''), COALESCE(OLD.state, ''), COALESCE(OLD.node_group, -1), COALESCE(OLD.measured, -1), CASE WHEN OLD.per_load = 1 THEN OLD.bucket_cpu_load ELSE -1 END, CASE WHEN OLD.per_load = 1 THEN OLD.bucket_gpu_load ELSE -1 END, -1, -(CASE WHEN OLD.node_hours IS NULL THEN 0 ELSE 1 END), -COALESCE(OLD.node_hours, 0), -COALESCE(OLD.cpu_load_hours, 0), -COALESCE(OLD.gpu_load_hours, 0), -COALESCE(OLD.measured_kwh, 0), -COALESCE(OLD.core_hours, 0), -COALESCE(OLD.gpu_hours, 0), -COALESCE(OLD.energy_kwh, 0), -COALESCE(OLD.energy_with_overhead_kwh, 0), -COALESCE(OLD.idle_energy_kwh, 0), -COALESCE(OLD.gwp, 0), -COALESCE(OLD.adpe, 0), -COALESCE(OLD.pe, 0), -COALESCE(OLD.manufacturing_gwp, 0), -COALESCE(OLD.manufacturing_adpe, 0), -COALESCE(OLD.manufacturing_pe, 0), -COALESCE(OLD.use_gwp, 0), -COALESCE(OLD.use_adpe, 0), -COALESCE(OLD.use_pe, 0), -COALESCE(OLD.idle_gwp, 0), -COALESCE(OLD.idle_adpe, 0), -COALESCE(OLD.idle_pe, 0), -COALESCE(OLD.facility_gwp, 0), -COALESCE(OLD.facility_adpe, 0), -COALESCE(OLD.facility_pe, 0))
    ON CONFLICT (month, account, partition, state, node_group, measured, bucket_cpu_load, bucket_gpu_load) DO UPDATE SET
        jobs = job_sums.jobs + excluded.jobs,
        estimated = job_sums.estimated + excluded.estimated,
        node_hours = job_sums.node_hours + excluded.node_hours,
        cpu_load_hours = job_sums.cpu_load_hours + excluded.cpu_load_hours,
        gpu_load_hours = job_sums.gpu_load_hours + excluded.gpu_load_hours,
        measured_kwh = job_sums.measured_kwh + excluded.measured_kwh,
        core_hours = job_sums.core_hours + excluded.core_hours,
        gpu_hours = job_sums.gpu_hours + excluded.gpu_hours,
        energy_kwh = job_sums.energy_kwh + excluded.energy_kwh,
        energy_with_overhead_kwh = job_sums.energy_with_overhead_kwh + excluded.energy_with_overhead_kwh,
        idle_energy_kwh = job_sums.idle_energy_kwh + excluded.idle_energy_kwh,
        gwp = job_sums.gwp + excluded.gwp,
        adpe = job_sums.adpe + excluded.adpe,
        pe = job_sums.pe + excluded.pe,
        manufacturing_gwp = job_sums.manufacturing_gwp + excluded.manufacturing_gwp,
        manufacturing_adpe = job_sums.manufacturing_adpe + excluded.manufacturing_adpe,
        manufacturing_pe = job_sums.manufacturing_pe + excluded.manufacturing_pe,
        use_gwp = job_sums.use_gwp + excluded.use_gwp,
        use_adpe = job_sums.use_adpe + excluded.use_adpe,
        use_pe = job_sums.use_pe + excluded.use_pe,
        idle_gwp = job_sums.idle_gwp + excluded.idle_gwp,
        idle_adpe = job_sums.idle_adpe + excluded.idle_adpe,
        idle_pe = job_sums.idle_pe + excluded.idle_pe,
        facility_gwp = job_sums.facility_gwp + excluded.facility_gwp,
        facility_adpe = job_sums.facility_adpe + excluded.facility_adpe,
        facility_pe = job_sums.facility_pe + excluded.facility_pe;
    RETURN OLD;
END
$$;

CREATE TRIGGER jobs_sums_delete AFTER DELETE ON jobs FOR EACH ROW EXECUTE FUNCTION jobs_sums_delete();

INSERT INTO job_sums (month, account, partition, state, node_group, measured, bucket_cpu_load, bucket_gpu_load, jobs, estimated, node_hours, cpu_load_hours, gpu_load_hours, measured_kwh, core_hours, gpu_hours, energy_kwh, energy_with_overhead_kwh, idle_energy_kwh, gwp, adpe, pe, manufacturing_gwp, manufacturing_adpe, manufacturing_pe, use_gwp, use_adpe, use_pe, idle_gwp, idle_adpe, idle_pe, facility_gwp, facility_adpe, facility_pe)
SELECT CASE WHEN COALESCE(jobs.start_time, jobs.end_time) IS NULL THEN -1 ELSE CAST(EXTRACT(EPOCH FROM date_trunc('month', to_timestamp(COALESCE(jobs.start_time, jobs.end_time)) AT TIME ZONE 'UTC')) AS BIGINT) END, COALESCE(jobs.account, ''), COALESCE(jobs.partition, ''), COALESCE(jobs.state, ''), COALESCE(jobs.node_group, -1), COALESCE(jobs.measured, -1), CASE WHEN jobs.per_load = 1 THEN jobs.bucket_cpu_load ELSE -1 END, CASE WHEN jobs.per_load = 1 THEN jobs.bucket_gpu_load ELSE -1 END, COUNT(*), COUNT(node_hours), COALESCE(SUM(node_hours), 0), COALESCE(SUM(cpu_load_hours), 0), COALESCE(SUM(gpu_load_hours), 0), COALESCE(SUM(measured_kwh), 0), COALESCE(SUM(core_hours), 0), COALESCE(SUM(gpu_hours), 0), COALESCE(SUM(energy_kwh), 0), COALESCE(SUM(energy_with_overhead_kwh), 0), COALESCE(SUM(idle_energy_kwh), 0), COALESCE(SUM(gwp), 0), COALESCE(SUM(adpe), 0), COALESCE(SUM(pe), 0), COALESCE(SUM(manufacturing_gwp), 0), COALESCE(SUM(manufacturing_adpe), 0), COALESCE(SUM(manufacturing_pe), 0), COALESCE(SUM(use_gwp), 0), COALESCE(SUM(use_adpe), 0), COALESCE(SUM(use_pe), 0), COALESCE(SUM(idle_gwp), 0), COALESCE(SUM(idle_adpe), 0), COALESCE(SUM(idle_pe), 0), COALESCE(SUM(facility_gwp), 0), COALESCE(SUM(facility_adpe), 0), COALESCE(SUM(facility_pe), 0)
FROM jobs GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

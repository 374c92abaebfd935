# The SQL of a migration that adds columns to the jobs and to every table of sums, and writes again
# the triggers that carry the sums (those of migrations 2, 4 and 5, taken over by 7 and 8) with the
# sums given: shared by the generators 0007_water.py and 0008_grid.py. A migration, once released,
# never changes; a later one calls `write` with its own sums.
KEYS = ["month", "account", "partition", "state", "node_group", "measured", "bucket_cpu_load", "bucket_gpu_load"]
CRITERIA = ["gwp", "adpe", "pe", "water"]
PHASES = ["manufacturing", "use", "idle", "facility"]
IMPACTS = CRITERIA + [f"{p}_{c}" for p in PHASES for c in CRITERIA]
USAGE = ["node_hours", "cpu_load_hours", "gpu_load_hours", "measured_kwh", "core_hours", "gpu_hours",
         "energy_kwh", "energy_with_overhead_kwh", "idle_energy_kwh"]
SUM_TABLES = ["job_sums", "job_sums_month", "job_sums_state", "job_sums_user", "job_sums_user_all"]
MONTH = {
    "sqlite": "CAST(strftime('%s', COALESCE({r}.start_time, {r}.end_time), 'unixepoch', 'start of month') AS INTEGER)",
    "postgres": "CAST(EXTRACT(EPOCH FROM date_trunc('month', to_timestamp(COALESCE({r}.start_time, {r}.end_time)) AT TIME ZONE 'UTC')) AS BIGINT)",
}
COUNTED = {"sqlite": "-(OLD.node_hours IS NOT NULL)", "postgres": "-(CASE WHEN OLD.node_hours IS NULL THEN 0 ELSE 1 END)"}


def columns(job_columns, sum_columns):
    out = [f"ALTER TABLE jobs ADD COLUMN {c} DOUBLE PRECISION;\n" for c in job_columns]
    for t in SUM_TABLES:
        out += [f"ALTER TABLE {t} ADD COLUMN {c} DOUBLE PRECISION NOT NULL DEFAULT 0;\n" for c in sum_columns]
    return "".join(out) + "\n"

def key_values(d, r, keys):
    month = MONTH[d].format(r=r)
    out = []
    for k in keys:
        if k == "month":
            out.append(f"CASE WHEN COALESCE({r}.start_time, {r}.end_time) IS NULL THEN -1 ELSE {month} END")
        elif k in ("account", "partition", "state", "user_name"):
            out.append(f"COALESCE({r}.{k}, '')")
        elif k in ("node_group", "measured"):
            out.append(f"COALESCE({r}.{k}, -1)")
        else:
            x = k.split("_")[1]
            out.append(f"CASE WHEN {r}.per_load = 1 THEN {r}.bucket_{x}_load ELSE -1 END")
    return out

def take_out(d, table, keys, conflict, SUMS):
    """What a job deleted by hand takes out of a table of sums."""
    values = key_values(d, "OLD", keys) + ["-1", COUNTED[d]] + [f"-COALESCE(OLD.{s}, 0)" for s in SUMS]
    q = f"{table}." if d == "postgres" else ""
    sets = ",\n        ".join(f"{s} = {q}{s} + excluded.{s}" for s in ["jobs", "estimated"] + SUMS)
    return (f"    INSERT INTO {table} ({', '.join(keys + ['jobs', 'estimated'] + SUMS)})\n"
            f"    VALUES ({', '.join(values)})\n"
            f"    ON CONFLICT ({', '.join(conflict)}) DO UPDATE SET\n        {sets};\n")

ROLLUPS = [("job_sums_month", "state"), ("job_sums_state", "month")]
OPS = {
    "INSERT": ("NEW", lambda s: f"NEW.{s}"),
    "UPDATE": ("NEW", lambda s: f"NEW.{s} - OLD.{s}"),
    "DELETE": ("OLD", lambda s: f"-OLD.{s}"),
}

def upsert(name, drop, row, value, qualify, SUMS):
    ROLLUP_SUMS = ["jobs", "estimated"] + SUMS
    keys = [k for k in KEYS if k != drop]
    q = f"{name}." if qualify else ""
    sets = ",\n        ".join(f"{s} = {q}{s} + excluded.{s}" for s in ROLLUP_SUMS)
    return (f"    INSERT INTO {name} ({', '.join(keys + ROLLUP_SUMS)})\n"
            f"    VALUES ({', '.join(f'{row}.{k}' for k in keys)}, {', '.join(value(s) for s in ROLLUP_SUMS)})\n"
            f"    ON CONFLICT ({', '.join(keys)}) DO UPDATE SET\n        {sets};\n")

USER_KEYS = ["month", "user_name", "account", "partition", "node_group", "measured", "bucket_cpu_load", "bucket_gpu_load"]
USER_PRIMARY = ["user_name", "month", "account", "partition", "node_group", "measured", "bucket_cpu_load", "bucket_gpu_load"]
ALL_KEYS = [k for k in USER_KEYS if k != "month"]
ALL_PRIMARY = [k for k in USER_PRIMARY if k != "month"]

def sqlite(HEAD, SUMS, job_columns, sum_columns):
    d = "sqlite"
    out = [HEAD, columns(job_columns, sum_columns)]
    out.append("DROP TRIGGER jobs_sums_delete;\n")
    out.append("CREATE TRIGGER jobs_sums_delete AFTER DELETE ON jobs BEGIN\n" + take_out(d, "job_sums", KEYS, KEYS, SUMS) + "END;\n\n")
    for op, (row, value) in OPS.items():
        out.append(f"DROP TRIGGER job_sums_rollup_{op.lower()};\n")
        out.append(f"CREATE TRIGGER job_sums_rollup_{op.lower()} AFTER {op} ON job_sums BEGIN\n")
        for name, drop in ROLLUPS:
            out.append(upsert(name, drop, row, value, False, SUMS))
        out.append("END;\n\n")
    out.append("DROP TRIGGER jobs_sums_user_delete;\n")
    out.append("CREATE TRIGGER jobs_sums_user_delete AFTER DELETE ON jobs BEGIN\n"
               + take_out(d, "job_sums_user", USER_KEYS, USER_PRIMARY, SUMS)
               + take_out(d, "job_sums_user_all", ALL_KEYS, ALL_PRIMARY, SUMS) + "END;\n")
    return "".join(out)

def postgres(HEAD, SUMS, job_columns, sum_columns):
    d = "postgres"
    out = [HEAD, columns(job_columns, sum_columns)]
    out.append("CREATE OR REPLACE FUNCTION jobs_sums_delete() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
               + take_out(d, "job_sums", KEYS, KEYS, SUMS) + "    RETURN OLD;\nEND\n$$;\n\n")
    out.append("CREATE OR REPLACE FUNCTION job_sums_rollup() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n")
    for i, (op, (row, value)) in enumerate(OPS.items()):
        out.append(f"{'IF' if i == 0 else 'ELSIF'} TG_OP = '{op}' THEN\n")
        for name, drop in ROLLUPS:
            out.append(upsert(name, drop, row, value, True, SUMS))
    out.append("END IF;\nRETURN NULL;\nEND\n$$;\n\n")
    out.append("CREATE OR REPLACE FUNCTION jobs_sums_user_delete() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
               + take_out(d, "job_sums_user", USER_KEYS, USER_PRIMARY, SUMS)
               + take_out(d, "job_sums_user_all", ALL_KEYS, ALL_PRIMARY, SUMS) + "    RETURN OLD;\nEND\n$$;\n")
    return "".join(out)


def write(name, head, sums, job_columns, sum_columns):
    """Writes sqlite/NAME.sql and postgres/NAME.sql beside this file."""
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    open(os.path.join(here, f"sqlite/{name}.sql"), "w").write(sqlite(head, sums, job_columns, sum_columns))
    open(os.path.join(here, f"postgres/{name}.sql"), "w").write(postgres(head, sums, job_columns, sum_columns))

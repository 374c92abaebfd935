"""The official reader on the same work as `cargo bench -p impacts-darshan --bench read`.

Every log of ../shared/data/darshan-logs: open, job, executable, mounts, name records, and every
record of POSIX, MPI-IO, STDIO, DXT_POSIX, DXT_MPIIO and HEATMAP, through PyDarshan's C library
(libdarshan-util, called with cffi: one Python call per record, no conversion to numpy).

    python3 -m venv /tmp/pyd && /tmp/pyd/bin/pip install darshan==3.5.0
    /tmp/pyd/bin/python crates/impacts-darshan/benches/pydarshan_read.py
"""
import glob
import os
import time

from darshan.backend import cffi_backend as b

ffi, lib = b.ffi, b.libdutil
here = os.path.dirname(os.path.abspath(__file__))
logs = sorted(glob.glob(os.path.join(here, "../../../../shared/data/darshan-logs/**/*.darshan"), recursive=True))
MODS = ["POSIX", "MPI-IO", "STDIO", "DXT_POSIX", "DXT_MPIIO", "HEATMAP"]


def read_all():
    records = 0
    for path in logs:
        h = lib.darshan_log_open(path.encode())
        job = ffi.new("struct darshan_job *")
        lib.darshan_log_get_job(h, job)
        exe = ffi.new("char[]", 4096)
        lib.darshan_log_get_exe(h, exe)
        mnts = ffi.new("struct darshan_mnt_info **")
        cnt = ffi.new("int *")
        lib.darshan_log_get_mounts(h, mnts, cnt)
        mods = b.log_get_modules({"handle": h, "modules": None, "name_records": None})
        b.log_get_name_records({"handle": h, "modules": mods, "name_records": None})
        for m in MODS:
            if m not in mods:
                continue
            idx = mods[m]["idx"]
            buf = ffi.new("void **")
            while lib.darshan_log_get_record(h, idx, buf) > 0:
                records += 1
                lib.darshan_free(buf[0])
                buf[0] = ffi.NULL
        lib.darshan_log_close(h)
    return records


size = sum(os.path.getsize(p) for p in logs)
read_all()  # warm-up
times = []
for _ in range(5):
    t = time.perf_counter()
    n = read_all()
    times.append(time.perf_counter() - t)
times.sort()
print(f"PyDarshan 3.5.0 C backend: {len(logs)} logs, {size / 1e6:.2f} MB, {n} records; "
      f"best {times[0] * 1e3:.1f} ms ({len(logs) / times[0]:.0f} logs/s), median {times[2] * 1e3:.1f} ms")

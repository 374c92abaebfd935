"""Every record of every log, as the official reader returns it, for `tests/official.rs`.

The official reader is libdarshan-util, shipped in PyDarshan's wheel (pip install darshan==3.5.0)
and called here through PyDarshan's cffi backend. One JSON object per log and per line on stdout:

    {"file": NAME, "modules": {MODULE: [RECORD, ...], ...}}

Doubles are written as the bit patterns of their IEEE 754 value (an unsigned 64-bit integer), so
that the comparison is exact and values that are not numbers survive JSON.

    python3 dump.py LOG...
"""
import json
import struct
import sys

from darshan.backend import cffi_backend as b

COUNTED = ["POSIX", "MPI-IO", "STDIO", "H5F", "H5D", "PNETCDF_FILE", "PNETCDF_VAR", "BG/Q"]


def bits(x):
    return struct.unpack("<Q", struct.pack("<d", float(x)))[0]


def record(mod, r):
    out = {"id": int(r["id"]), "rank": int(r["rank"])}
    if mod in COUNTED:
        out["counters"] = [int(c) for c in r["counters"]]
        out["fcounters"] = [bits(c) for c in r["fcounters"]]
        if "file_rec_id" in r:
            out["file_rec_id"] = int(r["file_rec_id"])
    elif mod == "LUSTRE":
        out["components"] = [
            {
                "counters": [int(c) for c in comp["counters"]],
                "pool_name": comp["pool_name"],
                "ost_ids": [int(o) for o in comp["ost_ids"]],
            }
            for comp in r["components"]
        ]
    elif mod in ("DXT_POSIX", "DXT_MPIIO"):
        out["hostname"] = r["hostname"]
        seg = lambda s: [int(s["offset"]), int(s["length"]), bits(s["start_time"]), bits(s["end_time"])]
        out["write_segments"] = [seg(s) for s in r["write_segments"]]
        out["read_segments"] = [seg(s) for s in r["read_segments"]]
    elif mod == "HEATMAP":
        out["bin_width"] = bits(r["bin_width_seconds"])
        out["write_bins"] = [int(x) for x in r["write_bins"]]
        out["read_bins"] = [int(x) for x in r["read_bins"]]
    return out


def main(paths):
    for path in paths:
        log = b.log_open(path)
        mods = {}
        for mod in b.log_get_modules(log):
            if mod not in COUNTED + ["LUSTRE", "DXT_POSIX", "DXT_MPIIO", "HEATMAP"]:
                continue
            recs = []
            while True:
                r = b.log_get_record(log, mod, dtype="numpy")
                if r is None:
                    break
                recs.append(record(mod, r))
            mods[mod] = recs
        b.log_close(log)
        print(json.dumps({"file": path, "modules": mods}))


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env python3
"""Regenerates the derived files of the data bundle from the published packages they come from.

The bundle's numbers are facts carried over from public datasets; this script records exactly which
file of which package each row comes from, so that every row can be traced and the bundle rebuilt.
It reads the packages from a cache folder (default /tmp/impacts-bundle-sources) and downloads them
there with pip when they are missing:

    python3 data/tools/build_bundle.py            # rewrites data/*.csv listed below
    python3 data/tools/build_bundle.py --check    # fails when a file would change

Written files (each row carries source, year and licence columns; see data/README.md):
    data/cpus.csv, data/cpu_power_profiles.csv, data/gpus.csv, data/ram_density.csv,
    data/ssd_density.csv, data/zones.csv, data/electricity.csv, data/batteries.csv,
    data/cooling.csv

Hand-maintained files (not written here): data/bibliography.toml, data/criteria.toml,
data/constants.toml, data/gpus_datacenter.csv, data/centers/*.toml, data/water.csv,
data/electricity_2024.csv (Ember), data/memory_generations.csv, data/cpu_die_corrections.csv (read
over cpus.csv by the default method), data/validation.toml.
"""

import argparse
import csv
import io
import json
import os
import subprocess
import sys
import tarfile
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.dirname(HERE)

PACKAGES = {
    # name: (pip spec, archive file name, kind)
    "impacts-hpc": ("impacts-hpc==0.0.8", "impacts_hpc-0.0.8.tar.gz", "sdist"),
    "boaviztapi": ("boaviztapi==2.5.0", "boaviztapi-2.5.0-py3-none-any.whl", "wheel"),
    "ecologits": ("ecologits==0.11.3", "ecologits-0.11.3-py3-none-any.whl", "wheel"),
    "codecarbon": ("codecarbon==3.3.2", "codecarbon-3.3.2-py3-none-any.whl", "wheel"),
}

IHPC = "impacts-hpc 0.0.8"
IHPC_LICENCE = "GPL-3.0-or-later"
BOAVIZTA_LICENCE = "AGPL-3.0"
ECOLOGITS_LICENCE = "MPL-2.0"
CODECARBON_LICENCE = "MIT; data CC-BY-4.0"


def fetch(cache):
    os.makedirs(cache, exist_ok=True)
    members = {}
    for name, (spec, archive, kind) in PACKAGES.items():
        path = os.path.join(cache, archive)
        if not os.path.exists(path):
            cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-d", cache, spec]
            if kind == "sdist":
                cmd += ["--no-binary", ":all:", "--python-version", "3.12"]
            subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        members[name] = path
    return members


def read_member(archive, suffix):
    """Text of the archive member whose path ends with `suffix`."""
    if archive.endswith(".tar.gz"):
        with tarfile.open(archive) as tar:
            for m in tar.getmembers():
                if m.name.endswith(suffix):
                    return tar.extractfile(m).read().decode("utf-8")
    else:
        with zipfile.ZipFile(archive) as z:
            for n in z.namelist():
                if n.endswith(suffix):
                    return z.read(n).decode("utf-8")
    raise SystemExit(f"{archive}: no member ending with {suffix}")


def g(r, k):
    return (r.get(k) or "").strip()


def rows(text):
    return list(csv.DictReader(io.StringIO(text)))


def num(s):
    s = (s or "").strip()
    if not s:
        return ""
    v = float(s)
    return repr(int(v)) if v.is_integer() else repr(v)


def source_key_for_url(url):
    u = (url or "").strip()
    if "techpowerup.com" in u:
        return "techpowerup"
    if "cloud-carbon-coefficients" in u or "cloud-carbon-footprint" in u:
        return "ccf-coefficients"
    if "wikichip" in u:
        return "wikichip"
    if "cpu-world" in u:
        return "cpu-world"
    if "cpubenchmark" in u:
        return "passmark"
    if "wikipedia" in u:
        return "wikipedia"
    if "intel.com" in u or "amd.com" in u or "nvidia.com" in u:
        return "manufacturer"
    if not u:
        return "boaviztapi-crowdsourcing"
    return "boaviztapi-crowdsourcing"


def die_area_basis(origin):
    """Classifies how the crowdsourced table obtained a die area (see data/README.md)."""
    o = (origin or "").strip()
    if not o:
        return "unstated"
    if o.startswith("io_die_size"):
        return "measured"
    if o.startswith("Max value"):
        return "family-upper-bound"
    if o.startswith("Value of"):
        return "proxy"
    if o.startswith("Rule of three"):
        return "scaled"
    if o.startswith("Linear regression"):
        return "regression"
    return "estimate"


def build_cpus(ihpc):
    src = rows(read_member(ihpc, "components_data/crowdsourcing/cpu_specs.csv"))
    out, seen = [], set()
    for r in src:
        name = g(r, "name")
        if name == "test CPU":
            continue  # a fixture row of the reference, not a processor
        key = tuple((k, (v or "").strip() if isinstance(v, str) else "") for k, v in r.items() if k != "name") + (("name", name),)
        if key in seen:
            continue  # exact duplicates in the source file
        seen.add(key)
        die = num(r.get("total_die_size"))
        out.append({
            "name": name,
            "manufacturer": g(r, "manufacturer"),
            "family": g(r, "code_name"),
            "model_range": g(r, "model_range"),
            "release_date": g(r, "release_date"),
            "cores": num(r.get("cores")),
            "threads": num(r.get("threads")),
            "tdp_w": num(r.get("tdp")),
            "die_area_mm2": die,
            "die_area_basis": die_area_basis(g(r, "total_die_size_source")) if die else "",
            "die_area_origin": g(r, "total_die_size_source") if die else "",
            "source": source_key_for_url(r["source"]),
            "source_url": g(r, "source"),
            "year": "2025",
            "licence": IHPC_LICENCE,
            "origin": f"{IHPC}: impactshpc/components_data/crowdsourcing/cpu_specs.csv",
        })
    return out


def build_profiles(ihpc):
    src = rows(read_member(ihpc, "components_data/cpu_profile.csv"))
    return [{
        "manufacturer": r["manufacturer"], "model_range": r["model_range"],
        "a": r["a"], "b": r["b"], "c": r["c"], "d": r["d"],
        "source": "boavizta-2024", "year": "2024", "licence": IHPC_LICENCE,
        "origin": f"{IHPC}: impactshpc/components_data/cpu_profile.csv",
    } for r in src]


def build_gpus(ihpc):
    src = rows(read_member(ihpc, "components_data/crowdsourcing/gpu_specs.csv"))
    out = []
    for r in src:
        out.append({
            "name": g(r, "name"),
            "chip": g(r, "gpu_name"),
            "variant": g(r, "gpu_variant"),
            "architecture": g(r, "gpu_architecture"),
            "family": g(r, "family"),
            "release_date": g(r, "release_date"),
            "tdp_w": num(r.get("tdp")),
            "die_area_mm2": num(r.get("gpu_die_size")),
            "dies": "1",
            "memory_gb": num(r.get("memory_size")),
            "source": "techpowerup",
            "source_url": g(r, "source"),
            "year": "2025",
            "licence": IHPC_LICENCE,
            "origin": f"{IHPC}: impactshpc/components_data/crowdsourcing/gpu_specs.csv",
        })
    return out


def build_ram(ihpc):
    src = rows(read_member(ihpc, "components_data/crowdsourcing/ram_manufacture.csv"))
    return [{
        "manufacturer": g(r, "manufacturer"), "process_nm": num(r.get("process")),
        "density_gb_per_cm2": num(r.get("density")), "source": "boavizta-2024", "year": "2024",
        "licence": IHPC_LICENCE,
        "origin": f"{IHPC}: impactshpc/components_data/crowdsourcing/ram_manufacture.csv",
    } for r in src]


def build_ssd(ihpc):
    src = rows(read_member(ihpc, "components_data/crowdsourcing/ssd_manufacture.csv"))
    out = []
    for r in src:
        out.append({
            "manufacturer": g(r, "manufacturer"), "layers": num(r.get("layers")),
            "bits_per_cell": num(r.get("bits/cell")), "density_gb_per_cm2": num(r.get("density")),
            "year": (r["Année"] or "").strip(), "source": "boavizta-2024",
            "source_url": g(r, "source"), "licence": IHPC_LICENCE,
            "origin": f"{IHPC}: impactshpc/components_data/crowdsourcing/ssd_manufacture.csv",
        })
    return out


def build_batteries(ihpc):
    src = rows(read_member(ihpc, "components_data/batteries_impacts.csv"))
    return [{
        "chemistry": r["type"], "wh_per_kg": num(r.get("wh_per_kg")),
        "gwp_kg_per_kg": num(r.get("CO2_per_kg")), "source": "impacts-hpc", "year": "2025",
        "licence": IHPC_LICENCE,
        "origin": f"{IHPC}: impactshpc/components_data/batteries_impacts.csv",
    } for r in src]


def build_cooling(ihpc):
    impacts = rows(read_member(ihpc, "components_data/cooling/cooling_impacts.csv"))
    factors = rows(read_member(ihpc, "components_data/cooling/extrapolation_factors.csv"))
    out = []
    # Reference impacts of the PEP ecopassport of a chiller, per kW of cooling capacity.
    units = {"gwp": "kgCO2eq/kW", "adpe": "kgSbeq/kW", "pe": "MJ/kW"}
    for r in impacts:
        for phase in ("manufacturing", "distribution", "installation"):
            out.append({
                "table": "reference", "capacity_kw": "", "criterion": r["criteria"], "phase": phase,
                "value": num(r[phase]), "unit": units[r["criteria"]], "source": "pep-chiller",
                "year": "2025", "licence": IHPC_LICENCE,
                "origin": f"{IHPC}: impactshpc/components_data/cooling/cooling_impacts.csv",
            })
    for r in factors:
        for phase in ("manufacturing", "distribution", "installation"):
            out.append({
                "table": "extrapolation", "capacity_kw": num(r.get("Capacity kW")), "criterion": "",
                "phase": phase, "value": num(r[phase]), "unit": "1", "source": "pep-chiller",
                "year": "2025", "licence": IHPC_LICENCE,
                "origin": f"{IHPC}: impactshpc/components_data/cooling/extrapolation_factors.csv",
            })
    return out


# Total primary energy of a kWh of electricity is at least the kWh itself (3.6 MJ).
MIN_PE_MJ_PER_KWH = 3.6


def build_electricity(boavizta, ecologits, codecarbon):
    import pycountry  # ISO 3166 codes and names (facts), pip install pycountry

    text = read_member(boavizta, "boaviztapi/data/crowdsourcing/electrical_mix.csv")
    table = list(csv.reader(io.StringIO(text)))
    header, names = table[0], table[1]
    zones = header[7:]
    zone_names = dict(zip(zones, names[7:]))
    cells = []
    src_keys = {
        "https://www.sciencedirect.com/science/article/pii/S0306261921012149": "applied-energy-2021",
        "https://ember-climate.org/data/data-explorer": "ember-2020",
        "ADEME Base IMPACTS ®": "ademe-base-impacts",
        "Average of all country in the csv": "boaviztapi-world-average",
        "ADPf / (1-%renewable_energy)": "boaviztapi-pe-derivation",
    }
    # kg -> g for gwp and adpe; pe stays MJ.
    scale = {"gwp": 1000.0, "adpe": 1000.0, "pe": 1.0}
    unit = {"gwp": "gCO2eq/kWh", "adpe": "gSbeq/kWh", "pe": "MJ/kWh"}
    for row in table[2:]:
        crit = row[6]
        if crit not in scale:
            continue
        source = src_keys[row[3]]
        for z, v in zip(zones, row[7:]):
            v = v.strip()
            if not v:
                continue
            if crit == "pe" and float(v) < MIN_PE_MJ_PER_KWH:
                # ADPf / (1 - renewable share) of a (nearly) all-renewable mix: the non-renewable
                # part only, not total primary energy (docs/method.md#pe).
                continue
            cells.append({
                "zone": z, "criterion": crit, "value": repr(round(float(v) * scale[crit], 12)),
                "unit": unit[crit], "priority": row[4], "source": source, "year": row[5],
                "licence": BOAVIZTA_LICENCE + ("; ADEME Base IMPACTS terms"
                                               if "ademe" in source or "pe-derivation" in source else ""),
                "origin": "boaviztapi 2.5.0: boaviztapi/data/crowdsourcing/electrical_mix.csv",
            })
    # Alternative published values, used only for the uncertainty ranges (priority 9).
    eco = json.loads(read_member(ecologits, "ecologits/data/electricity_mixes.json"))["electricity_mixes"]
    for m in eco:
        warn = set(m.get("warnings") or [])
        # EcoLogits' `pe` is ADEME's ADPf (fossil and nuclear only), not total primary energy.
        for crit in ("gwp", "adpe"):
            if f"electricity-mix-{crit}-world" in warn:
                continue  # a world fallback, not a value for the zone
            cells.append({
                "zone": m["name"], "criterion": crit, "value": repr(round(m[crit] * scale[crit], 12)),
                "unit": unit[crit], "priority": "9", "source": "ecologits-0.11.3", "year": "2024",
                "licence": ECOLOGITS_LICENCE,
                "origin": "ecologits 0.11.3: ecologits/data/electricity_mixes.json",
            })
    cc = json.loads(read_member(codecarbon, "codecarbon/data/private_infra/global_energy_mix.json"))
    for code, m in cc.items():
        if m.get("carbon_intensity") is None:
            continue
        cells.append({
            "zone": code, "criterion": "gwp", "value": repr(float(m["carbon_intensity"])),
            "unit": unit["gwp"], "priority": "9", "source": "codecarbon-ember", "year": str(m.get("year", "")),
            "licence": CODECARBON_LICENCE,
            "origin": "codecarbon 3.3.2: codecarbon/data/private_infra/global_energy_mix.json",
        })
    zone_rows = []
    for z in zones:
        if z == "WOR":
            zone_rows.append({"code3": "WOR", "code2": "", "name": "World", "kind": "aggregate", "aliases": "WORLD;WLD"})
            continue
        if z == "EEE":
            zone_rows.append({"code3": "EEE", "code2": "", "name": "Europe", "kind": "aggregate", "aliases": "EUROPE;EU"})
            continue
        c = pycountry.countries.get(alpha_3=z)
        if c is None:
            # SCG (Serbia and Montenegro) and ANT (Netherlands Antilles) are former ISO codes.
            hist = {"SCG": ("CS", "Serbia and Montenegro"), "ANT": ("AN", "Netherlands Antilles")}[z]
            zone_rows.append({"code3": z, "code2": hist[0], "name": hist[1], "kind": "former-country", "aliases": ""})
            continue
        aliases = {zone_names[z].strip()} | {getattr(c, "official_name", c.name), getattr(c, "common_name", c.name)}
        aliases.discard(c.name)
        zone_rows.append({"code3": z, "code2": c.alpha_2, "name": c.name, "kind": "country",
                          "aliases": ";".join(sorted(a for a in aliases if a))})
    return zone_rows, cells


def write(path, fields, data, check):
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    for r in data:
        w.writerow(r)
    text = buf.getvalue()
    full = os.path.join(DATA, path)
    if check:
        old = open(full, encoding="utf-8").read() if os.path.exists(full) else None
        if old != text:
            raise SystemExit(f"{path} would change: rerun build_bundle.py")
        return
    with open(full, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {path}: {len(data)} rows")


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--cache", default="/tmp/impacts-bundle-sources")
    p.add_argument("--check", action="store_true")
    a = p.parse_args()
    pk = fetch(a.cache)
    cpus = build_cpus(pk["impacts-hpc"])
    write("cpus.csv", list(cpus[0].keys()), cpus, a.check)
    prof = build_profiles(pk["impacts-hpc"])
    write("cpu_power_profiles.csv", list(prof[0].keys()), prof, a.check)
    gpus = build_gpus(pk["impacts-hpc"])
    write("gpus.csv", list(gpus[0].keys()), gpus, a.check)
    ram = build_ram(pk["impacts-hpc"])
    write("ram_density.csv", list(ram[0].keys()), ram, a.check)
    ssd = build_ssd(pk["impacts-hpc"])
    write("ssd_density.csv", list(ssd[0].keys()), ssd, a.check)
    bat = build_batteries(pk["impacts-hpc"])
    write("batteries.csv", list(bat[0].keys()), bat, a.check)
    cool = build_cooling(pk["impacts-hpc"])
    write("cooling.csv", list(cool[0].keys()), cool, a.check)
    zones, cells = build_electricity(pk["boaviztapi"], pk["ecologits"], pk["codecarbon"])
    write("zones.csv", ["code3", "code2", "name", "kind", "aliases"], zones, a.check)
    write("electricity.csv", list(cells[0].keys()), cells, a.check)


if __name__ == "__main__":
    main()

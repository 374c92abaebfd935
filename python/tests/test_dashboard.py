"""The dashboard in a real browser: `impacts serve` on a store filled by `impacts ingest` from a
real Slurm accounting file (../shared/data, XDMoD's phillips.log: 4,285 jobs of several users),
Debian's Chromium driven by Playwright. As two users and an administrator: the page's numbers are
the API's for the same caller (compared exactly, through the `data-` attributes that carry the
API's values), each sees their own jobs only, a period in the URL is the API's period, nothing is
logged to the console, and a screenshot of each view is written under target/screens/."""

import csv
import io
import json
import os
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT.parent / "shared" / "data" / "sacct" / "ubccr_xdmod" / "phillips.log"
FIELDS = ("jobid,jobidraw,cluster,partition,qos,account,group,gid,user,uid,submit,eligible,start,"
          "end,elapsed,exitcode,state,nnodes,ncpus,reqcpus,reqmem,reqtres,alloctres,timelimit,"
          "nodelist,jobname")
CHROMIUM = "/usr/bin/chromium"
SCREENS = ROOT / "target" / "screens"
CI = os.environ.get("CI") == "true"
# Tokens made by the service fixture, by user (for signing in without the proxy's header).
TOKENS = {}
# The service fixture's database (benchmark runs are ingested into it by a test).
PLACES = {}


def needs(what, ok):
    if not ok:
        assert not CI, f"{what} is required with CI=true (ci/test installs it)"
        pytest.skip(f"{what} is absent")


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    binary = os.environ.get("IMPACTS_BIN")
    needs("IMPACTS_BIN", binary)
    needs(str(DATA), DATA.exists())
    folder = tmp_path_factory.mktemp("dashboard")
    db = folder / "jobs.db"
    ingest = subprocess.run(
        [binary, "ingest", "--db", str(db), "--center", "jean-zay", "--default-partition",
         "cpu_p1", "--fields", FIELDS, "--quiet", str(DATA)],
        capture_output=True, text=True, check=False)
    assert ingest.returncode == 0, ingest.stderr
    # Two jobs of honbu whose energy the scheduler measured (ConsumedEnergyRaw, joules): 1 kWh
    # over 2 node-hours, and 3 kWh over 4.
    measured = folder / "measured.txt"
    measured.write_text(
        "JobID|Cluster|User|Account|Partition|State|Submit|Start|End|Elapsed|NNodes|NCPUS|"
        "ConsumedEnergyRaw\n"
        "900001|phillips|honbu|taifl|cpu_p1|COMPLETED|2017-01-02T10:00:00|2017-01-02T10:00:00|"
        "2017-01-02T12:00:00|02:00:00|1|40|3600000\n"
        "900002|phillips|honbu|taifl|cpu_p1|COMPLETED|2017-01-02T10:00:00|2017-01-02T10:00:00|"
        "2017-01-02T12:00:00|02:00:00|2|80|10800000\n")
    ingest = subprocess.run(
        [binary, "ingest", "--db", str(db), "--center", "jean-zay", "--quiet", str(measured)],
        capture_output=True, text=True, check=False)
    assert ingest.returncode == 0, ingest.stderr
    made = subprocess.run([binary, "token", "create", "--db", str(db), "--user", "noror"],
                          capture_output=True, text=True, check=True)
    TOKENS["noror"] = made.stdout.strip()
    PLACES["db"] = str(db)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    log = open(folder / "serve.log", "w")
    proc = subprocess.Popen(
        [binary, "serve", "--db", str(db), "--center", "jean-zay", "--default-partition",
         "cpu_p1", "--trusted-user-header", "X-Remote-User", "--admin", "root",
         "--listen", f"127.0.0.1:{port}"],
        stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            urllib.request.urlopen(url + "/healthz", timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail((folder / "serve.log").read_text())
    yield url
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        needs("playwright", False)
    needs(CHROMIUM, Path(CHROMIUM).exists())
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield b
        b.close()


def api(url, user, path):
    req = urllib.request.Request(url + path, headers={"X-Remote-User": user})
    with urllib.request.urlopen(req, timeout=30) as r:
        return json.loads(r.read())


def open_page(browser, url, user, path="/"):
    """The page as `user` sees it, and the console's errors while it loaded."""
    context = browser.new_context(extra_http_headers={"X-Remote-User": user} if user else {},
                                  viewport={"width": 1100, "height": 900})
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(url + path)
    return context, page, response, errors


AXE = ROOT / "ci" / "a11y" / "node_modules" / "axe-core" / "axe.min.js"


def accessible(page):
    """axe-core (npm, ci/a11y's lockfile) on the page: no serious or critical violation."""
    needs(str(AXE), AXE.exists())
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in result["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], bad


def api_text(url, user, path):
    req = urllib.request.Request(url + path, headers={"X-Remote-User": user})
    with urllib.request.urlopen(req, timeout=30) as r:
        return r.headers.get("Content-Type"), r.read().decode()


def shown(page, selector):
    """{key: the API value a row or figure carries} for the elements of `selector`."""
    return page.eval_on_selector_all(
        selector,
        "els => els.map(e => [e.dataset.key || e.dataset.criterion, Number(e.dataset.value)])")


@pytest.mark.parametrize("user", ["honbu", "noror", "root"])
def test_my_footprint_shows_the_api_s_numbers_for_each_caller(service, browser, user):
    context, page, response, errors = open_page(browser, service, user)
    try:
        assert response.status == 200
        months = api(service, user, "/api/v1/summary?group_by=month&top=100")
        accounts = api(service, user, "/api/v1/summary?group_by=account&top=100")
        total = months["total"]
        assert int(page.get_attribute("[data-jobs]", "data-jobs")) == total["jobs"]
        assert dict(shown(page, "li[data-criterion]")) == {
            k: v["value"] for k, v in total["impacts"].items()}
        assert dict(shown(page, "table[data-table=month] tr[data-key]")) == {
            g["key"]: g["impacts"]["gwp"]["value"] for g in months["groups"]}
        assert dict(shown(page, "table[data-table=account] tr[data-key]")) == {
            g["key"]: g["impacts"]["gwp"]["value"] for g in accounts["groups"]}
        # The chart has a bar per month, titled with the month, stacked by phase: each block is
        # the API's value of the month's phase.
        bars = page.eval_on_selector_all("svg.chart g.bar > title",
                                         "ts => ts.map(t => t.textContent)")
        assert sorted(b.split(":")[0] for b in bars) == sorted(g["key"] for g in months["groups"])
        blocks = page.eval_on_selector_all(
            "svg.chart g.bar rect[data-value]",
            "rs => rs.map(r => [r.querySelector('title').textContent.split(':')[0],"
            " Number(r.dataset.value)])")
        phases = ["manufacturing", "use", "idle", "facility"]
        assert blocks == [[f"{g['key']}, {p}", g["phases"][p]["gwp"]["value"]]
                          for g in sorted(months["groups"], key=lambda g: g["key"]) for p in phases]
        # Each month's row splits it by phase: the shares of the API's phases.
        for g in months["groups"]:
            cells = page.eval_on_selector_all(
                f"table[data-table=month] tr[data-key='{g['key']}'] td",
                "ts => ts.map(t => t.textContent)")[3:]
            gwp = g["impacts"]["gwp"]["value"]
            for cell, p in zip(cells, phases):
                share = 100 * g["phases"][p]["gwp"]["value"] / gwp
                assert abs(float(cell.rstrip(" %")) - share) <= 0.006 * max(share, 1), (cell, share)
        # The largest jobs are the API's, largest first.
        largest = api(service, user, "/api/v1/jobs?limit=10&order=largest")["jobs"]
        assert shown(page, "table[data-table=largest] tr[data-key]") == [
            [j["job_id"], j["impacts"]["gwp"]["value"]] for j in largest]
        # Each table's CSV link downloads the API's CSV of what the table shows.
        href = page.get_attribute("section[aria-labelledby=account-title] p.downloads a[download]",
                                  "href")
        kind, text = api_text(service, user, href)
        assert kind.startswith("text/csv")
        rows = [r for r in csv.DictReader(io.StringIO(text)) if r["section"] == "account"]
        assert {r["key"]: float(r["gwp_gCO2eq"]) for r in rows} == dict(
            shown(page, "table[data-table=account] tr[data-key]"))
        accessible(page)
        assert errors == []
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / f"home-{user}.png"), full_page=True)
    finally:
        context.close()


def test_each_user_sees_only_their_jobs(service, browser):
    seen = {}
    for user in ("honbu", "noror", "root"):
        context, page, _, _ = open_page(browser, service, user)
        seen[user] = int(page.get_attribute("[data-jobs]", "data-jobs"))
        accounts = [k for k, _ in shown(page, "table[data-table=account] tr[data-key]")]
        scope = api(service, user, "/api/v1/summary")["scope"]
        if user != "root":
            # A user's page holds no account but theirs (the API's scope of the same caller).
            mine = {g["key"] for g in api(service, user, "/api/v1/summary?group_by=account")["groups"]}
            assert set(accounts) <= mine and scope != "all"
        context.close()
    assert seen["honbu"] + seen["noror"] < seen["root"], seen
    assert seen["honbu"] != seen["noror"]
    # Without an identity: the API's 401, as a page.
    context, page, response, _ = open_page(browser, service, None)
    assert response.status == 401 and "no identity" in page.content()
    context.close()


def test_a_period_in_the_url_is_the_api_s_period(service, browser):
    context, page, response, errors = open_page(browser, service, "root", "/?from=2017-01&to=2017-01")
    try:
        assert response.status == 200
        api_month = api(service, "root",
                        "/api/v1/summary?from=2017-01-01&to=2017-02-01")["total"]
        assert int(page.get_attribute("[data-jobs]", "data-jobs")) == api_month["jobs"] > 0
        assert page.text_content("[data-period]") == "2017-01 to 2017-01"
        # The form keeps the period; a bad one is the API's 400, named.
        assert page.input_value("input[name=from]") == "2017-01"
        assert errors == []
    finally:
        context.close()
    context, page, response, _ = open_page(browser, service, "root", "/?from=someday")
    assert response.status == 400 and "from" in page.content()
    context.close()


def test_a_job_page_from_the_latest_jobs(service, browser):
    context, page, response, errors = open_page(browser, service, "noror")
    try:
        latest = api(service, "noror", "/api/v1/jobs?limit=20")["jobs"]
        assert shown(page, "table[data-table=latest] tr[data-key]") == [
            [j["job_id"], j["impacts"]["gwp"]["value"]] for j in latest]
        first = latest[0]
        page.click(f"table[data-table=latest] tr[data-key='{first['job_id']}'] a")
        page.wait_for_load_state()
        assert page.url.endswith(f"/jobs/{first['cluster']}/{first['job_id']}")
        job = api(service, "noror", f"/api/v1/jobs/{first['cluster']}/{first['job_id']}")
        assert dict(shown(page, "li[data-criterion]")) == {
            k: v["value"] for k, v in job["impacts"].items()}
        # Each warning named and said in words (docs/warnings.md's text).
        codes = page.eval_on_selector_all("dt[data-warning]", "ds => ds.map(d => d.dataset.warning)")
        assert codes == job["warnings"] and codes
        meanings = page.eval_on_selector_all("dl.warnings dd", "ds => ds.map(d => d.textContent)")
        assert all(m.strip() for m in meanings)
        # The derivation of each total, with its leaves' sources.
        assert page.locator(".tree details").count() > 10
        assert page.locator(".tree .leaf").count() > 10
        accessible(page)
        assert errors == []
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "job-noror.png"), full_page=False)
        path = f"/jobs/{first['cluster']}/{first['job_id']}"
    finally:
        context.close()
    # Another user cannot open it: the API's 404, as a page; the administrator can.
    context, page, response, _ = open_page(browser, service, "honbu", path)
    assert response.status == 404 and "no such job" in page.content()
    context.close()
    context, page, response, _ = open_page(browser, service, "root", path)
    assert response.status == 200
    context.close()


def api_post(url, user, path, body):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"X-Remote-User": user,
                                          "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.loads(r.read())


def test_the_estimate_form_answers_as_the_api(service, browser):
    context, page, response, errors = open_page(browser, service, "noror", "/estimate")
    try:
        assert response.status == 200 and page.locator("[data-result]").count() == 0
        page.select_option("select[name=partition]", "gpu_p6")
        page.fill("input[name=nodes]", "2")
        page.fill("input[name=hours]", "3.5")
        page.fill("input[name=load]", "70")
        page.click("button[type=submit]")
        page.wait_for_selector("[data-result]")
        want = api_post(service, "noror", "/api/v1/estimate/job",
                        {"center": "jean-zay", "partition": "gpu_p6", "nodes": 2, "hours": 3.5,
                         "load": 70})
        assert dict(shown(page, "[data-result] li[data-criterion]")) == {
            k: v["value"] for k, v in want["impacts"].items()}
        codes = page.eval_on_selector_all("[data-result] dt[data-warning]",
                                          "ds => ds.map(d => d.dataset.warning)")
        assert codes == [w["code"] for w in want["warnings"]]
        # The form keeps what was asked (the URL holds it: a link to share).
        assert page.input_value("input[name=hours]") == "3.5"
        assert "partition=gpu_p6" in page.url
        accessible(page)
        assert errors == []
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "estimate-noror.png"), full_page=True)
    finally:
        context.close()
    # A value the library refuses: the API's 422, naming the field, as a page.
    context, page, response, _ = open_page(browser, service, "noror",
                                           "/estimate?partition=gpu_p6&nodes=-1&hours=3")
    assert response.status == 422 and "nodes" in page.content()
    context.close()


def test_the_center_page_is_the_administrator_s(service, browser):
    context, page, response, errors = open_page(browser, service, "root", "/center")
    try:
        assert response.status == 200
        months = api(service, "root", "/api/v1/summary?group_by=month&top=100")
        users = api(service, "root", "/api/v1/summary?group_by=user&top=100")
        assert dict(shown(page, "li[data-criterion]")) == {
            k: v["value"] for k, v in months["total"]["impacts"].items()}
        assert shown(page, "table[data-table=user] tr[data-key]") == [
            [g["key"], g["impacts"]["gwp"]["value"]] for g in users["groups"][:20]]
        health = api(service, "root", "/healthz")
        assert int(page.get_attribute("[data-jobs]", "data-jobs")) == health["jobs"]
        assert page.locator("nav a[href='/center']").count() == 1
        largest = api(service, "root", "/api/v1/jobs?limit=10&order=largest")["jobs"]
        assert shown(page, "table[data-table=largest] tr[data-key]") == [
            [j["job_id"], j["impacts"]["gwp"]["value"]] for j in largest]
        accessible(page)
        assert errors == []
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "center-root.png"), full_page=True)
    finally:
        context.close()
    context, page, response, _ = open_page(browser, service, "honbu", "/center")
    assert response.status == 403 and "administrators" in page.content()
    context.close()
    context, page, _, _ = open_page(browser, service, "honbu")
    assert page.locator("nav a[href='/center']").count() == 0
    context.close()


def test_the_method_page_names_the_data(service, browser):
    context, page, response, errors = open_page(browser, service, "noror", "/method")
    try:
        assert response.status == 200
        summary = api(service, "noror", "/api/v1/summary")
        assert page.text_content("[data-bundle]") == summary["data_bundle"]
        assert page.text_content("[data-method]") == summary["method"]
        # A row per criterion of the summary (climate change, minerals, primary energy, water).
        assert page.locator("table[data-table=criteria] tbody tr").count() == len(summary["total"]["impacts"]) == 4
        accessible(page)
        assert errors == []
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "method-noror.png"), full_page=False)
    finally:
        context.close()


def test_the_what_if_panel_compares_through_the_estimate_api(service, browser):
    latest = api(service, "noror", "/api/v1/jobs?limit=1&order=largest")["jobs"][0]
    path = f"/jobs/{latest['cluster']}/{latest['job_id']}"
    context, page, response, errors = open_page(browser, service, "noror", path)
    try:
        assert response.status == 200 and page.locator("[data-what-if]").count() == 0
        # Asked as recorded (its partition again): the job recomputed by the estimate API is the
        # stored job, and nothing changes.
        page.click("form[data-form=what-if] button[type=submit]")
        page.wait_for_selector("[data-what-if]")
        rows = page.eval_on_selector_all(
            "table[data-table=what-if] tr[data-key]",
            "rs => rs.map(r => [r.dataset.key, Number(r.dataset.base), Number(r.dataset.value)])")
        assert sorted(k for k, _, _ in rows) == sorted(latest["impacts"])
        for key, base, changed in rows:
            stored = latest["impacts"][key]["value"]
            assert abs(base - stored) <= 1e-9 * abs(stored), (key, base, stored)
            assert changed == base, key
        # Another partition, zone and load: the API's answer to the request the page shows.
        page.select_option("form[data-form=what-if] select[name=partition]", "gpu_p5")
        page.select_option("form[data-form=what-if] select[name=zone]", "SWE")
        page.fill("form[data-form=what-if] input[name=load]", "50")
        page.click("form[data-form=what-if] button[type=submit]")
        page.wait_for_load_state()
        assert "partition=gpu_p5" in page.url and "zone=SWE" in page.url
        line = page.text_content("[data-what-if] ~ p.muted code")
        body = json.loads(line.split("-d '", 1)[1].rsplit("'", 1)[0])
        assert body["partition"] == "gpu_p5" and body["zone"] == "SWE" and body["load"] == 50
        want = api_post(service, "noror", "/api/v1/estimate/job", body)
        got = dict(page.eval_on_selector_all(
            "table[data-table=what-if] tr[data-key]",
            "rs => rs.map(r => [r.dataset.key, Number(r.dataset.value)])"))
        assert got == {k: v["value"] for k, v in want["impacts"].items()}
        accessible(page)
        assert errors == []
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.locator("section[aria-labelledby=what-if-title]").screenshot(
            path=str(SCREENS / "what-if-noror.png"))
    finally:
        context.close()
    # A value that is not a number: 422 naming the field.
    context, page, response, _ = open_page(browser, service, "noror", path + "?load=lots")
    assert response.status == 422 and "load" in page.content()
    context.close()


def test_the_server_form_answers_as_the_api(service, browser):
    context, page, response, errors = open_page(browser, service, "noror", "/estimate")
    try:
        form = "form[data-form=server] "
        page.fill(form + "input[name=cpu]", "Intel Xeon Gold 6248")
        page.fill(form + "input[name=cpus]", "2")
        page.fill(form + "input[name=gpu]", "NVIDIA A100 SXM4 80GB")
        page.fill(form + "input[name=gpus]", "4")
        page.fill(form + "input[name=ram_gb]", "192")
        page.click(form + "button[type=submit]")
        page.wait_for_selector("[data-server-result]")
        want = api_post(service, "noror", "/api/v1/estimate/server",
                        {"cpus": [[{"name": "Intel Xeon Gold 6248"}, 2]],
                         "gpus": [[{"name": "NVIDIA A100 SXM4 80GB"}, 4]],
                         "ram": [{"size_gb": 192}]})
        assert dict(shown(page, "[data-server-result] li[data-criterion]")) == {
            k: v["value"] for k, v in want["impacts"].items()}
        assert page.input_value(form + "input[name=cpu]") == "Intel Xeon Gold 6248"
        accessible(page)
        assert errors == []
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "estimate-server-noror.png"), full_page=True)
    finally:
        context.close()
    context, page, response, _ = open_page(browser, service, "noror",
                                           "/estimate?form=server&cpu=x&cpus=two")
    assert response.status == 422 and "cpus" in page.content()
    context.close()


def test_measured_energy_is_shown_beside_the_model(service, browser):
    context, page, response, errors = open_page(browser, service, "honbu")
    try:
        parts = api(service, "honbu", "/api/v1/summary?group_by=partition&top=100")["groups"]
        cpu = next(g for g in parts if g["key"] == "cpu_p1")["energy_sources"]
        # Two measured jobs: 4 kWh over 6 node-hours (the fixture's), 667 W per node.
        assert cpu["measured"]["jobs"] == 2
        assert abs(cpu["measured"]["energy_kwh"] - 4.0) < 1e-12
        assert abs(cpu["measured"]["node_hours"] - 6.0) < 1e-12
        assert dict(shown(page, "table[data-table=measured] tr[data-key]")) == {
            "cpu_p1": 1000 * cpu["measured"]["energy_kwh"] / cpu["measured"]["node_hours"]}
        assert page.text_content("table[data-table=measured] [data-measured]") == "667 W"
        assert errors == []
    finally:
        context.close()


def test_a_token_signs_a_browser_in(service, browser):
    """Without the proxy's header: the 401 page links to the sign-in, the token pasted in the form
    makes the browser noror (the same page as with the header), and signing out forgets it."""
    context = browser.new_context(viewport={"width": 1100, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        response = page.goto(service + "/")
        assert response.status == 401
        page.click("a[href='/login']")
        page.fill("form[data-form=login] input[name=token]", TOKENS["noror"])
        page.click("form[data-form=login] button[type=submit]")
        page.wait_for_load_state()
        assert page.url == service + "/"
        total = api(service, "noror", "/api/v1/summary")["total"]
        assert int(page.get_attribute("[data-jobs]", "data-jobs")) == total["jobs"]
        assert "noror" in page.text_content("header")
        # The cookie is out of the page's scripts' reach.
        assert page.evaluate("() => document.cookie") == ""
        page.goto(service + "/login")
        accessible(page)
        page.click("form[action='/logout'] button")
        page.wait_for_load_state()
        assert page.goto(service + "/").status == 401
        # A wrong token: the form again, saying why.
        page.goto(service + "/login")
        page.fill("form[data-form=login] input[name=token]", "impacts_wrong")
        page.click("form[data-form=login] button[type=submit]")
        page.wait_for_load_state()
        assert "unknown" in page.text_content("[data-message]")
        assert errors == []
    finally:
        context.close()


def test_the_benchmarks_page_shows_each_user_their_runs(service, browser):
    """ReFrame runs of three of noror's jobs (a perflog written here, ingested with
    `impacts bench ingest`), the first use case run twice: noror's page lists the latest run of
    each use case with its job's climate change, the API's; both trees hold every run once; the
    use case run twice is charted over time with ReFrame's band; honbu sees none of them."""
    jobs = api(service, "noror", "/api/v1/jobs?limit=3&order=largest")["jobs"]
    lines = ["job_completion_time|jobid|name|system|partition|environ|rate_value|rate_unit|"
             "rate_ref|rate_lower_thres|rate_upper_thres"]
    cases = [(j, f"Bench %size={i}") for i, j in enumerate(jobs)] + [(jobs[1], "Bench %size=0")]
    for i, (j, name) in enumerate(cases):
        lines.append(f"{j['end']}|{j['job_id']}|{name}|{j['cluster']}|cpu_p1|gnu|"
                     f"{10 * (i + 1)}.0|ops/s|20|-0.5|0.5")
    perflog = Path(PLACES["db"]).parent / "Bench.log"
    perflog.write_text("\n".join(lines) + "\n")
    ingest = subprocess.run([os.environ["IMPACTS_BIN"], "bench", "ingest", str(perflog), "--db",
                             PLACES["db"]], capture_output=True, text=True, check=False)
    assert ingest.returncode == 0, ingest.stderr
    runs = api(service, "noror", "/api/v1/bench/runs")["runs"]
    assert sorted(r["jobid"] for r in runs) == sorted(j["job_id"] for j, _ in cases)
    # The latest run of each use case (the jobs' ends differ, so that "latest" is one run).
    latest = {}
    for r in runs:
        if r["display_name"] not in latest or r["time"] > latest[r["display_name"]]["time"]:
            latest[r["display_name"]] = r
    twice = [r["time"] for r in runs if r["display_name"] == "Bench %size=0"]
    assert len(twice) == 2 and twice[0] != twice[1]
    context, page, response, errors = open_page(browser, service, "noror", "/bench")
    try:
        assert response.status == 200
        assert dict(shown(page, "table[data-table=bench-latest] tr[data-key]")) == {
            r["jobid"]: r["footprint"]["impacts"]["gwp"]["value"] for r in latest.values()}
        for tree in ("bench-by-machine", "bench-by-application"):
            counts = page.eval_on_selector_all(
                f"[data-tree={tree}] [data-leaf]", "ls => ls.map(l => +l.dataset.runs)")
            assert sum(counts) == len(runs) and len(counts) == len(latest), (tree, counts)
        assert page.text_content("[data-tree=bench-by-machine] summary").startswith(
            f"{jobs[0]['cluster']}:cpu_p1+gnu")
        # The use case run twice, over time, ReFrame's band [20 × 0.5, 20 × 1.5] behind it.
        band = page.text_content("[data-history] rect.band title")
        assert "[10.0 – 30.0] ops/s" in band, band
        accessible(page)
        assert errors == []
        SCREENS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENS / "bench-noror.png"), full_page=True)
    finally:
        context.close()
    assert api(service, "honbu", "/api/v1/bench/runs")["runs"] == []
    context, page, response, _ = open_page(browser, service, "honbu", "/bench")
    assert response.status == 200 and page.locator("[data-empty]").count() == 1
    context.close()

"""The portal's JSON API and its access rules, in process on SQLite."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytest.importorskip("fastapi")
from fastapi.testclient import TestClient  # noqa: E402

from yusuan.store.review import set_review  # noqa: E402
from yusuan.web import create_app  # noqa: E402

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
JINZHOU, GAOYANG = EXAMPLES / "jinzhou-2026.txt", EXAMPLES / "gaoyang-2023.docx"


def _files(*paths: Path, name: str | None = None):
    return [("files", (name or p.name, p.read_bytes(), "application/octet-stream")) for p in paths]


def _wait(client: TestClient, job: dict, seconds: float = 120) -> dict:
    deadline = time.monotonic() + seconds
    while not job["finished"]:
        assert time.monotonic() < deadline, job
        time.sleep(0.1)
        job = client.get(job["url"]).json()
    return job


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("web")
    app = create_app(f"sqlite:///{tmp / 'y.db'}", workers=2, upload_dir=tmp)
    with TestClient(app) as client:
        r = client.post("/api/documents", files=_files(JINZHOU, GAOYANG))
        assert r.status_code == 202, r.text
        job = _wait(client, r.json())
        assert [f["status"] for f in job["files"]] == ["ok", "ok"]
        assert (job["done"], job["total"], job["errors"]) == (2, 2, 0)
        client.ids = dict(zip(["jinzhou", "gaoyang"], job["document_ids"]))
        client.app_ = app
        yield client


def _three_public(findings: list[dict]) -> dict:
    return next(f for f in findings if f["rule"] == "T05" and "“三公”经费预算安排0万元" in f["message"])


def test_the_document_says_whose_it_is_and_counts_what_check_reports(portal):
    doc = portal.get(f"/api/documents/{portal.ids['jinzhou']}").json()
    assert (doc["department"], doc["year"], doc["kind"], doc["status"]) == ("晋州市医疗保障局", 2026, "budget", "ok")
    assert doc["file_name"] == "jinzhou-2026.txt" and doc["has_model"] is True
    assert doc["ingested_at"].endswith("Z")
    s = doc["summary"]
    assert (s["errors"], s["warnings"], s["info"], s["dismissed"]) == (3, 4, 1, 0)
    assert s["by_family"] == {"F": 3, "T": 4}


def test_the_three_public_finding_with_where_it_is(portal):
    findings = portal.get(f"/api/documents/{portal.ids['jinzhou']}/findings").json()
    f = _three_public(findings)
    assert f["severity"] == "error" and "10.18" in f["message"]
    assert f["section"] == "四、财政拨款“三公”经费预算情况及增减变化原因" and f["line"] == 1384
    assert f["review"]["status"] == "open"
    assert {"table_id", "code", "item", "column_key", "column_label", "page"} <= set(f)


def test_dismissing_a_finding_stops_it_counting_and_reopening_brings_it_back(portal):
    doc_url = f"/api/documents/{portal.ids['jinzhou']}"
    f = _three_public(portal.get(doc_url + "/findings").json())
    r = portal.post(f"/api/findings/{f['id']}/review", json={"status": "dismissed", "note": "表中数据为准", "reviewer": "审核员"})
    assert r.status_code == 200 and r.json()["review"]["status"] == "dismissed"
    s = portal.get(doc_url).json()["summary"]
    assert (s["errors"], s["dismissed"], s["by_family"]["T"]) == (2, 1, 3)
    # the store's function and the API are one state
    set_review(portal.app_.state.engine, f["id"], "open")
    assert portal.get(doc_url).json()["summary"]["errors"] == 3
    assert _three_public(portal.get(doc_url + "/findings").json())["review"]["status"] == "open"
    assert portal.post("/api/findings/999999/review", json={"status": "confirmed"}).status_code == 404
    assert portal.post(f"/api/findings/{f['id']}/review", json={"status": "gone"}).status_code == 422


def test_the_model_is_served_without_the_original_file(portal):
    r = portal.get(f"/api/documents/{portal.ids['gaoyang']}/model")
    assert r.headers["content-type"] == "application/json"
    assert r.json()["department"]["name"] == "高阳县医疗保障局"
    assert portal.get(f"/api/documents/{portal.ids['jinzhou']}/model").json()["year"] == 2026


def test_the_ledger_says_what_was_checked(portal):
    ledger = portal.get(f"/api/documents/{portal.ids['jinzhou']}/ledger").json()
    statuses = [e["status"] for e in ledger]
    assert (statuses.count("ran"), statuses.count("could_not_run"), statuses.count("not_applicable")) == (81, 0, 24)


@pytest.mark.parametrize("fmt, starts", [("docx", b"PK"), ("xlsx", b"PK"), ("cells.csv", "\ufeffdepartment".encode()),
                                         ("html", b"<!DOCTYPE html>"), ("json", b"{")])
def test_the_document_as_files(portal, fmt, starts):
    r = portal.get(f"/api/documents/{portal.ids['jinzhou']}/files/{fmt}")
    assert r.status_code == 200 and r.content.startswith(starts)
    assert "filename*=UTF-8''%E6%99%8B%E5%B7%9E" in r.headers["content-disposition"]


def test_departments_and_documents(portal):
    deps = {d["name"]: d for d in portal.get("/api/departments").json()}
    assert deps["晋州市医疗保障局"]["years"] == [2026] and deps["高阳县医疗保障局"]["years"] == [2023]
    of_2023 = {d["id"] for d in portal.get("/api/documents", params={"year": 2023}).json()}
    assert portal.ids["gaoyang"] in of_2023 and portal.ids["jinzhou"] not in of_2023


def test_unknown_ids_are_404_json(portal):
    for path in ("/api/documents/99999", "/api/documents/99999/findings", "/api/documents/99999/model",
                 "/api/jobs/nope"):
        r = portal.get(path)
        assert r.status_code == 404 and "detail" in r.json(), path


def test_the_same_bytes_again_are_the_same_document(portal):
    r = portal.post("/api/documents", files=_files(JINZHOU, name="again.txt"))
    job = r.json()
    assert job["finished"] and job["files"][0]["status"] == "duplicate"
    assert job["document_ids"] == [portal.ids["jinzhou"]]
    # the same bytes twice in one upload are read once
    twice = EXAMPLES / "gaoyang-2023.txt"
    job = portal.post("/api/documents", params={"wait": "true"}, files=_files(twice, twice)).json()
    assert [f["status"] for f in job["files"]] == ["ok", "duplicate"]
    assert job["document_ids"][0] == job["document_ids"][1] is not None


def test_a_path_for_a_name_is_only_a_label(portal, tmp_path):
    data = JINZHOU.read_bytes().replace("晋州市医疗保障局".encode(), "晋州市某某局".encode(), 1)
    r = portal.post("/api/documents", params={"wait": "true"},
                    files=[("files", ("../../etc/passwd.txt", data, "text/plain"))])
    assert r.status_code == 200
    job = r.json()
    doc = portal.get(f"/api/documents/{job['document_ids'][0]}").json()
    assert doc["file_name"] == "passwd.txt"
    # nothing was left in the upload folder, and nothing written beside it
    folder = portal.app_.state.jobs.folder
    assert list(folder.iterdir()) == []
    assert not (folder.parent.parent / "etc").exists()


def test_a_file_that_cannot_be_read_is_stored_with_why(portal):
    job = portal.post("/api/documents", params={"wait": "true"},
                      files=[("files", ("bomb.docx", b"PK\x03\x04" + b"\0" * 100, "application/zip"))]).json()
    assert (job["errors"], job["files"][0]["status"]) == (1, "unreadable")
    doc = portal.get(f"/api/documents/{job['document_ids'][0]}").json()
    assert doc["status"] == "unreadable" and doc["message"] and doc["has_model"] is False
    assert portal.get(f"/api/documents/{doc['id']}/model").status_code == 404


def test_api_docs_describe_the_endpoints(portal):
    paths = portal.get("/openapi.json").json()["paths"]
    assert {"/api/documents", "/api/documents/{document_id}", "/api/documents/{document_id}/findings",
            "/api/documents/{document_id}/model", "/api/departments", "/api/jobs/{job_id}"} <= set(paths)


def test_too_large_and_too_many(tmp_path):
    app = create_app(f"sqlite:///{tmp_path / 'y.db'}", max_upload_bytes=1000, max_files=2, workers=1)
    with TestClient(app) as client:
        r = client.post("/api/documents", files=_files(JINZHOU))
        assert r.status_code == 413 and "1,000" in r.json()["detail"]
        small = [("files", (f"{i}.txt", b"x", "text/plain")) for i in range(3)]
        r = client.post("/api/documents", files=small)
        assert r.status_code == 400 and "at most 2" in r.json()["detail"]
        # a body larger than the whole request may be is refused as it arrives
        r = client.post("/api/documents", files=[("files", ("big.txt", b"x" * 200_000, "text/plain"))])
        assert r.status_code == 413
        assert list(app.state.jobs.folder.iterdir()) == []


def test_a_token_is_required_on_every_request_when_configured(tmp_path):
    app = create_app(f"sqlite:///{tmp_path / 'y.db'}", token="s3cret", workers=1)
    with TestClient(app) as client:
        for path in ("/", "/api/departments", "/docs"):
            assert client.get(path).status_code == 401, path
        assert client.get("/api/departments", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert client.get("/api/departments", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        assert client.get("/?token=wrong").status_code == 401
        # visiting once with the token sets the session cookie and drops the token from the address
        r = client.get("/?token=s3cret", follow_redirects=False)
        assert r.status_code == 303 and "token" not in r.headers["location"]
        assert "s3cret" not in r.headers["set-cookie"]
        assert client.get("/api/departments").status_code == 200


def test_a_form_post_without_the_csrf_token_is_refused(tmp_path):
    app = create_app(f"sqlite:///{tmp_path / 'y.db'}", workers=1)
    with TestClient(app) as client:
        page = client.get("/")
        token = client.cookies["yusuan_csrf"]
        assert f'value="{token}"' in page.text
        files = [("files", ("a.txt", b"not a disclosure", "text/plain"))]
        assert client.post("/upload", files=files, follow_redirects=False).status_code == 403
        assert client.post("/upload", files=files, data={"csrf_token": "forged"},
                           follow_redirects=False).status_code == 403
        r = client.post("/upload", files=files, data={"csrf_token": token}, follow_redirects=False)
        assert r.status_code == 303 and "/jobs/" in r.headers["location"]  # the progress page
        # a browser's cross-site write to the API is refused; curl's (no Origin) is not
        cross = {"Origin": "https://evil.example", "Sec-Fetch-Site": "cross-site"}
        assert client.post("/api/documents", files=files, headers=cross).status_code == 403
        assert client.post("/api/documents", files=files, headers={**cross, "X-CSRF-Token": token}).status_code == 202


def test_serve_refuses_to_listen_beyond_loopback_without_a_token(monkeypatch):
    from typer.testing import CliRunner

    from yusuan import cli

    monkeypatch.delenv("YUSUAN_TOKEN", raising=False)
    r = CliRunner().invoke(cli.app, ["serve", "--host", "0.0.0.0", "--db", "sqlite:///never.db"])
    assert r.exit_code == 2 and len(r.output.strip().splitlines()) == 1
    assert not Path("never.db").exists()
    assert cli._loopback("127.0.0.1") and cli._loopback("::1") and cli._loopback("localhost")
    assert not cli._loopback("0.0.0.0") and not cli._loopback("192.168.1.2")


def test_the_api_docs_work_offline(portal):
    import re

    page = portal.get("/docs")
    assert page.status_code == 200
    # every script, style and icon the page loads is the portal's own
    assert re.findall(r'(?:src|href)="([^"]+)"', page.text) and all(
        u.startswith("/static/") for u in re.findall(r'(?:src|href)="([^"]+)"', page.text))
    assert "cdn" not in page.text and '"validatorUrl": null' in page.text
    assert portal.get("/static/vendor/swagger-ui/swagger-ui-bundle.js").status_code == 200

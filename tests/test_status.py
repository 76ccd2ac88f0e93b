"""`bo status` and `bo kpi` on the demo books, read from close records."""

from __future__ import annotations

import json

from tests.conftest import OWNER, PREPARER, REVIEWER, SHORT_CLOSE


def test_status_during_the_september_close_and_after_it_is_overdue(demo, bo):
    assert bo("close", "2025-09", cwd=demo).exit_code == 1
    during = bo("status", "--as-of", "2025-10-01", "--json", cwd=demo)
    tasks = {t["step"]: t for t in json.loads(during.stdout)}
    assert tasks["bank-rec"]["state"] == "failing"
    assert tasks["bank-rec"]["owner"] == "bookkeeper"
    assert tasks["bank-rec"]["due"] == "2025-10-01"
    assert not tasks["bank-rec"]["overdue"]
    assert tasks["uncategorized"]["state"] == "failing"

    later = bo("status", "--as-of", "2025-10-14", cwd=demo)
    assert later.exit_code == 1
    rows = {line.split()[1]: line for line in later.stdout.splitlines()[2:] if line.strip()}
    assert "ESCALATED to Sam Okafor (controller)" in rows["bank-rec"]
    assert "9 BD" in rows["bank-rec"]


def test_status_for_one_person_and_several_books(demo, bo, tmp_path):
    bo("close", "2025-09", cwd=demo)
    mine = json.loads(
        bo("status", "--as-of", "2025-10-02", "--as", OWNER, "--json", cwd=demo).stdout
    )
    assert {t["step"] for t in mine} <= {"calendar", "flux", "review"}
    both = bo("status", "--as-of", "2025-10-02", "--books", str(demo), "--books", str(demo))
    assert both.stdout.splitlines()[1].startswith("Books")


def test_kpi_shows_days_to_close(demo, bo):
    (demo / "sops/month-end.yaml").write_text(SHORT_CLOSE)
    for period in ("2025-07", "2025-08"):
        bo("close", period, cwd=demo)
        for name in (PREPARER, REVIEWER, OWNER):
            bo("signoff", period, "--as", name, cwd=demo)
        assert bo("close", period, cwd=demo).exit_code == 0
    rows = json.loads(bo("kpi", "--json", cwd=demo).stdout)
    assert [r["period"] for r in rows] == ["2025-07", "2025-08"]
    assert all(r["locked"] and r["days_to_close"] >= 0 for r in rows)
    assert rows[0]["failed_first_run"] == 0 and rows[0]["steps"] == 3
    table = bo("kpi", cwd=demo).stdout
    assert "Days to close" in table

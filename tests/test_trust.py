"""Books that never run code: templates sandboxed, and commands and templates of a books
repo run only when this machine's user trusted the books as they are (`bo trust`)."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

from bo.trust import is_trusted, record_path

ESCAPE = "{{ cycler.__init__.__globals__.os.system('touch PWNED') }}\n"


def command_step(books: Path, command: str) -> None:
    """Give the books a one-step checklist whose step is `command`."""
    (books / "sops").mkdir(exist_ok=True)
    (books / "sops/month-end.yaml").write_text(
        "name: Month-end\ncadence: monthly\nsteps:\n"
        "  - id: fetch\n    title: Fetch the statements\n    owner: bookkeeper\n"
        f"    reviewer: controller\n    due: BD+1\n    command: {command}\n"
    )


def test_the_sandbox_escape_does_nothing_even_on_trusted_books(books, bo):
    (books / "templates").mkdir()
    (books / "templates/trial.md.j2").write_text("Trial\n" + ESCAPE)
    assert bo("trust", cwd=books).exit_code == 0
    result = bo("report", "trial", "--period", "2025-01", "--format", "md", cwd=books)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "templates/trial.md.j2:2: template trial.md.j2: access to attribute" in result.stderr
    assert "unsafe" in result.stderr
    assert not (books / "PWNED").exists()


def test_an_untrusted_books_template_is_refused_saying_how_to_trust(books, bo):
    (books / "templates").mkdir()
    (books / "templates/trial.md.j2").write_text("# {{ entity }} trial\n")
    result = bo("report", "trial", "--period", "2025-01", "--format", "md", cwd=books)
    assert result.exit_code == 3
    assert "templates/trial.md.j2" in result.stderr
    assert f"bo trust --books {books.resolve()}" in result.stderr
    assert bo("trust", cwd=books).exit_code == 0
    trusted = bo("report", "trial", "--period", "2025-01", "--format", "md", cwd=books)
    assert trusted.exit_code == 0 and trusted.stdout == "# Small Books LLC trial\n"


def test_a_command_step_in_an_untrusted_clone_does_nothing(books, bo, tmp_path):
    marker = tmp_path / "ran"
    command_step(books, f"{sys.executable} -c \"open('{marker}', 'w')\"")
    result = bo("close", "2025-01", cwd=books)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "fetch: not run: step `fetch`" in result.stdout
    assert f"bo trust --books {books.resolve()}" in result.stdout
    assert not marker.exists()

    # Trusted as they are, the books run it ...
    assert bo("trust", cwd=books).exit_code == 0
    assert bo("close", "2025-01", cwd=books).exit_code == 1  # a manual sign-off is still due
    assert marker.exists()
    marker.unlink()

    # ... until the command changes (a pull, a colleague's edit): trusted no more.
    command_step(books, f"{sys.executable} -c \"open('{marker}', 'w')\"  # changed")
    again = bo("close", "2025-01", cwd=books)
    assert "changed since they were trusted" in again.stdout
    assert not marker.exists()

    # A copy elsewhere is other books: trusting these says nothing about it.
    assert bo("trust", cwd=books).exit_code == 0
    clone = tmp_path / "clone"
    shutil.copytree(books, clone)
    assert is_trusted(books) and not is_trusted(clone)
    bo("close", "2025-01", cwd=clone)
    assert not marker.exists()


def test_trust_is_kept_outside_the_books_and_can_be_withdrawn(books, bo, trust_record):
    command_step(books, "bo check")
    result = bo("trust", cwd=books)
    assert result.exit_code == 0
    assert "sops/month-end.yaml" in result.stdout
    assert record_path().is_relative_to(trust_record)
    assert not any(p.name.startswith("trusted") for p in books.rglob("*"))
    assert is_trusted(books)
    assert bo("trust", "--revoke", cwd=books).exit_code == 0
    assert not is_trusted(books)


def test_books_of_bo_s_own_templates_and_no_commands_need_no_trust(demo, bo):
    (demo / "templates").mkdir()
    from bo.resources import defaults_dir

    shutil.copy(defaults_dir("templates") / "trial.md.j2", demo / "templates/trial.md.j2")
    (demo / "sops/daily-cash.yaml").unlink()
    (demo / "sops/weekly-invoices.yaml").unlink()
    assert is_trusted(demo)
    result = bo("report", "trial", "--period", "2025-09", "--format", "md", cwd=demo)
    assert result.exit_code == 0, result.stderr


def test_books_made_by_bo_init_are_trusted_by_whoever_made_them(tmp_path, bo):
    target = tmp_path / "acme"
    assert bo("init", str(target), "--no-git").exit_code == 0
    assert is_trusted(target)


def test_a_markdown_report_escapes_html_in_user_text(books, bo):
    (books / "bo.yaml").write_text(
        (books / "bo.yaml").read_text().replace("Small Books LLC", "<b>Small</b> & Co")
    )
    result = bo("report", "trial", "--period", "2025-01", "--format", "md", cwd=books)
    assert result.exit_code == 0, result.stderr
    assert "# &lt;b>Small&lt;/b> & Co — Trial balance" in result.stdout
    assert "<b>" not in result.stdout
    html = bo("report", "trial", "--period", "2025-01", "--format", "html", cwd=books)
    assert "&lt;b&gt;Small&lt;/b&gt; &amp; Co" in html.stdout and "<b>Small" not in html.stdout


def test_a_symlink_that_leads_out_of_the_books_is_not_written_through(books, bo, tmp_path_factory):
    # A clone can commit `recs` as a link to a folder elsewhere: bo writes only inside.
    outside = tmp_path_factory.mktemp("elsewhere")
    (books / "recs").symlink_to(outside)
    (books / "statements/checking").mkdir(parents=True)
    (books / "statements/checking/2025-01.csv").write_text(
        "Date,Amount,Payee\n2025-01-05,-2000.00,Landlord\n"
    )
    text = (books / "bo.yaml").read_text()
    (books / "bo.yaml").write_text(
        text.replace(
            "    minimum: 1000.00 USD\n",
            "    minimum: 1000.00 USD\n    statement: {format: bank, dir: statements/checking}\n",
        )
        + "statement_formats:\n  bank: {kind: csv, date: Date, amount: Amount, payee: Payee}\n"
    )
    result = bo("reconcile", "Assets:Bank:Checking", "--period", "2025-01", cwd=books)
    assert result.exit_code == 2, result.stdout + result.stderr
    assert "resolves outside the books" in result.stderr
    assert list(outside.iterdir()) == []

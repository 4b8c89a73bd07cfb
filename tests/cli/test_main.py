"""The CLI's error handling and logging in process: one line on screen, details in the log."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from carebook import cli as cli_module
from carebook import logs
from carebook.errors import WrongPasswordError
from carebook.i18n import _, set_language
from carebook.model.services import units
from tests.cli.conftest import ADMIN, ADMIN_PASSWORD, fast_store, hetu


def test_an_unexpected_error_is_one_line_and_the_details_go_to_the_log(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = fast_store(tmp_path)
    monkeypatch.setenv("CAREBOOK_PASSWORD", ADMIN_PASSWORD)

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("internal failure near " + hetu("010190", 961))

    monkeypatch.setattr(units, "list_units", broken)
    code = cli_module.main(["--data-dir", str(runner.data_dir), "--user", ADMIN, "unit", "list"])
    captured = capsys.readouterr()
    assert code == 1
    lines = [ln for ln in captured.err.strip().splitlines() if "TEST STORE" not in ln]
    assert len(lines) == 1 and "unexpected error" in lines[0]
    assert "Traceback" not in captured.err + captured.out
    log_text = (runner.data_dir / "logs" / "carebook.log").read_text(encoding="utf-8")
    assert "RuntimeError" in log_text and "Traceback" in log_text
    # The identity code in the exception text was redacted from the log.
    assert hetu("010190", 961) not in log_text and logs.REDACTED in log_text


def test_no_command_prints_help(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert cli_module.main(["--data-dir", str(tmp_path / "d")]) == 0
    assert "note" in capsys.readouterr().out


def test_a_missing_password_without_a_terminal_is_a_clear_error(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    runner = fast_store(tmp_path)
    monkeypatch.delenv("CAREBOOK_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)
    code = cli_module.main(["--data-dir", str(runner.data_dir), "--user", ADMIN, "unit", "list"])
    assert code == 1
    assert "CAREBOOK_PASSWORD" in capsys.readouterr().err


def test_the_language_option_translates_errors(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    runner = fast_store(tmp_path)
    monkeypatch.setenv("CAREBOOK_PASSWORD", "wrong-password")
    try:
        code = cli_module.main(["--data-dir", str(runner.data_dir), "--lang", "sv", "--user",
                                ADMIN, "unit", "list"])
        label = _("error")
        expected = f"carebook: {label}: {WrongPasswordError().message()}\n"
    finally:
        set_language("en")
    assert code == 1
    assert capsys.readouterr().err == expected
    assert expected != f"carebook: error: {WrongPasswordError().message()}\n"


def test_the_redacting_filter_hides_codes_keys_and_registered_names() -> None:
    redactor = logs.RedactingFilter()
    redactor.add_secret("Ilmatar", "Kalevalainen")
    record = logging.LogRecord("carebook.x", logging.INFO, __file__, 1,
                               "client %s %s %s key %s", ("Ilmatar", "KALEVALAINEN",
                                                          hetu("150642", 933), "ab" * 32), None)
    assert redactor.filter(record)
    text = record.getMessage()
    assert text == "client [redacted] [redacted] [redacted] key [redacted]"


def test_no_store_yet_says_how_to_make_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("CAREBOOK_PASSWORD", "whatever-password")
    code = cli_module.main(["--data-dir", str(tmp_path / "empty"), "--user", ADMIN, "client",
                            "list"])
    assert code == 1
    err = capsys.readouterr().err
    assert "carebook init" in err and err.count("\n") == 1


def test_a_user_is_required(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("CAREBOOK_USER", raising=False)
    assert cli_module.main(["--data-dir", str(tmp_path), "client", "list"]) == 1
    assert "--user" in capsys.readouterr().err


@pytest.mark.parametrize(("argv", "expected"), [
    (["client", "list", "--user", "u"], ["--user", "u", "client", "list"]),
    (["--data-dir", "d", "note", "add", "--lang=fi", "--text", "x"],
     ["--data-dir", "d", "--lang=fi", "note", "add", "--text", "x"]),
    (["audit", "verify", "--verbose"], ["--verbose", "audit", "verify"]),
    (["user", "add", "--username", "u"], ["user", "add", "--username", "u"]),
])
def test_global_options_may_follow_the_command(argv: list[str], expected: list[str]) -> None:
    assert cli_module.hoist_global_options(argv) == expected


def test_an_unexpected_error_does_not_point_to_a_log_that_could_not_be_written(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    runner = fast_store(tmp_path)
    (runner.data_dir / "logs").write_text("a file where the log folder should be")
    monkeypatch.setenv("CAREBOOK_PASSWORD", ADMIN_PASSWORD)

    def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("internal failure")

    monkeypatch.setattr(units, "list_units", broken)
    code = cli_module.main(["--data-dir", str(runner.data_dir), "--user", ADMIN, "unit", "list"])
    err = capsys.readouterr().err
    assert code == 1 and "could not be written to a log file" in err
    assert "Details are in" not in err and "Traceback" not in err


def test_help_says_text_can_come_from_standard_input(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        cli_module.main(["note", "add", "--help"])
    assert "standard input" in " ".join(capsys.readouterr().out.split())

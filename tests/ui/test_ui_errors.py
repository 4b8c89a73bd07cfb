"""The one place errors become text (carebook.ui.errors): typed errors use their own message,
disk problems name the folder in plain words, anything else never shows a traceback."""

from __future__ import annotations

import errno

from carebook.errors import WrongPasswordError
from carebook.model import validation
from carebook.ui.errors import error_code, user_message


def test_typed_errors_keep_their_translated_message():
    assert user_message(WrongPasswordError()) == "Wrong username or password."
    assert error_code(WrongPasswordError()) == "wrong_password"


def test_the_app_shows_what_to_do_not_the_rule_id_which_the_cli_keeps():
    """A care worker reads the fix; "(MSG-17)" means nothing to them. The CLI and the
    register keep the rule ID for scripts and support."""
    try:
        validation.validate_hetu("010190-900Y", test_mode=True)
    except Exception as exc:  # noqa: BLE001 - the error under test
        shown = user_message(exc)
        assert "identity code" in shown and "MSG-17" not in shown and not shown.endswith(")")
        assert exc.message().endswith("(MSG-17)")  # type: ignore[attr-defined]
    else:  # pragma: no cover
        raise AssertionError("a wrong check character was accepted")


def test_a_read_only_folder_is_named_not_an_internal_file(tmp_path):
    exc = OSError(errno.EROFS, "Read-only file system", str(tmp_path / "carebook.db.keys.new"))
    text = user_message(exc)
    assert str(tmp_path) in text and "keys.new" not in text and "read-only" in text


def test_a_full_disk_says_nothing_was_saved():
    text = user_message(OSError(errno.ENOSPC, "No space left on device", "/x/carebook.db-wal"))
    assert text.startswith("The disk is full. Nothing was saved")


def test_an_unexpected_error_is_one_calm_sentence_without_a_traceback():
    text = user_message(KeyError("secret-internal-detail"))
    assert text.startswith("An unexpected error occurred; nothing more was done.")
    assert "secret-internal-detail" not in text and "Traceback" not in text

"""The one UI module that turns errors into text (STYLE "Errors are typed").

Typed :class:`~carebook.errors.CarebookError`\\ s carry their own translatable message; disk and
file problems name the path; anything else is logged with its traceback (redacted) and the user
sees one calm sentence. A traceback never reaches the screen.
"""

from __future__ import annotations

import errno
import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QLineEdit, QMessageBox, QWidget

from carebook import logs
from carebook.errors import CarebookError
from carebook.i18n import _

log = logging.getLogger(__name__)

_NO_SPACE = {errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)}
_NOT_WRITABLE = {errno.EROFS, errno.EACCES, errno.EPERM}


def user_message(exc: BaseException) -> str:
    """A translated, single-paragraph message for ``exc``; logs what the user does not see."""
    if isinstance(exc, CarebookError):
        log.info("action refused: %s%s", exc.code, f" ({exc.rule})" if exc.rule else "")
        return exc.text()
    if isinstance(exc, OSError):
        log.warning("file problem: %s", exc)
        if exc.errno in _NO_SPACE:
            return _("The disk is full. Nothing was saved; free some space and try again.")
        if exc.errno in _NOT_WRITABLE and exc.filename is not None:
            # Name the folder, not an internal file such as "carebook.db.keys.new".
            folder = Path(str(exc.filename)).parent
            return _("carebook cannot write in the folder %(folder)s (it is read-only or you "
                     "have no permission). Nothing was changed.") % {"folder": folder}
        reason = exc.strerror or exc.__class__.__name__
        if exc.filename is None:
            return _("A file could not be used: %(reason)s.") % {"reason": reason}
        return _("Cannot use %(path)s: %(reason)s.") % {"path": exc.filename, "reason": reason}
    log.error("unexpected error", exc_info=exc)
    log_file = logs.open_file()
    if log_file is None:
        return _("An unexpected error occurred; nothing more was done.")
    return _("An unexpected error occurred; nothing more was done. Details are in "
             "%(log)s.") % {"log": log_file}


def error_code(exc: BaseException) -> str:
    """The stable code of ``exc`` (``unexpected`` for untyped errors)."""
    return exc.code if isinstance(exc, CarebookError) else "unexpected"


def names_field(exc: BaseException, field: str) -> bool:
    """Whether a refusal is about ``field`` (the untranslated ``N_`` name the service used,
    e.g. "first name"); services put the translated, capitalised name in ``field``."""
    if not isinstance(exc, CarebookError):
        return False
    label = _(field)
    return exc.params.get("field") == label[:1].upper() + label[1:]


def focus_on(widget: QWidget | None) -> None:
    """Put the cursor in the field a refusal is about, its text selected for retyping."""
    if widget is None or not widget.isVisible():
        return
    widget.setFocus(Qt.FocusReason.OtherFocusReason)
    if isinstance(widget, QLineEdit):
        widget.selectAll()


class ErrorLabel(QLabel):
    """An in-place message line for a form: hidden when empty, red text, screen-reader visible."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("errorLabel")
        self.setWordWrap(True)
        self.setStyleSheet("color: #b00020;")
        self.hide()

    def show_error(self, exc: BaseException) -> None:
        self.show_text(user_message(exc))

    def show_text(self, text: str) -> None:
        self.setText(text)
        self.setAccessibleName(text)
        self.setVisible(bool(text))

    def clear_error(self) -> None:
        self.show_text("")


def show_error(parent: QWidget | None, exc: BaseException, *,
               title: str | None = None) -> QMessageBox:
    """A window-modal message box for errors that have no form to show them in.

    Opened with ``open()``, not ``exec()``: no nested event loop, so a lane result or the
    auto-lock timer is never held up behind it.
    """
    box = QMessageBox(QMessageBox.Icon.Warning, title or _("carebook"), user_message(exc),
                      QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("errorBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()
    return box

"""The admin dialogs in Finnish and Swedish: dates in the locale's form, screenshots to look at
(issue 4 items 8 and 10)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWidget

from carebook.i18n import set_language
from carebook.ui.admin import open_staff_admin, open_usage_log


@pytest.mark.parametrize(("language", "date_format"), [("fi", "d.M.yyyy"),
                                                        ("sv", "d.M.yyyy")])
def test_usage_log_and_staff_in_each_language(qtbot, workspace, sign_in, wait_idle,
                                              screenshot_dir, language, date_format):
    set_language(language)
    parent = QWidget()
    qtbot.addWidget(parent)
    sign_in("johtaja")
    log = open_usage_log(parent, workspace)
    wait_idle()
    assert log.model.rowCount() > 0 and not log.error.isVisible()
    assert log.from_edit.displayFormat() == date_format
    log.grab().save(str(screenshot_dir / f"admin_usage_log_{language}.png"))
    log.reject()
    workspace.lock()
    wait_idle()
    sign_in("admin")
    staff = open_staff_admin(parent, workspace)
    wait_idle()
    assert staff.model.rowCount() == 4
    staff.grab().save(str(screenshot_dir / f"admin_staff_{language}.png"))
    staff.reject()

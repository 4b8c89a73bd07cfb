"""Screenshots of every section of the plan editor in each language (issue 4 item 10), and at
125 % text size, saved to test-output/screenshots for a person to look at."""

from __future__ import annotations

from datetime import date

import pytest
import shiboken6
from PySide6.QtWidgets import QApplication

from carebook.i18n import set_language
from carebook.model.records import Goal, Meeting, Participant, PlanContent, PreviousPlanReview
from carebook.model.services import clients, plans
from carebook.ui.plan_editor import open_plan_editor

SECTIONS = ("meetings", "situation", "service", "goals", "review", "visibility")
PLAN = PlanContent(
    social_service="serviceboende_med_heldygnsomsorg", service_start=date(2026, 1, 5),
    service_description="Ympärivuorokautinen palveluasuminen; apu aamu- ja iltatoimissa.",
    responsible_person="Anna Testinen, sairaanhoitaja",
    client_situation="Asuu palvelutalossa. Muisti heikentynyt; liikkuu rollaattorilla.",
    current_services="Fysioterapia kerran viikossa. Ateriapalvelu.",
    meetings=(Meeting(date(2026, 2, 1), "Kuuselan palvelutalo", (
        Participant("Toivo Virtanen", "asiakas"),
        Participant("Liisa Virtanen", "tytär"),
        Participant("Anna Testinen", "omahoitaja", "Kuuselan palvelutalo", "sairaanhoitaja"))),
        Meeting(date(2026, 2, 8), "Puhelin")),
    goals=(Goal("Liikkuu turvallisesti", "Ei kaatumisia kotona.",
                "Kävelyharjoitus päivittäin; arvio kuukauden välein."),
           Goal("Syö hyvin", "Paino pysyy ennallaan.", "Punnitus kerran kuussa."),
           Goal("Pitää yhteyttä läheisiin", "", "Viikoittainen puhelu tyttärelle.")),
    previous_review=PreviousPlanReview("partly_achieved", "Liikkuminen parantunut.",
                                       "Asiakas on tyytyväinen."),
    next_review_on=date(2027, 1, 4))


def shoot(qtbot, workspace, screenshot_dir, *, label: str) -> list:
    toivo = clients.list_clients(workspace.store, workspace.staff, name="Toivo")[0]
    draft = plans.record_plan(workspace.store, workspace.staff, client_id=toivo.id, plan=PLAN)
    dialog = open_plan_editor(None, workspace, client_id=toivo.id, document=draft)
    qtbot.waitUntil(lambda: dialog.context is not None and dialog.form.isEnabled(),
                    timeout=10_000)
    saved = []
    for index, name in enumerate(SECTIONS):
        dialog.form.tabs.setCurrentIndex(index)
        QApplication.processEvents()
        path = screenshot_dir / f"plan_editor_{label}_{index + 1}_{name}.png"
        assert dialog.grab().save(str(path))
        saved.append(path)
    assert dialog.width() <= 1280 and dialog.height() <= 800
    tabs = [dialog.form.tabs.tabText(i) for i in range(dialog.form.tabs.count())]
    if shiboken6.isValid(dialog):
        dialog._close_now()
    return [saved, tabs]


@pytest.mark.parametrize("language", ["fi", "sv", "en"])
def test_every_section_is_saved_as_a_screenshot(qtbot, workspace, sign_in, screenshot_dir,
                                                language):
    sign_in("hoitaja1")
    set_language(language)
    saved, tabs = shoot(qtbot, workspace, screenshot_dir, label=language)
    assert all(p.stat().st_size > 0 for p in saved)
    assert len(tabs) == len(SECTIONS) and all(tabs)


def test_sections_at_125_percent_text(qtbot, workspace, sign_in, screenshot_dir):
    sign_in("hoitaja1")
    app = QApplication.instance()
    font = app.font()
    bigger = app.font()
    bigger.setPointSizeF(font.pointSizeF() * 1.25)
    app.setFont(bigger)
    try:
        set_language("fi")
        saved, _tabs = shoot(qtbot, workspace, screenshot_dir, label="fi_125")
    finally:
        app.setFont(font)
    assert len(saved) == len(SECTIONS)


def test_correction_mode_screenshot(qtbot, workspace, sign_in, screenshot_dir):
    """MSG-12: the correction shows the reason chooser and no draft button."""
    from carebook.model.services import journal

    sign_in("hoitaja1")
    toivo = clients.list_clients(workspace.store, workspace.staff, name="Toivo")[0]
    page = journal.client_timeline(workspace.store, workspace.staff, client_id=toivo.id,
                                   kinds=("plan",))
    plan = next(d for d in page.items if d.state == "completed")
    dialog = open_plan_editor(None, workspace, client_id=toivo.id, document=plan, correct=True)
    qtbot.waitUntil(lambda: dialog.context is not None and dialog.form.isEnabled(),
                    timeout=10_000)
    dialog.form.tabs.setCurrentIndex(3)
    QApplication.processEvents()
    path = screenshot_dir / "plan_editor_en_correction.png"
    assert dialog.grab().save(str(path))
    assert dialog.reason.isVisibleTo(dialog) and not dialog.save_button.isVisibleTo(dialog)
    dialog._close_now()


def test_first_plan_review_tab_screenshot(qtbot, workspace, sign_in, screenshot_dir):
    """E11: the first plan of a service has no review of a previous plan, only a note."""
    sign_in("hoitaja1")
    set_language("fi")
    toivo = clients.list_clients(workspace.store, workspace.staff, name="Toivo")[0]
    dialog = open_plan_editor(None, workspace, client_id=toivo.id)
    qtbot.waitUntil(lambda: dialog.context is not None and dialog.form.isEnabled(),
                    timeout=10_000)
    form = dialog.form
    form.service.setCurrentIndex(form.service.findData("hemvard"))
    form.tabs.setCurrentIndex(4)
    QApplication.processEvents()
    assert dialog.grab().save(str(screenshot_dir / "plan_editor_fi_first_plan_review.png"))
    assert form.first_note.isVisibleTo(dialog) and not form.review_group.isVisibleTo(dialog)
    dialog._close_now()

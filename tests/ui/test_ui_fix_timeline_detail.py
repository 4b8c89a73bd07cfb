"""The timeline's detail pane after a reload (tester finding A2) and a plan's detail with
its headings (finding A3; rules-documents E11)."""

from __future__ import annotations

from carebook.model.services import directory, lifecycle


def _timeline(qtbot, workspace, sign_in, last_name, username="hoitaja1"):
    from carebook.ui.timeline import ClientTimeline

    sign_in(username)
    timeline = ClientTimeline(workspace)
    qtbot.addWidget(timeline)
    timeline.resize(1200, 600)
    timeline.show()
    store, staff = workspace.store, workspace.staff
    rows = workspace.db.call_blocking(lambda: directory.client_directory(store, staff))
    client_id = next(r.id for r in rows if r.client.last_name == last_name)
    with qtbot.waitSignal(timeline.first_page_shown, timeout=10_000):
        timeline.set_client(client_id)
    return timeline


def _select(timeline, kind):
    model = timeline.model
    row = next(i for i in range(model.rowCount()) if model.document(i).kind == kind
               and model.document(i).state == "completed")
    timeline.view.selectRow(row)
    return model.document(row)


def test_detail_is_cleared_when_the_shown_document_is_nullified(qtbot, workspace, sign_in):
    """A2 / MSG-13: a nullified document leaves the normal view and the detail pane."""
    timeline = _timeline(qtbot, workspace, sign_in, "Mäkinen")
    doc = _select(timeline, "journal")
    assert doc.body.splitlines()[0] in timeline.detail.toPlainText()
    store, staff = workspace.store, workspace.staff
    workspace.db.call_blocking(lambda: lifecycle.nullify_document(
        store, staff, document_id=doc.id, reason="erroneous"))
    selected: list[object] = []
    timeline.document_selected.connect(selected.append)
    with qtbot.waitSignal(timeline.first_page_shown, timeout=10_000):
        timeline.reload()
    assert timeline.model.row_of(doc.id) is None
    assert timeline.detail.toPlainText() == ""
    assert timeline.current_document() is None and selected == [None]


def test_detail_shows_the_reloaded_version_of_the_same_document(qtbot, workspace, sign_in):
    """A2 / MSG-11: after a correction the detail pane shows version 2, not the old text."""
    timeline = _timeline(qtbot, workspace, sign_in, "Mäkinen")
    doc = _select(timeline, "journal")
    store, staff = workspace.store, workspace.staff
    workspace.db.call_blocking(lambda: lifecycle.correct_document(
        store, staff, document_id=doc.id, reason="typing-error", text="Korjattu teksti."))
    with qtbot.waitSignal(timeline.first_page_shown, timeout=10_000):
        timeline.reload()
    assert timeline.current_document().id == doc.id
    text = timeline.detail.toPlainText()
    assert "Korjattu teksti." in text and "version 2" in text


def test_plan_detail_has_headings_and_values(qtbot, workspace, sign_in):
    """A3 / E11: the plan's parts under headings, goals numbered, dates in the locale form."""
    from carebook.ui import texts

    timeline = _timeline(qtbot, workspace, sign_in, "Mäkinen")
    doc = _select(timeline, "plan")
    plan = doc.plan
    text = timeline.detail.toPlainText()
    for heading in ("Social service", "Service start date", "Person responsible for the service",
                    "Client's situation", "Services the client gets now",
                    "Content and implementation", "Meetings", "Goals",
                    "How the goals of the previous plan were met", "Next review date"):
        assert heading in text, heading
    assert plan.client_situation in text and plan.responsible_person in text
    assert texts.day(plan.service_start) in text and texts.day(plan.next_review_on) in text
    meeting = plan.meetings[0]
    assert f"Date: {texts.day(meeting.on)}" in text and f"Place: {meeting.place}" in text
    assert meeting.participants[0].name in text
    for goal in plan.goals:
        assert goal.name in text and goal.methods_and_timetable in text
    # Goals are a numbered list, in the plan's order.
    from carebook.ui.plan_detail import plan_html

    assert "<ol><li><b>" in plan_html(plan)
    assert text.index(plan.goals[0].name) < text.index(plan.goals[1].name)


def test_plan_detail_escapes_what_was_typed(qtbot):
    """A3: text typed into a plan is shown as text, never as markup."""
    from carebook.model.records import Goal, PlanContent
    from carebook.ui.plan_detail import plan_html

    html = plan_html(PlanContent(social_service="hemvard", client_situation="<b>x</b> & y",
                                 goals=(Goal("<i>g</i>"),)))
    assert "&lt;b&gt;x&lt;/b&gt; &amp; y" in html and "&lt;i&gt;g&lt;/i&gt;" in html

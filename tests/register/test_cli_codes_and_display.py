"""Discoverable case codes, readable XHTML of the register's own documents, named users in
the usage log (MSG-18, AC-9)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from hypothesis import given
from hypothesis import strategies as st
from rar_world import ANNA, BERTIL, ORG_AUTHOR, ORGANISER, case_open, make_world, producer_unit
from rar_world import relationship as relationship_update

from carebook.protocol.codes import code_sets
from carebook.register.cli import main
from carebook.register.display import XHTML_NS, render

XHTML = f"{{{XHTML_NS}}}"


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_codes_lists_every_set_case_open_takes(capsys):
    """`codes LIST` prints the slugs the register accepts, one per line with their labels."""
    for name, key in (("case-names", "case_name_2023"), ("service-tasks", "service_task"),
                      ("social-services", "social_service")):
        code, out, _ = run(capsys, "codes", name)
        listed = {line.split("\t")[0] for line in out.splitlines()}
        assert code == 0 and "vard_och_omsorg" in run(capsys, "codes", "case-names")[1]
        assert listed <= set(code_sets()[key].codes) and listed


def test_case_open_help_names_the_codes(capsys):
    try:
        main(["case", "open", "--help"])
    except SystemExit as done:
        assert done.code == 0
    out = capsys.readouterr().out
    assert "codes case-names" in out and "codes service-tasks" in out
    assert "aldreservice" in out


def test_case_open_with_unknown_or_numeric_code_lists_valid_values(capsys, register_server):
    """MSG-18: a numeric national code is not in the packaged sets; the error names the
    option and lists the valid slugs, and nothing is sent to the register."""
    cert, key = register_server.issue(ORGANISER)
    base = ["case", "open", "--member", ANNA.hetu, "--unit", ORGANISER + ".5",
            "--author", "Sari S", "--url", register_server.url, "--cert", str(cert),
            "--key", str(key), "--ca", str(register_server.ca_path)]
    code, _, err = run(capsys, *base, "--name-code", "vard_och_omsorg", "--service-task", "23")
    assert code == 1 and err.strip().endswith("(CODE_NOT_VALID)") and "Traceback" not in err
    assert "--service-task 23" in err and "aldreservice" in err and "codes service-tasks" in err
    code, _, err = run(capsys, *base, "--name-code", "care", "--service-task", "aldreservice")
    assert code == 1 and "--name-code care" in err and "vard_och_omsorg" in err


def assert_readable(xhtml: str) -> ET.Element:
    root = ET.fromstring(xhtml)
    assert root.tag == f"{XHTML}html"
    assert "None" not in xhtml and "{'" not in xhtml and "[{" not in xhtml
    return root


def test_register_documents_render_as_labelled_xhtml(register_server, client_for):
    """The relationship and case documents the register writes read as documents, not as a
    Python dump: well-formed XHTML, labelled fields, no None values."""
    world = make_world(register_server, client_for)
    world.org.put_relationship(relationship_update(ANNA, producer_unit()))
    world.org.put_relationship(relationship_update(BERTIL, producer_unit()))
    case = world.org.open_case(case_open(ANNA, BERTIL))
    overview = world.org.client_overview(ANNA.hetu)
    rel_root = assert_readable(overview.relationship.document.content.xhtml)
    labels = [dt.text for dt in rel_root.iter(f"{XHTML}dt")]
    assert "Client" in labels and "Social care start" in labels
    case_doc = case.document.document
    case_xhtml = case_doc.content.xhtml
    case_root = assert_readable(case_xhtml)
    texts = "".join(case_root.itertext())
    assert "vard_och_omsorg" in texts and ANNA.hetu in texts


def test_usage_log_names_the_user_of_a_store(register_server, client_for):
    """AC-9: a store's log row names the person in the document's metadata (author)."""
    world = make_world(register_server, client_for)
    world.org.put_relationship(relationship_update(ANNA, producer_unit()))
    world.prod.relationship(ORGANISER, ANNA.hetu, usage=2)
    entries = world.org.usage_log(client=ANNA.hetu).entries
    stores = [e for e in entries if e.action == "store"]
    expected = f"{ORG_AUTHOR.first_name} {ORG_AUTHOR.last_name}"
    assert stores and all(e.user == expected for e in stores)
    assert all(e.user is None for e in entries if e.action == "search")


text_values = st.one_of(st.none(), st.booleans(), st.integers(),
                        st.text(st.characters(blacklist_categories=("Cs", "Cc"))))
records = st.recursive(
    st.dictionaries(st.text(alphabet="abc_", min_size=1, max_size=8), text_values, max_size=4),
    lambda inner: st.dictionaries(st.text(alphabet="abc_", min_size=1, max_size=8),
                                  st.one_of(text_values, inner, st.lists(inner, max_size=3)),
                                  max_size=4),
    max_leaves=12)


@given(title=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
       record=records)
def test_any_record_renders_as_wellformed_xhtml(title, record):
    """Whatever text the fields hold (<, &, quotes ...) the XHTML parses and keeps it."""
    root = ET.fromstring(render(title, record))
    assert root.find(f"{XHTML}head/{XHTML}title").text == (escape_free(title) or None)
    assert "None" not in "".join(root.itertext()) or "None" in title or _has_none_text(record)


def escape_free(text: str) -> str:
    """What survives XML: every character but the ones XML 1.0 forbids."""
    return "".join(c for c in text if c in "\t\n\r" or "\x20" <= c <= "\ud7ff"
                   or "\ue000" <= c <= "\ufffd" or c >= "\U00010000")


def _has_none_text(record: object) -> bool:
    if isinstance(record, dict):
        return any("None" in str(k) or _has_none_text(v) for k, v in record.items())
    if isinstance(record, list):
        return any(_has_none_text(v) for v in record)
    return isinstance(record, str) and "None" in record

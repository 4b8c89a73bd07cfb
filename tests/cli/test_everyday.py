"""The everyday CLI forms of issue #2 item 9, run as a real ``carebook`` process.

Scripts and other issues rely on these exact forms, so each is run verbatim.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.cli.conftest import (
    ADMIN_PASSWORD,
    UNIT2_OID,
    UNIT_OID,
    Cli,
    fast_store,
    hetu,
    init_args,
    make_cli,
)

ORGANISER_OID = "1.2.246.10.76543212.10"
CASE_CODE = "1.2.246.10.76543212.10.3.77"
WORKER_PW = "worker-password-1"
BANNER = "TEST STORE"


@dataclass
class World:
    cli: Cli

    def worker(self, *args: str, user: str = "hoitaja1") -> str:
        return self.cli.ok(*args, user=user, password=WORKER_PW)


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    cli = fast_store(tmp_path_factory.mktemp("world"),
                     users=[("hoitaja1", WORKER_PW, UNIT_OID), ("hoitaja2", WORKER_PW, UNIT2_OID)])
    # Client 1 (unit 1) exists whichever of this module's tests a worker process runs.
    cli.ok("client", "add", "--hetu", hetu("010101", 990), "--first", "Eino", "--last",
           "Ensimmäinen", "--unit", UNIT_OID, user="hoitaja1", password=WORKER_PW)
    return World(cli)


def test_init_shows_the_recovery_code_once_and_marks_the_test_store(tmp_path: Path) -> None:
    cli = make_cli(tmp_path)
    res = cli(*init_args(test_mode=True), new_password=ADMIN_PASSWORD)
    assert res.code == 0, res.err
    out = res.out
    banner = res.err.splitlines()
    assert BANNER in banner[0] and BANNER in banner[-1]
    assert "shown only now" in out
    assert re.search(r"^\s+[0-9A-Z]{5}(-[0-9A-Z]{5}){7}$", out, re.M)
    # The everyday forms of unit and user administration on the store init made.
    assert "Added the service unit" in cli.as_admin("unit", "add", "--name", "Palvelutalo",
                                                    "--oid", UNIT_OID)
    added = cli.ok("user", "add", "--username", "hoitaja", "--first", "Heikki", "--last",
                   "Hoitaja", "--title", "Lähihoitaja", "--role", "care_worker", "--unit",
                   UNIT_OID, user="admin", password=ADMIN_PASSWORD, new_password=WORKER_PW)
    assert "Added the user hoitaja (care_worker)" in added
    assert re.search(r"^hoitaja\s+Heikki Hoitaja", cli.as_admin("user", "list"), re.M)


def test_every_command_says_it_is_a_test_store_on_stderr(world: World) -> None:
    """The banner frames the run on stderr, so ``unit list | head`` gets only the table."""
    res = world.cli("unit", "list", user="admin", password=ADMIN_PASSWORD)
    banner = res.err.splitlines()
    assert res.code == 0 and BANNER in banner[0] and BANNER in banner[-1]
    assert BANNER not in res.out and "Palvelutalo Kuusela" in res.out


def test_add_a_self_paying_client_and_write_notes(world: World) -> None:
    code = hetu("120338", 911)
    out = world.worker("client", "add", "--hetu", code, "--first", "Elsa", "--last", "Mäkinen",
                       "--unit", UNIT_OID)
    assert "self-paying" in out
    number = re.search(r"client number (\d+)", out).group(1)  # type: ignore[union-attr]
    listing = world.worker("client", "list")
    assert re.search(rf"^{number}\s+Mäkinen, Elsa\s+{code}", listing, re.M)
    world.worker("note", "add", "--client", number, "--type", "daily", "--text",
                 "Ulkoiltiin aamupäivällä.")
    world.worker("note", "add", "--client", code, "--type", "functional-ability", "--text",
                 "Liikkuu rollaattorilla.")
    notes = world.worker("note", "list", "--client", number)
    assert "Ulkoiltiin aamupäivällä." in notes and "Liikkuu rollaattorilla." in notes
    assert "completed" in notes
    found = world.worker("note", "search", "rollaattorilla", "--client", code)
    assert "Liikkuu [rollaattorilla]." in found and "Ulkoiltiin" not in found


def test_add_a_client_under_the_organisers_rar(world: World) -> None:
    world.cli.as_admin("organiser", "add", "--name", "Demo-hyvinvointialue", "--oid",
                       ORGANISER_OID)
    out = world.worker("client", "add", "--hetu", hetu("020741", 912), "--first", "Toivo",
                       "--last", "Virtanen", "--unit", UNIT_OID, "--organiser", ORGANISER_OID,
                       "--rar-start", "2026-01-01",
                       "--case-code", CASE_CODE)
    assert f"register of organiser {ORGANISER_OID}" in out
    number = re.search(r"client number (\d+)", out).group(1)  # type: ignore[union-attr]
    shown = world.worker("client", "show", number)
    # Usage code 2: the organiser's register under the register access right (MSG-15).
    assert re.search(rf"^{re.escape(ORGANISER_OID)}\s+2\s+{re.escape(UNIT_OID)}", shown, re.M)


def test_note_types_lists_keys_with_names(world: World) -> None:
    out = world.cli.ok("note", "types")
    assert re.search(r"^daily\s+Note on the client's everyday life$", out, re.M)
    assert re.search(r"^service-start\s+\S", out, re.M)
    assert re.search(r"^service-end\s+\S", out, re.M)


def test_service_start_and_end_and_a_plan(world: World) -> None:
    out = world.worker("client", "add", "--hetu", hetu("300144", 913), "--first", "Väinö",
                       "--last", "Laine", "--unit", UNIT_OID)
    number = re.search(r"client number (\d+)", out).group(1)  # type: ignore[union-attr]
    started = world.worker("service", "start", "--client", number, "--service",
                           "serviceboende_med_heldygnsomsorg", "--start", "2026-09-01")
    service = re.search(r"Service number (\d+)", started).group(1)  # type: ignore[union-attr]
    plan = world.worker("plan", "add", "--client", number, "--service",
                        "serviceboende_med_heldygnsomsorg", "--goal", "Liikkuminen säilyy",
                        "--next-review", "2027-03-01")
    doc = re.search(r"document (\d+)", plan).group(1)  # type: ignore[union-attr]
    assert "draft" in plan
    assert "completed" in world.worker("plan", "complete", doc)
    world.worker("service", "end", "--service-id", service, "--end", "2026-10-01",
                 "--grounds", "Muutti toiselle paikkakunnalle.")
    notes = world.worker("note", "list", "--client", number)
    assert "service-start" in notes and "service-end" in notes


def test_correct_and_nullify(world: World) -> None:
    out = world.worker("client", "add", "--hetu", hetu("171140", 914), "--first", "Aili",
                       "--last", "Heikkinen", "--unit", UNIT2_OID, user="hoitaja2")
    number = re.search(r"client number (\d+)", out).group(1)  # type: ignore[union-attr]
    docs = []
    for text in ("Aamutoimet sujuivat.", "Kirjattu väärälle asiakkaalle."):
        saved = world.worker("note", "add", "--client", number, "--type", "daily", "--text",
                             text, user="hoitaja2")
        docs.append(re.search(r"document (\d+)", saved).group(1))  # type: ignore[union-attr]
    corrected = world.worker("note", "correct", docs[0], "--reason", "typing-error", "--text",
                             "Aamutoimet sujuivat hyvin.", user="hoitaja2")
    assert "version 2" in corrected
    nullified = world.worker("note", "nullify", docs[1], "--reason", "wrong-person",
                             user="hoitaja2")
    assert "nullified" in nullified
    notes = world.worker("note", "list", "--client", number, user="hoitaja2")
    assert "Aamutoimet sujuivat hyvin." in notes and "väärälle" not in notes
    history = world.worker("note", "show", docs[0], user="hoitaja2")
    assert "Version 1 (completed)" in history and "Version 2 (completed)" in history
    assert "Correction reason: typing-error" in history


def _one_line_error(res: object) -> str:
    err = res.err  # type: ignore[attr-defined]
    assert "Traceback" not in err and "Traceback" not in res.out  # type: ignore[attr-defined]
    # The test-store banner frames stderr; the error itself is one line.
    lines = [line for line in err.splitlines() if line.strip() and BANNER not in line]
    assert len(lines) == 1, err
    return lines[0]


def test_wrong_password_is_one_clear_line(world: World) -> None:
    res = world.cli("client", "list", user="hoitaja2", password="not-the-password")
    assert res.code == 1
    assert _one_line_error(res) == "carebook: error: Wrong username or password."


@pytest.mark.parametrize(("args", "expected"), [
    (["client", "add", "--hetu", "120338-9118", "--first", "A", "--last", "B", "--unit",
      UNIT_OID], "identity code is not valid"),
    (["client", "add", "--hetu", hetu("010190", 123), "--first", "A", "--last", "B", "--unit",
      UNIT_OID], "only Kela's test identity codes"),
    (["client", "add", "--hetu", hetu("010190", 915), "--first", "A", "--last", "B", "--unit",
      "1.2.246.10.99999999.10.9"], "No service unit with OID 1.2.246.10.99999999.10.9"),
    (["note", "add", "--client", "1", "--type", "daily", "--text", "x"],
     "no relevant connection"),
    (["note", "add", "--client", "1", "--type", "nonsense", "--text", "x"], "not a known code"),
], ids=["invalid-hetu", "real-code-in-test-store", "unknown-unit", "no-special-reason",
        "unknown-type"])
def test_errors_are_one_translated_line(world: World, args: list[str], expected: str) -> None:
    # Client 1 is in unit 1; hoitaja2 works in unit 2 only (AC-6).
    user = "hoitaja2" if args[0] == "note" else "hoitaja1"
    res = world.cli(*args, user=user, password=WORKER_PW)
    assert res.code == 1, res.out
    assert expected in _one_line_error(res)


def test_a_special_reason_opens_access_and_is_logged(world: World) -> None:
    out = world.cli.ok("note", "add", "--client", "1", "--type", "daily", "--text",
                       "Sijaisena palvelutalossa.", "--special-reason", "substitute",
                       user="hoitaja2", password=WORKER_PW)
    assert "Saved document" in out
    log = world.cli.as_admin("audit", "list", "--actor", "hoitaja2")
    assert "substitute" in log


def test_usage_errors_exit_2_on_one_line(world: World) -> None:
    res = world.cli("client", "lst", user="hoitaja1", password=WORKER_PW)
    assert res.code == 2
    assert "invalid choice" in _one_line_error(res)


def test_a_normal_store_refuses_test_codes(tmp_path: Path) -> None:
    cli = fast_store(tmp_path, test_mode=False)
    listed = cli("unit", "list", user="admin", password=ADMIN_PASSWORD)
    assert listed.code == 0 and BANNER not in listed.out + listed.err
    res = cli("client", "add", "--hetu", hetu("010190", 901), "--first", "A", "--last", "B",
              "--unit", UNIT_OID, user="admin", password=ADMIN_PASSWORD)
    assert res.code == 1
    assert "not accepted in a production store" in _one_line_error(res)


def test_an_unknown_organiser_is_added_by_someone_who_may(world: World) -> None:
    # The administrator of a small producer is also its responsible director (set up by init).
    out = world.cli.as_admin("client", "add", "--hetu", hetu("040450", 916), "--first", "Siiri",
                             "--last", "Järvinen", "--unit", UNIT_OID, "--organiser",
                             "1.2.246.10.55555555.10", "--organiser-name", "Toinen alue",
                             "--rar-start", "2026-02-01", "--case-code",
                             "1.2.246.10.55555555.10.3.1")
    assert "Added the organiser 1.2.246.10.55555555.10." in out
    assert "Toinen alue" in world.cli.as_admin("organiser", "list")


def test_a_note_under_rar_without_the_case_code_is_kept_as_a_draft(world: World) -> None:
    """RAR-11: completion waits for the organiser's case code, and the text is not lost."""
    world.cli("organiser", "add", "--name", "Demo-hyvinvointialue", "--oid", ORGANISER_OID,
              user="admin", password=ADMIN_PASSWORD)
    out = world.worker("client", "add", "--hetu", hetu("150550", 914), "--first", "Aili",
                       "--last", "Koskinen", "--unit", UNIT_OID, "--organiser", ORGANISER_OID,
                       "--rar-start", "2026-01-01")
    number = re.search(r"client number (\d+)", out).group(1)  # type: ignore[union-attr]
    res = world.cli("note", "add", "--client", number, "--type", "daily", "--text",
                    "Söi hyvin ja lepäsi.", user="hoitaja1", password=WORKER_PW)
    assert res.code == 1
    assert "case code" in res.err and "RAR-11" in res.err and "Traceback" not in res.err
    assert "Saved as a draft" in res.out
    notes = world.worker("note", "list", "--client", number)
    assert "Söi hyvin ja lepäsi." in notes and "draft" in notes
    # The message says exactly what to do next, and that the entry must not be added again.
    draft = re.search(r"Saved as draft (\d+); do not add it again", res.err)
    assert draft is not None
    assert f"carebook client case-code --client {number} --case-code OID" in res.err
    assert f"carebook note complete {draft.group(1)}" in res.err
    # The author fixes the draft with a long text from standard input, then follows the hint.
    long_text = "Söi hyvin ja lepäsi.\n" + "Ulkoiltiin pihalla. " * 300
    edited = world.cli("note", "edit", draft.group(1), "--text", "-", stdin=long_text,
                       user="hoitaja1", password=WORKER_PW)
    assert edited.code == 0 and "Changed the draft" in edited.out, edited.err
    recorded = world.worker("client", "case-code", "--client", number, "--case-code",
                            "1.2.246.10.76543212.10.3.91")
    assert "Recorded the case code 1.2.246.10.76543212.10.3.91" in recorded
    done = world.worker("note", "complete", draft.group(1))
    assert "Completed" in done
    shown = world.worker("note", "show", draft.group(1))
    assert shown.count("Ulkoiltiin pihalla.") == 300

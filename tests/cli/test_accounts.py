"""Account orchestration in process (cheap Argon2id): init, sign-in, users, passwords, rekey.

Issue #2 items 4 and 8: key slots and staff rows move together; failed unlocks become
``failed_login`` events at the next sign-in (AC-8); every admin action is logged.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from carebook.errors import (
    AccessDeniedError,
    CarebookError,
    StoreExistsError,
    ValidationError,
    WrongPasswordError,
)
from carebook.model import audit
from carebook.model.keyslots import SlotPolicy
from carebook.model.keywrap import KdfParams
from carebook.model.services import accounts, clients, journal, units
from carebook.model.services.demo_data import kela_test_hetu
from carebook.model.store import Store
from carebook.paths import slots_path, store_path

FAST = SlotPolicy(kdf=KdfParams(memory_kib=8, iterations=1, lanes=1), sleep=lambda _s: None)
PW = "admin-password-1"
UNIT = "1.2.246.10.12345678.10.1"


def _init(data_dir: Path, **overrides: object) -> accounts.InitResult:
    args: dict[str, object] = dict(
        producer_name="Hoivakoti Testi Oy", business_id="2910052-3",
        producer_oid="1.2.246.10.12345678.10", admin_username="admin", admin_first="Aino",
        admin_last="Ahonen", admin_title="Toimitusjohtaja", password=PW, test_mode=True,
        policy=FAST)
    args.update(overrides)
    return accounts.init_store(data_dir, **args)  # type: ignore[arg-type]


def _events(store: Store, action: str) -> list[audit.AuditRecord]:
    with store.session() as session:
        return [e for e in audit.events(session) if e.action == action]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    d = tmp_path / "data"
    _init(d)
    return d


def test_init_makes_a_store_the_admin_can_sign_in_to(tmp_path: Path) -> None:
    result = _init(tmp_path / "d")
    assert len(result.recovery_code.replace("-", "")) >= 32
    assert result.admin.username == "admin"
    store, ctx = accounts.sign_in(tmp_path / "d", "admin", PW, policy=FAST)
    try:
        assert ctx.test_mode
        assert [e.actor for e in _events(store, audit.LOGIN)] == ["admin"]
    finally:
        store.close()


def test_a_failed_init_leaves_nothing_on_disk(tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        _init(tmp_path / "d", business_id="1234567-8")  # wrong Y-tunnus check digit
    assert list((tmp_path / "d").iterdir()) == []


def test_init_refuses_a_second_store(data_dir: Path) -> None:
    with pytest.raises(StoreExistsError):
        _init(data_dir)


def test_unknown_user_and_wrong_password_are_the_same_error_and_logged_later(
        data_dir: Path) -> None:
    with pytest.raises(WrongPasswordError) as wrong:
        accounts.sign_in(data_dir, "admin", "not the password", policy=FAST)
    with pytest.raises(WrongPasswordError) as unknown:
        accounts.sign_in(data_dir, "Salasana-kirjoitettu-vaaraan", PW, policy=FAST)
    assert wrong.value.message() == unknown.value.message()
    store, _ctx = accounts.sign_in(data_dir, "admin", PW, policy=FAST)
    try:
        failed = _events(store, audit.FAILED_LOGIN)
        assert sorted(e.actor or "" for e in failed) == ["", "admin"]
        # AC-8 without leaking: a typed name that is no user never reaches the log.
        assert all("Salasana" not in (e.detail or "") for e in failed)
        assert store.slots is not None and store.slots.pending_failures() == []
    finally:
        store.close()


def _with_worker(data_dir: Path) -> None:
    store, admin = accounts.sign_in(data_dir, "admin", PW, policy=FAST)
    try:
        units.add_unit(store, admin, name="Palvelutalo", oid=UNIT)
        accounts.add_user(store, admin, username="hoitaja", password="worker-pass-1",
                          first_name="Heikki", last_name="Hoitaja", title="Lähihoitaja",
                          roles=("care_worker",), unit_oids=(UNIT,))
    finally:
        store.close()


def test_a_removed_user_cannot_sign_in_but_stays_the_author(data_dir: Path) -> None:
    _with_worker(data_dir)
    store, worker = accounts.sign_in(data_dir, "hoitaja", "worker-pass-1", policy=FAST)
    try:
        client = clients.add_client(store, worker, first_name="Elsa", last_name="Esimerkki",
                                    unit_oid=UNIT, hetu=kela_test_hetu(date(1940, 1, 1), 901))
        journal.record_journal_entry(store, worker, client_id=client.id, entry_type="daily",
                                     text="Ulkoiltiin.", complete=True)
    finally:
        store.close()
    store, admin = accounts.sign_in(data_dir, "admin", PW, policy=FAST)
    try:
        accounts.remove_user(store, admin, username="hoitaja")
        page = journal.client_timeline(store, admin, client_id=client.id)
        assert {d.author_name for d in page.items} == {"Heikki Hoitaja"}
        assert "user deactivated" in [e.detail for e in _events(store, audit.ADMIN)]
    finally:
        store.close()
    with pytest.raises(WrongPasswordError):
        accounts.sign_in(data_dir, "hoitaja", "worker-pass-1", policy=FAST)


def test_a_deactivated_user_is_reactivated_with_a_new_password_roles_and_units(
        data_dir: Path) -> None:
    """Back from leave: the administrator gives a new password, roles and units (they were
    cleared); the old password opens nothing. Both the slot and the row, or neither."""
    _with_worker(data_dir)
    store, admin = accounts.sign_in(data_dir, "admin", PW, policy=FAST)
    try:
        accounts.remove_user(store, admin, username="hoitaja")
        with pytest.raises(ValidationError) as no_unit:  # AC-6, as for a new user
            accounts.reactivate_user(store, admin, username="hoitaja",
                                     password="back-again-1", roles=("care_worker",))
        assert no_unit.value.code == "unit_required"
        with pytest.raises(ValidationError) as no_role:
            accounts.reactivate_user(store, admin, username="hoitaja",
                                     password="back-again-1", roles=(), unit_oids=(UNIT,))
        assert no_role.value.code == "role_required"
        assert store.slots is not None and store.slots.users() == ["admin"]
        back = accounts.reactivate_user(store, admin, username="hoitaja",
                                        password="back-again-1", roles=("care_worker",),
                                        unit_oids=(UNIT,))
        assert back.active and back.roles == ("care_worker",) and len(back.unit_ids) == 1
        assert "user reactivated" in [e.detail for e in _events(store, audit.ADMIN)]
        with pytest.raises(ValidationError) as active:  # an active user's slot is kept
            accounts.reactivate_user(store, admin, username="hoitaja",
                                     password="other-pass-1", roles=("care_worker",),
                                     unit_oids=(UNIT,))
        assert active.value.code == "already_active"
    finally:
        store.close()
    with pytest.raises(WrongPasswordError):
        accounts.sign_in(data_dir, "hoitaja", "worker-pass-1", policy=FAST)
    accounts.sign_in(data_dir, "hoitaja", "back-again-1", policy=FAST)[0].close()


def test_a_taken_username_leaves_no_extra_key_slot(data_dir: Path) -> None:
    _with_worker(data_dir)
    store, admin = accounts.sign_in(data_dir, "admin", PW, policy=FAST)
    try:
        with pytest.raises(CarebookError):
            accounts.add_user(store, admin, username="hoitaja", password="another-pass-1",
                              first_name="Toinen", last_name="Hoitaja", title="Lähihoitaja",
                              roles=("care_worker",))
        assert store.slots is not None and store.slots.users() == ["admin", "hoitaja"]
    finally:
        store.close()
    # The first user's password still opens the store: the slot was not replaced.
    accounts.sign_in(data_dir, "hoitaja", "worker-pass-1", policy=FAST)[0].close()


def test_only_an_admin_adds_users(data_dir: Path) -> None:
    _with_worker(data_dir)
    store, worker = accounts.sign_in(data_dir, "hoitaja", "worker-pass-1", policy=FAST)
    try:
        with pytest.raises(AccessDeniedError):
            accounts.add_user(store, worker, username="x", password="password-x1",
                              first_name="X", last_name="Y", title="Z", roles=("admin",))
        assert store.slots is not None and "x" not in store.slots.users()
    finally:
        store.close()


def test_own_password_change_and_admin_reset(data_dir: Path) -> None:
    _with_worker(data_dir)
    store, worker = accounts.sign_in(data_dir, "hoitaja", "worker-pass-1", policy=FAST)
    try:
        accounts.change_password(store, worker, old_password="worker-pass-1",
                                 new_password="worker-pass-2")
    finally:
        store.close()
    with pytest.raises(WrongPasswordError):
        accounts.sign_in(data_dir, "hoitaja", "worker-pass-1", policy=FAST)
    store, admin = accounts.sign_in(data_dir, "admin", PW, policy=FAST)
    try:
        accounts.reset_password(store, admin, username="hoitaja", new_password="reset-pass-3")
        details = [e.detail for e in _events(store, audit.ADMIN)]
        assert "own password changed" in details and "password reset" in details
    finally:
        store.close()
    accounts.sign_in(data_dir, "hoitaja", "reset-pass-3", policy=FAST)[0].close()


def test_rekey_keeps_passwords_and_replaces_the_recovery_code(tmp_path: Path) -> None:
    old_code = _init(tmp_path / "d").recovery_code
    store, admin = accounts.sign_in(tmp_path / "d", "admin", PW, policy=FAST)
    try:
        new_code = accounts.rekey(store, admin)
    finally:
        store.close()
    path = store_path(tmp_path / "d")
    with pytest.raises(WrongPasswordError):
        Store.unlock_with_recovery(path, code=old_code, policy=FAST)
    Store.unlock_with_recovery(path, code=new_code, policy=FAST).close()
    store, _ = accounts.sign_in(tmp_path / "d", "admin", PW, policy=FAST)
    try:
        assert "data key rotated" in [e.detail for e in _events(store, audit.ADMIN)]
    finally:
        store.close()


def test_backup_and_restore_in_process(data_dir: Path, tmp_path: Path) -> None:
    _with_worker(data_dir)
    store, admin = accounts.sign_in(data_dir, "admin", PW, policy=FAST)
    try:
        out = accounts.backup(store, admin, out=tmp_path / "b.db")
        units.add_unit(store, admin, name="Kotihoito", oid=UNIT + "0")
    finally:
        store.close()
    assert out.exists() and slots_path(out).exists()
    result = accounts.restore(data_dir, backup_file=out, username="admin", password=PW,
                              policy=FAST)
    safety = result.safety_copy
    assert safety is not None and safety.exists()
    store, admin = accounts.sign_in(data_dir, "admin", PW, policy=FAST)
    try:
        assert [u.oid for u in units.list_units(store, admin)] == [UNIT]
        details = [e.detail for e in _events(store, audit.ADMIN)]
        assert "backup written" in details
        assert any((d or "").startswith("restored from a backup; replaced store kept as "
                                        f"{safety.name}") for d in details)
    finally:
        store.close()


def test_a_key_file_left_by_a_crash_is_set_aside_not_deleted(tmp_path: Path) -> None:
    data_dir = tmp_path / "d"
    data_dir.mkdir()
    orphan = slots_path(store_path(data_dir))
    orphan.write_bytes(b"{}")
    _init(data_dir)
    kept = list(data_dir.glob("carebook.db.keys.orphan-*"))
    assert len(kept) == 1 and kept[0].read_bytes() == b"{}"
    accounts.sign_in(data_dir, "admin", PW, policy=FAST)[0].close()


def test_short_passwords_are_refused_by_the_services(data_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(ValidationError):
        _init(tmp_path / "other", password="short")
    assert not (tmp_path / "other" / "carebook.db").exists()
    store, admin = accounts.sign_in(data_dir, "admin", PW, policy=FAST)
    try:
        with pytest.raises(ValidationError):
            accounts.reset_password(store, admin, username="admin", new_password="1234567")
    finally:
        store.close()


def test_the_demo_refuses_a_folder_with_another_store(data_dir: Path) -> None:
    from carebook.model.services import demo

    with pytest.raises(StoreExistsError) as err:
        demo.ensure_demo(data_dir, policy=FAST)
    assert "not the demo store" in err.value.message()

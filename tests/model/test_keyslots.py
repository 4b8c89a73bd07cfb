"""Key slots (ARCHITECTURE §3; issue item 4): per-user Argon2id slots, recovery code, device
slot in the OS keyring, growing delay after failures, atomic 0600 file."""

from __future__ import annotations

import base64
import json
import os
import stat
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from keyring.backend import KeyringBackend
from keyring.backends import fail, null

from carebook.errors import (
    CorruptStoreError,
    KeychainUnavailableError,
    NewerSchemaError,
    NotFoundError,
    ValidationError,
    WrongPasswordError,
)
from carebook.keychain import Keychain
from carebook.model.keyslots import BackoffPolicy, KeySlots, SlotPolicy
from carebook.model.keywrap import DEFAULT_KDF
from tests.model.conftest import FAST_KDF, FakeClock, MemoryKeyring, OtherMemoryKeyring

KEY = bytes(range(32))


@pytest.fixture
def keys_path(tmp_path: Path) -> Path:
    return tmp_path / "carebook.db.keys"


@pytest.fixture
def slots(keys_path: Path, policy: SlotPolicy) -> KeySlots:
    made, _code = KeySlots.create(keys_path, data_key=KEY, policy=policy)
    made.add_user("alice", "alice pw", KEY)
    made.add_user("bob", "bob pw", KEY)
    return made


def test_each_user_unlocks_with_own_password(slots: KeySlots) -> None:
    assert slots.unlock("alice", "alice pw") == KEY
    assert slots.unlock("bob", "bob pw") == KEY
    assert slots.users() == ["alice", "bob"]


def test_slots_survive_reloading_from_disk(
    slots: KeySlots, keys_path: Path, policy: SlotPolicy
) -> None:
    again = KeySlots.load(keys_path, policy=policy)
    assert again.unlock("bob", "bob pw") == KEY


def test_wrong_password_and_unknown_user_look_the_same(slots: KeySlots) -> None:
    with pytest.raises(WrongPasswordError) as wrong:
        slots.unlock("alice", "bob pw")
    with pytest.raises(WrongPasswordError) as unknown:
        slots.unlock("mallory", "alice pw")
    assert wrong.value.code == unknown.value.code == "wrong_password"
    assert str(wrong.value) == str(unknown.value) == "Wrong username or password."
    names = {f.username for f in slots.pending_failures()}
    assert names == {"alice", "@unknown"}


def test_typed_unknown_names_are_not_kept(slots: KeySlots, keys_path: Path) -> None:
    # Someone may type a password into the username field: it must not land in the key file.
    for typed in ("Salasana123!", "mallory"):
        with pytest.raises(WrongPasswordError):
            slots.unlock(typed, "x")
    content = keys_path.read_text()
    assert "Salasana123!" not in content and "mallory" not in content
    (record,) = slots.pending_failures()
    assert (record.username, record.count) == ("@unknown", 2)


def test_password_change_rewraps(slots: KeySlots) -> None:
    slots.change_password("alice", "alice pw", "new secret")
    assert slots.unlock("alice", "new secret") == KEY
    with pytest.raises(WrongPasswordError):
        slots.unlock("alice", "alice pw")


def test_password_change_needs_the_old_password(slots: KeySlots) -> None:
    with pytest.raises(WrongPasswordError):
        slots.change_password("alice", "guess", "new secret")
    assert slots.unlock("alice", "alice pw") == KEY
    assert [f.username for f in slots.pending_failures()] == ["alice"]


def test_admin_reset_sets_a_new_password(slots: KeySlots) -> None:
    slots.set_password("bob", "reset pw", KEY)
    assert slots.unlock("bob", "reset pw") == KEY
    with pytest.raises(WrongPasswordError):
        slots.unlock("bob", "bob pw")


def test_removed_user_cannot_unlock(slots: KeySlots) -> None:
    slots.remove_user("bob")
    with pytest.raises(WrongPasswordError):
        slots.unlock("bob", "bob pw")
    assert slots.users() == ["alice"]


def test_last_user_cannot_be_removed(slots: KeySlots) -> None:
    slots.remove_user("bob")
    with pytest.raises(ValidationError) as err:
        slots.remove_user("alice")
    assert err.value.code == "last_user"
    with pytest.raises(NotFoundError):
        slots.remove_user("nobody")


def test_a_foreign_data_key_is_refused(slots: KeySlots) -> None:
    with pytest.raises(ValidationError) as err:
        slots.add_user("carol", "carol pw", os.urandom(32))
    assert err.value.code == "foreign_key"
    with pytest.raises(ValidationError) as dup:
        slots.add_user("alice", "x", KEY)
    assert dup.value.code == "user_exists"


@pytest.mark.parametrize("bad", ["", "@recovery", " padded", "tab\tname", "x" * 65])
def test_bad_usernames_are_refused(slots: KeySlots, bad: str) -> None:
    with pytest.raises(ValidationError):
        slots.add_user(bad, "pw", KEY)


def test_password_unicode_form_does_not_matter(slots: KeySlots) -> None:
    slots.add_user("saara", unicodedata.normalize("NFC", "pässi"), KEY)
    assert slots.unlock("saara", unicodedata.normalize("NFD", "pässi")) == KEY


def test_recovery_code_unlocks_and_is_forgiving_to_type(
    keys_path: Path, policy: SlotPolicy
) -> None:
    made, code = KeySlots.create(keys_path, data_key=KEY, policy=policy)
    groups = code.split("-")
    assert len(groups) == 8 and all(len(g) == 5 for g in groups)
    assert made.unlock_with_recovery(code) == KEY
    assert made.unlock_with_recovery(" ".join(groups).lower()) == KEY
    with pytest.raises(WrongPasswordError) as err:
        made.unlock_with_recovery("AAAAA-" + code[6:])
    assert err.value.code == "wrong_recovery_code"


def test_reissued_recovery_code_replaces_the_old(slots: KeySlots, keys_path: Path) -> None:
    doc = json.loads(keys_path.read_text())
    first = next(s for s in doc["slots"] if s["kind"] == "recovery")
    new_code = slots.reissue_recovery(KEY)
    assert slots.unlock_with_recovery(new_code) == KEY
    doc = json.loads(keys_path.read_text())
    recovery = [s for s in doc["slots"] if s["kind"] == "recovery"]
    assert len(recovery) == 1 and recovery[0]["id"] != first["id"]


def test_file_holds_no_secret_in_clear(keys_path: Path, policy: SlotPolicy) -> None:
    made, code = KeySlots.create(keys_path, data_key=KEY, policy=policy)
    made.add_user("alice", "alice pw", KEY)
    raw = keys_path.read_bytes()
    for secret in (
        KEY,
        KEY.hex().encode(),
        base64.b64encode(KEY),
        b"alice pw",
        code.encode(),
        code.replace("-", "").encode(),
    ):
        assert secret not in raw


def test_file_is_private_and_written_without_leftovers(slots: KeySlots, keys_path: Path) -> None:
    for i in range(3):
        slots.add_user(f"user{i}", "pw", KEY)
        with pytest.raises(WrongPasswordError):
            slots.unlock(f"user{i}", "nope")
    assert stat.S_IMODE(keys_path.stat().st_mode) == 0o600
    assert [p.name for p in keys_path.parent.iterdir()] == [keys_path.name]


def test_kdf_parameters_are_stored_per_slot(slots: KeySlots, keys_path: Path) -> None:
    doc = json.loads(keys_path.read_text())
    kdfs = [s["kdf"] for s in doc["slots"]]
    assert kdfs and all(k["alg"] == "argon2id" for k in kdfs)
    assert all(k["memory_kib"] == FAST_KDF.memory_kib for k in kdfs)
    assert SlotPolicy().kdf == DEFAULT_KDF and DEFAULT_KDF.memory_kib >= 64 * 1024


def test_slots_made_with_older_parameters_still_unlock(
    slots: KeySlots, keys_path: Path, clock: FakeClock
) -> None:
    stronger = SlotPolicy(
        kdf=type(FAST_KDF)(memory_kib=16, iterations=2, lanes=1), clock=clock, sleep=clock.sleep
    )
    reloaded = KeySlots.load(keys_path, policy=stronger)
    reloaded.change_password("alice", "alice pw", "newer")
    assert reloaded.unlock("bob", "bob pw") == KEY
    assert reloaded.unlock("alice", "newer") == KEY


def test_key_file_from_a_newer_carebook_is_refused(keys_path: Path, slots: KeySlots) -> None:
    doc = json.loads(keys_path.read_text())
    doc["format"] = 2
    keys_path.write_text(json.dumps(doc))
    with pytest.raises(NewerSchemaError):
        KeySlots.load(keys_path)


@pytest.mark.parametrize("content", ["{not json", "[]", '{"format": 1}', '"text"'])
def test_damaged_key_files_are_a_clear_error(
    keys_path: Path, slots: KeySlots, content: str
) -> None:
    keys_path.write_text(content)
    with pytest.raises(CorruptStoreError) as err:
        KeySlots.load(keys_path)
    assert err.value.code == "corrupt_keys"


def test_damaged_file_is_a_clear_error(keys_path: Path, slots: KeySlots) -> None:
    keys_path.write_text("{not json")
    with pytest.raises(CorruptStoreError) as err:
        KeySlots.load(keys_path)
    assert err.value.code == "corrupt_keys"


def test_swapped_slot_fields_do_not_unlock(
    keys_path: Path, slots: KeySlots, policy: SlotPolicy
) -> None:
    doc = json.loads(keys_path.read_text())
    alice = next(s for s in doc["slots"] if s["username"] == "alice")
    bob = next(s for s in doc["slots"] if s["username"] == "bob")
    alice["username"], bob["username"] = "bob", "alice"
    keys_path.write_text(json.dumps(doc))
    with pytest.raises(WrongPasswordError):
        KeySlots.load(keys_path, policy=policy).unlock("bob", "alice pw")


# -- growing delay -----------------------------------------------------------------------


def test_delay_grows_and_is_capped() -> None:
    policy = BackoffPolicy(base_seconds=1, cap_seconds=30)
    assert [policy.delay(n) for n in range(8)] == [0, 1, 2, 4, 8, 16, 30, 30]
    assert BackoffPolicy(base_seconds=0.5, cap_seconds=3).delay(4) == 3


def test_repeated_failures_make_the_next_attempt_wait(slots: KeySlots, clock: FakeClock) -> None:
    for _ in range(3):
        with pytest.raises(WrongPasswordError):
            slots.unlock("alice", "guess")
    # Three failures, all at the same fake instant: the attempts waited 0, 1 and 2 s.
    assert clock.sleeps == [1, 2]
    assert slots.wait_seconds("alice") == 4
    clock.now += 1.5
    assert slots.wait_seconds("alice") == 2.5
    assert slots.unlock("alice", "alice pw") == KEY
    assert clock.sleeps == [1, 2, 2.5]
    assert slots.wait_seconds("bob") == 0


def test_failures_are_kept_until_logged_then_cleared(slots: KeySlots, clock: FakeClock) -> None:
    for _ in range(2):
        with pytest.raises(WrongPasswordError):
            slots.unlock("bob", "guess")
    assert slots.unlock("bob", "bob pw") == KEY
    (record,) = slots.pending_failures()
    assert (record.username, record.count) == ("bob", 2)
    assert record.last_at.timestamp() == pytest.approx(clock.now)
    slots.clear_failures("bob")
    assert slots.pending_failures() == []
    assert slots.wait_seconds("bob") == 0


def test_failures_never_delete_anything(
    slots: KeySlots, keys_path: Path, policy: SlotPolicy
) -> None:
    for _ in range(12):
        with pytest.raises(WrongPasswordError):
            slots.unlock("alice", "guess")
    reloaded = KeySlots.load(keys_path, policy=policy)
    assert reloaded.users() == ["alice", "bob"]
    assert reloaded.unlock("alice", "alice pw") == KEY
    assert reloaded.pending_failures()[0].count == 12


def test_failures_are_shared_between_processes(
    slots: KeySlots, keys_path: Path, policy: SlotPolicy
) -> None:
    other = KeySlots.load(keys_path, policy=policy)
    with pytest.raises(WrongPasswordError):
        other.unlock("alice", "guess")
    assert slots.wait_seconds("alice") == 1


# -- device slot ---------------------------------------------------------------------------


@pytest.fixture
def keyring_backend() -> MemoryKeyring:
    return MemoryKeyring()


def test_device_slot_unlocks_without_password(
    slots: KeySlots, keys_path: Path, keyring_backend: MemoryKeyring, policy: SlotPolicy
) -> None:
    chain = Keychain(keyring_backend)
    on_device = KeySlots.load(keys_path, policy=policy, keychain=chain)
    on_device.enable_device("alice", KEY)
    assert on_device.unlock_with_device("alice") == KEY
    assert on_device.unlock_with_device("bob") is None
    doc = json.loads(keys_path.read_text())
    device = next(s for s in doc["slots"] if s["kind"] == "device")
    assert device["backend"].endswith("MemoryKeyring")
    secret = next(iter(keyring_backend.secrets.values())).encode()
    assert secret not in keys_path.read_bytes()


def test_changed_keyring_backend_falls_back_to_password(
    slots: KeySlots, keys_path: Path, keyring_backend: MemoryKeyring, policy: SlotPolicy
) -> None:
    KeySlots.load(keys_path, policy=policy, keychain=Keychain(keyring_backend)).enable_device(
        "alice", KEY
    )
    moved = OtherMemoryKeyring()
    moved.secrets = dict(keyring_backend.secrets)  # same secret, different backend
    other = KeySlots.load(keys_path, policy=policy, keychain=Keychain(moved))
    assert other.unlock_with_device("alice") is None
    assert other.unlock("alice", "alice pw") == KEY


def test_lost_device_secret_falls_back_to_password(
    slots: KeySlots, keys_path: Path, keyring_backend: MemoryKeyring, policy: SlotPolicy
) -> None:
    chain = Keychain(keyring_backend)
    on_device = KeySlots.load(keys_path, policy=policy, keychain=chain)
    on_device.enable_device("alice", KEY)
    keyring_backend.secrets.clear()
    assert on_device.unlock_with_device("alice") is None
    keyring_backend.secrets[next(iter([("carebook", f"{on_device.store_id}:alice")]))] = (
        base64.b64encode(os.urandom(32)).decode()
    )
    assert on_device.unlock_with_device("alice") is None


@pytest.mark.parametrize("backend", [null.Keyring, fail.Keyring], ids=["null", "no-keyring"])
def test_no_device_slot_when_keyring_cannot_keep_secrets(
    slots: KeySlots, keys_path: Path, policy: SlotPolicy, backend: type[KeyringBackend]
) -> None:
    nowhere = KeySlots.load(keys_path, policy=policy, keychain=Keychain(backend()))
    with pytest.raises(KeychainUnavailableError):
        nowhere.enable_device("alice", KEY)
    assert not nowhere.has_device("alice")
    assert "device" not in keys_path.read_text()


def test_default_keychain_is_the_configured_keyring(
    slots: KeySlots, keys_path: Path, policy: SlotPolicy
) -> None:
    import keyring

    backend = MemoryKeyring()
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        default = KeySlots.load(keys_path, policy=policy)
        default.enable_device("bob", KEY)
        assert default.unlock_with_device("bob") == KEY
    finally:
        keyring.set_keyring(previous)


def test_removing_a_user_forgets_the_device_secret(
    slots: KeySlots, keys_path: Path, keyring_backend: MemoryKeyring, policy: SlotPolicy
) -> None:
    chain = Keychain(keyring_backend)
    on_device = KeySlots.load(keys_path, policy=policy, keychain=chain)
    on_device.enable_device("bob", KEY)
    on_device.remove_user("bob")
    assert keyring_backend.secrets == {}
    assert on_device.unlock_with_device("bob") is None


def test_admin_reset_drops_the_device_slot(
    slots: KeySlots, keys_path: Path, keyring_backend: MemoryKeyring, policy: SlotPolicy
) -> None:
    on_device = KeySlots.load(keys_path, policy=policy, keychain=Keychain(keyring_backend))
    on_device.enable_device("bob", KEY)
    on_device.set_password("bob", "reset", KEY)
    assert on_device.unlock_with_device("bob") is None


# -- rekey support -------------------------------------------------------------------------


def test_rewrap_gives_everyone_the_new_key(
    slots: KeySlots, keys_path: Path, keyring_backend: MemoryKeyring, policy: SlotPolicy
) -> None:
    chain = Keychain(keyring_backend)
    live = KeySlots.load(keys_path, policy=policy, keychain=chain)
    live.enable_device("bob", KEY)
    new_key = os.urandom(32)
    pending = keys_path.with_name(keys_path.name + ".new")
    _rewrapped, code = live.rewrap_all(new_key, path=pending)
    assert live.unlock("bob", "bob pw") == KEY  # the current file is untouched
    fresh = KeySlots.load(pending, policy=policy, keychain=chain)
    assert fresh.unlock("alice", "alice pw") == new_key
    assert fresh.unlock_with_device("bob") == new_key
    assert fresh.unlock_with_recovery(code) == new_key


# -- property: any username/password round-trips ------------------------------------------

names = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cc", "Cs", "Zs", "Zl", "Zp"]),
    min_size=1,
    max_size=20,
).filter(lambda n: not n.startswith("@") and n.isprintable())
passwords = st.text(min_size=0, max_size=40)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    users=st.dictionaries(names, passwords, min_size=1, max_size=4),
    key=st.binary(min_size=32, max_size=32),
)
def test_every_user_round_trips(
    tmp_path_factory: pytest.TempPathFactory, users: dict[str, str], key: bytes
) -> None:
    clock = FakeClock()
    policy = SlotPolicy(kdf=FAST_KDF, clock=clock, sleep=clock.sleep)
    path = tmp_path_factory.mktemp("slots") / "s.keys"
    made, code = KeySlots.create(path, data_key=key, policy=policy)
    for name, password in users.items():
        made.add_user(name, password, key)
    loaded = KeySlots.load(path, policy=policy)
    assert loaded.users() == sorted(users)
    for name, password in users.items():
        assert loaded.unlock(name, password) == key
        with pytest.raises(WrongPasswordError):
            loaded.unlock(name, password + "x")
    assert loaded.unlock_with_recovery(code) == key


def test_wrong_password_on_read_only_media_is_still_a_wrong_password(
    slots: KeySlots, monkeypatch: pytest.MonkeyPatch
) -> None:
    import carebook.model.keyslots as keyslots_module

    def read_only(_path: Path, _data: bytes) -> None:
        raise PermissionError(30, "Read-only file system")

    monkeypatch.setattr(keyslots_module, "write_private_atomic", read_only)
    with pytest.raises(WrongPasswordError):
        slots.unlock("alice", "guess")
    assert slots.unlock("alice", "alice pw") == KEY


def test_a_change_behind_a_chaining_keyring_counts_as_a_change(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from keyring.backends.chainer import ChainerBackend

    monkeypatch.setattr(ChainerBackend, "backends", [MemoryKeyring()])
    before = Keychain(ChainerBackend()).backend_name()
    monkeypatch.setattr(ChainerBackend, "backends", [OtherMemoryKeyring()])
    after = Keychain(ChainerBackend()).backend_name()
    assert before.endswith("[tests.model.conftest.MemoryKeyring]")
    assert before != after

"""Typed errors. Every error carries a stable code; the message is a translatable template.

Exactly one place per front end (CLI: ``carebook.cli``; UI: ``carebook.ui.errors``) turns an
error into text with :meth:`CarebookError.message`. Messages never contain keys or passwords.
"""

from __future__ import annotations

from typing import Any

from carebook.i18n import N_, _


class CarebookError(Exception):
    """Base of every error a user or a script may see.

    Args:
        template: an ``N_()``-marked message with ``%(name)s`` placeholders.
        code: stable machine-readable code (defaults to the class's ``code``).
        rule: the domain rule ID this error enforces (RAR-16, MSG-13 ...), if any.
        **params: values for the placeholders. Never personal data or secrets.
    """

    code: str = "error"
    default_template: str = N_("Something went wrong.")

    def __init__(
        self,
        template: str | None = None,
        *,
        code: str | None = None,
        rule: str | None = None,
        **params: Any,
    ) -> None:
        self.template = template or self.default_template
        if code is not None:
            self.code = code
        self.rule = rule
        self.params = params
        super().__init__(self.code)

    def text(self) -> str:
        """The translated, filled-in message for the current language, without the rule ID.

        The desktop app shows this: a care worker reads what to do, not "(MSG-17)"; the rule
        goes to the log instead (``carebook.ui.errors``).
        """
        text = _(self.template)
        try:
            text = text % self.params if self.params else text
        except (KeyError, ValueError, TypeError):
            pass
        return text

    def message(self) -> str:
        """:meth:`text` followed by the rule ID in brackets (the CLI's and register's form)."""
        text = self.text()
        return f"{text} ({self.rule})" if self.rule else text

    def __str__(self) -> str:
        return self.message()


class StoreError(CarebookError):
    code = "store"
    default_template = N_("The data store could not be used.")


class WrongPasswordError(StoreError):
    code = "wrong_password"
    default_template = N_("Wrong username or password.")


class CorruptStoreError(StoreError):
    code = "corrupt_store"
    default_template = N_(
        "The data store is damaged or is not a carebook store. It was not changed. "
        "Restore it from a backup with 'carebook restore --from FILE'."
    )


class NewerSchemaError(StoreError):
    code = "newer_schema"
    default_template = N_(
        "The data store was made by a newer version of carebook. It was not changed. "
        "Update carebook to open it."
    )


class DiskFullError(StoreError):
    code = "disk_full"
    default_template = N_("The disk is full. Nothing was saved; free some space and try again.")


class StoreExistsError(StoreError):
    code = "store_exists"
    default_template = N_("A data store already exists at %(path)s.")


class StoreMissingError(StoreError):
    code = "store_missing"
    default_template = N_("No data store at %(path)s. Create one with 'carebook init'.")


class ValidationError(CarebookError):
    code = "invalid"
    default_template = N_("The input is not valid.")


class NotFoundError(CarebookError):
    code = "not_found"
    default_template = N_("Not found.")


class AccessDeniedError(CarebookError):
    code = "access_denied"
    default_template = N_("You do not have the right to do this.")


class NoRelevantConnectionError(AccessDeniedError):
    code = "no_relevant_connection"
    default_template = N_(
        "You have no relevant connection to this client (your units are not the client's "
        "units in force). Give a special-reason code to continue."
    )


class RuleViolationError(CarebookError):
    code = "rule_violation"
    default_template = N_("This is not allowed by the Kanta rules.")


class ConflictError(CarebookError):
    code = "conflict"
    default_template = N_("The data was changed meanwhile. Reload and try again.")


class KeychainUnavailableError(StoreError):
    code = "keychain_unavailable"
    default_template = N_(
        "This computer's keyring cannot keep a secret, so the password cannot be remembered "
        "on this device. Sign in with your password."
    )


class StoreInUseError(StoreError):
    code = "store_in_use"
    default_template = N_("The data store at %(path)s is open. Close it first and try again.")


class UpgradeFailedError(StoreError):
    code = "upgrade_failed"
    default_template = N_(
        "The data store could not be upgraded to this version of carebook. It was not "
        "changed; a backup was saved as %(path)s."
    )


class KeyFileMissingError(StoreError):
    code = "key_file_missing"
    default_template = N_(
        "The key file %(path)s of the data store is missing, so the store cannot be opened. "
        "It was not changed. Restore the store from a backup with "
        "'carebook restore --from FILE'."
    )


class BackupDamagedError(StoreError):
    code = "backup_damaged"
    default_template = N_(
        "The backup file %(path)s is damaged or is not a carebook backup. Nothing was changed."
    )


class BackupKeysMissingError(StoreError):
    code = "backup_keys_missing"
    default_template = N_(
        "The key file %(path)s of the backup is missing; it must lie beside the backup file. "
        "Nothing was changed."
    )

"""Every keyboard shortcut of the app, with the text the help overlay (F1) lists.

Views take their key sequences from here, so the overlay can never disagree with the keys.
Qt's standard editing keys (copy, paste, undo) are left as they are.
"""

from __future__ import annotations

from dataclasses import dataclass

from carebook.i18n import N_, _


@dataclass(frozen=True)
class Shortcut:
    keys: str  # a QKeySequence string, portable form
    description: str  # N_()-marked; translate with text()

    def text(self) -> str:
        return _(self.description)


COMPLETE_AND_SIGN = Shortcut("Ctrl+Return", N_("Complete and sign the entry being written"))
SAVE_DRAFT = Shortcut("Ctrl+S", N_("Save the entry or plan as a draft"))
NEW_ENTRY = Shortcut("Ctrl+N", N_("Write a new journal entry for the client"))
FIND_CLIENT = Shortcut("Ctrl+F", N_("Find a client by name or identity code"))
NEW_PLAN = Shortcut("Ctrl+Shift+P", N_("New implementation plan for the client"))
START_SERVICE = Shortcut("Ctrl+Shift+S", N_("Record the start of a service"))
END_SERVICE = Shortcut("Ctrl+Shift+E", N_("Record the end of a service"))
CORRECT = Shortcut("Ctrl+Shift+C", N_("Correct the selected entry"))
NULLIFY = Shortcut("Ctrl+Shift+Delete", N_("Nullify the selected entry"))
VERSIONS = Shortcut("Ctrl+H", N_("Show the version history of the selected entry"))
REFRESH = Shortcut("F5", N_("Reload the client list and timeline"))
LOCK = Shortcut("Ctrl+L", N_("Lock now (sign in again to continue)"))
SWITCH_USER = Shortcut("Ctrl+Shift+L", N_("Switch user"))
SETTINGS = Shortcut("Ctrl+,", N_("Settings: language and auto-lock time"))
HELP = Shortcut("F1", N_("Show these keyboard shortcuts"))
QUIT = Shortcut("Ctrl+Q", N_("Quit"))

ALL = (COMPLETE_AND_SIGN, SAVE_DRAFT, NEW_ENTRY, FIND_CLIENT, NEW_PLAN, START_SERVICE,
       END_SERVICE, CORRECT, NULLIFY, VERSIONS, REFRESH, LOCK, SWITCH_USER, SETTINGS, HELP, QUIT)

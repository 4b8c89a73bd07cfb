"""The log never keeps an identity code, a key or a registered name (STYLE "Data safety")."""

from __future__ import annotations

import logging
import sys
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from carebook import logs
from carebook.model.services.demo_data import kela_test_hetu

birthdays = st.dates(min_value=date(1850, 1, 1), max_value=date(2099, 12, 31))
around = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)


def _logged(redactor: logs.RedactingFilter, message: str) -> str:
    record = logging.LogRecord("carebook.t", logging.INFO, __file__, 1, "%s", (message,), None)
    redactor.filter(record)
    return record.getMessage()


@given(born=birthdays, individual=st.integers(900, 999), before=around, after=around)
def test_identity_codes_never_reach_the_log(born: date, individual: int, before: str,
                                            after: str) -> None:
    code = kela_test_hetu(born, individual)
    text = _logged(logs.RedactingFilter(), f"{before} {code} {after}")
    assert code not in text and code.lower() not in text


@given(name=st.text(alphabet="abcdefghijklmnopqrstuvwxyzåäö", min_size=2, max_size=20),
       before=around)
def test_registered_names_never_reach_the_log(name: str, before: str) -> None:
    redactor = logs.RedactingFilter()
    redactor.add_secret(name)
    text = _logged(redactor, f"{before}{name.upper()} wrote").replace(logs.REDACTED, "")
    assert name.upper() not in text and name not in text


def test_exception_text_is_redacted_too() -> None:
    redactor = logs.RedactingFilter()
    code = kela_test_hetu(date(1990, 1, 1) + timedelta(days=3), 950)
    try:
        raise ValueError(f"bad {code}")
    except ValueError:
        record = logging.LogRecord("carebook.t", logging.ERROR, __file__, 1, "failed", None,
                                   sys.exc_info())
    redactor.filter(record)
    assert record.exc_text and code not in record.exc_text and "ValueError" in record.exc_text

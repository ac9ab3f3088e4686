"""Fixtures of the hardening tests: the security event log as parsed lines."""

import json
import logging

import pytest

from casework.audit.security import logger


@pytest.fixture
def security_log(caplog, monkeypatch):
    """The security events logged during the test, each line parsed; the raw text is `.text`."""
    monkeypatch.setattr(logger, "propagate", True)
    caplog.set_level(logging.INFO, logger=logger.name)

    class Log:
        @property
        def lines(self) -> list[dict]:
            return [json.loads(r.getMessage()) for r in caplog.records if r.name == logger.name]

        @property
        def text(self) -> str:
            return "\n".join(r.getMessage() for r in caplog.records if r.name == logger.name)

        def events(self, name: str) -> list[dict]:
            return [line for line in self.lines if line["event"] == name]

    return Log()

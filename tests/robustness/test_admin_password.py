"""Guessing the admin password: every check lasts the same, repeated failures lock the client out, and each
failure is logged."""

from __future__ import annotations

import logging

import pytest

from ui import admin


@pytest.fixture()
def guard(monkeypatch) -> admin.PasswordGuard:
    monkeypatch.setenv(admin.PASSWORD_VARIABLE, "the-real-one")
    monkeypatch.setattr(admin, "PASSWORD_CHECK_S", 0)
    fresh = admin.PasswordGuard()
    monkeypatch.setattr(admin, "GUARD", fresh)
    return fresh


class _Clock:
    """time.monotonic and time.sleep for the admin module, recording how long each check slept."""

    def __init__(self):
        self.now, self.slept = 1000.0, []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def test_a_right_and_a_wrong_password_take_the_same_time(guard, monkeypatch):
    clock = _Clock()
    monkeypatch.setattr(admin, "time", clock)
    monkeypatch.setattr(admin, "PASSWORD_CHECK_S", 0.5)
    admin.check_password("the-real-one", "10.0.0.5")
    with pytest.raises(admin.AdminError):
        admin.check_password("a-guess", "10.0.0.5")
    with pytest.raises(admin.AdminError):
        admin.check_password("the-real-on", "10.0.0.5")
    assert clock.slept == [0.5, 0.5, 0.5]


def test_repeated_failures_lock_the_client_out_even_with_the_right_password(guard, caplog):
    caplog.set_level(logging.WARNING, logger="edusearch.admin")
    for _ in range(admin.MAX_FAILURES):
        with pytest.raises(admin.AdminError, match="Sai mật khẩu"):
            admin.check_password("guess", "10.0.0.5")
    with pytest.raises(admin.AdminError, match="thử lại sau"):
        admin.check_password("the-real-one", "10.0.0.5")
    admin.check_password("the-real-one", "10.0.0.9")  # another client is not locked out
    failures = [r.getMessage() for r in caplog.records]
    assert sum("wrong password from 10.0.0.5" in m for m in failures) == admin.MAX_FAILURES
    assert any("10.0.0.5 is locked out" in m for m in failures)


def test_the_lockout_ends_when_the_failures_are_old_enough(guard, monkeypatch):
    clock = _Clock()
    monkeypatch.setattr(admin, "time", clock)
    for _ in range(admin.MAX_FAILURES):
        with pytest.raises(admin.AdminError):
            admin.check_password("guess", "10.0.0.5")
    clock.now += admin.LOCKOUT_S + 1
    admin.check_password("the-real-one", "10.0.0.5")

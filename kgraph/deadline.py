"""Run one call in a child process that is killed at a deadline or on Ctrl-C.

A SPARQL query runs inside Oxigraph's native code: Python can neither interrupt it nor take its
memory back. ``kgraph query`` therefore evaluates the query in a forked child and waits for it
while staying responsive: past the deadline, or at the first Ctrl-C, the child is killed (its
CPU and memory come back at once) and the caller gets :class:`QueryTimeoutError` or
``KeyboardInterrupt``. Where ``fork`` is not available the call runs in this process.
"""
from __future__ import annotations

import multiprocessing
import time
from typing import Any, Callable

import kgraph.errors as errors
from kgraph.errors import KGraphError, QueryTimeoutError

__all__ = ["call_with_deadline"]


def _child(connection, func: Callable, args: tuple) -> None:
    try:
        outcome: tuple = ("ok", func(*args))
    except KGraphError as exc:
        outcome = ("error", type(exc).__name__, str(exc), exc.exit_code)
    except BaseException as exc:  # noqa: BLE001 - reported to the parent as one line
        outcome = ("error", "KGraphError", f"{type(exc).__name__}: {exc}", 1)
    try:
        connection.send(outcome)
    except Exception as exc:  # an unpicklable result
        connection.send(("error", "KGraphError", f"cannot return the result: {exc}", 1))
    finally:
        connection.close()


def _raise(name: str, message: str, exit_code: int) -> None:
    cls = getattr(errors, name, KGraphError)
    try:
        exc = cls(message)
    except TypeError:  # subclasses with other constructors
        exc = KGraphError(message)
    exc.exit_code = exit_code
    raise exc


def call_with_deadline(func: Callable, args: tuple = (), timeout_s: float | None = None, *, what: str = "query") -> Any:
    """``func(*args)`` evaluated in a forked child; :class:`QueryTimeoutError` after ``timeout_s``
    seconds (``None``: no limit); ``KeyboardInterrupt`` stops the child at once and propagates.
    The child's KGraphErrors are raised here with their message and exit code."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return func(*args)
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_child, args=(sender, func, args), daemon=True)
    deadline = None if timeout_s is None else time.monotonic() + timeout_s
    process.start()
    sender.close()
    try:
        while True:
            if receiver.poll(0.05):
                try:
                    outcome = receiver.recv()
                except EOFError:
                    outcome = ("error", "KGraphError", f"the {what} process ended without an answer", 1)
                break
            if not process.is_alive() and not receiver.poll(0):
                code = process.exitcode
                outcome = ("error", "KGraphError", f"the {what} process ended unexpectedly (exit code {code})", 1)
                break
            if deadline is not None and time.monotonic() > deadline:
                raise QueryTimeoutError(
                    f"{what} cancelled: it ran longer than the timeout of {timeout_s:g} s; narrow it "
                    "(LIMIT, more specific patterns) or give a larger --timeout (0 for none)"
                )
    finally:
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        receiver.close()
    if outcome[0] == "ok":
        return outcome[1]
    _raise(*outcome[1:])

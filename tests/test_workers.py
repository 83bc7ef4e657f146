"""Render workers side by side: every item arrives, answers reach the child that asked."""

from __future__ import annotations

import os
import time
from collections.abc import Generator
from typing import Any

import pytest

from docgen.errors import RenderError
from docgen.limits import Ask, WorkerTimeout, forking, run_in_workers

pytestmark = pytest.mark.skipif(not forking(), reason="workers are forked children (Linux)")


def _counting(name: str, n: int, *, ask: bool = False) -> Any:
    def produce() -> Generator[Any, Any, None]:
        for i in range(n):
            if ask and i == n // 2:
                answer = yield Ask(f"{name}?")
                yield f"{name}:answer={answer}"
            yield f"{name}:{i}:{os.getpid()}"

    return produce


def _drive(workers: Generator[tuple[int, Any], Any, None]) -> list[tuple[int, Any]]:
    got: list[tuple[int, Any]] = []
    answer: Any = None
    while True:
        try:
            i, item = workers.send(answer)
        except StopIteration:
            return got
        answer = f"to-{i}" if isinstance(item, Ask) else None
        got.append((i, item))


def test_items_of_each_producer_arrive_in_order_from_processes_of_their_own() -> None:
    got = _drive(run_in_workers([_counting("a", 20, ask=True), _counting("b", 20, ask=True)],
                                seconds=30, memory_mb=256))
    for i, name in enumerate("ab"):
        items = [item for j, item in got if j == i]
        assert [item for item in items if isinstance(item, Ask)] == [Ask(f"{name}?")]
        assert f"{name}:answer=to-{i}" in items  # the answer went to the child that asked
        numbers = [int(item.split(":")[1]) for item in items
                   if isinstance(item, str) and "answer" not in item]
        assert numbers == list(range(20))
    pids = {item.split(":")[2] for _, item in got if isinstance(item, str) and "answer" not in item}
    assert len(pids) == 2
    assert str(os.getpid()) not in pids


def test_one_slow_producer_runs_out_of_time_and_both_are_stopped() -> None:
    def slow() -> Generator[Any, Any, None]:
        yield "slow:started"
        time.sleep(60)
        yield "slow:never"

    started = time.monotonic()
    got: list[Any] = []
    workers = run_in_workers([_counting("a", 3), slow], seconds=1, memory_mb=256)
    with pytest.raises(WorkerTimeout):
        got.extend(workers)
    assert time.monotonic() - started < 10
    assert (1, "slow:started") in got
    assert len([item for i, item in got if i == 0]) == 3


def test_an_error_in_either_producer_comes_back_as_it_was() -> None:
    def failing() -> Generator[Any, Any, None]:
        yield "x"
        raise RenderError("p.docx: the template broke")

    with pytest.raises(RenderError, match="the template broke"):
        _drive(run_in_workers([_counting("a", 5), failing], seconds=30, memory_mb=256))

"""Merge relayed child output into sphinx-gallery's per-cell capture, in order.

sphinx-gallery swaps ``sys.stdout`` for a ``_LoggingTee`` while a cell runs.
Our subclass pulls every line children have already written before each write
of the lesson's own process and before the cell's output is collected. A
child's last line is written before it exits, so before ``join()`` returns:
``main end`` printed after ``join()`` lands after every worker line.
"""

from __future__ import annotations

from sphinx_gallery import gen_rst

from . import execution


class RelayingTee(gen_rst._LoggingTee):
    def set_std_and_reset_position(self) -> RelayingTee:
        tee = super().set_std_and_reset_position()
        relay = execution.relay()
        if relay is not None and relay.active:
            relay.attach(self._write_relayed)
        return tee

    def write(self, data: str) -> None:
        relay = execution.relay()
        if relay is None or not relay.active:
            super().write(data)
            return
        with relay.lock:
            relay.pump()
            super().write(data)

    def restore_std(self) -> None:
        relay = execution.relay()
        if relay is not None:
            relay.detach()
        super().restore_std()

    def _write_relayed(self, text: str) -> None:
        super().write(text)


def install_relaying_tee() -> None:
    # execute_script() looks the class up in its module at call time.
    gen_rst._LoggingTee = RelayingTee

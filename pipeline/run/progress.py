"""What a run tells whoever watches it: each input done, and a line per page worth naming.

The library prints nothing: ``run_extract`` reports to the ``Progress`` object its caller
passes (none: it reports to nobody). ``StreamProgress`` draws the bar and writes the
``FAILED`` / ``SKIPPED`` / ``STALE`` lines on a stream the caller chooses (the command
line passes stderr).
"""

from __future__ import annotations

from typing import Any, Protocol, TextIO

from pipeline.ingest.load import escape_controls

__all__ = ["Progress", "Silent", "StreamProgress"]


class Progress(Protocol):
    """The calls a run makes to report its progress, in this order: start, then line and
    advance any number of times, then close (also when the run stops on an error)."""

    # Whether start() wants the number of inputs (counting them costs a second walk).
    wants_total: bool

    def start(self, total: int | None) -> None:
        """The run begins: ``total`` inputs (None unless ``wants_total``)."""

    def line(self, text: str) -> None:
        """One message about one input (FAILED, SKIPPED or STALE …)."""

    def advance(self, failed: bool = False) -> None:
        """One input done (``failed``: it failed)."""

    def close(self) -> None:
        """The run is over."""


class Silent:
    """Progress reported to nobody (the library's default)."""

    wants_total = False

    def start(self, total: int | None) -> None:
        """Nothing to show."""

    def line(self, text: str) -> None:
        """Nothing to show."""

    def advance(self, failed: bool = False) -> None:
        """Nothing to show."""

    def close(self) -> None:
        """Nothing to show."""


class StreamProgress:
    """A progress bar (optional) and message lines on the stream the caller gives."""

    def __init__(self, stream: TextIO, *, bar: bool = False) -> None:
        """Write to ``stream``; draw a bar only when ``bar`` (a person at a terminal)."""
        self._stream = stream
        self.wants_total = bar
        self._bar: Any = None
        self._failed = 0

    @classmethod
    def for_terminal(cls, stream: TextIO, *, quiet: bool) -> StreamProgress:
        """Lines on ``stream``, and a bar when it is a terminal and not ``quiet``."""
        isatty = getattr(stream, "isatty", None)
        return cls(stream, bar=not quiet and bool(isatty and isatty()))

    def start(self, total: int | None) -> None:
        """Draw the bar over ``total`` inputs, when one is wanted."""
        if self.wants_total and total is not None:
            # Imported only when a bar is drawn: a quiet or piped run never needs it.
            from tqdm import tqdm  # type: ignore[import-untyped, unused-ignore]

            self._bar = tqdm(total=total, file=self._stream, unit="page", dynamic_ncols=True,
                             desc="extract", smoothing=0.1)

    def line(self, text: str) -> None:
        """One message line that does not break the bar."""
        # File names and messages come from pages and folders: a terminal escape in one
        # must be shown, not obeyed.
        safe = escape_controls(text)
        if self._bar is not None:
            self._bar.write(safe, file=self._stream)
        else:
            self._stream.write(safe + "\n")

    def advance(self, failed: bool = False) -> None:
        """One input done."""
        if failed:
            self._failed += 1
        if self._bar is not None:
            if failed:
                self._bar.set_postfix(failed=self._failed, refresh=False)
            self._bar.update(1)

    def close(self) -> None:
        """Remove the bar."""
        if self._bar is not None:
            self._bar.close()
            self._bar = None

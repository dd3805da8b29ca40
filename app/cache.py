"""Rendered fragments kept in process memory, keyed by the data they show.

A key always includes what decides the bytes (ids, last-change timestamps, language, filters),
so a stale entry can never be served: two app servers may each hold a copy, but they can never
disagree. Entries leave oldest first once a cache is full. Each application has its own caches.
Set FRAGMENT_CACHE=0 to turn them off (the benchmarks measure both ways).

What a key is made of is read from the database. RecentReads keeps such a read for a visitor's
next visits to the same public page, for at most PAGE_VERSION_MAX_AGE seconds and never past a
commit of this process: the one bound on how late a change reaches a visitor (docs/production.md).
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from itertools import count
from threading import Lock
from time import monotonic

from flask import current_app

EXTENSION = "startklaar.fragment_caches"
_lock = Lock()


class _State:
    """One cache's entries in one application, and the keys being built right now."""

    def __init__(self) -> None:
        self.entries: OrderedDict = OrderedDict()
        self.builds: dict = {}


class FragmentCache:
    def __init__(self, name: str, maxsize: int) -> None:
        self.name, self.maxsize = name, maxsize

    def _state(self) -> _State:
        # Per application, keyed by this cache object (never by its name: two caches that
        # happened to share a name would serve each other's entries). dict.setdefault is atomic.
        return current_app.extensions.setdefault(EXTENSION, {}).setdefault(self, _State())

    def _entries(self) -> OrderedDict:
        return self._state().entries

    def _builds(self) -> dict:
        return self._state().builds

    def get_or_make(self, key: Hashable, make: Callable[[], object]):
        """The entry for `key`, made once: threads that miss the same key at the same moment wait
        for the first one's result instead of all building it (a cold feed takes seconds)."""
        if not current_app.config.get("FRAGMENT_CACHE", True):
            return make()
        entries = self._entries()
        value = entries.get(key)
        if value is not None:
            return value
        with _lock:
            building = self._builds().setdefault(key, Lock())
        with building:
            value = entries.get(key)
            if value is None:
                value = make()
                with _lock:
                    entries[key] = value
                    while len(entries) > self.maxsize:
                        entries.popitem(last=False)
                    self._builds().pop(key, None)
        return value


COMMITS = "startklaar.commits"


class _Commits:
    """How many transactions this process has committed on the application's database."""

    def __init__(self) -> None:
        self._next = count(1)
        self.count = 0

    def note(self) -> None:
        self.count = next(self._next)  # atomic, whichever thread commits


def count_commits(app) -> None:
    """Give `app` its commit count (note_commit keeps it)."""
    app.extensions[COMMITS] = _Commits()


def note_commit(_session) -> None:
    """SessionEvents.after_commit: once a commit has landed, a value RecentReads read before it
    is read again. (After, not before: a read between the two would keep the old state.)"""
    current_app.extensions[COMMITS].note()


class RecentReads:
    """A value a public page reads on every visit to know whether its cached copy is current (its
    version), used again for at most PAGE_VERSION_MAX_AGE seconds in this process.

    A visit then costs no round trip to the database: on a busy page, one visit a second asks.
    What it bounds, and only for visitors (the views ask staff and a visitor with a message
    every time): a change committed by another process (another app server, the worker, a
    job) shows on this server's copy of the page at most that many seconds later. A change
    committed in this process shows at once: every commit here makes the next visit ask again.
    Only what is displayed can wait, never a rule: registering checks the seats on locked rows.
    PAGE_VERSION_MAX_AGE=0 asks on every visit."""

    def __init__(self, name: str, maxsize: int) -> None:
        self.name, self.maxsize = name, maxsize

    def get_or_read(self, key: Hashable, read: Callable[[], object]):
        max_age = current_app.config["PAGE_VERSION_MAX_AGE"]
        if not max_age:
            return read()
        entries = current_app.extensions.setdefault(EXTENSION, {}).setdefault(self, {})
        commits = current_app.extensions[COMMITS].count
        found = entries.get(key)
        now = monotonic()
        if found is not None and found[1] == commits and now - found[0] < max_age:
            return found[2]
        # The commit count from before the read: a commit while reading makes the next visit ask.
        value = read()
        if len(entries) >= self.maxsize:
            entries.clear()  # a burst of distinct keys; the busy pages come back at once
        entries[key] = (now, commits, value)
        return value

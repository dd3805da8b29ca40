"""Rendered fragments kept in process memory, keyed by the data they show.

A key always includes what decides the bytes (ids, last-change timestamps, language, filters),
so a stale entry can never be served: two app servers may each hold a copy, but they can never
disagree. Entries leave oldest first once a cache is full. Each application has its own caches.
Set FRAGMENT_CACHE=0 to turn them off (the benchmarks measure both ways).
"""

from collections import OrderedDict
from collections.abc import Callable, Hashable
from threading import Lock

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

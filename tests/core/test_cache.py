"""The in-process fragment caches (app/cache.py)."""

import threading
import time

from app.cache import FragmentCache


def test_threads_that_miss_the_same_entry_build_it_once(app):
    """A cold feed takes seconds: eight threads asking at once must not build it eight times."""
    cache, builds, results = FragmentCache("test-builds", 4), [], []

    def slow_build() -> str:
        builds.append(1)
        time.sleep(0.2)
        return "feed"

    def ask() -> None:
        with app.app_context():
            results.append(cache.get_or_make(("feed", 1), slow_build))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == ["feed"] * 8 and len(builds) == 1

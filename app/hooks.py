"""Extension points: the one way a package lets packages further along plug in.

A lower package never imports a higher one (DESIGN.md). When it must tell them something
happened (a session was cancelled) or ask them something (does a lead still need this
registration?), it declares an *extension point*: a module-level object, in the module that uses
it, whose stub function states the signature every implementation must have. Packages further
along register their implementations from their `init_app`:

    # registrations/privacy.py: the owner declares the point and calls it
    @hooks.hook
    def erase_hooks(email: str, now: datetime) -> None:
        ...  # the docstring says what an implementation does: forget the person; never commit

    erase_hooks.send(email, now)  # calls each implementation in turn, returns their results

    # dossiers/leads/__init__.py: a package further along plugs in
    privacy.erase_hooks.register(app, services.erase_lead)

What this buys over lists under string keys in `app.extensions`:
- a misspelt point (`privacy.erase_hook`) is an AttributeError when the package is imported, at
  start-up, not a hook silently skipped when a person asks to be forgotten;
- an implementation whose parameters do not fit the stub is a TypeError at registration;
- `declared()` lists every point, so a test can check that each one has its implementations.

`Registry` holds items of any kind that packages contribute (scheduled jobs, mail kinds …);
with a `key` it refuses two items under the same key and finds one by its key. `Hook` is a
registry of callables with a declared signature and `send`, which calls each implementation in
the order they were registered and returns their results.

Implementations are kept per application (`app.extensions[EXTENSION]`, keyed by the point
object, never by a name), so two apps in one process (the tests) never share them.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Hashable, Iterator
from typing import Generic, ParamSpec, TypeVar

from flask import Flask, current_app

EXTENSION = "startklaar.hooks"

T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")

_declared: list[Registry] = []


def declared() -> tuple[Registry, ...]:
    """Every extension point declared so far (in the modules imported), oldest first."""
    return tuple(_declared)


class Registry(Generic[T]):
    """Items of one kind that packages contribute to an application.

    `name` says where the point is declared (for messages); `key`, when given, names each item:
    a second item with the same key is refused (ValueError) and `get(key)` finds one.
    """

    def __init__(self, name: str, *, key: Callable[[T], Hashable] | None = None, doc: str = "") -> None:
        self.name = name
        self.key = key
        self.__doc__ = doc
        _declared.append(self)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"

    @property
    def owner(self) -> str:
        """The package that declared the point (the first part of its name)."""
        return self.name.split(".", 1)[0]

    def register(self, app: Flask, item: T) -> T:
        """Add `item` for `app` (call from a package's init_app); returns it.

        Raises ValueError when the item (or one with the same key) is already there, TypeError
        when the item does not fit the point.
        """
        self.check(item)
        items = self._items(app)
        if item in items:
            raise ValueError(f"{self.name}: {item!r} is registered twice")
        if self.key is not None:
            key = self.key(item)
            if any(self.key(other) == key for other in items):
                raise ValueError(f"{self.name}: {key!r} is registered twice")
        items.append(item)
        return item

    def check(self, item: T) -> None:
        """Raise TypeError when `item` cannot serve this point. Every item fits a plain registry."""

    def items(self, app: Flask | None = None) -> tuple[T, ...]:
        """What is registered for `app` (by default the current application), in order."""
        return tuple(self._items(app if app is not None else current_app))

    def get(self, key: Hashable, app: Flask | None = None) -> T:
        """The item registered under `key`. Raises KeyError when there is none (or no `key`)."""
        if self.key is not None:
            for item in self.items(app):
                if self.key(item) == key:
                    return item
        raise KeyError(f"{self.name}: nothing registered as {key!r}")

    def __iter__(self) -> Iterator[T]:
        return iter(self.items())

    def _items(self, app) -> list[T]:
        return app.extensions.setdefault(EXTENSION, {}).setdefault(self, [])


class Hook(Registry[Callable[P, R]], Generic[P, R]):
    """A registry of functions with the signature of `stub` (see the module's docstring)."""

    def __init__(self, stub: Callable[P, R]) -> None:
        super().__init__(f"{stub.__module__}.{stub.__qualname__}", doc=stub.__doc__ or "")
        self.signature = inspect.signature(stub)
        self.__wrapped__ = stub

    def check(self, item: Callable[P, R]) -> None:
        """The implementation must accept the stub's arguments, passed the way `send` passes
        them: positional parameters by position, keyword-only ones by name."""
        if not callable(item):
            raise TypeError(f"{self.name}: {item!r} is not callable")
        positional, named = [], {}
        for parameter in self.signature.parameters.values():
            if parameter.kind in (parameter.POSITIONAL_ONLY, parameter.POSITIONAL_OR_KEYWORD):
                positional.append(parameter.name)
            elif parameter.kind is parameter.KEYWORD_ONLY:
                named[parameter.name] = parameter.name
        try:
            inspect.signature(item).bind(*positional, **named)
        except TypeError as error:
            raise TypeError(
                f"{getattr(item, '__qualname__', item)!s} does not fit {self.name}{self.signature}: {error}"
            ) from None

    def send(self, *args: P.args, **kwargs: P.kwargs) -> list[R]:
        """Call every implementation registered for the current application, in order; return
        their results. An exception in one stops the rest and reaches the caller (whose
        transaction then rolls back, as the services' are)."""
        return [implementation(*args, **kwargs) for implementation in self.items()]


def hook(stub: Callable[P, R]) -> Hook[P, R]:
    """Declare an extension point from a stub function: its name, docstring and signature."""
    return Hook(stub)

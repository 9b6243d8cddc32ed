"""Immutable value objects for the engine's events and commands (compiled with mypyc).

A :class:`Record` subclass lists its fields, in constructor order, in ``__match_args__``
(which also makes ``match`` patterns positional) and sets each of them once, as a ``Final``
attribute, in ``__init__``. Compiled, such a class is a C struct: the engine reads a field at a
fixed offset and builds one without a keyword parser; from Python the fields are read-only.
The base class gives equality, hashing, ``repr``, pickling and :meth:`replace` by field.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

R = TypeVar("R", bound="Record")


class Record:
    """Value semantics by field for the subclasses' ``__match_args__``."""

    __match_args__: ClassVar[tuple[str, ...]] = ()

    def fields(self) -> dict[str, Any]:
        """Field name → value, in constructor order (``msgspec.to_builtins`` takes it)."""
        return {name: getattr(self, name) for name in type(self).__match_args__}

    def replace(self: R, **changes: Any) -> R:
        """A copy with some fields changed; an unknown field name is a TypeError."""
        unknown = set(changes) - set(type(self).__match_args__)
        if unknown:
            raise TypeError(f"{type(self).__name__} has no field {', '.join(sorted(unknown))}")
        cls: Any = type(self)
        built: R = cls(**{**self.fields(), **changes})
        return built

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return all(getattr(self, n) == getattr(other, n) for n in type(self).__match_args__)

    def __hash__(self) -> int:
        return hash((type(self).__name__, *[getattr(self, n) for n in type(self).__match_args__]))

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in type(self).__match_args__)
        return f"{type(self).__name__}({inner})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), tuple([getattr(self, n) for n in type(self).__match_args__]))


def _assign_once(self: Record, name: str, value: object) -> None:
    if name in vars(self):
        raise AttributeError(f"{type(self).__name__}.{name} is read-only")
    object.__setattr__(self, name, value)


if not __file__.endswith((".so", ".pyd")):
    # as plain Python, ``Final`` is a static check only: refuse a second assignment at runtime
    # too (compiled, a Final attribute has no setter)
    setattr(Record, "__setattr__", _assign_once)  # noqa: B010

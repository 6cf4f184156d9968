"""``coplan.records.dataclass`` makes the classes ``dataclasses.dataclass`` makes.

Every class of coplan is made both ways (in a fresh interpreter, as the modules are
imported) and compared: attributes in the same order, the same fields, parameters,
slots and ``__match_args__``, methods with the same names, signatures, defaults and
annotations, and instances that print, compare, hash, refuse changes and copy alike.
Random classes (hypothesis) are compared the same way, and the classes the fast way does
not make are shown to be left to ``dataclasses``."""

from __future__ import annotations

import abc
import copy
import dataclasses
import inspect
import json
import pickle
import subprocess
import sys
import types
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coplan import records

TESTS = Path(__file__).resolve().parent
METHODS = ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__")


def _outcome(action: Any) -> Any:
    """What ``action()`` gives, or the exception it raises, as comparable text."""
    try:
        return ("gives", repr(action()))
    except Exception as exc:
        return ("raises", type(exc).__name__, str(exc))


def _function(value: Any) -> Any:
    if not inspect.isfunction(value):
        return ("not a function", repr(value))
    wrapped = getattr(value, "__wrapped__", None)
    return (value.__name__, value.__qualname__, value.__module__, value.__doc__,
            str(inspect.signature(value)), value.__annotations__,
            [(type(d), repr(d)) for d in value.__defaults__ or ()], value.__kwdefaults__,
            wrapped and (wrapped.__name__, wrapped.__qualname__))


def _field(f: dataclasses.Field[Any]) -> Any:
    return (f.name, f.type, type(f.default), repr(f.default), f.default_factory, f.init,
            f.repr, f.hash,
            f.compare, dict(f.metadata), f.kw_only, f._field_type)  # type: ignore[attr-defined]


def differences(fast: type, plain: type) -> list[str]:
    """How the class made the fast way differs from the one ``dataclasses`` made."""
    found: list[str] = []

    def same(what: str, a: Any, b: Any) -> None:
        if a != b:
            found.append(f"{fast.__qualname__}: {what}: {a!r} != {b!r}")

    same("metaclass", type(fast), type(plain))
    same("names", (fast.__name__, fast.__qualname__, fast.__module__, fast.__doc__),
         (plain.__name__, plain.__qualname__, plain.__module__, plain.__doc__))
    same("bases", [b.__qualname__ for b in fast.__mro__], [b.__qualname__ for b in plain.__mro__])
    same("attributes", list(vars(fast)), list(vars(plain)))
    for name in set(vars(fast)) & set(vars(plain)):
        a, b = vars(fast)[name], vars(plain)[name]
        if name in METHODS:
            same(name, _function(a), _function(b))
        elif name == "__dataclass_fields__":
            same(name, [(k, _field(f)) for k, f in a.items()],
                 [(k, _field(f)) for k, f in b.items()])
        elif name == "__dataclass_params__":
            same(name, repr(a), repr(b))
        elif name in ("__slots__", "__match_args__"):
            same(name, a, b)
        elif isinstance(a, (types.MemberDescriptorType, types.GetSetDescriptorType)):
            same(name, (type(b), a.__name__), (type(a), b.__name__))
        elif a is not b and not (inspect.isfunction(a) and a.__code__ is b.__code__):
            same(name, a, b)
    same("fields", [_field(f) for f in dataclasses.fields(fast)],
         [_field(f) for f in dataclasses.fields(plain)])
    same("signature", str(inspect.signature(fast)), str(inspect.signature(plain)))
    # (with no arguments, a default may be the clock's time: only failures compared)
    same("no arguments", _outcome(fast)[:1] + _outcome(fast)[2:],
         _outcome(plain)[:1] + _outcome(plain)[2:])
    made = [f for f in dataclasses.fields(fast) if f.init]
    needed = {f.name: f"v{i}" for i, f in enumerate(made)}
    same("too many", _outcome(lambda: fast(*range(len(made) + 1))),
         _outcome(lambda: plain(*range(len(made) + 1))))
    try:
        one, other = fast(**needed), plain(**needed)
    except Exception:
        same("made", _outcome(lambda: fast(**needed)), _outcome(lambda: plain(**needed)))
        return found
    same("repr", _outcome(lambda: repr(one)), _outcome(lambda: repr(other)))
    same("equal", _outcome(lambda: one == fast(**needed)),
         _outcome(lambda: other == plain(**needed)))
    same("equal to another class", _outcome(lambda: one.__eq__(other)),
         _outcome(lambda: other.__eq__(one)))
    same("hash", _outcome(lambda: hash(one))[:1] + _outcome(lambda: hash(one))[2:],
         _outcome(lambda: hash(other))[:1] + _outcome(lambda: hash(other))[2:])
    same("hash of equal", _outcome(lambda: hash(one) == hash(fast(**needed))),
         _outcome(lambda: hash(other) == hash(plain(**needed))))
    for f in dataclasses.fields(fast):
        same(f"set {f.name}", _outcome(lambda f=f: setattr(one, f.name, "w")),
             _outcome(lambda f=f: setattr(other, f.name, "w")))
        same(f"after setting {f.name}", _outcome(lambda: repr(one)),
             _outcome(lambda: repr(other)))
    same("set another", _outcome(lambda: setattr(one, "not_a_field", 1)),
         _outcome(lambda: setattr(other, "not_a_field", 1)))
    if made:
        last = made[-1].name
        same("delete", _outcome(lambda: delattr(one, last)),
             _outcome(lambda: delattr(other, last)))
        same("replace", _outcome(lambda: dataclasses.replace(fast(**needed), **{last: 1})),
             _outcome(lambda: dataclasses.replace(plain(**needed), **{last: 1})))
    same("copy", _outcome(lambda: copy.copy(fast(**needed))),
         _outcome(lambda: copy.copy(plain(**needed))))
    same("state", _outcome(lambda: fast(**needed).__reduce_ex__(2)[2]),
         _outcome(lambda: plain(**needed).__reduce_ex__(2)[2]))
    return found


def _twin(cls: type) -> type:
    """The class as its ``class`` statement made it, made again (the fast way and
    ``dataclasses`` each get one)."""
    namespace = {k: v for k, v in vars(cls).items() if k not in ("__dict__", "__weakref__")}
    twin = type(cls)(cls.__name__, cls.__bases__, namespace)
    twin.__qualname__ = cls.__qualname__
    return twin


def compare_every_class() -> None:
    """Run in a fresh interpreter: import every coplan module with each class made both
    ways, and print what differs."""
    import importlib
    import pkgutil

    import coplan

    if "--cached" in sys.argv:  # as a command runs: the methods' code kept between runs
        from coplan import codecache

        codecache.install()
    fast_way = records._fast
    compared: list[str] = []
    problems: list[str] = []
    texts: dict[tuple[object, ...], str] = {}

    def both(cls: type, frozen: bool) -> type | None:
        twin = _twin(cls)
        made = fast_way(cls, frozen)
        plain = dataclasses.dataclass(twin, frozen=frozen, slots=True)
        if made is None:
            return plain
        compared.append(f"{made.__module__}.{made.__qualname__}")
        problems.extend(differences(made, plain))
        problems.extend(_one_text_per_key(texts, made, frozen))
        return made

    records._fast = both
    for module in pkgutil.walk_packages(coplan.__path__, "coplan."):
        if module.name in ("coplan.__main__", "coplan.serve"):
            continue
        importlib.import_module(module.name)
    if "--cached" in sys.argv:
        codecache.save()
    print(json.dumps({"compared": compared, "problems": problems}))


def _one_text_per_key(texts: dict[tuple[object, ...], str], made: type,
                      frozen: bool) -> list[str]:
    """The code of a class's methods is kept by ``text_key``: one key, one text."""
    fields = list(dataclasses.fields(made))
    post_init = hasattr(made, "__post_init__")
    key = records.text_key(frozen, post_init, fields)
    text = records.methods_text(frozen, post_init, fields)
    if texts.setdefault(key, text) != text:
        return [f"{made.__qualname__}: another text for {key}"]
    return []


@pytest.mark.parametrize("runs", [[[]], [["--cached"], ["--cached"]]],
                         ids=["compiled", "kept between runs"])
def test_every_class_of_coplan_is_the_class_dataclasses_makes(
        tmp_path: Path, runs: list[list[str]]) -> None:
    import os

    code = (f"import sys; sys.path.insert(0, {str(TESTS)!r}); "
            "import test_records; test_records.compare_every_class()")
    env = {**os.environ, "COPLAN_CACHE_DIR": str(tmp_path)}
    for words in runs:  # (with the cache: the first run keeps the code, the second reads it)
        done = subprocess.run([sys.executable, "-c", code, *words], capture_output=True,
                              text=True, check=False, env=env)
        assert done.returncode == 0, done.stderr[-3000:]
        found = json.loads(done.stdout.splitlines()[-1])
        assert found["problems"] == []
        assert len(found["compared"]) > 100
        assert {"coplan.model.Stage", "coplan.model.Plan", "coplan.errors.Problem",
                "coplan.schedule.Schedule"} <= set(found["compared"])
    if len(runs) > 1:
        assert (next(tmp_path.glob("code-*")) / "coplan.model.marshal").is_file()


# Random classes --------------------------------------------------------------------------

NAMES = ["a", "b", "line", "name", "value", "other", "cls", "id", "key_lines", "x_y"]
DEFAULTS = st.sampled_from([dataclasses.MISSING, 0, "", None, (), "text", 2.5,
                            float("nan")])


@st.composite
def field_specs(draw: st.DrawFn) -> list[tuple[str, Any]]:
    names = draw(st.lists(st.sampled_from(NAMES), unique=True, max_size=5))
    specs = []
    for name in names:
        kind = draw(st.sampled_from(["plain", "field", "factory"]))
        default = draw(DEFAULTS)
        if kind == "plain":
            specs.append((name, default))
            continue
        options = {"init": draw(st.booleans()), "repr": draw(st.booleans()),
                   "compare": draw(st.booleans()),
                   "hash": draw(st.sampled_from([None, True, False])),
                   "metadata": draw(st.sampled_from([None, {"doc": "x"}]))}
        if kind == "factory":
            options["default_factory"] = draw(st.sampled_from([list, dict, tuple]))
        elif default is not dataclasses.MISSING:
            options["default"] = default
        specs.append((name, dataclasses.field(**options)))
    return specs


def _statement(name: str, specs: list[tuple[str, Any]], bases: tuple[type, ...] = (),
               extra: dict[str, Any] | None = None) -> type:
    namespace: dict[str, Any] = {"__module__": __name__, "__qualname__": name,
                                 "__doc__": f"The {name}.",
                                 "__annotations__": {n: "int" for n, _ in specs}}
    for field_name, default in specs:
        if default is not dataclasses.MISSING:
            namespace[field_name] = default
    namespace.update(extra or {})
    return type(name, bases, namespace)


def _both(name: str, specs: list[tuple[str, Any]], frozen: bool,
          bases: tuple[tuple[type, type], ...] = (),
          extra: dict[str, Any] | None = None) -> tuple[Any, Any]:
    def make(i: int) -> Any:
        cls = _statement(name, [(n, copy.copy(d) if isinstance(d, dataclasses.Field) else d)
                                for n, d in specs],
                         tuple(pair[i] for pair in bases), extra)
        try:
            if i == 0:
                return records.dataclass(cls, frozen=frozen, slots=True)
            return dataclasses.dataclass(cls, frozen=frozen, slots=True)
        except Exception as exc:
            return ("raises", type(exc).__name__, str(exc))

    return make(0), make(1)


@settings(max_examples=200, deadline=None)
@given(field_specs(), field_specs(), st.booleans(),
       st.sampled_from([{}, {"__eq__": lambda self, other: True},
                        {"__hash__": lambda self: 7},
                        {"__repr__": lambda self: "mine"},
                        {"__post_init__": lambda self: None},
                        {"__match_args__": ("z",)}]))
def test_a_random_class_is_the_class_dataclasses_makes(
        base_specs: list[tuple[str, Any]], specs: list[tuple[str, Any]], frozen: bool,
        extra: dict[str, Any]) -> None:
    base = _both("Base", base_specs, frozen)
    if isinstance(base[0], tuple):
        assert base[0] == base[1]
        return
    assert differences(*base) == []
    own = [(n, d) for n, d in specs if n not in dict(base_specs)]
    made = _both("Made", own, frozen, bases=(base,), extra=extra)
    if isinstance(made[0], tuple) or isinstance(made[1], tuple):
        assert made[0] == made[1]
        return
    assert differences(*made) == []
    assert _one_text_per_key(RANDOM_TEXTS, base[0], frozen) == []
    assert _one_text_per_key(RANDOM_TEXTS, made[0], frozen) == []


RANDOM_TEXTS: dict[tuple[object, ...], str] = {}


Frozen = records.dataclass(_statement("Frozen", [("a", dataclasses.MISSING), ("b", 1)]),
                           frozen=True, slots=True)


def test_a_frozen_instance_pickles() -> None:
    globals()["Frozen"].__module__ = __name__
    one = Frozen(3)  # type: ignore[call-arg]
    assert pickle.loads(pickle.dumps(one)) == one
    assert repr(pickle.loads(pickle.dumps(one))) == "Frozen(a=3, b=1)"


def test_an_instance_that_holds_itself_prints() -> None:
    made = records.dataclass(_statement("Loop", [("a", None)]), slots=True)
    one = made()
    one.a = one
    plain = dataclasses.dataclass(_statement("Loop", [("a", None)]), slots=True)()
    plain.a = plain
    assert repr(one) == repr(plain) == "Loop(a=...)"


class WithClassVar:
    """A class with a class variable."""

    a: int = 1
    b: ClassVar[int] = 2


class Abstract(abc.ABC):
    """A class with a method still to be written (``ABCMeta`` says so)."""

    a: int = 1

    @abc.abstractmethod
    def later(self) -> None:
        """Written by a subclass."""


class SaysAbstract:
    """A class of ``type`` that names its abstract methods itself."""

    a: int = 1
    __abstractmethods__ = frozenset({"later"})


@pytest.mark.parametrize(("statement", "options"), [
    (WithClassVar, {"slots": True}),
    (SaysAbstract, {"slots": True}),
    (_statement("KwOnly", [("a", dataclasses.field(kw_only=True))]), {"slots": True}),
    (_statement("Mutable", [("a", [])]), {"slots": True}),
    (_statement("Order", [("a", 1), ("b", dataclasses.MISSING)]), {"slots": True}),
    (_statement("Self", [("self", 1)]), {"slots": True}),
    (_statement("NoDoc", [("a", 1)], extra={"__doc__": None}), {"slots": True}),
    (_statement("Stray", [("a", 1)], extra={"b": dataclasses.field(default=2)}),
     {"slots": True}),
    (_statement("Sets", [("a", 1)], extra={"__setattr__": lambda s, n, v: None}),
     {"slots": True, "frozen": True}),
    (_statement("Plain", [("a", 1)]), {}),
    (_statement("Unordered", [("a", 1)]), {"slots": True, "eq": False}),
])
def test_other_classes_are_left_to_dataclasses(statement: type,
                                               options: dict[str, Any]) -> None:
    def make(way: Any) -> Any:
        try:
            made = way(_twin(statement), **options)
        except Exception as exc:
            return ("raises", type(exc).__name__, str(exc))
        return made

    if options.get("slots") and set(options) <= {"slots", "frozen"}:
        assert records._fast(_twin(statement), options.get("frozen", False)) is None
    fast, plain = make(records.dataclass), make(dataclasses.dataclass)
    if isinstance(plain, tuple):
        assert fast == plain
    else:
        assert differences(fast, plain) == []


def test_an_abstract_class_is_left_to_dataclasses() -> None:
    # (made both ways, each has an ``_abc_impl`` of its own: only the choice is compared)
    assert records._fast(_twin(Abstract), False) is None
    assert records._fast(_twin(Abstract), True) is None


def test_made_by_dataclasses_puts_the_fast_way_back() -> None:
    statement = _statement("Back", [("a", 1)])
    assert records.made_by_dataclasses(
        lambda: records._FAST) is False
    assert records._FAST is (sys.version_info[:2] == (3, 11))
    assert records.dataclass(statement, slots=True).__init__.__qualname__ == "Back.__init__"


@pytest.mark.skipif(not records._FAST, reason="the fast way is made for Python 3.11")
def test_a_frozen_class_of_coplan_sets_its_fields_through_their_slots() -> None:
    """Each frozen class of the model, once it has made an instance, sets the fields of
    the next through their descriptors (``records._setters``), not through
    ``object.__setattr__`` field by field."""
    from coplan import model

    classes = [c for c in vars(model).values() if isinstance(c, type)
               and c.__module__ == model.__name__ and dataclasses.is_dataclass(c)
               and c.__dataclass_params__.frozen]  # type: ignore[attr-defined]
    assert {"Stage", "Touchpoint", "Project", "Dependency"} <= {c.__name__ for c in classes}
    for cls in classes:
        made = [f for f in dataclasses.fields(cls) if f.init]
        needed = {f.name: f"v{i}" for i, f in enumerate(made)}
        first, second = cls(**needed), cls(**needed)
        assert first == second and repr(first) == repr(second)
        found = inspect.getclosurevars(cls.__init__).nonlocals  # type: ignore[misc]
        assert found.get("__dataclass_made__") is cls, cls


class _Doubled:
    """A descriptor put in place of a field's slot once the class is made (as
    ``review.engine.Rule``'s ``fix`` is): it keeps twice what it is given."""

    __slots__ = ("slot",)

    def __init__(self, slot: Any) -> None:
        self.slot = slot

    def __get__(self, one: Any, owner: Any = None) -> Any:
        return self if one is None else self.slot.__get__(one, owner)

    def __set__(self, one: Any, value: Any) -> None:
        self.slot.__set__(one, value * 2)


@pytest.mark.skipif(not records._FAST, reason="the fast way is made for Python 3.11")
def test_a_frozen_class_whose_slot_was_replaced_sets_through_the_replacement() -> None:
    """A field whose slot was replaced by a descriptor that sets (``Rule.fix``, put in
    words when first read) is set through it, as ``object.__setattr__`` sets it, by every
    instance's ``__init__``: and the class's own instances are still made the quick
    way (the slow way cost ``check`` about 3 million instructions for its 120 rules)."""

    def made(way: Any) -> Any:
        cls = way(_statement("Doubling", [("a", dataclasses.MISSING), ("b", 1)]),
                  frozen=True, slots=True)
        type.__setattr__(cls, "a", _Doubled(cls.__dict__["a"]))
        return cls

    quick, plain = made(records.dataclass), made(dataclasses.dataclass)
    for cls in (quick, plain):
        assert [(one.a, one.b) for one in (cls(5), cls(6, b=2), cls(a=7))] == \
            [(10, 1), (12, 2), (14, 1)]
        with pytest.raises(dataclasses.FrozenInstanceError):
            cls(1).a = 3  # type: ignore[misc]
    found = inspect.getclosurevars(quick.__init__).nonlocals  # type: ignore[misc]
    assert found.get("__dataclass_made__") is quick
    # and a rule of the review, made with its fix put in words lazily, is made so too
    from coplan.review.engine import Rule
    from coplan.review.rules import builtin_rules

    assert len(builtin_rules()) > 100
    found = inspect.getclosurevars(Rule.__init__).nonlocals  # type: ignore[misc]
    assert found.get("__dataclass_made__") is Rule


def _shadowing_subclasses(base: type) -> list[type]:
    """Subclasses (not dataclasses) in which a field of ``base`` is found elsewhere than
    in ``base``'s own slot: a slot of the same name, a property."""
    seen: list[Any] = []
    return [
        type("SlotAgain", (base,), {"__slots__": ("a",)}),
        type("Property", (base,), {"a": property(lambda self: "read",
                                                 lambda self, value: seen.append(value))}),
        type("Plain", (base,), {}),
    ]


@pytest.mark.parametrize("frozen", [True, False])
def test_a_subclass_that_names_a_field_otherwise_is_made_as_dataclasses_makes_it(
        frozen: bool) -> None:
    def outcomes(way: Any) -> list[Any]:
        base = way(_statement("Base", [("a", dataclasses.MISSING), ("b", 1)]),
                   frozen=frozen, slots=True)
        # (the class's own instances first: the next are made the quick way)
        found = [_outcome(lambda: (base(5).a, base(6).b))]
        for sub in _shadowing_subclasses(base):
            one = sub(5, b=2)
            found += [sub.__name__, _outcome(lambda one=one: (one.a, one.b)),
                      _outcome(lambda one=one: base.__repr__(one))]
        found.append(_outcome(lambda: repr(base(7))))
        return found

    assert outcomes(records.dataclass) == outcomes(dataclasses.dataclass)

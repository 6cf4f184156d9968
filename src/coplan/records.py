"""``dataclass`` for coplan's classes: the same classes ``dataclasses`` makes, made faster.

Every command starts by making the classes of the modules it imports (the model's 38, a
``check`` about 80), and ``dataclasses`` spends about 0.14 ms on each: checking every
annotation for ``ClassVar``, ``InitVar`` and ``KW_ONLY`` three times over, writing and
compiling six methods one at a time, then making the class again for ``__slots__``.  For
the classes coplan declares (``@dataclass(frozen=True, slots=True)`` and
``@dataclass(slots=True)``, with plain fields), ``dataclass`` here does the same work in
one pass: one text of all the methods, compiled once (and kept between runs of a command
by ``codecache``), and the class made once more with its slots, as ``dataclasses`` does.

What it makes is what ``dataclasses`` makes: the same fields (the very ``Field`` objects),
parameters, ``__match_args__``, ``__slots__``, the class's attributes in the same order,
and methods that behave alike (``__init__``'s signature and defaults, ``__repr__``,
``__eq__``, ``__hash__``, the frozen ``__setattr__`` and ``__delattr__``, pickling).  A
test makes every class of coplan both ways and compares them, and property tests compare
the behaviour of random classes.  Anything else (other options, ``ClassVar`` or
``InitVar`` fields, a field without a default after one with, another Python than the
3.11 this was written against) is handed to ``dataclasses`` itself.

One thing is quicker than in ``dataclasses`` besides making the class: a frozen class's
``__init__``, once the class has made an instance, sets the fields of the next through
their slots' descriptors (``_setters``), the ones ``object.__setattr__`` would find, rather
than through ``object.__setattr__`` (half the time to make an item of many fields).
"""

from __future__ import annotations

import dataclasses
import re
import sys
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

T = TypeVar("T", bound=type)

# The internals of ``dataclasses`` the classes are made with, as Python 3.11 has them.
_FAST = sys.version_info[:2] == (3, 11) and all(
    hasattr(dataclasses, name) for name in (
        "_FIELD", "_FIELDS", "_PARAMS", "_DataclassParams", "_HAS_DEFAULT_FACTORY",
        "_recursive_repr", "_dataclass_getstate", "_dataclass_setstate", "_POST_INIT_NAME"))
# dataclasses' own way to find the name an annotation starts with.
_NAME = re.compile(r"^(?:\s*(\w+)\s*\.)?\s*(\w+)")
# Names ``__init__``'s text uses besides its parameters: a field may not be called so.
_RESERVED = frozenset({"self", "_HAS_DEFAULT_FACTORY", "__dataclass_builtins_object__"})
_BIND = "__dataclass_bind__"  # (made with a frozen class's methods: ``_setters``)


def _dataclass(cls: T | None = None, /, *, frozen: bool = False, slots: bool = False,
               **options: Any) -> Any:
    """``dataclasses.dataclass``, faster for ``slots=True`` with no other option but
    ``frozen``."""

    def wrap(cls: T) -> T:
        if slots and not options and _FAST:
            fast = _fast(cls, frozen)
            if fast is not None:
                return fast
        made: Any = dataclasses.dataclass(cls, frozen=frozen, slots=slots, **options)
        return made  # type: ignore[no-any-return]

    return wrap if cls is None else wrap(cls)


if TYPE_CHECKING:  # (type checkers know what dataclasses.dataclass makes)
    from dataclasses import dataclass as dataclass
else:
    dataclass = _dataclass


_HEADS: dict[str, str] = {}  # annotation -> the name it starts with ("" for none)


def _special(annotation: object, namespace: dict[str, Any]) -> bool:
    """Whether ``dataclasses`` could take an annotation for ``ClassVar``, ``InitVar`` or
    ``KW_ONLY`` (any name it starts with that is one of them in the class's module)."""
    if not isinstance(annotation, str):
        return True
    head = _HEADS.get(annotation)
    if head is None:  # (the name an annotation starts with depends on its text alone)
        match = _NAME.match(annotation)
        head = _HEADS[annotation] = "" if match is None else match.group(2)
    if not head:
        return False
    found = namespace.get(head)
    if found is None:
        return False
    typing = sys.modules.get("typing")
    if typing is not None and (found is typing.ClassVar or (
            type(found) is typing._GenericAlias
            and found.__origin__ is typing.ClassVar)):
        return True
    return (found is dataclasses.InitVar or type(found) is dataclasses.InitVar
            or found is dataclasses.KW_ONLY)


def _fast(cls: T, frozen: bool) -> T | None:
    """The class ``dataclasses.dataclass(cls, frozen=frozen, slots=True)`` would make,
    or None where it is not one this makes (``dataclasses`` makes it then)."""
    dc: Any = dataclasses
    namespace = cls.__dict__
    module = sys.modules.get(cls.__module__)
    # (``type`` answers ``__abstractmethods__`` from the class's own dictionary, raising
    # and catching an error to say it has none: asked there, as its own metaclass would.)
    if module is None or "__slots__" in namespace or not namespace.get("__doc__") \
            or ("__abstractmethods__" in namespace if type(cls) is type
                else hasattr(cls, "__abstractmethods__")):
        return None
    module_dict = module.__dict__
    # The fields of the dataclasses it is made from, and whether they are frozen.
    fields: dict[str, dataclasses.Field[Any]] = {}
    any_frozen = has_bases = False
    for base in cls.__mro__[-2:0:-1]:  # (``object``, last, has none: never asked)
        base_fields = getattr(base, dc._FIELDS, None)
        if base_fields is not None:
            has_bases = True
            for f in base_fields.values():
                if f._field_type is not dc._FIELD:
                    return None
                fields[f.name] = f
            if getattr(base, dc._PARAMS).frozen:
                any_frozen = True
    if has_bases and any_frozen != frozen:
        return None
    # Its own fields: nothing changes until all are known to be plain.
    annotations = namespace.get("__annotations__", {})
    a_field = dataclasses.Field  # (looked up once, for every field)
    missing = dataclasses.MISSING
    own: list[tuple[str, Any, Any]] = []
    for name, kind in annotations.items():
        if _special(kind, module_dict) or name in _RESERVED or \
                name.startswith(("_dflt_", "__dataclass_")):
            return None
        default = getattr(cls, name, missing)
        if isinstance(default, a_field):
            if default.kw_only is True or (default.default is not missing
                                           and default.default.__class__.__hash__ is None):
                return None
        elif default.__class__.__hash__ is None:  # a mutable default: dataclasses says no
            return None
        own.append((name, kind, default))
    for name, value in namespace.items():
        if isinstance(value, a_field) and name not in annotations:
            return None
    if frozen and ("__setattr__" in namespace or "__delattr__" in namespace):
        return None
    for base in cls.__mro__[1:-1]:
        if hasattr(base.__dict__.get("__slots__"), "__next__"):
            return None  # (dataclasses cannot tell its slots)
    for name, kind, default in own:
        if isinstance(default, a_field):
            f = default
        else:
            if isinstance(default, types.MemberDescriptorType):
                default = missing
            f = dataclasses.field(default=default)
        f.name = name
        f.type = kind
        f._field_type = dc._FIELD
        if f.kw_only is missing:
            f.kw_only = False
        fields[name] = f
    field_list = list(fields.values())
    std = [f for f in field_list if f.init]
    seen_default = False
    for f in std:
        if f.default is not missing or f.default_factory is not missing:
            seen_default = True
        elif seen_default:
            return None  # (dataclasses says which argument)
    methods = _methods(cls, frozen, fields, field_list, std, module_dict)
    return _made(cls, frozen, fields, field_list, std, methods)


def _methods(cls: type, frozen: bool, fields: dict[str, Any], field_list: list[Any],
             std: list[Any], module_dict: dict[str, Any]) -> dict[str, Any]:
    """The methods ``dataclasses`` writes for the class, written as one text."""
    dc: Any = dataclasses
    names: dict[str, Any] = {"cls": cls, "FrozenInstanceError": dataclasses.FrozenInstanceError,
                             "_HAS_DEFAULT_FACTORY": dc._HAS_DEFAULT_FACTORY,
                             "__dataclass_builtins_object__": object,
                             "__dataclass_setters__": _setters}
    for f in field_list:
        if f.default_factory is not dataclasses.MISSING:
            names[f"_dflt_{f.name}"] = f.default_factory
        elif f.default is not dataclasses.MISSING:
            names[f"_dflt_{f.name}"] = f.default
    post_init = hasattr(cls, dc._POST_INIT_NAME)
    made = ("__init__", "__eq__", "__hash__", *((_BIND,) if frozen else ()))
    created: dict[str, Any] = {}
    # Through the compiled code kept between runs where the command line installed it
    # (only it imports codecache), found by what the text is written from (``text_key``)
    # without writing it; compiled as exec compiles it otherwise.
    cache = sys.modules.get("coplan.codecache")
    if cache is not None and cache.installed():
        code = cache.code_for(module_dict, text_key(frozen, post_init, field_list),
                              lambda: methods_text(frozen, post_init, field_list))
    else:
        code = compile(methods_text(frozen, post_init, field_list), "<string>", "exec",
                       dont_inherit=True)
    exec(code, module_dict, created)
    functions = dict(zip(made, created["__create_fn__"](*names.values()), strict=True))
    init = functions["__init__"]
    annotations = {f.name: f.type for f in std}
    annotations["return"] = None
    init.__annotations__ = annotations
    # The methods no hot path calls are made from one code each, here (the code kept for
    # each class is then only what must be quick: a third of the model's).
    module = cls.__module__
    shown = _repr_of(tuple([f.name for f in field_list if f.repr]))
    shown.__module__ = module
    shown.__qualname__ = "__create_fn__.<locals>.__repr__"  # (as dataclasses names it)
    functions["__repr__"] = dc._recursive_repr(shown)
    if frozen:
        field_names = frozenset([f.name for f in field_list])
        for function in (_frozen_of(cls, field_names) if field_names
                         else _frozen_of_class(cls)):
            function.__module__ = module
            functions[function.__name__] = function
    return functions


def _repr_of(names: tuple[str, ...]) -> Callable[[Any], str]:
    """``__repr__`` as ``dataclasses`` writes it for fields called ``names``."""

    def __repr__(self):  # type: ignore[no-untyped-def]  # (no annotations, as written)
        return self.__class__.__qualname__ + "(" + ", ".join(
            [f"{name}={getattr(self, name)!r}" for name in names]) + ")"

    return __repr__


def _frozen_of(cls: type, names: frozenset[str]) -> tuple[Callable[..., None], ...]:
    """``__setattr__`` and ``__delattr__`` as ``dataclasses`` writes them for a frozen
    class with fields called ``names``."""
    refused = dataclasses.FrozenInstanceError

    def __setattr__(self, name, value):  # type: ignore[no-untyped-def]
        if type(self) is cls or name in names:
            raise refused(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)  # type: ignore[arg-type]

    def __delattr__(self, name):  # type: ignore[no-untyped-def]
        if type(self) is cls or name in names:
            raise refused(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)  # type: ignore[arg-type]

    return __setattr__, __delattr__


def _frozen_of_class(cls: type) -> tuple[Callable[..., None], ...]:
    """``_frozen_of`` for a frozen class without fields (``dataclasses`` asks only
    whether the instance is of the class itself)."""
    refused = dataclasses.FrozenInstanceError

    def __setattr__(self, name, value):  # type: ignore[no-untyped-def]
        if type(self) is cls:
            raise refused(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)  # type: ignore[arg-type]

    def __delattr__(self, name):  # type: ignore[no-untyped-def]
        if type(self) is cls:
            raise refused(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)  # type: ignore[arg-type]

    return __setattr__, __delattr__


def text_key(frozen: bool, post_init: bool, field_list: list[Any]) -> tuple[Any, ...]:
    """Everything ``methods_text`` writes the text from, as plain values (a test checks
    that one key never stands for two texts)."""
    missing = dataclasses.MISSING
    return ("records", 4, frozen, post_init,
            tuple([(f.name, f.init, f.repr, f.compare, f.hash, f.default is not missing,
                    f.default_factory is not missing) for f in field_list]))


def methods_text(frozen: bool, post_init: bool, field_list: list[Any]) -> str:
    """The text of ``__create_fn__``, which makes the class's methods from its names
    (the class, the exception, the markers and each field's default)."""
    missing = dataclasses.MISSING
    names = ["cls", "FrozenInstanceError", "_HAS_DEFAULT_FACTORY",
             "__dataclass_builtins_object__", "__dataclass_setters__"]
    params = ["self"]
    setting: list[tuple[str, str]] = []  # (field, the value __init__ gives it)
    for f in field_list:
        default = f"_dflt_{f.name}"
        if f.default_factory is not missing:
            names.append(default)
            value = (f"{default}() if {f.name} is _HAS_DEFAULT_FACTORY else {f.name}"
                     if f.init else f"{default}()")
        elif f.init:
            if f.default is not missing:
                names.append(default)
            value = f.name
        elif f.default is not missing:
            names.append(default)
            value = default
        else:
            continue
        setting.append((f.name, value))
    for f in field_list:
        if not f.init:
            continue
        if f.default is not missing:
            params.append(f"{f.name}=_dflt_{f.name}")
        elif f.default_factory is not missing:
            params.append(f"{f.name}=_HAS_DEFAULT_FACTORY")
        else:
            params.append(f.name)
    after = [f"self.{dataclasses._POST_INIT_NAME}()"] if post_init else []  # type: ignore[attr-defined]
    setters = [f"__dataclass_set_{i}__" for i in range(len(setting))]
    prelude: list[str] = []
    if not frozen:
        body = [f"self.{name}={value}" for name, value in setting] + after
    elif not setting:
        body = after
    else:
        # A frozen class's fields are set past its own __setattr__.  For an instance of
        # the class itself (not of a subclass, which may name a field otherwise), each
        # field's slot is set by its own descriptor (``_setters``): what
        # ``object.__setattr__`` finds and calls, without the search for it each time
        # (half the cost of making an item of many fields).  They are found when the
        # class makes its first instance (a command makes instances of a few of the
        # classes it imports).
        prelude = [f" {' = '.join(setters)} = __dataclass_made__ = __dataclass_class__ = None"]
        body = ["if self.__class__ is __dataclass_made__:",
                *(f" {setter}(self,{value})"
                  for setter, (_, value) in zip(setters, setting, strict=True)),
                *(f" {line}" for line in after), " return",
                *(f"__dataclass_builtins_object__.__setattr__(self,{name!r},{value})"
                  for name, value in setting),
                f"if self.__class__ is __dataclass_class__: {_BIND}(None)", *after]
    compared = [f for f in field_list if f.compare]
    hashed = [f for f in field_list if (f.compare if f.hash is None else f.hash)]
    lines = [f"def __create_fn__({', '.join(names)}):", *prelude,
             f" def __init__({','.join(params)}):",
             *(f"  {line}" for line in body or ["pass"]),
             " def __eq__(self,other):",
             "  if other.__class__ is self.__class__:",
             f"   return {_tuple('self', compared)}=={_tuple('other', compared)}",
             "  return NotImplemented",
             " def __hash__(self):",
             f"  return hash({_tuple('self', hashed)})"]
    if frozen:
        lines.append(f" def {_BIND}(made):")
        if setting:
            lines += [f"  nonlocal {', '.join(setters)}, __dataclass_made__, "
                      "__dataclass_class__",
                      "  if made is not None:",  # (the class, once made)
                      "   __dataclass_class__ = made",
                      "   return",
                      "  made, __dataclass_class__ = __dataclass_class__, None",
                      "  found = __dataclass_setters__(made)",
                      "  if found is not None:",
                      f"   {', '.join(setters)}, = found",
                      "   __dataclass_made__ = made"]
        else:
            lines.append("  pass")
    lines.append(f" return __init__, __eq__, __hash__{f', {_BIND}' if frozen else ''}")
    return "\n".join(lines)


def _tuple(name: str, fields: list[Any]) -> str:
    if not fields:
        return "()"
    return f'({",".join([f"{name}.{f.name}" for f in fields])},)'


def _made(cls: T, frozen: bool, fields: dict[str, Any], field_list: list[Any],
          std: list[Any], methods: dict[str, Any]) -> T:
    """The class with its slots, its attributes in the order ``dataclasses`` leaves them."""
    dc: Any = dataclasses
    original = cls.__dict__
    namespace = dict(original)
    namespace[dc._PARAMS] = dc._DataclassParams(True, True, True, False, False, frozen)
    for f in field_list:
        if isinstance(original.get(f.name), dataclasses.Field):
            if f.default is dataclasses.MISSING:
                del namespace[f.name]
            else:
                namespace[f.name] = f.default
    namespace[dc._FIELDS] = fields
    qualname = cls.__qualname__

    def add(name: str, value: Any) -> None:
        if name not in original:
            if isinstance(value, types.FunctionType):
                value.__qualname__ = f"{qualname}.{value.__name__}"
            namespace[name] = value

    add("__init__", methods["__init__"])
    add("__repr__", methods["__repr__"])
    add("__eq__", methods["__eq__"])
    if frozen:
        add("__setattr__", methods["__setattr__"])
        add("__delattr__", methods["__delattr__"])
    class_hash = original.get("__hash__", dataclasses.MISSING)
    explicit_hash = not (class_hash is dataclasses.MISSING
                         or (class_hash is None and "__eq__" in original))
    if not explicit_hash:
        if frozen:
            hashing = methods["__hash__"]
            hashing.__qualname__ = f"{qualname}.__hash__"
            namespace["__hash__"] = hashing
        else:
            namespace["__hash__"] = None
    add("__match_args__", tuple([f.name for f in std]))
    inherited: set[str] = set()
    for base in cls.__mro__[1:-1]:
        slots = base.__dict__.get("__slots__")
        if isinstance(slots, str):
            inherited.add(slots)
        elif slots is not None:
            inherited.update(slots)
    namespace["__slots__"] = tuple([f.name for f in field_list if f.name not in inherited])
    for f in field_list:
        namespace.pop(f.name, None)
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    made: Any = type(cls)(cls.__name__, cls.__bases__, namespace)
    made.__qualname__ = qualname
    if frozen:
        if "__getstate__" not in namespace:
            made.__getstate__ = dc._dataclass_getstate
        if "__setstate__" not in namespace:
            made.__setstate__ = dc._dataclass_setstate
        methods[_BIND](made)
    return made  # type: ignore[no-any-return]


def _setters(made: type) -> tuple[Any, ...] | None:
    """For a frozen class's ``__init__`` (``methods_text``), the descriptor of each field
    it sets, the very one ``object.__setattr__`` finds on the class (the first in its
    bases' order), ready to set it as ``object.__setattr__`` would: a slot's, or another
    that sets (a descriptor put in place of a slot, as ``review.engine.Rule``'s ``fix``);
    None if one is neither (a base without slots): ``__init__`` keeps setting every field
    through ``object.__setattr__``."""
    missing = dataclasses.MISSING
    member = types.MemberDescriptorType
    own = made.__dict__
    setters: list[Any] = []
    for f in made.__dataclass_fields__.values():  # type: ignore[attr-defined]
        if not f.init and f.default is missing and f.default_factory is missing:
            continue  # (a field ``__init__`` does not set: ``methods_text``)
        found = own.get(f.name)  # (its own slot, most often: first in its bases' order)
        if found is None or found.__class__ is not member:
            found = next((base.__dict__[f.name] for base in made.__mro__
                          if f.name in base.__dict__), None)
            if found.__class__ is not member:
                # (what ``object.__setattr__`` calls: the ``__set__`` of the descriptor's
                # class, given the descriptor; without one, it would set the instance's
                # ``__dict__``, which these classes do not have)
                sets = getattr(found.__class__, "__set__", None)
                if sets is None:
                    return None
                setters.append(types.MethodType(sets, found))
                continue
        setters.append(found.__set__)
    return tuple(setters)


def made_by_dataclasses(make: Callable[[], Any]) -> Any:
    """What ``make`` returns with every class made by ``dataclasses`` itself (for tests)."""
    global _FAST
    fast, _FAST = _FAST, False
    try:
        return make()
    finally:
        _FAST = fast

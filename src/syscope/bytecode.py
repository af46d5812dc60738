"""syscope's modules' bytecode in one cache file: what a command line imports, found and read
without the import system's search.

Importing a module from its ``__pycache__`` file is mostly the import system's own Python code:
the finders asked in turn, the package folder's listing and each file suffix tried, the source
and the .pyc stat'ed, the .pyc opened through ``io``, its header checked.  For syscope's ~45
modules of a traced run that was ~130 K instructions a module, ~5.6 M of the ~54 M a traced
``/bin/true`` costs the tracer (cachegrind): more than the unmarshalling and the running of the
modules' code.  CPython itself freezes the modules of its own start-up for that reason (3.11's
frozen modules, ``Tools/scripts/freeze_modules.py``).  Here a meta path finder serves syscope's
modules from one file, ``bytecode.<cache tag>.bin`` in the user's cache folder (``_default_path``;
below PYTHONPYCACHEPREFIX when that is set, or where SYSCOPE_BYTECODE says): an index
(name -> the source's mtime and size, package or not, where its code is) and each module's
marshalled code, as a .pyc holds it.  A module is served when its source's ``os.stat`` still
gives the mtime (in ns) and size recorded, else it is imported as usual.

The file is a cache, as a .pyc is, written the same way: by the command line that
imported syscope modules the file lacks or holds stale (``save``, at the CLI's exit, from the .pyc
files the import system has just read and validated, and the entries still valid), never when
``sys.dont_write_bytecode`` (PYTHONDONTWRITEBYTECODE, -B) is set, nor where the folder is not
writable; a half-written file is never seen (``os.replace``).  Only the index is read at start;
each module's code with one ``os.pread`` when it is imported.
"""

from __future__ import annotations

import _imp
import marshal
import os
import sys

# (not syscope.typenames': this module is imported before the finder is there)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from importlib.machinery import ModuleSpec
    from types import ModuleType
else:  # the import system's own class, loaded at start-up (importlib.machinery imports more)
    from _frozen_importlib import ModuleSpec

_ROOT = os.path.dirname(os.path.abspath(__file__))
# SYSCOPE_BYTECODE names the file; else it is below PYTHONPYCACHEPREFIX when that is set (as the
# .pyc files are: sys.pycache_prefix, the package folder's absolute path below it, importlib's
# cache_from_source), else in the user's cache folder (XDG_CACHE_HOME or ~/.cache, the package
# folder's path below syscope/): per user and per installation, never in the installed tree, which
# may be read-only or another user's
_NAME = f"bytecode.{sys.implementation.cache_tag}.bin"


def _default_path() -> str:
    if sys.pycache_prefix:
        return os.path.join(sys.pycache_prefix, _ROOT.lstrip(os.sep), _NAME)
    cache = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(cache, "syscope", "bytecode", _ROOT.lstrip(os.sep), _NAME)


_PATH = os.environ.get("SYSCOPE_BYTECODE") or _default_path()
# the file's first bytes: this format's, then the interpreter's bytecode magic number (a .pyc's)
_HEAD = b"syscope-bytecode 1\n" + sys.modules["_frozen_importlib_external"].MAGIC_NUMBER
_PACKAGE = __name__.rpartition(".")[0] + "."

# name -> (the source's st_mtime_ns, st_size, a package?, offset of its code past the index, its length)
Entry = tuple[int, int, bool, int, int]
_index: dict[str, Entry] = {}
_fd = -1
_codes_at = 0  # where the codes start in the file
_served: set[str] = set()  # the modules imported from the file
_before: set[str] = set()  # those imported before the finder was there (syscope, this module)


def _origin(name: str, package: bool) -> str:
    rel = name[len(_PACKAGE):].replace(".", os.sep)
    return os.path.join(_ROOT, rel, "__init__.py") if package else os.path.join(_ROOT, rel + ".py")


class BytecodeFinder:
    """The meta path finder (and loader) of the modules the file holds, their source unchanged."""

    @staticmethod
    def find_spec(name: str, path: object = None, target: object = None) -> ModuleSpec | None:
        entry = _index.get(name)
        if entry is None:
            return None
        origin = _origin(name, entry[2])
        try:
            st = os.stat(origin)
        except OSError:
            return None
        if st.st_mtime_ns != entry[0] or st.st_size != entry[1]:
            return None  # changed since: the import system compiles or reads its .pyc
        # (the class itself is the loader: the import system calls its static methods)
        spec = ModuleSpec(name, BytecodeFinder, origin=origin, is_package=entry[2])  # type: ignore[arg-type]
        spec.has_location = True  # __file__ is the source's: tracebacks and inspect read it
        if entry[2]:
            spec.submodule_search_locations = [os.path.dirname(origin)]
        return spec

    @staticmethod
    def create_module(spec: ModuleSpec) -> None:
        return None

    @staticmethod
    def exec_module(module: ModuleType) -> None:
        spec = module.__spec__
        assert spec is not None
        name = spec.name
        entry = _index[name]
        code = marshal.loads(os.pread(_fd, entry[4], _codes_at + entry[3]))
        # the file names in the code are the source's where it is now, as the import system's
        # own loader makes them (SourceLoader.get_code: a .pyc compiled through a relative path)
        _imp._fix_co_filename(code, module.__file__)  # type: ignore[attr-defined]  # (typeshed lacks it)
        _served.add(name)
        exec(code, module.__dict__)  # noqa: S102 - the module's own code, as the import system runs it


    @staticmethod
    def get_resource_reader(name: str) -> object:
        """importlib.resources' reader of a package's files: its folder's, as the import system's
        own loader gives (``resources.files("syscope.seccomp")``, the schemas)."""
        from importlib.readers import FileReader  # (resources only: importlib costs start-up)

        class _Located:  # what FileReader reads of a loader: the package's __init__.py
            path = _origin(name, True)

        return FileReader(_Located())  # type: ignore[arg-type]


def install() -> None:
    """Read the file's index and put the finder first on sys.meta_path (once; nothing when the
    file is missing or not this interpreter's)."""
    global _fd, _codes_at
    if _fd >= 0 or BytecodeFinder in sys.meta_path:
        return
    _before.update(sys.modules)
    try:
        fd = os.open(_PATH, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return
    try:
        head = os.pread(fd, len(_HEAD) + 8, 0)
        size = int.from_bytes(head[len(_HEAD):], "little")
        index = marshal.loads(os.pread(fd, size, len(_HEAD) + 8)) if head[:len(_HEAD)] == _HEAD else None
    except (OSError, EOFError, ValueError, TypeError):
        index = None
    if not isinstance(index, dict):
        os.close(fd)
        return
    _index.update(index)
    _fd, _codes_at = fd, len(_HEAD) + 8 + size
    sys.meta_path.insert(0, BytecodeFinder)


def _pyc_code(module: ModuleType, st: os.stat_result) -> bytes | None:
    """The marshalled code of a module the import system loaded from its .pyc, when that .pyc is
    its source's (the timestamp header the import system checked: PEP 552's flags 0)."""
    cached = getattr(module, "__cached__", None)
    if not cached:
        return None
    try:
        with open(cached, "rb") as f:
            data = f.read()
    except OSError:
        return None
    magic = _HEAD[-4:]
    if (data[:4] != magic or data[4:8] != b"\0\0\0\0"
            or int.from_bytes(data[8:12], "little") != int(st.st_mtime) & 0xFFFFFFFF
            or int.from_bytes(data[12:16], "little") != st.st_size & 0xFFFFFFFF):
        return None
    return data[16:]


def save() -> bool:
    """Write the file when this process imported syscope modules it lacks (or holds stale): the
    modules imported now and the entries still valid.  True when written."""
    if sys.dont_write_bytecode:
        return False
    imported = {name: m for name, m in list(sys.modules.items())
                if (name.startswith(_PACKAGE) or name == _PACKAGE[:-1]) and m is not None
                and str(getattr(m, "__file__", "")).endswith(".py")}
    if all(name in _served or name in _before for name in imported):
        return False
    folder = os.path.dirname(_PATH)
    while not os.path.isdir(folder) and os.path.dirname(folder) != folder:
        folder = os.path.dirname(folder)  # (the folders to make: the first one there decides)
    if not os.access(folder, os.W_OK):
        return False  # (an installation this user cannot write: nothing to gather, every run)
    codes: dict[str, tuple[int, int, bool, bytes]] = {}
    for name, module in imported.items():
        if name in _before:
            continue  # (imported before the finder can serve it)
        package = hasattr(module, "__path__")
        origin = _origin(name, package)
        try:
            st = os.stat(origin)
        except OSError:
            continue
        old = _index.get(name)
        if old is not None and (old[0], old[1]) == (st.st_mtime_ns, st.st_size):
            code = os.pread(_fd, old[4], _codes_at + old[3])
        elif module.__file__ == origin:
            got = _pyc_code(module, st)
            if got is None:
                continue
            code = got
        else:
            continue
        codes[name] = (st.st_mtime_ns, st.st_size, package, code)
    for name, old in _index.items():  # what other command lines imported, still valid
        if name not in codes:
            try:
                st = os.stat(_origin(name, old[2]))
            except OSError:
                continue
            if (old[0], old[1]) == (st.st_mtime_ns, st.st_size):
                codes[name] = (old[0], old[1], old[2], os.pread(_fd, old[4], _codes_at + old[3]))
    return _write(codes)


def _write(codes: dict[str, tuple[int, int, bool, bytes]]) -> bool:
    index: dict[str, Entry] = {}
    at = 0
    for name, (mtime, size, package, code) in codes.items():
        index[name] = (mtime, size, package, at, len(code))
        at += len(code)
    packed = marshal.dumps(index)
    tmp = f"{_PATH}.{os.getpid()}"
    try:
        os.makedirs(os.path.dirname(_PATH), exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(_HEAD + len(packed).to_bytes(8, "little") + packed)
            for _, _, _, code in codes.values():
                f.write(code)
        os.replace(tmp, _PATH)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return False
    return True

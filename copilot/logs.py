"""The copilot's log file (`$COPILOT_HOME/logs/copilot.log`, rotated) and its content rule.

The rule: what a call said never goes into the log, redacted or not. Logs are copied into
tickets, attached to bug reports and kept by log collectors long after a call is erased, so a
log record carries identifiers, counts, durations, sizes and reason codes only: never caption
text, a model's input or output, a passage quoted for a call, a typed question or a practice
answer. A rejection says which rule failed and how long the text was ("rejected: not in the
transcript: 2 terms; 19 words"), not what the text said.

It is kept in three places:

1. The call sites. A log call's format string is a literal; text goes in as `len(...)`,
   `words(...)` or `reason_code(...)`. `tests/core/test_log_content_rule.py` reads every log
   call of the source and fails on one that passes something named like text (`text`,
   `draft`, `answer`, `reason`, ...) without one of those.
2. `ContentFreeFormatter`, the copilot.log handler's formatter, for what slips through anyway:
   - an argument that is an object (an event, a dataclass, a result) is logged as its type
     name: a repr would carry the text inside it; functions and methods by their qualified name;
   - a string argument of more than MAX_WORDS words is replaced by its size ("<text: 19
     words>"): a reason or an identifier is short, a sentence that was said is not;
   - any quoted run of two or more words in the formatted message is replaced by its size
     ("<quoted: 12 words>"): `%r` of a text, or an exception message quoting one, is how the
     words of a call usually reach a log line;
   - exceptions (arguments and tracebacks) keep their type, frames and message, with the
     same quoting rule and at most MAX_EXCEPTION_WORDS words of message.
   Numbers, booleans, paths, single tokens (ids, codes) and `Code` strings pass unchanged.
3. `tests/e2e/test_log_has_no_content.py` runs the real pipeline on text seeded with marker
   words and checks every log file for them and for any three-word run of what was said.

Content debug mode, for a developer who needs the words: with `[logging] content_debug = true`
(and no site policy against it: COPILOT_SITE_NO_CONTENT_DEBUG) the text behind a content-free
line is written with `content()` to a file of the stored call being recorded,
`calls-debug/call-<id>.log` beside the call database. The file belongs to the call:
`CallStore.delete_call` (`copilot calls delete`, the window) and retention erase it with the
call. Without a stored call recording (practice, `rephrase`, `suggest`, an unstored call) the
text is not written anywhere.
"""

from __future__ import annotations

import enum
import logging
import logging.handlers
import os
import re
import secrets
import threading
import traceback
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path, PurePath
from typing import Any, TextIO

from copilot import paths

__all__ = ["Code", "ContentFreeFormatter", "DEBUG_FOLDER", "SITE_FORBIDS_ENV", "begin_call_debug",
           "call_debug_path", "clean", "clean_exception_message", "code", "content",
           "content_debug_active", "content_debug_allowed", "end_call_debug",
           "erase_call_debug", "erase_orphan_debug_files", "reason_code", "session_id", "setup",
           "site_forbids_content_debug", "words"]

log = logging.getLogger(__name__)

MAX_WORDS = 12  # a string argument longer than this is prose, not an identifier or a reason
MAX_EXCEPTION_WORDS = 60  # an exception message is cut after this many words
MAX_CHARS = 300  # any one string argument, at most
DEBUG_FOLDER = "calls-debug"
# The site's policy against content debug (a managed machine sets it for every user). The site
# policy file's `content_debug` key does the same and locks the setting (copilot/site_policy.py,
# which also treats this variable as `content_debug = false`); the variable keeps working alone.
SITE_FORBIDS_ENV = "COPILOT_SITE_NO_CONTENT_DEBUG"

_handler: logging.Handler | None = None
_path: Path | None = None


def setup(level: int = logging.INFO) -> Path:
    """Log to the data folder's log file; returns its path. Calling it again after COPILOT_HOME
    changed (tests, an embedding app) moves the log to the new folder instead of keeping the old."""
    global _handler, _path
    folder = paths.home() / "logs"
    path = folder / "copilot.log"
    if _handler is not None and _path == path:
        return path
    folder.mkdir(parents=True, exist_ok=True)
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=2_000_000, backupCount=3, encoding="utf-8")
    handler.setFormatter(ContentFreeFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("copilot")
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    root.addHandler(handler)
    root.setLevel(level)
    _handler, _path = handler, path
    return path


# -- what a log record may carry ------------------------------------------------------------

class Code(str):
    """A string the program wrote (a reason code, a rule's name, a setting's value): logged as
    it is, whatever its length. Never wrap text that came from a call, a model or a user."""

    __slots__ = ()


def code(value: Any) -> Code:
    return Code(str(value))


_WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*")


def words(text: str | None) -> int:
    """How many words a text has: what a log line says about a text instead of the text."""
    return len(_WORD.findall(text or ""))


def reason_code(why: str | None) -> Code:
    """A rejection reason as it may be logged: the rule that failed (the words before the
    first colon, which the program wrote) and how many items followed it, not the items
    ("not in the transcript: refund, extra" -> "not in the transcript: 2 terms")."""
    if not why:
        return Code("")
    head, sep, tail = str(why).partition(":")
    head = " ".join(head.split())
    if len(head.split()) > MAX_WORDS:
        head = f"<reason: {words(head)} words>"
    if not sep:
        return Code(head)
    n = len([t for t in tail.split(",") if t.strip()])
    return Code(f"{head}: {n} term" + ("" if n == 1 else "s"))


def session_id() -> str:
    """A short random id that names something with no stored id (a call that is not kept)."""
    return "s-" + secrets.token_hex(4)


_QUOTED = re.compile(
    r"""(?<![\w\\])'((?:[^'\\\n]|\\.)*)'(?!\w)"""  # 'single' (not an apostrophe in a word)
    r'''|"((?:[^"\\\n]|\\.)*)"'''  # "double"
    r"|“([^”\n]*)”|‘([^’\n]*)’|«([^»\n]*)»|„([^“”\n]*)[“”]")


_PLACEHOLDER = re.compile(r"<(?:text|quoted): \d+ (?:words|characters)>")


def _unquote(text: str) -> str:
    """Each quoted run of two or more words becomes its size; a quoted token ('urgent', an
    id) stays: it is how error messages name keys and values."""
    def size(m: re.Match[str]) -> str:
        inner = next((g for g in m.groups() if g is not None), "")
        if len(inner.split()) < 2 or _PLACEHOLDER.fullmatch(inner):
            return m.group(0)
        return f"<quoted: {words(inner)} words>"
    return _QUOTED.sub(size, text)


def _cap(text: str, max_words: int) -> str:
    found = list(_WORD.finditer(text))
    if len(found) > max_words:
        text = text[:found[max_words - 1].end()] + f" ...(+{len(found) - max_words} words)"
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS] + "..."


def clean_exception_message(message: str) -> str:
    return _cap(_unquote(" ".join(str(message).split())), MAX_EXCEPTION_WORDS)


def clean(value: Any, depth: int = 0) -> Any:
    """One log argument made safe by the rule above (the module docstring)."""
    if value is None or isinstance(value, bool | int | float | Code | PurePath | enum.Enum):
        return value
    if isinstance(value, str):
        if len(value.split()) > MAX_WORDS:
            return Code(f"<text: {words(value)} words>")
        return value if len(value) <= MAX_CHARS else Code(f"<text: {len(value)} characters>")
    if isinstance(value, BaseException):
        message = clean_exception_message(str(value))
        return Code(message or type(value).__name__)
    if depth < 3:
        if isinstance(value, Mapping):
            return {clean(k, depth + 1): clean(v, depth + 1) for k, v in value.items()}
        if isinstance(value, list | tuple | set | frozenset):
            items = [clean(v, depth + 1) for v in value]
            return items if isinstance(value, list) else tuple(items)
    if callable(value) and hasattr(value, "__qualname__"):
        return Code(value.__qualname__)
    return Code(f"<{type(value).__name__}>")


def _clean_args(args: Any) -> Any:
    if isinstance(args, Mapping):  # log.info("%(n)d", {"n": 3})
        return {k: clean(v) for k, v in args.items()}
    if isinstance(args, tuple):
        return tuple(clean(v) for v in args)
    return args


def _clean_traceback(te: traceback.TracebackException, seen: set[int]) -> None:
    if id(te) in seen:
        return
    seen.add(id(te))
    if hasattr(te, "_str"):
        te._str = clean_exception_message(te._str or "")
    notes = getattr(te, "__notes__", None)
    if notes:
        te.__notes__ = [clean_exception_message(str(n)) for n in notes]
    for nxt in (te.__cause__, te.__context__, *(getattr(te, "exceptions", None) or ())):
        if nxt is not None:
            _clean_traceback(nxt, seen)


class ContentFreeFormatter(logging.Formatter):
    """The copilot.log formatter: applies the rule (module docstring) to a copy of each record,
    so other handlers (a test's capture) see the record as it was."""

    def format(self, record: logging.LogRecord) -> str:
        r = logging.makeLogRecord(record.__dict__)
        r.exc_text = None  # another handler's formatting of the traceback is not ours
        if not isinstance(r.msg, str):
            r.msg, r.args = str(clean(r.msg)), None
        r.args = _clean_args(r.args)
        try:
            message = r.getMessage()
        except (TypeError, ValueError):
            message = f"{r.msg} <arguments that do not fit the message>"
        r.msg, r.args = _unquote(message), None
        return super().format(r)

    def formatException(self, ei: Any) -> str:
        te = traceback.TracebackException(ei[0], ei[1], ei[2], capture_locals=False)
        if not hasattr(te, "_str"):  # an unknown Python: frames and type names only
            return "".join(traceback.format_tb(ei[2])) + f"{ei[0].__name__} (message withheld)"
        _clean_traceback(te, set())
        return "".join(te.format()).rstrip("\n")


# -- content debug mode -----------------------------------------------------------------------

def site_forbids_content_debug() -> bool:
    """The site's policy against writing the words of calls to debug files."""
    return os.environ.get(SITE_FORBIDS_ENV, "").strip().lower() not in ("", "0", "false", "no")


def content_debug_allowed(requested: bool) -> bool:
    """Whether content debug mode is on: asked for in the settings and not forbidden by the
    site (then the log says it was refused)."""
    if not requested:
        return False
    if site_forbids_content_debug():
        log.warning("content debug is on in the settings but the site forbids it (%s); "
                    "no text is written", SITE_FORBIDS_ENV)
        return False
    return True


def call_debug_path(folder: str | Path, call_id: int) -> Path:
    """The debug file of stored call `call_id`; `folder` is the call database's folder."""
    return Path(folder) / DEBUG_FOLDER / f"call-{int(call_id)}.log"


_debug_lock = threading.Lock()
_debug_file: TextIO | None = None
_debug_path: Path | None = None


def begin_call_debug(path: Path) -> None:
    """Send content() to `path` (the call being recorded) until end_call_debug()."""
    global _debug_file, _debug_path
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.chmod(path.parent, 0o700)  # the words of calls: for this user only
    except OSError:
        pass
    _erase(path)  # left by a call whose id was used again (the database was replaced)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    f = os.fdopen(fd, "a", encoding="utf-8")
    with _debug_lock:
        old, _debug_file, _debug_path = _debug_file, f, path
    if old is not None:
        old.close()
    log.info("content debug: the text behind this call's log lines goes to %s", path)


def end_call_debug(path: Path | None = None) -> None:
    """Stop writing to the debug file (only if it is `path`, when given)."""
    global _debug_file, _debug_path
    with _debug_lock:
        if _debug_file is None or (path is not None and path != _debug_path):
            return
        f, _debug_file, _debug_path = _debug_file, None, None
    f.close()


def content_debug_active() -> bool:
    return _debug_file is not None


def content(logger: logging.Logger, msg: str, *args: Any) -> None:
    """The text behind a content-free log line (`msg % args`, like a log call): written to the
    debug file of the call being recorded in content debug mode, nowhere otherwise. Never to
    copilot.log: this does not go through the logging module at all."""
    if _debug_file is None:
        return
    try:
        text = msg % args if args else msg
    except (TypeError, ValueError):
        text = " ".join([msg, *map(repr, args)])
    line = f"{datetime.now().isoformat(timespec='milliseconds')} {logger.name}: {text}\n"
    with _debug_lock:
        if _debug_file is not None:
            _debug_file.write(line)
            _debug_file.flush()


def erase_call_debug(folder: str | Path, call_id: int) -> bool:
    """Erase the debug file of call `call_id` (overwritten with zeros, then removed); whether
    there was one. Raises OSError when it could not be removed."""
    path = call_debug_path(folder, call_id)
    end_call_debug(path)
    return _erase(path)


def erase_orphan_debug_files(folder: str | Path, known_ids: set[int]) -> list[int]:
    """Erase the debug files of calls that no longer exist (the database was replaced, or an
    older version deleted the call); the call ids whose file was erased."""
    out = []
    found = Path(folder) / DEBUG_FOLDER
    if not found.is_dir():
        return out
    for path in found.glob("call-*.log"):
        m = re.fullmatch(r"call-(\d+)\.log", path.name)
        if m and int(m.group(1)) not in known_ids and _erase(path):
            out.append(int(m.group(1)))
    return out


def _erase(path: Path) -> bool:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return False
    try:
        with open(path, "r+b") as f:
            f.write(b"\0" * size)
            f.flush()
            os.fsync(f.fileno())
    except OSError:
        pass  # removing it is what matters; the overwrite only narrows what a disk keeps
    path.unlink(missing_ok=True)
    return True

"""The log never holds what was said (copilot/logs.py): a static guard on every log call.

Each log call in copilot/, models/ and ui/ is read from the source (ast) and must
- have a literal format string (an f-string, `%` or `.format` would put values into the
  message where the log's formatter cannot see them as values), and
- pass nothing named like text (`text`, `draft`, `answer`, `reason`, a `["text"]` key, ...)
  unless through a size or a code: `len(...)`, `logs.words(...)`, `logs.reason_code(...)`.
The text itself goes to `logs.content(...)` (content debug mode), which this rule exempts.
A call that must pass such a name anyway is listed in ALLOWED with the reason it is safe.
This is the cheap guard for future code; tests/e2e/test_log_has_no_content.py is the proof.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ROOTS = ("copilot", "models", "ui")
LEVELS = {"debug", "info", "warning", "warn", "error", "exception", "critical", "log"}
RECEIVERS = {"log", "logger", "_log", "LOG", "logging", "root"}
# Parts of a name that say "this holds words someone said or a model wrote".
CONTENT = {
    "text", "texts", "utterance", "utterances", "answer", "answers", "line", "lines", "prompt",
    "prompts", "output", "outputs", "reply", "replies", "summary", "draft", "drafts", "caption",
    "captions", "question", "questions", "query", "note", "notes", "words", "content", "said",
    "transcript", "sentence", "sentences", "message", "messages", "reason", "why", "candidate",
    "translation", "translated", "heard", "body", "excerpt", "passage", "passages",
    "title", "say", "beat", "opening", "extraction",
}
# A name ending in one of these is about the text, not the text ("caption_id", "line_count").
ABOUT = {"id", "ids", "count", "n", "len", "lang", "langs", "kind", "type", "key", "keys",
         "path", "dir", "index", "no", "number", "at", "seconds", "chars", "size", "engine"}
# Calls whose result says how much or which rule, never what.
SAFE_WRAPPERS = {"len", "words", "reason_code", "type", "id", "bool", "int", "float", "round",
                 "code_of"}
# (file, start of the format string) -> why it is safe.
ALLOWED: dict[tuple[str, str], str] = {
    ("copilot/knowledge/loading.py", "knowledge search by keywords only: %s"):
        "`why` is why the sentence encoder did not open (a setting, a model error), not text",
}


def _log_calls(tree: ast.AST):
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in LEVELS):
            continue
        recv = node.func.value
        if isinstance(recv, ast.Name) and recv.id in RECEIVERS:
            yield node
        elif isinstance(recv, ast.Call) and isinstance(recv.func, ast.Attribute) \
                and recv.func.attr == "getLogger":
            yield node
        elif isinstance(recv, ast.Attribute) and recv.attr in RECEIVERS:  # self.log.info
            yield node


def _is_content_name(name: str) -> bool:
    parts = [p for p in name.lower().strip("_").split("_") if p]
    return bool(parts) and parts[-1] not in ABOUT and any(p in CONTENT for p in parts)


def _suspects(expr: ast.AST) -> list[str]:
    """The content-like names `expr` passes to the log, outside a safe wrapper."""
    out: list[str] = []

    def visit(node: ast.AST) -> None:
        if isinstance(node, ast.Call):
            fn = node.func
            name = fn.attr if isinstance(fn, ast.Attribute) else getattr(fn, "id", "")
            if name in SAFE_WRAPPERS:
                return
            for child in [*node.args, *(k.value for k in node.keywords)]:
                visit(child)
            if isinstance(fn, ast.Attribute):  # ", ".join(...) -> the receiver too
                visit(fn.value)
            return
        if isinstance(node, ast.Attribute):
            if _is_content_name(node.attr):
                out.append(ast.unparse(node))
            return  # obj.id: about obj, not obj's text
        if isinstance(node, ast.Name):
            if _is_content_name(node.id):
                out.append(node.id)
            return
        if isinstance(node, ast.Subscript):
            key = node.slice
            if isinstance(key, ast.Constant) and isinstance(key.value, str) \
                    and _is_content_name(key.value):
                out.append(ast.unparse(node))
                return
            visit(node.value)
            return
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(expr)
    return out


def _problems() -> list[str]:
    problems = []
    for root in ROOTS:
        for path in sorted((REPO / root).rglob("*.py")):
            rel = path.relative_to(REPO).as_posix()
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=rel)
            for call in _log_calls(tree):
                args = call.args[1:] if call.func.attr == "log" else call.args
                if not args:
                    continue
                msg, values = args[0], args[1:]
                where = f"{rel}:{call.lineno}"
                if not (isinstance(msg, ast.Constant) and isinstance(msg.value, str)):
                    problems.append(f"{where}: the format string is not a literal "
                                    f"({ast.unparse(msg)[:60]})")
                    continue
                if (rel, msg.value[:40]) in ALLOWED:
                    continue
                for value in values:
                    for name in _suspects(value):
                        problems.append(f"{where}: passes {name!r} to the log "
                                        f"({msg.value[:50]!r}); log len()/logs.words()/"
                                        "logs.reason_code() of it, and the text itself with "
                                        "logs.content()")
    return problems


def test_log_calls_pass_no_text():
    problems = _problems()
    assert not problems, "\n".join(problems)


def test_the_guard_finds_what_it_is_meant_to_find():
    tree = ast.parse(
        'log.info("rejected (%s): %r", reason, text)\n'
        'log.info(f"said {x}")\n'
        'log.info("n %d %s %s", len(text), logs.words(draft), logs.reason_code(why))\n'
        'logging.getLogger("copilot").warning("x %s", ", ".join(f.text for f in facts))\n'
        'log.debug("final %s %s", final.id, payload["text"])\n'
        'logs.content(log, "rejected: %r", text)\n')
    found = [(c.lineno, _suspects(v)) for c in _log_calls(tree) for v in c.args[1:]]
    assert (1, ["reason"]) in found and (1, ["text"]) in found
    assert (3, []) in found
    assert (4, ["f.text"]) in found
    assert (5, []) in found and (5, ["payload['text']"]) in found
    assert all(line != 6 for line, _ in found)  # logs.content is where the text goes
    assert not isinstance(next(c for c in _log_calls(tree) if c.lineno == 2).args[0],
                          ast.Constant)

"""Checking a model's JSON against its schema, and the errors callers see."""

from __future__ import annotations

import pytest

from copilot.llm.json_output import parse_json_result, schema_errors
from copilot.llm.types import LlmOutputError, LlmResult

SUMMARY = {
    "type": "object",
    "properties": {
        "reason": {"type": "string", "maxLength": 20},
        "facts": {"type": "array", "items": {"type": "string"}, "maxItems": 2},
        "mood": {"enum": ["calm", "upset"]},
        "turns": {"type": "integer", "minimum": 0},
    },
    "required": ["reason", "facts"],
    "additionalProperties": False,
}


def test_valid_object_has_no_errors():
    assert schema_errors({"reason": "refund", "facts": ["a"], "mood": "calm", "turns": 3},
                         SUMMARY) == []


def test_every_problem_is_named_with_its_path():
    errors = schema_errors({"reason": "x" * 30, "facts": ["a", 2, "c"], "mood": "angry",
                            "turns": True, "extra": 1}, SUMMARY)
    assert "$.reason: longer than 20 characters" in errors
    assert "$.facts: more than 2 items" in errors
    assert "$.facts[1]: expected string, got integer" in errors
    assert "$.mood: 'angry' is not one of ['calm', 'upset']" in errors
    assert "$.turns: expected integer, got boolean" in errors
    assert "$: unexpected 'extra'" in errors


@pytest.mark.parametrize("text, finish, match", [
    ('{"reason": "refund", "facts": [', "length", r"not valid JSON \(cut at max_tokens\)"),
    ('{"reason": "sorry sorry', "loop", r"not valid JSON \(stopped: the output looped\)"),
    ("Sure! Here is the JSON", "stop", "not valid JSON: Expecting value at character 0"),
    ('["refund"]', "stop", r"\$: expected object, got array"),
    ('{"facts": []}', "stop", "missing 'reason'"),
])
def test_unusable_output_raises_a_clear_error(text, finish, match):
    with pytest.raises(LlmOutputError, match=match):
        parse_json_result(LlmResult(text, finish), SUMMARY)


def test_parsed_object_is_returned():
    out = parse_json_result(LlmResult(' {"reason": "refund", "facts": []}\n', "stop"), SUMMARY)
    assert out == {"reason": "refund", "facts": []}

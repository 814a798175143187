"""The checklist bench's caption word error rate: per channel, the script's turns against the
final captions (partials and empty finals left out), scored by copilot.bench.wer."""

from __future__ import annotations

import json
from pathlib import Path

from copilot.bench.checklist_bench import BenchCall, caption_pairs, load_calls
from copilot.bench.wer import corpus_wer
from copilot.events import Caption


def _caption(cid: str, channel: str, text: str, final: bool = True) -> Caption:
    return Caption(id=cid, final=final, channel=channel, start=0.0, end=1.0, at=1.0, lang="en",
                   text=text)


def test_each_channel_pairs_its_script_with_its_final_captions():
    call = BenchCall("c", Path("c.flac"), (
        {"speaker": "agent", "start": 0, "end": 2, "text": "Can I take your account number and PIN?"},
        {"speaker": "customer", "start": 2, "end": 4, "text": "Sure."},
        {"speaker": "agent", "start": 4, "end": 6, "text": "Thanks."}), {})
    events = [_caption("a1", "agent", "Can I take your account", final=False),
              _caption("a1", "agent", "Can I take your account number and pion?"),
              _caption("c1", "customer", ""),
              _caption("a2", "agent", "Thanks.")]
    pairs = caption_pairs(call, events)
    assert pairs == {"agent": ("Can I take your account number and PIN? Thanks.",
                               "Can I take your account number and pion? Thanks."),
                     "customer": ("Sure.", "")}
    agent = corpus_wer([pairs["agent"]])
    assert (agent.sub, agent.ins, agent.dels, agent.ref_words) == (1, 0, 0, 9)
    assert corpus_wer([pairs["customer"]]).dels == 1  # nothing heard: the word is lost


def test_each_call_brings_its_agents_own_name_when_the_folder_names_them(tmp_path):
    """agents.json says what each agent would have set as their own name (`[asr]
    agent_name`); a folder without one replays with none."""
    for name in ("a1", "a2"):
        (tmp_path / f"{name}.json").write_text(json.dumps({"turns": []}))
        (tmp_path / f"{name}.expect.json").write_text("{}")
    (tmp_path / "agents.json").write_text(json.dumps({"a1": "Priya"}))
    assert [(c.name, c.agent_name) for c in load_calls(tmp_path)] == [("a1", "Priya"),
                                                                      ("a2", "")]
    (tmp_path / "agents.json").unlink()
    assert [c.agent_name for c in load_calls(tmp_path)] == ["", ""]


def test_a_script_is_replayed_a_turn_a_caption_and_scored_by_its_turns(tmp_path):
    """--scripts: the readers see the script's words, each turn one final caption on its
    speaker's channel, so the ticks land on the turns that said them."""
    from checklist_helpers import prepared

    from copilot.bench.checklist_bench import replay_script, score_call
    from copilot.events import ChecklistEvent

    call = BenchCall("c", Path("c.flac"), (
        {"speaker": "agent", "start": 0, "end": 2, "text": "This call is recorded for quality purposes."},
        {"speaker": "customer", "start": 2, "end": 4, "text": "Okay."},
        {"speaker": "agent", "start": 4, "end": 6, "text": "Goodbye, have a nice day."}),
        {"ticks": {"recorded": [1]}, "closing": [3]})
    checklists = prepared(tmp_path)
    events = replay_script(call, checklists)
    captions = [e for e in events if isinstance(e, Caption)]
    assert [(c.channel, c.text) for c in captions] == [(t["speaker"], t["text"])
                                                       for t in call.turns]
    ticks = [e for e in events if isinstance(e, ChecklistEvent) and e.kind == "tick"]
    assert [(t.item, t.of) for t in ticks] == [("recorded", captions[0].id)]
    items = {i.id: i.kind for c in checklists.checklists for i in c.items}
    outcomes = score_call(call, events, items)
    assert {o.row: o.result for o in outcomes if o.what == "recorded"}["all items"] == "tp"

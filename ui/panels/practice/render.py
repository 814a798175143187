"""The Practice tab's texts as Qt rich text: the conversation, each answer's feedback, the
scorecard. Pure functions of engine data and the theme's colours, so they are easy to test.

Colours say what a thing is, as in the live transcript: the customer's lines are tinted and
labelled in the accent colour, the trainee's are plain; a met criterion or a correct fact is
green, a miss is amber, a violation or a wrong fact red; every mark also has a symbol and a word,
never colour alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape
from typing import Any

from copilot.practice.scorecard import WRONG_FACTS
from ui.panels.transcript import MASK
from ui.theme import Colors

# status -> (symbol, word); the colour comes from _status_color
MARKS = {"met": ("✓", "met"), "clear": ("✓", "avoided"), "n/a": ("–", "did not come up"),
         "pending": ("·", "not yet"), "missed": ("✗", "missed"), "violated": ("⚠", "violated"),
         # a forbidden move during the session: not a success until the session is scored
         "holding": ("·", "none so far")}


def _status_color(status: str, c: Colors) -> str:
    return {"met": c.ok, "clear": c.ok, "missed": c.signal,
            "violated": c.signal_strong}.get(status, c.faint)


def text_html(text: str, c: Colors) -> str:
    """Escaped text with redaction masks drawn as grey pills (as in the live transcript)."""
    out, pos = [], 0
    for m in MASK.finditer(text):
        out.append(escape(text[pos:m.start()]))
        out.append(f'<span style="background-color:{c.pill_bg}; color:{c.pill_text}">'
                   f'&#8201;{escape(m.group())}&#8201;</span>')
        pos = m.end()
    out.append(escape(text[pos:]))
    return "".join(out)


def _box(inner: str, c: Colors, background: str) -> str:
    # A one-cell table: Qt's rich text draws a table cell's background and padding reliably.
    return (f'<table width="100%" cellspacing="0" cellpadding="8" style="margin-top:6px">'
            f'<tr><td bgcolor="{background}">{inner}</td></tr></table>')


def customer_html(turn: Any, c: Colors) -> str:
    """One customer line (copilot.practice.customer.CustomerTurn), as the trainee hears it.

    Who worded the line (script or model) and why a model's line was not used are diagnostics
    for whoever tunes the scenario, not for the trainee: they are in `copilot practice --json`
    (the transcript's `source` and `rejected`) and the log (a reason code), never here."""
    end = f' <span style="color:{c.muted}">· ends the call</span>' if turn.last else ""
    head = f'<b style="color:{c.accent}">Customer</b>{end}'
    return _box(f'{head}<br><span style="color:{c.text}">{text_html(turn.text, c)}</span>',
                c, c.customer_bg)


def agent_html(text: str, c: Colors, *, spoken: bool = False) -> str:
    how = "spoken" if spoken else "typed"
    head = f'<b style="color:{c.muted}">You</b> <span style="color:{c.faint}">· {how}</span>'
    return _box(f'{head}<br><span style="color:{c.text}">{text_html(text, c)}</span>', c,
                c.agent_bg)


def _mark(status: str, c: Colors) -> str:
    symbol, word = MARKS.get(status, ("?", status))
    return f'<b style="color:{_status_color(status, c)}">{symbol} {escape(word)}</b>'


SHOWN_PASSAGES = 3  # a fact found in more passages (the company's name) is said in a count


def _passages(ids: Iterable[str], titles: Mapping[str, str]) -> str:
    ids = list(ids)
    shown = ", ".join(f"{escape(i)}" + (f" ({escape(titles[i])})" if i in titles else "")
                      for i in ids[:SHOWN_PASSAGES])
    more = len(ids) - SHOWN_PASSAGES
    return shown + (f" and {more} more passages" if more > 0 else "")


def feedback_html(fb: Any, c: Colors, titles: Mapping[str, str]) -> str:
    """Feedback on one answer (copilot.practice.TurnFeedback), shown right under it."""
    rows: list[str] = []
    for r in fb.changes:
        detail = f' <span style="color:{c.muted}">({escape(r.detail)})</span>' if r.detail else ""
        rows.append(f"{_mark(r.status, c)} {escape(r.label)}{detail}")
    # The facts the trainee is shown, as the scorecard counts them (FactReport.correct: values
    # and names, not terms such as "fee" or a unit without a number), then every wrong one.
    listed = {id(f) for f in fb.facts.correct}
    for f in fb.facts.facts:
        if id(f) in listed:
            rows.append(f'<b style="color:{c.ok}">✓ fact</b> “{escape(f.text)}” is in '
                        f"{_passages(fb.facts.where(f), titles)}")
        elif f.status == "wrong" and f.differently:
            rows.append(f'<b style="color:{c.signal_strong}">✗ fact</b> “{escape(f.text)}” is '
                        f"not what {_passages(f.differently, titles)} says: it makes that "
                        "promise with other conditions; say it as the passage does")
        elif f.status == "wrong" and f.elsewhere:
            rows.append(f'<b style="color:{c.signal_strong}">✗ fact</b> “{escape(f.text)}” is '
                        f"not in this call's passages ({_passages(f.elsewhere, titles)} "
                        f"{'says' if len(f.elsewhere) == 1 else 'say'} "
                        "it about something else): do not promise it")
        elif f.status == "wrong":
            rows.append(f'<b style="color:{c.signal_strong}">✗ fact</b> “{escape(f.text)}” is '
                        "not in any approved passage: do not promise it")
    if fb.facts.limited_to:
        rows.append(f'<span style="color:{c.muted}">facts checked as {escape(fb.facts.checked_as)}'
                    f": {escape(fb.facts.limited_to)}</span>")
    tone = fb.tone
    cues = []
    if tone.apology:
        cues.append(f"apology “{escape(tone.apology[0])}”")
    if tone.empathy:
        cues.append(f"empathy “{escape(tone.empathy[0])}”")
    if tone.jargon:
        cues.append(f'<span style="color:{c.signal}">jargon: {escape(", ".join(tone.jargon))}'
                    " (say it in plain words)</span>")
    if not tone.plain and not tone.jargon:
        cues.append(f'<span style="color:{c.signal}">a sentence of {tone.longest_sentence} '
                    "words: keep them shorter</span>")
    if cues:
        rows.append(f'<span style="color:{c.muted}">Tone:</span> ' + "; ".join(cues))
    if fb.seconds is not None:
        slow = f' <b style="color:{c.signal}">slow</b>' if fb.slow else ""
        rows.append(f'<span style="color:{c.muted}">Response time:</span> {fb.seconds:.1f} s'
                    f"{slow}")
    if not rows:
        rows.append(f'<span style="color:{c.faint}">No criterion decided and no policy fact '
                    "stated in this answer.</span>")
    body = "<br>".join(rows)
    return (f'<table width="100%" cellspacing="0" cellpadding="6" style="margin-left:24px">'
            f'<tr><td style="border-left: 3px solid {c.border}">'
            f'<span style="color:{c.faint}">Feedback on answer {fb.n}</span><br>{body}'
            "</td></tr></table>")


def notice_html(text: str, c: Colors) -> str:
    return f'<p style="color:{c.signal}"><b>{escape(text)}</b></p>'


def criteria_html(rules: Iterable[tuple[str, str, bool]], status: Mapping[str, str],
                  c: Colors) -> str:
    """The checklist beside the conversation: every criterion and forbidden move, as it stands."""
    crit, forbidden = [], []
    for rid, label, is_forbidden in rules:
        line = f"{_mark(status.get(rid, 'pending' if not is_forbidden else 'holding'), c)} " \
               f'<span style="color:{c.text}">{escape(label)}</span>'
        (forbidden if is_forbidden else crit).append(line)
    parts = [f'<p><b style="color:{c.muted}">Criteria</b><br>' + "<br>".join(crit) + "</p>"]
    if forbidden:
        parts.append(f'<p><b style="color:{c.muted}">Never</b><br>' + "<br>".join(forbidden)
                     + "</p>")
    return "".join(parts)


def scorecard_html(card: Any, c: Colors, saved: int | None = None, error: str = "") -> str:
    """The final scorecard (copilot.practice.Scorecard)."""
    verdict_color = c.ok if card.passed else c.signal_strong
    # Stopped with every criterion met so far is not a fail: "Not passed" beside "score 100%"
    # read as a contradiction (the final walk-through).
    verdict = ("Passed" if card.passed else "Stopped early"
               if not card.completed and all(r.ok for r in card.results) else "Not passed")
    head = (f'<p><span style="font-size:large; color:{verdict_color}"><b>{verdict}</b></span>'
            f' <span style="color:{c.text}">score {card.score:.0%}</span>')
    if not card.completed:
        head += f'<br><span style="color:{c.signal}">Stopped before the customer was done.</span>'
    head += "</p>"
    rules = [(r.id, r.label, r.forbidden) for r in card.results]
    status = {r.id: r.status for r in card.results}
    checklist = criteria_html(rules, status, c)
    # why each miss or violation, under the rule's own words (its id is for --json and the
    # store, never for the trainee)
    why = "".join(f'<br><span style="color:{c.muted}">{escape(r.label)}: {escape(r.detail)}'
                  "</span>" for r in card.results
                  if r.detail and r.status in ("missed", "violated"))
    tone = card.tone_summary()
    n = len(card.answers)
    lines = [f"Policy facts: <b>{card.facts_correct}</b> correct, "
             f'<b style="color:{c.signal_strong if card.facts_wrong else c.text}">'
             f"{card.facts_wrong}</b> {escape(WRONG_FACTS)}",
             f"Tone: apology in {tone['apology_answers']}/{n} answers, empathy in "
             f"{tone['empathy_answers']}/{n}, plain language in {tone['plain_answers']}/{n}"
             + (f"; jargon: {escape(', '.join(tone['jargon']))}" if tone["jargon"] else "")]
    if card.median_response is not None:
        lines.append(f"Response time: median {card.median_response:.1f} s, longest "
                     f"{max(card.response_times):.1f} s")
    if saved is not None:
        lines.append(f'<span style="color:{c.muted}">Saved as practice session {saved}: see '
                     "Progress.</span>")
    if error:
        lines.append(f'<span style="color:{c.signal_strong}">{escape(error)}</span>')
    return (f'<p><b style="color:{c.muted}">Scorecard: {escape(card.scenario_title)}</b></p>'
            + head + checklist + (f"<p>{why[4:]}</p>" if why else "")
            + f'<p style="color:{c.text}">' + "<br>".join(lines) + "</p>")

"""The live assistance of a call, from final redacted captions to what the agent sees:
pipeline.AssistPipeline (one worker per call: knowledge cards, suggested lines, translations,
customer signals, the running summary, the after-call note), assembled by assembly.AssistBuild
from the settings; suggest (grounded or silent lines), summary, after_call (the after-call
note; disposition: its code), signals, rephrase, ask (the window's search box) and
translate/."""

__all__ = ["after_call", "ask", "assembly", "card_events", "disposition", "pipeline", "rephrase",
           "signals", "suggest", "summary", "translate", "workers"]

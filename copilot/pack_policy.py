"""The site's pack verification policy, from the settings and the site policy (copilot/pack_trust.py):
trusted keys, the signing rule, the pack ids the site allows, size limits, and the LLM runtime's
own template sandbox as the final check of a GGUF chat template. Above the LLM runtime in the
layers (it uses its sandbox), so it is not part of active_pack."""

from __future__ import annotations

import logging

from copilot import pack_trust
from copilot.settings import PacksSettings
from models.packs import Limits, Policy

__all__ = ["policy", "sandbox_check"]

log = logging.getLogger(__name__)
MiB = 1 << 20


def policy(settings: PacksSettings) -> Policy:
    """The site's verification policy: trusted keys and signing rule (the site policy's when it
    sets them, named in refusals), allowed pack ids, limits, and the LLM runtime's own sandbox
    as the final check of a GGUF chat template. Raises a PackError when the rules are broken."""
    rule = pack_trust.rule(settings)
    return Policy(trusted_keys=rule.trusted, require_signed=rule.require_signed,
                  limits=Limits(max_file_bytes=int(settings.max_file_mb) * MiB,
                                max_total_bytes=int(settings.max_total_mb) * MiB),
                  check_template=sandbox_check, check_id=rule.check_id,
                  require_signed_by=rule.by("require_signed"),
                  trusted_keys_by=rule.by("trusted_keys"))


def sandbox_check(source: str) -> None:
    """Compile the template in the runtime sandbox (copilot/llm/template.py) and render a short
    conversation: a forbidden operation, a runaway loop or a huge output refuses the pack. A
    template that merely rejects this conversation shape (raise_exception: "roles must
    alternate") is strict, not hostile, and passes."""
    from copilot.llm.template import SandboxedTemplate
    from copilot.llm.types import ChatMessage, TemplateError

    template = SandboxedTemplate(source, bos_token="<s>", eos_token="</s>")
    convos = ([ChatMessage("system", "Be brief."), ChatMessage("user", "Hello"),
               ChatMessage("assistant", "Hi."), ChatMessage("user", "Bye")],
              [ChatMessage("user", "Hello")])
    for messages in convos:
        try:
            template.render(messages)
            return
        except TemplateError as e:
            if "refused the conversation" not in str(e):
                raise
    log.info("the chat template refused both test conversations; accepted as strict")

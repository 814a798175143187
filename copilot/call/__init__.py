"""One call: a CallRequest (what to run) -> build_session -> CallSession (sources -> ASR ->
privacy -> store -> assistance, events out to listeners)."""

from copilot.call.build import build_session, open_source
from copilot.call.request import CallRequest
from copilot.call.session import CallResult, CallSession, SessionError

__all__ = ["CallRequest", "CallResult", "CallSession", "SessionError", "build_session",
           "open_source"]

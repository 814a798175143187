"""`copilot app` / `copilot-app`: start the desktop window.

    copilot app                               the window for live calls
    copilot app --replay CALL.wav --kb DIR    a recording replayed as if live
    copilot app --replay CALL.wav --screenshot out.png --quit-after 40
                                              ...and a picture of the window 40 s into the call
                                              (works offscreen: QT_QPA_PLATFORM=offscreen)
    ... --ask "roaming in Canada?"            ...with this question typed into the search box
                                              shortly before the picture

The engine never imports Qt, so `copilot app` (copilot/cli.py) runs this module in a new Python
process rather than importing it.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import sys
from collections.abc import Callable
from pathlib import Path

from copilot.settings import FONT_SCALE_RANGE

# Never reach a model hub: every model comes from a local path or an installed pack.
os.environ.setdefault("HF_HUB_OFFLINE", "1")

# A window that never went live is still pictured after this much loading time (seconds).
LOAD_GRACE_SECONDS = 300.0
ASK_LEAD_SECONDS = 4.0  # --ask: the question is typed this long before the picture (at most)
# The signals that close the window as its close button does: `kill`, a session ending, Ctrl-C.
CLOSE_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGINT")
                      if hasattr(signal, name))

log = logging.getLogger("ui.app")  # not __name__: run as `python -m ui.app`, that is __main__


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="copilot app", description="Agent Copilot's desktop window. Nothing leaves the "
        "machine: no network, the clipboard is the only way out, and only when you copy.")
    p.add_argument("--replay", metavar="CALL", default="",
                   help="start by replaying this recording (agent left, customer right) live")
    p.add_argument("--demo", action="store_true", help="start with the bundled demo call")
    p.add_argument("--kb", metavar="DIR", default="",
                   help="the knowledge folder (default: the settings', else the active pack's, "
                        "else the bundled sample)")
    p.add_argument("--model", default="", metavar="PATH",
                   help="Whisper model folder, or 'base' / 'tiny.en' (default: installed)")
    p.add_argument("--no-llm", action="store_true", help="approved lines only, no language model")
    p.add_argument("--no-store", action="store_true", help="keep nothing in the call database")
    p.add_argument("--theme", choices=("system", "light", "dark"), default=None,
                   help="default: the settings' (system)")
    p.add_argument("--font-scale", type=float, default=None, metavar="X",
                   help=f"1.25 = 125 %% ({FONT_SCALE_RANGE[0]} to {FONT_SCALE_RANGE[1]}; "
                        "default: the settings')")
    p.add_argument("--no-wrap-up", action="store_true",
                   help="no wrap-up dialog at hang-up (the AI's draft note is stored anyway)")
    p.add_argument("--size", default="1280x800", metavar="WxH", help="window size")
    p.add_argument("--screenshot", metavar="FILE.png", default="",
                   help="save a picture of the window before quitting (needs --quit-after)")
    p.add_argument("--quit-after", type=float, default=0.0, metavar="SECONDS",
                   help="quit this long after the call starts (or after the window opens "
                        "when no call is started)")
    p.add_argument("--ask", metavar="QUESTION", default="",
                   help="type this question into the knowledge search box and press Enter "
                        "shortly before quitting (needs --quit-after; for screenshots)")
    return p


def _check(args: argparse.Namespace) -> str:
    """A message for the first unusable argument, or ''."""
    if args.replay and not Path(args.replay).is_file():
        return f"no recording at {args.replay}"
    if args.kb and not Path(args.kb).is_dir():
        return f"no knowledge folder at {args.kb}"
    if args.screenshot:
        if args.quit_after <= 0:
            return "--screenshot needs --quit-after SECONDS (when to take it)"
        folder = Path(args.screenshot).resolve().parent
        if not folder.is_dir():
            return f"cannot save the screenshot: no folder {folder}"
    if args.quit_after < 0:
        return "--quit-after must be positive"
    if args.ask.strip() and args.quit_after <= 0:
        return "--ask needs --quit-after SECONDS (the question is typed shortly before)"
    lo, hi = FONT_SCALE_RANGE
    if args.font_scale is not None and not lo <= args.font_scale <= hi:
        return f"--font-scale must be between {lo} and {hi}"
    try:
        w, h = (int(x) for x in args.size.lower().split("x"))
        if w < 400 or h < 300:
            raise ValueError
    except ValueError:
        return f"--size {args.size!r}: give WIDTHxHEIGHT, at least 400x300"
    return ""


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    problem = _check(args)
    if problem:
        print(f"copilot app: {problem}", file=sys.stderr)
        return 2
    from copilot import logs, paths

    try:
        logs.setup()
    except OSError as e:
        print(f"copilot app: cannot use the data folder (set COPILOT_HOME): {e}", file=sys.stderr)
        return 2
    refused = _site_refuses(args)
    if refused:  # a regulated site prefers no window to one that breaks its policy
        print(f"copilot app: {refused}", file=sys.stderr)
        return 2
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError as e:
        print(f"copilot app: the desktop window needs PySide6 and its system libraries: {e}",
              file=sys.stderr)
        return 2
    log_window_to_file()
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Agent Copilot")
    app.setDesktopFileName("agent-copilot")  # Wayland matches the window to its .desktop icon
    return Launch(app, args, paths).run()


class _ToCopilotLog(logging.Handler):
    """Hands the window's log records to the `copilot` logger's own handlers: the log file
    that copilot.logs.setup() opened, with its content-free formatting (only those: the record
    still propagates from `ui` as any record does)."""

    def emit(self, record: logging.LogRecord) -> None:
        for handler in logging.getLogger("copilot").handlers:
            if record.levelno >= handler.level:
                handler.handle(record)


def log_window_to_file() -> None:
    """The window's own loggers (`ui.*`) write to the log file like the engine's. Without a
    handler they fell to Python's last resort, which prints warnings on the terminal: a user
    read "the call could not run: UserError" under the clean message of a 0-byte recording,
    and the log file never had the line. Called only when the window is about to open."""
    window_log = logging.getLogger("ui")
    if not any(isinstance(h, _ToCopilotLog) for h in window_log.handlers):
        window_log.addHandler(_ToCopilotLog())
    window_log.setLevel(logging.getLogger("copilot").level)


class SignalClose:
    """Runs `on_signal(signum)` from the Qt event loop when one of CLOSE_SIGNALS arrives.

    Python runs its signal handlers only between bytecodes of the main thread, and while Qt's
    event loop waits (C++) no bytecode runs: SIGTERM would wait for the next timer or click.
    So the C-level handler also writes to a socket (signal.set_wakeup_fd) that a
    QSocketNotifier watches; the loop wakes at once, and the Python handler runs before the
    notifier's slot. The handler only queues `on_signal` on the loop: it may interrupt any
    Python code, the window's own included. Repeated signals call it again (one Ctrl-C
    reaches the window twice: from the terminal and from `copilot app`, which passes it on).
    Call close() when the loop has ended: the previous handlers come back."""

    def __init__(self, on_signal: Callable[[int], None]) -> None:
        from PySide6.QtCore import QSocketNotifier

        self.on_signal = on_signal
        self._reader, self._writer = socket.socketpair()
        for sock in (self._reader, self._writer):
            sock.setblocking(False)  # set_wakeup_fd needs it; a full buffer drops a byte only
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno())
        self._previous = {sig: signal.signal(sig, self._handle) for sig in CLOSE_SIGNALS}
        self._notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read)
        self._notifier.activated.connect(self._drain)

    def _handle(self, signum: int, frame: object) -> None:
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, lambda: self.on_signal(signum))

    def _drain(self) -> None:
        try:
            while self._reader.recv(64):
                pass
        except (BlockingIOError, InterruptedError):
            pass

    def close(self) -> None:
        self._notifier.setEnabled(False)
        for sig, handler in self._previous.items():
            signal.signal(sig, handler if handler is not None else signal.SIG_DFL)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()


class Launch:
    """Builds the window for the arguments, starts what they ask, quits when they say."""

    def __init__(self, app, args: argparse.Namespace, paths) -> None:
        from copilot.audio.devices import list_devices
        from copilot.settings import Settings
        from ui import theme
        from ui.audit import AuditTrail
        from ui.call_runner import CallRunner, RunnerOptions
        from ui.main_window import MainWindow
        from ui.window_dialogs import DialogHub

        self.app, self.args = app, args
        self.exit_code = 0
        self.started = False
        self.quit_armed = False
        from copilot import site_policy

        try:
            settings = site_policy.load_settings()
        except ValueError as e:  # a broken settings file must not keep the window shut
            print(f"copilot app: {e}; using the defaults", file=sys.stderr)
            settings = site_policy.load().apply(Settings())  # the site's locks still hold
            settings.problems.append(f"{e}; every setting keeps its default until the "
                                     "file is fixed by hand (Settings will not save over it)")
        colors = theme.apply(app, args.theme or settings.ui.theme,
                             args.font_scale or settings.ui.font_scale)
        # "" = the settings' knowledge base, else the active pack's, else the bundled sample.
        opts = RunnerOptions(kb_dir=args.kb, use_llm=not args.no_llm, model=args.model,
                             store=not args.no_store)
        from copilot.store.options import options_from_settings

        self.audit = None if args.no_store else AuditTrail(
            paths.database_path(), store_options=options_from_settings(settings.store))
        calls = paths.resources() / "calls"
        self.window = MainWindow(
            lambda post: CallRunner(post, opts, settings), colors=colors, audit=self.audit,
            pack_label=_pack_label(settings, args.kb),
            demo_wav=str(calls / "demo_call.wav"), demo_script=str(calls / "demo_call.json"),
            list_devices=list_devices)
        self.dialogs = DialogHub(
            self.window, db_path=None if args.no_store else paths.database_path(),
            settings_path=paths.settings_path(), settings=settings, list_devices=list_devices,
            wrap_up=not args.no_wrap_up, kb=args.kb).install()
        self.dialogs.apply_retention()
        w, h = (int(x) for x in args.size.lower().split("x"))
        if app.platformName() == "offscreen":  # rendered, never on a screen: the size asked
            self.window.resize(w, h)
        else:
            self.window.resize_within_screen(w, h)
        self.window.bridge.state.connect(self._on_state)
        self.settings_problems = list(settings.problems)

    def _say_settings_problems(self) -> None:
        """Values of a hand-edited settings file that were not used: said once, without
        blocking the window (each setting kept its default)."""
        from PySide6.QtWidgets import QMessageBox

        for problem in self.settings_problems:
            print(f"copilot app: settings: {problem}", file=sys.stderr)
        box = QMessageBox(QMessageBox.Icon.Warning, "Some settings were not used",
                          "These values in the settings file were not used; each kept its "
                          "default. Fix them in Settings (Ctrl+,) or in the file.",
                          QMessageBox.StandardButton.Ok, self.window)
        box.setObjectName("settings_problems")
        box.setDetailedText("\n".join(self.settings_problems))
        box.setInformativeText("\n".join(self.settings_problems[:5]))
        box.setModal(False)
        box.show()
        self.settings_problems_box = box

    def run(self) -> int:
        from PySide6.QtCore import QTimer

        signals = SignalClose(self._on_close_signal)
        try:
            self.window.show()
            if self.settings_problems:
                self._say_settings_problems()
            self.window.start_services()
            if self.args.quit_after > 0:
                if self.args.replay or self.args.demo:
                    QTimer.singleShot(int((self.args.quit_after + LOAD_GRACE_SECONDS) * 1000),
                                      self._finish)
                else:
                    self._arm_quit()
            # Said once the loop runs, so a signal from now on is handled (tests wait for it).
            QTimer.singleShot(0, lambda: log.info("window open (process %d)", os.getpid()))
            rc = self.app.exec()
        finally:
            signals.close()
        if self.window.runner.busy:
            _exit_now(self.exit_code or rc)
        return self.exit_code or rc

    def _on_close_signal(self, signum: int) -> None:
        """SIGTERM or SIGINT: close as the close button does (a running call is finished and
        stored first); the exit status is the shell's for that signal (143, 130)."""
        log.info("signal %d: closing the window", signum)
        self.exit_code = self.exit_code or 128 + signum
        self._close()

    def _close(self) -> None:
        if self.window.close():
            self.app.quit()
        # Otherwise a call is still finishing: the window closes when it has ended (or when
        # main_window.CLOSE_WAIT_MS runs out), and the application quits with its last window.

    def _on_state(self, state) -> None:
        from ui import call_runner as cr

        if not self.started and (self.args.replay or self.args.demo):
            if state.phase == cr.READY:
                self.started = True
                if self.args.replay:
                    self.window.call_bar.set_replay_path(self.args.replay)
                    self.window.start_call(cr.CallSource(cr.FILE, path=self.args.replay))
                else:
                    self.window.start_demo()
            elif state.phase == cr.NO_MODEL:
                self.started = True
                if self.args.demo:
                    self.window.start_demo()
                else:
                    print(f"copilot app: {state.message}", file=sys.stderr)
                    self.exit_code = 2
                    self._arm_quit()
        if state.phase == cr.LIVE:
            self._arm_quit()
        elif state.phase == cr.FAILED:
            print(f"copilot app: {state.message}", file=sys.stderr)
            self.exit_code = 1
            self._arm_quit()

    def _arm_quit(self) -> None:
        from PySide6.QtCore import QTimer

        if self.args.quit_after > 0 and not self.quit_armed:
            self.quit_armed = True
            QTimer.singleShot(int(self.args.quit_after * 1000), self._finish)
            if self.args.ask.strip():
                lead = min(ASK_LEAD_SECONDS, self.args.quit_after / 2)
                QTimer.singleShot(int((self.args.quit_after - lead) * 1000), self._type_question)

    def _type_question(self) -> None:
        """--ask: as an agent would: Ctrl+K, the question, Enter."""
        assist = self.window.assist
        assist.focus_ask()
        assist.ask_box.setText(self.args.ask.strip())
        assist.submit_ask()

    def _finish(self) -> None:
        if self.args.screenshot:
            self.window.jobs.wait(10_000)  # a search still running: its result on the picture
            self.app.processEvents()
            self.window.bridge.flush_now()  # what has arrived is on the picture
            self.app.processEvents()
            if not self.window.grab().save(self.args.screenshot):
                print(f"copilot app: could not save the screenshot {self.args.screenshot}",
                      file=sys.stderr)
                self.exit_code = self.exit_code or 1
            else:
                print(f"copilot app: screenshot saved to {self.args.screenshot}",
                      file=sys.stderr)
        self._close()


def _exit_now(code: int) -> None:
    """Closing was cut short with the call still running (it did not finish within
    main_window.CLOSE_WAIT_MS): its threads still hold the models and post to the window's
    objects, and tearing Qt and the interpreter down under them crashed the process (a
    segmentation fault, exit 139, seen under load). Every final caption is already committed
    (the store is WAL, synchronous=FULL) and the call is marked interrupted at the next start,
    so the process leaves at once, having said so."""
    log.warning("the call was still running when the window closed: exiting now (its captions "
                "are stored; it is marked interrupted at the next start)")
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def _pack_label(settings, kb: str) -> str:
    """What the status bar and every agent action name as the source of models and knowledge:
    the pack, and the knowledge folder when it is not the pack's (--kb, the settings)."""
    from copilot import resolver

    return resolver.knowledge_label(settings, kb)


def _site_refuses(args: argparse.Namespace) -> str:
    """Why the site's rules refuse to start the window ("" when they do not): a malformed site
    policy, or a --kb / --model it forbids (copilot/pack_trust.py)."""
    from copilot import resolver, site_policy
    from copilot.errors import UserError
    from copilot.settings import Settings

    try:
        settings = site_policy.load_settings()
    except UserError as e:
        return str(e)
    except ValueError:  # a broken settings file: the window opens with the defaults
        settings = site_policy.load().apply(Settings())
    try:
        if args.kb:
            resolver.knowledge_base(settings, args.kb)
        if args.model:
            resolver.check_speech_model(args.model)
    except resolver.PackUnusable as e:
        return str(e)
    return ""


if __name__ == "__main__":
    sys.exit(main())

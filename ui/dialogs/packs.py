"""The supervisor's Packs dialog: the installed model packs, install one from a file (with its
verification result), activate, roll back, remove.

Every pack operation (verifying hundreds of MB, extracting, swapping) runs on a worker thread
(ui/jobs.py); the dialog only shows results. A refused pack is reported with the engine's own
message, which says what was wrong; nothing on disk changed in that case (models/packs).
Activation and rollback follow the site's rules as `copilot pack` does (copilot/pack_trust.py):
a pack they refuse is never made active, and the Signed column says who signed each pack. Roll
back is offered only when there is an earlier active pack still installed to go back to, and
says which (its tooltip says why not, otherwise).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from copilot import pack_trust
from ui.jobs import Jobs

COLUMNS = ("Pack", "Version", "State", "Signed", "Description")


class PacksDialog(QDialog):
    """PacksDialog(root, policy, *, parent=None).

    - root: the packs folder (copilot.active_pack.packs_root());
    - policy: the site's verification policy (copilot.pack_policy.policy(settings.packs)).
    Signals: changed(str) with the active pack's label after any change ("" = none);
    failed(str) with the message of a refused or failed operation."""

    changed = Signal(str)
    failed = Signal(str)

    def __init__(self, root: Path, policy: Any, *, parent: QWidget | None = None,
                 choose_file: Callable[[], str] | None = None,
                 confirm: Callable[[str], bool] | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Model packs")
        self.root, self.policy = Path(root), policy
        self._choose_file = choose_file or self._ask_file
        self._confirm = confirm or self._ask
        self.jobs = Jobs(self)
        self.packs: list[Any] = []
        self.active_label = ""
        self.rollback_target = ""  # the pack Roll back would make active; "" = nothing to

        intro = QLabel("Packs bring the speech model, the language model, translation models and "
                       "the approved knowledge base. Each file is verified (hashes, signature, "
                       "contents) before anything is installed.")
        intro.setWordWrap(True)
        intro.setObjectName("muted")
        self.list = QTreeWidget()
        self.list.setHeaderLabels(COLUMNS)
        self.list.setRootIsDecorated(False)
        self.list.setAlternatingRowColors(True)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.result = QLabel("")
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.force = QCheckBox("Allow a downgrade or a changed pack with the same version "
                               "(supervisor decision)")
        self.install_button = QPushButton("&Install from file…")
        self.activate_button = QPushButton("&Activate")
        self.rollback_button = QPushButton("&Roll back")
        self.remove_button = QPushButton("Re&move")
        close = QPushButton("Close")
        self.install_button.clicked.connect(self.install_from_file)
        self.activate_button.clicked.connect(self.activate_selected)
        self.rollback_button.clicked.connect(self.rollback)
        self.remove_button.clicked.connect(self.remove_selected)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (self.install_button, self.activate_button, self.rollback_button,
                  self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(close)
        lay = QVBoxLayout(self)
        lay.addWidget(intro)
        lay.addWidget(self.list, 1)
        lay.addWidget(self.force)
        lay.addWidget(self.result)
        lay.addLayout(buttons)
        self.jobs.busy_changed.connect(self._update_buttons)
        self.resize(760, 380)
        self.refresh()

    # -- reading --
    def refresh(self) -> None:
        self.jobs.submit(self._read, self._show, self._fail)

    def _read(self) -> tuple[list[Any], str, str]:
        from copilot import pack_trust
        from models.packs import PackError, PackStore

        store = PackStore(self.root)
        if not self.root.exists():
            return [], "", ""
        try:
            active = store.active()
        except PackError:
            active = None
        try:
            rule = pack_trust.rule()
        except PackError:
            rule = None
        packs = []
        for p in store.list():
            signed = pack_trust.signature(p, rule.trusted if rule else frozenset()).text
            refused = pack_trust.problem(p, rule) if rule is not None and p.manifest else ""
            packs.append((p, signed, refused, p.damage()))  # (sizes only: cheap, off the UI)
        return (packs, active.label if active is not None else "",
                _rollback_target(store, [p for p, _, _, _ in packs]))

    def _show(self, found: tuple[list[Any], str, str]) -> None:
        rows, active, self.rollback_target = found
        self.packs = [p for p, _, _, _ in rows]
        self.list.clear()
        for p, signed, refused, damage in rows:
            state = "active" if p.label == active else "installed"
            if damage:
                state += ", damaged"
            if refused:
                state += ", refused here"
            desc = damage or p.manifest.description
            item = QTreeWidgetItem([p.id, p.version, state, signed, desc])
            item.setData(0, Qt.ItemDataRole.UserRole, p.label)
            if refused:  # why, on hover: the rule and where the site set it
                for col in range(len(COLUMNS)):
                    item.setToolTip(col, refused)
            self.list.addTopLevelItem(item)
        for col in range(len(COLUMNS) - 1):
            self.list.resizeColumnToContents(col)
        self.active_label = active
        self._update_buttons()
        self.changed.emit(active)

    def selected_label(self) -> str:
        item = self.list.currentItem()
        return item.data(0, Qt.ItemDataRole.UserRole) if item is not None else ""

    def _update_buttons(self, *_: Any) -> None:
        busy = self.jobs.busy
        chosen = self.selected_label()
        self.install_button.setEnabled(not busy)
        self.activate_button.setEnabled(not busy and bool(chosen)
                                        and chosen != self.active_label)
        self.rollback_button.setEnabled(not busy and bool(self.rollback_target))
        self.rollback_button.setToolTip(self._rollback_tip())
        self.remove_button.setEnabled(not busy and bool(chosen))

    def _rollback_tip(self) -> str:
        """What Roll back would do, or why there is nothing for it to do."""
        if self.rollback_target:
            before = f", the pack active before {self.active_label}" if self.active_label else ""
            return f"Make {self.rollback_target} active again{before}."
        if not self.packs:
            return "Nothing to roll back to: no pack is installed."
        if self.active_label:
            return (f"Nothing to roll back to: no pack that was active before "
                    f"{self.active_label} is still installed.")
        return "Nothing to roll back to: no pack that was active before is still installed."

    # -- operations --
    def install_from_file(self, path: str | None = None) -> None:
        path = path or self._choose_file()
        if not path:
            return
        force = self.force.isChecked()
        self.result.setText(f"Verifying {Path(path).name}…")
        self.jobs.submit(lambda: self._install(path, force), self._installed, self._fail)

    def _install(self, path: str, force: bool) -> Any:
        from models.packs import install

        return install(self.root, path, self.policy, force=force)

    def _installed(self, result: Any) -> None:
        lines = [f"{result.pack.label}: {result.status}"
                 + (", now active" if result.activated else "")]
        lines += [f"Warning: {w}" for w in result.warnings]
        self.result.setText("\n".join(lines))
        self.refresh()

    def activate_selected(self) -> None:
        label = self.selected_label()
        if label:
            pid, _, version = label.partition("@")
            self._run(lambda s: pack_trust.activate(s, pid, version), f"{label} is now active")

    def rollback(self) -> None:
        self._run(lambda s: pack_trust.rollback(s), "rolled back")

    def remove_selected(self) -> None:
        label = self.selected_label()
        if not label or not self._confirm(f"Remove the pack {label}? Its files are deleted."):
            return
        pid, _, version = label.partition("@")
        self._run(lambda s: s.remove(pid, version), f"{label} removed")

    def _run(self, op: Callable[[Any], Any], done: str) -> None:
        from models.packs import PackStore

        def work() -> Any:
            return op(PackStore(self.root))

        def ok(result: Any) -> None:
            label = getattr(result, "label", "")
            self.result.setText(f"{done}" + (f" ({label} active)" if label and
                                             label not in done else ""))
            self.refresh()

        self.jobs.submit(work, ok, self._fail)

    def _fail(self, error: BaseException) -> None:
        message = str(error) or type(error).__name__
        self.result.setText(f"Refused: {message}")
        self.failed.emit(message)
        self._update_buttons()

    # -- prompts (replaceable in tests) --
    def _ask_file(self) -> str:
        path, _ = QFileDialog.getOpenFileName(self, "Install a model pack", str(Path.home()),
                                              "Model packs (*.tar *.zip);;All files (*)")
        return path

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, "Model packs", question)
        return answer == QMessageBox.StandardButton.Yes


def _rollback_target(store: Any, packs: list[Any]) -> str:
    """The label of the pack a rollback would make active, as PackStore.rollback picks it (the
    latest earlier active pack that is still installed and readable), "" when there is none."""
    from models.packs import PackError

    try:
        state = store.read_state()
    except PackError:
        return ""
    usable = {(p.id, p.version) for p in packs if p.manifest is not None}
    active = state.get("active") or {}
    now = (active.get("id"), active.get("version"))
    for ref in reversed(state.get("history") or []):
        key = (ref.get("id"), ref.get("version"))
        if key != now and key in usable:
            return f"{key[0]}@{key[1]}"
    return ""

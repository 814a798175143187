"""Light and dark palettes, the font scale, and the style sheet every panel shares.

The agent looks at this window all day: calm colours, strong text contrast (WCAG AA against the
panel background for every text colour below), and sizes in points so a 125-200 % font scale
grows everything together. "system" follows the desktop's colour scheme (Qt 6.5+ reports it).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFont, QGuiApplication, QPainter, QPalette
from PySide6.QtWidgets import QApplication, QProxyStyle, QStyle

from copilot import paths
from copilot.settings import FONT_SCALE_RANGE, THEMES


@dataclass(frozen=True)
class Colors:
    """Named colours for what things mean, not where they are."""

    name: str
    window: str
    panel: str  # cards, transcript background
    border: str
    text: str
    muted: str  # secondary text: agent lines, labels
    faint: str  # partial captions, timestamps
    accent: str  # the customer's lines, links
    customer_bg: str  # a tint behind customer lines
    agent_bg: str
    pill_bg: str  # masked redactions
    pill_text: str
    warn_bg: str  # payment-mode banner
    warn_text: str
    signal: str  # customer signal (frustration)
    signal_strong: str  # escalation
    ok: str
    highlight: str  # search matches
    button: str
    button_text: str
    # The box of a check box: 3:1 against the panel and the window (WCAG 1.4.11, controls).
    # Fusion outlines it a shade darker than the window, lost on the dark theme's panels.
    control: str


LIGHT = Colors(
    name="light", window="#eef1f4", panel="#ffffff", border="#c9d1da", text="#1d232b",
    muted="#4a5563", faint="#6b7684", accent="#0b5cad", customer_bg="#eef5fd",
    agent_bg="#ffffff", pill_bg="#d5d9de", pill_text="#2c333b", warn_bg="#fff1c2",
    warn_text="#5c4300", signal="#a34a00", signal_strong="#b3261e", ok="#1f6f43",
    highlight="#ffe98a", button="#f6f8fa", button_text="#1d232b", control="#6b7684")

DARK = Colors(
    name="dark", window="#15191e", panel="#1e242b", border="#38414c", text="#e6eaef",
    muted="#aab4bf", faint="#8c97a3", accent="#7ab7f5", customer_bg="#1d2c3d",
    agent_bg="#1e242b", pill_bg="#49525d", pill_text="#eef1f4", warn_bg="#4a3b0c",
    warn_text="#ffe49a", signal="#f0a35e", signal_strong="#ff8a80", ok="#7fd1a1",
    highlight="#6b5a12", button="#2a323b", button_text="#e6eaef", control="#8c97a3")


def system_is_dark() -> bool:
    hints = QGuiApplication.styleHints()
    scheme = getattr(hints, "colorScheme", None)
    if scheme is not None:
        value = scheme()
        if value == Qt.ColorScheme.Dark:
            return True
        if value == Qt.ColorScheme.Light:
            return False
    # Unknown (offscreen, old desktops): judge by the platform palette's window colour.
    return QGuiApplication.palette().color(QPalette.ColorRole.Window).lightness() < 128


def resolve(theme: str) -> Colors:
    if theme not in THEMES:
        raise ValueError(f"unknown theme {theme!r}; use one of {', '.join(THEMES)}")
    if theme == "system":
        return DARK if system_is_dark() else LIGHT
    return DARK if theme == "dark" else LIGHT


def palette(c: Colors) -> QPalette:
    p = QPalette()
    role = QPalette.ColorRole
    for r, value in ((role.Window, c.window), (role.Base, c.panel), (role.AlternateBase, c.window),
                     (role.Text, c.text), (role.WindowText, c.text), (role.Button, c.button),
                     (role.ButtonText, c.button_text), (role.ToolTipBase, c.panel),
                     (role.ToolTipText, c.text), (role.Link, c.accent),
                     (role.Highlight, c.accent), (role.HighlightedText, c.panel),
                     (role.PlaceholderText, c.faint), (role.Mid, c.border)):
        p.setColor(r, QColor(value))
    p.setColor(QPalette.ColorGroup.Disabled, role.ButtonText, QColor(c.faint))
    p.setColor(QPalette.ColorGroup.Disabled, role.WindowText, QColor(c.faint))
    p.setColor(QPalette.ColorGroup.Disabled, role.Text, QColor(c.faint))
    return p


# A mid grey that reads on both palettes; an SVG scales with the font.
_ARROW = (paths.resources() / "icons" / "chevron-down.svg").as_posix()


def style_sheet(c: Colors) -> str:
    """Object names used here are set by the panels (setObjectName)."""
    return f"""
    QMainWindow, QWidget#root {{ background: {c.window}; }}
    QFrame#card, QFrame#panel {{ background: {c.panel}; border: 1px solid {c.border};
        border-radius: 6px; }}
    QFrame#abstain {{ background: {c.window}; border: 1px dashed {c.border};
        border-radius: 6px; }}
    QLabel#heading {{ color: {c.muted}; font-weight: 600; }}
    QLabel#askTitle {{ color: {c.accent}; font-weight: 600; }}
    QLabel#aiLabel {{ color: {c.muted}; font-style: italic; }}
    QLabel#muted {{ color: {c.muted}; }}
    QLabel#faint {{ color: {c.faint}; }}
    QLabel#timer {{ color: {c.text}; font-weight: 600; }}
    QLabel#paymentBanner {{ background: {c.warn_bg}; color: {c.warn_text}; font-weight: 600;
        padding: 6px 10px; border-radius: 4px; }}
    QLabel#aiNote {{ color: {c.muted}; }}
    QLabel#flagNote {{ background: {c.warn_bg}; color: {c.warn_text}; padding: 4px 8px;
        border-radius: 4px; }}
    QLabel#signalIdle {{ color: {c.faint}; }}
    QLabel#signalActive {{ color: {c.signal}; font-weight: 600; }}
    QLabel#signalStrong {{ color: {c.signal_strong}; font-weight: 700; }}
    QTextEdit, QTextBrowser, QLineEdit, QComboBox, QPlainTextEdit {{
        background: {c.panel}; color: {c.text}; border: 1px solid {c.border};
        border-radius: 4px; }}
    /* A field locked by the site policy must not look editable (the rule above would keep its
       text at full contrast). */
    QTextEdit:disabled, QLineEdit:disabled, QComboBox:disabled, QPlainTextEdit:disabled {{
        background: {c.window}; color: {c.faint}; }}
    /* A styled combo box no longer sizes its arrow from the font: give the button room of its
       own (in em, so it grows with the font scale) or the arrow is clipped at 150 %. */
    QComboBox {{ padding: 1px 1.8em 1px 6px; }}
    QComboBox::drop-down {{ subcontrol-origin: padding; subcontrol-position: center right;
        width: 1.5em; border-left: 1px solid {c.border}; }}
    QComboBox::down-arrow {{ image: url({_ARROW}); width: 0.75em; height: 0.75em; }}
    QPushButton, QToolButton {{ background: {c.button}; color: {c.button_text};
        border: 1px solid {c.border}; border-radius: 4px; padding: 3px 10px; }}
    QToolButton#fold {{ padding: 0px 10px; }}
    QPushButton:checked {{ background: {c.warn_bg}; color: {c.warn_text}; }}
    QPushButton#primary {{ background: {c.accent}; color: {c.panel}; font-weight: 600; }}
    QPushButton#danger {{ background: {c.signal_strong}; color: {c.panel}; font-weight: 600; }}
    QPushButton#link {{ background: transparent; border: none; color: {c.accent};
        text-decoration: underline; padding: 0 2px; }}
    /* After the coloured styles, and more specific than them: a disabled Start or Delete must
       not look clickable (flat, faint text, dashed border, whatever its colour when enabled). */
    QPushButton:disabled, QPushButton#primary:disabled, QPushButton#danger:disabled,
    QPushButton#link:disabled {{ background: {c.window}; color: {c.faint};
        border: 1px dashed {c.border}; font-weight: normal; text-decoration: none; }}
    QProgressBar {{ background: {c.window}; border: 1px solid {c.border}; border-radius: 3px; }}
    QProgressBar::chunk {{ background: {c.ok}; border-radius: 2px; }}
    QStatusBar {{ color: {c.muted}; }}
    QScrollArea {{ border: none; background: transparent; }}
    """


class OutlinedFusion(QProxyStyle):
    """Fusion (the same look on every platform; native styles ignore palettes), with the box
    of every check box outlined in the theme's `control` colour. Fusion outlines it a shade
    darker than the window: on the dark theme's panels an unticked box could not be seen. A
    style sheet rule for the box would do, but Qt then stops drawing its tick."""

    def __init__(self) -> None:
        super().__init__("Fusion")

    def drawPrimitive(  # noqa: N802 - Qt's name
            self, element: Any, option: Any, painter: Any, widget: Any = None) -> None:
        super().drawPrimitive(element, option, painter, widget)
        if element != QStyle.PrimitiveElement.PE_IndicatorCheckBox:
            return
        state = option.state
        if state & QStyle.StateFlag.State_HasFocus and \
                state & QStyle.StateFlag.State_KeyboardFocusChange:
            return  # Fusion's focus colour shows where the keyboard is: kept
        # The colours of the theme applied last (read at each drawing: restoring a palette
        # and this property, as tests and tools do, restores the outline too).
        app = QApplication.instance()
        c = DARK if app is not None and app.property("copilot_colors") == "dark" else LIGHT
        enabled = bool(state & QStyle.StateFlag.State_Enabled)
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        # Disabled: the faint frame colour, like the disabled box's text.
        painter.setPen(QColor(c.control if enabled else c.border))
        painter.drawRect(option.rect.adjusted(0, 0, -1, -1))
        painter.restore()


def apply(app: QApplication, theme: str = "system", font_scale: float = 1.0) -> Colors:
    """Palette, style sheet and font size for the whole application; returns the colours."""
    lo, hi = FONT_SCALE_RANGE
    if not lo <= font_scale <= hi:
        raise ValueError(f"font scale {font_scale} is out of range ({lo} to {hi}; 1.25 = 125 %)")
    c = resolve(theme)
    app.setStyle(OutlinedFusion())
    app.setPalette(palette(c))
    font = QFont(app.font())
    # The unscaled size is remembered so that applying a theme twice does not compound scales.
    base = app.property("copilot_base_pt")
    if not base:
        base = max(9.0, font.pointSizeF() if font.pointSizeF() > 0 else 10.0)
        app.setProperty("copilot_base_pt", base)
    font.setPointSizeF(float(base) * font_scale)
    app.setFont(font)
    app.setStyleSheet(style_sheet(c))
    app.setProperty("copilot_colors", c.name)
    return c

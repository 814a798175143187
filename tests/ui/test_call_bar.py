"""The call bar: source picker (also with no sound device), start/stop, payment mode, meters."""

from __future__ import annotations

from copilot.audio.devices import DeviceInfo
from ui.call_runner import DEMO_SCRIPT, DEVICES, FILE
from ui.panels.call_bar import (
    DEMO_CHOICE,
    LIVE_CHOICE,
    NO_DEVICES,
    REPLAY_CHOICE,
    STEREO_LINE,
    CallBar,
    clock_text,
)

HEADSET = DeviceInfo(3, "USB headset", 2, 48000.0, "ALSA")
MONITOR = DeviceInfo(5, "Softphone monitor", 2, 48000.0, "PulseAudio")


def _bar(qtbot, **kw) -> CallBar:
    bar = CallBar(demo_wav="demo.wav", demo_script="demo.json", **kw)
    qtbot.addWidget(bar)
    bar.show()
    bar.set_ready(True)
    return bar


def test_no_sound_device_says_so_and_falls_back_to_the_demo(qtbot):
    bar = _bar(qtbot)
    bar.set_devices([])
    assert bar.source.currentText() == DEMO_CHOICE
    bar.source.setCurrentText(LIVE_CHOICE)
    assert bar.source_note.text() == NO_DEVICES
    assert bar.chosen_source() is None and not bar.start_button.isEnabled()
    bar.set_devices([], "Sound devices unavailable: no PortAudio")
    bar.source.setCurrentText(LIVE_CHOICE)
    assert "no PortAudio" in bar.source_note.text()


def test_devices_are_offered_for_agent_and_customer(qtbot):
    bar = _bar(qtbot)
    bar.set_devices([HEADSET, MONITOR])
    bar.source.setCurrentText(LIVE_CHOICE)
    assert bar.agent_device.count() == 2
    assert bar.customer_device.itemText(0) == STEREO_LINE
    src = bar.chosen_source()
    assert (src.kind, src.agent_device, src.customer_device) == (DEVICES, "3", "")
    bar.customer_device.setCurrentIndex(2)
    assert bar.chosen_source().customer_device == "5"
    started: list = []
    bar.start_requested.connect(started.append)
    bar.start_button.click()
    assert started and started[0].kind == DEVICES


def test_replay_and_demo_sources(qtbot):
    bar = _bar(qtbot)
    bar.source.setCurrentText(REPLAY_CHOICE)
    assert bar.chosen_source() is None and not bar.start_button.isEnabled()
    bar.set_replay_path("/calls/x.wav")
    assert bar.chosen_source().kind == FILE and bar.chosen_source().path == "/calls/x.wav"
    assert bar.start_button.isEnabled()
    bar.source.setCurrentText(DEMO_CHOICE)
    assert (bar.chosen_source().kind, bar.chosen_source().path) == (FILE, "demo.wav")
    bar.use_demo_script = True  # no speech model: the demo's written transcript
    assert (bar.chosen_source().kind, bar.chosen_source().path) == (DEMO_SCRIPT, "demo.json")


def test_start_waits_for_the_models(qtbot):
    bar = _bar(qtbot)
    bar.set_ready(False)
    bar.source.setCurrentText(DEMO_CHOICE)
    assert not bar.start_button.isEnabled()
    bar.set_ready(True)
    assert bar.start_button.isEnabled()


def test_live_state_stop_and_payment_mode(qtbot):
    bar = _bar(qtbot)
    assert not bar.payment.isEnabled()  # only during a call
    bar.set_live(True)
    assert bar.start_button.text() == "Stop call" and not bar.source.isEnabled()
    stops: list = []
    bar.stop_requested.connect(lambda: stops.append(1))
    bar.toggle_call()
    assert stops == [1]
    toggles: list = []
    bar.payment_toggled.connect(toggles.append)
    bar.toggle_payment()
    bar.toggle_payment()
    assert toggles == [True, False]
    bar.toggle_payment()
    bar.set_live(False)  # a call's end also ends payment mode
    assert toggles == [True, False, True, False] and not bar.payment.isChecked()


def test_meters_and_timer(qtbot):
    bar = _bar(qtbot)
    bar.set_levels({"agent": 0.5, "customer": 1.0})
    assert bar.meters["agent"].bar.value() == 50 and bar.meters["customer"].bar.value() == 100
    bar.set_levels({"mono": 0.25})
    assert bar.meters["agent"].bar.value() == bar.meters["customer"].bar.value() == 25
    bar.set_elapsed(75.9)
    assert bar.timer.text() == "01:16"  # rounded, as the history rounds the stored length
    assert clock_text(3725) == "1:02:05"
    # (chosen or worded: an approved line is picked by AI, so "AI-generated" said too much)
    assert bar.ai_note.text().startswith("Suggestions are chosen or worded by AI")

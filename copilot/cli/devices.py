"""`copilot devices`: the sound devices that can capture, to pick the agent's microphone and the
customer line (for example the softphone's output monitor)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("devices", help="list the sound devices that can capture",
                       description=__doc__)
    p.set_defaults(func=cmd_devices)


def cmd_devices(args: argparse.Namespace) -> int:
    from copilot.audio.base import AudioError
    from copilot.audio.devices import default_input_index, list_devices
    from copilot.errors import UserError

    try:
        devices = list_devices()
        default = default_input_index()
    except AudioError as e:
        raise UserError(str(e)) from e
    if not devices:
        print("No input devices found. Connect a headset or microphone; for the customer side, "
              "capture the softphone's output (e.g. a PulseAudio/PipeWire monitor source).")
        return 1
    print(f"{'':2}{'#':>3}  {'name':40} {'ch':>3} {'rate':>7}  host API")
    for d in devices:
        mark = "*" if d.index == default else " "
        print(f"{mark:2}{d.index:>3}  {d.name[:40]:40} {d.max_input_channels:>3} "
              f"{int(d.default_samplerate):>7}  {d.hostapi}")
    print("\n* default input. Set them in settings.toml [audio] agent_device / customer_device "
          "(an index or part of the name).")
    return 0

"""Installing, activating, rolling back, removing and listing packs (synthetic packs)."""

from __future__ import annotations

import json

import pytest
from packs_helpers import build_pack, make_pack_dir, tree_state

from models.packs import (
    DowngradeRefused,
    PackError,
    PackRefused,
    PackStore,
    Policy,
    build,
    install,
)


def test_install_verifies_extracts_and_activates(tmp_path):
    root = tmp_path / "packs"
    r = install(root, build_pack(tmp_path, "site", "1.0.0"), Policy())
    assert (r.status, r.activated, r.pack.label) == ("installed", True, "site@1.0.0")
    assert r.warnings == ["the pack is not signed"]
    pack = PackStore(root).active()
    assert pack.label == "site@1.0.0"
    assert pack.whisper_dir() == root / "installed/site/1.0.0/asr/tiny"
    assert pack.gguf().read_bytes().startswith(b"GGUF")
    assert (pack.kb_dir() / "billing.md").is_file()
    assert (pack.mt_dir() / "fr-en" / "model.bin").is_file()
    pack.check_files()
    assert not [p for p in root.iterdir() if p.name.startswith(".")]  # no staging left


def test_installs_from_a_folder_and_a_zip(tmp_path):
    root = tmp_path / "packs"
    folder = make_pack_dir(tmp_path / "a", "folder", "1.0.0")
    # A pack folder needs its [files]: build one to a zip, then install the zip and the folder
    # form of an already-built pack (unpacked).
    z = build(folder, tmp_path / "folder.zip").path
    assert install(root, z, Policy()).pack.label == "folder@1.0.0"
    unpacked = tmp_path / "unpacked"
    import zipfile

    with zipfile.ZipFile(z) as zf:
        zf.extractall(unpacked)
    r = install(root, unpacked, Policy())
    assert r.status == "already installed"


def test_same_version_is_idempotent_and_a_changed_one_needs_force(tmp_path):
    root = tmp_path / "packs"
    first = build_pack(tmp_path / "a", "site", "1.0.0")
    install(root, first, Policy())
    before = tree_state(root)
    assert install(root, first, Policy()).status == "already installed"
    assert tree_state(root) == before
    changed = build_pack(tmp_path / "b", "site", "1.0.0", model_seed=2)
    with pytest.raises(PackRefused, match="already installed with different contents"):
        install(root, changed, Policy())
    assert tree_state(root) == before
    assert install(root, changed, Policy(), force=True).status == "replaced"
    assert PackStore(root).active().label == "site@1.0.0"


def test_downgrade_refused_unless_forced_even_after_the_newer_is_removed(tmp_path):
    root = tmp_path / "packs"
    install(root, build_pack(tmp_path / "a", "site", "2.0.0"), Policy())
    old = build_pack(tmp_path / "b", "site", "1.9.0")
    with pytest.raises(DowngradeRefused, match="older than site@2.0.0"):
        install(root, old, Policy())
    PackStore(root).remove("site", force=True)
    with pytest.raises(DowngradeRefused):  # "highest" is remembered
        install(root, old, Policy())
    assert install(root, old, Policy(), force=True).pack.label == "site@1.9.0"


def test_upgrade_keeps_the_previous_version_for_rollback(tmp_path):
    root = tmp_path / "packs"
    store = PackStore(root)
    install(root, build_pack(tmp_path / "a", "site", "1.0.0"), Policy())
    install(root, build_pack(tmp_path / "b", "site", "1.1.0"), Policy())
    assert [p.label for p in store.list()] == ["site@1.0.0", "site@1.1.0"]
    assert store.active().label == "site@1.1.0"
    assert store.rollback().label == "site@1.0.0"
    assert store.active().label == "site@1.0.0"
    with pytest.raises(PackError, match="no earlier pack"):
        store.rollback()


def test_old_versions_are_pruned_beyond_the_previous_one(tmp_path):
    root = tmp_path / "packs"
    store = PackStore(root)
    for i, v in enumerate(("1.0.0", "1.1.0", "1.2.0")):
        r = install(root, build_pack(tmp_path / str(i), "site", v), Policy(), activate=False)
    assert r.activated is False and store.active() is None
    assert r.removed == ["site@1.0.0"]
    assert [p.version for p in store.list()] == ["1.1.0", "1.2.0"]


def test_activate_by_id_and_version_and_list_order(tmp_path):
    root = tmp_path / "packs"
    store = PackStore(root)
    install(root, build_pack(tmp_path / "a", "site", "1.2.0"), Policy())
    install(root, build_pack(tmp_path / "b", "site", "1.10.0"), Policy())
    install(root, build_pack(tmp_path / "c", "other", "0.1.0"), Policy())
    assert [p.label for p in store.list()] == ["other@0.1.0", "site@1.2.0", "site@1.10.0"]
    assert store.activate("site").label == "site@1.10.0"  # newest by version, not by text
    assert store.activate("site", "1.2").label == "site@1.2.0"  # 1.2 == 1.2.0
    with pytest.raises(PackError, match="version 3.0 is not installed"):
        store.activate("site", "3.0")
    with pytest.raises(PackError, match="no pack 'nope'"):
        store.activate("nope")
    state = json.loads((root / "active.json").read_text())
    assert state["active"] == {"id": "site", "version": "1.2.0"}
    assert state["history"][-1] == {"id": "site", "version": "1.10.0"}


def test_remove_refuses_the_active_pack_without_force(tmp_path):
    root = tmp_path / "packs"
    store = PackStore(root)
    install(root, build_pack(tmp_path / "a", "site", "1.0.0"), Policy())
    install(root, build_pack(tmp_path / "b", "other", "1.0.0"), Policy())
    with pytest.raises(PackError, match="is the active pack"):
        store.remove("other")
    assert [p.label for p in store.remove("site")] == ["site@1.0.0"]
    assert not (root / "installed" / "site").exists()
    store.remove("other", force=True)
    assert store.active() is None and store.list() == []
    with pytest.raises(PackError, match="no earlier pack"):
        store.rollback()


def test_damaged_state_and_damaged_install_are_reported(tmp_path):
    root = tmp_path / "packs"
    install(root, build_pack(tmp_path / "a", "site", "1.0.0"), Policy())
    store = PackStore(root)
    (root / "installed/site/1.0.0/kb/billing.md").write_bytes(b"changed!")
    with pytest.raises(PackError, match="damaged: kb/billing.md"):
        store.active().check_files()
    (root / "active.json").write_text('{"active": {"id": "../../etc", "version": "1"}}')
    with pytest.raises(PackError, match="active.json is damaged"):
        store.active()
    with pytest.raises(PackError, match="active.json is damaged"):
        # an install refuses before any work rather than overwrite a state it cannot read
        install(root, build_pack(tmp_path / "b", "site", "1.1.0"), Policy())
    for not_an_object in ("null", "[]", '"x"'):  # valid JSON, yet no state
        (root / "active.json").write_text(not_an_object)
        with pytest.raises(PackError, match="active.json is damaged"):
            store.active()


def test_store_operations_without_any_pack(tmp_path):
    store = PackStore(tmp_path / "nothing")
    assert store.list() == [] and store.active() is None
    with pytest.raises(PackError, match="no packs are installed"):
        store.activate("site")


def test_a_hand_made_tar_of_a_pack_folder_installs(tmp_path):
    """`tar -cf pack.tar -C folder .` names members "./x"; that is the same pack."""
    import tarfile
    import zipfile

    z = build(make_pack_dir(tmp_path / "a", "hand", "1.0.0"), tmp_path / "p.zip").path
    unpacked = tmp_path / "unpacked"
    with zipfile.ZipFile(z) as zf:
        zf.extractall(unpacked)
    hand = tmp_path / "hand.tar"
    with tarfile.open(hand, "w") as t:
        t.add(unpacked, arcname=".")
    assert install(tmp_path / "packs", hand, Policy()).pack.label == "hand@1.0.0"

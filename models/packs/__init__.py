"""Model packs: a manifest with a SHA-256 for every file, signed with Ed25519; verified as hostile
input before anything is parsed or loaded; installed through a staging folder and an atomic swap;
activated, rolled back and removed through one atomic pointer file. Never imports copilot: the
caller passes the packs folder and the site's policy in.
"""

from models.packs.archive import Limits
from models.packs.build import BuildResult, PackContent, build
from models.packs.errors import DowngradeRefused, PackError, PackRefused
from models.packs.install import InstallResult, install, verify_only
from models.packs.manifest import Manifest, version_key
from models.packs.signing import keygen, trusted_set
from models.packs.store import InstalledPack, PackStore
from models.packs.verify import Policy, VerifiedPack, verify_pack

__all__ = [
    "BuildResult", "DowngradeRefused", "InstallResult", "InstalledPack", "Limits", "Manifest",
    "PackContent",
    "PackError", "PackRefused", "PackStore", "Policy", "VerifiedPack", "build", "install",
    "keygen", "trusted_set", "verify_only", "verify_pack", "version_key",
]

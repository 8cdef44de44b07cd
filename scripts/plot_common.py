"""Shared by strata's plot scripts: the Agg backend and an atomic PNG save."""
import os
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402,F401  (re-exported for the plot scripts)


def save(fig, path, title=None):
    # Write to a temporary name, then rename: no half-written PNG. The title also goes into the
    # PNG's Title text chunk, where file browsers and tests read it.
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(path) or ".", suffix=".png")
    os.close(fd)
    fig.savefig(tmp, dpi=120, bbox_inches="tight", metadata={"Title": title} if title else None)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)
    plt.close(fig)
    print("plot written: " + path)

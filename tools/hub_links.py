"""nbgitpuller links that hand the course to a class on a JupyterHub: a click clones the course into the
student's home (or, the next time, pulls what changed, keeping the student's edits) and opens the notebook.

Usage: python tools/hub_links.py HUB [REPO] [BRANCH]   (or: make hub-links HUB=https://hub.example.edu)

HUB is the hub's address; REPO the course's git repository (default: the course's GitHub one); BRANCH its
branch (default main). Prints one link per notebook of the student edition. make e2e follows such a link,
twice, against a local JupyterLab (tests/e2e/test_hub.py).
"""

import sys
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REPO = "https://github.com/course-maintainers/dl-first-ideas"


def pull_link(server, repo, notebook, branch="main", targetpath=None):
    """The link to ``notebook`` (a path in the repository) through nbgitpuller on ``server``: a single-user
    server's address, or a hub's followed by /hub/user-redirect. The course lands in ``targetpath``, by default
    the repository's name, as nbgitpuller does."""
    for name, value in (("server", server), ("repo", repo), ("notebook", notebook), ("branch", branch)):
        if not isinstance(value, str) or not value:
            raise ValueError(f"{name} must be a non-empty str, got {value!r}")
    folder = targetpath or repo.rstrip("/").removesuffix(".git").rsplit("/", 1)[-1]
    query = {"repo": repo, "branch": branch, "targetpath": folder, "urlpath": f"lab/tree/{folder}/{notebook}"}
    return f"{server.rstrip('/')}/git-pull?{urllib.parse.urlencode(query)}"


def main(args):
    if not args or args[0].startswith("-"):
        raise SystemExit(__doc__)
    hub, repo, branch = args[0], args[1] if len(args) > 1 else REPO, args[2] if len(args) > 2 else "main"
    for path in sorted((ROOT / "student").glob("*.ipynb")):
        print(f"{path.stem}: {pull_link(hub.rstrip('/') + '/hub/user-redirect', repo, f'student/{path.name}', branch)}")


if __name__ == "__main__":
    main(sys.argv[1:])

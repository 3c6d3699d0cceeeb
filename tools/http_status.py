"""One HTTP probe for the checks that start JupyterLab: the browser test, the Binder check and the
README's plain commands. Standard library only; the others load it by path (runpy.run_path)."""

import urllib.error
import urllib.request


def http_status(url, token=None, method="GET"):
    """The HTTP status of a request to ``url`` (with Jupyter's token header when given), or None when
    nothing answers (yet)."""
    request = urllib.request.Request(url, method=method)
    if token:
        request.add_header("Authorization", f"token {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return None

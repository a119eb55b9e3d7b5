"""Install the kit's offline JupyterLab settings into a Python environment, for a hub.

Under a hub (or repo2docker) the kit's own `jupyter-config/` is not used, so JupyterLab
would ask about news and check for updates. This copies the same settings where every
single-user server of that environment reads them:

- `{prefix}/etc/jupyter/jupyter_server_config.d/fournos.json`: no news URL, no update check;
- `{prefix}/etc/jupyter/labconfig/page_config.json`: the news plug-in switched off
  (merged into a file that is already there, never replacing other entries);
- `{prefix}/share/jupyter/lab/settings/overrides.json`: news and update checks off by default
  (merged the same way).

Run it with the environment's own Python: `python deploy/install_settings.py`
(`--prefix DIR` for another environment). Running it twice changes nothing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def merge(target: Path, new: dict) -> None:
    """Write `new` into the JSON file `target`, keeping the keys it already has."""
    old = {}
    if target.exists():
        try:
            old = json.loads(target.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            sys.exit(f"{target} is not valid JSON: fix or remove it, then run this again.")
    for key, value in new.items():
        if isinstance(value, dict) and isinstance(old.get(key), dict):
            old[key] = {**old[key], **value}
        else:
            old[key] = value
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(old, indent=2) + "\n", encoding="utf-8")
    print(f"  wrote {target}")


def install(prefix: Path) -> None:
    def read(name: str) -> dict:
        return json.loads((HERE / name).read_text(encoding="utf-8"))

    etc = prefix / "etc" / "jupyter"
    merge(
        etc / "jupyter_server_config.d" / "fournos.json", read("jupyter/jupyter_server_config.json")
    )
    merge(etc / "labconfig" / "page_config.json", read("jupyter/labconfig/page_config.json"))
    merge(
        prefix / "share" / "jupyter" / "lab" / "settings" / "overrides.json",
        read("lab-settings/overrides.json"),
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--prefix", type=Path, default=Path(sys.prefix), help="default: this Python's"
    )
    args = parser.parse_args(argv)
    print(f"Installing the offline JupyterLab settings into {args.prefix}")
    install(args.prefix)
    return 0


if __name__ == "__main__":
    sys.exit(main())

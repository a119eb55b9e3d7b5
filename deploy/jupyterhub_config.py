"""JupyterHub for one course on one server: `jupyterhub -f deploy/jupyterhub_config.py`.

Run it with the Python environment that has the kit installed (`.venv` from `make lab`, or the
conda environment from environment.yml): every student's server and kernel uses that
environment, and the kit's library finds each student's own copy of the kit (cloned by the
nbgitpuller link) from the notebook's folder. Nothing is installed per student.

Who can log in (the authenticator) is the real choice. The default here is the hub's own
PAM authenticator with LocalProcessSpawner: each student is a Unix account on the server
(`sudo adduser`, all in the group `fournos-students`), so students cannot read one another's
files. For single sign-on use an OAuthenticator (a university's OpenID Connect, GitHub,
Google) or an LTI authenticator for Canvas or Moodle; for a few hundred students use Zero to
JupyterHub on Kubernetes (`deploy/z2jh-config.yaml`) or The Littlest JupyterHub.

FOURNOS_HUB_MODE=test (the kit's own end-to-end test, tests/hub/) switches to the dummy
authenticator (any name, one shared password) and SimpleLocalProcessSpawner (every student's
server runs as the same Unix user, in a home under FOURNOS_HUB_HOMES). Never use it for a
real class: anyone who knows the password can log in, and students could read each other's
work.

Environment variables (all optional outside the test):
  FOURNOS_HUB_IP, FOURNOS_HUB_PORT  where students connect (default 127.0.0.1:8000; put
                                    a TLS proxy such as nginx or caddy in front)
  FOURNOS_HUB_STATE                 folder for the hub's database and cookie secret (default:
                                    the working folder)
  FOURNOS_HUB_ADMINS                space-separated instructors' user names
"""

import os
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent
STATE = Path(os.environ.get("FOURNOS_HUB_STATE", ".")).resolve()
TEST = os.environ.get("FOURNOS_HUB_MODE") == "test"

c = get_config()  # noqa: F821  (jupyterhub provides it)

c.JupyterHub.ip = os.environ.get("FOURNOS_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("FOURNOS_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
# The proxy from `make hub-proxy` (deploy/package.json), else one on the PATH.
proxy = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
if proxy.exists():
    c.ConfigurableHTTPProxy.command = [str(proxy)]
if "FOURNOS_HUB_PROXY_API_PORT" in os.environ:
    c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ['FOURNOS_HUB_PROXY_API_PORT']}"
if "FOURNOS_HUB_INTERNAL_PORT" in os.environ:
    c.JupyterHub.hub_port = int(os.environ["FOURNOS_HUB_INTERNAL_PORT"])

# Every student's server: this environment's single-user server and kernels, JupyterLab,
# the kit's offline Lab settings (deploy/jupyter: no news pop-up, no update check), and this
# environment's commands first on the PATH, so `python -m fournos my-work` works in a terminal.
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    "JUPYTER_CONFIG_PATH": str(HERE / "jupyter"),
    "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '/usr/bin:/bin')}",
}
c.Spawner.http_timeout = 120  # a busy server can take a minute to start a student's server
c.Spawner.start_timeout = 120
# Servers idle for an hour are stopped by the hub's culler only if one is installed
# (jupyterhub-idle-culler); on one server, the sizing table in instructors/ assumes active
# students only.

admins = os.environ.get("FOURNOS_HUB_ADMINS", "").split()
c.Authenticator.admin_users = set(admins)

if TEST:
    c.JupyterHub.authenticator_class = "dummy"
    c.DummyAuthenticator.password = os.environ["FOURNOS_HUB_PASSWORD"]
    c.Authenticator.allow_all = True
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(
        os.environ["FOURNOS_HUB_HOMES"], "{username}"
    )
    if os.geteuid() == 0:  # a container or CI running as root
        c.Spawner.args = ["--allow-root"]
    # The test drives the hub through its REST API with this service's token.
    c.JupyterHub.services = [{"name": "course-test", "api_token": os.environ["FOURNOS_HUB_TOKEN"]}]
    c.JupyterHub.load_roles = [
        {
            "name": "course-test",
            "scopes": ["admin:users", "admin:servers", "tokens", "access:servers", "list:users"],
            "services": ["course-test"],
        }
    ]
else:
    c.LocalAuthenticator.allowed_groups = {"fournos-students"}

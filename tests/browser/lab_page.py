"""Opening a notebook in the JupyterLab that `fournos lab` started, and ending its kernel."""

from __future__ import annotations

IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle'] >> visible=true"
# the notebook in view's text or outputs, drawn: the kernel can be idle while the notebook
# still shows a spinner ("No Kernel | Initializing"; the start page, opened first, did)
DRAWN = (
    ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook "
    ":is(.jp-RenderedMarkdown, .jp-OutputArea-output)"
)


def open_notebook(page, url: str, token: str, path: str, workspace: str) -> None:
    """Open `path` in a fresh workspace and wait (on the page) until its kernel is idle and
    its text is drawn, accepting the "Select Kernel" dialog if a fresh server asks. Nothing
    is run: the page shows the notebook's stored outputs."""
    page.goto(f"{url}/lab/workspaces/{workspace}/tree/{path}?reset&token={token}")
    idle = page.locator(IDLE)
    choose_kernel = page.locator(".jp-Dialog button.jp-mod-accept")
    idle.or_(choose_kernel).first.wait_for(timeout=90_000)
    if choose_kernel.count():
        choose_kernel.click()
        idle.wait_for(timeout=90_000)
    page.locator(DRAWN).first.wait_for(timeout=90_000)


def stop_kernel(page, url: str, token: str, path: str) -> None:
    """End this notebook's kernel: a dozen idle kernels would crowd a modest machine."""
    sessions = page.request.get(f"{url}/api/sessions?token={token}").json()
    for session in sessions:
        if session.get("path", "").endswith(path):
            page.request.delete(f"{url}/api/sessions/{session['id']}?token={token}")

"""Opening notebooks in the JupyterLab that `fournos lab` started, one after another in the
same running Lab, and ending their kernels."""

from __future__ import annotations

from playwright.sync_api import expect

IDLE = ".jp-Notebook-ExecutionIndicator[data-status='idle'] >> visible=true"
# the notebook in view
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
# its text or outputs, drawn: the kernel can be idle while the notebook still shows a spinner
# ("No Kernel | Initializing"; the start page, opened first, did)
DRAWN = f"{PANEL} .jp-Notebook :is(.jp-RenderedMarkdown, .jp-OutputArea-output)"
CURRENT_DOCUMENT = "li.lm-TabBar-tab.jp-mod-current[data-type='document-title']"
ACCEPT = ".jp-Dialog button.jp-mod-accept"


def open_notebook(page, url: str, token: str, path: str, workspace: str) -> None:
    """Open `path` in a fresh workspace (JupyterLab starts in the page) and wait (on the page)
    until its kernel is idle and its text is drawn. Nothing is run: the page shows the
    notebook's stored outputs."""
    page.goto(f"{url}/lab/workspaces/{workspace}/tree/{path}?reset&token={token}")
    ready(page)


def open_from_path(page, path: str) -> None:
    """Open `path` (from the kit's root) in the Lab already running in `page`, as a student
    can: File > Open from Path…, and wait as open_notebook does."""
    page.click("li.lm-MenuBar-item:has-text('File')")
    page.click("li.lm-Menu-item[data-command='filebrowser:open-path']")
    dialog = page.locator(".jp-Dialog")
    dialog.locator("input").fill(path)
    dialog.locator("button.jp-mod-accept").click()
    name = path.rsplit("/", 1)[-1]
    expect(page.locator(CURRENT_DOCUMENT)).to_contain_text(name, timeout=90_000)
    ready(page)


def ready(page) -> None:
    """Wait until the notebook in view has an idle kernel and its text drawn, accepting the
    "Select Kernel" dialog if a fresh server asks."""
    idle = page.locator(IDLE)
    choose_kernel = page.locator(ACCEPT)
    idle.or_(choose_kernel).first.wait_for(timeout=90_000)
    if choose_kernel.count():
        choose_kernel.click()
        idle.wait_for(timeout=90_000)
    page.locator(DRAWN).first.wait_for(timeout=90_000)


def close_notebook(page) -> None:
    """Close the notebook in view (its tab) and wait until no notebook is left in the page,
    discarding any change JupyterLab made to it (nothing was run or typed)."""
    page.locator(f"{CURRENT_DOCUMENT} .lm-TabBar-tabCloseIcon").click()
    discard = page.locator(".jp-Dialog button.jp-mod-warn", has_text="Discard")
    notebooks = page.locator(".jp-NotebookPanel")
    page.wait_for_function(
        "() => !document.querySelector('.jp-NotebookPanel') "
        "|| document.querySelector('.jp-Dialog button.jp-mod-warn')",
        timeout=30_000,
    )
    if discard.count():
        discard.click()
    expect(notebooks).to_have_count(0, timeout=30_000)


def stop_kernel(page, url: str, token: str, path: str) -> None:
    """End this notebook's kernel: a dozen idle kernels would crowd a modest machine."""
    sessions = page.request.get(f"{url}/api/sessions?token={token}").json()
    for session in sessions:
        if session.get("path", "").endswith(path):
            page.request.delete(f"{url}/api/sessions/{session['id']}?token={token}")

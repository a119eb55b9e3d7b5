"""What keeps one notebook from another inside the sandbox: resource limits, a private /tmp
(inside a bound tied to the memory limit), /dev/shm and IPC per notebook, a PID namespace per
notebook (it can signal nothing outside; all it starts ends with it), no kernel keyrings (a
store the kernel keeps outside every sandbox), and the clean-up after each notebook
(processes left behind, files, IPC objects).

Used by the worker (worker.py) and both engines (forked_engine.py, kernel_engine.py).
"""

from __future__ import annotations

import ctypes
import os
import shutil
import signal
import time
from pathlib import Path

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWIPC = 0x00020000, 0x10000000, 0x08000000
CLONE_NEWPID = 0x20000000
PR_SET_DUMPABLE, PR_SET_CHILD_SUBREAPER = 4, 36
SHM_MB = 64  # /dev/shm per notebook: shared memory stays small and inside a known bound


def libc():
    return ctypes.CDLL(None, use_errno=True)


def tmp_mb(memory_mb: int) -> int:
    """The size of a notebook's /tmp: a quarter of its memory limit, 64 to 512 MiB (files in
    a tmpfs are memory, which the address-space limit does not count)."""
    return max(64, min(512, memory_mb // 4))


def _enter(lib, flags: int) -> bool:
    """unshare() into new namespaces, with a new user namespace mapping this user to itself."""
    uid, gid = os.getuid(), os.getgid()
    if lib.unshare(flags) != 0:
        return False
    Path("/proc/self/setgroups").write_text("deny")
    Path("/proc/self/uid_map").write_text(f"{uid} {uid} 1")
    Path("/proc/self/gid_map").write_text(f"{gid} {gid} 1")
    return True


def private_tmp(memory_mb: int) -> bool:
    """Give this process its own /tmp, /dev/shm and IPC (System V and POSIX message queues)
    that no other notebook can see: a new user, mount and IPC namespace with fresh,
    size-limited tmpfs mounts, then a second user and mount namespace so that they are
    locked (the student's code gets capabilities only in a namespace where it cannot unmount
    them). False where unavailable."""
    lib = libc()
    try:
        if not _enter(lib, CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWIPC):
            return False
        tmp = f"size={tmp_mb(memory_mb)}m,mode=0700".encode()
        if lib.mount(b"tmpfs", b"/tmp", b"tmpfs", 0, tmp) != 0:
            return False
        shm = f"size={SHM_MB}m,mode=1777".encode()
        if os.path.isdir("/dev/shm") and lib.mount(b"tmpfs", b"/dev/shm", b"tmpfs", 0, shm):
            return False
        return _enter(lib, CLONE_NEWUSER | CLONE_NEWNS)
    except OSError:
        return False


def new_pid_namespace() -> bool:
    """Make the next process this one forks the first (PID 1) of a PID namespace of its own:
    a notebook there cannot see or signal any process outside (the worker, its zygote, the
    next notebook), and every process it starts ends when it ends. False where unavailable."""
    try:
        return _enter(libc(), CLONE_NEWUSER | CLONE_NEWPID)
    except OSError:
        return False


# Seccomp (classic BPF): deny the kernel keyring calls. Keyrings are the kernel's, not the
# sandbox's: a key added to the user's keyring (listed, with its description, in /proc/keys)
# outlives the notebook, the sandbox and the run, and any later notebook can read it.
KEYRING_CALLS = {"x86_64": (0xC000003E, (248, 249, 250)), "aarch64": (0xC00000B7, (217, 218, 219))}
X32_BIT = 0x40000000
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
SECCOMP_RET_ALLOW, SECCOMP_RET_EPERM = 0x7FFF0000, 0x00050000 | 1


class _Instruction(ctypes.Structure):
    _fields_ = [
        ("code", ctypes.c_ushort),
        ("jt", ctypes.c_ubyte),
        ("jf", ctypes.c_ubyte),
        ("k", ctypes.c_uint32),
    ]


class _Program(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.POINTER(_Instruction))]


def deny_keyrings() -> bool:
    """From now on, this process and every process it starts (across exec) get EPERM from
    add_key, request_key and keyctl, and from any system call of another architecture's
    numbering (x32, 32-bit). False where unavailable (then keyrings stay reachable)."""
    import platform

    if platform.machine() not in KEYRING_CALLS:
        return False
    arch, calls = KEYRING_CALLS[platform.machine()]
    load_arch, load_nr, jeq, jge, ret = (0x20, 4), (0x20, 0), 0x15, 0x35, 0x06
    deny = len(calls) + 5  # index of the final "deny" instruction
    code = [
        (load_arch[0], 0, 0, load_arch[1]),
        (jeq, 0, deny - 2, arch),  # another architecture: deny
        (load_nr[0], 0, 0, load_nr[1]),
        (jge, deny - 4, 0, X32_BIT),  # x32 numbering: deny
    ]
    for index, number in enumerate(calls):
        code.append((jeq, deny - (5 + index), 0, number))
    code += [(ret, 0, 0, SECCOMP_RET_ALLOW), (ret, 0, 0, SECCOMP_RET_EPERM)]
    program = (_Instruction * len(code))(*[_Instruction(*c) for c in code])
    fprog = _Program(len(code), program)
    lib = libc()
    if lib.prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return lib.prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) == 0


def limits(memory_mb: int) -> None:
    import resource

    for limit, value in (
        (resource.RLIMIT_AS, memory_mb * 2**20),
        (resource.RLIMIT_FSIZE, 256 * 2**20),
        (resource.RLIMIT_CORE, 0),
    ):
        try:
            resource.setrlimit(limit, (value, value))
        except (ValueError, OSError):
            pass


def process_limit(margin: int, user_total: int) -> None:
    """Limit how many processes (and threads) a notebook can start: a fork bomb stops there.
    Linux 5.14 and later count them per user namespace, so inside the sandbox `margin` is
    the limit; older kernels count every process of the user, hence the fallback."""
    import resource

    for limit in (margin, user_total + margin):
        try:
            resource.setrlimit(resource.RLIMIT_NPROC, (limit, limit))
        except (ValueError, OSError):
            return
        try:
            pid = os.fork()
        except BlockingIOError:
            continue
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
        return


def clean_up(sandboxed: bool, keep: set[int]) -> None:
    """End every process a notebook left behind (only possible in the sandbox's own PID
    namespace; `keep`: the worker's own helpers), empty /tmp and /dev/shm and remove System V
    IPC objects, so the next notebook starts clean."""
    reap_orphans()
    if not sandboxed:
        return
    keep = {1, os.getpid(), *keep}
    for _ in range(5):
        others = [int(p) for p in os.listdir("/proc") if p.isdigit() and int(p) not in keep]
        if not others:
            break
        for pid in others:
            try:
                os.kill(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        time.sleep(0.01)
        reap_orphans()
    for folder in ("/tmp", "/dev/shm"):
        if os.path.isdir(folder):
            for entry in Path(folder).iterdir():
                remove(entry)
    remove_sysv_ipc()


def reap_orphans() -> None:
    """Wait for ended processes re-parented here (the worker is a subreaper)."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def remove_sysv_ipc() -> None:
    """Remove every System V shared memory segment, semaphore set and message queue of this
    IPC namespace (the sandbox's own): nothing a notebook made there reaches the next one."""
    lib = libc()
    ipc_rmid = 0
    for name, remove_one in (("shm", lib.shmctl), ("sem", lib.semctl), ("msg", lib.msgctl)):
        try:
            rows = Path(f"/proc/sysvipc/{name}").read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            fields = row.split()
            if len(fields) > 1 and fields[1].isdigit():
                if name == "sem":
                    remove_one(int(fields[1]), 0, ipc_rmid)
                else:
                    remove_one(int(fields[1]), ipc_rmid, None)


def remove(path: Path) -> None:
    """Delete a file or a whole folder, even one a notebook made read-only."""

    def unlock(func, name, _exc):
        try:
            os.chmod(os.path.dirname(name), 0o700)
            os.chmod(name, 0o700)
            func(name)
        except OSError:
            pass

    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, onerror=unlock)
    else:
        try:
            path.unlink()
        except OSError:
            pass

"""The `ita-fork` kernel provisioner: jupyter_client's way to the kernels of `forkserver`. Apart from
`forkserver` so that a process that only asks whether kernels can be forked imports no jupyter_client."""

from __future__ import annotations

import os
from typing import Any

from jupyter_client.connect import KernelConnectionInfo
from jupyter_client.provisioning import LocalProvisioner

from .forkserver import fork_server


class ForkProvisioner(LocalProvisioner):
    """LocalProvisioner whose kernels are forked from this process's template instead of started."""

    async def launch_kernel(self, cmd: list[str], **kwargs: Any) -> KernelConnectionInfo:
        env = kwargs.get("env") or dict(os.environ)
        cwd = str(kwargs.get("cwd") or os.getcwd())
        self.process = fork_server().fork(cmd, cwd, env)
        # The kernel leads a process group of its own (setsid), which jupyter_client signals as a whole.
        self.pid, self.pgid, self.cwd = self.process.pid, self.process.pid, cwd
        return self.connection_info

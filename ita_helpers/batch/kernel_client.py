"""The client a report's kernel is driven by: jupyter_client's, without the 0.2 s it waits at the end of
`wait_for_ready` for the kernel's IOPub channel to fall silent.

That wait is paid by every report (nbclient calls `wait_for_ready` on the kernel it is handed, even one
started ahead), and by the preview after each save. Nothing needs the silence: nbclient reads only the
messages sent in reply to its own requests, so the status messages of `kernel_info` are left unread and
ignored. What `wait_for_ready` checks stays: a `kernel_info` reply on the shell channel and a message on
IOPub (both channels connected), the kernel alive, the time limit."""

from __future__ import annotations

import time
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_core.utils import ensure_async

from ..core.i18n import _


class ReadyKernelClient(AsyncKernelClient):
    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (float("inf") if timeout is None else timeout)
        while True:
            self.kernel_info()
            try:
                reply = await ensure_async(self.shell_channel.get_msg(timeout=1))
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply":
                try:
                    await ensure_async(self.iopub_channel.get_msg(timeout=0.2))  # IOPub is connected
                except Empty:
                    pass  # not yet subscribed: ask again
                else:
                    self._handle_kernel_info_reply(reply)
                    return
            if not await self._async_is_alive():
                raise RuntimeError(_("the report's kernel ended before it answered"))
            if time.monotonic() > deadline:
                raise RuntimeError(_("the report's kernel did not answer within {seconds:.0f} s").format(
                    seconds=timeout))

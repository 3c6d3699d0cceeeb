"""A slow link on this machine: a TCP relay on 127.0.0.1 that holds every chunk for a set delay in each
direction, in order, so a page served through it meets the round trip of a remote Jupyter (Binder, a hub).

Usage: python tools/delay_proxy.py TARGET_PORT [DELAY_MS]   (default 50 ms each way: a 100 ms round trip)
It prints the port to open instead of TARGET_PORT and runs until Ctrl+C. make e2e starts one beside
JupyterLab (DelayProxy) and measures every student notebook through it.
"""

import asyncio
import sys
import threading


class DelayProxy:
    """Relay 127.0.0.1:``port`` to 127.0.0.1:``target_port``, each chunk ``delay_s`` late, in a thread of its own."""

    def __init__(self, target_port, delay_s):
        if not 0 <= delay_s <= 10:
            raise ValueError(f"delay_s must be between 0 and 10 seconds, got {delay_s!r}")
        self.target_port, self.delay_s = target_port, delay_s
        self.port = None
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, name="delay-proxy", daemon=True)

    def start(self):
        self._thread.start()
        if not self._ready.wait(10):
            raise RuntimeError("the delay proxy did not start within 10 s")
        return self

    def stop(self):
        if self._thread.is_alive():
            self._loop.call_soon_threadsafe(lambda: asyncio.ensure_future(self._shutdown()))
            self._thread.join(10)

    async def _shutdown(self):
        """Cancel the open connections' relays, then stop the loop."""
        tasks = [task for task in asyncio.all_tasks() if task is not asyncio.current_task()]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        asyncio.get_running_loop().stop()

    def _run(self):
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(asyncio.start_server(self._relay, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        try:
            self._loop.run_forever()
        finally:
            server.close()
            self._loop.close()

    async def _relay(self, client_reader, client_writer):
        writers = [client_writer]
        try:
            server_reader, server_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
            writers.append(server_writer)
            await asyncio.gather(self._pipe(client_reader, server_writer), self._pipe(server_reader, client_writer),
                                 return_exceptions=True)
        except (OSError, asyncio.CancelledError):
            pass  # the server is gone, or the proxy stops
        finally:
            for writer in writers:
                writer.close()

    async def _pipe(self, reader, writer):
        """Copy ``reader`` to ``writer``, each chunk ``delay_s`` after it arrived, in order; then pass the end on."""
        loop, chunks = asyncio.get_running_loop(), asyncio.Queue()

        async def deliver():
            while True:
                due, data = await chunks.get()
                if due > loop.time():
                    await asyncio.sleep(due - loop.time())
                if not data:
                    if writer.can_write_eof():
                        writer.write_eof()
                    return
                writer.write(data)
                await writer.drain()

        delivering = asyncio.ensure_future(deliver())
        try:
            while True:
                data = await reader.read(1 << 16)
                chunks.put_nowait((loop.time() + self.delay_s, data))
                if not data:
                    break
        except OSError:
            chunks.put_nowait((loop.time(), b""))
        await delivering


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        sys.exit(__doc__)
    proxy = DelayProxy(int(sys.argv[1]), float(sys.argv[2] if len(sys.argv) == 3 else 50) / 1000).start()
    print(f"127.0.0.1:{proxy.port} -> 127.0.0.1:{proxy.target_port}, {1000 * proxy.delay_s:.0f} ms each way "
          "(Ctrl+C stops it)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        proxy.stop()

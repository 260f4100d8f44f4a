"""curate_plugin: write a curate external plugin in Python (standard library only).

curate starts an executable named ``curate-NAME`` for the command ``\\NAME`` and talks to it in
JSON lines over its stdin and stdout (protocol version 1, docs/plugins.md, "External plugins"). This module
speaks the protocol, so a plugin is a function of a ``Context``::

    from curate_plugin import Plugin, PluginError

    plugin = Plugin(version="1.0", summary="Count the files.", usage="\\\\count")

    @plugin.command
    def count(ctx):
        rows = ctx.query("SELECT count(*) FROM file").rows
        ctx.print(f"{rows[0][0]} files")

    plugin.run()

Everything the function prints with ``print()`` goes to stderr (stdout belongs to the protocol).
Raise ``PluginError(message, hint)`` to fail with a message for the user: curate rolls back what
the plugin did and shows the message. Any other exception fails the same way, with its traceback
on stderr.
"""

import json
import os
import sys
import traceback

PROTOCOL = 1

__all__ = ["Plugin", "Context", "Result", "PluginError", "QueryError", "PROTOCOL"]


class PluginError(Exception):
    """A failure with a message for the user (and an optional hint saying what to do)."""

    def __init__(self, message, hint=None):
        super().__init__(message)
        self.message = message
        self.hint = hint


class QueryError(PluginError):
    """A statement failed on the server (``source`` "server", with its SQLSTATE) or curate
    refused it (``source`` "curate": transaction control, read-only settings)."""

    def __init__(self, reply):
        super().__init__(reply.get("message") or "the statement failed", reply.get("hint"))
        self.sqlstate = reply.get("sqlstate")
        self.detail = reply.get("detail")
        self.source = reply.get("source")
        self.position = reply.get("position")
        self.transaction = reply.get("transaction")


class Result:
    """One statement's result. Iterate it to stream the rows (lists of text values, None for
    NULL) as curate sends them; ``columns``, ``tag`` and ``rowcount`` are set once all rows have
    been read. ``rows`` reads them all into a list."""

    def __init__(self, ctx, request_id):
        self._ctx = ctx
        self._id = request_id
        self._finished = False
        self._rows = None
        self.columns = None
        self.tag = None
        self.rowcount = None
        self.transaction = None

    def __iter__(self):
        if self._finished:
            return
        read = self._ctx._read
        while True:
            message = read()
            kind = message.get("type")
            if kind == "rows":
                yield from message["rows"]
            elif kind == "done":
                self._finished = True
                self._ctx._pending = None
                self.columns = message.get("columns", [])
                self.tag = message.get("tag")
                self.rowcount = message.get("rows")
                self.transaction = message.get("transaction")
                return
            elif kind == "error":
                self._finished = True
                self._ctx._pending = None
                self.transaction = message.get("transaction")
                raise QueryError(message)
            else:
                raise PluginError(f"unexpected reply {kind!r} from curate while reading rows")

    @property
    def rows(self):
        """All the rows, read now (for small results)."""
        if self._rows is None:
            self._rows = list(self)
        return self._rows

    def _drain(self):
        for _ in self:
            pass


class Context:
    """What a plugin command runs with: its arguments, where it runs, and the shared session."""

    def __init__(self, plugin, invoke):
        self._plugin = plugin
        self._pending = None
        self._next_id = 0
        self.arguments = list(invoke.get("arguments", []))
        context = invoke.get("context", {})
        self.context = context
        #: True when a person is at a terminal (False in scripts).
        self.interactive = bool(context.get("interactive"))
        #: The user's output format: aligned, unaligned, csv or json.
        self.format = context.get("format", "aligned")
        #: The user's transaction when the plugin was started: idle or in-transaction.
        self.transaction = context.get("transaction", "idle")
        #: Where curate runs the plugin's statements: savepoint (inside the user's transaction),
        #: transaction (its own, committed when the plugin finishes ok) or autocommit.
        self.scope = context.get("scope", "transaction")
        #: Whether the plugin's statements may write (it declared "writes").
        self.writable = bool(context.get("writable"))
        self.read_only = bool(context.get("read_only"))
        self.database = context.get("database")
        self.user = context.get("user")

    # -- the session -------------------------------------------------------------------------

    def stream(self, sql, parameters=(), batch=None, savepoint=False):
        """Runs one statement in the shared session and returns a ``Result`` to iterate: rows
        arrive as curate reads them from the server, so memory stays flat. Parameters are
        ``$1``, ``$2``... values (text, numbers, booleans or None), never spliced into the SQL.
        With ``savepoint=True`` a failure of this statement undoes only itself."""
        self._finish_pending()
        self._next_id += 1
        message = {"type": "query", "id": self._next_id, "sql": sql, "parameters": list(parameters)}
        if batch:
            message["batch"] = batch
        if savepoint:
            message["savepoint"] = True
        self._plugin._send(message)
        result = Result(self, self._next_id)
        self._pending = result
        return result

    def query(self, sql, parameters=(), savepoint=False):
        """Runs one statement and reads its whole result: ``.rows``, ``.columns``, ``.tag``."""
        result = self.stream(sql, parameters, savepoint=savepoint)
        _ = result.rows
        return result

    # -- the user ----------------------------------------------------------------------------

    def print(self, text="", stderr=False):
        """Prints a line where curate prints results (stdout, or the user's \\o file)."""
        self._finish_pending()
        message = {"type": "print", "text": str(text)}
        if stderr:
            message["stream"] = "stderr"
        self._plugin._send(message)

    def table(self, columns, rows, batch=1000):
        """Prints a table in the user's format (aligned, csv, json...), like a query result.
        A column is a name, or a dict with "name" and "type" (a query's ``columns`` can be passed
        as they are: numbers then align right, and are numbers in JSON output). ``rows`` may be
        any iterable, a generator included: it is sent in batches of ``batch`` rows as it is
        read, and curate prints the rows as they arrive, so neither side holds the whole table.
        (Rows of ``ctx.stream`` are read first: curate answers one request at a time.)"""
        if isinstance(rows, Result) and not rows._finished:
            rows = rows.rows  # read now, or draining the pending query would drop them
        self._finish_pending()
        columns = list(columns)
        if isinstance(rows, (list, tuple)) and len(rows) <= batch:
            # A small table: one message.
            self._plugin._send({"type": "print", "table": {"columns": columns, "rows": [list(r) for r in rows]}})
            return
        send = self._plugin._send_raw
        dumps = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
        self._plugin._send({"type": "table_begin", "columns": columns})
        chunk = []
        for row in rows:
            chunk.append(row)
            if len(chunk) >= batch:
                send(b'{"type":"table_rows","rows":' + dumps(chunk).encode("utf-8") + b"}\n")
                chunk = []
        if chunk:
            send(b'{"type":"table_rows","rows":' + dumps(chunk).encode("utf-8") + b"}\n")
        self._plugin._send({"type": "table_end"})

    def confirm(self, question, assume_yes=False):
        """Asks the user; True for yes. In a script nobody can answer: without ``assume_yes``
        (the command's --yes) this raises PluginError, and the command is refused."""
        self._finish_pending()
        self._next_id += 1
        self._plugin._send({"type": "confirm", "id": self._next_id, "question": question, "assume_yes": bool(assume_yes)})
        reply = self._read()
        if reply.get("type") != "answer":
            raise PluginError(f"unexpected reply {reply.get('type')!r} from curate to a question")
        if reply.get("refused"):
            raise PluginError(reply["refused"], reply.get("hint"))
        return bool(reply.get("yes"))

    def progress(self, label, done, total=None):
        """Reports progress (drawn by curate at a terminal). Any message also tells curate that
        the plugin is alive: report at least every PLUGIN_TIMEOUT seconds while working."""
        self._plugin._send({"type": "progress", "label": label, "done": int(done), "total": total})

    # -- internals ---------------------------------------------------------------------------

    def _finish_pending(self):
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending._drain()

    def _read(self):
        return self._plugin._read()


class Plugin:
    """A plugin's description (sent in its hello) and its command function."""

    def __init__(self, version, summary, usage=None, help=None, capabilities=(), capabilities_for=None, name=None):
        """``capabilities``: everything the command may do ("writes", "no-transaction",
        "starts-programs"). ``capabilities_for(arguments)``, if given, narrows them for one
        invocation (a listing form that only reads runs in a read-only session)."""
        self.name = name or os.environ.get("CURATE_PLUGIN_NAME") or os.path.basename(sys.argv[0]).removeprefix("curate-")
        self.version = version
        self.summary = summary
        self.usage = usage
        self.help = help
        self.capabilities = list(capabilities)
        self.capabilities_for = capabilities_for
        self.function = None
        self._in = sys.stdin.buffer
        self._out = sys.stdout.buffer

    def command(self, function):
        """Decorator: the function to run with a ``Context``."""
        self.function = function
        return function

    def run(self, function=None):
        """Speaks the protocol with curate: hello, then describe (exit) or invoke (run the
        command and finish). Never returns."""
        function = function or self.function
        if os.environ.get("CURATE_PLUGIN_PROTOCOL") is None and sys.stdin.isatty():
            sys.stderr.write(f"{sys.argv[0]} is a curate plugin: put it in a plugin folder and run \\{self.name} inside curate\n")
            sys.exit(2)
        # stdout belongs to the protocol: a stray print() goes to stderr instead.
        sys.stdout = sys.stderr
        arguments = sys.argv[1:]
        describing = os.environ.get("CURATE_PLUGIN_MODE") == "describe"
        capabilities = self.capabilities
        if self.capabilities_for is not None and not describing:
            capabilities = list(self.capabilities_for(arguments))
        hello = {"type": "hello", "protocol": PROTOCOL, "name": self.name, "version": self.version,
                 "summary": self.summary, "capabilities": capabilities}
        if self.usage:
            hello["usage"] = self.usage
        if self.help:
            hello["help"] = self.help
        self._send(hello)
        try:
            message = self._read()
        except EOFError:
            sys.exit(0)  # curate refused the command (read-only session, open transaction...)
        if message.get("type") != "invoke":
            sys.exit(0)  # describe: nothing to do
        ctx = Context(self, message)
        try:
            function(ctx)
            ctx._finish_pending()
        except PluginError as error:
            self._finish("error", error.message, error.hint)
            sys.exit(1)
        except EOFError:
            sys.exit(1)  # curate stopped the conversation
        except Exception as error:  # noqa: BLE001 - any failure must reach curate and the user
            traceback.print_exc(file=sys.stderr)
            self._finish("error", f"{type(error).__name__}: {error}")
            sys.exit(1)
        self._finish("ok")
        sys.exit(0)

    def _finish(self, status, message=None, hint=None):
        finish = {"type": "finish", "status": status}
        if message is not None:
            finish["message"] = message
        if hint is not None:
            finish["hint"] = hint
        try:
            self._send(finish)
        except (BrokenPipeError, OSError):
            pass

    def _send(self, message):
        self._out.write(json.dumps(message, separators=(",", ":")).encode("utf-8") + b"\n")
        self._out.flush()

    def _send_raw(self, line):
        """A message already encoded, with its newline (the rows of a streamed table)."""
        self._out.write(line)
        self._out.flush()

    def _read(self):
        line = self._in.readline()
        if not line:
            raise EOFError("curate closed the conversation")
        return json.loads(line)

#!/usr/bin/env python3
"""Misbehaving and probing external plugins for ExternalPluginTests, in the raw protocol (no
helper module, so that the protocol itself is what is tested). The test copies this file as
curate-NAME; NAME (from CURATE_PLUGIN_NAME) picks the behaviour.

Each plugin that writes inserts an ingestqueue row whose filename is 'plugin-NAME', so a test can
see whether that work survived."""

import json
import os
import sys
import time

NAME = os.environ.get("CURATE_PLUGIN_NAME", "")
OUT = sys.stdout.buffer
IN = sys.stdin.buffer


def send(message):
    OUT.write(json.dumps(message).encode() + b"\n")
    OUT.flush()


def read():
    line = IN.readline()
    if not line:
        sys.exit(0)
    return json.loads(line)


def hello(capabilities, protocol=1):
    send({"type": "hello", "protocol": protocol, "name": NAME, "version": "0.0.1",
          "summary": f"test plugin {NAME}", "capabilities": capabilities})
    message = read()
    if message["type"] != "invoke":
        sys.exit(0)
    return message


def query(sql, parameters=(), **extra):
    """Sends a query and returns (rows, final reply)."""
    send({"type": "query", "id": NAME, "sql": sql, "parameters": list(parameters), **extra})
    rows = []
    while True:
        reply = read()
        if reply["type"] == "rows":
            rows += reply["rows"]
        else:
            return rows, reply


def mark():
    rows, reply = query("INSERT INTO ingestqueue (filename, path) VALUES ($1, '/plugin')", ["plugin-" + NAME])
    assert reply["type"] == "done", reply


def say(text):
    send({"type": "print", "text": text})


def finish():
    send({"type": "finish", "status": "ok"})
    sys.exit(0)


if NAME == "crash":
    hello(["writes"])
    mark()
    raise RuntimeError("deliberate crash of the test plugin")

elif NAME == "hang":
    hello(["writes"])
    mark()
    with open(os.environ["PLUGIN_PID_FILE"], "w") as pid_file:
        pid_file.write(str(os.getpid()))
    time.sleep(3600)

elif NAME == "garbage":
    hello(["writes"])
    mark()
    OUT.write(b"Hello there, this is not JSON\n")
    OUT.flush()
    time.sleep(3600)

elif NAME == "envdump":
    invoke = hello([])
    say(json.dumps({"environment": dict(os.environ), "argv": sys.argv, "invoke": invoke}))
    finish()

elif NAME == "readonly":
    # Declares nothing: its statements must not be able to write.
    hello([])
    rows, reply = query("INSERT INTO ingestqueue (filename, path) VALUES ('plugin-readonly', '/plugin')", savepoint=True)
    say(f"insert: {reply['type']} {reply.get('sqlstate')} {reply.get('message')}")
    rows, reply = query("SELECT current_setting('transaction_read_only')")
    say(f"transaction_read_only: {rows[0][0]}")
    finish()

elif NAME == "txcontrol":
    hello(["writes"])
    mark()
    for sql in ["COMMIT", "rollback", "SET default_transaction_read_only = off", "SELECT 1; COMMIT"]:
        rows, reply = query(sql)
        say(f"{sql}: {reply['type']} source={reply.get('source')} {reply.get('message')}")
    finish()

elif NAME == "notx":
    invoke = hello(["writes", "no-transaction"])
    say(f"ran with scope {invoke['context']['scope']}")
    finish()

elif NAME == "future":
    hello(["writes"], protocol=2)
    finish()

elif NAME == "sleeper":
    hello(["writes"])
    mark()
    with open(os.environ["PLUGIN_PID_FILE"], "w") as pid_file:
        pid_file.write(str(os.getpid()))
    query("SELECT pg_sleep(60)")
    finish()

elif NAME == "types":
    hello([])
    rows, reply = query("SELECT 1::int4 AS n, 'a\"b\\\\c\nd'::text AS t, NULL::date AS d, 2.5::numeric AS x, true AS b, $1::text AS p",
                        [42])
    say(json.dumps({"rows": rows, "done": reply}))
    rows, reply = query("SELECT * FROM no_such_table", savepoint=True)
    rows2, reply2 = query("SELECT 'still usable'")
    say(json.dumps({"error": reply, "after_savepoint": rows2, "transaction": reply2.get("transaction")}))
    send({"type": "print", "table": {"columns": ["name", "count"], "rows": [["a", 1], ["b", None]]}})
    finish()

elif NAME == "latin1":
    # Run with client_encoding LATIN1: a value with é is not UTF-8, yet every line stays JSON.
    hello([])
    rows, reply = query("SELECT 'caf' || chr(233) AS t, 'plain' AS p")
    say(json.dumps({"rows": rows, "done": reply["type"]}))
    finish()

elif NAME == "careless":
    # A statement fails (no savepoint), and the plugin finishes "ok" anyway.
    hello(["writes"])
    mark()
    rows, reply = query("SELECT 1/0")
    say(f"careless: {reply['type']} {reply.get('sqlstate')} transaction={reply.get('transaction')}")
    finish()

elif NAME == "check":
    # Clashes with the built-in \check: never started.
    hello([])
    say("the external check ran")
    finish()

elif NAME in ("undeclared", "notxwrite"):
    # Writes without declaring "writes" (notxwrite: declares only "no-transaction"), and passes
    # the error on as a careful plugin does, hint included.
    hello(["no-transaction"] if NAME == "notxwrite" else [])
    rows, reply = query("INSERT INTO ingestqueue (filename, path) VALUES ($1, '/plugin')", ["plugin-" + NAME])
    send({"type": "finish", "status": "error", "message": reply.get("message"), "hint": reply.get("hint")})
    sys.exit(0)

elif NAME == "notxlift":
    # Declares only "no-transaction", then tries to make the session writable behind curate's back.
    hello(["no-transaction"])
    rows, reply = query("SELECT set_config('default_transaction_read_only', 'off', false)")
    say(f"lift: {reply['type']} {reply.get('message')} hint={reply.get('hint')}")
    finish()

elif NAME == "noversion":
    send({"type": "hello", "protocol": 1, "capabilities": []})
    read()
    finish()

elif NAME == "streamer":
    # A streamed table: table_begin, rows in batches of 1000 (argv[1] rows), table_end.
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    hello([])
    send({"type": "table_begin", "columns": [{"name": "n", "type": "int4"}, "text", "maybe"]})
    batch = []
    for n in range(1, count + 1):
        batch.append([n, "row \"%d\"\tü\n2" % n if n == 2 else f"row {n}", None if n % 2 else True])
        if len(batch) == 1000:
            send({"type": "table_rows", "rows": batch})
            batch = []
    if batch:
        send({"type": "table_rows", "rows": batch})
    send({"type": "table_end"})
    say("after the table")
    finish()

elif NAME == "badstream":
    hello([])
    send({"type": "table_begin", "columns": ["a", "b"]})
    send({"type": "table_rows", "rows": [["1", "2"], ["3"]]})
    finish()

else:
    sys.stderr.write(f"fixture-plugin: no behaviour named {NAME!r}\n")
    sys.exit(2)

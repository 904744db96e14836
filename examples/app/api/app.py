"""The notes API: JSON over HTTP on :8000, rows in PostgreSQL.

  GET  /api/health  200 {"status": "ok", "database": {...}} once the database answers, else 503
  GET  /api/notes   200 [{"id": 1, "text": "...", "created": "..."}, ...], newest first
  POST /api/notes   {"text": "..."} -> 201 with the new note; 400 on a bad body

The connection comes from libpq's environment (PGHOST=db, PGUSER, PGPASSWORD, PGDATABASE):
`db` is the database's service name, resolved by wharf's DNS on the project network.
"""
import json
import os
import signal
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg2

MAX_TEXT = 500
SCHEMA = """
CREATE TABLE IF NOT EXISTS notes (
    id      serial PRIMARY KEY,
    text    text NOT NULL,
    created timestamptz NOT NULL DEFAULT now()
)"""


def connect():
    return psycopg2.connect("", connect_timeout=3)


def wait_for_database(seconds=60):
    """Creates the table, retrying while the database comes up."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with connect() as conn, conn.cursor() as cur:
                cur.execute(SCHEMA)
            return
        except psycopg2.OperationalError as e:
            if time.monotonic() > deadline:
                raise
            print(f"api: waiting for the database at {os.environ.get('PGHOST')}: {e}".strip(), file=sys.stderr)
            time.sleep(1)


def note_json(row):
    return {"id": row[0], "text": row[1], "created": row[2].isoformat()}


class Handler(BaseHTTPRequestHandler):
    server_version = "notes-api/1"

    def send_json(self, status, body):
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/api/health":
            try:
                with connect() as conn, conn.cursor() as cur:
                    cur.execute("SELECT current_setting('server_version'), host(inet_server_addr()), current_database()")
                    version, addr, name = cur.fetchone()
                conn.close()
            except psycopg2.Error as e:
                return self.send_json(503, {"status": "unavailable", "error": str(e).strip()})
            return self.send_json(200, {"status": "ok", "database": {
                "host": os.environ.get("PGHOST"), "address": addr, "name": name,
                "server": f"PostgreSQL {version}"}})
        if self.path == "/api/notes":
            with connect() as conn, conn.cursor() as cur:
                cur.execute("SELECT id, text, created FROM notes ORDER BY id DESC")
                rows = cur.fetchall()
            conn.close()
            return self.send_json(200, [note_json(r) for r in rows])
        self.send_json(404, {"error": f"no such endpoint: GET {self.path}"})

    def do_POST(self):
        if self.path != "/api/notes":
            return self.send_json(404, {"error": f"no such endpoint: POST {self.path}"})
        try:
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"null")
        except (ValueError, json.JSONDecodeError):
            return self.send_json(400, {"error": "the body is not JSON"})
        text = body.get("text") if isinstance(body, dict) else None
        if not isinstance(text, str) or not text.strip():
            return self.send_json(400, {"error": 'expected {"text": "..."} with a non-empty text'})
        if len(text) > MAX_TEXT:
            return self.send_json(400, {"error": f"text is longer than {MAX_TEXT} characters"})
        with connect() as conn, conn.cursor() as cur:
            cur.execute("INSERT INTO notes (text) VALUES (%s) RETURNING id, text, created", (text.strip(),))
            row = cur.fetchone()
        conn.close()
        self.send_json(201, note_json(row))


def main():
    # As PID 1 a process gets no default action for SIGTERM: handle it, or `stop` waits for
    # its grace period and kills.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    wait_for_database()
    server = ThreadingHTTPServer(("0.0.0.0", 8000), Handler)
    print("api: listening on :8000, database at", os.environ.get("PGHOST"), file=sys.stderr)
    server.serve_forever()


if __name__ == "__main__":
    main()

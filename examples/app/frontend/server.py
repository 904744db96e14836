"""Serves /srv/www on :8080 and forwards /api/... to API_URL (http://api:8000 in compose.yaml),
so the browser talks to one origin, as a production frontend behind a reverse proxy does."""
import functools
import os
import signal
import sys
import urllib.error
import urllib.request
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

API_URL = os.environ.get("API_URL", "http://api:8000").rstrip("/")


class Handler(SimpleHTTPRequestHandler):
    server_version = "notes-frontend/1"

    def forward(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length) if length else None
        request = urllib.request.Request(API_URL + self.path, data=body, method=self.command)
        if "Content-Type" in self.headers:
            request.add_header("Content-Type", self.headers["Content-Type"])
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                status, content_type, data = r.status, r.headers.get("Content-Type"), r.read()
        except urllib.error.HTTPError as e:
            status, content_type, data = e.code, e.headers.get("Content-Type"), e.read()
        except OSError as e:
            status, content_type = 502, "application/json"
            data = ('{"error": "the API at %s is unreachable: %s"}' % (API_URL, e)).encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type or "application/octet-stream")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path.startswith("/api/"):
            return self.forward()
        super().do_GET()

    def do_POST(self):
        if self.path.startswith("/api/"):
            return self.forward()
        self.send_error(405)


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    handler = functools.partial(Handler, directory="/srv/www")
    server = ThreadingHTTPServer(("0.0.0.0", 8080), handler)
    print("frontend: serving /srv/www on :8080, /api/ ->", API_URL, file=sys.stderr)
    server.serve_forever()


if __name__ == "__main__":
    main()

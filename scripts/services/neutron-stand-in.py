#!/usr/bin/python3
"""NETWORK SERVICE STAND-IN (not Neutron). The test cloud boots servers with "networks": "none", but Nova still
asks the network service about ports, networks and security groups when it shows or deletes a server. This
answers those GETs with empty lists and DELETEs with 204, and refuses everything else with 501, so the tests
need no real Neutron. Usage: neutron-stand-in.py PORT."""
import json
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(sys.argv[1])


class StandIn(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def _send(self, status, body=None):
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        path = self.path.split("?", 1)[0].rstrip("/")
        if path in ("", "/v2.0"):
            self._send(200, {"versions": [{"id": "v2.0", "status": "CURRENT",
                                           "links": [{"rel": "self", "href": f"http://127.0.0.1:{PORT}/v2.0/"}]}]})
            return
        resource = path.split("/")[-1].removesuffix(".json").replace("-", "_")
        self._send(200, {resource: []})

    def do_DELETE(self):
        self._send(204)

    def do_POST(self):
        self._send(501, {"NeutronError": {"message": "network stand-in: only empty listings are served"}})

    do_PUT = do_POST

    def log_message(self, *args):
        pass


ThreadingHTTPServer(("127.0.0.1", PORT), StandIn).serve_forever()

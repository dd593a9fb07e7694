"""A small client for activation-lab, shared by the example scripts.

Only `requests` and the standard library. What it adds to a bare
`requests.post`:

- the base URL from ACTIVATION_LAB_URL (default http://127.0.0.1:3000);
- timeouts on every request: 5 s to connect, ACTIVATION_LAB_TIMEOUT seconds
  (default 120) between bytes of the answer;
- retries on 503 (the service sheds load when its threads are busy) and 429
  (rate limit), waiting the `Retry-After` the service sends (capped);
- every 4xx/5xx turned into a `ProblemError` carrying the RFC 9457
  problem+json body: `status`, `title`, `detail`, `errors` (the offending
  fields of a 400), `request_id`;
- NDJSON streams read line by line as they arrive (a `{"problem": ...}` line
  mid-stream raises too);
- `run(main)`: prints the problem and exits 1 on any HTTP or connection error.

    from activation_lab import ActivationLab
    lab = ActivationLab()
    lab.post("/v1/theory/mean-field", {"activation": "relu", "sigmaW2": 2})["chi1"]   # 1: He initialisation is critical
"""

import email.utils
import json
import os
import sys
import time

import requests

DEFAULT_URL = "http://127.0.0.1:3000"
CONNECT_TIMEOUT = 5.0
PROBLEM_JSON = "application/problem+json"
RETRIED_STATUSES = (429, 503)


class ProblemError(Exception):
    """An HTTP error answer of the service (an application/problem+json body)."""

    def __init__(self, status, problem, method="", url=""):
        self.status = status
        self.problem = problem
        self.type = problem.get("type")
        self.title = problem.get("title") or "HTTP {}".format(status)
        self.detail = problem.get("detail") or ""
        self.errors = problem.get("errors") or []
        self.request_id = problem.get("requestId")
        self.method = method
        self.url = url
        super().__init__(self.describe())

    def describe(self):
        head = "{} {}".format(self.status, self.title)
        if self.method:
            head += " ({} {})".format(self.method, self.url)
        lines = [head]
        if self.detail:
            lines.append("  detail: " + self.detail)
        for error in self.errors:
            lines.append("  - {}: {}".format(error.get("path", "?"), error.get("message", "")))
        if self.request_id:
            lines.append("  request id: " + str(self.request_id))
        return "\n".join(lines)


def _problem_of(response):
    """The problem+json body of an error answer, or one built from whatever else came back."""
    try:
        body = response.json()
        if isinstance(body, dict):
            return body
    except ValueError:
        pass
    # Not the service's own answer (a proxy's HTML page, say): keep the start of it.
    text = (response.text or "").strip()
    return {"title": response.reason or "HTTP {}".format(response.status_code), "detail": text[:500], "status": response.status_code}


def _retry_after_seconds(value, default):
    """Retry-After as delta-seconds or an HTTP date; `default` when absent or unreadable."""
    if not value:
        return default
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return default
    return max(0.0, when.timestamp() - time.time())


class ActivationLab:
    """A session against one activation-lab instance."""

    def __init__(self, base_url=None, timeout=None, retries=3, max_retry_wait=60.0, session=None):
        self.base_url = (base_url or os.environ.get("ACTIVATION_LAB_URL") or DEFAULT_URL).rstrip("/")
        read_timeout = timeout if timeout is not None else float(os.environ.get("ACTIVATION_LAB_TIMEOUT", "120"))
        self.timeout = (CONNECT_TIMEOUT, read_timeout)
        self.retries = retries
        self.max_retry_wait = max_retry_wait
        self.session = session or requests.Session()
        self.session.headers.setdefault("User-Agent", "activation-lab-python-example")
        # What the retries waited, in seconds (for the curious, and for the tests).
        self.waited = []

    def request(self, method, path, **kwargs):
        """Sends one request, retrying 503/429 after Retry-After; raises ProblemError on any 4xx/5xx."""
        url = self.base_url + path
        kwargs.setdefault("timeout", self.timeout)
        attempt = 0
        while True:
            response = self.session.request(method, url, **kwargs)
            if response.status_code in RETRIED_STATUSES and attempt < self.retries:
                wait = min(self.max_retry_wait, _retry_after_seconds(response.headers.get("Retry-After"), 2.0 ** attempt))
                response.close()
                attempt += 1
                self.waited.append(wait)
                print("  ({} from the service; retrying in {:g} s, attempt {} of {})".format(response.status_code, wait, attempt, self.retries), file=sys.stderr)
                time.sleep(wait)
                continue
            if response.status_code >= 400:
                raise ProblemError(response.status_code, _problem_of(response), method, url)
            return response

    def get(self, path, params=None):
        """GET, answer parsed as JSON."""
        return self.request("GET", path, params=params, headers={"Accept": "application/json"}).json()

    def post(self, path, body, params=None):
        """POST a JSON body, answer parsed as JSON."""
        return self.request("POST", path, json=body, params=params, headers={"Accept": "application/json"}).json()

    def post_binary(self, path, data, params=None):
        """POST raw bytes (application/octet-stream); returns (bytes, headers)."""
        response = self.request("POST", path, data=data, params=params, headers={"Content-Type": "application/octet-stream", "Accept": "application/octet-stream"})
        return response.content, response.headers

    def chart(self, path, body=None, image="svg", params=None):
        """A chart as bytes: image "svg" (image/svg+xml) or "png". GET without a body, POST with one."""
        accept = {"svg": "image/svg+xml", "png": "image/png"}[image]
        method = "GET" if body is None else "POST"
        return self.request(method, path, json=body, params=params, headers={"Accept": accept}).content

    def stream(self, path, body, params=None):
        """POSTs a JSON body asking for NDJSON; yields each line's object as soon as it arrives."""
        response = self.request("POST", path, json=body, params=params, headers={"Accept": "application/x-ndjson"}, stream=True)
        with response:
            # chunk_size=None: hand over each chunk as the server flushes it, not after 512 bytes.
            for line in response.iter_lines(chunk_size=None):
                if not line:
                    continue
                item = json.loads(line)
                if "problem" in item:
                    problem = item["problem"]
                    raise ProblemError(problem.get("status", 500), problem, "POST", self.base_url + path)
                yield item


def run(main):
    """Runs main(ActivationLab()); on an HTTP or connection error prints the problem and exits 1."""
    lab = ActivationLab()
    try:
        main(lab)
    except ProblemError as error:
        print("error: " + error.describe(), file=sys.stderr)
        sys.exit(1)
    except requests.exceptions.ConnectionError as error:
        print("error: cannot reach activation-lab at {} (set ACTIVATION_LAB_URL): {}".format(lab.base_url, error), file=sys.stderr)
        sys.exit(1)
    except requests.exceptions.Timeout as error:
        print("error: activation-lab at {} did not answer in time (ACTIVATION_LAB_TIMEOUT): {}".format(lab.base_url, error), file=sys.stderr)
        sys.exit(1)
    except requests.RequestException as error:
        print("error: request to {} failed: {}".format(lab.base_url, error), file=sys.stderr)
        sys.exit(1)

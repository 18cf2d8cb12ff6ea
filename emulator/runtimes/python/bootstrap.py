"""Minimal Python runtime for the emulator: speaks the Lambda Runtime API at AWS_LAMBDA_RUNTIME_API,
loads <LAMBDA_TASK_ROOT>/<module>.<function> from _HANDLER (default lambda_function.lambda_handler) and serves
invocations forever. Exits as soon as the Runtime API goes away, so no process outlives the emulator."""
import http.client
import importlib
import json
import os
import sys
import time
import traceback

API = os.environ.get("AWS_LAMBDA_RUNTIME_API", "")
HOST, _, PORT = API.rpartition(":")
BASE = "/2018-06-01/runtime"
_conn = None


def request(method, path, body=None, headers=None):
    global _conn
    try:
        if _conn is None:
            _conn = http.client.HTTPConnection(HOST, int(PORT))
        hdrs = dict(headers or {})
        if body is not None:
            hdrs["Content-Type"] = "application/json"
        _conn.request(method, path, body=body, headers=hdrs)
        res = _conn.getresponse()
        data = res.read()
        return res.status, {k.lower(): v for k, v in res.getheaders()}, data
    except (OSError, http.client.HTTPException):
        os._exit(1)  # the emulator is gone: leave no orphan


def error_body(exc):
    return json.dumps(
        {
            "errorType": type(exc).__name__,
            "errorMessage": str(exc),
            "stackTrace": traceback.format_exception(type(exc), exc, exc.__traceback__),
        }
    ).encode()


class Context:
    def __init__(self, request_id, arn, deadline_ms):
        self.aws_request_id = request_id
        self.invoked_function_arn = arn
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        return int(self._deadline_ms - time.time() * 1000)


def load_handler():
    root = os.environ.get("LAMBDA_TASK_ROOT", os.getcwd())
    spec = os.environ.get("_HANDLER") or "lambda_function.lambda_handler"
    module_name, _, func_name = spec.rpartition(".")
    sys.path.insert(0, root)
    module = importlib.import_module(module_name.replace("/", "."))
    return getattr(module, func_name)


def main():
    try:
        handler = load_handler()
    except Exception as exc:  # noqa: BLE001
        request("POST", BASE + "/init/error", error_body(exc), {"Lambda-Runtime-Function-Error-Type": "Runtime.ImportModuleError"})
        os._exit(1)
    while True:
        status, headers, body = request("GET", BASE + "/invocation/next")
        if status != 200:
            os._exit(1)
        request_id = headers.get("lambda-runtime-aws-request-id", "")
        ctx = Context(request_id, headers.get("lambda-runtime-invoked-function-arn", ""), int(headers.get("lambda-runtime-deadline-ms", "0")))
        try:
            event = json.loads(body) if body else None
        except ValueError:
            event = body.decode("utf-8", "replace")
        try:
            result = handler(event, ctx)
            request("POST", BASE + "/invocation/" + request_id + "/response", json.dumps(result).encode())
        except Exception as exc:  # noqa: BLE001
            request("POST", BASE + "/invocation/" + request_id + "/error", error_body(exc), {"Lambda-Runtime-Function-Error-Type": "Unhandled"})


if __name__ == "__main__":
    main()

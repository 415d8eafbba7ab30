"""Structured logs (one JSON object a line) that never carry a personal value.

Log files are copied, shipped and kept far longer and more widely than the database, so they
hold ids, route names, counts and times only. Code logs a fixed message with its values as
arguments (`log.info("message %s processed", message.pk)`); here every argument that is not a
number, a UUID or a flag is written as "[text]", and an exception is written as its type and
where it was raised, never its message (which can quote the input that broke it).
"""

import json
import logging
import traceback
import uuid

from saferoptions.audit.middleware import current_request_id

REDACTED = "[text]"
# Extra fields a log call may attach (`extra={...}`): route names, HTTP methods, statuses,
# times and ids, which the code that attaches them chooses (web/metrics.py), never input.
SAFE_FIELDS = ("route", "method", "status", "duration_ms", "user_id", "message_id", "task_id")


class JsonFormatter(logging.Formatter):
    """One JSON line per record: time, level, logger, message with its safe values, ids."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": safe_message(record),
        }
        request_id = getattr(record, "request_id", "") or current_request_id()
        if request_id:
            entry["request_id"] = request_id
        for field in SAFE_FIELDS:
            value = getattr(record, field, None)
            if value is not None:
                entry[field] = value
        if record.exc_info and record.exc_info[0] is not None:
            entry["exception"] = record.exc_info[0].__name__
            entry["raised_at"] = _where(record.exc_info[2])
        return json.dumps(entry, default=str)


def safe_message(record: logging.LogRecord) -> str:
    """The message with every argument that might be personal replaced by "[text]"."""
    if not isinstance(record.msg, str):
        return REDACTED
    args = record.args
    if not args:
        return record.msg
    if isinstance(args, dict):
        safe = {key: value if _is_safe(value) else REDACTED for key, value in args.items()}
    else:
        safe = tuple(value if _is_safe(value) else REDACTED for value in args)
    try:
        return record.msg % safe
    except (TypeError, ValueError):  # a %d given "[text]": the fixed words alone still help
        return record.msg


def _is_safe(value) -> bool:
    return value is None or isinstance(value, bool | int | float | uuid.UUID)


def _where(tb) -> list[str]:
    """File, line and function of each frame: enough to find the fault, nothing it read."""
    return [f"{frame.filename}:{frame.lineno} in {frame.name}"
            for frame in traceback.extract_tb(tb)][-8:]

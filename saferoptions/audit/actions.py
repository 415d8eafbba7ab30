"""Plain words for the audit log's action codes, for the people who read the log.

The audit stores short codes ("view", "refer_without_consent"); each app registers the words
for the codes it writes from its AppConfig.ready() (audit imports none of them). A code no app
registers any more, e.g. on an old row, is shown as it is.
"""

_labels: dict[str, str] = {}


def register(labels: dict[str, str]) -> None:
    """Name some action codes. A code keeps one meaning: other words for it are refused."""
    for code, words in labels.items():
        known = _labels.get(code)
        if known is not None and known != words:
            raise ValueError(f"audit action {code!r} is already registered as {known!r}")
        _labels[code] = words


def label(code: str) -> str:
    """The plain words for a code, or the code itself when no app registered it."""
    return _labels.get(code, code)


def registered() -> frozenset[str]:
    return frozenset(_labels)


def choices() -> list[tuple[str, str]]:
    """(code, words) for every registered action, in the order of the words (for a filter)."""
    return sorted(_labels.items(), key=lambda item: (item[1].lower(), item[0]))

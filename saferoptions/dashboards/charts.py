"""Bar charts as server-drawn SVG shapes: no script, no inline style (the page's CSP allows
neither). A suppressed bar is drawn as an outline with its mark, never at a height that
would reveal the hidden count."""

WIDTH, HEIGHT, TOP, BOTTOM, LEFT = 720, 240, 16, 56, 8


def bar_chart(labels: list[str], values: list) -> dict:
    """Bars (x, y, width, height) for `values` (counts or rates); strings ("<5", "*", "not
    shown") are suppressed bars."""
    numbers = [v for v in values if _number(v)]
    top = max(numbers, default=0) or 1
    plot = HEIGHT - TOP - BOTTOM
    step = (WIDTH - LEFT) / max(1, len(values))
    bars = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        suppressed = not _number(value)
        height = 0 if suppressed else round(plot * value / top, 1)
        x = round(LEFT + i * step + step * 0.1, 1)
        bars.append({"x": x, "width": round(step * 0.8, 1), "y": round(TOP + plot - height, 1),
                     "height": height, "label": label, "value": value,
                     "suppressed": suppressed, "label_x": round(x + step * 0.4, 1),
                     "short": _short(label)})
    return {"width": WIDTH, "height": HEIGHT, "base": TOP + plot, "bars": bars,
            "label_y": TOP + plot + 16, "mark_y": TOP + plot - 4, "max": top}


def _short(label: str) -> str:
    """Axis labels fit under a bar: dates as day and month, long words cut."""
    return label if len(label) <= 10 else label[:9] + "…"


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)

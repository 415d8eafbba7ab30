"""GOV.UK form fields for the pathway pages: label, hint, error, input, all linked for readers."""

from django import forms, template
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

register = template.Library()


def _described(field) -> str:
    ids = []
    if field.help_text:
        ids.append(f"{field.auto_id}-hint")
    if field.errors:
        ids.append(f"{field.auto_id}-error")
    return " ".join(ids)


def _control(field, extra: dict) -> str:
    widget = field.field.widget
    attrs = dict(extra)
    if _described(field):
        attrs["aria-describedby"] = _described(field)
    error = field.errors and "--error"
    if isinstance(widget, forms.Textarea):
        attrs["class"] = "govuk-textarea" + (" govuk-textarea--error" if error else "")
    elif isinstance(widget, forms.Select) and not isinstance(widget, forms.RadioSelect):
        attrs["class"] = "govuk-select" + (" govuk-select--error" if error else "")
    elif not isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        width = widget.attrs.get("class", "")
        attrs["class"] = f"govuk-input {width}".strip() + (" govuk-input--error" if error else "")
    return field.as_widget(attrs=attrs)


def _choices(field, kind: str) -> str:
    """Radios or checkboxes as GOV.UK items (each input with its own label)."""
    items = []
    for i, sub in enumerate(field.subwidgets):
        item_id = f"{field.auto_id}_{i}" if i else field.auto_id
        checked = " checked" if sub.data.get("selected") else ""
        items.append(format_html(
            '<div class="govuk-{k}__item"><input class="govuk-{k}__input" id="{i}" name="{n}" '
            'type="{t}" value="{v}"{c}><label class="govuk-label govuk-{k}__label" for="{i}">'
            '{label}</label></div>', k=kind, i=item_id, n=field.html_name,
            t="radio" if kind == "radios" else "checkbox", v=sub.data["value"],
            c=mark_safe(checked), label=sub.choice_label))  # noqa: S308 (a fixed literal)
    return format_html('<div class="govuk-{}" data-module="govuk-{}">{}</div>', kind, kind,
                       mark_safe("".join(items)))  # noqa: S308 (built with format_html)


def _autosave(field, url: str, delay: str) -> dict:
    """htmx: post this one field as it is typed, and say so in a polite live region."""
    return {"hx-post": url, "hx-trigger": f"keyup changed delay:{delay}",
            "hx-params": f"{field.html_name},version", "hx-target": f"#{field.auto_id}-status",
            "hx-swap": "innerHTML"}


@register.simple_tag
def govuk_field(field, autosave: str = "", delay: str = "1s", **extra):
    """One field in the GOV.UK pattern; `extra` becomes attributes, `autosave` a draft URL."""
    widget = field.field.widget
    if getattr(field.field, "is_date_input", False):
        return render_to_string("includes/date_input.html", {"f": field})
    if autosave:
        extra.update(_autosave(field, autosave, delay))
    hint = format_html('<div id="{}-hint" class="govuk-hint">{}</div>', field.auto_id,
                       field.help_text) if field.help_text else ""
    errors = format_html_join("", '<p id="{}-error" class="govuk-error-message">'
                              '<span class="govuk-visually-hidden">Error:</span> {}</p>',
                              ((field.auto_id, e) for e in field.errors))
    group = "govuk-form-group" + (" govuk-form-group--error" if field.errors else "")
    if isinstance(widget, forms.RadioSelect | forms.CheckboxSelectMultiple):
        kind = "radios" if isinstance(widget, forms.RadioSelect) else "checkboxes"
        return format_html(
            '<div class="{}"><fieldset class="govuk-fieldset"{}><legend class="govuk-fieldset__'
            'legend govuk-fieldset__legend--s">{}</legend>{}{}{}</fieldset></div>', group,
            format_html(' aria-describedby="{}"', _described(field)) if _described(field) else "",
            field.label, hint, errors, _choices(field, kind))
    status = format_html('<p id="{}-status" class="govuk-hint" aria-live="polite"></p>',
                         field.auto_id) if autosave else ""
    return format_html('<div class="{}"><label class="govuk-label govuk-label--s" for="{}">{}'
                       '</label>{}{}{}{}</div>', group, field.auto_id, field.label, hint,
                       errors, mark_safe(_control(field, extra)),  # noqa: S308 (Django widget)
                       status)


@register.inclusion_tag("cases/_errors.html")
def error_summary(form):
    first = next(iter(form.fields), "")
    return {"form": form, "first": form[first].auto_id if first else ""}


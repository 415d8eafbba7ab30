"""Links that keep the dashboard's filters: to a figure's CSV and to a cell's drill-down."""

from urllib.parse import urlencode

from django import template
from django.urls import reverse

register = template.Library()


@register.simple_tag
def csv_url(app, key, query) -> str:
    return f"{reverse('dashboards:csv', args=[app, key])}?{urlencode(query)}"


@register.simple_tag
def xlsx_url(app, key, query) -> str:
    return f"{reverse('dashboards:xlsx', args=[app, key])}?{urlencode(query)}"


@register.simple_tag
def drill_url(app, key, row, column, query) -> str:
    params = {**query, "row": row, "col": column}
    return f"{reverse('dashboards:drilldown', args=[app, key])}?{urlencode(params)}"


@register.simple_tag
def app_url(app, query) -> str:
    base = reverse("dashboards:app", args=[app])
    return f"{base}?{urlencode(query)}" if query else base

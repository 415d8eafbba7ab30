"""Breadcrumbs sit on one line only with GOV.UK Frontend's own class: the task pages and the
meeting pages used 'govuk-breadcrumbs__item', which the framework does not have, so each
crumb stacked under the last (seen on the tour)."""

from pathlib import Path

import saferoptions

TEMPLATES = Path(saferoptions.__file__).parent


def test_no_template_uses_a_breadcrumb_class_gov_uk_frontend_lacks():
    wrong = [str(path.relative_to(TEMPLATES)) for path in TEMPLATES.rglob("*.html")
             if "govuk-breadcrumbs__item" in path.read_text(encoding="utf-8")]
    assert wrong == []

"""Every list in a form says what to choose: a ModelChoiceField left with Django's empty choice
opens on '---------', which tells nobody anything (seen on the tour on the outreach session,
workforce register, programme provider and sharing agreement forms)."""

import importlib
import inspect
import pkgutil

from django import forms

import saferoptions


def _forms():
    for info in pkgutil.walk_packages(saferoptions.__path__, "saferoptions."):
        if not info.name.rsplit(".", 1)[-1].endswith("forms"):
            continue
        module = importlib.import_module(info.name)
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                yield module.__name__, name, cls


def test_no_list_in_a_form_opens_on_dashes():
    dashes = [f"{module}.{name}.{field}" for module, name, cls in _forms()
              for field, f in cls.base_fields.items()
              if isinstance(f, forms.ModelChoiceField) and not f.widget.is_hidden
              and f.empty_label == "---------"]
    assert dashes == []


def test_the_walk_finds_the_forms_it_checks():
    found = {(module, name) for module, name, _ in _forms()}
    assert ("saferoptions.interventions.workforce_forms", "OutreachForm") in found
    assert ("saferoptions.access.forms", "AgreementForm") in found
    assert ("saferoptions.linkage.forms", "QueueFilterForm") in found

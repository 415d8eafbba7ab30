from django.apps import AppConfig


class InterventionsConfig(AppConfig):
    name = "saferoptions.interventions"
    label = "interventions"
    verbose_name = "Interventions: the catalogue and referrals"

    def ready(self) -> None:
        from saferoptions.audit import actions
        from saferoptions.core import navigation

        from . import audit_actions, nav

        # Words for this app's audit actions, and its links for the header and home
        # page (neither the audit search nor web imports an app).
        actions.register(audit_actions.ACTIONS)
        navigation.register(entries=nav.NAV_ENTRIES)

        from saferoptions.cases import next_steps

        # The Hub's "referral to an intervention" decision goes on to find support (cases
        # sits below this app, so it cannot name the page itself).
        next_steps.register_find_support(nav.find_support_url)

        from saferoptions.contexts import plan_hooks

        from .services import context_brokering

        # A placement's plan row moved on, or its context case closing, ends it and gives its
        # place back (contexts sits below this app, so it cannot name placements itself).
        plan_hooks.register(row_moving=context_brokering.plan_row_moving,
                            case_closing=context_brokering.case_closing)

        from . import access_rules

        # A provider team's active referrals and the case formulation, for the access policy.
        access_rules.register()

"""Sign in (password, then a one-time code; set-up on first sign-in), sign out, set a password."""

from django.conf import settings
from django.contrib import admin
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode, urlsafe_base64_decode
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods

from saferoptions.access.routes import PUBLIC, access_rule

from . import changes, demo, flow, lockout, otp, services
from .forms import CodeForm, SignInForm

# One message whatever went wrong, so a stranger cannot tell which usernames exist.
FAILED = "Enter a correct username and password"
WRONG_CODE = "The code is not correct. Check your authenticator app and enter the latest code"


def locked_message() -> str:
    """The lock-out message, with the wait the partnership configured."""
    minutes = max(1, settings.ACCOUNTS_LOCKOUT_SECONDS // 60)
    return f"There have been too many attempts to sign in. Wait {minutes} minutes, then try again"


def _guarded(view):
    return require_http_methods(["GET", "POST"])(never_cache(view))


@access_rule(PUBLIC)
@sensitive_post_parameters("password")
@_guarded
def sign_in(request):
    """Step one: username and password."""
    if request.user.is_authenticated:
        return redirect(flow.safe_next(request, request.GET.get("next")))
    chosen = demo_choice(request)
    form = SignInForm(request.POST if request.method == "POST" else None,
                      initial={"username": chosen.username} if chosen else None)
    if request.method == "POST" and form.is_valid():
        user = _check_password(request, form)
        if user is not None:
            flow.begin(request, user, request.POST.get("next"))
            return redirect("accounts:code" if otp.confirmed_device(user) else "accounts:set-up")
    context = {"form": form, "next": request.GET.get("next") or request.POST.get("next", ""),
               "notice": flow.pop_notice(request), "demo_accounts": demo_accounts(),
               "demo_chosen": chosen}
    return render(request, "accounts/sign_in.html", context, status=_status(request, form))


def _status(request, form) -> int:
    """400 for a form sent back with an error, as everywhere else on the site: the same for an
    unknown username, a wrong password and a locked account, so it tells a stranger nothing."""
    return 400 if request.method == "POST" and form.errors else 200


# --- the demo's sign-in panel (SAFEROPTIONS_DEMO=1 only; docs/accounts.md) ------------------

def demo_accounts() -> list[tuple[str, str]]:
    """The demo accounts to list on the sign-in page: none unless the demo is on."""
    return demo.listed() if settings.DEMO_MODE else []


def demo_choice(request) -> demo.DemoCredentials | None:
    """The demo account the newcomer chose (`?demo=USERNAME`), with its current code."""
    if not settings.DEMO_MODE or request.method != "GET":
        return None
    return demo.credentials(request.GET.get("demo", ""))


@access_rule(PUBLIC)
@never_cache
@require_http_methods(["GET"])
def demo_code(request, username):
    """The chosen demo account's details and current code, refreshed by the page (htmx).

    Answers 404 unless the demo is on and the username is one of the demo file's accounts.
    """
    chosen = demo.credentials(username) if settings.DEMO_MODE else None
    if chosen is None:
        raise Http404
    return render(request, "accounts/_demo_code.html", {"demo_chosen": chosen})


def _check_password(request, form):
    """The user if the password is right and nothing is locked; else adds the form error."""
    username = form.cleaned_data["username"]
    address = lockout.client_address(request)
    if lockout.is_locked(username=username, address=address):
        services.record_locked_attempt(username=username, address=address)
        form.add_error(None, locked_message())
        return None
    # Django's backend runs the password hasher for unknown usernames too (same timing).
    user = authenticate(request, username=username, password=form.cleaned_data["password"])
    if user is None:
        locked = services.record_failed_sign_in(username=username, address=address,
                                                stage="password")
        form.add_error(None, locked_message() if locked else FAILED)
    return user


@access_rule(PUBLIC)
@sensitive_post_parameters("code")
@_guarded
def enter_code(request):
    """Step two: the code from the authenticator app the user already set up."""
    user = flow.pending_user(request)
    if user is None:
        return redirect("accounts:sign-in")
    device = otp.confirmed_device(user)
    if device is None:
        return redirect("accounts:set-up")
    chosen = demo.credentials(user.get_username()) if settings.DEMO_MODE else None
    return _code_step(request, user, device, "accounts/code.html", {"demo_chosen": chosen})


@access_rule(PUBLIC)
@sensitive_post_parameters("code")
@_guarded
def set_up(request):
    """First sign-in: set up an authenticator app, then enter its first code."""
    user = flow.pending_user(request)
    if user is None:
        return redirect("accounts:sign-in")
    if otp.confirmed_device(user) is not None:
        return redirect("accounts:code")
    device = otp.enrolment_device(user)
    extra = {"qr_svg": otp.qr_svg(device), "secret": otp.secret_text(device),
             "issuer": otp.issuer(), "account_name": user.get_username()}
    return _code_step(request, user, device, "accounts/set_up.html", extra)


def _code_step(request, user, device, template, extra):
    form = CodeForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        address = lockout.client_address(request)
        username = user.get_username()
        if lockout.is_locked(username=username, address=address):
            services.record_locked_attempt(username=username, address=address)
            flow.abandon(request, notice="locked")
            return redirect("accounts:sign-in")
        if otp.check_code(device, form.cleaned_data["code"]):
            return _finish(request, user, device, address)
        if services.record_failed_sign_in(username=username, address=address, stage="code"):
            flow.abandon(request, notice="locked")
            return redirect("accounts:sign-in")
        form.add_error("code", WRONG_CODE)
    return render(request, template, {"form": form, **extra}, status=_status(request, form))


def _finish(request, user, device, address):
    destination = flow.next_url(request)
    if not device.confirmed:
        services.confirm_device(actor=user, device=device)
    flow.abandon(request)
    services.complete_sign_in(request, actor=user, device=device, address=address)
    return redirect(destination)


@access_rule(PUBLIC)
@_guarded
def sign_out(request):
    """Sign out: a button (POST), so a link or a prefetch cannot sign anyone out."""
    if request.method == "POST":
        if request.user.is_authenticated:
            services.sign_out(request, actor=request.user, reason="asked")
        flow.abandon(request, notice="signed_out")
        return redirect("accounts:sign-in")
    return render(request, "accounts/sign_out.html", {})


@access_rule(PUBLIC)
def admin_sign_in(request, extra_context=None):
    """Django admin's sign-in goes through ours, so it needs the one-time code too."""
    if request.user.is_authenticated:
        # Signed in but not a system administrator: the admin is not there for them (and
        # sending them to sign in again would loop back here).
        raise Http404
    target = request.GET.get("next") or reverse("admin:index")
    return redirect(f"{reverse('accounts:sign-in')}?{urlencode({'next': target})}")


@access_rule(PUBLIC)
def admin_sign_out(request, extra_context=None):
    """Django admin's sign-out is ours too, so it is audited like any other."""
    return sign_out(request)


@access_rule(PUBLIC)
def admin_password_change(request, extra_context=None):
    """Django admin's 'Change password' (one's own, giving the old one) is audited like every
    change to an account, in the same transaction: it changed the password with no audit row."""
    with transaction.atomic():
        response = admin.AdminSite.password_change(admin.site, request, extra_context)
        if request.method == "POST" and response.status_code == 302:
            services.record_own_password_change(actor=request.user, via="admin")
    return response


@access_rule(PUBLIC)
@sensitive_post_parameters("new_password1", "new_password2")
@_guarded
def set_password(request, uidb64, token):
    """The one-time link an administrator passed on: the user chooses their own password."""
    user = _link_user(uidb64, token)
    if user is None:
        return render(request, "accounts/link_expired.html", status=404)
    form = SetPasswordForm(user, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        changes.set_own_password(user=user, form=form)
        flow.abandon(request, notice="password_set")
        return redirect("accounts:sign-in")
    return render(request, "accounts/set_password.html", {"form": form, "account": user})


def _link_user(uidb64: str, token: str):
    try:
        pk = int(urlsafe_base64_decode(uidb64).decode())
    except (ValueError, UnicodeDecodeError):
        return None
    user = get_user_model().objects.filter(pk=pk, is_active=True).first()
    return user if user and default_token_generator.check_token(user, token) else None

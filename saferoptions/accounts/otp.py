"""Time-based one-time codes: the enrolment device, its QR code and checking a code."""

import base64
import time

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils.safestring import SafeString, mark_safe
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

ENROLMENT_DEVICE_NAME = "Authenticator app"


def confirmed_device(user) -> TOTPDevice | None:
    """The user's confirmed authenticator, if they have set one up."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("id").first()


def enrolment_device(user) -> TOTPDevice:
    """The unconfirmed device a user is setting up (one at a time; kept across reloads)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("id").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=ENROLMENT_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret as an authenticator app asks for it: base32, in groups of four."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(device: TOTPDevice) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return device.config_url


def qr_svg(device: TOTPDevice) -> SafeString:
    """The provisioning address as an inline SVG QR code (no image request, no inline script)."""
    image = qrcode.make(
        provisioning_uri(device), image_factory=qrcode.image.svg.SvgPathImage, border=4
    )
    svg = image.to_string(encoding="unicode")
    labelled = svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1
    )
    # qrcode generated this markup from our own data: it holds no user-supplied text.
    return mark_safe(labelled)  # noqa: S308


def current_code(device: TOTPDevice) -> str:
    """The code the device's authenticator would show now (demo accounts and tests only)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():0{device.digits}d}"


def check_code(device: TOTPDevice, code: str) -> bool:
    """True if the code is valid now and has not been used before (django-otp throttles too)."""
    code = (code or "").replace(" ", "")
    if not code.isdigit() or len(code) != device.digits:
        return False
    return device.verify_token(code)


def issuer() -> str:
    """The name authenticator apps show next to the code."""
    return settings.OTP_TOTP_ISSUER

"""What every page's layout needs: the service name and the signed-in user's role."""


def navigation(request):
    user = getattr(request, "user", None)
    role = user.get_role_display() if user is not None and user.is_authenticated else ""
    return {"service_name": "Safer Options", "user_role": role}

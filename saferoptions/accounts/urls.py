from django.urls import path

from . import views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.enter_code, name="code"),
    path("sign-in/set-up/", views.set_up, name="set-up"),
    path("sign-out/", views.sign_out, name="sign-out"),
]

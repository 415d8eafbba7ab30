from django.urls import path

from . import manage_views, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/code/", views.enter_code, name="code"),
    path("sign-in/set-up/", views.set_up, name="set-up"),
    # The demo only (SAFEROPTIONS_DEMO=1): a demo account's current one-time code; else 404.
    path("sign-in/demo/<str:username>/code/", views.demo_code, name="demo-code"),
    path("sign-out/", views.sign_out, name="sign-out"),
    path("set-password/<str:uidb64>/<str:token>/", views.set_password, name="set-password"),
    # Managing accounts (docs/accounts.md): system administrators, a second approver.
    path("manage/", manage_views.account_list, name="accounts"),
    path("manage/new/", manage_views.account_new, name="account-new"),
    path("manage/<int:pk>/", manage_views.account, name="account"),
    path("manage/<int:pk>/change/", manage_views.account_change, name="account-change"),
    path("manage/<int:pk>/password-link/", manage_views.account_password_link,
         name="account-password-link"),
    path("manage/<int:pk>/second-factor/", manage_views.account_second_factor,
         name="account-second-factor"),
    path("manage/changes/", manage_views.change_list, name="changes"),
    path("manage/changes/<int:pk>/", manage_views.change_decide, name="change"),
]

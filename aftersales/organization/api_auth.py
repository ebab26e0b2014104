"""The API's login: a token for a username and password (and a two-factor code), and its revocation."""

from django.contrib.auth.signals import user_logged_in
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from aftersales.core.authentication import token_expires_at

from . import services, twofactor
from .lockout import lockout_message


class LoginLockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = _("Too many failed logins.")
    default_code = "locked_out"


class TokenObtainSerializer(AuthTokenSerializer):
    token = None  # the answer's field (TokenSerializer), not the request's
    otp_token = serializers.CharField(
        label=_("Two-factor code"),
        required=False,
        allow_blank=True,
        max_length=12,
        write_only=True,
        help_text=_("The code of the user's authenticator app, for users who use two-factor authentication."),
    )


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text=_("Send it as the header `Authorization: Token <token>`."))
    expires_at = serializers.DateTimeField(allow_null=True, help_text=_("When the token stops working (null: never)."))


_DETAIL = inline_serializer("Detail", {"detail": serializers.CharField()})


class TokenObtainApi(ObtainAuthToken):
    """Exchange a username and password (and a two-factor code, when the user has a device) for a token.

    The token is the same until it expires (``expires_at``); then a new one is issued. Failed logins
    count towards the same lockout as the login page's.
    """

    serializer_class = TokenObtainSerializer
    authentication_classes = []  # a login does not depend on credentials the client also sent

    @extend_schema(
        request=TokenObtainSerializer,
        responses={
            200: TokenSerializer,
            400: OpenApiResponse(OpenApiTypes.OBJECT, description=_("Wrong username, password or two-factor code.")),
            403: OpenApiResponse(_DETAIL, description=_("Two-factor authentication must be set up on the website first.")),
            429: OpenApiResponse(_DETAIL, description=_("Locked out after too many failed logins.")),
        },
        auth=[],
        tags=["auth"],
    )
    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        valid = serializer.is_valid()
        # django-axes marks the request it was given (DRF's, here) when the login was refused as locked out.
        if getattr(request, "axes_locked_out", False):
            raise LoginLockedOut(lockout_message())
        if not valid:
            raise exceptions.ValidationError(serializer.errors)
        user = serializer.validated_data["user"]
        step = twofactor.token_login_check(user, serializer.validated_data.get("otp_token"))
        if step == twofactor.STEP_ENROL:
            raise exceptions.PermissionDenied(
                _("Set up two-factor authentication on the website before using the API.")
            )
        if step == twofactor.STEP_VERIFY:
            raise exceptions.ValidationError({"otp_token": [_("Enter the current code of your authenticator app.")]})
        token = services.api_token_issue(user=user)
        # A token login is a login: the last-login time, and django-axes clears this client's failures.
        user_logged_in.send(sender=user.__class__, request=request, user=user)
        return Response(TokenSerializer({"token": token.key, "expires_at": token_expires_at(token)}).data)


class TokenRevokeApi(APIView):
    """Revoke the caller's API token: it is refused from the next request on."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: OpenApiResponse(description=_("The token was revoked."))}, tags=["auth"])
    def post(self, request):
        services.api_token_revoke(user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)

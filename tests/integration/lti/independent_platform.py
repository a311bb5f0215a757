"""An LTI 1.3 platform built from `lti1p3platform` (an independent implementation of the
platform side) behind a few lines of Flask: its own RSA key and JWKS, the OIDC third-party
initiated login towards the tool, and the authorization endpoint answering with the
library's auto-submitting id_token form for an LtiResourceLinkRequest.

Deviations from the library, each to keep this platform within the specification:
- The launch form is the library's own `framework/templates/launch.html`, loaded with Jinja2
  directly (with autoescaping): the library's `framework.templates` module imports
  `pkg_resources`, which needs setuptools and is deprecated.
- The library does not check the authentication request (OIDC Core 3.1.2.1 and LTI 1.3
  / 1EdTech Security Framework 5.1.1.2); `authorize` checks scope, response_type,
  response_mode, prompt, the registered redirect_uri and the login_hint before the library
  signs anything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import Flask, abort, jsonify, redirect, request
from jinja2 import Environment, PackageLoader, select_autoescape
from lti1p3platform.ltiplatform import LTI1P3PlatformConfAbstract
from lti1p3platform.message_launch import MessageLaunchAbstract
from lti1p3platform.oidc_login import OIDCLoginAbstract
from lti1p3platform.registration import Registration
from lti1p3platform.request import Request, TRequest

LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"

_templates = Environment(loader=PackageLoader("lti1p3platform.framework", "templates"),
                         autoescape=select_autoescape(default=True))


@dataclass(frozen=True)
class User:
    user_id: str
    name: str
    email: str
    roles: list[str] = field(default_factory=lambda: [LEARNER])


@dataclass(frozen=True)
class PlatformSettings:
    issuer: str
    client_id: str
    deployment_id: str
    tool_login_url: str
    tool_launch_url: str
    tool_jwks_url: str
    users: dict[str, User]
    context_id: str = "course-indep-1"
    context_title: str = "Independent Platform Course"


def _rsa_pem_pair() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    return private, public


class FlaskRequest(Request):
    def build_metadata(self, request: Any) -> TRequest:
        return {"method": request.method, "form_data": request.form.to_dict(),
                "get_data": request.args.to_dict(), "headers": request.headers,
                "content_type": request.content_type, "path": request.path,
                "json": request.get_json(silent=True)}


class PlatformConf(LTI1P3PlatformConfAbstract):
    def init_platform_config(self, **kwargs: Any) -> None:
        s: PlatformSettings = kwargs["settings"]
        self._registration = (
            Registration().set_iss(s.issuer).set_client_id(s.client_id)
            .set_deployment_id(s.deployment_id).set_launch_url(s.tool_launch_url)
            .set_oidc_login_url(s.tool_login_url).set_tool_key_set_url(s.tool_jwks_url)
            .set_platform_private_key(kwargs["private_key"])
            .set_platform_public_key(kwargs["public_key"]))

    def get_registration_by_params(self, **kwargs: Any) -> Registration:
        assert self._registration is not None
        return self._registration


class OIDCLogin(OIDCLoginAbstract):
    def set_lti_message_hint(self, **kwargs: Any) -> None:
        self._lti_message_hint = kwargs["resource_link_id"]

    def get_redirect(self, url: str) -> Any:
        return redirect(url)


class ResourceLinkLaunch(MessageLaunchAbstract):
    settings: PlatformSettings

    def prepare_launch(self, preflight_response: dict[str, Any]) -> None:
        user = self.settings.users[preflight_response["login_hint"]]
        self.set_user_data(user.user_id, user.roles, full_name=user.name,
                           email_address=user.email)
        self.set_resource_link_claim(preflight_response["lti_message_hint"],
                                     title="Independent platform link")
        self.set_launch_context_claim(
            self.settings.context_id, context_title=self.settings.context_title,
            context_types=["http://purl.imsglobal.org/vocab/lis/v2/course#CourseOffering"])

    def render_launch_form(self, launch_data: dict[str, Any], **kwargs: Any) -> Any:
        return _templates.get_template("launch.html").render(launch_data)


def _check_authentication_request(params: dict[str, str], s: PlatformSettings) -> None:
    expected = {"scope": "openid", "response_type": "id_token", "response_mode": "form_post",
                "prompt": "none", "client_id": s.client_id, "redirect_uri": s.tool_launch_url}
    for name, value in expected.items():
        if params.get(name) != value:
            abort(400, f"authentication request: {name}={params.get(name)!r}, want {value!r}")
    if params.get("login_hint") not in s.users or not params.get("lti_message_hint"):
        abort(400, "authentication request: unknown login_hint or no lti_message_hint")


def create_platform_app(settings: PlatformSettings) -> Flask:
    private_key, public_key = _rsa_pem_pair()
    app = Flask(__name__)

    def platform() -> PlatformConf:
        return PlatformConf(settings=settings, private_key=private_key, public_key=public_key)

    @app.get("/jwks")
    def jwks() -> Any:
        return jsonify(platform().get_jwks())

    @app.get("/launch/<link_id>")
    def launch(link_id: str) -> Any:
        """The learner clicks a link: third-party initiated login at the tool."""
        login = OIDCLogin(FlaskRequest(request), platform())
        login.set_lti_message_hint(resource_link_id=link_id)
        return login.initiate_login(request.args["user"])

    @app.route("/authorize", methods=["GET", "POST"])
    def authorize() -> Any:
        _check_authentication_request(request.values.to_dict(), settings)
        message = ResourceLinkLaunch(FlaskRequest(request), platform())
        message.settings = settings
        return message.lti_launch()

    return app

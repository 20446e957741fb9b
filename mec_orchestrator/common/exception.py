#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.

"""The project's exceptions.

Every exception carries the HTTP status and the ProblemDetails ``title`` it
maps to, so that the API layer turns any of them into an
``application/problem+json`` document without a lookup table, and the RPC
layer can re-raise them on the caller's side (``expected_exceptions``).

Messages are formatted from ``msg_fmt`` and keyword arguments; a message must
never contain a credential.
"""

import http

from mec_orchestrator.common.i18n import _


class MecOrchestratorException(Exception):
    """Base of every exception the project raises on purpose.

    :param message: the detail, already formatted; else ``msg_fmt`` is
        formatted with ``kwargs``.
    """

    msg_fmt = _("An unknown exception occurred.")
    code = http.HTTPStatus.INTERNAL_SERVER_ERROR
    #: ProblemDetails ``type``; ``about:blank`` means "see the status".
    problem_type = "about:blank"
    #: Whether the detail may be shown to the API user. A 5xx never shows its
    #: text: it may reveal internals.
    safe = True

    def __init__(self, message=None, **kwargs):
        self.kwargs = kwargs
        if not message:
            try:
                message = self.msg_fmt % kwargs
            except (KeyError, TypeError, ValueError):
                message = self.msg_fmt
        self.message = str(message)
        super().__init__(self.message)

    @property
    def title(self):
        """The ProblemDetails title: the phrase of the HTTP status."""
        return http.HTTPStatus(self.code).phrase

    def __str__(self):
        return self.message


# -- 4xx ---------------------------------------------------------------------

class Invalid(MecOrchestratorException):
    msg_fmt = _("Invalid request: %(reason)s")
    code = http.HTTPStatus.BAD_REQUEST


class InvalidParameterValue(Invalid):
    msg_fmt = _("%(err)s")


class MalformedRequestBody(Invalid):
    msg_fmt = _("Malformed request body: %(reason)s")


class NotAuthorized(MecOrchestratorException):
    msg_fmt = _("Authentication required.")
    code = http.HTTPStatus.UNAUTHORIZED


class Forbidden(MecOrchestratorException):
    msg_fmt = _("Not authorized to perform %(action)s.")
    code = http.HTTPStatus.FORBIDDEN


class PolicyNotAuthorized(Forbidden):
    msg_fmt = _("Policy does not allow %(action)s to be performed.")


class NotFound(MecOrchestratorException):
    msg_fmt = _("Resource could not be found.")
    code = http.HTTPStatus.NOT_FOUND


class ResourceNotFound(NotFound):
    msg_fmt = _("%(resource)s %(id)s could not be found.")


class ConductorNotFound(NotFound):
    msg_fmt = _("Conductor %(conductor)s could not be found.")


class VimNotFound(NotFound):
    msg_fmt = _("VIM %(vim)s could not be found.")


class MecHostNotFound(NotFound):
    msg_fmt = _("MEC host %(host)s could not be found.")


# -- VIM registration and checks (the reason is the VIM's own, never a
#    credential) --------------------------------------------------------------

class VimAuthFailed(Invalid):
    msg_fmt = _("The VIM refused the credentials: %(reason)s")


class VimUnreachable(Invalid):
    msg_fmt = _("The VIM cannot be reached: %(reason)s")


class VimCheckNotSupported(VimUnreachable):
    msg_fmt = _("The %(type)s VIM driver cannot check VIMs yet: %(reason)s")


class VimMissingServices(Invalid):
    msg_fmt = _("The VIM's service catalog (region %(region)s) lacks "
                "required services: %(services)s.")


class MethodNotAllowed(MecOrchestratorException):
    msg_fmt = _("Method %(method)s is not allowed on this resource.")
    code = http.HTTPStatus.METHOD_NOT_ALLOWED


class NotAcceptable(MecOrchestratorException):
    msg_fmt = _("None of the accepted media types can be produced: "
                "%(accept)s.")
    code = http.HTTPStatus.NOT_ACCEPTABLE


class Conflict(MecOrchestratorException):
    msg_fmt = _("Conflict: %(reason)s")
    code = http.HTTPStatus.CONFLICT


class DuplicateName(Conflict):
    msg_fmt = _("A %(resource)s named %(name)s already exists.")


class InvalidState(Conflict):
    msg_fmt = _("%(resource)s %(id)s is in state %(state)s, which does not "
                "allow this operation: %(reason)s")


class InvalidStateTransition(Conflict):
    msg_fmt = _("%(machine)s: no transition from %(source)s to %(target)s.")


class OperationInProgress(Conflict):
    msg_fmt = _("%(resource)s %(id)s already has an operation in progress: "
                "%(op_occ)s.")


class AppInstanceNotFound(NotFound):
    msg_fmt = _("App instance %(instance_id)s could not be found.")


class AppLcmOpOccNotFound(NotFound):
    msg_fmt = _("App LCM operation occurrence %(op_occ_id)s could not be "
                "found.")


class TrafficRuleNotSupported(Invalid):
    msg_fmt = _("Traffic rule %(rule_id)s cannot be realised: %(reason)s")


class MepAppNotFound(NotFound):
    msg_fmt = _("App instance %(app_instance_id)s is not known to this MEC "
                "platform.")


class MepResourceNotFound(NotFound):
    msg_fmt = _("%(resource)s %(id)s of app instance %(app_instance_id)s "
                "could not be found.")


class MepServiceNotFound(NotFound):
    msg_fmt = _("Service %(service_id)s could not be found.")


class MepSubscriptionNotFound(NotFound):
    msg_fmt = _("Subscription %(subscription_id)s could not be found.")


class DuplicateService(Conflict):
    msg_fmt = _("App instance %(app_instance_id)s already registered a "
                "service named %(ser_name)s: %(service_id)s.")


class VimInUse(Conflict):
    msg_fmt = _("VIM %(vim)s still hosts %(count)d app instances; "
                "terminate them first.")


class HostGenerationConflict(Conflict):
    msg_fmt = _("MEC host %(host)s changed while capacity was claimed on "
                "it.")


class NoValidHost(Conflict):
    msg_fmt = _("No valid MEC host: %(reason)s")


class PreconditionFailed(MecOrchestratorException):
    msg_fmt = _("Precondition failed: %(reason)s")
    code = http.HTTPStatus.PRECONDITION_FAILED


class RequestEntityTooLarge(MecOrchestratorException):
    msg_fmt = _("Request body of %(size)s bytes exceeds the limit of "
                "%(limit)s bytes.")
    code = http.HTTPStatus.REQUEST_ENTITY_TOO_LARGE


class UnsupportedMediaType(MecOrchestratorException):
    msg_fmt = _("Content type %(content_type)s is not supported; use "
                "%(expected)s.")
    code = http.HTTPStatus.UNSUPPORTED_MEDIA_TYPE


class UnprocessableEntity(MecOrchestratorException):
    msg_fmt = _("Unprocessable entity: %(reason)s")
    code = http.HTTPStatus.UNPROCESSABLE_ENTITY


# -- 5xx ---------------------------------------------------------------------

class ServiceUnavailable(MecOrchestratorException):
    msg_fmt = _("Service unavailable: %(reason)s")
    code = http.HTTPStatus.SERVICE_UNAVAILABLE


class NoConductorAvailable(ServiceUnavailable):
    msg_fmt = _("No conductor is available to take the request.")


class DriverLoadError(MecOrchestratorException):
    msg_fmt = _("Driver %(name)s in namespace %(namespace)s could not be "
                "loaded: %(reason)s")
    safe = False


class InfraError(MecOrchestratorException):
    """A VIM failed to create, operate or delete an app's resources.

    The detail is the VIM's own reason (Heat's status reason, a compute
    fault); it never carries a credential, so the op-occ may show it.
    """

    msg_fmt = _("The VIM failed: %(reason)s")
    code = http.HTTPStatus.BAD_GATEWAY


class InfraTimeout(InfraError):
    msg_fmt = _("The VIM did not finish %(action)s within %(timeout)d s.")
    code = http.HTTPStatus.GATEWAY_TIMEOUT


class DBError(MecOrchestratorException):
    msg_fmt = _("Database error.")
    safe = False


class KeyRepositoryError(ServiceUnavailable):
    """The credential key repository is missing or unusable.

    The detail (a path) is for the log; the API user sees the status only.
    """

    msg_fmt = _("Credential key repository %(path)s is not usable: "
                "%(reason)s")
    safe = False


class DecryptionFailed(MecOrchestratorException):
    msg_fmt = _("A secret could not be decrypted with the keys of the "
                "key repository.")
    safe = False

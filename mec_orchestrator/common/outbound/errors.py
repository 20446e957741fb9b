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

"""Exceptions of outbound requests.

Two families: :class:`OutboundRequestRefused` (an :class:`Invalid`, a 400)
when the request breaks the policy (scheme, address, redirects, size): the
URI the user gave is at fault; :class:`OutboundRequestFailed` (a 502) when
the remote side or the network failed, which may be worth retrying.

Messages name the URL without its user information, query or fragment
(:func:`mec_orchestrator.common.outbound.urls.redact`), and never name an
address that was learnt from DNS: the user learns the category of the
address (loopback, private...), the operator's log has the address.
"""

import http

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _


class OutboundRequestRefused(exception.Invalid):
    """The request breaks the outbound policy; it was not (fully) made.

    :param url: the URL, already redacted.
    :param reason: why, safe to show to the user.
    """

    msg_fmt = _("Outbound request to %(url)s refused: %(reason)s")

    @property
    def reason(self):
        return self.kwargs.get('reason')


class OutboundResponseTooLarge(OutboundRequestRefused):
    """The response body is larger than the limit; reading was aborted.

    :param url: the URL, already redacted.
    :param limit: the limit in bytes.
    """

    msg_fmt = _("Outbound request to %(url)s refused: the response is "
                "larger than the limit of %(limit)s bytes")


class ChecksumMismatch(exception.Invalid):
    """Downloaded content does not match the checksum it was expected to.

    :param url: the URL, already redacted.
    :param algorithm: the algorithm, as the caller named it.
    """

    msg_fmt = _("The content downloaded from %(url)s does not match its "
                "%(algorithm)s checksum")


class OutboundRequestFailed(exception.MecOrchestratorException):
    """The request could not be completed: network, TLS or remote error.

    :param url: the URL, already redacted.
    :param reason: what went wrong, safe to show to the user.
    """

    msg_fmt = _("Outbound request to %(url)s failed: %(reason)s")
    code = http.HTTPStatus.BAD_GATEWAY

    @property
    def reason(self):
        return self.kwargs.get('reason')


class OutboundTimeout(OutboundRequestFailed):
    """A connect, read or total time limit was reached."""


class OutboundHTTPError(OutboundRequestFailed):
    """The remote server answered with an unexpected (non-2xx) status.

    :param url: the URL, already redacted.
    :param status_code: the HTTP status of the answer.
    """

    msg_fmt = _("Outbound request to %(url)s failed: the server answered "
                "HTTP %(status_code)s")

    @property
    def status_code(self):
        return self.kwargs.get('status_code')

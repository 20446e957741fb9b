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

"""Errors raised while reading an application package.

Every error is an :class:`~mec_orchestrator.common.exception.Invalid` (HTTP
400): the package, not the service, is at fault. Each message names the
offending member, field or import so that an app provider can fix the
package from the message alone; none carries a traceback or a local path of
the server. The keyword arguments are kept on ``exc.kwargs`` (for example
``exc.kwargs['member']``) for callers that want to build their own message.
"""

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _


class InvalidPackage(exception.Invalid):
    """Base of every package error."""

    msg_fmt = _("Invalid application package: %(reason)s")


# -- the archive -------------------------------------------------------------

class UnsafeMember(InvalidPackage):
    """A member whose name or type could escape or confuse the reader."""

    msg_fmt = _("Package member '%(member)s' is refused: %(reason)s.")


class PackageTooLarge(InvalidPackage):
    """A count or size limit was exceeded."""

    msg_fmt = _("Package too large: %(reason)s.")


class CompressionRatioExceeded(PackageTooLarge):
    """A member decompresses to far more than its compressed size."""

    msg_fmt = _("Package member '%(member)s' expands %(ratio)s times, more "
                "than the limit of %(limit)s (possible ZIP bomb).")


# -- metadata and manifest ---------------------------------------------------

class MissingToscaMeta(InvalidPackage):
    msg_fmt = _("The package has no TOSCA-Metadata/TOSCA.meta and no single "
                "YAML file at its root to use instead: %(reason)s.")


class InvalidToscaMeta(InvalidPackage):
    msg_fmt = _("Invalid metadata file '%(member)s': %(reason)s.")


class MissingEntryDefinitions(InvalidPackage):
    msg_fmt = _("The package's entry definitions cannot be found: "
                "%(reason)s.")


class InvalidManifest(InvalidPackage):
    msg_fmt = _("Invalid manifest '%(member)s': %(reason)s.")


class ManifestMismatch(InvalidPackage):
    """A file does not match the digest the manifest gives for it."""

    msg_fmt = _("File '%(member)s' does not match the manifest: %(reason)s.")


class ManifestMissingFile(ManifestMismatch):
    """The manifest lists a file that the package does not contain."""

    msg_fmt = _("The manifest '%(manifest)s' lists '%(member)s', which is "
                "not in the package.")


# -- signatures --------------------------------------------------------------

class SignatureInvalid(InvalidPackage):
    """The signature does not verify: the content or signature was altered."""

    msg_fmt = _("The signature '%(member)s' is not valid for '%(signed)s': "
                "%(reason)s.")


class UntrustedSignature(InvalidPackage):
    """The signature is intact but its signer is not trusted."""

    msg_fmt = _("The signature '%(member)s' was made by a certificate that "
                "is not trusted: %(reason)s.")


class UnsignedPackage(InvalidPackage):
    msg_fmt = _("The package is not signed and unsigned packages are not "
                "accepted: %(reason)s.")


# -- YAML --------------------------------------------------------------------

class YamlInvalid(InvalidPackage):
    msg_fmt = _("'%(member)s' is not a valid YAML or JSON document: "
                "%(reason)s.")


class YamlTooLarge(InvalidPackage):
    msg_fmt = _("'%(member)s' is %(size)s bytes, more than the limit of "
                "%(limit)s bytes for a YAML or JSON document.")


class YamlBomb(InvalidPackage):
    """Aliases, nesting or merges that would expand beyond the limits."""

    msg_fmt = _("'%(member)s' is refused: %(reason)s.")


# -- TOSCA and the AppD ------------------------------------------------------

class ToscaInvalid(InvalidPackage):
    """tosca-parser rejected the template; ``reason`` is its message."""

    msg_fmt = _("The TOSCA template '%(member)s' is not valid: %(reason)s")


class MissingImport(InvalidPackage):
    msg_fmt = _("The import '%(name)s' of '%(member)s' cannot be resolved: "
                "%(reason)s.")


class AppDInvalid(InvalidPackage):
    """The normalized AppD misses mandatory fields or has wrong types.

    ``exc.kwargs['fields']`` lists the offending field paths.
    """

    msg_fmt = _("The application descriptor in '%(member)s' is not valid: "
                "%(reason)s")

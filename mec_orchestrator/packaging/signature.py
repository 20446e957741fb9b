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

"""CMS signature verification for ETSI NFV SOL004 packages.

**Why the openssl command and not a Python library.** ``cryptography``
(the project's crypto dependency) can *create* PKCS#7/CMS signatures but
has no public API to *verify* one: its only verifier is a private test
helper, and its X.509 path validation (``cryptography.x509.verification``)
is built for TLS server and client certificates (it insists on the
serverAuth/clientAuth extended key usage), not for code-signing
certificates. The alternatives on PyPI (``asn1crypto`` + ``oscrypto``,
``endesive``) are either unmaintained or pull in a second crypto stack.
``openssl cms -verify`` is the reference implementation of CMS, is present
wherever OpenStack runs, and does both the signature and the chain check.
It is run without a shell, with a fixed argument list, a timeout and only
files this module wrote into the reader's private temporary directory;
its error output is reduced to one phrase before it reaches a message, so
no server path leaks.

Verification is done in two steps, so that the two failures a user must
tell apart are told apart:

1. ``-noverify``: is the signature intact for this content and the signer
   certificate it names? If not: :class:`SignatureInvalid` (the content or
   the signature was altered).
2. with the trust store only (``-CAfile`` built from it, ``-no-CApath
   -no-CAstore`` so that the system's CAs are never consulted, and
   ``-partial_chain`` so that an intermediate CA put in the trust store is
   an anchor of its own): does the signer chain up to a trusted CA? If
   not: :class:`UntrustedSignature`.

Signatures are detached (the content is the manifest, or the CSAR for a
signed container) and checked in binary mode (no MIME canonicalization).
Any key usage is accepted (``-purpose any``): SOL004 does not constrain it.
"""

import dataclasses
import os
import re
import shutil
import subprocess

from cryptography.hazmat.primitives import serialization
from cryptography import x509

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.packaging import errors

_TIMEOUT = 60
_CERT_SUFFIXES = ('.pem', '.crt', '.cer', '.cert')


class SignatureToolMissing(exception.MecOrchestratorException):
    """The openssl command needed to verify signatures is not installed."""

    msg_fmt = _("Package signatures cannot be verified: the openssl command "
                "is not available on this host.")
    safe = False


@dataclasses.dataclass
class SignatureInfo:
    """What a verified signature tells."""

    #: ``manifest`` (SOL004 option 1) or ``container`` (option 2).
    kind: str
    #: The signature's member path.
    member: str
    #: Subject of the signer certificate, RFC 4514 string.
    signer: str = None
    #: True if the signer chains up to the trust store.
    trusted: bool = False

    def as_dict(self):
        return dataclasses.asdict(self)


def load_trust_store(path):
    """Read the CA certificates of a trust store.

    :param path: a directory of PEM files (``*.pem``, ``*.crt``, ``*.cer``,
        ``*.cert``) or one PEM bundle file.
    :returns: a list of ``cryptography`` certificates (possibly empty).
    :raises ValueError: the path does not exist or a file is not PEM.
    """
    if os.path.isdir(path):
        files = sorted(os.path.join(path, name) for name in os.listdir(path)
                       if name.lower().endswith(_CERT_SUFFIXES))
    elif os.path.isfile(path):
        files = [path]
    else:
        raise ValueError('trust store %s does not exist' % path)
    certs = []
    for name in files:
        if not os.path.isfile(name):
            continue
        with open(name, 'rb') as handle:
            certs.extend(x509.load_pem_x509_certificates(handle.read()))
    return certs


def load_certificates(data):
    """Certificates from PEM or DER bytes (a ``.cert`` file)."""
    if b'-----BEGIN' in data:
        return x509.load_pem_x509_certificates(data)
    return [x509.load_der_x509_certificate(data)]


def _pem(certs):
    return b''.join(cert.public_bytes(serialization.Encoding.PEM)
                    for cert in certs)


def _openssl():
    path = shutil.which('openssl')
    if not path:
        raise SignatureToolMissing()
    return path


def _reason(stderr, scratch_dirs):
    """Reduce openssl's error output to one phrase without paths."""
    text = stderr.decode('utf-8', 'replace')
    for folder in scratch_dirs:
        text = text.replace(folder, '<tmp>')
    match = re.search(r'Verify error:\s*([^\n]+)', text)
    if match:
        return 'certificate verify error: ' + match.group(1).strip()
    lowered = text.lower()
    for needle, phrase in (
            ('signer certificate not found', 'the signer certificate is '
                                             'neither in the signature nor '
                                             'in the package'),
            ('content verify error', 'the signed content was altered'),
            ('digest failure', 'the signed content was altered'),
            ('verification failure', 'the signature does not match the '
                                     'signed content'),
            ('no content type', 'the signature is not a CMS structure'),
            ('asn1', 'the signature is not a valid CMS structure'),
            ('not enough data', 'the signature is truncated')):
        if needle in lowered:
            return phrase
    first = next((line for line in text.splitlines() if line.strip()),
                 'openssl failed')
    return first.strip()[:200]


def verify_detached(content_path, signature_der, scratch, *, member,
                    signed_name, kind, extra_certs=None, trust_store=None):
    """Verify a detached CMS signature over a file.

    :param content_path: path of the signed content, in ``scratch``.
    :param signature_der: the CMS SignedData, DER.
    :param scratch: the :class:`~mec_orchestrator.packaging.archive.Scratch`
        to write the signature and certificates to.
    :param member: the signature's name in the package, for messages.
    :param signed_name: the signed file's name in the package, for messages.
    :param kind: ``manifest`` or ``container``.
    :param extra_certs: certificates to consider besides those in the
        signature (the package's ``.cert``), a list.
    :param trust_store: a list of CA certificates, or None to check
        integrity only.
    :returns: a :class:`SignatureInfo`.
    :raises SignatureInvalid: the signature does not verify.
    :raises UntrustedSignature: intact, but the signer is not trusted.
    :raises SignatureToolMissing: openssl is not installed.
    """
    openssl = _openssl()
    sig_path = scratch.write(signature_der, '.cms')
    signer_path = scratch.new_file('.signer.pem')
    base = [openssl, 'cms', '-verify', '-binary', '-inform', 'DER',
            '-in', sig_path, '-content', content_path, '-purpose', 'any',
            '-out', os.devnull]
    if extra_certs:
        base += ['-certfile', scratch.write(_pem(extra_certs), '.pem')]
    folders = [os.path.dirname(sig_path)]

    result = _run(base + ['-noverify', '-signer', signer_path], member,
                  signed_name)
    if result.returncode != 0:
        raise errors.SignatureInvalid(member=member, signed=signed_name,
                                      reason=_reason(result.stderr, folders))
    info = SignatureInfo(kind=kind, member=member)
    with open(signer_path, 'rb') as handle:
        signers = handle.read()
    if signers.strip():
        info.signer = x509.load_pem_x509_certificates(
            signers)[0].subject.rfc4514_string()
    if trust_store is None:
        return info
    if not trust_store:
        raise errors.UntrustedSignature(
            member=member, reason='the trust store holds no certificate')
    ca_path = scratch.write(_pem(trust_store), '.ca.pem')
    result = _run(base + ['-CAfile', ca_path, '-no-CApath', '-no-CAstore',
                          '-partial_chain'], member, signed_name)
    if result.returncode != 0:
        raise errors.UntrustedSignature(
            member=member, reason=_reason(result.stderr, folders))
    info.trusted = True
    return info


def _run(argv, member, signed_name):
    try:
        # A fixed argument list of files this module wrote; no shell.
        return subprocess.run(argv, capture_output=True,  # noqa: S603
                              timeout=_TIMEOUT,
                              check=False, stdin=subprocess.DEVNULL,
                              env={'PATH': os.environ.get('PATH', ''),
                                   'LC_ALL': 'C'})
    except subprocess.TimeoutExpired:
        raise errors.SignatureInvalid(member=member, signed=signed_name,
                                      reason='verification timed out')
    except OSError:
        raise SignatureToolMissing()

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

"""The outbound HTTP client: every request to a URI a user gave.

:func:`request` serves API-style requests (notifications, token requests,
callback tests) and :func:`fetch_to_file` downloads (application packages).
Both:

* accept ``http`` and ``https`` URLs only;
* resolve each host once and connect to the checked address
  (:mod:`.urls`, :mod:`.transport`), refusing what the address policy
  refuses (:mod:`.addresses`);
* follow redirects themselves, checking every hop, up to
  ``[outbound] max_redirects``; credentials are only sent to the origin
  of the first URL, and an ``https`` to ``http`` redirect is refused;
* bound the connect and read waits, the total time and the size of the
  response body, which is streamed;
* ignore the environment (proxies, ``.netrc``) and verify certificates.
"""

import contextlib
import dataclasses
import datetime
import email.utils
import hashlib
import hmac
import os
import ssl
import tempfile
import time
import urllib.parse

from oslo_log import log
from oslo_serialization import jsonutils
import requests
from requests import structures
from urllib3 import exceptions as urllib3_exc

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.common.outbound import addresses
from mec_orchestrator.common.outbound import errors
from mec_orchestrator.common.outbound import transport
from mec_orchestrator.common.outbound import urls
from mec_orchestrator import conf
from mec_orchestrator import version

LOG = log.getLogger(__name__)
CONF = conf.CONF

CHUNK_SIZE = 64 * 1024
USER_AGENT = 'mec-orchestrator/%s' % version.version_string()

_REDIRECTS = (301, 302, 303, 307, 308)
_ORIGIN_HEADERS = ('authorization', 'cookie', 'proxy-authorization')
_BODY_HEADERS = ('content-type', 'content-length', 'transfer-encoding')


@dataclasses.dataclass(frozen=True)
class Response(object):
    """The answer to :func:`request`, its body read.

    :ivar status_code: the HTTP status.
    :ivar headers: the headers (case-insensitive mapping).
    :ivar content: the body, bytes.
    :ivar url: the URL of the last hop (no user information).
    """

    status_code: int
    headers: structures.CaseInsensitiveDict
    content: bytes
    url: str

    @property
    def ok(self):
        """Whether the status is 2xx."""
        return 200 <= self.status_code < 300

    def json(self):
        """The body as JSON.

        :raises: ValueError if it is not JSON.
        """
        return jsonutils.loads(self.content)

    @property
    def retry_after(self):
        """Seconds the server asks to wait (``Retry-After``), or None.

        Both forms are understood: delay-seconds and an HTTP date.
        """
        value = (self.headers.get('Retry-After') or '').strip()
        if not value:
            return None
        if value.isdigit():
            return float(value)
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=datetime.timezone.utc)
        now = datetime.datetime.now(datetime.timezone.utc)
        return max((when - now).total_seconds(), 0.0)

    def raise_for_status(self):
        """:raises: OutboundHTTPError unless the status is 2xx."""
        if not self.ok:
            raise errors.OutboundHTTPError(url=urls.redact(self.url),
                                           status_code=self.status_code)


@dataclasses.dataclass(frozen=True)
class FetchResult(object):
    """What :func:`fetch_to_file` wrote.

    :ivar path: the file.
    :ivar size: its size in bytes.
    :ivar sha256: its SHA-256, hexadecimal.
    :ivar sha512: its SHA-512, hexadecimal.
    :ivar digests: every digest computed, by :mod:`hashlib` name.
    :ivar content_type: the ``Content-Type`` the server gave, or None.
    :ivar url: the URL of the last hop (no user information).
    """

    path: str
    size: int
    sha256: str
    sha512: str
    digests: dict
    content_type: str
    url: str


class _Deadline(object):
    """The total time limit of one request, redirects included."""

    def __init__(self, seconds):
        self.seconds = seconds
        self.end = time.monotonic() + seconds

    def remaining(self):
        return self.end - time.monotonic()

    def check(self, target):
        """:raises: OutboundTimeout once the limit is reached."""
        if self.remaining() <= 0:
            raise errors.OutboundTimeout(
                url=target.redacted,
                reason=_('the total time limit of %s seconds was reached')
                % self.seconds)

    def timeouts(self):
        """(connect, read) timeouts for requests, within the limit."""
        left = max(self.remaining(), 0.001)
        return (min(CONF.outbound.connect_timeout, left),
                min(CONF.outbound.read_timeout, left))


def _chain(exc):
    """An exception and what caused it, urllib3's ``reason`` included."""
    seen = []
    todo = [exc]
    while todo:
        current = todo.pop(0)
        if (not isinstance(current, BaseException)
                or any(current is s for s in seen)):
            continue
        seen.append(current)
        todo.extend([current.__cause__, current.__context__,
                     getattr(current, 'reason', None)])
        todo.extend(a for a in current.args if isinstance(a, BaseException))
    return seen


def _tls_detail(chain):
    for exc in chain:
        if isinstance(exc, ssl.SSLCertVerificationError):
            return exc.verify_message or exc.reason
        if isinstance(exc, ssl.SSLError) and exc.reason:
            return exc.reason
    return None


def _failure(exc, target):
    """The OutboundRequestFailed for a requests exception.

    The message is made here from the kind of failure: requests' and
    urllib3's own messages carry the URL with its query.
    """
    url = target.redacted
    chain = _chain(exc)
    LOG.debug('Outbound request to %(url)s failed: %(chain)s',
              {'url': url,
               'chain': ' < '.join(type(e).__name__ for e in chain)})

    def has(kind):
        return any(isinstance(e, kind) for e in chain)

    # requests tells a connect timeout from a refused connection (urllib3's
    # NewConnectionError is a ConnectTimeoutError); trust it.
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return errors.OutboundTimeout(
            url=url, reason=_('the connection timed out'))
    if has(requests.exceptions.ReadTimeout) or has(
            urllib3_exc.ReadTimeoutError):
        return errors.OutboundTimeout(
            url=url, reason=_('the server did not answer in time'))
    if (has(requests.exceptions.SSLError) or has(ssl.SSLError)
            or has(urllib3_exc.SSLError)):
        detail = _tls_detail(chain)
        reason = _('TLS failed')
        if detail:
            reason = _('TLS failed: %s') % detail
        return errors.OutboundRequestFailed(url=url, reason=reason)
    if has(requests.exceptions.ContentDecodingError) or has(
            urllib3_exc.DecodeError):
        return errors.OutboundRequestFailed(
            url=url, reason=_('the response could not be decoded'))
    if has(requests.exceptions.ChunkedEncodingError) or (
            has(urllib3_exc.ProtocolError)
            and not has(urllib3_exc.NewConnectionError)):
        return errors.OutboundRequestFailed(
            url=url, reason=_('the connection was closed before the end '
                              'of the response'))
    if has(requests.exceptions.ConnectionError) or has(OSError):
        for e in chain:
            if isinstance(e, OSError) and e.errno:
                return errors.OutboundRequestFailed(
                    url=url, reason=_('the connection failed: %s')
                    % os.strerror(e.errno))
        return errors.OutboundRequestFailed(
            url=url, reason=_('the connection failed'))
    return errors.OutboundRequestFailed(url=url,
                                        reason=_('the request failed'))


def _as_auth(auth):
    if isinstance(auth, tuple):
        return requests.auth.HTTPBasicAuth(*auth)
    return auth


def _redirect_method(status, method):
    """The method of the next hop, as browsers and requests do it."""
    if status == 303 and method != 'HEAD':
        return 'GET'
    if status in (301, 302) and method == 'POST':
        return 'GET'
    return method


@contextlib.contextmanager
def _open(method, url, deadline, headers=None, auth=None, json=None,
          data=None, allow_redirects=True):
    """Send a request, following redirects; yield the last response.

    The response is streamed (its body not read yet) and closed on exit.

    :yields: (requests.Response, urls.Target) of the last hop.
    """
    policy = addresses.AddressPolicy.from_conf(CONF)
    method = method.upper()
    headers = structures.CaseInsensitiveDict(headers or {})
    headers.setdefault('User-Agent', USER_AGENT)
    target = urls.check(url, policy)
    origin = target.origin
    if auth is None and target.userinfo is not None:
        auth = target.userinfo
    auth = _as_auth(auth)
    hops = 0
    while True:
        deadline.check(target)
        hop_headers = structures.CaseInsensitiveDict(headers)
        hop_auth = auth
        if target.origin != origin:
            hop_auth = None
            for name in _ORIGIN_HEADERS:
                hop_headers.pop(name, None)
        session = transport.session_for(target, CONF.outbound.ca_file)
        try:
            try:
                resp = session.request(
                    method, target.url, headers=hop_headers, auth=hop_auth,
                    json=json, data=data, allow_redirects=False,
                    stream=True, timeout=deadline.timeouts())
            except requests.exceptions.RequestException as exc:
                raise _failure(exc, target)
            location = resp.headers.get('Location')
            if (not allow_redirects or resp.status_code not in _REDIRECTS
                    or not location):
                with resp:
                    yield resp, target
                return
            resp.close()
        finally:
            session.close()
        hops += 1
        if hops > CONF.outbound.max_redirects:
            raise errors.OutboundRequestRefused(
                url=urls.redact(url),
                reason=_('more than %d redirects')
                % CONF.outbound.max_redirects)
        next_url = urllib.parse.urljoin(target.url, location.strip())
        next_url = urllib.parse.urldefrag(next_url)[0]
        if (target.scheme == 'https'
                and next_url[:5].lower() == 'http:'):
            raise errors.OutboundRequestRefused(
                url=target.redacted,
                reason=_('a redirect from https to http'))
        next_target = urls.check(next_url, policy)
        LOG.debug('Outbound request to %(from)s redirected (%(status)s) '
                  'to %(to)s', {'from': target.redacted,
                                'status': resp.status_code,
                                'to': next_target.redacted})
        new_method = _redirect_method(resp.status_code, method)
        if new_method != method and method != 'HEAD':
            json = data = None
            for name in _BODY_HEADERS:
                headers.pop(name, None)
        method = new_method
        target = next_target


def _chunks(resp, target, max_bytes, deadline):
    """The body of a response, streamed, within the limits.

    :yields: chunks of bytes (decoded if the server compressed them).
    :raises: OutboundResponseTooLarge, OutboundTimeout,
        OutboundRequestFailed
    """
    length = resp.headers.get('Content-Length', '')
    if length.strip().isdigit() and int(length) > max_bytes:
        raise errors.OutboundResponseTooLarge(url=target.redacted,
                                              limit=max_bytes)
    size = 0
    while True:
        try:
            # read1: one read on the socket at most, so that a server that
            # trickles bytes meets the total time limit between reads.
            chunk = resp.raw.read1(CHUNK_SIZE, decode_content=True)
        except (requests.exceptions.RequestException,
                urllib3_exc.HTTPError, OSError) as exc:
            raise _failure(exc, target)
        if not chunk:
            return
        size += len(chunk)
        if size > max_bytes:
            raise errors.OutboundResponseTooLarge(url=target.redacted,
                                                  limit=max_bytes)
        yield chunk
        deadline.check(target)


def request(method, url, json=None, data=None, headers=None, auth=None,
            allow_redirects=True, max_bytes=None, total_timeout=None):
    """Make an HTTP request to a URI a user gave, and read the answer.

    Any status is returned, not raised: see
    :meth:`Response.raise_for_status`.

    :param method: the HTTP method.
    :param url: the URL.
    :param json: a JSON-serialisable body, sent as ``application/json``.
    :param data: a dict sent form-encoded, or bytes.
    :param headers: extra headers (dict).
    :param auth: ``(user, password)`` for HTTP Basic, a
        :class:`requests.auth.AuthBase`, or None (then any user information
        in the URL is used). Only sent to the first URL's origin.
    :param allow_redirects: follow redirects (each hop checked).
    :param max_bytes: largest body read; ``[outbound] max_response_size``
        by default.
    :param total_timeout: seconds for the whole request;
        ``[outbound] request_total_timeout`` by default.
    :returns: a :class:`Response`.
    :raises: OutboundRequestRefused (an ``Invalid``) when the policy
        refuses the URL or a redirect, or the body is too large;
        OutboundRequestFailed (OutboundTimeout) when the request fails.
    """
    if max_bytes is None:
        max_bytes = CONF.outbound.max_response_size
    deadline = _Deadline(total_timeout or CONF.outbound.request_total_timeout)
    with _open(method, url, deadline, headers=headers, auth=auth,
               json=json, data=data,
               allow_redirects=allow_redirects) as (resp, target):
        body = b''.join(_chunks(resp, target, max_bytes, deadline))
        return Response(status_code=resp.status_code,
                        headers=structures.CaseInsensitiveDict(resp.headers),
                        content=bytes(body), url=target.url)


_HASHES = ('sha224', 'sha256', 'sha384', 'sha512',
           'sha3_224', 'sha3_256', 'sha3_384', 'sha3_512')


def hash_name(algorithm):
    """The :mod:`hashlib` name of a checksum algorithm as ETSI writes it.

    :param algorithm: e.g. ``SHA-256``, ``SHA-512``, ``SHA3-256``.
    :returns: e.g. ``sha256``.
    :raises: InvalidParameterValue for other algorithms (MD5 and SHA-1
        are refused: they do not protect a download).
    """
    name = str(algorithm).strip().lower().replace('_', '-')
    if name.startswith('sha3-'):
        name = 'sha3_' + name[len('sha3-'):]
    else:
        name = name.replace('-', '')
    if name not in _HASHES:
        raise exception.InvalidParameterValue(
            err=_('Checksum algorithm %s is not supported; use SHA-256, '
                  'SHA-384, SHA-512 or SHA3.') % algorithm)
    return name


def _expected_checksum(checksum):
    """(hashlib name, algorithm as given, hex digest) or None."""
    if checksum is None:
        return None
    if isinstance(checksum, dict):
        algorithm, digest = checksum.get('algorithm'), checksum.get('hash')
    else:
        try:
            algorithm, digest = checksum
        except (TypeError, ValueError):
            algorithm = digest = None
    if not algorithm or not isinstance(digest, str) or not digest:
        raise exception.InvalidParameterValue(
            err=_('A checksum needs an algorithm and a hash.'))
    return hash_name(algorithm), algorithm, digest.strip().lower()


def fetch_to_file(url, path, max_bytes=None, auth=None, checksum=None,
                  headers=None, total_timeout=None):
    """Download a URI a user gave to a file, streaming, within limits.

    The body goes to a temporary file next to ``path`` (mode 0600),
    renamed to ``path`` once complete and checked: a failed download leaves
    no file behind, and an existing ``path`` is only replaced on success.
    SHA-256 and SHA-512 are computed while streaming.

    :param url: the URL.
    :param path: the file to write.
    :param max_bytes: the largest body; ``[outbound] max_download_size``
        by default (and at most).
    :param auth: ``(user, password)`` for HTTP Basic, a
        :class:`requests.auth.AuthBase`, or None (then any user information
        in the URL is used). Only sent to the first URL's origin.
    :param checksum: the expected checksum: an ETSI ``Checksum`` dict
        (``{'algorithm': 'SHA-256', 'hash': '...'}``) or an
        ``(algorithm, hash)`` pair; None not to check.
    :param headers: extra request headers (dict).
    :param total_timeout: seconds for the whole download;
        ``[outbound] download_total_timeout`` by default.
    :returns: a :class:`FetchResult`.
    :raises: OutboundRequestRefused (an ``Invalid``) when the policy
        refuses the URL or a redirect, or the body is too large;
        ChecksumMismatch; InvalidParameterValue for a bad ``checksum``;
        OutboundHTTPError for a non-2xx answer; OutboundRequestFailed
        (OutboundTimeout) when the download fails.
    """
    expected = _expected_checksum(checksum)
    limit = CONF.outbound.max_download_size
    if max_bytes is not None:
        limit = min(max_bytes, limit)
    names = ['sha256', 'sha512']
    if expected is not None and expected[0] not in names:
        names.append(expected[0])
    hashes = {name: hashlib.new(name) for name in names}
    deadline = _Deadline(total_timeout
                         or CONF.outbound.download_total_timeout)
    headers = dict(headers or {})
    headers.setdefault('Accept-Encoding', 'identity')
    directory = os.path.dirname(os.path.abspath(path))
    with _open('GET', url, deadline, headers=headers,
               auth=auth) as (resp, target):
        if not 200 <= resp.status_code < 300:
            raise errors.OutboundHTTPError(url=target.redacted,
                                           status_code=resp.status_code)
        tmp = tempfile.NamedTemporaryFile(
            dir=directory, prefix='.%s.' % os.path.basename(path),
            suffix='.part', delete=False)
        try:
            size = 0
            with tmp:
                for chunk in _chunks(resp, target, limit, deadline):
                    tmp.write(chunk)
                    size += len(chunk)
                    for h in hashes.values():
                        h.update(chunk)
                tmp.flush()
                os.fsync(tmp.fileno())
            digests = {name: h.hexdigest() for name, h in hashes.items()}
            if expected is not None and not hmac.compare_digest(
                    digests[expected[0]], expected[2]):
                raise errors.ChecksumMismatch(url=target.redacted,
                                              algorithm=expected[1])
            os.replace(tmp.name, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp.name)
            raise
        LOG.info('Downloaded %(size)d bytes from %(url)s (SHA-256 '
                 '%(sha256)s)', {'size': size, 'url': target.redacted,
                                 'sha256': digests['sha256']})
        return FetchResult(path=path, size=size, sha256=digests['sha256'],
                           sha512=digests['sha512'], digests=digests,
                           content_type=resp.headers.get('Content-Type'),
                           url=target.url)


def iter_content(url, max_bytes=None, auth=None, headers=None,
                 total_timeout=None):
    """Download a URI a user gave as a stream of chunks, within limits.

    For callers that store the content themselves (and hash it as they
    go); :func:`fetch_to_file` otherwise. Nothing is requested before the
    first chunk is asked for; closing the generator closes the connection.

    :param url: the URL.
    :param max_bytes: the largest body; ``[outbound] max_download_size``
        by default (and at most).
    :param auth: as :func:`fetch_to_file`.
    :param headers: extra request headers (dict).
    :param total_timeout: seconds for the whole download;
        ``[outbound] download_total_timeout`` by default.
    :yields: chunks of bytes.
    :raises: as :func:`fetch_to_file`, from the iteration: a partial
        stream must be discarded.
    """
    limit = CONF.outbound.max_download_size
    if max_bytes is not None:
        limit = min(max_bytes, limit)
    deadline = _Deadline(total_timeout
                         or CONF.outbound.download_total_timeout)
    headers = dict(headers or {})
    headers.setdefault('Accept-Encoding', 'identity')
    with _open('GET', url, deadline, headers=headers,
               auth=auth) as (resp, target):
        if not 200 <= resp.status_code < 300:
            raise errors.OutboundHTTPError(url=target.redacted,
                                           status_code=resp.status_code)
        yield from _chunks(resp, target, limit, deadline)

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

"""``TOSCA.meta`` and manifest (``.mf``) files of a CSAR.

``TOSCA.meta`` (TOSCA CSAR 1.1, ETSI GS NFV-SOL 004 clause 4.2): blocks of
``Key: value`` lines separated by blank lines; the first block carries
``TOSCA-Meta-File-Version``, ``CSAR-Version``, ``Created-By``,
``Entry-Definitions`` and the ETSI keys (``ETSI-Entry-Manifest``,
``ETSI-Entry-Certificate``, ...). Keys are matched without regard to case
(EdgeGallery writes ``Created-by``); a line starting with a space continues
the previous value.

Manifest (SOL004 clause 4.3, MEC 037 clause 6.2.2): a ``metadata:`` block of
``name: value`` pairs, an optional ``non_mano_artifact_sets:`` block, then
one block per file (``Source:``, ``Algorithm:``, ``Hash:``), and optionally a
CMS signature in PEM armour (``-----BEGIN CMS-----``) at the very end. The
signed content is everything before the signature's first line.
"""

import base64
import binascii
import dataclasses
import re

from mec_orchestrator.packaging import archive as archive_mod
from mec_orchestrator.packaging import errors

_META_KEYS = {key.lower(): key for key in (
    'TOSCA-Meta-File-Version', 'TOSCA-Meta-Version', 'CSAR-Version',
    'Created-By', 'Entry-Definitions', 'ETSI-Entry-Manifest',
    'ETSI-Entry-Change-Log', 'ETSI-Entry-Tests', 'ETSI-Entry-Licenses',
    'ETSI-Entry-Certificate', 'Other-Definitions', 'Name', 'Content-Type')}
_URL = re.compile(r'^[A-Za-z][A-Za-z0-9+.-]*://')
_PEM_BEGIN = re.compile(r'^-----BEGIN (CMS|PKCS7)-----\s*$')
_PEM_END = re.compile(r'^-----END (CMS|PKCS7)-----\s*$')


def _lines(text):
    return text.replace('\r\n', '\n').replace('\r', '\n').split('\n')


@dataclasses.dataclass
class ToscaMeta:
    """A parsed ``TOSCA.meta`` (or EdgeGallery ``*.meta``) file."""

    path: str
    #: The first block, with the standard keys spelled canonically.
    entries: dict
    #: The other blocks (``Name:`` / ``Content-Type:`` style), in order.
    blocks: list

    def get(self, key):
        return self.entries.get(key)


def parse_tosca_meta(text, path):
    """Parse a ``TOSCA.meta`` file.

    :param text: the file's text.
    :param path: its member path, for messages.
    :returns: a :class:`ToscaMeta`.
    :raises InvalidToscaMeta: a line is not ``Key: value``, or a key is
        repeated in a block.
    """
    blocks = [{}]
    last_key = None
    for number, line in enumerate(_lines(text), 1):
        if not line.strip():
            if blocks[-1]:
                blocks.append({})
            last_key = None
            continue
        if line[0] in ' \t' and last_key:
            blocks[-1][last_key] += line.strip()
            continue
        key, sep, value = line.partition(':')
        key = key.strip()
        if not sep or not key or ' ' in key:
            raise errors.InvalidToscaMeta(
                member=path,
                reason='line %d is not a "Key: value" pair' % number)
        key = _META_KEYS.get(key.lower(), key)
        if key in blocks[-1]:
            raise errors.InvalidToscaMeta(
                member=path, reason='line %d repeats the key %s'
                % (number, key))
        blocks[-1][key] = value.strip()
        last_key = key
    blocks = [block for block in blocks if block]
    if not blocks:
        raise errors.InvalidToscaMeta(member=path, reason='it is empty')
    return ToscaMeta(path=path, entries=blocks[0], blocks=blocks[1:])


@dataclasses.dataclass
class ManifestEntry:
    """One ``Source:`` block of a manifest."""

    source: str
    line: int
    algorithm: str = None
    hash: str = None
    extra: dict = dataclasses.field(default_factory=dict)
    #: The member path, or None for an external (URL) source.
    path: str = None
    #: True once the digest was checked against the package content.
    verified: bool = False

    @property
    def external(self):
        return self.path is None


@dataclasses.dataclass
class Manifest:
    """A parsed manifest file."""

    path: str
    metadata: dict
    entries: list
    non_mano_artifact_sets: dict
    #: DER bytes of the CMS signature at the end of the file, if any.
    signature: bytes = None
    #: The bytes the signature covers (the file without the signature).
    signed_content: bytes = None

    def entry_for(self, path):
        for entry in self.entries:
            if entry.path == path:
                return entry
        return None

    def as_dict(self):
        """A JSON-friendly summary (metadata and file digests)."""
        return {
            'path': self.path,
            'metadata': dict(self.metadata),
            'nonManoArtifactSets': {k: list(v) for k, v in
                                    self.non_mano_artifact_sets.items()},
            'files': [{'source': e.source, 'algorithm': e.algorithm,
                       'hash': e.hash, 'verified': e.verified}
                      for e in self.entries],
            'signed': self.signature is not None,
        }


def parse_manifest(data, path):
    """Parse a manifest file.

    :param data: the file's bytes.
    :param path: its member path, for messages.
    :returns: a :class:`Manifest`.
    :raises InvalidManifest: malformed line, digest line outside a
        ``Source:`` block, unknown algorithm, bad signature armour.
    """
    try:
        text = data.decode('utf-8-sig')
    except UnicodeDecodeError:
        raise errors.InvalidManifest(member=path,
                                     reason='it is not UTF-8 text')
    signature = None
    signed_content = None
    match = re.search(r'^-----BEGIN (CMS|PKCS7)-----[ \t]*\r?$', text,
                      re.MULTILINE)
    if match:
        body = text[:match.start()]
        signed_content = body.encode('utf-8')
        signature = decode_pem_signature(text[match.start():], path)
        text = body
    metadata = {}
    sets = {}
    entries = []
    state = None
    current = None
    current_set = None
    for number, line in enumerate(_lines(text), 1):
        stripped = line.strip()
        if not stripped or stripped.startswith('#'):
            if not stripped:
                state = None if state != 'sets' else state
                current = None
            continue
        lowered = stripped.lower()
        if lowered == 'metadata:' and line[0] not in ' \t':
            state, current = 'metadata', None
            continue
        if lowered == 'non_mano_artifact_sets:' and line[0] not in ' \t':
            state, current, current_set = 'sets', None, None
            continue
        if state == 'sets':
            if line[0] in ' \t':
                key, sep, value = stripped.partition(':')
                if key.strip().lower() == 'source' and current_set:
                    sets[current_set].append(value.strip())
                elif sep and not value.strip():
                    current_set = key.strip()
                    sets.setdefault(current_set, [])
                else:
                    raise errors.InvalidManifest(
                        member=path, reason='line %d of the '
                        'non_mano_artifact_sets block is not understood'
                        % number)
                continue
            state = None
        key, sep, value = stripped.partition(':')
        key, value = key.strip(), value.strip()
        if not sep or not key:
            raise errors.InvalidManifest(
                member=path,
                reason='line %d is not a "name: value" pair' % number)
        lkey = key.lower()
        if lkey == 'source':
            state = None
            current = ManifestEntry(source=value, line=number)
            entries.append(current)
        elif state == 'metadata':
            if key in metadata:
                raise errors.InvalidManifest(
                    member=path, reason='line %d repeats the metadata name '
                    '%s' % (number, key))
            metadata[key] = value
        elif current is None:
            raise errors.InvalidManifest(
                member=path, reason='line %d (%s) is outside of a Source '
                'block' % (number, key))
        elif lkey == 'algorithm':
            current.algorithm = value
        elif lkey == 'hash':
            current.hash = value
        else:
            current.extra[key] = value
    for entry in entries:
        _check_entry(entry, path)
    return Manifest(path=path, metadata=metadata, entries=entries,
                    non_mano_artifact_sets=sets, signature=signature,
                    signed_content=signed_content)


def _check_entry(entry, path):
    if not entry.source:
        raise errors.InvalidManifest(
            member=path, reason='the Source on line %d is empty' % entry.line)
    if entry.hash is not None or entry.algorithm is not None:
        if not entry.hash or not entry.algorithm:
            raise errors.InvalidManifest(
                member=path, reason='the entry for %s needs both Algorithm '
                'and Hash' % entry.source)
        if archive_mod.normalize_hash_name(entry.algorithm) is None:
            raise errors.InvalidManifest(
                member=path, reason='the algorithm %s of %s is not supported '
                '(use SHA-256, SHA-384 or SHA-512)'
                % (entry.algorithm, entry.source))
        if not re.fullmatch(r'[0-9A-Fa-f]+', entry.hash):
            raise errors.InvalidManifest(
                member=path, reason='the hash of %s is not hexadecimal'
                % entry.source)
    if _URL.match(entry.source):
        entry.path = None
        return
    resolved = archive_mod.join_member('', entry.source)
    if resolved is None:
        raise errors.InvalidManifest(
            member=path, reason='the Source %s is not a path inside the '
            'package' % entry.source)
    entry.path = resolved


def is_url(reference):
    """True if a manifest Source or artifact reference is a URL."""
    return bool(_URL.match(reference))


def decode_pem_signature(text, path):
    """DER bytes of a PEM ``CMS`` (or ``PKCS7``) block.

    :raises InvalidManifest: the armour or the base64 is malformed.
    """
    lines = [line.strip() for line in _lines(text)]
    while lines and not lines[-1]:
        lines.pop()
    if not lines or not _PEM_BEGIN.match(lines[0]):
        raise errors.InvalidManifest(member=path,
                                     reason='the signature block is malformed')
    try:
        end = next(i for i, line in enumerate(lines) if _PEM_END.match(line))
    except StopIteration:
        raise errors.InvalidManifest(
            member=path, reason='the signature block has no END line')
    if any(lines[end + 1:]):
        raise errors.InvalidManifest(
            member=path, reason='there is content after the signature block')
    try:
        return base64.b64decode(''.join(lines[1:end]), validate=True)
    except (binascii.Error, ValueError):
        raise errors.InvalidManifest(
            member=path, reason='the signature block is not valid base64')


def verify_manifest(manifest, archive, allow_mismatch=False,
                    skip=frozenset()):
    """Check every file the manifest lists against the package.

    :param manifest: a :class:`Manifest`.
    :param archive: the :class:`~mec_orchestrator.packaging.archive.Archive`
        holding the files.
    :param allow_mismatch: report a digest mismatch as a warning instead of
        an error (never for a missing file).
    :param skip: member paths not to hash (the manifest itself).
    :returns: a list of warning strings.
    :raises ManifestMissingFile: a listed file is not in the package.
    :raises ManifestMismatch: a digest differs.
    """
    warnings = []
    for entry in manifest.entries:
        if entry.external:
            continue
        if entry.path not in archive:
            raise errors.ManifestMissingFile(manifest=manifest.path,
                                             member=entry.source)
        if entry.path in skip or entry.hash is None:
            continue
        algorithm = archive_mod.normalize_hash_name(entry.algorithm)
        actual = archive.digest(entry.path, algorithm)
        if actual != entry.hash.lower():
            if not allow_mismatch:
                raise errors.ManifestMismatch(
                    member=entry.path,
                    reason='its %s digest is %s, the manifest %s says %s'
                    % (entry.algorithm, actual, manifest.path, entry.hash))
            warnings.append(
                'File %s does not match its %s digest in %s (accepted '
                'because manifest mismatches are allowed).'
                % (entry.path, entry.algorithm, manifest.path))
            continue
        entry.verified = True
    return warnings

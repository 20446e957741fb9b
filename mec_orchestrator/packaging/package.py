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

"""Reading a whole application package: :func:`read_package`.

The steps, each of which can refuse the package with an error that names
its culprit:

1. the ZIP archive is vetted (:mod:`~mec_orchestrator.packaging.archive`);
2. a signed container (ETSI NFV SOL004 option 2: a ZIP holding
   ``name.csar``, ``name.cms`` and optionally ``name.cert``) has its
   signature verified over the CSAR, which is then read from a private
   temporary copy;
3. the CSAR's ``TOSCA-Metadata/TOSCA.meta`` names the entry definitions
   and the manifest; without it, the single YAML (or JSON) file at the root
   is the entry and ``<same name>.mf`` the manifest (SOL004 clause 4.1);
4. a manifest signature (SOL004 option 1: a CMS block at the end of the
   manifest, or ``<manifest name>.cms`` beside it, with the certificate in
   the signature, in ``ETSI-Entry-Certificate`` or ``<manifest name>.cert``)
   is verified; a signed manifest must then list every file of the package
   with its digest;
5. the signature policy is applied (``allow_unsigned``, trust store);
6. every file the manifest lists is hashed and compared;
7. the entry definitions (possibly a ZIP of its own, as EdgeGallery does)
   are read and normalized into the AppD
   (:mod:`~mec_orchestrator.packaging.appd`), with the package's software
   image descriptors (``Image/SwImageDesc.json``).
"""

import dataclasses
import hashlib
import io
import os
import posixpath

from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _
from mec_orchestrator.packaging import appd as appd_mod
from mec_orchestrator.packaging import archive as archive_mod
from mec_orchestrator.packaging import errors
from mec_orchestrator.packaging import limits as limits_mod
from mec_orchestrator.packaging import metadata
from mec_orchestrator.packaging import normalize
from mec_orchestrator.packaging import safe_yaml
from mec_orchestrator.packaging import signature as signature_mod
from mec_orchestrator.packaging import tosca

TOSCA_META = 'TOSCA-Metadata/TOSCA.meta'
SW_IMAGE_DESC = 'Image/SwImageDesc.json'
_DOCUMENT_SUFFIXES = ('.yaml', '.yml', '.json')
_ARCHIVE_SUFFIXES = ('.zip', '.csar')
_CERT_SUFFIXES = ('.cert', '.crt', '.pem')


class TrustStoreError(exception.MecOrchestratorException):
    """The configured trust store cannot be read (a service problem)."""

    msg_fmt = _("The package signature trust store cannot be read: "
                "%(reason)s")
    safe = False


@dataclasses.dataclass
class AppPackage:
    """An application package, read and normalized.

    All paths are member paths inside the package; a file inside a nested
    archive is shown as ``archive.zip!/path``.
    """

    #: The MEC 010-2 AppD (camelCase field names, validated).
    appd: dict
    #: ``appd``, ``mec037``, ``edgegallery`` or ``tosca-mec-profile``.
    form: str
    #: The first block of ``TOSCA.meta`` (empty without one).
    meta: dict
    #: The :class:`~mec_orchestrator.packaging.metadata.Manifest`, or None.
    manifest: object
    #: Software image descriptors: the entries of ``Image/SwImageDesc.json``
    #: as they are, or else the AppD's ``swImageDescriptor``.
    sw_images: list
    #: The other files: dicts with ``artifactPath``, ``size`` and, when the
    #: manifest gives one, ``checksum`` (``algorithm``, ``hash``).
    artifacts: list
    #: Path of the entry definitions (the AppD document or TOSCA template).
    entry_definitions: str
    #: Text of the entry TOSCA template, as in the package (None for a
    #: plain AppD document).
    tosca_template_text: str
    #: The TOSCA template made self-contained (imports replaced by the
    #: types they define), ready for tosca-parser / heat-translator; None
    #: for a plain AppD document.
    tosca_template: dict
    #: Imported package files: path -> text.
    tosca_imports: dict
    #: True if a signature was verified (trusted or not, see ``signature``).
    signed: bool
    #: A :class:`~mec_orchestrator.packaging.signature.SignatureInfo`.
    signature: object
    #: SHA-256 of the package file as given: ``{'algorithm', 'hash'}``.
    checksum: dict
    #: Things a user may want to know that did not stop the read.
    warnings: list

    @property
    def app_d_id(self):
        """The AppD's ``appDId``."""
        return self.appd['appDId']

    def tosca(self):
        """A tosca-parser ``ToscaTemplate`` of the package's template.

        :returns: a ``toscaparser.tosca_template.ToscaTemplate``, or None
            for a plain AppD document.
        :raises ToscaInvalid: see
            :func:`mec_orchestrator.packaging.tosca.parse`.
        """
        if self.tosca_template is None:
            return None
        return tosca.parse(self.tosca_template, self.entry_definitions)


class _Reader:

    def __init__(self, limits, trust_store, allow_unsigned, allow_mismatch):
        self.limits = limits
        self.trust_store = trust_store
        self.allow_unsigned = allow_unsigned
        self.allow_mismatch = allow_mismatch
        self.scratch = archive_mod.Scratch()
        self.budget = archive_mod.Budget(limits.max_total_size)
        self.opened = []
        self.handles = []
        self.warnings = []
        self.signature = None

    def close(self):
        for archive in reversed(self.opened):
            archive.close()
        for handle in self.handles:
            handle.close()
        self.scratch.cleanup()

    def open_archive(self, fileobj, name):
        archive = archive_mod.Archive(fileobj, name, self.limits, self.budget)
        self.opened.append(archive)
        return archive

    def stage(self, archive, path, suffix):
        """Copy a member to the scratch directory; open it for reading."""
        staged = self.scratch.new_file(suffix)
        with open(staged, 'wb') as handle:
            archive.copy_to(path, handle)
        handle = open(staged, 'rb')
        self.handles.append(handle)
        return staged, handle

    def read_doc(self, archive, path, display=None):
        try:
            return archive.read(path, self.limits.max_yaml_size)
        except archive_mod.MemberTooLarge as exc:
            raise errors.YamlTooLarge(member=display or path, size=exc.size,
                                      limit=exc.limit)

    # -- signed container (SOL004 option 2) --------------------------------

    def container(self, outer):
        names = outer.names()
        if any('/' in name for name in names):
            return None
        csars = [n for n in names if n.lower().endswith(_ARCHIVE_SUFFIXES)]
        sigs = [n for n in names if n.lower().endswith('.cms')]
        certs = [n for n in names if n.lower().endswith(_CERT_SUFFIXES)]
        if len(csars) != 1 or len(sigs) != 1 or len(certs) > 1 or \
                len(names) != 2 + len(certs):
            return None
        csar, sig = csars[0], sigs[0]
        staged, handle = self.stage(outer, csar, '.csar')
        extra = self._certs(outer, certs[0]) if certs else None
        self.signature = signature_mod.verify_detached(
            staged, self._cms(outer, sig), self.scratch, member=sig,
            signed_name=csar, kind='container', extra_certs=extra,
            trust_store=self.trust_store)
        return self.open_archive(handle, csar)

    def _cms(self, archive, path):
        data = self.read_doc(archive, path)
        if data.lstrip().startswith(b'-----BEGIN'):
            text = data.decode('ascii', 'replace')
            return metadata.decode_pem_signature(text, path)
        return data

    def _certs(self, archive, path):
        data = self.read_doc(archive, path)
        try:
            return signature_mod.load_certificates(data)
        except ValueError:
            raise errors.SignatureInvalid(
                member=path, signed='the package',
                reason='the certificate file is not a PEM or DER X.509 '
                'certificate')

    # -- the CSAR ----------------------------------------------------------

    def locate(self, archive):
        """Find TOSCA.meta, the entry definitions and the manifest."""
        meta = None
        if TOSCA_META in archive:
            data = self.read_doc(archive, TOSCA_META)
            text = data.decode('utf-8-sig', 'replace')
            meta = metadata.parse_tosca_meta(text, TOSCA_META)
            entry = meta.get('Entry-Definitions')
            if not entry:
                raise errors.MissingEntryDefinitions(
                    reason='%s has no Entry-Definitions' % TOSCA_META)
            path = archive_mod.join_member('', entry)
            if path is None:
                raise errors.UnsafeMember(
                    member=entry, reason='Entry-Definitions in %s points '
                    'outside the package' % TOSCA_META)
            if path not in archive:
                raise errors.MissingEntryDefinitions(
                    reason='%s names %s, which is not in the package'
                    % (TOSCA_META, entry))
            for key in ('TOSCA-Meta-File-Version', 'CSAR-Version',
                        'Created-By'):
                if not meta.get(key):
                    self.warnings.append('%s has no %s.' % (TOSCA_META, key))
        elif any(name.startswith('TOSCA-Metadata/')
                 for name in archive.names()) or \
                'TOSCA-Metadata' in archive.directories:
            raise errors.MissingToscaMeta(
                reason='the TOSCA-Metadata directory holds no TOSCA.meta')
        else:
            roots = [n for n in archive.names() if '/' not in n and
                     n.lower().endswith(_DOCUMENT_SUFFIXES)]
            if len(roots) != 1:
                raise errors.MissingToscaMeta(
                    reason='%d YAML or JSON files found at the root%s'
                    % (len(roots), (': ' + ', '.join(sorted(roots)))
                       if roots else ''))
            path = roots[0]
        return meta, path, self._manifest_path(archive, meta, path)

    def _manifest_path(self, archive, meta, entry):
        named = meta.get('ETSI-Entry-Manifest') if meta else None
        if named:
            path = archive_mod.join_member('', named)
            if path is None or path not in archive:
                raise errors.InvalidManifest(
                    member=named, reason='%s names it but it is not in the '
                    'package' % TOSCA_META)
            return path
        stem = posixpath.splitext(posixpath.basename(entry))[0]
        roots = [n for n in archive.names()
                 if '/' not in n and n.lower().endswith('.mf')]
        if stem + '.mf' in roots:
            return stem + '.mf'
        if len(roots) == 1:
            return roots[0]
        if len(roots) > 1:
            raise errors.InvalidManifest(
                member=', '.join(sorted(roots)),
                reason='several manifests and none named by TOSCA.meta')
        return None

    def manifest_signature(self, archive, meta, manifest, raw):
        """Verify SOL004 option 1; return the files it covers itself."""
        stem = posixpath.splitext(manifest.path)[0]
        companions = {manifest.path}
        cert_paths = []
        named_cert = meta.get('ETSI-Entry-Certificate') if meta else None
        if named_cert:
            cert_path = archive_mod.join_member('', named_cert)
            if cert_path is None or cert_path not in archive:
                raise errors.InvalidToscaMeta(
                    member=TOSCA_META, reason='ETSI-Entry-Certificate %s is '
                    'not in the package' % named_cert)
            cert_paths.append(cert_path)
        for suffix in _CERT_SUFFIXES:
            if stem + suffix in archive and stem + suffix not in cert_paths:
                cert_paths.append(stem + suffix)
        if manifest.signature is not None:
            content, sig_name, der = manifest.signed_content, \
                manifest.path, manifest.signature
        elif stem + '.cms' in archive:
            sig_name = stem + '.cms'
            content, der = raw, self._cms(archive, sig_name)
            companions.add(sig_name)
        else:
            return companions
        certs = []
        for path in cert_paths:
            certs.extend(self._certs(archive, path))
            companions.add(path)
        content_path = self.scratch.write(content, '.mf')
        self.signature = signature_mod.verify_detached(
            content_path, der, self.scratch, member=sig_name,
            signed_name=manifest.path, kind='manifest', extra_certs=certs,
            trust_store=self.trust_store)
        return companions

    def apply_policy(self):
        if self.signature is None:
            if not self.allow_unsigned:
                raise errors.UnsignedPackage(
                    reason='it has neither a signed manifest nor a signed '
                    'container (ETSI NFV SOL004)')
            self.warnings.append('The package is not signed.')
        elif not self.signature.trusted:
            if not self.allow_unsigned:
                raise errors.UntrustedSignature(
                    member=self.signature.member,
                    reason='no trust store is configured to verify it')
            self.warnings.append(
                'The package signature is intact but was not checked '
                'against a trust store.')

    def check_manifest(self, archive, manifest, companions):
        signed_manifest = self.signature is not None and \
            self.signature.kind == 'manifest'
        self.warnings.extend(metadata.verify_manifest(
            manifest, archive,
            allow_mismatch=self.allow_mismatch and not signed_manifest,
            skip=companions))
        listed = {entry.path for entry in manifest.entries
                  if not entry.external}
        unlisted = [name for name in archive.names()
                    if name not in listed and name not in companions]
        if signed_manifest:
            uncovered = unlisted + [
                entry.path for entry in manifest.entries
                if not entry.external and entry.hash is None and
                entry.path not in companions]
            if uncovered:
                raise errors.ManifestMismatch(
                    member=uncovered[0], reason='the manifest is signed but '
                    'gives no digest for it (%d such files)' % len(uncovered))
        elif unlisted:
            self.warnings.append(
                'The manifest %s does not list %d files: %s.' % (
                    manifest.path, len(unlisted), ', '.join(unlisted[:5]) +
                    (' ...' if len(unlisted) > 5 else '')))

    def sw_image_descriptors(self, archive, meta):
        path = None
        for block in (meta.blocks if meta else []):
            if str(block.get('Content-Type', '')).lower() == 'swimagedesc':
                path = archive_mod.join_member('', block.get('Name', ''))
        if path is None or path not in archive:
            path = SW_IMAGE_DESC if SW_IMAGE_DESC in archive else None
        if path is None:
            return []
        document = safe_yaml.load(self.read_doc(archive, path), path,
                                  self.limits)
        if isinstance(document, dict):
            document = [document]
        if not isinstance(document, list) or not all(
                isinstance(item, dict) for item in document):
            raise errors.InvalidPackage(
                reason='%s must be a list of software image descriptors'
                % path)
        return document

    def entry(self, archive, path):
        """The archive, path and display prefix of the entry definitions."""
        if not path.lower().endswith(_ARCHIVE_SUFFIXES):
            return archive, path, ''
        if archive.size(path) <= self.limits.max_yaml_size:
            handle = io.BytesIO(self.read_doc(archive, path))
        else:
            _staged, handle = self.stage(archive, path, '.zip')
        inner = self.open_archive(handle, path)
        prefix = path + '!/'
        if TOSCA_META in inner:
            metas = [TOSCA_META]
        else:
            metas = [n for n in inner.names()
                     if '/' not in n and n.lower().endswith('.meta')]
        for meta_path in metas:
            text = self.read_doc(inner, meta_path, prefix + meta_path)
            meta = metadata.parse_tosca_meta(
                text.decode('utf-8-sig', 'replace'), prefix + meta_path)
            entry = meta.get('Entry-Definitions')
            if entry:
                resolved = archive_mod.join_member('', entry)
                if resolved is None or resolved not in inner:
                    raise errors.MissingEntryDefinitions(
                        reason='%s%s names %s, which is not in %s'
                        % (prefix, meta_path, entry, path))
                return inner, resolved, prefix
        roots = [n for n in inner.names() if '/' not in n and
                 n.lower().endswith(_DOCUMENT_SUFFIXES)]
        if len(roots) == 1:
            return inner, roots[0], prefix
        raise errors.MissingEntryDefinitions(
            reason='the archive %s has no metadata file naming its entry '
            'definitions and not exactly one YAML file at its root' % path)

    def artifacts(self, archive, manifest, exclude):
        sets = {}
        if manifest:
            for set_id, sources in manifest.non_mano_artifact_sets.items():
                for source in sources:
                    sets[archive_mod.join_member('', source)] = set_id
        result = []
        for name in archive.names():
            if name in exclude or name.startswith('TOSCA-Metadata/'):
                continue
            item = {'artifactPath': name, 'size': archive.size(name)}
            entry = manifest.entry_for(name) if manifest else None
            if entry is not None and entry.hash:
                item['checksum'] = {'algorithm': entry.algorithm,
                                    'hash': entry.hash.lower(),
                                    'verified': entry.verified}
            if name in sets:
                item['nonManoArtifactSetId'] = sets[name]
            result.append(item)
        return result


def _sha256(fileobj):
    hasher = hashlib.sha256()
    fileobj.seek(0)
    for chunk in iter(lambda: fileobj.read(1024 * 1024), b''):
        hasher.update(chunk)
    fileobj.seek(0)
    return {'algorithm': 'SHA-256', 'hash': hasher.hexdigest()}


def read_package(source, *, limits=None, trust_store=None,
                 allow_unsigned=True, allow_manifest_mismatch=False):
    """Read, check and normalize an application package.

    :param source: path of the package file (a CSAR, or a SOL004 signed
        container ZIP), or a seekable binary file object.
    :param limits: a :class:`~mec_orchestrator.packaging.limits.Limits`;
        the defaults if None.
    :param trust_store: a directory of PEM CA certificates or a PEM bundle
        file; None to check signatures for integrity only.
    :param allow_unsigned: accept a package without a signature, or whose
        signature could not be checked against a trust store.
    :param allow_manifest_mismatch: accept files whose digest differs from
        an *unsigned* manifest (reported in ``warnings``); meant for
        packages built by tools that write placeholder digests, as
        EdgeGallery's do. A file listed but missing is always an error.
    :returns: an :class:`AppPackage`.
    :raises InvalidPackage: not a ZIP archive, corrupt, or any of its
        subclasses in :mod:`mec_orchestrator.packaging.errors`: unsafe
        members, limits, missing metadata or entry definitions, manifest
        mismatches, signature problems, unsafe YAML, TOSCA refused by
        tosca-parser, unresolvable imports, invalid AppD.
    :raises TrustStoreError: the trust store cannot be read.
    :raises OSError: ``source`` is a path that cannot be opened.
    """
    limits = limits or limits_mod.Limits()
    trust = None
    if trust_store:
        try:
            trust = signature_mod.load_trust_store(trust_store)
        except (OSError, ValueError) as exc:
            raise TrustStoreError(reason=str(exc))
    reader = _Reader(limits, trust, allow_unsigned, allow_manifest_mismatch)
    own_handle = None
    try:
        if hasattr(source, 'read'):
            handle = source
            name = getattr(source, 'name', None)
            name = os.path.basename(name) if isinstance(name, str) and \
                name else 'package'
        else:
            handle = own_handle = open(source, 'rb')
            name = os.path.basename(os.fspath(source))
        checksum = _sha256(handle)
        outer = reader.open_archive(handle, name)
        csar = reader.container(outer) or outer
        return _read_csar(reader, csar, checksum)
    finally:
        reader.close()
        if own_handle is not None:
            own_handle.close()


def _read_csar(reader, csar, checksum):
    meta, entry_path, manifest_path = reader.locate(csar)
    manifest = None
    companions = set()
    if manifest_path is not None:
        raw = reader.read_doc(csar, manifest_path)
        manifest = metadata.parse_manifest(raw, manifest_path)
        companions = reader.manifest_signature(csar, meta, manifest, raw)
    reader.apply_policy()
    if manifest is not None:
        reader.check_manifest(csar, manifest, companions)
    else:
        reader.warnings.append('The package has no manifest: file digests '
                               'were not checked.')
    sw_images = reader.sw_image_descriptors(csar, meta)

    archive, path, prefix = reader.entry(csar, entry_path)
    files = tosca.PackageFiles(archive, reader.limits, prefix)
    data = reader.read_doc(archive, path, prefix + path)
    context = normalize.PackageContext(
        files=files, sw_images=sw_images,
        manifest_metadata=manifest.metadata if manifest else {})
    document = appd_mod.load_appd_document(data, path, reader.limits,
                                           context)
    resolved = document.tosca
    excluded = set(companions) | {entry_path}
    if resolved is not None and archive is csar:
        excluded |= set(resolved.imported)
    if not sw_images and document.appd.get('swImageDescriptor'):
        sw_images = [dict(document.appd['swImageDescriptor'])]
        _check_image_file(reader, archive, path, sw_images[0], prefix)
    return AppPackage(
        appd=document.appd, form=document.form,
        meta=dict(meta.entries) if meta else {}, manifest=manifest,
        sw_images=sw_images,
        artifacts=reader.artifacts(csar, manifest, excluded),
        entry_definitions=prefix + path,
        tosca_template_text=resolved.text if resolved else None,
        tosca_template=resolved.template if resolved else None,
        tosca_imports={prefix + k: v for k, v in resolved.imported.items()}
        if resolved else {},
        signed=reader.signature is not None, signature=reader.signature,
        checksum=checksum,
        warnings=reader.warnings + document.warnings)


def _check_image_file(reader, archive, entry_path, image, prefix):
    location = image.get('swImage')
    if not location or metadata.is_url(location):
        return
    base = archive_mod.member_dir(entry_path)
    for candidate in (archive_mod.join_member(base, location),
                      archive_mod.join_member('', location)):
        if candidate and candidate in archive:
            return
    reader.warnings.append('The software image %s is not in the package.'
                           % location)

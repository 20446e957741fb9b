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

"""From a TOSCA template (validated by tosca-parser) to the MEC 010-2 AppD.

The mapping follows ETSI GS MEC 037 table 5.2.2-1 for the MEC 037 form
(``descriptor_id`` -> ``appDId``, ``product_name`` -> ``appName``,
``Vdu.Compute`` -> ``virtualComputeDescriptor``, ``VduCp`` -> ``appExtCpd``,
``lcm_operations_configuration.terminate`` ->
``terminateAppInstanceOpConfig``, ...). The EdgeGallery form takes the
identity fields from its ``tosca.nodes.nfv.VNF`` node (``vnfd_id``,
``vnfd_version``, ...) and the MEC fields from the camelCase properties of
``tosca.nodes.nfv.app.configuration``, with their known variants repaired
(``srcMacAddress`` -> ``srcMACAddress``, ``GTP_U`` -> ``GTP-U``, a single
``dstInterface`` object -> a list). Fields that are not part of the AppD
are left out and reported as warnings.

Units: memory sizes become MiB, storage and image sizes GiB, clock rates
MHz and timeouts seconds (ETSI GS NFV-IFA 011 units); a bare number is
taken as already in that unit.

When a package gives no ``mecVersion`` (EdgeGallery, tosca-parser's MEC
profile), the manifest's ``mec_versions`` is used, else
:data:`DEFAULT_MEC_VERSION` with a warning.
"""

import dataclasses
import re

from mec_orchestrator.packaging import appd as appd_mod
from mec_orchestrator.packaging import errors
from mec_orchestrator.packaging import mec_fields
from mec_orchestrator.packaging import tosca

#: MEC 010-2 version assumed for packages that do not state one.
DEFAULT_MEC_VERSION = '2.1.1'

MECAPP = 'tosca.nodes.mec.MecApp'
MEA = 'tosca.nodes.mec.MEA'
VNF = 'tosca.nodes.nfv.VNF'
COMPUTE = 'tosca.nodes.nfv.Vdu.Compute'
VDUCP = 'tosca.nodes.nfv.VduCp'
OS_CONTAINER = 'tosca.nodes.nfv.Vdu.OsContainer'
STORAGE_TYPES = (('tosca.nodes.nfv.Vdu.VirtualBlockStorage', 'BLOCK'),
                 ('tosca.nodes.nfv.Vdu.VirtualObjectStorage', 'OBJECT'),
                 ('tosca.nodes.nfv.Vdu.VirtualFileStorage', 'FILE'),
                 ('tosca.nodes.nfv.Vdu.VirtualStorage', None))

_UNITS = {
    'size': {'b': 1, 'kb': 1e3, 'kib': 1024, 'mb': 1e6, 'mib': 1024 ** 2,
             'gb': 1e9, 'gib': 1024 ** 3, 'tb': 1e12, 'tib': 1024 ** 4},
    'time': {'d': 86400, 'h': 3600, 'm': 60, 's': 1, 'ms': 1e-3,
             'us': 1e-6, 'ns': 1e-9},
    'frequency': {'hz': 1, 'khz': 1e3, 'mhz': 1e6, 'ghz': 1e9},
}
_SCALAR = re.compile(r'^\s*([0-9]*\.?[0-9]+)\s*([A-Za-z]+)\s*$')


@dataclasses.dataclass
class PackageContext:
    """What a package adds to its TOSCA template."""

    #: A :class:`~mec_orchestrator.packaging.tosca.PackageFiles`.
    files: object
    #: Software image descriptors of ``Image/SwImageDesc.json``.
    sw_images: list = dataclasses.field(default_factory=list)
    #: The manifest's metadata block.
    manifest_metadata: dict = dataclasses.field(default_factory=dict)


class _Context:
    """State of one normalization: inputs, warnings, dropped fields."""

    def __init__(self, template):
        self.inputs = {}
        self.undefined = set()
        self.dropped = []
        self.warnings = []
        for item in template.inputs or []:
            self.inputs[item.name] = item.default

    def resolve(self, value):
        """Replace ``get_input`` by the input's default, recursively."""
        from toscaparser import functions
        if isinstance(value, functions.GetInput):
            return self.resolve(self._input(value.input_name))
        if isinstance(value, functions.GetProperty):
            try:
                result = value.result()
            except (AttributeError, KeyError, IndexError, TypeError,
                    ValueError):
                result = None
            if isinstance(result, functions.Function):
                result = None
            return self.resolve(result)
        if isinstance(value, functions.Function):
            # get_attribute, concat, token... have no value before
            # deployment.
            return None
        if isinstance(value, dict):
            if len(value) == 1 and 'get_input' in value and \
                    isinstance(value['get_input'], str):
                return self.resolve(self._input(value['get_input']))
            return {key: self.resolve(item) for key, item in value.items()}
        if isinstance(value, list):
            return [self.resolve(item) for item in value]
        return value

    def _input(self, name):
        if name not in self.inputs:
            self.undefined.add(name)
            return None
        return self.inputs[name]

    def props(self, entity):
        return {name: self.resolve(prop.value)
                for name, prop in entity.get_properties().items()}

    def capability_props(self, node, name):
        capability = node.get_capabilities().get(name)
        return self.props(capability) if capability else {}


# -- units --------------------------------------------------------------------

def scalar(value, kind, unit):
    """A TOSCA scalar-unit value as a number of ``unit``.

    For sizes, ``unit`` is ``MiB`` or ``GiB`` and binary and decimal
    prefixes are kept apart, so that the number is what the author wrote:
    '4 GiB' in MiB is 4096, '4096 MB' stays 4096 (MB), '20 GB' in GiB is 20
    (GB). IFA 011 labels these "MB" and "GB" without saying which.

    :returns: an int when whole, a float otherwise, the value itself when it
        is already a number or not a scalar, None for None.
    """
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return value
    match = _SCALAR.match(str(value))
    units = _UNITS[kind]
    source = match.group(2).lower() if match else None
    if source not in units:
        return value
    target = unit.lower()
    if kind == 'size' and not source.endswith('ib') and source != 'b':
        target = target.replace('ib', 'b')
    number = float(match.group(1)) * units[source] / units[target]
    return int(number) if number.is_integer() else round(number, 6)


def _clean(mapping):
    return {key: value for key, value in mapping.items()
            if value is not None and value != [] and value != {}}


# -- parts shared by the forms ------------------------------------------------

def _nodes(template, type_name):
    return [node for node in template.nodetemplates
            if node.is_derived_from(type_name)]


def _one(nodes, what, member):
    if len(nodes) > 1:
        raise errors.AppDInvalid(
            member=member, fields=[],
            reason='the template has %d %s nodes (%s); a MEC application '
            'has one.' % (len(nodes), what, ', '.join(n.name for n in nodes)))
    return nodes[0] if nodes else None


def _compute(node, ctx):
    props = ctx.props(node)
    caps = ctx.capability_props(node, 'virtual_compute')
    memory = caps.get('virtual_memory') or {}
    cpu = caps.get('virtual_cpu') or {}
    result = {
        'virtualComputeDescId': node.name,
        'virtualMemory': _clean({
            'virtualMemSize': scalar(memory.get('virtual_mem_size'), 'size',
                                     'MiB'),
            'virtualMemOversubscriptionPolicy':
                memory.get('virtual_mem_oversubscription_policy'),
            'vduMemRequirements': memory.get('vdu_mem_requirements'),
            'numaEnabled': memory.get('numa_enabled')}),
        'virtualCpu': _clean({
            'cpuArchitecture': cpu.get('cpu_architecture'),
            'numVirtualCpu': cpu.get('num_virtual_cpu'),
            'virtualCpuClock': scalar(cpu.get('virtual_cpu_clock'),
                                      'frequency', 'MHz'),
            'virtualCpuOversubscriptionPolicy':
                cpu.get('virtual_cpu_oversubscription_policy'),
            'vduCpuRequirements': cpu.get('vdu_cpu_requirements'),
            'virtualCpuPinning': cpu.get('virtual_cpu_pinning')}),
    }
    disks = caps.get('virtual_local_storage') or []
    if isinstance(disks, dict):
        disks = [disks]
    result['virtualDisk'] = [_clean({
        'sizeOfStorage': scalar(disk.get('size_of_storage'), 'size', 'GiB'),
        'vduStorageRequirements': disk.get('vdu_storage_requirements'),
        'rdmaEnabled': disk.get('rdma_enabled')})
        for disk in disks if isinstance(disk, dict)]
    if caps.get('logical_node'):
        result['logicalNode'] = [
            {'id': key, 'logicalNodeRequirementDetail': value}
            for key, value in caps['logical_node'].items()]
    if caps.get('requested_additional_capabilities'):
        result['requestAdditionalCapabilities'] = list(
            caps['requested_additional_capabilities'].values())
    requirements = caps.get('compute_requirements')
    extra_specs = (props.get('vdu_profile') or {}).get('flavor_extra_specs')
    if isinstance(extra_specs, dict):
        requirements = dict(requirements or {})
        requirements.update({key: str(value).lower() if isinstance(
            value, bool) else str(value) for key, value in
            extra_specs.items()})
    result['computeRequirements'] = requirements
    return _clean(result)


def _sw_image_from_artifacts(node, ctx, files):
    artifacts = node.entity_tpl.get('artifacts') or {}
    for name, artifact in artifacts.items():
        if not isinstance(artifact, dict):
            continue
        art_type = artifact.get('type') or ''
        if art_type != 'tosca.artifacts.nfv.SwImage' and \
                not art_type.startswith('tosca.artifacts.Deployment.Image'):
            continue
        props = ctx.resolve(artifact.get('properties') or {})
        checksum = props.get('checksum')
        if isinstance(checksum, dict):
            checksum = {'algorithm': checksum.get('algorithm'),
                        'hash': checksum.get('hash')}
        return _clean({
            'id': name, 'name': props.get('name') or name,
            'version': props.get('version'), 'checksum': checksum,
            'containerFormat': props.get('container_format'),
            'diskFormat': props.get('disk_format'),
            'minDisk': scalar(props.get('min_disk'), 'size', 'GiB'),
            'minRam': scalar(props.get('min_ram'), 'size', 'MiB'),
            'size': scalar(props.get('size'), 'size', 'GiB'),
            'swImage': artifact.get('file'),
            'operatingSystem': props.get('operating_system'),
            'supportedVirtualisationEnvironment':
                props.get('supported_virtualisation_environments')})
    return None


_EG_IMAGE_FIELDS = ('id', 'name', 'version', 'checksum', 'containerFormat',
                    'diskFormat', 'minDisk', 'minRam', 'size', 'swImage',
                    'operatingSystem', 'supportedVirtualisationEnvironment')


def sw_image_from_descriptor(entry):
    """The AppD swImageDescriptor of one ``SwImageDesc.json`` entry."""
    return _clean({key: entry.get(key) for key in _EG_IMAGE_FIELDS})


def _ext_cpds(template, ctx, type_name):
    cpds = []
    for node in _nodes(template, type_name):
        props = ctx.props(node)
        protocols = props.get('protocol') or []
        cpds.append(_clean({
            'cpdId': node.name,
            'layerProtocol': props.get('layer_protocols'),
            'cpRole': props.get('role'),
            'description': props.get('description'),
            'cpProtocol': [_clean({
                'associatedLayerProtocol': p.get('associated_layer_protocol'),
                'addressData': p.get('address_data')})
                for p in protocols if isinstance(p, dict)],
            'trunkMode': props.get('trunk_mode'),
            'order': props.get('order'),
            'vnicType': props.get('vnic_type'),
            'bitrateRequirement': props.get('bitrate_requirement'),
            'virtualNetworkInterfaceRequirements': [_clean({
                'name': r.get('name'), 'description': r.get('description'),
                'supportMandatory': r.get('support_mandatory'),
                'networkInterfaceRequirements':
                    r.get('network_interface_requirements')})
                for r in props.get('virtual_network_interface_requirements')
                or [] if isinstance(r, dict)]}))
    return cpds


def _storages(template, ctx):
    result = []
    for type_name, storage_type in STORAGE_TYPES:
        for node in _nodes(template, type_name):
            props = ctx.props(node)
            data = (props.get('virtual_block_storage_data') or
                    props.get('virtual_object_storage_data') or
                    props.get('virtual_file_storage_data') or
                    props.get('virtual_storage_data') or {})
            kind = storage_type
            if kind is None:
                kind = 'OBJECT' if data.get('type_of_storage') == \
                    'object_storage' else 'BLOCK'
            size = data.get('size_of_storage',
                            data.get('max_size_of_storage'))
            result.append(_clean({
                'id': props.get('id') or node.name, 'typeOfStorage': kind,
                'sizeOfStorage': scalar(size, 'size', 'GiB'),
                'rdmaEnabled': data.get('rdma_enabled'),
                'vduStorageRequirements': data.get('vdu_storage_requirements'),
                'fileSystemProtocol': data.get('file_system_protocol')}))
    return result


def _os_containers(template, ctx, files):
    result = []
    for node in _nodes(template, OS_CONTAINER):
        props = ctx.props(node)
        result.append(_clean({
            'osContainerDescId': node.name, 'name': props.get('name'),
            'description': props.get('description'),
            'requestedCpuResources': props.get('requested_cpu_resources'),
            'cpuResourceLimit': props.get('cpu_resource_limit'),
            'requestedMemoryResources': scalar(
                props.get('requested_memory_resources'), 'size', 'MiB'),
            'memoryResourceLimit': scalar(props.get('memory_resource_limit'),
                                          'size', 'MiB'),
            'swImageDesc': _sw_image_from_artifacts(node, ctx, files)}))
    return result


def _mec_versions(value):
    if isinstance(value, str):
        return [v.strip() for v in value.split(',') if v.strip()]
    return value


def _fallback_mec_version(ctx, package, origins):
    metadata = package.manifest_metadata if package else {}
    for key in ('mec_versions', 'mec_version'):
        if metadata.get(key):
            return _mec_versions(metadata[key])
    ctx.warnings.append('The package states no mecVersion; MEC 010-2 %s is '
                        'assumed.' % DEFAULT_MEC_VERSION)
    return [DEFAULT_MEC_VERSION]


def _lcm_configs(appd, props):
    lcm = props.get('lcm_operations_configuration') or {}
    terminate = lcm.get('terminate') or {}
    operate = lcm.get('operate') or {}
    if terminate:
        appd['terminateAppInstanceOpConfig'] = _clean({
            'minGracefulTerminationTimeout': scalar(
                terminate.get('min_graceful_termination_timeout'), 'time',
                's'),
            'maxRecommendedGracefulTerminationTimeout': scalar(
                terminate.get('max_recommended_graceful_termination_timeout'),
                'time', 's')})
    if operate:
        appd['changeAppInstanceStateOpConfig'] = _clean({
            'minGracefulStopTimeout': scalar(
                operate.get('min_graceful_stop_timeout'), 'time', 's'),
            'maxRecommendedGracefulStopTimeout': scalar(
                operate.get('max_recommended_graceful_stop_timeout'), 'time',
                's')})


# -- the forms ----------------------------------------------------------------

def _from_mec037(template, raw, ctx, package, member):
    app = _one(_nodes(template, MECAPP), MECAPP, member)
    props = ctx.props(app)
    origin = 'property %%s of node %s' % app.name
    origins = {
        'appDId': origin % 'descriptor_id',
        'appName': origin % 'product_name',
        'appProvider': origin % 'provider',
        'appSoftVersion': origin % 'software_version',
        'appDVersion': origin % 'descriptor_version',
        'mecVersion': origin % 'mec_version',
        'appDescription': (origin % 'product_info_description') +
        ' or the template description',
        'virtualComputeDescriptor': 'a %s node' % COMPUTE,
        'swImageDescriptor': 'a tosca.artifacts.nfv.SwImage artifact of the '
        '%s node' % COMPUTE,
    }
    appd = {
        'appDId': props.get('descriptor_id'),
        'appName': props.get('product_name'),
        'appProvider': props.get('provider'),
        'appSoftVersion': props.get('software_version'),
        'appDVersion': props.get('descriptor_version'),
        'mecVersion': _mec_versions(props.get('mec_version')),
        'appInfoName': props.get('product_info_name'),
        'appDescription': props.get('product_info_description') or
        raw.get('description'),
    }
    _common_resources(appd, template, ctx, package, member, origins)
    mec_fields.convert_fields(appd, props, mec_fields.MEC037, ctx,
                              use_snake=True)
    _lcm_configs(appd, props)
    return appd, origins


def _common_resources(appd, template, ctx, package, member, origins):
    compute = _one(_nodes(template, COMPUTE), COMPUTE, member)
    files = package.files if package else None
    if compute is not None:
        appd['virtualComputeDescriptor'] = _compute(compute, ctx)
        image = _sw_image_from_artifacts(compute, ctx, files)
        if image is None:
            image = _sw_image_from_package(ctx.props(compute), package)
        appd['swImageDescriptor'] = image
    appd['osContainerDescriptor'] = _os_containers(template, ctx, files)
    appd['virtualStorageDescriptor'] = _storages(template, ctx)
    appd['appExtCpd'] = _ext_cpds(template, ctx, VDUCP)


def _sw_image_from_package(compute_props, package):
    image_data = compute_props.get('sw_image_data') or {}
    name = image_data.get('name')
    images = package.sw_images if package else []
    for entry in images:
        if name and entry.get('name') == name:
            return sw_image_from_descriptor(entry)
    if images:
        return sw_image_from_descriptor(images[0])
    if name:
        return _clean({
            'name': name, 'version': image_data.get('version'),
            'containerFormat': image_data.get('container_format'),
            'diskFormat': image_data.get('disk_format'),
            'minDisk': scalar(image_data.get('min_disk'), 'size', 'GiB'),
            'size': scalar(image_data.get('size'), 'size', 'GiB')})
    return None


def _from_edgegallery(template, raw, ctx, package, member):
    config = _one(_nodes(template, tosca.EG_CONFIGURATION),
                  tosca.EG_CONFIGURATION, member)
    vnf = _one(_nodes(template, VNF), VNF, member)
    vnf_props = ctx.props(vnf) if vnf else {}
    conf = ctx.props(config)
    metadata = raw.get('metadata') or {}
    vnf_name = vnf.name if vnf else VNF
    origins = {
        'appDId': 'property vnfd_id of node %s' % vnf_name,
        'appName': 'property appName of node %s' % config.name,
        'appProvider': 'property provider of node %s' % vnf_name,
        'appSoftVersion': 'property software_version of node %s' % vnf_name,
        'appDVersion': 'property vnfd_version of node %s' % vnf_name,
        'appDescription': 'property product_info_description of node %s'
        % vnf_name,
        'virtualComputeDescriptor': 'a %s node' % COMPUTE,
        'swImageDescriptor': 'Image/SwImageDesc.json or sw_image_data of the '
        '%s node' % COMPUTE,
    }
    appd = {
        'appDId': vnf_props.get('vnfd_id') or metadata.get('vnfd_id'),
        'appName': conf.get('appName') or vnf_props.get('product_name'),
        'appProvider': vnf_props.get('provider'),
        'appSoftVersion': vnf_props.get('software_version'),
        'appDVersion': vnf_props.get('vnfd_version') or
        metadata.get('vnfd_version'),
        'mecVersion': _mec_versions(conf.get('mecVersion')),
        'appInfoName': vnf_props.get('product_info_name'),
        'appDescription': vnf_props.get('product_info_description') or
        raw.get('description') or metadata.get('vnfd_description'),
    }
    if not appd['mecVersion']:
        appd['mecVersion'] = _fallback_mec_version(ctx, package, origins)
    _common_resources(appd, template, ctx, package, member, origins)
    mec_fields.convert_fields(appd, conf, mec_fields.EDGEGALLERY,
                              ctx, use_snake=False)
    return appd, origins


def _from_mec_profile(template, raw, ctx, package, member):
    app = _one(_nodes(template, MEA), MEA, member)
    props = ctx.props(app)
    metadata = raw.get('metadata') or {}
    origins = {
        'appDId': 'property id of node %s' % app.name,
        'appProvider': 'property vendor of node %s' % app.name,
        'appSoftVersion': 'property version of node %s' % app.name,
        'appDescription': 'the template description',
        'virtualComputeDescriptor': 'a tosca.nodes.mec.VDU node',
        'swImageDescriptor': 'an image artifact of the tosca.nodes.mec.VDU '
        'node',
    }
    version = props.get('version')
    appd = {
        'appDId': props.get('id'),
        'appName': metadata.get('template_name') or app.name,
        'appProvider': props.get('vendor'),
        'appSoftVersion': None if version is None else str(version),
        'appDVersion': str(metadata.get('template_version') or version or ''),
        'mecVersion': _mec_versions(metadata.get('mec_version')),
        'appDescription': raw.get('description'),
    }
    if not appd['mecVersion']:
        appd['mecVersion'] = _fallback_mec_version(ctx, package, origins)
    vdu = _one(_nodes(template, 'tosca.nodes.mec.VDU'), 'tosca.nodes.mec.VDU',
               member)
    if vdu is not None:
        host = ctx.capability_props(vdu, 'host')
        os_props = ctx.capability_props(vdu, 'os')
        appd['virtualComputeDescriptor'] = _clean({
            'virtualComputeDescId': vdu.name,
            'virtualCpu': _clean({
                'numVirtualCpu': host.get('num_cpus'),
                'cpuArchitecture': os_props.get('architecture'),
                'virtualCpuClock': scalar(host.get('cpu_frequency'),
                                          'frequency', 'MHz')}),
            'virtualMemory': _clean({'virtualMemSize': scalar(
                host.get('mem_size'), 'size', 'MiB')}),
            'virtualDisk': [{'sizeOfStorage': scalar(
                host.get('disk_size'), 'size', 'GiB')}]
            if host.get('disk_size') is not None else None})
        image = _sw_image_from_artifacts(vdu, ctx, None)
        if image is not None and os_props.get('distribution'):
            image.setdefault('operatingSystem', os_props['distribution'])
        appd['swImageDescriptor'] = image
    appd['appExtCpd'] = _ext_cpds(template, ctx, 'tosca.nodes.mec.CP')
    return appd, origins


def from_tosca(data, document, name, limits, package):
    """Normalize a TOSCA template into the AppD.

    :param data: the template's bytes (kept as its text).
    :param document: the template, loaded with safe_yaml.
    :param name: its member path in the package (imports are relative to
        it), or its name for a stand-alone document.
    :param limits: the :class:`~mec_orchestrator.packaging.limits.Limits`.
    :param package: a :class:`PackageContext`, or None.
    :returns: an :class:`~mec_orchestrator.packaging.appd.AppDDocument`.
    :raises ToscaInvalid, MissingImport, AppDInvalid: see the errors.
    """
    files = package.files if package else tosca.PackageFiles(None, limits)
    text = data.decode('utf-8-sig') if isinstance(data, bytes) else data
    resolved = tosca.resolve_loaded(name, text, document, files, limits)
    name = files.display(name)
    template = tosca.parse(resolved.template, name)
    raw = resolved.template
    ctx = _Context(template)
    if raw.get('tosca_definitions_version') == tosca.MEC_PROFILE_VERSION \
            and _nodes(template, MEA):
        form, build = appd_mod.FORM_TOSCA_MEC_PROFILE, _from_mec_profile
    elif _nodes(template, MECAPP):
        form, build = appd_mod.FORM_MEC037, _from_mec037
    elif _nodes(template, tosca.EG_CONFIGURATION):
        form, build = appd_mod.FORM_EDGEGALLERY, _from_edgegallery
    else:
        raise errors.AppDInvalid(
            member=name, fields=[],
            reason='the template has no MEC application node (a node '
            'derived from %s or %s, or of type %s).'
            % (MECAPP, MEA, tosca.EG_CONFIGURATION))
    appd, origins = build(template, raw, ctx, package, name)
    appd = _clean(appd)
    warnings = list(resolved.warnings) + ctx.warnings
    if ctx.undefined:
        warnings.append('The template refers to undefined inputs: %s.'
                        % ', '.join(sorted(ctx.undefined)))
    if ctx.dropped:
        shown = ', '.join(ctx.dropped[:10])
        if len(ctx.dropped) > 10:
            shown += ' and %d more' % (len(ctx.dropped) - 10)
        warnings.append('Fields that are not part of the MEC 010-2 AppD '
                        'were left out: %s.' % shown)
    appd_mod.validate(appd, name, origins=origins, warnings=warnings)
    return appd_mod.AppDDocument(appd=appd, form=form, warnings=warnings,
                                 tosca=resolved)

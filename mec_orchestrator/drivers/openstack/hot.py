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
"""From a normalized AppD to a Heat (HOT) template, without any service.

The AppD's virtual compute, connection points and block storage become a
TOSCA Simple Profile template (``tosca.nodes.Compute``,
``tosca.nodes.network.Port`` bound to the compute and linked to an existing
``tosca.nodes.network.Network``, ``tosca.nodes.BlockStorage`` attached to
the compute), which tosca-parser validates and heat-translator turns into
``OS::Nova::Server``, ``OS::Neutron::Port``, ``OS::Cinder::Volume`` and
``OS::Cinder::VolumeAttachment`` resources.

What heat-translator cannot express is then set on the HOT directly:

* the flavor and image, which heat-translator takes from its built-in
  tables, are replaced by those the driver chose on the VIM;
* ``tosca.nodes.Compute`` has no properties for the availability zone, the
  server's name, metadata, user data or the config drive, and
  heat-translator asks for ``SOFTWARE_CONFIG`` user data (Heat's agents):
  the server gets the MEC host's zone, ``RAW`` cloud-init user data and a
  config drive;
* ``tosca.nodes.network.Port`` has no name: ports are named after the
  stack and the connection point;
* outputs: the server's id and each connection point's fixed IPs.

No call made here reaches a service: heat-translator only queries Nova and
Glance when its ``SESSION`` is set, which only its command line does.
"""

import collections
import copy
import hashlib
import json
import math
import re
import threading

from toscaparser import tosca_template
from translator.hot import tosca_translator
import yaml

from mec_orchestrator.drivers import base

#: HOT resource name of the server.
SERVER = 'server'
#: Connection point id used when the AppD lists no ``appExtCpd``.
DEFAULT_CP = 'default'
#: Where cloud-init writes the app instance's data in the guest.
INSTANCE_FILE = '/etc/mec/app-instance.json'
#: Template version: Heat Queens and later.
HOT_VERSION = '2018-03-02'

_TOSCA_VERSION = 'tosca_simple_yaml_1_0'
_UNSAFE = re.compile(r'[^A-Za-z0-9_]')


def requirements(appd):
    """What the AppD's virtual compute needs from a flavor.

    :param appd: the normalized AppD.
    :returns: a dict with ``vcpus``, ``ram`` (MiB) and ``disk`` (GiB):
        the root disk is the larger of the first virtual disk and the
        image's ``minDisk``, the RAM the larger of ``virtualMemSize`` and
        the image's ``minRam``.
    """
    compute = appd.get('virtualComputeDescriptor') or {}
    image = appd.get('swImageDescriptor') or {}
    vcpus = (compute.get('virtualCpu') or {}).get('numVirtualCpu') or 1
    ram = (compute.get('virtualMemory') or {}).get('virtualMemSize') or 0
    disks = compute.get('virtualDisk') or []
    disk = (disks[0].get('sizeOfStorage') or 0) if disks else 0
    return {'vcpus': int(math.ceil(vcpus)),
            'ram': int(math.ceil(max(ram, image.get('minRam') or 0))),
            'disk': int(math.ceil(max(disk, image.get('minDisk') or 0)))}


def connection_points(appd):
    """The ids of the AppD's external connection points, in order.

    :param appd: the normalized AppD.
    :returns: the ``cpdId`` of each ``appExtCpd`` sorted by ``order``
        (then as listed), or ``[DEFAULT_CP]`` when it has none.
    """
    cpds = [cpd for cpd in appd.get('appExtCpd') or []
            if isinstance(cpd, dict) and cpd.get('cpdId')]
    if not cpds:
        return [DEFAULT_CP]
    indexed = sorted(enumerate(cpds), key=lambda item: (
        item[1].get('order') if isinstance(item[1].get('order'), int)
        else len(cpds) + item[0], item[0]))
    return [cpd['cpdId'] for _index, cpd in indexed]


def user_data(instance):
    """The cloud-init user data giving the guest its app instance data.

    :param instance: the app instance as a dict (``id``, ``platform``).
    :returns: a ``#cloud-config`` document writing :data:`INSTANCE_FILE`
        (mode 0600: the platform part may hold Mp1 credentials).
    """
    content = json.dumps({'appInstanceId': instance['id'],
                          'platform': instance.get('platform') or {}},
                         sort_keys=True, indent=2)
    config = {'write_files': [{'path': INSTANCE_FILE, 'permissions': '0600',
                               'owner': 'root:root',
                               'content': content + '\n'}]}
    return '#cloud-config\n' + yaml.safe_dump(config, default_flow_style=False)


def _node_name(prefix, identifier, taken):
    name = '%s_%s' % (prefix, _UNSAFE.sub('_', str(identifier)))
    candidate, counter = name, 1
    while candidate in taken:
        counter += 1
        candidate = '%s_%d' % (name, counter)
    taken.add(candidate)
    return candidate


def _block_storages(appd):
    return [storage for storage in appd.get('virtualStorageDescriptor') or []
            if isinstance(storage, dict) and
            (storage.get('typeOfStorage') or 'BLOCK') == 'BLOCK' and
            storage.get('sizeOfStorage')]


def tosca_template_dict(appd, networks):
    """The TOSCA Simple Profile template of an AppD's virtual resources.

    :param appd: the normalized AppD.
    :param networks: connection point id -> network name or id.
    :returns: ``(template, ports, volumes)``: the template as a dict, and
        the node names of the ports (cpd id -> node) and volumes (storage
        id -> node).
    """
    need = requirements(appd)
    host = {'num_cpus': need['vcpus']}
    if need['ram']:
        host['mem_size'] = '%d MiB' % need['ram']
    if need['disk']:
        host['disk_size'] = '%d GiB' % need['disk']
    compute = {'type': 'tosca.nodes.Compute',
               'capabilities': {'host': {'properties': host}},
               'requirements': []}
    nodes = {SERVER: compute}
    taken = {SERVER}
    ports = {}
    network_nodes = {}
    for order, cpd_id in enumerate(connection_points(appd)):
        network = networks[cpd_id]
        if network not in network_nodes:
            net_node = _node_name('net', len(network_nodes), taken)
            network_nodes[network] = net_node
            nodes[net_node] = {'type': 'tosca.nodes.network.Network',
                               'properties': {'network_name': network}}
        node = _node_name('port', cpd_id, taken)
        ports[cpd_id] = node
        nodes[node] = {'type': 'tosca.nodes.network.Port',
                       'properties': {'order': order},
                       'requirements': [{'binding': SERVER},
                                        {'link': network_nodes[network]}]}
    volumes = {}
    for index, storage in enumerate(_block_storages(appd)):
        node = _node_name('volume', storage.get('id') or index, taken)
        volumes[storage.get('id') or node] = node
        nodes[node] = {'type': 'tosca.nodes.BlockStorage', 'properties': {
            'size': '%d GiB' % int(math.ceil(storage['sizeOfStorage']))}}
        compute['requirements'].append({'local_storage': {
            'node': node, 'relationship': {
                'type': 'tosca.relationships.AttachesTo',
                'properties': {'location': '/dev/vd%s' % chr(
                    ord('b') + index)}}}})
    if not compute['requirements']:
        del compute['requirements']
    template = {'tosca_definitions_version': _TOSCA_VERSION,
                'description': 'AppD %s' % appd.get('appDId', '-'),
                'topology_template': {'node_templates': nodes}}
    return template, ports, volumes


#: Translations already made, by digest of their TOSCA template: the
#: instances of an AppD on one network translate alike, and a translation
#: costs tens of milliseconds of CPU.
_TRANSLATED = collections.OrderedDict()
_TRANSLATED_LOCK = threading.Lock()
MAX_TRANSLATED = 128


def translate(template):
    """Translate a TOSCA template with tosca-parser and heat-translator.

    :param template: a TOSCA Simple Profile template as a dict.
    :returns: the HOT template as a dict (the caller's own copy).
    :raises: toscaparser's ValidationError when the template is invalid.
    """
    key = hashlib.sha256(json.dumps(template, sort_keys=True,
                                    default=str).encode('utf-8')).hexdigest()
    with _TRANSLATED_LOCK:
        hot_template = _TRANSLATED.get(key)
        if hot_template is not None:
            _TRANSLATED.move_to_end(key)
            return copy.deepcopy(hot_template)
    tosca = tosca_template.ToscaTemplate(
        yaml_dict_tpl=copy.deepcopy(template), a_file=False)
    files = tosca_translator.TOSCATranslator(
        tosca, {}).translate_to_yaml_files_dict('main.yaml')
    hot_template = yaml.safe_load(files['main.yaml'])
    with _TRANSLATED_LOCK:
        _TRANSLATED[key] = hot_template
        while len(_TRANSLATED) > MAX_TRANSLATED:
            _TRANSLATED.popitem(last=False)
    return copy.deepcopy(hot_template)


def build_template(appd, instance, request, flavor, image, networks):
    """The HOT template of an app instance.

    :param appd: the normalized AppD.
    :param instance: the app instance as a dict (``id``, ``mec_host``,
        ``platform``).
    :param request: the InstantiateAppRequest (unused today: the
        networks it names are already in ``networks``).
    :param flavor: the Nova flavor's name or id.
    :param image: the Glance image's id (or name).
    :param networks: connection point id (see :func:`connection_points`)
        -> Neutron network name or id.
    :returns: the HOT template as a dict.
    :raises: KeyError when a connection point has no network.
    """
    name = base.resource_name(instance['id'])
    template, ports, volumes = tosca_template_dict(appd, networks)
    hot = translate(template)
    hot['heat_template_version'] = HOT_VERSION
    hot['description'] = 'MEC app instance %s (AppD %s)' % (
        instance['id'], appd.get('appDId', '-'))
    resources = hot['resources']
    server = resources[SERVER]['properties']
    server.update({
        'name': name, 'flavor': flavor, 'image': image,
        'user_data_format': 'RAW', 'user_data': user_data(instance),
        'config_drive': True,
        'metadata': {'mec_app_instance_id': instance['id'],
                     'mec_app_d_id': str(appd.get('appDId', ''))}})
    zone = ((instance.get('mec_host') or {}).get('zone'))
    if zone:
        server['availability_zone'] = zone
    outputs = {'server_id': {'description': 'The server of the app instance',
                             'value': {'get_resource': SERVER}}}
    for cpd_id, node in ports.items():
        port = resources[node]
        port['properties']['name'] = '%s-%s' % (name, cpd_id)
        outputs['%s_fixed_ips' % cpd_id] = {
            'description': 'Fixed IPs of connection point %s' % cpd_id,
            'value': {'get_attr': [node, 'fixed_ips']}}
    for storage_id, node in volumes.items():
        resources[node]['properties']['name'] = '%s-%s' % (name, storage_id)
    # heat-translator names attachments after the relationship type.
    for key in [k for k, r in resources.items()
                if r.get('type') == 'OS::Cinder::VolumeAttachment']:
        attachment = resources.pop(key)
        volume = attachment['properties']['volume_id']['get_resource']
        resources['%s_attachment' % volume] = attachment
    hot['outputs'] = outputs
    hot.pop('parameters', None)
    return hot

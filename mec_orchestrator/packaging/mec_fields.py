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

"""The MEC fields of the AppD, from their TOSCA spellings.

Two dialects are mapped to the MEC 010-2 AppD names: ETSI GS MEC 037
(snake_case data types ``tosca.datatypes.mec.*``: ``ser_name`` ->
``serName``, ``qci`` -> ``qCI``, ``transport_serializer`` flattened, OAuth 2
security restructured as MEC 011 ``SecurityInfo``) and EdgeGallery's
camelCase properties (with their known variants: ``srcMacAddress`` ->
``srcMACAddress``, ``GTP_U`` -> ``GTP-U``, ``serCategory`` as a plain string,
``requestedPermissions: true``).

A table maps a source field to an AppD field name, or to (name, kind) where
kind is the converter of a nested value, or [kind] for a list of them;
functions handle what is more than a renaming. Fields a table does not know
are left out and reported through ``ctx.dropped``.
"""

def _mec037_security(value, ctx, where):
    if not isinstance(value, dict):
        return {}
    info = {}
    grants = value.get('oauth2_grant_type')
    if grants is not None:
        info['grantTypes'] = grants if isinstance(grants, list) else [grants]
    if value.get('oauth2_token_endpoint') is not None:
        info['tokenEndpoint'] = value['oauth2_token_endpoint']
    return {'oAuth2Info': info} if info else {}


def _mec037_transport_dependency(value, ctx, where):
    if not isinstance(value, dict):
        return value
    binding = value.get('transport_serializer') or {}
    result = _convert(binding, 'TransportsSupported', MEC037, ctx, where)
    if value.get('labels') is not None:
        result['labels'] = value['labels']
    return result


def _eg_security(value, ctx, where):
    if isinstance(value, dict):
        return value
    if value not in (None, ''):
        ctx.dropped.append('%s (%r is not a SecurityInfo object)'
                           % (where, value))
    return {}


def _eg_category(value, ctx, where):
    if isinstance(value, str):
        return {'name': value}
    return value


def _eg_permissions(value, ctx, where):
    if isinstance(value, list):
        return value
    ctx.dropped.append('%s (%r is not a list of permissions)'
                       % (where, value))
    return _DROP


def _eg_tunnel_type(value, ctx, where):
    return {'GTP_U': 'GTP-U', 'GTPU': 'GTP-U'}.get(value, value)


_DROP = object()

MEC037 = {
    'ServiceDependency': {
        'ser_name': 'serName', 'version': 'version',
        'ser_category': ('serCategory', 'CategoryRef'),
        'ser_transport_dependencies': ('serTransportDependencies',
                                       ['TransportDependency']),
        'requested_permissions': ('requestedPermissions', ['Permission'])},
    'ServiceDescriptor': {
        'ser_name': 'serName', 'version': 'version',
        'ser_category': ('serCategory', 'CategoryRef'),
        'transport_supported': ('transportsSupported',
                                ['TransportsSupported']),
        'transports_supported': ('transportsSupported',
                                 ['TransportsSupported'])},
    'CategoryRef': {'href': 'href', 'id': 'id', 'name': 'name',
                    'version': 'version'},
    'Permission': {'id': 'id', 'display_name': 'displayName'},
    'TransportsSupported': {
        'transport': ('transport', 'TransportDescriptor'),
        'serializers': 'serializers'},
    'TransportDescriptor': {
        'type': 'type', 'protocol': 'protocol', 'version': 'version',
        'security': ('security', 'SecurityInfo')},
    'SecurityInfo': _mec037_security,
    'TransportDependency': _mec037_transport_dependency,
    'FeatureDependency': {'feature_name': 'featureName',
                          'version': 'version'},
    'TrafficRuleDescriptor': {
        'traffic_rule_id': 'trafficRuleId', 'filter_type': 'filterType',
        'priority': 'priority', 'action': 'action',
        'traffic_filter': ('trafficFilter', ['TrafficFilter']),
        'dst_interface': ('dstInterface', ['InterfaceDescriptor'])},
    'TrafficFilter': {
        'direction': 'direction', 'src_address': 'srcAddress',
        'dst_address': 'dstAddress', 'src_port': 'srcPort',
        'dst_port': 'dstPort', 'protocol': 'protocol', 'tag': 'tag',
        'src_tunnel_address': 'srcTunnelAddress',
        'tgt_tunnel_address': 'tgtTunnelAddress',
        'src_tunnel_port': 'srcTunnelPort',
        'dst_tunnel_port': 'dstTunnelPort', 'qci': 'qCI', 'dscp': 'dSCP',
        'tc': 'tC'},
    'InterfaceDescriptor': {
        'interface_type': 'interfaceType',
        'tunnel_info': ('tunnelInfo', 'TunnelInfo'),
        'src_mac_address': 'srcMACAddress',
        'dst_mac_address': 'dstMACAddress',
        'dst_ip_address': 'dstIPAddress'},
    'TunnelInfo': {'tunnel_type': 'tunnelType',
                   'tunnel_dst_address': 'tunnelDstAddress',
                   'tunnel_src_address': 'tunnelSrcAddress',
                   'tunnel_specific_data': 'tunnelSpecificData'},
    'DNSRuleDescriptor': {
        'dns_rule_id': 'dnsRuleId', 'domain_name': 'domainName',
        'ip_address_type': 'ipAddressType', 'ip_address': 'ipAddress',
        'ttl': 'ttl'},
    'LatencyDescriptor': {'max_latency': 'maxLatency'},
    'UserContextTransferCapability': {
        'stateful_application': 'statefulApplication',
        'user_context_transfer_support': 'userContextTransferSupport'},
    'AppNetworkPolicy': {'cellular_network': 'cellularNetwork',
                         'wifi_network': 'wifiNetwork',
                         'fixed_access_network': 'fixedAccessNetwork'},
}

EDGEGALLERY = {
    'ServiceDependency': {
        'serName': 'serName', 'version': 'version',
        'serCategory': ('serCategory', 'CategoryRef'),
        'serTransportDependencies': ('serTransportDependencies',
                                     ['TransportDependency']),
        'requestedPermissions': ('requestedPermissions', 'Permissions')},
    'ServiceDescriptor': {
        'serName': 'serName', 'version': 'version',
        'serCategory': ('serCategory', 'CategoryRef'),
        'transportsSupported': ('transportsSupported',
                                ['TransportsSupported'])},
    'CategoryRef': _eg_category,
    'Permissions': _eg_permissions,
    'TransportsSupported': {
        'transport': ('transport', 'TransportDescriptor'),
        'serializers': 'serializers'},
    'TransportDescriptor': {
        'type': 'type', 'protocol': 'protocol', 'version': 'version',
        'security': ('security', 'SecurityInfo')},
    'SecurityInfo': _eg_security,
    'TransportDependency': {
        'transport': ('transport', 'TransportDescriptor'),
        'serializers': 'serializers', 'labels': 'labels'},
    'FeatureDependency': {'featureName': 'featureName',
                          'version': 'version'},
    'TrafficRuleDescriptor': {
        'trafficRuleId': 'trafficRuleId', 'filterType': 'filterType',
        'priority': 'priority', 'action': 'action',
        'trafficFilter': ('trafficFilter', ['TrafficFilter']),
        'dstInterface': ('dstInterface', ['InterfaceDescriptor'])},
    'TrafficFilter': {name: name for name in (
        'direction', 'srcAddress', 'dstAddress', 'srcPort', 'dstPort',
        'protocol', 'tag', 'srcTunnelAddress', 'tgtTunnelAddress',
        'srcTunnelPort', 'dstTunnelPort', 'qCI', 'dSCP', 'tC')},
    'InterfaceDescriptor': {
        'interfaceType': 'interfaceType',
        'tunnelInfo': ('tunnelInfo', 'TunnelInfo'),
        'srcMACAddress': 'srcMACAddress', 'srcMacAddress': 'srcMACAddress',
        'dstMACAddress': 'dstMACAddress', 'dstMacAddress': 'dstMACAddress',
        'dstIPAddress': 'dstIPAddress', 'dstIpAddress': 'dstIPAddress'},
    'TunnelInfo': {'tunnelType': ('tunnelType', 'TunnelType'),
                   'tunnelDstAddress': 'tunnelDstAddress',
                   'tunnelSrcAddress': 'tunnelSrcAddress',
                   'tunnelSpecificData': 'tunnelSpecificData'},
    'TunnelType': _eg_tunnel_type,
    'DNSRuleDescriptor': {name: name for name in (
        'dnsRuleId', 'domainName', 'ipAddressType', 'ipAddress', 'ttl')},
    'LatencyDescriptor': {'maxLatency': 'maxLatency'},
    'TerminateAppInstanceOpConfig': {name: name for name in (
        'minGracefulTerminationTimeout',
        'maxRecommendedGracefulTerminationTimeout', 'parameter')},
    'ChangeAppInstanceStateOpConfig': {name: name for name in (
        'minGracefulStopTimeout', 'maxRecommendedGracefulStopTimeout',
        'parameter')},
}

#: AppD list and object fields and the converter kind of their items.
_MEC_FIELDS = (
    ('appServiceRequired', 'app_service_required', ['ServiceDependency']),
    ('appServiceOptional', 'app_service_optional', ['ServiceDependency']),
    ('appServiceProduced', 'app_service_produced', ['ServiceDescriptor']),
    ('appFeatureRequired', 'app_feature_required', ['FeatureDependency']),
    ('appFeatureOptional', 'app_feature_optional', ['FeatureDependency']),
    ('transportDependencies', 'transport_dependencies',
     ['TransportDependency']),
    ('appTrafficRule', 'app_traffic_rule', ['TrafficRuleDescriptor']),
    ('appDNSRule', 'app_dns_rule', ['DNSRuleDescriptor']),
    ('appLatency', 'app_latency', 'LatencyDescriptor'),
    ('userContextTransferCapability', 'user_context_transfer_capability',
     'UserContextTransferCapability'),
    ('appNetworkPolicy', 'app_network_policy', 'AppNetworkPolicy'),
    ('terminateAppInstanceOpConfig', None, 'TerminateAppInstanceOpConfig'),
    ('changeAppInstanceStateOpConfig', None,
     'ChangeAppInstanceStateOpConfig'),
)


def _convert(value, kind, table, ctx, where):
    spec = table[kind]
    if callable(spec):
        return spec(value, ctx, where)
    if not isinstance(value, dict):
        return value
    result = {}
    for key, item in value.items():
        target = spec.get(key)
        if target is None:
            ctx.dropped.append('%s.%s' % (where, key))
            continue
        name, sub = target if isinstance(target, tuple) else (target, None)
        if item is None and not (isinstance(sub, str) and
                                 callable(table[sub])):
            continue
        path = '%s.%s' % (where, name)
        if isinstance(sub, list):
            items = item if isinstance(item, list) else [item]
            converted = [_convert(x, sub[0], table, ctx,
                                  '%s[%d]' % (path, i))
                         for i, x in enumerate(items)]
        elif sub is not None:
            converted = _convert(item, sub, table, ctx, path)
        else:
            converted = item
        if converted is not _DROP:
            result[name] = converted
    return result


def convert_fields(appd, source, table, ctx, use_snake):
    """Convert the MEC fields of ``source`` into ``appd``.

    :param appd: the AppD being built; fields are added.
    :param source: the TOSCA properties holding the MEC fields.
    :param table: :data:`MEC037` or :data:`EDGEGALLERY`.
    :param ctx: an object with a ``dropped`` list.
    :param use_snake: look the fields up by their MEC 037 names.
    """
    for field, snake, kind in _MEC_FIELDS:
        key = snake if use_snake else field
        if key is None or source.get(key) is None:
            continue
        value = source[key]
        if isinstance(kind, list):
            items = value if isinstance(value, list) else [value]
            appd[field] = [_convert(item, kind[0], table, ctx,
                                    '%s[%d]' % (field, index))
                           for index, item in enumerate(items)]
        elif kind in table:
            appd[field] = _convert(value, kind, table, ctx, field)

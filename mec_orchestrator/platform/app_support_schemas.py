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
"""JSON schemas of the request bodies of /mec_app_support/v1 (MEC 011 v2.1.1).

Derived from the data models of ETSI GS MEC 011 v2.1.1 (clause 7.1.2),
stricter on types and sizes than the OpenAPI file: an unknown field is
refused, as is a string where an integer is expected. Addresses and ports
are strings here; :mod:`mec_orchestrator.platform.controllers.app_support`
checks their syntax with :mod:`ipaddress`.

Tolerances, all documented in ``doc/source/user/mp1.rst``:

* ``dstInterface`` of a TrafficRule is one DestinationInterface (as the
  OpenAPI file) or a list of one or two (the cardinality 0..2 of the
  data model, and of the AppD's TrafficRuleDescriptor);
* ``_links`` of an AppTerminationNotificationSubscription is optional in
  a request (the platform makes it).
"""

_id = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_text = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_strings = {'type': 'array', 'maxItems': 100, 'items': _text}
_state = {'enum': ['ACTIVE', 'INACTIVE']}
_int32 = {'type': 'integer', 'minimum': 0, 'maximum': 2 ** 31 - 1}

#: TrafficFilter (MEC 011 clause 7.1.2.4).
TRAFFIC_FILTER = {
    'type': 'object',
    'properties': {
        'srcAddress': _strings,
        'dstAddress': _strings,
        'srcPort': _strings,
        'dstPort': _strings,
        'protocol': _strings,
        'token': _strings,
        'srcTunnelAddress': _strings,
        'tgtTunnelAddress': _strings,
        'srcTunnelPort': _strings,
        'dstTunnelPort': _strings,
        'qCI': {'type': 'integer', 'minimum': 0, 'maximum': 255},
        'dSCP': {'type': 'integer', 'minimum': 0, 'maximum': 63},
        'tC': {'type': 'integer', 'minimum': 0, 'maximum': 255},
    },
    'additionalProperties': False,
}

#: TunnelInfo (MEC 011 clause 7.1.2.6).
TUNNEL_INFO = {
    'type': 'object',
    'required': ['tunnelType'],
    'properties': {
        'tunnelType': {'enum': ['GTP_U', 'GRE']},
        'tunnelDstAddress': _text,
        'tunnelSrcAddress': _text,
    },
    'additionalProperties': False,
}

#: DestinationInterface (MEC 011 clause 7.1.2.5).
DESTINATION_INTERFACE = {
    'type': 'object',
    'required': ['interfaceType'],
    'properties': {
        'interfaceType': {'enum': ['TUNNEL', 'MAC', 'IP']},
        'tunnelInfo': TUNNEL_INFO,
        'srcMacAddress': _text,
        'dstMacAddress': _text,
        'dstIpAddress': _text,
    },
    'additionalProperties': False,
}

#: TrafficRule (MEC 011 clause 7.1.2.2), the body of a PUT.
TRAFFIC_RULE = {
    'type': 'object',
    'required': ['trafficRuleId', 'filterType', 'priority', 'trafficFilter',
                 'action', 'state'],
    'properties': {
        'trafficRuleId': _id,
        'filterType': {'enum': ['FLOW', 'PACKET']},
        'priority': {'type': 'integer', 'minimum': 0, 'maximum': 255},
        'trafficFilter': {'type': 'array', 'minItems': 1, 'maxItems': 100,
                          'items': TRAFFIC_FILTER},
        'action': {'enum': ['DROP', 'FORWARD_DECAPSULATED',
                            'FORWARD_ENCAPSULATED', 'PASSTHROUGH',
                            'DUPLICATE_DECAPSULATED',
                            'DUPLICATE_ENCAPSULATED']},
        'dstInterface': {'oneOf': [
            DESTINATION_INTERFACE,
            {'type': 'array', 'minItems': 1, 'maxItems': 2,
             'items': DESTINATION_INTERFACE},
        ]},
        'state': _state,
    },
    'additionalProperties': False,
}

#: DnsRule (MEC 011 clause 7.1.2.3), the body of a PUT.
DNS_RULE = {
    'type': 'object',
    'required': ['dnsRuleId', 'domainName', 'ipAddressType', 'ipAddress',
                 'state'],
    'properties': {
        'dnsRuleId': _id,
        'domainName': {'type': 'string', 'minLength': 1, 'maxLength': 253},
        'ipAddressType': {'enum': ['IP_V4', 'IP_V6']},
        'ipAddress': {'type': 'string', 'minLength': 1, 'maxLength': 45},
        'ttl': _int32,
        'state': _state,
    },
    'additionalProperties': False,
}

#: AppTerminationNotificationSubscription (MEC 011 clause 7.1.3.2).
TERMINATION_SUBSCRIPTION = {
    'type': 'object',
    'required': ['subscriptionType', 'callbackReference', 'appInstanceId'],
    'properties': {
        'subscriptionType': {
            'enum': ['AppTerminationNotificationSubscription']},
        'callbackReference': {'type': 'string', 'minLength': 1,
                              'maxLength': 2048},
        'appInstanceId': _id,
        '_links': {'type': 'object'},
    },
    'additionalProperties': False,
}

#: AppReadyConfirmation (MEC 011 clause 7.1.2.8).
READY_CONFIRMATION = {
    'type': 'object',
    'required': ['indication'],
    'properties': {'indication': {'enum': ['READY']}},
    'additionalProperties': False,
}

#: AppTerminationConfirmation (MEC 011 clause 7.1.2.7).
TERMINATION_CONFIRMATION = {
    'type': 'object',
    'required': ['operationAction'],
    'properties': {'operationAction': {'enum': ['STOPPING', 'TERMINATING']}},
    'additionalProperties': False,
}

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
"""Request bodies of /v1/mec_hosts: the fields the operator sets.

The VIM cannot know where a host is, which MEC platform serves it, what
that platform offers or how far user areas are: the operator PATCHes them
(JSON merge patch, RFC 7396: ``location`` and ``latencies`` merge, null
removes a field; ``platform_services`` is replaced). Discovery never
overwrites them.
"""

from mec_orchestrator.api.schemas import safe
from mec_orchestrator.common import exception
from mec_orchestrator.common.i18n import _

#: MEC 011 TransportType.
TRANSPORT_TYPES = ('REST_HTTP', 'MB_TOPIC_BASED', 'MB_ROUTING', 'MB_PUBSUB',
                   'RPC', 'RPC_STREAMING', 'WEBSOCKET')


def _string(max_length=255, nullable=True):
    return {'type': ['string', 'null'] if nullable else 'string',
            'minLength': 1, 'maxLength': max_length}


LOCATION = {
    'type': ['object', 'null'],
    'properties': {
        'latitude': {'type': ['number', 'null'], 'minimum': -90,
                     'maximum': 90},
        'longitude': {'type': ['number', 'null'], 'minimum': -180,
                      'maximum': 180},
        'area_id': _string(),
        'cell_ids': {'type': ['array', 'null'], 'maxItems': 1024,
                     'items': _string(nullable=False)},
        # ISO 3166-1 alpha-2, and RFC 4776 civic address elements, as in
        # MEC 010-2 LocationConstraints.
        'country_code': {'type': ['string', 'null'],
                         'pattern': '^[A-Z]{2}$'},
        'civic_address': {
            'type': ['array', 'null'], 'maxItems': 64,
            'items': {'type': 'object', 'required': ['caType', 'caValue'],
                      'properties': {
                          'caType': {'type': 'integer', 'minimum': 0,
                                     'maximum': 255},
                          'caValue': _string(nullable=False)},
                      'additionalProperties': False}},
    },
    'additionalProperties': False,
}

PLATFORM_SERVICE = {
    'type': 'object',
    'required': ['serName'],
    'properties': {
        'serName': _string(nullable=False),
        'version': _string(64),
        'transport': {'enum': list(TRANSPORT_TYPES) + [None]},
    },
    'additionalProperties': False,
}

UPDATE_MEC_HOST = {
    'type': 'object',
    'properties': {
        'name': {'type': 'string', 'minLength': 1, 'maxLength': 255,
                 'pattern': r'^\S(.*\S)?$'},
        'description': _string(4096),
        'location': LOCATION,
        'mep_endpoint': {'type': ['string', 'null'], 'minLength': 1,
                         'maxLength': 1024,
                         'pattern': '^[Hh][Tt][Tt][Pp][Ss]?://'},
        'platform_services': {'type': ['array', 'null'], 'maxItems': 256,
                              'items': PLATFORM_SERVICE},
        'latencies': {
            'type': ['object', 'null'], 'maxProperties': 1024,
            'propertyNames': {'minLength': 1, 'maxLength': 255},
            'additionalProperties': {'type': ['number', 'null'],
                                     'minimum': 0},
        },
        'enabled': {'type': 'boolean'},
    },
    'additionalProperties': False,
}


def _location(host):
    return {k: v for k, v in (('latitude', host.latitude),
                              ('longitude', host.longitude),
                              ('area_id', host.area_id),
                              ('cell_ids', host.cell_ids),
                              ('country_code', host.country_code),
                              ('civic_address', host.civic_address))
            if v is not None}


def update_values(host, body):
    """Check a PATCH /v1/mec_hosts/{id} body and give the columns to set.

    :param host: the MEC host's row.
    :param body: the decoded body.
    :returns: a dict of MEC host columns.
    :raises: Invalid
    """
    safe.validate(body, UPDATE_MEC_HOST)
    values = {k: body[k] for k in ('name', 'description', 'mep_endpoint',
                                   'enabled') if k in body}
    if 'platform_services' in body:
        values['platform_services'] = body['platform_services'] or []
    if 'latencies' in body:
        values['latencies'] = safe.merge_patch(host.latencies or {},
                                               body['latencies'] or {})
        if body['latencies'] is None:
            values['latencies'] = {}
    if 'location' in body:
        location = ({} if body['location'] is None else
                    safe.merge_patch(_location(host), body['location']))
        if ('latitude' in location) != ('longitude' in location):
            raise exception.Invalid(reason=_(
                'location: latitude and longitude go together'))
        for field in ('latitude', 'longitude', 'area_id', 'cell_ids',
                      'country_code', 'civic_address'):
            values[field] = location.get(field)
    return values

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
"""JSON schemas of the request bodies of /mec_service_mgmt/v1 (MEC 011
v2.1.1).

Field for field the data types of ETSI GS MEC 011 v2.1.1 (clause 8.1):
unknown attributes are refused. ``serInstanceId`` is assigned by the
platform: it is absent from a registration (the text: "Shall be absent in
POST requests") and, in a PUT, it may be given only as the path's id
(checked by the controller). A registration gives exactly one of
``transportId`` (a transport of ``GET /transports``) and ``transportInfo``
(the POST body is the ``oneOf`` of the two); a PUT gives ``transportInfo``,
as the ServiceInfo of the responses.
"""

import copy

#: The ServiceState values.
SERVICE_STATES = ('ACTIVE', 'INACTIVE')
#: The LocalityType values.
LOCALITY_TYPES = ('MEC_SYSTEM', 'MEC_HOST', 'NFVI_POP', 'ZONE',
                  'ZONE_GROUP', 'NFVI_NODE')
#: The SerializerType values.
SERIALIZER_TYPES = ('JSON', 'XML', 'PROTOBUF3')
#: The TransportType values.
TRANSPORT_TYPES = ('REST_HTTP', 'MB_TOPIC_BASED', 'MB_ROUTING',
                   'MB_PUBSUB', 'RPC', 'RPC_STREAMING', 'WEBSOCKET')
#: The SecurityInfo.OAuth2Info.GrantType values.
GRANT_TYPES = ('OAUTH2_AUTHORIZATION_CODE', 'OAUTH2_IMPLICIT_GRANT',
               'OAUTH2_RESOURCE_OWNER', 'OAUTH2_CLIENT_CREDENTIALS')
#: The one subscription type of the API.
SUBSCRIPTION_TYPE = 'SerAvailabilityNotificationSubscription'

_name = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_text = {'type': 'string', 'maxLength': 4096}
_uri = {'type': 'string', 'minLength': 1, 'maxLength': 2048}
_id = {'type': 'string', 'minLength': 1, 'maxLength': 255}


def _object(properties, required=()):
    schema = {'type': 'object', 'properties': properties,
              'additionalProperties': False}
    if required:
        schema['required'] = list(required)
    return schema


#: CategoryRef.
CATEGORY_REF = _object(
    {'href': _uri, 'id': _id, 'name': _name, 'version': _name},
    required=('href', 'id', 'name', 'version'))

_address = _object(
    {'host': _name,
     'port': {'type': 'integer', 'minimum': 0, 'maximum': 65535}},
    required=('host', 'port'))

#: EndPointInfo: one of its three forms.
END_POINT_INFO = {'oneOf': [
    _object({'uris': {'type': 'array', 'maxItems': 100, 'items': _uri}},
            required=('uris',)),
    _object({'addresses': {'type': 'array', 'maxItems': 100,
                           'items': _address}},
            required=('addresses',)),
    _object({'alternative': {'type': 'object'}},
            required=('alternative',)),
]}

#: SecurityInfo.
SECURITY_INFO = _object({
    'oAuth2Info': _object({
        'grantTypes': {'type': 'array', 'minItems': 1, 'maxItems': 4,
                       'items': {'enum': list(GRANT_TYPES)}},
        'tokenEndpoint': _uri,
    }, required=('grantTypes', 'tokenEndpoint')),
})

#: TransportInfo.
TRANSPORT_INFO = _object({
    'id': _id,
    'name': _name,
    'description': _text,
    'type': {'enum': list(TRANSPORT_TYPES)},
    'protocol': _name,
    'version': _name,
    'endpoint': END_POINT_INFO,
    'security': SECURITY_INFO,
    'implSpecificInfo': {'type': 'object'},
}, required=('id', 'name', 'type', 'protocol', 'version', 'endpoint',
             'security'))

_SERVICE_INFO = {
    'serInstanceId': _id,
    'serName': _name,
    'serCategory': CATEGORY_REF,
    'version': _name,
    'state': {'enum': list(SERVICE_STATES)},
    'transportInfo': TRANSPORT_INFO,
    'serializer': {'enum': list(SERIALIZER_TYPES)},
    'scopeOfLocality': {'enum': list(LOCALITY_TYPES)},
    'consumedLocalOnly': {'type': 'boolean'},
    'isLocal': {'type': 'boolean'},
}

#: ServiceInfo of a registration (POST): no serInstanceId; the controller
#: checks that exactly one of transportId and transportInfo is given.
SERVICE_INFO_POST = _object(
    dict({k: v for k, v in _SERVICE_INFO.items() if k != 'serInstanceId'},
         transportId=_id),
    required=('serName', 'version', 'state', 'serializer'))

#: ServiceInfo of an update (PUT).
SERVICE_INFO_PUT = _object(
    copy.deepcopy(_SERVICE_INFO),
    required=('serName', 'version', 'state', 'transportInfo', 'serializer'))

_link = _object({'href': _uri})

#: SerAvailabilityNotificationSubscription.FilteringCriteria.
FILTERING_CRITERIA = _object({
    'serInstanceIds': {'type': 'array', 'maxItems': 100, 'items': _id},
    'serNames': {'type': 'array', 'maxItems': 100, 'items': _name},
    'serCategories': {'type': 'array', 'maxItems': 100,
                      'items': CATEGORY_REF},
    'states': {'type': 'array', 'maxItems': 2,
               'items': {'enum': list(SERVICE_STATES)}},
    'isLocal': {'type': 'boolean'},
})

#: SerAvailabilityNotificationSubscription (a ``_links`` given is
#: ignored: the platform makes it).
SUBSCRIPTION = _object({
    'subscriptionType': {'const': SUBSCRIPTION_TYPE},
    'callbackReference': _uri,
    '_links': {'type': 'object'},
    'filteringCriteria': FILTERING_CRITERIA,
}, required=('subscriptionType', 'callbackReference'))

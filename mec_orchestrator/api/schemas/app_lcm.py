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
"""JSON schemas of the request bodies of /app_lcm/v1 (MEC 010-2 v2.1.1).

Extensions, all optional: ``additionalParams`` of InstantiateAppRequest
(as NFV SOL003's; ``extCpNetworks``, ``network`` and ``userArea`` are
read by the orchestrator), ``authentication`` of subscriptions (NFV
SOL013, as for package subscriptions) and the ``cancelMode`` of a cancel.
"""

from mec_orchestrator.api.schemas import app_pkgm

_name = {'type': 'string', 'minLength': 1, 'maxLength': 255}
_text = {'type': 'string', 'maxLength': 4096}
_uri = {'type': 'string', 'minLength': 1, 'maxLength': 2048}
_timeout = {'type': 'integer', 'minimum': 0, 'maximum': 86400}
_kvp = {'type': 'object', 'maxProperties': 100}

#: CreateAppInstanceRequest.
CREATE_APP_INSTANCE = {
    'type': 'object',
    'required': ['appDId'],
    'properties': {
        'appDId': _name,
        'appInstanceName': _name,
        'appInstanceDescription': _text,
    },
    'additionalProperties': False,
}

_civic = {
    'type': 'object',
    'required': ['caType', 'caValue'],
    'properties': {'caType': {'type': 'integer', 'minimum': 0,
                              'maximum': 255},
                   'caValue': {'type': 'string', 'maxLength': 255}},
    'additionalProperties': False,
}

#: InstantiateAppRequest.
INSTANTIATE_APP = {
    'type': 'object',
    'properties': {
        'locationConstraints': {
            'type': 'object',
            'properties': {
                'countryCode': {'type': 'string',
                                'pattern': '^[A-Za-z]{2}$'},
                'civicAddressElement': {'type': 'array', 'maxItems': 50,
                                        'items': _civic},
                'area': {'type': 'object'},
            },
            'additionalProperties': False,
        },
        'selectedMECHostInfo': {
            'type': 'array', 'minItems': 1, 'maxItems': 50,
            'items': {
                'type': 'object',
                'required': ['hostId'],
                'properties': {'hostId': {'type': ['object', 'string']},
                               'hostName': _name},
                'additionalProperties': False,
            },
        },
        'vimConnectionInfo': {'type': 'array', 'maxItems': 10,
                              'items': {'type': 'object'}},
        'virtualComputeDescriptor': {'type': 'object'},
        'virtualStorageDescriptor': {'type': 'array', 'maxItems': 50,
                                     'items': {'type': 'object'}},
        'additionalParams': _kvp,
    },
    'additionalProperties': False,
}

#: TerminateAppRequest.
TERMINATE_APP = {
    'type': 'object',
    'required': ['terminationType'],
    'properties': {
        'terminationType': {'enum': ['FORCEFUL', 'GRACEFUL']},
        'gracefulTerminationTimeout': _timeout,
    },
    'additionalProperties': False,
}

#: OperateAppRequest.
OPERATE_APP = {
    'type': 'object',
    'required': ['changeStateTo'],
    'properties': {
        'changeStateTo': {'enum': ['STARTED', 'STOPPED']},
        'stopType': {'enum': ['FORCEFUL', 'GRACEFUL']},
        'gracefulStopTimeout': _timeout,
    },
    'additionalProperties': False,
}

#: CancelMode (NFV SOL003), optional.
CANCEL_MODE = {
    'type': 'object',
    'properties': {'cancelMode': {'enum': ['GRACEFUL', 'FORCEFUL']}},
    'additionalProperties': False,
}

_selector = {
    'type': 'object',
    'required': ['appInstSelectorType'],
    'properties': {
        'appInstSelectorType': {'enum': ['VOID', 'APP_IDENTITY', 'APP_NAME',
                                         'APP_D_ID', 'APP_FROM_PROVIDER']},
        'appInstances': {'type': 'array', 'maxItems': 100,
                         'items': {'type': 'string', 'maxLength': 255}},
        'appsFromProviders': {'type': 'array', 'maxItems': 50,
                              'items': {'type': 'object'}},
    },
    'additionalProperties': False,
}

_states = ['STARTING', 'PROCESSING', 'COMPLETED', 'FAILED', 'FAILED_TEMP',
           'ROLLING_BACK', 'ROLLED_BACK']
_operations = ['INSTANTIATE', 'INSTATIATE', 'OPERATE', 'TERMINATE']


def _one_or_many(values):
    return {'oneOf': [{'enum': values},
                      {'type': 'array', 'maxItems': len(values),
                       'items': {'enum': values}}]}


#: AppInstSubscriptionRequest or AppLcmOpOccSubscriptionRequest.
SUBSCRIPTION = {
    'type': 'object',
    'required': ['subscriptionType', 'callbackUri'],
    'properties': {
        'subscriptionType': {'enum': ['AppInstanceStateChange',
                                      'AppLcmOpOccStateChange']},
        'callbackUri': _uri,
        'appInstanceState': {'enum': ['NOT_INSTANTIATED', 'STARTED',
                                      'STOPPED']},
        'appInstanceSubscriptionFilter': _selector,
        'appLcmOpOccSubscriptionFilter': {
            'type': 'object',
            'properties': {
                'appInstanceSubscriptionFilter': _selector,
                'notificationTypes': {
                    'enum': ['AppLcmOperationOccurrenceNotification']},
                'operationStates': _one_or_many(_states),
                'operationTypes': _one_or_many(_operations),
            },
            'additionalProperties': False,
        },
        'authentication': app_pkgm.SUBSCRIPTION_AUTHENTICATION,
    },
    'additionalProperties': False,
}

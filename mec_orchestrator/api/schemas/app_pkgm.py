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
"""JSON schemas of the request bodies of /app_pkgm/v1 (MEC 010-2 v2.1.1).

Where the specification has a typo that clients reproduce
(``subsctiptionType``, ``AppPacakgeOperationChange``), both spellings
are accepted.
"""

SUBSCRIPTION_TYPES = ('AppPackageOnBoarding', 'AppPacakgeOperationChange',
                      'AppPackageOperationChange', 'AppPackageDeletion')

_name = {'type': 'string', 'minLength': 1, 'maxLength': 255}

CHECKSUM = {
    'type': 'object',
    'required': ['algorithm', 'hash'],
    'properties': {
        'algorithm': {'type': 'string',
                      'pattern': '(?i)^sha-?(256|512)$'},
        'hash': {'type': 'string', 'pattern': '^[0-9a-fA-F]{64,128}$'},
    },
    'additionalProperties': False,
}

#: CreateAppPkg. appPkgPath and checksum are required by the specification;
#: they are optional here so that a package can also be created and then
#: uploaded with PUT .../package_content.
CREATE_APP_PKG = {
    'type': 'object',
    'required': ['appPkgName', 'appPkgVersion'],
    'properties': {
        'appPkgName': _name,
        'appPkgVersion': _name,
        'appProvider': _name,
        'checksum': CHECKSUM,
        'appPkgPath': {'type': 'string', 'minLength': 1,
                       'maxLength': 2048},
        'userDefinedData': {'type': 'object', 'maxProperties': 100},
    },
    'additionalProperties': False,
}

#: AppPkgInfoModifications; v2.1.1 names the attribute operationState,
#: later versions operationalState.
APP_PKG_INFO_MODIFICATIONS = {
    'type': 'object',
    'properties': {
        'operationState': {'enum': ['ENABLED', 'DISABLED']},
        'operationalState': {'enum': ['ENABLED', 'DISABLED']},
    },
    'minProperties': 1,
    'maxProperties': 1,
    'additionalProperties': False,
}

_secret = {'type': 'string', 'minLength': 1, 'maxLength': 1024}

#: SubscriptionAuthentication (NFV SOL013).
SUBSCRIPTION_AUTHENTICATION = {
    'type': 'object',
    'required': ['authType'],
    'properties': {
        'authType': {'type': 'array', 'minItems': 1,
                     'items': {'enum': ['BASIC',
                                        'OAUTH2_CLIENT_CREDENTIALS']}},
        'paramsBasic': {
            'type': 'object',
            'required': ['userName', 'password'],
            'properties': {'userName': _secret, 'password': _secret},
            'additionalProperties': False,
        },
        'paramsOauth2ClientCredentials': {
            'type': 'object',
            'required': ['clientId', 'clientPassword', 'tokenEndpoint'],
            'properties': {'clientId': _secret, 'clientPassword': _secret,
                           'tokenEndpoint': {'type': 'string',
                                             'minLength': 1,
                                             'maxLength': 2048}},
            'additionalProperties': False,
        },
    },
    'additionalProperties': False,
}

#: AppPkgSubscription.
APP_PKG_SUBSCRIPTION = {
    'type': 'object',
    'required': ['callbackUri'],
    'properties': {
        'callbackUri': {'type': 'string', 'minLength': 1,
                        'maxLength': 2048},
        'subsctiptionType': {'enum': list(SUBSCRIPTION_TYPES)},
        'subscriptionType': {'enum': list(SUBSCRIPTION_TYPES)},
        'appPkgFilter': {'type': 'array', 'maxItems': 50,
                         'items': {'type': 'string', 'maxLength': 1024}},
        'authentication': SUBSCRIPTION_AUTHENTICATION,
    },
    'additionalProperties': False,
}

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
"""The OpenStack client plugin: ``openstack mec ...``."""

from osc_lib import utils

DEFAULT_API_VERSION = '1'

# Required by the OSC plugin interface.
API_NAME = 'mec'
API_VERSION_OPTION = 'os_mec_api_version'
API_VERSIONS = {'1': 'mec_orchestrator.osc.client.Client'}


def make_client(instance):
    """The client of the MEC Orchestrator API for a ClientManager.

    The endpoint is the catalog's ``mec-orchestration`` service, or the one
    given with ``--os-auth-type none --os-endpoint URL`` for an
    all-in-one without Keystone.

    :param instance: the OSC ClientManager.
    :returns: a :class:`mec_orchestrator.osc.client.Client`.
    """
    cls = utils.get_client_class(API_NAME, instance._api_version[API_NAME],
                                 API_VERSIONS)
    return cls(instance.session, region_name=instance.region_name,
               interface=instance.interface)


def build_option_parser(parser):
    """Add the plugin's global options.

    :param parser: the OSC argparse parser.
    :returns: the parser.
    """
    parser.add_argument(
        '--os-mec-api-version', metavar='<mec-api-version>',
        default=utils.env('OS_MEC_API_VERSION',
                          default=DEFAULT_API_VERSION),
        help='MEC Orchestrator API version, default=%s '
             '(Env: OS_MEC_API_VERSION)' % DEFAULT_API_VERSION)
    return parser

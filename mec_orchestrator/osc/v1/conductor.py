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
"""``openstack mec conductor ...``."""

from osc_lib.command import command

from mec_orchestrator.osc.v1 import common

COLUMNS = ('hostname', 'site', 'alive', 'online', 'last_heartbeat')


class ListConductor(command.Lister):
    """List the conductors and whether they are alive."""

    def take_action(self, parsed_args):
        client = self.app.client_manager.mec
        return common.listing(client.conductors(), COLUMNS, parsed_args)


class ShowConductor(command.ShowOne):
    """Show a conductor."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('hostname', help='Host name of the conductor.')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.mec
        return common.show(client.conductor(parsed_args.hostname),
                           COLUMNS + ('created_at',), parsed_args)


class PingConductor(command.ShowOne):
    """Make a round trip to a conductor over the message bus."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('hostname', help='Host name of the conductor.')
        return parser

    def take_action(self, parsed_args):
        client = self.app.client_manager.mec
        return common.show(client.ping_conductor(parsed_args.hostname),
                           ('hostname', 'site', 'rpc_api_version',
                            'round_trip_ms'), parsed_args)

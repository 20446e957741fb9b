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
"""``openstack mec host ...``: the MEC host inventory."""

import json

from osc_lib.command import command
from osc_lib import exceptions

from mec_orchestrator.osc.v1 import common

LIST_COLUMNS = ('id', 'name', 'site', 'zone', 'enabled', 'available')
SHOW_COLUMNS = ('id', 'name', 'description', 'vim_id', 'site', 'zone',
                'aggregate', 'location', 'capacity', 'usage',
                'platform_services', 'latencies', 'mep_endpoint', 'enabled',
                'available', 'discovered_at')


class ListMecHost(command.Lister):
    """List MEC hosts."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--vim', metavar='<vim-id>', dest='vim_id')
        parser.add_argument('--site', metavar='<site>')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        return common.listing(
            client.mec_hosts(vim_id=args.vim_id, site=args.site),
            LIST_COLUMNS, args)


class ShowMecHost(command.ShowOne):
    """Show a MEC host."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('host', metavar='<host-id>')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        host = client.mec_host(args.host)
        return common.show(host, [c for c in SHOW_COLUMNS if c in host],
                           args)


def _json(text):
    try:
        return json.loads(text)
    except ValueError as e:
        raise exceptions.CommandError('not JSON: %s' % e)


class SetMecHost(command.ShowOne):
    """Set what the VIM cannot know of a MEC host."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('host', metavar='<host-id>')
        parser.add_argument('--name', metavar='<name>')
        parser.add_argument('--description', metavar='<text>')
        parser.add_argument('--location', metavar='<json>', type=_json,
                            help='{"latitude": .., "longitude": .., '
                                 '"area_id": .., "cell_ids": [..]}')
        parser.add_argument('--mep-endpoint', metavar='<url>')
        parser.add_argument('--platform-services', metavar='<json>',
                            type=_json,
                            help='[{"serName": .., "version": .., '
                                 '"transport": ..}]')
        parser.add_argument('--latency', metavar='<area=ms>',
                            action='append',
                            help='Latency to a user area (repeat).')
        enabled = parser.add_mutually_exclusive_group()
        enabled.add_argument('--enable', action='store_true', default=None,
                             dest='enabled')
        enabled.add_argument('--disable', action='store_false',
                             dest='enabled')
        return parser

    def take_action(self, args):
        client = self.app.client_manager.mec
        body = {}
        for name in ('name', 'description', 'location', 'mep_endpoint',
                     'platform_services', 'enabled'):
            if getattr(args, name) is not None:
                body[name] = getattr(args, name)
        if args.latency:
            try:
                body['latencies'] = {a: float(ms) for a, ms in (
                    item.split('=', 1) for item in args.latency)}
            except ValueError:
                raise exceptions.CommandError(
                    '--latency takes AREA=MILLISECONDS')
        if not body:
            raise exceptions.CommandError('Nothing to change.')
        host = client.update_mec_host(args.host, body)
        return common.show(host, [c for c in SHOW_COLUMNS if c in host],
                           args)
